"""A debugging scenario in the browser: read the report, run the failing tests, fix, prove it, submit."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from interview_debugging.pack import load_pack
from interview_debugging.scenario import apply_edits
from interview_engine import Difficulty, Track
from tests.browser.conftest import screenshot, set_editor, sign_up


def test_fix_a_bug_with_a_regression_test(page: Page, server: str) -> None:
    scenario = load_pack().select(Track.BACKEND, Difficulty.MID)[0]
    sign_up(page, server, f"dbg-{uuid.uuid4().hex[:8]}@example.com")

    page.goto(f"{server}/debugging?track=backend&difficulty=mid")
    expect(page.get_by_role("heading", name="Debugging", exact=True)).to_be_visible()
    page.get_by_role("button", name=f"Start {scenario.title}").click()
    expect(page.get_by_role("heading", name=scenario.title)).to_be_visible()
    expect(page.locator("#failing")).to_contain_text("FAILED")
    expect(page.locator("#editor[data-ready=true]")).to_be_visible()

    page.get_by_role("button", name="Run tests").click()
    expect(page.locator("#output")).to_contain_text("failed")
    expect(page.locator("#output li.fail").first).to_be_visible()

    page.get_by_role("button", name="Show a hint").click()
    expect(page.locator("#hints li")).to_have_count(1)
    screenshot(page, "debugging")

    fixed = apply_edits(dict(scenario.files), scenario.fix, what="fix")
    for path, text in fixed.items():
        if text != scenario.files[path]:
            set_editor(page, text, path=path)
    set_editor(page, scenario.regression.source, path="test_regression.py")
    page.get_by_role("button", name="Run tests").click()
    expect(page.locator("#output h2")).to_contain_text(" 0 failed")

    cause = scenario.root_cause
    page.get_by_label("Where is the root cause?").fill(f"{cause.file}:{cause.lines[0]}")
    page.get_by_label("Diagnosis").fill(
        f"The bug is in {cause.function}: {cause.explanation} I fixed it there and added a regression test "
        "that fails on the original code and passes on the fix."
    )
    page.get_by_role("button", name="Submit").click()
    # Submitting keeps the session open (the candidate may submit again); ending it asks first.
    expect(page.locator("#submissions li")).to_have_count(1, timeout=120_000)
    expect(page.locator("#output")).to_be_focused()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="End the session").click()
    page.wait_for_url(f"{server}/summary/*", timeout=120_000)
    expect(page.locator(".decision")).to_have_text("fixed")
    expect(page.get_by_role("heading", name="Rubric")).to_be_visible()
    # The patch as graded, with its findings under the lines they are about.
    expect(page.get_by_role("heading", name="Your patch, as graded")).to_be_visible()
    listing = page.get_by_role("list", name=cause.file, exact=True)
    expect(listing.locator("li.changed").first).to_be_visible()
    cause_note = listing.get_by_role("note").filter(has_text=re.compile("^The root cause"))
    expect(cause_note).to_contain_text("your change reaches it")
    expect(listing.get_by_role("note").filter(has_text="Your diagnosis points here")).to_contain_text(
        "matches the root cause"
    )
    regression = page.get_by_role("list", name="test_regression.py", exact=True)
    expect(regression.get_by_role("note")).to_contain_text("failed on the original bug")
    screenshot(page, "summary-debugging")

"""Submitting again, running on my own input, readable run output, and a summary worth reading."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from interview_engine import Difficulty, Track
from interview_live_coding.pack import load_pack
from tests.browser.conftest import set_editor, sign_up


def test_submit_twice_then_read_the_summary(page: Page, server: str) -> None:
    pack = load_pack()
    problem = pack.listed(Track.BACKEND, Difficulty.MID)[0]
    sign_up(page, server, f"resubmit-{uuid.uuid4().hex[:8]}@example.com")
    page.goto(f"{server}/coding?track=backend&difficulty=mid")
    page.get_by_role("button", name=f"Start {problem.title}").click()
    expect(page.locator("#editor[data-ready=true]")).to_be_visible()

    # A syntax error is said once, with its line, not once per sample.
    set_editor(page, f"def {problem.entry}(:\n    pass\n")
    page.get_by_role("button", name="Run tests").click()
    expect(page.locator("#output")).to_contain_text("Your code did not load")
    expect(page.locator("#output pre")).to_have_count(1)
    expect(page.locator("#output pre")).to_contain_text("line 1")
    expect(page.locator("#output")).to_be_focused()

    # Run on my input: the arguments as typed, the output of mine and of the reference.
    set_editor(page, problem.reference)
    page.locator("#custom summary").click()
    args = ", ".join(repr(a) for a in problem.sample_args(0))
    page.get_by_label("Arguments to").fill(args)
    page.get_by_role("button", name="Run on my input").click()
    expect(page.locator("#output")).to_contain_text("Same as the reference.")
    expect(page.locator("#output")).to_contain_text(f"{problem.entry}(")
    page.get_by_label("Arguments to").fill("__import__('os')")
    page.get_by_role("button", name="Run on my input").click()
    expect(page.locator("#status")).to_contain_text("input: only literal values are allowed")

    # Notes and the claim survive a reload, like the code.
    page.get_by_label("Notes for the interviewer").fill("I count in a dictionary, then sort once.")
    page.get_by_label("Complexity claim").fill(problem.complexity)
    page.reload()
    expect(page.get_by_label("Notes for the interviewer")).to_have_value("I count in a dictionary, then sort once.")
    expect(page.get_by_label("Complexity claim")).to_have_value(problem.complexity)

    # First a wrong submission, then the right one: both are kept, the last is graded.
    set_editor(page, problem.wrong[0].source)
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#submissions li")).to_have_count(1, timeout=180_000)
    set_editor(page, problem.reference)
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#submissions li")).to_have_count(2, timeout=180_000)
    expect(page.locator("#output h2")).to_contain_text("0 failed")

    # Ending asks first; dismissing keeps the session open.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="End the session").click()
    expect(page).to_have_url(f"{server}/coding/{page.url.rsplit('/', 1)[1]}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="End the session").click()
    page.wait_for_url(f"{server}/summary/*", timeout=180_000)

    history = page.locator("section", has=page.get_by_role("heading", name="Your submissions"))
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(history.locator("tbody tr").nth(1)).to_contain_text("graded")
    graded = page.get_by_role("list", name="Graded code")
    expect(graded).to_contain_text(problem.reference.strip().splitlines()[0])
    expect(page.get_by_role("heading", name="Your notes")).to_be_visible()
    expect(page.locator(".editorial")).to_contain_text(pack.editorials[problem.id].split()[0])
    expect(page.get_by_role("list", name="Reference solution")).to_be_visible()

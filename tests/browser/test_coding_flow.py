"""Live coding in the browser: pick a problem, type in the editor, run the samples, submit, read the summary."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from interview_engine import Difficulty, Track
from interview_live_coding.pack import load_pack
from tests.browser.conftest import screenshot, set_editor, sign_up


def test_solve_a_problem(page: Page, server: str) -> None:
    problem = load_pack().listed(Track.BACKEND, Difficulty.MID)[0]
    sign_up(page, server, f"code-{uuid.uuid4().hex[:8]}@example.com")

    page.goto(f"{server}/coding?track=backend&difficulty=mid")
    expect(page.get_by_role("heading", name="Live coding")).to_be_visible()
    page.get_by_role("button", name=f"Start {problem.title}").click()
    expect(page.get_by_role("heading", name=problem.title)).to_be_visible()
    expect(page.locator("#editor[data-ready=true]")).to_be_visible()

    # Type in the editor like a person: the starter code is there, add a line at the end.
    editor = page.locator("#editor .cm-content")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n# thinking out loud")
    expect(editor).to_contain_text("# thinking out loud")
    page.reload()  # a draft survives a reload
    expect(page.locator("#editor .cm-content")).to_contain_text("# thinking out loud")

    page.get_by_role("button", name="Run tests").click()
    expect(page.locator("#output h2")).to_contain_text("Sample tests:")

    set_editor(page, problem.reference)
    page.get_by_role("button", name="Run tests").click()
    samples = len(problem.samples)
    expect(page.locator("#output h2")).to_have_text(f"Sample tests: {samples} of {samples} passed")
    screenshot(page, "coding")

    page.get_by_label("Complexity claim").fill(problem.complexity)
    page.get_by_label("Notes for the interviewer").fill(
        "I keep the state in a dictionary so each lookup is constant time; the edge cases are empty input and "
        "repeated keys, which I handle first. The trade-off is memory for speed."
    )
    page.get_by_role("button", name="Submit").click()
    # Submitting keeps the session open (the candidate may submit again); ending it asks first.
    expect(page.locator("#submissions li")).to_have_count(1, timeout=180_000)
    expect(page.locator("#output")).to_be_focused()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="End the session").click()
    page.wait_for_url(f"{server}/summary/*", timeout=180_000)
    expect(page.get_by_role("heading", name="Hidden tests", exact=False)).to_contain_text("0 failed")
    expect(page.get_by_role("heading", name="Complexity")).to_be_visible()
    screenshot(page, "summary-coding")

    # Back in the picker the problem is marked solved, with the best score.
    page.goto(f"{server}/coding")  # the track and level are remembered
    card = page.locator(f"#item-{problem.id}")
    expect(card.locator(".mark")).to_have_text("Solved")
    expect(card).to_contain_text("best ")
    screenshot(page, "coding-picker")

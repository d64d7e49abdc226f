"""The workspaces with the keyboard alone: focus lands on what happened, hints say when they run out."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, Route, expect

from interview_debugging.pack import load_pack
from interview_engine import Difficulty, Track
from interview_live_coding.plugin import module
from tests.browser.conftest import set_editor, sign_up

PROBLEM = module().pack.problems["backend-lru-cache"]
CURSOR_LINE = (
    "() => { const v = window.interviewEditor; return v.state.doc.lineAt(v.state.selection.main.head).number; }"
)
REFUSED = '{"status_code": 429, "detail": "too many runs"}'


def _press(page: Page, name: str) -> None:
    """Reach a button by focus and press Enter on it, as a keyboard user does."""
    page.get_by_role("button", name=name, exact=True).focus()
    page.keyboard.press("Enter")


def test_coding_with_the_keyboard(page: Page, server: str) -> None:
    sign_up(page, server, f"keys-{uuid.uuid4().hex[:8]}@example.com")
    page.goto(f"{server}/coding?track=backend&difficulty=mid")
    page.get_by_role("button", name=f"Start {PROBLEM.title}").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#editor[data-ready=true]")).to_be_visible()

    # A failing run: the result takes the focus, and the traceback's line in solution.py opens in the editor.
    set_editor(page, "def run_cache(capacity, operations):\n    x = 1\n    raise ValueError('boom')\n")
    _press(page, "Run tests")
    output = page.locator("#output")
    expect(output).to_be_focused(timeout=60_000)
    expect(output).to_contain_text("ValueError")
    link = output.locator("button.trace-link", has_text="solution.py:3").first
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#editor .cm-content")).to_be_focused()
    line = page.evaluate(CURSOR_LINE)
    assert line == 3

    # A custom input and a submit: the result takes the focus each time.
    set_editor(page, PROBLEM.reference)
    page.locator("#custom summary").focus()
    page.keyboard.press("Enter")  # opens the details
    page.get_by_label("Arguments to").fill("2, [['put', 1, 1], ['get', 1]]")
    _press(page, "Run on my input")
    expect(output).to_be_focused(timeout=60_000)
    expect(output).to_contain_text("Your input")
    _press(page, "Submit")
    expect(page.locator("#submissions li")).to_have_count(1, timeout=180_000)
    expect(output).to_be_focused()

    # A refused run: the focus goes to the status line that says why, and the buttons work again.
    def refuse(route: Route) -> None:
        route.fulfill(
            status=429, content_type="application/json", body='{"status_code": 429, "detail": "too many runs"}'
        )

    page.route("**/actions/run", refuse)
    _press(page, "Run tests")
    status = page.locator("#status")
    expect(status).to_have_text("too many runs")
    expect(status).to_be_focused()
    expect(page.get_by_role("button", name="Run tests", exact=True)).to_be_enabled()


def test_debugging_hints_run_out_and_the_focus_follows(page: Page, server: str) -> None:
    scenario = load_pack().select(Track.BACKEND, Difficulty.MID)[0]
    sign_up(page, server, f"hints-{uuid.uuid4().hex[:8]}@example.com")
    page.goto(f"{server}/debugging?track=backend&difficulty=mid")
    page.get_by_role("button", name=f"Start {scenario.title}").click()
    expect(page.locator("#editor[data-ready=true]")).to_be_visible()

    _press(page, "Run tests")
    expect(page.locator("#output")).to_be_focused(timeout=60_000)
    # A failing test's line in the candidate's files opens that file in the editor.
    link = page.locator("#output button.trace-link").first
    expect(link).to_be_visible()
    target = link.inner_text().split(":")[0]
    link.click()
    expect(page.get_by_role("tab", name=target, exact=True)).to_have_attribute("aria-selected", "true")
    expect(page.locator("#editor .cm-content")).to_be_focused()

    hint = page.locator("#hint")
    for number in range(1, len(scenario.hints) + 1):
        hint.focus()
        page.keyboard.press("Enter")
        expect(page.locator("#hints li")).to_have_count(number)
        expect(page.locator("#hints li").last).to_be_focused()  # the new hint takes the focus
    expect(hint).to_be_disabled()
    expect(hint).to_have_text("No hints left")
    expect(page.locator("#hint-count")).to_contain_text(f"{len(scenario.hints)} of {len(scenario.hints)} used")
    page.reload()
    expect(page.locator("#hint")).to_be_disabled()  # still none left after a reload

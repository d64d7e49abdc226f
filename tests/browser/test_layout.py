"""Every page at a phone's width (390 px) and a desktop's (1280 px): no sideways scroll, workspaces that stack,
an editor you can type in, and no serious accessibility violation found by axe-core."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import sign_up

AXE = Path(__file__).parents[2] / "adapters" / "web" / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
PHONE, DESKTOP = 390, 1280

END_SESSION = """async (id) => {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const r = await fetch(`/api/sessions/${id}/end`, {method: "POST", headers: {"x-csrf-token": csrf}});
  return r.status;
}"""

SERIOUS = """async () => {
  const report = await axe.run(document, {resultTypes: ["violations"]});
  return report.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}"""


def _fits(page: Page, width: int, name: str) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{name} is {scroll} px wide at {width} px: it scrolls sideways"
    # Nothing visible sticks out on the right either (an overflow hidden by a parent would not widen the page).
    wide = page.evaluate(
        """(w) => [...document.querySelectorAll('body *')].filter((e) => {
             const r = e.getBoundingClientRect();
             return r.width > 0 && r.right > w + 1 && !e.closest('.cm-editor, pre, table, .scroll-x, .skip');
           }).slice(0, 5).map((e) => e.tagName + '.' + e.className)""",
        width,
    )
    assert wide == [], f"{name}: elements wider than the screen at {width} px: {wide}"


def _accessible(page: Page, name: str) -> None:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    assert page.evaluate(SERIOUS) == [], f"{name}: serious accessibility violations"


def _workspace(page: Page, width: int, name: str) -> None:
    """The statement, the editor and the results: stacked on a phone, side by side on a desktop."""
    expect(page.locator("#editor[data-ready=true]")).to_be_visible()
    statement = page.locator(".pane.statement").bounding_box()
    editor = page.locator("#editor").bounding_box()
    output = page.locator("#output").bounding_box()
    assert statement and editor and output
    if width == PHONE:
        assert statement["y"] + statement["height"] <= editor["y"], f"{name}: the statement is not above the editor"
        assert editor["y"] < output["y"], f"{name}: the results are not below the editor"
        assert editor["width"] >= 300, f"{name}: the editor is {editor['width']} px wide"
    else:
        assert statement["x"] + statement["width"] <= editor["x"], f"{name}: the panes are not side by side"
        assert editor["width"] >= 500
    # Usable: a tap puts the cursor in and typing lands in the document.
    page.locator("#editor .cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n# typed on a small screen")
    expect(page.locator("#editor .cm-content")).to_contain_text("# typed on a small screen")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_every_page_fits_the_screen(browser: Browser, server: str, width: int) -> None:
    assert AXE.exists(), "axe-core is missing: `make setup` installs the frontend's packages"
    # bypass_csp lets the test inject axe-core; the app's own policy stays as it is.
    context = browser.new_context(viewport={"width": width, "height": 844 if width == PHONE else 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        for name in ("", "signin", "signup"):
            page.goto(f"{server}/{name}")
            _fits(page, width, name or "home (signed out)")
            _accessible(page, name or "home (signed out)")
        sign_up(page, server, f"layout-{width}-{uuid.uuid4().hex[:8]}@example.com")
        visited: list[tuple[str, str]] = []

        def visit(name: str, path: str) -> None:
            page.goto(f"{server}{path}")
            _fits(page, width, name)
            _accessible(page, name)
            visited.append((name, page.url))

        visit("coding picker", "/coding")
        page.get_by_role("button", name="Start").first.click()
        page.wait_for_url(f"{server}/coding/*")
        _fits(page, width, "coding workspace")
        _workspace(page, width, "coding workspace")
        _accessible(page, "coding workspace")
        # The results too: long test names and tracebacks wrap instead of widening the page.
        page.get_by_role("button", name="Run tests", exact=True).click()
        expect(page.locator("#output h2")).to_be_visible(timeout=60_000)
        _fits(page, width, "coding results")
        _accessible(page, "coding results")
        coding_id = page.url.rsplit("/", 1)[1]

        visit("debugging picker", "/debugging")
        page.get_by_role("button", name="Start").first.click()
        page.wait_for_url(f"{server}/debugging/*")
        _fits(page, width, "debugging workspace")
        _workspace(page, width, "debugging workspace")
        _accessible(page, "debugging workspace")
        # The results too: long test names and tracebacks wrap instead of widening the page.
        page.get_by_role("button", name="Run tests", exact=True).click()
        expect(page.locator("#output h2")).to_be_visible(timeout=60_000)
        _fits(page, width, "debugging results")
        _accessible(page, "debugging results")
        debugging_id = page.url.rsplit("/", 1)[1]

        visit("phone screen start", "/session")
        page.get_by_role("button", name="Start the typed screen").click()
        page.wait_for_url(f"{server}/session/*")
        expect(page.locator("#chat li.interviewer")).to_have_count(1)
        _fits(page, width, "phone screen")
        _accessible(page, "phone screen")
        screen_id = page.url.rsplit("/", 1)[1]

        visit("summary of an active session", f"/summary/{coding_id}")
        for session_id in (coding_id, debugging_id, screen_id):
            assert page.evaluate(END_SESSION, session_id) == 201
            visit(f"summary {session_id}", f"/summary/{session_id}")
        visit("history", "/history")
        visit("not found", "/summary/no-such-session")
    finally:
        context.close()

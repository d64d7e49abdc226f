"""History in the browser after a session, then deleting that session from its summary."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_up


def test_history_then_delete_a_session(page: Page, server: str) -> None:
    sign_up(page, server, f"hist-{uuid.uuid4().hex[:8]}@example.com")
    page.goto(f"{server}/session")
    page.get_by_role("button", name="Start the typed screen").click()
    page.get_by_label("Your answer").fill(
        "An index is a B-tree of keys pointing to rows: lookups become logarithmic, writes pay to maintain it."
    )
    page.get_by_role("button", name="Send answer").click()
    expect(page.locator("#chat li.interviewer")).to_have_count(2)
    page.once("dialog", lambda dialog: dialog.accept())  # ending asks first
    page.get_by_role("button", name="End the screen").click()
    page.wait_for_url(f"{server}/summary/*", timeout=60_000)
    summary_url = page.url

    page.get_by_role("link", name="History").click()
    for heading in ("History", "Trends", "Weak topics", "Study plan", "Sessions"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.locator("table.sessions tbody tr")).to_have_count(1)
    expect(page.locator("table.sessions tbody tr")).to_contain_text("Phone screen")
    screenshot(page, "history")

    page.goto(f"{server}/")
    expect(page.get_by_role("heading", name="Recent sessions")).to_be_visible()
    expect(page.locator("table.sessions tbody tr")).to_have_count(1)
    screenshot(page, "home")

    page.goto(summary_url)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete this session").click()
    page.wait_for_url(f"{server}/history?deleted=1")
    expect(page.get_by_role("status")).to_contain_text("deleted")
    expect(page.locator("table.sessions")).to_have_count(0)
    page.goto(summary_url)
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()

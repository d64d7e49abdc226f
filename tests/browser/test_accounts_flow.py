"""Sign up, sign out, sign in again, in a real browser."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_up


def test_sign_up_sign_out_and_sign_in(page: Page, server: str) -> None:
    email = f"ada-{uuid.uuid4().hex[:8]}@example.com"
    page.goto(f"{server}/signup")
    screenshot(page, "signup")
    sign_up(page, server, email)
    expect(page.get_by_text("Ada Lovelace")).to_be_visible()
    expect(page.get_by_role("heading", name="Practise the whole interview")).to_be_visible()
    screenshot(page, "home")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    page.goto(f"{server}/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")

    page.get_by_label("Password").fill("a long passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Ada Lovelace")).to_be_visible()


def test_pages_need_a_signed_in_candidate(page: Page, server: str) -> None:
    page.goto(f"{server}/summary/abc")
    expect(page).to_have_url(f"{server}/signin?next=/summary/abc")

"""The offline phone screen in the browser: the recording notice, typed answers, a hint, ending, the summary."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_up


def test_typed_phone_screen(page: Page, server: str) -> None:
    sign_up(page, server, f"call-{uuid.uuid4().hex[:8]}@example.com")
    page.goto(f"{server}/session")
    expect(page.get_by_role("note")).to_contain_text("This session is recorded and stored")
    expect(page.get_by_role("note")).to_contain_text("delete")
    page.get_by_label("Track").select_option("frontend")
    page.get_by_role("button", name="Start the typed screen").click()

    chat = page.locator("#chat")
    expect(chat.locator("li.interviewer")).to_have_count(1)

    page.get_by_role("button", name="Ask for a hint").click()
    expect(chat.locator("li.interviewer")).to_have_count(2)
    for answer in (
        "I would measure first, then reduce work on the main thread, and keep renders cheap with memoization.",
        "It depends on the trade-off between consistency and latency; I would pick based on the product need.",
    ):
        page.get_by_label("Your answer").fill(answer)
        page.get_by_role("button", name="Send answer").click()
        expect(chat.locator("li.candidate").last).to_have_text(answer)
    expect(chat.locator("li.interviewer")).to_have_count(4)
    expect(page.locator("#progress")).to_contain_text("Question")
    screenshot(page, "phone-screen")

    page.once("dialog", lambda dialog: dialog.accept())  # ending asks first
    page.get_by_role("button", name="End the screen").click()
    page.wait_for_url(f"{server}/summary/*", timeout=60_000)
    expect(page.get_by_role("heading", name="Transcript")).to_be_visible()
    expect(page.locator("ol.chat li.candidate", has_text="I would measure first")).to_have_count(1)
    expect(page.locator(".decision")).to_be_visible()
    screenshot(page, "summary-phone-screen")


def test_the_chat_survives_a_reload_and_the_keyboard_works(page: Page, server: str) -> None:
    sign_up(page, server, f"keys-{uuid.uuid4().hex[:8]}@example.com")
    page.goto(f"{server}/session")
    page.get_by_role("button", name="Start the typed screen").click()
    chat = page.locator("#chat")
    expect(chat.locator("li.interviewer")).to_have_count(1)

    expect(page.locator("#screen[data-ready=true]")).to_be_attached()  # the keys are wired
    # Ctrl+Enter sends; Enter alone is a new line, so a two-line answer stays one answer.
    box = page.get_by_label("Your answer")
    box.click()
    page.keyboard.type("First line of my answer.")
    page.keyboard.press("Enter")
    page.keyboard.type("Second line: I would measure it.")
    page.keyboard.press("Control+Enter")
    expect(chat.locator("li.candidate")).to_have_count(1)
    expect(chat.locator("li.candidate")).to_have_text("First line of my answer.\nSecond line: I would measure it.")
    expect(chat.locator("li.interviewer")).to_have_count(2)
    expect(chat.locator("li.interviewer").last).to_be_focused()  # the reply takes the focus
    # ⌘+Enter sends too (a Mac); the box is emptied for the next answer.
    box.fill("I would measure the p99 first, then cache the hot reads.")
    box.press("Meta+Enter")
    expect(chat.locator("li.candidate")).to_have_count(2)
    expect(chat.locator("li.interviewer")).to_have_count(3)
    expect(chat.locator("li.interviewer").last).to_be_focused()
    expect(box).to_have_value("")

    # Hints run out: the button says so and is disabled instead of failing.
    hint = page.locator("#hint")
    for _ in range(3):
        if hint.is_disabled():
            break
        hint.click()
        expect(page.locator("#progress")).not_to_have_text("…")
    expect(hint).to_be_disabled()
    expect(hint).to_have_text("No hints left for this question")

    # A half-typed answer and the whole conversation survive a reload.
    box.fill("a draft I have not sent")
    said = chat.locator("li.interviewer").all_inner_texts()
    page.reload()
    expect(page.get_by_label("Your answer")).to_have_value("a draft I have not sent")
    assert page.locator("#chat li.interviewer").all_inner_texts() == said
    expect(page.locator("#chat li.candidate", has_text="Second line: I would measure it.")).to_have_count(1)
    expect(hint).to_be_disabled()  # still no hint left after the reload

"""The test plugin (flash cards), installed as pip would, walked end to end in the browser with nothing in the
web app written for it: Start on the home page, its workspace and script, its summary view, and the study
plan's link straight to the card to practise."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, serving, sign_up

FLASHCARDS = Path(__file__).parents[1] / "engine" / "flashcards_plugin"


@pytest.fixture(scope="module")
def cards_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = os.pathsep.join(p for p in (str(FLASHCARDS), os.environ.get("PYTHONPATH", "")) if p)
    with serving(tmp_path_factory.mktemp("cards"), "7c" * 32, {"PYTHONPATH": path}) as base:
        yield base


def test_a_third_party_module_end_to_end(page: Page, cards_server: str) -> None:
    server = cards_server
    sign_up(page, server, f"cards-{uuid.uuid4().hex[:8]}@example.com")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Flash cards")).to_be_visible()
    page.get_by_role("button", name="Start flash cards").click()
    page.wait_for_url(f"{server}/flashcards?*")
    expect(page.get_by_role("heading", name="Flash cards", exact=True)).to_be_visible()
    page.get_by_role("button", name="Start What are the three steps of the TCP handshake?").click()
    page.wait_for_url(f"{server}/flashcards/*")

    expect(page.locator("#question")).to_have_text("What are the three steps of the TCP handshake?")
    page.get_by_label("Your answer").fill("syn")
    page.get_by_role("button", name="Answer").click()
    expect(page.get_by_role("status")).to_have_text("Scored 1.7 of 5.")
    expect(page.locator("#answers li")).to_have_count(1)
    page.reload()  # the answers so far are the server's, not the page's
    expect(page.locator("#answers li")).to_have_text(["syn · 1.7 / 5"])
    page.get_by_role("button", name="End the session").click()
    page.wait_for_url(f"{server}/summary/*")

    expect(page.get_by_role("heading", name="Your answers")).to_be_visible()
    expect(page.locator("#flashcard-answers tbody tr")).to_have_text(["1syn1.7 / 5"])
    expect(page.locator("pre")).to_have_count(0)  # rendered, not raw JSON
    screenshot(page, "flashcards-summary")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="History").click()
    page.get_by_role("link", name="Which segments close a TCP connection?").click()
    page.wait_for_url(f"{server}/flashcards?card=tcp-close*")
    chosen = page.locator("#item-tcp-close")
    expect(chosen).to_have_class("card item selected")
    chosen.get_by_role("button", name="Start Which segments close a TCP connection?").click()
    page.wait_for_url(f"{server}/flashcards/*")
    expect(page.locator("#question")).to_have_text("Which segments close a TCP connection?")

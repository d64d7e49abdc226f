"""End-to-end fixtures: the real server (``interview serve``) and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

CHROMIUM = os.environ.get("INTERVIEW_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
INTERVIEW = Path(sys.executable).parent / "interview"
#: The widths the README shows every page at: a desktop and a phone (iPhone 12-15, 390x844).
DESKTOP, PHONE = {"width": 1280, "height": 860}, {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(data: Path, secret: str, extra_env: Mapping[str, str] | None = None) -> Iterator[str]:
    """``interview serve`` on a free port with a database of its own under ``data``; yields its URL."""
    port = _free_port()
    env = dict(
        os.environ,
        INTERVIEW_DATABASE_URL=f"sqlite:///{data / 'web.db'}",
        INTERVIEW_SECRET_KEY=secret,
        INTERVIEW_RUNS_PER_MINUTE="1000",
    )
    env.pop("ELEVENLABS_API_KEY", None)
    env.update(extra_env or {})
    log = (data / "server.log").open("w")
    process = subprocess.Popen(
        [str(INTERVIEW), "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=2) as response:  # noqa: S310 - our own server
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start:\n" + (data / "server.log").read_text()) from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``interview serve`` on a free port with a database of its own."""
    with serving(tmp_path_factory.mktemp("server"), "5e" * 32) as base:
        yield base


@pytest.fixture(scope="module")
def playwright_driver() -> Iterator[Playwright]:
    """One Playwright at a time per test process: a second ``sync_playwright()`` beside it fails.

    Module-scoped, not session-scoped: while it is open its event loop stays set on the main thread,
    so any later test in the same process that runs ``asyncio.run`` (the job queue, the sandbox
    pool) would fail with "cannot be called from a running event loop".
    """
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: `make browser` installs Debian's package")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    found = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield found
    found.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)
    found = context.new_page()
    found.set_default_timeout(20_000)
    yield found
    context.close()


def screenshot(page: Page, name: str) -> None:
    """``docs/screenshots/NAME.png`` at 1280 px and ``NAME-390.png`` at 390 px, of the page as it is now."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or DESKTOP
    for viewport, suffix in ((DESKTOP, ""), (PHONE, "-390")):
        page.set_viewport_size(viewport)
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
        page.screenshot(path=str(SCREENSHOTS / f"{name}{suffix}.png"), full_page=True)
    page.set_viewport_size(size)


def sign_up(page: Page, base: str, email: str, password: str = "a long passphrase") -> None:
    page.goto(f"{base}/signup")
    page.get_by_label("Name").fill("Ada Lovelace")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Repeat password").fill(password)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{base}/")


def set_editor(page: Page, text: str, *, path: str | None = None) -> None:
    """Replace the editor's text (files too long to type key by key)."""
    if path is not None:
        page.evaluate("(path) => window.interviewSelectFile(path)", path)
    page.evaluate(
        "(text) => { const v = window.interviewEditor; "
        "v.dispatch({changes: {from: 0, to: v.state.doc.length, insert: text}}); }",
        text,
    )

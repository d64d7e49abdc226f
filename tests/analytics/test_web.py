"""``/history``: headings, a row per session, SVG charts, weak topics with evidence and plan links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from litestar.testing import TestClient

from interview_engine import Engine, StudyResource, User
from interview_web import create_app
from interview_web.history import practice_link
from interview_web.module_pages import site_modules
from interview_web.ratelimit import RateLimiter
from tests.analytics.analytics_quiz import practise, practise_a_handful
from tests.web.conftest import Client, sign_up

EMAIL = "ada@example.com"


@pytest.fixture
def client(sqlite_quiz_engine: Engine) -> Iterator[Client]:
    with TestClient(app=create_app(engine=sqlite_quiz_engine, limiter=RateLimiter(1000, 60))) as found:
        sign_up(found, EMAIL)
        yield found


@pytest.fixture
def ada(client: Client, sqlite_quiz_engine: Engine) -> User:
    user = sqlite_quiz_engine.store.find_user(EMAIL)
    assert user is not None
    return user


def test_history_page_shows_history_trends_weak_topics_and_plan(
    client: Client, ada: User, sqlite_quiz_engine: Engine
) -> None:
    made = practise_a_handful(sqlite_quiz_engine, ada)
    page = client.get("/history")
    assert page.status_code == 200
    html = page.text
    for heading in ("<h1>History</h1>", ">Trends</h2>", ">Weak topics</h2>", ">Study plan</h2>"):
        assert heading in html
    body = html.split('<table class="sessions history">')[1].split("</table>")[0]
    assert body.count("<tr>") == len(made) + 1  # the header row and one per session
    for session in made:
        assert f'href="/summary/{session.id}"' in body
    assert html.count("<svg") == 3 and "<polyline" in html and 'class="bar weak"' in html
    weak = html.split(">Weak topics</h2>")[1].split(">Study plan</h2>")[0]
    assert weak.index("<strong>http</strong>") < weak.index("<strong>caching</strong>")
    assert f"session {made[4].id[:8]}" in weak and "http-verbs" in weak and "score 30%" in weak
    plan = html.split(">Study plan</h2>")[1]
    assert "/modules/quiz" in plan and "High Performance Browser Networking" in plan
    assert 'href="/history/plan.md"' in plan


def test_history_page_for_a_new_candidate(client: Client) -> None:
    page = client.get("/history")
    assert page.status_code == 200
    assert "No sessions yet" in page.text and "<svg" not in page.text


def test_history_needs_a_signed_in_candidate(sqlite_quiz_engine: Engine) -> None:
    with TestClient(app=create_app(engine=sqlite_quiz_engine)) as anonymous:
        assert anonymous.get("/api/history").status_code == 401
        page = anonymous.get("/history", follow_redirects=False)
        assert page.status_code in (302, 303) and "/signin" in page.headers["location"]


def test_candidates_see_only_their_own_history(client: Client, ada: User, sqlite_quiz_engine: Engine) -> None:
    other = sqlite_quiz_engine.store.ensure_user("bob@example.com")
    theirs = practise(sqlite_quiz_engine, other.id, "locks", {"concurrency": 0.1}, datetime(2026, 1, 1, tzinfo=UTC))
    assert theirs.id not in client.get("/history").text
    assert client.get("/api/history").json() == []


def test_plan_markdown_download_and_json_views(client: Client, ada: User, sqlite_quiz_engine: Engine) -> None:
    practise_a_handful(sqlite_quiz_engine, ada)
    download = client.get("/history/plan.md")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/markdown")
    assert re.search(r'filename="study-plan-[0-9a-f]{16}\.md"', download.headers["content-disposition"])
    assert download.text.startswith("# Study plan (backend)")
    assert len(client.get("/api/history").json()) == 6
    assert [t["topic"] for t in client.get("/api/trends").json()["ranking"]["weak"]] == ["http", "caching"]
    assert client.get("/api/plan").json()["kbVersions"] == {"quiz": "quiz-pack@1"}


def test_the_plan_follows_the_chosen_track_everywhere(client: Client, ada: User, sqlite_quiz_engine: Engine) -> None:
    practise_a_handful(sqlite_quiz_engine, ada)  # every session of the handful is a backend one
    assert client.get("/api/plan").json()["track"] == "backend"
    assert client.get("/api/plan?track=mobile").json()["track"] == "mobile"
    assert client.get("/history/plan.md?track=frontend").text.startswith("# Study plan (frontend)")
    html = client.get("/history?track=mobile").text
    plan = html.split(">Study plan</h2>")[1]
    assert '<option value="mobile" selected>' in plan and "For mobile" in plan
    assert 'href="/history/plan.md?track=mobile"' in plan
    refused = client.get("/api/plan?track=kotlin")
    assert refused.status_code == 400 and refused.json()["field"] == "track"


def test_text_from_content_is_escaped(client: Client, ada: User, sqlite_quiz_engine: Engine) -> None:
    practise(sqlite_quiz_engine, ada.id, "locks", {"<script>x</script>": 0.1}, datetime(2026, 1, 1, tzinfo=UTC))
    html = client.get("/history").text
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("live_coding", "/coding?problem=two-sum&track=backend&difficulty=senior#item-two-sum"),
        ("debugging", "/debugging?scenario=two-sum&track=backend&difficulty=senior#item-two-sum"),
        ("voice_screen", "/session?question=two-sum&track=backend&difficulty=senior#item-two-sum"),
        ("quiz", "/modules/quiz?item=two-sum&track=backend&difficulty=senior#item-two-sum"),
        ("pairing", ""),
    ],
)
def test_practice_links_into_the_app(module: str, expected: str, sqlite_url: str, quiz: Any) -> None:
    """Each module's link comes from its declared pages (the app's generic ones when it declares none);
    a module that is not installed has no link."""
    engine = Engine.create(sqlite_url, plugins=[quiz], migrate=True)
    try:
        site = site_modules(engine)
        resource = StudyResource(
            topic="caching", kind="practice", title="t", why="w", module=module, item_id="two-sum", difficulty="senior"
        )
        assert practice_link(resource, site.get(module), "backend", "mid") == expected
    finally:
        engine.close()

"""A module owns its pages: the test plugin (flash cards) gets a Start on the home page, a workspace, a rendered
summary and study-plan links through ``module_pages`` alone; a module that declares none gets the app's generic
pages; and the adapter names no module."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from interview_engine import Engine, ModulePages, PluginError, hookimpl
from interview_web import create_app
from interview_web.module_pages import site_modules
from interview_web.ratelimit import RateLimiter
from tests.analytics.analytics_quiz import Quiz, QuizPlugin
from tests.web.conftest import CSRF_FIELD, FLASHCARDS, Client, sign_up

ADAPTER = Path(__file__).parents[2] / "adapters" / "web" / "src" / "interview_web"
BUNDLED = ("voice_screen", "live_coding", '"debugging"', "'debugging'", '"/debugging', '"/coding', '"/session"')


def _start(client: Client, path: str, **fields: str) -> str:
    form = client.get(path)
    token = CSRF_FIELD.search(form.text)
    assert token, form.text
    started = client.post(f"{path}/start", data={"_csrf": token.group(1), **fields}, follow_redirects=False)
    assert started.status_code == 303, started.text
    return str(started.headers["location"])


def test_the_test_plugin_has_a_start_on_the_home_page_and_a_nav_entry(client: Client) -> None:
    sign_up(client, "cards@example.com")
    home = client.get("/").text
    assert 'formaction="/flashcards"' in home and "Start flash cards" in home
    assert '<a href="/flashcards">Flash cards</a>' in home
    # The bundled modules keep their places: phone screen, live coding, debugging, then the rest.
    nav = re.findall(r'<a href="(/[a-z]+)"(?: aria-current="page")?>', home.split('aria-label="Main"')[1])
    assert nav[:3] == ["/session", "/coding", "/debugging"] and nav[-1] == "/history" and "/flashcards" in nav


def test_flashcards_start_page_workspace_and_rendered_summary(client: Client) -> None:
    headers = {"X-CSRF-Token": sign_up(client, "cards@example.com")}
    picker = client.get("/flashcards?track=backend&difficulty=mid")
    assert picker.status_code == 200
    assert "Which HTTP methods are idempotent?" in picker.text and 'value="http-idempotent"' in picker.text
    workspace_url = _start(client, "/flashcards", track="backend", difficulty="mid", card="http-idempotent")
    assert re.fullmatch(r"/flashcards/[0-9a-f]{32}", workspace_url)
    workspace = client.get(workspace_url)
    assert workspace.status_code == 200
    assert "Which HTTP methods are idempotent?" in workspace.text
    assert '<script type="module" src="/static/modules/flashcards/flashcards.js">' in workspace.text
    script = client.get("/static/modules/flashcards/flashcards.js")
    assert script.status_code == 200 and 'from "/static/dist/kit/api.js"' in script.text

    session_id = workspace_url.rsplit("/", 1)[1]
    answered = client.post(
        f"/api/sessions/{session_id}/actions/answer", json={"payload": {"text": "get put delete"}}, headers=headers
    )
    assert answered.status_code in (200, 201), answered.text
    assert client.post(f"/api/sessions/{session_id}/end", headers=headers).status_code in (200, 201)
    # An ended session's workspace is its summary; the summary shows the module's own view, rendered.
    assert client.get(workspace_url, follow_redirects=False).headers["location"] == f"/summary/{session_id}"
    summary = client.get(f"/summary/{session_id}").text
    assert '<section id="flashcard-answers">' in summary
    assert "<td>get put delete</td><td>5.0 / 5</td>" in summary
    assert "<pre>{" not in summary and "&#34;answers&#34;" not in summary


def test_an_active_sessions_summary_links_back_to_its_workspace(client: Client) -> None:
    sign_up(client, "cards@example.com")
    workspace_url = _start(client, "/flashcards", track="backend", difficulty="mid", card="tcp-handshake")
    summary = client.get(f"/summary/{workspace_url.rsplit('/', 1)[1]}").text
    assert f'href="{workspace_url}">Resume the session</a>' in summary


def test_study_plan_links_open_the_exact_card(client: Client, web_engine: Engine) -> None:
    headers = {"X-CSRF-Token": sign_up(client, "cards@example.com")}
    workspace_url = _start(client, "/flashcards", track="backend", difficulty="mid", card="tcp-handshake")
    session_id = workspace_url.rsplit("/", 1)[1]
    client.post(f"/api/sessions/{session_id}/actions/answer", json={"payload": {"text": "no idea"}}, headers=headers)
    client.post(f"/api/sessions/{session_id}/end", headers=headers)
    plan = client.get("/history").text.split(">Study plan</h2>")[1]
    # The card not yet attempted of the weak topic (networking), linked to its own start page entry.
    link = "/flashcards?card=tcp-close&amp;track=backend&amp;difficulty=mid#item-tcp-close"
    assert f'href="{link}"' in plan
    # The link's page shows that card chosen, whatever track and level were picked before.
    opened = client.get("/flashcards?card=tcp-close&track=frontend&difficulty=senior").text
    assert 'class="card item selected" id="item-tcp-close"' in opened
    assert '<option value="backend" selected>' in opened


def test_a_wrong_session_or_module_is_a_404(client: Client) -> None:
    sign_up(client, "cards@example.com")
    assert client.get("/flashcards/no-such-session").status_code == 404
    workspace_url = _start(client, "/flashcards", track="backend", difficulty="mid", card="tcp-handshake")
    assert client.get(f"/coding/{workspace_url.rsplit('/', 1)[1]}").status_code == 404
    assert client.post("/flashcards/start", data={"card": "x"}).status_code == 403  # no CSRF token


class NestedQuiz(Quiz):
    """A quiz whose summary view nests lists and mappings, and which declares no pages."""

    def summarize(self, ctx: Any, session: Any, evaluation: Any) -> dict[str, Any]:
        return {"answers": [{"card_id": "c1", "score": 2.5}], "notes": ["first <b>bold</b>"], "late": False}


class NestedQuizPlugin(QuizPlugin):
    def __init__(self) -> None:
        super().__init__()
        self.quiz = NestedQuiz()


@pytest.fixture
def quiz_client(sqlite_url: str) -> Any:
    engine = Engine.create(sqlite_url, plugins=[NestedQuizPlugin()], load_entry_points=False, migrate=True)
    with TestClient(app=create_app(engine=engine, limiter=RateLimiter(100, 60))) as client:
        yield client
    engine.close()


def test_a_module_without_pages_gets_the_generic_ones(quiz_client: Client) -> None:
    sign_up(quiz_client, "quiz@example.com")
    assert 'formaction="/modules/quiz"' in quiz_client.get("/").text
    workspace_url = _start(quiz_client, "/modules/quiz", track="backend", difficulty="mid", item="locks")
    workspace = quiz_client.get(workspace_url)
    assert workspace.status_code == 200 and "<code>answer</code>" in workspace.text
    token = CSRF_FIELD.search(workspace.text)
    assert token
    session_id = workspace_url.rsplit("/", 1)[1]
    ended = quiz_client.post(f"/summary/{session_id}/end", data={"_csrf": token.group(1)}, follow_redirects=False)
    assert ended.status_code == 303 and ended.headers["location"] == f"/summary/{session_id}"
    summary = quiz_client.get(f"/summary/{session_id}").text
    details = summary.split("<h2>Details</h2>")[1]
    assert "<th>Card id</th><th>Score</th>" in details and "<td>2.50</td>" in details
    assert "<li>first &lt;b&gt;bold&lt;/b&gt;</li>" in details and "<dd>no</dd>" in details
    assert "<pre>{" not in summary


class ClaimsTwice:
    def __init__(self, pages: list[ModulePages]) -> None:
        self.pages = pages

    @hookimpl
    def module_pages(self) -> list[ModulePages]:
        return self.pages


@pytest.mark.parametrize(
    ("pages", "message"),
    [
        ([ModulePages(module="nobody", path="/nobody", nav="Nobody")], "no module 'nobody'"),
        ([ModulePages(module="flashcards", path="/cards", nav="Cards")], "'flashcards' has pages declared twice"),
        ([ModulePages(module="quiz", path="/flashcards", nav="Quiz")], "'/flashcards' is claimed by two modules"),
    ],
)
def test_a_bad_declaration_is_a_plugin_error_naming_it(
    pages: list[ModulePages], message: str, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(FLASHCARDS))
    engine = Engine.create(sqlite_url, plugins=[QuizPlugin(), ClaimsTwice(pages)], migrate=True)
    try:
        with pytest.raises(PluginError, match=re.escape(message)):
            site_modules(engine)
    finally:
        engine.close()


@pytest.mark.parametrize("path", ["coding", "/coding/", "/c/{id}", "/c?x=1"])
def test_a_module_path_is_checked(path: str) -> None:
    with pytest.raises(ValueError, match="ModulePages.path"):
        ModulePages(module="m", path=path, nav="M")


def test_the_adapter_names_no_module() -> None:
    """Every module reaches the web app through its declarations: no bundled one is named in the adapter."""
    found = []
    for file in sorted(ADAPTER.rglob("*")):
        if file.suffix not in (".py", ".html") or "dist" in file.parts:
            continue
        text = file.read_text()
        found += [f"{file.relative_to(ADAPTER)}: {name}" for name in BUNDLED if name in text]
    assert found == []


class QuizPages:
    """The quiz's pages: the app's generic ones, with a stylesheet of the plugin's own."""

    def __init__(self, static: Path) -> None:
        self.static = static

    @hookimpl
    def module_pages(self) -> list[ModulePages]:
        return [ModulePages(module="quiz", path="/quiz", nav="Quiz", static=self.static, styles=("quiz.css",))]


def _stylesheets(html: str) -> list[str]:
    return re.findall(r'<link rel="stylesheet" href="([^"]+)">', html.split("</head>")[0])


def test_a_modules_stylesheets_are_linked_on_its_pages_after_the_apps(sqlite_url: str, tmp_path: Path) -> None:
    static = tmp_path / "static"
    static.mkdir()
    (static / "quiz.css").write_text(".quiz-card { border-color: teal; }\n")
    plugins = [NestedQuizPlugin(), QuizPages(static)]
    engine = Engine.create(sqlite_url, plugins=plugins, load_entry_points=False, migrate=True)
    try:
        with TestClient(app=create_app(engine=engine, limiter=RateLimiter(100, 60))) as client:
            sign_up(client, "quiz@example.com")
            linked = ["/static/app.css", "/static/modules/quiz/quiz.css"]
            assert _stylesheets(client.get("/quiz").text) == linked  # the start page
            workspace_url = _start(client, "/quiz", track="backend", difficulty="mid", item="locks")
            assert _stylesheets(client.get(workspace_url).text) == linked
            session_id = workspace_url.rsplit("/", 1)[1]
            assert _stylesheets(client.get(f"/summary/{session_id}").text) == linked
            # Pages that are no module's link no module's stylesheet.
            assert _stylesheets(client.get("/").text) == ["/static/app.css"]
            assert not [href for href in _stylesheets(client.get("/history").text) if "/modules/" in href]
            served = client.get("/static/modules/quiz/quiz.css")
            assert served.status_code == 200 and served.headers["content-type"].startswith("text/css")
            assert ".quiz-card" in served.text
    finally:
        engine.close()


# Each bundled module's own classes, styled by its plugin's stylesheet and no longer by the app's.
OWN_STYLES = {
    "/session": ("/static/modules/voice_screen/screen.css", ("ol.chat", ".call-head", ".voice .state")),
    "/coding": ("/static/modules/live_coding/coding.css", ("details.custom", ".pane-head", ".load-error")),
    "/debugging": ("/static/modules/debugging/debugging.css", (".tabs",)),
}


def test_the_bundled_modules_style_their_own_classes(client: Client) -> None:
    sign_up(client, "styles@example.com")
    app_css = client.get("/static/app.css").text
    for path, (href, selectors) in OWN_STYLES.items():
        assert _stylesheets(client.get(path).text) == ["/static/app.css", href]
        served = client.get(href)
        assert served.status_code == 200 and served.headers["content-type"].startswith("text/css")
        for selector in selectors:
            assert selector in served.text and selector not in app_css, (path, selector)


@pytest.mark.parametrize(
    ("static", "styles", "message"),
    [
        (None, ("a.css",), "the stylesheets are files in static"),
        (Path("static"), ("../a.css",), "ModulePages.styles"),
        (Path("static"), ("/a.css",), "ModulePages.styles"),
        (Path("static"), ("a.js",), "ModulePages.styles"),
    ],
)
def test_module_styles_are_checked(static: Path | None, styles: tuple[str, ...], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        ModulePages(module="m", path="/m", nav="M", static=static, styles=styles)

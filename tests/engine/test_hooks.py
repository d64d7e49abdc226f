"""Every hook, exercised through a small inline plugin registered on a fresh plugin manager.

Each test is named after its hook: ``test_docs.py`` checks that every hook has one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from litestar import get
from litestar.testing import TestClient

from interview_engine import (
    AnswerScore,
    AnswerScoringRequest,
    Engine,
    Evaluation,
    InternalError,
    InvalidInput,
    ModulePages,
    NotFound,
    Session,
    StudyResource,
    hookimpl,
)
from interview_engine.plugins import make_plugin_manager
from interview_web import create_app
from tests.web.conftest import CSRF_FIELD, sign_up


@pytest.fixture
def engine(flashcards_installed: None, sqlite_url: str) -> Iterator[Engine]:
    found = Engine.create(sqlite_url, migrate=True)
    yield found
    found.close()


def _with(engine: Engine, plugin: object) -> Any:
    engine.pm.register(plugin)
    return plugin


def test_register_modules(engine: Engine) -> None:
    assert "flashcards" in engine.modules
    assert engine.modules["flashcards"].title == "Flash cards"


def test_default_module(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INTERVIEW_DEFAULT_MODULE", raising=False)
    # The phone-screen plugin names itself, trylast: the seed's default, with no module named by the engine.
    assert engine.default_module() == "voice_screen"

    class Team:
        @hookimpl
        def default_module(self) -> str:
            return "flashcards"

    plugin = _with(engine, Team())
    try:
        assert engine.default_module() == "flashcards"
        # The setting overrides every plugin; a module nobody installed is refused by name.
        monkeypatch.setenv("INTERVIEW_DEFAULT_MODULE", "live_coding")
        assert engine.default_module() == "live_coding"
        monkeypatch.setenv("INTERVIEW_DEFAULT_MODULE", "pairing")
        with pytest.raises(NotFound, match="no interview module 'pairing'"):
            engine.default_module()
    finally:
        engine.pm.unregister(plugin)


def test_default_module_without_an_answer(
    flashcards_installed: None, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INTERVIEW_DEFAULT_MODULE", raising=False)
    # Only the test plugin installed: its one module is the default; with two and no answer, the caller must say.
    import flashcards_plugin

    only = Engine.create(sqlite_url, plugins=[flashcards_plugin], load_entry_points=False, migrate=True)
    try:
        assert only.default_module() == "flashcards"
        only.modules["other"] = only.modules["flashcards"]
        with pytest.raises(InvalidInput, match=r"name the module \(installed: flashcards, other\)"):
            only.default_module()
    finally:
        only.close()


def test_code_runner(engine: Engine) -> None:
    class FakeRunner:
        pass

    runner = FakeRunner()

    class Team:
        @hookimpl
        def code_runner(self) -> object:
            return runner

    plugin = _with(engine, Team())
    try:
        assert engine.context.runner() is runner
    finally:
        engine.pm.unregister(plugin)


def test_code_runner_missing_is_an_internal_error(sqlite_url: str) -> None:
    engine = Engine.create(sqlite_url, load_entry_points=False, migrate=True)
    with pytest.raises(InternalError, match="no code runner"):
        engine.context.runner()


def test_answer_scorer(engine: Engine) -> None:
    class Grader:
        @hookimpl
        def answer_scorer(self, request: AnswerScoringRequest) -> AnswerScore | None:
            return AnswerScore(score=1.5, scorer="team") if request.kind == "flashcard" else None

    plugin = _with(engine, Grader())
    try:
        user = engine.store.ensure_user("a@example.com")
        session = engine.start_session(user_id=user.id, module="flashcards", track="backend", difficulty="mid")
        # The team's grader overrides the plugin's trylast default.
        assert engine.act(session.id, "answer", {"text": "syn syn-ack ack"}).data == {"score": 1.5}
    finally:
        engine.pm.unregister(plugin)


def test_scoring_request(engine: Engine) -> None:
    # Each bundled module builds the request for its own kind, as a session would.
    request = engine.hooks.scoring_request(kind="screen_answer", item_id="be-db-01", text="t", location="")
    assert request.kind == "screen_answer" and request.context["itemId"] == "be-db-01" and request.key_points
    request = engine.hooks.scoring_request(
        kind="debug_diagnosis", item_id="be-mid-invoice-split", text="t", location="billing.py:19"
    )
    assert request.kind == "debug_diagnosis" and request.context["location"] == "billing.py:19"
    assert engine.hooks.scoring_request(kind="nonsense", item_id="x", text="t", location="") is None
    with pytest.raises(NotFound):
        engine.hooks.scoring_request(kind="coding_narration", item_id="no-such-problem", text="t", location="")

    class Deck:
        @hookimpl
        def scoring_request(self, kind: str, item_id: str, text: str, location: str) -> AnswerScoringRequest | None:
            return AnswerScoringRequest(kind=kind, text=text, prompt=item_id) if kind == "flashcard" else None

    plugin = _with(engine, Deck())
    try:
        found = engine.hooks.scoring_request(kind="flashcard", item_id="tcp", text="syn", location="")
        assert found == AnswerScoringRequest(kind="flashcard", text="syn", prompt="tcp")
    finally:
        engine.pm.unregister(plugin)


def test_study_resources(engine: Engine) -> None:
    found = [r for rs in engine.hooks.study_resources(topic="networking", track="backend") for r in rs]
    assert (
        StudyResource(
            topic="networking",
            kind="practice",
            title="What are the three steps of the TCP handshake?",
            why="a card of this topic",
            module="flashcards",
            item_id="tcp-handshake",
        )
        in found
    )


def test_on_session_ended(engine: Engine) -> None:
    seen: list[tuple[str, float | None]] = []

    class Listener:
        @hookimpl
        def on_session_ended(self, session: Session, evaluation: Evaluation | None) -> None:
            seen.append((session.status.value, evaluation.weighted_average if evaluation else None))

    plugin = _with(engine, Listener())
    try:
        user = engine.store.ensure_user("a@example.com")
        session = engine.start_session(user_id=user.id, module="flashcards", track="backend", difficulty="mid")
        engine.act(session.id, "answer", {"text": "syn syn-ack ack"})
        engine.end_session(session.id)
        engine.end_session(session.id)  # a second end is not a second event
        assert seen == [("evaluated", 5.0)]
    finally:
        engine.pm.unregister(plugin)


def test_on_session_deleted(engine: Engine) -> None:
    deleted: list[str] = []

    class Listener:
        @hookimpl
        def on_session_deleted(self, session: Session) -> None:
            deleted.append(session.id)

    plugin = _with(engine, Listener())
    try:
        user = engine.store.ensure_user("a@example.com")
        session = engine.start_session(user_id=user.id, module="flashcards", track="backend", difficulty="mid")
        engine.delete_session(session.id)
        assert deleted == [session.id]
    finally:
        engine.pm.unregister(plugin)


def test_web_routes(engine: Engine) -> None:
    @get("/flashcards/ping", sync_to_thread=False)
    def ping() -> dict[str, str]:
        return {"pong": "yes"}

    seen: list[Engine] = []

    class Routes:
        @hookimpl
        def web_routes(self, engine: Engine) -> list[Any]:
            seen.append(engine)
            return [ping]

    plugin = _with(engine, Routes())
    try:
        with TestClient(app=create_app(engine=engine)) as client:
            assert client.get("/flashcards/ping").json() == {"pong": "yes"}
        assert seen == [engine]
    finally:
        engine.pm.unregister(plugin)


def test_module_pages(flashcards_installed: None, sqlite_url: str, tmp_path: Path) -> None:
    from flashcards_plugin import Flashcards

    class Recall(Flashcards):
        name = "recall"
        title = "Recall"

    (tmp_path / "templates").mkdir()
    (tmp_path / "static").mkdir()
    (tmp_path / "templates" / "workspace.html").write_text(
        '{% extends "base.html" %}{% block main %}<p id="recall">{{ card }} of {{ session.id }}</p>{% endblock %}'
    )
    (tmp_path / "static" / "recall.js").write_text("export const recall = 1;")

    class Pages:
        @hookimpl
        def register_modules(self) -> list[Any]:
            return [Recall()]

        @hookimpl
        def module_pages(self) -> list[ModulePages]:
            return [
                ModulePages(
                    module="recall",
                    path="/recall",
                    nav="Recall",
                    templates=tmp_path / "templates",
                    static=tmp_path / "static",
                    option="card",
                    workspace=lambda engine, session: {"card": session.item_id},
                )
            ]

    engine = Engine.create(sqlite_url, plugins=[Pages()], migrate=True)
    try:
        with TestClient(app=create_app(engine=engine)) as client:
            sign_up(client, "recall@example.com")
            start = client.get("/recall?track=backend&difficulty=mid")
            assert start.status_code == 200 and "What are the three steps of the TCP handshake?" in start.text
            assert '<a href="/recall" aria-current="page">Recall</a>' in start.text
            token = CSRF_FIELD.search(start.text)
            assert token
            fields = {"_csrf": token.group(1), "track": "backend", "difficulty": "mid", "item": "http-idempotent"}
            opened = client.post("/recall/start", data=fields)
            assert opened.status_code == 200 and '<p id="recall">http-idempotent of ' in opened.text
            assert client.get("/static/modules/recall/recall.js").text == "export const recall = 1;"
    finally:
        engine.close()


def test_cli_commands(flashcards_installed: None) -> None:
    @click.command("cards")
    def cards() -> None:
        click.echo("two cards")

    class Commands:
        @hookimpl
        def cli_commands(self) -> list[Any]:
            return [cards]

    pm = make_plugin_manager(plugins=[Commands()])
    commands = [c for cs in pm.hook.cli_commands() for c in cs]
    assert cards in commands


def test_a_misspelt_hook_fails_loudly() -> None:
    from pluggy import PluginValidationError

    class Typo:
        @hookimpl
        def register_module(self) -> list[Any]:  # missing "s"
            return []

    with pytest.raises(PluginValidationError):
        make_plugin_manager(load_entry_points=False, plugins=[Typo()])

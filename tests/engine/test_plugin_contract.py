"""The proof of the plugin contract: a third-party interview type, installed as an entry point,
runs a whole session through the engine with zero changes to core."""

from __future__ import annotations

import ast
from pathlib import Path

import interview_engine
from interview_engine import Decision, Engine, SessionStatus
from interview_engine.plugins import loaded_plugins, make_plugin_manager


def test_entry_point_plugin_is_loaded_like_the_bundled_ones(flashcards_installed: None) -> None:
    pm = make_plugin_manager()
    plugins = {p.name: p for p in loaded_plugins(pm)}
    assert plugins["flashcards"].distribution == "flashcards-plugin"
    assert plugins["flashcards"].version == "1.0"
    assert plugins["flashcards"].modules == ("flashcards",)
    for bundled in ("voice_screen", "live_coding", "debugging", "sandbox"):
        assert plugins[bundled].distribution is not None, bundled


def test_a_new_interview_type_runs_a_whole_session(flashcards_engine: Engine) -> None:
    engine = flashcards_engine
    user = engine.store.ensure_user("grace@example.com")
    session = engine.start_session(
        user_id=user.id, module="flashcards", track="backend", difficulty="mid", options={"card": "tcp-handshake"}
    )
    assert session.status is SessionStatus.ACTIVE
    assert session.kb_version == "flashcards@2026.1"

    result = engine.act(session.id, "answer", {"text": "syn, syn-ack, ack"})
    assert result.data == {"score": 5.0}

    ended = engine.end_session(session.id)
    assert ended.status is SessionStatus.EVALUATED
    summary = engine.summary(session.id, user_id=user.id)
    assert summary.evaluation is not None
    assert summary.evaluation.decision is Decision.ADVANCE
    assert summary.evaluation.weighted_average == 5.0
    assert summary.view["transcript"] == ["What are the three steps of the TCP handshake?", "syn, syn-ack, ack"]
    assert [t.topic for t in summary.evaluation.topics] == ["networking"]

    engine.delete_session(session.id, user_id=user.id)
    assert engine.list_sessions(user_id=user.id) == []


def test_weak_answer_is_held(flashcards_engine: Engine) -> None:
    engine = flashcards_engine
    user = engine.store.ensure_user("linus@example.com")
    session = engine.start_session(user_id=user.id, module="flashcards", track="backend", difficulty="mid")
    engine.act(session.id, "answer", {"text": "no idea"})
    engine.end_session(session.id)
    evaluation = engine.summary(session.id).evaluation
    assert evaluation is not None
    assert evaluation.decision is Decision.HOLD
    assert "recall" in evaluation.gaps
    assert evaluation.next_steps == ("Review the cards you missed.",)


def _code_strings(tree: ast.AST) -> list[str]:
    """Every string constant of a module's code, its docstrings left out."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_the_engine_names_no_module_in_its_code() -> None:
    """The engine's code (not its docs) knows no bundled module: defaults come from plugins and settings.

    Migrations are history, not code that runs per request: 0008 moved the rows of the tables the bundled
    modules once had in the core into their module records, and names them to do it.
    """
    engine_src = Path(interview_engine.__file__).parent
    found = [
        f"{path.relative_to(engine_src)}: {text!r}"
        for path in sorted(engine_src.rglob("*.py"))
        if "migrations" not in path.parts
        for text in _code_strings(ast.parse(path.read_text()))
        if any(name in text for name in ("voice_screen", "live_coding", "debugging", "phone screen"))
    ]
    assert found == []

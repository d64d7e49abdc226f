"""Actions declared as data: the engine validates payloads and results, adapters read the declarations."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from attrs import evolve, field, frozen
from attrs.validators import instance_of, max_len
from hypothesis import given, settings
from hypothesis import strategies as st

from interview_engine import (
    Action,
    ActionResult,
    Caller,
    Conflict,
    ContentCheck,
    Cost,
    Difficulty,
    Engine,
    Evaluation,
    InternalError,
    InvalidInput,
    Item,
    ModuleContext,
    PackInfo,
    PluginError,
    Session,
    Track,
    hookimpl,
)
from interview_engine.actions import declared_actions, validate_payload


@frozen
class Note:
    text: str = field(validator=[instance_of(str), max_len(10)])
    stars: int = 0


@frozen
class Echoed:
    text: str


class Echo:
    name = "echo"
    title = "Echo"
    description = "Says it back."
    actions = (
        Action("say", payload=Note, result=Echoed, description="Say something short."),
        Action("broken", payload=Note, result=Echoed),
        Action("run", payload=Note, cost=Cost.SANDBOX),
        Action("ingest", callers=Caller.SERVICE),
        "free",
    )

    def pack_info(self) -> PackInfo:
        return PackInfo(module=self.name, name="echo", version="1")

    def rubric(self, track: Track, difficulty: Difficulty) -> Any:
        raise NotImplementedError

    def items(self, track: Track | None = None, difficulty: Difficulty | None = None) -> list[Item]:
        return []

    def start(self, ctx: ModuleContext, session: Session, options: Mapping[str, Any]) -> Session:
        return evolve(session, state={"seen": []})

    def act(self, ctx: ModuleContext, session: Session, action: str, payload: Mapping[str, Any]) -> ActionResult:
        seen = [*session.state["seen"], dict(payload)]
        session = evolve(session, state={"seen": seen})
        if action == "broken":
            return ActionResult(session, {"text": payload["text"], "extra": 1})
        return ActionResult(session, {"text": str(payload.get("text", ""))})

    def evaluate(self, ctx: ModuleContext, session: Session) -> Evaluation:
        raise NotImplementedError

    def summarize(self, ctx: ModuleContext, session: Session, evaluation: Evaluation | None) -> dict[str, Any]:
        return {}

    def validate_content(self, ctx: ModuleContext) -> list[ContentCheck]:
        return []


class EchoPlugin:
    @hookimpl
    def register_modules(self) -> list[Any]:
        return [Echo()]


@pytest.fixture
def echo(sqlite_url: str) -> Iterator[tuple[Engine, str]]:
    engine = Engine.create(sqlite_url, plugins=[EchoPlugin()], load_entry_points=False, migrate=True)
    user = engine.store.ensure_user("ada@example.com")
    session = engine.start_session(user_id=user.id, module="echo", track="backend", difficulty="mid")
    yield engine, session.id
    engine.close()


def test_a_valid_payload_reaches_the_module_structured_with_its_defaults(echo: tuple[Engine, str]) -> None:
    engine, sid = echo
    result = engine.act(sid, "say", {"text": "hi"})
    assert result.data == {"text": "hi"}
    assert engine.get_session(sid).state["seen"] == [{"text": "hi", "stars": 0}]


@pytest.mark.parametrize(
    ("payload", "field_name", "says"),
    [
        ({"text": "x" * 11}, "text", "$.text"),
        ({}, "text", "$.text"),
        ({"text": "hi", "stars": "many"}, "stars", "$.stars"),
        ({"text": "hi", "sneaky": 1}, None, "sneaky"),
    ],
)
def test_a_bad_payload_is_refused_naming_the_field_and_the_module_never_sees_it(
    echo: tuple[Engine, str], payload: dict[str, Any], field_name: str | None, says: str
) -> None:
    engine, sid = echo
    with pytest.raises(InvalidInput) as raised:
        engine.act(sid, "say", payload)
    assert says in raised.value.message
    if field_name:
        assert raised.value.field == field_name
    assert engine.get_session(sid).state["seen"] == []


def test_a_result_its_declaration_refuses_is_the_modules_bug_and_stores_nothing(echo: tuple[Engine, str]) -> None:
    engine, sid = echo
    with pytest.raises(InternalError, match=r"echo\.broken returned a result"):
        engine.act(sid, "broken", {"text": "hi"})
    assert engine.get_session(sid).state["seen"] == []


def test_plain_names_pass_the_payload_as_sent(echo: tuple[Engine, str]) -> None:
    engine, sid = echo
    engine.act(sid, "free", {"anything": [1, 2]})
    assert engine.get_session(sid).state["seen"] == [{"anything": [1, 2]}]
    assert engine.action("echo", "free") == Action.untyped("free")


def test_the_declarations_are_enumerable(echo: tuple[Engine, str]) -> None:
    engine, _ = echo
    declared = {a.name: a for a in engine.actions("echo")}
    assert list(declared) == ["say", "broken", "run", "ingest", "free"]
    assert declared["run"].cost is Cost.SANDBOX and declared["say"].cost is Cost.CHEAP
    assert declared["ingest"].callers is Caller.SERVICE
    with pytest.raises(InvalidInput, match="no action 'fly'"):
        engine.action("echo", "fly")


def test_a_module_declaring_an_action_twice_fails_loudly() -> None:
    with pytest.raises(PluginError, match="twice"):
        declared_actions("echo", ["say", Action("say")])
    with pytest.raises(ValueError, match=r"Action\.name"):
        Action("no spaces allowed")
    with pytest.raises(ValueError, match="attrs classes"):
        Action("say", payload=dict)


def test_the_bundled_sandbox_actions_are_declared_as_such(sqlite_engine: Engine) -> None:
    sandbox = {
        (module, a.name)
        for module in sqlite_engine.modules
        for a in sqlite_engine.actions(module)
        if a.cost is Cost.SANDBOX
    }
    assert {("live_coding", "run"), ("live_coding", "run_custom"), ("live_coding", "submit")} <= sandbox
    assert {("debugging", "run"), ("debugging", "submit")} <= sandbox
    assert ("debugging", "hint") not in sandbox


@settings(max_examples=80, deadline=None)
@given(text=st.text(st.characters(exclude_characters="\x00"), max_size=20), stars=st.integers())  # NUL: below
def test_validation_accepts_exactly_what_the_caps_allow(text: str, stars: int) -> None:
    action = Action("say", payload=Note)
    if len(text) <= 10:
        assert validate_payload(action, {"text": text, "stars": stars}) == {"text": text, "stars": stars}
    else:
        with pytest.raises(InvalidInput) as raised:
            validate_payload(action, {"text": text, "stars": stars})
        assert raised.value.field == "text"


_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()), max_size=8)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=12,
)


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def _lone_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(char) <= 0xDFFF for char in text)


@settings(max_examples=80, deadline=None)
@given(value=_JSON)
def test_text_that_is_not_unicode_is_refused_naming_the_field_wherever_it_is(value: Any) -> None:
    """A lone surrogate ("\\ud800" in JSON, bytes not UTF-8 in argv) or a NUL cannot reach a sandbox or the database."""
    payload = {"anything": value}
    if any("\x00" in text or not text.isascii() and _lone_surrogate(text) for text in _texts(payload)):
        with pytest.raises(InvalidInput) as raised:
            validate_payload(Action.untyped("free"), payload)
        assert raised.value.field is not None  # the innermost key holding the text
        assert raised.value.message.startswith("$.anything") and ": is not valid text" in raised.value.message
    else:
        assert validate_payload(Action.untyped("free"), payload) == payload


def test_a_lone_surrogate_in_a_typed_field_is_refused_before_the_module(echo: tuple[Engine, str]) -> None:
    engine, sid = echo
    with pytest.raises(InvalidInput, match="is not valid text") as raised:
        engine.act(sid, "say", {"text": "a\udcff"})
    assert raised.value.field == "text"
    assert engine.get_session(sid).state["seen"] == []


@pytest.mark.parametrize("text", ["tcp \x00 handshake", "a\udcff"])
def test_text_no_database_can_store_is_refused_on_both(database_url: str, text: str) -> None:
    """A NUL was a DataError (a 500) on PostgreSQL, which stores none in text or jsonb; SQLite took it."""
    engine = Engine.create(database_url, plugins=[EchoPlugin()], load_entry_points=False, migrate=True)
    try:
        user = engine.store.ensure_user("ada@example.com")
        sid = engine.start_session(user_id=user.id, module="echo", track="backend", difficulty="mid").id
        for action, payload in (("say", {"text": text}), ("free", {"notes": [{"line": text}]})):
            with pytest.raises(InvalidInput, match="is not valid text") as raised:
                engine.act(sid, action, payload)
            assert raised.value.field == ("text" if action == "say" else "line")
        assert engine.get_session(sid).state["seen"] == []
    finally:
        engine.close()


def test_actions_of_one_session_at_once_each_store_or_get_a_conflict(database_url: str) -> None:
    """Four actions of one session at once: each that answered is stored, each other one is a Conflict (409)."""
    engine = Engine.create(database_url, plugins=[EchoPlugin()], load_entry_points=False, migrate=True)
    try:
        user = engine.store.ensure_user("ada@example.com")
        sid = engine.start_session(user_id=user.id, module="echo", track="backend", difficulty="mid").id
        answered: list[str] = []
        refused: list[str] = []
        other: list[BaseException] = []

        def say(text: str) -> None:
            try:
                engine.act(sid, "say", {"text": text})
                answered.append(text)
            except Conflict:
                refused.append(text)
            except BaseException as exc:  # noqa: BLE001 - anything else is the failure this test looks for
                other.append(exc)

        for round_ in range(6):
            threads = [threading.Thread(target=say, args=(f"r{round_}t{k}",)) for k in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        assert other == []
        stored = [seen["text"] for seen in engine.get_session(sid).state["seen"]]
        assert sorted(stored) == sorted(answered)  # no answer lost, none stored twice
        assert len(answered) + len(refused) == 24 and len(answered) >= 6  # each round, one wins at least
    finally:
        engine.close()

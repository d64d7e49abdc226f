"""One transaction per engine operation, versioned sessions, and migrating as an explicit, locked step."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from attrs import evolve
from sqlalchemy import create_engine, inspect, text

from interview_engine import (
    ActionResult,
    ContentCheck,
    Difficulty,
    Engine,
    Evaluation,
    Item,
    ModuleContext,
    PackInfo,
    Session,
    Store,
    Submission,
    Track,
    TranscriptSegment,
    hookimpl,
    new_id,
    rubric_from_data,
)
from interview_engine.errors import Conflict
from interview_engine.storage.database import head_revisions

RUBRIC = rubric_from_data(
    {"name": "tally", "version": "1", "pass_threshold": 3.0, "dimensions": [{"name": "work", "weight": 1.0}]},
    source="tally rubric",
)


class Tally:
    """A module whose ``submit`` stores a submission and counts it in the session state.

    ``gate`` holds every submit after the engine has read the session, so two submits overlap for sure.
    """

    name = "tally"
    title = "Tally"
    description = "Counts submissions."
    actions = ("submit", "fail", "say")

    def __init__(self) -> None:
        self.gate: threading.Barrier | None = None

    def pack_info(self) -> PackInfo:
        return PackInfo(module=self.name, name="tally", version="1")

    def rubric(self, track: Track, difficulty: Difficulty) -> Any:
        return RUBRIC

    def items(self, track: Track | None = None, difficulty: Difficulty | None = None) -> list[Item]:
        return []

    def start(self, ctx: ModuleContext, session: Session, options: Mapping[str, Any]) -> Session:
        if options.get("break"):
            ctx.store.add_submission(Submission(new_id(), session.id, "submit", {}))
            raise ValueError("Tally.start: broken on purpose")
        return evolve(session, state={"submissions": 0})

    def act(self, ctx: ModuleContext, session: Session, action: str, payload: Mapping[str, Any]) -> ActionResult:
        if self.gate is not None:
            self.gate.wait(timeout=10)
        count = int(session.state["submissions"]) + 1
        if action == "say":  # a transcript line keyed by its turn: two turns at once want the same key
            ctx.store.add_transcript([TranscriptSegment(session.id, count, "candidate", "hi", key=f"turn{count}")])
            return ActionResult(evolve(session, state={"submissions": count}), {"count": count})
        ctx.store.add_submission(Submission(new_id(), session.id, "submit", {"a.py": str(payload.get("n", ""))}))
        if action == "fail":
            raise RuntimeError("the module broke after storing a submission")
        return ActionResult(evolve(session, state={"submissions": count}), {"count": count})

    def evaluate(self, ctx: ModuleContext, session: Session) -> Evaluation:
        raise NotImplementedError

    def summarize(self, ctx: ModuleContext, session: Session, evaluation: Evaluation | None) -> dict[str, Any]:
        return {}

    def validate_content(self, ctx: ModuleContext) -> list[ContentCheck]:
        return []


class TallyPlugin:
    def __init__(self) -> None:
        self.module = Tally()

    @hookimpl
    def register_modules(self) -> list[Any]:
        return [self.module]


@pytest.fixture
def tally(database_url: str) -> Iterator[tuple[Engine, Tally]]:
    plugin = TallyPlugin()
    engine = Engine.create(database_url, plugins=[plugin], load_entry_points=False, migrate=True)
    yield engine, plugin.module
    engine.close()


def _session(engine: Engine, **options: Any) -> Session:
    user = engine.store.ensure_user("ada@example.com")
    return engine.start_session(user_id=user.id, module="tally", track="backend", difficulty="mid", options=options)


def test_two_concurrent_submits_of_one_session_lose_no_update(tally: tuple[Engine, Tally]) -> None:
    engine, module = tally
    session = _session(engine)
    module.gate = threading.Barrier(2)

    def submit(n: int) -> str:
        try:
            engine.act(session.id, "submit", {"n": n})
            return "ok"
        except Conflict as exc:
            assert "changed meanwhile" in exc.message
            return "conflict"

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(submit, [1, 2]))
    stored = engine.get_session(session.id)
    # Exactly one wins; the other is refused whole: its submission is not stored either.
    assert outcomes == ["conflict", "ok"]
    assert stored.state["submissions"] == 1
    assert len(engine.store.submissions(session.id)) == 1
    module.gate = None
    engine.act(session.id, "submit", {"n": 3})  # after a reload the next submit counts on
    assert engine.get_session(session.id).state["submissions"] == 2
    assert len(engine.store.submissions(session.id)) == 2


def test_two_turns_at_once_wanting_one_unique_key_are_a_conflict_not_an_error(tally: tuple[Engine, Tally]) -> None:
    engine, module = tally
    session = _session(engine)
    module.gate = threading.Barrier(2)

    def say() -> str:
        try:
            engine.act(session.id, "say", {})
            return "ok"
        except Conflict as exc:
            assert exc.field == "session_id" and "changed meanwhile; reload" in exc.message
            return "conflict"

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(lambda _: say(), range(2)))
    assert outcomes == ["conflict", "ok"]
    assert [s.key for s in engine.store.transcript(session.id)] == ["turn1"]
    assert engine.get_session(session.id).state["submissions"] == 1


def test_an_action_that_fails_leaves_nothing_behind(tally: tuple[Engine, Tally]) -> None:
    engine, _ = tally
    session = _session(engine)
    with pytest.raises(RuntimeError):
        engine.act(session.id, "fail", {})
    assert engine.store.submissions(session.id) == []
    assert engine.get_session(session.id).version == session.version


def test_a_start_that_fails_stores_no_session(tally: tuple[Engine, Tally]) -> None:
    engine, _ = tally
    with pytest.raises(ValueError, match="broken on purpose"):
        _session(engine, **{"break": True})
    assert engine.list_sessions() == []


def test_saving_a_stale_session_is_a_conflict(tally: tuple[Engine, Tally]) -> None:
    engine, _ = tally
    session = _session(engine)
    newer = engine.store.save_session(evolve(session, state={"submissions": 5}))
    assert newer.version == session.version + 1
    with pytest.raises(Conflict, match="changed meanwhile"):
        engine.store.save_session(evolve(session, state={"submissions": 1}))
    assert engine.get_session(session.id).state["submissions"] == 5


def test_opening_a_store_does_not_migrate(sqlite_url: str) -> None:
    store = Store(sqlite_url)
    try:
        assert not store.is_current()
        probe = create_engine(sqlite_url)
        assert "sessions" not in inspect(probe).get_table_names()
        probe.dispose()
        store.ensure_current()
        assert store.is_current()
    finally:
        store.close()


def test_processes_starting_together_on_a_fresh_postgresql_migrate_once(postgres_url: str) -> None:
    """Eight servers starting at once on an empty schema: every one starts, the schema is made once."""
    starting = threading.Barrier(8)

    def start() -> bool:
        starting.wait(timeout=30)
        store = Store(postgres_url, migrate=True)
        try:
            return store.is_current()
        finally:
            store.close()

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(lambda _: start(), range(8))) == [True] * 8
    probe = create_engine(postgres_url)
    assert "sessions" in inspect(probe).get_table_names()
    probe.dispose()


def test_interview_processes_starting_together_on_a_fresh_postgresql_migrate_once(postgres_url: str) -> None:
    """Real processes, as on machines started together: four ``interview db upgrade`` (the explicit step
    ``make run`` and ``serve`` take) and two ``interview serve`` start-ups, at once, on an empty schema."""
    interview = os.path.join(os.path.dirname(sys.executable), "interview")
    env = dict(os.environ, INTERVIEW_DATABASE_URL=postgres_url)
    serve_start = "from interview_engine import Engine; Engine.create(migrate=True).close()"  # what serve runs first
    commands = [[interview, "db", "upgrade"]] * 4 + [[sys.executable, "-c", serve_start]] * 2
    procs = [subprocess.Popen(c, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands]
    outcomes = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in procs]
    for proc in procs:
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert [code for code, _ in outcomes] == [0] * 6, outcomes
    assert not any("UniqueViolation" in err or "Traceback" in err for _, err in outcomes)
    probe = create_engine(postgres_url)
    try:
        with probe.connect() as conn:
            versions = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
        assert versions == set(head_revisions())
        assert "sessions" in inspect(probe).get_table_names()
    finally:
        probe.dispose()

"""Storage on SQLite and the real PostgreSQL: every test here runs on both."""

from __future__ import annotations

from datetime import timedelta

import pytest
from attrs import evolve
from sqlalchemy import create_engine, inspect

from interview_debugging.records import (
    DEBUG_EVALUATIONS,
    DEBUG_SESSIONS,
    DebugEvaluation,
    DebugSessionRecord,
)
from interview_engine import (
    Conflict,
    ContentSnapshot,
    Decision,
    Difficulty,
    Evaluation,
    Evidence,
    NotFound,
    Session,
    Store,
    Submission,
    TestRun,
    TopicScore,
    Track,
    TranscriptSegment,
    new_id,
    utcnow,
)
from interview_engine.jobs import GradingJob
from interview_engine.records import RecordKind
from interview_live_coding.records import CODING_SESSIONS, CodingSessionRecord

TABLES = {
    "users",
    "sessions",
    "transcripts",
    "evaluations",
    "question_sets",
    "coding_sets",
    "submissions",
    "test_runs",
    "bug_scenarios",
    "study_catalogs",
    # The modules' private records (coding_sessions, debug_sessions, debug_evaluations until 0008) and the
    # snapshots of kinds a module names.
    "module_records",
    "content_snapshots",
}


def _session(store: Store, user_id: str, **changes: object) -> Session:
    session = Session(
        id=new_id(),
        user_id=user_id,
        module="live_coding",
        track=Track.BACKEND,
        difficulty=Difficulty.SENIOR,
        kb_version="pack@1",
        **changes,  # type: ignore[arg-type]
    )
    return store.add_session(session)


def _fill(store: Store, session: Session) -> None:
    """One row in every session-owned table."""
    store.add_transcript([TranscriptSegment(session.id, 0, "interviewer", "Hello", key="t0")])
    store.save_evaluation(
        Evaluation(
            session_id=session.id,
            rubric="r@1",
            scores={"a": 4.0},
            weighted_average=4.0,
            decision=Decision.ADVANCE,
            evidence=[Evidence("a", "said the right thing", source="answer 1")],
            topics=[TopicScore("caching", 0.8, "q1")],
        )
    )
    submission = Submission(id=new_id(), session_id=session.id, kind="submit", files={"solution.py": "x = 1"})
    store.add_submission(
        submission,
        [TestRun(submission.id, session.id, "basic-1", "basic", True, "passed", fuel_used=12_000_000_000)],
    )
    CODING_SESSIONS.save(store, session.id, CodingSessionRecord(session.id, "p1", 1800, utcnow()))
    DEBUG_SESSIONS.save(store, session.id, DebugSessionRecord(session.id, "s1", utcnow(), hints_revealed=1))
    DEBUG_EVALUATIONS.save(store, session.id, DebugEvaluation(session.id, "fixed", diagnosis={"location": True}))
    store.jobs.add(
        GradingJob(new_id(), session.id, session.user_id, "live_coding", "submit", {}, submission.id, "d" * 64)
    )


def test_migrations_create_every_table(database_url: str) -> None:
    store = Store(database_url, migrate=True)
    engine = create_engine(database_url)
    assert set(inspect(engine).get_table_names()) >= TABLES
    engine.dispose()
    Store(database_url, migrate=True).close()  # migrating again is harmless
    store.close()


def test_users_are_unique_by_email(store: Store) -> None:
    user = store.create_user("Ada@Example.com", display_name="Ada")
    assert store.find_user("ada@example.com") == user
    assert store.ensure_user("ada@example.com") == user
    with pytest.raises(Conflict) as caught:
        store.create_user("ada@example.com")
    assert caught.value.field == "email"


def test_sessions_round_trip_with_their_state(store: Store) -> None:
    user = store.ensure_user("a@example.com")
    session = _session(store, user.id, state={"nested": {"list": [1, 2]}}, time_limit_s=1800)
    loaded = store.get_session(session.id)
    assert loaded == session
    assert loaded.created_at.tzinfo is not None


def test_sessions_are_listed_newest_first_per_user(store: Store) -> None:
    ada = store.ensure_user("ada@example.com")
    bob = store.ensure_user("bob@example.com")
    now = utcnow()
    old = _session(store, ada.id, created_at=now - timedelta(days=2))
    new = _session(store, ada.id, created_at=now)
    _session(store, bob.id)
    assert [s.id for s in store.list_sessions(user_id=ada.id)] == [new.id, old.id]
    assert [s.id for s in store.list_sessions(user_id=ada.id, limit=1)] == [new.id]


def test_transcript_ingestion_is_idempotent(store: Store) -> None:
    user = store.ensure_user("a@example.com")
    session = _session(store, user.id)
    segments = [TranscriptSegment(session.id, i, "candidate", f"turn {i}", key=f"k{i}") for i in range(3)]
    assert store.add_transcript(segments) == 3
    assert store.add_transcript(segments + segments) == 0
    assert [s.text for s in store.transcript(session.id)] == ["turn 0", "turn 1", "turn 2"]


def test_evaluations_round_trip_and_are_replaced(store: Store) -> None:
    user = store.ensure_user("a@example.com")
    session = _session(store, user.id)
    _fill(store, session)
    first = store.get_evaluation(session.id)
    assert first is not None
    assert first.evidence == (Evidence("a", "said the right thing", source="answer 1"),)
    assert first.topics == (TopicScore("caching", 0.8, "q1"),)
    replaced = Evaluation(
        session_id=session.id, rubric="r@2", scores={"a": 2.0}, weighted_average=2.0, decision=Decision.HOLD
    )
    store.save_evaluation(replaced)
    assert store.get_evaluation(session.id) == replaced
    assert store.evaluations_for([session.id]) == {session.id: replaced}


def test_submissions_keep_their_test_runs(store: Store) -> None:
    user = store.ensure_user("a@example.com")
    session = _session(store, user.id)
    _fill(store, session)
    (submission,) = store.submissions(session.id)
    (run,) = store.test_runs(submission.id)
    assert run.fuel_used == 12_000_000_000
    assert run.passed


def test_module_detail_rows_round_trip(store: Store) -> None:
    user = store.ensure_user("a@example.com")
    session = _session(store, user.id)
    _fill(store, session)
    coding = CODING_SESSIONS.get(store, session.id)
    assert coding is not None and coding.problem_id == "p1" and coding.started_at.tzinfo is not None
    debug = DEBUG_SESSIONS.get(store, session.id)
    assert debug is not None and debug.hints_revealed == 1
    verdict = DEBUG_EVALUATIONS.get(store, session.id)
    assert verdict is not None and verdict.diagnosis == {"location": True}
    # A record is the module's own: another module's kind of the same name is another record.
    assert RecordKind("flashcards", "coding_sessions", CodingSessionRecord).get(store, session.id) is None
    CODING_SESSIONS.save(store, session.id, evolve(coding, runs=3))
    assert CODING_SESSIONS.get(store, session.id) == evolve(coding, runs=3)


def test_snapshot_kinds_are_open(store: Store) -> None:
    """A module can snapshot its own content, of a kind the core has never heard of."""
    snapshot = ContentSnapshot(kind="flashcard_decks", key="networking", version="1", data={"cards": 2})
    store.save_snapshot(snapshot)
    store.save_snapshot(ContentSnapshot("flashcard_decks", "networking", "1", {"cards": 3}))
    assert store.get_snapshot("flashcard_decks", "networking", "1") == snapshot  # the first one used is kept
    assert store.get_snapshot("other_kind", "networking", "1") is None


def test_snapshots_are_kept_once_per_version(store: Store) -> None:
    snapshot = ContentSnapshot(kind="coding_sets", key="two-sum", version="1", data={"title": "Two sum"})
    store.save_snapshot(snapshot)
    store.save_snapshot(snapshot)
    assert store.get_snapshot("coding_sets", "two-sum", "1") == snapshot
    assert store.get_snapshot("coding_sets", "two-sum", "2") is None


def test_deleting_a_session_leaves_no_orphan_row(store: Store) -> None:
    user = store.ensure_user("a@example.com")
    doomed = _session(store, user.id)
    kept = _session(store, user.id)
    _fill(store, doomed)
    _fill(store, kept)
    assert all(count >= 1 for count in store.count_owned_rows(doomed.id).values())

    store.delete_session(doomed.id)

    assert set(store.count_owned_rows(doomed.id).values()) == {0}
    assert all(count >= 1 for count in store.count_owned_rows(kept.id).values())
    with pytest.raises(NotFound):
        store.get_session(doomed.id)
    with pytest.raises(NotFound):
        store.delete_session(doomed.id)


def test_history_rows_join_sessions_with_their_scores(store: Store) -> None:
    user = store.ensure_user("a@example.com")
    now = utcnow()
    scored = _session(store, user.id, created_at=now)
    _fill(store, scored)
    open_one = _session(store, user.id, created_at=now - timedelta(hours=1))
    rows = store.history_rows(user.id)
    assert [r.session_id for r in rows] == [scored.id, open_one.id]
    assert rows[0].weighted_average == 4.0
    assert rows[0].decision == "advance"
    assert rows[0].topics == (TopicScore("caching", 0.8, "q1"),)
    assert rows[1].decision is None and rows[1].topics == ()
    assert store.history_rows("nobody") == []

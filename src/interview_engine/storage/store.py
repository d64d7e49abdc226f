"""The repository: domain objects in, domain objects out.  No ORM row leaves this module."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TypeVar

import attrs
from sqlalchemy import Text, delete, func, select, type_coerce
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from interview_engine.converter import converter
from interview_engine.domain import (
    ContentSnapshot,
    Difficulty,
    Evaluation,
    HistoryRow,
    Session,
    SessionStatus,
    Submission,
    TestRun,
    TopicScore,
    Track,
    TranscriptSegment,
    User,
    new_id,
    utcnow,
)
from interview_engine.errors import Conflict, NotFound, StorageError
from interview_engine.storage import models as m
from interview_engine.storage.database import ensure_current, is_current, make_engine, resolve_database_url, upgrade
from interview_engine.storage.jobs import JobTable, RunResultTable
from interview_engine.storage.signin import SignInFailures

__all__ = ["Store"]

T = TypeVar("T")


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _iso(value: Any) -> datetime | None:
    """A SQLite date-time column read as text."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _session_from_row(row: m.SessionRow) -> Session:
    return Session(
        id=row.id,
        user_id=row.user_id,
        module=row.module,
        track=Track(row.track),
        difficulty=Difficulty(row.difficulty),
        kb_version=row.kb_version,
        status=SessionStatus(row.status),
        item_id=row.item_id,
        time_limit_s=row.time_limit_s,
        created_at=_utc(row.created_at) or utcnow(),
        started_at=_utc(row.started_at),
        ended_at=_utc(row.ended_at),
        state=dict(row.state or {}),
        external_ref=row.external_ref,
        agent_config_version=row.agent_config_version,
        version=row.version,
    )


def _session_values(session: Session) -> dict[str, Any]:
    return {
        "id": session.id,
        "user_id": session.user_id,
        "module": session.module,
        "track": session.track.value,
        "difficulty": session.difficulty.value,
        "status": session.status.value,
        "kb_version": session.kb_version,
        "item_id": session.item_id,
        "time_limit_s": session.time_limit_s,
        "created_at": session.created_at,
        "started_at": session.started_at,
        "ended_at": session.ended_at,
        "state": session.state,
        "external_ref": session.external_ref,
        "agent_config_version": session.agent_config_version,
    }


def _record(row: Any, cls: type[T]) -> T:
    """The domain object ``cls`` from a row whose columns carry the same names (dates made UTC-aware)."""
    values = {}
    for attribute in attrs.fields(cls):  # type: ignore[arg-type]
        value = getattr(row, attribute.name)
        values[attribute.name] = _utc(value) if isinstance(value, datetime) else value
    return cls(**values)


def _values(record: Any) -> dict[str, Any]:
    """A record's fields as column values (dates stay dates, dicts stay dicts)."""
    return attrs.asdict(record, recurse=False)


def _evaluation_from_row(row: m.EvaluationRow) -> Evaluation:
    body = dict(row.body)
    body.update(
        session_id=row.session_id,
        rubric=row.rubric,
        weighted_average=row.weighted_average,
        decision=row.decision,
        result=row.result,
        created_at=(_utc(row.created_at) or utcnow()).isoformat(),
    )
    return converter.structure(body, Evaluation)


class _Unit:
    """The ORM session of one unit of work, and the session versions it started from."""

    def __init__(self, tx: OrmSession) -> None:
        self.tx = tx
        self.wrote = False
        self.base_versions: dict[str, int] = {}
        self.read_versions: dict[str, int] = {}


@contextmanager
def _storage_errors() -> Iterator[None]:
    """Database failures as engine errors: a lost race on a session is a conflict, an outage a StorageError."""
    try:
        yield
    except StaleDataError as exc:
        raise Conflict("the session changed meanwhile; reload and try again", field="session_id") from exc
    except OperationalError as exc:
        raise StorageError(f"the database failed: {exc.orig}") from exc


class Store:
    """Everything the engine keeps, on SQLite or PostgreSQL.

    Opening a store does not migrate: that is an explicit step (:meth:`migrate`, ``interview db upgrade``,
    ``interview serve``), so processes starting together never race to create tables.

    Args:
        url: a database URL; ``None`` resolves ``INTERVIEW_DATABASE_URL`` or the SQLite default.
        migrate: migrate first when the database is behind (one query when it is current): for tests,
            the CLI on a laptop's own database and scripts that own theirs.
    """

    def __init__(self, url: str | None = None, *, migrate: bool = False) -> None:
        self.url = resolve_database_url(url)
        self._engine = make_engine(self.url)
        if migrate:
            ensure_current(self._engine)
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)
        self._unit: ContextVar[_Unit | None] = ContextVar(f"interview_store_unit_{id(self)}", default=None)
        # Job state and shared results commit on their own, never inside a unit of work: a job's progress
        # must be visible while the job's own unit is still open, and a result is true either way.  Only a
        # job's result joins the unit that grades it (``keep_result``): both are stored, or neither.
        self.jobs = JobTable(self._own_tx, self.dialect, unit_tx=self._tx)
        self.run_results = RunResultTable(self._own_tx, self.dialect)
        self.signin_failures = SignInFailures(self._own_tx)

    def close(self) -> None:
        self._engine.dispose()

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    # -- schema --------------------------------------------------------------

    def migrate(self) -> None:
        """Migrate to the newest schema (under an advisory lock on PostgreSQL; a no-op when current)."""
        upgrade(self._engine)

    def is_current(self) -> bool:
        """Whether the schema is the newest one (one query; nothing is changed)."""
        return is_current(self._engine)

    def ensure_current(self) -> None:
        """Migrate only when the schema is behind: for one-shot commands on a laptop's own database."""
        ensure_current(self._engine)

    # -- units of work -------------------------------------------------------

    @contextmanager
    def unit_of_work(self) -> Iterator[None]:
        """One ORM session and one transaction around every store call made inside, committed once.

        A unit opened inside another joins it.  Saving a session whose version is older than the stored
        one raises :class:`Conflict` and rolls the whole unit back, so two writers never lose an update.
        A unique key another writer took first (two answers writing the same transcript line) is the
        same conflict when a session this unit read has moved on since: the other writer won.
        """
        if self._unit.get() is not None:
            yield
            return
        tx = self._sessions()
        unit = _Unit(tx)
        token = self._unit.set(unit)
        try:
            with _storage_errors():
                yield
                tx.commit()
        except IntegrityError as exc:
            tx.rollback()
            moved = self._moved_on(unit.read_versions)
            if moved is None:
                raise
            raise Conflict(f"session {moved} changed meanwhile; reload and try again", field="session_id") from exc
        except BaseException:
            tx.rollback()
            raise
        finally:
            self._unit.reset(token)
            tx.close()

    def _moved_on(self, read: dict[str, int]) -> str | None:
        """The first session whose stored version is no longer the one a unit of work read."""
        if not read:
            return None
        with self._own_tx() as tx:
            for session_id, version in read.items():
                row = tx.get(m.SessionRow, session_id)
                if row is not None and row.version != version:
                    return session_id
        return None

    @contextmanager
    def _tx(self, *, write: bool = False) -> Iterator[OrmSession]:
        unit = self._unit.get()
        if unit is not None:
            unit.wrote = unit.wrote or write
            with _storage_errors():
                yield unit.tx
            return
        with _storage_errors(), self._sessions.begin() as tx:
            yield tx

    @contextmanager
    def _own_tx(self) -> Iterator[OrmSession]:
        with _storage_errors(), self._sessions.begin() as tx:
            yield tx

    def unit_wrote(self) -> bool:
        """Whether the current unit of work has changed anything yet."""
        unit = self._unit.get()
        return unit is not None and unit.wrote

    # -- users ---------------------------------------------------------------

    def create_user(self, email: str, *, display_name: str = "", password_hash: str | None = None) -> User:
        user = User(id=new_id(), email=email.strip().lower(), display_name=display_name, password_hash=password_hash)
        try:
            with self._tx(write=True) as tx:
                tx.add(
                    m.UserRow(
                        id=user.id,
                        email=user.email,
                        display_name=user.display_name,
                        password_hash=user.password_hash,
                        created_at=user.created_at,
                    )
                )
        except IntegrityError as exc:
            raise Conflict("an account with this email exists", field="email") from exc
        return user

    def get_user(self, user_id: str) -> User:
        with self._tx() as tx:
            row = tx.get(m.UserRow, user_id)
            if row is None:
                raise NotFound(f"no user {user_id}")
            return _record(row, User)

    def remember_choice(self, user_id: str, track: Track, difficulty: Difficulty) -> None:
        """Keep the track and level ``user_id`` chose last (pages open on them next time)."""
        with self._tx(write=True) as tx:
            row = tx.get(m.UserRow, user_id)
            if row is None:
                raise NotFound(f"no user {user_id}")
            if (row.track, row.difficulty) != (track.value, difficulty.value):
                row.track, row.difficulty = track.value, difficulty.value

    def revoke_sign_in(self, sid: str, user_id: str) -> None:
        """Mark a sign-in session as ended (idempotent): its cookie stops working, copies too."""
        insert = postgresql_insert if self.dialect == "postgresql" else sqlite_insert
        values = {"sid": sid, "user_id": user_id, "revoked_at": utcnow()}
        with self._tx(write=True) as tx:
            tx.execute(insert(m.RevokedSessionRow).values(**values).on_conflict_do_nothing(index_elements=["sid"]))

    def is_sign_in_revoked(self, sid: str) -> bool:
        with self._tx() as tx:
            return tx.get(m.RevokedSessionRow, sid) is not None

    def find_user(self, email: str) -> User | None:
        with self._tx() as tx:
            row = tx.scalars(select(m.UserRow).where(m.UserRow.email == email.strip().lower())).first()
            return _record(row, User) if row else None

    def ensure_user(self, email: str, *, display_name: str = "") -> User:
        """The user with ``email``, created when missing (for the CLI and embedding teams)."""
        found = self.find_user(email)
        if found is not None:
            return found
        try:
            return self.create_user(email, display_name=display_name)
        except Conflict:
            user = self.find_user(email)
            assert user is not None
            return user

    # -- sessions ------------------------------------------------------------

    def add_session(self, session: Session) -> Session:
        with self._tx(write=True) as tx:
            tx.add(m.SessionRow(**_session_values(session), version=session.version))
        return session

    def save_session(self, session: Session) -> Session:
        """Store ``session`` and return it with its new version.

        Raises:
            Conflict: the stored session is newer than ``session`` (someone else changed it meanwhile).
        """
        with self._tx(write=True) as tx:
            row = tx.get(m.SessionRow, session.id)
            if row is None:
                raise NotFound(f"no session {session.id}")
            unit = self._unit.get()
            # Inside one unit of work the engine and its module are one writer: what counts is the
            # version the unit started from, which the UPDATE's WHERE checks against the database.
            base = unit.base_versions.setdefault(session.id, row.version) if unit else row.version
            if session.version not in (row.version, base):
                raise Conflict(f"session {session.id} changed meanwhile; reload and try again", field="session_id")
            for key, value in _session_values(session).items():
                setattr(row, key, value)
            row.version = row.version + 1
            version = row.version
        return attrs.evolve(session, version=version)

    def get_session(self, session_id: str) -> Session:
        with self._tx() as tx:
            row = tx.get(m.SessionRow, session_id)
            if row is None:
                raise NotFound(f"no session {session_id}", field="session_id")
            unit = self._unit.get()
            if unit is not None:  # what the unit read first, to tell a lost race from a bug (unit_of_work)
                unit.read_versions.setdefault(session_id, row.version)
            return _session_from_row(row)

    def find_session_by_ref(self, external_ref: str) -> Session | None:
        with self._tx() as tx:
            row = tx.scalars(select(m.SessionRow).where(m.SessionRow.external_ref == external_ref)).first()
            return _session_from_row(row) if row else None

    def list_sessions(
        self, *, user_id: str | None = None, module: str | None = None, limit: int | None = None
    ) -> list[Session]:
        """Sessions, newest first."""
        query = select(m.SessionRow).order_by(m.SessionRow.created_at.desc(), m.SessionRow.id)
        if user_id is not None:
            query = query.where(m.SessionRow.user_id == user_id)
        if module is not None:
            query = query.where(m.SessionRow.module == module)
        if limit is not None:
            query = query.limit(limit)
        with self._tx() as tx:
            return [_session_from_row(row) for row in tx.scalars(query)]

    def delete_session(self, session_id: str) -> Session:
        """Delete a session and every row that belongs to it."""
        with self._tx(write=True) as tx:
            row = tx.get(m.SessionRow, session_id)
            if row is None:
                raise NotFound(f"no session {session_id}", field="session_id")
            session = _session_from_row(row)
            # Children first: the cascade is declared too, but not every deployment enforces it.
            tx.execute(delete(m.TestRunRow).where(m.TestRunRow.session_id == session_id))
            for table in m.SESSION_OWNED.values():
                if table is not m.TestRunRow:
                    tx.execute(delete(table).where(table.session_id == session_id))  # type: ignore[attr-defined]
            tx.delete(row)
        return session

    def count_owned_rows(self, session_id: str) -> dict[str, int]:
        """How many rows of each session-owned table belong to ``session_id``."""
        with self._tx() as tx:
            counts: dict[str, int] = {}
            for name, table in m.SESSION_OWNED.items():
                column: Any = table.session_id  # type: ignore[attr-defined]
                query: Any = select(func.count()).select_from(table).where(column == session_id)
                counts[name] = int(tx.scalar(query) or 0)
            sessions: Any = select(func.count()).select_from(m.SessionRow).where(m.SessionRow.id == session_id)
            counts["sessions"] = int(tx.scalar(sessions) or 0)
            return counts

    def history_rows(self, user_id: str) -> list[HistoryRow]:
        """Every session of ``user_id``, newest first, with its evaluation's score, topics and metrics.

        One query, reading only what analytics needs (not the evidence) and building no ORM objects,
        so thousands of sessions load in tens of milliseconds.
        """
        s, e = m.SessionRow, m.EvaluationRow
        sqlite = self.dialect == "sqlite"
        times: list[Any] = [s.created_at, s.started_at, s.ended_at]
        if sqlite:
            # One parse of the body for both paths: SQLite returns them as one JSON array.
            extracted: list[Any] = [type_coerce(func.json_extract(e.body, "$.topics", "$.metrics"), Text)]
            # ISO text parsed by datetime.fromisoformat: far cheaper than the generic DateTime processor.
            times = [type_coerce(column, Text) for column in times]
        else:
            extracted = [e.body["topics"], e.body["metrics"]]
        columns = [s.id, s.module, s.track, s.difficulty, s.status, s.kb_version, s.item_id, *times]
        query: Any = (
            select(*columns, e.weighted_average, e.decision, e.result, *extracted)
            .select_from(s)
            .outerjoin(e, e.session_id == s.id)
            .where(s.user_id == user_id)
            .order_by(s.created_at.desc(), s.id)
        )
        with self._tx() as tx:
            rows = tx.connection().execute(query).all()  # Core rows: no ORM loading for thousands of rows
        found = []
        moment = _iso if sqlite else _utc
        for row in rows:
            if sqlite:
                topics, metrics = json.loads(row[13]) if row[13] else (None, None)
            else:
                topics, metrics = row[13], row[14]
            found.append(
                HistoryRow(
                    session_id=row[0],
                    module=row[1],
                    track=row[2],
                    difficulty=row[3],
                    status=row[4],
                    kb_version=row[5],
                    item_id=row[6],
                    created_at=moment(row[7]) or utcnow(),
                    started_at=moment(row[8]),
                    ended_at=moment(row[9]),
                    weighted_average=row[10],
                    decision=row[11],
                    result=row[12],
                    topics=tuple(
                        TopicScore(
                            topic=str(t["topic"]),
                            score=float(t["score"]),
                            item_id=str(t.get("item_id", "")),
                            hints=int(t.get("hints", 0)),
                            misconceptions=int(t.get("misconceptions", 0)),
                        )
                        for t in topics or ()
                    ),
                    metrics={str(k): float(v) for k, v in (metrics or {}).items()},
                )
            )
        return found

    # -- transcripts ---------------------------------------------------------

    def add_transcript(self, segments: Iterable[TranscriptSegment]) -> int:
        """Add segments not stored yet (by ``session_id`` and ``key``); returns how many were new."""
        added = 0
        by_session: dict[str, list[TranscriptSegment]] = {}
        for segment in segments:
            by_session.setdefault(segment.session_id, []).append(segment)
        with self._tx(write=True) as tx:
            for session_id, items in by_session.items():
                known = set(tx.scalars(select(m.TranscriptRow.key).where(m.TranscriptRow.session_id == session_id)))
                for segment in items:
                    if segment.key in known:
                        continue
                    known.add(segment.key)
                    tx.add(
                        m.TranscriptRow(
                            session_id=session_id,
                            seq=segment.seq,
                            speaker=segment.speaker,
                            text=segment.text,
                            key=segment.key,
                            time_s=segment.time_s,
                            source=segment.source,
                        )
                    )
                    added += 1
        return added

    def transcript(self, session_id: str) -> list[TranscriptSegment]:
        query = (
            select(m.TranscriptRow)
            .where(m.TranscriptRow.session_id == session_id)
            .order_by(m.TranscriptRow.seq, m.TranscriptRow.id)
        )
        with self._tx() as tx:
            return [_record(row, TranscriptSegment) for row in tx.scalars(query)]

    # -- evaluations ---------------------------------------------------------

    def save_evaluation(self, evaluation: Evaluation) -> Evaluation:
        """Store the session's evaluation, replacing an earlier one."""
        body = converter.unstructure(evaluation)
        for key in ("session_id", "rubric", "weighted_average", "decision", "result", "created_at"):
            body.pop(key)
        with self._tx(write=True) as tx:
            tx.execute(delete(m.EvaluationRow).where(m.EvaluationRow.session_id == evaluation.session_id))
            tx.add(
                m.EvaluationRow(
                    session_id=evaluation.session_id,
                    rubric=evaluation.rubric,
                    weighted_average=evaluation.weighted_average,
                    decision=evaluation.decision.value,
                    result=evaluation.result,
                    body=body,
                    created_at=evaluation.created_at,
                )
            )
        return evaluation

    def get_evaluation(self, session_id: str) -> Evaluation | None:
        with self._tx() as tx:
            row = tx.get(m.EvaluationRow, session_id)
            return _evaluation_from_row(row) if row else None

    def evaluations_for(self, session_ids: Sequence[str]) -> dict[str, Evaluation]:
        """Evaluations of many sessions in one query."""
        if not session_ids:
            return {}
        result: dict[str, Evaluation] = {}
        with self._tx() as tx:
            for start in range(0, len(session_ids), 500):
                chunk = list(session_ids[start : start + 500])
                for row in tx.scalars(select(m.EvaluationRow).where(m.EvaluationRow.session_id.in_(chunk))):
                    result[row.session_id] = _evaluation_from_row(row)
        return result

    # -- submissions and test runs ------------------------------------------

    def add_submission(self, submission: Submission, runs: Sequence[TestRun] = ()) -> Submission:
        with self._tx(write=True) as tx:
            tx.add(
                m.SubmissionRow(
                    id=submission.id,
                    session_id=submission.session_id,
                    kind=submission.kind,
                    files=submission.files,
                    notes=submission.notes,
                    claim=submission.claim,
                    late=submission.late,
                    summary=submission.summary,
                    created_at=submission.created_at,
                )
            )
            tx.flush()
            for run in runs:
                tx.add(m.TestRunRow(**_values(run)))
        return submission

    def get_submission(self, submission_id: str) -> Submission | None:
        with self._tx() as tx:
            row = tx.get(m.SubmissionRow, submission_id)
            return _record(row, Submission) if row is not None else None

    def submissions(self, session_id: str, *, kind: str | None = None) -> list[Submission]:
        query = select(m.SubmissionRow).where(m.SubmissionRow.session_id == session_id)
        if kind is not None:
            query = query.where(m.SubmissionRow.kind == kind)
        with self._tx() as tx:
            ordered = query.order_by(m.SubmissionRow.created_at, m.SubmissionRow.id)
            return [_record(row, Submission) for row in tx.scalars(ordered)]

    def test_runs(self, submission_id: str) -> list[TestRun]:
        query = select(m.TestRunRow).where(m.TestRunRow.submission_id == submission_id).order_by(m.TestRunRow.id)
        with self._tx() as tx:
            return [_record(row, TestRun) for row in tx.scalars(query)]

    # -- content snapshots ---------------------------------------------------

    def save_snapshot(self, snapshot: ContentSnapshot) -> None:
        """Keep a content item as used (idempotent per kind, key and version).

        The product's kinds have tables of their own (``question_sets``, ``coding_sets``, ``bug_scenarios``,
        ``study_catalogs``); any other kind a module names goes to ``content_snapshots``.
        """
        table = m.SNAPSHOT_TABLES.get(snapshot.kind)
        values = {"key": snapshot.key, "version": snapshot.version, "data": snapshot.data, "stored_at": utcnow()}
        index = ["key", "version"]
        if table is None:
            table, values, index = m.ContentSnapshotRow, {"kind": snapshot.kind, **values}, ["kind", *index]
        # One statement, so two first uses of an item at once cannot both insert (check-then-insert did: 500).
        insert = postgresql_insert if self.dialect == "postgresql" else sqlite_insert
        with self._tx(write=True) as tx:
            tx.execute(insert(table).values(**values).on_conflict_do_nothing(index_elements=index))

    def get_snapshot(self, kind: str, key: str, version: str) -> ContentSnapshot | None:
        table = m.SNAPSHOT_TABLES.get(kind)
        with self._tx() as tx:
            row = (
                tx.get(table, (key, version))
                if table is not None
                else tx.get(m.ContentSnapshotRow, (kind, key, version))
            )
            return ContentSnapshot(kind=kind, key=key, version=version, data=dict(row.data)) if row else None

    # -- modules' private records (interview_engine.RecordKind) --------------

    def save_record(self, session_id: str, module: str, kind: str, data: dict[str, Any]) -> None:
        """Keep a module's record of a session (JSON), replacing the one before."""
        with self._tx(write=True) as tx:
            row = tx.get(m.ModuleRecordRow, (session_id, module, kind))
            if row is None:
                tx.add(
                    m.ModuleRecordRow(session_id=session_id, module=module, kind=kind, data=data, updated_at=utcnow())
                )
            else:
                row.data, row.updated_at = data, utcnow()

    def get_record(self, session_id: str, module: str, kind: str) -> dict[str, Any] | None:
        with self._tx() as tx:
            row = tx.get(m.ModuleRecordRow, (session_id, module, kind))
            return dict(row.data) if row is not None else None

"""The public API for teams embedding the engine, and what both adapters stand on.

::

    from interview_engine import Engine

    engine = Engine.create("sqlite:///interviews.db", migrate=True)
    user = engine.store.ensure_user("ada@example.com")
    session = engine.start_session(user_id=user.id, module="live_coding", track="backend", difficulty="mid")
    engine.act(session.id, "run", {"source": code})
    engine.end_session(session.id)
    print(engine.summary(session.id).evaluation)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pluggy
from attrs import evolve, field, frozen

from interview_engine.actions import Action, Cost, Routes, check_result, declared_actions, validate_payload
from interview_engine.content import ContentCheck
from interview_engine.domain import (
    Difficulty,
    Evaluation,
    Evidence,
    Session,
    SessionStatus,
    Track,
    new_id,
    utcnow,
)
from interview_engine.errors import Conflict, InvalidInput, NotFound, PluginError
from interview_engine.jobs import Grading, GradingJob
from interview_engine.module import ActionResult, InterviewModule, Item, ModuleContext
from interview_engine.plugins import LoadedPlugin, loaded_plugins, make_plugin_manager, modules_by_plugin
from interview_engine.progress import ItemProgress, item_progress
from interview_engine.storage import Store

if TYPE_CHECKING:
    from interview_engine.validation_cache import ValidationCache

__all__ = ["DEFAULT_MODULE_ENV", "Engine", "SessionSummary"]

DEFAULT_MODULE_ENV = "INTERVIEW_DEFAULT_MODULE"
"""The setting naming the module a session starts in when the caller names none."""


@frozen
class SessionSummary:
    """Everything known about a session: the evaluation and the module's own view."""

    session: Session
    evaluation: Evaluation | None
    module_title: str
    view: dict[str, Any] = field(factory=dict)


def _enum(cls: type[Track] | type[Difficulty], value: Any, name: str) -> Any:
    try:
        return cls(value)
    except ValueError:
        choices = ", ".join(member.value for member in cls)
        raise InvalidInput(f"must be one of {choices}, got {value!r}", field=name) from None


class Engine:
    """Sessions of every registered module, over one store and one plugin manager."""

    def __init__(self, store: Store, pm: pluggy.PluginManager) -> None:
        self.store = store
        self.pm = pm
        self.hooks = pm.hook
        self.modules: dict[str, InterviewModule] = {}
        self._registered = modules_by_plugin(pm)
        for _, registered in self._registered:
            for module in registered:
                if module.name in self.modules:
                    raise PluginError(f"two plugins register a module named {module.name!r}")
                self.modules[module.name] = module
        self._actions = {name: declared_actions(name, module.actions) for name, module in self.modules.items()}
        self.context = ModuleContext(store=store, hooks=self.hooks)
        self.grading = Grading(self)

    @classmethod
    def create(
        cls,
        database_url: str | None = None,
        *,
        plugins: Iterable[object] = (),
        load_entry_points: bool = True,
        store: Store | None = None,
        migrate: bool = False,
    ) -> Engine:
        """Build an engine: load plugins from entry points (plus ``plugins``) and open the store.

        Args:
            migrate: migrate the database to the newest schema first.  Servers do that once as an explicit
                step (``interview db upgrade``, ``interview serve``); tests and scripts that own a fresh
                database pass ``True``.
        """
        pm = make_plugin_manager(load_entry_points=load_entry_points, plugins=plugins)
        return cls(store or Store(database_url, migrate=migrate), pm)

    def close(self) -> None:
        self.grading.close()
        self.store.close()

    # -- discovery -----------------------------------------------------------

    def module(self, name: str) -> InterviewModule:
        try:
            return self.modules[name]
        except KeyError:
            known = ", ".join(sorted(self.modules)) or "none"
            raise NotFound(f"no interview module {name!r} (installed: {known})", field="module") from None

    def default_module(self) -> str:
        """The module a session starts in when the caller names none.

        ``INTERVIEW_DEFAULT_MODULE`` when it is set, else the first plugin's ``default_module`` answer,
        else the only installed module.  The engine and the adapters name no module themselves.

        Raises:
            NotFound: the configured module is not installed.
            InvalidInput: nothing says which module, and more than one is installed.
        """
        chosen = os.environ.get(DEFAULT_MODULE_ENV) or self.hooks.default_module()
        if chosen:
            return self.module(chosen).name
        if len(self.modules) == 1:
            return next(iter(self.modules))
        known = ", ".join(sorted(self.modules)) or "none"
        raise InvalidInput(f"name the module (installed: {known}); no default is configured", field="module")

    def actions(self, module: str) -> list[Action]:
        """The module's declared actions, in its order (plain names as untyped declarations)."""
        self.module(module)
        return list(self._actions[module].values())

    def action(self, module: str, name: str) -> Action:
        """One declared action; :class:`InvalidInput` naming the module's actions when it has none by ``name``."""
        declared = self._actions[self.module(module).name]
        if name not in declared:
            raise InvalidInput(f"{module} has no action {name!r} (actions: {', '.join(declared)})", field="action")
        return declared[name]

    def routes(self, module: str) -> Routes:
        """Where adapters publish the module's actions: its ``routes`` declaration, else ``/<name>/sessions``."""
        found = self.module(module)
        declared = getattr(found, "routes", None)
        if declared is None:
            return Routes(prefix=f"/{found.name}/sessions", tag=found.title)
        if not isinstance(declared, Routes):
            raise PluginError(f"{found.name}.routes must be a Routes declaration, got {declared!r}")
        return declared

    def runs_code(self, action: str) -> bool:
        """Whether any module declares an action of this name as a sandbox job (for routing work to pools)."""
        return any(
            a.name == action and a.cost is Cost.SANDBOX
            for declared in self._actions.values()
            for a in declared.values()
        )

    def items(
        self, module: str, track: Track | str | None = None, difficulty: Difficulty | str | None = None
    ) -> list[Item]:
        track_value = _enum(Track, track, "track") if track is not None else None
        difficulty_value = _enum(Difficulty, difficulty, "difficulty") if difficulty is not None else None
        return self.module(module).items(track_value, difficulty_value)

    def progress(self, user_id: str, module: str) -> dict[str, ItemProgress]:
        """How ``user_id`` has done on each item of ``module`` they tried: attempts, best score, solved."""
        return item_progress(self.store.history_rows(user_id), self.module(module))

    def plugins(self) -> list[LoadedPlugin]:
        return loaded_plugins(self.pm, self._registered)

    def validate_content(self, cache: ValidationCache | None = None) -> list[ContentCheck]:
        """Every module's content checks; items whose checks ``cache`` holds are not run again."""
        context = evolve(self.context, validation_cache=cache)
        checks: list[ContentCheck] = []
        for name in sorted(self.modules):
            checks.extend(self.modules[name].validate_content(context))
        return checks

    # -- the session lifecycle -----------------------------------------------

    def start_session(
        self,
        *,
        user_id: str,
        module: str,
        track: Track | str,
        difficulty: Difficulty | str,
        options: Mapping[str, Any] | None = None,
    ) -> Session:
        """Create a session and let its module prepare it; it comes back ``active``.

        The track and level become the candidate's remembered choice (pages open on them next time).
        """
        found = self.module(module)
        track_value: Track = _enum(Track, track, "track")
        difficulty_value: Difficulty = _enum(Difficulty, difficulty, "difficulty")
        with self.store.unit_of_work():
            self.store.remember_choice(user_id, track_value, difficulty_value)
            session = Session(
                id=new_id(),
                user_id=user_id,
                module=found.name,
                track=track_value,
                difficulty=difficulty_value,
                kb_version=found.pack_info().kb_version,
            )
            # One transaction: a module that fails to prepare the session leaves no row behind.
            self.store.add_session(session)
            prepared = found.start(self.context, session, dict(options or {}))
            active = evolve(prepared, status=SessionStatus.ACTIVE, started_at=prepared.started_at or utcnow())
            return self.store.save_session(active)

    def get_session(self, session_id: str, *, user_id: str | None = None) -> Session:
        """The session; ``NotFound`` when it belongs to another user than ``user_id``."""
        session = self.store.get_session(session_id)
        if user_id is not None and session.user_id != user_id:
            raise NotFound(f"no session {session_id}", field="session_id")
        return session

    def act(
        self,
        session_id: str,
        action: str,
        payload: Mapping[str, Any] | None = None,
        *,
        user_id: str | None = None,
        on_progress: Callable[[GradingJob], None] | None = None,
    ) -> ActionResult:
        """Carry out a candidate's action (run tests, answer, hint, ...) in an active session.

        The payload is validated against the action's declaration (its type and caps) before the module
        sees it, and the result against the declared result type before the caller does.
        A sandbox-cost action (declared ``Cost.SANDBOX``) runs as a grading job, in this process's
        pool or on a worker (``INTERVIEW_GRADING``); this call waits for it, telling ``on_progress``.

        Everything the action changes is one transaction.  An action that changed anything also bumps the
        session's version, so two actions on one session at once never both win: the later one is a
        :class:`Conflict` and leaves nothing behind.
        """
        with self.store.unit_of_work():
            session = self.get_session(session_id, user_id=user_id)
            if not self.grading.is_job(session.module, action):
                return self._act_now(session, action, payload)
        # A grading job is queued and run in units of its own (its progress must be visible meanwhile);
        # the payload is validated as it is queued.
        job = self.grading.enqueue(session_id, action, payload, user_id=user_id)
        return self.grading.outcome(self.grading.wait(job.id, on_change=on_progress))

    def _act_now(self, session: Session, action: str, payload: Mapping[str, Any] | None) -> ActionResult:
        """An action carried out inside the caller's unit of work."""
        with self.store.unit_of_work():
            module = self.module(session.module)
            declared = self.action(module.name, action)
            checked = validate_payload(declared, payload)
            if session.status is not SessionStatus.ACTIVE:
                raise Conflict(f"session {session.id} is {session.status.value}, not active")
            result = module.act(self.context, session, action, checked)
            result = evolve(result, data=check_result(module.name, declared, result.data))
            if result.session != session or self.store.unit_wrote():
                result = evolve(result, session=self.store.save_session(result.session))
            return result

    def end_session(self, session_id: str, *, user_id: str | None = None, evaluate: bool = True) -> Session:
        """End a session and evaluate it.  Ending an ended session changes nothing.

        The end and the evaluation are one transaction; ``on_session_ended`` runs after it is committed.
        When the evaluation stops on an infrastructure fault (:class:`NotGraded`) nothing is kept: the
        session is still active, and ending it again retries the grading.
        """
        with self.store.unit_of_work():
            session = self.get_session(session_id, user_id=user_id)
            if session.status in (SessionStatus.ENDED, SessionStatus.EVALUATED):
                return session
            session = self.store.save_session(evolve(session, status=SessionStatus.ENDED, ended_at=utcnow()))
            evaluation = self.evaluate(session.id) if evaluate else None
            session = self.store.get_session(session.id)
        self.hooks.on_session_ended(session=session, evaluation=evaluation)
        return session

    def evaluate(self, session_id: str, *, user_id: str | None = None) -> Evaluation:
        """Evaluate an ended session with its module's rubric and store the result."""
        with self.store.unit_of_work():
            session = self.get_session(session_id, user_id=user_id)
            if session.status in (SessionStatus.CREATED, SessionStatus.ACTIVE):
                raise Conflict(f"session {session_id} has not ended")
            evaluation = self.module(session.module).evaluate(self.context, session)
            return self.save_evaluation(evaluation)

    def save_evaluation(self, evaluation: Evaluation, *, user_id: str | None = None) -> Evaluation:
        """Store an evaluation (replacing an earlier one) and mark its session evaluated."""
        with self.store.unit_of_work():
            session = self.get_session(evaluation.session_id, user_id=user_id)
            self.store.save_evaluation(evaluation)
            if session.status is not SessionStatus.EVALUATED:
                ended_at = session.ended_at or utcnow()
                self.store.save_session(evolve(session, status=SessionStatus.EVALUATED, ended_at=ended_at))
            return evaluation

    def record_external_grade(
        self,
        session_id: str,
        *,
        grader: str,
        scores: Mapping[str, float],
        metrics: Mapping[str, float] | None = None,
        disqualifiers: Iterable[str] = (),
        evidence: Iterable[Evidence] = (),
    ) -> Evaluation:
        """Store a grade given outside the engine (a team's own interviewer or grader).

        This is for embedding teams only: no candidate-facing call reaches it (the web adapter
        exposes it behind its own grader token).  The scores go through the module's rubric like
        the engine's own, and the evaluation says who gave it (``details["source"]`` is
        ``"external"``, every piece of evidence is tagged ``external:<grader>``).  The session is
        ended first when it is still active.
        """
        if not grader.strip():
            raise InvalidInput("must name who graded the session", field="grader")
        source = f"external:{grader.strip()}"
        tagged = [evolve(item, source=source) for item in evidence]
        with self.store.unit_of_work():
            session = self.get_session(session_id)
            spec = self.module(session.module).rubric(session.track, session.difficulty)
            if session.status in (SessionStatus.CREATED, SessionStatus.ACTIVE):
                session = self.store.save_session(evolve(session, status=SessionStatus.ENDED, ended_at=utcnow()))
            try:
                evaluation = Evaluation.from_rubric(
                    session,
                    spec,
                    scores,
                    metrics=metrics,
                    disqualifiers=disqualifiers,
                    evidence=tagged,
                    details={"source": "external", "grader": grader.strip()},
                )
            except ValueError as exc:
                raise InvalidInput(str(exc)) from exc
            return self.save_evaluation(evaluation)

    def summary(self, session_id: str, *, user_id: str | None = None) -> SessionSummary:
        with self.store.unit_of_work():
            session = self.get_session(session_id, user_id=user_id)
            module = self.module(session.module)
            evaluation = self.store.get_evaluation(session.id)
            view = module.summarize(self.context, session, evaluation)
        return SessionSummary(session=session, evaluation=evaluation, module_title=module.title, view=view)

    def list_sessions(self, *, user_id: str | None = None, limit: int | None = None) -> list[Session]:
        return self.store.list_sessions(user_id=user_id, limit=limit)

    def delete_session(self, session_id: str, *, user_id: str | None = None) -> Session:
        """Delete a session and everything that belongs to it, here and in plugins."""
        with self.store.unit_of_work():
            self.get_session(session_id, user_id=user_id)
            deleted = self.store.delete_session(session_id)
        self.hooks.on_session_deleted(session=deleted)
        return deleted

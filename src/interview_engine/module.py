"""What a plugin provides for one interview type, and what the engine gives it back.

A module is registered through the ``register_modules`` hook.  The engine
owns sessions and storage; a module decides what a session is about, what a
candidate can do in it, and how it is evaluated::

    class PairProgramming:
        name = "pair_programming"
        title = "Pair programming"
        description = "Build a feature with an AI pair."
        actions = ("message", "end")

        def pack_info(self): return PackInfo("pair_programming", "pairing-pack", "1")
        def rubric(self, track, difficulty): return MY_SPEC
        def items(self, track=None, difficulty=None): return [...]
        def start(self, ctx, session, options): return evolve(session, state={"turns": 0})
        def act(self, ctx, session, action, payload): ...
        def evaluate(self, ctx, session): ...
        def summarize(self, ctx, session, evaluation): return {"turns": session.state["turns"]}
        def validate_content(self, ctx): return []
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from attrs import field, frozen

from interview_engine._convert import as_tuple
from interview_engine.actions import Action
from interview_engine.content import ContentCheck, PackInfo
from interview_engine.domain import Difficulty, Evaluation, Session, Track, new_id, utcnow
from interview_engine.errors import InternalError
from interview_engine.rubric import RubricSpec
from interview_engine.runner import CodeRunner
from interview_engine.scoring import AnswerScore, AnswerScoringRequest

if TYPE_CHECKING:
    from pluggy import HookRelay

    from interview_engine.storage import Store
    from interview_engine.validation_cache import ValidationCache

__all__ = ["ActionResult", "InterviewModule", "Item", "ModuleContext"]


@frozen
class Item:
    """Something a module can run a session on: a question, a problem, a scenario."""

    id: str
    module: str
    title: str
    track: Track
    difficulty: Difficulty
    topics: tuple[str, ...] = field(converter=as_tuple, default=())
    summary: str = ""


@frozen
class ActionResult:
    """A module's answer to an action: the session as it is now and the response data.

    ``data`` is JSON: a module builds its declared result type and writes it out (``unstructure(Prompt(...))``);
    the engine checks it against the declaration before any caller sees it.
    """

    session: Session
    data: dict[str, Any] = field(factory=dict)


@frozen
class ModuleContext:
    """The engine's services, handed to every module call."""

    store: Store
    hooks: HookRelay
    clock: Callable[[], datetime] = utcnow
    #: Set while a grading job runs: the id its submission must be written under (see :meth:`new_submission_id`).
    submission_id: str | None = None
    #: Set while a grading job runs: told what the job is doing now ("hidden tests: basic, edge").
    progress: Callable[[str], None] | None = None
    #: Set while ``interview content validate`` runs with a cache: where items' passing checks are kept.
    validation_cache: ValidationCache | None = None

    def runner(self) -> CodeRunner:
        """The code runner chosen through the ``code_runner`` hook, behind the shared result cache."""
        found = self.hooks.code_runner()
        if found is None:
            raise InternalError("no code runner is installed (install interview-sandbox)")
        if self.progress is None and not getattr(found, "identity", ""):
            return found  # type: ignore[no-any-return]
        from interview_engine.jobs.runner import GradingRunner

        return GradingRunner(found, self.store.run_results, progress=self.progress)

    def new_submission_id(self) -> str:
        """The id for the submission an action writes: the grading job's own when one runs, so a retried
        job finds the submission an earlier attempt stored and never grades twice."""
        return self.submission_id or new_id()

    def score_answer(self, request: AnswerScoringRequest) -> AnswerScore:
        """Score candidate text through the ``answer_scorer`` hook."""
        found = self.hooks.answer_scorer(request=request)
        if found is None:
            raise InternalError(f"no answer scorer handles {request.kind!r}")
        score: AnswerScore = found
        return score


@runtime_checkable
class InterviewModule(Protocol):
    """One interview type.  Every method may raise :class:`~interview_engine.errors.ClientError`
    kinds for bad input; the engine maps them at the edges."""

    name: str
    title: str
    description: str
    actions: tuple[str | Action, ...]
    """What a candidate can do: :class:`~interview_engine.actions.Action` declarations (or plain names).

    A module may also set ``routes`` (:class:`~interview_engine.actions.Routes`): where adapters publish
    those actions (``/api/<prefix>/{session_id}/<action>``) and its own start operation; without it,
    ``/api/<name>/sessions``."""

    def pack_info(self) -> PackInfo:
        """The content pack in use; its ``kb_version`` is stamped on sessions."""
        ...

    def rubric(self, track: Track, difficulty: Difficulty) -> RubricSpec:
        """The rubric sessions of this track and difficulty are scored with."""
        ...

    def items(self, track: Track | None = None, difficulty: Difficulty | None = None) -> list[Item]:
        """What sessions can be about, filtered by track and difficulty."""
        ...

    def start(self, ctx: ModuleContext, session: Session, options: Mapping[str, Any]) -> Session:
        """Prepare a new session (pick the item, set ``time_limit_s`` and ``state``) and return it."""
        ...

    def act(self, ctx: ModuleContext, session: Session, action: str, payload: Mapping[str, Any]) -> ActionResult:
        """Carry out ``action`` (one of :attr:`actions`) for an active session.

        ``payload`` has passed the action's declaration: structured into its payload type (every cap
        checked) and handed over as JSON.
        """
        ...

    def evaluate(self, ctx: ModuleContext, session: Session) -> Evaluation:
        """Evaluate an ended session.  Must be deterministic for the same stored data."""
        ...

    def summarize(self, ctx: ModuleContext, session: Session, evaluation: Evaluation | None) -> dict[str, Any]:
        """The module's part of a session summary (test results, transcript, ...), JSON only."""
        ...

    def validate_content(self, ctx: ModuleContext) -> list[ContentCheck]:
        """Check the content pack (``interview content validate``)."""
        ...

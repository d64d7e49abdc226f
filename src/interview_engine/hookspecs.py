"""Every hook a plugin can implement, grouped by the phase in which it is called.

A plugin is any module or object registered under the entry-point group
``interview_engine``; the bundled plugins are loaded the same way::

    [project.entry-points.interview_engine]
    my_module = "my_package.plugin"

and implement hooks with :data:`interview_engine.hookimpl`::

    from interview_engine import hookimpl

    @hookimpl
    def register_modules():
        return [MyModule()]

Hooks that must give one answer are ``firstresult``; the engine's defaults
are registered ``trylast`` so that any other plugin overrides them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from interview_engine.domain import Evaluation, Session
    from interview_engine.engine import Engine
    from interview_engine.module import InterviewModule
    from interview_engine.pages import ModulePages
    from interview_engine.runner import CodeRunner
    from interview_engine.scoring import AnswerScore, AnswerScoringRequest
    from interview_engine.study import StudyResource

PROJECT = "interview_engine"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# ---------------------------------------------------------------------------
# Registration: called once when the engine is built
# ---------------------------------------------------------------------------


@hookspec
def register_modules() -> list[InterviewModule]:
    """Return the interview modules this plugin provides.

    Called once when :class:`~interview_engine.Engine` is built; every module
    name must be unique across plugins.

    Example::

        @hookimpl
        def register_modules():
            return [PairProgrammingModule()]
    """
    raise AssertionError("hookspec")


@hookspec(firstresult=True)
def default_module() -> str | None:
    """Return the name of the module a session starts in when the caller names none.

    Called when a session is created without a module (the web API's ``createSession`` with no
    ``module``).  The first non-``None`` answer wins; the phone-screen plugin answers ``trylast`` with
    itself (the seed's documented default), so any other plugin overrides it, and the
    ``INTERVIEW_DEFAULT_MODULE`` setting overrides every plugin.

    Example::

        @hookimpl
        def default_module():
            return "pairing"
    """
    raise AssertionError("hookspec")


# ---------------------------------------------------------------------------
# Services: called whenever a module needs one
# ---------------------------------------------------------------------------


@hookspec(firstresult=True)
def code_runner() -> CodeRunner | None:
    """Return the :class:`~interview_engine.runner.CodeRunner` that runs candidate code.

    The first non-``None`` answer wins; ``interview_sandbox`` answers
    ``trylast`` with its Wasmtime sandbox, so a team can return a remote
    runner instead.

    Example::

        @hookimpl
        def code_runner():
            return QueueRunner(url=os.environ["RUNNER_URL"])
    """
    raise AssertionError("hookspec")


@hookspec(firstresult=True)
def answer_scorer(request: AnswerScoringRequest) -> AnswerScore | None:
    """Score a piece of candidate text (an answer, narration, a diagnosis).

    ``request.kind`` says what is scored (``"screen_answer"``,
    ``"coding_narration"``, ``"debug_diagnosis"`` for the bundled modules).
    Return ``None`` to leave it to the next scorer; the bundled heuristics
    answer ``trylast``.

    Example::

        @hookimpl
        def answer_scorer(request):
            if request.kind != "screen_answer":
                return None
            return AnswerScore(score=my_model.grade(request.text), scorer="acme-llm")
    """
    raise AssertionError("hookspec")


@hookspec(firstresult=True)
def scoring_request(kind: str, item_id: str, text: str, location: str) -> AnswerScoringRequest | None:
    """Build the :class:`~interview_engine.scoring.AnswerScoringRequest` for ``text`` about one item.

    Called by ``interview score KIND ITEM`` and by benchmarks, so a text can be
    judged outside a session exactly as a session would judge it.  ``item_id`` is
    a question, problem or scenario id; ``location`` is ``FILE:LINE`` for a
    diagnosis, else ``""``.  Return ``None`` when the kind or the item is not
    yours; raise :class:`~interview_engine.errors.NotFound` for an unknown item
    of your kind.

    Example::

        @hookimpl
        def scoring_request(kind, item_id, text, location):
            if kind != "flashcard":
                return None
            card = deck()[item_id]
            return AnswerScoringRequest(kind=kind, text=text, prompt=card.front, key_points=card.points)
    """
    raise AssertionError("hookspec")


@hookspec
def study_resources(topic: str, track: str) -> list[StudyResource]:
    """Return study resources for a weak ``topic`` of a candidate on ``track``.

    Called while a study plan is built; every plugin may add resources.

    Example::

        @hookimpl
        def study_resources(topic, track):
            if topic == "caching":
                return [StudyResource(topic=topic, kind="reference", title="Designing Data-Intensive "
                        "Applications, ch. 5", why="covers replication and cache coherence")]
            return []
    """
    raise AssertionError("hookspec")


# ---------------------------------------------------------------------------
# Session lifecycle: called as sessions change state
# ---------------------------------------------------------------------------


@hookspec
def on_session_ended(session: Session, evaluation: Evaluation | None) -> None:
    """Called after a session has ended and (when it could be) been evaluated.

    Example::

        @hookimpl
        def on_session_ended(session, evaluation):
            metrics.increment("sessions_ended", tags={"module": session.module})
    """


@hookspec
def on_session_deleted(session: Session) -> None:
    """Called after a session and every row that belongs to it were deleted.

    Plugins delete what they keep elsewhere (the phone screen deletes the
    ElevenLabs conversation).

    Example::

        @hookimpl
        def on_session_deleted(session):
            if session.external_ref:
                client.conversations.delete(session.external_ref)
    """


# ---------------------------------------------------------------------------
# Adapters: called when the web app or the CLI is assembled
# ---------------------------------------------------------------------------


@hookspec
def web_routes(engine: Engine) -> list[Any]:
    """Return Litestar route handlers or controllers to mount in the web app.

    Called once while the app is built, with the engine the app serves, so a plugin's routes
    can close over it (the phone screen mounts its ElevenLabs webhook this way). An
    implementation may leave ``engine`` out of its signature if it does not need it.

    Example::

        @hookimpl
        def web_routes(engine):
            @post("/webhooks/flashcards")
            async def flashcards_webhook(request: Request) -> dict:
                return handle(engine, await request.body())

            return [MyModuleController, flashcards_webhook]
    """
    raise AssertionError("hookspec")


@hookspec
def module_pages() -> list[ModulePages]:
    """Return the :class:`~interview_engine.pages.ModulePages` of the modules this plugin provides.

    Called once while the web app is built. Each declares where a module's templates and static
    files are (inside the plugin's package), its navigation entry, its start page, workspace and
    summary view; the app mounts them at ``path`` and links to them (home page, navigation, study
    plans) without knowing the module. The bundled modules declare theirs this way.

    Example::

        @hookimpl
        def module_pages():
            return [ModulePages(module="flashcards", path="/flashcards", nav="Flash cards",
                                templates=Path(__file__).parent / "templates",
                                summary_template="summary.html")]
    """
    raise AssertionError("hookspec")


@hookspec
def cli_commands() -> list[Any]:
    """Return ``click`` commands or groups to add to the ``interview`` command.

    Example::

        @hookimpl
        def cli_commands():
            return [my_group]  # a click.Group named "pairing"
    """
    raise AssertionError("hookspec")

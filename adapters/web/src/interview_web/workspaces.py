"""The three practice pages: a picker, then the workspace of one session.

``/coding`` and ``/debugging`` list problems or scenarios for the chosen track and level; starting one
creates a session and opens its workspace.  ``/session`` is the phone screen.  The browser's scripts
talk to the JSON API (``/api/sessions/{id}/actions/...``).
"""

from __future__ import annotations

import os
from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template

from interview_engine import Difficulty, Engine, NotFound, SessionStatus, Track, User
from interview_web.choice import choose
from interview_web.deps import EngineDep, SessionId
from interview_web.kit import AnyRequest, CurrentUser, page
from interview_web.markdown import render_markdown

FormBody = Body(media_type=RequestEncodingType.URL_ENCODED)
Form = Annotated[dict[str, str], FormBody]


def _picker(
    request: AnyRequest,
    engine: Engine,
    user: User,
    *,
    module: str,
    template: str,
    track: str | None,
    difficulty: str | None,
    selected: str | None,
    tag: str | None = None,
) -> Template:
    chosen = choose(engine, user, track, difficulty)
    installed = module in engine.modules
    listed = engine.items(module, chosen.track, chosen.difficulty) if installed else []
    tags = sorted({t for item in listed for t in item.topics})
    tag_value = tag if tag in tags else ""
    items = [item for item in listed if tag_value in item.topics] if tag_value else listed
    recent = [s for s in engine.list_sessions(user_id=user.id, limit=50) if s.module == module][:5]
    return page(
        request,
        template,
        user=user,
        installed=installed,
        items=items,
        track=chosen.track,
        difficulty=chosen.difficulty,
        tracks=[t.value for t in Track],
        difficulties=[d.value for d in Difficulty],
        selected=selected,
        recent=recent,
        tags=tags,
        tag=tag_value,
        progress=engine.progress(user.id, module) if installed else {},
    )


def _start(request: AnyRequest, engine: Engine, user: User, data: dict[str, str], module: str, option: str) -> Redirect:
    options: dict[str, Any] = {option: data[option]} if data.get(option) else {}
    session = engine.start_session(
        user_id=user.id,
        module=module,
        track=data.get("track", ""),
        difficulty=data.get("difficulty", ""),
        options=options,
    )
    return Redirect(path=f"{WORKSPACE[module]}/{session.id}", status_code=303)


WORKSPACE = {"live_coding": "/coding", "debugging": "/debugging", "voice_screen": "/session"}


def _workspace_session(engine: Engine, user: User, session_id: str, module: str) -> Any:
    session = engine.get_session(session_id, user_id=user.id)
    if session.module != module:
        raise NotFound(f"no {module} session {session_id}", field="session_id")
    return session


def _workspace(
    request: AnyRequest,
    engine: Engine,
    user: User,
    session_id: str,
    module: str,
    action: str,
    template: str,
    markdown: str,
) -> Template | Redirect:
    """An active session's workspace, filled from the module's ``action`` (its prompt or scenario)."""
    session = _workspace_session(engine, user, session_id, module)
    if session.status is not SessionStatus.ACTIVE:
        return Redirect(path=f"/summary/{session.id}")
    data = engine.act(session.id, action, {}, user_id=user.id).data
    return page(
        request,
        template,
        user=user,
        session=session,
        data=data,
        markdown=render_markdown(str(data.get(markdown, ""))),
        submissions=engine.store.submissions(session.id, kind="submit"),
    )


class WorkspaceController(Controller):
    include_in_schema = False

    # -- live coding ---------------------------------------------------------

    @get("/coding", sync_to_thread=True)
    def coding(
        self,
        request: AnyRequest,
        engine: EngineDep,
        user: CurrentUser,
        track: FromQuery[str | None] = None,
        difficulty: FromQuery[str | None] = None,
        problem: FromQuery[str | None] = None,
        tag: FromQuery[str | None] = None,
    ) -> Template:
        return _picker(
            request,
            engine,
            user,
            module="live_coding",
            template="coding_picker.html",
            track=track,
            difficulty=difficulty,
            selected=problem,
            tag=tag,
        )

    @post("/coding/start", sync_to_thread=True, status_code=303)
    def coding_start(self, request: AnyRequest, engine: EngineDep, user: CurrentUser, data: Form) -> Redirect:
        return _start(request, engine, user, data, "live_coding", "problemId")

    @get("/coding/{session_id:str}", sync_to_thread=True)
    def coding_workspace(
        self, request: AnyRequest, engine: EngineDep, user: CurrentUser, session_id: SessionId
    ) -> Template | Redirect:
        return _workspace(request, engine, user, session_id, "live_coding", "prompt", "coding.html", "statement")

    # -- debugging -----------------------------------------------------------

    @get("/debugging", sync_to_thread=True)
    def debugging(
        self,
        request: AnyRequest,
        engine: EngineDep,
        user: CurrentUser,
        track: FromQuery[str | None] = None,
        difficulty: FromQuery[str | None] = None,
        scenario: FromQuery[str | None] = None,
        tag: FromQuery[str | None] = None,
    ) -> Template:
        return _picker(
            request,
            engine,
            user,
            module="debugging",
            template="debugging_picker.html",
            track=track,
            difficulty=difficulty,
            selected=scenario,
            tag=tag,
        )

    @post("/debugging/start", sync_to_thread=True, status_code=303)
    def debugging_start(self, request: AnyRequest, engine: EngineDep, user: CurrentUser, data: Form) -> Redirect:
        return _start(request, engine, user, data, "debugging", "scenarioId")

    @get("/debugging/{session_id:str}", sync_to_thread=True)
    def debugging_workspace(
        self, request: AnyRequest, engine: EngineDep, user: CurrentUser, session_id: SessionId
    ) -> Template | Redirect:
        return _workspace(request, engine, user, session_id, "debugging", "scenario", "debugging.html", "description")

    # -- phone screen --------------------------------------------------------

    @get("/session", sync_to_thread=True)
    def screen(
        self,
        request: AnyRequest,
        engine: EngineDep,
        user: CurrentUser,
        track: FromQuery[str | None] = None,
        difficulty: FromQuery[str | None] = None,
    ) -> Template:
        voice = bool(os.environ.get("ELEVENLABS_API_KEY"))
        chosen = choose(engine, user, track, difficulty)
        return page(
            request,
            "screen_start.html",
            user=user,
            installed="voice_screen" in engine.modules,
            voice=voice,
            track=chosen.track,
            difficulty=chosen.difficulty,
            tracks=[t.value for t in Track],
            difficulties=[d.value for d in Difficulty],
        )

    @post("/session/start", sync_to_thread=True, status_code=303)
    def screen_start(self, request: AnyRequest, engine: EngineDep, user: CurrentUser, data: Form) -> Redirect:
        if data.get("mode") == "voice" and not os.environ.get("ELEVENLABS_API_KEY"):
            # No voice service here: such a session could never be analysed (it would end as a 0.00
            # "awaiting analysis"), so the same screen runs typed instead.
            data = {**data, "mode": "offline"}
        return _start(request, engine, user, data, "voice_screen", "mode")

    @get("/session/{session_id:str}", sync_to_thread=True)
    def screen_call(
        self, request: AnyRequest, engine: EngineDep, user: CurrentUser, session_id: SessionId
    ) -> Template | Redirect:
        session = _workspace_session(engine, user, session_id, "voice_screen")
        if session.status is not SessionStatus.ACTIVE:
            return Redirect(path=f"/summary/{session.id}")
        mode = session.state.get("mode", "offline")
        opening = engine.act(session.id, "next", {}, user_id=user.id).data if mode == "offline" else {}
        # A reload shows the conversation so far, not only the open question.
        said = [s for s in engine.store.transcript(session.id) if s.text] if mode == "offline" else []
        return page(request, "screen.html", user=user, session=session, mode=mode, opening=opening, said=said)

"""Every module's start page and workspace, mounted from its :class:`~interview_engine.ModulePages`.

Per module, at its ``path``: ``GET path`` lists its items for the chosen track and level (the module's
start page, or the app's picker); ``POST path/start`` starts a session and opens it; ``GET path/{id}``
is an active session's workspace (an ended one redirects to its summary).  The browser's scripts
talk to the JSON API (``/api/sessions/{id}/actions/...``).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Router, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from interview_engine import Difficulty, Engine, Item, ModulePages, NotFound, Session, SessionStatus, Track, User
from interview_web.choice import choose
from interview_web.deps import EngineDep, SessionId
from interview_web.kit import AnyRequest, CurrentUser, page

__all__ = ["module_routers"]

FormBody = Body(media_type=RequestEncodingType.URL_ENCODED)
Form = Annotated[dict[str, str], FormBody]
PICKER = "_start.html"
GENERIC_WORKSPACE = "_workspace.html"


def _chosen(engine: Engine, module: str, item_id: str | None) -> Item | None:
    if not item_id:
        return None
    return next((item for item in engine.items(module) if item.id == item_id), None)


def start_page(request: AnyRequest, engine: Engine, user: User, pages: ModulePages) -> Template:
    """The module's items for a track, level and topic, each marked solved or attempted; a chosen item (a
    practice link) is shown whatever track and level were picked before."""
    query = request.query_params
    item = _chosen(engine, pages.module, query.get(pages.item_param))
    # A practice link names the item: its own track and level win, so the item is on the page.
    chosen = choose(
        engine,
        user,
        item.track.value if item else query.get("track"),
        item.difficulty.value if item else query.get("difficulty"),
    )
    listed = engine.items(pages.module, chosen.track, chosen.difficulty)
    tags = sorted({t for found in listed for t in found.topics})
    tag = query.get("tag") if query.get("tag") in tags else ""
    items = [found for found in listed if tag in found.topics] if tag else listed
    recent = [s for s in engine.list_sessions(user_id=user.id, limit=50) if s.module == pages.module][:5]
    extra = dict(pages.start_context(engine)) if pages.start_context else {}
    return page(
        request,
        pages.template(pages.start_template) if pages.start_template else PICKER,
        user=user,
        module=engine.module(pages.module),
        pages=pages,
        items=items,
        track=chosen.track,
        difficulty=chosen.difficulty,
        tracks=[t.value for t in Track],
        difficulties=[d.value for d in Difficulty],
        selected=item.id if item else None,
        recent=recent,
        tags=tags,
        tag=tag,
        progress=engine.progress(user.id, pages.module),
        **extra,
    )


def start(engine: Engine, user: User, pages: ModulePages, data: dict[str, str]) -> Redirect:
    session = engine.start_session(
        user_id=user.id,
        module=pages.module,
        track=data.get("track", ""),
        difficulty=data.get("difficulty", ""),
        options=pages.options(data),
    )
    return Redirect(path=pages.workspace_link(session.id), status_code=303)


def workspace_session(engine: Engine, user: User, session_id: str, module: str) -> Session:
    session = engine.get_session(session_id, user_id=user.id)
    if session.module != module:
        raise NotFound(f"no {module} session {session_id}", field="session_id")
    return session


def workspace(request: AnyRequest, engine: Engine, user: User, pages: ModulePages, session_id: str) -> Any:
    session = workspace_session(engine, user, session_id, pages.module)
    if session.status is not SessionStatus.ACTIVE:
        return Redirect(path=f"/summary/{session.id}")
    extra = dict(pages.workspace(engine, session)) if pages.workspace else {}
    template = pages.template(pages.workspace_template) if pages.templates is not None else GENERIC_WORKSPACE
    module = engine.module(pages.module)
    return page(request, template, user=user, session=session, module=module, pages=pages, **extra)


def module_router(pages: ModulePages) -> Router:
    """The three pages of one module, at its path."""

    @get("/", sync_to_thread=True, name=f"{pages.module}:start-page")
    def start_handler(request: AnyRequest, engine: EngineDep, user: CurrentUser) -> Template:
        return start_page(request, engine, user, pages)

    @post("/start", sync_to_thread=True, status_code=303, name=f"{pages.module}:start")
    def start_post(request: AnyRequest, engine: EngineDep, user: CurrentUser, data: Form) -> Redirect:
        return start(engine, user, pages, data)

    @get("/{session_id:str}", sync_to_thread=True, name=f"{pages.module}:workspace")
    def workspace_handler(
        request: AnyRequest, engine: EngineDep, user: CurrentUser, session_id: SessionId
    ) -> Template | Redirect:
        found: Template | Redirect = workspace(request, engine, user, pages, session_id)
        return found

    return Router(
        path=pages.path, route_handlers=[start_handler, start_post, workspace_handler], include_in_schema=False
    )


def module_routers(modules: Any) -> list[Router]:
    return [module_router(pages) for pages in modules]

"""Server-rendered pages."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get
from litestar.response import Template

from interview_engine import Difficulty, Track
from interview_web.choice import choose
from interview_web.deps import EngineDep
from interview_web.kit import AnyRequest, Viewer, page
from interview_web.module_pages import Site


@get("/health", include_in_schema=True, operation_id="health", sync_to_thread=False)
def health(engine: EngineDep) -> dict[str, Any]:
    """Liveness and what is loaded."""
    return {"status": "ok", "modules": sorted(engine.modules), "database": engine.store.dialect}


class PageController(Controller):
    include_in_schema = False

    @get("/", sync_to_thread=True)
    def home(self, request: AnyRequest, engine: EngineDep, viewer: Viewer, site: Site) -> Template:
        user = viewer
        sessions = engine.list_sessions(user_id=user.id, limit=8) if user else []
        evaluations = engine.store.evaluations_for([s.id for s in sessions])
        modules = [
            {
                "name": pages.module,
                "title": engine.modules[pages.module].title,
                "description": engine.modules[pages.module].description,
                "href": pages.path,
            }
            for pages in site
        ]
        chosen = choose(engine, user)
        return page(
            request,
            "home.html",
            user=user,
            track=chosen.track,
            difficulty=chosen.difficulty,
            tracks=[t.value for t in Track],
            difficulties=[d.value for d in Difficulty],
            modules=modules,
            sessions=sessions,
            evaluations=evaluations,
            titles={m.name: m.title for m in engine.modules.values()},
        )

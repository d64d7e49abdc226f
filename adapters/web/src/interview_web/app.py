"""``create_app()``: the Litestar app, wired in one place."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from pathlib import Path

from litestar import Litestar
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from interview_engine import Engine
from interview_web.api.modules import ModuleController
from interview_web.api.sessions import SessionController
from interview_web.errors import HANDLERS
from interview_web.history import HistoryController
from interview_web.pages import PageController, health

HERE = Path(__file__).parent


def create_app(*, database_url: str | None = None, engine: Engine | None = None) -> Litestar:
    """Build the web app on an engine (one is created from ``database_url`` when not given)."""
    the_engine = engine or Engine.create(database_url)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        try:
            yield
        finally:
            if engine is None:
                the_engine.close()

    plugin_routes = [route for routes in the_engine.hooks.web_routes() for route in routes]
    return Litestar(
        route_handlers=[
            PageController,
            HistoryController,
            health,
            SessionController,
            ModuleController,
            create_static_files_router(path="/static", directories=[HERE / "static"], name="static"),
            *plugin_routes,
        ],
        dependencies={"engine": Provide(lambda: the_engine, use_cache=True, sync_to_thread=False)},
        exception_handlers=HANDLERS,  # type: ignore[arg-type]
        template_config=TemplateConfig(directory=HERE / "templates", engine=JinjaTemplateEngine),
        openapi_config=OpenAPIConfig(
            title="Interview engine API",
            version="0.1.0",
            path="/schema",
            render_plugins=[SwaggerRenderPlugin()],
        ),
        lifespan=[lifespan],
    )

"""``create_app()``: the Litestar app, wired in one place."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from pathlib import Path

from jinja2 import Environment
from litestar import Litestar
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from interview_engine import Engine
from interview_web.accounts import AccountController
from interview_web.api.actions import action_routes
from interview_web.api.grades import GraderController
from interview_web.api.jobs import JobController
from interview_web.api.modules import ModuleController
from interview_web.api.sessions import MeController, SessionController
from interview_web.errors import HANDLERS
from interview_web.events import bridge_job_events, job_channels
from interview_web.guards import refuse_bad_input
from interview_web.history import HistoryController
from interview_web.identity import session_config
from interview_web.kit import DEPENDENCIES
from interview_web.literals import register_filters
from interview_web.module_pages import SiteModules, site_modules
from interview_web.pages import PageController, health
from interview_web.ratelimit import RateLimiter, SignInThrottle, runs_limiter
from interview_web.security import add_security_headers
from interview_web.summary import SummaryController
from interview_web.workspaces import module_routers

HERE = Path(__file__).parent
SWAGGER = "/static/dist/swagger"


def _templates(modules: SiteModules) -> JinjaTemplateEngine:
    """The app's templates, then every module's own (``{module}/{file}``), with the kit's filters."""
    environment = Environment(loader=modules.loader(HERE / "templates"), autoescape=True)
    environment.globals["module_nav"] = modules.nav()
    environment.globals["module_pages"] = modules.by_module()
    templates = JinjaTemplateEngine.from_environment(environment)
    register_filters(templates)
    return templates


def create_app(
    *,
    database_url: str | None = None,
    engine: Engine | None = None,
    limiter: RateLimiter | None = None,
) -> Litestar:
    """Build the web app on an engine (one is created from ``database_url`` when not given)."""
    the_engine = engine or Engine.create(database_url)
    the_limiter = limiter or runs_limiter()
    the_throttle = SignInThrottle.from_env(the_engine.store.signin_failures)

    channels = job_channels(the_engine)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        stop = bridge_job_events(the_engine, channels, asyncio.get_running_loop())
        try:
            yield
        finally:
            stop()
            if engine is None:
                the_engine.close()

    plugin_routes = [route for routes in the_engine.hooks.web_routes(engine=the_engine) for route in routes]
    modules = site_modules(the_engine)
    app = Litestar(
        route_handlers=[
            PageController,
            HistoryController,
            AccountController,
            SummaryController,
            health,
            SessionController,
            MeController,
            ModuleController,
            *action_routes(the_engine),
            JobController,
            GraderController,
            create_static_files_router(path="/static", directories=[HERE / "static"], name="static"),
            *modules.static_routers(),
            *module_routers(modules),
            *plugin_routes,
        ],
        dependencies={
            "engine": Provide(lambda: the_engine, use_cache=True, sync_to_thread=False),
            "site": Provide(lambda: modules, use_cache=True, sync_to_thread=False),
            "limiter": Provide(lambda: the_limiter, use_cache=True, sync_to_thread=False),
            "signin_throttle": Provide(lambda: the_throttle, use_cache=True, sync_to_thread=False),
            **DEPENDENCIES,
        },
        middleware=[session_config().middleware],
        before_request=refuse_bad_input,
        before_send=[add_security_headers],
        exception_handlers=HANDLERS,  # type: ignore[arg-type]
        template_config=TemplateConfig(instance=_templates(modules)),
        openapi_config=OpenAPIConfig(
            title="Interview engine API",
            version="0.1.0",
            path="/schema",
            render_plugins=[
                SwaggerRenderPlugin(
                    js_url=f"{SWAGGER}/swagger-ui-bundle.js",
                    css_url=f"{SWAGGER}/swagger-ui.css",
                    standalone_preset_js_url=f"{SWAGGER}/swagger-ui-standalone-preset.js",
                    favicon="<link rel='icon' type='image/svg+xml' href='/static/favicon.svg'>",
                )
            ],
        ),
        lifespan=[lifespan],
        plugins=[channels],
        request_max_body_size=512 * 1024,
    )
    # Everything built so far (plugins, content packs, routes) lives as long as the process: keep it out of
    # the cyclic garbage collector's full passes, which otherwise stall large pages such as /history.
    gc.freeze()
    return app

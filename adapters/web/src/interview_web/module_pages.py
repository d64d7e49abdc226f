"""The modules' pages, found through the ``module_pages`` hook: no module is known here by name.

Each plugin declares :class:`~interview_engine.ModulePages` for its modules (templates and static files
inside its own package, its path, its navigation entry); a module whose plugin declares none gets the
app's generic pages at ``/modules/{name}``.  This module turns the declarations into what the app needs:
one template loader (the app's templates, then each module's under ``{module}/``), static folders at
``/static/modules/{module}/`` and the navigation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, PrefixLoader
from litestar.di import NamedDependency
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

from interview_engine import Engine, ModulePages, PluginError

__all__ = ["STATIC_BASE", "Site", "SiteModules", "site_modules", "style_links"]

STATIC_BASE = "/static/modules"


class SiteModules:
    """Every installed module's pages, in navigation order.

    A plain class: handlers receive it as a dependency, and Litestar would otherwise try to convert an
    attrs class field by field.
    """

    def __init__(self, pages: tuple[ModulePages, ...]) -> None:
        self.pages = pages

    def __iter__(self) -> Iterator[ModulePages]:
        return iter(self.pages)

    def get(self, module: str) -> ModulePages | None:
        return next((p for p in self.pages if p.module == module), None)

    def by_module(self) -> Mapping[str, ModulePages]:
        return {p.module: p for p in self.pages}

    def nav(self) -> list[tuple[str, str]]:
        """``(href, label)`` of the top navigation, the modules first."""
        return [(p.path, p.nav) for p in self.pages]

    def loader(self, app_templates: Path) -> BaseLoader:
        """The app's own templates, then each module's as ``{module}/{file}``."""
        owned = {p.module: FileSystemLoader(p.templates) for p in self.pages if p.templates is not None}
        return ChoiceLoader([FileSystemLoader(app_templates), PrefixLoader(owned, delimiter="/")])

    def static_routers(self) -> list[ControllerRouterHandler]:
        return [
            create_static_files_router(
                path=f"{STATIC_BASE}/{p.module}", directories=[p.static], name=f"static-{p.module}"
            )
            for p in self.pages
            if p.static is not None
        ]


def style_links(pages: ModulePages) -> list[str]:
    """Where the module's stylesheets are served (its ``static`` folder's URL)."""
    return [f"{STATIC_BASE}/{pages.module}/{name}" for name in pages.styles]


Site = NamedDependency[SiteModules]
"""A handler parameter ``site: Site``: every module's pages."""


def _default(engine: Engine, name: str) -> ModulePages:
    return ModulePages(module=name, path=f"/modules/{name}", nav=engine.modules[name].title, order=1000)


def site_modules(engine: Engine) -> SiteModules:
    """The declared pages of every installed module (the app's generic ones where none are declared).

    Raises:
        PluginError: a declaration names a module nobody registered, two claim one module or one path.
    """
    declared: dict[str, ModulePages] = {}
    for found in engine.hooks.module_pages():
        for pages in found:
            if pages.module not in engine.modules:
                raise PluginError(f"ModulePages.module: no module {pages.module!r} is registered")
            if pages.module in declared:
                raise PluginError(f"ModulePages.module: {pages.module!r} has pages declared twice")
            declared[pages.module] = pages
    every = [declared.get(name) or _default(engine, name) for name in engine.modules]
    paths = [p.path for p in every]
    clash = sorted({path for path in paths if paths.count(path) > 1})
    if clash:
        raise PluginError(f"ModulePages.path: {clash[0]!r} is claimed by two modules")
    return SiteModules(tuple(sorted(every, key=lambda p: (p.order, p.nav.casefold(), p.module))))

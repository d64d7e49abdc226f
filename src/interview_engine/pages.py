"""How a module's pages are declared: the web app finds them through the ``module_pages`` hook.

A module ships its Jinja templates and static files inside its own package and says, as data, where
they are and how its pages are reached; the web adapter mounts them without knowing the module::

    from pathlib import Path
    from interview_engine import ModulePages, hookimpl

    HERE = Path(__file__).parent

    @hookimpl
    def module_pages():
        return [ModulePages(module="flashcards", path="/flashcards", nav="Flash cards",
                            templates=HERE / "templates", static=HERE / "static",
                            workspace=lambda engine, session: {"card": session.item_id})]

What the web app then serves for it, with the module's templates addressed as ``flashcards/NAME``:

- ``GET {path}``: the start page (``start_template``, or the app's own item picker), listing the module's
  items for a track and level; ``?{item_param}=ID`` marks (and shows) that item;
- ``POST {path}/start``: starts a session (``start_options`` turns the form into the module's start
  options; by default the form's ``{item_param}`` goes in as ``{option}``) and opens its workspace;
- ``GET {path}/{session_id}``: an active session's workspace (``workspace_template``), filled by
  ``workspace`` (an ended one redirects to its summary);
- on ``/summary/{id}``: ``summary_template`` rendered with the module's ``summarize`` view as ``view``
  (no template: the app renders the view generically, as lists and tables);
- in the top navigation: ``nav``, and on the home page a Start button; in study plans, practice links
  ``{path}?{item_param}=ID&track=...&difficulty=...`` that open that exact item;
- ``static`` at ``/static/modules/{module}/``; each of ``styles`` (stylesheets in ``static``) is linked in the
  head of the module's start page, workspace and summary, after the app's own stylesheet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from attrs import field, frozen

if TYPE_CHECKING:
    from interview_engine.domain import Session
    from interview_engine.engine import Engine

__all__ = ["ModulePages", "StartContext", "StartOptions", "WorkspaceContext"]

WorkspaceContext = Callable[["Engine", "Session"], Mapping[str, Any]]
"""``(engine, session) -> context``: what a workspace template shows besides ``session``."""
StartContext = Callable[["Engine"], Mapping[str, Any]]
"""``(engine) -> context``: what a start page shows besides the items and the chosen track and level."""
StartOptions = Callable[[Mapping[str, str]], Mapping[str, Any]]
"""``(form) -> options``: the module's start options from the start page's form."""


def _styles(value: Iterable[str]) -> tuple[str, ...]:
    found = (value,) if isinstance(value, str) else tuple(value)
    for name in found:
        if not name.endswith(".css") or name.startswith("/") or ".." in name.split("/"):
            raise ValueError(f"ModulePages.styles must be .css files inside static, like 'screen.css', got {name!r}")
    return found


def _path(value: str) -> str:
    if not value.startswith("/") or value.endswith("/") or "{" in value or "?" in value:
        raise ValueError(f"ModulePages.path must be like '/coding', got {value!r}")
    return value


@frozen
class ModulePages:
    """The pages of one module, as its plugin declares them (hook ``module_pages``).

    Attributes:
        module: the module's name (as registered by ``register_modules``).
        path: where its pages live, e.g. ``/coding``.
        nav: its entry in the top navigation, e.g. ``Live coding``.
        templates: the folder of its Jinja templates; they extend ``base.html`` and may import the
            app's ``_picker.html`` macros; they are addressed as ``{module}/{file}``.
        static: a folder served at ``/static/modules/{module}/`` (scripts, styles).
        styles: the module's stylesheets, files in ``static`` (``("coding.css",)``): linked in the head of
            its start page, workspace and summary.  The app's stylesheet is the web kit's look (layout,
            panes, forms, tables, the workspace grid); a module's own classes are styled here.
        start_template: the start page, a file in ``templates``; ``None``: the app's item picker.
        workspace_template: an active session's page, a file in ``templates``.
        summary_template: the module's part of ``/summary/{id}``, a file in ``templates``.
        item_param: the query parameter and form field naming an item (``problem``).
        option: the start option the chosen item goes in (``problemId``).
        order: position in the navigation and on the home page (smaller first).
        workspace: fills the workspace template (default: nothing but the session).
        start_context: adds to the start page's context.
        start_options: builds the start options from the form (default: the item, if one was chosen).
    """

    module: str
    path: str = field(converter=_path)
    nav: str
    templates: Path | None = None
    static: Path | None = None
    styles: tuple[str, ...] = field(default=(), converter=_styles)
    start_template: str | None = None
    workspace_template: str = "workspace.html"
    summary_template: str | None = None
    item_param: str = "item"
    option: str = "item"
    order: int = 100
    workspace: WorkspaceContext | None = None
    start_context: StartContext | None = None
    start_options: StartOptions | None = None

    def __attrs_post_init__(self) -> None:
        if self.styles and self.static is None:
            raise ValueError("ModulePages.styles: the stylesheets are files in static, and static is not set")

    def template(self, name: str) -> str:
        """A template of this module as the web app's loader addresses it."""
        return f"{self.module}/{name}"

    def options(self, form: Mapping[str, str]) -> dict[str, Any]:
        """The start options for a submitted start form."""
        if self.start_options is not None:
            return dict(self.start_options(form))
        chosen = form.get(self.item_param)
        return {self.option: chosen} if chosen else {}

    def practice_link(self, item_id: str, *, track: str, difficulty: str) -> str:
        """The start page with ``item_id`` chosen (and scrolled to)."""
        query = urlencode({self.item_param: item_id, "track": track, "difficulty": difficulty})
        return f"{self.path}?{query}#item-{item_id}"

    def workspace_link(self, session_id: str) -> str:
        """Where an active session of this module is worked on (and resumed)."""
        return f"{self.path}/{session_id}"

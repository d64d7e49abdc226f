"""The live-coding pages: templates and scripts shipped in this package, declared through ``module_pages``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from interview_engine.pages import ModulePages

if TYPE_CHECKING:
    from interview_engine import Engine, Session

HERE = Path(__file__).parent


def workspace(engine: Engine, session: Session) -> Mapping[str, Any]:
    """The problem as the candidate sees it, and every submission so far."""
    return {
        "data": engine.act(session.id, "prompt", {}, user_id=session.user_id).data,
        "submissions": engine.store.submissions(session.id, kind="submit"),
    }


PAGES = ModulePages(
    module="live_coding",
    path="/coding",
    nav="Live coding",
    templates=HERE / "templates",
    static=HERE / "static",
    styles=("coding.css",),
    start_template="start.html",
    summary_template="summary.html",
    item_param="problem",
    option="problemId",
    order=20,
    workspace=workspace,
)

"""The phone-screen pages: templates and scripts shipped in this package, declared through ``module_pages``.

The start page offers a call when a voice service is configured, else the typed screen; a practice link
(``/session?question=ID``) starts the screen on that question.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from interview_engine.pages import ModulePages

if TYPE_CHECKING:
    from interview_engine import Engine, Session

HERE = Path(__file__).parent


def _voice_configured() -> bool:
    from interview_voice_screen.voice.settings import VoiceSettings

    return VoiceSettings.from_env().configured


def start_context(engine: Engine) -> Mapping[str, Any]:
    return {"voice": _voice_configured()}


def start_options(form: Mapping[str, str]) -> Mapping[str, Any]:
    mode = form.get("mode") or None
    if mode == "voice" and not _voice_configured():
        # No voice service here: such a session could never be analysed (it would end as a 0.00
        # "awaiting analysis"), so the same screen runs typed instead.
        mode = "offline"
    options: dict[str, Any] = {"mode": mode} if mode else {}
    if form.get("question"):
        options["question"] = form["question"]
    return options


def workspace(engine: Engine, session: Session) -> Mapping[str, Any]:
    """A typed screen opens on its current question and shows the conversation so far (a reload keeps it)."""
    mode = session.state.get("mode", "offline")
    if mode != "offline":
        return {"mode": mode, "opening": {}, "said": []}
    opening = engine.act(session.id, "next", {}, user_id=session.user_id).data
    said = [s for s in engine.store.transcript(session.id) if s.text]
    return {"mode": mode, "opening": opening, "said": said}


PAGES = ModulePages(
    module="voice_screen",
    path="/session",
    nav="Phone screen",
    templates=HERE / "templates",
    static=HERE / "static",
    styles=("screen.css",),
    start_template="start.html",
    summary_template="summary.html",
    item_param="question",
    option="question",
    order=10,
    workspace=workspace,
    start_context=start_context,
    start_options=start_options,
)

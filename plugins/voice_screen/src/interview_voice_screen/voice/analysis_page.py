"""Fetching a call's analysis from the web, mounted through ``web_routes(engine)``.

``POST /api/sessions/{id}/analysis`` (``fetchCallAnalysis``): the call page's script asks for it when a call
ends (waits up to 20 s); ``POST /summary/{id}/analysis``: the summary page's "fetch the analysis" asks
ElevenLabs once more, briefly, and shows the summary again.  This module is imported only when the
web app is built (by the ``web_routes`` hook), so Litestar is never loaded by the engine or the CLI.
``user`` is the web app's signed-in-candidate dependency (CSRF-checked), taken by name as any plugin's
handler takes it.
"""

from __future__ import annotations

from typing import Annotated, Any

from attrs import frozen
from litestar import post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, FromPath
from litestar.response import Redirect

from interview_engine import Engine, InvalidInput, User
from interview_voice_screen.bank import MODULE_NAME

__all__ = ["analysis_routes"]

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


@frozen
class Problem:
    """An error answer, as every API operation documents it."""

    status_code: int
    detail: str
    field: str | None = None


def _problem(description: str) -> ResponseSpec:
    return ResponseSpec(data_container=Problem, description=description)


ERRORS = {
    400: _problem("Not a phone screen, or the request was invalid; `field` names what was wrong."),
    401: _problem("Nobody is signed in."),
    403: _problem("The CSRF token is missing or wrong."),
    404: _problem("No such session (or not yours)."),
    503: _problem("ElevenLabs or the database cannot be reached; nothing changed, try again later."),
}


def analysis_routes(engine: Engine) -> list[Any]:
    from interview_voice_screen.voice.fetch import fetch_analysis

    @post("/summary/{session_id:str}/analysis", include_in_schema=False, sync_to_thread=True, status_code=303)
    def fetch_call_analysis(session_id: FromPath[str], user: NamedDependency[User], data: Form) -> Redirect:
        report = fetch_analysis(engine, session_id, user_id=user.id, deadline_s=10.0)
        return Redirect(path=f"/summary/{session_id}?analysis={report['status']}#agent-opinion", status_code=303)

    @post(
        "/api/sessions/{session_id:str}/analysis",
        operation_id="fetchCallAnalysis",
        tags=["sessions"],
        responses=ERRORS,
        sync_to_thread=True,
        status_code=201,
    )
    def fetch_call_analysis_json(session_id: FromPath[str], user: NamedDependency[User]) -> dict[str, Any]:
        """A voice phone screen: fetch its latest call's analysis from ElevenLabs (waits up to 20 s).

        Works during the call and after it; ``data.status`` is ``ingested``, ``duplicate`` or
        ``not_ready`` (ElevenLabs is still making it: ask again later).
        """
        session = engine.get_session(session_id, user_id=user.id)
        if session.module != MODULE_NAME:
            raise InvalidInput(f"session {session_id} is not a phone screen", field="session_id")
        report = fetch_analysis(engine, session_id, user_id=user.id, deadline_s=20.0)
        stored = engine.get_session(session_id)
        return {"session": {"id": stored.id, "status": stored.status.value}, "data": report}

    return [fetch_call_analysis, fetch_call_analysis_json]

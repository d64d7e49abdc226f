"""``POST /summary/{id}/analysis``: the summary page's "fetch the analysis", mounted through ``web_routes(engine)``.

It asks ElevenLabs once more, briefly, and shows the summary again.  This module is imported only when the
web app is built (by the ``web_routes`` hook), so Litestar is never loaded by the engine or the CLI.
``user`` is the web app's signed-in-candidate dependency (CSRF-checked), taken by name as any plugin's
handler takes it.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect

from interview_engine import Engine, User

__all__ = ["analysis_routes"]

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


def analysis_routes(engine: Engine) -> list[Any]:
    from interview_voice_screen.voice.fetch import fetch_analysis

    @post("/summary/{session_id:str}/analysis", include_in_schema=False, sync_to_thread=True, status_code=303)
    def fetch_call_analysis(session_id: FromPath[str], user: NamedDependency[User], data: Form) -> Redirect:
        report = fetch_analysis(engine, session_id, user_id=user.id, deadline_s=10.0)
        return Redirect(path=f"/summary/{session_id}?analysis={report['status']}#agent-opinion", status_code=303)

    return [fetch_call_analysis]

"""``/summary/{id}``: any session's rubric, evidence, gaps, next steps and the module's own view."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template

from interview_web.charts import rubric_bars
from interview_web.deps import EngineDep, SessionId
from interview_web.identity import AnyRequest, current_user
from interview_web.rendering import page

TEMPLATES = Path(__file__).parent / "templates"


class SummaryController(Controller):
    include_in_schema = False

    @get("/summary/{session_id:str}", sync_to_thread=True)
    def summary(
        self, request: AnyRequest, engine: EngineDep, session_id: SessionId, analysis: FromQuery[str | None] = None
    ) -> Template:
        user = current_user(request, engine)
        found = engine.summary(session_id, user_id=user.id)
        evaluation = found.evaluation
        module = engine.module(found.session.module)
        spec = module.rubric(found.session.track, found.session.difficulty)
        chart = None
        if evaluation is not None:
            weights = {d.name: d.weight for d in spec.dimensions}
            floors = list(spec.floors.values())
            chart = rubric_bars(evaluation.scores, weights, floor=min(floors) if floors else None)
        evidence: dict[str, list[str]] = {}
        for item in evaluation.evidence if evaluation else ():
            evidence.setdefault(item.dimension, []).append(item.text)
        partial = f"summary_{module.name}.html"
        view_template = partial if (TEMPLATES / partial).exists() else None
        return page(
            request,
            "summary.html",
            user=user,
            summary=found,
            session=found.session,
            evaluation=evaluation,
            chart=chart,
            evidence=evidence,
            dimensions=spec.dimensions,
            view=found.view,
            view_template=view_template,
            analysis_status=analysis,
        )

    @post("/summary/{session_id:str}/analysis", sync_to_thread=True, status_code=303)
    def fetch_analysis(
        self,
        request: AnyRequest,
        engine: EngineDep,
        session_id: SessionId,
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect:
        """A voice screen's "fetch the analysis": ask ElevenLabs once more, briefly."""
        from interview_voice_screen import fetch_analysis

        user = current_user(request, engine, form_token=data.get("_csrf"))
        report = fetch_analysis(engine, session_id, user_id=user.id, deadline_s=10.0)
        return Redirect(path=f"/summary/{session_id}?analysis={report['status']}#agent-opinion", status_code=303)

    @post("/summary/{session_id:str}/delete", sync_to_thread=True, status_code=303)
    def delete(
        self,
        request: AnyRequest,
        engine: EngineDep,
        session_id: SessionId,
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect:
        user = current_user(request, engine, form_token=data.get("_csrf"))
        engine.delete_session(session_id, user_id=user.id)
        return Redirect(path="/history?deleted=1", status_code=303)

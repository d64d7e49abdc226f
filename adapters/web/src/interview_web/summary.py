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
from interview_web.gaps import clean_evidence, gap_sentences
from interview_web.kit import AnyRequest, CurrentUser, page
from interview_web.markdown import render_markdown

TEMPLATES = Path(__file__).parent / "templates"
#: Where an active session of a bundled module is resumed.
WORKSPACES = {"live_coding": "/coding", "debugging": "/debugging", "voice_screen": "/session"}


class SummaryController(Controller):
    include_in_schema = False

    @get("/summary/{session_id:str}", sync_to_thread=True)
    def summary(
        self,
        request: AnyRequest,
        engine: EngineDep,
        user: CurrentUser,
        session_id: SessionId,
        analysis: FromQuery[str | None] = None,
    ) -> Template:
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
            evidence.setdefault(item.dimension, []).append(clean_evidence(item.text))
        gaps = gap_sentences(evaluation.gaps, spec, evaluation.scores) if evaluation else []
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
            gaps=gaps,
            resume=WORKSPACES.get(module.name),
            markdown=render_markdown,
            analysis_status=analysis,
        )

    @post("/summary/{session_id:str}/analysis", sync_to_thread=True, status_code=303)
    def fetch_analysis(
        self,
        request: AnyRequest,
        engine: EngineDep,
        user: CurrentUser,
        session_id: SessionId,
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect:
        """A voice screen's "fetch the analysis": ask ElevenLabs once more, briefly."""
        from interview_voice_screen import fetch_analysis

        report = fetch_analysis(engine, session_id, user_id=user.id, deadline_s=10.0)
        return Redirect(path=f"/summary/{session_id}?analysis={report['status']}#agent-opinion", status_code=303)

    @post("/summary/{session_id:str}/delete", sync_to_thread=True, status_code=303)
    def delete(
        self,
        request: AnyRequest,
        engine: EngineDep,
        user: CurrentUser,
        session_id: SessionId,
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect:
        engine.delete_session(session_id, user_id=user.id)
        return Redirect(path="/history?deleted=1", status_code=303)

"""``/summary/{id}``: any session's rubric, evidence, gaps, next steps and the module's own view."""

from __future__ import annotations

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
from interview_web.module_pages import Site


class SummaryController(Controller):
    include_in_schema = False

    @get("/summary/{session_id:str}", sync_to_thread=True)
    def summary(
        self,
        request: AnyRequest,
        engine: EngineDep,
        user: CurrentUser,
        session_id: SessionId,
        site: Site,
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
        pages = site.get(module.name)
        view_template = pages.template(pages.summary_template) if pages and pages.summary_template else None
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
            pages=pages,
            resume=pages.workspace_link(session_id) if pages else None,
            markdown=render_markdown,
            analysis_status=analysis,
        )

    @post("/summary/{session_id:str}/end", sync_to_thread=True, status_code=303)
    def end(
        self,
        request: AnyRequest,
        engine: EngineDep,
        user: CurrentUser,
        session_id: SessionId,
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect:
        """End a session from a plain form (the generic workspace has no script) and show its summary."""
        engine.end_session(session_id, user_id=user.id)
        return Redirect(path=f"/summary/{session_id}", status_code=303)

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

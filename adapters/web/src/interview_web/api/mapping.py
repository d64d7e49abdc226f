"""Domain objects to response schemas."""

from __future__ import annotations

from datetime import datetime

from interview_engine import Evaluation, Item, Session, SessionSummary, unstructure
from interview_web.api.schemas import EvaluationOut, ItemOut, SessionOut, SummaryOut


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def session_out(session: Session) -> SessionOut:
    return SessionOut(
        id=session.id,
        module=session.module,
        track=session.track.value,
        difficulty=session.difficulty.value,
        status=session.status.value,
        kbVersion=session.kb_version,
        createdAt=session.created_at.isoformat(),
        startedAt=_iso(session.started_at),
        endedAt=_iso(session.ended_at),
        timeLimitS=session.time_limit_s,
        itemId=session.item_id,
    )


def evaluation_out(evaluation: Evaluation) -> EvaluationOut:
    return EvaluationOut(
        rubric=evaluation.rubric,
        scores=evaluation.scores,
        weightedAverage=evaluation.weighted_average,
        decision=evaluation.decision.value,
        result=evaluation.result,
        rationale=list(evaluation.rationale),
        failedRules=list(evaluation.failed_rules),
        evidence=[unstructure(item) for item in evaluation.evidence],
        gaps=list(evaluation.gaps),
        nextSteps=list(evaluation.next_steps),
        topics=[unstructure(item) for item in evaluation.topics],
        metrics=evaluation.metrics,
        gradedBy=_graded_by(evaluation),
    )


def _graded_by(evaluation: Evaluation) -> str:
    if evaluation.details.get("source") == "external":
        return f"external:{evaluation.details.get('grader', '')}"
    return "engine"


def summary_out(summary: SessionSummary) -> SummaryOut:
    return SummaryOut(
        session=session_out(summary.session),
        moduleTitle=summary.module_title,
        evaluation=evaluation_out(summary.evaluation) if summary.evaluation else None,
        view=summary.view,
    )


def item_out(item: Item) -> ItemOut:
    return ItemOut(
        id=item.id,
        module=item.module,
        title=item.title,
        track=item.track.value,
        difficulty=item.difficulty.value,
        topics=list(item.topics),
        summary=item.summary,
    )

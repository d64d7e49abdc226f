"""The debugging module's part of a session summary."""

from __future__ import annotations

from typing import Any

from interview_debugging.evaluation import latest_submission_facts
from interview_debugging.facts import FixFacts
from interview_debugging.pack import DebugPack
from interview_debugging.patch_view import annotated_patch
from interview_debugging.records import DEBUG_EVALUATIONS, DEBUG_SESSIONS
from interview_debugging.state import DebugState
from interview_debugging.views import DebugSummary, FixRow, RegressionSeen, RootCause
from interview_engine import Evaluation, ModuleContext, Session, SessionStatus, Submission, unstructure

__all__ = ["summarize"]


def summarize(pack: DebugPack, ctx: ModuleContext, session: Session, evaluation: Evaluation | None) -> dict[str, Any]:
    """Scenario, result, findings per dimension, hidden-group counts, regression verdicts, hints.

    The root cause and its explanation are shown only once the session has ended.
    """
    state = DebugState.of(session)
    scenario = pack.scenario(state.scenarioId)
    record = DEBUG_SESSIONS.get(ctx.store, session.id)
    facts = latest_submission_facts(ctx, session) or FixFacts()
    debug_eval = DEBUG_EVALUATIONS.get(ctx.store, session.id)
    regression = facts.regression
    findings: dict[str, list[str]] = {}
    if evaluation is not None:
        for item in evaluation.evidence:
            findings.setdefault(item.dimension, []).append(item.text)
    regression_seen = (
        None
        if regression is None
        else RegressionSeen(regression.files, *regression.verdicts(), regression.mutantsCaught, regression.mutantsTotal)
    )
    submitted = ctx.store.submissions(session.id, kind="submit")
    last = submitted[-1] if submitted else None
    # The graded working copy: only the files the candidate changed or added.
    original = {**scenario.files, **scenario.visible_tests}
    ended = session.status in (SessionStatus.ENDED, SessionStatus.EVALUATED)
    matched = (debug_eval.diagnosis or {}).get("locationMatched") if debug_eval and ended else None
    cause = scenario.root_cause
    view = DebugSummary(
        scenarioId=scenario.id,
        scenarioTitle=scenario.title,
        track=scenario.track.value,
        difficulty=scenario.difficulty.value,
        result=evaluation.result if evaluation else None,
        rubric=dict(evaluation.scores) if evaluation else None,
        weighted=evaluation.weighted_average if evaluation else None,
        findings=findings,
        hiddenGroups=facts.hidden.groups,
        regression=regression_seen,
        diagnosis=facts.diagnosis,
        location=facts.location,
        graded=facts.graded,
        hintsUsed=record.hints_revealed if record else state.hintsRevealed,
        hintsAvailable=len(scenario.hints),
        runs=record.runs if record else 0,
        submissions=len(submitted),
        debugEvaluation=debug_eval,
        history=[
            FixRow(
                number=number,
                at=sub.created_at.isoformat(),
                passed=sum(g.passed for g in each.hidden.groups),
                total=sum(g.total for g in each.hidden.groups),
                graded=sub is last,
            )
            for number, (sub, each) in enumerate(zip(submitted, map(_facts_of, submitted), strict=True), start=1)
        ],
        files={path: text for path, text in (last.files if last else {}).items() if original.get(path) != text},
        patch=annotated_patch(
            scenario,
            last.files if last else {},
            location=facts.location,
            location_matched=None if matched is None else bool(matched),
            regression=unstructure(regression_seen),
            ended=ended,
        ),
        referenceFix={path: text for path, text in scenario.fixed_files().items() if scenario.files.get(path) != text}
        if ended
        else None,
        editorial=pack.editorials.get(scenario.id, "") if ended else None,
        rootCause=RootCause(
            file=cause.file,
            function=cause.function,
            lines=list(cause.lines),
            concepts=[pack.concepts[tag].title for tag in cause.concepts],
            explanation=cause.explanation.strip(),
        )
        if ended
        else None,
    )
    written: dict[str, Any] = unstructure(view)
    return written


def _facts_of(submission: Submission) -> FixFacts:
    return FixFacts.load(submission.summary)

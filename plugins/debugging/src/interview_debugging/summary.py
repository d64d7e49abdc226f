"""The debugging module's part of a session summary."""

from __future__ import annotations

from typing import Any

from interview_debugging.evaluation import latest_submission_facts
from interview_debugging.pack import DebugPack
from interview_debugging.patch_view import annotated_patch
from interview_debugging.records import DEBUG_EVALUATIONS, DEBUG_SESSIONS
from interview_debugging.state import DebugState
from interview_engine import Evaluation, ModuleContext, Session, SessionStatus, unstructure

__all__ = ["summarize"]


def summarize(pack: DebugPack, ctx: ModuleContext, session: Session, evaluation: Evaluation | None) -> dict[str, Any]:
    """Scenario, result, findings per dimension, hidden-group counts, regression verdicts, hints.

    The root cause and its explanation are shown only once the session has ended.
    """
    state = DebugState.of(session)
    scenario = pack.scenario(state.scenarioId)
    record = DEBUG_SESSIONS.get(ctx.store, session.id)
    facts = latest_submission_facts(ctx, session) or {}
    debug_eval = DEBUG_EVALUATIONS.get(ctx.store, session.id)
    regression = facts.get("regression")
    findings: dict[str, list[str]] = {}
    if evaluation is not None:
        for item in evaluation.evidence:
            findings.setdefault(item.dimension, []).append(item.text)
    view: dict[str, Any] = {
        "scenarioId": scenario.id,
        "scenarioTitle": scenario.title,
        "track": scenario.track.value,
        "difficulty": scenario.difficulty.value,
        "result": evaluation.result if evaluation else None,
        "rubric": dict(evaluation.scores) if evaluation else None,
        "weighted": evaluation.weighted_average if evaluation else None,
        "findings": findings,
        "hiddenGroups": (facts.get("hidden") or {}).get("groups", []),
        "regression": None
        if not regression
        else {
            "files": regression["files"],
            "onBug": regression["onBug"]["verdict"],
            "onYourFix": regression["onCandidateFix"]["verdict"],
            "onReferenceFix": regression["onReferenceFix"]["verdict"],
            "mutantsCaught": regression["mutantsCaught"],
            "mutantsTotal": regression["mutantsTotal"],
        },
        "diagnosis": facts.get("diagnosis", ""),
        "location": facts.get("location", ""),
        "graded": facts.get("graded", True) is not False,
        "hintsUsed": record.hints_revealed if record else state.hintsRevealed,
        "hintsAvailable": len(scenario.hints),
        "runs": record.runs if record else 0,
        "submissions": len(ctx.store.submissions(session.id, kind="submit")),
        "debugEvaluation": unstructure(debug_eval) if debug_eval else None,
    }
    submitted = ctx.store.submissions(session.id, kind="submit")
    last = submitted[-1] if submitted else None
    view["history"] = [
        {
            "number": number,
            "at": sub.created_at.isoformat(),
            "passed": sum(g.get("passed", 0) for g in (sub.summary.get("hidden") or {}).get("groups", [])),
            "total": sum(g.get("total", 0) for g in (sub.summary.get("hidden") or {}).get("groups", [])),
            "graded": sub is last,
        }
        for number, sub in enumerate(submitted, start=1)
    ]
    # The graded working copy: only the files the candidate changed or added.
    original = {**scenario.files, **scenario.visible_tests}
    view["files"] = {path: text for path, text in (last.files if last else {}).items() if original.get(path) != text}
    ended = session.status in (SessionStatus.ENDED, SessionStatus.EVALUATED)
    matched = (debug_eval.diagnosis or {}).get("locationMatched") if debug_eval and ended else None
    view["patch"] = annotated_patch(
        scenario,
        last.files if last else {},
        location=str(facts.get("location", "")),
        location_matched=None if matched is None else bool(matched),
        regression=view["regression"],
        ended=ended,
    )
    if ended:
        fixed = scenario.fixed_files()
        view["referenceFix"] = {path: text for path, text in fixed.items() if scenario.files.get(path) != text}
        view["editorial"] = pack.editorials.get(scenario.id, "")
        cause = scenario.root_cause
        view["rootCause"] = {
            "file": cause.file,
            "function": cause.function,
            "lines": list(cause.lines),
            "concepts": [pack.concepts[tag].title for tag in cause.concepts],
            "explanation": cause.explanation.strip(),
        }
    return view

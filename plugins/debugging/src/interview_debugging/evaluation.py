"""From a session's stored submission to an :class:`~interview_engine.Evaluation` and a summary."""

from __future__ import annotations

from typing import Any

from attrs import evolve

from interview_debugging.grading import UNRESOLVED, result_of, score_diagnosis, score_fix, score_testing
from interview_debugging.pack import DebugPack
from interview_debugging.records import DebugEvaluation
from interview_debugging.scenario import BugScenario
from interview_engine import (
    Evaluation,
    Evidence,
    ModuleContext,
    Session,
    TopicScore,
)

__all__ = ["evaluate_facts", "latest_submission_facts"]


def latest_submission_facts(ctx: ModuleContext, session: Session) -> dict[str, Any] | None:
    """The facts of the session's last submit, or None before the first one."""
    submits = ctx.store.submissions(session.id, kind="submit")
    return dict(submits[-1].summary) if submits else None


def evaluate_facts(
    pack: DebugPack,
    scenario: BugScenario,
    session: Session,
    facts: dict[str, Any] | None,
    hints: int,
) -> tuple[Evaluation, DebugEvaluation]:
    """Score one submission's facts with the session difficulty's rubric (deterministic)."""
    spec = pack.specs[session.difficulty]
    scoring = pack.scoring
    facts = facts or {}
    diagnosis = score_diagnosis(
        scenario,
        pack.concepts,
        facts.get("diagnosis", ""),
        facts.get("location", ""),
        hints,
        scoring,
        judged=(facts.get("communication") or {}).get("findings"),
    )
    hidden = facts.get("hidden") or {}
    fix = score_fix(hidden)
    testing = score_testing(facts.get("regression"), scoring)
    comm = facts.get("communication") or {}
    communication = float(comm.get("score", 0.0))
    comm_evidence = [Evidence("communication", f"mentions {item}", "diagnosis") for item in comm.get("matched", ())]
    comm_evidence += [Evidence("communication", note, "diagnosis") for note in comm.get("evidence", ())]
    if comm.get("missed"):
        comm_evidence.append(Evidence("communication", "missing: " + ", ".join(comm["missed"]), "diagnosis"))
    scores = {
        "diagnosis": diagnosis.score,
        "fixCorrectness": fix.score,
        "testingRigor": testing.score,
        "communication": communication,
    }
    result = result_of(hidden) if facts else UNRESOLVED
    metrics = {
        "hintsUsed": float(hints),
        "regressionValid": 1.0 if testing.detail.get("valid") else 0.0,
        "hiddenShare": float(hidden.get("share", 0.0)),
        "mutantsCaught": float(testing.detail.get("mutantsCaught", 0)),
        "mutantsTotal": float(testing.detail.get("mutantsTotal", len(scenario.mutants))),
        "submitted": 1.0 if facts else 0.0,
    }
    evidence = [*diagnosis.evidence, *fix.evidence, *testing.evidence, *comm_evidence]
    if not facts:
        evidence.append(Evidence("fixCorrectness", "nothing was submitted", "session"))
    evaluation = Evaluation.from_rubric(
        session,
        spec,
        scores,
        metrics=metrics,
        evidence=evidence,
        rationale=(f"result: {result}",),
        result=result,
        details={"scenarioId": scenario.id, "scenarioTitle": scenario.title},
    )
    # A topic's score is the session's weighted average, the rubric's verdict on the whole session.
    score = round(evaluation.weighted_average / 5, 4)
    evaluation = evolve(
        evaluation,
        topics=[TopicScore(topic=tag, score=score, item_id=scenario.id, hints=hints) for tag in scenario.topics],
    )
    record = DebugEvaluation(
        session_id=session.id,
        result=result,
        diagnosis={"score": diagnosis.score, **diagnosis.detail},
        fix={"score": fix.score, **fix.detail},
        testing={"score": testing.score, **testing.detail},
        communication={"score": communication, **{k: v for k, v in comm.items() if k != "score"}},
        hints_used=hints,
    )
    return evaluation, record

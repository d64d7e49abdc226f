"""From a session's stored submission to an :class:`~interview_engine.Evaluation` and a summary."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import evolve

from interview_debugging.facts import CommunicationFacts, FixFacts
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
    unstructure,
)

__all__ = ["evaluate_facts", "latest_submission_facts"]


def latest_submission_facts(ctx: ModuleContext, session: Session) -> FixFacts | None:
    """The facts of the session's last submit, or None before the first one."""
    submits = ctx.store.submissions(session.id, kind="submit")
    return FixFacts.load(submits[-1].summary) if submits else None


def evaluate_facts(
    pack: DebugPack,
    scenario: BugScenario,
    session: Session,
    facts: FixFacts | Mapping[str, Any] | None,
    hints: int,
) -> tuple[Evaluation, DebugEvaluation]:
    """Score one submission's facts with the session difficulty's rubric (deterministic); ``None``: nothing
    was submitted."""
    spec = pack.specs[session.difficulty]
    scoring = pack.scoring
    submitted = bool(facts)
    stored = FixFacts.load(facts)
    diagnosis = score_diagnosis(
        scenario,
        pack.concepts,
        stored.diagnosis,
        stored.location,
        hints,
        scoring,
        judged=stored.communication.findings,
    )
    hidden = stored.hidden
    fix = score_fix(hidden)
    testing = score_testing(stored.regression, scoring)
    comm = stored.communication
    communication = float(comm.score)
    comm_evidence = [Evidence("communication", f"mentions {item}", "diagnosis") for item in comm.matched]
    comm_evidence += [Evidence("communication", note, "diagnosis") for note in comm.evidence]
    if comm.missed:
        comm_evidence.append(Evidence("communication", "missing: " + ", ".join(comm.missed), "diagnosis"))
    scores = {
        "diagnosis": diagnosis.score,
        "fixCorrectness": fix.score,
        "testingRigor": testing.score,
        "communication": communication,
    }
    result = result_of(hidden) if submitted else UNRESOLVED
    metrics = {
        "hintsUsed": float(hints),
        "regressionValid": 1.0 if testing.detail.get("valid") else 0.0,
        "hiddenShare": float(hidden.share),
        "mutantsCaught": float(testing.detail.get("mutantsCaught", 0)),
        "mutantsTotal": float(testing.detail.get("mutantsTotal", len(scenario.mutants))),
        "submitted": 1.0 if submitted else 0.0,
    }
    evidence = [*diagnosis.evidence, *fix.evidence, *testing.evidence, *comm_evidence]
    if not submitted:
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
        communication={
            "score": communication,
            **({k: v for k, v in unstructure(comm).items() if k != "score"} if submitted else {}),
        },
        hints_used=hints,
    )
    return evaluation, record


def _said(comm: CommunicationFacts) -> dict[str, Any]:
    """The answer scorer's findings on the diagnosis, as the record keeps them beside the score."""
    return {key: value for key, value in unstructure(comm).items() if key != "score"}

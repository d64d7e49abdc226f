"""From a stored submission to an :class:`Evaluation`: five dimension scores, evidence, gaps, next steps.

Everything here reads stored data only (the submission's summary, the timer
record, the runs), so the same submission always gets the same evaluation.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from attrs import frozen

from interview_engine.domain import CodingSessionRecord, Evaluation, Evidence, Session, Submission, TopicScore
from interview_engine.rubric import RubricSpec, score_rubric
from interview_engine.scoring import AnswerScore
from interview_live_coding.complexity import class_rank, parse_claim
from interview_live_coding.heuristics import Heuristics, gate
from interview_live_coding.problems import Problem

__all__ = ["Timing", "complexity_verdict", "evaluate", "time_score", "timing"]


@frozen
class Timing:
    used_s: float
    limit_s: int
    late: bool
    runs: int
    runs_before_first_pass: int | None

    @property
    def ratio(self) -> float:
        return self.used_s / self.limit_s if self.limit_s else 0.0


def timing(record: CodingSessionRecord, submitted_at: datetime | None, runs: int) -> Timing:
    end = submitted_at or record.submitted_at or record.started_at
    used = max(0.0, (end - record.started_at).total_seconds())
    return Timing(round(used, 1), record.time_limit_s, used > record.time_limit_s, runs, record.runs_before_first_pass)


def time_score(t: Timing, heuristics: Heuristics) -> float:
    rules = heuristics.time_management
    if t.ratio > rules.very_late_ratio:
        score = rules.very_late
    elif t.late:
        score = rules.late
    else:
        score = rules.on_time
    if t.runs_before_first_pass is None:
        score -= rules.never_ran
    else:
        extra = max(0, t.runs_before_first_pass - rules.free_runs)
        score -= min(rules.run_penalty_max, extra * rules.run_penalty)
    return max(0.0, min(5.0, score))


def complexity_verdict(
    problem: Problem, growth: dict[str, Any] | None, claim: str, heuristics: Heuristics
) -> tuple[float, str, bool]:
    """The complexity score before gating, a sentence with all three classes, and whether it matches."""
    rules = heuristics.complexity
    claimed = parse_claim(claim)
    expected = problem.complexity
    measured = growth.get("complexity") if growth else None
    if measured is None:
        score, matches = rules.measure_failed, False
    else:
        worse = max(0, class_rank(measured) - class_rank(expected))
        score = rules.measured[min(worse, len(rules.measured) - 1)]
        matches = worse <= 1
    if claimed is not None and claimed in {expected, measured}:
        score += rules.claim_exact
    elif claimed is not None and all(
        abs(class_rank(claimed) - class_rank(c)) <= 1 for c in (expected, measured) if c is not None
    ):
        score += rules.claim_near
    points = ", ".join(f"n={p['n']}: {p['fuel']:,} fuel" for p in (growth or {}).get("points", []))
    sentence = (
        f"claimed {claimed or (repr(claim) if claim else 'nothing')}; measured "
        f"{measured or 'unmeasurable'}{f' ({points})' if points else ''}; expected {expected}"
    )
    return min(5.0, score), sentence, matches


def _quality(summary: dict[str, Any]) -> tuple[float, list[Evidence]]:
    quality = summary.get("quality", {})
    evidence = [
        Evidence("code_quality", f"{f['code']}: {f['message']}", f["source"], f.get("line"))
        for f in quality.get("findings", [])[:8]
    ]
    if not quality.get("findings"):
        evidence.append(Evidence("code_quality", "no lint or structure findings", "ruff"))
    return float(quality.get("score", 0.0)), evidence


def evaluate(
    *,
    session: Session,
    problem: Problem,
    spec: RubricSpec,
    heuristics: Heuristics,
    record: CodingSessionRecord,
    submission: Submission | None,
    runs: int,
    clarity: AnswerScore | None,
) -> Evaluation:
    summary = submission.summary if submission else {}
    share = float(summary.get("correctness", 0.0))
    t = timing(record, submission.created_at if submission else None, runs)
    evidence: list[Evidence] = []

    groups = summary.get("groups", [])
    group_text = ", ".join(f"{g['group']} {g['passed']}/{g['total']}" for g in groups)
    evidence.append(
        Evidence(
            "correctness",
            f"hidden tests passed: {summary.get('passed', 0)}/"
            f"{summary.get('passed', 0) + summary.get('failed', 0)} ({group_text or 'none run'}); "
            f"weighted share {share:.0%}",
            "hidden tests",
        )
    )

    raw_complexity, sentence, matches = complexity_verdict(
        problem, summary.get("growth"), summary.get("claim", ""), heuristics
    )
    complexity = raw_complexity * gate(share, heuristics.complexity.gate)
    evidence.append(Evidence("complexity", sentence, "fuel growth"))

    raw_quality, quality_evidence = _quality(summary)
    quality = raw_quality * gate(share, heuristics.quality.gate)
    evidence.extend(quality_evidence)

    clarity_score = clarity.score if clarity else 0.0
    if clarity and clarity.evidence:
        evidence.extend(Evidence("clarity", text, clarity.scorer) for text in clarity.evidence)
    else:
        evidence.append(Evidence("clarity", "no narration of the approach was given", "notes"))

    time_managed = time_score(t, heuristics) * gate(share, heuristics.time_management.gate)
    first_pass = (
        "no run passed every sample"
        if t.runs_before_first_pass is None
        else f"every sample passed on run {t.runs_before_first_pass}"
    )
    evidence.append(
        Evidence(
            "time_management",
            f"submitted after {t.used_s / 60:.1f} of {t.limit_s // 60} minutes"
            f"{' (late)' if t.late else ''}; {t.runs} sample runs, {first_pass}",
            "timer",
        )
    )

    scores = {
        "correctness": round(5.0 * share, 2),
        "complexity": round(complexity, 2),
        "code_quality": round(quality, 2),
        "clarity": round(clarity_score, 2),
        "time_management": round(time_managed, 2),
    }
    metrics = {
        "correctness": share,
        "complexityMatches": 1.0 if matches else 0.0,
        "timeUsedRatio": round(t.ratio, 3),
        "late": 1.0 if t.late else 0.0,
        "runs": float(t.runs),
        "runsBeforeFirstPass": float(t.runs_before_first_pass) if t.runs_before_first_pass is not None else -1.0,
        "lintFindings": float(summary.get("quality", {}).get("metrics", {}).get("lintFindings", 0.0)),
    }
    flags = [] if submission else ["no_submission"]
    result = score_rubric(spec, scores, metrics=metrics, disqualifiers=flags, evidence=evidence)
    topics_weight = heuristics.topics
    topic_score = round(topics_weight.correctness_weight * share + topics_weight.complexity_weight * complexity / 5, 3)
    return Evaluation(
        session_id=session.id,
        rubric=f"{spec.name}@{spec.version}",
        scores=result.scores,
        weighted_average=result.weighted_average,
        decision=result.decision,
        rationale=result.rationale,
        failed_rules=result.failed_rules,
        evidence=result.evidence,
        gaps=result.gaps,
        next_steps=_next_steps(result.next_steps, groups, summary, problem),
        topics=[TopicScore(topic=tag, score=min(1.0, topic_score), item_id=problem.id) for tag in problem.tags],
        metrics={**metrics, "weightedAverage": result.weighted_average},
        result="solved" if share >= 1.0 else ("partial" if share > 0 else "unsolved"),
        details={"problemId": problem.id, "complexity": sentence, "timing": _timing_view(t)},
        created_at=submission.created_at if submission else record.started_at,
    )


def _next_steps(
    general: Sequence[str], groups: Sequence[dict[str, Any]], summary: dict[str, Any], problem: Problem
) -> list[str]:
    steps: list[str] = []
    for g in groups:
        if g["passed"] < g["total"]:
            steps.append(
                f"{g['total'] - g['passed']} of {g['total']} {g['group']} tests failed: "
                + _GROUP_ADVICE.get(g["group"], "re-read the statement for cases you missed.")
            )
    findings = summary.get("quality", {}).get("findings", [])
    for finding in findings[:3]:
        where = f"line {finding['line']}: " if finding.get("line") else ""
        steps.append(f"Fix {where}{finding['message']} ({finding['code']}).")
    steps.extend(general)
    if steps:
        steps.append(f"Practise more problems on {', '.join(problem.tags)}.")
    return steps


_GROUP_ADVICE = {
    "basic": "the main logic is wrong for ordinary inputs; trace the samples by hand against the statement.",
    "edge": "check empty inputs, single elements, ties, exact boundaries and duplicates.",
    "scale": "large inputs fail or run out of budget; aim for the expected complexity.",
    "random": "randomised inputs disagree with the reference; look for a rule of the statement you skipped.",
}


def _timing_view(t: Timing) -> dict[str, Any]:
    return {
        "usedSeconds": t.used_s,
        "limitSeconds": t.limit_s,
        "late": t.late,
        "runs": t.runs,
        "runsBeforeFirstPass": t.runs_before_first_pass,
    }

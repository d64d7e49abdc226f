"""From a stored submission to an :class:`Evaluation`: five dimension scores, evidence, gaps, next steps.

Everything here reads stored data only (the submission's summary, the timer
record, the runs), so the same submission always gets the same evaluation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from attrs import frozen

from interview_engine.domain import Evaluation, Evidence, Session, Submission, TopicScore
from interview_engine.growth import MIN_POINTS
from interview_engine.rubric import RubricSpec
from interview_engine.scoring import AnswerScore
from interview_live_coding.complexity import class_rank, for_n_operations, per_operation, read_claim
from interview_live_coding.grading import slope
from interview_live_coding.heuristics import Heuristics, gate
from interview_live_coding.problems import Problem
from interview_live_coding.records import CodingSessionRecord
from interview_live_coding.results import HiddenGroup
from interview_live_coding.submission import Growth, SubmitSummary

__all__ = ["Timing", "claim_honesty", "complexity_verdict", "evaluate", "expected_class", "time_score", "timing"]


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


def _growth(growth: Growth | Mapping[str, Any] | None) -> Growth | None:
    """The growth as stored, typed (a mapping is a stored summary's ``growth``, read as one)."""
    if growth is None or isinstance(growth, Growth):
        return growth
    return SubmitSummary.load({"growth": dict(growth)}).growth


def _measured(problem: Problem, growth: Growth | None) -> str | None:
    """The measured class in the problem's terms: per operation for a data-structure problem."""
    total = growth.complexity if growth else None
    if total is None:
        return None
    return per_operation(total) if problem.operations else str(total)


def expected_class(problem: Problem) -> str:
    """The expected class in the problem's terms (``complexity`` is the total for ``n`` operations)."""
    return per_operation(problem.complexity) if problem.operations else problem.complexity


def _scope(problem: Problem) -> str:
    return " per operation" if problem.operations else ""


def complexity_verdict(
    problem: Problem, growth: Growth | Mapping[str, Any] | None, claim: str, heuristics: Heuristics
) -> tuple[float, str, bool]:
    """The complexity score before gating, from the MEASURED class only; the sentence; whether it matches.

    The claim never changes this score (see :func:`claim_honesty`).  When the growth could not be
    measured the score is ``not_measured`` and the sentence says "not measured" and why.
    """
    rules = heuristics.complexity
    growth = _growth(growth)
    expected = expected_class(problem)
    measured = _measured(problem, growth)
    scope = _scope(problem)
    points = ", ".join(f"n={p.n}: {p.fuel:,} fuel" for p in (growth.points if growth else []))
    if measured is None:
        why = str((growth.detail if growth else "") or "no size finished with a right answer").split("; relative")[0]
        why = why.removeprefix("not measured: ")
        sentence = (
            f"not measured ({why}){f'; sizes that finished: {points}' if points else ''}; "
            f"expected {expected}{scope}; the complexity dimension scores {rules.not_measured:g}"
        )
        return rules.not_measured, sentence, False
    worse = max(0, class_rank(measured) - class_rank(expected))
    like = _against_reference(growth, rules.slope_tolerance) if growth else None
    if like is not None and like[0]:
        worse = 0
    elif like is not None:
        worse = max(1, worse)
    score = rules.measured[min(worse, len(rules.measured) - 1)]
    total = f" ({growth.complexity} for n operations)" if problem.operations and growth else ""
    how = "as expected" if worse == 0 else f"{worse} class{'es' if worse > 1 else ''} worse than expected"
    if like is not None:
        how += f"; fuel slope {like[1]:.2f} against the reference's {like[2]:.2f} on the same inputs"
    sentence = f"measured {measured}{scope}{total} ({points}); expected {expected}{scope}: {how}"
    return min(5.0, score), sentence, worse == 0


def _against_reference(growth: Growth, tolerance: float) -> tuple[bool, float, float] | None:
    """Whether the curve grows like the reference's on the sizes both finished, with both slopes."""
    by_n = {p.n: p for p in growth.reference}
    common = [p for p in growth.points if p.n in by_n]
    if len(common) < MIN_POINTS:
        return None
    mine, theirs = slope(common), slope([by_n[p.n] for p in common])
    if mine is None or theirs is None:
        return None
    return mine <= theirs + tolerance, mine, theirs


def claim_honesty(
    problem: Problem, growth: Growth | Mapping[str, Any] | None, claim: str, heuristics: Heuristics
) -> tuple[float | None, str]:
    """The claim scored on its own: does it say what was measured?  None when there is nothing to compare."""
    read = read_claim(claim)
    measured = _measured(problem, _growth(growth))
    scope = _scope(problem)
    if read.complexity is None:
        said = f"{claim!r} names no complexity class" if claim.strip() else "no complexity was claimed"
        return None, f"claim: {said}"
    claimed = read.complexity
    if (
        problem.operations
        and not read.per_operation
        and re.search(r"\b(?:total|overall|for n|in all)\b", claim.lower())
    ):
        claimed = per_operation(claimed)  # "O(n) in total" for n operations is O(1) per operation
    elif read.per_operation and not problem.operations:
        claimed = for_n_operations(claimed)  # "O(1) per element" over n elements is O(n)
    if measured is None:
        return None, f"claim: {claimed}{scope}; the growth was not measured, so it cannot be checked"
    apart = abs(class_rank(claimed) - class_rank(measured))
    verdict = (
        "matches the measurement" if apart == 0 else f"is {apart} class{'es' if apart > 1 else ''} from the measurement"
    )
    if apart and claimed == expected_class(problem) and _grows_like_reference(growth, heuristics):
        # The fit cannot always tell neighbouring classes apart (a sort's log n hides in the sizes we run):
        # a claim of the reference's class, for code measured to grow like the reference, is the truth.
        apart, verdict = 0, "is the reference's class, and the code's fuel grows like the reference's"
    score = heuristics.complexity.honesty[min(apart, len(heuristics.complexity.honesty) - 1)]
    return score, f"claim: {claimed}{scope} {verdict} ({measured}{scope}); claim honesty {score:g}/5"


def _grows_like_reference(growth: Growth | Mapping[str, Any] | None, heuristics: Heuristics) -> bool:
    read = _growth(growth)
    like = _against_reference(read, heuristics.complexity.slope_tolerance) if read else None
    return like is not None and like[0]


def _quality(summary: SubmitSummary) -> tuple[float, list[Evidence]]:
    quality = summary.quality
    evidence = [Evidence("code_quality", f"{f.code}: {f.message}", f.source, f.line) for f in quality.findings[:8]]
    if not quality.findings:
        evidence.append(Evidence("code_quality", "no lint or structure findings", "ruff"))
    return float(quality.score), evidence


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
    summary = SubmitSummary.load(submission.summary if submission else None)
    share = float(summary.correctness)
    t = timing(record, submission.created_at if submission else None, runs)
    evidence: list[Evidence] = []

    groups = summary.groups
    fixed = [g for g in groups if not g.reportedOnly]
    group_text = ", ".join(f"{g.group} {g.passed}/{g.total}{_verdict_text(g)}" for g in fixed)
    evidence.append(
        Evidence(
            "correctness",
            f"hidden tests passed: {summary.passed}/{summary.passed + summary.failed} "
            f"({group_text or 'none run'}); weighted share {share:.0%}",
            "hidden tests",
        )
    )
    for g in groups:
        if g.reportedOnly:
            evidence.append(
                Evidence(
                    "correctness",
                    f"random cases drawn for this session: {g.passed}/{g.total} agree with the reference"
                    f"{_verdict_text(g)} (reported, not scored, so every session decides alike)",
                    "random tests",
                )
            )

    raw_complexity, sentence, matches = complexity_verdict(problem, summary.growth, summary.claim, heuristics)
    complexity = raw_complexity * gate(share, heuristics.complexity.gate)
    evidence.append(Evidence("complexity", sentence, "fuel growth"))
    honesty, claim_sentence = claim_honesty(problem, summary.growth, summary.claim, heuristics)
    evidence.append(Evidence("complexity", f"{claim_sentence} (scored apart: it never changes the dimension)", "claim"))

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
        "lintFindings": float(summary.quality.metrics.get("lintFindings", 0.0)),
        "complexityMeasured": 0.0 if _measured(problem, summary.growth) is None else 1.0,
    }
    if honesty is not None:
        metrics["claimHonesty"] = honesty
    flags = [] if submission else ["no_submission"]
    topics_weight = heuristics.topics
    topic_score = round(topics_weight.correctness_weight * share + topics_weight.complexity_weight * complexity / 5, 3)
    return Evaluation.from_rubric(
        session,
        spec,
        scores,
        metrics=metrics,
        disqualifiers=flags,
        evidence=evidence,
        topics=[TopicScore(topic=tag, score=min(1.0, topic_score), item_id=problem.id) for tag in problem.tags],
        next_steps=lambda guidance: _next_steps(guidance, groups, summary, problem),
        result="solved" if share >= 1.0 else ("partial" if share > 0 else "unsolved"),
        details={
            "problemId": problem.id,
            "complexity": sentence,
            "claim": claim_sentence,
            "claimHonesty": honesty,
            "timing": _timing_view(t),
        },
        created_at=submission.created_at if submission else record.started_at,
    )


def _verdict_text(group: HiddenGroup) -> str:
    verdicts = {k: v for k, v in group.verdicts.items() if k != "passed"}
    listed = ", ".join(f"{count} {kind.replace('_', ' ')}" for kind, count in verdicts.items())
    return f" ({listed})" if verdicts else ""


def _next_steps(
    general: Sequence[str], groups: Sequence[HiddenGroup], summary: SubmitSummary, problem: Problem
) -> list[str]:
    steps: list[str] = []
    for g in groups:
        if g.passed < g.total:
            verdicts = {k: v for k, v in g.verdicts.items() if k != "passed"}
            # Advice follows what the failing cases did, not only which group they are in.
            main = max(verdicts, key=lambda k: verdicts[k]) if verdicts else ""
            advice = _VERDICT_ADVICE.get(main) or _GROUP_ADVICE.get(g.group, "re-read the statement.")
            if main == "wrong_answer":
                advice = _GROUP_ADVICE.get(g.group, advice)
            steps.append(f"{g.total - g.passed} of {g.total} {g.group} tests failed{_verdict_text(g)}: {advice}")
    for finding in summary.quality.findings[:3]:
        where = f"line {finding.line}: " if finding.line else ""
        steps.append(f"Fix {where}{finding.message} ({finding.code}).")
    steps.extend(general)
    if steps:
        steps.append(f"Practise more problems on {', '.join(problem.tags)}.")
    return steps


_GROUP_ADVICE = {
    "basic": "the main logic is wrong for ordinary inputs; trace the samples by hand against the statement.",
    "edge": "check empty inputs, single elements, ties, exact boundaries and duplicates.",
    "scale": "large inputs give wrong answers; look for a rule that only shows on long inputs (duplicates, "
    "ordering, overflow of a counter or window).",
    "random": "randomised inputs disagree with the reference; look for a rule of the statement you skipped.",
}
_VERDICT_ADVICE = {
    "time_limit": "the calls ran out of budget; aim for the expected complexity.",
    "runtime_error": "the code raised; read the exception type and guard the inputs that cause it.",
    "memory_limit": "the code ran out of memory; avoid copying the input or building all combinations.",
    "output_limit": "the result or the printing was too large; return the value instead of printing it.",
    "not_run": "the code did not load (a syntax error or a missing function); run the samples first.",
}


def _timing_view(t: Timing) -> dict[str, Any]:
    return {
        "usedSeconds": t.used_s,
        "limitSeconds": t.limit_s,
        "late": t.late,
        "runs": t.runs,
        "runsBeforeFirstPass": t.runs_before_first_pass,
    }

"""The one scorer: scores + metrics + flags under a :class:`RubricSpec` -> a verdict.

Decision, in this order:

1. ``hold`` when any disqualifier is present, or the weighted average is
   clearly short: below ``pass_threshold - hold_margin``.
2. ``advance`` when the weighted average reaches ``pass_threshold``, every
   floor holds and every pass rule holds.
3. ``review`` otherwise: close to the bar, or above it with a floor or a
   pass rule (attempts, hints, misconceptions, coverage) failing.

The rationale names every rule that was checked and whether it held.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from attrs import field, frozen

from interview_engine._convert import as_tuple
from interview_engine.domain import Decision, Evidence
from interview_engine.rubric.spec import SCORE_MAX, SCORE_MIN, RubricSpec

__all__ = ["RubricResult", "score_rubric", "weighted_average"]


@frozen
class RubricResult:
    scores: dict[str, float]
    weighted_average: float
    decision: Decision
    rationale: tuple[str, ...] = field(converter=as_tuple)
    failed_rules: tuple[str, ...] = field(converter=as_tuple)
    gaps: tuple[str, ...] = field(converter=as_tuple)
    next_steps: tuple[str, ...] = field(converter=as_tuple)
    evidence: tuple[Evidence, ...] = field(converter=as_tuple, default=())


def weighted_average(spec: RubricSpec, scores: Mapping[str, float]) -> float:
    """The weighted average of ``scores``, rounded to 2 decimals (half up, deterministic)."""
    total = math.fsum(d.weight * scores[d.name] for d in spec.dimensions)
    return math.floor(total * 100 + 0.5 + 1e-9) / 100


def _check_scores(spec: RubricSpec, scores: Mapping[str, float]) -> dict[str, float]:
    missing = [name for name in spec.dimension_names if name not in scores]
    if missing:
        raise ValueError(f"rubric.{missing[0]}: a score is required for every dimension")
    unknown = sorted(set(scores) - set(spec.dimension_names))
    if unknown:
        raise ValueError(f"rubric.{unknown[0]}: not a dimension of {spec.name}")
    checked = {}
    for name in spec.dimension_names:
        value = float(scores[name])
        if math.isnan(value) or not (SCORE_MIN <= value <= SCORE_MAX):
            raise ValueError(f"rubric.{name}: must be between {SCORE_MIN:g} and {SCORE_MAX:g}, got {value}")
        checked[name] = value
    return checked


def score_rubric(
    spec: RubricSpec,
    scores: Mapping[str, float],
    *,
    metrics: Mapping[str, float] | None = None,
    disqualifiers: Iterable[str] = (),
    evidence: Iterable[Evidence] = (),
) -> RubricResult:
    """Score one session.  Raises ``ValueError`` naming the bad field."""
    checked = _check_scores(spec, scores)
    flags = sorted(set(disqualifiers))
    known = {d.code: d for d in spec.disqualifiers}
    for flag in flags:
        if flag not in known:
            raise ValueError(f"disqualifiers: unknown code {flag!r} for {spec.name}")
    average = weighted_average(spec, checked)
    all_metrics = dict(metrics or {})
    all_metrics["weightedAverage"] = average

    rationale: list[str] = []
    failed: list[str] = []

    meets_bar = average >= spec.pass_threshold
    rationale.append(
        f"weighted average {average:.2f} {'meets' if meets_bar else 'is below'} the bar of {spec.pass_threshold:g}"
    )
    if not meets_bar:
        failed.append("weightedAverage")
    for dim, floor in spec.floors.items():
        held = checked[dim] >= floor
        rationale.append(f"floor {dim} >= {floor:g}: {'held' if held else 'failed'} ({checked[dim]:g})")
        if not held:
            failed.append(f"floor.{dim}")
    for rule in spec.pass_rules:
        held = rule.holds(all_metrics)
        observed = all_metrics.get(rule.metric)
        seen = "missing" if observed is None else f"{observed:g}"
        rationale.append(f"{rule.describe()}: {'held' if held else 'failed'} ({seen})")
        if not held:
            failed.append(rule.id)
    for flag in flags:
        rationale.append(f"disqualifier {flag}: {known[flag].description}")
        failed.append(f"disqualifier.{flag}")

    clearly_short = average < spec.pass_threshold - spec.hold_margin
    if flags or clearly_short:
        decision = Decision.HOLD
        reason = (
            "a disqualifier is present"
            if flags
            else (f"the weighted average is more than {spec.hold_margin:g} below the bar")
        )
    elif not failed:
        decision = Decision.ADVANCE
        reason = "the bar, every floor and every pass rule hold"
    else:
        decision = Decision.REVIEW
        reason = "close to the bar, or a floor or pass rule failed: " + ", ".join(failed)
    rationale.append(f"decision {decision.value}: {reason}")

    ordered = sorted(spec.dimensions, key=lambda d: (checked[d.name] - SCORE_MAX) * d.weight)
    gaps = tuple(d.name for d in ordered if checked[d.name] < max(spec.floors.get(d.name, 0), spec.pass_threshold))
    next_steps = tuple(spec.guidance[name] for name in gaps if name in spec.guidance)
    return RubricResult(
        scores=checked,
        weighted_average=average,
        decision=decision,
        rationale=rationale,
        failed_rules=failed,
        gaps=gaps,
        next_steps=next_steps,
        evidence=tuple(evidence),
    )

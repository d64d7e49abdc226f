"""Fit fuel-versus-size points to a complexity class.

For each class ``f`` we fit ``fuel = a + b * f(n)`` (``b >= 0``) by least squares
weighted by ``1 / fuel`` so every point counts by its relative error, whatever the
range of sizes.  The class with the smallest relative residual wins; a more complex
class must beat a simpler one clearly (by 30% and by one point of relative error).
Exponential growth is fitted as ``a + b * r^n`` for several bases ``r``.  Confidence grows
with the margin over the runner-up and shrinks with the winner's own residual.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from interview_engine.runner import COMPLEXITY_CLASSES, CaseOutcome, CaseStatus, GrowthPoint, GrowthReport

DEFAULT_SIZES: tuple[int, ...] = (100, 200, 400, 800, 1600, 3200)

_FUNCS: dict[str, Callable[[float], float]] = {
    "O(1)": lambda n: 0.0,
    "O(log n)": lambda n: math.log2(n) if n > 1 else 0.0,
    "O(n)": lambda n: n,
    "O(n log n)": lambda n: n * math.log2(n) if n > 1 else 0.0,
    "O(n^2)": lambda n: n * n,
    "O(n^3)": lambda n: n**3,
    "O(2^n)": lambda n: 2.0 ** min(n, 1000),
}
assert tuple(_FUNCS) == COMPLEXITY_CLASSES
# Exponential growth is rarely base 2 exactly (naive Fibonacci is ~1.618^n): try several bases.
_EXP_BASES = (1.25, 1.4, 1.5, 1.618, 1.75, 2.0, 2.5, 3.0)


def _fit(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Relative RMS residual of the best ``a + b x`` (``b >= 0``) weighted by ``1/y``."""
    top = max(xs)
    if top > 1e150:
        return math.inf
    if top > 0:
        xs = [x / top for x in xs]
    weights = [1.0 / (y * y) for y in ys]
    sw = sum(weights)
    swx = sum(w * x for w, x in zip(weights, xs, strict=True))
    swy = sum(w * y for w, y in zip(weights, ys, strict=True))
    swxx = sum(w * x * x for w, x in zip(weights, xs, strict=True))
    swxy = sum(w * x * y for w, x, y in zip(weights, xs, ys, strict=True))
    det = sw * swxx - swx * swx
    b = 0.0 if det <= 1e-300 * max(1.0, sw * swxx) else max(0.0, (sw * swxy - swx * swy) / det)
    a = (swy - b * swx) / sw
    errors = [((y - a - b * x) / y) ** 2 for x, y in zip(xs, ys, strict=True)]
    return math.sqrt(sum(errors) / len(errors))


def classify(points: Sequence[GrowthPoint]) -> tuple[str, float, dict[str, float]]:
    """Return the class, a confidence in [0, 1] and every class's residual."""
    ns = [p.n for p in points]
    ys = [float(max(p.fuel, 1)) for p in points]
    residuals = {name: _fit([f(n) for n in ns], ys) for name, f in _FUNCS.items()}
    if max(ns) <= 400:
        residuals["O(2^n)"] = min(_fit([base ** float(n) for n in ns], ys) for base in _EXP_BASES)
    best = COMPLEXITY_CLASSES[0]
    for name in COMPLEXITY_CLASSES[1:]:
        # A richer class must explain the data clearly better than the simpler one.
        if residuals[name] < 0.7 * residuals[best] and residuals[best] - residuals[name] > 0.01:
            best = name
    # The nearest class the data tells apart from the winner decides the margin.
    distinct = [r for name, r in residuals.items() if name != best and r > residuals[best] + 0.005]
    margin = 1.0 - residuals[best] / min(distinct) if distinct else 1.0
    quality = max(0.0, 1.0 - residuals[best] / 0.15)
    confidence = max(0.0, min(1.0, margin * quality))
    if len(points) < 4:
        confidence *= len(points) / 4
    return best, round(confidence, 3), residuals


def report(sizes: Sequence[int], outcomes: Sequence[CaseOutcome]) -> GrowthReport:
    """Turn one outcome per size into a report; sizes past a failure are left out."""
    points: list[GrowthPoint] = []
    notes: list[str] = []
    for n, outcome in zip(sizes, outcomes, strict=True):
        if outcome.status is not CaseStatus.RETURNED:
            notes.append(f"n={n}: {outcome.status.value} {outcome.error.splitlines()[-1:] or ''}".strip())
            break
        points.append(GrowthPoint(n=n, fuel=outcome.fuel_used))
    if len(points) < 3:
        note = "; ".join(["too few sizes completed", *notes])
        return GrowthReport("O(1)", points, 0.0, detail=note)  # type: ignore[arg-type]  # converter=tuple
    complexity, confidence, residuals = classify(points)
    summary = ", ".join(f"{name} {residuals[name]:.3g}" for name in COMPLEXITY_CLASSES)
    detail = "; ".join([f"relative residuals: {summary}", *notes])
    return GrowthReport(complexity, points, confidence, detail=detail)  # type: ignore[arg-type]  # converter=tuple

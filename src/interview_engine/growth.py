"""Fit fuel-versus-size points to a complexity class (pure functions, shared by every runner).

Fuel is deterministic, so what blurs a curve is not noise but the function's own
lower-order costs and CPython's: small ints are cached below 257, dicts and sets
resize, big ints grow digits, a collection lands in one call and not the next.
Measured on ~40 real functions, those bend an O(n) curve by a few percent at small
sizes, while a log factor keeps bending it at every size.  Hence:

* every point is the fuel the host counted from handing the input out to receiving the
  result, less the harness's own cost for the same input and value (decoding, an empty
  call, encoding), measured in instances with no candidate code (see
  ``interview_sandbox.harness.HarnessCost``); a curve that moves less than
  :data:`NOISE_FUEL` in all is ``O(1)``;
* each class is a model of its leading term, the terms just below it and a free
  constant (``O(n log n)`` is ``a + b·n + c·n·log n``), or the leading term alone,
  whichever fits better per degree of freedom; coefficients are non-negative and
  the leading term must make :data:`LEADING_SHARE` of the largest point;
* errors are relative, and larger sizes weigh more (the asymptote is at the top);
* the simplest class wins unless another fits :data:`FACTOR` times better (and by
  more than :data:`FLOOR`), or better by :data:`GAP` outright.  Exponential growth is
  ``a + b·r^n`` or ``a + b·n·r^n`` for several bases ``r``, and competes the same way.

Confidence is 1 when every simpler class is far beyond the threshold and no class
fits clearly better than the winner; it is 0.5 at the threshold or when another
class fits sqrt(FACTOR) times better, and it shrinks with the winner's own error.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

from attrs import frozen

from interview_engine.runner import COMPLEXITY_CLASSES, GrowthPoint, GrowthReport

__all__ = ["DEFAULT_SIZES", "MIN_POINTS", "Fit", "above_the_least", "classify", "report", "too_costly"]

# Doubling sizes keep each size at the same place between powers of two, so the
# resizing of lists, dicts and sets costs the same share at every size.  Up to 25 600
# because a log factor only grows ~7% per doubling there; sizes whose fuel would
# pass the limit are skipped (see :func:`too_costly`).
DEFAULT_SIZES: tuple[int, ...] = (100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600)
FACTOR = 3.0  # a richer class must cut the relative error at least this many times...
FLOOR = 0.004  # ...and by more than this (0.4%): below it every class fits.
LEADING_SHARE = 0.25  # of the largest point's fuel, for the class's own term
GAP = 0.15  # a class 15 points of relative error worse than the best is out, whatever the ratio
_FUEL_SCALE = 2000.0  # weights use at least this much fuel: tiny costs are not relative noise
# A curve that moves less than this over all its sizes is constant: the harness's own cost is
# subtracted as measured in another instance, which agrees to within a few hundred fuel.
NOISE_FUEL = 1000
RISE_FIT = 0.1  # relative RMS error within which a padded curve's rise is taken to be of its class

Term = Callable[[float], float]


def _log(n: float) -> float:
    return math.log2(n) if n > 1 else 0.0


_TERMS: dict[str, Term] = {
    "log": _log,
    "n": lambda n: n,
    "nlog": lambda n: n * _log(n),
    "n2": lambda n: n * n,
    "n3": lambda n: n**3,
}
# Each class: its leading term and the terms just below it (the constant is always there).
_MODELS: dict[str, tuple[str, ...]] = {
    "O(1)": (),
    "O(log n)": ("log",),
    "O(n)": ("n",),
    "O(n log n)": ("n", "nlog"),
    "O(n^2)": ("n", "n2"),
    "O(n^3)": ("n2", "n3"),
}
_POLYNOMIAL = tuple(_MODELS)
assert (*_POLYNOMIAL, "O(2^n)") == COMPLEXITY_CLASSES
# Exponential growth is rarely base 2 exactly (naive Fibonacci is ~1.618^n): try several bases.
_EXP_BASES = (1.25, 1.4, 1.5, 1.618, 1.75, 2.0, 2.5, 3.0, 4.0)


@frozen
class Fit:
    """Every class's relative RMS error; the chosen class and how sure we are."""

    complexity: str
    confidence: float
    errors: dict[str, float]


def _solve(rows: list[list[float]], ys: list[float]) -> list[float] | None:
    """Least squares by normal equations (a handful of columns, scaled to about 1)."""
    k = len(rows[0])
    ata = [[sum(r[i] * r[j] for r in rows) for j in range(k)] for i in range(k)]
    aty = [sum(r[i] * y for r, y in zip(rows, ys, strict=True)) for i in range(k)]
    for col in range(k):  # Gaussian elimination with partial pivoting
        pivot = max(range(col, k), key=lambda r: abs(ata[r][col]))
        if abs(ata[pivot][col]) < 1e-12:
            return None
        ata[col], ata[pivot] = ata[pivot], ata[col]
        aty[col], aty[pivot] = aty[pivot], aty[col]
        for r in range(col + 1, k):
            factor = ata[r][col] / ata[col][col]
            for c in range(col, k):
                ata[r][c] -= factor * ata[col][c]
            aty[r] -= factor * aty[col]
    coef = [0.0] * k
    for r in reversed(range(k)):
        coef[r] = (aty[r] - sum(ata[r][c] * coef[c] for c in range(r + 1, k))) / ata[r][r]
    return coef


def _error(columns: Sequence[Sequence[float]], ys: Sequence[float]) -> float:
    """Relative RMS error of ``y ≈ a + Σ b_j·column_j`` with every ``b_j >= 0`` (``a`` free).

    Exact non-negative least squares for a few columns: every subset of columns is
    solved and the best solution whose coefficients are all non-negative is kept.
    The last column is the class's leading term: a fit in which it makes less than
    :data:`LEADING_SHARE` of the largest point is a lower class with a bend, not this
    class, so it does not count.
    """
    top = max(max(ys), _FUEL_SCALE)
    ys = [y / top for y in ys]  # keeps the normal equations near 1, errors are relative anyway
    # Relative error, and later sizes count more: CPython's small-int cache and other
    # start-up costs bend the low end of a curve, the asymptote is at the high end.
    weights = [math.sqrt((i + 1) / len(ys)) / max(y, _FUEL_SCALE / top) for i, y in enumerate(ys)]
    scaled = [[value / (max(col) or 1.0) for value in col] for col in columns]
    best = math.inf
    for size in range(len(scaled) + 1):
        for subset in itertools.combinations(range(len(scaled)), size):
            rows = [[w] + [w * scaled[j][i] for j in subset] for i, w in enumerate(weights)]
            targets = [w * y for w, y in zip(weights, ys, strict=True)]
            coef = _solve(rows, targets)
            if coef is None or any(c < 0 for c in coef[1:]):
                continue
            fitted = [sum(c * v for c, v in zip(coef, row, strict=True)) for row in rows]
            leading = coef[-1] * rows[-1][-1] if subset and subset[-1] == len(scaled) - 1 else 0.0
            if scaled and leading < LEADING_SHARE * fitted[-1]:
                continue
            residual = [f - t for f, t in zip(fitted, targets, strict=True)]
            best = min(best, sum(r * r for r in residual))
    # Per degree of freedom: a model with as many coefficients as points would fit anything.
    spare = len(ys) - 1 - len(columns)
    return math.sqrt(best / spare) if spare > 0 else math.inf


def _class_error(terms: Sequence[str], ns: Sequence[float], ys: Sequence[float]) -> float:
    """The better of the full model and its leading term alone (few points cannot carry many terms)."""
    variants = {tuple(terms), tuple(terms[-1:])}
    return min(_error([[_TERMS[t](n) for n in ns] for t in v], ys) for v in variants)


def classify(points: Sequence[GrowthPoint]) -> Fit:
    """Choose the class of a fuel curve; ``points`` are sorted by ``n`` with the harness's cost removed.

    Work that does not grow with ``n`` cannot hide work that does: when the least point costs more
    than the whole curve's rise, the rise alone (:func:`above_the_least`) is classified too, and the
    higher class wins if the rise fits it within :data:`RISE_FIT` (a step of noise in a constant
    curve does not).  Padding a quadratic with a second of constant work
    made every point within 0.4% of the others, and the curve read as ``O(1)``.
    """
    fit = _classify(points)
    rise = above_the_least(points)
    if rise is not None:
        growth = _classify(rise)
        higher = COMPLEXITY_CLASSES.index(growth.complexity) > COMPLEXITY_CLASSES.index(fit.complexity)
        if higher and growth.errors[growth.complexity] <= RISE_FIT:
            return growth
    return fit


def above_the_least(points: Sequence[GrowthPoint]) -> list[GrowthPoint] | None:
    """The points less the least one's fuel, when that constant is more than the curve's rise; else None."""
    fuels = [max(p.fuel, 0) for p in points]
    if len(points) < MIN_POINTS or not fuels:
        return None
    least, rise = min(fuels), max(fuels) - min(fuels)
    if least <= rise or rise <= NOISE_FUEL:
        return None
    return [GrowthPoint(n=p.n, fuel=fuel - least) for p, fuel in zip(points, fuels, strict=True)]


def _classify(points: Sequence[GrowthPoint]) -> Fit:
    ns = [float(p.n) for p in points]
    ys = [float(max(p.fuel, 0)) for p in points]
    errors = {name: _class_error(terms, ns, ys) for name, terms in _MODELS.items()}
    errors["O(2^n)"] = math.inf
    if max(ys) - min(ys) <= NOISE_FUEL:
        return Fit("O(1)", _confidence("O(1)", dict.fromkeys(errors, 0.0), len(points)), errors)
    if max(ns) <= 200:  # r^n past n = 200 overflows any fuel budget long before
        # r^n, and n·r^n for work that copies what it enumerates (all subsets as lists).
        errors["O(2^n)"] = min(
            _error([[base**n * n**power for n in ns]], ys) for base in _EXP_BASES for power in (0, 1)
        )
    # The simplest class that no other class beats (fits FACTOR times better, by FLOOR).
    best_error = min(errors.values())
    best = next(name for name in COMPLEXITY_CLASSES if not _beats(best_error, errors[name]))
    return Fit(best, _confidence(best, errors, len(points)), errors)


def _beats(better: float, worse: float) -> bool:
    return (better * FACTOR < worse and worse - better > FLOOR) or worse - better > GAP


def _margin(better: float, worse: float) -> float:
    """How clearly ``better`` beats ``worse``: 0 at the threshold, 1 a factor FACTOR past it, < 0 when not."""
    if not math.isfinite(worse):
        return 1.0
    by_ratio = math.log(max(worse, 1e-12) / max(better * FACTOR, 1e-12)) / math.log(FACTOR)
    by_floor = (worse - better - FLOOR) / FLOOR
    by_gap = (worse - better - GAP) / GAP
    return max(min(by_ratio, by_floor), by_gap)


def _confidence(best: str, errors: dict[str, float], count: int) -> float:
    """1 when every class is clearly in or out; 0.5 at a threshold or when another class fits alike."""
    best_error = min(errors.values())
    rank = COMPLEXITY_CLASSES.index(best)
    # The winner is not beaten; but a class that fits more than sqrt(FACTOR) times better
    # than it leaves the choice in doubt (below 0.5), unless both errors are tiny.
    ratio = math.log(max(errors[best], 1e-12) / max(best_error, 1e-12)) / math.log(FACTOR)
    tiny = (FLOOR - (errors[best] - best_error)) / FLOOR
    margins = [max(1.0 - 2.0 * ratio, tiny)]
    margins += [_margin(best_error, errors[name]) for name in COMPLEXITY_CLASSES[:rank]]  # simpler ones are
    confidence = min(1.0, max(0.0, 0.5 + 0.5 * min(margins)))
    confidence *= max(0.0, 1.0 - errors[best] / 0.15)  # the winner's own fit
    if count < 5:
        confidence *= count / 5
    return round(confidence, 3)


def too_costly(points: Sequence[GrowthPoint], n: int, fuel_limit: int) -> bool:
    """Whether size ``n`` would clearly pass the fuel limit, by the last two points' local growth."""
    if len(points) < 2:
        return False
    (n1, f1), (n2, f2) = (points[-2].n, max(points[-2].fuel, 1)), (points[-1].n, max(points[-1].fuel, 1))
    if n2 <= n1 or f2 <= f1:
        return False
    exponent = math.log(f2 / f1) / math.log(n2 / n1)
    return f2 * math.pow(n / n2, exponent) > fuel_limit


#: Fewer finished sizes than this cannot tell one class from another: the report says "not measured".
MIN_POINTS = 3


def report(points: Sequence[GrowthPoint], notes: Sequence[str]) -> GrowthReport:
    """Classify the points measured before the first failure or skipped size.

    Fewer than :data:`MIN_POINTS` points is "not measured" (``complexity`` is None), never a class:
    two sizes fit every class.
    """
    if len(points) < MIN_POINTS:
        finished = (
            f"only {len(points)} size{'s' if len(points) != 1 else ''} finished" if points else "no size finished"
        )
        note = "; ".join([f"not measured: {finished}", *notes])
        return GrowthReport(None, points, 0.0, detail=note)
    fit = classify(points)
    summary = ", ".join(f"{name} {fit.errors[name]:.3g}" for name in COMPLEXITY_CLASSES)
    detail = "; ".join([f"relative errors: {summary}", *notes])
    return GrowthReport(fit.complexity, points, fit.confidence, detail=detail)

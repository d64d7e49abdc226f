"""Measuring a growth series in the sandbox: ascending sizes, an empty call subtracted.

The curve fitting lives in :mod:`interview_engine.growth` (pure functions every runner and
plugin share); this module only runs the sizes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from interview_engine.growth import DEFAULT_SIZES, MIN_POINTS, Fit, classify, report, too_costly
from interview_engine.runner import CaseOutcome, CaseStatus, GrowthPoint

__all__ = ["DEFAULT_SIZES", "MIN_POINTS", "Fit", "classify", "measure_series", "report", "too_costly"]


def measure_series(
    run_batch: Callable[[Callable[[int], list[CaseOutcome]], list[int]], list[list[CaseOutcome]]],
    measure: Callable[[int], list[CaseOutcome]],
    sizes: Sequence[int],
    threads: int,
    fuel_limit: int,
) -> tuple[list[GrowthPoint], list[str]]:
    """Measure sizes in ascending batches of ``threads``; stop at a failure or a size sure to pass the limit.

    ``measure(n)`` returns the empty call's outcome, then the candidate's.
    """
    points: list[GrowthPoint] = []
    notes: list[str] = []
    ordered = sorted(set(sizes))
    for start in range(0, len(ordered), max(threads, 1)):
        batch = ordered[start : start + max(threads, 1)]
        if too_costly(points, batch[0], fuel_limit):
            notes.append(f"n={batch[0]} and above skipped: the fuel would pass the limit of {fuel_limit:,}")
            break
        for n, (baseline, call) in zip(batch, run_batch(measure, batch), strict=True):
            if call.status is not CaseStatus.RETURNED:
                notes.append(f"n={n}: {call.status.value} {call.error.splitlines()[-1:] or ''}".strip())
                return points, notes
            extra = baseline.fuel_used if baseline.status is CaseStatus.RETURNED else 0
            points.append(GrowthPoint(n=n, fuel=max(call.fuel_used - extra, 0)))
    return points, notes

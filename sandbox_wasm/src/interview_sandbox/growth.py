"""Measuring a growth series in the sandbox: ascending sizes, each an ordinary case, the harness's cost subtracted.

The curve fitting lives in :mod:`interview_engine.growth` (pure functions every runner and
plugin share); this module only runs the sizes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from attrs import evolve

from interview_engine.growth import DEFAULT_SIZES, MIN_POINTS, Fit, classify, report, too_costly
from interview_engine.runner import CaseOutcome, CaseStatus, GrowthPoint
from interview_sandbox import values

__all__ = ["DEFAULT_SIZES", "MIN_POINTS", "Fit", "arguments", "classify", "measure_series", "report", "too_costly"]


def measure_series(
    run_batch: Callable[[Callable[[int], CaseOutcome], list[int]], list[CaseOutcome]],
    measure: Callable[[int], CaseOutcome],
    sizes: Sequence[int],
    threads: int,
    fuel_limit: int,
) -> tuple[list[GrowthPoint], list[str]]:
    """Measure sizes in ascending batches of ``threads``; stop at a failure or a size sure to pass the limit.

    ``measure(n)`` returns the call's outcome at size ``n``, its fuel already less the harness's own.
    """
    points: list[GrowthPoint] = []
    notes: list[str] = []
    ordered = sorted(set(sizes))
    for start in range(0, len(ordered), max(threads, 1)):
        batch = ordered[start : start + max(threads, 1)]
        if too_costly(points, batch[0], fuel_limit):
            notes.append(f"n={batch[0]} and above skipped: the fuel would pass the limit of {fuel_limit:,}")
            break
        for n, call in zip(batch, run_batch(measure, batch), strict=True):
            if call.status is not CaseStatus.RETURNED:
                notes.append(f"n={n}: {call.status.value} {call.error.splitlines()[-1:] or ''}".strip())
                return points, notes
            points.append(GrowthPoint(n=n, fuel=call.fuel_used))
    return points, notes


def arguments(made: CaseOutcome) -> list[Any] | CaseOutcome:
    """The argument list ``make_input(n)`` returned (wire-encoded), or why there is none, as an outcome."""
    if made.status is not CaseStatus.RETURNED:
        return evolve(made, error=f"make_input failed: {made.error}".strip())
    try:
        value = values.from_wire(made.actual)
    except ValueError as exc:
        return evolve(made, status=CaseStatus.NOT_RUN, error=f"make_input returned {exc}")
    return list(value) if isinstance(value, list) else [value]

"""A rubric as data: dimensions, weights, floors, pass rules and disqualifiers.

Every number of a rubric lives in a :class:`RubricSpec`; the scorer holds none.
Modules load their specs from content files (see ``rubric_from_data``).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from typing import Any

from attrs import field, frozen

from interview_engine._convert import as_tuple

__all__ = ["SCORE_MAX", "SCORE_MIN", "Dimension", "Disqualifier", "RubricSpec", "Rule"]

SCORE_MIN = 0.0
SCORE_MAX = 5.0

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
}


@frozen
class Dimension:
    """One scored aspect, 0..5."""

    name: str
    weight: float
    description: str = ""

    def __attrs_post_init__(self) -> None:
        if not self.name:
            raise ValueError("Dimension.name must not be empty")
        if not (0 < self.weight <= 1):
            raise ValueError(f"Dimension.weight must be in (0, 1], got {self.weight} for {self.name!r}")


def _check_op(instance: Rule, attribute: Any, value: str) -> None:
    if value not in _OPS:
        raise ValueError(f"Rule.op must be one of {sorted(_OPS)}, got {value!r}")


@frozen
class Rule:
    """A pass rule on a metric: ``metric op value``, e.g. ``questionsAttempted >= 20``.

    The metric ``weightedAverage`` is the rubric's weighted average; every
    other metric comes from the session.  A missing metric fails the rule.
    """

    id: str
    metric: str
    op: str = field(validator=_check_op)
    value: float
    description: str = ""

    def holds(self, metrics: Mapping[str, float]) -> bool:
        observed = metrics.get(self.metric)
        if observed is None:
            return False
        return _OPS[self.op](observed, self.value)

    def describe(self) -> str:
        return self.description or f"{self.metric} {self.op} {self.value:g}"


@frozen
class Disqualifier:
    """A flag that alone holds a candidate back."""

    code: str
    description: str


@frozen
class RubricSpec:
    """A versioned rubric.

    Attributes:
        name: e.g. ``voice_screen/mid``.
        version: bumps whenever a number changes.
        dimensions: weights must sum to 1.
        floors: minimum score per dimension name.
        pass_rules: all must hold to advance; ``weightedAverage`` rules included.
        pass_threshold: the weighted average needed to advance (also a rule,
            stated here so that ``hold_margin`` has something to subtract from).
        hold_margin: a weighted average below ``pass_threshold - hold_margin``
            is "clearly short" and holds; between that and a pass is review.
        disqualifiers: any of these present holds.
        guidance: per dimension, a next step to suggest when it is a gap.
    """

    name: str
    version: str
    dimensions: tuple[Dimension, ...] = field(converter=as_tuple)
    pass_threshold: float
    hold_margin: float = 0.5
    floors: dict[str, float] = field(factory=dict)
    pass_rules: tuple[Rule, ...] = field(converter=as_tuple, default=())
    disqualifiers: tuple[Disqualifier, ...] = field(converter=as_tuple, default=())
    guidance: dict[str, str] = field(factory=dict)

    def __attrs_post_init__(self) -> None:
        if not self.dimensions:
            raise ValueError("RubricSpec.dimensions must not be empty")
        names = [d.name for d in self.dimensions]
        if len(set(names)) != len(names):
            raise ValueError(f"RubricSpec.dimensions has duplicate names: {names}")
        total = math.fsum(d.weight for d in self.dimensions)
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            raise ValueError(f"RubricSpec.dimensions weights must sum to 1, got {total:g}")
        for dim in self.floors:
            if dim not in names:
                raise ValueError(f"RubricSpec.floors names unknown dimension {dim!r}")
        if not (SCORE_MIN <= self.pass_threshold <= SCORE_MAX):
            raise ValueError(f"RubricSpec.pass_threshold must be within 0..5, got {self.pass_threshold}")
        if self.hold_margin < 0:
            raise ValueError("RubricSpec.hold_margin must not be negative")
        codes = [d.code for d in self.disqualifiers]
        if len(set(codes)) != len(codes):
            raise ValueError("RubricSpec.disqualifiers has duplicate codes")

    @property
    def dimension_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.dimensions)

    def weight(self, name: str) -> float:
        for d in self.dimensions:
            if d.name == name:
                return d.weight
        raise KeyError(name)

"""The debugging module's own scoring numbers (``[scoring]`` in ``content/rubric.toml``).

The rubric spec holds weights, floors and pass rules; this spec holds the
numbers each dimension's heuristic uses, so no number lives in scoring code.
See ``docs/debugging.md`` for what each one means.
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import field, frozen

__all__ = ["CommunicationSpec", "ScoringSpec"]


def _tuple(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@frozen
class CommunicationSpec:
    """Points of the diagnosis-text heuristic (the default ``debug_diagnosis`` scorer)."""

    min_words: int
    short_cap: float
    cause_words: tuple[str, ...] = field(converter=_tuple)
    cause_points: float
    location_points: float
    effect_words: tuple[str, ...] = field(converter=_tuple)
    effect_points: float
    fix_words: tuple[str, ...] = field(converter=_tuple)
    fix_points: float
    evidence_words: tuple[str, ...] = field(converter=_tuple)
    evidence_points: float
    concept_points: float
    max_words: int
    long_penalty: float


@frozen
class ScoringSpec:
    """Numbers of the four heuristics and of the result."""

    dimensions: tuple[str, ...] = field(converter=_tuple)
    location_points: float
    file_points: float
    line_tolerance: int
    concept_points: float
    hint_penalty: float
    hint_penalty_cap: float
    rigor_detects_bug: float
    rigor_passes_reference: float
    rigor_valid: float
    rigor_mutant_bonus: float
    rigor_copy_cap: float
    communication: CommunicationSpec

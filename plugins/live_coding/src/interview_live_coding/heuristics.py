"""The numbers behind each dimension's score, read from ``content/scoring.toml``."""

from __future__ import annotations

from importlib.resources.abc import Traversable

from attrs import frozen

from interview_engine.content import load_content

__all__ = ["Heuristics", "load_heuristics"]


@frozen
class ComplexityRules:
    measured: list[float]
    not_measured: float
    slope_tolerance: float
    honesty: list[float]
    gate: float


@frozen
class QualityRules:
    start: float
    ruff_error: float
    ruff_other: float
    ruff_max: float
    max_function_lines: int
    max_nesting: int
    max_branches: int
    max_statement_nodes: int
    structure_penalty: float
    short_names_allowed: list[str]
    naming_penalty: float
    naming_max: float
    gate: float


@frozen
class ClarityRules:
    min_words: int
    short_cap: float
    points_per_aspect: float


@frozen
class TimeRules:
    on_time: float
    late: float
    very_late_ratio: float
    very_late: float
    free_runs: int
    run_penalty: float
    run_penalty_max: float
    never_ran: float
    gate: float


@frozen
class TopicRules:
    correctness_weight: float
    complexity_weight: float


@frozen
class RunLimits:
    case_fuel: int
    case_wall_ms: int
    growth_fuel: int


@frozen
class Heuristics:
    complexity: ComplexityRules
    quality: QualityRules
    clarity: ClarityRules
    time_management: TimeRules
    topics: TopicRules
    limits: RunLimits


def load_heuristics(root: Traversable) -> Heuristics:
    heuristics: Heuristics = load_content(root / "scoring.toml", Heuristics)
    return heuristics


def gate(correctness: float, threshold: float) -> float:
    """How much of a dimension's credit working code earns: 0 for code that passes nothing."""
    return 1.0 if threshold <= 0 else max(0.0, min(1.0, correctness / threshold))

"""Rubric engine: a :class:`RubricSpec` is data, :func:`score_rubric` the one scorer."""

from interview_engine.rubric.loader import rubric_from_data
from interview_engine.rubric.scorer import RubricResult, score_rubric, weighted_average
from interview_engine.rubric.spec import SCORE_MAX, SCORE_MIN, Dimension, Disqualifier, RubricSpec, Rule

__all__ = [
    "SCORE_MAX",
    "SCORE_MIN",
    "Dimension",
    "Disqualifier",
    "RubricResult",
    "RubricSpec",
    "Rule",
    "rubric_from_data",
    "score_rubric",
    "weighted_average",
]

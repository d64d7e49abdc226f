"""The rubric engine's rules: hypothesis properties and boundary tables."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interview_engine import ContentError, Decision, RubricSpec, rubric_from_data, score_rubric
from interview_engine.rubric import weighted_average

scores_st = st.floats(min_value=0, max_value=5, allow_nan=False)


@st.composite
def specs(draw: st.DrawFn) -> RubricSpec:
    count = draw(st.integers(min_value=1, max_value=6))
    raw = draw(st.lists(st.integers(min_value=1, max_value=100), min_size=count, max_size=count))
    total = sum(raw)
    weights = [r / total for r in raw]
    weights[-1] = 1 - math.fsum(weights[:-1])
    names = [f"d{i}" for i in range(count)]
    floors = {n: draw(scores_st) for n in names if draw(st.booleans())}
    threshold = draw(st.floats(min_value=0, max_value=5))
    return rubric_from_data(
        {
            "name": "generated",
            "version": "1",
            "pass_threshold": threshold,
            "hold_margin": draw(st.floats(min_value=0, max_value=2)),
            "dimensions": [{"name": n, "weight": w} for n, w in zip(names, weights, strict=True)],
            "floors": floors,
            "pass_rules": [{"id": "attempted", "metric": "attempted", "op": ">=", "value": 3}],
        }
    )


@settings(max_examples=200)
@given(specs())
def test_weights_sum_to_one(spec: RubricSpec) -> None:
    assert math.isclose(math.fsum(d.weight for d in spec.dimensions), 1.0)


def test_weights_not_summing_to_one_are_refused_naming_the_file() -> None:
    with pytest.raises(ContentError) as caught:
        rubric_from_data(
            {"name": "x", "version": "1", "pass_threshold": 3, "dimensions": [{"name": "a", "weight": 0.5}]},
            source="voice/rubric.toml",
        )
    assert "voice/rubric.toml" in str(caught.value)
    assert "sum to 1" in str(caught.value)


@settings(max_examples=300)
@given(specs(), st.data())
def test_raising_any_score_never_worsens_the_decision(spec: RubricSpec, data: st.DataObject) -> None:
    scores = {d.name: data.draw(scores_st) for d in spec.dimensions}
    attempted = data.draw(st.integers(min_value=0, max_value=5))
    name = data.draw(st.sampled_from(spec.dimension_names))
    raised = dict(scores, **{name: data.draw(st.floats(min_value=scores[name], max_value=5))})
    before = score_rubric(spec, scores, metrics={"attempted": attempted})
    after = score_rubric(spec, raised, metrics={"attempted": attempted})
    assert after.weighted_average >= before.weighted_average
    assert after.decision.rank >= before.decision.rank


@settings(max_examples=200)
@given(specs(), st.data())
def test_the_result_is_deterministic(spec: RubricSpec, data: st.DataObject) -> None:
    scores = {d.name: data.draw(scores_st) for d in spec.dimensions}
    first = score_rubric(spec, scores, metrics={"attempted": 3})
    second = score_rubric(spec, dict(reversed(list(scores.items()))), metrics={"attempted": 3})
    assert first == second


@settings(max_examples=200)
@given(specs(), st.data())
def test_weighted_average_stays_within_the_scores(spec: RubricSpec, data: st.DataObject) -> None:
    scores = {d.name: data.draw(scores_st) for d in spec.dimensions}
    average = weighted_average(spec, scores)
    assert min(scores.values()) - 0.01 <= average <= max(scores.values()) + 0.01


SPEC = rubric_from_data(
    {
        "name": "table",
        "version": "1",
        "pass_threshold": 3.6,
        "hold_margin": 0.6,
        "dimensions": [{"name": "a", "weight": 0.5}, {"name": "b", "weight": 0.5}],
        "floors": {"a": 3.0, "b": 3.0},
        "pass_rules": [
            {"id": "attempted", "metric": "attempted", "op": ">=", "value": 20},
            {"id": "misconceptions", "metric": "misconceptions", "op": "<=", "value": 2},
        ],
        "disqualifiers": [{"code": "refusal", "description": "refused to engage"}],
    }
)
GOOD = {"attempted": 20, "misconceptions": 2}


@pytest.mark.parametrize(
    ("scores", "metrics", "flags", "decision", "failed"),
    [
        ({"a": 3.6, "b": 3.6}, GOOD, [], Decision.ADVANCE, []),
        ({"a": 3.58, "b": 3.58}, GOOD, [], Decision.REVIEW, ["weightedAverage"]),
        ({"a": 3.0, "b": 3.0}, GOOD, [], Decision.REVIEW, ["weightedAverage"]),
        ({"a": 2.98, "b": 2.98}, GOOD, [], Decision.HOLD, ["weightedAverage", "floor.a", "floor.b"]),
        ({"a": 5.0, "b": 2.99}, GOOD, [], Decision.REVIEW, ["floor.b"]),
        ({"a": 4, "b": 4}, {"attempted": 19, "misconceptions": 0}, [], Decision.REVIEW, ["attempted"]),
        ({"a": 4, "b": 4}, {"attempted": 25, "misconceptions": 3}, [], Decision.REVIEW, ["misconceptions"]),
        ({"a": 4, "b": 4}, {"misconceptions": 0}, [], Decision.REVIEW, ["attempted"]),
        ({"a": 5, "b": 5}, GOOD, ["refusal"], Decision.HOLD, ["disqualifier.refusal"]),
    ],
)
def test_decision_boundaries(
    scores: dict[str, float], metrics: dict[str, float], flags: list[str], decision: Decision, failed: list[str]
) -> None:
    result = score_rubric(SPEC, scores, metrics=metrics, disqualifiers=flags)
    assert result.decision is decision
    assert list(result.failed_rules) == failed
    assert result.rationale[-1].startswith(f"decision {decision.value}")


def test_rationale_names_every_rule() -> None:
    result = score_rubric(SPEC, {"a": 4, "b": 4}, metrics=GOOD)
    text = "\n".join(result.rationale)
    for needle in ("weighted average 4.00", "floor a >= 3", "floor b >= 3", "attempted >= 20", "misconceptions <= 2"):
        assert needle in text


@pytest.mark.parametrize(
    ("scores", "flags", "message"),
    [
        ({"a": 4}, [], "rubric.b: a score is required"),
        ({"a": 4, "b": 4, "c": 1}, [], "rubric.c: not a dimension"),
        ({"a": 5.5, "b": 4}, [], "rubric.a: must be between 0 and 5"),
        ({"a": float("nan"), "b": 4}, [], "rubric.a"),
        ({"a": 4, "b": 4}, ["cheating"], "unknown code 'cheating'"),
    ],
)
def test_bad_scores_name_the_field(scores: dict[str, float], flags: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        score_rubric(SPEC, scores, metrics=GOOD, disqualifiers=flags)

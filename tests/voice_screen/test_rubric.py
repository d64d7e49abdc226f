"""The phone-screen rubric: every boundary of the product spec, and properties of the decision."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from interview_engine.commands import CommandContext
from interview_engine.errors import InvalidInput
from interview_voice_screen import knowledge_base
from interview_voice_screen.cli import screen
from interview_voice_screen.evaluation import decide

KB = knowledge_base()
TOPICS_8 = {f"t{i}": 3 for i in range(8)}  # 24 questions, 12.5% each


def passing(difficulty: str = "mid", **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "track": "backend",
        "difficulty": difficulty,
        "rubric": dict.fromkeys(("correctness", "depth", "practicality", "clarity", "autonomy"), 5.0),
        "metrics": {"questionsAttempted": 25, "hintsUsed": 0, "misconceptions": 0},
        "topics": dict(TOPICS_8),
        "disqualifiers": [],
    }
    for key, value in changes.items():
        if key in ("rubric", "metrics"):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return base


def flat(score: float) -> dict[str, float]:
    return dict.fromkeys(("correctness", "depth", "practicality", "clarity", "autonomy"), score)


CASES = [
    # (name, input, decision, failed rule expected or None)
    ("mid 3.60 passes", passing(rubric=flat(3.6)), "advance", None),
    ("mid 3.59 is review", passing(rubric=flat(3.59)), "review", "weightedAverage"),
    ("mid 3.10 is still review", passing(rubric=flat(3.1)), "review", "weightedAverage"),
    ("mid 3.09 is clearly short", passing(rubric={**flat(3.09)}), "hold", "weightedAverage"),
    ("mid 20 attempted", passing(metrics={"questionsAttempted": 20}), "advance", None),
    ("mid 19 attempted", passing(metrics={"questionsAttempted": 19}), "review", "questionsAttempted"),
    ("mid 2 misconceptions", passing(metrics={"misconceptions": 2}), "advance", None),
    ("mid 3 misconceptions", passing(metrics={"misconceptions": 3}), "review", "misconceptions"),
    ("mid hints allowed", passing(metrics={"hintsUsed": 12}), "advance", None),
    ("mid floor 3.0 holds", passing(rubric={"autonomy": 3.0}), "advance", None),
    ("mid floor 2.99 fails", passing(rubric={"autonomy": 2.99}), "review", "floor.autonomy"),
    ("senior 4.20 passes", passing("senior", rubric=flat(4.2)), "advance", None),
    ("senior 4.19 is review", passing("senior", rubric=flat(4.19)), "review", "weightedAverage"),
    ("senior 25 attempted", passing("senior"), "advance", None),
    ("senior 24 attempted", passing("senior", metrics={"questionsAttempted": 24}), "review", "questionsAttempted"),
    ("senior 0 misconceptions", passing("senior"), "advance", None),
    ("senior 1 misconception", passing("senior", metrics={"misconceptions": 1}), "review", "misconceptions"),
    ("senior 3 hints", passing("senior", metrics={"hintsUsed": 3}), "advance", None),
    ("senior 4 hints", passing("senior", metrics={"hintsUsed": 4}), "review", "hintsUsed"),
    ("senior floor 4.0 holds", passing("senior", rubric={"clarity": 4.0}), "advance", None),
    ("senior floor 3.99 fails", passing("senior", rubric={"clarity": 3.99}), "review", "floor.clarity"),
    ("5 topics", passing(topics={f"t{i}": 5 for i in range(5)}), "advance", None),
    ("4 topics", passing(topics={f"t{i}": 6 for i in range(4)}), "review", "topicsCovered"),
    ("40% on one topic", passing(topics={"a": 40, "b": 15, "c": 15, "d": 15, "e": 15}), "advance", None),
    ("41% on one topic", passing(topics={"a": 41, "b": 15, "c": 15, "d": 15, "e": 14}), "review", "maxTopicShare"),
    (
        "disqualifier holds",
        passing(disqualifiers=["security_red_flags"]),
        "hold",
        "disqualifier.security_red_flags",
    ),
]


@pytest.mark.parametrize(("name", "data", "decision", "rule"), CASES, ids=[c[0] for c in CASES])
def test_every_boundary(name: str, data: dict[str, Any], decision: str, rule: str | None) -> None:
    result = decide(KB, data)
    assert result["decision"] == decision, result["rationale"]
    if rule is None:
        assert result["failedRules"] == []
    else:
        assert rule in result["failedRules"]


def test_the_rationale_names_every_rule() -> None:
    result = decide(KB, passing("senior", disqualifiers=["refusal_to_engage"]))
    text = "\n".join(result["rationale"])
    spec = KB.rubrics["senior"]
    assert "bar of 4.2" in text
    for dim in spec.floors:
        assert f"floor {dim}" in text
    for rule in spec.pass_rules:
        assert rule.describe() in text
    assert "disqualifier refusal_to_engage" in text and text.endswith("a disqualifier is present")


scores = st.floats(min_value=0, max_value=5, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(
    difficulty=st.sampled_from(["mid", "senior"]),
    dims=st.fixed_dictionaries(dict.fromkeys(("correctness", "depth", "practicality", "clarity", "autonomy"), scores)),
    attempted=st.integers(0, 40),
    hints=st.integers(0, 10),
    misconceptions=st.integers(0, 5),
    topics=st.dictionaries(st.sampled_from([f"t{i}" for i in range(10)]), st.integers(0, 10), max_size=10),
    flags=st.lists(st.sampled_from([d.code for d in KB.rubrics["mid"].disqualifiers]), max_size=2, unique=True),
)
def test_decision_properties(
    difficulty: str,
    dims: dict[str, float],
    attempted: int,
    hints: int,
    misconceptions: int,
    topics: dict[str, int],
    flags: list[str],
) -> None:
    data = {
        "track": "mobile",
        "difficulty": difficulty,
        "rubric": dims,
        "metrics": {"questionsAttempted": attempted, "hintsUsed": hints, "misconceptions": misconceptions},
        "topics": topics,
        "disqualifiers": flags,
    }
    result = decide(KB, data)
    spec = KB.rubrics[difficulty]
    average = result["weightedAverage"]
    assert abs(average - sum(d.weight * dims[d.name] for d in spec.dimensions)) <= 0.006
    if flags or average < spec.pass_threshold - spec.hold_margin:
        assert result["decision"] == "hold"
    elif result["failedRules"]:
        assert result["decision"] == "review"
    else:
        assert result["decision"] == "advance"
    if result["decision"] == "advance":
        assert attempted >= (20 if difficulty == "mid" else 25)
        assert all(dims[d] >= spec.floors[d] for d in spec.floors)
        asked = {t: c for t, c in topics.items() if c}
        assert len(asked) >= 5 and max(asked.values()) / sum(asked.values()) <= 0.4
        if difficulty == "senior":
            assert misconceptions == 0 and hints <= 3
    # Raising a score never lowers the decision.
    better = decide(KB, {**data, "rubric": {d: min(5.0, v + 0.5) for d, v in dims.items()}})
    order = ["hold", "review", "advance"]
    assert order.index(better["decision"]) >= order.index(result["decision"])


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ([], "$"),
        ({}, "track"),
        ({**passing(), "track": "devops"}, "track"),
        ({**passing(), "difficulty": "staff"}, "difficulty"),
        ({k: v for k, v in passing().items() if k != "rubric"}, "rubric"),
        (passing(rubric={"depth": "high"}), "rubric.depth"),
        (passing(rubric={"clarity": 7}), "rubric.clarity"),
        (passing(rubric={"charm": 5}), "rubric.charm"),
        (passing(metrics={"hintsUsed": -1}), "metrics.hintsUsed"),
        ({**passing(), "metrics": {"hintsUsed": 1, "misconceptions": 0}}, "metrics.questionsAttempted"),
        (passing(topics={"a": 1.5}), "topics.a"),
        (passing(disqualifiers=["rude"]), "disqualifiers[0]"),
    ],
)
def test_bad_input_names_the_field(data: Any, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        decide(KB, data)
    assert caught.value.field == field


def test_decide_command(sqlite_url: str) -> None:
    runner = CliRunner()
    ok = runner.invoke(
        screen, ["decide", "--json"], input=json.dumps(passing()), obj=CommandContext(database_url=sqlite_url)
    )
    assert ok.exit_code == 0, ok.output
    out = json.loads(ok.output)
    assert set(out) == {"weightedAverage", "decision", "rationale", "failedRules"}
    assert out["decision"] == "advance" and out["weightedAverage"] == 5.0
    bad = runner.invoke(screen, ["decide", "--json"], input="{not json", obj=CommandContext(database_url=sqlite_url))
    assert bad.exit_code != 0

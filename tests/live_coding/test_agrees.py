"""``grading.agrees``: the text fast path decides exactly as ``wire.same`` does."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from interview_engine import wire
from interview_live_coding.grading import agrees
from interview_live_coding.pack import expected_text

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-3, max_value=3)
    | st.sampled_from([0.0, -0.0, 1.0, 0.1 + 0.2, 0.3, 1e-12, 2.0**60, float("nan"), float("inf")])
    | st.sampled_from(["", "a", "A", "é", '"', "\\", "$set"])
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.frozensets(st.integers(min_value=0, max_value=3), max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b", "$x"]), children, max_size=3)
        | st.dictionaries(st.integers(min_value=0, max_value=2), children, max_size=2)
    ),
    max_leaves=12,
)


def _reported(value: Any) -> Any:
    """A value as the host has it after decoding a report (the guest encodes with ``wire.encode``)."""
    return json.loads(json.dumps(wire.encode(value)))


@settings(max_examples=500)
@given(values, values)
def test_agrees_is_same_for_any_pair(a: Any, b: Any) -> None:
    expected, actual = wire.encode(a), _reported(b)
    assert agrees(expected, actual) == wire.same(expected, actual)
    assert agrees(expected, actual, expected_text(expected)) == wire.same(expected, actual)


@settings(max_examples=300)
@given(values)
def test_a_value_agrees_with_itself_and_not_with_its_bools_made_ints(value: Any) -> None:
    expected = wire.encode(value)
    assert agrees(expected, _reported(value)) == wire.same(expected, _reported(value))
    as_ints = json.loads(json.dumps(expected).replace("true", "1").replace("false", "0"))
    assert agrees(expected, as_ints) == wire.same(expected, as_ints)


def test_near_floats_ints_for_floats_and_key_order_fall_back_to_same() -> None:
    assert agrees([0.30000000000000004], [0.3])  # within the tolerance, other text
    assert agrees([1.0], [1]) and agrees([1], [1.0])
    assert agrees({"a": 1, "b": 2}, {"b": 2, "a": 1})
    assert not agrees([1], [True]) and not agrees([True], [1])
    assert not agrees({"$float": "nan"}, float("nan"))  # a forged NaN is no NaN the reference encoded
    assert agrees(wire.encode(list(range(30_000))), list(range(30_000)))

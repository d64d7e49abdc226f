"""Host decoding of guest reports: bounded before parsing, never an exception but ReportRefused."""

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interview_sandbox import report
from interview_sandbox.cache import ResultCache, weigh

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(), children, max_size=5),
    max_leaves=30,
)


@given(json_values)
def test_every_value_within_bounds_decodes_as_json_does(value):
    text = json.dumps(value).encode("ascii")  # the guest writes ASCII JSON
    assert report.decode(text) == json.loads(text)


@settings(max_examples=300)
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_are_refused(data):
    with contextlib.suppress(report.ReportRefused):  # anything else would fail the test
        report.decode(data)


@given(st.text(alphabet='[]{},"\\:0123456789ab ', max_size=200))
def test_any_bracket_soup_decodes_or_is_refused(text):
    with contextlib.suppress(report.ReportRefused):
        report.decode(text.encode())


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (b"[" * (report.MAX_DEPTH + 1) + b"]" * (report.MAX_DEPTH + 1), "nested deeper"),
        (json.dumps([[]] * report.MAX_NODES).encode(), "more than"),
        (b'""' * (2 * report.MAX_NODES + 10), "not JSON"),  # strings without commas: cut out in C, then refused
        (b"9" * (report.MAX_DIGITS + 1), "number longer"),
        (b"[" + b"1" * (report.MAX_DIGITS + 1) + b"]", "number longer"),
        (b"x" * (report.REPORT_BYTES + 1), "larger than"),
        ('"\u00e9"'.encode(), "not ASCII"),
        (b"{}{}", "not JSON"),
    ],
)
def test_bounds_are_named(text, why):
    with pytest.raises(report.ReportRefused, match=why):
        report.decode(text)


def _nodes_and_depth(value):
    """What the shape check bounds, counted on the parsed value: one node at the top and one per
    bracket and comma (a container of k items holds max(k, 1)), and the nesting of containers."""
    if isinstance(value, dict):
        value = list(value.values())
    if not isinstance(value, list):
        return 0, 0
    inner = [_nodes_and_depth(item) for item in value]
    return max(len(value), 1) + sum(n for n, _ in inner), 1 + max((d for _, d in inner), default=0)


@settings(max_examples=300)
@given(json_values, st.integers(min_value=1, max_value=40), st.integers(min_value=1, max_value=6))
def test_refused_exactly_past_the_node_and_depth_bounds(value, nodes, depth):
    """The C-speed scans count what a token-by-token scan counts: refused iff a bound is passed."""
    text = json.dumps(value).encode("ascii")
    counted, nested = _nodes_and_depth(value)
    saved = report.MAX_NODES, report.MAX_DEPTH
    report.MAX_NODES, report.MAX_DEPTH = nodes, depth
    try:
        if 1 + counted > nodes or nested > depth:
            with pytest.raises(report.ReportRefused, match="more than|nested deeper"):
                report.decode(text)
        else:
            assert report.decode(text) == json.loads(text)
    finally:
        report.MAX_NODES, report.MAX_DEPTH = saved


def test_a_large_plain_answer_is_checked_in_one_pass():
    answers = [["ab,c", "d[e", "f}g"] for _ in range(30_000)]  # brackets and commas in strings are values
    text = json.dumps({"status": "returned", "value": answers}).encode()
    assert report.decode(text)["value"] == answers


def test_long_strings_and_escapes_are_values_not_structure():
    text = json.dumps(["9" * 10_000, '"[[[' * 1000, "\\" * 999]).encode()
    assert report.decode(text) == json.loads(text)


def test_budget_is_shared_and_runs_out():
    budget = report.ReportBudget(10)
    assert budget.take(6)
    assert not budget.take(6)
    assert not budget.take(1)


def test_result_cache_is_bounded_in_bytes():
    cache = ResultCache(1000, max_bytes=1_000_000)
    for i in range(50):
        cache.put(str(i), "x" * 100_000)
    assert cache.bytes <= 1_000_000
    assert len(cache) < 10
    assert cache.get("49") is not None and cache.get("0") is None
    cache.put("huge", "y" * 600_000)  # more than a quarter of the cache: never kept
    assert cache.get("huge") is None


@settings(deadline=None)  # a property, not a timing: its first example took 0.4-0.5 s at load 25-30 (twice)
@given(st.recursive(st.integers() | st.text(), lambda c: st.lists(c) | st.dictionaries(st.text(), c)))
def test_weigh_counts_at_least_the_text_held(value):
    assert weigh(value) >= len(json.dumps(value)) // 4


def test_weigh_is_iterative_and_capped():
    nested: list = []
    for _ in range(5000):  # deeper than the recursion limit
        nested = [nested]
    assert 0 < weigh(nested) <= 64 * 1024 * 1024
    assert weigh(["x" * 1000] * 10_000, limit=1_000_000) == 1_000_001

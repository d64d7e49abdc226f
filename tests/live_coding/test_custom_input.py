"""Run on my input: arguments typed by the candidate, parsed as literals only, run beside the reference."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interview_engine import Engine
from interview_engine.domain import Session
from interview_engine.errors import InvalidInput
from interview_live_coding.custom import MAX_INPUT_CHARS, parse_arguments
from interview_live_coding.plugin import module

from .conftest import PROBLEM

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=30,
)


@given(st.lists(JSON_VALUES, max_size=4))
@settings(max_examples=200, deadline=None)
def test_every_json_value_written_as_python_parses_back(args: list[Any]) -> None:
    text = ", ".join(repr(a) for a in args)
    assert parse_arguments(text) == args


@given(st.lists(JSON_VALUES, max_size=3))
@settings(max_examples=100, deadline=None)
def test_tuples_arrive_as_lists(args: list[Any]) -> None:
    assert parse_arguments(repr(tuple(args)) + ",") == [args]


@given(st.text(max_size=200))
@settings(max_examples=400, deadline=None)
def test_any_text_is_arguments_or_a_clear_refusal(text: str) -> None:
    try:
        parsed = parse_arguments(text)
    except InvalidInput as error:
        assert error.field == "input"
        assert str(error)
    else:
        json.dumps(parsed)  # whatever is accepted can travel to the sandbox


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('__import__("os").system("id")', "not a Call"),
        ("open('/etc/passwd')", "not a Call"),
        ("x", "not a name"),
        ("[1] * 10**9", "not a BinOp"),
        ("lambda: 1", "not a Lambda"),
        ("{1, 2}", "sets cannot be passed"),
        ("{1: 2}", "keys must be strings"),
        ("b'x'", "use strings, numbers"),
        ("1j", "use strings, numbers"),
        ("...", "use strings, numbers"),
        ("-'x'", "sign goes only in front of a number"),
        ("--1", "sign goes only in front of a number"),
        ("1e999", "too large to be finite"),
        ("k=1", "positional arguments only"),
        ("*[1]", "`*` is not allowed"),
        ("), (1", "not a list of arguments"),
        (")", "not a list of Python literals"),
        ("[" * 1000, "not a list of Python literals"),
        ("-" * 5000 + "1", ""),
        ("9" * 5000, ""),
        ("1\x00", "NUL"),
        ("[1]" * (MAX_INPUT_CHARS // 3 + 1), "longer than"),
        ("[" + "0," * 4_000 + "]", ""),  # fine: 4 000 values
        ("[" + "0," * 6_000 + "]", "more than 5000 values"),
    ],
)
def test_refusals_name_what_was_wrong(text: str, says: str) -> None:
    if says == "" and text.startswith("[0,"):
        assert len(parse_arguments(text)[0]) == 4_000
        return
    with pytest.raises(InvalidInput) as raised:
        parse_arguments(text)
    assert raised.value.field == "input"
    assert says in str(raised.value)


def test_multi_line_input_with_comments_and_trailing_comma() -> None:
    assert parse_arguments('[\n  "a  b",  # two spaces kept\n  "c\\td",\n],\n3,') == [["a  b", "c\td"], 3]


@pytest.fixture
def session(start: Callable[..., Session]) -> Session:
    return start(PROBLEM)


def test_run_on_my_input_shows_mine_and_the_reference(sqlite_engine: Engine, session: Session) -> None:
    problem = module().pack.problems[PROBLEM]
    text = '2, [["put", 1, 1], ["put", 2, 2], ["get", 1], ["put", 3, 3], ["get", 2]]'
    reference = sqlite_engine.act(session.id, "run_custom", {"source": problem.reference, "input": text}).data
    assert reference["status"] == "returned"
    assert reference["matches"] is True
    assert reference["input"] == parse_arguments(text)
    assert reference["expected"] == reference["actual"]

    broken = "def run_cache(capacity, operations):\n    print('  spaced  ')\n    return [0] * len(operations)\n"
    mine = sqlite_engine.act(session.id, "run_custom", {"source": broken, "input": text}).data
    assert mine["matches"] is False
    assert mine["stdout"] == "  spaced  \n"
    assert mine["expected"] == reference["expected"]

    raising = "def run_cache(capacity, operations):\n    return {}['missing']\n"
    failed = sqlite_engine.act(session.id, "run_custom", {"source": raising, "input": text}).data
    assert failed["status"] == "raised"
    assert "solution.py:2" in failed["error"] and "KeyError" in failed["error"]


def test_run_on_my_input_outside_the_rules_says_so(sqlite_engine: Engine, session: Session) -> None:
    problem = module().pack.problems[PROBLEM]
    data = sqlite_engine.act(session.id, "run_custom", {"source": problem.reference, "input": '"not a number", 5'}).data
    assert data["expectedError"] == "the reference solution does not accept this input"
    assert data["matches"] is False


def test_run_on_my_input_refuses_code(sqlite_engine: Engine, session: Session) -> None:
    with pytest.raises(InvalidInput, match="input"):
        sqlite_engine.act(session.id, "run_custom", {"source": "def run_cache(c, o): pass", "input": "exit()"})
    with pytest.raises(InvalidInput, match="input"):
        sqlite_engine.act(session.id, "run_custom", {"source": "def run_cache(c, o): pass"})


def test_a_missing_function_is_said_once_in_words(sqlite_engine: Engine, session: Session) -> None:
    data = sqlite_engine.act(session.id, "run", {"source": "def run_cach(capacity, operations):\n    return []\n"}).data
    assert data["loadError"] == "Your code does not define a function named run_cache: the tests call run_cache(...)."
    syntax = sqlite_engine.act(session.id, "run", {"source": "def run_cache(:\n"}).data
    assert "SyntaxError" in syntax["loadError"] and "line 1" in syntax["loadError"]
    fine = sqlite_engine.act(session.id, "run", {"source": module().pack.problems[PROBLEM].reference}).data
    assert fine["loadError"] == ""

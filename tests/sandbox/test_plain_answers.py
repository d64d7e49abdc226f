"""Plain answers (lists of scalars, lists of lists of scalars) are written by the C encoder in the guest:
the host must read exactly what ``wire.encode`` makes of them, and anything else takes the general path."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interview_engine.runner import CallCase, CaseStatus, Limits
from interview_engine.wire import encode
from interview_sandbox import Sandbox

FAST = Limits(wall_ms=5000, fuel=2_000_000_000)
ECHO = "def f(x):\n    return x\n"

# Every code point, lone surrogates and control characters included (st.text leaves surrogates out).
_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()), max_size=12)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**60), max_value=10**60),
    st.floats(allow_nan=True, allow_infinity=True),
    _TEXT,
)


def _sequence(items: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.one_of(st.lists(items, max_size=6), st.lists(items, max_size=6).map(tuple))


_PLAIN = st.one_of(_sequence(_SCALARS), _sequence(_sequence(_SCALARS)))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(_PLAIN, min_size=1, max_size=12))
def test_plain_answers_read_as_wire_encode_makes_them(sandbox: Sandbox, values: list[object]) -> None:
    cases = [CallCase(f"v{i}", [value]) for i, value in enumerate(values)]
    outcomes = sandbox.call_cases(ECHO, "f", cases, limits=FAST)
    for value, outcome in zip(values, outcomes, strict=True):
        assert outcome.status is CaseStatus.RETURNED, outcome.error
        assert outcome.actual == encode(value)
        assert repr(outcome.actual) == repr(encode(value))  # -0.0 stays -0.0, 1 stays 1 and not 1.0 or True


def test_what_is_not_plain_takes_the_general_path(sandbox: Sandbox) -> None:
    source = (
        "class Word(str):\n    def __eq__(self, other):\n        return True\n\n"
        "class Count(int):\n    def __repr__(self):\n        return '99'\n\n"
        "def f(kind):\n"
        "    return {\n"
        "        'sub-str': [Word('a')],\n"
        "        'sub-int': [[Count(1)]],\n"
        "        'deeper': [[[1, 'a']]],\n"
        "        'mixed': [1, [2]],\n"
        "        'nan': [[float('nan')], [float('-inf')]],\n"
        "        'dict': [{'k': (1, 2)}, {3: 4}],\n"
        "        'set': [{1}],\n"
        "    }[kind]\n"
    )
    kinds = ["sub-str", "sub-int", "deeper", "mixed", "nan", "dict", "set"]
    outcomes = sandbox.call_cases(source, "f", [CallCase(k, [k]) for k in kinds], limits=FAST)
    got = {kind: outcome.actual for kind, outcome in zip(kinds, outcomes, strict=True)}
    assert all(outcome.status is CaseStatus.RETURNED for outcome in outcomes), [o.error for o in outcomes]
    assert got["sub-str"] == ["'a'"]  # written as the harness writes any non-str: its repr
    assert got["sub-int"] == [["99"]]
    assert got["deeper"] == [[[1, "a"]]]
    assert got["mixed"] == [1, [2]]
    assert got["nan"] == [[{"$float": "nan"}], [{"$float": "-inf"}]]
    assert got["dict"] == [{"k": [1, 2]}, {"$map": [[3, 4]]}]
    assert got["set"] == [{"$set": [1]}]


def test_a_plain_answer_costs_the_harness_far_less_than_one_it_must_walk(sandbox: Sandbox) -> None:
    source = (
        "class Word(str):\n    pass\n\n"
        "def f(kind):\n"
        "    make = str if kind == 'plain' else Word\n"
        "    return [[make(i), make(i + 1), make(i + 2)] for i in range(3000)]\n"
    )
    plain, walked = (
        sandbox._call_cases(source, "f", [CallCase(kind, [kind])], files=None, limits=FAST, net=False)[0]
        for kind in ("plain", "walked")
    )
    assert plain.status is CaseStatus.RETURNED and walked.status is CaseStatus.RETURNED
    assert plain.fuel_used * 4 < walked.fuel_used  # measured: ~9x less for the 3000 lists

"""Host-side parsing of candidate code survives any source: a clear finding, never an exception."""

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interview_engine.pysource import SourceTooComplex, iter_with_depth, parse_python
from interview_live_coding.plugin import module
from interview_live_coding.quality import inspect_quality, quality_score, structure_findings

RULES = module().heuristics.quality

PATHOLOGICAL = {
    "5000-term-sum": "def f():\n    return " + "+".join(["1"] * 5000) + "\n",
    "20000-unary-minus": "def f():\n    return " + "-" * 20000 + "1\n",
    "829-deep-attribute-chain": "def f(a):\n    return a" + ".b" * 829 + "\n",
    "900-deep-list": "def f():\n    return " + "[" * 900 + "]" * 900 + "\n",
    "deep-calls": "def f(g):\n    return " + "g(" * 190 + ")" * 190 + "\n",
    "nul-byte": "def f():\n    return 1\x00\n",
    "lone-surrogate": "def f():\n    return '\ud800'\n",
    "deep-elif-chain": "def f(x):\n    if x == 0:\n        return 0\n"
    + "".join(f"    elif x == {i}:\n        return {i}\n" for i in range(1, 600)),
}


@pytest.mark.parametrize("source", list(PATHOLOGICAL.values()), ids=list(PATHOLOGICAL))
def test_quality_survives_pathological_source(source):
    findings, metrics = structure_findings(source, RULES)
    assert "functions" in metrics
    report = inspect_quality(source, RULES)
    assert 0.0 <= quality_score(report, RULES) <= 5.0


def test_too_complex_is_a_named_syntax_finding():
    findings, _metrics = structure_findings(PATHOLOGICAL["5000-term-sum"], RULES)
    assert [f.code for f in findings] == ["syntax"]
    assert "too deeply nested for the host to analyse" in findings[0].message
    with pytest.raises(SourceTooComplex):
        parse_python(PATHOLOGICAL["20000-unary-minus"])


def test_deep_attribute_chain_is_measured_not_crashed():
    findings, metrics = structure_findings(PATHOLOGICAL["829-deep-attribute-chain"], RULES)
    assert metrics["functions"] == 1.0 and metrics["deepestNesting"] == 0.0


def test_an_elif_chain_is_one_level_and_counts_its_branches():
    _findings, metrics = structure_findings(PATHOLOGICAL["deep-elif-chain"], RULES)
    assert metrics["deepestNesting"] == 1.0
    assert metrics["maxCyclomatic"] == 601.0


def test_parsing_in_a_worker_thread_survives_too():
    errors = []

    def work():
        try:
            for source in PATHOLOGICAL.values():
                structure_findings(source, RULES)
        except BaseException as exc:  # the test fails on any escape
            errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert errors == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="()[]{}+-*~.:,=abc1 \n\t'\"\\#@lambdaifelse", max_size=300))
def test_any_text_parses_or_raises_syntax_error(text):
    try:
        tree = parse_python(text)
    except SyntaxError:
        return
    assert sum(1 for _ in iter_with_depth(tree)) >= 1

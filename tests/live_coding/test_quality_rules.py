"""Code quality as a reviewer would judge it: no cost for the invisible or the idiomatic, one cost per
problem, full marks for every bundled reference, and a dense one-liner caught."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interview_live_coding.pack import ProblemPack
from interview_live_coding.plugin import module
from interview_live_coding.quality import inspect_quality, quality_score

RULES = module().heuristics.quality

CLEAN = """def count_errors(lines):
    counts = {}
    for line in lines:
        level = line.split()[0]
        counts[level] = counts.get(level, 0) + 1
    return counts
"""

#: Readable code that ruff's RET504, RET505 and N806 would flag.
IDIOMS = """def window_total(values, size):
    MOD = 10**9 + 7
    if size <= 0:
        return 0
    else:
        total = sum(values[:size]) % MOD
    result = total * 2 % MOD
    return result
"""

#: The whole answer squeezed into one return: no function is long, nested or branchy.
ONE_LINER = (
    "def top_spenders(orders):\n"
    '    return [user for user, _ in sorted({o["user"]: sum(x["total"] for x in orders if x["user"] == o["user"])'
    ' for o in orders if o["total"] > 0}.items(), key=lambda item: (-item[1], item[0]))[:3]]\n'
)


def _score(source: str) -> tuple[float, list[str]]:
    report = inspect_quality(source, RULES)
    return quality_score(report, RULES), [f.code for f in report.findings]


@settings(max_examples=12, deadline=None)
@given(
    trailing=st.lists(st.sampled_from(["", " ", "  ", "\t"]), min_size=6, max_size=6),
    blank_padding=st.sampled_from(["", "    ", "        "]),
    final_newline=st.booleans(),
)
def test_whitespace_nobody_can_see_costs_nothing(trailing: list[str], blank_padding: str, final_newline: bool) -> None:
    lines = [line + pad for line, pad in zip(CLEAN.splitlines(), trailing, strict=True)]
    lines.insert(4, blank_padding)  # a blank line inside the loop, perhaps with spaces on it
    source = "\n".join(lines) + ("\n" if final_newline else "")
    score, codes = _score(source)
    assert score == 5.0, codes


def test_readable_idioms_are_not_findings() -> None:
    score, codes = _score(IDIOMS)
    assert not {"RET504", "RET505", "N806"} & set(codes)
    assert score == 5.0, codes


def test_one_complex_function_costs_once_with_its_line() -> None:
    branches = "\n".join(f"    if value == {i}:\n        return {i}" for i in range(12))
    report = inspect_quality(f"def classify(value):\n{branches}\n    return -1\n", RULES)
    complexity = [f for f in report.findings if f.code in {"branches", "C901"}]
    assert [(f.code, f.line) for f in complexity] == [("branches", 1)]
    assert quality_score(report, RULES) == RULES.start - RULES.structure_penalty


def test_an_unreadable_one_liner_is_caught_on_its_line() -> None:
    report = inspect_quality(ONE_LINER, RULES)
    dense = [(f.code, f.line) for f in report.findings if f.code.startswith("dense")]
    assert dense == [("dense-statement", 2), ("dense-nesting", 2)]
    assert quality_score(report, RULES) <= 4.0


def test_the_same_logic_unfolded_scores_five() -> None:
    unfolded = """def top_spenders(orders):
    totals = {}
    for order in orders:
        if order["total"] > 0:
            totals[order["user"]] = totals.get(order["user"], 0) + order["total"]
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return [user for user, _ in ranked[:3]]
"""
    score, codes = _score(unfolded)
    assert score == 5.0, codes


@pytest.mark.parametrize("problem_id", sorted(module().pack.problems))
def test_every_bundled_reference_scores_five(pack: ProblemPack, problem_id: str) -> None:
    score, codes = _score(pack.problems[problem_id].reference)
    assert score == 5.0, codes

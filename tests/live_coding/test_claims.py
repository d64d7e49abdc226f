"""The claim parser reads what people write; the claim is scored for honesty only (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interview_engine.runner import COMPLEXITY_CLASSES
from interview_live_coding.complexity import class_rank, parse_claim, read_claim
from interview_live_coding.evaluation import claim_honesty, complexity_verdict
from interview_live_coding.plugin import module

HEURISTICS = module().heuristics
PROBLEM = module().pack.problems["backend-maintenance-windows"]
LRU = module().pack.problems["backend-lru-cache"]  # n operations, O(1) each
BODIES = {
    "O(1)": ["1", "constant"],
    "O(log n)": ["log n", "log(n)", "lg n", "log2 n"],
    "O(n)": ["n", "N", "n + m", "V + E", "2n", "|V| + |E|"],
    "O(n log n)": ["n log n", "n*log(n)", "N log N", "nlogn", "n log k", "(V+E) log V", "n log^2 n", "|E| log |V|"],
    "O(n^2)": ["n^2", "n²", "n*n", "n * W", "n m", "n**2"],
    "O(n^3)": ["n^3", "n³", "V^3"],
    "O(2^n)": ["2^n", "k^n", "n!"],
}
SPACE = st.sampled_from(["O(1)", "O(n)", "O(log n)", "O(n^2)"])


@st.composite
def written(draw: st.DrawFn) -> tuple[str, str]:
    """A class and one way a person writes it (case, spaces and the O vary)."""
    name = draw(st.sampled_from(COMPLEXITY_CLASSES))
    body = draw(st.sampled_from(BODIES[name]))
    body = draw(st.sampled_from([body, body.upper(), body.replace(" ", ""), body.replace(" ", "  ")]))
    if "log" in body.lower() and body.replace(" ", "").lower() in {"nlogn", "logn"}:
        body = body.lower()
    wrapper = draw(st.sampled_from(["O({})", "o({})", "O( {} )", "Θ({})", "big-O({})"]))
    return name, wrapper.format(body)


@given(written())
def test_every_way_of_writing_a_class_reads_as_it(case: tuple[str, str]) -> None:
    name, text = case
    assert parse_claim(text) == name, text


@given(
    written(),
    SPACE,
    st.sampled_from(
        [
            "{t} time, {s} space",
            "{s} space, {t} time",
            "time {t}; space {s}",
            "Time: {t}. Space: {s}",
            "{t} time and {s} extra space",
        ]
    ),
)
def test_the_time_part_is_read_and_the_space_part_ignored(case: tuple[str, str], space: str, form: str) -> None:
    name, text = case
    assert parse_claim(form.format(t=text, s=space)) == name


@given(
    written(),
    written(),
    st.sampled_from(
        [
            "{b} best case, {w} worst case",
            "{w} worst case, {b} best case",
            "best case {b}, worst case {w}",
            "Best case: {b}. Worst case: {w}",
            "{b} in the best case and {w} in the worst",
        ]
    ),
)
def test_a_best_case_bound_is_not_the_claim(worst: tuple[str, str], best: tuple[str, str], form: str) -> None:
    name, text = worst
    assert parse_claim(form.format(b=best[1], w=text)) == name


@given(written())
def test_per_operation_claims_are_marked(case: tuple[str, str]) -> None:
    name, text = case
    for suffix in (" per operation", " per op", " amortized per call"):
        claim = read_claim(text + suffix)
        assert claim.complexity == name and claim.per_operation


@given(st.text(max_size=300))
def test_anything_else_reads_as_nothing_or_a_class_and_never_raises(text: str) -> None:
    found = read_claim(text)
    assert found.complexity is None or found.complexity in COMPLEXITY_CLASSES


@pytest.mark.parametrize("text", ["fast", "I don't know", "", "O(", "O(n", "efficient enough"])
def test_words_that_are_no_class_read_as_nothing(text: str) -> None:
    assert parse_claim(text) is None


def test_issue_examples_read_as_people_mean_them() -> None:
    assert parse_claim("O(n) time, O(1) space") == "O(n)"
    assert read_claim("O(1) per operation") == read_claim("O(1) per operation").__class__(
        "O(1) per operation", "O(1)", True
    )
    assert parse_claim("O(n * W)") == "O(n^2)"
    assert parse_claim("O((V+E) log V)") == "O(n log n)"
    assert parse_claim("O(n log k)") == "O(n log n)"
    assert parse_claim("O(|V| + |E|)") == "O(n)"
    assert parse_claim("O(n) best case, O(n^2) worst case") == "O(n^2)"


@given(st.sampled_from(COMPLEXITY_CLASSES), st.sampled_from(COMPLEXITY_CLASSES), st.text(max_size=40))
def test_the_claim_never_moves_the_complexity_score_and_honesty_follows_the_distance(
    measured: str, claimed: str, noise: str
) -> None:
    growth = {"complexity": measured, "points": []}
    base, _, _ = complexity_verdict(PROBLEM, growth, "", HEURISTICS)
    for claim in (claimed, noise):
        assert complexity_verdict(PROBLEM, growth, claim, HEURISTICS)[0] == base
    honesty, sentence = claim_honesty(PROBLEM, growth, claimed, HEURISTICS)
    apart = abs(class_rank(claimed) - class_rank(measured))
    assert honesty == HEURISTICS.complexity.honesty[min(apart, 2)], sentence


def test_per_operation_problems_are_measured_and_stated_per_operation() -> None:
    growth = {"complexity": "O(n)", "points": [{"n": 500, "fuel": 5_000_000}]}
    score, sentence, matches = complexity_verdict(LRU, growth, "", HEURISTICS)
    assert score == 5.0 and matches and sentence.startswith("measured O(1) per operation (O(n) for n operations")
    assert claim_honesty(LRU, growth, "O(1) per operation", HEURISTICS)[0] == 5.0
    assert claim_honesty(LRU, growth, "O(1)", HEURISTICS)[0] == 5.0  # how people speak of a cache
    assert claim_honesty(LRU, growth, "O(n) in total", HEURISTICS)[0] == 5.0
    slow = {"complexity": "O(n^2)", "points": [{"n": 500, "fuel": 5_000_000}]}
    assert complexity_verdict(LRU, slow, "O(1) per operation", HEURISTICS)[1].startswith("measured O(n) per operation")


def _curve(exponent: float) -> list[dict[str, int]]:
    return [{"n": n, "fuel": int(1000 * n**exponent)} for n in (500, 1000, 2000, 4000, 8000)]


@given(st.sampled_from(COMPLEXITY_CLASSES), st.sampled_from(COMPLEXITY_CLASSES))
def test_the_references_class_is_honest_only_for_code_that_grows_like_the_reference(
    measured: str, claimed: str
) -> None:
    # backend-maintenance-windows sorts: O(n log n), which a fit over five sizes can read as O(n).
    like = {"complexity": measured, "points": _curve(1.05), "reference": _curve(1.05)}
    slower = {"complexity": measured, "points": _curve(2.0), "reference": _curve(1.05)}
    apart = min(abs(class_rank(claimed) - class_rank(measured)), 2)
    honest = HEURISTICS.complexity.honesty
    if claimed == "O(n log n)":
        assert claim_honesty(PROBLEM, like, claimed, HEURISTICS)[0] == honest[0]
    else:
        assert claim_honesty(PROBLEM, like, claimed, HEURISTICS)[0] == honest[apart]
    assert claim_honesty(PROBLEM, slower, claimed, HEURISTICS)[0] == honest[apart]


def test_a_sort_measured_as_linear_keeps_an_honest_n_log_n_claim() -> None:
    growth = {"complexity": "O(n)", "points": _curve(1.05), "reference": _curve(1.05)}
    score, sentence = claim_honesty(PROBLEM, growth, "O(n log n) for the sort", HEURISTICS)
    assert score == 5.0
    assert sentence == (
        "claim: O(n log n) is the reference's class, and the code's fuel grows like the reference's (O(n)); "
        "claim honesty 5/5"
    )
    assert claim_honesty(PROBLEM, growth, "O(n)", HEURISTICS)[0] == 5.0
    assert claim_honesty(PROBLEM, growth, "O(log n)", HEURISTICS)[0] == 2.5

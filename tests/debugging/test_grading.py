"""Each rubric dimension's heuristic, on stored facts (no code runs here)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from interview_debugging.communication import score_diagnosis_text
from interview_debugging.grading import (
    FIXED,
    PARTIAL,
    UNRESOLVED,
    fix_gain,
    parse_location,
    result_of,
    score_diagnosis,
    score_fix,
    score_testing,
)
from interview_debugging.pack import DebugPack
from interview_engine import AnswerScoringRequest


def test_locations_parse_as_file_line_or_function() -> None:
    assert parse_location("billing.py:19") == ("billing.py", 19, None)
    assert parse_location("billing.py:split_cents") == ("billing.py", None, "split_cents")
    assert parse_location("split_cents()") == (None, None, "split_cents")
    assert parse_location("billing.py") == ("billing.py", None, None)
    assert parse_location("  ") == (None, None, None)


# -- diagnosis ---------------------------------------------------------------


def diagnose(pack: DebugPack, text: str, location: str = "", hints: int = 0) -> float:
    scenario = pack.scenarios["be-mid-invoice-split"]  # billing.py:18-19, split_cents, money-rounding
    return score_diagnosis(scenario, pack.concepts, text, location, hints, pack.scoring).score


def test_diagnosis_location_by_line_within_the_range_or_by_function(pack: DebugPack) -> None:
    full = pack.scoring.location_points
    assert diagnose(pack, "", "billing.py:19") == full
    assert diagnose(pack, "", "billing.py:21") == full  # within the tolerance
    assert diagnose(pack, "", "billing.py:22") == pack.scoring.file_points  # past it: not the bug's place
    assert diagnose(pack, "", "billing.py:split_cents") == full
    assert diagnose(pack, "look at split_cents", "") == full
    assert diagnose(pack, "", "billing.py:30") == pack.scoring.file_points
    assert diagnose(pack, "", "other.py:19") == 0
    assert diagnose(pack, "the bug is at billing.py:20", "") == full


def test_diagnosis_concept_from_the_tags_keywords(pack: DebugPack) -> None:
    located = diagnose(pack, "", "billing.py:19")
    with_concept = diagnose(pack, "each share is rounded, the remainder is lost", "billing.py:19")
    assert with_concept == located + pack.scoring.concept_points
    assert diagnose(pack, "something is off somewhere", "billing.py:19") == located


def test_diagnosis_concept_share_counts_each_tag(pack: DebugPack) -> None:
    scenario = pack.scenarios["be-mid-post-tags"]  # mutable-default + shared-state
    one = score_diagnosis(scenario, pack.concepts, "the mutable default argument", "", 0, pack.scoring)
    both = score_diagnosis(
        scenario, pack.concepts, "the mutable default argument is shared between requests", "", 0, pack.scoring
    )
    assert one.detail["conceptShare"] == 0.5
    assert both.detail["conceptShare"] == 1.0
    assert both.score > one.score


def test_each_hint_costs_diagnosis_points_up_to_the_cap(pack: DebugPack) -> None:
    text, where = "rounding each share loses the remainder", "billing.py:19"
    full = diagnose(pack, text, where)
    assert full == 5.0
    assert diagnose(pack, text, where, hints=1) == full - pack.scoring.hint_penalty
    assert diagnose(pack, text, where, hints=30) == full - pack.scoring.hint_penalty_cap


# No deadline: the first example loads the whole pack, which grows with the content (431 ms at load 60).
@settings(deadline=None)
@given(text=st.text(max_size=200), location=st.text(max_size=40), hints=st.integers(0, 20))
def test_diagnosis_is_always_within_0_and_5(text: str, location: str, hints: int) -> None:
    from interview_debugging.pack import load_pack

    assert 0.0 <= diagnose(load_pack(), text, location, hints) <= 5.0


# -- fix correctness -----------------------------------------------------------


def hidden(share: float, baseline: float, all_passed: bool = False) -> dict[str, Any]:
    groups = [{"group": "g", "weight": 1.0, "passed": 1, "total": 2}]
    return {"groups": groups, "share": share, "baseline": baseline, "allPassed": all_passed}


def test_fix_counts_only_what_the_bug_did_not_already_pass() -> None:
    assert score_fix(hidden(0.4, 0.4)).score == 0.0
    assert score_fix(hidden(0.2, 0.4)).score == 0.0  # breaking more than the bug gains nothing
    assert score_fix(hidden(0.7, 0.4)).score == 2.5
    assert score_fix(hidden(1.0, 0.4, all_passed=True)).score == 5.0
    assert fix_gain(1.0, 1.0) == 1.0


def test_the_random_probes_cap_what_the_fixed_groups_earn() -> None:
    """Passing every public fixed group while failing every probe is rote, not a fix: 0."""
    rote = {**hidden(0.6, 0.1), "randomShare": 0.0, "randomBaseline": 0.0}
    assert fix_gain(0.6, 0.1) > 0 and score_fix(rote).score == 0.0 and result_of(rote) == UNRESOLVED
    assert any("capped at what the random probes show" in e.text for e in score_fix(rote).evidence)
    half = {**hidden(0.8, 0.2), "randomShare": 0.5, "randomBaseline": 0.0}
    assert score_fix(half).score == 2.5 and result_of(half) == PARTIAL  # min(0.75, 0.5) x 5
    probes_only_better = {**hidden(0.6, 0.2), "randomShare": 1.0, "randomBaseline": 0.0}
    assert score_fix(probes_only_better).score == 2.5  # the cap never raises the score


@given(
    share=st.floats(0, 1),
    baseline=st.floats(0, 1),
    random_share=st.floats(0, 1),
    random_baseline=st.floats(0, 0.99),
)
def test_fix_correctness_is_within_0_and_5_and_never_above_the_probes(
    share: float, baseline: float, random_share: float, random_baseline: float
) -> None:
    facts = {**hidden(share, baseline), "randomShare": random_share, "randomBaseline": random_baseline}
    score = score_fix(facts).score
    assert 0.0 <= score <= 5.0
    assert score <= round(5.0 * fix_gain(random_share, random_baseline), 2) + 1e-9


def test_result_is_fixed_partial_or_unresolved() -> None:
    assert result_of(hidden(1.0, 0.4, all_passed=True)) == FIXED
    assert result_of(hidden(0.7, 0.4)) == PARTIAL
    assert result_of(hidden(0.4, 0.4)) == UNRESOLVED
    assert result_of({}) == UNRESOLVED


# -- testing rigor -------------------------------------------------------------


def regression(bug: str, mine: str, reference: str, caught: int = 0, total: int = 3) -> dict[str, Any]:
    return {
        "files": ["test_mine.py"],
        "onBug": {"verdict": bug},
        "onCandidateFix": {"verdict": mine},
        "onReferenceFix": {"verdict": reference},
        "mutantsCaught": [f"m{n}" for n in range(caught)],
        "mutantsTotal": total,
    }


def test_testing_rigor_ladder(pack: DebugPack) -> None:
    spec = pack.scoring
    assert score_testing(None, spec).score == 0.0
    assert score_testing(regression("passed", "passed", "passed", caught=3), spec).score == 0.0
    assert score_testing(regression("error", "passed", "passed"), spec).score == 0.0
    assert score_testing(regression("failed", "failed", "failed"), spec).score == spec.rigor_detects_bug
    assert score_testing(regression("failed", "failed", "passed"), spec).score == spec.rigor_passes_reference
    assert score_testing(regression("failed", "passed", "passed", caught=0), spec).score == spec.rigor_valid
    assert score_testing(regression("failed", "passed", "passed", caught=3), spec).score == 5.0
    partial = score_testing(regression("failed", "passed", "passed", caught=1), spec)
    assert spec.rigor_valid < partial.score < 5.0
    assert partial.detail["valid"] is True


# -- communication -------------------------------------------------------------


def communicate(pack: DebugPack, text: str) -> float:
    request = AnswerScoringRequest(
        kind="debug_diagnosis",
        text=text,
        context={"functions": ["split_cents"], "keywords": ["rounding", "remainder"]},
    )
    return score_diagnosis_text(request, pack.scoring.communication).score


def test_communication_rewards_cause_effect_location_evidence_and_fix(pack: DebugPack) -> None:
    strong = (
        "Because split_cents in billing.py gives everyone the same rounded share, the rounding error "
        "is multiplied, which loses a cent; the failing test shows 9999. I fixed it with divmod instead."
    )
    assert communicate(pack, strong) == 5.0
    assert communicate(pack, "") == 0.0
    assert communicate(pack, "rounding bug, fixed") <= pack.scoring.communication.short_cap
    vague = "I looked at the program for a while and changed a few lines until the tests were green again."
    assert communicate(pack, vague) < communicate(pack, strong)


def test_the_default_scorer_answers_only_debug_diagnosis() -> None:
    from interview_debugging import plugin

    assert plugin.answer_scorer(AnswerScoringRequest(kind="screen_answer", text="x")) is None
    found = plugin.answer_scorer(AnswerScoringRequest(kind="debug_diagnosis", text="x"))
    assert found is not None and found.scorer == "debugging-heuristic"

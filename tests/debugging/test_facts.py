"""A debugging submit's stored facts as typed classes: what is written keeps its keys, older facts still grade."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from interview_debugging.evaluation import evaluate_facts
from interview_debugging.facts import CommunicationFacts, FixFacts, HiddenFacts, RegressionFacts, Verdict
from interview_debugging.pack import DebugPack
from interview_debugging.results import HiddenGroup, TestsPassed
from interview_engine.domain import Difficulty, Session, Track

SCENARIO = "be-mid-invoice-split"

#: Facts as the first debugging version stored them: no random probes, no equivalent fixes, no seed.
FIRST_SHAPE: dict[str, Any] = {
    "diagnosis": "split_cents rounds every share the same way, so a cent is lost",
    "location": "billing.py:19",
    "visible": {"passed": 2, "total": 2},
    "hidden": {
        "groups": [{"group": "splits", "weight": 1.0, "passed": 3, "total": 4}],
        "share": 0.75,
        "baseline": 0.25,
        "allPassed": False,
    },
    "regression": {
        "files": ["test_split.py"],
        "onBug": {"verdict": "failed", "detail": "assert 9999 == 10000"},
        "onCandidateFix": {"verdict": "passed", "detail": ""},
        "onReferenceFix": {"verdict": "passed", "detail": ""},
        "mutantsCaught": ["m1"],
        "mutantsTotal": 2,
    },
    "communication": {"score": 3.0, "scorer": "keywords", "matched": ["rounding"], "missed": [], "evidence": []},
}


def _session() -> Session:
    return Session("s1", "u1", "debugging", Track.BACKEND, Difficulty.MID, kb_version="test")


def test_facts_in_the_first_shape_read_with_defaults_and_grade(pack: DebugPack) -> None:
    facts = FixFacts.load(FIRST_SHAPE)
    assert facts.graded and facts.hidden.randomShare is None and facts.hidden.seed is None
    assert facts.hidden.groups == [HiddenGroup("splits", 1.0, 3, 4)]
    assert facts.regression is not None and facts.regression.onEquivalentFixes == []
    typed, _ = evaluate_facts(pack, pack.scenarios[SCENARIO], _session(), facts, hints=0)
    stored, record = evaluate_facts(pack, pack.scenarios[SCENARIO], _session(), FIRST_SHAPE, hints=0)
    assert typed.scores == stored.scores and typed.result == stored.result == "partial"
    assert typed.scores["fixCorrectness"] == 3.33  # 5 x (0.75 - 0.25) / (1 - 0.25)
    assert record.fix["groups"] == [{"group": "splits", "weight": 1.0, "passed": 3, "total": 4, "random": False}]


def test_nothing_submitted_is_graded_as_before(pack: DebugPack) -> None:
    evaluation, record = evaluate_facts(pack, pack.scenarios[SCENARIO], _session(), None, hints=0)
    assert evaluation.result == "unresolved" and evaluation.metrics["submitted"] == 0.0
    assert record.communication == {"score": 0.0}


def test_a_not_graded_submit_stores_its_message_and_what_was_said() -> None:
    stored = FixFacts.not_graded("not graded: try again", "a cent is lost", "billing.py:19")
    assert stored == {
        "graded": False,
        "notGraded": "not graded: try again",
        "diagnosis": "a cent is lost",
        "location": "billing.py:19",
    }
    facts = FixFacts.load(stored)
    assert not facts.graded and facts.diagnosis == "a cent is lost"


groups = st.builds(
    HiddenGroup,
    group=st.text(max_size=5),
    weight=st.floats(0, 1),
    passed=st.integers(0, 5),
    total=st.integers(0, 5),
    random=st.booleans(),
)
written_facts = st.builds(
    FixFacts,
    diagnosis=st.text(max_size=10),
    location=st.text(max_size=10),
    visible=st.builds(TestsPassed, passed=st.integers(0, 5), total=st.integers(0, 5)),
    hidden=st.builds(
        HiddenFacts,
        groups=st.lists(groups, max_size=3),
        share=st.floats(0, 1),
        baseline=st.floats(0, 1),
        randomShare=st.none() | st.floats(0, 1),
        randomBaseline=st.none() | st.floats(0, 1),
        allPassed=st.booleans(),
        seed=st.none() | st.integers(0, 2**32 - 1),
    ),
    regression=st.none()
    | st.builds(
        RegressionFacts,
        files=st.lists(st.text(max_size=5), max_size=2),
        onBug=st.builds(Verdict, st.sampled_from(["passed", "failed", "error"])),
        mutantsTotal=st.integers(0, 5),
    ),
    communication=st.builds(CommunicationFacts, score=st.floats(0, 5)),
)


@given(written_facts)
def test_what_is_written_reads_back_with_the_keys_facts_always_had(facts: FixFacts) -> None:
    stored = facts.dump()
    assert FixFacts.load(stored) == facts
    assert set(stored) == {"diagnosis", "location", "visible", "hidden", "regression", "communication"}
    assert ("seed" in stored["hidden"]) is (facts.hidden.seed is not None)
    assert "findings" not in stored["communication"]

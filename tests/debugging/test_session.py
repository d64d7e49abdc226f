"""Full debugging sessions through the engine, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from interview_debugging.pack import DebugPack
from interview_debugging.records import DEBUG_EVALUATIONS
from interview_engine import Conflict, Engine, InvalidInput, NotFound, SessionStatus

SCENARIO = "be-mid-invoice-split"
GOOD_DIAGNOSIS = (
    "Because split_cents gives every person the same rounded share, the rounding error is multiplied, "
    "so 10000 / 3 loses a cent, as the failing test shows (9999). I fixed it with divmod and hand out "
    "the remainder one cent at a time instead."
)


def start(engine: Engine, scenario: str = SCENARIO) -> str:
    user = engine.store.ensure_user("candidate@example.com")
    session = engine.start_session(
        user_id=user.id, module="debugging", track="frontend", difficulty="senior", options={"scenarioId": scenario}
    )
    return session.id


def test_full_session_reference_fix_with_a_real_regression_test_is_fixed(engine: Engine, pack: DebugPack) -> None:
    scenario = pack.scenarios[SCENARIO]
    session_id = start(engine)
    session = engine.get_session(session_id)
    assert session.status is SessionStatus.ACTIVE and session.item_id == SCENARIO
    assert (session.track.value, session.difficulty.value) == ("backend", "mid")  # the scenario's cell
    assert engine.store.get_snapshot("bug_scenarios", SCENARIO, session.kb_version) is not None

    shown = engine.act(session_id, "scenario").data
    assert shown["files"] == scenario.files and shown["visibleTests"] == scenario.visible_tests
    assert "FAILED" in shown["failingOutput"] and "9999" in shown["failingOutput"]
    assert "shares add up to 9999 cents" in shown["logs"]
    assert shown["hints"] == [] and shown["hintsAvailable"] == len(scenario.hints)

    ran = engine.act(session_id, "run", {"files": scenario.fixed_files()}).data
    assert ran["failed"] == 0 and ran["passed"] == len(scenario.visible_tests["test_billing.py"].split("def test_")) - 1

    files = {**scenario.fixed_files(), scenario.regression.file: scenario.regression.source}
    preview = engine.act(
        session_id, "submit", {"files": files, "diagnosis": GOOD_DIAGNOSIS, "location": "billing.py:19"}
    ).data
    assert preview["result"] == "fixed"
    assert preview["rubric"]["fixCorrectness"] == 5.0
    assert preview["rubric"]["testingRigor"] == 5.0
    assert preview["regression"]["mutantsCaught"] == preview["regression"]["mutantsTotal"]

    engine.end_session(session_id)
    evaluation = engine.store.get_evaluation(session_id)
    assert evaluation is not None and evaluation.result == "fixed"
    assert evaluation.scores == preview["rubric"]
    assert evaluation.decision.value == "advance"
    assert {t.topic for t in evaluation.topics} == set(scenario.topics)
    row = DEBUG_EVALUATIONS.get(engine.store, session_id)
    assert row is not None and row.result == "fixed" and row.testing["valid"] is True

    submission = engine.store.submissions(session_id, kind="submit")[-1]
    runs = engine.store.test_runs(submission.id)
    assert {r.group for r in runs} >= {"visible", "regression", "remainders are distributed"}
    view = engine.summary(session_id).view
    assert view["result"] == "fixed" and view["rootCause"]["file"] == "billing.py"
    assert view["regression"]["onBug"] == "failed" and view["hintsUsed"] == 0
    again = engine.module("debugging").evaluate(engine.context, engine.get_session(session_id))
    assert again.scores == evaluation.scores  # deterministic from stored data


def test_untouched_buggy_files_are_unresolved(sqlite_engine: Engine, pack: DebugPack) -> None:
    session_id = start(sqlite_engine, "fe-mid-price-format")
    files = dict(pack.scenarios["fe-mid-price-format"].files)
    preview = sqlite_engine.act(session_id, "submit", {"files": files, "diagnosis": ""}).data
    assert preview["result"] == "unresolved"
    assert preview["rubric"] == {"diagnosis": 0.0, "fixCorrectness": 0.0, "testingRigor": 0.0, "communication": 0.0}
    assert preview["decision"] == "hold"


def test_a_test_that_passes_on_the_bug_earns_no_testing_rigor(sqlite_engine: Engine, pack: DebugPack) -> None:
    scenario = pack.scenarios["mo-mid-feed-pagination"]
    session_id = start(sqlite_engine, scenario.id)
    files = {**scenario.fixed_files(), "test_mine.py": "def test_x():\n    assert True\n"}
    preview = sqlite_engine.act(session_id, "submit", {"files": files, "diagnosis": "off by one"}).data
    assert preview["result"] == "fixed"
    assert preview["rubric"]["testingRigor"] == 0.0
    assert preview["regression"]["onBug"] == "passed"


def test_deleting_the_visible_tests_or_rewriting_them_gains_nothing(sqlite_engine: Engine, pack: DebugPack) -> None:
    scenario = pack.scenarios["be-mid-post-tags"]
    session_id = start(sqlite_engine, scenario.id)
    files = {**scenario.files, "test_posts.py": "def test_nothing():\n    pass\n"}
    ran = sqlite_engine.act(session_id, "run", {"files": files}).data
    assert ran["failed"] == 1  # the scenario's own test ran, not the candidate's copy
    preview = sqlite_engine.act(session_id, "submit", {"files": files, "diagnosis": ""}).data
    assert preview["result"] == "unresolved" and preview["regression"] is None


def test_hints_are_revealed_one_at_a_time_and_lower_the_diagnosis(sqlite_engine: Engine, pack: DebugPack) -> None:
    scenario = pack.scenarios[SCENARIO]
    session_id = start(sqlite_engine)
    for number in range(1, len(scenario.hints) + 1):
        data = sqlite_engine.act(session_id, "hint").data
        assert data["number"] == number and data["hint"] == scenario.hints[number - 1]
    with pytest.raises(Conflict):
        sqlite_engine.act(session_id, "hint")
    assert sqlite_engine.act(session_id, "scenario").data["hints"] == list(scenario.hints)
    preview = sqlite_engine.act(
        session_id,
        "submit",
        {"files": scenario.fixed_files(), "diagnosis": GOOD_DIAGNOSIS, "location": "billing.py:19"},
    ).data
    assert preview["rubric"]["diagnosis"] == 5.0 - pack.scoring.hint_penalty_cap
    assert preview["metrics"]["hintsUsed"] == len(scenario.hints)


def test_bad_input_names_the_field(sqlite_engine: Engine) -> None:
    user = sqlite_engine.store.ensure_user("candidate@example.com")
    with pytest.raises(NotFound) as missing:
        sqlite_engine.start_session(
            user_id=user.id, module="debugging", track="backend", difficulty="mid", options={"scenarioId": "nope"}
        )
    assert missing.value.field == "scenarioId"
    session_id = start(sqlite_engine)
    for payload, field in [
        ({"diagnosis": "x"}, "files"),
        ({"files": {"../evil.py": "x"}}, "files"),
        ({"files": {"json.py": "x"}}, "files"),
        ({"files": {"billing.py": 3}}, "files"),
        ({"files": {}, "diagnosis": 5}, "diagnosis"),
    ]:
        with pytest.raises(InvalidInput) as caught:
            sqlite_engine.act(session_id, "submit", payload)
        assert caught.value.field == field


def test_a_session_without_a_scenario_id_picks_an_unattempted_one(sqlite_engine: Engine) -> None:
    user = sqlite_engine.store.ensure_user("picker@example.com")
    first = sqlite_engine.start_session(user_id=user.id, module="debugging", track="mobile", difficulty="senior")
    second = sqlite_engine.start_session(user_id=user.id, module="debugging", track="mobile", difficulty="senior")
    assert first.item_id != second.item_id
    assert {first.item_id, second.item_id} <= {i.id for i in sqlite_engine.items("debugging", "mobile", "senior")}


def test_study_resources_offer_the_concept_and_practice(pack: DebugPack) -> None:
    from interview_debugging import plugin

    found = plugin.study_resources(topic="pagination", track="mobile")
    kinds = [r.kind for r in found]
    assert kinds[0] == "fact_sheet" and "practice" in kinds
    assert found[1].item_id.startswith("mo-")  # the candidate's track first
    assert plugin.study_resources(topic="quantum", track="mobile") == []


def test_a_real_submit_keeps_the_judged_mechanism_so_a_wrong_one_earns_no_concept_credit(
    sqlite_engine: Engine, pack: DebugPack
) -> None:
    # The same correct fix, diagnosed twice: once with the mechanism, once with a fluent wrong one that
    # still uses the concept's words ("rounding").  The judging core's findings are stored with the
    # submit, so the diagnosis follows what the words mean, not the keywords.
    scenario = pack.scenarios[SCENARIO]
    files = {**scenario.fixed_files(), scenario.regression.file: scenario.regression.source}
    wrong = (
        "The floating-point precision of the division makes each share drift by a cent, so the rounding "
        "is off; switching the amounts to Decimal fixes it."
    )
    scores = {}
    for label, diagnosis in (("good", GOOD_DIAGNOSIS), ("wrong", wrong)):
        session_id = start(sqlite_engine)
        sqlite_engine.act(session_id, "submit", {"files": files, "diagnosis": diagnosis, "location": "billing.py:18"})
        sqlite_engine.end_session(session_id)
        stored = sqlite_engine.store.submissions(session_id, kind="submit")[-1].summary["communication"]
        assert stored["findings"]["keyPoints"], label  # kept beside the score, not only the score
        evaluation = sqlite_engine.store.get_evaluation(session_id)
        assert evaluation is not None
        scores[label] = evaluation.scores["diagnosis"]
        said = [e.text for e in evaluation.evidence if e.dimension == "diagnosis"]
        if label == "wrong":
            assert stored["findings"]["misconceptions"]
            assert any("names a wrong mechanism" in text for text in said), said
        else:
            assert any("states the mechanism" in text for text in said), said
    assert scores["wrong"] < scores["good"]

"""The offline interviewer, tested like a product: simulated candidates run whole screens."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from attrs import evolve

from interview_engine import Engine, SessionStatus
from interview_engine.errors import Conflict
from interview_voice_screen import knowledge_base
from interview_voice_screen.bank import Question, quoted_phrasings
from interview_voice_screen.hints import canonical_share
from interview_voice_screen.interviewer import OfflineInterviewer, new_state
from interview_voice_screen.scorer import score_screen_answer, scoring_request

KB = knowledge_base()


def score_answer(question: Question, text: str, track: str):  # type: ignore[no-untyped-def]
    return score_screen_answer(scoring_request(question, text, track=track, difficulty="mid"))


Candidate = Callable[[Question, dict[str, Any]], str]


def strong(question: Question, reply: dict[str, Any]) -> str:
    return f"{question.canonical} I'd choose this because it depends on the load, and in production we measure it."


def keyword_stuffer(question: Question, reply: dict[str, Any]) -> str:
    """The right vocabulary and nothing else (this candidate advanced before the judging core)."""
    return ", ".join(phrase for point in question.key_points for phrase in point.phrases[:2]) + "."


def fluent_wrong(question: Question, reply: dict[str, Any]) -> str:
    """Confident, fluent, on topic, and false: the question's misconceptions stated as facts."""
    claims = " ".join(f"In my experience {m.claim}, that's just how it works." for m in question.misconceptions)
    return f"Sure, I've dealt with this a lot in production. {claims} So I never really worry about it."


def weak(question: Question, reply: dict[str, Any]) -> str:
    return f"{question.key_points[0].phrases[0]} is what I remember about it, the rest I am fuzzy on."


def silent(question: Question, reply: dict[str, Any]) -> str:
    return ""


def off_topic(question: Question, reply: dict[str, Any]) -> str:
    return "I really enjoy hiking on weekends and my favourite food is pizza with extra cheese on top."


def repetitive(question: Question, reply: dict[str, Any]) -> str:
    return "Honestly it is all about good engineering culture and writing clean code every single day."


def wants_the_answer(question: Question, reply: dict[str, Any]) -> str:
    return "Can you just tell me the answer?"


def insists_on_a_misconception(question: Question, reply: dict[str, Any]) -> str:
    if question.misconceptions:
        return f"I am confident that {question.misconceptions[0].phrases[0]}, that is simply how it works."
    return strong(question, reply)


def run_screen(engine: Engine, candidate: Candidate, track: str, difficulty: str) -> tuple[str, list[str]]:
    user = engine.store.ensure_user(f"{candidate.__name__}@example.com")
    session = engine.start_session(
        user_id=user.id, module="voice_screen", track=track, difficulty=difficulty, options={"mode": "offline"}
    )
    reply = engine.act(session.id, "next").data
    said = [reply["message"]]
    turns = 0
    while not reply["done"]:
        turns += 1
        assert turns <= KB.budget(difficulty) * 6, "the screen must end within its budget"
        question = KB.question(reply["question"]["id"])
        reply = engine.act(session.id, "answer", {"text": candidate(question, reply)}).data
        said.append(reply["message"])
    engine.end_session(session.id)
    return session.id, said


def assert_screen_rules(engine: Engine, session_id: str, said: list[str]) -> None:
    session = engine.get_session(session_id)
    asked = session.state["asked"]
    assert len(asked) == len(set(asked)), "a question was repeated"
    assert len(asked) <= KB.budget(session.difficulty.value)
    for message in said:  # every interviewer message until the end
        for question in KB.track_questions(session.track.value):
            assert question.canonical not in message
            assert question.canonical[:60] not in message
    topics = Counter(KB.question(qid).topic for qid in asked)
    if len(asked) >= 10:
        assert len(topics) >= 5
        assert max(topics.values()) / len(asked) <= 0.4
    assert session.status is SessionStatus.EVALUATED


@pytest.mark.parametrize("track", ["backend", "frontend", "mobile"])
@pytest.mark.parametrize("difficulty", ["mid", "senior"])
def test_a_strong_candidate_advances(sqlite_engine: Engine, track: str, difficulty: str) -> None:
    session_id, said = run_screen(sqlite_engine, strong, track, difficulty)
    assert_screen_rules(sqlite_engine, session_id, said)
    evaluation = sqlite_engine.store.get_evaluation(session_id)
    assert evaluation is not None
    assert evaluation.decision.value == "advance", evaluation.rationale
    assert evaluation.metrics["questionsAttempted"] == KB.budget(difficulty)
    assert evaluation.metrics["hintsUsed"] == 0
    assert evaluation.evidence and all(e.text for e in evaluation.evidence)


@pytest.mark.parametrize(
    ("candidate", "flag"),
    [
        (weak, None),
        (silent, "refusal_to_engage"),
        (off_topic, None),
        (repetitive, None),
        (wants_the_answer, "refusal_to_engage"),
        (insists_on_a_misconception, "fabricated_facts_after_correction"),
        (keyword_stuffer, None),
        (fluent_wrong, None),
    ],
)
def test_difficult_candidates_are_held(sqlite_engine: Engine, candidate: Candidate, flag: str | None) -> None:
    session_id, said = run_screen(sqlite_engine, candidate, "backend", "mid")
    assert_screen_rules(sqlite_engine, session_id, said)
    evaluation = sqlite_engine.store.get_evaluation(session_id)
    assert evaluation is not None
    assert evaluation.decision.value == "hold", evaluation.rationale
    if flag:
        assert f"disqualifier.{flag}" in evaluation.failed_rules
    assert evaluation.details["weakTopics"]


def test_difficulty_moves_with_the_answers(sqlite_engine: Engine) -> None:
    session_id, _ = run_screen(sqlite_engine, strong, "backend", "mid")
    levels = [KB.question(qid).difficulty for qid in sqlite_engine.get_session(session_id).state["asked"]]
    assert levels[0] == "mid" and "senior" in levels[1:]
    session_id, _ = run_screen(sqlite_engine, off_topic, "frontend", "senior")
    levels = [KB.question(qid).difficulty for qid in sqlite_engine.get_session(session_id).state["asked"]]
    assert levels[0] == "senior" and levels[1:3] == ["mid", "mid"]


def test_the_screen_ends_when_the_session_clock_runs_out(sqlite_engine: Engine) -> None:
    user = sqlite_engine.store.ensure_user("slow@example.com")
    session = sqlite_engine.start_session(user_id=user.id, module="voice_screen", track="mobile", difficulty="mid")
    sqlite_engine.act(session.id, "next")
    sqlite_engine.act(session.id, "answer", {"text": "Keychain and Keystore, not in plain preferences or logs."})
    late = session.started_at + timedelta(minutes=30, seconds=1)  # type: ignore[operator]
    sqlite_engine.context = evolve(sqlite_engine.context, clock=lambda: late)
    reply = sqlite_engine.act(session.id, "answer", {"text": "more thoughts"}).data
    assert reply["done"] and "at time" in reply["message"]
    assert sqlite_engine.get_session(session.id).state["endReason"] == "time"


def test_hints_are_grounded_counted_and_limited(sqlite_engine: Engine) -> None:
    user = sqlite_engine.store.ensure_user("hints@example.com")
    session = sqlite_engine.start_session(user_id=user.id, module="voice_screen", track="frontend", difficulty="mid")
    first = sqlite_engine.act(session.id, "next").data
    sheet = KB.sheet("frontend", first["question"]["topic"])
    assert sheet is not None
    one = sqlite_engine.act(session.id, "hint").data
    two = sqlite_engine.act(session.id, "hint").data
    three = sqlite_engine.act(session.id, "hint").data
    question = KB.question(first["question"]["id"])
    assert one["message"] == f"Here's a nudge: {question.nudges[0]}"
    assert two["message"].startswith("Here's a pointer: ")
    assert two["message"].removeprefix("Here's a pointer: ") in " ".join(sheet.body.split())
    assert three["kind"] == "no_hint" and three["hintsUsed"] == 2
    skipped = sqlite_engine.act(session.id, "skip").data
    assert skipped["question"]["number"] == 2
    sqlite_engine.end_session(session.id)
    with pytest.raises(Conflict):
        sqlite_engine.act(session.id, "answer", {"text": "late"})
    view = sqlite_engine.summary(session.id).view
    assert view["questions"][0]["canonicalAnswer"] == KB.question(first["question"]["id"]).canonical
    assert view["questions"][0]["hints"] == 2


def _gives_away(question: Question, hint: str) -> list[str]:
    """What a hint before any answer must not contain: accepted phrasings, 60% of the model answer."""
    problems = [f"quotes {phrase!r}" for phrase in quoted_phrasings(question, hint)]
    if canonical_share(question, hint) >= 0.6:
        problems.append("carries 60% of the model answer's content words")
    if question.canonical[:60] in hint:
        problems.append("quotes the model answer")
    return problems


def test_first_hints_nudge_without_giving_the_answer_away() -> None:
    """Every question of the bank: the first hint is a question that quotes no accepted phrasing."""
    for track in KB.pack.tracks:
        for question in KB.track_questions(track):
            state = new_state(KB, track, "mid", seed=1)
            state["current"] = {
                "qid": question.id, "stage": "answer", "answers": [], "hints": [], "answerRequests": 0,
                "silences": 0, "probed": False, "skipped": False,
            }  # fmt: skip
            interviewer = OfflineInterviewer(KB, track, state, lambda q, t: score_answer(q, t, track))
            first = interviewer.hint().message.removeprefix("Here's a nudge: ")
            second = interviewer.hint().message.removeprefix("Here's a pointer: ")
            assert first.endswith("?") and _gives_away(question, first) == [], (question.id, first)
            assert not any(p.point.lower() in second.lower() for p in question.key_points), question.id
            assert canonical_share(question, second) < 0.6


@pytest.mark.parametrize("track", ["backend", "frontend", "mobile"])
def test_a_candidate_who_asks_for_a_hint_first_gets_a_nudge_then_a_pointer(sqlite_engine: Engine, track: str) -> None:
    user = sqlite_engine.store.ensure_user(f"hint-first-{track}@example.com")
    session = sqlite_engine.start_session(user_id=user.id, module="voice_screen", track=track, difficulty="mid")
    reply = sqlite_engine.act(session.id, "next").data
    nudges = 0
    while not reply["done"]:
        question = KB.question(reply["question"]["id"])
        hint = sqlite_engine.act(session.id, "hint").data["message"]
        assert hint.startswith("Here's a nudge: ")
        assert _gives_away(question, hint) == [], (question.id, hint)
        nudges += 1
        reply = sqlite_engine.act(session.id, "answer", {"text": weak(question, reply)}).data
        while not reply["done"] and reply["question"]["id"] == question.id:
            if reply["kind"] == "hint":  # the automatic hint after an empty-handed answer is the pointer
                assert reply["message"].startswith("Let me give you a pointer: ")
            reply = sqlite_engine.act(session.id, "answer", {"text": weak(question, reply)}).data
    assert nudges == KB.budget("mid")
    sqlite_engine.end_session(session.id)


def test_full_offline_session_on_both_databases(engine: Engine) -> None:
    session_id, said = run_screen(engine, strong, "backend", "mid")
    assert_screen_rules(engine, session_id, said)
    summary = engine.summary(session_id)
    assert summary.evaluation is not None and summary.evaluation.decision.value == "advance"
    assert summary.view["mode"] == "offline" and len(summary.view["questions"]) == 20
    speakers = [s["speaker"] for s in summary.view["transcript"]]
    results = engine.get_session(session_id).state["results"]
    assert len(results) == 20
    assert speakers[0] == "interviewer" and speakers.count("candidate") == sum(len(r["answers"]) for r in results)
    assert summary.session.kb_version == KB.info.kb_version
    assert engine.store.get_snapshot("question_sets", "phone-screen-kb/backend", KB.pack.version) is not None
    # Evaluating again gives the same result: deterministic from stored data.
    again = engine.evaluate(session_id)
    assert again.scores == summary.evaluation.scores and again.decision == summary.evaluation.decision


def test_ending_on_an_unanswered_question_is_not_a_skip(sqlite_engine: Engine) -> None:
    user = sqlite_engine.store.ensure_user("early@example.com")
    session = sqlite_engine.start_session(user_id=user.id, module="voice_screen", track="backend", difficulty="mid")
    first = sqlite_engine.act(session.id, "next").data
    second = first
    for _ in range(4):  # answer (and any follow-up) until the interviewer moves on
        second = sqlite_engine.act(session.id, "answer", {"text": "It depends on the trade-off; I would measure."}).data
        if second["question"]["id"] != first["question"]["id"]:
            break
    assert second["question"]["id"] != first["question"]["id"]
    sqlite_engine.end_session(session.id)  # while the second question is open and unanswered
    state = sqlite_engine.get_session(session.id).state
    assert [r["qid"] for r in state["results"]] == [first["question"]["id"]]
    assert state["unansweredAtEnd"] == second["question"]["id"]
    view = sqlite_engine.summary(session.id).view
    assert all(not q["skipped"] for q in view["questions"])
    # An explicit skip is still a skip.
    other = sqlite_engine.start_session(user_id=user.id, module="voice_screen", track="backend", difficulty="mid")
    sqlite_engine.act(other.id, "next")
    sqlite_engine.act(other.id, "skip")
    sqlite_engine.end_session(other.id)
    assert sqlite_engine.get_session(other.id).state["results"][0]["skipped"] is True


def _interviewer(track: str = "backend") -> OfflineInterviewer:
    from interview_engine.judging import score_request

    state = new_state(KB, track, "mid", seed=3)
    return OfflineInterviewer(
        KB, track, state, lambda q, t: score_request(scoring_request(q, t, track=track, difficulty="mid"))
    )


def test_a_misconception_gets_a_probe_quoting_what_was_said() -> None:
    interviewer = _interviewer()
    first = interviewer.next()
    question = KB.question(interviewer.state.current.qid)
    claim = question.misconceptions[0].claim
    said = f"Sure, I know this well from production. In practice {claim}, that is simply how it works."
    reply = interviewer.answer(said)
    assert first.kind == "question" and reply.kind == "probe"
    assert "You said" in reply.message and claim in reply.message
    assert question.canonical[:60] not in reply.message


def test_a_strong_answer_gets_a_deeper_follow_up_and_a_covered_question_is_not_asked() -> None:
    interviewer = _interviewer()
    interviewer.next()
    question = KB.question(interviewer.state.current.qid)
    reply = interviewer.answer(strong(question, {}))
    if len(question.follow_ups) > 1:
        assert reply.kind == "follow_up" and question.follow_ups[-1] in reply.message
        reply = interviewer.answer("It depends on the data; I would measure it before deciding.")
    assert reply.kind == "question"
    # Everything else the candidate has said so far: a question those words already answer is skipped.
    others = [q for q in KB.track_questions("backend") if q.id not in interviewer.state.asked]
    answered = others[0]
    interviewer.state.results[-1].answers.append(answered.canonical)
    interviewer.state.covered.clear()
    assert interviewer._covered(answered)
    for _ in range(30):
        picked = interviewer._pick()
        assert (
            picked is None
            or picked.id != answered.id
            or not [
                q for q in KB.track_questions("backend") if q.topic == answered.topic and not interviewer._covered(q)
            ]
        )
        if picked is None:
            break
        interviewer.state.asked.append(picked.id)

"""The voice screen run by the engine: the client tools' actions, its own budget and rubric, its calls."""

from __future__ import annotations

import shutil
from importlib.resources import as_file
from pathlib import Path

import pytest

from interview_engine import Engine
from interview_engine.errors import ContentError, InvalidInput, Unavailable
from interview_voice_screen import create_signed_url, fetch_analysis
from interview_voice_screen.bank import content_root, knowledge_base, load_knowledge_base
from interview_voice_screen.voice.calls import MAX_CONVERSATIONS
from interview_voice_screen.voice.settings import VoiceSettings
from interview_voice_screen.voice.sync import sync_agent
from tests.voice_screen.fake_elevenlabs import FakeElevenLabs, conversation_payload


def _voice(engine: Engine, difficulty: str = "mid") -> str:
    user = engine.store.ensure_user("spoken@example.com")
    session = engine.start_session(
        user_id=user.id, module="voice_screen", track="backend", difficulty=difficulty, options={"mode": "voice"}
    )
    return session.id


def test_a_spoken_screen_has_its_own_budget_and_attempts_rule(sqlite_engine: Engine) -> None:
    kb = knowledge_base()
    session_id = _voice(sqlite_engine)
    sqlite_engine.act(session_id, "conversation", {"conversationId": "conv_spoken"})
    reply = sqlite_engine.act(session_id, "next").data
    answers = 0
    while not reply["done"]:
        answers += 1
        assert answers <= 2 * kb.budget("mid", "voice"), "at most two answers per question"
        qid = sqlite_engine.get_session(session_id).state["current"]["qid"]
        reply = sqlite_engine.act(session_id, "answer", {"text": kb.question(qid).canonical}).data
    asked = len(sqlite_engine.get_session(session_id).state["asked"])
    assert asked == kb.budget("mid", "voice") == 12 < kb.budget("mid")
    sqlite_engine.end_session(session_id)
    evaluation = sqlite_engine.store.get_evaluation(session_id)
    assert evaluation is not None
    assert evaluation.rubric == f"voice_screen/mid/voice@{kb.rubric('mid', 'voice').version}"
    assert evaluation.metrics["questionsAttempted"] == 12
    # Answering every question the spoken budget holds meets the spoken attempts rule.
    assert "questionsAttempted" not in evaluation.failed_rules
    assert evaluation.metrics["topicsCovered"] >= 5 and evaluation.metrics["maxTopicShare"] <= 0.4
    assert evaluation.details["mode"] == "voice"


def test_the_spoken_rubric_differs_only_in_its_pass_rules() -> None:
    kb = knowledge_base()
    for level in ("mid", "senior"):
        typed, spoken = kb.rubric(level), kb.rubric(level, "voice")
        assert spoken.dimensions == typed.dimensions and spoken.floors == typed.floors
        assert spoken.pass_threshold == typed.pass_threshold and spoken.disqualifiers == typed.disqualifiers
        attempts = {r.id: r.value for r in spoken.pass_rules}["questionsAttempted"]
        assert attempts == kb.budget(level, "voice") < {r.id: r.value for r in typed.pass_rules}["questionsAttempted"]


def test_a_broken_voice_rubric_names_the_file_and_field(tmp_path: Path) -> None:
    with as_file(content_root()) as source:
        shutil.copytree(source, tmp_path / "content")
    voice = tmp_path / "content" / "rubric" / "voice.toml"
    voice.write_text('version = "1"\n[mid.questionsAnswered]\nvalue = 3\n')
    with pytest.raises(ContentError, match=r"voice\.toml: \$\.mid\.questionsAnswered"):
        load_knowledge_base(tmp_path / "content")  # type: ignore[arg-type]
    voice.write_text('version = "1"\n[mid.questionsAttempted]\nvalue = "twelve"\n')
    with pytest.raises(ContentError, match=r"\$\.mid\.questionsAttempted\.value"):
        load_knowledge_base(tmp_path / "content")  # type: ignore[arg-type]


def test_stop_closes_the_screen(sqlite_engine: Engine) -> None:
    session_id = _voice(sqlite_engine)
    sqlite_engine.act(session_id, "next")
    reply = sqlite_engine.act(session_id, "stop").data
    assert reply["done"] and reply["message"].startswith("Let's stop here.")
    state = sqlite_engine.get_session(session_id).state
    # The open question was never answered: it is dropped, neither a skip nor a weak topic.
    assert state["endReason"] == "stopped" and state["results"] == [] and state["current"] is None
    # A voice call's transcript is ElevenLabs' own: the engine's turns are not stored a second time.
    assert sqlite_engine.store.transcript(session_id) == []


def test_conversation_ids_are_checked_and_bounded(sqlite_engine: Engine) -> None:
    session_id = _voice(sqlite_engine)
    for bad in (None, "", "conv 1", "../../x", "x" * 200, 7):
        with pytest.raises(InvalidInput) as caught:
            sqlite_engine.act(session_id, "conversation", {"conversationId": bad})
        assert caught.value.field == "conversationId"
    before = sqlite_engine.get_session(session_id).started_at
    sqlite_engine.act(session_id, "conversation", {"conversationId": "conv_a"})
    first_call = sqlite_engine.get_session(session_id)
    assert first_call.external_ref == "conv_a" and first_call.started_at is not None
    assert before is None or first_call.started_at >= before
    # Reporting the same call again changes nothing; a later call becomes the latest.
    sqlite_engine.act(session_id, "conversation", {"conversationId": "conv_a"})
    sqlite_engine.act(session_id, "conversation", {"conversationId": "conv_b"})
    session = sqlite_engine.get_session(session_id)
    assert session.external_ref == "conv_b" and session.started_at == first_call.started_at
    assert [c["id"] for c in session.state["voice"]["conversations"]] == ["conv_a", "conv_b"]
    for number in range(MAX_CONVERSATIONS - 2):
        sqlite_engine.act(session_id, "conversation", {"conversationId": f"conv_more_{number}"})
    with pytest.raises(InvalidInput, match="already has"):
        sqlite_engine.act(session_id, "conversation", {"conversationId": "conv_one_too_many"})


def test_ingest_refuses_a_conversation_of_another_session(sqlite_engine: Engine) -> None:
    session_id = _voice(sqlite_engine)
    sqlite_engine.act(session_id, "conversation", {"conversationId": "conv_mine"})
    with pytest.raises(InvalidInput, match="not one of this session's calls"):
        sqlite_engine.act(session_id, "ingest", {"conversationId": "conv_someone_elses", "deadlineS": 0})


def test_a_candidate_cannot_read_someone_elses_call(sqlite_engine: Engine, fake_elevenlabs: FakeElevenLabs) -> None:
    sync_agent(knowledge_base(), VoiceSettings.from_env())
    victim = _voice(sqlite_engine)
    create_signed_url(sqlite_engine, victim)
    fake_elevenlabs.conversations["conv_1"] = conversation_payload("conv_1", victim)
    # The attacker learned the victim's conversation id and reports it as their own call.
    attacker = _voice(sqlite_engine)
    sqlite_engine.act(attacker, "conversation", {"conversationId": "conv_1"})
    sqlite_engine.end_session(attacker)
    report = fetch_analysis(sqlite_engine, attacker, deadline_s=0)
    assert report["status"] == "foreign"
    assert sqlite_engine.store.transcript(attacker) == []
    assert "analysis" not in sqlite_engine.get_session(attacker).state["voice"]


def test_an_unreachable_elevenlabs_is_unavailable_and_changes_nothing(
    sqlite_engine: Engine, fake_elevenlabs: FakeElevenLabs, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_agent(knowledge_base(), VoiceSettings.from_env())
    session_id = _voice(sqlite_engine)
    create_signed_url(sqlite_engine, session_id)
    sqlite_engine.end_session(session_id)
    before = sqlite_engine.get_session(session_id)
    monkeypatch.setenv("ELEVENLABS_BASE_URL", "http://127.0.0.1:9")  # nothing listens on the discard port
    with pytest.raises(Unavailable, match="try again later") as caught:
        fetch_analysis(sqlite_engine, session_id, deadline_s=0)
    assert caught.value.http_status == 503
    after = sqlite_engine.get_session(session_id)
    assert after.state == before.state and after.status == before.status

"""The ElevenLabs path, through the real SDK against the local fake API."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from interview_engine import Engine, SessionStatus
from interview_engine.errors import InvalidInput
from interview_voice_screen import (
    Unauthorized,
    create_signed_url,
    finish_voice_session,
    handle_post_call_webhook,
    knowledge_base,
    sign,
)
from interview_voice_screen.voice.agent import agent_config_version, build_agent_config
from interview_voice_screen.voice.settings import VoiceSettings
from interview_voice_screen.voice.sync import sync_agent
from tests.voice_screen.fake_elevenlabs import FakeElevenLabs, conversation_payload

SECRET = "whsec_test"


def _voice_session(engine: Engine, difficulty: str = "mid", connected: str | None = None) -> tuple[str, str]:
    """A voice session; with ``connected``, the browser's call on that conversation is live."""
    user = engine.store.ensure_user("voice@example.com")
    session = engine.start_session(
        user_id=user.id, module="voice_screen", track="backend", difficulty=difficulty, options={"mode": "voice"}
    )
    if connected:
        engine.act(session.id, "conversation", {"conversationId": connected})
    return session.id, user.id


FOLLOW_UP_ANSWER = "It depends on the workload, so I would measure it in production before deciding."


def _answer_like_a_candidate(engine: Engine, session_id: str, questions: int = 2) -> list[list[str]]:
    """What the agent's client tools do: next_question, then record_answer with each spoken answer.

    The candidate answers each question with its model answer, and a follow-up (a strong answer
    earns a deeper one) with a short answer; returns what they said, question by question.
    """
    said = []
    engine.act(session_id, "next")
    for _ in range(questions):
        current = engine.get_session(session_id).state["current"]
        answer = knowledge_base().question(current["qid"]).canonical
        reply = engine.act(session_id, "answer", {"text": answer}).data
        said.append([answer])
        if reply["kind"] == "follow_up":
            engine.act(session_id, "answer", {"text": FOLLOW_UP_ANSWER})
            said[-1].append(FOLLOW_UP_ANSWER)
    return said


def _webhook_body(conversation_id: str, session_id: str) -> bytes:
    event = {
        "type": "post_call_transcription",
        "event_timestamp": int(time.time()),
        "data": conversation_payload(conversation_id, session_id),
    }
    return json.dumps(event).encode()


def test_agent_sync_creates_then_updates_and_records_the_version(fake_elevenlabs: FakeElevenLabs) -> None:
    kb = knowledge_base()
    settings = VoiceSettings.from_env()
    first = sync_agent(kb, settings)
    assert first["status"] == "created" and first["agentId"] == "agent_1"
    assert first["documentsUploaded"] == sum(len(s) for s in kb.sheets.values()) == 24
    assert first["agentConfigVersion"] == agent_config_version(build_agent_config(kb))
    stored = json.loads(Path(settings.state_file).read_text())
    assert stored["agentId"] == "agent_1" and stored["agentConfigVersion"] == first["agentConfigVersion"]
    agent = fake_elevenlabs.agents["agent_1"]
    prompt = agent["conversation_config"]["agent"]["prompt"]
    assert {doc["id"] for doc in prompt["knowledge_base"]} == set(fake_elevenlabs.documents)
    assert "{{track}}" in prompt["prompt"] and "{{difficulty}}" in prompt["prompt"]
    collected = agent["platform_settings"]["data_collection"]
    assert {"correctness_score", "weak_topics", "hints_used", "kb_version", "dq_security_red_flags"} <= set(collected)
    # Nothing changed: no upload, no update.
    assert sync_agent(kb, settings)["status"] == "unchanged"
    assert fake_elevenlabs.paths("PATCH") == []
    # A known agent with an outdated version is updated in place.
    settings.state_file.write_text(json.dumps({**stored, "agentConfigVersion": "old"}))
    assert sync_agent(kb, settings)["status"] == "updated"
    assert fake_elevenlabs.paths("PATCH") == ["/v1/convai/agents/agent_1"]


def test_signed_url_needs_a_key(sqlite_engine: Engine) -> None:
    session_id, _ = _voice_session(sqlite_engine)
    with pytest.raises(InvalidInput, match="ELEVENLABS_API_KEY"):
        create_signed_url(sqlite_engine, session_id)


def test_full_voice_session_by_polling(engine: Engine, fake_elevenlabs: FakeElevenLabs) -> None:
    sync_agent(knowledge_base(), VoiceSettings.from_env())
    session_id, user_id = _voice_session(engine)
    started = engine.get_session(session_id)
    assert started.agent_config_version == agent_config_version(build_agent_config(knowledge_base()))
    # A double-clicked start mints two conversations; the browser connects to the second.
    create_signed_url(engine, session_id, user_id=user_id)
    signed = create_signed_url(engine, session_id, user_id=user_id)
    assert signed["signedUrl"].startswith("wss://") and "xi-api-key" not in json.dumps(signed)
    assert signed["conversationId"] == "conv_2"
    assert signed["dynamicVariables"]["session_id"] == session_id
    engine.act(session_id, "conversation", {"conversationId": "conv_2"}, user_id=user_id)
    said = _answer_like_a_candidate(engine, session_id)
    fake_elevenlabs.conversations["conv_1"] = conversation_payload("conv_1", session_id)
    # The agent's own impression: harsh on correctness, silent on the rest.
    fake_elevenlabs.conversations["conv_2"] = conversation_payload("conv_2", session_id, data={"correctness_score": 1})
    fake_elevenlabs.pending_polls["conv_2"] = 2  # the analysis is still processing twice
    waits: list[float] = []
    module = engine.module("voice_screen")
    module.sleep = waits.append  # type: ignore[attr-defined]
    engine.end_session(session_id, user_id=user_id)
    ours = engine.store.get_evaluation(session_id)
    assert ours is not None and ours.details["agentOpinion"] == {"status": "awaiting"}
    report = finish_voice_session(engine, session_id, user_id=user_id)
    assert report["status"] == "ingested" and report["conversationId"] == "conv_2"
    assert waits == [0.5, 1.0]
    assert fake_elevenlabs.paths("GET").count("/v1/convai/conversations/conv_2") == 3
    assert "/v1/convai/conversations/conv_1" not in fake_elevenlabs.paths("GET")
    summary = engine.summary(session_id)
    assert summary.session.status is SessionStatus.EVALUATED
    evaluation = summary.evaluation
    assert evaluation is not None
    # Our scores come from our scorer, answer by answer; the agent's 5/5 is a second opinion beside them.
    assert [q["answers"] for q in summary.view["questions"][:2]] == said
    assert all(q["score"] is not None for q in summary.view["questions"][:2])
    assert any(item.source.startswith("Q1 ") for item in evaluation.evidence)
    opinion = evaluation.details["agentOpinion"]
    assert opinion["status"] == "received" and opinion["scores"]["correctness"] == 1.0
    assert opinion["scores"]["depth"] is None  # a score it did not give stays unknown, not 0
    # Correctness is the mean of our scorer's scores, whatever the agent thought.
    per_answer = [q["score"] for q in summary.view["questions"][:2]]
    assert abs(evaluation.scores["correctness"] - sum(per_answer) / len(per_answer)) <= 0.01
    # The analysis arrived after our evaluation and changed none of its numbers.
    assert evaluation.scores == ours.scores and evaluation.decision == ours.decision
    assert evaluation.metrics == ours.metrics
    assert summary.view["agentOpinion"]["summary"] == "A solid backend screen."
    assert summary.view["agentOpinion"]["scores"]["correctness"] == 1.0
    assert [s["speaker"] for s in summary.view["transcript"]] == ["interviewer", "candidate"] * 2
    # Fetching again (a replay) changes nothing.
    assert finish_voice_session(engine, session_id)["status"] == "duplicate"
    assert len(engine.store.transcript(session_id)) == 4
    assert engine.store.get_evaluation(session_id) == evaluation
    # Deleting the session deletes every conversation it made, not only the last.
    engine.delete_session(session_id)
    assert sorted(fake_elevenlabs.deleted) == ["conv_1", "conv_2"]


def test_ingest_stops_at_the_deadline(sqlite_engine: Engine, fake_elevenlabs: FakeElevenLabs) -> None:
    sync_agent(knowledge_base(), VoiceSettings.from_env())
    session_id, _ = _voice_session(sqlite_engine)
    create_signed_url(sqlite_engine, session_id)
    fake_elevenlabs.conversations["conv_1"] = conversation_payload("conv_1", session_id)
    fake_elevenlabs.pending_polls["conv_1"] = 100
    sqlite_engine.module("voice_screen").sleep = lambda seconds: None  # type: ignore[attr-defined]
    data = sqlite_engine.act(session_id, "ingest", {"deadlineS": 0}).data
    assert data["status"] == "not_ready" and data["done"] is False
    assert sqlite_engine.get_session(session_id).status is SessionStatus.ACTIVE


def test_webhook_rejects_forged_stale_and_future_signatures(sqlite_engine: Engine) -> None:
    session_id, _ = _voice_session(sqlite_engine)
    body = _webhook_body("conv_9", session_id)
    now = 1_800_000_000
    bad = [
        None,
        "",
        "v0=abc",
        "t=abc,v0=abc",
        sign(body, "wrong-secret", now),
        sign(body + b" ", SECRET, now),  # signs another body
        sign(body, SECRET, now - 31 * 60),
        sign(body, SECRET, now + 3600),
    ]
    for header in bad:
        with pytest.raises(Unauthorized) as caught:
            handle_post_call_webhook(sqlite_engine, body, header, secret=SECRET, now=now)
        assert caught.value.http_status == 401
    assert sqlite_engine.store.transcript(session_id) == []
    assert sqlite_engine.get_session(session_id).status is SessionStatus.ACTIVE


def test_webhook_ingests_a_valid_event_once(engine: Engine) -> None:
    session_id, _ = _voice_session(engine, connected="conv_7")
    body = _webhook_body("conv_7", session_id)
    now = time.time()
    header = sign(body, SECRET, int(now) - 60)
    first = handle_post_call_webhook(engine, body, header, secret=SECRET, now=now)
    assert first["status"] == "ingested" and first["segmentsAdded"] == 4
    # The agent rated this call 5/5 and "advance", but the engine recorded no answer: our decision stands.
    assert first["decision"] == "hold"
    evaluation = engine.store.get_evaluation(session_id)
    replay = handle_post_call_webhook(engine, body, header, secret=SECRET, now=now)
    assert replay["status"] == "duplicate" and replay["segmentsAdded"] == 0
    assert len(engine.store.transcript(session_id)) == 4
    assert engine.store.get_evaluation(session_id) == evaluation
    session = engine.get_session(session_id)
    assert session.external_ref == "conv_7" and session.status is SessionStatus.EVALUATED


def test_webhook_after_the_session_ended_attaches_the_agents_opinion_and_changes_no_score(
    sqlite_engine: Engine,
) -> None:
    # The old behaviour replaced our evaluation with the agent's impression (an "awaiting analysis"
    # placeholder until then): wrong, the issue says; our scores stand and the analysis sits beside them.
    session_id, _ = _voice_session(sqlite_engine, difficulty="senior", connected="conv_8")
    _answer_like_a_candidate(sqlite_engine, session_id)
    sqlite_engine.end_session(session_id)
    ours = sqlite_engine.store.get_evaluation(session_id)
    assert ours is not None and ours.result is None
    assert ours.details["agentOpinion"] == {"status": "awaiting"}
    body = _webhook_body("conv_8", session_id)
    now = time.time()
    handle_post_call_webhook(sqlite_engine, body, sign(body, SECRET, int(now)), secret=SECRET, now=now)
    final = sqlite_engine.store.get_evaluation(session_id)
    assert final is not None
    assert final.scores == ours.scores and final.decision == ours.decision and final.metrics == ours.metrics
    assert final.details["agentOpinion"]["status"] == "received"


def test_webhook_ignores_other_events_and_unknown_sessions(sqlite_engine: Engine) -> None:
    now = time.time()
    for event in (
        {"type": "post_call_audio", "data": {"conversation_id": "c", "full_audio": ""}},
        {"type": "post_call_transcription", "data": conversation_payload("c", "no-such-session")},
        # a real session named by the variable, but a conversation it never made
        {"type": "post_call_transcription", "data": conversation_payload("c", _voice_session(sqlite_engine)[0])},
    ):
        body = json.dumps(event).encode()
        result = handle_post_call_webhook(sqlite_engine, body, sign(body, SECRET, int(now)), secret=SECRET, now=now)
        assert result["status"] == "ignored"
    with pytest.raises(InvalidInput):
        body = b"not json"
        handle_post_call_webhook(sqlite_engine, body, sign(body, SECRET, int(now)), secret=SECRET, now=now)


def test_client_transcript_is_idempotent(sqlite_engine: Engine) -> None:
    session_id, _ = _voice_session(sqlite_engine)
    segments = [{"speaker": "interviewer", "text": "Hello", "timeS": 0}, {"speaker": "candidate", "text": "Hi"}]
    assert sqlite_engine.act(session_id, "transcript", {"segments": segments}).data["added"] == 2
    assert sqlite_engine.act(session_id, "transcript", {"segments": segments}).data["added"] == 0
    with pytest.raises(InvalidInput, match=r"segments\[0\]\.text"):
        sqlite_engine.act(session_id, "transcript", {"segments": [{"speaker": "x", "text": 3}]})

"""``interview agent sync`` against the schema-checking fake: found before created, updated in place."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

from interview_voice_screen import knowledge_base
from interview_voice_screen.bank import KnowledgeBase
from interview_voice_screen.voice.agent import (
    LLM,
    TOOLS,
    agent_config_version,
    api_fields,
    build_agent_config,
    documents,
)
from interview_voice_screen.voice.settings import VoiceSettings
from interview_voice_screen.voice.sync import sync_agent
from tests.voice_screen.elevenlabs_schema import SCHEMA_FILE, build_request_schemas
from tests.voice_screen.fake_elevenlabs import FakeElevenLabs, request_schemas


def _with_sheet(kb: KnowledgeBase, track: str, topic: str, body: str | None) -> KnowledgeBase:
    """The pack with one fact sheet rewritten (or removed when ``body`` is None)."""
    sheets = {name: dict(found) for name, found in kb.sheets.items()}
    if body is None:
        del sheets[track][topic]
    else:
        sheets[track][topic] = attrs.evolve(sheets[track][topic], body=body)
    return attrs.evolve(kb, sheets=sheets)


def test_the_committed_schema_is_what_the_installed_sdk_gives() -> None:
    on_disk = json.loads(SCHEMA_FILE.read_text())
    assert on_disk == json.loads(json.dumps(build_request_schemas())), (
        "regenerate with `python -m tests.voice_screen.elevenlabs_schema`"
    )


def test_the_schema_refuses_what_the_api_refuses() -> None:
    schemas = request_schemas()
    body = api_fields(build_agent_config(knowledge_base()))
    assert schemas.check("POST", "/v1/convai/agents/create", {}, body) == []
    # The old kb_version item set two value sources; the API allows one.
    two_sources = json.loads(json.dumps(body))
    two_sources["platform_settings"]["data_collection"]["kb_version"]["description"] = "the kb version"
    assert schemas.check("POST", "/v1/convai/agents/create", {}, two_sources)
    # Our own bookkeeping must never reach the API.
    assert schemas.check("POST", "/v1/convai/agents/create", {}, build_agent_config(knowledge_base()))
    misspelt = json.loads(json.dumps(body))
    misspelt["conversation_config"]["turn"]["turn_timout"] = 20
    assert schemas.check("PATCH", "/v1/convai/agents/agent_1", {}, misspelt)
    assert schemas.check("GET", "/v1/convai/agents", {"serch": ["x"]}, None)
    assert schemas.check("POST", "/v1/convai/knowledge-base/text", {}, {"name": "no text"})
    assert schemas.check("GET", "/v1/convai/nowhere", {}, None)


def test_the_agent_is_driven_by_client_tools_and_holds_no_bank() -> None:
    kb = knowledge_base()
    config = build_agent_config(kb)
    prompt = config["conversation_config"]["agent"]["prompt"]
    assert [tool["name"] for tool in prompt["tools"]] == list(TOOLS)
    assert all(tool["type"] == "client" and tool["expects_response"] for tool in prompt["tools"])
    assert prompt["built_in_tools"]["end_call"]["params"] == {"system_tool_type": "end_call"}
    assert prompt["rag"] == {"enabled": True}
    # No question of any track is in the prompt: the engine hands them out one at a time.
    for track in kb.pack.tracks:
        assert not any(question.prompt in prompt["prompt"] for question in kb.track_questions(track))
    assert len(prompt["prompt"]) < 4000
    turn = config["conversation_config"]["turn"]
    assert turn["turn_timeout"] > 7 and turn["silence_end_call_timeout"] > turn["turn_timeout"]
    assert "client_tool_call" in config["conversation_config"]["conversation"]["client_events"]


def test_the_version_covers_the_model_and_every_behaviour(monkeypatch: pytest.MonkeyPatch) -> None:
    import interview_voice_screen.voice.agent as agent_module

    kb = knowledge_base()
    base = agent_config_version(build_agent_config(kb))
    assert agent_config_version(build_agent_config(kb, {d["name"]: "doc_x" for d in documents(kb)})) == base
    assert LLM.rsplit("-", 1)[-1].isdigit(), "the LLM is pinned to a dated or numbered model"
    for name, value in [("LLM", "gemini-2.5-flash"), ("TURN_TIMEOUT_S", 7), ("VOICE_ID", "other"), ("PROMPT", "x")]:
        with monkeypatch.context() as patch:
            patch.setattr(agent_module, name, value)
            assert agent_config_version(build_agent_config(kb)) != base, name
    changed = _with_sheet(kb, "backend", sorted(kb.sheets["backend"])[0], "A different sheet.")
    assert agent_config_version(build_agent_config(changed)) != base


def test_sync_creates_once_then_changes_nothing(fake_elevenlabs: FakeElevenLabs) -> None:
    kb = knowledge_base()
    settings = VoiceSettings.from_env()
    first = sync_agent(kb, settings)
    assert first["status"] == "created" and first["documentsUploaded"] == 24
    assert first["documentsDeleted"] == 0
    agent = fake_elevenlabs.agents[first["agentId"]]
    locators = agent["conversation_config"]["agent"]["prompt"]["knowledge_base"]
    assert {locator["id"] for locator in locators} == set(fake_elevenlabs.documents)
    writes = len([r for r in fake_elevenlabs.requests if r[0] != "GET"])
    second = sync_agent(kb, settings)
    assert second["status"] == "unchanged" and second["documentsUploaded"] == second["documentsUpdated"] == 0
    assert len([r for r in fake_elevenlabs.requests if r[0] != "GET"]) == writes


def test_a_lost_state_file_finds_the_agent_and_documents(fake_elevenlabs: FakeElevenLabs) -> None:
    kb = knowledge_base()
    settings = VoiceSettings.from_env()
    first = sync_agent(kb, settings)
    Path(settings.state_file).unlink()
    again = sync_agent(kb, settings)
    assert again["agentId"] == first["agentId"] and again["status"] == "updated"
    assert again["documentsUploaded"] == 0 and again["documentsUpdated"] == 0
    assert len(fake_elevenlabs.agents) == 1 and len(fake_elevenlabs.documents) == 24
    assert fake_elevenlabs.paths("POST").count("/v1/convai/agents/create") == 1


def test_changed_sheets_are_updated_in_place_and_removed_ones_deleted(fake_elevenlabs: FakeElevenLabs) -> None:
    kb = knowledge_base()
    settings = VoiceSettings.from_env()
    first = sync_agent(kb, settings)
    ids = {name: value["id"] for name, value in json.loads(Path(settings.state_file).read_text())["documents"].items()}
    topics = sorted(kb.sheets["backend"])
    changed = _with_sheet(kb, "backend", topics[0], "Rewritten: caches trade freshness for speed.")
    changed = _with_sheet(changed, "backend", topics[1], None)
    # A stray duplicate of one of our names, left by an old sync that lost its state.
    duplicate = fake_elevenlabs.add_document(f"{kb.pack.name} backend/{topics[2]}", "old text")
    report = sync_agent(changed, settings)
    assert report["status"] == "updated" and report["agentId"] == first["agentId"]
    assert report["documentsUploaded"] == 0 and report["documentsUpdated"] == 1
    assert report["documentsDeleted"] == 2
    name_changed = f"{kb.pack.name} backend/{topics[0]}"
    assert fake_elevenlabs.documents[ids[name_changed]]["text"].endswith("caches trade freshness for speed.\n")
    assert ids[f"{kb.pack.name} backend/{topics[1]}"] not in fake_elevenlabs.documents
    assert duplicate not in fake_elevenlabs.documents
    agent = fake_elevenlabs.agents[first["agentId"]]
    locators = agent["conversation_config"]["agent"]["prompt"]["knowledge_base"]
    assert {locator["id"] for locator in locators} == set(fake_elevenlabs.documents)
    assert len(locators) == 23

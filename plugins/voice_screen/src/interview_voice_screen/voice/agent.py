"""The ElevenLabs agent, built as code from the question bank and the rubric.

``build_agent_config`` returns the whole agent (prompt, first message, voice,
knowledge-base documents, evaluation criteria, data-collection items) as JSON;
``agent_config_version`` hashes it (documents by content, not by their ids) so
that the same bank and rubric always give the same ``agentConfigVersion``.
``sync_agent`` uploads changed fact sheets, creates or updates the agent and
records the agent id and version in the state file.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

from interview_voice_screen.bank import KnowledgeBase
from interview_voice_screen.voice.settings import AgentState, VoiceSettings

__all__ = ["AGENT_NAME", "agent_config_version", "build_agent_config", "sync_agent"]

AGENT_NAME = "Interview engine phone screen"
VOICE_ID = "JBFqnCBsd6RMkjVDRZzb"
TTS_MODEL = "eleven_flash_v2"
LLM = "gemini-2.0-flash"

FIRST_MESSAGE = (
    "Hi, thanks for making the time. This is a thirty-minute phone screen for a {{difficulty}} {{track}} "
    "role. I'll ask short technical questions across several topics; answer as you would on a real call, "
    "and ask for a hint whenever you need one. Ready for the first question?"
)

_PROMPT_HEAD = """You are a friendly, professional technical interviewer running a 30-minute phone \
screen for a {{difficulty}} {{track}} software engineering role. Session id: {{session_id}}. \
Knowledge base: {{kb_version}}.

How to run the screen:
- Keep your turns short: one question at a time, one or two sentences. Let the candidate do the talking.
- Calibrate difficulty: start at {{difficulty}} level; after a strong answer ask a harder question, \
after a weak one an easier question. Never repeat a question.
- Rotate topics: cover at least 5 topics of the {{track}} list below, and never spend more than 40% of the \
questions on one topic. Aim for 20 questions at mid level and 25 at senior level.
- When an answer misses key points, probe first with a short follow-up question or a hint grounded in the \
knowledge base. Do not lecture and never state the model answer or the key points, even when asked; say the \
summary will include model answers.
- If the candidate states something wrong, push back once ("Are you sure? Walk me through it"). Note whether \
they correct it.
- Count every hint you give. Stay neutral: acknowledge answers without saying whether they were right.
- Do not discuss anything unrelated to the interview. If the candidate refuses to engage, politely continue \
with the next question.
- At about 28 minutes, or when the questions are done, close: thank the candidate, say how many \
questions and topics you covered, and tell them their written summary with scores and next steps will follow.

Questions by track (topic, level: question; key points to listen for):"""


def _question_lines(kb: KnowledgeBase) -> list[str]:
    lines = []
    for track in kb.pack.tracks:
        lines.append(f"\n[{track}] topics: {', '.join(kb.topics(track))}")
        for question in kb.track_questions(track):
            points = "; ".join(p.point for p in question.key_points)
            lines.append(f"- ({question.topic}, {question.difficulty}) {question.prompt} Key points: {points}.")
    return lines


def _data_collection(kb: KnowledgeBase) -> dict[str, dict[str, Any]]:
    spec = kb.rubrics["mid"]
    items: dict[str, dict[str, Any]] = {}
    for dim in spec.dimensions:
        items[f"{dim.name}_score"] = {
            "type": "integer",
            "description": (
                f"Score the candidate's {dim.name} across the whole screen from 1 (poor) to 5 (excellent): "
                f"{dim.description} Quote the candidate's words that justify the score in the rationale."
            ),
        }
    items["weak_topics"] = {
        "type": "string",
        "description": "Comma-separated topic names (from the track's topic list) where answers were weak.",
    }
    items["strong_topics"] = {
        "type": "string",
        "description": "Comma-separated topic names (from the track's topic list) where answers were strong.",
    }
    items["topics_asked"] = {
        "type": "string",
        "description": "Every topic asked with its number of questions, as topic=count, comma-separated.",
    }
    items["misconceptions"] = {
        "type": "integer",
        "description": "How many technically wrong claims the candidate made and did not correct.",
    }
    items["hints_used"] = {"type": "integer", "description": "How many hints the interviewer gave."}
    items["questions_attempted"] = {
        "type": "integer",
        "description": "How many main questions the candidate attempted to answer (not skipped).",
    }
    items["kb_version"] = {
        "type": "string",
        "description": "The knowledge base version of this session.",
        "dynamic_variable": "kb_version",
    }
    for disqualifier in spec.disqualifiers:
        items[f"dq_{disqualifier.code}"] = {
            "type": "boolean",
            "description": f"True if the candidate {disqualifier.description}.",
        }
    return items


def _criteria() -> list[dict[str, Any]]:
    goals = {
        "screen_completed": "The interviewer asked questions across at least five topics, no more than "
        "40% on one topic, and closed with a summary of what was covered.",
        "no_answer_leak": "The interviewer never stated a model answer or the key points before the "
        "candidate had attempted the question.",
        "calibrated_difficulty": "The interviewer made questions harder after strong answers and easier "
        "after weak ones, and probed with hints before explaining.",
    }
    return [
        {"id": key, "name": key.replace("_", " "), "type": "prompt", "conversation_goal_prompt": goal}
        for key, goal in goals.items()
    ]


def _documents(kb: KnowledgeBase) -> list[dict[str, Any]]:
    docs = []
    for track in kb.pack.tracks:
        for topic, sheet in sorted(kb.sheets[track].items()):
            text = f"{sheet.title}\n\n{sheet.body.strip()}\n"
            docs.append(
                {
                    "name": f"{kb.pack.name} {track}/{topic}",
                    "track": track,
                    "topic": topic,
                    "sha256": hashlib.sha256(text.encode()).hexdigest(),
                    "text": text,
                }
            )
    return docs


def build_agent_config(kb: KnowledgeBase, document_ids: dict[str, str] | None = None) -> dict[str, Any]:
    """The complete agent as JSON; ``document_ids`` fills the knowledge-base ids once uploaded."""
    documents = _documents(kb)
    ids = document_ids or {}
    knowledge_base = [
        {
            "type": "text",
            "name": d["name"],
            "id": ids.get(d["name"], f"sha256:{d['sha256'][:16]}"),
            "usage_mode": "auto",
        }
        for d in documents
    ]
    prompt = _PROMPT_HEAD + "\n".join(_question_lines(kb))
    return {
        "name": AGENT_NAME,
        "tags": ["interview-engine", "phone-screen", kb.info.kb_version],
        "conversation_config": {
            "agent": {
                "first_message": FIRST_MESSAGE,
                "language": "en",
                "dynamic_variables": {
                    "dynamic_variable_placeholders": {
                        "session_id": "",
                        "track": "backend",
                        "difficulty": "mid",
                        "kb_version": kb.info.kb_version,
                    }
                },
                "prompt": {
                    "prompt": prompt,
                    "llm": LLM,
                    "temperature": 0.3,
                    "knowledge_base": knowledge_base,
                },
            },
            "tts": {"voice_id": VOICE_ID, "model_id": TTS_MODEL},
            "conversation": {"max_duration_seconds": kb.pack.budget.time_limit_s},
        },
        "platform_settings": {
            "auth": {"enable_auth": True},
            "evaluation": {"criteria": _criteria()},
            "data_collection": _data_collection(kb),
        },
        "knowledge_base_documents": documents,
    }


def agent_config_version(config: dict[str, Any]) -> str:
    """A hash of the agent config that ignores uploaded document ids (documents count by content)."""
    stable = copy.deepcopy(config)
    for locator in stable["conversation_config"]["agent"]["prompt"]["knowledge_base"]:
        locator["id"] = ""
    body = json.dumps(stable, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()[:16]


def sync_agent(kb: KnowledgeBase, settings: VoiceSettings) -> dict[str, Any]:
    """Upload changed fact sheets, create or update the agent, record id and version."""
    client = settings.client()
    state = settings.state()
    version = agent_config_version(build_agent_config(kb))
    documents = dict(state.documents)
    uploaded = 0
    for doc in _documents(kb):
        known = documents.get(doc["name"])
        if known and known.get("sha256") == doc["sha256"]:
            continue
        created = client.conversational_ai.knowledge_base.documents.create_from_text(text=doc["text"], name=doc["name"])
        documents[doc["name"]] = {"id": created.id, "sha256": doc["sha256"]}
        uploaded += 1
    config = build_agent_config(kb, {name: value["id"] for name, value in documents.items()})
    agent_id = settings.agent_id or state.agent_id
    if agent_id and state.config_version == version and not uploaded:
        status = "unchanged"
    elif agent_id:
        client.conversational_ai.agents.update(
            agent_id,
            name=config["name"],
            tags=config["tags"],
            conversation_config=config["conversation_config"],
            platform_settings=config["platform_settings"],
        )
        status = "updated"
    else:
        created_agent = client.conversational_ai.agents.create(
            name=config["name"],
            tags=config["tags"],
            conversation_config=config["conversation_config"],
            platform_settings=config["platform_settings"],
        )
        agent_id = created_agent.agent_id
        status = "created"
    AgentState(agent_id=agent_id, config_version=version, documents=documents).save(settings.state_file)
    return {
        "status": status,
        "agentId": agent_id,
        "agentConfigVersion": version,
        "documentsUploaded": uploaded,
        "stateFile": str(settings.state_file),
    }

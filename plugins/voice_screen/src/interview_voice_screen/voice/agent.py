"""The ElevenLabs agent, built as code from the content pack and the rubric.

``build_agent_config`` returns the whole agent as JSON: the prompt, first
message, voice, turn-taking, the client tools through which our engine drives
the call, the fact sheets as knowledge-base documents (RAG on), the evaluation
criteria and data-collection items of the agent's own analysis (kept as a
second opinion). ``agent_config_version`` hashes all of it, documents by
content rather than by their uploaded ids, so the same pack and rubric always
give the same ``agentConfigVersion``; the LLM is pinned to a dated model id,
so a model change is a version change too.

The agent holds no question bank: questions, follow-ups, hints, the clock and
the scores come from our engine through the client tools (see ``TOOLS``).
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

from interview_voice_screen.bank import KnowledgeBase

__all__ = [
    "AGENT_NAME",
    "AGENT_TAG",
    "LLM",
    "SILENCE_END_CALL_S",
    "TOOLS",
    "TURN_TIMEOUT_S",
    "agent_config_version",
    "api_fields",
    "build_agent_config",
    "documents",
]

AGENT_NAME = "Interview engine phone screen"
# Found by this tag (and the name) before anything is created, so a lost state file never makes a second agent.
AGENT_TAG = "interview-engine-phone-screen"
VOICE_ID = "JBFqnCBsd6RMkjVDRZzb"
TTS_MODEL = "eleven_flash_v2"
# A dated model id: the undated alias can move under us, and a model change must change agentConfigVersion.
LLM = "gemini-2.0-flash-001"

# Turn-taking for a candidate who thinks before answering. The documented defaults are a 7 s turn timeout
# (the agent re-engages after 7 s of silence) and no silence end (-1). A technical answer often starts after
# 10-20 s of thought, and a re-prompt at 7 s interrupts exactly the thinking we want to hear, so the agent
# waits 20 s before checking in. A call nobody speaks in for 3 minutes (a candidate who walked away, a dead
# microphone) ends instead of running up the 30-minute clock; our engine then scores what was said.
TURN_TIMEOUT_S = 20
SILENCE_END_CALL_S = 180
TURN_EAGERNESS = "patient"

FIRST_MESSAGE = (
    "Hi, thanks for making the time. This is a thirty-minute phone screen for a {{difficulty}} {{track}} "
    "role. I'll ask short technical questions across several topics; answer as you would on a real call, "
    "and ask for a hint whenever you need one. Ready for the first question?"
)

PROMPT = """You are a friendly, professional technical interviewer running a 30-minute phone screen for a \
{{difficulty}} {{track}} software engineering role. Session id: {{session_id}}. Knowledge base: {{kb_version}}.

The interview engine owns the questions, the order, the clock and the scoring. You speak for it through tools:
- When the candidate is ready, call next_question and ask exactly the question it returns, in your own voice.
- When the candidate has finished answering, call record_answer. Say what it returns: a follow-up question, \
or the next question. Never invent questions of your own and never skip ahead.
- When the candidate asks for a hint, call give_hint and say the hint it returns.
- When the candidate says they do not know or want to move on, call skip_question and ask what it returns.
- When a tool result says the interview is over, or the candidate wants to stop, call end_interview, say its \
closing words, then call end_call.
- A message about the time left comes from the engine: follow it.

How to speak:
- Keep your turns short: one question at a time. Let the candidate do the talking, and give them time to think.
- Stay neutral: acknowledge answers without saying whether they were right. Never state the model answer or \
the key points, even when asked; say the written summary will include model answers.
- If the candidate states something wrong, you may push back once ("Are you sure? Walk me through it").
- Do not discuss anything unrelated to the interview."""

_NO_PARAMETERS: dict[str, Any] = {"type": "object", "properties": {}, "required": []}

# Client tools: the browser runs each by calling our engine's action of the same meaning.
TOOLS: dict[str, str] = {
    "next_question": "Get the question to ask now from the interview engine. Call it once the candidate is "
    "ready for the first question.",
    "record_answer": "Record the candidate's finished answer to the current question (the engine reads their "
    "words from the live transcript) and get what to say next: a follow-up or the next question.",
    "give_hint": "Get a hint for the current question from the interview engine, when the candidate asks for one.",
    "skip_question": "Skip the current question when the candidate does not know or wants to move on; returns "
    "the next question.",
    "end_interview": "End the interview in the engine when it is over or the candidate wants to stop; returns "
    "the closing words to say before calling end_call.",
}


def _client_tools() -> list[dict[str, Any]]:
    return [
        {
            "type": "client",
            "name": name,
            "description": description,
            "parameters": copy.deepcopy(_NO_PARAMETERS),
            "expects_response": True,
            "response_timeout_secs": 30,
        }
        for name, description in TOOLS.items()
    ]


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
        "description": "Comma-separated topic names where the candidate's answers were weak.",
    }
    items["strong_topics"] = {
        "type": "string",
        "description": "Comma-separated topic names where the candidate's answers were strong.",
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
    # One value source per item (the API and the SDK model allow exactly one): the session's own variable.
    items["kb_version"] = {"type": "string", "dynamic_variable": "kb_version"}
    for disqualifier in spec.disqualifiers:
        items[f"dq_{disqualifier.code}"] = {
            "type": "boolean",
            "description": f"True if the candidate {disqualifier.description}.",
        }
    return items


def _criteria() -> list[dict[str, Any]]:
    goals = {
        "followed_the_engine": "The interviewer asked the questions the engine's tools returned, in order, "
        "and did not invent or skip questions.",
        "no_answer_leak": "The interviewer never stated a model answer or the key points before the "
        "candidate had attempted the question.",
        "gave_time_to_think": "The interviewer let the candidate finish and think without interrupting.",
    }
    return [
        {"id": key, "name": key.replace("_", " "), "type": "prompt", "conversation_goal_prompt": goal}
        for key, goal in goals.items()
    ]


def documents(kb: KnowledgeBase) -> list[dict[str, Any]]:
    """The fact sheets as knowledge-base documents: name, track, topic, text and its sha256."""
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
    """The complete agent as JSON; ``document_ids`` fills the knowledge-base ids once uploaded.

    ``knowledge_base_documents`` (the documents' text, for hashing and upload) is ours, not the API's:
    :func:`api_fields` leaves it out of the request.
    """
    docs = documents(kb)
    ids = document_ids or {}
    knowledge_base = [
        {
            "type": "text",
            "name": d["name"],
            "id": ids.get(d["name"], f"sha256:{d['sha256'][:16]}"),
            "usage_mode": "auto",
        }
        for d in docs
    ]
    return {
        "name": AGENT_NAME,
        "tags": ["interview-engine", AGENT_TAG],
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
                    "prompt": PROMPT,
                    "llm": LLM,
                    "temperature": 0.3,
                    "knowledge_base": knowledge_base,
                    # Retrieval keeps only the fact-sheet passages relevant to the turn in the context,
                    # instead of every track's sheets.
                    "rag": {"enabled": True},
                    "tools": _client_tools(),
                    "built_in_tools": {
                        "end_call": {
                            "type": "system",
                            "name": "end_call",
                            "description": "End the call after end_interview has returned the closing words.",
                            "params": {"system_tool_type": "end_call"},
                        }
                    },
                },
            },
            "turn": {
                "turn_timeout": TURN_TIMEOUT_S,
                "silence_end_call_timeout": SILENCE_END_CALL_S,
                "turn_eagerness": TURN_EAGERNESS,
            },
            "tts": {"voice_id": VOICE_ID, "model_id": TTS_MODEL},
            "conversation": {
                "max_duration_seconds": kb.pack.budget.time_limit_s,
                "client_events": [
                    "conversation_initiation_metadata",
                    "audio",
                    "interruption",
                    "user_transcript",
                    "agent_response",
                    "agent_response_correction",
                    "client_tool_call",
                    "agent_tool_response",
                    "vad_score",
                    "ping",
                ],
            },
        },
        "platform_settings": {
            "auth": {"enable_auth": True},
            "evaluation": {"criteria": _criteria()},
            "data_collection": _data_collection(kb),
            # Post-call webhooks carry the transcript and analysis; the audio is not ours to keep.
            "workspace_overrides": {"webhooks": {"send_audio": False}},
        },
        "knowledge_base_documents": docs,
    }


def api_fields(config: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``config`` that go into the create/update agent request body."""
    return {key: config[key] for key in ("name", "tags", "conversation_config", "platform_settings")}


def agent_config_version(config: dict[str, Any]) -> str:
    """A hash of the agent config that ignores uploaded document ids (documents count by content)."""
    stable = copy.deepcopy(config)
    for locator in stable["conversation_config"]["agent"]["prompt"]["knowledge_base"]:
        locator["id"] = ""
    body = json.dumps(stable, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()[:16]

"""ElevenLabs settings from the environment, the SDK client, and the agent state file.

Environment:
    ELEVENLABS_API_KEY: enables the voice path (server side only; never sent to a browser).
    ELEVENLABS_BASE_URL: overrides the API base URL (tests point it at a fake server).
    ELEVENLABS_AGENT_ID: the agent to use; otherwise the one ``interview agent sync`` recorded.
    ELEVENLABS_WEBHOOK_SECRET: verifies post-call webhooks.
    INTERVIEW_AGENT_STATE: where the agent id and ``agentConfigVersion`` are kept
        (default: ``elevenlabs-agent.json`` in the user data dir).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import platformdirs
from attrs import field, frozen

from interview_engine.errors import InvalidInput

__all__ = ["AgentState", "VoiceSettings"]

STATE_ENV = "INTERVIEW_AGENT_STATE"


@frozen
class VoiceSettings:
    api_key: str | None = None
    base_url: str | None = None
    agent_id: str | None = None
    webhook_secret: str | None = None
    state_file: Path = Path("elevenlabs-agent.json")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> VoiceSettings:
        env = os.environ if env is None else env
        state = env.get(STATE_ENV) or str(
            Path(platformdirs.user_data_dir("interview-engine")) / "elevenlabs-agent.json"
        )
        return cls(
            api_key=env.get("ELEVENLABS_API_KEY") or None,
            base_url=env.get("ELEVENLABS_BASE_URL") or None,
            agent_id=env.get("ELEVENLABS_AGENT_ID") or None,
            webhook_secret=env.get("ELEVENLABS_WEBHOOK_SECRET") or None,
            state_file=Path(state),
        )

    @property
    def configured(self) -> bool:
        return bool(self.api_key)

    def client(self) -> Any:
        """The official SDK client; ``InvalidInput`` when no key is configured."""
        if not self.api_key:
            raise InvalidInput("ElevenLabs is not configured: set ELEVENLABS_API_KEY", field="mode")
        from elevenlabs.client import ElevenLabs

        kwargs: dict[str, Any] = {"api_key": self.api_key, "timeout": 30}
        if self.base_url:
            kwargs["base_url"] = self.base_url
        return ElevenLabs(**kwargs)

    def state(self) -> AgentState:
        return AgentState.load(self.state_file)

    def resolved_agent_id(self) -> str | None:
        return self.agent_id or self.state().agent_id


@frozen
class AgentState:
    """What ``interview agent sync`` recorded: the agent, its config version and its documents."""

    agent_id: str | None = None
    config_version: str | None = None
    documents: dict[str, dict[str, str]] = field(factory=dict)

    @classmethod
    def load(cls, path: Path) -> AgentState:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        documents = data.get("documents")
        return cls(
            agent_id=data.get("agentId") or None,
            config_version=data.get("agentConfigVersion") or None,
            documents=documents if isinstance(documents, dict) else {},
        )

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        body = {
            "agentId": self.agent_id,
            "agentConfigVersion": self.config_version,
            "documents": self.documents,
        }
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(body, indent=2, sort_keys=True), encoding="utf-8")
        tmp.replace(path)

"""The agent's own analysis of a call, as a second opinion beside the engine's scores.

It never feeds our numbers: the engine scores each spoken answer itself (through the
``answer_scorer`` hook, with the same evidence as a typed answer). What the agent's post-call
analysis said is kept as it said it — a score it did not give stays ``None``, not 0 — and shown
beside ours on the summary.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["DIMENSIONS", "agent_opinion"]

DIMENSIONS = ("correctness", "depth", "practicality", "clarity", "autonomy")


def _score(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if 1 <= value <= 5 else None


def agent_opinion(voice: Mapping[str, Any]) -> dict[str, Any]:
    """``{"status": "received" | "awaiting" | "none", ...}`` from a session's ``state["voice"]``.

    ``awaiting`` means a call took place but its analysis has not been fetched or delivered yet;
    ``none`` means no call was ever connected.
    """
    analysis = voice.get("analysis")
    if not analysis:
        connected = any(call.get("connected") for call in voice.get("conversations") or [])
        return {"status": "awaiting" if connected else "none"}
    data: Mapping[str, Any] = analysis.get("dataCollection") or {}
    rationales: Mapping[str, str] = analysis.get("rationales") or {}
    return {
        "status": "received",
        "conversationId": analysis.get("conversationId"),
        "scores": {dim: _score(data.get(f"{dim}_score")) for dim in DIMENSIONS},
        "rationales": {dim: rationales.get(f"{dim}_score") or "" for dim in DIMENSIONS},
        "criteria": dict(analysis.get("criteria") or {}),
        "callSuccessful": analysis.get("callSuccessful"),
        "summary": analysis.get("summary") or "",
        "weakTopics": data.get("weak_topics") or "",
        "strongTopics": data.get("strong_topics") or "",
    }

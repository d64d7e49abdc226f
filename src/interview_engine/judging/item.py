"""What a text is judged against, and what the judge found."""

from __future__ import annotations

from typing import Any

from attrs import field, frozen

from interview_engine._convert import as_tuple

__all__ = ["ClaimFinding", "JudgedItem", "Judgment", "KeyPoint", "PointFinding"]


def _nested_tuple(value: Any) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(str(x) for x in group) for group in value)


@frozen
class KeyPoint:
    """One thing a good text states.

    Attributes:
        point: the idea, in plain words.
        anchors: other wordings of the same idea (a canonical answer's sentence, an alternative approach).
        aspect: what part of a good text it is (``approach``, ``complexity``, ``edge_case``,
            ``mechanism``, ``fix``, ...); rules may weigh aspects differently.
        weight: its share of the credit, relative to the item's other key points.
    """

    point: str
    anchors: tuple[str, ...] = field(converter=as_tuple, default=())
    aspect: str = ""
    weight: float = 1.0

    def __attrs_post_init__(self) -> None:
        if not self.point.strip():
            raise ValueError("KeyPoint.point must not be empty")
        if not self.weight > 0:
            raise ValueError(f"KeyPoint.weight must be positive, got {self.weight}")


@frozen
class JudgedItem:
    """A question, problem or scenario, as the judge sees it.

    Attributes:
        kind: ``screen_answer``, ``coding_narration``, ``debug_diagnosis`` or a plugin's own.
        item_id: the question, problem or scenario id.
        prompt: what the candidate was asked.
        key_points: what a good text states.
        misconceptions: false claims a candidate might make about the topic.
        claim_wordings: other statements of each misconception, in order (one tuple per claim, or
            none at all): a sentence close to any of them asserts the claim.
        reference: the model answer or root-cause explanation (used to tell on-topic from off-topic).
        rivals: the references of neighbouring items (other questions of the same bank): a text
            closer to one of them than to this item answers a different question.
    """

    kind: str
    item_id: str
    prompt: str
    key_points: tuple[KeyPoint, ...] = field(converter=as_tuple)
    misconceptions: tuple[str, ...] = field(converter=as_tuple, default=())
    reference: str = ""
    claim_wordings: tuple[tuple[str, ...], ...] = field(converter=_nested_tuple, default=())
    rivals: tuple[str, ...] = field(converter=as_tuple, default=())

    def __attrs_post_init__(self) -> None:
        if self.claim_wordings and len(self.claim_wordings) != len(self.misconceptions):
            raise ValueError("JudgedItem.claim_wordings must hold one tuple per misconception")

    def claim_statements(self, j: int) -> tuple[str, ...]:
        """The misconception ``j`` and its other wordings."""
        return (self.misconceptions[j], *(self.claim_wordings[j] if self.claim_wordings else ()))


@frozen
class PointFinding:
    """Whether the text states one key point, and the sentence that does."""

    point: str
    credited: bool
    evidence: str
    similarity: float
    aspect: str = ""


@frozen
class ClaimFinding:
    """A false claim the text makes: a known misconception, or a contradiction of a key point."""

    claim: str
    evidence: str
    how: str  # "misconception" or "contradiction"
    similarity: float


@frozen
class Judgment:
    """Every finding about one text and the score the rules give them."""

    kind: str
    item_id: str
    score: float
    scorer: str
    key_points: tuple[PointFinding, ...] = field(converter=as_tuple)
    misconceptions: tuple[ClaimFinding, ...] = field(converter=as_tuple)
    explains: bool = True
    on_topic: bool = True
    unsure: bool = False
    notes: tuple[str, ...] = field(converter=as_tuple, default=())

    def __attrs_post_init__(self) -> None:
        if not (0.0 <= self.score <= 5.0):
            raise ValueError(f"Judgment.score must be within 0..5, got {self.score}")

    @property
    def credited(self) -> tuple[PointFinding, ...]:
        return tuple(p for p in self.key_points if p.credited)

    def to_json(self) -> dict[str, Any]:
        """The shape ``interview score --json`` prints."""
        return {
            "score": self.score,
            "keyPoints": [{"point": p.point, "credited": p.credited, "evidence": p.evidence} for p in self.key_points],
            "misconceptions": [{"claim": m.claim, "evidence": m.evidence} for m in self.misconceptions],
            "scorer": self.scorer,
            "explains": self.explains,
            "onTopic": self.on_topic,
            "notes": list(self.notes),
        }

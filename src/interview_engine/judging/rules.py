"""The rules that turn findings into a 0-5 score, read from a spec file (``rules.toml``).

Every number lives in the spec, none in code: the similarity a key point needs
to be credited, the score of a text that states nothing, the caps for a list of
terms, an off-topic answer, an answer with a misconception.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from attrs import fields, frozen

__all__ = ["JudgingRules", "load_rules", "rules_for"]

_COUNTS = ("sentence_words", "brief_words", "own_points")  # the rules that are whole numbers


@frozen
class JudgingRules:
    """How findings become a score for one kind of text.

    Attributes:
        credit: similarity at which a sentence states a key point.
        full: similarity at which the key point earns all its weight (linear from ``credit``).
        alignment: how much token coverage weighs in whether a clause states a key point, 0..1: the
            similarity is ``(1 - alignment) * cosine + alignment * coverage``, coverage being the
            weighted share of the point's tokens the clause holds in the same or close words (0:
            the sentence cosine alone).
        assign_margin: a clause credits a key point only when its similarity to it is within this
            margin of its similarity to the closest key point (1 or more: no such limit), or when it
            states it at least as closely as ``shared_credit``.
        shared_credit: similarity at which a clause credits a key point it is not closest to (a
            clause may state two points; above 1: never).
        claim: similarity at which a sentence asserts a listed misconception.
        claim_margin: how much closer to the misconception than to any key point it must be.
        claim_vs_wordings: when 1, "any key point" includes the points' other wordings; when 0, only
            the points as stated and the reference count.
        sentence_slack: how far below the sentence's closest true statement a clause's claim may be.
        overclaim_claim: the lower similarity that suffices when the sentence overclaims
            ("always", "exactly", "no matter", ...).
        contradiction: similarity to a key point above which an inverted comparison contradicts it.
        reference_clauses: when 1, each clause of the reference is a wording of the one key point it is
            closest to (when 0, only the whole reference sentence closest to a key point is).
        deny_scope: how far a negation reaches when a sentence denies a misconception: it denies it
            by negating (within ``deny_scope`` words after a "not", "no", "can't", "it's a myth
            that", ...) a word the claim asserts, or by asserting one it negates (1 or more).
        restates: similarity to a reference sentence at which a sentence restates it (never false).
        on_topic: similarity of the whole text to the item below which it is off topic.
        filler: a sentence whose closest similarity to what the item says (key points, with
            ``claim_vs_wordings`` their wordings too, the reference) is below this is filler; the
            whole-text readings (list or explanation, on topic, length) leave it out.
        rival_margin: how much closer to a neighbouring item the text must be to be off topic.
        own_points: a text stating this many of its own item's key points at ``full`` similarity
            answers this item, however close it is to a neighbour (0: no such guard); a
            neighbour of the same topic shares its words, not its points.
        base: score of an explanation that states at least part of one key point.
        span: what the key points add on top of ``base``, by the share of weight credited.
        nothing: score of an explanation that states no key point.
        unsure: score of a "don't know" that states no key point.
        misconception_penalty: subtracted per false claim.
        misconception_cap: the most a text with a false claim can score.
        list_cap: the most a list of terms can score.
        off_topic_cap: the most an off-topic text can score.
        brief_words: a text of fewer words than this is at most ``brief_cap`` (too short for depth).
        brief_cap: the most a text shorter than ``brief_words`` can score.
        vague_cap: the most a text that hand-waves ("should be fast", "now it works") can score.
        sentence_words: a sentence needs at least this many words to state a key point.
        unsure_cap: the most a "don't know" earns when it states less than half the key points.
        location_weight: the weight of the location (diagnoses), next to the key points' weights.
        other_cause: when 1, a text that states a cause but not the item's ``mechanism`` key point
            names a wrong mechanism (a plausible cause that is not the root cause).
    """

    credit: float = 0.5
    full: float = 0.65
    alignment: float = 0.0
    assign_margin: float = 1.0
    shared_credit: float = 2.0
    claim: float = 0.6
    claim_margin: float = 0.0
    claim_vs_wordings: float = 1.0
    overclaim_claim: float = 0.45
    sentence_slack: float = 0.05
    contradiction: float = 0.55
    reference_clauses: float = 0.0
    deny_scope: float = 6.0
    restates: float = 0.85
    on_topic: float = 0.35
    filler: float = 0.3
    rival_margin: float = 0.0
    own_points: int = 0
    base: float = 1.0
    span: float = 4.0
    nothing: float = 0.5
    unsure: float = 0.25
    misconception_penalty: float = 2.0
    misconception_cap: float = 1.5
    list_cap: float = 1.0
    off_topic_cap: float = 1.0
    vague_cap: float = 5.0
    brief_words: int = 0
    brief_cap: float = 3.5
    sentence_words: int = 4
    unsure_cap: float = 0.5
    location_weight: float = 0.0
    other_cause: float = 0.0

    def __attrs_post_init__(self) -> None:
        for name in ("credit", "full", "claim", "overclaim_claim", "contradiction", "restates", "on_topic", "filler"):
            value = getattr(self, name)
            if not -1.0 <= value <= 1.0:
                raise ValueError(f"JudgingRules.{name} must be a similarity in -1..1, got {value}")
        if self.deny_scope < 1:
            raise ValueError(f"JudgingRules.deny_scope must be 1 or more words, got {self.deny_scope}")
        if not 0.0 <= self.alignment <= 1.0:
            raise ValueError(f"JudgingRules.alignment must be within 0..1, got {self.alignment}")
        if not 0.0 <= self.sentence_slack <= 1.0:
            raise ValueError(f"JudgingRules.sentence_slack must be within 0..1, got {self.sentence_slack}")
        if self.full <= self.credit:
            raise ValueError("JudgingRules.full must be above JudgingRules.credit")
        for name in (
            "base",
            "nothing",
            "unsure",
            "unsure_cap",
            "misconception_cap",
            "list_cap",
            "off_topic_cap",
            "vague_cap",
            "brief_cap",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 5.0:
                raise ValueError(f"JudgingRules.{name} must be within 0..5, got {value}")
        if self.base + self.span > 5.0 + 1e-9 or self.span < 0:
            raise ValueError("JudgingRules.base + span must stay within 0..5")
        if self.nothing > self.base:
            # else a text that states part of a key point could score below one that states none
            raise ValueError(f"JudgingRules.nothing ({self.nothing:g}) must not pass base ({self.base:g})")

    @classmethod
    def from_table(cls, table: dict[str, Any], where: str) -> JudgingRules:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(table) - known)
        if unknown:
            raise ValueError(f"{where}: unknown rule(s) {', '.join(unknown)}")
        try:
            values: dict[str, Any] = {k: (int(v) if k in _COUNTS else float(v)) for k, v in table.items()}
            return cls(**values)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{where}: {exc}") from exc


def load_rules(path: Path | None = None) -> dict[str, JudgingRules]:
    """Rules per kind from ``path`` (default: the engine's ``rules.toml``)."""
    if path is None:
        text = resources.files("interview_engine.judging").joinpath("rules.toml").read_text(encoding="utf-8")
        where = "interview_engine/judging/rules.toml"
    else:
        text = path.read_text(encoding="utf-8")
        where = str(path)
    data = tomllib.loads(text)
    return {kind: JudgingRules.from_table(table, f"{where} [{kind}]") for kind, table in data.items()}


@functools.cache
def _bundled() -> dict[str, JudgingRules]:
    return load_rules()


def rules_for(kind: str) -> JudgingRules:
    """The bundled rules for ``kind`` (a kind without its own table gets the defaults)."""
    return _bundled().get(kind, JudgingRules())

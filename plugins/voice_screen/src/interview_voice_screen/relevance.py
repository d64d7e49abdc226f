"""Is an answer about the question's topic?  Guards phrasings that other topics use too.

Some accepted phrasings are specific to their topic ("idempotent producer"),
others are shared with other topics of the knowledge base ("main thread",
"retry", "monitor").  A shared phrasing is weak evidence: an answer about
B-tree indexes says "sorted", an answer about resilience says "retry".  So:

- a phrasing is *shared* when it also occurs in another topic's material: its
  fact sheet, prompts, key points or accepted phrasings;
- an answer *leans to* a topic when its distinctive words, each weighted by how
  few topics use it (``log(topics / topics using the word)``), point at that
  topic at least ``LEAN`` times as much as at the best-matching topic.  A topic's
  words are those of its fact sheet and its questions' prompts, key points and
  phrasings; function words and generic words
  (:func:`~interview_voice_screen.matching.is_generic`) do not count.

The scorer counts a shared phrasing only when the answer leans to the
question's topic; phrasings specific to the topic always count.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Iterable

from interview_voice_screen.bank import KnowledgeBase, knowledge_base
from interview_voice_screen.matching import Text, find_phrase, is_generic, stem, tokens

__all__ = ["LEAN", "TopicProfiles", "distinctive_stems", "topic_profiles"]

LEAN = 0.8


def distinctive_stems(words: Iterable[str]) -> set[str]:
    """The stems of the words that may tell topics apart."""
    return {stem(w) for w in words if len(w) > 2 and not w.isdigit() and not is_generic(w)}


class TopicProfiles:
    """Every topic's distinctive words and fact sheet, across all tracks of a knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.words: dict[str, set[str]] = {}
        self.material: dict[str, Text] = {}
        for track in kb.pack.tracks:
            for topic, sheet in kb.sheets.get(track, {}).items():
                parts = [sheet.body]
                for question in kb.track_questions(track):
                    if question.topic == topic:
                        parts.append(question.prompt)
                        parts.extend(p.point + ". " + ". ".join(p.phrases) for p in question.key_points)
                self.words.setdefault(topic, set()).update(distinctive_stems(tokens(" ".join(parts))))
                self.material[topic] = Text.of("\n".join(parts))
        used = Counter(s for words in self.words.values() for s in words)
        self.weight = {s: math.log(len(self.words) / count) for s, count in used.items()}
        self._shared: dict[tuple[str, str], bool] = {}

    def knows(self, topic: str) -> bool:
        return topic in self.words

    def shared(self, topic: str, phrase: str) -> bool:
        """Whether ``phrase`` also occurs in another topic's fact sheet."""
        key = (topic, phrase)
        found = self._shared.get(key)
        if found is None:
            found = self._shared[key] = any(
                other != topic and find_phrase(text, phrase) is not None for other, text in self.material.items()
            )
        return found

    def leanings(self, words: Iterable[str]) -> dict[str, float]:
        """How strongly the words point at each topic."""
        stems = distinctive_stems(words)
        return {
            topic: round(sum(self.weight[s] for s in stems if s in known), 6) for topic, known in self.words.items()
        }

    def leans_to(self, topic: str, words: Iterable[str]) -> bool:
        leanings = self.leanings(words)
        best = max(leanings.values(), default=0.0)
        return best == 0 or leanings.get(topic, 0.0) >= LEAN * best


@functools.cache
def topic_profiles() -> TopicProfiles:
    """The profiles of the bundled knowledge base, built once per process."""
    return TopicProfiles(knowledge_base())

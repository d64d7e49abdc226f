"""Phrase matching for the local scorer: tokens, prefixes, negation and quoted evidence.

A phrase matches when its tokens appear consecutively in the text.  Tokens of
four characters or more match as prefixes ("idempoten" matches "idempotent"
and "idempotency"); shorter ones must match exactly or as a plural ("id"
matches "ids", never "idea").  For claims (misconceptions, red flags) a match
preceded closely by a negation ("not", "never", "don't", "a mistake is ...")
does not count: "indexes are not always faster" does not claim they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from attrs import frozen

__all__ = ["Match", "Text", "find_phrase", "first_match", "quote", "tokens"]

_TOKEN = re.compile(r"[a-z0-9@#_]+")
_NEGATORS = frozenset(
    {
        "not", "no", "never", "don", "doesn", "isn", "aren", "won", "wouldn", "shouldn", "cannot",
        "can", "without", "avoid", "myth", "mistake", "misconception", "wrong", "false", "nor",
    }
)  # fmt: skip
_NEGATION_WINDOW = 4
_PREFIX_MIN = 4


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("\u2019", "'"))


@frozen
class Text:
    """A text with its tokens and where each token sits, to quote the original words."""

    raw: str
    words: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, raw: str) -> Text:
        found = list(_TOKEN.finditer(raw.lower().replace("\u2019", "'")))
        return cls(raw, tuple(m.group() for m in found), tuple(m.span() for m in found))


@frozen
class Match:
    phrase: str
    start: int
    end: int


def _token_matches(phrase_token: str, word: str) -> bool:
    if len(phrase_token) >= _PREFIX_MIN:
        return word.startswith(phrase_token)
    return word in (phrase_token, phrase_token + "s", phrase_token + "es")


def _negated(words: Sequence[str], start: int) -> bool:
    window = words[max(0, start - _NEGATION_WINDOW) : start]
    for index, word in enumerate(window):
        if word == "can" and index + 1 < len(window) and window[index + 1] == "t":
            return True
        if word in _NEGATORS and word != "can":
            return True
    return False


def find_phrase(words: Sequence[str], phrase: str, *, claim: bool = False) -> Match | None:
    """The first place ``phrase`` occurs in ``words``; ``claim`` skips negated occurrences."""
    wanted = tokens(phrase)
    if not wanted:
        return None
    size = len(wanted)
    for start in range(len(words) - size + 1):
        if all(_token_matches(wanted[i], words[start + i]) for i in range(size)):
            if claim and _negated(words, start):
                continue
            return Match(phrase=phrase, start=start, end=start + size)
    return None


def first_match(words: Sequence[str], phrases: Iterable[str], *, claim: bool = False) -> Match | None:
    for phrase in phrases:
        found = find_phrase(words, phrase, claim=claim)
        if found is not None:
            return found
    return None


def quote(text: Text, match: Match, *, context: int = 5) -> str:
    """The matched words of the original text with a little context, as a quotation."""
    start = max(0, match.start - context)
    end = min(len(text.words), match.end + context)
    body = " ".join(text.raw[text.spans[start][0] : text.spans[end - 1][1]].split())
    prefix = "..." if start > 0 else ""
    suffix = "..." if end < len(text.words) else ""
    return f'"{prefix}{body}{suffix}"'

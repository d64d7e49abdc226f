"""Phrase matching for the local scorer: tokens, stems, meaning-bearing words, negation, quotes.

A phrase matches where its words appear consecutively in the text; articles
("a", "an", "the") are skipped on both sides.  Two words match when their stems
agree ("sorting" and "sorted" both stem to "sort", "caches" and "caching" to
"cach"), or when a phrase word of four characters or more is a prefix of the
text's word: content writes truncated stems such as "idempoten" (matching
"idempotent" and "idempotency").  Shorter phrase words match only whole words
or their plurals ("id" matches "ids", never "idea").

A phrasing only counts when it carries meaning (:func:`carries_meaning`): at
least one word that is neither a function word nor a generic one (key, data,
value, time, ...), or at least two words that are not function words.  "key"
on its own never matches; "same key" and "partition key" do.

For claims (misconceptions, red flags) a match preceded closely by a negation
("not", "never", "don't", "a mistake is ...") does not count: "indexes are not
always faster" does not claim they are.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from attrs import field, frozen

__all__ = [
    "GENERIC_WORDS",
    "Match",
    "Text",
    "carries_meaning",
    "find_phrase",
    "first_match",
    "is_generic",
    "quote",
    "stem",
    "tokens",
]

_TOKEN = re.compile(r"[a-z0-9@#_]+")
_ARTICLES = frozenset({"a", "an", "the"})
_NEGATORS = frozenset(
    {
        "not", "no", "never", "don", "doesn", "isn", "aren", "won", "wouldn", "shouldn", "cannot",
        "can", "without", "avoid", "myth", "mistake", "misconception", "wrong", "false", "nor",
    }
)  # fmt: skip
_NEGATION_WINDOW = 4
_PREFIX_MIN = 4
_STEM_PREFIX_MIN = 5

# Words that carry grammar, not meaning.
_FUNCTION = """
a an the of to in on at for from with into onto by as and or but if so than then that this these those is are
was were be been being am it its they them their there here we you your our i me my he she has have had do does
did can could will would should may might must shall which who whom whose what when where why how t s
"""
# Words too common in engineering talk to show that an answer is about a particular key point.
_GENERIC = """
key data value time system service server client request response code app application user state change use
way thing make get set run work need good bad better worse more less most least same different new old order
type object item list call function method one two all each every many some only also just not no very much
both other another first last next before after still even well result problem case part level number size page
file process step point kind lot able fast faster slow slower high low big small large simple easy hard issue
important main often always never usually update read write
"""
FUNCTION_WORDS = frozenset(_FUNCTION.split())
GENERIC_WORDS = frozenset(_GENERIC.split())


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stemmer: plurals, -ed/-ing, -ly and a final e (``caching``, ``caches`` -> ``cach``)."""
    w = word
    if len(w) > 3:
        if w.endswith("ies") and len(w) > 4:
            w = w[:-3] + "y"
        elif w.endswith(("sses", "xes", "zes", "ches", "shes")) or (w.endswith("ses") and len(w) > 4):
            w = w[:-2]
        elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
            w = w[:-1]
    for suffix in ("ing", "ed"):
        rest = w[: -len(suffix)]
        if w.endswith(suffix) and len(rest) >= 3 and any(c in "aeiouy" for c in rest):
            if suffix == "ed" and rest.endswith("i"):
                rest = rest[:-1] + "y"
            if len(rest) > 3 and rest[-1] == rest[-2] and rest[-1] not in "lsz":
                rest = rest[:-1]
            w = rest
            break
    if w.endswith("ly") and len(w) >= 6:
        w = w[:-2]
    if w.endswith("e") and len(w) >= 4:
        w = w[:-1]
    return w


_GENERIC_STEMS = frozenset(stem(w) for w in GENERIC_WORDS)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("\u2019", "'"))


def is_generic(word: str) -> bool:
    """A function word or a generic one, in any inflection ("keys", "writes")."""
    return word in FUNCTION_WORDS or word in GENERIC_WORDS or stem(word) in _GENERIC_STEMS


def carries_meaning(phrase: str) -> bool:
    """Whether a phrasing can count on its own: one specific word, or two words beyond grammar."""
    words = [w for w in tokens(phrase) if w not in FUNCTION_WORDS]
    return len(words) >= 2 or any(not is_generic(w) for w in words)


@frozen
class Text:
    """A text with its tokens and where each token sits, to quote the original words."""

    raw: str
    words: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    _where: dict[str, dict[str, list[int]]] = field(factory=dict, eq=False, repr=False)
    _memo: dict[str, tuple[int, ...]] = field(factory=dict, eq=False, repr=False)

    @classmethod
    def of(cls, raw: str) -> Text:
        found = list(_TOKEN.finditer(raw.lower().replace("\u2019", "'")))
        text = cls(raw, tuple(m.group() for m in found), tuple(m.span() for m in found))
        for index, word in enumerate(text.words):
            text._where.setdefault(word[0], {}).setdefault(word, []).append(index)
        return text

    def positions(self, token: str) -> tuple[int, ...]:
        """Where a phrase word matches a word of the text (computed once per word)."""
        found = self._memo.get(token)
        if found is None:
            # A match shares the first letter: stems and prefixes keep it.
            same_initial = self._where.get(token[0], {})
            hits = [i for word, where in same_initial.items() if _token_matches(token, word) for i in where]
            found = self._memo[token] = tuple(sorted(hits))
        return found


@frozen
class Match:
    phrase: str
    start: int
    end: int


@functools.lru_cache(maxsize=1 << 20)
def _token_matches(phrase_token: str, word: str) -> bool:
    if phrase_token == word:
        return True
    if len(phrase_token) >= _PREFIX_MIN and word.startswith(phrase_token):
        return True
    if len(phrase_token) < _PREFIX_MIN:
        return word in (phrase_token + "s", phrase_token + "es")
    wanted = stem(phrase_token)
    found = stem(word)
    return wanted == found or (len(wanted) >= _STEM_PREFIX_MIN and found.startswith(wanted))


def _negated(words: Sequence[str], start: int) -> bool:
    window = words[max(0, start - _NEGATION_WINDOW) : start]
    for index, word in enumerate(window):
        if word == "can" and index + 1 < len(window) and window[index + 1] == "t":
            return True
        if word in _NEGATORS and word != "can":
            return True
    return False


@functools.lru_cache(maxsize=8192)
def _phrase_tokens(phrase: str) -> tuple[str, ...]:
    return tuple(w for w in tokens(phrase) if w not in _ARTICLES)


def _match_at(words: Sequence[str], start: int, wanted: Sequence[str]) -> int | None:
    """Where the phrase ends when it starts at ``start`` (articles in the text are skipped)."""
    position = start
    for index, token in enumerate(wanted):
        if index:
            while position < len(words) and words[position] in _ARTICLES:
                position += 1
        if position >= len(words) or not _token_matches(token, words[position]):
            return None
        position += 1
    return position


def find_phrase(text: Text | Sequence[str], phrase: str, *, claim: bool = False) -> Match | None:
    """The first place ``phrase`` occurs in ``text``; ``claim`` skips negated occurrences."""
    wanted = _phrase_tokens(phrase)
    if not wanted:
        return None
    if not isinstance(text, Text):
        text = Text.of(" ".join(text))
    words = text.words
    for start in text.positions(wanted[0]):
        end = _match_at(words, start, wanted)
        if end is None:
            continue
        if claim and _negated(words, start):
            continue
        return Match(phrase=phrase, start=start, end=end)
    return None


def first_match(text: Text | Sequence[str], phrases: Iterable[str], *, claim: bool = False) -> Match | None:
    if not isinstance(text, Text):
        text = Text.of(" ".join(text))
    for phrase in phrases:
        found = find_phrase(text, phrase, claim=claim)
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

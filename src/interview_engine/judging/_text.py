"""Reading candidate text: sentences, whether it explains anything, and its polarity markers.

Everything here is bounded: the text is cut at :data:`MAX_CHARS` before it is
read and at :data:`MAX_SENTENCES` sentences, so a pathological answer costs
no more than a long one.
"""

from __future__ import annotations

import functools
import itertools
import re

from attrs import frozen

__all__ = [
    "MAX_CHARS",
    "MAX_SENTENCES",
    "Sentence",
    "absolutes",
    "clauses",
    "comparisons",
    "explains",
    "hand_waves",
    "hedged",
    "negated_terms",
    "negations",
    "overclaims",
    "sentences",
    "stated_absolutes",
    "states_cause",
    "states_complexity",
    "words",
]

MAX_CHARS = 6000
MAX_SENTENCES = 60

_WORD = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?(?:[-+][a-z0-9]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+|(?<=[a-z0-9)])\s+-{1,2}\s+|:\s+(?=[A-Z])")
# Words that carry the grammar of an explanation; a list of terms has almost none.
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "it's",
        "that",
        "this",
        "these",
        "those",
        "so",
        "because",
        "since",
        "which",
        "when",
        "then",
        "than",
        "if",
        "but",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "from",
        "by",
        "with",
        "as",
        "into",
        "onto",
        "out",
        "up",
        "over",
        "you",
        "we",
        "i",
        "they",
        "he",
        "she",
        "one",
        "your",
        "our",
        "their",
        "there",
        "here",
        "what",
        "who",
        "how",
        "why",
        "where",
        "can",
        "could",
        "would",
        "should",
        "will",
        "won't",
        "doesn't",
        "don't",
        "isn't",
        "aren't",
        "can't",
        "not",
        "no",
        "does",
        "do",
        "did",
        "has",
        "have",
        "had",
        "gets",
        "get",
        "got",
        "just",
        "only",
        "also",
        "still",
        "even",
        "every",
        "each",
        "any",
        "all",
        "some",
        "never",
        "always",
        "instead",
        "whereas",
        "while",
        "until",
        "unless",
        "whole",
        "same",
        "other",
        "another",
        "more",
        "less",
        "fewer",
        "most",
        "much",
        "many",
        "per",
        "way",
        "lets",
        "let",
        "makes",
        "make",
        "means",
    ]
)
# The words that make a fragment a clause ("so index 0", "is never fetched") rather than a term.
_CORE_GRAMMAR = frozenset(
    [
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "so",
        "because",
        "since",
        "which",
        "when",
        "then",
        "if",
        "but",
        "we",
        "i",
        "you",
        "they",
        "he",
        "she",
        "to",
        "of",
        "in",
        "on",
        "at",
        "by",
        "with",
        "for",
        "from",
        "gets",
        "get",
        "got",
        "has",
        "have",
        "had",
        "does",
        "do",
        "did",
        "can",
        "will",
    ]
)
_NEGATION = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nothing",
        "nobody",
        "neither",
        "nor",
        "without",
        "cannot",
        "can't",
        "won't",
        "doesn't",
        "don't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "didn't",
        "shouldn't",
        "mustn't",
        "hasn't",
        "haven't",
    ]
)
# Markers of an overclaim: fluent wrong answers state nuanced facts as absolutes.
_OVERCLAIM = (
    "always",
    "exactly",
    "guaranteed",
    "guarantees",
    "perfectly",
    "strictly",
    "immediately",
    "right away",
    "literally",
    "plenty",
    "no matter",
    "equivalent",
    "at all",
    "redundant",
    "basically",
    "is fine",
    "are fine",
    "perfectly fine",
    "never need",
    "no need",
    "don't need",
    "doesn't matter",
    "no problem",
    "not a problem",
    "no issue",
    "not an issue",
    "nothing wrong",
    "only ever",
    "nothing else",
    "the same as",
    "same thing",
)
# Pairs whose swap inverts a claim ("writes get slower" / "writes get faster").
_OPPOSITES = (
    ("faster", "slower"),
    ("more", "less"),
    ("more", "fewer"),
    ("higher", "lower"),
    ("increase", "decrease"),
    ("increases", "decreases"),
    ("before", "after"),
    ("first", "last"),
    ("earlier", "later"),
    ("larger", "smaller"),
    ("bigger", "smaller"),
    ("longer", "shorter"),
    ("stronger", "weaker"),
    ("safe", "unsafe"),
    ("blocks", "never blocks"),
    ("synchronous", "asynchronous"),
    ("sync", "async"),
    ("mutable", "immutable"),
    ("inside", "outside"),
    ("includes", "excludes"),
)
_HEDGES = (
    "not sure",
    "no idea",
    "i don't know",
    "i do not know",
    "i really don't know",
    "i honestly don't know",
    "i just don't know",
    "don't really know",
    "couldn't tell",
    "can't tell",
    "couldn't really",
    "can't really say",
    "haven't",
    "never really",
    "not really sure",
    "i forget",
    "don't remember",
    "i'd have to look",
    "i would have to look",
    "i'd need to look",
    "pass on this",
    # The candidate's own "I couldn't name / explain / say ...": what they cannot put into words.
    *(
        f"i {cannot} {verb}"
        for cannot in ("couldn't", "can't", "cannot")
        for verb in ("name", "explain", "say", "define", "describe", "recall", "remember", "list")
    ),
)


@frozen
class Sentence:
    """One sentence of the candidate's text, as said, and its lowered words."""

    text: str
    words: tuple[str, ...]


def words(text: str) -> list[str]:
    """Lower-case words of ``text`` (bounded by :data:`MAX_CHARS`)."""
    return _WORD.findall(text[:MAX_CHARS].lower())


def sentences(text: str) -> list[Sentence]:
    """The text's sentences (and clauses split by ``;`` or a dash), empty and repeated ones dropped.

    Only the first :data:`MAX_CHARS` characters are read, and a sentence they cut short is left out.

    A sentence said again (the same words, whatever the case or punctuation) states nothing new: it
    counts once, so repeating an answer never lengthens it past a cap or adds evidence.
    """
    found: list[Sentence] = []
    seen: set[tuple[str, ...]] = set()
    parts = _SENTENCE_END.split(text[:MAX_CHARS].replace("\x00", " "))
    if len(text) > MAX_CHARS and len(parts) > 1:
        parts.pop()  # the sentence the limit cut short is not what was said
    for raw in parts:
        said = " ".join(raw.split())
        found_words = tuple(words(said))
        if found_words and found_words not in seen:
            seen.add(found_words)
            found.append(Sentence(said, found_words))
        if len(found) >= MAX_SENTENCES:
            break
    return found


_CALL = re.compile(r"(\w)\(([^()]{0,40})\)")
_CLAUSE = re.compile(r"[,:;()]\s+|\s+(?:and|but|so|because|which|whereas|while|since|then)\s+")


def clauses(sentence: Sentence, min_words: int = 3) -> list[str]:
    """The sentence's clauses and each pair of neighbouring clauses (a long sentence states several ideas)."""
    # A call's or a complexity's parentheses ("O(1) memory", "round(total / people)") hold no clause.
    kept = _CALL.sub(lambda m: f"{m.group(1)}\u27e8{m.group(2)}\u27e9", sentence.text)
    parts = [" ".join(p.split()).replace("\u27e8", "(").replace("\u27e9", ")") for p in _CLAUSE.split(kept)]
    parts = [p for p in parts if len(words(p)) >= min_words]
    if len(parts) < 2:
        return []
    pairs = [f"{a}, {b}" for a, b in itertools.pairwise(parts)]
    return (parts + pairs)[:24]


_COMPLEXITY = re.compile(
    r"\bO\s*\(|\b(?:linear|logarithmic|quadratic|cubic|exponential|constant time|constant work|amortised|amortized"
    r"|n log n|log n|n squared|n times|per (?:operation|element|request|event|item|token|job))\b",
    re.IGNORECASE,
)


_CAUSAL = re.compile(
    r"\b(?:because|since|due to|caus(?:e|es|ed|ing)|leads? to|results? in|which means|that's why|that is why"
    r"|so (?:the|every|each|it|a|an|that|whatever|when|any)|therefore|means that|problem is|bug is|issue is"
    r"|comes? from|(?:that's|that is|which is|this is) where|ends? up|the reason|root cause|responsible for"
    r"|it'?s an? (?:[\w-]+ ){1,3}(?:problem|bug|issue))\b",
    re.IGNORECASE,
)


def states_cause(sentence: str) -> bool:
    """Whether a sentence states a cause and its effect ("because", "so the", "leads to", ...)."""
    return _CAUSAL.search(sentence) is not None


def states_complexity(sentence: str) -> bool:
    """Whether a sentence states a complexity ("O(n log n)", "linear", "constant time", ...)."""
    return _COMPLEXITY.search(sentence) is not None


_FRAGMENT = re.compile(r"[,;:.!?\n]+|\s-\s")
_JOINED = re.compile(r"\s(?:and|or)\s", re.IGNORECASE)
_SENTENCE = re.compile(r"[.!?;\n]+")


def _mostly_terms(fragments: list[str]) -> bool:
    """Whether most of five or more fragments are terms: one to three words and no grammar word."""
    kept = [found for found in map(words, fragments) if found]
    short = [found for found in kept if len(found) <= 3 and not _CORE_GRAMMAR.intersection(found)]
    return len(kept) >= 5 and len(short) / len(kept) >= 0.55


def explains(text: str) -> bool:
    """Whether ``text`` reads as an explanation rather than a list or run-on of terms.

    A list of terms is mostly short comma-separated fragments with few grammar words between them
    ("B-tree, balanced tree, sorted keys, log n, ..."); a run-on chains them with "and" or "or" and
    no comma ("B-tree and sorted keys and log n and slower writes and ..."): a text mostly made of
    such sentences is one too.  (An explanation's enumerations have commas, and are judged as a list
    would be, by the whole text.)
    """
    all_words = words(text)
    if not all_words:
        return False
    if _mostly_terms(_FRAGMENT.split(text[:MAX_CHARS])):
        return False
    said = [p for p in _SENTENCE.split(text[:MAX_CHARS]) if words(p)]
    run_on = sum(len(words(p)) for p in said if "," not in p and _mostly_terms(_JOINED.split(p)))
    if 2 * run_on > len(all_words):
        return False
    grammar = sum(1 for w in all_words if w in _FUNCTION_WORDS) / len(all_words)
    return not (len(all_words) >= 8 and grammar < 0.18)


# Hand-waving: a claim that it is fast or that it works, instead of why ("should be fast
# enough", "works on the samples", "I changed it and now it works", "tweaked it a bit").
_HAND_WAVE = re.compile(
    r"""\b(?:
      (?:should|would|must)\s+be\s+(?:\w+\s+)?(?:fast|fine|quick|ok|okay|efficient|good|linear|alright)
     |(?:fast|quick|efficient|good)\s+enough
     |pretty\s+(?:quick|fast|efficient)
     |performance[-\s]wise
     |i\s+think\s+it'?s\s+(?:fast|efficient|fine|linear|quick|ok|okay|good)
     |it'?s\s+(?:fast|efficient|linear|quick),?\s+i\s+think
     |\w+-ish
     |works\s+(?:for|on)\s+(?:the|all\s+the|my)\s+(?:examples|samples|tests|cases)
     |now\s+(?:it|everything|the\s+\w+(?:\s+\w+)?)\s+(?:works|match(?:es)?|looks?\s+right|shows?\s+up|updates?|passes)
     |(?:handled|fixed|changed|tweaked|adjusted|reworked|rewrote)\s+(?:it|that|things|stuff)
     |(?:tweaked|adjusted|reworked|rewrote|changed)\s+[^.;]{0,40}?\b(?:a\s+bit|around)
     |something\s+(?:was|is|goes|went)\s+(?:off|wrong)
     |handles?\s+(?:it|them|that|things|stuff|everything|errors|(?:the|all\s+the)\s+\w+(?:\s+\w+)?)\s+(?:better|too|as\s+well)
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)


def hand_waves(said: list[Sentence]) -> str:
    """The first sentence that hand-waves (says it is fast or works instead of why), or ``""``."""
    return next((s.text for s in said if _HAND_WAVE.search(s.text)), "")


def hedged(text: str) -> bool:
    """Whether the candidate says they do not know."""
    lowered = " " + " ".join(words(text)) + " "
    lowered = lowered.replace("\u2019", "'")
    return any(" " + h + " " in lowered or lowered.startswith(" " + h) for h in _HEDGES)


# A negation word that, with the word after it, says something is acceptable ("no problem", "not an
# issue", "nothing wrong"): it asserts, it does not deny.
_ACCEPTING = frozenset(["problem", "problems", "issue", "issues", "harm", "worries", "wrong", "big"])
# Words that negate by their prefix or meaning ("impossible" is "not possible"): they count towards
# a text's polarity, so "you can't get XSS at all" agrees with "React makes XSS impossible".
_NEGATIVE_WORDS = frozenset(
    [
        "impossible",
        "unnecessary",
        "unneeded",
        "needless",
        "pointless",
        "useless",
        "unaffected",
        "untouched",
        "unchanged",
        "irrelevant",
        "instead",
        "rather",
        "avoid",
        "avoids",
    ]
)
# Where a negation's reach ends: the next clause is not negated ("isn't a problem as long as it is fast").
_SCOPE_ENDS = frozenset(["but", "so", "because", "since", "if", "as", "unless", "while", "whereas", "although", "then"])


# Words that deny what follows them as a negation does: "it's a myth that an index always helps" and
# "a common misconception is that ..." do not assert what follows.
_DENYING = frozenset(["myth", "myths", "misconception", "misconceptions"])


def _is_negation(word: str) -> bool:
    return word in _NEGATION or word.endswith("n't")


def _negates(sentence_words: tuple[str, ...], i: int) -> bool:
    """Whether word ``i`` denies what follows it.

    A negation of a denying word asserts, as "no problem" accepts: "it is no myth that" and "it isn't
    a misconception that" say what follows is true, so neither word denies it.
    """
    w = sentence_words[i]
    if w in _DENYING:
        return not any(_is_negation(b) for b in sentence_words[max(0, i - 2) : i])
    if not _is_negation(w):
        return False
    rest = sentence_words[i + 1 : i + 3]
    return not any(r in _ACCEPTING or r in _DENYING for r in rest)


def negations(sentence_words: tuple[str, ...]) -> int:
    """How many negations a sentence carries ("no problem" is none; "impossible" is one)."""
    return sum(1 for i, w in enumerate(sentence_words) if _negates(sentence_words, i) or w in _NEGATIVE_WORDS)


def _stem(word: str) -> str:
    return word[:5]


def negated_terms(sentence_words: tuple[str, ...], scope: int = 4) -> tuple[set[str], set[str]]:
    """The content words a sentence negates (within ``scope`` words after a negation) and the rest.

    Words are compared by their first five letters, so "writes" and "write" are one term.
    """
    negated: set[str] = set()
    plain: set[str] = set()
    left = 0
    for i, w in enumerate(sentence_words):
        if _negates(sentence_words, i):
            left = scope
            continue
        if w in _SCOPE_ENDS:
            left = 0
        if w not in _FUNCTION_WORDS and len(w) >= 3 and not _is_negation(w):
            (negated if left > 0 else plain).add(_stem(w))
        left -= 1
    return negated, plain - negated


# The markers of an absolute: a claim that holds with no exception ("always", "never", "every", "right away").
_ABSOLUTE = (
    "always",
    "never",
    "every",
    "exactly",
    "guaranteed",
    "guarantees",
    "immediately",
    "right away",
    "no matter",
    "every time",
    "all the time",
    "only ever",
    "at all",
)


def absolutes(sentence_words: tuple[str, ...]) -> tuple[str, ...]:
    """The absolutes a text states ("always", "never", "right away", ...); a negated one is not stated.

    "not always" and "doesn't happen right away" deny an absolute (one of the two words after a
    negation) rather than state one.
    """
    negated = {j for i in range(len(sentence_words)) if _negates(sentence_words, i) for j in (i + 1, i + 2)}
    kept = [w if i not in negated else "_" for i, w in enumerate(sentence_words)]
    joined = " " + " ".join(kept) + " "
    return tuple(a for a in _ABSOLUTE if f" {a} " in joined)


@functools.lru_cache(maxsize=4096)
def stated_absolutes(statement: str) -> tuple[str, ...]:
    """:func:`absolutes` of one of an item's own statements (a claim, a point's wording, the reference).

    Cached, since they are read again for every answer; a candidate's sentences are not (a cache of
    them would hold whatever a hostile text put there).
    """
    return absolutes(tuple(words(statement)))


def overclaims(sentence_words: tuple[str, ...]) -> list[str]:
    """The overclaim markers a sentence uses ("always", "no matter", "exactly", ...)."""
    joined = " " + " ".join(sentence_words) + " "
    return [a for a in _OVERCLAIM if f" {a} " in joined]


def comparisons(sentence_words: tuple[str, ...]) -> set[str]:
    """The comparison words of :data:`_OPPOSITES` a sentence asserts.

    A negated one is not asserted: "never holds more than the limit" does not say "more".
    """
    kept: list[str] = []
    left = 0
    for i, w in enumerate(sentence_words):
        if _negates(sentence_words, i):
            left = 3
            continue
        if w in _SCOPE_ENDS:
            left = 0
        kept.append(w if left <= 0 else "_")
        left -= 1
    joined = " " + " ".join(kept) + " "
    raw = " " + " ".join(sentence_words) + " "
    # A pair that spells its own negation ("never blocks") is read on the words as said.
    return {w for pair in _OPPOSITES for w in pair if f" {w} " in (raw if " " in w else joined)}


def opposite(a: set[str], b: set[str]) -> tuple[str, str] | None:
    """A pair of opposite comparison words, one used by ``a`` only and one by ``b`` only."""
    for x, y in _OPPOSITES:
        if x in a and y in b and x not in b and y not in a:
            return x, y
        if y in a and x in b and y not in b and x not in a:
            return y, x
    return None

"""A session's gaps and evidence in words a candidate reads, not the rubric's internal ids."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from interview_engine.rubric import RubricSpec

__all__ = ["clean_evidence", "gap_sentences"]

_QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"


def gap_sentences(gaps: Iterable[str], spec: RubricSpec, scores: Mapping[str, float]) -> list[str]:
    """Each gap (a dimension name or a failed rule id such as ``floor.practicality``) as a sentence."""
    dimensions = {d.name: d for d in spec.dimensions}
    rules = {r.id: r for r in spec.pass_rules}
    disqualifiers = {d.code: d for d in spec.disqualifiers}
    sentences: list[str] = []
    for gap in gaps:
        if gap in dimensions:
            text = _dimension(gap, dimensions[gap].description, scores, spec)
        elif gap.startswith("floor.") and gap[6:] in dimensions:
            name = gap[6:]
            text = (
                f"{name.capitalize()} is below the minimum for this level: {scores.get(name, 0):.1f} of 5, "
                f"at least {spec.floors.get(name, 0):g} is needed."
            )
        elif gap == "weightedAverage":
            text = f"The weighted average is below the pass bar of {spec.pass_threshold:g}."
        elif gap.startswith("disqualifier.") and gap[13:] in disqualifiers:
            text = f"Disqualifier: {disqualifiers[gap[13:]].description}"
        elif gap in rules:
            text = f"Not met: {_sentence(rules[gap].describe())}"
        else:
            text = _sentence(gap.replace(".", " ").replace("_", " "))
        if text not in sentences:
            sentences.append(text)
    return sentences


def _dimension(name: str, description: str, scores: Mapping[str, float], spec: RubricSpec) -> str:
    bar = max(spec.floors.get(name, 0.0), spec.pass_threshold)
    what = f" ({description.rstrip('.')})" if description else ""
    return f"{name.capitalize()}{what}: {scores.get(name, 0):.1f} of 5, the bar is {bar:g}."


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def clean_evidence(text: str) -> str:
    """Evidence as written: one pair of quotes around a quote (the page adds them), no stray whitespace.

    The quoted words are kept as the candidate wrote them; this only strips the quotes the scorer
    already put around a snippet, so the page's own ``<q>`` does not double them.
    """
    text = re.sub(r"\s+", " ", text).strip()
    while len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    return text

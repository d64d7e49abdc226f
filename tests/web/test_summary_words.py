"""Summaries in words: gaps as sentences, evidence quoted once, a resume link while the session runs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from interview_engine import Difficulty, Track
from interview_voice_screen.plugin import register_modules
from interview_web.gaps import clean_evidence, gap_sentences


def test_every_gap_of_the_phone_screen_reads_as_a_sentence() -> None:
    spec = register_modules()[0].rubric(Track.BACKEND, Difficulty.MID)
    ids = [d.name for d in spec.dimensions] + [f"floor.{name}" for name in spec.floors]
    ids += (
        ["weightedAverage"] + [r.id for r in spec.pass_rules] + [f"disqualifier.{d.code}" for d in spec.disqualifiers]
    )
    sentences = gap_sentences(ids, spec, {d.name: 1.0 for d in spec.dimensions})
    assert len(sentences) == len(ids)
    for sentence in sentences:
        assert "floor." not in sentence and "weightedAverage" not in sentence and "disqualifier." not in sentence
        assert sentence[0].isupper()
    assert any("Practicality is below the minimum for this level: 1.0 of 5" in s for s in sentences)
    assert any(s.startswith("The weighted average is below the pass bar") for s in sentences)


def test_an_unknown_gap_is_still_words() -> None:
    spec = register_modules()[0].rubric(Track.BACKEND, Difficulty.MID)
    assert gap_sentences(["some_plugin.rule_name"], spec, {}) == ["Some plugin rule name"]


@given(st.text(min_size=1, max_size=40).filter(lambda t: t.strip() and t.strip()[0] not in "\"'“”‘’«»"))
def test_evidence_loses_only_the_quotes_around_it(body: str) -> None:
    body = " ".join(body.split())
    if body and body[-1] in "\"'“”‘’«»":
        return
    assert clean_evidence(f'"{body}"') == body
    assert clean_evidence(f"“{body}”") == body
    assert clean_evidence(body) == body  # case and inner punctuation kept as written

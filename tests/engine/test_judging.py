"""The judging core: findings by meaning, false claims, lists of terms, and the rules that score them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from attrs import evolve
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from interview_engine.judging import (
    JudgedItem,
    JudgingRules,
    KeyPoint,
    embedder,
    judge,
    load_rules,
    rules_for,
)

INDEX = JudgedItem(
    kind="screen_answer",
    item_id="index",
    prompt="How does a B-tree index speed up a query, and what does it cost?",
    key_points=[
        KeyPoint("keys are kept sorted in a balanced tree"),
        KeyPoint("lookup is logarithmic instead of a full table scan"),
        KeyPoint("writes get slower and storage grows"),
    ],
    misconceptions=["an index always makes queries faster", "indexes have no cost on writes"],
    reference=(
        "A B-tree index keeps the indexed keys sorted in a shallow balanced tree, so the database finds a key "
        "in a logarithmic number of page reads instead of scanning the whole table. The cost is extra storage "
        "and slower writes: every insert and delete must also maintain the index."
    ),
)

GOOD = (
    "The index keeps the column's values in order inside a wide, shallow tree of pages, so finding one value "
    "takes three or four page reads rather than reading every row of the table. The price is paid on writes: "
    "each insert or delete also has to update the tree, and it takes disk space."
)
WRONG = (
    "The index keeps the values in order in a tree, so lookups read only a few pages. Writes are not affected "
    "at all, there is no cost on inserts, and an index always makes every query faster."
)
STUFFED = "B-tree, balanced tree, sorted keys, logarithmic, log n, full table scan, slower writes, extra storage."


def test_the_model_loads_once_and_embeds_offline() -> None:
    assert embedder() is embedder()
    vectors = embedder().embed(["a man eats bread", "a man eats food", "the cat sleeps in the garden"])
    assert vectors.shape == (3, embedder().dimensions)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_an_explanation_in_own_words_earns_its_key_points_with_the_sentences_as_evidence() -> None:
    found = judge(INDEX, GOOD)
    assert found.score >= 3.5
    credited = {p.point: p.evidence for p in found.key_points if p.credited}
    assert len(credited) >= 2
    assert all(evidence and evidence in GOOD for evidence in credited.values())
    assert found.misconceptions == ()


def test_a_fluent_wrong_answer_is_caught_and_credits_nothing_from_its_false_sentences() -> None:
    found = judge(INDEX, WRONG)
    assert found.misconceptions, found
    assert found.score <= rules_for("screen_answer").misconception_cap
    false = {m.evidence for m in found.misconceptions}
    assert all(m.evidence in WRONG for m in found.misconceptions)
    assert not any(p.evidence in false for p in found.key_points if p.credited)


def test_denying_a_misconception_is_not_asserting_it() -> None:
    found = judge(INDEX, "An index does not always make queries faster: every insert must maintain it too.")
    assert not any(m.claim == "an index always makes queries faster" for m in found.misconceptions)


def test_an_inverted_comparison_contradicts_the_key_point() -> None:
    item = JudgedItem(
        kind="screen_answer",
        item_id="writes",
        prompt="What does an index cost?",
        key_points=[KeyPoint("writes get slower because every write also updates the index")],
    )
    found = judge(item, "Writes get faster because every write also updates the index.")
    assert [m.how for m in found.misconceptions] == ["contradiction"]
    assert "faster" in found.misconceptions[0].claim


def test_a_list_of_terms_is_not_an_explanation() -> None:
    found = judge(INDEX, STUFFED)
    assert not found.explains and found.score <= rules_for("screen_answer").list_cap
    assert not any(p.credited for p in found.key_points)


def test_off_topic_and_dont_know_earn_little() -> None:
    other = judge(INDEX, "A closure is a function that keeps the variables of the scope it was written in.")
    assert other.score <= 1.0 and not other.credited
    unsure = judge(INDEX, "Honestly I'm not sure, I know indexes exist but I couldn't tell you how they work.")
    assert unsure.unsure and unsure.score <= 0.5


def test_empty_and_hostile_text_is_bounded() -> None:
    assert judge(INDEX, "").score == 0.0
    assert judge(INDEX, "\x00\x00 ... ;;; ").score == 0.0
    huge = judge(INDEX, ("sorted tree pages. " * 50_000) + "\x00")
    assert 0.0 <= huge.score <= 5.0


def test_location_is_judged_separately() -> None:
    item = JudgedItem(
        kind="debug_diagnosis",
        item_id="bug",
        prompt="Shares do not add up",
        key_points=[KeyPoint("every person gets the same rounded share, so the rounding error is multiplied")],
    )
    text = "Everyone gets the same rounded share, so the rounding error is multiplied by the number of people."
    right = judge(item, text, location=("billing.py:19", True))
    wrong = judge(item, text, location=("billing.py:40", False))
    assert right.score > wrong.score
    assert right.key_points[-1].credited and right.key_points[-1].evidence == "billing.py:19"


def test_json_shape() -> None:
    shown = judge(INDEX, GOOD).to_json()
    json.dumps(shown)
    assert set(shown) >= {"score", "keyPoints", "misconceptions", "scorer"}
    assert all(set(p) == {"point", "credited", "evidence"} for p in shown["keyPoints"])


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gets_a_score_within_0_to_5_and_evidence_from_the_text(text: str) -> None:
    found = judge(INDEX, text)
    assert 0.0 <= found.score <= 5.0
    for p in found.key_points:
        assert p.credited == bool(p.evidence)
        assert not p.evidence or p.evidence in " ".join(text.split())


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=200))
def test_adding_a_false_claim_never_raises_the_score(text: str) -> None:
    before = judge(INDEX, text).score
    after = judge(INDEX, text + " Also, indexes have no cost on writes, writes are not affected.")
    assert after.score <= max(before, rules_for("screen_answer").misconception_cap)


def test_rules_come_from_the_spec_file_and_bad_rules_name_the_field(tmp_path: Path) -> None:
    bundled = load_rules()
    assert set(bundled) >= {"screen_answer", "coding_narration", "debug_diagnosis"}
    assert rules_for("unknown-kind") == JudgingRules()
    bad = tmp_path / "rules.toml"
    bad.write_text("[screen_answer]\ncredit = 3.0\n")
    with pytest.raises(ValueError, match=r"\[screen_answer\].*JudgingRules.credit"):
        load_rules(bad)
    bad.write_text("[screen_answer]\nbogus = 1\n")
    with pytest.raises(ValueError, match="unknown rule"):
        load_rules(bad)
    strict = JudgingRules(misconception_cap=0.5)
    assert judge(INDEX, WRONG, rules=strict).score <= 0.5


def test_a_diagnosis_that_states_another_cause_names_a_wrong_mechanism() -> None:
    item = JudgedItem(
        kind="debug_diagnosis",
        item_id="split",
        prompt="Split bills lose or invent cents",
        key_points=[
            KeyPoint(
                "every person gets the same rounded share, so the rounding error is multiplied", aspect="mechanism"
            ),
            KeyPoint("hand the remainder out one cent at a time", aspect="fix"),
        ],
    )
    rules = rules_for("debug_diagnosis")
    assert rules.other_cause == 1.0
    other = judge(item, "The log writer buffers lines, so the totals are printed before the last share is added.")
    assert [m.how for m in other.misconceptions] == ["other_cause"] and other.score <= rules.misconception_cap
    right = judge(item, "Everyone gets the same rounded share, so the rounding error is multiplied by the people.")
    assert right.misconceptions == () and right.score >= 3.0
    vague = judge(item, "Something was off in the billing split. I reworked the function and now it works.")
    assert vague.misconceptions == ()
    # A cause need not say "because": naming the kind of bug, or where the wrong value comes from.
    for said in (
        "It's a late-binding closure problem: the callback reads the loop variable after the loop ended.",
        "The formatter negates the value twice, which is where the extra dollar comes from.",
    ):
        assert [m.how for m in judge(item, said).misconceptions] == ["other_cause"]


def test_a_question_asserts_nothing() -> None:
    said = "Is it that the keys are kept sorted in a balanced tree, so lookups are logarithmic?"
    assert not judge(INDEX, said).credited
    assert judge(INDEX, said.rstrip("?") + ".").credited


def test_one_sentence_near_a_whole_topic_credits_the_points_it_is_closest_to() -> None:
    text = "The index keeps the keys sorted in a balanced tree."
    loose = judge(INDEX, text, rules=JudgingRules(credit=0.3, full=0.6))
    strict = judge(INDEX, text, rules=JudgingRules(credit=0.3, full=0.6, assign_margin=0.0))
    assert len(strict.credited) == 1 and strict.credited[0].point == "keys are kept sorted in a balanced tree"
    assert len(loose.credited) >= len(strict.credited) and loose.score >= strict.score


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=300), st.sampled_from([0.0, 0.05, 0.1, 0.3]))
def test_a_tighter_assignment_never_credits_more(text: str, margin: float) -> None:
    wide = judge(INDEX, text, rules=JudgingRules(assign_margin=1.0))
    tight = judge(INDEX, text, rules=JudgingRules(assign_margin=margin))
    assert {p.point for p in tight.credited} <= {p.point for p in wide.credited}
    assert tight.score <= wide.score


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=300), st.sampled_from([0.0, 0.1]), st.sampled_from([0.5, 0.6, 0.7, 0.9]))
def test_a_clause_credits_a_point_it_is_not_closest_to_only_when_it_states_it_closely(
    text: str, margin: float, shared: float
) -> None:
    """``shared_credit`` only gives back credit the margin withheld, and a higher bar gives back less."""
    tight = judge(INDEX, text, rules=JudgingRules(assign_margin=margin))
    sharing = judge(INDEX, text, rules=JudgingRules(assign_margin=margin, shared_credit=shared))
    stricter = judge(INDEX, text, rules=JudgingRules(assign_margin=margin, shared_credit=shared + 0.05))
    wide = judge(INDEX, text, rules=JudgingRules(assign_margin=1.0))
    points = [{p.point for p in j.credited} for j in (tight, stricter, sharing, wide)]
    assert points[0] <= points[1] <= points[2] <= points[3]
    assert tight.score <= stricter.score <= sharing.score <= wide.score


def test_a_clause_that_states_two_points_closely_credits_both() -> None:
    text = "A lookup in the sorted balanced tree of keys is logarithmic instead of a full table scan."
    rules = JudgingRules(credit=0.4, full=0.6, assign_margin=0.0)
    alone = {p.point for p in judge(INDEX, text, rules=rules).credited}
    both = {p.point for p in judge(INDEX, text, rules=evolve(rules, shared_credit=0.7)).credited}
    assert alone == {"lookup is logarithmic instead of a full table scan"}
    assert both == alone | {"keys are kept sorted in a balanced tree"}


def test_a_negation_denies_a_claim_only_when_it_negates_what_the_claim_asserts() -> None:
    from interview_engine.judging._text import words
    from interview_engine.judging.judge import _denies

    def said(text: str) -> tuple[str, ...]:
        return tuple(words(text))

    claim = "an index always makes queries faster"
    assert _denies(said("an index does not make every query faster"), claim, 6)
    assert _denies(said("there is a cost on writes"), "indexes have no cost on writes", 6)
    # A negation elsewhere in the sentence ("can't", "isn't there") is not a denial of the claim.
    react = "React makes XSS impossible"
    assert not _denies(said("React escapes everything, so you can't get it wrong"), react, 6)
    # "impossible" negates as "can't" does: the same polarity asserts the claim, at any scope.
    for scope in (2, 6):
        assert not _denies(said("you can't get XSS in a React app at all"), react, scope)
        assert _denies(said("React doesn't make XSS impossible"), react, scope)
    # "no problem" asserts that something is fine; it denies nothing.
    fine = "network calls on the main thread are fine if they are fast"
    assert not _denies(said("a network call on the main thread is no problem if the connection is fast"), fine, 6)
    assert _denies(said("a network call on the main thread is never fine, however fast"), fine, 6)


def test_a_negated_comparison_is_not_asserted() -> None:
    from interview_engine.judging._text import comparisons, words

    assert comparisons(tuple(words("a deque never holds more than the limit"))) == set()
    assert comparisons(tuple(words("writes get slower but reads are not faster"))) == {"slower"}
    assert "never blocks" in comparisons(tuple(words("readers never blocks writers")))


def test_parentheses_of_a_call_or_a_complexity_are_not_clauses() -> None:
    from interview_engine.judging._text import clauses, sentences

    said = sentences("It's equivalent to the sliding log but with O(1) memory instead of O(limit).")[0]
    assert "with O(1) memory instead of O(limit)." in clauses(said)
    assert not any(c.endswith("O(1") for c in clauses(said))


def test_saying_it_handles_things_is_hand_waving() -> None:
    from interview_engine.judging._text import hand_waves, sentences

    assert hand_waves(sentences("I matched up the tags. It handles the special tags too."))
    assert hand_waves(sentences("I changed flush so it handles errors better."))
    assert not hand_waves(sentences("A self-closing tag is skipped, which handles <br/> without a pop."))


def test_a_hedge_is_the_candidates_own() -> None:
    from interview_engine.judging._text import hedged

    assert hedged("Honestly, I don't know what the downside is.")
    assert hedged("I know there are a bunch of steps, but I couldn't name them or put them in order.")
    assert not hedged("I couldn't reproduce it until I logged the cursor, then it failed every time.")
    assert not hedged("An increment after a set is a set, since we don't know the server value.")


def test_hand_waving_is_capped_and_shown_with_its_sentence() -> None:
    item = JudgedItem(
        kind="coding_narration",
        item_id="merge",
        prompt="Merge overlapping intervals",
        key_points=[KeyPoint("sort the intervals by start and merge each one into the last when they overlap")],
    )
    rules = JudgingRules(vague_cap=2.0)
    plain = judge(
        item, "I sort the intervals by start and merge each one into the previous when they overlap.", rules=rules
    )
    waved = judge(
        item,
        "I sort the intervals by start and merge each one into the previous when they overlap. Should be fast enough.",
        rules=rules,
    )
    assert plain.score > 2.0 and waved.score <= 2.0
    assert any("Should be fast enough." in note for note in waved.notes)


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_a_text_shorter_than_brief_words_never_scores_above_brief_cap(text: str) -> None:
    from interview_engine.judging._text import words

    rules = JudgingRules(brief_words=30, brief_cap=2.5)
    if len(words(text)) < 30:
        assert judge(INDEX, text, rules=rules).score <= 2.5
    # GOOD has more than 30 words: the rule does not touch it.
    assert judge(INDEX, GOOD, rules=rules).score == judge(INDEX, GOOD, rules=JudgingRules()).score > 2.5


class _CountingModel:
    """A stand-in for the embedding model: one fixed vector per text, and a count of what it embedded."""

    def __init__(self) -> None:
        import numpy as np

        self.embedding = np.zeros((1, 4))
        self.embedded: list[str] = []

    def embed(self, texts: list[str], norm: bool = True) -> list[list[float]]:
        self.embedded.extend(texts)
        return [[float(len(text)), 1.0, 0.0, 0.0] for text in texts]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from("abcdefgh"), min_size=1, max_size=6), min_size=1, max_size=12))
def test_the_embedder_cache_never_loses_a_text_it_is_asked_for(batches: list[list[str]]) -> None:
    """A full cache evicts the oldest texts, never one of the call in hand (that was a KeyError)."""
    from interview_engine.judging._model import Embedder

    model = _CountingModel()
    cache = Embedder(model, cache_size=3)
    for batch in batches:
        rows = cache.embed(batch)
        assert rows.shape == (len(batch), 4)
        assert [round(float(row[0] / row[1]), 6) for row in rows] == [float(len(text)) for text in batch]


# The bank's other statements of a false claim, and denials of them (issue 13, third round).
INDEX_WORDED = evolve(
    INDEX,
    claim_wordings=[
        ["adding an index can only make queries quicker, never slower"],
        ["inserting rows into an indexed table is free"],
    ],
)


def test_a_misconception_is_found_by_any_of_its_wordings_and_named_by_its_claim() -> None:
    said = "The keys are kept in a balanced tree. Inserting rows into an indexed table is completely free."
    worded = judge(INDEX_WORDED, said)
    assert [m.claim for m in worded.misconceptions] == ["indexes have no cost on writes"]
    assert worded.misconceptions[0].evidence == "Inserting rows into an indexed table is completely free."
    assert worded.score <= rules_for("screen_answer").misconception_cap


def test_claim_wordings_must_match_the_claims() -> None:
    with pytest.raises(ValueError, match="one tuple per misconception"):
        JudgedItem(kind="k", item_id="i", prompt="p", key_points=[KeyPoint("x")], misconceptions=["a", "b"],
                   claim_wordings=[["only one"]])  # fmt: skip


_DENIALS = (
    "It is not true that {}.",
    "I would never say that {}.",
    "People think {}, but that is not the case.",
)


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from([s for j in range(2) for s in INDEX_WORDED.claim_statements(j)]),
    st.sampled_from(["It is not true that {}.", "I would never say that {}."]),
)
def test_a_denied_misconception_is_never_flagged(statement: str, denial: str) -> None:
    found = judge(INDEX_WORDED, "The keys are kept sorted in a balanced tree. " + denial.format(statement))
    assert not any(m.how == "misconception" for m in found.misconceptions), found.misconceptions


FILLER = (
    "Um, let me think about that for a second.",
    "That's a good question.",
    "Well, you know, that's basically how I see it.",
    "I hope that makes sense.",
    "Okay, so yeah.",
    "Anyway, that's my answer.",
    "Right, so, moving on.",
)


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(st.text(min_size=1, max_size=300), st.sampled_from([GOOD, WRONG, STUFFED, GOOD[:120]])),
    st.lists(st.sampled_from(FILLER), min_size=1, max_size=4),
    st.sampled_from(["screen_answer", "coding_narration", "debug_diagnosis"]),
)
def test_adding_filler_never_raises_a_score(text: str, filler: list[str], kind: str) -> None:
    """Padding is not content: it never turns a list into an explanation or lifts a brief answer's cap.

    (A text with no words at all is no answer, 0; filler alone is an answer that states nothing.)
    """
    from interview_engine.judging._text import words

    assume(words(text))
    rules = rules_for(kind)
    before = judge(INDEX, text, rules=rules).score
    assert judge(INDEX, text + "\n" + " ".join(filler), rules=rules).score <= before
    assert judge(INDEX, " ".join(filler) + "\n" + text, rules=rules).score <= before


def test_filler_does_not_lift_the_cap_of_a_brief_answer() -> None:
    brief = "The keys sit sorted in a balanced tree, so a lookup reads a few pages instead of the whole table."
    rules = JudgingRules(brief_words=40, brief_cap=2.5)
    padded = brief + " " + " ".join(FILLER)
    assert judge(INDEX, brief, rules=rules).score <= 2.5
    assert judge(INDEX, padded, rules=rules).score <= 2.5
    assert judge(INDEX, padded, rules=evolve(rules, filler=-1.0)).score > 2.5  # what the rule prevents


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from([GOOD, WRONG, STUFFED, GOOD.split(". ")[0] + "."]),
    st.integers(min_value=2, max_value=60),
    st.sampled_from(["screen_answer", "coding_narration", "debug_diagnosis"]),
    st.sampled_from(["\n", " ", "\n\n"]),
)
def test_saying_the_same_sentences_again_never_changes_a_score(text: str, times: int, kind: str, sep: str) -> None:
    """A repeated answer states nothing new: it is no longer past a brief cap and earns no more."""
    rules = rules_for(kind)
    once = judge(INDEX, text, rules=rules)
    again = judge(INDEX, sep.join([text] * times), rules=rules)
    assert again.score == once.score
    assert [p.credited for p in again.key_points] == [p.credited for p in once.key_points]


def test_a_brief_answer_said_many_times_is_still_brief() -> None:
    brief = "The keys sit sorted in a balanced tree, so a lookup reads a few pages instead of the whole table."
    rules = JudgingRules(brief_words=40, brief_cap=2.5)
    assert judge(INDEX, brief, rules=rules).score <= 2.5
    assert judge(INDEX, " ".join([brief] * 30), rules=rules).score <= 2.5
    assert judge(INDEX, " ".join([brief.upper()] * 30), rules=rules).score <= 2.5


def test_a_text_stating_its_own_points_is_not_pulled_to_a_neighbour_of_the_same_topic() -> None:
    # A neighbour whose reference is worded like the answer: closer as a whole, but the answer
    # states this item's own points.
    pulled = evolve(INDEX, rivals=[GOOD])
    rules = JudgingRules(credit=0.4, full=0.55)
    assert not judge(pulled, GOOD, rules=rules).on_topic
    guarded = judge(pulled, GOOD, rules=evolve(rules, own_points=2))
    assert guarded.on_topic and guarded.score > rules.off_topic_cap
    assert sum(p.credited and p.similarity >= rules.full for p in guarded.key_points) >= 2
    # An answer to the neighbour that states none of this item's points stays off topic.
    other = evolve(INDEX, rivals=["Cache-aside: read the cache first and fill it from the database on a miss."])
    answer = "Read the cache first, and on a miss load the row from the database and put it in the cache."
    assert not judge(other, answer, rules=evolve(rules, own_points=2)).on_topic


def test_without_claim_vs_wordings_a_key_points_wording_does_not_clear_a_false_claim() -> None:
    """A wording of a true point sits near a fluent wrong sentence in the same words; it can mask the claim."""
    writes = KeyPoint("writes get slower and storage grows", anchors=["an index costs something extra on every write"])
    worded = evolve(INDEX, key_points=[*INDEX.key_points[:2], writes])
    said = "The keys sit in a sorted balanced tree. An index costs nothing extra on writes."
    rules = JudgingRules(credit=0.4, full=0.6, claim=0.5)
    masked = judge(worded, said, rules=evolve(rules, claim_vs_wordings=1.0))
    found = judge(worded, said, rules=evolve(rules, claim_vs_wordings=0.0))
    assert masked.misconceptions == ()
    assert [m.claim for m in found.misconceptions] == ["indexes have no cost on writes"]
    assert found.misconceptions[0].evidence == "An index costs nothing extra on writes."
    assert found.score < masked.score


@given(st.floats(0.0, 5.0), st.floats(0.0, 5.0))
def test_stating_no_key_point_never_scores_above_stating_part_of_one(nothing: float, base: float) -> None:
    if nothing > base:
        with pytest.raises(ValueError, match=r"JudgingRules.nothing .* must not pass base"):
            JudgingRules(nothing=nothing, base=base, span=0.0)
    else:
        assert JudgingRules(nothing=nothing, base=base, span=0.0).nothing <= base
    for kind in ("screen_answer", "coding_narration", "debug_diagnosis"):
        assert rules_for(kind).nothing <= rules_for(kind).base


def test_saying_how_it_was_fixed_is_not_hand_waving() -> None:
    item = evolve(
        INDEX,
        kind="debug_diagnosis",
        prompt="Shares do not add up",
        key_points=[
            KeyPoint("every person gets the same rounded share, so the rounding error is multiplied"),
            KeyPoint("work in integer cents and give the leftover cents to the first people"),
        ],
        misconceptions=(),
        reference="",
    )
    cause = "Everyone gets the same rounded share, so the rounding error is multiplied by the number of people."
    rules = JudgingRules(vague_cap=2.0)
    how = judge(item, cause + " I fixed it by working in integer cents and giving the leftover cents out.", rules=rules)
    waved = judge(item, cause + " I changed it and now it works.", rules=rules)
    assert all(p.credited for p in how.key_points) and how.score > 2.0
    assert not any("instead of why" in n for n in how.notes)
    assert waved.score <= 2.0 and any("instead of why" in n for n in waved.notes)


DISPATCHERS = JudgedItem(
    kind="screen_answer",
    item_id="dispatchers",
    prompt="What do Kotlin dispatchers do?",
    key_points=[KeyPoint("Main for UI work"), KeyPoint("IO for blocking I/O and Default for CPU-heavy work")],
    misconceptions=["a coroutine always runs on a new thread"],
    reference=(
        "In Kotlin coroutines a dispatcher decides which threads a coroutine runs on: Dispatchers.Main for UI "
        "work, Dispatchers.IO for blocking calls and Dispatchers.Default for CPU-heavy work."
    ),
)


def test_restating_a_clause_of_the_reference_is_never_a_false_claim() -> None:
    """A clause of a long reference sentence sits nearer a short false claim in the same words than the
    whole sentence does: said back, it is still true (mo-conc-06's model answer was flagged this way)."""
    said = "In Kotlin coroutines a dispatcher decides which threads a coroutine runs on: Dispatchers.Main for UI work."
    assert judge(DISPATCHERS, said).misconceptions == ()
    # (a claim that states no absolute: one that does is asserted only by a sentence stating one)
    plain = evolve(DISPATCHERS, misconceptions=["a coroutine runs on a new thread"])
    assert judge(plain, said).misconceptions == ()
    unguarded = judge(plain, said, rules=evolve(rules_for("screen_answer"), restates=1.0))
    assert [m.claim for m in unguarded.misconceptions] == ["a coroutine runs on a new thread"]
    wrong = judge(DISPATCHERS, "Every coroutine runs on a brand new thread of its own, so Main and IO are the same.")
    assert [m.claim for m in wrong.misconceptions] == ["a coroutine always runs on a new thread"]


# Token coverage: how much of a key point a clause holds, token by token (issue 13, alignment round).
_WORDS = st.sampled_from(
    [
        "index",
        "tree",
        "sorted",
        "keys",
        "writes",
        "slower",
        "storage",
        "page",
        "reads",
        "table",
        "scan",
        "the",
        "a",
        "of",
        "is",
        "every",
        "insert",
        "update",
    ]
)
_PHRASE = st.lists(_WORDS, min_size=1, max_size=8).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(_PHRASE, min_size=1, max_size=3), st.lists(_PHRASE, min_size=1, max_size=4))
def test_coverage_is_bounded_and_a_unit_holding_the_point_covers_it_fully(points: list[str], units: list[str]) -> None:
    covered = embedder().coverage(points, [*units, *points])
    assert covered.shape == (len(units) + len(points), len(points))
    assert ((covered >= -1.0) & (covered <= 1.0 + 1e-6)).all()
    for j in range(len(points)):
        assert covered[len(units) + j, j] == pytest.approx(1.0, abs=1e-4)
    # Each unit is read on its own: what else is in the call changes nothing.
    alone = np.stack([embedder().coverage(points, [u])[0] for u in units])
    assert np.abs(covered[: len(units)] - alone).max() < 1e-5


@settings(max_examples=60, deadline=None)
@given(_PHRASE, _PHRASE, _PHRASE)
def test_a_clause_that_gains_words_covers_a_point_at_least_as_much(point: str, clause: str, more: str) -> None:
    before, after = embedder().coverage([point], [clause, f"{clause} {more}"])[:, 0]
    assert after >= before - 1e-6


def test_coverage_sees_a_point_stated_inside_a_long_clause() -> None:
    """Mean pooling dilutes a point said amid other words; token coverage does not."""
    point = "every insert and delete must also maintain the index"
    long = (
        "when the nightly job loads a few million rows the database has to maintain the index for every insert "
        "and every delete it makes"
    )
    vectors = embedder().embed([point, long, "the weather was nice for the team outing"])
    covered = embedder().coverage([point], [long, "the weather was nice for the team outing"])[:, 0]
    assert covered[0] > covered[1] + 0.3
    assert covered[0] > float(vectors[0] @ vectors[1])


@settings(max_examples=30, deadline=None)
@given(
    st.lists(_PHRASE, min_size=1, max_size=3),
    _PHRASE,
    st.sampled_from([0.0, 0.25, 0.5]),
)
def test_a_text_that_gains_a_sentence_never_states_a_key_point_less_closely(
    said: list[str], extra: str, alignment: float
) -> None:
    rules = evolve(rules_for("screen_answer"), alignment=alignment)
    text = " ".join(f"{s}." for s in said)
    before = judge(INDEX, text, rules=rules)
    after = judge(INDEX, f"{text} {extra}.", rules=rules)
    for old, new in zip(before.key_points, after.key_points, strict=True):
        assert new.similarity >= old.similarity - 1e-6


def test_alignment_must_be_a_share() -> None:
    with pytest.raises(ValueError, match=r"JudgingRules\.alignment"):
        JudgingRules(alignment=1.5)


def test_a_double_negation_or_a_myth_denies_the_claim_it_scopes() -> None:
    from interview_engine.judging._text import words
    from interview_engine.judging.judge import _denies

    recoverable = "encrypt passwords so they can be recovered"
    # Two negations ("never", "no") do not cancel out: each denies what it scopes.
    said = tuple(words("You never want to be able to get the password back, so no encryption, a one-way hash."))
    assert _denies(said, recoverable, 6)
    assert _denies(tuple(words("It's a myth that an index always makes queries faster.")), INDEX.misconceptions[0], 6)
    assert not _denies(
        tuple(words("An index always makes queries faster, that's no myth.")), INDEX.misconceptions[0], 2
    )
    with pytest.raises(ValueError, match="deny_scope"):
        JudgingRules(deny_scope=0)  # counting negations, which takes a double negation for an assertion, is gone


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from([*INDEX.misconceptions, "a coroutine runs on a new thread", "React makes XSS impossible"]),
    st.sampled_from(["It's a myth that", "A common misconception is that", "It is not true that"]),
)
def test_a_claim_said_to_be_a_myth_is_denied(claim: str, denial: str) -> None:
    from interview_engine.judging._text import words
    from interview_engine.judging.judge import _denies

    assert _denies(tuple(words(f"{denial} {claim}.")), claim, int(rules_for("screen_answer").deny_scope))


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from([*INDEX.misconceptions, "a coroutine runs on a new thread", "React makes XSS impossible"]),
    st.sampled_from(["It is no myth that", "It's not a myth that", "It isn't a misconception that"]),
)
def test_a_claim_said_to_be_no_myth_is_asserted(claim: str, assertion: str) -> None:
    """Found as an attacker: "It is no myth that the cache is always consistent ..." was read as a denial."""
    from interview_engine.judging._text import words
    from interview_engine.judging.judge import _denies

    assert not _denies(tuple(words(f"{assertion} {claim}.")), claim, int(rules_for("screen_answer").deny_scope))


def test_a_misconception_said_to_be_no_myth_is_flagged() -> None:
    plain = judge(INDEX, "An index always makes queries faster.")
    assert plain.misconceptions, "the plain claim must be flagged for this test to mean anything"
    for said in (
        "It is no myth that an index always makes queries faster.",
        "It's not a myth: an index always makes queries faster.",
    ):
        assert [m.claim for m in judge(INDEX, said).misconceptions] == [m.claim for m in plain.misconceptions], said


def test_a_clause_that_states_the_claims_absolute_sides_with_the_claim() -> None:
    # Worded like the reference's first clause (it "restates" it), but its "always" is the claim's.
    found = judge(
        DISPATCHERS, "In Kotlin coroutines a dispatcher always starts a new thread for each coroutine it runs."
    )
    assert [m.claim for m in found.misconceptions] == ["a coroutine always runs on a new thread"]
    assert found.score <= rules_for("screen_answer").misconception_cap
    for true in (
        "In Kotlin coroutines a dispatcher decides which threads a coroutine runs on.",
        "A dispatcher doesn't always start a new thread for each coroutine it runs.",
    ):
        assert judge(DISPATCHERS, true).misconceptions == (), true


def test_an_absolute_claim_is_not_asserted_by_a_sentence_that_states_no_absolute() -> None:
    from interview_engine.judging._text import absolutes, words

    item = evolve(
        INDEX,
        item_id="cache",
        prompt="How does cache-aside work, and what is its pitfall?",
        key_points=[KeyPoint("a TTL bounds how long stale data is served")],
        misconceptions=["the cache is always consistent with the database"],
        reference="",
    )
    loose = JudgingRules(claim=0.3, claim_margin=0.0)
    mention = "With cache-aside the app reads the cache and, on a miss, the database, and keeps the two consistent."
    assert judge(item, mention, rules=loose).misconceptions == ()
    assert judge(item, "The cache is always consistent with the database.", rules=loose).misconceptions
    assert absolutes(tuple(words("it is always fresh"))) == ("always",)
    assert absolutes(tuple(words("it is not always fresh, and doesn't update right away"))) == ()


def test_terms_joined_by_and_are_a_run_on_not_an_explanation() -> None:
    from interview_engine.judging._text import explains

    run_on = (
        "So it's basically B-tree and balanced tree and sorted keys and log n lookup instead of a full table scan "
        "and range queries and slower writes and extra storage."
    )
    found = judge(INDEX, run_on)
    assert not found.explains and found.score <= rules_for("screen_answer").list_cap
    assert judge(INDEX, GOOD).explains  # an explanation's "and" joins clauses, not terms
    # An explanation's enumeration has commas, and its "and"s join clauses too (a model answer's sentence).
    assert explains(
        "structuredClone, built into browsers and Node, copies deeply and handles Dates, Maps, Sets, typed arrays "
        "and cycles, but it throws on functions and DOM nodes and does not keep class prototypes."
    )


_TERM = st.lists(
    st.sampled_from(["index", "tree", "sorted", "keys", "log", "scan", "writes", "cost"]), min_size=1, max_size=2
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_TERM.map(" ".join), min_size=6, max_size=10), st.sampled_from([", ", " and ", " or "]))
def test_terms_are_a_list_however_they_are_joined(terms: list[str], joint: str) -> None:
    from interview_engine.judging._text import explains

    assert not explains("So it's " + joint.join(terms) + ".")


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=400), st.sampled_from([GOOD, WRONG]))
def test_the_sentence_the_length_limit_cuts_is_not_read(pad: int, text: str) -> None:
    """Past :data:`MAX_CHARS` a text is cut; the piece of a sentence left at the cut was never said."""
    from interview_engine.judging._text import MAX_CHARS, sentences

    whole = {s.text for s in sentences(text)}
    long = "x" * pad + ". " + "\n".join([text, text.replace("index", "key index")] * (MAX_CHARS // len(text) + 1))
    read = [s.text for s in sentences(long)][1:]
    assert read and all(s in whole or s in {t.replace("index", "key index") for t in whole} for s in read)

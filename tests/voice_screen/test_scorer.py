"""The local answer scorer and its replacement through the answer_scorer hook."""

from __future__ import annotations

from interview_engine import AnswerScore, Engine, hookimpl
from interview_voice_screen import knowledge_base
from interview_voice_screen.matching import Text, find_phrase
from interview_voice_screen.scorer import score_screen_answer, scoring_request

KB = knowledge_base()
INDEX = KB.question("be-db-01")


def score(text: str) -> AnswerScore:
    return score_screen_answer(scoring_request(INDEX, text, track="backend", difficulty="mid"))


def test_full_answer_scores_five_with_quoted_evidence() -> None:
    found = score(
        "A B-tree keeps keys sorted, so lookups are logarithmic instead of a full table scan; "
        "it serves range queries too, but writes are slower."
    )
    assert found.score == 5.0 and found.missed == ()
    assert '"A B-tree keeps keys sorted, so lookups are logarithmic instead..."' in found.evidence


def test_partial_answer_and_empty_answer() -> None:
    half = score("It keeps things sorted and supports range lookups.")
    assert half.score == 3.0 and len(half.matched) == 2
    assert score("   ").score == 0.0


def test_misconceptions_count_unless_negated() -> None:
    wrong = score("Keys are sorted. An index always makes queries faster.")
    assert wrong.misconceptions == ("an index always makes queries faster",)
    assert wrong.score == 0.5  # 1 + 4 * 1/4 - 1.5
    right = score("Keys are sorted, but an index is not always faster.")
    assert right.misconceptions == () and right.score == 2.0


def test_short_tokens_match_whole_words_only() -> None:
    assert find_phrase(Text.of("we store ids").words, "id") is not None
    assert find_phrase(Text.of("a good idea").words, "id") is None
    assert find_phrase(Text.of("make it idempotent").words, "idempoten") is not None


class FixedScorer:
    @hookimpl
    def answer_scorer(self, request):  # type: ignore[no-untyped-def]
        if request.kind != "screen_answer":
            return None
        return AnswerScore(score=4.5, scorer="team-llm", matched=request.key_points)


def test_a_team_scorer_replaces_the_heuristic(sqlite_url: str) -> None:
    engine = Engine.create(sqlite_url, plugins=[FixedScorer()], migrate=True)
    try:
        user = engine.store.ensure_user("llm@example.com")
        session = engine.start_session(user_id=user.id, module="voice_screen", track="backend", difficulty="mid")
        engine.act(session.id, "next")
        engine.act(session.id, "answer", {"text": "anything at all"})
        engine.end_session(session.id)
        result = engine.get_session(session.id).state["results"][0]
        assert result["score"]["scorer"] == "team-llm" and result["final"] == 4.5
    finally:
        engine.close()


def test_the_judge_reads_the_banks_phrasings_of_several_words_as_wordings_of_a_point() -> None:
    from interview_engine.judging import item_of

    request = scoring_request(INDEX, "Writes pay for it.", track="backend", difficulty="mid")
    anchors = request.context["keyPointAnchors"]
    assert len(anchors) == len(INDEX.key_points)
    for point, wordings in zip(INDEX.key_points, anchors, strict=True):
        # "sorted" alone states nothing; the point's own sentence-long wordings follow the phrases.
        assert wordings == [*(p for p in point.phrases if len(p.split()) >= 2), *point.wordings]
        assert point.wordings
    writes = next(p for p in item_of(request).key_points if p.point == "writes get slower and storage grows")
    assert "maintain the index" in writes.anchors and "sorted" not in writes.anchors


def test_every_question_words_its_key_points_and_its_misconceptions_in_other_words() -> None:
    """Each key point has wordings; a claim's wordings reach the judge, none nearer the truth than the claim.

    (A static embedding puts a statement that names the topic close to every true sentence about it:
    such a wording would flag true sentences that merely mention the topic, so the bank has none.)
    """
    import numpy as np

    from interview_engine.judging import embedder, item_of
    from interview_engine.judging._text import sentences

    model = embedder()
    for track in ("backend", "frontend", "mobile"):
        for question in KB.track_questions(track):
            assert all(len(p.wordings) >= 2 for p in question.key_points), question.id
            item = item_of(scoring_request(question, "x", track=track, difficulty=question.difficulty))
            assert [list(w) for w in item.claim_wordings] == [list(m.wordings) for m in question.misconceptions]
            truth = [s.text for s in sentences(item.reference)]
            truth += [a for p in item.key_points for a in (p.point, *p.anchors)]
            vectors = model.embed(truth)
            for j, claim in enumerate(item.misconceptions):
                near = np.asarray(model.embed(list(item.claim_statements(j))) @ vectors.T).max(axis=1)
                # A wording closer to what is true than the claim itself would flag true sentences.
                assert all(near[1:] <= near[0] + 1e-6), (question.id, claim)

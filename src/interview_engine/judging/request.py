"""The bridge between the ``answer_scorer`` hook and the judge.

A module describes its item in the :class:`~interview_engine.scoring.AnswerScoringRequest`
(key points, misconceptions, and in ``context``: ``itemId``, ``reference``,
``keyPointAnchors``, ``keyPointAspects``, ``keyPointWeights``, ``misconceptionAnchors`` (other
statements of each misconception), ``rivals``, and for a
diagnosis ``location`` and ``locationMatched``); :func:`score_request` judges
the text and answers with an :class:`~interview_engine.scoring.AnswerScore`
whose ``findings`` hold the judgment's JSON.
"""

from __future__ import annotations

from typing import Any

from interview_engine.judging.item import JudgedItem, Judgment, KeyPoint
from interview_engine.judging.judge import judge
from interview_engine.judging.rules import JudgingRules
from interview_engine.scoring import AnswerScore, AnswerScoringRequest

__all__ = ["answer_score", "item_of", "judge_request", "score_request"]


def _per_point(context: dict[str, Any], key: str, count: int) -> list[Any]:
    given = context.get(key)
    return list(given) if isinstance(given, list | tuple) and len(given) == count else [None] * count


def item_of(request: AnswerScoringRequest) -> JudgedItem:
    """The judged item a request describes."""
    context = request.context
    count = len(request.key_points)
    anchors = _per_point(context, "keyPointAnchors", count)
    aspects = _per_point(context, "keyPointAspects", count)
    weights = _per_point(context, "keyPointWeights", count)
    points = [
        KeyPoint(
            point,
            anchors=[str(a) for a in (anchor or ())],
            aspect=str(aspect or ""),
            weight=float(weight) if isinstance(weight, int | float) and weight > 0 else 1.0,
        )
        for point, anchor, aspect, weight in zip(request.key_points, anchors, aspects, weights, strict=True)
        if point.strip()
    ]
    claim_anchors = _per_point(context, "misconceptionAnchors", len(request.misconceptions))
    claims = [
        (claim, tuple(str(a) for a in (anchor or ()) if str(a).strip()))
        for claim, anchor in zip(request.misconceptions, claim_anchors, strict=True)
        if claim.strip()
    ]
    return JudgedItem(
        kind=request.kind,
        item_id=str(context.get("itemId") or context.get("questionId") or ""),
        prompt=request.prompt,
        key_points=points,
        misconceptions=[m for m, _ in claims],
        reference=str(context.get("reference") or ""),
        rivals=[str(r) for r in context.get("rivals", ()) if str(r).strip()],
        claim_wordings=[w for _, w in claims],
    )


def judge_request(request: AnswerScoringRequest, rules: JudgingRules | None = None) -> Judgment:
    """Judge the request's text against the item it describes."""
    location = None
    if "locationMatched" in request.context:
        location = (str(request.context.get("location") or ""), bool(request.context["locationMatched"]))
    return judge(item_of(request), request.text, rules=rules, location=location)


def answer_score(judgment: Judgment) -> AnswerScore:
    """The hook's answer for a judgment: its score, points, claims and one evidence line per finding."""
    evidence = [f'{p.point}: "{p.evidence}"' for p in judgment.key_points if p.credited]
    evidence += [f'false claim, {m.claim}: "{m.evidence}"' for m in judgment.misconceptions]
    evidence += list(judgment.notes)
    return AnswerScore(
        score=judgment.score,
        scorer=judgment.scorer,
        matched=[p.point for p in judgment.key_points if p.credited],
        missed=[p.point for p in judgment.key_points if not p.credited],
        misconceptions=[m.claim for m in judgment.misconceptions],
        evidence=evidence,
        findings=judgment.to_json(),
    )


def score_request(request: AnswerScoringRequest, rules: JudgingRules | None = None) -> AnswerScore:
    """Judge and answer in one step (what the bundled ``answer_scorer`` implementations call)."""
    return answer_score(judge_request(request, rules))

"""The default scorer of a candidate's narration (``answer_scorer`` kind ``coding_narration``).

Heuristic, documented in ``docs/live_coding.md``: the narration earns one point
per aspect a strong candidate talks about (approach, why it is correct,
complexity, edge cases, testing, trade-offs), at most 5; narration shorter than
``clarity.min_words`` words is capped.  Each aspect is recognised by phrases;
the phrases found are the evidence.
"""

from __future__ import annotations

import re

from interview_engine.scoring import AnswerScore, AnswerScoringRequest
from interview_live_coding.heuristics import ClarityRules
from interview_live_coding.problems import Problem

__all__ = ["ASPECTS", "KIND", "narration_request", "score_narration"]

KIND = "coding_narration"
SCORER = "live_coding.narration"
OLD_ASPECTS = ("approach", "correctness", "complexity", "edge cases", "testing", "trade-offs")
# A narration's key points by aspect: the approach carries most of the credit, so one clear
# sentence that states a fitting approach earns most of the score.
NARRATION_WEIGHTS = {"approach": 6.0, "complexity": 1.0, "edge_case": 1.0}


def narration_request(problem: Problem, notes: str, claim: str = "") -> AnswerScoringRequest:
    """The hook request for the candidate's notes on ``problem``.

    Key points (weights in the request; the judging core's rules turn them into a score): an
    approach that fits (any of the problem's valid approaches), the complexity with its reason,
    an edge case.  The problem's wrong approaches are its misconceptions.
    """
    story = problem.narration
    context: dict[str, object] = {
        "problemId": problem.id,
        "itemId": problem.id,
        "tags": list(problem.tags),
        "claim": claim,
        "expectedComplexity": problem.complexity,
    }
    if story is None:
        return AnswerScoringRequest(kind=KIND, text=notes, prompt=problem.statement, key_points=OLD_ASPECTS,
                                    context=context)  # fmt: skip
    key_points = [story.approaches[0], story.complexity]
    anchors: list[list[str]] = [
        list(story.approaches[1:]),
        [f"{problem.complexity} time", *story.complexity_wordings],
    ]
    aspects = ["approach", "complexity"]
    weights = [NARRATION_WEIGHTS["approach"], NARRATION_WEIGHTS["complexity"]]
    if story.edge_cases:
        key_points.append(story.edge_cases[0])
        anchors.append(list(story.edge_cases[1:]))
        aspects.append("edge_case")
        weights.append(NARRATION_WEIGHTS["edge_case"])
    context.update(
        keyPointAnchors=anchors,
        keyPointAspects=aspects,
        keyPointWeights=weights,
        reference=" ".join([*story.approaches, story.complexity]),
    )
    return AnswerScoringRequest(
        kind=KIND,
        text=notes,
        prompt=problem.statement,
        key_points=key_points,
        misconceptions=story.wrong,
        context=context,
    )


ASPECTS: dict[str, tuple[str, ...]] = {
    "approach": (
        r"\bapproach\b",
        r"\bidea\b",
        r"\buse[sd]? an?\b",
        r"\bi (?:use|keep|store|track|sort|walk)",
        r"\bhash ?map\b",
        r"\bdict(?:ionary)?\b",
        r"\bheap\b",
        r"\bstack\b",
        r"\bqueue\b",
        r"\bdeque\b",
        r"\btwo pointers?\b",
        r"\bsweep\b",
        r"\bdynamic programming\b",
        r"\bgreedy\b",
    ),
    "correctness": (
        r"\bbecause\b",
        r"\binvariant\b",
        r"\bensures?\b",
        r"\bguarantees?\b",
        r"\bproof\b",
        r"\bcorrect\b",
        r"\bwhy\b",
        r"\bso that\b",
    ),
    "complexity": (
        r"\bo\([^)]*\)",
        r"\blinear\b",
        r"\blogarithmic\b",
        r"\bquadratic\b",
        r"\bconstant time\b",
        r"\btime complexity\b",
        r"\bspace\b",
        r"\bmemory\b",
    ),
    "edge_cases": (
        r"\bedge cases?\b",
        r"\bempty\b",
        r"\bduplicates?\b",
        r"\bties?\b",
        r"\bboundar(?:y|ies)\b",
        r"\bzero\b",
        r"\bnegative\b",
        r"\boverflow\b",
        r"\bcorner\b",
        r"\bsingle\b",
    ),
    "testing": (
        r"\btests?(?:ed|ing)?\b",
        r"\bsamples?\b",
        r"\btried\b",
        r"\bverif(?:y|ied)\b",
        r"\bchecked\b",
        r"\bran\b",
        r"\bassert",
    ),
    "trade_offs": (
        r"\btrade-?offs?\b",
        r"\binstead\b",
        r"\balternative(?:ly)?\b",
        r"\bcould also\b",
        r"\bsimpler\b",
        r"\bat the cost\b",
        r"\bversus\b",
        r"\bvs\.?\b",
        r"\bif .* were\b",
    ),
}


def _quote(text: str, start: int, end: int) -> str:
    """The words around a match, trimmed to whole words."""
    left = max(0, start - 60)
    right = min(len(text), end + 80)
    snippet = text[left:right]
    if left > 0:
        snippet = snippet.split(" ", 1)[-1]
    if right < len(text):
        snippet = snippet.rsplit(" ", 1)[0]
    return " ".join(snippet.split())


def score_narration(request: AnswerScoringRequest, rules: ClarityRules) -> AnswerScore:
    text = request.text or ""
    lowered = text.lower()
    matched, missed, evidence = [], [], []
    for aspect, patterns in ASPECTS.items():
        found = next((m for p in patterns if (m := re.search(p, lowered))), None)
        if found is None:
            missed.append(aspect)
            continue
        matched.append(aspect)
        evidence.append(f'{aspect}: "{_quote(text, found.start(), found.end())}"')
    score = min(5.0, rules.points_per_aspect * len(matched))
    if len(re.findall(r"\w+", text)) < rules.min_words:
        score = min(score, rules.short_cap)
    return AnswerScore(score=score, scorer=SCORER, matched=matched, missed=missed, evidence=evidence)

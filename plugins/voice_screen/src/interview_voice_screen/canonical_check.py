"""Content check: each question's model answer is what the judging core calls a strong, true answer.

The canonical answer is shown to the candidate after the screen as what a full answer says, and the
simulated candidates of the tests answer with it.  If the bundled judge finds one of the question's
own misconceptions in it, or scores it weak, the interviewer pushes back on a right answer; that is a
fault of the content (a misconception worded too near a true sentence, key points the answer does not
state) or of the judge, found here rather than in a session.
"""

from __future__ import annotations

from interview_engine import ContentCheck
from interview_engine.judging import judge_request
from interview_voice_screen.bank import MODULE_NAME, KnowledgeBase
from interview_voice_screen.scorer import scoring_request

__all__ = ["check_canonical_answers"]

#: The least score a model answer may earn (crediting every key point at least partly earns 3).
STRONG = 3.5


def check_canonical_answers(kb: KnowledgeBase) -> list[ContentCheck]:
    """One check per question: its canonical answer asserts nothing false and scores at least ``STRONG``."""
    checks: list[ContentCheck] = []
    for track in kb.pack.tracks:
        for question in kb.track_questions(track):
            request = scoring_request(question, question.canonical, track=track, difficulty=question.difficulty)
            judgment = judge_request(request)
            problems = [f'false claim "{m.claim}" in "{m.evidence}"' for m in judgment.misconceptions]
            if judgment.score < STRONG:
                problems.append(f"scores {judgment.score:g}, under {STRONG:g}")
            checks.append(
                ContentCheck(
                    module=MODULE_NAME,
                    check="canonical answer is judged strong and true",
                    passed=not problems,
                    detail="; ".join(problems) or f"scores {judgment.score:g}",
                    item=f"questions/{track}.json: {question.id}",
                )
            )
    return checks

"""Content check: each question's model answer is what the judging core calls a full, true answer.

The canonical answer is shown to the candidate after the screen as what a full answer says, and the
simulated candidates of the tests answer with it.  If the bundled judge finds one of the question's
own misconceptions in it, leaves one of its key points uncredited, or scores it weak, the interviewer
pushes back on a right answer, and a candidate who says what the model answer says loses the point
too; that is a fault of the content (a misconception worded too near a true sentence, a key point
worded as a label such as "timeouts" that states nothing, a model answer that does not state the point
in a clause of its own) or of the judge, found here rather than in a session.
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
    """One check per question: its canonical answer states every key point, nothing false, and scores ``STRONG``.

    A failing check's detail names each false claim (with its sentence) and each key point left uncredited.
    """
    checks: list[ContentCheck] = []
    for track in kb.pack.tracks:
        for question in kb.track_questions(track):
            request = scoring_request(question, question.canonical, track=track, difficulty=question.difficulty)
            judgment = judge_request(request)
            problems = [f'false claim "{m.claim}" in "{m.evidence}"' for m in judgment.misconceptions]
            problems += [f'key point "{p.point}" not credited' for p in judgment.key_points if not p.credited]
            if judgment.score < STRONG:
                problems.append(f"scores {judgment.score:g}, under {STRONG:g}")
            checks.append(
                ContentCheck(
                    module=MODULE_NAME,
                    check="canonical answer states every key point and nothing false",
                    passed=not problems,
                    detail="; ".join(problems) or f"scores {judgment.score:g}",
                    item=f"questions/{track}.json: {question.id}",
                )
            )
    return checks

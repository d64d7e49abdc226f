"""The offline interviewer: a typed phone screen driven by the question bank.

Policy (see docs/voice_screen.md):

- Topic rotation: the next topic is the least-asked one with questions left,
  never the same topic twice in a row when another is available; ties are
  broken by a per-session shuffle.  With 8 topics and a budget of 20-25
  questions every topic is asked 2-4 times (>= 5 topics, <= 40% on one).
- Calibrated difficulty: the screen starts at the session's difficulty; a
  question scored >= 4 moves the next pick to senior, <= 2 to mid.  A topic
  without questions at that level falls back to the other level.
- Per question, at most two answers: after the first, a stated misconception
  gets a probing push-back that quotes the sentence ("You said ...") and asks a
  probing question, without the answer; an answer missing every key point gets a
  grounded hint and a retry; a partial answer gets the question's follow-up; a
  strong one (score >= 4) gets its deeper follow-up (the last one).
  Acknowledgements carry no feedback.  After a push-back only the revised answer
  counts.
- A question whose key points the candidate's earlier answers already state is
  not asked (the judge decides, on everything said so far).
- Hints before lectures (at most two per question, see
  :mod:`interview_voice_screen.hints`): first a probing nudge about a missing
  key point, then a pointer from the topic's fact sheet; never the canonical
  answer, which is shown only in the summary after the screen.  Asking for
  the answer is declined; asking twice moves on.  Two empty or "I don't
  know" answers move on (not attempted).
- The screen ends when the question budget is used or the session clock
  passes the time limit.

The state is plain JSON kept in ``Session.state``; every method works on a
copy and returns what the interviewer says.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from attrs import frozen

from interview_engine import AnswerScore, unstructure
from interview_voice_screen.bank import KnowledgeBase, Question
from interview_voice_screen.hints import nudge, sheet_pointer, sheet_sentences
from interview_voice_screen.matching import first_match, tokens
from interview_voice_screen.state import OpenQuestion, QuestionResult, ScreenState

__all__ = ["OfflineInterviewer", "Reply", "new_state"]

MAX_HINTS_PER_QUESTION = 2
STRONG_SCORE = 4.0
WEAK_SCORE = 2.0
COMPLETE_COVERAGE = 0.75

_ACKS = ("Thanks.", "Got it.", "Okay, noted.", "Alright.", "Thank you.")
_ASKS_FOR_ANSWER = (
    "tell me the answer", "what is the answer", "what's the answer", "whats the answer", "give me the answer",
    "just tell me", "show me the answer", "what is the right answer", "what's the correct answer",
    "reveal the answer",
)  # fmt: skip
_NO_ATTEMPT = (
    "i don't know",
    "i do not know",
    "don't know",
    "i dont know",
    "no idea",
    "not sure",
    "pass",
    "no clue",
    "i have no idea",
    "dunno",
)
NUDGE = "nudge"  # marks the nudge in a question's hint list; fact-sheet pointers are sentence indexes

Scorer = Callable[[Question, str], AnswerScore]


@frozen
class Reply:
    """What the interviewer says back."""

    message: str
    kind: str
    done: bool = False


def new_state(kb: KnowledgeBase, track: str, difficulty: str, seed: int) -> dict[str, Any]:
    topics = kb.topics(track)
    random.Random(seed).shuffle(topics)
    return {
        "mode": "offline",
        "level": difficulty,
        "budget": kb.budget(difficulty),
        "topicOrder": topics,
        "seed": seed,
        "asked": [],
        "current": None,
        "results": [],
        "hintsUsed": 0,
        "done": False,
        "endReason": None,
        "lastMessage": None,
    }


def _probe(question: Question, said: AnswerScore) -> str:
    """Push back on a misconception by quoting it and asking what it would imply, without the answer."""
    claims = said.findings.get("misconceptions") if said.findings else None
    quote = str(claims[0].get("evidence", "")).strip() if claims else ""
    if len(quote) > 160:
        quote = quote[:157].rsplit(" ", 1)[0] + "..."
    ask = nudge(question, set(said.missed))
    if quote:
        return f'Let me push back on one thing. You said "{quote}" {ask} Walk me through it again.'
    return f"Let me push back on part of that. Are you sure? {ask} Walk me through your reasoning again."


def _is_no_attempt(text: str) -> bool:
    words = tokens(text)
    if not words:
        return True
    return len(words) <= 6 and first_match(words, _NO_ATTEMPT) is not None


class OfflineInterviewer:
    """One step of the conversation over a copy of the session state."""

    def __init__(self, kb: KnowledgeBase, track: str, state: Mapping[str, Any] | ScreenState, scorer: Scorer) -> None:
        self.kb = kb
        self.track = track
        # A copy: the session's stored state changes only when the module saves this one.
        self.state = ScreenState.load(state.dump() if isinstance(state, ScreenState) else state)
        self.score = scorer

    # -- what the candidate can do ------------------------------------------

    def next(self) -> Reply:
        """The current question (asking the first one when none is open)."""
        if self.state.done:
            return Reply(self._closing(), "closing", done=True)
        if self.state.current is None:
            intro = (
                f"Hi, thanks for joining. This is a {self._minutes()}-minute phone screen for a "
                f"{self.state.level} {self.track} role. I'll ask short questions across several topics; "
                "answer as you would on a call. You can ask for a hint or skip at any time. First question: "
            )
            return self._ask_next(intro)
        return Reply(self.state.lastMessage or "", "repeat")

    def answer(self, text: str) -> Reply:
        current = self._require_current()
        if first_match(tokens(text), _ASKS_FOR_ANSWER) is not None:
            current.answerRequests += 1
            if current.answerRequests >= 2:
                return self._finish(lead="Let's move on; the model answers are in your summary after the screen.")
            return self._say(
                "I can't give answers during the screen; you'll see model answers in your summary "
                "afterwards. Give it your best try, or ask for a hint.",
                "decline",
            )
        if _is_no_attempt(text):
            current.silences += 1
            if current.silences >= 2:
                return self._finish(lead="No problem, let's move on.")
            return self._say("Take your time. Would you like a hint, or shall we skip this one?", "nudge")
        current.answers.append(text)
        question = self.kb.question(current.qid)
        stage = current.stage
        if stage == "answer":
            first = self.score(question, text)
            if first.misconceptions and not current.probed:
                current.probed = True
                current.stage = "probe"
                return self._say(_probe(question, first), "probe")
            coverage = len(first.matched) / len(question.key_points)
            if coverage == 0 and len(current.hints) < MAX_HINTS_PER_QUESTION:
                current.stage = "retry"
                kind, hint = self._hint(question, current, first)
                return self._say(f"Let me give you a {kind}: {hint} With that in mind, try again.", "hint")
            if coverage < COMPLETE_COVERAGE and question.follow_ups:
                current.stage = "follow_up"
                return self._say(question.follow_ups[0], "follow_up")
            if first.score >= STRONG_SCORE and len(question.follow_ups) > 1:
                # A strong answer earns a deeper question, not a "thanks".
                current.stage = "deeper"
                return self._say(f"Good. Going one level deeper: {question.follow_ups[-1]}", "follow_up")
        return self._finish()

    def hint(self) -> Reply:
        current = self._require_current()
        if len(current.hints) >= MAX_HINTS_PER_QUESTION:
            return self._say("That's all the hints for this one. Give it a try, or skip.", "no_hint")
        question = self.kb.question(current.qid)
        so_far = self.score(question, "\n".join(current.answers)) if current.answers else None
        kind, hint = self._hint(question, current, so_far)
        return self._say(f"Here's a {kind}: {hint}", "hint")

    def skip(self) -> Reply:
        self._require_current().skipped = True
        return self._finish(lead="Sure, let's skip that one.")

    def expire(self) -> Reply:
        """The session clock ran out: close the open question and end."""
        if not self.state.done:
            self._close_open_question()
            self._end("time")
        return Reply(self._closing(), "closing", done=True)

    def stop(self) -> Reply:
        """The candidate (or the voice agent on their word) ends the screen early."""
        if not self.state.done:
            self._close_open_question()
            self._end("stopped")
        return Reply(self._closing(), "closing", done=True)

    def _close_open_question(self) -> None:
        """Record the open question if the candidate answered or skipped it; otherwise drop it.

        A question the session ended on before any answer is neither a skip nor a weak topic: the
        candidate never had the chance to answer it.
        """
        current = self.state.current
        if current is None:
            return
        if current.answers or current.skipped:
            self._record_current()
            return
        self.state.current = None
        self.state.unansweredAtEnd = current.qid

    # -- steps ----------------------------------------------------------------

    def _open(self) -> OpenQuestion:
        current = self.state.current
        if current is None:
            raise AssertionError("no open question to record")  # callers check first
        return current

    def _require_current(self) -> OpenQuestion:
        from interview_engine.errors import Conflict

        if self.state.done:
            raise Conflict("the screen is over; end the session to see your summary")
        current = self.state.current
        if current is None:
            raise Conflict("no question is open; ask for the next question first")
        return current

    def _say(self, message: str, kind: str) -> Reply:
        self.state.lastMessage = message
        return Reply(message, kind)

    def _finish(self, lead: str | None = None) -> Reply:
        result = self._record_current()
        if result.final is not None:
            if result.final >= STRONG_SCORE:
                self.state.level = "senior"
            elif result.final <= WEAK_SCORE:
                self.state.level = "mid"
        if len(self.state.results) >= self.state.budget:
            self._end("budget")
            return Reply(self._closing(), "closing", done=True)
        if self._pick() is None:
            self._end("bank")
            return Reply(self._closing(), "closing", done=True)
        ack = lead or _ACKS[len(self.state.results) % len(_ACKS)]
        return self._ask_next(f"{ack} Next question: ")

    def _record_current(self) -> QuestionResult:
        current = self._open()
        question = self.kb.question(current.qid)
        answers = current.answers
        final: AnswerScore | None = None
        repeated = False
        if answers:
            if current.probed and len(answers) >= 2:
                final = self.score(question, "\n".join(answers[1:]))
                repeated = bool(final.misconceptions)
            else:
                final = self.score(question, "\n".join(answers))
        result = QuestionResult(
            qid=question.id,
            topic=question.topic,
            difficulty=question.difficulty,
            answers=list(answers),
            attempted=bool(answers),
            skipped=current.skipped or not answers,
            hints=len(current.hints),
            answerRequests=current.answerRequests,
            probed=current.probed,
            misconceptionRepeated=repeated,
            followUp=current.stage == "follow_up",
            score=unstructure(final) if final is not None else None,
            final=final.score if final is not None else None,
        )
        self.state.results.append(result)
        self.state.current = None
        return result

    def _ask_next(self, lead: str) -> Reply:
        question = self._pick()
        if question is None:
            self._end("bank")
            return Reply(self._closing(), "closing", done=True)
        self.state.asked.append(question.id)
        self.state.current = OpenQuestion(qid=question.id)
        return self._say(lead + question.prompt, "question")

    def _pick(self) -> Question | None:
        asked = set(self.state.asked)
        remaining = [q for q in self.kb.track_questions(self.track) if q.id not in asked]
        if not remaining:
            return None
        first = self.state.firstQuestion
        if not asked and first:
            chosen = [q for q in remaining if q.id == first]
            if chosen:
                return chosen[0]
        counts = Counter(self.kb.question(qid).topic for qid in self.state.asked)
        order = {topic: index for index, topic in enumerate(self.state.topicOrder)}
        topics = sorted({q.topic for q in remaining}, key=lambda t: (counts[t], order.get(t, len(order))))
        last = self.kb.question(self.state.asked[-1]).topic if self.state.asked else None
        if len(topics) > 1 and topics[0] == last:
            topics = topics[1:] + topics[:1]
        topic = topics[0]
        in_topic = [q for q in remaining if q.topic == topic]
        level = self.state.level
        preferred = [q for q in in_topic if q.difficulty == level] or in_topic
        fresh = [q for q in preferred if not self._covered(q)]
        preferred = fresh or [q for q in in_topic if not self._covered(q)] or preferred
        rng = random.Random(f"{self.state.seed}:{topic}:{len(self.state.asked)}")
        return rng.choice(sorted(preferred, key=lambda q: q.id))

    def _covered(self, question: Question) -> bool:
        """Whether the candidate's earlier answers already state most of this question's key points."""
        said = [answer for result in self.state.results for answer in result.answers]
        if not said:
            return False
        covered = self.state.covered
        if question.id not in covered:
            found = self.score(question, "\n".join(said))
            covered[question.id] = not found.misconceptions and (
                len(found.matched) / len(question.key_points) >= COMPLETE_COVERAGE
            )
        return bool(covered[question.id])

    def _hint(self, question: Question, current: OpenQuestion, so_far: AnswerScore | None) -> tuple[str, str]:
        """The next hint for the open question: a nudge first, then a fact-sheet pointer."""
        missed = set(so_far.missed) if so_far is not None else {p.point for p in question.key_points}
        self.state.hintsUsed += 1
        if not current.hints:
            current.hints.append(NUDGE)
            return "nudge", nudge(question, missed)
        sentences = sheet_sentences(self.kb.sheet(self.track, question.topic))
        used = {h for h in current.hints if isinstance(h, int)}
        best = sheet_pointer(question, sentences, missed, used, tried=bool(current.answers))
        current.hints.append(best if best is not None else -1)
        if best is None:
            return "pointer", f"think about what the fact sheet on {question.topic} says about this."
        return "pointer", sentences[best]

    def _end(self, reason: str) -> None:
        self.state.done = True
        self.state.endReason = reason
        self.state.current = None
        self.state.lastMessage = self._closing()

    def _closing(self) -> str:
        results = self.state.results
        topics = len({r.topic for r in results})
        why = {"time": "We're at time.", "stopped": "Let's stop here."}.get(
            self.state.endReason or "", "That's all my questions."
        )
        return (
            f"{why} Thanks for your answers: we covered {len(results)} questions across {topics} topics. "
            "I'll put together a summary with your scores, strong and weak topics and next steps."
        )

    def _minutes(self) -> int:
        return int(self.kb.pack.budget.time_limit_s // 60)

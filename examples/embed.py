"""Embed the interview engine in your own platform: your database, your users, your grader.

Run it:  .venv/bin/python examples/embed.py [DATABASE_URL]

It runs a short typed phone screen for one of your candidates with your own answer grader plugged in
through the ``answer_scorer`` hook, prints the rubric's verdict, the candidate's history, then deletes
the session with everything stored for it.
"""

from __future__ import annotations

import sys

from interview_engine import AnswerScore, AnswerScoringRequest, Engine, hookimpl


class HouseGrader:
    """A team's own grader for phone-screen answers; the bundled heuristic answers only when this passes."""

    @hookimpl
    def answer_scorer(self, request: AnswerScoringRequest) -> AnswerScore | None:
        if request.kind != "screen_answer":
            return None  # leave coding narration and debugging diagnoses to the bundled scorers
        words = len(request.text.split())
        return AnswerScore(score=min(5.0, 1.0 + words / 10), scorer="house-grader", evidence=(request.text[:80],))


ANSWERS = [
    "A process owns its memory; threads share it, so they need locks but switch faster.",
    "hint",
    "I would cache the hot reads with a TTL and invalidate on writes to keep it consistent.",
]


def main(database_url: str) -> None:
    engine = Engine.create(database_url, plugins=[HouseGrader()], migrate=True)
    try:
        for plugin in engine.plugins():
            print(f"plugin {plugin.name}: {plugin.distribution} {plugin.version} -> {', '.join(plugin.modules)}")
        user = engine.store.ensure_user("candidate@acme.example", display_name="A. Candidate")
        session = engine.start_session(
            user_id=user.id, module="voice_screen", track="backend", difficulty="mid", options={"mode": "offline"}
        )
        print("interviewer:", engine.act(session.id, "next").data["message"])
        for answer in ANSWERS:
            action, payload = ("hint", {}) if answer == "hint" else ("answer", {"text": answer})
            reply = engine.act(session.id, action, payload).data
            print("candidate:", answer)
            print("interviewer:", reply["message"])
        engine.end_session(session.id)
        evaluation = engine.summary(session.id, user_id=user.id).evaluation
        assert evaluation is not None
        print(f"weighted {evaluation.weighted_average:.2f} -> {evaluation.decision.value}")
        for line in evaluation.rationale:
            print("  -", line)
        print(f"{user.email} has {len(engine.list_sessions(user_id=user.id))} session(s)")
        engine.delete_session(session.id, user_id=user.id)
        print(f"deleted; {len(engine.list_sessions(user_id=user.id))} left")
    finally:
        engine.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sqlite:///embed-example.db")

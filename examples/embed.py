"""Embed the interview engine in your own platform: your database, your users, your grader.

Run it:  .venv/bin/python examples/embed.py [DATABASE_URL]
"""

from __future__ import annotations

import sys

from interview_engine import AnswerScore, AnswerScoringRequest, Engine, hookimpl


class HouseGrader:
    """A team's own grader for phone-screen answers, plugged in through the `answer_scorer` hook."""

    @hookimpl
    def answer_scorer(self, request: AnswerScoringRequest) -> AnswerScore | None:
        if request.kind != "screen_answer":
            return None  # leave other kinds to the bundled scorers
        return AnswerScore(score=3.0, scorer="house-grader")


def main(database_url: str) -> None:
    engine = Engine.create(database_url, plugins=[HouseGrader()])
    try:
        print("modules:", ", ".join(sorted(engine.modules)) or "none")
        user = engine.store.ensure_user("candidate@acme.example", display_name="A. Candidate")
        for plugin in engine.plugins():
            print(f"plugin {plugin.name}: {plugin.distribution} {plugin.version} -> {', '.join(plugin.modules)}")
        for name in sorted(engine.modules):
            items = engine.items(name, track="backend", difficulty="mid")
            print(f"{name}: {len(items)} items for backend/mid")
        history = engine.list_sessions(user_id=user.id)
        print(f"{user.email} has {len(history)} sessions")
    finally:
        engine.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sqlite:///embed-example.db")

"""Evidence honesty: how many other key points one key point's wording is credited with.

    .venv/bin/python benchmarks/cross_credit.py [--loose]

Each phone-screen question's key points have wordings (content written from the subject matter).
Judged alone, the first wording of a point states that point; every other point of the same
question it is credited with is evidence that the sentence does not give, shown to a candidate as
if it did ("TTL bounds staleness" quoted from "the cache is invalidated when a write happens").
The labelled corpus cannot measure this (it labels a text's band, not which sentence states which
point), so this is the measure behind the screen rules' ``assign_margin`` and ``shared_credit``.

Prints the number of sentences judged, the mean number of other points each is credited with, the
share credited with at least one other point, and the share credited with every other point.
"""

from __future__ import annotations

import argparse
import statistics

from attrs import evolve

from interview_engine.judging import JudgingRules, judge_request, rules_for
from interview_voice_screen.bank import knowledge_base
from interview_voice_screen.scorer import scoring_request


def cross_credit(rules: JudgingRules) -> dict[str, float]:
    kb = knowledge_base()
    others: list[int] = []
    every: list[bool] = []
    scores: list[float] = []
    for track in kb.pack.tracks:
        for question in kb.track_questions(track):
            for i, point in enumerate(question.key_points):
                if not point.wordings:
                    continue
                request = scoring_request(question, point.wordings[0], track=track, difficulty=question.difficulty)
                found = judge_request(request, rules)
                credited = [j for j, p in enumerate(found.key_points) if p.credited and j != i]
                others.append(len(credited))
                every.append(len(question.key_points) > 1 and len(credited) == len(question.key_points) - 1)
                scores.append(found.score)
    return {
        "sentences": len(others),
        "meanOtherPoints": round(statistics.fmean(others), 2),
        "anyOtherPct": round(100 * sum(o > 0 for o in others) / len(others), 1),
        "everyOtherPct": round(100 * sum(every) / len(every), 1),
        "medianScore": statistics.median(scores),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--loose", action="store_true", help="also judge with no assignment (assign_margin 1)")
    args = parser.parse_args(argv)
    bundled = rules_for("screen_answer")
    print("bundled", cross_credit(bundled))
    if args.loose:
        print("loose  ", cross_credit(evolve(bundled, assign_margin=1.0, shared_credit=2.0)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

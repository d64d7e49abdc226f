"""History, trends, weak topics and the study plan after a handful of sessions, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from interview_engine import Conflict, Engine, InvalidInput, User
from interview_engine.analytics import (
    HALF_LIFE_DAYS,
    build_study_plan,
    build_trends,
    load_history,
    plan_markdown,
    to_json,
)
from tests.analytics.analytics_quiz import T0, QuizPlugin, practise, practise_a_handful


def expected_mastery(points: list[tuple[float, float]]) -> float:
    """(score, age in days) pairs -> the documented recency-weighted mean."""
    weights = [0.5 ** (age / HALF_LIFE_DAYS) for _, age in points]
    return sum(w * s for w, (s, _) in zip(weights, points)) / sum(weights)


def test_history_lists_every_session_newest_first(quiz_engine: Engine, candidate: User) -> None:
    made = practise_a_handful(quiz_engine, candidate)
    other = quiz_engine.store.ensure_user("bob@example.com")
    practise(quiz_engine, other.id, "css-grid", {"css": 1.0}, T0)

    entries = load_history(quiz_engine.store, candidate.id, titles={"quiz": "Quiz"}).entries

    assert [e.session_id for e in entries] == [s.id for s in reversed(made)]
    running, newest_scored = entries[0], entries[1]
    assert (running.status, running.weighted_score, running.decision, running.duration_s) == (
        "active",
        None,
        None,
        None,
    )
    assert newest_scored.module_title == "Quiz"
    assert (newest_scored.track, newest_scored.difficulty) == ("backend", "mid")
    assert newest_scored.duration_s == 20 * 60
    assert newest_scored.weighted_score == pytest.approx(1.5)
    assert newest_scored.decision == "hold"
    assert newest_scored.verdict == "hold"
    assert newest_scored.kb_version == "quiz-pack@1"
    assert newest_scored.date == T0 + timedelta(days=21, minutes=-20)
    assert to_json(newest_scored)["weightedScore"] == pytest.approx(1.5)


def test_trends_score_activity_and_mastery(quiz_engine: Engine, candidate: User) -> None:
    made = practise_a_handful(quiz_engine, candidate)
    trends = build_trends(load_history(quiz_engine.store, candidate.id))

    assert trends.at == T0 + timedelta(days=22, minutes=-20)  # the newest session, not the wall clock
    (quiz,) = trends.modules
    assert [p.session_id for p in quiz.points] == [s.id for s in made[:5]]
    assert [p.score for p in quiz.points] == pytest.approx([1.0, 4.5, 2.25, 3.5, 1.5])
    assert quiz.change == pytest.approx(0.5)
    assert [(a.attempts, a.hints, a.misconceptions) for a in trends.activity] == [
        (1, 2, 0),
        (1, 0, 0),
        (2, 0, 0),
        (1, 0, 0),
        (1, 1, 0),
    ]
    mastery = {m.topic: m for m in trends.mastery}
    assert sorted(mastery) == ["caching", "concurrency", "http", "sql"]
    age = 22 - 20 / 1440
    assert mastery["caching"].mastery == pytest.approx(expected_mastery([(0.2, age), (0.5, age - 10)]), abs=1e-6)
    assert mastery["http"].mastery == pytest.approx(expected_mastery([(0.4, age - 10), (0.3, age - 21)]), abs=1e-6)
    assert mastery["sql"].mastery == pytest.approx(0.9)
    assert mastery["caching"].attempts == 2


def test_weak_and_strong_topics_are_ranked_with_their_evidence(quiz_engine: Engine, candidate: User) -> None:
    made = practise_a_handful(quiz_engine, candidate)
    ranking = build_trends(load_history(quiz_engine.store, candidate.id)).ranking

    assert [t.topic for t in ranking.weak] == ["http", "caching"]
    assert [t.topic for t in ranking.strong] == ["sql"]
    assert [t.topic for t in ranking.developing] == ["concurrency"]
    http = ranking.weak[0]
    assert [(o.session_id, o.item_id, o.score) for o in http.observations] == [
        (made[4].id, "http-verbs", 0.3),
        (made[2].id, "cache-headers", 0.4),
    ]
    assert http.observations[0].hints == 1
    assert 0 < http.observations[1].weight < http.observations[0].weight <= 1


def test_study_plan_targets_weak_topics_with_unattempted_practice_by_difficulty(
    quiz_engine: Engine, candidate: User
) -> None:
    practise_a_handful(quiz_engine, candidate)
    plan = build_study_plan(quiz_engine, candidate.id)

    assert plan.track == "backend"
    assert plan.kb_versions == {"quiz": "quiz-pack@1"}
    assert [t.topic for t in plan.topics] == ["http", "caching"]
    http, caching = plan.topics
    assert http.why.startswith("mastery 34% over 2 scored items; lowest 30% on http-verbs")
    assert [(r.kind, r.title or r.item_id) for r in caching.resources] == [
        ("fact_sheet", "caching fact sheet"),
        ("reference", "High Performance Browser Networking, ch. 13"),
        ("practice", "Cache Ttl"),
        ("practice", "Cache Eviction"),
        ("practice", "Cache Stampede"),
    ]
    practice = [r for r in caching.resources if r.kind == "practice"]
    assert [(r.item_id, r.difficulty) for r in practice] == [
        ("cache-ttl", "mid"),
        ("cache-eviction", "senior"),
        ("cache-stampede", "senior"),
    ]
    assert all("not attempted yet" in r.why for r in practice)
    assert [r.item_id for r in http.resources if r.kind == "practice"] == ["http-cors", "http-status"]
    assert all(r.why for t in plan.topics for r in t.resources)


def test_study_plan_is_deterministic_and_pins_its_time(quiz_engine: Engine, candidate: User) -> None:
    practise_a_handful(quiz_engine, candidate)
    first = build_study_plan(quiz_engine, candidate.id)
    again = build_study_plan(quiz_engine, candidate.id)
    assert first == again
    assert len(first.digest) == 16

    practise(quiz_engine, candidate.id, "cache-ttl", {"caching": 1.0}, T0 + timedelta(days=30))
    moved = build_study_plan(quiz_engine, candidate.id)
    assert moved.digest != first.digest
    assert "cache-ttl" not in {r.item_id for t in moved.topics for r in t.resources}
    assert build_study_plan(quiz_engine, candidate.id, at=first.at) == first  # the past plan, rebuilt


def test_study_plan_is_rebuilt_exactly_after_the_pack_changes(
    quiz_engine: Engine, candidate: User, quiz: QuizPlugin
) -> None:
    practise_a_handful(quiz_engine, candidate)
    before = build_study_plan(quiz_engine, candidate.id)

    quiz.quiz.version = "2"
    quiz.quiz.items_by_id = {key: value for key, value in quiz.quiz.items_by_id.items() if key != "cache-ttl"}
    quiz.reference_title = "RFC 9111: HTTP Caching"
    after = build_study_plan(quiz_engine, candidate.id)
    assert after.kb_versions == {"quiz": "quiz-pack@2"}
    assert after.digest != before.digest

    rebuilt = build_study_plan(quiz_engine, candidate.id, at=before.at, kb_versions=before.kb_versions)
    assert rebuilt == before
    with pytest.raises(Conflict) as error:
        build_study_plan(quiz_engine, candidate.id, kb_versions={"quiz": "quiz-pack@0"})
    assert error.value.field == "kb_versions"


def test_study_plan_for_a_new_candidate_is_empty(quiz_engine: Engine, candidate: User) -> None:
    plan = build_study_plan(quiz_engine, candidate.id)
    assert (plan.at, plan.topics, plan.track) == (None, (), "backend")
    assert "No scored sessions yet" in plan_markdown(plan)


def test_bad_plan_arguments_name_the_field(quiz_engine: Engine, candidate: User) -> None:
    with pytest.raises(InvalidInput) as error:
        build_study_plan(quiz_engine, candidate.id, track="devops")
    assert error.value.field == "track"
    with pytest.raises(InvalidInput) as error:
        build_study_plan(quiz_engine, candidate.id, topics=0)
    assert error.value.field == "topics"


def test_markdown_export(quiz_engine: Engine, candidate: User) -> None:
    made = practise_a_handful(quiz_engine, candidate)
    plan = build_study_plan(quiz_engine, candidate.id, topics=1)
    text = plan_markdown(plan)
    assert text.startswith("# Study plan (backend)\n")
    assert "quiz `quiz-pack@1`" in text
    assert f"digest `{plan.digest}`" in text
    assert "## 1. http — mastery 34%" in text
    assert f"| 2026-03-23 | `{made[4].id[:8]}` | http-verbs | 30% |" in text
    assert "### Fact sheets\n\n- **http fact sheet**: the essentials" in text
    assert "- **Http Cors** — quiz `http-cors`, mid: a mid quiz item on http; not attempted yet" in text
    assert "caching" not in text.split("## 1.")[1]  # only the top topic


def test_json_uses_camel_case_and_keeps_data_keys(quiz_engine: Engine, candidate: User) -> None:
    practise_a_handful(quiz_engine, candidate)
    body = to_json(build_study_plan(quiz_engine, candidate.id))
    assert body["kbVersions"] == {"quiz": "quiz-pack@1"}
    assert {"userId", "halfLifeDays", "topics", "digest"} <= set(body)
    assert {"itemId", "sessionId", "score", "weight"} <= set(body["topics"][0]["evidence"][0])

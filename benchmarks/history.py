"""How fast ``GET /history`` is with thousands of sessions, on SQLite and PostgreSQL.

Seeds one candidate with ``--sessions`` evaluated sessions (three modules, 40
topics, 1-3 topic scores each, spread over a year) through the engine's store,
then times ``GET /history`` (history table, three SVG charts, weak topics and
the study plan) and ``GET /health`` as a baseline in the same run, through
Litestar's TestClient (in-process, no network).  Prints a Markdown table::

    .venv/bin/python benchmarks/history.py --sessions 3000 --runs 30
    .venv/bin/python benchmarks/history.py --postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from litestar.testing import TestClient

from interview_engine import (
    ActionResult,
    ContentCheck,
    Decision,
    Difficulty,
    Engine,
    Evaluation,
    Evidence,
    Item,
    ModuleContext,
    PackInfo,
    Session,
    SessionStatus,
    StudyResource,
    TopicScore,
    Track,
    hookimpl,
    rubric_from_data,
)
from interview_web import create_app

TOPICS = [f"topic-{n:02d}" for n in range(40)]
MODULES = ("phone_bench", "coding_bench", "debug_bench")
RUBRIC = rubric_from_data(
    {"name": "bench", "version": "1", "pass_threshold": 3.5, "dimensions": [{"name": "overall", "weight": 1.0}]}
)
USER = "bench@example.com"


class BenchModule:
    """A module with 60 items per track over the 40 topics; sessions are seeded, never run."""

    actions = ("answer",)
    description = "benchmark"

    def __init__(self, name: str) -> None:
        self.name = self.title = name

    def pack_info(self) -> PackInfo:
        return PackInfo(self.name, f"{self.name}-pack", "1")

    def rubric(self, track: Track, difficulty: Difficulty) -> Any:
        return RUBRIC

    def items(self, track: Track | None = None, difficulty: Difficulty | None = None) -> list[Item]:
        return [
            Item(
                f"{self.name}-{n}",
                self.name,
                f"Item {n}",
                track or Track.BACKEND,
                Difficulty.MID if n % 2 else Difficulty.SENIOR,
                (TOPICS[n % 40], TOPICS[(n * 7) % 40]),
            )
            for n in range(60)
        ]

    def start(self, ctx: ModuleContext, session: Session, options: Mapping[str, Any]) -> Session:
        return session

    def act(self, ctx: ModuleContext, session: Session, action: str, payload: Mapping[str, Any]) -> ActionResult:
        return ActionResult(session)

    def evaluate(self, ctx: ModuleContext, session: Session) -> Evaluation:
        # Benchmark sessions are seeded with their evaluations; one evaluated here scores the middle of the scale.
        return Evaluation(session.id, "bench@1", {"overall": 3.0}, 3.0, Decision.REVIEW)

    def summarize(self, ctx: ModuleContext, session: Session, evaluation: Evaluation | None) -> dict[str, Any]:
        return {}

    def validate_content(self, ctx: ModuleContext) -> list[ContentCheck]:
        return []


class BenchPlugin:
    @hookimpl
    def register_modules(self) -> list[Any]:
        return [BenchModule(name) for name in MODULES]

    @hookimpl
    def study_resources(self, topic: str, track: str) -> list[StudyResource]:
        return [
            StudyResource(topic, "fact_sheet", f"{topic} fact sheet", "the essentials", body="x " * 300),
            StudyResource(topic, "reference", f"A book on {topic}, ch. 3", "in depth", url="https://example.com"),
        ]


def seed(engine: Engine, sessions: int) -> None:
    rng = random.Random(7)
    user = engine.store.ensure_user(USER)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for n in range(sessions):
        module = MODULES[n % 3]
        ended = start + timedelta(minutes=n * 175)
        session = Session(
            id=uuid.uuid4().hex,
            user_id=user.id,
            module=module,
            track=Track.BACKEND,
            difficulty=Difficulty.MID,
            kb_version=f"{module}-pack@1",
            status=SessionStatus.EVALUATED,
            item_id=f"{module}-{n % 60}",
            created_at=ended - timedelta(minutes=30),
            started_at=ended - timedelta(minutes=30),
            ended_at=ended,
        )
        engine.store.add_session(session)
        scores = {f"d{d}": round(rng.uniform(1, 5), 2) for d in range(5)}
        average = sum(scores.values()) / 5
        engine.store.save_evaluation(
            Evaluation(
                session_id=session.id,
                rubric="bench@1",
                scores=scores,
                weighted_average=average,
                decision=Decision.ADVANCE if average > 3.6 else Decision.REVIEW if average > 2.5 else Decision.HOLD,
                evidence=[Evidence(f"d{d}", "quoted evidence " * 4, "transcript") for d in range(5)],
                gaps=["d1"],
                next_steps=["practise d1"],
                topics=[
                    TopicScore(
                        rng.choice(TOPICS), round(rng.random(), 3), f"{module}-{n % 60}", hints=rng.randint(0, 2)
                    )
                    for _ in range(rng.randint(1, 3))
                ],
                metrics={"questionsAttempted": 20.0, "hintsUsed": float(rng.randint(0, 3)), "misconceptions": 1.0},
            )
        )


def timed(client: TestClient, path: str, runs: int) -> tuple[list[float], list[float]]:  # type: ignore[type-arg]
    """Wall-clock and CPU milliseconds per request (CPU time is what the load of other processes leaves alone)."""
    client.get(path)  # warm-up: templates compiled, catalogs snapshotted
    wall, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        assert response.status_code == 200, response.text[:500]
    return wall, cpu


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@contextmanager
def postgres_schema(url: str) -> Iterator[str]:
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'create schema "{schema}"')
    try:
        yield f"{url}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'drop schema "{schema}" cascade')


def measure(name: str, url: str, sessions: int, runs: int) -> str:
    engine = Engine.create(url, plugins=[BenchPlugin()], load_entry_points=False, migrate=True)
    try:
        began = time.perf_counter()
        seed(engine, sessions)
        seeded = time.perf_counter() - began
        os.environ["INTERVIEW_TRUSTED_USER_HEADER"] = "X-Bench-User"  # signed in as a proxy would sign in
        with TestClient(app=create_app(engine=engine)) as client:
            client.headers["X-Bench-User"] = USER
            page, page_cpu = timed(client, "/history", runs)
            health, _ = timed(client, "/health", runs)
            size = len(client.get("/history").content)
    finally:
        engine.close()
    median, base = statistics.median(page), statistics.median(health)
    print(f"{name}: seeded {sessions} sessions in {seeded:.1f}s; page {size / 1024:.0f} KiB")
    return (
        f"| {name} | {sessions} | {median:.1f} | {p95(page):.1f} | {statistics.median(page_cpu):.1f} "
        f"| {base:.2f} | {p95(health):.2f} | {median / base:.0f}x |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("INTERVIEW_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    )
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(measure("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}", args.sessions, args.runs))
    if not args.skip_postgres:
        with postgres_schema(args.postgres_url) as url:
            rows.append(measure("PostgreSQL", url, args.sessions, args.runs))
    print()
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("| database | sessions | /history median ms | p95 ms | CPU median ms | /health median ms | p95 ms | ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()

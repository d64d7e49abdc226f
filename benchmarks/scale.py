"""Grading throughput with 1 and 2 (and 4) ``interview worker`` processes, interleaved in one run.

    .venv/bin/python benchmarks/scale.py [--submits 12] [--rounds 2] [--workers 1,2] [--concurrency 1]

Needs the PostgreSQL at ``INTERVIEW_TEST_POSTGRES_URL`` (default: the local ``test`` database); works in a
fresh schema of its own and drops it after.  One web process (``INTERVIEW_GRADING=queue``) takes every
submit over HTTP on 127.0.0.1; each round starts N workers, posts the submits at once (distinct code, so
no shared result is reused), waits until every job is done, and stops the workers.  Rounds alternate
1, 2, 1, 2, ... so a change in the machine's load hits both.  Prints submits/s per round with the load
average and the CPU other processes used during it (figures are comparable only near 0), the workers' own
CPU seconds per submit (which should not grow with more workers: it is the work, not the wait), and the
ratio of the medians.  Run it with ``nice -n 10`` on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg

from interview_live_coding.plugin import module

PROBLEM = "backend-lru-cache"
INTERVIEW = str(Path(sys.executable).parent / "interview")
BASE = os.environ.get("INTERVIEW_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CORES = os.cpu_count() or 1


def _busy_jiffies() -> int:
    """Busy CPU jiffies of the whole machine since boot."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    return sum(fields) - fields[3] - fields[4]


def _load() -> list[str]:
    with open("/proc/loadavg") as loadavg:
        return loadavg.read().split()[:3]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(check, timeout: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise SystemExit(f"timed out waiting for {what}")


def run_round(env: dict[str, str], web: httpx.Client, workers: int, concurrency: int, submits: int, tag: str) -> dict:
    reference = module().pack.problems[PROBLEM].reference
    users = [f"bench{n}@example.com" for n in range(4)]
    sessions = []
    for index in range(submits):  # sessions first: only the grading is timed
        created = web.post(
            "/api/coding/sessions/",
            json={"track": "backend", "difficulty": "mid", "problemId": PROBLEM},
            headers={"X-Bench-User": users[index % len(users)]},
        )
        created.raise_for_status()
        sessions.append(created.json()["id"])
    procs = [
        subprocess.Popen(
            [INTERVIEW, "worker", "--concurrency", str(concurrency)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    time.sleep(3.0)  # workers import the engine and register before the clock starts
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy0 = _busy_jiffies()
    start = time.perf_counter()

    def submit(index: int) -> str:
        answer = web.post(
            f"/api/coding/sessions/{sessions[index]}/submit",
            json={"source": f"{reference}\n# {tag} {index}\n"},
            headers={"X-Bench-User": users[index % len(users)]},
        )
        assert answer.status_code == 202, answer.text
        return str(answer.json()["id"])

    with ThreadPoolExecutor(8) as pool:
        jobs = list(pool.map(submit, range(submits)))

    def finished() -> bool:
        states = [web.get(f"/api/jobs/{j}", headers={"X-Bench-User": users[i % 4]}).json() for i, j in enumerate(jobs)]
        bad = [s for s in states if s["state"] in ("failed", "cancelled")]
        if bad:
            raise SystemExit(f"a job did not grade: {bad[0]['state']} {bad[0]['error']}")
        return all(s["state"] == "done" for s in states)

    _wait(finished, 900, "the jobs")
    elapsed = time.perf_counter() - start
    busy1 = _busy_jiffies()
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    for proc in procs:
        proc.wait(timeout=60)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    ours = (children.ru_utime - children_before.ru_utime) + (children.ru_stime - children_before.ru_stime)
    tick = os.sysconf("SC_CLK_TCK")
    machine = (busy1 - busy0) / tick
    # The web process and PostgreSQL also work for us; 'others' is everything but the workers.
    others = max(0.0, machine - ours) / (elapsed * CORES)
    return {
        "workers": workers,
        "rate": submits / elapsed,
        "elapsed": elapsed,
        "others": others,
        "cpu_per_submit": ours / submits,
        "load": _load()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submits", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=2, help="rounds per worker count")
    parser.add_argument("--workers", default="1,2", help="worker counts, interleaved")
    parser.add_argument("--concurrency", type=int, default=1, help="jobs at once per worker")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]

    schema = f"bench_scale_{os.getpid()}"
    admin = BASE.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = f"{BASE}?options=-csearch_path%3D{schema}"
    env = dict(os.environ)
    env.update(
        INTERVIEW_DATABASE_URL=url,
        INTERVIEW_GRADING="queue",
        INTERVIEW_TRUSTED_USER_HEADER="X-Bench-User",
        INTERVIEW_SECRET_KEY="cd" * 32,
        INTERVIEW_RUNS_PER_MINUTE="100000",
        INTERVIEW_QUEUED_JOBS_PER_USER="1000",
    )
    port = _free_port()
    web_proc = None
    try:
        subprocess.run([INTERVIEW, "db", "upgrade"], env=env, check=True, capture_output=True)
        web_proc = subprocess.Popen(
            [INTERVIEW, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        web = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)

        def healthy() -> bool:
            try:
                return web.get("/health").status_code == 200
            except httpx.HTTPError:
                return False

        _wait(healthy, 120, "the web process")
        print(f"{CORES} cores; {args.submits} submits of {PROBLEM} per round; --concurrency {args.concurrency}")
        print(f"load average before: {_load()}")
        results: dict[int, list[dict]] = {n: [] for n in counts}
        for round_number in range(args.rounds):
            for n in counts:
                found = run_round(env, web, n, args.concurrency, args.submits, f"r{round_number}w{n}")
                results[n].append(found)
                print(
                    f"round {round_number + 1}: {n} worker(s): {found['rate']:.2f} submits/s "
                    f"({found['elapsed']:.1f} s), workers' CPU {found['cpu_per_submit']:.2f} s a submit, "
                    f"other processes used {found['others']:.0%} of the machine, load average {found['load']}"
                )
        base = statistics.median(r["rate"] for r in results[counts[0]])
        for n in counts:
            median = statistics.median(r["rate"] for r in results[n])
            print(f"{n} worker(s): median {median:.2f} submits/s = {median / base:.2f}x {counts[0]}")
        print(f"load average after: {_load()}")
    finally:
        if web_proc is not None:
            web_proc.send_signal(signal.SIGTERM)
            web_proc.wait(timeout=30)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()

"""Grading throughput with 1 and 2 (and 4) ``interview worker`` processes, interleaved in one run.

    .venv/bin/python benchmarks/scale.py [--submits 12] [--rounds 2] [--workers 1,2] [--concurrency 1]
        [--install NAME=/path/to/.venv/bin/interview ...]

Needs the PostgreSQL at ``INTERVIEW_TEST_POSTGRES_URL`` (default: the local ``test`` database); works in
fresh schemas of its own and drops them after.  One web process (``INTERVIEW_GRADING=queue``) per
installation takes every submit over HTTP on 127.0.0.1.  Each round starts N workers, waits until every
one has registered and graded one untimed submit (so a process's start-up is not timed, only its grading),
then posts the submits at once (distinct code, so no shared result is reused) and follows each job on its
server-sent events stream, as a page does, until every one is done; then it stops the workers.

Rounds alternate 1, 2, 1, 2, ... (and installation A, B, A, B with ``--install``, to compare two checkouts
on one machine in one run) so a change in the machine's load hits every arm alike.  Each round prints
submits/s, the load average, and the CPU seconds per submit of each party during the timed part, read
from ``/proc``: the workers, the web process, PostgreSQL's backends serving us (found by
``application_name``), this client, and the rest of the machine (other sessions: comparable figures need it
near 0).  The end prints the ratio of the medians.  Run it with ``nice -n 10`` on a shared machine.
"""

from __future__ import annotations

import argparse
import json
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
from typing import Any

import httpx
import psycopg

from interview_live_coding.plugin import module

PROBLEM = "backend-lru-cache"
BASE = os.environ.get("INTERVIEW_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
ADMIN = BASE.replace("postgresql+psycopg://", "postgresql://")
CORES = os.cpu_count() or 1
TICK = os.sysconf("SC_CLK_TCK")
USERS = [f"bench{n}@example.com" for n in range(4)]
FINAL = ("done", "failed", "cancelled")


def _busy_jiffies() -> int:
    """Busy CPU jiffies of the whole machine since boot."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    return sum(fields) - fields[3] - fields[4]


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far; 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _load() -> str:
    with open("/proc/loadavg") as loadavg:
        return loadavg.read().split()[0]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(check: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise SystemExit(f"timed out waiting for {what}")


class Install:
    """One installation under test: its schema, its web process, its workers."""

    def __init__(self, name: str, interview: str, index: int) -> None:
        self.name = name
        self.interview = interview
        self.schema = f"bench_scale_{os.getpid()}_{index}"
        self.app_name = f"bench-{self.schema}"
        self.url = f"{BASE}?application_name={self.app_name}&options=-csearch_path%3D{self.schema}"
        self.env = dict(os.environ)
        self.env.update(
            INTERVIEW_DATABASE_URL=self.url,
            INTERVIEW_GRADING="queue",
            INTERVIEW_TRUSTED_USER_HEADER="X-Bench-User",
            INTERVIEW_SECRET_KEY="cd" * 32,
            INTERVIEW_RUNS_PER_MINUTE="100000",
            INTERVIEW_QUEUED_JOBS_PER_USER="1000",
        )
        self.web_proc: subprocess.Popen[bytes] | None = None
        self.web: httpx.Client | None = None
        self.base_url = ""

    def start(self) -> None:
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {self.schema}")
        subprocess.run([self.interview, "db", "upgrade"], env=self.env, check=True, capture_output=True)
        port = _free_port()
        self.web_proc = subprocess.Popen(
            [self.interview, "serve", "--port", str(port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base_url = f"http://127.0.0.1:{port}"
        self.web = httpx.Client(base_url=self.base_url, timeout=120)

        def healthy() -> bool:
            assert self.web is not None
            try:
                return self.web.get("/health").status_code == 200
            except httpx.HTTPError:
                return False

        _wait(healthy, 180, f"the web process of {self.name}")

    def stop(self) -> None:
        if self.web_proc is not None:
            self.web_proc.send_signal(signal.SIGTERM)
            try:
                self.web_proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.web_proc.kill()
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")

    def db_backends(self) -> list[int]:
        """PostgreSQL's backend processes serving this installation (web, workers)."""
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", (self.app_name,))
            return [int(row[0]) for row in rows]

    def registered_workers(self) -> int:
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            found = conn.execute(f"SELECT count(*) FROM {self.schema}.procrastinate_workers").fetchone()
            return int(found[0]) if found else 0

    # -- one round ----------------------------------------------------------------------------

    def sessions(self, count: int) -> list[tuple[str, str]]:
        assert self.web is not None
        made = []
        for index in range(count):
            user = USERS[index % len(USERS)]
            created = self.web.post(
                "/api/coding/sessions/",
                json={"track": "backend", "difficulty": "mid", "problemId": PROBLEM},
                headers={"X-Bench-User": user},
            )
            created.raise_for_status()
            made.append((created.json()["id"], user))
        return made

    def submit(self, session: tuple[str, str], source: str) -> str:
        assert self.web is not None
        answer = self.web.post(
            f"/api/coding/sessions/{session[0]}/submit", json={"source": source}, headers={"X-Bench-User": session[1]}
        )
        if answer.status_code != 202:
            raise SystemExit(f"a submit was refused: {answer.status_code} {answer.text[:300]}")
        return str(answer.json()["id"])

    def follow(self, job_id: str, user: str) -> dict[str, Any]:
        """Read the job's events stream until it is final (the way a page follows it)."""
        with (
            httpx.Client(base_url=self.base_url, timeout=httpx.Timeout(60, read=900)) as client,
            client.stream("GET", f"/api/jobs/{job_id}/events", headers={"X-Bench-User": user}) as stream,
        ):
            for line in stream.iter_lines():
                if line.startswith("data:"):
                    event = json.loads(line[5:])
                    if event["state"] in FINAL:
                        return dict(event)
        raise SystemExit(f"the events stream of job {job_id} ended before the job did")

    def grade(self, sessions: list[tuple[str, str]], tag: str) -> None:
        """Submit once per session at once and follow every job to its end."""
        reference = module().pack.problems[PROBLEM].reference
        with ThreadPoolExecutor(len(sessions)) as pool:
            jobs = list(
                pool.map(lambda i: self.submit(sessions[i], f"{reference}\n# {tag} {i}\n"), range(len(sessions)))
            )
            ends = list(pool.map(lambda i: self.follow(jobs[i], sessions[i][1]), range(len(sessions))))
        bad = [end for end in ends if end["state"] != "done"]
        if bad:
            raise SystemExit(f"a job did not grade: {bad[0]['state']} {bad[0]['error']}")

    def round(self, workers: int, concurrency: int, submits: int, tag: str) -> dict[str, Any]:
        warm = self.sessions(workers * concurrency)
        timed = self.sessions(submits)
        procs = [
            subprocess.Popen(
                [self.interview, "worker", "--concurrency", str(concurrency)],
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(workers)
        ]
        try:
            _wait(lambda: self.registered_workers() >= workers, 180, "the workers to register")
            self.grade(warm, f"{tag} warm")  # one submit a job slot, untimed: start-up is not grading
            assert self.web_proc is not None
            backends = self.db_backends()
            parties = {"workers": [p.pid for p in procs], "web": [self.web_proc.pid], "database": backends}
            before = {pid: _cpu(pid) for pids in parties.values() for pid in pids}
            client0 = _self_cpu()
            busy0 = _busy_jiffies()
            start = time.perf_counter()
            self.grade(timed, tag)
            elapsed = time.perf_counter() - start
            busy1 = _busy_jiffies()
            client = _self_cpu() - client0
            new_backends = [pid for pid in self.db_backends() if pid not in backends]  # opened meanwhile: all counted
            # A backend that closed meanwhile reads 0: its share is lost rather than subtracted.
            used = {name: sum(max(0.0, _cpu(pid) - before[pid]) for pid in pids) for name, pids in parties.items()}
            used["database"] += sum(_cpu(pid) for pid in new_backends)
            used["client"] = client
        finally:
            for proc in procs:
                proc.send_signal(signal.SIGTERM)
            for proc in procs:
                try:
                    proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    proc.kill()
        machine = (busy1 - busy0) / TICK
        rest = max(0.0, machine - sum(used.values()))
        return {
            "install": self.name,
            "workers": workers,
            "rate": submits / elapsed,
            "elapsed": elapsed,
            "per_submit": {name: seconds / submits for name, seconds in used.items()},
            "rest": rest / (elapsed * CORES),
            "load": _load(),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submits", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=2, help="rounds per worker count")
    parser.add_argument("--workers", default="1,2", help="worker counts, interleaved")
    parser.add_argument("--concurrency", type=int, default=1, help="jobs at once per worker")
    parser.add_argument(
        "--install",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="an `interview` executable to measure (repeatable, interleaved); default: this checkout's",
    )
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    named = [spec.split("=", 1) for spec in args.install] or [["this", str(Path(sys.executable).parent / "interview")]]
    installs = [Install(name, path, index) for index, (name, path) in enumerate(named)]

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # clean up the schemas when stopped
    try:
        for install in installs:
            install.start()
        print(f"{CORES} cores; {args.submits} submits of {PROBLEM} a round; --concurrency {args.concurrency}")
        print(f"load average before: {_load()}")
        results: dict[tuple[str, int], list[dict[str, Any]]] = {}
        for number in range(args.rounds):
            for install in installs:
                for n in counts:
                    found = install.round(n, args.concurrency, args.submits, f"r{number}w{n}")
                    results.setdefault((install.name, n), []).append(found)
                    cpu = ", ".join(f"{name} {seconds:.3f}" for name, seconds in found["per_submit"].items())
                    print(
                        f"round {number + 1} {install.name}: {n} worker(s): {found['rate']:.2f} submits/s "
                        f"({found['elapsed']:.1f} s); CPU s a submit: {cpu}; "
                        f"rest of the machine {found['rest']:.0%}; load average {found['load']}",
                        flush=True,
                    )
        for install in installs:
            base = statistics.median(r["rate"] for r in results[(install.name, counts[0])])
            for n in counts:
                median = statistics.median(r["rate"] for r in results[(install.name, n)])
                print(
                    f"{install.name}: {n} worker(s): median {median:.2f} submits/s = {median / base:.2f}x {counts[0]}"
                )
        print(f"load average after: {_load()}")
    finally:
        for install in installs:
            install.stop()


if __name__ == "__main__":
    main()

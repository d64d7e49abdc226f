"""Pages stay responsive while the sandbox is saturated: 12 looping runs, a reader every 250 ms.

    .venv/bin/python benchmarks/containment.py [--runs 12] [--port 8101] [--wall-ms 3000]

Starts ``interview serve`` on 127.0.0.1 with a fresh SQLite database (users come in through
the trusted-header sign-in), then at once:

* ``--runs`` candidates each POST a run of ``while True: pass`` (every sample case loops until
  its wall clock), all concurrently;
* another candidate loads ``/history`` and ``/`` every 250 ms until every run was answered.

It prints every run's status and time, the page latencies (p50, p95, max) and whether each
run's case deadline held within 1.2x.  Bounded: loopback only, at most ``--runs`` + 1 clients,
and it stops after ``--timeout`` seconds whatever happens.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

HEADER = "X-Forwarded-Email"
INTERVIEW = str(Path(sys.executable).with_name("interview"))
LOOP = "def solve(*args):\n    while True:\n        pass\n"


def _statuses(data: object) -> str:
    """Every distinct ``status`` value anywhere in a run's answer (the cases' verdicts)."""
    found, stack = set(), [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("status"), str):
                found.add(item["status"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return ",".join(sorted(found))


def _wait_up(base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=12)
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    folder = Path(tempfile.mkdtemp(prefix="containment-"))
    env = {
        **os.environ,
        "INTERVIEW_DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
        "INTERVIEW_TRUSTED_USER_HEADER": HEADER,
        "INTERVIEW_RUNS_PER_MINUTE": "1000",
    }
    subprocess.run([INTERVIEW, "db", "upgrade"], env=env, check=False, capture_output=True)
    server = subprocess.Popen(
        [INTERVIEW, "serve", "--port", str(args.port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stop = time.monotonic() + args.timeout
    try:
        _wait_up(base, stop)
        items = httpx.get(
            f"{base}/api/modules/live_coding/items",
            params={"track": "backend", "difficulty": "mid"},
            headers={HEADER: "reader@example.com"},
            timeout=30,
        ).json()
        problem = items[0]["id"]
        sessions = []
        for i in range(args.runs):
            who = {HEADER: f"runner{i}@example.com"}
            body = {"track": "backend", "difficulty": "mid", "problemId": problem}
            created = httpx.post(f"{base}/api/coding/sessions", json=body, headers=who, timeout=30)
            created.raise_for_status()
            session_id = created.json()["id"]
            prompt = httpx.get(f"{base}/api/coding/sessions/{session_id}/prompt", headers=who, timeout=30).json()
            starter = str(prompt["data"].get("starterCode") or prompt["data"].get("starter") or "")
            entry = starter.split("def ", 1)[1].split("(", 1)[0] if "def " in starter else "solve"
            sessions.append((who, session_id, LOOP.replace("solve", entry)))
        httpx.get(f"{base}/history", headers={HEADER: "reader@example.com"}, timeout=30)  # warm the page

        runs: list[tuple[int, float, str]] = []
        pages: list[float] = []
        done = threading.Event()

        def run(who: dict[str, str], session_id: str, source: str) -> None:
            started = time.monotonic()
            try:
                answer = httpx.post(
                    f"{base}/api/coding/sessions/{session_id}/run",
                    json={"source": source},
                    headers=who,
                    timeout=max(1.0, stop - time.monotonic()),
                )
                statuses = _statuses(answer.json()["data"])
                runs.append((answer.status_code, time.monotonic() - started, statuses))
            except (httpx.HTTPError, ValueError, KeyError) as exc:
                runs.append((0, time.monotonic() - started, type(exc).__name__))

        def read() -> None:
            reader = {HEADER: "reader@example.com"}
            with httpx.Client(timeout=30) as client:
                while not done.is_set() and time.monotonic() < stop:
                    for path in ("/history", "/"):
                        started = time.monotonic()
                        client.get(f"{base}{path}", headers=reader)
                        pages.append(time.monotonic() - started)
                        time.sleep(0.25)

        threads = [threading.Thread(target=run, args=triple) for triple in sessions]
        reader = threading.Thread(target=read)
        began = time.monotonic()
        reader.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(0.0, stop - time.monotonic()))
        done.set()
        reader.join(timeout=60)
        total = time.monotonic() - began
    finally:
        server.terminate()
        server.wait(timeout=30)
    answered = sum(1 for status, _t, _s in runs if status in (200, 201))
    print(f"runs answered: {answered}/{args.runs} in {total:.1f} s")
    for status, seconds, statuses in sorted(runs, key=lambda r: r[1]):
        print(f"  run: HTTP {status} after {seconds:.1f} s, case statuses {statuses}")
    pages.sort()
    p95 = pages[max(0, int(len(pages) * 0.95) - 1)] if pages else float("nan")
    print(
        f"page loads: {len(pages)}, p50 {statistics.median(pages) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {pages[-1] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()

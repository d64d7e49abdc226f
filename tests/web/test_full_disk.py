"""A temp disk that is really full (a small tmpfs mounted by the test): the sandbox's fault, never the candidate's.

Earlier tests made the disk "full" by patching a function to raise ENOSPC; these fill a real file system
(tmpfs, 256 KiB) and point the process's temp dir and run-dir base at it, so every file the sandbox
writes for a run fails as it would on a full /tmp.  Mounting needs root (CAP_SYS_ADMIN), which the test
machine has; without it the fixture fails loudly rather than skipping.
"""

from __future__ import annotations

import errno
import os
import secrets
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from interview_engine import Engine
from interview_engine.runner import CallCase, CaseStatus, RunStatus
from interview_live_coding.plugin import module
from interview_sandbox import Sandbox, scratch
from interview_sandbox import sandbox as sandbox_module

from .conftest import sign_up

PROBLEM = "backend-lru-cache"


def _fill(mount: Path) -> None:
    with open(mount / "fill", "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"x" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


@pytest.fixture
def full_temp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The process's temp dir on a tmpfs of 256 KiB, filled to the last byte."""
    mount = Path(f"/tmp/interview-full-disk-{os.getpid()}-{secrets.token_hex(4)}")
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k,nr_inodes=1024", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if made.returncode != 0:
        mount.rmdir()
        pytest.fail(f"cannot mount a tmpfs for the full-disk test (needs root): {made.stderr.strip()}")
    try:
        _fill(mount)
        with monkeypatch.context() as patch:
            # Run dirs go to the scratch base (``/dev/shm`` when it has room), so both it and the
            # temp dir are pointed at the full mount; the base is chosen once per process.
            patch.setattr(tempfile, "tempdir", str(mount))
            patch.setenv("INTERVIEW_SANDBOX_SCRATCH", str(mount))
            scratch.base_dir.cache_clear()
            assert scratch.base_dir() == mount
            yield mount
    finally:
        scratch.base_dir.cache_clear()
        subprocess.run(["umount", "-l", str(mount)], check=False)
        mount.rmdir()


def test_a_full_temp_disk_is_a_sandbox_fault_and_leaves_nothing(full_temp: Path) -> None:
    box = Sandbox(cache_size=0)
    [outcome] = box.call_cases(f"def f(x):\n    return x  # {secrets.token_hex(4)}\n", "f", [CallCase("a", [1])])
    assert outcome.status is CaseStatus.SANDBOX_ERROR
    assert "No space left on device" in outcome.error
    ran = box.run("print('hi')")
    assert ran.status is RunStatus.SANDBOX_ERROR and "No space left on device" in ran.detail
    assert sorted(os.listdir(full_temp)) == ["fill"]  # the run dirs it could start were removed
    assert sandbox_module.machine().threads_alive()
    (full_temp / "fill").unlink()  # space again: runs work again, nothing was cached as a fault
    [again] = box.call_cases(f"def f(x):\n    return x  # {secrets.token_hex(4)}\n", "f", [CallCase("a", [1])])
    assert again.status is CaseStatus.RETURNED and again.actual == 1


def test_a_submit_on_a_full_temp_disk_is_not_graded_and_keeps_the_submission(
    client: Any, web_engine: Engine, full_temp: Path
) -> None:
    token = sign_up(client, "ada@example.com")
    created = client.post(
        "/api/coding/sessions/",
        json={"track": "backend", "difficulty": "mid", "problemId": PROBLEM},
        headers={"x-csrf-token": token},
    )
    session_id = created.json()["id"]
    source = module().pack.problems[PROBLEM].reference + f"\n# {secrets.token_hex(8)}\n"  # never a cached result
    answered = client.post(
        f"/api/coding/sessions/{session_id}/submit", json={"source": source}, headers={"x-csrf-token": token}
    )
    assert answered.status_code == 201, answered.text  # the submission is stored; grading is what failed
    data = answered.json()["data"]
    assert data["graded"] is False and data["retryable"] is True
    assert data["message"] == "not graded: the sandbox failed, try again"
    kept = web_engine.store.submissions(session_id)
    assert [list(s.files.values()) for s in kept] == [[source]]  # the candidate's code is not lost
    assert web_engine.store.get_evaluation(session_id) is None  # and nothing was scored

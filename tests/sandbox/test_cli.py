"""The sandbox CLI as a user runs it: python -m interview_sandbox ..."""

import json
import subprocess
import sys

from interview_sandbox.cli import EXIT_CODES


def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "interview_sandbox", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def test_run_json_and_exit_codes(tmp_path):
    ok = tmp_path / "ok.py"
    ok.write_text("print(input())")
    stdin = tmp_path / "in.txt"
    stdin.write_text("hello\n")
    done = cli("run", str(ok), "--stdin", str(stdin), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["status"] == "ok" and data["stdout"] == "hello\n"
    assert "panicked" not in done.stderr  # clean interpreter exit

    hostile = tmp_path / "loop.py"
    hostile.write_text("import time\ntime.sleep(3600)")
    done = cli("run", str(hostile), "--wall-ms", "500")
    assert done.returncode == 3
    assert "[time_limit]" in done.stderr and "Traceback" not in done.stderr
    assert len(set(EXIT_CODES.values())) == len(EXIT_CODES)


def test_errors_are_one_line(tmp_path):
    done = cli("run", str(tmp_path / "missing.py"))
    assert done.returncode != 0
    assert "Traceback" not in done.stderr


def test_doctor_and_fetch():
    fetch = cli("fetch")
    assert fetch.returncode == 0 and "already cached" in fetch.stdout
    doctor = cli("doctor", "--json")
    assert doctor.returncode == 0
    info = json.loads(doctor.stdout)
    assert info["installed"] is True and info["precompiled"] is True
    assert len(info["wasm_sha256"]) == 64

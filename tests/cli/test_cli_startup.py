"""``interview --help`` and the help of plugin groups import no storage, sandbox or plugin content.

Each command runs in a fresh interpreter (this test process has imported everything already)
and writes the names of the modules it imported to a file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

_PROBE = """
import json, sys
out, args = sys.argv[1], sys.argv[2:]
sys.argv = ["interview", *args]
from interview_cli.main import main
try:
    main()
except SystemExit:
    pass
with open(out, "w") as handle:
    json.dump(sorted(sys.modules), handle)
"""

HEAVY = ("sqlalchemy", "alembic", "wasmtime", "litestar", "elevenlabs", "procrastinate", "psycopg")
CONTENT = (
    "interview_engine.storage",
    "interview_engine.engine",
    "interview_sandbox.sandbox",
    "interview_sandbox.runtime",
    "interview_live_coding.module",
    "interview_live_coding.pack",
    "interview_debugging.module",
    "interview_debugging.pack",
    "interview_voice_screen.module",
    "interview_voice_screen.bank",
)


def imported(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> set[str]:
    out = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", _PROBE, str(out), *args],
        check=True,
        capture_output=True,
        timeout=120,
        env=env,
    )
    return set(json.loads(out.read_text()))


@pytest.mark.parametrize(
    "args",
    [("--help",), ("coding", "--help"), ("coding", "run", "--help"), ("debug", "--help"), ("screen", "--help")],
)
def test_help_imports_no_storage_sandbox_or_content(tmp_path: Path, args: tuple[str, ...]) -> None:
    modules = imported(tmp_path, *args)
    assert "interview_cli.main" in modules
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    content = sorted(m for m in modules if m in CONTENT)
    assert heavy == [] and content == []


def test_a_command_on_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    import os

    env = {**os.environ, "INTERVIEW_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db"}
    first = imported(tmp_path, "history", env=env)  # a fresh database: migrated
    assert "alembic" in first
    again = imported(tmp_path, "history", env=env)
    assert "sqlalchemy" in again and "alembic" not in again

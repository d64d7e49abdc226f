"""Docs cannot go stale: every hook is documented with its exact signature and has a test named after it,
and every example runs."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from interview_engine import hookspecs

ROOT = Path(__file__).parents[1]
HOOKS = sorted(
    name for name, value in vars(hookspecs).items() if callable(value) and hasattr(value, "interview_engine_spec")
)


def _signature(name: str) -> str:
    function = getattr(hookspecs, name)
    hints = inspect.signature(function)
    params = ", ".join(f"{p.name}: {p.annotation}" for p in hints.parameters.values())
    return f"{name}({params}) -> {hints.return_annotation}"


def test_there_are_hooks() -> None:
    assert {
        "register_modules",
        "code_runner",
        "answer_scorer",
        "study_resources",
        "on_session_ended",
        "web_routes",
        "cli_commands",
    } <= set(HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented_with_its_signature(hook: str) -> None:
    docs = (ROOT / "docs" / "plugins.md").read_text()
    assert f"`{_signature(hook)}`" in docs


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test_named_after_it(hook: str) -> None:
    tests = (ROOT / "tests" / "engine" / "test_hooks.py").read_text()
    assert re.search(rf"^def test_{hook}\(", tests, re.MULTILINE)


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_docstring_with_an_example(hook: str) -> None:
    doc = getattr(hookspecs, hook).__doc__ or ""
    assert "Example::" in doc and "@hookimpl" in doc


def test_embed_example_runs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'embed.db'}"
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "embed.py"), url],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ),
    )
    assert result.returncode == 0, result.stderr
    assert "candidate@acme.example" in result.stdout

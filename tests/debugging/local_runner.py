"""A CodeRunner on plain CPython subprocesses, for tests on machines without the Wasm sandbox.

Not a sandbox: it runs content and test code only, never in the product.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from interview_engine import CallCase, CaseOutcome, CaseStatus, Limits, RunResult, RunStatus, hookimpl

_TEST_HARNESS = r"""
import importlib, io, json, sys, contextlib
names = json.loads(sys.argv[1])
out = []
for path, functions in names:
    module_name = path[:-3].replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except BaseException as exc:
        for fn in functions:
            out.append({"name": f"{path}::{fn}", "status": "not_run", "error": f"{type(exc).__name__}: {exc}"})
        continue
    for fn in functions:
        buf = io.StringIO()
        try:
            with contextlib.redirect_stdout(buf):
                getattr(module, fn)()
            out.append({"name": f"{path}::{fn}", "status": "returned", "stdout": buf.getvalue()})
        except BaseException as exc:
            message = str(exc) or type(exc).__name__
            if not isinstance(exc, AssertionError):
                message = f"{type(exc).__name__}: {exc}"
            out.append({"name": f"{path}::{fn}", "status": "raised", "error": message, "stdout": buf.getvalue()})
sys.__stdout__.write("\n@@RESULT@@" + json.dumps(out))
"""

_CALL_HARNESS = r"""
import json, sys, runpy
sys.path.insert(0, ".")
space = runpy.run_path("__entry__.py")
cases = json.loads(sys.argv[1])
entry = sys.argv[2]
encode = runpy.run_path("__wire__.py")["encode"]
out = []
for name, args in cases:
    try:
        value = space[entry](*args)
        out.append({"name": name, "status": "returned", "actual": encode(value)})
    except BaseException as exc:
        out.append({"name": name, "status": "raised", "error": f"{type(exc).__name__}: {exc}"})
sys.__stdout__.write("\n@@RESULT@@" + json.dumps(out))
"""


def _write(root: Path, files: Mapping[str, str]) -> None:
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def _python(root: Path, args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-I", *args],
        cwd=root,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=30,
        env={"PYTHONPATH": str(root), "PYTHONHASHSEED": "0"},
    )


def _results(stdout: str) -> list[dict[str, Any]]:
    _, _, tail = stdout.rpartition("@@RESULT@@")
    parsed: list[dict[str, Any]] = json.loads(tail)
    return parsed


class LocalRunner:
    def run(
        self,
        source: str,
        *,
        stdin: str = "",
        files: Mapping[str, str] | None = None,
        limits: Limits | None = None,
    ) -> RunResult:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            _write(root, {**(files or {}), "__main_script__.py": source})
            started = time.monotonic()
            done = _python(
                root,
                ["-c", "import sys; sys.path.insert(0, '.'); exec(open('__main_script__.py').read())"],
                stdin,
            )
            status = RunStatus.OK if done.returncode == 0 else RunStatus.RUNTIME_ERROR
            return RunResult(
                status, done.returncode, done.stdout, done.stderr, 0, (time.monotonic() - started) * 1000, 0
            )

    def call_cases(
        self,
        source: str,
        entry: str,
        cases: Sequence[CallCase],
        *,
        files: Mapping[str, str] | None = None,
        limits: Limits | None = None,
    ) -> list[CaseOutcome]:
        wire = Path(__file__).parents[2] / "src" / "interview_engine" / "wire.py"
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            _write(root, {**(files or {}), "__entry__.py": source, "__wire__.py": wire.read_text()})
            payload = json.dumps([[case.name, list(case.args)] for case in cases])
            done = _python(root, ["-c", _CALL_HARNESS, payload, entry])
            if "@@RESULT@@" not in done.stdout:
                return [
                    CaseOutcome(case.name, CaseStatus.NOT_RUN, error=done.stderr[-500:]) for case in cases
                ]
            return [
                CaseOutcome(
                    r["name"], CaseStatus(r["status"]), actual=r.get("actual"), error=r.get("error", "")
                )
                for r in _results(done.stdout)
            ]

    def measure_growth(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("not used by the debugging module")

    def run_test_functions(
        self,
        files: Mapping[str, str],
        test_files: Sequence[str],
        *,
        limits: Limits | None = None,
    ) -> list[CaseOutcome]:
        names = []
        for path in test_files:
            try:
                tree = ast.parse(files[path])
                functions = [
                    n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")
                ]
            except SyntaxError:
                functions = ["<module>"]
            names.append([path, functions])
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            _write(root, files)
            done = _python(
                root, ["-c", "import sys\nsys.path.insert(0, '.')\n" + _TEST_HARNESS, json.dumps(names)]
            )
            if "@@RESULT@@" not in done.stdout:
                return [
                    CaseOutcome(f"{p}::{f}", CaseStatus.NOT_RUN, error=done.stderr[-500:])
                    for p, fs in names
                    for f in fs
                ]
            return [
                CaseOutcome(
                    r["name"], CaseStatus(r["status"]), error=r.get("error", ""), stdout=r.get("stdout", "")
                )
                for r in _results(done.stdout)
            ]


class LocalRunnerPlugin:
    """Installs :class:`LocalRunner` through the ``code_runner`` hook."""

    def __init__(self) -> None:
        self.runner = LocalRunner()

    @hookimpl(trylast=True)
    def code_runner(self) -> LocalRunner:
        return self.runner

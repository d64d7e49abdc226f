"""Every run is an instance of one pre-initialised interpreter, and starts from a pristine copy of it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import wasmtime

from interview_engine.runner import CallCase, CaseStatus, Limits, RunStatus
from interview_sandbox import Sandbox, runtime, snapshot, startup, wasm_edit
from interview_sandbox.errors import RuntimeUnavailable

FAST = Limits(wall_ms=5000, fuel=2_000_000_000)

# Each program changes something a later run would see if the snapshot's memory were shared.
MUTATIONS = [
    "import math\nmath.pi = 3",
    "import builtins\nbuiltins.len = lambda x: 0",
    "import sys\nsys.path.insert(0, '/nowhere')\nsys.modules['json'] = None",
    "import collections\ncollections.Counter = None",
    "import gc, json\ngc.unfreeze()\nblob = bytearray(40 << 20)\njson.dumps = lambda value: 'forged'",
]
PROBE = (
    "import math, builtins, sys, collections, json\n"
    "print(math.pi, builtins.len('ab'), '/nowhere' in sys.path, json.dumps([1]), collections.Counter('aab')['a'])"
)
PRISTINE = "3.141592653589793 2 False [1] 2\n"


def test_a_run_starts_from_the_snapshot_not_a_cold_interpreter(sandbox: Sandbox) -> None:
    # A cold CPython start cost ~67 M fuel before the first line of a program; common modules
    # are already imported, and `import` of one is a dictionary lookup.
    hello = sandbox.run("print('hi')", limits=FAST)
    assert hello.status is RunStatus.OK and hello.stdout == "hi\n"
    assert hello.fuel_used < 15_000_000
    # The run export's own code is compiled in the snapshot: a run parses nothing of it (4.6 M fuel when it did).
    assert hello.fuel_used < 1_500_000
    imports = sandbox.run("import " + ", ".join(snapshot.PRELOADED), limits=FAST)
    assert imports.status is RunStatus.OK, imports.stderr
    assert imports.fuel_used - hello.fuel_used < 1_000_000


def test_no_run_sees_what_an_earlier_run_changed(sandbox: Sandbox) -> None:
    assert sandbox.run(PROBE, limits=FAST).stdout == PRISTINE
    for mutation in MUTATIONS:
        changed = sandbox.run(mutation + "\n" + PROBE, limits=FAST)
        assert changed.stdout != PRISTINE or changed.status is not RunStatus.OK
        assert sandbox.run(PROBE, limits=FAST).stdout == PRISTINE, mutation


def test_concurrent_runs_share_nothing(sandbox: Sandbox) -> None:
    programs = [
        f"import math\nmath.tag = {i}\nprint(math.tag, getattr(math, 'seen', None))\nmath.seen = 1" for i in range(8)
    ]
    results = sandbox.run_many(programs, limits=FAST)
    assert [r.stdout for r in results] == [f"{i} None\n" for i in range(8)]


def test_a_run_sees_what_python_dash_s_dash_c_gives(sandbox: Sandbox) -> None:
    source = (
        "import os, sys, builtins\n"
        "print(sys.flags.no_site, 'site' in sys.modules, hasattr(builtins, 'exit'), sys.argv, sys.path[0], os.getcwd())"
    )
    result = sandbox.run(source, limits=FAST)
    assert result.stdout == "1 False False ['main.py'] /work /work\n", result.stderr


def test_a_case_runs_in_the_work_dir_the_snapshot_starts_in(sandbox: Sandbox) -> None:
    source = "import os\ndef where():\n    return [os.getcwd(), open('data.txt').read()]\n"
    outcome = sandbox.call_cases(source, "where", [CallCase("cwd", [])], files={"data.txt": "here"}, limits=FAST)[0]
    assert outcome.status is CaseStatus.RETURNED and outcome.actual == ["/work", "here"], outcome


def test_random_is_seeded_by_the_run_not_by_the_snapshot(sandbox: Sandbox) -> None:
    assert "random" not in snapshot.PRELOADED
    first = sandbox.run("import random\nprint(random.random())", limits=FAST)
    again = sandbox.run("import random\nprint(random.random())", limits=FAST)
    assert first.status is RunStatus.OK and first.stdout == again.stdout  # the run's seeded random_get
    assert first.fuel_used == again.fuel_used  # importing a stdlib module costs exactly the same


EXITS = {
    "raise": ("def f():\n    1 / 0\nf()", 1, 'File "main.py", line 2, in f'),
    "system-exit-text": ("import sys\nsys.exit('bye')", 1, "bye"),
    "system-exit-none": ("raise SystemExit", 0, ""),
    "system-exit-huge": ("raise SystemExit(2**40)", 1, ""),
}


@pytest.mark.parametrize(("source", "code", "stderr"), EXITS.values(), ids=EXITS.keys())
def test_a_program_ends_as_python_c_would(sandbox: Sandbox, source: str, code: int, stderr: str) -> None:
    result = sandbox.run(source, limits=FAST)
    assert result.exit_code == code, result.stderr
    assert stderr in result.stderr
    assert "_sandbox_run" not in result.stderr  # the traceback starts at the program's own frames


def test_the_entry_points_are_appended_to_a_valid_module() -> None:
    original = runtime.wasm_path().read_bytes()
    edited = wasm_edit.add_entry_points(original, "pass", "pass")
    engine = wasmtime.Engine()
    wasmtime.Module.validate(engine, edited)
    module = wasmtime.Module(engine, edited)
    exports = {export.name for export in module.exports}
    assert exports == {"memory", "_start", wasm_edit.INIT_EXPORT, wasm_edit.RUN_EXPORT}
    assert len(edited) < len(original) / 2  # the DWARF sections are gone


def test_a_module_without_the_interpreter_functions_is_refused() -> None:
    bare = wasmtime.wat2wasm('(module (func (export "_start")) (memory (export "memory") 1))')
    with pytest.raises(RuntimeUnavailable, match="does not name"):
        wasm_edit.add_entry_points(bytes(bare), "pass", "pass")


def test_wizer_is_checked_before_it_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEW_SANDBOX_WIZER", str(tmp_path / "missing"))
    with pytest.raises(RuntimeUnavailable, match="not installed"):
        snapshot.build(runtime.wasm_path(), runtime.lib_dir(), tmp_path / "out.wasm", [])
    forged = tmp_path / "wizer"
    forged.write_bytes(b"#!/bin/sh\nexit 0\n")
    forged.chmod(0o755)
    monkeypatch.setenv("INTERVIEW_SANDBOX_WIZER", str(forged))
    with pytest.raises(RuntimeUnavailable, match="sha256"):
        snapshot.build(runtime.wasm_path(), runtime.lib_dir(), tmp_path / "out.wasm", [])
    assert not (tmp_path / "out.wasm").exists()


def test_the_installed_wizer_is_the_pinned_one() -> None:
    path = snapshot.wizer_path()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == snapshot.WIZER_SHA256


def test_the_snapshot_is_named_by_what_it_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    before = runtime.snapshot_path()
    assert before.exists() and runtime.snapshot_compiled_path().exists()
    monkeypatch.setattr(snapshot, "PRELOADED", (*snapshot.PRELOADED, "fractions"))
    assert runtime.snapshot_path() != before
    monkeypatch.setattr(startup, "GUEST_STDLIB", "/elsewhere")
    assert "/elsewhere" in snapshot.init_program(runtime.lib_dir())

"""How an instance starts: boot zip, seeded stdlib listing, precompiled harness, fast exit."""

import pytest

from interview_engine.runner import CallCase, CaseStatus, Limits, RunStatus
from interview_sandbox import Sandbox, harness, runtime, snapshot, startup

FAST = Limits(wall_ms=3000, fuel=2_000_000_000)


def test_codecs_outside_the_boot_zip_still_load(sandbox: Sandbox):
    source = "print('é'.encode('latin-1'), 'x'.encode('cp1252'), '😀'.encode('utf-16-le'), 'a'.encode('idna'))"
    result = sandbox.run(source, limits=FAST)
    assert result.status is RunStatus.OK, result.stderr
    assert result.stdout == "b'\\xe9' b'x' b'=\\xd8\\x00\\xde' b'a'\n"


def test_stdlib_imports_and_a_missing_module(sandbox: Sandbox):
    source = "import heapq, json, collections.abc, email.message\nprint(heapq.nsmallest(1, [3, 1]))"
    ok = sandbox.run(source, limits=FAST)
    assert ok.status is RunStatus.OK and ok.stdout == "[1]\n", ok.stderr
    missing = sandbox.run("import numpy", limits=FAST)
    assert missing.status is RunStatus.RUNTIME_ERROR
    assert "ModuleNotFoundError: No module named 'numpy'" in missing.stderr


@pytest.mark.parametrize("mtime_matches", [True, False], ids=["seeded", "dir-changed"])
def test_the_seeded_listing_is_used_only_while_the_stdlib_dir_is_unchanged(mtime_matches):
    # A listing without fractions.py: trusted while the dir's mtime matches, relisted once it differs.
    # The snapshot ran the real prelude; the program seeds the finder again with the fake listing
    # (fractions is not among the modules the snapshot imported).
    assert "fractions" not in snapshot.PRELOADED
    mtime, names = startup.listing(runtime.lib_dir() / "python3.11")
    names.remove("fractions.py")
    fake = startup._PRELUDE.format(
        stdlib=startup.GUEST_STDLIB, mtime=mtime if mtime_matches else mtime - 1, names="/".join(names)
    )
    result = Sandbox(cache_size=0).run(fake + "import fractions", limits=FAST)
    if mtime_matches:
        assert "No module named 'fractions'" in result.stderr
    else:
        assert result.status is RunStatus.OK, result.stderr


def test_the_harness_runs_from_source_when_bytecode_differs(monkeypatch):
    source = "def f(x):\n    if x < 0:\n        raise ValueError('negative')\n    return [x, 'é']\n"
    cases = [CallCase("a", [2]), CallCase("b", [-1])]
    compiled = Sandbox(cache_size=0).call_cases(source, "f", cases, limits=FAST)
    assert not isinstance(harness.guest_code(runtime.guest_magic()), str)  # this host compiles it
    monkeypatch.setattr(harness, "guest_code", lambda magic, tests=False: harness.guest_program(tests))
    from_source = Sandbox(cache_size=0).call_cases(source, "f", cases, limits=FAST)
    assert [(o.status, o.actual, o.error) for o in from_source] == [(o.status, o.actual, o.error) for o in compiled]
    assert compiled[0].actual == [2, "é"] and compiled[1].status is CaseStatus.RAISED


EXIT_CLOSED_WRITER = "import sys\nclass W:\n    def write(self, s):\n        pass\n"
EXITS = {
    "atexit-runs": ("import atexit\natexit.register(print, 'bye')\nprint('hi', end=' ')", 0, "hi bye\n"),
    "stdout-none": ("import sys\nsys.stdout = None", 0, ""),
    "flush-fails": (EXIT_CLOSED_WRITER + "    def flush(self):\n        raise OSError\nsys.stdout = W()", 120, ""),
    "stdout-closed": ("import sys\nprint('x')\nsys.stdout.close()", 0, "x\n"),
    "sys-exit": ("import sys\nprint('a')\nsys.exit(4)", 4, "a\n"),
}


@pytest.mark.parametrize(("source", "code", "stdout"), EXITS.values(), ids=EXITS.keys())
def test_a_program_exits_as_the_interpreter_would(sandbox: Sandbox, source, code, stdout):
    result = sandbox.run(source, limits=FAST)
    assert (result.exit_code, result.stdout) == (code, stdout), result.stderr

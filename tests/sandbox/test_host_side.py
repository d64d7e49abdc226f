"""Hostile programs that attack what the HOST does with what the guest made.

Each asserts the status AND that the host is unharmed afterwards: host files, the
runtime cache, the clock and police threads, host memory.  Programs whose risk is a
crash or a hang of the host run in a fresh host process with a timeout of its own.
"""

import hashlib
import json
import os
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path

import pytest

from interview_engine.runner import CallCase, CaseStatus, Limits, RunStatus
from interview_sandbox import Sandbox, runtime
from interview_sandbox import sandbox as sandbox_module

S = RunStatus
# A generous wall clock: these programs must be stopped by the scratch caps, which a loaded
# machine's disk may take seconds to fill.
LIMITS = Limits(fuel=20_000_000_000, wall_ms=15_000, memory_bytes=96 * 1024 * 1024)
_RUNTIME_FILES = ("python3.11/json/__init__.py", "python3.11/os.py", "python3.11/__pycache__/os.cpython-311.pyc")


def _runtime_digest() -> str:
    digest = hashlib.sha256()
    for name in _RUNTIME_FILES:
        digest.update((runtime.lib_dir() / name).read_bytes())
    return digest.hexdigest()


@pytest.fixture
def canary(tmp_path_factory):
    """A host file in /tmp whose path a guest could aim a link at."""
    path = Path("/tmp") / f"interview-canary-{os.getpid()}"
    path.write_bytes(b"host data " * 1000)
    yield path
    path.unlink(missing_ok=True)


@pytest.fixture
def unharmed(canary):
    """Checks, after the test, that host files, the runtime cache and the sandbox's threads are intact."""
    before = _runtime_digest()
    yield
    assert canary.read_bytes() == b"host data " * 1000
    assert _runtime_digest() == before
    machine = sandbox_module.machine()
    assert machine.threads_alive() and machine.restarts == 0
    ok = Sandbox(cache_size=0).run("import time\ntime.sleep(5)", limits=Limits(wall_ms=400))
    assert ok.status is S.TIME_LIMIT  # the clock still stops runs


LINKS = {
    "symlink-to-host-file": "os.symlink('../../../../../../../../tmp/{canary}', 'x')",
    "absolute-symlink": "os.symlink('/tmp/{canary}', 'x')",
    "hard-link-to-stdlib": "os.link('/usr/local/lib/python3.11/json/__init__.py', 'x')",
    "hard-link-in-scratch": "open('a', 'w').write('a')\nos.link('a', 'x')",
    "symlink-to-dir": "os.symlink('..', 'x')",
}


@pytest.mark.parametrize("make_link", list(LINKS.values()), ids=list(LINKS))
def test_guest_cannot_make_links(sandbox: Sandbox, canary, unharmed, make_link):
    program = "import os\ntry:\n    " + make_link.format(canary=canary.name).replace("\n", "\n    ")
    program += "\nexcept OSError as exc:\n    print('refused', exc.errno, flush=True)\n"
    # then fill the scratch dir past its cap so the police thread truncates what it finds
    program += "f = open('big', 'wb')\nwhile True:\n    f.write(b'x' * 2**20)\n"
    result = sandbox.run(program, limits=LIMITS)
    assert "refused" in result.stdout, result.stderr[-400:]
    assert result.status is S.OUTPUT_LIMIT


def test_link_dance_while_the_police_truncates(sandbox: Sandbox, unharmed):
    # Renames and re-creates files and dirs as fast as it can while over the cap.
    program = textwrap.dedent(
        """
        import os
        os.makedirs('a/b/c')
        f = open('a/b/c/big', 'wb')
        i = 0
        while True:
            f.write(b'x' * 2**20)
            try:
                os.rename('a', 'z%d' % i)
                os.rename('z%d' % i, 'a')
            except OSError:
                pass
            i += 1
        """
    )
    result = sandbox.run(program, limits=LIMITS)
    assert result.status is S.OUTPUT_LIMIT


def test_many_empty_files_count_against_the_cap(unharmed):
    program = "for i in range(5000):\n    open('f%d' % i, 'w').close()\nimport time\ntime.sleep(1)\nprint('done')"
    # A request can only tighten the sandbox's configured limits, so the longer deadline is configured:
    # creating 5000 files took over 10 s at load average 50 (the default deadline gave time_limit).
    roomy = Sandbox(Limits(wall_ms=120_000), cache_size=0)
    result = roomy.run(program)
    assert result.status is S.OUTPUT_LIMIT
    assert "more than 4096" in result.detail


def test_report_file_tricks_do_not_reach_the_host(sandbox: Sandbox, unharmed):
    # The report channel is a host function, not a file: whatever the guest makes of
    # the old report file's name, cases are reported as they ran.
    source = textwrap.dedent(
        """
        import os
        os.mkdir('/work/.harness-report')
        try:
            os.symlink('/dev/zero', '/work/.harness-reportx')
        except OSError:
            pass
        def f(x):
            return x + 1
        """
    )
    outcomes = sandbox.call_cases(source, "f", [CallCase("a", [1]), CallCase("b", [2])], limits=LIMITS)
    assert [(o.status, o.actual) for o in outcomes] == [(CaseStatus.RETURNED, 2), (CaseStatus.RETURNED, 3)]


def test_orders_are_not_in_any_module(sandbox: Sandbox, unharmed):
    source = textwrap.dedent(
        """
        import sys
        def f(x):
            found = []
            for name, module in list(sys.modules.items()):
                for key, value in list(vars(module).items()):
                    # (callable: re._compiler._code is a stdlib function; re is in the snapshot)
                    if (key in ('_orders', '_code') and not callable(value)) or (
                        isinstance(value, dict) and 'nonce' in value
                    ):
                        found.append(name + '.' + key)
            return found
        """
    )
    [outcome] = sandbox.call_cases(source, "f", [CallCase("a", [1])], limits=LIMITS)
    assert outcome.status is CaseStatus.RETURNED and outcome.actual == []


FLOOD = textwrap.dedent(
    """
    import os, sys
    def f(x):
        nonce = None
        frame = sys._getframe(1)
        while frame is not None and nonce is None:
            for value in frame.f_locals.values():
                cells = getattr(value, '__closure__', None) or ()
                for cell in cells:
                    try:
                        content = cell.cell_contents
                    except ValueError:
                        continue
                    if isinstance(content, bytes) and content.endswith(b' ') and len(content) == 33:
                        nonce = content
            frame = frame.f_back
        forged = (nonce or b'x ') + b'{"status": "returned", "value": [' + b'{},' * 2_700_000 + b'1]}'
        for i in range(20):
            os.pwrite((3 << 24) | x, forged, 0)  # 8 MB each, with the real nonce
            os.pwrite((3 << 24) | x, forged[: 2 * 1024 * 1024 - 100] + b'{}]}', 0)  # just under the cap
        return nonce is not None
    """
)


def test_forged_reports_cannot_grow_host_memory(sandbox: Sandbox, unharmed):
    tracemalloc.start()
    try:
        cases = [CallCase(str(i), [i]) for i in range(3)]
        outcomes = sandbox.call_cases(FLOOD, "f", cases, limits=Limits(wall_ms=20_000, fuel=20_000_000_000))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The code under test found the nonce (it shares the interpreter), so its first forged
    # report for each case is accepted, as "too large" and bounded in the host's memory; the
    # harness's own report then voids the case.
    assert [o.status for o in outcomes] == [CaseStatus.RAISED] * 3
    assert all("reported more than once" in o.error for o in outcomes)
    assert peak < 40 * 1024 * 1024, peak


def _fresh_host(program: str, timeout: float = 120) -> dict:
    """Run a hostile program through the sandbox in a new host process; its verdict and host facts."""
    script = textwrap.dedent(
        """
        import json, resource, sys
        from interview_engine.runner import Limits
        from interview_sandbox import Sandbox, sandbox
        box = Sandbox(cache_size=0)
        first = box.run(sys.stdin.read(), limits=Limits(wall_ms=15_000, fuel=20_000_000_000))
        after = box.run("import time\\ntime.sleep(5)", limits=Limits(wall_ms=1000))
        machine = sandbox.machine()
        print(json.dumps({
            "status": first.status.value, "detail": first.detail, "wall_ms": first.wall_ms,
            "after": after.status.value, "after_wall_ms": after.wall_ms,
            "threads": machine.threads_alive(), "restarts": machine.restarts,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        }))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], input=program, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


DEEP_MAKEDIRS = "import os\nos.makedirs('/'.join(['d'] * 1500))\nimport time\ntime.sleep(3600)"
DEEP = "import os\nfor i in range(1500):\n    os.mkdir('d')\n    os.chdir('d')\nimport time\ntime.sleep(3600)"


@pytest.mark.parametrize(
    ("program", "expected"),
    [
        (DEEP, {"output_limit", "runtime_error"}),
        (
            "import os\nos.makedirs('/'.join(['d'] * 1500))\nimport time\ntime.sleep(3600)",
            {"output_limit", "runtime_error"},
        ),
        ("f = open('big', 'wb')\nwhile True:\n    f.write(b'x' * 2**20)", {"output_limit"}),
    ],
    ids=["deep-tree-chdir", "deep-tree-makedirs", "disk-flood"],
)
def test_deep_trees_and_floods_leave_the_clock_running(canary, program, expected):
    before = _runtime_digest()
    facts = _fresh_host(program)
    assert facts["status"] in expected, facts
    assert facts["after"] == "time_limit" and facts["threads"] and facts["restarts"] == 0, facts
    assert facts["rss_mb"] < 1024, facts
    assert canary.read_bytes() == b"host data " * 1000
    assert _runtime_digest() == before


def test_test_collection_survives_pathological_test_files(sandbox: Sandbox):
    files = {
        "app.py": "def one():\n    return 1\n",
        "tests/test_sum.py": "def test_sum():\n    assert " + "+".join(["1"] * 5000) + "\n",
        "tests/test_chain.py": "import app\ndef test_chain():\n    assert app.one() == 1 or app" + ".x" * 829 + "\n",
        "tests/test_unary.py": "def test_unary():\n    assert " + "-" * 20000 + "1\n",
    }
    tests = ["tests/test_sum.py", "tests/test_chain.py", "tests/test_unary.py"]
    outcomes = {o.name: o for o in sandbox.run_test_functions(files, tests, limits=LIMITS)}
    assert outcomes["tests/test_chain.py::test_chain"].status is CaseStatus.RETURNED
    for path in ("tests/test_sum.py", "tests/test_unary.py"):
        assert outcomes[f"{path}::*"].status is CaseStatus.NOT_RUN
        assert "too deeply nested for the host to analyse" in outcomes[f"{path}::*"].error


FORGED_VALUES = {
    "set-of-dicts": {"$set": [{}]},
    "float-of-a-list": {"$float": []},
    "map-of-ints": {"$map": [1, 2]},
    "set-of-an-int": {"$set": 5},
    "map-with-a-dict-key": {"$map": [[[{}], 1]]},
    "deep": [[[[[[[[[[{"$set": [[{}]]}]]]]]]]]]],
}
# Finds the harness's send through its frames and reports a value no encoding makes, then exits
# before the harness reports (a second report would void the case): the host must take it as a
# value like any other, never fail on it.
FORGES_A_VALUE = textwrap.dedent(
    """
    import os, sys
    def f(forged):
        frame = sys._getframe(1)
        while "send" not in frame.f_locals:
            frame = frame.f_back
        frame.f_locals["send"]("result", frame.f_locals["index"], {"status": "returned", "value": forged})
        os._exit(0)
    """
)


@pytest.mark.parametrize("forged", list(FORGED_VALUES.values()), ids=list(FORGED_VALUES))
def test_forged_values_that_no_encoding_makes_are_only_values(sandbox: Sandbox, unharmed, forged):
    [outcome] = sandbox.call_cases(FORGES_A_VALUE, "f", [CallCase("a", [forged])], limits=LIMITS)
    assert outcome.status is CaseStatus.RETURNED and outcome.actual == forged  # compared by the host, like any value
    # as a growth generator's "input" it is refused, named, and nothing is measured
    generator = FORGES_A_VALUE.replace("def f(forged):", "def make_input(n):\n    forged = " + repr(forged))
    report = sandbox.measure_growth("def f(*a):\n    return 0\n", "f", generator, [10, 20, 40], limits=LIMITS)
    assert report.complexity is None and "make_input" in report.detail

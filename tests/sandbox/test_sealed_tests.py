"""Test runs are sealed: the tests cannot read the program's text, and nothing can forge a verdict (issue 12).

A test function's verdict is decided by the guest harness, in the interpreter the code under
test shares.  Sealed, that code cannot reach the harness (frames, the collector and tracing are
closed by an audit hook installed before any candidate code runs, so the report channel's nonce
stays secret), cannot change what it runs (its builtins, the test module's text and functions
are its own) and cannot read the program it is testing (the program's files are removed once it
is imported; its functions' code objects are closed).  Each test below is an attempt that worked
before the seal.
"""

from __future__ import annotations

import textwrap

import pytest

from interview_engine.runner import CaseStatus, Limits
from interview_sandbox import Sandbox

LIMITS = Limits(fuel=3_000_000_000, wall_ms=20_000)
#: Importing pytest costs ~0.8 G fuel: seconds on a loaded machine; fuel, not the clock, is the cap here.
SLOW_IMPORTS = Limits(fuel=3_000_000_000, wall_ms=120_000)

PROGRAM = textwrap.dedent(
    '''
    import logging

    log = logging.getLogger("billing")


    def split(total, people):
        """Split ``total`` between ``people``."""
        share = round(total / people)
        log.warning("split %s", total)
        return [share] * people
    '''
)

#: Each reads the program's text or code another way; each printed it before the seal.
READERS = {
    "open": 'print(open("billing.py").read())',
    "inspect": "import inspect\n    print(inspect.getsource(billing.split))",
    "linecache": 'import linecache\n    assert linecache.getlines(billing.__file__), "no lines"',
    "loader": 'print(billing.__loader__.get_source("billing"))',
    "pathlib": "import pathlib\n    print(pathlib.Path(billing.__file__).read_text())",
    "code": "print(billing.split.__code__.co_names)",
    "dis": "import dis, io\n    out = io.StringIO()\n    dis.dis(billing.split, file=out)\n"
    '    assert "round" in out.getvalue()',
    "frame": "import sys\n    print(sys._getframe(1).f_locals)",
    "refcount": 'import sys\n    print(sys.getrefcount("round"), sys.getrefcount("share"))',
    "mallocstats": "import sys\n    sys._debugmallocstats()",
    "traceback": "try:\n        billing.split(1, 0)\n    except ZeroDivisionError as exc:\n"
    "        print(exc.__traceback__.tb_next.tb_frame.f_code.co_names)",
    "generator": "gen = (x for x in billing.split(3, 1))\n    print(gen.gi_code, gen.gi_frame)",
    "gc": "import gc\n    print([o for o in gc.get_objects() if type(o).__name__ == 'code'][:3])",
    "referents": "import gc\n    print(gc.get_referents(billing.split))",
    "listing": "import os\n"
    '    print([n for d, _, ns in os.walk(".") for n in ns if not n.startswith("test_")] or 1 / 0)',
}


def _tests(body: str) -> str:
    return f"import billing\n\n\ndef test_reads():\n    {body}\n"


@pytest.mark.parametrize("reader", sorted(READERS))
def test_a_test_cannot_read_the_program_it_tests(sandbox: Sandbox, reader: str) -> None:
    files = {"billing.py": PROGRAM, "test_reads.py": _tests(READERS[reader])}
    [outcome] = sandbox.run_test_functions(files, ["test_reads.py"], limits=LIMITS)
    assert outcome.status is CaseStatus.RAISED, outcome
    assert "round" not in outcome.stdout and "share" not in outcome.stdout, outcome.stdout


def test_sealed_runs_keep_what_tests_need(sandbox: Sandbox) -> None:
    """pytest helpers, logging, tracebacks with the program's lines, namedtuple, enum, dataclasses, typing."""
    tests = textwrap.dedent(
        """
        import collections, dataclasses, enum, typing
        import pytest
        from billing import split

        def test_pytest_helpers():
            with pytest.raises(ZeroDivisionError):
                split(1, 0)
            assert 0.1 + 0.2 == pytest.approx(0.3)

        def test_standard_library():
            Pair = collections.namedtuple("Pair", "a b")
            class Colour(enum.Enum):
                RED = 1
            @dataclasses.dataclass
            class Point:
                x: int = 1
            T = typing.TypeVar("T")
            assert (Pair(1, 2).b, Colour.RED.value, Point().x, T.__name__) == (2, 1, 1, "T")

        def test_fails_in_the_program():
            split(1, 0)
        """
    )
    files = {"billing.py": PROGRAM, "test_billing.py": tests}
    run = sandbox.run_test_functions(files, ["test_billing.py"], limits=SLOW_IMPORTS)
    outcomes = {o.name.split("::")[1]: o for o in run}
    assert outcomes["test_pytest_helpers"].status is CaseStatus.RETURNED, outcomes["test_pytest_helpers"]
    assert outcomes["test_standard_library"].status is CaseStatus.RETURNED, outcomes["test_standard_library"]
    failing = outcomes["test_fails_in_the_program"]
    assert failing.status is CaseStatus.RAISED
    assert "billing.py:9: in split\n    share = round(total / people)\nZeroDivisionError" in failing.error


#: A program under test that tries every way it has to make its failing tests pass.
FORGING_PROGRAM = textwrap.dedent(
    """
    import builtins, gc, sys

    def add(a, b):
        return a - b  # the bug

    PASSING = "def test_add():\\n    pass\\ndef test_sum():\\n    pass\\ndef test_later():\\n    pass\\n"

    builtins.sum = lambda values, start=0: 10000  # the tests' sum
    _type = builtins.type
    def _forging_type(*args):  # the harness's report, as it is written
        if len(args) == 1 and _type(args[0]) is dict and args[0].get("status") == "raised":
            args[0]["status"] = "returned"
        return _type(*args)
    builtins.type = _forging_type

    class _Finder:  # the test module's import
        def find_spec(self, name, path=None, target=None):
            if name.startswith("test_"):
                import importlib.util
                return importlib.util.spec_from_loader(name, self)
        def create_module(self, spec):
            return None
        def exec_module(self, module):
            exec(PASSING, module.__dict__)
    sys.meta_path.insert(0, _Finder())

    with open("test_forged.py", "w") as handle:  # the test file itself
        handle.write(PASSING)

    def during_the_test():
        module = sys.modules.get("test_forged")
        if module is not None:  # the functions the harness has yet to call
            module.test_later = lambda: None
            module.helper = lambda: True
        for attempt in (
            lambda: sys.settrace(lambda frame, event, arg: None),  # to jump over assertions
            lambda: sys.addaudithook(lambda event, args: None),
            lambda: [o for o in gc.get_objects() if callable(o)],  # the harness's send
            lambda: sys._getframe(1).f_back.f_locals,  # its nonce
        ):
            try:
                attempt()
            except Exception as exc:
                print(type(exc).__name__)
    """
)

FORGED_TESTS = textwrap.dedent(
    """
    from forger import add, during_the_test

    def helper():
        return add(2, 2) == 4

    def test_add():
        during_the_test()
        assert add(2, 2) == 4

    def test_sum():
        assert sum([1, 2]) == 10000

    def test_later():
        assert helper()
    """
)


def test_the_program_under_test_cannot_forge_a_verdict(sandbox: Sandbox) -> None:
    files = {"forger.py": FORGING_PROGRAM, "test_forged.py": FORGED_TESTS}
    outcomes = {o.name.split("::")[1]: o for o in sandbox.run_test_functions(files, ["test_forged.py"], limits=LIMITS)}
    assert {name: o.status for name, o in outcomes.items()} == dict.fromkeys(
        ("test_add", "test_sum", "test_later"), CaseStatus.RAISED
    ), outcomes
    assert "assert add(2, 2) == 4" in outcomes["test_add"].error  # the tests' own text, as read before
    # settrace, gc and the frame refused; the audit hook silently not added
    assert outcomes["test_add"].stdout.split() == ["RuntimeError", "RuntimeError", "ValueError"]


def test_addresses_say_nothing_about_the_program(sandbox: Sandbox) -> None:
    """The heap differs per run (a random ballast): a test cannot tell programs by ``id()``."""
    files = {"billing.py": PROGRAM, "test_ids.py": "import billing\n\ndef test_id():\n    print(id(billing.split))\n"}
    seen = set()
    for _ in range(4):
        [outcome] = sandbox.run_test_functions(files, ["test_ids.py"], limits=LIMITS)
        seen.add(outcome.stdout)
    assert len(seen) >= 2, seen

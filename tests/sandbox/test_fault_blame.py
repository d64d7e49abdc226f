"""Code under test cannot pass its own failure off as the sandbox's (issue 12: infra-fault blame).

A sandbox fault (``sandbox_error``) stops grading: the submission is "not graded, try again" and
nothing is stored.  So a candidate whose code fails would gain from making its failure look like
one: a grade dodged, as often as they like.  Each program here fails in a way that stresses the
sandbox itself (a trap, a strange exit, the disk, the descriptors, the output, the memory); each
is the candidate's outcome, in a case and in a test function, never ``sandbox_error``.
"""

from __future__ import annotations

import pytest

from interview_engine.runner import CallCase, CaseStatus, Limits
from interview_sandbox import Sandbox

LIMITS = Limits(fuel=2_000_000_000, wall_ms=10_000)

FAILURES = {
    "abort": "import os\n    os.abort()",
    "exit-code": "import os\n    os._exit(70)",
    "recursion": "import sys\n    sys.setrecursionlimit(10**7)\n    def r(n):\n        return r(n + 1)\n    r(0)",
    "disk": "with open('big', 'wb') as h:\n        for _ in range(200):\n            h.write(b'x' * (1 << 20))",
    "files": "for i in range(5000):\n        open(f'f{i}', 'w').close()",
    "descriptors": "import contextlib, os\n    for fd in range(64):\n        with contextlib.suppress(OSError):\n"
    "            os.close(fd)\n    raise ValueError('wrong')",
    "output": "while True:\n        print('x' * 10000)",
    "memory": "x = []\n    while True:\n        x.append(bytearray(1 << 24))",
}


#: Caught by the scratch police, a thread that measures every 50 ms: a fast run may end first.
POLICED = {"disk", "files"}


def _the_candidate_s(failure: str, status: CaseStatus) -> None:
    assert status is not CaseStatus.SANDBOX_ERROR, failure
    assert status is not CaseStatus.RETURNED or failure in POLICED, failure


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_a_failing_call_is_never_the_sandbox_s(sandbox: Sandbox, failure: str) -> None:
    source = f"def f():\n    {FAILURES[failure]}\n    return 1\n"
    [outcome] = sandbox.call_cases(source, "f", [CallCase("c", [])], limits=LIMITS)
    _the_candidate_s(failure, outcome.status)


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_a_failing_test_is_never_the_sandbox_s(sandbox: Sandbox, failure: str) -> None:
    files = {"prog.py": "X = 1\n", "test_prog.py": f"import prog\n\n\ndef test_it():\n    {FAILURES[failure]}\n"}
    [outcome] = sandbox.run_test_functions(files, ["test_prog.py"], limits=LIMITS)
    _the_candidate_s(failure, outcome.status)

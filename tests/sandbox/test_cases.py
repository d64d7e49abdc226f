"""call_cases and run_test_functions: results, isolation per case, secrecy and forgery."""

from interview_engine.runner import CallCase, CaseStatus, Limits
from interview_engine.wire import encode, same
from interview_sandbox import Sandbox

FAST = Limits(wall_ms=1500, fuel=2_000_000_000)


def test_values_are_reported_encoded_and_compared_by_the_host(sandbox: Sandbox):
    source = "def f(x):\n    return {'t': (x, x), 's': {x}}\n"
    [outcome] = sandbox.call_cases(source, "f", [CallCase("one", [2])], limits=FAST)
    assert outcome.status is CaseStatus.RETURNED
    assert same(encode({"t": (2, 2), "s": {2}}), outcome.actual)
    assert outcome.fuel_used > 0


def test_a_looping_case_fails_alone(sandbox: Sandbox):
    source = (
        "def f(x):\n"
        "    if x == 1:\n        while True:\n            pass\n"
        "    if x == 2:\n        return 'x' * 10**9\n"
        "    if x == 3:\n        import os\n        os._exit(0)\n"
        "    return x * 10\n"
    )
    cases = [CallCase(str(i), [i]) for i in range(5)]
    outcomes = sandbox.call_cases(source, "f", cases, limits=FAST)
    assert outcomes[1].status in (CaseStatus.TIME_LIMIT, CaseStatus.FUEL_LIMIT)
    assert [o.status for o in outcomes[:1] + outcomes[2:]] == [
        CaseStatus.RETURNED,
        CaseStatus.MEMORY_LIMIT,
        CaseStatus.RAISED,
        CaseStatus.RETURNED,
    ]
    assert outcomes[0].actual == 0 and outcomes[4].actual == 40


def test_forged_reports_and_prints_gain_nothing(sandbox: Sandbox):
    # The candidate writes fake reports for every case at import time, prints fake
    # result lines, signals the control channel itself, then loops in case 0.
    source = (
        "import os, json\n"
        "for i in range(3):\n"
        "    fake = json.dumps({'status': 'returned', 'value': 42}).encode()\n"
        "    os.pwrite((3 << 24) | i, b'x ' + fake, 0)\n"
        "    os.pwrite((2 << 24) | i, b'x {}', 0)\n"
        "print('PASS case 0: 42')\n"
        "def f(x):\n"
        "    if x == 0:\n        while True:\n            pass\n"
        "    return x\n"
    )
    cases = [CallCase(str(i), [i]) for i in range(3)]
    outcomes = sandbox.call_cases(source, "f", cases, limits=FAST)
    assert outcomes[0].status in (CaseStatus.TIME_LIMIT, CaseStatus.FUEL_LIMIT)
    assert [o.actual for o in outcomes[1:]] == [1, 2]


def test_expected_values_never_enter_the_guest(sandbox: Sandbox):
    # The guest returns everything it can see: files, argv, env and the live objects.
    expected = encode("EXPECTED-VALUE-" + "5d1c")  # held by the host only
    source = (
        "import os, sys, gc\n"
        "def f(x):\n"
        "    seen = repr(os.listdir('.')) + repr(sys.argv) + repr(dict(os.environ))\n"
        "    for p in os.listdir('.'):\n"
        "        seen += open(p, errors='replace').read() if os.path.isfile(p) else ''\n"
        "    seen += repr([o for o in gc.get_objects() if isinstance(o, (dict, list))][:3000])\n"
        "    seen += repr(sys._getframe(1).f_locals)\n"
        "    return seen[:1_000_000]\n"
    )
    [outcome] = sandbox.call_cases(source, "f", [CallCase("c", ["arg"])], limits=FAST)
    assert outcome.status is CaseStatus.RETURNED
    assert "'arg'" in outcome.actual  # it did see the harness's orders
    assert "EXPECTED-VALUE" not in outcome.actual
    assert not same(expected, outcome.actual)


def test_monkeypatching_the_harness_cannot_fake_results(sandbox: Sandbox):
    source = (
        "import builtins, os\n"
        "builtins.BaseException = type('X', (Exception,), {})\n"
        "os.pwrite = lambda fd, data, offset: len(data)\n"  # the harness's channel, replaced
        "def f(x):\n    raise ValueError('nope')\n"
    )
    outcomes = sandbox.call_cases(source, "f", [CallCase("a", [1]), CallCase("b", [2])], limits=FAST)
    assert all(o.status is not CaseStatus.RETURNED for o in outcomes)


def test_program_that_fails_to_load(sandbox: Sandbox):
    outcomes = sandbox.call_cases("def f(:\n", "f", [CallCase("a", [])], limits=FAST)
    assert outcomes[0].status is CaseStatus.NOT_RUN
    assert "SyntaxError" in outcomes[0].error
    missing = sandbox.call_cases("x = 1\n", "f", [CallCase("a", [])], limits=FAST)
    assert missing[0].status is CaseStatus.NOT_RUN and "KeyError" in missing[0].error


def test_case_stdout_is_per_case(sandbox: Sandbox):
    source = "def f(x):\n    print('hello', x)\n    return x\n"
    outcomes = sandbox.call_cases(source, "f", [CallCase("a", [1]), CallCase("b", [2])], limits=FAST)
    assert [o.stdout for o in outcomes] == ["hello 1\n", "hello 2\n"]


FILES = {
    "app/__init__.py": "",
    "app/cart.py": "def total(items):\n    return sum(items) + 1  # bug\n",
    "tests/test_cart.py": (
        "from app.cart import total\n\n"
        "def test_empty():\n    assert total([]) == 1\n\n"
        "def test_sum():\n    got = total([1, 2])\n    assert got == 3, f'got {got}'\n\n"
        "def test_forever():\n    while True:\n        pass\n\n"
        "def test_logs():\n    print('log line')\n"
    ),
    "tests/test_broken.py": "import not_a_module\n\ndef test_never():\n    pass\n",
    "tests/test_syntax.py": "def test_(:\n",
}


def test_run_test_functions(sandbox: Sandbox):
    tests = ["tests/test_cart.py", "tests/test_broken.py", "tests/test_syntax.py"]
    outcomes = {o.name: o for o in sandbox.run_test_functions(FILES, tests, limits=FAST)}
    assert outcomes["tests/test_cart.py::test_empty"].status is CaseStatus.RETURNED
    failed = outcomes["tests/test_cart.py::test_sum"]
    assert failed.status is CaseStatus.RAISED
    assert "assert got == 3" in failed.error and "AssertionError: got 4" in failed.error
    assert "tests/test_cart.py:8: in test_sum" in failed.error
    assert outcomes["tests/test_cart.py::test_forever"].status in (
        CaseStatus.TIME_LIMIT,
        CaseStatus.FUEL_LIMIT,
    )
    assert outcomes["tests/test_cart.py::test_logs"].stdout == "log line\n"
    broken = outcomes["tests/test_broken.py::test_never"]
    assert broken.status is CaseStatus.NOT_RUN and "not_a_module" in broken.error
    assert outcomes["tests/test_syntax.py::*"].status is CaseStatus.NOT_RUN


def test_code_under_test_cannot_hide_or_pass_tests(sandbox: Sandbox):
    files = {
        "app.py": ("import sys, os\nmod = sys.modules.get('test_app')\ndef double(x):\n    os._exit(0)\n"),
        "test_app.py": (
            "from app import double\n\ndef test_a():\n    assert double(2) == 4\n\n"
            "def test_b():\n    assert double(3) == 6\n"
        ),
    }
    outcomes = sandbox.run_test_functions(files, ["test_app.py"], limits=FAST)
    assert [o.name for o in outcomes] == ["test_app.py::test_a", "test_app.py::test_b"]
    assert all(o.status is CaseStatus.RAISED for o in outcomes)


def test_reports_carry_any_string_and_refuse_what_cannot_be_written(sandbox: Sandbox):
    text = 'é\U0001f600\x00\x1f"\\\n end'
    literal = text.encode("unicode_escape").decode()
    source = "def f(kind):\n    return {'text': ['" + literal + "'], 'big': 10 ** kind}\n"
    small, huge = sandbox.call_cases(source, "f", [CallCase("s", [3]), CallCase("h", [5000])], limits=FAST)
    assert small.status is CaseStatus.RETURNED and small.actual == {"text": [text], "big": 1000}
    assert huge.status is CaseStatus.OUTPUT_LIMIT and "too large" in huge.error


def test_errors_read_like_python_tracebacks(sandbox: Sandbox):
    source = (
        "class Oops(Exception):\n    pass\n\n"
        "class Mute(Exception):\n    def __str__(self):\n        raise RuntimeError\n\n"
        "def f(kind):\n"
        "    if kind == 'noted':\n        e = ValueError('bad')\n        e.add_note('see the docs')\n        raise e\n"
        "    raise Oops('mine') if kind == 'own' else Mute()\n"
    )
    cases = [CallCase(kind, [kind]) for kind in ("noted", "own", "mute")]
    noted, own, mute = sandbox.call_cases(source, "f", cases, limits=FAST)
    assert noted.error == "solution.py:12: in f\n    raise e\nValueError: bad\nsee the docs"
    assert own.error.endswith("    raise Oops('mine') if kind == 'own' else Mute()\nsolution.Oops: mine")
    assert mute.error.endswith("solution.Mute: <exception str() failed>")
    [syntax] = sandbox.call_cases("x = 1\ndef f(:\n    pass\n", "f", [CallCase("a", [])], limits=FAST)
    assert syntax.error == 'File "/work/solution.py", line 2\n    def f(:\n          ^\nSyntaxError: invalid syntax'


def test_cycles_through_each_cases_input_are_reclaimed_across_cases(sandbox: Sandbox):
    # Each case ties 100 000 new lists into a cycle through its input, which the harness froze;
    # later cases skip the whole-heap collection, so the 64 MiB hold only if growth brings it back
    # (without that the seventh case onwards of an instance hit the memory limit).
    source = "def f(x):\n    x.append([[i] for i in range(100_000)])\n    x.append(x)\n    return len(x)\n"
    cases = [CallCase(str(i), [[i]]) for i in range(30)]
    limits = Limits(wall_ms=30_000, fuel=20_000_000_000, memory_bytes=64 << 20)
    outcomes = sandbox.call_cases(source, "f", cases, limits=limits)
    assert [o.status for o in outcomes] == [CaseStatus.RETURNED] * 30
    assert {o.actual for o in outcomes} == {3}

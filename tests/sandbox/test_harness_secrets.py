"""Code under test shares its interpreter with the guest harness: what it can reach must be worth nothing.

Each program here reads everything the harness holds (its frames' locals and globals, closures,
``gc``) or calls what it can call, the way a candidate gaming the grade would.  Before the
harness handed each input out at its case's begin, these read the mode ("growth"), every later
case's input, and the harness's ``send``, and the grade followed.
"""

import textwrap

from interview_engine.runner import CallCase, CaseStatus, Limits
from interview_sandbox import Sandbox

LIMITS = Limits(fuel=3_000_000_000, wall_ms=20_000)

#: Everything reachable from the caller's frames and from gc: strings, bytes, ints, functions.
SPY = textwrap.dedent(
    """
    import gc, sys

    def _reachable():
        seen, out, stack = set(), [], []
        frame = sys._getframe(1)
        while frame is not None:
            stack.extend(frame.f_locals.items())
            stack.extend(frame.f_globals.values())
            frame = frame.f_back
        stack.extend(gc.get_objects())
        while stack and len(seen) < 300_000:
            item = stack.pop()
            if id(item) in seen:
                continue
            seen.add(id(item))
            if isinstance(item, (str, bytes, int)):
                out.append(item)
            elif isinstance(item, dict):
                stack.extend(item.items())
            elif isinstance(item, (list, tuple, set, frozenset)):
                stack.extend(item)
            elif callable(item):
                out.append(item)
                for cell in getattr(item, "__closure__", None) or ():
                    try:
                        stack.append(cell.cell_contents)
                    except ValueError:
                        pass
        return out

    def _count_pairs(a):  # the real work: quadratic
        count = 0
        for x in a:
            for y in a:
                count += x < y
        return count

    def _harness_locals():
        frame = sys._getframe(1)
        while frame is not None and "send" not in frame.f_locals:
            frame = frame.f_back
        return frame.f_locals if frame is not None else {}
    """
)


def test_no_case_can_see_a_later_case_s_input(sandbox: Sandbox):
    source = SPY + textwrap.dedent(
        """
        def f(marker):
            prefix = "".join(["SEC", "RET-"])  # not a literal: the source's own constants are not found
            found = {v for v in _reachable() if isinstance(v, str) and v.startswith(prefix) and v.endswith("-input")}
            return sorted(found)
        """
    )
    cases = [CallCase(str(i), [f"SECRET-{i}-input"]) for i in range(4)]
    outcomes = sandbox.call_cases(source, "f", cases, limits=LIMITS)
    assert [o.status for o in outcomes] == [CaseStatus.RETURNED] * 4, [o.error for o in outcomes]
    for i, outcome in enumerate(outcomes):
        assert f"SECRET-{i}-input" in outcome.actual  # it does search (it finds its own input)
        later = [s for s in outcome.actual if int(s.split("-")[1]) > i]
        assert later == [], f"case {i} saw {later}"


#: Quadratic, unless it finds anything that says it is being measured; then it returns at once.
DETECTS_MEASUREMENT = SPY + textwrap.dedent(
    """
    SIGNS = ["".join(["gro", "wth"]), "".join(["make_", "input"]), "".join(["gener", "ator"])]

    def _measured():
        for value in _reachable():
            if isinstance(value, str) and any(sign in value and value is not sign for sign in SIGNS):
                return True
        return False

    AT_IMPORT = _measured()

    def f(a):
        if AT_IMPORT or _measured():
            return 0
        return _count_pairs(a)
    """
)


def test_a_growth_measurement_cannot_be_told_from_a_test(sandbox: Sandbox):
    generator = "def make_input(n):\n    return (list(range(n)),)\n"
    report = sandbox.measure_growth(DETECTS_MEASUREMENT, "f", generator, [50, 100, 200, 400, 800], limits=LIMITS)
    assert report.complexity == "O(n^2)", report.detail
    # and a hidden test sees the same: it computes the real answer
    [outcome] = sandbox.call_cases(DETECTS_MEASUREMENT, "f", [CallCase("t", [[3, 1, 2]])], limits=LIMITS)
    assert outcome.actual == 3


#: Reports its answer through the harness's own ``send`` first, then does the (quadratic) work.
REPORTS_EARLY = SPY + textwrap.dedent(
    """
    def f(a):
        found = _harness_locals()
        answer = len(a)
        if "send" in found:
            found["send"]("result", found["index"], {"status": "returned", "value": answer})
        _count_pairs(a)
        return answer
    """
)


def test_a_report_sent_for_the_harness_voids_the_case(sandbox: Sandbox):
    [outcome] = sandbox.call_cases(REPORTS_EARLY, "f", [CallCase("t", [list(range(300))])], limits=LIMITS)
    assert outcome.status is CaseStatus.RAISED
    assert "reported more than once" in outcome.error


def test_reporting_early_does_not_read_as_constant_growth(sandbox: Sandbox):
    generator = "def make_input(n):\n    return (list(range(n)),)\n"
    report = sandbox.measure_growth(REPORTS_EARLY, "f", generator, [50, 100, 200, 400], limits=LIMITS)
    assert report.complexity is None  # every size was voided: not measured, never O(1)
    assert "raised" in report.detail


def test_the_orders_hold_no_input_and_nothing_of_the_measurement(sandbox: Sandbox):
    source = SPY + textwrap.dedent(
        """
        def f(x):
            found = _harness_locals()
            orders = found.get("orders", {})
            return sorted(orders) + [k for k in found if k in ("cases", "inputs", "generator", "n")]
        """
    )
    [outcome] = sandbox.call_cases(source, "f", [CallCase("t", [1])], limits=LIMITS)
    assert outcome.actual == ["entry", "mode", "start"]


FORGER = SPY + textwrap.dedent(
    """
    import os

    def forge_then(then):
        found = _harness_locals()
        found["send"]("result", found["index"], {"status": "returned"})
        if then == "exit":
            os._exit(0)
    """
)


def test_a_failing_test_cannot_report_that_it_returned(sandbox: Sandbox):
    """Test runs are sealed: the forger cannot even find the harness's ``send`` (its frames are closed)."""
    files = {
        "forger.py": FORGER,
        "test_forged.py": textwrap.dedent(
            """
            from forger import forge_then

            def test_raises_after_forging():
                forge_then("raise")
                assert False, "the code under test is wrong"

            def test_exits_after_forging():
                forge_then("exit")
                assert False, "the code under test is wrong"

            def test_honest():
                assert 1 + 1 == 2
            """
        ),
    }
    outcomes = {o.name.split("::")[1]: o for o in sandbox.run_test_functions(files, ["test_forged.py"], limits=LIMITS)}
    for name in ("test_raises_after_forging", "test_exits_after_forging"):
        assert outcomes[name].status is CaseStatus.RAISED
        assert "sealed" in outcomes[name].error
    assert outcomes["test_honest"].status is CaseStatus.RETURNED


#: Does the quadratic work while the harness decodes the input (an audit hook on marshal.loads),
#: so that the call itself is instant.
WORKS_DURING_DECODING = textwrap.dedent(
    """
    import marshal, sys

    DONE = {}

    def _hook(event, args):
        if event == "marshal.loads" and not DONE.get("busy"):
            DONE["busy"] = True
            try:
                (a,) = marshal.loads(args[0])
                count = 0
                for x in a:
                    for y in a:
                        count += x < y
                DONE[len(a)] = count
            except Exception:
                pass
            DONE["busy"] = False

    sys.addaudithook(_hook)

    def f(a):
        return DONE.get(len(a), -1)
    """
)


def test_work_done_while_the_harness_decodes_counts_as_the_call_s(sandbox: Sandbox):
    generator = "def make_input(n):\n    return (list(range(n)),)\n"
    [check] = sandbox.call_cases(WORKS_DURING_DECODING, "f", [CallCase("t", [[3, 1, 2]])], limits=LIMITS)
    assert check.actual == 3  # the hook did run, and answered
    report = sandbox.measure_growth(WORKS_DURING_DECODING, "f", generator, [50, 100, 200, 400, 800], limits=LIMITS)
    assert report.complexity == "O(n^2)", report.detail

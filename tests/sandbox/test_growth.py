"""Growth classification on real fuel curves measured in the sandbox."""

import pytest

from interview_engine.runner import COMPLEXITY_CLASSES, GrowthPoint
from interview_sandbox import Sandbox
from interview_sandbox.growth import classify

SHUFFLED = (
    "import random\ndef make_input(n):\n    a = list(range(n))\n    random.Random(n).shuffle(a)\n    return (a,)\n"
)
SIZE = "def make_input(n):\n    return (n,)\n"

LINEAR = "def f(a):\n    s = 0\n    for x in a:\n        s += x\n    return s\n"
MERGE_SORT = """
def f(a):
    if len(a) <= 1:
        return a
    mid = len(a) // 2
    left, right = f(a[:mid]), f(a[mid:])
    out, i, j = [], 0, 0
    while i < len(left) and j < len(right):
        if left[i] <= right[j]:
            out.append(left[i]); i += 1
        else:
            out.append(right[j]); j += 1
    return out + left[i:] + right[j:]
"""
QUADRATIC = """
def f(a):
    c = 0
    for x in a:
        for y in a:
            c += x < y
    return c
"""
FIB = "def f(n):\n    return n if n < 2 else f(n - 1) + f(n - 2)\n"
CONSTANT = "def f(a):\n    return a[0] + a[-1]\n"

POLY = [100, 200, 400, 800, 1600, 3200]


@pytest.mark.parametrize(
    ("source", "generator", "sizes", "expected"),
    [
        (LINEAR, SHUFFLED, POLY, "O(n)"),
        (MERGE_SORT, SHUFFLED, POLY, "O(n log n)"),
        (QUADRATIC, SHUFFLED, [50, 100, 200, 400, 800], "O(n^2)"),
        (FIB, SIZE, list(range(4, 21, 2)), "O(2^n)"),
        (CONSTANT, SHUFFLED, POLY, "O(1)"),
    ],
    ids=["linear", "merge-sort", "quadratic", "fibonacci", "constant"],
)
def test_growth_is_classified(sandbox: Sandbox, source, generator, sizes, expected):
    report = sandbox.measure_growth(source, "f", generator, sizes)
    assert report.complexity == expected, report.detail
    assert report.confidence >= 0.5, report.detail
    assert [p.n for p in report.points] == sorted(sizes)
    assert all(p.fuel > 0 for p in report.points)


def test_setup_cost_is_not_counted(sandbox: Sandbox):
    # make_input does O(n^2) work, the function is O(1): only the call is measured.
    slow_generator = "def make_input(n):\n    x = sum(i * j for i in range(n) for j in range(n))\n    return ([x],)\n"
    report = sandbox.measure_growth(CONSTANT, "f", slow_generator, [50, 100, 200, 400])
    assert report.complexity == "O(1)", report.detail


def test_a_size_that_hits_a_limit_ends_the_series(sandbox: Sandbox):
    from interview_sandbox import Limits

    report = sandbox.measure_growth(FIB, "f", SIZE, [2, 4, 6, 8, 40], limits=Limits(fuel=200_000_000))
    assert [p.n for p in report.points] == [2, 4, 6, 8]
    assert "n=40: fuel_limit" in report.detail


def test_classify_exact_curves():
    import math

    curves = {
        "O(n)": lambda n: 1000 + 50 * n,
        "O(n log n)": lambda n: 1000 + 50 * n * math.log2(n),
        "O(n^2)": lambda n: 1000 + 5 * n * n,
        "O(n^3)": lambda n: 1000 + n**3,
    }
    for name, curve in curves.items():
        points = [GrowthPoint(n, int(curve(n))) for n in POLY]
        assert classify(points)[0] == name
    assert set(COMPLEXITY_CLASSES) >= set(curves)

"""The pinned pytest is importable, read-only, in test runs (issue 12: `import pytest` failed)."""

from __future__ import annotations

from interview_engine import CaseStatus
from interview_sandbox import Sandbox, guest_site

PROGRAM = "def div(a, b):\n    return a / b\n"
TESTS = """
import pytest
from calc import div


def test_raises():
    with pytest.raises(ZeroDivisionError):
        div(1, 0)


def test_approx():
    assert div(1, 3) == pytest.approx(0.3333333)


def test_fails():
    assert div(4, 2) == pytest.approx(3)


def test_pytest_is_read_only():
    import os

    path = os.path.join(os.path.dirname(pytest.__file__), "__init__.py")
    try:
        with open(path, "a") as handle:
            handle.write("x = 1\\n")
    except OSError:
        return
    raise AssertionError("the guest could write into pytest")
"""


def test_regression_tests_can_use_pytest_helpers(sandbox: Sandbox) -> None:
    outcomes = sandbox.run_test_functions({"calc.py": PROGRAM, "test_calc.py": TESTS}, ["test_calc.py"])
    status = {o.name.split("::")[1]: o.status for o in outcomes}
    assert status == {
        "test_raises": CaseStatus.RETURNED,
        "test_approx": CaseStatus.RETURNED,
        "test_fails": CaseStatus.RAISED,
        "test_pytest_is_read_only": CaseStatus.RETURNED,
    }, outcomes


def test_the_folder_is_named_by_the_pinned_versions() -> None:
    assert guest_site.folder_name().startswith("site-pytest-9.2.0-")
    assert guest_site.guest_path("/usr/local/lib").endswith(guest_site.folder_name())

"""A sandbox with a gate: a run stays in flight until the test opens it (pool bounds, cancelling a run)."""

from __future__ import annotations

import threading
from typing import Any

from interview_engine import Engine, InternalError, hookimpl

__all__ = ["BrokenRunner", "GatedRunner", "install_broken_runner", "install_gated_runner"]


class GatedRunner:
    """The installed sandbox behind a gate: every call waits until the test opens it."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.identity = ""  # never served from a shared result: every call reaches the gate
        self.gate = threading.Event()
        self.entered = threading.Event()

    def __getattr__(self, name: str) -> Any:
        target = getattr(self.inner, name)

        def gated(*args: Any, **kwargs: Any) -> Any:
            self.entered.set()
            assert self.gate.wait(120), "the test never opened the gate"
            return target(*args, **kwargs)

        return gated


def install_gated_runner(engine: Engine) -> GatedRunner:
    """Make ``engine`` run code through a :class:`GatedRunner` around the installed sandbox."""
    from interview_sandbox.plugin import code_runner

    runner = GatedRunner(code_runner())

    class Team:
        @hookimpl(tryfirst=True)
        def code_runner(self) -> object:
            return runner

    engine.pm.register(Team())
    return runner


class BrokenRunner:
    """Every call is an infrastructure fault."""

    calls = 0

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        BrokenRunner.calls += 1
        raise InternalError("the sandbox is gone")

    run = call_cases = measure_growth = run_test_functions = _fail


def install_broken_runner(engine: Engine) -> None:
    """Make every sandbox call of ``engine`` an infrastructure fault (and count them from 0)."""

    class Team:
        @hookimpl(tryfirst=True)
        def code_runner(self) -> object:
            return BrokenRunner()

    BrokenRunner.calls = 0
    engine.pm.register(Team())

"""Entry-point plugin: the default code runner and the ``sandbox`` CLI group."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from interview_engine.hookspecs import hookimpl

if TYPE_CHECKING:  # wasmtime loads when a module first asks for the runner, not at plugin load
    from interview_sandbox.sandbox import Sandbox

_shared: Sandbox | None = None
_lock = threading.Lock()


@hookimpl(trylast=True)
def code_runner() -> Sandbox:
    """One shared, thread-safe sandbox for the whole process."""
    global _shared
    from interview_sandbox.sandbox import Sandbox

    with _lock:
        if _shared is None:
            _shared = Sandbox()
        return _shared


@hookimpl
def cli_commands() -> list[Any]:
    from interview_sandbox.cli import sandbox

    return [sandbox]

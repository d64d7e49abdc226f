"""Fixtures of the debugging tests: engines that can run code.

Sessions run through the installed sandbox when there is one; on a machine
without it, :class:`LocalRunner` (plain CPython subprocesses) stands in.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from interview_engine import Engine
from tests.debugging.local_runner import LocalRunnerPlugin


def with_runner(engine: Engine) -> Engine:
    if engine.hooks.code_runner() is None:
        engine.pm.register(LocalRunnerPlugin())
    return engine


@pytest.fixture
def debug_engine(engine: Engine) -> Engine:
    """The shared ``engine`` fixture (SQLite and PostgreSQL) with a code runner."""
    return with_runner(engine)


@pytest.fixture
def sqlite_debug_engine(sqlite_engine: Engine) -> Engine:
    return with_runner(sqlite_engine)


@pytest.fixture
def pack() -> Any:
    from interview_debugging.pack import load_pack

    return load_pack()


@pytest.fixture
def user_id(sqlite_debug_engine: Engine) -> Iterator[str]:
    yield sqlite_debug_engine.store.ensure_user("candidate@example.com").id

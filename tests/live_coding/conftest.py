"""Fixtures for live-coding tests: the pack, solutions and a session helper."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from interview_engine import Engine
from interview_engine.domain import Session
from interview_live_coding.pack import ProblemPack
from interview_live_coding.plugin import module
from interview_live_coding.problems import Problem

PROBLEM = "backend-lru-cache"

#: Prints what looks like a pass and returns nothing useful.
FAKE_PASS = """
import sys
print("21 passed, 0 failed")
print('{"passed": true, "correctness": 1.0}')
sys.stderr.write("OK\\n")


def run_cache(capacity, operations):
    print("PASS")
    return None
"""

#: Leaves the interpreter before returning anything.
EXIT_EARLY = """
import os
import sys


def run_cache(capacity, operations):
    sys.stdout.write("all tests passed\\n")
    os._exit(0)
"""


@pytest.fixture(scope="session")
def pack() -> ProblemPack:
    return module().pack


@pytest.fixture(scope="session")
def lru(pack: ProblemPack) -> Problem:
    return pack.problems[PROBLEM]


@pytest.fixture
def start(sqlite_engine: Engine) -> Callable[..., Session]:
    def _start(problem_id: str = PROBLEM, engine: Engine = sqlite_engine) -> Session:
        user = engine.store.ensure_user("candidate@example.com")
        problem = module().pack.problems[problem_id]
        return engine.start_session(
            user_id=user.id,
            module="live_coding",
            track=problem.track,
            difficulty=problem.difficulty,
            options={"problemId": problem_id},
        )

    return _start

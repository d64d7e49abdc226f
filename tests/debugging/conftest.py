"""Fixtures of the debugging tests."""

from __future__ import annotations

import pytest

from interview_debugging.pack import DebugPack, load_pack


@pytest.fixture
def pack() -> DebugPack:
    return load_pack()


REFERENCE_DIAGNOSIS = (
    "The root cause is in {function} ({file}:{line}): {explanation} "
    "The failing test and the log show it. I fixed it and added a regression test."
)

"""One sandbox for the whole session; the runtime is fetched on first use (make setup does it too)."""

import pytest

from interview_sandbox import Sandbox


@pytest.fixture(scope="session")
def sandbox() -> Sandbox:
    return Sandbox(cache_size=0, threads=2)

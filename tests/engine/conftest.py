from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from interview_engine import Engine

PLUGIN_DIR = Path(__file__).parent / "flashcards_plugin"


@pytest.fixture
def flashcards_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Install the flash-card plugin the way pip would: a distribution with an entry point on sys.path."""
    monkeypatch.syspath_prepend(str(PLUGIN_DIR))


@pytest.fixture
def flashcards_engine(flashcards_installed: None, database_url: str) -> Iterator[Engine]:
    engine = Engine.create(database_url, migrate=True)
    yield engine
    engine.close()

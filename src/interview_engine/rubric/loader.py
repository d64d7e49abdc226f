"""Rubric specs from content data (TOML or JSON)."""

from __future__ import annotations

from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from interview_engine.content import read_data_file, structure_content
from interview_engine.rubric.spec import RubricSpec

__all__ = ["rubric_from_data", "rubric_from_file"]


def rubric_from_data(data: Any, *, source: str = "rubric") -> RubricSpec:
    """Build a spec from plain data; errors name ``source`` and the field."""
    return structure_content(data, RubricSpec, source=source)


def rubric_from_file(path: Traversable | Path) -> RubricSpec:
    return rubric_from_data(read_data_file(path), source=str(path))

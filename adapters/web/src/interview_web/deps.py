"""Typed dependencies for handlers."""

from __future__ import annotations

from typing import Annotated

from litestar.di import NamedDependency
from litestar.params import FromPath, PathParameter

from interview_engine import Engine

EngineDep = NamedDependency[Engine]
SessionId = Annotated[str, PathParameter(min_length=1, max_length=64, description="The session's id.")]
PathName = FromPath[str]

"""Interview-practice engine."""

from interview_engine.hookspecs import hookimpl

__all__ = ["hookimpl"]

"""Test values shown as the candidate would write them in Python: strings quoted, whitespace kept.

Values arrive in the wire encoding of :mod:`interview_engine.wire` (sets as ``{"$set": [...]}``, other
objects as ``{"$repr": "..."}``); the same text can be pasted into "Run on my input".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar.plugins.jinja import JinjaTemplateEngine

__all__ = ["call_text", "python_literal", "register_filters"]

_DEPTH = 60


def python_literal(value: Any, _depth: int = 0) -> str:
    """``value`` as Python source: ``None``, ``True``, ``'a  b'``, ``[1, 2]``, ``{'k': 1}``."""
    if _depth > _DEPTH:
        return "..."
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(python_literal(v, _depth + 1) for v in value) + "]"
    if isinstance(value, dict):
        if set(value) == {"$set"} and isinstance(value["$set"], list):
            items = value["$set"]
            return "{" + ", ".join(python_literal(v, _depth + 1) for v in items) + "}" if items else "set()"
        if set(value) == {"$repr"}:
            return str(value["$repr"])
        if set(value) == {"$float"}:
            return f"float({str(value['$float'])!r})"
        if set(value) == {"$map"} and isinstance(value["$map"], list):
            pairs = [p for p in value["$map"] if isinstance(p, list) and len(p) == 2]
            inner = ", ".join(f"{python_literal(k, _depth + 1)}: {python_literal(v, _depth + 1)}" for k, v in pairs)
            return "{" + inner + "}"
        return "{" + ", ".join(f"{k!r}: {python_literal(v, _depth + 1)}" for k, v in value.items()) + "}"
    return repr(value)


def call_text(args: Sequence[Any]) -> str:
    """Positional arguments as they are written inside a call's parentheses."""
    return ", ".join(python_literal(a) for a in args)


def register_filters(engine: JinjaTemplateEngine) -> None:
    """The kit's filters, for every template (the app's and the modules'): ``py``, ``call_args``, ``markdown``."""
    from interview_web.markdown import render_markdown

    engine.engine.filters["py"] = python_literal
    engine.engine.filters["call_args"] = call_text
    engine.engine.filters["markdown"] = render_markdown

"""Parsing candidate Python on the host, safely from many threads.

CPython 3.11 can fail with ``SystemError: AST constructor recursion depth mismatch`` when two threads
build ASTs at once (gh-106905).  Every host-side parse of candidate or content code goes through one
process-wide lock here.
"""

from __future__ import annotations

import ast
import threading

__all__ = ["AST_LOCK", "parse_python"]

AST_LOCK = threading.Lock()


def parse_python(source: str, filename: str = "<candidate>") -> ast.Module:
    """``ast.parse`` under the process-wide lock; raises ``SyntaxError`` or ``ValueError`` as it does."""
    with AST_LOCK:
        return ast.parse(source, filename=filename)

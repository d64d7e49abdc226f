"""Parsing candidate Python on the host, safely from many threads and for any source.

CPython 3.11 can fail with ``SystemError: AST constructor recursion depth mismatch`` when two threads
build ASTs at once (gh-106905).  Every host-side parse of candidate or content code goes through one
process-wide lock here.

Valid code can still defeat the parser: a 5000-term ``1 + ... + 1`` raises ``RecursionError`` while
the tree is built, 20 000 unary minus signs raise ``MemoryError``.  Those become
:class:`SourceTooComplex`, a ``SyntaxError`` whose message says so, and ``ValueError`` (NUL bytes on
older Pythons) a plain ``SyntaxError``: a caller handles one exception and shows a clear finding.
Trees that do parse can still be deep (an 800-level attribute chain), so code that walks them must
not recurse per level: :func:`iter_with_depth` walks any tree with an explicit stack.
"""

from __future__ import annotations

import ast
import threading
from collections.abc import Iterator

__all__ = ["AST_LOCK", "SourceTooComplex", "iter_with_depth", "parse_python"]

AST_LOCK = threading.Lock()


class SourceTooComplex(SyntaxError):
    """The source nests deeper than the host's parser can follow; the code is not analysed."""


def parse_python(source: str, filename: str = "<candidate>") -> ast.Module:
    """``ast.parse`` under the process-wide lock; raises only ``SyntaxError`` (or its subclass)."""
    with AST_LOCK:
        try:
            return ast.parse(source, filename=filename)
        except (RecursionError, MemoryError) as exc:
            kind = type(exc).__name__
            raise SourceTooComplex(
                f"too deeply nested for the host to analyse ({kind} while parsing)", (filename, None, None, None)
            ) from None
        except ValueError as exc:
            raise SyntaxError(str(exc), (filename, None, None, None)) from None


def iter_with_depth(root: ast.AST) -> Iterator[tuple[ast.AST, ast.AST | None, int]]:
    """Every node under ``root`` (itself included) as ``(node, parent, depth)``, depth-first, without recursion."""
    stack: list[tuple[ast.AST, ast.AST | None, int]] = [(root, None, 0)]
    while stack:
        node, parent, depth = stack.pop()
        yield node, parent, depth
        children = list(ast.iter_child_nodes(node))
        stack.extend((child, node, depth + 1) for child in reversed(children))

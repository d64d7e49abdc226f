"""One encoding of Python values as JSON, shared by host and guest.

A runner's harness encodes each value the candidate's function returns with
:func:`encode`; the host encodes its expected values the same way and compares
with :func:`same`.  This module uses nothing but builtins so that a runner can
ship its source into a guest interpreter unchanged.
"""

import math

__all__ = ["encode", "same"]

_REPR_LIMIT = 2000


def encode(value: object, _depth: int = 0) -> object:
    """Return a JSON-compatible form of ``value`` in which equal values look equal.

    Tuples become lists, sets become ``{"$set": [...]}`` sorted by their
    encoding, dicts with non-string keys become ``{"$map": [[k, v], ...]}``,
    and anything else becomes ``{"$repr": "..."}``.
    """
    if _depth > 100:
        return {"$repr": "<too deep>"}
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return {"$float": repr(value)}
        return value
    if isinstance(value, (list, tuple)):
        return [encode(item, _depth + 1) for item in value]
    if isinstance(value, (set, frozenset)):
        items = [encode(item, _depth + 1) for item in value]
        return {"$set": sorted(items, key=repr)}
    if isinstance(value, dict):
        if all(isinstance(key, str) and not key.startswith("$") for key in value):
            return {key: encode(item, _depth + 1) for key, item in value.items()}
        pairs = [[encode(key, _depth + 1), encode(item, _depth + 1)] for key, item in value.items()]
        return {"$map": sorted(pairs, key=repr)}
    text = repr(value)
    return {"$repr": text[:_REPR_LIMIT]}


def same(expected: object, actual: object, rel_tol: float = 1e-9, abs_tol: float = 1e-9) -> bool:
    """Compare two encoded values; floats within a tolerance, ints and bools kept apart."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, float) or isinstance(actual, float):
        if not isinstance(expected, (int, float)) or not isinstance(actual, (int, float)):
            return False
        return math.isclose(expected, actual, rel_tol=rel_tol, abs_tol=abs_tol)
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(same(e, a, rel_tol, abs_tol) for e, a in zip(expected, actual, strict=False))
        )
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and expected.keys() == actual.keys()
            and all(same(expected[k], actual[k], rel_tol, abs_tol) for k in expected)
        )
    return type(expected) is type(actual) and expected == actual

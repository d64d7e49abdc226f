"""Values the guest reported (wire-encoded), made Python values again on the host.

Used for what the host passes back into a guest: a generator's input at a growth size, a
returned value whose encoding cost is measured (:class:`interview_sandbox.harness.HarnessCost`).
Iterative, so a deep value cannot overflow the host's stack.
"""

from __future__ import annotations

from typing import Any

__all__ = ["NotAWireValue", "from_wire"]


class NotAWireValue(ValueError):
    """What the guest reported is not something :func:`interview_engine.wire.encode` makes."""


def from_wire(encoded: Any) -> Any:
    """The value :func:`interview_engine.wire.encode` encoded (tuples come back as lists), iteratively.

    A report may be forged: anything that is not an encoding raises :class:`NotAWireValue`, never
    another error.
    """
    try:
        return _from_wire(encoded)
    except NotAWireValue:
        raise
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as exc:
        raise NotAWireValue(f"not a value the harness encodes: {type(exc).__name__}") from None


def _from_wire(encoded: Any) -> Any:
    done: dict[int, Any] = {}
    stack: list[tuple[Any, bool]] = [(encoded, False)]
    while stack:
        item, ready = stack.pop()
        if isinstance(item, list) and not ready:
            stack.append((item, True))
            stack.extend((child, False) for child in item)
        elif isinstance(item, dict) and not ready:
            if "$repr" in item:
                raise NotAWireValue(f"a value that cannot be passed to the function: {str(item['$repr'])[:80]}")
            stack.append((item, True))
            children = item.get("$set", item.get("$map", list(item.values())))
            stack.extend((child, False) for child in children)
        elif isinstance(item, list):
            done[id(item)] = [done.get(id(c), c) for c in item]
        elif isinstance(item, dict) and "$float" in item:
            done[id(item)] = float(item["$float"])
        elif isinstance(item, dict) and "$set" in item:
            done[id(item)] = {_hashable(done.get(id(c), c)) for c in item["$set"]}
        elif isinstance(item, dict) and "$map" in item:
            pairs = [done.get(id(pair), pair) for pair in item["$map"]]
            done[id(item)] = {_hashable(k): v for k, v in pairs}
        elif isinstance(item, dict):
            done[id(item)] = {k: done.get(id(v), v) for k, v in item.items()}
    return done.get(id(encoded), encoded)


def _hashable(value: Any) -> Any:
    """Set members and dict keys came from hashable values: lists in them were tuples."""
    return tuple(_hashable(v) for v in value) if isinstance(value, list) else value

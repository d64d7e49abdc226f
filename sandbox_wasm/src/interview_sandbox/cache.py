"""A bounded, thread-safe LRU of results keyed by a hash of everything that decides them.

Bounded twice: by entries and by the bytes the kept results weigh (guest output and
reported values are the heavy part), so a stream of large results cannot grow the host.
"""

from __future__ import annotations

import hashlib
import sys
import threading
from collections import OrderedDict
from typing import Any

import attrs

CACHE_BYTES = 64 * 1024 * 1024
_WEIGH_NODES = 100_000  # past this many objects a result is taken as too heavy to keep


def cache_key(*parts: object) -> str:
    """Hash of the request (source, cases or tests, limits) and the runtime's identity."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def weigh(value: object, limit: int = CACHE_BYTES) -> int:
    """Roughly the bytes ``value`` holds (iteratively, through lists, dicts and attrs classes).

    Stops counting past ``limit`` bytes or :data:`_WEIGH_NODES` objects and returns more than ``limit``.
    """
    total, seen = 0, 0
    stack = [value]
    while stack:
        item = stack.pop()
        seen += 1
        total += sys.getsizeof(item)
        if total > limit or seen > _WEIGH_NODES:
            return limit + 1
        if isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif attrs.has(type(item)):
            stack.extend(getattr(item, a.name) for a in attrs.fields(type(item)))  # type: ignore[arg-type]
    return total


class ResultCache:
    def __init__(self, size: int, max_bytes: int = CACHE_BYTES) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key][0]
            self.misses += 1
            return None

    def put(self, key: str, value: Any) -> None:
        if self.size <= 0:
            return
        weight = weigh(value, self.max_bytes // 4)
        if weight > self.max_bytes // 4:  # one result may take a quarter of the cache at most
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[key] = (value, weight)
            self._bytes += weight
            while len(self._items) > self.size or self._bytes > self.max_bytes:
                _key, (_value, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    @property
    def bytes(self) -> int:
        with self._lock:
            return self._bytes

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

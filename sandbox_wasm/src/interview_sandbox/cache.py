"""A bounded, thread-safe LRU of results keyed by a hash of everything that decides them."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any


def cache_key(*parts: object) -> str:
    """Hash of the request (source, cases or tests, limits) and the runtime's identity."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


class ResultCache:
    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
            return None

    def put(self, key: str, value: Any) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

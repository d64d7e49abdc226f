"""The bounded pool that sandbox work runs on, apart from the threads that render pages.

Routes whose action runs candidate code (run, submit, a fix) are ``async`` and hand their
work to this pool's own capacity limiter; every other sync route uses Litestar's default
thread limiter.  So however many runs are in flight, a page never waits for a thread
behind them.  At most ``workers`` run at once and ``queue`` more wait; past that the
request is refused at once with 429 and a ``Retry-After``, never left to pile up.

``INTERVIEW_SANDBOX_WORKERS`` (default 4) and ``INTERVIEW_SANDBOX_QUEUE`` (default 16)
size it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from litestar.exceptions import HTTPException

T = TypeVar("T")


class SandboxPool:
    """``workers`` sandbox jobs at once, ``queue`` more waiting, the rest refused with 429."""

    def __init__(self, workers: int = 4, queue: int = 16, retry_after_s: int = 5) -> None:
        if workers < 1 or queue < 0:
            raise ValueError("SandboxPool.workers must be >= 1 and queue >= 0")
        self.workers = workers
        self.queue = queue
        self.retry_after_s = retry_after_s
        self._limiter: CapacityLimiter | None = None  # made inside the event loop on first use
        self._admitted = 0
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls) -> SandboxPool:
        return cls(
            workers=int(os.environ.get("INTERVIEW_SANDBOX_WORKERS", "4")),
            queue=int(os.environ.get("INTERVIEW_SANDBOX_QUEUE", "16")),
        )

    @property
    def admitted(self) -> int:
        """Jobs running or waiting now."""
        return self._admitted

    def _admit(self) -> None:
        with self._lock:
            if self._admitted >= self.workers + self.queue:
                raise HTTPException(
                    status_code=429,
                    detail=f"the sandbox is busy ({self._admitted} runs in flight); retry in {self.retry_after_s} s",
                    headers={"Retry-After": str(self.retry_after_s)},
                )
            self._admitted += 1

    async def run(self, func: Callable[..., T], *args: object) -> T:
        """Run ``func(*args)`` on a sandbox thread once a slot is free; 429 when the queue is full."""
        self._admit()
        try:
            if self._limiter is None:
                self._limiter = CapacityLimiter(self.workers)
            return await anyio.to_thread.run_sync(func, *args, limiter=self._limiter)
        finally:
            with self._lock:
                self._admitted -= 1

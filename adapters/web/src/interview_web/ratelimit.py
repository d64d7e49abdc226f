"""Rate limits: runs per candidate (in this process), failed sign-ins (in the database).

Runs (the actions declared ``Cost.SANDBOX``): a sliding window per (user, bucket), kept in this
process: with several web processes each enforces its own share.  Failed sign-ins are kept in
the database, so the throttle holds across processes.  Numbers come from the environment so
operators can tune them without code.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from interview_engine import LimitExceeded
from interview_engine.domain import utcnow


class RateLimiter:
    """At most ``limit`` calls per ``window_s`` seconds for each key."""

    def __init__(self, limit: int, window_s: float, clock: object = time.monotonic) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("RateLimiter.limit must be >= 1 and window_s > 0")
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._calls: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        """Count one call, or raise :class:`LimitExceeded` saying when to retry."""
        now: float = self._clock()  # type: ignore[operator]
        with self._lock:
            calls = self._calls.setdefault(key, deque())
            while calls and calls[0] <= now - self.window_s:
                calls.popleft()
            if len(calls) >= self.limit:
                retry = max(1, int(calls[0] + self.window_s - now + 0.999))
                raise LimitExceeded(f"too many runs: at most {self.limit} per {self.window_s:g} s; retry in {retry} s")
            calls.append(now)

    def wait(self, key: str) -> int:
        """Seconds until ``key`` may call again without counting a call (0: now)."""
        now: float = self._clock()  # type: ignore[operator]
        with self._lock:
            calls = self._calls.get(key)
            if not calls:
                return 0
            while calls and calls[0] <= now - self.window_s:
                calls.popleft()
            if len(calls) < self.limit:
                return 0
            return max(1, int(calls[0] + self.window_s - now + 0.999))


def runs_limiter() -> RateLimiter:
    return RateLimiter(
        limit=int(os.environ.get("INTERVIEW_RUNS_PER_MINUTE", "30")),
        window_s=60.0,
    )


class SignInFailures(Protocol):
    """Where failures are kept: ``engine.store.signin_failures`` (the database, shared by every process)."""

    def record(self, keys: Sequence[tuple[str, str]], at: datetime, *, forget_before: datetime) -> None: ...

    def nth_latest(self, kind: str, value: str, n: int, *, since: datetime) -> datetime | None: ...


class SignInThrottle:
    """Failed sign-ins counted per account and per address; past either limit, sign-in waits.

    Only failures count, so a candidate who signs in often is never held up; guessing a
    password is (``INTERVIEW_SIGNIN_FAILURES_PER_ACCOUNT`` per 15 minutes, default 10, and
    ``INTERVIEW_SIGNIN_FAILURES_PER_ADDRESS``, default 30).  Failures are kept in the database
    (:class:`~interview_engine.storage.signin.SignInFailures`), so every web process counts the
    same ones: more processes give a guesser no more tries.
    """

    def __init__(
        self,
        failures: SignInFailures,
        per_account: int = 10,
        per_address: int = 30,
        window_s: float = 900.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        if per_account < 1 or per_address < 1 or window_s <= 0:
            raise ValueError("SignInThrottle.per_account and per_address must be >= 1, window_s > 0")
        self._failures = failures
        self._limits = {"account": per_account, "address": per_address}
        self._window = timedelta(seconds=window_s)
        self._clock = clock

    @classmethod
    def from_env(cls, failures: SignInFailures) -> SignInThrottle:
        return cls(
            failures,
            per_account=int(os.environ.get("INTERVIEW_SIGNIN_FAILURES_PER_ACCOUNT", "10")),
            per_address=int(os.environ.get("INTERVIEW_SIGNIN_FAILURES_PER_ADDRESS", "30")),
        )

    def retry_after(self, account: str, address: str) -> int:
        """Seconds to wait before the next try (0: go ahead)."""
        now = self._clock()
        wait = 0.0
        for kind, value in (("account", account), ("address", address)):
            oldest = self._failures.nth_latest(kind, value, self._limits[kind], since=now - self._window)
            if oldest is not None:
                wait = max(wait, (oldest + self._window - now).total_seconds())
        return max(1, math.ceil(wait)) if wait > 0 else 0

    def failed(self, account: str, address: str) -> None:
        now = self._clock()
        self._failures.record([("account", account), ("address", address)], now, forget_before=now - self._window)

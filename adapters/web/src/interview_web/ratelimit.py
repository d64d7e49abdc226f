"""Per-candidate rate limits on the expensive actions (those declared ``Cost.SANDBOX``: running code).

A sliding window per (user, bucket), kept in this process: with several web processes each enforces its
own share.  Numbers come from the environment so operators can tune them without code.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections import deque

from interview_engine import LimitExceeded


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


class SignInThrottle:
    """Failed sign-ins counted per account and per address; past either limit, sign-in waits.

    Only failures count, so a candidate who signs in often is never held up; guessing a
    password is (``INTERVIEW_SIGNIN_FAILURES_PER_ACCOUNT`` per 15 minutes, default 10, and
    ``INTERVIEW_SIGNIN_FAILURES_PER_ADDRESS``, default 30).
    """

    def __init__(self, per_account: int = 10, per_address: int = 30, window_s: float = 900.0, clock: object = None):
        now = clock or time.monotonic
        self._account = RateLimiter(per_account, window_s, now)
        self._address = RateLimiter(per_address, window_s, now)

    @classmethod
    def from_env(cls) -> SignInThrottle:
        return cls(
            per_account=int(os.environ.get("INTERVIEW_SIGNIN_FAILURES_PER_ACCOUNT", "10")),
            per_address=int(os.environ.get("INTERVIEW_SIGNIN_FAILURES_PER_ADDRESS", "30")),
        )

    def retry_after(self, account: str, address: str) -> int:
        """Seconds to wait before the next try (0: go ahead)."""
        return max(self._account.wait(account), self._address.wait(address))

    def failed(self, account: str, address: str) -> None:
        for limiter, key in ((self._account, account), (self._address, address)):
            with contextlib.suppress(LimitExceeded):
                limiter.hit(key)

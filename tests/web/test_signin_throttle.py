"""Sign-in is throttled per account and per address: failures count, successes never hold anyone up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from interview_engine.storage.store import Store
from interview_web.ratelimit import SignInThrottle

from .conftest import CSRF_FIELD, sign_up


def _signin(client, email: str, password: str):
    found = CSRF_FIELD.search(client.get("/signin").text)
    assert found
    form = {"_csrf": found.group(1), "email": email, "password": password, "next": "/"}
    return client.post("/signin", data=form, follow_redirects=False)


def test_failed_sign_ins_lock_the_account_for_a_while(client):
    sign_up(client, "ada@example.com")
    client.post("/signout", data={"_csrf": CSRF_FIELD.search(client.get("/").text).group(1)}, follow_redirects=False)
    for _ in range(3):
        assert _signin(client, "ada@example.com", "correct horse battery").status_code == 303  # successes: free
    for _ in range(10):
        assert _signin(client, "ada@example.com", "wrong password").status_code == 400
    locked = _signin(client, "ada@example.com", "correct horse battery")
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    assert "Too many failed sign-ins" in locked.text


def test_throttle_counts_per_account_and_per_address(store: Store):
    now = [datetime(2026, 12, 1, 12, 0, tzinfo=UTC)]
    throttle = SignInThrottle(store.signin_failures, per_account=2, per_address=3, window_s=60, clock=lambda: now[0])
    throttle.failed("a", "1.2.3.4")
    throttle.failed("a", "1.2.3.4")
    assert throttle.retry_after("a", "5.6.7.8") == 60  # the account, from anywhere
    assert throttle.retry_after("b", "1.2.3.4") == 0
    throttle.failed("b", "1.2.3.4")
    assert throttle.retry_after("c", "1.2.3.4") == 60  # the address, for any account
    now[0] += timedelta(seconds=30)
    assert throttle.retry_after("a", "1.2.3.4") == 30
    now[0] += timedelta(seconds=31)
    assert throttle.retry_after("a", "1.2.3.4") == 0


def test_the_throttle_holds_across_web_processes(database_url: str):
    # Two processes: each its own store (connection pool) and throttle on the same database.
    first, second = Store(database_url, migrate=True), Store(database_url)
    try:
        one = SignInThrottle(first.signin_failures, per_account=4, per_address=100)
        other = SignInThrottle(second.signin_failures, per_account=4, per_address=100)
        for throttle in (one, other, one, other):  # a guesser spreading tries over the processes
            assert throttle.retry_after("ada@example.com", "10.0.0.1") == 0
            throttle.failed("ada@example.com", "10.0.0.1")
        assert one.retry_after("ada@example.com", "10.0.0.9") > 0
        assert other.retry_after("ada@example.com", "10.0.0.9") > 0
        assert other.retry_after("bob@example.com", "10.0.0.1") == 0  # per account, not per address
    finally:
        first.close()
        second.close()


def test_old_failures_are_forgotten(store: Store):
    now = [datetime(2026, 12, 1, 12, 0, tzinfo=UTC)]
    throttle = SignInThrottle(store.signin_failures, per_account=1, per_address=1, window_s=60, clock=lambda: now[0])
    for i in range(50):
        throttle.failed(f"user{i}", f"10.0.0.{i}")
    now[0] += timedelta(seconds=61)
    throttle.failed("late", "10.1.0.1")  # each failure drops the ones past the window
    assert throttle.retry_after("user0", "10.0.0.0") == 0
    assert store.signin_failures.nth_latest("account", "user0", 1, since=now[0] - timedelta(days=1)) is None


@pytest.mark.parametrize("per_account", [0, -1])
def test_a_limit_below_one_is_refused(store: Store, per_account: int):
    with pytest.raises(ValueError, match="per_account"):
        SignInThrottle(store.signin_failures, per_account=per_account)

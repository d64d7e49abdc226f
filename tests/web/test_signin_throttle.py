"""Sign-in is throttled per account and per address: failures count, successes never hold anyone up."""

from __future__ import annotations

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


def test_throttle_counts_per_account_and_per_address():
    now = [0.0]
    throttle = SignInThrottle(per_account=2, per_address=3, window_s=60, clock=lambda: now[0])
    throttle.failed("a", "1.2.3.4")
    throttle.failed("a", "1.2.3.4")
    assert throttle.retry_after("a", "5.6.7.8") == 60  # the account, from anywhere
    assert throttle.retry_after("b", "1.2.3.4") == 0
    throttle.failed("b", "1.2.3.4")
    assert throttle.retry_after("c", "1.2.3.4") == 60  # the address, for any account
    now[0] = 61
    assert throttle.retry_after("a", "1.2.3.4") == 0

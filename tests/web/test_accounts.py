"""Accounts, sessions cookies, CSRF, security headers and rate limits."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import CSRF_FIELD, Client, sign_up


def test_sign_up_stores_an_argon2_hash_not_the_password(client: Client, web_engine: Any) -> None:
    sign_up(client, "Ada@Example.com", "a long passphrase")
    user = web_engine.store.find_user("ada@example.com")
    assert user.password_hash.startswith("$argon2id$")
    assert "a long passphrase" not in user.password_hash
    assert client.get("/api/me").json()["email"] == "ada@example.com"


def test_the_session_cookie_is_httponly_and_samesite(app_factory: Any) -> None:
    with app_factory() as client:
        form = client.get("/signup")
        token = CSRF_FIELD.search(form.text).group(1)
        response = client.post(
            "/signup",
            data={"_csrf": token, "email": "c@example.com", "password": "12345678", "confirm": "12345678"},
            follow_redirects=False,
        )
        cookie = response.headers["set-cookie"].lower()
        assert "httponly" in cookie
        assert "samesite=lax" in cookie


def test_sign_up_errors_name_the_field(client: Client) -> None:
    form = client.get("/signup")
    token = CSRF_FIELD.search(form.text).group(1)
    response = client.post("/signup", data={"_csrf": token, "email": "nope", "password": "short", "confirm": "short"})
    assert response.status_code == 400
    assert "Enter an email address" in response.text
    assert "at least 8 characters" in response.text


def test_sign_up_shows_the_password_rules_before_any_error(client: Client) -> None:
    form = client.get("/signup")
    assert 'aria-describedby="password-rules"' in form.text
    assert "At least 8 characters" in form.text
    assert "field-error" not in form.text


def test_a_refused_sign_up_keeps_the_name_and_email_but_never_the_passwords(client: Client) -> None:
    sign_up(client, "taken@example.com", "a long passphrase")
    client.cookies.clear()
    for data, field in (
        ({"email": "not an email", "password": "a long passphrase", "confirm": "a long passphrase"}, "email"),
        ({"email": "grace@example.com", "password": "short", "confirm": "short"}, "password"),
        ({"email": "grace@example.com", "password": "a long passphrase", "confirm": "another one"}, "confirm"),
        ({"email": "taken@example.com", "password": "a long passphrase", "confirm": "a long passphrase"}, "email"),
        ({"email": "grace@example.com", "password": "x" * 5000, "confirm": "x" * 5000}, "password"),
    ):
        form = client.get("/signup")
        token = CSRF_FIELD.search(form.text).group(1)
        response = client.post("/signup", data={"_csrf": token, "name": "Grace <Hopper>", **data})
        assert response.status_code == 400, field
        assert 'value="Grace &lt;Hopper&gt;"' in response.text  # kept, and escaped
        assert f'value="{data["email"]}"' in response.text
        assert data["password"] not in response.text
        assert "At least 8 characters" in response.text
        assert 'aria-invalid="true"' in response.text
        assert client.get("/api/me").status_code == 401


def test_sign_in_with_a_wrong_password_fails(client: Client) -> None:
    sign_up(client, "b@example.com", "right password")
    client.cookies.clear()
    form = client.get("/signin")
    token = CSRF_FIELD.search(form.text).group(1)
    wrong = client.post("/signin", data={"_csrf": token, "email": "b@example.com", "password": "wrong password"})
    assert wrong.status_code == 400
    assert "Wrong email or password" in wrong.text
    assert client.get("/api/me").status_code == 401
    right = client.post(
        "/signin",
        data={"_csrf": token, "email": "b@example.com", "password": "right password"},
        follow_redirects=False,
    )
    assert right.status_code == 303
    assert client.get("/api/me").json()["email"] == "b@example.com"


def test_sign_in_only_redirects_to_local_paths(client: Client) -> None:
    form = client.get("/signup")
    token = CSRF_FIELD.search(form.text).group(1)
    response = client.post(
        "/signup",
        data={
            "_csrf": token,
            "email": "d@example.com",
            "password": "12345678",
            "confirm": "12345678",
            "next": "//evil.example/steal",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_forms_without_the_csrf_token_are_refused(client: Client) -> None:
    client.get("/signup")
    response = client.post("/signup", data={"email": "e@example.com", "password": "12345678", "confirm": "12345678"})
    assert response.status_code == 403


def test_api_writes_need_the_csrf_header(client: Client) -> None:
    token = sign_up(client, "f@example.com")
    body = {"module": "flashcards", "track": "backend", "difficulty": "mid"}
    assert client.post("/api/sessions", json=body).status_code == 403
    assert client.post("/api/sessions", json=body, headers={"x-csrf-token": "forged"}).status_code == 403
    assert client.post("/api/sessions", json=body, headers={"x-csrf-token": token}).status_code == 201


def test_pages_redirect_to_sign_in_and_the_api_says_401(client: Client) -> None:
    assert client.get("/api/sessions").status_code == 401
    response = client.get("/summary/abc", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin?next=/summary/abc")


def test_security_headers(client: Client) -> None:
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "microphone=(self)" in headers["permissions-policy"]


def test_runs_are_rate_limited_per_user(app_factory: Any) -> None:
    with app_factory(limit=2) as client:
        token = sign_up(client, "g@example.com")
        headers = {"x-csrf-token": token}
        created = client.post(
            "/api/sessions", json={"module": "flashcards", "track": "backend", "difficulty": "mid"}, headers=headers
        ).json()
        # flashcards has no "run" action: the limiter counts before the module answers.
        codes = [
            client.post(f"/api/sessions/{created['id']}/actions/run", json={}, headers=headers).status_code
            for _ in range(3)
        ]
        assert codes == [400, 400, 429]
        # Other actions are not limited.
        answer = client.post(
            f"/api/sessions/{created['id']}/actions/answer", json={"payload": {"text": "syn"}}, headers=headers
        )
        assert answer.status_code == 201


def test_trusted_proxy_header_identifies_without_cookie_or_csrf(client: Client, monkeypatch: Any) -> None:
    monkeypatch.setenv("INTERVIEW_TRUSTED_USER_HEADER", "X-Forwarded-Email")
    headers = {"X-Forwarded-Email": "team@acme.example"}
    response = client.post(
        "/api/sessions", json={"module": "flashcards", "track": "backend", "difficulty": "mid"}, headers=headers
    )
    assert response.status_code == 201
    assert client.get("/api/me", headers=headers).json()["email"] == "team@acme.example"

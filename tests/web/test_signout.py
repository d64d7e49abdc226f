"""Signing out revokes the session: a copied cookie stops working."""

from __future__ import annotations

from .conftest import CSRF_FIELD, sign_up


def test_a_copied_cookie_stops_working_after_sign_out(client, app_factory):
    sign_up(client, "grace@example.com")
    copied = dict(client.cookies)
    assert client.get("/api/me").status_code == 200
    with app_factory() as thief:
        thief.cookies.update(copied)
        assert thief.get("/api/me").status_code == 200  # the copy works while the session lives
        token = CSRF_FIELD.search(client.get("/").text)
        assert token
        assert client.post("/signout", data={"_csrf": token.group(1)}, follow_redirects=False).status_code == 303
        thief.cookies.clear()
        thief.cookies.update(copied)
        assert thief.get("/api/me").status_code == 401
        history = thief.get("/history", follow_redirects=False)
        assert history.status_code == 303 and history.headers["location"].startswith("/signin")
    assert client.get("/api/me").status_code == 401


def test_signing_in_again_works_after_sign_out(client):
    sign_up(client, "hopper@example.com")
    token = CSRF_FIELD.search(client.get("/").text)
    client.post("/signout", data={"_csrf": token.group(1)}, follow_redirects=False)
    form = CSRF_FIELD.search(client.get("/signin").text)
    signed = client.post(
        "/signin",
        data={"_csrf": form.group(1), "email": "hopper@example.com", "password": "correct horse battery", "next": "/"},
        follow_redirects=False,
    )
    assert signed.status_code == 303
    assert client.get("/api/me").status_code == 200

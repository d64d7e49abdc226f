"""A candidate sees and deletes only their own sessions: anything else is 404, through every route."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import sign_up


def test_user_b_cannot_read_change_or_delete_user_a_sessions(app_factory: Any) -> None:
    with app_factory() as ada, app_factory() as bob:
        ada_token = sign_up(ada, "ada@example.com")
        bob_token = sign_up(bob, "bob@example.com")
        created = ada.post(
            "/api/sessions",
            json={"module": "flashcards", "track": "backend", "difficulty": "mid"},
            headers={"x-csrf-token": ada_token},
        ).json()
        sid = created["id"]
        bob_headers = {"x-csrf-token": bob_token}

        attempts = [
            bob.get(f"/api/sessions/{sid}"),
            bob.post(f"/api/sessions/{sid}/actions/answer", json={"payload": {"text": "x"}}, headers=bob_headers),
            bob.post(f"/api/sessions/{sid}/end", headers=bob_headers),
            bob.delete(f"/api/sessions/{sid}", headers=bob_headers),
            bob.get(f"/summary/{sid}"),
        ]
        assert [r.status_code for r in attempts] == [404] * len(attempts)
        assert bob.get("/api/sessions").json() == []

        # Ada's session is untouched.
        summary = ada.get(f"/api/sessions/{sid}").json()
        assert summary["session"]["status"] == "active"
        assert summary["evaluation"] is None
        assert ada.delete(f"/api/sessions/{sid}", headers={"x-csrf-token": ada_token}).status_code == 204

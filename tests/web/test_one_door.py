"""One action, one set of caps: the generic route and the seed's typed route refuse the same payloads."""

from __future__ import annotations

from typing import Any

from interview_engine import Engine
from tests.web.conftest import sign_up


def test_both_doors_to_run_refuse_a_100_kb_source_naming_the_field(client: Any, web_engine: Engine) -> None:
    token = sign_up(client, "doors@example.com")
    headers = {"x-csrf-token": token}
    problem = web_engine.items("live_coding", "backend", "mid")[0].id
    created = client.post(
        "/api/coding/sessions", json={"track": "backend", "difficulty": "mid", "problemId": problem}, headers=headers
    )
    assert created.status_code == 201, created.text
    sid = created.json()["id"]
    big = "x = 1\n" * 17_000  # 102 000 characters
    generic = client.post(f"/api/sessions/{sid}/actions/run", json={"payload": {"source": big}}, headers=headers)
    typed = client.post(f"/api/coding/sessions/{sid}/run", json={"source": big}, headers=headers)
    assert (generic.status_code, typed.status_code) == (400, 400)
    assert generic.json()["field"] == typed.json()["field"] == "source"
    notes = "n" * 9_000
    generic = client.post(
        f"/api/sessions/{sid}/actions/submit", json={"payload": {"source": "x = 1", "notes": notes}}, headers=headers
    )
    assert generic.status_code == 400 and generic.json()["field"] == "notes"
    assert "8192" in generic.json()["detail"]
    # Nothing was stored by the refused calls.
    assert web_engine.store.submissions(sid) == []

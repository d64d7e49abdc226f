"""No candidate-facing route sets a score; embedding teams post grades with their own token (issue 12)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import Client, sign_up

TOKEN = "grader-secret-0123456789"  # noqa: S105 - a test value


def _coding_session(client: Client, token: str) -> str:
    created = client.post(
        "/api/coding/sessions",
        json={"track": "backend", "difficulty": "mid", "problemId": "backend-lru-cache"},
        headers={"x-csrf-token": token},
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def test_the_api_has_no_route_that_sets_a_score(client: Client) -> None:
    token = sign_up(client, "ada@example.com")
    sid = _coding_session(client, token)
    headers = {"x-csrf-token": token}
    rubric = {"rubric": dict.fromkeys(("correctness", "complexity", "code_quality", "clarity", "time_management"), 5)}
    for path in (f"/api/sessions/{sid}/evaluation", f"/api/coding/sessions/{sid}/evaluation"):
        assert client.post(path, json=rubric, headers=headers).status_code in (404, 405)
    # Posting to the grader route as a signed-in candidate is refused too (no token configured).
    assert (
        client.post(
            f"/api/grader/sessions/{sid}/evaluation", json={"grader": "me", **rubric}, headers=headers
        ).status_code
        == 403
    )
    # Ending the session is the only way to an evaluation: the engine's, of no code -> no advance.
    summary = client.post(f"/api/sessions/{sid}/end", headers=headers).json()
    assert summary["evaluation"]["decision"] != "advance"
    assert summary["evaluation"]["gradedBy"] == "engine"
    operations = {
        op["operationId"]
        for path in client.get("/schema/openapi.json").json()["paths"].values()
        for op in path.values()
    }
    assert not {"saveEvaluation", "saveCodingEvaluation", "saveDebugEvaluation"} & operations
    assert "recordExternalGrade" in operations


@pytest.mark.parametrize(
    ("header", "status"),
    [(None, 401), ("Bearer wrong", 401), (f"Basic {TOKEN}", 401), (f"Bearer {TOKEN}x", 401), (f"Bearer {TOKEN}", 201)],
)
def test_external_grades_need_the_deployment_grader_token(
    app_factory: Any, monkeypatch: pytest.MonkeyPatch, header: str | None, status: int
) -> None:
    monkeypatch.setenv("INTERVIEW_GRADER_TOKEN", TOKEN)
    with app_factory() as candidate, app_factory() as grader:
        token = sign_up(candidate, "ada@example.com")
        sid = _coding_session(candidate, token)
        body = {
            "grader": "acme-panel",
            "rubric": {"correctness": 4, "complexity": 3, "code_quality": 4, "clarity": 3, "time_management": 4},
            "evidence": [{"dimension": "correctness", "text": "passed our own suite", "source": "spoofed"}],
        }
        headers = {"authorization": header} if header else {}
        answer = grader.post(f"/api/grader/sessions/{sid}/evaluation", json=body, headers=headers)
        assert answer.status_code == status, answer.text
        summary = candidate.get(f"/api/sessions/{sid}").json()
        if status != 201:
            assert summary["evaluation"] is None
            return
        assert answer.json()["gradedBy"] == "external:acme-panel"
        assert summary["evaluation"]["gradedBy"] == "external:acme-panel"
        assert {e["source"] for e in summary["evaluation"]["evidence"] if e["text"] == "passed our own suite"} == {
            "external:acme-panel"
        }


def test_an_external_grade_out_of_range_names_the_field(app_factory: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEW_GRADER_TOKEN", TOKEN)
    with app_factory() as candidate:
        token = sign_up(candidate, "ada@example.com")
        sid = _coding_session(candidate, token)
        answer = candidate.post(
            f"/api/grader/sessions/{sid}/evaluation",
            json={
                "grader": "acme",
                "rubric": {"correctness": 9, "complexity": 3, "code_quality": 4, "clarity": 3, "time_management": 4},
            },
            headers={"authorization": f"Bearer {TOKEN}"},
        )
        assert answer.status_code == 400 and "rubric.correctness" in answer.text


def test_a_sandbox_fault_answers_503_with_a_clear_message_and_nothing_scored(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from interview_engine import CaseOutcome, CaseStatus
    from interview_engine.module import ModuleContext

    class Broken:
        def call_cases(self, source: str, entry: str, cases: Any, **kw: Any) -> list[CaseOutcome]:
            return [CaseOutcome(c.name, CaseStatus.SANDBOX_ERROR, error="crashed") for c in cases]

    monkeypatch.setattr(ModuleContext, "runner", lambda self: Broken())
    token = sign_up(client, "ada@example.com")
    sid = _coding_session(client, token)
    headers = {"x-csrf-token": token}
    submitted = client.post(
        f"/api/coding/sessions/{sid}/submit", json={"source": "def run_cache(c, o):\n    return []\n"}, headers=headers
    )
    assert submitted.status_code == 201 and submitted.json()["data"]["graded"] is False
    ended = client.post(f"/api/sessions/{sid}/end", headers=headers)
    assert ended.status_code == 503, ended.text
    assert ended.json() == {
        "status_code": 503,
        "detail": "not graded: the sandbox failed, try again",
        "retryable": True,
    }
    assert client.get(f"/api/sessions/{sid}").json()["evaluation"] is None

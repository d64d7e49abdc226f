"""The complete minimal plugin of docs/plugins.md (examples/explain_plugin) is shown there in full and works:
installed as pip would install it, it gets a Start, a workspace, a rendered summary, its own record and
snapshot, and a study-plan link to the exact term, with nothing in the engine or the web app written for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from interview_engine import Engine, RecordKind
from interview_web import create_app
from interview_web.ratelimit import RateLimiter
from tests.web.conftest import CSRF_FIELD, Client, sign_up

EXAMPLE = Path(__file__).parents[1] / "examples" / "explain_plugin"
DOCS = Path(__file__).parents[1] / "docs" / "plugins.md"
FILES = sorted(p for p in EXAMPLE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


@pytest.mark.parametrize("file", FILES, ids=lambda p: str(p.relative_to(EXAMPLE)))
def test_the_docs_show_every_file_of_the_example(file: Path) -> None:
    docs = DOCS.read_text()
    assert f"`examples/explain_plugin/{file.relative_to(EXAMPLE)}`" in docs
    assert file.read_text().strip() in docs


@pytest.fixture
def example(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> Iterator[tuple[Engine, Client]]:
    monkeypatch.syspath_prepend(str(EXAMPLE))
    import explain_plugin

    engine = Engine.create(sqlite_url, plugins=[explain_plugin], load_entry_points=False, migrate=True)
    with TestClient(app=create_app(engine=engine, limiter=RateLimiter(100, 60))) as client:
        yield engine, client
    engine.close()


def test_the_example_plugin_runs_end_to_end(example: tuple[Engine, Client]) -> None:
    engine, client = example
    headers = {"X-CSRF-Token": sign_up(client, "ex@example.com")}
    home = client.get("/").text
    assert 'formaction="/explain"' in home and '<a href="/explain">Explain</a>' in home
    picker = client.get("/explain")
    assert "Explain idempotency" in picker.text
    token = CSRF_FIELD.search(picker.text)
    assert token
    fields = {"_csrf": token.group(1), "track": "backend", "difficulty": "mid", "term": "idempotency"}
    started = client.post("/explain/start", data=fields, follow_redirects=False)
    workspace_url = started.headers["location"]
    session_id = workspace_url.rsplit("/", 1)[1]
    assert "<h1>Explain idempotency</h1>" in client.get(workspace_url).text
    assert client.get("/static/modules/explain/explain.js").status_code == 200

    too_long = {"payload": {"text": "x" * 2_001}}
    refused = client.post(f"/api/sessions/{session_id}/actions/explain", json=too_long, headers=headers)
    assert refused.status_code == 400 and "2000" in refused.text
    said = {"payload": {"text": "you can repeat it"}}
    answered = client.post(f"/api/sessions/{session_id}/actions/explain", json=said, headers=headers)
    assert answered.status_code in (200, 201) and answered.json()["data"]["score"] == pytest.approx(5 / 3)
    client.post(f"/api/sessions/{session_id}/end", headers=headers)

    summary = client.get(f"/summary/{session_id}").text
    assert '<section id="explanations">' in summary and "you can repeat it · 1.7 / 5" in summary
    import explain_plugin

    kind: RecordKind[explain_plugin.Attempt] = explain_plugin.ATTEMPTS
    assert kind.get(engine.store, session_id) == explain_plugin.Attempt(session_id, ("you can repeat it",))
    assert engine.store.get_snapshot("explain_terms", "idempotency", "1") is not None
    # http is weak now: the plan links to the term of that topic not yet tried, and the link opens it.
    plan = client.get("/history").text.split(">Study plan</h2>")[1]
    assert 'href="/explain?term=retry-budget&amp;track=backend&amp;difficulty=mid#item-retry-budget"' in plan
    assert 'class="card item selected" id="item-retry-budget"' in client.get("/explain?term=retry-budget").text

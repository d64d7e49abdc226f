"""Schemathesis against /schema/openapi.json: no 5xx for any generated request, responses match the schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from interview_engine import Engine
from interview_web import create_app
from interview_web.ratelimit import RateLimiter

FLASHCARDS = Path(__file__).parents[1] / "engine" / "flashcards_plugin"
HEADER = "X-Forwarded-Email"


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    patch = pytest.MonkeyPatch()
    patch.setenv("INTERVIEW_TRUSTED_USER_HEADER", HEADER)
    patch.syspath_prepend(str(FLASHCARDS))
    engine = Engine.create(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}", migrate=True)
    user = engine.store.ensure_user("fuzzer@example.com")
    # A real session, so that generated requests can reach past "not found" sometimes.
    for module in sorted(engine.modules):
        items = engine.items(module, "backend", "mid")
        if items:
            option = {"live_coding": "problemId", "debugging": "scenarioId"}.get(module, "card")
            options = {option: items[0].id} if module != "voice_screen" else {"mode": "offline"}
            engine.start_session(user_id=user.id, module=module, track="backend", difficulty="mid", options=options)
    yield create_app(engine=engine, limiter=RateLimiter(100_000, 60))
    engine.close()
    patch.undo()


@pytest.fixture(scope="module")
def api_schema(fuzzed_app: Any) -> Any:
    return schemathesis.openapi.from_asgi("/schema/openapi.json", fuzzed_app)


def _operations(api_schema: Any) -> list[Any]:
    return [result.ok() for result in api_schema.get_all_operations()]


def test_api_never_fails_and_answers_as_documented(api_schema: Any) -> None:
    operations = _operations(api_schema)
    assert len(operations) >= 15
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: Any) -> None:
            case.call_and_validate(headers={HEADER: "fuzzer@example.com"})

        check()

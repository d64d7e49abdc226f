"""The published JSON Schema of a payload and the engine's check of it agree, cap for cap."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interview_engine import Action, Engine, InvalidInput
from interview_engine.actions import validate_payload
from interview_engine.payload_schema import json_schema


def _text_caps(engine: Engine) -> list[tuple[str, Action, str, int, int]]:
    """Every top-level string field with a maxLength, of every bundled module's declared payloads."""
    found = []
    for module in engine.modules:
        for action in engine.actions(module):
            if action.payload is None:
                continue
            for name, schema in json_schema(action.payload)["properties"].items():
                if schema.get("type") == "string" and "maxLength" in schema:
                    found.append((module, action, name, int(schema.get("minLength", 0)), int(schema["maxLength"])))
    return found


def _filled(action: Action, name: str, text: str) -> dict[str, Any]:
    """A payload whose every required field is a harmless value, and ``name`` is ``text``."""
    assert action.payload is not None
    schema = json_schema(action.payload)
    payload: dict[str, Any] = {}
    for field in schema.get("required", []):
        kind = schema["properties"][field].get("type")
        payload[field] = {"string": "x", "object": {}, "array": []}.get(kind, "x")
    payload[name] = text
    return payload


@pytest.fixture(scope="module")
def text_caps(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Action, str, int, int]]:
    engine = Engine.create(f"sqlite:///{tmp_path_factory.mktemp('caps') / 'caps.db'}", migrate=True)
    try:
        return _text_caps(engine)
    finally:
        engine.close()


def test_the_bundled_payloads_publish_their_caps(text_caps: list[tuple[str, Action, str, int, int]]) -> None:
    caps = {(module, action.name, name): limit for module, action, name, _, limit in text_caps}
    assert caps[("live_coding", "run", "source")] == 65_536
    assert caps[("live_coding", "submit", "notes")] == 8_192
    assert caps[("debugging", "submit", "diagnosis")] == 8_192
    assert caps[("voice_screen", "answer", "text")] == 20_000


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_text_passes_the_check_exactly_when_the_schema_allows_it(
    text_caps: list[tuple[str, Action, str, int, int]], data: Any
) -> None:
    _, action, name, least, limit = data.draw(st.sampled_from(text_caps))
    length = data.draw(st.integers(min_value=max(0, limit - 3), max_value=limit + 3) | st.integers(0, limit * 2))
    payload = _filled(action, name, "a" * length)
    if least <= length <= limit:
        assert validate_payload(action, payload)[name] == "a" * length
    else:
        with pytest.raises(InvalidInput) as refused:
            validate_payload(action, payload)
        assert refused.value.field == name and str(limit if length > limit else least) in refused.value.message


def test_nested_optional_and_mapping_fields_are_described() -> None:
    from interview_voice_screen.actions import Ingest, Transcript

    segments = json_schema(Transcript)["properties"]["segments"]
    assert segments["type"] == "array" and segments["maxItems"] == 2000
    assert segments["items"]["required"] == ["speaker", "text"]
    assert segments["items"]["properties"]["timeS"] == {"anyOf": [{"type": "number"}, {"type": "null"}]}
    ingest = json_schema(Ingest)
    assert "required" not in ingest and ingest["additionalProperties"] is False
    assert ingest["properties"]["deadlineS"]["maximum"] == 600.0

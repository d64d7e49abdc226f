"""Content packs: a bad file gives an error naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from attrs import frozen

from interview_engine import ContentError, load_content, read_data_file


@frozen
class Card:
    id: str
    prompt: str
    points: tuple[str, ...]


@frozen
class Deck:
    version: str
    cards: tuple[Card, ...]


def test_a_valid_toml_pack_loads(tmp_path: Path) -> None:
    path = tmp_path / "deck.toml"
    path.write_text('version = "3"\n[[cards]]\nid = "a"\nprompt = "Why?"\npoints = ["because"]\n')
    deck = load_content(path, Deck)
    assert deck == Deck(version="3", cards=(Card(id="a", prompt="Why?", points=("because",)),))


def test_a_missing_field_is_named_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "deck.json"
    path.write_text('{"version": "3", "cards": [{"id": "a", "points": []}]}')
    with pytest.raises(ContentError) as caught:
        load_content(path, Deck)
    message = str(caught.value)
    assert str(path) in message
    assert "$.cards[0].prompt" in message


def test_a_wrong_type_is_named(tmp_path: Path) -> None:
    path = tmp_path / "deck.json"
    path.write_text('{"version": "3", "cards": [{"id": "a", "prompt": "p", "points": 5}]}')
    with pytest.raises(ContentError, match=r"\$\.cards\[0\]\.points"):
        load_content(path, Deck)


def test_an_unknown_field_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deck.json"
    path.write_text('{"version": "3", "cards": [], "colour": "red"}')
    with pytest.raises(ContentError, match="colour"):
        load_content(path, Deck)


def test_broken_syntax_names_file_and_position(tmp_path: Path) -> None:
    path = tmp_path / "deck.toml"
    path.write_text('version = "3"\n[[cards]\n')
    with pytest.raises(ContentError) as caught:
        read_data_file(path)
    assert str(path) in str(caught.value)
    assert "line 2" in str(caught.value)


def test_other_formats_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "deck.yaml"
    path.write_text("version: 3")
    with pytest.raises(ContentError, match=r"\.json or \.toml"):
        read_data_file(path)

"""The track and level a page opens on: the one asked for, else the candidate's last choice.

A valid choice in a picker's query (``?track=frontend&difficulty=senior``) is remembered for the
candidate, server-side, as starting a session is (:meth:`interview_engine.Engine.start_session`): the
home page, the pickers and the phone screen open on it next time, from any browser.
"""

from __future__ import annotations

from typing import TypeVar

from attrs import frozen

from interview_engine import Difficulty, Engine, Track, User

__all__ = ["Choice", "choose"]

DEFAULT = (Track.BACKEND, Difficulty.MID)
E = TypeVar("E", Track, Difficulty)


@frozen
class Choice:
    track: str
    difficulty: str


def _member(value: str | None, cls: type[E]) -> E | None:
    return cls(value) if value in {member.value for member in cls} else None


def choose(engine: Engine, user: User | None, track: str | None = None, difficulty: str | None = None) -> Choice:
    """The choice to show; a valid one asked for by a signed-in candidate becomes their remembered one."""
    asked_track = _member(track, Track)
    asked_difficulty = _member(difficulty, Difficulty)
    chosen_track = asked_track or (user.track if user else None) or DEFAULT[0]
    chosen_difficulty = asked_difficulty or (user.difficulty if user else None) or DEFAULT[1]
    asked = asked_track is not None or asked_difficulty is not None
    if user is not None and asked and (chosen_track, chosen_difficulty) != (user.track, user.difficulty):
        engine.store.remember_choice(user.id, chosen_track, chosen_difficulty)
    return Choice(track=chosen_track.value, difficulty=chosen_difficulty.value)

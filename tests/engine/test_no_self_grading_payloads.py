"""No action payload can carry a grade (issue 12: self-grading).

The candidate-facing routes are generated from the modules' action declarations, so an action
that let a payload through with a score in it would be a self-grading route.  Every bundled
action is typed, no declared field is a grade, and any field a payload adds (a ``rubric``, a
``decision``, an ``evaluation``) is refused with the fields named, never ignored or stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interview_engine import Engine
from interview_engine.actions import validate_payload
from interview_engine.errors import InvalidInput

GRADE_WORDS = re.compile(r"score|rubric|evaluat|decision|grade|weighted|verdict|result|rating|pass", re.IGNORECASE)
GRADES = ["score", "scores", "rubric", "evaluation", "decision", "weighted", "result", "grade", "passed"]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    found = Engine.create(f"sqlite:///{tmp_path_factory.mktemp('grades') / 'e.db'}", migrate=True)
    yield found
    found.close()


def _actions(engine: Engine) -> list[tuple[str, object]]:
    return [(name, action) for name in sorted(engine.modules) for action in engine.actions(name)]


def test_every_bundled_action_is_typed_and_declares_no_grade(engine: Engine) -> None:
    for module, action in _actions(engine):
        assert action.typed, f"{module}.{action.name} takes any payload"
        fields = [f.name for f in attrs.fields(action.payload)] if action.payload is not None else []
        assert not [f for f in fields if GRADE_WORDS.search(f)], f"{module}.{action.name}: {fields}"


@settings(max_examples=60, deadline=None)
@given(data=st.data(), grade=st.sampled_from(GRADES), value=st.one_of(st.floats(0, 5), st.just({"correctness": 5})))
def test_a_payload_that_carries_a_grade_is_refused_naming_it(engine: Engine, data: st.DataObject, grade, value) -> None:
    module, action = data.draw(st.sampled_from(_actions(engine)))
    with pytest.raises(InvalidInput) as refused:
        validate_payload(action, {grade: value})
    assert grade in str(refused.value) or action.payload is None, (module, action.name, str(refused.value))

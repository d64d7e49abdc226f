"""Declared result types: the engine checks every answer, a grading job's too, before anything is stored."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

import pytest
from attrs import evolve, frozen

from interview_engine import (
    Action,
    ActionResult,
    ContentCheck,
    Cost,
    Difficulty,
    Engine,
    Evaluation,
    InternalError,
    Item,
    ModuleContext,
    NotGraded,
    PackInfo,
    Session,
    Submission,
    Track,
    hookimpl,
    unstructure,
)
from interview_engine.actions import check_result
from interview_engine.jobs import Fault, JobState, Recovered
from interview_engine.payload_schema import json_schema, result_schema


@frozen
class Answer:
    text: str


@frozen
class Marked:
    graded: Literal[True]
    score: float


@frozen
class Unmarked:
    graded: Literal[False]
    message: str


class Marker:
    """Marks a text in a sandbox job; ``"bad"`` makes it answer in a shape it never declared."""

    name = "marker"
    title = "Marker"
    description = "Marks what you write."
    actions = (
        Action("grade", payload=Answer, result=Marked | Unmarked, cost=Cost.SANDBOX),
        Action("peek", result=Marked),
    )

    def pack_info(self) -> PackInfo:
        return PackInfo(module=self.name, name="marker", version="1")

    def rubric(self, track: Track, difficulty: Difficulty) -> Any:
        raise NotImplementedError

    def items(self, track: Track | None = None, difficulty: Difficulty | None = None) -> list[Item]:
        return []

    def start(self, ctx: ModuleContext, session: Session, options: Mapping[str, Any]) -> Session:
        return evolve(session, state={"graded": 0})

    def act(self, ctx: ModuleContext, session: Session, action: str, payload: Mapping[str, Any]) -> ActionResult:
        if action == "peek":
            return ActionResult(session, unstructure(Unmarked(graded=False, message="a shape peek never answers")))
        ctx.store.add_submission(Submission(ctx.new_submission_id(), session.id, "submit", {"answer": payload["text"]}))
        session = evolve(session, state={"graded": session.state["graded"] + 1})
        if payload["text"] == "bad":
            return ActionResult(session, {"graded": True, "score": "high"})
        if payload["text"] == "sandbox down":
            return ActionResult(session, unstructure(Unmarked(graded=False, message="not graded")))
        return ActionResult(session, unstructure(Marked(graded=True, score=len(payload["text"]) / 10)))

    def evaluate(self, ctx: ModuleContext, session: Session) -> Evaluation:
        raise NotImplementedError

    def summarize(self, ctx: ModuleContext, session: Session, evaluation: Evaluation | None) -> dict[str, Any]:
        return {}

    def validate_content(self, ctx: ModuleContext) -> list[ContentCheck]:
        return []


class MarkerPlugin:
    @hookimpl
    def register_modules(self) -> list[Any]:
        return [Marker()]


@pytest.fixture
def marker(sqlite_url: str) -> Iterator[tuple[Engine, str]]:
    engine = Engine.create(sqlite_url, plugins=[MarkerPlugin()], load_entry_points=False, migrate=True)
    user = engine.store.ensure_user("ada@example.com")
    session = engine.start_session(user_id=user.id, module="marker", track="backend", difficulty="mid")
    yield engine, session.id
    engine.close()


def test_a_grading_job_answers_in_one_of_its_declared_shapes(marker: tuple[Engine, str]) -> None:
    engine, sid = marker
    assert engine.act(sid, "grade", {"text": "hello"}).data == {"graded": True, "score": 0.5}
    assert engine.get_session(sid).state["graded"] == 1


def test_a_grading_job_with_a_refused_result_fails_and_stores_nothing(marker: tuple[Engine, str]) -> None:
    """The module's bug is caught before its unit of work commits: no submission, no state change, no result.

    The job ends like any attempt that raised (retried, then "not graded, try again"): never the candidate's.
    """
    engine, sid = marker
    with pytest.raises(NotGraded):
        engine.act(sid, "grade", {"text": "bad"})
    job = engine.grading.for_session(sid)[-1]
    assert job.state is JobState.FAILED and job.fault is Fault.INFRASTRUCTURE and job.result is None
    assert engine.store.submissions(sid) == []
    assert engine.get_session(sid).state["graded"] == 0


def test_an_answer_of_a_type_it_never_declared_is_the_modules_bug(marker: tuple[Engine, str]) -> None:
    engine, sid = marker
    with pytest.raises(InternalError, match=r"marker\.peek returned a result its declaration refuses"):
        engine.act(sid, "peek")


def test_an_instance_of_the_declared_type_is_written_out_and_another_refused() -> None:
    action = Action("grade", payload=Answer, result=Marked | Unmarked)
    assert check_result("marker", action, Unmarked(graded=False, message="later")) == {
        "graded": False,
        "message": "later",
    }
    with pytest.raises(InternalError, match="not its declared Marked or Unmarked"):
        check_result("marker", action, Answer("a"))
    with pytest.raises(InternalError, match="not a JSON object"):
        check_result("marker", action, [1, 2])


def test_a_result_union_must_be_of_attrs_classes() -> None:
    with pytest.raises(ValueError, match="union of them"):
        Action("grade", result=Marked | dict)


def test_the_result_schema_is_each_declared_shape_and_a_recovered_submission() -> None:
    action = Action("grade", payload=Answer, result=Marked | Unmarked, cost=Cost.SANDBOX)
    schema = result_schema(action, also=(Recovered,))
    assert schema == {"anyOf": [json_schema(Marked), json_schema(Unmarked), json_schema(Recovered)]}
    assert json_schema(Marked)["properties"]["graded"] == {"enum": [True]}
    assert result_schema(Action("peek", result=Marked)) == json_schema(Marked)
    assert result_schema(Action("free")) is None

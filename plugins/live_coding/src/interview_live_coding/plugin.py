"""Entry-point plugin: the live-coding module, its CLI group, narration scorer and study resources."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from interview_engine.hookspecs import hookimpl

if TYPE_CHECKING:  # the module and its content load when a hook first needs them, not at plugin load
    from interview_engine.scoring import AnswerScore, AnswerScoringRequest
    from interview_engine.study import StudyResource
    from interview_live_coding.module import LiveCodingModule


@functools.cache
def module() -> LiveCodingModule:
    from interview_live_coding.module import LiveCodingModule

    return LiveCodingModule()


@hookimpl
def register_modules() -> list[Any]:
    return [module()]


@hookimpl
def module_pages() -> list[Any]:
    from interview_live_coding.pages import PAGES

    return [PAGES]


@hookimpl
def cli_commands() -> list[Any]:
    from interview_live_coding.cli import coding

    return [coding]


@hookimpl(trylast=True)
def answer_scorer(request: AnswerScoringRequest) -> AnswerScore | None:
    if request.kind != "coding_narration":
        return None
    if request.context.get("keyPointAspects"):
        from interview_engine.judging import score_request

        return score_request(request)
    from interview_live_coding.narration import score_narration

    return score_narration(request, module().heuristics.clarity)


@hookimpl(trylast=True)
def scoring_request(kind: str, item_id: str, text: str, location: str) -> AnswerScoringRequest | None:
    if kind != "coding_narration":
        return None
    from interview_live_coding.narration import narration_request

    return narration_request(module().pack.problem(item_id), text)


@hookimpl
def study_resources(topic: str, track: str) -> list[StudyResource]:
    from interview_engine.study import StudyResource

    found = []
    for problem in module().pack.listed():
        if topic in problem.tags and problem.track.value == track:
            found.append(
                StudyResource(
                    topic=topic,
                    kind="practice",
                    title=problem.title,
                    why=f"a {problem.difficulty.value} {problem.track.value} problem on {', '.join(problem.tags)}",
                    module="live_coding",
                    item_id=problem.id,
                    difficulty=problem.difficulty.value,
                    url=f"/coding?problem={problem.id}",
                )
            )
    return found

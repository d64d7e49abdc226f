"""Entry-point plugin: the debugging module, its CLI group, its diagnosis scorer and study resources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from interview_engine.hookspecs import hookimpl

if TYPE_CHECKING:  # the module and its pack load when a hook first needs them, not at plugin load
    from interview_engine import AnswerScore, AnswerScoringRequest, StudyResource


@hookimpl
def register_modules() -> list[Any]:
    from interview_debugging.module import DebuggingModule

    return [DebuggingModule()]


@hookimpl
def module_pages() -> list[Any]:
    from interview_debugging.pages import PAGES

    return [PAGES]


@hookimpl
def cli_commands() -> list[Any]:
    from interview_debugging.cli import debug

    return [debug]


@hookimpl(trylast=True)
def answer_scorer(request: AnswerScoringRequest) -> AnswerScore | None:
    if request.kind != "debug_diagnosis":
        return None
    if request.context.get("keyPointAspects"):
        from interview_engine.judging import score_request

        return score_request(request)
    from interview_debugging.communication import score_diagnosis_text
    from interview_debugging.pack import load_pack

    return score_diagnosis_text(request, load_pack().scoring.communication)


@hookimpl(trylast=True)
def scoring_request(kind: str, item_id: str, text: str, location: str) -> AnswerScoringRequest | None:
    if kind != "debug_diagnosis":
        return None
    from interview_debugging.communication import diagnosis_request
    from interview_debugging.pack import load_pack

    pack = load_pack()
    return diagnosis_request(pack, pack.scenario(item_id), text, location)


@hookimpl
def study_resources(topic: str, track: str) -> list[StudyResource]:
    from interview_debugging.pack import MODULE, load_pack
    from interview_engine.study import StudyResource

    pack = load_pack()
    concept = pack.concepts.get(topic)
    if concept is None:
        return []
    resources = [
        StudyResource(
            topic=topic,
            kind="fact_sheet",
            title=concept.title,
            why="the concept behind a bug you met",
            body=concept.summary,
        )
    ]
    scenarios = sorted(
        (s for s in pack.scenarios.values() if topic in s.topics),
        key=lambda s: (s.track.value != track, s.difficulty.value, s.id),
    )
    resources += [
        StudyResource(
            topic=topic,
            kind="practice",
            title=s.title,
            why=f"a {s.track.value} bug rooted in {concept.title.lower()}",
            module=MODULE,
            item_id=s.id,
            difficulty=s.difficulty.value,
            url=f"/debugging?scenario={s.id}",
        )
        for s in scenarios
    ]
    return resources

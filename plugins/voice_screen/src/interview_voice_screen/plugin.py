"""Entry-point plugin: the phone-screen module, its scorer, study resources, CLI and clean-up."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from interview_engine.hookspecs import hookimpl

if TYPE_CHECKING:  # the module, its bank and the voice client load when a hook first needs them
    from interview_engine import AnswerScore, AnswerScoringRequest, Session, StudyResource
    from interview_voice_screen.module import VoiceScreenModule

log = logging.getLogger(__name__)

MAX_PRACTICE = 3


@hookimpl
def register_modules() -> list[VoiceScreenModule]:
    from interview_voice_screen.module import VoiceScreenModule

    return [VoiceScreenModule()]


@hookimpl(trylast=True)
def default_module() -> str:
    """The phone screen is where a session starts when the caller names no module (the seed's default).

    ``trylast``: a team's plugin, or ``INTERVIEW_DEFAULT_MODULE``, chooses another.
    """
    return "voice_screen"


@hookimpl(trylast=True)
def answer_scorer(request: AnswerScoringRequest) -> AnswerScore | None:
    from interview_voice_screen.scorer import KIND

    if request.kind != KIND:
        return None
    from interview_engine.judging import score_request

    return score_request(request)


@hookimpl(trylast=True)
def scoring_request(kind: str, item_id: str, text: str, location: str) -> AnswerScoringRequest | None:
    from interview_voice_screen.scorer import KIND

    if kind != KIND:
        return None
    from interview_engine.errors import NotFound
    from interview_voice_screen.bank import knowledge_base
    from interview_voice_screen.scorer import scoring_request as question_request

    kb = knowledge_base()
    for track in kb.pack.tracks:
        for question in kb.track_questions(track):
            if question.id == item_id:
                return question_request(question, text, track=track, difficulty=question.difficulty)
    raise NotFound(f"no phone-screen question {item_id!r}")


@hookimpl
def study_resources(topic: str, track: str) -> list[StudyResource]:
    from interview_engine.study import StudyResource
    from interview_voice_screen.bank import MODULE_NAME, knowledge_base

    kb = knowledge_base()
    tracks = [track] if track in kb.pack.tracks else list(kb.pack.tracks)
    found: list[StudyResource] = []
    for name in tracks:
        sheet = kb.sheet(name, topic)
        if sheet is None:
            continue
        found.append(
            StudyResource(
                topic=topic,
                kind="fact_sheet",
                title=sheet.title,
                why=f"the phone screen's fact sheet on {topic}",
                module=MODULE_NAME,
                body=sheet.body.strip(),
            )
        )
        questions = [q for q in kb.track_questions(name) if q.topic == topic]
        for question in sorted(questions, key=lambda q: (q.difficulty != "mid", q.id))[:MAX_PRACTICE]:
            found.append(
                StudyResource(
                    topic=topic,
                    kind="practice",
                    title=question.prompt,
                    why=f"a {question.difficulty} phone-screen question on {topic}",
                    module=MODULE_NAME,
                    item_id=question.id,
                    difficulty=question.difficulty,
                )
            )
    return found


@hookimpl
def on_session_deleted(session: Session) -> None:
    """Delete every ElevenLabs conversation of a deleted voice session (each retried call, not only the last)."""
    from interview_voice_screen.bank import MODULE_NAME
    from interview_voice_screen.voice.calls import conversation_ids
    from interview_voice_screen.voice.settings import VoiceSettings

    if session.module != MODULE_NAME:
        return
    ids = conversation_ids(session)
    if session.external_ref and session.external_ref not in ids:
        ids.append(session.external_ref)
    settings = VoiceSettings.from_env()
    if not ids or not settings.configured:
        return
    client = settings.client()
    for conversation_id in ids:
        try:
            client.conversational_ai.conversations.delete(conversation_id)
        except Exception as exc:  # the local data is gone already; report, do not fail the deletion
            # A minted link nobody connected to has no conversation to delete (404): expected.
            log.warning("could not delete ElevenLabs conversation %s: %s", conversation_id, exc)


@hookimpl
def web_routes(engine: Any) -> list[Any]:
    from interview_voice_screen.voice.analysis_page import analysis_routes
    from interview_voice_screen.voice.routes import webhook_routes

    return [*webhook_routes(engine), *analysis_routes(engine)]


@hookimpl
def module_pages() -> list[Any]:
    from interview_voice_screen.pages import PAGES

    return [PAGES]


@hookimpl
def cli_commands() -> list[Any]:
    from interview_voice_screen.cli import agent, screen

    return [screen, agent]

"""The phone screen as an :class:`~interview_engine.InterviewModule`.

Actions (the web adapter and the CLI use these exact names):

both modes — the engine's interviewer drives the screen; in a voice call the agent's client
tools call these (``next_question`` → ``next``, ``record_answer`` → ``answer``, ``give_hint`` →
``hint``, ``skip_question`` → ``skip``, ``end_interview`` → ``stop``)
    ``next``      the interviewer's current message; the first question after start.
    ``answer``    payload ``{"text"}``; the interviewer's reply, ``done`` when the screen is over.
    ``hint``      a hint from the topic's fact sheet (counted).
    ``skip``      move on to the next question.
    ``stop``      end the screen now; the closing words.
    ``transcript`` payload ``{"segments": [{"speaker", "text", "timeS"?}, ...]}``: a client-sent
                   transcript, idempotent by position and content.
voice sessions
    ``signed_url``   a signed conversation URL for the browser (the API key stays on the server).
    ``conversation`` payload ``{"conversationId"}``: the call the browser connected to (``getId()``);
                     the session clock starts at the first one.
    ``ingest``       pull transcript and analysis of the latest call from the conversations API
                     (polls until final or deadline); after the session ended, see
                     :func:`interview_voice_screen.voice.fetch.fetch_analysis`.

Start options: ``{"mode": "offline" | "voice", "question": ID}``; the default mode is voice when
ELEVENLABS_API_KEY is set, offline otherwise; ``question`` (optional) is asked first.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from typing import Any

from attrs import evolve

from interview_engine import (
    ActionResult,
    AnswerScore,
    ContentCheck,
    ContentSnapshot,
    Difficulty,
    Evaluation,
    Item,
    ModuleContext,
    PackInfo,
    RubricSpec,
    Session,
    SessionStatus,
    Track,
    TranscriptSegment,
    unstructure,
)
from interview_engine.errors import Conflict, ContentError, InternalError, InvalidInput
from interview_voice_screen.actions import ACTIONS, BLANKS, ROUTES, SCREEN_ACTIONS, VOICE_ACTIONS, Ingested
from interview_voice_screen.bank import (
    MODULE_NAME,
    KnowledgeBase,
    Question,
    check_knowledge_base,
    knowledge_base,
)
from interview_voice_screen.evaluation import evaluate_offline, topic_split
from interview_voice_screen.interviewer import MAX_HINTS_PER_QUESTION, OfflineInterviewer, Reply, new_state
from interview_voice_screen.scorer import scoring_request
from interview_voice_screen.state import ScreenState
from interview_voice_screen.views import QuestionView, ScreenSummary, TranscriptLine
from interview_voice_screen.voice.agent import agent_config_version, build_agent_config
from interview_voice_screen.voice.calls import (
    check_conversation_id,
    conversation_ids,
    latest_conversation,
    record_connected,
    record_minted,
)
from interview_voice_screen.voice.ingest import (
    conversation_id_from_url,
    ingest_conversation,
    poll_conversation,
)
from interview_voice_screen.voice.opinion import agent_opinion
from interview_voice_screen.voice.settings import VoiceSettings

__all__ = ["SCREEN_ACTIONS", "VOICE_ACTIONS", "VoiceScreenModule"]


class VoiceScreenModule:
    name = MODULE_NAME
    title = "Phone screen"
    description = "A 30-minute technical phone screen: by voice with ElevenLabs, or typed with the offline interviewer."
    actions = ACTIONS
    routes = ROUTES

    def __init__(
        self,
        kb: KnowledgeBase | None = None,
        *,
        settings: Callable[[], VoiceSettings] = VoiceSettings.from_env,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._kb = kb
        self.settings = settings
        self.sleep = sleep

    @property
    def kb(self) -> KnowledgeBase:
        return self._kb or knowledge_base()

    # -- catalogue -------------------------------------------------------------

    def pack_info(self) -> PackInfo:
        return self.kb.info

    def rubric(self, track: Track, difficulty: Difficulty) -> RubricSpec:
        return self.kb.rubrics[Difficulty(difficulty).value]

    def items(self, track: Track | None = None, difficulty: Difficulty | None = None) -> list[Item]:
        found = []
        for track_name in self.kb.pack.tracks:
            if track is not None and track_name != Track(track).value:
                continue
            for question in self.kb.track_questions(track_name):
                if difficulty is not None and question.difficulty != Difficulty(difficulty).value:
                    continue
                found.append(
                    Item(
                        id=question.id,
                        module=self.name,
                        title=question.prompt,
                        track=Track(track_name),
                        difficulty=Difficulty(question.difficulty),
                        topics=(question.topic,),
                        summary=", ".join(question.tags),
                    )
                )
        return found

    def validate_content(self, ctx: ModuleContext) -> list[ContentCheck]:
        try:
            kb = self.kb
        except ContentError as exc:
            return [ContentCheck(module=self.name, check="content loads", passed=False, detail=str(exc))]
        from interview_voice_screen.canonical_check import check_canonical_answers  # loads the judge's model

        loaded = ContentCheck(module=self.name, check="content loads", passed=True)
        return [loaded, *check_knowledge_base(kb), *check_canonical_answers(kb)]

    # -- lifecycle ---------------------------------------------------------------

    def start(self, ctx: ModuleContext, session: Session, options: Mapping[str, Any]) -> Session:
        settings = self.settings()
        mode = options.get("mode") or ("voice" if settings.configured else "offline")
        if mode not in ("offline", "voice"):
            raise InvalidInput(f"must be offline or voice, got {mode!r}", field="mode")
        kb, track = self.kb, session.track.value
        ctx.store.save_snapshot(
            ContentSnapshot(
                kind="question_sets",
                key=f"{kb.pack.name}/{track}",
                version=kb.pack.version,
                data=kb.snapshot_data(track),
            )
        )
        seed = int(hashlib.sha256(session.id.encode()).hexdigest()[:8], 16)
        state = new_state(kb, track, session.difficulty.value, seed)
        first = options.get("question")
        if first:  # a study plan's practice link: the screen opens on that question
            if first not in {q.id for q in kb.track_questions(track)}:
                raise InvalidInput(f"no {track} question {first!r}", field="question")
            state = {**state, "firstQuestion": first}
        version = None
        if mode == "voice":
            budget = kb.budget(session.difficulty.value, "voice")
            state = {**state, "mode": "voice", "budget": budget, "voice": {"conversations": []}}
            version = settings.state().config_version or agent_config_version(build_agent_config(kb))
        return evolve(
            session,
            state={**state, "seq": 0},
            time_limit_s=kb.pack.budget.time_limit_s,
            started_at=ctx.clock(),
            agent_config_version=version,
        )

    def act(self, ctx: ModuleContext, session: Session, action: str, payload: Mapping[str, Any]) -> ActionResult:
        mode = ScreenState.load(session.state).mode
        if action == "transcript":
            return self._save_transcript(ctx, session, payload)
        if action in SCREEN_ACTIONS:
            return self._offline(ctx, session, action, payload)
        if mode != "voice":
            raise Conflict(f"{action!r} is for voice screens; this is a typed session")
        if action == "signed_url":
            return self._signed_url(session)
        if action == "conversation":
            conversation_id = check_conversation_id(payload.get("conversationId"))
            updated = record_connected(session, conversation_id, ctx.clock())
            return ActionResult(updated, {"conversationId": conversation_id, "startedAt": updated.started_at})
        return self._ingest(ctx, session, payload)

    def evaluate(self, ctx: ModuleContext, session: Session) -> Evaluation:
        # Voice and typed screens are scored alike, from the answers the engine recorded.
        if not ScreenState.load(session.state).done:
            interviewer = self._interviewer(ctx, session)
            interviewer.expire()
            interviewer.state.endReason = "ended"
            session = ctx.store.save_session(evolve(session, state=interviewer.state.dump()))
        return evaluate_offline(self.kb, session, self.kb.pack.security_red_flags)

    def summarize(self, ctx: ModuleContext, session: Session, evaluation: Evaluation | None) -> dict[str, Any]:
        over = session.status in (SessionStatus.ENDED, SessionStatus.EVALUATED)
        state = ScreenState.load(session.state)
        questions = []
        for number, result in enumerate(state.results, start=1):
            question = self.kb.question(result.qid)
            score = result.score or {}
            questions.append(
                QuestionView(
                    number=number,
                    id=question.id,
                    prompt=question.prompt,
                    topic=question.topic,
                    difficulty=question.difficulty,
                    attempted=result.attempted,
                    skipped=result.skipped,
                    hints=result.hints,
                    score=result.final,
                    matched=list(score.get("matched", [])),
                    missed=list(score.get("missed", [p.point for p in question.key_points])),
                    misconceptions=list(score.get("misconceptions", [])),
                    answers=list(result.answers),
                    canonicalAnswer=question.canonical if over else None,
                )
            )
        weak, strong = topic_split(evaluation.topics) if evaluation else ([], [])
        voice = state.voice or {}
        analysis = voice.get("analysis") or {}
        view = ScreenSummary(
            mode=state.mode,
            kbVersion=session.kb_version,
            agentConfigVersion=session.agent_config_version,
            transcript=[
                TranscriptLine(s.speaker, s.text, s.time_s, s.source) for s in ctx.store.transcript(session.id)
            ],
            questions=questions,
            weakTopics=(evaluation.details.get("weakTopics") if evaluation else None) or weak,
            strongTopics=(evaluation.details.get("strongTopics") if evaluation else None) or strong,
            hintsUsed=state.hintsUsed,
            endReason=state.endReason,
            conversationId=session.external_ref,
            conversations=conversation_ids(session),
            analysisSummary=analysis.get("summary", ""),
            agentOpinion=agent_opinion(voice) if state.mode == "voice" else None,
        )
        written: dict[str, Any] = unstructure(view)
        return written

    # -- offline -------------------------------------------------------------------

    def _score(self, ctx: ModuleContext, session: Session) -> Callable[[Question, str], AnswerScore]:
        track, difficulty = session.track.value, session.difficulty.value

        def score(question: Question, text: str) -> AnswerScore:
            return ctx.score_answer(scoring_request(question, text, track=track, difficulty=difficulty))

        return score

    def _interviewer(self, ctx: ModuleContext, session: Session) -> OfflineInterviewer:
        return OfflineInterviewer(self.kb, session.track.value, session.state, self._score(ctx, session))

    def _offline(self, ctx: ModuleContext, session: Session, action: str, payload: Mapping[str, Any]) -> ActionResult:
        interviewer = self._interviewer(ctx, session)
        said: list[tuple[str, str]] = []
        started = session.started_at or session.created_at
        out_of_time = (
            session.time_limit_s is not None and (ctx.clock() - started).total_seconds() >= session.time_limit_s
        )
        if out_of_time:
            reply = interviewer.expire()
        elif action == "next":
            reply = interviewer.next()
        elif action == "answer":
            text = str(payload["text"])  # a string within its cap: the Answer declaration says so
            if text.strip():
                said.append(("candidate", text.strip()))
            reply = interviewer.answer(text)
        elif action == "hint":
            said.append(("candidate", "(asks for a hint)"))
            reply = interviewer.hint()
        elif action == "stop":
            said.append(("candidate", "(ends the screen)"))
            reply = interviewer.stop()
        else:
            said.append(("candidate", "(skips the question)"))
            reply = interviewer.skip()
        # Repeating the open question, or the closing once more, adds nothing to the transcript.
        before = ScreenState.load(session.state)
        repeated = reply.message == before.lastMessage and (action == "next" or out_of_time)
        if not repeated:
            said.append(("interviewer", reply.message))
        # A voice call's transcript is ElevenLabs' own (ingested after the call), not a second copy of ours.
        if before.mode == "voice":
            said = []
        state = self._record(ctx, session, interviewer.state, said)
        return ActionResult(evolve(session, state=state.dump()), self._reply_data(state, reply))

    def _record(
        self, ctx: ModuleContext, session: Session, state: ScreenState, said: list[tuple[str, str]]
    ) -> ScreenState:
        seq = state.seq
        segments = []
        for speaker, text in said:
            segments.append(
                TranscriptSegment(session_id=session.id, seq=seq, speaker=speaker, text=text, key=f"offline:{seq}")
            )
            seq += 1
        if segments:
            ctx.store.add_transcript(segments)
        state.seq = seq
        return state

    def _reply_data(self, state: ScreenState, reply: Reply) -> dict[str, Any]:
        current = state.current
        question = None
        if current is not None:
            found = self.kb.question(current.qid)
            question = {
                "id": found.id,
                "topic": found.topic,
                "difficulty": found.difficulty,
                "number": len(state.asked),
                "budget": state.budget,
            }
        return {
            "message": reply.message,
            "kind": reply.kind,
            "done": state.done,
            "question": question,
            "hintsUsed": state.hintsUsed,
            # For the hint button: how many hints the open question still has.
            "hintsLeft": max(0, MAX_HINTS_PER_QUESTION - len(current.hints)) if current is not None else 0,
            "questionsAsked": len(state.asked),
        }

    # -- transcripts and voice -----------------------------------------------------

    def _save_transcript(self, ctx: ModuleContext, session: Session, payload: Mapping[str, Any]) -> ActionResult:
        stored = []
        # Every segment passed the Transcript declaration: a speaker, a capped text, seconds or nothing.
        for index, item in enumerate(payload["segments"]):
            speaker, text, seconds = str(item["speaker"]), str(item["text"]), item.get("timeS")
            digest = hashlib.sha256(f"{speaker}\n{text}".encode()).hexdigest()[:16]
            stored.append(
                TranscriptSegment(
                    session_id=session.id,
                    seq=index,
                    speaker=speaker.strip(BLANKS),
                    text=text,
                    key=f"client:{index}:{digest}",
                    time_s=float(seconds) if seconds is not None else None,
                    source="client",
                )
            )
        added = ctx.store.add_transcript(stored)
        return ActionResult(session, {"added": added, "received": len(stored)})

    def _signed_url(self, session: Session) -> ActionResult:
        settings = self.settings()
        record_minted(session, None, "")  # refuses a session that looped through too many calls
        client = settings.client()
        agent_id = settings.resolved_agent_id()
        if not agent_id:
            raise InvalidInput(
                "no ElevenLabs agent: run `interview agent sync` or set ELEVENLABS_AGENT_ID", field="agent"
            )
        try:
            response = client.conversational_ai.conversations.get_signed_url(
                agent_id=agent_id, include_conversation_id=True
            )
        except Exception as exc:  # the SDK raises ApiError or httpx errors
            raise InternalError(f"ElevenLabs did not issue a signed URL: {exc}") from exc
        url = str(response.signed_url)
        conversation_id = conversation_id_from_url(url) or getattr(response, "conversation_id", None)
        # Every minted conversation is kept: a retried start must not orphan a real call.
        updated = record_minted(session, conversation_id, agent_id)
        variables = {
            "session_id": session.id,
            "track": session.track.value,
            "difficulty": session.difficulty.value,
            "kb_version": session.kb_version,
        }
        return ActionResult(
            updated,
            {
                "signedUrl": url,
                "conversationId": conversation_id,
                "agentId": agent_id,
                "dynamicVariables": variables,
            },
        )

    def _ingest(self, ctx: ModuleContext, session: Session, payload: Mapping[str, Any]) -> ActionResult:
        given = payload.get("conversationId")  # checked by the Ingest declaration, as is deadlineS
        deadline = float(payload.get("deadlineS", 120.0))
        conversation_id = given or latest_conversation(session)
        if not conversation_id:
            raise InvalidInput("no conversation is known for this session yet", field="conversationId")
        if conversation_id not in conversation_ids(session):
            raise InvalidInput(
                f"conversation {conversation_id} is not one of this session's calls", field="conversationId"
            )
        if ((ScreenState.load(session.state).voice or {}).get("analysis") or {}).get(
            "conversationId"
        ) == conversation_id:
            return ActionResult(session, unstructure(Ingested("duplicate", 0, conversation_id, done=True)))
        client = self.settings().client()
        try:
            conversation = poll_conversation(client, conversation_id, deadline_s=float(deadline), sleep=self.sleep)
        except Exception as exc:
            raise InternalError(f"ElevenLabs did not return conversation {conversation_id}: {exc}") from exc
        updated, report = ingest_conversation(ctx.store, session, conversation)
        return ActionResult(
            updated, unstructure(Ingested(**report, done=report["status"] in ("ingested", "duplicate")))
        )

"""Grading jobs over HTTP: 202 on enqueue, poll ``GET /api/jobs/{id}``, stream ``/api/jobs/{id}/events``.

With ``INTERVIEW_GRADING=queue`` (PostgreSQL) a run or submit answers at once with
202 and the job; workers grade it.  The events stream (server-sent events) sends
the stored state first, then every change announced on the job channel (Litestar
channels over PostgreSQL LISTEN/NOTIFY, or in memory for the in-process pool),
re-reading the stored state each time, so a final event can never be missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncGenerator
from typing import Annotated, Any

from anyio import to_thread
from litestar import Controller, Response, get, post
from litestar.channels import ChannelsPlugin
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import PathParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage

from interview_engine import Engine, NotGraded, User
from interview_engine.jobs import GradingJob
from interview_web.api.mapping import session_out
from interview_web.api.responses import ERRORS
from interview_web.api.schemas import ActionOut, JobOut
from interview_web.deps import EngineDep, SessionId
from interview_web.kit import AnyRequest, CurrentUser

__all__ = [
    "JOB_RESPONSES",
    "JobController",
    "act_or_enqueue",
    "concerns",
    "job_ended",
    "job_out",
    "prefers_async",
    "queued_answer",
]

JobId = Annotated[str, PathParameter(min_length=1, max_length=64, description="The grading job's id.")]
JOB_RESPONSES = {
    **ERRORS,
    202: ResponseSpec(data_container=JobOut, description="Queued for a worker: poll or stream the job."),
    503: ResponseSpec(data_container=JobOut, description="Not graded: the grading infrastructure failed."),
}
#: How long one events stream lasts; the browser's EventSource reconnects by itself after it.
STREAM_SECONDS = 600.0
#: A stored-state check even when no announcement arrives (a lost NOTIFY costs at most this).
RECHECK_SECONDS = 2.0


def job_out(engine: Engine, job: GradingJob) -> JobOut:
    return JobOut(
        id=job.id,
        sessionId=job.session_id,
        submissionId=job.submission_id,
        action=job.action,
        state=job.state.value,
        position=engine.grading.position(job),
        step=job.step,
        attempts=job.attempts,
        result=job.result,
        error=job.error,
        fault=job.fault.value,
        createdAt=job.created_at.isoformat(),
        finishedAt=job.finished_at.isoformat() if job.finished_at else None,
        events=f"/api/jobs/{job.id}/events",
    )


def prefers_async(request: AnyRequest) -> bool:
    """The client asked for 202 and the job rather than waiting for the result (``Prefer: respond-async``)."""
    return "respond-async" in request.headers.get("prefer", "").lower()


def queued_answer(engine: Engine, job: GradingJob) -> Response[JobOut]:
    """202 with the job and where to follow it."""
    return Response(job_out(engine, job), status_code=202, headers={"Location": f"/api/jobs/{job.id}"})


def act_or_enqueue(
    engine: Engine, user: User, session_id: str, action: str, payload: dict[str, Any]
) -> ActionOut | Response[JobOut]:
    """Queue a sandbox-cost action when workers grade (202 with the job); otherwise run it and answer."""
    session = engine.get_session(session_id, user_id=user.id)
    if engine.grading.mode == "queue" and engine.grading.is_job(session.module, action):
        return queued_answer(engine, engine.grading.enqueue(session_id, action, payload, user_id=user.id))
    result = engine.act(session_id, action, payload, user_id=user.id)
    return ActionOut(session=session_out(result.session), data=result.data)


async def job_ended(engine: Engine, job_id: str, *, timeout: float = STREAM_SECONDS) -> GradingJob:
    """Wait, holding no thread, until the job is final: woken by its final announcement, and re-reading the
    stored state at least every :data:`RECHECK_SECONDS` (an announcement is a courtesy, the row the truth)."""
    loop = asyncio.get_running_loop()
    ended = asyncio.Event()

    def heard(job: GradingJob) -> None:
        if job.id == job_id and job.final:
            loop.call_soon_threadsafe(ended.set)

    stop = engine.grading.listen(heard)
    deadline = loop.time() + timeout
    try:
        while True:
            job = await to_thread.run_sync(engine.grading.get, job_id)
            if job.final:
                return job
            if loop.time() >= deadline:
                raise NotGraded(
                    f"grading job {job_id} did not finish in {timeout:.0f} s; it is still {job.state.value}"
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ended.wait(), timeout=RECHECK_SECONDS)
    finally:
        stop()


class JobController(Controller):
    path = "/api/jobs"
    tags = ["grading jobs"]

    @get("/{job_id:str}", operation_id="getGradingJob", responses=ERRORS, sync_to_thread=True)
    def get_job(self, request: AnyRequest, engine: EngineDep, user: CurrentUser, job_id: JobId) -> JobOut:
        """A grading job as stored: state, queue position, current step, result or error."""
        return job_out(engine, engine.grading.get(job_id, user_id=user.id))

    @get("/sessions/{session_id:str}", operation_id="listSessionJobs", responses=ERRORS, sync_to_thread=True)
    def for_session(
        self, request: AnyRequest, engine: EngineDep, user: CurrentUser, session_id: SessionId
    ) -> list[JobOut]:
        """A session's grading jobs, oldest first (a page shows one still queued or running as "grading…")."""
        engine.get_session(session_id, user_id=user.id)
        return [job_out(engine, job) for job in engine.grading.for_session(session_id)[-20:]]

    @post("/{job_id:str}/cancel", operation_id="cancelGradingJob", responses=ERRORS, sync_to_thread=True)
    def cancel(self, request: AnyRequest, engine: EngineDep, user: CurrentUser, job_id: JobId) -> JobOut:
        """Cancel a job: a queued one at once; a running one stops at its next step (its step says
        ``cancelling``; it ends cancelled with nothing stored, or done if it finished first).  409 once it ended."""
        return job_out(engine, engine.grading.cancel(job_id, user_id=user.id))

    @get("/{job_id:str}/events", operation_id="streamGradingJob", responses=ERRORS)
    async def events(
        self,
        request: AnyRequest,
        engine: EngineDep,
        user: CurrentUser,
        job_id: JobId,
        channels: NamedDependency[ChannelsPlugin],
    ) -> ServerSentEvent:
        """Server-sent events: the job's stored state, then each change, until it is final."""
        await to_thread.run_sync(lambda: engine.grading.get(job_id, user_id=user.id))  # 404 before streaming
        return ServerSentEvent(_stream(engine, channels, job_id))


def concerns(event: bytes | str, job_id: str, *, queued: bool) -> bool:
    """Whether an announcement on the job channel may change what the stream of ``job_id`` shows: a change of
    that job, or, while it is queued, another job leaving the queue (its place moves).  Other jobs' steps
    wake no stream, so N streams cost N re-reads per change, not N for every change of every job."""
    try:
        heard = json.loads(event)
        other, state, step = heard["id"] != job_id, heard["state"], heard["step"]
    except (ValueError, TypeError, KeyError):
        return True  # not ours to judge: read the stored state
    if not other:
        return True
    return queued and (state != "running" or not step)


async def _stream(engine: Engine, channels: ChannelsPlugin, job_id: str) -> AsyncGenerator[ServerSentEventMessage]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STREAM_SECONDS
    async with channels.start_subscription([engine.grading.channel]) as subscriber:  # listen first, then read
        changed = asyncio.Event()
        queued = True  # while it waits, another job's start or end moves its place

        async def pump() -> None:
            async for event in subscriber.iter_events():
                if concerns(event, job_id, queued=queued):
                    changed.set()

        pumping = asyncio.create_task(pump())
        try:
            last = ""
            while loop.time() < deadline:
                changed.clear()
                out = await to_thread.run_sync(lambda: job_out(engine, engine.grading.get(job_id)))
                queued = out.state == "queued"
                body = json.dumps({f: getattr(out, f) for f in out.__struct_fields__})
                if body != last:
                    yield ServerSentEventMessage(data=body)
                    last = body
                if out.state in ("done", "failed", "cancelled"):
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), timeout=RECHECK_SECONDS)
        finally:
            pumping.cancel()

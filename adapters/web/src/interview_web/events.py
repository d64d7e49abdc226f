"""Job announcements reach the events streams through Litestar channels.

On PostgreSQL the backend LISTENs on the job channel: every process's NOTIFY
(workers, other web processes, this one) arrives the same way.  On SQLite jobs
run in this process, so their announcements are handed to an in-memory backend
on the event loop's thread.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.channels.backends.psycopg import PsycoPgChannelsBackend

from interview_engine import Engine
from interview_engine.jobs import GradingJob

__all__ = ["bridge_job_events", "job_channels"]


def job_channels(engine: Engine) -> ChannelsPlugin:
    if engine.store.dialect == "postgresql":
        from interview_engine.jobs.procrastinate_queue import libpq_url

        backend: PsycoPgChannelsBackend | MemoryChannelsBackend = PsycoPgChannelsBackend(libpq_url(engine.store.url))
    else:
        backend = MemoryChannelsBackend()
    return ChannelsPlugin(backend=backend, channels=[engine.grading.channel], subscriber_max_backlog=64)


def bridge_job_events(engine: Engine, channels: ChannelsPlugin, loop: asyncio.AbstractEventLoop) -> Callable[[], None]:
    """Forward this process's job changes to the in-memory backend; returns the function that stops it."""
    if engine.store.dialect == "postgresql":
        return lambda: None  # NOTIFY already reaches the LISTENing backend

    def forward(job: GradingJob) -> None:
        data = json.dumps({"id": job.id, "state": job.state.value, "step": job.step})
        if not loop.is_closed():
            loop.call_soon_threadsafe(channels.publish, data, [engine.grading.channel])

    return engine.grading.listen(forward)

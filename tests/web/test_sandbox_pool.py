"""Sandbox work has its own bounded pool: pages never wait behind it; a full pool answers 429."""

import threading
from concurrent.futures import ThreadPoolExecutor

import anyio
import anyio.to_thread
import pytest
from litestar.exceptions import HTTPException

from interview_web.pool import SandboxPool


def test_a_full_pool_refuses_with_retry_after_and_pages_still_get_threads():
    pool = SandboxPool(workers=2, queue=1, retry_after_s=7)
    release = threading.Event()
    seen: dict[str, object] = {}

    async def main() -> None:
        async with anyio.create_task_group() as group:
            for _ in range(3):  # two running, one queued
                group.start_soon(pool.run, release.wait)
            await anyio.sleep(0.2)
            assert pool.admitted == 3
            with pytest.raises(HTTPException) as refused:
                await pool.run(lambda: None)
            seen["status"] = refused.value.status_code
            seen["headers"] = refused.value.headers
            # a page's work runs on the default threads while every sandbox slot is taken
            seen["page"] = await anyio.to_thread.run_sync(lambda: "rendered")
            release.set()
        seen["after"] = await pool.run(lambda: "ran")

    # A loop of its own on a thread of its own: a browser test's Playwright in the same test process
    # leaves its own event loop set on the main thread.
    with ThreadPoolExecutor(max_workers=1) as runner:
        runner.submit(anyio.run, main).result(timeout=60)
    assert seen["status"] == 429
    assert seen["headers"] == {"Retry-After": "7"}
    assert seen["page"] == "rendered" and seen["after"] == "ran"
    assert pool.admitted == 0


def test_pool_sizes_are_checked():
    with pytest.raises(ValueError, match="SandboxPool.workers"):
        SandboxPool(workers=0)

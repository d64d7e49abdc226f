"""A real database outage, not a patched one: PostgreSQL is reached through a TCP relay the test cuts.

While the relay is down every connection fails in the driver (psycopg's ``OperationalError``, through
SQLAlchemy and the store); the edge answers 503 and signs nobody out.  When it is back, the same cookie
and CSRF token work again.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.testing import TestClient

from interview_engine import Engine
from interview_web import app as web_app
from interview_web import create_app
from interview_web.ratelimit import RateLimiter
from tests.web.conftest import sign_up


class Relay:
    """Forwards 127.0.0.1:<port> to the database; ``cut()`` drops every connection and refuses new ones."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.create_server(("127.0.0.1", self.port))
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(OSError):  # wakes the accepting thread (a close alone does not on Linux)
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        with self._lock:
            for conn in self._open:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            self._open.clear()


@pytest.fixture
def relayed(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Relay]]:
    parts = urlsplit(postgres_url)
    relay = Relay((parts.hostname or "127.0.0.1", parts.port or 5432))
    relay.start()
    netloc = parts.netloc.replace(f"{parts.hostname}:{parts.port}", f"127.0.0.1:{relay.port}")
    url = urlunsplit(parts._replace(netloc=netloc))
    monkeypatch.setenv("INTERVIEW_SECRET_KEY", "7a" * 32)
    # Job announcements stay in memory here: the request path is what this test cuts.  (Litestar's
    # PostgreSQL channels backend does not LISTEN again once its connection is cut: a gap of its own.)
    monkeypatch.setattr(
        web_app,
        "job_channels",
        lambda engine: ChannelsPlugin(backend=MemoryChannelsBackend(), channels=[engine.grading.channel]),
    )
    engine = Engine.create(url, migrate=True)
    try:
        with TestClient(app=create_app(engine=engine, limiter=RateLimiter(100, 60))) as client:
            yield client, relay
    finally:
        relay.cut()
        engine.close()


def test_a_real_database_outage_is_a_503_and_signs_nobody_out(relayed: tuple[Any, Relay]) -> None:
    client, relay = relayed
    token = sign_up(client, "outage@example.com")
    body = {"module": "flashcards", "track": "backend", "difficulty": "mid"}
    assert client.get("/api/me").json()["email"] == "outage@example.com"

    relay.cut()
    for _ in range(2):  # the pool's stale connections, then fresh ones refused
        api = client.get("/api/sessions")
        assert api.status_code == 503, api.text
        assert "database is unavailable" in api.json()["detail"] and api.headers["retry-after"] == "5"
    created = client.post("/api/sessions", json={**body, "module": "voice_screen"}, headers={"x-csrf-token": token})
    assert created.status_code == 503, created.text
    page = client.get("/history", follow_redirects=False)
    assert page.status_code == 503 and "/signin" not in page.headers.get("location", "")

    relay.start()  # the database is back, on the same address
    assert client.get("/api/me").json()["email"] == "outage@example.com"  # still signed in
    again = client.post("/api/sessions", json={**body, "module": "voice_screen"}, headers={"x-csrf-token": token})
    assert again.status_code == 201, again.text

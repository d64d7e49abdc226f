"""One error hierarchy for the engine, mapped to HTTP statuses and exit codes at the edges.

``ClientError`` and its kinds are the caller's fault and carry a message fit
to show as is; ``InternalError`` is ours and is reported without details.
"""

from __future__ import annotations

__all__ = [
    "ClientError",
    "Conflict",
    "ContentError",
    "EngineError",
    "Forbidden",
    "InternalError",
    "InvalidInput",
    "LimitExceeded",
    "NotFound",
    "NotGraded",
    "PluginError",
    "SandboxBusy",
    "StorageError",
    "Unauthenticated",
    "Unavailable",
]


class EngineError(Exception):
    """Base of every error the engine raises on purpose."""

    http_status = 500
    exit_code = 1

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class ClientError(EngineError):
    """The request was wrong; the message says how."""

    http_status = 400
    exit_code = 2


class InvalidInput(ClientError):
    http_status = 400


class NotFound(ClientError):
    http_status = 404
    exit_code = 3


class Unauthenticated(ClientError):
    """Nobody is signed in, or a signature did not verify."""

    http_status = 401


class Forbidden(ClientError):
    http_status = 403


class Conflict(ClientError):
    http_status = 409


class LimitExceeded(ClientError):
    http_status = 429


class SandboxBusy(LimitExceeded):
    """Every sandbox slot is taken and the waiting line is full: nothing was queued, try again in
    ``retry_after_s`` seconds (HTTP 429 with ``Retry-After``)."""

    def __init__(self, message: str, *, retry_after_s: int = 5, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after_s = retry_after_s


class InternalError(EngineError):
    """Something on our side failed; never the caller's fault."""

    http_status = 500
    exit_code = 70


class ContentError(InternalError):
    """A content pack file is invalid; the message names the file and the field."""

    exit_code = 65


class PluginError(InternalError):
    """A plugin failed to load or broke the contract."""


class StorageError(InternalError):
    """The database could not be reached or migrated."""

    exit_code = 69


class Unavailable(EngineError):
    """A service the operation needs failed; nothing was the caller's fault and trying again may work.

    Unlike :class:`InternalError` the message is shown as is: it says what failed, never how.
    """

    http_status = 503
    exit_code = 75  # EX_TEMPFAIL


class NotGraded(Unavailable):
    """Grading stopped on an infrastructure fault: no score was given, the run can be retried."""

    def __init__(self, message: str = "not graded: the sandbox failed, try again", *, field: str | None = None) -> None:
        super().__init__(message, field=field)

"""The phone screen's own error kind: a webhook whose signature does not check out."""

from __future__ import annotations

from interview_engine.errors import ClientError

__all__ = ["Unauthorized"]


class Unauthorized(ClientError):
    """The request could not be authenticated (a forged, stale or future-dated webhook signature)."""

    http_status = 401

"""Errors at the HTTP edge, mapped from the engine's error types only.

Client kinds keep their message and field (JSON for the API, a page for browsers).  Nobody signed in:
the API answers 401, pages redirect to sign-in.  A database outage (:class:`StorageError`) is a 503 and
signs nobody out.  Anything else is ours: a 500 without details, logged with its traceback.  A
``ValueError`` is not the caller's mistake by default: bad input is an :class:`InvalidInput` naming it.
"""

from __future__ import annotations

import errno
import logging
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.response import Redirect, Template

from interview_engine import ClientError, EngineError, SandboxBusy, StorageError, Unauthenticated, Unavailable

log = logging.getLogger("interview_web")
AnyRequest = Request[Any, Any, Any]

MACHINE_PREFIXES = ("/api", "/webhooks", "/schema", "/health", "/static")


def _is_page(request: AnyRequest) -> bool:
    return not request.url.path.startswith(MACHINE_PREFIXES)


def _error_page(status: int, message: str) -> Template:
    return Template(
        template_name="error.html", context={"status": status, "message": message, "user": None}, status_code=status
    )


def engine_error_handler(request: AnyRequest, exc: EngineError) -> Response[Any]:
    if isinstance(exc, ClientError):
        if _is_page(request):
            if isinstance(exc, Unauthenticated):
                target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
                return Redirect(path=f"/signin?next={target}", status_code=303)
            return _error_page(exc.http_status, str(exc))
        body: dict[str, object] = {"status_code": exc.http_status, "detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        retry = {"Retry-After": str(exc.retry_after_s)} if isinstance(exc, SandboxBusy) else None
        return Response(body, status_code=exc.http_status, media_type=MediaType.JSON, headers=retry)
    if isinstance(exc, Unavailable):  # ours, retryable, and its message is written to be shown
        log.warning("unavailable on %s %s: %s", request.method, request.url.path, exc)
        if _is_page(request):
            return _error_page(exc.http_status, exc.message)
        return Response(
            {"status_code": exc.http_status, "detail": exc.message, "retryable": True},
            status_code=exc.http_status,
            media_type=MediaType.JSON,
        )
    if isinstance(exc, StorageError):
        log.error("database unavailable on %s %s: %s", request.method, request.url.path, exc)
        return _unavailable(request)
    return internal_error_handler(request, exc)


def _unavailable(request: AnyRequest) -> Response[Any]:
    message = "the database is unavailable; nothing was changed, try again in a moment"
    if _is_page(request):
        return _error_page(503, message[0].upper() + message[1:] + ".")
    return Response(
        {"status_code": 503, "detail": message},
        status_code=503,
        media_type=MediaType.JSON,
        headers={"Retry-After": "5"},
    )


DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


def _disk_full(request: AnyRequest) -> Response[Any]:
    message = "the server ran out of disk space; nothing was changed, try again later"
    if _is_page(request):
        return _error_page(503, message[0].upper() + message[1:] + ".")
    return Response(
        {"status_code": 503, "detail": message, "retryable": True},
        status_code=503,
        media_type=MediaType.JSON,
        headers={"Retry-After": "30"},
    )


def internal_error_handler(request: AnyRequest, exc: Exception) -> Response[Any]:
    """Our fault, whatever it was: logged with its traceback, reported without details.

    A full disk (temp files of a submit, the lint step's scratch) is named as such: a 503 the
    candidate can retry, not a 500.
    """
    if isinstance(exc, OSError) and exc.errno in DISK_FULL:
        log.error("disk full on %s %s: %s", request.method, request.url.path, exc)
        return _disk_full(request)
    log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    if _is_page(request):
        return _error_page(500, "Something went wrong on our side; nothing was changed.")
    return Response(
        {"status_code": 500, "detail": "internal error; nothing was changed"},
        status_code=500,
        media_type=MediaType.JSON,
    )


def http_error_handler(request: AnyRequest, exc: HTTPException) -> Response[Any]:
    """Litestar's own refusals (405, 413, 429, ...) keep their status; pages get the error page."""
    if exc.status_code >= 500:
        return internal_error_handler(request, exc)
    if _is_page(request):
        return _error_page(exc.status_code, exc.detail)
    body: dict[str, object] = {"status_code": exc.status_code, "detail": exc.detail}
    if exc.extra:
        body["extra"] = exc.extra
    return Response(body, status_code=exc.status_code, media_type=MediaType.JSON, headers=exc.headers)


def validation_error_handler(request: AnyRequest, exc: ValidationException) -> Response[Any]:
    body: dict[str, object] = {"status_code": 400, "detail": exc.detail}
    if exc.extra:
        body["extra"] = exc.extra
        if isinstance(exc.extra, list) and exc.extra and isinstance(exc.extra[0], dict):
            body["field"] = exc.extra[0].get("key")
    if _is_page(request):
        return _error_page(400, f"{exc.detail}: {body.get('field') or ''}".rstrip(": "))
    return Response(body, status_code=400, media_type=MediaType.JSON)


def not_found_handler(request: AnyRequest, exc: NotFoundException) -> Response[Any]:
    if _is_page(request):
        return _error_page(404, "There is nothing at this address.")
    return Response({"status_code": 404, "detail": exc.detail}, status_code=404, media_type=MediaType.JSON)


HANDLERS = {
    EngineError: engine_error_handler,
    ValidationException: validation_error_handler,
    NotFoundException: not_found_handler,
    HTTPException: http_error_handler,
    Exception: internal_error_handler,
}

__all__ = ["HANDLERS", "HTTPException"]

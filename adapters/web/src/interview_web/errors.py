"""Engine errors at the HTTP edge.

Client kinds keep their message and field (JSON for the API, a page for browsers); internal ones are
logged and reported without details.  Nobody signed in: the API answers 401, pages redirect to sign-in.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.response import Redirect, Template

from interview_engine import ClientError, EngineError, Unauthenticated, Unavailable

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
        return Response(body, status_code=exc.http_status, media_type=MediaType.JSON)
    if isinstance(exc, Unavailable):  # ours, retryable, and its message is written to be shown
        log.warning("unavailable on %s %s: %s", request.method, request.url.path, exc)
        if _is_page(request):
            return _error_page(exc.http_status, exc.message)
        return Response(
            {"status_code": exc.http_status, "detail": exc.message, "retryable": True},
            status_code=exc.http_status,
            media_type=MediaType.JSON,
        )
    log.error("internal error on %s %s: %s", request.method, request.url.path, exc)
    if _is_page(request):
        return _error_page(500, "Something went wrong on our side; nothing was changed.")
    return Response(
        {"status_code": 500, "detail": "internal error; nothing was changed"},
        status_code=500,
        media_type=MediaType.JSON,
    )


def value_error_handler(request: AnyRequest, exc: ValueError) -> Response[Any]:
    """Domain validators raise ValueError naming ``Class.field``: the caller's mistake."""
    if _is_page(request):
        return _error_page(400, str(exc))
    return Response({"status_code": 400, "detail": str(exc)}, status_code=400, media_type=MediaType.JSON)


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
    ValueError: value_error_handler,
}

__all__ = ["HANDLERS", "HTTPException"]

"""Engine errors at the HTTP edge: client kinds keep their message and field, internal ones do not."""

from __future__ import annotations

import logging

from litestar import MediaType, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from interview_engine import ClientError, EngineError
from interview_web.identity import AnyRequest

log = logging.getLogger("interview_web")


def engine_error_handler(request: AnyRequest, exc: EngineError) -> Response[dict[str, object]]:
    if isinstance(exc, ClientError):
        body: dict[str, object] = {"status_code": exc.http_status, "detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status_code=exc.http_status, media_type=MediaType.JSON)
    log.error("internal error on %s %s: %s", request.method, request.url.path, exc)
    return Response(
        {"status_code": 500, "detail": "internal error; nothing was changed"},
        status_code=HTTP_500_INTERNAL_SERVER_ERROR,
        media_type=MediaType.JSON,
    )


def value_error_handler(request: AnyRequest, exc: ValueError) -> Response[dict[str, object]]:
    """Domain validators raise ValueError naming ``Class.field``: the caller's mistake."""
    return Response({"status_code": 400, "detail": str(exc)}, status_code=400, media_type=MediaType.JSON)


def validation_error_handler(request: AnyRequest, exc: ValidationException) -> Response[dict[str, object]]:
    body: dict[str, object] = {"status_code": 400, "detail": exc.detail}
    if exc.extra:
        body["extra"] = exc.extra
        if isinstance(exc.extra, list) and exc.extra and isinstance(exc.extra[0], dict):
            body["field"] = exc.extra[0].get("key")
    return Response(body, status_code=400, media_type=MediaType.JSON)


HANDLERS = {
    EngineError: engine_error_handler,
    ValidationException: validation_error_handler,
    ValueError: value_error_handler,
}

__all__ = ["HANDLERS", "HTTPException"]

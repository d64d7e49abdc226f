"""Input no handler should ever see, refused at the door with a 400 naming the field.

* NUL characters: PostgreSQL cannot store them in text (the driver raised, the route gave
  500), and no field of this product has a use for them.  Looked for in the path, in the
  query string and form fields of pages (sign-up and sign-in included).  JSON bodies of the
  API are not refused here: their schema admits any string (free-form payloads included),
  and a schema-valid request must not be turned away at the door.
* JSON nested deeper than :data:`MAX_JSON_DEPTH`: no request of ours nests past a few levels,
  and deep nesting made the decoder fail with a 500.  Depth is measured with a flat scan
  before anything is decoded, so the check itself cannot recurse.

Runs as an app-level ``before_request`` hook; it reads the body once (Litestar caches it
for the handler).  Bodies are already capped by ``request_max_body_size``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from litestar import MediaType, Request, Response

AnyRequest = Request[Any, Any, Any]
MAX_JSON_DEPTH = 32
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*+"|[\[\]{}]')  # possessive: strings are skipped without backtracking


def _refuse(field: str, detail: str) -> Response[Any]:
    return Response(
        {"status_code": 400, "detail": f"{field}: {detail}", "field": field},
        status_code=400,
        media_type=MediaType.JSON,
    )


def _json_depth_over(body: bytes, limit: int) -> bool:
    depth = 0
    for token in _TOKEN.finditer(body):
        char = body[token.start()]
        if char in b"[{":
            depth += 1
            if depth > limit:
                return True
        elif char in b"]}":
            depth -= 1
    return False


async def refuse_bad_input(request: AnyRequest) -> Response[Any] | None:
    """400 for a NUL anywhere or a JSON body nested too deep; None lets the request through."""
    if "\x00" in request.url.path or "%00" in request.url.path:
        return _refuse("path", "must not contain NUL characters")
    if not request.url.path.startswith("/api"):
        for key, value in request.query_params.items():
            if "\x00" in key or "\x00" in value:
                return _refuse(key.replace("\x00", ""), "must not contain NUL characters")
    if request.method not in _BODY_METHODS:
        return None
    body = await request.body()
    if not body:
        return None
    kind = request.headers.get("content-type", "")
    if "json" in kind:
        if _json_depth_over(body, MAX_JSON_DEPTH):
            return _refuse("body", f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        return None
    if "x-www-form-urlencoded" in kind and (b"%00" in body or b"\x00" in body):
        for key, value in parse_qsl(body.decode("latin-1"), keep_blank_values=True):
            if "\x00" in key or "\x00" in value:
                return _refuse(key.replace("\x00", ""), "must not contain NUL characters")
    elif "multipart" in kind and b"\x00" in body:
        return _refuse("body", "must not contain NUL characters")
    return None

"""Input no handler should ever see, refused at the door with a 400 naming the field.

* NUL characters: PostgreSQL cannot store them in text (the driver raised, the route gave
  500), and no field of this product has a use for them.  Looked for in the path, the query
  string, form fields and every string of a JSON body (keys too).
* JSON nested deeper than :data:`MAX_JSON_DEPTH`: no request of ours nests past a few levels,
  and deep nesting made the decoder fail with a 500.  Depth is measured with a flat scan
  before anything is decoded, so the check itself cannot recurse.

Runs as an app-level ``before_request`` hook; it reads the body once (Litestar caches it
for the handler).  Bodies are already capped by ``request_max_body_size``.
"""

from __future__ import annotations

import json
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


def _nul_path(value: Any) -> str | None:
    """The JSON path of the first string (or key) holding a NUL, iteratively; None when there is none."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return path or "body"
        elif isinstance(item, dict):
            for key, child in item.items():
                if "\x00" in key:
                    return f"{path}.{key!r}".lstrip(".")
                stack.append((f"{path}.{key}".lstrip("."), child))
        elif isinstance(item, list):
            stack.extend((f"{path}[{index}]", child) for index, child in enumerate(item))
    return None


async def refuse_bad_input(request: AnyRequest) -> Response[Any] | None:
    """400 for a NUL anywhere or a JSON body nested too deep; None lets the request through."""
    if "\x00" in request.url.path or "%00" in request.url.path:
        return _refuse("path", "must not contain NUL characters")
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
        if b"\\u0000" not in body and b"\x00" not in body:
            return None
        try:
            path = _nul_path(json.loads(body))
        except (ValueError, RecursionError):
            return None  # not JSON: the handler's own decoding says so
        return _refuse(path, "must not contain NUL characters") if path else None
    if "x-www-form-urlencoded" in kind and (b"%00" in body or b"\x00" in body):
        for key, value in parse_qsl(body.decode("latin-1"), keep_blank_values=True):
            if "\x00" in key or "\x00" in value:
                return _refuse(key.replace("\x00", ""), "must not contain NUL characters")
    elif "multipart" in kind and b"\x00" in body:
        return _refuse("body", "must not contain NUL characters")
    return None

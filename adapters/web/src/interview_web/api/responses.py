"""The error answers every API operation documents, so clients (and schema fuzzers) know them."""

from __future__ import annotations

from litestar.openapi.datastructures import ResponseSpec

from interview_web.api.schemas import ErrorOut


def _spec(description: str) -> ResponseSpec:
    return ResponseSpec(data_container=ErrorOut, description=description)


ERRORS = {
    400: _spec("The request was invalid; `field` names what was wrong."),
    401: _spec("Nobody is signed in."),
    403: _spec("The CSRF token is missing or wrong."),
    404: _spec("No such session (or not yours), module or item."),
    409: _spec("The session is not in a state that allows this."),
    413: _spec("The request body is too large."),
    429: _spec("Too many runs; retry later."),
    503: _spec("Not graded: the sandbox failed; nothing was scored, try again."),
}

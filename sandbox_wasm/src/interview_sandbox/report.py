"""Host decoding of what the guest harness reports, bounded before anything is parsed.

A report is ``nonce SP json``, written by code that shares its interpreter with the
candidate, so it may be anything.  The host reads at most :data:`REPORT_BYTES` of it
(larger reports are never copied out of the guest's memory), then checks the JSON's
shape with flat scans before ``json.loads`` builds a single object: ASCII only (the
guest writes ASCII), at most :data:`MAX_NODES` values, nesting at most :data:`MAX_DEPTH`,
no number longer than :data:`MAX_DIGITS`.  So one report costs the host at most a few
MB of heap however it was forged, and decoding never recurses deeper than the bound.
"""

from __future__ import annotations

import json
import re
from typing import Any

REPORT_BYTES = 2 * 1024 * 1024
NONCE_BYTES = 64  # what the host reads of an oversize report: enough to check whose it is
RUN_REPORT_BYTES = 8 * 1024 * 1024  # report bytes one call_cases / run_test_functions accepts in all
MAX_NODES = 200_000
# wire.encode stops at depth 100 and a $map pair adds two levels per level; the report adds one.
MAX_DEPTH = 320
MAX_DIGITS = 4000  # below CPython's int_max_str_digits (4300), so json.loads never raises on it
# One token per string (escaped quotes removed first, so a string holds no backslash-quote), per
# bracket and comma, or per over-long number outside strings: scanned one at a time, nothing kept.
_TOKEN = re.compile(rb'"[^"]*"|[\[\]{},]|[0-9.eE+-]{%d,}' % (MAX_DIGITS + 1))
_OPEN, _CLOSE, _COMMA, _QUOTE = frozenset(b"[{"), frozenset(b"]}"), ord(","), ord('"')


class ReportRefused(ValueError):
    """The report breaks a bound or is not JSON; the message says which."""


def decode(text: bytes) -> Any:
    """The JSON value of ``text`` once every bound holds; raises :class:`ReportRefused` otherwise."""
    if len(text) > REPORT_BYTES:
        raise ReportRefused(f"report larger than {REPORT_BYTES} bytes")
    if not text.isascii():
        raise ReportRefused("report is not ASCII")
    _check_shape(text.replace(b"\\\\", b"").replace(b'\\"', b""))
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ReportRefused(f"report is not JSON: {exc}") from None


def split(data: bytes) -> tuple[bytes, bytes]:
    """``(nonce, body)`` of a raw report; raises :class:`ReportRefused` when there is no separator."""
    nonce, sep, body = data.partition(b" ")
    if not sep:
        raise ReportRefused("report has no nonce")
    return nonce, body


def _check_shape(text: bytes) -> None:
    nodes, depth = 1, 0
    for tokens, token in enumerate(_TOKEN.finditer(text)):
        char = text[token.start()]
        if char == _QUOTE:
            if tokens > 2 * MAX_NODES:  # strings with no commas between them: not JSON, stop reading
                raise ReportRefused(f"report holds more than {MAX_NODES} values")
            continue
        if char in _OPEN:
            nodes += 1
            depth += 1
            if depth > MAX_DEPTH:
                raise ReportRefused(f"report nested deeper than {MAX_DEPTH}")
        elif char in _CLOSE:
            depth -= 1
        elif char == _COMMA:
            nodes += 1
        else:
            raise ReportRefused(f"report holds a number longer than {MAX_DIGITS} characters")
        if nodes > MAX_NODES:
            raise ReportRefused(f"report holds more than {MAX_NODES} values")


class ReportBudget:
    """Report bytes the host still accepts for one request, over all its instances."""

    def __init__(self, total: int = RUN_REPORT_BYTES) -> None:
        self.left = total

    def take(self, size: int) -> bool:
        if size > self.left:
            self.left = 0
            return False
        self.left -= size
        return True

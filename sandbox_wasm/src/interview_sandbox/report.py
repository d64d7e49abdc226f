"""Host decoding of what the guest harness reports, bounded before anything is parsed.

A report is ``nonce SP json``, written by code that shares its interpreter with the
candidate, so it may be anything.  The host reads at most :data:`REPORT_BYTES` of it
(larger reports are never copied out of the guest's memory), then checks the JSON's
shape with flat scans before ``json.loads`` builds a single object: ASCII only (the
guest writes ASCII), at most :data:`MAX_NODES` values, nesting at most :data:`MAX_DEPTH`,
no number longer than :data:`MAX_DIGITS`.  So one report costs the host at most a few
MB of heap however it was forged, and decoding never recurses deeper than the bound.

The scans run in C, never a Python step per token: the strings are cut out with one regular
expression (escaped quotes and backslashes removed first, so no string holds a quote), what is
left is structure, numbers and literals, whose brackets and commas are counted with
``bytes.count`` and whose nesting is the running sum of its brackets (``itertools.accumulate``
over a ``memoryview``).  A 30 000-answer report (870 kB) is checked in ~10 ms instead of ~100 ms.
"""

from __future__ import annotations

import itertools
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
# A string (escaped quotes and backslashes removed first, so it holds no quote), possessive: a
# string never gives back what it matched, so an unterminated one costs one pass.
_STRING = re.compile(rb'"[^"]*+"')
_LONG_NUMBER = re.compile(rb"[0-9.eE+-]{%d,}" % (MAX_DIGITS + 1))
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # +1 and -1 as signed bytes


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
    """Refuse ``text`` (escapes removed) past a bound, in C-speed passes whatever its size."""
    # Outside the strings a valid report is brackets, commas, colons, numbers and literals; in an
    # invalid one, cutting the strings out can only join what json.loads refuses anyway.
    bare = _STRING.sub(b"", text)
    opens = bare.count(b"[") + bare.count(b"{")
    if 1 + opens + bare.count(b",") > MAX_NODES:  # one value at the top, one more per bracket and comma
        raise ReportRefused(f"report holds more than {MAX_NODES} values")
    if _LONG_NUMBER.search(bare):
        raise ReportRefused(f"report holds a number longer than {MAX_DIGITS} characters")
    brackets = bare.translate(None, _NOT_BRACKETS)
    if len(brackets) != 2 * opens:
        raise ReportRefused("report is not JSON: its brackets do not balance")
    depth = max(itertools.accumulate(memoryview(brackets.translate(_STEPS)).cast("b")), default=0)
    if depth > MAX_DEPTH:
        raise ReportRefused(f"report nested deeper than {MAX_DEPTH}")


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

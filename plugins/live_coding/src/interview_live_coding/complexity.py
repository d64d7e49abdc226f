"""Complexity classes: reading a candidate's claim and comparing classes.

A claim is read the way people write it: ``O(n log n)``, ``n*log(n)``, ``O(n²)``, ``linear``,
``O(n) time, O(1) space`` (the time part), ``O(1) per operation``, and classes in several
variables (``O(n * W)``, ``O((V+E) log V)``, ``O(n log k)``).  A class in several variables is
compared as every variable grows like the input size (the growth measurement grows them all
together): ``O(n * W)`` reads as ``O(n^2)``, ``O((V+E) log V)`` as ``O(n log n)``.
"""

from __future__ import annotations

import re

from attrs import frozen

from interview_engine.runner import COMPLEXITY_CLASSES

__all__ = ["Claim", "class_rank", "for_n_operations", "parse_claim", "per_operation", "read_claim"]

_WORDS = {
    "constant": "O(1)",
    "logarithmic": "O(log n)",
    "linear": "O(n)",
    "linearithmic": "O(n log n)",
    "loglinear": "O(n log n)",
    "quadratic": "O(n^2)",
    "cubic": "O(n^3)",
    "exponential": "O(2^n)",
}
_PER_OPERATION = re.compile(
    r"\b(?:per|each|every|an?)\s+(?:op\b|ops\b|operation|call|request|event|access|query|get|put|lookup|step)"
    r"|\bamorti[sz]ed\b"
)
_TOTAL = re.compile(r"\b(?:total|overall|in all|altogether|for (?:all|n|the) )")
_SPACE = re.compile(r"^\s*(?:extra\s+|auxiliary\s+|additional\s+)?(?:space|memory)\b")
# A bound labelled best case ("O(n) best case, O(n^2) worst case") is not the claim: the claim is the
# bound that holds for every input, which is what the measurement is compared with.
_BEST_AFTER = re.compile(r"^\s*(?:in\s+the\s+|at\s+)?best(?:[- ]case)?\b")
_BEST_BEFORE = re.compile(r"\bbest(?:[- ]case)?\s*(?:is|:|=|of)?\s*$")
_MAX_CLAIM = 200


@frozen
class Claim:
    """What a claim says: its class (None when unreadable) and whether it is per operation."""

    text: str
    complexity: str | None
    per_operation: bool = False


def class_rank(name: str) -> int:
    return COMPLEXITY_CLASSES.index(name)


_PER_OPERATION_OF = {
    "O(1)": "O(1)",
    "O(log n)": "O(1)",
    "O(n)": "O(1)",
    "O(n log n)": "O(log n)",
    "O(n^2)": "O(n)",
    "O(n^3)": "O(n^2)",
    "O(2^n)": "O(2^n)",
}
_TOTAL_OF = {"O(1)": "O(n)", "O(log n)": "O(n log n)", "O(n)": "O(n^2)", "O(n^2)": "O(n^3)"}


def per_operation(total: str) -> str:
    """The class of one operation when ``n`` operations cost ``total`` (``O(n log n)`` -> ``O(log n)``)."""
    return _PER_OPERATION_OF[total]


def for_n_operations(each: str) -> str:
    """The class of ``n`` operations that each cost ``each`` (``O(1)`` -> ``O(n)``)."""
    return _TOTAL_OF.get(each, each)


# -- the expression reader ------------------------------------------------------------------
# A growth is (exponential, polynomial degree, log degree), compared in that order.
Growth = tuple[int, float, int]
_ZERO: Growth = (0, 0.0, 0)
_TOKEN = re.compile(
    r"\s*(?:(\d+(?:\.\d+)?)|(log2|log10|log|lg|ln|sqrt)|([a-z]\w*)|(\*\*|[-+*/^()!,\u00b7\u00d7\u22c5]))"
)


class _Unreadable(ValueError):
    pass


def _pieces(text: str) -> list[str]:
    pieces, at = [], 0
    while at < len(text):
        if text[at:].strip() == "":
            break
        found = _TOKEN.match(text, at)
        if not found:
            raise _Unreadable(text[at:])
        pieces.append(found.group().strip())
        at = found.end()
    return pieces


class _Reader:
    """sum := product (('+'|'-') product)*; product := power (('*'|'/'|juxtaposed) power)*."""

    def __init__(self, pieces: list[str]) -> None:
        self.pieces = pieces
        self.at = 0

    def peek(self) -> str | None:
        return self.pieces[self.at] if self.at < len(self.pieces) else None

    def take(self) -> str:
        piece = self.peek()
        if piece is None:
            raise _Unreadable("end")
        self.at += 1
        return piece

    def sum(self) -> Growth:
        value = self.product()
        while self.peek() in ("+", "-", ","):
            self.take()
            value = max(value, self.product())
        return value

    def product(self) -> Growth:
        value = self.power()
        while True:
            piece = self.peek()
            if piece in ("*", "\u00b7", "\u00d7", "\u22c5"):
                self.take()
                value = _times(value, self.power())
            elif piece == "/":
                self.take()
                self.power()  # dividing never raises a bound; keep the numerator's growth
            elif piece is not None and piece not in ("+", "-", ",", ")", "^", "**", "!"):
                value = _times(value, self.power())  # "n log n", "n m"
            else:
                return value

    def power(self) -> Growth:
        base, number = self.atom()
        while self.peek() == "!":
            self.take()
            base, number = (1, 0.0, 0), None
        if self.peek() in ("^", "**"):
            self.take()
            exponent, power = self.atom()
            if power is not None:
                return (base[0], base[1] * power, base[2] * int(power))
            if exponent != _ZERO and (number is None or number > 1):
                return (1, 0.0, 0)  # 2^n, k^n, n^n
            return base
        return base

    def atom(self) -> tuple[Growth, float | None]:
        piece = self.take()
        if piece == "(":
            value = self.sum()
            if self.take() != ")":
                raise _Unreadable("(")
            return value, None
        if piece[0].isdigit():
            return _ZERO, float(piece)
        if piece in ("log", "log2", "log10", "lg", "ln"):
            times = 1
            if self.peek() in ("^", "**"):  # log^2 n
                self.take()
                _, power = self.atom()
                times = int(power or 1)
            inner = self.power()  # "log n", "log(n)", "log (V+E)"
            return ((0, 0.0, times) if inner != _ZERO else _ZERO), None
        if piece == "sqrt":
            inner = self.power()
            return (inner[0], inner[1] / 2, inner[2]), None
        if piece[0].isalpha():
            # Any variable grows like the input; "nm" or "nk" is written for n times m.
            return (0, float(len(piece)) if len(piece) <= 2 else 1.0, 0), None
        raise _Unreadable(piece)


def _times(a: Growth, b: Growth) -> Growth:
    return (max(a[0], b[0]), a[1] + b[1], a[2] + b[2])


def _class_of(growth: Growth) -> str:
    exponential, degree, logs = growth
    if exponential:
        return "O(2^n)"
    if degree <= 0:
        return "O(log n)" if logs else "O(1)"
    if degree <= 1:
        return "O(n log n)" if logs and degree == 1 else "O(n)"
    if degree <= 2:
        return "O(n^2)"
    return "O(n^3)"


def _expression(text: str) -> str | None:
    try:
        reader = _Reader(_pieces(text))
        growth = reader.sum()
        if reader.peek() is not None:
            return None
    except (_Unreadable, RecursionError):
        return None
    return _class_of(growth)


def _normalise(text: str) -> str:
    text = re.sub(r"(?<=[a-z0-9)])(log|lg)(?=[\s(^a-z0-9]|$)", r" \1", text.lower())  # "nlogn", "n*log"
    text = re.sub(r"\b(log|lg)([a-z])\b", r"\1 \2", text)  # "logn"
    text = re.sub(r"(?<=[\w)])\s+times\s+(?=[\w(])", " * ", text)  # "n times budget"
    text = re.sub(r"\|\s*([a-z]\w*)\s*\|", r" \1 ", text)  # "|V| + |E|": the sizes of V and E
    text = text.replace("²", "^2").replace("³", "^3").replace("θ", "o").replace("Θ", "o")
    return text.replace("big-o", "o").replace("big o", "o").replace("\u2212", "-")


def _bracketed(text: str, start: int) -> tuple[str, int] | None:
    """The text inside the parenthesis opening at ``start`` and the index after it."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                return text[start + 1 : index], index + 1
    return None


def read_claim(claim: str | None) -> Claim:
    """Read a claim: its time class (the first ``O(...)`` not labelled space) and its scope."""
    raw = (claim or "")[:_MAX_CLAIM]
    text = _normalise(raw)
    per_operation = bool(_PER_OPERATION.search(text)) and not _TOTAL.search(text)
    found: str | None = None
    for match in re.finditer(r"\bo\s*\(", text):
        inside = _bracketed(text, match.end() - 1)
        if inside is None:
            break
        body, after = inside
        if _SPACE.match(text[after : after + 30]) or re.search(
            r"(?:space|memory)\s*(?:is|:|=)?\s*$", text[: match.start()]
        ):
            continue
        if _BEST_AFTER.match(text[after : after + 30]) or _BEST_BEFORE.search(
            text[max(0, match.start() - 30) : match.start()]
        ):
            continue
        found = _WORDS.get(body.strip()) or _expression(body)
        if found is not None:
            break
    if found is None:
        bare = re.sub(r"\b(?:time|amorti[sz]ed|worst[- ]case|average|complexity|is|it's|its|runs?|in)\b", " ", text)
        bare = bare.split(",")[0].strip(" .:;")
        found = _WORDS.get(bare.replace(" ", "").replace("-", "")) or next(
            (c for w, c in _WORDS.items() if re.search(rf"\b{w}\b", text)), None
        )
        # A bare expression ("n log n", "n^2") only in one-letter variables: "fast" is no class.
        if found is None and bare and re.fullmatch(r"(?:[a-z]\b|log|lg|sqrt|\d+|[\s*^()+./·-])+", bare):
            found = _expression(re.sub(r"\bper\b.*$", "", bare))
    return Claim(raw, found, per_operation)


def parse_claim(claim: str | None) -> str | None:
    """The class a claim names, or None when it names none (see :func:`read_claim`)."""
    return read_claim(claim).complexity

"""Complexity classes: reading a candidate's claim and comparing classes."""

from __future__ import annotations

import re

from interview_engine.runner import COMPLEXITY_CLASSES

__all__ = ["class_rank", "parse_claim"]

_ALIASES = {
    "1": "O(1)",
    "logn": "O(log n)",
    "n": "O(n)",
    "nlogn": "O(n log n)",
    "n^2": "O(n^2)",
    "n2": "O(n^2)",
    "n*n": "O(n^2)",
    "n^3": "O(n^3)",
    "n3": "O(n^3)",
    "2^n": "O(2^n)",
    "constant": "O(1)",
    "logarithmic": "O(log n)",
    "linear": "O(n)",
    "linearithmic": "O(n log n)",
    "quadratic": "O(n^2)",
    "cubic": "O(n^3)",
    "exponential": "O(2^n)",
}


def parse_claim(claim: str | None) -> str | None:
    """Normalise a claim such as ``O(N log N)``, ``n*log(n)``, ``O(n²)`` or ``linear``; None if unreadable."""
    if not claim:
        return None
    text = claim.strip().lower().replace("²", "^2").replace("³", "^3").replace("**", "^")
    text = re.sub(r"^(?:big-?)?o\s*\((.*)\)$", r"\1", text.strip())
    text = re.sub(r"\b(?:time|amortised|amortized)\b", "", text)
    compact = re.sub(r"[\s()·⋅.]", "", text).replace("log2", "log").replace("lg", "log")
    compact = compact.replace("*", "") if "log" in compact else compact
    return _ALIASES.get(compact)


def class_rank(name: str) -> int:
    return COMPLEXITY_CLASSES.index(name)

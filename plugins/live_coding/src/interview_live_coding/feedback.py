"""What a candidate is shown of the hidden tests after a submit.

Practice is for learning: after a submit, the first failing case of each group is
shown (its input, the expected value and what the code returned or raised, each
truncated).  A deployment used for assessments sets ``INTERVIEW_ASSESSMENT_MODE=1``
to show counts and verdicts only, never a hidden input or expected value.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

from interview_live_coding.grading import HiddenResult
from interview_live_coding.pack import HiddenTest
from interview_live_coding.results import FirstFailure

__all__ = ["ASSESSMENT_ENV", "MAX_SHOWN_CHARS", "NOT_GRADED", "assessment_mode", "failing_cases", "truncated"]

ASSESSMENT_ENV = "INTERVIEW_ASSESSMENT_MODE"
MAX_SHOWN_CHARS = 400
NOT_GRADED = "not graded: the sandbox failed, try again"


def assessment_mode() -> bool:
    """Whether hidden cases are hidden after a submit (an assessment deployment), read at each submit."""
    return os.environ.get(ASSESSMENT_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def truncated(value: Any, limit: int = MAX_SHOWN_CHARS) -> str:
    """``value`` as compact JSON, cut to ``limit`` characters with a note of how much was left out."""
    try:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=repr)
    except (ValueError, RecursionError):
        text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def _error_tail(error: str) -> str:
    lines = [line for line in error.strip().splitlines() if line.strip()]
    return truncated("\n".join(lines[-4:]), MAX_SHOWN_CHARS).strip('"') if lines else ""


def failing_cases(tests: Sequence[HiddenTest], results: Sequence[HiddenResult]) -> dict[str, FirstFailure]:
    """The first failing case of each group: name, verdict, input, expected and what came back."""
    shown: dict[str, FirstFailure] = {}
    for test, result in zip(tests, results, strict=True):
        if result.passed or result.group in shown:
            continue
        inputs, expected = truncated(test.args), truncated(test.expected)
        if result.status == "wrong_answer":
            case = FirstFailure(result.name, result.status, inputs, expected, got=truncated(result.actual))
        else:
            case = FirstFailure(
                result.name,
                result.status,
                inputs,
                expected,
                got=None,
                errorType=result.error_type,
                error=_error_tail(result.error),
            )
        shown[result.group] = case
    return shown

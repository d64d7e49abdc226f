"""What a candidate can do in a debugging session: the declarations the engine and adapters read.

The caps here are the only ones: the engine checks them for every door.  The paths and texts of the
files are checked again, one by one, where they are used (:func:`~interview_debugging.execution.checked_files`).
"""

from __future__ import annotations

from attrs import field, frozen

from interview_debugging.execution import MAX_FILE_BYTES, MAX_FILES
from interview_debugging.results import FixGraded, FixNotGraded, HintShown, ScenarioShown, TestsRan
from interview_engine.actions import Action, Cap, Cost, Routes, StartRoute, text_at_most

__all__ = ["ACTIONS", "MAX_DIAGNOSIS_CHARS", "MAX_LOCATION_CHARS", "MAX_TOTAL_CHARS", "ROUTES", "Fix", "Run"]

MAX_DIAGNOSIS_CHARS = 8 * 1024
MAX_LOCATION_CHARS = 200
MAX_TOTAL_CHARS = 2 * MAX_FILE_BYTES


def _check_files(value: object) -> str | None:
    if not isinstance(value, dict):
        return f"must be an object of file paths to texts, got {type(value).__name__}"
    if len(value) > MAX_FILES:
        return f"at most {MAX_FILES} files"
    for path, text in value.items():
        if len(text) > MAX_FILE_BYTES:
            return f"{path[:80]!r} is longer than {MAX_FILE_BYTES} characters"
    if sum(len(text) for text in value.values()) > MAX_TOTAL_CHARS:
        return f"must be at most {MAX_TOTAL_CHARS} characters in all"
    return None


_files = Cap(
    _check_files,
    {"maxProperties": MAX_FILES, "additionalProperties": {"type": "string", "maxLength": MAX_FILE_BYTES}},
)


@frozen
class Run:
    """Run the visible tests and the candidate's own tests on the working copy (``files`` changed)."""

    files: dict[str, str] = field(factory=dict, validator=_files)


@frozen
class Fix:
    """The patched files (with a regression test), the diagnosis and where the bug is."""

    files: dict[str, str] = field(validator=_files)
    diagnosis: str = field(default="", validator=text_at_most(MAX_DIAGNOSIS_CHARS))
    location: str = field(default="", validator=text_at_most(MAX_LOCATION_CHARS))


ACTIONS = (
    Action(
        "scenario",
        result=ScenarioShown,
        description="The bug report, files, failing output, logs and hints revealed so far.",
        operation_id="fetchBugScenario",
        method="GET",
        path="/scenario",
    ),
    Action(
        "run",
        payload=Run,
        result=TestsRan,
        cost=Cost.SANDBOX,
        description="Run the visible tests and your own tests on your working copy.",
        operation_id="runDebugTests",
        path="/run",
    ),
    Action(
        "hint",
        result=HintShown,
        description="Reveal the next hint (each one lowers the diagnosis score a little).",
        operation_id="revealHint",
        path="/hint",
    ),
    Action(
        "submit",
        payload=Fix,
        result=FixGraded | FixNotGraded,
        cost=Cost.SANDBOX,
        description="Submit the diagnosis, the patch and a regression test.",
        operation_id="submitFix",
        path="/fix",
    ),
)

ROUTES = Routes(
    prefix="/debug/sessions",
    tag="debugging",
    start=StartRoute("createDebugSession", "scenarioId", "Start a debugging session on a bug scenario."),
)

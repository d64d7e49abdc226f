"""What a candidate can do in a live-coding session: the declarations the engine and adapters read.

The caps here are the only ones: the engine checks them for every door (the JSON API's typed and
generic routes, the CLI, an embedding team's own code).
"""

from __future__ import annotations

from attrs import field, frozen

from interview_engine.actions import Action, Cost, Routes, StartRoute, text_at_most
from interview_live_coding.custom import MAX_INPUT_CHARS
from interview_live_coding.results import CustomRan, Prompt, SamplesRan, SubmitGraded, SubmitNotGraded

__all__ = ["ACTIONS", "MAX_CLAIM_CHARS", "MAX_NOTES_CHARS", "MAX_SOURCE_CHARS", "ROUTES", "CustomRun", "Run", "Submit"]

MAX_SOURCE_CHARS = 64 * 1024
MAX_NOTES_CHARS = 8 * 1024
MAX_CLAIM_CHARS = 100


@frozen
class Run:
    """Run the sample tests on ``source``."""

    source: str = field(validator=text_at_most(MAX_SOURCE_CHARS))


@frozen
class CustomRun:
    """Run ``source`` on the candidate's own ``input`` (Python literals, one argument per line)."""

    source: str = field(validator=text_at_most(MAX_SOURCE_CHARS))
    input: str = field(validator=text_at_most(MAX_INPUT_CHARS))


@frozen
class Submit:
    """Submit ``source`` for the hidden tests, with the claimed complexity and the candidate's notes."""

    source: str = field(validator=text_at_most(MAX_SOURCE_CHARS))
    complexity: str = field(default="", validator=text_at_most(MAX_CLAIM_CHARS))
    notes: str = field(default="", validator=text_at_most(MAX_NOTES_CHARS))


ACTIONS = (
    Action(
        "prompt",
        result=Prompt,
        description="The statement, starter code, sample tests and the time left.",
        operation_id="fetchCodingPrompt",
        method="GET",
        path="/prompt",
    ),
    Action(
        "run",
        payload=Run,
        result=SamplesRan,
        cost=Cost.SANDBOX,
        description="Run the sample tests with full output.",
        operation_id="runTests",
        path="/run",
    ),
    Action(
        "run_custom",
        payload=CustomRun,
        result=CustomRan,
        cost=Cost.SANDBOX,
        description="Run the code on your own input.",
    ),
    Action(
        "submit",
        payload=Submit,
        result=SubmitGraded | SubmitNotGraded,
        cost=Cost.SANDBOX,
        description="Run the hidden tests: counts and group names only, never their inputs or expected outputs.",
        operation_id="submitSolution",
        path="/submit",
    ),
)

ROUTES = Routes(
    prefix="/coding/sessions",
    tag="live coding",
    start=StartRoute("createCodingSession", "problemId", "Start a timed live-coding session on a problem."),
)

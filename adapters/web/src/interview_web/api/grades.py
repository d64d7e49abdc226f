"""``POST /api/grader/sessions/{id}/evaluation``: external grades from an embedding team's grader.

The candidate-facing API has no route that sets a score.  A team that grades sessions with its own
interviewers or tools posts the grade here, authorised by a token of its own, never by a candidate's
sign-in: ``Authorization: Bearer <INTERVIEW_GRADER_TOKEN>``.  Without ``INTERVIEW_GRADER_TOKEN`` set
the route is closed (403).  The grade is scored with the module's rubric and stored marked as
external, naming the grader (``details.source == "external"``).
"""

from __future__ import annotations

import hmac
import os

from litestar import Controller, post
from litestar.params import JSONBody

from interview_engine import Evidence, Forbidden, Unauthenticated
from interview_web.api.mapping import evaluation_out
from interview_web.api.responses import ERRORS
from interview_web.api.schemas import EvaluationOut, ExternalGrade
from interview_web.deps import EngineDep, SessionId
from interview_web.identity import AnyRequest

GRADER_TOKEN_ENV = "INTERVIEW_GRADER_TOKEN"  # noqa: S105 - the variable's name, not a secret


def check_grader(request: AnyRequest) -> None:
    """Refuse unless the request carries the deployment's grader token (compared in constant time)."""
    expected = os.environ.get(GRADER_TOKEN_ENV, "")
    if not expected:
        raise Forbidden(f"external grading is not enabled on this deployment (set {GRADER_TOKEN_ENV})")
    scheme, _, supplied = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(supplied.strip().encode(), expected.encode()):
        raise Unauthenticated("a grader token is required: Authorization: Bearer <token>")


class GraderController(Controller):
    path = "/api/grader/sessions"
    tags = ["grading (embedding teams)"]

    @post("/{session_id:str}/evaluation", operation_id="recordExternalGrade", responses=ERRORS, sync_to_thread=True)
    def record(
        self, request: AnyRequest, engine: EngineDep, session_id: SessionId, data: JSONBody[ExternalGrade]
    ) -> EvaluationOut:
        """Store a grade given by your own grader; needs the grader token, never a candidate's sign-in."""
        check_grader(request)
        evaluation = engine.record_external_grade(
            session_id,
            grader=data.grader,
            scores=data.rubric,
            metrics=data.metrics,
            disqualifiers=data.disqualifiers,
            evidence=[Evidence(dimension=e.dimension, text=e.text, source=e.source) for e in data.evidence],
        )
        return evaluation_out(evaluation)

"""The live-coding interview module: prompt, run, submit, evaluate.

Actions (the web API maps its routes onto these names):

- ``prompt``: title, statement, signature, starter code, samples, time limit,
  remaining seconds and tags (fetchCodingPrompt).
- ``run`` ``{"source"}``: the samples with full output (runTests).
- ``run_custom`` ``{"source", "input"}``: the candidate's own arguments (literals,
  written as in a call) run through their code and the reference, both in the
  sandbox, like a custom test case.
- ``submit`` ``{"source", "complexity"?, "notes"?}``: the hidden tests, counts
  per group only, plus an evaluation preview (submitSolution).  A candidate may
  submit again while the session is active: every submission is kept and the
  last one is graded when the session ends.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from attrs import evolve, frozen

from interview_engine.content import ContentCheck, PackInfo
from interview_engine.converter import unstructure
from interview_engine.domain import (
    ContentSnapshot,
    Difficulty,
    Evaluation,
    Session,
    SessionStatus,
    Submission,
    TestRun,
    Track,
    new_id,
)
from interview_engine.errors import Conflict, InvalidInput, NotFound, NotGraded
from interview_engine.module import ActionResult, Item, ModuleContext
from interview_engine.rubric import RubricSpec
from interview_engine.runner import GrowthPoint
from interview_engine.scoring import AnswerScore
from interview_live_coding import feedback, grading
from interview_live_coding.actions import ACTIONS, MAX_CLAIM_CHARS, MAX_NOTES_CHARS, MAX_SOURCE_CHARS, ROUTES
from interview_live_coding.complexity import per_operation
from interview_live_coding.custom import MAX_INPUT_CHARS, parse_arguments, run_custom
from interview_live_coding.evaluation import evaluate, expected_class, timing
from interview_live_coding.feedback import NOT_GRADED, assessment_mode
from interview_live_coding.heuristics import Heuristics, load_heuristics
from interview_live_coding.narration import narration_request
from interview_live_coding.pack import (
    MODULE_NAME,
    HiddenTest,
    ProblemPack,
    content_root,
    hidden_tests,
    load_pack,
    run_reference,
    session_seed,
)
from interview_live_coding.problems import Problem
from interview_live_coding.quality import inspect_quality, quality_score
from interview_live_coding.records import CODING_SESSIONS, CodingSessionRecord
from interview_live_coding.results import (
    HiddenGroup,
    Prompt,
    Sample,
    SampleRun,
    SamplesRan,
    SubmitGraded,
    SubmitNotGraded,
)
from interview_live_coding.state import CodingState
from interview_live_coding.submission import Growth, Quality, SizeVerdict, SubmitSummary
from interview_live_coding.validation import validate_pack
from interview_live_coding.views import CodingSummary, ComplexityView, QualityView, SubmitRow, TestsView, TimingView

__all__ = ["MAX_NOTES_CHARS", "LiveCodingModule"]


@frozen
class Graded:
    """What one grading run found: the hidden tests and their results, the growth and the reference's."""

    tests: list[HiddenTest]
    results: list[grading.HiddenResult]
    measurement: grading.Measurement | None
    reference: tuple[GrowthPoint, ...]


class LiveCodingModule:
    name = MODULE_NAME
    title = "Live coding"
    description = "Timed problems with hidden tests, measured complexity, lint and a coding rubric."
    #: The evaluation result that marks a problem solved in the picker: every hidden test passed.
    solved_results = ("solved",)
    actions = ACTIONS
    routes = ROUTES

    @functools.cached_property
    def pack(self) -> ProblemPack:
        return load_pack()

    @functools.cached_property
    def heuristics(self) -> Heuristics:
        return load_heuristics(content_root())

    def pack_info(self) -> PackInfo:
        return self.pack.info

    def rubric(self, track: Track, difficulty: Difficulty) -> RubricSpec:
        return self.pack.rubric(difficulty)

    def items(self, track: Track | None = None, difficulty: Difficulty | None = None) -> list[Item]:
        return [
            Item(
                p.id,
                self.name,
                p.title,
                p.track,
                p.difficulty,
                p.tags,
                summary=f"{p.time_limit_minutes} min",  # the expected complexity is for the feedback, not the prompt
            )
            for p in self.pack.listed(track, difficulty)
        ]

    # -- the session ---------------------------------------------------------

    def start(self, ctx: ModuleContext, session: Session, options: Mapping[str, Any]) -> Session:
        problem = self._pick(ctx, session, options.get("problemId"))
        started = ctx.clock()
        ctx.store.save_snapshot(ContentSnapshot("coding_sets", problem.id, self.pack.info.version, problem.snapshot()))
        CODING_SESSIONS.save(
            ctx.store,
            session.id,
            CodingSessionRecord(
                session_id=session.id, problem_id=problem.id, time_limit_s=problem.time_limit_s, started_at=started
            ),
        )
        return evolve(
            session,
            item_id=problem.id,
            time_limit_s=problem.time_limit_s,
            started_at=started,
            state=CodingState(problemId=problem.id).dump(),
        )

    def _pick(self, ctx: ModuleContext, session: Session, problem_id: Any) -> Problem:
        """The requested problem; without one, the first of the session's track and difficulty
        that the candidate has not started yet (else the first)."""
        if problem_id not in (None, ""):
            return self.pack.problem(problem_id)
        cell = self.pack.listed(session.track, session.difficulty)
        if not cell:
            raise NotFound(f"no coding problem for {session.track.value}/{session.difficulty.value}", field="problemId")
        tried = {s.item_id for s in ctx.store.list_sessions(user_id=session.user_id) if s.module == self.name}
        return next((p for p in cell if p.id not in tried), cell[0])

    def _problem(self, session: Session) -> Problem:
        return self.pack.problem(CodingState.of(session).problemId)

    def _record(self, ctx: ModuleContext, session: Session) -> CodingSessionRecord:
        record = CODING_SESSIONS.get(ctx.store, session.id)
        if record is None:
            raise Conflict(f"session {session.id} has no coding record")
        return record

    def act(self, ctx: ModuleContext, session: Session, action: str, payload: Mapping[str, Any]) -> ActionResult:
        problem = self._problem(session)
        if action == "prompt":
            return ActionResult(session, unstructure(self._prompt(ctx, session, problem)))
        source = _text(payload, "source", required=True, limit=MAX_SOURCE_CHARS)
        if action == "run":
            return ActionResult(session, unstructure(self._run(ctx, session, problem, source)))
        if action == "run_custom":
            args = parse_arguments(_text(payload, "input", required=True, limit=MAX_INPUT_CHARS))
            limits = grading.case_limits(self.heuristics.limits)
            ran = run_custom(ctx.runner(), problem.entry, source, problem.reference, args, limits)
            return ActionResult(session, unstructure(ran))
        return self._submit(ctx, session, problem, source, payload)

    def _prompt(self, ctx: ModuleContext, session: Session, problem: Problem) -> Prompt:
        record = self._record(ctx, session)
        elapsed = (ctx.clock() - record.started_at).total_seconds()
        return Prompt(
            problemId=problem.id,
            title=problem.title,
            statement=problem.statement.strip(),
            signature=problem.signature,
            entry=problem.entry,
            starterCode=problem.starter.lstrip("\n"),
            samples=[Sample(problem.sample_args(i), _expected(problem, i)) for i in range(len(problem.samples))],
            timeLimitSeconds=record.time_limit_s,
            remainingSeconds=max(0, int(record.time_limit_s - elapsed)),
            tags=list(problem.tags),
            difficulty=problem.difficulty.value,
            track=problem.track.value,
        )

    def _run(self, ctx: ModuleContext, session: Session, problem: Problem, source: str) -> SamplesRan:
        results = grading.run_samples(ctx.runner(), problem, source, self.heuristics.limits)
        all_passed = all(r.passed for r in results)
        record = self._record(ctx, session)
        runs = record.runs + 1
        first_pass = record.runs_before_first_pass
        if first_pass is None and all_passed:
            first_pass = runs
        CODING_SESSIONS.save(ctx.store, session.id, evolve(record, runs=runs, runs_before_first_pass=first_pass))
        submission = Submission(
            id=ctx.new_submission_id(),
            session_id=session.id,
            kind="run",
            files={"solution.py": source},
            created_at=ctx.clock(),
            summary={"passed": sum(r.passed for r in results), "total": len(results)},
        )
        ctx.store.add_submission(
            submission,
            [
                TestRun(
                    submission.id,
                    session.id,
                    r.name,
                    "sample",
                    r.passed,
                    r.status,
                    visible=True,
                    output=(r.stdout + r.error)[:4000],
                )
                for r in results
            ],
        )
        return SamplesRan(
            results=results,
            loadError=_load_error(results, problem),
            passed=sum(r.passed for r in results),
            failed=sum(not r.passed for r in results),
            allPassed=all_passed,
            runs=runs,
        )

    def _submit(
        self, ctx: ModuleContext, session: Session, problem: Problem, source: str, payload: Mapping[str, Any]
    ) -> ActionResult:
        claim = _text(payload, "complexity", limit=MAX_CLAIM_CHARS)
        notes = _text(payload, "notes", limit=MAX_NOTES_CHARS)
        graded = self._grade(ctx, session, problem, source)
        record = self._record(ctx, session)
        now = ctx.clock()
        late = (now - record.started_at).total_seconds() > record.time_limit_s
        updated = evolve(session, state=CodingState.of(session).submitted().dump())
        if graded is None:  # an infrastructure fault: kept, not graded, and the candidate can submit again
            submission = Submission(
                id=ctx.new_submission_id(),
                session_id=session.id,
                kind="submit",
                files={"solution.py": source},
                created_at=now,
                notes=notes,
                claim=claim,
                late=late,
                summary=SubmitSummary.not_graded(NOT_GRADED),
            )
            ctx.store.add_submission(submission, [])
            return ActionResult(
                updated, unstructure(SubmitNotGraded(graded=False, message=NOT_GRADED, retryable=True, late=late))
            )
        results = graded.results
        summary = self._summary(problem, source, claim, graded)
        submission = Submission(
            id=ctx.new_submission_id(),
            session_id=session.id,
            kind="submit",
            files={"solution.py": source},
            created_at=now,
            notes=notes,
            claim=claim,
            late=late,
            summary=summary.dump(),
        )
        ctx.store.add_submission(
            submission,
            [
                TestRun(
                    submission.id,
                    session.id,
                    r.name,
                    r.group,
                    r.passed,
                    r.status,
                    weight=r.weight,
                    visible=False,
                    fuel_used=r.fuel_used,
                )
                for r in results
            ],
        )
        CODING_SESSIONS.save(ctx.store, session.id, evolve(record, submitted_at=now, late=late))
        preview = self._evaluate(ctx, session, submission)
        answer = SubmitGraded(
            graded=True,
            passed=summary.passed,
            failed=summary.failed,
            correctness=summary.correctness,
            groups=summary.groups,
            late=late,
            evaluation=preview,
        )
        return ActionResult(updated, unstructure(answer))

    def _grade(self, ctx: ModuleContext, session: Session, problem: Problem, source: str) -> Graded | None:
        """Hidden tests and growth; None when the sandbox failed anywhere (nothing may be graded).

        Growth is measured while the hidden tests run: each size is a fresh instance of its own, which
        shares nothing with the hidden tests' instance, and its fuel is the host's count, so the two
        side by side measure what they measure one after the other (on two cores, in less time).  The
        growth counts only when a scored test passed; otherwise it is measured and dropped.
        """
        runner = ctx.runner()
        limits = self.heuristics.limits
        seed = session_seed(session.id, problem.id)
        tests = hidden_tests(self.pack, problem, seed)
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="growth") as pool:
            growth = pool.submit(grading.measure, runner, problem, source, limits)
            curve = pool.submit(grading.reference_growth, runner, problem, limits)
            results = grading.run_hidden(runner, problem, source, tests, limits)
            measurement, reference = growth.result(), curve.result()
        if grading.sandbox_failed(results):
            return None
        if not any(r.passed for r in grading.scored(results)):
            return Graded(tests, results, None, ())
        if measurement.fault or reference is None:
            return None
        return Graded(tests, results, measurement, reference)

    def _summary(self, problem: Problem, source: str, claim: str, graded: Graded) -> SubmitSummary:
        tests, results, measurement = graded.tests, graded.results, graded.measurement
        scored = grading.scored(results)
        quality = inspect_quality(source, self.heuristics.quality)
        shown = feedback.failing_cases(tests, results) if not assessment_mode() else {}
        groups = [
            HiddenGroup(
                group=g.group,
                passed=g.passed,
                failed=g.failed,
                total=g.total,
                weight=round(g.weight, 4),
                verdicts=g.verdicts or {},
                reportedOnly=g.group in grading.SCORED_GROUPS_EXCLUDE,
                firstFailure=shown.get(g.group),
            )
            for g in grading.tally(results)
        ]
        growth = None
        if measurement is not None:
            report = measurement.report
            growth = Growth(
                complexity=report.complexity,
                points=list(report.points),
                confidence=report.confidence,
                detail=report.detail,
                operations=problem.operations,
                sizes=[SizeVerdict(n, v) for n, v in measurement.verdicts],
                reference=list(graded.reference),
            )
        return SubmitSummary(
            graded=True,
            correctness=grading.correctness(scored),
            passed=sum(r.passed for r in scored),
            failed=sum(not r.passed for r in scored),
            groups=groups,
            growth=growth,
            claim=claim,
            assessment=assessment_mode(),
            quality=Quality(
                findings=list(quality.findings),
                metrics=quality.metrics,
                lintAvailable=quality.lint_available,
                score=quality_score(quality, self.heuristics.quality),
            ),
        )

    # -- evaluation ----------------------------------------------------------

    def _clarity(self, ctx: ModuleContext, problem: Problem, notes: str, claim: str) -> AnswerScore | None:
        if not notes.strip():
            return None
        return ctx.score_answer(narration_request(problem, notes, claim))

    def _evaluate(self, ctx: ModuleContext, session: Session, submission: Submission | None) -> Evaluation:
        problem = self._problem(session)
        record = self._record(ctx, session)
        runs = len(ctx.store.submissions(session.id, kind="run"))
        clarity = self._clarity(ctx, problem, submission.notes, submission.claim) if submission else None
        return evaluate(
            session=session,
            problem=problem,
            spec=self.pack.rubric(session.difficulty),
            heuristics=self.heuristics,
            record=record,
            submission=submission,
            runs=runs,
            clarity=clarity,
        )

    def evaluate(self, ctx: ModuleContext, session: Session) -> Evaluation:
        """Evaluate the last submission; one the sandbox failed to grade is graded again first.

        Raises:
            NotGraded: the sandbox failed again; nothing is stored and ending the session retries.
        """
        submitted = ctx.store.submissions(session.id, kind="submit")
        last = submitted[-1] if submitted else None
        if last is not None and not SubmitSummary.load(last.summary).graded:
            last = self._regrade(ctx, session, last)
        return self._evaluate(ctx, session, last)

    def _regrade(self, ctx: ModuleContext, session: Session, ungraded: Submission) -> Submission:
        problem = self._problem(session)
        source = ungraded.files.get("solution.py", "")
        graded = self._grade(ctx, session, problem, source)
        if graded is None:
            raise NotGraded()
        # Graded as of when it was submitted: the sandbox's failure costs no time.
        summary = self._summary(problem, source, ungraded.claim, graded)
        submission = evolve(ungraded, id=new_id(), summary=summary.dump())
        ctx.store.add_submission(submission, [])
        return submission

    def summarize(self, ctx: ModuleContext, session: Session, evaluation: Evaluation | None) -> dict[str, Any]:
        problem = self._problem(session)
        record = self._record(ctx, session)
        submitted = ctx.store.submissions(session.id, kind="submit")
        last = submitted[-1] if submitted else None
        loaded = [SubmitSummary.load(sub.summary) for sub in submitted]
        summary = loaded[-1] if loaded else SubmitSummary.load(None)
        runs = len(ctx.store.submissions(session.id, kind="run"))
        t = timing(record, last.created_at if last else None, runs)
        ended = session.status in (SessionStatus.ENDED, SessionStatus.EVALUATED)
        details = evaluation.details if evaluation else {}
        view = CodingSummary(
            problemId=problem.id,
            title=problem.title,
            tags=list(problem.tags),
            submitted=last is not None,
            graded=summary.graded,
            submissions=len(submitted),
            # Every submission is kept; the last one is graded (the page says so).
            history=[
                SubmitRow(
                    number=number,
                    at=sub.created_at.isoformat(),
                    afterSeconds=max(0, int((sub.created_at - record.started_at).total_seconds())),
                    passed=each.passed,
                    failed=each.failed,
                    correctness=each.correctness,
                    late=sub.late,
                    graded=sub is last,
                )
                for number, (sub, each) in enumerate(zip(submitted, loaded, strict=True), start=1)
            ],
            code=last.files.get("solution.py", "") if last else "",
            notes=last.notes if last else "",
            tests=TestsView(summary.passed, summary.failed, summary.correctness, summary.groups),
            complexity=ComplexityView(
                expected=problem.complexity,  # for n operations on a data-structure problem
                perOperation=problem.operations,
                expectedStated=expected_class(problem) + (" per operation" if problem.operations else ""),
                claimed=summary.claim,
                measured=summary.growth.complexity if summary.growth else None,
                measuredStated=_measured_view(problem, summary.growth),
                points=summary.growth.points if summary.growth else [],
                verdict=details.get("complexity"),
                claimVerdict=details.get("claim"),
                claimHonesty=details.get("claimHonesty"),
            ),
            quality=QualityView(summary.quality.findings, summary.quality.metrics),
            timing=TimingView(
                startedAt=record.started_at.isoformat(),
                submittedAt=last.created_at.isoformat() if last else None,
                usedSeconds=t.used_s,
                limitSeconds=t.limit_s,
                late=t.late,
                runs=runs,
                runsBeforeFirstPass=record.runs_before_first_pass,
            ),
            # After the session, never during it: the reference solution and why it works.
            reference=problem.reference.strip("\n") if ended else None,
            editorial=self.pack.editorials.get(problem.id, "") if ended else None,
        )
        written: dict[str, Any] = unstructure(view)
        return written

    def validate_content(self, ctx: ModuleContext) -> list[ContentCheck]:
        return validate_pack(self.pack, ctx.runner(), self.heuristics, cache=ctx.validation_cache)


def _text(payload: Mapping[str, Any], key: str, *, required: bool = False, limit: int = 0) -> str:
    value = payload.get(key)
    if value is None or value == "":
        if required:
            raise InvalidInput("is required", field=key)
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"must be a string, got {type(value).__name__}", field=key)
    if limit and len(value) > limit:
        raise InvalidInput(f"is longer than {limit} characters", field=key)
    return value


def _measured_view(problem: Problem, growth: Growth | None) -> str:
    measured = growth.complexity if growth else None
    if measured is None:
        return "not measured"
    return f"{per_operation(measured)} per operation" if problem.operations else str(measured)


def load_error(error: str, entry: str) -> str:
    """What stopped the code before any call, in words (a missing function reads as the harness's KeyError)."""
    if error.strip() in (f"KeyError: '{entry}'", f'KeyError: "{entry}"'):
        return f"Your code does not define a function named {entry}: the tests call {entry}(...)."
    return error


def _load_error(results: list[SampleRun], problem: Problem) -> str:
    """The one error that stopped every sample before its call (a syntax error, a missing function), if any."""
    errors = {r.error for r in results if r.status == "not_run"}
    if results and len(errors) == 1 and all(r.status == "not_run" for r in results):
        return load_error(errors.pop(), problem.entry)
    return ""


def _expected(problem: Problem, index: int) -> Any:
    return run_reference(problem, problem.sample_args(index))

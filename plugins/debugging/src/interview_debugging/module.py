"""The debugging interview: find the root cause, patch it, prove it with a regression test.

Actions (payload keys in quotes):

- ``scenario``: the bug report, files, visible tests, failing output, logs and hints so far.
- ``run`` {"files"}: the visible tests plus the candidate's own ``test_*.py`` files on their copy.
- ``hint``: reveals the next hint (each one lowers the diagnosis score).
- ``submit`` {"files", "diagnosis", "location"}: hidden tests, regression-test verdicts, and the
  evaluation preview.  The last submission is what the session is evaluated on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from attrs import evolve

from interview_debugging import execution as ex
from interview_debugging.actions import ACTIONS, MAX_DIAGNOSIS_CHARS, ROUTES
from interview_debugging.communication import diagnosis_request
from interview_debugging.copies import copies_visible_tests
from interview_debugging.evaluation import evaluate_facts, latest_submission_facts
from interview_debugging.facts import CommunicationFacts, FixFacts, HiddenFacts, NamedVerdict, RegressionFacts, Verdict
from interview_debugging.pack import MODULE, DebugPack, load_pack
from interview_debugging.probes import session_seed
from interview_debugging.records import DEBUG_EVALUATIONS, DEBUG_SESSIONS, DebugSessionRecord
from interview_debugging.results import (
    FixGraded,
    FixNotGraded,
    HiddenGroup,
    HintShown,
    RegressionVerdicts,
    ScenarioShown,
    TestOutcome,
    TestsPassed,
    TestsRan,
)
from interview_debugging.scenario import BugScenario
from interview_debugging.state import DebugState
from interview_debugging.validation import validate_pack
from interview_engine import (
    ActionResult,
    Conflict,
    ContentCheck,
    ContentSnapshot,
    Difficulty,
    Evaluation,
    InvalidInput,
    Item,
    ModuleContext,
    NotGraded,
    PackInfo,
    RubricSpec,
    Session,
    Submission,
    TestRun,
    Track,
    new_id,
    unstructure,
)

__all__ = ["NOT_GRADED", "DebuggingModule"]

NOT_GRADED = "not graded: the sandbox failed, try again"

_baseline_lock = threading.Lock()


class DebuggingModule:
    name = MODULE
    title = "Debugging"
    description = "Find the root cause of a failing program, fix it and prove it with a regression test."
    #: The evaluation result that marks a scenario solved in the picker: every hidden test passes on the fix.
    solved_results = ("fixed",)
    actions = ACTIONS
    routes = ROUTES

    def __init__(self, pack: DebugPack | None = None) -> None:
        self._pack = pack
        self._baselines: dict[tuple[str, str], dict[str, Any]] = {}

    @property
    def pack(self) -> DebugPack:
        if self._pack is None:
            self._pack = load_pack()
        return self._pack

    # -- discovery -----------------------------------------------------------

    def pack_info(self) -> PackInfo:
        return self.pack.info

    def rubric(self, track: Track, difficulty: Difficulty) -> RubricSpec:
        return self.pack.specs[difficulty]

    def items(self, track: Track | None = None, difficulty: Difficulty | None = None) -> list[Item]:
        return [
            Item(
                id=s.id,
                module=MODULE,
                title=s.title,
                track=s.track,
                difficulty=s.difficulty,
                topics=s.topics,
                summary=s.description.strip().split("\n\n")[0].replace("\n", " "),
            )
            for s in self.pack.select(track, difficulty)
        ]

    def validate_content(self, ctx: ModuleContext) -> list[ContentCheck]:
        return validate_pack(ctx.runner(), self.pack, cache=ctx.validation_cache)

    # -- session start -------------------------------------------------------

    def _choose(self, ctx: ModuleContext, session: Session, options: Mapping[str, Any]) -> BugScenario:
        wanted = options.get("scenarioId")
        if wanted is not None and not isinstance(wanted, str):
            raise InvalidInput("must be a scenario id", field="scenarioId")
        if wanted:  # absent or empty: pick one of the session's track and difficulty
            return self.pack.scenario(wanted)
        candidates = self.pack.select(session.track, session.difficulty)
        if not candidates:
            raise InvalidInput(f"no scenario for {session.track} / {session.difficulty}", field="track")
        done = {s.item_id for s in ctx.store.list_sessions(user_id=session.user_id, module=MODULE)}
        return next((s for s in candidates if s.id not in done), candidates[0])

    def baseline(self, ctx: ModuleContext, scenario: BugScenario) -> dict[str, Any]:
        """The bug as the candidate first sees it: failing output and logs (cached)."""
        key = (self.pack.info.kb_version, scenario.id)
        with _baseline_lock:
            cached = self._baselines.get(key)
        if cached is not None:
            return cached
        runner = ctx.runner()
        outcomes, logs = ex.parallel(
            [
                lambda: ex.run_tests(runner, scenario.files, scenario.visible_tests),
                lambda: ex.run_logs(runner, scenario, scenario.files),
            ]
        )
        found = {"failingOutput": ex.format_outcomes(outcomes), "logs": logs}
        with _baseline_lock:
            self._baselines[key] = found
        return found

    def start(self, ctx: ModuleContext, session: Session, options: Mapping[str, Any]) -> Session:
        scenario = self._choose(ctx, session, options)
        base = self.baseline(ctx, scenario)
        ctx.store.save_snapshot(
            ContentSnapshot(
                kind="bug_scenarios", key=scenario.id, version=session.kb_version, data=unstructure(scenario)
            )
        )
        started = ctx.clock()
        DEBUG_SESSIONS.save(
            ctx.store,
            session.id,
            DebugSessionRecord(session_id=session.id, scenario_id=scenario.id, started_at=started),
        )
        state = DebugState(
            scenarioId=scenario.id,
            probeSeed=session_seed(session.id, scenario.id),
            failingOutput=base["failingOutput"],
            logs=base["logs"],
        )
        return evolve(
            session,
            item_id=scenario.id,
            track=scenario.track,
            difficulty=scenario.difficulty,
            started_at=started,
            state=state.dump(),
        )

    # -- actions -------------------------------------------------------------

    def act(self, ctx: ModuleContext, session: Session, action: str, payload: Mapping[str, Any]) -> ActionResult:
        scenario = self.pack.scenario(DebugState.of(session).scenarioId)
        handler = {
            "scenario": self._scenario,
            "run": self._run,
            "hint": self._hint,
            "submit": self._submit,
        }[action]
        return handler(ctx, session, scenario, payload)

    def _record(self, ctx: ModuleContext, session: Session, scenario: BugScenario) -> DebugSessionRecord:
        found = DEBUG_SESSIONS.get(ctx.store, session.id)
        return found or DebugSessionRecord(session.id, scenario.id, session.started_at or ctx.clock())

    def _scenario(
        self, ctx: ModuleContext, session: Session, scenario: BugScenario, payload: Mapping[str, Any]
    ) -> ActionResult:
        state = DebugState.of(session)
        revealed = state.hintsRevealed
        shown = ScenarioShown(
            id=scenario.id,
            title=scenario.title,
            track=scenario.track.value,
            difficulty=scenario.difficulty.value,
            description=scenario.description,
            files=dict(scenario.files),
            visibleTests=dict(scenario.visible_tests),
            failingOutput=state.failingOutput,
            logs=state.logs,
            hints=list(scenario.hints[:revealed]),
            hintsRevealed=revealed,
            hintsAvailable=len(scenario.hints),
        )
        return ActionResult(session, unstructure(shown))

    def _run(
        self, ctx: ModuleContext, session: Session, scenario: BugScenario, payload: Mapping[str, Any]
    ) -> ActionResult:
        files = ex.checked_files(payload.get("files"))
        program = ex.working_copy(scenario, files)
        own = ex.candidate_tests(scenario, files)
        outcomes = ex.run_tests(ctx.runner(), program, {**scenario.visible_tests, **own})
        output = ex.format_outcomes(outcomes)
        passed = sum(1 for o in outcomes if o.status.value == "returned")
        submission = Submission(
            id=ctx.new_submission_id(),
            session_id=session.id,
            kind="run",
            files=files,
            created_at=ctx.clock(),
            summary={"passed": passed, "total": len(outcomes)},
        )
        runs = [
            TestRun(
                submission_id=submission.id,
                session_id=session.id,
                name=o.name,
                group="own" if o.name.split("::")[0] in own else "visible",
                passed=o.status.value == "returned",
                status=o.status.value,
                visible=True,
                fuel_used=o.fuel_used,
                output=(o.error + ("\n" + o.stdout if o.stdout else ""))[:4000],
            )
            for o in outcomes
        ]
        ctx.store.add_submission(submission, runs)
        record = self._record(ctx, session, scenario)
        DEBUG_SESSIONS.save(ctx.store, session.id, evolve(record, runs=record.runs + 1))
        tests = [TestOutcome(o.name, o.status.value, o.status.value == "returned", o.error) for o in outcomes]
        return ActionResult(
            session, unstructure(TestsRan(output=output, tests=tests, passed=passed, failed=len(outcomes) - passed))
        )

    def _hint(
        self, ctx: ModuleContext, session: Session, scenario: BugScenario, payload: Mapping[str, Any]
    ) -> ActionResult:
        state = DebugState.of(session)
        if state.hintsRevealed >= len(scenario.hints):
            raise Conflict(f"all {len(scenario.hints)} hints are revealed")
        state = state.with_hint()
        revealed = state.hintsRevealed
        record = self._record(ctx, session, scenario)
        DEBUG_SESSIONS.save(ctx.store, session.id, evolve(record, hints_revealed=revealed))
        session = evolve(session, state=state.dump())
        penalty = min(self.pack.scoring.hint_penalty * revealed, self.pack.scoring.hint_penalty_cap)
        shown = HintShown(
            hint=scenario.hints[revealed - 1],
            number=revealed,
            hints=list(scenario.hints[:revealed]),
            hintsRevealed=revealed,
            hintsAvailable=len(scenario.hints),
            diagnosisPenalty=penalty,
        )
        return ActionResult(session, unstructure(shown))

    def _submit(
        self, ctx: ModuleContext, session: Session, scenario: BugScenario, payload: Mapping[str, Any]
    ) -> ActionResult:
        if "files" not in payload:
            raise InvalidInput("the patched files are required", field="files")
        files = ex.checked_files(payload.get("files"))
        diagnosis = payload.get("diagnosis", "")
        location = payload.get("location") or ""
        if not isinstance(diagnosis, str):
            raise InvalidInput("must be text", field="diagnosis")
        if not isinstance(location, str):
            raise InvalidInput("must be FILE:LINE or FILE:function", field="location")
        if len(diagnosis) > MAX_DIAGNOSIS_CHARS:
            raise InvalidInput(f"at most {MAX_DIAGNOSIS_CHARS} characters", field="diagnosis")
        try:
            facts, runs = self._grade(ctx, session, scenario, files, diagnosis, location)
        except ex.SandboxFault:
            # An infrastructure fault is never the candidate's: kept, not graded, submit again.
            kept = Submission(
                id=ctx.new_submission_id(),
                session_id=session.id,
                kind="submit",
                files=files,
                created_at=ctx.clock(),
                notes=diagnosis,
                claim=location,
                summary=FixFacts.not_graded(NOT_GRADED, diagnosis, location),
            )
            ctx.store.add_submission(kept, [])
            return ActionResult(session, unstructure(FixNotGraded(graded=False, message=NOT_GRADED, retryable=True)))
        submission = Submission(
            id=ctx.new_submission_id(),
            session_id=session.id,
            kind="submit",
            files=files,
            created_at=ctx.clock(),
            notes=diagnosis,
            claim=location,
            summary=facts.dump(),
        )
        ctx.store.add_submission(submission, runs(submission))
        record = self._record(ctx, session, scenario)
        DEBUG_SESSIONS.save(ctx.store, session.id, evolve(record, submitted_at=submission.created_at))
        evaluation, _ = evaluate_facts(self.pack, scenario, session, facts, DebugState.of(session).hintsRevealed)
        return ActionResult(session, unstructure(_preview(evaluation, facts)))

    def _grade(
        self,
        ctx: ModuleContext,
        session: Session,
        scenario: BugScenario,
        files: dict[str, str],
        diagnosis: str,
        location: str,
    ) -> tuple[FixFacts, Callable[[Submission], list[TestRun]]]:
        """Run everything a submission is graded on; raises :class:`~ex.SandboxFault` on a sandbox fault."""
        runner = ctx.runner()
        program = ex.working_copy(scenario, files)
        own = ex.candidate_tests(scenario, files)
        seed = DebugState.of(session).seed(session.id)
        visible, hidden, on_bug, regression = ex.parallel(
            [
                lambda: ex.run_tests(runner, program, scenario.visible_tests),
                lambda: ex.run_hidden(runner, scenario, program, seed),
                # The baseline is the bug on the same checks and the same draw.
                lambda: ex.run_hidden(runner, scenario, scenario.files, seed),
                lambda: ex.run_regression(runner, scenario, own, program) if own else None,
            ],
            workers=4,
        )
        comm = ctx.score_answer(diagnosis_request(self.pack, scenario, diagnosis, location))
        facts = _facts(diagnosis, location, visible, hidden, on_bug, regression, own, comm, scenario.visible_tests)
        facts = evolve(facts, hidden=evolve(facts.hidden, seed=seed))
        return facts, lambda submission: _submit_runs(submission, visible, hidden, regression)

    # -- evaluation ----------------------------------------------------------

    def evaluate(self, ctx: ModuleContext, session: Session) -> Evaluation:
        state = DebugState.of(session)
        scenario = self.pack.scenario(state.scenarioId)
        record = DEBUG_SESSIONS.get(ctx.store, session.id)
        hints = record.hints_revealed if record else state.hintsRevealed
        facts = latest_submission_facts(ctx, session)
        if facts is not None and not facts.graded:
            facts = self._regrade(ctx, session, scenario)
        evaluation, row = evaluate_facts(self.pack, scenario, session, facts, hints)
        DEBUG_EVALUATIONS.save(ctx.store, session.id, evolve(row, created_at=evaluation.created_at))
        return evaluation

    def _regrade(self, ctx: ModuleContext, session: Session, scenario: BugScenario) -> FixFacts:
        """Grade again the last submission the sandbox failed on; :class:`NotGraded` if it fails again."""
        ungraded = ctx.store.submissions(session.id, kind="submit")[-1]
        diagnosis = str(ungraded.summary.get("diagnosis", ungraded.notes))
        location = str(ungraded.summary.get("location", ungraded.claim))
        try:
            facts, runs = self._grade(ctx, session, scenario, dict(ungraded.files), diagnosis, location)
        except ex.SandboxFault as exc:
            raise NotGraded() from exc
        submission = evolve(ungraded, id=new_id(), summary=facts.dump())  # as of when it was submitted
        ctx.store.add_submission(submission, runs(submission))
        return facts

    def summarize(self, ctx: ModuleContext, session: Session, evaluation: Evaluation | None) -> dict[str, Any]:
        from interview_debugging.summary import summarize

        return summarize(self.pack, ctx, session, evaluation)


def facts_of_regression(
    regression: ex.RegressionReport, own: Mapping[str, str], visible_tests: Mapping[str, str]
) -> RegressionFacts:
    """What a submission keeps of its regression test's verdicts (``score_testing`` reads it)."""
    return RegressionFacts(
        files=sorted(own),
        onBug=Verdict(regression.on_bug.verdict, regression.on_bug.detail),
        onCandidateFix=Verdict(regression.on_candidate_fix.verdict, regression.on_candidate_fix.detail),
        # Only the verdict: the candidate's assertion messages on the reference fix could quote it.
        onReferenceFix=Verdict(regression.on_reference_fix.verdict),
        onEquivalentFixes=[NamedVerdict(name, v.verdict) for name, v in regression.on_equivalent_fixes],
        onEquivalentBugs=[NamedVerdict(name, v.verdict) for name, v in regression.on_equivalent_bugs],
        copiesVisible=copies_visible_tests(own, visible_tests),
        mutantsCaught=list(regression.mutants_caught),
        mutantsTotal=regression.mutants_total,
    )


def _facts(
    diagnosis: str,
    location: str,
    visible: list[Any],
    hidden: ex.HiddenReport,
    on_bug: ex.HiddenReport,
    regression: ex.RegressionReport | None,
    own: dict[str, str],
    comm: Any,
    visible_tests: Mapping[str, str],
) -> FixFacts:
    regression_facts = None if regression is None else facts_of_regression(regression, own, visible_tests)
    return FixFacts(
        diagnosis=diagnosis,
        location=location,
        visible=TestsPassed(passed=sum(1 for o in visible if o.status.value == "returned"), total=len(visible)),
        hidden=HiddenFacts(
            groups=[HiddenGroup(g.group, g.weight, g.passed, g.total, g.random) for g in hidden.groups],
            share=round(hidden.share, 6),
            baseline=round(on_bug.share, 6),
            randomShare=_rounded(hidden.random_share),
            randomBaseline=_rounded(on_bug.random_share),
            allPassed=hidden.all_passed,
        ),
        regression=regression_facts,
        communication=CommunicationFacts(
            score=comm.score,
            scorer=comm.scorer,
            matched=list(comm.matched),
            missed=list(comm.missed),
            evidence=list(comm.evidence),
            findings=dict(comm.findings) or None,
        ),
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _submit_runs(
    submission: Submission,
    visible: list[Any],
    hidden: ex.HiddenReport,
    regression: ex.RegressionReport | None,
) -> list[TestRun]:
    runs = [
        TestRun(
            submission_id=submission.id,
            session_id=submission.session_id,
            name=o.name,
            group="visible",
            passed=o.status.value == "returned",
            status=o.status.value,
            visible=True,
            output=o.error[:4000],
        )
        for o in visible
    ]
    for group in hidden.groups:
        for number in range(1, group.total + 1):
            passed = number <= group.passed
            runs.append(
                TestRun(
                    submission_id=submission.id,
                    session_id=submission.session_id,
                    name=f"{group.group} #{number}",
                    group=group.group,
                    passed=passed,
                    status="passed" if passed else "failed",
                    weight=group.weight / group.total,
                )
            )
    if regression is not None:
        verdicts = [
            ("regression on the bug", regression.on_bug, "failed"),
            ("regression on your fix", regression.on_candidate_fix, "passed"),
            ("regression on the reference fix", regression.on_reference_fix, "passed"),
        ]
        for name, verdict, wanted in verdicts:
            runs.append(
                TestRun(
                    submission_id=submission.id,
                    session_id=submission.session_id,
                    name=name,
                    group="regression",
                    passed=verdict.verdict == wanted,
                    status=verdict.verdict,
                    visible=True,
                    output="" if verdict is regression.on_reference_fix else verdict.detail,
                )
            )
    return runs


def _preview(evaluation: Evaluation, facts: FixFacts) -> FixGraded:
    regression = facts.regression
    return FixGraded(
        graded=True,
        result=evaluation.result,
        rubric=dict(evaluation.scores),
        weighted=evaluation.weighted_average,
        decision=evaluation.decision.value,
        evidence=list(evaluation.evidence),
        hidden=facts.hidden.groups,
        visible=facts.visible,
        regression=None
        if regression is None
        else RegressionVerdicts(
            regression.files, *regression.verdicts(), len(regression.mutantsCaught), regression.mutantsTotal
        ),
        metrics=dict(evaluation.metrics),
        nextSteps=list(evaluation.next_steps),
    )

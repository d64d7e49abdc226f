"""The code runner as a grading job sees it: results shared through the database, progress reported.

A runner that names its ``identity`` (the sandbox: runtime hash, harness, limits)
promises that the same request gives the same result; such results are kept in
``run_results`` so every worker reuses them: identical submissions are not run
twice.  Only outcomes that do not depend on the machine's load are kept (no
time limits, no sandbox faults).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from interview_engine.converter import converter
from interview_engine.errors import EngineError
from interview_engine.runner import (
    CallCase,
    CaseOutcome,
    CaseStatus,
    CodeRunner,
    GrowthReport,
    Limits,
    RunResult,
    RunStatus,
)

if TYPE_CHECKING:
    from interview_engine.storage.jobs import RunResultTable

__all__ = ["GradingRunner", "groups_of"]

log = logging.getLogger(__name__)

_LOAD_DEPENDENT_CASES = {CaseStatus.TIME_LIMIT, CaseStatus.SANDBOX_ERROR}
_LOAD_DEPENDENT_RUNS = {RunStatus.TIME_LIMIT, RunStatus.SANDBOX_ERROR}
COMPLEXITY = "measuring complexity"  # the step of a growth measurement, shown after any tests beside it
_NUMBERED = re.compile(r"[-_ #]*\d+$")


def groups_of(names: Sequence[str]) -> list[str]:
    """The groups a batch of cases belongs to, by name: ``edge-3`` -> ``edge``; ``a.py::test_x`` -> ``a.py``."""
    seen: dict[str, None] = {}
    for name in names:
        head = name.split("::", 1)[0] if "::" in name else _NUMBERED.sub("", name) or name
        seen.setdefault(head, None)
    return list(seen)


def _key(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, default=repr, ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


class GradingRunner:
    """Wraps a :class:`CodeRunner`; thread-safe when the wrapped runner is."""

    def __init__(
        self,
        inner: CodeRunner,
        results: RunResultTable | None,
        *,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.inner = inner
        self.identity = str(getattr(inner, "identity", "") or "")
        # A table that keeps nothing (SQLite: one process, whose sandbox has its own cache) is not
        # asked: every result would be unstructured for nothing (30 000 answers: ~40 ms a submit).
        self._results = results if self.identity and getattr(results, "enabled", True) else None
        self._progress = progress
        self._active: list[str] = []
        self._lock = threading.Lock()

    @contextmanager
    def _doing(self, label: str) -> Iterator[None]:
        """Tell the job what it is doing while the block runs: every step in flight, tests first.

        Growth is measured beside the hidden tests: the job shows both ("tests: basic, edge; measuring
        complexity"), and whichever ends first leaves the other shown.
        """
        with self._lock:
            self._active.append(label)
            self._publish()
        try:
            yield
        finally:
            with self._lock:
                self._active.remove(label)
                if self._active:
                    self._publish()

    def _publish(self) -> None:
        if self._progress is not None:
            shown = sorted(dict.fromkeys(self._active), key=lambda label: label == COMPLEXITY)
            self._progress("; ".join(shown))

    def _lookup(self, key: str, cls: Any) -> Any:
        if self._results is None:
            return None
        try:
            found = self._results.get(key)
            return None if found is None else converter.structure(found, cls)
        except Exception:  # a cache is a saving, never a reason to fail a run: run it instead
            log.warning("shared result %s unreadable", key[:12], exc_info=True)
            return None

    def _keep(self, key: str, value: Any) -> None:
        if self._results is not None:
            try:
                self._results.put(key, converter.unstructure(value))
            except EngineError:
                log.warning("shared result %s not stored", key[:12], exc_info=True)

    def _limits(self, limits: Limits | None) -> Any:
        return converter.unstructure(limits) if limits is not None else None

    def run(
        self,
        source: str,
        *,
        stdin: str = "",
        files: Mapping[str, str] | None = None,
        limits: Limits | None = None,
    ) -> RunResult:
        with self._doing("running the program"):
            key = _key("run", self.identity, source, stdin, sorted((files or {}).items()), self._limits(limits))
            hit: RunResult | None = self._lookup(key, RunResult)
            if hit is not None:
                return hit
            result = self.inner.run(source, stdin=stdin, files=files, limits=limits)
            if result.status not in _LOAD_DEPENDENT_RUNS:
                self._keep(key, result)
            return result

    def call_cases(
        self,
        source: str,
        entry: str,
        cases: Sequence[CallCase],
        *,
        files: Mapping[str, str] | None = None,
        limits: Limits | None = None,
        own_fuel: bool = True,
    ) -> list[CaseOutcome]:
        groups = groups_of([case.name for case in cases])
        with self._doing(COMPLEXITY if groups == ["growth"] else "tests: " + ", ".join(groups)):
            calls = [[case.name, list(case.args)] for case in cases]
            kind = "call" if own_fuel else "call, gross fuel"  # the fuel differs, so the results are kept apart
            key = _key(kind, self.identity, source, entry, calls, sorted((files or {}).items()), self._limits(limits))
            hit: list[CaseOutcome] | None = self._lookup(key, list[CaseOutcome])
            if hit is not None:
                return hit
            outcomes = self.inner.call_cases(source, entry, cases, files=files, limits=limits, own_fuel=own_fuel)
            if not any(o.status in _LOAD_DEPENDENT_CASES for o in outcomes):
                self._keep(key, outcomes)
            return outcomes

    def measure_growth(
        self,
        source: str,
        entry: str,
        generator_source: str,
        sizes: Sequence[int],
        *,
        limits: Limits | None = None,
    ) -> GrowthReport:
        with self._doing(COMPLEXITY):
            key = _key("growth", self.identity, source, entry, generator_source, list(sizes), self._limits(limits))
            hit: GrowthReport | None = self._lookup(key, GrowthReport)
            if hit is not None:
                return hit
            report = self.inner.measure_growth(source, entry, generator_source, sizes, limits=limits)
            if report.points:  # an unmeasured run may be the machine's fault: measure again next time
                self._keep(key, report)
            return report

    def run_test_functions(
        self,
        files: Mapping[str, str],
        test_files: Sequence[str],
        *,
        limits: Limits | None = None,
    ) -> list[CaseOutcome]:
        with self._doing("tests: " + ", ".join(test_files)):
            key = _key("tests", self.identity, sorted(files.items()), list(test_files), self._limits(limits))
            hit: list[CaseOutcome] | None = self._lookup(key, list[CaseOutcome])
            if hit is not None:
                return hit
            outcomes = self.inner.run_test_functions(files, test_files, limits=limits)
            if not any(o.status in _LOAD_DEPENDENT_CASES for o in outcomes):
                self._keep(key, outcomes)
            return outcomes

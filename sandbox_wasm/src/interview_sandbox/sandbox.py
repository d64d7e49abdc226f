"""``Sandbox``: the default :class:`~interview_engine.runner.CodeRunner`.

Stages per request: resolve limits (requests only tighten) -> look in the result
cache -> run in fresh instances -> map the outcome.  Thread-safe: Wasmtime
releases the GIL while the guest runs, so N threads run N programs at once.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import logging
import marshal
import os
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from attrs import evolve

from interview_engine.pysource import SourceTooComplex, parse_python
from interview_engine.runner import (
    CallCase,
    CaseOutcome,
    CaseStatus,
    GrowthReport,
    Limits,
    RunResult,
    RunStatus,
)
from interview_sandbox import growth, guest_site, harness, integrity, runtime, scratch, startup
from interview_sandbox.cache import ResultCache, cache_key
from interview_sandbox.errors import RuntimeUnavailable, SandboxError
from interview_sandbox.harness_cost import HarnessCost
from interview_sandbox.instance import GUEST_WORK, Machine, RawRun, RunState

T = TypeVar("T")
R = TypeVar("R")

# main.py's text arrives on stdin ahead of the program's own stdin (:func:`_framed_source`), so the
# guest never opens the file (five WASI calls, each a handoff to Wasmtime's blocking threads); the
# file is still in /work, for tracebacks, inspect and the program itself.
_BOOT = (
    "import marshal, os, sys\n"
    f"os.chdir({GUEST_WORK!r}); sys.path[0] = {GUEST_WORK!r}; sys.argv = ['main.py']\n"
    "_g = {'__name__': '__main__', '__builtins__': __builtins__, '__file__': 'main.py'}\n"
    "def _read(n):\n"
    "    parts = []\n"
    "    while n > 0:\n"
    "        chunk = os.read(0, n)\n"
    "        if not chunk:\n"
    "            break\n"
    "        parts.append(chunk)\n"
    "        n -= len(chunk)\n"
    "    return b''.join(parts)\n"
    "_c = compile(marshal.loads(_read(int.from_bytes(_read(4), 'little'))), 'main.py', 'exec')\n"
    "del _read, marshal, os, sys\n"
    "exec(_c, _g)\n"
    # The program ended without an exception: do what the interpreter's exit does that a
    # program can see (atexit handlers; flush stdout and stderr unless None or closed, exit 120
    # when a flush fails), then skip its teardown, ~16 M fuel of freeing objects unseen.
    "import atexit as _atexit, os as _os, sys as _sys\n"
    "_atexit._run_exitfuncs()\n"
    "def _flushed(stream):\n"
    "    try:\n"
    "        if stream is None or stream.closed:\n"
    "            return True\n"
    "    except BaseException:\n"
    "        pass\n"
    "    try:\n"
    "        stream.flush()\n"
    "    except BaseException:\n"
    "        return False\n"
    "    return True\n"
    "_os._exit(0 if all([_flushed(_sys.stdout), _flushed(_sys.stderr)]) else 120)\n"
)


log = logging.getLogger(__name__)
_machine: Machine | None = None
_machine_lock = threading.Lock()


def machine() -> Machine:
    """The process-wide engine and compiled module (fetched on first use)."""
    global _machine
    with _machine_lock:
        if _machine is None:
            scratch.sweep_leftovers()  # run dirs of sandbox processes killed mid-run
            runtime.ensure()
            _verified_runtime()
            engine = runtime.new_engine()
            module = runtime.load_module(engine)
            integrity.verify(runtime.runtime_dir(), wasm_sha256=runtime.WASM_SHA256)  # records a new .cwasm
            _machine = Machine(engine, module, runtime.lib_dir(), runtime.BOOT_ZIP_NAME)
            atexit.register(_shutdown)
        return _machine


def _verified_runtime() -> None:
    """Check the runtime cache by hash; lay a damaged one again, or fail as the sandbox's fault."""
    root = runtime.runtime_dir()
    damaged = integrity.verify(root, wasm_sha256=runtime.WASM_SHA256)
    if not damaged:
        return
    # The snapshot and its compiled module are made from the checked wasm and stdlib: make them again.
    remade = {os.path.relpath(path, root): path for path in (runtime.compiled_path(), runtime.snapshot_path())}
    if set(damaged) <= set(remade):
        for rel in damaged:
            remade[rel].unlink(missing_ok=True)
            integrity.forget_file(root, rel)
        runtime.ensure()
        return
    integrity.forget(root)
    try:
        runtime.relay()
    except RuntimeUnavailable as exc:
        raise RuntimeUnavailable(
            f"the sandbox runtime cache is damaged ({', '.join(damaged[:3])}) and could not be laid again: {exc}"
        ) from exc
    still = integrity.verify(root, wasm_sha256=runtime.WASM_SHA256)
    if still:
        raise RuntimeUnavailable(f"the sandbox runtime cache is damaged: {', '.join(still[:3])}")


def _shutdown() -> None:
    """Stop the epoch ticker and drop Wasmtime objects before interpreter teardown."""
    global _machine
    with _machine_lock:
        if _machine is not None:
            _machine.close()
            _machine = None


def _to_result(raw: RawRun) -> RunResult:
    state = raw.state
    return RunResult(
        status=raw.status,
        exit_code=raw.exit_code,
        stdout=state.stdout.decode("utf-8", "replace"),
        stderr=state.stderr.decode("utf-8", "replace"),
        fuel_used=raw.fuel_used,
        wall_ms=round(raw.wall_ms, 3),
        peak_memory_bytes=raw.peak_memory_bytes,
        stdout_truncated=state.stdout_truncated,
        stderr_truncated=state.stderr_truncated,
        detail=raw.detail,
    )


class Sandbox:
    """Runs untrusted Python as CPython on WASI inside Wasmtime.

    Args:
        limits: the configured ceiling; a request's limits can only tighten it.
        cache_size: results kept in the in-memory LRU (0 disables the cache).
        threads: workers of the pool behind :meth:`map` / :meth:`run_many`.
    """

    def __init__(self, limits: Limits | None = None, *, cache_size: int = 512, threads: int = 2) -> None:
        self.limits = limits or Limits()
        self._cache = ResultCache(cache_size)
        self._overhead = HarnessCost()
        self._threads = threads
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    @property
    def identity(self) -> str:
        """What decides a result besides the request: runtime, Wasmtime, the harness's code and the
        configured limits.  Results are shared across processes (the engine's ``run_results``) under it."""
        return _identity(repr(self.limits))

    # -- helpers ---------------------------------------------------------------------------

    def _resolve(self, limits: Limits | None) -> Limits:
        return self.limits.tightened(limits)

    def _cached(self, key_parts: object, compute: Callable[[], T]) -> T:
        key = cache_key(key_parts, runtime.WASM_SHA256, runtime.wasmtime_version())
        hit = self._cache.get(key)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        value = compute()
        if not _has_fault(value):  # a fault is the sandbox's: the next try runs again
            self._cache.put(key, value)
        return value

    def _execute(self, *args: Any, **kwargs: Any) -> RawRun:
        """One run; an infrastructure fault (a damaged runtime, a host error) is a SANDBOX_ERROR run."""
        limits: Limits = kwargs.get("limits") or self.limits
        try:
            return machine().execute(*args, **kwargs)
        except Exception as exc:  # an infrastructure fault, never the candidate's
            log.exception("sandbox fault")
            detail = str(exc) if isinstance(exc, SandboxError) else f"sandbox failure: {exc}"
            return RawRun(RunStatus.SANDBOX_ERROR, None, RunState(limits=limits), 0, 0.0, 0, detail)

    # -- CodeRunner ------------------------------------------------------------------------

    def run(
        self,
        source: str,
        *,
        stdin: str = "",
        files: Mapping[str, str] | None = None,
        limits: Limits | None = None,
    ) -> RunResult:
        resolved = self._resolve(limits)
        if len(source.encode("utf-8")) > resolved.source_bytes:
            return RunResult(RunStatus.RUNTIME_ERROR, None, "", "", 0, 0.0, 0, detail="source too large")
        key = ("run", source, stdin, sorted((files or {}).items()), resolved)

        def compute() -> RunResult:
            all_files = {**(files or {}), "main.py": source}
            framed = _framed_source(source) + stdin.encode("utf-8")
            raw = self._execute(_BOOT, limits=resolved, stdin=framed, files=all_files, work_check=True)
            return _to_result(raw)

        result = self._cached(key, compute)
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
        return self._call_cases(source, entry, cases, files=files, limits=limits, net=own_fuel)

    def _call_cases(
        self,
        source: str,
        entry: str,
        cases: Sequence[CallCase],
        *,
        files: Mapping[str, str] | None,
        limits: Limits | None,
        net: bool,
    ) -> list[CaseOutcome]:
        """``call_cases``; ``net``: less the harness's own fuel for each input (:class:`harness.HarnessCost`)."""
        resolved = self._resolve(limits)
        names = [case.name for case in cases]
        if len(source.encode("utf-8")) > resolved.source_bytes:
            return [CaseOutcome(name, CaseStatus.NOT_RUN, error="source too large") for name in names]
        args = [tuple(case.args) for case in cases]
        try:
            inputs = harness.marshalled(args)
        except ValueError as exc:
            raise ValueError(f"CallCase.args: a value marshal cannot carry into the guest: {exc}") from None
        digests = [hashlib.sha256(i).hexdigest() for i in inputs]
        key = ("call", net, source, entry, names, digests, sorted((files or {}).items()))

        def compute() -> list[CaseOutcome]:
            orders = {"mode": "call", "entry": entry}
            all_files = {**(files or {}), "solution.py": source}
            measured = harness.run_cases(self._execute, names, orders, all_files, resolved, inputs)
            return self._overhead.less(self._execute, measured, args, resolved) if net else measured[0]

        return list(self._cached((*key, resolved), compute))

    def run_test_functions(
        self,
        files: Mapping[str, str],
        test_files: Sequence[str],
        *,
        limits: Limits | None = None,
    ) -> list[CaseOutcome]:
        resolved = self._resolve(limits)
        key = ("tests", sorted(files.items()), list(test_files), resolved)

        def compute() -> list[CaseOutcome]:
            tests, broken = harness.collect_tests(files, test_files)
            outcomes = []
            for path in broken:
                detail = "not in files" if path not in files else _syntax_error(files[path], path)
                outcomes.append(CaseOutcome(f"{path}::*", CaseStatus.NOT_RUN, error=detail))
            if tests:
                names = [f"{path}::{name}" for path, name in tests]
                site = guest_site.guest_path(startup.GUEST_LIB)
                program = sorted(p for p in files if p.endswith(".py") and p not in test_files)
                orders = {"mode": harness.TESTS, "site": site, "tests": sorted(set(test_files)), "program": program}
                inputs = harness.marshalled(tests)  # each test's (path, name), handed out at its begin
                outcomes.extend(harness.run_cases(self._execute, names, orders, files, resolved, inputs)[0])
            return outcomes

        return list(self._cached(key, compute))

    def measure_growth(
        self,
        source: str,
        entry: str,
        generator_source: str,
        sizes: Sequence[int] = growth.DEFAULT_SIZES,
        *,
        limits: Limits | None = None,
    ) -> GrowthReport:
        resolved = self._resolve(limits)
        key = ("growth", source, entry, generator_source, list(sizes), resolved)

        def measure(n: int) -> CaseOutcome:
            # The input is made in an instance of its own (the generator never meets the code
            # under test) and the call is an ordinary case: the same harness, orders and input
            # shape as a hidden test, so nothing in the guest says this is a measurement.
            making = [CallCase(f"make_input({n})", [n])]
            made = self._call_cases(generator_source, "make_input", making, files=None, limits=resolved, net=False)
            args = growth.arguments(made[0])
            if isinstance(args, CaseOutcome):
                return args
            return self.call_cases(source, entry, [CallCase(f"n={n}", args)], limits=resolved)[0]

        def compute() -> GrowthReport:
            points, notes = growth.measure_series(self.map, measure, sizes, self._threads, resolved.fuel)
            return growth.report(points, notes)

        return self._cached(key, compute)

    # -- pool ------------------------------------------------------------------------------

    def map(self, func: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """Apply ``func`` to ``items`` on the sandbox's thread pool, keeping order."""
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self._threads, thread_name_prefix="sandbox")
                atexit.register(self._pool.shutdown, wait=True, cancel_futures=True)
            pool = self._pool
        return list(pool.map(func, items))

    def run_many(self, sources: Iterable[str], *, limits: Limits | None = None) -> list[RunResult]:
        """Run many programs at once, one fresh instance each, on the thread pool."""
        return self.map(lambda source: self.run(source, limits=limits), sources)

    def with_threads(self, threads: int) -> Sandbox:
        """A sandbox with the same limits and its own pool of ``threads`` workers."""
        return Sandbox(evolve(self.limits), cache_size=self._cache.size, threads=threads)


@functools.cache
def _identity(limits: str) -> str:
    digest = hashlib.sha256()
    for part in (runtime.WASM_SHA256, runtime.wasmtime_version(), limits):
        digest.update(part.encode("utf-8") + b"\0")
    package = Path(__file__).parent
    for name in sorted(p.name for p in package.glob("*.py")):  # the host and guest harness decide outcomes
        digest.update(name.encode("utf-8") + b"\0" + (package / name).read_bytes())
    return digest.hexdigest()


def _framed_source(source: str) -> bytes:
    """main.py's text as the guest reads it from the file: universal newlines, then marshalled with its length."""
    text = marshal.dumps(source.replace("\r\n", "\n").replace("\r", "\n"))
    return len(text).to_bytes(4, "little") + text


def _syntax_error(source: str, path: str) -> str:
    try:
        parse_python(source, filename=path)  # parse, never run
    except SourceTooComplex as exc:
        return f"{path}: cannot be collected: {exc.msg}"
    except SyntaxError as exc:
        return f"{path}:{exc.lineno}: SyntaxError: {exc.msg}"
    return f"{path}: cannot be collected"


def _has_fault(value: object) -> bool:
    if isinstance(value, RunResult):
        return value.status is RunStatus.SANDBOX_ERROR
    if isinstance(value, list):
        return any(isinstance(item, CaseOutcome) and item.status is CaseStatus.SANDBOX_ERROR for item in value)
    return False

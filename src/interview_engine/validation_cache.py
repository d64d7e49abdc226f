"""``interview content validate`` at scale: items checked in parallel, their checks kept by content hash.

An item (a problem, a scenario) is validated by running it, which costs seconds of sandbox time
each; most runs of the command change one item or none.  So each item's checks are kept on disk,
outside the repository (the user cache dir, or ``INTERVIEW_VALIDATE_CACHE``), under a key made of
everything that decides them:

- the item's own content (the module hashes what it validates),
- the code that validates it: every Python file of the module's package and of the engine
  (:func:`code_digest`),
- the code runner's identity (the sandbox's runtime, Wasmtime, its harness's code and limits).

A changed item, a changed validator or a changed sandbox is another key, so it is validated again.
Only an item whose checks all passed is kept: a failing check is what its author is working on, and
it may be the machine's (a wall-clock limit met under load), so it runs again next time.

Items are validated on a pool of :func:`workers` threads (sandbox runs release the GIL), and the
runner they share is bounded to as many runs at once (:class:`BoundedRunner`): nested pools inside
one item's validation would otherwise start dozens of instances on two cores, and each run's
wall-clock deadline would then measure the machine's load rather than the program.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import platformdirs

from interview_engine.content import ContentCheck
from interview_engine.converter import converter
from interview_engine.runner import CallCase, CaseOutcome, CodeRunner, GrowthReport, Limits, RunResult

__all__ = [
    "CACHE_ENV",
    "BoundedRunner",
    "ValidationCache",
    "code_digest",
    "content_key",
    "default_cache",
    "item_key",
    "validate_items",
    "workers",
]

log = logging.getLogger(__name__)

#: Where the kept checks live; empty or ``off`` turns the cache off.
CACHE_ENV = "INTERVIEW_VALIDATE_CACHE"
#: Threads that validate items at once (default: the machine's cores).
WORKERS_ENV = "INTERVIEW_VALIDATE_WORKERS"

T = TypeVar("T")


def workers() -> int:
    """How many items are validated at once: ``INTERVIEW_VALIDATE_WORKERS``, else the cores (at least 1)."""
    value = os.environ.get(WORKERS_ENV, "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    return max(1, os.cpu_count() or 1)


def item_key(*parts: Any) -> str:
    """A hash of ``parts`` (JSON-like data; anything else by its ``repr``), stable across processes."""
    text = json.dumps(parts, sort_keys=True, default=repr, ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


_digests: dict[str, str] = {}
_digests_lock = threading.Lock()


def code_digest(*packages: str) -> str:
    """A hash of every Python file of ``packages`` (path and bytes): the code that decides a check.

    Content files are not part of it (an item's own content is hashed by its module), so adding a
    scenario does not invalidate the others.
    """
    digest = hashlib.sha256()
    for package in sorted(packages):
        with _digests_lock:
            known = _digests.get(package)
        if known is None:
            known = _package_digest(package)
            with _digests_lock:
                _digests[package] = known
        digest.update(f"{package}={known}\0".encode())
    return digest.hexdigest()


def _package_digest(package: str) -> str:
    spec = importlib.util.find_spec(package)
    roots = list(spec.submodule_search_locations or []) if spec else []
    digest = hashlib.sha256()
    for root in map(Path, roots):
        for path in sorted(root.rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class ValidationCache:
    """Checks of items that passed, one JSON file per key under ``root``.  Thread-safe.

    A cache is a saving, never a reason to fail: an unreadable entry is a miss, a write that fails
    is logged and forgotten.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[ContentCheck] | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            found = converter.structure(data, list[ContentCheck])
        except FileNotFoundError:
            found = None
        except Exception:
            log.warning("validation cache entry %s unreadable: validating again", key[:12], exc_info=True)
            found = None
        with self._lock:
            if found is None:
                self.misses += 1
            else:
                self.hits += 1
        return found

    def put(self, key: str, checks: Sequence[ContentCheck]) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            partial.write_text(json.dumps(converter.unstructure(list(checks))), encoding="utf-8")
            partial.replace(path)  # atomic: a reader sees the old entry, none, or the whole new one
        except OSError:
            log.warning("validation cache entry %s not stored", key[:12], exc_info=True)


def default_cache(environ: Mapping[str, str] | None = None) -> ValidationCache | None:
    """The cache in ``INTERVIEW_VALIDATE_CACHE`` (empty or ``off``: none), else in the user cache dir."""
    env = os.environ if environ is None else environ
    value = env.get(CACHE_ENV)
    if value is not None:
        value = value.strip()
        return ValidationCache(Path(value)) if value and value.lower() != "off" else None
    return ValidationCache(Path(platformdirs.user_cache_dir("interview-engine")) / "validate")


class BoundedRunner:
    """A :class:`CodeRunner` that lets at most ``slots`` runs go at once; the others wait their turn
    before their clock starts.  Keeps the wrapped runner's ``identity``."""

    def __init__(self, inner: CodeRunner, slots: int) -> None:
        self.inner = inner
        self.identity = str(getattr(inner, "identity", "") or "")
        self._slots = threading.BoundedSemaphore(max(1, slots))

    def run(
        self, source: str, *, stdin: str = "", files: Mapping[str, str] | None = None, limits: Limits | None = None
    ) -> RunResult:
        with self._slots:
            return self.inner.run(source, stdin=stdin, files=files, limits=limits)

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
        with self._slots:
            return self.inner.call_cases(source, entry, cases, files=files, limits=limits, own_fuel=own_fuel)

    def measure_growth(
        self, source: str, entry: str, generator_source: str, sizes: Sequence[int], *, limits: Limits | None = None
    ) -> GrowthReport:
        with self._slots:
            return self.inner.measure_growth(source, entry, generator_source, sizes, limits=limits)

    def run_test_functions(
        self, files: Mapping[str, str], test_files: Sequence[str], *, limits: Limits | None = None
    ) -> list[CaseOutcome]:
        with self._slots:
            return self.inner.run_test_functions(files, test_files, limits=limits)


def content_key(runner: CodeRunner, content: Any, packages: Sequence[str]) -> str | None:
    """The key of an item's checks: its ``content`` (JSON-like), the code of ``packages`` that validates
    it and the runner's identity; ``None`` for a runner without one (its results are not promised to
    repeat, so nothing it decided is kept)."""
    identity = str(getattr(runner, "identity", "") or "")
    if not identity:
        return None
    return item_key(content, code_digest(*packages), identity)


def validate_items(
    items: Sequence[T],
    check: Callable[[CodeRunner, T], list[ContentCheck]],
    *,
    runner: CodeRunner,
    content: Callable[[T], Any],
    packages: Sequence[str],
    cache: ValidationCache | None = None,
    threads: int | None = None,
    timings: dict[str, float] | None = None,
    cost: Callable[[T], float] | None = None,
) -> list[ContentCheck]:
    """``check`` every item, ``threads`` at a time (default :func:`workers`), results in item order.

    The checks share ``runner``, bounded to ``threads`` runs at once.  An item's checks come from
    ``cache`` when its key (:func:`content_key` of ``content(item)`` and ``packages``) is there, and are
    kept there when they all passed.  ``timings`` (optional) receives the seconds of each item that
    was validated, under its first check's ``item``.  ``cost`` (optional) estimates an item's work: the
    costliest start first, so that no long item is left running alone at the end while the other
    workers idle (the pool ends when its last item does).
    """
    count = threads or workers()
    bounded = BoundedRunner(runner, count)

    def one(item: T) -> list[ContentCheck]:
        key = content_key(runner, content(item), packages) if cache is not None else None
        if key is not None and cache is not None:
            kept = cache.get(key)
            if kept is not None:
                return kept
        started = time.perf_counter()
        checks = check(bounded, item)
        if timings is not None and checks:
            timings[checks[0].item] = time.perf_counter() - started
        if key is not None and cache is not None and checks and all(c.passed for c in checks):
            cache.put(key, checks)
        return checks

    if count <= 1 or len(items) <= 1:
        return [c for item in items for c in one(item)]
    order = list(range(len(items)))
    if cost is not None:
        order.sort(key=lambda i: -cost(items[i]))  # stable: equal estimates keep the items' order
    with ThreadPoolExecutor(max_workers=min(count, len(items)), thread_name_prefix="validate") as pool:
        futures = {i: pool.submit(one, items[i]) for i in order}  # submitted costliest first
        return [c for i in range(len(items)) for c in futures[i].result()]

"""``interview content validate`` at scale: the per-item cache by content hash, the pool, the bounded runner."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from interview_engine import ContentCheck
from interview_engine.validation_cache import (
    CACHE_ENV,
    BoundedRunner,
    ValidationCache,
    code_digest,
    content_key,
    default_cache,
    item_key,
    validate_items,
)


class _Runner:
    """No runs: the checks below are plain functions; only the identity matters to the cache."""

    def __init__(self, identity: str = "sandbox 1") -> None:
        self.identity = identity


RUNNER: Any = _Runner()
PACKAGES = ("interview_engine",)


def _checks(item: str, passed: bool = True) -> list[ContentCheck]:
    return [ContentCheck(module="m", check="runs", passed=passed, detail=f"ran {item}", item=item)]


def test_an_item_whose_checks_passed_is_not_validated_again(tmp_path: Path) -> None:
    cache = ValidationCache(tmp_path)
    ran: list[str] = []

    def check(runner: Any, item: str) -> list[ContentCheck]:
        ran.append(item)
        return _checks(item)

    first = validate_items(
        ["a", "b"], check, runner=RUNNER, content=lambda item: ["content", item], packages=PACKAGES, cache=cache
    )
    second = validate_items(
        ["a", "b"], check, runner=RUNNER, content=lambda item: ["content", item], packages=PACKAGES, cache=cache
    )
    assert first == second == _checks("a") + _checks("b")
    assert sorted(ran) == ["a", "b"]
    assert (cache.hits, cache.misses) == (2, 2)


def test_a_changed_item_is_validated_again_and_the_others_are_not(tmp_path: Path) -> None:
    cache = ValidationCache(tmp_path)
    ran: list[str] = []

    def check(runner: Any, item: str) -> list[ContentCheck]:
        ran.append(item)
        return _checks(item)

    versions = {"a": "1", "b": "1"}
    validate_items(
        ["a", "b"], check, runner=RUNNER, content=lambda item: [item, versions[item]], packages=PACKAGES, cache=cache
    )
    versions["b"] = "2"
    validate_items(
        ["a", "b"], check, runner=RUNNER, content=lambda item: [item, versions[item]], packages=PACKAGES, cache=cache
    )
    assert sorted(ran) == ["a", "b", "b"]


def test_failing_checks_are_never_kept(tmp_path: Path) -> None:
    """A failure may be the machine's (a time limit under load): it runs again next time."""
    cache = ValidationCache(tmp_path)
    ran: list[str] = []

    def check(runner: Any, item: str) -> list[ContentCheck]:
        ran.append(item)
        return _checks(item, passed=False)

    for _ in range(2):
        assert validate_items(
            ["a"], check, runner=RUNNER, content=lambda item: [item], packages=PACKAGES, cache=cache
        ) == _checks("a", False)
    assert ran == ["a", "a"]
    assert not list(tmp_path.rglob("*.json"))


def test_an_item_without_a_key_is_never_cached(tmp_path: Path) -> None:
    cache = ValidationCache(tmp_path)
    ran: list[str] = []

    def check(runner: Any, item: str) -> list[ContentCheck]:
        ran.append(item)
        return _checks(item)

    for _ in range(2):
        validate_items(["a"], check, runner=_Runner(""), content=lambda item: item, packages=PACKAGES, cache=cache)
    assert ran == ["a", "a"]


def _plain(runner: Any, item: str) -> list[ContentCheck]:
    return _checks(item)


def test_an_unreadable_entry_is_a_miss_and_is_replaced(tmp_path: Path) -> None:
    cache = ValidationCache(tmp_path)
    key = content_key(RUNNER, ["a"], PACKAGES)
    assert key is not None
    validate_items(["a"], _plain, runner=RUNNER, content=lambda item: [item], packages=PACKAGES, cache=cache)
    (entry,) = tmp_path.rglob("*.json")
    entry.write_text("{not json", encoding="utf-8")
    assert cache.get(key) is None
    again = validate_items(["a"], _plain, runner=RUNNER, content=lambda item: [item], packages=PACKAGES, cache=cache)
    assert again == _checks("a")
    assert cache.get(key) == _checks("a")


def test_a_cache_folder_that_cannot_be_written_only_costs_the_saving(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    cache = ValidationCache(blocker / "validate")
    found = validate_items(["a"], _plain, runner=RUNNER, content=lambda item: [item], packages=PACKAGES, cache=cache)
    assert found == _checks("a")


def test_a_runner_without_identity_keeps_nothing() -> None:
    assert content_key(_Runner(""), ["a"], PACKAGES) is None
    assert content_key(_Runner("sandbox 2"), ["a"], PACKAGES) != content_key(RUNNER, ["a"], PACKAGES)


@given(st.lists(st.text(min_size=1, max_size=3), max_size=12), st.integers(min_value=1, max_value=4))
def test_checks_come_back_in_item_order_whatever_the_threads(items: list[str], threads: int) -> None:
    def check(runner: Any, item: str) -> list[ContentCheck]:
        time.sleep(0.001 * (len(item) % 3))
        return _checks(item)

    found = validate_items(items, check, runner=RUNNER, content=lambda item: item, packages=PACKAGES, threads=threads)
    assert found == [c for item in items for c in _checks(item)]


def test_items_are_validated_side_by_side() -> None:
    both = threading.Barrier(2, timeout=5)

    def check(runner: Any, item: str) -> list[ContentCheck]:
        both.wait()  # only returns once the other item is being validated too
        return _checks(item)

    assert (
        len(validate_items(["a", "b"], check, runner=RUNNER, content=lambda item: item, packages=PACKAGES, threads=2))
        == 2
    )


def test_the_key_follows_every_part_and_nothing_else() -> None:
    assert item_key("scenario", {"b": 1, "a": [2]}, "code", "sandbox") == item_key(
        "scenario", {"a": [2], "b": 1}, "code", "sandbox"
    )
    base = item_key("scenario", {"a": 1}, "code", "sandbox")
    assert item_key("scenario", {"a": 2}, "code", "sandbox") != base
    assert item_key("scenario", {"a": 1}, "code 2", "sandbox") != base
    assert item_key("scenario", {"a": 1}, "code", "sandbox 2") != base


def test_the_code_digest_covers_the_validators_source(tmp_path: Path, monkeypatch: Any) -> None:
    package = tmp_path / "validator_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "checks.py").write_text("LIMIT = 1\n", encoding="utf-8")
    (package / "content.toml").write_text("a = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    from interview_engine import validation_cache

    first = code_digest("validator_pkg")
    (package / "content.toml").write_text("a = 2\n", encoding="utf-8")
    validation_cache._digests.clear()
    assert code_digest("validator_pkg") == first  # content is the item's to hash, not the code's
    (package / "checks.py").write_text("LIMIT = 2\n", encoding="utf-8")
    validation_cache._digests.clear()
    assert code_digest("validator_pkg") != first


def test_the_cache_folder_comes_from_the_environment(tmp_path: Path) -> None:
    found = default_cache({CACHE_ENV: str(tmp_path / "kept")})
    assert found is not None and found.root == tmp_path / "kept"
    assert default_cache({CACHE_ENV: "off"}) is None
    assert default_cache({CACHE_ENV: ""}) is None
    default = default_cache({})
    assert default is not None and default.root.name == "validate"


class _CountingRunner:
    identity = "counting"

    def __init__(self) -> None:
        self.running = 0
        self.most = 0
        self.calls = 0
        self._lock = threading.Lock()

    def run_test_functions(self, files: Any, test_files: Any, *, limits: Any = None) -> list[Any]:
        with self._lock:
            self.running += 1
            self.calls += 1
            self.most = max(self.most, self.running)
        time.sleep(0.05)
        with self._lock:
            self.running -= 1
        return []


def test_the_bounded_runner_never_runs_more_than_its_slots_at_once() -> None:
    inner = _CountingRunner()
    bounded = BoundedRunner(inner, 2)  # type: ignore[arg-type]
    threads = [threading.Thread(target=bounded.run_test_functions, args=({}, [])) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert inner.calls == 8 and inner.most <= 2
    assert bounded.identity == "counting"


@given(st.lists(st.integers(min_value=0, max_value=9), min_size=2, max_size=12))
def test_the_costliest_items_start_first_and_results_keep_the_item_order(costs: list[int]) -> None:
    started: list[int] = []
    lock = threading.Lock()

    def check(runner: Any, item: int) -> list[ContentCheck]:
        with lock:
            started.append(item)
        return _checks(str(item))

    items = list(range(len(costs)))
    found = validate_items(
        items, check, runner=RUNNER, content=lambda i: None, packages=PACKAGES, threads=2, cost=lambda i: costs[i]
    )
    assert found == [c for i in items for c in _checks(str(i))]
    assert sorted(started) == items
    # Taken from the queue costliest first (equal costs in item order) by two workers: each item starts
    # at most one place away from its place in that order.
    expected = sorted(items, key=lambda i: -costs[i])
    assert all(abs(started.index(item) - place) <= 1 for place, item in enumerate(expected))

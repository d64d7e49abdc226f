"""The content pack: ``pack.toml``, the problems and the rubric, and the hidden tests they make.

Expected values of hidden tests live on the host only.  The reference
solution and the input generator are the pack's own trusted code, so the host
runs them natively: :func:`hidden_tests` draws the inputs, calls the
reference on a copy of them and keeps the wire encoding of the result.  Only
the inputs ever reach a runner.

The written and scale cases are the same for every session, so they are drawn and their
expected values computed once per problem and kept (each reference call deep-copies its
input: 60% of building a submit's tests); only the per-session random cases are drawn per
seed, and the last few seeds' are kept too, since a session submits more than once.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from attrs import field, frozen

from interview_engine import wire
from interview_engine._convert import as_tuple
from interview_engine.content import PackInfo, load_editorials, read_data_file, structure_content
from interview_engine.domain import Difficulty, Track
from interview_engine.errors import ContentError, NotFound
from interview_engine.rubric import RubricSpec, rubric_from_data
from interview_live_coding.problems import Problem, check_problem

__all__ = [
    "MODULE_NAME",
    "HiddenTest",
    "ProblemPack",
    "content_root",
    "expected_text",
    "hidden_tests",
    "load_pack",
    "run_reference",
]

MODULE_NAME = "live_coding"


@frozen
class HiddenTest:
    """A hidden test as the host holds it: the expected value never leaves the host.

    Kept and shared between submits: nothing may change ``args`` (they only travel to a runner,
    which copies them into the guest).
    """

    name: str
    group: str
    weight: float
    args: list[Any]
    expected: Any  # wire-encoded
    expected_text: str = ""  # ``expected`` as JSON text (:func:`expected_text`), kept with it


@frozen
class PackSettings:
    name: str
    version: str
    groups: dict[str, float]
    random: dict[str, list[int]]


@frozen
class ProblemPack:
    info: PackInfo
    group_weights: dict[str, float]
    random_sizes: tuple[int, ...] = field(converter=as_tuple)
    problems: dict[str, Problem] = field(factory=dict)
    rubrics: dict[str, RubricSpec] = field(factory=dict)
    #: problem id -> the editorial shown after a session (why the approach works, its cost, the trap)
    editorials: dict[str, str] = field(factory=dict)

    def problem(self, problem_id: object) -> Problem:
        if not isinstance(problem_id, str) or problem_id not in self.problems:
            raise NotFound(f"no coding problem {problem_id!r} (see `interview coding problems`)", field="problemId")
        return self.problems[problem_id]

    def listed(self, track: Track | None = None, difficulty: Difficulty | None = None) -> list[Problem]:
        return [
            p
            for p in sorted(self.problems.values(), key=lambda p: (p.track.value, p.difficulty.value, p.id))
            if (track is None or p.track is track) and (difficulty is None or p.difficulty is difficulty)
        ]

    def rubric(self, difficulty: Difficulty) -> RubricSpec:
        return self.rubrics[difficulty.value]


def content_root() -> Traversable:
    return resources.files("interview_live_coding") / "content"


def _load_rubrics(root: Traversable) -> dict[str, RubricSpec]:
    path = root / "rubric.toml"
    data = read_data_file(path)
    rubrics = {}
    for difficulty in Difficulty:
        if difficulty.value not in data:
            raise ContentError(f"{path}: missing the [{difficulty.value}] rubric")
        rubrics[difficulty.value] = rubric_from_data(data[difficulty.value], source=f"{path}: {difficulty.value}")
    return rubrics


def load_pack(root: Traversable | None = None) -> ProblemPack:
    """Read and validate the whole pack."""
    root = root or content_root()
    settings = structure_content(read_data_file(root / "pack.toml"), PackSettings, source=f"{root}/pack.toml")
    if not settings.groups or any(w <= 0 for w in settings.groups.values()):
        raise ContentError(f"{root}/pack.toml: groups: every weight must be positive")
    problems: dict[str, Problem] = {}
    folder = root / "problems"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        source = f"{folder}/{entry.name}"
        problem = structure_content(read_data_file(entry), Problem, source=source)
        check_problem(problem, source=source)
        problems[problem.id] = problem
    if not problems:
        raise ContentError(f"{folder}: no problems")
    return ProblemPack(
        info=PackInfo(MODULE_NAME, settings.name, settings.version),
        group_weights=settings.groups,
        random_sizes=settings.random.get("sizes", []),
        problems=problems,
        rubrics=_load_rubrics(root),
        editorials=load_editorials(root / "editorials.toml", problems),
    )


@functools.lru_cache(maxsize=256)
def _compiled(source: str, name: str) -> Callable[..., Any]:
    namespace: dict[str, Any] = {"__name__": "interview_live_coding_content"}
    exec(compile(source, f"<{name}>", "exec"), namespace)  # noqa: S102  # the pack's own trusted code, never a candidate's
    function: Callable[..., Any] = namespace[name]
    return function


def expected_text(expected: Any) -> str:
    """A wire-encoded value as compact JSON text: kept beside a kept expected value, so that comparing
    an answer with it is one comparison of text (``grading.agrees``)."""
    return json.dumps(expected, separators=(",", ":"))


def run_reference(problem: Problem, args: list[Any], kwargs: dict[str, Any] | None = None) -> Any:
    """Call the reference solution natively on a copy of ``args`` (and ``kwargs``); the wire-encoded result."""
    function = _compiled(problem.reference, problem.entry)
    return wire.encode(function(*copy.deepcopy(args), **copy.deepcopy(kwargs or {})))


def generate_input(problem: Problem, size: int, seed: int = 0) -> list[Any]:
    produced = _compiled(problem.generator, "make_input")(size, seed)
    return list(produced)


def session_seed(session_id: str, problem_id: str) -> int:
    """A per-session seed: stable for one session, different between sessions."""
    digest = hashlib.sha256(f"{session_id}:{problem_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


#: A drawn case as kept: its group, its arguments, the reference's answer (wire-encoded) and its text.
Case = tuple[str, list[Any], Any, str]


class _Drawn:
    """Inputs with their expected values, kept per problem (fixed cases) and per seed (random cases).

    Keyed by the problem object itself (by identity: a reloaded pack has new objects), bounded,
    and locked so that concurrent submits build a problem's cases once.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[int, int, int], tuple[object, list[Case]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, owner: object, key: tuple[int, int, int], build: Callable[[], list[Case]]) -> list[Case]:
        with self._lock:
            found = self._items.get(key)
            if found is not None and found[0] is owner:
                self._items.move_to_end(key)
                return found[1]
            value = build()
            self._items[key] = (owner, value)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            return value


_FIXED = _Drawn(size=256)  # written and scale cases: every problem of a pack, and a reloaded one
_RANDOM = _Drawn(size=64)  # random cases of the sessions submitting lately


def _with_expected(problem: Problem, drawn: list[tuple[str, list[Any]]]) -> list[Case]:
    cases = []
    for group, args in drawn:
        expected = run_reference(problem, args)
        cases.append((group, args, expected, expected_text(expected)))
    return cases


def _fixed_cases(problem: Problem) -> list[Case]:
    def build() -> list[Case]:
        drawn = list(problem.written_cases())
        drawn += [("scale", generate_input(problem, size, 0)) for size in problem.scale_sizes]
        return _with_expected(problem, drawn)

    return _FIXED.get(problem, (id(problem), 0, 0), build)


def _random_cases(pack: ProblemPack, problem: Problem, seed: int) -> list[Case]:
    def build() -> list[Case]:
        return _with_expected(
            problem, [("random", generate_input(problem, size, seed + 1)) for size in pack.random_sizes]
        )

    return _RANDOM.get(problem, (id(problem), hash(pack.random_sizes), seed), build)


# The growth sizes' inputs (seed 0): every size of every problem of a pack, and a reloaded one's (at
# 128, fewer than a pack's 299, a server that served every problem drew and solved them again each submit).
_GROWTH = _Drawn(size=1024)


def growth_case(problem: Problem, size: int, seed: int) -> tuple[list[Any], Any, str]:
    """The growth measurement's input at ``size``, the reference's answer to it and the answer's text,
    built once per process."""

    def build() -> list[Case]:
        return _with_expected(problem, [("growth", generate_input(problem, size, seed))])

    [(_, args, expected, text)] = _GROWTH.get(problem, (id(problem), size, seed), build)
    return args, expected, text


def hidden_tests(pack: ProblemPack, problem: Problem, seed: int) -> list[HiddenTest]:
    """Every hidden test of ``problem`` with its expected value, for the random ``seed``."""
    drawn = _fixed_cases(problem) + _random_cases(pack, problem, seed)
    counts: dict[str, int] = {}
    for group, *_ in drawn:
        counts[group] = counts.get(group, 0) + 1
    tests, seen = [], dict.fromkeys(counts, 0)
    for group, args, expected, text in drawn:
        seen[group] += 1
        tests.append(
            HiddenTest(
                name=f"{group}-{seen[group]}",
                group=group,
                weight=pack.group_weights.get(group, 0.0) / counts[group],
                args=args,
                expected=expected,
                expected_text=text,
            )
        )
    return tests

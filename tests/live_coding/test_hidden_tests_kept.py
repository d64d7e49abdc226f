"""Hidden tests: the fixed cases are built once per problem, only the random ones per session seed."""

from __future__ import annotations

import copy

import pytest

from interview_live_coding import pack as pack_module
from interview_live_coding.pack import ProblemPack, hidden_tests, run_reference
from interview_live_coding.problems import Problem


def _fresh(pack: ProblemPack, problem: Problem, seed: int) -> list[tuple[str, str, float, object, object]]:
    """What hidden_tests returned before anything was kept: drawn and computed from scratch."""
    drawn = list(problem.written_cases())
    drawn += [("scale", pack_module.generate_input(problem, size, 0)) for size in problem.scale_sizes]
    drawn += [("random", pack_module.generate_input(problem, size, seed + 1)) for size in pack.random_sizes]
    return [(group, args, run_reference(problem, args)) for group, args in drawn]  # type: ignore[misc]


def test_kept_tests_equal_freshly_built_ones(pack: ProblemPack) -> None:
    for problem in pack.problems.values():
        for seed in (7, 123456):
            kept = hidden_tests(pack, problem, seed)
            assert [(t.group, t.args, t.expected) for t in kept] == _fresh(pack, problem, seed)
            assert all(t.expected_text == pack_module.expected_text(t.expected) for t in kept)
            assert abs(sum(t.weight for t in kept) - sum(pack.group_weights[g] for g in {t.group for t in kept})) < 1e-9


def test_the_reference_runs_once_per_fixed_case_and_per_seed(
    pack: ProblemPack, lru: Problem, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []
    real = pack_module.run_reference

    def counted(problem: Problem, args: list[object]) -> object:
        calls.append(args)
        return real(problem, args)

    monkeypatch.setattr(pack_module, "run_reference", counted)
    problem = copy.copy(lru)  # a new object: nothing kept for it yet
    fixed = len(problem.written_cases()) + len(problem.scale_sizes)
    first = hidden_tests(pack, problem, 1)
    assert len(calls) == fixed + len(pack.random_sizes)
    again = hidden_tests(pack, problem, 1)  # the same session submitting again
    assert len(calls) == fixed + len(pack.random_sizes)
    assert [(t.name, t.expected) for t in again] == [(t.name, t.expected) for t in first]
    other = hidden_tests(pack, problem, 2)  # another session: only its random cases are drawn
    assert len(calls) == fixed + 2 * len(pack.random_sizes)
    assert [t.args for t in other if t.group != "random"] == [t.args for t in first if t.group != "random"]


def test_a_submit_leaves_the_kept_inputs_as_they_were(pack: ProblemPack, lru: Problem, start, sqlite_engine) -> None:  # type: ignore[no-untyped-def]
    session = start()
    seed = pack_module.session_seed(session.id, lru.id)
    kept = hidden_tests(pack, lru, seed)
    before = copy.deepcopy([(t.args, t.expected) for t in kept])
    data = sqlite_engine.act(session.id, "submit", {"source": lru.reference}).data
    assert data["correctness"] == 1.0
    assert [(t.args, t.expected) for t in hidden_tests(pack, lru, seed)] == before


def test_growth_inputs_are_built_once_and_equal_fresh_ones(
    pack: ProblemPack, lru: Problem, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[int] = []
    real = pack_module.generate_input

    def counted(problem: Problem, size: int, seed: int = 0) -> list[object]:
        drawn.append(size)
        return real(problem, size, seed)

    monkeypatch.setattr(pack_module, "generate_input", counted)
    problem = copy.copy(lru)  # a new object: nothing kept for it yet
    for size in problem.growth_sizes:
        args, expected, text = pack_module.growth_case(problem, size, 0)
        assert (args, expected) == (real(problem, size, 0), run_reference(problem, real(problem, size, 0)))
        assert text == pack_module.expected_text(expected)
    assert drawn == list(problem.growth_sizes)
    for size in problem.growth_sizes:  # the next submit's measurement: nothing drawn again
        pack_module.growth_case(problem, size, 0)
    assert drawn == list(problem.growth_sizes)


def test_a_submit_leaves_the_kept_growth_inputs_as_they_were(
    pack: ProblemPack, lru: Problem, start, sqlite_engine
) -> None:  # type: ignore[no-untyped-def]
    session = start()
    before = copy.deepcopy([pack_module.growth_case(lru, size, 0) for size in lru.growth_sizes])
    data = sqlite_engine.act(session.id, "submit", {"source": lru.reference}).data
    assert data["correctness"] == 1.0
    assert [pack_module.growth_case(lru, size, 0) for size in lru.growth_sizes] == before


def test_every_growth_size_and_fixed_set_of_the_pack_stays_kept(pack: ProblemPack) -> None:
    """A server that serves every problem keeps each one's inputs (a bound below the pack's count drew
    and solved every submit's growth inputs again)."""
    assert pack_module._GROWTH.size >= 2 * sum(len(set(p.growth_sizes)) for p in pack.problems.values())
    assert pack_module._FIXED.size >= 2 * len(pack.problems)

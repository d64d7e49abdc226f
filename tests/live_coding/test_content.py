"""The pack: 48+ problems, 8+ in every cell, each complete; bad files name the file and the field."""

from __future__ import annotations

import copy
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from attrs import evolve

from interview_engine import wire
from interview_engine.errors import ContentError
from interview_engine.runner import COMPLEXITY_CLASSES
from interview_live_coding.complexity import parse_claim
from interview_live_coding.grading import SCORED_GROUPS_EXCLUDE
from interview_live_coding.pack import ProblemPack, hidden_tests, load_pack, run_reference
from interview_live_coding.problems import Problem
from interview_live_coding.statement_examples import mismatched_examples
from interview_live_coding.validation import wrong_solutions_check


def test_every_track_and_difficulty_has_ten_problems(pack: ProblemPack) -> None:
    assert len(pack.problems) >= 60
    for track in ("backend", "frontend", "mobile"):
        for difficulty in ("mid", "senior"):
            cell = [p for p in pack.problems.values() if p.track == track and p.difficulty == difficulty]
            assert len(cell) >= 10, (track, difficulty)


def test_every_problem_is_complete(pack: ProblemPack) -> None:
    for problem in pack.problems.values():
        assert problem.title and problem.statement.strip() and problem.signature.startswith("def ")
        assert 2 <= len(problem.samples) <= 4
        assert problem.complexity in COMPLEXITY_CLASSES
        assert len(problem.wrong) >= 3 and problem.tags
        tests = hidden_tests(pack, problem, seed=1)
        assert len([t for t in tests if t.group != "random"]) >= 15
        assert {t.group for t in tests} == {"basic", "edge", "scale", "random"}
        assert abs(sum(t.weight for t in tests) - 1.0) < 1e-9


def test_random_tests_change_with_the_seed_and_scale_tests_do_not(pack: ProblemPack) -> None:
    problem = pack.problems["backend-fixed-window-limiter"]
    first, second = hidden_tests(pack, problem, 1), hidden_tests(pack, problem, 2)
    assert [t.args for t in first if t.group == "scale"] == [t.args for t in second if t.group == "scale"]
    assert [t.args for t in first if t.group == "random"] != [t.args for t in second if t.group == "random"]
    assert hidden_tests(pack, problem, 1) == first


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(str(resources.files("interview_live_coding") / "content"), root)
    return root


def test_a_bad_field_names_the_file_and_the_field(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "problems" / "backend-lru-cache.toml"
    path.write_text(path.read_text().replace('complexity = "O(n)"', 'complexity = "O(fast)"'))
    with pytest.raises(ContentError, match=r"backend-lru-cache\.toml.*complexity"):
        load_pack(root)


def test_a_missing_field_names_the_file_and_the_field(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "problems" / "backend-maintenance-windows.toml"
    path.write_text(path.read_text().replace('entry = "merge_windows"\n', ""))
    with pytest.raises(ContentError, match=r"backend-maintenance-windows\.toml.*entry"):
        load_pack(root)


def test_too_few_hidden_tests_are_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "problems" / "backend-lru-cache.toml"
    path.write_text(path.read_text().replace("scale_sizes = [200, 1000, 3000, 6000, 10000]", "scale_sizes = []"))
    with pytest.raises(ContentError, match=r"backend-lru-cache.*hidden: at least 15"):
        load_pack(root)


def test_every_statement_example_agrees_with_the_reference(pack: ProblemPack) -> None:
    shown = 0
    for problem in pack.problems.values():
        count, wrong = mismatched_examples(problem)
        assert not wrong, problem.id
        shown += count
    assert shown >= len(pack.problems) - 1  # only query-by-class builds its example's tree in prose


def test_a_statement_example_that_contradicts_its_own_rules_is_reported(pack: ProblemPack) -> None:
    """The old cascade-order example put (0,1,3) before (0,1,1), against its own specificity list."""
    problem = pack.problems["frontend-css-cascade-order"]
    right = '-> ["a", "a::after", ".btn", "nav > .btn", "ul li a:hover", "#nav a"]'
    assert right in problem.statement
    old = '-> ["a", "a::after", ".btn", "ul li a:hover", "nav > .btn", "#nav a"]'
    count, wrong = mismatched_examples(evolve(problem, statement=problem.statement.replace(right, old)))
    assert count == 1 and len(wrong) == 1 and "reference gives" in wrong[0]


def test_maintenance_window_values_stay_within_the_stated_bound(pack: ProblemPack) -> None:
    """The statement once said minutes since midnight while hidden values reach 400 000."""
    problem = pack.problems["backend-maintenance-windows"]
    assert "since midnight" not in problem.statement
    assert "0 <= start <= end <= 1 000 000" in problem.statement
    for test in hidden_tests(pack, problem, 7):
        (windows,) = test.args
        assert len(windows) <= 10_000
        assert all(0 <= start <= end <= 1_000_000 for start, end in windows), test.name


@pytest.mark.parametrize("claim", ["O(n × budget)", "O(n * budget_mb)", "O(n times budget)", "O(nW)"])
def test_the_download_budget_cost_in_two_variables_reads_as_the_declared_class(pack: ProblemPack, claim: str) -> None:
    problem = pack.problems["mobile-offline-download-budget"]
    assert "O(n × budget_mb)" in problem.statement
    assert parse_claim(claim) == problem.complexity == "O(n^2)"


def test_undo_redo_states_what_n_counts(pack: ProblemPack) -> None:
    problem = pack.problems["frontend-undo-redo-editor"]
    assert problem.complexity == "O(n)" and "n is the **total edit size**" in problem.statement


@pytest.mark.parametrize(
    ("problem_id", "wrong_name"),
    [
        ("backend-error-hotspots", "splits on whitespace runs but keeps the empty field before leading whitespace"),
        ("frontend-css-cascade-order", "specificity as a base-10 number (eleven classes outrank an id)"),
        ("frontend-markup-validator", "crashes on an empty text token (indexes token[0])"),
    ],
)
def test_plausible_wrong_solutions_are_caught_by_a_hidden_test(
    pack: ProblemPack, problem_id: str, wrong_name: str
) -> None:
    """Wrong answers the hidden tests once missed; validation runs them in the sandbox too."""
    problem = pack.problems[problem_id]
    wrong = next(w for w in problem.wrong if w.name == wrong_name)
    namespace: dict[str, Any] = {}
    exec(compile(wrong.source, wrong_name, "exec"), namespace)  # noqa: S102  # the pack's own code

    def right(args: list[Any]) -> bool:
        try:
            got = namespace[problem.entry](*copy.deepcopy(args))
        except Exception:  # noqa: BLE001  # a crash is how this wrong solution fails
            return False
        return bool(wire.same(wire.encode(got), run_reference(problem, args)))

    failing = [t.name for t in hidden_tests(pack, problem, 3) if not t.group.startswith("scale") and not right(t.args)]
    assert failing, wrong_name


def test_failing_every_scale_test_stays_under_the_pass_bar(pack: ProblemPack) -> None:
    """A right-but-too-slow answer (every scale test lost) never reaches the correctness pass rule."""
    for problem in pack.problems.values():
        counted = [t for t in hidden_tests(pack, problem, seed=1) if t.group not in SCORED_GROUPS_EXCLUDE]
        share = sum(t.weight for t in counted if t.group != "scale") / sum(t.weight for t in counted)
        bar = next(r.value for r in pack.rubric(problem.difficulty).pass_rules if r.metric == "correctness")
        assert share < bar - 0.05, (problem.id, share, bar)


def test_query_by_class_trees_keep_to_the_stated_depth(pack: ProblemPack) -> None:
    """The statement says 'at most 200 levels deep' (so recursion is allowed): every hidden tree keeps to it."""
    problem = pack.problems["frontend-query-by-class"]
    assert "at most 200 levels deep" in problem.statement

    def depth(root: dict[str, Any]) -> int:
        deepest, stack = 0, [(root, 1)]
        while stack:
            node, level = stack.pop()
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in node["children"])
        return deepest

    for seed in (1, 2, 3):
        assert all(depth(test.args[0]) <= 200 for test in hidden_tests(pack, problem, seed))


def _fails_a_written_test(problem: Problem, source: str, name: str) -> bool:
    namespace: dict[str, Any] = {}
    exec(compile(source, name, "exec"), namespace)  # noqa: S102  # the pack's own code
    for _group, args in problem.written_cases():
        try:
            got = namespace[problem.entry](*copy.deepcopy(args))
        except Exception:  # noqa: BLE001  # a crash is one way a wrong solution fails
            return True
        if not wire.same(wire.encode(got), run_reference(problem, args)):
            return True
    return False


def test_every_wrong_answer_fails_a_scored_written_test(pack: ProblemPack) -> None:
    """A wrong solution (not a too-slow one) must fail a basic or edge test: the random tests are never
    scored and the scale tests are the slow answers' to fail, so a wrong answer caught only there keeps
    the score of a right one (text-wrap's greedy filling once was)."""
    uncaught = [
        (problem.id, wrong.name)
        for problem in pack.problems.values()
        for wrong in problem.wrong
        if not wrong.at_scale and not _fails_a_written_test(problem, wrong.source, wrong.name)
    ]
    assert not uncaught


def test_every_problem_has_a_too_slow_wrong_solution(pack: ProblemPack) -> None:
    """Issue 19: each problem carries a right-but-too-slow answer (``at_scale``), so validation proves its
    scale tests catch an answer of the wrong complexity; without one, nothing shows they would."""
    missing = [problem.id for problem in pack.problems.values() if not any(w.at_scale for w in problem.wrong)]
    assert not missing


def test_a_problem_without_a_too_slow_wrong_solution_fails_validation(pack: ProblemPack) -> None:
    problem = pack.problems["backend-lru-cache"]
    assert wrong_solutions_check(problem).passed
    only_wrong = [w for w in problem.wrong if not w.at_scale]
    failed = wrong_solutions_check(evolve(problem, wrong=only_wrong))
    assert not failed.passed and "at scale: none" in failed.detail
    assert not wrong_solutions_check(evolve(problem, wrong=problem.wrong[:2])).passed

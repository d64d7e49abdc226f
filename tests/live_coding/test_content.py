"""The pack: 24+ problems over every cell, each complete; bad files name the file and the field."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest

from interview_engine.errors import ContentError
from interview_engine.runner import COMPLEXITY_CLASSES
from interview_live_coding.pack import ProblemPack, hidden_tests, load_pack


def test_every_track_and_difficulty_has_four_problems(pack: ProblemPack) -> None:
    assert len(pack.problems) >= 24
    for track in ("backend", "frontend", "mobile"):
        for difficulty in ("mid", "senior"):
            cell = [p for p in pack.problems.values() if p.track == track and p.difficulty == difficulty]
            assert len(cell) >= 4, (track, difficulty)


def test_every_problem_is_complete(pack: ProblemPack) -> None:
    for problem in pack.problems.values():
        assert problem.title and problem.statement.strip() and problem.signature.startswith("def ")
        assert 2 <= len(problem.samples) <= 4
        assert problem.complexity in COMPLEXITY_CLASSES
        assert len(problem.wrong) >= 2 and problem.tags
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

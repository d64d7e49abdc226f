"""The host's own handling of scratch dirs: fd-relative, no-follow, iterative, bounded."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from interview_sandbox import scratch


def _deep(root: Path, depth: int) -> None:
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    for _ in range(depth):
        os.mkdir("d", dir_fd=fd)
        child = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = child
    with open(os.open("leaf", os.O_WRONLY | os.O_CREAT, dir_fd=fd), "w") as leaf:
        leaf.write("x")
    os.close(fd)


def test_remove_tree_takes_any_depth_without_recursion(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    _deep(run, 400)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(150)  # far below the tree's depth: a recursive removal would fail
    try:
        assert scratch.remove_tree(run)
    finally:
        sys.setrecursionlimit(limit)
    assert not run.exists()


def test_remove_tree_removes_links_never_their_targets(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("host data")
    run = tmp_path / "run"
    (run / "sub").mkdir(parents=True)
    (run / "to-file").symlink_to(outside / "keep.txt")
    (run / "sub" / "to-dir").symlink_to(outside)
    (run / "up").symlink_to("../../../../../../../../" + str(outside).lstrip("/"))
    os.mkfifo(run / "fifo")
    assert scratch.remove_tree(run)
    assert (outside / "keep.txt").read_text() == "host data"


def test_police_never_follows_or_opens_special_files(tmp_path):
    victim = tmp_path / "victim"
    victim.write_bytes(b"v" * 100_000)
    work = tmp_path / "work"
    work.mkdir()
    (work / "big").write_bytes(b"x" * 200_000)
    (work / "link").symlink_to(victim)
    (work / "dirlink").symlink_to(tmp_path)
    os.mkfifo(work / "fifo")  # opening it for writing would block forever without O_NONBLOCK
    usage = scratch.police(work, truncate=True)
    assert usage.bytes >= 200_000 and usage.entries == 4
    assert (work / "big").stat().st_size == 0
    assert victim.read_bytes() == b"v" * 100_000


def test_police_counts_every_entry_and_depth(tmp_path):
    for i in range(301):
        (tmp_path / f"e{i}").touch()  # empty files count as much as full ones
    usage = scratch.police(tmp_path)
    assert usage.entries == 301 and usage.bytes == 0
    assert "more than 300" in usage.over(max_entries=300)
    assert not usage.over()
    deep = tmp_path / "deep"
    deep.mkdir()
    _deep(deep, scratch.SCRATCH_DEPTH + 5)
    assert scratch.police(deep).too_deep
    assert "deeper" in scratch.police(deep).over()


def test_sweep_removes_run_dirs_of_dead_processes_only(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    left = tmp_path / f"{scratch.PREFIX}{dead_pid}-abc123"
    (left / "work").mkdir(parents=True)
    (left / "work" / "f").write_text("x")
    mine = tmp_path / f"{scratch.PREFIX}{os.getpid()}-def456"
    mine.mkdir()
    parent = tmp_path / f"{scratch.PREFIX}{os.getppid()}-ghi789"
    parent.mkdir()
    other = tmp_path / "interview-sbx-not-a-run-dir"
    other.mkdir()
    assert scratch.sweep_leftovers(tmp_path) == [left]
    assert not left.exists() and mine.exists() and parent.exists() and other.exists()


def test_sweep_removes_old_run_dirs_of_the_naming_without_a_pid(tmp_path):
    old = tmp_path / f"{scratch.PREFIX}k3j_9xqa"  # tempfile.mkdtemp(prefix="interview-sbx-"), as before the pid
    (old / "work" / "deep").mkdir(parents=True)
    (old / "work" / "deep" / "f").write_text("x")
    recent = tmp_path / f"{scratch.PREFIX}abcdefgh"  # may belong to a live process of the old code
    recent.mkdir()
    linked = tmp_path / f"{scratch.PREFIX}zzzzzzzz"  # a link is never followed nor removed as a dir
    target = tmp_path / "target"
    target.mkdir()
    (target / "keep").write_text("host data")
    linked.symlink_to(target)
    long_ago = time.time() - scratch.LEGACY_AGE_S - 60
    for path in (old, linked):
        os.utime(path, (long_ago, long_ago), follow_symlinks=False)
    assert scratch.sweep_leftovers(tmp_path) == [old]
    assert not old.exists() and recent.exists() and linked.is_symlink() and (target / "keep").read_text() == "host data"


@pytest.fixture
def fresh_base(monkeypatch):
    """``scratch.base_dir`` decided again for this test (it is decided once per process)."""
    scratch.base_dir.cache_clear()
    yield monkeypatch
    scratch.base_dir.cache_clear()


def test_run_dirs_carry_the_pid(tmp_path, fresh_base):
    fresh_base.setenv("INTERVIEW_SANDBOX_SCRATCH", str(tmp_path))
    run = scratch.make_run_dir()
    assert run.parent == tmp_path
    assert run.name.startswith(f"{scratch.PREFIX}{os.getpid()}-")
    assert scratch.remove_tree(run)


def test_run_dirs_go_to_shm_only_with_room_for_many_runs(tmp_path, fresh_base):
    fresh_base.delenv("INTERVIEW_SANDBOX_SCRATCH", raising=False)
    fresh_base.setattr("tempfile.tempdir", str(tmp_path))
    real = os.statvfs

    def small_shm(path):
        found = real(path)
        if str(path) != "/dev/shm":
            return found
        return os.statvfs_result((*found[:4], (64 << 20) // found.f_frsize, *found[5:]))

    fresh_base.setattr(os, "statvfs", small_shm)  # a container's 64 MB /dev/shm
    assert scratch.base_dir() == tmp_path
    scratch.base_dir.cache_clear()
    fresh_base.setattr(os, "statvfs", real)
    shm = Path("/dev/shm")
    roomy = shm.is_dir() and real(shm).f_bavail * real(shm).f_frsize >= scratch.SHM_FREE_BYTES
    assert scratch.base_dir() == (shm if roomy and os.access(shm, os.W_OK) else tmp_path)


def test_sweep_without_a_dir_looks_in_the_base_and_the_temp_dir(tmp_path, fresh_base):
    base, temp = tmp_path / "base", tmp_path / "temp"
    base.mkdir()
    temp.mkdir()
    fresh_base.setenv("INTERVIEW_SANDBOX_SCRATCH", str(base))
    fresh_base.setattr("tempfile.tempdir", str(temp))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    left = [root / f"{scratch.PREFIX}{int(dead.stdout)}-abc123" for root in (base, temp)]
    for path in left:
        path.mkdir()
    assert sorted(scratch.sweep_leftovers()) == sorted(left)


def test_police_count_and_empty_a_removed_file_still_held_open(tmp_path):
    with (tmp_path / "gone").open("wb") as held:
        held.write(b"x" * 2**20)
        held.flush()
        (tmp_path / "gone").unlink()
        assert scratch.police(tmp_path).bytes >= 2**20
        scratch.police(tmp_path, truncate=True)
        assert os.fstat(held.fileno()).st_size == 0
        assert scratch.police(tmp_path).bytes == 0

"""The host's side of a run's scratch dir: make it, police it, remove it, sweep leftovers.

Everything in a scratch dir may have been made by hostile code, and it may still be
changing while the host looks at it.  So every call here is fd-relative and never
follows a link (``O_NOFOLLOW`` from a directory fd the host opened itself), opens
files with ``O_NONBLOCK`` and checks ``S_ISREG`` before touching them (a FIFO or a
device is never read, written or waited on), and walks trees iteratively with a
bound on entries and depth, so no guest-made tree can make the host recurse, hang
or allocate without bound.  (The guest cannot make links at all: the linker answers
``path_symlink`` and ``path_link`` with ``EPERM``, see :mod:`interview_sandbox.instance`;
this module does not rely on it.)  A file the guest removed while it holds it open has no name
to walk to, so the police also read which files this process holds open under the dir
(``/proc/self/fd``): on ``/dev/shm`` such a file is memory until the run ends.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import stat
import tempfile
import time
from collections.abc import Generator
from pathlib import Path

from attrs import frozen

PREFIX = "interview-sbx-"
SCRATCH_BYTES = 64 * 1024 * 1024
SCRATCH_ENTRIES = 4096  # files and dirs of one run; every entry counts, empty or not
SCRATCH_DEPTH = 32
SHM_FREE_BYTES = 32 * SCRATCH_BYTES  # 2 GiB free, or run dirs stay in the temp dir (see base_dir)
# A policing pass stops reading after this many entries; past SCRATCH_ENTRIES the run is
# already over its cap, the rest of the walk only truncates what it finds.
_WALK_LIMIT = 100_000
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_WRONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_RUN_DIR = re.compile(rf"^{re.escape(PREFIX)}(\d+)-[A-Za-z0-9_]+$")
# Before run dirs carried their pid they were ``interview-sbx-`` and tempfile's 8 random characters:
# whose they were cannot be told, so one is removed once untouched for longer than any run lasts.
_LEGACY_RUN_DIR = re.compile(rf"^{re.escape(PREFIX)}[a-z0-9_]{{8}}$")
LEGACY_AGE_S = 15 * 60

log = logging.getLogger(__name__)


@frozen
class Usage:
    """What one policing pass found in a scratch dir."""

    bytes: int
    entries: int
    too_deep: bool

    def over(self, max_bytes: int = SCRATCH_BYTES, max_entries: int = SCRATCH_ENTRIES) -> str:
        """Which cap is exceeded, in words ("" when none)."""
        if self.bytes > max_bytes:
            return f"scratch files over {max_bytes // (1024 * 1024)} MiB"
        if self.entries > max_entries:
            return f"more than {max_entries} scratch files and dirs"
        if self.too_deep:
            return f"scratch dirs nested deeper than {SCRATCH_DEPTH}"
        return ""


@functools.cache
def base_dir() -> Path:
    """Where run dirs are made: ``INTERVIEW_SANDBOX_SCRATCH``, else ``/dev/shm``, else the temp dir.

    Every run makes a dir, two FIFOs and a few files and removes them again; on a disk file system
    that is ~1.5 ms of kernel time a run (ext4 searches its inode table for an inode not recently
    freed), on tmpfs a few microseconds.  ``/dev/shm`` is taken only when it is a writable dir with
    room for many runs at their cap (:data:`SHM_FREE_BYTES`: a container's 64 MB ``/dev/shm`` would
    let one run's files make another's fail).  Memory use is bounded as on disk: the police empty a
    run's files past :data:`SCRATCH_BYTES`.
    """
    override = os.environ.get("INTERVIEW_SANDBOX_SCRATCH")
    if override:
        return Path(override)
    shm = Path("/dev/shm")  # noqa: S108 - mkdtemp makes a private 0700 dir there, as in /tmp
    with contextlib.suppress(OSError):
        free = os.statvfs(shm)
        if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) and free.f_bavail * free.f_frsize >= SHM_FREE_BYTES:
            return shm
    return Path(tempfile.gettempdir())


def make_run_dir() -> Path:
    """A fresh private run dir named after this process, so a later start can tell it is dead."""
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=base_dir()))


def _entries(dir_fd: int) -> Generator[os.DirEntry[str], None, None]:
    with contextlib.suppress(OSError), os.scandir(dir_fd) as entries:
        yield from entries


def _open_dir(name: str, dir_fd: int | None = None) -> int | None:
    try:
        return os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
    except OSError:
        return None


def police(root: Path, *, truncate: bool = False, held: list[tuple[str, str]] | None = None) -> Usage:
    """Measure ``root`` (blocks really used, entries, depth); with ``truncate``, empty every regular file.

    Files the guest removed but holds open count too, found in ``held`` (:func:`held_files`, read
    now when not given).

    Iterative with an explicit stack of directory fds (at most :data:`SCRATCH_DEPTH` + 1 open);
    deeper dirs are not entered, they only mark the tree as too deep.
    """
    top = _open_dir(str(root))
    if top is None:
        return Usage(0, 0, False)
    total = count = 0
    too_deep = False
    stack: list[tuple[int, Generator[os.DirEntry[str], None, None]]] = [(top, _entries(top))]
    try:
        while stack and count < _WALK_LIMIT:
            dir_fd, entries = stack[-1]
            entry = next(entries, None)
            if entry is None:
                entries.close()
                os.close(dir_fd)
                stack.pop()
                continue
            count += 1
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            total += info.st_blocks * 512
            if stat.S_ISDIR(info.st_mode):
                if len(stack) > SCRATCH_DEPTH:
                    too_deep = True
                    continue
                child = _open_dir(entry.name, dir_fd)
                if child is not None:
                    stack.append((child, _entries(child)))
            elif truncate and stat.S_ISREG(info.st_mode) and info.st_blocks:
                _truncate(entry.name, dir_fd)
    finally:
        for dir_fd, entries_left in stack:
            entries_left.close()
            os.close(dir_fd)
    for link, info in _unlinked_open_files(root, held):
        total += info.st_blocks * 512
        if truncate and info.st_blocks:
            _truncate_open(link, info)
    return Usage(total, count, too_deep)


def held_files() -> list[tuple[str, str]]:
    """What this process holds open, as (``/proc/self/fd`` link, the path it reads); one listing serves every run.

    The guest's open files are the host's fds (Wasmtime opens them for it), so a file it opened,
    removed and keeps writing to is here and nowhere in its tree.
    """
    held = []
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return []
    for fd in fds:
        link = f"/proc/self/fd/{fd}"
        with contextlib.suppress(OSError):
            held.append((link, os.readlink(link)))
    return held


def _unlinked_open_files(
    root: Path, held: list[tuple[str, str]] | None
) -> Generator[tuple[str, os.stat_result], None, None]:
    """Regular files under ``root`` that this process holds open and that have no name left."""
    prefix = os.path.realpath(root) + "/"
    for link, target in held_files() if held is None else held:
        if not target.startswith(prefix):
            continue
        try:
            info = os.stat(link)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and info.st_nlink == 0:
            yield link, info


def _truncate_open(link: str, info: os.stat_result) -> None:
    """Empty the file ``link`` reaches if it is still the regular file ``info`` describes."""
    try:
        fd = os.open(link, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        now = os.fstat(fd)
        if stat.S_ISREG(now.st_mode) and (now.st_dev, now.st_ino) == (info.st_dev, info.st_ino):
            os.ftruncate(fd, 0)
    except OSError:
        pass
    finally:
        os.close(fd)


def _truncate(name: str, dir_fd: int) -> None:
    try:
        fd = os.open(name, _FILE_FLAGS, dir_fd=dir_fd)
    except OSError:
        return
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            os.ftruncate(fd, 0)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_tree(root: Path) -> bool:
    """Remove ``root`` and everything in it without recursion, following nothing.

    Each subdirectory's entries are moved up into ``root`` (``renameat`` moves a link, never
    its target), then the emptied subdirectory is removed, so at most two directory fds are
    open and the depth of the tree costs nothing.  Returns whether ``root`` is gone.
    """
    top = _open_dir(str(root))
    if top is None:
        with contextlib.suppress(OSError):
            os.unlink(root)  # a plain file or a link where a run dir was: remove the name only
        return not os.path.lexists(root)
    hoisted = 0
    try:
        while True:
            names = [entry.name for entry in _entries(top)]
            if not names:
                break
            progress = False
            for name in names:
                try:
                    os.unlink(name, dir_fd=top)
                    progress = True
                    continue
                except IsADirectoryError:
                    pass
                except PermissionError:  # Linux answers EISDIR as EPERM for unlink on a dir
                    pass
                except OSError:
                    continue
                sub = _open_dir(name, top)
                if sub is None:
                    continue
                try:
                    for child in [entry.name for entry in _entries(sub)]:
                        for _attempt in range(8):
                            hoisted += 1
                            try:
                                os.rename(child, f".rm-{hoisted}", src_dir_fd=sub, dst_dir_fd=top)
                                progress = True
                                break
                            except OSError:
                                continue
                finally:
                    os.close(sub)
                with contextlib.suppress(OSError):
                    os.rmdir(name, dir_fd=top)
                    progress = True
            if not progress:
                break
    finally:
        os.close(top)
    with contextlib.suppress(OSError):
        os.rmdir(root)
    gone = not os.path.lexists(root)
    if not gone:
        log.error("could not remove the sandbox run dir %s", root)
    return gone


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    return True


def _legacy_leftover(entry: os.DirEntry[str]) -> bool:
    """A run dir of the naming without a pid: ours, a real dir (not a link), untouched for :data:`LEGACY_AGE_S`."""
    if _LEGACY_RUN_DIR.match(entry.name) is None:
        return False
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and time.time() - info.st_mtime > LEGACY_AGE_S


def sweep_leftovers(tmp: Path | None = None) -> list[Path]:
    """Remove run dirs left by sandbox processes that died mid-run (``kill -9``), of every naming; returns them.

    ``interview-sbx-<pid>-*`` when ``pid`` is not alive; ``interview-sbx-<8 characters>`` (the
    naming before the pid) when untouched for :data:`LEGACY_AGE_S`.  Without ``tmp``: in
    :func:`base_dir` and in the temp dir (where run dirs were made before).
    """
    if tmp is None:
        bases = dict.fromkeys([base_dir(), Path(tempfile.gettempdir())])
        return [path for base in bases for path in sweep_leftovers(base)]
    base = Path(tmp)
    removed = []
    try:
        candidates = list(os.scandir(base))
    except OSError:
        return []
    for entry in candidates:
        match = _RUN_DIR.match(entry.name)
        if match is None:
            if not _legacy_leftover(entry):
                continue
        elif int(match.group(1)) == os.getpid() or _alive(int(match.group(1))):
            continue
        path = base / entry.name
        if remove_tree(path):
            removed.append(path)
    if removed:
        log.info("removed %d sandbox run dirs of dead processes", len(removed))
    return removed

"""How a fresh guest interpreter starts without listing the stdlib.

Measured with strace and perf: Wasmtime's WASI answers a directory read with one
host ``statx`` per entry, each on its blocking thread pool, and wasi-libc reads a
directory again for every 4 KiB of entries.  CPython lists a directory the first
time it imports from it, so a hello-world listed the 200-entry stdlib dir and the
123-entry ``encodings`` dir: ~650 ``statx`` and ~1500 context switches per run,
most of the run's system time, and the reason two threads barely beat one.

So every run starts like this:

* the three codecs CPython imports while it starts come from a small zip first on
  ``PYTHONPATH`` (built by :mod:`interview_sandbox.runtime`); the prelude then puts the
  stdlib's ``encodings`` dir back on ``encodings.__path__``, so every other codec loads;
* the prelude hands the stdlib dir's ``FileFinder`` the listing the host made, with the
  dir's mtime: CPython checks that mtime on each import (one stat) and lists the dir
  itself again if it ever changed, so a stale listing cannot hide a module.
"""

from __future__ import annotations

import os
from pathlib import Path

GUEST_LIB = "/usr/local/lib"
GUEST_STDLIB = f"{GUEST_LIB}/python3.11"

_PRELUDE = """\
import sys as _sys, encodings as _encodings
_encodings.__path__.append({stdlib!r} + '/encodings')
def _seed(path, mtime, names):
    for hook in _sys.path_hooks:
        try:
            finder = hook(path)
        except ImportError:
            continue
        if hasattr(finder, '_path_cache'):
            finder._path_cache, finder._path_mtime = set(names.split('/')), mtime
            _sys.path_importer_cache[path] = finder
        return
_seed({stdlib!r}, {mtime!r}, {names!r})
del _sys, _encodings, _seed
"""


def listing(stdlib: Path) -> tuple[float, list[str]]:
    """The stdlib dir's mtime and entries, read in that order: a change in between fails the guest's check."""
    mtime = os.stat(stdlib).st_mtime
    return mtime, sorted(os.listdir(stdlib))


def prelude(lib: Path) -> str:
    """Guest code that runs before anything else in every instance."""
    mtime, names = listing(lib / "python3.11")
    return _PRELUDE.format(stdlib=GUEST_STDLIB, mtime=mtime, names="/".join(names))


def environment(boot_zip_name: str) -> list[tuple[str, str]]:
    return [
        ("PYTHONHOME", "/usr/local"),
        ("PYTHONPATH", f"{GUEST_LIB}/{boot_zip_name}"),
        ("PYTHONHASHSEED", "0"),
        ("PYTHONDONTWRITEBYTECODE", "1"),
    ]

"""pytest for the guest: the host's pinned, pure-Python pytest, read-only inside every run.

Regression tests and the scenarios' own tests may ``import pytest`` (for ``pytest.raises``,
``pytest.approx``...).  The sandbox package pins pytest and its pure-Python dependencies; on
first use their packages are copied from the host's installation into the runtime's lib dir
(which every guest sees read-only at ``/usr/local/lib``), compiled to unchecked-hash ``.pyc``
when the host's bytecode is the guest's, and published with one atomic rename, so a half-made
copy is never seen.  The folder's name carries the versions: a new pin is a new folder, and
worktrees on another pin share the cache unharmed.  The harness puts the folder on ``sys.path``
of test runs only.
"""

from __future__ import annotations

import compileall
import importlib.metadata
import importlib.util
import os
import py_compile
import shutil
import tempfile
from pathlib import Path

__all__ = ["PACKAGES", "folder_name", "guest_path", "install"]

#: The top-level names pytest imports (``py.py`` is its shim module); all pure Python.
PACKAGES = ("pytest", "_pytest", "pluggy", "iniconfig", "packaging", "pygments", "py")


def folder_name() -> str:
    versions = "-".join(importlib.metadata.version(d) for d in ("pytest", "pluggy", "pygments"))
    return f"site-pytest-{versions}"


def guest_path(guest_lib: str) -> str:
    """Where the guest finds the folder (under its read-only ``/usr/local/lib``)."""
    return f"{guest_lib}/{folder_name()}"


def _source(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"{name} is not installed on the host (it is a dependency of interview-sandbox)")
    origin = Path(spec.origin)
    return origin.parent if origin.name == "__init__.py" else origin


def install(lib: Path, scratch: Path, *, compile_pyc: bool) -> Path:
    """Lay the folder in ``lib`` once (callers hold the runtime lock); returns it.

    It is made in ``scratch`` (outside the runtime, whose files are checked) on the same file
    system, then renamed into place.
    """
    target = lib / folder_name()
    if target.is_dir():
        return target
    scratch.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=scratch, prefix="site-pytest-"))
    try:
        for name in PACKAGES:
            source = _source(name)
            if source.is_dir():
                shutil.copytree(source, staging / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy2(source, staging / source.name)
        if compile_pyc:
            compileall.compile_dir(
                str(staging),
                quiet=2,
                ddir=str(target),
                invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
            )
        for folder, _dirs, files in os.walk(staging):
            for file in files:
                os.chmod(os.path.join(folder, file), 0o444)
        os.rename(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target

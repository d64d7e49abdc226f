"""The runtime cache is checked before use: a damaged file is a sandbox fault, never the candidate's.

Every file the guest or the host loads from the cache (``python.wasm``, the stdlib and its
``.pyc``, the boot zip, the compiled module) has its sha256 in a manifest next to the
install stamp (``manifest-1.json``; older code ignores it, so worktrees on other versions
share the cache unharmed).  The manifest is made once, when the install is fresh or was
made before manifests existed, and ``python.wasm`` is always held to the pinned hash.

Hashing 54 MB on every process start would cost ~0.3 s, so each entry also keeps the
file's size, inode and ``ctime``; a file is hashed again only when one of them changed.
``ctime`` cannot be set back by any call a process makes, so content that changed in place
(a truncation, an append, a copy over) is always re-hashed.  ``verify(full=True)`` hashes
everything (``python -m interview_sandbox doctor``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

MANIFEST = "manifest-1.json"
log = logging.getLogger(__name__)


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _fingerprint(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_ino, info.st_ctime_ns]


def runtime_files(root: Path) -> list[str]:
    """Every regular file of the install (relative paths), except the stamp, manifest and lock files.

    Hidden dirs are work in progress (the snapshot's build dir, ``.snapshot-*``), never part of the
    install: recording their files would make the next check, after the build removed them, see damage
    and lay the whole runtime again under every process sharing the cache.
    """
    names = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        for name in files:
            rel = os.path.relpath(os.path.join(folder, name), root)
            if rel not in ("ready.json", MANIFEST) and not name.endswith((".tmp", ".lock")):
                names.append(rel)
    return sorted(names)


def _write(root: Path, entries: dict[str, list[object]]) -> None:
    fd, tmp = tempfile.mkstemp(dir=root, suffix=".tmp")
    with os.fdopen(fd, "w") as out:
        json.dump({"files": entries}, out)
    os.replace(tmp, root / MANIFEST)


def verify(root: Path, *, wasm_sha256: str, full: bool = False) -> list[str]:
    """The damaged files of the install at ``root`` ([] when every file is as recorded).

    A file absent from the manifest (made by a later stage, e.g. the compiled module for a
    new Wasmtime) is hashed and recorded; a recorded file that is missing or changed is damage.
    """
    try:
        entries: dict[str, list[object]] = json.loads((root / MANIFEST).read_text())["files"]
    except (OSError, ValueError, KeyError, TypeError):
        entries = {}
    damaged: list[str] = []
    changed = False
    present = set(runtime_files(root))
    for rel in sorted(set(entries) | present):
        path = root / rel
        try:
            info = os.stat(path, follow_symlinks=False)
        except OSError:
            damaged.append(rel)
            continue
        recorded = entries.get(rel)
        if recorded is not None and not full and recorded[1:] == _fingerprint(info):
            continue
        digest = _digest(path)
        pinned = wasm_sha256 if rel == "python.wasm" else (recorded[0] if recorded is not None else digest)
        if digest != pinned:
            damaged.append(rel)
        else:
            entries[rel] = [digest, *_fingerprint(info)]
            changed = True
    if changed and not damaged:
        _write(root, entries)
    if damaged:
        log.error("the sandbox runtime cache at %s is damaged: %s", root, ", ".join(damaged[:10]))
    return damaged


def forget(root: Path) -> None:
    """Drop the manifest (before a re-install lays the runtime again)."""
    (root / MANIFEST).unlink(missing_ok=True)


def forget_file(root: Path, rel: str) -> None:
    """Drop one file's entry (it is about to be made again, e.g. the compiled module)."""
    try:
        entries = json.loads((root / MANIFEST).read_text())["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return
    entries.pop(rel, None)
    _write(root, entries)

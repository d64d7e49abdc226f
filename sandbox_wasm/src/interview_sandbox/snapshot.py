"""A pre-initialised interpreter: every run starts from one snapshot, never from a cold CPython.

Built once by ``python -m interview_sandbox fetch`` (``make setup``) and kept in the runtime's
cache dir, keyed by everything that decides its content:

1. :func:`interview_sandbox.wasm_edit.add_entry_points` gives ``python.wasm`` an init export
   and a run export;
2. Wizer (npm ``@bytecodealliance/wizer``, pinned by ``sandbox_wasm/wizer/package-lock.json``
   and its binary's sha256 here) instantiates it, calls the init export, which starts CPython
   as ``python -S -c`` would, sets up the stdlib importer (:mod:`interview_sandbox.startup`),
   initialises the compiler's AST types and imports the modules programs commonly use; then
   Wizer writes the instance's memory and globals out as a new module;
3. Wasmtime compiles that module once; each run instantiates it from the serialised module,
   whose memory image Wasmtime maps copy-on-write, so a run starts from a pristine copy in
   microseconds and nothing one run does reaches another.

A run calls the run export, whose program is one call of a function the init program defined
(so no run parses it), which reads its program from stdin (:func:`frame_stdin`: a
length, then the program as a marshalled code object or source) and leaves the rest of stdin
to the program.  The program ends as ``python -c`` would (atexit handlers, flushed streams, the
exit status of ``SystemExit``, a traceback and status 1 for an uncaught exception), but skips the
interpreter's teardown.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import marshal
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import CodeType

from interview_sandbox import startup, wasm_edit
from interview_sandbox.errors import RuntimeUnavailable

RUN_EXPORT = wasm_edit.RUN_EXPORT
SNAPSHOT_VERSION = 1
WIZER_VERSION = "10.0.0"
WIZER_SHA256 = "bd74fcd8677c5c511f8a7b053965d774bf0534109638a8e1b015d6190d26cb6e"  # linux-x64
_PACKAGE_DIR = Path(__file__).resolve().parents[2] / "wizer"
WIZER_BINARY = "node_modules/@bytecodealliance/wizer-linux-x64/wizer"

# Imported while the snapshot is made: what programs and the harness commonly import, so a run
# pays nothing for them.  Not ``random`` (it would keep the seed it drew while the snapshot was
# made instead of the run's seeded ``random_get``), nothing that starts threads or holds files.
PRELOADED = (
    "abc",
    "bisect",
    "collections",
    "copy",
    "dataclasses",
    "enum",
    "functools",
    "heapq",
    "itertools",
    "json",
    "math",
    "operator",
    "re",
    "string",
    "typing",
)

_INIT = """\
import gc as _gc, sys as _s
_s.path.insert(0, '')  # what `python -c` puts first (Py_RunMain would; the snapshot never calls it)
{prelude}
compile('pass', '<warm-up>', 'exec')  # initialises the AST types once (17 M fuel per run otherwise)
{imports}
{run_function}
compile({run_source!r}, '<warm-up>', 'exec')  # the allocator's state at a run's start as when runs parsed it
_gc.collect()
_gc.freeze()  # what the snapshot holds is never collected: runs skip scanning it
del _gc, _s
"""

# Defined while the snapshot is made, so a run never parses it: the run export's own program is
# one call (parsing this function in the guest was a fifth of a hello-world run's CPU).
_RUN_FUNCTION = """\
def _sandbox_run():
    import os, sys, marshal
    def read(n):
        parts = []
        while n > 0:
            chunk = os.read(0, n)
            if not chunk:
                break
            parts.append(chunk)
            n -= len(chunk)
        return b''.join(parts)
    code = marshal.loads(read(int.from_bytes(read(4), 'little')))
    if isinstance(code, str):
        code = compile(code, '<string>', 'exec')
    status = 0
    try:
        exec(code, sys.modules['__main__'].__dict__)
    except SystemExit as exc:
        status = exc.code
        if status is None:
            status = 0
        elif not isinstance(status, int):
            try:
                print(status, file=sys.stderr)
            except BaseException:
                pass
            status = 1
    except BaseException:
        kind, value, tb = sys.exc_info()
        try:
            value.__traceback__ = tb.tb_next  # from the program's own frame, as `python -c` shows it
            sys.excepthook(kind, value, tb.tb_next)
        except BaseException:
            pass
        status = 1
    import atexit
    atexit._run_exitfuncs()
    flushed = True
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is None or stream.closed:
                continue
        except BaseException:
            pass
        try:
            stream.flush()
        except BaseException:
            flushed = False
    os._exit(status if flushed and -2**31 <= status < 2**31 else 120 if not flushed else 1)
"""

_RUN = "_sandbox_run()\n"


def init_program(lib: Path) -> str:
    imports = (
        "\n".join(f"import {name}" for name in PRELOADED)
        + "\ndel "
        + ", ".join(name.split(".")[0] for name in PRELOADED)
    )
    prelude = startup.prelude(lib)
    return _INIT.format(prelude=prelude, imports=imports, run_function=_RUN_FUNCTION, run_source=_RUN_FUNCTION)


def run_program() -> str:
    return _RUN


def wizer_path() -> Path:
    override = os.environ.get("INTERVIEW_SANDBOX_WIZER")
    return Path(override) if override else _PACKAGE_DIR / WIZER_BINARY


def snapshot_key(wasm_sha256: str, lib: Path) -> str:
    """A hash of everything the snapshot's content depends on."""
    parts = [str(SNAPSHOT_VERSION), wasm_sha256, WIZER_VERSION, init_program(lib), run_program()]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:16]


def _verified_wizer() -> Path:
    path = wizer_path()
    if not path.is_file():
        raise RuntimeUnavailable(
            f"Wizer {WIZER_VERSION} is not installed at {path}: run `make setup` "
            f"(npm ci in {_PACKAGE_DIR}) or set INTERVIEW_SANDBOX_WIZER"
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != WIZER_SHA256:
        raise RuntimeUnavailable(f"{path} failed its sha256 check (got {digest}, pinned {WIZER_SHA256})")
    return path


def build(wasm: Path, lib: Path, dest: Path, env: list[tuple[str, str]]) -> None:
    """Write the pre-initialised module to ``dest`` (atomically)."""
    wizer = _verified_wizer()
    edited = wasm_edit.add_entry_points(wasm.read_bytes(), init_program(lib), run_program())
    work = Path(tempfile.mkdtemp(prefix=".snapshot-", dir=dest.parent))
    try:
        source, out = work / "python-entry.wasm", work / "python-snapshot.wasm"
        empty = work / "work"
        empty.mkdir()
        source.write_bytes(edited)
        command = [
            str(wizer),
            "--allow-wasi",
            "--inherit-env=true",
            "--inherit-stdio=true",
            "--wasm-bulk-memory=true",
            f"--init-func={wasm_edit.INIT_EXPORT}",
            # The same guest dirs, in the same order, as every run: their fds are in the snapshot.
            f"--mapdir={startup.GUEST_LIB}::{lib}",
            f"--mapdir=/work::{empty}",
            "-o",
            str(out),
            str(source),
        ]
        done = subprocess.run(
            command, env=dict(env), stdin=subprocess.DEVNULL, capture_output=True, timeout=600, check=False
        )
        if done.returncode != 0 or not out.exists():
            detail = (done.stderr or done.stdout).decode("utf-8", "replace")[-2000:]
            raise RuntimeUnavailable(f"building the interpreter snapshot failed (exit {done.returncode}): {detail}")
        os.replace(out, dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def frame_stdin(program: CodeType | str, stdin: bytes) -> bytes:
    """What a run reads on stdin: the program's length and marshalled form, then the program's stdin."""
    payload = marshal.dumps(program)
    return len(payload).to_bytes(4, "little") + payload + stdin


@functools.lru_cache(maxsize=64)
def compiled(program: str, guest_magic: bytes) -> CodeType | str:
    """``program`` compiled by the host when its bytecode is the guest's, else its source."""
    if guest_magic != importlib.util.MAGIC_NUMBER:
        return program
    return compile(program, "<string>", "exec", dont_inherit=True, optimize=0)

"""One run of the guest interpreter in a fresh Wasmtime store.

Each run is an instance of the pre-initialised interpreter (:mod:`interview_sandbox.snapshot`):
its program arrives on stdin ahead of the program's own stdin, and it starts at the snapshot's
run export rather than at ``_start``.

Stages: prime (scratch dir, WASI config, fuel, deadlines) -> execute -> read the
outcome from host-side facts (trap code, exit code, flags our host functions
set) -> clean up in ``finally``.

Some WASI imports are shadowed by host functions written here:

* ``fd_sync`` on a control number (``os.fsync(CONTROL_BASE + ...)``) is how the
  harness signals the host: the host takes its own fuel reading and reads the
  harness's report file from the scratch dir at that instant.  Real fds: a no-op.
* ``poll_oneoff`` sleeps on the host but never past the run's deadline, so
  ``time.sleep`` and ``select`` cannot outlive the wall clock (an epoch
  interrupt cannot reach a guest blocked in a host call).
* ``clock_time_get`` gives a monotonic clock consistent with that sleep.
* ``random_get`` is seeded per run so that fuel is deterministic.

Standard output and error go to host callbacks that count bytes against the caps;
past a cap the guest's writes fail and the next host call stops it.  A watchdog
truncates scratch files when the scratch dir outgrows its cap.

A host function stops the guest by setting its fuel to zero: the guest traps
at its next instruction.  Host functions never raise (wasmtime-py keeps the
last Python exception of a callback in a process-global, which threads would
share), so every outcome is read from this run's own state.
"""

from __future__ import annotations

import contextlib
import os
import random
import select
import shutil
import signal
import struct
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import wasmtime
from attrs import define, field

from interview_engine.runner import Limits, RunStatus
from interview_sandbox import runtime, snapshot, startup

CONTROL_BASE = 1 << 24
REPORT_FILE = ".harness-report"
SCRATCH_BYTES = 64 * 1024 * 1024
_ERRNO_IO = 29
GUEST_WORK = "/work"
EPOCH_TICK_S = 0.01
_ERRNO_BADF = 8
_ERRNO_FAULT = 21
_ERRNO_INVAL = 28
_WASI = "wasi_snapshot_preview1"
_current = threading.local()
# Python ignores SIGPIPE at start-up; if an embedder did not, never close a read end.
_SIGPIPE_IGNORED = signal.getsignal(signal.SIGPIPE) == signal.SIG_IGN


@define
class Control:
    """One signal of the guest harness, with the host's fuel reading and the report file's content."""

    kind: int
    index: int
    data: bytes
    fuel_used: int
    log_offset: int


@define(eq=False)
class RunState:
    """Everything the host knows about one run; shared by its host functions."""

    limits: Limits
    on_control: Callable[[RunState, Any, Control], None] | None = None
    stdout: bytearray = field(factory=bytearray)
    stderr: bytearray = field(factory=bytearray)
    log: bytearray = field(factory=bytearray)  # stdout and stderr interleaved, for per-case logs
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    stop: RunStatus | None = None
    fuel_budget: int = 0
    fuel_spent_before: int = 0  # fuel of earlier segments (budget reset per case)
    stdout_seg: int = 0  # stdout bytes at the start of the current segment
    stderr_seg: int = 0
    deadline: float = 0.0
    started: float = field(factory=time.monotonic)
    rng: random.Random = field(factory=lambda: random.Random(0x5EED))  # fixed seed: determinism
    work: Path | None = None
    pipes: _Pipes | None = None
    fuel_at_stop: int | None = None

    def fuel_used(self, store: Any) -> int:
        return self.fuel_spent_before + self.fuel_budget - wasmtime.Store.get_fuel(store)

    def halt(self, store: Any, status: RunStatus) -> None:
        if self.stop is None:
            self.stop = status
            self.fuel_at_stop = self.fuel_used(store)
        wasmtime.Store.set_fuel(store, 0)

    def new_segment(self, store: Any) -> None:
        """Give the next case a full budget of its own: fuel, wall clock and output."""
        self.fuel_spent_before = self.fuel_used(store)
        wasmtime.Store.set_fuel(store, self.fuel_budget)
        self.deadline = time.monotonic() + self.limits.wall_ms / 1000
        wasmtime.Store.set_epoch_deadline(store, _ticks(self.limits.wall_ms))
        self.stdout_seg, self.stderr_seg = len(self.stdout), len(self.stderr)


@define
class RawRun:
    status: RunStatus
    exit_code: int | None
    state: RunState
    fuel_used: int
    wall_ms: float
    peak_memory_bytes: int
    detail: str = ""


def _ticks(wall_ms: int) -> int:
    return max(1, int(wall_ms / 1000 / EPOCH_TICK_S) + 1)


def _guarded(func: Callable[..., int]) -> Callable[..., int]:
    def wrapper(caller: wasmtime.Caller, *args: int) -> int:
        try:
            return func(caller, *args)
        except Exception:
            return _ERRNO_FAULT

    return wrapper


def _memory(caller: wasmtime.Caller) -> wasmtime.Memory:
    memory = caller["memory"]
    assert isinstance(memory, wasmtime.Memory)
    return memory


class _Pipes:
    """The guest's stdout and stderr as FIFOs read by the host.

    Bytes are counted against the caps as they arrive; past a cap the read end is
    closed, so the guest's next write fails (EPIPE) and the flood stops at once.
    (Python callbacks for output would run on Wasmtime's tokio threads, which
    abort the process at interpreter exit, so no callback is used.)
    """

    def __init__(self, root: Path, state: RunState) -> None:
        self.state = state
        self.paths = {1: root / "stdout", 2: root / "stderr"}
        self.fds: dict[int, int] = {}
        for stream, path in self.paths.items():
            os.mkfifo(path, 0o600)
            self.fds[stream] = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        self.lock = threading.Lock()
        self.wake_r, self.wake_w = os.pipe()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._pump, name="sandbox-output", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _pump(self) -> None:
        while not self.done.is_set():
            with self.lock:
                fds = [*self.fds.values(), self.wake_r]
            with contextlib.suppress(OSError, ValueError):
                select.select(fds, [], [], 0.5)
            self.drain()

    def drain(self) -> None:
        with self.lock:
            for stream, fd in list(self.fds.items()):
                while True:
                    try:
                        data = os.read(fd, 65536)
                    except (BlockingIOError, OSError):
                        break
                    if not data:
                        break
                    if not self._keep(stream, data):
                        if _SIGPIPE_IGNORED:
                            os.close(fd)
                            del self.fds[stream]
                        break

    def _keep(self, stream: int, data: bytes) -> bool:
        state = self.state
        if stream == 1:
            buffer, seg, cap = state.stdout, state.stdout_seg, state.limits.stdout_bytes
        else:
            buffer, seg, cap = state.stderr, state.stderr_seg, state.limits.stderr_bytes
        room = cap - (len(buffer) - seg)
        kept = data[: max(room, 0)]
        buffer += kept
        state.log += kept
        if len(data) <= room:
            return True
        if stream == 1:
            state.stdout_truncated = True
        else:
            state.stderr_truncated = True
        if state.stop is None:
            state.stop = RunStatus.OUTPUT_LIMIT
        return False

    def close(self) -> None:
        self.done.set()
        os.write(self.wake_w, b"x")
        if self.thread.is_alive():
            self.thread.join(timeout=1)
        self.drain()
        os.close(self.wake_r)
        os.close(self.wake_w)
        with self.lock:
            for fd in self.fds.values():
                with contextlib.suppress(OSError):
                    os.close(fd)
            self.fds.clear()


def _check_stop(state: RunState, caller: wasmtime.Caller) -> bool:
    if state.stop is not None:
        state.halt(caller, state.stop)
        return True
    return False


def _fd_sync(caller: wasmtime.Caller, fd: int) -> int:
    state: RunState = _current.state
    if _check_stop(state, caller):
        return _ERRNO_IO
    if fd < CONTROL_BASE or state.on_control is None or state.work is None:
        return 0
    if state.pipes is not None:
        state.pipes.drain()  # the harness flushed before signalling: logs line up with cases
    kind, index = fd >> 24, fd & 0xFFFFFF
    try:
        with open(state.work / REPORT_FILE, "rb") as handle:
            data = handle.read(8 * 1024 * 1024)
    except OSError:
        data = b""
    state.on_control(state, caller, Control(kind, index, data, state.fuel_used(caller), len(state.log)))
    return 0


def _clock_time_get(caller: wasmtime.Caller, clock_id: int, _precision: int, out: int) -> int:
    state: RunState = _current.state
    _check_stop(state, caller)
    if clock_id == 0:
        now = time.time_ns()
    elif clock_id in (1, 2, 3):
        now = int((time.monotonic() - state.started) * 1e9)
    else:
        return _ERRNO_INVAL
    _memory(caller).write(caller, struct.pack("<Q", now), out)
    return 0


def _poll_oneoff(caller: wasmtime.Caller, subs: int, events: int, nsubs: int, nevents: int) -> int:
    """Answer fd subscriptions at once (no sockets exist; files are always ready), sleep for clocks."""
    state: RunState = _current.state
    if _check_stop(state, caller):
        return _ERRNO_IO
    if nsubs <= 0 or nsubs > 4096:
        return _ERRNO_INVAL
    memory = _memory(caller)
    raw = memory.read(caller, subs, subs + 48 * nsubs)
    ready = []
    wake: tuple[float, int] | None = None
    now = time.monotonic()
    for i in range(nsubs):
        base = 48 * i
        userdata, tag = struct.unpack_from("<QB", raw, base)
        if tag == 0:
            clock_id, timeout, _prec, flags = struct.unpack_from("<IQQH", raw, base + 8 + 8)
            if flags & 1:  # absolute: on our monotonic clock (or the wall clock)
                base_ns = time.time_ns() if clock_id == 0 else int((now - state.started) * 1e9)
                timeout = max(0, timeout - base_ns)
            at = now + timeout / 1e9
            if wake is None or at < wake[0]:
                wake = (at, userdata)
        else:
            ready.append(struct.pack("<QHBxxxxxQH6x", userdata, 0, tag, 0, 0))
    if not ready and wake is not None:
        while True:
            remaining = min(wake[0], state.deadline) - time.monotonic()
            if remaining <= 0:
                break
            time.sleep(min(remaining, 0.05))
        if time.monotonic() >= state.deadline and wake[0] > state.deadline:
            state.halt(caller, RunStatus.TIME_LIMIT)
            memory.write(caller, struct.pack("<I", 0), nevents)
            return 0
        ready.append(struct.pack("<QHBxxxxxQH6x", wake[1], 0, 0, 0, 0))
    memory.write(caller, b"".join(ready), events)
    memory.write(caller, struct.pack("<I", len(ready)), nevents)
    return 0


def _random_get(caller: wasmtime.Caller, buf: int, size: int) -> int:
    state: RunState = _current.state
    _check_stop(state, caller)
    if size < 0 or size > 1 << 20:
        return _ERRNO_INVAL
    _memory(caller).write(caller, state.rng.randbytes(size), buf)
    return 0


def _sock(*_args: Any) -> int:
    return _ERRNO_BADF


class Machine:
    """The compiled module, its engine, linkers and the epoch ticker: one per process."""

    def __init__(self, engine: wasmtime.Engine, module: wasmtime.Module, lib: Path, boot_zip: str) -> None:
        self.engine = engine
        self.module = module
        self.lib = lib
        self.env = startup.environment(boot_zip)
        self.magic = runtime.guest_magic()
        self.linker = wasmtime.Linker(engine)
        self.linker.define_wasi()
        self.linker.allow_shadowing = True
        i32, i64 = wasmtime.ValType.i32(), wasmtime.ValType.i64()
        shadows: dict[str, tuple[list[wasmtime.ValType], Callable[..., int]]] = {
            "fd_sync": ([i32], _fd_sync),
            "clock_time_get": ([i32, i64, i32], _clock_time_get),
            "poll_oneoff": ([i32, i32, i32, i32], _poll_oneoff),
            "random_get": ([i32, i32], _random_get),
        }
        for name, (params, func) in shadows.items():
            ftype = wasmtime.FuncType(params, [i32])
            self.linker.define_func(_WASI, name, ftype, _guarded(func), access_caller=True)
        for name, nparams in (("sock_accept", 3), ("sock_recv", 6), ("sock_send", 5), ("sock_shutdown", 2)):
            ftype = wasmtime.FuncType([i32] * nparams, [i32])
            self.linker.define_func(_WASI, name, ftype, _sock)
        self._active: set[RunState] = set()
        self._active_lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="sandbox-epoch", daemon=True)
        self._ticker.start()

    def _tick(self) -> None:
        ticks = 0
        while not self._stop.wait(EPOCH_TICK_S):
            self.engine.increment_epoch()
            ticks += 1
            if ticks % 10 == 0:
                with self._active_lock:
                    active = list(self._active)
                for state in active:
                    _police_scratch(state)

    def close(self) -> None:
        self._stop.set()
        self._ticker.join(timeout=1)

    def execute(
        self,
        program: str,
        *,
        limits: Limits,
        stdin: bytes = b"",
        files: Mapping[str, str | bytes] | None = None,
        on_control: Callable[[RunState, Any, Control], None] | None = None,
    ) -> RawRun:
        state = RunState(limits=limits, on_control=on_control)
        root = Path(tempfile.mkdtemp(prefix="interview-sbx-"))
        started = time.monotonic()
        store: wasmtime.Store | None = None
        try:
            work = root / "work"
            work.mkdir()
            _write_files(work, files or {})
            stdin_path = root / "stdin"
            stdin_path.write_bytes(snapshot.frame_stdin(snapshot.compiled(program, self.magic), stdin))
            store = wasmtime.Store(self.engine)
            wasi = wasmtime.WasiConfig()
            wasi.argv = ["python", "-S", "-c", "pass"]  # what the snapshot was made with
            wasi.env = self.env
            wasi.stdin_file = str(stdin_path)
            wasi.preopen_dir(str(self.lib), startup.GUEST_LIB, False)
            wasi.preopen_dir(str(work), GUEST_WORK, True)
            state.pipes = _Pipes(root, state)
            wasi.stdout_file = str(state.pipes.paths[1])
            wasi.stderr_file = str(state.pipes.paths[2])
            state.work = work
            store.set_wasi(wasi)
            store.set_limits(memory_size=limits.memory_bytes)
            state.fuel_budget = limits.fuel
            store.set_fuel(limits.fuel)
            state.deadline = time.monotonic() + limits.wall_ms / 1000
            store.set_epoch_deadline(_ticks(limits.wall_ms))
            instance = self.linker.instantiate(store, self.module)
            start = instance.exports(store)[snapshot.RUN_EXPORT]
            memory = instance.exports(store)["memory"]
            assert isinstance(start, wasmtime.Func) and isinstance(memory, wasmtime.Memory)
        except Exception as exc:
            if state.pipes is not None:
                state.pipes.close()
            shutil.rmtree(root, ignore_errors=True)
            return _fault(state, started, f"could not start the guest: {exc}")
        _current.state = state
        assert state.pipes is not None
        state.pipes.start()
        with self._active_lock:
            self._active.add(state)
        exit_code: int | None = 0
        trap: wasmtime.Trap | None = None
        try:
            returned = start(store)
            # The run program always ends in os._exit; returning means it failed before the program ran.
            exit_code = 0 if returned == 0 else 1
        except wasmtime.ExitTrap as exc:
            exit_code = exc.code
        except wasmtime.Trap as exc:
            exit_code, trap = None, exc
        except wasmtime.WasmtimeError as exc:
            return _fault(state, started, f"wasmtime error: {exc}")
        finally:
            _current.state = None
            with self._active_lock:
                self._active.discard(state)
            state.pipes.close()
            shutil.rmtree(root, ignore_errors=True)
        try:
            fuel_used = state.fuel_used(store) if state.fuel_at_stop is None else state.fuel_at_stop
            peak = memory.data_len(store)
        except Exception as exc:
            return _fault(state, started, f"could not read the guest's state: {exc}")
        wall_ms = (time.monotonic() - started) * 1000
        status, detail = _verdict(state, exit_code, trap, peak)
        return RawRun(status, exit_code, state, fuel_used, wall_ms, peak, detail)


def _verdict(state: RunState, exit_code: int | None, trap: wasmtime.Trap | None, peak: int) -> tuple[RunStatus, str]:
    if state.stop is not None:
        return state.stop, {
            RunStatus.OUTPUT_LIMIT: "output cap exceeded (stdout, stderr or scratch files)",
            RunStatus.TIME_LIMIT: "wall-clock limit reached while sleeping",
        }.get(state.stop, "")
    if trap is not None:
        code = trap.trap_code
        if code is wasmtime.TrapCode.OUT_OF_FUEL:
            return RunStatus.FUEL_LIMIT, "fuel budget exhausted"
        if code is wasmtime.TrapCode.INTERRUPT:
            return RunStatus.TIME_LIMIT, "wall-clock limit reached"
        if peak >= state.limits.memory_bytes - (1 << 20):
            return RunStatus.MEMORY_LIMIT, "memory cap reached"
        # Any other trap is the guest crashing its own interpreter (e.g. C stack overflow).
        what = code.name if code else trap.message.splitlines()[0]
        return RunStatus.RUNTIME_ERROR, f"guest trapped: {what}"
    if exit_code == 0:
        return RunStatus.OK, ""
    if exit_code is None:
        return RunStatus.RUNTIME_ERROR, "the guest stopped without an exit code"
    tail = state.stderr[-4096:].decode("utf-8", "replace")
    last = tail.rstrip().rsplit("\n", 1)[-1]
    if last.startswith("MemoryError"):
        return RunStatus.MEMORY_LIMIT, "memory cap reached"
    return RunStatus.RUNTIME_ERROR, f"exit code {exit_code}"


def _fault(state: RunState, started: float, detail: str) -> RawRun:
    wall_ms = (time.monotonic() - started) * 1000
    return RawRun(RunStatus.SANDBOX_ERROR, None, state, 0, wall_ms, 0, detail)


def _police_scratch(state: RunState) -> None:
    """Keep a run's scratch dir under :data:`SCRATCH_BYTES` by truncating its files."""
    if state.work is None:
        return
    sizes: list[tuple[int, str]] = []
    try:
        for count, entry in enumerate(_walk(state.work)):
            if count > 20_000:
                break
            sizes.append((entry.stat(follow_symlinks=False).st_blocks * 512, entry.path))
    except OSError:
        return
    if sum(size for size, _ in sizes) <= SCRATCH_BYTES:
        return
    for _size, path in sorted(sizes, reverse=True)[:64]:
        with contextlib.suppress(OSError):
            os.truncate(path, 0)
    if state.stop is None:
        state.stop = RunStatus.OUTPUT_LIMIT


def _walk(root: Path) -> Iterator[os.DirEntry[str]]:
    with os.scandir(root) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                yield entry


def _write_files(work: Path, files: Mapping[str, str | bytes]) -> None:
    for name, content in files.items():
        rel = PurePosixPath(name)
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            raise ValueError(f"file path must be relative and inside the work dir: {name!r}")
        dest = work.joinpath(*rel.parts)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            dest.write_bytes(content)
        else:
            dest.write_text(content, encoding="utf-8")

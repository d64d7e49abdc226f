"""One run of the guest interpreter in a fresh Wasmtime store.

Each run is an instance of the pre-initialised interpreter (:mod:`interview_sandbox.snapshot`):
its program arrives on stdin ahead of the program's own stdin, and it starts at the snapshot's
run export rather than at ``_start``.

Stages: prime (scratch dir, WASI config, fuel, deadlines) -> execute -> read the
outcome from host-side facts (trap code, exit code, flags our host functions
set) -> clean up in ``finally``.

Some WASI imports are shadowed by host functions written here:

* ``fd_pwrite`` on a control number (``os.pwrite(kind << 24 | index, report, 0)``) is the
  harness's report channel: the host takes its own fuel reading and copies the report
  straight out of the guest's memory at that instant, at most
  :data:`~interview_sandbox.report.REPORT_BYTES` of it (a larger one is never copied).
  No file carries a report, so nothing the guest does to its scratch dir reaches the
  channel.  On a real fd ``pwrite`` answers ``ENOTSUP``: candidate code has no use for it.
* ``fd_pread`` on a control number (``os.pread(2 << 24 | index, size, offset)``) is how the
  harness asks for case ``index``'s input: the host hands it out only then (offset 0 is the
  case's begin: the host takes its fuel reading at that instant), so no input is in the
  guest's memory before its case begins.  On a real fd ``pread`` answers ``ENOTSUP``.
* ``path_symlink`` and ``path_link`` answer ``EPERM``: the guest cannot plant a link in
  its scratch dir for host code to follow (hard links would also reach the read-only
  stdlib's inodes).
* ``poll_oneoff`` sleeps on the host but never past the run's deadline, so
  ``time.sleep`` and ``select`` cannot outlive the wall clock (an epoch
  interrupt cannot reach a guest blocked in a host call).
* ``clock_time_get`` gives a monotonic clock consistent with that sleep.
* ``random_get`` is seeded per run so that fuel is deterministic.
* ``fd_filestat_get``, ``path_filestat_get`` and ``fd_readdir`` call Wasmtime's own and then
  number inodes per run, 1, 2, 3, ... in the order the guest first sees them (the same file
  keeps its number for the run).  Wasmtime reports a 64-bit hash of the host's device and
  inode, so a file made for this run (its ``main.py``, its ``/work``) had a new one each run,
  and CPython's ``os.stat`` costs 38 fuel less for one below 2**60 (two 30-bit digits, not
  three), one in 16: an import stats ``/work`` three times, so 114 fuel apart.  Numbered,
  a run's fuel no longer depends on the host's inodes, and the numbers are the same each run.

Standard output and error go to FIFOs the host reads, counting bytes against the caps;
past a cap the guest's writes fail and the next host call stops it.  Three process-wide
threads serve every run: the epoch ticker, which does nothing else (so no run can slow
the wall clock; it catches up if it was late), the scratch police, which measures
each run's scratch dir with :mod:`interview_sandbox.scratch` and empties it when the
run is over its caps, and the output pump, which reads every running guest's FIFOs (a
thread per run cost a start and a join, ~0.2 ms idle and over 1 ms under load).  Each run
checks the three are alive before it starts, and a dead one is logged and restarted.

A host function stops the guest by setting its fuel to zero: the guest traps
at its next instruction.  Host functions never raise (wasmtime-py keeps the
last Python exception of a callback in a process-global, which threads would
share), so every outcome is read from this run's own state.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import logging
import os
import random
import select
import signal
import struct
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any, cast

import wasmtime
from attrs import define, field
from wasmtime import _bindings, _ffi

from interview_engine.runner import Limits, RunStatus
from interview_sandbox import report, runtime, scratch, snapshot, startup
from interview_sandbox.errors import SandboxError

CONTROL_BASE = 1 << 24
_ERRNO_IO = 29
GUEST_WORK = "/work"
EPOCH_TICK_S = 0.01
CHECK_TICKS = 2  # a running guest stops every 2 ticks (20 ms) for the host to check its deadline and caps
POLICE_EVERY_S = 0.05
_ERRNO_BADF = 8
_ERRNO_FAULT = 21
_ERRNO_INVAL = 28
_ERRNO_NOTSUP = 58
_ERRNO_PERM = 63
_MAX_IOVS = 16
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC
log = logging.getLogger(__name__)
_WASI = "wasi_snapshot_preview1"
_current = threading.local()
# Python ignores SIGPIPE at start-up; if an embedder did not, never close a read end.
_SIGPIPE_IGNORED = signal.getsignal(signal.SIGPIPE) == signal.SIG_IGN


@define
class Control:
    """One signal of the guest harness, with the host's fuel reading and the report it carried.

    ``oversize``: the report was larger than the host reads; ``data`` then holds only its
    first bytes (enough for the nonce), never the rest.
    """

    kind: int
    index: int
    data: bytes
    fuel_used: int
    log_offset: int
    oversize: bool = False


@define(eq=False)
class RunState:
    """Everything the host knows about one run; shared by its host functions."""

    limits: Limits
    on_control: Callable[[RunState, Any, Control], None] | None = None
    on_input: Callable[[RunState, Any, Control, int, int], bytes | None] | None = None
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
    scratch_fault: str = ""  # which scratch cap the run broke, set by the police thread
    inodes: dict[int, int] = field(factory=dict)  # Wasmtime's inode hash -> this run's number for it
    forward: Callable[[Any, str], Any] | None = None  # Wasmtime's own stat calls, for the shadows
    forwarders: dict[str, Any] = field(factory=dict)  # the forwarder's wasmtime_func_t, by name
    memory: wasmtime.Memory | None = None  # the guest's, kept so the shadows need not look it up
    work_check: bool = False  # the boot program's chdir to /work is still to come (see _path_filestat_get)

    def inode(self, raw: int) -> int:
        """This run's number for Wasmtime's inode ``raw``; 0 (unknown: wasi-libc stats the entry) stays 0."""
        return self.inodes.setdefault(raw, len(self.inodes) + 1) if raw else 0

    def fuel_used(self, store: Any) -> int:
        return self.fuel_spent_before + self.fuel_budget - wasmtime.Store.get_fuel(store)

    def due_to_stop(self, context: Any) -> bool:
        """From the epoch callback: whether the guest must stop now (a stop is due or its deadline passed)."""
        if self.stop is None and time.monotonic() >= self.deadline:
            self.stop = RunStatus.TIME_LIMIT
        if self.stop is None:
            return False
        if self.fuel_at_stop is None:
            left = ctypes.c_uint64(0)
            _ffi.wasmtime_context_get_fuel(context, ctypes.byref(left))
            self.fuel_at_stop = self.fuel_spent_before + self.fuel_budget - left.value
        return True

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


_EpochCallback = _bindings._wasmtime_store_epoch_deadline_callback.argtypes[1]
_NO_FINALIZER = ctypes.cast(0, ctypes.CFUNCTYPE(None, ctypes.c_void_p))


@_EpochCallback  # type: ignore[untyped-decorator]
def _on_epoch_deadline(context: Any, _data: Any, delta: Any, kind: Any) -> int:
    """Every :data:`CHECK_TICKS` of a running guest: stop it if it is past its deadline or a cap.

    This is how the wall clock and the scratch police reach a guest that never calls a host
    function (a tight loop, a write loop): it runs on the guest's own thread and answers with
    an error, which ends the guest's call at once (setting its fuel to zero here would not:
    compiled code keeps fuel in a register until its next call).  The verdict then comes from
    ``state.stop``.  It never raises (a Python exception cannot cross into Wasmtime).
    """
    try:
        kind[0] = 0  # WASMTIME_UPDATE_DEADLINE_CONTINUE
        delta[0] = CHECK_TICKS
        state: RunState | None = getattr(_current, "state", None)
        if state is not None and state.due_to_stop(context):
            message = f"interview-sandbox: {state.stop}".encode()
            error = _ffi.wasmtime_error_new(ctypes.create_string_buffer(message))
            return ctypes.cast(error, ctypes.c_void_p).value or 0
    except BaseException:  # noqa: S110 - nothing may escape into Wasmtime; the run keeps its caps
        pass
    return 0


def _watch_epochs(store: wasmtime.Store) -> None:
    _ffi.wasmtime_store_epoch_deadline_callback(store.ptr(), _on_epoch_deadline, None, _NO_FINALIZER)
    store.set_epoch_deadline(CHECK_TICKS)


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
    abort the process at interpreter exit, so no callback is used.)  While the guest
    runs, the process-wide :class:`_Pump` reads them; the run drains them itself at
    its host calls and at its end.
    """

    def __init__(self, root: Path, state: RunState) -> None:
        self.state = state
        self.paths = {1: root / "stdout", 2: root / "stderr"}
        self.fds: dict[int, int] = {}
        self.ended: set[int] = set()  # streams whose writer closed (the guest closed its fd): not polled
        for stream, path in self.paths.items():
            os.mkfifo(path, 0o600)
            self.fds[stream] = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        self.lock = threading.Lock()
        self.pump: _Pump | None = None

    def start(self, pump: _Pump) -> None:
        self.pump = pump
        pump.add(self)

    def polled(self) -> list[int]:
        with self.lock:
            return [fd for stream, fd in self.fds.items() if stream not in self.ended]

    def drain(self) -> None:
        with self.lock:
            for stream, fd in list(self.fds.items()):
                while True:
                    try:
                        data = os.read(fd, 65536)
                    except (BlockingIOError, OSError):
                        break
                    if not data:
                        self.ended.add(stream)
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
        if self.pump is not None:
            self.pump.remove(self)
        self.drain()
        with self.lock:
            for fd in self.fds.values():
                with contextlib.suppress(OSError):
                    os.close(fd)
            self.fds.clear()


class _Pump:
    """One thread that reads every running guest's output FIFOs as it arrives (``poll``, any fd number).

    A run registers its FIFOs when its guest starts and unregisters them when it ends, so no
    run starts or joins a thread of its own.  A change wakes the thread through a pipe.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs: set[_Pipes] = set()
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        self._stop = threading.Event()

    def add(self, pipes: _Pipes) -> None:
        with self._lock:
            self._runs.add(pipes)
        self._wake()

    def remove(self, pipes: _Pipes) -> None:
        """No wake: the thread drops the run's fds at its next turn (a closed fd only ends that poll early)."""
        with self._lock:
            self._runs.discard(pipes)

    def _wake(self) -> None:
        with contextlib.suppress(BlockingIOError):
            os.write(self._wake_w, b"x")

    def stop(self) -> None:
        self._stop.set()
        self._wake()

    def run(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                runs = list(self._runs)
            owners = {fd: pipes for pipes in runs for fd in pipes.polled()}
            poller = select.poll()
            poller.register(self._wake_r, select.POLLIN)
            for fd in owners:
                poller.register(fd, select.POLLIN)
            try:
                ready = poller.poll(500)
            except OSError:
                continue
            for fd, _events in ready:
                if fd == self._wake_r:
                    with contextlib.suppress(OSError):
                        os.read(self._wake_r, 4096)
                elif fd in owners:
                    owners[fd].drain()  # reads only its own current fds, so a stale or reused fd number is harmless


def _check_stop(state: RunState, caller: wasmtime.Caller) -> bool:
    if state.stop is not None:
        state.halt(caller, state.stop)
        return True
    return False


def _fd_pwrite(caller: wasmtime.Caller, fd: int, iovs: int, iovs_len: int, _offset: int, nwritten: int) -> int:
    """The report channel: the host copies the report out of guest memory, bounded before it copies."""
    state: RunState = _current.state
    if _check_stop(state, caller):
        return _ERRNO_IO
    if fd < CONTROL_BASE:
        return _ERRNO_NOTSUP
    if iovs_len < 0 or iovs_len > _MAX_IOVS:
        return _ERRNO_INVAL
    memory = _memory(caller)
    spans = struct.unpack(f"<{2 * iovs_len}I", memory.read(caller, iovs, iovs + 8 * iovs_len))
    total = sum(spans[1::2])
    oversize = total > report.REPORT_BYTES
    pieces, room = [], report.NONCE_BYTES if oversize else total
    for buf, size in zip(spans[::2], spans[1::2], strict=True):
        take = min(size, room)
        pieces.append(bytes(memory.read(caller, buf, buf + take)))
        room -= take
    data = b"".join(pieces)
    memory.write(caller, struct.pack("<I", total & 0xFFFFFFFF), nwritten)
    if state.on_control is None:
        return 0
    if state.pipes is not None:
        state.pipes.drain()  # the harness flushed before signalling: logs line up with cases
    kind, index = fd >> 24, fd & 0xFFFFFF
    control = Control(kind, index, data, state.fuel_used(caller), len(state.log), oversize)
    state.on_control(state, caller, control)
    return 0


def _fd_pread(caller: wasmtime.Caller, fd: int, iovs: int, iovs_len: int, offset: int, nread: int) -> int:
    """The input channel: the host writes case ``index``'s input (from ``offset``) into the guest's buffers."""
    state: RunState = _current.state
    if _check_stop(state, caller):
        return _ERRNO_IO
    if fd < CONTROL_BASE:
        return _ERRNO_NOTSUP
    if state.on_input is None or offset < 0:
        return _ERRNO_BADF
    if iovs_len < 0 or iovs_len > _MAX_IOVS:
        return _ERRNO_INVAL
    memory = _memory(caller)
    spans = struct.unpack(f"<{2 * iovs_len}I", memory.read(caller, iovs, iovs + 8 * iovs_len))
    if state.pipes is not None:
        state.pipes.drain()  # the harness flushed before asking: logs line up with cases
    control = Control(fd >> 24, fd & 0xFFFFFF, b"", state.fuel_used(caller), len(state.log))
    data = state.on_input(state, caller, control, offset, sum(spans[1::2]))
    if data is None:
        return _ERRNO_BADF
    at = 0
    for buf, size in zip(spans[::2], spans[1::2], strict=True):
        piece = data[at : at + size]
        if not piece:
            break
        memory.write(caller, piece, buf)
        at += len(piece)
    memory.write(caller, struct.pack("<I", at), nread)
    return 0


def _no_links(*_args: int) -> int:
    return _ERRNO_PERM


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


# Wasmtime's WASI functions find the guest's memory as their caller's "memory" export, so the
# shadows cannot call them from Python: they call this module, which exports the guest's memory
# as its own and forwards the call (a few fuel per call, the same every time).
_FORWARDED = ("fd_filestat_get", "path_filestat_get", "fd_readdir")


@functools.cache
def _c_name(name: str) -> tuple[Any, int]:
    """``name`` as the C API takes it (a buffer and its length), made once: only ever read."""
    raw = name.encode("utf-8")
    return ctypes.create_string_buffer(raw), len(raw)


_FORWARDER = """
(module
  (import "guest" "memory" (memory 0))
  (import "wasi" "fd_filestat_get" (func $fd_filestat_get (param i32 i32) (result i32)))
  (import "wasi" "path_filestat_get" (func $path_filestat_get (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi" "fd_readdir" (func $fd_readdir (param i32 i32 i32 i64 i32) (result i32)))
  (export "memory" (memory 0))
  (func (export "fd_filestat_get") (param i32 i32) (result i32)
    (call $fd_filestat_get (local.get 0) (local.get 1)))
  (func (export "path_filestat_get") (param i32 i32 i32 i32 i32) (result i32)
    (call $path_filestat_get (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)))
  (func (export "fd_readdir") (param i32 i32 i32 i64 i32) (result i32)
    (call $fd_readdir (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4))))
"""


def _failed(error: Any, trap: Any) -> bool:
    """Whether a C API call gave an error or a trap; either is freed here (the caller only needs to know)."""
    if error:
        _ffi.wasmtime_error_delete(error)
    if trap:
        _ffi.wasm_trap_delete(trap)
    return bool(error or trap)


def _call_forwarder(state: RunState, caller: wasmtime.Caller, name: str, *args: int, wide: int = -1) -> int:
    """The forwarder's ``name`` with raw arguments (argument ``wide`` is an i64), its errno; one ctypes call.

    ``Func.__call__`` reads the function's type and converts each value through ctypes, several
    times the cost of the stat it forwards.  A trap inside (the wall clock, fuel) stops the run.
    """
    assert state.forward is not None
    func = state.forward(caller, name)
    raw = (_ffi.wasmtime_val_raw_t * len(args))()
    for i, value in enumerate(args):
        if i == wide:
            raw[i].i64 = value
        else:
            raw[i].i32 = value
    trap = ctypes.POINTER(_ffi.wasm_trap_t)()
    context, target = caller._context(), ctypes.byref(func)
    error = _ffi.wasmtime_func_call_unchecked(context, target, raw, len(args), ctypes.byref(trap))
    if _failed(error, trap):
        if not _check_stop(state, caller):  # out of fuel inside the forwarder: the guest's next instruction traps
            context_of: Any = caller  # Store.set_fuel reads only its argument's context, as halt() relies on
            wasmtime.Store.set_fuel(context_of, 0)
        return _ERRNO_IO
    return int(raw[0].i32)


def _renumbered_stat(name: str, buf_arg: int) -> Callable[..., int]:
    """Wasmtime's ``name`` (a filestat call), then the filestat's inode (offset 8) renumbered for the run."""

    def shadow(caller: wasmtime.Caller, *args: int) -> int:
        state: RunState = _current.state
        if _check_stop(state, caller):
            return _ERRNO_IO
        errno = _call_forwarder(state, caller, name, *args)
        if errno == 0:
            memory = state.memory or _memory(caller)
            at = args[buf_arg] + 8
            (raw,) = struct.unpack("<Q", memory.read(caller, at, at + 8))
            memory.write(caller, struct.pack("<Q", state.inode(raw)), at)
        return int(errno)

    return shadow


_WORK_FD = 4  # the guest's /work: after stdio, the preopens in the order every run (and the snapshot) gives them
# A filestat (WASI preview 1: dev, ino, filetype, nlink, size, atim, mtim, ctim) saying "a directory".
_WORK_DIR_STAT = struct.pack("<QQB7xQQQQQ", 0, 0, 3, 1, 0, 0, 0, 0)
_stat_path = _renumbered_stat("path_filestat_get", 4)


def _path_filestat_get(caller: wasmtime.Caller, fd: int, flags: int, path: int, path_len: int, buf: int) -> int:
    """Wasmtime's ``path_filestat_get``, renumbered; but the boot program's own check of ``/work`` is the host's.

    Every run's boot program (``Sandbox.run``'s and the case harness's) starts with
    ``os.chdir('/work')``, and wasi-libc's chdir stats the dir to see that it is one: the run's
    first path stat, before any candidate code runs.  The host made that dir for this run, so it
    answers "a directory" itself: Wasmtime's stat goes through its blocking threads (a handoff
    each way, ~0.5 ms of wall time under load) and, in a plain run, it was the only reason to build
    the forwarder.  Only chdir reads the answer (it keeps no field of it), so the guest's
    instructions, heap and fuel are those of the real stat but for the forwarder's few.  Any other
    path stat, and any in a run that did not ask for this (``work_check``), is Wasmtime's.
    """
    state: RunState = _current.state
    if state.work_check:
        state.work_check = False  # the first path stat only, whatever it asks
        if fd == _WORK_FD and path_len == 1 and not _check_stop(state, caller):
            memory = state.memory or _memory(caller)
            if memory.read(caller, path, path + 1) == b".":
                memory.write(caller, _WORK_DIR_STAT, buf)
                return 0
    return _stat_path(caller, fd, flags, path, path_len, buf)


def _fd_readdir(caller: wasmtime.Caller, fd: int, buf: int, buf_len: int, cookie: int, bufused: int) -> int:
    """Wasmtime's ``fd_readdir``, then each entry's ``d_ino`` renumbered as ``os.stat`` sees it."""
    state: RunState = _current.state
    if _check_stop(state, caller):
        return _ERRNO_IO
    errno = _call_forwarder(state, caller, "fd_readdir", fd, buf, buf_len, cookie, bufused, wide=3)
    if errno != 0:
        return int(errno)
    memory = state.memory or _memory(caller)
    (used,) = struct.unpack("<I", memory.read(caller, bufused, bufused + 4))
    used = min(used, buf_len)
    listing = bytearray(memory.read(caller, buf, buf + used))
    at = 0
    while at + 16 <= used:  # d_next u64, d_ino u64, d_namlen u32, d_type u8, 3 bytes pad, then the name
        (raw,) = struct.unpack_from("<Q", listing, at + 8)
        struct.pack_into("<Q", listing, at + 8, state.inode(raw))
        if at + 24 > used:
            break  # a header cut off by the buffer's end: wasi-libc reads it again
        (namlen,) = struct.unpack_from("<I", listing, at + 16)
        at += 24 + namlen
    memory.write(caller, bytes(listing), buf)
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
        self.wasi = wasmtime.Linker(engine)  # unshadowed: what the forwarder calls
        self.wasi.define_wasi()
        self.forwarder = wasmtime.Module(engine, _FORWARDER)
        i32, i64 = wasmtime.ValType.i32(), wasmtime.ValType.i64()
        shadows: dict[str, tuple[list[wasmtime.ValType], Callable[..., int]]] = {
            "fd_pwrite": ([i32, i32, i32, i64, i32], _fd_pwrite),
            "fd_pread": ([i32, i32, i32, i64, i32], _fd_pread),
            "clock_time_get": ([i32, i64, i32], _clock_time_get),
            "poll_oneoff": ([i32, i32, i32, i32], _poll_oneoff),
            "random_get": ([i32, i32], _random_get),
            "fd_filestat_get": ([i32, i32], _renumbered_stat("fd_filestat_get", 1)),
            "path_filestat_get": ([i32, i32, i32, i32, i32], _path_filestat_get),
            "fd_readdir": ([i32, i32, i32, i64, i32], _fd_readdir),
        }
        for name, (params, func) in shadows.items():
            ftype = wasmtime.FuncType(params, [i32])
            self.linker.define_func(_WASI, name, ftype, _guarded(func), access_caller=True)
        for name, nparams in (("sock_accept", 3), ("sock_recv", 6), ("sock_send", 5), ("sock_shutdown", 2)):
            ftype = wasmtime.FuncType([i32] * nparams, [i32])
            self.linker.define_func(_WASI, name, ftype, _sock)
        for name, nparams in (("path_symlink", 5), ("path_link", 7)):
            self.linker.define_func(_WASI, name, wasmtime.FuncType([i32] * nparams, [i32]), _no_links)
        # The snapshot's imports resolved once (every shadow, every WASI call): a run's instance is
        # made from it without looking up its ~50 imports by name again.  Kept for the process's life.
        self._pre = ctypes.POINTER(_ffi.wasmtime_instance_pre_t)()
        error = _ffi.wasmtime_linker_instantiate_pre(self.linker.ptr(), module.ptr(), ctypes.byref(self._pre))
        if error:
            raise wasmtime.WasmtimeError._from_ptr(error)
        self._active: set[RunState] = set()
        self._active_lock = threading.Lock()
        self._stop = threading.Event()
        self.restarts = 0  # how often the watchdog found a dead clock or police thread
        self._ticker = self._start_thread(self._tick, "sandbox-epoch")
        self._police = self._start_thread(self._police_scratch, "sandbox-scratch-police")
        self.pump = _Pump()
        self._pumper = self._start_thread(self.pump.run, "sandbox-output")

    @staticmethod
    def _start_thread(target: Callable[[], None], name: str) -> threading.Thread:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        return thread

    def _tick(self) -> None:
        """Advance the epoch by the ticks due since start, so a late wake-up catches up."""
        origin = time.monotonic()
        done = 0
        while not self._stop.wait(EPOCH_TICK_S):
            due = int((time.monotonic() - origin) / EPOCH_TICK_S)
            for _ in range(min(due - done, 1000)):
                self.engine.increment_epoch()
            done = due

    def _police_scratch(self) -> None:
        while not self._stop.wait(POLICE_EVERY_S):
            with self._active_lock:
                active = list(self._active)
            held = scratch.held_files() if active else []
            for state in active:
                try:
                    _police(state, held)
                except Exception:  # never let one run's tree stop the policing of the others
                    log.exception("policing a scratch dir failed")

    def _forward(self, state: RunState, memory: wasmtime.Memory, caller: Any, name: str) -> Any:
        """Wasmtime's own ``name`` (a ``wasmtime_func_t``), through the forwarder made at a run's first stat call.

        Made with the C API's own calls: wasmtime-py's ``Linker.get``, ``Instance`` and ``exports``
        wrap every import and export in Python objects, ~0.2 ms of a run's CPU where the C calls
        take ~0.03 ms, and a run that imports a module outside the snapshot (or changes its dir)
        pays it once.
        """
        if not state.forwarders:
            context = caller._context()
            imports = (_ffi.wasmtime_extern_t * (1 + len(_FORWARDED)))()
            imports[0] = memory._as_extern()
            for at, call in enumerate(_FORWARDED, 1):
                if not _ffi.wasmtime_linker_get(
                    self.wasi.ptr(), context, *_c_name(_WASI), *_c_name(call), ctypes.byref(imports[at])
                ):
                    raise SandboxError(f"the WASI linker lacks {call}")
            forwarder = _ffi.wasmtime_instance_t()
            trap = ctypes.POINTER(_ffi.wasm_trap_t)()
            error = _ffi.wasmtime_instance_new(
                context, self.forwarder.ptr(), imports, len(imports), ctypes.byref(forwarder), ctypes.byref(trap)
            )
            if _failed(error, trap):
                raise SandboxError("the stat forwarder could not be instantiated")
            for call in _FORWARDED:
                item = _ffi.wasmtime_extern_t()
                found = _ffi.wasmtime_instance_export_get(
                    context, ctypes.byref(forwarder), *_c_name(call), ctypes.byref(item)
                )
                if not found or cast(int, item.kind) != _ffi.WASMTIME_EXTERN_FUNC.value:
                    raise SandboxError(f"the stat forwarder lacks {call}")
                state.forwarders[call] = item.of.func
        return state.forwarders[name]

    def _instantiate(self, store: wasmtime.Store) -> wasmtime.Instance:
        """A fresh instance of the snapshot in ``store`` (no guest code runs: the snapshot has no start function)."""
        instance = _ffi.wasmtime_instance_t()
        trap = ctypes.POINTER(_ffi.wasm_trap_t)()
        error = _ffi.wasmtime_instance_pre_instantiate(
            self._pre, store._context(), ctypes.byref(instance), ctypes.byref(trap)
        )
        if error:
            raise wasmtime.WasmtimeError._from_ptr(error)
        if trap:
            raise wasmtime.Trap._from_ptr(trap)
        return wasmtime.Instance._from_raw(instance)

    def watchdog(self) -> None:
        """Restart the clock or the police thread if either died; loudly, since runs depend on them."""
        if self._stop.is_set():
            return
        if not self._ticker.is_alive():
            log.critical("the sandbox epoch ticker had stopped: restarted (runs had no wall clock)")
            self.restarts += 1
            self._ticker = self._start_thread(self._tick, "sandbox-epoch")
        if not self._police.is_alive():
            log.critical("the sandbox scratch police had stopped: restarted (scratch caps were not enforced)")
            self.restarts += 1
            self._police = self._start_thread(self._police_scratch, "sandbox-scratch-police")
        if not self._pumper.is_alive():
            log.critical("the sandbox output pump had stopped: restarted (output was read only at host calls)")
            self.restarts += 1
            self._pumper = self._start_thread(self.pump.run, "sandbox-output")

    def threads_alive(self) -> bool:
        return self._ticker.is_alive() and self._police.is_alive() and self._pumper.is_alive()

    def close(self) -> None:
        self._stop.set()
        self.pump.stop()
        self._ticker.join(timeout=1)
        self._police.join(timeout=1)
        self._pumper.join(timeout=1)

    def execute(
        self,
        program: str,
        *,
        limits: Limits,
        stdin: bytes = b"",
        files: Mapping[str, str | bytes] | None = None,
        on_control: Callable[[RunState, Any, Control], None] | None = None,
        on_input: Callable[[RunState, Any, Control, int, int], bytes | None] | None = None,
        work_check: bool = False,
    ) -> RawRun:
        """One run of ``program``; ``work_check``: it starts with ``os.chdir('/work')`` (see ``_path_filestat_get``)."""
        self.watchdog()
        state = RunState(limits=limits, on_control=on_control, on_input=on_input, work_check=work_check)
        root = scratch.make_run_dir()
        started = time.monotonic()
        store: wasmtime.Store | None = None
        try:
            work = root / "work"
            work.mkdir()
            _write_files(work, files or {})
            store = wasmtime.Store(self.engine)
            wasi = wasmtime.WasiConfig()
            wasi.argv = ["python", "-S", "-c", "pass"]  # what the snapshot was made with
            wasi.env = self.env
            _stdin_bytes(wasi, snapshot.frame_stdin(snapshot.compiled(program, self.magic), stdin))
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
            _watch_epochs(store)
            instance = self._instantiate(store)
            start = instance.exports(store)[snapshot.RUN_EXPORT]
            memory = instance.exports(store)["memory"]
            assert isinstance(start, wasmtime.Func) and isinstance(memory, wasmtime.Memory)
            state.forward = functools.partial(self._forward, state, memory)
            state.memory = memory
        except Exception as exc:
            if state.pipes is not None:
                state.pipes.close()
            scratch.remove_tree(root)
            return _fault(state, started, f"could not start the guest: {exc}")
        _current.state = state
        assert state.pipes is not None
        state.pipes.start(self.pump)
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
            if state.stop is None:
                return _fault(state, started, f"wasmtime error: {exc}")
        finally:
            _current.state = None
            with self._active_lock:
                self._active.discard(state)
            state.pipes.close()
            scratch.remove_tree(root)
        try:
            fuel_used = state.fuel_used(store) if state.fuel_at_stop is None else state.fuel_at_stop
            peak = memory.data_len(store)
        except Exception as exc:
            return _fault(state, started, f"could not read the guest's state: {exc}")
        wall_ms = (time.monotonic() - started) * 1000
        status, detail = _verdict(state, exit_code, trap, peak)
        return RawRun(status, exit_code, state, fuel_used, wall_ms, peak, detail)


def _stdin_bytes(wasi: wasmtime.WasiConfig, data: bytes) -> None:
    """The guest's stdin from memory: no file to write, and its reads are no handoff to Wasmtime's
    blocking threads (a file's are); nor can the guest seek back to the framed program."""
    vec = _ffi.wasm_byte_vec_t()
    _ffi.wasm_byte_vec_new(ctypes.byref(vec), len(data), (_ffi.wasm_byte_t * len(data)).from_buffer_copy(data))
    _ffi.wasi_config_set_stdin_bytes(wasi.ptr(), ctypes.byref(vec))  # the config owns the bytes from here


def _verdict(state: RunState, exit_code: int | None, trap: wasmtime.Trap | None, peak: int) -> tuple[RunStatus, str]:
    if state.stop is not None:
        return state.stop, {
            RunStatus.OUTPUT_LIMIT: f"output cap exceeded ({state.scratch_fault or 'stdout or stderr'})",
            RunStatus.TIME_LIMIT: "wall-clock limit reached",
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


def _police(state: RunState, held: list[tuple[str, str]]) -> None:
    """Stop a run whose scratch dir is over a cap (bytes, entries, depth) and empty its files."""
    work = state.work
    if work is None:
        return
    usage = scratch.police(work, held=held)
    fault = usage.over()
    if not fault:
        return
    scratch.police(work, truncate=True, held=held)
    if state.stop is None:
        state.scratch_fault = fault
        state.stop = RunStatus.OUTPUT_LIMIT


def _write_files(work: Path, files: Mapping[str, str | bytes]) -> None:
    """Write a run's files into its fresh ``work`` dir (no guest has touched it yet).

    One ``open`` and ``write`` a file, and a ``mkdir`` only for a folder not made yet:
    ``Path.write_text`` after ``mkdir(parents=True, exist_ok=True)`` was ~75 us of a run's CPU
    for its one file, most of it Python.
    """
    made: set[tuple[str, ...]] = set()
    for name, content in files.items():
        rel = PurePosixPath(name)
        parts = rel.parts
        if rel.is_absolute() or ".." in parts or not parts:
            raise ValueError(f"file path must be relative and inside the work dir: {name!r}")
        folder = parts[:-1]
        if folder and folder not in made:
            work.joinpath(*folder).mkdir(parents=True, exist_ok=True)
            made.add(folder)
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        fd = os.open(os.path.join(work, *parts), _NEW_FILE, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)

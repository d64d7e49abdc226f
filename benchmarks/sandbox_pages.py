"""Which pages of the snapshot's linear memory a run writes, why, and what they cost.

    .venv/bin/python benchmarks/sandbox_pages.py [--every 4] [--rounds 5]

For HumanEval programs (every ``--every``-th), run each in a fresh ``Sandbox.run`` instance and,
just before the instance is dropped, read its linear memory and ``/proc/self/pagemap``: a page
mapped from the snapshot's image and never written is a shared (file or memfd) page; a page the run
wrote is a private copy.  Each written page is compared with the pristine image (a fresh
instance's memory) 4 bytes at a time and counted as

* ``refcounts only``: every changed word is an object's reference count (the next word, in the
  image, is the address of a type object the guest lists, and the value moved by less than 2**16);
* ``net zero``: written, but ends as it was (a count raised and lowered again, a free list
  popped and pushed): CPython 3.11 has no immortal objects, so reading a shared object writes it;
* ``other words``: anything else changed (allocations, frames, dicts, the allocator's own state).

Then what the pages cost alone: fresh instances of the snapshot in a loop, the host touching one
program's read pages and then ``k`` of its written pages, the store dropped; process CPU per
instance, ``--rounds`` interleaved passes.  The measuring hook reads the store from
``Machine.execute``'s frame: a measurement only, nothing of it is in the product.
"""

from __future__ import annotations

import argparse
import collections
import ctypes
import statistics
import struct
import sys
import time
from pathlib import Path
from typing import Any

import wasmtime

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sandbox as humaneval  # this folder's HumanEval loader

from interview_sandbox import Sandbox
from interview_sandbox import instance as sandbox_instance
from interview_sandbox.sandbox import machine

PAGE = 4096
_LIST_TYPES = r"""
import builtins, sys
seen, stack = set(), [object, type, type(sys), type(len), type(lambda: 0), type((lambda: 0).__code__)]
stack += [v for m in list(sys.modules.values()) + [builtins] for v in list(vars(m).values()) if isinstance(v, type)]
while stack:
    t = stack.pop()
    if id(t) not in seen:
        seen.add(id(t))
        stack.extend(type.__subclasses__(t))
        print(id(t), t.__module__ + '.' + t.__qualname__)
"""


def _memory_of(store: Any, memory: wasmtime.Memory) -> tuple[int, int]:
    return ctypes.cast(memory.data_ptr(store), ctypes.c_void_p).value or 0, memory.data_len(store)


class Pages:
    """The last run's memory and pagemap entries, read just before its store was dropped."""

    def __init__(self) -> None:
        self.data = b""
        self.entries: tuple[int, ...] = ()
        real = sandbox_instance.scratch.remove_tree

        def remove_tree(root: Path) -> bool:
            caller = sys._getframe(1)
            if caller.f_code.co_name == "execute" and caller.f_locals.get("memory") is not None:
                base, size = _memory_of(caller.f_locals["store"], caller.f_locals["memory"])
                with open("/proc/self/pagemap", "rb") as pagemap:
                    pagemap.seek(base // PAGE * 8)
                    raw = pagemap.read(size // PAGE * 8)
                self.entries = struct.unpack(f"{size // PAGE}Q", raw)
                self.data = ctypes.string_at(base, size)
            return bool(real(root))

        sandbox_instance.scratch.remove_tree = remove_tree


def fresh_instance() -> tuple[wasmtime.Store, wasmtime.Memory]:
    store = wasmtime.Store(machine().engine)
    store.set_wasi(wasmtime.WasiConfig())
    memory = machine()._instantiate(store).exports(store)["memory"]
    assert isinstance(memory, wasmtime.Memory)
    return store, memory


def classify(
    pages: Pages, pristine: bytes, types: dict[int, str]
) -> tuple[collections.Counter[str], list[int], list[int]]:
    kinds: collections.Counter[str] = collections.Counter()
    written, read = [], []
    for index, entry in enumerate(pages.entries):
        if not entry >> 63 & 1:
            continue
        if entry >> 61 & 1:
            read.append(index)
            continue
        written.append(index)
        at = index * PAGE
        old = struct.unpack("1025I", pristine[at : at + PAGE + 4].ljust(PAGE + 4, b"\0"))
        new = struct.unpack("1024I", pages.data[at : at + PAGE])
        counts = other = 0
        for k in range(1024):
            if old[k] != new[k]:
                delta = (new[k] - old[k] + (1 << 31)) % (1 << 32) - (1 << 31)
                if old[k + 1] in types and abs(delta) < 1 << 16:
                    counts += 1
                else:
                    other += 1
        kinds["net zero" if counts == other == 0 else "refcounts only" if other == 0 else "other words"] += 1
    return kinds, written, read


def touch_cost(written: list[int], read: list[int], n: int) -> float:
    """Process CPU (us) of a fresh instance whose ``read`` pages are read, ``written`` ones written, then dropped."""
    began = time.process_time()
    for _ in range(n):
        store, memory = fresh_instance()
        base, _ = _memory_of(store, memory)
        for index in read:
            ctypes.c_uint8.from_address(base + index * PAGE).value  # noqa: B018  # a read fault
        for index in written:
            byte = ctypes.c_uint8.from_address(base + index * PAGE)
            byte.value = byte.value
        del memory, store
    return (time.process_time() - began) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--every", type=int, default=4, help="every N-th HumanEval program")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved passes of the cost loop")
    args = parser.parse_args()
    sandbox = Sandbox(cache_size=0)
    types = {int(k): v for k, v in (line.split(" ", 1) for line in sandbox.run(_LIST_TYPES).stdout.splitlines())}
    store, memory = fresh_instance()
    pristine = ctypes.string_at(*_memory_of(store, memory))
    del memory, store
    pages = Pages()
    programs = {"pass": "pass"} | {t["task_id"]: humaneval.program(t) for t in humaneval.load()[:: args.every]}
    rows: dict[str, list[int]] = collections.defaultdict(list)
    sets: dict[str, tuple[list[int], list[int]]] = {}
    for name, source in programs.items():
        sandbox.run(source, limits=humaneval.LIMITS)  # the second run is the one read
        result = sandbox.run(source, limits=humaneval.LIMITS)
        kinds, written, read = classify(pages, pristine, types)
        sets[name] = written, read
        if name == "pass":
            print(f"pass: {len(written)} pages written ({dict(kinds)}), {len(read)} read; fuel {result.fuel_used:,}")
            continue
        for key in ("other words", "refcounts only", "net zero"):
            rows[key].append(kinds[key])
        rows["written"].append(len(written))
        rows["read"].append(len(read))
    print(f"{len(programs) - 1} HumanEval programs, {len(pristine) // PAGE} pages of 4 KiB in the image; per run:")
    for key, values in rows.items():
        print(f"  {key}: median {statistics.median(values)}, range {min(values)}-{max(values)}")
    median_name = sorted((len(w), name) for name, (w, _) in sets.items() if name != "pass")[len(sets) // 2][1]
    written, read = sets[median_name]
    steps = [0, len(written) // 2, len(written)]
    cost: dict[int, list[float]] = {k: [] for k in steps}
    nothing = []
    for _ in range(args.rounds):
        nothing.append(touch_cost([], [], 200))
        for k in steps:
            cost[k].append(touch_cost(written[:k], read, 200))
    at = {k: statistics.median(v) for k, v in cost.items()}
    per_page = (at[steps[-1]] - at[0]) / max(1, steps[-1])
    print(
        f"cost alone ({median_name}'s {len(read)} read and {len(written)} written pages; CPU per instance, "
        f"median of {args.rounds} x 200): untouched {statistics.median(nothing):.0f} us, "
        f"reads and drop {at[0]:.0f} us, all {at[steps[-1]]:.0f} us; a written page {per_page:.2f} us"
    )


if __name__ == "__main__":
    main()

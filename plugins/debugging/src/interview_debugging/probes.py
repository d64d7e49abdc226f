"""Random probes: fix correctness from what the program does on inputs the candidate never saw.

A scenario's ``[probes]`` table holds two sources and a list of checks:

- ``draw`` is the pack's own code, run on the host: one function per check, ``name(rng)``, that
  returns the arguments of one case (a JSON list) drawn from ``rng`` (a :class:`random.Random`).
- ``source`` runs in the sandbox next to the program: one function per check, ``name(*args)``,
  that drives the program and *returns* what it observed.

Each session draws its own cases from a seed derived from the session (recorded with the
submission, so a grading can be reproduced).  The candidate's program and the reference fix run
the same cases in cases mode; their returned values are compared on the host, so neither a
special case for the visible test's input, nor a hard-coded answer, nor a program that forges
verdicts through stack frames can pass: the expected values exist only on the host, and only
after the reference fix produced them.

A check is one group of the fix-correctness score, and it counts only when *every* drawn case
agrees with the reference: each draw exercises the behaviour the check is about, so a wrong fix
fails every session's draw and a right one passes every session's — the verdict does not depend
on the seed (validation checks this over several seeds).
"""

from __future__ import annotations

import functools
import hashlib
import json
import random
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from attrs import field, frozen

from interview_engine import CallCase, CaseOutcome, CaseStatus

__all__ = ["PROBE_CASES", "ProbeCheck", "Probes", "ReferenceOutputs", "draw_cases", "probe_call", "session_seed"]

#: Cases drawn per check per session.
PROBE_CASES = 5
_ENTRY = "__probe__"


def _tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value)


@frozen
class ProbeCheck:
    """One randomised check: ``name`` is its function in both sources; ``title`` is what the candidate sees."""

    name: str
    title: str
    weight: float

    def __attrs_post_init__(self) -> None:
        if not self.name.isidentifier() or self.name.startswith("_"):
            raise ValueError(f"ProbeCheck.name must be a public Python identifier, got {self.name!r}")
        if self.weight <= 0:
            raise ValueError(f"ProbeCheck.weight must be positive in check {self.name!r}")


def _checks_not_empty(instance: object, attribute: Any, value: tuple[ProbeCheck, ...]) -> None:
    if not value:
        raise ValueError("Probes.checks must not be empty")
    names = [check.name for check in value]
    if len(set(names)) != len(names):
        raise ValueError("Probes.checks: check names must be unique")


@frozen
class Probes:
    """A scenario's random probes (see the module docstring)."""

    draw: str
    source: str
    checks: tuple[ProbeCheck, ...] = field(converter=_tuple, validator=_checks_not_empty)
    cases: int = PROBE_CASES

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.cases <= 50:
            raise ValueError("Probes.cases must be between 1 and 50")


def session_seed(session_id: str, scenario_id: str) -> int:
    """The probes' seed of one session: stable for the session, different between sessions."""
    digest = hashlib.sha256(f"{session_id}:{scenario_id}:probes".encode()).digest()
    return int.from_bytes(digest[:4], "big")


@functools.lru_cache(maxsize=64)
def _draw_functions(source: str) -> dict[str, Callable[..., Any]]:
    namespace: dict[str, Any] = {"__name__": "interview_debugging_probe_draw"}
    exec(compile(source, "<probe draw>", "exec"), namespace)  # noqa: S102  # the pack's own trusted code
    return {name: value for name, value in namespace.items() if callable(value) and not name.startswith("_")}


def draw_cases(probes: Probes, seed: int) -> list[tuple[ProbeCheck, CallCase]]:
    """Every case of ``probes`` for ``seed``: ``cases`` per check, named ``check#n``, in check order.

    Each check draws from a generator of its own, so adding a check never changes another's cases.
    """
    functions = _draw_functions(probes.draw)
    drawn = []
    for check in probes.checks:
        draw = functions.get(check.name)
        if draw is None:
            raise ValueError(f"Probes.draw defines no function {check.name!r}")
        rng = random.Random(f"{seed}:{check.name}")
        for number in range(1, probes.cases + 1):
            args = draw(rng)
            if not isinstance(args, list | tuple):
                raise ValueError(f"Probes.draw: {check.name} must return the list of a case's arguments")
            # Through JSON: what reaches the guest is data, and the same data on every host.
            args = json.loads(json.dumps(list(args)))
            drawn.append((check, CallCase(name=f"{check.name}#{number}", args=(check.name, args))))
    return drawn


def probe_call(probes: Probes) -> tuple[str, str]:
    """The guest source (the checks and a dispatcher) and its entry point for cases mode."""
    dispatcher = f"\n\ndef {_ENTRY}(check, args):\n    return globals()[check](*args)\n"
    return probes.source + dispatcher, _ENTRY


class ReferenceOutputs:
    """The outcomes of the pack's own programs (the reference fix, the bug) per set of cases, kept by a
    hash of everything that decides them.

    Bounded and locked, and computed once per key: a second request for a key being computed waits
    for it (a submit asks for the reference's probes from two threads at once, for the candidate's
    program and for the bug).
    """

    def __init__(self, size: int = 128) -> None:
        self.size = size
        self._items: OrderedDict[str, list[CaseOutcome]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[str, threading.Lock] = {}

    @staticmethod
    def key(program: Mapping[str, str], source: str, cases: list[CallCase]) -> str:
        text = json.dumps([sorted(program.items()), source, [[c.name, list(c.args)] for c in cases]], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def _kept(self, key: str) -> list[CaseOutcome] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def get(self, key: str, compute: Callable[[], list[CaseOutcome]]) -> list[CaseOutcome]:
        found = self._kept(key)
        if found is not None:
            return found
        with self._lock:
            gate = self._computing.setdefault(key, threading.Lock())
        try:
            with gate:  # one computes, the others wait and find it kept
                found = self._kept(key)
                if found is not None:
                    return found
                value = compute()
                if any(o.status is CaseStatus.SANDBOX_ERROR for o in value):
                    return value  # a fault is the sandbox's: the next try runs again
                with self._lock:
                    self._items[key] = value
                    while len(self._items) > self.size:
                        self._items.popitem(last=False)
                return value
        finally:
            with self._lock:
                if self._computing.get(key) is gate and not gate.locked():
                    del self._computing[key]

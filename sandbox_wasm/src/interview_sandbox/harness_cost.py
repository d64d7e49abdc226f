"""The harness's own fuel around each case, measured where no candidate code runs."""

from __future__ import annotations

import hashlib
import marshal
import threading
from collections.abc import Sequence
from typing import Any

from attrs import define, evolve

from interview_engine.runner import CaseOutcome, CaseStatus, Limits
from interview_sandbox import values
from interview_sandbox.harness import Execute, run_cases

__all__ = ["DECODE_SLACK", "DECODE_SLACK_FUEL", "EMPTY_CALL", "HarnessCost"]

# The harness's own cost, measured with no candidate code: ``call(False, *args)`` is an empty call
# of the case's input; ``call(True, value)`` less ``call(False, value)`` is encoding ``value``.
EMPTY_CALL = "def call(keep, *args):\n    return args[0] if keep else None\n"
# How far a case's decoding may pass the empty call's decoding of the same input and still be the
# harness's own (the heap's state differs between instances: measured within ~0.2% and 10 000
# fuel); past it, the rest counts as the candidate's.
DECODE_SLACK = 0.005
DECODE_SLACK_FUEL = 20_000


@define
class _Cost:
    """The harness's own fuel at one case's place: decoding the input, then around an empty call."""

    decode: int = 0
    call: int = 0


class HarnessCost:
    """The harness's own fuel for each case, measured where no candidate code runs, cached by payload.

    A case runs from the host's begin (the input handed out) to its result.  The harness marks
    the call's start once the input is decoded; code under test could mark it too, so the mark
    only counts while the decoding before it costs no more than the same input's decoding in
    an instance without candidate code (:data:`DECODE_SLACK` aside): code run during the
    decoding is then the candidate's.  A mark sent early only makes the case cost more.  After
    the mark, the harness's own cost around the call (an empty call, and encoding the value the
    case returned) is measured in instances without candidate code, and subtracted: so a
    cheap function of a large input (a binary search) is not measured as the decoding, nor a
    sort as the encoding.  The encoding is credited only when the harness went on after the
    case: code that reports its own value (through the harness's ``send``) and then exits, so
    that the harness cannot void the case, skipped the encoding and is not credited with it.
    The empty calls run at the candidate's cases' places in an instance
    of their own, so the interpreter's state at each is alike.
    """

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._known: dict[tuple[int, bytes], _Cost] = {}
        self._lock = threading.Lock()

    def less(
        self,
        execute: Execute,
        measured: tuple[Sequence[CaseOutcome], Sequence[int | None], Sequence[bool]],
        args: Sequence[tuple[Any, ...]],
        limits: Limits,
    ) -> list[CaseOutcome]:
        """The outcomes with each case's fuel less the harness's own for it (never below zero)."""
        outcomes, decoding, went_on = measured
        # One instance: each case's input to an empty call at the case's own place, then for
        # each returned value, the value kept and dropped side by side (alike but for encoding it).
        payloads = [marshal.dumps((False, *a)) for a in args]
        pairs: dict[int, int] = {}
        for i, outcome in enumerate(outcomes):
            if outcome.status is CaseStatus.RETURNED and went_on[i]:  # else the value may not be the harness's
                try:
                    value = values.from_wire(outcome.actual)
                except values.NotAWireValue:  # a forged report: its encoded form costs about the same
                    value = outcome.actual
                pairs[i] = len(payloads)
                payloads += [marshal.dumps((True, value)), marshal.dumps((False, value))]
        if all(o.status is CaseStatus.SANDBOX_ERROR for o in outcomes):
            return list(outcomes)  # nothing ran: nothing to measure
        costs = self._costs(payloads, execute, limits)
        if isinstance(costs, str):
            fault = f"the sandbox failed measuring the harness's own cost: {costs}"
            return [
                o if o.status is CaseStatus.SANDBOX_ERROR else evolve(o, status=CaseStatus.SANDBOX_ERROR, error=fault)
                for o in outcomes
            ]
        net = []
        for i, (outcome, decoded) in enumerate(zip(outcomes, decoding, strict=True)):
            harness_cost = costs[i]
            at = pairs.get(i)
            encoding = 0 if at is None else max(0, costs[at].call - costs[at + 1].call)
            allowed = int(harness_cost.decode * (1 + DECODE_SLACK)) + DECODE_SLACK_FUEL
            own_decode = min(outcome.fuel_used if decoded is None else decoded, allowed)
            own = own_decode + harness_cost.call + encoding
            net.append(evolve(outcome, fuel_used=max(0, outcome.fuel_used - own)))
        return net

    def _costs(self, payloads: Sequence[bytes], execute: Execute, limits: Limits) -> list[_Cost] | str:
        """The empty call's costs for each payload at its place; what failed when the sandbox did."""
        keys = [(i, hashlib.sha256(p).digest()) for i, p in enumerate(payloads)]
        with self._lock:
            known: list[_Cost | None] = [self._known.get(k) for k in keys]
        if any(k is None for k in known):
            run = list(payloads)
            names = [f"harness cost {i}" for i in range(len(run))]
            files = {"solution.py": EMPTY_CALL}
            orders = {"mode": "call", "entry": "call"}
            outcomes, decoding, _ = run_cases(execute, names, orders, files, limits, run)
            faults = [o.error for o in outcomes if o.status is CaseStatus.SANDBOX_ERROR]
            if faults:
                return faults[0] or "sandbox_error"
            known = [
                _Cost(d, max(0, o.fuel_used - d)) if o.status is CaseStatus.RETURNED and d is not None else _Cost()
                for o, d in zip(outcomes, decoding, strict=True)
            ]
            with self._lock:
                for key, measured in zip(keys, known, strict=True):
                    cost = measured or _Cost()
                    if len(self._known) >= self._size:
                        self._known.pop(next(iter(self._known)))
                    self._known[key] = cost
        return [cost or _Cost() for cost in known]

"""Testing rigor cannot be earned by reading the program (issue 12).

Each regression test here is a candidate's attempt to score rigor without testing behaviour: it
tells the bug from a fix by the program's text or code, against a blacklist of everything public
in the repository (the bug, every equivalent bug, every mutant).  Before test runs were sealed
(the program's files removed once it is imported, its functions' code closed to the tests), each
of them failed on the bug, the equivalent bugs and the mutants, passed on every correct fix and
scored 5.0 on every scenario.  Now each fails on every program, as a test that checks nothing
true of the code's behaviour should: it earns what detecting the bug earns (1), never more.
"""

from __future__ import annotations

import hashlib

import pytest

from interview_debugging.execution import run_regression
from interview_debugging.facts import RegressionFacts
from interview_debugging.grading import score_testing
from interview_debugging.module import facts_of_regression
from interview_debugging.pack import DebugPack, load_pack
from interview_debugging.scenario import BugScenario
from interview_engine import CallCase
from interview_sandbox import Sandbox

SCENARIOS = sorted(load_pack().scenarios)


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    return Sandbox(cache_size=0, threads=2)


def _bad_programs(scenario: BugScenario) -> list[dict[str, str]]:
    """Everything a regression test must fail on, as published in the scenario's file."""
    programs = [scenario.files]
    programs += [scenario.equivalent_files(b) for b in scenario.equivalent_bugs]
    programs += [scenario.mutant_files(m) for m in scenario.mutants]
    return programs


def _digest_blacklist(scenario: BugScenario) -> str:
    path = scenario.root_cause.file
    digests = sorted({hashlib.sha256(p[path].encode()).hexdigest() for p in _bad_programs(scenario)})
    return f"""
import hashlib

BAD = {digests!r}


def test_the_program_is_none_of_the_published_bugs():
    with open({path!r}, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() not in BAD
"""


def _module_and_function(scenario: BugScenario) -> tuple[str, list[str]]:
    module = scenario.root_cause.file[: -len(".py")].replace("/", ".")
    return module, scenario.root_cause.function.split(".")


def _source_blacklist(scenario: BugScenario) -> str:
    """Greps the faulty function's source (inspect, linecache and the loader, whichever answers)."""
    module, attrs = _module_and_function(scenario)
    path = scenario.root_cause.file
    bad_texts = sorted({p[path] for p in _bad_programs(scenario)})
    return f"""
import importlib
import inspect
import linecache

BAD = {bad_texts!r}


def _text():
    module = importlib.import_module({module!r})
    for read in (
        lambda: inspect.getsource(module),
        lambda: "".join(linecache.getlines(module.__file__)),
        lambda: module.__loader__.get_source(module.__name__),
    ):
        try:
            text = read()
        except Exception:
            continue
        if text:
            return text
    raise AssertionError("no source")


def test_the_program_text_is_none_of_the_published_bugs():
    assert _text() not in BAD
"""


def _code_blacklist(scenario: BugScenario, sandbox: Sandbox) -> str:
    """Fingerprints the faulty function's bytecode, names and constants."""
    module, attrs = _module_and_function(scenario)
    fingerprint = f"""
import importlib


def _fingerprint():
    target = importlib.import_module({module!r})
    for name in {attrs!r}:
        target = getattr(target, name)
    return repr(_of_object(target))


def _of_object(target):
    target = getattr(target, "__wrapped__", target)  # a decorated function: the code it wraps
    if isinstance(target, type):  # a class: each of its functions
        return tuple((k, _of_object(v)) for k, v in sorted(vars(target).items()) if callable(v))
    return _of(target.__code__)


def _of(code):
    consts = tuple(_of(c) if hasattr(c, "co_code") else repr(c) for c in code.co_consts)
    return (code.co_code, code.co_names, consts, code.co_varnames)
"""
    bad = []
    for program in _bad_programs(scenario):  # what the attacker computes on a machine of their own
        [outcome] = sandbox.call_cases(fingerprint, "_fingerprint", [CallCase("f", [])], files=program)
        assert isinstance(outcome.actual, str), outcome  # unsealed, the fingerprint is readable
        bad.append(outcome.actual)
    test = "def test_the_code_is_none_of_the_published_bugs():\n    assert _fingerprint() not in BAD\n"
    return f"{fingerprint}\n\nBAD = {sorted(set(bad))!r}\n\n\n{test}"


def _rigor(sandbox: Sandbox, pack: DebugPack, scenario: BugScenario, source: str) -> tuple[float, RegressionFacts]:
    tests = {"test_gaming.py": source}
    report = run_regression(sandbox, scenario, tests, scenario.fixed_files())
    facts = facts_of_regression(report, tests, scenario.visible_tests)
    return score_testing(facts, pack.scoring).score, facts


@pytest.mark.parametrize("scenario_id", SCENARIOS)
@pytest.mark.parametrize("attack", ["digest", "source", "code"])
def test_a_blacklist_of_the_published_bugs_earns_no_more_than_detecting_the_bug(
    sandbox: Sandbox, pack: DebugPack, scenario_id: str, attack: str
) -> None:
    scenario = pack.scenarios[scenario_id]
    if attack == "digest":
        source = _digest_blacklist(scenario)
    elif attack == "source":
        source = _source_blacklist(scenario)
    else:
        source = _code_blacklist(scenario, sandbox)
    score, facts = _rigor(sandbox, pack, scenario, source)
    assert score <= pack.scoring.rigor_detects_bug, facts  # was 5.0: fails on every bad program, passes the fixes
    assert facts.onReferenceFix.verdict == "failed", facts  # it cannot read what it checks

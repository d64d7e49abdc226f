"""The four dimensions, scored from the facts stored with a submission.

Running code happens at submit time (see :mod:`interview_debugging.execution`);
the facts are stored in the submission's summary, and this module turns them
into scores, evidence and a result.  The same facts always give the same
evaluation.  Every number comes from :class:`~interview_debugging.scoring_spec.ScoringSpec`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from attrs import frozen

from interview_debugging.facts import HiddenFacts, RegressionFacts
from interview_debugging.results import HiddenGroup
from interview_debugging.scenario import BugScenario, Concept
from interview_debugging.scoring_spec import ScoringSpec
from interview_engine import Evidence, unstructure

__all__ = [
    "FIXED",
    "PARTIAL",
    "UNRESOLVED",
    "DimensionScore",
    "fix_gain",
    "hidden_gain",
    "parse_location",
    "result_of",
    "score_diagnosis",
    "score_fix",
    "score_testing",
]

FIXED, PARTIAL, UNRESOLVED = "fixed", "partial", "unresolved"
_FILE_LINE = re.compile(r"([\w./-]+\.py)(?::(\d+))?")


@frozen
class DimensionScore:
    score: float
    evidence: tuple[Evidence, ...]
    detail: dict[str, Any]


def _clamp(value: float) -> float:
    return round(max(0.0, min(5.0, value)), 2)


def parse_location(location: str) -> tuple[str | None, int | None, str | None]:
    """``FILE:LINE``, ``FILE:function``, ``FILE`` or ``function`` -> (file, line, function)."""
    text = location.strip()
    if not text:
        return None, None, None
    head, _, tail = text.partition(":")
    if head.endswith(".py"):
        tail = tail.strip()
        if tail.isdigit():
            return head, int(tail), None
        return head, None, (tail.removesuffix("()") or None)
    return None, None, text.removesuffix("()")


def _base(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _function_names(scenario: BugScenario) -> list[str]:
    names = []
    for name in (scenario.root_cause.function, *scenario.root_cause.also):
        names.append(name)
        names.append(name.rsplit(".", 1)[-1])
    return list(dict.fromkeys(n.lower() for n in names))


def score_diagnosis(
    scenario: BugScenario,
    concepts: dict[str, Concept],
    diagnosis: str,
    location: str,
    hints: int,
    spec: ScoringSpec,
    judged: dict[str, Any] | None = None,
) -> DimensionScore:
    """Location against the root cause, concept against its tags, minus the hints used.

    ``judged`` is the judging core's findings on the diagnosis text (``AnswerScore.findings``):
    when it judged the scenario's mechanism, the concept points follow it (stated, and no wrong
    mechanism named) instead of the concept's keywords.
    """
    cause = scenario.root_cause
    text = " ".join(diagnosis.lower().split())
    file, line, function = parse_location(location)
    if file is None and line is None and function is None:
        # No explicit location: take the first FILE[:LINE] the text mentions.
        mentioned = _FILE_LINE.search(diagnosis)
        if mentioned:
            file = mentioned.group(1)
            line = int(mentioned.group(2)) if mentioned.group(2) else None
    functions = _function_names(scenario)
    first, last = cause.lines
    right_file = file is not None and _base(file) == _base(cause.file)
    in_range = right_file and line is not None and first - spec.line_tolerance <= line <= last + spec.line_tolerance
    named_function = (function is not None and function.lower() in functions) or any(
        re.search(rf"(?<![\w.]){re.escape(name)}\b", text) for name in functions
    )
    evidence: list[Evidence] = []
    if in_range or named_function:
        points = spec.location_points
        where = f"{file}:{line}" if in_range else (function or "the faulty function, named in the text")
        evidence.append(Evidence("diagnosis", f"location {where} matches the root cause", "diagnosis"))
    elif right_file:
        points = spec.file_points
        evidence.append(Evidence("diagnosis", f"right file ({file}) but not the faulty line or function", "diagnosis"))
    else:
        points = 0.0
        said = location or "none given"
        evidence.append(Evidence("diagnosis", f"location ({said}) does not point at the faulty code", "diagnosis"))

    judged_points = (judged or {}).get("keyPoints") or []
    mechanism = next((p for p in judged_points if cause.mechanism and p.get("point") == cause.mechanism), None)
    wrong = (judged or {}).get("misconceptions") or []
    if mechanism is not None:
        stated = bool(mechanism.get("credited")) and not wrong
        matched = list(cause.concepts) if stated else []
        if stated:
            evidence.append(
                Evidence("diagnosis", f'states the mechanism: "{mechanism.get("evidence", "")}"', "diagnosis")
            )
        for claim in wrong:
            evidence.append(
                Evidence(
                    "diagnosis",
                    f'names a wrong mechanism ({claim.get("claim")}): "{claim.get("evidence")}"',
                    "diagnosis",
                )
            )
    else:
        matched = [tag for tag in cause.concepts if any(k in text for k in concepts[tag].keywords)]
    concept_share = len(matched) / len(cause.concepts)
    points += spec.concept_points * concept_share
    if mechanism is not None:
        if not matched and not wrong:
            evidence.append(
                Evidence("diagnosis", "the text does not state the mechanism (cause, then effect)", "diagnosis")
            )
    elif matched:
        titles = ", ".join(concepts[tag].title for tag in matched)
        evidence.append(Evidence("diagnosis", f"names the concept: {titles}", "diagnosis"))
    else:
        evidence.append(Evidence("diagnosis", "the text does not name what kind of bug it is", "diagnosis"))
    penalty = min(spec.hint_penalty * hints, spec.hint_penalty_cap)
    if penalty:
        evidence.append(Evidence("diagnosis", f"{hints} hint(s) used: -{penalty:g}", "hints"))
    score = _clamp(points - penalty) if (text or location.strip()) else 0.0
    detail = {
        "location": location,
        "locationMatched": bool(in_range or named_function),
        "fileMatched": right_file,
        "conceptsMatched": matched,
        "conceptShare": round(concept_share, 4),
        "hintPenalty": penalty,
    }
    return DimensionScore(score, tuple(evidence), detail)


def fix_gain(share: float, baseline: float) -> float:
    """How much of what the bug failed the patch repairs, 0..1."""
    if baseline >= 1:
        return 1.0 if share >= 1 else 0.0
    return max(0.0, (share - baseline) / (1 - baseline))


Hidden = HiddenFacts | Mapping[str, Any]
"""The hidden checks' facts, typed or as stored."""


def hidden_gain(hidden: Hidden) -> float:
    """The gain over every hidden group, capped by the gain over the random probes' groups.

    The fixed hidden tests are public in the repository and can be answered by rote; the random
    probes cannot.  A patch earns for the fixed groups no more than its probes show it repairs.
    """
    facts = HiddenFacts.load(hidden)
    gain = fix_gain(facts.share, facts.baseline)
    if facts.randomShare is not None:
        gain = min(gain, fix_gain(facts.randomShare, facts.randomBaseline or 0.0))
    return gain


def result_of(hidden: Hidden) -> str:
    facts = HiddenFacts.load(hidden)
    if facts.allPassed:
        return FIXED
    if hidden_gain(facts) > 0:
        return PARTIAL
    return UNRESOLVED


def _group_evidence(group: HiddenGroup) -> Evidence:
    if group.random:
        text = (
            f"random cases '{group.group}' drawn for this session: {group.passed}/{group.total} agree with "
            f"the reference fix (weight {group.weight:g}; the group counts only when all agree)"
        )
        return Evidence("fixCorrectness", text, "random probes")
    text = f"hidden group '{group.group}': {group.passed}/{group.total} passed (weight {group.weight:g})"
    return Evidence("fixCorrectness", text, "hidden tests")


def score_fix(hidden: Hidden) -> DimensionScore:
    """5 x the share of the hidden weight the bug failed and the patch passes, capped by the probes' share."""
    facts = HiddenFacts.load(hidden)
    gain = hidden_gain(facts)
    evidence = [_group_evidence(g) for g in facts.groups]
    plain = fix_gain(facts.share, facts.baseline)
    if gain < plain:
        evidence.append(
            Evidence(
                "fixCorrectness",
                f"capped at what the random probes show repaired ({gain:.0%} of what the bug failed there; "
                f"{plain:.0%} over every group)",
                "random probes",
            )
        )
    score = 5.0 if facts.allPassed else _clamp(5.0 * gain)
    detail = {
        "share": facts.share,
        "baseline": facts.baseline,
        "gain": round(gain, 4),
        "randomShare": facts.randomShare,
        "randomBaseline": facts.randomBaseline,
        "groups": unstructure(facts.groups),
    }
    return DimensionScore(score, tuple(evidence), detail)


def score_testing(regression: RegressionFacts | Mapping[str, Any] | None, spec: ScoringSpec) -> DimensionScore:
    """0 without a test that fails on the bug; then by fix verdicts and mutants caught.

    A test counts only if it fails on the bug and on every equivalent bug, and passes on the
    candidate's fix, the reference fix and every equivalent fix (same behaviour, other bytes); a copy
    of the visible failing test earns ``rigor_copy_cap`` at most.
    """
    if not regression:
        none = (Evidence("testingRigor", "no regression test (a new test_*.py file) was submitted", "files"),)
        return DimensionScore(0.0, none, {"valid": False})
    test = RegressionFacts.load(regression)
    verdict = {
        "onBug": test.onBug.verdict,
        "onCandidateFix": test.onCandidateFix.verdict,
        "onReferenceFix": test.onReferenceFix.verdict,
    }
    equivalents = {e.id: e.verdict for e in test.onEquivalentFixes}
    failed_equivalents = sorted(name for name, v in equivalents.items() if v != "passed")
    caught, total = len(test.mutantsCaught), test.mutantsTotal
    files = ", ".join(test.files)
    evidence = [
        Evidence("testingRigor", f"{files}: {verdict['onBug']} on the original bug", "regression test"),
        Evidence("testingRigor", f"{verdict['onCandidateFix']} on your fix", "regression test"),
        Evidence("testingRigor", f"{verdict['onReferenceFix']} on the reference fix", "regression test"),
    ]
    if equivalents:
        passed = len(equivalents) - len(failed_equivalents)
        evidence.append(
            Evidence(
                "testingRigor",
                f"passed {passed} of {len(equivalents)} other correct fixes (renamed, reformatted, restructured)",
                "regression test",
            )
        )
    bugs = {e.id: e.verdict for e in test.onEquivalentBugs}
    missed_bugs = sorted(name for name, v in bugs.items() if v != "failed")
    if bugs:
        evidence.append(
            Evidence(
                "testingRigor",
                f"failed on {len(bugs) - len(missed_bugs)} of {len(bugs)} versions of the bug written otherwise",
                "regression test",
            )
        )
    fixes_pass = verdict["onReferenceFix"] == "passed" and not failed_equivalents
    valid = verdict["onBug"] == "failed" and verdict["onCandidateFix"] == "passed" and fixes_pass and not missed_bugs
    if verdict["onBug"] != "failed":
        score = 0.0
        evidence.append(Evidence("testingRigor", "a test that does not fail on the bug proves nothing", "rules"))
    elif missed_bugs:
        score = spec.rigor_detects_bug
        evidence.append(
            Evidence(
                "testingRigor",
                f"the test passes on the same bug written otherwise ({', '.join(missed_bugs)}): "
                "it checks the bug's text, not what the code does",
                "rules",
            )
        )
    elif not fixes_pass:
        score = spec.rigor_detects_bug
        which = "the reference fix" if verdict["onReferenceFix"] != "passed" else ", ".join(failed_equivalents)
        evidence.append(
            Evidence(
                "testingRigor",
                f"the test also fails on a correct fix ({which}): it checks how the code is written, not what it does",
                "rules",
            )
        )
    elif verdict["onCandidateFix"] != "passed":
        score = spec.rigor_passes_reference
        evidence.append(Evidence("testingRigor", "the test is right but your fix does not pass it", "rules"))
    else:
        score = spec.rigor_valid + spec.rigor_mutant_bonus * (caught / total if total else 0.0)
        evidence.append(Evidence("testingRigor", f"catches {caught} of {total} planted variants of the bug", "mutants"))
    if test.copiesVisible and score > spec.rigor_copy_cap:
        score = spec.rigor_copy_cap
        evidence.append(
            Evidence(
                "testingRigor",
                f"the test repeats the visible failing test: part credit at most ({spec.rigor_copy_cap:g}); "
                "a regression test pins the cause with cases of its own",
                "rules",
            )
        )
    detail = {
        **verdict,
        "valid": valid,
        "mutantsCaught": caught,
        "mutantsTotal": total,
        "files": list(test.files),
        "equivalentFixesFailed": failed_equivalents,
        "equivalentBugsMissed": missed_bugs,
        "copiesVisible": test.copiesVisible,
    }
    return DimensionScore(_clamp(score), tuple(evidence), detail)

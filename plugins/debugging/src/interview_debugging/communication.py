"""The default ``debug_diagnosis`` scorer: a documented heuristic over the diagnosis text.

Points (numbers in ``[scoring.communication]`` of ``content/rubric.toml``):

- cause: a causal connective ("because", "due to", "root cause", ...);
- location: names a file (``*.py``), a ``line N`` or a function of the program;
- effect: says what the cause leads to ("so", "which", "results in", ...);
- fix: says what was changed ("fixed", "instead", "replace", ...);
- evidence: points at proof ("test", "log", "expected", ...) or quotes code in backticks;
- concept: names the bug's concept (a keyword of its tags).

Texts shorter than ``min_words`` are capped at ``short_cap``; texts longer than
``max_words`` lose ``long_penalty`` (a diagnosis is a paragraph, not an essay).
"""

from __future__ import annotations

import re

from interview_debugging.pack import DebugPack
from interview_debugging.scenario import BugScenario
from interview_debugging.scoring_spec import CommunicationSpec
from interview_engine import AnswerScore, AnswerScoringRequest

__all__ = ["KIND", "SCORER", "diagnosis_request", "score_diagnosis_text"]

KIND = "debug_diagnosis"
SCORER = "debugging-heuristic"
_LOCATION = re.compile(r"\b[\w/]+\.py\b|\bline\s+\d+|\b\w+\(\)|\b\w+\.\w+\(")
_QUOTE = re.compile(r"`[^`]+`")


# A diagnosis's key points by weight: the mechanism carries the most; the location the candidate
# gives separately counts as one more key point (``location_weight`` in the judging rules).
DIAGNOSIS_WEIGHTS = {"mechanism": 4.0, "fix": 1.5}


def location_matches(scenario: BugScenario, diagnosis: str, location: str, tolerance: int = 2) -> bool:
    """Whether ``location`` (or, when none is given, a ``FILE:LINE`` in the text) is the faulty code."""
    from interview_debugging.grading import parse_location

    cause = scenario.root_cause
    file, line, function = parse_location(location)
    if file is None and line is None and function is None:
        mentioned = re.search(r"([\w./-]+\.py)(?::(\d+))?", diagnosis)
        if mentioned:
            file, line = mentioned.group(1), int(mentioned.group(2)) if mentioned.group(2) else None
    names = {n.lower() for f in (cause.function, *cause.also) for n in (f, f.rsplit(".", 1)[-1])}
    right_file = file is not None and file.rsplit("/", 1)[-1] == cause.file.rsplit("/", 1)[-1]
    first, last = cause.lines
    if right_file and line is not None and first - tolerance <= line <= last + tolerance:
        return True
    return (function or "").lower() in names or any(
        re.search(rf"(?<![\w.]){re.escape(name)}\b", diagnosis.lower()) for name in names
    )


def diagnosis_request(pack: DebugPack, scenario: BugScenario, diagnosis: str, location: str) -> AnswerScoringRequest:
    """The hook request for a diagnosis of ``scenario`` (``location`` as the candidate gave it).

    Key points: the mechanism (cause, then effect) and the fix's idea; the location is judged
    separately against the root cause's lines and functions; the scenario's wrong mechanisms are
    its misconceptions.
    """
    cause = scenario.root_cause
    context: dict[str, object] = {
        "scenarioId": scenario.id,
        "itemId": scenario.id,
        "track": scenario.track.value,
        "difficulty": scenario.difficulty.value,
        "functions": [cause.function, *cause.also],
        "keywords": [k for tag in scenario.topics for k in pack.concepts[tag].keywords],
        "location": location,
    }
    if not cause.mechanism:
        return AnswerScoringRequest(kind=KIND, text=diagnosis, prompt=scenario.description, context=context)
    context.update(
        keyPointAspects=["mechanism", "fix"],
        keyPointWeights=[DIAGNOSIS_WEIGHTS["mechanism"], DIAGNOSIS_WEIGHTS["fix"]],
        keyPointAnchors=[list(cause.mechanism_wordings), list(cause.fix_wordings)],
        reference=cause.explanation or cause.mechanism,
        locationMatched=location_matches(scenario, diagnosis, location, pack.scoring.line_tolerance),
    )
    return AnswerScoringRequest(
        kind=KIND,
        text=diagnosis,
        prompt=scenario.description,
        key_points=[cause.mechanism, cause.fix_idea or cause.mechanism],
        misconceptions=cause.wrong_mechanisms,
        context=context,
    )


def _has_any(text: str, words: tuple[str, ...]) -> str | None:
    for word in words:
        if word in text:
            return word.strip()
    return None


def score_diagnosis_text(request: AnswerScoringRequest, spec: CommunicationSpec) -> AnswerScore:
    """Score a diagnosis for clarity; ``request.context`` may hold ``functions`` and ``keywords``."""
    raw = request.text.strip()
    if not raw:
        return AnswerScore(score=0.0, scorer=SCORER, missed=("a diagnosis",))
    text = " " + " ".join(raw.lower().split()) + " "
    words = len(raw.split())
    functions = [str(f) for f in request.context.get("functions", ())]
    keywords = tuple(str(k).lower() for k in request.context.get("keywords", ()))

    found: list[tuple[str, float, str | None]] = [
        ("cause", spec.cause_points, _has_any(text, spec.cause_words)),
        ("effect", spec.effect_points, _has_any(text, spec.effect_words)),
        ("fix", spec.fix_points, _has_any(text, spec.fix_words)),
        ("concept", spec.concept_points, _has_any(text, keywords)),
    ]
    location = _LOCATION.search(raw)
    named = next((f for f in functions if re.search(rf"\b{re.escape(f)}\b", raw, re.IGNORECASE)), None)
    found.append(("location", spec.location_points, location.group(0) if location else named))
    quote = _QUOTE.search(raw)
    found.append(("evidence", spec.evidence_points, _has_any(text, spec.evidence_words) or (quote and quote.group(0))))

    score = sum(points for _, points, hit in found if hit)
    matched = tuple(f"{name}: {hit}" for name, _, hit in found if hit)
    missed = tuple(name for name, _, hit in found if not hit)
    evidence = []
    if words < spec.min_words:
        score = min(score, spec.short_cap)
        evidence.append(f"only {words} word(s): too short to explain cause and effect (at most {spec.short_cap:g})")
    if words > spec.max_words:
        score -= spec.long_penalty
        evidence.append(f"{words} words: longer than {spec.max_words}, -{spec.long_penalty:g}")
    score = round(max(0.0, min(5.0, score)), 2)
    return AnswerScore(score=score, scorer=SCORER, matched=matched, missed=missed, evidence=tuple(evidence))

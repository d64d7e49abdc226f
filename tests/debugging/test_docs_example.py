"""The worked examples of docs/debugging.md are computed by the code, so the doc cannot go stale."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from interview_debugging.evaluation import evaluate_facts
from interview_debugging.execution import run_hidden
from interview_debugging.grading import fix_gain, result_of, score_fix
from interview_debugging.pack import DebugPack
from interview_debugging.probes import session_seed
from interview_engine import Difficulty, Engine, Session, Track

DOC = Path(__file__).resolve().parents[2] / "docs" / "debugging.md"
SCENARIO = "be-mid-invoice-split"


def table(marker: str) -> list[list[str]]:
    """The rows (cells stripped) of the markdown table right after ``<!-- worked example: marker -->``."""
    text = DOC.read_text()
    start = text.index(f"<!-- worked example: {marker} -->")
    rows = []
    for line in text[start:].splitlines()[1:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    assert len(rows) > 2, f"no table after the {marker} marker"
    return rows[2:]  # past the header and the rule


def _program(scenario: Any, label: str) -> dict[str, str]:
    if label == "the bug":
        return dict(scenario.files)
    if label == "reference fix":
        return scenario.fixed_files()
    fix_id = re.match(r"`([^`]+)`", label)
    assert fix_id, label
    return scenario.equivalent_files(next(f for f in scenario.wrong_fixes if f.id == fix_id.group(1)))


def test_the_fix_correctness_example_is_what_the_sandbox_measures(sqlite_engine: Engine, pack: DebugPack) -> None:
    scenario = pack.scenarios[SCENARIO]
    runner = sqlite_engine.context.runner()
    seed = session_seed(str(uuid.uuid4()), SCENARIO)  # any session: the numbers do not depend on it
    bug = run_hidden(runner, scenario, scenario.files, seed)
    rows = table("fix correctness")
    assert len(rows) == 5
    for label, share, baseline, random_share, plain, gain, score, result in rows:
        report = run_hidden(runner, scenario, _program(scenario, label), seed)
        facts = {
            "groups": [],
            "share": report.share,
            "baseline": bug.share,
            "randomShare": report.random_share,
            "randomBaseline": bug.random_share,
            "allPassed": report.all_passed,
        }
        scored = score_fix(facts)
        assert float(share) == pytest.approx(report.share, abs=5e-4), label
        assert float(baseline) == pytest.approx(bug.share, abs=5e-4), label
        assert float(random_share) == pytest.approx(report.random_share or 0.0, abs=5e-4), label
        assert float(plain) == pytest.approx(fix_gain(report.share, bug.share), abs=5e-4), label
        assert float(gain) == pytest.approx(scored.detail["gain"], abs=5e-4), label
        assert float(score) == scored.score, label
        assert result == result_of(facts), label


def test_the_uncapped_scores_the_doc_quotes_are_five_times_the_plain_gain() -> None:
    rows = {row[0].split("`")[1]: row for row in table("fix correctness") if row[0].startswith("`")}
    quoted = re.search(r"the last three would score ([\d.]+), ([\d.]+) and ([\d.]+)", DOC.read_text())
    assert quoted
    order = ["last-person-pays-the-rest", "hard-codes-the-fixed-hidden-inputs", "special-cases-the-visible-test"]
    for fix_id, number in zip(order, quoted.groups(), strict=True):
        assert float(number) == pytest.approx(round(5 * float(rows[fix_id][4]), 2), abs=0.006), fix_id


def test_the_evaluation_example_is_what_evaluate_facts_gives(pack: DebugPack) -> None:
    scenario = pack.scenarios[SCENARIO]
    session = Session(
        id="worked-example",
        user_id="candidate",
        module="debugging",
        track=Track.BACKEND,
        difficulty=Difficulty.MID,
        kb_version=pack.info.kb_version,
    )
    groups = [{"group": g.group, "weight": g.weight, "passed": 1, "total": 1, "random": False} for g in scenario.hidden]
    groups += [
        {"group": c.title, "weight": c.weight, "passed": 5, "total": 5, "random": True} for c in scenario.probes.checks
    ]
    mutants = [m.id for m in scenario.mutants]
    facts = {
        "diagnosis": "split_cents gives everyone the same rounded share, so the rounding error adds up",
        "location": "billing.py:18",
        "hidden": {
            "groups": groups,
            "share": 1.0,
            "baseline": 0.2,
            "randomShare": 1.0,
            "randomBaseline": 0.0,
            "allPassed": True,
        },
        "regression": {
            "files": ["test_split.py"],
            "onBug": {"verdict": "failed"},
            "onCandidateFix": {"verdict": "passed"},
            "onReferenceFix": {"verdict": "passed"},
            "onEquivalentFixes": [{"id": f.id, "verdict": "passed"} for f in scenario.equivalent_fixes],
            "copiesVisible": False,
            "mutantsCaught": mutants[:2],
            "mutantsTotal": len(mutants),
        },
        "communication": {
            "score": 4.0,
            "findings": {
                "keyPoints": [{"point": scenario.root_cause.mechanism, "credited": True, "evidence": "rounded share"}],
                "misconceptions": [],
            },
        },
    }
    assert len(mutants) == 3 and len(scenario.equivalent_fixes) == 3
    evaluation, _ = evaluate_facts(pack, scenario, session, facts, hints=1)
    rows = table("evaluation")
    spec = pack.specs[Difficulty.MID]
    weights = {d.name: d.weight for d in spec.dimensions}
    for dimension, _how, score, weight in rows:
        assert float(score) == evaluation.scores[dimension], dimension
        assert float(weight) == weights[dimension], dimension
    text = DOC.read_text()
    section = text[text.index("<!-- worked example: evaluation -->") :]
    weighted = re.search(r"= \*\*([\d.]+)\*\*", section)
    decision = re.search(r"decision \*\*(\w+)\*\*, result \*\*(\w+)\*\*", section)
    assert weighted and decision
    assert float(weighted.group(1)) == evaluation.weighted_average
    assert decision.groups() == (evaluation.decision.value, evaluation.result)
    assert not evaluation.failed_rules

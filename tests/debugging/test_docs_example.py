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


def _rigor_tests(scenario: Any, runner: Any) -> dict[str, str]:
    """The regression test of each row of the testing-rigor example, by the start of its label."""
    import hashlib

    from interview_engine import CallCase

    bad = [scenario.files] + [scenario.equivalent_files(b) for b in scenario.equivalent_bugs]
    bad += [scenario.mutant_files(m) for m in scenario.mutants]
    reference = hashlib.sha256(scenario.fixed_files()["billing.py"].encode()).hexdigest()
    digests = sorted(hashlib.sha256(p["billing.py"].encode()).hexdigest() for p in bad)
    code = (
        "import billing\n\n\ndef _code():\n"
        "    c = billing.split_cents.__code__\n    return repr((c.co_code, c.co_names))\n"
    )
    fingerprints = sorted(
        {runner.call_cases(code, "_code", [CallCase("c", [])], files=p)[0].actual for p in bad}  # readable, unsealed
    )
    read = (
        "import hashlib\n\n\ndef _digest():\n"
        "    with open('billing.py', 'rb') as f:\n        return hashlib.sha256(f.read()).hexdigest()\n"
    )
    visible = scenario.visible_tests["test_billing.py"]
    copied = visible[visible.index("def test_shares_add_up_to_the_total") :].split("\n\n\n")[0]
    return {
        "the scenario's own": scenario.regression.source,
        "`sha256(billing.py) ==": f"{read}\n\ndef test_fixed():\n    assert _digest() == {reference!r}\n",
        '`"round(': "def test_gone():\n    assert 'round(total_cents / people)' not in open('billing.py').read()\n",
        "`sha256(billing.py)` not": f"{read}\n\ndef test_none():\n    assert _digest() not in {digests!r}\n",
        "`split_cents.__code__`": f"{code}\n\ndef test_none():\n    assert _code() not in {fingerprints!r}\n",
        "`test_shares_add_up_to_the_total`": "from billing import split_cents\n\n\n"
        + copied.replace("test_shares_add_up_to_the_total", "test_my_own"),
    }


def test_the_testing_rigor_example_is_what_the_sandbox_gives(sqlite_engine: Engine, pack: DebugPack) -> None:
    from interview_debugging.execution import run_regression
    from interview_debugging.grading import score_testing
    from interview_debugging.module import facts_of_regression

    scenario = pack.scenarios[SCENARIO]
    runner = sqlite_engine.context.runner()
    sources = _rigor_tests(scenario, runner)
    rows = table("testing rigor")
    assert len(rows) == len(sources)
    for label, on_bug, on_same_bug, on_yours, on_reference, equivalents, mutants, rigor in rows:
        [source] = [text for start, text in sources.items() if label.startswith(start)]
        tests = {"test_mine.py": source}
        report = run_regression(runner, scenario, tests, scenario.fixed_files())
        scored = score_testing(facts_of_regression(report, tests, scenario.visible_tests), pack.scoring)
        assert on_bug == report.on_bug.verdict, label
        assert [on_same_bug] == [v.verdict for _, v in report.on_equivalent_bugs], label
        assert on_yours == report.on_candidate_fix.verdict, label
        assert on_reference == report.on_reference_fix.verdict, label
        passed = sum(v.verdict == "passed" for _, v in report.on_equivalent_fixes)
        assert equivalents == f"{passed}/{len(report.on_equivalent_fixes)}", label
        assert mutants == f"{len(report.mutants_caught)}/{report.mutants_total}", label
        assert float(rigor.split("**")[1]) == scored.score, label

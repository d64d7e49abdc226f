"""Agreement of the free-text scorers with a labelled corpus, and the cost of judging one text.

Usage::

    .venv/bin/python benchmarks/judging.py [--corpus DIR] [--kind KIND] [--baseline] [--json] [--show-misses]

``--corpus`` defaults to ``../shared/datasets/judging`` next to the repository.  Every text is
scored exactly as a session scores it: the plugins' ``scoring_request`` hook builds the request and
the ``answer_scorer`` hook answers it (the bundled scorers unless a plugin overrides them).

Figures, per kind and overall:

- in band: share of texts whose score is inside their label's band (target >= 85%);
- false credit: bad texts (wrong, stuffed, off topic, don't know, vague, wrong mechanism)
  scored more than 0.5 above their band (target <= 3%);
- missed credit: good texts (excellent, partial, clear, correct, correct terse) more than 0.5
  below their band (target <= 5%);
- misconceptions caught: texts labelled with a misconception whose score names one (target >= 75%);
- best beats bad: items whose best text outscores every bad text (target >= 95%);
- latency: median and p90 milliseconds to score one text (after the model is loaded), and the
  median CPU milliseconds (what the work costs when the machine is shared).

``--baseline`` also scores every text with the phrase-matching heuristics the judging core
replaced (still in the plugins: ``score_screen_answer``, ``score_narration``,
``score_diagnosis_text``), interleaved text by text with the current scorers, and prints both.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from interview_engine import AnswerScore, AnswerScoringRequest, Engine, hookimpl

ROOT = Path(__file__).resolve().parent.parent
FILES = {
    "screen_answer": "screen_answers.jsonl",
    "coding_narration": "coding_narration.jsonl",
    "debug_diagnosis": "debug_diagnosis.jsonl",
}
GOOD = {"excellent", "partial", "clear", "correct", "correct_terse"}
BEST = {"excellent", "clear", "correct"}


def _default_corpus() -> Path:
    for parent in (ROOT, *ROOT.parents):
        candidate = parent / "shared" / "datasets" / "judging"
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared" / "datasets" / "judging"


class Baseline:
    """The heuristics the judging core replaced, registered ahead of every other scorer."""

    @hookimpl(tryfirst=True)
    def answer_scorer(self, request: AnswerScoringRequest) -> AnswerScore | None:
        if request.kind == "screen_answer":
            from interview_voice_screen.scorer import score_screen_answer

            return score_screen_answer(request)
        if request.kind == "coding_narration":
            from interview_live_coding.narration import score_narration
            from interview_live_coding.plugin import module

            return score_narration(request, module().heuristics.clarity)
        if request.kind == "debug_diagnosis":
            from interview_debugging.communication import score_diagnosis_text
            from interview_debugging.pack import load_pack

            return score_diagnosis_text(request, load_pack().scoring.communication)
        return None


def load(corpus: Path, kinds: list[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for kind in kinds:
        with (corpus / FILES[kind]).open(encoding="utf-8") as handle:
            rows += [json.loads(line) for line in handle if line.strip()]
    return rows


def score_all(engine: Engine, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    hooks = engine.hooks
    results = []
    for row in rows:
        request: AnswerScoringRequest = hooks.scoring_request(
            kind=row["kind"], item_id=row["item"], text=row["text"], location=row.get("location", "")
        )
        started, cpu = time.perf_counter(), time.process_time()
        answer = engine.context.score_answer(request)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        results.append(
            {
                **row,
                "score": answer.score,
                "flagged": bool(answer.misconceptions),
                "ms": elapsed * 1e3,
                "cpuMs": cpu * 1e3,
                "scorer": answer.scorer,
                "answer": answer,
            }
        )
    return results


def figures(results: list[dict[str, Any]]) -> dict[str, Any]:
    def share(hits: int, total: int) -> float | None:
        return round(100.0 * hits / total, 1) if total else None

    in_band = sum(r["band"][0] <= r["score"] <= r["band"][1] for r in results)
    bad = [r for r in results if r["label"] not in GOOD]
    good = [r for r in results if r["label"] in GOOD]
    false_credit = sum(r["score"] > r["band"][1] + 0.5 for r in bad)
    missed = sum(r["score"] < r["band"][0] - 0.5 for r in good)
    wrong = [r for r in results if r["misconception"]]
    caught = sum(r["flagged"] for r in wrong)
    by_item: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        by_item[(r["kind"], r["item"])].append(r)
    ordered = 0
    for texts in by_item.values():
        best = max((r["score"] for r in texts if r["label"] in BEST), default=None)
        worst = [r["score"] for r in texts if r["label"] not in GOOD]
        ordered += best is not None and all(best > s for s in worst)
    times = sorted(r["ms"] for r in results)
    cpu = sorted(r.get("cpuMs", 0.0) for r in results)
    return {
        "texts": len(results),
        "inBand": share(in_band, len(results)),
        "falseCredit": share(false_credit, len(bad)),
        "missedCredit": share(missed, len(good)),
        "misconceptionsCaught": share(caught, len(wrong)),
        "bestBeatsBad": share(ordered, len(by_item)),
        "medianMs": round(statistics.median(times), 2) if times else None,
        "p90Ms": round(times[int(0.9 * (len(times) - 1))], 2) if times else None,
        # CPU time of the scoring process: on a loaded machine the wall time is mostly a wait for a core.
        "cpuMedianMs": round(statistics.median(cpu), 2) if cpu else None,
        "scorers": sorted({r["scorer"] for r in results}),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--kind", choices=sorted(FILES), action="append")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--baseline", action="store_true", help="also score with the replaced heuristics")
    parser.add_argument("--show-misses", action="store_true", help="print every text scored outside its band")
    args = parser.parse_args(argv)
    corpus = args.corpus or _default_corpus()
    kinds = args.kind or list(FILES)
    engine = Engine.create(database_url="sqlite://")
    baseline = Engine.create(database_url="sqlite://", plugins=[Baseline()]) if args.baseline else None
    try:
        rows = load(corpus, kinds)
        # Load the model (and any content) before timing: it is loaded once per process.
        score_all(engine, rows[:1])
        results: list[dict[str, Any]] = []
        old: list[dict[str, Any]] = []
        for row in rows:  # interleaved, A B A B, so both see the same machine load
            results += score_all(engine, [row])
            if baseline is not None:
                old += score_all(baseline, [row])
    finally:
        engine.close()
        if baseline is not None:
            baseline.close()
    report: dict[str, Any] = {kind: figures([r for r in results if r["kind"] == kind]) for kind in kinds}
    report["overall"] = figures(results)
    if baseline is not None:
        report["baseline"] = {kind: figures([r for r in old if r["kind"] == kind]) for kind in kinds}
        report["baseline"]["overall"] = figures(old)
    if args.show_misses:
        for r in results:
            if not r["band"][0] <= r["score"] <= r["band"][1]:
                print(
                    f"{r['kind']:16} {r['item']:30} {r['label']:15} {r['score']:4} {r['band']} "
                    f"{r['answer'].matched} {r['answer'].misconceptions} {r['answer'].evidence[-2:]}",
                    file=sys.stderr,
                )
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(
            f"{'kind':18}{'texts':>6}{'in band':>9}{'false cr':>10}{'missed':>8}{'miscon':>8}{'order':>7}{'med ms':>8}"
            f"{'cpu ms':>8}"
        )
        rows_out = [(k, f) for k, f in report.items() if k != "baseline"]
        rows_out += [(f"old {k}", f) for k, f in report.get("baseline", {}).items()]
        for kind, f in rows_out:
            print(
                f"{kind:18}{f['texts']:>6}{f['inBand']!s:>9}{f['falseCredit']!s:>10}{f['missedCredit']!s:>8}"
                f"{f['misconceptionsCaught']!s:>8}{f['bestBeatsBad']!s:>7}{f['medianMs']!s:>8}{f['cpuMedianMs']!s:>8}"
            )
        print("scorers:", ", ".join(report["overall"]["scorers"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

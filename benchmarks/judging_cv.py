"""Choose the judging rules' thresholds by k-fold cross-validation on the labelled corpus.

Usage::

    nice -n 10 .venv/bin/python benchmarks/judging_cv.py [--corpus DIR] [--kind KIND] [--folds K] [--json]

The corpus's items (questions, problems, scenarios) are split into ``K`` folds; for each fold the
rules are fitted on the other folds' texts (coordinate descent over a small grid of each rule,
starting from the defaults of :class:`JudgingRules` for the rules searched, not from the
bundled values, which were fitted on every item) and the fold's own texts are then scored with the fitted
rules.  The figures printed per fold and pooled over the folds are therefore on texts of items the
fit never saw: they estimate what the rules do on a new set, unlike the figures of the rules fitted
on every item (printed last, with the values to put in ``rules.toml``).

Objective maximised by the fit: in band % - false credit % - missed credit %
+ (misconceptions caught % + best beats bad %) / 4.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

from attrs import asdict, evolve

sys.path.insert(0, str(Path(__file__).resolve().parent))

from judging import FILES, _default_corpus, figures, load

from interview_engine import Engine
from interview_engine.judging import JudgingRules, judge_request, rules_for

# The values tried for each rule (base moves span with it, so that base + span stays 5).
GRID: dict[str, list[float]] = {
    "credit": [0.4, 0.45, 0.5, 0.55],
    "full": [0.55, 0.6, 0.65, 0.7, 0.75],
    "alignment": [0.0, 0.25, 0.5],
    "assign_margin": [1.0, 0.1, 0.05, 0.0],
    "reference_clauses": [0.0, 1.0],
    "claim": [0.5, 0.55, 0.6, 0.65],
    "overclaim_claim": [0.4, 0.45, 0.5],
    "contradiction": [0.5, 0.55, 0.6, 0.7],
    "base": [0.5, 1.0, 1.5],
    "nothing": [0.5, 1.0, 1.5],
    "on_topic": [0.3, 0.35, 0.4],
    "deny_scope": [2.0, 4.0, 6.0, 8.0],
    "vague_cap": [5.0, 2.5, 2.0, 1.5],
    "brief_words": [0, 40, 50],
    "brief_cap": [3.5, 3.0, 2.5],
    "own_points": [0, 2, 3],
    "claim_vs_wordings": [1.0, 0.0],
}
PASSES = 2
# Which key point a sentence is evidence for is not labelled in the corpus (only a text's band), so a
# fit on it always prefers a sentence crediting every point it is loosely near: where a kind's rules
# set shared_credit, these two are kept as bundled (benchmarks/cross_credit.py measures them).
EVIDENCE_RULES = ("assign_margin", "shared_credit")


def objective(f: dict[str, Any]) -> float:
    def val(key: str, missing: float) -> float:
        v = f[key]
        return missing if v is None else float(v)

    return (
        val("inBand", 0.0)
        - val("falseCredit", 0.0)
        - val("missedCredit", 0.0)
        + (val("misconceptionsCaught", 100.0) + val("bestBeatsBad", 100.0)) / 4
    )


def with_rule(rules: JudgingRules, name: str, value: float) -> JudgingRules | None:
    changes: dict[str, Any] = {name: value}
    if name == "base":
        changes["span"] = 5.0 - value
    try:
        return evolve(rules, **changes)
    except ValueError:
        return None  # e.g. full not above credit


def score(cases: list[tuple[dict[str, Any], Any]], rules: JudgingRules) -> list[dict[str, Any]]:
    out = []
    for row, request in cases:
        judgment = judge_request(request, rules)
        out.append(
            {
                **row,
                "score": judgment.score,
                "flagged": bool(judgment.misconceptions),
                "ms": 0.0,
                "scorer": "",
                "judgment": judgment,
            }
        )
    return out


def show_misses(scored: list[dict[str, Any]]) -> None:
    """Print each held-out text scored outside its band or with a misconception not found, and the findings."""
    for r in scored:
        unflagged = r["misconception"] and not r["flagged"]
        if r["band"][0] <= r["score"] <= r["band"][1] and not unflagged:
            continue
        j = r["judgment"]
        credited = [p.point for p in j.key_points if p.credited]
        claims = [(m.claim, m.evidence) for m in j.misconceptions]
        print(
            f"  miss {r['item']} {r['label']} {r['score']} {r['band']} credited={credited} false={claims} "
            f"notes={list(j.notes)}" + (" misconception not found" if unflagged else ""),
            file=sys.stderr,
        )


def searched(bundled: JudgingRules) -> list[str]:
    """The rules the fit searches for a kind (not the evidence rules where the kind sets them)."""
    kept = EVIDENCE_RULES if bundled.shared_credit <= 1.0 else ()
    return [name for name in GRID if name not in kept]


def fit(cases: list[tuple[dict[str, Any], Any]], start: JudgingRules, names: list[str]) -> JudgingRules:
    best = start
    best_value = objective(figures(score(cases, best)))
    for _ in range(PASSES):
        for name in names:
            values = GRID[name]
            for value in values:
                candidate = with_rule(best, name, value)
                if candidate is None or candidate == best:
                    continue
                value_of = objective(figures(score(cases, candidate)))
                if value_of > best_value + 1e-9:
                    best, best_value = candidate, value_of
    return best


def neutral(bundled: JudgingRules) -> JudgingRules:
    """Where every fit starts: the kind's bundled rules with each searched rule at its default.

    Starting from the bundled values would leak: they were themselves fitted on every item.
    """
    defaults = JudgingRules()
    return evolve(bundled, **{name: getattr(defaults, name) for name in [*searched(bundled), "span"]})


def folds_of(items: list[str], k: int) -> list[list[str]]:
    shuffled = sorted(items)
    random.Random(13).shuffle(shuffled)
    return [shuffled[i::k] for i in range(k)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--kind", choices=sorted(FILES), action="append")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--show-misses",
        action="store_true",
        help="print every held-out text outside its band or with a misconception not found",
    )
    args = parser.parse_args(argv)
    kinds = args.kind or list(FILES)
    engine = Engine.create(database_url="sqlite://")
    report: dict[str, Any] = {}
    held_out_all: list[dict[str, Any]] = []
    fitted_all: list[dict[str, Any]] = []
    try:
        for kind in kinds:
            rows = load(args.corpus or _default_corpus(), [kind])
            cases = [
                (
                    row,
                    engine.hooks.scoring_request(
                        kind=kind, item_id=row["item"], text=row["text"], location=row.get("location", "")
                    ),
                )
                for row in rows
            ]
            start = neutral(rules_for(kind))
            held_out: list[dict[str, Any]] = []
            per_fold = []
            for fold in folds_of(sorted({r["item"] for r in rows}), args.folds):
                train = [c for c in cases if c[0]["item"] not in fold]
                test = [c for c in cases if c[0]["item"] in fold]
                rules = fit(train, start, searched(rules_for(kind)))
                scored = score(test, rules)
                held_out += scored
                per_fold.append({"items": fold, **figures(scored)})
                print(f"{kind} fold {len(per_fold)}: {per_fold[-1]}", file=sys.stderr)
                if args.show_misses:
                    show_misses(scored)
            final = fit(cases, start, searched(rules_for(kind)))
            fitted = score(cases, final)
            held_out_all += held_out
            fitted_all += fitted
            report[kind] = {
                "heldOut": figures(held_out),
                "folds": per_fold,
                "fitted": figures(fitted),
                "bundled": figures(score(cases, rules_for(kind))),
                "rules": {k: v for k, v in asdict(final).items() if v != getattr(rules_for(kind), k)},
            }
    finally:
        engine.close()
    report["overall"] = {"heldOut": figures(held_out_all), "fitted": figures(fitted_all)}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        keys = ("inBand", "falseCredit", "missedCredit", "misconceptionsCaught", "bestBeatsBad")
        print(f"{'kind':18}{'figures':10}" + "".join(f"{k[:10]:>12}" for k in keys))
        for kind, entry in report.items():
            for which in ("bundled", "heldOut", "fitted"):
                if which in entry:
                    print(f"{kind:18}{which:10}" + "".join(f"{entry[which][k]!s:>12}" for k in keys))
            for n, fold in enumerate(entry.get("folds", []), 1):
                print(f"{kind:18}{'fold ' + str(n):10}" + "".join(f"{fold[k]!s:>12}" for k in keys))
            if entry.get("rules"):
                print(f"  fitted on every item: {entry['rules']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

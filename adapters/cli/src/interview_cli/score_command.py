"""``interview score``: judge one text exactly as a session would, for tests, content authors and teams."""

from __future__ import annotations

from pathlib import Path

import click

from interview_cli.output import console, emit_json, fail
from interview_engine.commands import current

KINDS = ("screen_answer", "coding_narration", "debug_diagnosis")
MAX_TEXT_BYTES = 64 * 1024


@click.command()
@click.argument("kind")
@click.argument("item")
@click.option("--text-file", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The text to judge.")
@click.option("--location", default="", help="FILE:LINE the candidate names (debug_diagnosis).")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def score(kind: str, item: str, text_file: Path, location: str, as_json: bool) -> None:
    """Judge a text: KIND is screen_answer, coding_narration or debug_diagnosis; ITEM the question,
    problem or scenario id."""
    if kind not in KINDS:
        fail(f"kind: {kind!r} is not one of {', '.join(KINDS)}", 2)
    try:
        with text_file.open("rb") as handle:
            raw = handle.read(MAX_TEXT_BYTES + 1)
    except OSError as exc:
        fail(f"--text-file: cannot read {text_file}: {exc.strerror or exc}", 2)
    if len(raw) > MAX_TEXT_BYTES:
        fail(f"--text-file: longer than {MAX_TEXT_BYTES // 1024} KiB", 2)
    text = raw.decode("utf-8", errors="replace")
    engine = current().engine
    request = engine.hooks.scoring_request(kind=kind, item_id=item, text=text, location=location)
    if request is None:
        fail(f"kind: no installed module judges {kind!r}", 2)
    answer = engine.context.score_answer(request)
    findings = dict(answer.findings) or {
        "score": answer.score,
        "keyPoints": [{"point": p, "credited": True, "evidence": ""} for p in answer.matched]
        + [{"point": p, "credited": False, "evidence": ""} for p in answer.missed],
        "misconceptions": [{"claim": c, "evidence": ""} for c in answer.misconceptions],
        "scorer": answer.scorer,
    }
    findings["score"], findings["scorer"] = answer.score, answer.scorer
    if as_json:
        emit_json(findings)
        return
    console.print(f"[bold]{answer.score:g}[/] / 5 by {answer.scorer}")
    for point in findings["keyPoints"]:
        mark = "[green]stated[/]" if point["credited"] else "[dim]missing[/]"
        quote = f' - "{point["evidence"]}"' if point["evidence"] else ""
        console.print(f"  {mark} {point['point']}{quote}", highlight=False)
    for claim in findings["misconceptions"]:
        console.print(f'  [red]false[/] {claim["claim"]} - "{claim["evidence"]}"', highlight=False)
    for note in findings.get("notes", ()):
        console.print(f"  [dim]{note}[/]")

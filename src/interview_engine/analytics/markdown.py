"""The study plan as Markdown: a file a candidate can keep, print or paste anywhere."""

from __future__ import annotations

from interview_engine.analytics.plan import StudyPlan
from interview_engine.study import StudyResource

__all__ = ["plan_markdown"]

KIND_HEADINGS = (("fact_sheet", "Fact sheets"), ("reference", "References"), ("practice", "Practice"))


def _escape(text: str) -> str:
    """Keep candidate-independent text from turning into Markdown markup by accident."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("\n", " ")


def _line(resource: StudyResource) -> str:
    title = _escape(resource.title)
    label = f"[{title}]({resource.url})" if resource.url else f"**{title}**"
    if resource.kind == "practice":
        level = f", {resource.difficulty}" if resource.difficulty else ""
        label += f" — {resource.module} `{resource.item_id}`{level}"
    return f"- {label}: {_escape(resource.why)}"


def plan_markdown(plan: StudyPlan) -> str:
    """Render ``plan`` as Markdown, with the pack versions and time it was built from."""
    at = f"your sessions up to {plan.at:%Y-%m-%d %H:%M} UTC" if plan.at else "no sessions yet"
    lines = [
        f"# Study plan ({plan.track})",
        "",
        f"Built from {at}; mastery half-life {plan.half_life_days:g} days; "
        f"rules `{plan.rules}`; digest `{plan.digest}`.",
        "",
        "Content packs: " + (", ".join(f"{m} `{v}`" for m, v in plan.kb_versions.items()) or "none") + ".",
        "",
    ]
    if plan.at is None:
        lines += ["No scored sessions yet: the plan fills in after your first evaluated session.", ""]
    elif not plan.topics:
        lines += ["No weak topics: every scored topic is at 60% mastery or better. Keep practising.", ""]
    for topic in plan.topics:
        heading = f"## {topic.rank}. {_escape(topic.topic)} — mastery {topic.mastery:.0%}"
        lines += [heading, "", f"Why: {topic.why}.", ""]
        if topic.evidence:
            lines += ["| Date | Session | Item | Score |", "| --- | --- | --- | --- |"]
            lines += [
                f"| {o.at:%Y-%m-%d} | `{o.session_id[:8]}` | {_escape(o.item_id) or '-'} | {o.score:.0%} |"
                for o in topic.evidence
            ]
            lines.append("")
        for kind, heading in KIND_HEADINGS:
            chosen = [r for r in topic.resources if r.kind == kind]
            if chosen:
                lines += [f"### {heading}", "", *(_line(r) for r in chosen), ""]
        others = [r for r in topic.resources if r.kind not in dict(KIND_HEADINGS)]
        if others:
            lines += ["### More", "", *(_line(r) for r in others), ""]
    return "\n".join(lines).rstrip() + "\n"

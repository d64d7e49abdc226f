"""Charts drawn on the server as inline SVG: readable without JavaScript, no chart library to ship."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from markupsafe import Markup

SCALE_MAX = 5.0


def rubric_bars(scores: Mapping[str, float], weights: Mapping[str, float], *, floor: float | None = None) -> Markup:
    """Horizontal bars, one per dimension (0..5), labelled with score and weight."""
    row, label_w, bar_w = 34, 150, 300
    height = row * len(scores) + 24
    parts = [
        f'<svg class="chart" role="img" aria-label="Rubric scores" viewBox="0 0 {label_w + bar_w + 90} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">'
    ]
    for tick in range(6):
        x = label_w + bar_w * tick / SCALE_MAX
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 18}" class="grid"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 4}" class="tick">{tick}</text>')
    if floor is not None:
        x = label_w + bar_w * floor / SCALE_MAX
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 18}" class="floor"/>')
    for index, (name, value) in enumerate(scores.items()):
        y = index * row + 4
        width = bar_w * max(0.0, min(value, SCALE_MAX)) / SCALE_MAX
        weight = weights.get(name)
        caption = f"{value:.2f}" + (f" · {weight:.0%}" if weight is not None else "")
        css = "bar good" if value >= 4 else "bar ok" if value >= 3 else "bar low"
        parts.append(f'<text x="0" y="{y + 17}" class="label">{escape(name)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{width:.1f}" height="18" rx="3" class="{css}"/>')
        parts.append(f'<text x="{label_w + width + 6:.1f}" y="{y + 17}" class="value">{caption}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text is escaped above

"""Markdown from content packs, rendered safely (raw HTML is not allowed through)."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup

_RENDERER = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(text: str) -> Markup:
    html = _RENDERER.render(text or "")
    # A code block scrolls sideways on a phone; keyboard users must be able to reach it to scroll it.
    html = html.replace("<pre>", '<pre tabindex="0">')
    return Markup(html)  # noqa: S704 - markdown-it escapes raw HTML with html=False

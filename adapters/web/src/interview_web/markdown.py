"""Markdown from content packs, rendered safely (raw HTML is not allowed through)."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup

_RENDERER = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(text: str) -> Markup:
    return Markup(_RENDERER.render(text or ""))  # noqa: S704 - markdown-it escapes raw HTML with html=False

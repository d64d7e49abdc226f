"""Rendering pages: the web kit's :func:`~interview_web.kit.page`, under its older address."""

from __future__ import annotations

from interview_web.kit import page

__all__ = ["page"]

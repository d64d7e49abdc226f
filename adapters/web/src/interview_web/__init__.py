"""The bundled web app and JSON API (Litestar)."""

from interview_web.app import create_app

__all__ = ["create_app"]

"""Storage: SQLAlchemy 2 with Alembic; SQLite by default, PostgreSQL in production.

Only this subpackage imports SQLAlchemy.
"""

from interview_engine.storage.database import DATABASE_URL_ENV, default_database_url, resolve_database_url
from interview_engine.storage.store import Store

__all__ = ["DATABASE_URL_ENV", "Store", "default_database_url", "resolve_database_url"]

"""Alembic environment: run migrations on the connection the engine hands over."""

from alembic import context

from interview_engine.storage.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - the alembic command line, for authors of migrations
    from interview_engine.storage.database import make_engine, resolve_database_url

    connection = make_engine(resolve_database_url()).connect()

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()

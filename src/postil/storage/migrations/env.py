"""Alembic environment: runs migrations on the connection the caller passes in."""

from __future__ import annotations

from alembic import context

from postil.storage.search import include_object
from postil.storage.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()

"""Alembic-Umgebung: nur programmatisch (`kommune.datenbank.schema.migrieren`), die Verbindung kommt mit."""

from alembic import context

verbindung = context.config.attributes["verbindung"]
context.configure(connection=verbindung, target_metadata=None)
with context.begin_transaction():
    context.run_migrations()

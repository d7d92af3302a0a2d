"""Schema (Alembic-Migrationen, programmatisch) und Rollen der Datenbank."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

MIGRATIONEN = Path(__file__).resolve().parent / "migrationen"
LESEN = "bm_lesen"
SCHREIBEN = "bm_schreiben"


def migrieren(verbindung: sa.Connection) -> None:
    """Alle Alembic-Migrationen auf dieser Verbindung ausführen (idempotent)."""
    konf = Config()
    konf.set_main_option("script_location", str(MIGRATIONEN))
    konf.attributes["verbindung"] = verbindung
    command.upgrade(konf, "head")


def rollen_anlegen(verbindung: sa.Connection) -> None:
    """Lese-Rolle (nur SELECT) und Schreib-Rolle (Import, Übernahme) anlegen und berechtigen."""
    for rolle in (LESEN, SCHREIBEN):
        da = verbindung.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": rolle}).first()
        if not da:
            verbindung.execute(sa.text(f"CREATE ROLE {rolle} LOGIN"))
    db = verbindung.execute(sa.text("SELECT current_database()")).scalar_one()
    verbindung.execute(sa.text(f'GRANT CONNECT ON DATABASE "{db}" TO {LESEN}, {SCHREIBEN}'))
    verbindung.execute(sa.text(f"GRANT USAGE ON SCHEMA public TO {LESEN}, {SCHREIBEN}"))
    verbindung.execute(sa.text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {LESEN}"))
    verbindung.execute(sa.text(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public FROM {LESEN}"))
    verbindung.execute(sa.text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {SCHREIBEN}"))
    verbindung.execute(sa.text(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {SCHREIBEN}"))


def init(url: str) -> None:
    """`db init`: Migrationen ausführen und Rollen anlegen (als Eigentümer der Datenbank)."""
    motor = sa.create_engine(url)
    try:
        with motor.begin() as v:
            migrieren(v)
            rollen_anlegen(v)
    finally:
        motor.dispose()

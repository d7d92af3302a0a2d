"""Eine eigene PostgreSQL-Datenbank je Testlauf (`BILDUNGSMONITOR_TEST_DATENBANK`, Verbindung zum Server).

In CI (CI=true) scheitert ein DB-Test ohne Variable oder ohne erreichbaren Server; lokal ohne Variable wird er
mit klarer Meldung übersprungen (`scripts/testdatenbank.sh` startet einen Server für `./test.sh`).
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

UMGEBUNG = "BILDUNGSMONITOR_TEST_DATENBANK"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@dataclass(frozen=True)
class Testdatenbank:
    """Die URLs der frischen Datenbank: Eigentümer (init), Lesen (bm_lesen), Schreiben (bm_schreiben)."""

    admin: str
    lesen: str
    schreiben: str


def _server_url() -> str:
    url = os.environ.get(UMGEBUNG, "").strip()
    if not url:
        grund = f"{UMGEBUNG} ist nicht gesetzt (z. B. postgresql+psycopg://postgres@127.0.0.1:55432/postgres)"
        if IN_CI:
            pytest.fail(f"In CI muss der Datenbank-Test laufen: {grund}.")
        pytest.skip(f"Kein PostgreSQL für die Tests: {grund}; siehe scripts/testdatenbank.sh.")
    return url


@pytest.fixture(scope="session")
def testdatenbank():
    """Legt je Testlauf eine eigene Datenbank an (Migrationen, Rollen) und löscht sie am Ende."""
    import sqlalchemy as sa

    from kommune.datenbank.schema import LESEN, SCHREIBEN, init

    server = sa.make_url(_server_url())
    name = f"bm_test_{uuid.uuid4().hex[:10]}"
    motor = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with motor.connect() as v:  # nicht erreichbar → Fehler (auch lokal, wenn die Variable gesetzt ist)
            v.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin = server.set(database=name)
        init(admin.render_as_string(hide_password=False))
        db = Testdatenbank(
            admin.render_as_string(hide_password=False),
            admin.set(username=LESEN, password=None).render_as_string(hide_password=False),
            admin.set(username=SCHREIBEN, password=None).render_as_string(hide_password=False),
        )
        yield db
    finally:
        from kommune.datenbank import _ablage

        _ablage.cache_clear()  # DROP … WITH (FORCE) trennt die Verbindungen der Pools
        with motor.connect() as v:
            v.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        motor.dispose()


def datenbank_fall(testdatenbank: Testdatenbank, quelle: Path, tmp_path: Path):
    """Eine Kopie der Datei-Kommune `quelle` unter neuem Namen in die Testdatenbank übernehmen.

    Gibt (Ablage, Name) zurück; für `ablage_fixture` in tests/test_ablage.py gedacht."""
    from kommune.datenbank import datenbankablage
    from kommune.datenbank.uebertragung import uebernehmen

    ordner = Path(shutil.copytree(quelle, tmp_path / f"k{uuid.uuid4().hex[:8]}"))
    a = datenbankablage(testdatenbank.lesen, testdatenbank.schreiben)
    return a, uebernehmen(a, str(ordner))

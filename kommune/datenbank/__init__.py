"""Die Ablage in PostgreSQL/PostGIS: mehrere Kommunen in einer Datenbank, Versionen als Delta.

`datenbankablage(url)` ist die Fabrik für `kommune.ablage.ablage()`. Gelesen wird mit der Lese-Rolle (nur
SELECT, die URL aus `BILDUNGSMONITOR_DATENBANK`), geschrieben mit der Schreib-Rolle
(`BILDUNGSMONITOR_DATENBANK_SCHREIBEN`, sonst dieselbe URL mit dem Benutzer `bm_schreiben`).
"""

from __future__ import annotations

import os
from functools import lru_cache

import sqlalchemy as sa

from kommune.datenbank.ablage import DatenbankAblage

SCHREIB_UMGEBUNG = "BILDUNGSMONITOR_DATENBANK_SCHREIBEN"


def schreib_url(url: str) -> str:
    """Die URL der Schreib-Rolle: aus der Umgebung oder die Lese-URL mit dem Benutzer `bm_schreiben`."""
    aus_umgebung = os.environ.get(SCHREIB_UMGEBUNG, "").strip()
    if aus_umgebung:
        return aus_umgebung
    from kommune.datenbank.schema import SCHREIBEN

    return sa.make_url(url).set(username=SCHREIBEN, password=None).render_as_string(hide_password=False)


@lru_cache(maxsize=8)
def _ablage(lesen: str, schreiben: str) -> DatenbankAblage:
    return DatenbankAblage(lesen, schreiben)


def datenbankablage(url: str, schreiben: str | None = None) -> DatenbankAblage:
    """Die Datenbank-Ablage zu dieser URL (je URL ein Verbindungspool)."""
    return _ablage(url, schreiben or schreib_url(url))


__all__ = ["DatenbankAblage", "datenbankablage", "schreib_url"]

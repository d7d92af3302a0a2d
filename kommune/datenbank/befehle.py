"""Die Befehle `python -m kommune db …` (ohne argparse: Argumente kommen als Namespace)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from kommune.ablage import DATENBANK_UMGEBUNG
from kommune.fehler import KommuneFehler

ADMIN_UMGEBUNG = "BILDUNGSMONITOR_DATENBANK_ADMIN"


def _url(wert: str | None, umgebung: str, wofuer: str) -> str:
    url = (wert or os.environ.get(umgebung, "")).strip()
    if not url:
        raise KommuneFehler(f"Für „{wofuer}“ fehlt die Verbindung: bitte {umgebung}=postgresql+psycopg://… setzen.")
    try:
        sa.make_url(url)
    except sa.exc.ArgumentError:
        raise KommuneFehler(f"{umgebung} ist keine gültige Datenbank-URL (erwartet: postgresql+psycopg://…).") from None
    return url


def db_befehl(befehl: str, args: Any) -> str:
    """Einen db-Befehl ausführen; die Zeile für die Ausgabe zurückgeben. Verbindungsfehler → `KommuneFehler`."""
    from kommune.datenbank import datenbankablage
    from kommune.datenbank.schema import init
    from kommune.datenbank.uebertragung import exportieren, uebernehmen

    try:
        if befehl == "init":
            init(_url(getattr(args, "url", None), ADMIN_UMGEBUNG, "db init"))
            return "Datenbank eingerichtet (Migrationen ausgeführt, Rollen bm_lesen und bm_schreiben berechtigt)."
        a = datenbankablage(_url(None, DATENBANK_UMGEBUNG, f"db {befehl}"))
        if befehl == "uebernehmen":
            name = uebernehmen(a, args.kommune)
            return f"Übernommen: „{name}“ mit {len(a.versionen(name))} Versionen."
        ziel = exportieren(a, args.kommune, Path(args.ordner))
        return f"Exportiert nach {ziel} (mit dem Datei-Backend ladbar)."
    except sa.exc.OperationalError as e:
        grund = str(e.orig).strip().splitlines()[0] if e.orig else type(e).__name__
        raise KommuneFehler(f"Die Datenbank ist nicht erreichbar oder verweigert den Zugang ({grund[:200]}).") from None
    except sa.exc.ProgrammingError as e:
        grund = str(e.orig).strip().splitlines()[0] if e.orig else type(e).__name__
        raise KommuneFehler(
            f"Die Datenbank lehnt den Befehl ab ({grund[:200]}); ist sie mit „db init“ eingerichtet?"
        ) from None

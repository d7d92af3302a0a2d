"""Teil von `benchmarks.ablage_bench`: Dateien gegen PostgreSQL/PostGIS (Laden, Stand, Import).

Legt eine eigene Datenbank auf dem Server `--datenbank` an (Eigentümer-URL, z. B. die aus
scripts/testdatenbank.sh), übernimmt die Kommunen und löscht die Datenbank am Ende wieder.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def _s(f, n: int) -> float:
    zeiten = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        zeiten.append(time.perf_counter() - t)
    return round(statistics.median(zeiten), 4)


@contextmanager
def frische_datenbank(server: str) -> Iterator[Any]:
    """Eine eigene Datenbank auf `server` (Eigentümer-URL) mit Schema und Rollen; die Ablage darauf (Lesen mit
    bm_lesen, Schreiben mit bm_schreiben). Am Ende wird die Datenbank gelöscht."""
    import sqlalchemy as sa

    from kommune.datenbank import _ablage, datenbankablage
    from kommune.datenbank.schema import LESEN, SCHREIBEN, init

    url = sa.make_url(server)
    name = f"bm_bench_{uuid.uuid4().hex[:8]}"
    motor = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with motor.connect() as v:
        v.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        admin = url.set(database=name)
        init(admin.render_as_string(hide_password=False))
        yield datenbankablage(
            admin.set(username=LESEN, password=None).render_as_string(hide_password=False),
            admin.set(username=SCHREIBEN, password=None).render_as_string(hide_password=False),
        )
    finally:
        _ablage.cache_clear()
        with motor.connect() as v:
            v.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        motor.dispose()


def vergleichen(server: str, kommunen: list[str], laeufe: int, zeilen: int) -> dict[str, Any]:
    """Median der Ladezeiten (Sekunden) je Backend im selben Lauf und ein Import von `zeilen` Zeilen."""
    from benchmarks.import_bench import MUSTERSTADT, lieferung_schreiben
    from kommune.dateiablage import DateiAblage
    from kommune.datenbank.uebertragung import uebernehmen
    from kommune.laden import BEKANNTE_KOMMUNEN
    from kommune.versionen import importieren

    aus: dict[str, Any] = {}
    with frische_datenbank(server) as db:
        datei = DateiAblage()
        for k in kommunen:
            if k in BEKANNTE_KOMMUNEN and not BEKANNTE_KOMMUNEN[k].verfuegbar():
                aus[k] = {"fehlt": "Datenordner nicht vorhanden"}
                continue
            t = time.perf_counter()
            uebernehmen(db, k)
            uebernahme = round(time.perf_counter() - t, 3)
            aus[k] = {
                "laden_dateien_s": _s(lambda k=k: datei.laden(datei.stand(k)), laeufe),
                "laden_postgis_s": _s(lambda k=k: db.laden(db.stand(k)), laeufe),
                "stand_postgis_ms": round(_s(lambda k=k: db.stand(k), 200) * 1000, 3),
                "uebernehmen_s": uebernahme,
                "laeufe": laeufe,
            }
        with tempfile.TemporaryDirectory() as tmp:
            lieferung = Path(tmp) / "lieferung.csv"
            n = lieferung_schreiben(lieferung, zeilen)
            imp: dict[str, Any] = {"zeilen": n}
            for art in ("dateien", "postgresql"):
                ordner = Path(shutil.copytree(MUSTERSTADT, Path(tmp) / f"stadt_{art}"))
                ziel = datei if art == "dateien" else db
                if art == "postgresql":
                    uebernehmen(db, str(ordner))
                t = time.perf_counter()
                ergebnis = importieren(ordner, lieferung, nutzer="bench", ablage=ziel)
                imp[f"{art}_s"] = round(time.perf_counter() - t, 3)
                imp[f"{art}_version"] = ergebnis.version
            aus["import"] = imp
    return aus

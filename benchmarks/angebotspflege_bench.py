"""Benchmark Angebotspflege: der Rundweg Träger → Bildungsbüro → veröffentlicht, mit Zählung vorher/nachher.

    python -m benchmarks.angebotspflege_bench [--kommune musterstadt] [--datenbank postgresql+psycopg://…]

Auf einer Kopie der Kommune (Dateien; mit `--datenbank` zusätzlich in einer frischen PostGIS-Datenbank): jeder
Träger lädt seine Angebote als XLSX, ändert zwei Zeilen, ergänzt ein neues Angebot und lädt die Datei hoch
(Prüfprotokoll, Vorschläge); ein Träger bestätigt alle fälligen Angebote mit einem Klick, einer beantragt eine
Löschung. Das Bildungsbüro lehnt eine Änderung mit Grund ab und nimmt alles andere in einem Schritt an (eine neue
Datenversion). Gezählt wird, ob danach genau die erwarteten Angebote gelten und öffentlich sind. Gibt JSON aus.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

from kommune import angebotspflege as pflege
from kommune.angebotsregister import ist_gueltig, register_xlsx
from kommune.dateiablage import DateiAblage
from kommune.laden import kommune_ordner


def _ms(t: float) -> float:
    return round((time.perf_counter() - t) * 1000, 1)


def rundweg(a: Any, kid: str) -> dict[str, Any]:
    """Der Rundweg auf einer Ablage; Zählungen und Zeiten."""
    k = a.laden(a.stand(kid))
    vorher = pflege.register_aus_kommune(k)
    traeger = list(pflege.traeger_liste(vorher))
    zeiten: dict[str, float] = {}
    vorschlaege: list[pflege.Vorschlag] = []
    geaendert: dict[str, str] = {}
    t = time.perf_counter()
    for tid in traeger:
        eigen = pflege.eigene(vorher, tid).copy()
        for i in eigen.index[:2]:
            eigen.loc[i, "zeiten"] = f"geändert {tid} {i}"
            geaendert[str(eigen.loc[i, "id"])] = f"geändert {tid} {i}"
        neu = eigen.iloc[[0]].copy()
        neu["id"], neu["name"] = "", f"Neues Angebot von {tid}"
        xlsx = register_xlsx(pd.concat([eigen, neu], ignore_index=True))
        lieferung = pflege.lieferung_aus_bytes(xlsx, f"{tid}.xlsx", k)
        vs, meldungen = pflege.vorschlaege_aus_lieferung(k, tid, lieferung, f"{tid}-koordination")
        assert not meldungen, meldungen
        vorschlaege += vs
    zeiten["xlsx_hoch_je_traeger_ms"] = round(_ms(t) / len(traeger), 1)
    faellig = pflege.faellig(pflege.eigene(vorher, traeger[0]), 12)
    bestaetigt = [v for a_id in faellig["id"] if a_id not in geaendert
                  for v in [pflege.vorschlag_bilden(k, traeger[0], "bestaetigen", {}, "t0", a_id)[0]] if v]  # fmt: skip
    loeschen_id = str(pflege.eigene(vorher, traeger[-1])["id"].iloc[-1])
    geaendert.pop(loeschen_id, None)
    loeschen, _ = pflege.vorschlag_bilden(k, traeger[-1], "loeschen", {}, "t-letzter", loeschen_id)
    t = time.perf_counter()
    pflege.einreichen(a, kid, [*vorschlaege, *bestaetigt, loeschen])
    zeiten["einreichen_ms"] = _ms(t)
    offen = pflege.offene(a, kid)
    abgelehnt = next(v for v in offen if v.art == "aendern")
    geaendert.pop(abgelehnt.angebot_id, None)
    annehmen = [v.id for v in offen if v.id != abgelehnt.id]
    t = time.perf_counter()
    version = pflege.entscheiden(a, kid, k, annehmen, {abgelehnt.id: "Zeiten bitte mit Uhrzeit"}, "bildungsbuero")
    zeiten["annehmen_neue_version_ms"] = _ms(t)
    t = time.perf_counter()
    nachher = pflege.register_aus_kommune(a.laden(a.stand(kid)))
    zeiten["neu_laden_ms"] = _ms(t)
    neue = sum(v.art == "neu" for v in offen)
    erwartet = len(vorher) + neue - 1
    werte = nachher.set_index("id")["zeiten"]
    return {
        "ablage": a.art,
        "traeger": len(traeger),
        "vorschlaege": {art: sum(v.art == art for v in offen) for art in pflege.ARTEN},
        "angenommen": len(annehmen),
        "abgelehnt": 1,
        "version": version,
        "angebote_vorher": len(vorher),
        "angebote_nachher": len(nachher),
        "erwartet": erwartet,
        "nichts_verloren": len(nachher) == erwartet and set(vorher["id"]) - {loeschen_id} <= set(nachher["id"]),
        "aenderungen_sichtbar": all(werte.get(aid) == z for aid, z in geaendert.items()),
        "oeffentlich_vorher": int(ist_gueltig(vorher).sum()),
        "oeffentlich_nachher": int(ist_gueltig(nachher).sum()),
        **zeiten,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kommune", default="musterstadt")
    parser.add_argument("--datenbank", help="PostgreSQL-Server (Eigentümer-URL): zusätzlich mit PostGIS")
    args = parser.parse_args()
    ergebnis: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bm-pflege-") as tmp:
        import os

        os.environ["BILDUNGSMONITOR_CACHE_DIR"] = str(Path(tmp) / "cache")
        ordner = Path(shutil.copytree(kommune_ordner(args.kommune), Path(tmp) / "kommune"))
        ergebnis["dateien"] = rundweg(DateiAblage(), str(ordner))
        if args.datenbank:
            ergebnis["postgresql"] = _mit_datenbank(args.datenbank, args.kommune, Path(tmp))
    print(json.dumps(ergebnis, ensure_ascii=False, indent=2))


def _mit_datenbank(server: str, kommune: str, tmp: Path) -> dict[str, Any]:
    from benchmarks.ablage_db_teil import frische_datenbank
    from kommune.datenbank.uebertragung import uebernehmen

    with frische_datenbank(server) as a:
        ordner = Path(shutil.copytree(kommune_ordner(kommune), tmp / "db-kommune"))
        return rundweg(a, uebernehmen(a, str(ordner)))


if __name__ == "__main__":
    main()

"""Benchmark der Geheimhaltung über verknüpfte Tabellen: Sperren und aufgedeckte Zellen vor/nach der LP-Prüfung.

    python -m benchmarks.sperr_bench [--kommune berlin|musterstadt]

Je Periode, öffentliche Rolle, alle Ebenen und Einzugsbereiche (Flächenanteile): gesperrte Zellen primär/sekundär
ohne LP-Prüfung (nur Hierarchie-Regel, „vorher“) und mit ihr („nachher“), die Zahl der gesperrten Zellen, die
sich vorher/nachher exakt zurückrechnen lassen (LP über alle Beziehungen, `freigabe.beziehungen`), und die Zeit
für die Sperrpläne (kalt, ohne Cache; Kommune geladen, Überlagerungen gespeichert). Druckt JSON; prüft nichts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

PROJEKT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJEKT))
if "BILDUNGSMONITOR_DATA_DIR" not in os.environ and (PROJEKT.parent / "shared" / "data" / "berlin").is_dir():
    os.environ["BILDUNGSMONITOR_DATA_DIR"] = str(PROJEKT.parent / "shared" / "data")


def _zaehlen(kommune, periode: str) -> dict[str, int]:
    from freigabe import geheimhaltung as gh

    primaer = sekundaer = 0
    plaene = [gh.sperrplan(kommune, periode, "oeffentlich")]
    plaene += [
        gh.sperrplan(kommune, periode, "oeffentlich", s.id)
        for s in kommune.konfiguration.schichten
        if s.art == "einzugsbereich"
    ]
    for plan in plaene:
        for eid, e in plan.ebenen.items():
            if eid == gh.GESAMT:
                continue
            sek = e.maske & (e.gruende == gh.SEKUNDAER)
            sekundaer += int(sek.sum())
            primaer += int((e.maske & ~sek).sum())
    return {"primaer": primaer, "sekundaer": sekundaer}


def _lauf(kommune, mit_lp: bool) -> dict[str, object]:
    from freigabe import geheimhaltung as gh

    gh.LP_PRUEFUNG = mit_lp
    gh.cache_leeren()
    ergebnis: dict[str, object] = {}
    for p in kommune.perioden:
        t = time.perf_counter()
        gh.sperrplan(kommune, p, "oeffentlich")
        for s in kommune.konfiguration.schichten:
            if s.art == "einzugsbereich":
                gh.sperrplan(kommune, p, "oeffentlich", s.id)
        sekunden = round(time.perf_counter() - t, 2)
        ergebnis[p] = {**_zaehlen(kommune, p), "sekunden_sperrplaene": sekunden}
    return ergebnis


def messen(kommune_id: str = "berlin") -> dict[str, object]:
    from freigabe import geheimhaltung as gh
    from kommune import kommune_laden

    kommune = kommune_laden(kommune_id)
    for p in kommune.perioden:  # Basen und Überlagerungen einmal vorab (gehören nicht zur Sperrplanzeit)
        for s in kommune.konfiguration.schichten:
            gh.sperrplan(kommune, p, "admin", s.id if s.art == "einzugsbereich" else None)
    vorher = _lauf(kommune, False)
    nachher = _lauf(kommune, True)
    for p in kommune.perioden:
        pr = gh.sperrplan(kommune, p, "oeffentlich").pruefung
        vorher[p]["aufgedeckt"] = pr.aufgedeckt_vorher
        nachher[p]["aufgedeckt"] = pr.aufgedeckt_nachher
        nachher[p]["einzugsbereiche_gezeigt_weil_ableitbar"] = sum(len(v) for v in pr.einzug_zeigen.values())
        nachher[p]["lp_anzahl"] = pr.lp_anzahl
        nachher[p]["zellen_beziehungen"] = [pr.zellen, pr.beziehungen]
    return {"kommune": kommune_id, "vorher": vorher, "nachher": nachher}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kommune", default="berlin")
    args = parser.parse_args()
    print(json.dumps(messen(args.kommune), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

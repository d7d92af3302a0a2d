"""Benchmark Ablage: was kostet die Frage nach dem Stand, die jeder Lauf jeder Seite stellt?

    python -m benchmarks.ablage_bench [--kommune musterstadt berlin] [--wiederholungen 500]
        [--datenbank postgresql+psycopg://postgres@127.0.0.1:55432/postgres] [--laeufe 5] [--zeilen 542]

Je Kommune: `ablage().stand(kommune)` (aufgelöste Version, Marke aus Änderungszeiten/Größen) und
`oberflaeche.laden.kommune_holen` bei unverändertem Stand (Cache-Treffer, ohne Streamlit-Lauf). Gibt JSON aus
(Millisekunden je Aufruf, Median); prüft nichts. Mit `--datenbank` zusätzlich Dateien gegen PostGIS im
selben Lauf (`benchmarks.ablage_db_teil`): Laden (Median über `--laeufe`), Stand, Import einer Lieferung.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from kommune.ablage import ablage
from kommune.laden import BEKANNTE_KOMMUNEN


def _ms(f, n: int) -> float:
    zeiten = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        zeiten.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(zeiten), 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kommune", nargs="+", default=["musterstadt", "berlin"])
    parser.add_argument("--wiederholungen", type=int, default=500)
    parser.add_argument("--datenbank", help="PostgreSQL-Server (Eigentümer-URL) für den Vergleich mit PostGIS")
    parser.add_argument("--laeufe", type=int, default=5, help="Ladevorgänge je Backend (Median)")
    parser.add_argument("--zeilen", type=int, default=542, help="Zeilen der Lieferung für den Import")
    args = parser.parse_args()
    from oberflaeche.laden import kommune_holen

    a = ablage()
    ergebnis: dict[str, dict[str, float | str]] = {}
    for name in args.kommune:
        if name in BEKANNTE_KOMMUNEN and not BEKANNTE_KOMMUNEN[name].verfuegbar():
            ergebnis[name] = {"fehlt": "Datenordner nicht vorhanden"}
            continue
        a.stand(name)
        kommune_holen(name)  # laden (einmal), danach Treffer
        ergebnis[name] = {
            "ablage": a.art,
            "stand_ms": _ms(lambda n=name: a.stand(n), args.wiederholungen),
            "kommune_holen_treffer_ms": _ms(lambda n=name: kommune_holen(n), args.wiederholungen),
        }
    if args.datenbank:
        from benchmarks.ablage_db_teil import vergleichen

        ergebnis["dateien_gegen_postgis"] = vergleichen(args.datenbank, args.kommune, args.laeufe, args.zeilen)
    print(json.dumps(ergebnis, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

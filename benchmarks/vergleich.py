"""Vergleiche mit Peers, Gleiches mit Gleichem: die Karte gegen eine naive folium-Karte, die Umrechnung gegen tobler.

    python -m benchmarks.vergleich [--kommune berlin] [--nur-karte | --nur-umrechnung]

* Karte: dieselbe Seite `/karte` derselben Kommune im selben Browser (Debians Chromium), beide mit demselben
  Ablauf `benchmarks.run.karte_im_browser` gemessen: erste Karte bis die Flächen gezeichnet sind, Indikatorwechsel
  bis zu den neuen Farben, alle Bytes über den Websocket (ganze Seite gegen ganze Seite). Der Peer ist
  `benchmarks/naive_karte` (ein `folium.Choropleth` mit denselben Flächen und vorausgewählten Angeboten über
  `st_folium`, bei jedem Wechsel neu gebaut).
* Umrechnung: `benchmarks.interpolation_bench` (Überlagerung, Neuberechnung und ganzer Auftrag getrennt, tobler
  mit wiederverwendeter Tabelle).

Faktor = Peer / Projekt (größer = das Projekt ist schneller bzw. schickt weniger). Gibt JSON aus; prüft nichts.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
from pathlib import Path

PROJEKT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJEKT))

from benchmarks import run  # noqa: E402  (setzt BILDUNGSMONITOR_DATA_DIR wie die anderen Benchmarks)

#: Die naive Vergleichskarte, startbar wie ein Stand des Projekts (`--projekt`).
NAIVE_KARTE = PROJEKT / "benchmarks" / "naive_karte"


def _browser(kommune_id: str, projekt: Path | None) -> dict[str, object]:
    """`karte_im_browser` für beide gleich: erste Karte ab „Server bereit“ (ohne Vorwärmen, das der Peer nicht hat)."""
    gleich = {"sofort": True} if "sofort" in inspect.signature(run.karte_im_browser).parameters else {}
    return run.karte_im_browser(kommune_id, projekt, **gleich)


def karte_gegen_naiv(kommune_id: str = "berlin") -> dict[str, object]:
    """Projekt und naive folium-Karte nacheinander im selben Browser, mit demselben Ablauf gemessen."""
    projekt = _browser(kommune_id, None)
    naiv = _browser(kommune_id, NAIVE_KARTE)

    def faktor(schluessel: str) -> float | None:
        a, b = projekt.get(schluessel), naiv.get(schluessel)
        return round(b / a, 1) if isinstance(a, int | float) and isinstance(b, int | float) and a else None

    return {
        "messung": "dieselbe Seite /karte im selben Chromium, ganze Seite gegen ganze Seite (alle Websocket-Bytes)",
        "projekt": projekt,
        "naive_folium_karte": naiv,
        "faktor": {
            s: faktor(s)
            for s in ("erste_karte_s", "erste_karte_kb", "indikatorwechsel_median_ms", "indikatorwechsel_median_kb")
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kommune", default="berlin")
    gruppe = parser.add_mutually_exclusive_group()
    gruppe.add_argument("--nur-karte", action="store_true")
    gruppe.add_argument("--nur-umrechnung", action="store_true")
    args = parser.parse_args()
    ergebnis: dict[str, object] = {"kommune": args.kommune}
    if not args.nur_karte:
        from benchmarks import interpolation_bench

        if args.kommune in interpolation_bench.PAARE:
            ergebnis["umrechnung_gegen_tobler"] = interpolation_bench.messen(args.kommune)
    if not args.nur_umrechnung:
        ergebnis["karte_gegen_naive_folium_karte"] = karte_gegen_naiv(args.kommune)
    print(json.dumps(ergebnis, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

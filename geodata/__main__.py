"""Kommandozeile: `python -m geodata interpolate KOMMUNE --indicator ID --to LAYER [...] --out FILE.csv`."""

from __future__ import annotations

import argparse
import csv
import math
import sys

from kommune.fehler import Befehlszeile, KommuneFehler, ausgabe_pruefen, befehl_ausfuehren
from kommune.format import entschaerfen


def _interpolieren(args: argparse.Namespace) -> None:
    from geodata.interpolation import METHODEN, werte_auf_einzugsbereich
    from kommune.laden import kommune_laden
    from kommune.werte import neueste_periode, perioden_von

    if args.method not in METHODEN:
        raise KommuneFehler(f"Die Methode „{args.method}“ gibt es nicht: erlaubt sind {' und '.join(METHODEN)}.")
    ausgabe_pruefen(args.out)
    kommune = kommune_laden(args.kommune)
    if args.indicator not in kommune.katalog.index:
        raise KommuneFehler(f"Den Indikator „{args.indicator}“ gibt es in {kommune.name} nicht.")
    if args.to not in kommune.gebiete:
        ebenen = ", ".join(kommune.gebiete)
        raise KommuneFehler(f"Die Ebene „{args.to}“ gibt es in {kommune.name} nicht (vorhanden: {ebenen}).")
    perioden = perioden_von(kommune, args.indicator)
    periode = args.period or neueste_periode(kommune, args.indicator)
    if periode is None or periode not in perioden:
        vorhanden = ", ".join(perioden) or "keine"
        raise KommuneFehler(
            f"Für den Indikator „{args.indicator}“ gibt es die Periode „{periode}“ nicht (vorhanden: {vorhanden})."
        )
    reihe = werte_auf_einzugsbereich(kommune, args.indicator, args.to, periode, methode=args.method)
    try:
        with open(args.out, "w", newline="", encoding="utf-8") as f:
            schreiber = csv.writer(f)
            schreiber.writerow(["unit_id", "value"])
            for gebiet, wert in reihe.items():
                zahl = "" if wert is None or math.isnan(wert) else repr(float(wert))
                schreiber.writerow([entschaerfen(str(gebiet)), zahl])
    except OSError as e:
        raise KommuneFehler(f"Die Ausgabedatei lässt sich nicht schreiben ({e.strerror}).", datei=args.out) from e


def main(argv: list[str] | None = None) -> int:
    """Befehle ausführen; bei Fehlern eine deutsche Zeile auf stderr und Rückgabewert 1."""
    parser = Befehlszeile(prog="python -m geodata", description="Bildungsmonitor: Geodaten umrechnen.")
    befehle = parser.add_subparsers(dest="befehl", required=True)
    ip = befehle.add_parser(
        "interpolate", help="einen Indikator auf eine andere Ebene (z. B. Einzugsbereiche) umrechnen"
    )
    ip.add_argument("kommune", help="musterstadt, berlin oder Ordner mit kommune.toml")
    ip.add_argument("--indicator", required=True, help="Indikator-ID aus dem Katalog")
    ip.add_argument("--to", required=True, help="Ziel-Ebene, z. B. einschulbereich")
    ip.add_argument("--method", default="area", help="area (Flächenanteile) oder dasymetric (Bevölkerungsraster)")
    ip.add_argument("--period", default=None, help="Periode (Standard: die neueste)")
    ip.add_argument("--out", required=True, help="Ausgabe-CSV mit den Spalten unit_id,value")
    args = parser.parse_args(argv)
    return befehl_ausfuehren(lambda: _interpolieren(args))


if __name__ == "__main__":
    sys.exit(main())

"""Kommandozeile: `python -m geodata interpolate KOMMUNE --indicator ID --to LAYER [...] --out FILE.csv`
und `python -m geodata raster KOMMUNE --level EBENE --grid GITTER [...] --out FILE.csv|.xlsx`."""

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


def _merkmale(args: argparse.Namespace):
    """Merkmale aus --count/--share/--mean (ID=SPALTE, bei --share optional ID=SPALTE:ANZAHL_ID)."""
    from kommune.raster import ZENSUS_2011, Merkmal

    merkmale = []
    for art, eintraege in (("anzahl", args.count), ("anteil", args.share), ("mittel", args.mean)):
        for eintrag in eintraege or []:
            kennung, gleich, rest = eintrag.partition("=")
            spalte, _, anzahl = rest.partition(":")
            if not gleich or not kennung.strip() or not spalte.strip():
                raise KommuneFehler(f"„{eintrag}“ hat nicht die Form ID=SPALTE (z. B. einwohner=Einwohner).")
            merkmale.append(Merkmal(kennung.strip(), spalte.strip(), art, anzahl.strip() or None))
    return merkmale or list(ZENSUS_2011)


def _raster(args: argparse.Namespace) -> None:
    from kommune.laden import kommune_laden
    from kommune.raster import (
        VERFAHREN_CLI,
        auf_gebiete,
        gitter_lesen,
        gitter_verbinden,
        lange_tabelle,
        tabelle_schreiben,
        wertspalten,
    )

    verfahren = VERFAHREN_CLI.get(args.method)
    if verfahren is None:
        raise KommuneFehler(f"Die Methode „{args.method}“ gibt es nicht: erlaubt sind centroid und area.")
    kommune = kommune_laden(args.kommune)
    if args.level not in kommune.gebiete:
        ebenen = ", ".join(kommune.gebiete)
        raise KommuneFehler(f"Die Ebene „{args.level}“ gibt es in {kommune.name} nicht (vorhanden: {ebenen}).")
    merkmale = _merkmale(args)
    gebiete = kommune.gebiete[args.level]
    spalten = [m.spalte for m in merkmale] + ([args.base] if any(m.art != "anzahl" for m in merkmale) else [])
    rahmen = tuple(gebiete.to_crs("EPSG:3035").total_bounds)
    mehrere = len(args.grid) > 1
    gitter = gitter_verbinden([gitter_lesen(d, wertspalten(d, spalten, mehrere), rahmen) for d in args.grid])
    ergebnis = auf_gebiete(gitter, gebiete, merkmale, verfahren, args.base)
    tabelle = lange_tabelle(ergebnis, args.level, args.period)
    pfad = tabelle_schreiben(tabelle, args.out)
    for zeile in ergebnis.text():
        print(zeile)
    print(f"{len(tabelle)} Zeilen ({len(gebiete)} Gebiete der Ebene {args.level}) nach {pfad} geschrieben.")


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
    rp = befehle.add_parser("raster", help="Gitterdaten (Zensus) auf die Gebiete einer Ebene summieren")
    rp.add_argument("kommune", help="musterstadt, berlin, regensburg oder Ordner mit kommune.toml")
    rp.add_argument("--level", required=True, help="Ebene, auf die summiert wird, z. B. gemeinde")
    rp.add_argument(
        "--grid", required=True, action="append", help="Gitterdatei (Parquet oder Zensus-2022-CSV); mehrfach möglich"
    )
    rp.add_argument("--method", default="centroid", help="centroid (Zellmittelpunkt) oder area (Flächenanteil)")
    rp.add_argument("--count", action="append", help="Anzahl summieren: ID=SPALTE, z. B. einwohner=Einwohner")
    rp.add_argument("--share", action="append", help="Anteil in %% der Bezugsspalte: ID=SPALTE[:ANZAHL_ID]")
    rp.add_argument("--mean", action="append", help="Mittelwert je Person: ID=SPALTE, z. B. alter=Alter_D")
    rp.add_argument("--base", default="Einwohner", help="Bezugsspalte der Anteile und Mittelwerte")
    rp.add_argument("--period", default="2011", help="Periode der Werte (Standard 2011)")
    rp.add_argument("--out", required=True, help="Ausgabe: lange Tabelle als .csv (; und Dezimalkomma) oder .xlsx")
    args = parser.parse_args(argv)
    if args.befehl == "raster":
        return befehl_ausfuehren(lambda: _raster(args))
    return befehl_ausfuehren(lambda: _interpolieren(args))


if __name__ == "__main__":
    sys.exit(main())

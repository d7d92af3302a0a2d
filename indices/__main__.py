"""Kommandozeile: ``python -m indices compute KOMMUNE --preset ID [--level L] [--period P] --out FILE``
und ``python -m indices presets KOMMUNE``."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from kommune.fehler import Befehlszeile, KommuneFehler, ausgabe_pruefen, befehl_ausfuehren

if TYPE_CHECKING:
    from indices.berechnung import IndexErgebnis
    from kommune.laden import Kommune


def main(argv: list[str] | None = None) -> int:
    """Befehle ausführen; bei Fehlern eine deutsche Zeile auf stderr und Rückgabewert 1."""
    parser = Befehlszeile(prog="python -m indices", description="Bildungsmonitor: Indizes berechnen.")
    befehle = parser.add_subparsers(dest="befehl", required=True)
    rechnen = befehle.add_parser("compute", help="einen Index berechnen und als CSV oder XLSX schreiben")
    rechnen.add_argument("kommune", help="musterstadt, berlin oder Ordner mit kommune.toml")
    rechnen.add_argument(
        "--preset", required=True, help="ID des Presets (siehe „presets“) oder Pfad zu einer TOML-Datei"
    )
    rechnen.add_argument("--level", help="Ebene (Standard: die der Definition)")
    rechnen.add_argument("--period", help="Periode (Standard: die der Definition bzw. die jüngste)")
    rechnen.add_argument("--out", required=True, help="Ausgabedatei (.csv oder .xlsx)")
    liste = befehle.add_parser("presets", help="die Presets einer Kommune (Ordner presets/) auflisten")
    liste.add_argument("kommune", help="musterstadt, berlin oder Ordner mit kommune.toml")
    args = parser.parse_args(argv)
    return befehl_ausfuehren(lambda: _ausfuehren(args))


def _ausfuehren(args: argparse.Namespace) -> None:
    """Den gewählten Befehl ausführen (Fehler als `KommuneFehler`)."""
    from indices.presets import preset, presets_fuer
    from kommune.ablage import ablage

    def laden(name: str) -> Kommune:
        a = ablage()
        return a.laden(a.stand(name))

    if args.befehl == "presets":
        k = laden(args.kommune)
        alle = presets_fuer(k)
        if not alle:
            print(f"Für {k.name} gibt es keine Presets.")
        for d in alle.values():
            ebene = d.ebene or "Standardebene"
            print(f"{d.id}\t{d.name}\t{d.familie}\t{ebene}\t{', '.join(d.indikator_ids)}")
    else:
        from pathlib import Path

        from indices.berechnung import index_berechnen
        from indices.definition import definition_laden
        from indices.export import exportieren

        ausgabe_pruefen(args.out, (".csv", ".xlsx"))
        k = laden(args.kommune)
        if args.preset.endswith(".toml") and Path(args.preset).is_file():
            d = definition_laden(args.preset)
        else:
            d = preset(k, args.preset)
        ergebnis = index_berechnen(k, d, ebene=args.level, periode=args.period)
        if ergebnis.anzahl_bewertet == 0:
            raise KommuneFehler(_nichts_bewertet(ergebnis, k.schicht(ergebnis.ebene).name))
        dateien = exportieren(ergebnis, args.out, kommune=k.name)
        print(
            f"{d.name}: {ergebnis.anzahl_bewertet} von {len(ergebnis.tabelle)} Gebieten bewertet → "
            + ", ".join(str(p) for p in dateien)
        )


def _nichts_bewertet(ergebnis: IndexErgebnis, ebene_name: str) -> str:
    """Deutscher Satz, wenn kein Gebiet bewertet wurde: mit dem häufigsten Grund; es wird nichts geschrieben."""
    tabelle = ergebnis.tabelle
    gruende = tabelle["grund"][tabelle["grund"].astype(str) != ""].value_counts()
    grund = f" Häufigster Grund: {gruende.index[0]} ({gruende.iloc[0]} Gebiete)." if len(gruende) else ""
    return (
        f"{ergebnis.definition.name}: Keines der {len(tabelle)} Gebiete der Ebene {ebene_name} "
        f"ließ sich bewerten; es wurde keine Datei geschrieben.{grund}"
    )


if __name__ == "__main__":
    sys.exit(main())

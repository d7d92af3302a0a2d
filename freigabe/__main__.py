"""Kommandozeile: `python -m freigabe export|import …` – Indikatortabellen nach der Geheimhaltung exportieren,
Lieferungen prüfen und als neue Datenversion freigeben (Gegenprobe: jede Ebene einmal exportiert).

Hier statt in `python -m kommune`, weil beide Befehle die Geheimhaltung brauchen und `kommune/` nichts aus den
Schichten darüber importiert (ARCHITECTURE.md, tests/test_schichten.py).
"""

from __future__ import annotations

import argparse
import sys

from kommune.ablage import ablage
from kommune.fehler import Befehlszeile, ausgabe_pruefen, befehl_ausfuehren


def _export(args: argparse.Namespace) -> int:
    from freigabe.tabellenexport import exportieren

    ausgabe_pruefen(args.out, (".xlsx", ".csv"))
    a = ablage()
    kommune = a.laden(a.stand(args.kommune))
    df = exportieren(kommune, args.level, args.out, periode=args.period, rolle=args.role)
    print(
        f"Geschrieben: {args.out} ({len(df)} Gebiete, {len(df.attrs['indikatoren'])} Indikatoren, "
        f"Rolle {args.role}). {df.attrs['vermerk']}"
    )
    return 0


def _import(args: argparse.Namespace) -> int:
    from kommune.pruefung import pruefprotokoll_xlsx, symbole_parsen, zuordnung_lesen
    from kommune.versionen import importieren

    if args.protocol:  # vor dem Import prüfen: sonst entstünde die Version, und erst danach scheiterte das Protokoll
        ausgabe_pruefen(args.protocol, (".xlsx",))
    zuordnung = zuordnung_lesen(args.mapping) if args.mapping else None
    symbole = symbole_parsen(";".join(args.symbol)) if args.symbol else None
    ergebnis = importieren(
        args.kommune,
        args.datei,
        zuordnung,
        nutzer=args.user,
        blatt=args.blatt,
        ebene=args.level,
        periode=args.period,
        nur_pruefen=args.check_only,
        symbole=symbole,
        ablage=ablage(),
    )
    print(ergebnis.protokoll.text())
    if args.protocol:
        pruefprotokoll_xlsx(ergebnis.protokoll, args.protocol)
    if not ergebnis.protokoll.ok:
        print(
            "Fehler: Der Import wurde wegen der Fehler im Prüfprotokoll abgelehnt; nichts wurde geändert.",
            file=sys.stderr,
        )
        return 1
    if ergebnis.version:
        print(f"Neue Datenversion {ergebnis.version} ist aktiv ({ergebnis.zeilen} Werte in {ergebnis.ziel}).")
    else:
        print("Nur geprüft; keine neue Version angelegt.")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Befehle ausführen; bei Fehlern eine deutsche Zeile auf stderr und Rückgabewert 1."""
    parser = Befehlszeile(
        prog="python -m freigabe",
        description="Bildungsmonitor: Tabellen nach Geheimhaltung exportieren, Lieferungen importieren.",
    )
    befehle = parser.add_subparsers(dest="befehl", required=True)
    export = befehle.add_parser("export", help="Indikatortabelle einer Ebene nach Geheimhaltung als XLSX/CSV")
    export.add_argument("kommune", help="musterstadt, berlin oder Ordner mit kommune.toml")
    export.add_argument("--level", required=True, help="Ebene oder Einzugsbereich (ID)")
    export.add_argument("--period", help="Periode (je Indikator die jüngste bis einschließlich dieser)")
    export.add_argument("--role", default="oeffentlich", choices=["oeffentlich", "intern", "admin"])
    export.add_argument("--out", required=True, help="Ausgabedatei (.xlsx oder .csv)")
    imp = befehle.add_parser("import", help="Eine Lieferung prüfen und als neue Datenversion übernehmen")
    imp.add_argument("kommune", help="Ordner mit kommune.toml (oder musterstadt, berlin)")
    imp.add_argument("datei", help="CSV- oder XLSX-Datei der Lieferung")
    imp.add_argument("--indicator-sheet", dest="blatt", help="Tabellenblatt (XLSX)")
    imp.add_argument("--mapping", help="Spaltenzuordnung (TOML); sonst die gespeicherte oder eine erkannte")
    imp.add_argument("--user", default="", help="Wer importiert (für das Versionsprotokoll)")
    imp.add_argument("--level", help="Ebene der Gebietsschlüssel (sonst aus der Zuordnung oder erkannt)")
    imp.add_argument("--period", help="Periode aller Werte, wenn die Datei keine Spalte dafür hat")
    imp.add_argument("--protocol", help="Prüfprotokoll zusätzlich als XLSX schreiben")
    imp.add_argument("--check-only", action="store_true", help="nur prüfen, keine neue Version anlegen")
    imp.add_argument(
        "--symbol",
        action="append",
        metavar="ZEICHEN=BEDEUTUNG",
        help="Tabellenzeichen dieser Lieferung umdeuten, z. B. --symbol=-=leer oder --symbol NA=leer "
        "(Bedeutungen: null, geheim, entfaellt, spaeter, unsicher, leer); mehrfach möglich",
    )
    args = parser.parse_args(argv)
    befehle_je_name = {"export": lambda: _export(args), "import": lambda: _import(args)}
    return befehl_ausfuehren(befehle_je_name[args.befehl])


if __name__ == "__main__":
    sys.exit(main())

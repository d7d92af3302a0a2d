"""Lokalen Benutzer anlegen: ``python -m oberflaeche.benutzer NAME --rolle intern [--datei benutzer.toml]``
(Träger: ``--rolle traeger --traeger awo``).

Der Name wird geprüft (`oberflaeche.rollen.NAME_MUSTER`), der Eintrag maskiert geschrieben; ein Name, den es
in der Datei schon gibt, wird abgelehnt. Fehler: eine deutsche Zeile auf stderr, Rückgabewert 1.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from kommune.fehler import Befehlszeile, KommuneFehler, befehl_ausfuehren
from oberflaeche.rollen import ROLLEN, benutzer_lesen, benutzer_zeile, name_pruefen

MIN_PASSWORT = 10


def _anlegen(args: argparse.Namespace) -> int:
    """Den Benutzer prüfen und anhängen (Fehler als `KommuneFehler`)."""
    name = name_pruefen(args.name)
    datei = Path(args.datei)
    if datei.exists() and not datei.is_file():
        raise KommuneFehler("Die Benutzerdatei ist keine Datei.", datei=str(datei))
    if datei.is_file() and name in benutzer_lesen(datei):
        raise KommuneFehler(f"Den Benutzer „{name}“ gibt es schon.", datei=str(datei))
    try:
        passwort = os.environ.get("BILDUNGSMONITOR_NEUES_PASSWORT") or getpass.getpass("Passwort: ")
    except (EOFError, KeyboardInterrupt):
        raise KommuneFehler("Es wurde kein Passwort eingegeben.") from None
    if len(passwort) < MIN_PASSWORT:
        raise KommuneFehler(f"Das Passwort muss mindestens {MIN_PASSWORT} Zeichen haben.")
    zeile = benutzer_zeile(name, args.rolle, passwort, args.traeger)
    try:
        with datei.open("a", encoding="utf-8") as f:
            f.write(zeile)
    except OSError as e:
        raise KommuneFehler(f"Die Benutzerdatei lässt sich nicht schreiben ({e.strerror}).", datei=str(datei)) from None
    print(f"Benutzer „{name}“ mit Rolle {args.rolle} in {datei} angelegt.")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Benutzer anlegen; bei Fehlern eine deutsche Zeile auf stderr und Rückgabewert 1."""
    parser = Befehlszeile(prog="python -m oberflaeche.benutzer", description="Benutzer anlegen")
    parser.add_argument("name")
    parser.add_argument("--rolle", choices=ROLLEN, required=True)
    parser.add_argument("--traeger", default="", help="Träger-ID im Angebotsregister (nur bei --rolle traeger)")
    parser.add_argument("--datei", default=os.environ.get("BILDUNGSMONITOR_BENUTZER", "benutzer.toml"))
    args = parser.parse_args(argv)
    return befehl_ausfuehren(lambda: _anlegen(args))


if __name__ == "__main__":
    sys.exit(main())

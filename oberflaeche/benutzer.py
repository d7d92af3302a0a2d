"""Lokalen Benutzer anlegen: ``python -m oberflaeche.benutzer NAME --rolle intern [--datei benutzer.toml]``."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from oberflaeche.rollen import ROLLEN, benutzer_zeile


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m oberflaeche.benutzer", description="Benutzer anlegen")
    parser.add_argument("name")
    parser.add_argument("--rolle", choices=ROLLEN, required=True)
    parser.add_argument("--datei", default=os.environ.get("BILDUNGSMONITOR_BENUTZER", "benutzer.toml"))
    args = parser.parse_args(argv)
    passwort = os.environ.get("BILDUNGSMONITOR_NEUES_PASSWORT") or getpass.getpass("Passwort: ")
    if len(passwort) < 10:
        print("Fehler: Das Passwort muss mindestens 10 Zeichen haben.", file=sys.stderr)
        return 1
    with Path(args.datei).open("a", encoding="utf-8") as f:
        f.write(benutzer_zeile(args.name, args.rolle, passwort))
    print(f"Benutzer „{args.name}“ mit Rolle {args.rolle} in {args.datei} angelegt.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

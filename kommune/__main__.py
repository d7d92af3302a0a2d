"""Kommandozeile: `python -m kommune info KOMMUNE`."""

from __future__ import annotations

import argparse
import json
import sys

from kommune.fehler import KommuneFehler
from kommune.info import kommune_info
from kommune.laden import kommune_laden


def main(argv: list[str] | None = None) -> int:
    """Befehle ausführen; bei Fehlern eine deutsche Zeile auf stderr und Rückgabewert 1."""
    parser = argparse.ArgumentParser(prog="python -m kommune", description="Bildungsmonitor: Kommunen prüfen.")
    befehle = parser.add_subparsers(dest="befehl", required=True)
    info = befehle.add_parser("info", help="Überblick über eine Kommune als JSON ausgeben")
    info.add_argument("kommune", help="musterstadt, berlin oder Ordner mit kommune.toml")
    args = parser.parse_args(argv)
    try:
        if args.befehl == "info":
            print(json.dumps(kommune_info(kommune_laden(args.kommune)), ensure_ascii=False, indent=2))
    except KommuneFehler as e:
        print(f"Fehler: {e.text}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

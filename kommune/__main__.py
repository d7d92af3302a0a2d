"""Kommandozeile: `python -m kommune info|db …` (Überblick über eine Kommune, gemeinsame Datenbank).

Export und Import laufen über die Geheimhaltung und stehen deshalb in `python -m freigabe export|import`
(die Schicht darüber, siehe ARCHITECTURE.md); `python -m kommune export|import` nennt den neuen Befehl.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from kommune.ablage import ablage
from kommune.fehler import Befehlszeile, befehl_ausfuehren
from kommune.info import kommune_info

if TYPE_CHECKING:
    from kommune.laden import Kommune


def _laden(kommune: str) -> Kommune:
    """Die Kommune im aktiven Stand, über die eingestellte Ablage."""
    a = ablage()
    return a.laden(a.stand(kommune))


#: Befehle, die nach `python -m freigabe` umgezogen sind (Export und Import brauchen die Geheimhaltung).
UMGEZOGEN = ("export", "import")


def _db(args: argparse.Namespace) -> int:
    """`db init|uebernehmen|export`: die gemeinsame Datenbank einrichten und mit Datei-Kommunen abgleichen."""
    from kommune.datenbank.befehle import db_befehl

    print(db_befehl(args.db_befehl, args))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Befehle ausführen; bei Fehlern eine deutsche Zeile auf stderr und Rückgabewert 1."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in UMGEZOGEN:
        print(
            f"Fehler: Der Befehl „{argv[0]}“ heißt jetzt „python -m freigabe {argv[0]} …“ (gleiche Argumente).",
            file=sys.stderr,
        )
        return 1
    parser = Befehlszeile(
        prog="python -m kommune",
        description="Bildungsmonitor: Kommunen prüfen (Export und Import: python -m freigabe).",
    )
    befehle = parser.add_subparsers(dest="befehl", required=True)
    info = befehle.add_parser("info", help="Überblick über eine Kommune als JSON ausgeben")
    info.add_argument("kommune", help="musterstadt, berlin oder Ordner mit kommune.toml")
    db = befehle.add_parser(
        "db", help="Gemeinsame PostgreSQL-Datenbank: einrichten, Kommune übernehmen, zurück in einen Ordner"
    )
    db_befehle = db.add_subparsers(dest="db_befehl", required=True)
    db_init = db_befehle.add_parser("init", help="Migrationen ausführen und Rollen bm_lesen/bm_schreiben anlegen")
    db_init.add_argument(
        "--url", help="Verbindung als Eigentümer der Datenbank (sonst BILDUNGSMONITOR_DATENBANK_ADMIN)"
    )
    db_ueber = db_befehle.add_parser("uebernehmen", help="Eine Datei-Kommune samt Versionen in die Datenbank")
    db_ueber.add_argument("kommune", help="Kurzname (musterstadt, berlin …) oder Ordner mit kommune.toml")
    db_export = db_befehle.add_parser("export", help="Eine Kommune aus der Datenbank in einen Ordner schreiben")
    db_export.add_argument("kommune", help="Name der Kommune in der Datenbank")
    db_export.add_argument("ordner", help="Zielordner (leer oder neu)")
    args = parser.parse_args(argv)
    befehle_je_name = {
        "info": lambda: print(json.dumps(kommune_info(_laden(args.kommune)), ensure_ascii=False, indent=2)),
        "db": lambda: _db(args),
    }
    return befehl_ausfuehren(befehle_je_name[args.befehl])


if __name__ == "__main__":
    sys.exit(main())

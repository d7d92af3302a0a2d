"""Startet die App (`python -m oberflaeche.server [streamlit-Optionen]`), wie `start.sh` es tut.

Gleichwertig mit `streamlit run app.py`: die Seiten liegen in `seiten/`, Streamlits alte
`pages/`-Automatik greift also bei keiner Startart (siehe `app.py`). Den Wächter gegen `clear_cache` von
Clients (`oberflaeche.cachewaechter`) installiert `app.py` bei jeder Startart; hier zusätzlich schon vor
dem Start des Servers. Außerdem wärmt dieses Startprogramm die Kommune des Servers im Hintergrund vor
(`oberflaeche.vorwaermen`): die erste Karte wartet dann nicht auf Module, Laden und Sperrplan.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(argumente: list[str] | None = None) -> None:
    """`streamlit run app.py` mit den übergebenen Optionen."""
    from oberflaeche.cachewaechter import installieren
    from oberflaeche.vorwaermen import im_hintergrund

    installieren()
    im_hintergrund()
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argumente is None else argumente)]
    cli.main()


if __name__ == "__main__":
    main()

"""Startet die App (`python -m oberflaeche.server [streamlit-Optionen]`).

Streamlit behandelt einen Ordner `pages/` neben `app.py` als alte Mehrseiten-App, bis `app.py` zum
ersten Mal `st.navigation` aufruft. Wer direkt nach dem Serverstart einen Deep Link wie `/karte`
öffnet, bekäme sonst „Page not found“. Dieses Startprogramm schaltet die Automatik vorher ab;
`app.py` navigiert ohnehin selbst.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(argumente: list[str] | None = None) -> None:
    """`streamlit run app.py` mit den übergebenen Optionen, ohne alte pages/-Automatik."""
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argumente is None else argumente)]
    cli.main()


if __name__ == "__main__":
    main()

"""`python -m oberflaeche.server [streamlit-Optionen]` startet die naive Vergleichskarte (`app.py` daneben).

So startet `benchmarks/run.py` (`karte_im_browser` über `--projekt benchmarks/naive_karte`) sie genau wie das Projekt.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"

if __name__ == "__main__":
    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    cli.main()

"""Eine deutsche Fehlerseite für jeden unerwarteten Fehler einer Seite, mit Referenz für die Administration.

Streamlit zeigte sonst seinen englischen Kasten („This app has encountered an error“). Der Router (`app.py`)
führt jede Seite über `seite_ausfuehren` aus: Ein Fehler wird mit Traceback und einer kurzen Referenz
serverseitig protokolliert (Logger „bildungsmonitor“), die Seite zeigt nur den deutschen Satz mit der
Referenz. `st.rerun`, `st.stop` und `st.switch_page` sind keine Fehler (Streamlit steuert sie über
`BaseException`) und laufen unverändert durch.

Tests: Mit `BILDUNGSMONITOR_FEHLER_WEITERREICHEN=1` (setzt `tests/conftest.py`) wird der Fehler nach dem
deutschen Kasten erneut ausgelöst, damit AppTest ihn als `at.exception` sieht; `tests/test_fehlerseite.py`
prüft die Seite ohne den Schalter, wie Nutzer sie sehen.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import streamlit as st

from kommune.fehler import KommuneFehler
from kommune.zufallscode import zufallscode
from oberflaeche.laufzeit import lauf_ende

LOG = logging.getLogger("bildungsmonitor")
#: Beginn des Fehlerkastens; Tests erkennen die Fehlerseite daran.
FEHLER_ANFANG = "Es ist ein unerwarteter Fehler aufgetreten."
#: Sitzungsschlüssel mit Referenz und Kurzbeschreibung des letzten Fehlers (nur serverseitig, für Tests).
LETZTER_FEHLER = "_unerwarteter_fehler"
SCHALTER = "BILDUNGSMONITOR_FEHLER_WEITERREICHEN"


def referenz_erzeugen(laenge: int = 6) -> str:
    """Eine kurze, zufällige Referenz wie „K7QX2M“ zum Wiederfinden im Serverprotokoll."""
    return zufallscode(laenge)


def fehler_text(referenz: str, fehler: BaseException | None = None) -> str:
    """Der deutsche Satz der Fehlerseite; ein `KommuneFehler` nennt zusätzlich seinen deutschen Grund."""
    grund = f" {fehler.text}" if isinstance(fehler, KommuneFehler) else ""
    return (
        f"{FEHLER_ANFANG}{grund} Ihre Daten sind unverändert. Bitte laden Sie die Seite neu; tritt der Fehler "
        f"wieder auf, nennen Sie der Administration diese Referenz: {referenz}"
    )


def fehler_melden(fehler: Exception) -> str:
    """Protokollieren (mit Traceback und Referenz), deutschen Kasten zeigen; gibt die Referenz zurück."""
    referenz = referenz_erzeugen()
    LOG.error("Unerwarteter Fehler, Referenz %s", referenz, exc_info=fehler)
    st.session_state[LETZTER_FEHLER] = {"referenz": referenz, "fehler": f"{type(fehler).__name__}: {fehler}"}
    st.error(fehler_text(referenz, fehler), icon=":material/error:")
    return referenz


def seite_ausfuehren(seite: Any, beginn: float | None = None) -> None:
    """`seite.run()` (eine `st.Page` oder was `st.navigation` liefert) mit deutscher Fehlerseite; `beginn`
    (`oberflaeche.laufzeit.lauf_beginn`) schreibt die Dauer des Laufs ins Laufprotokoll, falls eingestellt."""
    try:
        seite.run()
    except Exception as fehler:  # Streamlits Steuerung (rerun, stop) ist BaseException und läuft durch
        fehler_melden(fehler)
        if os.environ.get(SCHALTER) == "1":
            raise
    finally:
        if beginn is not None:
            lauf_ende(str(getattr(seite, "url_path", "") or "start"), beginn)

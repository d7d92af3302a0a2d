"""Streamlits `clear_cache` von Clients ablehnen (Issue 9).

Jeder Browser – auch ein anonymer – kann über den Websocket die Nachricht `clear_cache` schicken
(`BackMsg.clear_cache`; `client.toolbarMode = "viewer"` versteckt nur den Menüpunkt). Streamlit 1.67
behandelt sie in `AppSession._handle_clear_cache_request`: `st.cache_data` und `st.cache_resource` werden
für ALLE Nutzer geleert, dazu der Sitzungszustand. Danach lädt der nächste Aufruf die Kommune neu (Berlin:
Sekunden Rechenzeit), jede solche Nachricht ist also ein billiger Hebel für Last von außen; mit den früheren
Modul-Caches behielt jeder Neuladen außerdem 13–27 MB.

Entscheidung: **ablehnen und harmlos machen.**

* Ablehnen: Die Methode wird durch eine ersetzt, die nur eine Warnung protokolliert („clear_cache von
  einem Client abgelehnt“). Kein Bedienelement der App braucht die Nachricht: Nach einem Import (auch auf
  einem anderen Server) oder einer geänderten Datei ändert sich der `Stand` der Kommune
  (`kommune.ablage`), den jeder Cache-Schlüssel trägt; `oberflaeche.laden` lädt dann ohnehin neu.
* Harmlos: Auch ein Neuladen auf anderem Weg lässt nichts zurück – die Caches der Kommune hängen an ihr
  (`kommune.zwischenspeicher`) und sterben mit ihr; Caches nach Inhalt (Überlagerungen) sind begrenzt.

Installiert wird der Wächter beim Import dieses Moduls, idempotent: `app.py` importiert es (gilt für
`streamlit run app.py` ab dem ersten Seitenaufruf), `python -m oberflaeche.server` zusätzlich vor dem Start
des Servers (gilt dann schon für die allererste Nachricht).
"""

from __future__ import annotations

import logging

from streamlit.runtime.app_session import AppSession

_LOGGER = logging.getLogger(__name__)
#: Markierung an der ersetzten Methode (so wird nicht doppelt installiert).
MARKE = "_bildungsmonitor_abgelehnt"


def _abgelehnt(self: AppSession) -> None:
    """`clear_cache` eines Clients: nichts leeren, nur protokollieren."""
    _LOGGER.warning(
        "clear_cache von einem Client abgelehnt (Sitzung %s); Caches und Sitzungszustand bleiben.",
        getattr(self, "id", "?"),
    )


setattr(_abgelehnt, MARKE, True)


def installieren() -> None:
    """Den Wächter installieren (mehrfacher Aufruf ändert nichts)."""
    if not getattr(AppSession._handle_clear_cache_request, MARKE, False):
        AppSession._handle_clear_cache_request = _abgelehnt


def installiert() -> bool:
    """Ist der Wächter aktiv?"""
    return bool(getattr(AppSession._handle_clear_cache_request, MARKE, False))


installieren()

"""Bildungsmonitor: Einstieg und Navigation (`python -m oberflaeche.server` bzw. `streamlit run app.py`).

Die Seiten liegen in `seiten/`, nicht in `pages/`: einen Ordner `pages/` neben dem Einstieg behandelt
Streamlit als alte Mehrseiten-App und führte dort eine Seite bei einem ersten Aufruf von `/<seite>`
ohne diesen Router (und ohne Rollenprüfung) aus.
"""

from __future__ import annotations

import streamlit as st

import oberflaeche.cachewaechter  # noqa: F401  (lehnt Streamlits clear_cache von Clients ab, s. dort)
from oberflaeche.rollen import darf
from oberflaeche.zugang import rolle_ermitteln

st.set_page_config(page_title="Bildungsmonitor", layout="wide")

#: (Datei in seiten/, Titel, URL-Pfad); die Startseite liegt unter „/“.
SEITEN = [
    ("uebersicht", "Übersicht", None),
    ("cockpit", "Cockpit", "cockpit"),
    ("karte", "Karte", "karte"),
    ("gebietsprofil", "Gebietsprofil", "gebietsprofil"),
    ("vergleich", "Vergleich", "vergleich"),
    ("index_baukasten", "Index-Baukasten", "index"),
    ("angebote", "Angebote & Versorgung", "angebote"),
    ("sitzung", "Sitzungsmodus", "sitzung"),
    ("datenimport", "Datenimport", "import"),
]

st.sidebar.title("Bildungsmonitor")
rolle = rolle_ermitteln()
st.session_state["aktive_rolle"] = rolle
st.session_state["geheimhaltung_erzwungen"] = False  # der Sitzungsmodus schaltet sie für seinen Lauf ein
seiten = [
    st.Page(f"seiten/{datei}.py", title=titel, default=url is None, **({"url_path": url} if url else {}))
    for datei, titel, url in SEITEN
    if darf(rolle, datei)
]
st.navigation(seiten).run()

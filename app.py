"""Bildungsmonitor: Einstieg und Navigation (`streamlit run app.py`)."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Bildungsmonitor", layout="wide")

SEITEN = [
    st.Page("pages/uebersicht.py", title="Übersicht", default=True),
    st.Page("pages/karte.py", title="Karte", url_path="karte"),
    st.Page("pages/gebietsprofil.py", title="Gebietsprofil", url_path="gebietsprofil"),
    st.Page("pages/index_baukasten.py", title="Index-Baukasten", url_path="index"),
    st.Page("pages/angebote.py", title="Angebote & Versorgung", url_path="angebote"),
]

st.sidebar.title("Bildungsmonitor")
seite = st.navigation(SEITEN)
seite.run()

"""Bildungsmonitor: Einstieg und Navigation (`streamlit run app.py`)."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Bildungsmonitor", page_icon=":material/school:", layout="wide")

SEITEN = [
    st.Page("pages/uebersicht.py", title="Übersicht", icon=":material/home:", default=True),
    st.Page("pages/karte.py", title="Karte", icon=":material/map:", url_path="karte"),
    st.Page("pages/gebietsprofil.py", title="Gebietsprofil", icon=":material/assignment:", url_path="gebietsprofil"),
]

st.sidebar.title("Bildungsmonitor")
seite = st.navigation(SEITEN)
seite.run()

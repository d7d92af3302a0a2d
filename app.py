"""Bildungsmonitor: Einstieg und Navigation (`python -m oberflaeche.server` bzw. `streamlit run app.py`).

Die Seiten liegen in `seiten/`, nicht in `pages/`: einen Ordner `pages/` neben dem Einstieg behandelt
Streamlit als alte Mehrseiten-App und führte dort eine Seite bei einem ersten Aufruf von `/<seite>`
ohne diesen Router (und ohne Rollenprüfung) aus.

Jede Seite läuft über `oberflaeche.fehlerseite.seite_ausfuehren`: ein unerwarteter Fehler zeigt eine deutsche
Fehlerseite mit Referenz (Traceback nur im Serverprotokoll) statt Streamlits englischem Kasten.
"""

from __future__ import annotations

import streamlit as st

import oberflaeche.cachewaechter  # noqa: F401  (lehnt Streamlits clear_cache von Clients ab, s. dort)
from oberflaeche.bildschirm import RAND_CSS, seitenleiste_zustand
from oberflaeche.fehlerseite import seite_ausfuehren
from oberflaeche.laufzeit import lauf_beginn
from oberflaeche.rollen import darf, werte_rolle
from oberflaeche.zugang import rolle_ermitteln

BEGINN = lauf_beginn()  # für das Laufprotokoll der Benchmarks (BILDUNGSMONITOR_LAUFPROTOKOLL)

# Kein englisches Menü („Get help“, „About“, „Made with Streamlit“): ohne Einträge blendet
# client.toolbarMode = "minimal" (.streamlit/config.toml) das Menü ganz aus.
st.set_page_config(
    page_title="Bildungsmonitor", layout="wide", menu_items={"Get help": None, "Report a bug": None, "About": None}
)

#: (Datei in seiten/, Titel, URL-Pfad); die Startseite liegt unter „/“.
SEITEN = [
    ("uebersicht", "Übersicht", None),
    ("cockpit", "Cockpit", "cockpit"),
    ("karte", "Karte", "karte"),
    ("gebietsprofil", "Gebietsprofil", "gebietsprofil"),
    ("vergleich", "Vergleich", "vergleich"),
    ("angebote_finden", "Angebote finden", "angebote-finden"),
    ("uebergaenge", "Übergänge", "uebergaenge"),
    ("index_baukasten", "Index-Baukasten", "index"),
    ("angebote", "Angebote & Versorgung", "angebote"),
    ("meine_angebote", "Meine Angebote", "meine-angebote"),
    ("angebote_pruefen", "Angebote prüfen", "angebote-pruefen"),
    ("sitzung", "Sitzungsmodus", "sitzung"),
    ("datenimport", "Datenimport", "import"),
]
#: Abschnitte der Navigation; alle Einträge sichtbar (eingeklappt zeigte Streamlit ein englisches „View more“).
BEREICHE = {
    "Daten und Karten": (
        "uebersicht", "cockpit", "karte", "gebietsprofil", "vergleich", "uebergaenge", "index_baukasten",
    ),
    "Angebote": ("angebote_finden", "angebote", "meine_angebote", "angebote_pruefen"),
    "Sitzung und Verwaltung": ("sitzung", "datenimport"),
}

# Streamlits englische Zeilen, die sich nicht setzen lassen: „200MB per file • CSV“ im Hochladefeld (die
# deutschen Hinweise schreibt oberflaeche.bausteine.datei_hochladen darunter), „Stop“ neben der Laufanzeige und
# „Upload“ auf dem Knopf des Hochladefelds (ersetzt durch „Datei wählen“).
HOCHLADEN = "[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer']"
st.html(
    "<style>[data-testid='stFileUploaderDropzoneInstructions'],"
    f"[data-testid='stStatusWidget'] button, {HOCHLADEN} p {{ display: none; }}"
    f"{HOCHLADEN}::after {{ content: 'Datei wählen'; }} {RAND_CSS}</style>"
)  # nur <style>: Streamlit legt es unsichtbar ab, ohne Platz im Layout
st.sidebar.title("Bildungsmonitor")
rolle = rolle_ermitteln()
st.session_state["_anmelderolle"] = rolle
st.session_state["aktive_rolle"] = werte_rolle(rolle)  # Zahlen: ein Träger sieht sie wie die Öffentlichkeit
st.session_state["geheimhaltung_erzwungen"] = False  # der Sitzungsmodus schaltet sie für seinen Lauf ein
seiten = {
    datei: st.Page(f"seiten/{datei}.py", title=titel, default=url is None, **({"url_path": url} if url else {}))
    for datei, titel, url in SEITEN
    if darf(rolle, datei)
}
navigation = {b: [seiten[d] for d in dateien if d in seiten] for b, dateien in BEREICHE.items()}
seite = st.navigation({b: liste for b, liste in navigation.items() if liste}, expanded=True)
# Seitenleiste je Seite (Cockpit und Sitzungsmodus eingeklappt) oder nach ?praesentation=1/0, s. oberflaeche.bildschirm
st.set_page_config(initial_sidebar_state=seitenleiste_zustand(seite.url_path, st.query_params.get("praesentation")))
seite_ausfuehren(seite, BEGINN)

"""Was auf den Bildschirm passt: Seitenleiste je Seite und Präsentationsschalter, knapper Seitenrand (rein).

Am Beamer (1280×720) soll der Hauptinhalt von Cockpit, Karte und Sitzungsmodus ohne Scrollen zu sehen sein.
Dafür: Cockpit und Sitzungsmodus beginnen mit eingeklappter Seitenleiste (sie lässt sich mit dem Pfeil oben
links öffnen), `?praesentation=1` klappt sie auf jeder Seite ein, `?praesentation=0` auf jeder Seite auf;
der obere Rand des Inhalts ist knapper als Streamlits Voreinstellung (6rem), und Karten nehmen ihre Höhe
aus dem Fenster (`oberflaeche.kartenkomponente.kartenhoehe`).
"""

from __future__ import annotations

from typing import Literal

Seitenleiste = Literal["auto", "expanded", "collapsed"]

#: URL-Pfade (`st.Page.url_path`) der Seiten, die für die Vorführung mit eingeklappter Seitenleiste beginnen.
VORFUEHRSEITEN = frozenset({"cockpit", "sitzung"})
#: Werte von `?praesentation=…`, die ein- bzw. ausschalten.
EIN = frozenset({"1", "ja", "an", "true"})
AUS = frozenset({"0", "nein", "aus", "false"})

#: Knapper oberer Rand (Streamlit: 6rem; die Kopfzeile ist 3.75rem hoch) und Überschriften ohne Luft darüber.
RAND_CSS = (
    "[data-testid='stMainBlockContainer'] { padding-top: 3.75rem; padding-bottom: 3rem; }"
    "[data-testid='stMainBlockContainer'] h1 { padding-top: 0.25rem; }"
)


def seitenleiste_zustand(url_pfad: str, praesentation: str | None = None) -> Seitenleiste:
    """Anfangszustand der Seitenleiste für eine Seite: der URL-Schalter vor der Voreinstellung der Seite.

    „auto“ heißt: offen, außer auf schmalen Schirmen (Handy), wo Streamlit sie einklappt.
    """
    schalter = (praesentation or "").strip().lower()
    if schalter in EIN:
        return "collapsed"
    if schalter in AUS:
        return "expanded"
    return "collapsed" if url_pfad in VORFUEHRSEITEN else "auto"

"""Was die Karte über Angebote und Ausschnitt weiß: Symbole je Kategorie, Vorauswahl, Ausschnitt einer Ebene.

Gezeichnet wird im Browser (`static/bildungsmonitor/karte.js`, Leaflet mit Canvas, über die Komponente in
`oberflaeche/kartenkomponente.py`); die Daten dafür baut `geodata.kodierung` (Geometrie) und
`geodata.kartendaten` (Färbung, Angebotsebenen).
"""

from __future__ import annotations

from html import escape

import geopandas as gpd
import numpy as np

#: Farbe und Kennzeichen je Angebotskategorie (ColorBrewer Dark2/Paired; Buchstabe statt nur Farbe).
KATEGORIEN: dict[str, tuple[str, str]] = {
    "Kita": ("#1b9e77", "K"),
    "Grundschule": ("#d95f02", "G"),
    "weiterführende Schule": ("#7570b3", "W"),
    "berufliche Schule": ("#e7298a", "B"),
    "Schule in freier Trägerschaft": ("#a6761d", "P"),
    "Schule mit sonderpädagogischem Förderschwerpunkt": ("#b8860b", "F"),
    "Förderschule": ("#b8860b", "F"),
    "Jugendfreizeiteinrichtung": ("#4d8a16", "J"),
    "Bibliothek": ("#1f78b4", "Bi"),
    "VHS": ("#b15928", "V"),
    "Familienzentrum": ("#c51b7d", "Fz"),
}
ANDERE = ("#666666", "•")
SCHULEN = {
    "Grundschule",
    "weiterführende Schule",
    "berufliche Schule",
    "Schule in freier Trägerschaft",
    "Schule mit sonderpädagogischem Förderschwerpunkt",
    "Förderschule",
}


def angebote_knopf(anzahl_gewaehlt: int) -> str:
    """Beschriftung des Knopfs, der die Angebotsebenen der Karte öffnet („Angebote: keine“, „Angebote: 2“)."""
    return f"Angebote: {anzahl_gewaehlt if anzahl_gewaehlt > 0 else 'keine'}"


def kategorie_farbe(kategorie: str) -> str:
    """Farbe einer Angebotskategorie (unbekannte Kategorien grau)."""
    return KATEGORIEN.get(kategorie, ANDERE)[0]


def kategorie_symbol(kategorie: str) -> str:
    """HTML des Legendensymbols: Kreis (Schulen: Quadrat) in Kategoriefarbe mit Kennbuchstabe.

    Die Karte zeichnet dasselbe Symbol auf den Canvas (`static/bildungsmonitor/karte.js`).
    """
    farbe, zeichen = KATEGORIEN.get(kategorie, ANDERE)
    radius = "3px" if kategorie in SCHULEN else "50%"
    return (
        f'<span style="display:inline-block;width:18px;height:18px;border-radius:{radius};background:{farbe};'
        f"color:#fff;font:bold 10px/18px sans-serif;text-align:center;vertical-align:middle;"
        f'margin-right:.4em">{escape(zeichen)}</span>'
    )


#: Südwest- und Nordostecke (Breite, Länge) eines Kartenausschnitts, wie Leaflets `fitBounds` sie erwartet.
Ausschnitt = tuple[tuple[float, float], tuple[float, float]]


def kartenausschnitt(anzeige: gpd.GeoDataFrame) -> Ausschnitt | None:
    """Der Ausschnitt, der alle Flächen der Anzeige-Geometrie zeigt (aus `total_bounds`, ohne Vereinigung).

    Die Geometrie wird bei Bedarf nach WGS84 umgerechnet; ohne eine einzige Fläche gibt es keinen Ausschnitt.
    """
    if anzeige.crs is not None and anzeige.crs.to_epsg() != 4326:
        anzeige = anzeige.to_crs("EPSG:4326")
    west, sued, ost, nord = (float(v) for v in anzeige.total_bounds)
    if not np.isfinite([west, sued, ost, nord]).all():
        return None
    return (sued, west), (nord, ost)


def ausschnitt_mitte(ausschnitt: Ausschnitt) -> tuple[float, float]:
    """Mitte eines Ausschnitts (Breite, Länge)."""
    (sued, west), (nord, ost) = ausschnitt
    return (sued + nord) / 2, (west + ost) / 2

"""Die Folium-Karte: Choropleth der Gebiete, Angebote als Symbolschichten, komplett offline.

Leaflet und Leaflet.markercluster werden aus `static/vendor/` geladen (Streamlit static serving
unter `/app/static/`); Hintergrundkacheln gibt es nur, wenn eine URL konfiguriert ist. Die Karte
besteht aus einer gleichbleibenden Basiskarte und wechselnden Ebenen (`KartenTeile`), damit
`st_folium` beim Wechsel des Indikators nicht neu lädt und Zoom und Ausschnitt erhalten bleiben.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from typing import Any

import branca.element
import folium
import geopandas as gpd
import numpy as np
from folium.plugins import MarkerCluster

STATIC_URL = "/app/static"
OFFLINE_JS = [
    ("leaflet", f"{STATIC_URL}/vendor/leaflet/leaflet.js"),
    ("markercluster", f"{STATIC_URL}/vendor/markercluster/leaflet.markercluster.js"),
]
OFFLINE_CSS = [
    ("leaflet_css", f"{STATIC_URL}/vendor/leaflet/leaflet.css"),
    ("markercluster_css", f"{STATIC_URL}/vendor/markercluster/MarkerCluster.css"),
    ("markercluster_default_css", f"{STATIC_URL}/vendor/markercluster/MarkerCluster.Default.css"),
    ("bildungsmonitor_css", f"{STATIC_URL}/bildungsmonitor/karte.css"),
]

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


#: Reihenfolge, in der Kategorien vorausgewählt werden, bis die Punktgrenze erreicht ist.
VORAUSWAHL = [
    "Grundschule",
    "Kita",
    "weiterführende Schule",
    "Jugendfreizeiteinrichtung",
    "Bibliothek",
    "VHS",
    "Familienzentrum",
    "berufliche Schule",
]


def standard_kategorien(anzahl: dict[str, int], grenze: int = 1000) -> list[str]:
    """Vorauswahl der Angebotsebenen: alle, wenn es wenige Punkte sind, sonst nach `VORAUSWAHL` bis zur Grenze."""
    if sum(anzahl.values()) <= grenze:
        return sorted(anzahl)
    gewaehlt, summe = [], 0
    for kat in [*VORAUSWAHL, *sorted(set(anzahl) - set(VORAUSWAHL))]:
        n = anzahl.get(kat, 0)
        if n and summe + n <= grenze:
            gewaehlt.append(kat)
            summe += n
    return sorted(gewaehlt)


def kategorie_farbe(kategorie: str) -> str:
    """Farbe einer Angebotskategorie (unbekannte Kategorien grau)."""
    return KATEGORIEN.get(kategorie, ANDERE)[0]


def kategorie_symbol(kategorie: str, *, eigenstaendig: bool = False) -> str:
    """HTML des Kartensymbols: Kreis (Schulen: Quadrat) in Kategoriefarbe mit Kennbuchstabe.

    `eigenstaendig` schreibt die Form inline (für die Legende außerhalb der Karte, ohne karte.css).
    """
    farbe, zeichen = KATEGORIEN.get(kategorie, ANDERE)
    schule = kategorie in SCHULEN
    if eigenstaendig:
        radius = "3px" if schule else "50%"
        return (
            f'<span style="display:inline-block;width:18px;height:18px;border-radius:{radius};background:{farbe};'
            f"color:#fff;font:bold 10px/18px sans-serif;text-align:center;vertical-align:middle;"
            f'margin-right:.4em">{escape(zeichen)}</span>'
        )
    form = " eckig" if schule else ""
    return f'<div class="bm-sym{form}" style="background:{farbe}">{escape(zeichen)}</div>'


@dataclass
class KartenTeile:
    """Basiskarte (bleibt gleich) und Ebenen (wechseln) für `st_folium(feature_group_to_add=…)`."""

    basis: folium.Map
    ebenen: list[folium.FeatureGroup]
    steuerung: folium.LayerControl | None

    def als_eine_karte(self) -> folium.Map:
        """Alles in einer Karte (für Export, Tests und Nutzlastmessung)."""
        for ebene in self.ebenen:
            ebene.add_to(self.basis)
        if self.steuerung is not None:
            self.steuerung.add_to(self.basis)
        return self.basis


def _stil(gewaehlt: str | None) -> Any:
    def stil(feature: dict[str, Any]) -> dict[str, Any]:
        p = feature["properties"]
        aktiv = p.get("id") == gewaehlt
        return {
            "fillColor": p.get("farbe", "#d9d9d9"),
            "fillOpacity": 0.8,
            "color": "#000000" if aktiv else "#ffffff",
            "weight": 3.5 if aktiv else 0.6,
        }

    return stil


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


def basiskarte(
    mitte: tuple[float, float] | None = None,
    zoom: int = 11,
    kachel_url: str | None = None,
    kachel_attribution: str = "",
    *,
    ausschnitt: Ausschnitt | None = None,
) -> folium.Map:
    """Leere Basiskarte mit lokalem Leaflet; Kacheln nur mit konfigurierter URL.

    Mit `ausschnitt` öffnet die Karte so, dass er ganz sichtbar ist (Leaflet `fitBounds`); `mitte` und
    `zoom` gelten dann nur bis dahin. Der Ausschnitt gehört zur Basiskarte: Er hängt nur von der Ebene ab,
    ein Indikatorwechsel ändert das Skript nicht und lässt Zoom und Lage des Nutzers stehen.
    """
    if mitte is None:
        mitte = ausschnitt_mitte(ausschnitt) if ausschnitt is not None else (51.0, 10.0)
    karte = folium.Map(
        location=mitte,
        zoom_start=zoom,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
        attribution_control=bool(kachel_url),
        maxZoom=18,  # ohne Kachelebene nötig (Leaflet.markercluster verlangt ein maxZoom)
        minZoom=8,
    )
    karte.default_js = OFFLINE_JS
    karte.default_css = OFFLINE_CSS
    if kachel_url:
        folium.TileLayer(
            kachel_url, attr=kachel_attribution or "Hintergrundkarte", name="Hintergrund", control=False
        ).add_to(karte)
    if ausschnitt is not None:
        karte.fit_bounds([list(ausschnitt[0]), list(ausschnitt[1])], padding=(8, 8))
    return karte


def gebiets_ebene(flaechen: dict[str, Any], gewaehlt: str | None = None) -> folium.FeatureGroup:
    """Die Gebietsflächen (FeatureCollection mit id, name, wert, farbe, art) als Ebene."""
    gruppe = folium.FeatureGroup(name="Gebiete", control=False)
    folium.GeoJson(
        flaechen,
        style_function=_stil(gewaehlt),
        highlight_function=lambda _f: {"weight": 3, "color": "#333333"},
        tooltip=folium.GeoJsonTooltip(["name", "wert"], aliases=["Gebiet", "Wert"], sticky=True),
    ).add_to(gruppe)
    return gruppe


def angebots_ebene(kategorie: str, punkte: dict[str, Any]) -> folium.FeatureGroup:
    """Eine Angebotskategorie als Ebene: Symbole, ab 1.000 Punkten (und unter Zoom 15) gebündelt."""
    n = len(punkte.get("features", []))
    gruppe = folium.FeatureGroup(name=f"{escape(kategorie)} ({n})", show=True)
    ziel: Any = gruppe
    if n > 150:
        cluster = MarkerCluster(
            options={
                "disableClusteringAtZoom": 15,
                "showCoverageOnHover": False,
                "maxClusterRadius": 40,
                "chunkedLoading": True,
            }
        )
        cluster.default_js, cluster.default_css = [], []  # kommen lokal über die Basiskarte
        cluster.add_to(gruppe)
        ziel = cluster
    folium.GeoJson(
        punkte,
        marker=folium.Marker(
            icon=folium.DivIcon(
                html=kategorie_symbol(kategorie), icon_size=(18, 18), icon_anchor=(9, 9), class_name="bm-angebot"
            )
        ),
        tooltip=folium.GeoJsonTooltip(["name", "info"], aliases=[escape(kategorie), ""], labels=True),
    ).add_to(ziel)
    return gruppe


def karte_bauen(
    flaechen: dict[str, Any],
    angebote: Iterable[tuple[str, dict[str, Any]]] = (),
    *,
    mitte: tuple[float, float] | None = None,
    zoom: int = 11,
    ausschnitt: Ausschnitt | None = None,
    gewaehlt: str | None = None,
    kachel_url: str | None = None,
    kachel_attribution: str = "",
) -> KartenTeile:
    """Basiskarte plus Gebietsebene und je Angebotskategorie eine umschaltbare Ebene.

    `ausschnitt` (siehe `kartenausschnitt`) lässt die Karte auf das ganze Gebiet eingepasst öffnen.
    """
    angebote = list(angebote)
    ebenen = [gebiets_ebene(flaechen, gewaehlt)] + [angebots_ebene(k, p) for k, p in angebote]
    steuerung = folium.LayerControl(collapsed=True) if angebote else None
    basis = basiskarte(mitte, zoom, kachel_url, kachel_attribution, ausschnitt=ausschnitt)
    return KartenTeile(basis, ebenen, steuerung)


def externe_adressen(*elemente: branca.element.Element) -> list[str]:
    """Alle JS/CSS-Adressen der Elemente, die nicht vom eigenen Server kommen (soll leer sein)."""
    adressen: list[str] = []

    def laufen(element: branca.element.Element) -> None:
        for _, url in [*getattr(element, "default_js", []), *getattr(element, "default_css", [])]:
            if url.startswith(("http://", "https://", "//")):
                adressen.append(url)
        for kind in getattr(element, "_children", {}).values():
            laufen(kind)

    for e in elemente:
        laufen(e)
    return adressen

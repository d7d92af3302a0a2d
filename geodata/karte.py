"""Die Folium-Karte: Choropleth der Gebiete, Angebote als Punktschichten, komplett offline.

Leaflet wird aus dem App-eigenen Ordner `static/vendor/leaflet` geladen (Streamlit
static serving unter `/app/static/`); Hintergrundkacheln gibt es nur, wenn eine URL
konfiguriert ist. So verlässt die Karte localhost nicht.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

import branca.element
import folium

STATIC_URL = "/app/static/vendor"
OFFLINE_JS = [("leaflet", f"{STATIC_URL}/leaflet/leaflet.js")]
OFFLINE_CSS = [("leaflet_css", f"{STATIC_URL}/leaflet/leaflet.css")]

#: Farbe je Angebotskategorie (ColorBrewer Dark2/Set1, gut unterscheidbar).
KATEGORIE_FARBEN = {
    "Kita": "#1b9e77",
    "Grundschule": "#d95f02",
    "weiterführende Schule": "#7570b3",
    "berufliche Schule": "#e7298a",
    "Schule in freier Trägerschaft": "#a6761d",
    "Förderschule": "#e6ab02",
    "Jugendfreizeiteinrichtung": "#66a61e",
    "Bibliothek": "#1f78b4",
    "VHS": "#b15928",
    "Familienzentrum": "#fb9a99",
}
ANDERE_FARBE = "#666666"


def kategorie_farbe(kategorie: str) -> str:
    """Farbe einer Angebotskategorie (unbekannte Kategorien grau)."""
    return KATEGORIE_FARBEN.get(kategorie, ANDERE_FARBE)


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


def karte_bauen(
    flaechen: dict[str, Any],
    angebote: Iterable[tuple[str, dict[str, Any]]] = (),
    *,
    mitte: tuple[float, float],
    zoom: int = 11,
    gewaehlt: str | None = None,
    kachel_url: str | None = None,
    kachel_attribution: str = "",
) -> folium.Map:
    """Karte mit Gebietsflächen (`flaechen`: FeatureCollection mit id, name, wert, farbe).

    `angebote` sind Paare (Kategorie, FeatureCollection mit name, traeger, kapazitaet).
    """
    karte = folium.Map(
        location=mitte,
        zoom_start=zoom,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
        attribution_control=bool(kachel_url),
    )
    karte.default_js = OFFLINE_JS
    karte.default_css = OFFLINE_CSS
    if kachel_url:
        folium.TileLayer(
            kachel_url, attr=kachel_attribution or "Hintergrundkarte", name="Hintergrund", control=False
        ).add_to(karte)
    folium.GeoJson(
        flaechen,
        name="Gebiete",
        style_function=_stil(gewaehlt),
        highlight_function=lambda _f: {"weight": 3, "color": "#333333"},
        tooltip=folium.GeoJsonTooltip(["name", "wert"], aliases=["Gebiet", "Wert"], sticky=True),
        control=False,
    ).add_to(karte)
    for kategorie, punkte in angebote:
        n = len(punkte.get("features", []))
        farbe = kategorie_farbe(kategorie)
        gruppe = folium.FeatureGroup(name=f"{escape(kategorie)} ({n})", show=True)
        folium.GeoJson(
            punkte,
            marker=folium.CircleMarker(
                radius=3.5, fill=True, fill_opacity=0.95, weight=1, color="#ffffff", fill_color=farbe
            ),
            tooltip=folium.GeoJsonTooltip(["name", "info"], aliases=[kategorie, ""], labels=True),
        ).add_to(gruppe)
        gruppe.add_to(karte)
    if angebote:
        folium.LayerControl(collapsed=True).add_to(karte)
    return karte


def externe_adressen(karte: folium.Map) -> list[str]:
    """Alle JS/CSS-Adressen der Karte, die nicht vom eigenen Server kommen (soll leer sein)."""
    adressen: list[str] = []

    def laufen(element: branca.element.Element) -> None:
        for _, url in [*getattr(element, "default_js", []), *getattr(element, "default_css", [])]:
            if url.startswith(("http://", "https://", "//")):
                adressen.append(url)
        for kind in getattr(element, "_children", {}).values():
            laufen(kind)

    laufen(karte)
    return adressen

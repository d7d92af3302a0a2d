"""Die naive Vergleichskarte: ein `folium.Choropleth` über `st_folium`, bei jedem Wechsel ganz neu gebaut.

Was man mit folium und streamlit-folium ohne eigene Komponente schreibt: Kommune einmal je Prozess laden
(`st.cache_resource`), bei jedem Lauf die ganze Karte bauen – Flächen in voller Genauigkeit und dieselben
vorausgewählten Angebote wie die Karte des Projekts (`geodata.karte.standard_kategorien`) als Punkte – und
als eine HTML-Seite schicken. Einzige Zugeständnisse: Leaflet kommt aus `/app/static` (kein Internet; wie die
alte folium-Karte des Projekts), keine Farblegende (bräuchte d3 aus einem CDN) und `returned_objects=[]`
(kein Neulauf bei jedem Verschieben). Gleiche Seite `/karte`, gleiche Auswahl „Indikator“ wie im Projekt,
damit `benchmarks/run.py` beide mit demselben Ablauf misst (`--projekt benchmarks/naive_karte`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PROJEKT = Path(__file__).resolve().parent.parent.parent
sys.path.append(str(PROJEKT))

import folium  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

LEAFLET = "/app/static/vendor/leaflet"


@st.cache_resource
def laden(kommune_id: str):
    from kommune import kommune_laden

    return kommune_laden(kommune_id)


def naive_karte(gebiete, reihe, punkte) -> folium.Map:
    """Ein folium.Choropleth der unvereinfachten Ebene (volle Koordinaten) und die Angebote als Kreise."""
    m = folium.Map(tiles=None, prefer_canvas=True)
    m.default_js = [("leaflet", f"{LEAFLET}/leaflet.js")]
    m.default_css = [("leaflet_css", f"{LEAFLET}/leaflet.css")]
    flaechen = gebiete.to_crs(4326).reset_index()[["id", "name", "geometry"]].assign(art="gebiet")
    daten = reihe.rename("wert").rename_axis("id").reset_index()
    ch = folium.Choropleth(flaechen, data=daten, columns=["id", "wert"], key_on="feature.properties.id")
    if ch.color_scale is not None:  # die Legende bräuchte d3 aus dem Netz
        del ch._children[ch.color_scale.get_name()]
        ch.color_scale = None
    ch.add_to(m)
    if len(punkte):
        folium.GeoJson(
            punkte.to_crs(4326)[["name", "kategorie", "geometry"]],
            marker=folium.CircleMarker(radius=3, weight=1, fill=True),
            tooltip=folium.GeoJsonTooltip(["name", "kategorie"]),
        ).add_to(m)
    x0, y0, x1, y1 = flaechen.total_bounds
    m.fit_bounds([[y0, x0], [y1, x1]])
    return m


def karte() -> None:
    from geodata.karte import standard_kategorien
    from kommune.werte import neueste_periode, werte

    kommune_id = st.query_params.get("kommune") or os.environ.get("BILDUNGSMONITOR_KOMMUNE", "musterstadt")
    k = laden(kommune_id)
    ebene = k.konfiguration.standard_ebene or k.konfiguration.ebenen[0].id
    st.title("Karte (naiv)")
    vorhanden = k.katalog.index[k.katalog.index.isin(k.indikatoren["indikator"])]
    indikator = st.selectbox("Indikator", list(vorhanden), format_func=lambda i: str(k.katalog.loc[i, "name"]))
    reihe = werte(k, indikator, ebene, neueste_periode(k, indikator))
    anzahl = k.angebote["kategorie"].value_counts().to_dict()
    punkte = k.angebote[k.angebote["kategorie"].isin(standard_kategorien(anzahl))]
    st_folium(naive_karte(k.gebiete[ebene], reihe, punkte), height=600, use_container_width=True, returned_objects=[])


def start() -> None:
    st.page_link(KARTE, label="Karte")


KARTE = st.Page(karte, title="Karte", url_path="karte")
st.navigation([st.Page(start, title="Start", default=True), KARTE], position="hidden").run()

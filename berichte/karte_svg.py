"""Statische Karten ohne Netz: ein Gebiet mit Nachbarn als SVG, Choroplethen als Vega-Lite (PNG/SVG).

Rein, ohne Streamlit. ``gebiet_svg`` zeichnet die Flächen selbst als SVG-Pfade aus den
shapely-Koordinaten im metrischen CRS der Kommune (y nach unten gespiegelt); Namen stehen
maskiert in ``<title>``. ``choropleth_chart`` baut eine Vega-Lite-Karte aus GeoJSON (WGS84,
vereinfacht) mit den Klassen und Farben von ``geodata.klassen``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable

import altair as alt
import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geodata.anzeige import feature_collection, vereinfachen
from geodata.klassen import KEINE_DATEN, klassen_bilden, schema_waehlen
from kommune.format import zahl
from kommune.laden import Kommune


def _pfad(geom: BaseGeometry, x0: float, y1: float, m: float) -> str:
    """SVG-Pfad (d) eines Polygons/Multipolygons; Koordinaten in Pixel (y gespiegelt)."""
    teile = []
    polys = getattr(geom, "geoms", [geom])
    for poly in polys:
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        for ring in [poly.exterior, *poly.interiors]:
            xy = shapely.get_coordinates(ring)
            if len(xy) < 3:
                continue
            punkte = " ".join(f"{(x - x0) * m:.1f},{(y1 - y) * m:.1f}" for x, y in xy)
            teile.append(f"M{punkte}Z")
    return " ".join(teile)


def gebiet_svg(
    kommune: Kommune,
    schicht: str,
    gebiet: str,
    *,
    breite: int = 360,
    hoehe: int = 300,
    nachbarn: bool = True,
    punkte: gpd.GeoDataFrame | None = None,
) -> str:
    """Ein Gebiet (hervorgehoben) mit seinen Nachbarn als eigenständiges SVG (inline einbettbar).

    Gezeichnet werden alle Gebiete der Ebene im Ausschnitt um das Gebiet (10 % Rand); `punkte`
    (z. B. Angebote) erscheinen als kleine Kreise. Maßstabsleiste in Metern.
    """
    gdf = kommune.gebiete[schicht]
    if gebiet not in gdf.index:
        raise KeyError(f"Das Gebiet „{gebiet}“ gibt es in der Ebene „{schicht}“ nicht.")
    ziel = gdf.geometry[gebiet]
    gx0, gy0, gx1, gy1 = ziel.bounds
    rand = 0.25 * max(gx1 - gx0, gy1 - gy0, 200.0)
    x0, y0, x1, y1 = gx0 - rand, gy0 - rand, gx1 + rand, gy1 + rand
    m = min(breite / (x1 - x0), hoehe / (y1 - y0))
    w, h = (x1 - x0) * m, (y1 - y0) * m
    ausschnitt = shapely.box(x0, y0, x1, y1)
    teile = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0f} {h:.0f}" width="{w:.0f}" height="{h:.0f}" '
        f'role="img" aria-label="{html.escape("Karte: " + str(gdf["name"][gebiet]))}">',
        f'<rect width="{w:.0f}" height="{h:.0f}" fill="#f7f7f7"/>',
    ]
    if nachbarn:
        kandidaten = gdf[gdf.intersects(ausschnitt) & (gdf.index != gebiet)]
        for _, zeile in kandidaten.iterrows():
            d = _pfad(zeile.geometry.intersection(ausschnitt), x0, y1, m)
            if d:
                teile.append(
                    f'<path d="{d}" fill="#e0e0e0" stroke="#ffffff" stroke-width="1.2" fill-rule="evenodd">'
                    f"<title>{html.escape(str(zeile['name']))}</title></path>"
                )
        beschriftet = 0
        for _, zeile in kandidaten.iterrows():
            if beschriftet >= 12 or (not zeile.geometry.touches(ziel) and not zeile.geometry.intersects(ziel)):
                continue
            p = zeile.geometry.intersection(ausschnitt).representative_point()
            teile.append(
                f'<text x="{(p.x - x0) * m:.1f}" y="{(y1 - p.y) * m:.1f}" font-size="10" fill="#525252" '
                f'text-anchor="middle" font-family="sans-serif">{html.escape(str(zeile["name"]))}</text>'
            )
            beschriftet += 1
    d = _pfad(ziel, x0, y1, m)
    teile.append(
        f'<path d="{d}" fill="#fd8d3c" fill-opacity="0.85" stroke="#7f2704" stroke-width="2.5" fill-rule="evenodd">'
        f"<title>{html.escape(str(gdf['name'][gebiet]))}</title></path>"
    )
    if punkte is not None and len(punkte):
        innen = punkte[punkte.intersects(ausschnitt)]
        for _, z in innen.iterrows():
            teile.append(
                f'<circle cx="{(z.geometry.x - x0) * m:.1f}" cy="{(y1 - z.geometry.y) * m:.1f}" r="3" fill="#08519c" '
                f'stroke="#ffffff" stroke-width="0.8"><title>{html.escape(str(z.get("name", "")))}</title></circle>'
            )
    # Maßstab: runde Länge ≈ ein Viertel der Breite
    soll = (x1 - x0) / 4
    laenge = 10 ** math.floor(math.log10(soll))
    for f in (5, 2, 1):
        if f * laenge <= soll:
            laenge *= f
            break
    px = laenge * m
    text = f"{zahl(laenge / 1000, 3, kuerzen=True)} km" if laenge >= 1000 else f"{zahl(laenge, 3, kuerzen=True)} m"
    teile.append(
        f'<g transform="translate(10,{h - 14:.0f})"><rect width="{px:.1f}" height="4" fill="#252525"/>'
        f'<text y="-3" font-size="10" font-family="sans-serif">{html.escape(text)}</text></g>'
    )
    teile.append("</svg>")
    return "".join(teile)


def choropleth_chart(
    kommune: Kommune,
    schicht: str,
    werte: pd.Series,
    *,
    titel: str,
    stand: str,
    einheit: str = "",
    richtung: int = 1,
    k: int = 5,
    breite: int = 520,
    hoehe: int = 420,
) -> alt.Chart:
    """Choroplethenkarte als Vega-Lite-Diagramm (offline exportierbar mit `diagramme.als_png`)."""
    from berichte.diagramme import _fertig

    gdf = kommune.gebiete[schicht]
    anzeige = vereinfachen(gdf, toleranz_m=30.0)
    werte = werte.reindex(gdf.index)
    stellen = 0 if einheit in ("Personen", "Anzahl") else 1
    kl = klassen_bilden(werte, "quantile", k, schema_waehlen(richtung, werte), stellen)
    etiketten = [f"{b} {einheit}".strip() for b in kl.beschriftungen]
    klasse = kl.klasse.reindex(gdf.index)
    anzeige["klasse"] = [etiketten[c] if c >= 0 else "keine Daten" for c in klasse]
    anzeige["name"] = gdf["name"].astype(str).to_numpy()
    anzeige["wert"] = werte.to_numpy()
    fc = feature_collection(anzeige, ["name", "klasse", "wert"])
    domain = [*etiketten, "keine Daten"]
    farben = [*kl.farben, KEINE_DATEN]
    chart = (
        alt.Chart(alt.Data(values=fc["features"]))
        .mark_geoshape(stroke="#ffffff", strokeWidth=0.4)
        .encode(
            color=alt.Color("properties.klasse:N", scale=alt.Scale(domain=domain, range=farben), sort=domain,
                            title=einheit or None, legend=alt.Legend(orient="right")),
            tooltip=[
                alt.Tooltip("properties.name:N", title="Gebiet"),
                alt.Tooltip("properties.klasse:N", title="Klasse"),
            ],
        )
        .project(type="mercator")
        .properties(width=breite, height=hoehe)
    )
    return _fertig(chart, titel, stand)


def ids_text(ids: Iterable[str]) -> str:
    """Gebiets-IDs als kurze Liste (für Bildunterschriften)."""
    ids = list(ids)
    return ", ".join(ids[:5]) + (f" und {len(ids) - 5} weitere" if len(ids) > 5 else "")

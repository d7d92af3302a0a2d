"""Anzeigegeometrie: die Toleranz folgt der Größe der Gebiete einer Ebene (Issue 11, Deutschland)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from geodata.anzeige import MIN_TOLERANZ_M, toleranz_fuer, vereinfachen


def _raster(n: int, breite_m: float, welle_m: float = 0.0) -> gpd.GeoDataFrame:
    """n × n aneinanderstoßende Quadrate (EPSG:25832). `welle_m`: Kanten als Welle dieser Höhe (40 Punkte je
    Kante), berechnet aus der Lage – Nachbarn teilen also genau dieselben Kantenpunkte."""
    x0, y0 = 500_000.0, 5_500_000.0

    def welle(t: np.ndarray) -> np.ndarray:
        return welle_m * np.sin(2 * np.pi * 3 * (t - x0) / breite_m)

    def quadrat(x: float, y: float) -> Polygon:
        if not welle_m:
            return box(x, y, x + breite_m, y + breite_m)
        t = np.linspace(0, breite_m, 41)[:-1]
        unten = np.c_[x + t, y + welle(x + t)]
        rechts = np.c_[x + breite_m + welle(y + t - y0 + x0), y + t]
        oben = np.c_[x + breite_m - t, y + breite_m + welle(x + breite_m - t)]
        links = np.c_[x + welle(y + breite_m - t - y0 + x0), y + breite_m - t]
        return Polygon(np.vstack([unten, rechts, oben, links]))

    zellen = [quadrat(x0 + i * breite_m, y0 + j * breite_m) for i in range(n) for j in range(n)]
    ids = [f"g{i}" for i in range(len(zellen))]
    return gpd.GeoDataFrame({"name": ids}, geometry=zellen, index=ids, crs="EPSG:25832")


def test_toleranz_aus_der_gebietsbreite():
    assert toleranz_fuer(_raster(3, 10_000)) == pytest.approx(200.0)  # 10 km breit → 200 m
    assert toleranz_fuer(_raster(3, 1_000)) == MIN_TOLERANZ_M  # 1 km breit: nie feiner als 30 m


def test_toleranz_ohne_metrisches_crs_oder_flaeche():
    assert toleranz_fuer(_raster(2, 10_000).to_crs(4326)) == MIN_TOLERANZ_M
    leer = gpd.GeoDataFrame({"name": []}, geometry=[], crs="EPSG:25832")
    assert toleranz_fuer(leer) == MIN_TOLERANZ_M
    linien = gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.LineString([(0, 0), (1, 1)])], crs="EPSG:25832")
    assert toleranz_fuer(linien) == MIN_TOLERANZ_M


def test_berliner_planungsraeume_bleiben_bei_30_m(berlin):
    assert toleranz_fuer(berlin.gebiete["planungsraum"]) == MIN_TOLERANZ_M


def test_grobe_ebene_wird_grob_gezeichnet_und_bleibt_lueckenlos():
    g = _raster(4, 20_000, welle_m=100)  # 20 km breit (Toleranz 400 m), Kanten mit 100 m hohen Wellen
    punkte_vorher = int(g.geometry.count_coordinates().sum())
    fein = vereinfachen(g, toleranz_m=MIN_TOLERANZ_M)
    grob = vereinfachen(g)
    punkte_fein, punkte_grob = (int(a.geometry.count_coordinates().sum()) for a in (fein, grob))
    assert punkte_fein > 0.8 * punkte_vorher  # 30 m: die 100-m-Wellen bleiben
    assert punkte_grob < punkte_fein / 4  # 400 m: geglättet
    assert grob.geometry.is_valid.all()
    # gemeinsame Kanten bleiben gemeinsam: die Flächen überlappen nicht und lassen keine Lücke
    vereinigt = shapely.union_all(grob.to_crs(25832).geometry.to_numpy())
    assert vereinigt.area == pytest.approx(g.area.sum(), rel=1e-3)
    assert grob.to_crs(25832).area.sum() == pytest.approx(vereinigt.area, rel=1e-4)

"""Geometrien für die Anzeige vorbereiten: topologieerhaltend vereinfachen, runden, WGS84."""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

WGS84 = "EPSG:4326"


#: Kleinste Toleranz: 30 m ≈ ein Pixel bei Zoom 12 (Berliner Planungsräume, Stadtviertel).
MIN_TOLERANZ_M = 30.0
#: Toleranz = typische Gebietsbreite / TEILER: ein Gebiet ist dort, wo man es als Ganzes sieht, etwa 50 Pixel breit.
TEILER = 50.0


def toleranz_fuer(gdf: gpd.GeoDataFrame) -> float:
    """Die Vereinfachungstoleranz (m) einer Ebene aus ihrer typischen Gebietsbreite (√ mittlere Fläche).

    Feine Ebenen (Berlins 542 Planungsräume: Breite ≈ 1,3 km) bleiben bei 30 m; grobe werden gröber
    gezeichnet, so genau, wie man sie in der Übersicht sieht (Deutschlands Kreise ≈ 600 m, Länder ≈ 3 km).
    Ohne metrisches CRS oder ohne Fläche: 30 m.
    """
    if gdf.empty or gdf.crs is None or not gdf.crs.is_projected:
        return MIN_TOLERANZ_M
    flaeche = float(shapely.area(gdf.geometry.to_numpy()).sum())
    if not np.isfinite(flaeche) or flaeche <= 0:
        return MIN_TOLERANZ_M
    return max(MIN_TOLERANZ_M, float(np.sqrt(flaeche / len(gdf))) / TEILER)


def vereinfachen(gdf: gpd.GeoDataFrame, toleranz_m: float | None = None, stellen: int = 5) -> gpd.GeoDataFrame:
    """Flächen gemeinsam vereinfachen (gemeinsame Kanten bleiben gemeinsam), nach WGS84, runden.

    `toleranz_m` gilt im metrischen CRS der Kommune; ohne Angabe `toleranz_fuer(gdf)` (mindestens 30 m).
    5 Nachkommastellen ≈ 1 m.
    """
    if toleranz_m is None:
        toleranz_m = toleranz_fuer(gdf)
    geom = gdf.geometry.to_numpy()
    try:
        einfach = shapely.coverage_simplify(geom, toleranz_m)
    except Exception:
        einfach = shapely.simplify(geom, toleranz_m, preserve_topology=True)
    out = gpd.GeoDataFrame(gdf.drop(columns=gdf.geometry.name), geometry=einfach, crs=gdf.crs).to_crs(WGS84)
    out["geometry"] = shapely.transform(out.geometry.to_numpy(), lambda xy: np.round(xy, stellen))
    out["geometry"] = shapely.make_valid(out.geometry.to_numpy())
    return out


def punkte_wgs84(gdf: gpd.GeoDataFrame, stellen: int = 5) -> gpd.GeoDataFrame:
    """Punkte nach WGS84 umrechnen und runden."""
    out = gdf.to_crs(WGS84)
    out["geometry"] = shapely.transform(out.geometry.to_numpy(), lambda xy: np.round(xy, stellen))
    return out


def feature_collection(gdf: gpd.GeoDataFrame, eigenschaften: list[str]) -> dict[str, Any]:
    """Ein schlankes GeoJSON-Dict nur mit den genannten Eigenschaften."""
    return json.loads(gdf[[*eigenschaften, gdf.geometry.name]].to_json(drop_id=True))

"""Geometrien für die Anzeige vorbereiten: topologieerhaltend vereinfachen, runden, WGS84."""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

WGS84 = "EPSG:4326"


def vereinfachen(gdf: gpd.GeoDataFrame, toleranz_m: float = 30.0, stellen: int = 5) -> gpd.GeoDataFrame:
    """Flächen gemeinsam vereinfachen (gemeinsame Kanten bleiben gemeinsam), nach WGS84, runden.

    `toleranz_m` gilt im metrischen CRS der Kommune (30 m ≈ ein Pixel bei Zoom 12); 5 Nachkommastellen ≈ 1 m.
    """
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

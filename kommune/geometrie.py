"""Geometrien lesen (pyogrio) und prüfen: CRS, gültige Polygone, eindeutige Schlüssel."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import ProjError

from kommune.fehler import KommuneFehler
from kommune.konfiguration import Filter

#: Grobe Ausdehnung Deutschlands (Länge/Breite) mit Rand, für die Plausibilitätsprüfung.
DEUTSCHLAND_LL = (5.0, 47.0, 16.0, 55.5)


def datei_lesen(pfad: Path, layer: str | None = None) -> gpd.GeoDataFrame:
    """Eine Geodatei (GeoPackage, GeoJSON, Shapefile) lesen; Fehler als deutscher Satz."""
    if not pfad.exists():
        raise KommuneFehler("Die Datei wurde nicht gefunden.", datei=str(pfad))
    try:
        gdf = pyogrio.read_dataframe(pfad, layer=layer)
    except pyogrio.errors.DataLayerError:
        raise KommuneFehler(f"Die Ebene (layer) „{layer}“ gibt es in der Datei nicht.", datei=pfad.name) from None
    except Exception as e:
        raise KommuneFehler(f"Die Datei ist keine lesbare Geodatei ({type(e).__name__}).", datei=pfad.name) from None
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.name not in gdf:
        raise KommuneFehler("Die Datei enthält keine Geometrien.", datei=pfad.name)
    return gdf


def koordinaten_pruefen(geometrie: gpd.GeoSeries, datei: str) -> None:
    """Jede Koordinate ist eine endliche Zahl (NaN oder unendlich ließe GEOS und die Umrechnung scheitern)."""
    for zeile, geom in enumerate(geometrie.to_numpy(), start=1):
        if geom is not None and not np.isfinite(shapely.get_coordinates(geom)).all():
            raise KommuneFehler(
                "Die Geometrie enthält ungültige Koordinaten (NaN oder unendlich).", datei=datei, zeile=zeile
            )


def crs_pruefen(gdf: gpd.GeoDataFrame, ziel_crs: str, datei: str) -> gpd.GeoDataFrame:
    """CRS vorhanden und plausibel (Koordinaten in Deutschland); dann ins Ziel-CRS umrechnen."""
    if gdf.crs is None:
        raise KommuneFehler("Die Datei hat kein Koordinatensystem (CRS).", datei=datei)
    gdf = gdf[~gdf.geometry.isna() & ~gdf.geometry.is_empty]
    if gdf.empty:
        raise KommuneFehler("Die Datei enthält keine Geometrien.", datei=datei)
    koordinaten_pruefen(gdf.geometry, datei)
    x0, y0, x1, y1 = gdf.total_bounds
    try:
        nach_ll = Transformer.from_crs(gdf.crs, CRS.from_epsg(4326), always_xy=True)
        lon0, lat0 = nach_ll.transform(x0, y0)
        lon1, lat1 = nach_ll.transform(x1, y1)
    except ProjError:
        lon0 = lat0 = lon1 = lat1 = float("nan")
    g0, b0, g1, b1 = DEUTSCHLAND_LL
    if not all(g0 <= lon <= g1 and b0 <= lat <= b1 for lon, lat in ((lon0, lat0), (lon1, lat1))):
        raise KommuneFehler(
            f"Die Koordinaten liegen nicht in Deutschland (angegebenes CRS: {gdf.crs.to_string()}). "
            "Ist das Koordinatensystem der Datei richtig angegeben?",
            datei=datei,
        )
    return gdf.to_crs(ziel_crs)


def schluessel_pruefen(df: pd.DataFrame, spalte: str, datei: str) -> pd.Series:
    """Schlüsselspalte vorhanden, gefüllt, eindeutig; als Text zurückgeben."""
    if spalte not in df.columns:
        raise KommuneFehler(
            "Die Schlüsselspalte fehlt. Vorhandene Spalten: " + ", ".join(map(str, df.columns[:12])) + ".",
            datei=datei,
            spalte=spalte,
        )
    schluessel = df[spalte].astype("string").str.strip()
    leer = schluessel.isna() | (schluessel == "")
    if leer.any():
        pos = int(leer.to_numpy().nonzero()[0][0])
        raise KommuneFehler("Der Schlüssel ist leer.", datei=datei, zeile=pos + 1, spalte=spalte)
    doppelt = schluessel.duplicated(keep="first")
    if doppelt.any():
        pos = int(doppelt.to_numpy().nonzero()[0][0])
        raise KommuneFehler(
            f"Der Schlüssel „{schluessel.iloc[pos]}“ kommt mehrfach vor.",
            datei=datei,
            zeile=pos + 1,
            spalte=spalte,
        )
    return schluessel.astype(str)


def polygone_reparieren(geometrie: gpd.GeoSeries, datei: str) -> tuple[gpd.GeoSeries, int]:
    """Ungültige Polygone mit `make_valid` reparieren; Anzahl der Reparaturen zurückgeben."""
    typen = set(geometrie.geom_type.unique())
    if not typen <= {"Polygon", "MultiPolygon"}:
        raise KommuneFehler(
            "Die Datei muss Flächen (Polygone) enthalten, gefunden: " + ", ".join(sorted(typen)) + ".",
            datei=datei,
        )
    ungueltig = ~geometrie.is_valid
    if not ungueltig.any():
        return geometrie, 0
    repariert = geometrie.copy()
    repariert[ungueltig] = shapely.make_valid(geometrie[ungueltig].values)
    # make_valid kann Linien-Reste liefern: nur die Flächenanteile behalten
    repariert[ungueltig] = [
        shapely.union_all([g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")])
        for geom in repariert[ungueltig]
    ]
    return repariert, int(ungueltig.sum())


def filter_maske(df: pd.DataFrame, filter: Filter, datei: str) -> np.ndarray:
    """Wahr für die Zeilen, deren Spalte einen der Werte hat oder mit einem der Präfixe beginnt."""
    if filter.spalte not in df.columns:
        raise KommuneFehler("Die Filterspalte fehlt.", datei=datei, spalte=filter.spalte)
    text = df[filter.spalte].astype("string").fillna("").str.strip()
    return (text.isin(filter.werte) if filter.werte else text.str.startswith(filter.praefix)).to_numpy(bool)


def zeilen_filtern(df: pd.DataFrame, filter: Filter, datei: str) -> pd.DataFrame:
    """Nur die Zeilen, die zum Filter passen; passt keine, ein deutscher Fehler (für Gebietsschichten)."""
    maske = filter_maske(df, filter, datei)
    if not maske.any():
        gesucht = ", ".join(filter.werte or tuple(p + "…" for p in filter.praefix))
        raise KommuneFehler(f"Keine Zeile passt zum Filter ({filter.spalte} = {gesucht}).", datei=datei)
    return df[maske]


def nach_praefix_vereinigen(
    gdf: gpd.GeoDataFrame, id_spalte: str, stellen: int, name_spalte: str | None, datei: str
) -> gpd.GeoDataFrame:
    """Flächen mit gleichen ersten `stellen` Zeichen der ID zu einer vereinigen (z. B. 12-stelliger ARS →
    9-stelliger Gemeindeverband). Name: die Namen der Teile, mit Komma verbunden."""
    ids = schluessel_pruefen(gdf, id_spalte, datei).str[:stellen]
    teile = gpd.GeoDataFrame({id_spalte: ids.to_numpy()}, geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
    if name_spalte:
        if name_spalte not in gdf.columns:
            raise KommuneFehler("Die Namensspalte fehlt.", datei=datei, spalte=name_spalte)
        teile[name_spalte] = gdf[name_spalte].astype(str).str.strip().to_numpy()
    spalten = {name_spalte: lambda s: ", ".join(dict.fromkeys(s))} if name_spalte else "first"
    return teile.dissolve(by=id_spalte, aggfunc=spalten, sort=True).reset_index()

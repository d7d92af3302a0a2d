"""Erreichbarkeit in Luftlinie: Entfernung der Bewohner zum nächsten Angebot einer Kategorie.

Wo die Menschen in einem Gebiet wohnen, ist nicht bekannt – nur wie viele es sind. Deshalb steht
ein regelmäßiges Raster von Stichprobenpunkten (Standard: 100 m, Zellmitten auf festen Vielfachen
des Rasters) für die Wohnorte: Jeder Punkt im Gebiet bekommt **dasselbe Gewicht**, die Bevölkerung
des Gebiets wird also **gleichmäßig über seine Fläche verteilt**. Gebiete ohne Rasterpunkt (kleiner
als eine Rasterzelle) werden durch einen inneren Punkt vertreten. Parks, Wälder, Gewässer und
Gewerbeflächen zählen dabei wie Wohnflächen mit; das überschätzt die Entfernung in Gebieten mit
großen Freiflächen. Wer eine feinere Bevölkerungsverteilung hat, übergibt eine Dichtefunktion
(`dichte`): Die Punkte eines Gebiets werden dann nach ihr gewichtet. `zensus_dichte` ist so eine
Funktion für das 1-km-Gitter des Zensus 2011 (grob, aber besser als nichts).

Entfernungen sind **Luftlinie** (euklidisch im metrischen CRS), keine Wege. Angebote jenseits der
Gemeindegrenze fehlen in den Daten; am Stadtrand sind die Entfernungen daher eher zu groß.
Nächste Nachbarn: `scipy.spatial.cKDTree`, vollständig vektorisiert.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from geodata.versorgung import EINWOHNER, VERSORGUNG, WerteFn, Zielgruppe, zielgruppe_werte
from kommune.format import zahl
from kommune.laden import Kommune
from kommune.werte import werte

#: Dichte je Stichprobenpunkt: bekommt Koordinaten (n, 2) im CRS der Gebiete, liefert n Werte ≥ 0.
Dichte = Callable[[np.ndarray], np.ndarray]

STANDARD_RADIEN: tuple[float, ...] = (500.0, 1000.0)


@dataclass(frozen=True)
class Wohnorte:
    """Stichprobenpunkte für die Wohnorte je Gebiet.

    `gebiet` ist die Position des Gebiets in `ids`; `gewicht` ist der Anteil des Punkts an der
    Bevölkerung seines Gebiets (Summe je Gebiet = 1).
    """

    xy: np.ndarray
    gebiet: np.ndarray
    gewicht: np.ndarray
    ids: pd.Index
    raster: float
    ersatzpunkte: int  # Gebiete ohne Rasterpunkt, durch einen inneren Punkt vertreten
    gewichtet: bool  # True, wenn eine Dichtefunktion die Punkte gewichtet hat


def _rasterpunkte(gebiete: gpd.GeoDataFrame, raster: float) -> tuple[np.ndarray, np.ndarray]:
    """Zellmitten eines festen Rasters in jedem Polygon: (xy, Position des Gebiets)."""
    geom = gebiete.geometry.to_numpy()
    shapely.prepare(geom)
    grenzen = shapely.bounds(geom)
    xs_teile, ys_teile, pos_teile = [], [], []
    for i, (g, (x0, y0, x1, y1)) in enumerate(zip(geom, grenzen, strict=True)):
        if g is None or shapely.is_empty(g):
            continue
        xs = np.arange(np.floor(x0 / raster), np.ceil(x1 / raster) + 1) * raster + raster / 2
        ys = np.arange(np.floor(y0 / raster), np.ceil(y1 / raster) + 1) * raster + raster / 2
        gx, gy = np.meshgrid(xs[xs <= x1], ys[ys <= y1])
        gx, gy = gx.ravel(), gy.ravel()
        innen = shapely.contains_xy(g, gx, gy)
        xs_teile.append(gx[innen])
        ys_teile.append(gy[innen])
        pos_teile.append(np.full(int(innen.sum()), i, dtype=np.int64))
    if not xs_teile:
        return np.empty((0, 2)), np.empty(0, dtype=np.int64)
    xy = np.column_stack([np.concatenate(xs_teile), np.concatenate(ys_teile)])
    return xy, np.concatenate(pos_teile)


def wohnorte(gebiete: gpd.GeoDataFrame, raster: float = 100.0, dichte: Dichte | None = None) -> Wohnorte:
    """Stichprobenpunkte auf einem regelmäßigen Raster in jedem Gebiet (gleiches Gewicht je Punkt).

    Mit `dichte` werden die Punkte eines Gebiets nach der Dichte gewichtet; hat ein Gebiet überall
    Dichte 0 (oder keine Angabe), bleibt es bei gleichen Gewichten. Einmal je Ebene berechnen und
    wiederverwenden (z. B. im Cache der Oberfläche).
    """
    if raster <= 0:
        raise ValueError("Das Raster muss größer als 0 m sein.")
    xy, pos = _rasterpunkte(gebiete, raster)
    n = len(gebiete)
    ohne = np.setdiff1d(np.arange(n), pos)
    ohne = ohne[~gebiete.geometry.iloc[ohne].is_empty.to_numpy()] if len(ohne) else ohne
    if len(ohne):
        ersatz = shapely.get_coordinates(gebiete.geometry.iloc[ohne].representative_point().to_numpy())
        xy = np.vstack([xy, ersatz])
        pos = np.concatenate([pos, ohne])
    anzahl = np.bincount(pos, minlength=n).astype(float)
    gewicht = 1.0 / anzahl[pos]
    gewichtet = False
    if dichte is not None and len(xy):
        d = np.nan_to_num(np.asarray(dichte(xy), dtype=float), nan=0.0)
        d = np.where(d > 0, d, 0.0)
        summe = np.bincount(pos, weights=d, minlength=n)
        mit = summe[pos] > 0
        gewicht = np.where(mit, d / np.where(summe[pos] > 0, summe[pos], 1.0), gewicht)
        gewichtet = True
    return Wohnorte(xy, pos, gewicht, gebiete.index, float(raster), len(ohne), gewichtet)


def zensus_dichte(pfad: str | os.PathLike[str], crs: str, spalte: str = "Einwohner") -> Dichte:
    """Dichtefunktion aus dem Zensus-1-km-Gitter (Parquet mit x_mp_1km, y_mp_1km in EPSG:3035).

    Jeder Punkt bekommt die Einwohnerzahl seiner Gitterzelle (−1/−9 = unbewohnt bzw. geheim → 0).
    Zensus 2011 beschreibt nur die *Verteilung* innerhalb eines Gebiets; die Summen kommen weiter
    aus der aktuellen Statistik. 1 km ist gröber als viele Planungsräume – nur eine Verbesserung
    gegenüber der Gleichverteilung, kein Ersatz für Baublöcke.
    """
    from pyproj import Transformer

    zellen = pd.read_parquet(pfad, columns=["x_mp_1km", "y_mp_1km", spalte])
    schluessel = (zellen["x_mp_1km"].to_numpy(np.int64) // 1000) * 100_000 + zellen["y_mp_1km"].to_numpy(
        np.int64
    ) // 1000
    einwohner = pd.Series(zellen[spalte].clip(lower=0).to_numpy(float), index=schluessel)
    einwohner = einwohner[~einwohner.index.duplicated()]
    nach_laea = Transformer.from_crs(crs, "EPSG:3035", always_xy=True)

    def dichte(xy: np.ndarray) -> np.ndarray:
        x, y = nach_laea.transform(xy[:, 0], xy[:, 1])
        k = np.floor(np.asarray(x) / 1000).astype(np.int64) * 100_000 + np.floor(np.asarray(y) / 1000).astype(np.int64)
        return einwohner.reindex(k).fillna(0.0).to_numpy()

    return dichte


def _dativ(kategorie: str) -> str:
    """„weiterführende Schule“ → „weiterführenden Schule“ (für „zur nächsten …“)."""
    erstes, _, rest = kategorie.partition(" ")
    if rest and erstes[:1].islower() and erstes.endswith("e"):
        return f"{erstes}n {rest}"
    return kategorie


def spaltennamen(kategorie: str, zielgruppe: str, radien: Iterable[float]) -> dict[str, str]:
    """Die deutschen Spaltennamen (Schlüssel: „entfernung“, „anteil_500“, „personen_500“ …)."""
    ziel = f"zur nächsten {_dativ(kategorie)}"
    namen = {"entfernung": f"Mittlere Luftlinie {ziel} (m)"}
    for r in radien:
        rt = zahl(r, 0)
        namen[f"anteil_{r:g}"] = f"Anteil {zielgruppe} bis {rt} m Luftlinie {ziel} (%)"
        namen[f"personen_{r:g}"] = f"{zielgruppe} bis {rt} m Luftlinie {ziel} (Personen)"
    return namen


def erreichbarkeit(
    orte: Wohnorte,
    angebote: gpd.GeoDataFrame | gpd.GeoSeries | np.ndarray,
    bevoelkerung: pd.Series | None = None,
    radien: Iterable[float] = STANDARD_RADIEN,
    kategorie: str = "Kita",
    zielgruppe: str = "Kinder unter 6",
) -> pd.DataFrame:
    """Luftlinie zum nächsten Angebot und Anteil der Bevölkerung in Gehweite, je Gebiet.

    Spalten: „Mittlere Luftlinie zur nächsten Kita (m)“ (bevölkerungsgewichtetes Mittel über die
    Stichprobenpunkte des Gebiets), je Radius „Anteil Kinder unter 6 bis 500 m Luftlinie zur nächsten
    Kita (%)“ und – mit `bevoelkerung` – „Kinder unter 6 bis 500 m Luftlinie zur nächsten Kita
    (Personen)“. Ohne Angebote: Entfernung leer, Anteile 0. ``attrs["gesamt"]`` enthält die Werte der
    ganzen Kommune, die Gebiete gewichtet nach `bevoelkerung` oder – ohne sie bzw. wenn sie überall
    fehlt (Einzugsbereiche ohne Umrechnung) – nach Fläche; ``attrs["gesamt_gewicht"]`` sagt, wonach.
    """
    radien = [float(r) for r in radien]
    if isinstance(angebote, np.ndarray):
        ziel = np.asarray(angebote, dtype=float).reshape(-1, 2)
    else:
        geom = angebote.geometry if isinstance(angebote, gpd.GeoDataFrame) else angebote
        ziel = shapely.get_coordinates(geom.to_numpy())
    n = len(orte.ids)
    namen = spaltennamen(kategorie, zielgruppe, radien)
    df = pd.DataFrame(index=orte.ids)
    gesamt: dict[str, float] = {}
    pop = None if bevoelkerung is None else pd.to_numeric(bevoelkerung, errors="coerce").astype(float)
    if pop is not None and pop.reindex(orte.ids).notna().any():
        pop = pop.reindex(orte.ids)
        pop_gewicht, gewicht_nach = pop.to_numpy(), "Bevölkerung"
    else:
        pop = None if pop is None else pop.reindex(orte.ids)
        pop_gewicht, gewicht_nach = np.bincount(orte.gebiet, minlength=n).astype(float), "Fläche"  # ~ Punktzahl
    hat_punkte = np.bincount(orte.gebiet, minlength=n) > 0
    if len(ziel) and len(orte.xy):
        d, _ = cKDTree(ziel).query(orte.xy, k=1, workers=-1)
        mittel = np.bincount(orte.gebiet, weights=orte.gewicht * d, minlength=n)
        mittel = np.where(hat_punkte, mittel, np.nan)
    else:
        d = np.full(len(orte.xy), np.inf)
        mittel = np.full(n, np.nan)
    df[namen["entfernung"]] = mittel
    ok = ~np.isnan(pop_gewicht) & ~np.isnan(mittel)
    gesamt[namen["entfernung"]] = (
        float(np.sum(pop_gewicht[ok] * mittel[ok]) / np.sum(pop_gewicht[ok])) if pop_gewicht[ok].sum() > 0 else np.nan
    )
    for r in radien:
        anteil = np.bincount(orte.gebiet, weights=orte.gewicht * (d <= r), minlength=n)
        anteil = np.where(hat_punkte, np.clip(anteil, 0.0, 1.0), np.nan)  # Rundung: 1,0000000000000002 → 1
        sp = namen[f"anteil_{r:g}"]
        df[sp] = 100 * anteil
        ok = ~np.isnan(pop_gewicht) & ~np.isnan(anteil)
        nenner = pop_gewicht[ok].sum()
        gesamt[sp] = float(100 * np.sum(pop_gewicht[ok] * anteil[ok]) / nenner) if nenner > 0 else np.nan
        if pop is not None:
            sp_p = namen[f"personen_{r:g}"]
            df[sp_p] = anteil * pop.to_numpy()
            gesamt[sp_p] = float(np.nansum(df[sp_p])) if df[sp_p].notna().any() else np.nan
    df.attrs.update(
        {
            "gesamt": gesamt,
            "gesamt_gewicht": gewicht_nach,
            "spalten": namen,
            "raster": orte.raster,
            "gewichtet": orte.gewichtet,
        }
    )
    return df


def zielgruppe_fuer(kommune: Kommune, kategorie: str) -> Zielgruppe:
    """Die Zielgruppe einer Kategorie aus `VERSORGUNG`, sofern im Katalog auflösbar, sonst „Einwohner“."""
    for v in VERSORGUNG:
        if v.kategorie == kategorie and v.zielgruppe.formel_fuer(kommune.katalog.index):
            return v.zielgruppe
    return EINWOHNER


def erreichbarkeit_kommune(
    kommune: Kommune,
    schicht_id: str,
    kategorie: str,
    zielgruppe: Zielgruppe | None = None,
    periode: str | None = None,
    radien: Iterable[float] = STANDARD_RADIEN,
    raster: float = 100.0,
    werte_fn: WerteFn = werte,
    orte: Wohnorte | None = None,
    angebote: gpd.GeoDataFrame | None = None,
) -> pd.DataFrame:
    """`erreichbarkeit` für eine Kategorie der Kommune auf einer Ebene (Zielgruppe aus dem Katalog).

    `angebote` (z. B. gefiltert) ersetzt `kommune.angebote`; `orte` (einmal je Ebene berechnet)
    spart das Raster. ``attrs`` zusätzlich: ``"periode"``, ``"formel"`` der Zielgruppe.
    """
    gruppe = zielgruppe or zielgruppe_fuer(kommune, kategorie)
    if orte is None:
        orte = wohnorte(kommune.gebiete[schicht_id], raster)
    quelle = kommune.angebote if angebote is None else angebote
    punkte = quelle[quelle["kategorie"] == kategorie]
    pop, formel, p = zielgruppe_werte(kommune, gruppe, schicht_id, periode, werte_fn)
    df = erreichbarkeit(
        orte, punkte, pop if formel else None, radien=radien, kategorie=kategorie, zielgruppe=gruppe.name
    )
    df.attrs.update({"periode": p, "formel": formel})
    return df

"""Erreichbarkeit in Luftlinie: Entfernung der Bewohner zum nächsten Angebot einer Kategorie.

Wo die Menschen in einem Gebiet wohnen, steht für die Wohnorte ein regelmäßiges Raster von
Stichprobenpunkten (Standard: 100 m, Zellmitten auf festen Vielfachen des Rasters). Gebiete ohne
Rasterpunkt (kleiner als eine Rasterzelle) werden durch einen inneren Punkt vertreten.

* **Mit Bevölkerungsgitter** (die Kommune hat ein `[[raster]]` oder `[erreichbarkeit] raster = …`, und
  `verteilung` ist nicht „gleichmaessig“): Jeder Punkt zählt mit den Einwohnern der Gitterzelle, in der er
  liegt – die Menschen stehen dort, wo sie wohnen (`wohnorte_kommune`, `gitter_dichte`). Ein Gebiet, dessen
  Punkte alle in leeren Zellen liegen, wird gleichmäßig verteilt; das zählt `Wohnorte.gleichverteilt`.
* **Ohne Gitter** bekommt jeder Punkt **dasselbe Gewicht**: die Bevölkerung des Gebiets wird gleichmäßig
  über seine Fläche verteilt. Parks, Wälder, Gewässer und Gewerbeflächen zählen dann wie Wohnflächen
  mit; das überschätzt die Entfernung in Gebieten mit großen Freiflächen.

`Wohnorte.beschreibung()` sagt in einem Satz, welches Verfahren galt (die Oberfläche zeigt ihn).

Entfernungen sind **Luftlinie** (euklidisch im metrischen CRS), keine Wege. Angebote jenseits der
Gemeindegrenze zählen nur, wenn ihre Quelle sie als Umland mitbringt (`umland_m` in `[[angebote]]`,
`Kommune.umland`): dann nur für die Entfernungen, nie als Angebot eines Gebiets. Sonst sind die
Entfernungen am Rand eher zu groß. Nächste Nachbarn: `scipy.spatial.cKDTree`, vollständig vektorisiert.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from geodata.versorgung import WerteFn, Zielgruppe, bevoelkerung_gruppe, versorgung_definitionen, zielgruppe_werte
from kommune.format import zahl
from kommune.laden import Kommune
from kommune.raster import GITTER_CRS, Gitter, gitter_lesen, gitter_spalten
from kommune.werte import werte
from kommune.zwischenspeicher import Objektcache

#: Dichte je Stichprobenpunkt: bekommt Koordinaten (n, 2) im CRS der Gebiete, liefert n Werte ≥ 0.
Dichte = Callable[[np.ndarray], np.ndarray]

STANDARD_RADIEN: tuple[float, ...] = (500.0, 1000.0)
#: Name der Bewohner in Spalten, wenn die Kommune weder Zielgruppe noch `[bevoelkerung]` angibt
BEWOHNER = "Bewohner"
GLEICHMAESSIG, RASTER = "gleichmaessig", "raster"
_DICHTE = Objektcache("erreichbarkeit.dichte", max_je_objekt=1)
_WOHNORTE = Objektcache("erreichbarkeit.wohnorte", max_je_objekt=16)


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
    #: Gebiete, deren Punkte alle Dichte 0 haben (nur mit Dichte): dort gleichmäßig verteilt
    gleichverteilt: int = 0
    #: woher die Dichte stammt, z. B. „Gitter zensus2011_grid_1km.parquet, Spalte Einwohner“ (leer: keine)
    dichte_quelle: str = ""

    def beschreibung(self) -> str:
        """Ein deutscher Satz: wie die Bevölkerung auf die Stichprobenpunkte verteilt ist."""
        raster = f"{zahl(self.raster, 0)}-m-Raster"
        if not self.gewichtet:
            return (
                f"Die Bevölkerung eines Gebiets ist gleichmäßig auf ein {raster} in seiner Fläche verteilt "
                "(kein Bevölkerungsgitter)."
            )
        satz = (
            f"Wohnorte nach dem Bevölkerungsgitter ({self.dichte_quelle or 'Dichtefunktion'}): Jeder Punkt eines "
            f"{raster}s zählt mit den Einwohnern der Gitterzelle, in der er liegt."
        )
        if self.gleichverteilt == 1:
            satz += " 1 Gebiet hat im Gitter keine Einwohner und ist gleichmäßig verteilt."
        elif self.gleichverteilt:
            satz += (
                f" {zahl(self.gleichverteilt, 0)} Gebiete haben im Gitter keine Einwohner und sind gleichmäßig "
                "verteilt."
            )
        return satz


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


def wohnorte(
    gebiete: gpd.GeoDataFrame, raster: float = 100.0, dichte: Dichte | None = None, dichte_quelle: str = ""
) -> Wohnorte:
    """Stichprobenpunkte auf einem regelmäßigen Raster in jedem Gebiet (gleiches Gewicht je Punkt).

    Mit `dichte` werden die Punkte eines Gebiets nach der Dichte gewichtet; hat ein Gebiet überall
    Dichte 0 (oder keine Angabe), bleibt es bei gleichen Gewichten (gezählt in `gleichverteilt`).
    Für eine Kommune: `wohnorte_kommune` (mit ihrem Gitter, einmal je Ebene gerechnet).
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
    gewichtet, gleich = False, 0
    if dichte is not None and len(xy):
        d = np.nan_to_num(np.asarray(dichte(xy), dtype=float), nan=0.0)
        d = np.where(d > 0, d, 0.0)
        summe = np.bincount(pos, weights=d, minlength=n)
        mit = summe[pos] > 0
        gewicht = np.where(mit, d / np.where(summe[pos] > 0, summe[pos], 1.0), gewicht)
        gewichtet = True
        gleich = int(((anzahl > 0) & (summe <= 0)).sum())
    return Wohnorte(xy, pos, gewicht, gebiete.index, float(raster), len(ohne), gewichtet, gleich, dichte_quelle)


def gitter_dichte(gitter: Gitter, spalte: str, crs: str | None) -> Dichte:
    """Dichtefunktion aus Gitterzellen: jeder Punkt bekommt die Einwohner der Zelle, in der er liegt.

    Punkte in `crs` (None: schon EPSG:3035); Zellen ohne Angabe, unbewohnt (−1), geheim (−9) oder außerhalb
    des Gitters → 0. Bei Zellen verschiedener Größe zählen Einwohner je Fläche (auf die kleinste Zelle
    bezogen), damit eine große Zelle nicht mehr wiegt, nur weil sie groß ist.
    """
    from pyproj import Transformer

    einwohner = np.nan_to_num(gitter.werte[spalte].to_numpy(float), nan=0.0).clip(min=0)
    groessen = np.unique(gitter.groesse) if len(gitter) else np.array([1.0])
    kleinste = float(groessen.min())
    stufen = []
    for g in groessen:
        drin = gitter.groesse == g
        schluessel = _zellschluessel(gitter.x[drin] + g / 2, gitter.y[drin] + g / 2, float(g))
        reihe = pd.Series(einwohner[drin] * (kleinste / g) ** 2, index=schluessel)
        stufen.append((float(g), reihe[~reihe.index.duplicated()]))
    nach_laea = None if crs is None else Transformer.from_crs(crs, GITTER_CRS, always_xy=True)

    def dichte(xy: np.ndarray) -> np.ndarray:
        x, y = (xy[:, 0], xy[:, 1]) if nach_laea is None else nach_laea.transform(xy[:, 0], xy[:, 1])
        ergebnis = np.zeros(len(xy))
        for g, reihe in stufen:
            ergebnis += reihe.reindex(_zellschluessel(np.asarray(x), np.asarray(y), g)).fillna(0.0).to_numpy()
        return ergebnis

    return dichte


def _zellschluessel(x: np.ndarray, y: np.ndarray, groesse: float) -> np.ndarray:
    """Ein ganzzahliger Schlüssel je Zelle der Kantenlänge `groesse` (EPSG:3035, Meter)."""
    return np.floor(x / groesse).astype(np.int64) * 100_000_000 + np.floor(y / groesse).astype(np.int64)


def zensus_dichte(pfad: str | os.PathLike[str], crs: str, spalte: str = "Einwohner") -> Dichte:
    """Dichtefunktion aus einer Zensus-Gitterdatei (Parquet des Zensus 2011 oder CSV des Zensus 2022).

    Jeder Punkt bekommt die Einwohnerzahl seiner Gitterzelle (−1/−9 = unbewohnt bzw. geheim → 0).
    Das Gitter beschreibt nur die *Verteilung* innerhalb eines Gebiets; die Summen kommen weiter
    aus der Statistik der Kommune. 1 km ist gröber als viele Planungsräume – eine Verbesserung
    gegenüber der Gleichverteilung, kein Ersatz für Baublöcke.
    """
    return gitter_dichte(gitter_lesen(pfad, [spalte]), spalte, crs)


def wohnort_dichte(kommune: Kommune) -> tuple[Dichte, str] | None:
    """Die Dichte der Wohnorte aus dem Gitter der Kommune (`KommuneKonfiguration.wohnraster`) und ihre Quelle.

    None: gleichmäßig verteilen (kein Gitter, `verteilung = "gleichmaessig"` oder die abgeleitete Spalte
    fehlt im Gitter – das meldet das Laden als Hinweis). Einmal je Kommune gelesen (nur der Ausschnitt der
    Gebiete).
    """

    def lesen() -> tuple[Dichte, str] | None:
        wahl = kommune.konfiguration.wohnraster()
        if wahl is None:
            return None
        datei, spalte, _ = wahl
        pfad = kommune.konfiguration.daten / datei
        if not pfad.is_file() or spalte not in gitter_spalten(pfad):
            return None
        rahmen = _rahmen_3035(kommune)
        gitter = gitter_lesen(pfad, [spalte], rahmen)
        return gitter_dichte(gitter, spalte, kommune.konfiguration.crs), f"Gitter {Path(datei).name}, Spalte {spalte}"

    return _DICHTE.holen(kommune, "dichte", lesen)


def _rahmen_3035(kommune: Kommune) -> tuple[float, float, float, float]:
    """Das Rechteck aller Gebiete (mit 1 km Rand) in EPSG:3035."""
    grenzen = np.array([g.to_crs(GITTER_CRS).total_bounds for g in kommune.gebiete.values() if len(g)])
    x0, y0 = grenzen[:, 0].min() - 1000, grenzen[:, 1].min() - 1000
    x1, y1 = grenzen[:, 2].max() + 1000, grenzen[:, 3].max() + 1000
    return float(x0), float(y0), float(x1), float(y1)


def wohnorte_kommune(kommune: Kommune, schicht_id: str, raster: float = 100.0) -> Wohnorte:
    """`wohnorte` einer Ebene der Kommune, mit ihrem Bevölkerungsgitter, falls vorhanden (gecacht je Ebene)."""

    def rechnen() -> Wohnorte:
        quelle = wohnort_dichte(kommune)
        dichte, text = quelle if quelle else (None, "")
        return wohnorte(kommune.gebiete[schicht_id], raster, dichte, text)

    return _WOHNORTE.holen(kommune, (schicht_id, float(raster)), rechnen)


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


def zielgruppe_fuer(kommune: Kommune, kategorie: str) -> Zielgruppe | None:
    """Die Zielgruppe einer Kategorie: die der ersten `[[versorgung]]` dieser Kategorie, sonst die Einwohner aus
    `[bevoelkerung]`, sonst None (dann zählen Anteile nach Fläche und es gibt keine Personenzahlen)."""
    for v in versorgung_definitionen(kommune):
        if v.kategorie == kategorie and v.zielgruppe.formel_fuer(kommune.katalog.index):
            return v.zielgruppe
    return bevoelkerung_gruppe(kommune)


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
    umland: gpd.GeoDataFrame | None = None,
) -> pd.DataFrame:
    """`erreichbarkeit` für eine Kategorie der Kommune auf einer Ebene (Zielgruppe aus der kommune.toml).

    `angebote` (z. B. gefiltert) ersetzt `kommune.angebote`, `umland` (ebenso gefiltert) `kommune.umland`:
    Umland-Standorte zählen nur für die Entfernung. `orte` spart das Raster (Standard: `wohnorte_kommune`,
    mit dem Gitter der Kommune). ``attrs`` zusätzlich: ``"periode"``, ``"formel"`` der Zielgruppe,
    ``"wohnorte"`` (Satz zum Verfahren), ``"verteilung"`` („raster“ | „gleichmaessig“), ``"gleichverteilt"``
    (Gebiete ohne Einwohner im Gitter), ``"umland"`` (Zahl der Umland-Standorte der Kategorie).
    """
    gruppe = zielgruppe or zielgruppe_fuer(kommune, kategorie)
    if orte is None:
        orte = wohnorte_kommune(kommune, schicht_id, raster)
    quelle = kommune.angebote if angebote is None else angebote
    aussen = kommune.umland if umland is None else umland
    punkte = quelle[quelle["kategorie"] == kategorie]
    rand = aussen[aussen["kategorie"] == kategorie] if len(aussen) else aussen
    alle = pd.concat([punkte.geometry, rand.geometry]) if len(rand) else punkte.geometry
    if gruppe is not None:
        pop, formel, p = zielgruppe_werte(kommune, gruppe, schicht_id, periode, werte_fn)
    else:
        pop, formel, p = None, None, None
    df = erreichbarkeit(
        orte,
        gpd.GeoSeries(alle, crs=kommune.konfiguration.crs),
        pop if formel else None,
        radien=radien,
        kategorie=kategorie,
        zielgruppe=gruppe.name if gruppe else BEWOHNER,
    )
    df.attrs.update(
        {
            "periode": p,
            "formel": formel,
            "wohnorte": orte.beschreibung(),
            "verteilung": RASTER if orte.gewichtet else GLEICHMAESSIG,
            "gleichverteilt": orte.gleichverteilt,
            "umland": len(rand),
        }
    )
    return df


def umland_satz(kommune: Kommune, kategorie: str, anzahl: int) -> str:
    """Ein Satz zu Angeboten jenseits der Grenze für die Erreichbarkeit (Seite, Kachel)."""
    grenze = kommune.konfiguration.grenze
    if not anzahl:
        return f"Angebote jenseits der {grenze} fehlen in den Daten; am Rand sind die Entfernungen eher zu groß."
    weit = max((a.umland_m for a in kommune.konfiguration.angebote if a.kategorie == kategorie), default=0.0)
    standorte = "1 Standort" if anzahl == 1 else f"{zahl(anzahl, 0)} Standorte"
    return (
        f"Für die Entfernungen zählen auch {standorte} „{kategorie}“ bis {zahl(weit, 0)} m jenseits der {grenze} "
        "(Umland); sie gehören zu keinem Gebiet und zählen in keiner Versorgungsquote."
    )

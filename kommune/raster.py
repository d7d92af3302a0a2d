"""Gitterdaten (Zensus) auf Gebiete bringen: Summen je Gebiet nach Zellmittelpunkt oder Flächenanteil.

Gelesen werden das Zensus-2011-Gitter als Parquet (`GITTER_ID_1km`, `x_mp_1km`, `y_mp_1km`, Werte) und
das CSV-Format des Zensus 2022 (`;`, `GITTER_ID_100m`/`GITTER_ID_1km` wie `CRS3035RES100mN2689100E4337000`
= linke untere Ecke der Zelle in EPSG:3035, leere Zellen fehlen, Dezimalkomma möglich).

Codes: −1 oder leer = kein Wert bzw. unbewohnt; −9 oder ein Sperrzeichen („–“, „.“, „x“, „/“) =
geheim gehalten. Geheime Zellen werden gezählt und gemeldet (Zellen, Einwohner ohne Angabe), nie als 0.

Zuordnung (wie tobler, vektorisiert über shapely 2 `STRtree`, keine Schleife je Zelle):
* `mittelpunkt`: jede Zelle ganz zu dem Gebiet, in dem ihr Mittelpunkt liegt (Summen bleiben ganzzahlig;
  ein Mittelpunkt auf einer Grenze zählt genau einmal, beim ersten Gebiet);
* `flaeche`: jede Zelle anteilig nach der Fläche ihres Quadrats in jedem Gebiet (Einwohner gleichmäßig
  in der Zelle verteilt).

Merkmale: `anzahl` (Spalte summieren), `anteil` (Spalte in % der Bezugsspalte, meist Einwohner:
Anteil = Σ Anteil × Einwohner / Σ Einwohner über die Zellen mit Angabe; Zähler und Nenner werden
mitgeliefert) und `mittel` (z. B. Durchschnittsalter, ebenso mit Einwohnern gewichtet). Eine Anzahl aus
einem Anteil (z. B. unter 18-Jährige) ist Anteil des Gebiets × alle Einwohner des Gebiets: Zellen mit
gesperrtem Anteil gehen also mit dem Anteil ihres Gebiets ein. Das steht im Verfahrenshinweis.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse

from kommune.fehler import KommuneFehler
from kommune.format import zahl
from kommune.konfiguration import KommuneKonfiguration, RasterQuelle

GITTER_CRS = "EPSG:3035"
OHNE_WERT = -1
GEHEIM = -9
#: Zeichen, mit denen amtliche Tabellen geheim gehaltene Werte markieren.
SPERRZEICHEN = frozenset({"–", "-", "—", ".", "x", "X", "/", "•", "KLAMMERN"})
VERFAHREN = {"mittelpunkt": "Zellmittelpunkt im Gebiet", "flaeche": "Flächenanteil der Zelle im Gebiet"}
#: Englische Namen der Kommandozeile → Verfahren.
VERFAHREN_CLI = {"centroid": "mittelpunkt", "area": "flaeche", "mittelpunkt": "mittelpunkt", "flaeche": "flaeche"}
_ID = re.compile(r"^CRS3035RES(\d+)mN(\d+)E(\d+)$")
_MITTE = re.compile(r"^[xy]_mp_(\d+)(k?)m$")
_NEBENSPALTEN = {"werterlaeuternde_Zeichen"}


@dataclass(frozen=True)
class Merkmal:
    """Ein Indikator aus einer Gitterspalte. `art`: anzahl | anteil (in %) | mittel; `anzahl`: ID der
    zusätzlich abgeleiteten Anzahl (nur bei `anteil`)."""

    id: str
    spalte: str
    art: str = "anzahl"
    anzahl: str | None = None


#: Die Merkmale des Zensus-2011-Gitters (1 km), wenn nichts anderes angegeben ist.
ZENSUS_2011 = (
    Merkmal("einwohner", "Einwohner"),
    Merkmal("unter18_anteil", "unter18_A", "anteil", "unter18"),
    Merkmal("ab65_anteil", "ab65_A", "anteil", "ab65"),
    Merkmal("auslaender_anteil", "Auslaender_A", "anteil", "auslaender"),
    Merkmal("frauen_anteil", "Frauen_A", "anteil", "frauen"),
    Merkmal("durchschnittsalter", "Alter_D", "mittel"),
)


@dataclass(frozen=True, eq=False)
class Gitter:
    """Gitterzellen: linke untere Ecke (`x`, `y`, EPSG:3035, m), Kantenlänge, Werte und Sperrvermerke.

    `werte`: float, NaN = kein Wert (−1/leer) oder geheim; `geheim`: True, wo der Wert gesperrt ist.
    """

    x: np.ndarray
    y: np.ndarray
    groesse: np.ndarray
    werte: pd.DataFrame
    geheim: pd.DataFrame
    datei: str = ""

    def __len__(self) -> int:
        return len(self.x)

    def mittelpunkte(self) -> np.ndarray:
        """Zellmittelpunkte als shapely-Punkte."""
        return shapely.points(self.x + self.groesse / 2, self.y + self.groesse / 2)

    def quadrate(self) -> np.ndarray:
        """Zellen als Quadrate (shapely-Polygone)."""
        return shapely.box(self.x, self.y, self.x + self.groesse, self.y + self.groesse)

    def auswahl(self, maske: np.ndarray) -> Gitter:
        """Nur die Zellen, in denen `maske` wahr ist."""
        return Gitter(
            self.x[maske],
            self.y[maske],
            self.groesse[maske],
            self.werte[maske].reset_index(drop=True),
            self.geheim[maske].reset_index(drop=True),
            self.datei,
        )

    def im_rahmen(self, rahmen: tuple[float, float, float, float]) -> Gitter:
        """Nur Zellen, die das Rechteck (EPSG:3035) berühren."""
        x0, y0, x1, y1 = rahmen
        return self.auswahl(
            (self.x + self.groesse >= x0) & (self.x <= x1) & (self.y + self.groesse >= y0) & (self.y <= y1)
        )


# ----------------------------------------------------------------------------------------------
# Lesen
# ----------------------------------------------------------------------------------------------


def zellen_aus_ids(ids: pd.Series, datei: str = "") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`CRS3035RES100mN2689100E4337000` → (x, y, Kantenlänge) der linken unteren Ecke."""
    teile = ids.astype(str).str.strip().str.extract(_ID)
    kaputt = teile[0].isna()
    if kaputt.any():
        pos = int(np.flatnonzero(kaputt.to_numpy())[0])
        raise KommuneFehler(
            f"Die Gitterzelle „{ids.iloc[pos]}“ hat nicht die Form CRS3035RES100mN…E… "
            "(linke untere Ecke in EPSG:3035).",
            datei=datei,
            zeile=pos + 2,
        )
    return teile[2].astype(float).to_numpy(), teile[1].astype(float).to_numpy(), teile[0].astype(float).to_numpy()


def werte_lesen(spalte: pd.Series, datei: str = "", name: str = "") -> tuple[np.ndarray, np.ndarray]:
    """Eine Gitterspalte als (Werte, geheim): −1/leer → NaN, −9/Sperrzeichen → NaN und geheim."""
    if pd.api.types.is_numeric_dtype(spalte):
        z = spalte.to_numpy(dtype=float)
        geheim = z == GEHEIM
        return np.where((z == OHNE_WERT) | geheim, np.nan, z), geheim
    text = spalte.astype("string").fillna("").str.strip()
    leer = text == ""
    sperre = text.isin(SPERRZEICHEN)
    normal = text.str.replace("\u2212", "-", regex=False)
    if normal.str.contains(",", regex=False).any():
        normal = normal.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    z = pd.to_numeric(normal.where(~(leer | sperre), None), errors="coerce").to_numpy(dtype=float)
    kaputt = np.isnan(z) & ~(leer | sperre).to_numpy()
    if kaputt.any():
        pos = int(np.flatnonzero(kaputt)[0])
        raise KommuneFehler(f"Der Wert „{spalte.iloc[pos]}“ ist keine Zahl.", datei=datei, zeile=pos + 2, spalte=name)
    geheim = sperre.to_numpy() | (z == GEHEIM)
    return np.where((z == OHNE_WERT) | geheim, np.nan, z), geheim


def _csv_lesen(pfad: Path) -> pd.DataFrame:
    """Zensus-CSV als Text (UTF-8, sonst Latin-1); Trennzeichen `;` oder `,`."""
    with open(pfad, "rb") as f:
        kopf = f.readline().decode("utf-8-sig", errors="replace")
    sep = ";" if kopf.count(";") >= kopf.count(",") else ","
    for kodierung in ("utf-8-sig", "latin-1"):
        try:
            return pd.read_csv(pfad, sep=sep, dtype=str, keep_default_na=False, encoding=kodierung)
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as e:
            raise KommuneFehler(
                f"Die Gitterdatei ist keine lesbare CSV-Datei ({type(e).__name__}).", datei=pfad.name
            ) from None
    raise KommuneFehler("Die Gitterdatei hat eine unbekannte Zeichenkodierung.", datei=pfad.name)


def _parquet_spalten(pfad: Path, spalten: list[str] | None) -> list[str] | None:
    """Nur die nötigen Spalten lesen: Mittelpunkte (sonst ID) und die gewünschten Werte."""
    if spalten is None:
        return None
    alle = _kopf(pfad)
    lage = [c for c in alle if _MITTE.match(c)] or [c for c in alle if c.startswith("GITTER_ID")]
    return list(dict.fromkeys(lage + [s for s in spalten if s in alle]))


def gitter_lesen(
    pfad: str | os.PathLike[str],
    spalten: list[str] | None = None,
    rahmen: tuple[float, float, float, float] | None = None,
) -> Gitter:
    """Ein Zensus-Gitter lesen (Parquet oder CSV im Format des Zensus 2022).

    `spalten`: nur diese Wertspalten; `rahmen`: nur Zellen, die dieses Rechteck (EPSG:3035) berühren.
    """
    pfad = Path(pfad)
    if not pfad.is_file():
        raise KommuneFehler("Die Gitterdatei wurde nicht gefunden.", datei=str(pfad))
    if pfad.suffix.lower() == ".parquet":
        try:
            df = pd.read_parquet(pfad, columns=_parquet_spalten(pfad, spalten))
        except Exception as e:
            raise KommuneFehler(f"Die Parquet-Datei ist nicht lesbar ({type(e).__name__}).", datei=pfad.name) from None
    elif pfad.suffix.lower() in (".csv", ".txt"):
        df = _csv_lesen(pfad)
    else:
        raise KommuneFehler("Gitterdateien müssen Parquet oder CSV sein.", datei=pfad.name)
    df.columns = [str(c).strip() for c in df.columns]
    id_spalte = next((c for c in df.columns if c.startswith("GITTER_ID")), None)
    mitte = [c for c in df.columns if _MITTE.match(c)]
    if not len(df):
        raise KommuneFehler("Die Gitterdatei enthält keine Zellen.", datei=pfad.name)
    if len(mitte) == 2:  # Mittelpunkte (schneller als die IDs zu zerlegen; beide beschreiben dieselbe Zelle)
        m = _MITTE.match(mitte[0])
        groesse = np.full(len(df), float(m.group(1)) * (1000 if m.group(2) else 1))
        xs, ys = sorted(mitte)
        x = pd.to_numeric(df[xs], errors="coerce").to_numpy(float) - groesse / 2
        y = pd.to_numeric(df[ys], errors="coerce").to_numpy(float) - groesse / 2
    elif id_spalte:
        x, y, groesse = zellen_aus_ids(df[id_spalte], pfad.name)
    else:
        raise KommuneFehler(
            "Die Gitterdatei braucht eine Spalte GITTER_ID_100m/GITTER_ID_1km oder x_mp_…/y_mp_….", datei=pfad.name
        )
    wertspalten = [c for c in df.columns if c != id_spalte and c not in mitte and c not in _NEBENSPALTEN]
    if spalten is not None:
        fehlend = [s for s in spalten if s not in wertspalten]
        if fehlend:
            raise KommuneFehler(
                f"Die Gitterdatei hat keine Spalte „{fehlend[0]}“ (vorhanden: {', '.join(wertspalten[:12])}).",
                datei=pfad.name,
            )
        wertspalten = list(dict.fromkeys(spalten))
    if rahmen is not None:
        x0, y0, x1, y1 = rahmen
        drin = (x + groesse >= x0) & (x <= x1) & (y + groesse >= y0) & (y <= y1)
        x, y, groesse, df = x[drin], y[drin], groesse[drin], df[drin].reset_index(drop=True)
    werte, geheim = {}, {}
    for s in wertspalten:
        werte[s], geheim[s] = werte_lesen(df[s], pfad.name, s)
    return Gitter(x, y, groesse, pd.DataFrame(werte), pd.DataFrame(geheim), pfad.name)


def _kopf(pfad: Path) -> list[str]:
    """Die Spaltennamen einer Gitterdatei, ohne sie ganz zu lesen."""
    if pfad.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        return list(pq.read_schema(pfad).names)
    with open(pfad, "rb") as f:
        kopf = f.readline().decode("utf-8-sig", errors="replace").strip()
    sep = ";" if kopf.count(";") >= kopf.count(",") else ","
    return [c.strip().strip('"') for c in kopf.split(sep)]


def wertspalten(pfad: str | os.PathLike[str], gesucht: list[str], mehrere: bool = False) -> list[str] | None:
    """Welche der `gesucht`en Spalten aus dieser Datei zu lesen sind (bei mehreren Dateien: die vorhandenen)."""
    pfad = Path(pfad)
    if not mehrere or not pfad.is_file():
        return list(dict.fromkeys(gesucht))
    kopf = set(_kopf(pfad))
    return [s for s in dict.fromkeys(gesucht) if s in kopf]


def gitter_verbinden(teile: list[Gitter]) -> Gitter:
    """Mehrere Gitterdateien (z. B. Einwohner und Anteile des Zensus 2022) zu einem Gitter verbinden.

    Zellen werden über Ecke und Kantenlänge zugeordnet; fehlt eine Zelle in einer Datei, hat sie dort keinen Wert.
    """
    if len(teile) == 1:
        return teile[0]
    ergebnis: pd.DataFrame | None = None
    for g in teile:
        doppelt = set(g.werte.columns) & (set() if ergebnis is None else set(ergebnis.columns))
        if doppelt:
            raise KommuneFehler(f"Die Spalte „{sorted(doppelt)[0]}“ steht in mehreren Gitterdateien.", datei=g.datei)
        df = pd.concat(
            [
                pd.DataFrame({"x": g.x, "y": g.y, "groesse": g.groesse}),
                g.werte,
                g.geheim.add_prefix("geheim::"),
            ],
            axis=1,
        )
        ergebnis = df if ergebnis is None else ergebnis.merge(df, on=["x", "y", "groesse"], how="outer")
    assert ergebnis is not None
    geheim_spalten = [c for c in ergebnis.columns if c.startswith("geheim::")]
    wert_spalten = [c.removeprefix("geheim::") for c in geheim_spalten]
    return Gitter(
        ergebnis["x"].to_numpy(float),
        ergebnis["y"].to_numpy(float),
        ergebnis["groesse"].to_numpy(float),
        ergebnis[wert_spalten].astype(float).reset_index(drop=True),
        ergebnis[geheim_spalten].fillna(False).astype(bool).set_axis(wert_spalten, axis=1).reset_index(drop=True),
        " + ".join(g.datei for g in teile),
    )


# ----------------------------------------------------------------------------------------------
# Zuordnen
# ----------------------------------------------------------------------------------------------


def zuordnung(gitter: Gitter, gebiete: gpd.GeoDataFrame, verfahren: str = "mittelpunkt") -> sparse.csr_matrix:
    """Dünn besetzte Matrix Zellen × Gebiete: Anteil jeder Zelle, der zum Gebiet gehört (0 … 1).

    `gebiete` in beliebigem metrischem oder geografischem CRS; gerechnet wird in EPSG:3035 (flächentreu).
    """
    if verfahren not in VERFAHREN:
        raise KommuneFehler(f"Das Verfahren „{verfahren}“ gibt es nicht: erlaubt sind {', '.join(VERFAHREN)}.")
    flaechen = gebiete.geometry.to_crs(GITTER_CRS).to_numpy() if gebiete.crs else gebiete.geometry.to_numpy()
    baum = shapely.STRtree(flaechen)
    n, m = len(gitter), len(flaechen)
    if verfahren == "mittelpunkt":
        zelle, gebiet = baum.query(gitter.mittelpunkte(), predicate="intersects")
        ordnung = np.lexsort((gebiet, zelle))
        zelle, gebiet = zelle[ordnung], gebiet[ordnung]
        erste = np.unique(zelle, return_index=True)[1]  # Mittelpunkt auf einer Grenze: nur das erste Gebiet
        zelle, gebiet = zelle[erste], gebiet[erste]
        anteil = np.ones(len(zelle))
    else:
        quadrate = gitter.quadrate()
        zelle, gebiet = baum.query(quadrate, predicate="intersects")
        anteil = shapely.area(shapely.intersection(quadrate[zelle], flaechen[gebiet])) / (gitter.groesse[zelle] ** 2)
        behalten = anteil > 0
        zelle, gebiet, anteil = zelle[behalten], gebiet[behalten], anteil[behalten]
    return sparse.csr_matrix((anteil, (zelle, gebiet)), shape=(n, m))


# ----------------------------------------------------------------------------------------------
# Summieren
# ----------------------------------------------------------------------------------------------


@dataclass
class MerkmalBericht:
    """Was in ein Merkmal einging: Zellen mit Angabe, gesperrte Zellen und deren Einwohner."""

    merkmal: Merkmal
    zellen: int
    geheim_zellen: int
    geheim_einwohner: float
    ohne_wert_einwohner: float
    summe: float


@dataclass
class RasterErgebnis:
    """Werte je Gebiet (lange Form: gebiet, indikator, wert, zaehler, nenner) und der Bericht."""

    werte: pd.DataFrame
    #: abgeleitete Anzahl → Zahl der Gebiete mit Einwohnern, aber ohne Zelle mit Angabe (Anteil aller Gebiete)
    ersetzt: dict[str, int]
    berichte: list[MerkmalBericht]
    verfahren: str
    bezug: str | None
    zellen_gesamt: int
    zellen_zugeordnet: float
    bezug_summe_gitter: float
    hinweise: list[str] = field(default_factory=list)

    def text(self) -> list[str]:
        """Der Bericht in deutschen Sätzen."""
        stellen = 0 if self.verfahren == "mittelpunkt" else 1
        zeilen = [
            f"Verfahren: {VERFAHREN[self.verfahren]}; {zahl(self.zellen_zugeordnet, stellen)} "
            f"von {zahl(self.zellen_gesamt, 0)} Zellen im Ausschnitt liegen in den Gebieten."
        ]
        for b in self.berichte:
            satz = f"{b.merkmal.id} (Spalte {b.merkmal.spalte}): {zahl(b.zellen, 0)} Zellen mit Angabe"
            if b.geheim_zellen:
                satz += f", {zahl(b.geheim_zellen, 0)} Zellen geheim gehalten"
                if self.bezug and b.merkmal.art != "anzahl":
                    satz += f" ({zahl(b.geheim_einwohner, 0)} Einwohner ohne Angabe)"
            else:
                satz += ", keine geheim gehaltenen Zellen"
            if b.ohne_wert_einwohner:
                satz += f", {zahl(b.ohne_wert_einwohner, 0)} Einwohner in Zellen ohne Wert"
            zeilen.append(satz + ".")
        return zeilen + self.hinweise


def ersatz_satz(indikator: str, anzahl: int) -> str:
    """Satz für abgeleitete Anzahlen, die für Gebiete ohne jede Angabe mit dem Anteil aller Gebiete rechnen."""
    if anzahl == 1:
        return (
            f"{indikator}: 1 Gebiet mit Einwohnern hat keine Zelle mit Angabe und geht mit dem Anteil aller "
            "Gebiete ein."
        )
    return (
        f"{indikator}: {zahl(anzahl, 0)} Gebiete mit Einwohnern haben keine Zelle mit Angabe und gehen mit dem "
        "Anteil aller Gebiete ein."
    )


def _spalte(gitter: Gitter, name: str) -> tuple[np.ndarray, np.ndarray]:
    if name not in gitter.werte.columns:
        vorhanden = ", ".join(map(str, gitter.werte.columns[:12]))
        raise KommuneFehler(f"Das Gitter hat keine Spalte „{name}“ (vorhanden: {vorhanden}).", datei=gitter.datei)
    return gitter.werte[name].to_numpy(float), gitter.geheim[name].to_numpy(bool)


def _teilen(oben: np.ndarray, unten: np.ndarray, faktor: float = 1.0) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(unten > 0, faktor * oben / np.where(unten > 0, unten, 1.0), np.nan)


def auf_gebiete(
    gitter: Gitter,
    gebiete: gpd.GeoDataFrame,
    merkmale: tuple[Merkmal, ...] | list[Merkmal] = ZENSUS_2011,
    verfahren: str = "mittelpunkt",
    bezug: str | None = "Einwohner",
) -> RasterErgebnis:
    """Gitterwerte auf die Gebiete (Index = Gebiets-ID) summieren bzw. gewichtet mitteln.

    Anzahlen: Summe; hat ein Gebiet eine geheim gehaltene Zelle, bleibt sein Wert leer (keine zu kleine
    Summe). Anteile und Mittel: über die Zellen mit Angabe, gewichtet mit `bezug`; Zähler und Nenner stehen
    in der Tabelle, gesperrte Zellen im Bericht.
    """
    if gebiete.crs is not None:
        rahmen = tuple(gebiete.to_crs(GITTER_CRS).total_bounds)
        gitter = gitter.im_rahmen(rahmen)
    a = zuordnung(gitter, gebiete, verfahren)
    at = a.T.tocsr()
    beruehrt = (a > 0).astype(float).T.tocsr()
    drin = np.asarray(a.sum(axis=1)).ravel() > 0  # Zellen, die (teilweise) in einem Gebiet liegen
    ids = gebiete.index.astype(str)
    b = b_geheim = None
    if bezug is not None and any(m.art != "anzahl" for m in merkmale):
        b, b_geheim = _spalte(gitter, bezug)
        b = np.nan_to_num(b, nan=0.0)
    b_summe = at @ b if b is not None else None
    teile, berichte = [], []
    ersetzt: dict[str, int] = {}

    def zeilen(indikator: str, wert: np.ndarray, zaehler=None, nenner=None) -> None:
        teile.append(
            pd.DataFrame(
                {
                    "gebiet": ids,
                    "indikator": indikator,
                    "wert": wert,
                    "zaehler": np.nan if zaehler is None else zaehler,
                    "nenner": np.nan if nenner is None else nenner,
                }
            )
        )

    for mk in merkmale:
        v, geheim = _spalte(gitter, mk.spalte)
        bekannt = ~np.isnan(v) & ~geheim
        if mk.art == "anzahl":
            summe = at @ np.where(bekannt, v, 0.0)
            gesperrt = beruehrt @ geheim.astype(float)
            zeilen(mk.id, np.where(gesperrt > 0, np.nan, summe))
            berichte.append(
                MerkmalBericht(
                    mk, int((bekannt & drin).sum()), int((geheim & drin).sum()), 0.0, 0.0, float(summe.sum())
                )
            )
            continue
        if mk.art not in ("anteil", "mittel"):
            raise KommuneFehler(f"Die Art „{mk.art}“ des Merkmals „{mk.id}“ ist unbekannt (anzahl, anteil, mittel).")
        if b is None:
            raise KommuneFehler(f"Das Merkmal „{mk.id}“ braucht eine Bezugsspalte (z. B. Einwohner).")
        faktor = 100.0 if mk.art == "anteil" else 1.0
        gewicht = np.where(bekannt, b, 0.0)
        zaehler = at @ (np.where(bekannt, v, 0.0) / faktor * gewicht)
        nenner = at @ gewicht
        wert = _teilen(zaehler, nenner, faktor)
        zeilen(mk.id, wert, zaehler, nenner)
        if mk.anzahl:  # Anteil des Gebiets × seine Einwohner; Gebiet ganz ohne Angabe: Anteil aller Gebiete
            gesamt = zaehler.sum() / nenner.sum() if nenner.sum() > 0 else np.nan
            ersatz = (nenner <= 0) & (b_summe > 0)
            if ersatz.any():
                ersetzt[mk.anzahl] = int(ersatz.sum())
            zeilen(mk.anzahl, np.where(nenner > 0, wert / faktor, gesamt) * b_summe)
        ohne = np.isnan(v) & ~geheim & (b > 0)
        berichte.append(
            MerkmalBericht(
                mk,
                int((bekannt & drin).sum()),
                int((geheim & drin & (b > 0)).sum()),
                float((at @ np.where(geheim, b, 0.0)).sum()),
                float((at @ np.where(ohne, b, 0.0)).sum()),
                float(zaehler.sum()),
            )
        )
    werte = pd.concat(teile, ignore_index=True) if teile else pd.DataFrame(columns=["gebiet", "indikator", "wert"])
    hinweise = []
    if any(m.anzahl for m in merkmale):
        hinweise.append(
            "Anzahlen aus Anteilen = Anteil des Gebiets × Einwohner des Gebiets; Zellen mit geheim gehaltenem "
            "Anteil gehen mit dem Anteil ihres Gebiets ein (geschätzt, nicht gezählt)."
        )
    hinweise += [ersatz_satz(i, n) for i, n in ersetzt.items()]
    if b is not None and b_geheim is not None and b_geheim.any():
        hinweise.append(f"{zahl(int(b_geheim.sum()), 0)} Zellen haben keine Angabe zur Bezugsgröße {bezug}.")
    return RasterErgebnis(
        werte,
        ersetzt,
        berichte,
        verfahren,
        bezug if b is not None else None,
        len(gitter),
        float(a.sum()),
        float(b_summe.sum()) if b_summe is not None else float("nan"),
        hinweise,
    )


def lange_tabelle(ergebnis: RasterErgebnis, schicht: str, periode: str) -> pd.DataFrame:
    """Die Importform: schicht, gebiet, indikator, periode, wert, zaehler, nenner."""
    df = ergebnis.werte.copy()
    df.insert(0, "schicht", schicht)
    df.insert(3, "periode", str(periode))
    return df[["schicht", "gebiet", "indikator", "periode", "wert", "zaehler", "nenner"]]


def _deutsch(wert: float) -> str:
    """Zahl für die CSV: Dezimalkomma, ohne Tausenderpunkt, bis 6 Nachkommastellen, leer = kein Wert."""
    if wert is None or np.isnan(wert):
        return ""
    return zahl(float(wert), 6, minus="-", tausender="", kuerzen=True)


def tabelle_schreiben(df: pd.DataFrame, pfad: str | os.PathLike[str]) -> Path:
    """Die lange Tabelle als CSV (`;`, Dezimalkomma, UTF-8) oder XLSX schreiben."""
    pfad = Path(pfad)
    zahlen = ["wert", "zaehler", "nenner"]
    try:
        if pfad.suffix.lower() == ".xlsx":
            df.to_excel(pfad, index=False, sheet_name="Daten", engine="openpyxl")
        elif pfad.suffix.lower() in (".csv", ".txt"):
            text = df.copy()
            for s in zahlen:
                text[s] = text[s].map(_deutsch)
            text.to_csv(pfad, sep=";", index=False, encoding="utf-8", quoting=csv.QUOTE_MINIMAL)
        else:
            raise KommuneFehler("Die Ausgabe muss auf .csv oder .xlsx enden.", datei=pfad.name)
    except OSError as e:
        raise KommuneFehler(f"Die Ausgabedatei lässt sich nicht schreiben ({e.strerror}).", datei=str(pfad)) from e
    return pfad


def quelle_auswerten(
    konf: KommuneKonfiguration,
    r: RasterQuelle,
    gebiete: gpd.GeoDataFrame,
    katalog_ids: set[str],
    hinweise: list[str],
) -> pd.DataFrame:
    """Eine `[[raster]]`-Quelle der kommune.toml beim Laden auswerten: lange Indikatortabelle der Ebene.

    Geheim gehaltene Zellen landen als ein Satz in `hinweise` (Übersicht, „Hinweise aus der Datenprüfung“).
    """
    merkmale = (
        [Merkmal(i, s) for i, s in r.anzahlen]
        + [Merkmal(i, s, "anteil", a or None) for i, s, a in r.anteile]
        + [Merkmal(i, s, "mittel") for i, s in r.mittelwerte]
    )
    if not merkmale:
        raise KommuneFehler(
            "Die Rasterquelle nennt keine Indikatoren (anzahlen, anteile oder mittelwerte).", datei=r.datei
        )
    ausgabe = [m.id for m in merkmale] + [m.anzahl for m in merkmale if m.anzahl]
    unbekannt = [i for i in ausgabe if i not in katalog_ids]
    if unbekannt:
        raise KommuneFehler(f"Der Indikator „{unbekannt[0]}“ steht nicht im Indikatorenkatalog.", datei=r.datei)
    spalten = [m.spalte for m in merkmale] + ([r.bezug] if any(m.art != "anzahl" for m in merkmale) else [])
    rahmen = tuple(gebiete.to_crs(GITTER_CRS).total_bounds)
    gitter = gitter_lesen(konf.daten / r.datei, spalten, rahmen)
    ergebnis = auf_gebiete(gitter, gebiete, merkmale, r.verfahren, r.bezug)
    gesperrt = [
        f"{b.merkmal.id} {zahl(b.geheim_zellen, 0)} Zellen ({zahl(b.geheim_einwohner, 0)} Einwohner ohne Angabe)"
        for b in ergebnis.berichte
        if b.geheim_zellen
    ]
    hinweise += [ersatz_satz(i, n) for i, n in ergebnis.ersetzt.items()]
    if gesperrt:
        hinweise.append(
            f"Gitter {gitter.datei} → {r.ebene} ({VERFAHREN[r.verfahren]}): geheim gehaltene Zellen bei "
            + "; ".join(gesperrt)
            + ". Anteile und Mittelwerte stammen aus den übrigen Zellen; Anzahlen aus Anteilen sind geschätzt."
        )
    return lange_tabelle(ergebnis, r.ebene, r.periode)


def gitter_spalten(pfad: str | os.PathLike[str]) -> list[str]:
    """Die Spaltennamen einer Gitterdatei (Parquet oder CSV), ohne sie ganz zu lesen."""
    pfad = Path(pfad)
    try:
        return _kopf(pfad)
    except (OSError, ValueError) as e:
        raise KommuneFehler(f"Die Gitterdatei ist nicht lesbar ({type(e).__name__}).", datei=pfad.name) from None

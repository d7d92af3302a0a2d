"""Angebote und Bedarf je Gebiet: Schulen ↔ Einzugsbereiche, Anzahl und Plätze, Plätze je Kinder.

Alle Funktionen sind rein (ohne Streamlit) und arbeiten im metrischen CRS der Kommune.

Kapazitäten: Angebote ohne bekannte Platzzahl (leer oder 0, z. B. 16 Berliner
Jugendfreizeiteinrichtungen mit „0 = unbekannt“) zählen bei der Anzahl mit, nicht aber bei den
Plätzen. Ihre Zahl steht je Gebiet in der Spalte „… ohne Platzangabe“, damit die Oberfläche sagen
kann, dass die Platzzahl dort eine Untergrenze ist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from kommune.format import zahl
from kommune.formel import formel_teile  # hier weiter importierbar (früher hier definiert)
from kommune.konfiguration import Versorgungsquote
from kommune.laden import Kommune
from kommune.werte import neueste_periode, werte

#: Signatur von `kommune.werte.werte` (auch die der Flächenumrechnung auf Einzugsbereiche).
WerteFn = Callable[[Kommune, str, str, str], pd.Series]

STATUS_EINE = "genau eine Schule"
STATUS_MEHRERE = "mehrere Schulen"
STATUS_KEINE = "keine Schule im Bereich"


# ---------------------------------------------------------------------------------------------
# Punkte ↔ Flächen
# ---------------------------------------------------------------------------------------------


def punkte_zuordnen(punkte: gpd.GeoSeries | gpd.GeoDataFrame, gebiete: gpd.GeoDataFrame) -> pd.Series:
    """Für jeden Punkt die ID des Gebiets, in dem er liegt (None außerhalb aller Gebiete).

    Räumliche Verknüpfung über einen STRtree („intersects“): Ein Punkt genau auf einer gemeinsamen
    Grenze wird dem ersten getroffenen Gebiet zugeordnet, also nie doppelt gezählt und nie verloren.
    Beide Eingaben müssen im selben CRS liegen.
    """
    geom = punkte.geometry if isinstance(punkte, gpd.GeoDataFrame) else punkte
    if geom.crs is not None and gebiete.crs is not None and geom.crs != gebiete.crs:
        raise ValueError(f"Punkte ({geom.crs}) und Gebiete ({gebiete.crs}) liegen in verschiedenen CRS.")
    ergebnis = pd.Series([None] * len(geom), index=geom.index, dtype=object)
    if len(geom) == 0 or len(gebiete) == 0:
        return ergebnis
    baum = shapely.STRtree(gebiete.geometry.to_numpy())
    punkt_pos, gebiet_pos = baum.query(geom.to_numpy(), predicate="intersects")
    if len(punkt_pos) == 0:  # kein Punkt liegt in einem der Gebiete (z. B. ein Gebiet ohne Angebot)
        return ergebnis
    # je Punkt den ersten Treffer (kleinste Gebietsposition) behalten
    reihenfolge = np.lexsort((gebiet_pos, punkt_pos))
    punkt_pos, gebiet_pos = punkt_pos[reihenfolge], gebiet_pos[reihenfolge]
    erster = np.r_[True, punkt_pos[1:] != punkt_pos[:-1]]
    werte_arr = np.full(len(geom), None, dtype=object)
    werte_arr[punkt_pos[erster]] = gebiete.index.to_numpy()[gebiet_pos[erster]]
    return pd.Series(werte_arr, index=geom.index, dtype=object)


def schulen_zu_einzugsbereichen(
    angebote: gpd.GeoDataFrame, einzugsbereiche: gpd.GeoDataFrame, kategorie: str = "Grundschule"
) -> pd.DataFrame:
    """Schulen einer Kategorie ihren Einzugsbereichen zuordnen (räumliche Verknüpfung).

    Ein Einzugsbereich kann mehrere Schulen oder keine enthalten (geteilte oder benachbarte
    Einzugsbereiche); das sagt die Spalte „Status“: „genau eine Schule“, „mehrere Schulen“ oder
    „keine Schule im Bereich“. Ergebnis: eine Zeile je Einzugsbereich (Index = dessen ID) mit den
    Spalten Name, Anzahl Schulen, Schulen (Namen, „; “-getrennt), Schul-IDs und Status.
    Schulen außerhalb aller Bereiche stehen in ``attrs["ausserhalb"]`` (Liste der IDs).
    """
    schulen = angebote[angebote["kategorie"] == kategorie]
    zu = punkte_zuordnen(schulen, einzugsbereiche)
    zuordnung = pd.DataFrame({"bereich": zu, "name": schulen["name"], "id": schulen["id"]}).dropna(subset=["bereich"])
    zuordnung = zuordnung.sort_values(["bereich", "name"])
    gruppen = zuordnung.groupby("bereich")
    anzahl = gruppen.size().reindex(einzugsbereiche.index, fill_value=0).astype(int)
    namen = gruppen["name"].agg("; ".join).reindex(einzugsbereiche.index, fill_value="")
    ids = gruppen["id"].agg("; ".join).reindex(einzugsbereiche.index, fill_value="")
    status = np.select([anzahl == 1, anzahl > 1], [STATUS_EINE, STATUS_MEHRERE], default=STATUS_KEINE)
    df = pd.DataFrame(
        {
            "Name": einzugsbereiche["name"] if "name" in einzugsbereiche else einzugsbereiche.index,
            "Anzahl Schulen": anzahl,
            "Schulen": namen,
            "Schul-IDs": ids,
            "Status": status,
        },
        index=einzugsbereiche.index,
    )
    df.attrs["ausserhalb"] = schulen.loc[zu.isna(), "id"].tolist()
    df.attrs["kategorie"] = kategorie
    return df


def status_zaehlen(zuordnung: pd.DataFrame) -> dict[str, int]:
    """Wie viele Einzugsbereiche je Status (für einen Satz wie „292 mit genau einer Schule …“)."""
    n = zuordnung["Status"].value_counts()
    return {s: int(n.get(s, 0)) for s in (STATUS_EINE, STATUS_MEHRERE, STATUS_KEINE)}


def _bekannte_kapazitaet(kapazitaet: pd.Series) -> pd.Series:
    """Kapazität als Zahl; leer oder ≤ 0 gilt als unbekannt (NaN)."""
    kap = pd.to_numeric(kapazitaet, errors="coerce").astype(float)
    return kap.where(kap > 0)


def angebote_je_gebiet(
    angebote: gpd.GeoDataFrame, gebiete: gpd.GeoDataFrame, kategorien: Iterable[str] | None = None
) -> pd.DataFrame:
    """Anzahl und Plätze je Kategorie und Gebiet, mit 0 aufgefüllt.

    Spalten je Kategorie K: „K: Anzahl“, „K: Plätze“ (Summe der bekannten Platzzahlen) und
    „K: ohne Platzangabe“ (Angebote mit leerer oder 0-Kapazität, bei den Plätzen nicht gezählt).
    Index = alle Gebiete der Ebene. ``attrs["ausserhalb"]`` zählt Angebote außerhalb aller Gebiete.
    """
    kats = list(kategorien) if kategorien is not None else sorted(angebote["kategorie"].unique())
    teil = angebote[angebote["kategorie"].isin(kats)]
    gebiet = punkte_zuordnen(teil, gebiete)
    kap = _bekannte_kapazitaet(teil["kapazitaet"])
    df = pd.DataFrame({"gebiet": gebiet, "kategorie": teil["kategorie"], "kap": kap, "unbekannt": kap.isna()})
    innen = df.dropna(subset=["gebiet"])
    g = innen.groupby(["gebiet", "kategorie"])
    agg = pd.DataFrame({"Anzahl": g.size(), "Plätze": g["kap"].sum(), "ohne Platzangabe": g["unbekannt"].sum()})
    spalten: dict[str, pd.Series] = {}
    for k in kats:
        stueck = agg.xs(k, level="kategorie") if k in agg.index.get_level_values("kategorie") else agg.iloc[0:0]
        for mass in ("Anzahl", "Plätze", "ohne Platzangabe"):
            reihe = stueck[mass].reindex(gebiete.index, fill_value=0)
            spalten[f"{k}: {mass}"] = reihe.astype(float if mass == "Plätze" else int)
    ergebnis = pd.DataFrame(spalten, index=gebiete.index)
    ergebnis.attrs["ausserhalb"] = int(df["gebiet"].isna().sum())
    return ergebnis


def plaetze_je_kinder(kapazitaet: pd.Series, kinder: pd.Series, je: float = 100) -> pd.Series:
    """Plätze je `je` Kinder (z. B. Kita-Plätze je 100 Kinder unter 6), ausgerichtet am Index von `kinder`.

    NaN, wo die Kinderzahl 0, negativ oder unbekannt ist oder die Kapazität fehlt – es wird nie
    durch 0 geteilt, es entsteht kein ∞. `kapazitaet` enthält nur bekannte Platzzahlen: Angebote
    ohne Platzangabe sind darin nicht enthalten; ihre Zahl je Gebiet liefert `angebote_je_gebiet`
    („… ohne Platzangabe“), die Oberfläche soll sie nennen.
    """
    kinder = pd.to_numeric(kinder, errors="coerce").astype(float)
    kap = pd.to_numeric(kapazitaet, errors="coerce").astype(float).reindex(kinder.index)
    nenner = kinder.where(kinder > 0)
    return (kap / nenner * je).rename(None)


# ---------------------------------------------------------------------------------------------
# Versorgungsindikatoren: aus den Abschnitten [[versorgung]] der kommune.toml (nie aus Namen erraten)
# ---------------------------------------------------------------------------------------------

#: Hinweis für Kommunen ohne `[[versorgung]]` (Angebote-Seite, Gebietsprofil).
HINWEIS_OHNE_VERSORGUNG = (
    "Für diese Kommune sind keine Versorgungsquoten angegeben. Jede Quote ist ein Abschnitt [[versorgung]] in "
    "der kommune.toml: Angebotskategorie, Plätze oder Anzahl, Zielgruppe aus dem Katalog und Bezug (je 100 …), "
    "z. B. Kita-Plätze je 100 Kinder unter 6 (Format: docs/kommune-format.md)."
)


@dataclass(frozen=True)
class Zielgruppe:
    """Eine Bevölkerungsgruppe: Summe/Differenz von Katalog-Indikatoren, z. B. ``"kinder_u3 + kinder_3_6"``."""

    name: str
    formel: str
    teile: tuple[tuple[float, str], ...] = ()

    def __post_init__(self) -> None:
        if not self.teile:
            object.__setattr__(self, "teile", tuple(formel_teile(self.formel)))

    def formel_fuer(self, katalog_ids: Iterable[str]) -> str | None:
        """Die Formel, wenn alle ihre Indikatoren im Katalog stehen, sonst None."""
        ids = set(katalog_ids)
        return self.formel if all(i in ids for _, i in self.teile) else None


@dataclass(frozen=True)
class Versorgungsindikator:
    """Angebote einer Kategorie je `je` Personen der Zielgruppe (Plätze oder Anzahl)."""

    id: str
    name: str  # Spaltenname des Quotienten, z. B. „Kita-Plätze je 100 Kinder unter 6“
    kategorie: str
    angebote: str  # Mehrzahl für Spaltennamen, z. B. „Kitas“
    plaetze: str  # z. B. „Kita-Plätze“
    zielgruppe: Zielgruppe
    je: int = 100
    mass: str = "plaetze"  # „plaetze“ (Kapazität) oder „anzahl“ (Zahl der Angebote)

    @property
    def einheit(self) -> str:
        """„Plätze je 100 Kinder unter 6“ bzw. „Anzahl je 100.000 Einwohner“."""
        return f"{'Plätze' if self.mass == 'plaetze' else 'Anzahl'} je {zahl(self.je, 0)} {self.zielgruppe.name}"


def aus_angabe(q: Versorgungsquote) -> Versorgungsindikator:
    """Ein `[[versorgung]]`-Abschnitt als Versorgungsindikator."""
    return Versorgungsindikator(
        q.id,
        q.name,
        q.kategorie,
        q.angebote_name or f"Angebote {q.kategorie}",
        q.plaetze_name or f"Plätze {q.kategorie}",
        Zielgruppe(q.zielgruppe_name, q.zielgruppe, q.teile),
        q.je,
        "plaetze" if q.menge == "kapazitaet" else "anzahl",
    )


def versorgung_definitionen(kommune: Kommune) -> tuple[Versorgungsindikator, ...]:
    """Die Versorgungsindikatoren der Kommune (Reihenfolge der kommune.toml; leer ohne `[[versorgung]]`)."""
    return tuple(aus_angabe(q) for q in kommune.konfiguration.versorgung)


def bevoelkerung_gruppe(kommune: Kommune) -> Zielgruppe | None:
    """Die Einwohner aus `[bevoelkerung]` als Zielgruppe (None, wenn nicht angegeben)."""
    b = kommune.konfiguration.bevoelkerung
    return Zielgruppe(b.name, b.indikator, ((1.0, b.indikator),)) if b else None


def versorgungsindikator(indikator_id: str, indikatoren: Iterable[Versorgungsindikator]) -> Versorgungsindikator:
    """Die Definition mit dieser ID (KeyError, wenn es sie nicht gibt)."""
    for v in indikatoren:
        if v.id == indikator_id:
            return v
    raise KeyError(f"Den Versorgungsindikator „{indikator_id}“ gibt es nicht.")


def zielgruppe_werte(
    kommune: Kommune,
    zielgruppe: Zielgruppe,
    schicht_id: str,
    periode: str | None = None,
    werte_fn: WerteFn = werte,
) -> tuple[pd.Series, str | None, str | None]:
    """Personen der Zielgruppe je Gebiet, mit der verwendeten Formel und Periode.

    `periode=None` nimmt die jüngste Periode, in der alle Indikatoren der Formel vorliegen; sonst die
    jüngste bis einschließlich `periode`. Ohne passende Formel oder Periode: NaN-Reihe, None, None.
    """
    ids = kommune.gebiete[schicht_id].index
    leer = pd.Series(np.nan, index=ids, dtype=float)
    formel = zielgruppe.formel_fuer(kommune.katalog.index)
    if formel is None:
        return leer, None, None
    teile = zielgruppe.teile
    perioden = [neueste_periode(kommune, i, hoechstens=periode) for _, i in teile]
    if any(p is None for p in perioden):
        return leer, formel, None
    p = min(perioden)  # type: ignore[type-var]
    summe = pd.Series(0.0, index=ids)
    for faktor, i in teile:
        summe = summe + faktor * werte_fn(kommune, i, schicht_id, p).reindex(ids).astype(float)
    return summe, formel, p


def versorgungsindikatoren(
    kommune: Kommune,
    schicht_id: str,
    periode: str | None = None,
    werte_fn: WerteFn = werte,
    indikatoren: Iterable[Versorgungsindikator] | None = None,
) -> pd.DataFrame:
    """Versorgung je Gebiet: eine Zeile je Gebiet, deutsche Spaltennamen mit Einheit.

    Je verfügbarem Indikator die Spalten „Kitas (Anzahl)“, „Kita-Plätze (Plätze)“, „Kitas ohne
    Platzangabe (Anzahl)“, „Kinder unter 6 (Personen)“ und „Kita-Plätze je 100 Kinder unter 6“.
    Plätze zählen nur bekannte Platzzahlen; hat ein Gebiet Angebote, aber keines mit Platzangabe,
    bleibt der Quotient leer statt 0. Kinderzahl 0 oder unbekannt → leer (nie ∞).

    `indikatoren`: Standard sind die `[[versorgung]]` der Kommune (ohne solche Abschnitte: keine Spalten außer
    „Name“). Nicht verfügbare Indikatoren (Kategorie fehlt, keine einzige Platzangabe, Zielgruppe nicht im
    Katalog) fehlen als Spalten und stehen mit Grund in ``attrs["nicht_verfuegbar"]``. Weitere
    ``attrs``: ``"indikatoren"`` (ID → Spalte des Quotienten), ``"einheiten"`` (Spalte → Einheit),
    ``"gesamt"`` (Spalte → Wert der ganzen Kommune; Quotient = alle bekannten Plätze / alle Personen der
    Zielgruppe in Gebieten mit bekannter Zahl), ``"perioden"`` (ID → Periode der Bevölkerung),
    ``"formeln"`` (ID → verwendete Formel).
    """
    gebiete = kommune.gebiete[schicht_id]
    df = pd.DataFrame({"Name": gebiete["name"]}, index=gebiete.index)
    einheiten: dict[str, str] = {"Name": ""}
    gesamt: dict[str, float] = {}
    spalten: dict[str, str] = {}
    perioden: dict[str, str] = {}
    formeln: dict[str, str] = {}
    fehlt: dict[str, str] = {}
    defs = list(versorgung_definitionen(kommune) if indikatoren is None else indikatoren)
    vorhanden = set(kommune.angebote["kategorie"].unique())
    kats = [v.kategorie for v in defs if v.kategorie in vorhanden]
    je_gebiet = angebote_je_gebiet(kommune.angebote, gebiete, kats) if kats else pd.DataFrame(index=gebiete.index)
    for v in defs:
        if v.kategorie not in vorhanden:
            fehlt[v.id] = f"Die Kommune hat keine Angebote der Kategorie „{v.kategorie}“."
            continue
        kap_kat = _bekannte_kapazitaet(kommune.angebote.loc[kommune.angebote["kategorie"] == v.kategorie, "kapazitaet"])
        if v.mass == "plaetze" and kap_kat.isna().all():
            fehlt[v.id] = f"Für keine Angebote der Kategorie „{v.kategorie}“ ist eine Platzzahl bekannt."
            continue
        kinder, formel, p = zielgruppe_werte(kommune, v.zielgruppe, schicht_id, periode, werte_fn)
        if formel is None or p is None:
            fehlt[v.id] = f"Die Zielgruppe „{v.zielgruppe.name}“ steht nicht im Indikatorenkatalog der Kommune."
            continue
        anzahl = je_gebiet[f"{v.kategorie}: Anzahl"]
        sp_anzahl = f"{v.angebote} (Anzahl)"
        df[sp_anzahl], einheiten[sp_anzahl] = anzahl, "Anzahl"
        gesamt[sp_anzahl] = float(anzahl.sum())
        sp_kinder = f"{v.zielgruppe.name} (Personen)"
        if v.mass == "plaetze":
            plaetze = je_gebiet[f"{v.kategorie}: Plätze"]
            ohne = je_gebiet[f"{v.kategorie}: ohne Platzangabe"]
            sp_plaetze, sp_ohne = f"{v.plaetze} (Plätze)", f"{v.angebote} ohne Platzangabe (Anzahl)"
            df[sp_plaetze], einheiten[sp_plaetze] = plaetze, "Plätze"
            df[sp_ohne], einheiten[sp_ohne] = ohne, "Anzahl"
            gesamt[sp_plaetze], gesamt[sp_ohne] = float(plaetze.sum()), float(ohne.sum())
            roh = plaetze
            zaehler = plaetze.where(~((anzahl > 0) & (ohne == anzahl)))
        else:
            roh = zaehler = anzahl.astype(float)
        df[sp_kinder], einheiten[sp_kinder] = kinder, "Personen"
        gesamt[sp_kinder] = float(kinder.sum(min_count=1))
        df[v.name] = plaetze_je_kinder(zaehler, kinder, v.je)
        einheiten[v.name] = v.einheit
        # ganze Kommune: alle bekannten Plätze / alle Kinder in Gebieten mit bekannter Kinderzahl
        bekannt = kinder.notna()
        n_kinder = float(kinder[bekannt].sum())
        gesamt[v.name] = float(roh[bekannt].sum()) / n_kinder * v.je if n_kinder > 0 else float("nan")
        spalten[v.id], perioden[v.id], formeln[v.id] = v.name, p, formel
    df.attrs.update(
        {
            "indikatoren": spalten,
            "einheiten": einheiten,
            "gesamt": gesamt,
            "perioden": perioden,
            "formeln": formeln,
            "nicht_verfuegbar": fehlt,
        }
    )
    return df

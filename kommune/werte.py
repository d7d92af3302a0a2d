"""Indikatorwerte je Gebiet abfragen und exakt auf gröbere Ebenen aggregieren.

Zählgrößen werden summiert, Anteile aus Zähler und Nenner neu gebildet (oder mit der
Bezugsbevölkerung gewichtet). Fehlt bei einer Zählgröße ein Kindwert, bleibt der Elternwert leer:
lieber „keine Daten“ als eine zu kleine Summe. Anteile werden aus den Kindern mit Wert gebildet,
wenn diese mindestens 99 % der Bezugsgröße tragen (`MINDESTDECKUNG`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from kommune.laden import Kommune


def zuordnung(kommune: Kommune, von: str, nach: str) -> pd.Series | None:
    """Für jedes Gebiet der Ebene `von` das umschließende Gebiet der Ebene `nach` (oder None)."""
    ids = kommune.gebiete[von].index
    karte = pd.Series(ids, index=ids)
    aktuell = von
    while aktuell != nach:
        eltern = kommune.schicht(aktuell).eltern
        if not eltern:
            return None
        karte = karte.map(kommune.gebiete[aktuell]["eltern"])
        aktuell = eltern
    return karte


def _quellwerte(kommune: Kommune, indikator: str, periode: str) -> tuple[str, pd.DataFrame] | None:
    """Die Zeilen eines Indikators in einer Periode, von der feinsten Ebene, auf der er vorliegt."""
    df = kommune.indikatoren
    teil = df[(df["indikator"] == indikator) & (df["periode"] == periode)]
    if teil.empty:
        return None
    reihenfolge = [s.id for s in kommune.konfiguration.schichten]
    schicht = min(teil["schicht"].unique(), key=reihenfolge.index)
    return schicht, teil[teil["schicht"] == schicht].set_index("gebiet")


def _faktor(wert: pd.Series, z: pd.Series, n: pd.Series, einheit: str) -> float:
    """Skalierung eines Anteils (100 für %, 1000 für ‰ …), aus den Daten oder der Einheit."""
    ok = (z > 0) & (n > 0) & wert.notna()
    if ok.any():
        roh = float(np.median(wert[ok] / (z[ok] / n[ok])))
        if roh > 0:
            return float(10 ** round(math.log10(roh)))
    return 1000.0 if "1.000" in einheit else 100.0 if "%" in einheit else 1.0


def _gruppensumme(werte: pd.Series, gruppen: pd.Series) -> pd.Series:
    """Summe je Gruppe; leer, sobald ein Kindwert fehlt."""
    df = pd.DataFrame({"w": werte, "g": gruppen}).dropna(subset=["g"])
    return df.groupby("g")["w"].sum(min_count=1).where(df.groupby("g")["w"].apply(lambda s: s.notna().all()))


#: Anteile und Indizes: so viel der Bezugsgröße (Nenner bzw. Gewicht) muss Werte haben, sonst leer.
MINDESTDECKUNG = 0.99


def _gedeckter_quotient(
    oben: pd.Series,
    unten: pd.Series,
    vorhanden: pd.Series,
    referenz: pd.Series,
    gruppen: pd.Series,
    hat_wert: pd.Series,
) -> pd.Series:
    """Σ oben / Σ unten über die Kinder mit Wert, wenn sie ≥ MINDESTDECKUNG der `referenz` tragen.

    `referenz` ist die Bezugsgröße aller Kinder (Nenner, sonst Nenner- oder Gewichtsindikator). So machen
    einzelne kleine Gebiete ohne Wert (z. B. amtlich als ungültig markiert) einen Anteil für den Bezirk
    nicht unbekannt, ein großes fehlendes Gebiet aber schon. Hat ein Kind einen Wert, aber keine
    Bezugsgröße, bleibt das Elterngebiet leer (es ließe sich nicht gewichten); Kinder ohne Wert und
    ohne Bezugsgröße (in amtlichen Tabellen die gesperrten Kleinstgebiete) zählen nicht zur Deckung.
    """
    df = pd.DataFrame(
        {
            "o": oben.where(vorhanden),
            "u": unten.where(vorhanden),
            "r": referenz.where(vorhanden),
            "alle": referenz,
            "g": gruppen,
        }
    ).dropna(subset=["g"])
    je = df.groupby("g")
    df["unbrauchbar"] = df["alle"].isna() & hat_wert.reindex(df.index).fillna(False)
    je = df.groupby("g")
    bekannt = ~je["unbrauchbar"].any()
    summe_r, summe_alle = je["r"].sum(min_count=1), je["alle"].sum(min_count=1)
    deckung = (summe_r / summe_alle.where(summe_alle > 0)).where(bekannt)
    summe_u = je["u"].sum(min_count=1)
    return (je["o"].sum(min_count=1) / summe_u.where(summe_u > 0)).where(deckung >= MINDESTDECKUNG)


def _aggregieren(
    kommune: Kommune, indikator: str, periode: str, schicht: str, teil: pd.DataFrame, gruppen: pd.Series
) -> pd.Series:
    """Werte der Quellebene nach `gruppen` (Quell-ID → Ziel-ID) zusammenfassen."""
    eintrag = kommune.katalog.loc[indikator]
    ids = gruppen.index
    wert = teil["wert"].reindex(ids)
    if eintrag["art"] == "anzahl":
        return _gruppensumme(wert, gruppen)

    def begleitwerte(anderer: str) -> pd.Series | None:
        if not anderer or anderer not in kommune.katalog.index:
            return None
        q = _quellwerte(kommune, anderer, periode)
        if q is None or q[0] != schicht:
            return None
        return q[1]["wert"].reindex(ids)

    z, n = teil["zaehler"].reindex(ids), teil["nenner"].reindex(ids)
    if z.isna().all() or n.isna().all():
        z, n = begleitwerte(eintrag["zaehler"]), begleitwerte(eintrag["nenner"])
    if z is not None and n is not None and z.notna().any():
        faktor = _faktor(wert, z, n, eintrag["einheit"])
        referenz = n
        for anderer in (eintrag["nenner"], eintrag["gewicht"]):
            ersatz = begleitwerte(anderer)
            if ersatz is not None:
                referenz = referenz.fillna(ersatz)
        return faktor * _gedeckter_quotient(z, n, z.notna() & n.notna(), referenz, gruppen, wert.notna() | z.notna())
    gewicht = begleitwerte(eintrag["gewicht"])
    if gewicht is None:
        return pd.Series(dtype=float)
    return _gedeckter_quotient(wert * gewicht, gewicht, wert.notna() & gewicht.notna(), gewicht, gruppen, wert.notna())


def werte(kommune: Kommune, indikator: str, schicht_id: str, periode: str) -> pd.Series:
    """Werte eines Indikators für alle Gebiete einer Ebene (NaN = keine Daten)."""
    ziel = kommune.gebiete[schicht_id].index
    quelle = _quellwerte(kommune, indikator, periode)
    if quelle is None:
        return pd.Series(np.nan, index=ziel, dtype=float, name=indikator)
    quell_schicht, teil = quelle
    if quell_schicht == schicht_id:
        return teil["wert"].reindex(ziel).astype(float).rename(indikator)
    gruppen = zuordnung(kommune, quell_schicht, schicht_id)
    if gruppen is None:
        return pd.Series(np.nan, index=ziel, dtype=float, name=indikator)
    return (
        _aggregieren(kommune, indikator, periode, quell_schicht, teil, gruppen)
        .reindex(ziel)
        .astype(float)
        .rename(indikator)
    )


def gesamtwert(kommune: Kommune, indikator: str, periode: str) -> float:
    """Der Wert für die ganze Kommune (Summe bzw. neu gebildeter Anteil)."""
    quelle = _quellwerte(kommune, indikator, periode)
    if quelle is None:
        return float("nan")
    schicht, teil = quelle
    ids = kommune.gebiete[schicht].index
    gruppen = pd.Series("gesamt", index=ids)
    ergebnis = _aggregieren(kommune, indikator, periode, schicht, teil, gruppen)
    return float(ergebnis.get("gesamt", float("nan")))


def perioden_von(kommune: Kommune, indikator: str) -> list[str]:
    """Alle Perioden, in denen ein Indikator vorliegt, aufsteigend."""
    df = kommune.indikatoren
    return sorted(df.loc[df["indikator"] == indikator, "periode"].unique().tolist())


def neueste_periode(kommune: Kommune, indikator: str, hoechstens: str | None = None) -> str | None:
    """Die jüngste Periode eines Indikators (optional nicht nach `hoechstens`)."""
    perioden = [p for p in perioden_von(kommune, indikator) if hoechstens is None or p <= hoechstens]
    return perioden[-1] if perioden else None

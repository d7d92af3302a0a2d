"""Indikatorwerte je Gebiet abfragen und exakt auf gröbere Ebenen aggregieren, mit ihrer Deckung.

Zählgrößen werden summiert, Anteile aus Zähler und Nenner neu gebildet oder mit einer Bezugsgröße
gewichtet (Katalogspalte `gewicht`: eine ID oder eine Summe wie ``kinder_u6 + kinder_6_15``, bei Bedarf
aus der nächstgelegenen Periode). Fehlen Teilgebiete, sagt die **Deckung**, wie viele es sind und welchen
Anteil der Bezugsgröße sie tragen (Anzahlen: der Einwohner, sonst der Fläche; Anteile: ihres Nenners oder
Gewichts). Regeln aus `[aggregation]` der kommune.toml (`kommune.konfiguration.Aggregation`):

* Anzahlen sind die Summe der bekannten Teile („ohne 1 Planungsraum, 0 % der Einwohner“), solange die Teile
  mit Wert mindestens `mindestdeckung` (Standard 99 %) tragen; mit ``anzahlen_mit_luecke = "leer"`` macht
  schon ein fehlendes Teilgebiet die Summe leer.
* Anteile und Indizes werden aus den Teilen mit Wert gebildet, wenn diese mindestens `mindestdeckung` der
  Bezugsgröße tragen.

`werte` und `gesamtwert` liefern nur die Zahlen; `werte_mit_deckung` und `gesamt_mit_deckung` dazu die
Deckung, `deckung_text` den Satz dazu (ohne Rolle; geschützt: `berichte.grundlagen.deckung_fuer`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kommune.format import mehrzahl, zahl
from kommune.formel import bezug_teile, formel_text, jahresabstand, perioden_nach_naehe
from kommune.konfiguration import Aggregation
from kommune.laden import Kommune
from kommune.zwischenspeicher import Objektcache

#: Schlüssel des Gesamtgebiets in den Ergebnissen von `gesamt_mit_deckung`.
GESAMT = "gesamt"
#: Anteile und Indizes: so viel der Bezugsgröße muss Werte haben, sonst leer (Standard von `[aggregation]`).
MINDESTDECKUNG = Aggregation().mindestdeckung
#: Für die Geheimhaltung: jede Teilsumme, die sich bilden lässt (ohne Mindestdeckung, Anzahlen mit Lücke).
OHNE_SCHWELLE = Aggregation(mindestdeckung=0.0, anzahlen_mit_luecke="mit_deckung")
#: Wonach der Anteil fehlender Teilgebiete bemessen ist.
BEZUG_EINWOHNER, BEZUG_GROESSE, BEZUG_FLAECHE = "einwohner", "bezugsgroesse", "flaeche"


@dataclass(frozen=True)
class Deckung:
    """Was einem aggregierten Wert fehlt: Teilgebiete ohne Wert und ihr Anteil an der Bezugsgröße."""

    schicht: str  # Ebene der Teilgebiete
    teile: int  # Teilgebiete insgesamt
    fehlende: tuple[str, ...]  # Teilgebiete ohne Wert (gehen nicht in den Wert ein)
    anteil: float  # Anteil der fehlenden an der Bezugsgröße (0 … 1), NaN = unbekannt
    bezug: str = ""  # Indikator oder Summenformel der Bezugsgröße; "" = Fläche
    bezug_periode: str | None = None
    bezug_art: str = BEZUG_FLAECHE
    periode: str | None = None  # Periode des Werts (weicht die des Bezugs ab, nennt der Text sie)


@dataclass(frozen=True)
class Aggregat:
    """Werte einer Ebene (oder des Gesamtgebiets) mit ihrer Deckung.

    `deckung`: je Zielgebiet ``teile``, ``fehlend`` (Anzahl) und ``anteil`` (der fehlenden an der Bezugsgröße).
    `gewicht`/`gewicht_periode`: womit ein Anteil gewichtet wurde (leer bei Zähler/Nenner und Anzahlen).
    """

    werte: pd.Series
    deckung: pd.DataFrame
    schicht: str | None = None  # Quellebene; None ohne Daten
    bezug: str = ""
    bezug_periode: str | None = None
    bezug_art: str = BEZUG_FLAECHE
    gewicht: str = ""
    gewicht_periode: str | None = None
    fehlt: pd.Series | None = None  # je Teilgebiet der Quellebene: ohne Wert?
    gruppen: pd.Series | None = None  # Teilgebiet → Zielgebiet
    periode: str | None = None

    def deckung_von(self, gebiet: str) -> Deckung | None:
        """Die Deckung eines Zielgebiets, wenn ihm Teilgebiete fehlen (sonst None)."""
        if self.fehlt is None or self.gruppen is None or gebiet not in self.deckung.index:
            return None
        zeile = self.deckung.loc[gebiet]
        if not zeile["fehlend"]:
            return None
        fehlende = tuple(
            str(i) for i in self.gruppen.index[(self.gruppen == gebiet).to_numpy() & self.fehlt.to_numpy()]
        )
        return Deckung(
            str(self.schicht),
            int(zeile["teile"]),
            fehlende,
            float(zeile["anteil"]),
            self.bezug,
            self.bezug_periode,
            self.bezug_art,
            self.periode,
        )


# ---------------------------------------------------------------------------------------------------
# Zeilen der Indikatortabelle
# ---------------------------------------------------------------------------------------------------

#: Zeilennummern je (Indikator, Periode), an der Kommune gecacht (gilt, solange die Tabelle dieselbe ist).
_ZEILEN = Objektcache("werte.zeilen")


def _gemerkt(kommune: Kommune) -> tuple[dict[tuple[str, str], np.ndarray], dict]:
    """(Zeilennummern je (Indikator, Periode), Cache der Quellwerte) – neu, sobald die Tabelle eine andere ist."""
    df = kommune.indikatoren
    gemerkt = _ZEILEN.get(kommune, "index")
    if gemerkt is not None and gemerkt[0] is df and gemerkt[1] == len(df):
        return gemerkt[2], gemerkt[3]
    index = {(str(i), str(p)): pos for (i, p), pos in df.groupby(["indikator", "periode"], sort=False).indices.items()}
    _ZEILEN.setzen(kommune, "index", (df, len(df), index, {}))
    return index, {}


def _zeilen(kommune: Kommune) -> dict[tuple[str, str], np.ndarray]:
    return _gemerkt(kommune)[0]


def _quellwerte(kommune: Kommune, indikator: str, periode: str) -> tuple[str, pd.DataFrame] | None:
    """Die Zeilen eines Indikators in einer Periode, von der feinsten Ebene, auf der er vorliegt (gecacht;
    nicht verändern)."""
    index, quellen = _gemerkt(kommune)
    if (indikator, periode) not in quellen:
        quellen[(indikator, periode)] = _quellwerte_lesen(kommune, index.get((indikator, periode)))
    return quellen[(indikator, periode)]


def _quellwerte_lesen(kommune: Kommune, pos: np.ndarray | None) -> tuple[str, pd.DataFrame] | None:
    if pos is None or not len(pos):
        return None
    teil = kommune.indikatoren.iloc[pos]
    reihenfolge = [s.id for s in kommune.konfiguration.schichten]
    schicht = min(teil["schicht"].unique(), key=reihenfolge.index)
    return schicht, teil[teil["schicht"] == schicht].set_index("gebiet")


def perioden_von(kommune: Kommune, indikator: str) -> list[str]:
    """Alle Perioden, in denen ein Indikator vorliegt, aufsteigend."""
    return sorted(p for i, p in _zeilen(kommune) if i == indikator)


def neueste_periode(kommune: Kommune, indikator: str, hoechstens: str | None = None) -> str | None:
    """Die jüngste Periode eines Indikators (optional nicht nach `hoechstens`)."""
    perioden = [p for p in perioden_von(kommune, indikator) if hoechstens is None or p <= hoechstens]
    return perioden[-1] if perioden else None


def zuordnung(kommune: Kommune, von: str, nach: str) -> pd.Series | None:
    """Für jedes Gebiet der Ebene `von` das umschließende Gebiet der Ebene `nach` (oder None; gecacht, nicht
    verändern)."""
    cache = _gemerkt(kommune)[1]
    if ("zuordnung", von, nach) not in cache:
        cache[("zuordnung", von, nach)] = _zuordnung_rechnen(kommune, von, nach)
    return cache[("zuordnung", von, nach)]


def _zuordnung_rechnen(kommune: Kommune, von: str, nach: str) -> pd.Series | None:
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


# ---------------------------------------------------------------------------------------------------
# Bezugsgrößen: Formeln des Katalogs, Einwohner, Fläche
# ---------------------------------------------------------------------------------------------------


def bezugsreihe(
    kommune: Kommune, text: str, periode: str, schicht: str, *, naechste: bool = False
) -> tuple[pd.Series, str] | None:
    """Eine Bezugsgröße (ID oder Summenformel des Katalogs) auf der Ebene `schicht` und ihre Periode.

    Alle Teile müssen in derselben Periode auf `schicht` vorliegen; ohne `naechste` genau in `periode`, mit
    `naechste` in der nächstgelegenen (`kommune.formel.perioden_nach_naehe`). Fehlt ein Teil in einem Gebiet,
    ist die Summe dort NaN. Keine passende Formel oder Periode → None. Gecacht: das Ergebnis nicht verändern.
    """
    cache = _gemerkt(kommune)[1]
    schluessel = ("bezug", text, periode, schicht, naechste)
    if schluessel not in cache:
        cache[schluessel] = _bezugsreihe_rechnen(kommune, text, periode, schicht, naechste)
    return cache[schluessel]


def _bezugsreihe_rechnen(
    kommune: Kommune, text: str, periode: str, schicht: str, naechste: bool
) -> tuple[pd.Series, str] | None:
    teile = bezug_teile(text, kommune.katalog.index)
    if teile is None:
        return None
    kandidaten = perioden_nach_naehe(perioden_von(kommune, teile[0][1]), periode) if naechste else [periode]
    ids = kommune.gebiete[schicht].index
    for p in kandidaten:
        quellen = [_quellwerte(kommune, i, p) for _, i in teile]
        if all(q is not None and q[0] == schicht for q in quellen):
            summe = sum(f * q[1]["wert"].reindex(ids).astype(float) for (f, _), q in zip(teile, quellen, strict=True))
            return pd.Series(summe, index=ids, dtype=float), p
    return None


def bezugs_kandidaten(kommune: Kommune) -> tuple[str, ...]:
    """Einwohner-Indikatoren für die Deckung: `[aggregation] bezug`, sonst die der Geheimhaltung."""
    eigene = kommune.konfiguration.aggregation.bezug
    if eigene:
        return eigene
    from kommune.geheimhaltungsregeln import regeln_fuer

    return regeln_fuer(kommune).bevoelkerung


def _einwohner_oder_flaeche(
    kommune: Kommune, schicht: str, periode: str, brauchen: pd.Index
) -> tuple[pd.Series, str, str | None, str]:
    """(Bezugsgröße je Teilgebiet, Indikator, Periode, Art) für die Deckung einer Anzahl.

    Der erste Einwohner-Indikator aus der nächstgelegenen Periode, der für alle Teilgebiete in `brauchen`
    einen Wert hat; sonst die Fläche.
    """
    ids = kommune.gebiete[schicht].index
    auswahl = []
    for rang, kandidat in enumerate(bezugs_kandidaten(kommune)):
        for p in perioden_von(kommune, kandidat):
            auswahl.append(((p != periode, jahresabstand(p, periode), p > periode, rang), kandidat, p))
    for _, kandidat, p in sorted(auswahl):
        reihe = bezugsreihe(kommune, kandidat, p, schicht)
        if reihe is not None and reihe[0].reindex(brauchen).notna().all():
            return reihe[0], kandidat, p, BEZUG_EINWOHNER
    return pd.Series(kommune.gebiete[schicht].geometry.area.to_numpy(), index=ids), "", None, BEZUG_FLAECHE


# ---------------------------------------------------------------------------------------------------
# Aggregation
# ---------------------------------------------------------------------------------------------------


class _Gruppen:
    """Teilgebiet → Zielgebiet als Codes (−1 = ohne Ziel), für schnelle Summen je Zielgebiet."""

    def __init__(self, gruppen: pd.Series) -> None:
        codes, ziele = pd.factorize(gruppen)
        self.codes, self.ziele, self.n = codes, pd.Index(ziele), len(ziele)

    def anzahl(self, maske: np.ndarray | pd.Series) -> np.ndarray:
        """Teile je Zielgebiet, für die `maske` gilt."""
        ok = (self.codes >= 0) & np.asarray(maske, dtype=bool)
        return np.bincount(self.codes[ok], minlength=self.n)

    def summe(self, werte: np.ndarray | pd.Series) -> np.ndarray:
        """Summe je Zielgebiet über die Teile mit Wert; NaN, wenn keiner einen hat."""
        w = np.asarray(werte, dtype=float)
        ok = (self.codes >= 0) & ~np.isnan(w)
        summe = np.bincount(self.codes[ok], weights=w[ok], minlength=self.n)
        return np.where(np.bincount(self.codes[ok], minlength=self.n) > 0, summe, np.nan)

    def tabelle(self, fehlend: np.ndarray, anteil: np.ndarray) -> pd.DataFrame:
        """Die Deckung je Zielgebiet (Anteil 0, wenn nichts fehlt)."""
        teile = self.anzahl(np.ones(len(self.codes), dtype=bool))
        return pd.DataFrame(
            {"teile": teile, "fehlend": fehlend, "anteil": np.where(fehlend > 0, anteil, 0.0)}, index=self.ziele
        )


def _teilen(oben: np.ndarray, unten: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(unten > 0, oben / np.where(unten > 0, unten, 1.0), np.nan)


def _deckung(fehlt: pd.Series, referenz: pd.Series, g: _Gruppen) -> pd.DataFrame:
    """Je Zielgebiet: Teile, fehlende Teile und ihr Anteil an der Bezugsgröße (NaN, wenn diese nicht überall
    bekannt ist; 0 ohne fehlende Teile)."""
    f, r = fehlt.to_numpy(dtype=bool), referenz.to_numpy(dtype=float)
    bekannt = g.anzahl(~np.isnan(r)) == g.anzahl(np.ones(len(r), dtype=bool))
    anteil = np.where(bekannt, _teilen(g.summe(np.where(f, r, 0.0)), g.summe(r)), np.nan)
    return g.tabelle(g.anzahl(f), anteil)


def _ausreichend(deckung: pd.Series, mindestdeckung: float) -> pd.Series:
    """Deckung (0 … 1, NaN = unbekannt) reicht? Ohne Mindestdeckung reicht jede bekannte."""
    return deckung.notna() & (deckung >= mindestdeckung - 1e-12)


def _summe(
    kommune: Kommune, wert: pd.Series, gruppen: pd.Series, schicht: str, periode: str, regeln: Aggregation
) -> Aggregat:
    """Anzahlen: Summe der bekannten Teile, mit Deckung nach Einwohnern (sonst Fläche)."""
    fehlt = wert.isna() & gruppen.notna()
    g = _Gruppen(gruppen)
    summe = pd.Series(g.summe(wert), index=g.ziele)
    if not fehlt.any():
        deckung = _deckung(fehlt, pd.Series(0.0, index=wert.index), g)
        return Aggregat(summe, deckung, schicht, fehlt=fehlt, gruppen=gruppen)
    betroffen = gruppen[gruppen.isin(set(gruppen[fehlt]))].index
    referenz, bezug, bezug_periode, art = _einwohner_oder_flaeche(kommune, schicht, periode, betroffen)
    deckung = _deckung(fehlt, referenz.reindex(wert.index), g)
    if regeln.anzahlen_mit_luecke == "leer":
        erlaubt = deckung["fehlend"] == 0
    elif regeln.mindestdeckung <= 0:
        erlaubt = pd.Series(True, index=deckung.index)
    else:
        erlaubt = (deckung["fehlend"] == 0) | _ausreichend(1 - deckung["anteil"], regeln.mindestdeckung)
    return Aggregat(summe.where(erlaubt), deckung, schicht, bezug, bezug_periode, art, fehlt=fehlt, gruppen=gruppen)


def _faktor(wert: pd.Series, z: pd.Series, n: pd.Series, einheit: str) -> float:
    """Skalierung eines Anteils (100 für %, 1000 für ‰ …), aus den Daten oder der Einheit."""
    ok = (z > 0) & (n > 0) & wert.notna()
    if ok.any():
        roh = float(np.median(wert[ok] / (z[ok] / n[ok])))
        if roh > 0:
            return float(10 ** round(math.log10(roh)))
    return 1000.0 if "1.000" in einheit else 100.0 if "%" in einheit else 1.0


def _gedeckter_quotient(
    oben: pd.Series,
    unten: pd.Series,
    vorhanden: pd.Series,
    referenz: pd.Series,
    gruppen: pd.Series,
    hat_wert: pd.Series,
    mindestdeckung: float,
) -> tuple[pd.Series, pd.DataFrame]:
    """Σ oben / Σ unten über die Kinder mit Wert, wenn sie ≥ `mindestdeckung` der `referenz` tragen; mit Deckung.

    `referenz` ist die Bezugsgröße aller Kinder (Nenner, sonst Nenner- oder Gewichtsindikator). So machen
    einzelne kleine Gebiete ohne Wert (z. B. amtlich als ungültig markiert) einen Anteil für den Bezirk
    nicht unbekannt, ein großes fehlendes Gebiet aber schon. Hat ein Kind einen Wert, aber keine
    Bezugsgröße, bleibt das Elterngebiet leer (es ließe sich nicht gewichten); Kinder ohne Wert und
    ohne Bezugsgröße (in amtlichen Tabellen die gesperrten Kleinstgebiete) zählen nicht zur Deckung.
    """
    g = _Gruppen(gruppen)
    da = vorhanden.to_numpy(dtype=bool)
    r = referenz.to_numpy(dtype=float)
    unbrauchbar = g.anzahl(np.isnan(r) & hat_wert.reindex(gruppen.index).fillna(False).to_numpy(dtype=bool)) > 0
    gedeckt = np.where(unbrauchbar, np.nan, _teilen(g.summe(np.where(da, r, np.nan)), g.summe(r)))
    quotient = _teilen(g.summe(np.where(da, oben, np.nan)), g.summe(np.where(da, unten, np.nan)))
    gedeckt_reihe = pd.Series(gedeckt, index=g.ziele)
    quotient_reihe = pd.Series(quotient, index=g.ziele).where(_ausreichend(gedeckt_reihe, mindestdeckung))
    deckung = g.tabelle(g.anzahl(~da), 1 - gedeckt)
    return quotient_reihe, deckung


def _begleitwerte(kommune: Kommune, text: str, periode: str, schicht: str, ids: pd.Index) -> pd.Series | None:
    """Zähler oder Nenner (ID oder Summenformel) in der Periode des Anteils, auf die Teilgebiete `ids`."""
    reihe = bezugsreihe(kommune, text, periode, schicht) if text else None
    return None if reihe is None else reihe[0].reindex(ids)


def _bezug_art(kommune: Kommune, text: str) -> str:
    return BEZUG_EINWOHNER if text in bezugs_kandidaten(kommune) else BEZUG_GROESSE


def _anteil(
    kommune: Kommune,
    indikator: str,
    periode: str,
    schicht: str,
    teil: pd.DataFrame,
    gruppen: pd.Series,
    regeln: Aggregation,
) -> Aggregat:
    """Anteile und Indizes: aus Zähler/Nenner neu gebildet, sonst mit der Bezugsgröße `gewicht` gewichtet."""
    eintrag = kommune.katalog.loc[indikator]
    ids = gruppen.index
    wert = teil["wert"].reindex(ids)
    z, n = teil["zaehler"].reindex(ids), teil["nenner"].reindex(ids)
    nenner_text, gewicht_text = str(eintrag["nenner"] or ""), str(eintrag["gewicht"] or "")
    if z.isna().all() or n.isna().all():
        z = _begleitwerte(kommune, str(eintrag["zaehler"] or ""), periode, schicht, ids)
        n = _begleitwerte(kommune, nenner_text, periode, schicht, ids)
    gewicht = bezugsreihe(kommune, gewicht_text, periode, schicht, naechste=True) if gewicht_text else None
    gw, gw_periode = (None, None) if gewicht is None else (gewicht[0].reindex(ids), gewicht[1])
    if z is not None and n is not None and z.notna().any():
        referenz = n.reindex(ids)
        for ersatz in (_begleitwerte(kommune, nenner_text, periode, schicht, ids), gw):
            if ersatz is not None:
                referenz = referenz.fillna(ersatz)
        faktor = _faktor(wert, z, n, str(eintrag["einheit"]))
        q, deckung = _gedeckter_quotient(
            z, n, z.notna() & n.notna(), referenz, gruppen, wert.notna() | z.notna(), regeln.mindestdeckung
        )
        art = _bezug_art(kommune, nenner_text) if nenner_text else BEZUG_GROESSE
        fehlt = ~(z.notna() & n.notna()) & gruppen.notna()
        return Aggregat(faktor * q, deckung, schicht, nenner_text, periode, art, fehlt=fehlt, gruppen=gruppen)
    if gw is None:
        return Aggregat(pd.Series(dtype=float), pd.DataFrame(columns=["teile", "fehlend", "anteil"]), schicht)
    vorhanden = wert.notna() & gw.notna()
    q, deckung = _gedeckter_quotient(wert * gw, gw, vorhanden, gw, gruppen, wert.notna(), regeln.mindestdeckung)
    text = formel_text(bezug_teile(gewicht_text, kommune.katalog.index) or [])
    return Aggregat(
        q,
        deckung,
        schicht,
        text,
        gw_periode,
        _bezug_art(kommune, text),
        text,
        gw_periode,
        fehlt=~vorhanden & gruppen.notna(),
        gruppen=gruppen,
    )


def _aggregieren(
    kommune: Kommune,
    indikator: str,
    periode: str,
    schicht: str,
    teil: pd.DataFrame,
    gruppen: pd.Series,
    regeln: Aggregation,
) -> Aggregat:
    """Werte der Quellebene nach `gruppen` (Quell-ID → Ziel-ID) zusammenfassen."""
    if kommune.katalog.loc[indikator, "art"] == "anzahl":
        return _summe(kommune, teil["wert"].reindex(gruppen.index), gruppen, schicht, periode, regeln)
    return _anteil(kommune, indikator, periode, schicht, teil, gruppen, regeln)


def _ausrichten(agg: Aggregat, ziel: pd.Index, name: str, periode: str) -> Aggregat:
    """Werte und Deckung auf alle Zielgebiete (Gebiete ohne Teile: ohne Wert, 0 Teile)."""
    deckung = agg.deckung.reindex(ziel)
    deckung["teile"] = deckung["teile"].fillna(0).astype(int)
    deckung["fehlend"] = deckung["fehlend"].fillna(0).astype(int)
    deckung["anteil"] = deckung["anteil"].astype(float)
    werte_neu = agg.werte.reindex(ziel).astype(float).rename(name)
    return Aggregat(
        werte_neu,
        deckung,
        agg.schicht,
        agg.bezug,
        agg.bezug_periode,
        agg.bezug_art,
        agg.gewicht,
        agg.gewicht_periode,
        agg.fehlt,
        agg.gruppen,
        periode,
    )


def _ohne_luecken(ziel: pd.Index) -> pd.DataFrame:
    return pd.DataFrame({"teile": 1, "fehlend": 0, "anteil": 0.0}, index=ziel)


def werte_mit_deckung(
    kommune: Kommune, indikator: str, schicht_id: str, periode: str, *, regeln: Aggregation | None = None
) -> Aggregat:
    """Werte eines Indikators für alle Gebiete einer Ebene (NaN = keine Daten) mit ihrer Deckung.

    `regeln`: Standard `[aggregation]` der Kommune.
    """
    ziel = kommune.gebiete[schicht_id].index
    leer = Aggregat(pd.Series(np.nan, index=ziel, dtype=float, name=indikator), _ohne_luecken(ziel))
    quelle = _quellwerte(kommune, indikator, periode)
    if quelle is None:
        return leer
    quell_schicht, teil = quelle
    if quell_schicht == schicht_id:
        direkt = teil["wert"].reindex(ziel).astype(float).rename(indikator)
        return Aggregat(direkt, _ohne_luecken(ziel), quell_schicht)
    gruppen = zuordnung(kommune, quell_schicht, schicht_id)
    if gruppen is None:
        return leer
    regeln = regeln or kommune.konfiguration.aggregation
    return _ausrichten(
        _aggregieren(kommune, indikator, periode, quell_schicht, teil, gruppen, regeln), ziel, indikator, periode
    )


def werte(kommune: Kommune, indikator: str, schicht_id: str, periode: str) -> pd.Series:
    """Werte eines Indikators für alle Gebiete einer Ebene (NaN = keine Daten)."""
    return werte_mit_deckung(kommune, indikator, schicht_id, periode).werte


def gesamt_mit_deckung(
    kommune: Kommune, indikator: str, periode: str, *, regeln: Aggregation | None = None
) -> tuple[float, Deckung | None]:
    """Der Wert für die ganze Kommune (Summe bzw. neu gebildeter Anteil) und, wenn Teile fehlen, die Deckung."""
    quelle = _quellwerte(kommune, indikator, periode)
    if quelle is None:
        return float("nan"), None
    schicht, teil = quelle
    gruppen = pd.Series(GESAMT, index=kommune.gebiete[schicht].index)
    regeln = regeln or kommune.konfiguration.aggregation
    agg = _ausrichten(
        _aggregieren(kommune, indikator, periode, schicht, teil, gruppen, regeln),
        pd.Index([GESAMT]),
        indikator,
        periode,
    )
    return float(agg.werte[GESAMT]), agg.deckung_von(GESAMT)


def gesamtwert(kommune: Kommune, indikator: str, periode: str) -> float:
    """Der Wert für die ganze Kommune (Summe bzw. neu gebildeter Anteil)."""
    return gesamt_mit_deckung(kommune, indikator, periode)[0]


def gewicht_hinweis(kommune: Kommune, indikator: str, periode: str) -> str:
    """Ein Satz, wenn ein Anteil mit einer Bezugsgröße aus einer anderen Periode gewichtet wird, sonst "".

    Z. B. „„Kinderarmut (S4)“ (2020) ist auf gröberen Ebenen mit „Kinder unter 6 Jahren“ + „Kinder 6 bis unter
    15 Jahre“ aus 2024 gewichtet.“
    """
    if indikator not in kommune.katalog.index or kommune.katalog.loc[indikator, "art"] == "anzahl":
        return ""
    quelle = _quellwerte(kommune, indikator, periode)
    text = str(kommune.katalog.loc[indikator, "gewicht"] or "")
    if quelle is None or not text:
        return ""
    reihe = bezugsreihe(kommune, text, periode, quelle[0], naechste=True)
    if reihe is None or reihe[1] == periode:
        return ""
    namen = " + ".join(f"„{kommune.katalog.loc[i, 'name']}“" for _, i in bezug_teile(text, kommune.katalog.index) or [])
    name = kommune.katalog.loc[indikator, "name"]
    return f"„{name}“ ({periode}) ist auf gröberen Ebenen mit {namen} aus {reihe[1]} gewichtet."


# ---------------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------------


def _anteil_text(anteil: float, grob: bool) -> str:
    """„0 %“, „unter 0,01 %“, „0,35 %“, „1,2 %“; `grob`: nur „unter 0,1 %“ / „unter 1 %“ oder nichts."""
    if grob:
        return "unter 0,1 %" if anteil < 0.001 else "unter 1 %" if anteil < 0.01 else ""
    if anteil == 0:
        return "0 %"
    if anteil < 0.0001:
        return "unter 0,01 %"
    return f"{zahl(100 * anteil, 2 if anteil < 0.01 else 1)} %"


def deckung_text(kommune: Kommune, deckung: Deckung | None, *, grob: bool = False) -> str:
    """„ohne 1 Planungsraum, 0 % der Einwohner“ – oder "", wenn nichts fehlt.

    Nennt nur die Zahl der fehlenden Teilgebiete und ihren Anteil an der Bezugsgröße (Einwohner, Fläche oder
    die Bezugsgröße eines Anteils). `grob`: der Anteil nur als Schranke („unter 0,1 %“) oder gar nicht – für
    Rollen, denen die Bezugsgröße eines fehlenden Teilgebiets gesperrt ist (sonst ließe sie sich errechnen).
    """
    if deckung is None or not deckung.fehlende:
        return ""
    n = len(deckung.fehlende)
    name = kommune.schicht(deckung.schicht).name
    gebiete = f"ohne {n} {name if n == 1 else mehrzahl(name)}"
    if math.isnan(deckung.anteil):
        return gebiete
    anteil = _anteil_text(deckung.anteil, grob)
    bezug = {BEZUG_EINWOHNER: "der Einwohner", BEZUG_FLAECHE: "der Fläche"}.get(deckung.bezug_art, "der Bezugsgröße")
    if deckung.bezug_periode and deckung.periode and deckung.bezug_periode != deckung.periode:
        bezug += f" von {deckung.bezug_periode}"
    return f"{gebiete}, {anteil} {bezug}" if anteil else gebiete

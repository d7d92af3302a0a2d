"""Index gegen Ergebnisgrößen („Zusammenhang“): Wert je Klasse, Verhältnis, Rangkorrelation.

So hat Hagen seinen Sozialraumindex genutzt (weniger Gymnasialempfehlungen in belasteten
Quartieren) und Augsburg den Bildungsteilhabeindex (weniger Teilnahme am Ferienprogramm, wo die
Teilhabechancen schlechter waren).

* Wert je Klasse: mit Gewichten (z. B. der Bezugsbevölkerung) das gewichtete Mittel
  ``Σ g·x / Σ g``, sonst das einfache Mittel über die Gebiete der Klasse.
* Verhältnis: Wert in der ungünstigsten Klasse / Wert in der günstigsten Klasse. Ungünstig ist bei
  einem Benachteiligungsindex die oberste Klasse (höchster Score), bei einem Teilhabeindex die
  unterste.
* Spearmans Rangkorrelation zwischen Score und Ergebnisgröße über alle bewerteten Gebiete mit Wert.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from indices.berechnung import IndexErgebnis, WerteFn
from kommune.format import zahl
from kommune.formel import bezug_teile, naechste_periode
from kommune.laden import Kommune
from kommune.werte import neueste_periode, perioden_von, werte


@dataclass(frozen=True, eq=False)
class Zusammenhang:
    """``je_klasse`` (Index = Klassennummer): ``label``, ``gebiete``, ``wert``; ``streuung``
    (Index = Gebiets-ID): ``name``, ``score``, ``wert``, ``klasse``, ``klasse_label``."""

    indikator: str
    je_klasse: pd.DataFrame
    verhaeltnis: float
    spearman_rho: float
    p_wert: float
    n: int
    gewichtet: bool
    streuung: pd.DataFrame
    text: str


def zusammenhang(
    ergebnis: IndexErgebnis, ergebniswerte: pd.Series, gewichte: pd.Series | None = None, *, indikator: str = ""
) -> Zusammenhang:
    """Zusammenhang zwischen einem Index-Ergebnis und einer Ergebnisgröße (Werte je Gebiet)."""
    t = ergebnis.tabelle
    wert = ergebniswerte.reindex(t.index).astype(float)
    ok = t["bewertet"].to_numpy() & np.isfinite(wert.to_numpy())
    g = None
    if gewichte is not None:
        g = gewichte.reindex(t.index).astype(float).to_numpy()
        ok &= np.isfinite(g) & (g >= 0)
    streuung = pd.DataFrame(
        {
            "name": t["name"],
            "score": t["score"],
            "wert": wert,
            "klasse": t["klasse"],
            "klasse_label": t["klasse_label"],
        }
    )[ok]
    zeilen = []
    for code, label in zip(ergebnis.klassen_codes, ergebnis.klassen_labels, strict=True):
        in_klasse = ok & (t["klasse"] == code).fillna(False).to_numpy()
        x = wert.to_numpy()[in_klasse]
        if g is not None and g[in_klasse].sum() > 0:
            mittel = float(np.sum(x * g[in_klasse]) / np.sum(g[in_klasse]))
        else:
            mittel = float(np.mean(x)) if x.size else math.nan
        zeilen.append({"klasse": code, "label": label, "gebiete": int(in_klasse.sum()), "wert": mittel})
    je_klasse = pd.DataFrame(zeilen).set_index("klasse")
    besetzt = je_klasse[je_klasse["gebiete"] > 0]
    verhaeltnis = math.nan
    if len(besetzt) >= 2:
        ungunst, gunst = (
            (besetzt.iloc[-1], besetzt.iloc[0])
            if ergebnis.definition.familie == "benachteiligung"
            else (besetzt.iloc[0], besetzt.iloc[-1])
        )
        if gunst["wert"] and math.isfinite(gunst["wert"]):
            verhaeltnis = float(ungunst["wert"] / gunst["wert"])
        text_v = (
            f"In der Klasse „{ungunst['label']}“ liegt der Wert bei {zahl(ungunst['wert'], 1)}, "
            f"in „{gunst['label']}“ bei {zahl(gunst['wert'], 1)} (Verhältnis {zahl(verhaeltnis, 2)})."
        )
    else:
        text_v = "Für ein Verhältnis braucht es mindestens zwei besetzte Klassen."
    rho = p = math.nan
    if ok.sum() >= 3 and np.ptp(wert.to_numpy()[ok]) > 0:
        r = spearmanr(t["score"].to_numpy()[ok], wert.to_numpy()[ok])
        rho, p = float(r.statistic), float(r.pvalue)
    text = f"{text_v} Rangkorrelation (Spearman) über {int(ok.sum())} Gebiete: ρ = {zahl(rho, 2)}."
    return Zusammenhang(indikator, je_klasse, verhaeltnis, rho, p, int(ok.sum()), g is not None, streuung, text)


def zusammenhang_fuer(
    kommune: Kommune,
    ergebnis: IndexErgebnis,
    indikator: str,
    *,
    periode: str | None = None,
    werte_fn: WerteFn = werte,
) -> Zusammenhang:
    """Wie :func:`zusammenhang`, mit Werten aus der Kommune (gleiche Ebene wie das Ergebnis).

    Gewichte: der Gewichtsindikator des Katalogs (Spalte ``gewicht``, z. B. ``kinder_6_10`` oder eine
    Summenformel), sonst der Bevölkerungsindikator der Definition, sonst ungewichtet; aus der Periode, die
    der des Indikators am nächsten liegt. Periode: die jüngste bis ``periode`` (Standard: die Periode der
    Definition).
    """
    periode = periode or ergebnis.definition.periode
    p = neueste_periode(kommune, indikator, hoechstens=periode)
    if p is None:
        wert = pd.Series(np.nan, index=ergebnis.tabelle.index)
    else:
        wert = werte_fn(kommune, indikator, ergebnis.ebene, p)
    gewicht_id = ""
    if indikator in kommune.katalog.index:
        gewicht_id = str(kommune.katalog.loc[indikator, "gewicht"] or "")
    gewicht_id = gewicht_id or (ergebnis.definition.bevoelkerung_indikator or "")
    teile = bezug_teile(gewicht_id, kommune.katalog.index)
    gewichte = None
    if teile:
        perioden = set.intersection(*(set(perioden_von(kommune, i)) for _, i in teile))
        pg = naechste_periode(perioden, p or periode or "")
        if pg is not None:
            gewichte = sum(f * werte_fn(kommune, i, ergebnis.ebene, pg).astype(float) for f, i in teile)
            if not np.isfinite(gewichte.to_numpy(dtype=float)).any():
                gewichte = None
    return zusammenhang(ergebnis, wert, gewichte, indikator=indikator)

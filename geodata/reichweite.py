"""Reichweite eines Programms: Teilnahmequote je Wohngebiet und je Klasse eines Benachteiligungsmerkmals.

Rein (ohne Streamlit, ohne Geheimhaltungsmodul): Werte und Sperrmasken kommen als Argumente herein; die
geschützte Beschaffung macht `berichte.reichweite`.

* **Gebiet:** Teilnahmequote = Teilnehmende ÷ Zielbevölkerung × 100 (Teilnehmende gezählt am Wohnort, wie ein
  Statistikamt sie abgeschottet liefert). Gezeigt nur, wenn weder Teilnehmende noch Zielbevölkerung für die
  Rolle gesperrt sind und die Zielbevölkerung mindestens `mindestnenner` Personen zählt.
* **Klassen:** Die Gebiete mit (sichtbarem) Klassenmerkmal fallen nach Quantilen in `klassen_anzahl` Klassen
  (`pandas.qcut`; fallen Grenzen zusammen, gibt es weniger Klassen). Klasse 1 ist die am wenigsten, die letzte
  die am stärksten benachteiligte (`richtung`). Quote je Klasse = Summe der Teilnehmenden ÷ Summe der
  Zielbevölkerung der Klasse.

Regel der Geheimhaltung für Klassen (Aggregate über viele Gebiete):

1. In die Summen einer Klasse gehen alle ihre Gebiete ein, auch solche mit gesperrten Werten – außer wenn die
   Summe der gesperrten Werte der Klasse (Klassensumme minus sichtbare Gebiete) etwas verriete: bei **genau
   einem** gesperrten Gebiet (je Teilnehmende bzw. Zielbevölkerung) oder einer Summe über 0 und unter der
   Mindestfallzahl. Dann bleiben die gesperrten Gebiete der Klasse draußen (wie die Sekundärsperrung im
   Elterngebiet: erst ab zwei gesperrten Gebieten ist nur noch ihre Summe erkennbar). Dieselbe Prüfung gilt für
   den Rest (Gebiete ohne Klasse und die ausgelassenen), dessen Summe aus der Gesamtsumme folgt; verriete er
   etwas, zählen in allen Klassen nur die sichtbaren Gebiete.
2. Eine Klasse wird gesperrt, wenn ihre Teilnehmenden über 0, aber unter der Mindestfallzahl liegen oder ihre
   Zielbevölkerung unter dem Mindestnenner (Schwellen aus `[geheimhaltung]`, bei sensiblen Indikatoren die
   strengeren).
3. Gebiete ohne sichtbares Klassenmerkmal gehören zu keiner Klasse (ihre Klasse verriete etwas über den
   gesperrten Wert).

Verhältnis = Quote der am stärksten ÷ Quote der am wenigsten benachteiligten Klasse (leer, wenn eine gesperrt
oder 0 ist).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kommune.format import zahl

#: Spalten der Gebietstabelle
TEILNEHMENDE, ZIELGRUPPE, QUOTE = "Teilnehmende", "Zielbevölkerung", "Teilnahmequote (%)"
KLASSE, MERKMAL = "Klasse", "Klassenmerkmal"


@dataclass(frozen=True)
class ReichweiteErgebnis:
    """Ergebnis: Gebiete (Index = Gebiets-ID), Klassen (eine Zeile je Klasse), Verhältnis und Satz."""

    gebiete: pd.DataFrame
    klassen: pd.DataFrame
    verhaeltnis: float
    satz: str
    gesamtquote: float


def klassen_bilden(merkmal: pd.Series, anzahl: int = 5, richtung: int = 1) -> pd.Series:
    """Quantilklassen 1…k (1 = am wenigsten benachteiligt); NaN bleibt ohne Klasse (<NA>).

    `richtung` 1: hohe Werte = benachteiligt (höchste Werte in der letzten Klasse), −1: umgekehrt.
    """
    m = pd.to_numeric(merkmal, errors="coerce").astype(float)
    m = m.where(np.isfinite(m))
    ergebnis = pd.Series(pd.NA, index=m.index, dtype="Int64")
    gueltig = m.dropna()
    if gueltig.empty:
        return ergebnis
    werte = gueltig if richtung >= 0 else -gueltig
    k = min(int(anzahl), len(werte))
    if werte.nunique() == 1 or k < 2:
        ergebnis[gueltig.index] = 1
        return ergebnis
    klassen = pd.qcut(werte, k, labels=False, duplicates="drop")
    ergebnis[gueltig.index] = klassen.astype(int) + 1
    return ergebnis


def _quote(t: float, z: float) -> float:
    return 100.0 * t / z if z > 0 and not (math.isnan(t) or math.isnan(z)) else float("nan")


def reichweite(
    teilnehmende: pd.Series,
    zielgruppe: pd.Series,
    merkmal: pd.Series,
    *,
    teilnehmende_gesperrt: pd.Series | None = None,
    zielgruppe_gesperrt: pd.Series | None = None,
    klassen_anzahl: int = 5,
    richtung: int = 1,
    mindestfallzahl: int = 3,
    mindestnenner: int = 10,
    zielgruppe_name: str = "Zielbevölkerung",
    namen: pd.Series | None = None,
) -> ReichweiteErgebnis:
    """Teilnahmequote je Gebiet und je Klasse, Verhältnis und ein deutscher Satz (Regel im Modultext).

    `teilnehmende`/`zielgruppe`: Rohwerte (Anzahlen) je Gebiet; `*_gesperrt`: wahr = für die Rolle gesperrt
    (None = nichts gesperrt); `merkmal`: das für die Rolle sichtbare Klassenmerkmal (NaN = ohne Klasse).
    Spalten der Gebiete: Name, Teilnehmende, Zielbevölkerung, Teilnahmequote (%), Klassenmerkmal, Klasse (gesperrte
    Werte NaN). Klassen: Klasse, Bezeichnung, Gebiete, Teilnehmende, Zielbevölkerung, Teilnahmequote (%),
    gesperrt, Hinweis.
    """
    ids = teilnehmende.index.union(zielgruppe.index, sort=False).union(merkmal.index, sort=False)
    t = pd.to_numeric(teilnehmende, errors="coerce").astype(float).reindex(ids)
    z = pd.to_numeric(zielgruppe, errors="coerce").astype(float).reindex(ids)
    aus = pd.Series(False, index=ids)
    mt = aus if teilnehmende_gesperrt is None else teilnehmende_gesperrt.reindex(ids, fill_value=False).astype(bool)
    mz = aus if zielgruppe_gesperrt is None else zielgruppe_gesperrt.reindex(ids, fill_value=False).astype(bool)
    gesperrt = mt | mz
    m = pd.to_numeric(merkmal, errors="coerce").astype(float).reindex(ids)
    klasse = klassen_bilden(m, klassen_anzahl, richtung)

    sichtbar_t, sichtbar_z = t.mask(mt), z.mask(mz)
    quote = 100 * sichtbar_t / sichtbar_z.where(sichtbar_z >= max(mindestnenner, 1))
    gebiete = pd.DataFrame(
        {
            "Name": namen.reindex(ids) if namen is not None else pd.Series(ids, index=ids),
            TEILNEHMENDE: sichtbar_t,
            ZIELGRUPPE: sichtbar_z,
            QUOTE: quote,
            MERKMAL: m,
            KLASSE: klasse,
        },
        index=ids,
    )

    n_klassen = int(klasse.max()) if klasse.notna().any() else 0
    mit_werten = t.notna() & z.notna()

    def sicher(gruppe: pd.Series) -> bool:
        """Verrät die Summe der gesperrten Werte dieser Gruppe nichts? (keiner, oder ≥ 2 mit Summe 0 oder ≥ Schwelle)"""
        for werte, maske in ((t, mt), (z, mz)):
            zu = gruppe & maske
            n, summe = int(zu.sum()), float(werte[zu].sum())
            if n == 1 or (n >= 2 and 0 < summe < mindestfallzahl):
                return False
        return True

    gruppen = {}
    for k in range(1, n_klassen + 1):
        drin = (klasse == k).fillna(False).astype(bool) & mit_werten
        gruppen[k] = drin if sicher(drin) else drin & ~gesperrt
    rest = mit_werten & ~pd.concat(list(gruppen.values()), axis=1).any(axis=1) if gruppen else mit_werten
    nur_sichtbar = not sicher(rest)  # Rest = Gesamtsumme minus Klassen: auch er darf nichts verraten
    if nur_sichtbar:
        gruppen = {k: g & ~gesperrt for k, g in gruppen.items()}
    zeilen = []
    for k in range(1, n_klassen + 1):
        drin = (klasse == k).fillna(False).astype(bool)
        mit_wert = gruppen[k]
        ohne = int((drin & mit_werten & gesperrt & ~mit_wert).sum())
        hinweis = ""
        if ohne:
            grund = "sonst rückrechenbar" if not nur_sichtbar else "sonst über die Gesamtsumme rückrechenbar"
            hinweis = f"ohne {ohne} gesperrte{'s' if ohne == 1 else ''} Gebiet{'' if ohne == 1 else 'e'} ({grund})"
        ts, zs = float(t[mit_wert].sum()), float(z[mit_wert].sum())
        zu_klein = (0 < ts < mindestfallzahl) or zs < max(mindestnenner, 1)
        if zu_klein:
            hinweis = "gesperrt: zu kleine Fallzahl"
        zeilen.append(
            {
                KLASSE: k,
                "Bezeichnung": klassen_bezeichnung(k, n_klassen),
                "Gebiete": int(drin.sum()),
                TEILNEHMENDE: float("nan") if zu_klein else ts,
                ZIELGRUPPE: float("nan") if zu_klein else zs,
                QUOTE: float("nan") if zu_klein else _quote(ts, zs),
                "gesperrt": zu_klein,
                "Hinweis": hinweis,
            }
        )
    klassen = pd.DataFrame(
        zeilen, columns=[KLASSE, "Bezeichnung", "Gebiete", TEILNEHMENDE, ZIELGRUPPE, QUOTE, "gesperrt", "Hinweis"]
    )
    verhaeltnis = float("nan")
    if n_klassen >= 2:
        oben, unten = float(klassen[QUOTE].iloc[-1]), float(klassen[QUOTE].iloc[0])
        if not (math.isnan(oben) or math.isnan(unten)) and unten > 0:
            verhaeltnis = oben / unten
    alle = t.notna() & z.notna()
    gesamt = _quote(float(t[alle].sum()), float(z[alle].sum())) if alle.any() else float("nan")
    satz = verhaeltnis_satz(klassen, verhaeltnis, zielgruppe_name, int(klasse.isna().sum()))
    return ReichweiteErgebnis(gebiete, klassen, verhaeltnis, satz, gesamt)


def klassen_bezeichnung(k: int, n: int) -> str:
    """„Klasse 1 (am wenigsten benachteiligt)“, „Klasse 3“, „Klasse 5 (am stärksten benachteiligt)“."""
    if n >= 2 and k == 1:
        return "Klasse 1 (am wenigsten benachteiligt)"
    if n >= 2 and k == n:
        return f"Klasse {k} (am stärksten benachteiligt)"
    return f"Klasse {k}"


def verhaeltnis_satz(klassen: pd.DataFrame, verhaeltnis: float, zielgruppe_name: str, ohne_klasse: int = 0) -> str:
    """Der deutsche Satz zum Verhältnis der am stärksten zur am wenigsten benachteiligten Klasse."""
    if len(klassen) < 2:
        return "Für einen Vergleich der Klassen gibt es zu wenige Gebiete mit Klassenmerkmal."
    unten, oben = klassen.iloc[0], klassen.iloc[-1]
    if math.isnan(verhaeltnis):
        if bool(unten["gesperrt"]) or bool(oben["gesperrt"]):
            return "Das Verhältnis der Klassen ist gesperrt (zu kleine Fallzahl in einer der beiden Randklassen)."
        return "Das Verhältnis der Klassen lässt sich nicht bilden (keine Teilnehmenden in der Vergleichsklasse)."
    satz = (
        f"In der am stärksten benachteiligten Klasse nahmen {zahl(oben[QUOTE], 1)} % der {zielgruppe_name} teil, "
        f"in der am wenigsten benachteiligten {zahl(unten[QUOTE], 1)} % – das {zahl(verhaeltnis, 2)}-Fache."
    )
    if verhaeltnis < 1:
        satz += " Das Programm erreicht benachteiligte Gebiete schlechter."
    elif verhaeltnis > 1:
        satz += " Das Programm erreicht benachteiligte Gebiete besser."
    if ohne_klasse:
        gebiete = (
            "1 Gebiet ohne Klassenmerkmal zählt"
            if ohne_klasse == 1
            else f"{ohne_klasse} Gebiete ohne Klassenmerkmal zählen"
        )
        satz += f" {gebiete} in keiner Klasse."
    return satz

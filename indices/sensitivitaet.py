"""Sensitivitätsanalyse nach der Praxis des OECD/JRC-Handbuchs (Composite Indicators, 2008).

Drei Arten von Unsicherheit werden durchgespielt, immer auf denselben (bewerteten) Gebieten wie die
Basisrechnung:

1. **Monte-Carlo-Gewichte**: ``n`` Ziehungen, jedes Gewicht wird unabhängig mit einem Faktor aus
   der Gleichverteilung ``[1 − spanne, 1 + spanne]`` multipliziert und danach neu normiert (Seed
   fest, also reproduzierbar). Alle Ziehungen werden als ein Matrixprodukt gerechnet.
2. **Ein Indikator weniger** (leave-one-out): jeder Indikator wird einmal weggelassen.
3. **Andere Standardisierung**: jede der übrigen Standardisierungen (z, Min-Max, Rang, robust z).

Je Gebiet: Median-Rang und Rangintervall (5. und 95. Perzentil) über die Ziehungen,
Wahrscheinlichkeit eines Klassenwechsels gegenüber der Basis (Anteil der Ziehungen mit anderer
Klasse) und die Zahl der Szenarien (2. und 3.) mit anderer Klasse. **Nicht robust** ist ein Gebiet,
dessen Klassenwechsel-Wahrscheinlichkeit die Schwelle (Standard 10 %) übersteigt.

Klassengrenzen je Ziehung: bei ``sd``, ``quantile`` und ``equal_interval`` neu aus den Scores der
Ziehung (wie in der Basisrechnung); bei ``breaks`` und ``fisher_jenks`` bleiben die Grenzen der
Basisrechnung fest (eigene Grenzen sind gewollt fest; Fisher-Jenks je Ziehung wäre zu teuer).
Ränge innerhalb einer Ziehung: 1 = höchster Score, Bindungen in Zeilenreihenfolge.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indices.berechnung import Eingaben, bewertung, kern
from indices.definition import STANDARDISIERUNGEN, IndexDefinition
from indices.gewichtung import aggregieren, gewichte_normieren, restandardisieren
from indices.klassierung import klassieren


@dataclass(frozen=True, eq=False)
class Sensitivitaet:
    """Ergebnis der Sensitivitätsanalyse (nur bewertete Gebiete).

    ``tabelle``: ``name``, ``basis_score``, ``basis_rang``, ``basis_klasse``, ``basis_label``,
    ``median_rang``, ``rang_p05``, ``rang_p95``, ``rang_spanne``, ``p_klassenwechsel`` (0–1),
    ``szenario_klassenwechsel`` (Anzahl), ``robust`` (bool).
    ``szenario_raenge`` / ``szenario_klassen``: Rang bzw. Klasse je Szenario (Spalten wie
    „ohne S3“, „Standardisierung: rang“); ``nicht_robust``: die nicht robusten Gebiete,
    nach Klassenwechsel-Wahrscheinlichkeit absteigend.
    """

    tabelle: pd.DataFrame
    szenario_raenge: pd.DataFrame
    szenario_klassen: pd.DataFrame
    nicht_robust: pd.DataFrame
    n_ziehungen: int
    spanne: float
    seed: int
    schwelle: float
    beschreibung: str


def _raenge(s: np.ndarray) -> np.ndarray:
    """Ordinale Ränge je Spalte (1 = höchster Wert)."""
    m = s.shape[0]
    reihenfolge = np.argsort(-s, axis=0, kind="stable")
    raenge = np.empty_like(reihenfolge)
    np.put_along_axis(raenge, reihenfolge, np.arange(1, m + 1)[:, None].repeat(s.shape[1], axis=1), axis=0)
    return raenge


def _grenzen_je_spalte(s: np.ndarray, definition: IndexDefinition, basis_grenzen: tuple[float, ...]) -> np.ndarray:
    """Innere Klassengrenzen je Ziehung: (g, n_ziehungen)."""
    kl = definition.klassierung
    n = s.shape[1]
    if kl.methode == "sd":
        mittel = s.mean(axis=0)
        sd = s.std(axis=0, ddof=1) if s.shape[0] > 1 else np.zeros(n)
        return mittel[None, :] + np.array(kl.schwellen)[:, None] * sd[None, :]
    if kl.methode == "quantile":
        w = 100.0 / kl.k
        p = np.arange(w, 100 + w, w)[: kl.k]
        p[-1] = min(p[-1], 100.0)
        return np.percentile(s, p[:-1], axis=0)
    if kl.methode == "equal_interval":
        lo, hi = s.min(axis=0), s.max(axis=0)
        stufen = np.arange(1, kl.k)[:, None] / kl.k
        return lo[None, :] + stufen * (hi - lo)[None, :]
    return np.repeat(np.asarray(basis_grenzen, dtype=float)[:, None], n, axis=1)


def sensitivitaet(
    eingaben: Eingaben,
    definition: IndexDefinition,
    *,
    n: int = 1000,
    spanne: float = 0.2,
    seed: int = 0,
    leave_one_out: bool = True,
    standardisierungen: bool = True,
    schwelle: float = 0.1,
) -> Sensitivitaet:
    """Monte-Carlo-Gewichte (±``spanne``, ``n`` Ziehungen), leave-one-out und andere Standardisierungen."""
    x, bewertet, _ = bewertung(eingaben, definition)
    y_roh = x[bewertet]
    ids_gebiete = eingaben.ids[bewertet]
    y, w, _, c, s_basis = kern(y_roh, definition)
    basis = klassieren(s_basis, definition.klassierung)
    codes = np.array(basis.codes, dtype=float)
    m = y_roh.shape[0]

    spalten_leer = pd.DataFrame(index=ids_gebiete)
    if m == 0:
        leer = pd.DataFrame(
            columns=[
                "name", "basis_score", "basis_rang", "basis_klasse", "basis_label", "median_rang", "rang_p05",
                "rang_p95", "rang_spanne", "p_klassenwechsel", "szenario_klassenwechsel", "robust",
            ]
        )  # fmt: skip
        return Sensitivitaet(leer, spalten_leer, spalten_leer, leer, n, spanne, seed, schwelle, "Kein Gebiet bewertet.")

    # 1. Monte Carlo: alle Ziehungen als ein Matrixprodukt
    rng = np.random.default_rng(seed)
    faktoren = rng.uniform(1.0 - spanne, 1.0 + spanne, size=(n, len(w)))
    gewichte = gewichte_normieren(w[None, :] * faktoren)  # (n, k)
    s = aggregieren(y, gewichte.T, definition.aggregation, c)  # (m, n)
    if definition.restandardisieren:
        s = restandardisieren(s)
    raenge = _raenge(s)
    position = np.minimum(
        (s[:, :, None] > _grenzen_je_spalte(s, definition, basis.grenzen).T[None, :, :]).sum(axis=-1),
        len(codes) - 1,
    )
    p_wechsel = (position != basis.position[:, None]).mean(axis=1)
    p05, p50, p95 = np.percentile(raenge, [5, 50, 95], axis=1)

    # 2./3. Szenarien
    szen_raenge: dict[str, np.ndarray] = {}
    szen_klassen: dict[str, np.ndarray] = {}

    def szenario(name: str, matrix: np.ndarray, d: IndexDefinition) -> None:
        s_szen = kern(matrix, d)[4]
        szen_raenge[name] = _raenge(s_szen[:, None])[:, 0]
        szen_klassen[name] = klassieren(s_szen, d.klassierung).code

    if leave_one_out and len(definition.indikatoren) > 1:
        for j, e in enumerate(definition.indikatoren):
            rest = tuple(f for i, f in enumerate(definition.indikatoren) if i != j)
            if definition.gewichtung == "manuell" and sum(f.gewicht for f in rest) <= 0:
                continue
            szenario(f"ohne {e.id}", np.delete(y_roh, j, axis=1), definition.mit(indikatoren=rest))
    if standardisierungen:
        for methode in STANDARDISIERUNGEN:
            if methode != definition.standardisierung:
                szenario(f"Standardisierung: {methode}", y_roh, definition.mit(standardisierung=methode))

    szen_r = pd.DataFrame(szen_raenge, index=ids_gebiete)
    szen_k = pd.DataFrame(szen_klassen, index=ids_gebiete).astype("Int64")
    basis_code = basis.code
    szenario_wechsel = (szen_k.to_numpy(dtype=float) != basis_code[:, None]).sum(axis=1) if len(szen_k.columns) else 0
    tabelle = pd.DataFrame(
        {
            "name": eingaben.namen.reindex(ids_gebiete).to_numpy(dtype=object),
            "basis_score": s_basis,
            "basis_rang": _raenge(s_basis[:, None])[:, 0],
            "basis_klasse": pd.array(basis_code, dtype="Int64"),
            "basis_label": basis.label,
            "median_rang": p50,
            "rang_p05": p05,
            "rang_p95": p95,
            "rang_spanne": p95 - p05,
            "p_klassenwechsel": p_wechsel,
            "szenario_klassenwechsel": szenario_wechsel,
            "robust": p_wechsel <= schwelle,
        },
        index=ids_gebiete,
    )
    nicht_robust = tabelle[~tabelle["robust"]].sort_values(["p_klassenwechsel", "basis_rang"], ascending=[False, True])
    beschreibung = (
        f"{n} Ziehungen, jedes Gewicht zufällig um bis zu ±{round(spanne * 100)} % verändert (Seed {seed}); "
        f"nicht robust: Klassenwechsel in mehr als {round(schwelle * 100)} % der Ziehungen."
    )
    return Sensitivitaet(tabelle, szen_r, szen_k, nicht_robust, n, spanne, seed, schwelle, beschreibung)

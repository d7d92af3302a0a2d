"""Standardisierung der Indikatoren – immer nur über die bewerteten Gebiete.

Alle Funktionen erhalten eine Matrix ``x`` (Gebiete × Indikatoren) ohne fehlende Werte, die bereits
in Score-Richtung gedreht ist (siehe :attr:`IndexDefinition.vorzeichen`), und geben eine gleich
große Matrix zurück. Ein über alle bewerteten Gebiete konstanter Indikator erhält überall den
neutralen Wert (z: 0, Min-Max: 0,5, Rang: 50) und trägt so nichts zur Reihung bei.

* ``z``: (x − Mittelwert) / Standardabweichung (Stichproben-SD, ddof = 1, wie SPSS und das MSS).
* ``minmax``: (x − Min) / (Max − Min), Bereich 0 bis 1.
* ``rang``: Perzentilrang 0 bis 100, (Rang − 1) / (n − 1) · 100, Bindungen erhalten den mittleren Rang.
* ``robust_z``: (x − Median) / (1,4826 · MAD); ist der MAD 0, ersatzweise
  (x − Median) / (1,2533 · mittlere absolute Abweichung vom Median).
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

from indices.definition import STANDARDISIERUNGEN, DefinitionFehler

MAD_FAKTOR = 1.4826
MEANAD_FAKTOR = 1.2533


def _z(x: np.ndarray) -> np.ndarray:
    n = x.shape[0]
    mittel = x.mean(axis=0)
    sd = x.std(axis=0, ddof=1) if n > 1 else np.zeros(x.shape[1])
    sd = np.where(sd > 1e-12 * np.maximum(1.0, np.abs(mittel)), sd, np.inf)
    return (x - mittel) / sd


def _minmax(x: np.ndarray) -> np.ndarray:
    lo, hi = x.min(axis=0), x.max(axis=0)
    spanne = hi - lo
    ok = spanne > 1e-12 * np.maximum(1.0, np.abs(hi))
    return np.where(ok, (x - lo) / np.where(ok, spanne, 1.0), 0.5)


def _rang(x: np.ndarray) -> np.ndarray:
    n = x.shape[0]
    if n == 1:
        return np.full_like(x, 50.0, dtype=float)
    return (rankdata(x, method="average", axis=0) - 1.0) / (n - 1) * 100.0


def _robust_z(x: np.ndarray) -> np.ndarray:
    median = np.median(x, axis=0)
    abweichung = np.abs(x - median)
    mad = MAD_FAKTOR * np.median(abweichung, axis=0)
    ersatz = MEANAD_FAKTOR * abweichung.mean(axis=0)
    skala = np.where(mad > 1e-12, mad, np.where(ersatz > 1e-12, ersatz, np.inf))
    return (x - median) / skala


_FUNKTIONEN = {"z": _z, "minmax": _minmax, "rang": _rang, "robust_z": _robust_z}


def standardisieren(x: np.ndarray, methode: str) -> np.ndarray:
    """Spaltenweise standardisieren (Zeilen = bewertete Gebiete, keine NaN)."""
    if methode not in _FUNKTIONEN:
        raise DefinitionFehler(
            f"Die Standardisierung „{methode}“ ist unbekannt (erlaubt: {', '.join(STANDARDISIERUNGEN)})."
        )
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError("standardisieren erwartet eine Matrix (Gebiete × Indikatoren).")
    if x.shape[0] == 0:
        return x.copy()
    return _FUNKTIONEN[methode](x)


def konstante_spalten(x: np.ndarray) -> np.ndarray:
    """Maske der Spalten, die über alle Zeilen (nahezu) konstant sind."""
    if x.shape[0] == 0:
        return np.zeros(x.shape[1], dtype=bool)
    spanne = x.max(axis=0) - x.min(axis=0)
    return spanne <= 1e-12 * np.maximum(1.0, np.abs(x).max(axis=0))


def skala_text(methode: str, restandardisiert: bool, aggregation: str = "arithmetisch") -> str:
    """Wie der Score zu lesen ist (Skala), für Tabellenköpfe und Export."""
    if restandardisiert:
        return "z-Wert des Index: 0 = Mittel der bewerteten Gebiete, 1 = eine Standardabweichung"
    mittel = "gewichtetes Mittel" if aggregation == "arithmetisch" else "gewichtetes geometrisches Mittel"
    return {
        "z": f"{mittel} der z-Werte (0 ≈ Durchschnitt der bewerteten Gebiete)",
        "minmax": f"{mittel} der Min-Max-Werte (0 bis 1)",
        "rang": f"{mittel} der Perzentilränge (0 bis 100)",
        "robust_z": f"{mittel} der robusten z-Werte (0 ≈ Median der bewerteten Gebiete)",
    }[methode]

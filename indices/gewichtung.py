"""Gewichte (normiert, gleich oder aus einer Hauptkomponentenanalyse) und Aggregation.

**Gewichte** sind nicht negativ und werden auf die Summe 1 normiert; „gleich“ gibt jedem Indikator
1/k. **PCA-Gewichte** folgen der verbreiteten Praxis des OECD/JRC-Handbuchs für den Fall einer
dominanten Komponente: Hauptkomponentenanalyse (scikit-learn) auf den z-standardisierten,
in Score-Richtung gedrehten Indikatoren der bewerteten Gebiete (also auf der Korrelationsmatrix);
Gewicht = quadrierte Ladung des Indikators auf der ersten Hauptkomponente (die Quadrate eines
Einheitsvektors summieren sich zu 1). Zurückgegeben wird auch der Anteil erklärter Varianz je
Komponente – erklärt die erste Komponente wenig, sind PCA-Gewichte kaum belastbar.

**Aggregation**

* arithmetisch: ``score = Σ w_k · y_k`` (voll kompensatorisch).
* geometrisch: Der geometrische Mittelwert braucht positive Werte, standardisierte Werte sind aber
  oft negativ (z) oder 0 (Min-Max, Rang). Daher wird die ganze Matrix um eine gemeinsame
  Konstante ``c = 1 − min(y)`` (Minimum über alle bewerteten Gebiete und Indikatoren) verschoben,
  so dass der kleinste Wert 1 ist; ``score = exp(Σ w_k · ln(y_k + c)) − c``. Die gemeinsame
  Verschiebung lässt die Abstände zwischen den Indikatoren unverändert, das Zurückschieben um ``c``
  hält den Score auf der Skala der Standardisierung. Schwächen in einem Indikator lassen sich so
  nur teilweise durch Stärken in einem anderen ausgleichen (teilkompensatorisch).
* Re-Standardisierung (optional): der Score wird erneut z-standardisiert (ddof = 1).
"""

from __future__ import annotations

import numpy as np

from indices.standardisierung import standardisieren


def gewichte_normieren(gewichte: np.ndarray) -> np.ndarray:
    """Nicht negative Gewichte auf die Summe 1 bringen (alle 0 → gleiche Gewichte)."""
    w = np.clip(np.asarray(gewichte, dtype=float), 0.0, None)
    summe = w.sum(axis=-1, keepdims=True)
    gleich = np.full_like(w, 1.0 / w.shape[-1])
    return np.where(summe > 0, w / np.where(summe > 0, summe, 1.0), gleich)


def pca_gewichte(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gewichte aus der ersten Hauptkomponente und die erklärte Varianz je Komponente.

    ``y``: bewertete Gebiete × Indikatoren (in Score-Richtung). Bei weniger als 3 Gebieten oder
    nur einem Indikator gibt es keine PCA: gleiche Gewichte und eine leere Varianzliste.
    """
    from sklearn.decomposition import PCA

    n, k = y.shape
    if n < 3 or k < 2:
        return np.full(k, 1.0 / k), np.array([])
    z = standardisieren(y, "z")
    pca = PCA(n_components=min(n, k), svd_solver="full").fit(z)
    ladung = pca.components_[0]
    w = ladung**2
    return w / w.sum(), pca.explained_variance_ratio_.copy()


def verschiebung(y: np.ndarray) -> float:
    """Die Konstante c, die den kleinsten Wert der Matrix auf 1 schiebt (für das geometrische Mittel)."""
    return float(1.0 - np.min(y)) if y.size else 0.0


def aggregieren(y: np.ndarray, w: np.ndarray, methode: str = "arithmetisch", c: float | None = None) -> np.ndarray:
    """Gewichtetes Mittel je Zeile. ``w`` (k,) oder (k, m) für m Gewichtsvektoren auf einmal.

    Ergebnis (n,) bzw. (n, m).
    """
    if methode == "arithmetisch":
        return y @ w
    if c is None:
        c = verschiebung(y)
    return np.exp(np.log(y + c) @ w) - c


def restandardisieren(s: np.ndarray) -> np.ndarray:
    """Score spaltenweise erneut z-standardisieren (ddof = 1); konstante Scores werden 0."""
    if s.shape[0] < 2:
        return np.zeros_like(s)
    mittel = s.mean(axis=0)
    sd = s.std(axis=0, ddof=1)
    sd = np.where(sd > 1e-12, sd, np.inf)
    return (s - mittel) / sd

"""Klassen des Index-Scores (mapclassify) mit Namen, z. B. MSS „hoch/mittel/niedrig/sehr niedrig“.

Innere Klassengrenzen ``b_1 < … < b_{m−1}``; ein Wert x fällt in Klasse ``#{b_i < x}`` (eine Grenze
gehört zur unteren Klasse, wie bei ``mapclassify.UserDefined``, das die Zuordnung vornimmt).

* ``sd``: ``b_i = Mittelwert + Schwelle_i · Standardabweichung`` (ddof = 1) der bewerteten Scores.
* ``breaks``: ``b_i = Schwelle_i``.
* ``quantile``, ``equal_interval``: Grenzen von ``mapclassify.Quantiles`` bzw. ``EqualInterval``.
* ``fisher_jenks``: exakte Fisher-Jenks-Optimierung (kleinste Summe der quadrierten Abweichungen
  innerhalb der Klassen) als vektorisierte dynamische Programmierung, dieselben Grenzen wie
  ``mapclassify.FisherJenks``, aber in Millisekunden. Bei mehr als 1.000 Gebieten wird auf
  1.000 gleichmäßig verteilten Quantilen der Werte optimiert (deterministisch).

Nicht bewertete Gebiete (NaN) erhalten keine Klasse (Position −1, Name „nicht bewertet“).
Fallen Grenzen zusammen (viele gleiche Werte), gibt es weniger Klassen; dann werden neutrale Namen
verwendet und ein Hinweis erzeugt.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass

import numpy as np

from indices.definition import Klassierung
from kommune.format import zahl

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import mapclassify

NICHT_BEWERTET = "nicht bewertet"
JENKS_HOECHSTENS = 1000


@dataclass(frozen=True)
class Klassen:
    """Ergebnis der Klassierung. ``position``: 0…m−1 je Gebiet, −1 = nicht bewertet."""

    position: np.ndarray
    codes: tuple[int, ...]
    labels: tuple[str, ...]
    grenzen: tuple[float, ...]
    hinweise: tuple[str, ...] = ()

    @property
    def code(self) -> np.ndarray:
        """Klassennummer je Gebiet als float (NaN = nicht bewertet)."""
        tabelle = np.array([*self.codes, np.nan], dtype=float)
        return tabelle[self.position]

    @property
    def label(self) -> np.ndarray:
        """Klassenname je Gebiet (``nicht bewertet`` ohne Klasse)."""
        tabelle = np.array([*self.labels, NICHT_BEWERTET], dtype=object)
        return tabelle[self.position]


def fisher_jenks_grenzen(y: np.ndarray, k: int) -> np.ndarray:
    """Innere Fisher-Jenks-Grenzen (Obergrenzen der Klassen 1…k−1)."""
    v = np.sort(np.asarray(y, dtype=float))
    if v.size > JENKS_HOECHSTENS:
        v = np.quantile(v, np.linspace(0.0, 1.0, JENKS_HOECHSTENS))
    k = min(k, np.unique(v).size)
    n = v.size
    if k < 2:
        return np.array([])
    s1 = np.concatenate([[0.0], np.cumsum(v)])
    s2 = np.concatenate([[0.0], np.cumsum(v * v)])
    i = np.arange(n)[:, None]
    j = np.arange(n)[None, :]
    anzahl = (j - i + 1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        kosten = s2[j + 1] - s2[i] - (s1[j + 1] - s1[i]) ** 2 / anzahl
    kosten = np.where(j >= i, np.maximum(kosten, 0.0), np.inf)
    d = kosten[0].copy()
    zurueck = []
    for _ in range(1, k):
        vorher = np.concatenate([[np.inf], d[:-1]])  # Klasse davor endet bei i−1
        gesamt = vorher[:, None] + kosten
        arg = np.argmin(gesamt, axis=0)
        d = gesamt[arg, np.arange(n)]
        zurueck.append(arg)
    grenzen = []
    ende = n - 1
    for arg in reversed(zurueck):
        anfang = int(arg[ende])
        grenzen.append(v[anfang - 1])
        ende = anfang - 1
    return np.array(sorted(grenzen))


def innere_grenzen(y: np.ndarray, klassierung: Klassierung) -> np.ndarray:
    """Die inneren Klassengrenzen für die bewerteten Scores ``y`` (ohne NaN)."""
    m = klassierung.methode
    if m == "breaks":
        return np.array(klassierung.schwellen, dtype=float)
    if y.size == 0 or np.ptp(y) == 0:
        return np.array([])  # alle Scores gleich: eine Klasse
    if m == "sd":
        sd = float(np.std(y, ddof=1)) if y.size > 1 else 0.0
        return float(np.mean(y)) + np.array(klassierung.schwellen) * sd
    if m == "fisher_jenks":
        return fisher_jenks_grenzen(y, klassierung.k)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if m == "quantile":
            bins = mapclassify.Quantiles(y, k=klassierung.k).bins
        else:
            bins = mapclassify.EqualInterval(y, k=klassierung.k).bins
    return np.asarray(bins[:-1], dtype=float)


def _spanne(a: float, b: float, stellen: int) -> str:
    return f"{zahl(a, stellen)} bis {zahl(b, stellen)}"


def standard_labels(klassierung: Klassierung, grenzen: np.ndarray, y: np.ndarray) -> tuple[str, ...]:
    """Neutrale Klassennamen aus den Grenzen (deutsches Zahlformat)."""
    if klassierung.methode == "sd" and len(grenzen) == len(klassierung.schwellen):
        s = [zahl(t, 1) for t in klassierung.schwellen]
        mitte = [f"{a} bis {b} SD" for a, b in itertools.pairwise(s)]
        return (f"unter {s[0]} SD", *mitte, f"über {s[-1]} SD")
    if len(grenzen) == 0:
        return ("alle bewerteten Gebiete",)
    lo = float(np.min(y)) if y.size else float(grenzen[0])
    hi = float(np.max(y)) if y.size else float(grenzen[-1])
    spanne = max(abs(hi - lo), 1e-9)
    stellen = int(min(4, max(0, 2 - np.floor(np.log10(spanne)))))
    teile = [min(lo, grenzen[0]), *grenzen, max(hi, grenzen[-1])]
    labels = [_spanne(teile[0], teile[1], stellen)]
    labels += [f"über {_spanne(a, b, stellen)}" for a, b in itertools.pairwise(teile[1:])]
    return tuple(labels)


def klassieren(score: np.ndarray, klassierung: Klassierung) -> Klassen:
    """Scores (NaN = nicht bewertet) in Klassen einteilen."""
    score = np.asarray(score, dtype=float)
    ok = np.isfinite(score)
    y = score[ok]
    grenzen = np.unique(innere_grenzen(y, klassierung))
    hinweise: list[str] = []
    position = np.full(score.shape, -1, dtype=np.int64)
    if y.size:
        if grenzen.size:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                position[ok] = mapclassify.UserDefined(y, bins=list(grenzen)).yb
        else:
            position[ok] = 0
    anzahl = grenzen.size + 1
    if y.size == 0:
        codes = klassierung.klassen_codes
        labels = klassierung.labels or tuple(f"Klasse {c}" for c in codes)
    elif anzahl == klassierung.anzahl:
        codes = klassierung.klassen_codes
        labels = klassierung.labels or standard_labels(klassierung, grenzen, y)
    else:
        codes = tuple(range(1, anzahl + 1))
        labels = standard_labels(klassierung, grenzen, y)
        hinweise.append(
            f"Wegen gleicher Werte gibt es nur {anzahl} statt {klassierung.anzahl} Klassen; "
            "die Klassennamen der Definition werden nicht verwendet."
        )
    return Klassen(position, tuple(codes), tuple(labels), tuple(float(g) for g in grenzen), tuple(hinweise))


def klassen_zuordnen(score: np.ndarray, grenzen: np.ndarray) -> np.ndarray:
    """Vektorisiert für viele Score-Spalten: Position = Zahl der Grenzen unter dem Wert.

    ``score`` (n, m), ``grenzen`` (g,) oder (g, m) – gleiche Regel wie ``mapclassify.UserDefined``.
    """
    g = np.asarray(grenzen, dtype=float)
    if g.ndim == 1:
        return (score[..., None] > g).sum(axis=-1)
    return (score[:, :, None] > g.T[None, :, :]).sum(axis=-1)

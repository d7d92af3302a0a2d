"""Redundanzprüfung: Korrelationen der gewählten Indikatoren und Warnungen vor Doppelzählung."""

from __future__ import annotations

import numpy as np
import pandas as pd

from indices.berechnung import Eingaben, bewertung
from indices.definition import IndexDefinition
from kommune.format import zahl


def korrelationsmatrix(werte: pd.DataFrame, methode: str = "pearson") -> pd.DataFrame:
    """Korrelationen der Spalten über die Zeilen mit vollständigen Werten (``pearson`` oder ``spearman``)."""
    return werte.dropna().corr(method=methode)


def redundanz_warnungen(korrelation: pd.DataFrame, schwelle: float = 0.8) -> list[str]:
    """Deutsche Warnungen für jedes Paar mit |r| ≥ ``schwelle``, stärkste zuerst.

    Die Korrelationen sollten auf den in Score-Richtung gedrehten Werten beruhen (wie in
    :func:`redundanz_pruefen`): Ein hohes positives r heißt Doppelzählung, ein hohes negatives r,
    dass sich die beiden Indikatoren im Index weitgehend aufheben.
    """
    ids = list(korrelation.columns)
    paare = []
    for a in range(len(ids)):
        for b in range(a + 1, len(ids)):
            r = float(korrelation.iloc[a, b])
            if np.isfinite(r) and abs(r) >= schwelle:
                paare.append((abs(r), ids[a], ids[b], r))
    warnungen = []
    for _, i, j, r in sorted(paare, key=lambda p: -p[0]):
        r_text = zahl(r, 2).replace("-", "−")
        if r > 0:
            warnungen.append(
                f"{j} und {i} korrelieren mit r = {r_text} – sie messen vermutlich dasselbe und zählen doppelt."
            )
        else:
            warnungen.append(
                f"{j} und {i} korrelieren mit r = {r_text} – in Score-Richtung heben sie sich weitgehend auf."
            )
    return warnungen


def redundanz_pruefen(
    eingaben: Eingaben, definition: IndexDefinition, schwelle: float = 0.8, methode: str = "pearson"
) -> tuple[pd.DataFrame, list[str]]:
    """Korrelationsmatrix der Indikatoren einer Definition (bewertete Gebiete, in Score-Richtung) und Warnungen."""
    x, bewertet, _ = bewertung(eingaben, definition)
    gedreht = x[bewertet] * np.array(definition.vorzeichen, dtype=float)
    df = pd.DataFrame(gedreht, columns=list(definition.indikator_ids))
    korr = korrelationsmatrix(df, methode)
    return korr, redundanz_warnungen(korr, schwelle)

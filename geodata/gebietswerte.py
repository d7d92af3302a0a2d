"""Werte eines Indikators auf jeder Ebene: verschachtelt exakt aggregiert, Einzugsbereiche umgerechnet."""

from __future__ import annotations

import pandas as pd

from geodata.interpolation import werte_auf_einzugsbereich
from kommune.laden import Kommune


def gebietswerte(kommune: Kommune, indikator: str, schicht_id: str, periode: str, methode: str = "area") -> pd.Series:
    """Wie `kommune.werte.werte`, aber auch für Einzugsbereiche (Flächenumrechnung, `methode` area|dasymetric)."""
    return werte_auf_einzugsbereich(kommune, indikator, schicht_id, periode, methode)

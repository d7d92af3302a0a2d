"""Tabellen für die Anzeige: Zahlen im deutschen Format (1.234,5) als Text, Spaltenreihenfolge bleibt."""

from __future__ import annotations

import pandas as pd

from kommune.format import zahl


def tabelle_deutsch(df: pd.DataFrame, stellen: int = 1, ganzzahlig: tuple[str, ...] = ()) -> pd.DataFrame:
    """Zahlenspalten als deutsch formatierten Text (Ganzzahlen ohne, Kommazahlen mit `stellen` Stellen)."""
    aus = df.copy()
    for spalte in aus.columns:
        s = aus[spalte]
        if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
            continue
        ganz = (
            spalte in ganzzahlig
            or pd.api.types.is_integer_dtype(s)
            or bool(s.dropna().apply(float.is_integer).all() if len(s.dropna()) else False)
        )
        aus[spalte] = [zahl(v, 0 if ganz else stellen, leer="–") if pd.notna(v) else "–" for v in s]
    return aus

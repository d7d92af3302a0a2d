"""Tabellen für die Anzeige: Zahlen im deutschen Format (1.234,5) als Text, Spaltenreihenfolge bleibt."""

from __future__ import annotations

import re

import pandas as pd

from kommune.format import ist_ganzzahlig, zahl

#: Einheit am Ende eines Spaltenkopfs: „Einwohner bis 500 m (Personen)“ → „Personen“.
_EINHEIT_IM_KOPF = re.compile(r"\(([^()]*)\)\s*$")


def _zaehlspalte(spalte: object) -> bool:
    """Zählt die Spalte Menschen oder Dinge (Einheit in Klammern am Ende des Kopfs)? Dann ganze Zahlen."""
    m = _EINHEIT_IM_KOPF.search(str(spalte))
    return bool(m) and ist_ganzzahlig(m[1])


def tabelle_deutsch(df: pd.DataFrame, stellen: int = 1, ganzzahlig: tuple[str, ...] = ()) -> pd.DataFrame:
    """Zahlenspalten als deutsch formatierten Text (Ganzzahlen ohne, Kommazahlen mit `stellen` Stellen).

    Ganz gezählt werden auch Spalten in `ganzzahlig` und Spalten, deren Kopf eine Zähleinheit nennt
    („… (Personen)“): umgerechnete Einwohner sind „1.432“, nicht „1.432,0“. Fehlende Texte („None“) werden „–“.
    """
    aus = df.copy()
    for spalte in aus.columns:
        s = aus[spalte]
        if pd.api.types.is_bool_dtype(s):
            continue
        if not pd.api.types.is_numeric_dtype(s):
            if s.isna().any():
                aus[spalte] = s.astype(object).where(s.notna(), "–")
            continue
        ganz = (
            spalte in ganzzahlig
            or _zaehlspalte(spalte)
            or pd.api.types.is_integer_dtype(s)
            or bool(s.dropna().apply(float.is_integer).all() if len(s.dropna()) else False)
        )
        aus[spalte] = [zahl(v, 0 if ganz else stellen, leer="–") if pd.notna(v) else "–" for v in s]
    return aus


def mit_gebietsnamen(df: pd.DataFrame, namen: pd.Series) -> pd.DataFrame:
    """Eine Tabelle je Gebiet (Index oder Spalte „id“/„ID“ = Schlüssel) für Menschen: vorn „Gebiet“ mit dem
    Namen, ohne Schlüsselspalte. Mit `hide_index=True` zeigen; Exporte behalten die Schlüssel."""
    aus = df.copy()
    for spalte in ("id", "ID"):
        if spalte in aus.columns:
            aus = aus.set_index(spalte)
    aus = aus.drop(columns=[s for s in ("Name", "name", "Gebiet") if s in aus.columns])
    aus.insert(0, "Gebiet", [namen.get(g, g) for g in aus.index])
    return aus.reset_index(drop=True)

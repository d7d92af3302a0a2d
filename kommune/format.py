"""Zahlen und Daten im deutschen Format (1.234,5 · 31.12.2024)."""

from __future__ import annotations

import math
from datetime import date


def zahl(wert: float | int | None, stellen: int = 1, *, leer: str = "–") -> str:
    """Eine Zahl mit Tausenderpunkt und Dezimalkomma; `leer` für fehlende Werte."""
    if wert is None or (isinstance(wert, float) and math.isnan(wert)):
        return leer
    text = f"{wert:,.{stellen}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def wert_mit_einheit(wert: float | None, einheit: str, stellen: int | None = None, *, leer: str = "–") -> str:
    """Ein Indikatorwert mit passender Einheit, z. B. „21,1 %“ oder „3.419 Personen“; `leer` ohne Wert."""
    if stellen is None:
        stellen = 0 if einheit in ("Personen", "Anzahl", "Fälle") else 1
    if wert is None or (isinstance(wert, float) and math.isnan(wert)):
        return leer
    text = zahl(wert, stellen)
    if not einheit:
        return text
    return f"{text} {einheit}"


def datum(d: date) -> str:
    """Ein Datum als TT.MM.JJJJ."""
    return d.strftime("%d.%m.%Y")

"""Zahlen und Daten im deutschen Format (1.234,5 · 31.12.2024)."""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any


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


#: Mehrzahl bekannter Ebenennamen: (Nominativ, Dativ).
_MEHRZAHL = {
    "Planungsraum": ("Planungsräume", "Planungsräumen"),
    "Prognoseraum": ("Prognoseräume", "Prognoseräumen"),
    "Bezirksregion": ("Bezirksregionen", "Bezirksregionen"),
    "Bezirk": ("Bezirke", "Bezirken"),
    "Stadtbezirk": ("Stadtbezirke", "Stadtbezirken"),
    "Stadtteil": ("Stadtteile", "Stadtteilen"),
    "Stadtviertel": ("Stadtviertel", "Stadtvierteln"),
    "Viertel": ("Viertel", "Vierteln"),
    "Einschulbereich": ("Einschulbereiche", "Einschulbereichen"),
    "Grundschulbezirk": ("Grundschulbezirke", "Grundschulbezirken"),
    "Schulbezirk": ("Schulbezirke", "Schulbezirken"),
    "Sozialraum": ("Sozialräume", "Sozialräumen"),
    "Ortsteil": ("Ortsteile", "Ortsteilen"),
    "Gemeinde": ("Gemeinden", "Gemeinden"),
    "Wahlbezirk": ("Wahlbezirke", "Wahlbezirken"),
}


def mehrzahl(name: str, fall: str = "nominativ") -> str:
    """Mehrzahl eines Ebenennamens („Planungsraum“ → „Planungsräume“ bzw. Dativ „Planungsräumen“)."""
    if name in _MEHRZAHL:
        nom, dat = _MEHRZAHL[name]
    elif name.endswith("raum"):
        nom = name[:-4] + "räume"
        dat = nom + "n"
    elif name.endswith(("el", "er")):
        nom, dat = name, name + "n"
    elif name.endswith("e"):
        nom = dat = name + "n"
    elif name.endswith(("ion", "ung", "heit", "keit", "schaft")):
        nom = dat = name + "en"
    else:
        nom, dat = name + "e", name + "en"
    return dat if fall == "dativ" else nom


#: Zeichen, mit denen eine Tabellenkalkulation eine Formel (oder DDE) beginnen kann.
FORMEL_ANFAENGE = ("=", "+", "-", "@", "\t", "\r", "\n")
#: Text, der eine negative Zahl ist („-12“, „-1,5“): wird als Zahl gelesen, ist keine Formel.
_ZAHL_TEXT = re.compile(r"^-?\d+(?:[.,]\d+)*(?:[eE][+-]?\d+)?$")
#: In XLSX (XML) verbotene Steuerzeichen; sie würden den Export abbrechen.
_STEUERZEICHEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def formel_gefahr(text: str) -> bool:
    """Könnte eine Tabellenkalkulation diesen Text als Formel lesen? (= + - @ Tab CR LF am Anfang, keine Zahl)"""
    kern = text.strip()
    return text.lstrip(" ").startswith(FORMEL_ANFAENGE) and kern != "-" and not _ZAHL_TEXT.match(kern)


def entschaerfen(wert: Any) -> Any:
    """Eine Zelle für CSV/XLSX: Text, der eine Formel beginnen könnte (= + - @ Tab CR LF), bekommt ein „'“.

    Zahlen (auch negative) bleiben Zahlen; Text, der nur eine Zahl ist („-1,5“), bleibt unverändert.
    In XLSX verbotene Steuerzeichen werden entfernt. Der eine Ort dafür für alle Exporte.
    """
    if not isinstance(wert, str):
        return wert
    text = _STEUERZEICHEN.sub("", wert)
    return "'" + text if formel_gefahr(text) else text

"""Zahlen und Daten im deutschen Format (1.234,5 · 31.12.2024)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from datetime import date
from typing import Any

#: Das Minuszeichen der Anzeige (U+2212); Dateien für Tabellenkalkulationen bekommen „-“.
MINUS = "\u2212"


def zahl(
    wert: float | int | None,
    stellen: int = 1,
    *,
    leer: str = "–",
    minus: str = MINUS,
    tausender: str = ".",
    kuerzen: bool = False,
) -> str:
    """Eine Zahl mit Tausenderpunkt, Dezimalkomma und echtem Minuszeichen; `leer` für fehlende Werte.

    `minus="-"` für Dateien, die eine Tabellenkalkulation wieder als Zahl lesen soll (CSV), `tausender=""` ohne
    Tausenderpunkt (Datendateien), `kuerzen=True` lässt Nullen am Ende der Nachkommastellen weg („1,5“ statt
    „1,50“, „2“ statt „2,00“). Was gerundet null ergibt, bekommt kein Vorzeichen („0,0“, nicht „−0,0“).
    Der eine deutsche Zahlformatierer des Projekts (tests/test_format_einheitlich.py verhindert Kopien).
    """
    if wert is None or (isinstance(wert, float) and math.isnan(wert)):
        return leer
    text = f"{wert:,.{stellen}f}"
    if kuerzen and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text.startswith("-"):
        text = text[1:] if not text.strip("-0.,") else minus + text[1:]
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", tausender)


#: Zählgrößen von Menschen und Dingen: immer ganze Zahlen („162“, nicht „162,0“).
GANZZAHL_EINHEITEN = ("Personen", "Anzahl", "Fälle", "Plätze", "Einrichtungen", "Kinder", "Einwohner")


def ist_ganzzahlig(einheit: str, art: str = "") -> bool:
    """Zählt die Größe Menschen oder Dinge (Art „anzahl“ oder eine Zähleinheit)? Dann ohne Nachkommastellen."""
    return art == "anzahl" or einheit.strip() in GANZZAHL_EINHEITEN


def wert_mit_einheit(wert: float | None, einheit: str, stellen: int | None = None, *, leer: str = "–") -> str:
    """Ein Indikatorwert mit passender Einheit, z. B. „21,1 %“ oder „3.419 Personen“; `leer` ohne Wert."""
    if stellen is None:
        stellen = 0 if ist_ganzzahlig(einheit) else 1
    if wert is None or (isinstance(wert, float) and math.isnan(wert)):
        return leer
    text = zahl(wert, stellen)
    if not einheit:
        return text
    return f"{text} {einheit}"


def datum(d: date) -> str:
    """Ein Datum als TT.MM.JJJJ."""
    return d.strftime("%d.%m.%Y")


_ISO_TAG = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_ISO_MONAT = re.compile(r"^(\d{4})-(\d{1,2})$")
_TAG = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_MONAT = re.compile(r"^(\d{1,2})[./](\d{4})$")
_JAHR = re.compile(r"^\d{4}$")


def stand_text(wert: Any, vorsatz: str = "") -> str:
    """Ein Stand („Stichtag“) in der einen Schreibweise, mit der Genauigkeit der Quelle.

    Tag → „31.12.2024“ (auch aus „2024-12-31“, „1.3.2024“ oder einem `date`), Monat → „10.2023“ (auch aus
    „2023-10“, „10/2023“), Jahr → „2025“; anderer Text („Schuljahr 2024/25“) bleibt, wie er ist. Ohne Stand
    (None, leer, „nan“) ist das Ergebnis leer – auch ohne `vorsatz`, damit kein „Stand “ ohne Datum
    entsteht: `stand_text("2024", "Stand ")` → „Stand 2024“, `stand_text("", "Stand ")` → „“.
    """
    if wert is None or (isinstance(wert, float) and math.isnan(wert)):
        return ""
    if isinstance(wert, date):
        text = datum(wert)
    else:
        text = " ".join(str(wert).split())
        if text.lower() in ("", "nan", "nat", "none", "–", "-"):
            return ""
        if m := _ISO_TAG.match(text):
            text = f"{int(m[3]):02d}.{int(m[2]):02d}.{m[1]}"
        elif m := _TAG.match(text):
            text = f"{int(m[1]):02d}.{int(m[2]):02d}.{m[3]}"
        elif m := _ISO_MONAT.match(text):
            text = f"{int(m[2]):02d}.{m[1]}"
        elif m := _MONAT.match(text):
            text = f"{int(m[1]):02d}.{m[2]}"
    return vorsatz + text


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


def indikator_bezeichnung(katalog: Any, indikator: str) -> str:
    """Der Name eines Indikators für Menschen („Kinderarmut (S4)“), nie sein Schlüssel in Klammern.

    `katalog` ist der Indikatorenkatalog (Index = ID, Spalte „name“). Unbekannte IDs oder leere Namen
    zeigen die ID; tragen zwei Indikatoren denselben Namen, unterscheidet sie ihre ID („Name (ID)“).
    Der eine Ort für Beschriftungen von Auswahlen, Spalten, Legenden und Diagrammen.
    """
    if indikator not in katalog.index:
        return str(indikator)
    name = " ".join(str(katalog.loc[indikator, "name"]).split())
    if not name or name.lower() == "nan":
        return str(indikator)
    if int((katalog["name"].astype(str).str.split().str.join(" ") == name).sum()) > 1:
        return f"{name} ({indikator})"
    return name


def gebiet_bezeichnung(name: Any, gebiet: str, ebene: str) -> str:
    """Der Name eines Gebiets; wo die Quelle keinen hat (leer oder gleich dem Schlüssel), „Ebene Schlüssel“.

    `gebiet_bezeichnung("0913", "0913", "Einschulbereich")` → „Einschulbereich 0913“.
    """
    text = "" if name is None else " ".join(str(name).split())
    if not text or text.lower() == "nan" or text == str(gebiet).strip():
        return f"{ebene} {gebiet}".strip()
    return text


def eindeutige_namen(namen: Mapping[str, Any]) -> dict[str, str]:
    """Beschriftungen für eine Auswahl von Gebieten: der Name, bei gleichnamigen Gebieten „Name (Schlüssel)“."""
    texte = {k: " ".join(str(v).split()) for k, v in namen.items()}
    haeufig = Counter(texte.values())
    return {k: (f"{t} ({k})" if haeufig[t] > 1 else t) for k, t in texte.items()}


#: Zeichen, die Streamlits Markdown deuten könnte (CommonMark, GitHub-Erweiterungen, LaTeX „$“, Farben „:red[…]“,
#: Emoji-Kürzel „:…:“, HTML und Entitäten „&…;“); jedes bekommt einen Backslash und bleibt so ein Zeichen.
#: Anfänge von GFM-Autolinks (Schema mit „:“, „www.“, „@“ einer E-Mail-Adresse): vor ihr letztes Zeichen kommt U+200B.
_AUTOLINK = re.compile(r"(?i)(?:[a-z][a-z0-9+.-]*:/|www\.|@)")
_MARKDOWN_ZEICHEN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&\"'=^%])")


def markdown_text(wert: Any) -> str:
    """Text aus den Daten für Streamlits Markdown (`st.markdown`, `st.caption`, Beschriftungen): nie als
    Markdown oder HTML gedeutet. Jedes Sonderzeichen bekommt einen Backslash, Zeilenumbrüche und Steuerzeichen
    werden zu Leerzeichen (ein Umbruch begänne sonst eine Überschrift oder Liste). Leer für None/NaN.
    Adressen, aus denen Streamlit von selbst Links machte (GFM-Autolinks: „http://…“, „www.…“, „a@b.de“), trennt
    ein unsichtbares Leerzeichen (U+200B) – ein Link entsteht nur, wo die Seite ihn ausdrücklich setzt.
    Der eine Ort dafür; für HTML-Dateien gilt `html.escape`."""
    if wert is None or (isinstance(wert, float) and math.isnan(wert)):
        return ""
    text = " ".join(_STEUERZEICHEN.sub(" ", str(wert)).split())
    text = _AUTOLINK.sub(lambda m: m[0][:-1] + "\u200b" + m[0][-1], text)
    return _MARKDOWN_ZEICHEN.sub(r"\\\1", text)

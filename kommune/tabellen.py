"""CSV- und XLSX-Tabellen lesen, wie Statistikstellen sie schreiben (`;`, Dezimalkomma)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from kommune.fehler import KommuneFehler

#: Bedeutungen der Tabellenzeichen (Zeichenerklärung der amtlichen Statistik) → (gespeichertes Zeichen, Text).
#: „null“ wird als 0 gelesen, alle anderen als fehlender Wert; das Zeichen bleibt als Vermerk in der Tabelle.
BEDEUTUNGEN = {
    "null": ("0", "nichts vorhanden (genau null)"),
    "geheim": (".", "Zahlenwert unbekannt oder geheim zu halten"),
    "entfaellt": ("x", "Tabellenfach gesperrt, weil Aussage nicht sinnvoll"),
    "spaeter": ("…", "Angabe fällt später an"),
    "unsicher": ("/", "keine Angabe, da Zahlenwert nicht sicher genug"),
    "leer": ("", "kein Wert"),
}
#: Tabellenzeichen → Bedeutung (Standard; je Lieferung über `[symbole]` der Zuordnung änderbar).
SYMBOLE: dict[str, str] = {
    "-": "null",
    "–": "null",
    ".": "geheim",
    "x": "entfaellt",
    "X": "entfaellt",
    "…": "spaeter",
    "...": "spaeter",
    "/": "unsicher",
    "": "leer",
}
#: Nur beim Laden eigener Tabellen zusätzlich als leer verstanden (Exporte anderer Programme); in einer
#: Lieferung sind sie Fehler, solange die Zuordnung sie nicht unter `[symbole]` erklärt.
LEER_BEIM_LADEN = frozenset({"NA", "nan", "NaN", "None"})
#: Alle Zeichen, die beim Laden keinen Zahlenwert haben (ohne „-“ und „–“: die sind 0).
FEHLWERTE = frozenset({z for z, b in SYMBOLE.items() if b != "null"} | LEER_BEIM_LADEN)
#: Erlaubte Perioden: Jahr, Schuljahr, Halbjahr, Quartal, Monat, Stichtag (ISO).
PERIODE = re.compile(r"\d{4}(?:/\d{2}|-H[12]|-Q[1-4]|-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?")


def symbole_mit(eigene: dict[str, str] | None) -> dict[str, str]:
    """Die Standard-Tabellenzeichen, ergänzt oder überschrieben durch `eigene` (Zeichen → Bedeutung)."""
    symbole = dict(SYMBOLE)
    for zeichen, bedeutung in (eigene or {}).items():
        if bedeutung not in BEDEUTUNGEN:
            raise KommuneFehler(
                f"Unbekannte Bedeutung „{bedeutung}“ für das Tabellenzeichen „{zeichen}“. Erlaubt: "
                + ", ".join(BEDEUTUNGEN)
                + "."
            )
        symbole[str(zeichen).strip()] = bedeutung
    return symbole


def periode_gueltig(text: str) -> bool:
    """Ob `text` eine erlaubte Periode ist (2024, 2024/25, 2024-H1, 2024-Q3, 2024-06, 2024-12-31)."""
    if not PERIODE.fullmatch(text):
        return False
    if len(text) == 10:
        try:
            date.fromisoformat(text)
        except ValueError:
            return False
    return True


def _text_lesen(pfad: Path) -> str:
    """Text in UTF-8 lesen, bei Bedarf Windows-1252 (ältere Excel-Exporte)."""
    roh = pfad.read_bytes()
    if b"\x00" in roh[:4096]:
        raise KommuneFehler("Die Datei ist keine Texttabelle (Binärdaten).", datei=pfad.name)
    for kodierung in ("utf-8-sig", "cp1252"):
        try:
            return roh.decode(kodierung)
        except UnicodeDecodeError:
            continue
    raise KommuneFehler("Die Zeichenkodierung ist weder UTF-8 noch Windows-1252.", datei=pfad.name)


def trennzeichen_erkennen(text: str) -> str:
    """`;` oder `,` (oder Tab) aus der Kopfzeile erkennen."""
    kopf = text.splitlines()[0] if text else ""
    zaehlung = {z: kopf.count(z) for z in (";", ",", "\t")}
    return max(zaehlung, key=lambda z: zaehlung[z]) if any(zaehlung.values()) else ";"


def tabelle_lesen(pfad: Path, *, trennzeichen: str | None = None, blatt: str | None = None) -> pd.DataFrame:
    """Eine CSV- oder XLSX-Tabelle vollständig als Text lesen (Schlüssel behalten führende Nullen)."""
    if not pfad.is_file():
        raise KommuneFehler("Die Datei wurde nicht gefunden.", datei=str(pfad))
    endung = pfad.suffix.lower()
    if endung in (".xlsx", ".xlsm"):
        try:
            df = pd.read_excel(pfad, sheet_name=blatt or 0, dtype=str, engine="openpyxl")
        except ValueError as e:
            raise KommuneFehler(f"Das Tabellenblatt konnte nicht gelesen werden ({e}).", datei=pfad.name) from None
        except Exception:
            raise KommuneFehler("Die Datei ist keine lesbare XLSX-Arbeitsmappe.", datei=pfad.name) from None
    elif endung in (".csv", ".txt"):
        text = _text_lesen(pfad)
        sep = trennzeichen or trennzeichen_erkennen(text)
        try:
            df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, quoting=csv.QUOTE_MINIMAL)
        except pd.errors.ParserError as e:
            raise KommuneFehler(f"Die CSV-Datei ist fehlerhaft aufgebaut ({e}).", datei=pfad.name) from None
        except pd.errors.EmptyDataError:
            raise KommuneFehler("Die Datei ist leer.", datei=pfad.name) from None
    else:
        raise KommuneFehler(
            f"Das Dateiformat „{endung or '(ohne Endung)'}“ wird nicht unterstützt (CSV oder XLSX).",
            datei=pfad.name,
        )
    df.columns = [str(c).strip() for c in df.columns]
    return df.fillna("")


def zahlen_parsen(
    werte: pd.Series, *, dezimalzeichen: str | None, datei: str, spalte: str, zeilen_offset: int = 2
) -> pd.Series:
    """Text in Zahlen wandeln; deutsches Format (1.234,5) und Tabellenzeichen verstehen („-“ = 0, „.“ usw. leer).

    Ein nicht lesbarer Wert löst einen Fehler mit Datei, Zeile und Spalte aus. `zeilen_offset`
    rechnet den Tabellenindex in die Zeilennummer der Datei um (Kopfzeile = Zeile 1).
    """
    text = werte.astype(str).str.strip()
    null = text.isin([z for z, b in SYMBOLE.items() if b == "null"])
    fehlt = text.isin(FEHLWERTE) | null
    if dezimalzeichen is None:
        probe = text[~fehlt]
        dezimalzeichen = "," if probe.str.contains(r"^-?[\d.]*,\d+$", regex=True).any() else "."
    tausender = "." if dezimalzeichen == "," else ","
    gruppe = r"[-+\u2212]?\d{1,3}(?:" + re.escape(tausender) + r"\d{3})+(?:" + re.escape(dezimalzeichen) + r"\d*)?"
    # „12.5“ neben Dezimalkommas ist kein Tausenderpunkt: mehrdeutig, also ein Fehler statt still 125
    falsch_gruppiert = text.str.contains(tausender, regex=False) & ~text.str.fullmatch(gruppe) & ~fehlt
    normal = text.str.replace(tausender, "", regex=False)
    if dezimalzeichen == ",":
        normal = normal.str.replace(",", ".", regex=False)
    normal = normal.str.replace("\u2212", "-", regex=False).str.replace(" ", "", regex=False)
    zahlen = pd.to_numeric(normal.where(~fehlt, None), errors="coerce").astype(float)
    kaputt = (~np.isfinite(zahlen.to_numpy()) | falsch_gruppiert.to_numpy()) & ~fehlt.to_numpy()
    if kaputt.any():
        pos = int(np.flatnonzero(kaputt)[0])
        grund = (
            f"passt nicht zum Dezimalzeichen „{dezimalzeichen}“ der Spalte (Tausendertrennung nur in Dreiergruppen, "
            f"z. B. 1{tausender}234{dezimalzeichen}5)"
            if falsch_gruppiert.iloc[pos]
            else "ist keine (endliche) Zahl"
        )
        raise KommuneFehler(
            f"Der Wert „{werte.iloc[pos]}“ {grund}.",
            datei=datei,
            zeile=pos + zeilen_offset,
            spalte=spalte,
        )
    return zahlen.mask(null.to_numpy(), 0.0)

"""Lieferungen lesen und auf Plausibilität prüfen: das Prüfprotokoll eines Imports.

Ablauf: `lieferung_lesen` (CSV/XLSX wie Statistikstellen sie schreiben: Titelzeilen, Fußnoten, `;` oder
`,`, Dezimalkomma, Tausenderpunkte, UTF-8 oder Windows-1252; XLSX nur Werte, Formeln werden NIE
ausgewertet) → `zuordnung_erraten` oder eine gespeicherte `Zuordnung` (TOML) → `lang_bilden` →
`pruefen` (Schlüssel, Dubletten, Zahlen, Zähler/Nenner, Anteile, Summen, Sprünge, Stichtag …).
Jeder Befund hat eine Stufe: **Fehler** blockieren den Import, **Warnungen** entscheidet die Sachbearbeitung,
**Hinweise** informieren. Nichts wird ausgeführt; Namen mit HTML bleiben Text (maskieren ist Sache der
Anzeige) und werden als Hinweis gemeldet.

Summenprüfung: optionale Katalogspalte `summe` (z. B. `kinder_u3 + kinder_3_6` beim Indikator kinder_u6)
oder `[summen]` in der Zuordnung; Summenzeilen der Lieferung („Insgesamt“) werden mit der Summe der
Gebiete verglichen; Zähler ≤ Nenner für Anteile mit Zähler/Nenner (Zeile oder Katalog).
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
import re
import tempfile
import zipfile
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kommune.fehler import KommuneFehler
from kommune.laden import Kommune
from kommune.tabellen import FEHLWERTE

FEHLER, WARNUNG, HINWEIS = "Fehler", "Warnung", "Hinweis"
STUFEN = (FEHLER, WARNUNG, HINWEIS)
_FUSSNOTE = re.compile(
    r"^\s*(\d{1,2}\s?\)|\*|¹|²|³|Quelle|Anmerkung|Hinweis|Fußnote|Fussnote|Stand|Erläuterung|Zeichenerklärung|"
    r"Legende|Rundung|©|Daten:|Hrsg|Herausgeber|vorläufig)",
    re.IGNORECASE,
)
_MARKE = re.compile(r"\s*(\d\)|[¹²³]\)?|\*+|\(\d\))\s*$")
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!]|javascript:|&#\d|on\w+\s*=", re.IGNORECASE)
_SUMMENZEILE = re.compile(r"^(insgesamt|summe|gesamt|zusammen|stadt\s*insgesamt|gesamtstadt|total)\b", re.IGNORECASE)


PRUEFUNGEN = {
    "schluessel_unbekannt": "unbekannter Gebietsschlüssel",
    "schluessel_fehlen": "fehlende Gebiete",
    "schluessel_leer": "leerer Schlüssel",
    "dublette": "doppelte Schlüssel",
    "keine_zahl": "keine Zahl",
    "negativ": "negative Werte",
    "anteil_bereich": "Anteil außerhalb 0–100",
    "anteil_rechnung": "Anteil passt nicht zu Zähler/Nenner",
    "zaehler_nenner": "Zähler größer als Nenner",
    "summe": "Summen",
    "summenzeile_abweichung": "Summenzeile",
    "sprung": "Sprung zur Vorperiode",
    "stand": "Stichtag",
    "kleine_fallzahl": "kleine Fallzahl",
    "formel": "Formel in Wertspalte",
    "formel_ungenutzt": "Formel",
    "formeltext": "Text wie eine Formel",
    "html": "HTML in Texten",
    "indikator_unbekannt": "unbekannter Indikator",
    "zuordnung": "Spaltenzuordnung",
}


@dataclass(frozen=True)
class Grenzen:
    """Grenzen gegen feindliche oder kaputte Dateien und Schwellen der Prüfungen."""

    max_bytes: int = 50 * 1024 * 1024
    max_spalten: int = 1000
    max_zeilen: int = 1_000_000
    sprung: float = 0.5  # relative Veränderung zur Vorperiode, ab der gewarnt wird (0,5 = 50 %)
    sprung_mindestwert: float = 10.0  # kleinere Werte (vorher und nachher) werden nicht verglichen
    befunde_je_pruefung: int = 20


@dataclass(frozen=True)
class Befund:
    """Ein Befund des Prüfprotokolls (deutscher Satz mit Fundstelle)."""

    stufe: str
    text: str
    datei: str = ""
    zeile: int | None = None
    spalte: str | None = None
    pruefung: str = ""

    @property
    def ort(self) -> str:
        teile = []
        if self.datei:
            teile.append(f"Datei „{self.datei}“")
        if self.zeile is not None:
            teile.append(f"Zeile {self.zeile}")
        if self.spalte:
            teile.append(f"Spalte „{self.spalte}“")
        return ", ".join(teile)

    def __str__(self) -> str:
        return f"{self.stufe}: " + (f"{self.ort}: " if self.ort else "") + self.text


@dataclass
class Pruefprotokoll:
    """Alle Befunde einer Prüfung; `ok`, wenn kein Fehler dabei ist."""

    datei: str = ""
    befunde: list[Befund] = field(default_factory=list)
    zeilen: int = 0
    grenzen: Grenzen = field(default_factory=Grenzen)
    _je_pruefung: Counter = field(default_factory=Counter, repr=False)

    def melden(
        self, stufe: str, text: str, *, zeile: int | None = None, spalte: str | None = None, pruefung: str = ""
    ) -> None:
        """Einen Befund anfügen; je Prüfung höchstens `befunde_je_pruefung`, der Rest wird gezählt."""
        if pruefung:
            self._je_pruefung[(pruefung, stufe)] += 1
            if self._je_pruefung[(pruefung, stufe)] > self.grenzen.befunde_je_pruefung:
                return
        self.befunde.append(Befund(stufe, text, self.datei, zeile, spalte, pruefung))

    def abschliessen(self) -> Pruefprotokoll:
        """Gekürzte Prüfungen zusammenfassen („… und 120 weitere“)."""
        for (pruefung, stufe), n in self._je_pruefung.items():
            rest = n - self.grenzen.befunde_je_pruefung
            if pruefung and rest > 0 and not any(b.pruefung == pruefung + ":rest" for b in self.befunde):
                self.befunde.append(
                    Befund(
                        stufe,
                        f"… und {rest} weitere Befunde der Prüfung „{PRUEFUNGEN.get(pruefung, pruefung)}“.",
                        self.datei,
                        pruefung=pruefung + ":rest",
                    )
                )
        rang = {s: i for i, s in enumerate(STUFEN)}
        self.befunde.sort(key=lambda b: (rang[b.stufe], b.zeile if b.zeile is not None else -1))
        return self

    def _zahl(self, stufe: str) -> int:
        gezeigt = sum(1 for b in self.befunde if b.stufe == stufe and not b.pruefung.endswith(":rest"))
        grenze = self.grenzen.befunde_je_pruefung
        return gezeigt + sum(max(n - grenze, 0) for (_, s), n in self._je_pruefung.items() if s == stufe)

    @property
    def fehler(self) -> list[Befund]:
        return [b for b in self.befunde if b.stufe == FEHLER]

    @property
    def warnungen(self) -> list[Befund]:
        return [b for b in self.befunde if b.stufe == WARNUNG]

    @property
    def hinweise(self) -> list[Befund]:
        return [b for b in self.befunde if b.stufe == HINWEIS]

    @property
    def ok(self) -> bool:
        return not self.fehler

    @property
    def zusammenfassung(self) -> str:
        """„2 Fehler, 1 Warnung, 3 Hinweise (120 Zeilen gelesen)“."""
        f, w, h = (self._zahl(s) for s in STUFEN)
        teile = [
            f"{f} Fehler",
            f"{w} {'Warnung' if w == 1 else 'Warnungen'}",
            f"{h} {'Hinweis' if h == 1 else 'Hinweise'}",
        ]
        return ", ".join(teile) + f" ({self.zeilen} Datenzeilen gelesen)"

    def text(self) -> str:
        """Das Protokoll als Klartext (eine Zeile je Befund)."""
        kopf = f"Prüfprotokoll für „{self.datei}“: {self.zusammenfassung}"
        return "\n".join([kopf, *[f"  {b}" for b in self.befunde]])

    def als_tabelle(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {"Stufe": b.stufe, "Meldung": b.text, "Datei": b.datei, "Zeile": b.zeile, "Spalte": b.spalte or ""}
                for b in self.befunde
            ],
            columns=["Stufe", "Meldung", "Datei", "Zeile", "Spalte"],
        )

    def kurz(self) -> dict[str, Any]:
        """Zusammenfassung für das Versionsprotokoll."""
        return {
            "fehler": self._zahl(FEHLER),
            "warnungen": self._zahl(WARNUNG),
            "hinweise": self._zahl(HINWEIS),
            "zusammenfassung": self.zusammenfassung,
        }


def pruefprotokoll_xlsx(protokoll: Pruefprotokoll, pfad: str | Path) -> Path:
    """Das Prüfprotokoll als XLSX (Blatt „Prüfprotokoll“); Texte entschärft (keine Formeln)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from kommune.tabellenexport import entschaerfen

    pfad = Path(pfad)
    wb = Workbook()
    ws = wb.active
    ws.title = "Prüfprotokoll"
    ws.append([entschaerfen(f"Prüfprotokoll für „{protokoll.datei}“")])
    ws.append([entschaerfen(protokoll.zusammenfassung)])
    ws.append(["Erstellt", datetime.now().strftime("%d.%m.%Y %H:%M")])
    ws.append([])
    ws.append(["Stufe", "Meldung", "Datei", "Zeile", "Spalte"])
    for c in ws[5]:
        c.font = Font(bold=True)
    farben = {FEHLER: "F4CCCC", WARNUNG: "FFF2CC", HINWEIS: "DDEBF7"}
    for b in protokoll.befunde:
        ws.append([b.stufe, entschaerfen(b.text), entschaerfen(b.datei), b.zeile, entschaerfen(b.spalte or "")])
        ws.cell(row=ws.max_row, column=1).fill = PatternFill("solid", fgColor=farben[b.stufe])
    ws["A1"].font = Font(bold=True, size=13)
    ws.freeze_panes = "A6"
    for spalte, breite in zip("ABCDE", (10, 100, 30, 8, 24), strict=True):
        ws.column_dimensions[spalte].width = breite
    pfad.parent.mkdir(parents=True, exist_ok=True)
    wb.save(pfad)
    return pfad


# ---------------------------------------------------------------------------------------------------
# Zuordnung (Spalten → Gebiet, Indikator, Periode, Wert …), als TOML gespeichert
# ---------------------------------------------------------------------------------------------------


@dataclass
class Zuordnung:
    """Welche Spalte der Lieferung was bedeutet. Format „lang“ (eine Zeile je Gebiet × Indikator × Periode)
    oder „breit“ (eine Zeile je Gebiet, eine Spalte je Indikator; `spalten` ordnet Köpfe IDs zu)."""

    format: str = "lang"
    ebene: str = ""
    blatt: str = ""
    einheit_spalte: str = ""
    name_spalte: str = ""
    indikator_spalte: str = ""
    periode_spalte: str = ""
    wert_spalte: str = ""
    zaehler_spalte: str = ""
    nenner_spalte: str = ""
    periode: str = ""
    stand: str = ""
    dezimalzeichen: str = ""
    ziel: str = ""
    spalten: dict[str, str] = field(default_factory=dict)
    summen: dict[str, list[str]] = field(default_factory=dict)

    def toml(self) -> str:
        """Als TOML-Text (zum Speichern neben den Daten)."""
        zeilen = ["# Spaltenzuordnung einer Lieferung (Bildungsmonitor). Für die nächste Lieferung wiederverwendbar."]
        tabellen = []
        for f in fields(self):
            wert = getattr(self, f.name)
            if isinstance(wert, dict):
                if wert:
                    tabellen.append(f"\n[{f.name}]")
                    tabellen += [
                        f"{json.dumps(k, ensure_ascii=False)} = {json.dumps(v, ensure_ascii=False)}"
                        for k, v in wert.items()
                    ]
            elif wert:
                zeilen.append(f"{f.name} = {json.dumps(str(wert), ensure_ascii=False)}")
        return "\n".join(zeilen + tabellen) + "\n"

    def speichern(self, pfad: str | Path) -> Path:
        """Atomar als TOML schreiben."""
        pfad = Path(pfad)
        pfad.parent.mkdir(parents=True, exist_ok=True)
        tmp = pfad.with_name(f".{pfad.name}.tmp")
        tmp.write_text(self.toml(), encoding="utf-8")
        tmp.replace(pfad)
        return pfad


def zuordnung_lesen(pfad: str | Path) -> Zuordnung:
    """Eine gespeicherte Zuordnung (TOML) lesen; Fehler als deutscher Satz."""
    import tomllib

    pfad = Path(pfad)
    if not pfad.is_file():
        raise KommuneFehler("Die Zuordnungsdatei wurde nicht gefunden.", datei=str(pfad))
    try:
        roh = tomllib.loads(pfad.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as e:
        raise KommuneFehler(f"Die Zuordnung ist kein gültiges TOML ({type(e).__name__}).", datei=pfad.name) from None
    erlaubt = {f.name for f in fields(Zuordnung)}
    unbekannt = sorted(set(roh) - erlaubt)
    if unbekannt:
        raise KommuneFehler(
            f"Unbekannter Schlüssel „{unbekannt[0]}“ in der Zuordnung. Erlaubt: {', '.join(sorted(erlaubt))}.",
            datei=pfad.name,
        )
    werte: dict[str, Any] = {}
    for k, v in roh.items():
        if k in ("spalten", "summen") and not isinstance(v, dict):  # Fuzz-Schutz (issue 9)
            raise KommuneFehler(f"„{k}“ muss in der Zuordnung ein Abschnitt [{k}] sein.", datei=pfad.name)
        if k == "spalten":
            werte[k] = {str(a): str(b) for a, b in dict(v).items()}
        elif k == "summen":
            werte[k] = {str(a): [str(x) for x in (b if isinstance(b, list) else [b])] for a, b in dict(v).items()}
        else:
            werte[k] = str(v)
    z = Zuordnung(**werte)
    if z.format not in ("lang", "breit"):
        raise KommuneFehler(f"„format“ muss „lang“ oder „breit“ sein, nicht „{z.format}“.", datei=pfad.name)
    return z


# ---------------------------------------------------------------------------------------------------
# Lesen
# ---------------------------------------------------------------------------------------------------


@dataclass
class Rohtabelle:
    """Die gelesenen Zellen unterhalb der Kopfzeile (Text oder Zahl), mit Zeilennummern der Datei."""

    datei: str
    kopf: list[str]
    zeilen: list[list[Any]]
    zeilennummern: list[int]
    formeln: dict[tuple[int, int], str] = field(default_factory=dict)  # (Dateizeile, Spaltenindex) → Formel


def _norm(text: Any) -> str:
    """Kopf oder Schlüssel zum Vergleichen: ohne Fußnotenzeichen, klein, ohne Leerraum an den Rändern."""
    t = _MARKE.sub("", str(text if text is not None else "")).strip().lower()
    return re.sub(r"\s+", " ", t)


def _zelle_text(wert: Any) -> str:
    if wert is None:
        return ""
    if isinstance(wert, float) and wert.is_integer():
        return str(int(wert))
    if isinstance(wert, datetime):
        return wert.strftime("%d.%m.%Y")
    if isinstance(wert, date):
        return wert.strftime("%d.%m.%Y")
    return str(wert).strip()


def _csv_zeilen(roh: bytes, name: str, protokoll: Pruefprotokoll) -> list[list[Any]] | None:
    if b"\x00" in roh[:65536]:
        protokoll.melden(FEHLER, "Die Datei ist keine Texttabelle (Binärdaten); erwartet wird CSV oder XLSX.")
        return None
    text = None
    for kodierung in ("utf-8-sig", "cp1252"):
        try:
            text = roh.decode(kodierung)
            if kodierung == "cp1252":
                protokoll.melden(HINWEIS, "Die Datei ist in Windows-1252 kodiert (älterer Excel-Export); gelesen.")
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        protokoll.melden(FEHLER, "Die Zeichenkodierung ist weder UTF-8 noch Windows-1252.")
        return None
    probe = [z for z in text.splitlines()[:60] if z.strip()]
    if not probe:
        protokoll.melden(FEHLER, "Die Datei ist leer.")
        return None
    trenner = max(
        (";", ",", "\t"),
        key=lambda t: (Counter(z.count(t) for z in probe if z.count(t)).most_common(1) or [(0, 0)])[0][0],
    )
    try:
        csv.field_size_limit(10 * 1024 * 1024)
        zeilen = list(csv.reader(io.StringIO(text), delimiter=trenner))
    except csv.Error as e:
        protokoll.melden(FEHLER, f"Die CSV-Datei ist fehlerhaft aufgebaut ({e}).")
        return None
    return zeilen


def _xlsx_zeilen(
    pfad: Path, blatt: str | None, protokoll: Pruefprotokoll, formeln: dict[tuple[int, int], str]
) -> list[list[Any]] | None:
    g = protokoll.grenzen
    kopf = pfad.read_bytes()[:8]
    if kopf.startswith(b"\xd0\xcf\x11\xe0"):
        protokoll.melden(FEHLER, "Das alte Excel-Format (.xls) wird nicht gelesen; bitte als .xlsx speichern.")
        return None
    if not zipfile.is_zipfile(pfad):
        protokoll.melden(FEHLER, "Die Datei ist keine lesbare XLSX-Arbeitsmappe (kein gültiges Office-Dokument).")
        return None
    with zipfile.ZipFile(pfad) as zf:
        entpackt = sum(i.file_size for i in zf.infolist())
        if entpackt > 10 * g.max_bytes:
            protokoll.melden(FEHLER, "Die Arbeitsmappe ist entpackt zu groß (mögliche ZIP-Bombe); nicht gelesen.")
            return None
    from openpyxl import load_workbook

    try:
        wb = load_workbook(pfad, read_only=True, data_only=False)  # Formeln nur als Text, nie ausgewertet
    except Exception as e:
        protokoll.melden(FEHLER, f"Die Datei ist keine lesbare XLSX-Arbeitsmappe ({type(e).__name__}).")
        return None
    try:
        if blatt:
            if blatt not in wb.sheetnames:
                protokoll.melden(
                    FEHLER, f"Das Tabellenblatt „{blatt}“ gibt es nicht (vorhanden: {', '.join(wb.sheetnames)})."
                )
                return None
            ws = wb[blatt]
        else:
            ws = wb.worksheets[0]
            if len(wb.sheetnames) > 1:
                protokoll.melden(
                    HINWEIS,
                    f"Die Arbeitsmappe hat {len(wb.sheetnames)} Blätter; gelesen wird „{ws.title}“ "
                    "(anderes Blatt mit --indicator-sheet wählen).",
                )
        zeilen: list[list[Any]] = []
        reihen = enumerate(ws.iter_rows(), start=1)
        while True:
            try:  # Fuzz-Schutz (issue 9): beschädigtes Blatt-XML
                r, reihe = next(reihen)
            except StopIteration:
                break
            except Exception as e:
                protokoll.melden(FEHLER, f"Die Arbeitsmappe ist beschädigt ({type(e).__name__}); nicht gelesen.")
                return None
            if len(reihe) > g.max_spalten:
                protokoll.melden(
                    FEHLER,
                    f"Die Tabelle hat mehr als {g.max_spalten:,} Spalten; so breite Dateien werden nicht "
                    "gelesen.".replace(",", "."),
                )
                return None
            if r > g.max_zeilen:
                protokoll.melden(FEHLER, f"Die Tabelle hat mehr als {g.max_zeilen:,} Zeilen.".replace(",", "."))
                return None
            werte = []
            for c, zelle in enumerate(reihe):
                wert = getattr(zelle, "value", None)
                if getattr(zelle, "data_type", None) == "f" or (isinstance(wert, str) and wert.startswith("=")):
                    formeln[(r, c)] = str(wert)
                werte.append(wert)
            zeilen.append(werte)
        return zeilen
    finally:
        wb.close()


def lieferung_lesen(
    pfad: str | Path,
    protokoll: Pruefprotokoll,
    *,
    blatt: str | None = None,
    erwartete_koepfe: set[str] | None = None,
) -> Rohtabelle | None:
    """Eine Lieferung lesen: Kopfzeile finden, Titel- und Fußnotenzeilen abtrennen. None = abgelehnt."""
    pfad = Path(pfad)
    g = protokoll.grenzen
    if not pfad.is_file():
        protokoll.melden(FEHLER, "Die Datei wurde nicht gefunden.")
        return None
    groesse = pfad.stat().st_size
    if groesse == 0:
        protokoll.melden(FEHLER, "Die Datei ist leer.")
        return None
    if groesse > g.max_bytes:
        protokoll.melden(
            FEHLER,
            f"Die Datei ist {groesse / 1024 / 1024:.0f} MB groß; erlaubt sind höchstens "
            f"{g.max_bytes / 1024 / 1024:.0f} MB.",
        )
        return None
    endung = pfad.suffix.lower()
    formeln: dict[tuple[int, int], str] = {}
    if endung in (".xlsx", ".xlsm"):
        roh = _xlsx_zeilen(pfad, blatt, protokoll, formeln)
    elif endung in (".csv", ".txt"):
        roh = _csv_zeilen(pfad.read_bytes(), pfad.name, protokoll)
    elif endung == ".xls":
        protokoll.melden(FEHLER, "Das alte Excel-Format (.xls) wird nicht gelesen; bitte als .xlsx speichern.")
        return None
    else:
        protokoll.melden(
            FEHLER, f"Das Dateiformat „{endung or '(ohne Endung)'}“ wird nicht unterstützt (CSV oder XLSX)."
        )
        return None
    if roh is None:
        return None
    breite = max((len(z) for z in roh), default=0)
    if breite > g.max_spalten:
        protokoll.melden(
            FEHLER,
            f"Die Tabelle hat {breite:,} Spalten; erlaubt sind höchstens {g.max_spalten:,}.".replace(",", "."),
        )
        return None
    if len(roh) > g.max_zeilen:
        protokoll.melden(FEHLER, f"Die Tabelle hat mehr als {g.max_zeilen:,} Zeilen.".replace(",", "."))
        return None
    texte = [[_zelle_text(w) for w in z] for z in roh]
    belegt = [i for i, z in enumerate(texte) if any(z)]
    if not belegt:
        protokoll.melden(FEHLER, "Die Datei ist leer (keine Zellen mit Inhalt).")
        return None
    kopf_i = _kopfzeile_finden(texte, erwartete_koepfe or set())
    if kopf_i is None:
        protokoll.melden(FEHLER, "Keine Kopfzeile mit Spaltennamen gefunden.")
        return None
    if kopf_i > 0 and any(any(z) for z in texte[:kopf_i]):
        titel = next(" ".join(t for t in z if t) for z in texte[:kopf_i] if any(z))
        protokoll.melden(
            HINWEIS,
            f"{kopf_i} Zeile(n) über der Kopfzeile (Titel, z. B. „{titel[:60]}“) übersprungen; Kopfzeile ist "
            f"Zeile {kopf_i + 1}.",
            pruefung="titel",
        )
    kopf = texte[kopf_i]
    while kopf and not kopf[-1]:
        kopf.pop()
    kopf = [k if k else f"Spalte {i + 1}" for i, k in enumerate(kopf)]
    doppelt = [k for k, n in Counter(kopf).items() if n > 1]
    if doppelt:
        protokoll.melden(
            WARNUNG,
            f"Der Spaltenkopf „{doppelt[0]}“ kommt mehrfach vor; die erste Spalte gilt.",
            zeile=kopf_i + 1,
            spalte=doppelt[0],
            pruefung="kopf_doppelt",
        )
    daten = [(i, roh[i]) for i in range(kopf_i + 1, len(roh)) if any(texte[i])]
    # Fußnoten am Ende abtrennen
    fussnoten = []
    while daten:
        i, _ = daten[-1]
        belegte = [t for t in texte[i] if t]
        erste = belegte[0] if belegte else ""
        if (_FUSSNOTE.match(erste) and len(belegte) <= 2) or (len(belegte) == 1 and len(kopf) > 2 and len(erste) > 12):
            fussnoten.append(erste)
            daten.pop()
        else:
            break
    if fussnoten:
        protokoll.melden(
            HINWEIS,
            f"{len(fussnoten)} Fußnotenzeile(n) am Ende übersprungen (z. B. „{fussnoten[-1][:60]}“).",
            pruefung="fussnoten",
        )
    for k in kopf:
        if _HTML.search(k):
            protokoll.melden(
                HINWEIS,
                f"Der Spaltenkopf „{k[:80]}“ enthält HTML-Zeichen; er wird nur als Text behandelt.",
                zeile=kopf_i + 1,
                spalte=k,
                pruefung="html",
            )
    tabelle = Rohtabelle(
        datei=pfad.name,
        kopf=kopf,
        zeilen=[list(z[: len(kopf)]) + [None] * (len(kopf) - len(z)) for _, z in daten],
        zeilennummern=[i + 1 for i, _ in daten],
        formeln={(r, c): f for (r, c), f in formeln.items()},
    )
    protokoll.zeilen = len(tabelle.zeilen)
    return tabelle


def _kopfzeile_finden(texte: list[list[str]], erwartet: set[str]) -> int | None:
    """Die erste Zeile, deren Zellen wie Spaltennamen aussehen (bevorzugt: passen zu erwarteten Köpfen)."""
    erwartet_n = {_norm(e) for e in erwartet if e}
    kandidaten = list(range(min(len(texte), 40)))
    if erwartet_n:
        punkte = [(sum(_norm(t) in erwartet_n for t in texte[i] if t), i) for i in kandidaten]
        beste = max((p for p, _ in punkte), default=0)
        if beste >= 1:
            return next(i for p, i in punkte if p == beste)
    for i in kandidaten:
        belegte = [t for t in texte[i] if t]
        if len(belegte) >= 2 and all(_zahl_oder_none(t) is None for t in belegte):
            folge = next((texte[j] for j in range(i + 1, len(texte)) if any(texte[j])), None)
            if folge is not None and sum(1 for t in folge if t) >= 2:
                return i
    return next((i for i in kandidaten if any(texte[i])), None)


def _zahl_oder_none(text: str) -> float | None:
    t = text.replace(".", "").replace(",", ".").replace(" ", "").replace("\u00a0", "")
    try:
        return float(t)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------------
# Zahlen
# ---------------------------------------------------------------------------------------------------


def _dezimalzeichen(texte: list[str]) -> str:
    """„,“ (deutsch) oder „.“ für eine Spalte erkennen; im Zweifel deutsch (Statistikstellen)."""
    deutsch = sum(bool(re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?|-?\d+,\d+", t)) for t in texte)
    englisch = sum(bool(re.fullmatch(r"-?\d+\.\d{1,2}|-?\d+\.\d{4,}|-?\d{1,3}(,\d{3})+(\.\d+)?", t)) for t in texte)
    return "." if englisch > deutsch else ","


def zahl_lesen(wert: Any, dezimal: str) -> tuple[float, str]:
    """(Zahl, Art) mit Art "" (Zahl), "fehlwert" (., -, x …), "marke" (Fußnotenzeichen entfernt), "kaputt"."""
    if isinstance(wert, bool):
        return math.nan, "kaputt"
    if isinstance(wert, (int, float)) and not isinstance(wert, bool):
        return (float(wert), "") if math.isfinite(float(wert)) else (math.nan, "kaputt")
    text = _zelle_text(wert).replace("\u00a0", " ").replace("\u2212", "-").strip()
    if text in FEHLWERTE:
        return math.nan, "fehlwert"
    art = ""
    ohne = _MARKE.sub("", text).strip()
    if ohne != text:
        art, text = "marke", ohne
        if text in FEHLWERTE:
            return math.nan, "fehlwert"
    text = text.replace(" ", "").replace("'", "")
    if dezimal == ",":
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", text):
        return math.nan, "kaputt"
    return float(text), art


# ---------------------------------------------------------------------------------------------------
# Zuordnung erraten und lange Form bilden
# ---------------------------------------------------------------------------------------------------

_KOEPFE = {
    "indikator_spalte": ("indikator", "merkmal", "kennzahl", "indicator", "variable"),
    "periode_spalte": ("periode", "jahr", "stichtag", "zeitraum", "year", "berichtsjahr", "schuljahr"),
    "wert_spalte": ("wert", "werte", "anzahl", "value", "fälle", "faelle"),
    "zaehler_spalte": ("zaehler", "zähler", "numerator"),
    "nenner_spalte": ("nenner", "bezugsgröße", "bezugsgroesse", "denominator"),
    "name_spalte": ("name", "gebietsname", "bezeichnung", "gebiet name"),
}


def _schluessel_text(wert: Any) -> str:
    return _zelle_text(wert)


def _indikator_fuer_kopf(kopf: str, kommune: Kommune) -> str | None:
    kat = kommune.katalog
    m = re.search(r"\[([A-Za-z0-9_]+)\]", kopf)
    if m and m.group(1) in kat.index:
        return m.group(1)
    n = _norm(kopf)
    for i in kat.index:
        if n == i.lower() or n == _norm(kat.loc[i, "name"]):
            return i
    return None


def zuordnung_erraten(tabelle: Rohtabelle, kommune: Kommune, vorgabe: Zuordnung | None = None) -> Zuordnung:
    """Eine Zuordnung aus Köpfen und Werten erraten; Angaben aus `vorgabe` haben Vorrang."""
    z = Zuordnung(**{f.name: getattr(vorgabe, f.name) for f in fields(Zuordnung)}) if vorgabe else Zuordnung()
    koepfe = tabelle.kopf
    norm = [_norm(k) for k in koepfe]
    # Gebietsschlüssel: die Spalte, deren Werte am besten zu den Schlüsseln einer Ebene passen
    if not z.einheit_spalte or not z.ebene:
        beste = (0.0, "", "")
        for c, k in enumerate(koepfe):
            werte = {_schluessel_text(r[c]) for r in tabelle.zeilen[:2000] if r[c] not in (None, "")}
            if not werte:
                continue
            for s in kommune.konfiguration.schichten:
                if z.ebene and s.id != z.ebene:
                    continue
                ids = set(kommune.gebiete[s.id].index)
                treffer = len(werte & ids) / len(werte)
                if treffer > beste[0]:
                    beste = (treffer, k, s.id)
        if beste[0] > 0:
            z.einheit_spalte = z.einheit_spalte or beste[1]
            z.ebene = z.ebene or beste[2]
    if not z.einheit_spalte:
        ids = {s.id_spalte.lower() for s in kommune.konfiguration.schichten}
        for k, n in zip(koepfe, norm, strict=True):
            if n in ids or n in ("gebiet_id", "gebiet", "schlüssel", "schluessel", "gebietsschlüssel", "id"):
                z.einheit_spalte = k
                break
    for feld, namen in _KOEPFE.items():
        if not getattr(z, feld):
            for k, n in zip(koepfe, norm, strict=True):
                if n in namen and k != z.einheit_spalte:
                    setattr(z, feld, k)
                    break
    if not z.indikator_spalte and not z.spalten:
        spalten = {}
        for k in koepfe:
            if k in (z.einheit_spalte, z.name_spalte, z.periode_spalte):
                continue
            ind = _indikator_fuer_kopf(k, kommune)
            if ind:
                spalten[k] = ind
        if spalten:
            z.format = "breit"
            z.spalten = spalten
            z.wert_spalte = ""
    if z.format == "lang" and not z.wert_spalte:
        for c, k in enumerate(koepfe):
            if k in (z.einheit_spalte, z.indikator_spalte, z.periode_spalte, z.name_spalte):
                continue
            if any(zahl_lesen(r[c], ",")[1] in ("", "marke") for r in tabelle.zeilen[:50]):
                z.wert_spalte = k
                break
    return z


@dataclass
class Lieferung:
    """Die Lieferung in langer Form, mit Fundstellen, plus Summenzeilen und Namen."""

    lang: pd.DataFrame  # gebiet, indikator, periode, wert, zaehler, nenner, zeile, spalte
    summenzeilen: pd.DataFrame
    namen: dict[str, str]


def _beispiele(ids: Any, n: int = 5) -> str:
    """Die ersten `n` Schlüssel als „a“, „b“ für Befundtexte."""
    return ", ".join(f"„{i}“" for i in list(ids)[:n])


def _zahl_pruefen(
    r: list[Any], p: int, nr: int, dezimal: Any, tabelle: Rohtabelle, protokoll: Pruefprotokoll
) -> tuple[float, str]:
    """Eine Zelle als Zahl lesen; Unlesbares (außer Formeln, die eigens gemeldet werden) als Fehler melden."""
    w, art = zahl_lesen(r[p], dezimal[p])
    if art == "kaputt" and (nr, p) not in tabelle.formeln:
        protokoll.melden(
            FEHLER,
            f"Der Wert „{_zelle_text(r[p])[:40]}“ ist keine Zahl.",
            zeile=nr,
            spalte=tabelle.kopf[p],
            pruefung="keine_zahl",
        )
    return w, art


def lang_bilden(tabelle: Rohtabelle, z: Zuordnung, kommune: Kommune, protokoll: Pruefprotokoll) -> Lieferung | None:
    """Die Rohtabelle nach der Zuordnung in die lange Form bringen; Zahlen mit Fundstelle prüfen."""
    kopf_pos = {}
    for i, k in enumerate(tabelle.kopf):
        kopf_pos.setdefault(k, i)
        kopf_pos.setdefault(_norm(k), i)

    def pos(name: str, feld: str, pflicht: bool = True) -> int | None:
        if not name:
            if pflicht:
                protokoll.melden(
                    FEHLER, f"In der Zuordnung fehlt „{feld}“ (welche Spalte enthält das?).", pruefung="zuordnung"
                )
            return None
        p = kopf_pos.get(name, kopf_pos.get(_norm(name)))
        if p is None:
            protokoll.melden(
                FEHLER,
                f"Die Spalte „{name}“ ({feld}) gibt es nicht. Vorhanden: {', '.join(tabelle.kopf[:15])}.",
                spalte=name,
                pruefung="zuordnung",
            )
        return p

    if z.ebene and z.ebene not in [s.id for s in kommune.konfiguration.schichten]:
        protokoll.melden(FEHLER, f"Die Ebene „{z.ebene}“ gibt es in {kommune.name} nicht.", pruefung="zuordnung")
        return None
    if not z.ebene:
        protokoll.melden(
            FEHLER,
            "Die Ebene der Gebietsschlüssel ist nicht erkennbar; bitte in der Zuordnung „ebene“ angeben.",
            pruefung="zuordnung",
        )
    p_gebiet = pos(z.einheit_spalte, "Gebietsschlüssel")
    p_name = pos(z.name_spalte, "Gebietsname", pflicht=False) if z.name_spalte else None
    if z.format == "lang":
        p_ind = pos(z.indikator_spalte, "Indikator")
        p_wert = pos(z.wert_spalte, "Wert")
        spalten_werte = [] if p_wert is None else [(p_wert, None)]
    else:
        p_ind = None
        if not z.spalten:
            protokoll.melden(
                FEHLER,
                "Keine Spalte der Lieferung passt zu einem Indikator des Katalogs; bitte in der "
                "Zuordnung unter [spalten] Spaltenkopf = Indikator-ID angeben.",
                pruefung="zuordnung",
            )
        spalten_werte = [(pos(k, f"Indikator {i}"), i) for k, i in z.spalten.items()]
        spalten_werte = [(p, i) for p, i in spalten_werte if p is not None]
    p_periode = pos(z.periode_spalte, "Periode", pflicht=False) if z.periode_spalte else None
    if p_periode is None and not z.periode:
        protokoll.melden(
            FEHLER,
            "Die Periode fehlt: eine Spalte „Periode“/„Jahr“ liefern oder in der Zuordnung "
            "„periode“ angeben (Kommandozeile: --period).",
            pruefung="zuordnung",
        )
    p_zaehler = pos(z.zaehler_spalte, "Zähler", pflicht=False) if z.zaehler_spalte else None
    p_nenner = pos(z.nenner_spalte, "Nenner", pflicht=False) if z.nenner_spalte else None
    if not protokoll.ok:
        return None
    # Formeln: in genutzten Spalten ein Fehler, sonst eine Warnung (nie ausgewertet)
    genutzt = {p for p in (p_gebiet, p_name, p_ind, p_periode, p_zaehler, p_nenner) if p is not None}
    genutzt |= {p for p, _ in spalten_werte}
    zeile_nach_datei = set(tabelle.zeilennummern)
    ungenutzt: dict[int, list[tuple[int, str]]] = {}
    for (r, c), formel in sorted(tabelle.formeln.items()):
        if r not in zeile_nach_datei:
            continue
        kopf = tabelle.kopf[c] if c < len(tabelle.kopf) else f"Spalte {c + 1}"
        if c in genutzt:
            protokoll.melden(
                FEHLER,
                f"Die Zelle enthält eine Formel ({formel[:60]}); Formeln werden nicht ausgewertet. Bitte die Werte "
                "als Zahlen einfügen.",
                zeile=r,
                spalte=kopf,
                pruefung="formel",
            )
        else:
            ungenutzt.setdefault(c, []).append((r, formel))
    for c, liste in ungenutzt.items():
        kopf = tabelle.kopf[c] if c < len(tabelle.kopf) else f"Spalte {c + 1}"
        protokoll.melden(
            WARNUNG,
            f"Die Spalte enthält {len(liste)} Formel(n), z. B. {liste[0][1][:60]}; Formeln werden nicht ausgewertet "
            "und die Spalte wird nicht übernommen.",
            zeile=liste[0][0],
            spalte=kopf,
            pruefung="formel_ungenutzt",
        )
    # HTML in irgendeiner Textzelle: nur Hinweis (bleibt Text; maskieren ist Sache der Anzeige)
    for r, nr in zip(tabelle.zeilen, tabelle.zeilennummern, strict=True):
        for c, wert in enumerate(r):
            if isinstance(wert, str) and _HTML.search(wert):
                protokoll.melden(
                    HINWEIS,
                    f"„{wert[:80]}“ enthält HTML-Zeichen; wird nur als Text behandelt und bei der Anzeige maskiert.",
                    zeile=nr,
                    spalte=tabelle.kopf[c],
                    pruefung="html",
                )
    # Dezimalzeichen je Wertspalte
    dezimal: dict[int, str] = {}
    for p in [p for p, _ in spalten_werte] + [p for p in (p_zaehler, p_nenner) if p is not None]:
        dezimal[p] = z.dezimalzeichen or _dezimalzeichen(
            [_zelle_text(r[p]) for r in tabelle.zeilen if isinstance(r[p], str)]
        )
    zeilen = []
    summen = []
    namen: dict[str, str] = {}
    fehlwerte = marken = 0
    for r, nr in zip(tabelle.zeilen, tabelle.zeilennummern, strict=True):
        gebiet = _schluessel_text(r[p_gebiet])
        name = _zelle_text(r[p_name]) if p_name is not None else ""
        if name:
            namen.setdefault(gebiet, name)
        for t, sp in ((gebiet, z.einheit_spalte), (name, z.name_spalte)):
            if t and t[0] in "=+@" and not (t.startswith("=") and tabelle.formeln):
                protokoll.melden(
                    HINWEIS,
                    f"„{t[:80]}“ beginnt wie eine Formel; es bleibt Text und wird beim Export entschärft.",
                    zeile=nr,
                    spalte=sp,
                    pruefung="formeltext",
                )
        periode = _zelle_text(r[p_periode]) if p_periode is not None else z.periode
        summe = bool(_SUMMENZEILE.match(gebiet)) or gebiet == kommune.konfiguration.ags
        begleit = {}
        for ziel, p in (("zaehler", p_zaehler), ("nenner", p_nenner)):
            if p is None:
                begleit[ziel] = math.nan
                continue
            w, art = _zahl_pruefen(r, p, nr, dezimal, tabelle, protokoll)
            begleit[ziel] = w
        for p, ind in spalten_werte:
            indikator = ind if ind is not None else _zelle_text(r[p_ind])
            w, art = _zahl_pruefen(r, p, nr, dezimal, tabelle, protokoll)
            fehlwerte += art == "fehlwert"
            marken += art == "marke"
            eintrag = {
                "gebiet": gebiet,
                "indikator": indikator,
                "periode": periode,
                "wert": w,
                "zaehler": begleit["zaehler"],
                "nenner": begleit["nenner"],
                "zeile": nr,
                "spalte": tabelle.kopf[p],
                "fehlwert": art == "fehlwert",
            }
            (summen if summe else zeilen).append(eintrag)
    if fehlwerte:
        protokoll.melden(
            HINWEIS,
            f"{fehlwerte} Zellen enthalten Zeichen für „kein Wert“ (., -, x); sie bleiben leer.",
            pruefung="fehlwerte",
        )
    if marken:
        protokoll.melden(
            HINWEIS, f"Bei {marken} Zahlen wurde ein Fußnotenzeichen (z. B. „1)“ oder „*“) entfernt.", pruefung="marken"
        )
    if summen:
        erste = summen[0]
        protokoll.melden(
            HINWEIS,
            f"Die Summenzeile „{erste['gebiet']}“ wird nicht übernommen, nur zum Abgleich "
            "mit der Summe der Gebiete genutzt.",
            zeile=erste["zeile"],
            pruefung="summenzeile",
        )
    spalten = ["gebiet", "indikator", "periode", "wert", "zaehler", "nenner", "zeile", "spalte", "fehlwert"]
    return Lieferung(pd.DataFrame(zeilen, columns=spalten), pd.DataFrame(summen, columns=spalten), namen)


# ---------------------------------------------------------------------------------------------------
# Plausibilitätsprüfungen
# ---------------------------------------------------------------------------------------------------


def _katalog_summen(kommune: Kommune) -> dict[str, list[str]]:
    """Optionale Katalogspalte `summe` („a + b“) direkt aus der Katalogdatei lesen."""
    from kommune.tabellen import tabelle_lesen

    try:
        roh = tabelle_lesen(kommune.konfiguration.katalog)
    except KommuneFehler:
        return {}
    if "summe" not in roh.columns:
        return {}
    return {
        str(r["id"]).strip(): [t.strip() for t in re.split(r"[+;,]", str(r["summe"])) if t.strip()]
        for _, r in roh.iterrows()
        if str(r["summe"]).strip()
    }


def _vorschlag(schluessel: str, bekannt: pd.Index, namen: pd.Series) -> str:
    laengen = {len(b) for b in bekannt}
    for n in sorted(laengen):
        if schluessel.isdigit() and len(schluessel) < n and schluessel.zfill(n) in bekannt:
            return f" Führende Null verloren? Gemeint ist wohl „{schluessel.zfill(n)}“."
    treffer = namen[namen.str.lower() == schluessel.lower()]
    if len(treffer):
        return f" „{schluessel}“ ist ein Gebietsname; sein Schlüssel ist „{treffer.index[0]}“."
    nahe = difflib.get_close_matches(schluessel, [str(b) for b in bekannt], n=1, cutoff=0.5)
    return f" Meinten Sie „{nahe[0]}“?" if nahe else ""


def pruefen(kommune: Kommune, lieferung: Lieferung, z: Zuordnung, protokoll: Pruefprotokoll) -> Pruefprotokoll:
    """Alle Plausibilitätsprüfungen einer Lieferung in langer Form."""
    from kommune.geheimhaltung import _sensibel, regeln_fuer

    g = protokoll.grenzen
    df = lieferung.lang
    kat = kommune.katalog
    if df.empty:
        protokoll.melden(FEHLER, "Die Lieferung enthält keine Datenzeilen.", pruefung="leer")
        return protokoll
    ebene = z.ebene
    bekannt = kommune.gebiete[ebene].index
    namen = kommune.gebiete[ebene]["name"].astype(str)
    # Indikatoren
    for ind, teil in df.groupby("indikator", sort=False):
        if ind not in kat.index:
            nahe = difflib.get_close_matches(str(ind), list(kat.index), n=1, cutoff=0.6)
            protokoll.melden(
                FEHLER,
                f"Der Indikator „{ind}“ steht nicht im Indikatorenkatalog."
                + (f" Meinten Sie „{nahe[0]}“?" if nahe else " Bitte zuerst im Katalog anlegen."),
                zeile=int(teil["zeile"].iloc[0]),
                spalte=z.indikator_spalte or str(teil["spalte"].iloc[0]),
                pruefung="indikator_unbekannt",
            )
    # Perioden
    for i, r in df[df["periode"].astype(str).str.strip() == ""].iterrows():
        protokoll.melden(
            FEHLER, "Die Periode ist leer.", zeile=int(r["zeile"]), spalte=z.periode_spalte, pruefung="periode_leer"
        )
        del i
    # Schlüssel
    leer = df["gebiet"] == ""
    for _, r in df[leer].drop_duplicates("zeile").iterrows():
        protokoll.melden(
            FEHLER,
            "Der Gebietsschlüssel ist leer.",
            zeile=int(r["zeile"]),
            spalte=z.einheit_spalte,
            pruefung="schluessel_leer",
        )
    fremd = df[~leer & ~df["gebiet"].isin(bekannt)].drop_duplicates("zeile")
    for _, r in fremd.iterrows():
        protokoll.melden(
            FEHLER,
            f"Den Gebietsschlüssel „{r['gebiet']}“ gibt es in der Ebene „{kommune.schicht(ebene).name}“ nicht."
            + _vorschlag(str(r["gebiet"]), bekannt, namen),
            zeile=int(r["zeile"]),
            spalte=z.einheit_spalte,
            pruefung="schluessel_unbekannt",
        )
    gueltig = df[df["gebiet"].isin(bekannt) & df["indikator"].isin(kat.index)]
    for (ind, periode), teil in gueltig.groupby(["indikator", "periode"], sort=False):
        fehlt = bekannt.difference(teil["gebiet"])
        if len(fehlt):
            protokoll.melden(
                WARNUNG,
                f"Für {len(fehlt)} von {len(bekannt)} Gebieten fehlt ein Wert für „{ind}“ ({periode}), z. B. "
                + _beispiele(fehlt)
                + ".",
                pruefung="schluessel_fehlen",
            )
    # Dubletten
    doppelt = df[df.duplicated(["gebiet", "indikator", "periode"], keep=False) & ~leer]
    for (gebiet, ind, periode), teil in doppelt.groupby(["gebiet", "indikator", "periode"], sort=False):
        zeilen = teil["zeile"].astype(int).tolist()
        protokoll.melden(
            FEHLER,
            f"Gebiet „{gebiet}“, Indikator „{ind}“, Periode {periode} kommt mehrfach vor (Zeilen "
            + ", ".join(map(str, zeilen[:5]))
            + ").",
            zeile=zeilen[1],
            spalte=z.einheit_spalte,
            pruefung="dublette",
        )
    # Wertebereiche
    art = df["indikator"].map(lambda i: kat.loc[i, "art"] if i in kat.index else "")
    einheit = df["indikator"].map(lambda i: kat.loc[i, "einheit"] if i in kat.index else "")
    for _, r in df[(art == "anzahl") & (df["wert"] < 0)].iterrows():
        protokoll.melden(
            FEHLER,
            f"Negative Anzahl ({_de(r['wert'])}) bei „{r['indikator']}“.",
            zeile=int(r["zeile"]),
            spalte=r["spalte"],
            pruefung="negativ",
        )
    for spalte in ("zaehler", "nenner"):
        for _, r in df[df[spalte] < 0].iterrows():
            protokoll.melden(
                FEHLER,
                f"Negativer {'Zähler' if spalte == 'zaehler' else 'Nenner'} ({_de(r[spalte])}).",
                zeile=int(r["zeile"]),
                spalte=z.zaehler_spalte if spalte == "zaehler" else z.nenner_spalte,
                pruefung="negativ",
            )
    prozent = (art == "anteil") & (einheit == "%")
    for _, r in df[prozent & ((df["wert"] < 0) | (df["wert"] > 100))].iterrows():
        protokoll.melden(
            FEHLER,
            f"Der Anteil {_de(r['wert'])} % von „{r['indikator']}“ liegt nicht zwischen 0 und 100.",
            zeile=int(r["zeile"]),
            spalte=r["spalte"],
            pruefung="anteil_bereich",
        )
    for _, r in df[df["zaehler"] > df["nenner"]].iterrows():
        protokoll.melden(
            FEHLER,
            f"Der Zähler ({_de(r['zaehler'])}) ist größer als der Nenner ({_de(r['nenner'])}).",
            zeile=int(r["zeile"]),
            spalte=z.zaehler_spalte,
            pruefung="zaehler_nenner",
        )
    passt = prozent & (df["nenner"] > 0) & df["zaehler"].notna() & df["wert"].notna()
    abw = (df["wert"] - 100 * df["zaehler"] / df["nenner"]).abs()
    for _, r in df[passt & (abw > 0.2)].iterrows():
        protokoll.melden(
            WARNUNG,
            f"Der Wert {_de(r['wert'])} passt nicht zu Zähler/Nenner "
            f"({_de(r['zaehler'])}/{_de(r['nenner'])} = {_de(100 * r['zaehler'] / r['nenner'])} %).",
            zeile=int(r["zeile"]),
            spalte=r["spalte"],
            pruefung="anteil_rechnung",
        )
    # Katalogpaare Zähler ≤ Nenner und Summen (auch mit den vorhandenen Daten)
    alle = _mit_bestand(kommune, gueltig, ebene)
    breit = alle.pivot_table(index=["gebiet", "periode"], columns="indikator", values="wert", aggfunc="first")
    herkunft = gueltig.drop_duplicates(["gebiet", "periode", "indikator"]).set_index(
        ["gebiet", "periode", "indikator"]
    )["zeile"]
    for ind in gueltig["indikator"].unique():
        zi, ni = kat.loc[ind, "zaehler"], kat.loc[ind, "nenner"]
        if zi in breit.columns and ni in breit.columns and kat.loc[ind, "art"] == "anteil":
            zu_gross = breit[zi] > breit[ni]
            for gebiet, periode in breit.index[zu_gross.to_numpy()]:
                nr = herkunft.get((gebiet, periode, zi), herkunft.get((gebiet, periode, ni)))
                if nr is not None:
                    protokoll.melden(
                        FEHLER,
                        f"„{zi}“ ({_de(breit.loc[(gebiet, periode), zi])}) ist größer als „{ni}“ "
                        f"({_de(breit.loc[(gebiet, periode), ni])}) in Gebiet „{gebiet}“, {periode}.",
                        zeile=int(nr),
                        pruefung="zaehler_nenner",
                    )
    summen = {**_katalog_summen(kommune), **z.summen}
    for ganzes, teile in summen.items():
        if ganzes not in breit.columns or not all(t in breit.columns for t in teile):
            continue
        if not (gueltig["indikator"].isin([ganzes, *teile])).any():
            continue
        summe = breit[teile].sum(axis=1, min_count=len(teile))
        abweichung = (breit[ganzes] - summe).abs()
        for gebiet, periode in breit.index[(abweichung > 0.5).to_numpy()]:
            nr = next(
                (
                    herkunft.get((gebiet, periode, i))
                    for i in [ganzes, *teile]
                    if (gebiet, periode, i) in herkunft.index
                ),
                None,
            )
            if nr is None:
                continue
            protokoll.melden(
                WARNUNG,
                f"Teile ergeben nicht die Summe: „{ganzes}“ = {_de(breit.loc[(gebiet, periode), ganzes])}, aber "
                + " + ".join(teile)
                + f" = {_de(summe.loc[(gebiet, periode)])} (Gebiet „{gebiet}“, {periode}).",
                zeile=int(nr),
                pruefung="summe",
            )
    if not lieferung.summenzeilen.empty:
        for _, s in lieferung.summenzeilen.iterrows():
            if s["indikator"] not in kat.index or kat.loc[s["indikator"], "art"] != "anzahl" or math.isnan(s["wert"]):
                continue
            teil = gueltig[(gueltig["indikator"] == s["indikator"]) & (gueltig["periode"] == s["periode"])]
            summe = teil["wert"].sum(min_count=1)
            if not math.isnan(summe) and abs(summe - s["wert"]) > 0.5:
                protokoll.melden(
                    WARNUNG,
                    f"Die Summenzeile nennt {_de(s['wert'])} für „{s['indikator']}“, die Gebiete ergeben zusammen "
                    f"{_de(summe)}.",
                    zeile=int(s["zeile"]),
                    spalte=s["spalte"],
                    pruefung="summenzeile_abweichung",
                )
    # Sprünge gegenüber der Vorperiode (nur für gelieferte Gebiet-Indikator-Paare)
    paare = pd.MultiIndex.from_frame(gueltig[["gebiet", "indikator"]])
    a = alle[pd.MultiIndex.from_frame(alle[["gebiet", "indikator"]]).isin(paare)]
    a = a.sort_values(["gebiet", "indikator", "periode"]).copy()
    gruppen = a.groupby(["gebiet", "indikator"], sort=False)
    a["alt"] = gruppen["wert"].shift(1)
    a["alt_periode"] = gruppen["periode"].shift(1)
    a = a[a["alt"].notna() & a["wert"].notna()]
    anzahl = a["indikator"].map(kat["art"]) == "anzahl"
    gross = (a[["wert", "alt"]].abs().max(axis=1) >= g.sprung_mindestwert) | ~anzahl
    with np.errstate(divide="ignore", invalid="ignore"):
        relativ = (a["wert"] - a["alt"]).abs() / a["alt"].abs()
    relativ = relativ.where(a["alt"] != 0, np.where(a["wert"] != 0, np.inf, 0.0))
    for _, r in a[gross & (relativ > g.sprung)].iterrows():
        nr = herkunft.get((r["gebiet"], r["periode"], r["indikator"]))
        if nr is None:
            continue
        neu, alt = float(r["wert"]), float(r["alt"])
        aenderung = "vorher 0" if alt == 0 else f"{(neu - alt) / abs(alt) * 100:+.0f} %"
        protokoll.melden(
            WARNUNG,
            f"Sprung bei „{r['indikator']}“ in Gebiet „{r['gebiet']}“: {r['alt_periode']} {_de(alt)} → "
            f"{r['periode']} {_de(neu)} ({aenderung}; Schwelle {g.sprung * 100:.0f} %).",
            zeile=int(nr),
            pruefung="sprung",
        )
    # Stichtag
    for ind in gueltig["indikator"].unique():
        if not str(kat.loc[ind, "stand"]).strip() and not z.stand:
            protokoll.melden(
                WARNUNG,
                f"Für „{ind}“ ist kein Stichtag angegeben (Katalogspalte „stand“ leer, in der Zuordnung kein „stand“).",
                pruefung="stand",
            )
    # Kleine Fallzahlen (werden öffentlich gesperrt)
    regeln = regeln_fuer(kommune)
    sensibel = _sensibel(kat)
    grenze = (
        gueltig["indikator"]
        .map(lambda i: regeln.mindestfallzahl_sensibel if sensibel.get(i) else regeln.mindestfallzahl)
        .astype(float)
    )
    klein = gueltig[
        (gueltig["indikator"].map(kat["art"]) == "anzahl") & (gueltig["wert"] > 0) & (gueltig["wert"] < grenze)
    ]
    for idx, r in klein.iterrows():
        protokoll.melden(
            HINWEIS,
            f"Kleine Fallzahl {_de(r['wert'])} bei „{r['indikator']}“ in Gebiet „{r['gebiet']}“: unter der "
            f"Mindestfallzahl {int(grenze[idx])}, wird öffentlich als „.“ gesperrt.",
            zeile=int(r["zeile"]),
            spalte=r["spalte"],
            pruefung="kleine_fallzahl",
        )
    # Überschreiben vorhandener Werte
    vorhanden = kommune.indikatoren[kommune.indikatoren["schicht"] == ebene]
    if not vorhanden.empty:
        alt = vorhanden.set_index(["gebiet", "indikator", "periode"])["wert"]
        neu = gueltig.drop_duplicates(["gebiet", "indikator", "periode"]).set_index(["gebiet", "indikator", "periode"])[
            "wert"
        ]
        gemeinsam = neu.index.intersection(alt.index)
        if len(gemeinsam):
            anders = int(
                (
                    ~np.isclose(
                        neu.loc[gemeinsam].to_numpy(dtype=float),
                        alt.loc[gemeinsam].to_numpy(dtype=float),
                        equal_nan=True,
                    )
                ).sum()
            )
            protokoll.melden(
                HINWEIS,
                f"{len(gemeinsam)} Werte gibt es schon; sie werden ersetzt ({anders} davon mit anderem Wert).",
                pruefung="ersetzen",
            )
    return protokoll


def _mit_bestand(kommune: Kommune, neu: pd.DataFrame, ebene: str) -> pd.DataFrame:
    """Lieferung plus vorhandene Werte derselben Ebene (die Lieferung gewinnt)."""
    alt = kommune.indikatoren[kommune.indikatoren["schicht"] == ebene][["gebiet", "indikator", "periode", "wert"]]
    neu = neu[["gebiet", "indikator", "periode", "wert"]]
    alle = pd.concat([neu, alt], ignore_index=True).drop_duplicates(["gebiet", "indikator", "periode"], keep="first")
    alle["periode"] = alle["periode"].astype(str)
    return alle


def _de(wert: float) -> str:
    """Eine Zahl kurz im deutschen Format."""
    if wert is None or (isinstance(wert, float) and math.isnan(wert)):
        return "–"
    if float(wert).is_integer():
        return f"{int(wert):,}".replace(",", ".")
    return f"{wert:,.2f}".rstrip("0").replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


# ---------------------------------------------------------------------------------------------------
# Gesamtablauf für Tabellen und Geometrien
# ---------------------------------------------------------------------------------------------------


@dataclass
class Pruefergebnis:
    """Ergebnis der Prüfung einer Tabellenlieferung."""

    protokoll: Pruefprotokoll
    zuordnung: Zuordnung
    lieferung: Lieferung | None


def lieferung_pruefen(
    kommune: Kommune,
    pfad: str | Path,
    zuordnung: Zuordnung | None = None,
    *,
    blatt: str | None = None,
    grenzen: Grenzen | None = None,
) -> Pruefergebnis:
    """Lesen, zuordnen, prüfen – ohne etwas zu schreiben. Fängt jeden Fehler als Befund ab."""
    pfad = Path(pfad)
    protokoll = Pruefprotokoll(datei=pfad.name, grenzen=grenzen or Grenzen())
    z = zuordnung or Zuordnung()
    erwartet = {
        v
        for v in (
            z.einheit_spalte,
            z.indikator_spalte,
            z.periode_spalte,
            z.wert_spalte,
            z.zaehler_spalte,
            z.nenner_spalte,
            z.name_spalte,
        )
        if v
    } | set(z.spalten)
    if not erwartet:
        erwartet = {s.id_spalte for s in kommune.konfiguration.schichten} | {n for t in _KOEPFE.values() for n in t}
        erwartet |= set(kommune.katalog.index) | set(kommune.katalog["name"])
        erwartet |= {"gebiet_id", "gebiet", "schlüssel", "gebietsschlüssel"}
    try:
        tabelle = lieferung_lesen(pfad, protokoll, blatt=blatt or z.blatt or None, erwartete_koepfe=erwartet)
        if tabelle is None:
            return Pruefergebnis(protokoll.abschliessen(), z, None)
        z = zuordnung_erraten(tabelle, kommune, z)
        if blatt:
            z.blatt = blatt
        lieferung = lang_bilden(tabelle, z, kommune, protokoll)
        if lieferung is None:
            return Pruefergebnis(protokoll.abschliessen(), z, None)
        pruefen(kommune, lieferung, z, protokoll)
    except KommuneFehler as e:
        protokoll.melden(FEHLER, e.text, pruefung="abbruch")
        lieferung = None
    except (MemoryError, RecursionError):
        protokoll.melden(FEHLER, "Die Datei ist zu groß oder zu verschachtelt, um sie sicher zu lesen.")
        lieferung = None
    except Exception as e:  # letzte Absicherung: nie abstürzen, nichts übernehmen
        protokoll.melden(
            FEHLER,
            f"Die Datei konnte nicht vollständig geprüft werden (interner Fehler {type(e).__name__}); sie wird nicht "
            "übernommen. Bitte an die Administration melden.",
            pruefung="intern",
        )
        lieferung = None
    return Pruefergebnis(protokoll.abschliessen(), z, lieferung)


def _zip_sicher(pfad: Path, protokoll: Pruefprotokoll) -> bool:
    if not zipfile.is_zipfile(pfad):
        protokoll.melden(FEHLER, "Die ZIP-Datei ist beschädigt.")
        return False
    with zipfile.ZipFile(pfad) as zf:
        for info in zf.infolist():
            name = info.filename
            if name.startswith(("/", "\\")) or ".." in Path(name).parts or ":" in name:
                protokoll.melden(FEHLER, f"Die ZIP-Datei enthält einen unsicheren Pfad („{name}“); nicht entpackt.")
                return False
        if sum(i.file_size for i in zf.infolist()) > 10 * protokoll.grenzen.max_bytes:
            protokoll.melden(FEHLER, "Die ZIP-Datei ist entpackt zu groß (mögliche ZIP-Bombe); nicht entpackt.")
            return False
        if not any(i.filename.lower().endswith((".shp", ".gpkg", ".geojson", ".json")) for i in zf.infolist()):
            protokoll.melden(FEHLER, "Die ZIP-Datei enthält kein Shapefile (.shp), GeoPackage oder GeoJSON.")
            return False
    return True


def geometrie_pruefen(
    kommune: Kommune,
    pfad: str | Path,
    *,
    schicht_id: str | None = None,
    layer: str | None = None,
    id_spalte: str | None = None,
    grenzen: Grenzen | None = None,
) -> tuple[Pruefprotokoll, Any]:
    """Eine Geometrie-Lieferung (GeoPackage, GeoJSON, gezipptes Shapefile) prüfen: CRS, Polygone, Schlüssel,
    Abgleich mit der bisherigen Ebene. Rückgabe (Protokoll, GeoDataFrame im CRS der Kommune oder None)."""
    from kommune.geometrie import crs_pruefen, datei_lesen, polygone_reparieren, schluessel_pruefen

    pfad = Path(pfad)
    protokoll = Pruefprotokoll(datei=pfad.name, grenzen=grenzen or Grenzen())
    if not pfad.is_file() or pfad.stat().st_size == 0:
        protokoll.melden(FEHLER, "Die Datei ist leer oder fehlt.")
        return protokoll.abschliessen(), None
    if pfad.stat().st_size > protokoll.grenzen.max_bytes:
        protokoll.melden(FEHLER, f"Die Datei ist größer als {protokoll.grenzen.max_bytes // 1024 // 1024} MB.")
        return protokoll.abschliessen(), None
    endung = pfad.suffix.lower()
    if endung not in (".gpkg", ".geojson", ".json", ".zip", ".shp"):
        protokoll.melden(
            FEHLER, f"Das Geodatenformat „{endung}“ wird nicht unterstützt (GeoPackage, GeoJSON, gezipptes Shapefile)."
        )
        return protokoll.abschliessen(), None
    schicht = kommune.schicht(schicht_id) if schicht_id else None
    spalte = id_spalte or (schicht.id_spalte if schicht else None)
    with tempfile.TemporaryDirectory() as tmp:
        lesen = pfad
        if endung == ".zip":
            if not _zip_sicher(pfad, protokoll):
                return protokoll.abschliessen(), None
            with zipfile.ZipFile(pfad) as zf:
                zf.extractall(tmp)
            kandidaten = sorted(p for p in Path(tmp).rglob("*") if p.suffix.lower() in (".shp", ".gpkg", ".geojson"))
            lesen = kandidaten[0]
        try:
            gdf = datei_lesen(lesen, layer or (schicht.layer if schicht and endung == ".gpkg" else None))
            gdf = crs_pruefen(gdf, kommune.konfiguration.crs, pfad.name)
            if spalte:
                ids = schluessel_pruefen(gdf, spalte, pfad.name)
                gdf = gdf.set_index(pd.Index(ids.to_numpy(), name="id"))
            else:
                protokoll.melden(FEHLER, "Die Schlüsselspalte ist nicht angegeben.")
                return protokoll.abschliessen(), None
            geom, repariert = polygone_reparieren(gdf.geometry, pfad.name)
            gdf = gdf.set_geometry(geom)
        except KommuneFehler as e:
            protokoll.melden(FEHLER, e.meldung, zeile=e.zeile, spalte=e.spalte, pruefung="geometrie")
            return protokoll.abschliessen(), None
    protokoll.zeilen = len(gdf)
    if repariert:
        protokoll.melden(HINWEIS, f"{repariert} ungültige Polygone wurden repariert.", pruefung="repariert")
    for c in gdf.columns:
        if c == gdf.geometry.name:
            continue
        texte = gdf[c].astype(str)
        for i, t in texte[texte.str.contains(_HTML, na=False)].items():
            protokoll.melden(
                HINWEIS,
                f"„{t[:80]}“ enthält HTML-Zeichen; wird nur als Text übernommen.",
                spalte=str(c),
                pruefung="html",
            )
            del i
    if schicht is not None:
        alt = kommune.gebiete[schicht.id].index
        neu_ids = gdf.index.difference(alt)
        weg = alt.difference(gdf.index)
        if len(weg):
            protokoll.melden(
                WARNUNG,
                f"{len(weg)} Gebiete der bisherigen Ebene „{schicht.name}“ fehlen, z. B. " + _beispiele(weg) + ".",
                pruefung="gebiete_fehlen",
            )
        if len(neu_ids):
            protokoll.melden(
                HINWEIS,
                f"{len(neu_ids)} neue Gebiete, z. B. " + _beispiele(neu_ids) + ".",
                pruefung="gebiete_neu",
            )
    return protokoll.abschliessen(), gdf


def als_json(protokoll: Pruefprotokoll) -> list[dict[str, Any]]:
    """Die Befunde als Liste von Dictionaries (z. B. für die Seite)."""
    return [asdict(b) for b in protokoll.befunde]

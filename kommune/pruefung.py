"""Lieferungen lesen und auf Plausibilität prüfen: das Prüfprotokoll eines Imports.

Ablauf: `lieferung_lesen` (CSV/XLSX wie Statistikstellen sie schreiben: Titelzeilen, Fußnoten, `;` oder
`,`, Dezimalkomma, Tausenderpunkte, UTF-8 oder Windows-1252; XLSX nur Werte, Formeln werden NIE
ausgewertet) → `zuordnung_erraten` oder eine gespeicherte `Zuordnung` (TOML) → `lang_bilden` →
`pruefen` (Schlüssel, Dubletten, Zahlen, Zähler/Nenner, Anteile, Summen, Sprünge, Stichtag …).
Jeder Befund hat eine Stufe: **Fehler** blockieren den Import, **Warnungen** entscheidet die Sachbearbeitung,
**Hinweise** informieren. Nichts wird ausgeführt; Namen mit HTML bleiben Text (maskieren ist Sache der
Anzeige) und werden als Hinweis gemeldet.

Kein stiller Verlust: jede Dateizeile wird gezählt (`Pruefprotokoll.bilanz`, `zeilenbilanz`); mehrdeutige
CSV (gemischte Trennzeichen, offenes Anführungszeichen, mehr Felder als Köpfe) werden abgelehnt; Tabellenzeichen
nach `kommune.tabellen.SYMBOLE` („-“ = 0, „.“ geheim …, je Lieferung `[symbole]`); nicht endliche Zahlen und
Perioden außerhalb `kommune.tabellen.PERIODE` sind Fehler; nicht zugeordnete Spalten Warnungen. Zeilenweise
Befundtexte (z. B. Schlüsselvorschläge) entstehen nur für die gezeigten Befunde (`melden_zeilen`).

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
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kommune.fehler import KommuneFehler
from kommune.format import zahl
from kommune.laden import Kommune
from kommune.tabellen import BEDEUTUNGEN, SYMBOLE, periode_gueltig, symbole_mit

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
    "schluessel_ergaenzt": "führende Nullen ergänzt",
    "schluessel_umgerechnet": "AGS/ARS umgerechnet",
    "schluessel_mehrdeutig": "mehrdeutiger Gebietsschlüssel",
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
    #: Zeilenbilanz der Datei: gelesen = daten + kopf + titel + fussnoten + leer + summen
    bilanz: dict[str, int] = field(default_factory=dict)
    #: Dateizeilen mit mindestens einem Fehler (auch jenseits der gezeigten Befunde)
    fehlerzeilen: set[int] = field(default_factory=set, repr=False)
    _je_pruefung: Counter = field(default_factory=Counter, repr=False)

    def melden(
        self, stufe: str, text: str, *, zeile: int | None = None, spalte: str | None = None, pruefung: str = ""
    ) -> None:
        """Einen Befund anfügen; je Prüfung höchstens `befunde_je_pruefung`, der Rest wird gezählt."""
        if stufe == FEHLER and zeile is not None:
            self.fehlerzeilen.add(int(zeile))
        if pruefung:
            self._je_pruefung[(pruefung, stufe)] += 1
            if self._je_pruefung[(pruefung, stufe)] > self.grenzen.befunde_je_pruefung:
                return
        self.befunde.append(Befund(stufe, text, self.datei, zeile, spalte, pruefung))

    def melden_zeilen(
        self,
        stufe: str,
        teil: pd.DataFrame,
        text: Callable[[dict[str, Any]], str],
        *,
        pruefung: str,
        spalte: str | Callable[[dict[str, Any]], str] | None = None,
    ) -> None:
        """Einen Befund je Zeile von `teil` (Spalte `zeile`); Texte nur für die gezeigten, der Rest wird gezählt."""
        if teil.empty:
            return
        frei = max(self.grenzen.befunde_je_pruefung - self._je_pruefung[(pruefung, stufe)], 0)
        for r in teil.head(frei).to_dict("records"):
            ort = spalte(r) if callable(spalte) else spalte
            self.melden(stufe, text(r), zeile=int(r["zeile"]), spalte=ort, pruefung=pruefung)
        rest = len(teil) - min(frei, len(teil))
        if rest:
            self._je_pruefung[(pruefung, stufe)] += rest
            if stufe == FEHLER:
                self.fehlerzeilen.update(int(z) for z in teil["zeile"].iloc[frei:])

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
    def zeilenbilanz(self) -> str:
        """„Zeilen: 128 gelesen = 118 übernehmbar + 2 abgelehnt + 8 benannt (1 Kopfzeile, 3 Titel, …)“."""
        b = self.bilanz
        if not b:
            return ""
        daten = b.get("daten", 0)
        abgelehnt = min(len(self.fehlerzeilen), daten)
        benannt = [
            (b.get("kopf", 0), "Kopfzeile", "Kopfzeilen"),
            (b.get("titel", 0), "Titelzeile", "Titelzeilen"),
            (b.get("fussnoten", 0), "Fußnote", "Fußnoten"),
            (b.get("summen", 0), "Summenzeile", "Summenzeilen"),
            (b.get("leer", 0), "Leerzeile", "Leerzeilen"),
        ]
        summe = sum(n for n, _, _ in benannt)
        teile = ", ".join(f"{n} {eins if n == 1 else viele}" for n, eins, viele in benannt if n)
        return (
            f"Zeilen: {b.get('gelesen', 0)} gelesen = {daten - abgelehnt} übernehmbar + {abgelehnt} abgelehnt + "
            f"{summe} benannt ({teile or 'keine'})"
        )

    @property
    def zusammenfassung(self) -> str:
        """„2 Fehler, 1 Warnung, 3 Hinweise (120 Datenzeilen gelesen; Zeilen: …)“."""
        f, w, h = (self._zahl(s) for s in STUFEN)
        teile = [
            f"{f} Fehler",
            f"{w} {'Warnung' if w == 1 else 'Warnungen'}",
            f"{h} {'Hinweis' if h == 1 else 'Hinweise'}",
        ]
        bilanz = f"; {self.zeilenbilanz}" if self.zeilenbilanz else ""
        return ", ".join(teile) + f" ({self.zeilen} Datenzeilen gelesen{bilanz})"

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
            "zeilen": dict(self.bilanz),
        }


def pruefprotokoll_xlsx(protokoll: Pruefprotokoll, pfad: str | Path) -> Path:
    """Das Prüfprotokoll als XLSX (Blatt „Prüfprotokoll“); Texte entschärft (keine Formeln)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from kommune.format import entschaerfen

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
    #: Gruppen (kommune/merkmale.py): Merkmal-ID; lang: Spalte mit der Ausprägung; breit: Gesamtindikator der
    #: Spalten je Ausprägung
    merkmal: str = ""
    merkmal_spalte: str = ""
    basis: str = ""
    spalten: dict[str, str] = field(default_factory=dict)
    summen: dict[str, list[str]] = field(default_factory=dict)
    symbole: dict[str, str] = field(default_factory=dict)  # Tabellenzeichen → Bedeutung (kommune.tabellen)

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

    pfad = Path(pfad)
    if not pfad.is_file():
        raise KommuneFehler("Die Zuordnungsdatei wurde nicht gefunden.", datei=str(pfad))
    try:
        text = pfad.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise KommuneFehler(f"Die Zuordnung ist kein gültiges TOML ({type(e).__name__}).", datei=pfad.name) from None
    return zuordnung_aus_text(text, pfad.name)


def zuordnung_aus_text(text: str, datei: str = "zuordnung.toml") -> Zuordnung:
    """Eine Zuordnung aus TOML-Text (z. B. aus der Ablage); Fehler als deutscher Satz mit `datei`."""
    import tomllib

    pfad = Path(datei)
    try:
        roh = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as e:
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
        if k in ("spalten", "symbole", "summen") and not isinstance(v, dict):  # Fuzz-Schutz (issue 9)
            raise KommuneFehler(f"„{k}“ muss in der Zuordnung ein Abschnitt [{k}] sein.", datei=pfad.name)
        if k in ("spalten", "symbole"):
            werte[k] = {str(a): str(b) for a, b in v.items()}
        elif k == "summen":
            werte[k] = {str(a): [str(x) for x in (b if isinstance(b, list) else [b])] for a, b in dict(v).items()}
        else:
            werte[k] = str(v)
    z = Zuordnung(**werte)
    if z.format not in ("lang", "breit"):
        raise KommuneFehler(f"„format“ muss „lang“ oder „breit“ sein, nicht „{z.format}“.", datei=pfad.name)
    try:
        symbole_mit(z.symbole)
    except KommuneFehler as e:
        raise KommuneFehler(e.meldung, datei=pfad.name) from None
    return z


def symbole_parsen(text: str) -> dict[str, str]:
    """„-=leer; NA=leer“ (Seite, Kommandozeile) → {"-": "leer", "NA": "leer"}; Fehler als deutscher Satz."""
    symbole = {}
    for teil in re.split(r"[;\n]", text or ""):
        if not teil.strip():
            continue
        zeichen, gleich, bedeutung = teil.partition("=")
        if not gleich:
            raise KommuneFehler(
                f"„{teil.strip()}“: Tabellenzeichen bitte als Zeichen=Bedeutung angeben (z. B. -=leer)."
            )
        symbole[zeichen.strip()] = bedeutung.strip()
    symbole_mit(symbole)
    return symbole


# ---------------------------------------------------------------------------------------------------
# Lesen
# ---------------------------------------------------------------------------------------------------


@dataclass
class Rohtabelle:
    """Die gelesenen Zellen unterhalb der Kopfzeile, eine Spalte je Kopf (Position 0 … n-1).

    `texte`: jede Zelle als getrimmter Text; `werte`: wie gelesen (XLSX: Zahlen bleiben Zahlen; CSV: = texte).
    `zeilennummern`: Zeile der Datei je Tabellenzeile (Kopfzeile der Datei = 1).
    """

    datei: str
    kopf: list[str]
    texte: pd.DataFrame
    werte: pd.DataFrame
    zeilennummern: np.ndarray
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


def _text_dekodieren(roh: bytes, protokoll: Pruefprotokoll) -> str | None:
    if b"\x00" in roh[:65536]:
        protokoll.melden(FEHLER, "Die Datei ist keine Texttabelle (Binärdaten); erwartet wird CSV oder XLSX.")
        return None
    for kodierung in ("utf-8-sig", "cp1252"):
        try:
            text = roh.decode(kodierung)
        except UnicodeDecodeError:
            continue
        if kodierung == "cp1252":
            protokoll.melden(HINWEIS, "Die Datei ist in Windows-1252 kodiert (älterer Excel-Export); gelesen.")
        return text
    protokoll.melden(FEHLER, "Die Zeichenkodierung ist weder UTF-8 noch Windows-1252.")
    return None


def _trenner_erkennen(probe: list[str]) -> str:
    """Das Trennzeichen, das in den meisten Probezeilen gleich oft vorkommt (;, Tab oder ,)."""

    def punkte(t: str) -> int:
        haeufig = Counter(z.count(t) for z in probe if z.count(t)).most_common(1)
        return haeufig[0][0] if haeufig else 0

    return max((";", "\t", ","), key=punkte)


def _csv_lesen(roh: bytes, protokoll: Pruefprotokoll) -> pd.DataFrame | None:
    """Eine CSV-Datei als Texttabelle (Spalten 0 … n-1, eine Zeile je Dateizeile) – oder None mit Fehler."""
    text = _text_dekodieren(roh, protokoll)
    if text is None:
        return None
    zeilen = text.splitlines()
    probe = [z for z in zeilen[:60] if z.strip()]
    if not probe:
        protokoll.melden(FEHLER, "Die Datei ist leer.")
        return None
    trenner = _trenner_erkennen(probe)
    breite = max(z.count(trenner) for z in zeilen) + 1
    if breite > protokoll.grenzen.max_spalten:
        protokoll.melden(
            FEHLER,
            f"Die Tabelle hat {zahl(breite, 0)} Spalten; erlaubt sind höchstens "
            f"{zahl(protokoll.grenzen.max_spalten, 0)}.",
        )
        return None
    if len(zeilen) > protokoll.grenzen.max_zeilen + 1000:
        protokoll.melden(FEHLER, f"Die Tabelle hat mehr als {zahl(protokoll.grenzen.max_zeilen, 0)} Zeilen.")
        return None
    del zeilen
    try:
        df = pd.read_csv(
            io.StringIO(text),
            sep=trenner,
            header=None,
            names=range(breite),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            quoting=csv.QUOTE_MINIMAL,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError) as e:
        grund = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        if "EOF inside string" in grund:
            zeile = re.search(r"line (\d+)", grund)
            protokoll.melden(
                FEHLER,
                "Ein Anführungszeichen wird nicht geschlossen"
                + (f" (ab Zeile {zeile.group(1)})" if zeile else "")
                + "; alle folgenden Zeilen würden in einer Zelle verschwinden. Bitte das Anführungszeichen "
                "schließen oder entfernen.",
            )
        else:
            protokoll.melden(FEHLER, f"Die CSV-Datei ist fehlerhaft aufgebaut ({grund}).")
        return None
    df = df.fillna("")
    for c in df.columns:
        df[c] = df[c].str.strip()
    if not _csv_aufbau_pruefen(df, trenner, protokoll):
        return None
    return df


def _csv_aufbau_pruefen(df: pd.DataFrame, trenner: str, protokoll: Pruefprotokoll) -> bool:
    """Zeilen über mehrere Dateizeilen (offenes Anführungszeichen) und gemischte Trennzeichen ablehnen."""
    for c in df.columns:
        mehrzeilig = df[c].str.contains("\n", regex=False)
        if mehrzeilig.any():
            i = int(np.flatnonzero(mehrzeilig.to_numpy())[0])
            n = df[c].iloc[i].count("\n")
            protokoll.melden(
                FEHLER,
                f"Eine Zelle reicht über {n + 1} Dateizeilen (ein Anführungszeichen öffnet ein Feld, das erst "
                "viel später schließt); so würden Zeilen verschluckt. Bitte das Anführungszeichen prüfen.",
                zeile=i + 1,
                spalte=f"Spalte {c + 1}",
            )
            return False
    if len(df.columns) < 2:
        return True
    nur_erste = (df.iloc[:, 1:] == "").all(axis=1)
    kopfbreite = int((df != "").sum(axis=1).max())
    for anderer in (t for t in (";", ",", "\t") if t != trenner):
        verdaechtig = nur_erste & (df[0].str.count(re.escape(anderer)) >= max(2, kopfbreite - 1))
        if verdaechtig.any():
            zeilen = (np.flatnonzero(verdaechtig.to_numpy()) + 1).tolist()
            namen = {";": "Semikolon", ",": "Komma", "\t": "Tabulator"}
            protokoll.melden(
                FEHLER,
                f"Die Datei mischt Trennzeichen: {len(zeilen)} Zeile(n) (z. B. Zeile "
                + ", ".join(map(str, zeilen[:5]))
                + f") sind mit {namen[anderer]} getrennt, die übrigen mit {namen[trenner]}. Bitte die Datei "
                "mit einem einheitlichen Trennzeichen speichern.",
                zeile=zeilen[0],
            )
            return False
    return True


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
                    f"Die Tabelle hat mehr als {zahl(g.max_spalten, 0)} Spalten; so breite Dateien werden nicht "
                    "gelesen.",
                )
                return None
            if r > g.max_zeilen + 1000:
                protokoll.melden(FEHLER, f"Die Tabelle hat mehr als {zahl(g.max_zeilen, 0)} Zeilen.")
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
    """Eine Lieferung lesen: Kopfzeile finden, Titel- und Fußnotenzeilen abtrennen. None = abgelehnt.

    Jede Zeile der Datei wird gezählt (`protokoll.bilanz`): Daten, Kopf, Titel, Fußnoten oder leer.
    """
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
        if roh is None:
            return None
        breite = max((len(z) for z in roh), default=0)
        if breite > g.max_spalten:
            protokoll.melden(
                FEHLER,
                f"Die Tabelle hat {zahl(breite, 0)} Spalten; erlaubt sind höchstens {zahl(g.max_spalten, 0)}.",
            )
            return None
        werte = pd.DataFrame([z + [None] * (breite - len(z)) for z in roh], columns=range(breite), dtype=object)
        texte = werte.map(_zelle_text).astype(str) if breite else werte
    elif endung in (".csv", ".txt"):
        texte = _csv_lesen(pfad.read_bytes(), protokoll)
        if texte is None:
            return None
        werte = texte
    elif endung == ".xls":
        protokoll.melden(FEHLER, "Das alte Excel-Format (.xls) wird nicht gelesen; bitte als .xlsx speichern.")
        return None
    else:
        protokoll.melden(
            FEHLER, f"Das Dateiformat „{endung or '(ohne Endung)'}“ wird nicht unterstützt (CSV oder XLSX)."
        )
        return None
    belegt = (texte != "").any(axis=1).to_numpy() if len(texte.columns) else np.zeros(len(texte), dtype=bool)
    if not belegt.any():
        protokoll.melden(FEHLER, "Die Datei ist leer (keine Zellen mit Inhalt).")
        return None
    oben = texte.iloc[:40].to_numpy().tolist()
    kopf_i = _kopfzeile_finden(oben, erwartete_koepfe or set())
    if kopf_i is None:
        protokoll.melden(FEHLER, "Keine Kopfzeile mit Spaltennamen gefunden.")
        return None
    titel_zeilen = int(belegt[:kopf_i].sum())
    if titel_zeilen:
        titel = next(" ".join(t for t in z if t) for z in oben[:kopf_i] if any(z))
        protokoll.melden(
            HINWEIS,
            f"{kopf_i} Zeile(n) über der Kopfzeile (Titel, z. B. „{titel[:60]}“) übersprungen; Kopfzeile ist "
            f"Zeile {kopf_i + 1}.",
            pruefung="titel",
        )
    kopf = list(oben[kopf_i])
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
    daten_i = np.flatnonzero(belegt[kopf_i + 1 :]) + kopf_i + 1
    if len(daten_i) > g.max_zeilen:
        protokoll.melden(FEHLER, f"Die Tabelle hat mehr als {zahl(g.max_zeilen, 0)} Zeilen.")
        return None
    # Fußnoten am Ende abtrennen
    fussnoten: list[str] = []
    ende = len(daten_i)
    while ende:
        belegte = [t for t in texte.iloc[daten_i[ende - 1]].tolist() if t]
        erste = belegte[0] if belegte else ""
        if (_FUSSNOTE.match(erste) and len(belegte) <= 2) or (len(belegte) == 1 and len(kopf) > 2 and len(erste) > 12):
            fussnoten.append(erste)
            ende -= 1
        else:
            break
    daten_i = daten_i[:ende]
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
    if not _ueberzaehlige_zellen(texte, daten_i, kopf, endung, protokoll):
        return None
    spalten = list(range(len(kopf)))
    tabelle = Rohtabelle(
        datei=pfad.name,
        kopf=kopf,
        texte=texte.iloc[daten_i, spalten].reset_index(drop=True),
        werte=werte.iloc[daten_i, spalten].reset_index(drop=True),
        zeilennummern=daten_i + 1,
        formeln=dict(formeln),
    )
    protokoll.zeilen = len(daten_i)
    protokoll.bilanz = {
        "gelesen": len(texte),
        "daten": len(daten_i),
        "kopf": 1,
        "titel": titel_zeilen,
        "fussnoten": len(fussnoten),
        "leer": int((~belegt).sum()),
        "summen": 0,
    }
    return tabelle


def _ueberzaehlige_zellen(
    texte: pd.DataFrame, daten_i: np.ndarray, kopf: list[str], endung: str, protokoll: Pruefprotokoll
) -> bool:
    """Werte rechts der Kopfzeile: in CSV ein Fehler (oft ein Dezimalkomma bei Komma als Trennzeichen), in XLSX
    eine Warnung (die Zellen werden nicht übernommen)."""
    rechts = [c for c in texte.columns if c >= len(kopf)]
    if not rechts or not len(daten_i):
        return True
    voll = (texte.iloc[daten_i][rechts] != "").any(axis=1).to_numpy()
    if not voll.any():
        return True
    zeilen = (daten_i[voll] + 1).tolist()
    if endung in (".csv", ".txt"):
        protokoll.melden(
            FEHLER,
            f"{len(zeilen)} Zeile(n) haben mehr Felder als die Kopfzeile ({len(kopf)}), z. B. Zeile "
            + ", ".join(map(str, zeilen[:5]))
            + ". Meist steckt ein Dezimalkomma in einer mit Komma getrennten Datei: Zahlen mit Komma bitte in "
            "Anführungszeichen setzen oder die Datei mit Semikolon speichern.",
            zeile=zeilen[0],
        )
        protokoll.fehlerzeilen.update(zeilen)
        return False
    protokoll.melden(
        WARNUNG,
        f"{len(zeilen)} Zeile(n) haben Werte rechts der letzten Spalte mit Kopf (z. B. Zeile {zeilen[0]}); diese "
        "Zellen werden nicht übernommen.",
        zeile=zeilen[0],
        pruefung="spalte_ohne_kopf",
    )
    return True


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


def _dezimalzeichen(texte: pd.Series | list[str]) -> str:
    """„,“ (deutsch) oder „.“ für eine Spalte erkennen; im Zweifel deutsch (Statistikstellen)."""
    texte = pd.Series(texte, dtype=str)
    deutsch = int(texte.str.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?|-?\d+,\d+").sum())
    englisch = int(texte.str.fullmatch(r"-?\d+\.\d{1,2}|-?\d+\.\d{4,}|-?\d{1,3}(,\d{3})+(\.\d+)?").sum())
    return "." if englisch > deutsch else ","


def zahl_lesen(wert: Any, dezimal: str, symbole: dict[str, str] | None = None) -> tuple[float, str]:
    """(Zahl, Art) einer Zelle. Art: "" (Zahl), "marke" (Fußnotenzeichen entfernt), "kaputt", "unendlich"
    oder die Bedeutung eines Tabellenzeichens (`kommune.tabellen.SYMBOLE`: „-“ → (0, "null"), „.“ → "geheim" …)."""
    symbole = SYMBOLE if symbole is None else symbole
    if isinstance(wert, bool):
        return math.nan, "kaputt"
    if isinstance(wert, (int, float)):
        return (float(wert), "") if math.isfinite(float(wert)) else (math.nan, "unendlich")
    text = _zelle_text(wert).replace("\u00a0", " ").replace("\u2212", "-").strip()
    art = ""
    ohne = _MARKE.sub("", text).strip()
    if text not in symbole and ohne != text:
        art, text = "marke", ohne
    if text in symbole:
        bedeutung = symbole[text]
        return (0.0 if bedeutung == "null" else math.nan), bedeutung
    text = text.replace(" ", "").replace("'", "")
    tausender = "." if dezimal == "," else ","
    if tausender in text and not _GRUPPIERT[dezimal].fullmatch(text):
        return math.nan, "kaputt"  # „12.5“ in einer Spalte mit Dezimalkomma: kein Tausenderpunkt, mehrdeutig
    text = text.replace(tausender, "")
    if dezimal == ",":
        text = text.replace(",", ".")
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", text):
        return math.nan, "kaputt"
    zahl = float(text)
    return (zahl, art) if math.isfinite(zahl) else (math.nan, "unendlich")


_GRUPPIERT = {
    ",": re.compile(r"[-+]?\d{1,3}(?:\.\d{3})+(?:,\d*)?"),
    ".": re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?"),
}
_SCHNELL = {
    ",": (re.compile(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?|-?\d+(?:,\d+)?"), "."),
    ".": (re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?"), ","),
}


def zahlen_lesen(
    werte: pd.Series, texte: pd.Series, dezimal: str, symbole: dict[str, str]
) -> tuple[np.ndarray, np.ndarray]:
    """`zahl_lesen` für eine ganze Spalte: (Zahlen, Arten). Gewöhnliche Zahlen vektorisiert, alles andere
    (Zeichen, Fußnotenmarken, Kaputtes) je verschiedenem Text einmal."""
    n = len(texte)
    zahlen = np.full(n, np.nan)
    arten = np.full(n, "", dtype=object)
    muster, tausender = _SCHNELL[dezimal]
    if werte is texte or werte.dtype != object:
        einfach = texte.str.fullmatch(muster.pattern).to_numpy(dtype=bool, na_value=False)
        normal = texte[einfach].str.replace(tausender, "", regex=False)
        if dezimal == ",":
            normal = normal.str.replace(",", ".", regex=False)
        zahlen[einfach] = normal.astype(float).to_numpy()
        rest = np.flatnonzero(~einfach)
        quelle = texte
    else:
        rest = np.arange(n)
        quelle = werte
    if len(rest):
        teil = quelle.iloc[rest]
        je_wert: dict[Any, tuple[float, str]] = {}
        for pos, w in zip(rest, teil.tolist(), strict=True):
            schluessel = (type(w), w) if not isinstance(w, float) or not math.isnan(w) else (float, "nan")
            if schluessel not in je_wert:
                je_wert[schluessel] = zahl_lesen(w, dezimal, symbole)
            zahlen[pos], arten[pos] = je_wert[schluessel]
    unendlich = ~np.isfinite(zahlen) & (arten == "")
    if unendlich.any():
        zahlen[unendlich] = np.nan
        arten[unendlich] = "unendlich"
    return zahlen, arten


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


#: Köpfe amtlicher oder allgemeiner Gebietsschlüssel (nach `_kopf_einfach`); „AGS (8-stellig)“ zählt mit
SCHLUESSEL_KOEPFE = frozenset(
    {
        "ags",
        "ars",
        "gkz",
        "gemeindeschlüssel",
        "gemeindeschluessel",
        "amtlicher gemeindeschlüssel",
        "amtlicher gemeindeschluessel",
        "regionalschlüssel",
        "regionalschluessel",
        "amtlicher regionalschlüssel",
        "amtlicher regionalschluessel",
        "gemeindekennziffer",
        "gemeindekennzahl",
        "gebiet_id",
        "gebiet",
        "schlüssel",
        "schluessel",
        "gebietsschlüssel",
        "gebietsschluessel",
        "id",
    }
)
_GANZZAHL = re.compile(r"^(\d+)(?:[.,]0+)?$")


def _schluessel_text(wert: Any) -> str:
    return _zelle_text(wert)


def _kopf_einfach(kopf: str) -> str:
    """„Amtlicher_Gemeindeschlüssel (AGS)“ → „amtlicher gemeindeschlüssel“: ohne Zusatz, _/- als Leerraum."""
    n = re.sub(r"\s*\([^)]*\)\s*$", "", _norm(kopf))
    return re.sub(r"[\s_\-]+", " ", n).strip()


def _ist_schluesselkopf(kopf: str, kommune: Kommune) -> bool:
    bekannt = {_kopf_einfach(k) for k in SCHLUESSEL_KOEPFE} | {
        _kopf_einfach(s.id_spalte) for s in kommune.konfiguration.schichten
    }
    return _kopf_einfach(kopf) in bekannt


#: Amtlicher Gemeindeschlüssel (AGS): Land 2, Regierungsbezirk 1, Kreis 2, Gemeinde 3 Stellen. Der Amtliche
#: Regionalschlüssel (ARS) fügt vor der Gemeinde die 4 Stellen des Gemeindeverbands ein (Stellen 6–9).
AGS_STELLEN, ARS_STELLEN = 8, 12
_UMRECHNUNG = {
    "ags_ars": ("8-stelligen Amtlichen Gemeindeschlüssel (AGS)", "12-stelligen Amtlichen Regionalschlüssel (ARS)"),
    "ars_ags": ("12-stelligen Amtlichen Regionalschlüssel (ARS)", "8-stelligen Amtlichen Gemeindeschlüssel (AGS)"),
}


def ags_aus_ars(ars: str) -> str:
    """Der AGS eines 12-stelligen ARS: ARS[0:5] + ARS[9:12] (ohne die Stellen des Gemeindeverbands)."""
    return ars[:5] + ars[9:]


def _land_gueltig(schluessel: str) -> bool:
    """Beginnt der Schlüssel mit einem Land (01 Schleswig-Holstein … 16 Thüringen)?"""
    return "01" <= schluessel[:2] <= "16"


@dataclass(frozen=True)
class Schluesselabbildung:
    """Wie Schlüssel einer Lieferung, die es in der Ebene nicht gibt, eindeutig auf deren Schlüssel führen.

    `ergaenzt`: verlorene führende Nullen ergänzt (`3101000` → `03101000`); `umgerechnet`: AGS ↔ ARS
    (`richtung` „ags_ars“ oder „ars_ags“, auch nach Ergänzen der Null); `mehrdeutig`: Schlüssel mit mehr als
    einem möglichen Ziel (Ziel, Weg) – sie werden nicht abgebildet.
    """

    ergaenzt: dict[str, str] = field(default_factory=dict)
    umgerechnet: dict[str, str] = field(default_factory=dict)
    richtung: str = ""
    mehrdeutig: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    @property
    def ersetzt(self) -> dict[str, str]:
        """Alle eindeutigen Abbildungen: Schlüssel der Lieferung → Schlüssel der Ebene."""
        return {**self.ergaenzt, **self.umgerechnet}


class Schluesselbestand:
    """Die Schlüssel einer Ebene, vorbereitet zum Abbilden (einmal je Ebene, nicht je Spalte)."""

    def __init__(self, bekannt: Iterable[Any]) -> None:
        self.menge = {str(b) for b in bekannt}
        laengen = {len(b) for b in self.menge}
        self.laenge = laengen.pop() if len(laengen) == 1 else None
        ziffern = bool(self.menge) and all(b.isdigit() for b in self.menge)
        # AGS ↔ ARS nur, wenn die Ebene durchweg aus 12-stelligen (ARS) bzw. 8-stelligen (AGS) Ziffern besteht
        self.richtung = {ARS_STELLEN: "ags_ars", AGS_STELLEN: "ars_ags"}.get(self.laenge or 0, "") if ziffern else ""
        self.ars_je_ags: dict[str, list[str]] = {}
        if self.richtung == "ags_ars":
            for ars in sorted(self.menge):
                self.ars_je_ags.setdefault(ags_aus_ars(ars), []).append(ars)

    def _ziele(self, ziffern: str) -> list[tuple[str, str]]:
        """Mögliche Schlüssel der Ebene zu einer Ziffernfolge: (Ziel, Weg)."""
        ziele = []
        if self.laenge and len(ziffern) <= self.laenge and ziffern.zfill(self.laenge) in self.menge:
            ziele.append((ziffern.zfill(self.laenge), "führende Nullen ergänzt"))
        if self.richtung == "ags_ars" and len(ziffern) <= AGS_STELLEN:
            ags = ziffern.zfill(AGS_STELLEN)
            if _land_gueltig(ags):
                ziele += [(ars, "als AGS in den ARS umgerechnet") for ars in self.ars_je_ags.get(ags, [])]
        elif self.richtung == "ars_ags" and AGS_STELLEN < len(ziffern) <= ARS_STELLEN:
            ars = ziffern.zfill(ARS_STELLEN)
            if _land_gueltig(ars) and ags_aus_ars(ars) in self.menge:
                ziele.append((ags_aus_ars(ars), "als ARS in den AGS umgerechnet"))
        return ziele

    def abbilden(self, schluessel: Iterable[str]) -> Schluesselabbildung:
        """Die Abbildung der Schlüssel, die es in der Ebene nicht gibt (nur Ziffern, auch `3101000.0` aus XLSX)."""
        ergaenzt, umgerechnet, mehrdeutig = {}, {}, {}
        for s in set(schluessel) - self.menge:
            m = _GANZZAHL.match(s)
            ziele = self._ziele(m.group(1)) if m else []
            if len(ziele) > 1:
                mehrdeutig[s] = tuple(ziele)
            elif ziele:
                ziel, weg = ziele[0]
                (ergaenzt if weg == "führende Nullen ergänzt" else umgerechnet)[s] = ziel
        return Schluesselabbildung(ergaenzt, umgerechnet, self.richtung if umgerechnet else "", mehrdeutig)


def schluessel_abbilden(schluessel: Iterable[str], bekannt: Iterable[Any]) -> Schluesselabbildung:
    """Schlüssel einer Lieferung eindeutig auf die einer Ebene abbilden (führende Nullen, AGS ↔ ARS).

    Führende Nullen nur, wenn alle Schlüssel der Ebene gleich lang sind und es den ergänzten gibt; AGS → ARS,
    wenn die Ebene nur 12-stellige Ziffernschlüssel hat und genau einer davon ARS[0:5] + ARS[9:12] = AGS
    ergibt; ARS → AGS, wenn die Ebene nur 8-stellige hat und es ARS[0:5] + ARS[9:12] dort gibt.
    """
    return Schluesselbestand(bekannt).abbilden(schluessel)


def _beispiel_pfeile(gebiet: pd.Series, nummern: np.ndarray, ersetzt: dict[str, str], n: int = 5) -> str:
    """„alt“ → „neu“ (Zeile x) für die ersten `n` verschiedenen Schlüssel."""
    erste = dict(zip(gebiet, nummern, strict=True))
    return ", ".join(f"„{alt}“ → „{ersetzt[alt]}“ (Zeile {int(nr)})" for alt, nr in list(erste.items())[:n])


def _mehrdeutig_text(schluessel: str, ziele: tuple[tuple[str, str], ...], ebene: str, laenge: int | None) -> str:
    moeglich = " und ".join(f"„{ziel}“ ({weg})" for ziel, weg in ziele[:3])
    weiter = f" und {len(ziele) - 3} weitere" if len(ziele) > 3 else ""
    form = f" ({laenge} Stellen)" if laenge else ""
    return (
        f"Der Gebietsschlüssel „{schluessel}“ ist nicht eindeutig: er passt zu {moeglich}{weiter} der Ebene "
        f"„{ebene}“. Er wird nicht übernommen; bitte den Schlüssel so liefern, wie ihn die Ebene führt{form}."
    )


def _schluessel_reparieren(
    gebiet: pd.Series, zeilen: np.ndarray, z: Zuordnung, kommune: Kommune, protokoll: Pruefprotokoll
) -> tuple[pd.Series, dict[str, str]]:
    """Schlüssel der Lieferung auf die der Ebene bringen und jede Änderung melden.

    Verlorene führende Nullen: Warnung mit Anzahl und Beispielen. AGS ↔ ARS: Hinweis mit Anzahl und
    Beispielen (Warnung, wenn dabei führende Nullen fehlten). Mehrdeutige Schlüssel bleiben unverändert;
    zurück kommt ihr Befundtext je Schlüssel (als Fehler gemeldet in `pruefen`).
    """
    bestand = Schluesselbestand(kommune.gebiete[z.ebene].index)
    abbildung = bestand.abbilden(gebiet.unique().tolist())
    ebene = kommune.schicht(z.ebene).name
    mehrdeutig = {s: _mehrdeutig_text(s, ziele, ebene, bestand.laenge) for s, ziele in abbildung.mehrdeutig.items()}
    if not abbildung.ersetzt:
        return gebiet, mehrdeutig
    if abbildung.ergaenzt:
        betroffen = gebiet.isin(list(abbildung.ergaenzt)).to_numpy()
        nummern = zeilen[betroffen]
        n, k = int(betroffen.sum()), len(abbildung.ergaenzt)
        protokoll.melden(
            WARNUNG,
            f"{n} {'Gebietsschlüssel hatte' if n == 1 else 'Gebietsschlüssel hatten'} ({k} verschiedene) weniger "
            f"als {bestand.laenge} Stellen – führende Nullen verloren, z. B. als Zahl in Excel gespeichert – und "
            f"{'wurde' if n == 1 else 'wurden'} mit Nullen ergänzt: "
            f"{_beispiel_pfeile(gebiet[betroffen], nummern, abbildung.ergaenzt)}. Bitte die Spalte in der Quelle "
            "als Text speichern.",
            zeile=int(nummern[0]),
            spalte=z.einheit_spalte,
            pruefung="schluessel_ergaenzt",
        )
    if abbildung.umgerechnet:
        betroffen = gebiet.isin(list(abbildung.umgerechnet)).to_numpy()
        nummern = zeilen[betroffen]
        n, k = int(betroffen.sum()), len(abbildung.umgerechnet)
        von, nach = _UMRECHNUNG[abbildung.richtung]
        quelle_stellen = AGS_STELLEN if abbildung.richtung == "ags_ars" else ARS_STELLEN
        ohne_null = [s for s in abbildung.umgerechnet if len(_GANZZAHL.match(s).group(1)) < quelle_stellen]
        weg = (
            "der ARS ergänzt nach Land, Regierungsbezirk und Kreis die vier Stellen des Gemeindeverbands"
            if abbildung.richtung == "ags_ars"
            else "der AGS ist der ARS ohne die vier Stellen des Gemeindeverbands (6–9), die dabei nicht geprüft werden"
        )
        text = (
            f"{n} Gebietsschlüssel ({k} verschiedene) {'wurde' if n == 1 else 'wurden'} vom {von} in den {nach} "
            f"der Ebene „{ebene}“ umgerechnet – {weg}: "
            f"{_beispiel_pfeile(gebiet[betroffen], nummern, abbildung.umgerechnet)}."
        )
        if ohne_null:
            text += (
                f" Bei {len(ohne_null)} dieser Schlüssel fehlte die führende Null (z. B. „{min(ohne_null)}“), etwa "
                "weil Excel sie als Zahl gespeichert hat; bitte die Spalte in der Quelle als Text speichern."
            )
        protokoll.melden(
            WARNUNG if ohne_null else HINWEIS,
            text,
            zeile=int(nummern[0]),
            spalte=z.einheit_spalte,
            pruefung="schluessel_umgerechnet",
        )
    return gebiet.where(~gebiet.isin(list(abbildung.ersetzt)), gebiet.map(abbildung.ersetzt)), mehrdeutig


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
    # (Schlüssel mit verlorenen führenden Nullen oder als AGS/ARS der anderen Länge zählen mit, bei Köpfen wie
    # „AGS“ gleich, sonst nur ersatzweise)
    if not z.einheit_spalte or not z.ebene:
        ebenen = [
            (s.id, Schluesselbestand(kommune.gebiete[s.id].index))
            for s in kommune.konfiguration.schichten
            if not z.ebene or s.id == z.ebene
        ]
        kandidaten = []
        for c, k in enumerate(koepfe):
            if z.einheit_spalte and _norm(k) != _norm(z.einheit_spalte):
                continue
            werte = set(tabelle.texte[c].iloc[:2000].tolist()) - {""}
            if not werte:
                continue
            kopf = _ist_schluesselkopf(k, kommune)
            for ebene, bestand in ebenen:
                genau = len(werte & bestand.menge) / len(werte)
                ergaenzt = genau + len(bestand.abbilden(werte).ersetzt) / len(werte)
                kandidaten.append((ergaenzt if kopf else genau, genau, ergaenzt, k, ebene))
        beste = max(kandidaten, key=lambda t: t[:2], default=None)
        if beste is not None and beste[0] == 0:
            beste = max(kandidaten, key=lambda t: t[2])
            beste = beste if beste[2] > 0 else None
        if beste is not None:
            z.einheit_spalte = z.einheit_spalte or beste[3]
            z.ebene = z.ebene or beste[4]
    if not z.einheit_spalte:
        for k in koepfe:
            if _ist_schluesselkopf(k, kommune):
                z.einheit_spalte = k
                break
    for feld, namen in _KOEPFE.items():
        if not getattr(z, feld):
            for k, n in zip(koepfe, norm, strict=True):
                if n in namen and k != z.einheit_spalte:
                    setattr(z, feld, k)
                    break
    _gruppen_erraten(z, koepfe, kommune)
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
            if k in (z.einheit_spalte, z.indikator_spalte, z.periode_spalte, z.name_spalte, z.merkmal_spalte):
                continue
            if any(zahl_lesen(w, ",")[1] in ("", "marke") for w in tabelle.werte[c].iloc[:50].tolist()):
                z.wert_spalte = k
                break
    return z


def _gruppen_erraten(z: Zuordnung, koepfe: list[str], kommune: Kommune) -> None:
    """Gruppen erkennen: eine Spalte, die ein Merkmal heißt (lang), oder Spalten je Ausprägung (breit).

    Breit braucht den Gesamtindikator: `basis` oder eine Spalte, die eine Basis des Merkmals ist.
    """
    from kommune.merkmale import auspraegung_erkennen, familien

    merkmale = kommune.konfiguration.merkmale
    if not merkmale:
        return
    if not z.merkmal_spalte and z.format == "lang":
        for k in koepfe:
            m = next((m for m in merkmale if _norm(k) in (m.id, _norm(m.name))), None)
            if m is not None and k not in (z.einheit_spalte, z.indikator_spalte, z.periode_spalte, z.wert_spalte):
                z.merkmal_spalte, z.merkmal = k, z.merkmal or m.id
                return
    if z.merkmal_spalte or z.spalten or z.indikator_spalte:
        return
    kandidaten = [m for m in merkmale if not z.merkmal or m.id == z.merkmal]
    for m in kandidaten:
        treffer = {k: a for k in koepfe if (a := auspraegung_erkennen(m, k))}
        if len(treffer) < (1 if z.merkmal else 2):
            continue
        von_m = [f for f in familien(kommune) if f.merkmal == m.id]
        basis = z.basis
        if not basis:
            genannt = [f.basis for f in von_m if any(_indikator_fuer_kopf(k, kommune) == f.basis for k in koepfe)]
            basis = genannt[0] if len(genannt) == 1 else (von_m[0].basis if len(von_m) == 1 else "")
        if not basis:
            continue
        f = next((f for f in von_m if f.basis == basis), None)
        from kommune.merkmale import gruppen_id

        spalten = {}
        for k in koepfe:
            if k in (z.einheit_spalte, z.name_spalte, z.periode_spalte):
                continue
            if k in treffer:
                spalten[k] = (f.glied(treffer[k]) if f else None) or gruppen_id(basis, m.id, treffer[k])
            elif auspraegung_erkennen(m, k) == "":  # „insgesamt“
                spalten[k] = basis
            elif ind := _indikator_fuer_kopf(k, kommune):  # weitere Indikatoren der Lieferung
                spalten[k] = ind
        z.format, z.merkmal, z.basis, z.spalten, z.wert_spalte = "breit", m.id, basis, spalten, ""
        return


def _gruppen_hinweis(koepfe: list[str], kommune: Kommune) -> str:
    """Ein Satz, wenn Spalten Ausprägungen eines Merkmals sind, der Gesamtindikator aber nicht erkennbar ist."""
    from kommune.merkmale import auspraegung_erkennen, familien

    for m in kommune.konfiguration.merkmale:
        treffer = [k for k in koepfe if auspraegung_erkennen(m, k)]
        if len(treffer) < 2:
            continue
        basen = [f.basis for f in familien(kommune) if f.merkmal == m.id]
        beispiel = f" (z. B. {', '.join(basen[:3])})" if basen else ""
        return (
            f"Die Spalten {_beispiele(treffer, 3)} sind Ausprägungen des Merkmals „{m.name}“, aber der "
            "Gesamtindikator ist nicht erkennbar: bitte in der Zuordnung „basis“ angeben" + beispiel + "."
        )
    return ""


def _gruppen_indikatoren(
    indikator: pd.Series,
    auspraegung: pd.Series,
    z: Zuordnung,
    kommune: Kommune,
    nummern: np.ndarray,
    protokoll: Pruefprotokoll,
) -> pd.Series:
    """Lange Lieferung mit Merkmalsspalte: Indikator + Ausprägung → Gruppenindikator (leer/„insgesamt“ = Basis).

    Unbekannte Ausprägungen sind Fehler (die Zeile wird nicht übernommen).
    """
    from kommune.merkmale import auspraegung_erkennen, gruppen_id

    m = kommune.konfiguration.merkmal(z.merkmal) if z.merkmal else None
    if m is None:
        erklaert = ", ".join(x.id for x in kommune.konfiguration.merkmale) or "keines"
        protokoll.melden(
            FEHLER,
            f"Die Merkmalsspalte „{z.merkmal_spalte}“ braucht ein erklärtes Merkmal (in der Zuordnung „merkmal“; "
            f"erklärt: {erklaert}).",
            spalte=z.merkmal_spalte,
            pruefung="zuordnung",
        )
        return indikator
    kat = kommune.katalog
    glieder = {}
    if "merkmal" in kat.columns:
        teil = kat[kat["merkmal"] == m.id]
        glieder = {(b, a): i for i, b, a in zip(teil.index, teil["basis"], teil["auspraegung"], strict=True)}
    erkannt = {t: auspraegung_erkennen(m, t) for t in pd.unique(auspraegung.to_numpy())}
    unbekannt = auspraegung.map(lambda t: erkannt[t] is None).to_numpy(dtype=bool)
    protokoll.melden_zeilen(
        FEHLER,
        pd.DataFrame({"zeile": nummern[unbekannt], "text": auspraegung[unbekannt].str.slice(0, 40).to_numpy()}),
        lambda r: (
            f"„{r['text']}“ ist keine Ausprägung des Merkmals „{m.name}“ (erlaubt: "
            + ", ".join(m.name_von(a) for a in m.auspraegungen)
            + " oder „insgesamt“)."
        ),
        spalte=z.merkmal_spalte,
        pruefung="auspraegung_unbekannt",
    )
    protokoll.fehlerzeilen.update(int(n) for n in nummern[unbekannt])

    def abbilden(ind: str, text: str) -> str:
        a = erkannt[text]
        if not a:
            return ind
        return glieder.get((ind, a), gruppen_id(ind, m.id, a))

    return pd.Series([abbilden(i, t) for i, t in zip(indikator, auspraegung, strict=True)], index=indikator.index)


@dataclass
class Lieferung:
    """Die Lieferung in langer Form, mit Fundstellen, plus Summenzeilen und Namen."""

    lang: pd.DataFrame  # gebiet, indikator, periode, wert, zaehler, nenner, zeile, spalte
    summenzeilen: pd.DataFrame
    namen: dict[str, str]
    #: Schlüssel, die sich nicht eindeutig abbilden lassen (AGS ↔ ARS, führende Nullen) → Befundtext
    mehrdeutig: dict[str, str] = field(default_factory=dict)


def _beispiele(ids: Any, n: int = 5) -> str:
    """Die ersten `n` Schlüssel als „a“, „b“ für Befundtexte."""
    return ", ".join(f"„{i}“" for i in list(ids)[:n])


def _zahlen_pruefen(
    tabelle: Rohtabelle, p: int, dezimal: str, symbole: dict[str, str], protokoll: Pruefprotokoll
) -> tuple[np.ndarray, np.ndarray]:
    """Eine Spalte als Zahlen lesen; Unlesbares (außer Formeln, die eigens gemeldet werden) als Fehler melden."""
    zahlen, arten = zahlen_lesen(tabelle.werte[p], tabelle.texte[p], dezimal, symbole)
    schlecht = np.flatnonzero((arten == "kaputt") | (arten == "unendlich"))
    if len(schlecht):
        nr = tabelle.zeilennummern[schlecht]
        ohne_formel = np.array([(int(n), p) not in tabelle.formeln for n in nr], dtype=bool)
        schlecht = schlecht[ohne_formel]
        teil = pd.DataFrame(
            {
                "zeile": nr[ohne_formel],
                "text": tabelle.texte[p].iloc[schlecht].str.slice(0, 40).to_numpy(),
                "art": arten[schlecht],
            }
        )
        protokoll.melden_zeilen(
            FEHLER,
            teil,
            lambda r: (
                f"Der Wert „{r['text']}“ ist keine "
                + ("endliche Zahl (unendlich, „nan“ oder zu groß)." if r["art"] == "unendlich" else "Zahl.")
            ),
            spalte=tabelle.kopf[p],
            pruefung="keine_zahl",
        )
    return zahlen, arten


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
    if z.format == "breit" or not z.indikator_spalte:
        hinweis = _gruppen_hinweis([k for k in tabelle.kopf if k not in z.spalten], kommune)
        if hinweis:
            protokoll.melden(HINWEIS, hinweis, pruefung="gruppen_basis")
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
    p_merkmal = pos(z.merkmal_spalte, "Merkmal", pflicht=False) if z.merkmal_spalte and p_ind is not None else None
    p_periode = pos(z.periode_spalte, "Periode", pflicht=False) if z.periode_spalte else None
    if p_periode is None and not z.periode:
        protokoll.melden(
            FEHLER,
            "Die Periode fehlt: eine Spalte „Periode“/„Jahr“ liefern oder in der Zuordnung "
            "„periode“ angeben (im Datenimport das Feld „Periode“, auf der Kommandozeile --period).",
            pruefung="zuordnung",
        )
    p_zaehler = pos(z.zaehler_spalte, "Zähler", pflicht=False) if z.zaehler_spalte else None
    p_nenner = pos(z.nenner_spalte, "Nenner", pflicht=False) if z.nenner_spalte else None
    if not protokoll.ok:
        return None
    symbole = symbole_mit(z.symbole)
    genutzt = {p for p in (p_gebiet, p_name, p_ind, p_periode, p_zaehler, p_nenner, p_merkmal) if p is not None}
    genutzt |= {p for p, _ in spalten_werte}
    formel_spalten = _formeln_melden(tabelle, genutzt, protokoll)
    _ungenutzte_spalten_melden(tabelle, genutzt | formel_spalten, protokoll)
    texte = tabelle.texte
    nummern = pd.Series(tabelle.zeilennummern)
    gebiet, mehrdeutig = _schluessel_reparieren(texte[p_gebiet], tabelle.zeilennummern, z, kommune, protokoll)
    name = texte[p_name] if p_name is not None else None
    # HTML und formelartige Texte: nur Hinweise (bleiben Text; maskieren/entschärfen ist Sache der Ausgabe)
    for p in sorted({p for p in (p_gebiet, p_name, p_ind, p_periode) if p is not None}):
        treffer = _je_text(texte[p], lambda t: bool(_HTML.search(t)))
        protokoll.melden_zeilen(
            HINWEIS,
            pd.DataFrame({"zeile": nummern[treffer], "text": texte[p][treffer]}),
            lambda r: (
                f"„{r['text'][:80]}“ enthält HTML-Zeichen; wird nur als Text behandelt und bei der Anzeige maskiert."
            ),
            spalte=tabelle.kopf[p],
            pruefung="html",
        )
    for p, sp in ((p_gebiet, z.einheit_spalte), (p_name, z.name_spalte)):
        if p is None:
            continue
        zeichen = "+@" if tabelle.formeln else "=+@"
        treffer = _je_text(texte[p], lambda t, zeichen=zeichen: bool(t) and t[0] in zeichen)
        protokoll.melden_zeilen(
            HINWEIS,
            pd.DataFrame({"zeile": nummern[treffer], "text": texte[p][treffer]}),
            lambda r: f"„{r['text'][:80]}“ beginnt wie eine Formel; es bleibt Text und wird beim Export entschärft.",
            spalte=sp,
            pruefung="formeltext",
        )
    namen = _erste_namen(gebiet, name) if name is not None else {}
    periode = _perioden(texte[p_periode] if p_periode is not None else pd.Series([z.periode] * len(texte)), protokoll)
    dezimal: dict[int, str] = {}
    for p in [p for p, _ in spalten_werte] + [p for p in (p_zaehler, p_nenner) if p is not None]:
        text_zellen = texte[p]
        if tabelle.werte is not texte:  # XLSX: nur Zellen mit Text verraten das Dezimalzeichen
            text_zellen = text_zellen[tabelle.werte[p].map(lambda w: isinstance(w, str)).to_numpy(dtype=bool)]
        dezimal[p] = z.dezimalzeichen or _dezimalzeichen(text_zellen)
    begleit = {}
    for ziel, p in (("zaehler", p_zaehler), ("nenner", p_nenner)):
        begleit[ziel] = (
            np.full(len(texte), np.nan) if p is None else _zahlen_pruefen(tabelle, p, dezimal[p], symbole, protokoll)[0]
        )
    ags = kommune.konfiguration.ags
    summe = _je_text(
        gebiet,
        lambda t: bool(_SUMMENZEILE.match(t)) or t == ags or (bool(ags) and t.isdigit() and t.zfill(len(ags)) == ags),
    )
    indikatoren = texte[p_ind] if p_ind is not None else None
    if p_merkmal is not None and indikatoren is not None:
        indikatoren = _gruppen_indikatoren(indikatoren, texte[p_merkmal], z, kommune, tabelle.zeilennummern, protokoll)
    teile = []
    arten_zaehlung: Counter = Counter()
    for p, ind in spalten_werte:
        zahlen, arten = _zahlen_pruefen(tabelle, p, dezimal[p], symbole, protokoll)
        arten_zaehlung.update(Counter(arten[arten != ""].tolist()))
        teile.append(
            pd.DataFrame(
                {
                    "gebiet": gebiet,
                    "indikator": indikatoren if ind is None else ind,
                    "periode": periode,
                    "wert": zahlen,
                    "zaehler": begleit["zaehler"],
                    "nenner": begleit["nenner"],
                    "zeile": tabelle.zeilennummern,
                    "spalte": tabelle.kopf[p],
                    "zeichen": pd.Series(arten).map(_VERMERK).fillna(""),
                    "summe": summe,
                }
            )
        )
    _zeichen_melden(arten_zaehlung, symbole, protokoll)
    spalten = ["gebiet", "indikator", "periode", "wert", "zaehler", "nenner", "zeile", "spalte", "zeichen"]
    alle = pd.concat(teile, ignore_index=True) if teile else pd.DataFrame(columns=[*spalten, "summe"])
    summen = alle[alle["summe"]][spalten].reset_index(drop=True)
    zeilen = alle[~alle["summe"]][spalten].reset_index(drop=True)
    if not summen.empty:
        erste = summen.iloc[0]
        protokoll.bilanz["summen"] = int(summen["zeile"].nunique())
        protokoll.bilanz["daten"] = protokoll.bilanz.get("daten", 0) - protokoll.bilanz["summen"]
        protokoll.melden(
            HINWEIS,
            f"Die Summenzeile „{erste['gebiet']}“ wird nicht übernommen, nur zum Abgleich "
            "mit der Summe der Gebiete genutzt.",
            zeile=int(erste["zeile"]),
            pruefung="summenzeile",
        )
    return Lieferung(zeilen, summen, namen, mehrdeutig)


#: Art einer Zelle → Vermerk, der statt eines Werts gespeichert wird („.“ geheim …; „null“ ist die Zahl 0)
_VERMERK = {b: zeichen for b, (zeichen, _) in BEDEUTUNGEN.items() if b != "null"}


def _je_text(texte: pd.Series, test: Callable[[str], bool]) -> np.ndarray:
    """`test` für jeden verschiedenen Text einmal auswerten; zurück: Maske je Zeile."""
    eindeutig = pd.unique(texte.to_numpy())
    treffer = [t for t in eindeutig if test(str(t))]
    return texte.isin(treffer).to_numpy() if treffer else np.zeros(len(texte), dtype=bool)


def _erste_namen(gebiet: pd.Series, name: pd.Series) -> dict[str, str]:
    """Je Gebiet der erste nicht leere Name."""
    mit = pd.DataFrame({"g": gebiet, "n": name})
    mit = mit[mit["n"] != ""].drop_duplicates("g")
    return dict(zip(mit["g"].tolist(), mit["n"].tolist(), strict=True))


def _perioden(perioden: pd.Series, protokoll: Pruefprotokoll) -> pd.Series:
    """Stichtage TT.MM.JJJJ in JJJJ-MM-TT umschreiben (mit Hinweis); geprüft wird in `pruefen`."""
    perioden = perioden.astype(str).str.strip()
    datum = _je_text(perioden, lambda t: bool(re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", t)))
    if datum.any():
        teile = perioden[datum].str.split(".", expand=True)
        perioden = perioden.copy()
        perioden[datum] = teile[2] + "-" + teile[1].str.zfill(2) + "-" + teile[0].str.zfill(2)
        protokoll.melden(
            HINWEIS,
            f"{int(datum.sum())} Perioden im Format TT.MM.JJJJ wurden als JJJJ-MM-TT übernommen.",
            pruefung="periode_datum",
        )
    return perioden


def _formeln_melden(tabelle: Rohtabelle, genutzt: set[int], protokoll: Pruefprotokoll) -> set[int]:
    """Formeln: in genutzten Spalten ein Fehler, sonst eine Warnung (nie ausgewertet). Zurück: Spalten mit
    Formeln außerhalb der genutzten (schon gemeldet)."""
    zeile_nach_datei = set(tabelle.zeilennummern.tolist())
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
    return set(ungenutzt)


def _ungenutzte_spalten_melden(tabelle: Rohtabelle, genutzt: set[int], protokoll: Pruefprotokoll) -> None:
    """Spalten mit Inhalt, die keiner Bedeutung zugeordnet sind: eine Warnung je Spalte (nichts geht still verloren)."""
    for c, kopf in enumerate(tabelle.kopf):
        if c in genutzt:
            continue
        belegt = int((tabelle.texte[c] != "").sum())
        if belegt:
            protokoll.melden(
                WARNUNG,
                f"Die Spalte „{kopf}“ ist keiner Bedeutung zugeordnet ({belegt} Zellen mit Inhalt) und wird nicht "
                "übernommen. Falls sie Werte enthält: in der Zuordnung unter [spalten] einem Indikator zuordnen.",
                spalte=kopf,
                pruefung="spalte_ungenutzt",
            )


def _zeichen_melden(arten: Counter, symbole: dict[str, str], protokoll: Pruefprotokoll) -> None:
    """Ein Hinweis je Bedeutung der Tabellenzeichen (wie oft, wie gespeichert)."""
    for bedeutung, (gespeichert, text) in BEDEUTUNGEN.items():
        n = arten.get(bedeutung, 0)
        if not n or bedeutung == "leer":
            continue
        zeichen = " ".join(f"„{z}“" for z, b in symbole.items() if b == bedeutung)
        wie = "als 0 gelesen" if bedeutung == "null" else f"als fehlender Wert mit Vermerk „{gespeichert}“ gespeichert"
        protokoll.melden(
            HINWEIS,
            f"{n} Zellen mit {zeichen} ({text}): {wie}.",
            pruefung="zeichen_" + bedeutung,
        )
    if arten.get("marke"):
        protokoll.melden(
            HINWEIS,
            f"Bei {arten['marke']} Zahlen wurde ein Fußnotenzeichen (z. B. „1)“ oder „*“) entfernt.",
            pruefung="marken",
        )


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
    from kommune.geheimhaltungsregeln import regeln_fuer, sensibel_je_indikator

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
    unbekannt_ind = df[~df["indikator"].isin(kat.index)].drop_duplicates("indikator")

    def ind_text(r: dict[str, Any]) -> str:
        nahe = difflib.get_close_matches(str(r["indikator"]), list(kat.index), n=1, cutoff=0.6)
        return f"Der Indikator „{r['indikator']}“ steht nicht im Indikatorenkatalog." + (
            f" Meinten Sie „{nahe[0]}“?" if nahe else " Bitte zuerst im Katalog anlegen."
        )

    protokoll.melden_zeilen(
        FEHLER,
        unbekannt_ind,
        ind_text,
        spalte=lambda r: z.indikator_spalte or str(r["spalte"]),
        pruefung="indikator_unbekannt",
    )
    if len(unbekannt_ind):  # jede Zeile mit unbekanntem Indikator wird abgelehnt
        protokoll.fehlerzeilen.update(df.loc[~df["indikator"].isin(kat.index), "zeile"].astype(int).tolist())
    # Perioden: leer oder nicht im erlaubten Muster (kommune.tabellen.PERIODE)
    perioden = df["periode"].astype(str)
    protokoll.melden_zeilen(
        FEHLER,
        df[perioden.str.strip() == ""].drop_duplicates("zeile"),
        lambda r: "Die Periode ist leer.",
        spalte=z.periode_spalte or None,
        pruefung="periode_leer",
    )
    ungueltig = ~_je_text(perioden, lambda t: not t.strip() or periode_gueltig(t))
    protokoll.melden_zeilen(
        FEHLER,
        df[ungueltig].drop_duplicates("zeile"),
        lambda r: (
            f"Die Periode „{str(r['periode'])[:40]}“ ist ungültig; erlaubt sind z. B. 2024, 2024/25, "
            "2024-H1, 2024-Q3, 2024-06 oder 2024-12-31."
        ),
        spalte=z.periode_spalte or None,
        pruefung="periode_ungueltig",
    )
    # Schlüssel
    leer = df["gebiet"] == ""
    protokoll.melden_zeilen(
        FEHLER,
        df[leer].drop_duplicates("zeile"),
        lambda r: "Der Gebietsschlüssel ist leer.",
        spalte=z.einheit_spalte,
        pruefung="schluessel_leer",
    )
    ebenen_name = kommune.schicht(ebene).name
    mehrdeutig = df["gebiet"].isin(list(lieferung.mehrdeutig))
    protokoll.melden_zeilen(
        FEHLER,
        df[mehrdeutig].drop_duplicates("zeile"),
        lambda r: lieferung.mehrdeutig[str(r["gebiet"])],
        spalte=z.einheit_spalte,
        pruefung="schluessel_mehrdeutig",
    )
    protokoll.melden_zeilen(
        FEHLER,
        df[~leer & ~mehrdeutig & ~df["gebiet"].isin(bekannt)].drop_duplicates("zeile"),
        lambda r: (
            f"Den Gebietsschlüssel „{r['gebiet']}“ gibt es in der Ebene „{ebenen_name}“ nicht."
            + _vorschlag(str(r["gebiet"]), bekannt, namen)
        ),
        spalte=z.einheit_spalte,
        pruefung="schluessel_unbekannt",
    )
    gueltig = df[df["gebiet"].isin(bekannt) & df["indikator"].isin(kat.index)]
    je_gruppe = gueltig.groupby(["indikator", "periode"], sort=False)["gebiet"].nunique()
    for ind, periode in je_gruppe.index[(je_gruppe < len(bekannt)).to_numpy()]:
        if protokoll._je_pruefung[("schluessel_fehlen", WARNUNG)] >= g.befunde_je_pruefung:
            protokoll._je_pruefung[("schluessel_fehlen", WARNUNG)] += 1
            continue
        teil = gueltig[(gueltig["indikator"] == ind) & (gueltig["periode"] == periode)]
        fehlt = bekannt.difference(teil["gebiet"])
        protokoll.melden(
            WARNUNG,
            f"Für {len(fehlt)} von {len(bekannt)} Gebieten fehlt ein Wert für „{ind}“ ({periode}), z. B. "
            + _beispiele(fehlt)
            + ".",
            pruefung="schluessel_fehlen",
        )
    # Dubletten
    schluessel = ["gebiet", "indikator", "periode"]
    doppelt = df[df.duplicated(schluessel, keep=False) & ~leer]
    if len(doppelt):
        gruppen = doppelt.groupby(schluessel, sort=False)["zeile"].agg(lambda x: x.astype(int).tolist())
        dubletten = pd.DataFrame(
            {"schluessel": gruppen.index.tolist(), "zeilen": gruppen.tolist(), "zeile": [z[1] for z in gruppen]}
        )
        protokoll.melden_zeilen(
            FEHLER,
            dubletten,
            lambda r: (
                f"Gebiet „{r['schluessel'][0]}“, Indikator „{r['schluessel'][1]}“, Periode "
                f"{r['schluessel'][2]} kommt mehrfach vor (Zeilen " + ", ".join(map(str, r["zeilen"][:5])) + ")."
            ),
            spalte=z.einheit_spalte,
            pruefung="dublette",
        )
        protokoll.fehlerzeilen.update(doppelt["zeile"].astype(int).tolist())
    # Wertebereiche
    art = df["indikator"].map(kat["art"]).fillna("")
    einheit = df["indikator"].map(kat["einheit"]).fillna("")
    protokoll.melden_zeilen(
        FEHLER,
        df[(art == "anzahl") & (df["wert"] < 0)],
        lambda r: f"Negative Anzahl ({_de(r['wert'])}) bei „{r['indikator']}“.",
        spalte=lambda r: r["spalte"],
        pruefung="negativ",
    )
    for spalte in ("zaehler", "nenner"):
        protokoll.melden_zeilen(
            FEHLER,
            df[df[spalte] < 0],
            lambda r, spalte=spalte: f"Negativer {'Zähler' if spalte == 'zaehler' else 'Nenner'} ({_de(r[spalte])}).",
            spalte=z.zaehler_spalte if spalte == "zaehler" else z.nenner_spalte,
            pruefung="negativ",
        )
    prozent = (art == "anteil") & (einheit == "%")
    protokoll.melden_zeilen(
        FEHLER,
        df[prozent & ((df["wert"] < 0) | (df["wert"] > 100))],
        lambda r: f"Der Anteil {_de(r['wert'])} % von „{r['indikator']}“ liegt nicht zwischen 0 und 100.",
        spalte=lambda r: r["spalte"],
        pruefung="anteil_bereich",
    )
    protokoll.melden_zeilen(
        FEHLER,
        df[df["zaehler"] > df["nenner"]],
        lambda r: f"Der Zähler ({_de(r['zaehler'])}) ist größer als der Nenner ({_de(r['nenner'])}).",
        spalte=z.zaehler_spalte,
        pruefung="zaehler_nenner",
    )
    passt = prozent & (df["nenner"] > 0) & df["zaehler"].notna() & df["wert"].notna()
    abw = (df["wert"] - 100 * df["zaehler"] / df["nenner"]).abs()
    protokoll.melden_zeilen(
        WARNUNG,
        df[passt & (abw > 0.2)],
        lambda r: (
            f"Der Wert {_de(r['wert'])} passt nicht zu Zähler/Nenner "
            f"({_de(r['zaehler'])}/{_de(r['nenner'])} = {_de(100 * r['zaehler'] / r['nenner'])} %)."
        ),
        spalte=lambda r: r["spalte"],
        pruefung="anteil_rechnung",
    )
    # Katalogpaare Zähler ≤ Nenner und Summen (auch mit den vorhandenen Daten)
    geliefert = set(gueltig["indikator"].unique())
    paare = [
        (ind, kat.loc[ind, "zaehler"], kat.loc[ind, "nenner"])
        for ind in kat.index[kat["art"] == "anteil"]
        if {ind, kat.loc[ind, "zaehler"], kat.loc[ind, "nenner"]} & geliefert
    ]
    from kommune.merkmale import summen as familien_summen

    summen = [
        (ganzes, teile)
        for ganzes, teile in [*{**_katalog_summen(kommune), **z.summen}.items(), *familien_summen(kommune)]
        if {ganzes, *teile} & geliefert
    ]
    herkunft = gueltig.drop_duplicates(["gebiet", "periode", "indikator"]).set_index(
        ["gebiet", "periode", "indikator"]
    )["zeile"]
    breit = pd.DataFrame()
    if paare or summen:
        alle_werte = _mit_bestand(kommune, gueltig, ebene)
        noetig = {i for _, zi, ni in paare for i in (zi, ni)} | {i for g_, t in summen for i in (g_, *t)}
        alle_werte = alle_werte[alle_werte["indikator"].isin(noetig)]
        breit = alle_werte.set_index(["gebiet", "periode", "indikator"])["wert"].unstack("indikator")
    gemeldet: set[tuple[str, str]] = set()
    for _, zi, ni in paare:
        if zi not in breit.columns or ni not in breit.columns or (zi, ni) in gemeldet:
            continue
        gemeldet.add((zi, ni))
        zu_gross = breit[breit[zi] > breit[ni]]
        teil = pd.DataFrame(
            {
                "gebiet": zu_gross.index.get_level_values(0),
                "periode": zu_gross.index.get_level_values(1),
                "z": zu_gross[zi].to_numpy(),
                "n": zu_gross[ni].to_numpy(),
            }
        )
        teil["zeile"] = [
            herkunft.get((gb, pe, zi), herkunft.get((gb, pe, ni)))
            for gb, pe in zip(teil["gebiet"], teil["periode"], strict=True)
        ]
        protokoll.melden_zeilen(
            FEHLER,
            teil.dropna(subset=["zeile"]),
            lambda r, zi=zi, ni=ni: (
                f"„{zi}“ ({_de(r['z'])}) ist größer als „{ni}“ ({_de(r['n'])}) in Gebiet "
                f"„{r['gebiet']}“, {r['periode']}."
            ),
            pruefung="zaehler_nenner",
        )
    for ganzes, teile in summen:
        if ganzes not in breit.columns or not all(t in breit.columns for t in teile):
            continue
        summe = breit[teile].sum(axis=1, min_count=len(teile))
        abweichung = (breit[ganzes] - summe).abs()
        falsch = breit.index[(abweichung > 0.5).to_numpy()]
        teil = pd.DataFrame(
            {
                "gebiet": falsch.get_level_values(0),
                "periode": falsch.get_level_values(1),
                "ganzes": breit.loc[falsch, ganzes].to_numpy(),
                "summe": summe.loc[falsch].to_numpy(),
            }
        )
        teil["zeile"] = [
            next((herkunft.get((gb, pe, i)) for i in [ganzes, *teile] if (gb, pe, i) in herkunft.index), None)
            for gb, pe in zip(teil["gebiet"], teil["periode"], strict=True)
        ]
        protokoll.melden_zeilen(
            WARNUNG,
            teil.dropna(subset=["zeile"]),
            lambda r, ganzes=ganzes, teile=teile: (
                f"Teile ergeben nicht die Summe: „{ganzes}“ = {_de(r['ganzes'])}, "
                "aber " + " + ".join(teile) + f" = {_de(r['summe'])} (Gebiet „{r['gebiet']}“, {r['periode']})."
            ),
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
    alle = _mit_bestand(kommune, gueltig, ebene)
    paar_index = pd.MultiIndex.from_frame(gueltig[["gebiet", "indikator"]].drop_duplicates())
    a = alle[pd.MultiIndex.from_frame(alle[["gebiet", "indikator"]]).isin(paar_index)]
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
    spruenge = a[gross & (relativ > g.sprung)]
    spruenge = spruenge.assign(
        zeile=[
            herkunft.get(k) for k in zip(spruenge["gebiet"], spruenge["periode"], spruenge["indikator"], strict=True)
        ]
    ).dropna(subset=["zeile"])

    def sprung_text(r: dict[str, Any]) -> str:
        neu, alt = float(r["wert"]), float(r["alt"])
        aenderung = "vorher 0" if alt == 0 else f"{(neu - alt) / abs(alt) * 100:+.0f} %"
        return (
            f"Sprung bei „{r['indikator']}“ in Gebiet „{r['gebiet']}“: {r['alt_periode']} {_de(alt)} → "
            f"{r['periode']} {_de(neu)} ({aenderung}; Schwelle {g.sprung * 100:.0f} %)."
        )

    protokoll.melden_zeilen(WARNUNG, spruenge, sprung_text, pruefung="sprung")
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
    sensibel = pd.Series(sensibel_je_indikator(kat), dtype=bool)
    ist_sensibel = gueltig["indikator"].map(sensibel).fillna(False).astype(bool)
    grenze = np.where(ist_sensibel, regeln.mindestfallzahl_sensibel, regeln.mindestfallzahl).astype(float)
    klein = gueltig.assign(grenze=grenze)
    klein = klein[(klein["indikator"].map(kat["art"]) == "anzahl") & (klein["wert"] > 0) & (klein["wert"] < grenze)]
    protokoll.melden_zeilen(
        HINWEIS,
        klein,
        lambda r: (
            f"Kleine Fallzahl {_de(r['wert'])} bei „{r['indikator']}“ in Gebiet „{r['gebiet']}“: unter der "
            f"Mindestfallzahl {int(r['grenze'])}, wird öffentlich als „.“ gesperrt."
        ),
        spalte=lambda r: r["spalte"],
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
    return zahl(wert, 2, minus="-", kuerzen=True)


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
            z.merkmal_spalte,
        )
        if v
    } | set(z.spalten)
    if not erwartet:
        erwartet = {s.id_spalte for s in kommune.konfiguration.schichten} | {n for t in _KOEPFE.values() for n in t}
        erwartet |= set(kommune.katalog.index) | set(kommune.katalog["name"])
        erwartet |= SCHLUESSEL_KOEPFE
        for m in kommune.konfiguration.merkmale:
            erwartet |= {m.id, m.name, *(n for _, n in m.namen)}
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

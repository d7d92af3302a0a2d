"""Angebote filtern und als „Angebotsübersicht“ (XLSX) entlang der Bildungskette ausgeben.

Die Übersicht ist eine Arbeitsmappe mit zwei Blättern: „Angebotsübersicht“ (eine Kopfzeile, dann
je Bildungsstufe eine Gruppenzeile und die Angebote der Stufe, aufklappbar gegliedert) und
„Quellen“ (Titel, Lizenz, Namensnennung und Stand jeder verwendeten Quelle). Textzellen, die mit
= + - @ (oder Tab/Zeilenumbruch) beginnen (`kommune.format.formel_gefahr`), werden als Text mit
Apostroph-Präfix (`quotePrefix`) geschrieben: Excel und LibreOffice zeigen sie unverändert an und
werten sie nie als Formel aus.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date
from typing import IO, Any

import geopandas as gpd
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from geodata.versorgung import punkte_zuordnen
from kommune.angebotsregister import datum_text
from kommune.format import datum, formel_gefahr, zahl
from kommune.laden import Kommune

#: Die Bildungskette: Reihenfolge der Stufen und ihre Überschriften in der Übersicht.
BILDUNGSKETTE: dict[str, str] = {
    "frühe Bildung": "Frühe Bildung",
    "Schule": "Schule",
    "Übergang": "Übergang Schule – Beruf",
    "non-formal": "Non-formale Bildung",
    "Erwachsenenbildung": "Erwachsenenbildung",
}
SONSTIGE = "Sonstige Angebote"
SPALTEN = (
    "Kategorie", "Name", "Träger", "Adresse", "Plätze", "Alter", "Gebiet",
    "Zielgruppen", "Sprachen", "Kosten", "Kontakt", "Zeiten", "Barrierefrei", "Zuletzt bestätigt",
)  # fmt: skip
ZAHLFORMAT = "#,##0"
BLATT = "Angebotsübersicht"
BLATT_QUELLEN = "Quellen"
_KOPF_FUELLUNG = PatternFill("solid", fgColor="D9D9D9")
_GRUPPEN_FUELLUNG = PatternFill("solid", fgColor="DEEBF7")


def angebote_filtern(
    angebote: gpd.GeoDataFrame,
    kategorien: Iterable[str] | None = None,
    traeger: Iterable[str] | None = None,
    alter: float | None = None,
    bildungsstufen: Iterable[str] | None = None,
    ohne_altersangabe: bool = True,
) -> gpd.GeoDataFrame:
    """Angebote nach Kategorie, Träger, Alter und Bildungsstufe filtern (None = kein Filter).

    `alter` ist ein Alter in Jahren, das das Angebot abdecken muss: alter_von ≤ alter < alter_bis
    (wie „6 bis unter 15“). Angebote ohne Altersangabe (z. B. Bibliotheken) bleiben enthalten,
    außer mit `ohne_altersangabe=False`; ist nur eine Grenze bekannt, zählt nur diese.
    """
    maske = pd.Series(True, index=angebote.index)
    if alter is not None:
        maske &= alter_maske(angebote, alter, ohne_altersangabe)
    if kategorien is not None:
        maske &= angebote["kategorie"].isin(list(kategorien))
    if traeger is not None:
        maske &= angebote["traeger"].isin(list(traeger))
    if bildungsstufen is not None:
        maske &= angebote["bildungsstufe"].isin(list(bildungsstufen))
    return angebote[maske]


def alter_maske(angebote: pd.DataFrame, alter: float, ohne_altersangabe: bool = True) -> pd.Series:
    """Welche Angebote das Alter abdecken (alter_von ≤ alter < alter_bis; fehlende Grenzen zählen nicht).

    Ohne jede Altersangabe zählt ein Angebot als passend, außer mit `ohne_altersangabe=False`.
    """
    von = pd.to_numeric(angebote["alter_von"], errors="coerce")
    bis = pd.to_numeric(angebote["alter_bis"], errors="coerce")
    passt = (von.isna() | (von <= alter)) & (bis.isna() | (alter < bis))
    if not ohne_altersangabe:
        passt &= von.notna() | bis.notna()
    return passt


def alter_text(von: Any, bis: Any) -> str:
    """„0–6 Jahre“, „ab 6 Jahren“, „bis 6 Jahre“ oder leer (ohne Angabe)."""
    v = None if von is None or pd.isna(von) else zahl(float(von), 0)
    b = None if bis is None or pd.isna(bis) else zahl(float(bis), 0)
    if v is not None and b is not None:
        return f"{v}–{b} Jahre"
    if v is not None:
        return f"ab {v} Jahren"
    if b is not None:
        return f"bis {b} Jahre"
    return ""


def feinste_ebene(kommune: Kommune) -> str:
    """Die ID der feinsten statistischen Ebene (die kein Elterngebiet einer anderen ist)."""
    ebenen = kommune.konfiguration.ebenen
    eltern = {e.eltern for e in ebenen if e.eltern}
    return next((e.id for e in ebenen if e.id not in eltern), ebenen[0].id)


def stufe_titel(stufe_pos: int, stufen_roh: Iterable[str]) -> str:
    """Überschrift einer Gruppe der Bildungskette (`_stufe` aus `reihenfolge`); Unbekanntes als „Sonstige“."""
    stufen = list(BILDUNGSKETTE)
    if stufe_pos < len(stufen):
        return BILDUNGSKETTE[stufen[stufe_pos]]
    roh = sorted({str(s) for s in stufen_roh if str(s)})
    return f"{SONSTIGE} ({', '.join(roh)})" if roh else SONSTIGE


def _leer(wert: Any) -> str:
    """Registertext oder "" (fehlend, NaN)."""
    if wert is None or (isinstance(wert, float) and pd.isna(wert)):
        return ""
    return str(wert).strip()


def kosten_text(kostenfrei: Any, kosten: Any) -> str:
    """„kostenfrei“, „kostenfrei (Text)“, der Kostentext oder leer."""
    frei, text = _leer(kostenfrei), _leer(kosten)
    if frei == "ja":
        return f"kostenfrei ({text})" if text and text.casefold() not in ("kostenfrei", "frei") else "kostenfrei"
    if frei == "nein" and not text:
        return "kostenpflichtig"
    return text


def kontakt_text(telefon: Any, email: Any, web: Any) -> str:
    """Telefon, E-Mail und Webseite in einer Zeile (leere fallen weg)."""
    teile = [f"Tel. {t}" if i == 0 else t for i, t in enumerate((_leer(telefon), _leer(email), _leer(web))) if t]
    return " · ".join(teile)


def _text(wert: Any) -> str:
    """Text für eine Zelle: ohne in XML verbotene Steuerzeichen."""
    if wert is None or (isinstance(wert, float) and pd.isna(wert)):
        return ""
    return ILLEGAL_CHARACTERS_RE.sub("", str(wert))


def _textzelle(ws: Worksheet, zeile: int, spalte: int, wert: Any) -> None:
    """Eine Textzelle schreiben; was wie eine Formel beginnt, bleibt Text (Apostroph-Präfix)."""
    text = _text(wert)
    zelle = ws.cell(row=zeile, column=spalte)
    zelle.value = text
    if formel_gefahr(text):
        zelle.data_type = "s"  # nie als Formel speichern
        zelle.quotePrefix = True  # wie ein getipptes „'“: bleibt auch beim Bearbeiten Text


def reihenfolge(kommune: Kommune, angebote: pd.DataFrame) -> pd.DataFrame:
    """Sortierung entlang der Bildungskette, dann Kategorie (Reihenfolge der kommune.toml), dann Name.

    Hilfsspalten: `_stufe` (Position in `BILDUNGSKETTE`, Unbekanntes dahinter), `_kat`, `_name`.
    """
    stufen = list(BILDUNGSKETTE)
    kat_reihe = {a.kategorie: i for i, a in enumerate(kommune.konfiguration.angebote)}
    df = angebote.copy()
    df["_stufe"] = df["bildungsstufe"].map(lambda s: stufen.index(s) if s in stufen else len(stufen))
    df["_kat"] = df["kategorie"].map(lambda k: kat_reihe.get(k, len(kat_reihe)))
    df["_name"] = df["name"].astype(str).str.replace(r"^\W+", "", regex=True).str.casefold()  # „"Arche"“ unter A
    return df.sort_values(["_stufe", "_kat", "kategorie", "_name"], kind="stable")


def _quellen_blatt(ws: Worksheet, kommune: Kommune, angebote: pd.DataFrame, ebene: str, titel: str) -> None:
    """Blatt „Quellen“: Titel, Erstellungsdatum, dann je Quelle Lizenz, Namensnennung und Stand."""
    _textzelle(ws, 1, 1, titel)
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    _textzelle(ws, 2, 1, f"Erstellt am {datum(date.today())}; {zahl(len(angebote), 0)} Angebote.")
    kopf = ("Quelle", "Lizenz", "Namensnennung", "Stand", "Verwendet für", "URL")
    for j, name in enumerate(kopf, start=1):
        zelle = ws.cell(row=4, column=j, value=name)
        zelle.font, zelle.fill = Font(bold=True), _KOPF_FUELLUNG
    eintraege: list[tuple[str, str, str]] = []  # (quelle_id, stand, verwendet für)
    for qid, teil in angebote.groupby("quelle", sort=False):
        staende = ", ".join(sorted({str(s) for s in teil["stand"] if str(s)}))
        kats = ", ".join(dict.fromkeys(teil["kategorie"].astype(str)))
        eintraege.append((str(qid), staende, kats))
    schicht = kommune.schicht(ebene)
    eintraege.append((schicht.quelle, schicht.stand, f"Spalte „Gebiet“ ({schicht.name})"))
    zeile = 5
    for qid, stand, wofuer in eintraege:
        q = kommune.konfiguration.quelle(qid)
        werte = (q.titel, q.lizenz, q.namensnennung) if q else (qid or "ohne Angabe", "", "")
        for j, wert in enumerate((*werte, stand, wofuer, q.url if q else ""), start=1):
            _textzelle(ws, zeile, j, wert)
        zeile += 1
    for j, breite in enumerate((50, 16, 60, 14, 40, 40), start=1):
        ws.column_dimensions[get_column_letter(j)].width = breite
    ws.freeze_panes = "A5"


def _register_texte(z: pd.Series) -> tuple[str, ...]:
    """Zielgruppen, Sprachen, Kosten, Kontakt, Zeiten, barrierefrei, zuletzt bestätigt (nur öffentliche Felder)."""
    return (
        _leer(z.get("zielgruppen")),
        _leer(z.get("sprachen")),
        kosten_text(z.get("kostenfrei"), z.get("kosten")),
        kontakt_text(z.get("telefon"), z.get("email"), z.get("web")),
        _leer(z.get("zeiten")),
        _leer(z.get("barrierefrei")),
        datum_text(_leer(z.get("bestaetigt_am"))),
    )


def angebotsuebersicht_xlsx(
    kommune: Kommune,
    angebote_gefiltert: gpd.GeoDataFrame,
    pfad_oder_buffer: str | os.PathLike[str] | IO[bytes],
    titel: str | None = None,
) -> None:
    """Die Angebotsübersicht als XLSX schreiben (Pfad oder binärer Puffer, z. B. `io.BytesIO`).

    Spalten: Kategorie, Name, Träger, Adresse, Plätze (Zahlformat `#,##0`, leer = unbekannt),
    Alter, Gebiet (Gebiet der feinsten Ebene, in dem der Punkt liegt: „Name (ID)“, per räumlicher
    Verknüpfung), dann die öffentlichen Registerfelder Zielgruppen, Sprachen, Kosten, Kontakt, Zeiten,
    Barrierefrei, Zuletzt bestätigt (TT.MM.JJJJ; leer bei Angeboten ohne Register). Nicht öffentliche Felder
    (`Feld.oeffentlich`, z. B. „bestätigt von“) erscheinen nie.
    Gruppiert entlang der Bildungskette (`BILDUNGSKETTE`, Unbekanntes am Ende), je
    Gruppe eine Zwischenzeile mit der Zahl der Angebote; Kopfzeile fixiert, mit Autofilter.
    """
    titel = titel or f"Angebotsübersicht {kommune.name}"
    ebene = feinste_ebene(kommune)
    gebiete = kommune.gebiete[ebene]
    df = reihenfolge(kommune, pd.DataFrame(angebote_gefiltert))
    punkte = gpd.GeoSeries(angebote_gefiltert.geometry.reindex(df.index), crs=angebote_gefiltert.crs)
    if len(punkte) and punkte.crs is not None and punkte.crs != gebiete.crs:
        punkte = punkte.to_crs(gebiete.crs)
    gebiet_id = punkte_zuordnen(punkte, gebiete)
    gebiet_name = gebiet_id.map(lambda i: "" if i is None else f"{gebiete.at[i, 'name']} ({i})")

    wb = Workbook()
    ws = wb.active
    ws.title = BLATT
    wb.properties.title = titel
    wb.properties.creator = "Bildungsmonitor"
    for j, name in enumerate(SPALTEN, start=1):
        zelle = ws.cell(row=1, column=j, value=name)
        zelle.font, zelle.fill = Font(bold=True), _KOPF_FUELLUNG
        zelle.alignment = Alignment(vertical="center")
    breiten = [len(s) for s in SPALTEN]
    zeile = 2
    for stufe_pos, teil in df.groupby("_stufe", sort=True):
        label = stufe_titel(int(stufe_pos), teil["bildungsstufe"].astype(str))
        n = len(teil)
        _textzelle(ws, zeile, 1, f"{label} ({zahl(n, 0)} {'Angebot' if n == 1 else 'Angebote'})")
        for j in range(1, len(SPALTEN) + 1):
            ws.cell(row=zeile, column=j).fill = _GRUPPEN_FUELLUNG
            ws.cell(row=zeile, column=j).font = Font(bold=True)
        zeile += 1
        for idx, z in teil.iterrows():
            texte = (z["kategorie"], z["name"], z["traeger"], z["adresse"])
            for j, wert in enumerate(texte, start=1):
                _textzelle(ws, zeile, j, wert)
                breiten[j - 1] = max(breiten[j - 1], len(_text(wert)))
            kap = pd.to_numeric(z["kapazitaet"], errors="coerce")
            zelle = ws.cell(row=zeile, column=5, value=float(kap) if pd.notna(kap) and kap > 0 else None)
            zelle.number_format = ZAHLFORMAT
            alter = alter_text(z["alter_von"], z["alter_bis"])
            _textzelle(ws, zeile, 6, alter)
            _textzelle(ws, zeile, 7, gebiet_name[idx])
            breiten[5] = max(breiten[5], len(alter))
            breiten[6] = max(breiten[6], len(gebiet_name[idx]))
            for j, wert in enumerate(_register_texte(z), start=8):
                _textzelle(ws, zeile, j, wert)
                breiten[j - 1] = max(breiten[j - 1], len(_text(wert)))
            ws.row_dimensions[zeile].outlineLevel = 1
            zeile += 1
    for j, b in enumerate(breiten, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(b + 2, 8), 60)
    ws.column_dimensions["E"].width = 10
    for spalte in ("H", "I", "J", "K", "L"):
        ws.column_dimensions[spalte].width = min(ws.column_dimensions[spalte].width, 40)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(SPALTEN))}{max(zeile - 1, 1)}"
    ws.sheet_properties.outlinePr.summaryBelow = False
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    _quellen_blatt(wb.create_sheet(BLATT_QUELLEN), kommune, df, ebene, titel)
    wb.save(pfad_oder_buffer)

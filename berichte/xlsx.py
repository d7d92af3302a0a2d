"""XLSX-Export beliebiger Tabellen: deutsches Zahlformat, Einheiten im Kopf, Sperrzeichen, Blatt „Methodik“.

Rein, ohne Streamlit. Zahlformate sind in Excel sprachunabhängig gespeichert („#,##0.0“) und
erscheinen in deutschem Excel/LibreOffice als „1.234,5“. Gesperrte Zellen (Geheimhaltung) stehen als
„.“ wie in der amtlichen Statistik („Zahlenwert unbekannt oder geheim zu halten“), fehlende Werte als
leere Zelle. Text, der wie eine Formel beginnt (= + - @ Tab CR LF), wird mit einem Apostroph als Text
gespeichert (keine Formel-Injektion, `kommune.format.entschaerfen`).

``xlsx_bytes(df, *, titel="", einheiten=None, stellen=None, gesperrt=None, kommune=None, quellen=None,
stichtage=None, index_definition=None, hinweise=(), blatt="Daten") -> bytes``
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kommune.format import datum, entschaerfen
from kommune.konfiguration import Quelle
from kommune.laden import Kommune

GESPERRT = "."
ZEICHENERKLAERUNG = [
    (".", "Zahlenwert unbekannt oder geheim zu halten (Geheimhaltung)"),
    ("leer", "kein Wert vorhanden"),
]
_KOPF_FUELLUNG = PatternFill("solid", fgColor="DDEBF7")


#: Für bestehende Aufrufer: derselbe Helfer wie in allen Exporten.
sicherer_text = entschaerfen


def _kopf(name: object, einheit: str | None) -> str:
    text = str(name)
    if einheit and f"({einheit})" not in text:
        text = f"{text} ({einheit})"
    return str(sicherer_text(text))


def _format(stellen: int) -> str:
    return "#,##0" if stellen <= 0 else "#,##0." + "0" * stellen


def _blatt_name(name: str) -> str:
    verboten = '[]:*?/\\'
    sauber = "".join("_" if c in verboten else c for c in name).strip("'") or "Daten"
    return sauber[:31]


def xlsx_bytes(
    df: pd.DataFrame,
    *,
    titel: str = "",
    einheiten: Mapping[str, str] | None = None,
    stellen: Mapping[str, int] | None = None,
    gesperrt: pd.DataFrame | None = None,
    kommune: Kommune | None = None,
    quellen: Iterable[Quelle] | None = None,
    stichtage: Mapping[str, str] | Sequence[str] | None = None,
    index_definition: str | None = None,
    hinweise: Sequence[str] = (),
    blatt: str = "Daten",
    mit_index: bool = False,
) -> bytes:
    """Eine Tabelle als XLSX mit Blatt „Methodik“.

    `einheiten`: Spalte → Einheit (im Kopf „Kinderarmut (%)“). `stellen`: Spalte → Nachkommastellen
    (Standard: ganze Zahlen 0, sonst 1). `gesperrt`: boolesche Maske gleicher Form (True = gesperrt →
    „.“). `quellen`: Standard alle Quellen der `kommune`. `stichtage`: Spalte → Stichtag oder eine
    Liste von Stichtagen. `index_definition`: Text der verwendeten Index-Definition (z. B. TOML).
    """
    daten = df.reset_index() if mit_index else df
    maske = None
    if gesperrt is not None:
        m = gesperrt.reindex(index=df.index, columns=df.columns).fillna(False).astype(bool)
        if mit_index:
            for name in reversed(list(daten.columns[: daten.shape[1] - df.shape[1]])):
                m.insert(0, name, False)
        maske = m.to_numpy()
    einheiten = dict(einheiten or {})
    stellen = dict(stellen or {})
    wb = Workbook()
    ws = wb.active
    ws.title = _blatt_name(blatt)
    for j, name in enumerate(daten.columns, start=1):
        zelle = ws.cell(1, j, _kopf(name, einheiten.get(str(name))))
        zelle.font = Font(bold=True)
        zelle.fill = _KOPF_FUELLUNG
        zelle.alignment = Alignment(wrap_text=True, vertical="top")
    formate: list[str | None] = []
    for name in daten.columns:
        spalte = daten[name]
        if pd.api.types.is_bool_dtype(spalte):
            formate.append(None)
        elif pd.api.types.is_integer_dtype(spalte):
            formate.append(_format(stellen.get(str(name), 0)))
        elif pd.api.types.is_float_dtype(spalte):
            formate.append(_format(stellen.get(str(name), 1)))
        else:
            formate.append(None)
    werte = daten.to_numpy(dtype=object)
    for i, zeile in enumerate(werte):
        for j, wert in enumerate(zeile):
            ziel = ws.cell(i + 2, j + 1)
            if maske is not None and maske[i, j]:
                ziel.value = GESPERRT
                ziel.alignment = Alignment(horizontal="right")
                continue
            if wert is None or (isinstance(wert, float) and math.isnan(wert)) or wert is pd.NA or wert is pd.NaT:
                continue
            if hasattr(wert, "item") and not isinstance(wert, str):
                wert = wert.item()
            if isinstance(wert, str):
                ziel.value = sicherer_text(wert)
                ziel.data_type = "s"
            else:
                ziel.value = wert
                if formate[j]:
                    ziel.number_format = formate[j]
    ws.freeze_panes = "A2"
    for j, name in enumerate(daten.columns, start=1):
        laengen = [len(str(ws.cell(1, j).value))] + [len(str(v)) for v in daten[name].head(200)]
        ws.column_dimensions[get_column_letter(j)].width = min(max(laengen) + 2, 60)
    if len(daten.columns):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(daten.columns))}{len(daten) + 1}"

    _methodik(wb, titel, kommune, quellen, stichtage, index_definition, hinweise, maske is not None)
    puffer = io.BytesIO()
    wb.save(puffer)
    return puffer.getvalue()


def _methodik(
    wb: Workbook,
    titel: str,
    kommune: Kommune | None,
    quellen: Iterable[Quelle] | None,
    stichtage: Mapping[str, str] | Sequence[str] | None,
    index_definition: str | None,
    hinweise: Sequence[str],
    gesperrt: bool,
) -> None:
    ws = wb.create_sheet("Methodik")
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 18
    ws.column_dimensions["D"].width = 60
    zeile = 1

    def schreibe(*werte: object, fett: bool = False) -> None:
        nonlocal zeile
        for j, w in enumerate(werte, start=1):
            z = ws.cell(zeile, j, sicherer_text(w))
            if isinstance(w, str):
                z.data_type = "s"
            z.alignment = Alignment(wrap_text=True, vertical="top")
            if fett:
                z.font = Font(bold=True)
        zeile += 1

    schreibe(titel or "Tabelle", fett=True)
    if kommune is not None:
        schreibe("Kommune", kommune.name)
    schreibe("Erstellt am", datum(date.today()))
    schreibe("Erstellt mit", "Bildungsmonitor")
    zeile += 1
    if stichtage:
        schreibe("Stichtage", fett=True)
        if isinstance(stichtage, Mapping):
            for spalte, st in stichtage.items():
                schreibe(str(spalte), str(st))
        else:
            for st in stichtage:
                schreibe("", str(st))
        zeile += 1
    liste = list(quellen) if quellen is not None else list(kommune.konfiguration.quellen) if kommune else []
    if liste:
        schreibe("Quellen", fett=True)
        schreibe("Titel", "Namensnennung", "Lizenz", "Adresse", fett=True)
        for q in liste:
            schreibe(q.titel, q.namensnennung, q.lizenz, q.url)
        zeile += 1
    schreibe("Zeichenerklärung", fett=True)
    for zeichen, text in ZEICHENERKLAERUNG:
        schreibe(zeichen, text)
    if gesperrt:
        schreibe("", "Gesperrte Werte sind durch „.“ ersetzt (Geheimhaltung angewandt).")
    zeile += 1
    if index_definition:
        schreibe("Index-Definition", fett=True)
        for z in index_definition.splitlines():
            schreibe("", z)
        zeile += 1
    if hinweise:
        schreibe("Hinweise", fett=True)
        for h in hinweise:
            schreibe("", h)


def xlsx_speichern(pfad: str, df: pd.DataFrame, **kwargs: object) -> None:
    """Wie `xlsx_bytes`, in eine Datei."""
    with open(pfad, "wb") as f:
        f.write(xlsx_bytes(df, **kwargs))  # type: ignore[arg-type]


__all__ = ["GESPERRT", "sicherer_text", "xlsx_bytes", "xlsx_speichern"]

"""Ergebnisse exportieren: CSV (mit Definition als Beidatei) und XLSX (Blätter „Index“ und „Definition“).

Textzellen werden entschärft (`kommune.format.entschaerfen`): kein Gebietsname wird zur Formel.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indices.berechnung import IndexErgebnis
from kommune.fehler import KommuneFehler
from kommune.format import entschaerfen

EXPORT_SPALTEN = {"score": "score", "klasse": "class", "klasse_label": "class_label", "rang": "rank"}


def export_tabelle(ergebnis: IndexErgebnis) -> pd.DataFrame:
    """Die Exporttabelle: ``unit_id, name, score, class, class_label, rank, rated, reason``.

    Nicht bewertete Gebiete behalten eine leere Klasse und einen leeren Rang.
    """
    t = ergebnis.tabelle
    out = pd.DataFrame(
        {
            "unit_id": t.index.astype(str),
            "score": t["score"].to_numpy(),
            "class": t["klasse"].array,
            "class_label": t["klasse_label"].to_numpy(),
            "rank": t["rang"].array,
            "name": t["name"].to_numpy(),
            "rated": t["bewertet"].to_numpy(),
            "reason": t["grund"].to_numpy(),
        }
    )
    return out


def definition_text(ergebnis: IndexErgebnis, kommune: str = "") -> str:
    """Die Definition als TOML mit Kopfkommentar (Kommune, Ebene, verwendete Perioden)."""
    perioden = ", ".join(f"{i}: {p or 'keine'}" for i, p in ergebnis.perioden.items())
    kopf = [
        f"# Kommune: {kommune}" if kommune else "",
        f"# Ebene: {ergebnis.ebene}",
        f"# Verwendete Perioden: {perioden}",
        f"# Lesart: {ergebnis.lesart}; Skala: {ergebnis.skala}",
        "# Gewichte (normiert): " + ", ".join(f"{i} = {w:.6g}" for i, w in ergebnis.gewichte.items()),
    ]
    if ergebnis.erklaerte_varianz:
        kopf.append(f"# Erklärte Varianz 1. Hauptkomponente: {ergebnis.erklaerte_varianz[0]:.4f}")
    return "\n".join(z for z in kopf if z) + "\n" + ergebnis.definition.als_toml()


def exportieren(ergebnis: IndexErgebnis, pfad: str | Path, kommune: str = "") -> list[Path]:
    """Als CSV (plus ``<datei>.definition.toml``) oder XLSX schreiben; gibt die geschriebenen Dateien zurück."""
    pfad = Path(pfad)
    endung = pfad.suffix.lower()
    tabelle = export_tabelle(ergebnis)
    text = definition_text(ergebnis, kommune)
    try:
        if endung == ".csv":
            tabelle.map(entschaerfen).to_csv(pfad, index=False, encoding="utf-8", lineterminator="\r\n")
            neben = pfad.with_name(pfad.name + ".definition.toml")
            neben.write_text(text, encoding="utf-8")
            return [pfad, neben]
        if endung == ".xlsx":
            _xlsx(tabelle, text, pfad)
            return [pfad]
    except OSError as e:
        raise KommuneFehler(f"Die Datei lässt sich nicht schreiben ({e.strerror}).", datei=str(pfad)) from None
    raise KommuneFehler(f"Das Ausgabeformat „{endung or pfad.name}“ wird nicht unterstützt (erlaubt: .csv, .xlsx).")


def _xlsx(tabelle: pd.DataFrame, text: str, pfad: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Index"
    ws.append(list(tabelle.columns))
    for zelle in ws[1]:
        zelle.font = Font(bold=True)
    for zeile in tabelle.itertuples(index=False):
        ws.append([None if pd.isna(v) else entschaerfen(v.item() if hasattr(v, "item") else v) for v in zeile])
    formate = {"score": "#,##0.000", "class": "0", "rank": "0"}
    for spalte, fmt in formate.items():
        j = list(tabelle.columns).index(spalte) + 1
        for (zelle,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
            zelle.number_format = fmt
    ws.freeze_panes = "A2"
    for buchstabe, breite in zip("ABCDEFGH", (12, 10, 7, 22, 7, 32, 8, 40), strict=True):
        ws.column_dimensions[buchstabe].width = breite
    wd = wb.create_sheet("Definition")
    for z in text.splitlines():
        wd.append([entschaerfen(z)])
    wd.column_dimensions["A"].width = 120
    wb.save(pfad)

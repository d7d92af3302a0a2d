"""Tabellen zum Herunterladen: CSV mit `;` und Dezimalkomma, XLSX mit fixierter Kopfzeile."""

from __future__ import annotations

import io

import pandas as pd

FORMEL_ANFAENGE = ("=", "+", "-", "@", "\t", "\r")


def _zelle(wert: object) -> object:
    """Text, der wie eine Formel beginnt, bekommt ein Apostroph vorangestellt (keine Formel-Injektion)."""
    if isinstance(wert, str) and wert.startswith(FORMEL_ANFAENGE):
        return "'" + wert
    return wert


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV wie deutsche Tabellenkalkulationen sie erwarten: `;`, Dezimalkomma, UTF-8 mit BOM."""
    sicher = df.map(_zelle)
    return sicher.to_csv(sep=";", decimal=",", index=False).encode("utf-8-sig")


def xlsx_bytes(df: pd.DataFrame, blatt: str = "Tabelle", hinweis: str | None = None) -> bytes:
    """XLSX mit fixierter Kopfzeile, Zahlformat mit Tausenderpunkt und optionalem Hinweisblatt."""
    puffer = io.BytesIO()
    with pd.ExcelWriter(puffer, engine="openpyxl") as writer:
        df.map(_zelle).to_excel(writer, sheet_name=blatt[:31], index=False)
        ws = writer.sheets[blatt[:31]]
        ws.freeze_panes = "A2"
        for spalte, name in enumerate(df.columns, start=1):
            breite = max([len(str(name)), *(len(str(v)) for v in df[name].head(200))]) + 2
            ws.column_dimensions[ws.cell(1, spalte).column_letter].width = min(breite, 60)
            if pd.api.types.is_float_dtype(df[name]):
                for zelle in ws.iter_rows(min_row=2, min_col=spalte, max_col=spalte):
                    zelle[0].number_format = "#,##0.0"
            elif pd.api.types.is_integer_dtype(df[name]):
                for zelle in ws.iter_rows(min_row=2, min_col=spalte, max_col=spalte):
                    zelle[0].number_format = "#,##0"
        if hinweis:
            pd.DataFrame({"Hinweis": [hinweis]}).to_excel(writer, sheet_name="Hinweise", index=False)
    return puffer.getvalue()

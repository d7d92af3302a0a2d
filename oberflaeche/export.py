"""Tabellen zum Herunterladen: CSV mit `;` und Dezimalkomma, XLSX mit fixierter Kopfzeile."""

from __future__ import annotations

import io

import pandas as pd

from kommune.format import entschaerfen


def _sicher(df: pd.DataFrame) -> pd.DataFrame:
    """Zellen und Spaltenköpfe entschärft (keine Formel-Injektion, `kommune.format.entschaerfen`)."""
    sicher = df.map(entschaerfen)
    sicher.columns = [entschaerfen(str(c)) for c in df.columns]
    return sicher


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV wie deutsche Tabellenkalkulationen sie erwarten: `;`, Dezimalkomma, UTF-8 mit BOM."""
    sicher = _sicher(df)
    # CRLF: dann steht jede Zelle mit CR oder LF in Anführungszeichen (ein CR beginnt sonst eine neue Zeile)
    return sicher.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n").encode("utf-8-sig")


def xlsx_bytes(df: pd.DataFrame, blatt: str = "Tabelle", hinweis: str | None = None) -> bytes:
    """XLSX mit fixierter Kopfzeile, Zahlformat mit Tausenderpunkt und optionalem Hinweisblatt."""
    puffer = io.BytesIO()
    with pd.ExcelWriter(puffer, engine="openpyxl") as writer:
        _sicher(df).to_excel(writer, sheet_name=blatt[:31], index=False)
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
            pd.DataFrame({"Hinweis": [entschaerfen(hinweis)]}).to_excel(writer, sheet_name="Hinweise", index=False)
    return puffer.getvalue()

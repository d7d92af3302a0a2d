"""Eine „echt aussehende“ Lieferung eines Jugendamts an Musterstadt als XLSX erzeugen.

Wie sie in Statistikstellen entsteht: Titelzeile und Stand über dem Kopf, Fußnotenzeichen im Kopf,
Zahlen als Text mit Dezimalkomma, Summenzeile „Insgesamt“, Fußnoten unter der Tabelle, eine Spalte
mit `=HYPERLINK(...)`. Auf Wunsch: ein falscher Schlüssel (führende Null verloren), eine Formel in einer
Wertspalte, ein Sprung gegenüber dem Vorjahr.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

SPRUNG_VIERTEL = "010105"


def lieferung_xlsx(
    pfad: Path,
    musterstadt: Path,
    *,
    falscher_schluessel: bool = True,
    formel_im_wert: bool = False,
    periode: str = "2025",
) -> dict:
    """Die Datei schreiben; zurück: was drinsteht (für die erwarteten Befunde)."""
    from openpyxl import Workbook

    alt = pd.read_csv(musterstadt / "indikatoren.csv", sep=";", dtype=str)
    alt = alt[alt["periode"] == "2024"]
    breit = alt.pivot(index="gebiet_id", columns="indikator", values="wert")
    wb = Workbook()
    ws = wb.active
    ws.title = "HzE 2025"
    ws.append(["Hilfen zur Erziehung und Kinderarmut nach Stadtvierteln – Musterstadt"])
    ws.append([f"Stand: 31.12.{periode}"])
    ws.append([])
    ws.append(
        [
            "Viertel-Nr.",
            "Viertel",
            "Hilfen zur Erziehung¹)",
            "Kinder in SGB-II-Bedarfsgemeinschaften",
            "Kinderarmut (SGB II)",
            "Details",
        ]
    )
    ids = list(breit.index)
    erwartet = {"falscher_schluessel": None, "kleine_fallzahl": [], "sprung": SPRUNG_VIERTEL, "zeilen": len(ids)}
    summe_hze = 0
    for i, gid in enumerate(ids):
        zeile_nr = ws.max_row + 1
        hze = int(float(breit.loc[gid, "hze_faelle"]))
        sgb2 = int(float(breit.loc[gid, "kinder_sgb2"]))
        if gid == SPRUNG_VIERTEL:
            sgb2 = sgb2 * 3 + 40
        if i == 3:
            hze = 2  # zu kleine Fallzahl (sensibel: Mindestfallzahl 5)
            erwartet["kleine_fallzahl"].append((gid, zeile_nr))
        summe_hze += hze
        armut = breit.loc[gid, "kinderarmut"]
        armut_text = "." if pd.isna(armut) or armut == "" else str(armut)  # schon „12,5“ als Text
        schluessel = gid
        if falscher_schluessel and i == 1:
            schluessel = gid.lstrip("0")  # Excel hat die führende Null gefressen
            erwartet["falscher_schluessel"] = (schluessel, gid, zeile_nr)
        name = "<script>alert(1)</script>" if i == 5 else f"Viertel {gid}"
        hze_zelle = "=2+1" if (formel_im_wert and i == 7) else str(hze)
        if formel_im_wert and i == 7:
            erwartet["formel_im_wert"] = zeile_nr
        ws.append(
            [
                schluessel,
                name,
                hze_zelle,
                f"{sgb2:,}".replace(",", "."),
                armut_text,
                f'=HYPERLINK("https://jugendamt.example/{gid}","Details")',
            ]
        )
    ws.append(["Insgesamt", "", str(summe_hze), "", "", ""])
    ws.append([])
    ws.append(["1) vorläufige Werte, Fälle am Stichtag"])
    ws.append(["Quelle: Jugendamt Musterstadt, eigene Berechnungen"])
    wb.save(pfad)
    erwartet["summe_hze"] = summe_hze
    return erwartet


ZUORDNUNG = """
format = "breit"
ebene = "viertel"
einheit_spalte = "Viertel-Nr."
name_spalte = "Viertel"
periode = "2025"
stand = "31.12.2025"

[spalten]
"Hilfen zur Erziehung" = "hze_faelle"
"Kinder in SGB-II-Bedarfsgemeinschaften" = "kinder_sgb2"
"Kinderarmut (SGB II)" = "kinderarmut"
"""

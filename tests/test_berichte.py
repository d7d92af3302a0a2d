"""Berichte: XLSX mit Methodik, Diagramme (PNG/SVG offline, deutsches Format), Profil-HTML, Word-Entwurf."""

from __future__ import annotations

import dataclasses
import io
import json
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest

from berichte.bildungsbericht import UEBERSCHRIFTEN, bildungsbericht_docx, satz
from berichte.diagramme import als_png, als_svg, punktvergleich, sparkline, spine_chart, spine_daten, zeitreihe
from berichte.karte_svg import gebiet_svg
from berichte.profilbericht import profil_html
from berichte.xlsx import xlsx_bytes


def test_xlsx_methodik_sperren_formate(musterstadt):
    df = pd.DataFrame(
        {
            "Gebiet": ["=HYPERLINK(\"http://x\")", "Altstadt", "@SUM(A1)"],
            "Kinderarmut": [12.345, np.nan, 3.0],
            "Einwohner": [1234, 5678, 9],
        }
    )
    gesperrt = pd.DataFrame(False, index=df.index, columns=df.columns)
    gesperrt.loc[2, "Einwohner"] = True
    daten = xlsx_bytes(
        df,
        titel="Kinderarmut je Viertel",
        einheiten={"Kinderarmut": "%", "Einwohner": "Personen"},
        gesperrt=gesperrt,
        kommune=musterstadt,
        stichtage={"Kinderarmut": "31.12.2024"},
        index_definition='id = "sozialindex"\nname = "Sozialindex"',
    )
    wb = openpyxl.load_workbook(io.BytesIO(daten))
    assert wb.sheetnames == ["Daten", "Methodik"]
    ws = wb["Daten"]
    assert [c.value for c in ws[1]] == ["Gebiet", "Kinderarmut (%)", "Einwohner (Personen)"]
    assert ws.freeze_panes == "A2"
    assert ws["A2"].value.startswith("'=") and ws["A2"].data_type == "s" and ws["A4"].value.startswith("'@")
    assert ws["B2"].value == pytest.approx(12.345) and ws["B2"].number_format == "#,##0.0"
    assert ws["C2"].number_format == "#,##0" and ws["B3"].value is None
    assert ws["C4"].value == "."
    methodik = "\n".join(str(c.value) for zeile in wb["Methodik"].iter_rows() for c in zeile if c.value)
    for erwartet in ("Kinderarmut je Viertel", "31.12.2024", "CC0 1.0", "Kommunalstatistik Musterstadt",
                     "Zeichenerklärung", "geheim zu halten", 'id = "sozialindex"'):
        assert erwartet in methodik


def test_diagramme_deutsch_und_mit_stand(musterstadt):
    c = zeitreihe(musterstadt, "kinderarmut", "stadtteil", ["0202", "0301"])
    spec = c.to_dict()
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert "März" in spec["config"]["locale"]["time"]["months"]
    assert spec["title"]["subtitle"] == "Stand: 31.12.2024"
    svg = als_svg(c)
    assert svg.lstrip().startswith("<svg") and "16,0 %" in svg
    png = als_png(c, scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_spine_daten_und_chart(musterstadt):
    df = spine_daten(musterstadt, "viertel", "020103")
    assert len(df) >= 10
    assert df["pos_gesamt"].eq(0).all()
    assert df[["pos_min", "pos_max", "pos_wert"]].abs().max().max() <= 1 + 1e-9
    kinderarmut = df.set_index("indikator").loc["kinderarmut"]
    assert kinderarmut["pos_wert"] == pytest.approx(1.0)  # Berggarten hat den höchsten Wert
    spec = json.dumps(spine_chart(musterstadt, "viertel", "020103", daten=df).to_dict(), ensure_ascii=False)
    assert "Stand: 31.12.2024" in spec and "Berggarten" in spec
    vergleich = punktvergleich(musterstadt, "stadtteil", ["0202", "0301", "0501"])
    assert "Vergleich" in json.dumps(vergleich.to_dict(), ensure_ascii=False)
    with pytest.raises(ValueError):
        punktvergleich(musterstadt, "stadtteil", [])
    assert als_svg(sparkline([("2022", 17.1), ("2023", 16.4), ("2024", 16.0)])).lstrip().startswith("<svg")


def test_gebiet_svg_maskiert_namen(musterstadt):
    gdf = musterstadt.gebiete["viertel"].copy()
    gdf.loc["020103", "name"] = "<script>alert('x')</script> & Co"
    kommune = dataclasses.replace(musterstadt, gebiete={**musterstadt.gebiete, "viertel": gdf})
    svg = gebiet_svg(kommune, "viertel", "020103")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&amp; Co" in svg
    html = profil_html(kommune, "viertel", "020103", mit_diagrammen=False)
    assert "<script>" not in html, html[max(0, html.find("<script>") - 300) : html.find("<script>") + 80]
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in html


def test_profil_html_vollstaendig(musterstadt):
    sperren = lambda s: s.where(s.index != "hze_faelle")  # noqa: E731
    html = profil_html(musterstadt, "viertel", "020103", sperren=sperren)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="de">' in html
    assert html.count("<svg") >= 3  # Karte, Spine-Chart, Zeitverlauf
    assert "@media print" in html and "break-before: page" in html
    assert "http://" not in html.replace("http://www.w3.org/", "")  # nichts Externes
    assert "Berggarten" in html and "Definition" in html and "31.12.2024" in html
    assert "Anteil der Kinder unter 15 Jahren in SGB-II-Bedarfsgemeinschaften" in html
    assert "gesperrt" in html
    assert "CC0 1.0" in html


def test_satz_neutral(musterstadt):
    assert satz(musterstadt, "kinderarmut") == (
        "Der Anteil „Kinderarmut (SGB II)“ lag 2024 bei 16,0 % und damit 1,1 Prozentpunkte unter 2022."
    )
    assert satz(musterstadt, "einwohner").startswith("Die Zahl „Einwohnerinnen und Einwohner“ lag 2024 bei 250.230")


def test_bildungsbericht_docx(musterstadt):
    import docx

    gesehen = []

    def sperren(s: pd.Series) -> pd.Series:
        gesehen.append(len(s))
        return s.where(s.rank(method="first") > 1)  # kleinsten Wert je Reihe sperren

    daten = bildungsbericht_docx(musterstadt, sperren=sperren)
    d = docx.Document(io.BytesIO(daten))
    ueberschriften = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert ueberschriften[:6] == list(UEBERSCHRIFTEN.values())
    assert len(d.tables) >= 6 and len(d.inline_shapes) >= 6
    assert gesehen
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Stand 31.12.2024" in text and "Quelle:" in text
    assert "Prozentpunkte" in text
    zellen = [c.text for t in d.tables for r in t.rows for c in r.cells]
    assert "." in zellen  # Geheimhaltung angewandt


def test_vergleich_und_spine_beschriften_jede_zeile(musterstadt):
    """Issue 12: der Vergleich beschriftete nur jede zweite Zeile; auf dem Handy lief er über den Rand."""
    from berichte.diagramme import punktvergleich, spine_chart

    for c in (
        punktvergleich(musterstadt, "stadtteil", ["0202", "0301"], rolle="admin"),
        spine_chart(musterstadt, "stadtteil", "0202", rolle="admin"),
    ):
        spec = c.to_dict()
        assert "hconcat" not in spec  # eine Ebene: die Breite kommt vom Container
        achse = spec["layer"][0]["encoding"]["y"]["axis"]
        assert achse["labelOverlap"] is False and "split" in achse["labelExpr"]
        assert spec["height"]["step"] >= 30  # feste Zeilenhöhe statt fester Gesamthöhe
        zeilen = next(iter(spec["datasets"].values()))
        assert all(max(map(len, z["zeile"].split("\n"))) <= 30 or " " not in z["zeile"] for z in zeilen)


def test_umbrechen():
    from berichte.diagramme import umbrechen

    assert umbrechen("Unter 18-Jährige mit Migrationshintergrund (K04)", 26) == [
        "Unter 18-Jährige mit",
        "Migrationshintergrund",
        "(K04)",
    ]
    assert umbrechen("") == [""] and umbrechen("kurz") == ["kurz"]


def test_zeitreihe_von_anzahlen_als_index():
    """Issue 12: Stadt (250.230) und Gebiet (≈ 2.000) auf einer Achse – die Gebietslinie lag flach auf null."""
    from berichte.diagramme import index_je_linie

    df = pd.DataFrame(
        {
            "periode": ["2022", "2023", "2024", "2022", "2023", "2024", "2022", "2023"],
            "gebiet": ["Nord", "Nord", "Nord", "Stadt gesamt", "Stadt gesamt", "Stadt gesamt", "Null", "Null"],
            "wert": [float("nan"), 2000.0, 2200.0, 250230.0, 250230.0, 262741.5, 0.0, 5.0],
        }
    )
    idx = index_je_linie(df).round(1).tolist()
    assert idx[:6] == [pytest.approx(float("nan"), nan_ok=True), 100.0, 110.0, 100.0, 100.0, 105.0]
    assert all(math.isnan(x) for x in idx[6:])  # erster Wert 0: kein Index


def test_zeitreihe_anzahl_nutzt_index_anteil_nicht(musterstadt):
    from berichte.diagramme import zeitreihe

    anzahl = zeitreihe(musterstadt, "einwohner", "stadtteil", ["0202"], rolle="admin").to_dict()
    assert anzahl["layer"][0]["layer"][0]["encoding"]["y"]["field"] == "index"
    anteil = zeitreihe(musterstadt, "kinderarmut", "stadtteil", ["0202"], rolle="admin").to_dict()
    assert anteil["layer"][0]["layer"][0]["encoding"]["y"]["field"] == "wert"

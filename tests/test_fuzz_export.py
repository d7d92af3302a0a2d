"""Formel-Entschärfung in jedem Exportweg (issue 9, Punkt 6): feindliche Namen werden nie zur Formel.

Eine Kopie der Musterstadt bekommt Gebiets-, Indikator-, Angebots- und Kommunennamen, die wie Formeln
beginnen (= + - @ Tab CR LF). Jeder CSV-/XLSX-Schreiber schreibt sie; die Dateien werden mit openpyxl bzw.
csv zurückgelesen: keine Zelle ist eine Formel, jeder gefährliche Text ist entschärft. Zahlen – auch
negative – bleiben Zahlen.
"""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from openpyxl import load_workbook

from kommune.format import entschaerfen, formel_gefahr
from tests.conftest import PROJEKT

MUSTERSTADT = PROJEKT / "sample_data" / "musterstadt"
BOESE = ['=HYPERLINK("http://x.invalid","klick")', "+1+2", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", " =1+1"]
NAMENSSPALTEN = {
    "viertel": "viertel_name",
    "stadtteil": "stadtteil_name",
    "stadtbezirk": "stadtbezirk_name",
    "schulbezirke": "bezirk_name",
}


def _boese(i: int) -> str:
    return BOESE[i % len(BOESE)]


@pytest.fixture(scope="module")
def boese_stadt(tmp_path_factory) -> Path:
    """Musterstadt mit formelartigen Namen in Geometrie, Katalog, Angeboten und kommune.toml."""
    ordner = tmp_path_factory.mktemp("export") / "musterstadt"  # Presets werden nach dem Ordnernamen gefunden
    shutil.copytree(MUSTERSTADT, ordner)
    quelle = MUSTERSTADT / "geometrie.gpkg"
    (ordner / "geometrie.gpkg").unlink()
    for layer, spalte in NAMENSSPALTEN.items():
        gdf = gpd.read_file(quelle, layer=layer)
        for i in range(min(len(gdf), len(BOESE))):
            gdf.loc[i, spalte] = _boese(i)
        pyogrio.write_dataframe(gdf, ordner / "geometrie.gpkg", layer=layer, driver="GPKG")
    angebote = gpd.read_file(MUSTERSTADT / "angebote.gpkg", layer="angebote")
    for i in range(0, len(angebote), 3):
        angebote.loc[i, "name"] = _boese(i)
        angebote.loc[i, "traeger"] = _boese(i + 1)
    (ordner / "angebote.gpkg").unlink()
    pyogrio.write_dataframe(angebote, ordner / "angebote.gpkg", layer="angebote", driver="GPKG")
    katalog = pd.read_csv(MUSTERSTADT / "katalog.csv", sep=";", dtype=str, keep_default_na=False)
    for i in range(len(katalog)):
        katalog.loc[i, "name"] = BOESE[i % 4] + " " + katalog.loc[i, "name"]
    katalog.to_csv(ordner / "katalog.csv", sep=";", index=False)
    toml = ordner / "kommune.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('name = "Musterstadt"', 'name = "=1+1 Stadt"', 1))
    return ordner


def _xlsx_pruefen(quelle: Path | bytes) -> int:
    """Alle Zellen aller Blätter: keine Formel; gefährlicher Text nur entschärft. Zahl der entschärften Zellen."""
    daten = quelle if isinstance(quelle, bytes) else quelle.read_bytes()
    with zipfile.ZipFile(io.BytesIO(daten)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode("utf-8"), name
    wb = load_workbook(io.BytesIO(daten))
    entschaerft = 0
    for ws in wb.worksheets:
        for reihe in ws.iter_rows():
            for zelle in reihe:
                assert zelle.data_type != "f", (ws.title, zelle.coordinate, zelle.value)
                if isinstance(zelle.value, str):
                    assert not formel_gefahr(zelle.value) or zelle.quotePrefix, (ws.title, zelle.coordinate)
                    entschaerft += zelle.value.startswith("'") or bool(zelle.quotePrefix)
    return entschaerft


def _csv_pruefen(pfad: Path) -> int:
    """Jede Zelle: kein Text, den eine Tabellenkalkulation als Formel liest. Zahl der entschärften Zellen."""
    text = pfad.read_text(encoding="utf-8-sig")
    trenner = ";" if text.splitlines()[0].count(";") >= text.splitlines()[0].count(",") else ","
    entschaerft = 0
    for zeile in csv.reader(io.StringIO(text), delimiter=trenner):
        for zelle in zeile:
            assert not formel_gefahr(zelle), (pfad.name, zelle)
            entschaerft += zelle.startswith("'")
    return entschaerft


def _main(modul: str, argv: list[str]) -> int:
    import importlib

    with contextlib.redirect_stdout(io.StringIO()):
        return importlib.import_module(f"{modul}.__main__").main(argv)


@pytest.mark.parametrize("endung", [".csv", ".xlsx"])
@pytest.mark.parametrize("rolle", ["oeffentlich", "admin"])
def test_kommune_export(boese_stadt, tmp_path, endung, rolle):
    out = tmp_path / f"x{endung}"
    argv = ["export", str(boese_stadt), "--level", "viertel", "--role", rolle, "--out", str(out)]
    assert _main("freigabe", argv) == 0
    assert (_csv_pruefen(out) if endung == ".csv" else _xlsx_pruefen(out)) >= len(BOESE)


@pytest.mark.parametrize("endung", [".csv", ".xlsx"])
def test_indices_compute(boese_stadt, tmp_path, endung):
    """Der Fall aus issue 9: `python -m indices compute --out x.xlsx|x.csv` schrieb Formeln."""
    out = tmp_path / f"x{endung}"
    argv = ["compute", str(boese_stadt), "--preset", "sozialindex", "--out", str(out)]
    assert _main("indices", argv) == 0
    assert (_csv_pruefen(out) if endung == ".csv" else _xlsx_pruefen(out)) >= 4


def test_geodata_interpolate(boese_stadt, tmp_path):
    out = tmp_path / "x.csv"
    argv = ["interpolate", str(boese_stadt), "--indicator", "einwohner", "--to", "schulbezirk", "--out", str(out)]
    assert _main("geodata", argv) == 0
    _csv_pruefen(out)


def test_angebotsuebersicht_und_berichte(boese_stadt):
    from berichte.xlsx import xlsx_bytes
    from geodata.angebotsuebersicht import angebotsuebersicht_xlsx
    from kommune import kommune_laden

    k = kommune_laden(boese_stadt)
    puffer = io.BytesIO()
    angebotsuebersicht_xlsx(k, k.angebote, puffer, titel="=1+1 Übersicht")
    assert _xlsx_pruefen(puffer.getvalue()) >= len(BOESE)
    df = pd.DataFrame({"Gebiet": BOESE, "Wert": [-3.5, -1.0, 0.0, 2.5, -7.25, 1.0, -0.5]})
    inhalt = xlsx_bytes(df, titel="=TITEL()", kommune=k, hinweise=["-1+1 Hinweis"], einheiten={"Wert": "%"})
    assert _xlsx_pruefen(inhalt) >= len(BOESE) + 2
    ws = load_workbook(io.BytesIO(inhalt)).worksheets[0]
    assert [ws.cell(r, 2).value for r in range(2, 9)] == df["Wert"].tolist()  # negative Zahlen bleiben Zahlen


def test_oberflaeche_export(tmp_path):
    from oberflaeche.export import csv_bytes, xlsx_bytes

    df = pd.DataFrame(
        {"=Kopf": BOESE, "Wert": [-3.5, 1, 2, 3, 4, 5, 6], "Text": ["-5", "-1,5", "-", "a", "b", "c", "d"]}
    )
    pfad = tmp_path / "x.csv"
    pfad.write_bytes(csv_bytes(df))
    assert _csv_pruefen(pfad) == len(BOESE) + 1
    zeilen = list(csv.reader(io.StringIO(pfad.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert zeilen[1][1] == "-3,5" and zeilen[1][2] == "-5" and zeilen[2][2] == "-1,5" and zeilen[3][2] == "-"
    inhalt = xlsx_bytes(df, hinweis="=HINWEIS()")
    assert _xlsx_pruefen(inhalt) == len(BOESE) + 2
    assert load_workbook(io.BytesIO(inhalt)).worksheets[0]["B2"].value == -3.5


def test_pruefprotokoll_xlsx(boese_stadt, tmp_path):
    from kommune import kommune_laden
    from kommune.pruefung import lieferung_pruefen, pruefprotokoll_xlsx

    lieferung = tmp_path / "=1+1.csv"
    lieferung.write_text("gebiet_id;indikator;periode;wert\n=1+1;@x;+2;-3+4\n", encoding="utf-8")
    protokoll = lieferung_pruefen(kommune_laden(boese_stadt), lieferung).protokoll
    assert not protokoll.ok
    _xlsx_pruefen(pruefprotokoll_xlsx(protokoll, tmp_path / "p.xlsx"))


@pytest.mark.parametrize(
    ("roh", "erwartet"),
    [
        ("=1+1", "'=1+1"),
        ("+49 30 1234", "'+49 30 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\n=1", "'\n=1"),
        (" =1", "' =1"),
        ("\x01=1", "'=1"),
        ("-5", "-5"),
        ("-1,5", "-1,5"),
        ("+3.5", "'+3.5"),
        ("-1e5", "-1e5"),
        ("-", "-"),
        ("Kita", "Kita"),
        (-3.5, -3.5),
        (7, 7),
        (None, None),
    ],
)
def test_entschaerfen(roh, erwartet):
    assert entschaerfen(roh) == erwartet

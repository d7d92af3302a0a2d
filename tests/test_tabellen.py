"""CSV/XLSX lesen: deutsche Zahlformate, Kodierungen, kaputte Dateien mit Fundstelle."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import Workbook

from kommune.fehler import KommuneFehler
from kommune.tabellen import tabelle_lesen, trennzeichen_erkennen, zahlen_parsen


def test_deutsches_zahlformat_und_fehlwerte():
    s = pd.Series(["1.234,5", "-0,25", ".", "", "17", "−3,0"])
    z = zahlen_parsen(s, dezimalzeichen=",", datei="x.csv", spalte="wert")
    assert z.iloc[0] == 1234.5
    assert z.iloc[1] == -0.25
    assert pd.isna(z.iloc[2]) and pd.isna(z.iloc[3])
    assert z.iloc[4] == 17 and z.iloc[5] == -3.0


def test_dezimalzeichen_wird_erkannt():
    assert zahlen_parsen(pd.Series(["4,5", "3"]), dezimalzeichen=None, datei="x", spalte="w").tolist() == [4.5, 3.0]
    assert zahlen_parsen(pd.Series(["4.5", "3"]), dezimalzeichen=None, datei="x", spalte="w").tolist() == [4.5, 3.0]


def test_keine_zahl_nennt_datei_zeile_spalte():
    with pytest.raises(KommuneFehler) as e:
        zahlen_parsen(pd.Series(["1", "2", "zwei"]), dezimalzeichen=",", datei="daten.csv", spalte="wert")
    assert e.value.zeile == 4 and e.value.spalte == "wert"
    assert "daten.csv" in e.value.text and "Zeile 4" in e.value.text and "„zwei“" in e.value.text


def test_csv_semikolon_windows1252_fuehrende_nullen(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes("gebiet;Größe\n0101;1,5\n".encode("cp1252"))
    df = tabelle_lesen(p)
    assert df.columns.tolist() == ["gebiet", "Größe"]
    assert df["gebiet"].iloc[0] == "0101"


def test_trennzeichen():
    assert trennzeichen_erkennen("a;b;c\n1;2;3") == ";"
    assert trennzeichen_erkennen("a,b,c\n1,2,3") == ","


def test_xlsx_wird_als_text_gelesen(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["gebiet", "wert"])
    ws.append(["0042", "3,5"])
    p = tmp_path / "t.xlsx"
    wb.save(p)
    df = tabelle_lesen(p)
    assert df["gebiet"].iloc[0] == "0042"


@pytest.mark.parametrize(
    ("name", "inhalt", "teil"),
    [
        ("leer.csv", b"", "leer"),
        ("binaer.csv", b"\x00\x01\x02PK", "Binär"),
        ("falsch.xlsx", b"kein zip", "XLSX"),
        ("bild.png", b"\x89PNG", "nicht unterstützt"),
    ],
)
def test_kaputte_dateien_geben_deutsche_meldung(tmp_path, name, inhalt, teil):
    p = tmp_path / name
    p.write_bytes(inhalt)
    with pytest.raises(KommuneFehler) as e:
        tabelle_lesen(p)
    assert teil in e.value.text
    assert name in e.value.text


def test_tabellenzeichen_beim_laden_wie_beim_import():
    """„-“/„–“ = nichts vorhanden (0), „.“ „x“ „…“ „/“ und leer = kein Wert – in eigenen Tabellen wie in Lieferungen."""
    s = pd.Series(["-", "–", ".", "x", "…", "/", "", "NA", "-5"])
    z = zahlen_parsen(s, dezimalzeichen=",", datei="x.csv", spalte="wert")
    assert z.iloc[0] == 0 and z.iloc[1] == 0 and z.iloc[8] == -5
    assert z.iloc[2:8].isna().all()


@pytest.mark.parametrize("wert", ["inf", "1e309", "-Infinity"])
def test_unendliche_zahlen_beim_laden_sind_fehler(wert):
    with pytest.raises(KommuneFehler, match="keine \\(endliche\\) Zahl") as e:
        zahlen_parsen(pd.Series(["1", wert]), dezimalzeichen=".", datei="daten.csv", spalte="wert")
    assert e.value.zeile == 3


def test_periodenmuster():
    from kommune.tabellen import periode_gueltig

    gut = ["2024", "2024/25", "2024-H2", "2024-Q3", "2024-06", "2024-12-31"]
    schlecht = ["", "../../x", "=1+1", "2024-13", "2024-02-30", "2024-Q5", "20245", "2024 ", "2024-1"]
    assert all(periode_gueltig(p) for p in gut)
    assert not any(periode_gueltig(p) for p in schlecht)


def test_punkt_neben_dezimalkomma_wird_nicht_still_zum_tausenderpunkt():
    import pandas as pd

    from kommune.fehler import KommuneFehler
    from kommune.tabellen import zahlen_parsen

    assert zahlen_parsen(
        pd.Series(["1.234,5", "0,5", "-"]), dezimalzeichen=None, datei="t.csv", spalte="w"
    ).tolist() == [
        1234.5,
        0.5,
        0.0,
    ]
    with pytest.raises(KommuneFehler, match="passt nicht zum Dezimalzeichen") as fehler:
        zahlen_parsen(pd.Series(["1,5", "12.5"]), dezimalzeichen=None, datei="t.csv", spalte="w")
    assert "Zeile 3" in fehler.value.text

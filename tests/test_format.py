"""Das eine Zahl- und Datumsformat: echtes Minus, ganze Menschen, ein Stand mit der Genauigkeit der Quelle."""

from __future__ import annotations

from datetime import date

import pytest

from kommune.format import MINUS, ist_ganzzahlig, stand_text, wert_mit_einheit, zahl


def test_negative_zahlen_mit_echtem_minus():
    assert zahl(-1.914, 2) == "\u22121,91"
    assert zahl(-12345.6, 1) == "\u221212.345,6"
    assert zahl(3.5) == "3,5"
    assert MINUS == "\u2212" and "-" not in zahl(-0.5)


def test_null_ohne_vorzeichen_und_minus_fuer_dateien():
    assert zahl(-0.04, 1) == "0,0"
    assert zahl(-0.0, 0) == "0"
    assert zahl(-1234.5, 1, minus="-") == "-1.234,5"
    assert zahl(None) == "–" and zahl(float("nan"), leer="") == ""


@pytest.mark.parametrize(
    ("einheit", "art", "ganz"),
    [
        ("Personen", "anteil", True),
        ("Kinder", "", True),
        ("Plätze", "", True),
        ("%", "anzahl", True),
        ("%", "anteil", False),
        ("Plätze je 100 Kinder unter 6", "", False),
        ("", "index", False),
    ],
)
def test_zaehlgroessen_sind_ganzzahlig(einheit, art, ganz):
    assert ist_ganzzahlig(einheit, art) is ganz


def test_menschen_werden_ganz_gezaehlt():
    assert wert_mit_einheit(162.0, "Personen") == "162 Personen"
    assert wert_mit_einheit(161.6, "Kinder") == "162 Kinder"
    assert wert_mit_einheit(-2.26, "%") == "\u22122,3 %"


@pytest.mark.parametrize(
    ("roh", "text"),
    [
        ("31.12.2024", "31.12.2024"),
        ("1.3.2024", "01.03.2024"),
        ("2024-12-31", "31.12.2024"),
        ("2024-12-31T00:00:00", "31.12.2024"),
        (date(2024, 9, 1), "01.09.2024"),
        ("10.2023", "10.2023"),
        ("2023-10", "10.2023"),
        ("7/2026", "07.2026"),
        ("2025", "2025"),
        (2025, "2025"),
        ("Schuljahr 2024/25", "Schuljahr 2024/25"),
        ("  31.12.2020 ", "31.12.2020"),
    ],
)
def test_stand_in_einer_schreibweise_mit_genauigkeit_der_quelle(roh, text):
    assert stand_text(roh) == text
    assert stand_text(roh, "Stand ") == f"Stand {text}"


@pytest.mark.parametrize("leer", [None, "", "  ", "nan", float("nan"), "–"])
def test_ohne_stand_kein_leeres_wort(leer):
    assert stand_text(leer) == ""
    assert stand_text(leer, "Stand ") == ""

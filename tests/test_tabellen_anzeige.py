"""Anzeige-Tabellen im deutschen Zahlformat."""

from __future__ import annotations

import pandas as pd

from oberflaeche.tabellen import tabelle_deutsch


def test_zahlen_als_deutscher_text():
    df = pd.DataFrame({"Name": ["a", "b"], "Plätze": [1234.0, None], "Anteil": [12.345, 0.5], "n": [3, 4000]})
    aus = tabelle_deutsch(df)
    assert aus["Plätze"].tolist() == ["1.234", "–"]
    assert aus["Anteil"].tolist() == ["12,3", "0,5"]
    assert aus["n"].tolist() == ["3", "4.000"]
    assert aus["Name"].tolist() == ["a", "b"]


def test_menschen_ganz_negative_mit_minus_und_keine_none():
    df = pd.DataFrame(
        {
            "Einwohner bis 500 m (Personen)": [957.2, 1432.0],
            "Mittlere Luftlinie (m)": [412.35, 80.0],
            "Veränderung": [-1.914, 2.5],
            "Hinweis": [None, "Text"],
        }
    )
    aus = tabelle_deutsch(df)
    assert aus["Einwohner bis 500 m (Personen)"].tolist() == ["957", "1.432"]
    assert aus["Mittlere Luftlinie (m)"].tolist() == ["412,4", "80,0"]
    assert aus["Veränderung"].tolist() == ["\u22121,9", "2,5"]
    assert aus["Hinweis"].tolist() == ["–", "Text"]


def test_gebietstabelle_nennt_namen_statt_schluessel():
    from oberflaeche.tabellen import mit_gebietsnamen

    namen = pd.Series({"0913": "Einschulbereich 0913", "01": "Mitte"})
    df = pd.DataFrame({"id": ["01", "0913"], "Name": ["x", "y"], "Plätze": [3, 4]})
    aus = mit_gebietsnamen(df, namen)
    assert aus.columns.tolist() == ["Gebiet", "Plätze"]
    assert aus["Gebiet"].tolist() == ["Mitte", "Einschulbereich 0913"]
    nach_index = mit_gebietsnamen(pd.DataFrame({"Wert": [1.5]}, index=pd.Index(["01"], name="id")), namen)
    assert nach_index.to_dict("list") == {"Gebiet": ["Mitte"], "Wert": [1.5]}

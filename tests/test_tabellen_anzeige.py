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

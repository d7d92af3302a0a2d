"""Das Profil eines Gebiets: jeder Indikator gegen das Gesamtgebiet und Elterngebiet, mit Rang."""

from __future__ import annotations

import pandas as pd

from kommune.laden import Kommune
from kommune.werte import gesamtwert, neueste_periode, werte

PROFIL_SPALTEN = [
    "thema",
    "indikator",
    "name",
    "einheit",
    "wert",
    "gesamt",
    "eltern",
    "rang",
    "n",
    "periode",
    "stand",
    "definition",
]


def rang(werte_reihe: pd.Series, gebiet: str) -> tuple[int | None, int]:
    """Rang des Gebiets (1 = höchster Wert) unter den Gebieten mit Wert, und deren Anzahl."""
    gueltig = werte_reihe.dropna()
    if gebiet not in gueltig.index:
        return None, len(gueltig)
    return int(gueltig.rank(ascending=False, method="min")[gebiet]), len(gueltig)


def gebietsprofil(kommune: Kommune, schicht: str, gebiet: str, periode: str | None = None) -> pd.DataFrame:
    """Eine Zeile je Katalogindikator mit Daten: Wert, Gesamtgebiet (`gesamt`), Elterngebiet, Rang."""
    zeilen = []
    s = kommune.schicht(schicht)
    eltern_id = kommune.gebiete[schicht]["eltern"].get(gebiet) if s.eltern else None
    vorhanden = set(kommune.indikatoren["indikator"])
    for ind, e in kommune.katalog.iterrows():
        if ind not in vorhanden:
            continue
        p = neueste_periode(kommune, ind, periode)
        if p is None:
            continue
        reihe = werte(kommune, ind, schicht, p)
        r, n = rang(reihe, gebiet)
        eltern_wert = float("nan")
        if eltern_id is not None:
            eltern_wert = werte(kommune, ind, s.eltern, p).get(eltern_id, float("nan"))
        zeilen.append(
            {
                "thema": e["thema"] or "ohne Thema",
                "indikator": ind,
                "name": e["name"],
                "einheit": e["einheit"],
                "wert": reihe.get(gebiet, float("nan")),
                "gesamt": gesamtwert(kommune, ind, p),
                "eltern": eltern_wert,
                "rang": r,
                "n": n,
                "periode": p,
                "stand": e["stand"],
                "definition": e["definition"],
            }
        )
    return pd.DataFrame(zeilen, columns=PROFIL_SPALTEN)

"""Das Profil eines Gebiets: jeder Indikator gegen das Gesamtgebiet und Elterngebiet, mit Rang.

Aggregierte Werte tragen ihre Deckung (`kommune.werte.Deckung` oder None in ``deckung_wert``,
``deckung_eltern``, ``deckung_gesamt``); ``gewicht_hinweis`` sagt, wenn ein Anteil mit einer Bezugsgröße
aus einer anderen Periode gewichtet ist. Texte für eine Rolle: `berichte.grundlagen.profil_schuetzen`.
"""

from __future__ import annotations

import pandas as pd

from kommune.laden import Kommune
from kommune.werte import gesamt_mit_deckung, gewicht_hinweis, neueste_periode, werte_mit_deckung

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
    "deckung_wert",
    "deckung_eltern",
    "deckung_gesamt",
    "gewicht_hinweis",
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
        agg = werte_mit_deckung(kommune, ind, schicht, p)
        r, n = rang(agg.werte, gebiet)
        eltern_wert, eltern_deckung = float("nan"), None
        if eltern_id is not None:
            eltern = werte_mit_deckung(kommune, ind, str(s.eltern), p)
            eltern_wert, eltern_deckung = eltern.werte.get(eltern_id, float("nan")), eltern.deckung_von(eltern_id)
        gesamt, gesamt_deckung = gesamt_mit_deckung(kommune, ind, p)
        zeilen.append(
            {
                "thema": e["thema"] or "ohne Thema",
                "indikator": ind,
                "name": e["name"],
                "einheit": e["einheit"],
                "wert": agg.werte.get(gebiet, float("nan")),
                "gesamt": gesamt,
                "eltern": eltern_wert,
                "rang": r,
                "n": n,
                "periode": p,
                "stand": e["stand"],
                "definition": e["definition"],
                "deckung_wert": agg.deckung_von(gebiet),
                "deckung_eltern": eltern_deckung,
                "deckung_gesamt": gesamt_deckung,
                "gewicht_hinweis": gewicht_hinweis(kommune, ind, p),
            }
        )
    return pd.DataFrame(zeilen, columns=PROFIL_SPALTEN)

"""„Was hat sich verändert“: Gebiete, deren Klasse sich zwischen zwei Ergebnissen unterscheidet."""

from __future__ import annotations

import numpy as np
import pandas as pd

from indices.berechnung import IndexErgebnis


def klassenwechsel(basis: IndexErgebnis, neu: IndexErgebnis) -> pd.DataFrame:
    """Gebiete mit anderer Klasse (oder anderem Bewertungsstatus) in ``neu`` als in ``basis``.

    Spalten: ``name``, ``klasse_vorher``, ``label_vorher``, ``klasse_nachher``, ``label_nachher``,
    ``rang_vorher``, ``rang_nachher``, ``veraenderung`` („höher“, „niedriger“, „neu bewertet“,
    „nicht mehr bewertet“, „andere Klasse“). „höher“ heißt: höhere Klassennummer (beim
    Benachteiligungsindex mehr Benachteiligung). Sortiert nach Veränderung und neuem Rang.
    """
    a, b = basis.tabelle, neu.tabelle.reindex(basis.tabelle.index.union(neu.tabelle.index, sort=False))
    a = a.reindex(b.index)
    ka, kb = a["klasse"], b["klasse"]
    geaendert = (ka.isna() != kb.isna()) | (ka.notna() & kb.notna() & (ka != kb)).fillna(False)
    geaendert = geaendert.fillna(False).astype(bool)
    veraenderung = np.select(
        [
            ka.isna() & kb.notna(),
            ka.notna() & kb.isna(),
            (kb > ka).fillna(False).astype(bool),
            (kb < ka).fillna(False).astype(bool),
        ],
        ["neu bewertet", "nicht mehr bewertet", "höher", "niedriger"],
        default="andere Klasse",
    )
    out = pd.DataFrame(
        {
            "name": b["name"].fillna(a["name"]),
            "klasse_vorher": ka,
            "label_vorher": a["klasse_label"],
            "klasse_nachher": kb,
            "label_nachher": b["klasse_label"],
            "rang_vorher": a["rang"],
            "rang_nachher": b["rang"],
            "veraenderung": veraenderung,
        },
        index=b.index,
    )[geaendert.to_numpy()]
    return out.sort_values(["veraenderung", "rang_nachher"], na_position="last")

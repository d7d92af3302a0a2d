"""Den Indikatorenkatalog lesen: eine Zeile je Indikator, mit Definition und Metadaten."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kommune.fehler import KommuneFehler
from kommune.tabellen import tabelle_lesen

KATALOG_SPALTEN = [
    "id",
    "name",
    "definition",
    "einheit",
    "art",
    "zaehler",
    "nenner",
    "gewicht",
    "richtung",
    "thema",
    "quelle",
    "stand",
    "ebene",
    "sensibel",
    "hinweise",
]
PFLICHT = ["id", "name", "einheit", "art"]
ARTEN = ("anzahl", "anteil", "index")
THEMEN = (
    "Rahmenbedingungen",
    "frühkindliche Bildung",
    "allgemeinbildende Schulen",
    "berufliche Bildung und Hochschule",
    "Weiterbildung",
    "non-formale Bildung",
)


def katalog_lesen(pfad: Path) -> pd.DataFrame:
    """Katalog lesen und prüfen; Index = Indikator-ID."""
    df = tabelle_lesen(pfad)
    anzeige = pfad.name
    for s in PFLICHT:
        if s not in df.columns:
            raise KommuneFehler("Die Pflichtspalte des Indikatorenkatalogs fehlt.", datei=anzeige, spalte=s)
    for s in KATALOG_SPALTEN:
        if s not in df.columns:
            df[s] = ""
    df = df[KATALOG_SPALTEN].apply(lambda s: s.astype(str).str.strip())
    for i, zeile in enumerate(df.itertuples(index=False), start=2):
        if not zeile.id:
            raise KommuneFehler("Die Indikator-ID ist leer.", datei=anzeige, zeile=i, spalte="id")
        if zeile.art not in ARTEN:
            raise KommuneFehler(
                f"Die Art „{zeile.art}“ ist unbekannt (erlaubt: {', '.join(ARTEN)}).",
                datei=anzeige,
                zeile=i,
                spalte="art",
            )
        if zeile.richtung not in ("", "1", "-1", "0", "+1"):
            raise KommuneFehler(
                f"Die Richtung „{zeile.richtung}“ ist unbekannt (erlaubt: 1, -1, 0).",
                datei=anzeige,
                zeile=i,
                spalte="richtung",
            )
        if zeile.thema and zeile.thema not in THEMEN:
            raise KommuneFehler(
                f"Das Thema „{zeile.thema}“ ist keines der Kapitel: {', '.join(THEMEN)}.",
                datei=anzeige,
                zeile=i,
                spalte="thema",
            )
    doppelt = df["id"].duplicated()
    if doppelt.any():
        pos = int(doppelt.to_numpy().nonzero()[0][0])
        raise KommuneFehler(
            f"Die Indikator-ID „{df['id'].iloc[pos]}“ steht mehrfach im Katalog.",
            datei=anzeige,
            zeile=pos + 2,
            spalte="id",
        )
    df["richtung"] = pd.to_numeric(df["richtung"].replace("", "0")).astype(int)
    df["sensibel"] = df["sensibel"].str.lower().isin(["ja", "true", "1", "x"])
    return df.set_index("id")

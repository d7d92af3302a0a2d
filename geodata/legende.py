"""Legende und Tabellen-Zwilling der Karte: sichtbar neben der Karte, nicht nur beim Überfahren."""

from __future__ import annotations

from html import escape

import pandas as pd

from geodata.karte import kategorie_symbol
from geodata.klassen import GESPERRT, KEINE_DATEN, KLASSE_GESPERRT, Klassierung
from kommune.format import wert_mit_einheit

_KASTEN = (
    "<span style='display:inline-block;width:1.1em;height:1.1em;background:{farbe};"
    "border:1px solid #999;vertical-align:middle;margin-right:.4em'></span>"
)


def _gebiete(n: int) -> str:
    return f"{n} Gebiet" if n == 1 else f"{n} Gebiete"


def legende_html(klassen: Klassierung, kategorien: list[str] = ()) -> str:
    """Klassen mit Farbe und Anzahl der Gebiete, „keine Daten“, dann die Angebotskategorien."""
    zeilen = [
        f"<div>{_KASTEN.format(farbe=f)}{t} <span style='color:#444'>({_gebiete(n)})</span></div>"
        for f, t, n in zip(klassen.farben, klassen.beschriftungen, klassen.anzahl, strict=True)
    ]
    if klassen.keine_daten:
        zeilen.append(
            f"<div>{_KASTEN.format(farbe=KEINE_DATEN)}keine Daten "
            f"<span style='color:#444'>({_gebiete(klassen.keine_daten)})</span></div>"
        )
    if klassen.gesperrt:
        zeilen.append(
            f"<div>{_KASTEN.format(farbe=GESPERRT)}gesperrt (Geheimhaltung) "
            f"<span style='color:#444'>({_gebiete(klassen.gesperrt)})</span></div>"
        )
    zeilen += [f"<div>{kategorie_symbol(k)}{escape(k)}</div>" for k in kategorien]
    return "".join(zeilen)


def kartentabelle(namen: pd.Series, werte: pd.Series, klassen: Klassierung, einheit: str, stellen: int) -> pd.DataFrame:
    """Die Karte als Tabelle: ID, Gebiet, Wert (deutsch formatiert), Klasse."""
    w = werte.reindex(namen.index)
    k = klassen.klasse.reindex(namen.index).fillna(-1).astype(int)
    return pd.DataFrame(
        {
            "ID": namen.index,
            "Gebiet": namen.to_numpy(),
            "Wert": [
                "." if c == KLASSE_GESPERRT else wert_mit_einheit(v, einheit, stellen, leer="keine Daten")
                for v, c in zip(w, k, strict=True)
            ],
            "Klasse": [
                klassen.beschriftungen[c] if c >= 0 else "gesperrt" if c == KLASSE_GESPERRT else "keine Daten"
                for c in k
            ],
        }
    )

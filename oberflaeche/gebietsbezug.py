"""Welche Einzugsbereiche ein Gebiet berühren (und umgekehrt), mit Flächenanteil – für Profil und Vergleich."""

from __future__ import annotations

from kommune.format import zahl
from kommune.laden import Kommune


def einzugsbereiche_von(
    kommune: Kommune, schicht_id: str, gebiet: str, mindestanteil: float = 0.01
) -> dict[str, list[str]]:
    """Je anderer Schicht (Einzugsbereich bzw. Ebene) die Gebiete, die ≥ 1 % der Fläche von `gebiet` decken."""
    geom = kommune.gebiete[schicht_id].geometry[gebiet]
    flaeche = geom.area or 1.0
    eigene = kommune.schicht(schicht_id)
    andere = kommune.konfiguration.einzugsbereiche if eigene.art == "ebene" else kommune.konfiguration.ebenen[:1]
    ergebnis: dict[str, list[str]] = {}
    for s in andere:
        ziel = kommune.gebiete[s.id]
        kandidaten = ziel.iloc[ziel.sindex.query(geom, predicate="intersects")]
        anteile = kandidaten.geometry.intersection(geom).area / flaeche
        treffer = anteile[anteile >= mindestanteil].sort_values(ascending=False)
        ergebnis[s.name] = [f"{ziel.at[i, 'name']} ({zahl(100 * a, 0)} % der Fläche)" for i, a in treffer.items()]
    return ergebnis

"""Reine Funktionen zwischen Daten und Karte: Feature-Eigenschaften bauen, Klicks auswerten."""

from __future__ import annotations

from collections.abc import Collection
from html import escape
from typing import Any

import geopandas as gpd
import pandas as pd

from geodata.anzeige import feature_collection, punkte_wgs84
from geodata.klassen import KLASSE_GESPERRT, Klassierung
from kommune.format import stand_text, wert_mit_einheit, zahl


def flaechen_features(
    anzeige: gpd.GeoDataFrame, werte: pd.Series, klassen: Klassierung, einheit: str, stellen: int = 1
) -> dict[str, Any]:
    """FeatureCollection der Gebiete mit id, name (HTML-maskiert), formatiertem Wert und Farbe."""
    gdf = anzeige[["name", anzeige.geometry.name]].copy()
    gdf["id"] = gdf.index.astype(str)
    gdf["name"] = gdf["name"].map(lambda n: escape(str(n)))
    w = werte.reindex(gdf.index)
    gesperrt = (klassen.klasse.reindex(gdf.index) == KLASSE_GESPERRT).to_numpy()
    gdf["wert"] = [
        "gesperrt (.)" if g else wert_mit_einheit(v, einheit, stellen, leer="keine Daten")
        for v, g in zip(w, gesperrt, strict=True)
    ]
    gdf["farbe"] = [klassen.farbe(i) for i in gdf.index]
    gdf["art"] = "gebiet"
    return feature_collection(gdf, ["id", "name", "wert", "farbe", "art"])


def angebots_features(angebote: gpd.GeoDataFrame) -> list[tuple[str, dict[str, Any]]]:
    """Je Kategorie eine FeatureCollection (WGS84, gerundet) mit maskiertem Namen und Kurzinfo."""
    if angebote.empty:
        return []
    punkte = punkte_wgs84(angebote)
    punkte["name"] = punkte["name"].map(lambda n: escape(str(n)) or "(ohne Namen)")

    def info(z: Any) -> str:
        teile = []
        if z.traeger:
            teile.append(f"Träger: {z.traeger}")
        if pd.notna(z.kapazitaet):
            teile.append(f"Plätze: {zahl(z.kapazitaet, 0)}")
        return escape(" · ".join(teile))

    punkte["info"] = [info(z) for z in punkte.itertuples()]
    return [
        (str(kat), feature_collection(teil, ["name", "info"])) for kat, teil in punkte.groupby("kategorie", sort=True)
    ]


def gebiet_aus_klick(ergebnis: dict[str, Any] | None, gueltige_ids: pd.Index | set[str]) -> str | None:
    """Die ID des angeklickten Gebiets aus der Rückgabe von `st_folium`, sonst None.

    Klicks auf Angebotspunkte und unbekannte IDs werden ignoriert.
    """
    if not ergebnis:
        return None
    feature = ergebnis.get("last_active_drawing") or {}
    props = feature.get("properties") or {}
    if props.get("art") != "gebiet":
        return None
    gebiet = str(props.get("id", ""))
    return gebiet if gebiet in gueltige_ids else None


def kartenkopf(titel: str, einheit: str, stand: str) -> str:
    """Überschrift der Legende: Titel, darunter Einheit und Stand – leere Teile fallen weg (kein „ · Stand“)."""
    zeile = " · ".join(t for t in (einheit.strip(), stand_text(stand, "Stand ")) if t)
    return f"**{titel}**" + (f"  \n{zeile}" if zeile else "")


def kurzbeschreibung(
    werte: pd.Series,
    namen: pd.Series,
    indikator_name: str,
    einheit: str,
    ebene_name: str,
    stand: str,
    stellen: int = 1,
    gesperrt: pd.Series | None = None,
    *,
    ausgelassen: Collection[str] = frozenset(),
    fussnote: str = "",
) -> str:
    """Ein deutscher Satz, der die Karte zusammenfasst (Barrierefreiheit, Text-Zwilling).

    Gebiete ohne Wert zählen getrennt: „keine Daten“ und – laut `gesperrt` – „gesperrt“ (wie in der Legende).
    Die Spanne „von … bis …“ nennt keine Gebiete aus `ausgelassen` (zu wenige Einwohner, siehe
    `kommune.geheimhaltung.extreme_gebiete`); `fussnote` sagt das im Satz („ohne Gebiete unter 300 Einwohnern“).
    """
    gueltig = werte.dropna()
    n_gesamt = len(werte)
    if gueltig.empty:
        return f"Für {indikator_name} liegen auf der Ebene {ebene_name} keine Daten vor."
    ohne = werte.isna()
    n_gesperrt = (
        int((ohne & gesperrt.reindex(werte.index, fill_value=False).astype(bool)).sum()) if gesperrt is not None else 0
    )
    fehlend = int(ohne.sum()) - n_gesperrt
    stand_klammer = f" ({s})" if (s := stand_text(stand, "Stand ")) else ""
    satz = (
        f"Die Karte zeigt {indikator_name}{stand_klammer} für {len(gueltig)} von {n_gesamt} Gebieten der "
        f"Ebene {ebene_name}"
    )
    spanne = gueltig[~gueltig.index.isin(list(ausgelassen))] if ausgelassen else gueltig
    if not spanne.empty:
        hoch, tief = spanne.idxmax(), spanne.idxmin()
        satz += (
            f": von {wert_mit_einheit(spanne[tief], einheit, stellen)} in {namen.get(tief, tief)} "
            f"bis {wert_mit_einheit(spanne[hoch], einheit, stellen)} in {namen.get(hoch, hoch)}"
        )
        if fussnote:
            satz += f" ({fussnote})"
    if fehlend:
        satz += f"; {fehlend} {'Gebiet hat' if fehlend == 1 else 'Gebiete haben'} keine Daten"
    if n_gesperrt:
        satz += f"; {n_gesperrt} {'Gebiet ist' if n_gesperrt == 1 else 'Gebiete sind'} gesperrt (Geheimhaltung)"
    return satz + "."

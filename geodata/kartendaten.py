"""Reine Funktionen zwischen Daten und Karte: Färbung je Gebiet, Angebotsebenen, Klicks, Kurzbeschreibung.

Was der Browser bekommt, ist zweigeteilt: Geometrie und Angebote (`geodata.kodierung`, einmal je Inhalt)
und die Färbung (je Indikator, Klasse, Gewicht: Farbindex und fertiger Werttext je Gebiet). Werte kommen
hier schon geschützt an (gesperrte entfernt, `Klassierung.mit_sperren`); es gibt keinen zweiten Weg.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import geopandas as gpd
import pandas as pd

from geodata.anzeige import punkte_wgs84
from geodata.karte import ANDERE, KATEGORIEN, SCHULEN
from geodata.klassen import GESPERRT, KEINE_DATEN, KLASSE_GESPERRT, Klassierung
from geodata.kodierung import SCHRITT, inhalt_hash, punkte_kodieren
from kommune.format import stand_text, wert_mit_einheit, zahl

#: Werttext eines gesperrten Gebiets (Tabellenzeichen „.“, § 16 BStatG).
TEXT_GESPERRT = "gesperrt (.)"
TEXT_KEINE_DATEN = "keine Daten"


def faerbung(
    ids: Sequence[str], werte: pd.Series, klassen: Klassierung, titel: str, einheit: str, stellen: int = 1
) -> dict[str, Any]:
    """Was ein Umfärben braucht, in der Reihenfolge `ids` der Geometrie (knapp: Berlin 542 Gebiete ≈ 6 KB).

    `farben`: Klassenfarben, dann „keine Daten“ und „gesperrt“; `klasse`: je Gebiet eine Ziffer, der Index in
    `farben`; `werte`: je Gebiet die deutsch formatierte Zahl ohne Einheit (leer ohne Wert und bei gesperrten
    Gebieten), `einheit` und `leer` ergänzen den Tooltip-Text (`tooltip_text`); `hash`: Inhaltsschlüssel.
    """
    index = pd.Index([str(i) for i in ids])
    n = len(klassen.farben)
    klasse = klassen.klasse.reindex(index).fillna(-1).astype(int).to_numpy()
    w = werte.reindex(index).to_numpy()
    daten: dict[str, Any] = {
        "titel": titel,
        "einheit": einheit,
        "leer": [TEXT_KEINE_DATEN, TEXT_GESPERRT],
        "farben": [*klassen.farben, KEINE_DATEN, GESPERRT],
        "klasse": "".join(str(k if k >= 0 else n + 1 if k == KLASSE_GESPERRT else n) for k in klasse),
        "werte": [
            "" if k == KLASSE_GESPERRT or v is None or pd.isna(v) else zahl(v, stellen)
            for v, k in zip(w, klasse, strict=True)
        ],
    }
    daten["hash"] = inhalt_hash(daten)
    return daten


def tooltip_text(daten: dict[str, Any], i: int) -> str:
    """Der Werttext des Gebiets `i` im Tooltip, wie `karte.js` ihn aus der Färbung bildet (für Tests)."""
    wert = daten["werte"][i]
    if wert:
        return f"{wert} {daten['einheit']}" if daten["einheit"] else wert
    gesperrt = int(daten["klasse"][i]) == len(daten["farben"]) - 1
    return daten["leer"][1 if gesperrt else 0]


def _name(name: object) -> str:
    text = str(name).strip() if pd.notna(name) else ""
    return text or "(ohne Namen)"


def _info(z: Any) -> str:
    teile = []
    if z.traeger:
        teile.append(f"Träger: {z.traeger}")
    if pd.notna(z.kapazitaet):
        teile.append(f"Plätze: {zahl(z.kapazitaet, 0)}")
    return " · ".join(teile)


def angebotsebene(kategorie: str, punkte: gpd.GeoDataFrame, schritt: float = SCHRITT) -> dict[str, Any]:
    """Eine Angebotskategorie kompakt: Punkte als Deltas, Namen und Kurzinfo als Listen (Klartext), Symbol."""
    farbe, zeichen = KATEGORIEN.get(kategorie, ANDERE)
    punkte = punkte_wgs84(punkte)
    daten: dict[str, Any] = {
        "kategorie": kategorie,
        "farbe": farbe,
        "zeichen": zeichen,
        "eckig": kategorie in SCHULEN,
        "schritt": schritt,
        "punkte": punkte_kodieren(punkte.get_coordinates().to_numpy(), schritt),
        "namen": [_name(n) for n in punkte["name"]],
        "info": [_info(z) for z in punkte.itertuples()],
    }
    daten["hash"] = inhalt_hash(daten)
    return daten


def angebote_je_kategorie(angebote: gpd.GeoDataFrame) -> list[tuple[str, gpd.GeoDataFrame]]:
    """Die Angebote je Kategorie (sortiert); Punkte ohne Lage entfallen."""
    if angebote.empty:
        return []
    gueltig = angebote[angebote.geometry.notna() & ~angebote.geometry.is_empty]
    return [(str(kat), teil) for kat, teil in gueltig.groupby("kategorie", sort=True)]


def angebotsebenen(angebote: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Je Kategorie eine Ebene (`angebotsebene`)."""
    return [angebotsebene(kat, teil) for kat, teil in angebote_je_kategorie(angebote)]


def nur_neues(teil: dict[str, Any], bekannt: set[str] | frozenset[str]) -> dict[str, Any]:
    """Das ganze Teil, wenn der Browser seinen Inhaltsschlüssel noch nicht kennt, sonst nur den Schlüssel."""
    return {"hash": teil["hash"]} if teil["hash"] in bekannt else teil


def gebiet_aus_klick(geklickt: object, gueltige_ids: pd.Index | set[str]) -> str | None:
    """Die ID des angeklickten Gebiets (Auslöser „klick“ der Karte), sonst None.

    Der Browser schickt nur IDs von Flächen; alles andere (leer, unbekannte ID, kein Text) wird ignoriert.
    """
    if not isinstance(geklickt, str) or not geklickt:
        return None
    return geklickt if geklickt in gueltige_ids else None


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
    `freigabe.geheimhaltung.extreme_gebiete`); `fussnote` sagt das im Satz („ohne Gebiete unter 300 Einwohnern“).
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

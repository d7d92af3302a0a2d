"""Eine Choroplethenkarte mit Legende, Kurzbeschreibung und Tabellen-Zwilling (für mehrere Seiten)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from berichte import sperrhinweis
from berichte.xlsx import xlsx_bytes
from freigabe.geheimhaltung import extreme_gebiete
from geodata.angebotsfinder import hintergrund_ebene, hintergrund_faerbung
from geodata.kartendaten import (
    angebote_je_kategorie,
    angebotsebene,
    faerbung,
    gebiet_aus_klick,
    kartenkopf,
    kurzbeschreibung,
)
from geodata.klassen import Klassierung, klassen_bilden, schema_waehlen
from geodata.legende import kartentabelle, legende_html
from kommune.laden import Kommune
from kommune.zwischenspeicher import Objektcache
from oberflaeche.auswahl import Auswahl, url_setzen
from oberflaeche.kartenkomponente import angebotskarte_anzeigen, karte_anzeigen, ortkarte_anzeigen
from oberflaeche.laden import karten_geometrie

#: Kodierte Angebotsebenen je Kommune (Kategorie + Zeilen): gleiche Auswahl, gleiche Ebene, ohne neu zu rechnen.
_ANGEBOTE = Objektcache("oberflaeche.kartenblock.angebote", max_je_objekt=64)


def _angebotsebenen(kommune: Kommune, angebote: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Je Kategorie eine kompakte Ebene, gespeichert an der Kommune (die Zeilen eines Stands ändern sich nicht)."""
    return [
        _ANGEBOTE.holen(kommune, (kat, tuple(teil.index)), lambda k=kat, t=teil: angebotsebene(k, t))
        for kat, teil in angebote_je_kategorie(angebote)
    ]


def angebotskarte_zeigen(
    kommune: Kommune,
    kommune_id: str,
    angebote: gpd.GeoDataFrame,
    sichtbar: str,
    gewaehlt: int | None,
    *,
    hoehe: int | str,
    bei_klick: Callable[[int], None] | None = None,
    schluessel: str = "angebotskarte",
) -> int | None:
    """Alle `angebote` (einmal je Browser-Sitzung), davon sichtbar nur die in `sichtbar`
    (`geodata.angebotsfinder.sichtbarkeit`), über blassen Flächen der gröbsten Ebene; Rückgabe: Position des eben
    angeklickten Angebots in `geodata.angebotsfinder.kartenreihenfolge(angebote)` oder None.

    `bei_klick(position)` läuft vor dem Lauf, den der Klick auslöst (so zeigt schon dieser Lauf die Auswahl)."""
    ebene = hintergrund_ebene(kommune)
    geometrie = karten_geometrie(kommune, ebene)
    key = f"{schluessel}_{kommune_id}"

    def geklickt() -> None:
        zustand = st.session_state.get(key)
        pos = _ganzzahl(zustand.get("angebot") if isinstance(zustand, dict) else None)
        if pos is not None and bei_klick is not None:
            bei_klick(pos)

    position = angebotskarte_anzeigen(
        schluessel=key,
        bei_angebot=geklickt,
        geometrie=geometrie,
        angebote=_angebotsebenen(kommune, angebote),
        faerbung=hintergrund_faerbung(geometrie["ids"]),
        sichtbar=sichtbar,
        angebot_gewaehlt=gewaehlt,
        hoehe=hoehe,
    )
    return _ganzzahl(position)


def ort_waehlen(
    kommune: Kommune, kommune_id: str, punkt: tuple[float, float] | None, *, schluessel: str, hoehe: int | str = 380
) -> tuple[float, float] | None:
    """Eine Karte der feinsten Ebene zum Setzen eines Ortes; Rückgabe: der eben angeklickte Punkt (lat, lng)."""
    ebene = max(kommune.konfiguration.ebenen, key=lambda e: len(kommune.gebiete[e.id])).id
    geometrie = karten_geometrie(kommune, ebene)
    roh = ortkarte_anzeigen(
        schluessel=f"{schluessel}_{kommune_id}",
        geometrie=geometrie,
        faerbung=hintergrund_faerbung(geometrie["ids"]),
        punkt=punkt,
        hoehe=hoehe,
    )
    return punkt_aus_browser(roh)


def punkt_aus_browser(roh: object) -> tuple[float, float] | None:
    """[lat, lng] aus dem Browser als Zahlenpaar in WGS84-Grenzen, sonst None."""
    if not isinstance(roh, list | tuple) or len(roh) != 2:
        return None
    if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in roh):
        return None
    lat, lng = float(roh[0]), float(roh[1])
    return (lat, lng) if -90 <= lat <= 90 and -180 <= lng <= 180 else None


def _ganzzahl(wert: object) -> int | None:
    """Eine Position aus dem Browser (JSON-Zahl), sonst None."""
    if isinstance(wert, bool) or not isinstance(wert, int | float) or not float(wert).is_integer():
        return None
    return int(wert)


@dataclass(frozen=True)
class Darstellung:
    """Was die Karte zeigt: Titel, Einheit, Stichtag, Richtung (für das Farbschema), Nachkommastellen."""

    titel: str
    einheit: str
    stand: str
    richtung: int = 1
    stellen: int = 1
    mitte: float | None = None  # Lücke zwischen Gruppen: dunkel = weit weg von der Mitte (geodata.klassen)


def karte_zeigen(
    auswahl: Auswahl,
    reihe: pd.Series,
    darstellung: Darstellung,
    angebote: gpd.GeoDataFrame,
    *,
    methode: str = "quantile",
    k: int = 5,
    schluessel: str = "karte",
    rechts: Callable[[Klassierung], None] | None = None,
    klassen: Klassierung | None = None,
    ebene: str | None = None,
    hoehe: int | str = 620,
    tabelle: bool = True,
    gesperrt: pd.Series | None = None,
) -> Klassierung:
    """Karte links, Legende (und `rechts`) rechts, darunter Kurzbeschreibung und Tabelle. Klick wählt ein Gebiet.

    `klassen` übernimmt fertige Klassen (z. B. eines Index), `ebene` ersetzt die Ebene der Seitenleiste.
    `gesperrt` (Geheimhaltung) markiert Gebiete, deren Wert in `reihe` bereits entfernt ist. `hoehe`: Pixel oder
    CSS-Höhe aus dem Fenster (`oberflaeche.kartenkomponente.kartenhoehe`).
    """
    kommune = auswahl.kommune
    ebene = ebene or auswahl.ebene
    schicht = kommune.schicht(ebene)
    if klassen is None:
        schema = schema_waehlen(darstellung.richtung, reihe, darstellung.mitte)
        mitte = darstellung.mitte if darstellung.mitte is not None else 0.0
        klassen = klassen_bilden(reihe, methode, k, schema, darstellung.stellen, mitte)
    klassen = klassen.mit_sperren(gesperrt)
    geometrie = karten_geometrie(kommune, ebene)
    gebiet = st.session_state.get("wahl_gebiet")
    if gebiet not in kommune.gebiete[ebene].index:
        gebiet = None
    namen = kommune.gebiete[ebene]["name"]
    links, spalte_rechts = st.columns([5, 2])
    with links:
        # Eine Komponente je Seite und Kommune: Ebene, Indikator und Klassen wechseln, ohne sie neu aufzubauen
        geklickt = karte_anzeigen(
            schluessel=f"{schluessel}_{auswahl.kommune_id}",
            geometrie=geometrie,
            angebote=_angebotsebenen(kommune, angebote),
            faerbung=faerbung(
                geometrie["ids"], reihe, klassen, darstellung.titel, darstellung.einheit, darstellung.stellen
            ),
            gewaehlt=gebiet,
            hoehe=hoehe,
        )
        geklickt = gebiet_aus_klick(geklickt, kommune.gebiete[ebene].index)
        if geklickt and geklickt != gebiet:
            url_setzen(gebiet=geklickt)
            st.rerun()
        extreme = extreme_gebiete(kommune, ebene, auswahl.periode)  # Spanne ohne Gebiete von fast niemandem
        st.markdown(
            kurzbeschreibung(
                reihe,
                namen,
                darstellung.titel,
                darstellung.einheit,
                schicht.name,
                darstellung.stand,
                darstellung.stellen,
                gesperrt=gesperrt,
                ausgelassen=extreme.ausgelassen,
                fussnote=extreme.fussnote,
            )
        )
    with spalte_rechts:
        st.markdown(kartenkopf(darstellung.titel, darstellung.einheit, darstellung.stand))
        kategorien = sorted(angebote["kategorie"].unique()) if not angebote.empty else []
        st.markdown(legende_html(klassen, kategorien), unsafe_allow_html=True)
        if rechts is not None:
            st.divider()
            rechts(klassen)
    if not tabelle:
        return klassen
    # Die Tabelle wird erst gebaut (und geschickt), wenn jemand sie aufklappt: sonst reiste sie bei jedem
    # Indikatorwechsel mit (Berlin: 42 KB, mehr als die ganze Umfärbung der Karte)
    aufgeklappt = st.expander("Tabelle zur Karte", key=f"{schluessel}_tabelle_offen", on_change="rerun")
    if not aufgeklappt.open:
        return klassen
    with aufgeklappt:
        twin = kartentabelle(namen, reihe, klassen, darstellung.einheit, darstellung.stellen)
        st.dataframe(twin, hide_index=True, width="stretch")
        if not st.session_state.get("geheimhaltung_erzwungen"):
            daten = pd.DataFrame(
                {
                    "ID": namen.index,
                    "Gebiet": namen.to_numpy(),
                    darstellung.titel: reihe.reindex(namen.index).to_numpy(),
                }
            )
            maske = pd.DataFrame(False, index=daten.index, columns=daten.columns)
            if gesperrt is not None:
                maske[darstellung.titel] = gesperrt.reindex(namen.index).fillna(False).to_numpy()
            st.download_button(
                "Tabelle als Excel (mit Methodik)",
                lambda: xlsx_bytes(
                    daten,
                    titel=darstellung.titel,
                    einheiten={darstellung.titel: darstellung.einheit},
                    stellen={darstellung.titel: darstellung.stellen},
                    kommune=kommune,
                    stichtage={darstellung.titel: darstellung.stand},
                    gesperrt=maske,
                    blatt="Karte",
                ),
                f"{schluessel}_{ebene}.xlsx",
                key=f"{schluessel}_xlsx",
            )
    return klassen


def ebene_vorschlagen(
    auswahl: Auswahl, werte: pd.Series, gesperrt: pd.Series, werte_fn: sperrhinweis.WerteUndMaske
) -> None:
    """Ist mindestens die Hälfte der Gebiete gesperrt: ein Hinweis und, wenn es sie gibt, ein Knopf zur nächsten
    gröberen Ebene, auf der mehr sichtbar ist (`berichte.sperrhinweis`)."""
    kommune = auswahl.kommune
    hier = sperrhinweis.sichtbarkeit(auswahl.ebene, werte, gesperrt)
    dort = sperrhinweis.vorschlag(kommune, hier, werte_fn)
    text = sperrhinweis.hinweis_text(kommune, hier, dort)
    if text is None:
        return
    st.info(text)
    if dort is not None:
        schluessel = f"sb_ebene_{auswahl.kommune_id}"
        st.button(
            f"Je {kommune.schicht(dort.ebene).name} zeigen",
            key="karte_groeber",
            on_click=lambda: st.session_state.update({schluessel: dort.ebene, "wahl_ebene": dort.ebene}),
        )

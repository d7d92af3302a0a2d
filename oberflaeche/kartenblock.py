"""Eine Choroplethenkarte mit Legende, Kurzbeschreibung und Tabellen-Zwilling (für mehrere Seiten)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from berichte.xlsx import xlsx_bytes
from geodata.karte import ausschnitt_mitte, karte_bauen, kartenausschnitt
from geodata.kartendaten import angebots_features, flaechen_features, gebiet_aus_klick, kartenkopf, kurzbeschreibung
from geodata.klassen import Klassierung, klassen_bilden, schema_waehlen
from geodata.legende import kartentabelle, legende_html
from kommune.geheimhaltung import extreme_gebiete
from oberflaeche.auswahl import Auswahl, url_setzen
from oberflaeche.laden import anzeige_geometrie


@dataclass(frozen=True)
class Darstellung:
    """Was die Karte zeigt: Titel, Einheit, Stichtag, Richtung (für das Farbschema), Nachkommastellen."""

    titel: str
    einheit: str
    stand: str
    richtung: int = 1
    stellen: int = 1


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
    hoehe: int = 620,
    tabelle: bool = True,
    gesperrt: pd.Series | None = None,
) -> Klassierung:
    """Karte links, Legende (und `rechts`) rechts, darunter Kurzbeschreibung und Tabelle. Klick wählt ein Gebiet.

    `klassen` übernimmt fertige Klassen (z. B. eines Index), `ebene` ersetzt die Ebene der Seitenleiste.
    `gesperrt` (Geheimhaltung) markiert Gebiete, deren Wert in `reihe` bereits entfernt ist.
    """
    kommune = auswahl.kommune
    ebene = ebene or auswahl.ebene
    schicht = kommune.schicht(ebene)
    if klassen is None:
        klassen = klassen_bilden(reihe, methode, k, schema_waehlen(darstellung.richtung, reihe), darstellung.stellen)
    klassen = klassen.mit_sperren(gesperrt)
    anzeige = anzeige_geometrie(auswahl.kommune_id, ebene)
    gebiet = st.session_state.get("wahl_gebiet")
    if gebiet not in kommune.gebiete[ebene].index:
        gebiet = None
    teile = karte_bauen(
        flaechen_features(anzeige, reihe, klassen, darstellung.einheit, darstellung.stellen),
        angebots_features(angebote),
        # Mitte aus total_bounds (keine Vereinigung); die Zoomstufe bleibt vorerst fest: Leaflets fitBounds
        # lief im iframe bei jedem Aufbau erneut und setzte den Zoom des Nutzers zurück (Issue 10, offen)
        mitte=ausschnitt_mitte(ausschnitt) if (ausschnitt := kartenausschnitt(anzeige)) else None,
        zoom=11 if len(kommune.gebiete[ebene]) > 200 else 12,
        gewaehlt=gebiet,
        kachel_url=os.environ.get("BILDUNGSMONITOR_KACHEL_URL"),
        kachel_attribution=os.environ.get("BILDUNGSMONITOR_KACHEL_ATTRIBUTION", ""),
    )
    namen = kommune.gebiete[ebene]["name"]
    links, spalte_rechts = st.columns([5, 2])
    with links:
        # Basiskarte bleibt gleich, Ebenen wechseln: kein Neuladen, Zoom und Ausschnitt bleiben
        ergebnis = st_folium(
            teile.basis,
            key=f"{schluessel}_{auswahl.kommune_id}_{ebene}",
            feature_group_to_add=teile.ebenen,
            layer_control=teile.steuerung,
            height=hoehe,
            use_container_width=True,
            returned_objects=["last_active_drawing"],
        )
        geklickt = gebiet_aus_klick(ergebnis, kommune.gebiete[ebene].index)
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
    with st.expander("Tabelle zur Karte"):
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

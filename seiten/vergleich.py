"""Vergleich: bis zu fünf Gebiete nebeneinander (Tabelle und Punktdiagramm), Zeitreihen mit Stichtag."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from berichte.diagramme import punktvergleich, zeitreihe
from berichte.grundlagen import gesamt_mit_text, mit_deckung
from berichte.gruppen import LUECKEN_ERKLAERUNG, lueckentabelle
from geodata.gebietswerte import gebietswerte
from kommune.format import (
    eindeutige_namen,
    indikator_bezeichnung,
    ist_ganzzahlig,
    mehrzahl,
    stand_text,
    wert_mit_einheit,
)
from kommune.werte import neueste_periode, perioden_von
from oberflaeche.auswahl import seitenleiste
from oberflaeche.bausteine import quellen_zeigen
from oberflaeche.schutz import geschuetzt, wirksame_rolle

auswahl = seitenleiste()
st.title("Vergleich")
if auswahl is None:
    st.stop()
kommune, ebene = auswahl.kommune, auswahl.ebene
rolle = wirksame_rolle()
schicht = kommune.schicht(ebene)
namen = pd.Series(eindeutige_namen(kommune.gebiete[ebene]["name"])).sort_values()
start = [g for g in [st.session_state.get("wahl_gebiet")] if g in namen.index]
gewaehlt = st.multiselect(
    f"{mehrzahl(schicht.name)} (bis zu 5)",
    list(namen.index),
    default=start or list(namen.index[:3]),
    format_func=namen.__getitem__,
    max_selections=5,
    key=f"vergleich_{kommune.name}_{ebene}",
    placeholder="Gebiete wählen …",
)
if not gewaehlt:
    st.info("Bitte mindestens ein Gebiet wählen.")
    st.stop()

gesamtgebiet = kommune.konfiguration.gesamtgebiet
# Heißt ein gewähltes Gebiet so wie das Gesamtgebiet (die Kreisebene eines Landkreises), bleibt die Spalte eindeutig
spalte_gesamt = gesamtgebiet if gesamtgebiet not in {namen[g] for g in gewaehlt} else f"{gesamtgebiet} (gesamt)"
vorhanden = [i for i in kommune.katalog.index if neueste_periode(kommune, i, auswahl.periode)]
zeilen = []
for i in vorhanden:
    e = kommune.katalog.loc[i]
    p = neueste_periode(kommune, i, auswahl.periode)
    reihe, gesperrt = geschuetzt(kommune, i, ebene, p, gebietswerte(kommune, i, ebene, p))
    stellen = 0 if ist_ganzzahlig(str(e["einheit"]), str(e["art"])) else 1
    stichtag = stand_text(e["stand"]) or stand_text(p)
    zeile = {"Thema": e["thema"], "Indikator": indikator_bezeichnung(kommune.katalog, i), "Stichtag": stichtag}
    for g in gewaehlt:
        zeile[namen[g]] = (
            "."
            if bool(gesperrt.get(g, False))
            else wert_mit_einheit(reihe.get(g), e["einheit"], stellen, leer="keine Daten")
        )
    gesamt, deckung = gesamt_mit_text(kommune, i, p, rolle=rolle)
    zeile[spalte_gesamt] = mit_deckung(wert_mit_einheit(gesamt, e["einheit"], stellen), deckung)
    zeilen.append(zeile)
st.dataframe(pd.DataFrame(zeilen).sort_values(["Thema", "Indikator"]), hide_index=True, width="stretch")
luecken = lueckentabelle(kommune, ebene, gewaehlt, auswahl.periode, rolle=rolle)
if not luecken.empty:
    st.subheader("Lücken zwischen Gruppen")
    st.dataframe(luecken, hide_index=True, width="stretch")
    st.caption(LUECKEN_ERKLAERUNG)

st.subheader("Lage im Vergleich")
st.caption(
    f"Standardisiert je Indikator: 0 = {gesamtgebiet}, ±1 = extremstes sichtbares Gebiet; rechts = mehr Bedarf. "
    "Gesperrte Werte (Geheimhaltung) fehlen."
)
st.altair_chart(punktvergleich(kommune, ebene, gewaehlt, auswahl.periode, rolle=rolle), width="stretch")

mit_verlauf = [i for i in vorhanden if len(perioden_von(kommune, i)) > 1]
if mit_verlauf:
    st.subheader("Zeitreihe")
    ind = st.selectbox(
        "Indikator",
        mit_verlauf,
        format_func=lambda i: indikator_bezeichnung(kommune.katalog, i),
        key="vergleich_zeitreihe",
    )
    st.altair_chart(zeitreihe(kommune, ind, ebene, gewaehlt, rolle=rolle), width="stretch")
quellen_zeigen(kommune, [schicht.quelle, *kommune.katalog.loc[vorhanden, "quelle"]])

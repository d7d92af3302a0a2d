"""Karte: Choropleth eines Indikators auf jeder Ebene, Angebote darüber, Klick wählt ein Gebiet."""

from __future__ import annotations

import os

import streamlit as st
from streamlit_folium import st_folium

from geodata.karte import karte_bauen, standard_kategorien
from geodata.kartendaten import angebots_features, flaechen_features, gebiet_aus_klick, kurzbeschreibung
from geodata.klassen import METHODEN, klassen_bilden, schema_waehlen
from geodata.legende import kartentabelle, legende_html
from kommune.format import wert_mit_einheit
from kommune.profil import rang
from kommune.werte import gesamtwert, werte
from oberflaeche.auswahl import seitenleiste, url_setzen
from oberflaeche.bausteine import indikator_waehlen, quellen_zeigen
from oberflaeche.laden import anzeige_geometrie

auswahl = seitenleiste()
st.title("Karte")
if auswahl is None:
    st.stop()
kommune, ebene = auswahl.kommune, auswahl.ebene
schicht = kommune.schicht(ebene)

oben = st.columns([3, 1, 1])
with oben[0]:
    gewaehlt = indikator_waehlen(kommune, auswahl.periode)
if gewaehlt is None:
    st.stop()
indikator, periode = gewaehlt
eintrag = kommune.katalog.loc[indikator]
methode = oben[1].selectbox("Klassen", list(METHODEN), format_func=METHODEN.__getitem__, key="klassen_methode")
k = oben[2].slider("Anzahl Klassen", 3, 7, 5, key="klassen_anzahl")
anzahl = kommune.angebote["kategorie"].value_counts().to_dict()
zeigen = st.multiselect(
    "Angebote auf der Karte",
    sorted(anzahl),
    default=standard_kategorien(anzahl),
    format_func=lambda kat: f"{kat} ({anzahl[kat]:,})".replace(",", "."),
    key=f"angebote_{kommune.name}",
)

reihe = werte(kommune, indikator, ebene, periode)
stellen = 0 if eintrag["art"] == "anzahl" else 1
klassen = klassen_bilden(reihe, methode, k, schema_waehlen(int(eintrag["richtung"]), reihe), stellen)
anzeige = anzeige_geometrie(auswahl.kommune_id, ebene)
gebiet = st.session_state.get("wahl_gebiet")
if gebiet not in kommune.gebiete[ebene].index:
    gebiet = None

mitte = anzeige.geometry.union_all().centroid
teile = karte_bauen(
    flaechen_features(anzeige, reihe, klassen, eintrag["einheit"], stellen),
    angebots_features(kommune.angebote[kommune.angebote["kategorie"].isin(zeigen)]),
    mitte=(mitte.y, mitte.x),
    zoom=11 if len(kommune.gebiete[ebene]) > 200 else 12,
    gewaehlt=gebiet,
    kachel_url=os.environ.get("BILDUNGSMONITOR_KACHEL_URL"),
    kachel_attribution=os.environ.get("BILDUNGSMONITOR_KACHEL_ATTRIBUTION", ""),
)

links, rechts = st.columns([5, 2])
with links:
    # Basiskarte bleibt gleich, Ebenen wechseln: kein Neuladen, Zoom und Ausschnitt bleiben
    ergebnis = st_folium(
        teile.basis,
        key=f"karte_{auswahl.kommune_id}_{ebene}",
        feature_group_to_add=teile.ebenen,
        layer_control=teile.steuerung,
        height=620,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
    )
    geklickt = gebiet_aus_klick(ergebnis, kommune.gebiete[ebene].index)
    if geklickt and geklickt != gebiet:
        url_setzen(gebiet=geklickt)
        st.rerun()
    namen = kommune.gebiete[ebene]["name"]
    stand = eintrag["stand"] or periode
    st.markdown(kurzbeschreibung(reihe, namen, eintrag["name"], eintrag["einheit"], schicht.name, stand, stellen))

with rechts:
    st.markdown(f"**{eintrag['name']}**  \n{eintrag['einheit']} · Stand {stand}")
    st.markdown(legende_html(klassen, zeigen), unsafe_allow_html=True)
    st.divider()
    if gebiet:
        wert = reihe.get(gebiet)
        r, n = rang(reihe, gebiet)
        st.markdown(f"#### Ausgewählt: {namen[gebiet]}")
        st.markdown(f"{eintrag['name']}: **{wert_mit_einheit(wert, eintrag['einheit'], stellen, leer='keine Daten')}**")
        st.markdown(
            f"Gesamtstadt: {wert_mit_einheit(gesamtwert(kommune, indikator, periode), eintrag['einheit'], stellen)}"
        )
        if r:
            st.markdown(f"Rang {r} von {n} (1 = höchster Wert)")
        st.page_link("pages/gebietsprofil.py", label="Zum Gebietsprofil")
    else:
        st.markdown("#### Kein Gebiet ausgewählt")
        st.caption("Klicken Sie auf ein Gebiet in der Karte.")

with st.expander("Tabelle zur Karte"):
    st.dataframe(kartentabelle(namen, reihe, klassen, eintrag["einheit"], stellen), hide_index=True, width="stretch")

if eintrag["definition"]:
    st.caption(f"Definition: {eintrag['definition']}")
stand_angebote = ", ".join(
    f"{kat}: {s}" for kat, s in kommune.angebote.groupby("kategorie")["stand"].first().items() if kat in zeigen
)
st.caption(
    f"Gebietsstand {schicht.name}: {schicht.stand or '–'}"
    + (f" · Stand der Angebote: {stand_angebote}" if stand_angebote else "")
)
quellen_zeigen(
    kommune,
    [
        eintrag["quelle"],
        schicht.quelle,
        *kommune.angebote.loc[kommune.angebote["kategorie"].isin(zeigen), "quelle"].unique(),
    ],
)

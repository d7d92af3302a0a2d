"""Cockpit für Oberbürgermeisterin und Dezernat: wenige Kennzahlen, Trends, Ampeln – lesbar am Beamer."""

from __future__ import annotations

import streamlit as st

from berichte.cockpit import cockpit_einstellungen, cockpit_text, kacheln_berechnen, top_und_flop
from geodata.gebietswerte import gebietswerte
from kommune.fehler import KommuneFehler
from kommune.werte import neueste_periode
from oberflaeche.auswahl import seitenleiste
from oberflaeche.bausteine import quellen_zeigen
from oberflaeche.kacheln import kacheln_html
from oberflaeche.kartenblock import Darstellung, karte_zeigen
from oberflaeche.kartenkomponente import kartenhoehe
from oberflaeche.laden import abgeleitet
from oberflaeche.schutz import geschuetzt, wirksame_rolle

auswahl = seitenleiste()
if auswahl is None:
    st.stop()
kommune = auswahl.kommune
rolle = wirksame_rolle()
try:
    einstellungen = cockpit_einstellungen(kommune)
    st.title(einstellungen.titel or f"Bildungscockpit {kommune.name}")
    # je Datenstand, Periode und ROLLE (die Rolle gehört in den Schlüssel: Werte sind geschützt)
    kacheln = abgeleitet(
        kommune,
        ("kacheln", auswahl.periode, rolle),
        lambda: kacheln_berechnen(kommune, auswahl.periode, rolle=rolle),
        "Kennzahlen werden berechnet …",
    )
except KommuneFehler as e:  # falsche [[kachel]]/[cockpit]-Angaben: deutscher Satz statt Fehlerseite
    st.title(f"Bildungscockpit {kommune.name}")
    st.error(f"Die Kennzahlen ([[kachel]] und [cockpit] in der kommune.toml) sind fehlerhaft: {e.text}")
    st.stop()


if not kacheln:
    st.info("Für diese Kommune sind keine Kennzahlen ([[kachel]] in der kommune.toml) eingerichtet.")
else:
    st.markdown(kacheln_html(kacheln), unsafe_allow_html=True)
    st.subheader("Was sich verändert hat")
    st.markdown(cockpit_text(kommune, auswahl.periode, kacheln, rolle=rolle))

if einstellungen.indikator:
    ind, ebene = einstellungen.indikator, einstellungen.ebene
    eintrag = kommune.katalog.loc[ind]
    tf = top_und_flop(kommune, ind, ebene, einstellungen.anzahl, auswahl.periode, rolle=rolle)
    st.subheader(f"{eintrag['name']}: höchste und niedrigste Werte ({kommune.schicht(ebene).name})")
    links, rechts = st.columns(2)
    spalten = {"rang": "Rang", "name": "Gebiet", "wert_text": "Wert"}
    links.markdown("**Höchste Werte**")
    links.dataframe(tf.hoechste[list(spalten)].rename(columns=spalten), hide_index=True, width="stretch")
    rechts.markdown("**Niedrigste Werte**")
    rechts.dataframe(tf.niedrigste[list(spalten)].rename(columns=spalten), hide_index=True, width="stretch")
    if tf.fussnote:
        st.caption(f"Höchste und niedrigste Werte {tf.fussnote} (Werte von fast niemandem sagen nichts aus).")
    p = neueste_periode(kommune, ind, auswahl.periode)
    reihe, gesperrt = geschuetzt(kommune, ind, ebene, p, gebietswerte(kommune, ind, ebene, p))
    karte_zeigen(
        auswahl,
        reihe,
        Darstellung(eintrag["name"], eintrag["einheit"], eintrag["stand"] or p, int(eintrag["richtung"]), 1),
        kommune.angebote.iloc[0:0],
        schluessel="cockpit",
        ebene=ebene,
        hoehe=kartenhoehe(120, hoechstens=560),  # ganz im Bild, wenn man zu ihr scrollt
        gesperrt=gesperrt,
    )
quellen_zeigen(kommune, [q.id for q in kommune.konfiguration.quellen])

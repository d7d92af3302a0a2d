"""Angebote & Versorgung: Angebote filtern, Versorgung je Gebiet, Erreichbarkeit, Handlungsbedarf, Export."""

from __future__ import annotations

import io

import streamlit as st

from geodata.angebotsuebersicht import angebote_filtern, angebotsuebersicht_xlsx
from geodata.erreichbarkeit import erreichbarkeit_kommune, umland_satz
from geodata.gebietswerte import gebietswerte
from geodata.handlungsbedarf import Kriterien, handlungsbedarf_kommune
from geodata.versorgung import (
    HINWEIS_OHNE_VERSORGUNG,
    schulen_zu_einzugsbereichen,
    status_zaehlen,
    versorgung_definitionen,
    versorgungsindikator,
    versorgungsindikatoren,
)
from kommune.format import indikator_bezeichnung, mehrzahl, stand_text, zahl
from kommune.werte import neueste_periode
from oberflaeche.auswahl import seitenleiste
from oberflaeche.bausteine import quellen_zeigen, zahl_eingabe
from oberflaeche.export import csv_bytes, xlsx_bytes
from oberflaeche.kartenblock import Darstellung, karte_zeigen
from oberflaeche.tabellen import mit_gebietsnamen, tabelle_deutsch

auswahl = seitenleiste()
st.title("Angebote & Versorgung")
if auswahl is None:
    st.stop()
kommune, ebene = auswahl.kommune, auswahl.ebene
schicht = kommune.schicht(ebene)
namen = kommune.gebiete[ebene]["name"]
angebote = kommune.angebote
if angebote.empty:
    st.info("Für diese Kommune sind keine Angebotsstandorte hinterlegt.")
    st.stop()

with st.expander("Angebote filtern", expanded=False):  # geschlossen: die Karte bleibt am Tablet oben
    f1, f2, f3, f4 = st.columns([2, 2, 1, 2])
    kategorien = f1.multiselect("Kategorie", sorted(angebote["kategorie"].unique()), key="ang_kat", placeholder="alle")
    traeger = f2.multiselect(
        "Träger", sorted(t for t in angebote["traeger"].unique() if t), key="ang_traeger", placeholder="alle"
    )
    alter_an = f3.checkbox("Alter filtern", key="ang_alter_an")
    alter = f3.number_input("Alter (Jahre)", 0, 99, 6, key="ang_alter", disabled=not alter_an)
    stufen = f4.multiselect(
        "Bildungsstufe",
        sorted(s for s in angebote["bildungsstufe"].unique() if s),
        key="ang_stufe",
        placeholder="alle",
    )
filter_werte = (kategorien or None, traeger or None, float(alter) if alter_an else None, stufen or None)
gefiltert = angebote_filtern(angebote, *filter_werte)
umland = angebote_filtern(kommune.umland, *filter_werte)  # nur für Entfernungen (Erreichbarkeit)
st.caption(f"{zahl(len(gefiltert), 0)} von {zahl(len(angebote), 0)} Angeboten ausgewählt.")

definitionen = versorgung_definitionen(kommune)
tabelle = versorgungsindikatoren(kommune, ebene, auswahl.periode, werte_fn=gebietswerte)
ind = tabelle.attrs["indikatoren"]
tab_karte, tab_erreich, tab_bedarf, tab_schulen, tab_export = st.tabs(
    ["Versorgung", "Erreichbarkeit", "Handlungsbedarf", "Schulen & Einzugsbereiche", "Angebotsübersicht"]
)

with tab_karte:
    if not definitionen:
        st.info(HINWEIS_OHNE_VERSORGUNG)
    elif not ind:
        st.info("Für diese Kommune lässt sich keine der angegebenen Versorgungsquoten berechnen.")
        for grund in tabelle.attrs.get("nicht_verfuegbar", {}).values():
            st.caption(f"Nicht berechnet: {grund}")
    else:
        vers_id = st.selectbox("Versorgungsindikator", list(ind), format_func=ind.__getitem__, key="vers_ind")
        wahl = ind[vers_id]
        vers_kategorie = versorgungsindikator(vers_id, definitionen).kategorie
        einheit = tabelle.attrs["einheiten"][wahl]
        gesamt = tabelle.attrs["gesamt"][wahl]
        perioden = tabelle.attrs.get("perioden", {})
        stand = stand_text(next((p for i, p in perioden.items() if ind.get(i) == wahl), ""), "Bevölkerung ")
        st.markdown(f"{kommune.konfiguration.gesamtgebiet}: **{zahl(gesamt)} {einheit}**")
        karte_zeigen(
            auswahl,
            tabelle[wahl],
            Darstellung(wahl, einheit, stand, richtung=-1, stellen=1),
            gefiltert[gefiltert["kategorie"] == vers_kategorie],
            schluessel="versorgung",
        )
        for grund in tabelle.attrs.get("nicht_verfuegbar", {}).values():
            st.caption(f"Nicht berechnet: {grund}")
        st.dataframe(tabelle_deutsch(mit_gebietsnamen(tabelle, namen)), hide_index=True)

with tab_erreich:
    e1, e2, e3 = st.columns(3)
    kat = e1.selectbox("Kategorie", sorted(gefiltert["kategorie"].unique()) or ["Kita"], key="err_kat")
    r1 = e2.number_input("Fußweg 1 (m)", 100, 5000, 500, step=100, key="err_r1")
    r2 = e3.number_input("Fußweg 2 (m)", 100, 5000, 1000, step=100, key="err_r2")
    if kat in set(gefiltert["kategorie"]):
        err = erreichbarkeit_kommune(
            kommune,
            ebene,
            kat,
            periode=auswahl.periode,
            radien=sorted({int(r1), int(r2)}),
            werte_fn=gebietswerte,
            angebote=gefiltert,
            umland=umland,
        )
        st.markdown(
            f"Entfernungen sind **Luftlinie** (gerade Linie, keine Wege). {err.attrs['wohnorte']} "
            + umland_satz(kommune, kat, err.attrs["umland"])
        )
        st.dataframe(tabelle_deutsch(mit_gebietsnamen(err, namen)), hide_index=True)
    else:
        st.info("Mit diesem Filter gibt es keine Angebote der Kategorie.")

with tab_bedarf:
    bedarfs_ids = [
        i
        for i in kommune.katalog.index
        if kommune.katalog.loc[i, "richtung"] == 1 and neueste_periode(kommune, i, auswahl.periode)
    ]
    if not definitionen:
        st.info(HINWEIS_OHNE_VERSORGUNG)
    elif not ind or not bedarfs_ids:
        st.info("Für eine Lückenliste fehlen Bedarfs- oder Versorgungsindikatoren.")
    else:
        b1, b2 = st.columns(2)
        bedarf_id = b1.selectbox(
            "Bedarf (höher = mehr Bedarf)",
            bedarfs_ids,
            format_func=lambda i: indikator_bezeichnung(kommune.katalog, i),
            key="hb_bedarf",
        )
        versorgung_id = b2.selectbox("Versorgung", list(ind), format_func=ind.__getitem__, key="hb_versorgung")
        s1, s2 = st.columns(2)
        quantil = (
            s1.slider("Bedarf: oberer Anteil der Gebiete (%)", 5, 50, 20, 5, key="hb_quantil", format="%d %%") / 100
        )
        spalte = ind[versorgung_id]
        grenze = zahl_eingabe(
            s2,
            f"Versorgung unter ({tabelle.attrs['einheiten'][spalte]})",
            float(round(tabelle.attrs["gesamt"][spalte], 1)),
            1,
            key=f"hb_grenze_{versorgung_id}",
            help=f"Voreinstellung: Wert für das Gesamtgebiet ({kommune.konfiguration.gesamtgebiet})",
        )
        p = neueste_periode(kommune, bedarf_id, auswahl.periode)
        liste = handlungsbedarf_kommune(
            kommune,
            ebene,
            gebietswerte(kommune, bedarf_id, ebene, p),
            versorgung_id,
            Kriterien(bedarf_schwelle=1 - quantil, versorgung_schwelle=grenze),
            bedarf_name=str(kommune.katalog.loc[bedarf_id, "name"]),
            periode=auswahl.periode,
            werte_fn=gebietswerte,
        )
        st.markdown(f"**{liste.anzahl} Gebiete mit Handlungsbedarf.** Kriterien: {liste.kriterien}")
        st.dataframe(tabelle_deutsch(mit_gebietsnamen(liste.tabelle, namen)), hide_index=True)
        d1, d2 = st.columns(2)
        d1.download_button(
            "Als CSV herunterladen",
            lambda: csv_bytes(liste.tabelle.reset_index()),
            "handlungsbedarf.csv",
            "text/csv",
            key="hb_csv",
        )
        d2.download_button(
            "Als Excel herunterladen",
            lambda: xlsx_bytes(liste.tabelle.reset_index(), "Handlungsbedarf", liste.kriterien),
            "handlungsbedarf.xlsx",
            key="hb_xlsx",
        )

with tab_schulen:
    einzug = [s for s in kommune.konfiguration.einzugsbereiche]
    if not einzug or "Grundschule" not in set(angebote["kategorie"]):
        st.info("Keine Einzugsbereiche oder Grundschulen hinterlegt.")
    for s in einzug:
        zuordnung = schulen_zu_einzugsbereichen(angebote, kommune.gebiete[s.id])
        zaehlung = status_zaehlen(zuordnung)
        st.markdown(f"**{mehrzahl(s.name)} ({len(zuordnung)})**: " + ", ".join(f"{n} {k}" for k, n in zaehlung.items()))
        st.dataframe(tabelle_deutsch(mit_gebietsnamen(zuordnung, kommune.gebiete[s.id]["name"])), hide_index=True)

with tab_export:
    st.markdown("Die Angebotsübersicht entlang der Bildungskette – mit dem aktuellen Filter.")
    filter_schluessel = (kommune.name, tuple(gefiltert["id"]), tuple(gefiltert["kategorie"]))
    if st.button(f"Übersicht mit {zahl(len(gefiltert), 0)} Angeboten erstellen", key="ang_erstellen"):
        puffer = io.BytesIO()
        angebotsuebersicht_xlsx(kommune, gefiltert, puffer)
        st.session_state["ang_datei"] = (filter_schluessel, puffer.getvalue())
    datei = st.session_state.get("ang_datei")
    if datei and datei[0] == filter_schluessel:
        st.download_button(
            "Angebotsübersicht herunterladen (Excel)", datei[1], "angebotsuebersicht.xlsx", key="ang_xlsx"
        )

quellen_zeigen(kommune, [schicht.quelle, *gefiltert["quelle"].unique()])

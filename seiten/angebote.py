"""Angebote & Versorgung: Angebote filtern, Versorgung je Gebiet, Erreichbarkeit, Handlungsbedarf, Export."""

from __future__ import annotations

import io
import math

import streamlit as st

from berichte.grundlagen import versorgung_und_maske, werte_fn_fuer, werte_und_maske
from berichte.reichweite import (
    HINWEIS_OHNE_REICHWEITE,
    ReichweiteFehler,
    gesperrt_als_punkt,
    reichweite_diagramm,
    reichweite_kommune,
)
from berichte.reichweite import definitionen as reichweite_definitionen
from berichte.reichweite import perioden as reichweite_perioden
from berichte.reichweite import tabellen as reichweite_tabellen
from geodata.angebotsuebersicht import angebote_filtern, angebotsuebersicht_xlsx
from geodata.erreichbarkeit import erreichbarkeit_kommune, umland_satz
from geodata.handlungsbedarf import (
    AngebotsFilter,
    Kriterien,
    angebote_passend,
    angebotsluecken_kommune,
    handlungsbedarf_kommune,
    listenwerte,
)
from geodata.reichweite import MERKMAL as RW_MERKMAL
from geodata.reichweite import QUOTE as RW_QUOTE
from geodata.reichweite import ZIELGRUPPE as RW_ZIEL
from geodata.versorgung import (
    HINWEIS_OHNE_VERSORGUNG,
    schulen_zu_einzugsbereichen,
    status_zaehlen,
    versorgung_definitionen,
    versorgungsindikator,
)
from kommune.fehler import KommuneFehler
from kommune.format import indikator_bezeichnung, mehrzahl, stand_text, zahl
from kommune.werte import neueste_periode
from oberflaeche.auswahl import seitenleiste
from oberflaeche.bausteine import quellen_zeigen, zahl_eingabe
from oberflaeche.export import csv_bytes, xlsx_bytes
from oberflaeche.kartenblock import Darstellung, karte_zeigen
from oberflaeche.schutz import wirksame_rolle
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
rolle = wirksame_rolle()
geschuetzte_werte = werte_fn_fuer(rolle)  # jede Zahl dieser Seite über die Geheimhaltung der Rolle
tabelle, _ = versorgung_und_maske(kommune, ebene, auswahl.periode, rolle=rolle)
ind = tabelle.attrs["indikatoren"]
# Karten weiterer Reiter nur im sichtbaren Reiter (`.open`): verborgen hätte die Karte keine Größe zum Einpassen
tab_karte, tab_erreich, tab_bedarf, tab_reich, tab_schulen, tab_export = st.tabs(
    ["Versorgung", "Erreichbarkeit", "Handlungsbedarf", "Reichweite", "Schulen & Einzugsbereiche", "Angebotsübersicht"],
    key="ang_reiter",
    on_change="rerun",
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
            werte_fn=geschuetzte_werte,
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
            werte_und_maske(kommune, bedarf_id, ebene, p, rolle=rolle)[0],
            versorgung_id,
            Kriterien(bedarf_schwelle=1 - quantil, versorgung_schwelle=grenze),
            bedarf_name=str(kommune.katalog.loc[bedarf_id, "name"]),
            periode=auswahl.periode,
            werte_fn=geschuetzte_werte,
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

    st.divider()
    st.subheader("Lücken: hoher Bedarf, kein passendes Angebot in der Nähe")
    if not bedarfs_ids:
        st.info("Für eine Lückenliste fehlen Bedarfsindikatoren (Katalog: richtung = 1).")
    else:
        l1, l2, l3 = st.columns([2, 1, 1])
        # Anteile zuerst: Anzahlen wachsen mit der Größe des Gebiets
        lk_ids = sorted(bedarfs_ids, key=lambda i: kommune.katalog.loc[i, "art"] == "anzahl")
        lk_bedarf = l1.selectbox("Bedarf (höher = mehr Bedarf)", lk_ids, key="lk_bedarf",
                                 format_func=lambda i: indikator_bezeichnung(kommune.katalog, i))  # fmt: skip
        lk_meter = zahl_eingabe(l2, "Entfernung (m Luftlinie)", 1500.0, 0, key="lk_meter")
        lk_quantil = l3.slider("Bedarf: oberer Anteil (%)", 5, 50, 20, 5, key="lk_quantil", format="%d %%") / 100
        f1, f2, f3, f4, f5 = st.columns([2, 2, 2, 1, 1])
        lk_kat = f1.multiselect("Kategorie", sorted(angebote["kategorie"].unique()), key="lk_kat", placeholder="alle")
        auswahl_listen = {s: listenwerte(angebote, s) for s in ("zielgruppen", "sprachen")}
        lk_ziel = f2.selectbox("Zielgruppe enthält", ["", *auswahl_listen["zielgruppen"]], key="lk_ziel",
                               format_func=lambda w: w or "beliebig")  # fmt: skip
        lk_sprache = f3.selectbox("Sprache enthält", ["", *auswahl_listen["sprachen"]], key="lk_sprache",
                                  format_func=lambda w: w or "beliebig")  # fmt: skip
        lk_alter_an = f4.checkbox("Alter filtern", key="lk_alter_an")
        lk_alter = f4.number_input("Alter (Jahre)", 0, 99, 8, key="lk_alter", disabled=not lk_alter_an)
        lk_frei = f5.checkbox("kostenfrei", key="lk_frei", disabled="kostenfrei" not in angebote.columns)
        fehlend = [s for s in ("zielgruppen", "sprachen") if s not in angebote.columns]
        if fehlend:
            st.caption(
                "Die Angebote nennen keine " + " und keine ".join(f"„{s}“" for s in fehlend)
                + " (Angebotsregister); danach lässt sich hier noch nicht filtern."
            )  # fmt: skip
        lk_filter = AngebotsFilter(
            tuple(lk_kat), lk_ziel, lk_sprache, float(lk_alter) if lk_alter_an else None, kostenfrei=lk_frei
        )
        lk_p = neueste_periode(kommune, lk_bedarf, auswahl.periode)
        lk_werte, _ = werte_und_maske(kommune, lk_bedarf, ebene, lk_p, rolle=wirksame_rolle())
        try:
            luecken = angebotsluecken_kommune(
                kommune, ebene, lk_werte, lk_filter, lk_meter, bedarf_name=str(kommune.katalog.loc[lk_bedarf, "name"]),
                bedarf_schwelle=1 - lk_quantil, alle=True,
            )  # fmt: skip
        except ValueError as e:
            st.info(str(e))
        else:
            lk_passend = angebote[angebote_passend(angebote, lk_filter)]
            st.markdown(
                f"**{luecken.anzahl} Gebiete mit Lücke.** {luecken.kriterien} {luecken.tabelle.attrs['wohnorte']}"
            )
            st.caption(f"{zahl(len(lk_passend), 0)} passende Angebote.")
            lk_spalte = next(c for c in luecken.tabelle.columns if c.startswith("Anteil Bewohner"))
            if tab_bedarf.open:
                lk_darstellung = Darstellung(lk_spalte.removesuffix(" (%)"), "%", stand_text(lk_p, "Periode "), -1)
                karte_zeigen(auswahl, luecken.tabelle[lk_spalte], lk_darstellung, lk_passend, schluessel="luecken",
                             tabelle=False)  # fmt: skip
            lk_liste = luecken.tabelle[luecken.tabelle["Lücke"]].drop(
                columns=["Bedarf hoch", "Kein Angebot in Reichweite", "Lücke"]
            )
            st.dataframe(tabelle_deutsch(mit_gebietsnamen(lk_liste, namen)), hide_index=True)
            l4, l5 = st.columns(2)
            lk_export = lk_liste.reset_index()
            l4.download_button("Lücken als CSV", lambda: csv_bytes(lk_export), "luecken.csv", "text/csv", key="lk_csv")
            l5.download_button(
                "Lücken als Excel", lambda: xlsx_bytes(lk_export, "Lücken", luecken.kriterien), "luecken.xlsx",
                key="lk_xlsx",
            )  # fmt: skip

with tab_reich:
    programme = {d.id: d for d in reichweite_definitionen(kommune)}
    if not programme:
        st.info(HINWEIS_OHNE_REICHWEITE)
    else:
        r1, r2, r3 = st.columns([2, 1, 2])
        programm = programme[r1.selectbox("Programm", list(programme), format_func=lambda i: programme[i].name,
                                          key="rw_programm")]  # fmt: skip
        rw_perioden = reichweite_perioden(kommune, programm)
        vorgabe = neueste_periode(kommune, programm.teilnehmende, auswahl.periode) if rw_perioden else None
        rw_periode = r2.selectbox("Periode", rw_perioden[::-1] or ["–"], key=f"rw_periode_{programm.id}",
                                  index=rw_perioden[::-1].index(vorgabe) if vorgabe in rw_perioden else 0)  # fmt: skip
        try:
            ansicht = reichweite_kommune(kommune, programm, ebene, rw_periode, rolle=wirksame_rolle())
        except (ReichweiteFehler, KommuneFehler, KeyError, ValueError) as e:
            st.info(f"Die Reichweite lässt sich auf dieser Ebene nicht berechnen: {e}")
        else:
            erg = ansicht.ergebnis
            zeigt = r3.radio("Karte zeigt", ["Teilnahmequote", ansicht.klassen_name], horizontal=True,
                             key="rw_karte")  # fmt: skip
            gesamt = f" {kommune.konfiguration.gesamtgebiet}: **{zahl(erg.gesamtquote, 1)} %**."
            st.markdown(f"**{erg.satz}**" + ("" if math.isnan(erg.gesamtquote) else gesamt))
            quote_gesperrt = erg.gebiete[RW_QUOTE].isna() & erg.gebiete[RW_ZIEL].notna()
            stand = stand_text(ansicht.periode, "Periode ")
            if not tab_reich.open:
                pass
            elif zeigt == "Teilnahmequote":
                titel = f"Teilnahmequote {programm.name} ({ansicht.zielgruppe_name})"
                darstellung = Darstellung(titel, "%", stand, richtung=-1, stellen=1)
                karte_zeigen(auswahl, erg.gebiete[RW_QUOTE], darstellung, angebote.iloc[0:0],
                             schluessel="reichweite", gesperrt=quote_gesperrt, tabelle=False)  # fmt: skip
            else:
                darstellung = Darstellung(ansicht.klassen_name, "", stand_text(ansicht.klassen_periode, "Periode "),
                                          richtung=programm.richtung, stellen=2)  # fmt: skip
                karte_zeigen(auswahl, erg.gebiete[RW_MERKMAL], darstellung, angebote.iloc[0:0],
                             k=programm.klassen_anzahl, schluessel="reichweite", tabelle=False)  # fmt: skip
            st.altair_chart(reichweite_diagramm(ansicht, stand), width="stretch")
            st.caption(
                "Klassen nach Quantilen des Merkmals; Quote je Klasse = Summe der Teilnehmenden ÷ Summe der "
                "Zielbevölkerung. Eine Klasse mit zu kleiner Fallzahl ist gesperrt; ließe sich aus einer Klassensumme "
                "ein gesperrter Wert zurückrechnen (z. B. genau ein gesperrtes Gebiet), zählen die gesperrten Gebiete "
                "dort nicht mit."
            )
            (rw_gebiete, rw_gmaske), (rw_klassen, rw_kmaske) = reichweite_tabellen(ansicht, quote_gesperrt)
            st.dataframe(gesperrt_als_punkt(tabelle_deutsch(rw_klassen), rw_kmaske), hide_index=True)
            with st.expander("Teilnahmequote je Gebiet"):
                st.dataframe(gesperrt_als_punkt(tabelle_deutsch(rw_gebiete), rw_gmaske), hide_index=True)
            d1, d2, d3, d4 = st.columns(4)
            for spalte, (art, df, maske) in zip(
                (d1, d2, d3, d4),
                [("klassen", rw_klassen, rw_kmaske), ("gebiete", rw_gebiete, rw_gmaske)] * 2,
                strict=True,
            ):
                name = f"reichweite_{programm.id}_{art}"
                wort = "Klassen" if art == "klassen" else "Gebiete"
                if spalte in (d1, d2):
                    spalte.download_button(f"{wort} als CSV", lambda d=df, m=maske: csv_bytes(gesperrt_als_punkt(d, m)),
                                           f"{name}.csv", "text/csv", key=f"rw_csv_{art}")  # fmt: skip
                else:
                    spalte.download_button(
                        f"{wort} als Excel",
                        lambda d=df, m=maske, w=wort: xlsx_bytes(gesperrt_als_punkt(d, m), f"Reichweite {w}", erg.satz),
                        f"{name}.xlsx",
                        key=f"rw_xlsx_{art}",
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

"""Karte: Choropleth eines Indikators auf jeder Ebene, Angebote darüber, Klick wählt ein Gebiet."""

from __future__ import annotations

import streamlit as st

from berichte.grundlagen import gesamt_mit_text, mit_deckung
from berichte.gruppen import familien_von, gesamtluecke, luecke_und_maske
from berichte.sitzung import MAX_TITEL, Ansicht
from geodata.gebietswerte import gebietswerte
from geodata.interpolation import ueberlagerungsbericht
from geodata.karte import angebote_knopf
from geodata.klassen import METHODEN, METHODEN_ERKLAERUNG
from kommune.fehler import KommuneFehler
from kommune.format import ist_ganzzahlig, mehrzahl, stand_text, wert_mit_einheit, zahl
from kommune.profil import rang
from oberflaeche.ablauf import hinzufuegen_knopf
from oberflaeche.auswahl import seitenleiste
from oberflaeche.bausteine import indikator_waehlen, quellen_zeigen
from oberflaeche.gruppenwahl import lueckenwahl
from oberflaeche.kartenblock import Darstellung, ebene_vorschlagen, karte_zeigen
from oberflaeche.kartenkomponente import kartenhoehe
from oberflaeche.schutz import geschuetzt, wirksame_rolle

auswahl = seitenleiste()
st.title("Karte")
if auswahl is None:
    st.stop()
kommune, ebene = auswahl.kommune, auswahl.ebene
schicht = kommune.schicht(ebene)
rolle = wirksame_rolle()

oben = st.columns([2.8, 1.6, 1, 1.2], vertical_alignment="bottom")
with oben[0]:
    gewaehlt = indikator_waehlen(kommune, auswahl.periode)
if gewaehlt is None:
    st.stop()
indikator, periode = gewaehlt
eintrag = kommune.katalog.loc[indikator]
methode = oben[1].selectbox(
    "Klassen",
    list(METHODEN),
    format_func=METHODEN.__getitem__,
    key="klassen_methode",
    help=" · ".join(f"{METHODEN[m]}: {METHODEN_ERKLAERUNG[m]}" for m in METHODEN),
)
k = oben[2].slider("Anzahl Klassen", 3, 7, 5, key="klassen_anzahl")
anzahl = kommune.angebote["kategorie"].value_counts().to_dict()
# Ruhige Karte: Angebote erst auf Wunsch (dichte Punkte verdecken sonst die Flächenfarben)
schluessel_angebote = f"angebote_{kommune.name}"
with oben[3].popover(angebote_knopf(len(st.session_state.get(schluessel_angebote, []))), width="stretch"):
    zeigen = st.multiselect(
        "Angebote auf der Karte",
        sorted(anzahl),
        default=[],
        format_func=lambda kat: f"{kat} ({zahl(anzahl[kat], 0)})",
        key=schluessel_angebote,
        placeholder="keine Angebote",
    )
    st.caption("Dichte Angebote erscheinen als Gruppen mit Anzahl; näher heranzoomen zeigt sie einzeln.")

methode_umrechnung = "area"
if schicht.art == "einzugsbereich":
    methode_umrechnung = st.radio(
        f"Umrechnung auf {mehrzahl(schicht.name)}",
        ["area", "dasymetric"],
        format_func={"area": "nach Flächenanteil", "dasymetric": "nach Wohnbevölkerung (Zensus-Raster)"}.__getitem__,
        horizontal=True,
        key="umrechnung",
        help="Dasymetrisch: Parks, Gewässer und Gewerbeflächen ohne Einwohner bekommen keine Kinder zugeteilt.",
    )
try:
    reihe = gebietswerte(kommune, indikator, ebene, periode, methode_umrechnung)
except KommuneFehler as e:
    st.error(f"{e.text} Es wird nach Flächenanteil umgerechnet.")
    methode_umrechnung = "area"
    reihe = gebietswerte(kommune, indikator, ebene, periode)
reihe, gesperrt = geschuetzt(kommune, indikator, ebene, periode, reihe, methode_umrechnung)
stellen = 0 if ist_ganzzahlig(str(eintrag["einheit"]), str(eintrag["art"])) else 1
titel_karte, einheit_karte, richtung_karte = str(eintrag["name"]), str(eintrag["einheit"]), int(eintrag["richtung"])
luecke = None
# Gruppen (kommune/merkmale.py): statt des Werts die Lücke zwischen zwei Gruppen zeigen (auch aus dem Link)
gruppen_platz = st.container()  # immer da: sonst verschöbe der Schalter die Karte, und sie würde neu aufgebaut
wahl = lueckenwahl(kommune, indikator, familien_von(kommune, indikator), gruppen_platz)
if wahl is not None:
    luecke = luecke_und_maske(
        kommune, wahl.familie, wahl.a, wahl.b, ebene, periode, mass=wahl.mass, rolle=rolle, methode=methode_umrechnung
    )
    reihe, gesperrt, stellen = luecke.werte, luecke.gesperrt, luecke.stellen
    titel_karte, einheit_karte, richtung_karte = luecke.titel, luecke.einheit, 0
    luecke_gesamt = gesamtluecke(kommune, wahl.familie, wahl.a, wahl.b, periode, mass=wahl.mass, rolle=rolle)
    gruppen_platz.caption(
        "Differenz: Wert der ersten Gruppe minus Wert der zweiten"
        + (" (bei Anteilen in Prozentpunkten)" if wahl.mass == "differenz" else "")
        + "; Verhältnis: erste ÷ zweite. Ist einer der beiden Werte gesperrt, fehlt die Lücke (Geheimhaltung)."
    )
stand = stand_text(eintrag["stand"]) or stand_text(periode)
namen = kommune.gebiete[ebene]["name"]


def werte_auf_ebene(e: str) -> tuple[object, object]:
    """Was die Karte zeigt (Wert oder Lücke), geschützt, auf einer anderen statistischen Ebene."""
    if wahl is not None:
        lu = luecke_und_maske(kommune, wahl.familie, wahl.a, wahl.b, e, periode, mass=wahl.mass, rolle=rolle)
        return lu.werte, lu.gesperrt
    return geschuetzt(kommune, indikator, e, periode, gebietswerte(kommune, indikator, e, periode))


def ausgewaehlt(_klassen: object) -> None:
    """Rechte Spalte: das angeklickte Gebiet mit Wert, Gesamtgebiet und Rang; Ansicht für die Sitzung sammeln."""
    gebiet = st.session_state.get("wahl_gebiet")
    ebene_vorschlagen(auswahl, reihe, gesperrt, werte_auf_ebene)
    hinzufuegen_knopf(
        Ansicht(
            f"{titel_karte} je {schicht.name}"[:MAX_TITEL],
            "karte",
            ebene=ebene,
            indikator=indikator,
            gebiete=(gebiet,) if gebiet in namen.index else (),
            periode=auswahl.periode,
            **(wahl.parameter() if wahl else {}),
        ),
        "karte_zur_sitzung",
    )
    if gebiet not in namen.index:
        st.markdown("#### Kein Gebiet ausgewählt")
        st.caption("Klicken Sie auf ein Gebiet in der Karte.")
        return
    r, n = rang(reihe, gebiet)
    st.markdown(f"#### Ausgewählt: {namen[gebiet]}")
    wert_text = (
        "gesperrt (.)"
        if bool(gesperrt.get(gebiet, False))
        else wert_mit_einheit(reihe.get(gebiet), einheit_karte, stellen, leer="keine Daten")
    )
    st.markdown(f"{titel_karte}: **{wert_text}**")
    if luecke is None:
        gesamt, deckung = gesamt_mit_text(kommune, indikator, periode, rolle=rolle)
        gesamt_text = mit_deckung(wert_mit_einheit(gesamt, eintrag["einheit"], stellen), deckung)
    else:
        gesamt_text = wert_mit_einheit(luecke_gesamt, einheit_karte, stellen)
    st.markdown(f"{kommune.konfiguration.gesamtgebiet}: {gesamt_text}")
    if r:
        st.markdown(f"Rang {r} von {n} (1 = höchster Wert)")
    st.page_link("seiten/gebietsprofil.py", label="Zum Gebietsprofil")


karte_zeigen(
    auswahl,
    reihe,
    Darstellung(titel_karte, einheit_karte, stand, richtung_karte, stellen, luecke.mitte if luecke else None),
    kommune.angebote[kommune.angebote["kategorie"].isin(zeigen)],
    methode=methode,
    k=k,
    rechts=ausgewaehlt,
    gesperrt=gesperrt,
    hoehe=kartenhoehe(250),  # Kopf und eine Zeile Auswahl darüber: am Beamer ganz im Bild
)

if schicht.art == "einzugsbereich":
    st.info(
        f"Die Werte der {mehrzahl(schicht.name)} sind aus den Gebietsdaten umgerechnet "
        + ("nach Flächenanteil" if methode_umrechnung == "area" else "nach der Wohnbevölkerung im Zensus-Raster")
        + " (Anzahlen anteilig, Anteile aus umgerechnetem Zähler und Nenner bzw. bevölkerungsgewichtet)."
    )
    with st.expander("Überlagerung: Splitter und Lücken zwischen den Ebenen"):
        for satz in ueberlagerungsbericht(kommune, ebene):
            st.markdown(f"- {satz}")
if eintrag["definition"]:
    st.caption(f"Definition: {eintrag['definition']}")
stand_angebote = ", ".join(
    f"{kat}: {stand_text(s)}"
    for kat, s in kommune.angebote.groupby("kategorie")["stand"].first().items()
    if kat in zeigen and stand_text(s)
)
st.caption(
    f"Gebietsstand {schicht.name}: {stand_text(schicht.stand) or 'nicht angegeben'}"
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

"""Gebietsprofil: alle Indikatoren eines Gebiets gegen das Gesamtgebiet und Elterngebiet, Lage, Verlauf, Angebote."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from berichte.diagramme import als_png, als_svg, spine_chart, zeitreihe
from berichte.grundlagen import aggregationshinweis, mit_deckung, versorgung_und_maske
from berichte.gruppen import LUECKEN_ERKLAERUNG, aufschluesselung, familien_mit_werten, lueckentabelle
from berichte.gruppen import titel as familie_titel
from berichte.profilbericht import profil_html
from berichte.sitzung import Ansicht
from berichte.xlsx import xlsx_bytes
from geodata.gebietswerte import gebietswerte
from geodata.versorgung import HINWEIS_OHNE_VERSORGUNG, punkte_zuordnen, versorgung_definitionen
from kommune.format import eindeutige_namen, indikator_bezeichnung, ist_ganzzahlig, stand_text, wert_mit_einheit
from kommune.profil import gebietsprofil
from kommune.werte import perioden_von
from oberflaeche.ablauf import hinzufuegen_knopf
from oberflaeche.auswahl import seitenleiste, url_setzen
from oberflaeche.bausteine import langsame_datei, quellen_zeigen
from oberflaeche.gebietsbezug import einzugsbereiche_von
from oberflaeche.schutz import profil_schuetzen, wirksame_rolle
from oberflaeche.tabellen import tabelle_deutsch

auswahl = seitenleiste()
st.title("Gebietsprofil")
if auswahl is None:
    st.stop()
kommune, ebene = auswahl.kommune, auswahl.ebene
rolle = wirksame_rolle()  # jetzt festhalten: Downloads entstehen später in einem eigenen Thread
schicht = kommune.schicht(ebene)
gebiete = kommune.gebiete[ebene]
ids = gebiete.sort_values("name").index.tolist()
beschriftung = eindeutige_namen(gebiete["name"])
gewuenscht = st.session_state.get("wahl_gebiet")
if gewuenscht not in ids:
    gewuenscht = ids[0]
gebiet = st.selectbox(
    f"{schicht.name}",
    ids,
    index=ids.index(gewuenscht),
    key=f"profil_gebiet_{kommune.name}_{ebene}",
    format_func=beschriftung.__getitem__,
)
url_setzen(gebiet=gebiet)

name = gebiete.at[gebiet, "name"]
st.header(f"{name}", help=f"Schlüssel des Gebiets: {gebiet}")
eltern_text = ""
if schicht.eltern:
    eltern_schicht = kommune.schicht(schicht.eltern)
    eltern_id = gebiete.at[gebiet, "eltern"]
    eltern_name = kommune.gebiete[schicht.eltern]["name"].get(eltern_id, eltern_id)
    eltern_text = f" · gehört zu {eltern_schicht.name} {eltern_name}"
flaeche = gebiete.geometry[gebiet].area / 1e6
st.markdown(f"{schicht.name}{eltern_text} · Fläche {wert_mit_einheit(flaeche, 'km²', 2)}")
hinzufuegen_knopf(Ansicht(f"Profil {name}", "gebietsprofil", ebene=ebene, gebiete=(gebiet,)), "profil_zur_sitzung")

profil = profil_schuetzen(kommune, ebene, gebiet, gebietsprofil(kommune, ebene, gebiet, auswahl.periode), gebietswerte)
if profil.empty or profil["wert"].isna().all():
    st.info(f"Für dieses Gebiet liegen auf der Ebene {schicht.name} keine Indikatorwerte vor.")
    st.stop()

tab_werte, tab_lage, tab_verlauf, tab_angebote = st.tabs(
    ["Indikatoren", "Lage in der Verteilung", "Zeitverlauf", "Angebote und Einzugsbereiche"]
)


def _fmt(v: float, einheit: str, art: str, deckung: str = "") -> str:
    ganz = ist_ganzzahlig(einheit, art)
    return mit_deckung(wert_mit_einheit(v, einheit, 0 if ganz else 1, leer="keine Daten"), deckung)


gesamtgebiet = kommune.konfiguration.gesamtgebiet
#: Spalte des Gesamtwerts; heißt das Gebiet selbst so (die Kreisebene eines Landkreises), bleibt sie eindeutig
spalte_gesamt = gesamtgebiet if gesamtgebiet not in {"Gebiet", "übergeordnet", name} else f"{gesamtgebiet} (gesamt)"

with tab_werte:
    arten = kommune.katalog["art"]
    for thema, teil in profil.groupby("thema", sort=True):
        st.subheader(thema)
        zeilen = list(zip(teil["indikator"], teil["einheit"], strict=True))
        tabelle = pd.DataFrame(
            {
                "Indikator": [indikator_bezeichnung(kommune.katalog, i) for i in teil["indikator"]],
                "Gebiet": [
                    "." if g else _fmt(v, e, arten[i], d)
                    for v, g, d, (i, e) in zip(
                        teil["wert"],
                        teil.get("gesperrt", [False] * len(teil)),
                        teil["wert_deckung"],
                        zeilen,
                        strict=True,
                    )
                ],
                "übergeordnet": [
                    _fmt(v, e, arten[i], d)
                    for v, d, (i, e) in zip(teil["eltern"], teil["eltern_deckung"], zeilen, strict=True)
                ],
                spalte_gesamt: [
                    "." if g else _fmt(v, e, arten[i], d)
                    for v, g, d, (i, e) in zip(
                        teil["gesamt"], teil["gesamt_gesperrt"], teil["gesamt_deckung"], zeilen, strict=True
                    )
                ],
                "Rang": [
                    f"{int(r)} von {n}" if pd.notna(r) else "–" for r, n in zip(teil["rang"], teil["n"], strict=True)
                ],
                "Stichtag": [
                    stand_text(s) or stand_text(p) for s, p in zip(teil["stand"], teil["periode"], strict=True)
                ],
                "Definition": teil["definition"],
            }
        )
        if not schicht.eltern:
            tabelle = tabelle.drop(columns="übergeordnet")
        st.dataframe(tabelle, hide_index=True, width="stretch")
    st.caption(
        "Rang 1 = höchster Wert unter den Gebieten mit Daten auf dieser Ebene. "
        "„.“ = gesperrt (statistische Geheimhaltung). Werte gröberer Ebenen sind aus den feineren aggregiert; "
        "fehlen Teilgebiete, steht dahinter, wie viele und welchen Anteil der Einwohner (sonst der Fläche oder der "
        "Bezugsgröße eines Anteils) sie tragen."
    )
    for hinweis in dict.fromkeys(h for h in profil["gewicht_hinweis"] if h):
        st.caption(hinweis)
    gruppen_familien = familien_mit_werten(kommune, auswahl.periode)
    if gruppen_familien:
        st.subheader("Aufschlüsselung nach Gruppen")
        for fam, fam_periode in gruppen_familien:
            st.markdown(f"**{familie_titel(kommune, fam)}** ({stand_text(fam_periode) or fam_periode})")
            st.dataframe(
                aufschluesselung(kommune, fam, ebene, gebiet, fam_periode, rolle=rolle),
                hide_index=True,
                width="stretch",
            )
        st.caption(
            "Anteil = Anteil der Gruppe am Gesamtwert des Gebiets (nur bei Anzahlen). „.“ = gesperrt; ein Anteil ist "
            "auch gesperrt, wenn der Gesamtwert gesperrt ist."
        )
        luecken = lueckentabelle(kommune, ebene, [gebiet], auswahl.periode, rolle=rolle)
        if not luecken.empty:
            st.markdown("**Lücken zwischen Gruppen**")
            st.dataframe(luecken, hide_index=True, width="stretch")
            st.caption(LUECKEN_ERKLAERUNG)

with tab_lage:
    st.markdown(
        "Je Indikator: grauer Balken = Spanne aller Gebiete, dunkler Kasten = mittlere Hälfte, schwarzer Strich = "
        f"{gesamtgebiet}, Punkt = dieses Gebiet. Rechts steht immer mehr Bedarf. Spanne und Quartile nur aus "
        "sichtbaren Werten; gesperrte Werte (Geheimhaltung) fehlen als Punkt und heißen „gesperrt“."
    )
    spine = spine_chart(kommune, ebene, gebiet, auswahl.periode, rolle=rolle)
    st.altair_chart(spine, width="stretch")
    d1, d2 = st.columns(2)
    d1.download_button("Diagramm als PNG", lambda: als_png(spine), f"lage_{gebiet}.png", "image/png", key="spine_png")
    d2.download_button(
        "Diagramm als SVG", lambda: als_svg(spine), f"lage_{gebiet}.svg", "image/svg+xml", key="spine_svg"
    )

with tab_verlauf:
    mit_verlauf = [i for i in profil["indikator"] if len(perioden_von(kommune, i)) > 1]
    if not mit_verlauf:
        st.info("Für diese Kommune liegt je Indikator nur ein Stand vor – kein Zeitverlauf.")
    else:
        ind = st.selectbox(
            "Indikator",
            mit_verlauf,
            format_func=lambda i: indikator_bezeichnung(kommune.katalog, i),
            key="profil_verlauf",
        )
        st.altair_chart(zeitreihe(kommune, ind, ebene, [gebiet], rolle=rolle), width="stretch")

with tab_angebote:
    im_gebiet = kommune.angebote[punkte_zuordnen(kommune.angebote, gebiete.loc[[gebiet]]).notna().to_numpy()]
    st.markdown(f"**{len(im_gebiet)} Angebote im Gebiet**")
    if not im_gebiet.empty:
        anzeige = im_gebiet[["kategorie", "name", "traeger", "kapazitaet", "adresse"]].rename(
            columns={
                "kategorie": "Kategorie",
                "name": "Name",
                "traeger": "Träger",
                "kapazitaet": "Plätze",
                "adresse": "Adresse",
            }
        )
        st.dataframe(tabelle_deutsch(anzeige.sort_values(["Kategorie", "Name"])), hide_index=True, width="stretch")
    for s, anteile in einzugsbereiche_von(kommune, ebene, gebiet).items():
        st.markdown(f"**{s}:** " + ", ".join(anteile))
    st.markdown("**Versorgung**")
    if not versorgung_definitionen(kommune):
        st.caption(HINWEIS_OHNE_VERSORGUNG)
    else:
        # Quoten nur so, wie die Rolle sie sehen darf (gesperrte Zielgruppe oder Regel → „.“)
        versorgung, gesperrt = versorgung_und_maske(kommune, ebene, auswahl.periode, rolle=rolle)
        zeilen = []
        for vid, spalte in versorgung.attrs["indikatoren"].items():
            zeilen.append(
                {
                    "Versorgungsquote": spalte,
                    "Gebiet": "." if gesperrt.at[gebiet, spalte] else _fmt(versorgung.at[gebiet, spalte], "", "anteil"),
                    spalte_gesamt: _fmt(versorgung.attrs["gesamt"][spalte], "", "anteil"),
                    "Bevölkerung": versorgung.attrs["perioden"].get(vid) or "–",
                }
            )
        if zeilen:
            st.dataframe(pd.DataFrame(zeilen), hide_index=True, width="stretch")
        for grund in versorgung.attrs["nicht_verfuegbar"].values():
            st.caption(f"Nicht berechnet: {grund}")

st.subheader("Bericht und Export")
b1, b2 = st.columns(2)
langsame_datei(  # dauert Sekunden: mit sichtbarer Fortschrittsanzeige
    b1,
    "Druckfertiges Profil (HTML)",
    lambda: profil_html(kommune, ebene, gebiet, auswahl.periode, rolle=rolle).encode("utf-8"),
    f"gebietsprofil_{gebiet}.html",
    "text/html",
    key="profil_html",
    kennung=(auswahl.kommune_id, id(kommune), ebene, gebiet, auswahl.periode, rolle),
    wartetext=f"Das Profil für {name} wird erstellt …",
)
b2.download_button(
    "Profiltabelle (Excel mit Methodik)",
    lambda: xlsx_bytes(
        profil.assign(hinweis=aggregationshinweis(profil, {"eltern": "übergeordnet", "gesamt": spalte_gesamt}))[
            ["thema", "indikator", "name", "einheit", "wert", "eltern", "gesamt", "rang", "n", "stand", "hinweis"]
        ].rename(
            columns={
                "thema": "Thema",
                "indikator": "ID",
                "name": "Indikator",
                "einheit": "Einheit",
                "wert": name,
                "eltern": "übergeordnet",
                "gesamt": spalte_gesamt,
                "rang": "Rang",
                "n": "Gebiete mit Wert",
                "stand": "Stichtag",
                "hinweis": "Hinweis zur Aggregation",
            }
        ),
        titel=f"Gebietsprofil {name}",
        kommune=kommune,
        blatt="Gebietsprofil",
    ),
    f"gebietsprofil_{gebiet}.xlsx",
    key="profil_xlsx",
)
quellen_zeigen(kommune, [schicht.quelle, *kommune.katalog.loc[profil["indikator"], "quelle"]])

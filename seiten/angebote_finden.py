"""Angebote finden: öffentliche Liste und Karte der Angebote mit Filtern, Link je Auswahl und Downloads.

Die Logik liegt in `geodata.angebotsfinder` (Filter, URL, nur gültige Angebote und öffentliche Felder); die Karte
bekommt alle Angebote einmal und je Filterwechsel nur die Sichtbarkeit (`oberflaeche.kartenblock.angebotskarte_zeigen`).
"""

from __future__ import annotations

import io
import os
from dataclasses import replace
from datetime import date
from urllib.parse import urlencode

import streamlit as st

from berichte.angebotsliste import angebotsliste_html
from berichte.sitzung import OEFFENTLICHE_URL_VARIABLE, SitzungsFehler, basis_url_aus_konfiguration, link_basis
from geodata.angebotsfinder import (
    PARAMETER,
    Filterzustand,
    beschreibung,
    eintrag_markdown,
    filtern,
    hintergrund_ebene,
    kartenreihenfolge,
    oeffentliche_angebote_von,
    oeffentliche_tabelle,
    optionen_von,
    position_zu_zeile,
    sichtbarkeit,
    zustand_aus_parametern,
    zustand_zu_parametern,
)
from geodata.angebotsuebersicht import BILDUNGSKETTE, angebotsuebersicht_xlsx, reihenfolge
from kommune.format import markdown_text, zahl
from oberflaeche.auswahl import seitenleiste
from oberflaeche.bausteine import quellen_zeigen
from oberflaeche.export import csv_bytes
from oberflaeche.kartenblock import angebotskarte_zeigen
from oberflaeche.kartenkomponente import kartenhoehe
from oberflaeche.laden import abgeleitet

JE_SEITE = 25

auswahl = seitenleiste()
st.title("Angebote finden")
if auswahl is None:
    st.stop()
kommune, kid = auswahl.kommune, auswahl.kommune_id
heute = date.today()
angebote = oeffentliche_angebote_von(kommune, heute)
if angebote.empty:
    st.info(
        "Für diese Kommune sind noch keine öffentlichen Angebote hinterlegt. Angebote kommen aus dem "
        "Angebotsregister (gepflegt von Trägern) oder aus Standortdaten der Verwaltung."
    )
    st.stop()
opt = optionen_von(kommune, heute)
K = {f: f"af_{f}_{kid}" for f in ("suche", "zielgruppe", "alter", "sprache", "stufe", "kategorie", "ebene")}
K |= {f: f"af_{f}_{kid}" for f in ("kostenfrei", "barrierefrei", "angebot", "anzahl", "zuletzt")}


def _gebiet_schluessel(ebene: str) -> str:
    return f"af_gebiet_{kid}_{ebene}"


# Ein geöffneter Link stellt die Auswahl her: beim ersten Lauf der Sitzung die URL in die Felder übernehmen
if st.session_state.get("_af_url_gelesen") is None:
    st.session_state["_af_url_gelesen"] = kid
    aus_url, hinweise = zustand_aus_parametern({k: st.query_params.get_all(k) for k in st.query_params}, opt)
    st.session_state["_af_hinweise"] = hinweise
    for feld in ("suche", "zielgruppe", "alter", "sprache", "stufe", "kategorie", "kostenfrei", "barrierefrei"):
        wert = getattr(aus_url, feld)
        if wert not in ("", None, False):
            st.session_state[K[feld]] = wert
    if aus_url.gebiet_ebene:
        st.session_state[K["ebene"]] = aus_url.gebiet_ebene
        st.session_state[_gebiet_schluessel(aus_url.gebiet_ebene)] = aus_url.gebiet
    if aus_url.angebot:
        st.session_state[K["angebot"]] = aus_url.angebot
if st.session_state.get("_af_url_gelesen") == kid:
    for hinweis in st.session_state.get("_af_hinweise", []):
        st.info(markdown_text(hinweis))


def _zuruecksetzen() -> None:
    for schluessel in list(st.session_state.keys()):
        if str(schluessel).startswith((f"af_gebiet_{kid}_", *K.values())):
            del st.session_state[schluessel]
    st.session_state["_af_hinweise"] = []


def _alle(wert: str) -> str:
    return wert or "alle"


suche = st.text_input(
    "Suche",
    key=K["suche"],
    max_chars=200,
    placeholder="Name, Träger, Beschreibung, Adresse oder Kategorie",
)
ebenen = list(opt.ebenen)
with st.expander("Filter", expanded=False):  # kompakt: am Telefon steht die Trefferzahl gleich unter der Suche
    f1, f2, f3 = st.columns(3)
    zielgruppe = f1.selectbox("Zielgruppe", ["", *opt.zielgruppen], format_func=_alle, key=K["zielgruppe"])
    alter = f2.number_input(
        "Alter (Jahre)", min_value=0, max_value=120, value=None, step=1, placeholder="alle", key=K["alter"]
    )
    sprache = f3.selectbox("Sprache", ["", *opt.sprachen], format_func=_alle, key=K["sprache"])
    f4, f5, f6 = st.columns(3)
    stufe = f4.selectbox(
        "Stufe der Bildungskette",
        ["", *opt.stufen],
        format_func=lambda s: BILDUNGSKETTE.get(s, s) or "alle",
        key=K["stufe"],
    )
    kategorie = f5.selectbox("Kategorie", ["", *opt.kategorien], format_func=_alle, key=K["kategorie"])
    if st.session_state.get(K["ebene"]) not in ebenen:
        st.session_state.pop(K["ebene"], None)
    ebene = f6.selectbox(
        "Gebietsebene",
        ebenen,
        index=ebenen.index(hintergrund_ebene(kommune)) if K["ebene"] not in st.session_state else 0,
        format_func=lambda e: opt.ebenen[e][0],
        key=K["ebene"],
    )
    namen = opt.ebenen[ebene][1]
    gebiet = f6.selectbox(
        "Gebiet",
        ["", *sorted(namen, key=lambda g: namen[g].casefold())],
        format_func=lambda g: namen.get(g, g) if g else "alle",
        key=_gebiet_schluessel(ebene),
    )
    g1, g2, g3 = st.columns(3)
    kostenfrei = g1.checkbox("nur kostenfrei", key=K["kostenfrei"])
    barrierefrei = g2.checkbox("nur barrierefrei", key=K["barrierefrei"])
    g3.button("Filter zurücksetzen", on_click=_zuruecksetzen, key=f"af_zurueck_{kid}")

angebot_id = st.session_state.get(K["angebot"], "")
zustand = Filterzustand(
    zielgruppe=zielgruppe,
    alter=None if alter is None else int(alter),
    sprache=sprache,
    stufe=stufe,
    kategorie=kategorie,
    gebiet_ebene=ebene if gebiet else "",
    gebiet=gebiet,
    suche=" ".join(str(suche or "").split())[:200],
    kostenfrei=bool(kostenfrei),
    barrierefrei=bool(barrierefrei),
    angebot=angebot_id if angebot_id in opt.angebote else "",
)
# Jeder Filterzustand steht in der URL (nur die eigenen Parameter; Kommune und Ebene setzt die Seitenleiste)
soll = zustand_zu_parametern(zustand)
for name in PARAMETER.values():
    if name in soll:
        if st.query_params.get(name) != soll[name]:
            st.query_params[name] = soll[name]
    elif name in st.query_params:
        del st.query_params[name]

maske = filtern(angebote, zustand, kommune, heute)
ohne_auswahl = replace(zustand, angebot="")
if st.session_state.get(K["zuletzt"]) != ohne_auswahl:  # neuer Filter: wieder von vorn blättern
    st.session_state[K["zuletzt"]] = ohne_auswahl
    st.session_state[K["anzahl"]] = JE_SEITE
reihe = abgeleitet(kommune, ("angebotsfinder_reihe", heute), lambda: reihenfolge(kommune, angebote).index)
karte_reihe = abgeleitet(kommune, ("angebotsfinder_karte", heute), lambda: kartenreihenfolge(angebote))
treffer = reihe[maske.reindex(reihe).to_numpy()]
gefiltert = angebote.loc[treffer]
n = len(treffer)
text = beschreibung(zustand, opt)
st.markdown(
    f"**{zahl(n, 0)} {'Angebot' if n == 1 else 'Angebote'}** von {zahl(len(angebote), 0)}"
    + (f" · {markdown_text(text)}" if text else "")
)

# Link zu dieser Auswahl (Kommune + Filter)
try:
    basis = link_basis(
        st.context.url,
        umgebung=os.environ.get(OEFFENTLICHE_URL_VARIABLE),
        konfiguriert=basis_url_aus_konfiguration(kommune),
        seite="angebote-finden",
    )
except SitzungsFehler:
    basis = link_basis(st.context.url, seite="angebote-finden")
link = f"{basis.adresse}?{urlencode({'kommune': kid, **zustand_zu_parametern(zustand)})}"
with st.popover("Link zu dieser Auswahl"):
    st.code(link, language=None, wrap_lines=True)
    st.caption("Der Link öffnet diese Seite mit denselben Filtern.")


def _waehlen(position: int) -> None:
    zeile = position_zu_zeile(position, karte_reihe)
    if zeile is not None and zeile in angebote.index:
        st.session_state[K["angebot"]] = str(angebote.at[zeile, "id"])


karte_spalte, liste_spalte = st.columns([3, 2])
gewaehlt_zeile = None
if zustand.angebot:
    passend = angebote.index[angebote["id"].astype(str).to_numpy() == zustand.angebot]
    gewaehlt_zeile = passend[0] if len(passend) else None
with karte_spalte:
    position = None
    if gewaehlt_zeile is not None and gewaehlt_zeile in karte_reihe:
        position = int(karte_reihe.get_loc(gewaehlt_zeile))
    angebotskarte_zeigen(
        kommune,
        kid,
        angebote,
        sichtbarkeit(maske, karte_reihe),
        position,
        hoehe=kartenhoehe(330, mindestens=300, hoechstens=760),
        bei_klick=_waehlen,
    )
    ohne_lage = n - int(maske.reindex(karte_reihe, fill_value=False).sum())
    if ohne_lage:
        st.caption(f"{zahl(ohne_lage, 0)} der Angebote haben keinen Standort und fehlen auf der Karte.")
    st.caption("Ein Klick auf ein Angebot in der Karte zeigt es oben in der Liste.")

with liste_spalte:
    if gewaehlt_zeile is not None:
        with st.container(border=True, key=f"af_ausgewaehlt_{kid}"):
            st.markdown("**Ausgewählt**" + ("" if maske.get(gewaehlt_zeile, False) else " (passt nicht zum Filter)"))
            st.markdown(eintrag_markdown(angebote.loc[gewaehlt_zeile]))

            def _aufheben() -> None:
                st.session_state.pop(K["angebot"], None)

            st.button("Auswahl aufheben", on_click=_aufheben, key=f"af_aufheben_{kid}")
    if not n:
        st.info("Keine Angebote passen zu dieser Auswahl. Weniger Filter zeigen mehr Angebote.")
    anzahl = int(st.session_state.get(K["anzahl"], JE_SEITE))
    with st.container(key=f"af_liste_{kid}"):
        for zeile in treffer[:anzahl]:
            with st.container(border=True):
                st.markdown(eintrag_markdown(angebote.loc[zeile]))
    if n > anzahl:

        def _weiter() -> None:
            st.session_state[K["anzahl"]] = anzahl + JE_SEITE

        st.button(
            f"Weitere anzeigen ({zahl(min(anzahl, n), 0)} von {zahl(n, 0)} gezeigt)",
            on_click=_weiter,
            key=f"af_weiter_{kid}",
        )

with st.expander("Herunterladen"):
    titel = f"Angebotsübersicht {kommune.name}"

    def _xlsx() -> bytes:
        puffer = io.BytesIO()
        angebotsuebersicht_xlsx(kommune, gefiltert, puffer, titel=titel)
        return puffer.getvalue()

    d1, d2, d3 = st.columns(3)
    d1.download_button(
        "Angebotsübersicht (Excel)",
        _xlsx,
        "angebotsuebersicht.xlsx",
        key=f"af_xlsx_{kid}",
        disabled=not n,
    )
    d2.download_button(
        "Druckansicht (HTML)",
        lambda: angebotsliste_html(kommune, gefiltert, titel=titel, filter_text=text).encode("utf-8"),
        "angebotsuebersicht.html",
        mime="text/html",
        key=f"af_html_{kid}",
        disabled=not n,
    )
    d3.download_button(
        "Tabelle (CSV)",
        lambda: csv_bytes(oeffentliche_tabelle(gefiltert)),
        "angebote.csv",
        mime="text/csv",
        key=f"af_csv_{kid}",
        disabled=not n,
    )
    st.caption("Die Übersicht ist entlang der Bildungskette gegliedert; die Druckansicht passt auf A4.")
quellen_zeigen(kommune, gefiltert["quelle"].astype(str).unique() if n else angebote["quelle"].astype(str).unique())

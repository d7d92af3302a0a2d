"""Übersicht: was geladen ist, mit Stand und Quellen."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from berichte.bildungsbericht import bildungsbericht_docx
from kommune.format import stand_text, zahl
from kommune.info import kommune_info
from oberflaeche.auswahl import seitenleiste
from oberflaeche.bausteine import langsame_datei, quellen_zeigen
from oberflaeche.schutz import wirksame_rolle

auswahl = seitenleiste()
st.title("Übersicht")
if auswahl is None:
    st.stop()
kommune = auswahl.kommune
konf = kommune.konfiguration
info = kommune_info(kommune)

st.subheader(f"{konf.name}")
st.write(f"Amtlicher Gemeindeschlüssel {konf.ags or '–'} · Koordinatensystem {konf.crs}")
spalten = st.columns(4)
spalten[0].metric("Gebiete (feinste Ebene)", zahl(info["ebenen"][0]["gebiete"], 0))
spalten[1].metric("Indikatoren", info["indikatoren"])
spalten[2].metric("Perioden", len(info["perioden"]))
spalten[3].metric("Angebotsstandorte", zahl(info["angebote_gesamt"], 0))

st.markdown("#### Räumliche Ebenen und Einzugsbereiche")
schichten = pd.DataFrame(
    [
        {
            "Ebene": s.name,
            "ID": s.id,
            "Art": "Einzugsbereich" if s.art == "einzugsbereich" else "statistische Ebene",
            "Gebiete": len(kommune.gebiete[s.id]),
            "übergeordnet": s.eltern or "–",
            "Gebietsstand": stand_text(s.stand) or "–",
            "Quelle": (konf.quelle(s.quelle).namensnennung if konf.quelle(s.quelle) else "–"),
        }
        for s in konf.schichten
    ]
)
st.dataframe(schichten, hide_index=True, width="stretch")

st.markdown("#### Indikatoren nach Thema")
vorhanden = kommune.indikatoren.groupby("indikator")["periode"].agg(lambda p: ", ".join(sorted(set(p))))
katalog = kommune.katalog.loc[kommune.katalog.index.isin(vorhanden.index)]
tabelle = pd.DataFrame(
    {
        "Thema": katalog["thema"],
        "Indikator": katalog["name"],
        "ID": katalog.index,
        "Einheit": katalog["einheit"],
        "Perioden": vorhanden.reindex(katalog.index),
        "Stichtag": katalog["stand"],
        "Quelle": [konf.quelle(q).namensnennung if konf.quelle(q) else q for q in katalog["quelle"]],
    }
).sort_values(["Thema", "Indikator"])
st.dataframe(tabelle, hide_index=True, width="stretch")

st.markdown("#### Bildungsangebote")
if kommune.angebote.empty:
    st.info("Für diese Kommune sind keine Angebotsstandorte hinterlegt.")
else:
    angebote = kommune.angebote.assign(stand=kommune.angebote["stand"].map(stand_text))
    angebote = angebote.groupby(["kategorie", "bildungsstufe", "stand"], dropna=False).size()
    angebote = angebote.reset_index(name="Standorte").rename(
        columns={"kategorie": "Kategorie", "bildungsstufe": "Bildungsstufe", "stand": "Stand"}
    )
    st.dataframe(angebote, hide_index=True, width="stretch")

if kommune.hinweise:
    st.markdown("#### Hinweise aus der Datenprüfung")
    for h in kommune.hinweise:
        st.warning(h)

rolle = wirksame_rolle()  # jetzt festhalten: die Datei entsteht später in einem eigenen Thread
if st.session_state.get("aktive_rolle", "oeffentlich") != "oeffentlich":
    st.markdown("#### Bildungsbericht")
    st.markdown(
        "Ein Entwurf als Word-Dokument: je Kapitel nach dem Leitfaden „Lernen vor Ort“ die Indikatoren des "
        "Katalogs als Tabellen, eine Karte, ein Zeitdiagramm und neutrale Sätze zum Überarbeiten."
    )
    langsame_datei(  # dauert Sekunden: mit sichtbarer Fortschrittsanzeige
        st,
        "Bildungsbericht-Entwurf (Word)",
        lambda: bildungsbericht_docx(kommune, None, rolle=rolle),
        f"bildungsbericht_entwurf_{konf.name.lower()}.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        key="bildungsbericht",
        kennung=(auswahl.kommune_id, id(kommune), rolle),  # neuer Datenstand = neues Kommune-Objekt
        wartetext="Der Bildungsbericht-Entwurf wird erstellt …",
    )

st.markdown("#### Quellen und Lizenzen")
for q in konf.quellen:
    st.markdown(f"- **{q.titel}**: {q.namensnennung}, Lizenz {q.lizenz}" + (f" ({q.url})" if q.url else ""))
quellen_zeigen(kommune, [])

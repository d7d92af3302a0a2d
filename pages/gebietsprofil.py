"""Gebietsprofil: alle Indikatoren eines Gebiets gegen Gesamtstadt und Elterngebiet, mit Rang."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kommune.format import wert_mit_einheit
from kommune.profil import gebietsprofil
from oberflaeche.auswahl import seitenleiste, url_setzen
from oberflaeche.bausteine import quellen_zeigen

auswahl = seitenleiste()
st.title("Gebietsprofil")
if auswahl is None:
    st.stop()
kommune, ebene = auswahl.kommune, auswahl.ebene
schicht = kommune.schicht(ebene)
gebiete = kommune.gebiete[ebene]
ids = gebiete.sort_values("name").index.tolist()
gewuenscht = st.session_state.get("wahl_gebiet")
if gewuenscht not in ids:
    gewuenscht = ids[0]
gebiet = st.selectbox(
    f"{schicht.name}",
    ids,
    index=ids.index(gewuenscht),
    key=f"profil_gebiet_{kommune.name}_{ebene}",
    format_func=lambda i: f"{gebiete.at[i, 'name']} ({i})",
)
url_setzen(gebiet=gebiet)

name = gebiete.at[gebiet, "name"]
st.header(f"{name}")
eltern_text = ""
if schicht.eltern:
    eltern_schicht = kommune.schicht(schicht.eltern)
    eltern_id = gebiete.at[gebiet, "eltern"]
    eltern_text = (
        f" · gehört zu {eltern_schicht.name} {kommune.gebiete[schicht.eltern]['name'].get(eltern_id, eltern_id)}"
    )
flaeche = gebiete.geometry[gebiet].area / 1e6
st.markdown(f"{schicht.name} {gebiet}{eltern_text} · Fläche {wert_mit_einheit(flaeche, 'km²', 2)}")

profil = gebietsprofil(kommune, ebene, gebiet, auswahl.periode)
if profil.empty or profil["wert"].isna().all():
    st.info(
        f"Für dieses Gebiet liegen auf der Ebene {schicht.name} keine Indikatorwerte vor "
        "(Einzugsbereiche werden in einem späteren Schritt aus den Gebietsdaten umgerechnet)."
    )


def _fmt(v: float, einheit: str, art: str) -> str:
    return wert_mit_einheit(v, einheit, 0 if art == "anzahl" else 1, leer="keine Daten")


for thema, teil in profil.groupby("thema", sort=True):
    st.subheader(thema)
    arten = kommune.katalog["art"]
    tabelle = pd.DataFrame(
        {
            "Indikator": teil["name"] + " [" + teil["indikator"] + "]",
            "Gebiet": [
                _fmt(v, e, arten[i]) for v, e, i in zip(teil["wert"], teil["einheit"], teil["indikator"], strict=True)
            ],
            "übergeordnet": [
                _fmt(v, e, arten[i]) for v, e, i in zip(teil["eltern"], teil["einheit"], teil["indikator"], strict=True)
            ],
            "Gesamtstadt": [
                _fmt(v, e, arten[i]) for v, e, i in zip(teil["gesamt"], teil["einheit"], teil["indikator"], strict=True)
            ],
            "Rang": [f"{int(r)} von {n}" if pd.notna(r) else "–" for r, n in zip(teil["rang"], teil["n"], strict=True)],
            "Stichtag": teil["stand"].where(teil["stand"] != "", teil["periode"]),
            "Definition": teil["definition"],
        }
    )
    if not schicht.eltern:
        tabelle = tabelle.drop(columns="übergeordnet")
    st.dataframe(tabelle, hide_index=True, width="stretch")
st.caption("Rang 1 = höchster Wert unter den Gebieten mit Daten auf dieser Ebene.")
quellen_zeigen(
    kommune,
    [schicht.quelle, *kommune.katalog.loc[profil["indikator"], "quelle"]] if not profil.empty else [schicht.quelle],
)

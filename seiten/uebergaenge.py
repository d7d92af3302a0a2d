"""Übergänge: Flussdiagramm je Gebiet und gesamt, „ohne Anschluss“ über die Zeit, Karte einer Quote, Hagen-Analyse."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from berichte import uebergaenge as ueb
from berichte.sankey_svg import sankey_svg, sankey_tabelle
from berichte.sitzung import MAX_TITEL, Ansicht
from kommune.format import eindeutige_namen, indikator_bezeichnung, mehrzahl, zahl
from kommune.geheimhaltungsregeln import regeln_fuer
from kommune.uebergaenge import GESAMT, tabelle_konf
from oberflaeche.ablauf import hinzufuegen_knopf
from oberflaeche.auswahl import seitenleiste
from oberflaeche.bausteine import indikator_optionen, quellen_zeigen
from oberflaeche.export import csv_bytes, xlsx_bytes
from oberflaeche.kartenblock import Darstellung, karte_zeigen
from oberflaeche.kartenkomponente import kartenhoehe
from oberflaeche.schutz import wirksame_rolle

EINRICHTEN = """Für diese Kommune sind keine Übergänge eingerichtet. So geht es: eine Tabelle (CSV mit „;“ oder XLSX)
mit den Spalten `gebiet_id`, `periode`, `von`, `nach`, `anzahl` in den Datenordner legen und in der
`kommune.toml` eintragen:

```toml
[[uebergaenge]]
id = "uebertritt"
name = "Übertritt nach der Grundschule"
datei = "uebertritte.csv"
ebene = "viertel"                  # feinste Ebene der Tabelle
ohne_anschluss = ["ohne Anschluss"] # Ziele, die als „ohne Anschluss“ zählen
```

Einzelheiten: docs/kommune-format.md, Abschnitt „Übergänge“."""

#: Ziele, die die Hagen-Analyse neben dem Gymnasium vorschlägt (die „andere Seite“ des Gefälles)
GEGENPOL = ("Hauptschule", "Mittelschule", "Gesamtschule", "Förderschule", "ohne Anschluss")


def _hagen_vorgabe(ziele: list[str]) -> list[str]:
    """Gymnasium (oder das größte Ziel) und ein Gegenpol, wenn vorhanden."""
    erstes = "Gymnasium" if "Gymnasium" in ziele else (ziele[0] if ziele else None)
    zweites = next((z for z in GEGENPOL if z in ziele and z != erstes), None)
    return [z for z in (erstes, zweites) if z]


def _aus_adresse() -> dict[str, str]:
    """Einmal je Sitzung: `?tabelle=…&von=…&nach=…&periode=…` (Deep Link, auch aus dem Sitzungsmodus) als
    Vorauswahl der Felder; was es nicht gibt, übergehen die Felder (sie nehmen nur ihre eigenen Optionen)."""
    if st.session_state.get("_ueb_url_gelesen"):
        return {}
    st.session_state["_ueb_url_gelesen"] = True
    return {k: str(st.query_params[k]) for k in ("tabelle", "periode", "von", "nach") if k in st.query_params}


def _index(optionen: list, wunsch: object, sonst: int = 0) -> int:
    return optionen.index(wunsch) if wunsch in optionen else sonst


auswahl = seitenleiste()
st.title("Übergänge")
if auswahl is None:
    st.stop()
kommune = auswahl.kommune
rolle = wirksame_rolle()
konf = kommune.konfiguration
if not konf.uebergaenge:
    st.info(EINRICHTEN)
    st.stop()
tabellen = ueb.tabellen(kommune)
if not tabellen:
    st.info("Die Übergangstabellen aus der kommune.toml enthalten keine Zeilen.")
    st.stop()

namen_tab = dict(tabellen)
wunsch_url = _aus_adresse()
a, b, c, d = st.columns([3, 1, 2, 3])
tid = a.selectbox(
    "Übergangstabelle",
    list(namen_tab),
    index=_index(list(namen_tab), wunsch_url.get("tabelle")),
    format_func=namen_tab.__getitem__,
    key="ueb_tabelle",
)
tk = tabelle_konf(konf, tid)
perioden = ueb.perioden(kommune, tid)
periode = b.selectbox(
    "Periode", perioden, index=_index(perioden, wunsch_url.get("periode"), len(perioden) - 1), key=f"ueb_periode_{tid}"
)
ebenen = ueb.ebenen(kommune, tid)
ebene = auswahl.ebene if auswahl.ebene in ebenen else ebenen[0]
ebene = c.selectbox(
    "Ebene", ebenen, index=ebenen.index(ebene), format_func=lambda e: kommune.schicht(e).name, key=f"ueb_ebene_{tid}"
)
schicht = kommune.schicht(ebene)
namen = pd.Series(eindeutige_namen(kommune.gebiete[ebene]["name"])).sort_values()
optionen = [GESAMT, *namen.index]
wunsch = st.session_state.get("wahl_gebiet")
gebiet = d.selectbox(
    "Gebiet",
    optionen,
    index=optionen.index(wunsch) if wunsch in optionen else 0,
    format_func=lambda g: f"{konf.gesamtgebiet} (gesamt)" if g == GESAMT else namen[g],
    key=f"ueb_gebiet_{tid}_{ebene}",
)
ort = konf.gesamtgebiet if gebiet == GESAMT else str(namen[gebiet])
zellen = ueb.zellen(kommune, tid, GESAMT if gebiet == GESAMT else ebene, periode, rolle=rolle)
gesamt_zellen = ueb.zellen(kommune, tid, GESAMT, periode, rolle=rolle)
reihenfolge = tuple(
    gesamt_zellen.zellen.groupby("nach")["anzahl"].sum().sort_values(ascending=False, kind="stable").index
)

st.subheader(f"{tk.name}: {ort}, {periode}")
st.markdown(
    sankey_svg(
        zellen,
        gebiet,
        titel=f"{tk.name} – {ort} ({periode})",
        ohne_anschluss=tk.ohne_anschluss,
        reihenfolge=reihenfolge,
    ),
    unsafe_allow_html=True,
)
if rolle != "admin":
    teil = zellen.zellen[zellen.zellen["gebiet"] == gebiet]
    n_gesperrt = int(teil["gesperrt"].sum())
    if n_gesperrt:
        st.caption(
            f"{n_gesperrt} von {len(teil)} Zellen gesperrt (Geheimhaltung: weniger als "
            f"{regeln_fuer(kommune).mindestfallzahl} Personen, oder sie ließen sich aus einer Summe errechnen); "
            "das graue Band fasst sie zusammen."
        )
st.markdown("**Tabelle zum Flussdiagramm**")
st.dataframe(sankey_tabelle(zellen, gebiet), hide_index=True, width="stretch")

if tk.ohne_anschluss:
    st.subheader("Anteil ohne Anschluss über die Zeit")
    reihe = ueb.ohne_anschluss_reihe(kommune, tid, GESAMT if gebiet == GESAMT else ebene, gebiet, rolle=rolle)
    if reihe.empty:
        st.info("Für dieses Gebiet liegen keine Perioden vor.")
    else:
        st.altair_chart(
            ueb.ohne_anschluss_diagramm(
                reihe, titel=f"Anteil ohne Anschluss ({', '.join(tk.ohne_anschluss)}) – {ort}", stand=""
            ),
            width="stretch",
        )
        st.dataframe(
            pd.DataFrame(
                {
                    "Periode": reihe["periode"],
                    "ohne Anschluss": [
                        ueb.GESPERRT if g else zahl(v, 0) for v, g in zip(reihe["ohne"], reihe["gesperrt"], strict=True)
                    ],
                    "alle": [
                        ueb.GESPERRT if g else zahl(v, 0)
                        for v, g in zip(reihe["summe"], reihe["gesperrt"], strict=True)
                    ],
                    "Anteil (%)": [
                        ueb.GESPERRT if g else zahl(v, 1)
                        for v, g in zip(reihe["anteil"], reihe["gesperrt"], strict=True)
                    ],
                }
            ),
            hide_index=True,
        )

# -- Karte einer Übergangsquote -----------------------------------------------------------------------------
st.subheader(f"Übergangsquote je {schicht.name}")
alle = ueb.rohzellen(kommune, tid, GESAMT, periode)
herkuenfte = sorted(alle["von"].unique())
k1, k2 = st.columns(2)
von = k1.selectbox("von", herkuenfte, index=_index(herkuenfte, wunsch_url.get("von")), key=f"ueb_von_{tid}")
ziele_von = [n for n in reihenfolge if n in set(alle.loc[alle["von"] == von, "nach"])]
standard = next((n for n in ziele_von if n in tk.ohne_anschluss), None) or next(
    (n for n in ziele_von if n == "Gymnasium"), ziele_von[0] if ziele_von else None
)
if wunsch_url.get("nach") in ziele_von:
    standard = wunsch_url["nach"]
nach = k2.selectbox(
    "nach", ziele_von, index=ziele_von.index(standard) if standard in ziele_von else 0, key=f"ueb_nach_{tid}_{von}"
)
# die gezeigte Quote steht in der Adresse: ein Link öffnet dieselbe Ansicht
for name, wert in (("tabelle", tid), ("von", von), ("nach", nach)):
    if wert is not None:
        st.query_params[name] = wert
if nach is not None:
    quote, gesperrt = ueb.quote_je_gebiet(kommune, tid, ebene, periode, von, nach, rolle=rolle)
    karte_zeigen(
        auswahl,
        quote,
        Darstellung(f"{von} → {nach}", "%", f"Periode {periode}", 1 if nach in tk.ohne_anschluss else 0, 1),
        kommune.angebote.iloc[0:0],
        schluessel="uebergaenge_karte",
        ebene=ebene,
        hoehe=kartenhoehe(300),
        gesperrt=gesperrt,
    )
    hinzufuegen_knopf(
        Ansicht(
            f"{von} → {nach} je {schicht.name}"[:MAX_TITEL],
            "uebergaenge", ebene=ebene, periode=periode, tabelle=tid, von=von, nach=nach,
        ),
        "uebergang_zur_sitzung",
    )

# -- Hagen-Analyse -----------------------------------------------------------------------------------------
st.subheader("Übergänge nach Belastung der Gebiete")
st.caption(
    f"Die {mehrzahl(schicht.name)} werden nach einem Indikator in gleich große Klassen (Quantile) geteilt; je Klasse "
    "zählen die Summen der Gebiete. Verglichen wird die am stärksten mit der am wenigsten belasteten Klasse "
    "(Richtung laut Katalog: höherer Wert = mehr Bedarf)."
)
ids, texte, juengste = indikator_optionen(kommune, periode if periode in kommune.perioden else None)
ids = [i for i in ids if int(kommune.katalog.loc[i, "richtung"]) != 0]
if not ids:
    st.info("Es gibt keinen Indikator mit Richtung (höher = mehr Bedarf) für die Einteilung.")
else:
    h1, h2, h3 = st.columns([3, 1, 3])
    vorgabe = next((i for i in ids if "armut" in i or "sozial" in i), ids[0])
    indikator = h1.selectbox(
        "Belastung nach", ids, index=ids.index(vorgabe), format_func=texte.__getitem__, key="ueb_hagen_indikator"
    )
    k = h2.selectbox("Klassen", [3, 4, 5], index=1, key="ueb_hagen_k")
    ziele_h = h3.multiselect(
        "Ziele",
        ziele_von,
        default=_hagen_vorgabe(ziele_von),
        key=f"ueb_hagen_ziele_{tid}_{von}",
        placeholder="Ziele wählen …",
    )
    if ziele_h:
        ip = juengste.get(indikator) or periode
        h = ueb.hagen(kommune, tid, ebene, periode, von, ziele_h, indikator, indikator_periode=ip, k=k, rolle=rolle)
        if h.tabelle.empty:
            st.info(
                f"Zu wenige {mehrzahl(schicht.name)} mit sichtbaren Werten für eine Einteilung"
                + (
                    f" ({h.ausgelassen} wegen Geheimhaltung oder fehlender Werte ausgelassen)."
                    if h.ausgelassen
                    else "."
                )
            )
        else:
            for satz in h.saetze:
                st.markdown(f"**{satz}**")
            name_ind = indikator_bezeichnung(kommune.katalog, indikator)
            st.altair_chart(
                ueb.hagen_diagramm(
                    h, ziele_h, titel=f"{von}: Anteil je Klasse von „{name_ind}“", stand=f"Periode {periode}"
                ),
                width="stretch",
            )
            st.dataframe(ueb.hagen_tabelle(h, ziele_h, name_ind), hide_index=True, width="stretch")
            if h.ausgelassen:
                st.caption(
                    f"{h.ausgelassen} {schicht.name if h.ausgelassen == 1 else mehrzahl(schicht.name)} ausgelassen: "
                    "Indikator oder Zellen gesperrt "
                    "(Geheimhaltung) oder keine Daten."
                )

# -- Export ------------------------------------------------------------------------------------------------
if not st.session_state.get("geheimhaltung_erzwungen"):
    export = ueb.export_tabelle(kommune, ueb.zellen(kommune, tid, ebene, periode, rolle=rolle), ebene, periode)
    hinweis = f"{tk.name}, {schicht.name}, Periode {periode}. Gesperrte Zellen (Geheimhaltung) stehen als „.“."
    e1, e2 = st.columns(2)
    e1.download_button(
        "Tabelle als CSV", lambda: csv_bytes(export), f"uebergaenge_{tid}_{ebene}_{periode}.csv", "text/csv",
        key="ueb_csv",
    )  # fmt: skip
    e2.download_button(
        "Tabelle als Excel", lambda: xlsx_bytes(export, "Übergänge", hinweis),
        f"uebergaenge_{tid}_{ebene}_{periode}.xlsx", key="ueb_xlsx",
    )  # fmt: skip
quellen_zeigen(kommune, [tk.quelle, schicht.quelle])

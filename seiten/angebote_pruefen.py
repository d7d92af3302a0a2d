"""Angebote prüfen (Bildungsbüro): Vorschläge der Träger annehmen oder mit Grund ablehnen, Stand-Abfrage,
Lieferungen ins Register übernehmen. Jede Übernahme wird eine neue Datenversion mit Protokolleintrag."""

from __future__ import annotations

import os
from urllib.parse import urlencode

import streamlit as st

from berichte.sitzung import (
    OEFFENTLICHE_URL_VARIABLE,
    SitzungsFehler,
    basis_url_aus_konfiguration,
    kommune_parameter,
    link_basis,
)
from kommune import angebotspflege as pflege
from kommune.ablage import ablage
from kommune.angebotsregister import datum_text, felder_tabelle, register_xlsx
from kommune.fehler import KommuneFehler
from kommune.format import zahl
from oberflaeche.angebotsformular import vorschlagsliste
from oberflaeche.auswahl import seitenleiste
from oberflaeche.bausteine import datei_hochladen
from oberflaeche.export import csv_bytes
from oberflaeche.laden import kommune_holen

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

auswahl = seitenleiste()
st.title("Angebote prüfen")
if auswahl is None:
    st.stop()
kid = auswahl.kommune_id
kommune = kommune_holen(kid)
konf = kommune.konfiguration
if konf.angebotsregister is None:
    st.info(
        "Diese Kommune führt kein Angebotsregister. Ergänzen Sie in der kommune.toml einen Abschnitt "
        "[angebotsregister] mit datei = \"angebotsregister.csv\" (siehe docs/angebotsregister.md)."
    )
    st.stop()
nutzer = st.session_state.get("benutzer") or "Demo-Modus"
register = pflege.register_aus_kommune(kommune)
offen = pflege.offene(ablage(), kid)
meldung = st.session_state.pop("ap_meldung", None)
if meldung:
    st.success(meldung)


def entscheiden(annehmen: list[str], ablehnen: dict[str, str]) -> None:
    """Entscheidungen übernehmen; Fehler als deutsche Meldung, dann neu laufen."""
    try:
        version = pflege.entscheiden(ablage(), kid, kommune, annehmen, ablehnen, nutzer)
    except KommuneFehler as e:
        st.error(e.text)
        return
    teile = [f"{zahl(len(annehmen), 0)} angenommen" if annehmen else "", f"{zahl(len(ablehnen), 0)} abgelehnt"
             if ablehnen else ""]  # fmt: skip
    st.session_state["ap_meldung"] = (
        ", ".join(t for t in teile if t) + (f" – neue Datenversion {version}." if version else ".")
    )
    st.rerun()


st.caption(f"{zahl(len(register), 0)} Angebote im Register · {zahl(len(offen), 0)} Vorschläge offen")
tab_vor, tab_stand, tab_lief, tab_verlauf = st.tabs(
    ["Vorschläge", "Stand-Abfrage", "Lieferung übernehmen", "Verlauf"], key="ap_reiter", on_change="rerun"
)

with tab_vor:
    if not offen:
        st.info("Keine offenen Vorschläge.")
    else:
        bestaetigungen = [v.id for v in offen if v.art == "bestaetigen"]
        if bestaetigungen and st.button(
            f"Alle {zahl(len(bestaetigungen), 0)} Bestätigungen annehmen", key="ap_bestaetigungen", type="primary"
        ):
            entscheiden(bestaetigungen, {})
        traeger = pflege.traeger_liste(register)
        for v in offen:
            name = str(v.werte.get("name") or v.angebot_id)
            kopf = (f"{pflege.ARTEN[v.art]} · {traeger.get(v.traeger_id, v.traeger_id)} · {name} · "
                    f"{datum_text(v.am[:10])}, {v.von}")  # fmt: skip
            with st.expander(kopf, expanded=len(offen) <= 3):
                diff = pflege.unterschiede(v, pflege.angebot_werte(register, v.angebot_id))
                if diff.empty:
                    st.caption("Keine inhaltliche Änderung (nur die Bestätigung).")
                else:
                    if (diff["seitdem geändert"] == "ja").any():
                        st.warning("Das Angebot wurde seit dem Einreichen geändert (Spalte „seitdem geändert“).")
                    st.dataframe(diff, hide_index=True, width="stretch")
                c1, c2, c3 = st.columns([1, 3, 1])
                if c1.button("Annehmen", key=f"ap_an_{v.id}", type="primary"):
                    entscheiden([v.id], {})
                grund = c2.text_input("Grund der Ablehnung", key=f"ap_grund_{v.id}", placeholder="z. B. Adresse fehlt")
                if c3.button("Ablehnen", key=f"ap_ab_{v.id}"):
                    if grund.strip():
                        entscheiden([], {v.id: grund})
                    else:
                        st.error("Bitte einen Grund für die Ablehnung angeben (der Träger sieht ihn).")

with tab_stand:
    monate = int(st.number_input("Nachfragen nach Monaten ohne Bestätigung", 1, 120, konf.angebotsregister.monate,
                                 key="ap_monate"))  # fmt: skip
    uebersicht = pflege.stand_abfrage(register, monate)
    if uebersicht.empty:
        st.success(f"Alle Angebote wurden in den letzten {monate} Monaten bestätigt.")
    else:
        st.dataframe(uebersicht.drop(columns="traeger_id"), hide_index=True, width="stretch")
        namen = dict(zip(uebersicht["traeger_id"], uebersicht["Träger"], strict=True))
        tid = st.selectbox("Anschreiben für", list(namen), format_func=namen.__getitem__, key="ap_stand_traeger")
        angebote = pflege.faellig(pflege.eigene(register, tid), monate)
        try:
            basis = link_basis(st.context.url, umgebung=os.environ.get(OEFFENTLICHE_URL_VARIABLE),
                               konfiguriert=basis_url_aus_konfiguration(kommune), seite="meine-angebote")  # fmt: skip
        except SitzungsFehler:
            basis = link_basis(st.context.url, seite="meine-angebote")
        parameter = urlencode(kommune_parameter(kid))
        adresse = basis.adresse + (f"?{parameter}" if parameter else "") if basis.teilbar else ""
        st.text_area("Text zum Versenden", pflege.stand_abfrage_text(namen[tid], angebote, monate, adresse),
                     height=260, key=f"ap_text_{tid}_{monate}")  # fmt: skip
        if not basis.teilbar:
            st.caption("Ohne öffentliche Adresse (BILDUNGSMONITOR_OEFFENTLICHE_URL) enthält der Text keinen Link.")
        st.download_button("Fällige Angebote als CSV", pflege.stand_abfrage_csv(angebote),
                           f"stand_abfrage_{tid}.csv", "text/csv", key="ap_stand_csv",
                           icon=":material/download:")  # fmt: skip

with tab_lief:
    st.markdown(
        "Eine Angebotsliste (XLSX, CSV mit `;`, GeoJSON oder GeoPackage mit Punkten) wird Zeile für Zeile geprüft. "
        "Gleiche Angebots-ID ersetzt das Angebot, neue kommen hinzu, nichts wird gelöscht. Ohne Koordinaten "
        "braucht jede Zeile einen Gebietsschlüssel."
    )
    d1, d2 = st.columns(2)
    d1.download_button("Register (XLSX, mit Feldbeschreibung)", register_xlsx(register), "angebotsregister.xlsx",
                       XLSX, key="ap_register", icon=":material/download:")  # fmt: skip
    d2.download_button("Feldbeschreibung (CSV)", csv_bytes(felder_tabelle()), "angebotsregister_felder.csv",
                       "text/csv", key="ap_felder", icon=":material/download:")  # fmt: skip
    datei = datei_hochladen(st, "Angebotsliste", ["xlsx", "csv", "geojson", "json", "gpkg"], key="ap_lieferung")
    if datei is not None:
        lieferung = pflege.lieferung_aus_bytes(datei.getvalue(), datei.name, kommune)
        st.caption(lieferung.protokoll.zusammenfassung)
        if lieferung.protokoll.befunde:
            st.dataframe(lieferung.protokoll.als_tabelle(), hide_index=True, width="stretch")
        n = len(lieferung.register)
        if n and st.button(f"{zahl(n, 0)} fehlerfreie Angebote ins Register übernehmen", key="ap_uebernehmen",
                           type="primary"):  # fmt: skip
            try:
                version, z = pflege.register_uebernehmen(ablage(), kid, kommune, lieferung, nutzer)
            except KommuneFehler as e:
                st.error(e.text)
            else:
                st.session_state["ap_meldung"] = (
                    f"Neue Datenversion {version}: vorher {zahl(z['vorher'], 0)} Angebote, {zahl(z['ersetzt'], 0)} "
                    f"ersetzt, {zahl(z['neu'], 0)} neu, nachher {zahl(z['nachher'], 0)}."
                )
                st.rerun()

with tab_verlauf:
    erledigt = [v for v in pflege.vorschlaege_lesen(ablage(), kid) if v.status != pflege.OFFEN]
    if not erledigt:
        st.info("Noch keine Entscheidungen.")
    else:
        st.dataframe(vorschlagsliste(list(reversed(erledigt)), pflege.ARTEN), hide_index=True, width="stretch")

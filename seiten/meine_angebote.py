"""Meine Angebote (Träger): eigene Angebote ansehen, ändern, bestätigen, neu anlegen; XLSX hin und zurück.

Ein Träger-Konto sieht nur Angebote mit seiner Träger-ID (aus der Anmeldung, nie aus der Adresse oder einem
Eingabefeld). Verwaltung und Administration wählen den Träger, in dessen Auftrag sie eintragen.
"""

from __future__ import annotations

import streamlit as st

from kommune import angebotspflege as pflege
from kommune.ablage import ablage
from kommune.angebotsregister import register_xlsx
from kommune.fehler import KommuneFehler
from kommune.format import zahl
from oberflaeche.angebotsformular import angebotsliste, fehler_zeigen, formular, vorschlagsliste
from oberflaeche.auswahl import seitenleiste
from oberflaeche.bausteine import datei_hochladen
from oberflaeche.laden import kommune_holen
from oberflaeche.zugang import anmelderolle, traeger_der_sitzung

auswahl = seitenleiste()
st.title("Meine Angebote")
if auswahl is None:
    st.stop()
kid = auswahl.kommune_id
kommune = kommune_holen(kid)  # immer der aktive Stand: geändert wird, was gilt
konf = kommune.konfiguration
if konf.angebotsregister is None:
    st.info("Diese Kommune führt kein Angebotsregister. Das Bildungsbüro richtet es mit [angebotsregister] ein.")
    st.stop()
register = pflege.register_aus_kommune(kommune)
alle_traeger = pflege.traeger_liste(register)
nutzer = st.session_state.get("benutzer") or ("Demo-Modus" if anmelderolle() != "traeger" else "Träger")
traeger_id = traeger_der_sitzung()
if anmelderolle() == "traeger":
    if not traeger_id:
        st.warning("Ihrem Konto ist kein Träger zugeordnet. Bitte wenden Sie sich an das Bildungsbüro.")
        st.stop()
    st.caption(f"Angemeldet für: {alle_traeger.get(traeger_id, traeger_id)}")
else:
    if not alle_traeger:
        st.info("Im Register steht noch kein Träger. Angebote kommen über „Angebote prüfen“ → Lieferung hinein.")
        st.stop()
    traeger_id = st.selectbox("Im Auftrag von (Träger)", list(alle_traeger), format_func=alle_traeger.__getitem__,
                              key="ma_traeger")  # fmt: skip
eigen = pflege.eigene(register, traeger_id).reset_index(drop=True)
offen = pflege.offene(ablage(), kid, traeger_id)
faellig = pflege.faellig(eigen, konf.angebotsregister.monate)
meldung = st.session_state.pop("ma_meldung", None)
if meldung:
    st.success(meldung)


def einreichen(vorschlaege: list[pflege.Vorschlag], text: str) -> None:
    """Einreichen, Meldung merken und neu laufen (die Liste zeigt dann „Vorschlag in Prüfung“)."""
    try:
        n = pflege.einreichen(ablage(), kid, vorschlaege)
    except KommuneFehler as e:
        st.error(e.text)
        return
    st.session_state["ma_meldung"] = f"{text} ({zahl(n, 0)} eingereicht). Das Bildungsbüro prüft und übernimmt."
    st.rerun()


k1, k2, k3 = st.columns(3)
k1.metric("Angebote", zahl(len(eigen), 0))
k2.metric(f"Bestätigung fällig (über {konf.angebotsregister.monate} Monate)", zahl(len(faellig), 0))
k3.metric("Vorschläge in Prüfung", zahl(len(offen), 0))
tab_liste, tab_neu, tab_tabelle, tab_verlauf = st.tabs(
    ["Angebote", "Neues Angebot", "Tabelle (XLSX)", "Vorschläge"], key="ma_reiter", on_change="rerun"
)  # mit Schlüssel: nach dem Hochladen bleibt der Reiter offen

with tab_liste:
    if eigen.empty:
        st.info("Für diesen Träger steht noch kein Angebot im Register. Legen Sie eines unter „Neues Angebot“ an.")
    else:
        offen_ids = {v.angebot_id for v in offen}
        st.dataframe(angebotsliste(eigen, set(faellig["id"].astype(str)), offen_ids), hide_index=True,
                     width="stretch", column_config={"ID": None})  # fmt: skip
        ohne = [a for a in faellig["id"].astype(str) if a not in offen_ids]
        if ohne and st.button(f"Alle {zahl(len(ohne), 0)} fälligen Angebote unverändert bestätigen", key="ma_alle"):
            vs = [pflege.vorschlag_bilden(kommune, traeger_id, "bestaetigen", {}, nutzer, a)[0] for a in ohne]
            einreichen([v for v in vs if v is not None], "Bestätigungen eingereicht")
        ids = eigen["id"].astype(str).tolist()
        wunsch = st.query_params.get("angebot")
        if wunsch and wunsch not in ids:
            st.warning("Dieses Angebot gibt es nicht oder es gehört nicht zu Ihrem Träger.")
        namen = dict(zip(ids, eigen["name"].astype(str), strict=True))
        aid = st.selectbox("Angebot bearbeiten", ids, index=ids.index(wunsch) if wunsch in ids else 0,
                           format_func=namen.__getitem__, key=f"ma_wahl_{traeger_id}")  # fmt: skip
        vorher = pflege.angebot_werte(eigen, aid)
        b1, b2 = st.columns(2)
        if b1.button("Unverändert bestätigen", key="ma_bestaetigen", type="primary"):
            v, _ = pflege.vorschlag_bilden(kommune, traeger_id, "bestaetigen", {}, nutzer, aid)
            if v is not None:
                einreichen([v], "Bestätigung eingereicht")
        if b2.button("Löschen beantragen", key="ma_loeschen"):
            v, _ = pflege.vorschlag_bilden(kommune, traeger_id, "loeschen", {}, nutzer, aid)
            if v is not None:
                einreichen([v], "Löschung beantragt")
        # die Karte der Ortswahl nur im sichtbaren Reiter (verborgen hätte sie keine Größe und stünde doppelt)
        werte = formular(kommune, vorher, f"ma_form_{aid}", "Änderung einreichen", kid if tab_liste.open else "")
        if werte is not None:
            v, fehler = pflege.vorschlag_bilden(kommune, traeger_id, "aendern", werte, nutzer, aid)
            if v is None:
                fehler_zeigen(fehler)
            else:
                einreichen([v], "Änderung eingereicht" if v.art == "aendern" else "Keine Änderung – als Bestätigung")

with tab_neu:
    werte = formular(
        kommune, {"lage": "gebiet"}, f"ma_neu_{traeger_id}", "Neues Angebot einreichen", kid if tab_neu.open else ""
    )
    if werte is not None:
        v, fehler = pflege.vorschlag_bilden(kommune, traeger_id, "neu", werte, nutzer)
        if v is None:
            fehler_zeigen(fehler)
        else:
            einreichen([v], "Neues Angebot eingereicht")

with tab_tabelle:
    st.markdown(
        "Laden Sie Ihre Angebote als Tabelle herunter, ändern Sie sie in Excel oder LibreOffice und laden Sie die "
        "Datei wieder hoch. Nur geänderte und neue Zeilen (ohne Angebots-ID) werden Vorschläge; das Blatt "
        "„Felder“ erklärt jede Spalte."
    )
    st.download_button("Meine Angebote (XLSX)", register_xlsx(eigen), f"angebote_{traeger_id}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="ma_xlsx",
                       icon=":material/download:")  # fmt: skip
    datei = datei_hochladen(st, "Geänderte Tabelle hochladen", ["xlsx", "csv"], key="ma_upload")
    if datei is not None:
        lieferung = pflege.lieferung_aus_bytes(datei.getvalue(), datei.name, kommune)
        st.caption(lieferung.protokoll.zusammenfassung)
        if lieferung.protokoll.befunde:
            st.dataframe(lieferung.protokoll.als_tabelle(), hide_index=True, width="stretch")
        vorschlaege, meldungen = pflege.vorschlaege_aus_lieferung(kommune, traeger_id, lieferung, nutzer)
        for m in meldungen[:20]:
            st.warning(m)
        if not vorschlaege:
            st.info("Die Tabelle enthält keine Änderung an Ihren Angeboten.")
        elif st.button(f"{zahl(len(vorschlaege), 0)} Änderungen einreichen", key="ma_upload_einreichen",
                       type="primary"):  # fmt: skip
            einreichen(vorschlaege, "Änderungen aus der Tabelle eingereicht")

with tab_verlauf:
    eigene_vorschlaege = [v for v in pflege.vorschlaege_lesen(ablage(), kid) if v.traeger_id == traeger_id]
    if not eigene_vorschlaege:
        st.info("Noch keine Vorschläge.")
    else:
        st.dataframe(vorschlagsliste(list(reversed(eigene_vorschlaege)), pflege.ARTEN), hide_index=True,
                     width="stretch")  # fmt: skip

"""Seitenleiste (Kommune, Stand, Ebene) und ihr Abgleich mit den URL-Parametern (Deep Links)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st

from kommune.ablage import ablage
from kommune.laden import Kommune
from oberflaeche.laden import fehlertext, kommune_holen, verfuegbare_kommunen
from oberflaeche.rollen import rang
from oberflaeche.schutz import wirksame_rolle

NEUESTER = "neuester Stand"
URL_SCHLUESSEL = ("kommune", "ebene", "periode", "indikator", "gebiet", "version")


@dataclass(frozen=True)
class Auswahl:
    """Was in der Seitenleiste gewählt ist."""

    kommune_id: str
    kommune: Kommune
    ebene: str
    periode: str | None  # None = je Indikator der neueste Stand


def url_uebernehmen() -> None:
    """Beim ersten Lauf einer Sitzung die URL-Parameter in den Sitzungszustand übernehmen."""
    if st.session_state.get("_url_gelesen"):
        return
    st.session_state["_url_gelesen"] = True
    for schluessel in URL_SCHLUESSEL:
        if schluessel in st.query_params:
            st.session_state[f"wahl_{schluessel}"] = st.query_params[schluessel]


def url_setzen(**werte: str | None) -> None:
    """Den sichtbaren Zustand in die URL schreiben, damit jede Ansicht verlinkbar ist."""
    for schluessel, wert in werte.items():
        st.session_state[f"wahl_{schluessel}"] = wert
        if wert:
            st.query_params[schluessel] = wert
        elif schluessel in st.query_params:
            del st.query_params[schluessel]


def _datenstand_waehlen(kommune_id: str) -> str:
    """Datenstand (importierte Version) wählen, wenn es welche gibt; in der URL als `version` festgehalten.

    Nur ab der Rolle „intern“: Öffentlich (und im Sitzungsmodus) gilt immer der veröffentlichte, aktive
    Stand. Zwei Stände mit verschieden gesetzten Sekundärsperren nebeneinander ließen sonst gesperrte
    Werte errechnen.
    """
    if rang(wirksame_rolle()) < rang("intern"):
        if st.session_state.get("wahl_version") not in (None, "", "aktiv"):
            st.sidebar.info(
                "Ältere Datenstände sind nur nach Anmeldung (Verwaltung) sichtbar; gezeigt wird der aktuelle."
            )
        url_setzen(version=None)
        return "aktiv"

    try:
        versionen = [str(v.get("id")) for v in ablage().versionen(kommune_id)]
    except Exception:
        versionen = []
    if not versionen:
        return "aktiv"
    optionen = ["aktiv", *reversed(versionen), "original"]
    wunsch = st.session_state.get("wahl_version") or "aktiv"
    version = st.sidebar.selectbox(
        "Datenstand",
        optionen,
        index=optionen.index(wunsch) if wunsch in optionen else 0,
        format_func=lambda v: {"aktiv": "aktueller Stand", "original": "ursprüngliche Dateien"}.get(v, f"Version {v}"),
        key=f"sb_version_{kommune_id}",
        help="Eine Ansicht auf einen Datenstand festlegen (steht dann im Link).",
    )
    url_setzen(version=None if version == "aktiv" else version)
    return version


def seitenleiste() -> Auswahl | None:
    """Kommune, Stand und Ebene wählen; None, wenn die Kommune nicht geladen werden konnte."""
    url_uebernehmen()
    kommunen = verfuegbare_kommunen()
    if not kommunen:
        st.error("Die eingestellte Ablage enthält keine Kommune (Datenbank: `python -m kommune db uebernehmen …`).")
        return None
    standard = os.environ.get("BILDUNGSMONITOR_KOMMUNE", "musterstadt")
    ersatz = (
        standard if standard in kommunen else ("musterstadt" if "musterstadt" in kommunen else next(iter(kommunen)))
    )
    gewuenscht = st.session_state.get("wahl_kommune") or standard
    if gewuenscht not in kommunen:
        if st.session_state.get("wahl_kommune"):
            st.sidebar.warning(f"Die Kommune „{gewuenscht}“ ist nicht verfügbar; {kommunen[ersatz]} wird gezeigt.")
        gewuenscht = ersatz
    ids = list(kommunen)
    kommune_id = st.sidebar.selectbox(
        "Kommune", ids, index=ids.index(gewuenscht), format_func=kommunen.__getitem__, key="sb_kommune"
    )
    if kommune_id != st.session_state.get("wahl_kommune"):
        # Andere Kommune: Ebene, Indikator und Gebiet gelten nicht mehr
        for s in ("ebene", "indikator", "gebiet"):
            if st.session_state.get("wahl_kommune"):
                st.session_state.pop(f"wahl_{s}", None)
        st.session_state["wahl_kommune"] = kommune_id
    version = _datenstand_waehlen(kommune_id)
    try:
        kommune = kommune_holen(kommune_id, version)
    except Exception as e:
        st.error(f"Die Kommune konnte nicht geladen werden. {fehlertext(e)}")
        return None

    schichten = kommune.konfiguration.schichten
    schicht_ids = [s.id for s in schichten]
    namen = {s.id: f"{s.name} ({len(kommune.gebiete[s.id])})" for s in schichten}
    ebene_wunsch = st.session_state.get("wahl_ebene") or kommune.konfiguration.standard_ebene or schicht_ids[0]
    if ebene_wunsch not in schicht_ids:
        ebene_wunsch = schicht_ids[0]
    ebene = st.sidebar.selectbox(
        "Ebene",
        schicht_ids,
        index=schicht_ids.index(ebene_wunsch),
        format_func=namen.__getitem__,
        key=f"sb_ebene_{kommune_id}",
        help="Statistische Ebenen und Einzugsbereiche (z. B. Einschulbereiche)",
    )
    perioden = [NEUESTER, *reversed(kommune.perioden)]
    periode_wunsch = st.session_state.get("wahl_periode") or NEUESTER
    if periode_wunsch not in perioden:
        periode_wunsch = NEUESTER
    periode = st.sidebar.selectbox(
        "Stand (Periode)",
        perioden,
        index=perioden.index(periode_wunsch),
        key=f"sb_periode_{kommune_id}",
        help="„neuester Stand“ zeigt je Indikator die jüngsten verfügbaren Werte.",
    )
    if st.session_state.get("wahl_ebene") not in (None, ebene):
        url_setzen(gebiet=None)
    url_setzen(kommune=kommune_id, ebene=ebene, periode=None if periode == NEUESTER else periode)
    return Auswahl(kommune_id, kommune, ebene, None if periode == NEUESTER else periode)

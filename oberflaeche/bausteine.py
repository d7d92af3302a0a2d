"""Wiederkehrende Bausteine der Seiten: Indikatorwahl, Quellenangaben, Fehlermeldungen."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from kommune.laden import Kommune
from kommune.werte import neueste_periode
from oberflaeche.auswahl import url_setzen


def indikator_beschriftung(kommune: Kommune, indikator: str) -> str:
    """„Kinderarmut (S4)“-artige Beschriftung mit Einheit."""
    e = kommune.katalog.loc[indikator]
    return f"{e['name']} [{indikator}]"


def indikator_waehlen(kommune: Kommune, periode: str | None, label: str = "Indikator") -> tuple[str, str] | None:
    """Indikator wählen (nach Thema sortiert); gibt (ID, Periode) oder None zurück."""
    vorhanden = set(kommune.indikatoren["indikator"])
    katalog = kommune.katalog[kommune.katalog.index.isin(vorhanden)]
    if periode:
        katalog = katalog[[neueste_periode(kommune, i, periode) is not None for i in katalog.index]]
    if katalog.empty:
        st.info("Für diesen Stand liegen keine Indikatoren vor.")
        return None
    ids = katalog.sort_values(["thema", "name"]).index.tolist()
    wunsch = st.session_state.get("wahl_indikator")
    if wunsch not in ids:
        wunsch = next((i for i in ids if kommune.katalog.loc[i, "richtung"] == 1), ids[0])
    indikator = st.selectbox(
        label,
        ids,
        index=ids.index(wunsch),
        format_func=lambda i: (
            f"{kommune.katalog.loc[i, 'thema'] or 'ohne Thema'} · {indikator_beschriftung(kommune, i)}"
        ),
        key=f"indikator_{kommune.name}",
    )
    url_setzen(indikator=indikator)
    return indikator, neueste_periode(kommune, indikator, periode) or ""


def quellen_zeigen(kommune: Kommune, quelle_ids: Iterable[str]) -> None:
    """Lizenz und Namensnennung jeder genannten Quelle als Bildunterschrift."""
    zeilen = []
    for qid in dict.fromkeys(q for q in quelle_ids if q):
        q = kommune.konfiguration.quelle(qid)
        if q:
            zeilen.append(f"{q.titel}: {q.namensnennung}, Lizenz {q.lizenz}")
    if zeilen:
        st.caption("Quellen: " + " · ".join(zeilen))

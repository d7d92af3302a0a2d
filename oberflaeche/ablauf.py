"""Einen Sitzungsablauf in der App zusammenstellen: Ansichten von Karte und Profil sammeln."""

from __future__ import annotations

import streamlit as st

from berichte.sitzung import Ansicht, SitzungsFehler

SCHLUESSEL = "eigener_ablauf"


def eigener_ablauf() -> list[Ansicht]:
    """Die in dieser Sitzung gesammelten Ansichten."""
    return list(st.session_state.get(SCHLUESSEL, []))


def hinzufuegen_knopf(ansicht: Ansicht, schluessel: str) -> None:
    """Knopf „Zur Ausschusssitzung hinzufügen“; zeigt, wie viele Ansichten gesammelt sind."""
    gesammelt = eigener_ablauf()
    if st.button(
        "Zur Ausschusssitzung hinzufügen",
        key=schluessel,
        help="Sammelt diese Ansicht für den Sitzungsmodus (dort „Eigener Ablauf“).",
    ):
        try:
            gesammelt.append(ansicht.mit())
        except SitzungsFehler as e:
            st.warning(e.text)
        else:
            st.session_state[SCHLUESSEL] = gesammelt
            st.toast(f"Ansicht {len(gesammelt)} gesammelt: {ansicht.titel}")
    if gesammelt:
        st.caption(f"{len(gesammelt)} Ansichten für die Sitzung gesammelt.")

"""Anmeldung in der Seitenleiste: OIDC (st.login), lokale Benutzerdatei oder gekennzeichneter Demo-Modus."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from kommune.fehler import KommuneFehler
from oberflaeche.rollen import (
    ROLLEN,
    ROLLEN_NAMEN,
    TRAEGER_MUSTER,
    anmelden,
    benutzer_lesen,
    modus,
    rolle_fuer_email,
    traeger_fuer_email,
)

#: Sitzungsschlüssel der Träger-ID (kein Widget nutzt ihn: nur die Anmeldung setzt ihn).
_TRAEGER = "_angemeldeter_traeger"


def anmelderolle() -> str:
    """Die Rolle der Anmeldung (für Seitenrechte; Zahlen schützt `oberflaeche.schutz.wirksame_rolle`)."""
    rolle = st.session_state.get("_anmelderolle", "oeffentlich")
    return rolle if rolle in ROLLEN else "oeffentlich"


def traeger_der_sitzung() -> str:
    """Die Träger-ID der angemeldeten Person (leer, wenn sie kein Träger-Konto hat)."""
    return str(st.session_state.get(_TRAEGER, "") or "")


def _oidc_konfiguriert() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:
        return False


def rolle_ermitteln() -> str:
    """Die Rolle dieser Sitzung; zeigt Anmeldung/Abmeldung in der Seitenleiste. Ohne Anmeldung: öffentlich."""
    art = modus(oidc_konfiguriert=_oidc_konfiguriert())
    if art == "oidc":
        if not st.user.is_logged_in:
            st.sidebar.button("Anmelden", on_click=st.login, key="anmelden_oidc")
            return "oeffentlich"
        pfad = os.environ.get("BILDUNGSMONITOR_ROLLEN")
        bestaetigt = st.user.get("email_verified") in (True, "true", "True")
        rolle = rolle_fuer_email(st.user.get("email"), Path(pfad) if pfad else None, email_bestaetigt=bestaetigt)
        st.session_state[_TRAEGER] = (
            traeger_fuer_email(st.user.get("email"), Path(pfad) if pfad else None, bestaetigt)
            if rolle == "traeger"
            else ""
        )
        st.sidebar.caption(f"Angemeldet: {st.user.get('name') or st.user.get('email')} · {ROLLEN_NAMEN[rolle]}")
        st.sidebar.button("Abmelden", on_click=st.logout, key="abmelden_oidc")
        return rolle
    if art == "lokal":
        if st.session_state.get("rolle") in ROLLEN and st.session_state.get("benutzer"):
            st.sidebar.caption(
                f"Angemeldet: {st.session_state['benutzer']} · {ROLLEN_NAMEN[st.session_state['rolle']]}"
            )
            if st.sidebar.button("Abmelden", key="abmelden_lokal"):
                for k in ("rolle", "benutzer", _TRAEGER):
                    st.session_state.pop(k, None)
                st.rerun()
            return st.session_state["rolle"]
        with st.sidebar.expander("Anmelden"), st.form("anmeldung", clear_on_submit=True):
            name = st.text_input("Benutzername")
            passwort = st.text_input("Passwort", type="password")
            if st.form_submit_button("Anmelden"):
                try:
                    benutzer = benutzer_lesen(Path(os.environ["BILDUNGSMONITOR_BENUTZER"]))
                except KommuneFehler as e:
                    st.error(f"Die Anmeldung ist gesperrt: {e.text}")
                    return "oeffentlich"
                rolle = anmelden(benutzer, name, passwort)
                if rolle:
                    st.session_state["rolle"], st.session_state["benutzer"] = rolle, name
                    st.session_state[_TRAEGER] = benutzer[name].get("traeger", "") if rolle == "traeger" else ""
                    st.rerun()
                st.error("Benutzername oder Passwort ist falsch.")
        return "oeffentlich"
    if art == "demo":
        st.sidebar.warning(
            "Demo-Modus (BILDUNGSMONITOR_DEMO=1): keine Anmeldung, jede Rolle wählbar. "
            "Nur für Beispieldaten und lokale Vorführungen – nicht für echte Daten."
        )
        vorwahl = os.environ.get("BILDUNGSMONITOR_DEMO_ROLLE", "oeffentlich")
        rolle = st.sidebar.selectbox(
            "Rolle (Vorschau)",
            list(ROLLEN),
            index=ROLLEN.index(vorwahl) if vorwahl in ROLLEN else 0,
            format_func=ROLLEN_NAMEN.__getitem__,
            key="demo_rolle",
        )
        traeger = ""
        if rolle == "traeger":
            traeger = st.sidebar.text_input(
                "Träger-ID (Vorschau)", os.environ.get("BILDUNGSMONITOR_DEMO_TRAEGER", ""), key="demo_traeger"
            ).strip()
        st.session_state[_TRAEGER] = traeger if TRAEGER_MUSTER.match(traeger) else ""
        return rolle
    st.sidebar.caption("Öffentliche Ansicht. Eine Anmeldung ist nicht eingerichtet (siehe README, „Rollen“).")
    st.session_state[_TRAEGER] = ""
    return "oeffentlich"

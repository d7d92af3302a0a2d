"""Wahl einer Gruppenlücke auf der Karte (Schalter, Familie, zwei Gruppen, Maß), mit der URL abgeglichen."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from berichte.gruppen import LUECKEN_PARAMETER, MASSE, LueckenWahl, luecke_aus_adresse
from berichte.gruppen import titel as familie_titel
from kommune.laden import Kommune
from kommune.merkmale import Familie, auspraegung_name

SCHALTER = "karte_luecke"


def _schluessel(indikator: str, f: Familie, a: str | None = None) -> dict[str, str]:
    """Die Widget-Schlüssel der Wahl (je Indikator bzw. Familie, damit ein Wechsel nichts Falsches übernimmt)."""
    return {
        "familie": f"karte_luecke_familie_{indikator}",
        "a": f"karte_luecke_a_{f.basis}_{f.merkmal}",
        "b": f"karte_luecke_b_{f.basis}_{f.merkmal}_{a}",
        "mass": "karte_mass",
    }


def _aus_url(indikator: str, familien: Sequence[Familie], platz: st.delta_generator.DeltaGenerator) -> None:
    """Einmal je Sitzung: eine Lücke aus dem Link als Vorauswahl der Widgets; passt sie nicht, ein Hinweis."""
    if st.session_state.get("_karte_luecke_url_gelesen"):
        return
    st.session_state["_karte_luecke_url_gelesen"] = True
    wunsch = luecke_aus_adresse(st.query_params.to_dict(), familien)
    if isinstance(wunsch, str):
        platz.info(wunsch)
    elif wunsch is not None:
        k = _schluessel(indikator, wunsch.familie, wunsch.a)
        st.session_state[SCHALTER] = True
        st.session_state[k["familie"]] = list(familien).index(wunsch.familie)
        st.session_state[k["a"]], st.session_state[k["b"]] = wunsch.a, wunsch.b
        st.session_state[k["mass"]] = wunsch.mass


def _url_setzen(wahl: LueckenWahl | None) -> None:
    """Die gezeigte Lücke steht im Link (ohne Lücke: keine Lücken-Parameter)."""
    soll = wahl.parameter() if wahl else {}
    for name in LUECKEN_PARAMETER:
        if name in soll:
            if st.query_params.get(name) != soll[name]:
                st.query_params[name] = soll[name]
        elif name in st.query_params:
            del st.query_params[name]


def lueckenwahl(
    kommune: Kommune, indikator: str, familien: Sequence[Familie], platz: st.delta_generator.DeltaGenerator
) -> LueckenWahl | None:
    """Schalter „Lücke zwischen zwei Gruppen“ und, wenn an, die Wahl; None: der Wert selbst wird gezeigt."""
    _aus_url(indikator, familien, platz)
    if not familien or not platz.toggle("Lücke zwischen zwei Gruppen zeigen", key=SCHALTER):
        _url_setzen(None)
        return None
    spalten = platz.columns(4)
    i = spalten[0].selectbox(
        "Aufschlüsselung",
        range(len(familien)),
        format_func=lambda j: familie_titel(kommune, familien[j]),
        key=_schluessel(indikator, familien[0])["familie"],
    )
    f = familien[i]
    a = spalten[1].selectbox(
        "Gruppe", f.auspraegungen, format_func=lambda x: auspraegung_name(kommune, f.merkmal, x),
        key=_schluessel(indikator, f)["a"],
    )
    b = spalten[2].selectbox(
        "verglichen mit",
        [x for x in f.auspraegungen if x != a],
        format_func=lambda x: auspraegung_name(kommune, f.merkmal, x),
        key=_schluessel(indikator, f, a)["b"],
    )
    mass = spalten[3].radio("Maß", list(MASSE), format_func=MASSE.__getitem__, horizontal=True, key="karte_mass")
    wahl = LueckenWahl(f, str(a), str(b), str(mass))
    _url_setzen(wahl)
    return wahl

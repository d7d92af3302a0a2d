"""Geheimhaltung in der Oberfläche: die Rolle der Sitzung (im Sitzungsmodus immer öffentlich) und Sperren.

Diagramme, Kacheln und Berichte (`berichte.*`) bekommen ``rolle=wirksame_rolle()`` und holen ihre Werte
selbst über den einen geschützten Zugriff (`berichte.grundlagen.werte_und_maske`); ohne Rolle rechnen sie
öffentlich. Rohwerte gibt es nur für die Rolle „admin“.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from berichte import grundlagen
from freigabe.geheimhaltung import sperren_reihe
from kommune.laden import Kommune


def wirksame_rolle() -> str:
    """Die Rolle, nach der Werte gezeigt werden: im Sitzungsmodus immer „oeffentlich“."""
    if st.session_state.get("geheimhaltung_erzwungen"):
        return "oeffentlich"
    return str(st.session_state.get("aktive_rolle", "oeffentlich"))


def geschuetzt(
    kommune: Kommune,
    indikator: str,
    ebene: str,
    periode: str | None,
    reihe: pd.Series,
    methode: str = "area",
    rolle: str | None = None,
) -> tuple[pd.Series, pd.Series]:
    """(Werte mit NaN für Gesperrtes, Maske) – über die eine Geheimhaltungsfunktion der Kommune."""
    rolle = rolle or wirksame_rolle()
    werte, maske, _ = sperren_reihe(kommune, indikator, ebene, periode, reihe, rolle, methode=methode)
    return werte, maske


def profil_schuetzen(
    kommune: Kommune, ebene: str, gebiet: str, profil: pd.DataFrame, werte_fn: object = None
) -> pd.DataFrame:
    """Gebiets- und Elternwert, Rang eines Profils für die Rolle der Sitzung schützen (s. `berichte.grundlagen`).

    `werte_fn` bleibt aus Verträglichkeit; die Werte kommen über den einen geschützten Zugriff.
    """
    return grundlagen.profil_schuetzen(kommune, ebene, gebiet, profil, rolle=wirksame_rolle())


def werte_fn_sitzung(methode: str = "area") -> grundlagen.WerteFn:
    """`werte_fn` (Index-Motor, Versorgung) mit den Werten, die die Rolle der Sitzung sehen darf."""
    return grundlagen.werte_fn_fuer(wirksame_rolle(), methode)

"""Geheimhaltung in der Oberfläche: die Rolle der Sitzung (im Sitzungsmodus immer öffentlich) und Sperren."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kommune.geheimhaltung import sperren_reihe
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


def profil_schuetzen(kommune: Kommune, ebene: str, gebiet: str, profil: pd.DataFrame, werte_fn: object) -> pd.DataFrame:
    """Gebiets- und Elternwert eines Profils sperren, wo die Regeln es verlangen (Rang dann auch)."""
    if profil.empty or wirksame_rolle() == "admin":
        return profil
    schicht = kommune.schicht(ebene)
    eltern_id = kommune.gebiete[ebene]["eltern"].get(gebiet) if schicht.eltern else None
    profil = profil.copy()
    profil["gesperrt"] = False
    for i, zeile in profil.iterrows():
        ind, p = zeile["indikator"], zeile["periode"]
        _, maske = geschuetzt(kommune, ind, ebene, p, werte_fn(kommune, ind, ebene, p))
        if bool(maske.get(gebiet, False)):
            profil.loc[i, ["wert", "rang"]] = [float("nan"), None]
            profil.loc[i, "gesperrt"] = True
        if eltern_id is not None:
            _, maske_e = geschuetzt(kommune, ind, schicht.eltern, p, werte_fn(kommune, ind, schicht.eltern, p))
            if bool(maske_e.get(eltern_id, False)):
                profil.loc[i, "eltern"] = float("nan")
    return profil


def sperren_fuer_berichte(kommune: Kommune, periode: str | None = None):
    """`sperren`-Funktion für berichte.* (Series → Series mit NaN): Ebene aus dem Index, Periode wie im Bericht."""
    from kommune.werte import neueste_periode

    rolle = wirksame_rolle()  # jetzt festhalten: die Datei entsteht später in einem eigenen Thread

    def sperren(reihe: pd.Series) -> pd.Series:
        ebene = next((s for s, g in kommune.gebiete.items() if g.index.equals(reihe.index)), None)
        indikator = str(reihe.name)
        if ebene is None or indikator not in kommune.katalog.index:
            return reihe
        p = neueste_periode(kommune, indikator, periode)
        return geschuetzt(kommune, indikator, ebene, p, reihe, rolle=rolle)[0]

    return sperren

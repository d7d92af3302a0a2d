"""Wiederkehrende Bausteine der Seiten: Indikatorwahl, Quellenangaben, Fehlermeldungen."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable
from typing import Any

import streamlit as st

from kommune.format import indikator_bezeichnung, zahl
from kommune.laden import Kommune
from kommune.werte import neueste_periode
from oberflaeche.auswahl import url_setzen


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
            f"{kommune.katalog.loc[i, 'thema'] or 'ohne Thema'} · {indikator_bezeichnung(kommune.katalog, i)}"
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


def zahl_aus_text(text: str) -> float | None:
    """Eine eingetippte Zahl im deutschen Format („60,5“, „1.250“, „−3“); None, wenn es keine ist."""
    from kommune.pruefung import zahl_lesen

    wert, art = zahl_lesen(text, ",")
    return None if art or math.isnan(wert) else wert


def zahl_eingabe(spalte: Any, label: str, vorgabe: float, stellen: int, *, key: str, help: str | None = None) -> float:
    """Ein Zahlenfeld mit Dezimalkomma (Streamlits Zahlenfelder zeigen „60.50“); Unlesbares → Hinweis und Vorgabe."""
    text = spalte.text_input(label, zahl(vorgabe, stellen), key=key, help=help)
    wert = zahl_aus_text(text)
    if wert is None:
        spalte.warning(f"„{text}“ ist keine Zahl; es gilt {zahl(vorgabe, stellen)}.")
        return vorgabe
    return wert


def datei_hochladen(spalte: Any, label: str, typen: list[str], *, key: str, hilfe: str = "") -> Any:
    """`file_uploader` mit deutschen Hinweisen: erlaubte Formate und Größe stehen darunter (Streamlits englische
    Zeile „200MB per file • …“ blendet `app.py` aus; die Schaltfläche selbst lässt sich nicht umbenennen)."""
    grenze = st.get_option("server.maxUploadSize")
    formate = ", ".join(dict.fromkeys(t.upper() for t in typen))
    datei = spalte.file_uploader(
        label,
        type=typen,
        key=key,
        help=(f"{hilfe} " if hilfe else "") + "Datei in das Feld ziehen oder über die Schaltfläche auswählen.",
    )
    spalte.caption(f"Erlaubt: {formate} · höchstens {zahl(grenze, 0)} MB je Datei")
    return datei


def langsame_datei(
    spalte: Any,
    beschriftung: str,
    erzeugen: Callable[[], bytes],
    dateiname: str,
    mime: str,
    *,
    key: str,
    kennung: Hashable,
    wartetext: str,
) -> None:
    """Eine Datei, deren Bau Sekunden dauert: erst „… erstellen“ mit sichtbarer Fortschrittsanzeige, dann der
    Download der fertigen Datei (ohne neuen Seitenlauf).

    Streamlits Download mit aufrufbaren Daten baut erst nach dem Klick und zeigt dabei nur ein kleines Symbol im
    Knopf. `kennung` beschreibt, wofür die Datei gilt (Gebiet, Stand, ROLLE …): ändert sie sich, wird neu erstellt.
    """
    fertig = st.session_state.get(f"_{key}_datei")
    platz = spalte.empty()
    if not (fertig and fertig[0] == kennung):
        if not platz.button(f"{beschriftung} erstellen", key=f"{key}_erstellen", width="stretch"):
            return
        with platz.container(), st.spinner(wartetext):  # ohne show_time: Streamlit schriebe „seconds“
            fertig = (kennung, erzeugen())
        st.session_state[f"_{key}_datei"] = fertig
    platz.download_button(
        f"{beschriftung} herunterladen",
        fertig[1],
        dateiname,
        mime,
        key=key,
        on_click="ignore",
        type="primary",
        icon=":material/download:",
        width="stretch",
    )

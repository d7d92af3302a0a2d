"""Wiederkehrende Bausteine der Seiten: Indikatorwahl, Quellenangaben, Fehlermeldungen."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable
from typing import Any

import streamlit as st

from kommune.format import indikator_bezeichnung, zahl
from kommune.laden import Kommune
from kommune.zwischenspeicher import Objektcache
from oberflaeche.auswahl import url_setzen

#: Auswahllisten der Indikatorwahl je Kommune und Stand (hängen an der Kommune, sterben mit ihr).
_OPTIONEN = Objektcache("oberflaeche.bausteine.indikator_optionen", max_je_objekt=16)


def _perioden_je_indikator(kommune: Kommune) -> dict[str, list[str]]:
    """Je Indikator seine Perioden aufsteigend, in einem Durchgang über die lange Tabelle."""
    df = kommune.indikatoren[["indikator", "periode"]].drop_duplicates()
    return {str(i): sorted(teil.tolist()) for i, teil in df.groupby("indikator", sort=False)["periode"]}


def indikator_optionen(kommune: Kommune, periode: str | None) -> tuple[list[str], dict[str, str], dict[str, str]]:
    """Was die Indikatorwahl anbietet: IDs (nach Thema und Name), Beschriftung und jüngste Periode je ID.

    Nur Indikatoren mit einer Periode bis `periode` (ohne `periode`: mit irgendeiner). Einmal je Kommune und
    Stand berechnet – ein Lauf der Seite schlägt nur noch nach (Berlin: ≈ 0,3 s weniger je Lauf).
    """

    def rechnen() -> tuple[list[str], dict[str, str], dict[str, str]]:
        je = _perioden_je_indikator(kommune)
        juengste = {}
        for i in kommune.katalog.index:
            passend = [p for p in je.get(str(i), []) if periode is None or p <= periode]
            if passend:
                juengste[str(i)] = passend[-1]
        katalog = kommune.katalog[kommune.katalog.index.isin(list(juengste))]
        ids = [str(i) for i in katalog.sort_values(["thema", "name"]).index]
        texte = {
            i: f"{kommune.katalog.loc[i, 'thema'] or 'ohne Thema'} · {indikator_bezeichnung(kommune.katalog, i)}"
            for i in ids
        }
        return ids, texte, juengste

    return _OPTIONEN.holen(kommune, periode, rechnen)


def indikator_waehlen(kommune: Kommune, periode: str | None, label: str = "Indikator") -> tuple[str, str] | None:
    """Indikator wählen (nach Thema sortiert); gibt (ID, Periode) oder None zurück."""
    ids, texte, juengste = indikator_optionen(kommune, periode or None)
    if not ids:
        st.info("Für diesen Stand liegen keine Indikatoren vor.")
        return None
    wunsch = st.session_state.get("wahl_indikator")
    if wunsch not in ids:
        wunsch = next((i for i in ids if kommune.katalog.loc[i, "richtung"] == 1), ids[0])
    indikator = st.selectbox(
        label,
        ids,
        index=ids.index(wunsch),
        format_func=texte.__getitem__,
        key=f"indikator_{kommune.name}",
    )
    url_setzen(indikator=indikator)
    return indikator, juengste.get(indikator, "")


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

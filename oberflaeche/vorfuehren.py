"""Sitzungsmodus mit Vorführung: ein Gerät führt (Seitenleiste), Tablets mit `?folgen=<Code>` folgen.

Die Logik liegt in `berichte.vorfuehrung`; hier nur die Widgets. Folgende Geräte fragen alle
`ABFRAGE_S` Sekunden in einem Fragment nach, ob der Vorführende weitergeschaltet hat, und laufen dann neu –
über den geteilten Zustand der Ablage, also auch, wenn sie an einem anderen App-Server hängen.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from berichte.sitzung import Ansicht, Linkbasis, SitzungsFehler, qr_svg
from berichte.vorfuehrung import (
    FOLGEN_PARAMETER,
    Vorfuehrung,
    code_pruefen,
    folgen_link,
    neuer_code,
    vorfuehrung_lesen,
    vorfuehrung_schreiben,
)
from kommune.ablage import ablage

#: Wie oft ein folgendes Gerät nachfragt (Sekunden); ein Schritt des Vorführenden ist spätestens danach da.
ABFRAGE_S = 2.0
_CODE_SCHLUESSEL = "vorfuehrung_code"


@dataclass(frozen=True)
class Folgen:
    """Ein Gerät, das einer Vorführung folgt: ihr Code und was sie gerade zeigt (None: sie läuft nicht)."""

    code: str
    vorfuehrung: Vorfuehrung | None


def folgen_aus_adresse(kommune_id: str) -> Folgen | None:
    """`?folgen=<Code>` aus der Adresse; None ohne Parameter. Ein ungültiger Code hält die Seite mit Meldung an."""
    roh = st.query_params.get(FOLGEN_PARAMETER)
    if not roh:
        return None
    try:
        code = code_pruefen(roh)
    except SitzungsFehler as e:
        st.error(e.text)
        st.stop()
    return Folgen(code, vorfuehrung_lesen(ablage(), kommune_id, code))


def nachfragen(kommune_id: str, folgen: Folgen) -> None:
    """Im Hintergrund nachfragen; hat der Vorführende weitergeschaltet (oder begonnen/aufgehört), neu laufen."""
    bekannt = folgen.vorfuehrung.nummer if folgen.vorfuehrung else None

    @st.fragment(run_every=ABFRAGE_S)
    def _pruefen() -> None:
        jetzt = vorfuehrung_lesen(ablage(), kommune_id, folgen.code)
        if (jetzt.nummer if jetzt else None) != bekannt:
            st.rerun()

    _pruefen()


def folgen_hinweis(folgen: Folgen) -> None:
    """Eine Zeile über der Ansicht: wem das Gerät folgt, oder dass die Vorführung gerade nicht läuft."""
    if folgen.vorfuehrung is None:
        st.info(
            f"Die Vorführung {folgen.code} läuft gerade nicht. Sobald sie beginnt, erscheint hier ihre Ansicht; "
            "bis dahin sehen Sie den Ablauf der Kommune."
        )
    else:
        v = folgen.vorfuehrung
        st.caption(f"Sie folgen der Vorführung {folgen.code}: **{v.titel}** · Ansicht {v.schritt + 1} von {v.anzahl}")


def vorfuehren_seitenleiste(basis: Linkbasis, kommune_id: str) -> str | None:
    """Seitenleiste: „Tablets folgen lassen“ ein/aus, Code, Link und QR-Code; gibt den Code zurück, wenn an."""
    with st.sidebar.expander("Vorführen: Tablets folgen lassen"):
        an = st.toggle("Andere Geräte folgen dieser Ansicht", key="vorfuehren_an")
        if not an:
            st.caption("Ein: jeder Schritt erscheint auch auf den Geräten, die den Link oder QR-Code öffnen.")
            return None
        code = st.session_state.setdefault(_CODE_SCHLUESSEL, neuer_code())
        link = folgen_link(basis.adresse, kommune_id, code)
        st.markdown(f"Code der Vorführung: **{code}**")
        if basis.teilbar:
            st.markdown(qr_svg(link, titel="QR-Code zum Folgen"), unsafe_allow_html=True)
        else:
            st.info(basis.hinweis)
        st.code(link, language=None, wrap_lines=True)
        return code


def vorfuehrung_senden(kommune_id: str, code: str, ansicht: Ansicht, schritt: int, anzahl: int, titel: str) -> None:
    """Die gezeigte Ansicht für die Folgenden ablegen (unverändert: nichts)."""
    vorfuehrung_schreiben(ablage(), kommune_id, code, ansicht, schritt, anzahl, titel)

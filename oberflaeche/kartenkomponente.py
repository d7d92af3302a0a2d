"""Die Karte als Streamlit-Komponente (Custom Components v2): Geometrie einmal je Browser-Sitzung, dann nur Farben.

Warum v2 und nicht v1 (oder `streamlit-folium`): v2 läuft ohne iframe im Dokument der App. Das Modul
`static/bildungsmonitor/karte.js` bleibt darum für die ganze geöffnete Seite geladen – auch über Seitenwechsel –
und behält Geometrie und Angebote unter ihrem Inhaltsschlüssel; eine v1-Komponente lebt in einem iframe,
das Streamlit beim Verlassen der Seite verwirft (und bräuchte ein eigenes Build-Verzeichnis). Die Komponente
selbst ist nur ein kleiner Lader, der das ES-Modul von `/app/static/` importiert: Streamlit schickt den
Komponenten-Code bei jedem Lauf mit, das Modul dagegen holt der Browser einmal (und aus seinem Cache).

Python merkt sich je Sitzung (`st.session_state`), welche Inhaltsschlüssel der Browser schon bekommen hat,
und schickt danach nur den Schlüssel; ein Neuladen der Seite ist eine neue Sitzung und bekommt alles neu.
Fehlt dem Browser doch einmal etwas, meldet er es (Auslöser „fehlt“), und der nächste Lauf schickt alles.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st

from geodata.kartendaten import nur_neues

MODUL = Path(__file__).resolve().parent.parent / "static" / "bildungsmonitor" / "karte.js"
#: Sitzungsschlüssel: Inhaltsschlüssel, die dieser Browser schon hat.
BEKANNT = "_karte_bekannt"

_LADER = """
export default function (args) {
  const adresse = new URL(args.data.modul, window.location.href).href;
  const modul = import(adresse);
  modul.then((m) => m.zeichnen(args)).catch((e) => console.error("Karte:", e));
  return () => modul.then((m) => m.entfernen(args.parentElement));
}
"""

_KOMPONENTE = st.components.v2.component("bildungsmonitor_karte", js=_LADER, isolate_styles=False)


@cache
def _fassung() -> str:
    return hashlib.sha256(MODUL.read_bytes()).hexdigest()[:12]


def modul_adresse() -> str:
    """Pfad des Kartenmoduls mit Fassung (ein neuer Stand umgeht den Browser-Cache), unter `server.baseUrlPath`."""
    basis = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{'/' + basis if basis else ''}/app/static/bildungsmonitor/karte.js?v={_fassung()}"


def kartenhoehe(abstand: int, *, mindestens: int = 320, hoechstens: int = 900) -> str:
    """CSS-Höhe einer Karte, die den Rest des Fensters unter `abstand` Pixeln füllt (zwischen den Grenzen).

    So passt die Karte am Beamer (1280×720) ganz ins Bild und wird auf großen Schirmen größer; `abstand` ist
    der Platz über (und knapp unter) der Karte auf ihrer Seite.
    """
    if abstand < 0 or not 0 < mindestens <= hoechstens:
        raise ValueError("Abstand und Grenzen der Kartenhöhe passen nicht zusammen.")
    return f"clamp({mindestens}px, calc(100vh - {abstand}px), {hoechstens}px)"


def _vergessen() -> None:
    """Dem Browser fehlt etwas: im nächsten Lauf alles schicken."""
    st.session_state[BEKANNT] = set()


def _nichts() -> None:
    """Klicks wertet der Lauf selbst aus (Rückgabe der Komponente)."""


def karte_anzeigen(
    *,
    schluessel: str,
    geometrie: dict[str, Any],
    angebote: list[dict[str, Any]],
    faerbung: dict[str, Any],
    gewaehlt: str | None,
    hoehe: int | str,
) -> Any:
    """Die Karte zeigen; Rückgabe: die ID der eben angeklickten Fläche (oder None).

    `geometrie` aus `geodata.kodierung.ebene_kodieren`, `angebote` aus `geodata.kartendaten.angebotsebenen`,
    `faerbung` aus `geodata.kartendaten.faerbung` (mit schon geschützten Werten). `hoehe`: Pixel oder eine
    CSS-Höhe (`kartenhoehe`: aus der Fensterhöhe); die Karte setzt sie selbst, die Komponente wächst mit.
    """
    return _anzeigen(
        schluessel=schluessel,
        geometrie=geometrie,
        angebote=angebote,
        faerbung=faerbung,
        gewaehlt=gewaehlt,
        hoehe=hoehe,
    ).get("klick")


def angebotskarte_anzeigen(
    *,
    schluessel: str,
    geometrie: dict[str, Any],
    angebote: list[dict[str, Any]],
    faerbung: dict[str, Any],
    sichtbar: str,
    angebot_gewaehlt: int | None,
    hoehe: int | str,
    bei_angebot: Callable[[], None] | None = None,
) -> Any:
    """Die Karte als Angebotskarte (Angebotsfinder); Rückgabe: die Position des eben angeklickten Angebots.

    `sichtbar`: welche Angebote gezeigt werden (`geodata.angebotsfinder.sichtbarkeit`, je Wechsel nur dieser
    Text); `angebot_gewaehlt`: Position des hervorgehobenen Angebots. Ein Klick auf ein Angebot wählt kein
    Gebiet; Flächen sind nur Hintergrund (ohne Auslöser), ohne Ebenenauswahl. `bei_angebot` läuft vor dem Lauf,
    den der Klick auslöst (der Wert steht dann in `st.session_state[schluessel]["angebot"]`).
    """
    return _anzeigen(
        schluessel=schluessel,
        geometrie=geometrie,
        angebote=angebote,
        faerbung=faerbung,
        gewaehlt=None,
        hoehe=hoehe,
        finder={"sichtbar": sichtbar, "gewaehlt": angebot_gewaehlt},
        bei_angebot=bei_angebot,
    ).get("angebot")


def ortkarte_anzeigen(
    *,
    schluessel: str,
    geometrie: dict[str, Any],
    faerbung: dict[str, Any],
    punkt: tuple[float, float] | None,
    hoehe: int | str,
) -> Any:
    """Die Karte als Ortswahl (Lage eines Angebots): ein Klick setzt eine Markierung und liefert [lat, lng]
    (WGS84) statt eines Gebiets; `punkt`: die bisherige Markierung oder None."""
    return _anzeigen(
        schluessel=schluessel,
        geometrie=geometrie,
        angebote=[],
        faerbung=faerbung,
        gewaehlt=None,
        hoehe=hoehe,
        ortwahl={"punkt": list(punkt) if punkt else None},
    ).get("ort")


def _anzeigen(
    *,
    schluessel: str,
    geometrie: dict[str, Any],
    angebote: list[dict[str, Any]],
    faerbung: dict[str, Any],
    gewaehlt: str | None,
    hoehe: int | str,
    finder: dict[str, Any] | None = None,
    bei_angebot: Callable[[], None] | None = None,
    ortwahl: dict[str, Any] | None = None,
) -> Any:
    """Die Komponente mit allem, was der Browser noch nicht hat; Rückgabe: ihre Auslöser."""
    bekannt: set[str] = st.session_state.setdefault(BEKANNT, set())
    kachel_url = os.environ.get("BILDUNGSMONITOR_KACHEL_URL")
    daten = {
        "modul": modul_adresse(),
        "hoehe": hoehe,
        "geometrie": nur_neues(geometrie, bekannt),
        "angebote": [nur_neues(a, bekannt) for a in angebote],
        "faerbung": faerbung,
        "gewaehlt": gewaehlt,
        "kacheln": (
            {"url": kachel_url, "attribution": os.environ.get("BILDUNGSMONITOR_KACHEL_ATTRIBUTION", "")}
            if kachel_url
            else None
        ),
        "finder": finder,
        "ortwahl": ortwahl,
    }
    ergebnis = _KOMPONENTE(
        key=schluessel,
        data=daten,
        height="content",
        on_klick_change=_nichts,
        on_fehlt_change=_vergessen,
        on_angebot_change=bei_angebot or _nichts,
        on_ort_change=_nichts,
    )
    bekannt.update([geometrie["hash"], *(a["hash"] for a in angebote)])
    return ergebnis

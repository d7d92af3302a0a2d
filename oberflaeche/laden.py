"""Gecachtes Laden der Kommune und der Anzeigegeometrien (einmal je Datenstand, nicht je Seite).

Alles geht über `kommune.ablage.ablage()`: kein Pfad, keine Änderungszeit. Jeder Cache-Schlüssel trägt den
`Stand` (oder hängt an einer Kommune genau dieses Stands, `abgeleitet`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from geodata.anzeige import vereinfachen
from geodata.kodierung import ebene_kodieren
from kommune.ablage import AKTIV, Stand, ablage
from kommune.fehler import KommuneFehler
from kommune.laden import BEKANNTE_KOMMUNEN, Kommune
from kommune.zwischenspeicher import Objektcache, haufen_einfrieren

T = TypeVar("T")


def verfuegbare_kommunen() -> dict[str, str]:
    """Kennung → Anzeigename der Kommunen, die die eingestellte Ablage kennt (`Ablage.kommunen`)."""
    return ablage().kommunen()


def stand_holen(name: str, version: str = AKTIV) -> Stand:
    """Der Stand einer Kommune von der Ablage (billig; je Lauf gefragt): jeder Cache-Schlüssel trägt ihn."""
    return ablage().stand(name, version)


@dataclass
class _Fach:
    """Ein Platz im Cache je (Kommune, gewünschte Version): der zuletzt geladene Stand und seine Kommune."""

    stand: Stand | None = None
    kommune: Kommune | None = None
    sperre: threading.Lock = field(default_factory=threading.Lock)


@st.cache_resource(max_entries=8, show_spinner=False)
def _fach(name: str, version: str) -> _Fach:
    return _Fach()


def kommune_zum_stand(stand: Stand, platz: str | None = None) -> Kommune:
    """Die Kommune in genau diesem Stand aus dem Cache (sonst von der Ablage geladen).

    Je (Kommune, `platz`) gibt es EINEN Platz (Standard: die Version des Stands): Ein neuer Stand ersetzt den
    alten, statt neben ihm im Cache zu bleiben – die alte Kommune (und alles, was an ihr hängt,
    `kommune.zwischenspeicher`) wird sofort frei, sobald keine Sitzung sie mehr benutzt.
    """
    fach = _fach(stand.kommune, platz or stand.version)
    with fach.sperre:
        if fach.kommune is None or fach.stand != stand:
            fach.kommune = None  # den alten Stand schon während des Ladens freigeben
            with st.spinner("Daten der Kommune werden geladen …"):
                k = ablage().laden(stand)
            k.stand = stand  # auch wenn eine Ablage ihn nicht setzt: die Caches oberhalb schlüsseln darauf
            fach.kommune, fach.stand = k, stand
            haufen_einfrieren()  # die neue Kommune ist langlebig: nicht bei jeder Sammlung neu durchsuchen
        return fach.kommune


def kommune_holen(name: str, version: str = AKTIV) -> Kommune:
    """Die Kommune im aktuellen Stand von `version` („aktiv“, „original“ oder eine Versions-ID) aus dem Cache:
    neu geladen, sobald sich ihr Stand ändert (Import, Aktivieren, geänderte Datei – auch auf einem anderen
    App-Server). Der Stand steht danach in `Kommune.stand`."""
    return kommune_zum_stand(stand_holen(name, version), platz=version)


def _stand_von(kommune: Kommune) -> Stand:
    if kommune.stand is None:
        raise KommuneFehler("Die Kommune wurde nicht über die Ablage geladen (kein Datenstand bekannt).")
    return kommune.stand


@st.cache_resource(max_entries=16, show_spinner=False)
def _anzeige(stand: Stand, schicht: str, _kommune: Kommune) -> Any:
    return vereinfachen(_kommune.gebiete[schicht])


def anzeige_geometrie(kommune: Kommune, schicht: str) -> Any:
    """Vereinfachte WGS84-Geometrie einer Ebene der Kommune in IHREM Stand für die Karte (gecacht je Stand)."""
    return _anzeige(_stand_von(kommune), schicht, kommune)


@st.cache_resource(max_entries=16, show_spinner=False)
def _karten_geometrie(stand: Stand, schicht: str, _kommune: Kommune) -> dict[str, Any]:
    return ebene_kodieren(_anzeige(stand, schicht, _kommune))


def karten_geometrie(kommune: Kommune, schicht: str) -> dict[str, Any]:
    """Die Anzeigegeometrie einer Ebene kompakt für den Browser (`geodata.kodierung.ebene_kodieren`, gecacht
    je Stand der Kommune; der Inhaltsschlüssel darin ändert sich nur mit der Geometrie)."""
    return _karten_geometrie(_stand_von(kommune), schicht, kommune)


_ABGELEITET = Objektcache("oberflaeche.abgeleitet", max_je_objekt=32)
_FEHLT = object()


def abgeleitet(kommune: Kommune, schluessel: tuple, rechnen: Callable[[], T], hinweis: str = "Wird berechnet …") -> T:
    """Ein aus der Kommune berechnetes Ergebnis (Kacheln, Index-Eingänge), gespeichert an genau diesem
    Datenstand: ein neu geladener Stand rechnet neu, der alte Eintrag stirbt mit seiner Kommune.
    `schluessel` nennt alles Übrige, wovon das Ergebnis abhängt – auch die Rolle, wenn Werte geschützt sind."""
    wert = _ABGELEITET.get(kommune, schluessel, _FEHLT)
    if wert is _FEHLT:
        with st.spinner(hinweis):
            wert = rechnen()
        _ABGELEITET.setzen(kommune, schluessel, wert)
    return wert


def fehlertext(e: Exception) -> str:
    """Deutscher Satz für jeden Fehler beim Laden (nie ein Traceback)."""
    if isinstance(e, KommuneFehler):
        return e.text
    if isinstance(e, FileNotFoundError):
        return f"Eine Datei wurde nicht gefunden: {Path(str(e.filename or '')).name}."
    return f"Die Daten konnten nicht geladen werden ({type(e).__name__})."


__all__ = [
    "BEKANNTE_KOMMUNEN",
    "anzeige_geometrie",
    "fehlertext",
    "karten_geometrie",
    "kommune_holen",
    "kommune_zum_stand",
    "stand_holen",
    "verfuegbare_kommunen",
]

"""Gecachtes Laden der Kommune und der Anzeigegeometrien (einmal je Datenstand, nicht je Seite)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from geodata.anzeige import vereinfachen
from geodata.kodierung import ebene_kodieren
from kommune.fehler import KommuneFehler
from kommune.konfiguration import konfiguration_lesen
from kommune.laden import BEKANNTE_KOMMUNEN, Kommune, kommune_laden, kommune_ordner
from kommune.zwischenspeicher import Objektcache, haufen_einfrieren

T = TypeVar("T")


def verfuegbare_kommunen() -> dict[str, str]:
    """Kurzname → Anzeigename der mitgelieferten Kommunen (`BEKANNTE_KOMMUNEN`; offene Daten nur mit
    Datenordner) und der eigenen Kommune des Hauses (`BILDUNGSMONITOR_KOMMUNE`)."""
    kommunen = {name: k.anzeigename for name, k in BEKANNTE_KOMMUNEN.items() if k.verfuegbar()}
    eigene = os.environ.get("BILDUNGSMONITOR_KOMMUNE", "")
    if eigene and eigene not in kommunen and (Path(eigene) / "kommune.toml").is_file():
        try:  # die eigene Kommune eines Hauses: ein Ordner mit kommune.toml
            kommunen[eigene] = konfiguration_lesen(Path(eigene)).name
        except KommuneFehler:
            kommunen[eigene] = Path(eigene).name
    return kommunen


@lru_cache(maxsize=32)
def _dateien_der_kommune(ordner: Path, toml_stand: tuple[int, int], umgebung: tuple) -> tuple[Path, ...]:
    """Die Dateien, aus denen eine Kommune geladen wird – je Stand der kommune.toml (und der Umgebung, die
    `${VAR}` in Pfaden ersetzt) einmal gelesen, sonst läse jeder Lauf die TOML-Datei zweimal (Berlin ≈ 20 ms)."""
    konf = konfiguration_lesen(ordner)
    dateien = {konf.ordner / "kommune.toml", konf.katalog}
    dateien |= {konf.daten / s.datei for s in konf.schichten}
    dateien |= {konf.daten / t.datei for t in konf.indikatoren}
    dateien |= {konf.daten / a.datei for a in konf.angebote}
    dateien |= {konf.daten / r.datei for r in konf.raster}
    if konf.erreichbarkeit.raster:  # Bevölkerungsgitter der Erreichbarkeit
        dateien.add(konf.daten / konf.erreichbarkeit.raster)
    dateien.add(konf.daten / "versionen" / "versionen.json")  # neuer Datenstand nach einem Import
    return tuple(sorted(dateien))


def _signatur(name: str) -> tuple[Any, ...]:
    """Änderungszeiten aller Dateien der Kommune: ändert sich eine, wird neu geladen."""
    ordner = kommune_ordner(name)
    toml = ordner / "kommune.toml"
    stand = toml.stat() if toml.exists() else None
    toml_stand = (stand.st_mtime_ns, stand.st_size) if stand else (0, 0)
    dateien = _dateien_der_kommune(ordner, toml_stand, tuple(sorted(os.environ.items())))
    return tuple((str(p), p.stat().st_mtime_ns if p.exists() else 0) for p in dateien)


@dataclass
class _Fach:
    """Ein Platz im Cache je (Kommune, Version): der zuletzt geladene Stand und seine Dateisignatur."""

    signatur: str = ""
    kommune: Kommune | None = None
    sperre: threading.Lock = field(default_factory=threading.Lock)


@st.cache_resource(max_entries=8, show_spinner=False)
def _fach(name: str, version: str) -> _Fach:
    return _Fach()


def kommune_holen(name: str, version: str = "aktiv") -> Kommune:
    """Die Kommune aus dem Cache (neu geladen, wenn sich eine Datei geändert hat).

    Je (Kommune, Version) gibt es EINEN Platz: Ein neuer Stand ersetzt den alten, statt neben ihm im Cache zu
    bleiben – die alte Kommune (und alles, was an ihr hängt, `kommune.zwischenspeicher`) wird sofort frei,
    sobald keine Sitzung sie mehr benutzt. `st.cache_resource.clear()` (nach einem Import) leert auch die Plätze.
    """
    signatur = repr(_signatur(name))
    fach = _fach(name, version)
    with fach.sperre:
        if fach.kommune is None or fach.signatur != signatur:
            fach.kommune = None  # den alten Stand schon während des Ladens freigeben
            with st.spinner("Daten der Kommune werden geladen …"):
                fach.kommune = kommune_laden(name, version)
            haufen_einfrieren()  # die neue Kommune ist langlebig: nicht bei jeder Sammlung neu durchsuchen
            fach.signatur = signatur
        return fach.kommune


@st.cache_resource(max_entries=16, show_spinner=False)
def _anzeige(name: str, schicht: str, signatur_text: str) -> Any:
    return vereinfachen(kommune_holen(name).gebiete[schicht])


def anzeige_geometrie(name: str, schicht: str) -> Any:
    """Vereinfachte WGS84-Geometrie einer Ebene für die Karte (gecacht)."""
    return _anzeige(name, schicht, repr(_signatur(name)))


@st.cache_resource(max_entries=16, show_spinner=False)
def _karten_geometrie(name: str, schicht: str, signatur_text: str) -> dict[str, Any]:
    return ebene_kodieren(_anzeige(name, schicht, signatur_text))


def karten_geometrie(name: str, schicht: str) -> dict[str, Any]:
    """Die Anzeigegeometrie einer Ebene kompakt für den Browser (`geodata.kodierung.ebene_kodieren`, gecacht
    je Datenstand; der Inhaltsschlüssel darin ändert sich nur mit der Geometrie)."""
    return _karten_geometrie(name, schicht, repr(_signatur(name)))


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
    "verfuegbare_kommunen",
]

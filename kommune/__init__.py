"""Datenmodell einer Kommune: Konfiguration, Laden, Prüfen."""

from kommune.fehler import KommuneFehler
from kommune.laden import Kommune, kommune_laden, kommune_ordner

__all__ = ["Kommune", "KommuneFehler", "kommune_laden", "kommune_ordner"]

"""Die eine Naht zur Ablage: Dateien (Standard) oder PostgreSQL/PostGIS (`BILDUNGSMONITOR_DATENBANK`).

Alles oberhalb (Laden mit Cache, Seiten, Kommandozeile) geht über `ablage()` und kennt weder Pfade noch
Änderungszeiten. Jeder Cache-Schlüssel trägt einen `Stand`: Kommune, aufgelöste Version und eine
Änderungsmarke, die sich mit jedem Import, jedem Aktivieren und jeder geänderten Datei ändert – auch wenn
das auf einem anderen App-Server geschah.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from kommune.laden import Kommune

#: Einstellung für die gemeinsame Datenbank, z. B. ``postgresql+psycopg://bm_lesen@127.0.0.1:5433/bildungsmonitor``
DATENBANK_UMGEBUNG = "BILDUNGSMONITOR_DATENBANK"
AKTIV = "aktiv"
ORIGINAL = "original"


@dataclass(frozen=True)
class Stand:
    """Welcher Datenstand gemeint ist: ein Wert, den jeder Cache-Schlüssel trägt.

    `kommune`: Kurzname oder Ordner, wie ihn die Oberfläche kennt; `version`: die aufgelöste Versions-ID
    („original“ für die Daten ohne Import, sonst z. B. „v0003“ – nie „aktiv“); `marke`: ändert sich mit jeder
    Änderung der Daten dieser Kommune (Import, Aktivieren, geänderte Datei).
    """

    kommune: str
    version: str
    marke: str


class Ablage(Protocol):
    """Was jede Ablage kann. Fehler sind `KommuneFehler` mit deutschem Satz."""

    art: str  # „dateien“ oder „postgresql“

    def kommunen(self) -> dict[str, str]:
        """Die Kommunen, die sich öffnen lassen: Kennung → Anzeigename."""
        ...

    def stand(self, kommune: str, version: str = AKTIV) -> Stand:
        """Der Stand einer Kommune für „aktiv“, „original“ oder eine Versions-ID (billig: je Lauf gefragt)."""
        ...

    def laden(self, stand: Stand) -> Kommune:
        """Die Kommune in genau diesem Stand (geprüft, wie `kommune.laden.kommune_laden`)."""
        ...

    def versionen(self, kommune: str) -> list[dict[str, Any]]:
        """Alle Versionen, älteste zuerst, je mit „id“, „wer“, „wann“, „quelle“ … und „aktiv“ (True/False)."""
        ...

    def version_anlegen(
        self,
        kommune: str,
        dateien: dict[str, bytes],
        info: dict[str, Any],
        *,
        pruefen: Callable[[Kommune], None] | None = None,
        extras: dict[str, bytes] | None = None,
    ) -> str:
        """Eine neue Version als ein atomares Delta anlegen und aktiv setzen; ihre ID zurückgeben.

        `dateien`: geänderte Datendateien (Name wie in der kommune.toml → Inhalt), alles andere bleibt wie in
        der bisher aktiven Version; `extras`: Lieferung, Prüfprotokoll, Zuordnung. `pruefen(kommune)` sieht die
        Kommune im neuen Stand, bevor sie jemand anderes sieht; ein `KommuneFehler` darin lässt alles, wie es war.
        """
        ...

    def datei_lesen(self, kommune: str, name: str, version: str = AKTIV) -> bytes | None:
        """Eine Datendatei (Name wie in der kommune.toml) so, wie sie in dieser Version gilt; None, wenn es sie
        nicht gibt. Ein Import schreibt damit die bisherige Tabelle fort."""
        ...

    def aktivieren(self, kommune: str, version_id: str, nutzer: str = "") -> None:
        """Eine frühere Version (oder „original“) wieder aktiv setzen; nichts wird gelöscht."""
        ...

    def presets(self, kommune: str) -> dict[str, str]:
        """Die Index-Definitionen der Kommune: Dateiname → TOML-Text (alphabetisch)."""
        ...

    def sitzungen(self, kommune: str) -> dict[str, str]:
        """Die Sitzungsabläufe der Kommune: Dateiname → TOML-Text (alphabetisch)."""
        ...

    def zustand_lesen(self, kommune: str, schluessel: str) -> dict[str, Any] | None:
        """Geteilter Zustand (z. B. aktueller Schritt einer Sitzung), für alle App-Server gleich."""
        ...

    def zustand_schreiben(self, kommune: str, schluessel: str, wert: dict[str, Any]) -> None:
        """Geteilten Zustand setzen (JSON-fähig)."""
        ...

    def zustand_aendern(
        self, kommune: str, schluessel: str, aenderung: Callable[[dict[str, Any] | None], dict[str, Any]]
    ) -> dict[str, Any]:
        """Geteilten Zustand lesen, ändern und schreiben, ohne dass ein anderer App-Server dazwischen schreibt
        (Dateien: Dateisperre; Datenbank: Zeilensperre). Ein Fehler in `aenderung` lässt ihn, wie er war."""
        ...


def ablage() -> Ablage:
    """Die eingestellte Ablage: ohne `BILDUNGSMONITOR_DATENBANK` die Dateien, sonst die Datenbank."""
    url = os.environ.get(DATENBANK_UMGEBUNG, "").strip()
    if not url:
        from kommune.dateiablage import dateiablage

        return dateiablage()
    from kommune.datenbank import datenbankablage

    return datenbankablage(url)

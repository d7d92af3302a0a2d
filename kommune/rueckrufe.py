"""Registrierungspunkte: wie höhere Schichten sich in Abläufe von `kommune/` einhängen, ohne dass `kommune/`
sie importiert (die Schichtordnung steht in ARCHITECTURE.md, geprüft von tests/test_schichten.py).

* `bei_datenwechsel(f)`: `f()` läuft nach jedem Import und jedem Wiederherstellen einer Version
  (`kommune.versionen`), etwa um Caches zu verwerfen. Wer nie importiert wurde, hat nichts zu verwerfen.
* `gegenprobe_anmelden(f)`: `f(kommune)` läuft in der Gegenprobe vor dem Aktivieren einer neuen Version
  (`kommune.versionen.gesamtprobe`) und lehnt mit einer Ausnahme ab; `freigabe/` meldet den Export jeder Ebene an.

Anmelden geschieht beim Import des Moduls, das den Rückruf anbietet; doppeltes Anmelden zählt einmal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_DATENWECHSEL: list[Callable[[], None]] = []
_GEGENPROBEN: list[Callable[[Any], None]] = []


def _anmelden(liste: list, rueckruf: F) -> F:
    if rueckruf not in liste:
        liste.append(rueckruf)
    return rueckruf


def bei_datenwechsel(rueckruf: F) -> F:
    """`rueckruf()` nach jedem Datenwechsel aufrufen (auch als Dekorator)."""
    return _anmelden(_DATENWECHSEL, rueckruf)


def datenwechsel_melden() -> None:
    """Alle angemeldeten Rückrufe eines Datenwechsels aufrufen (in der Reihenfolge des Anmeldens)."""
    for rueckruf in list(_DATENWECHSEL):
        rueckruf()


def gegenprobe_anmelden(probe: F) -> F:
    """`probe(kommune)` in jede Gegenprobe vor dem Aktivieren aufnehmen (auch als Dekorator)."""
    return _anmelden(_GEGENPROBEN, probe)


def gegenproben() -> tuple[Callable[[Any], None], ...]:
    """Die angemeldeten Gegenproben (in der Reihenfolge des Anmeldens)."""
    return tuple(_GEGENPROBEN)

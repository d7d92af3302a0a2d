"""Beim Start des Servers vorrechnen, was sonst die erste Sitzung bezahlt (`python -m oberflaeche.server`).

Ohne Vorwärmen wartet der erste Aufruf der Karte auf alles zugleich: die schweren Module (geopandas,
mapclassify, altair), das Laden der Kommune, den Sperrplan der jüngsten Periode und die Kartengeometrie
(Berlin auf zwei ausgelasteten Kernen: 12–15 s). All das hängt an keiner Sitzung: Es liegt danach in denselben
Caches (`oberflaeche.laden`, `kommune.zwischenspeicher`), aus denen die Seiten lesen. Kommt eine Sitzung, bevor
das Vorwärmen fertig ist, wartet sie auf dieselbe Rechnung (Sperre je Cache-Platz), statt sie zu verdoppeln.

Abschalten mit ``BILDUNGSMONITOR_VORWAERMEN=0``. Ein Fehler beim Vorwärmen landet nur im Serverprotokoll: die
Sitzung rechnet dann selbst und zeigt ihn wie sonst als deutschen Satz.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

from streamlit.logger import get_logger

#: Streamlits Logger: die Zeilen stehen im Serverprotokoll (Stufe „info“ wie Streamlits eigene).
_LOG = get_logger("bildungsmonitor.vorwaermen")
#: So beginnt die Zeile im Serverprotokoll, wenn alles vorgewärmt ist (Benchmarks warten darauf).
FERTIG = "Vorwärmen fertig"


def schritte(name: str) -> list[tuple[str, Callable[[], object]]]:
    """Die Schritte des Vorwärmens für eine Kommune, in der Reihenfolge der ersten Karte."""

    def module() -> None:
        import altair  # noqa: F401
        import mapclassify  # noqa: F401

        import geodata.gebietswerte  # noqa: F401
        import oberflaeche.kartenblock
        import oberflaeche.schutz  # noqa: F401

    def kommune() -> object:
        from oberflaeche.laden import kommune_holen

        return kommune_holen(name)

    def karte() -> object:
        from oberflaeche.laden import karten_geometrie, kommune_holen

        k = kommune_holen(name)
        return karten_geometrie(k, k.konfiguration.standard_ebene or k.konfiguration.schichten[0].id)

    def sperrplaene() -> object:
        from freigabe.geheimhaltung import sperrplan
        from oberflaeche.bausteine import indikator_optionen
        from oberflaeche.laden import kommune_holen

        k = kommune_holen(name)
        ebene = k.konfiguration.standard_ebene or k.konfiguration.schichten[0].id
        _, _, juengste = indikator_optionen(k, None)
        # die jüngsten Perioden: die des Standardindikators ist fast immer darunter
        return [sperrplan(k, p, "oeffentlich", ebene) for p in sorted(set(juengste.values()))[-2:]]

    return [("Module", module), ("Kommune", kommune), ("Karte", karte), ("Sperrpläne", sperrplaene)]


def vorwaermen(name: str) -> dict[str, float]:
    """Alle Schritte ausführen; Rückgabe: Sekunden je Schritt (ein Fehler bricht ab und wird protokolliert)."""
    dauer: dict[str, float] = {}
    for titel, schritt in schritte(name):
        t = time.perf_counter()
        try:
            schritt()
        except Exception:  # das Vorwärmen darf den Server nie aufhalten
            _LOG.exception("Vorwärmen von %s: Schritt „%s“ fehlgeschlagen", name, titel)
            break
        dauer[titel] = round(time.perf_counter() - t, 2)
    _LOG.info("%s: %s %s", FERTIG, name, dauer)
    return dauer


def im_hintergrund() -> threading.Thread | None:
    """Die Kommune des Servers (`BILDUNGSMONITOR_KOMMUNE`, sonst Musterstadt) in einem Hintergrund-Thread
    vorwärmen; None, wenn abgeschaltet."""
    if os.environ.get("BILDUNGSMONITOR_VORWAERMEN", "1") == "0":
        return None
    faden = threading.Thread(
        target=vorwaermen,
        args=(os.environ.get("BILDUNGSMONITOR_KOMMUNE") or "musterstadt",),
        name="bildungsmonitor-vorwaermen",
        daemon=True,
    )
    faden.start()
    return faden

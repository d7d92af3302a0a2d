"""Gemeinsame Fixtures: Pfad zu den Berliner Daten, geladene Kommunen (einmal je Testlauf)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

PROJEKT = Path(__file__).resolve().parent.parent
SHARED = PROJEKT.parent / "shared" / "data"

if "BILDUNGSMONITOR_DATA_DIR" not in os.environ and (SHARED / "berlin").is_dir():
    os.environ["BILDUNGSMONITOR_DATA_DIR"] = str(SHARED)

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# Abgeleitete Daten (gespeicherte Überlagerungen) von Kommunen ohne Importe oder mit schreibgeschütztem
# Datenordner landen sonst im Cache-Ordner des Benutzers (kommune.versionen.ablage_ordner): im Test ein eigener.
if "BILDUNGSMONITOR_CACHE_DIR" not in os.environ:
    os.environ["BILDUNGSMONITOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="bildungsmonitor-test-cache-")
    atexit.register(shutil.rmtree, os.environ["BILDUNGSMONITOR_CACHE_DIR"], ignore_errors=True)

# Die Seitentests wählen Rollen im Demo-Modus; ohne diesen Schalter zeigt die App nur die öffentliche
# Rolle (sichere Voreinstellung, eigens geprüft in tests/test_zugang.py).
os.environ.setdefault("BILDUNGSMONITOR_DEMO", "1")
# Die App zeigt unerwartete Fehler als deutsche Fehlerseite (oberflaeche/fehlerseite.py); in Tests wird der
# Fehler danach erneut ausgelöst, damit jedes `assert not at.exception` ihn weiter sieht.
# tests/test_fehlerseite.py prüft die Seite ohne diesen Schalter.
os.environ.setdefault("BILDUNGSMONITOR_FEHLER_WEITERREICHEN", "1")


def berlin_daten_da() -> bool:
    daten = os.environ.get("BILDUNGSMONITOR_DATA_DIR")
    return bool(daten) and (Path(daten) / "berlin").is_dir()


@pytest.fixture(scope="session")
def musterstadt():
    from kommune import kommune_laden

    return kommune_laden("musterstadt")


@pytest.fixture(scope="session")
def berlin():
    if not berlin_daten_da():
        if IN_CI:
            pytest.fail("In CI müssen die Berliner Daten vorhanden sein (BILDUNGSMONITOR_DATA_DIR).")
        pytest.skip("Berliner Daten nicht vorhanden")
    from kommune import kommune_laden

    return kommune_laden("berlin")


def deutschland_daten_da() -> bool:
    daten = os.environ.get("BILDUNGSMONITOR_DATA_DIR")
    return bool(daten) and (Path(daten) / "germany" / "zensus2011_grid_1km.parquet").is_file()


@pytest.fixture(scope="session")
def regensburg():
    if not deutschland_daten_da():
        if IN_CI:
            pytest.fail("In CI müssen die Deutschland-Daten vorhanden sein (BILDUNGSMONITOR_DATA_DIR/germany).")
        pytest.skip("Deutschland-Daten nicht vorhanden")
    from kommune import kommune_laden

    return kommune_laden("regensburg")


def fehlerseite_gezeigt(at) -> bool:
    """Zeigt die App (AppTest) die deutsche Fehlerseite eines unerwarteten Fehlers?"""
    from oberflaeche.fehlerseite import FEHLER_ANFANG

    return any(str(e.value).startswith(FEHLER_ANFANG) for e in at.error)

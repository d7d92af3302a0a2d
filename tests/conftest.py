"""Gemeinsame Fixtures: Pfad zu den Berliner Daten, geladene Kommunen (einmal je Testlauf)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJEKT = Path(__file__).resolve().parent.parent
SHARED = PROJEKT.parent / "shared" / "data"

if "BILDUNGSMONITOR_DATA_DIR" not in os.environ and (SHARED / "berlin").is_dir():
    os.environ["BILDUNGSMONITOR_DATA_DIR"] = str(SHARED)

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


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


@pytest.fixture(autouse=True)
def _ohne_alte_pages_automatik(monkeypatch):
    """AppTest setzt vor jedem Lauf Streamlits alte pages/-Automatik zurück; dann liefe ab dem zweiten
    Lauf nur noch die Seite ohne app.py (ohne Rollen, ohne Navigation). Wie im Startprogramm
    `oberflaeche/server.py` wird sie hier abgeschaltet, damit die Tests die echte App prüfen."""
    from streamlit.runtime import pages_manager
    from streamlit.testing.v1 import app_test

    class OhneAutomatik(pages_manager.PagesManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pages_manager.PagesManager.uses_pages_directory = False

    monkeypatch.setattr(app_test, "PagesManager", OhneAutomatik)

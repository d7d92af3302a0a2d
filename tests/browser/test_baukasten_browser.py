"""Im Browser: der Index-Baukasten auf beiden Kommunen, Gewichte ändern die Klassen sofort."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import nur_localhost
from tests.browser.test_karte_browser import _gezeichnet

pytestmark = pytest.mark.browser


def _karte_gezeichnet(page) -> dict:
    """Zustand der Karte, sobald sie gezeichnet und gefärbt ist (Komponente ohne iframe)."""
    return _gezeichnet(page)


def test_baukasten_berlin_mss_status(seite, server_berlin):
    seite.goto(f"{server_berlin.url}/index", wait_until="domcontentloaded")
    zahlen = _karte_gezeichnet(seite)
    assert zahlen["gebiete"] == 542
    seite.get_by_text("536 von 542 Gebieten bewertet", exact=False).wait_for(timeout=60_000)
    for text in ("hoch (75 Gebiete)", "mittel (366 Gebiete)", "sehr niedrig (49 Gebiete)"):
        seite.get_by_text(text).first.wait_for(timeout=30_000)
    seite.get_by_text("Keine Klassenwechsel").wait_for()
    nur_localhost(seite)


def test_baukasten_musterstadt_gewicht_aendert_klassen(seite, server_musterstadt):
    seite.goto(f"{server_musterstadt.url}/index", wait_until="domcontentloaded")
    zahlen = _karte_gezeichnet(seite)
    assert zahlen["gebiete"] >= 80
    seite.get_by_text("Keine Klassenwechsel").wait_for(timeout=60_000)
    # ersten Gewichtsregler mit der Tastatur ganz nach rechts schieben (Gewicht 5)
    regler = seite.get_by_role("slider").first
    regler.focus()
    regler.press("End")
    seite.get_by_text(re.compile(r"\d+ Gebiete wechseln die Klasse")).wait_for(timeout=60_000)
    nur_localhost(seite)

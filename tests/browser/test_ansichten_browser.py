"""Cockpit, Sitzungsmodus und Gebietsprofil bei 1280×720 im Browser; der Link einer Ansicht reproduziert sie.

Bildschirmfotos landen in `artifacts/screenshots/` (Pfad wird ausgegeben).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import nur_localhost
from tests.conftest import PROJEKT

pytestmark = pytest.mark.browser
FOTOS = PROJEKT / "artifacts" / "screenshots"


def _foto(page, name: str) -> Path:
    FOTOS.mkdir(parents=True, exist_ok=True)
    pfad = FOTOS / f"{name}.png"
    page.screenshot(path=str(pfad))
    print(f"Bildschirmfoto: {pfad}")
    return pfad


def _ruhig(page) -> None:
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="hidden", timeout=60_000)


def _karte_falls_da(page) -> None:
    """Zeigt die Ansicht eine Karte, warten bis Leaflet gezeichnet hat."""
    if page.locator(".bm-karte").count():
        page.wait_for_selector(".bm-karte[data-faerbung]", timeout=60_000)


@pytest.mark.parametrize("kommune", ["musterstadt", "berlin"])
def test_cockpit_1280x720(klein, kommune, request):
    server = request.getfixturevalue(f"server_{kommune}")
    klein.goto(f"{server.url}/cockpit?kommune={kommune}", wait_until="domcontentloaded")
    klein.locator(".bm-kachel").first.wait_for(timeout=90_000)
    _ruhig(klein)
    kacheln = klein.locator(".bm-kachel")
    assert kacheln.count() >= 6
    # Wert, Ampel als Wort und Stand stehen sichtbar in der Kachel (nicht nur im Tooltip)
    erste = kacheln.first.inner_text()
    assert "Ampel:" in erste and "Stand" in erste
    assert kacheln.first.bounding_box()["y"] < 720  # erste Kachel ohne Scrollen sichtbar
    _foto(klein, f"cockpit_{kommune}_1280x720")
    nur_localhost(klein)


@pytest.mark.parametrize("kommune", ["musterstadt", "berlin"])
def test_sitzungsmodus_weiter_und_link(klein, kommune, request, browser):
    server = request.getfixturevalue(f"server_{kommune}")
    klein.goto(f"{server.url}/sitzung?kommune={kommune}", wait_until="domcontentloaded")
    klein.get_by_text("Ansicht 1 von").wait_for(timeout=90_000)
    _ruhig(klein)
    _foto(klein, f"sitzung_{kommune}_schritt1")
    klein.get_by_role("button", name="Weiter ▶").click()
    klein.get_by_text("Ansicht 2 von").wait_for(timeout=60_000)
    klein.wait_for_url(re.compile(r"seite=.*schritt=1|schritt=1.*seite="), timeout=60_000)
    _ruhig(klein)
    _karte_falls_da(klein)
    titel = klein.locator("h1").first.inner_text()
    link = klein.url
    assert "schritt=1" in link and "seite=" in link
    klein.get_by_text("Präsentation").click()  # Seitenleiste aus, wie im Ausschuss am Beamer
    klein.locator("section[data-testid='stSidebar']").wait_for(state="hidden", timeout=30_000)
    _ruhig(klein)
    _karte_falls_da(klein)
    _foto(klein, f"sitzung_{kommune}_schritt2_praesentation")
    # Ein Ausschussmitglied öffnet den Link auf seinem Gerät: dieselbe Ansicht
    andere = browser.new_context(viewport={"width": 1280, "height": 720}, locale="de-DE").new_page()
    andere.goto(link, wait_until="domcontentloaded")
    andere.get_by_text("Ansicht 2 von").wait_for(timeout=90_000)
    assert andere.locator("h1").first.inner_text() == titel
    andere.context.close()
    nur_localhost(klein)


def test_gebietsprofil_1280x720_per_link(klein, server_berlin):
    klein.goto(
        f"{server_berlin.url}/gebietsprofil?kommune=berlin&ebene=bezirk&gebiet=08", wait_until="domcontentloaded"
    )
    klein.get_by_role("heading", name="Neukölln").wait_for(timeout=90_000)
    _ruhig(klein)
    _foto(klein, "gebietsprofil_berlin_neukoelln_1280x720")
    klein.get_by_role("tab", name="Lage in der Verteilung").click()
    klein.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=60_000)
    _foto(klein, "gebietsprofil_berlin_neukoelln_lage")
    assert "gebiet=08" in klein.url
    nur_localhost(klein)


def test_druckprofil_erst_erstellen_dann_herunterladen(browser, server_musterstadt):
    """Das HTML-Profil dauert Sekunden: ein Knopf erstellt es mit Fortschrittsanzeige, danach lädt ein zweiter
    die fertige Datei (ohne neuen Seitenlauf); ein anderes Gebiet braucht ein neues Profil."""
    kontext = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE", accept_downloads=True)
    page = kontext.new_page()
    page.anfragen = []
    page.on("request", lambda r: page.anfragen.append(r.url))
    page.goto(f"{server_musterstadt.url}/gebietsprofil?kommune=musterstadt", wait_until="domcontentloaded")
    page.locator("h1").first.wait_for(timeout=90_000)
    _ruhig(page)
    name = page.locator("h2").first.inner_text()  # das Gebiet
    page.get_by_role("button", name="Druckfertiges Profil (HTML) erstellen").click()
    laden = page.get_by_role("button", name="Druckfertiges Profil (HTML) herunterladen")
    laden.wait_for(timeout=120_000)
    with page.expect_download(timeout=60_000) as d:
        laden.click()
    html = Path(d.value.path()).read_text(encoding="utf-8")
    assert name in html and "<html" in html.lower()
    assert d.value.suggested_filename.startswith("gebietsprofil_") and d.value.suggested_filename.endswith(".html")
    nur_localhost(page)
    kontext.close()

"""Gruppenlücke und Übergangsquote am Beamer (1280×720): die Lücken-Kachel im Cockpit des Musterkreises (alle
Kacheln ohne Scrollen im Bild, Klartext sichtbar) und die beiden neuen Schritte des Sitzungsmodus als Link
(Präsentation: die Karte ganz im Bild, gezeichnet, ohne Katalogschlüssel oder englische Texte).

Fotos nach `artifacts/bildschirme/<kommune>/luecke_*.png`.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from berichte.sitzung import ansicht_zu_query, beispiel_sitzung
from tests.browser.conftest import StreamlitServer, nur_localhost
from tests.browser.test_bildschirme_browser import FOTOS, JS_UNTERKANTE, Ansicht, _befunde_der_seite, _fertig

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=["musterstadt", "musterkreis"])
def server(request, tmp_path_factory) -> Iterator[StreamlitServer]:
    s = StreamlitServer(request.param, tmp_path_factory.mktemp("log") / "streamlit.log")
    s.kommune = request.param
    yield s
    s.stoppen()


@pytest.fixture
def beamer(browser):
    kontext = browser.new_context(viewport={"width": 1280, "height": 720}, locale="de-DE")
    page = kontext.new_page()
    page.anfragen = []
    page.on("request", lambda r: page.anfragen.append(r.url))
    yield page
    kontext.close()


def test_cockpit_mit_luecken_kachel_passt(server, beamer):
    beamer.goto(f"{server.url}/cockpit?kommune={server.kommune}", wait_until="domcontentloaded")
    beamer.locator(".bm-kachel").first.wait_for(timeout=120_000)
    _fertig(beamer)
    ordner = FOTOS / server.kommune
    ordner.mkdir(parents=True, exist_ok=True)
    beamer.screenshot(path=str(ordner / "luecke_cockpit_1280x720.png"))
    lage = beamer.evaluate(JS_UNTERKANTE, ".bm-kachel")
    assert lage["unten"] <= lage["fenster"], lage  # alle Kacheln ohne Scrollen
    if server.kommune == "musterkreis":
        kachel = beamer.locator(".bm-kachel", has_text="Lücke Übertritt Gymnasium").inner_text()
        assert "14,3" in kachel and "Prozentpunkte" in kachel
        assert "mit Migrationshintergrund: 22,7 %" in kachel and "Ampel: gelb" in kachel
    nur_localhost(beamer)


@pytest.mark.parametrize("art", ["luecke", "uebergaenge"])
def test_sitzungsschritt_als_link_passt(server, beamer, art):
    from kommune import kommune_laden

    ablauf = beispiel_sitzung(server.kommune)
    nr, ansicht = next(
        (i, a) for i, a in enumerate(ablauf.ansichten) if (a.luecke if art == "luecke" else a.seite == "uebergaenge")
    )
    q = {**ansicht_zu_query(ansicht, server.kommune, mit_text=False), "schritt": str(nr), "praesentation": "1"}
    beamer.goto(f"{server.url}/sitzung?{urlencode(q)}", wait_until="domcontentloaded")
    beamer.get_by_text(f"Ansicht {nr + 1} von").wait_for(timeout=120_000)
    _fertig(beamer)
    beamer.screenshot(path=str(FOTOS / server.kommune / f"luecke_sitzung_{art}_1280x720.png"))
    assert beamer.locator("[data-testid='stMainBlockContainer'] h1").first.inner_text() == ansicht.titel
    assert beamer.locator(".bm-karte[data-faerbung]").count() == 1
    katalog = set(kommune_laden(server.kommune).katalog.index)
    befunde = _befunde_der_seite(beamer, Ansicht(art, "sitzung", passt=".bm-karte"), 1280, 720, katalog)
    assert not befunde, befunde
    text = beamer.locator("body").inner_text()
    assert ("Prozentpunkte" if art == "luecke" else "Grundschule → Gymnasium") in text
    nur_localhost(beamer)

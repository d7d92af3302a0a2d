"""Bildschirmfotos als Testergebnis: jede Seite bei 1280×720 (Beamer), 1024×768 (Tablet) und 390×844 (Handy) für
Musterstadt, Musterkreis und Berlin, nach `artifacts/bildschirme/<kommune>/<seite>_<BxH>.png`.

Je Foto wird geprüft: jede Karte zeigt alle Flächen ihrer Ebene (und das gewählte Gebiet) – gelesen aus den
Kennzeichen, die `static/bildungsmonitor/karte.js` am Kartenelement setzt (`data-sicht`, `data-ausschnitt`,
`data-auswahl`: nur Geometrie) –, kein sichtbarer Text enthält einen Katalogschlüssel in Klammern, „None“ oder eine
englische Streamlit-Voreinstellung (Wortlisten aus tests/test_sichtbare_texte.py), und am Beamer passt der
Hauptinhalt von Cockpit, Karte und Sitzungsmodus ohne Scrollen ins Bild.

Laufzeit: ein Server je Kommune, die Seiten nacheinander in einem Browserkontext je Bildschirmgröße.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.browser.conftest import StreamlitServer, nur_localhost
from tests.conftest import IN_CI, PROJEKT, berlin_daten_da
from tests.test_sichtbare_texte import text_befunde

pytestmark = pytest.mark.browser
FOTOS = PROJEKT / "artifacts" / "bildschirme"
BILDSCHIRME = [(1280, 720), (1024, 768), (390, 844)]


@dataclass(frozen=True)
class Ansicht:
    """Eine Seite, wie sie aufgerufen wird; `passt`: am Beamer muss dieses Element ganz im Bild liegen."""

    name: str
    pfad: str
    passt: str | None = None


ANSICHTEN = [
    Ansicht("uebersicht", ""),
    Ansicht("cockpit", "cockpit", passt=".bm-kachel"),
    Ansicht("karte", "karte", passt=".bm-karte"),
    Ansicht("gebietsprofil", "gebietsprofil"),
    Ansicht("vergleich", "vergleich"),
    Ansicht("uebergaenge", "uebergaenge"),
    Ansicht("index", "index"),
    Ansicht("angebote", "angebote"),
    Ansicht("angebote_finden", "angebote-finden"),
    Ansicht("sitzung_1", "sitzung?schritt=0&praesentation=1", passt=".bm-kachel"),
    Ansicht("sitzung_2", "sitzung?schritt=1&praesentation=1", passt=".bm-karte"),
    Ansicht("import", "import"),
]

#: Je Karte: Kennzeichen und Lage auf der Seite.
JS_KARTEN = """() => [...document.querySelectorAll('.bm-karte')].map((c) => {
  const r = c.getBoundingClientRect();
  return {sicht: c.dataset.sicht || null, ausschnitt: c.dataset.ausschnitt || null, auswahl: c.dataset.auswahl || null,
          breite: r.width, hoehe: r.height};
})"""

#: Unterkante des letzten passenden Elements (auf der Seite, ohne Scrollen) und die Fensterhöhe.
JS_UNTERKANTE = """(sel) => {
  const el = [...document.querySelectorAll(sel)];
  return {unten: el.length ? Math.max(...el.map((e) => e.getBoundingClientRect().bottom)) : null,
          fenster: window.innerHeight};
}"""


def _grenzen(text: str) -> tuple[float, float, float, float]:
    sued, west, nord, ost = (float(v) for v in text.split(","))
    return sued, west, nord, ost


def enthaelt(sicht: str, innen: str, toleranz: float = 2e-5) -> bool:
    """Liegt der Ausschnitt `innen` („Süd,West,Nord,Ost“) ganz in `sicht`? (Toleranz: Rundung auf 1e-5°.)"""
    s, w, n, o = _grenzen(sicht)
    s2, w2, n2, o2 = _grenzen(innen)
    return s <= s2 + toleranz and w <= w2 + toleranz and n >= n2 - toleranz and o >= o2 - toleranz


def test_enthaelt():
    assert enthaelt("52.3,13.0,52.7,13.8", "52.33827,13.08835,52.67551,13.76095")
    assert not enthaelt("52.4,13.2,52.6,13.6", "52.33827,13.08835,52.67551,13.76095")  # Innenstadt: abgeschnitten
    assert not enthaelt("52.3,13.0,52.7,13.7", "52.33827,13.08835,52.67551,13.76095")  # Osten fehlt


@pytest.fixture(scope="module", params=["musterstadt", "musterkreis", "berlin"])
def server(request, tmp_path_factory) -> Iterator[StreamlitServer]:
    if request.param == "berlin" and not berlin_daten_da():
        if IN_CI:
            pytest.fail("In CI müssen die Berliner Daten vorhanden sein.")
        pytest.skip("Berliner Daten nicht vorhanden")
    s = StreamlitServer(request.param, tmp_path_factory.mktemp("log") / "streamlit.log")
    s.kommune = request.param
    yield s
    s.stoppen()


def _fertig(page) -> None:
    """Bis das Skript gelaufen ist (auch nach einem st.rerun) und jede Karte gezeichnet hat."""
    app = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    page.wait_for_selector(app, timeout=180_000)
    page.wait_for_timeout(400)
    page.wait_for_selector(app, timeout=180_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.bm-karte')].every((c) => c.dataset.faerbung && c.dataset.sicht)",
        timeout=90_000,
    )
    page.wait_for_timeout(300)  # Vega und Leaflet zeichnen nach dem letzten Paket


def _befunde_der_seite(page, ansicht: Ansicht, breite: int, hoehe: int, katalog_ids: set[str]) -> list[str]:
    schlecht = []
    for i, k in enumerate(page.evaluate(JS_KARTEN)):
        if not k["breite"] or not k["hoehe"]:
            continue  # in einem nicht gezeigten Reiter
        if not k["sicht"] or not k["ausschnitt"]:
            schlecht.append(f"Karte {i + 1} ohne Ausschnitt: {k}")
            continue
        if not enthaelt(k["sicht"], k["ausschnitt"]):
            schlecht.append(f"Karte {i + 1} schneidet Flächen ab: Sicht {k['sicht']}, Flächen {k['ausschnitt']}")
        if k["auswahl"] and not enthaelt(k["sicht"], k["auswahl"]):
            schlecht.append(f"Karte {i + 1} zeigt das gewählte Gebiet nicht ganz: {k['auswahl']}")
    text = page.locator("body").inner_text()
    schlecht += text_befunde("Seite", text, katalog_ids)
    if (breite, hoehe) == (1280, 720) and ansicht.passt:
        lage = page.evaluate(JS_UNTERKANTE, ansicht.passt)
        if lage["unten"] is None:
            schlecht.append(f"kein {ansicht.passt} auf der Seite")
        elif lage["unten"] > lage["fenster"]:
            schlecht.append(f"{ansicht.passt} endet bei y = {lage['unten']:.0f} (Fenster {lage['fenster']})")
    return schlecht


def test_jede_seite_auf_drei_bildschirmen(server, browser):
    from kommune import kommune_laden

    katalog_ids = set(kommune_laden(server.kommune).katalog.index)
    ordner = FOTOS / server.kommune
    ordner.mkdir(parents=True, exist_ok=True)
    alle: dict[str, list[str]] = {}
    beginn = time.monotonic()
    for breite, hoehe in BILDSCHIRME:
        kontext = browser.new_context(viewport={"width": breite, "height": hoehe}, locale="de-DE")
        page = kontext.new_page()
        page.anfragen = []
        page.on("request", lambda r, p=page: p.anfragen.append(r.url))
        for ansicht in ANSICHTEN:
            trenner = "&" if "?" in ansicht.pfad else "?"
            page.goto(f"{server.url}/{ansicht.pfad}{trenner}kommune={server.kommune}", wait_until="domcontentloaded")
            _fertig(page)
            page.screenshot(path=str(ordner / f"{ansicht.name}_{breite}x{hoehe}.png"))
            if b := _befunde_der_seite(page, ansicht, breite, hoehe, katalog_ids):
                alle[f"{ansicht.name} {breite}×{hoehe}"] = b
        nur_localhost(page)
        kontext.close()
    dauer = time.monotonic() - beginn
    print(f"{server.kommune}: {len(BILDSCHIRME) * len(ANSICHTEN)} Fotos in {dauer:.0f} s → {ordner}")
    assert not alle, json.dumps(alle, ensure_ascii=False, indent=1)

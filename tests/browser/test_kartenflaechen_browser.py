"""Im echten Browser, ohne Streamlit-Lauf: das Kartenmodul mit erfundener Geometrie (Loch, Enklave, Mehrfachpolygon).

Die Seite lädt `static/bildungsmonitor/karte.js` vom laufenden Server und ruft `zeichnen` selbst auf; so ist
bekannt, welches Gebiet an welchem Punkt liegt (unabhängig vom Treffertest im Modul).
"""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from shapely.geometry import MultiPolygon, Polygon

from geodata.kodierung import ebene_kodieren, inhalt_hash
from tests.browser.conftest import nur_localhost

pytestmark = pytest.mark.browser

#: A: Quadrat mit Loch; B: die Enklave im Loch; C: zwei getrennte Quadrate (Mehrfachpolygon).
A = Polygon(
    [(13.0, 52.0), (13.1, 52.0), (13.1, 52.06), (13.0, 52.06)],
    [[(13.03, 52.02), (13.07, 52.02), (13.07, 52.04), (13.03, 52.04)]],
)
B = Polygon([(13.03, 52.02), (13.07, 52.02), (13.07, 52.04), (13.03, 52.04)])
C = MultiPolygon(
    [
        Polygon([(13.12, 52.0), (13.16, 52.0), (13.16, 52.025), (13.12, 52.025)]),
        Polygon([(13.12, 52.035), (13.16, 52.035), (13.16, 52.06), (13.12, 52.06)]),
    ]
)
#: Punkte (Länge, Breite) und das Gebiet, das dort liegt (None: keines).
PUNKTE = [
    ((13.015, 52.03), "A"),  # im Ring von A
    ((13.05, 52.03), "B"),  # im Loch von A: die Enklave
    ((13.14, 52.05), "C"),  # im zweiten Teil von C
    ((13.14, 52.012), "C"),  # im ersten Teil von C
    ((13.14, 52.03), None),  # zwischen den Teilen von C
]


def _geometrie() -> dict:
    gdf = gpd.GeoDataFrame(
        {"name": ["Ring", "Enklave", "Zweiteilig"]}, geometry=[A, B, C], index=["A", "B", "C"], crs=4326
    )
    return ebene_kodieren(gdf)


def _faerbung(klasse: str) -> dict:
    daten = {
        "titel": "Testwert",
        "einheit": "%",
        "leer": ["keine Daten", "gesperrt"],
        "farben": ["#d7191c", "#2c7bb6", "#1a9641", "#cccccc", "#999999"],
        "klasse": klasse,
        "werte": ["1,5", "2,5", "3,5"],
    }
    daten["hash"] = inhalt_hash(daten)
    return daten


#: Eine leere Seite vom Server, das Modul importiert, eine Karte angelegt; Auslöser landen in `window.bmAusloeser`.
JS_ANLEGEN = """async ([modul, data]) => {
  document.body.innerHTML = '';
  const wurzel = document.createElement('div');
  wurzel.style.width = '800px';
  document.body.appendChild(wurzel);
  window.bmModul = await import(modul);
  window.bmWurzel = wurzel;
  window.bmAusloeser = [];
  window.bmDaten = data;
  await window.bmModul.zeichnen({data, parentElement: wurzel,
    setTriggerValue: (art, wert) => window.bmAusloeser.push([art, wert])});
}"""

JS_UMFAERBEN = """async (faerbung) => {
  window.bmDaten = {...window.bmDaten, geometrie: {hash: window.bmDaten.geometrie.hash}, faerbung};
  await window.bmModul.zeichnen({data: window.bmDaten, parentElement: window.bmWurzel,
    setTriggerValue: (art, wert) => window.bmAusloeser.push([art, wert])});
}"""

#: Seitenkoordinaten eines Punkts (Länge, Breite) auf der Karte.
JS_SEITENPUNKT = """([laenge, breite]) => {
  const z = document.querySelector('.bm-karte')._bmKarte;
  const c = z.map.latLngToContainerPoint([breite, laenge]);
  const r = z.map.getContainer().getBoundingClientRect();
  return {x: c.x + r.left, y: c.y + r.top};
}"""

#: Farbe (r, g, b) des Flächen-Canvas an einem Punkt (Länge, Breite).
JS_PIXEL = """([laenge, breite]) => {
  const z = document.querySelector('.bm-karte')._bmKarte;
  const canvas = document.querySelector('.bm-karte canvas.bm-flaechen');
  const c = z.map.latLngToContainerPoint([breite, laenge]);
  const k = canvas.getBoundingClientRect();
  const r = z.map.getContainer().getBoundingClientRect();
  const m = canvas.width / k.width;
  const x = Math.round((c.x + r.left - k.left) * m), y = Math.round((c.y + r.top - k.top) * m);
  return Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data.slice(0, 3));
}"""


JS_ZAEHLER = "() => { const z = document.querySelector('.bm-karte')._bmKarte; return [z.aufbauten, z.faerbungen]; }"


def _gleich(rgb: list[int], farbe: str) -> bool:
    """Pixel in Flächenfarbe? (Der Canvas speichert sie mit Alpha 0,8 vormultipliziert: ±2 Rundung.)"""
    return all(abs(v - int(farbe[i : i + 2], 16)) <= 2 for v, i in zip(rgb, (1, 3, 5), strict=True))


def _anlegen(seite, server) -> None:
    seite.goto(f"{server.url}/app/static/bildungsmonitor/karte.css", wait_until="domcontentloaded")
    daten = {
        "modul": "/app/static/bildungsmonitor/karte.js",
        "hoehe": 600,
        "geometrie": _geometrie(),
        "angebote": [],
        "faerbung": _faerbung("012"),
        "gewaehlt": None,
        "kacheln": None,
    }
    seite.evaluate(JS_ANLEGEN, [f"{server.url}/app/static/bildungsmonitor/karte.js", json.loads(json.dumps(daten))])
    seite.wait_for_selector(".bm-karte[data-faerbung]", timeout=30_000)


def test_klick_trifft_gebiet_mit_loch_enklave_und_mehrfachpolygon(seite, server_musterstadt):
    _anlegen(seite, server_musterstadt)
    for (laenge, breite), erwartet in PUNKTE:
        n = len(seite.evaluate("() => window.bmAusloeser"))
        p = seite.evaluate(JS_SEITENPUNKT, [laenge, breite])
        seite.mouse.click(p["x"], p["y"])
        seite.wait_for_timeout(100)
        neu = seite.evaluate("() => window.bmAusloeser")[n:]
        if erwartet is None:
            assert neu == [], (laenge, breite, neu)
            continue
        assert neu == [["klick", erwartet]], (laenge, breite, neu)
        # die Auswahl ist umrandet (Rahmen am Element) und Name und Wert stehen als Text im Tooltip
        auswahl = seite.locator(".bm-karte").get_attribute("data-auswahl")
        s, w, nord, o = (float(v) for v in auswahl.split(","))
        assert w <= laenge <= o and s <= breite <= nord
        tip = seite.locator(".bm-karte .leaflet-tooltip").inner_text()
        name = {"A": "Ring", "B": "Enklave", "C": "Zweiteilig"}[erwartet]
        assert name in tip and "Testwert" in tip and "%" in tip, tip
    nur_localhost(seite)


def test_umfaerben_aendert_die_pixel_und_behaelt_den_ausschnitt(seite, server_musterstadt):
    _anlegen(seite, server_musterstadt)
    enklave = [13.05, 52.03]
    ring = [13.015, 52.03]
    assert _gleich(seite.evaluate(JS_PIXEL, enklave), "#2c7bb6")  # B: Klasse 1
    assert _gleich(seite.evaluate(JS_PIXEL, ring), "#d7191c")  # A: Klasse 0 (das Loch füllt B, nicht A)
    seite.evaluate("() => document.querySelector('.bm-karte')._bmKarte.map.setZoom(13, {animate: false}) && null")
    sicht = seite.locator(".bm-karte").get_attribute("data-sicht")
    vorher = seite.evaluate(JS_ZAEHLER)
    seite.evaluate(JS_UMFAERBEN, _faerbung("201"))
    seite.wait_for_function(
        f"() => document.querySelector('.bm-karte').dataset.faerbung === {json.dumps(_faerbung('201')['hash'])}"
    )
    assert _gleich(seite.evaluate(JS_PIXEL, enklave), "#d7191c")
    assert _gleich(seite.evaluate(JS_PIXEL, ring), "#1a9641")
    assert seite.locator(".bm-karte").get_attribute("data-sicht") == sicht
    # umgefärbt, nicht neu aufgebaut
    assert seite.evaluate(JS_ZAEHLER) == [vorher[0], vorher[1] + 1] and vorher[0] == 1

"""Im echten Browser: Karte zeichnet Flächen und Angebote, Klick wählt ein Gebiet, nichts verlässt localhost."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

KARTE = 'iframe[title="streamlit_folium.st_folium"]'

#: Zählt im Karten-iframe die Leaflet-Ebenen: Gebietsflächen und Angebotspunkte.
JS_ZAEHLEN = """() => {
  const karte = Object.values(window).find(v => v && v instanceof L.Map);
  if (!karte) return null;
  let gebiete = 0, angebote = 0;
  karte.eachLayer(l => {
    const art = l.feature && l.feature.properties && l.feature.properties.art;
    if (art === 'gebiet') gebiete++;
    if (L.MarkerClusterGroup && l instanceof L.MarkerClusterGroup) angebote += l.getLayers().length;
    else if (l instanceof L.Marker && l.feature && !l.__parent) angebote++;
  });
  return {gebiete, angebote};
}"""

#: Bildschirmpunkt (im iframe) eines Gebiets, das ganz im Kartenausschnitt liegt.
JS_KLICKPUNKT = """(id) => {
  const karte = Object.values(window).find(v => v && v instanceof L.Map);
  let punkt = null;
  karte.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (p && p.art === 'gebiet' && p.id === id) {
      // Punkt im Kartencontainer plus dessen Lage im iframe (der Inhalt kann gescrollt sein)
      const c = karte.latLngToContainerPoint(l.getCenter());
      const r = karte.getContainer().getBoundingClientRect();
      punkt = {x: c.x + r.left, y: c.y + r.top};
    }
  });
  return punkt;
}"""

JS_GEBIET_IN_DER_MITTE = """() => {
  const karte = Object.values(window).find(v => v && v instanceof L.Map);
  const mitte = karte.getCenter();
  let treffer = null;
  karte.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (!treffer && p && p.art === 'gebiet' && l.getBounds().contains(mitte)) {
      treffer = {id: p.id, name: p.name};
    }
  });
  return treffer;
}"""


def _warten_bis_ruhig(page) -> None:
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="hidden", timeout=60_000)


def test_karte_klick_waehlt_gebiet_offline(browser, server_musterstadt):
    anfragen: list[str] = []
    kontext = browser.new_context(viewport={"width": 1280, "height": 1200}, locale="de-DE")
    page = kontext.new_page()
    page.on("request", lambda r: anfragen.append(r.url))
    page.goto(f"{server_musterstadt.url}/karte", wait_until="domcontentloaded")
    page.wait_for_selector(KARTE, timeout=90_000)
    frame = page.frame_locator(KARTE)
    frame.locator(".leaflet-container").wait_for(timeout=60_000)
    iframe = page.locator(KARTE).element_handle().content_frame()
    iframe.wait_for_function(f"({JS_ZAEHLEN})() && ({JS_ZAEHLEN})().gebiete > 0", timeout=60_000)
    zahlen = iframe.evaluate(JS_ZAEHLEN)
    assert zahlen["gebiete"] >= 80, zahlen
    assert zahlen["angebote"] >= 100, zahlen
    # Leaflet hat wirklich gezeichnet: Flächen auf dem Canvas, Angebotssymbole bzw. Bündel im DOM
    assert iframe.locator("canvas.leaflet-zoom-animated").count() >= 1
    assert iframe.locator(".bm-angebot, .marker-cluster").count() >= 10

    page.get_by_text("Kein Gebiet ausgewählt").wait_for(timeout=30_000)
    # Die ganze Karte muss sichtbar sein, sonst scrollt Chromium beim Klick und der Punkt verrutscht
    page.locator(KARTE).scroll_into_view_if_needed()
    ziel = iframe.evaluate(JS_GEBIET_IN_DER_MITTE)
    assert ziel, "kein Gebiet in der Kartenmitte"
    punkt = iframe.evaluate(JS_KLICKPUNKT, ziel["id"])
    box = page.locator(KARTE).bounding_box()
    page.mouse.click(box["x"] + punkt["x"], box["y"] + punkt["y"])
    page.get_by_text(f"Ausgewählt: {ziel['name']}").wait_for(timeout=60_000)
    _warten_bis_ruhig(page)
    assert f"gebiet={ziel['id']}" in page.url

    # Das Gebietsprofil zeigt dasselbe Gebiet (Zustand über die Seiten hinweg)
    page.get_by_role("link", name="Zum Gebietsprofil").click()
    page.get_by_role("heading", name=ziel["name"]).wait_for(timeout=60_000)

    fremd = sorted({urlparse(u).hostname for u in anfragen} - {"127.0.0.1", "localhost", None})
    assert fremd == [], f"Anfragen außerhalb von localhost: {fremd}"
    assert any("/app/static/vendor/leaflet/leaflet.js" in u for u in anfragen)
    kontext.close()


def test_angebotsebene_umschalten_und_einzugsbereiche(seite, server_musterstadt):
    seite.goto(f"{server_musterstadt.url}/karte?ebene=schulbezirk&indikator=kinderarmut", wait_until="domcontentloaded")
    seite.wait_for_selector(KARTE, timeout=90_000)
    iframe = seite.locator(KARTE).element_handle().content_frame()
    iframe.wait_for_function(f"({JS_ZAEHLEN})() && ({JS_ZAEHLEN})().gebiete > 0", timeout=60_000)
    vorher = iframe.evaluate(JS_ZAEHLEN)
    assert vorher["gebiete"] == 32  # Grundschulbezirke, Werte umgerechnet
    seite.get_by_text("für 32 von 32 Gebieten der Ebene Grundschulbezirk").wait_for(timeout=30_000)
    # Ebenen-Umschalter der Karte öffnen und die Kitas ausblenden
    iframe.locator(".leaflet-control-layers").hover()
    kita = iframe.locator(".leaflet-control-layers-overlays label", has_text="Kita").locator("input")
    kita.uncheck()
    iframe.wait_for_function(f"({JS_ZAEHLEN})().angebote < {vorher['angebote']}", timeout=30_000)
    nachher = iframe.evaluate(JS_ZAEHLEN)
    assert vorher["angebote"] - nachher["angebote"] == 145  # alle Kitas der Musterstadt
    assert nachher["gebiete"] == 32


def test_indikatorwechsel_laedt_karte_nicht_neu(seite, server_musterstadt):
    seite.goto(f"{server_musterstadt.url}/karte?indikator=kinderarmut", wait_until="domcontentloaded")
    seite.wait_for_selector(KARTE, timeout=90_000)
    iframe = seite.locator(KARTE).element_handle().content_frame()
    iframe.wait_for_function(f"({JS_ZAEHLEN})() && ({JS_ZAEHLEN})().gebiete > 0", timeout=60_000)
    # Ausschnitt ändern und das iframe markieren: nach dem Wechsel müssen beide noch da sein
    iframe.evaluate("() => { window.map.setZoom(14); window.__bm_marke = 'bleibt'; }")
    iframe.wait_for_function("() => window.map.getZoom() === 14")
    seite.get_by_text("Die Karte zeigt Kinderarmut").wait_for(timeout=30_000)
    auswahl = seite.locator('[data-testid="stSelectbox"]').filter(has_text="Indikator").first
    auswahl.click()
    seite.keyboard.type("Gymnasial")
    seite.keyboard.press("Enter")
    seite.get_by_text("Die Karte zeigt Übertritt an das Gymnasium", exact=False).wait_for(timeout=60_000)
    iframe = seite.locator(KARTE).element_handle().content_frame()
    assert iframe.evaluate("() => window.__bm_marke") == "bleibt"
    assert iframe.evaluate("() => window.map.getZoom()") == 14

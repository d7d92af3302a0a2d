"""Im echten Browser (1280 × 720): Die Karte öffnet auf das ganze Gebiet der Kommune eingepasst."""

from __future__ import annotations

import pytest

from tests.browser.conftest import nur_localhost

pytestmark = pytest.mark.browser

KARTE = 'iframe[title="streamlit_folium.st_folium"]'

#: Je Gebietsfläche ihr Begrenzungsrechteck in Bildschirmpunkten des Kartencontainers und dessen Größe.
JS_FLAECHEN = """() => {
  const karte = Object.values(window).find(v => v && v instanceof L.Map);
  if (!karte) return null;
  const groesse = karte.getSize();
  const flaechen = [];
  karte.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (p && p.art === 'gebiet' && l.getBounds) {
      const b = l.getBounds();
      const sw = karte.latLngToContainerPoint(b.getSouthWest());
      const ne = karte.latLngToContainerPoint(b.getNorthEast());
      flaechen.push({id: p.id, links: sw.x, unten: sw.y, rechts: ne.x, oben: ne.y});
    }
  });
  return {breite: groesse.x, hoehe: groesse.y, zoom: karte.getZoom(), flaechen};
}"""


def _flaechen_im_ausschnitt(page, url: str) -> dict:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(KARTE, timeout=90_000)
    iframe = page.locator(KARTE).element_handle().content_frame()
    iframe.wait_for_function(f"({JS_FLAECHEN})() && ({JS_FLAECHEN})().flaechen.length > 0", timeout=90_000)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="hidden", timeout=60_000)
    return iframe.evaluate(JS_FLAECHEN)


def _ganz_sichtbar(lage: dict, mindestzahl: int) -> None:
    """Jede Fläche liegt im Kartencontainer (1 px Toleranz), und die Kommune füllt ihn nicht zu knapp."""
    assert len(lage["flaechen"]) >= mindestzahl
    draussen = [
        f["id"]
        for f in lage["flaechen"]
        if f["links"] < -1 or f["oben"] < -1 or f["rechts"] > lage["breite"] + 1 or f["unten"] > lage["hoehe"] + 1
    ]
    assert draussen == [], f"{len(draussen)} Flächen ragen aus der Karte (Zoom {lage['zoom']}): {draussen[:5]}"
    links = min(f["links"] for f in lage["flaechen"])
    rechts = max(f["rechts"] for f in lage["flaechen"])
    oben = min(f["oben"] for f in lage["flaechen"])
    unten = max(f["unten"] for f in lage["flaechen"])
    # eingepasst, nicht nur weit herausgezoomt: in einer Richtung füllt die Kommune mindestens die halbe Karte
    assert (rechts - links) / lage["breite"] > 0.5 or (unten - oben) / lage["hoehe"] > 0.5, lage["zoom"]


@pytest.mark.parametrize("seite_pfad", ["karte", "cockpit"])
def test_musterstadt_ganz_im_kartenausschnitt(klein, server_musterstadt, seite_pfad):
    lage = _flaechen_im_ausschnitt(klein, f"{server_musterstadt.url}/{seite_pfad}")
    _ganz_sichtbar(lage, 20)
    nur_localhost(klein)


@pytest.mark.parametrize("seite_pfad", ["karte?ebene=planungsraum", "cockpit"])
def test_berlin_ganz_im_kartenausschnitt(klein, server_berlin, seite_pfad):
    lage = _flaechen_im_ausschnitt(klein, f"{server_berlin.url}/{seite_pfad}")
    _ganz_sichtbar(lage, 12)
    nur_localhost(klein)


@pytest.fixture(scope="module")
def server_regensburg(tmp_path_factory):
    from tests.browser.conftest import IN_CI, StreamlitServer
    from tests.conftest import deutschland_daten_da

    if not deutschland_daten_da():
        if IN_CI:
            pytest.fail("In CI müssen die bundesweiten Daten vorhanden sein.")
        pytest.skip("Bundesweite Daten (germany/) nicht vorhanden")
    s = StreamlitServer("regensburg", tmp_path_factory.mktemp("log") / "streamlit.log")
    yield s
    s.stoppen()


def test_landkreis_ganz_im_kartenausschnitt(klein, server_regensburg):
    """Alle 43 Gemeinden des Landkreises Regensburg sind beim Öffnen sichtbar (früher 4–6 bei Zoom 12)."""
    lage = _flaechen_im_ausschnitt(klein, f"{server_regensburg.url}/karte?ebene=gemeinde")
    assert len(lage["flaechen"]) == 43
    _ganz_sichtbar(lage, 43)
    nur_localhost(klein)

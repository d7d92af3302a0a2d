"""Sitzungsmodus auf dem Handy (390×844): kein Schritt läuft seitlich über den Rand (Issue 12).

Streamlit scrollt im Element `stMain`, nicht im Dokument: geprüft werden beide.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import nur_localhost

pytestmark = pytest.mark.browser

BREITEN = """() => {
  const haupt = document.querySelector('[data-testid="stMain"]');
  return {
    dokument: document.scrollingElement.scrollWidth,
    haupt: haupt ? haupt.scrollWidth : 0,
    fenster: window.innerWidth,
  };
}"""


def _ruhig(page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="hidden", timeout=120_000)
    page.wait_for_timeout(700)  # Vega zeichnet nach dem letzten Websocket-Paket


@pytest.fixture
def handy(browser):
    kontext = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE", is_mobile=True)
    page = kontext.new_page()
    page.anfragen = []
    page.on("request", lambda r: page.anfragen.append(r.url))
    yield page
    kontext.close()


@pytest.mark.parametrize("kommune", ["musterstadt", "berlin"])
def test_sitzungsschritte_ohne_seitlichen_ueberlauf(request, handy, kommune):
    server = request.getfixturevalue(f"server_{kommune}")
    handy.goto(f"{server.url}/sitzung?kommune={kommune}")
    handy.wait_for_selector("text=Ansicht 1 von", timeout=120_000)
    _ruhig(handy)
    n = int(handy.locator("text=/Ansicht 1 von \\d+/").first.inner_text().rsplit(" ", 1)[-1])
    assert n >= 5
    for schritt in range(1, n + 1):
        if schritt > 1:
            handy.get_by_role("button", name="Weiter ▶").click()
            handy.wait_for_selector(f"text=Ansicht {schritt} von", timeout=120_000)
            _ruhig(handy)
        b = handy.evaluate(BREITEN)
        assert b["dokument"] <= b["fenster"] and b["haupt"] <= b["fenster"], (kommune, schritt, b)
    nur_localhost(handy)

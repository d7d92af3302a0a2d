"""Im Browser mit echter Anmeldung: ein Träger ändert ein Angebot, das Bildungsbüro nimmt an, die Öffentlichkeit
sieht es; ein Träger kommt weder über die Oberfläche noch über eine hochgeladene Tabelle an fremde Angebote."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from kommune import angebotspflege as pflege
from kommune.angebotsregister import register_xlsx
from kommune.dateiablage import DateiAblage
from oberflaeche.rollen import benutzer_zeile
from tests.browser.conftest import StreamlitServer, _neue_seite, nur_localhost
from tests.conftest import PROJEKT

pytestmark = pytest.mark.browser
PASSWORT = "ein-langes-passwort"
NEUE_ZEITEN = "Di und Do 9–12 Uhr, neu ab Januar"
NEUER_NAME = "Sprachcafé am Kartenpunkt"


@pytest.fixture(scope="module")
def pflegeserver(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pflege")
    ordner = Path(shutil.copytree(PROJEKT / "sample_data" / "musterstadt", tmp / "meinestadt"))
    benutzer = tmp / "benutzer.toml"
    benutzer.write_text(
        benutzer_zeile("vhs-koord", "traeger", PASSWORT, "vhs") + benutzer_zeile("bb", "admin", PASSWORT),
        encoding="utf-8",
    )
    alt = {k: os.environ.get(k) for k in ("BILDUNGSMONITOR_BENUTZER", "BILDUNGSMONITOR_CACHE_DIR")}
    os.environ["BILDUNGSMONITOR_BENUTZER"] = str(benutzer)
    os.environ["BILDUNGSMONITOR_CACHE_DIR"] = str(tmp / "cache")
    try:
        server = StreamlitServer(str(ordner), tmp / "streamlit.log", rolle=None)
    finally:
        for k, v in alt.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    yield server, ordner, tmp
    server.stoppen()


def _fertig(page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="hidden", timeout=90_000)


def _anmelden_und_oeffnen(page, url: str, name: str, seite: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_text("Anmelden", exact=True).first.click()
    page.get_by_label("Benutzername").fill(name)
    page.get_by_label("Passwort").fill(PASSWORT)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_text(f"Angemeldet: {name}", exact=False).wait_for(timeout=60_000)
    page.locator('[data-testid="stSidebarNav"]').get_by_text(seite, exact=True).click()
    page.get_by_role("heading", name=seite).wait_for(timeout=90_000)
    _fertig(page)


def test_traeger_aendert_bildungsbuero_nimmt_an(browser, pflegeserver, monkeypatch):
    server, ordner, tmp = pflegeserver
    monkeypatch.setenv("BILDUNGSMONITOR_CACHE_DIR", str(tmp / "cache"))  # derselbe geteilte Zustand wie der Server
    a = DateiAblage()
    register = pflege.register_aus_kommune(a.laden(a.stand(str(ordner))))
    eigene = pflege.eigene(register, "vhs")
    fremd = pflege.eigene(register, "caritas").iloc[0]
    kontext, traeger = _neue_seite(browser, 1400)
    try:
        _anmelden_und_oeffnen(traeger, server.url, "vhs-koord", "Meine Angebote")
        main = traeger.locator('[data-testid="stMain"]')
        assert "Volkshochschule Musterstadt" in main.inner_text()
        assert "Caritas" not in main.inner_text() and fremd["name"] not in main.inner_text()
        zeiten = main.get_by_role("textbox", name="Zeiten", exact=True).first
        zeiten.fill(NEUE_ZEITEN)
        main.get_by_role("button", name="Änderung einreichen").click()
        main.get_by_text("Änderung eingereicht", exact=False).wait_for(timeout=60_000)
        _neues_angebot_per_kartenklick(traeger, main)
        # Hochladen: eine Tabelle mit dem fremden Angebot (Träger-ID gefälscht) wird nicht übernommen
        falsch = register[register["id"] == fremd["id"]].copy()
        falsch["traeger_id"], falsch["name"] = "vhs", "gekapert"
        (tmp / "falsch.xlsx").write_bytes(register_xlsx(falsch))
        main.get_by_role("tab", name="Tabelle (XLSX)").click()
        _fertig(traeger)
        main.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(tmp / "falsch.xlsx"))
        main.get_by_text("gehört nicht zu Ihrem Träger", exact=False).first.wait_for(timeout=60_000)
        assert main.get_by_role("button", name="Änderungen einreichen").count() == 0
        nur_localhost(traeger)
    finally:
        kontext.close()
    v, neu = pflege.offene(a, str(ordner))
    assert v.traeger_id == "vhs" and v.angebot_id == eigene["id"].iloc[0] and v.werte["zeiten"] == NEUE_ZEITEN
    assert (neu.art, neu.traeger_id, neu.werte["lage"], neu.werte["name"]) == ("neu", "vhs", "karte", NEUER_NAME)
    k = a.laden(a.stand(str(ordner)))
    assert neu.werte["gebiet"] in k.gebiete["viertel"].index  # der Klickpunkt liegt in einem Viertel

    kontext, buero = _neue_seite(browser, 1400)
    try:
        _anmelden_und_oeffnen(buero, server.url, "bb", "Angebote prüfen")
        main = buero.locator('[data-testid="stMain"]')
        main.get_by_text(NEUE_ZEITEN, exact=False).first.wait_for(state="attached", timeout=30_000)  # Tabelle (Canvas)
        for nummer in (1, 2):
            main.get_by_role("button", name="Annehmen").first.click()
            main.get_by_text(f"neue Datenversion v{nummer:04d}", exact=False).wait_for(timeout=90_000)
            _fertig(buero)
        main.get_by_text("Keine offenen Vorschläge.", exact=True).wait_for(timeout=30_000)
    finally:
        kontext.close()
    nachher = pflege.register_aus_kommune(a.laden(a.stand(str(ordner))))
    assert len(register) == 80 and len(nachher) == 81  # nichts verloren, eines dazu
    assert nachher.set_index("id").loc[v.angebot_id, "zeiten"] == NEUE_ZEITEN

    kontext, oeffentlich = _neue_seite(browser, 1000)  # ohne Anmeldung
    try:
        for suche, erwartet in ((str(eigene["name"].iloc[0]), NEUE_ZEITEN), (NEUER_NAME, NEUER_NAME)):
            oeffentlich.goto(f"{server.url}/angebote-finden?suche={quote(suche)}", wait_until="domcontentloaded")
            oeffentlich.get_by_role("heading", name="Angebote finden").wait_for(timeout=90_000)
            _fertig(oeffentlich)
            oeffentlich.locator('[data-testid="stMain"]').get_by_text(erwartet, exact=False).first.wait_for(
                timeout=60_000
            )
        nur_localhost(oeffentlich)
    finally:
        kontext.close()


#: Ein Punkt auf der Seite im Innern eines Gebiets, das ganz im Ausschnitt der Karte `el` liegt
JS_INNENPUNKT = """(el) => {
  const z = el._bmKarte;
  const sicht = z.map.getBounds().pad(-0.1);
  const r = z.map.getContainer().getBoundingClientRect();
  for (let i = 0; i < z.geo.ids.length; i++) {
    const mitte = z.geo.ringe[i].length && sicht.contains(z.grenzen(i)) ? z.innenpunkt(i) : null;
    if (!mitte || !sicht.contains(mitte)) continue;
    const c = z.map.latLngToContainerPoint(mitte);
    return {x: c.x + r.left, y: c.y + r.top};
  }
  return null;
}"""


def _neues_angebot_per_kartenklick(page, main) -> None:
    """Reiter „Neues Angebot“: Ort per Klick in die Kartenmitte, Name und Kategorie, einreichen."""
    main.get_by_role("tab", name="Neues Angebot").click()
    _fertig(page)
    panel = main.locator('[role="tabpanel"]:visible')
    panel.get_by_text("Ort auf der Karte wählen", exact=False).click()
    karte = panel.locator(".bm-karte").first
    karte.wait_for(timeout=60_000)
    try:
        page.wait_for_function("el => el.dataset.faerbung", arg=karte.element_handle(), timeout=60_000)
    except Exception:
        page.screenshot(path="/tmp/ortwahl.png", full_page=True)
        raise
    karte.scroll_into_view_if_needed()
    for versuch in range(2):  # ein Klick während des Einpassens kann Leaflet entgehen: dann ein zweiter
        page.wait_for_timeout(300)
        ziel = page.evaluate(JS_INNENPUNKT, karte.element_handle())
        assert ziel, "kein Gebiet im Ausschnitt der Ortskarte"
        page.mouse.click(ziel["x"], ziel["y"])
        try:
            page.wait_for_function("el => el.dataset.ort", arg=karte.element_handle(), timeout=15_000)
            break
        except Exception:
            if versuch:
                raise
    _fertig(page)
    assert panel.get_by_role("textbox", name="Breitengrad", exact=True).input_value() != ""
    panel.get_by_role("textbox", name="Name *", exact=True).fill(NEUER_NAME)
    panel.get_by_role("textbox", name="Kategorie *", exact=True).fill("Sprachkurs")
    panel.get_by_role("button", name="Neues Angebot einreichen").click()
    main.get_by_text("Neues Angebot eingereicht", exact=False).wait_for(timeout=60_000)

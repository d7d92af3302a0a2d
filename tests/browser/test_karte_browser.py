"""Im echten Browser: Karte zeichnet Flächen und Angebote, Klick wählt ein Gebiet, ein Indikatorwechsel färbt nur um.

Die Karte ist eine Komponente ohne iframe (`static/bildungsmonitor/karte.js`); ihr Zustand hängt für Tests
am Element `.bm-karte` (`_bmKarte`: Leaflet-Karte, Flächen, Angebotsebenen, Zähler für Aufbau und Färbung).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import nur_localhost

pytestmark = pytest.mark.browser

KARTE = ".bm-karte"

#: Zustand der (ersten) Karte: Flächen, sichtbare Angebotspunkte, Zoom, Aufbauten, Färbungen, Kennzeichen.
JS_ZUSTAND = """() => {
  const c = document.querySelector('.bm-karte');
  const z = c && c._bmKarte;
  if (!z) return null;
  let angebote = 0;
  // Angebote, die die Karte zeigt: einzeln oder in Gruppen (jede Gruppe zählt ihre Punkte)
  for (const e of z.angebote.values())
    if (z.map.hasLayer(e.ebene)) for (const m of e.ebene.getLayers()) angebote += m.bmAnzahl || 1;
  const gebiete = z.geo ? z.geo.ringe.filter((r) => r.length).length : 0;
  return {gebiete, angebote, zoom: z.map.getZoom(), aufbauten: z.aufbauten,
          faerbungen: z.faerbungen, geometrie: c.dataset.geometrie || null, faerbung: c.dataset.faerbung || null,
          marke: z.marke || null};
}"""

#: Ein Gebiet im Ausschnitt, dessen Mittelpunkt in ihm selbst liegt, und dieser Punkt auf der Seite.
JS_ZIELGEBIET = """() => {
  const z = document.querySelector('.bm-karte')._bmKarte;
  const sicht = z.map.getBounds().pad(-0.1);
  const r = z.map.getContainer().getBoundingClientRect();
  for (let i = 0; i < z.geo.ids.length; i++) {
    if (!z.geo.ringe[i].length || !sicht.contains(z.grenzen(i))) continue;
    const mitte = z.innenpunkt(i);
    if (!mitte || !sicht.contains(mitte)) continue;
    const c = z.map.latLngToContainerPoint(mitte);
    return {id: z.geo.ids[i], name: z.geo.namen[i], x: c.x + r.left, y: c.y + r.top};
  }
  return null;
}"""

JS_ZOOM_UND_MARKE = """() => {
  const z = document.querySelector('.bm-karte')._bmKarte;
  z.map.setZoom(14);
  z.marke = 'bleibt';
}"""

#: Liegt der ganze Ausschnitt der Ebene in der Sicht der Karte?
JS_GANZ_SICHTBAR = """() => {
  const z = document.querySelector('.bm-karte')._bmKarte;
  return z.map.getBounds().pad(0.02).contains(L.latLngBounds(z.geo.ausschnitt));
}"""


def _ruhig(page) -> None:
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="hidden", timeout=60_000)


def _gezeichnet(page) -> dict:
    page.wait_for_selector(f"{KARTE}[data-faerbung]", timeout=90_000)
    return page.evaluate(JS_ZUSTAND)


def _mitschneiden(page) -> list[bytes]:
    frames: list[bytes] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda p: frames.append(p.encode() if isinstance(p, str) else bytes(p))),
    )
    return frames


def _ist_karte(frame: bytes) -> bool:
    """Ist der Websocket-Frame das Element der Kartenkomponente?"""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    try:
        msg.ParseFromString(frame)
    except Exception:
        return False
    return (
        msg.HasField("delta") and msg.delta.HasField("new_element") and msg.delta.new_element.HasField("bidi_component")
    )


def _angebote_einschalten(page, *kategorien: str) -> None:
    """Angebotsebenen über den Knopf „Angebote: …“ einschalten (die Karte beginnt ohne)."""
    page.get_by_role("button", name="Angebote: keine").click()
    auswahl = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Angebote auf der Karte")
    for kategorie in kategorien:
        auswahl.locator("input").click()
        page.keyboard.type(kategorie)
        page.keyboard.press("Enter")
        _ruhig(page)
    page.keyboard.press("Escape")
    page.locator("h1").first.click()  # Auswahlfenster schließen
    page.get_by_role("button", name=f"Angebote: {len(kategorien)}").wait_for(timeout=30_000)


#: Eine Gruppe (mehrere Angebote) und ein einzelnes Angebot im Bild, je mit Seitenkoordinaten und der Fläche darunter.
JS_ANGEBOTE_IM_BILD = """() => {
  const z = document.querySelector('.bm-karte')._bmKarte;
  const r = z.map.getContainer().getBoundingClientRect();
  const sicht = z.map.getBounds().pad(-0.1);
  const aus = {};
  for (const e of z.angebote.values()) for (const m of e.ebene.getLayers()) {
    const ll = m.getLatLng();
    if (!sicht.contains(ll)) continue;
    const art = m.bmAnzahl > 1 ? 'gruppe' : 'einzeln';
    if (aus[art]) continue;
    const i = z.flaecheAn(ll);
    if (i < 0) continue;
    const c = z.map.latLngToContainerPoint(ll);
    aus[art] = {x: c.x + r.left, y: c.y + r.top, anzahl: m.bmAnzahl, id: z.geo.ids[i], name: z.geo.namen[i]};
  }
  return aus;
}"""


def _indikator_waehlen(page, text: str) -> None:
    auswahl = page.locator('[data-testid="stSelectbox"]').filter(has_text="Indikator").first
    auswahl.click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def test_karte_klick_waehlt_gebiet_offline(seite, server_musterstadt):
    frames = _mitschneiden(seite)
    seite.goto(f"{server_musterstadt.url}/karte", wait_until="domcontentloaded")
    zahlen = _gezeichnet(seite)
    assert zahlen["gebiete"] >= 80, zahlen
    # ruhige Karte: ohne Angebote, bis jemand sie einschaltet
    assert zahlen["angebote"] == 0, zahlen
    assert seite.get_by_role("button", name="Angebote: keine").is_visible()
    # Alle Flächen auf einem eigenen Canvas (kein Leaflet-Objekt, kein SVG je Fläche), keine DOM-Symbole
    assert seite.locator(f"{KARTE} canvas.bm-flaechen").count() == 1
    assert seite.locator(f"{KARTE} path").count() == 0
    assert seite.locator(f"{KARTE} .leaflet-marker-icon").count() == 0
    # erste Anzeige einer Ebene: eingepasst, das ganze Gebiet ist zu sehen
    assert seite.evaluate(JS_GANZ_SICHTBAR)

    seite.get_by_text("Kein Gebiet ausgewählt").wait_for(timeout=30_000)
    seite.locator(KARTE).scroll_into_view_if_needed()
    ziel = seite.evaluate(JS_ZIELGEBIET)
    assert ziel, "kein Gebiet im Ausschnitt"
    seite.mouse.click(ziel["x"], ziel["y"])
    seite.get_by_text(f"Ausgewählt: {ziel['name']}").wait_for(timeout=60_000)
    _ruhig(seite)
    assert f"gebiet={ziel['id']}" in seite.url
    # Das gewählte Gebiet ist umrandet, und der Klick hat die Karte nicht neu aufgebaut
    assert seite.evaluate("() => document.querySelector('.bm-karte')._bmKarte.gewaehlt") == ziel["id"]
    assert seite.evaluate(JS_ZUSTAND)["aufbauten"] == 1

    # Das Gebietsprofil zeigt dasselbe Gebiet (Zustand über die Seiten hinweg) …
    seite.get_by_role("link", name="Zum Gebietsprofil").click()
    seite.get_by_role("heading", name=ziel["name"]).wait_for(timeout=60_000)
    _ruhig(seite)
    # … und zurück auf der Karte kommt die Geometrie aus dem Browser, nicht noch einmal vom Server
    vorher = len(frames)
    seite.get_by_role("link", name="Karte").first.click()
    _gezeichnet(seite)
    _ruhig(seite)
    assert not any(b'"flaechen"' in f for f in frames[vorher:])
    assert any(b'"flaechen"' in f for f in frames[:vorher])

    nur_localhost(seite)
    assert any("/app/static/vendor/leaflet/leaflet.js" in u for u in seite.anfragen)
    assert any("/app/static/bildungsmonitor/karte.js" in u for u in seite.anfragen)


def test_angebotsebene_umschalten_und_einzugsbereiche(seite, server_musterstadt):
    seite.goto(f"{server_musterstadt.url}/karte?ebene=schulbezirk&indikator=kinderarmut", wait_until="domcontentloaded")
    _gezeichnet(seite)
    _angebote_einschalten(seite, "Kita", "Grundschule")
    seite.wait_for_function(f"({JS_ZUSTAND})().angebote === 177", timeout=60_000)  # 145 Kitas + 32 Grundschulen
    vorher = seite.evaluate(JS_ZUSTAND)
    assert vorher["gebiete"] == 32  # Grundschulbezirke, Werte umgerechnet
    seite.get_by_text("für 32 von 32 Gebieten der Ebene Grundschulbezirk").wait_for(timeout=30_000)
    # Ebenen-Umschalter der Karte öffnen und die Kitas ausblenden
    seite.locator(f"{KARTE} .leaflet-control-layers").hover()
    kita = seite.locator(f"{KARTE} .leaflet-control-layers-overlays label", has_text="Kita").locator("input")
    kita.uncheck()
    seite.wait_for_function(f"({JS_ZUSTAND})().angebote < {vorher['angebote']}", timeout=30_000)
    nachher = seite.evaluate(JS_ZUSTAND)
    assert vorher["angebote"] - nachher["angebote"] == 145  # alle Kitas der Musterstadt
    assert nachher["gebiete"] == 32
    # Die Auswahl der Ebenen übersteht einen Indikatorwechsel
    _indikator_waehlen(seite, "Übertritt an das Gymnasium")
    seite.wait_for_function(f"({JS_ZUSTAND})().faerbung !== '{vorher['faerbung']}'", timeout=60_000)
    _ruhig(seite)
    assert seite.evaluate(JS_ZUSTAND)["angebote"] == nachher["angebote"]


def test_indikatorwechsel_faerbt_nur_um(seite, server_musterstadt):
    frames = _mitschneiden(seite)
    seite.goto(f"{server_musterstadt.url}/karte?indikator=kinderarmut", wait_until="domcontentloaded")
    vorher = _gezeichnet(seite)
    seite.get_by_text("Die Karte zeigt Kinderarmut").wait_for(timeout=30_000)
    _ruhig(seite)
    # Ausschnitt ändern und den Zustand markieren: nach dem Wechsel müssen beide noch da sein
    seite.evaluate(JS_ZOOM_UND_MARKE)
    seite.wait_for_function(f"({JS_ZUSTAND})().zoom === 14")
    n = len(frames)
    _indikator_waehlen(seite, "Übertritt an das Gymnasium")
    seite.get_by_text("Die Karte zeigt Übertritt an das Gymnasium", exact=False).wait_for(timeout=60_000)
    seite.wait_for_function(f"({JS_ZUSTAND})().faerbung !== '{vorher['faerbung']}'", timeout=60_000)
    _ruhig(seite)
    nachher = seite.evaluate(JS_ZUSTAND)
    assert nachher["marke"] == "bleibt" and nachher["zoom"] == 14  # nicht neu aufgebaut, nicht eingepasst
    assert nachher["aufbauten"] == 1 and nachher["faerbungen"] == vorher["faerbungen"] + 1
    assert nachher["geometrie"] == vorher["geometrie"]
    gesendet = sum(len(f) for f in frames[n:])
    assert gesendet < 20_000, f"{gesendet} Bytes für einen Indikatorwechsel"
    assert not any(b'"flaechen"' in f or b'"punkte"' in f for f in frames[n:])
    nur_localhost(seite)


def test_fehlende_geometrie_wird_nachgeschickt(seite, server_musterstadt):
    """Hat der Browser eine Geometrie nicht mehr, die der Server für bekannt hält, meldet die Karte es und
    bekommt sie im nächsten Lauf (statt leer zu bleiben)."""
    frames = _mitschneiden(seite)
    seite.goto(f"{server_musterstadt.url}/karte?indikator=kinderarmut", wait_until="domcontentloaded")
    vorher = _gezeichnet(seite)
    _ruhig(seite)
    modul = next(u for u in seite.anfragen if "/bildungsmonitor/karte.js" in u)
    seite.evaluate("async (u) => { (await import(u)).vergessen(); }", modul)
    n = len(frames)
    _indikator_waehlen(seite, "Übertritt an das Gymnasium")
    seite.wait_for_function(f"({JS_ZUSTAND})().faerbung !== '{vorher['faerbung']}'", timeout=60_000)
    _ruhig(seite)
    assert any(b'"flaechen"' in f for f in frames[n:])  # nachgeschickt
    nachher = seite.evaluate(JS_ZUSTAND)
    assert nachher["aufbauten"] == 1 and nachher["gebiete"] == vorher["gebiete"]  # gleiche Geometrie, kein Neubau


def test_ebenenwechsel_passt_ein(seite, server_musterstadt):
    seite.goto(f"{server_musterstadt.url}/karte?indikator=kinderarmut", wait_until="domcontentloaded")
    vorher = _gezeichnet(seite)
    _ruhig(seite)
    seite.evaluate("() => document.querySelector('.bm-karte')._bmKarte.map.setZoom(15) && null")
    ebene = seite.locator("section[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text="Ebene")
    ebene.click()
    seite.keyboard.type("Stadtbezirk")
    seite.keyboard.press("Enter")
    seite.wait_for_function(f"({JS_ZUSTAND})().geometrie !== '{vorher['geometrie']}'", timeout=60_000)
    _ruhig(seite)
    nachher = seite.evaluate(JS_ZUSTAND)
    assert nachher["aufbauten"] == 2 and nachher["gebiete"] < vorher["gebiete"]
    assert nachher["zoom"] < 15 and seite.evaluate(JS_GANZ_SICHTBAR)


def test_berlin_umfaerben_klein(seite, server_berlin):
    """542 Planungsräume: die erste Karte bringt die Geometrie, ein Wechsel nur Farben und Texte."""
    frames = _mitschneiden(seite)
    seite.goto(f"{server_berlin.url}/karte?ebene=planungsraum&indikator=S4", wait_until="domcontentloaded")
    vorher = _gezeichnet(seite)
    _ruhig(seite)
    assert vorher["gebiete"] == 542
    erste = sum(len(f) for f in frames)
    n = len(frames)
    _indikator_waehlen(seite, "Arbeitslosigkeit (S1)")
    seite.wait_for_function(f"({JS_ZUSTAND})().faerbung !== '{vorher['faerbung']}'", timeout=60_000)
    _ruhig(seite)
    gesendet = sum(len(f) for f in frames[n:])
    karte = sum(len(f) for f in frames[n:] if _ist_karte(f))
    print(f"Berlin: erste Karte {erste / 1024:.0f} KB, Wechsel {gesendet / 1024:.1f} KB (Karte {karte / 1024:.1f})")
    # Die Karte selbst bringt nur die Färbung; der Rest ist die übrige Seite (Auswahllisten, Legende, Text)
    assert karte < 10_000, f"{karte} Bytes der Karte für einen Indikatorwechsel"
    assert gesendet < 25_000, f"{gesendet} Bytes für einen Indikatorwechsel"
    assert seite.evaluate(JS_ZUSTAND)["aufbauten"] == 1
    nur_localhost(seite)


def test_dichte_angebote_gruppiert_klick_waehlt_trotzdem_das_gebiet(seite, server_musterstadt):
    """Gruppen mit Anzahl statt Punktwolke; ein Klick auf Gruppe oder Angebot wählt die Fläche darunter, ein
    einzelnes Angebot zeigt dazu Name und Angaben."""
    seite.goto(f"{server_musterstadt.url}/karte?indikator=kinderarmut", wait_until="domcontentloaded")
    _gezeichnet(seite)
    _ruhig(seite)
    _angebote_einschalten(seite, "Kita")
    seite.wait_for_function(f"({JS_ZUSTAND})().angebote === 145", timeout=60_000)
    symbole = seite.evaluate(
        "() => [...document.querySelector('.bm-karte')._bmKarte.angebote.values()][0].ebene.getLayers().length"
    )
    assert symbole < 145  # gruppiert: weniger Symbole als Kitas
    seite.locator(KARTE).scroll_into_view_if_needed()
    ziele = seite.evaluate(JS_ANGEBOTE_IM_BILD)
    assert "gruppe" in ziele, ziele
    gruppe = ziele["gruppe"]
    seite.mouse.click(gruppe["x"], gruppe["y"])
    seite.get_by_text(f"Ausgewählt: {gruppe['name']}").wait_for(timeout=60_000)
    _ruhig(seite)
    assert f"gebiet={gruppe['id']}" in seite.url
    # Heranzoomen löst Gruppen auf; ein einzelnes Angebot zeigt beim Klick seinen Namen und wählt sein Gebiet
    seite.evaluate("() => document.querySelector('.bm-karte')._bmKarte.map.setZoom(15) && null")
    seite.wait_for_function(
        "() => [...document.querySelector('.bm-karte')._bmKarte.angebote.values()][0].ebene.getLayers()"
        ".every((m) => m.bmAnzahl === 1)"
    )
    einzeln = seite.evaluate(JS_ANGEBOTE_IM_BILD)["einzeln"]
    seite.mouse.click(einzeln["x"], einzeln["y"])
    seite.locator(f"{KARTE} .leaflet-popup-content").wait_for(timeout=30_000)
    assert "Kita" in seite.locator(f"{KARTE} .leaflet-popup-content").inner_text()
    if einzeln["id"] != gruppe["id"]:
        seite.get_by_text(f"Ausgewählt: {einzeln['name']}").wait_for(timeout=60_000)
    # der Maßstab in Metern, nicht in Meilen
    massstab = seite.locator(f"{KARTE} .leaflet-control-scale-line").all_inner_texts()
    assert len(massstab) == 1 and massstab[0].endswith("m"), massstab
    nur_localhost(seite)

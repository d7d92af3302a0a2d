"""Benchmarks: Ladezeit, Kartennutzlast und die Karte im Browser (erste Karte, Indikatorwechsel).

    python -m benchmarks.run [--kommune berlin] [--ohne-browser] [--mit-import]
    python -m benchmarks.run --kommune berlin --nur-browser [--projekt ../anderer-stand]

Im Browser (Debians Chromium): erste Karte bis die Flächen gezeichnet sind (nicht nur ein Element da ist),
Indikatorwechsel bis die neuen Farben gezeichnet sind, Bytes über den Websocket je Wechsel. `--projekt`
misst denselben Ablauf an einem anderen Stand der App (auch der alten folium-Karte) zum Vergleich.

`--mit-import`: zusätzlich die Prüfung einer Lieferung mit 1.000.000 Zeilen (`benchmarks/import_bench.py`).

Gibt JSON mit Messwerten aus; prüft nichts (Leistungsziele werden hier gemessen, nicht in Unit-Tests).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

PROJEKT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJEKT))
if "BILDUNGSMONITOR_DATA_DIR" not in os.environ and (PROJEKT.parent / "shared" / "data" / "berlin").is_dir():
    os.environ["BILDUNGSMONITOR_DATA_DIR"] = str(PROJEKT.parent / "shared" / "data")


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


def kartennutzlast(kommune_id: str) -> dict[str, float]:
    """Ladezeit der Kommune und was die Karte an den Browser schickt: Geometrie einmal, je Wechsel die Färbung."""
    from geodata.anzeige import vereinfachen
    from geodata.kartendaten import angebotsebenen, faerbung
    from geodata.klassen import klassen_bilden
    from geodata.kodierung import ebene_kodieren
    from kommune import kommune_laden
    from kommune.werte import neueste_periode, werte

    t = time.perf_counter()
    k = kommune_laden(kommune_id)
    laden_ms = _ms(t)
    ebene = k.konfiguration.standard_ebene or k.konfiguration.ebenen[0].id
    t = time.perf_counter()
    anzeige = vereinfachen(k.gebiete[ebene])
    vereinfachen_ms = _ms(t)
    t = time.perf_counter()
    geometrie = ebene_kodieren(anzeige)
    kodieren_ms = _ms(t)
    # ein Bedarfsindikator, sonst der erste des Katalogs (z. B. Landkreis Regensburg: nur Zensus-Merkmale)
    indikator = next((i for i in k.katalog.index if k.katalog.loc[i, "richtung"] == 1), k.katalog.index[0])
    reihe = werte(k, indikator, ebene, neueste_periode(k, indikator))
    t = time.perf_counter()
    f = faerbung(geometrie["ids"], reihe, klassen_bilden(reihe), "Titel", "%")
    faerbung_ms = _ms(t)
    angebote = angebotsebenen(k.angebote)

    def kb(daten: object) -> float:
        return round(len(json.dumps(daten, separators=(",", ":"), ensure_ascii=False).encode()) / 1024, 1)

    return {
        "map_geometry_kb": kb(geometrie),
        "map_recolour_kb": kb(f),
        "offers_kb": round(sum(kb(a) for a in angebote), 1),
        "laden_ms": laden_ms,
        "vereinfachen_ms": vereinfachen_ms,
        "kodieren_ms": kodieren_ms,
        "faerbung_ms": faerbung_ms,
        "gebiete": len(anzeige),
        "angebote": len(k.angebote),
    }


def naive_choropleth_kb(gebiete, reihe) -> float:
    """HTML eines einfachen folium.Choropleth der unvereinfachten Ebene (volle Koordinaten), ohne Angebote.

    Nicht neben `map_geometry_kb` stellen (eine ganze HTML-Seite gegen eine kodierte Geometrie): verglichen wird
    im Browser, ganze Seite gegen ganze Seite – `python -m benchmarks.vergleich` (`benchmarks/naive_karte`)."""
    try:
        import folium
    except ImportError:
        return float("nan")

    m = folium.Map(tiles=None)
    daten = reihe.rename("wert").rename_axis("id").reset_index()
    folium.Choropleth(
        gebiete.to_crs(4326).reset_index(), data=daten, columns=["id", "wert"], key_on="feature.properties.id"
    ).add_to(m)
    return round(len(m.get_root().render().encode()) / 1024, 1)


#: Die Karte ist gezeichnet: neue Komponente (Kennzeichen nach dem Zeichnen) oder alte folium-Karte im iframe.
_JS_NEU_FAERBUNG = "() => { const c = document.querySelector('.bm-karte'); return c && c.dataset.faerbung || null; }"
_JS_ALT_GEBIETE = """() => {
  const f = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
  const w = f && f.contentWindow;
  const karte = w && w.L && Object.values(w).find(v => v && v instanceof w.L.Map);
  if (!karte) return null;
  let neu = 0, alt = 0;
  karte.eachLayer(l => { if (l.feature && l.feature.properties && l.feature.properties.art === 'gebiet') {
    if (l.__alt) alt++; else neu++; } });
  return {neu, alt};
}"""
_JS_ALT_MARKIEREN = """() => {
  const w = document.querySelector('iframe[title="streamlit_folium.st_folium"]').contentWindow;
  const karte = Object.values(w).find(v => v && v instanceof w.L.Map);
  karte.eachLayer(l => { l.__alt = true; });
  return null;
}"""
#: Teilzeiten der Karte im Browser (karte.js: `zeiten`) und Zeitpunkte ihrer Marken (ms seit Seitenstart).
_JS_BROWSER_ZEITEN = """() => {
  const z = document.querySelector('.bm-karte')._bmKarte;
  if (!z || !z.zeiten) return null;
  const marke = (n) => {
    const m = performance.getEntriesByName(n);
    return m.length ? Math.round(m[0].startTime) : null;
  };
  return {...z.zeiten, daten_da_ms: marke('bm-daten'), gezeichnet_ms: marke('bm-gezeichnet')};
}"""
_ZWEI_BILDER = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"


def _gezeichnet(page, neu: bool, timeout: int = 180_000) -> None:
    """Warten, bis die Flächen gezeichnet sind (nicht nur ein Element da ist)."""
    if neu:
        page.wait_for_function(f"({_JS_NEU_FAERBUNG})() !== null", timeout=timeout)
        return
    bedingung = f"(() => {{ const z = ({_JS_ALT_GEBIETE})(); return z && z.neu > 0 && z.alt === 0; }})()"
    page.wait_for_function(bedingung, timeout=timeout)
    page.frame_locator('iframe[title="streamlit_folium.st_folium"]').locator("body").evaluate(_ZWEI_BILDER)


def vorgewaermt_warten(protokoll: Path, frist_s: float = 120.0) -> float | None:
    """Warten, bis der Server „Vorwärmen fertig“ protokolliert (`oberflaeche.vorwaermen`); Sekunden oder None
    (ein Stand der App ohne Vorwärmen, oder es dauert länger als `frist_s`)."""
    from oberflaeche.vorwaermen import FERTIG

    t = time.perf_counter()
    while time.perf_counter() - t < frist_s:
        if protokoll.exists() and FERTIG in protokoll.read_text(errors="replace"):
            return time.perf_counter() - t
        time.sleep(0.2)
    return None


def karte_im_browser(
    kommune_id: str, projekt: Path | None = None, wechsel: int = 5, sofort: bool = False
) -> dict[str, object]:
    """In Debians Chromium: Server bereit, erste Karte bis die Flächen gezeichnet sind, dann `wechsel`
    Indikatorwechsel (Zeit bis zu den neuen Farben, Bytes über den Websocket je Wechsel; Median und alle).

    Die erste Karte kommt nach dem Vorwärmen des Servers (`vorgewaermt_s`: so lange nach „bereit“), so wie ein
    Nutzer sie auf einem laufenden Server sieht; `sofort`: gleich nach „bereit“ (der Server rechnet noch).
    Danach dieselbe Seite in einer neuen Sitzung (`erste_karte_warmer_server_s`, mit Teilzeiten).
    `projekt`: ein anderer Stand der App (z. B. der Hauptzweig) für den Vergleich vorher/nachher.
    """
    import statistics

    from playwright.sync_api import sync_playwright

    from tests.browser import conftest as browser_conftest
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, StreamlitServer

    if projekt is not None:
        browser_conftest.PROJEKT = projekt
    t0 = time.perf_counter()
    protokoll = Path("/tmp") / f"bm-bench-{os.getpid()}.log"
    server = StreamlitServer(kommune_id, protokoll)
    bereit = time.perf_counter() - t0
    vorgewaermt = None if sofort else vorgewaermt_warten(protokoll)
    zeiten: list[float] = []
    bytes_je_wechsel: list[int] = []
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = b.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
            frames: list[int] = []
            page.on("websocket", lambda ws: ws.on("framereceived", lambda d: frames.append(len(d))))
            t1 = time.perf_counter()
            page.goto(f"{server.url}/karte?kommune={kommune_id}")
            page.wait_for_selector('.bm-karte, iframe[title="streamlit_folium.st_folium"]', timeout=180_000)
            neu = page.locator(".bm-karte").count() > 0
            _gezeichnet(page, neu)
            erste_karte = time.perf_counter() - t1
            # Teilzeiten im Browser (Dekodieren, Zeichnen aller Flächen); ältere Stände haben keine
            browser_teile = page.evaluate(_JS_BROWSER_ZEITEN) if neu else None
            page.wait_for_selector('[data-testid="stStatusWidget"]', state="hidden", timeout=120_000)
            erste_bytes = sum(frames)
            # Dieselbe Seite in einer neuen Sitzung (eigener Browser-Kontext): der Server ist warm, der Browser nicht
            kontext = b.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
            zweite = kontext.new_page()
            groesster: list[tuple[int, float]] = [(0, 0.0)]  # (Bytes, Zeitpunkt) des größten Frames: die Geometrie

            def frame_merken(d: object) -> None:
                if len(d) > groesster[0][0]:
                    groesster[0] = (len(d), time.perf_counter())

            zweite.on("websocket", lambda ws: ws.on("framereceived", frame_merken))
            t2 = time.perf_counter()
            zweite.goto(f"{server.url}/karte?kommune={kommune_id}")
            zweite.wait_for_selector('[data-testid="stSidebar"]', timeout=180_000)
            warm_teile = {"oberflaeche_s": round(time.perf_counter() - t2, 2)}  # Streamlits Oberfläche steht
            zweite.wait_for_selector("h1", timeout=180_000)
            warm_teile["seitentitel_s"] = round(time.perf_counter() - t2, 2)  # erster Lauf des Skripts kommt an
            zweite.wait_for_selector('.bm-karte, iframe[title="streamlit_folium.st_folium"]', timeout=180_000)
            warm_teile["kartenelement_s"] = round(time.perf_counter() - t2, 2)
            _gezeichnet(zweite, neu)
            erste_karte_warm = time.perf_counter() - t2
            warm_teile["geometrie_empfangen_s"] = round(groesster[0][1] - t2, 2)  # danach: nur noch der Browser
            warm_teile["geometrie_frame_kb"] = round(groesster[0][0] / 1024, 1)
            kontext.close()
            for _ in range(wechsel):
                page.wait_for_timeout(500)
                vorher = page.evaluate(_JS_NEU_FAERBUNG) if neu else page.evaluate(_JS_ALT_MARKIEREN)
                n = len(frames)
                page.locator('[data-testid="stSelectbox"]').filter(has_text="Indikator").first.click()
                page.keyboard.press("ArrowDown")
                t = time.perf_counter()
                page.keyboard.press("Enter")
                if neu:
                    page.wait_for_function(f"({_JS_NEU_FAERBUNG})() !== {json.dumps(vorher)}", timeout=120_000)
                else:
                    _gezeichnet(page, neu, 120_000)
                zeiten.append(time.perf_counter() - t)
                page.wait_for_selector('[data-testid="stStatusWidget"]', state="hidden", timeout=120_000)
                page.wait_for_timeout(300)
                bytes_je_wechsel.append(sum(frames[n:]))
            b.close()
    finally:
        server.stoppen()
        browser_conftest.PROJEKT = PROJEKT
    return {
        "karte": "komponente" if neu else "folium",
        "server_bereit_s": round(bereit, 2),
        "vorgewaermt_s": None if vorgewaermt is None else round(vorgewaermt, 2),
        "erste_karte_nach": "bereit" if sofort else "vorgewaermt",
        "erste_karte_s": round(erste_karte, 2),
        "erste_karte_warmer_server_s": round(erste_karte_warm, 2),
        "erste_karte_warmer_server_teile": warm_teile,
        "erste_karte_kb": round(erste_bytes / 1024, 1),
        "erste_karte_browser_ms": browser_teile,
        "indikatorwechsel_median_ms": round(statistics.median(zeiten) * 1000),
        "indikatorwechsel_ms": [round(z * 1000) for z in zeiten],
        "indikatorwechsel_median_kb": round(statistics.median(bytes_je_wechsel) / 1024, 1),
        "indikatorwechsel_kb": [round(x / 1024, 1) for x in bytes_je_wechsel],
    }


def baukasten_im_browser(kommune_id: str, projekt: Path | None = None, schritte: int = 6) -> dict[str, object]:
    """In Debians Chromium: Index-Baukasten öffnen, „eigene Gewichte“ wählen, dann `schritte` Schritte an den
    ersten zwei Gewichtsreglern (Pfeiltaste, abwechselnd, immer aufwärts – so ist jeder Stand neu und kein Ergebnis
    kommt aus Streamlits Nachrichten-Cache im Browser); je Schritt die Zeit bis die Karte neu gefärbt ist und die
    Bytes über den Websocket. Der erste Schritt zählt mit (er war früher der teure: die ganze Karte reiste neu)."""
    import statistics

    from playwright.sync_api import sync_playwright

    from tests.browser import conftest as browser_conftest
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, StreamlitServer

    if projekt is not None:
        browser_conftest.PROJEKT = projekt
    protokoll = Path("/tmp") / f"bm-bench-baukasten-{os.getpid()}.log"
    server = StreamlitServer(kommune_id, protokoll)
    vorgewaermt_warten(protokoll)
    zeiten: list[float] = []
    bytes_je_schritt: list[int] = []
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = b.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
            frames: list[int] = []
            page.on("websocket", lambda ws: ws.on("framereceived", lambda d: frames.append(len(d))))
            page.goto(f"{server.url}/index?kommune={kommune_id}")
            page.wait_for_function(f"({_JS_NEU_FAERBUNG})() !== null", timeout=180_000)
            page.wait_for_selector('[data-testid="stStatusWidget"]', state="hidden", timeout=120_000)
            page.locator('[data-testid="stSelectbox"]').filter(has_text="Gewichtung").first.click()
            page.get_by_role("option", name="eigene Gewichte (normiert)").click()
            regler = page.locator('[data-testid="stSlider"]').filter(has_text="Gewicht").get_by_role("slider")
            regler.first.wait_for(timeout=120_000)
            page.wait_for_function(
                "() => !document.querySelector('[data-testid=\"stSlider\"] [role=slider][aria-disabled=true]')",
                timeout=120_000,
            )
            page.wait_for_selector('[data-testid="stStatusWidget"]', state="hidden", timeout=120_000)
            for i in range(schritte):
                page.wait_for_timeout(500)
                vorher = page.evaluate(_JS_NEU_FAERBUNG)
                n = len(frames)
                regler.nth(i % 2).focus()  # abwechselnd zwei Regler, immer aufwärts: jeder Schritt ein neuer Stand
                t = time.perf_counter()
                page.keyboard.press("ArrowRight")
                page.wait_for_function(f"({_JS_NEU_FAERBUNG})() !== {json.dumps(vorher)}", timeout=120_000)
                zeiten.append(time.perf_counter() - t)
                page.wait_for_selector('[data-testid="stStatusWidget"]', state="hidden", timeout=120_000)
                page.wait_for_timeout(300)
                bytes_je_schritt.append(sum(frames[n:]))
            b.close()
    finally:
        server.stoppen()
        browser_conftest.PROJEKT = PROJEKT
    return {
        "gewichtsaenderung_erster_schritt_ms": round(zeiten[0] * 1000),
        "gewichtsaenderung_median_ms": round(statistics.median(zeiten) * 1000),
        "gewichtsaenderung_ms": [round(z * 1000) for z in zeiten],
        "gewichtsaenderung_median_kb": round(statistics.median(bytes_je_schritt) / 1024, 1),
        "gewichtsaenderung_kb": [round(x / 1024, 1) for x in bytes_je_schritt],
    }


def rerun_nach_gewichtsaenderung_ms(kommune_id: str = "berlin", wiederholungen: int = 5) -> float:
    """Serverseitige Zeit bis zur aktualisierten Seite nach einer Gewichtsänderung (AppTest, Median)."""
    import statistics

    from streamlit.testing.v1 import AppTest

    os.environ.setdefault("BILDUNGSMONITOR_DEMO", "1")  # Baukasten ist intern: Rolle im Demo-Modus wählen
    at = AppTest.from_file(str(PROJEKT / "app.py"), default_timeout=120)
    at.session_state["demo_rolle"] = "intern"
    at.query_params["kommune"] = kommune_id
    at.run()
    at.switch_page("seiten/index_baukasten.py").run()
    preset = at.selectbox(key=f"idx_preset_{'Berlin' if kommune_id == 'berlin' else 'Musterstadt'}").value
    at.selectbox(key=f"idx_gew_{preset}").set_value("manuell").run()
    regler = next(s for s in at.slider if s.key and s.key.startswith(f"idx_w_{preset}_"))
    zeiten = []
    for i in range(wiederholungen):
        t = time.perf_counter()
        at.slider(key=regler.key).set_value(1.0 + (i % 2) * 2.0).run()
        zeiten.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(zeiten), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kommune", default="berlin")
    parser.add_argument("--ohne-browser", action="store_true")
    parser.add_argument("--mit-import", action="store_true", help="große Lieferung prüfen (etwa 1 Minute)")
    parser.add_argument("--nur-browser", action="store_true", help="nur die Karte im Browser messen")
    parser.add_argument("--projekt", type=Path, help="anderen Stand der App im Browser messen (vorher/nachher)")
    parser.add_argument("--sofort", action="store_true", help="erste Karte gleich nach „bereit“, nicht vorgewärmt")
    parser.add_argument(
        "--datenbank",
        help="PostgreSQL-Server (Eigentümer-URL): Laden und Import Dateien gegen PostGIS (benchmarks.ablage_db_teil)",
    )
    args = parser.parse_args()
    if args.nur_browser:
        ergebnis = {"kommune": args.kommune, **karte_im_browser(args.kommune, args.projekt, sofort=args.sofort)}
        ergebnis["baukasten"] = baukasten_im_browser(args.kommune, args.projekt)
        print(json.dumps(ergebnis, ensure_ascii=False, indent=2))
        return
    ergebnis = {"kommune": args.kommune, **kartennutzlast(args.kommune)}
    if args.kommune == "berlin":
        from benchmarks import indices_bench, interpolation_bench

        ergebnis["umrechnung_gegen_tobler"] = interpolation_bench.messen("berlin", frischer_prozess=False)
        ergebnis.update(indices_bench.messen())
        ergebnis["rerun_after_weight_change_server_ms"] = rerun_nach_gewichtsaenderung_ms("berlin")  # ohne Browser
    if args.mit_import:
        from benchmarks import import_bench

        ergebnis.update(import_bench.messen())
    if args.datenbank:
        from benchmarks.ablage_db_teil import vergleichen

        ergebnis["dateien_gegen_postgis"] = vergleichen(args.datenbank, [args.kommune], 5, 542)
    if not args.ohne_browser and Path("/usr/bin/chromium").exists():
        ergebnis.update(karte_im_browser(args.kommune, args.projekt, sofort=args.sofort))
        ergebnis["baukasten"] = baukasten_im_browser(args.kommune, args.projekt)
    print(json.dumps(ergebnis, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

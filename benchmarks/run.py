"""Benchmarks: Ladezeit, Kartennutzlast und Kaltstart bis zur gezeichneten Karte (Berlin).

    python -m benchmarks.run [--kommune berlin] [--ohne-browser] [--mit-import]

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
    """Ladezeit der Kommune und Größe der Karten-Daten (GeoJSON, gesamtes Karten-HTML)."""
    from geodata.anzeige import vereinfachen
    from geodata.karte import karte_bauen
    from geodata.kartendaten import angebots_features, flaechen_features
    from geodata.klassen import klassen_bilden
    from kommune import kommune_laden
    from kommune.werte import neueste_periode, werte

    t = time.perf_counter()
    k = kommune_laden(kommune_id)
    laden_ms = _ms(t)
    ebene = k.konfiguration.standard_ebene or k.konfiguration.ebenen[0].id
    t = time.perf_counter()
    anzeige = vereinfachen(k.gebiete[ebene])
    vereinfachen_ms = _ms(t)
    # ein Bedarfsindikator, sonst der erste des Katalogs (z. B. Landkreis Regensburg: nur Zensus-Merkmale)
    indikator = next((i for i in k.katalog.index if k.katalog.loc[i, "richtung"] == 1), k.katalog.index[0])
    reihe = werte(k, indikator, ebene, neueste_periode(k, indikator))
    flaechen = flaechen_features(anzeige, reihe, klassen_bilden(reihe), "%")
    angebote = angebots_features(k.angebote)
    html = karte_bauen(flaechen, angebote, mitte=(0, 0)).als_eine_karte().get_root().render()
    return {
        "map_payload_kb": round(len(json.dumps(flaechen, separators=(",", ":"))) / 1024, 1),
        "naive_choropleth_payload_kb": naive_choropleth_kb(k.gebiete[ebene], reihe),
        "laden_ms": laden_ms,
        "vereinfachen_ms": vereinfachen_ms,
        "flaechen_geojson_kb": round(len(json.dumps(flaechen, separators=(",", ":"))) / 1024, 1),
        "angebote_geojson_kb": round(sum(len(json.dumps(fc, separators=(",", ":"))) for _, fc in angebote) / 1024, 1),
        "karten_html_kb": round(len(html.encode()) / 1024, 1),
        "gebiete": len(anzeige),
        "angebote": len(k.angebote),
    }


def naive_choropleth_kb(gebiete, reihe) -> float:
    """Vergleich: ein einfacher folium.Choropleth der unvereinfachten Ebene (volle Koordinaten)."""
    import folium

    m = folium.Map(tiles=None)
    daten = reihe.rename("wert").rename_axis("id").reset_index()
    folium.Choropleth(
        gebiete.to_crs(4326).reset_index(), data=daten, columns=["id", "wert"], key_on="feature.properties.id"
    ).add_to(m)
    return round(len(m.get_root().render().encode()) / 1024, 1)


def kaltstart(kommune_id: str) -> dict[str, float]:
    """Sekunden vom Start des Servers bis zur gezeichneten Karte im Browser (Debians Chromium)."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, StreamlitServer

    t0 = time.perf_counter()
    server = StreamlitServer(kommune_id, Path("/tmp") / f"bm-bench-{os.getpid()}.log")
    bereit = time.perf_counter() - t0
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = b.new_page(viewport={"width": 1280, "height": 900})
            t1 = time.perf_counter()
            page.goto(f"{server.url}/karte")
            frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
            frame.locator(".leaflet-container canvas").first.wait_for(timeout=120_000)
            karte = time.perf_counter()
            b.close()
    finally:
        server.stoppen()
    return {
        "server_bereit_s": round(bereit, 2),
        "seite_bis_karte_s": round(karte - t1, 2),
        "kaltstart_bis_karte_s": round(karte - t0, 2),
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
    args = parser.parse_args()
    ergebnis = {"kommune": args.kommune, **kartennutzlast(args.kommune)}
    if args.kommune == "berlin":
        from benchmarks import indices_bench, interpolation_bench

        ergebnis.update(interpolation_bench.messen())
        ergebnis.update(indices_bench.messen())
        ergebnis["rerun_after_weight_change_ms"] = rerun_nach_gewichtsaenderung_ms("berlin")
    if args.mit_import:
        from benchmarks import import_bench

        ergebnis.update(import_bench.messen())
    if not args.ohne_browser and Path("/usr/bin/chromium").exists():
        ergebnis.update(kaltstart(args.kommune))
    print(json.dumps(ergebnis, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

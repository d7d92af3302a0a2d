"""Benchmark der öffentlichen Seite „Angebote finden“ in Debians Chromium (Berlin: ≈ 4.300 Angebote).

    python -m benchmarks.angebotsfinder_bench [--kommune berlin] [--wechsel 5]

Gemessen (wie `benchmarks/run.py`: Server gestartet und vorgewärmt, dann der Browser): Zeit bis zur ersten Liste
und Karte (Trefferzahl steht da, die Karte hat ihre Angebote gezeichnet und zeigt dieselbe Zahl), dasselbe in einer
zweiten Sitzung am warmen Server, dann `--wechsel` Filterwechsel (Kategorie) bis Liste und Karte die neue Zahl
zeigen (Median und alle) und die Bytes über den Websocket je Wechsel. Gibt JSON aus; prüft nichts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

PROJEKT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJEKT))
if "BILDUNGSMONITOR_DATA_DIR" not in os.environ and (PROJEKT.parent / "shared" / "data" / "berlin").is_dir():
    os.environ["BILDUNGSMONITOR_DATA_DIR"] = str(PROJEKT.parent / "shared" / "data")

#: Trefferzahl der Liste und sichtbare Angebote der Karte (null, solange eins fehlt).
JS_ZAHLEN = """() => {
  const starke = [...document.querySelectorAll('[data-testid="stMarkdownContainer"] strong')];
  const t = starke.map((s) => s.textContent.trim()).find((s) => /^[0-9.]+ Angebote?$/.test(s));
  const karte = document.querySelector('.bm-karte');
  const sichtbar = karte && karte.dataset.faerbung ? karte.dataset.angeboteSichtbar : undefined;
  if (!t || sichtbar === undefined) return null;
  return {liste: Number(t.split(' ')[0].replace(/[.]/g, '')), karte: Number(sichtbar)};
}"""


def _gleich(page, vorher: int | None, timeout: int = 180_000) -> dict:
    """Warten, bis Liste und Karte dieselbe Zahl zeigen (mit `vorher`: eine andere als vorher)."""
    v = "null" if vorher is None else str(vorher)
    page.wait_for_function(
        f"(() => {{ const z = ({JS_ZAHLEN})(); "
        f"return z && z.liste === z.karte && ({v} === null || z.liste !== {v}); }})()",
        timeout=timeout,
    )
    return page.evaluate(JS_ZAHLEN)


def kategorien_mit_wechselnder_zahl(kommune_id: str, n: int) -> list[tuple[str, int]]:
    """`n` Kategorien, deren Trefferzahlen sich von Schritt zu Schritt unterscheiden (erwartete Zahl dazu)."""
    from geodata.angebotsfinder import Filterzustand, filtern, oeffentliche_angebote
    from kommune import kommune_laden

    k = kommune_laden(kommune_id)
    a = oeffentliche_angebote(k.angebote)
    zahlen = {kat: int(filtern(a, Filterzustand(kategorie=kat), k).sum()) for kat in sorted(a["kategorie"].unique())}
    folge: list[tuple[str, int]] = []
    reihe = sorted(zahlen.items(), key=lambda kv: -kv[1])
    i = 0
    while len(folge) < n and reihe:
        kat, z = reihe[i % len(reihe)]
        if not folge or folge[-1][1] != z:
            folge.append((kat, z))
        i += 1
    return folge


def messen(kommune_id: str = "berlin", wechsel: int = 5) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    from benchmarks.run import vorgewaermt_warten
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, StreamlitServer

    folge = kategorien_mit_wechselnder_zahl(kommune_id, wechsel)
    t0 = time.perf_counter()
    protokoll = Path("/tmp") / f"bm-angebotsfinder-{os.getpid()}.log"
    server = StreamlitServer(kommune_id, protokoll, rolle="oeffentlich")
    bereit = time.perf_counter() - t0
    vorgewaermt = vorgewaermt_warten(protokoll)
    zeiten: list[float] = []
    kb: list[float] = []
    zahlen: list[int] = []
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = b.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
            frames: list[int] = []
            page.on("websocket", lambda ws: ws.on("framereceived", lambda d: frames.append(len(d))))
            t1 = time.perf_counter()
            page.goto(f"{server.url}/angebote-finden?kommune={kommune_id}")
            erste = _gleich(page, None)
            erste_s = time.perf_counter() - t1
            page.wait_for_selector('[data-testid="stStatusWidget"]', state="hidden", timeout=120_000)
            erste_kb = sum(frames) / 1024
            # zweite Sitzung am warmen Server (der Browser hat nichts im Speicher)
            kontext = b.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
            zweite = kontext.new_page()
            t2 = time.perf_counter()
            zweite.goto(f"{server.url}/angebote-finden?kommune={kommune_id}")
            zweite.wait_for_selector("h1", timeout=180_000)
            warm_titel_s = time.perf_counter() - t2  # Streamlit steht, der erste Lauf ist da
            zweite.wait_for_selector(".bm-karte", timeout=180_000)
            warm_element_s = time.perf_counter() - t2
            _gleich(zweite, None)
            warm_s = time.perf_counter() - t2
            kontext.close()
            page.get_by_text("Filter", exact=True).first.click()
            page.wait_for_timeout(500)
            vorher = erste["liste"]
            for kat, erwartet in folge:
                page.wait_for_timeout(500)
                n = len(frames)
                auswahl = page.locator('[data-testid="stSelectbox"]').filter(has_text="Kategorie").first
                auswahl.click()
                page.keyboard.type(kat)
                t = time.perf_counter()
                page.keyboard.press("Enter")
                z = _gleich(page, vorher, 120_000)
                zeiten.append(time.perf_counter() - t)
                page.wait_for_selector('[data-testid="stStatusWidget"]', state="hidden", timeout=120_000)
                page.wait_for_timeout(300)
                kb.append(sum(frames[n:]) / 1024)
                zahlen.append(z["liste"])
                if z["liste"] != erwartet:
                    raise RuntimeError(f"{kat}: Liste zeigt {z['liste']}, erwartet {erwartet}")
                vorher = z["liste"]
            b.close()
    finally:
        server.stoppen()
    return {
        "kommune": kommune_id,
        "angebote": erste["liste"],
        "server_bereit_s": round(bereit, 2),
        "vorgewaermt_s": None if vorgewaermt is None else round(vorgewaermt, 2),
        "erste_liste_und_karte_s": round(erste_s, 2),
        "erste_liste_und_karte_kb": round(erste_kb, 1),
        "erste_liste_und_karte_warmer_server_s": round(warm_s, 2),
        "warmer_server_teile_s": {"seitentitel": round(warm_titel_s, 2), "kartenelement": round(warm_element_s, 2)},
        "filterwechsel": [kat for kat, _ in folge],
        "filterwechsel_treffer": zahlen,
        "filterwechsel_median_ms": round(statistics.median(zeiten) * 1000),
        "filterwechsel_ms": [round(x * 1000) for x in zeiten],
        "filterwechsel_median_kb": round(statistics.median(kb), 1),
        "filterwechsel_kb": [round(x, 1) for x in kb],
    }


def sichtbarkeit_bytes(kommune_id: str = "berlin") -> dict[str, int]:
    """Was die Karte je Wechsel an Sichtbarkeit bekommt (Zeichen) und einmal an Angeboten (Bytes JSON)."""
    from geodata.angebotsfinder import Filterzustand, filtern, kartenreihenfolge, oeffentliche_angebote, sichtbarkeit
    from geodata.kartendaten import angebotsebenen
    from kommune import kommune_laden

    k = kommune_laden(kommune_id)
    a = oeffentliche_angebote(k.angebote)
    reihe = kartenreihenfolge(a)
    text = sichtbarkeit(filtern(a, Filterzustand(kategorie="Kita"), k), reihe)
    return {
        "sichtbarkeit_zeichen": len(text),
        "angebote_einmal_bytes": len(json.dumps(angebotsebenen(a), ensure_ascii=False).encode()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kommune", default="berlin")
    parser.add_argument("--wechsel", type=int, default=5)
    args = parser.parse_args()
    ergebnis = {**sichtbarkeit_bytes(args.kommune), **messen(args.kommune, args.wechsel)}
    print(json.dumps(ergebnis, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

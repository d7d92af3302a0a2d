"""20 Sitzungen zugleich: ein oder mehrere Streamlit-Server, ein Chromium, 20 Seiten wechseln den Indikator.

    python -m benchmarks.gleichzeitig [--kommune musterstadt --kommune berlin] [--sitzungen 20] [--wechsel 3]
                                      [--server 2] [--dauer 120]

Je Kommune frisch gestartete, vorgewärmte Server (`benchmarks.run.vorgewaermt_warten`; `--server 2`: zwei
Prozesse auf derselben Ablage, mit BILDUNGSMONITOR_DATENBANK auf derselben Datenbank, die Seiten reihum).
Alle Seiten öffnen die Karte zugleich (erste Karte: bis die Flächen gezeichnet sind), dann wechselt jede
`wechsel`-mal den Indikator, alle gleichzeitig (`--dauer 120`: jede so oft nacheinander, wie in 2 Minuten
geht); gemessen wird je Wechsel die Zeit bis die Karte die neuen Farben zeigt, dazu der Speicher je Server.
Dazu die Seitenläufe, wie der Server sie misst (`oberflaeche.laufzeit`, p50/p95): der Browser mit 20 Seiten
rechnet auf denselben 2 Kernen mit, die Wartezeit im Browser ist daher größer als der Lauf im Server.
Gibt JSON mit p50/p95 und Fehlern aus; prüft nichts.
"""

from __future__ import annotations

import argparse
import asyncio
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

_FAERBUNG = "() => { const c = document.querySelector('.bm-karte'); return c && c.dataset.faerbung || null; }"


def perzentil(werte: list[float], p: float) -> float | None:
    """Das p-Perzentil (0–100, nächster Rang) oder None ohne Werte."""
    if not werte:
        return None
    geordnet = sorted(werte)
    rang = max(0, min(len(geordnet) - 1, round(p / 100 * len(geordnet) + 0.5) - 1))
    return geordnet[rang]


async def _sitzung(
    browser, url: str, wechsel: int, start: asyncio.Barrier, ende: float | None = None
) -> dict[str, object]:
    """Eine Sitzung: erste Karte, dann `wechsel` Indikatorwechsel zugleich mit allen anderen – oder, mit `ende`
    (Zeitpunkt), so viele Wechsel nacheinander, wie bis dahin gehen."""
    kontext = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    seite = await kontext.new_page()
    ergebnis: dict[str, object] = {"erste_karte_s": None, "wechsel_s": [], "fehler": []}
    try:
        t = time.perf_counter()
        await seite.goto(url, timeout=300_000)
        await seite.wait_for_function(f"({_FAERBUNG})() !== null", timeout=300_000)
        ergebnis["erste_karte_s"] = time.perf_counter() - t
        await seite.wait_for_selector('[data-testid="stStatusWidget"]', state="hidden", timeout=300_000)
        n = 0
        while (n < wechsel) if ende is None else (time.perf_counter() < ende):
            n += 1
            if ende is None:
                await start.wait()  # alle Sitzungen wechseln zugleich
            vorher = await seite.evaluate(_FAERBUNG)
            await seite.locator('[data-testid="stSelectbox"]').filter(has_text="Indikator").first.click()
            await seite.keyboard.press("ArrowDown")
            t = time.perf_counter()
            await seite.keyboard.press("Enter")
            await seite.wait_for_function(f"({_FAERBUNG})() !== {json.dumps(vorher)}", timeout=300_000)
            ergebnis["wechsel_s"].append(time.perf_counter() - t)
            await seite.wait_for_selector('[data-testid="stStatusWidget"]', state="hidden", timeout=300_000)
    except Exception as e:  # eine gescheiterte Sitzung zählt als Fehler, die anderen laufen weiter
        ergebnis["fehler"].append(f"{type(e).__name__}: {str(e)[:200]}")
    finally:
        await kontext.close()
    return ergebnis


async def _messen(
    urls: list[str], sitzungen: int, wechsel: int, dauer_s: float = 0.0
) -> list[dict[str, object]]:
    from playwright.async_api import async_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        start = asyncio.Barrier(sitzungen)
        ende = time.perf_counter() + dauer_s if dauer_s else None
        ergebnisse = await asyncio.gather(
            *(_sitzung(browser, urls[i % len(urls)], wechsel, start, ende) for i in range(sitzungen))
        )
        await browser.close()
    return list(ergebnisse)


def _cpu_s(pid: int) -> float:
    """Verbrauchte CPU-Zeit (Nutzer + System) eines Prozesses in Sekunden (Linux, /proc)."""
    felder = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(felder[11]) + int(felder[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    """Belegter Arbeitsspeicher eines Prozesses in MB (Linux, /proc)."""
    for zeile in Path(f"/proc/{pid}/status").read_text().splitlines():
        if zeile.startswith("VmRSS:"):
            return int(zeile.split()[1]) / 1024
    return float("nan")


def gleichzeitig(
    kommune: str, sitzungen: int = 20, wechsel: int = 3, server_anzahl: int = 1, dauer_s: float = 0.0
) -> dict[str, object]:
    """`server_anzahl` Server auf derselben Ablage (mit BILDUNGSMONITOR_DATENBANK: derselben Datenbank),
    `sitzungen` Seiten reihum verteilt, je `wechsel` Indikatorwechsel zugleich – oder mit `dauer_s` so viele
    Wechsel nacheinander, wie in der Zeit gehen; Kennzahlen in Sekunden, Speicher je Server in MB."""
    from benchmarks.run import vorgewaermt_warten
    from oberflaeche.laufzeit import UMGEBUNG, laufzeiten_lesen
    from tests.browser.conftest import StreamlitServer

    laufprotokoll = Path("/tmp") / f"bm-gleichzeitig-laeufe-{os.getpid()}.tsv"
    laufprotokoll.unlink(missing_ok=True)
    os.environ[UMGEBUNG] = str(laufprotokoll)  # jeder Server schreibt die Dauer jedes Seitenlaufs
    server = []
    try:
        for i in range(server_anzahl):
            protokoll = Path("/tmp") / f"bm-gleichzeitig-{os.getpid()}-{i}.log"
            server.append(StreamlitServer(kommune, protokoll))
            vorgewaermt = vorgewaermt_warten(protokoll)
        t = time.perf_counter()
        cpu = [_cpu_s(x.proc.pid) for x in server]
        last = os.getloadavg()[0]
        urls = [f"{x.url}/karte?kommune={kommune}" for x in server]
        ergebnisse = asyncio.run(_messen(urls, sitzungen, wechsel, dauer_s))
        dauer = time.perf_counter() - t
        server_cpu = sum(_cpu_s(x.proc.pid) for x in server) - sum(cpu)
        speicher = [round(_rss_mb(x.proc.pid)) for x in server]
    finally:
        for x in server:
            x.stoppen()
        os.environ.pop(UMGEBUNG, None)
    seitenlaeufe = [ms / 1000 for ms in laufzeiten_lesen(str(laufprotokoll)).get("karte", [])]
    erste = [e["erste_karte_s"] for e in ergebnisse if e["erste_karte_s"] is not None]
    laeufe = [w for e in ergebnisse for w in e["wechsel_s"]]
    fehler = [f for e in ergebnisse for f in e["fehler"]]

    def s(x: float | None) -> float | None:
        return None if x is None else round(x, 2)

    return {
        "kommune": kommune,
        "sitzungen": sitzungen,
        "server": server_anzahl,
        "ablage": "postgresql" if os.environ.get("BILDUNGSMONITOR_DATENBANK") else "dateien",
        "dauer_vorgabe_s": dauer_s or None,
        "vorgewaermt_s": s(vorgewaermt),
        "erste_karte_p50_s": s(statistics.median(erste)) if erste else None,
        "erste_karte_p95_s": s(perzentil(erste, 95)),
        "wechsel_gemessen": len(laeufe),
        "wechsel_p50_s": s(statistics.median(laeufe)) if laeufe else None,
        "wechsel_p95_s": s(perzentil(laeufe, 95)),
        "wechsel_max_s": s(max(laeufe)) if laeufe else None,
        # Die Seitenläufe im Server (Beginn von app.py bis Ende der Seite, Warten auf die anderen Sitzungen
        # eingeschlossen): ohne die Zeit, die die 20 Seiten im selben Chromium auf denselben 2 Kernen brauchen
        "seitenlaeufe": len(seitenlaeufe),
        "seitenlauf_p50_s": s(statistics.median(seitenlaeufe)) if seitenlaeufe else None,
        "seitenlauf_p95_s": s(perzentil(seitenlaeufe, 95)),
        "fehler": len(fehler),
        "fehler_beispiele": fehler[:3],
        "gesamt_s": s(dauer),
        # Was die Server davon rechneten: der Rest der Wartezeit ist der Browser (20 Seiten) und die übrige Last
        "server_cpu_s": s(server_cpu),
        "server_cpu_je_wechsel_ms": round(server_cpu / max(1, len(laeufe) + len(erste)) * 1000),
        "server_speicher_mb": speicher,
        "last_vorher": round(last, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kommune", action="append", help="mehrfach möglich; Standard: musterstadt und berlin")
    parser.add_argument("--sitzungen", type=int, default=20)
    parser.add_argument("--wechsel", type=int, default=3)
    parser.add_argument("--server", type=int, default=1, help="App-Server auf derselben Ablage (Sitzungen reihum)")
    parser.add_argument("--dauer", type=float, default=0.0, help="Sekunden: so lange wechseln statt --wechsel-mal")
    args = parser.parse_args()
    ergebnis = [
        gleichzeitig(k, args.sitzungen, args.wechsel, args.server, args.dauer)
        for k in args.kommune or ["musterstadt", "berlin"]
    ]
    print(json.dumps(ergebnis, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

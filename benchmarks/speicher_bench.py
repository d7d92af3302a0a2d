"""Benchmark Speicher: bleibt nach Neuladen und Cache-Leeren etwas von der alten Kommune zurück?

    python -m benchmarks.speicher_bench [--kommune berlin musterstadt] [--zyklen 25]

Je Kommune in einem frischen Prozess: ein Aufwärmzyklus, dann `zyklen`-mal genau das, was ein `clear_cache`
(oder ein Import) in der App auslöst – `oberflaeche.laden.kommune_holen` (st.cache_resource), die Rechnungen
der Seiten (Sperrpläne der öffentlichen Rolle für die jüngste Periode, auf den Ebenen und jedem Einzugs-
bereich, Umrechnung aller Indikatoren auf die Einzugsbereiche), dann `st.cache_resource.clear()`.

* `rss_vorher_mb` / `rss_nachher_mb`: Resident Set Size (/proc/self/status) nach dem Aufwärmen und nach
  allen Zyklen, jeweils nach `gc.collect()`; `zuwachs_mb`, `zuwachs_je_zyklus_mb`.
* `kommunen_lebendig`: wie viele der verworfenen Kommunen noch im Speicher sind (schwache Referenzen).
* `cache_eintraege`: Einträge der Modul-Caches danach (Geheimhaltung, Umrechnung, Überlagerung).
* mit `--server` zusätzlich je Kommune ein echter Server (`python -m oberflaeche.server`, öffentliche Rolle):
  ein Websocket-Client schickt `zyklen`-mal `clear_cache` und ruft danach die Karte auf; RSS des Servers
  vorher/nachher (mit dem Wächter `oberflaeche.cachewaechter` wird dabei nichts neu geladen).

Gibt JSON aus; prüft nichts. Läuft auch gegen einen älteren Stand (nur `len()` der Caches wird gelesen).
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import subprocess
import sys
import time
import weakref
from pathlib import Path

PROJEKT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJEKT))
if "BILDUNGSMONITOR_DATA_DIR" not in os.environ and (PROJEKT.parent / "shared" / "data" / "berlin").is_dir():
    os.environ["BILDUNGSMONITOR_DATA_DIR"] = str(PROJEKT.parent / "shared" / "data")

CACHES = {
    "freigabe.geheimhaltung": ("_BASEN", "_PLAENE"),
    "geodata.interpolation": ("_ERGEBNISSE", "_VORBEREITET"),
    "geodata.overlay": ("_IDENTITAET", "_SPEICHER", "_BENANNT", "_GEWICHTE", "_RASTER"),
}


def rss_mb() -> float:
    """Resident Set Size dieses Prozesses in MB."""
    for zeile in Path("/proc/self/status").read_text().splitlines():
        if zeile.startswith("VmRSS:"):
            return round(int(zeile.split()[1]) / 1024, 1)
    return float("nan")


def _cache_eintraege() -> dict[str, int]:
    import importlib

    return {
        f"{modul.rsplit('.', 1)[1]}.{name}": len(getattr(importlib.import_module(modul), name))
        for modul, namen in CACHES.items()
        for name in namen
    }


def _zyklus(name: str) -> weakref.ref:
    """Laden wie die App, rechnen wie die Seiten, Streamlit-Caches leeren; schwache Referenz auf die Kommune."""
    import streamlit as st

    from freigabe.geheimhaltung import sperrplan
    from geodata.interpolation import alle_interpolieren
    from oberflaeche.laden import kommune_holen

    kommune = kommune_holen(name)
    periode = kommune.perioden[-1]
    sperrplan(kommune, periode, "oeffentlich")
    for s in kommune.konfiguration.schichten:
        if s.art == "einzugsbereich":
            sperrplan(kommune, periode, "oeffentlich", s.id)
            alle_interpolieren(kommune, s.id)
    ref = weakref.ref(kommune)
    del kommune
    st.cache_resource.clear()
    return ref


def messen(name: str, zyklen: int) -> dict[str, object]:
    """Den Verlauf für eine Kommune messen (im laufenden Prozess)."""
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    _zyklus(name)  # Aufwärmen: Importe, Raster, Überlagerungen nach Inhalt
    gc.collect()
    vorher = rss_mb()
    start = time.perf_counter()
    refs = [_zyklus(name) for _ in range(zyklen)]
    gc.collect()
    nachher = rss_mb()
    return {
        "kommune": name,
        "zyklen": zyklen,
        "rss_vorher_mb": vorher,
        "rss_nachher_mb": nachher,
        "zuwachs_mb": round(nachher - vorher, 1),
        "zuwachs_je_zyklus_mb": round((nachher - vorher) / zyklen, 2),
        "kommunen_lebendig": sum(r() is not None for r in refs),
        "cache_eintraege": _cache_eintraege(),
        "sekunden": round(time.perf_counter() - start, 1),
    }


def _rss_von(pid: int) -> float:
    for zeile in Path(f"/proc/{pid}/status").read_text().splitlines():
        if zeile.startswith("VmRSS:"):
            return round(int(zeile.split()[1]) / 1024, 1)
    return float("nan")


def _lauf(ws, seite: str = "karte") -> None:
    """Eine Seite einmal laufen lassen (wie ein Browser-Aufruf von /karte) und auf das Ende warten."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.query_string = ""
    msg.rerun_script.page_script_hash = ""
    msg.rerun_script.page_name = seite
    ws.send(msg.SerializeToString())
    while True:
        antwort = ForwardMsg()
        antwort.ParseFromString(ws.recv(timeout=300))
        if antwort.WhichOneof("type") == "script_finished":
            return


def server_messen(name: str, zyklen: int) -> dict[str, object]:
    """Ein Server (`python -m oberflaeche.server`, öffentliche Rolle): `zyklen`-mal clear_cache + Seitenaufruf."""
    import socket
    import urllib.request

    from streamlit.proto.BackMsg_pb2 import BackMsg
    from websockets.sync.client import connect

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("BILDUNGSMONITOR_DEMO")}
    env["BILDUNGSMONITOR_KOMMUNE"] = name
    optionen = ["--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "oberflaeche.server", *optionen, "--server.fileWatcherType", "none"],
        cwd=PROJEKT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).close()
                break
            except OSError:
                time.sleep(0.3)
        leeren = BackMsg()
        leeren.clear_cache = True
        with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], open_timeout=60) as ws:
            _lauf(ws)
            _lauf(ws)
            vorher = _rss_von(proc.pid)
            start = time.perf_counter()
            for _ in range(zyklen):
                ws.send(leeren.SerializeToString())
                _lauf(ws)
            nachher = _rss_von(proc.pid)
        return {
            "kommune": name,
            "art": "server",
            "zyklen": zyklen,
            "rss_vorher_mb": vorher,
            "rss_nachher_mb": nachher,
            "zuwachs_mb": round(nachher - vorher, 1),
            "sekunden": round(time.perf_counter() - start, 1),
        }
    finally:
        proc.terminate()
        proc.wait(20)


def main(argumente: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kommune", nargs="+", default=["berlin", "musterstadt"])
    parser.add_argument("--zyklen", type=int, default=25)
    parser.add_argument("--server", action="store_true", help="zusätzlich: clear_cache an einen laufenden Server")
    parser.add_argument("--im-prozess", action="store_true", help=argparse.SUPPRESS)
    a = parser.parse_args(argumente)
    if a.im_prozess:
        print(json.dumps(messen(a.kommune[0], a.zyklen)))
        return
    ergebnisse = []
    for name in a.kommune:  # je Kommune ein frischer Prozess: RSS-Werte beeinflussen sich nicht
        lauf = subprocess.run(
            [sys.executable, __file__, "--im-prozess", "--kommune", name, "--zyklen", str(a.zyklen)],
            capture_output=True,
            text=True,
            check=True,
        )
        ergebnisse.append(json.loads(lauf.stdout.strip().splitlines()[-1]))
        if a.server:
            ergebnisse.append(server_messen(name, a.zyklen))
    print(json.dumps(ergebnisse, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

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
    "kommune.geheimhaltung": ("_BASEN", "_PLAENE"),
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

    from geodata.interpolation import alle_interpolieren
    from kommune.geheimhaltung import sperrplan
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


def main(argumente: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kommune", nargs="+", default=["berlin", "musterstadt"])
    parser.add_argument("--zyklen", type=int, default=25)
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
    print(json.dumps(ergebnisse, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

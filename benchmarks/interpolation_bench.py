"""Benchmark Flächenumrechnung (Berlin, Planungsraum → Einschulbereich), nebeneinander in einem Lauf.

    python -m benchmarks.interpolation_bench

* `overlay_once_ms`: Überlagerung PLR × ESB (STRtree + Schnitt), ohne Cache, Median aus 3 Läufen.
* `interpolate_all_ms`: alle Indikatoren aller Perioden auf die ESB nach der einmaligen Überlagerung
  (`alle_interpolieren(..., cache=False)`: lange Tabelle rein, lange Tabelle raus, Quellmatrizen je Kommune
  vorbereitet – wie in der App, wo sie beim ersten Aufruf entstehen). Median aus 30 Läufen.
* `interpolate_all_cold_ms`: dasselbe, aber auch die Quellmatrizen (Pivot der Indikatortabelle) neu.
* `tobler_same_job_ms`: `tobler.area_weighted.area_interpolate` mit allen Anzahlen als `extensive_variables`
  und allen übrigen Spalten als `intensive_variables` (breite Tabelle, NaN vorher durch 0 ersetzt, weil tobler
  0.13 unter pandas 3 an NaN scheitert: schreibgeschütztes Array in `_nan_check`). Median aus 3 Läufen.
* `speedup` = tobler / interpolate_all, `speedup_cold` = tobler / interpolate_all_cold.

Gibt JSON aus; prüft nichts.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

PROJEKT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJEKT))
if "BILDUNGSMONITOR_DATA_DIR" not in os.environ and (PROJEKT.parent / "shared" / "data" / "berlin").is_dir():
    os.environ["BILDUNGSMONITOR_DATA_DIR"] = str(PROJEKT.parent / "shared" / "data")


def _median_ms(f, n: int) -> float:
    zeiten = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        zeiten.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(zeiten), 2)


def messen(kommune_id: str = "berlin", ziel: str = "einschulbereich") -> dict[str, float]:
    """Die Messwerte als Wörterbuch (Millisekunden, Faktoren)."""
    from tobler.area_weighted import area_interpolate

    from geodata import interpolation, overlay
    from kommune import kommune_laden

    k = kommune_laden(kommune_id)
    quelle_id = k.konfiguration.ebenen[0].id
    quelle, zielschicht = k.gebiete[quelle_id], k.gebiete[ziel]

    def overlay_frisch():
        overlay.cache_leeren()
        return overlay.overlay_gewichte(quelle, zielschicht)

    overlay_ms = _median_ms(overlay_frisch, 3)
    ov = overlay.overlay_gewichte(quelle, zielschicht)

    interpolation.cache_leeren()
    interpolation.alle_interpolieren(k, ziel, cache=False)  # Aufwärmen (Importe, Quellmatrizen)
    vorbereitet = interpolation._vorbereiten(k)

    def alle():
        return interpolation._berechnen(k, ziel, "area", None, True, interpolation.MINDESTDECKUNG, vorbereitet)

    ergebnis = alle()[0]
    alle_ms = _median_ms(alle, 30)
    kalt_ms = _median_ms(lambda: interpolation.alle_interpolieren(k, ziel, cache=False), 30)

    breit = k.indikatoren[k.indikatoren["schicht"] == quelle_id].pivot(
        index="gebiet", columns=["indikator", "periode"], values="wert"
    )
    breit.columns = [f"{i}__{p}" for i, p in breit.columns]
    extensiv = [c for c in breit.columns if k.katalog.loc[c.split("__")[0], "art"] == "anzahl"]
    intensiv = [c for c in breit.columns if c not in extensiv]
    tobler_quelle = quelle.join(breit).fillna({c: 0.0 for c in breit.columns})

    def tobler():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return area_interpolate(
                tobler_quelle, zielschicht, extensive_variables=extensiv, intensive_variables=intensiv
            )

    tobler()
    tobler_ms = _median_ms(tobler, 3)

    dasy_erst = time.perf_counter()
    interpolation.alle_interpolieren(k, ziel, "dasymetric", cache=False)
    dasy_erst_ms = round((time.perf_counter() - dasy_erst) * 1000, 1)
    return {
        "overlay_once_ms": overlay_ms,
        "interpolate_all_ms": alle_ms,
        "interpolate_all_cold_ms": kalt_ms,
        "tobler_same_job_ms": tobler_ms,
        "speedup": round(tobler_ms / alle_ms, 1),
        "speedup_cold": round(tobler_ms / kalt_ms, 1),
        "dasymetric_first_call_ms": dasy_erst_ms,
        "spalten": len(extensiv) + len(intensiv),
        "zeilen_ergebnis": len(ergebnis),
        "stuecke": ov.flaechen.nnz,
    }


if __name__ == "__main__":
    print(json.dumps(messen(), indent=2))

"""Benchmark des Index-Motors: Neuberechnung (Berlin, 11.000 synthetische Gebiete) und Sensitivität.

    python -m benchmarks.indices_bench

``messen()`` gibt ein Wörterbuch mit Medianen mehrerer Läufe zurück; prüft nichts.
"""

from __future__ import annotations

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

#: Zehn Berliner Indikatoren (MSS 2021) für die Neuberechnungs-Messung.
BERLIN_ZEHN = ("S1", "S3", "S4", "D1", "D3", "D4", "KI_01", "KI_02", "KI_03", "KI_09")


def _median_ms(f, wiederholungen: int) -> float:
    f()  # Aufwärmen
    zeiten = []
    for _ in range(wiederholungen):
        t = time.perf_counter()
        f()
        zeiten.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(zeiten), 2)


def _definition(ids: tuple[str, ...]):
    from indices import IndexDefinition, IndikatorEintrag, Klassierung

    return IndexDefinition(
        id="bench",
        name="Benchmark",
        indikatoren=tuple(IndikatorEintrag(i, 1.0 + j / 10, 1) for j, i in enumerate(ids)),
        standardisierung="z",
        restandardisieren=True,
        klassierung=Klassierung("sd", schwellen=(-1.0, 1.0, 1.5), labels=("hoch", "mittel", "niedrig", "sehr niedrig")),
        mindest_einwohner=300,
        bevoelkerung_indikator="EW",
    )


def synthetische_eingaben(n: int = 11_000, k: int = 10, seed: int = 0):
    """n synthetische Gebiete mit k korrelierten Indikatoren, Bevölkerung und 1 % Lücken."""
    import numpy as np
    import pandas as pd

    from indices import Eingaben

    rng = np.random.default_rng(seed)
    faktor = rng.normal(size=(n, 1))
    x = faktor + rng.normal(scale=0.8, size=(n, k))
    x[rng.random((n, k)) < 0.001] = np.nan
    ids = pd.Index([f"S{i:05d}" for i in range(n)], name="id")
    werte = pd.DataFrame(x, index=ids, columns=[f"I{j}" for j in range(k)])
    werte["EW"] = rng.integers(0, 20_000, size=n).astype(float)
    return Eingaben(werte, pd.Series([f"Gebiet {i}" for i in range(n)], index=ids), "synthetisch")


def messen(wiederholungen: int = 25) -> dict[str, float]:
    """Median-Zeiten: Neuberechnung Berlin (10 Indikatoren, 542 PLR), 11.000 Gebiete, 1.000 Ziehungen."""
    from indices import eingaben_sammeln, index_aus_matrix, sensitivitaet
    from kommune import kommune_laden

    ergebnis: dict[str, float] = {}
    synth = synthetische_eingaben()
    d_synth = _definition(tuple(f"I{j}" for j in range(10)))
    ergebnis["index_recompute_ms_11000"] = _median_ms(lambda: index_aus_matrix(synth, d_synth), wiederholungen)
    try:
        berlin = kommune_laden("berlin")
    except Exception:  # Berliner Daten fehlen: nur die synthetische Messung
        return ergebnis
    d = _definition(BERLIN_ZEHN)
    t = time.perf_counter()
    eingaben = eingaben_sammeln(berlin, d, ebene="planungsraum", periode="2020")
    ergebnis["index_eingaben_sammeln_ms_berlin"] = round((time.perf_counter() - t) * 1000, 1)
    ergebnis["index_recompute_ms_berlin"] = _median_ms(lambda: index_aus_matrix(eingaben, d), wiederholungen)
    ergebnis["index_recompute_pca_ms_berlin"] = _median_ms(
        lambda: index_aus_matrix(eingaben, d.mit(gewichtung="pca")), wiederholungen
    )
    ergebnis["index_recompute_fisher_jenks_ms_berlin"] = _median_ms(
        lambda: index_aus_matrix(eingaben, d.mit(klassierung=d.klassierung.__class__("fisher_jenks", k=5))), 5
    )
    ergebnis["sensitivity_1000_draws_s_berlin"] = round(
        _median_ms(lambda: sensitivitaet(eingaben, d, n=1000, spanne=0.2, seed=0), 5) / 1000, 3
    )
    return ergebnis


if __name__ == "__main__":
    print(json.dumps(messen(), ensure_ascii=False, indent=2))

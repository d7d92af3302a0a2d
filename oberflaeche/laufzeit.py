"""Laufzeiten der Seitenläufe für Benchmarks: mit `BILDUNGSMONITOR_LAUFPROTOKOLL=<Datei>` schreibt jeder Lauf
eine Zeile „Seite<Tab>Millisekunden“ (vom Beginn von app.py bis zum Ende der Seite, Wartezeit auf andere
Sitzungen eingeschlossen). Ohne die Einstellung geschieht nichts."""

from __future__ import annotations

import os
import threading
import time

UMGEBUNG = "BILDUNGSMONITOR_LAUFPROTOKOLL"
_SPERRE = threading.Lock()


def lauf_beginn() -> float:
    """Der Zeitpunkt, an dem ein Lauf beginnt (für `lauf_ende`)."""
    return time.perf_counter()


def lauf_ende(seite: str, beginn: float) -> None:
    """Die Dauer eines Laufs ins Laufprotokoll schreiben, falls eines eingestellt ist."""
    datei = os.environ.get(UMGEBUNG)
    if not datei:
        return
    zeile = f"{seite}\t{(time.perf_counter() - beginn) * 1000:.1f}\n"
    with _SPERRE, open(datei, "a", encoding="utf-8") as f:
        f.write(zeile)


def laufzeiten_lesen(datei: str) -> dict[str, list[float]]:
    """Seite → Dauer der Läufe in Millisekunden aus einem Laufprotokoll."""
    zeiten: dict[str, list[float]] = {}
    if not os.path.exists(datei):
        return zeiten
    with open(datei, encoding="utf-8") as f:
        for zeile in f:
            seite, _, ms = zeile.rstrip("\n").partition("\t")
            try:
                dauer = float(ms)
            except ValueError:
                continue
            zeiten.setdefault(seite, []).append(dauer)
    return zeiten

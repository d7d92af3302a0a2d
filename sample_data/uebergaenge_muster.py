"""Synthetische Übergänge für die Beispielkommunen: Grundschule → weiterführende Schule, Schulabgang → Anschluss.

Von `generate_musterstadt.py` und `generate_musterkreis.py` aufgerufen; deterministisch (eigener Zufallsgenerator,
die übrigen Dateien bleiben unverändert). Je Gebiet der feinsten Ebene und Periode:

- `uebertritte.csv`: Grundschule → Gymnasium (genau der Zähler von „gymnasialuebergang“), Realschule,
  Mittelschule bzw. Gesamtschule, Förderschule; benachteiligte Gebiete (hohe Kinderarmut) wechseln seltener auf
  das Gymnasium, häufiger auf Mittel- und Förderschule;
- `schulabgaenge.csv`: Abgang ohne Abschluss / mit Mittelschulabschluss / mittlerem Abschluss / Hochschulreife →
  Ausbildung, Berufsfachschule, Studium, ohne Anschluss.

Kleine Gebiete haben kleine Zellen (1 oder 2 Personen), damit die Geheimhaltung etwas zu tun hat.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

UEBERTRITTE = "uebertritte.csv"
SCHULABGAENGE = "schulabgaenge.csv"
KOPF = ["gebiet_id", "periode", "von", "nach", "anzahl"]
ABGANG_VON = ("ohne Abschluss", "Mittelschulabschluss", "mittlerer Abschluss", "Hochschulreife")
ABGANG_NACH = ("Ausbildung", "Berufsfachschule", "Studium", "ohne Anschluss")
#: je Abschluss: Grundgewichte (Ausbildung, Berufsfachschule, Studium, ohne Anschluss), Steigung nach Belastung
_ABGANG = {
    "ohne Abschluss": ((0.30, 0.35, 0.0, 0.35), (-0.15, 0.0, 0.0, 0.25)),
    "Mittelschulabschluss": ((0.55, 0.30, 0.0, 0.15), (-0.1, 0.0, 0.0, 0.2)),
    "mittlerer Abschluss": ((0.60, 0.30, 0.03, 0.07), (-0.05, 0.0, -0.2, 0.2)),
    "Hochschulreife": ((0.25, 0.05, 0.67, 0.03), (0.1, 0.0, -0.1, 0.2)),
}


def _belastung(werte: pd.DataFrame, periode: str) -> pd.Series:
    """Standardisierte Kinderarmut je Gebiet (fehlend: 0)."""
    k = werte[(werte["indikator"] == "kinderarmut") & (werte["periode"] == periode)].set_index("gebiet_id")["wert"]
    k = k.astype(float)
    return ((k - k.mean()) / k.std()).fillna(0.0)


def _multinomial(rng: np.random.Generator, n: int, gewichte: np.ndarray) -> np.ndarray:
    g = np.clip(gewichte, 0.0, None)
    return rng.multinomial(int(n), g / g.sum())


def erzeugen(
    werte: pd.DataFrame, perioden: tuple[str, ...], schulen: tuple[str, ...], seed: int
) -> tuple[list[list], list[list]]:
    """(Zeilen der Übertritte, Zeilen der Schulabgänge); `schulen`: Ziele nach Gymnasium (z. B. Realschule, …)."""
    rng = np.random.default_rng(seed)
    g = werte[werte["indikator"] == "gymnasialuebergang"]
    uebertritte, abgaenge = [], []
    for periode in perioden:
        z = _belastung(werte, periode)
        teil = g[g["periode"] == periode]
        for r in teil.itertuples():
            n = 0 if pd.isna(r.nenner) else int(r.nenner)
            gym = 0 if pd.isna(r.zaehler) else int(r.zaehler)
            b = float(z.get(r.gebiet_id, 0.0))
            # Rest auf die übrigen Schularten: Realschule, Mittel-/Gesamtschule, Förderschule
            gewichte = np.array([0.55 - 0.08 * b, 0.40 + 0.10 * b, 0.05 * np.exp(0.5 * b)])
            rest = _multinomial(rng, n - gym, gewichte)
            for nach, anzahl in zip(("Gymnasium", *schulen), (gym, *rest), strict=True):
                uebertritte.append([r.gebiet_id, periode, "Grundschule", nach, int(anzahl)])
            kohorte = int(rng.binomial(max(n, 0), 0.95)) if n else 0
            abschluss = _multinomial(rng, kohorte, np.array([0.06 + 0.03 * b, 0.25 + 0.06 * b, 0.38, 0.31 - 0.09 * b]))
            for von, m in zip(ABGANG_VON, abschluss, strict=True):
                basis, steigung = _ABGANG[von]
                w = np.array(basis) * np.exp(np.array(steigung) * b * 2)
                if von in ("ohne Abschluss", "Mittelschulabschluss"):
                    w[2] = 0.0
                for nach, anzahl in zip(ABGANG_NACH, _multinomial(rng, m, w), strict=True):
                    if von in ("ohne Abschluss", "Mittelschulabschluss") and nach == "Studium":
                        continue
                    abgaenge.append([r.gebiet_id, periode, von, nach, int(anzahl)])
    return uebertritte, abgaenge


def schreiben(ziel: Path, werte: pd.DataFrame, perioden: tuple[str, ...], schulen: tuple[str, ...], seed: int) -> int:
    """Beide Dateien nach `ziel` schreiben; Zahl der Zeilen."""
    uebertritte, abgaenge = erzeugen(werte, perioden, schulen, seed)
    for datei, zeilen in ((UEBERTRITTE, uebertritte), (SCHULABGAENGE, abgaenge)):
        with (ziel / datei).open("w", encoding="utf-8", newline="") as f:
            schreiber = csv.writer(f, delimiter=";", lineterminator="\n")
            schreiber.writerow(KOPF)
            schreiber.writerows(zeilen)
    return len(uebertritte) + len(abgaenge)


#: Cockpit-Kachel der Musterstadt: Anteil Grundschule → Gymnasium der ganzen Stadt
KACHEL = {"id": "uebergang_gymnasium", "titel": "Übergangsquote Gymnasium", "art": "uebergang",
          "tabelle": "uebertritt", "von": "Grundschule", "nach": "Gymnasium"}  # fmt: skip


def abschnitte(ebene: str, kachel: bool = False) -> list[tuple[str, dict]]:
    """Die Abschnitte [[uebergaenge]] der kommune.toml (beide Tabellen auf `ebene`); `kachel`: dazu eine
    Cockpit-Kachel „Übergangsquote Gymnasium“."""
    gemeinsam = {"ebene": ebene, "von_spalte": "von", "nach_spalte": "nach", "anzahl_spalte": "anzahl",
                 "gebiet_spalte": "gebiet_id", "periode_spalte": "periode", "quelle": "schulen"}  # fmt: skip
    return [
        ("uebergaenge", {"id": "uebertritt", "name": "Übertritt nach der Grundschule", "datei": UEBERTRITTE,
                         **gemeinsam, "ohne_anschluss": []}),
        ("uebergaenge", {"id": "schulabgang", "name": "Schulabgang und Anschluss", "datei": SCHULABGAENGE,
                         **gemeinsam, "ohne_anschluss": ["ohne Anschluss"]}),
    ] + ([("kachel", KACHEL)] if kachel else [])  # fmt: skip

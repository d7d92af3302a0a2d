"""Flächenumrechnung gegen tobler, Gleiches mit Gleichem (Berlin PLR → ESB, Musterstadt Viertel → Schulbezirk).

    python -m benchmarks.interpolation_bench [--kommune berlin|musterstadt|alle] [--wiederholungen N]

Beide bekommen dieselben Eingaben (alle Indikatoren aller Perioden der Quellebene, tobler als breite Tabelle
mit `extensive_variables` = Anzahlen und `intensive_variables` = übrige Spalten; NaN vorher durch 0 ersetzt, weil
tobler 0.13 unter pandas 3 an NaN scheitert) und dieselbe Wiederverwendung; jede Zeit ist bestes und Median von
N Läufen im selben, aufgewärmten Prozess:

* `ueberlagerung`: nur die Flächenmatrix. Projekt `geodata.overlay.overlay_gewichte` (Schnitt + Inhaltsschlüssel,
  Speicher leer, ohne Ablage) gegen tobler `_area_tables_binning` (die Tabelle, die `area_interpolate` baut).
* `neuberechnung`: Matrix schon da. Projekt: alle Indikatoren umrechnen (Quellmatrizen vorbereitet wie tobler seine
  breite Tabelle; `mit_pivot` zusätzlich aus der langen Indikatortabelle) gegen `area_interpolate(table=…)`.
* `ganzer_auftrag`: Überlagerung + Umrechnung ab der langen Indikatortabelle, nichts wiederverwendet:
  `alle_interpolieren` mit leeren Caches und ohne Ablage gegen breite Tabelle bauen + `area_interpolate` ohne
  `table`.
* `ganzer_auftrag_gespeichert`: wie ein frischer Prozess der App: Speicher leer, die Überlagerung liegt bei der
  Datenversion (`kommune.versionen.ablage_ordner`, hier ein temporärer Ordner). tobler mit derselben Wiederver-
  wendung: seine Tabelle mit `scipy.sparse.load_npz` von der Platte; daneben tobler, das sie neu rechnet (tobler
  selbst speichert nichts).
* `erster_aufruf_frischer_prozess`: je ein neuer Python-Prozess (bestes und Median aus 5), ab geladener Kommune
  (Module importiert): Projekt ohne Ablage (vorher) und mit gespeicherter Überlagerung (nachher), tobler (breite
  Tabelle bauen + `area_interpolate`) mit neu gerechneter und mit gespeicherter Tabelle.
* `abgleich`: größte relative Abweichung Projekt ↔ tobler über die Spalten ohne fehlende Werte.

Faktor = tobler / Projekt, aus den besten Läufen (auf der geteilten Maschine schwankt der Median stark).
Gibt JSON aus; prüft nichts.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

PROJEKT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJEKT))
if "BILDUNGSMONITOR_DATA_DIR" not in os.environ and (PROJEKT.parent / "shared" / "data" / "berlin").is_dir():
    os.environ["BILDUNGSMONITOR_DATA_DIR"] = str(PROJEKT.parent / "shared" / "data")

#: Kommune → (Quellebene, Zielebene) des Vergleichs.
PAARE = {"berlin": ("planungsraum", "einschulbereich"), "musterstadt": ("viertel", "schulbezirk")}


def _zeiten(f, n: int) -> dict[str, float]:
    """Bestes und Median von `n` Läufen (ms) nach einem Aufwärmlauf."""
    f()
    zeiten = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        zeiten.append((time.perf_counter() - t) * 1000)
    return {"bestes": round(min(zeiten), 2), "median": round(statistics.median(zeiten), 2)}


def _paar(projekt: dict[str, float], tobler: dict[str, float], **weitere) -> dict[str, object]:
    return {
        "projekt_ms": projekt,
        "tobler_ms": tobler,
        "faktor": round(tobler["bestes"] / projekt["bestes"], 1),
        **weitere,
    }


@contextlib.contextmanager
def _ablage(ordner: Path | None):
    """Die Ablage der Überlagerungen umlenken (None = keine, wie vor issue 11) und danach zurücksetzen."""
    from geodata import interpolation

    vorher = interpolation._ablage
    interpolation._ablage = lambda _kommune: ordner
    try:
        yield
    finally:
        interpolation._ablage = vorher


def _leeren() -> None:
    from geodata import interpolation, overlay

    overlay.cache_leeren()
    interpolation.cache_leeren()


def tobler_breit(k, quelle_id: str):
    """Die Eingabe für tobler aus der langen Indikatortabelle: Quellschicht mit einer Spalte je `indikator__periode`
    (NaN → 0), dazu die Anzahlen (extensiv), die übrigen (intensiv) und die Spalten mit Lücken."""
    quelle = k.gebiete[quelle_id]
    lang = k.indikatoren[k.indikatoren["schicht"] == quelle_id]
    breit = lang.pivot(index="gebiet", columns=["indikator", "periode"], values="wert")
    breit.columns = [f"{i}__{p}" for i, p in breit.columns]
    extensiv = [c for c in breit.columns if k.katalog.loc[c.split("__")[0], "art"] == "anzahl"]
    intensiv = [c for c in breit.columns if c not in extensiv]
    mit_luecken = [c for c in breit.columns if breit[c].reindex(quelle.index).isna().any()]
    return quelle.join(breit).fillna({c: 0.0 for c in breit.columns}), extensiv, intensiv, mit_luecken


def tobler_eingaben(kommune_id: str):
    """Kommune, Quell-/Zielebene und die breite Tabelle für tobler (siehe `tobler_breit`)."""
    from kommune import kommune_laden

    k = kommune_laden(kommune_id)
    quelle_id, ziel_id = PAARE[kommune_id]
    return (k, quelle_id, ziel_id, *tobler_breit(k, quelle_id))


def _tobler(tobler_quelle, ziel, extensiv, intensiv, table=None):
    from tobler.area_weighted import area_interpolate  # vor jeder Messung schon importiert (Aufwärmen)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return area_interpolate(
            tobler_quelle, ziel, extensive_variables=extensiv, intensive_variables=intensiv, table=table
        )


def _tobler_tabelle(tobler_quelle, ziel):
    from tobler.area_weighted.area_interpolate import _area_tables_binning

    return _area_tables_binning(tobler_quelle, ziel, "auto")


def messen(kommune_id: str = "berlin", wiederholungen: int = 5, frischer_prozess: bool = True) -> dict[str, object]:
    """Alle Vergleiche für eine Kommune (siehe Modulbeschreibung)."""
    from scipy import sparse

    from geodata import interpolation, overlay

    os.environ.pop(overlay.CACHE_UMGEBUNG, None)  # direkte Aufrufe ohne Plattencache
    k, quelle_id, ziel_id, tq, extensiv, intensiv, mit_luecken = tobler_eingaben(kommune_id)
    quelle, ziel = k.gebiete[quelle_id], k.gebiete[ziel_id]
    n = wiederholungen

    def ov_frisch():
        overlay.cache_leeren()
        return overlay.overlay_gewichte(quelle, ziel)

    ergebnis: dict[str, object] = {
        "paar": f"{quelle_id} ({len(quelle)}) → {ziel_id} ({len(ziel)})",
        "spalten": len(extensiv) + len(intensiv),
        "zeitmessung": f"bestes und Median von {n} Läufen, derselbe Prozess, aufgewärmt; Faktor aus den besten",
    }
    ergebnis["ueberlagerung"] = _paar(_zeiten(ov_frisch, n), _zeiten(lambda: _tobler_tabelle(tq, ziel), n))

    with tempfile.TemporaryDirectory(prefix="bm-ablage-") as tmp:
        ablage = Path(tmp)
        with _ablage(None):
            ov = ov_frisch()
            interpolation.alle_interpolieren(k, ziel_id, cache=False)  # Aufwärmen (Importe, Quellmatrizen)
            vorbereitet = interpolation._vorbereiten(k)
            tabelle = _tobler_tabelle(tq, ziel)

            def umrechnen():
                return interpolation._berechnen(
                    k, ziel_id, "area", None, True, interpolation.MINDESTDECKUNG, vorbereitet
                )

            projekt_neu = _zeiten(umrechnen, max(n, 20))
            mit_pivot = _zeiten(lambda: interpolation.alle_interpolieren(k, ziel_id, cache=False), max(n, 20))
            ergebnis["neuberechnung"] = _paar(
                projekt_neu,
                _zeiten(lambda: _tobler(tq, ziel, extensiv, intensiv, tabelle), max(n, 20)),
                projekt_mit_pivot_ms=mit_pivot,
            )

            def ganz_ohne_ablage():
                _leeren()
                return interpolation.alle_interpolieren(k, ziel_id, cache=False)

            def tobler_ganz_lauf():  # wie das Projekt ab der langen Indikatortabelle
                return _tobler(*tobler_breit(k, quelle_id)[:1], ziel, extensiv, intensiv)

            tobler_ganz = _zeiten(tobler_ganz_lauf, n)
            ergebnis["ganzer_auftrag"] = _paar(_zeiten(ganz_ohne_ablage, n), tobler_ganz)

        with _ablage(ablage):
            _leeren()
            interpolation.alle_interpolieren(k, ziel_id)  # legt die Überlagerung ab
            sparse.save_npz(ablage / "tobler_tabelle.npz", tabelle)

            def ganz_mit_ablage():
                _leeren()
                return interpolation.alle_interpolieren(k, ziel_id, cache=False)

            def tobler_von_platte():
                tabelle = sparse.load_npz(ablage / "tobler_tabelle.npz")
                return _tobler(*tobler_breit(k, quelle_id)[:1], ziel, extensiv, intensiv, tabelle)

            projekt_gespeichert = _zeiten(ganz_mit_ablage, n)
            ergebnis["ganzer_auftrag_gespeichert"] = _paar(
                projekt_gespeichert,
                _zeiten(tobler_von_platte, n),
                tobler_rechnet_neu_ms=tobler_ganz,
                faktor_gegen_tobler_neu=round(tobler_ganz["bestes"] / projekt_gespeichert["bestes"], 1),
                ueberlagerung_aus_ablage_ms=_zeiten(
                    lambda: (overlay.cache_leeren(), overlay.overlay_gewichte(quelle, ziel, cache_dir=ablage)), n
                ),
                ablage_kb=round(sum(p.stat().st_size for p in ablage.glob("overlay_*.npz")) / 1024, 1),
            )
        if frischer_prozess:
            ergebnis["erster_aufruf_frischer_prozess"] = kaltstart_messen(kommune_id)

    ergebnis["abgleich"] = _abgleich(k, ziel_id, ov, tq, ziel, extensiv, intensiv, mit_luecken)
    ergebnis["stuecke"] = ov.flaechen.nnz
    return ergebnis


def _abgleich(k, ziel_id, ov, tq, ziel, extensiv, intensiv, mit_luecken) -> dict[str, object]:
    """Rechnen beide dasselbe? Größte relative Abweichung über die Spalten ohne fehlende Werte in der Quelle."""
    import numpy as np

    from geodata.interpolation import interpolieren

    spalten_e = [c for c in extensiv if c not in mit_luecken]
    spalten_i = [c for c in intensiv if c not in mit_luecken]
    tabelle = tq.drop(columns="geometry")
    tabelle.index = tabelle.index.astype(str)
    projekt = interpolieren(ov, tabelle, spalten_e, spalten_i)
    tobler = _tobler(tq, ziel, spalten_e, spalten_i)
    tobler.index = tobler.index.astype(str)
    a = projekt.to_numpy(float)
    b = tobler[projekt.columns].reindex(projekt.index).to_numpy(float)
    ok = np.isfinite(a) & np.isfinite(b)
    rel = np.abs(a[ok] - b[ok]) / np.maximum(np.abs(b[ok]), 1e-9)
    return {
        "verglichene_spalten": len(spalten_e) + len(spalten_i),
        "groesste_relative_abweichung": float(f"{rel.max():.2e}") if rel.size else 0.0,
    }


_KALT_CODE = {
    "projekt": """
from geodata import interpolation
if not ablage:
    interpolation._ablage = lambda _k: None
from kommune import kommune_laden
from kommune.zwischenspeicher import haufen_einfrieren
k = kommune_laden(kommune_id)
haufen_einfrieren()  # wie die App nach dem Laden (oberflaeche.laden)
t = time.perf_counter()
interpolation.alle_interpolieren(k, ziel_id)
""",
    "tobler": """
from benchmarks.interpolation_bench import _tobler, tobler_breit, PAARE
from scipy import sparse
from tobler.area_weighted import area_interpolate
from kommune import kommune_laden
from kommune.zwischenspeicher import haufen_einfrieren
k = kommune_laden(kommune_id)
haufen_einfrieren()  # wie die App nach dem Laden (oberflaeche.laden)
q, z = PAARE[kommune_id]
t = time.perf_counter()
tq, e, i, _ = tobler_breit(k, q)
_tobler(tq, k.gebiete[z], e, i, sparse.load_npz(ablage + "/tobler_tabelle.npz") if ablage else None)
""",
}


def _kalt_lauf(art: str, kommune_id: str, ablage: str) -> float:
    """Ein frischer Prozess: ms für den ersten Aufruf ab geladener Kommune (Module importiert)."""
    code = (
        "import sys, time, warnings\nwarnings.simplefilter('ignore')\n"
        f"sys.path.insert(0, {str(PROJEKT)!r})\nkommune_id, ablage = {kommune_id!r}, {ablage!r}\n"
        f"ziel_id = {PAARE[kommune_id][1]!r}\n" + _KALT_CODE[art] + "print((time.perf_counter() - t) * 1000)\n"
    )
    env = {**os.environ}
    env.pop("BILDUNGSMONITOR_CACHE_DIR", None)
    if ablage:
        env["BILDUNGSMONITOR_CACHE_DIR"] = ablage
    aus = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJEKT, env=env, capture_output=True, text=True, check=True
    ).stdout
    return float(aus.strip().splitlines()[-1])


def kaltstart_messen(kommune_id: str, laeufe: int = 5) -> dict[str, object]:
    """Erster Aufruf in frischen Prozessen (bestes und Median aus `laeufe`): vorher (ohne Ablage) und nachher
    (Überlagerung gespeichert); tobler mit neu gerechneter und mit gespeicherter Tabelle."""
    from scipy import sparse

    from kommune import kommune_laden

    with tempfile.TemporaryDirectory(prefix="bm-kalt-") as tmp:

        def zeiten(art: str, ablage: str) -> dict[str, float]:
            z = [_kalt_lauf(art, kommune_id, ablage) for _ in range(laeufe)]
            return {"bestes": round(min(z), 1), "median": round(statistics.median(z), 1)}

        vorher = zeiten("projekt", "")
        _kalt_lauf("projekt", kommune_id, tmp)  # der erste Lauf legt die Überlagerung ab
        nachher = zeiten("projekt", tmp)
        _, _, z, tq, *_ = tobler_eingaben(kommune_id)
        sparse.save_npz(Path(tmp) / "tobler_tabelle.npz", _tobler_tabelle(tq, kommune_laden(kommune_id).gebiete[z]))
        tobler_neu = zeiten("tobler", "")
        tobler_platte = zeiten("tobler", tmp)
    return {
        "projekt_ohne_ablage_ms": vorher,
        "projekt_mit_gespeicherter_ueberlagerung_ms": nachher,
        "tobler_rechnet_tabelle_ms": tobler_neu,
        "tobler_tabelle_von_platte_ms": tobler_platte,
        "faktor_ohne_ablage": round(tobler_neu["bestes"] / vorher["bestes"], 1),
        "faktor_gespeichert_gegen_tobler_neu": round(tobler_neu["bestes"] / nachher["bestes"], 1),
        "faktor_beide_gespeichert": round(tobler_platte["bestes"] / nachher["bestes"], 1),
        "messung": f"je {laeufe} frische Prozesse, erster Aufruf ab geladener Kommune (Module importiert)",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kommune", default="alle", choices=[*PAARE, "alle"])
    parser.add_argument("--wiederholungen", type=int, default=5)
    parser.add_argument("--ohne-frischen-prozess", action="store_true")
    args = parser.parse_args()
    kommunen = list(PAARE) if args.kommune == "alle" else [args.kommune]
    print(
        json.dumps(
            {k: messen(k, args.wiederholungen, not args.ohne_frischen_prozess) for k in kommunen},
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

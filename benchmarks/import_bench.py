"""Benchmark des Imports: eine große gültige Lieferung (Musterstadt, lange Form) prüfen.

    python -m benchmarks.import_bench [--zeilen 1000000] [--unbekannt 20000]

Erzeugt eine CSV-Lieferung mit `--zeilen` gültigen Zeilen (die Werte von 2024 je Gebiet × Indikator, über
Monatsperioden wiederholt – keine Sprünge, keine Fehler) und prüft sie in einem eigenen Prozess mit
`kommune.pruefung.lieferung_pruefen`. `--unbekannt` misst zusätzlich eine Lieferung mit so vielen
unbekannten Schlüsseln (Vorschläge nur für die gezeigten Befunde). Gibt JSON aus (Sekunden, Spitzen-
speicher des Prüfprozesses in MB über `resource.getrusage`); prüft nichts.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

PROJEKT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJEKT))
MUSTERSTADT = PROJEKT / "sample_data" / "musterstadt"


def lieferung_schreiben(pfad: Path, zeilen: int, *, unbekannt: int = 0) -> int:
    """Eine gültige lange Lieferung schreiben (Monatsperioden ab 1900-01); zurück: Zahl der Datenzeilen."""
    import pandas as pd

    basis = pd.read_csv(MUSTERSTADT / "indikatoren.csv", sep=";", dtype=str, keep_default_na=False)
    basis = basis[(basis["periode"] == "2024") & (basis["wert"] != "")][["gebiet_id", "indikator", "wert"]]
    perioden = -(-zeilen // len(basis))
    monate = [f"{1900 + i // 12}-{i % 12 + 1:02d}" for i in range(perioden)]
    teile = [basis.assign(periode=m) for m in monate]
    df = pd.concat(teile, ignore_index=True).iloc[:zeilen]
    if unbekannt:
        df = df.iloc[: max(zeilen, unbekannt)].copy()
        df.loc[df.index[:unbekannt], "gebiet_id"] = [f"x{i:06d}" for i in range(unbekannt)]
    df[["gebiet_id", "indikator", "periode", "wert"]].to_csv(pfad, sep=";", index=False)
    return len(df)


def _messen_im_prozess(pfad: str) -> None:
    """Im Kindprozess: prüfen und Zeit, Spitzenspeicher und Befunde als JSON ausgeben."""
    import resource
    import time

    from kommune import kommune_laden
    from kommune.pruefung import Zuordnung, lieferung_pruefen

    kommune = kommune_laden(MUSTERSTADT)
    vorher_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    e = lieferung_pruefen(kommune, pfad, Zuordnung(ebene="viertel"))
    sekunden = time.perf_counter() - t
    print(
        json.dumps(
            {
                "sekunden": round(sekunden, 2),
                "spitze_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "spitze_vor_pruefung_mb": round(vorher_mb, 1),
                "fehler": len(e.protokoll.fehler),
                "zusammenfassung": e.protokoll.zusammenfassung,
            },
            ensure_ascii=False,
        )
    )


def messen(zeilen: int = 1_000_000, unbekannt: int = 20_000) -> dict:
    """Beide Messungen (große gültige Lieferung, viele unbekannte Schlüssel); jede in einem neuen Prozess."""
    ergebnis: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, n, u in (("gueltig", zeilen, 0), ("unbekannt", unbekannt, unbekannt)):
            if n <= 0:
                continue
            pfad = Path(tmp) / f"{name}.csv"
            gelesen = lieferung_schreiben(pfad, n, unbekannt=u)
            r = subprocess.run(
                [sys.executable, "-m", "benchmarks.import_bench", "--kind", str(pfad)],
                cwd=PROJEKT,
                capture_output=True,
                text=True,
                check=True,
            )
            ergebnis[f"import_{name}"] = {
                "zeilen": gelesen,
                "megabyte_datei": round(pfad.stat().st_size / 1024 / 1024, 1),
                **json.loads(r.stdout.strip().splitlines()[-1]),
            }
    return ergebnis


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--zeilen", type=int, default=1_000_000)
    parser.add_argument("--unbekannt", type=int, default=20_000)
    parser.add_argument("--kind", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.kind:
        _messen_im_prozess(args.kind)
        return
    print(json.dumps(messen(args.zeilen, args.unbekannt), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

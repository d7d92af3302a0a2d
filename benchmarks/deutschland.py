"""Deutschland als eine Kommune: alle Gemeinden (VG5000 2021) → Kreise → Länder, gemessen wie Berlin.

    python -m benchmarks.deutschland [--ohne-browser] [--ohne-raster] [--ordner PFAD]

Baut einen Kommunenordner (kommune.toml + Katalog) in einem Zwischenordner – die Daten selbst bleiben in
`<BILDUNGSMONITOR_DATA_DIR>/germany` und werden nur gelesen – und misst: Laden, Anzeigegeometrie und
Kodierung je Ebene (Zeit, Punkte, KB), Sperrplan, dann im Browser die erste Karte, Indikatorwechsel (Zeit
und Bytes) wie `benchmarks.run.karte_im_browser`. Die Indikatoren kommen aus dem Zensus-Gitter 2011
(`[[raster]]`, 214.633 bewohnte Zellen auf 10.997 Gemeinden); `--ohne-raster` nimmt stattdessen eine
erzeugte Tabelle (schneller zu laden, gleiche Karte).

Gibt JSON aus; prüft nichts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

PROJEKT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJEKT))
if "BILDUNGSMONITOR_DATA_DIR" not in os.environ and (PROJEKT.parent / "shared" / "data" / "germany").is_dir():
    os.environ["BILDUNGSMONITOR_DATA_DIR"] = str(PROJEKT.parent / "shared" / "data")

#: Wie im Profil Landkreis Regensburg: Katalog der Zensus-Merkmale.
KATALOG = PROJEKT / "kommune" / "profile" / "regensburg" / "katalog.csv"

_KOPF = """# Deutschland als eine Kommune (erzeugt von benchmarks/deutschland.py, nicht von Hand bearbeiten)
name = "Deutschland"
ags = "00"
gesamtgebiet = "Deutschland"
crs = "EPSG:25832"
daten = "{daten}"
katalog = "katalog.csv"
standard_ebene = "gemeinde"

[[quelle]]
id = "bkg"
titel = "Verwaltungsgebiete 1:5 000 000 (VG5000), Stand 01.01.2021"
lizenz = "dl-de/by-2.0"
namensnennung = "© GeoBasis-DE / BKG 2021 (Daten verändert)"
url = "https://www.bkg.bund.de"

[[quelle]]
id = "zensus2011"
titel = "Zensus 2011: Bevölkerung im 1-km-Gitter (Spitze Werte)"
lizenz = "dl-de/by-2.0"
namensnennung = "© Statistische Ämter des Bundes und der Länder, Zensus 2011"
url = "https://www.zensus2022.de"

[[ebene]]
id = "gemeinde"
name = "Gemeinde"
datei = "vg5000_2021_gemeinden.geojson"
id_spalte = "ARS"
name_spalte = "GEN"
eltern = "kreis"
eltern_aus_praefix = 5
stand = "01.01.2021"
quelle = "bkg"

[[ebene]]
id = "kreis"
name = "Kreis"
datei = "vg5000_2021_kreise.geojson"
id_spalte = "ARS"
name_spalte = "GEN"
eltern = "land"
eltern_aus_praefix = 2
stand = "01.01.2021"
quelle = "bkg"

[[ebene]]
id = "land"
name = "Land"
datei = "vg5000_2021_laender.geojson"
id_spalte = "ARS"
name_spalte = "GEN"
stand = "01.01.2021"
quelle = "bkg"
"""

_RASTER = """
[[raster]]
datei = "zensus2011_grid_1km.parquet"
ebene = "gemeinde"
periode = "2011"
quelle = "zensus2011"
verfahren = "mittelpunkt"
bezug = "Einwohner"

[raster.anzahlen]
einwohner = "Einwohner"

[raster.anteile]
unter18_anteil = { spalte = "unter18_A", anzahl = "unter18" }
ab65_anteil = { spalte = "ab65_A", anzahl = "ab65" }
auslaender_anteil = { spalte = "Auslaender_A", anzahl = "auslaender" }
frauen_anteil = "Frauen_A"

[raster.mittelwerte]
durchschnittsalter = "Alter_D"
"""

_TABELLE = """
[[indikatoren]]
datei = "{tabelle}"
ebene = "gemeinde"
quelle = "zensus2011"
format = "lang"
trennzeichen = ";"
einheit_spalte = "gebiet"
indikator_spalte = "indikator"
periode_spalte = "periode"
wert_spalte = "wert"
zaehler_spalte = "zaehler"
nenner_spalte = "nenner"
"""


def _erzeugte_tabelle(ziel: Path, daten: Path) -> Path:
    """Statt des Gitters: je Gemeinde erzeugte Werte für die Indikatoren des Katalogs (fest geseedet)."""
    import numpy as np
    import pandas as pd
    import pyogrio

    ids = pyogrio.read_dataframe(daten / "vg5000_2021_gemeinden.geojson", columns=["ARS"], read_geometry=False)
    ids = ids["ARS"].astype(str).to_numpy()
    rng = np.random.default_rng(11)
    n = len(ids)
    einwohner = rng.lognormal(7.5, 1.2, n).round()
    zeilen = [pd.DataFrame({"gebiet": ids, "indikator": "einwohner", "wert": einwohner})]
    for anzahl, anteil, mittel in (("unter18", "unter18_anteil", 16), ("ab65", "ab65_anteil", 22)):
        quote = np.clip(rng.normal(mittel, 3, n), 1, 60)
        zaehler = (einwohner * quote / 100).round()
        zeilen.append(pd.DataFrame({"gebiet": ids, "indikator": anzahl, "wert": zaehler}))
        zeilen.append(
            pd.DataFrame({"gebiet": ids, "indikator": anteil, "wert": quote, "zaehler": zaehler, "nenner": einwohner})
        )
    tabelle = pd.concat(zeilen, ignore_index=True).assign(periode="2011")
    pfad = ziel / "indikatoren.csv"
    tabelle[["gebiet", "indikator", "periode", "wert", "zaehler", "nenner"]].to_csv(pfad, sep=";", index=False)
    return pfad


def ordner_bauen(ziel: Path, daten: Path | None = None, raster: bool = True) -> Path:
    """Den Kommunenordner „Deutschland“ in `ziel` schreiben; `daten`: der Ordner mit den VG5000-Dateien."""
    daten = daten or Path(os.environ["BILDUNGSMONITOR_DATA_DIR"]) / "germany"
    ziel.mkdir(parents=True, exist_ok=True)
    if raster:
        text = _KOPF.format(daten=daten)
        shutil.copy(KATALOG, ziel / "katalog.csv")
        text += _RASTER
    else:
        import pandas as pd

        katalog = pd.read_csv(KATALOG, sep=";", dtype=str)
        katalog = katalog[katalog["id"].isin(["einwohner", "unter18", "unter18_anteil", "ab65", "ab65_anteil"])]
        katalog.loc[katalog["art"] == "anteil", ["zaehler", "nenner", "gewicht"]] = None
        katalog.loc[katalog["id"] == "unter18_anteil", ["zaehler", "nenner"]] = ["unter18", "einwohner"]
        katalog.loc[katalog["id"] == "ab65_anteil", ["zaehler", "nenner"]] = ["ab65", "einwohner"]
        katalog.to_csv(ziel / "katalog.csv", sep=";", index=False)
        # Datendateien liegen im Datenordner: die Gebiete als Verweise daneben (nichts wird kopiert)
        for name in ("gemeinden", "kreise", "laender"):
            verweis = ziel / f"vg5000_2021_{name}.geojson"
            verweis.unlink(missing_ok=True)
            verweis.symlink_to(daten / verweis.name)
        text = _KOPF.format(daten=".")
        text += _TABELLE.format(tabelle=_erzeugte_tabelle(ziel, daten).name)
    (ziel / "kommune.toml").write_text(text, encoding="utf-8")
    return ziel


def ohne_browser(ordner: Path) -> dict[str, object]:
    """Laden, Anzeigegeometrie und Kodierung je Ebene, Sperrplan – in diesem Prozess."""
    from freigabe.geheimhaltung import sperrplan
    from geodata.anzeige import vereinfachen
    from geodata.kodierung import ebene_kodieren
    from kommune import kommune_laden

    def ms(t: float) -> float:
        return round((time.perf_counter() - t) * 1000)

    t = time.perf_counter()
    k = kommune_laden(str(ordner))
    ergebnis: dict[str, object] = {"laden_ms": ms(t), "ebenen": {}}
    for s in k.konfiguration.ebenen:
        gdf = k.gebiete[s.id]
        t = time.perf_counter()
        anzeige = vereinfachen(gdf)
        v = ms(t)
        t = time.perf_counter()
        geometrie = ebene_kodieren(anzeige)
        kb = len(json.dumps(geometrie, separators=(",", ":"), ensure_ascii=False).encode()) / 1024
        ergebnis["ebenen"][s.id] = {
            "gebiete": len(gdf),
            "punkte_original": int(gdf.geometry.count_coordinates().sum()),
            "punkte_anzeige": int(anzeige.geometry.count_coordinates().sum()),
            "vereinfachen_ms": v,
            "kodieren_ms": ms(t),
            "geometrie_kb": round(kb, 1),
        }
    perioden = sorted(k.indikatoren["periode"].unique())
    t = time.perf_counter()
    sperrplan(k, perioden[-1], "oeffentlich", "gemeinde")
    ergebnis["sperrplan_ms"] = ms(t)
    return ergebnis


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ohne-browser", action="store_true")
    parser.add_argument("--ohne-raster", action="store_true", help="erzeugte Werte statt des Zensus-Gitters")
    parser.add_argument("--ordner", type=Path, help="Kommunenordner hier bauen (sonst ein Zwischenordner)")
    parser.add_argument("--wechsel", type=int, default=5)
    args = parser.parse_args()
    basis = args.ordner or Path(tempfile.gettempdir()) / f"bm-deutschland-{'erzeugt' if args.ohne_raster else 'zensus'}"
    ordner = ordner_bauen(basis, raster=not args.ohne_raster)
    ergebnis: dict[str, object] = {"kommune": "deutschland", "ordner": str(ordner), **ohne_browser(ordner)}
    if not args.ohne_browser and Path("/usr/bin/chromium").exists():
        from benchmarks.run import karte_im_browser

        ergebnis.update(karte_im_browser(str(ordner), wechsel=args.wechsel))
    print(json.dumps(ergebnis, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

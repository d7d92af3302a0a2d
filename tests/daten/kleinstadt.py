"""Kleinstadt: 7 Viertel in 3 Bezirken, Werte von Hand gewählt für nachrechenbare Geheimhaltungsbeispiele.

Bezirk A: a1, a2, a3 · Bezirk B: b1, b2, b3 · Bezirk C: nur c1. Indikatoren: einwohner, kinder, sgb2
(Zähler der quote), quote (Anteil sgb2/kinder in %), hze (sensibel).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from shapely.geometry import box

X0, Y0 = 690_000.0, 5_335_000.0

TOML = """
name = "Kleinstadt"
ags = "09999002"
crs = "EPSG:25832"
daten = "."
katalog = "katalog.csv"

[[quelle]]
id = "test"
titel = "Testdaten Kleinstadt"
lizenz = "CC0 1.0"
namensnennung = "Tests"
url = "https://example.org/=HYPERLINK"

[[ebene]]
id = "viertel"
name = "Viertel"
datei = "geo.gpkg"
layer = "viertel"
id_spalte = "vid"
name_spalte = "vname"
eltern = "bezirk"
eltern_spalte = "bid"
stand = "01.01.2024"
quelle = "test"

[[ebene]]
id = "bezirk"
name = "Bezirk"
datei = "geo.gpkg"
layer = "bezirk"
id_spalte = "bid"
name_spalte = "bname"
quelle = "test"

[[einzugsbereich]]
id = "sprengel"
name = "Schulsprengel"
datei = "geo.gpkg"
layer = "sprengel"
id_spalte = "sid"
quelle = "test"

[[indikatoren]]
datei = "werte.csv"
ebene = "viertel"
quelle = "test"
zaehler_spalte = "zaehler"
nenner_spalte = "nenner"
"""

KATALOG = """id;name;definition;einheit;art;zaehler;nenner;gewicht;richtung;thema;quelle;stand;ebene;sensibel;hinweise
einwohner;Einwohner;Einwohner;Personen;anzahl;;;;0;Rahmenbedingungen;test;31.12.2024;viertel;nein;
kinder;Kinder unter 15;Kinder;Personen;anzahl;;;;0;Rahmenbedingungen;test;31.12.2024;viertel;nein;
sgb2;Kinder in SGB II;Kinder in BG;Personen;anzahl;;;;1;Rahmenbedingungen;test;31.12.2024;viertel;nein;
quote;Kinderarmut;Anteil;%;anteil;sgb2;kinder;;1;Rahmenbedingungen;test;31.12.2024;viertel;nein;
hze;Hilfen zur Erziehung;Fälle;Fälle;anzahl;;;;1;Rahmenbedingungen;test;;viertel;ja;
"""

VIERTEL = ["a1", "a2", "a3", "b1", "b2", "b3", "c1"]
#: 2024: das Beispiel mit Primär- und Sekundärsperrung (siehe tests/test_geheimhaltung.py)
WERTE_2024 = {
    "einwohner": [1000, 800, 900, 1200, 1500, 250, 600],
    "kinder": [2, 10, 7, 20, 30, 40, 50],
    "sgb2": [1, 5, 3, 8, 9, 12, 10],
    "hze": [6, 4, 0, 12, 3, 7, 8],
}
#: 2023: Bezirk C hat nur ein Viertel mit 2 Kindern → Sperre wandert über die Bezirksebene zurück nach B
WERTE_2023 = {
    "einwohner": [1000, 800, 900, 1200, 1500, 400, 600],
    "kinder": [30, 40, 50, 20, 30, 40, 2],
    "sgb2": [5, 6, 7, 8, 9, 12, 1],
    "hze": [6, 7, 8, 12, 9, 7, 8],
}


def werte_csv(jahrgaenge: dict[str, dict[str, list[float]]]) -> str:
    """Lange Tabelle; die Quote wird aus sgb2/kinder gebildet (mit Zähler und Nenner)."""
    zeilen = ["gebiet_id;indikator;periode;wert;zaehler;nenner"]
    for periode, werte in jahrgaenge.items():
        for ind, reihe in werte.items():
            for vid, w in zip(VIERTEL, reihe, strict=True):
                zeilen.append(f"{vid};{ind};{periode};{w};;")
        for vid, z, n in zip(VIERTEL, werte["sgb2"], werte["kinder"], strict=True):
            q = str(round(100 * z / n, 4)).replace(".", ",") if n else ""
            zeilen.append(f"{vid};quote;{periode};{q};{z};{n}")
    return "\n".join(zeilen) + "\n"


def kleinstadt(ordner: Path, *, toml: str = TOML, katalog: str = KATALOG, werte: str | None = None) -> Path:
    """Die Kleinstadt in `ordner` schreiben und den Ordner zurückgeben."""
    ordner.mkdir(parents=True, exist_ok=True)
    (ordner / "kommune.toml").write_text(toml, encoding="utf-8")
    (ordner / "katalog.csv").write_text(katalog, encoding="utf-8")
    text = werte if werte is not None else werte_csv({"2023": WERTE_2023, "2024": WERTE_2024})
    (ordner / "werte.csv").write_text(text, encoding="utf-8")
    kaesten = [box(X0 + i * 1000, Y0, X0 + (i + 1) * 1000, Y0 + 1000) for i in range(7)]
    viertel = gpd.GeoDataFrame(
        {
            "vid": VIERTEL,
            "vname": ["Nord", "Mitte", "Süd", "<b>West</b>", "=Ost", "Hafen", "Insel"],
            "bid": ["A", "A", "A", "B", "B", "B", "C"],
        },
        geometry=kaesten,
        crs="EPSG:25832",
    )
    bezirk = gpd.GeoDataFrame(
        {"bid": ["A", "B", "C"], "bname": ["Altstadt", "Bahnhof", "Chaussee"]},
        geometry=[
            box(X0, Y0, X0 + 3000, Y0 + 1000),
            box(X0 + 3000, Y0, X0 + 6000, Y0 + 1000),
            box(X0 + 6000, Y0, X0 + 7000, Y0 + 1000),
        ],
        crs="EPSG:25832",
    )
    # zwei Sprengel quer zu den Bezirken: S1 = a1..b1 (halbes b1), S2 = Rest
    sprengel = gpd.GeoDataFrame(
        {"sid": ["S1", "S2"]},
        geometry=[box(X0, Y0, X0 + 3500, Y0 + 1000), box(X0 + 3500, Y0, X0 + 7000, Y0 + 1000)],
        crs="EPSG:25832",
    )
    viertel.to_file(ordner / "geo.gpkg", layer="viertel", engine="pyogrio")
    bezirk.to_file(ordner / "geo.gpkg", layer="bezirk", engine="pyogrio")
    sprengel.to_file(ordner / "geo.gpkg", layer="sprengel", engine="pyogrio")
    return ordner

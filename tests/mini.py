"""Eine kleine, vollständig im Test erzeugte Kommune für Lade- und Prüftests."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from shapely.geometry import box

X0, Y0 = 690_000.0, 5_335_000.0  # UTM 32N, in Bayern

TOML = """
name = "Minihausen"
ags = "09999001"
crs = "EPSG:25832"
daten = "."
katalog = "katalog.csv"

[[quelle]]
id = "test"
titel = "Testdaten"
lizenz = "CC0 1.0"
namensnennung = "Tests"

[[ebene]]
id = "viertel"
name = "Viertel"
datei = "geo.gpkg"
layer = "viertel"
id_spalte = "vid"
name_spalte = "vname"
eltern = "bezirk"
eltern_spalte = "bid"
quelle = "test"

[[ebene]]
id = "bezirk"
name = "Bezirk"
datei = "geo.gpkg"
layer = "bezirk"
id_spalte = "bid"
name_spalte = "bname"
quelle = "test"

[[indikatoren]]
datei = "werte.csv"
ebene = "viertel"
quelle = "test"
zaehler_spalte = "zaehler"
nenner_spalte = "nenner"
"""

KATALOG = """id;name;definition;einheit;art;zaehler;nenner;gewicht;richtung;thema;quelle;stand;ebene;sensibel;hinweise
kinder;Kinder;Kinder unter 15;Personen;anzahl;;;;0;Rahmenbedingungen;test;31.12.2024;viertel;nein;
armut;Kinderarmut;Anteil Kinder in SGB II;%;anteil;;kinder;;1;Rahmenbedingungen;test;31.12.2024;viertel;nein;
quote;Quote;gewichtete Quote;%;anteil;;;kinder;-1;frühkindliche Bildung;test;31.12.2024;viertel;nein;
"""

WERTE = """gebiet_id;indikator;periode;wert;zaehler;nenner
0101;kinder;2024;100;;
0102;kinder;2024;300;;
0201;kinder;2024;50;;
0101;armut;2024;10,0;10;100
0102;armut;2024;30,0;90;300
0201;armut;2024;20,0;10;50
0101;quote;2024;50,0;;
0102;quote;2024;90,0;;
0201;quote;2024;70,0;;
"""


def mini_kommune(
    ordner: Path,
    *,
    toml: str = TOML,
    katalog: str = KATALOG,
    werte: str = WERTE,
    viertel: gpd.GeoDataFrame | None = None,
) -> Path:
    """Minihausen schreiben: 3 Viertel in 2 Bezirken, 3 Indikatoren."""
    ordner.mkdir(parents=True, exist_ok=True)
    (ordner / "kommune.toml").write_text(toml, encoding="utf-8")
    (ordner / "katalog.csv").write_text(katalog, encoding="utf-8")
    (ordner / "werte.csv").write_text(werte, encoding="utf-8")
    if viertel is None:
        viertel = gpd.GeoDataFrame(
            {"vid": ["0101", "0102", "0201"], "vname": ["Nord", "Süd", "Ost"], "bid": ["01", "01", "02"]},
            geometry=[
                box(X0, Y0, X0 + 1000, Y0 + 1000),
                box(X0, Y0 - 1000, X0 + 1000, Y0),
                box(X0 + 1000, Y0 - 1000, X0 + 2000, Y0 + 1000),
            ],
            crs="EPSG:25832",
        )
    bezirk = gpd.GeoDataFrame(
        {"bid": ["01", "02"], "bname": ["West", "Ost"]},
        geometry=[box(X0, Y0 - 1000, X0 + 1000, Y0 + 1000), box(X0 + 1000, Y0 - 1000, X0 + 2000, Y0 + 1000)],
        crs="EPSG:25832",
    )
    viertel.to_file(ordner / "geo.gpkg", layer="viertel", engine="pyogrio")
    bezirk.to_file(ordner / "geo.gpkg", layer="bezirk", engine="pyogrio")
    return ordner

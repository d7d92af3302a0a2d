"""Gitterdaten auf Gebiete: erzeugtes Zensus-2022-CSV (Zahlen nach Konstruktion) und das echte Zensus-2011-Gitter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from kommune.fehler import KommuneFehler
from kommune.raster import Merkmal, auf_gebiete, gitter_lesen, gitter_verbinden, lange_tabelle, tabelle_schreiben
from tests.conftest import IN_CI, PROJEKT

#: linke untere Ecke des Testgitters (EPSG:3035, bei Regensburg), 100-m-Zellen, 10 × 10
X0, Y0, N = 4_500_000, 2_900_000, 10
GRENZE = X0 + 550  # geht durch die Mitte der Spalte 5: Mittelpunkte genau auf der Grenze


def _einwohner(i: int, j: int) -> int:
    """Einwohner der Zelle in Spalte i, Zeile j; 0 = Zelle fehlt in der Datei (wie beim Zensus 2022)."""
    return 0 if (i + j) % 7 == 0 else 10 * i + j + 3


def _anteil(i: int, j: int) -> str:
    """Anteil unter 18 in % mit Dezimalkomma; in Spalte 2 ist jede dritte Zelle geheim („–“)."""
    if i == 2 and j % 3 == 0:
        return "–"
    return f"{10 + i},{j * 5 % 10}"


def _csv(pfad: Path) -> Path:
    zeilen = ["GITTER_ID_100m;x_mp_100m;y_mp_100m;Einwohner;AnteilUnter18;werterlaeuternde_Zeichen"]
    for i in range(N):
        for j in range(N):
            ew = _einwohner(i, j)
            if ew:
                x, y = X0 + 100 * i, Y0 + 100 * j
                zeilen.append(f"CRS3035RES100mN{y}E{x};{x + 50};{y + 50};{ew};{_anteil(i, j)};")
    pfad.write_text("\n".join(zeilen) + "\n", encoding="utf-8")
    return pfad


def _gebiete() -> gpd.GeoDataFrame:
    """Zwei Gebiete, Grenze senkrecht durch die Spalte 5; zusammen genau das Testgitter."""
    west = shapely.box(X0, Y0, GRENZE, Y0 + 100 * N)
    ost = shapely.box(GRENZE, Y0, X0 + 100 * N, Y0 + 100 * N)
    return gpd.GeoDataFrame(geometry=[west, ost], index=pd.Index(["01", "02"], name="id"), crs="EPSG:3035")


def _erwartet(spalten: range) -> int:
    return sum(_einwohner(i, j) for i in spalten for j in range(N))


GESAMT = _erwartet(range(N))


@pytest.fixture
def gitter_2022(tmp_path):
    return gitter_lesen(_csv(tmp_path / "Zensus2022_Bevoelkerungszahl_100m-Gitter.csv"))


def test_zensus_2022_csv_wird_gelesen(gitter_2022):
    leer = sum(1 for i in range(N) for j in range(N) if not _einwohner(i, j))
    assert len(gitter_2022) == N * N - leer
    assert set(gitter_2022.groesse) == {100.0}
    assert gitter_2022.x.min() == X0 and gitter_2022.y.min() == Y0  # ID = linke untere Ecke
    assert gitter_2022.werte["Einwohner"].sum() == GESAMT
    assert gitter_2022.werte["AnteilUnter18"].max() == pytest.approx(19.5)  # Dezimalkomma
    assert int(gitter_2022.geheim["AnteilUnter18"].sum()) == sum(1 for j in range(N) if j % 3 == 0 and _einwohner(2, j))


def test_mittelpunkt_summen_exakt(gitter_2022):
    e = auf_gebiete(gitter_2022, _gebiete(), [Merkmal("einwohner", "Einwohner")], "mittelpunkt")
    werte = e.werte.set_index("gebiet")["wert"]
    # Mittelpunkte der Spalte 5 liegen genau auf der Grenze: sie zählen einmal, beim ersten Gebiet
    assert werte["01"] == _erwartet(range(6))
    assert werte["02"] == _erwartet(range(6, N))
    assert werte.sum() == GESAMT


def test_flaechenanteil_teilt_zellen_und_erhaelt_die_summe(gitter_2022):
    e = auf_gebiete(gitter_2022, _gebiete(), [Merkmal("einwohner", "Einwohner")], "flaeche")
    werte = e.werte.set_index("gebiet")["wert"]
    halbe = _erwartet(range(5, 6)) / 2
    assert werte["01"] == pytest.approx(_erwartet(range(5)) + halbe, abs=1e-6)
    assert werte["02"] == pytest.approx(_erwartet(range(6, N)) + halbe, abs=1e-6)
    assert abs(werte.sum() - GESAMT) < 1e-6


def test_anteil_ueber_zellen_mit_angabe_und_geheime_zellen_gemeldet(gitter_2022):
    mk = Merkmal("u18_anteil", "AnteilUnter18", "anteil", "u18")
    e = auf_gebiete(gitter_2022, _gebiete(), [mk], "mittelpunkt")
    w = e.werte.set_index(["gebiet", "indikator"])
    zaehler = nenner = ew_alle = 0.0
    geheim_ew = geheim_zellen = 0
    for i in range(6):
        for j in range(N):
            ew = _einwohner(i, j)
            if not ew:
                continue
            ew_alle += ew
            text = _anteil(i, j)
            if text == "–":
                geheim_zellen += 1
                geheim_ew += ew
                continue
            zaehler += float(text.replace(",", ".")) / 100 * ew
            nenner += ew
    assert w.loc[("01", "u18_anteil"), "zaehler"] == pytest.approx(zaehler)
    assert w.loc[("01", "u18_anteil"), "nenner"] == nenner == ew_alle - geheim_ew
    assert w.loc[("01", "u18_anteil"), "wert"] == pytest.approx(100 * zaehler / nenner)
    # Anzahl aus dem Anteil: Anteil des Gebiets × alle Einwohner des Gebiets (gesperrte Zellen eingeschlossen)
    assert w.loc[("01", "u18"), "wert"] == pytest.approx(zaehler / nenner * ew_alle)
    bericht = e.berichte[0]
    assert (bericht.geheim_zellen, bericht.geheim_einwohner) == (geheim_zellen, geheim_ew)
    assert f"{geheim_zellen} Zellen geheim gehalten" in " ".join(e.text())


def test_anzahl_mit_geheimer_zelle_bleibt_leer_statt_null(tmp_path):
    pfad = tmp_path / "g.csv"
    pfad.write_text(
        "GITTER_ID_1km;Einwohner\n"
        f"CRS3035RES1000mN{Y0}E{X0};12\n"
        f"CRS3035RES1000mN{Y0}E{X0 + 1000};-9\n"
        f"CRS3035RES1000mN{Y0}E{X0 + 2000};7\n",
        encoding="utf-8",
    )
    g = gitter_lesen(pfad)
    gebiete = gpd.GeoDataFrame(
        geometry=[shapely.box(X0, Y0, X0 + 2000, Y0 + 1000), shapely.box(X0 + 2000, Y0, X0 + 3000, Y0 + 1000)],
        index=["a", "b"],
        crs="EPSG:3035",
    )
    e = auf_gebiete(g, gebiete, [Merkmal("ew", "Einwohner")], "mittelpunkt", bezug=None)
    werte = e.werte.set_index("gebiet")["wert"]
    assert np.isnan(werte["a"]) and werte["b"] == 7
    assert "1 Zellen geheim gehalten" in " ".join(e.text())


def test_kaputte_zelle_und_kaputter_wert_sind_deutsche_fehler(tmp_path):
    pfad = tmp_path / "g.csv"
    pfad.write_text("GITTER_ID_100m;Einwohner\nN123E456;3\n", encoding="utf-8")
    with pytest.raises(KommuneFehler, match="nicht die Form"):
        gitter_lesen(pfad)
    pfad.write_text(f"GITTER_ID_100m;Einwohner\nCRS3035RES100mN{Y0}E{X0};drei\n", encoding="utf-8")
    with pytest.raises(KommuneFehler, match="keine Zahl"):
        gitter_lesen(pfad)
    with pytest.raises(KommuneFehler, match="keine Spalte „Alter“"):
        gitter_lesen(pfad, ["Alter"])


def test_zwei_dateien_werden_ueber_die_zelle_verbunden(tmp_path, gitter_2022):
    alter = tmp_path / "alter.csv"
    alter.write_text(
        f"GITTER_ID_100m;Durchschnittsalter\nCRS3035RES100mN{Y0 + 100}E{X0};40,5\nCRS3035RES100mN{Y0 + 200}E{X0};50\n",
        encoding="utf-8",
    )
    g = gitter_verbinden([gitter_2022, gitter_lesen(alter)])
    e = auf_gebiete(g, _gebiete(), [Merkmal("alter", "Durchschnittsalter", "mittel")], "mittelpunkt")
    w = e.werte.set_index("gebiet")
    ew1, ew2 = _einwohner(0, 1), _einwohner(0, 2)
    assert w.loc["01", "wert"] == pytest.approx((40.5 * ew1 + 50 * ew2) / (ew1 + ew2))
    assert np.isnan(w.loc["02", "wert"])


def test_lange_tabelle_als_csv_mit_dezimalkomma_und_als_xlsx(tmp_path, gitter_2022):
    e = auf_gebiete(gitter_2022, _gebiete(), [Merkmal("u18_anteil", "AnteilUnter18", "anteil")], "flaeche")
    df = lange_tabelle(e, "viertel", "2022")
    assert list(df.columns) == ["schicht", "gebiet", "indikator", "periode", "wert", "zaehler", "nenner"]
    text = tabelle_schreiben(df, tmp_path / "aus.csv").read_text(encoding="utf-8")
    kopf, erste = text.splitlines()[:2]
    assert kopf == "schicht;gebiet;indikator;periode;wert;zaehler;nenner"
    assert erste.startswith("viertel;01;u18_anteil;2022;") and "," in erste.split(";")[4]
    xlsx = pd.read_excel(tabelle_schreiben(df, tmp_path / "aus.xlsx"), dtype={"gebiet": str})
    assert xlsx["gebiet"].tolist() == ["01", "02"]


# ----------------------------------------------------------------------------------------------
# Das echte Zensus-2011-Gitter (1 km) und die VG5000-Gemeinden des Landkreises Regensburg
# ----------------------------------------------------------------------------------------------


def _deutschland() -> Path:
    daten = os.environ.get("BILDUNGSMONITOR_DATA_DIR", "")
    pfad = Path(daten) / "germany"
    if not (pfad / "zensus2011_grid_1km.parquet").is_file():
        if IN_CI:
            pytest.fail("In CI müssen die Deutschland-Daten vorhanden sein (BILDUNGSMONITOR_DATA_DIR/germany).")
        pytest.skip("Deutschland-Daten nicht vorhanden")
    return pfad


@pytest.fixture(scope="module")
def kreis_regensburg():
    pfad = _deutschland()
    gemeinden = gpd.read_file(pfad / "vg5000_2021_gemeinden.geojson")
    gemeinden = gemeinden[gemeinden["ARS"].str.startswith("09375")].set_index("ARS")
    gitter = gitter_lesen(pfad / "zensus2011_grid_1km.parquet", ["Einwohner", "unter18_A"])
    return gemeinden, gitter


def test_zensus_2011_kreissumme_nach_mittelpunkt_exakt(kreis_regensburg):
    gemeinden, gitter = kreis_regensburg
    e = auf_gebiete(gitter, gemeinden, [Merkmal("einwohner", "Einwohner")], "mittelpunkt", bezug=None)
    summe = e.werte["wert"].sum()
    # unabhängig gezählt: Zellen, deren Mittelpunkt in der Vereinigung der Gemeinden liegt
    kreis = shapely.union_all(gemeinden.to_crs("EPSG:3035").geometry.to_numpy())
    ew = gitter.werte["Einwohner"].fillna(0).to_numpy()
    innen = shapely.contains_xy(kreis, gitter.x + 500, gitter.y + 500)
    assert summe == ew[innen].sum() == 180_891
    assert float(summe).is_integer()


def test_zensus_2011_flaechenanteil_erhaelt_die_summe(kreis_regensburg):
    gemeinden, gitter = kreis_regensburg
    e = auf_gebiete(gitter, gemeinden, [Merkmal("einwohner", "Einwohner")], "flaeche", bezug=None)
    kreis = shapely.union_all(gemeinden.to_crs("EPSG:3035").geometry.to_numpy())
    teil = gitter.im_rahmen(kreis.bounds)
    anteil = shapely.area(shapely.intersection(teil.quadrate(), kreis)) / 1e6
    erwartet = (teil.werte["Einwohner"].fillna(0).to_numpy() * anteil).sum()
    assert abs(e.werte["wert"].sum() - erwartet) < 1e-6 * erwartet


def test_cli_raster_schreibt_importierbare_tabelle(tmp_path, kreis_regensburg):
    pfad = _deutschland()
    aus = tmp_path / "bezirke.csv"
    r = subprocess.run(
        [sys.executable, "-m", "geodata", "raster", "berlin", "--level", "bezirk", "--grid",
         str(pfad / "zensus2011_grid_1km.parquet"), "--share", "unter18_anteil=unter18_A:unter18", "--count",
         "einwohner=Einwohner", "--out", str(aus)],
        cwd=PROJEKT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "Zellen geheim gehalten" in r.stdout and "Einwohner ohne Angabe" in r.stdout
    df = pd.read_csv(aus, sep=";", dtype=str)
    ew = df[df["indikator"] == "einwohner"].set_index("gebiet")
    assert sorted(ew.index) == [f"{i:02d}" for i in range(1, 13)]  # führende Nullen bleiben
    assert set(df["schicht"]) == {"bezirk"} and set(df["periode"]) == {"2011"}
    anteil = df[df["indikator"] == "unter18_anteil"].set_index("gebiet")
    assert "," in anteil.loc["01", "wert"]  # Dezimalkomma
    zensus = gitter_lesen(pfad / "zensus2011_grid_1km.parquet", ["Einwohner"])
    berlin = shapely.union_all(
        gpd.read_file(Path(os.environ["BILDUNGSMONITOR_DATA_DIR"]) / "berlin" / "bezirke.geojson")
        .to_crs("EPSG:3035")
        .geometry
    )
    innen = shapely.contains_xy(berlin, zensus.x + 500, zensus.y + 500)
    assert abs(ew["wert"].astype(int).sum() - zensus.werte["Einwohner"].fillna(0).to_numpy()[innen].sum()) < 2_000


def test_cli_raster_fehler_sind_eine_deutsche_zeile(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "geodata", "raster", "musterstadt", "--level", "viertel", "--grid",
         str(tmp_path / "fehlt.csv"), "--out", str(tmp_path / "x.csv")],
        cwd=PROJEKT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert r.returncode == 1
    assert r.stderr.startswith("Fehler:") and "nicht gefunden" in r.stderr and "Traceback" not in r.stderr

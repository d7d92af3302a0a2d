"""Flächenumrechnung: Handbeispiel, fehlende Werte, Splitter/Lücken, Cache, tobler-Abgleich, Summen (Berlin)."""

from __future__ import annotations

import dataclasses
import io
import itertools
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from geodata import overlay as ovmod
from geodata.interpolation import alle_interpolieren, interpolieren, ueberlagerungsbericht, werte_auf_einzugsbereich
from geodata.overlay import dasymetrische_gewichte, overlay_gewichte, raster_pfad
from kommune.fehler import KommuneFehler
from kommune.konfiguration import Gebietsschicht, KommuneKonfiguration
from kommune.laden import INDIKATOR_SPALTEN, Kommune
from kommune.werte import gesamtwert, werte

CRS = "EPSG:25832"
X0, Y0 = 690_000.0, 5_335_000.0


def _schicht(ids, geometrien, crs=CRS) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": list(ids), "eltern": [None] * len(ids)},
        geometry=list(geometrien),
        index=pd.Index(list(ids), name="id"),
        crs=crs,
    )


def _quadrate(crs=CRS, x0=X0, y0=Y0, seite=1000.0) -> gpd.GeoDataFrame:
    """Zwei Quadrate A (links) und B (rechts)."""
    return _schicht(
        ["A", "B"], [box(x0, y0, x0 + seite, y0 + seite), box(x0 + seite, y0, x0 + 2 * seite, y0 + seite)], crs
    )


def _streifen(*grenzen: float) -> gpd.GeoDataFrame:
    """Zielgebiete als senkrechte Streifen zwischen den x-Grenzen (relativ zu X0), volle Höhe."""
    ids = [f"T{i + 1}" for i in range(len(grenzen) - 1)]
    return _schicht(ids, [box(X0 + a, Y0, X0 + b, Y0 + 1000) for a, b in itertools.pairwise(grenzen)])


KATALOG = pd.DataFrame(
    {
        "name": ["Kinder", "Arme Kinder", "Kinderarmut", "Kinderarmut (Katalog)", "Quote", "Index"],
        "einheit": ["Personen", "Personen", "%", "%", "%", "Index"],
        "art": ["anzahl", "anzahl", "anteil", "anteil", "anteil", "index"],
        "zaehler": ["", "", "", "arme", "", ""],
        "nenner": ["", "", "", "kinder", "", ""],
        "gewicht": ["", "", "", "", "kinder", ""],
    },
    index=pd.Index(["kinder", "arme", "armut", "armut_kat", "quote", "idx"], name="id"),
)


def _kommune(ziel: gpd.GeoDataFrame, *, fehlend: dict[str, list[str]] | None = None) -> Kommune:
    """Zweiquadrathausen im Speicher: Viertel A, B (Werte) und ein Einzugsbereich „zone“."""
    a, b = (
        {"kinder": 100, "arme": 10, "armut": 10, "armut_kat": 10, "quote": 50, "idx": 1},
        {"kinder": 300, "arme": 90, "armut": 30, "armut_kat": 30, "quote": 90, "idx": 3},
    )
    zeilen = []
    for gebiet, w in (("A", a), ("B", b)):
        for ind, wert in w.items():
            z, n = (w["arme"], w["kinder"]) if ind == "armut" else (np.nan, np.nan)
            if fehlend and gebiet in fehlend.get(ind, []):
                wert, z, n = np.nan, np.nan, np.nan
            zeilen.append(("viertel", gebiet, ind, "2024", float(wert), z, n))
    konf = KommuneKonfiguration(
        ordner=Path("."),
        name="Zweiquadrathausen",
        ags="0",
        crs=CRS,
        daten=Path("."),
        katalog=Path("katalog.csv"),
        ebenen=(Gebietsschicht(id="viertel", name="Viertel", datei="-", id_spalte="id"),),
        einzugsbereiche=(Gebietsschicht(id="zone", name="Zone", datei="-", id_spalte="id", art="einzugsbereich"),),
    )
    return Kommune(
        konfiguration=konf,
        gebiete={"viertel": _quadrate(), "zone": ziel},
        indikatoren=pd.DataFrame(zeilen, columns=INDIKATOR_SPALTEN),
        katalog=KATALOG,
        angebote=gpd.GeoDataFrame({"kategorie": []}, geometry=[], crs=CRS),
    )


def _wert(df: pd.DataFrame, indikator: str) -> pd.Series:
    return df[df["indikator"] == indikator].set_index("gebiet")["wert"]


# ---------------------------------------------------------------------------------------------
# Handbeispiel: zwei Quadrate → ein Rechteck
# ---------------------------------------------------------------------------------------------


def test_zwei_quadrate_ein_rechteck_von_hand():
    """A (100 Kinder, 10 arm) und B (300 Kinder, 90 arm); Rechteck R deckt je die halbe Fläche."""
    k = _kommune(_streifen(500, 1500))
    ov = overlay_gewichte(k.gebiete["viertel"], k.gebiete["zone"])
    assert ov.flaechen.toarray() == pytest.approx(np.array([[500_000.0], [500_000.0]]))
    assert ov.kennzahlen["quelle_mit_luecke"] == 2 and ov.kennzahlen["ziel_mit_luecke"] == 0

    verteilt = alle_interpolieren(k, "zone", cache=False)  # Standard: ganzer Wert auf den überdeckten Teil
    assert _wert(verteilt, "kinder")["T1"] == pytest.approx(400)
    assert _wert(verteilt, "armut")["T1"] == pytest.approx(100 * (10 + 90) / (100 + 300))  # 25 %, nicht Mittel 20 %
    assert _wert(verteilt, "armut_kat")["T1"] == pytest.approx(25)  # Zähler/Nenner aus dem Katalog
    assert _wert(verteilt, "quote")["T1"] == pytest.approx((100 * 50 + 300 * 90) / 400)  # 80, gewichtet mit Kindern
    assert _wert(verteilt, "idx")["T1"] == pytest.approx(2)  # Flächenmittel
    zeile = verteilt[verteilt["indikator"] == "armut"].iloc[0]
    assert (zeile["zaehler"], zeile["nenner"]) == pytest.approx((100, 400))

    halb = alle_interpolieren(k, "zone", gesamt_verteilen=False, cache=False)  # Teil außerhalb geht verloren
    assert _wert(halb, "kinder")["T1"] == pytest.approx(50 + 150)
    assert _wert(halb, "armut")["T1"] == pytest.approx(100 * (5 + 45) / (50 + 150))
    assert _wert(halb, "quote")["T1"] == pytest.approx((50 * 50 + 150 * 90) / 200)
    assert list(halb.columns) == INDIKATOR_SPALTEN


def test_rechteck_als_vereinigung_summe_und_gewichtetes_mittel():
    k = _kommune(_streifen(0, 2000))
    df = alle_interpolieren(k, "zone", cache=False)
    assert _wert(df, "kinder")["T1"] == pytest.approx(400)
    assert _wert(df, "quote")["T1"] == pytest.approx(80)
    assert _wert(df, "armut")["T1"] == pytest.approx(25)
    ov = overlay_gewichte(k.gebiete["viertel"], k.gebiete["zone"])
    assert any(s.startswith("Keine Lücken") for s in ov.bericht)


# ---------------------------------------------------------------------------------------------
# Fehlende Werte: nie still 0
# ---------------------------------------------------------------------------------------------


def test_fehlender_quellwert_macht_ziel_leer():
    """T1 nur aus A, T2 halb aus A und halb aus B, T3 nur aus B; B hat keinen Wert."""
    k = _kommune(_streifen(0, 500, 1500, 2000), fehlend={"kinder": ["B"], "quote": ["B"], "armut": ["B"]})
    df = alle_interpolieren(k, "zone", cache=False)
    kinder = _wert(df, "kinder")
    assert kinder["T1"] == pytest.approx(50)
    assert np.isnan(kinder["T2"]) and np.isnan(kinder["T3"])
    assert np.isnan(_wert(df, "quote")["T2"]) and _wert(df, "quote")["T1"] == pytest.approx(50)
    assert np.isnan(_wert(df, "armut")["T3"])
    # B fehlt nur bei diesen Indikatoren; idx bleibt überall gefüllt
    assert _wert(df, "idx").notna().all()
    # Eine niedrigere Mindestdeckung (dokumentiert) lässt T2 aus A allein rechnen, T3 bleibt leer
    locker = alle_interpolieren(k, "zone", mindestdeckung=0.4, cache=False)
    assert _wert(locker, "kinder")["T2"] == pytest.approx(50)
    assert np.isnan(_wert(locker, "kinder")["T3"])


def test_splitter_aus_gebiet_ohne_wert_wird_toleriert():
    """T1 ragt 5 cm in B hinein (50 m² = 0,005 % von T1): Splitter vergiften den Wert nicht."""
    k = _kommune(_streifen(0, 1000.05, 2000), fehlend={"kinder": ["B"]})
    kinder = _wert(alle_interpolieren(k, "zone", cache=False), "kinder")
    assert kinder["T1"] == pytest.approx(100)
    assert np.isnan(kinder["T2"])
    ov = overlay_gewichte(k.gebiete["viertel"], k.gebiete["zone"])
    assert ov.kennzahlen["splitter_anteil"] == 1
    assert any(s.startswith("Splitter:") for s in ov.bericht)


def test_interpolieren_intensiv_nan_bleibt_nan():
    q, z = _quadrate(), _streifen(0, 500, 1500, 2000)
    ov = overlay_gewichte(q, z)
    daten = pd.DataFrame({"n": [100.0, np.nan], "r": [10.0, np.nan]}, index=["A", "B"])
    erg = interpolieren(ov, daten, extensiv=["n"], intensiv=["r"])
    assert erg.loc["T1"].tolist() == pytest.approx([50, 10])
    assert erg.loc[["T2", "T3"]].isna().all().all()


# ---------------------------------------------------------------------------------------------
# Splitter, Lücken, Cache
# ---------------------------------------------------------------------------------------------


def test_luecke_wird_gemeldet(musterstadt):
    """Musterstadt: ein Grundschulbezirk wird entfernt → Viertel ragen in die Lücke, das steht im Bericht."""
    ziel = musterstadt.gebiete["schulbezirk"]
    luecke = ziel.drop(index=ziel.index[0])
    ov = overlay_gewichte(musterstadt.gebiete["viertel"], luecke, quelle_name="Viertel", ziel_name="Schulbezirk")
    k = ov.kennzahlen
    assert k["quelle_mit_luecke"] > 0
    assert k["luecke_quelle_m2"] == pytest.approx(ziel.geometry.iloc[0].area, rel=1e-6)
    assert k["ziel_mit_luecke"] == 0
    text = " ".join(ov.bericht)
    assert f"{k['quelle_mit_luecke']} Gebiete der Schicht „Viertel“ liegen um mehr als 1 m² außerhalb" in text
    assert "Keine Lücken: Die Gebiete der Schicht „Schulbezirk“" in text
    # ohne Lücke: Musterstadt-Schichten decken sich
    voll = overlay_gewichte(musterstadt.gebiete["viertel"], ziel)
    assert voll.kennzahlen["quelle_mit_luecke"] == 0 and voll.kennzahlen["ziel_mit_luecke"] == 0


def test_overlay_cache_im_speicher_und_bei_geaenderter_geometrie():
    q, z = _quadrate(), _streifen(500, 1500)
    a = overlay_gewichte(q, z)
    assert overlay_gewichte(q.copy(), z.copy()).flaechen is a.flaechen  # gleicher WKB-Hash → derselbe Eintrag
    z2 = z.copy()
    z2.geometry = [box(X0 + 500, Y0, X0 + 1600, Y0 + 1000)]
    b = overlay_gewichte(q, z2)
    assert b.schluessel != a.schluessel
    assert b.flaechen.toarray()[1, 0] == pytest.approx(600_000)
    z.geometry = [box(X0 + 400, Y0, X0 + 1500, Y0 + 1000)]  # derselbe DataFrame, neue Geometrie
    assert overlay_gewichte(q, z).flaechen.toarray()[0, 0] == pytest.approx(600_000)


def test_overlay_plattencache(tmp_path, monkeypatch):
    q, z = _quadrate(), _streifen(0, 700, 2000)
    monkeypatch.setenv("BILDUNGSMONITOR_CACHE_DIR", str(tmp_path))
    ovmod.cache_leeren()
    frisch = overlay_gewichte(q, z)
    dateien = list(tmp_path.glob("overlay_*.npz"))
    assert len(dateien) == 1
    ovmod.cache_leeren()
    geladen = overlay_gewichte(q, z)
    assert geladen.stuecke_geometrie is None  # wirklich von der Platte
    assert (geladen.flaechen != frisch.flaechen).nnz == 0
    assert list(geladen.ziel_ids) == ["T1", "T2"] and geladen.bericht == frisch.bericht
    dateien[0].write_bytes(b"kaputt")
    ovmod.cache_leeren()
    assert (overlay_gewichte(q, z).flaechen != frisch.flaechen).nnz == 0  # kaputte Datei → neu gerechnet


def test_unterschiedliche_crs_und_geografisches_crs_werden_abgelehnt():
    q = _quadrate()
    with pytest.raises(KommuneFehler, match="verschiedene Koordinatensysteme"):
        overlay_gewichte(q, q.to_crs("EPSG:25833"))
    with pytest.raises(KommuneFehler, match="metrisches Koordinatensystem"):
        overlay_gewichte(q.to_crs(4326), q.to_crs(4326))


# ---------------------------------------------------------------------------------------------
# Dasymetrisch mit einem selbst gebauten Raster
# ---------------------------------------------------------------------------------------------


def _raster(pfad: Path, zellen: list[tuple[float, float, int]]) -> Path:
    pd.DataFrame(
        {
            "x_mp_1km": [z[0] for z in zellen],
            "y_mp_1km": [z[1] for z in zellen],
            "Einwohner": [z[2] for z in zellen],
        }
    ).astype("int32").to_parquet(pfad)
    return pfad


def test_dasymetrisch_unbewohnte_flaeche_bekommt_keine_kinder(tmp_path):
    """Ein Quellgebiet über zwei Rasterzellen (EPSG:3035): links 100 Einwohner, rechts unbewohnt (-1)."""
    x0, y0 = 4_500_000.0, 3_200_000.0
    quelle = _schicht(["Q"], [box(x0, y0, x0 + 2000, y0 + 1000)], "EPSG:3035")
    ziel = _schicht(
        ["L", "R"], [box(x0, y0, x0 + 1000, y0 + 1000), box(x0 + 1000, y0, x0 + 2000, y0 + 1000)], "EPSG:3035"
    )
    raster = _raster(tmp_path / "raster.parquet", [(x0 + 500, y0 + 500, 100), (x0 + 1500, y0 + 500, -1)])
    ov = overlay_gewichte(quelle, ziel)
    daten = pd.DataFrame({"kinder": [40.0], "quote": [12.0]}, index=["Q"])
    flaeche = interpolieren(ov, daten, ["kinder"], ["quote"])
    assert flaeche["kinder"].tolist() == pytest.approx([20, 20])
    gew = dasymetrische_gewichte(ov, quelle, ziel, raster)
    dasy = interpolieren(ov, daten, ["kinder"], ["quote"], gewichte=gew)
    assert dasy["kinder"].tolist() == pytest.approx([40, 0])
    assert dasy.loc["L", "quote"] == pytest.approx(12) and np.isnan(dasy.loc["R", "quote"])


def test_raster_pfad_aus_konfiguration_und_deutscher_fehler(tmp_path, monkeypatch):
    monkeypatch.delenv("BILDUNGSMONITOR_RASTER", raising=False)
    monkeypatch.setenv("BILDUNGSMONITOR_DATA_DIR", str(tmp_path))
    with pytest.raises(KommuneFehler, match=r"Bevölkerungsraster .* fehlt"):
        raster_pfad()
    (tmp_path / "germany").mkdir()
    ziel = _raster(tmp_path / "germany" / "zensus2011_grid_1km.parquet", [(0, 0, 1)])
    assert raster_pfad() == ziel
    monkeypatch.delenv("BILDUNGSMONITOR_DATA_DIR")
    with pytest.raises(KommuneFehler, match="BILDUNGSMONITOR_DATA_DIR"):
        raster_pfad()
    assert raster_pfad(ziel) == ziel


# ---------------------------------------------------------------------------------------------
# Musterstadt
# ---------------------------------------------------------------------------------------------


def test_musterstadt_summen_und_quoten(musterstadt):
    df = alle_interpolieren(musterstadt, "schulbezirk")
    assert set(df["gebiet"]) == set(musterstadt.gebiete["schulbezirk"].index)
    assert set(df["indikator"]) == set(musterstadt.indikatoren["indikator"])
    for periode in musterstadt.perioden:
        teil = df[df["periode"] == periode]
        for ind in ("einwohner", "kinder_u6", "kinder_sgb2"):
            assert teil[teil["indikator"] == ind]["wert"].sum() == pytest.approx(gesamtwert(musterstadt, ind, periode))
        armut = teil[teil["indikator"] == "kinderarmut"]
        assert armut["wert"].to_numpy() == pytest.approx(100 * armut["zaehler"] / armut["nenner"])
        assert 100 * armut["zaehler"].sum() / armut["nenner"].sum() == pytest.approx(
            gesamtwert(musterstadt, "kinderarmut", periode)
        )


def test_werte_auf_einzugsbereich_vertrag(musterstadt):
    s = werte_auf_einzugsbereich(musterstadt, "kinderarmut", "schulbezirk", "2024")
    assert s.name == "kinderarmut"
    assert s.index.equals(musterstadt.gebiete["schulbezirk"].index)
    assert s.notna().all()
    assert werte_auf_einzugsbereich(musterstadt, "kinderarmut", "schulbezirk", "1999").isna().all()
    # verschachtelte Ebene: exakt wie kommune.werte
    pd.testing.assert_series_equal(
        werte_auf_einzugsbereich(musterstadt, "kinderarmut", "stadtteil", "2024"),
        werte(musterstadt, "kinderarmut", "stadtteil", "2024"),
    )


def test_kommandozeile(tmp_path, capsys):
    from geodata.__main__ import main

    aus = tmp_path / "out.csv"
    rc = main(["interpolate", "musterstadt", "--indicator", "einwohner", "--to", "schulbezirk", "--out", str(aus)])
    assert rc == 0
    tab = pd.read_csv(aus, dtype={"unit_id": str})
    assert list(tab.columns) == ["unit_id", "value"] and len(tab) == 32
    rc = main(["interpolate", "musterstadt", "--indicator", "gibtsnicht", "--to", "schulbezirk", "--out", str(aus)])
    assert rc == 1
    fehler = capsys.readouterr().err.strip().splitlines()
    assert fehler == ["Fehler: Den Indikator „gibtsnicht“ gibt es in Musterstadt nicht."]


# ---------------------------------------------------------------------------------------------
# Berlin: Summen, tobler-Abgleich, fehlende MSS-Werte
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def berlin_ov(berlin):
    return overlay_gewichte(
        berlin.gebiete["planungsraum"],
        berlin.gebiete["einschulbereich"],
        quelle_name="Planungsraum",
        ziel_name="Einschulbereich",
    )


@pytest.fixture(scope="module")
def berlin_breit(berlin):
    df = berlin.indikatoren[berlin.indikatoren["periode"] == "2024"]
    return df.pivot(index="gebiet", columns="indikator", values="wert")


@pytest.mark.parametrize("methode", ["area", "dasymetric"])
def test_berlin_summe_6_15_bleibt_erhalten(berlin, berlin_ov, methode):
    s = werte_auf_einzugsbereich(berlin, "inhabitants_age_6_15", "einschulbereich", "2024", methode=methode)
    assert s.notna().all() and len(s) == 346
    assert s.sum() == pytest.approx(322_476, rel=1e-4)
    assert gesamtwert(berlin, "inhabitants_age_6_15", "2024") == 322_476


def test_berlin_gleich_tobler(berlin, berlin_ov, berlin_breit):
    from tobler.area_weighted import area_interpolate

    extensiv = [c for c in berlin_breit.columns if berlin.katalog.loc[c, "art"] == "anzahl"]
    intensiv = [c for c in berlin_breit.columns if c.endswith("_percentage")]
    assert len(extensiv) >= 15 and len(intensiv) >= 10 and not berlin_breit.isna().any().any()
    quelle = berlin.gebiete["planungsraum"].join(berlin_breit)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tob = area_interpolate(quelle, berlin.gebiete["einschulbereich"], extensiv, intensiv)
    unser = interpolieren(berlin_ov, berlin_breit, extensiv, intensiv)
    np.testing.assert_allclose(unser.to_numpy(), tob[extensiv + intensiv].to_numpy(), rtol=1e-6, atol=1e-9)
    # dieselben Anzahlen über den Kommune-Weg (alle Indikatoren, ein Produkt)
    alle = alle_interpolieren(berlin, "einschulbereich")
    kinder = alle[(alle["indikator"] == "inhabitants_age_6_15") & (alle["periode"] == "2024")].set_index("gebiet")
    np.testing.assert_allclose(kinder["wert"].reindex(tob.index), tob["inhabitants_age_6_15"], rtol=1e-6)


def test_berlin_anteil_aus_zaehler_und_nenner(berlin):
    alle = (
        alle_interpolieren(berlin, "einschulbereich").set_index(["indikator", "periode", "gebiet"])["wert"].sort_index()
    )
    anteil = alle.loc[("inhabitants_age_6_15_percentage", "2024")]
    zaehler = alle.loc[("inhabitants_age_6_15", "2024")]
    nenner = alle.loc[("inhabitants", "2024")]
    np.testing.assert_allclose(anteil, 100 * zaehler / nenner, rtol=1e-9)


def test_berlin_fehlende_mss_werte(berlin, berlin_ov):
    """S4 fehlt in 6 PLR: genau die ESB, die mehr als 0,1 % ihrer Fläche aus diesen PLR beziehen, sind leer."""
    s4 = werte(berlin, "S4", "planungsraum", "2020")
    ohne = s4.isna().reindex(berlin_ov.quelle_ids).to_numpy()
    assert ohne.sum() == 6
    anteil = (berlin_ov.flaechen.T @ ohne.astype(float)) / berlin_ov.ziel_gedeckt
    erwartet = pd.Series(anteil > 0.001, index=berlin_ov.ziel_ids)
    s = werte_auf_einzugsbereich(berlin, "S4", "einschulbereich", "2020")
    assert s.isna().equals(erwartet.reindex(s.index))
    assert 0 < s.isna().sum() < 30
    assert ((anteil > 0) & (anteil <= 0.001)).any()  # Splitter aus PLR ohne Wert werden toleriert
    assert s.min() >= s4.min() - 1e-9 and s.max() <= s4.max() + 1e-9


def test_berlin_bericht(berlin_ov):
    k = berlin_ov.kennzahlen
    assert k["stuecke_ueber_1m2"] == 2208
    assert k["splitter_unter_1m2"] > 0 and k["quelle_mit_luecke"] > 0 and k["ziel_mit_luecke"] > 0
    assert k["luecke_quelle_m2"] < 1e5 and k["quelle_ohne_ziel"] == 0 and k["ziel_ohne_quelle"] == 0
    assert berlin_ov.bericht[0].startswith("Überlagerung „Planungsraum“ × „Einschulbereich“: 2.286 Schnittstücke")


def test_berlin_dasymetrisch_verschiebt_kinder(berlin):
    flaeche = werte_auf_einzugsbereich(berlin, "inhabitants_age_6_15", "einschulbereich", "2024")
    dasy = werte_auf_einzugsbereich(berlin, "inhabitants_age_6_15", "einschulbereich", "2024", methode="dasymetric")
    abweichung = (dasy - flaeche).abs()
    assert abweichung.sum() > 1000  # spürbar andere Verteilung …
    assert dasy.sum() == pytest.approx(flaeche.sum(), rel=1e-9)  # … bei gleicher Summe


def test_kommune_kopie_wird_nicht_verwechselt(musterstadt):
    """Cache je Kommune-Identität: eine veränderte Kopie rechnet neu."""
    kopie = dataclasses.replace(musterstadt, indikatoren=musterstadt.indikatoren.assign(wert=lambda d: d["wert"] * 2))
    a = werte_auf_einzugsbereich(musterstadt, "einwohner", "schulbezirk", "2024")
    b = werte_auf_einzugsbereich(kopie, "einwohner", "schulbezirk", "2024")
    np.testing.assert_allclose(b, 2 * a)


# ---------------------------------------------------------------------------------------------
# Überlagerungen bei der Datenversion gespeichert (issue 11, Punkt 6)
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def musterstadt_kopie(tmp_path, monkeypatch):
    """Eine Kopie der Musterstadt und ein eigener Ersatzort (nichts landet in sample_data oder im Heimatordner)."""
    import shutil

    from tests.conftest import PROJEKT

    monkeypatch.setenv("BILDUNGSMONITOR_CACHE_DIR", str(tmp_path / "cache"))
    ordner = Path(
        shutil.copytree(
            PROJEKT / "sample_data" / "musterstadt", tmp_path / "musterstadt", ignore=lambda *_: ["versionen"]
        )
    )
    _alles_leeren()
    yield ordner
    _alles_leeren()


def _alles_leeren() -> None:
    from geodata import interpolation

    ovmod.cache_leeren()
    interpolation.cache_leeren()


def _nie_schneiden(monkeypatch) -> list:
    """Ersetzt den Schnitt durch einen Zähler: so zeigt ein Test, ob neu gerechnet wurde."""
    aufrufe = []
    echt = ovmod._schneiden

    def zaehlen(q, z):
        aufrufe.append(1)
        return echt(q, z)

    monkeypatch.setattr(ovmod, "_schneiden", zaehlen)
    return aufrufe


def test_gespeicherte_ueberlagerung_gibt_frischem_lauf_dieselben_gewichte(musterstadt_kopie, monkeypatch):
    from kommune import kommune_laden
    from kommune.versionen import ablage_ordner

    k = kommune_laden(musterstadt_kopie)
    assert k.version is None
    ablage = ablage_ordner(k)
    assert ablage.is_relative_to(musterstadt_kopie.parent / "cache")  # ohne Importe nichts im Datenordner
    erst = alle_interpolieren(k, "schulbezirk")
    dateien = sorted(ablage.glob("overlay_*.npz"))
    assert len(dateien) == 1
    frisch = overlay_gewichte(k.gebiete["viertel"], k.gebiete["schulbezirk"])
    assert frisch.stuecke_geometrie is not None
    bericht = ueberlagerungsbericht(k, "schulbezirk")
    assert any("Schnittstücke" in satz for satz in bericht)

    _alles_leeren()  # wie ein frischer Prozess: nichts im Speicher
    aufrufe = _nie_schneiden(monkeypatch)
    k2 = kommune_laden(musterstadt_kopie)
    zweit = alle_interpolieren(k2, "schulbezirk")
    geladen = ovmod._SPEICHER[frisch.schluessel]
    assert aufrufe == [] and geladen.stuecke_geometrie is None  # von der Platte, nicht neu geschnitten
    assert (geladen.flaechen != frisch.flaechen).nnz == 0
    np.testing.assert_array_equal(geladen.flaechen.data, frisch.flaechen.data)
    np.testing.assert_array_equal(geladen.quelle_flaeche, frisch.quelle_flaeche)
    pd.testing.assert_frame_equal(zweit, erst)
    assert ueberlagerungsbericht(k2, "schulbezirk") == bericht  # aus der gespeicherten Überlagerung


@pytest.mark.parametrize("kaputt", ["muell", "abgeschnitten", "fremde_ids", "leer"])
def test_kaputte_gespeicherte_ueberlagerung_wird_neu_gerechnet(musterstadt_kopie, monkeypatch, kaputt):
    from kommune import kommune_laden
    from kommune.versionen import ablage_ordner

    k = kommune_laden(musterstadt_kopie)
    erst = alle_interpolieren(k, "schulbezirk")
    (datei,) = ablage_ordner(k).glob("overlay_*.npz")
    gut = datei.read_bytes()
    if kaputt == "muell":
        datei.write_bytes(b"kaputt")
    elif kaputt == "abgeschnitten":
        datei.write_bytes(gut[: len(gut) // 2])
    elif kaputt == "leer":
        datei.write_bytes(b"")
    else:  # lesbar, richtiger Schlüssel, aber Inhalt passt nicht zur Schicht
        with np.load(datei) as d:
            inhalt = dict(d)
        inhalt["quelle_ids"] = inhalt["quelle_ids"][::-1]
        np.savez_compressed(datei, **inhalt)
    _alles_leeren()
    aufrufe = _nie_schneiden(monkeypatch)
    zweit = alle_interpolieren(kommune_laden(musterstadt_kopie), "schulbezirk")
    assert aufrufe == [1]  # neu gerechnet, kein Absturz
    pd.testing.assert_frame_equal(zweit, erst)
    with np.load(datei) as d:  # und wieder gültig abgelegt
        np.testing.assert_array_equal(d["quelle_ids"], np.load(io.BytesIO(gut))["quelle_ids"])


def test_geaenderte_geometrie_bekommt_neuen_schluessel(musterstadt_kopie, monkeypatch):
    from kommune import kommune_laden
    from kommune.versionen import ablage_ordner

    k = kommune_laden(musterstadt_kopie)
    alle_interpolieren(k, "schulbezirk")
    (alt,) = ablage_ordner(k).glob("overlay_*.npz")
    alt_summe = overlay_gewichte(k.gebiete["viertel"], k.gebiete["schulbezirk"]).flaechen.sum()
    ziel = k.gebiete["schulbezirk"].copy()
    ziel.geometry = ziel.geometry.buffer(-50)  # jeder Schulbezirk 50 m schmaler
    k2 = dataclasses.replace(k, gebiete={**k.gebiete, "schulbezirk": ziel})
    _alles_leeren()
    aufrufe = _nie_schneiden(monkeypatch)
    neu_ov = overlay_gewichte(k2.gebiete["viertel"], ziel, cache_dir=ablage_ordner(k2))
    assert aufrufe == [1]
    dateien = sorted(ablage_ordner(k).glob("overlay_*.npz"))
    assert len(dateien) == 2 and alt in dateien
    neu = next(d for d in dateien if d != alt)
    assert neu.name.split("_")[1] == alt.name.split("_")[1]  # gleiche Quellschicht
    assert neu.name.split("_")[2] != alt.name.split("_")[2]  # andere Zielschicht → anderer Schlüssel
    assert neu_ov.flaechen.sum() < alt_summe
    # eine veraltete Datei unter dem neuen Namen (fremder Schlüssel darin) wird nicht benutzt
    neu.write_bytes(alt.read_bytes())
    _alles_leeren()
    wieder = overlay_gewichte(k2.gebiete["viertel"], ziel, cache_dir=ablage_ordner(k2))
    assert aufrufe == [1, 1]
    assert (wieder.flaechen != neu_ov.flaechen).nnz == 0


def test_ueberlagerung_liegt_bei_der_version_und_wandert_mit(musterstadt_kopie, monkeypatch):
    """Nach einem Import liegt die Ablage in versionen/<id>/abgeleitet; ein Import nur von Tabellen übernimmt sie."""
    from kommune import kommune_laden
    from kommune import versionen as vs

    k = kommune_laden(musterstadt_kopie)
    erst = alle_interpolieren(k, "schulbezirk")
    tabelle = k.konfiguration.indikatoren[0].datei
    vid = vs.version_anlegen(k.konfiguration, {tabelle: (musterstadt_kopie / tabelle).read_bytes()}, {"wer": "Test"})
    k2 = kommune_laden(musterstadt_kopie)
    assert k2.version == vid
    ablage = vs.ablage_ordner(k2)
    assert ablage == musterstadt_kopie / "versionen" / vid / "abgeleitet"
    assert len(list(ablage.glob("overlay_*.npz"))) == 1  # aus der Ablage der Originaldateien übernommen
    _alles_leeren()
    aufrufe = _nie_schneiden(monkeypatch)
    pd.testing.assert_frame_equal(alle_interpolieren(k2, "schulbezirk"), erst)
    assert aufrufe == []
    # mit Importen gehört auch die Ablage der Originaldateien in den Versionsordner
    assert vs.ablage_ordner(k) == musterstadt_kopie / "versionen" / "original" / "abgeleitet"


def test_schreibgeschuetzter_datenordner_nutzt_den_ersatzort(musterstadt_kopie):
    import os

    from kommune import kommune_laden
    from kommune.versionen import ablage_ordner

    (musterstadt_kopie / "versionen").mkdir()
    k = kommune_laden(musterstadt_kopie)
    assert ablage_ordner(k) == musterstadt_kopie / "versionen" / "original" / "abgeleitet"
    os.chmod(musterstadt_kopie / "versionen", 0o555)
    try:
        ersatz = ablage_ordner(k)
        assert ersatz.is_relative_to(musterstadt_kopie.parent / "cache") and ersatz.name == "original"
        alle_interpolieren(k, "schulbezirk")
        assert len(list(ersatz.glob("overlay_*.npz"))) == 1
        assert not (musterstadt_kopie / "versionen" / "original").exists()
    finally:
        os.chmod(musterstadt_kopie / "versionen", 0o755)

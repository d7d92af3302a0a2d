"""Landkreis Regensburg (ARS 09375) aus VG5000 2021 und dem Zensus-2011-Gitter: Ebenen, Schlüssel, Summen, Seiten."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from streamlit.testing.v1 import AppTest

from kommune.raster import gitter_lesen
from kommune.werte import gesamtwert, werte
from tests.conftest import PROJEKT

VG = {"093755332", "093755333", "093755334", "093755335", "093755336", "093755337", "093755338"}


def test_ebenen_und_schluessel(regensburg):
    assert {k: len(v) for k, v in regensburg.gebiete.items()} == {
        "gemeinde": 43,  # 41 Gemeinden und 2 gemeindefreie Gebiete
        "verwaltungsgemeinschaft": 31,  # 7 Verwaltungsgemeinschaften, 22 Einheitsgemeinden, 2 gemeindefreie Gebiete
        "kreis": 1,
    }
    for ebene, stellen in (("gemeinde", 12), ("verwaltungsgemeinschaft", 9), ("kreis", 5)):
        ids = regensburg.gebiete[ebene].index
        assert (ids.str.len() == stellen).all() and ids.str.startswith("09375").all(), ebene
    gemeinden = regensburg.gebiete["gemeinde"]
    assert gemeinden.loc["093750117117", "name"] == "Barbing"
    assert (gemeinden["eltern"] == gemeinden.index.str[:9]).all()
    vg = regensburg.gebiete["verwaltungsgemeinschaft"]
    assert VG <= set(vg.index) and vg.loc["093755338", "name"] == "VG Sünching"
    assert (gemeinden["eltern"].value_counts()["093755338"]) == 4  # Aufhausen, Mötzing, Riekofen, Sünching
    assert vg.loc["093750117", "name"] == "Barbing"  # Einheitsgemeinde: eigener Gemeindeverband
    assert regensburg.gebiete["kreis"].loc["09375", "name"] == "Landkreis Regensburg"
    assert regensburg.konfiguration.ags == "09375"
    assert regensburg.gebiete["gemeinde"].crs.to_epsg() == 25832


def test_verwaltungsgemeinschaft_ist_die_vereinigung_ihrer_gemeinden(regensburg):
    gemeinden = regensburg.gebiete["gemeinde"]
    vg = regensburg.gebiete["verwaltungsgemeinschaft"]
    teile = gemeinden[gemeinden["eltern"] == "093755338"].geometry
    assert vg.geometry["093755338"].area == pytest.approx(teile.area.sum(), rel=1e-6)
    assert vg.geometry.area.sum() == pytest.approx(regensburg.gebiete["kreis"].geometry.area.sum(), rel=1e-3)
    assert not any("außerhalb" in h for h in regensburg.hinweise)


def test_einwohner_summe_gleich_gitter_summe(regensburg):
    daten = Path(os.environ["BILDUNGSMONITOR_DATA_DIR"]) / "germany"
    gitter = gitter_lesen(daten / "zensus2011_grid_1km.parquet", ["Einwohner"])
    kreis = shapely.union_all(regensburg.gebiete["gemeinde"].to_crs("EPSG:3035").geometry.to_numpy())
    innen = shapely.contains_xy(kreis, gitter.x + 500, gitter.y + 500)
    gitter_summe = gitter.werte["Einwohner"].fillna(0).to_numpy()[innen].sum()
    assert gesamtwert(regensburg, "einwohner", "2011") == gitter_summe == 180_891
    assert werte(regensburg, "einwohner", "kreis", "2011")["09375"] == gitter_summe
    assert werte(regensburg, "einwohner", "verwaltungsgemeinschaft", "2011").sum() == gitter_summe


def test_anteile_mit_eigenem_nenner_und_geheime_zellen_gemeldet(regensburg):
    u18 = werte(regensburg, "unter18_anteil", "gemeinde", "2011")
    assert u18.drop(["093759452452"]).between(10, 30).all()
    kreis = gesamtwert(regensburg, "unter18_anteil", "2011")
    df = regensburg.indikatoren
    teil = df[df["indikator"] == "unter18_anteil"]
    assert kreis == pytest.approx(100 * teil["zaehler"].sum() / teil["nenner"].sum())
    # der Nenner sind die Einwohner der Zellen mit Angabe: kleiner als alle Einwohner
    assert teil["nenner"].sum() < gesamtwert(regensburg, "einwohner", "2011")
    assert any("geheim gehaltene Zellen" in h and "Einwohner ohne Angabe" in h for h in regensburg.hinweise)
    assert gesamtwert(regensburg, "unter18", "2011") == pytest.approx(
        kreis / 100 * gesamtwert(regensburg, "einwohner", "2011"), rel=0.01
    )
    alter = gesamtwert(regensburg, "durchschnittsalter", "2011")
    assert 35 < alter < 50


def test_namensnennung_bkg_und_zensus(regensburg):
    zitate = {q.id: q.namensnennung for q in regensburg.konfiguration.quellen}
    assert zitate["bkg"] == "© GeoBasis-DE / BKG 2021 (Daten verändert)"
    assert zitate["zensus2011"] == "© Statistische Ämter des Bundes und der Länder, Zensus 2011"
    assert {q.lizenz for q in regensburg.konfiguration.quellen} == {"dl-de/by-2.0"}
    assert set(regensburg.katalog["quelle"]) == {"zensus2011"}
    assert {s.quelle for s in regensburg.konfiguration.ebenen} == {"bkg"}


def _app(**params: str) -> AppTest:
    at = AppTest.from_file(str(PROJEKT / "app.py"), default_timeout=120)
    at.session_state["demo_rolle"] = "admin"
    at.query_params["kommune"] = "regensburg"
    for k, v in params.items():
        at.query_params[k] = v
    return at


def _texte(at: AppTest) -> str:
    teile = [m.value for m in at.markdown] + [h.value for h in at.title] + [c.value for c in at.caption]
    return "\n".join(map(str, teile + [h.value for h in at.subheader]))


def test_uebersicht_rendert_mit_ebenen_und_namensnennung(regensburg):
    at = _app()
    at.run()
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key="sb_kommune").value == "regensburg"
    ebenen = at.dataframe[0].value.set_index("ID")["Gebiete"].to_dict()
    assert ebenen == {"gemeinde": 43, "verwaltungsgemeinschaft": 31, "kreis": 1}
    texte = _texte(at)
    assert "© GeoBasis-DE / BKG 2021 (Daten verändert)" in texte
    assert "Zensus 2011" in texte and "dl-de/by-2.0" in texte


def test_karte_rendert_gemeinden(regensburg):
    at = _app(indikator="unter18_anteil", ebene="gemeinde")
    at.run()
    at.switch_page("seiten/karte.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    texte = _texte(at)
    assert "Zensus 2011" in texte or "GeoBasis-DE" in texte


def test_cli_raster_fuer_den_kreis(tmp_path, regensburg):
    import subprocess
    import sys

    daten = Path(os.environ["BILDUNGSMONITOR_DATA_DIR"]) / "germany"
    aus = tmp_path / "gemeinden.xlsx"
    r = subprocess.run(
        [sys.executable, "-m", "geodata", "raster", "regensburg", "--level", "gemeinde", "--grid",
         str(daten / "zensus2011_grid_1km.parquet"), "--method", "area", "--count", "einwohner=Einwohner",
         "--out", str(aus)],
        cwd=PROJEKT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    df = pd.read_excel(aus, dtype={"gebiet": str})
    assert len(df) == 43 and df["gebiet"].str.len().eq(12).all()
    assert np.isclose(df["wert"].sum(), 183_362.1, atol=0.1)  # Flächenanteile: auch Zellen am Kreisrand anteilig


# ----------------------------------------------------------------------------------------------
# Dieselben Ladefähigkeiten ohne die echten Daten (laufen immer): Filter, Präfix-Ebene, Namen, [[raster]]
# ----------------------------------------------------------------------------------------------

X0, Y0 = 4_500_000, 2_900_000  # EPSG:3035, bei Regensburg


def _mini_kreis(ordner: Path, raster: str = "", katalog_extra: str = "") -> Path:
    """Ein Kreis 09999 mit drei Gemeinden (zwei in einem Verband) in einer „bundesweiten“ Datei mit fremden Zeilen."""
    import geopandas as gpd

    boxen = [shapely.box(X0 + 1000 * i, Y0, X0 + 1000 * (i + 1), Y0 + 1000) for i in range(4)]
    gpd.GeoDataFrame(
        {"ARS": ["099995001001", "099995001002", "099990003003", "088880001001"], "GEN": ["A", "B", "C", "Fremd"]},
        geometry=boxen,
        crs="EPSG:3035",
    ).to_file(ordner / "gemeinden.geojson")
    zellen = [(10, "20,5"), (30, "–"), (6, "50")]  # je Gemeinde A, B, C eine Zelle; B mit geheimem Anteil
    zeilen = ["GITTER_ID_1km;Einwohner;Anteil"]
    zeilen += [f"CRS3035RES1000mN{Y0}E{X0 + 1000 * i};{ew};{anteil}" for i, (ew, anteil) in enumerate(zellen)]
    (ordner / "gitter.csv").write_text("\n".join(zeilen) + "\n", encoding="utf-8")
    (ordner / "katalog.csv").write_text(
        "id;name;einheit;art;gewicht\neinwohner;Einwohner;Personen;anzahl;\nanteil;Anteil;%;anteil;einwohner\n"
        + katalog_extra,
        encoding="utf-8",
    )
    (ordner / "kommune.toml").write_text(
        f"""name = "Kreis"
ags = "09999"
crs = "EPSG:25832"
[[ebene]]
id = "gemeinde"
name = "Gemeinde"
datei = "gemeinden.geojson"
filter = {{ spalte = "ARS", praefix = "09999" }}
id_spalte = "ARS"
name_spalte = "GEN"
eltern = "verband"
eltern_aus_praefix = 9
[[ebene]]
id = "verband"
name = "Verwaltungsgemeinschaft"
datei = "gemeinden.geojson"
filter = {{ spalte = "ARS", praefix = ["09999"] }}
id_spalte = "ARS"
id_aus_praefix = 9
name_spalte = "GEN"
namen = {{ "099995001" = "VG A-B" }}
{
            raster
            or '''[[raster]]
datei = "gitter.csv"
ebene = "gemeinde"
periode = "2022"
anzahlen = { einwohner = "Einwohner" }
anteile = { anteil = "Anteil" }'''
        }
""",
        encoding="utf-8",
    )
    return ordner


def test_filter_praefix_ebene_und_raster_ohne_echte_daten(tmp_path):
    from kommune import kommune_laden

    k = kommune_laden(_mini_kreis(tmp_path))
    assert set(k.gebiete["gemeinde"].index) == {"099995001001", "099995001002", "099990003003"}  # ohne „Fremd“
    verband = k.gebiete["verband"]
    assert verband["name"].to_dict() == {"099990003": "C", "099995001": "VG A-B"}
    assert verband.geometry["099995001"].area == pytest.approx(2e6, rel=1e-3)  # zwei 1-km²-Gemeinden vereinigt
    assert werte(k, "einwohner", "verband", "2022").to_dict() == {"099990003": 6.0, "099995001": 40.0}
    # Anteil: die geheime Zelle (B) fehlt im Nenner, sie wird gemeldet
    assert werte(k, "anteil", "verband", "2022")["099995001"] == pytest.approx(20.5)
    assert gesamtwert(k, "anteil", "2022") == pytest.approx((20.5 * 10 + 50 * 6) / 16)
    assert any("1 Zellen (30 Einwohner ohne Angabe)" in h for h in k.hinweise), k.hinweise


@pytest.mark.parametrize(
    ("raster", "meldung"),
    [
        ('[[raster]]\ndatei = "gitter.csv"\nebene = "gemeinde"\nperiode = "2022"\nanzahlen = { kinder = "Einwohner" }',
         "„kinder“ steht nicht im Indikatorenkatalog"),
        ('[[raster]]\ndatei = "gitter.csv"\nebene = "kreis"\nperiode = "2022"\nanzahlen = { einwohner = "Einwohner" }',
         "unbekannte Ebene „kreis“"),
        ('[[raster]]\ndatei = "gitter.csv"\nebene = "gemeinde"\nperiode = "2022"\nanzahlen = { einwohner = "EW" }',
         "keine Spalte „EW“"),
        ('[[raster]]\ndatei = "gitter.csv"\nebene = "gemeinde"\nperiode = "2022"\nverfahren = "kreis"\n'
         'anzahlen = { einwohner = "Einwohner" }', "„mittelpunkt“ oder „flaeche“"),
    ],
)  # fmt: skip
def test_fehler_der_rasterquelle_sind_deutsche_saetze(tmp_path, raster, meldung):
    from kommune import kommune_laden
    from kommune.fehler import KommuneFehler

    with pytest.raises(KommuneFehler, match=meldung):
        kommune_laden(_mini_kreis(tmp_path, raster))


def test_filter_ohne_treffer_und_falsche_filter_schluessel(tmp_path):
    from kommune import kommune_laden
    from kommune.fehler import KommuneFehler

    ordner = _mini_kreis(tmp_path)
    toml = (ordner / "kommune.toml").read_text(encoding="utf-8")
    (ordner / "kommune.toml").write_text(toml.replace('praefix = "09999"', 'praefix = "07777"'), encoding="utf-8")
    with pytest.raises(KommuneFehler, match="Keine Zeile passt zum Filter"):
        kommune_laden(ordner)
    (ordner / "kommune.toml").write_text(toml.replace('praefix = "09999"', 'anfang = "09999"'), encoding="utf-8")
    with pytest.raises(KommuneFehler, match=r"„filter“ in \[ebene\] Nr. 1 braucht"):
        kommune_laden(ordner)

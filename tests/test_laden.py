"""Kommune laden und prüfen: gültige Daten, Aggregation, und jede Art kaputter Eingabe."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Polygon, box

from kommune import KommuneFehler, kommune_laden
from kommune.werte import gesamtwert, werte
from tests.mini import TOML, WERTE, X0, Y0, mini_kommune


@pytest.fixture
def mini(tmp_path):
    return kommune_laden(mini_kommune(tmp_path / "mini"))


def test_mini_laedt_mit_textschluesseln(mini):
    assert mini.name == "Minihausen"
    assert mini.gebiete["viertel"].index.tolist() == ["0101", "0102", "0201"]
    assert mini.gebiete["viertel"]["eltern"].tolist() == ["01", "01", "02"]
    assert mini.gebiete["bezirk"].crs.to_epsg() == 25832
    assert mini.perioden == ["2024"]
    assert mini.hinweise == []


def test_aggregation_anzahl_summe_anteil_aus_zaehler_nenner(mini):
    assert werte(mini, "kinder", "bezirk", "2024").to_dict() == {"01": 400.0, "02": 50.0}
    armut = werte(mini, "armut", "bezirk", "2024")
    assert armut["01"] == pytest.approx(100 * 100 / 400)  # (10 + 90) / (100 + 300), nicht Mittel 20
    assert gesamtwert(mini, "armut", "2024") == pytest.approx(100 * 110 / 450)
    quote = werte(mini, "quote", "bezirk", "2024")
    assert quote["01"] == pytest.approx((50 * 100 + 90 * 300) / 400)  # mit „gewicht“ = kinder
    assert gesamtwert(mini, "kinder", "2024") == 450


def test_fehlender_kindwert_macht_elternwert_leer(tmp_path):
    k = kommune_laden(mini_kommune(tmp_path / "m", werte=WERTE.replace("0102;kinder;2024;300;;\n", "")))
    w = werte(k, "kinder", "bezirk", "2024")
    assert w.isna()["01"] and w["02"] == 50


def _fehler(tmp_path, **kw) -> KommuneFehler:
    ordner = mini_kommune(tmp_path / "k", **kw)
    with pytest.raises(KommuneFehler) as e:
        kommune_laden(ordner)
    return e.value


def test_ungueltiges_toml_nennt_zeile(tmp_path):
    e = _fehler(tmp_path, toml=TOML.replace('name = "Minihausen"', 'name = "Minihausen'))
    assert "kommune.toml" in e.text and "TOML" in e.text and e.zeile == 2


def test_unbekannter_schluessel(tmp_path):
    e = _fehler(tmp_path, toml=TOML.replace('id_spalte = "vid"', 'id_spalte = "vid"\nfarbe = "rot"'))
    assert "Unbekannter Schlüssel „farbe“" in e.text


def test_unbekannte_elternebene(tmp_path):
    e = _fehler(tmp_path, toml=TOML.replace('eltern = "bezirk"', 'eltern = "kreis"'))
    assert "Elternebene „kreis“" in e.text


def test_fehlende_umgebungsvariable(tmp_path, monkeypatch):
    monkeypatch.delenv("BM_TEST_NICHT_GESETZT", raising=False)
    e = _fehler(tmp_path, toml=TOML.replace('daten = "."', 'daten = "${BM_TEST_NICHT_GESETZT}"'))
    assert "BM_TEST_NICHT_GESETZT" in e.text


def test_doppelter_schluessel_nennt_zeile(tmp_path):
    viertel = gpd.GeoDataFrame(
        {"vid": ["0101", "0101", "0201"], "vname": ["a", "b", "c"], "bid": ["01", "01", "02"]},
        geometry=[box(X0, Y0, X0 + 10, Y0 + 10)] * 3,
        crs="EPSG:25832",
    )
    e = _fehler(tmp_path, viertel=viertel)
    assert "„0101“ kommt mehrfach vor" in e.text and e.zeile == 2 and e.spalte == "vid"


def test_koordinaten_ausserhalb_deutschlands(tmp_path):
    viertel = gpd.GeoDataFrame(
        {"vid": ["0101"], "vname": ["a"], "bid": ["01"]},
        geometry=[box(390_000, 5_820_000, 391_000, 5_821_000)],
        crs="EPSG:4326",
    )  # UTM-Zahlen als Grad
    e = _fehler(tmp_path, viertel=viertel)
    assert "nicht in Deutschland" in e.text


def test_kein_crs(tmp_path):
    viertel = gpd.GeoDataFrame(
        {"vid": ["0101"], "vname": ["a"], "bid": ["01"]}, geometry=[box(X0, Y0, X0 + 10, Y0 + 10)]
    )
    e = _fehler(tmp_path, viertel=viertel)
    assert "kein Koordinatensystem" in e.text


def test_unbekannter_elternschluessel(tmp_path):
    viertel = gpd.GeoDataFrame(
        {"vid": ["0101"], "vname": ["a"], "bid": ["09"]}, geometry=[box(X0, Y0, X0 + 10, Y0 + 10)], crs="EPSG:25832"
    )
    e = _fehler(tmp_path, viertel=viertel)
    assert "Elternschlüssel „09“" in e.text and e.spalte == "bid"


def test_ungueltiges_polygon_wird_repariert_und_gemeldet(tmp_path):
    schleife = Polygon([(X0, Y0), (X0 + 500, Y0 + 500), (X0 + 500, Y0), (X0, Y0 + 500)])  # Achterschleife
    viertel = gpd.GeoDataFrame({"vid": ["0101"], "vname": ["a"], "bid": ["01"]}, geometry=[schleife], crs="EPSG:25832")
    k = kommune_laden(mini_kommune(tmp_path / "k", viertel=viertel))
    assert k.gebiete["viertel"].geometry.is_valid.all()
    assert any("1 ungültige Polygone wurden repariert" in h for h in k.hinweise)
    assert any("fehlen in der Geometrie" in h for h in k.hinweise)  # 0102 und 0201 aus den Werten


def test_nicht_numerischer_wert_nennt_datei_zeile_spalte(tmp_path):
    e = _fehler(tmp_path, werte=WERTE.replace("0102;kinder;2024;300", "0102;kinder;2024;dreihundert"))
    assert e.datei == "werte.csv" and e.zeile == 3 and e.spalte == "wert"


def test_indikator_nicht_im_katalog(tmp_path):
    e = _fehler(tmp_path, werte=WERTE + "0101;unbekannt;2024;1;;\n")
    assert "„unbekannt“ steht nicht im Indikatorenkatalog" in e.text


def test_doppelter_wert(tmp_path):
    e = _fehler(tmp_path, werte=WERTE + "0101;kinder;2024;1;;\n")
    assert "mehrere Werte" in e.text


def test_unbekannte_kommune():
    with pytest.raises(KommuneFehler) as e:
        kommune_laden("gibtsnicht")
    assert "„gibtsnicht“ gibt es nicht" in e.value.text


def test_erweiterungsabschnitte_werden_durchgereicht(tmp_path):
    toml = TOML + '\n[[kachel]]\nid = "a"\ntitel = "A"\n\n[geheimhaltung]\nmindestfallzahl = 3\n'
    k = kommune_laden(mini_kommune(tmp_path / "k", toml=toml))
    assert k.konfiguration.erweiterungen["kachel"] == [{"id": "a", "titel": "A"}]
    assert k.konfiguration.erweiterungen["geheimhaltung"] == {"mindestfallzahl": 3}


def test_anteil_aus_kindern_mit_wert_wenn_die_bezugsgroesse_gedeckt_ist(tmp_path):
    # 0102 (300 von 400 Kindern im Bezirk 01) ohne Armutswert: Deckung 25 % → leer
    ohne_grosses = WERTE.replace("0102;armut;2024;30,0;90;300\n", "")
    k = kommune_laden(mini_kommune(tmp_path / "a", werte=ohne_grosses))
    assert werte(k, "armut", "bezirk", "2024").isna()["01"]
    # mit einem sehr kleinen fehlenden Gebiet (1 von 401 Kindern, Deckung 99,75 %) wird gerechnet
    klein = WERTE.replace("0101;kinder;2024;100;;", "0101;kinder;2024;1;;").replace(
        "0101;quote;2024;50,0;;", "0101;quote;2024;;;"
    )
    k = kommune_laden(mini_kommune(tmp_path / "b", werte=klein))
    assert werte(k, "quote", "bezirk", "2024")["01"] == pytest.approx(90.0)
    assert werte(k, "kinder", "bezirk", "2024")["01"] == 301  # Zählgröße bleibt exakt


def test_wert_ohne_bezugsgroesse_macht_anteil_leer(tmp_path):
    # 0102 hat eine Quote, aber keine Kinderzahl: nicht gewichtbar → Bezirk 01 leer
    k = kommune_laden(mini_kommune(tmp_path / "c", werte=WERTE.replace("0102;kinder;2024;300;;\n", "")))
    assert werte(k, "quote", "bezirk", "2024").isna()["01"]
    assert werte(k, "quote", "bezirk", "2024")["02"] == 70.0

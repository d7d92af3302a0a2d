"""Karte: Klassen, Farben, Legende, Klickauswertung, Offline-Leaflet, maskierte Namen."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from geodata.anzeige import vereinfachen
from geodata.karte import externe_adressen, karte_bauen, kategorie_symbol, standard_kategorien
from geodata.kartendaten import angebots_features, flaechen_features, gebiet_aus_klick, kurzbeschreibung
from geodata.klassen import KEINE_DATEN, SCHEMATA, klassen_bilden, schema_waehlen
from geodata.legende import kartentabelle, legende_html


@pytest.fixture
def reihe() -> pd.Series:
    werte = np.r_[np.arange(1.0, 21.0), [np.nan, np.nan]]
    return pd.Series(werte, index=[f"{i:02d}" for i in range(22)])


def test_quantile_mit_anzahl_und_keine_daten(reihe):
    k = klassen_bilden(reihe, "quantile", 4, "YlOrRd")
    assert k.anzahl == (5, 5, 5, 5)
    assert k.keine_daten == 2
    assert k.farben == tuple(SCHEMATA["YlOrRd"][4])
    assert k.beschriftungen[0] == "1,0 bis 5,8" and k.beschriftungen[-1] == "über 15,2 bis 20,0"
    assert k.farbe("20") == KEINE_DATEN and k.farbe("00") == SCHEMATA["YlOrRd"][4][0]


@pytest.mark.parametrize("methode", ["quantile", "fisher_jenks", "equal_interval", "std_mean"])
def test_jede_methode_ordnet_alle_gueltigen_werte_zu(reihe, methode):
    k = klassen_bilden(reihe, methode, 5)
    assert sum(k.anzahl) == 20
    assert (k.klasse[reihe.notna()] >= 0).all() and (k.klasse[reihe.isna()] == -1).all()
    assert list(k.grenzen) == sorted(k.grenzen)


def test_wenige_eindeutige_werte_und_leere_reihe():
    k = klassen_bilden(pd.Series([1.0, 1.0, 2.0], index=list("abc")), "quantile", 5)
    assert sum(k.anzahl) == 3 and len(k.farben) == len(k.grenzen) == 2
    leer = klassen_bilden(pd.Series([np.nan, np.nan], index=list("ab")))
    assert leer.anzahl == () and leer.keine_daten == 2 and leer.farbe("a") == KEINE_DATEN


def test_schema_divergierend_fuer_veraenderungen():
    assert schema_waehlen(1, pd.Series([-1.0, 2.0])) == "RdYlBu_r"
    assert schema_waehlen(1, pd.Series([1.0, 2.0])) == "YlOrRd"
    assert schema_waehlen(-1, pd.Series([1.0, 2.0])) == "YlGnBu"


def test_legende_zeigt_anzahl_und_maskiert_kategorien(reihe):
    k = klassen_bilden(reihe, "quantile", 4)
    html = legende_html(k, ["<b>Kita</b>"])
    assert html.count("(5 Gebiete)") == 4 and "keine Daten" in html and "(2 Gebiete)" in html
    assert "&lt;b&gt;Kita&lt;/b&gt;" in html and "<b>Kita" not in html


def test_kartentabelle_deutsch_formatiert(reihe):
    namen = pd.Series([f"Gebiet {i}" for i in range(22)], index=reihe.index)
    t = kartentabelle(namen, reihe * 100.5, klassen_bilden(reihe), "%", 1)
    assert t.loc[19, "Wert"] == "2.010,0 %"
    assert t.loc[21, "Wert"] == "keine Daten" and t.loc[21, "Klasse"] == "keine Daten"


def test_kurzbeschreibung(reihe):
    namen = pd.Series([f"G{i}" for i in range(22)], index=reihe.index)
    satz = kurzbeschreibung(reihe, namen, "Kinderarmut", "%", "Viertel", "31.12.2024")
    assert satz == (
        "Die Karte zeigt Kinderarmut (Stand 31.12.2024) für 20 von 22 Gebieten der Ebene Viertel: "
        "von 1,0 % in G0 bis 20,0 % in G19; 2 Gebiete haben keine Daten."
    )
    ohne = kurzbeschreibung(
        reihe, namen, "Kinderarmut", "%", "Viertel", "31.12.2024", ausgelassen={"00", "19"}, fussnote="ohne Gebiete …"
    )
    assert ohne == (
        "Die Karte zeigt Kinderarmut (Stand 31.12.2024) für 20 von 22 Gebieten der Ebene Viertel: "
        "von 2,0 % in G1 bis 19,0 % in G18 (ohne Gebiete …); 2 Gebiete haben keine Daten."
    )
    alle_klein = kurzbeschreibung(reihe, namen, "K", "%", "Viertel", "2024", ausgelassen=set(reihe.index))
    assert alle_klein == (
        "Die Karte zeigt K (Stand 2024) für 20 von 22 Gebieten der Ebene Viertel; 2 Gebiete haben keine Daten."
    )


def test_klick_auf_gebiet_angebot_und_unbekanntes():
    ids = pd.Index(["0101", "0102"])
    assert gebiet_aus_klick({"last_active_drawing": {"properties": {"art": "gebiet", "id": "0102"}}}, ids) == "0102"
    assert gebiet_aus_klick({"last_active_drawing": {"properties": {"name": "Kita Sonne"}}}, ids) is None
    assert gebiet_aus_klick({"last_active_drawing": {"properties": {"art": "gebiet", "id": "9999"}}}, ids) is None
    assert gebiet_aus_klick({"last_active_drawing": None}, ids) is None
    assert gebiet_aus_klick(None, ids) is None


def test_karte_laedt_nichts_von_aussen_und_maskiert_namen(musterstadt):
    g = musterstadt.gebiete["viertel"].copy()
    g.loc[g.index[0], "name"] = "<script>alert(1)</script>"
    anzeige = vereinfachen(g)
    w = pd.Series(np.arange(len(g), dtype=float), index=g.index)
    angebote = musterstadt.angebote.copy()
    angebote.loc[0, "name"] = "<img src=x onerror=alert(1)>"
    teile = karte_bauen(
        flaechen_features(anzeige, w, klassen_bilden(w), "%"), angebots_features(angebote), mitte=(48.1, 11.6)
    )
    assert externe_adressen(teile.basis, *teile.ebenen) == []
    html = teile.als_eine_karte().get_root().render()
    assert "<script>alert(1)" not in html and "\\u0026lt;script\\u0026gt;alert(1)" in html
    assert "<img src=x" not in html
    assert "cdn.jsdelivr" not in html and "tile.openstreetmap" not in html
    assert "/app/static/vendor/leaflet/leaflet.js" in html
    assert "/app/static/vendor/markercluster/leaflet.markercluster.js" in html


def test_vereinfachung_bleibt_gueltig_und_klein(berlin):
    anzeige = vereinfachen(berlin.gebiete["planungsraum"])
    assert len(anzeige) == 542 and anzeige.geometry.is_valid.all()
    assert anzeige.crs.to_epsg() == 4326
    groesse = len(json.dumps(json.loads(anzeige.to_json(drop_id=True)), separators=(",", ":")))
    assert groesse < 400_000  # statt ~8 MB in voller Auflösung
    # Fläche bleibt erhalten (Vereinfachung um 30 m, Rundung auf 1e-5°)
    verhaeltnis = anzeige.to_crs(25833).area.sum() / berlin.gebiete["planungsraum"].area.sum()
    assert verhaeltnis == pytest.approx(1.0, abs=0.002)


def test_vorauswahl_der_angebotsebenen_bleibt_unter_der_grenze():
    wenige = {"Kita": 145, "Grundschule": 32}
    assert standard_kategorien(wenige) == ["Grundschule", "Kita"]
    berlin = {
        "Kita": 2893,
        "Grundschule": 376,
        "weiterführende Schule": 220,
        "Jugendfreizeiteinrichtung": 407,
        "Bibliothek": 150,
    }
    gewaehlt = standard_kategorien(berlin, grenze=1000)
    assert "Grundschule" in gewaehlt and "Kita" not in gewaehlt
    assert sum(berlin[k] for k in gewaehlt) <= 1000


def test_symbole_unterscheiden_sich_nicht_nur_in_der_farbe():
    assert ">K<" in kategorie_symbol("Kita") and "eckig" not in kategorie_symbol("Kita")
    assert ">G<" in kategorie_symbol("Grundschule") and "eckig" in kategorie_symbol("Grundschule")
    assert "border-radius:3px" in kategorie_symbol("Grundschule", eigenstaendig=True)
    assert "&lt;" in kategorie_symbol("<neu>") or ">•<" in kategorie_symbol("<neu>")


def _ausschnitt_pruefen(gebiete, anzeige) -> None:
    """Der Ausschnitt umschließt jede Fläche und ist nicht größer als nötig (bis auf die Rundung)."""
    from geodata.karte import kartenausschnitt

    (sued, west), (nord, ost) = kartenausschnitt(anzeige)
    w, s, o, n = gebiete.to_crs(4326).total_bounds
    assert (sued, west, nord, ost) == pytest.approx((s, w, n, o), abs=1e-3)
    b = anzeige.bounds
    assert (b.minx >= west).all() and (b.maxx <= ost).all() and (b.miny >= sued).all() and (b.maxy <= nord).all()


def test_kartenausschnitt_musterstadt(musterstadt):
    from geodata.karte import kartenausschnitt

    for g in musterstadt.gebiete.values():
        _ausschnitt_pruefen(g, vereinfachen(g))
    # derselbe Ausschnitt aus jeder Projektion
    g = musterstadt.gebiete["viertel"]
    (a, b), (c, d) = kartenausschnitt(g)
    assert sum(kartenausschnitt(g.to_crs(4326)), ()) == pytest.approx((a, b, c, d))


def test_kartenausschnitt_berlin_ganz(berlin):
    from geodata.karte import kartenausschnitt

    g = berlin.gebiete["planungsraum"]
    _ausschnitt_pruefen(g, vereinfachen(g))
    (sued, west), (nord, ost) = kartenausschnitt(vereinfachen(g))
    # Berlin reicht von Lichtenrade bis Frohnau, von Staaken bis Müggelheim
    assert sued < 52.35 and nord > 52.67 and west < 13.09 and ost > 13.76


def test_kartenausschnitt_landkreis_regensburg(regensburg):
    from geodata.karte import kartenausschnitt

    g = regensburg.gebiete["gemeinde"]
    _ausschnitt_pruefen(g, vereinfachen(g))
    (sued, west), (nord, ost) = kartenausschnitt(vereinfachen(g))
    assert ost - west > 0.6 and nord - sued > 0.4  # ein Kreis, nicht ein Stadtausschnitt


def test_kartenausschnitt_leer_und_in_der_karte(musterstadt):
    from geodata.karte import kartenausschnitt

    g = vereinfachen(musterstadt.gebiete["stadtteil"])
    assert kartenausschnitt(g.iloc[0:0]) is None
    w = pd.Series(1.0, index=g.index)
    ausschnitt = kartenausschnitt(g)
    teile = karte_bauen(flaechen_features(g, w, klassen_bilden(w), "%"), ausschnitt=ausschnitt)
    html = teile.basis.get_root().render()
    (s, we), (n, o) = ausschnitt
    assert f".fitBounds(\n                [[{s}, {we}], [{n}, {o}]]," in html
    # Die Basiskarte hängt nicht von den Werten ab: gleiches Skript für einen anderen Indikator
    teile2 = karte_bauen(flaechen_features(g, w * 2, klassen_bilden(w * 2), "%"), ausschnitt=ausschnitt)
    assert _basis_js(teile.basis) == _basis_js(teile2.basis)


def _basis_js(karte) -> str:
    import re

    html = karte.get_root().render()
    return re.sub(r"[0-9a-f]{32}", "ID", html)


def test_kurzbeschreibung_zaehlt_gesperrt_und_ohne_daten_getrennt(reihe):
    namen = pd.Series([f"G{i}" for i in range(22)], index=reihe.index)
    gesperrt = pd.Series(False, index=reihe.index)
    gesperrt.iloc[-1] = True  # eines der beiden Gebiete ohne Wert ist gesperrt, nicht datenlos
    satz = kurzbeschreibung(reihe, namen, "Kinderarmut", "%", "Viertel", "", gesperrt=gesperrt)
    assert satz.startswith("Die Karte zeigt Kinderarmut für 20 von 22 Gebieten")  # ohne Stand kein „(Stand )“
    assert satz.endswith("; 1 Gebiet hat keine Daten; 1 Gebiet ist gesperrt (Geheimhaltung).")


def test_kartenkopf_ohne_leere_teile():
    from geodata.kartendaten import kartenkopf

    assert kartenkopf("Sozialindex", "", "2024") == "**Sozialindex**  \nStand 2024"
    assert kartenkopf("Kinderarmut", "%", "2024-12-31") == "**Kinderarmut**  \n% · Stand 31.12.2024"
    assert kartenkopf("Index", "", "") == "**Index**"

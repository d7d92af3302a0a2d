"""Karte: Klassen, Farben, Legende, Färbung, Angebotsebenen, Klickauswertung, Kartenmodul offline."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from geodata.anzeige import vereinfachen
from geodata.karte import angebote_knopf, kategorie_symbol
from geodata.kartendaten import (
    angebotsebenen,
    faerbung,
    gebiet_aus_klick,
    kurzbeschreibung,
    nur_neues,
    tooltip_text,
)
from geodata.klassen import (
    GESPERRT,
    KEINE_DATEN,
    METHODEN,
    SCHEMATA,
    farben_um_mitte,
    klassen_bilden,
    schema_waehlen,
)
from geodata.kodierung import ebene_kodieren, punkte_dekodieren
from geodata.legende import kartentabelle, legende_html
from tests.conftest import PROJEKT

KARTE_JS = PROJEKT / "static" / "bildungsmonitor" / "karte.js"


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


def test_schema_einer_luecke_dunkel_weit_weg_von_der_mitte():
    """Lücken: liegen alle unter der Mitte, ist der kleinste Wert (die größte Lücke) am dunkelsten."""
    alle_negativ = pd.Series([-27.1, -13.2, -5.9, -5.2], index=list("abcd"))
    schema = schema_waehlen(0, alle_negativ, mitte=0.0)
    assert schema == "YlOrRd_umgekehrt"
    k = klassen_bilden(alle_negativ, "quantile", 4, schema)
    assert k.farbe("a") == SCHEMATA["YlOrRd"][4][-1] and k.farbe("d") == SCHEMATA["YlOrRd"][4][0]
    assert schema_waehlen(0, pd.Series([-2.0, 3.0]), mitte=0.0) == "RdYlBu_r"
    assert schema_waehlen(0, pd.Series([0.4, 0.9]), mitte=1.0) == "YlOrRd_umgekehrt"  # Verhältnisse unter 1
    assert schema_waehlen(0, pd.Series([0.4, 1.3]), mitte=1.0) == "RdYlBu_r"
    assert schema_waehlen(0, pd.Series([1.1, 1.3]), mitte=1.0) == "YlOrRd"
    assert schema_waehlen(0, pd.Series([np.nan]), mitte=0.0) == "YlOrRd"


def test_divergierend_zeigt_die_seite_der_mitte():
    """Die Seite der Farbe ist das Vorzeichen: kein Wert unter der Mitte bekommt eine Farbe der oberen Seite und
    umgekehrt; neutral ist nur eine Klasse, die über die Mitte reicht (Musterkreis, Lücke je Verbandsgemeinde)."""
    p7 = SCHEMATA["RdYlBu_r"][7]
    farben = farben_um_mitte([-27.1, -18.2, -12.7, -5.6, 12.8], [-18.2, -12.7, -5.6, 12.8, 20.9], 0.0, "RdYlBu_r")
    assert farben == (p7[0], p7[1], p7[2], p7[3], p7[4])  # drei unter, eine quer (neutral), eine darüber
    assert farben_um_mitte([-1, 0], [0, 1], 0.0, "RdYlBu_r") == tuple(SCHEMATA["RdYlBu_r"][3][i] for i in (0, 2))
    p9, p11 = SCHEMATA["RdYlBu_r"][9], SCHEMATA["RdYlBu_r"][11]
    assert farben_um_mitte([-5, -4, -3, -2, 1], [-4, -3, -2, -1, 2], 0.0, "RdYlBu_r") == (*p9[:4], p9[5])
    # sechs Klassen auf einer Seite: die innerste neutral; mit einer Klasse quer teilen sich die äußersten die dunkelste
    assert farben_um_mitte([-1, *range(6)], [0, *range(1, 7)], 0.0, "RdYlBu_r") == (p11[4], *p11[5:])
    assert farben_um_mitte([-1, *range(1, 7)], [1, *range(2, 8)], 0.0, "RdYlBu_r") == (p11[5], *p11[6:], p11[10])
    assert farben_um_mitte([-1], [1], 0.0, "RdYlBu_r") is None
    palette = [SCHEMATA["RdYlBu_r"][n] for n in (3, 5, 7, 9, 11)]
    unten = {f for p in palette for f in p[: len(p) // 2]}
    oben = {f for p in palette for f in p[len(p) // 2 + 1 :]}
    assert not unten & oben
    rng = np.random.default_rng(7)
    for _ in range(200):
        w = pd.Series(rng.normal(rng.uniform(-3, 3), 2, size=int(rng.integers(4, 40))))
        if not w.min() < 0 < w.max():
            continue
        for methode in METHODEN:
            k = klassen_bilden(w, methode, int(rng.integers(3, 8)), "RdYlBu_r")
            for g, x in w.items():
                assert not (x < 0 and k.farbe(g) in oben) and not (x > 0 and k.farbe(g) in unten), (methode, x)


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


def test_klick_auf_gebiet_und_unbekanntes():
    ids = pd.Index(["0101", "0102"])
    assert gebiet_aus_klick("0102", ids) == "0102"
    assert gebiet_aus_klick("9999", ids) is None
    assert gebiet_aus_klick("", ids) is None
    assert gebiet_aus_klick(None, ids) is None
    assert gebiet_aus_klick(["0102"], ids) is None  # nur Text zählt


def test_faerbung_je_gebiet_mit_keine_daten_und_gesperrt(reihe):
    k = klassen_bilden(reihe, "quantile", 4).mit_sperren(pd.Series({"00": True}))
    ids = list(reversed(reihe.index))  # Reihenfolge der Geometrie, nicht der Werte
    f = faerbung(ids, reihe.where(reihe.index != "00"), k, "Kinderarmut", "%", 1)
    assert f["farben"] == [*SCHEMATA["YlOrRd"][4], KEINE_DATEN, GESPERRT]
    assert len(f["klasse"]) == len(f["werte"]) == 22
    nach_id = {g: (int(f["klasse"][i]), tooltip_text(f, i)) for i, g in enumerate(ids)}
    assert nach_id["00"] == (5, "gesperrt (.)")
    assert nach_id["21"] == (4, "keine Daten")
    assert nach_id["19"] == (3, "20,0 %") and nach_id["01"] == (0, "2,0 %")
    assert f["titel"] == "Kinderarmut"
    # ohne Einheit (Index-Werte) nur die Zahl
    ohne = faerbung(ids, reihe, klassen_bilden(reihe, "quantile", 4), "Index", "", 2)
    assert tooltip_text(ohne, ids.index("19")) == "20,00"
    # gleicher Inhalt, gleicher Schlüssel; andere Werte, anderer Schlüssel
    assert faerbung(ids, reihe.where(reihe.index != "00"), k, "Kinderarmut", "%", 1)["hash"] == f["hash"]
    assert faerbung(ids, reihe * 2, klassen_bilden(reihe * 2, "quantile", 4), "Kinderarmut", "%")["hash"] != f["hash"]


def test_faerbung_enthaelt_keinen_gesperrten_wert(reihe):
    """Der Wert eines gesperrten Gebiets steht weder als Zahl noch als Text in der Färbung."""
    k = klassen_bilden(reihe, "quantile", 4).mit_sperren(pd.Series({"05": True}))
    f = faerbung(list(reihe.index), reihe.where(reihe.index != "05"), k, "X", "%", 1)
    assert f["werte"][5] == "" and f["werte"][4] == "5,0"
    assert '"6,0"' not in json.dumps(f)


def test_angebotsebenen_kompakt_und_als_text(musterstadt):
    angebote = musterstadt.angebote.copy()
    angebote.loc[angebote.index[0], "name"] = "<img src=x onerror=alert(1)>"
    ebenen = angebotsebenen(angebote)
    assert [e["kategorie"] for e in ebenen] == sorted(angebote["kategorie"].unique())
    kita = next(e for e in ebenen if e["kategorie"] == "Kita")
    assert len(kita["namen"]) == len(kita["info"]) == (angebote["kategorie"] == "Kita").sum() == 145
    assert kita["zeichen"] == "K" and not kita["eckig"]
    assert next(e for e in ebenen if e["kategorie"] == "Grundschule")["eckig"]
    # Namen als Klartext (der Browser setzt sie als Text): nichts doppelt maskiert
    erste = next(e for e in ebenen if e["kategorie"] == angebote.iloc[0]["kategorie"])
    assert "<img src=x onerror=alert(1)>" in erste["namen"]
    # Punkte: Lage auf 1e-5° genau, in der Reihenfolge der Namen
    punkte = punkte_dekodieren(kita["punkte"], kita["schritt"])
    wgs = angebote[angebote["kategorie"] == "Kita"].to_crs(4326).get_coordinates().to_numpy()
    assert np.abs(np.array(punkte) - wgs).max() < 0.6e-5
    # kompakt: höchstens 8 Zeichen je Punkt
    assert len(kita["punkte"]) <= 8 * 145


def test_nur_neues_schickt_bekanntes_als_schluessel():
    teil = {"hash": "abc", "flaechen": [[["AAAA"]]]}
    assert nur_neues(teil, set()) is teil
    assert nur_neues(teil, {"abc"}) == {"hash": "abc"}


def test_kartenmodul_offline_und_ohne_html_aus_daten():
    """Das Kartenmodul lädt nur vom eigenen Server und setzt Texte aus den Daten nie als HTML."""
    js = KARTE_JS.read_text()
    assert not re.search(r"https?://|//cdn|unpkg|jsdelivr", js)
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", js)
    # Leaflets Ebenenauswahl verlangt HTML: die Kategorie geht maskiert hinein
    assert "addOverlay(ebene, `${maskieren(a.kategorie)}" in js
    assert (PROJEKT / "static" / "vendor" / "leaflet" / "leaflet.js").is_file()


def test_vereinfachung_bleibt_gueltig_und_klein(berlin):
    anzeige = vereinfachen(berlin.gebiete["planungsraum"])
    assert len(anzeige) == 542 and anzeige.geometry.is_valid.all()
    assert anzeige.crs.to_epsg() == 4326
    groesse = len(json.dumps(json.loads(anzeige.to_json(drop_id=True)), separators=(",", ":")))
    assert groesse < 400_000  # statt ~8 MB in voller Auflösung
    # Fläche bleibt erhalten (Vereinfachung um 30 m, Rundung auf 1e-5°)
    verhaeltnis = anzeige.to_crs(25833).area.sum() / berlin.gebiete["planungsraum"].area.sum()
    assert verhaeltnis == pytest.approx(1.0, abs=0.002)


def test_angebote_knopf_sagt_wie_viele_ebenen_an_sind():
    assert angebote_knopf(0) == "Angebote: keine"
    assert angebote_knopf(2) == "Angebote: 2"


def test_kartenhoehe_aus_dem_fenster_mit_grenzen():
    from oberflaeche.kartenkomponente import kartenhoehe

    assert kartenhoehe(250) == "clamp(320px, calc(100vh - 250px), 900px)"
    assert kartenhoehe(120, hoechstens=560) == "clamp(320px, calc(100vh - 120px), 560px)"
    with pytest.raises(ValueError):
        kartenhoehe(-1)
    with pytest.raises(ValueError):
        kartenhoehe(100, mindestens=600, hoechstens=500)


def test_seitenleiste_je_seite_und_praesentationsschalter():
    from oberflaeche.bildschirm import seitenleiste_zustand

    assert seitenleiste_zustand("cockpit") == "collapsed"
    assert seitenleiste_zustand("sitzung") == "collapsed"
    assert seitenleiste_zustand("karte") == "auto"
    assert seitenleiste_zustand("") == "auto"  # Startseite
    assert seitenleiste_zustand("karte", "1") == "collapsed"
    assert seitenleiste_zustand("karte", " Ja ") == "collapsed"
    assert seitenleiste_zustand("cockpit", "0") == "expanded"
    assert seitenleiste_zustand("cockpit", "unsinn") == "collapsed"


def test_symbole_unterscheiden_sich_nicht_nur_in_der_farbe():
    assert ">K<" in kategorie_symbol("Kita") and "border-radius:50%" in kategorie_symbol("Kita")
    assert ">G<" in kategorie_symbol("Grundschule") and "border-radius:3px" in kategorie_symbol("Grundschule")
    assert ">•<" in kategorie_symbol("<neu>") and "<neu>" not in kategorie_symbol("<neu>")


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


def test_kartenausschnitt_leer_und_in_der_geometrie(musterstadt):
    from geodata.karte import kartenausschnitt

    g = vereinfachen(musterstadt.gebiete["stadtteil"])
    assert kartenausschnitt(g.iloc[0:0]) is None
    assert ebene_kodieren(g.iloc[0:0])["ausschnitt"] is None
    (s, w), (n, o) = kartenausschnitt(g)
    assert ebene_kodieren(g)["ausschnitt"] == [[s, w], [n, o]]


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

"""Hinweis auf der Karte, wenn mindestens die Hälfte der Gebiete gesperrt ist, mit der nächsten gröberen Ebene."""

from __future__ import annotations

import pandas as pd
import pytest

from berichte.gruppen import familien_von, luecke_und_maske
from berichte.sperrhinweis import Sichtbarkeit, groebere_ebenen, hinweis_text, sichtbarkeit, vorschlag
from kommune import kommune_laden
from kommune.format import zahl
from tests.test_merkmale import _app

LINK = dict(indikator="gymnasialuebergang", merkmal="migration", gruppe_a="mit", gruppe_b="ohne", periode="2024")


@pytest.fixture(scope="module")
def musterkreis():
    return kommune_laden("musterkreis")


def _luecke(k, ebene):
    f = familien_von(k, "gymnasialuebergang")[0]
    lu = luecke_und_maske(k, f, "mit", "ohne", ebene, "2024")
    return lu.werte, lu.gesperrt


def test_sichtbarkeit_zaehlt_nur_gebiete_mit_daten():
    werte = pd.Series([1.0, None, None, 4.0], index=list("abcd"))
    maske = pd.Series([False, True, False, False], index=list("abcd"))
    s = sichtbarkeit("x", werte, maske)
    assert (s.mit_daten, s.gesperrt, s.sichtbar) == (3, 1, 2)
    assert sichtbarkeit("x", werte.iloc[:0], maske.iloc[:0]).anteil_gesperrt == 0.0


def test_elternkette_und_einzugsbereiche(musterkreis):
    assert groebere_ebenen(musterkreis, "gemeinde") == ["verbandsgemeinde", "kreis"]
    assert groebere_ebenen(musterkreis, "kreis") == []
    assert groebere_ebenen(musterkreis, "sprengel") == []


def test_vorschlag_und_text_musterkreis(musterkreis):
    hier = sichtbarkeit("gemeinde", *_luecke(musterkreis, "gemeinde"))
    dort = sichtbarkeit("verbandsgemeinde", *_luecke(musterkreis, "verbandsgemeinde"))
    assert hier.anteil_gesperrt >= 0.5 > dort.anteil_gesperrt  # die Lage, für die es den Hinweis gibt
    gefragt = []
    v = vorschlag(musterkreis, hier, lambda e: (gefragt.append(e), _luecke(musterkreis, e))[1])
    assert v == dort and gefragt == ["verbandsgemeinde"]  # die nächste gröbere genügt, weiter wird nicht gerechnet
    assert hinweis_text(musterkreis, hier, v) == (
        f"{hier.gesperrt} von {hier.mit_daten} Gemeinden sind gesperrt (Geheimhaltung kleiner Zahlen). "
        f"Je Verbandsgemeinde: {dort.sichtbar} von {dort.mit_daten} sichtbar."
    )
    # unter der Schwelle: kein Hinweis, und es wird nichts gerechnet
    assert vorschlag(musterkreis, dort, lambda e: pytest.fail(e)) is None
    assert hinweis_text(musterkreis, dort, None) is None
    # gröber nicht besser: nur der erste Satz
    alles_gesperrt = lambda e: (pd.Series([None] * 3), pd.Series([True] * 3))  # noqa: E731
    assert vorschlag(musterkreis, hier, alles_gesperrt) is None
    assert hinweis_text(musterkreis, Sichtbarkeit("gemeinde", 1, 1), None) == (
        "1 von 1 Gemeinde ist gesperrt (Geheimhaltung kleiner Zahlen).")


def test_karte_zeigt_hinweis_und_wechselt_die_ebene(musterkreis):
    hier = sichtbarkeit("gemeinde", *_luecke(musterkreis, "gemeinde"))
    at = _app("musterkreis", ebene="gemeinde", **LINK)
    at.run()
    at.switch_page("seiten/karte.py").run()
    assert not at.exception
    hinweise = [i.value for i in at.info if "Geheimhaltung kleiner Zahlen" in i.value]
    assert hinweise and hinweise[0].startswith(f"{hier.gesperrt} von {hier.mit_daten} Gemeinden")
    at.button(key="karte_groeber").click().run()
    assert not at.exception
    assert at.sidebar.selectbox(key="sb_ebene_musterkreis").value == "verbandsgemeinde"
    assert at.toggle(key="karte_luecke").value is True  # dieselbe Lücke, nur gröber
    assert not [i.value for i in at.info if "Geheimhaltung kleiner Zahlen" in i.value]
    assert dict(at.query_params)["ebene"] in ("verbandsgemeinde", ["verbandsgemeinde"])


def test_kein_hinweis_bei_wenigen_sperren():
    at = _app("musterstadt", ebene="stadtteil", indikator="einwohner")
    at.run()
    at.switch_page("seiten/karte.py").run()
    assert not at.exception
    assert not [i.value for i in at.info if "Geheimhaltung kleiner Zahlen" in i.value]


@pytest.mark.parametrize("seed", [1, 3, 17, 29])
def test_zufallskommunen_jede_ebene_jeder_indikator(seed, tmp_path):
    """Erzeugte Kommunen (Landkreise mit 5-stelligen Schlüsseln, Einzugsbereiche, eine oder mehrere Perioden):
    Hinweis und Vorschlag auf jeder Ebene für jeden Indikator ohne Fehler; ein Vorschlag ist immer eine gröbere
    Ebene der Elternkette mit kleinerem gesperrtem Anteil."""
    from berichte.grundlagen import werte_und_maske
    from tests.daten.zufallskommune import zufallskommune

    k = kommune_laden(zufallskommune(tmp_path / "k", seed).ordner)
    p = k.perioden[-1]
    gezeigt = 0
    for ind in k.katalog.index:
        for s in k.konfiguration.schichten:
            hier = sichtbarkeit(s.id, *werte_und_maske(k, ind, s.id, p))
            dort = vorschlag(k, hier, lambda e, ind=ind: werte_und_maske(k, ind, e, p))
            text = hinweis_text(k, hier, dort)
            assert (text is None) == (hier.mit_daten == 0 or hier.anteil_gesperrt < 0.5)
            if dort is not None:
                assert dort.ebene in groebere_ebenen(k, s.id) and dort.anteil_gesperrt < hier.anteil_gesperrt
                assert text.endswith(f"{zahl(dort.sichtbar, 0)} von {zahl(dort.mit_daten, 0)} sichtbar.")
                gezeigt += 1
    print(f"\nZufallskommune {seed}: {gezeigt} Vorschläge")

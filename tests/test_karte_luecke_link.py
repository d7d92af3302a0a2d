"""Karte: eine Gruppenlücke steht im Link und kommt aus ihm; „Zur Ausschusssitzung hinzufügen“ nimmt die Lücke
(Karte) bzw. die Übergangsquote (Übergänge) mit, und die gesammelte Ansicht passt zur Kommune."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from berichte.gruppen import LueckenWahl, familien_von, gesamtluecke, luecke_aus_adresse, luecke_und_maske
from berichte.sitzung import ansicht_pruefen, query_zu_ansicht
from kommune import kommune_laden
from kommune.format import wert_mit_einheit
from tests.test_merkmale import _app

EBENE = {"musterstadt": "viertel", "musterkreis": "gemeinde"}


@pytest.fixture(scope="module")
def musterstadt():
    return kommune_laden("musterstadt")


def test_luecke_aus_adresse(musterstadt):
    fam = familien_von(musterstadt, "einwohner")
    assert luecke_aus_adresse({}, fam) is None
    assert luecke_aus_adresse({"indikator": "einwohner", "mass": ""}, fam) is None
    wahl = luecke_aus_adresse({"merkmal": "geschlecht", "gruppe_a": "maennlich", "gruppe_b": "weiblich"}, fam)
    assert wahl == LueckenWahl(fam[1], "maennlich", "weiblich", "differenz")
    verhaeltnis = replace(wahl, mass="verhaeltnis")
    assert luecke_aus_adresse(verhaeltnis.parameter(), fam) == verhaeltnis
    for falsch in (
        {"merkmal": "alter", "gruppe_a": "mit", "gruppe_b": "ohne"},  # Merkmal ohne Familie bei diesem Indikator
        {"merkmal": "migration", "gruppe_a": "mit", "gruppe_b": "mit"},
        {"merkmal": "migration", "gruppe_a": "mit", "gruppe_b": "weiblich"},
        {"merkmal": "migration", "gruppe_a": "mit"},
        {"merkmal": "migration", "gruppe_a": "mit", "gruppe_b": "ohne", "mass": "quotient"},
        {"gruppe_a": "mit", "gruppe_b": "ohne"},
    ):
        hinweis = luecke_aus_adresse(falsch, fam)
        assert isinstance(hinweis, str) and "gezeigt wird der Wert" in hinweis, falsch
    assert isinstance(luecke_aus_adresse({"merkmal": "migration", "gruppe_a": "mit", "gruppe_b": "ohne"}, []), str)


def _sichtbares_gebiet(kommune, ebene: str, mass: str) -> tuple[str, str]:
    """Ein Gebiet, dessen Lücke öffentlich sichtbar ist, und ihr Text, wie die rechte Spalte ihn zeigen muss."""
    f = familien_von(kommune, "gymnasialuebergang")[0]
    lu = luecke_und_maske(kommune, f, "mit", "ohne", ebene, "2024", mass=mass, rolle="oeffentlich")
    sichtbar = lu.werte[~lu.gesperrt].dropna()
    assert len(sichtbar) >= 1 and lu.gesperrt.any()  # beide Fälle kommen vor: die Geheimhaltung wirkt
    gebiet = str(sichtbar.index[len(sichtbar) // 2])
    return gebiet, f"{lu.titel}: **{wert_mit_einheit(sichtbar[gebiet], lu.einheit, lu.stellen)}**"


@pytest.mark.parametrize("kid", ["musterstadt", "musterkreis"])
@pytest.mark.parametrize("mass", ["differenz", "verhaeltnis"])
def test_link_oeffnet_die_luecke_wie_von_hand_gewaehlt(kid, mass):
    kommune = kommune_laden(kid)
    ebene = EBENE[kid]
    gebiet, erwartet = _sichtbares_gebiet(kommune, ebene, mass)
    grundlage = dict(ebene=ebene, indikator="gymnasialuebergang", periode="2024", gebiet=gebiet)

    von_hand = _app(kid, **grundlage)
    von_hand.run()
    von_hand.switch_page("seiten/karte.py").run()
    assert not any("Lücke" in str(m.value) and "−" in str(m.value) for m in von_hand.markdown)
    von_hand.toggle(key="karte_luecke").set_value(True).run()
    von_hand.radio(key="karte_mass").set_value(mass).run()
    assert not von_hand.exception, von_hand.exception
    parameter = {k: v for k, v in von_hand.query_params.items() if k != "kommune"}
    parameter = {k: (v[0] if isinstance(v, list) else v) for k, v in parameter.items()}
    assert {k: parameter[k] for k in ("merkmal", "gruppe_a", "gruppe_b", "mass")} == {
        "merkmal": "migration", "gruppe_a": "mit", "gruppe_b": "ohne", "mass": mass}

    link = _app(kid, **parameter)
    link.run()
    link.switch_page("seiten/karte.py").run()
    assert not link.exception and not link.error
    assert not [i.value for i in link.info if "Link" in i.value]  # (ein Hinweis auf viele Sperren darf sein)
    assert link.toggle(key="karte_luecke").value is True
    assert link.radio(key="karte_mass").value == mass
    texte = [str(m.value) for m in link.markdown]
    assert erwartet in texte, texte
    f = familien_von(kommune, "gymnasialuebergang")[0]
    gesamt = gesamtluecke(kommune, f, "mit", "ohne", "2024", mass=mass, rolle="oeffentlich")
    assert pd.notna(gesamt)
    assert any(t.startswith(f"{kommune.konfiguration.gesamtgebiet}: ") and t.endswith(
        wert_mit_einheit(gesamt, "Prozentpunkte" if mass == "differenz" else "", 1 if mass == "differenz" else 2))
        for t in texte), texte
    assert texte == [str(m.value) for m in von_hand.markdown]  # dieselbe Ansicht

    link.button(key="karte_zur_sitzung").click().run()
    gesammelt = link.session_state["eigener_ablauf"][-1]
    assert (gesammelt.seite, gesammelt.indikator, gesammelt.ebene, gesammelt.gebiete) == (
        "karte", "gymnasialuebergang", ebene, (gebiet,))
    assert (gesammelt.merkmal, gesammelt.gruppe_a, gesammelt.gruppe_b, gesammelt.mass) == ("migration", "mit", "ohne",
                                                                                           mass)
    assert "mit Migrationshintergrund" in gesammelt.titel
    assert ansicht_pruefen(gesammelt, kommune) == []

    link.toggle(key="karte_luecke").set_value(False).run()
    assert not {"merkmal", "gruppe_a", "gruppe_b", "mass"} & set(link.query_params)
    link.button(key="karte_zur_sitzung").click().run()
    assert not link.session_state["eigener_ablauf"][-1].luecke


def test_zweite_familie_aus_dem_link(musterstadt):
    """Die zweite Aufschlüsselung (Geschlecht) eines Indikators mit zwei Familien, Gruppen vertauscht."""
    gebiet = str(musterstadt.gebiete["stadtteil"].index[0])
    at = _app("musterstadt", ebene="stadtteil", indikator="einwohner", periode="2024", gebiet=gebiet,
              merkmal="geschlecht", gruppe_a="maennlich", gruppe_b="weiblich")
    at.run()
    at.switch_page("seiten/karte.py").run()
    assert not at.exception and not [i.value for i in at.info if "Link" in i.value]
    assert at.selectbox(key="karte_luecke_familie_einwohner").value == 1
    assert at.selectbox(key="karte_luecke_a_einwohner_geschlecht").value == "maennlich"
    assert any(" nach Geschlecht" in str(o) for o in at.selectbox(key="karte_luecke_familie_einwohner").options)
    assert any(str(m.value).startswith("Einwohnerinnen und Einwohner: männlich − weiblich: **") for m in at.markdown)


@pytest.mark.parametrize("falsch", [
    {"merkmal": "geschlecht", "gruppe_a": "weiblich", "gruppe_b": "maennlich"},  # gibt es bei diesem Indikator nicht
    {"merkmal": "migration", "gruppe_a": "mit", "gruppe_b": "mit"},
    {"merkmal": "migration", "gruppe_a": "mit", "gruppe_b": "ohne", "mass": "<script>"},
])
def test_falscher_link_zeigt_den_wert_mit_hinweis(falsch):
    at = _app("musterstadt", ebene="viertel", indikator="gymnasialuebergang", **falsch)
    at.run()
    at.switch_page("seiten/karte.py").run()
    assert not at.exception and not at.error
    assert [i.value for i in at.info if "gezeigt wird der Wert" in i.value]
    assert at.toggle(key="karte_luecke").value is False
    assert not {"merkmal", "gruppe_a", "gruppe_b", "mass"} & set(at.query_params)  # der Link wird berichtigt


@pytest.mark.parametrize("kid", ["musterstadt", "musterkreis"])
def test_uebergangsquote_zur_sitzung(kid):
    kommune = kommune_laden(kid)
    at = _app(kid, tabelle="uebertritt", von="Grundschule", nach="Gymnasium")
    at.run()
    at.switch_page("seiten/uebergaenge.py").run()
    assert not at.exception and not at.error
    at.button(key="uebergang_zur_sitzung").click().run()
    a = at.session_state["eigener_ablauf"][-1]
    assert (a.seite, a.tabelle, a.von, a.nach) == ("uebergaenge", "uebertritt", "Grundschule", "Gymnasium")
    assert a.titel.startswith("Grundschule → Gymnasium je ") and a.periode == max(kommune.uebergaenge["periode"])
    assert ansicht_pruefen(a, kommune) == []
    assert query_zu_ansicht({"seite": "uebergaenge", "tabelle": a.tabelle, "von": a.von, "nach": a.nach,
                             "ebene": a.ebene, "periode": a.periode, "titel": a.titel}) == a


@pytest.mark.parametrize("seed", [3, 17, 29])
def test_zufallskommune_link_mit_luecke_auf_jeder_ebene(seed, tmp_path, monkeypatch):
    """Erzeugte Kommunen (auch Landkreise mit 5-stelligen Schlüsseln, mit und ohne Einzugsbereiche): der Link mit
    Lücke öffnet auf jeder Ebene ohne Fehler (ohne Gruppen: der Wert mit Hinweis), und die gesammelte Ansicht passt
    zur Kommune."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import PROJEKT
    from tests.daten.zufallskommune import zufallskommune

    b = zufallskommune(tmp_path / "k", seed)
    assert bool(b.gruppen) == (seed != 3)  # mit und ohne Gruppen
    monkeypatch.setenv("BILDUNGSMONITOR_KOMMUNE", str(b.ordner))
    kommune = kommune_laden(b.ordner)
    for ebene in [*b.gebiete, *b.bereiche]:
        at = AppTest.from_file(str(PROJEKT / "app.py"), default_timeout=60)
        at.session_state["demo_rolle"] = "oeffentlich"
        for k, v in dict(indikator="einwohner", ebene=ebene, merkmal="geschlecht", gruppe_a="m", gruppe_b="w",
                         mass="verhaeltnis").items():
            at.query_params[k] = v
        at.run()
        at.switch_page("seiten/karte.py").run()
        assert not at.exception and not at.error, (ebene, at.exception, [e.value for e in at.error])
        if b.gruppen:
            assert at.toggle(key="karte_luecke").value is True, ebene
        else:  # ohne Gruppen: kein Schalter, ein Hinweis, der Wert
            assert [i.value for i in at.info if "Gruppenlücke aus dem Link" in i.value]
            assert not [t for t in at.toggle if t.key == "karte_luecke"]
        at.button(key="karte_zur_sitzung").click().run()
        gesammelt = at.session_state["eigener_ablauf"][-1]
        erwartet = ("geschlecht", "verhaeltnis") if b.gruppen else (None, None)
        assert (gesammelt.ebene, gesammelt.merkmal, gesammelt.mass) == (ebene, *erwartet)
        assert ansicht_pruefen(gesammelt, kommune) == [], ebene

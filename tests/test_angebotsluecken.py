"""Lücken mit Angebotsattributen: passende Angebote (Filter), Lückenliste mit Begründung, Entfernungen, Reiter."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from geodata.handlungsbedarf import (
    AngebotsFilter,
    angebote_passend,
    angebotsluecken,
    angebotsluecken_kommune,
    listenwerte,
)
from kommune.laden import kommune_laden
from tests.conftest import PROJEKT
from tests.mini import TOML, X0, Y0, mini_kommune

APP = PROJEKT / "app.py"

REGISTER = pd.DataFrame(
    {
        "kategorie": ["Sprachkurs", "Sprachkurs", "Sprachkurs", "Kita", "Beratung"],
        "zielgruppen": ["Neuzugewanderte; Eltern", "Eltern", None, "Familien", "neuzugewanderte"],
        "sprachen": ["Deutsch", "Deutsch; Arabisch", "Deutsch", "Deutsch; Türkisch", ""],
        "alter_von": [16.0, None, None, 0.0, None],
        "alter_bis": [99.0, None, None, 6.0, 27.0],
        "kostenfrei": ["ja", "nein", "", "ja", "ja"],
    }
)


def _treffer(filter: AngebotsFilter, df: pd.DataFrame = REGISTER) -> list[int]:
    return list(df.index[angebote_passend(df, filter)])


def test_filter_ueber_attribute():
    assert _treffer(AngebotsFilter()) == [0, 1, 2, 3, 4]
    assert _treffer(AngebotsFilter(kategorien=("Sprachkurs",))) == [0, 1, 2]
    # Eintrag der „; “-Liste, ohne Groß-/Kleinschreibung, nicht als Teilwort
    assert _treffer(AngebotsFilter(zielgruppe="Neuzugewanderte")) == [0, 4]
    assert _treffer(AngebotsFilter(zielgruppe="Neu")) == []
    assert _treffer(AngebotsFilter(kategorien=("Sprachkurs",), zielgruppe="neuzugewanderte")) == [0]
    assert _treffer(AngebotsFilter(sprache="Arabisch")) == [1]
    assert _treffer(AngebotsFilter(kostenfrei=True)) == [0, 3, 4]
    # Alter: alter_von ≤ a ≤ alter_bis, eine fehlende Grenze ist offen, ohne beide passt nichts
    assert _treffer(AngebotsFilter(alter=6)) == [3, 4]
    assert _treffer(AngebotsFilter(alter=20)) == [0, 4]
    assert _treffer(AngebotsFilter(alter=30)) == [0]


def test_fehlende_spalte_ist_nicht_erfuellbar_ausser_sie_wird_nicht_gefragt():
    ohne = REGISTER[["kategorie", "alter_von", "alter_bis"]]
    assert _treffer(AngebotsFilter(kategorien=("Kita",)), ohne) == [3]
    assert _treffer(AngebotsFilter(zielgruppe="Eltern"), ohne) == []
    assert _treffer(AngebotsFilter(sprache="Deutsch"), ohne) == []
    assert _treffer(AngebotsFilter(kostenfrei=True), ohne) == []
    assert _treffer(AngebotsFilter(alter=3), ohne[["kategorie"]]) == []
    assert listenwerte(REGISTER, "sprachen") == ["Arabisch", "Deutsch", "Türkisch"]
    assert listenwerte(ohne, "sprachen") == []


def test_filter_texte():
    f = AngebotsFilter(("Sprachkurs",), "Neuzugewanderte", "Deutsch", alter=8, kostenfrei=True)
    assert (
        f.text() == "Kategorie „Sprachkurs“, Zielgruppe „Neuzugewanderte“, Sprache „Deutsch“, für 8-Jährige, kostenfrei"
    )
    assert f.name().startswith("passendes Angebot (Kategorie „Sprachkurs“")
    assert AngebotsFilter(bezeichnung="Deutschkurs für Neuzugewanderte").name() == "Deutschkurs für Neuzugewanderte"


def test_lueckenliste_von_hand():
    """10 Gebiete, oberes Fünftel = Rang 1 und 2; nur Gebiet a hat niemanden in Reichweite."""
    ids = list("abcdefghij")
    bedarf = pd.Series([50, 40, 30, 20, 10, 9, 8, 7, 6, float("nan")], index=ids, dtype=float)
    anteil = pd.Series([0, 35, 0, 0, 0, 0, 0, 0, 0, 0], index=ids, dtype=float)
    f = AngebotsFilter(("Sprachkurs",), "Neuzugewanderte", bezeichnung="Deutschkurs für Neuzugewanderte")
    liste = angebotsluecken(
        bedarf, anteil, f, 1500, bedarf_name="Anteil neu zugewanderter Kinder", ebene_name="Viertel"
    )
    assert liste.anzahl == 1 and list(liste.tabelle.index) == ["a"]
    assert liste.tabelle.loc["a", "Begründung"] == (
        "hoher Anteil neu zugewanderter Kinder (oberes Fünftel, Rang 1 von 9), "
        "kein Deutschkurs für Neuzugewanderte innerhalb von 1.500 m"
    )
    assert liste.kriterien == (
        "Lücke, wenn „Anteil neu zugewanderter Kinder“ im oberen Fünftel der 9 Viertel mit Wert liegt und kein "
        "Deutschkurs für Neuzugewanderte innerhalb von 1.500 m Luftlinie liegt. 1 von 10 Vierteln erfüllen beide "
        "Kriterien. Nicht bewertet: 1 ohne Bedarfswert."
    )
    # obere 30 % (Rang ≤ 2,7) und bis 40 % der Bewohner in Reichweite: auch b ist eine Lücke
    liste = angebotsluecken(
        bedarf, anteil, f, 1500, bedarf_name="Anteil", bedarf_schwelle=0.7, hoechstanteil=0.4, alle=True
    )
    assert liste.anzahl == 2 and liste.tabelle["Lücke"].sum() == 2 and len(liste.tabelle) == 10
    assert liste.tabelle.loc["b", "Begründung"].endswith(
        "Deutschkurs für Neuzugewanderte innerhalb von 1.500 m nur für 35 % der Bewohner"
    )
    with pytest.raises(ValueError, match="Bedarfsquantil"):
        angebotsluecken(bedarf, anteil, f, 1500, bedarf_schwelle=1.0)


ANGEBOTE_TOML = """
[[angebote]]
kategorie = "Sprachkurs"
datei = "angebote.gpkg"
layer = "angebote"
id_spalte = "id"
name_spalte = "name"
quelle = "test"
"""


def _mini_mit_angeboten(tmp_path):
    """Minihausen (Nord, Süd: je 1 km², Ost: 1 × 2 km): ein Deutschkurs für Neuzugewanderte mitten in Nord,
    ein Elternkurs mitten in Ost. Armut (Bedarf): Nord 10, Süd 30, Ost 20."""
    ordner = mini_kommune(tmp_path / "mini", toml=TOML + ANGEBOTE_TOML)
    gpd.GeoDataFrame(
        {"id": ["d1", "e1"], "name": ["Deutschkurs", "Elternkurs"]},
        geometry=[Point(X0 + 500, Y0 + 500), Point(X0 + 1500, Y0)],
        crs="EPSG:25832",
    ).to_file(ordner / "angebote.gpkg", layer="angebote", engine="pyogrio")
    return kommune_laden(ordner)


def _mit_register(k):
    """Die Attribute des Angebotsregisters im Test ergänzen (das Laden kennt sie in diesem Stand noch nicht)."""
    angebote = k.angebote.copy()
    angebote["zielgruppen"] = ["Neuzugewanderte; Jugendliche", "Eltern"]
    angebote["sprachen"] = ["Deutsch", "Deutsch; Arabisch"]
    return dataclasses.replace(k, angebote=angebote)


def test_luecken_in_einer_erzeugten_kommune(tmp_path):
    k = _mit_register(_mini_mit_angeboten(tmp_path))
    armut = pd.Series({"0101": 10.0, "0102": 30.0, "0201": 20.0})
    f = AngebotsFilter(zielgruppe="Neuzugewanderte", bezeichnung="Deutschkurs für Neuzugewanderte")
    liste = angebotsluecken_kommune(k, "viertel", armut, f, 300, bedarf_name="Kinderarmut", bedarf_schwelle=1 / 3)
    # oberes Zwei-Drittel: Süd (30) und Ost (20); keiner ihrer Wohnorte liegt 300 m vom Kurs in Nord
    assert list(liste.tabelle.index) == ["0102", "0201"]
    assert liste.tabelle.loc["0102", "Begründung"] == (
        "hoher Wert bei „Kinderarmut“ (obere 66,7 %, Rang 1 von 3), kein Deutschkurs für Neuzugewanderte "
        "innerhalb von 300 m"
    )
    assert liste.tabelle.attrs["passend"] == 1 and "gleichmäßig" in liste.tabelle.attrs["wohnorte"]
    assert liste.tabelle.loc["0102", "Mittlere Luftlinie zum nächsten passenden Angebot (m)"] > 500
    # jedes Angebot passt: Ost hat den Elternkurs in seiner Mitte, Süd bleibt ohne Angebot in 300 m
    alle = angebotsluecken_kommune(k, "viertel", armut, AngebotsFilter(), 300, bedarf_schwelle=1 / 3, alle=True)
    assert alle.anzahl == 1 and alle.tabelle["Bedarf hoch"].sum() == 2
    anteil = alle.tabelle.filter(like="Anteil Bewohner").iloc[:, 0]
    # 100-m-Raster, Zellmitten ±50/150/250 m um die Mitte: 32 Punkte liegen höchstens 300 m entfernt
    # (je Viertelkreis 8); Ost hat 200 Punkte → 16 %, Nord 100 → 32 %
    assert anteil["0102"] == 0
    assert anteil["0201"] == pytest.approx(16.0) and anteil["0101"] == pytest.approx(32.0)
    # auf Arabisch: nur der Elternkurs
    arabisch = angebotsluecken_kommune(k, "viertel", armut, AngebotsFilter(sprache="Arabisch"), 300,
                                       bedarf_schwelle=1 / 3)  # fmt: skip
    assert list(arabisch.tabelle.index) == ["0102"]
    with pytest.raises(ValueError, match="größer als 0 m"):
        angebotsluecken_kommune(k, "viertel", armut, f, 0)


def test_luecken_ohne_attributspalten(tmp_path):
    """Ohne Registerangaben: Zielgruppe unerfüllbar (alle Gebiete mit hohem Bedarf sind Lücken), Kategorie geht."""
    k = _mini_mit_angeboten(tmp_path)
    assert (k.angebote["zielgruppen"] == "").all()  # Spalte da (Standardspalten), aber ohne Angaben
    armut = pd.Series({"0101": 10.0, "0102": 30.0, "0201": 20.0})
    f = AngebotsFilter(zielgruppe="Neuzugewanderte")
    liste = angebotsluecken_kommune(k, "viertel", armut, f, 5000, bedarf_schwelle=1 / 3)
    assert liste.tabelle.attrs["passend"] == 0 and liste.anzahl == 2
    assert "kein passendes Angebot (Zielgruppe „Neuzugewanderte“) innerhalb von 5.000 m" in liste.tabelle.iloc[0, -1]
    kat = angebotsluecken_kommune(k, "viertel", armut, AngebotsFilter(("Sprachkurs",)), 5000, bedarf_schwelle=1 / 3)
    assert kat.tabelle.attrs["passend"] == 2 and kat.anzahl == 0
    # gesperrter Bedarf (NaN) wird nicht bewertet
    gesperrt = angebotsluecken_kommune(k, "viertel", armut.where(armut < 25), f, 300, bedarf_schwelle=0.5)
    assert list(gesperrt.tabelle.index) == ["0201"] and "Nicht bewertet: 1 ohne Bedarfswert" in gesperrt.kriterien


@pytest.mark.parametrize("kommune", ["musterstadt", "musterkreis"])
def test_reiter_handlungsbedarf_mit_luecken(kommune):
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["demo_rolle"] = "intern"
    at.query_params["kommune"] = kommune
    at.run()
    at.switch_page("seiten/angebote.py").run()
    assert not at.exception, [e.message for e in at.exception]
    texte = "\n".join(m.value for m in at.markdown)
    assert "Gebiete mit Lücke.** Lücke, wenn" in texte
    assert not any("„zielgruppen“" in c.value for c in at.caption)  # das Register liefert die Spalten
    assert "Neuzugewanderte" in at.selectbox(key="lk_ziel").options
    karten = len(at.get("bidi_component"))
    at.session_state["ang_reiter"] = "Handlungsbedarf"
    at.run()
    assert not at.exception and len(at.get("bidi_component")) == karten + 1  # die Karte der Lücken
    at.multiselect(key="lk_kat").set_value(["Bibliothek"] if kommune == "musterstadt" else ["Kita"]).run()
    at.text_input(key="lk_meter").set_value("2.500").run()
    assert not at.exception and not at.error
    texte = "\n".join(m.value for m in at.markdown)
    assert "innerhalb von 2.500 m Luftlinie" in texte
    tabelle = next(
        d.value for d in at.dataframe if "Begründung" in d.value.columns and "Anteil" in " ".join(d.value.columns)
    )
    assert tabelle["Begründung"].str.contains("innerhalb von 2.500 m").all()
    at.checkbox(key="lk_alter_an").check().run()
    assert not at.exception and not at.error
    assert "für 8-Jährige" in "\n".join(m.value for m in at.markdown)

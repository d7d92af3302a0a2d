"""Sitzungsmodus: Lücke zwischen Gruppen (Karte) und Übergangsquote (seite = "uebergaenge") – TOML und URL in
beide Richtungen, strenge Prüfung, Prüfung gegen die Kommune, die hinterlegten Abläufe und die Seiten in der App."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from berichte.sitzung import (
    Ansicht,
    Sitzung,
    SitzungsFehler,
    ansicht_pruefen,
    ansicht_url,
    ansicht_zu_query,
    beispiel_sitzung,
    query_zu_ansicht,
    sitzung_als_toml,
    sitzung_aus_toml,
    sitzung_pruefen,
)
from kommune import kommune_laden
from tests.test_seiten import _ansicht_inhalt, _app, _texte

LUECKE = Ansicht(
    titel="Lücke zwischen Gruppen: Übertritt an das Gymnasium",
    seite="karte",
    ebene="verbandsgemeinde",
    indikator="gymnasialuebergang",
    periode="2024",
    merkmal="migration",
    gruppe_a="mit",
    gruppe_b="ohne",
    mass="differenz",
)
UEBERGANG = Ansicht(
    titel="Übergangsquote: Grundschule → Gymnasium",
    seite="uebergaenge",
    ebene="verbandsgemeinde",
    tabelle="uebertritt",
    von="Grundschule",
    nach="Gymnasium",
)


@pytest.fixture(scope="module")
def musterkreis():
    return kommune_laden("musterkreis")


@pytest.mark.parametrize("a", [LUECKE, LUECKE.mit(mass=None, gebiete=("073990021",)), UEBERGANG,
                               UEBERGANG.mit(von="ohne Abschluss", nach="ohne Anschluss", tabelle="schulabgang")])
def test_toml_und_url_rundreise(a):
    assert query_zu_ansicht(ansicht_zu_query(a, "musterkreis")) == a
    url = ansicht_url("https://monitor.example.de/sitzung", a, "musterkreis", mit_text=True)
    assert query_zu_ansicht(dict(parse_qsl(urlsplit(url).query))) == a
    s = Sitzung("Ausschuss", "musterkreis", (a,))
    text = sitzung_als_toml(s)
    assert sitzung_aus_toml(text) == s
    if a.seite == "uebergaenge":
        assert f'von = "{a.von}"' in text and "merkmal" not in text
    else:
        assert 'merkmal = "migration"' in text and "tabelle" not in text


@pytest.mark.parametrize(
    ("params", "teil"),
    [
        ({"mass": "prozent"}, "„differenz“ oder „verhaeltnis“"),
        ({"gruppe_b": None}, "es fehlt „gruppe_b“"),
        ({"gruppe_b": "mit"}, "verschiedene Gruppen"),
        ({"merkmal": "<b>"}, "ungültig"),
        ({"seite": "index", "index": "sozialindex"}, "nur für die Seite „Karte“"),
        ({"tabelle": "uebertritt"}, "nur für die Seite „Übergänge“"),
        ({"gruppe_a": "mit,ohne"}, "ungültig"),
    ],
)
def test_ungueltige_lueckenparameter(params, teil):
    q = {**ansicht_zu_query(LUECKE, "musterkreis"), **params}
    q = {k: v for k, v in q.items() if v is not None}
    with pytest.raises(SitzungsFehler, match=teil):
        query_zu_ansicht(q)


@pytest.mark.parametrize(
    ("params", "teil"),
    [
        ({"nach": None}, "es fehlt „nach“"),
        ({"von": "<script>"}, "spitzen Klammern"),
        ({"von": "   "}, "darf nicht leer sein"),
        ({"nach": "x" * 81}, "zu lang"),
        ({"tabelle": "../etc"}, "ungültig"),
        ({"merkmal": "migration"}, "nur für die Seite „Karte“"),
        ({"quote": "1"}, "Der URL-Parameter „quote“ ist unbekannt"),
    ],
)
def test_ungueltige_uebergangsparameter(params, teil):
    q = {**ansicht_zu_query(UEBERGANG, "musterkreis"), **params}
    q = {k: v for k, v in q.items() if v is not None}
    with pytest.raises(SitzungsFehler, match=teil):
        query_zu_ansicht(q)


def test_toml_mit_falschem_feld_wird_abgewiesen():
    text = sitzung_als_toml(Sitzung("A", "musterkreis", (UEBERGANG,))).replace('tabelle = "uebertritt"\n', "")
    with pytest.raises(SitzungsFehler, match="in Ansicht 1; es fehlt „tabelle“"):
        sitzung_aus_toml(text)


def test_pruefen_gegen_die_kommune(musterkreis):
    assert ansicht_pruefen(LUECKE, musterkreis) == []
    assert ansicht_pruefen(UEBERGANG, musterkreis) == []
    # auch eine Gruppe als Indikator führt zur Familie
    assert ansicht_pruefen(LUECKE.mit(indikator="gymnasialuebergang__migration_mit"), musterkreis) == []
    falsch = {
        LUECKE.mit(merkmal="religion"): "Das Merkmal „religion“ gibt es in Musterkreis nicht",
        LUECKE.mit(indikator="kinderarmut"): "„kinderarmut“ hat keine Gruppen nach „Migrationshintergrund“",
        LUECKE.mit(gruppe_b="divers"): "Die Gruppe „divers“ gibt es für „gymnasialuebergang“",
        UEBERGANG.mit(tabelle="abitur"): "Die Übergangstabelle „abitur“ gibt es in Musterkreis nicht",
        UEBERGANG.mit(von="Kita"): "Die Herkunft „Kita“ gibt es",
        UEBERGANG.mit(nach="Studium"): "Das Ziel „Studium“ gibt es für „Grundschule“",
        UEBERGANG.mit(ebene="sprengel"): "nicht auf der Ebene „sprengel“",
        UEBERGANG.mit(periode="1999"): "Die Periode „1999“ gibt es in der Übergangstabelle",
    }
    for a, teil in falsch.items():
        meldungen = ansicht_pruefen(a, musterkreis)
        assert any(teil in m for m in meldungen), (a, meldungen)


@pytest.mark.parametrize(("kid", "ebene"), [("musterstadt", "stadtteil"), ("musterkreis", "verbandsgemeinde")])
def test_hinterlegte_ablaeufe_haben_luecke_und_uebergangsquote(kid, ebene):
    s = beispiel_sitzung(kid)
    kommune = kommune_laden(kid)
    assert sitzung_pruefen(s, kommune) == []
    luecke = [a for a in s.ansichten if a.luecke]
    quote = [a for a in s.ansichten if a.seite == "uebergaenge"]
    assert len(luecke) == len(quote) == 1
    assert luecke[0].titel.startswith("Lücke zwischen Gruppen") and luecke[0].ebene == ebene
    assert quote[0].titel.startswith("Übergangsquote") and (quote[0].von, quote[0].nach) == ("Grundschule", "Gymnasium")
    for a in s.ansichten:
        assert query_zu_ansicht(ansicht_zu_query(a, kid)) == a


def _schritt(at, titel: str) -> None:
    """Weiterblättern bis zur Ansicht mit `titel`."""
    while at.title[0].value != titel:
        weiter = at.button(key="sitzung_weiter")
        assert not weiter.disabled, f"„{titel}“ nicht im Ablauf"
        weiter.click().run()
        assert not at.exception, at.exception


def _gymnasialquote(kommune, periode: str) -> float:
    z = kommune.uebergaenge
    z = z[(z["tabelle"] == "uebertritt") & (z["periode"] == periode) & (z["von"] == "Grundschule")]
    z = z[z["schicht"] == z["schicht"].iloc[0]]
    return 100 * z.loc[z["nach"] == "Gymnasium", "anzahl"].sum() / z["anzahl"].sum()


@pytest.mark.parametrize("kid", ["musterstadt", "musterkreis"])
def test_sitzung_oeffnet_lueckenkarte_und_uebergangsquote(kid):
    kommune = kommune_laden(kid)
    ablauf = beispiel_sitzung(kid)
    luecke = next(a for a in ablauf.ansichten if a.luecke)
    quote = next(a for a in ablauf.ansichten if a.seite == "uebergaenge")
    at = _app(kid, rolle="oeffentlich")
    at.run()
    at.switch_page("seiten/sitzung.py").run()
    _schritt(at, luecke.titel)
    assert not at.error and not at.dataframe
    texte = _texte(at)
    basis = kommune.katalog.loc["gymnasialuebergang", "name"]  # Musterstadt „Übertritt an …“, Musterkreis „Übergang …“
    assert f"{basis}: mit Migrationshintergrund − ohne Migrationshintergrund" in texte
    assert "Prozentpunkte" in texte
    gesamtgebiet = kommune.konfiguration.gesamtgebiet
    assert f"{gesamtgebiet} (2024): −" in texte  # Kinder mit Migrationshintergrund liegen zurück
    gezeigt = _ansicht_inhalt(at)
    link = next(c.value for c in at.code if "merkmal=migration" in c.value)
    parameter = dict(parse_qsl(urlsplit(link).query))
    erwartet_link = dict(seite="karte", merkmal="migration", gruppe_a="mit", gruppe_b="ohne", mass="differenz")
    assert {k: parameter[k] for k in erwartet_link} == erwartet_link
    parameter.pop("kommune")
    neu = _app(kid, rolle="oeffentlich", **parameter)
    neu.run()
    neu.switch_page("seiten/sitzung.py").run()
    assert not neu.exception and not [w for w in neu.warning if "Link" in w.value]
    assert _ansicht_inhalt(neu) == gezeigt  # der Link zeigt dieselbe Ansicht (mit dem Text des Schritts)

    _schritt(at, quote.titel)
    assert not at.error and not at.dataframe
    texte = _texte(at)
    assert "Grundschule → Gymnasium" in texte
    erwartet = f"{_gymnasialquote(kommune, '2024'):.1f}".replace(".", ",")
    assert f"{gesamtgebiet} (2024): {erwartet} %" in texte
    gezeigt = _ansicht_inhalt(at)
    link = next(c.value for c in at.code if "seite=uebergaenge" in c.value)
    parameter = dict(parse_qsl(urlsplit(link).query))
    assert (parameter["tabelle"], parameter["von"], parameter["nach"]) == ("uebertritt", "Grundschule", "Gymnasium")
    parameter.pop("kommune")
    neu = _app(kid, rolle="oeffentlich", **parameter)
    neu.run()
    neu.switch_page("seiten/sitzung.py").run()
    assert not neu.exception and _ansicht_inhalt(neu) == gezeigt


def test_lueckenkarte_im_ausschuss_ist_geschuetzt():
    """Auch als Admin gilt im Sitzungsmodus die öffentliche Sicht: kleine Gruppen sperren die Lücke."""
    at = _app("musterkreis", **{k: v for k, v in ansicht_zu_query(LUECKE, "musterkreis").items() if k != "kommune"})
    at.run()
    at.switch_page("seiten/sitzung.py").run()
    assert not at.exception
    assert "für 7 von 9 Gebieten der Ebene Verbandsgemeinde" in _texte(at)
    assert "2 Gebiete sind gesperrt (Geheimhaltung)" in _texte(at)


def test_uebergaenge_seite_oeffnet_aus_der_adresse():
    at = _app("musterkreis", rolle="oeffentlich", tabelle="schulabgang", von="ohne Abschluss", nach="ohne Anschluss",
              ebene="verbandsgemeinde")  # fmt: skip
    at.run()
    at.switch_page("seiten/uebergaenge.py").run()
    assert not at.exception and not at.error
    assert at.selectbox(key="ueb_tabelle").value == "schulabgang"
    assert at.selectbox(key="ueb_von_schulabgang").value == "ohne Abschluss"
    assert at.selectbox(key="ueb_nach_schulabgang_ohne Abschluss").value == "ohne Anschluss"
    assert at.selectbox(key="ueb_ebene_schulabgang").value == "verbandsgemeinde"
    assert "Übergangsquote je Verbandsgemeinde" in _texte(at)
    # die Auswahl steht wieder in der Adresse; Unbekanntes in der Adresse fällt auf die Vorgabe zurück
    assert at.query_params["von"] in (["ohne Abschluss"], "ohne Abschluss")
    falsch = _app("musterkreis", rolle="oeffentlich", tabelle="gibtsnicht", von="Kita")
    falsch.run()
    falsch.switch_page("seiten/uebergaenge.py").run()
    assert not falsch.exception and not falsch.error
    assert falsch.selectbox(key="ueb_tabelle").value == "uebertritt"


@pytest.mark.parametrize("a", [LUECKE, UEBERGANG])
def test_folgende_geraete_sehen_dieselbe_ansicht(a):
    """Vorführen: die Ansicht geht als URL-Parameter durch den geteilten Zustand und kommt gleich an."""
    from berichte.vorfuehrung import neuer_code, vorfuehrung_lesen, vorfuehrung_schreiben
    from tests.test_vorfuehrung import Zustaende

    ablage, code = Zustaende(), neuer_code()
    vorfuehrung_schreiben(ablage, "musterkreis", code, a, 5, 7, "Ausschuss")
    v = vorfuehrung_lesen(ablage, "musterkreis", code)
    assert v is not None and v.ansicht == a and v.schritt == 5

"""Reichweite eines Programms: Teilnahmequote je Gebiet und Klasse, Verhältnis, Geheimhaltung, Konfiguration, Reiter."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from berichte.grundlagen import werte_und_maske
from berichte.reichweite import (
    HINWEIS_OHNE_REICHWEITE,
    ReichweiteFehler,
    definitionen,
    gesperrt_als_punkt,
    perioden,
    reichweite_diagramm,
    reichweite_kommune,
    tabellen,
)
from geodata.reichweite import QUOTE, TEILNEHMENDE, ZIELGRUPPE, klassen_bilden, reichweite
from kommune.fehler import KommuneFehler
from kommune.laden import kommune_laden
from tests.conftest import PROJEKT
from tests.daten.zufallskommune import zufallskommune
from tests.mini import KATALOG, TOML, WERTE, mini_kommune

APP = PROJEKT / "app.py"
IDS = list("abcdef")


def _reihe(werte: list[float]) -> pd.Series:
    return pd.Series(werte, index=IDS, dtype=float)


# --- reine Rechnung ------------------------------------------------------------------------------------------------


def test_quantilklassen_von_hand():
    k = klassen_bilden(_reihe([1, 2, 3, 4, 5, 6]), 3)
    assert k.tolist() == [1, 1, 2, 2, 3, 3]
    assert klassen_bilden(_reihe([1, 2, 3, 4, 5, 6]), 3, richtung=-1).tolist() == [3, 3, 2, 2, 1, 1]
    mit_luecke = klassen_bilden(_reihe([1, 2, float("nan"), 4, 5, 6]), 5)
    assert mit_luecke.isna().tolist() == [False, False, True, False, False, False]
    assert mit_luecke.dropna().tolist() == [1, 2, 3, 4, 5]
    assert klassen_bilden(_reihe([7] * 6), 5).tolist() == [1] * 6  # alle gleich: eine Klasse


def test_quoten_je_gebiet_und_klasse_von_hand():
    t = _reihe([30, 20, 15, 15, 5, 5])
    z = _reihe([100, 100, 100, 100, 100, 100])
    erg = reichweite(t, z, _reihe([1, 2, 3, 4, 5, 6]), klassen_anzahl=3, zielgruppe_name="Kinder")
    assert erg.gebiete[QUOTE].tolist() == [30.0, 20.0, 15.0, 15.0, 5.0, 5.0]
    assert erg.klassen[QUOTE].tolist() == [25.0, 15.0, 5.0]  # (30+20)/200, (15+15)/200, (5+5)/200
    assert erg.klassen[TEILNEHMENDE].tolist() == [50.0, 30.0, 10.0]
    assert erg.klassen["Bezeichnung"].tolist() == [
        "Klasse 1 (am wenigsten benachteiligt)",
        "Klasse 2",
        "Klasse 3 (am stärksten benachteiligt)",
    ]
    assert erg.verhaeltnis == pytest.approx(0.2)
    assert erg.gesamtquote == pytest.approx(15.0)
    assert erg.satz.startswith(
        "In der am stärksten benachteiligten Klasse nahmen 5,0 % der Kinder teil, in der am wenigsten "
        "benachteiligten 25,0 % – das 0,20-Fache. Das Programm erreicht benachteiligte Gebiete schlechter."
    )
    # umgekehrte Richtung: niedrige Werte sind benachteiligt
    erg = reichweite(t, z, _reihe([1, 2, 3, 4, 5, 6]), klassen_anzahl=3, richtung=-1)
    assert erg.verhaeltnis == pytest.approx(5.0)
    assert "besser" in erg.satz


def test_genau_ein_gesperrtes_gebiet_bleibt_aus_der_klassensumme():
    t, z, m = _reihe([30, 20, 15, 15, 5, 7]), _reihe([100] * 6), _reihe([1, 2, 3, 4, 5, 6])
    gesperrt = pd.Series([False, False, False, False, True, False], index=IDS)
    erg = reichweite(t, z, m, teilnehmende_gesperrt=gesperrt, klassen_anzahl=3)
    assert math.isnan(erg.gebiete.loc["e", QUOTE]) and math.isnan(erg.gebiete.loc["e", TEILNEHMENDE])
    klasse3 = erg.klassen.iloc[2]
    assert klasse3[TEILNEHMENDE] == 7.0 and klasse3[ZIELGRUPPE] == 100.0  # ohne e: sonst e = Summe − f
    assert "ohne 1 gesperrtes Gebiet" in klasse3["Hinweis"]
    # zwei gesperrte Gebiete in der Klasse: beide zählen (nur ihre Summe wäre erkennbar)
    gesperrt["f"] = True
    erg = reichweite(t, z, m, teilnehmende_gesperrt=gesperrt, klassen_anzahl=3)
    assert erg.klassen.iloc[2][TEILNEHMENDE] == 12.0 and erg.klassen.iloc[2]["Hinweis"] == ""
    assert erg.klassen.iloc[2][QUOTE] == pytest.approx(6.0)


def test_gesperrte_summe_und_rest_verraten_nichts():
    """Zwei gesperrte Gebiete zählen nur, wenn ihre Summe ≥ Mindestfallzahl ist und der Rest (Gesamtsumme minus
    Klassen) nicht genau ein gesperrtes Gebiet enthält."""
    ids = list("abcdefg")
    t = pd.Series([10, 10, 10, 10, 10, 10, 10], index=ids, dtype=float)
    z = pd.Series([100] * 7, index=ids, dtype=float)
    m = pd.Series([1, 2, 3, 4, 5, 6, float("nan")], index=ids)  # Klassen {a,b,c}, {d,e,f}; g ohne Klasse
    gesperrt = pd.Series([False, False, False, False, True, True, False], index=ids)
    erg = reichweite(t, z, m, teilnehmende_gesperrt=gesperrt, klassen_anzahl=2)
    assert erg.klassen[TEILNEHMENDE].tolist() == [30.0, 30.0]  # e+f = 20 ≥ 3: nur ihre Summe erkennbar
    klein = t.copy()
    klein[["e", "f"]] = 1.0  # e+f = 2: die Summe verriete kleine Fallzahlen
    erg = reichweite(klein, z, m, teilnehmende_gesperrt=gesperrt, klassen_anzahl=2)
    assert erg.klassen.iloc[1][TEILNEHMENDE] == 10.0 and "ohne 2 gesperrte Gebiete" in erg.klassen.iloc[1]["Hinweis"]
    gesperrt["g"] = True  # der Rest {g}: Gesamtsumme − Klassen = g → nur sichtbare Gebiete in den Klassen
    erg = reichweite(t, z, m, teilnehmende_gesperrt=gesperrt, klassen_anzahl=2)
    assert erg.klassen.iloc[1][TEILNEHMENDE] == 10.0 and erg.klassen.iloc[1][ZIELGRUPPE] == 100.0
    assert "über die Gesamtsumme" in erg.klassen.iloc[1]["Hinweis"]
    assert erg.klassen.iloc[0][TEILNEHMENDE] == 30.0


def test_kleine_klassen_werden_gesperrt():
    m = _reihe([1, 2, 3, 4, 5, 6])
    erg = reichweite(_reihe([30, 20, 15, 15, 1, 1]), _reihe([100] * 6), m, klassen_anzahl=3, mindestfallzahl=3)
    assert erg.klassen["gesperrt"].tolist() == [False, False, True]  # 2 Teilnehmende < 3
    assert math.isnan(erg.klassen.iloc[2][QUOTE]) and math.isnan(erg.klassen.iloc[2][TEILNEHMENDE])
    assert math.isnan(erg.verhaeltnis) and "gesperrt" in erg.satz
    erg = reichweite(_reihe([3, 3, 1, 1, 0, 0]), _reihe([4] * 6), m, klassen_anzahl=3, mindestnenner=10)
    assert erg.klassen["gesperrt"].all()  # Zielbevölkerung 8 < 10
    assert erg.gebiete[QUOTE].isna().all()  # Nenner 4 < 10: auch je Gebiet keine Quote
    # null Teilnehmende sind keine kleine Fallzahl: sichtbar, Verhältnis 0
    erg = reichweite(_reihe([30, 20, 15, 15, 0, 0]), _reihe([100] * 6), m, klassen_anzahl=3)
    assert not erg.klassen["gesperrt"].any() and erg.verhaeltnis == 0.0


def test_gebiete_ohne_klassenmerkmal_und_zu_wenige_klassen():
    t, z = _reihe([30, 20, 15, 15, 5, 5]), _reihe([100] * 6)
    erg = reichweite(t, z, _reihe([1, 2, 3, 4, float("nan"), float("nan")]), klassen_anzahl=2)
    assert erg.klassen["Gebiete"].tolist() == [2, 2]
    assert "2 Gebiete ohne Klassenmerkmal zählen in keiner Klasse" in erg.satz
    erg = reichweite(t, z, _reihe([float("nan")] * 6))
    assert erg.klassen.empty and math.isnan(erg.verhaeltnis)
    assert "zu wenige Gebiete" in erg.satz


# --- Mini-Kommune mit [[reichweite]] ----------------------------------------------------------------------------

REICHWEITE_TOML = """
[[reichweite]]
id = "ferien"
name = "Ferienprogramm"
teilnehmende = "teilnehmende"
zielgruppe = "kinder"
klassen = "{klassen}"
klassen_anzahl = 3
"""
KATALOG_R = (
    KATALOG
    + "teilnehmende;Teilnehmende;Kinder im Programm;Personen;anzahl;;;;0;Rahmenbedingungen;test;;viertel;nein;\n"
)


def _mini(tmp_path, teilnehmende: dict[str, dict[str, int]], klassen: str = "armut", toml_extra: str | None = None):
    zeilen = "".join(f"{g};teilnehmende;{p};{w};;\n" for p, je in teilnehmende.items() for g, w in je.items())
    extra = REICHWEITE_TOML.format(klassen=klassen) if toml_extra is None else toml_extra
    return kommune_laden(mini_kommune(tmp_path / "mini", toml=TOML + extra, katalog=KATALOG_R, werte=WERTE + zeilen))


def test_mini_kommune_von_hand(tmp_path):
    """Kinder 100/300/50, Armut 10/30/20, Teilnehmende 40/30/10: Quoten 40/10/20 %, Verhältnis 10/40 = 0,25."""
    k = _mini(tmp_path, {"2024": {"0101": 40, "0102": 30, "0201": 10}})
    d = definitionen(k)[0]
    assert (d.klassen_anzahl, d.richtung) == (3, 1)
    for rolle in ("admin", "oeffentlich"):
        a = reichweite_kommune(k, d, "viertel", rolle=rolle)
        assert a.periode == "2024" and a.klassen_name == "Kinderarmut" and not a.ist_index
        assert a.ergebnis.gebiete[QUOTE].round(6).to_dict() == {"0101": 40.0, "0102": 10.0, "0201": 20.0}
        assert a.ergebnis.gebiete["Klasse"].tolist() == [1, 3, 2]
        assert a.ergebnis.klassen[QUOTE].tolist() == pytest.approx([40.0, 20.0, 10.0])
        assert a.ergebnis.verhaeltnis == pytest.approx(0.25)
        assert a.ergebnis.gesamtquote == pytest.approx(100 * 80 / 450)
        assert "das 0,25-Fache" in a.ergebnis.satz and "der Kinder teil" in a.ergebnis.satz
    assert perioden(k, d) == ["2024"]  # eine Periode


def test_mini_kommune_sperrt_kleine_fallzahl_und_ihre_klasse(tmp_path):
    ohne_sekundaer = REICHWEITE_TOML.format(klassen="armut") + "\n[geheimhaltung]\nsekundaer = false\n"
    k = _mini(tmp_path, {"2024": {"0101": 40, "0102": 30, "0201": 2}}, toml_extra=ohne_sekundaer)
    d = definitionen(k)[0]
    maske = werte_und_maske(k, "teilnehmende", "viertel", "2024", rolle="oeffentlich")[1]
    assert maske.to_dict() == {"0101": False, "0102": False, "0201": True}  # 2 < Mindestfallzahl 3
    a = reichweite_kommune(k, d, "viertel", rolle="oeffentlich")
    assert math.isnan(a.ergebnis.gebiete.loc["0201", QUOTE])
    klasse2 = a.ergebnis.klassen.iloc[1]
    assert bool(klasse2["gesperrt"]) and math.isnan(klasse2[TEILNEHMENDE])  # einziges Gebiet gesperrt
    assert a.ergebnis.verhaeltnis == pytest.approx(0.25)  # die Randklassen sind sichtbar
    (g, g_maske), (kl, k_maske) = tabellen(a, a.ergebnis.gebiete[QUOTE].isna())
    export = gesperrt_als_punkt(g, g_maske).set_index("ID")
    assert export.loc["0201", "Teilnehmende"] == "." and export.loc["0201", QUOTE] == "."
    assert export.loc["0101", QUOTE] == pytest.approx(40.0)
    assert gesperrt_als_punkt(kl, k_maske).iloc[1][QUOTE] == "."
    admin = reichweite_kommune(k, d, "viertel", rolle="admin")
    assert admin.ergebnis.gebiete.loc["0201", QUOTE] == pytest.approx(4.0)
    assert reichweite_diagramm(a, "2024").to_dict()["title"]["text"] == "Reichweite nach Klasse: Ferienprogramm"


def test_mini_kommune_sekundaersperrung_sperrt_das_verhaeltnis(tmp_path):
    """Mit Sekundärsperrung ist auch 0102 gesperrt: beide Klassen mit einem einzigen gesperrten Gebiet fallen aus."""
    k = _mini(tmp_path, {"2024": {"0101": 40, "0102": 30, "0201": 2}})
    maske = werte_und_maske(k, "teilnehmende", "viertel", "2024", rolle="oeffentlich")[1]
    assert maske.to_dict() == {"0101": False, "0102": True, "0201": True}
    a = reichweite_kommune(k, definitionen(k)[0], "viertel", rolle="oeffentlich")
    assert a.ergebnis.klassen["gesperrt"].tolist() == [False, True, True]
    assert math.isnan(a.ergebnis.verhaeltnis) and "Verhältnis der Klassen ist gesperrt" in a.ergebnis.satz


def test_mini_kommune_zwei_perioden_und_bezirke(tmp_path):
    k = _mini(tmp_path, {"2023": {"0101": 20, "0102": 60, "0201": 5}, "2024": {"0101": 40, "0102": 30, "0201": 10}})
    d = definitionen(k)[0]
    assert perioden(k, d) == ["2023", "2024"]
    a = reichweite_kommune(k, d, "viertel", "2023", rolle="admin")
    assert a.periode == "2023" and a.zielgruppe_periode == "2024"  # Zielgruppe aus der nächsten Periode
    assert a.ergebnis.gebiete[QUOTE].round(6).to_dict() == {"0101": 20.0, "0102": 20.0, "0201": 10.0}
    b = reichweite_kommune(k, d, "bezirk", "2024", rolle="admin")  # gröbere Ebene: Summen, Armut neu gebildet
    assert b.ergebnis.gebiete[QUOTE].round(6).to_dict() == {"01": 17.5, "02": 20.0}  # 70/400, 10/50


def test_ohne_reichweite_ohne_klassenmerkmal_und_falsche_angaben(tmp_path):
    from tests.mini import mini_kommune as mk

    ohne = kommune_laden(mk(tmp_path / "ohne"))
    assert definitionen(ohne) == () and "[[reichweite]]" in HINWEIS_OHNE_REICHWEITE
    k = _mini(tmp_path / "a", {"2024": {"0101": 4, "0102": 3, "0201": 5}}, klassen="gibt_es_nicht")
    with pytest.raises(ReichweiteFehler, match="weder ein Indikator des Katalogs noch ein Index-Preset"):
        reichweite_kommune(k, definitionen(k)[0], "viertel")
    falsch = REICHWEITE_TOML.format(klassen="armut").replace('"teilnehmende"', '"armut"', 1)
    k = _mini(tmp_path / "b", {"2024": {"0101": 4}}, toml_extra=falsch)
    with pytest.raises(ReichweiteFehler, match="muss eine Anzahl sein"):
        reichweite_kommune(k, definitionen(k)[0], "viertel")
    leer = _mini(tmp_path / "c", {})  # noch keine Lieferung
    with pytest.raises(ReichweiteFehler, match="noch keine Teilnehmenden"):
        reichweite_kommune(leer, definitionen(leer)[0], "viertel")


@pytest.mark.parametrize(
    ("ersetzen", "meldung"),
    [
        (("klassen_anzahl = 3", "klassen_anzahl = 1"), "ganze Zahl von 2 bis 10"),
        (("klassen_anzahl = 3", "klassen_anzahl = 3\nrichtung = 2"), "„richtung“"),
        (('id = "ferien"', 'id = "Ferien!"'), "ist ungültig"),
        (('zielgruppe = "kinder"', 'zielgruppe = "teilnehmende"'), "derselbe Indikator"),
        (("klassen_anzahl = 3", "klassen_anzahl = 3\nfarbe = 1"), "Unbekannter Schlüssel „farbe“"),
    ],
)
def test_konfiguration_wird_geprueft(tmp_path, ersetzen, meldung):
    alt, neu = ersetzen
    toml = REICHWEITE_TOML.format(klassen="armut").replace(alt, neu)
    with pytest.raises(KommuneFehler, match=meldung):
        _mini(tmp_path, {"2024": {"0101": 4}}, toml_extra=toml)


def test_doppelte_reichweite_wird_abgelehnt(tmp_path):
    toml = REICHWEITE_TOML.format(klassen="armut") * 2
    with pytest.raises(KommuneFehler, match="steht in mehreren \\[\\[reichweite\\]\\]"):
        _mini(tmp_path, {"2024": {"0101": 4}}, toml_extra=toml)


# --- Beispielkommunen -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "ebene"), [("musterstadt", "viertel"), ("musterkreis", "gemeinde")])
def test_beispielkommunen_ferienprogramm(name, ebene):
    """Zwei Perioden; in benachteiligten Gebieten geringere Teilnahme; Klassensummen = Summen der Gebiete."""
    k = kommune_laden(name)
    d = definitionen(k)[0]
    assert d.klassen == "sozialindex" and len(perioden(k, d)) == 2
    admin = reichweite_kommune(k, d, ebene, rolle="admin")
    assert admin.ist_index and admin.ergebnis.verhaeltnis < 0.8
    g, kl = admin.ergebnis.gebiete, admin.ergebnis.klassen
    je_klasse = g.dropna(subset=["Klasse"]).groupby("Klasse")[TEILNEHMENDE].sum()
    assert kl.set_index("Klasse")[TEILNEHMENDE].to_dict() == je_klasse.to_dict()
    oeffentlich = reichweite_kommune(k, d, ebene, rolle="oeffentlich")
    sichtbar = oeffentlich.ergebnis.gebiete[QUOTE].notna().sum()
    assert sichtbar < g[QUOTE].notna().sum()  # kleine Gebiete gesperrt
    assert oeffentlich.ergebnis.verhaeltnis < 1


# --- Reiter „Reichweite“ ----------------------------------------------------------------------------------------


def _reiter_pruefen(at: AppTest) -> str:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return "\n".join([m.value for m in at.markdown] + [i.value for i in at.info])


@pytest.mark.parametrize(("kommune", "rolle"), [("musterstadt", "intern"), ("musterkreis", "admin")])
def test_reiter_reichweite_beispielkommunen(kommune, rolle):
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["demo_rolle"] = rolle
    at.query_params["kommune"] = kommune
    at.run()
    at.switch_page("seiten/angebote.py").run()
    texte = _reiter_pruefen(at)
    assert "In der am stärksten benachteiligten Klasse nahmen" in texte and "-Fache" in texte
    assert at.selectbox(key="rw_programm").value == "ferienprogramm"
    klassen = next(d.value for d in at.dataframe if "Bezeichnung" in d.value.columns)
    assert len(klassen) == 5 and klassen["Teilnahmequote (%)"].str.contains(",").all()
    labels = [b.label for b in at.get("download_button")]
    assert {"Klassen als CSV", "Gebiete als CSV", "Klassen als Excel", "Gebiete als Excel"} <= set(labels)
    karten = len(at.get("bidi_component"))
    at.session_state["ang_reiter"] = "Reichweite"  # Karten weiterer Reiter nur im sichtbaren Reiter
    at.run()
    _reiter_pruefen(at)
    assert len(at.get("bidi_component")) == karten + 1
    at.selectbox(key="rw_periode_ferienprogramm").set_value("2023").run()
    at.radio(key="rw_karte").set_value(at.radio(key="rw_karte").options[1]).run()
    _reiter_pruefen(at)
    assert len(at.get("bidi_component")) == karten + 1


@pytest.mark.parametrize("seed", [3, 7])  # 3: drei Ebenen, zwei Perioden; 7: eine Ebene, eine Periode
def test_reiter_reichweite_zufallskommune(tmp_path, monkeypatch, seed):
    """Ohne [[reichweite]] der Hinweis; mit einer angehängten Reichweite (Klassen nach Kinderarmut) eine Rechnung."""
    b = zufallskommune(tmp_path / "zufall", seed)
    assert not kommune_laden(b.ordner).angebote.empty  # sonst zeigte die Seite nur „keine Angebote“
    monkeypatch.setenv("BILDUNGSMONITOR_KOMMUNE", str(b.ordner))

    def zeigen() -> str:
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.session_state["demo_rolle"] = "admin"
        at.run()
        at.switch_page("seiten/angebote.py").run()
        _reiter_pruefen(at)
        at.session_state["ang_reiter"] = "Reichweite"
        at.run()
        return _reiter_pruefen(at)

    assert HINWEIS_OHNE_REICHWEITE in zeigen()
    toml = b.ordner / "kommune.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8")
        + '\n[[reichweite]]\nid = "hilfe"\nname = "Hilfeprogramm"\nteilnehmende = "sgb2"\n'
        'zielgruppe = "kinder_u15"\nklassen = "kinderarmut"\nklassen_anzahl = 3\n',
        encoding="utf-8",
    )
    texte = zeigen()
    assert HINWEIS_OHNE_REICHWEITE not in texte
    assert "Klasse" in texte or "zu wenige Gebiete" in texte

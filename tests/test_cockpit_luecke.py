"""Cockpit-Kachel „gruppenluecke“: Zahlen gegen Handrechnung, Ampel (kleinere Lücke ist besser), Geheimhaltung,
deutsche Meldungen bei falschen Angaben und die Kachel in der App (admin und öffentlich)."""

from __future__ import annotations

import dataclasses
import math
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from berichte import cockpit
from berichte.cockpit import KachelDefinition, cockpit_text, kachel_berechnen, kacheln_berechnen, kacheln_lesen
from berichte.grundlagen import GESPERRT_TEXT, gesamt_mit_text
from kommune import kommune_laden
from kommune.fehler import KommuneFehler
from oberflaeche.kacheln import kachel_html
from tests.conftest import PROJEKT, fehlerseite_gezeigt
from tests.test_seiten import _app

GRUPPEN = {"basis": "gymnasialuebergang", "merkmal": "migration", "gruppe_a": "mit", "gruppe_b": "ohne"}


@pytest.fixture(scope="module")
def musterkreis():
    return kommune_laden("musterkreis")


def _definition(**felder) -> KachelDefinition:
    return KachelDefinition(titel="Lücke", art="gruppenluecke", **{**GRUPPEN, "mass": "differenz", **felder})


def _quote(kommune, indikator: str, periode: str) -> float:
    """Handrechnung: Anteil der ganzen Kommune = Summe der Zähler / Summe der Nenner der Gemeinden."""
    i = kommune.indikatoren
    t = i[(i["indikator"] == indikator) & (i["periode"] == periode) & (i["schicht"] == "gemeinde")]
    return 100 * t["zaehler"].sum() / t["nenner"].sum()


def _mit_kacheln(kommune, *kacheln):
    konf = dataclasses.replace(kommune.konfiguration, erweiterungen={"kachel": list(kacheln)})
    return dataclasses.replace(kommune, konfiguration=konf)


def test_musterkreis_kachel_gegen_handrechnung(musterkreis):
    k = {x.id: x for x in kacheln_berechnen(musterkreis, rolle="admin")}["luecke_gymnasium"]
    mit, ohne = (_quote(musterkreis, f"gymnasialuebergang__migration_{g}", "2024") for g in ("mit", "ohne"))
    mit_vj, ohne_vj = (_quote(musterkreis, f"gymnasialuebergang__migration_{g}", "2023") for g in ("mit", "ohne"))
    assert (round(mit, 1), round(ohne, 1)) == (22.7, 36.9)  # 46/203 und 168/455
    assert k.wert == pytest.approx(abs(mit - ohne)) and k.wert_text == "14,3 Prozentpunkte"
    assert k.vorwert == pytest.approx(abs(mit_vj - ohne_vj))
    assert k.veraenderung_text == "−2,4 Prozentpunkte seit 2023"
    assert k.pfeil == "↓" and k.veraenderung_bewertung == "besser"  # die Lücke wird kleiner
    assert [p for p, _ in k.verlauf] == ["2022", "2023", "2024"]
    assert k.klartext == "mit Migrationshintergrund: 22,7 % · ohne Migrationshintergrund: 36,9 %"
    # Ziel höchstens 10 Prozentpunkte, Toleranz 5: 14,3 ist gelb
    assert k.ampel == "gelb" and k.ziel_text.startswith("Ziel: höchstens 10,0 Prozentpunkte")
    assert k.stand == "01.10.2024" and k.quelle


def test_verhaeltnis_gegen_handrechnung(musterkreis):
    k = kachel_berechnen(musterkreis, _definition(mass="verhaeltnis"), rolle="admin")
    mit, ohne = (_quote(musterkreis, f"gymnasialuebergang__migration_{g}", "2024") for g in ("mit", "ohne"))
    assert k.wert == pytest.approx(mit / ohne) and k.wert_text == "0,61"
    # von 0,54 auf 0,61: näher an 1, also besser, obwohl der Wert steigt
    assert k.pfeil == "↑" and k.veraenderung_bewertung == "besser"
    umgekehrt = kachel_berechnen(musterkreis, _definition(mass="verhaeltnis", gruppe_a="ohne", gruppe_b="mit"))
    assert umgekehrt.wert == pytest.approx(ohne / mit)
    assert umgekehrt.pfeil == "↓" and umgekehrt.veraenderung_bewertung == "besser"  # 1,87 → 1,63


def test_reihenfolge_der_gruppen_aendert_den_betrag_nicht(musterkreis):
    a = kachel_berechnen(musterkreis, _definition())
    b = kachel_berechnen(musterkreis, _definition(gruppe_a="ohne", gruppe_b="mit"))
    assert a.wert == pytest.approx(b.wert) and a.veraenderung_bewertung == b.veraenderung_bewertung == "besser"


@pytest.mark.parametrize(
    ("ziel", "toleranz", "erwartet"),
    [(15.0, 0.0, "grün"), (14.0, 0.5, "gelb"), (12.0, 1.0, "rot"), (None, 0.0, "grau")],
)
def test_ampel_kleinere_luecke_ist_besser(musterkreis, ziel, toleranz, erwartet):
    k = kachel_berechnen(musterkreis, _definition(ziel=ziel, gelb_toleranz=toleranz))
    assert k.ampel == erwartet
    if ziel is not None:
        assert k.ampel_text.startswith(f"{erwartet.capitalize()}: 14,3 Prozentpunkte")


@pytest.mark.parametrize("mass", ["differenz", "verhaeltnis"])
def test_oeffentlich_gleich_den_geschuetzten_gesamtwerten(musterkreis, mass):
    k = kachel_berechnen(musterkreis, _definition(mass=mass), rolle="oeffentlich")
    for p, w in k.verlauf:
        a, ta = gesamt_mit_text(musterkreis, "gymnasialuebergang__migration_mit", p, rolle="oeffentlich")
        b, tb = gesamt_mit_text(musterkreis, "gymnasialuebergang__migration_ohne", p, rolle="oeffentlich")
        assert GESPERRT_TEXT not in (ta, tb)
        assert w == pytest.approx(a / b if mass == "verhaeltnis" else abs(a - b))


def test_gesperrter_gruppenwert_sperrt_die_kachel(musterkreis, monkeypatch):
    echt = cockpit.gesamt_mit_text
    gesperrt_fuer = {"oeffentlich"}

    def sperrend(kommune, indikator, periode, *, rolle):
        if indikator.endswith("_mit") and periode == "2024" and rolle in gesperrt_fuer:
            return float("nan"), GESPERRT_TEXT
        return echt(kommune, indikator, periode, rolle=rolle)

    monkeypatch.setattr(cockpit, "gesamt_mit_text", sperrend)
    k = kachel_berechnen(musterkreis, _definition(ziel=10.0), rolle="oeffentlich")
    assert k.wert_text == "gesperrt" and math.isnan(k.wert)
    assert k.veraenderung_text == "Wert gesperrt (Geheimhaltung)" and k.ampel == "grau"
    assert "gesperrt" in k.klartext and "22,7" not in k.klartext and "14,3" not in kachel_html(k)
    admin = kachel_berechnen(musterkreis, _definition(ziel=10.0), rolle="admin")
    assert admin.wert_text == "14,3 Prozentpunkte"


def test_klartext_steht_sichtbar_in_der_kachel(musterkreis):
    k = kachel_berechnen(musterkreis, _definition())
    html = kachel_html(k)
    assert "mit Migrationshintergrund: 22,7 %" in html and "title=" not in html  # kein Tooltip


def test_cockpit_text_nennt_die_luecke(musterkreis):
    text = cockpit_text(musterkreis, rolle="oeffentlich")
    assert "Lücke Übertritt Gymnasium (Migration): 14,3 Prozentpunkte im Jahr 2024" in text
    assert "eine Verbesserung" in text


@pytest.mark.parametrize(
    ("aenderung", "teil"),
    [
        ({"basis": "gibtsnicht"}, "„gibtsnicht“ in .* steht nicht im Indikatorenkatalog"),
        ({"merkmal": "religion"}, "Merkmal „religion“ .* nicht als \\[\\[merkmal\\]\\] erklärt"),
        ({"basis": "kinderarmut"}, "keine Gruppen nach „Migrationshintergrund“"),
        ({"gruppe_b": "divers"}, "Gruppe „divers“ .* nicht \\(vorhanden: mit, ohne\\)"),
        ({"gruppe_b": "mit"}, "verschiedene Gruppen"),
        ({"mass": "prozent"}, "„differenz“ oder „verhaeltnis“"),
        ({"gruppe_a": None}, "braucht „gruppe_a“"),
    ],
)
def test_falsche_angaben_deutsch(musterkreis, aenderung, teil):
    roh = {"titel": "Lücke", "art": "gruppenluecke", **GRUPPEN, **aenderung}
    roh = {k: v for k, v in roh.items() if v is not None}
    with pytest.raises(KommuneFehler, match=teil):
        kacheln_lesen(_mit_kacheln(musterkreis, roh))


def test_kommune_ohne_gruppen_meldet_deutsch(musterstadt):
    konf = dataclasses.replace(musterstadt.konfiguration, merkmale=())
    ohne = dataclasses.replace(musterstadt, konfiguration=konf)
    with pytest.raises(KommuneFehler, match="nicht als \\[\\[merkmal\\]\\] erklärt \\(keine\\)"):
        kacheln_lesen(_mit_kacheln(ohne, {"titel": "Lücke", "art": "gruppenluecke", **GRUPPEN}))


@pytest.mark.parametrize("rolle", ["admin", "oeffentlich"])
def test_cockpit_seite_zeigt_die_kachel(rolle):
    at = _app("musterkreis", rolle=rolle)
    at.run()
    at.switch_page("seiten/cockpit.py").run()
    assert not at.exception and not at.error
    html = "\n".join(str(m.value) for m in at.markdown)
    assert "Lücke Übertritt Gymnasium (Migration)" in html
    assert "14,3</div>" in html and "Prozentpunkte" in html
    assert "mit Migrationshintergrund: 22,7 % · ohne Migrationshintergrund: 36,9 %" in html
    assert "↓ −2,4 Prozentpunkte seit 2023" in html


def test_falsche_kachel_in_der_kommune_toml_gibt_deutsche_meldung(tmp_path, monkeypatch):
    ordner = tmp_path / "kreis"
    shutil.copytree(PROJEKT / "sample_data" / "musterkreis", ordner)
    toml = ordner / "kommune.toml"
    text = toml.read_text(encoding="utf-8")
    assert 'gruppe_b = "ohne"' in text
    toml.write_text(text.replace('gruppe_b = "ohne"', 'gruppe_b = "divers"'), encoding="utf-8")
    monkeypatch.setenv("BILDUNGSMONITOR_KOMMUNE", str(ordner))
    at = AppTest.from_file(str(PROJEKT / "app.py"), default_timeout=120)
    at.session_state["demo_rolle"] = "admin"
    at.run()
    at.switch_page("seiten/cockpit.py").run()
    assert not at.exception and not fehlerseite_gezeigt(at)
    meldung = " ".join(str(e.value) for e in at.error)
    assert meldung.startswith("Die Kennzahlen ([[kachel]] und [cockpit] in der kommune.toml) sind fehlerhaft")
    assert "Die Gruppe „divers“ („gruppe_b“)" in meldung and "vorhanden: mit, ohne" in meldung
    at.switch_page("seiten/sitzung.py").run()  # der Überblick im Ausschuss: dieselbe Meldung, kein Abbruch
    assert not at.exception and any("Die Gruppe „divers“" in str(e.value) for e in at.error)

"""Aggregation mit Deckung: Anzahlen mit fehlenden Teilen, Gewichte aus Formeln und anderen Perioden."""

from __future__ import annotations

import math

import pytest

from kommune import KommuneFehler, kommune_laden
from kommune.formel import bezug_teile, formel_teile, formel_text, naechste_periode, perioden_nach_naehe
from kommune.werte import (
    BEZUG_EINWOHNER,
    BEZUG_FLAECHE,
    Deckung,
    deckung_text,
    gesamt_mit_deckung,
    gesamtwert,
    gewicht_hinweis,
    werte,
    werte_mit_deckung,
)
from tests.mini import KATALOG, TOML, WERTE, mini_kommune

#: Einwohner je Viertel: Süd (0102) ist winzig, trägt 10 von 1.010 Einwohnern in Bezirk West und 10 von 3.010 insgesamt
EINWOHNER = "0101;einwohner;2024;1000;;\n0102;einwohner;2024;10;;\n0201;einwohner;2024;2000;;\n"
KATALOG_EW = KATALOG + "einwohner;Einwohner;Einwohner;Personen;anzahl;;;;0;Rahmenbedingungen;test;;viertel;nein;\n"
OHNE_SUED = WERTE.replace("0102;kinder;2024;300;;\n", "")


def _laden(tmp_path, *, toml=TOML, katalog=KATALOG_EW, werte_text=OHNE_SUED + EINWOHNER):
    return kommune_laden(mini_kommune(tmp_path / "k", toml=toml, katalog=katalog, werte=werte_text))


# ------------------------------------------------------------------------------------------------
# Formeln und Perioden
# ------------------------------------------------------------------------------------------------


def test_formeln_und_perioden():
    assert formel_teile("a + b - c") == [(1.0, "a"), (1.0, "b"), (-1.0, "c")]
    assert bezug_teile("a + b", ["a", "b"]) == [(1.0, "a"), (1.0, "b")]
    assert bezug_teile("kita-quote", ["kita-quote"]) == [(1.0, "kita-quote")]  # eine ID mit „-“ bleibt ganz
    assert bezug_teile("a + x", ["a"]) is None and bezug_teile("a * b", ["a", "b"]) is None
    assert bezug_teile("", ["a"]) is None
    assert formel_text([(1.0, "a"), (-1.0, "b")]) == "a - b"
    assert naechste_periode(["2024"], "2020") == "2024"
    assert naechste_periode(["2018", "2022"], "2020") == "2018"  # gleich weit: die frühere
    assert naechste_periode(["2019", "2022", "2020"], "2020") == "2020"
    assert naechste_periode([], "2020") is None
    assert perioden_nach_naehe(["2016", "2019", "2021", "x"], "2020") == ["2019", "2021", "2016", "x"]
    # die Versorgung findet den Parser weiter unter dem alten Namen
    from geodata.versorgung import formel_teile as alt

    assert alt is formel_teile


# ------------------------------------------------------------------------------------------------
# Anzahlen mit fehlenden Teilen
# ------------------------------------------------------------------------------------------------


def test_anzahl_mit_luecke_ist_summe_der_bekannten_teile_mit_deckung(tmp_path):
    k = _laden(tmp_path)
    agg = werte_mit_deckung(k, "kinder", "bezirk", "2024")
    assert agg.werte.to_dict() == {"01": 100.0, "02": 50.0}
    assert agg.deckung.loc["01", "teile"] == 2 and agg.deckung.loc["01", "fehlend"] == 1
    assert agg.deckung.loc["01", "anteil"] == pytest.approx(10 / 1010)
    d = agg.deckung_von("01")
    assert d == Deckung("viertel", 2, ("0102",), pytest.approx(10 / 1010), "einwohner", "2024", BEZUG_EINWOHNER, "2024")
    assert deckung_text(k, d) == "ohne 1 Viertel, 0,99 % der Einwohner"
    assert agg.deckung_von("02") is None  # vollständig
    wert, gesamt = gesamt_mit_deckung(k, "kinder", "2024")
    assert wert == 150.0 and gesamtwert(k, "kinder", "2024") == 150.0
    assert deckung_text(k, gesamt) == "ohne 1 Viertel, 0,33 % der Einwohner"
    assert werte(k, "kinder", "bezirk", "2024").to_dict() == {"01": 100.0, "02": 50.0}


def test_anzahl_streng_und_mindestdeckung(tmp_path):
    streng = _laden(tmp_path / "s", toml=TOML + '\n[aggregation]\nanzahlen_mit_luecke = "leer"\n')
    w = werte(streng, "kinder", "bezirk", "2024")
    assert math.isnan(w["01"]) and w["02"] == 50.0
    assert math.isnan(gesamtwert(streng, "kinder", "2024"))
    # Deckung West 99,01 %: unter 99,5 % leer, das Gesamtgebiet (99,67 %) bleibt
    strenger = _laden(tmp_path / "d", toml=TOML + "\n[aggregation]\nmindestdeckung = 0.995\n")
    assert math.isnan(werte(strenger, "kinder", "bezirk", "2024")["01"])
    assert gesamtwert(strenger, "kinder", "2024") == 150.0


def test_ohne_einwohner_gilt_die_flaeche(tmp_path):
    # ohne Einwohner-Indikator: Süd ist die Hälfte der Fläche von West → unter 99 % leer …
    k = _laden(tmp_path / "a", katalog=KATALOG, werte_text=OHNE_SUED)
    assert math.isnan(werte(k, "kinder", "bezirk", "2024")["01"])
    # … mit mindestdeckung 0,4 die Summe der bekannten Teile, „der Fläche“
    k = _laden(
        tmp_path / "b", toml=TOML + "\n[aggregation]\nmindestdeckung = 0.4\n", katalog=KATALOG, werte_text=OHNE_SUED
    )
    agg = werte_mit_deckung(k, "kinder", "bezirk", "2024")
    assert agg.werte["01"] == 100.0 and agg.bezug_art == BEZUG_FLAECHE
    assert deckung_text(k, agg.deckung_von("01")) == "ohne 1 Viertel, 50,0 % der Fläche"


def test_bezug_aus_der_naechsten_periode_und_erklaert(tmp_path):
    # der Bezug „einwohner“ liegt nur für 2023 vor: für 2024 gilt er trotzdem (nächste Periode)
    k = _laden(tmp_path, werte_text=OHNE_SUED + EINWOHNER.replace(";2024;", ";2023;"))
    agg = werte_mit_deckung(k, "kinder", "bezirk", "2024")
    assert agg.werte["01"] == 100.0 and agg.bezug_periode == "2023"
    assert deckung_text(k, agg.deckung_von("01")) == "ohne 1 Viertel, 0,99 % der Einwohner von 2023"


def test_deckung_text_grob_und_mehrzahl(tmp_path):
    k = _laden(tmp_path)
    d = Deckung("viertel", 3, ("0101", "0102"), 0.0004, "einwohner", "2024", BEZUG_EINWOHNER)
    assert deckung_text(k, d) == "ohne 2 Viertel, 0,04 % der Einwohner"
    assert deckung_text(k, d, grob=True) == "ohne 2 Viertel, unter 0,1 % der Einwohner"
    assert deckung_text(k, Deckung("viertel", 3, ("0101",), 0.004), grob=True) == "ohne 1 Viertel, unter 1 % der Fläche"
    assert deckung_text(k, Deckung("viertel", 3, ("0101",), 0.2), grob=True) == "ohne 1 Viertel"
    assert deckung_text(k, Deckung("bezirk", 3, ("01",), 0.0), grob=False) == "ohne 1 Bezirk, 0 % der Fläche"
    assert deckung_text(k, Deckung("viertel", 3, ("0101",), 0.00001)) == "ohne 1 Viertel, unter 0,01 % der Fläche"
    assert deckung_text(k, Deckung("viertel", 3, ("0101",), float("nan"))) == "ohne 1 Viertel"
    assert deckung_text(k, None) == ""


# ------------------------------------------------------------------------------------------------
# Anteile: Gewicht als Formel und aus anderer Periode
# ------------------------------------------------------------------------------------------------

KATALOG_FORMEL = (
    KATALOG.replace(";;;kinder;-1;", ";;;kinder_u6 + kinder_6_15;-1;")
    + "kinder_u6;Kinder unter 6;;Personen;anzahl;;;;0;Rahmenbedingungen;test;;viertel;nein;\n"
    + "kinder_6_15;Kinder 6 bis 15;;Personen;anzahl;;;;0;Rahmenbedingungen;test;;viertel;nein;\n"
)
GRUPPEN_2023 = (
    "0101;kinder_u6;2023;30;;\n0101;kinder_6_15;2023;70;;\n"
    "0102;kinder_u6;2023;100;;\n0102;kinder_6_15;2023;200;;\n"
    "0201;kinder_u6;2023;20;;\n0201;kinder_6_15;2023;30;;\n"
)


def test_gewicht_als_formel_aus_anderer_periode(tmp_path):
    k = _laden(tmp_path, katalog=KATALOG_FORMEL, werte_text=WERTE + GRUPPEN_2023)
    agg = werte_mit_deckung(k, "quote", "bezirk", "2024")
    # West: (50 · 100 + 90 · 300) / 400, Gewichte = u6 + 6_15 aus 2023
    assert agg.werte["01"] == pytest.approx((50 * 100 + 90 * 300) / 400)
    assert (agg.gewicht, agg.gewicht_periode) == ("kinder_u6 + kinder_6_15", "2023")
    assert gesamtwert(k, "quote", "2024") == pytest.approx((50 * 100 + 90 * 300 + 70 * 50) / 450)
    assert gewicht_hinweis(k, "quote", "2024") == (
        "„Quote“ (2024) ist auf gröberen Ebenen mit „Kinder unter 6“ + „Kinder 6 bis 15“ aus 2023 gewichtet."
    )
    assert gewicht_hinweis(k, "armut", "2024") == ""  # Zähler/Nenner: kein Gewicht


def test_anteil_mit_luecke_nennt_seine_deckung(tmp_path):
    # Süd ohne Quote: West trägt dann 100 von 400 Gewicht (25 %) → leer; gesamt 150/450 → leer
    ohne = WERTE.replace("0102;quote;2024;90,0;;\n", "")
    k = _laden(tmp_path / "a", katalog=KATALOG, werte_text=ohne)
    agg = werte_mit_deckung(k, "quote", "bezirk", "2024")
    assert math.isnan(agg.werte["01"]) and agg.werte["02"] == 70.0
    assert agg.deckung.loc["01", "anteil"] == pytest.approx(0.75)
    k = _laden(tmp_path / "b", toml=TOML + "\n[aggregation]\nmindestdeckung = 0.2\n", katalog=KATALOG, werte_text=ohne)
    wert, d = gesamt_mit_deckung(k, "quote", "2024")
    assert wert == pytest.approx((50 * 100 + 70 * 50) / 150)
    assert deckung_text(k, d) == "ohne 1 Viertel, 66,7 % der Bezugsgröße"


def test_nenner_als_formel(tmp_path):
    katalog = KATALOG_FORMEL.replace(";anteil;;kinder;;1;", ";anteil;;kinder_u6 + kinder_6_15;;1;")
    ohne_zn = (
        WERTE.replace(";10,0;10;100", ";10,0;;").replace(";30,0;90;300", ";30,0;;").replace(";20,0;10;50", ";20,0;;")
    )
    zaehler = "0101;sgb2;2024;10;;\n0102;sgb2;2024;90;;\n0201;sgb2;2024;10;;\n"
    katalog = katalog.replace(";anteil;;kinder_u6", ";anteil;sgb2;kinder_u6") + (
        "sgb2;Kinder in SGB II;;Personen;anzahl;;;;0;Rahmenbedingungen;test;;viertel;nein;\n"
    )
    gruppen_2024 = GRUPPEN_2023.replace(";2023;", ";2024;")
    k = _laden(tmp_path, katalog=katalog, werte_text=ohne_zn + zaehler + gruppen_2024)
    # West: (10 + 90) / (100 + 300)
    assert werte(k, "armut", "bezirk", "2024")["01"] == pytest.approx(25.0)


# ------------------------------------------------------------------------------------------------
# [aggregation] in der kommune.toml
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("abschnitt", "teil"),
    [
        ("mindestdeckung = 1.5", "zwischen 0 und 1"),
        ('mindestdeckung = "hoch"', "muss eine Zahl sein"),
        ('anzahlen_mit_luecke = "null"', "„mit_deckung“ oder „leer“"),
        ("strenge = true", "Unbekannter Schlüssel „strenge“ in [aggregation]"),
        ('bezug = "gibtsnicht"', "„gibtsnicht“, das nicht im Indikatorenkatalog steht"),
        ('bezug = ["quote"]', "„quote“, das keine Anzahl ist"),
        ("bezug = 5", "muss ein Text oder eine Liste von Texten sein"),
    ],
)
def test_aggregation_abschnitt_wird_geprueft(tmp_path, abschnitt, teil):
    with pytest.raises(KommuneFehler) as e:
        _laden(tmp_path, toml=TOML + f"\n[aggregation]\n{abschnitt}\n")
    assert teil in e.value.text


def test_aggregation_abschnitt_gelesen(tmp_path):
    k = _laden(tmp_path, toml=TOML + '\n[aggregation]\nmindestdeckung = 0.9\nbezug = "einwohner"\n')
    a = k.konfiguration.aggregation
    assert (a.mindestdeckung, a.anzahlen_mit_luecke, a.bezug) == (0.9, "mit_deckung", ("einwohner",))


# ------------------------------------------------------------------------------------------------
# Geheimhaltung: die Deckung verrät keine gesperrte Zahl
# ------------------------------------------------------------------------------------------------


def test_deckung_grob_wenn_die_einwohnerzahl_des_fehlenden_gebiets_gesperrt_ist(tmp_path):
    from berichte.grundlagen import deckung_fuer, gesamt_mit_text

    # Süd hat 2 Einwohner (Fallzahl unter 3: öffentlich gesperrt) und keinen Kinderwert
    k = _laden(tmp_path, werte_text=OHNE_SUED + EINWOHNER.replace("0102;einwohner;2024;10;", "0102;einwohner;2024;2;"))
    wert, d = gesamt_mit_deckung(k, "kinder", "2024")
    assert wert == 150.0 and d.anteil == pytest.approx(2 / 3002)
    assert deckung_fuer(k, d, rolle="admin") == "ohne 1 Viertel, 0,07 % der Einwohner"
    assert deckung_fuer(k, d, rolle="oeffentlich") == "ohne 1 Viertel, unter 0,1 % der Einwohner"
    assert gesamt_mit_text(k, "kinder", "2024", rolle="oeffentlich") == (
        150.0,
        "ohne 1 Viertel, unter 0,1 % der Einwohner",
    )
    west = werte_mit_deckung(k, "kinder", "bezirk", "2024").deckung_von("01")
    assert deckung_fuer(k, west, rolle="oeffentlich") == "ohne 1 Viertel, unter 1 % der Einwohner"
    assert deckung_fuer(k, west, rolle="admin") == "ohne 1 Viertel, 0,20 % der Einwohner"


def test_teilsumme_verraet_kein_gesperrtes_gebiet(tmp_path):
    """Ost ohne Kinderwert (0 Einwohner): der Gesamtwert 2 ist die Summe von West (2, gesperrt) – er wird gesperrt."""
    from berichte.grundlagen import gesamt_mit_text
    from freigabe.geheimhaltung import gesamt_gesperrt, sperrplan

    werte_text = (
        "gebiet_id;indikator;periode;wert;zaehler;nenner\n0101;kinder;2024;1;;\n0102;kinder;2024;1;;\n"
        "0101;einwohner;2024;1000;;\n0102;einwohner;2024;1000;;\n0201;einwohner;2024;0;;\n"
    )
    k = _laden(tmp_path, werte_text=werte_text)
    assert gesamt_mit_deckung(k, "kinder", "2024")[0] == 2.0  # Deckung 100 % der Einwohner
    plan = sperrplan(k, "2024", "oeffentlich")
    maske, _ = plan.gesperrt("bezirk", "kinder")
    assert maske.to_dict() == {"01": True, "02": False}
    assert gesamt_gesperrt(k, "kinder", "2024", "oeffentlich") and not gesamt_gesperrt(k, "kinder", "2024", "admin")
    assert gesamt_mit_text(k, "kinder", "2024", rolle="oeffentlich")[1] == "gesperrt"
    assert math.isnan(gesamt_mit_text(k, "kinder", "2024", rolle="oeffentlich")[0])
    assert gesamt_mit_text(k, "kinder", "2024", rolle="admin") == (2.0, "ohne 1 Viertel, 0 % der Einwohner")


# ------------------------------------------------------------------------------------------------
# Berlin (braucht BILDUNGSMONITOR_DATA_DIR)
# ------------------------------------------------------------------------------------------------

PANKOWER_TOR = "03400831"
OHNE_PANKOWER_TOR = "ohne 1 Planungsraum, 0 % der Einwohner von 2024"


def test_berlin_einwohner_mss_ohne_pankower_tor_mit_deckung(berlin):
    """EW fehlt nur für Pankower Tor (2024: 0 Einwohner): Bezirksregion, Bezirk und Berlin zeigen die Summe."""
    plr = werte(berlin, "EW", "planungsraum", "2020")
    assert plr.isna().sum() == 1 and math.isnan(plr[PANKOWER_TOR])
    wert, d = gesamt_mit_deckung(berlin, "EW", "2020")
    assert wert == plr.sum() == 3_769_962
    assert d.fehlende == (PANKOWER_TOR,) and d.teile == 542 and d.anteil == 0.0
    assert (d.bezug, d.bezug_periode) == ("inhabitants", "2024")
    assert deckung_text(berlin, d) == OHNE_PANKOWER_TOR
    bezirk = werte_mit_deckung(berlin, "EW", "bezirk", "2020")
    assert bezirk.werte["03"] == 410_716 and bezirk.werte.notna().all()
    assert deckung_text(berlin, bezirk.deckung_von("03")) == OHNE_PANKOWER_TOR
    assert bezirk.deckung_von("01") is None
    assert werte(berlin, "EW", "bezirksregion", "2020")["034008"] == 35_738


def test_berlin_profil_und_berichte_nennen_die_deckung(berlin):
    import io

    from docx import Document

    from berichte.bildungsbericht import satz
    from berichte.grundlagen import profil_schuetzen
    from berichte.profilbericht import profil_html
    from kommune.profil import gebietsprofil

    # Tiroler Viertel liegt in der Bezirksregion Pankow Süd, wie Pankower Tor
    profil = profil_schuetzen(berlin, "planungsraum", "03400826", gebietsprofil(berlin, "planungsraum", "03400826"))
    ew = profil.set_index("indikator").loc["EW"]
    assert ew["eltern"] == 35_738 and ew["gesamt"] == 3_769_962
    assert ew["eltern_deckung"] == ew["gesamt_deckung"] == OHNE_PANKOWER_TOR and ew["wert_deckung"] == ""
    s4 = profil.set_index("indikator").loc["S4"]
    assert s4["gesamt_deckung"] == "ohne 6 Planungsräume, unter 0,1 % der Bezugsgröße von 2024"  # öffentlich: grob
    assert "aus 2024 gewichtet" in s4["gewicht_hinweis"]
    html = profil_html(berlin, "planungsraum", "03400826", mit_diagrammen=False)
    assert f'3.769.962 Personen<div class="definition">{OHNE_PANKOWER_TOR}</div>' in html
    assert "„Kinderarmut (S4)“ (2020) ist auf gröberen Ebenen mit „Kinder unter 6 Jahren“" in html
    assert satz(berlin, "EW") == (
        f"Die Zahl „Einwohner (MSS 2020)“ lag 2020 bei 3.769.962 Personen ({OHNE_PANKOWER_TOR})."
    )
    from berichte.bildungsbericht import bildungsbericht_docx

    doc = Document(io.BytesIO(bildungsbericht_docx(berlin, mit_bildern=False)))
    zellen = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert f"3.769.962 Personen (2020; {OHNE_PANKOWER_TOR})" in zellen


def test_berlin_streng_bleibt_leer(berlin):
    import dataclasses

    from kommune.konfiguration import Aggregation

    konf = dataclasses.replace(berlin.konfiguration, aggregation=Aggregation(anzahlen_mit_luecke="leer"))
    streng = dataclasses.replace(berlin, konfiguration=konf)
    assert math.isnan(gesamtwert(streng, "EW", "2020"))
    assert math.isnan(werte(streng, "EW", "bezirk", "2020")["03"])


def test_berlin_kinderarmut_mit_unter_15_jaehrigen_gewichtet(berlin):
    """S4 (Anteil an den unter 15-Jährigen) mit den unter 15-Jährigen von 2024 gewichtet: 26,5 % statt 25,6 % (EW)."""
    s4 = werte(berlin, "S4", "planungsraum", "2020")
    u15 = werte(berlin, "inhabitants_age_below_6", "planungsraum", "2024") + werte(
        berlin, "inhabitants_age_6_15", "planungsraum", "2024"
    )
    ok = s4.notna()
    wert, d = gesamt_mit_deckung(berlin, "S4", "2020")
    assert wert == pytest.approx(float((s4[ok] * u15[ok]).sum() / u15[ok].sum()))
    assert wert == pytest.approx(26.49, abs=0.005)
    ew = werte(berlin, "EW", "planungsraum", "2020")
    assert float((s4[ok] * ew[ok]).sum() / ew[ok].sum()) == pytest.approx(25.60, abs=0.005)  # vorher
    assert len(d.fehlende) == 6 and (d.bezug_periode, d.periode) == ("2024", "2020")
    assert deckung_text(berlin, d) == "ohne 6 Planungsräume, 0,05 % der Bezugsgröße von 2024"
    agg = werte_mit_deckung(berlin, "S4", "bezirk", "2020")
    assert agg.gewicht == "inhabitants_age_below_6 + inhabitants_age_6_15" and agg.gewicht_periode == "2024"
    assert agg.werte.notna().all()

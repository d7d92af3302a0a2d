"""Cockpit-Kacheln: Werte, Veränderungstexte, Ampeln in beide Zielrichtungen, Berlin ohne Vorperiode."""

from __future__ import annotations

import dataclasses

import pytest

from berichte.cockpit import (
    KachelDefinition,
    cockpit_einstellungen,
    cockpit_text,
    kachel_berechnen,
    kacheln_berechnen,
    kacheln_lesen,
    top_und_flop,
)
from berichte.grundlagen import mehrzahl, veraenderung_text
from kommune.fehler import KommuneFehler


def mit_erweiterungen(kommune, **erweiterungen):
    """Eine Kopie der Kommune mit anderen [[kachel]]/[cockpit]-Abschnitten (die Fixture bleibt unverändert)."""
    konf = dataclasses.replace(kommune.konfiguration, erweiterungen=erweiterungen)
    return dataclasses.replace(kommune, konfiguration=konf)


@pytest.fixture(scope="module")
def kacheln_m(musterstadt):
    return {k.id: k for k in kacheln_berechnen(musterstadt, rolle="admin")}  # Rohwerte: die Rechenlogik


def test_musterstadt_hat_die_konfigurierten_kacheln(musterstadt, kacheln_m):
    assert 6 <= len(kacheln_lesen(musterstadt)) <= 10
    assert list(kacheln_m) == [d.id for d in kacheln_lesen(musterstadt)]
    k = kacheln_m["kinderarmut"]
    assert k.wert_text == "16,0 %"
    assert k.periode == "2024" and k.vorperiode == "2023"
    assert k.veraenderung_text == "−0,4 Prozentpunkte seit 2023"
    assert k.pfeil == "↓" and k.veraenderung_bewertung == "besser"
    assert [p for p, _ in k.verlauf] == ["2022", "2023", "2024"]
    assert k.stand == "31.12.2024"
    assert k.ampel == "gelb" and "Toleranz" in k.ampel_text
    assert "Beispiel: Ratsbeschluss 2023/117" in k.ziel_text
    assert k.quelle


def test_anzahl_gebiete_versorgung_erreichbarkeit(kacheln_m):
    v = kacheln_m["viertel_kinderarmut"]
    assert v.wert == 14 and v.von == 109 and len(v.gebiete) == 14
    assert v.veraenderung_text == "−1 seit 2023"
    assert v.aussage.startswith("In 14 von 109 Stadtvierteln liegt „Kinderarmut (SGB II)“ über 25,0 %")
    kita = kacheln_m["kita_plaetze"]
    assert kita.wert_text.startswith("60,5 ") and kita.veraenderung_text == "keine Vorperiode"
    assert "Untergrenze" in kita.hinweis and "01.09.2024" in kita.stand
    e = kacheln_m["kita_erreichbarkeit"]
    assert e.einheit == "Personen" and e.wert > 0 and e.wert % 10 == 0
    assert kacheln_m["sozialindex_sehr_hoch"].von is not None
    assert kacheln_m["gymnasialuebergang"].ampel == "grau"


@pytest.mark.parametrize(
    ("richtung", "ziel", "toleranz", "erwartet"),
    [
        ("hoechstens", 17.0, 0.0, "grün"),
        ("hoechstens", 15.5, 1.0, "gelb"),
        ("hoechstens", 15.0, 0.5, "rot"),
        ("mindestens", 15.0, 0.0, "grün"),
        ("mindestens", 16.5, 1.0, "gelb"),
        ("mindestens", 18.0, 1.0, "rot"),
    ],
)
def test_ampel_in_beide_richtungen(musterstadt, richtung, ziel, toleranz, erwartet):
    d = KachelDefinition(titel="K", indikator="kinderarmut", ziel=ziel, ziel_richtung=richtung, gelb_toleranz=toleranz)
    k = kachel_berechnen(musterstadt, d)
    assert k.ampel == erwartet
    assert k.ampel_text.startswith(erwartet.capitalize() + ":")
    assert ("höchstens" if richtung == "hoechstens" else "mindestens") in k.ziel_text


def test_veraenderungstexte():
    assert veraenderung_text(16.0, 14.8, "2022", einheit="%", art="anteil", stellen=1)[1] == (
        "+1,2 Prozentpunkte seit 2022"
    )
    assert veraenderung_text(1034.0, 1000.0, "2022", einheit="Personen", art="anzahl", stellen=0)[1] == (
        "+3,4 % seit 2022"
    )
    _, text, pfeil = veraenderung_text(16.01, 16.04, "2022", einheit="%", art="anteil", stellen=1)
    assert text == "unverändert seit 2022" and pfeil == "→"
    assert veraenderung_text(5.0, None, None, einheit="%", art="anteil", stellen=1) == (None, "keine Vorperiode", "")
    assert veraenderung_text(3.0, 5.0, "2023", einheit="", art="gebiete", stellen=0)[1] == "−2 seit 2023"


def test_periode_waehlt_aeltere_werte(musterstadt):
    k = kachel_berechnen(musterstadt, KachelDefinition(titel="K", indikator="kinderarmut"), periode="2023")
    assert k.periode == "2023" and k.vorperiode == "2022" and k.stand == "31.12.2023"
    assert len(k.verlauf) == 2


def test_fehler_in_der_konfiguration_sind_deutsch(musterstadt):
    for kachel, teil in [
        ({"titel": "A", "indikator": "gibtsnicht"}, "steht nicht im Indikatorenkatalog"),
        ({"titel": "A", "indikator": "kinderarmut", "farbe": "rot"}, "Unbekannter Schlüssel „farbe“"),
        ({"indikator": "kinderarmut"}, "Pflichtschlüssel „titel“"),
        ({"titel": "A", "indikator": "kinderarmut", "ziel": "viel"}, "muss eine Zahl sein"),
        ({"titel": "A", "art": "anzahl_gebiete", "indikator": "kinderarmut"}, "braucht „schwelle“"),
        ({"titel": "A", "art": "versorgung", "indikator": "kinderarmut"}, "Versorgungsindikator"),
        ({"titel": "A", "indikator": "kinderarmut", "ziel_richtung": "genau"}, "„hoechstens“ oder „mindestens“"),
    ]:
        with pytest.raises(KommuneFehler, match=teil):
            kacheln_lesen(mit_erweiterungen(musterstadt, kachel=[kachel]))
    assert kacheln_berechnen(mit_erweiterungen(musterstadt)) == []


def test_top_und_flop(musterstadt):
    tf = top_und_flop(musterstadt, "kinderarmut", "viertel", n=3, rolle="admin")
    assert len(tf.hoechste) == 3 and len(tf.niedrigste) == 3
    assert tf.hoechste["wert"].is_monotonic_decreasing and tf.niedrigste["wert"].is_monotonic_increasing
    assert tf.hoechste.iloc[0]["rang"] == 1 and tf.hoechste.iloc[0]["wert_text"].endswith("%")
    assert tf.anzahl_mit_wert == 103  # 109 mit Wert, ohne 6 Viertel unter 300 Einwohnern


KLEINE_VIERTEL = {
    "Stadtwald", "Gewerbepark Ziegelei", "Gewerbegebiet Moosfeld", "Güterbahnhof", "Buchenau",
    "Industriegebiet Am Kanal", "Stadtpark",
}  # fmt: skip


@pytest.mark.parametrize("rolle", ["admin", "intern", "oeffentlich"])
def test_top_und_flop_ohne_gebiete_von_fast_niemandem(musterstadt, rolle):
    """Issue 12: „Niedrigste Werte“ begannen mit 0,0 % in Industriegebiet, Güterbahnhof, Stadtpark."""
    tf = top_und_flop(musterstadt, "kinderarmut", "viertel", n=5, rolle=rolle)
    assert not KLEINE_VIERTEL & set(tf.niedrigste["name"]) and not KLEINE_VIERTEL & set(tf.hoechste["name"])
    assert tf.fussnote == "ohne Gebiete unter 300 Einwohnern"
    if rolle != "oeffentlich":
        assert tf.niedrigste[["rang", "name", "wert_text"]].values.tolist()[:3] == [
            [103, "Brunnenwinkel", "1,7 %"],
            [102, "Bachau", "2,1 %"],
            [101, "Sandgrund", "2,2 %"],
        ]
    text = cockpit_text(musterstadt, kacheln=[], rolle=rolle)
    assert "(ohne Gebiete unter 300 Einwohnern)" in text and "Industriegebiet" not in text
    # auf Ebenen ohne so kleine Gebiete: keine Fußnote
    assert top_und_flop(musterstadt, "kinderarmut", "stadtteil", rolle=rolle).fussnote == ""


def test_cockpit_text_musterstadt(musterstadt, kacheln_m):
    text = cockpit_text(musterstadt, kacheln=list(kacheln_m.values()), rolle="admin")
    assert "In 14 von 109 Stadtvierteln" in text
    assert "Prozentpunkte seit 2023" in text
    assert "Zielerreichung" in text
    assert cockpit_einstellungen(musterstadt).titel == "Bildungscockpit Musterstadt"


def test_berlin_ohne_vorperiode(berlin):
    kacheln = {k.id: k for k in kacheln_berechnen(berlin)}
    assert 6 <= len(kacheln) <= 10
    s4 = kacheln["kinderarmut"]
    assert s4.veraenderung_text == "keine Vorperiode" and s4.pfeil == "" and s4.vorwert is None
    assert 20 < s4.wert < 30 and s4.stand == "31.12.2020"  # Stadtwert direkt (kleine ungültige PLR gedeckt)
    status = kacheln["status_sehr_niedrig"]
    assert status.wert == 49 and status.von == 536
    assert kacheln["kinder_6_15"].wert_text == "322.476 Personen"
    text = cockpit_text(berlin, kacheln=list(kacheln.values()))
    assert "von 536 bewerteten Planungsräumen" in text
    assert "nur ein Stand" in text


def test_mehrzahl():
    assert mehrzahl("Planungsraum", "dativ") == "Planungsräumen"
    assert mehrzahl("Bezirksregion") == "Bezirksregionen"
    assert mehrzahl("Stadtviertel", "dativ") == "Stadtvierteln"
    assert mehrzahl("Sprengel", "dativ") == "Sprengeln"


def test_erweiterungsabschnitt_geprueft(musterstadt):
    import dataclasses

    from berichte.sitzung import SitzungsFehler
    from kommune.fehler import KommuneFehler

    konf = dataclasses.replace(musterstadt.konfiguration, erweiterungen={"cockpit": {"titel": "x", "farbe": 1}})
    assert konf.erweiterung("sitzung", {"basis_url"}) == {}
    with pytest.raises(KommuneFehler, match=r"Unbekannter Schlüssel „farbe“ in \[cockpit\]\. Erlaubt sind: a, titel"):
        konf.erweiterung("cockpit", {"titel", "a"})
    kaputt = dataclasses.replace(konf, erweiterungen={"sitzung": ["basis_url"]})
    with pytest.raises(SitzungsFehler, match=r"\[sitzung\] in der kommune.toml muss ein Abschnitt"):
        kaputt.erweiterung("sitzung", {"basis_url"}, SitzungsFehler)

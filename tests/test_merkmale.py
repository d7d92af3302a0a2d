"""Gruppenindikatoren (kommune/merkmale.py): Konfiguration, Katalog, Familien, Lücke, Import lang und breit."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from mini import KATALOG, TOML, WERTE, mini_kommune

from kommune import kommune_laden
from kommune.fehler import KommuneFehler
from kommune.format import indikator_bezeichnung, zahl
from kommune.konfiguration import konfiguration_lesen
from kommune.merkmale import (
    Familie,
    auspraegung_erkennen,
    familie,
    familien,
    gruppen_id,
    gruppenwert,
    luecke,
    luecke_einheit,
    summen,
)
from kommune.pruefung import FEHLER, Zuordnung, lieferung_pruefen

MERKMALE = """
[[merkmal]]
id = "migration"
name = "Migrationshintergrund"
auspraegungen = ["mit", "ohne"]
namen = { mit = "mit Migrationshintergrund", ohne = "ohne Migrationshintergrund" }
summe = true

[[merkmal]]
id = "geschlecht"
name = "Geschlecht"
auspraegungen = ["w", "m"]
namen = { w = "weiblich", m = "männlich" }
summe = true
"""
KOPF, *ZEILEN = KATALOG.strip().splitlines()
GRUPPEN_KATALOG = (
    "\n".join([KOPF + ";basis;merkmal;auspraegung", *(z + ";;;" for z in ZEILEN)])
    + "\n"
    + "kinder__migration_mit;;;Personen;anzahl;;;;0;Rahmenbedingungen;test;;viertel;nein;;kinder;migration;mit\n"
    + "kinder__migration_ohne;;;Personen;anzahl;;;;0;Rahmenbedingungen;test;;viertel;nein;;kinder;migration;ohne\n"
    + "kinder__geschlecht_w;Mädchen;;Personen;anzahl;;;;0;Rahmenbedingungen;test;;viertel;nein;;kinder;geschlecht;w\n"
    + "armut__migration_mit;;;%;anteil;;kinder__migration_mit;;1;Rahmenbedingungen;test;;viertel;nein;;"
    "armut;migration;mit\n"
    + "armut__migration_ohne;;;%;anteil;;kinder__migration_ohne;;1;Rahmenbedingungen;test;;viertel;nein;;"
    "armut;migration;ohne\n"
)
GRUPPEN_WERTE = WERTE + (
    "0101;kinder__migration_mit;2024;40;;\n0102;kinder__migration_mit;2024;200;;\n"
    "0201;kinder__migration_mit;2024;10;;\n"
    "0101;kinder__migration_ohne;2024;60;;\n0102;kinder__migration_ohne;2024;100;;\n"
    "0201;kinder__migration_ohne;2024;40;;\n"
    "0101;armut__migration_mit;2024;20,0;8;40\n0102;armut__migration_mit;2024;40,0;80;200\n"
    "0201;armut__migration_mit;2024;50,0;5;10\n"
    "0101;armut__migration_ohne;2024;3,333;2;60\n0102;armut__migration_ohne;2024;10,0;10;100\n"
    "0201;armut__migration_ohne;2024;12,5;5;40\n"
)


@pytest.fixture(scope="module")
def gruppen(tmp_path_factory):
    ordner = mini_kommune(
        tmp_path_factory.mktemp("gruppen"), toml=TOML + MERKMALE, katalog=GRUPPEN_KATALOG, werte=GRUPPEN_WERTE
    )
    return kommune_laden(ordner)


def _fehler(tmp_path, *, toml: str = TOML + MERKMALE, katalog: str = GRUPPEN_KATALOG) -> str:
    ordner = mini_kommune(tmp_path / "k", toml=toml, katalog=katalog, werte=GRUPPEN_WERTE)
    with pytest.raises(KommuneFehler) as e:
        kommune_laden(ordner)
    return str(e.value)


# --- Konfiguration ---------------------------------------------------------------------------------------------


def test_merkmale_aus_der_kommune_toml(tmp_path):
    konf = konfiguration_lesen(mini_kommune(tmp_path, toml=TOML + MERKMALE))
    assert [m.id for m in konf.merkmale] == ["migration", "geschlecht"]
    m = konf.merkmal("migration")
    assert m.auspraegungen == ("mit", "ohne") and m.summe is True
    assert m.name_von("mit") == "mit Migrationshintergrund" and m.name_von("x") == "x"
    assert konf.merkmal("alter") is None
    assert konfiguration_lesen(mini_kommune(tmp_path / "ohne")).merkmale == ()


@pytest.mark.parametrize(
    ("abschnitt", "erwartet"),
    [
        ('id = "Migration"\nname = "M"\nauspraegungen = ["a", "b"]', "ist ungültig"),
        ('id = "m"\nname = "M"\nauspraegungen = ["a"]', "zwei bis 100"),
        ('id = "m"\nname = "M"\nauspraegungen = [' + ", ".join(f'"a{i}"' for i in range(101)) + "]", "zwei bis 100"),
        ('id = "m"\nname = "M"\nauspraegungen = ["a", "a"]', "„a“ steht in [[merkmal]] „m“ mehrfach"),
        ('id = "m"\nname = "M"\nauspraegungen = ["a", "B C"]', "Die Ausprägung „B C“"),
        ('id = "m"\nname = "M"\nauspraegungen = ["a", "b"]\nnamen = { c = "C" }', "„c“, das keine der"),
        ('id = "m"\nname = "M"\nauspraegungen = ["a", "b"]\nsumme = "ja"', "true oder false"),
        ('id = "m"\nauspraegungen = ["a", "b"]', "Pflichtschlüssel „name“"),
        ('id = "m"\nname = "M"\nauspraegungen = ["a", "b"]\nfarbe = 1', "Unbekannter Schlüssel „farbe“"),
    ],
)
def test_merkmal_fehler_deutsch(tmp_path, abschnitt, erwartet):
    ordner = mini_kommune(tmp_path, toml=TOML + "\n[[merkmal]]\n" + abschnitt + "\n")
    with pytest.raises(KommuneFehler) as e:
        konfiguration_lesen(ordner)
    assert erwartet in str(e.value)


def test_merkmal_doppelt(tmp_path):
    abschnitt = '\n[[merkmal]]\nid = "m"\nname = "M"\nauspraegungen = ["a", "b"]\n'
    with pytest.raises(KommuneFehler, match="mehrfach als"):
        konfiguration_lesen(mini_kommune(tmp_path, toml=TOML + abschnitt * 2))


# --- Katalog ---------------------------------------------------------------------------------------------------


def test_katalog_gruppenspalten_und_namen(gruppen):
    kat = gruppen.katalog
    assert kat.loc["kinder", "merkmal"] == "" and kat.loc["kinder", "basis"] == ""
    gruppe = kat.loc["kinder__migration_mit", ["basis", "merkmal", "auspraegung"]]
    assert tuple(gruppe) == ("kinder", "migration", "mit")
    # leerer Name: „<Basis> – <Ausprägung>“; eigener Name bleibt
    assert indikator_bezeichnung(kat, "kinder__migration_mit") == "Kinder – mit Migrationshintergrund"
    assert indikator_bezeichnung(kat, "armut__migration_ohne") == "Kinderarmut – ohne Migrationshintergrund"
    assert indikator_bezeichnung(kat, "kinder__geschlecht_w") == "Mädchen"


def test_katalog_ohne_gruppenspalten_bleibt_gueltig(tmp_path):
    k = kommune_laden(mini_kommune(tmp_path))
    assert set(k.katalog["merkmal"]) == {""} and familien(k) == []


@pytest.mark.parametrize(
    ("alt", "neu", "erwartet"),
    [
        (";kinder;migration;mit\n", ";kinder;herkunft;mit\n", "Das Merkmal „herkunft“ ist in der kommune.toml nicht"),
        (";kinder;migration;mit\n", ";kinder;migration;teils\n", "Die Ausprägung „teils“ gibt es beim Merkmal"),
        (";kinder;migration;mit\n", ";kinderzahl;migration;mit\n", "Die Basis „kinderzahl“"),
        (";kinder;migration;mit\n", ";;migration;mit\n", "„basis“ ist leer"),
        (";kinder;migration;mit\n", ";kinder;migration;ohne\n", "sind beide „kinder“"),
    ],
)
def test_katalog_gruppen_fehler(tmp_path, alt, neu, erwartet):
    katalog = GRUPPEN_KATALOG.replace(alt, neu, 1)
    assert katalog != GRUPPEN_KATALOG
    text = _fehler(tmp_path, katalog=katalog)
    assert erwartet in text and "katalog.csv" in text


def test_katalog_kreis(tmp_path):
    katalog = GRUPPEN_KATALOG.replace(
        "kinder;Kinder;Kinder unter 15;Personen;anzahl;;;;0;Rahmenbedingungen;test;31.12.2024;viertel;nein;;;;",
        "kinder;Kinder;Kinder unter 15;Personen;anzahl;;;;0;Rahmenbedingungen;test;31.12.2024;viertel;nein;;"
        "kinder__migration_mit;geschlecht;m",
    )
    assert "im Kreis" in _fehler(tmp_path, katalog=katalog)


# --- Familien, Gruppenwert, Lücke ------------------------------------------------------------------------------


def test_familien(gruppen):
    fams = familien(gruppen)
    assert fams == [
        Familie("kinder", "migration", ("kinder__migration_mit", "kinder__migration_ohne"), True, ("mit", "ohne")),
        Familie("kinder", "geschlecht", ("kinder__geschlecht_w",), False, ("w",)),  # „m“ fehlt: keine Summe
        # Anteile addieren sich nicht: keine Summe, auch wenn das Merkmal `summe = true` hat
        Familie("armut", "migration", ("armut__migration_mit", "armut__migration_ohne"), False, ("mit", "ohne")),
    ]
    assert familie(gruppen, "kinder", "geschlecht").glied("m") is None
    assert gruppen_id("einwohner", "migration", "mit") == "einwohner__migration_mit"
    assert summen(gruppen) == [("kinder", ["kinder__migration_mit", "kinder__migration_ohne"])]


def test_gruppenwert_und_summe(gruppen):
    mit = gruppenwert(gruppen, "kinder", "migration", "mit", "viertel", "2024")
    ohne = gruppenwert(gruppen, "kinder", "migration", "ohne", "viertel", "2024")
    assert mit.to_dict() == {"0101": 40.0, "0102": 200.0, "0201": 10.0}
    assert (mit + ohne).to_dict() == {"0101": 100.0, "0102": 300.0, "0201": 50.0}
    bezirk = gruppenwert(gruppen, "kinder", "migration", "mit", "bezirk", "2024")
    assert bezirk.to_dict() == {"01": 240.0, "02": 10.0}
    fehlt = gruppenwert(gruppen, "kinder", "geschlecht", "m", "viertel", "2024")
    assert fehlt.isna().all() and len(fehlt) == 3


def test_luecke_in_prozentpunkten(gruppen):
    diff, verh = luecke(gruppen, "armut", "migration", "mit", "ohne", "viertel", "2024")
    assert diff["0101"] == pytest.approx(20 - 3.333) and verh["0101"] == pytest.approx(20 / 3.333)
    assert diff["0102"] == pytest.approx(30.0) and verh["0102"] == pytest.approx(4.0)
    assert diff["0201"] == pytest.approx(37.5) and verh["0201"] == pytest.approx(4.0)
    # Bezirk 01: Anteile aus Zähler/Nenner neu gebildet: 88/240 = 36,67 % gegen 12/160 = 7,5 %
    diff, verh = luecke(gruppen, "armut", "migration", "mit", "ohne", "bezirk", "2024")
    assert diff["01"] == pytest.approx(100 * 88 / 240 - 7.5) and verh["01"] == pytest.approx((88 / 240) / 0.075)
    assert luecke_einheit(gruppen, "armut") == "Prozentpunkte" and luecke_einheit(gruppen, "kinder") == "Personen"


def test_luecke_ohne_nenner_und_eigene_werte(gruppen):
    import pandas as pd

    werte = {"kinder__migration_mit": [5.0, 0.0, float("nan")], "kinder__migration_ohne": [0.0, 0.0, 3.0]}

    def werte_fn(indikator, ebene, periode):
        return pd.Series(werte[indikator], index=["0101", "0102", "0201"])

    diff, verh = luecke(gruppen, "kinder", "migration", "mit", "ohne", "viertel", "2024", werte_fn=werte_fn)
    assert diff.tolist()[:2] == [5.0, 0.0] and math.isnan(diff["0201"])
    assert verh.isna().all()  # b = 0 oder a unbekannt: kein Verhältnis


def test_auspraegung_erkennen(gruppen):
    m = gruppen.konfiguration.merkmal("migration")
    assert auspraegung_erkennen(m, "mit") == "mit"
    assert auspraegung_erkennen(m, " Ohne  Migrationshintergrund ") == "ohne"
    assert auspraegung_erkennen(m, "Insgesamt") == "" and auspraegung_erkennen(m, "") == ""
    assert auspraegung_erkennen(m, "teils") is None


# --- Import ----------------------------------------------------------------------------------------------------


def _texte(e, stufe=None):
    return " | ".join(str(b) for b in e.protokoll.befunde if stufe is None or b.stufe == stufe)


def test_import_lang_mit_merkmalsspalte(gruppen, tmp_path):
    pfad = tmp_path / "lang.csv"
    pfad.write_text(
        "gebiet;indikator;periode;migration;wert\n"
        "0101;kinder;2025;insgesamt;100\n0101;kinder;2025;mit Migrationshintergrund;40\n"
        "0101;kinder;2025;ohne;60\n"
        "0102;kinder;2025;insgesamt;300\n0102;kinder;2025;mit;150\n0102;kinder;2025;ohne;100\n"
        "0201;kinder;2025;;50\n0201;kinder;2025;mit;20\n0201;kinder;2025;ohne;30\n",
        encoding="utf-8",
    )
    e = lieferung_pruefen(gruppen, pfad, Zuordnung(ebene="viertel"))
    assert e.zuordnung.merkmal_spalte == "migration" and e.zuordnung.merkmal == "migration"
    assert not e.protokoll.fehler, _texte(e, FEHLER)
    lang = e.lieferung.lang.set_index(["gebiet", "indikator"])["wert"]
    assert lang[("0101", "kinder")] == 100 and lang[("0101", "kinder__migration_mit")] == 40
    assert lang[("0102", "kinder__migration_ohne")] == 100 and lang[("0201", "kinder")] == 50
    assert len(lang) == 9
    # 150 + 100 ≠ 300: Warnung mit Gebiet und Zahlen; die stimmigen Gebiete bleiben ohne Befund
    w = [b.text for b in e.protokoll.warnungen if b.pruefung == "summe"]
    assert w == [
        "Teile ergeben nicht die Summe: „kinder“ = 300, aber kinder__migration_mit + kinder__migration_ohne = 250 "
        "(Gebiet „0102“, 2025)."
    ]


def test_import_lang_unbekannte_auspraegung(gruppen, tmp_path):
    pfad = tmp_path / "lang.csv"
    pfad.write_text(
        "gebiet;indikator;periode;migration;wert\n0101;kinder;2025;mit;40\n0102;kinder;2025;teils;5\n",
        encoding="utf-8",
    )
    e = lieferung_pruefen(gruppen, pfad, Zuordnung(ebene="viertel"))
    f = [b for b in e.protokoll.fehler if b.pruefung == "auspraegung_unbekannt"]
    assert len(f) == 1 and f[0].zeile == 3 and f[0].spalte == "migration"
    assert "„teils“ ist keine Ausprägung des Merkmals „Migrationshintergrund“" in f[0].text


def test_import_lang_ohne_summe_bei_unvollstaendiger_familie(gruppen, tmp_path):
    """Geschlecht: nur „w“ im Katalog → keine Summenprüfung; „m“ fehlt im Katalog → benannter Fehler."""
    pfad = tmp_path / "lang.csv"
    pfad.write_text(
        "gebiet;indikator;periode;geschlecht;wert\n0101;kinder;2025;insgesamt;100\n0101;kinder;2025;weiblich;70\n"
        "0101;kinder;2025;männlich;20\n",
        encoding="utf-8",
    )
    e = lieferung_pruefen(gruppen, pfad, Zuordnung(ebene="viertel"))
    assert e.zuordnung.merkmal == "geschlecht"
    assert "Der Indikator „kinder__geschlecht_m“ steht nicht im Indikatorenkatalog" in _texte(e, FEHLER)
    assert "Teile ergeben nicht die Summe" not in _texte(e)


def test_import_breit_spalten_je_auspraegung(gruppen, tmp_path):
    pfad = tmp_path / "breit.csv"
    pfad.write_text(
        "Schlüssel;Jahr;Kinder;mit Migrationshintergrund;ohne Migrationshintergrund;Quote\n"
        "0101;2025;100;40;60;10\n0102;2025;300;200;90;30\n0201;2025;50;10;40;20\n",
        encoding="utf-8",
    )
    e = lieferung_pruefen(gruppen, pfad, Zuordnung(ebene="viertel"))
    z = e.zuordnung
    assert z.format == "breit" and z.merkmal == "migration" and z.basis == "kinder"
    assert z.spalten == {
        "Kinder": "kinder",
        "mit Migrationshintergrund": "kinder__migration_mit",
        "ohne Migrationshintergrund": "kinder__migration_ohne",
        "Quote": "quote",  # weitere Indikatoren der Lieferung bleiben erhalten
    }
    assert not e.protokoll.fehler, _texte(e, FEHLER)
    lang = e.lieferung.lang.set_index(["gebiet", "indikator"])["wert"]
    assert lang[("0102", "kinder__migration_ohne")] == 90 and lang[("0201", "quote")] == 20 and len(lang) == 12
    w = [b for b in e.protokoll.warnungen if b.pruefung == "summe"]
    assert len(w) == 1 and "„kinder“ = 300, aber kinder__migration_mit + kinder__migration_ohne = 290" in w[0].text
    # Die Zuordnung lässt sich speichern und wieder lesen (nächste Lieferung)
    from kommune.pruefung import zuordnung_aus_text

    wieder = zuordnung_aus_text(z.toml())
    assert (wieder.merkmal, wieder.basis, wieder.spalten) == ("migration", "kinder", z.spalten)


def test_import_breit_mit_basis_aus_der_zuordnung(gruppen, tmp_path):
    """Ohne Spalte für den Gesamtwert: die Basis kommt aus der Zuordnung (`basis`)."""
    pfad = tmp_path / "breit.csv"
    pfad.write_text("gebiet;periode;mit;ohne\n0101;2025;41;59\n", encoding="utf-8")
    e = lieferung_pruefen(gruppen, pfad, Zuordnung(ebene="viertel", merkmal="migration", basis="armut"))
    assert e.zuordnung.spalten == {"mit": "armut__migration_mit", "ohne": "armut__migration_ohne"}
    assert not e.protokoll.fehler, _texte(e, FEHLER)


# --- Berlin (echte Daten: Einwohnerregister 31.12.2024, Tabellen 1–3) -------------------------------------------


def test_berlin_familien(berlin):
    fams = {(f.basis, f.merkmal): f for f in familien(berlin)}
    assert set(fams) == {
        ("inhabitants", "migration"),
        ("inhabitants", "staatsangehoerigkeit"),
        ("inhabitants", "alter"),
        ("inhabitants", "geschlecht"),
        ("inhabitants_germans", "migration"),
        ("inhabitants_with_migration_background", "alter"),
        ("inhabitants_with_migration_background", "geschlecht"),
    }
    vollstaendig = {k for k, f in fams.items() if f.summe}
    assert vollstaendig == {
        ("inhabitants", "migration"),
        ("inhabitants", "staatsangehoerigkeit"),
        ("inhabitants", "alter"),
        ("inhabitants_with_migration_background", "alter"),
    }
    assert fams[("inhabitants", "migration")].glieder == (
        "inhabitants_with_migration_background",
        "inhabitants_germans_without_migration_background",
    )
    assert len(fams[("inhabitants", "alter")].glieder) == 8
    assert indikator_bezeichnung(berlin.katalog, "inhabitants_with_migration_background") == (
        "Einwohner mit Migrationshintergrund"
    )


def test_berlin_summe_der_auspraegungen_gleich_gesamt(berlin):
    """Je Planungsraum (542) und Bezirk: die Gruppen jeder vollständigen Familie ergeben genau den Gesamtwert."""
    from kommune.werte import werte

    geprueft = 0
    for f in (f for f in familien(berlin) if f.summe):
        for ebene in ("planungsraum", "bezirk"):
            gesamt = werte(berlin, f.basis, ebene, "2024")
            teile = sum(werte(berlin, g, ebene, "2024") for g in f.glieder)
            assert gesamt.notna().all() and len(gesamt) == {"planungsraum": 542, "bezirk": 12}[ebene]
            assert (gesamt - teile).abs().max() == 0, (f, ebene)
            geprueft += len(gesamt)
    assert geprueft == 4 * (542 + 12)


def test_berlin_luecke_migration(berlin):
    """Berlin insgesamt 3.897.145 Einwohner, 41,1 % mit Migrationshintergrund (MANIFEST); Lücke je Bezirk."""
    from kommune.werte import gesamtwert

    mit = gesamtwert(berlin, "inhabitants_with_migration_background", "2024")
    ohne = gesamtwert(berlin, "inhabitants_germans_without_migration_background", "2024")
    assert mit + ohne == gesamtwert(berlin, "inhabitants", "2024") == 3_897_145
    assert 100 * mit / (mit + ohne) == pytest.approx(41.1, abs=0.05)
    diff, verh = luecke(berlin, "inhabitants", "migration", "mit", "ohne", "bezirk", "2024")
    mit_b = gruppenwert(berlin, "inhabitants", "migration", "mit", "bezirk", "2024")
    ohne_b = gruppenwert(berlin, "inhabitants", "migration", "ohne", "bezirk", "2024")
    assert (diff == mit_b - ohne_b).all() and verh.to_numpy() == pytest.approx((mit_b / ohne_b).to_numpy())
    assert diff.sum() == mit - ohne and luecke_einheit(berlin, "inhabitants") == "Personen"
    # Mitte (01) hat mehr Einwohner mit als ohne Migrationshintergrund, Treptow-Köpenick (09) deutlich weniger
    assert verh["01"] > 1 > verh["09"]


# --- Musterstadt und Musterkreis (sample_data/gruppen_muster.py) ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "ebene", "mh"), [("musterstadt", "viertel", (0.25, 0.40)), ("musterkreis", "gemeinde", (0.12, 0.30))]
)
def test_beispielkommunen_gruppen(name, ebene, mh):
    from kommune.werte import gesamtwert, werte

    k = kommune_laden(name)
    fams = {(f.basis, f.merkmal): f for f in familien(k)}
    assert set(fams) == {
        ("einwohner", "migration"),
        ("einwohner", "geschlecht"),
        ("kinder_u6", "migration"),
        ("gymnasialuebergang", "migration"),
    }
    assert [f.summe for f in fams.values()] == [True, True, True, False]
    for f in (f for f in fams.values() if f.summe):
        for periode in ("2022", "2023", "2024"):
            gesamt = werte(k, f.basis, ebene, periode)
            assert (gesamt - sum(werte(k, g, ebene, periode) for g in f.glieder)).abs().max() == 0, (f, periode)
    ew = gesamtwert(k, "einwohner", "2024")
    assert mh[0] < gesamtwert(k, "einwohner__migration_mit", "2024") / ew < mh[1]
    assert 0.49 < gesamtwert(k, "einwohner__geschlecht_weiblich", "2024") / ew < 0.52
    # kleine Zellen, damit die Geheimhaltung etwas zu tun hat
    kinder = werte(k, "kinder_u6__migration_mit", ebene, "2024")
    assert 1 <= int((kinder < 5).sum()) < len(kinder) / 4
    # Übertritt an das Gymnasium: Lücke zulasten der Kinder mit Migrationshintergrund (10 bis 20 Prozentpunkte)
    mit = gesamtwert(k, "gymnasialuebergang__migration_mit", "2024")
    ohne = gesamtwert(k, "gymnasialuebergang__migration_ohne", "2024")
    assert 10 < ohne - mit < 20
    basisname = k.katalog.loc["gymnasialuebergang", "name"]
    assert indikator_bezeichnung(k.katalog, "gymnasialuebergang__migration_mit") == (
        f"{basisname} – mit Migrationshintergrund"
    )


# --- Ansichten: Aufschlüsselung im Gebietsprofil, Lücke auf der Karte (mit Geheimhaltung) --------------------


def test_aufschluesselung_berlin_oeffentlich(berlin):
    from berichte.gruppen import aufschluesselung, familien_mit_werten, titel

    fams = {(f.basis, f.merkmal): (f, p) for f, p in familien_mit_werten(berlin, None)}
    f, periode = fams[("inhabitants", "migration")]
    assert periode == "2024" and titel(berlin, f) == "Einwohner nach Migrationshintergrund"
    t = aufschluesselung(berlin, f, "planungsraum", "01100101", periode).set_index("Gruppe")
    assert t.loc["Gesamt", "Gebiet"] == "3.580 Personen" and t.loc["Gesamt", "Anteil"] == "100,0 %"
    assert t.loc["mit Migrationshintergrund", "Gebiet"] == "2.404 Personen"
    assert t.loc["mit Migrationshintergrund", "Anteil"] == "67,2 %"
    assert t.loc["ohne Migrationshintergrund", "Anteil"] == "32,8 %"
    assert t.loc["mit Migrationshintergrund", "Gesamtstadt"] == "1.601.865 Personen"
    alter = aufschluesselung(berlin, fams[("inhabitants", "alter")][0], "bezirk", "01", "2024")
    assert len(alter) == 9 and alter["Gruppe"].iloc[1] == "unter 6 Jahren"


def test_aufschluesselung_sperrt_kleine_gebiete(musterstadt):
    """Ein Viertel unter 300 Einwohnern: Gruppen und ihre Anteile gesperrt, für admin sichtbar."""
    from berichte.gruppen import aufschluesselung
    from kommune.werte import werte

    ew = werte(musterstadt, "einwohner", "viertel", "2024")
    klein = ew.idxmin()
    assert ew[klein] < 300
    f = familie(musterstadt, "einwohner", "migration")
    oeffentlich = aufschluesselung(musterstadt, f, "viertel", klein, "2024").set_index("Gruppe")
    assert list(oeffentlich.loc[["mit Migrationshintergrund", "ohne Migrationshintergrund"], "Gebiet"]) == [".", "."]
    assert list(oeffentlich.loc[["mit Migrationshintergrund", "ohne Migrationshintergrund"], "Anteil"]) == [".", "."]
    admin = aufschluesselung(musterstadt, f, "viertel", klein, "2024", rolle="admin").set_index("Gruppe")
    mit = werte(musterstadt, "einwohner__migration_mit", "viertel", "2024")[klein]
    assert admin.loc["mit Migrationshintergrund", "Gebiet"] == f"{int(mit)} Personen"


@pytest.mark.parametrize("mass", ["differenz", "verhaeltnis"])
def test_luecke_und_maske_nur_aus_sichtbaren_werten(musterstadt, mass):
    from berichte.grundlagen import werte_und_maske
    from berichte.gruppen import gesamtluecke, luecke_und_maske

    f = familie(musterstadt, "gymnasialuebergang", "migration")
    lu = luecke_und_maske(musterstadt, f, "mit", "ohne", "viertel", "2024", mass=mass)
    wa, ma = werte_und_maske(musterstadt, f.glieder[0], "viertel", "2024")
    wb, mb = werte_und_maske(musterstadt, f.glieder[1], "viertel", "2024")
    assert (lu.gesperrt == (ma | mb)).all() and lu.gesperrt.any() and (~lu.gesperrt).sum() >= 10
    assert lu.werte[lu.gesperrt].isna().all()
    erwartet = (wa - wb) if mass == "differenz" else (wa / wb.where(wb != 0))
    sichtbar = ~lu.gesperrt & erwartet.notna()
    assert lu.werte[sichtbar].to_numpy() == pytest.approx(erwartet[sichtbar].to_numpy())
    assert lu.einheit == ("Prozentpunkte" if mass == "differenz" else "")
    gesamt = gesamtluecke(musterstadt, f, "mit", "ohne", "2024", mass=mass)
    assert gesamt == pytest.approx(-17.2, abs=0.05) if mass == "differenz" else gesamt == pytest.approx(0.652, abs=1e-3)


def test_gruppenwert_in_der_auswahl_lesbar(musterstadt):
    from oberflaeche.bausteine import indikator_optionen

    ids, texte, _ = indikator_optionen(musterstadt, None)
    assert "einwohner__migration_mit" in ids
    assert texte["einwohner__migration_mit"].endswith("Einwohnerinnen und Einwohner – mit Migrationshintergrund")
    assert "__" not in "".join(texte.values())


def _app(kommune, rolle="oeffentlich", **params):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import PROJEKT

    at = AppTest.from_file(str(PROJEKT / "app.py"), default_timeout=120)
    at.session_state["demo_rolle"] = rolle
    at.query_params["kommune"] = kommune
    for k, v in params.items():
        at.query_params[k] = v
    return at


def test_seite_gebietsprofil_zeigt_aufschluesselung(berlin):
    at = _app("berlin", ebene="planungsraum", gebiet="01100101")
    at.run()
    at.switch_page("seiten/gebietsprofil.py").run()
    assert not at.exception, at.exception
    assert any(s.value == "Aufschlüsselung nach Gruppen" for s in at.subheader)
    tabellen = [d.value for d in at.dataframe if "Gruppe" in d.value.columns]
    assert len(tabellen) == 7  # alle Familien Berlins, auch unvollständige (nur weiblich)
    mig = next(t for t in tabellen if "mit Migrationshintergrund" in set(t["Gruppe"]))
    assert mig.set_index("Gruppe").loc["mit Migrationshintergrund", "Anteil"] == "67,2 %"
    luecken = next(d.value for d in at.dataframe if "Lücke" in d.value.columns).set_index("Einheit")
    assert set(luecken.index) >= {"Personen", "Verhältnis"}
    zeile = luecken[luecken["Lücke"].str.contains("mit Migrationshintergrund ÷ ohne")].iloc[0]
    from kommune.werte import werte

    mit, ohne = (werte(berlin, i, "planungsraum", "2024")["01100101"] for i in (
        "inhabitants_with_migration_background", "inhabitants_germans_without_migration_background"))
    assert mit > 0 and ohne > 0  # Werte aus den echten Berliner Tabellen
    assert zeile.iloc[1] == zahl(mit / ohne, 2) == "2,04"  # 67,2 % mit Migrationshintergrund


def test_seite_karte_luecke(musterstadt):
    at = _app("musterstadt", ebene="viertel", indikator="gymnasialuebergang__migration_mit")
    at.run()
    at.switch_page("seiten/karte.py").run()
    assert not at.exception, at.exception
    at.toggle(key="karte_luecke").set_value(True).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    texte = "\n".join(str(m.value) for m in [*at.markdown, *at.caption])
    assert "mit Migrationshintergrund − ohne Migrationshintergrund" in texte
    assert "Prozentpunkte" in texte
    at.radio(key="karte_mass").set_value("verhaeltnis").run()
    assert not at.exception, at.exception
    assert "mit Migrationshintergrund ÷ ohne Migrationshintergrund" in "\n".join(str(m.value) for m in at.markdown)


def test_lueckentabelle_und_vergleich(musterstadt):
    from berichte.gruppen import lueckentabelle
    from kommune.werte import werte

    ew = werte(musterstadt, "einwohner", "viertel", "2024")
    gross, klein = ew.idxmax(), ew.idxmin()
    t = lueckentabelle(musterstadt, "viertel", [gross, klein], None).set_index("Einheit")
    namen = musterstadt.gebiete["viertel"]["name"]
    mit = werte(musterstadt, "einwohner__migration_mit", "viertel", "2024")[gross]
    ohne = werte(musterstadt, "einwohner__migration_ohne", "viertel", "2024")[gross]
    zeile = t[t["Lücke"].str.startswith("Einwohnerinnen und Einwohner: mit")].iloc[0]
    assert zeile[namen[gross]] == zahl(mit - ohne, 0) and zeile[namen[klein]] == "."
    verhaeltnis = t[t["Lücke"].str.startswith("Einwohnerinnen und Einwohner: mit Migrationshintergrund ÷")].iloc[0]
    assert verhaeltnis[namen[gross]] == zahl(mit / ohne, 2) and verhaeltnis[namen[klein]] == "."
    assert list(t.index) == ["Personen", "Verhältnis"] * 3 + ["Prozentpunkte", "Verhältnis"]
    at = _app("musterstadt", ebene="viertel")
    at.run()
    at.switch_page("seiten/vergleich.py").run()
    assert not at.exception, at.exception
    assert any(s.value == "Lücken zwischen Gruppen" for s in at.subheader)


def test_import_lang_wird_version_mit_gruppen(tmp_path):
    """Ende zu Ende: lange Lieferung mit Merkmalsspalte → Datenversion; die Gruppen sind danach Indikatoren."""
    import shutil

    from freigabe.__main__ import main
    from kommune import versionen as vs
    from kommune.werte import werte
    from tests.conftest import PROJEKT

    kopie = Path(shutil.copytree(PROJEKT / "sample_data" / "musterstadt", tmp_path / "musterstadt"))
    k = kommune_laden(kopie)
    ew = werte(k, "einwohner", "viertel", "2024").astype(int)
    zeilen = ["Viertel;Indikator;Jahr;Migrationshintergrund;Anzahl"]
    for g, n in ew.items():
        mit = n // 3
        zeilen += [
            f"{g};einwohner;2025;insgesamt;{n}",
            f"{g};einwohner;2025;mit;{mit}",
            f"{g};einwohner;2025;ohne;{n - mit}",
        ]
    (tmp_path / "lieferung.csv").write_text("\n".join(zeilen) + "\n", encoding="utf-8")
    assert main(["import", str(kopie), str(tmp_path / "lieferung.csv"), "--user", "Test"]) == 0
    v = vs.manifest_lesen(kopie)["versionen"][0]
    assert v["zeilen"] == 3 * len(ew) and v["pruefprotokoll"]["fehler"] == 0
    assert v["indikatoren"] == ["einwohner", "einwohner__migration_mit", "einwohner__migration_ohne"]
    neu = vs.kommune_mit_version(kommune_laden(kopie))
    mit = werte(neu, "einwohner__migration_mit", "stadtbezirk", "2025")
    ohne = werte(neu, "einwohner__migration_ohne", "stadtbezirk", "2025")
    assert ((mit + ohne) == werte(neu, "einwohner", "stadtbezirk", "2025")).all()
    assert werte(neu, "einwohner__migration_mit", "viertel", "2025").equals(
        (ew // 3).astype(float).rename("einwohner__migration_mit")
    )


def test_import_breit_ohne_erkennbare_basis_nennt_den_ausweg(musterstadt, tmp_path):
    """Musterstadt hat drei Familien nach Migrationshintergrund: ohne Gesamtspalte fragt das Protokoll nach „basis“."""
    pfad = tmp_path / "breit.csv"
    pfad.write_text("gebiet_id;periode;mit;ohne\n010101;2025;41;59\n", encoding="utf-8")
    e = lieferung_pruefen(musterstadt, pfad, Zuordnung(ebene="viertel"))
    assert not e.protokoll.ok
    h = [b.text for b in e.protokoll.befunde if b.pruefung == "gruppen_basis"]
    assert h == [
        "Die Spalten „mit“, „ohne“ sind Ausprägungen des Merkmals „Migrationshintergrund“, aber der Gesamtindikator "
        "ist nicht erkennbar: bitte in der Zuordnung „basis“ angeben (z. B. einwohner, kinder_u6, gymnasialuebergang)."
    ]
    e = lieferung_pruefen(musterstadt, pfad, Zuordnung(ebene="viertel", basis="kinder_u6"))
    assert e.protokoll.ok and set(e.lieferung.lang["indikator"]) == {
        "kinder_u6__migration_mit",
        "kinder_u6__migration_ohne",
    }


def test_import_breit_mehrdeutige_basis(gruppen, tmp_path):
    """„Kinder“ und „Kinderarmut“ sind beide Basis einer Familie: welche „mit/ohne“ meint, sagt die Zuordnung."""
    pfad = tmp_path / "breit.csv"
    pfad.write_text("Schlüssel;Jahr;Kinder;Kinderarmut;mit;ohne\n0101;2025;100;10;40;60\n", encoding="utf-8")
    e = lieferung_pruefen(gruppen, pfad, Zuordnung(ebene="viertel"))
    assert any(b.pruefung == "gruppen_basis" for b in e.protokoll.befunde)
    e = lieferung_pruefen(gruppen, pfad, Zuordnung(ebene="viertel", basis="kinder"))
    assert e.zuordnung.spalten == {
        "Kinder": "kinder",
        "Kinderarmut": "armut",
        "mit": "kinder__migration_mit",
        "ohne": "kinder__migration_ohne",
    }


def test_profil_html_mit_aufschluesselung(musterstadt):
    from berichte.profilbericht import profil_html
    from kommune.werte import werte

    ew = werte(musterstadt, "einwohner", "viertel", "2024")
    klein = ew.idxmin()
    html = profil_html(musterstadt, "viertel", klein, mit_diagrammen=False)
    teil = html[html.index("<h2>Aufschlüsselung nach Gruppen</h2>") :]
    teil = teil[: teil.index("<h2>", 5)]
    assert teil.count("<table>") == 5  # vier Familien und die Lücken der drei mit zwei Gruppen
    assert "<h3>Lücken zwischen Gruppen</h3>" in teil and "Verhältnis: erste ÷ zweite" in teil
    mit = int(werte(musterstadt, "einwohner__migration_mit", "viertel", "2024")[klein])
    assert f">{mit} Personen<" not in teil and '<td class="zahl">.</td>' in teil
    # eine eigene Sperrregel des Berichts gilt auch für die Aufschlüsselung
    gross = ew.idxmax()
    sperren = lambda s: s.where(~s.index.str.startswith("einwohner__"))  # noqa: E731
    html = profil_html(musterstadt, "viertel", gross, mit_diagrammen=False, sperren=sperren)
    mit = int(werte(musterstadt, "einwohner__migration_mit", "viertel", "2024")[gross])
    assert f">{zahl(mit, 0)} Personen<" not in html
    ohne = int(werte(musterstadt, "einwohner__migration_ohne", "viertel", "2024")[gross])
    luecken = html[html.index("<h3>Lücken zwischen Gruppen</h3>") :]
    luecken = luecken[: luecken.index("</table>")]
    assert zahl(mit - ohne, 0) not in luecken and zahl(mit / ohne, 2) not in luecken  # die Lücke ebenso
    assert luecken.count('<td class="zahl">.</td>') >= 4
    ohne_regel = profil_html(musterstadt, "viertel", gross, mit_diagrammen=False)
    assert f'<td class="zahl">{zahl(mit - ohne, 0)}</td>' in ohne_regel  # ohne die Regel steht sie da


@pytest.mark.parametrize("seed", [0, 17, 29])
def test_zufallskommune_karte_luecke_jede_ebene(seed, tmp_path, monkeypatch):
    """Erzeugte Kommunen mit Gruppen (auch mit Einzugsbereichen): die Lücke auf jeder Ebene, ohne Fehler."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import PROJEKT
    from tests.daten.zufallskommune import zufallskommune

    b = zufallskommune(tmp_path / "k", seed)
    assert b.gruppen
    monkeypatch.setenv("BILDUNGSMONITOR_KOMMUNE", str(b.ordner))
    at = AppTest.from_file(str(PROJEKT / "app.py"), default_timeout=60)
    at.session_state["demo_rolle"] = "oeffentlich"
    at.query_params["indikator"] = "einwohner"
    at.run()
    at.switch_page("seiten/karte.py").run()
    at.toggle(key="karte_luecke").set_value(True).run()
    for ebene in [*b.gebiete, *b.bereiche]:
        at.sidebar.selectbox(key=f"sb_ebene_{b.ordner}").set_value(ebene).run()
        assert not at.exception, (ebene, at.exception)
        assert not at.error, (ebene, [e.value for e in at.error])
        assert "Einwohner: weiblich − männlich" in "\n".join(str(m.value) for m in at.markdown)

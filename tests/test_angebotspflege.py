"""Angebotsregister und Angebotspflege: Schema, Lieferungen (XLSX, CSV, GeoJSON, GPKG), Träger-Vorschläge,
Prüfung durch das Bildungsbüro als neue Datenversion – mit Dateien und mit PostgreSQL/PostGIS."""

from __future__ import annotations

import io
import math
import shutil
from datetime import date
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import shapely

from kommune import angebotspflege as pflege
from kommune.angebotsregister import (
    FELDER,
    SPALTEN,
    datum_lesen,
    felder_tabelle,
    register_csv,
    register_xlsx,
    registerdatei_lesen,
    zeile_lesen,
)
from kommune.dateiablage import DateiAblage
from kommune.fehler import KommuneFehler
from kommune.laden import kommune_laden
from tests.conftest import PROJEKT
from tests.datenbank_hilfe import datenbank_fall, testdatenbank  # noqa: F401 (Fixture)

MUSTERSTADT = PROJEKT / "sample_data" / "musterstadt"


def _gueltig(**werte):
    basis = {"traeger_id": "vhs", "traeger": "VHS", "name": "Kurs", "kategorie": "Sprachkurs"}
    return zeile_lesen({**basis, **werte})


# -- Schema ------------------------------------------------------------------------------------------------------


def test_schema_dokumentiert_jedes_feld():
    doku = (PROJEKT / "docs" / "angebotsregister.md").read_text(encoding="utf-8")
    for f in FELDER:
        assert f"`{f.id}`" in doku and f.titel in doku, f.id
    tabelle = felder_tabelle()
    assert list(tabelle["Feld"]) == list(SPALTEN) and (tabelle["Öffentlich"] == "nein").sum() == 1


@pytest.mark.parametrize(
    ("roh", "iso"),
    [("31.12.2024", "2024-12-31"), ("1.3.2025", "2025-03-01"), ("2024-12-31", "2024-12-31"),
     (45657, "2024-12-31"), (date(2025, 1, 2), "2025-01-02"), ("", ""), ("31.02.2024", None), ("morgen", None)],
)  # fmt: skip
def test_datum_lesen(roh, iso):
    assert datum_lesen(roh) == iso


def test_zeile_lesen_normalisiert_und_benennt_fehler():
    werte, fehler = _gueltig(
        alter_von="6", alter_bis="12,5", zielgruppen="eltern, Neuzugewanderte; Eltern", sprachniveau="a1; B1",
        kostenfrei="x", barrierefrei="Teilweise", lon="13,405", lat="52.52", gueltig_bis="31.12.2027",
    )  # fmt: skip
    assert fehler == []
    assert (werte["alter_von"], werte["alter_bis"]) == (6.0, 12.5)
    assert werte["zielgruppen"] == "Eltern; Neuzugewanderte" and werte["sprachniveau"] == "A1; B1"
    assert (werte["kostenfrei"], werte["barrierefrei"]) == ("ja", "teilweise")
    assert (werte["lon"], werte["lat"], werte["gueltig_bis"]) == (13.405, 52.52, "2027-12-31")
    _, fehler = _gueltig(
        email="keine-adresse", web="javascript:alert(1)", alter_von=10, alter_bis=6, sprachniveau="D4",
        gueltig_von="2026-01-01", gueltig_bis="2025-01-01", telefon="<b>",
    )  # fmt: skip
    felder = {f for f, _ in fehler}
    assert felder == {"email", "web", "alter_bis", "sprachniveau", "gueltig_bis", "telefon"}
    _, fehler = zeile_lesen({"name": "nur Name"})
    assert {f for f, _ in fehler} == {"traeger_id", "traeger", "kategorie"}


def test_registerdatei_rundweg_ohne_verlust():
    k = kommune_laden("musterstadt")
    register = pflege.register_aus_kommune(k)
    assert len(register) == 80 and register["id"].is_unique
    fehler: list = []
    wieder = registerdatei_lesen(register_csv(register), k.gebiete, k.konfiguration.crs, lambda *f: fehler.append(f))
    assert fehler == []
    a = register.sort_values("id").reset_index(drop=True)
    b = pd.DataFrame(wieder[list(SPALTEN)]).sort_values("id").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)


# -- Lieferungen ---------------------------------------------------------------------------------------------------


def _xlsx(tmp_path: Path, zeilen: list[list], kopf: list[str]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Angebote der VHS, Stand Oktober"])  # Titelzeile
    ws.append(kopf)
    for z in zeilen:
        ws.append(z)
    pfad = tmp_path / "angebote.xlsx"
    wb.save(pfad)
    return pfad


def test_xlsx_lieferung_mit_pruefprotokoll(tmp_path):
    k = kommune_laden("musterstadt")
    gebiet = k.gebiete["viertel"].index[3]
    kopf = ["Träger-ID", "Träger", "Name", "Kategorie", "Längengrad", "Breitengrad", "Gebietsschlüssel", "E-Mail",
            "Alter von", "Farbe"]  # fmt: skip
    zeilen = [
        ["vhs", "VHS", "Deutsch A1", "Sprachkurs", "11,70", "48,17", None, "a@b.de", 16, "rot"],
        ["vhs", "VHS", "Kurs im Gebiet", "Sprachkurs", None, None, gebiet, None, None, None],
        ["vhs", "VHS", "Kein Ort", "Sprachkurs", None, None, None, None, None, None],
        ["vhs", "VHS", "Falsche Mail", "Sprachkurs", "11,70", "48,17", None, "kaputt", None, None],
        ["vhs", "VHS", "Berlin", "Sprachkurs", "13,40", "52,52", None, None, None, None],
        ["vhs", "VHS", "<script>alert(1)</script>", "Sprachkurs", "11,70", "48,17", None, None, "=1+1", None],
    ]
    lieferung = pflege.lieferung_pruefen(_xlsx(tmp_path, zeilen, kopf), k)
    p = lieferung.protokoll
    assert list(lieferung.register["name"]) == ["Deutsch A1", "Kurs im Gebiet"]
    fehler = {(b.zeile, b.spalte) for b in p.fehler}
    assert {z for z, _ in fehler} == {5, 6, 7, 8}  # Dateizeilen (Titel = 1, Kopf = 2)
    assert (6, "E-Mail") in fehler and (7, "Längengrad") in fehler  # außerhalb der Kommune
    assert any(b.pruefung == "html" for b in p.hinweise) and any(b.spalte == "Farbe" for b in p.warnungen)
    assert "übernehmbar" in p.zeilenbilanz and p.bilanz["titel"] == 1
    lage = lieferung.register.set_index("name")
    assert lage.loc["Kurs im Gebiet", "lage"] == "gebiet" and lage.loc["Kurs im Gebiet", "gebiet"] == gebiet
    assert k.gebiete["viertel"].geometry[gebiet].contains(lieferung.register.geometry.iloc[1])


def test_csv_und_geodateien(tmp_path):
    k = kommune_laden("musterstadt")
    csv = "Träger-ID;Träger;Name;Kategorie;Längengrad;Breitengrad;Plätze\nvhs;VHS;Kurs;Sprachkurs;11,7;48,17;1.200\n"
    (tmp_path / "a.csv").write_text(csv, encoding="cp1252")
    lief = pflege.lieferung_pruefen(tmp_path / "a.csv", k)
    assert lief.protokoll.ok and lief.register["kapazitaet"].tolist() == [1200.0]
    punkt = shapely.Point(11.7, 48.17)
    gdf = gpd.GeoDataFrame({"traeger_id": ["vhs"], "traeger": ["VHS"], "name": ["Geo"], "kategorie": ["Kultur"]},
                           geometry=[punkt], crs="EPSG:4326")  # fmt: skip
    gdf.to_file(tmp_path / "a.geojson", driver="GeoJSON")
    gdf.to_crs(k.konfiguration.crs).to_file(tmp_path / "a.gpkg", layer="angebote")
    for datei in ("a.geojson", "a.gpkg"):
        lief = pflege.lieferung_pruefen(tmp_path / datei, k)
        assert lief.protokoll.ok, lief.protokoll.text()
        assert math.isclose(lief.register["lon"].iloc[0], 11.7, abs_tol=1e-6)


def test_formelzelle_wird_abgelehnt(tmp_path):
    k = kommune_laden("musterstadt")
    pfad = _xlsx(tmp_path, [["vhs", "VHS", "=HYPERLINK(\"http://x\")", "Sprachkurs", "11,7", "48,17"]],
                 ["Träger-ID", "Träger", "Name", "Kategorie", "Längengrad", "Breitengrad"])  # fmt: skip
    lief = pflege.lieferung_pruefen(pfad, k)
    assert lief.register.empty and any(b.pruefung == "formel" for b in lief.protokoll.fehler)


def test_xlsx_rundweg_des_registers(tmp_path):
    k = kommune_laden("musterstadt")
    register = pflege.register_aus_kommune(k)
    (tmp_path / "r.xlsx").write_bytes(register_xlsx(register))
    lief = pflege.lieferung_pruefen(tmp_path / "r.xlsx", k)
    assert lief.protokoll.ok and len(lief.register) == len(register) == 80
    assert set(lief.register["id"]) == set(register["id"])
    assert openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames == ["Angebote", "Felder"]


# -- Vorschläge und Prüfung, beide Ablagen ------------------------------------------------------------------------


@pytest.fixture(params=["dateien", "postgresql"])
def fall(request, tmp_path, monkeypatch):
    monkeypatch.setenv("BILDUNGSMONITOR_CACHE_DIR", str(tmp_path / "cache"))
    if request.param == "dateien":
        ordner = Path(shutil.copytree(MUSTERSTADT, tmp_path / "musterstadt"))
        return DateiAblage(), str(ordner)
    return datenbank_fall(request.getfixturevalue("testdatenbank"), MUSTERSTADT, tmp_path)


def _laden(a, kid):
    return a.laden(a.stand(kid))


def test_traeger_aendert_bildungsbuero_nimmt_an(fall):
    a, kid = fall
    k = _laden(a, kid)
    vorher = pflege.register_aus_kommune(k)
    aid = pflege.eigene(vorher, "vhs")["id"].iloc[0]
    v, fehler = pflege.vorschlag_bilden(k, "vhs", "aendern", {"zeiten": "Mo–Fr 9–13 Uhr"}, "vhs-koordination", aid)
    assert fehler == [] and v.art == "aendern"
    werte = {"name": "Sprachcafé", "kategorie": "Sprachkurs", "gebiet": k.gebiete["viertel"].index[0]}
    neu, fehler = pflege.vorschlag_bilden(k, "vhs", "neu", werte, "vhs", "")
    assert fehler == [] and neu.angebot_id.startswith("vhs-")
    pflege.einreichen(a, kid, [v, neu])
    assert _laden(a, kid).stand == k.stand or True  # Einreichen ändert keine Daten
    assert a.stand(kid).marke == k.stand.marke
    assert [x.art for x in pflege.offene(a, kid)] == ["aendern", "neu"]
    diff = pflege.unterschiede(v)
    assert "Zeiten" in set(diff["Feld"]) and "Mo–Fr 9–13 Uhr" in set(diff["neu"])
    version = pflege.entscheiden(a, kid, k, [v.id, neu.id], {}, "bildungsbuero")
    nachher = pflege.register_aus_kommune(_laden(a, kid))
    assert len(nachher) == len(vorher) + 1 and set(vorher["id"]) < set(nachher["id"])  # nichts verloren
    assert nachher.set_index("id").loc[aid, "zeiten"] == "Mo–Fr 9–13 Uhr"
    info = next(x for x in a.versionen(kid) if x["id"] == version)
    assert info["art"] == "angebotsregister" and info["wer"] == "bildungsbuero" and len(info["aenderungen"]) == 2
    assert pflege.offene(a, kid) == [] and {x.status for x in pflege.vorschlaege_lesen(a, kid)} == {"angenommen"}


def test_ablehnen_braucht_grund_und_aendert_nichts(fall):
    a, kid = fall
    k = _laden(a, kid)
    aid = pflege.eigene(pflege.register_aus_kommune(k), "awo")["id"].iloc[0]
    v, _ = pflege.vorschlag_bilden(k, "awo", "loeschen", {}, "awo", aid)
    pflege.einreichen(a, kid, [v])
    with pytest.raises(KommuneFehler, match="Grund"):
        pflege.entscheiden(a, kid, k, [], {v.id: "  "}, "bb")
    assert pflege.entscheiden(a, kid, k, [], {v.id: "Angebot läuft noch bis Juli"}, "bb") is None
    assert a.stand(kid) == k.stand and len(pflege.register_aus_kommune(_laden(a, kid))) == 80
    (erledigt,) = pflege.vorschlaege_lesen(a, kid)
    assert (erledigt.status, erledigt.grund) == ("abgelehnt", "Angebot läuft noch bis Juli")


def test_fremde_angebote_weder_lesen_noch_aendern(fall, tmp_path):
    a, kid = fall
    k = _laden(a, kid)
    register = pflege.register_aus_kommune(k)
    fremd = pflege.eigene(register, "caritas")["id"].iloc[0]
    assert set(pflege.eigene(register, "vhs")["traeger_id"]) == {"vhs"} and pflege.eigene(register, "").empty
    for art in ("aendern", "loeschen", "bestaetigen"):
        v, fehler = pflege.vorschlag_bilden(k, "vhs", art, {"name": "gekapert"}, "vhs", fremd)
        assert v is None and "anderen Träger" in fehler[0][1]
    # Hochladen: eine Tabelle mit einer fremden Zeile und einer eigenen geänderten
    tabelle = register[register["id"].isin([fremd, pflege.eigene(register, "vhs")["id"].iloc[0]])].copy()
    tabelle["name"] = tabelle["name"] + " (geändert)"
    tabelle.loc[tabelle["id"] == fremd, "traeger_id"] = "vhs"  # Träger-ID gefälscht
    (tmp_path / "t.xlsx").write_bytes(register_xlsx(tabelle))
    lief = pflege.lieferung_pruefen(tmp_path / "t.xlsx", k)
    vorschlaege, meldungen = pflege.vorschlaege_aus_lieferung(k, "vhs", lief, "vhs")
    assert [v.traeger_id for v in vorschlaege] == ["vhs"] and fremd not in {v.angebot_id for v in vorschlaege}
    assert len(meldungen) == 1 and "nicht zu Ihrem Träger" in meldungen[0]
    # Ein gefälschter Vorschlag (direkt in den Zustand) wird beim Annehmen noch einmal geprüft
    falsch = pflege.Vorschlag("X1", "aendern", "vhs", fremd, {**pflege.angebot_werte(register, fremd), "name": "x"},
                              None, "vhs", "2026-01-01T00:00:00")  # fmt: skip
    pflege.einreichen(a, kid, [falsch])
    with pytest.raises(KommuneFehler, match="anderen Träger"):
        pflege.entscheiden(a, kid, k, ["X1"], {}, "bb")
    assert a.stand(kid) == k.stand


def test_lieferung_des_bildungsbueros_ersetzt_und_ergaenzt(fall, tmp_path):
    a, kid = fall
    k = _laden(a, kid)
    register = pflege.register_aus_kommune(k)
    teil = register.head(3).copy()
    teil["zeiten"] = "neu"
    teil.loc[teil.index[2], "id"] = ""  # ohne ID: neues Angebot
    (tmp_path / "l.xlsx").write_bytes(register_xlsx(teil))
    lief = pflege.lieferung_pruefen(tmp_path / "l.xlsx", k)
    version, z = pflege.register_uebernehmen(a, kid, k, lief, "bb")
    assert z == {"vorher": 80, "ersetzt": 2, "neu": 1, "nachher": 81}
    nachher = pflege.register_aus_kommune(_laden(a, kid))
    assert len(nachher) == 81 and (nachher["zeiten"] == "neu").sum() == 3 and a.stand(kid).version == version


def test_stand_abfrage():
    k = kommune_laden("musterstadt")
    register = pflege.register_aus_kommune(k)
    heute = date(2026, 12, 2)
    f = pflege.faellig(register, 12, heute)
    assert len(f) and (f["bestaetigt_am"] < "2025-12-02").all()
    assert ((register["bestaetigt_am"] >= "2025-12-02") | register["id"].isin(f["id"])).all()
    uebersicht = pflege.stand_abfrage(register, 12, heute)
    assert uebersicht["fällig"].sum() == len(f)
    vhs = pflege.faellig(pflege.eigene(register, "vhs"), 12, heute)
    text = pflege.stand_abfrage_text("Volkshochschule Musterstadt", vhs, 12)
    assert all(n in text for n in vhs["name"]) and "12 Monaten" in text
    csv = pflege.stand_abfrage_csv(vhs).decode("utf-8-sig")
    assert csv.startswith("Angebots-ID;") and len(pd.read_csv(io.StringIO(csv), sep=";")) == len(vhs)


def test_register_mit_versionen_in_die_datenbank_und_zurueck(testdatenbank, tmp_path, monkeypatch):  # noqa: F811
    from kommune.datenbank import datenbankablage
    from kommune.datenbank.uebertragung import exportieren, uebernehmen

    monkeypatch.setenv("BILDUNGSMONITOR_CACHE_DIR", str(tmp_path / "cache"))
    ordner = Path(shutil.copytree(MUSTERSTADT, tmp_path / "ms"))
    d = DateiAblage()
    k = _laden(d, str(ordner))
    aid = pflege.eigene(pflege.register_aus_kommune(k), "jmd")["id"].iloc[0]
    v, _ = pflege.vorschlag_bilden(k, "jmd", "aendern", {"sprachen": "Deutsch; Tigrinya"}, "jmd", aid)
    pflege.einreichen(d, str(ordner), [v])
    pflege.entscheiden(d, str(ordner), k, [v.id], {}, "bb")
    db = datenbankablage(testdatenbank.lesen, testdatenbank.schreiben)
    name = uebernehmen(db, str(ordner))
    in_db = pflege.register_aus_kommune(_laden(db, name))
    assert len(in_db) == 80 and in_db.set_index("id").loc[aid, "sprachen"] == "Deutsch; Tigrinya"
    assert len(pflege.register_aus_kommune(db.laden(db.stand(name, "original")))) == 80
    zurueck = exportieren(db, name, tmp_path / "export")
    wieder = pflege.register_aus_kommune(_laden(d, str(zurueck)))
    assert wieder.set_index("id").loc[aid, "sprachen"] == "Deutsch; Tigrinya"


def test_veralteter_vorschlag_ueberschreibt_nur_seine_felder(fall):
    """Zwei Vorschläge auf demselben Stand: der zweite ändert nur seine Felder, die Änderung des ersten bleibt."""
    a, kid = fall
    k = _laden(a, kid)
    aid = pflege.eigene(pflege.register_aus_kommune(k), "kunst")["id"].iloc[0]
    erster, _ = pflege.vorschlag_bilden(k, "kunst", "aendern", {"zeiten": "Do 17–19 Uhr"}, "person-a", aid)
    pflege.einreichen(a, kid, [erster])
    pflege.entscheiden(a, kid, k, [erster.id], {}, "bb")
    zweiter, _ = pflege.vorschlag_bilden(k, "kunst", "aendern", {"telefon": "0999 4711"}, "person-b", aid)
    pflege.einreichen(a, kid, [zweiter])
    k2 = _laden(a, kid)
    diff = pflege.unterschiede(zweiter, pflege.angebot_werte(pflege.register_aus_kommune(k2), aid))
    assert set(diff["Feld"]) == {"Telefon", "Zuletzt bestätigt am", "Bestätigt von"}
    pflege.entscheiden(a, kid, k2, [zweiter.id], {}, "bb")
    jetzt = pflege.angebot_werte(pflege.register_aus_kommune(_laden(a, kid)), aid)
    assert (jetzt["zeiten"], jetzt["telefon"], jetzt["bestaetigt_von"]) == ("Do 17–19 Uhr", "0999 4711", "person-b")

"""Das PostgreSQL/PostGIS-Backend (`kommune.datenbank`): Protokoll, Rollen, Transaktion, Round-trip.

Braucht einen Server (`BILDUNGSMONITOR_TEST_DATENBANK`, siehe tests/datenbank_hilfe.py); die Protokolltests
aus tests/test_ablage.py laufen hier mit einer `ablage_fixture` aus der Datenbank.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import shapely

from kommune import versionen as vs
from kommune.ablage import ORIGINAL
from kommune.fehler import KommuneFehler
from kommune.laden import BEKANNTE_KOMMUNEN, kommune_laden
from tests.conftest import berlin_daten_da
from tests.datenbank_hilfe import datenbank_fall, testdatenbank  # noqa: F401 (Fixture)
from tests.test_ablage import (  # noqa: F401 (dieselben Protokolltests über die Datenbank)
    MUSTERSTADT,
    AblageFall,
    _erster_wert,
    _tabelle_geaendert,
    test_aktivieren_aendert_marke_und_laesst_versionen_stehen,
    test_presets_und_sitzungen_als_text,
    test_scheiterndes_pruefen_laesst_alles_unveraendert,
    test_stand_ohne_import_ist_original_und_bleibt_ohne_aenderung_gleich,
    test_version_anlegen_aendert_marke_und_stand_laedt_genau_diese_version,
    test_zustand_aendern_verliert_bei_gleichzeitigen_schreibern_nichts,
    test_zustand_lesen_und_schreiben,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def ablage_fixture(testdatenbank, tmp_path, monkeypatch) -> AblageFall:  # noqa: F811
    """Wie in tests/test_ablage.py, aber die Musterstadt liegt in der Datenbank (kein Ordner)."""
    monkeypatch.setenv("BILDUNGSMONITOR_CACHE_DIR", str(tmp_path / "cache"))
    a, name = datenbank_fall(testdatenbank, MUSTERSTADT, tmp_path)
    return AblageFall(a, name, None)


def _gleich(db, datei, *, toleranz_m: float = 0.01) -> None:
    """Jeder Wert gleich (Spalten, dtypes, Index, CRS, Hinweise), jede Geometrie innerhalb `toleranz_m`."""
    assert list(db.gebiete) == list(datei.gebiete)
    for s in datei.gebiete:
        a, b = db.gebiete[s], datei.gebiete[s]
        assert a.crs == b.crs
        pd.testing.assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"))
        abstand = shapely.hausdorff_distance(a.geometry.to_numpy(), b.geometry.to_numpy())
        assert float(abstand.max(initial=0.0)) <= toleranz_m, s
    pd.testing.assert_frame_equal(db.indikatoren, datei.indikatoren)
    pd.testing.assert_frame_equal(db.katalog, datei.katalog)
    pd.testing.assert_frame_equal(db.uebergaenge, datei.uebergaenge)
    for teil in ("angebote", "umland"):
        a, b = getattr(db, teil), getattr(datei, teil)
        assert a.crs == b.crs and len(a) == len(b)
        pd.testing.assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"))
        assert float(shapely.hausdorff_distance(a.geometry.to_numpy(), b.geometry.to_numpy()).max(initial=0.0)) <= 0.01
    assert db.hinweise == datei.hinweise
    assert db.version == datei.version


def _round_trip(testdatenbank, ordner: Path, tmp_path: Path, versionen: list[str]) -> None:  # noqa: F811
    """Ordner → Datenbank → Ordner: jede Version gleich geladen, Versionen/Presets/Sitzungen gleich."""
    from kommune.dateiablage import DateiAblage
    from kommune.datenbank import datenbankablage
    from kommune.datenbank.uebertragung import exportieren, uebernehmen

    a = datenbankablage(testdatenbank.lesen, testdatenbank.schreiben)
    name = uebernehmen(a, str(ordner))
    datei = DateiAblage()
    assert a.versionen(name) == datei.versionen(str(ordner))
    assert a.presets(name) == datei.presets(str(ordner)) and a.sitzungen(name) == datei.sitzungen(str(ordner))
    ziel = tmp_path / "export"
    exportieren(a, name, ziel)
    for v in [ORIGINAL, *versionen]:
        original = kommune_laden(ordner, v)
        _gleich(a.laden(a.stand(name, v)), original)
        _gleich(kommune_laden(ziel, v), original)
    assert [{s: w for s, w in e.items() if s != "basis"} for e in datei.versionen(str(ziel))] == [
        {s: w for s, w in e.items() if s != "basis"} for e in datei.versionen(str(ordner))
    ]
    assert datei.presets(str(ziel)) == datei.presets(str(ordner))
    assert datei.sitzungen(str(ziel)) == datei.sitzungen(str(ordner))
    assert a.stand(name).version == datei.stand(str(ordner)).version


def test_round_trip_musterstadt_mit_versionen(testdatenbank, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("BILDUNGSMONITOR_CACHE_DIR", str(tmp_path / "cache"))
    ordner = Path(shutil.copytree(MUSTERSTADT, tmp_path / "musterstadt"))
    fall = AblageFall(None, str(ordner), ordner)
    konf = kommune_laden(ordner).konfiguration
    v1 = vs.version_anlegen(konf, _tabelle_geaendert(fall, "1111"), {"wer": "a", "quelle": "x.csv"})
    v2 = vs.version_anlegen(konf, _tabelle_geaendert(fall, "2222"), {"wer": "b", "quelle": "y.csv"})
    vs.wiederherstellen(konf, v1, "c")  # aktiv ist nicht die jüngste
    _round_trip(testdatenbank, ordner, tmp_path, [v1, v2])


@pytest.mark.skipif(not berlin_daten_da(), reason="Berliner Daten fehlen (BILDUNGSMONITOR_DATA_DIR)")
def test_round_trip_berlin(testdatenbank, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("BILDUNGSMONITOR_CACHE_DIR", str(tmp_path / "cache"))
    _round_trip(testdatenbank, BEKANNTE_KOMMUNEN["berlin"].ordner, tmp_path, [])


def test_round_trip_zufallskommune_fuenfstellig_ohne_angebote(testdatenbank, tmp_path, monkeypatch):  # noqa: F811
    from tests.daten.zufallskommune import zufallskommune

    monkeypatch.setenv("BILDUNGSMONITOR_CACHE_DIR", str(tmp_path / "cache"))
    b = zufallskommune(tmp_path / "zufall", 14)
    assert 5 in b.schluessel_laengen and not b.kategorien  # so gewählt: 5-stellige Schlüssel, keine Angebote
    k = kommune_laden(b.ordner)
    assert len(k.angebote) == 0 and any(len(i) == 5 for g in k.gebiete.values() for i in g.index)
    _round_trip(testdatenbank, b.ordner, tmp_path, [])


def test_lese_rolle_kann_nicht_schreiben(ablage_fixture):
    import sqlalchemy as sa

    a = ablage_fixture.ablage
    for sql in (
        "UPDATE kommune SET marke = marke + 1",
        "DELETE FROM indikatorwert",
        "INSERT INTO zustand (kommune_id, schluessel, wert) SELECT id, 'x', '{}' FROM kommune",
        "CREATE TABLE boese (x int)",
    ):
        with pytest.raises(sa.exc.ProgrammingError, match="permission denied"), a.lesen.begin() as v:
            v.execute(sa.text(sql))
    with a.lesen.connect() as v:  # lesen darf sie
        assert v.execute(sa.text("SELECT count(*) FROM gebiet")).scalar_one() > 0


def test_pruefen_sieht_neuen_stand_vor_dem_commit_und_fehler_laesst_nichts_sichtbar(ablage_fixture):
    import sqlalchemy as sa

    a, k = ablage_fixture.ablage, ablage_fixture.kommune
    gesehen = []

    def ablehnen(neu):
        gesehen.append(_erster_wert(neu))
        with a.lesen.connect() as v:  # andere Verbindungen sehen noch nichts
            sql = "SELECT count(*) FROM version w JOIN kommune k ON k.id = w.kommune_id WHERE k.name = :n"
            assert v.execute(sa.text(sql), {"n": k}).scalar_one() == 1  # nur „original“
        raise KommuneFehler("abgelehnt")

    vorher = a.stand(k)
    with pytest.raises(KommuneFehler, match="abgelehnt"):
        a.version_anlegen(k, _tabelle_geaendert(ablage_fixture, "4321"), {"wer": "t"}, pruefen=ablehnen)
    assert gesehen == [4321.0]
    assert a.stand(k) == vorher and a.versionen(k) == []
    with a.lesen.connect() as v:
        sql = "SELECT count(*) FROM version w JOIN kommune k ON k.id = w.kommune_id WHERE k.name = :n"
        assert v.execute(sa.text(sql), {"n": k}).scalar_one() == 1


def test_version_speichert_nur_geaenderte_teile(ablage_fixture):
    import sqlalchemy as sa

    a, k = ablage_fixture.ablage, ablage_fixture.kommune
    v1 = a.version_anlegen(
        k, _tabelle_geaendert(ablage_fixture, "7777"), {"wer": "t"}, extras={"lieferung/x.csv": b"1"}
    )
    with a.lesen.connect() as v:
        teile = v.execute(
            sa.text(
                "SELECT t.art, t.name FROM teil t JOIN version w ON w.nr = t.version_nr "
                "JOIN kommune k ON k.id = w.kommune_id WHERE w.vid = :v AND k.name = :n"
            ),
            {"v": v1, "n": k},
        ).all()
        dateien = v.execute(
            sa.text(
                "SELECT d.name, d.art FROM datei d JOIN version w ON w.nr = d.version_nr "
                "JOIN kommune k ON k.id = w.kommune_id WHERE w.vid = :v AND k.name = :n"
            ),
            {"v": v1, "n": k},
        ).all()
    assert [tuple(t) for t in teile] == [("indikatoren", "indikatoren.csv")]  # keine Gebiete, keine Angebote
    assert sorted(tuple(d) for d in dateien) == [("indikatoren.csv", "daten"), ("lieferung/x.csv", "extra")]
    assert _erster_wert(a.laden(a.stand(k))) == 7777
    assert len(a.laden(a.stand(k)).gebiete) == 4  # aus „original“ aufgelöst


def test_db_befehle_melden_fehlende_verbindung_deutsch(monkeypatch, capsys):
    from kommune.__main__ import main

    monkeypatch.delenv("BILDUNGSMONITOR_DATENBANK", raising=False)
    monkeypatch.delenv("BILDUNGSMONITOR_DATENBANK_ADMIN", raising=False)
    assert main(["db", "uebernehmen", "musterstadt"]) == 1
    assert "BILDUNGSMONITOR_DATENBANK=postgresql+psycopg://" in capsys.readouterr().err
    monkeypatch.setenv("BILDUNGSMONITOR_DATENBANK", "postgresql+psycopg://bm_lesen@127.0.0.1:1/nichts")
    assert main(["db", "export", "musterstadt", "/tmp/nie"]) == 1
    fehler = capsys.readouterr().err
    assert "nicht erreichbar" in fehler and "Traceback" not in fehler


def test_db_befehle_ueber_die_kommandozeile(testdatenbank, tmp_path, monkeypatch, capsys):  # noqa: F811
    from kommune.__main__ import main

    monkeypatch.setenv("BILDUNGSMONITOR_DATENBANK_ADMIN", testdatenbank.admin)
    monkeypatch.setenv("BILDUNGSMONITOR_DATENBANK", testdatenbank.lesen)
    monkeypatch.setenv("BILDUNGSMONITOR_DATENBANK_SCHREIBEN", testdatenbank.schreiben)
    assert main(["db", "init"]) == 0  # zweimal: idempotent
    ordner = Path(shutil.copytree(MUSTERSTADT, tmp_path / "stadt_cli"))
    assert main(["db", "uebernehmen", str(ordner)]) == 0
    assert main(["db", "export", "stadt_cli", str(tmp_path / "aus")]) == 0
    assert "Übernommen: „stadt_cli“" in capsys.readouterr().out
    assert (tmp_path / "aus" / "kommune.toml").is_file()
    assert main(["db", "export", "stadt_cli", str(tmp_path / "aus")]) == 1  # nicht überschreiben
    assert "schon eine kommune.toml" in capsys.readouterr().err


def test_ablage_fabrik_waehlt_die_datenbank(testdatenbank, monkeypatch):  # noqa: F811
    from kommune.ablage import ablage
    from kommune.datenbank import DatenbankAblage

    monkeypatch.setenv("BILDUNGSMONITOR_DATENBANK", testdatenbank.lesen)
    monkeypatch.setenv("BILDUNGSMONITOR_DATENBANK_SCHREIBEN", testdatenbank.schreiben)
    a = ablage()
    assert isinstance(a, DatenbankAblage) and a.art == "postgresql"
    assert a.lesen.url.username == "bm_lesen" and a.schreiben.url.username == "bm_schreiben"


def test_gleichzeitige_importe_werden_nacheinander_angelegt(ablage_fixture):
    from concurrent.futures import ThreadPoolExecutor

    a, k = ablage_fixture.ablage, ablage_fixture.kommune
    werte = ["1001", "1002", "1003"]
    with ThreadPoolExecutor(3) as pool:
        ids = list(pool.map(lambda w: a.version_anlegen(k, _tabelle_geaendert(ablage_fixture, w), {"wer": w}), werte))
    assert sorted(ids) == ["v0001", "v0002", "v0003"]  # die Sperre je Kommune: keine doppelte ID
    assert [v["id"] for v in a.versionen(k)] == ["v0001", "v0002", "v0003"]
    letzte = next(w for i, w in zip(ids, werte, strict=True) if i == "v0003")
    assert _erster_wert(a.laden(a.stand(k))) == float(letzte)


def test_import_einer_lieferung_in_die_datenbank(testdatenbank, tmp_path, monkeypatch):  # noqa: F811
    from benchmarks.import_bench import lieferung_schreiben
    from kommune.datenbank import datenbankablage
    from kommune.datenbank.uebertragung import uebernehmen
    from kommune.versionen import importieren

    monkeypatch.setenv("BILDUNGSMONITOR_CACHE_DIR", str(tmp_path / "cache"))
    ordner = Path(shutil.copytree(MUSTERSTADT, tmp_path / "stadt_import"))
    a = datenbankablage(testdatenbank.lesen, testdatenbank.schreiben)
    name = uebernehmen(a, str(ordner))
    n = lieferung_schreiben(tmp_path / "lieferung.csv", 542)
    ergebnis = importieren(ordner, tmp_path / "lieferung.csv", nutzer="t", ablage=a)
    assert ergebnis.version == "v0001", ergebnis.protokoll.kurz()
    k = a.laden(a.stand(name))
    assert k.version == "v0001" and len(k.indikatoren) == len(kommune_laden(ordner, ORIGINAL).indikatoren) + n
    assert [v["zeilen"] for v in a.versionen(name)] == [n]
    import sqlalchemy as sa

    with a.lesen.connect() as v:  # Audit: wer, welche Datei, Befunde; Lieferung und Protokoll als bytea
        audit = v.execute(
            sa.text(
                "SELECT a.wer, a.datei, a.befunde FROM audit a JOIN kommune k ON k.id = a.kommune_id WHERE k.name = :n"
            ),
            {"n": name},
        ).one()
        extras = v.execute(
            sa.text(
                "SELECT d.name FROM datei d JOIN version w ON w.nr = d.version_nr "
                "JOIN kommune k ON k.id = w.kommune_id WHERE k.name = :n AND d.art = 'extra' ORDER BY d.name"
            ),
            {"n": name},
        ).scalars()
        assert list(extras) == ["lieferung/lieferung.csv", "pruefprotokoll.xlsx", "zuordnung.toml"]
    assert audit.wer == "t" and audit.datei == "lieferung.csv" and audit.befunde[0]["fehler"] == 0


def test_zwei_importe_nur_ueber_die_datenbank(testdatenbank, tmp_path, monkeypatch):  # noqa: F811
    """Nach der Übernahme gibt es den Ordner nicht mehr: ein Import liest die bisherige Tabelle aus der Datenbank
    (`Ablage.datei_lesen`), der zweite schreibt die des ersten fort – nichts geht verloren."""
    import pandas as pd

    from benchmarks.import_bench import lieferung_schreiben
    from kommune.datenbank import datenbankablage
    from kommune.datenbank.uebertragung import uebernehmen
    from kommune.versionen import importieren

    monkeypatch.setenv("BILDUNGSMONITOR_CACHE_DIR", str(tmp_path / "cache"))
    ordner = Path(shutil.copytree(MUSTERSTADT, tmp_path / "stadt_nur_db"))
    a = datenbankablage(testdatenbank.lesen, testdatenbank.schreiben)
    name = uebernehmen(a, str(ordner))
    vorher = len(a.laden(a.stand(name)).indikatoren)
    shutil.rmtree(ordner)
    n = lieferung_schreiben(tmp_path / "erste.csv", 300)
    erste = importieren(a.laden(a.stand(name)), tmp_path / "erste.csv", nutzer="t", ablage=a)
    assert erste.version == "v0001", erste.protokoll.kurz()
    gemerkt = a.zustand_lesen(name, "zuordnung")  # die Spaltenzuordnung gilt für alle App-Server
    assert gemerkt is not None and "gebiet_id" in gemerkt["toml"]
    zweite_daten = pd.read_csv(tmp_path / "erste.csv", sep=";", dtype=str)
    zweite_daten["periode"] = "2030-01"
    zweite_daten.to_csv(tmp_path / "zweite.csv", sep=";", index=False)
    zweite = importieren(a.laden(a.stand(name)), tmp_path / "zweite.csv", nutzer="t", ablage=a)
    assert zweite.version == "v0002", zweite.protokoll.kurz()
    k = a.laden(a.stand(name))
    assert k.version == "v0002" and len(k.indikatoren) == vorher + 2 * n
    assert (k.indikatoren["periode"] == "2030-01").sum() == n
    assert a.datei_lesen(name, "gibt_es_nicht.csv") is None
    assert a.datei_lesen(name, erste.ziel, "v0001") != a.datei_lesen(name, erste.ziel, "v0002")


def test_kommunen_der_datenbank_fuer_die_auswahl(testdatenbank, tmp_path, monkeypatch):  # noqa: F811
    from kommune.datenbank import datenbankablage
    from kommune.datenbank.uebertragung import uebernehmen

    monkeypatch.setenv("BILDUNGSMONITOR_CACHE_DIR", str(tmp_path / "cache"))
    a = datenbankablage(testdatenbank.lesen, testdatenbank.schreiben)
    name = uebernehmen(a, str(Path(shutil.copytree(MUSTERSTADT, tmp_path / "stadt_liste"))))
    assert a.kommunen()[name] == "Musterstadt"

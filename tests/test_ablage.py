"""Das Protokoll `kommune.ablage.Ablage`, geprüft gegen jedes Backend (heute: die Dateiablage).

Die Protokolltests benutzen nur die Fixture `ablage_fixture` (eine Ablage mit einer frischen Musterstadt darin);
ein weiteres Backend kommt als weiterer Parameter dazu. Was nur für Dateien gilt, steht am Ende.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from kommune.ablage import AKTIV, ORIGINAL, Ablage, Stand, ablage
from kommune.dateiablage import DateiAblage
from kommune.fehler import KommuneFehler

PROJEKT = Path(__file__).resolve().parent.parent
MUSTERSTADT = PROJEKT / "sample_data" / "musterstadt"


@dataclass
class AblageFall:
    """Eine Ablage mit einer Kommune darin (Kennung wie für `Ablage.stand`) und, bei Dateien, ihrem Ordner."""

    ablage: Ablage
    kommune: str
    ordner: Path | None = None


@pytest.fixture(params=["dateien"])
def ablage_fixture(request, tmp_path, monkeypatch) -> AblageFall:
    """Eine Ablage je Backend mit einer frischen Kopie der Musterstadt (Presets, Sitzungen inklusive)."""
    monkeypatch.setenv("BILDUNGSMONITOR_CACHE_DIR", str(tmp_path / "cache"))
    if request.param == "dateien":
        ordner = Path(shutil.copytree(MUSTERSTADT, tmp_path / "musterstadt"))
        return AblageFall(DateiAblage(), str(ordner), ordner)
    raise AssertionError(request.param)


def _tabelle_geaendert(fall: AblageFall, wert: str = "9999") -> dict[str, bytes]:
    """indikatoren.csv mit einem geänderten Einwohnerwert (erste Datenzeile)."""
    text = (MUSTERSTADT / "indikatoren.csv").read_text(encoding="utf-8").splitlines()
    teile = text[1].split(";")
    teile[3] = wert
    text[1] = ";".join(teile)
    return {"indikatoren.csv": ("\n".join(text) + "\n").encode("utf-8")}


def _erster_wert(k) -> float:
    zeile = (MUSTERSTADT / "indikatoren.csv").read_text(encoding="utf-8").splitlines()[1].split(";")
    i = k.indikatoren
    treffer = i[(i["gebiet"] == zeile[0]) & (i["indikator"] == zeile[1]) & (i["periode"].astype(str) == zeile[2])]
    assert len(treffer) == 1
    return float(treffer["wert"].iloc[0])


# -- Protokoll ------------------------------------------------------------------------------------


def test_stand_ohne_import_ist_original_und_bleibt_ohne_aenderung_gleich(ablage_fixture):
    a, k = ablage_fixture.ablage, ablage_fixture.kommune
    s = a.stand(k)
    assert isinstance(s, Stand) and s.kommune == k and s.version == ORIGINAL and s.marke
    assert a.stand(k) == s and a.stand(k, AKTIV) == s  # ohne Änderung dieselbe Marke
    assert a.stand(k, ORIGINAL) == s
    assert a.versionen(k) == []
    geladen = a.laden(s)
    assert geladen.version is None and _erster_wert(geladen) == 2712
    assert a.stand(k) == s  # Laden ändert nichts


def test_version_anlegen_aendert_marke_und_stand_laedt_genau_diese_version(ablage_fixture):
    a, k = ablage_fixture.ablage, ablage_fixture.kommune
    vorher = a.stand(k)
    gesehen = []
    vid = a.version_anlegen(
        k, _tabelle_geaendert(ablage_fixture), {"wer": "test", "quelle": "t.csv"},
        pruefen=lambda kommune: gesehen.append(_erster_wert(kommune)),
        extras={"lieferung/t.csv": b"a;b\n"},
    )  # fmt: skip
    assert gesehen == [9999]  # pruefen sieht die Kommune im neuen Stand
    nachher = a.stand(k)
    assert nachher.version == vid and nachher.marke != vorher.marke
    assert a.stand(k) == nachher and a.stand(k, vid) == nachher
    assert _erster_wert(a.laden(nachher)) == 9999
    assert _erster_wert(a.laden(a.stand(k, ORIGINAL))) == 2712
    versionen = a.versionen(k)
    assert [v["id"] for v in versionen] == [vid] and versionen[0]["aktiv"] is True
    assert versionen[0]["wer"] == "test" and versionen[0]["quelle"] == "t.csv"


def test_aktivieren_aendert_marke_und_laesst_versionen_stehen(ablage_fixture):
    a, k = ablage_fixture.ablage, ablage_fixture.kommune
    v1 = a.version_anlegen(k, _tabelle_geaendert(ablage_fixture, "1111"), {"wer": "test"})
    v2 = a.version_anlegen(k, _tabelle_geaendert(ablage_fixture, "2222"), {"wer": "test"})
    s2 = a.stand(k)
    assert s2.version == v2 and _erster_wert(a.laden(s2)) == 2222
    a.aktivieren(k, v1, "admin")
    s1 = a.stand(k)
    assert s1.version == v1 and s1.marke != s2.marke and _erster_wert(a.laden(s1)) == 1111
    assert [v["aktiv"] for v in a.versionen(k)] == [True, False]
    a.aktivieren(k, ORIGINAL, "admin")
    s0 = a.stand(k)
    assert s0.version == ORIGINAL and s0.marke not in {s1.marke, s2.marke}
    assert _erster_wert(a.laden(s0)) == 2712 and len(a.versionen(k)) == 2  # nichts gelöscht
    with pytest.raises(KommuneFehler, match="gibt es nicht"):
        a.aktivieren(k, "v0099")
    with pytest.raises(KommuneFehler, match="gibt es nicht"):
        a.stand(k, "v0099")


def test_scheiterndes_pruefen_laesst_alles_unveraendert(ablage_fixture):
    a, k = ablage_fixture.ablage, ablage_fixture.kommune
    a.version_anlegen(k, _tabelle_geaendert(ablage_fixture, "1111"), {"wer": "test"})
    vorher = (a.stand(k), a.versionen(k), _hash(ablage_fixture))

    def ablehnen(kommune) -> None:
        assert _erster_wert(kommune) == 5555
        raise KommuneFehler("abgelehnt")

    with pytest.raises(KommuneFehler, match="abgelehnt"):
        a.version_anlegen(k, _tabelle_geaendert(ablage_fixture, "5555"), {"wer": "test"}, pruefen=ablehnen)
    assert (a.stand(k), a.versionen(k), _hash(ablage_fixture)) == vorher
    assert _erster_wert(a.laden(a.stand(k))) == 1111


def test_presets_und_sitzungen_als_text(ablage_fixture):
    a, k = ablage_fixture.ablage, ablage_fixture.kommune
    presets = a.presets(k)
    assert list(presets) == ["bildungsbeteiligung.toml", "bildungsteilhabeindex.toml", "sozialindex.toml"]
    assert presets["sozialindex.toml"] == (MUSTERSTADT / "presets" / "sozialindex.toml").read_text(encoding="utf-8")
    sitzungen = a.sitzungen(k)
    assert list(sitzungen) == ["jugendhilfeausschuss.toml"]
    assert "[[ansicht]]" in sitzungen["jugendhilfeausschuss.toml"]


def test_zustand_lesen_und_schreiben(ablage_fixture):
    a, k = ablage_fixture.ablage, ablage_fixture.kommune
    assert a.zustand_lesen(k, "sitzung-jha") is None
    a.zustand_schreiben(k, "sitzung-jha", {"schritt": 3, "titel": "Ausschuss „Jugend“"})
    assert a.zustand_lesen(k, "sitzung-jha") == {"schritt": 3, "titel": "Ausschuss „Jugend“"}
    a.zustand_schreiben(k, "sitzung-jha", {"schritt": 4})
    assert a.zustand_lesen(k, "sitzung-jha") == {"schritt": 4}
    assert a.zustand_lesen(k, "anderer") is None
    stand = a.stand(k)
    a.zustand_schreiben(k, "x", {"a": 1})
    assert a.stand(k) == stand  # geteilter Zustand ist kein Datenstand
    for boese in ("../x", "a/b", "a\\b", "", ".versteckt", "..", "a" * 200):
        with pytest.raises(KommuneFehler, match="Ungültiger Schlüssel"):
            a.zustand_schreiben(k, boese, {"a": 1})
        with pytest.raises(KommuneFehler, match="Ungültiger Schlüssel"):
            a.zustand_lesen(k, boese)


def test_zustand_aendern_verliert_bei_gleichzeitigen_schreibern_nichts(ablage_fixture):
    """8 Schreiber hängen je 5 Einträge an: keiner geht verloren (Dateisperre bzw. Zeilensperre)."""
    from concurrent.futures import ThreadPoolExecutor

    a, k = ablage_fixture.ablage, ablage_fixture.kommune

    def anhaengen(n: int) -> None:
        for i in range(5):
            a.zustand_aendern(k, "liste", lambda alt, n=n, i=i: {"e": [*(alt or {}).get("e", []), f"{n}-{i}"]})

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(anhaengen, range(8)))
    assert sorted(a.zustand_lesen(k, "liste")["e"]) == sorted(f"{n}-{i}" for n in range(8) for i in range(5))

    def scheitern(alt):
        raise KommuneFehler("absichtlich")

    with pytest.raises(KommuneFehler):
        a.zustand_aendern(k, "liste", scheitern)
    assert len(a.zustand_lesen(k, "liste")["e"]) == 40


# -- nur Dateien ----------------------------------------------------------------------------------


def _hash(fall: AblageFall) -> str:
    """Inhalt und Namen aller Dateien im Ordner der Kommune (ohne geteilten Zustand)."""
    if fall.ordner is None:
        return ""
    h = hashlib.sha256()
    for p in sorted(fall.ordner.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(fall.ordner)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


@pytest.fixture
def dateifall(tmp_path, monkeypatch) -> AblageFall:
    monkeypatch.setenv("BILDUNGSMONITOR_CACHE_DIR", str(tmp_path / "cache"))
    ordner = Path(shutil.copytree(MUSTERSTADT, tmp_path / "musterstadt"))
    return AblageFall(DateiAblage(), str(ordner), ordner)


@pytest.mark.parametrize("datei", ["indikatoren.csv", "kommune.toml", "katalog.csv", "geometrie.gpkg"])
def test_dateiaenderung_aendert_marke(dateifall, datei):
    a, k = dateifall.ablage, dateifall.kommune
    vorher = a.stand(k)
    pfad = dateifall.ordner / datei
    s = pfad.stat()
    os.utime(pfad, ns=(s.st_atime_ns, s.st_mtime_ns + 10**9))
    nachher = a.stand(k)
    assert nachher.version == vorher.version and nachher.marke != vorher.marke


def test_dateiablage_schreibt_zustand_atomar_in_den_cache_ordner(dateifall, tmp_path):
    a, k = dateifall.ablage, dateifall.kommune
    vorher = _hash(dateifall)
    a.zustand_schreiben(k, "schritt", {"n": 1})
    dateien = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert [p.name for p in dateien] == ["schritt.json"]  # keine Reste der temporären Datei
    assert _hash(dateifall) == vorher  # der Ordner der Kommune bleibt unberührt
    dateien[0].write_text("{kaputt", encoding="utf-8")
    assert a.zustand_lesen(k, "schritt") is None


def test_fabrik_ohne_datenbank_ist_die_dateiablage(monkeypatch):
    monkeypatch.delenv("BILDUNGSMONITOR_DATENBANK", raising=False)
    assert ablage().art == "dateien" and isinstance(ablage(), DateiAblage)


def test_versionsordner_importiert_hat_eigene_marke(dateifall):
    """Zwei Versionen mit gleichem Inhalt, aber verschiedener ID haben verschiedene Stände."""
    a, k = dateifall.ablage, dateifall.kommune
    v1 = a.version_anlegen(k, _tabelle_geaendert(dateifall, "1"), {})
    v2 = a.version_anlegen(k, _tabelle_geaendert(dateifall, "1"), {})
    assert a.stand(k, v1) != a.stand(k, v2)


def test_dateiablage_kennt_mitgelieferte_und_eigene_kommune(tmp_path, monkeypatch):

    from kommune.dateiablage import dateiablage

    eigene = shutil.copytree(
        PROJEKT / "sample_data" / "musterstadt", tmp_path / "eigene", ignore=lambda *_: ["versionen"]
    )
    monkeypatch.setenv("BILDUNGSMONITOR_KOMMUNE", str(eigene))
    kommunen = dateiablage().kommunen()
    assert kommunen["musterstadt"] == "Musterstadt (Beispieldaten)" and kommunen[str(eigene)] == "Musterstadt"
    monkeypatch.setenv("BILDUNGSMONITOR_KOMMUNE", str(tmp_path / "gibt_es_nicht"))
    assert str(tmp_path / "gibt_es_nicht") not in dateiablage().kommunen()

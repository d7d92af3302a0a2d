"""Presets und Sitzungsabläufe wohnen im Ordner der Kommune – auch die der mitgelieferten (Issue 10).

Ein kopierter Ordner nimmt sie mit; kein Code liest mehr `indices/presets/<name>` oder `berichte/sitzungen/`.
Kurznamen („berlin“, „musterstadt“ …) lösen sich über das eine Verzeichnis `BEKANNTE_KOMMUNEN` auf.
"""

from __future__ import annotations

import shutil

import pytest

from berichte.sitzung import SitzungsFehler, beispiel_sitzung, sitzung_fuer, sitzung_pruefen
from indices.__main__ import main as indices_main
from indices.definition import DefinitionFehler
from indices.presets import preset, preset_ordner, presets_fuer
from kommune.fehler import KommuneFehler
from kommune.laden import BEKANNTE_KOMMUNEN, kommune_laden, kommune_ordner
from tests.conftest import PROJEKT

MUSTERSTADT_PRESETS = {"bildungsbeteiligung", "bildungsteilhabeindex", "sozialindex"}


@pytest.fixture
def kopie(tmp_path):
    """Die Musterstadt in einem fremden Ordner (anderer Name, kein Kurzname)."""
    return shutil.copytree(PROJEKT / "sample_data" / "musterstadt", tmp_path / "Stadt Kopie")


def test_kopierter_ordner_traegt_presets_und_ablauf_mit(kopie, tmp_path, capsys):
    k = kommune_laden(kopie)
    assert k.konfiguration.ordner == kopie
    assert set(presets_fuer(k)) == MUSTERSTADT_PRESETS
    assert preset_ordner(k) == kopie / "presets"
    sitzung = sitzung_fuer(k, str(kopie))
    assert sitzung.titel == "Jugendhilfeausschuss Musterstadt – Bildungsmonitoring 2024" and len(sitzung) == 8
    assert sitzung_pruefen(sitzung, k) == []
    # die Kommandozeile mit dem Ordner statt eines Kurznamens
    assert indices_main(["presets", str(kopie)]) == 0
    zeilen = capsys.readouterr().out.splitlines()
    assert sorted(z.split("\t")[0] for z in zeilen) == sorted(MUSTERSTADT_PRESETS)
    ziel = tmp_path / "sozialindex.csv"
    assert indices_main(["compute", str(kopie), "--preset", "sozialindex", "--out", str(ziel)]) == 0
    assert ziel.read_text(encoding="utf-8").count("\n") > 100  # ein Gebiet je Zeile (110 Viertel)


def test_aenderungen_der_kopie_gelten_nur_fuer_die_kopie(kopie):
    """Gelesen wird der Ordner der geladenen Kommune – nicht ein zweiter Ort nach ihrem Namen."""
    (kopie / "presets" / "bildungsbeteiligung.toml").unlink()
    (kopie / "sitzungen" / "jugendhilfeausschuss.toml").write_text(
        'titel = "Kopie"\nkommune = "stadt-kopie"\n\n[[ansicht]]\ntitel = "Überblick"\nseite = "cockpit"\n',
        encoding="utf-8",
    )
    k = kommune_laden(kopie)
    assert k.name == "Musterstadt"
    assert set(presets_fuer(k)) == MUSTERSTADT_PRESETS - {"bildungsbeteiligung"}
    assert sitzung_fuer(k, str(kopie)).titel == "Kopie"
    assert set(presets_fuer("musterstadt")) == MUSTERSTADT_PRESETS  # das Original bleibt
    assert beispiel_sitzung("musterstadt").titel.startswith("Jugendhilfeausschuss Musterstadt")


def test_ohne_eigene_ordner_keine_presets_auch_mit_bekanntem_namen(kopie):
    """Heißt die Kommune „Musterstadt“, fehlen aber presets/ und sitzungen/: nichts von anderswo."""
    shutil.rmtree(kopie / "presets")
    shutil.rmtree(kopie / "sitzungen")
    k = kommune_laden(kopie)
    assert k.name == "Musterstadt" and presets_fuer(k) == {}
    with pytest.raises(DefinitionFehler, match="Das Preset „sozialindex“ gibt es für Musterstadt nicht"):
        preset(k, "sozialindex")
    standard = sitzung_fuer(k, str(kopie))
    assert standard.titel == "Ausschusssitzung Musterstadt"
    assert [a.seite for a in standard.ansichten] == ["karte", "gebietsprofil", "vergleich"]


def test_kein_zweiter_ort_im_programm():
    assert not (PROJEKT / "indices" / "presets").exists()
    assert not (PROJEKT / "berichte" / "sitzungen").exists()
    pakete = ("kommune", "indices", "berichte", "geodata", "oberflaeche", "seiten", "sample_data", "benchmarks")
    pakete += ("freigabe", "tests")
    quellen = [PROJEKT / "app.py", *(p for paket in pakete for p in (PROJEKT / paket).rglob("*.py"))]
    quellen = [p for p in quellen if p.name != "test_ordner_der_kommune.py"]
    quellen += [PROJEKT / "ARCHITECTURE.md", PROJEKT / "README.md", *(PROJEKT / "docs").glob("*.md")]
    assert len(quellen) > 100
    for pfad in quellen:
        text = pfad.read_text(encoding="utf-8")
        for alt in ("indices/presets/", "berichte/sitzungen", "SITZUNGEN_ORDNER"):
            assert alt not in text, (pfad, alt)


def test_mitgelieferte_kommunen_haben_ihre_dateien_im_eigenen_ordner():
    erwartet = {
        "musterstadt": (MUSTERSTADT_PRESETS, "Jugendhilfeausschuss Musterstadt"),
        "musterkreis": ({"sozialindex"}, "Jugendhilfeausschuss Musterkreis"),
        "berlin": ({"bildungsbenachteiligung", "mss2021-dynamik", "mss2021-status"}, "Ausschuss für Bildung"),
    }
    for name, (presets, titel) in erwartet.items():
        ordner = BEKANNTE_KOMMUNEN[name].ordner
        assert kommune_ordner(name) == ordner and (ordner / "kommune.toml").is_file()
        assert preset_ordner(name) == ordner / "presets"
        assert set(presets_fuer(name)) == presets  # Kurzname genügt, ohne die Daten zu laden
        s = beispiel_sitzung(name)
        assert s.kommune == name and s.titel.startswith(titel)
        for a in s.ansichten:
            assert a.index is None or a.index in presets, (name, a.index)
    assert presets_fuer("regensburg") == {}
    with pytest.raises(SitzungsFehler, match="Für „regensburg“ ist kein Sitzungsablauf hinterlegt"):
        beispiel_sitzung("regensburg")
    with pytest.raises(KommuneFehler, match="„musterstadt“, „musterkreis“, „berlin“, „regensburg“"):
        presets_fuer("gibtsnicht")


def test_doppelte_preset_id_wird_benannt(kopie):
    text = (kopie / "presets" / "sozialindex.toml").read_text(encoding="utf-8")
    (kopie / "presets" / "zweiter.toml").write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionFehler, match=r"„sozialindex“ steht in „sozialindex\.toml“ und in „zweiter\.toml“"):
        presets_fuer(kommune_laden(kopie))


def test_auswahl_der_app_kommt_aus_demselben_verzeichnis(tmp_path, monkeypatch):
    from oberflaeche.laden import verfuegbare_kommunen

    monkeypatch.delenv("BILDUNGSMONITOR_KOMMUNE", raising=False)
    monkeypatch.delenv("BILDUNGSMONITOR_DATA_DIR", raising=False)
    assert verfuegbare_kommunen() == {
        "musterstadt": "Musterstadt (Beispieldaten)",
        "musterkreis": "Musterkreis (Beispieldaten)",
    }
    (tmp_path / "berlin").mkdir()
    monkeypatch.setenv("BILDUNGSMONITOR_DATA_DIR", str(tmp_path))
    assert list(verfuegbare_kommunen()) == ["musterstadt", "musterkreis", "berlin"]
    (tmp_path / "germany").mkdir()
    alle = verfuegbare_kommunen()
    assert alle == {name: k.anzeigename for name, k in BEKANNTE_KOMMUNEN.items()}
    assert alle["regensburg"] == "Landkreis Regensburg (offene Daten)"

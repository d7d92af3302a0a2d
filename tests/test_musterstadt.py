"""Musterstadt: der Generator ist deterministisch und die eingecheckten Dateien stammen von ihm."""

from __future__ import annotations

import shutil
import subprocess
import sys

import numpy as np
import pytest

from kommune.werte import werte
from tests.conftest import PROJEKT

DATEIEN = ["indikatoren.csv", "katalog.csv", "kommune.toml", "geometrie.gpkg", "angebote.gpkg", "angebotsregister.csv",
           "teilnahme_ferienprogramm.csv"]
DATEIEN += ["gruppen.csv", "uebertritte.csv", "schulabgaenge.csv"]


def test_generator_erzeugt_genau_die_eingecheckten_dateien(tmp_path):
    """Neu erzeugt in einer Kopie ohne die erzeugten Dateien: dieselben Bytes, Presets und Abläufe bleiben."""
    quelle = PROJEKT / "sample_data" / "musterstadt"
    ziel = tmp_path / "musterstadt"
    shutil.copytree(quelle, ziel, ignore=shutil.ignore_patterns(*DATEIEN, "versionen"))
    gepflegt = {p.relative_to(ziel): p.read_bytes() for p in ziel.rglob("*.toml")}
    assert {p.parent.name for p in gepflegt} == {"presets", "sitzungen"}
    subprocess.run(
        [sys.executable, str(PROJEKT / "sample_data" / "generate_musterstadt.py"), str(ziel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for datei in DATEIEN:
        assert (ziel / datei).read_bytes() == (quelle / datei).read_bytes(), datei
    assert {p: (ziel / p).read_bytes() for p in gepflegt} == gepflegt


def test_umfang(musterstadt):
    n = {k: len(v) for k, v in musterstadt.gebiete.items()}
    assert 80 <= n["viertel"] <= 150 and n["stadtteil"] < n["viertel"] and n["stadtbezirk"] < n["stadtteil"]
    assert 25 <= n["schulbezirk"] <= 40
    assert musterstadt.indikatoren["indikator"].nunique() >= 12
    assert len(musterstadt.perioden) >= 3
    kategorien = musterstadt.angebote["kategorie"].value_counts()
    assert len(kategorien) >= 4 and kategorien.sum() >= 200
    assert musterstadt.hinweise == []


def test_einzugsbereiche_kreuzen_die_viertel(musterstadt):
    v = musterstadt.gebiete["viertel"]
    s = musterstadt.gebiete["schulbezirk"]
    stuecke = v.reset_index().overlay(s.reset_index(), how="intersection", keep_geom_type=True)
    stuecke = stuecke[stuecke.area > 1.0]
    assert len(stuecke) > 1.5 * len(v)  # nicht verschachtelt
    assert s.area.sum() == pytest.approx(v.area.sum(), rel=1e-6)  # beide überdecken die Stadt


def test_kapazitaeten_aus_zahlspalte(musterstadt):
    kitas = musterstadt.angebote[musterstadt.angebote["kategorie"] == "Kita"]
    assert kitas["kapazitaet"].between(10, 200).sum() >= len(kitas) - 5  # nicht verzehnfacht


def test_zusammenhaenge_plausibel(musterstadt):
    armut = werte(musterstadt, "kinderarmut", "viertel", "2024")
    for indikator, vorzeichen in [("sgb2_quote", 1), ("gymnasialuebergang", -1), ("kita_quote_u3", -1)]:
        andere = werte(musterstadt, indikator, "viertel", "2024")
        ok = armut.notna() & andere.notna()
        r = np.corrcoef(armut[ok], andere[ok])[0, 1]
        assert np.sign(r) == vorzeichen and abs(r) > 0.3, (indikator, r)


def test_kleine_gebiete_vorhanden(musterstadt):
    ew = werte(musterstadt, "einwohner", "viertel", "2024")
    assert (ew < 300).sum() >= 3

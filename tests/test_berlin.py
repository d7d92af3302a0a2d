"""Berlin aus den echten offenen Daten, über dasselbe Profil-Format wie jede Kommune."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kommune.werte import gesamtwert, werte
from tests.conftest import PROJEKT


def test_ebenen_und_einzugsbereiche(berlin):
    anzahl = {k: len(v) for k, v in berlin.gebiete.items()}
    assert anzahl == {
        "planungsraum": 542,
        "bezirksregion": 143,
        "prognoseraum": 58,
        "bezirk": 12,
        "einschulbereich": 346,
    }
    assert berlin.hinweise == []
    assert berlin.gebiete["planungsraum"].index[0] == "01100101"  # führende Null bleibt
    assert berlin.gebiete["planungsraum"].crs.to_epsg() == 25833


def test_angebote(berlin):
    n = berlin.angebote["kategorie"].value_counts()
    assert len(berlin.angebote) >= 4000
    assert n["Grundschule"] == 376 and n["Kita"] == 2893 and n["Jugendfreizeiteinrichtung"] == 407
    assert berlin.angebote.loc[berlin.angebote["kategorie"] == "Kita", "kapazitaet"].sum() == 199_851


def test_bevoelkerung_summen_bleiben_exakt(berlin):
    kinder = werte(berlin, "inhabitants_age_6_15", "planungsraum", "2024")
    assert kinder.sum() == 322_476
    assert werte(berlin, "inhabitants_age_6_15", "bezirk", "2024").sum() == 322_476
    assert gesamtwert(berlin, "inhabitants", "2024") == 3_897_145
    assert gesamtwert(berlin, "inhabitants_age_below_6", "2024") == 208_938


def test_anteil_auf_bezirk_neu_gebildet(berlin):
    anteil = werte(berlin, "inhabitants_age_6_15_percentage", "bezirk", "2024")
    kinder = werte(berlin, "inhabitants_age_6_15", "bezirk", "2024")
    ew = werte(berlin, "inhabitants", "bezirk", "2024")
    assert anteil.to_numpy() == pytest.approx((100 * kinder / ew).to_numpy())


def test_mss_ungueltige_planungsraeume_ohne_wert(berlin):
    s4 = werte(berlin, "S4", "planungsraum", "2020")
    assert s4.notna().sum() == 536
    assert s4.isna()["10100205"]  # Ausreißer laut KOM
    assert s4.median() == pytest.approx(21.1, abs=0.05)


def test_stichtage_unterscheiden_sich(berlin):
    konf = berlin.konfiguration
    assert {s.stand for s in konf.ebenen} == {"01.01.2021"}
    assert konf.einzugsbereiche[0].stand == "Schuljahr 2019/20"
    assert berlin.katalog.loc["S4", "stand"] == "31.12.2020"
    assert berlin.katalog.loc["inhabitants_age_6_15", "stand"] == "31.12.2024"
    stände = set(berlin.angebote["stand"])
    assert len(stände) >= 4


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kommune", *args], cwd=PROJEKT, capture_output=True, text=True, timeout=120
    )


def test_cli_info_berlin(berlin):
    r = _cli("info", "berlin")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert [(e["id"], e["gebiete"]) for e in info["ebenen"]] == [
        ("planungsraum", 542),
        ("bezirksregion", 143),
        ("prognoseraum", 58),
        ("bezirk", 12),
    ]
    assert info["einzugsbereiche"][0]["gebiete"] == 346
    assert info["angebote_gesamt"] >= 4000
    assert {"S1", "S3", "S4", "D1", "KI_02", "inhabitants_age_6_15"} <= set(
        json.loads(_cli("info", "berlin").stdout)["indikatoren_ids"]
    )


def test_cli_fehler_ist_eine_deutsche_zeile(tmp_path):
    r = _cli("info", str(tmp_path))
    assert r.returncode == 1
    assert r.stdout == ""
    zeilen = r.stderr.strip().splitlines()
    assert len(zeilen) == 1 and "keine kommune.toml" in zeilen[0]
    r = _cli("info", "atlantis")
    assert r.returncode == 1 and "„atlantis“ gibt es nicht" in r.stderr


def test_einzugsbereiche_eines_planungsraums_mit_flaechenanteil(berlin):
    from oberflaeche.gebietsbezug import einzugsbereiche_von

    bezug = einzugsbereiche_von(berlin, "planungsraum", "01100101")
    eintraege = bezug["Einschulbereich"]
    assert 1 <= len(eintraege) <= 5  # laut MANIFEST höchstens 5 ESB je PLR
    anteile = [int(e.rsplit("(", 1)[1].split(" ")[0]) for e in eintraege]
    assert anteile == sorted(anteile, reverse=True) and 95 <= sum(anteile) <= 102
    zurueck = einzugsbereiche_von(berlin, "einschulbereich", berlin.gebiete["einschulbereich"].index[0])
    assert list(zurueck) == ["Planungsraum"] and zurueck["Planungsraum"]

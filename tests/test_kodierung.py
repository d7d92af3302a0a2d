"""Kompakte Kartengeometrie: Zahlen, Ringe, Löcher, Mehrfachflächen und Punkte hin und zurück."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon

from geodata.anzeige import vereinfachen
from geodata.kodierung import (
    ALPHABET,
    SCHRITT,
    ebene_kodieren,
    flaechen_dekodieren,
    flaechen_kodieren,
    punkte_dekodieren,
    punkte_kodieren,
    zahlen_dekodieren,
    zahlen_kodieren,
)


def test_zahlen_hin_und_zurueck():
    zahlen = [0, 1, -1, 15, -16, 16, 511, -512, 1_340_000, -5_500_000, 2**40, -(2**40)]
    text = zahlen_kodieren(zahlen)
    assert set(text) <= set(ALPHABET)
    assert zahlen_dekodieren(text) == zahlen
    # kleine Abstände kosten ein Zeichen, unter 512 zwei
    assert len(zahlen_kodieren([15])) == 1 and len(zahlen_kodieren([-16])) == 1
    assert len(zahlen_kodieren([16])) == 2 and len(zahlen_kodieren([511])) == 2 and len(zahlen_kodieren([512])) == 3
    # JSON lässt die Zeichen unverändert (kein Maskieren)
    assert json.dumps(text) == f'"{text}"'


def test_abgeschnittene_zeichenkette_ist_ein_fehler():
    text = zahlen_kodieren([1_000_000])
    with pytest.raises(ValueError):
        zahlen_dekodieren(text[:-1])


def _flaeche_als_shapely(flaeche) -> MultiPolygon:
    return MultiPolygon([Polygon(ringe[0], ringe[1:]) for ringe in flaeche])


def test_loch_und_mehrfachflaeche_bleiben_erhalten():
    aussen = [(13.0, 52.0), (13.01, 52.0), (13.01, 52.01), (13.0, 52.01), (13.0, 52.0)]
    loch = [(13.002, 52.002), (13.004, 52.002), (13.004, 52.004), (13.002, 52.002)]
    mit_loch = Polygon(aussen, [loch])
    insel = Polygon([(13.02, 52.0), (13.03, 52.0), (13.025, 52.01)])
    kodiert = flaechen_kodieren([mit_loch, MultiPolygon([mit_loch, insel]), None])
    zurueck = flaechen_dekodieren(kodiert)
    assert [len(f) for f in zurueck] == [1, 2, 0]
    assert [len(r) for r in zurueck[0][0]] == [4, 3]  # Schlusspunkt entfällt
    assert _flaeche_als_shapely(zurueck[0]).area == pytest.approx(mit_loch.area, rel=1e-9)
    assert _flaeche_als_shapely(zurueck[1]).area == pytest.approx(mit_loch.area + insel.area, rel=1e-9)


def test_entartete_ringe_entfallen():
    winzig = Polygon([(13.0, 52.0), (13.000001, 52.0), (13.0, 52.000001)])  # < 1 Gitterschritt
    assert flaechen_kodieren([winzig]) == [[]]


def test_berlin_genau_und_klein(berlin):
    """542 Planungsräume: auf 1e-5° genau (so rundet schon die Anzeige), unter 250 KB samt Namen."""
    anzeige = vereinfachen(berlin.gebiete["planungsraum"])
    daten = ebene_kodieren(anzeige)
    groesse = len(json.dumps(daten, separators=(",", ":"), ensure_ascii=False).encode())
    assert groesse < 250_000
    assert daten["ids"] == list(anzeige.index) and len(daten["flaechen"]) == 542
    zurueck = flaechen_dekodieren(daten["flaechen"], daten["schritt"])
    for geom, flaeche in zip(anzeige.geometry, zurueck, strict=True):
        # jeder dekodierte Punkt liegt auf einem Punkt der Anzeige (bis auf die halbe Gitterweite)
        original = shapely.get_coordinates(geom)
        punkte = np.array([p for ringe in flaeche for ring in ringe for p in ring])
        abstand = np.abs(punkte[:, None, :] - original[None, :, :]).max(axis=2).min(axis=1)
        assert abstand.max() <= SCHRITT / 2 + 1e-12
        assert _flaeche_als_shapely(flaeche).area == pytest.approx(geom.area, rel=1e-6)


def test_gleiche_geometrie_gleicher_schluessel(musterstadt):
    a = vereinfachen(musterstadt.gebiete["viertel"])
    assert ebene_kodieren(a)["hash"] == ebene_kodieren(a.copy())["hash"]
    anders = a.copy()
    anders.loc[anders.index[0], "name"] = "Umbenannt"
    assert ebene_kodieren(anders)["hash"] != ebene_kodieren(a)["hash"]


def test_punkte_hin_und_zurueck():
    xy = np.array([[13.40495, 52.52001], [13.40496, 52.52], [11.5, 48.1]])
    text = punkte_kodieren(xy)
    assert np.abs(np.array(punkte_dekodieren(text)) - xy).max() < 1e-9
    assert punkte_kodieren(np.empty((0, 2))) == ""

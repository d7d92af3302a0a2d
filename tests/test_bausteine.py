"""Bausteine der Seiten: die Indikatorwahl rechnet ihre Liste einmal je Kommune und Stand."""

from __future__ import annotations

from kommune.format import indikator_bezeichnung
from kommune.werte import neueste_periode
from oberflaeche.bausteine import indikator_optionen


def test_indikator_optionen_wie_einzeln_gerechnet(musterstadt):
    kat = musterstadt.katalog
    perioden = sorted(musterstadt.indikatoren["periode"].unique())
    for stand in [None, perioden[0], perioden[-1]]:
        ids, texte, juengste = indikator_optionen(musterstadt, stand)
        erwartet = [i for i in kat.index if neueste_periode(musterstadt, i, stand) is not None]
        assert sorted(ids) == sorted(erwartet)
        assert ids == kat.loc[erwartet].sort_values(["thema", "name"]).index.tolist()
        assert all(juengste[i] == neueste_periode(musterstadt, i, stand) for i in ids)
        i = ids[0]
        assert texte[i] == f"{kat.loc[i, 'thema'] or 'ohne Thema'} · {indikator_bezeichnung(kat, i)}"
    assert indikator_optionen(musterstadt, None) is indikator_optionen(musterstadt, None)  # einmal gerechnet


def test_indikator_optionen_frueher_stand_hat_weniger(musterstadt):
    perioden = sorted(musterstadt.indikatoren["periode"].unique())
    frueh = indikator_optionen(musterstadt, perioden[0])[2]
    spaet = indikator_optionen(musterstadt, perioden[-1])[2]
    assert set(frueh) <= set(spaet)
    assert all(p <= perioden[0] for p in frueh.values())


def test_indikator_optionen_vor_allen_perioden_leer(musterstadt):
    assert indikator_optionen(musterstadt, "0000") == ([], {}, {})

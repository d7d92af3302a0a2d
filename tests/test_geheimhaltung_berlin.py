"""Der öffentliche Export Berlins enthält keine Zelle, die die Regeln verbieten (gegen die Rohwerte geprüft)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from freigabe.tabellenexport import indikatortabelle, sperren_von
from kommune.werte import bezugsreihe


class _SchonGeladen:
    """Eine Ablage, die nur die schon geladene Kommune „berlin“ liefert."""

    def __init__(self, kommune) -> None:
        self.kommune = kommune

    def stand(self, name: str, version: str = "aktiv") -> str:
        return name

    def laden(self, stand: str):
        return self.kommune if stand == "berlin" else None


@pytest.fixture(scope="module")
def export(berlin, tmp_path_factory):
    """`python -m freigabe export berlin --level planungsraum --role oeffentlich --out …` (im selben Prozess)."""
    import contextlib
    import io

    from freigabe.__main__ import main

    aus = tmp_path_factory.mktemp("berlin") / "plr.xlsx"
    ausgabe = io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(ausgabe):
        # dieselbe Befehlszeile, nur ohne Berlin ein zweites Mal zu laden (die Sitzung hat es schon)
        mp.setattr("freigabe.__main__.ablage", lambda: _SchonGeladen(berlin))
        rc = main(["export", "berlin", "--level", "planungsraum", "--role", "oeffentlich", "--out", str(aus)])
    assert rc == 0
    tab = pd.read_excel(aus, sheet_name="Indikatoren", skiprows=[1], dtype={"ID": str})
    return tab.set_index("ID"), ausgabe.getvalue()


def test_berlin_oeffentlich_keine_verbotene_zelle(berlin, export):
    tab, ausgabe = export
    roh = indikatortabelle(berlin, "planungsraum", rolle="admin").set_index("ID")
    kat = berlin.katalog
    perioden = roh.attrs["perioden"]
    d = berlin.indikatoren[berlin.indikatoren["schicht"] == "planungsraum"]

    def rohwert(ind, periode):
        t = d[(d["indikator"] == ind) & (d["periode"] == periode)].set_index("gebiet")["wert"]
        return t.reindex(tab.index).astype(float)

    bev = {"2024": rohwert("inhabitants", "2024"), "2020": rohwert("EW", "2020")}
    gesperrt = 0
    gepruefte = 0
    for ind in roh.attrs["indikatoren"]:
        kopf = f"{kat.loc[ind, 'name']} [{ind}]"
        p = perioden[ind]
        zelle = tab[kopf]
        punkt = zelle.astype(str) == "."
        gesperrt += int(punkt.sum())
        sichtbar = pd.to_numeric(zelle.where(~punkt), errors="coerce")
        r = roh[kopf]
        # sichtbare Werte sind unverändert
        beide = sichtbar.notna()
        assert np.allclose(sichtbar[beide], r[beide]), ind
        assert (r[punkt].notna()).all(), f"{ind}: „.“ ohne Rohwert"
        art = kat.loc[ind, "art"]
        if art == "anzahl":
            assert not ((sichtbar > 0) & (sichtbar < 3)).any(), ind
        if ind not in ("inhabitants", "EW"):
            assert not (beide & (bev[p] < 300)).any(), f"{ind}: Wert in Gebiet unter 300 Einwohnern"
        if art == "anteil":
            # Bezugsgrößen auch als Summenformel und aus der nächstgelegenen Periode (wie kommune.werte)
            for bezug, naechste in ((kat.loc[ind, "nenner"], False), (kat.loc[ind, "gewicht"], True)):
                if bezug:
                    gefunden = bezugsreihe(berlin, bezug, p, "planungsraum", naechste=naechste)
                    assert gefunden is not None, f"{ind}: Bezugsgröße „{bezug}“ nicht gefunden"
                    n = gefunden[0].reindex(tab.index)
                    assert not (beide & (n < 10)).any(), f"{ind}: Nenner unter 10"
            if kat.loc[ind, "zaehler"]:
                z = rohwert(kat.loc[ind, "zaehler"], p)
                assert not (beide & (z > 0) & (z < 3)).any(), f"{ind}: Zähler unter 3"
        gepruefte += int(zelle.notna().sum())
    assert gepruefte > 20_000
    assert f"{gesperrt} Werte gesperrt" in ausgabe
    # Sekundärsperrung: keine Bezirksregion mit sichtbarem Wert hat genau ein gesperrtes Kind
    bzr = indikatortabelle(berlin, "bezirksregion", rolle="oeffentlich").set_index("ID")
    eltern = berlin.gebiete["planungsraum"]["eltern"].reindex(tab.index)
    bzr_maske, _ = sperren_von(bzr)
    for kopf in bzr.columns[1:]:
        if kopf not in tab:
            continue
        punkt = (tab[kopf].astype(str) == ".").groupby(eltern).sum()
        sichtbar_eltern = bzr[kopf].notna() & ~bzr_maske[kopf]
        assert not ((punkt == 1) & sichtbar_eltern.reindex(punkt.index)).any(), kopf

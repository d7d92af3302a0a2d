"""Die Kommune nennt ihre eigenen Wörter: Gesamtgebiet und Grenze aus der kommune.toml, Mehrzahl aus einer Stelle."""

from __future__ import annotations

import re

import pytest

from kommune.fehler import KommuneFehler
from kommune.format import mehrzahl
from kommune.konfiguration import konfiguration_lesen
from tests.conftest import IN_CI, PROJEKT, deutschland_daten_da
from tests.mini import TOML, mini_kommune
from tests.test_seiten import _app, _texte

#: Stellen, die Oberflächentexte bauen (hier darf kein Stadtwort und keine selbstgebaute Mehrzahl stehen).
ORDNER = ("berichte", "geodata", "oberflaeche", "seiten", "kommune")


def _regensburg_da() -> None:
    if not deutschland_daten_da():
        if IN_CI:
            pytest.fail("In CI müssen die bundesweiten Daten vorhanden sein.")
        pytest.skip("Bundesweite Daten (germany/) nicht vorhanden")


def test_standard_sind_die_woerter_einer_stadt(tmp_path, musterstadt):
    konf = konfiguration_lesen(mini_kommune(tmp_path / "k"))
    assert (konf.gesamtgebiet, konf.grenze) == ("Gesamtstadt", "Stadtgrenze")
    assert (musterstadt.konfiguration.gesamtgebiet, musterstadt.konfiguration.grenze) == ("Gesamtstadt", "Stadtgrenze")


def test_eigene_woerter_aus_der_kommune_toml(tmp_path):
    woerter = 'gesamtgebiet = "  Landkreis   Mini "\ngrenze = "Kreisgrenze"'
    toml = TOML.replace('ags = "09999001"', f'ags = "09999001"\n{woerter}')
    konf = konfiguration_lesen(mini_kommune(tmp_path / "k", toml=toml))
    assert (konf.gesamtgebiet, konf.grenze) == ("Landkreis Mini", "Kreisgrenze")


@pytest.mark.parametrize(
    ("zeile", "meldung"),
    [
        ('gesamtgebiet = ""', "„gesamtgebiet“ muss ein kurzer Text sein"),
        ('grenze = "   "', "„grenze“ muss ein kurzer Text sein"),
        (f'gesamtgebiet = "{"x" * 81}"', "1 bis 80 Zeichen"),
        ('gesamtgebiet = ["Landkreis"]', "„gesamtgebiet“ in der obersten Ebene muss ein Text"),
    ],
)
def test_falsche_woerter_geben_deutsche_meldung(tmp_path, zeile, meldung):
    toml = TOML.replace('ags = "09999001"', f'ags = "09999001"\n{zeile}')
    with pytest.raises(KommuneFehler, match=meldung):
        konfiguration_lesen(mini_kommune(tmp_path / "k", toml=toml))


def test_regensburg_nennt_sich_landkreis(regensburg):
    assert regensburg.konfiguration.gesamtgebiet == "Landkreis Regensburg"
    assert regensburg.konfiguration.grenze == "Kreisgrenze"


@pytest.mark.parametrize(
    ("name", "nominativ", "dativ"),
    [
        ("Gemeinde", "Gemeinden", "Gemeinden"),
        ("Verwaltungsgemeinschaft", "Verwaltungsgemeinschaften", "Verwaltungsgemeinschaften"),
        ("Kreis", "Kreise", "Kreisen"),
        ("Grundschulsprengel", "Grundschulsprengel", "Grundschulsprengeln"),
        ("Planungsraum", "Planungsräume", "Planungsräumen"),
    ],
)
def test_mehrzahl_der_ebenen_eines_landkreises(name, nominativ, dativ):
    assert mehrzahl(name) == nominativ and mehrzahl(name, "dativ") == dativ


def test_kein_stadtwort_und_keine_selbstgebaute_mehrzahl_im_code():
    """Texte für die Oberfläche nehmen Gesamtgebiet/Grenze aus der Konfiguration und die Mehrzahl aus `mehrzahl`."""
    funde = []
    for ordner in ORDNER:
        for datei in sorted((PROJEKT / ordner).rglob("*.py")):
            if datei.relative_to(PROJEKT).as_posix() == "kommune/konfiguration.py":
                continue  # die Standardwörter einer Stadt stehen genau dort
            for nr, zeile in enumerate(datei.read_text(encoding="utf-8").splitlines(), 1):
                if re.search(r"Gesamtstadt|Stadtgrenze|gesamte Stadt", zeile) or re.search(r"\.name\}e[n]?\b", zeile):
                    funde.append(f"{datei.relative_to(PROJEKT)}:{nr}: {zeile.strip()}")
    assert funde == []


def test_regensburg_seiten_sagen_landkreis_nie_gesamtstadt():
    _regensburg_da()
    at = _app("regensburg", ebene="gemeinde", gebiet="093750117117")
    at.run()
    for seite in ("seiten/gebietsprofil.py", "seiten/cockpit.py", "seiten/karte.py", "seiten/vergleich.py"):
        at.switch_page(seite).run()
        assert not at.exception, (seite, at.exception)
        texte = _texte(at) + "\n".join(str(t.value) for t in at.dataframe)
        spalten = [str(c) for t in at.dataframe for c in t.value.columns]
        assert "Gesamtstadt" not in texte and "Gesamtstadt" not in spalten, seite
        assert "Stadtgrenze" not in texte, seite
        if seite == "seiten/gebietsprofil.py":
            assert "Landkreis Regensburg" in spalten
        if seite == "seiten/karte.py":
            assert any(t.startswith("Landkreis Regensburg: ") for t in (m.value for m in at.markdown))
        if seite == "seiten/vergleich.py":
            assert "Landkreis Regensburg" in spalten
            assert at.multiselect[0].label == "Gemeinden (bis zu 5)"


def test_musterstadt_bleibt_gesamtstadt():
    at = _app("musterstadt", ebene="viertel")
    at.run()
    gebiet = at.query_params.get("gebiet")
    at.switch_page("seiten/gebietsprofil.py").run()
    assert not at.exception, at.exception
    spalten = [str(c) for t in at.dataframe for c in t.value.columns]
    assert "Gesamtstadt" in spalten, (gebiet, spalten[:10])
    at.switch_page("seiten/vergleich.py").run()
    assert "Gesamtstadt" in [str(c) for t in at.dataframe for c in t.value.columns]
    assert at.multiselect[0].label == "Stadtviertel (bis zu 5)"  # früher „Stadtviertele“

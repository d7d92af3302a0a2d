"""Kein Cache liefert nach einem Import oder einem Wechsel des Datenstands alten Inhalt.

Der Import geschieht hier an der Ablage vorbei an der App (wie auf einem anderen App-Server): kein Cache wird
geleert, nur der Stand ändert sich. Danach muss jede Seite den neuen Wert zeigen; wer den Datenstand auf die
ursprünglichen Dateien zurückstellt, sieht wieder den alten – auf Cockpit, Baukasten und Karte.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from streamlit.testing.v1 import AppTest

from kommune.ablage import ORIGINAL
from kommune.dateiablage import DateiAblage
from tests.conftest import PROJEKT

APP = PROJEKT / "app.py"
MUSTERSTADT = PROJEKT / "sample_data" / "musterstadt"


def _kinderarmut_verdoppelt() -> bytes:
    """indikatoren.csv, in der die erste Hälfte der Viertel doppelte Kinderarmut hat (Zähler und Wert)."""
    zeilen = (MUSTERSTADT / "indikatoren.csv").read_text(encoding="utf-8").splitlines()
    gebiete = sorted({z.split(";")[0] for z in zeilen[1:]})
    haelfte = set(gebiete[: len(gebiete) // 2])
    aus = [zeilen[0]]
    for z in zeilen[1:]:
        t = z.split(";")
        if t[1] == "kinderarmut" and t[0] in haelfte and t[3] and t[4]:
            t[3] = f"{float(t[3].replace(',', '.')) * 2:.1f}".replace(".", ",")
            t[4] = str(int(t[4]) * 2)
        aus.append(";".join(t))
    return ("\n".join(aus) + "\n").encode("utf-8")


@pytest.fixture
def eigene(tmp_path, monkeypatch) -> str:
    ordner = Path(shutil.copytree(MUSTERSTADT, tmp_path / "stadt"))
    monkeypatch.setenv("BILDUNGSMONITOR_KOMMUNE", str(ordner))
    return str(ordner)


def _app(kommune: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["demo_rolle"] = "admin"  # Datenstand wählen erst ab „intern“
    at.query_params["kommune"] = kommune
    return at


def _cockpit(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown if "kachel" in str(m.value))


def _rangliste(at: AppTest) -> str:
    """Die Rangliste des Sozialindex (enthält Kinderarmut) als Text."""
    if at.selectbox(key="idx_preset_Musterstadt").value != "sozialindex":
        at.selectbox(key="idx_preset_Musterstadt").set_value("sozialindex").run()
    tabellen = [d.value for d in at.dataframe if "Indexwert" in d.value.columns]
    assert len(tabellen) == 1
    return tabellen[0].to_csv()


def _datenstand(at: AppTest, kommune: str, version: str) -> None:
    at.sidebar.selectbox(key=f"sb_version_{kommune}").set_value(version).run()
    assert not at.exception, at.exception


@pytest.mark.parametrize(
    ("seite", "lesen"), [("seiten/cockpit.py", _cockpit), ("seiten/index_baukasten.py", _rangliste)]
)
def test_import_und_datenstand_wechsel_zeigen_den_richtigen_wert(eigene, seite, lesen):
    at = _app(eigene)
    at.run()
    at.switch_page(seite).run()
    assert not at.exception, at.exception
    vorher = lesen(at)
    assert vorher
    vid = DateiAblage().version_anlegen(eigene, {"indikatoren.csv": _kinderarmut_verdoppelt()}, {"wer": "test"})
    at.run()  # nächster Lauf derselben Sitzung: kein Cache wurde geleert
    assert not at.exception, at.exception
    nachher = lesen(at)
    assert nachher != vorher, "nach dem Import zeigt die Seite den alten Wert"
    _datenstand(at, eigene, ORIGINAL)
    assert lesen(at) == vorher, "der gewählte ursprüngliche Datenstand zeigt den neuen Wert"
    _datenstand(at, eigene, vid)
    assert lesen(at) == nachher
    _datenstand(at, eigene, "aktiv")
    assert lesen(at) == nachher


def test_cockpit_zeigt_den_wert_einer_frisch_geladenen_kommune(eigene):
    """Nicht nur „anders“: die Kacheln gleichen denen, die eine frisch geladene Kommune ergibt."""
    from berichte.cockpit import kacheln_berechnen

    def kinderarmut(kommune) -> str:
        return next(k.wert_text for k in kacheln_berechnen(kommune, None, rolle="admin") if k.id == "kinderarmut")

    a = DateiAblage()
    at = _app(eigene)
    at.run()
    at.switch_page("seiten/cockpit.py").run()
    alt = kinderarmut(a.laden(a.stand(eigene)))
    assert alt in _cockpit(at)
    a.version_anlegen(eigene, {"indikatoren.csv": _kinderarmut_verdoppelt()}, {"wer": "test"})
    at.run()
    neu = kinderarmut(a.laden(a.stand(eigene)))
    assert neu != alt and neu in _cockpit(at) and alt not in _cockpit(at)


def test_kartengeometrie_folgt_dem_gewaehlten_datenstand(eigene):
    """Früher kam die Geometrie immer aus der aktiven Version, auch wenn ein anderer Stand gewählt war."""
    from oberflaeche.laden import karten_geometrie, kommune_holen

    a = DateiAblage()
    k0 = kommune_holen(eigene)
    ebene = k0.konfiguration.standard_ebene or k0.konfiguration.schichten[0].id
    ids_vorher = karten_geometrie(k0, ebene)["ids"]
    schicht = k0.schicht(ebene)
    # neue Version: dieselbe Geometrie ohne ihr erstes Gebiet (nur diese Ebene, andere Ebenen bleiben)
    quelle = Path(eigene) / schicht.datei
    tmp = Path(eigene).parent / "geo_neu.gpkg"
    for layer in gpd.list_layers(quelle)["name"]:
        df = gpd.read_file(quelle, layer=layer)
        if layer == schicht.layer:
            df = df[df[schicht.id_spalte].astype(str) != ids_vorher[0]]
        df.to_file(tmp, layer=layer, driver="GPKG")
    vid = a.version_anlegen(eigene, {schicht.datei: tmp.read_bytes()}, {"wer": "test"})
    k1 = kommune_holen(eigene)
    assert k1.stand.version == vid
    assert karten_geometrie(k1, ebene)["ids"] == ids_vorher[1:]
    original = kommune_holen(eigene, ORIGINAL)
    assert original.stand.version == ORIGINAL
    assert karten_geometrie(original, ebene)["ids"] == ids_vorher
    assert karten_geometrie(kommune_holen(eigene, vid), ebene)["ids"] == ids_vorher[1:]


def test_wiederherstellen_auf_der_importseite_wirkt_ohne_cache_leeren(eigene):
    """Die Seite Datenimport stellt über die Ablage wieder her; das Cockpit zeigt danach den alten Wert."""
    a = DateiAblage()
    at = _app(eigene)
    at.run()
    at.switch_page("seiten/cockpit.py").run()
    vorher = _cockpit(at)
    vid = a.version_anlegen(eigene, {"indikatoren.csv": _kinderarmut_verdoppelt()}, {"wer": "test"})
    at.run()
    assert _cockpit(at) != vorher
    at.switch_page("seiten/datenimport.py").run()
    assert not at.exception, at.exception
    at.selectbox(key="import_restore").set_value(ORIGINAL)
    at.button(key="import_restore_los").click().run()
    assert any("ist wieder aktiv" in str(s.value) for s in at.success)
    assert a.stand(eigene).version == ORIGINAL and [v["id"] for v in a.versionen(eigene)] == [vid]
    at.switch_page("seiten/cockpit.py").run()
    assert _cockpit(at) == vorher

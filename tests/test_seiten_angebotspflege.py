"""Die Seiten „Meine Angebote“ und „Angebote prüfen“ mit echter Anmeldung (Benutzerdatei) im AppTest:
ein Träger sieht nur seine Angebote, auch nicht über die Adresse; eine Änderung wird Vorschlag und nach der
Annahme eine neue Datenversion."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from kommune import angebotspflege as pflege
from kommune.dateiablage import DateiAblage
from oberflaeche.rollen import benutzer_zeile
from tests.conftest import PROJEKT

APP = PROJEKT / "app.py"
PASSWORT = "ein-langes-passwort"


@pytest.fixture
def stadt(tmp_path, monkeypatch):
    ordner = tmp_path / "meinestadt"
    shutil.copytree(PROJEKT / "sample_data" / "musterstadt", ordner)
    datei = tmp_path / "benutzer.toml"
    datei.write_text(
        benutzer_zeile("vhs-koord", "traeger", PASSWORT, "vhs") + benutzer_zeile("bb", "admin", PASSWORT),
        encoding="utf-8",
    )
    monkeypatch.setenv("BILDUNGSMONITOR_BENUTZER", str(datei))
    monkeypatch.setenv("BILDUNGSMONITOR_KOMMUNE", str(ordner))
    monkeypatch.setenv("BILDUNGSMONITOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("BILDUNGSMONITOR_DEMO", raising=False)
    return ordner


def _angemeldet(name: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.sidebar.text_input[0].input(name)
    at.sidebar.text_input[1].input(PASSWORT)
    at.sidebar.button[0].click().run()
    assert not at.exception and at.session_state["rolle"] in ("traeger", "admin")
    return at


def test_ohne_anmeldung_keine_pflegeseiten(stadt):
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    for seite in ("seiten/meine_angebote.py", "seiten/angebote_pruefen.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(seite)


def test_traeger_sieht_nur_eigene_angebote(stadt):
    register = pflege.register_aus_kommune(DateiAblage().laden(DateiAblage().stand(str(stadt))))
    fremd = pflege.eigene(register, "caritas")["id"].iloc[0]
    at = _angemeldet("vhs-koord", angebot=fremd)
    assert at.session_state["aktive_rolle"] == "oeffentlich"  # Zahlen wie die Öffentlichkeit
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("seiten/angebote_pruefen.py")
    at.switch_page("seiten/meine_angebote.py").run()
    assert not at.exception and not at.error
    tabelle = at.dataframe[0].value
    eigene = pflege.eigene(register, "vhs")
    assert sorted(tabelle["ID"]) == sorted(eigene["id"]) and "Caritas" not in " ".join(tabelle["Name"])
    assert any("gehört nicht zu Ihrem Träger" in w.value for w in at.warning)  # fremde ID in der Adresse
    assert at.selectbox(key="ma_wahl_vhs").options == list(eigene["name"])
    texte = " ".join(str(t.value) for t in at.text_input) + " ".join(str(t.value) for t in at.text_area)
    assert pflege.angebot_werte(register, fremd)["beschreibung"] not in texte
    with pytest.raises(KeyError):
        at.selectbox(key="ma_traeger")  # kein „im Auftrag von“ für Träger


def test_aenderung_einreichen_und_annehmen(stadt):
    at = _angemeldet("vhs-koord")
    at.switch_page("seiten/meine_angebote.py").run()
    aid = at.selectbox(key="ma_wahl_vhs").value
    feld = at.text_input(key=f"ma_form_{aid}_zeiten")
    feld.input("Mo–Fr 8–12 Uhr")
    at.button(key=f"FormSubmitter:ma_form_{aid}-Änderung einreichen").click().run()
    assert not at.exception and any("eingereicht" in s.value for s in at.success)
    a = DateiAblage()
    (v,) = pflege.offene(a, str(stadt))
    assert (v.art, v.traeger_id, v.werte["zeiten"], v.von) == ("aendern", "vhs", "Mo–Fr 8–12 Uhr", "vhs-koord")
    vorher = a.stand(str(stadt))

    bb = _angemeldet("bb")
    bb.switch_page("seiten/angebote_pruefen.py").run()
    assert not bb.exception and "Mo–Fr 8–12 Uhr" in set(bb.dataframe[0].value["neu"])
    bb.button(key=f"ap_ab_{v.id}").click().run()  # ohne Grund: nichts passiert
    assert any("Grund" in e.value for e in bb.error) and pflege.offene(a, str(stadt))
    bb.button(key=f"ap_an_{v.id}").click().run()
    assert not bb.exception and any("neue Datenversion" in s.value for s in bb.success)
    nachher = a.stand(str(stadt))
    assert nachher.version != vorher.version
    register = pflege.register_aus_kommune(a.laden(nachher))
    assert len(register) == 80 and register.set_index("id").loc[aid, "zeiten"] == "Mo–Fr 8–12 Uhr"
    bb.switch_page("seiten/angebote_pruefen.py").run()
    assert "Keine offenen Vorschläge." in [i.value for i in bb.info]

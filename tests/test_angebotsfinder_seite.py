"""Seite „Angebote finden“ mit Streamlits AppTest: öffentlich, Filter aus dem Link, Filterwechsel, Blättern,
Auswahl per Link, jede Kommune (Musterstadt, Musterkreis, Berlin, Zufallskommune, ohne Angebote)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from geodata.angebotsfinder import Filterzustand, filtern, oeffentliche_angebote
from kommune import kommune_laden
from tests.conftest import IN_CI, PROJEKT, berlin_daten_da

APP = PROJEKT / "app.py"
SEITE = "seiten/angebote_finden.py"


def _app(kommune: str | None, rolle: str = "oeffentlich", **params: str) -> AppTest:
    if kommune == "berlin" and not berlin_daten_da():
        if IN_CI:
            pytest.fail("In CI müssen die Berliner Daten vorhanden sein.")
        pytest.skip("Berliner Daten nicht vorhanden")
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["demo_rolle"] = rolle
    if kommune:
        at.query_params["kommune"] = kommune
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(SEITE).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def _treffer(at: AppTest) -> int:
    """Die Trefferzahl aus „**N Angebote** von M“."""
    for m in at.markdown:
        if t := re.match(r"\*\*([\d.]+) Angebote?\*\*", str(m.value)):
            return int(t[1].replace(".", ""))
    raise AssertionError("keine Trefferzahl")


def _eintraege(at: AppTest) -> list[str]:
    return [str(m.value) for m in at.markdown if str(m.value).startswith("**") and "  \n" in str(m.value)]


def _erwartet(kommune_id: str, **filter) -> int:
    k = kommune_laden(kommune_id)
    a = oeffentliche_angebote(k.angebote, date.today())
    return int(filtern(a, Filterzustand(**filter), k).sum())


@pytest.mark.parametrize("kommune", ["musterstadt", "musterkreis", "berlin"])
def test_seite_rendert_mit_allen_angeboten(kommune):
    at = _app(kommune)
    assert at.title[0].value == "Angebote finden"
    assert _treffer(at) == _erwartet(kommune) > 0
    assert len(_eintraege(at)) == 25  # erste Seite
    assert any("Quellen:" in str(c.value) for c in at.caption)
    assert dict(at.query_params)["kommune"] == kommune


def test_link_stellt_filter_her_und_meldet_kaputte_werte():
    at = _app("musterstadt", kategorie="Sprachkurs", alter="abc", zielgruppe="<b>x</b>")
    assert _treffer(at) == _erwartet("musterstadt", kategorie="Sprachkurs") == 20
    assert at.selectbox(key="af_kategorie_musterstadt").value == "Sprachkurs"
    hinweise = " ".join(str(i.value) for i in at.info)
    assert "Alter" in hinweise and "Zielgruppe" in hinweise and "ignoriert" in hinweise
    assert "<b>" not in hinweise  # maskiert
    params = dict(at.query_params)
    assert params["kategorie"] == "Sprachkurs" and "alter" not in params and "zielgruppe" not in params
    assert all("Sprachkurs" in e for e in _eintraege(at))


def test_filterwechsel_aktualisiert_liste_und_url():
    at = _app("musterstadt")
    at.text_input(key="af_suche_musterstadt").input("Sprachcafé").run()
    n = _erwartet("musterstadt", suche="Sprachcafé")
    assert _treffer(at) == n == len(_eintraege(at)) > 0
    assert dict(at.query_params)["suche"] == "Sprachcafé"
    at.checkbox(key="af_barrierefrei_musterstadt").check().run()
    assert _treffer(at) == _erwartet("musterstadt", suche="Sprachcafé", barrierefrei=True) < n
    assert dict(at.query_params)["barrierefrei"] == "1"
    at.number_input(key="af_alter_musterstadt").set_value(8).run()
    assert dict(at.query_params)["alter"] == "8"
    at.button(key="af_zurueck_musterstadt").click().run()
    assert _treffer(at) == _erwartet("musterstadt")
    assert set(dict(at.query_params)) <= {"kommune", "ebene"}


def test_gebiet_und_blaettern():
    k = kommune_laden("musterstadt")
    bezirk = str(k.gebiete["stadtbezirk"].index[0])
    at = _app("musterstadt", bereich=f"stadtbezirk:{bezirk}")
    n = _erwartet("musterstadt", gebiet_ebene="stadtbezirk", gebiet=bezirk)
    assert _treffer(at) == n > 25
    assert at.selectbox(key="af_gebiet_musterstadt_stadtbezirk").value == bezirk
    at.button(key="af_weiter_musterstadt").click().run()
    assert len(_eintraege(at)) == min(50, n)
    at.selectbox(key="af_kategorie_musterstadt").set_value("Kita").run()  # neuer Filter: wieder Seite 1
    assert len(_eintraege(at)) == min(25, _treffer(at))


def test_ausgewaehltes_angebot_per_link():
    k = kommune_laden("musterstadt")
    a = oeffentliche_angebote(k.angebote, date.today())
    z = a[a["herkunft"] == "register"].iloc[3]
    at = _app("musterstadt", angebot=str(z["id"]))
    texte = [str(m.value) for m in at.markdown]
    i = texte.index("**Ausgewählt**")
    assert texte[i + 1].startswith(f"**{z['name']}") or z["name"].split()[0] in texte[i + 1]
    assert "zuletzt bestätigt am" in texte[i + 1]
    at.button(key="af_aufheben_musterstadt").click().run()
    assert "**Ausgewählt**" not in [str(m.value) for m in at.markdown]
    assert "angebot" not in dict(at.query_params)


def test_berlin_filter_kategorie_und_bezirk():
    at = _app("berlin", kategorie="Bibliothek", bereich="bezirk:01")
    assert _treffer(at) == _erwartet("berlin", kategorie="Bibliothek", gebiet_ebene="bezirk", gebiet="01") > 0


def test_seite_ohne_angebote_und_zufallskommune(tmp_path, monkeypatch):
    from tests.daten.zufallskommune import zufallskommune
    from tests.mini import mini_kommune

    ordner = mini_kommune(tmp_path / "mini")
    monkeypatch.setenv("BILDUNGSMONITOR_KOMMUNE", str(ordner))
    at = _app(None)
    assert any("keine öffentlichen Angebote" in str(i.value) for i in at.info)

    b = zufallskommune(tmp_path / "zufall3", 3)
    monkeypatch.setenv("BILDUNGSMONITOR_KOMMUNE", str(b.ordner))
    at = _app(None)
    k = kommune_laden(b.ordner)
    erwartet = len(oeffentliche_angebote(k.angebote))
    if erwartet:
        assert _treffer(at) == erwartet
        at.selectbox(key=f"af_kategorie_{b.ordner}").set_value(sorted(k.angebote["kategorie"])[0]).run()
        assert not at.exception and not at.error
    else:
        assert any("keine öffentlichen Angebote" in str(i.value) for i in at.info)


def test_oeffentliche_rolle_sieht_die_seite():
    from oberflaeche.rollen import darf

    assert darf("oeffentlich", "angebote_finden")


def test_formelnamen_auf_der_seite_nur_text(tmp_path, monkeypatch):
    """Musterstadt mit formel- und linkartigen Namen ([[angebote]] und Register): kein Link, kein Markdown."""
    import csv
    import io
    import shutil

    ordner = tmp_path / "musterstadt"
    shutil.copytree(PROJEKT / "sample_data" / "musterstadt", ordner)
    datei = ordner / "angebotsregister.csv"
    zeilen = list(csv.reader(io.StringIO(datei.read_text(encoding="utf-8-sig")), delimiter=";"))
    kopf = zeilen[0]
    boese = ['=HYPERLINK("http://x.invalid","klick")', "**fett** [Link](http://x.invalid)", "<b>fett</b> www.x.invalid"]
    for i, name in enumerate(boese, start=1):
        zeilen[i][kopf.index("Name")] = name
        zeilen[i][kopf.index("Kategorie")] = "Zzz Test"
    puffer = io.StringIO()
    csv.writer(puffer, delimiter=";", lineterminator="\r\n").writerows(zeilen)
    datei.write_text(puffer.getvalue(), encoding="utf-8-sig")
    monkeypatch.setenv("BILDUNGSMONITOR_KOMMUNE", str(ordner))
    at = _app(None, kategorie="Zzz Test")
    eintraege = _eintraege(at)
    assert _treffer(at) == len(eintraege) == 3
    for e in eintraege:
        kopf_zeile = e.split("  \n")[0]
        assert not re.search(r"(?<!\\)[<>\[\]()*]", kopf_zeile.strip("*")), kopf_zeile
        assert "http://x" not in kopf_zeile and "www.x" not in kopf_zeile  # keine Autolinks

"""Sichere Voreinstellung: ohne eingerichtete Anmeldung nur die öffentliche Rolle, nur der aktive Datenstand."""

from __future__ import annotations

import shutil

from streamlit.testing.v1 import AppTest

from tests.conftest import PROJEKT

APP = PROJEKT / "app.py"


def test_ohne_konfiguration_nur_oeffentlich(monkeypatch):
    monkeypatch.delenv("BILDUNGSMONITOR_DEMO", raising=False)
    monkeypatch.delenv("BILDUNGSMONITOR_BENUTZER", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception
    assert at.session_state["aktive_rolle"] == "oeffentlich"
    assert not [s for s in at.sidebar.selectbox if s.key == "demo_rolle"], "kein Rollenwähler ohne Demo-Schalter"
    assert any("Öffentliche Ansicht" in c.value for c in at.sidebar.caption)
    # Eine interne oder Admin-Seite ist nicht erreichbar, auch nicht über den Pfad der Datei
    for seite in ("seiten/datenimport.py", "seiten/index_baukasten.py", "seiten/angebote.py"):
        try:
            at.switch_page(seite).run()
        except Exception:  # AppTest lehnt eine Seite ab, die die Navigation nicht kennt
            continue
        assert not any(t.value == "Datenimport" for t in at.title)
        assert not [b for b in at.button if "Version anlegen" in str(b.label)]


def test_demo_rolle_ist_vorgewaehlt_oeffentlich(monkeypatch):
    monkeypatch.setenv("BILDUNGSMONITOR_DEMO", "1")
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert at.sidebar.selectbox(key="demo_rolle").value == "oeffentlich"
    assert any("Demo-Modus" in w.value for w in at.sidebar.warning)


def test_kein_pages_ordner():
    """Ein Ordner `pages/` neben app.py schaltet bei `streamlit run app.py` Streamlits alte Automatik ein
    (Seiten ohne Router und Rollenprüfung); die Seiten liegen deshalb in `seiten/`."""
    assert not (PROJEKT / "pages").exists()
    assert (PROJEKT / "seiten" / "datenimport.py").is_file()


def test_oeffentlich_nur_aktiver_datenstand(tmp_path, monkeypatch):
    from kommune.versionen import importieren
    from tests.daten.lieferung import lieferung_xlsx

    ordner = tmp_path / "meinestadt"
    shutil.copytree(PROJEKT / "sample_data" / "musterstadt", ordner)
    lieferung_xlsx(tmp_path / "l.xlsx", ordner, falscher_schluessel=False)
    ergebnis = importieren(ordner, tmp_path / "l.xlsx", periode="2025", nutzer="Test")
    assert ergebnis.version
    monkeypatch.setenv("BILDUNGSMONITOR_KOMMUNE", str(ordner))
    monkeypatch.delenv("BILDUNGSMONITOR_DEMO", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["version"] = "original"
    at.run()
    assert not at.exception
    assert not [s for s in at.sidebar.selectbox if s.key == f"sb_version_{ordner}"]
    assert "version" not in at.query_params
    # der aktive Stand (mit 2025) wird gezeigt, nicht die ursprünglichen Dateien
    assert "2025" in at.sidebar.selectbox(key=f"sb_periode_{ordner}").options
    assert any("nur nach Anmeldung" in i.value for i in at.sidebar.info)

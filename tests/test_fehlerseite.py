"""Die deutsche Fehlerseite: ein unerwarteter Fehler zeigt einen deutschen Satz mit Referenz, der Traceback
steht nur im Serverprotokoll; st.stop/st.rerun laufen durch; Tests sehen Fehler weiterhin."""

from __future__ import annotations

import logging
import re

import pytest
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

from kommune.zufallscode import ALPHABET
from oberflaeche import fehlerseite
from oberflaeche.fehlerseite import FEHLER_ANFANG, LETZTER_FEHLER, SCHALTER, referenz_erzeugen
from tests.conftest import fehlerseite_gezeigt
from tests.test_seiten import _app


def _kaputt(*_args, **_kwargs):
    raise ZeroDivisionError("Absicht im Test")


def test_referenz_kurz_und_eindeutig_lesbar():
    refs = {referenz_erzeugen() for _ in range(200)}
    assert len(refs) > 190
    assert all(len(r) == 6 and set(r) <= set(ALPHABET) for r in refs)
    assert not set("01OIL") & set(ALPHABET)


@pytest.mark.parametrize("steuerung", [StopException(), RerunException(None)])
def test_streamlits_steuerung_ist_kein_fehler(steuerung):
    class Seite:
        def run(self):
            raise steuerung

    with pytest.raises(type(steuerung)):
        fehlerseite.seite_ausfuehren(Seite())


def test_nutzer_sehen_deutsche_fehlerseite_mit_referenz(monkeypatch, caplog):
    monkeypatch.delenv(SCHALTER, raising=False)
    monkeypatch.setattr("oberflaeche.bausteine.quellen_zeigen", _kaputt)  # die Übersicht ruft sie auf
    at = _app("musterstadt")
    with caplog.at_level(logging.ERROR, logger="bildungsmonitor"):
        at.run()
    assert not at.exception  # kein englischer Streamlit-Kasten
    assert fehlerseite_gezeigt(at)
    text = next(e.value for e in at.error if e.value.startswith(FEHLER_ANFANG))
    referenz = re.search(r"Referenz: ([A-Z0-9]{6})$", text)[1]
    assert "ZeroDivisionError" not in text and "Traceback" not in text
    assert at.session_state[LETZTER_FEHLER]["referenz"] == referenz
    protokoll = [r for r in caplog.records if r.name == "bildungsmonitor"]
    assert referenz in protokoll[-1].getMessage() and protokoll[-1].exc_info[0] is ZeroDivisionError
    assert at.title[0].value == "Übersicht"  # was vor dem Fehler stand, bleibt sichtbar


def test_in_tests_kommt_der_fehler_zusaetzlich_als_ausnahme_an(monkeypatch):
    monkeypatch.setenv(SCHALTER, "1")
    monkeypatch.setattr("oberflaeche.bausteine.quellen_zeigen", _kaputt)
    at = _app("musterstadt")
    at.run()
    assert at.exception  # (Text von Streamlit geschwärzt: client.showErrorDetails = "none")
    assert fehlerseite_gezeigt(at)


def test_zufallskommunen_pruefung_erkennt_die_fehlerseite(monkeypatch):
    from tests.test_zufallskommunen import Durchlauf, _pruefen

    monkeypatch.delenv(SCHALTER, raising=False)
    monkeypatch.setattr("oberflaeche.bausteine.quellen_zeigen", _kaputt)
    at = _app("musterstadt")
    at.run()
    lauf = Durchlauf()
    _pruefen(at, "Start", lauf)
    assert len(lauf.fehler) == 1 and "Fehlerseite" in lauf.fehler[0] and "ZeroDivisionError" in lauf.fehler[0]

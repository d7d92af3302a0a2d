"""Vorwärmen beim Start: danach liegen Kommune, Kartengeometrie und Sperrpläne in den Caches der Seiten."""

from __future__ import annotations

from freigabe import geheimhaltung
from oberflaeche import laden, vorwaermen


def test_vorwaermen_fuellt_die_caches_der_seiten():
    dauer = vorwaermen.vorwaermen("musterstadt")
    assert list(dauer) == ["Module", "Kommune", "Karte", "Sperrpläne"]
    k = laden.kommune_holen("musterstadt")
    assert laden.kommune_holen("musterstadt") is k  # dieselbe Kommune, nicht neu geladen
    ebene = k.konfiguration.standard_ebene
    assert laden.karten_geometrie(k, ebene)["ids"] == [str(i) for i in k.gebiete[ebene].index]
    perioden = sorted(k.indikatoren["periode"].unique())
    assert geheimhaltung._PLAENE.get(k, (perioden[-1], "oeffentlich", None, "")) is not None


def test_vorwaermen_scheitert_leise(monkeypatch):
    meldungen: list[str] = []
    monkeypatch.setattr(vorwaermen._LOG, "exception", lambda text, *a: meldungen.append(text % a))
    dauer = vorwaermen.vorwaermen("gibt-es-nicht")
    assert dauer == {"Module": dauer["Module"]}  # nach dem ersten Fehler Schluss, ohne Ausnahme
    assert meldungen == ["Vorwärmen von gibt-es-nicht: Schritt „Kommune“ fehlgeschlagen"]


def test_vorwaermen_abschaltbar(monkeypatch):
    monkeypatch.setenv("BILDUNGSMONITOR_VORWAERMEN", "0")
    assert vorwaermen.im_hintergrund() is None

"""Vorführen im Sitzungsmodus: Schreiben, Lesen, Prüfen des geteilten Zustands (berichte.vorfuehrung)."""

from __future__ import annotations

import pytest

from berichte.sitzung import Ansicht, SitzungsFehler
from berichte.vorfuehrung import (
    HOECHSTALTER_S,
    code_pruefen,
    neuer_code,
    vorfuehrung_lesen,
    vorfuehrung_schreiben,
)


class Zustaende:
    """Nur der geteilte Zustand einer Ablage (die echten Backends prüft tests/test_ablage.py)."""

    def __init__(self) -> None:
        self.daten: dict[tuple[str, str], dict] = {}
        self.schreibvorgaenge = 0

    def zustand_lesen(self, kommune: str, schluessel: str) -> dict | None:
        return self.daten.get((kommune, schluessel))

    def zustand_schreiben(self, kommune: str, schluessel: str, wert: dict) -> None:
        self.schreibvorgaenge += 1
        self.daten[(kommune, schluessel)] = wert


ANSICHT = Ansicht("Kinderarmut je Bezirk", "karte", ebene="bezirk", indikator="s4", gebiete=("01",), text="Frage")


def test_code_ist_zufaellig_und_wird_geprueft():
    codes = {neuer_code() for _ in range(200)}
    assert len(codes) == 200 and all(code_pruefen(c) == c for c in codes)
    assert code_pruefen(" k7qx2m ") == "K7QX2M"
    for falsch in ("", "K7QX2", "K7QX2MM", "K7QX0M", "../x12", None):
        with pytest.raises(SitzungsFehler):
            code_pruefen(falsch)


def test_folgende_sehen_die_gezeigte_ansicht_und_eine_neue_nummer_nur_bei_aenderung():
    ablage, code = Zustaende(), neuer_code()
    assert vorfuehrung_lesen(ablage, "berlin", code) is None
    assert vorfuehrung_schreiben(ablage, "berlin", code, ANSICHT, 2, 6, "Ausschuss") == 1
    assert vorfuehrung_schreiben(ablage, "berlin", code, ANSICHT, 2, 6, "Ausschuss") == 1  # derselbe Lauf erneut
    assert ablage.schreibvorgaenge == 1
    v = vorfuehrung_lesen(ablage, "berlin", code)
    assert (v.ansicht, v.schritt, v.anzahl, v.titel, v.nummer) == (ANSICHT, 2, 6, "Ausschuss", 1)
    anders = ANSICHT.mit(gebiete=("02", "03"))
    assert vorfuehrung_schreiben(ablage, "berlin", code, anders, 2, 6, "Ausschuss") == 2
    assert vorfuehrung_lesen(ablage, "berlin", code).ansicht.gebiete == ("02", "03")
    assert vorfuehrung_lesen(ablage, "musterstadt", code) is None  # je Kommune getrennt


KARTE = {"seite": "karte", "titel": "x", "ebene": "bezirk", "indikator": "s4"}
GUELTIG = {"ansicht": KARTE, "schritt": 0, "anzahl": 2, "titel": "", "nummer": 1, "zeit": 1e12}


@pytest.mark.parametrize(
    "kaputt",
    [
        "kein dict",
        {"ansicht": {"seite": "karte"}},  # Felder fehlen
        {**GUELTIG, "ansicht": {**KARTE, "boese": "1"}},  # unbekannter Parameter
        {**GUELTIG, "ansicht": {k: v for k, v in KARTE.items() if k != "seite"}},
        {**GUELTIG, "schritt": 5},  # hinter dem letzten Schritt
        {**GUELTIG, "schritt": "a"},
        {**GUELTIG, "zeit": "gestern"},
    ],
)
def test_kaputter_zustand_ist_keine_vorfuehrung(kaputt):
    ablage, code = Zustaende(), neuer_code()
    ablage.daten[("berlin", f"vorfuehrung-{code}")] = GUELTIG
    assert vorfuehrung_lesen(ablage, "berlin", code, jetzt=1e12) is not None  # Gegenprobe: gültig wird gelesen
    ablage.daten[("berlin", f"vorfuehrung-{code}")] = kaputt
    assert vorfuehrung_lesen(ablage, "berlin", code, jetzt=1e12) is None


def test_alte_vorfuehrung_ist_beendet():
    ablage, code = Zustaende(), neuer_code()
    vorfuehrung_schreiben(ablage, "berlin", code, ANSICHT, 0, 3, "A")
    zeit = vorfuehrung_lesen(ablage, "berlin", code).zeit
    assert vorfuehrung_lesen(ablage, "berlin", code, jetzt=zeit + HOECHSTALTER_S - 1) is not None
    assert vorfuehrung_lesen(ablage, "berlin", code, jetzt=zeit + HOECHSTALTER_S + 1) is None

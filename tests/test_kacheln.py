"""Cockpit-Kacheln als HTML: alles sichtbar, maskiert, Ampel mit Wort statt nur Farbe."""

from __future__ import annotations

from berichte.cockpit import Kachel
from oberflaeche.kacheln import kachel_html, sparkline_svg


def _kachel(**kw) -> Kachel:
    daten = dict(
        id="k",
        titel="Kinderarmut",
        art="wert",
        wert=16.0,
        wert_text="16,0 %",
        einheit="%",
        periode="2024",
        stand="31.12.2024",
    )
    daten.update(kw)
    return Kachel(**daten)


def test_kachel_zeigt_wert_veraenderung_ampel_und_stand():
    html = kachel_html(
        _kachel(
            pfeil="↓",
            veraenderung_text="−0,4 Prozentpunkte seit 2023",
            ampel="gelb",
            ziel_text="Ziel: höchstens 15,0 %",
            verlauf=[("2022", 17.0), ("2024", 16.0)],
        )
    )
    assert "16,0 %" in html and "↓ −0,4 Prozentpunkte seit 2023" in html
    assert "Ampel: gelb" in html and "Ziel: höchstens 15,0 %" in html
    assert "Stand 31.12.2024" in html and "<svg" in html and ">2022<" in html


def test_lange_einheit_klein_unter_der_zahl_und_namen_maskiert():
    html = kachel_html(_kachel(titel="<b>x</b>", wert_text="60,5 Plätze je 100 Kinder", einheit="Plätze je 100 Kinder"))
    assert '<div class="wert">60,5</div>' in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_sparkline_braucht_zwei_werte():
    assert sparkline_svg([("2024", 1.0)]) == ""
    assert sparkline_svg([("2022", 1.0), ("2023", float("nan")), ("2024", 2.0)]).count("<text") == 2


def test_graue_ampel_ohne_ziel_ohne_doppelten_satz_und_titel_ohne_ueberschrift():
    html = kachel_html(_kachel(ampel="grau", ampel_text="Grau: Für diese Kennzahl ist kein Ziel festgelegt."))
    assert "Ampel: ohne Ziel" in html and "Grau:" not in html
    assert "<h3" not in html and 'role="heading"' in html
    # ein Ziel ohne Wert bleibt sichtbar, ebenso der Satz einer farbigen Ampel
    assert "Ziel: höchstens 15" in kachel_html(_kachel(ampel="grau", ziel_text="Ziel: höchstens 15"))
    assert "Toleranz" in kachel_html(_kachel(ampel="gelb", ampel_text="Gelb: innerhalb der Toleranz"))


def test_hinweise_nummeriert_unter_den_kacheln():
    from oberflaeche.kacheln import kacheln_html

    html = kacheln_html(
        [_kachel(titel="A", hinweis="ohne 1 Gebiet"), _kachel(titel="B"), _kachel(titel="C", hinweis="Luftlinie <m>")]
    )
    assert "ohne 1 Gebiet</div>" not in html  # nicht in der Kachel …
    assert "Anmerkung 1 unter den Kacheln" in html and "Anmerkung 2 unter den Kacheln" in html
    assert "<li>A: ohne 1 Gebiet</li><li>C: Luftlinie &lt;m&gt;</li></ol>" in html  # … sondern darunter, maskiert
    assert "<ol" not in kacheln_html([_kachel(titel="B")])

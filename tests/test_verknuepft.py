"""LP-Prüfung und Sekundärsperrung über verknüpfte Tabellen (`freigabe.verknuepft`): Beispiele von Hand."""

from __future__ import annotations

import math

import pytest

from freigabe.verknuepft import PRIMAER, SEKUNDAER, Beziehung, Zelle, intervall, pruefen_und_sperren, summe


def _zellen(werte: dict[str, float], primaer: set[str], **extra) -> list[Zelle]:
    return [Zelle(i, w, i in primaer, **extra) for i, w in werte.items()]


def test_zwei_mal_zwei_mit_randsummen():
    """a12 = 2 primär. Allein wäre a12 = r1 − a11; die einzige Sperrmenge ohne Randsummen sind alle vier
    Innenzellen (a12 = t, a11 = 7 − t, a21 = 2 + t, a22 = 8 − t, also t ∈ [0, 7])."""
    werte = {"a11": 5, "a12": 2, "a21": 4, "a22": 6, "r1": 7, "r2": 10, "s1": 9, "s2": 8, "T": 17}
    bez = [
        summe("r1", ["a11", "a12"]),
        summe("r2", ["a21", "a22"]),
        summe("s1", ["a11", "a21"]),
        summe("s2", ["a12", "a22"]),
        summe("T", ["r1", "r2"]),
        summe("T", ["s1", "s2"]),
    ]
    zellen = _zellen(werte, {"a12"})
    ohne = pruefen_und_sperren(zellen, bez, sekundaer=False)
    assert ohne.gesperrt == {"a12": PRIMAER} and ohne.bericht.aufgedeckt_vorher == ["a12"]
    assert ohne.bericht.aufgedeckt_nachher == ["a12"]
    mit = pruefen_und_sperren(zellen, bez)
    assert mit.gesperrt == {"a11": SEKUNDAER, "a12": PRIMAER, "a21": SEKUNDAER, "a22": SEKUNDAER}
    assert mit.bericht.aufgedeckt_vorher == ["a12"] and mit.bericht.aufgedeckt_nachher == []
    assert intervall(zellen, bez, mit.gesperrt, "a12") == pytest.approx((0.0, 7.0))
    assert intervall(zellen, bez, mit.gesperrt, "a21") == pytest.approx((2.0, 9.0))


def test_hierarchie_stadt_bezirk_viertel_ueber_ebenen():
    """Wie tests/test_geheimhaltung.py (2023): Bezirk C hat nur c1 (2 Kinder) → c1 und C primär; C = Stadt − A − B.
    Das LP sperrt B (90, kleiner als A = 120) und dann b1 (20, das kleinste Viertel in B = b1 + b2 + b3)."""
    werte = {
        "Stadt": 212, "A": 120, "B": 90, "C": 2,
        "a1": 40, "a2": 50, "a3": 30, "b1": 20, "b2": 30, "b3": 40, "c1": 2,
    }  # fmt: skip
    bez = [
        summe("Stadt", ["A", "B", "C"]),
        summe("A", ["a1", "a2", "a3"]),
        summe("B", ["b1", "b2", "b3"]),
        summe("C", ["c1"]),
    ]
    zellen = [Zelle(i, w, i in ("C", "c1"), sperrbar=i != "Stadt") for i, w in werte.items()]
    e = pruefen_und_sperren(zellen, bez)
    assert e.gesperrt == {"B": SEKUNDAER, "C": PRIMAER, "b1": SEKUNDAER, "c1": PRIMAER}
    assert sorted(e.bericht.aufgedeckt_vorher) == ["C", "c1"] and e.bericht.aufgedeckt_nachher == []
    # C ∈ [0, 22]: B + C = 92 und b1 = B − 70 ≥ 0
    assert intervall(zellen, bez, e.gesperrt, "c1") == pytest.approx((0.0, 22.0))


def test_familie_mit_drei_auspraegungen():
    """Gesamt 30 = 1 + 12 + 17 (drei Ausprägungen); 1 primär → die kleinste übrige Ausprägung (12) mit."""
    werte = {"gesamt": 30, "x": 1, "y": 12, "z": 17}
    bez = [summe("gesamt", ["x", "y", "z"], "Familie")]
    e = pruefen_und_sperren(_zellen(werte, {"x"}), bez)
    assert e.gesperrt == {"x": PRIMAER, "y": SEKUNDAER}
    assert intervall(_zellen(werte, {"x"}), bez, e.gesperrt, "x") == pytest.approx((0.0, 13.0))


def test_hierarchie_sperrung_allein_verraet_zelle_ueber_die_familie():
    """Zwei Viertel v1, v2 im Bezirk; Einwohner gesamt und je Geschlecht (w + m = gesamt).
    Primär w@v1 = 2. Die Hierarchie-Sperrung (je Teiltabelle zwei Sperren) sperrt w@v2 mit – beide Viertel der
    Zeile w sind gesperrt, die Teiltabelle Bezirk(w) = v1 + v2 hat zwei Sperren. Über die Familie aber gilt
    w@v1 = gesamt@v1 − m@v1 = 50 − 48 = 2: aufgedeckt. Das LP sperrt zusätzlich m@v1 und m@v2 (sonst m@v1 =
    Bezirk(m) − m@v2), danach ist w@v1 ∈ [0, 12]."""
    werte = {
        "g@v1": 50, "g@v2": 59, "g@B": 109,
        "w@v1": 2, "w@v2": 10, "w@B": 12,
        "m@v1": 48, "m@v2": 49, "m@B": 97,
    }  # fmt: skip
    bez = [summe(f"{i}@B", [f"{i}@v1", f"{i}@v2"]) for i in "gwm"]
    bez += [summe(f"g@{v}", [f"w@{v}", f"m@{v}"], "Familie") for v in ("v1", "v2", "B")]
    zellen = _zellen(werte, {"w@v1"})
    nur_hierarchie = {"w@v2"}
    audit = pruefen_und_sperren(zellen, bez, vorgesperrt=nur_hierarchie, sekundaer=False)
    assert sorted(audit.bericht.aufgedeckt_vorher) == ["w@v1", "w@v2"]
    e = pruefen_und_sperren(zellen, bez, vorgesperrt=nur_hierarchie)
    assert e.gesperrt == {"m@v1": SEKUNDAER, "m@v2": SEKUNDAER, "w@v1": PRIMAER, "w@v2": SEKUNDAER}
    assert e.bericht.aufgedeckt_nachher == []
    assert intervall(zellen, bez, e.gesperrt, "w@v1") == pytest.approx((0.0, 12.0))


def test_einzugsbereich_als_linearkombination():
    """Ein Einzugsbereich E = 0,5·q1 + 1·q2 (Flächenanteile); q1, q2 gesperrt, ihre Summe bekannt (Eltern P).
    E ist nicht ganzzahlig (Schutzbreite exakt); er ist nicht exakt rückrechenbar, weil q1 und q2 verschieden
    gewichtet sind. Ein zweiter Bereich F = q1 + q2 wäre dagegen exakt P − … bekannt."""
    werte = {"P": 10, "q1": 4, "q2": 6, "E": 8.0, "F": 10.0}
    bez = [summe("P", ["q1", "q2"]), Beziehung((("E", 1.0), ("q1", -0.5), ("q2", -1.0))), summe("F", ["q1", "q2"])]
    zellen = [Zelle(i, w, i in ("q1", "q2", "E", "F"), schutz=1e-6 if i in "EF" else 1.0) for i, w in werte.items()]
    e = pruefen_und_sperren(zellen, bez, sekundaer=False)
    assert e.bericht.aufgedeckt_vorher == ["F"]
    assert intervall(zellen, bez, e.gesperrt, "E") == pytest.approx((5.0, 10.0))


def test_schutzbreite_und_obergrenze():
    """x + y = 3 (x = 1 primär, y = 2 sekundär): x ∈ [0, 3]. Mit Obergrenze x ≤ 1 (Anteil ≤ Nenner) ist x = 1
    bekannt (y ≥ 2 ⇒ x ≤ 1 … und x ≥ 0) – Breite 1 reicht gerade noch; mit Schutzbreite 2 ist x aufgedeckt."""
    bez = [summe("s", ["x", "y"])]
    zellen = [Zelle("s", 3.0, sperrbar=False), Zelle("x", 1.0, True), Zelle("y", 2.0)]
    assert pruefen_und_sperren(zellen, bez).gesperrt == {"x": PRIMAER, "y": SEKUNDAER}
    eng = [Zelle("s", 3.0, sperrbar=False), Zelle("x", 1.0, True, obergrenze=1.0), Zelle("y", 2.0)]
    assert intervall(eng, bez, {"y"}, "x") == pytest.approx((0.0, 1.0))
    streng = [Zelle("s", 3.0, sperrbar=False), Zelle("x", 1.0, True, schutz=2.0, obergrenze=1.0), Zelle("y", 2.0)]
    e = pruefen_und_sperren(streng, bez)
    assert e.bericht.aufgedeckt_nachher == ["x"]  # nichts mehr zu sperren (s ist nicht sperrbar)


def test_ohne_beziehung_und_fehlende_zellen():
    """Eine Zelle ohne Beziehung ist frei; eine Beziehung über eine fehlende Zelle (NaN) kennt niemand."""
    zellen = [Zelle("a", 1.0, True), Zelle("b", 4.0), Zelle("s", 5.0), Zelle("n", math.nan)]
    e = pruefen_und_sperren(zellen, [summe("s", ["a", "b", "n"])])
    assert e.gesperrt == {"a": PRIMAER} and e.bericht.aufgedeckt_vorher == []
    with pytest.raises(KeyError):
        pruefen_und_sperren(zellen, [summe("s", ["gibtsnicht"])])


def test_deterministisch_und_komponenten():
    """Zwei unabhängige Teiltabellen: zwei Komponenten, gleiche Eingabe → gleiche Sperren."""
    werte = {"A": 10, "a1": 1, "a2": 4, "a3": 5, "B": 10, "b1": 2, "b2": 4, "b3": 4}
    bez = [summe("A", ["a1", "a2", "a3"]), summe("B", ["b1", "b2", "b3"])]
    zellen = _zellen(werte, {"a1", "b1"})
    e1, e2 = pruefen_und_sperren(zellen, bez), pruefen_und_sperren(zellen, bez)
    assert e1.gesperrt == e2.gesperrt == {"a1": PRIMAER, "a2": SEKUNDAER, "b1": PRIMAER, "b2": SEKUNDAER}
    assert e1.bericht.komponenten == 2

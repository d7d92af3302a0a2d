"""Übergänge zwischen Bildungsstufen: Lesen und Prüfen, Summen, Quoten, Geheimhaltung, Hagen-Analyse, Sankey, Seite."""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from berichte import uebergaenge as ueb
from berichte.sankey_svg import sankey_svg, sankey_tabelle
from kommune.fehler import KommuneFehler
from kommune.laden import kommune_laden
from kommune.uebergaenge import GESAMT, ebenen_ueber, zuordnung
from tests.conftest import PROJEKT, berlin_daten_da
from tests.mini import TOML, mini_kommune

APP = PROJEKT / "app.py"

ABSCHNITTE = """
[[uebergaenge]]
id = "uebertritt"
name = "Übertritt"
datei = "uebertritte.csv"
ebene = "viertel"
quelle = "test"
ohne_anschluss = []

[[uebergaenge]]
id = "abgang"
name = "Schulabgang"
datei = "abgang.csv"
ebene = "viertel"
"""
#: Von Hand nachgerechnet: Viertel 0101, 0102 (Bezirk 01), 0201 (Bezirk 02)
UEBERTRITTE = """gebiet_id;periode;von;nach;anzahl
0101;2024;Grundschule;Gymnasium;20
0101;2024;Grundschule;Realschule;10
0101;2024;Grundschule;Mittelschule;5
0101;2024;Grundschule;Förderschule;-
0102;2024;Grundschule;Gymnasium;10
0102;2024;Grundschule;Realschule;15
0102;2024;Grundschule;Mittelschule;20
0102;2024;Grundschule;Förderschule;2
0201;2024;Grundschule;Gymnasium;5
0201;2024;Grundschule;Realschule;5
0201;2024;Grundschule;Mittelschule;8
0201;2024;Grundschule;Förderschule;1
"""
ABGANG = """gebiet_id;periode;von;nach;anzahl
0101;2023;Abschluss;Ausbildung;10
0101;2023;Abschluss;ohne Anschluss;5
0102;2023;Abschluss;Ausbildung;20
0102;2023;Abschluss;ohne Anschluss;10
0201;2023;Abschluss;Ausbildung;8
0201;2023;Abschluss;ohne Anschluss;4
0101;2024;Abschluss;Ausbildung;12
0101;2024;Abschluss;ohne Anschluss;3
0102;2024;Abschluss;Ausbildung;18
0102;2024;Abschluss;ohne Anschluss;6
0201;2024;Abschluss;Ausbildung;9
0201;2024;Abschluss;ohne Anschluss;3
"""


def _mini(tmp_path, uebertritte: str = UEBERTRITTE, abgang: str = ABGANG, abschnitte: str = ABSCHNITTE):
    ordner = mini_kommune(tmp_path / "mini", toml=TOML + abschnitte)
    (ordner / "uebertritte.csv").write_text(uebertritte, encoding="utf-8")
    (ordner / "abgang.csv").write_text(abgang, encoding="utf-8")
    return ordner


@pytest.fixture
def mini(tmp_path):
    return kommune_laden(_mini(tmp_path))


# -- Lesen und Prüfen ---------------------------------------------------------------------------------------


def test_lesen_in_lange_form(mini):
    df = mini.uebergaenge
    assert list(df.columns) == ["tabelle", "schicht", "gebiet", "periode", "von", "nach", "anzahl"]
    assert len(df) == 24 and set(df["tabelle"]) == {"uebertritt", "abgang"}
    # „-“ ist null (Zeichenerklärung), nicht fehlend
    z = df[(df["gebiet"] == "0101") & (df["nach"] == "Förderschule")]
    assert z["anzahl"].tolist() == [0.0]
    assert mini.konfiguration.uebergaenge[1].ohne_anschluss == ("ohne Anschluss",)  # Standard


def test_ohne_abschnitt_ist_die_tabelle_leer(tmp_path):
    k = kommune_laden(mini_kommune(tmp_path / "ohne"))
    assert k.uebergaenge.empty and list(k.uebergaenge.columns)[:3] == ["tabelle", "schicht", "gebiet"]
    assert ueb.tabellen(k) == []


def test_xlsx_und_dezimalkomma(tmp_path):
    ordner = _mini(tmp_path, abschnitte=ABSCHNITTE.replace("uebertritte.csv", "uebertritte.xlsx"))
    df = pd.read_csv(ordner / "uebertritte.csv", sep=";", dtype=str)
    df.loc[0, "anzahl"] = "1.020"  # Tausenderpunkt
    df.to_excel(ordner / "uebertritte.xlsx", index=False)
    k = kommune_laden(ordner)
    assert k.uebergaenge.query("gebiet == '0101' and nach == 'Gymnasium'")["anzahl"].tolist() == [1020.0]


@pytest.mark.parametrize(
    ("aendern", "meldung"),
    [
        (
            lambda t: t.replace("0201;2024;Grundschule;Gymnasium", "0999;2024;Grundschule;Gymnasium"),
            "Das Gebiet „0999“ gibt es in der Ebene „viertel“ nicht",
        ),
        (lambda t: t.replace("Realschule;15", "Realschule;-15"), "ist negativ"),
        (lambda t: t.replace("Realschule;15", "Realschule;viele"), "keine (endliche) Zahl"),
        (lambda t: t.replace("Realschule;15", "Realschule;."), "ist keine Zahl"),
        (lambda t: t + "0101;2024;Grundschule;Gymnasium;3\n", "gibt es mehrere Zeilen"),
        (lambda t: t.replace(";anzahl\n", ";menge\n"), "Die Spalte fehlt"),
        (lambda t: t.replace("0102;2024;", "0102;24;"), "Die Periode „24“ ist ungültig"),
        (lambda t: t.replace(";Grundschule;Gymnasium;10", ";;Gymnasium;10"), "Der Eintrag ist leer"),
    ],
)
def test_fehler_mit_fundstelle(tmp_path, aendern, meldung):
    with pytest.raises(KommuneFehler) as fehler:
        kommune_laden(_mini(tmp_path, uebertritte=aendern(UEBERTRITTE)))
    assert meldung in str(fehler.value)
    assert "uebertritte.csv" in str(fehler.value)


@pytest.mark.parametrize(
    ("abschnitt", "meldung"),
    [
        (
            ABSCHNITTE.replace('ebene = "viertel"\nquelle', 'ebene = "stadtteil"\nquelle'),
            "unbekannte Ebene „stadtteil“",
        ),
        (ABSCHNITTE.replace('id = "abgang"', 'id = "uebertritt"'), "steht in mehreren [[uebergaenge]]"),
        (ABSCHNITTE.replace('id = "abgang"', 'id = "Abgang!"'), "ist ungültig"),
        (ABSCHNITTE.replace('quelle = "test"', 'quelle = "amt"'), "Die Quelle „amt“"),
        (ABSCHNITTE + 'farbe = "rot"\n', "Unbekannter Schlüssel „farbe“"),
        (ABSCHNITTE.replace("ohne_anschluss = []", "ohne_anschluss = 3"), "Liste von Texten"),
    ],
)
def test_konfiguration_wird_geprueft(tmp_path, abschnitt, meldung):
    with pytest.raises(KommuneFehler) as fehler:
        kommune_laden(_mini(tmp_path, abschnitte=abschnitt))
    assert meldung in str(fehler.value)


# -- Summen und Quoten (von Hand nachgerechnet) ------------------------------------------------------------


def test_summen_auf_groeberen_ebenen(mini):
    bezirk = ueb.rohzellen(mini, "uebertritt", "bezirk", "2024").set_index(["gebiet", "nach"])["anzahl"]
    assert bezirk[("01", "Gymnasium")] == 30 and bezirk[("01", "Förderschule")] == 2
    assert bezirk[("02", "Mittelschule")] == 8
    gesamt = ueb.rohzellen(mini, "uebertritt", GESAMT, "2024").set_index("nach")["anzahl"]
    assert gesamt.to_dict() == {"Förderschule": 3, "Gymnasium": 35, "Mittelschule": 33, "Realschule": 30}


def test_quoten_admin(mini):
    z = ueb.zellen(mini, "uebertritt", "viertel", "2024", rolle="admin").zellen.set_index(["gebiet", "nach"])
    assert z.loc[("0101", "Gymnasium"), "anteil"] == pytest.approx(100 * 20 / 35)
    assert z.loc[("0102", "Mittelschule"), "anteil"] == pytest.approx(100 * 20 / 47)
    g = ueb.zellen(mini, "uebertritt", GESAMT, "2024", rolle="admin").zellen.set_index("nach")
    assert g.loc["Gymnasium", "anteil"] == pytest.approx(100 * 35 / 101)
    quote, gesperrt = ueb.quote_je_gebiet(
        mini, "uebertritt", "bezirk", "2024", "Grundschule", "Gymnasium", rolle="admin"
    )
    assert quote["01"] == pytest.approx(100 * 30 / 82) and quote["02"] == pytest.approx(100 * 5 / 19)
    assert not gesperrt.any()


def test_ohne_anschluss_ueber_die_perioden(mini):
    r = ueb.ohne_anschluss_reihe(mini, "abgang", rolle="admin").set_index("periode")
    assert r.loc["2023", "anteil"] == pytest.approx(100 * 19 / 57)
    assert r.loc["2024", "anteil"] == pytest.approx(100 * 12 / 51)
    eins = ueb.ohne_anschluss_reihe(mini, "abgang", "viertel", "0102", rolle="admin").set_index("periode")
    assert eins.loc["2024", "anteil"] == pytest.approx(25.0)


# -- Geheimhaltung ------------------------------------------------------------------------------------------


def _angriff(kommune, tabelle: str, periode: str, rolle: str = "oeffentlich") -> list[str]:
    """Jede Summe, die sich bilden lässt, mit genau einem gesperrten Glied: die Zelle ließe sich errechnen.

    Unabhängig vom Sperrplan gebaut: Zeile (Gebiet, Herkunft) gegen ihre Zellen; Zelle und Zeilensumme eines
    Elterngebiets gegen die seiner Teilgebiete, über alle Ebenen bis zur ganzen Kommune.
    """
    quelle = ueb.ebenen(kommune, tabelle)[0]
    stufen = [*ebenen_ueber(kommune.konfiguration, quelle), GESAMT]
    plan = {e: ueb.zellen(kommune, tabelle, e, periode, rolle=rolle) for e in stufen}
    funde = []
    for e, z in plan.items():
        zeilen = z.zeilen.set_index(["gebiet", "von"])
        for (g, v), teil in z.zellen.groupby(["gebiet", "von"]):
            offen = int(teil["gesperrt"].sum()) + int(bool(zeilen.loc[(g, v), "gesperrt"]))
            if offen == 1:
                funde.append(f"Zeile {e} {g} {v}")
    for unten, oben in itertools.pairwise(stufen):
        karte = zuordnung(kommune.konfiguration, kommune.gebiete, unten, oben)
        for art, schluessel, df_u, df_o in (
            ("Zelle", ["von", "nach"], plan[unten].zellen, plan[oben].zellen),
            ("Summe", ["von"], plan[unten].zeilen, plan[oben].zeilen),
        ):
            kind = df_u.assign(eltern=df_u["gebiet"].map(karte))
            eltern = df_o.set_index(["gebiet", *schluessel])["gesperrt"]
            for schl, teil in kind.groupby(["eltern", *schluessel]):
                if int(teil["gesperrt"].sum()) + int(bool(eltern[schl])) == 1:
                    funde.append(f"{art} {unten}→{oben} {schl}")
    return funde


def _system(kommune, tabelle: str, periode: str) -> tuple[dict, list]:
    """Was der öffentliche Export verrät, als Gleichungssystem: Zellen {Schlüssel: (sichtbar, wahrer Wert)} und
    Summen [(Gesamt, [Teile])] – Zeile = ihre Zellen, Eltern = Teilgebiete (Zellen und Zeilensummen)."""
    quelle = ueb.ebenen(kommune, tabelle)[0]
    stufen = [*ebenen_ueber(kommune.konfiguration, quelle), GESAMT]
    zellen: dict[tuple, tuple[bool, float]] = {}
    summen: list[tuple[tuple, list[tuple]]] = []
    for e in stufen:
        oeff = ueb.zellen(kommune, tabelle, e, periode)
        roh = ueb.zellen(kommune, tabelle, e, periode, rolle="admin")
        for (o, r) in ((oeff.zellen, roh.zellen), (oeff.zeilen, roh.zeilen)):
            wert = "anzahl" if "nach" in o.columns else "summe"
            for a, b in zip(o.itertuples(), r.itertuples(), strict=True):
                key = (e, a.gebiet, a.von, getattr(a, "nach", None))
                zellen[key] = (not a.gesperrt, float(getattr(b, wert)))
        for (g, v), teil in oeff.zellen.groupby(["gebiet", "von"]):
            summen.append(((e, g, v, None), [(e, g, v, n) for n in teil["nach"]]))
    for unten, oben in itertools.pairwise(stufen):
        karte = zuordnung(kommune.konfiguration, kommune.gebiete, unten, oben)
        kinder: dict[tuple, list[tuple]] = {}
        for (e, g, v, n) in [k for k in zellen if k[0] == unten]:
            kinder.setdefault((oben, str(karte[g]), v, n), []).append((e, g, v, n))
        summen += [(eltern, teile) for eltern, teile in kinder.items() if eltern in zellen]
    return zellen, summen


def _angriff_lp(kommune, tabelle: str, periode: str) -> tuple[list, list]:
    """Differenzen bis zum Fixpunkt (jede Summe mit genau einer Unbekannten auflösen) und dasselbe System als LP
    (Anzahlen ≥ 0): zurück die gesperrten Zahlen ≠ 0, die sich exakt ergeben – je Verfahren."""
    from freigabe.verknuepft import Zelle, pruefen_und_sperren, summe

    zellen, summen = _system(kommune, tabelle, periode)
    bekannt = {k: w for k, (sichtbar, w) in zellen.items() if sichtbar}
    neu = True
    while neu:
        neu = False
        for gesamt, teile in summen:
            offen = [x for x in (gesamt, *teile) if x not in bekannt]
            if len(offen) == 1:
                rest = sum(bekannt[t] for t in teile if t in bekannt)
                bekannt[offen[0]] = rest if offen[0] == gesamt else bekannt[gesamt] - rest
                neu = True
    differenz = [k for k, (sichtbar, w) in zellen.items() if not sichtbar and k in bekannt and w != 0]
    for k in differenz:
        assert bekannt[k] == pytest.approx(zellen[k][1])  # der Angriff rechnet richtig
    liste = [Zelle(k, w, not sichtbar, 1.0 if w != 0 else 0.0) for k, (sichtbar, w) in zellen.items()]
    e = pruefen_und_sperren(liste, [summe(g, t) for g, t in summen], sekundaer=False)
    return differenz, e.bericht.aufgedeckt_vorher


@pytest.mark.parametrize("name", ["musterstadt", "musterkreis"])
def test_angriff_mit_ketten_und_lp_findet_nichts(name):
    """Auch Ketten von Differenzen und das LP über alle Zeilen und Ebenen zugleich decken keine Zahl auf."""
    k = kommune_laden(name)
    for tabelle, _ in ueb.tabellen(k):
        for periode in ueb.perioden(k, tabelle):
            assert _angriff_lp(k, tabelle, periode) == ([], []), (tabelle, periode)


def test_ohne_lp_pruefung_deckt_das_lp_etwas_auf(monkeypatch):
    """Gegenprobe: nur mit der Regel „nie genau ein Glied gesperrt“ findet das LP in Musterstadt Zahlen."""
    monkeypatch.setattr(ueb, "_lp_nachsperren", lambda a, *_: np.zeros(len(a), dtype=bool))
    k = kommune_laden("musterstadt")
    funde = [
        x for tabelle, _ in ueb.tabellen(k) for periode in ueb.perioden(k, tabelle)
        for x in _angriff_lp(k, tabelle, periode)[1]
    ]  # fmt: skip
    assert funde, "ohne LP-Prüfung bliebe nichts aufgedeckt – dann prüft der Test oben nichts"


def test_kleine_zellen_primaer_und_sekundaer_gesperrt(mini):
    z = ueb.zellen(mini, "uebertritt", "viertel", "2024").zellen.set_index(["gebiet", "nach"])
    # 2 und 1 Person: primär; 0 bleibt sichtbar (verrät nichts)
    assert z.loc[("0102", "Förderschule"), "art"] == "primär"
    assert z.loc[("0201", "Förderschule"), "art"] == "primär"
    assert not z.loc[("0101", "Förderschule"), "gesperrt"] and z.loc[("0101", "Förderschule"), "anzahl"] == 0
    # je Zeile mindestens zwei gesperrt, sonst gäbe Zeilensumme minus übrige Zellen die kleine Zahl preis
    for g in ("0102", "0201"):
        assert int(z.loc[g, "gesperrt"].sum()) >= 2, g
        assert z.loc[g][z.loc[g, "gesperrt"]]["anzahl"].isna().all()
    assert (z["art"] == "sekundär").sum() >= 2
    assert math.isnan(z.loc[("0102", "Förderschule"), "anteil"])
    assert _angriff(mini, "uebertritt", "2024") == []
    # admin sieht alles
    roh = ueb.zellen(mini, "uebertritt", "viertel", "2024", rolle="admin").zellen
    assert not roh["gesperrt"].any() and roh["anzahl"].sum() == 101


def test_gesperrte_quote_auf_der_karte(mini):
    quote, gesperrt = ueb.quote_je_gebiet(mini, "uebertritt", "viertel", "2024", "Grundschule", "Förderschule")
    assert gesperrt["0102"] and gesperrt["0201"] and math.isnan(quote["0102"])
    assert quote["0101"] == 0.0 and not gesperrt["0101"]


@pytest.mark.parametrize("name", ["musterstadt", "musterkreis"])
def test_angriff_auf_die_beispielkommunen_findet_nichts(name):
    k = kommune_laden(name)
    gesamt = {"primär": 0, "sekundär": 0}
    for tabelle, _ in ueb.tabellen(k):
        for periode in ueb.perioden(k, tabelle):
            assert _angriff(k, tabelle, periode) == [], (tabelle, periode)
            z = ueb.zellen(k, tabelle, ueb.ebenen(k, tabelle)[0], periode)
            gesamt["primär"] += z.primaer
            gesamt["sekundär"] += z.sekundaer
    # kleine Zellen sind da, die Geheimhaltung hat zu tun
    assert gesamt["primär"] > 50 and gesamt["sekundär"] > 20, gesamt


# -- Hagen-Analyse ------------------------------------------------------------------------------------------


def test_hagen_verhaeltnis_von_hand(mini):
    h = ueb.hagen(mini, "uebertritt", "viertel", "2024", "Grundschule", ["Gymnasium", "Mittelschule"], "armut",
                  k=3, rolle="admin")  # fmt: skip
    # Kinderarmut: 0101 10 % (am wenigsten), 0201 20 %, 0102 30 % (am stärksten belastet)
    assert h.tabelle["gebiete"].tolist() == [1, 1, 1]
    assert h.tabelle["Gymnasium|anteil"].iloc[0] == pytest.approx(100 * 20 / 35)
    assert h.verhaeltnis["Gymnasium"] == pytest.approx((10 / 47) / (20 / 35))
    assert h.verhaeltnis["Mittelschule"] == pytest.approx((20 / 47) / (5 / 35))
    assert h.saetze[1] == (
        "In den am stärksten belasteten Gebieten ist der Anteil „Mittelschule“ 3,0-mal so hoch wie in den am "
        "wenigsten belasteten (42,6 % gegenüber 14,3 %)."
    )
    assert "nur 0,4-mal so hoch (also 63 % niedriger)" in h.saetze[0]


def test_hagen_oeffentlich_nur_sichtbare_gebiete(mini):
    h = ueb.hagen(mini, "uebertritt", "viertel", "2024", "Grundschule", ["Förderschule"], "armut", k=2)
    # 0102 und 0201 haben eine gesperrte Förderschul-Zelle: ausgelassen, also keine Klassen aus einem Gebiet
    assert h.ausgelassen == 2 and h.tabelle.empty


def test_hagen_musterstadt_sozialgradient():
    k = kommune_laden("musterstadt")
    h = ueb.hagen(k, "uebertritt", "viertel", "2024", "Grundschule", ["Gymnasium", "Mittelschule"], "kinderarmut",
                  rolle="admin")  # fmt: skip
    assert h.verhaeltnis["Gymnasium"] < 0.8 and h.verhaeltnis["Mittelschule"] > 1.5
    oeff = ueb.hagen(k, "uebertritt", "viertel", "2024", "Grundschule", ["Gymnasium"], "kinderarmut")
    assert oeff.ausgelassen > 0 and oeff.verhaeltnis["Gymnasium"] < 1


# -- Sankey -------------------------------------------------------------------------------------------------


def test_sankey_maskiert_und_ohne_skript(tmp_path):
    boese = UEBERTRITTE.replace("Realschule", '<script>alert("x")</script>').replace("Gymnasium", "G&ymnasium")
    k = kommune_laden(_mini(tmp_path, uebertritte=boese))
    z = ueb.zellen(k, "uebertritt", GESAMT, "2024")
    svg = sankey_svg(z, GESAMT, titel="Übertritt <b>2024</b>")
    assert "<script" not in svg.lower() and "&lt;script&gt;" in svg
    assert "G&amp;ymnasium" in svg and "&lt;b&gt;2024&lt;/b&gt;" in svg
    assert not re.search(r"\son\w+=", svg)  # keine Ereignis-Attribute
    # Zahl und Anteil im deutschen Format: 35 von 101 aufs Gymnasium
    assert "35 (34,7 %)" in svg and "101 (100,0 %)" in svg


def test_sankey_zeigt_gesperrtes_nur_zusammen(mini):
    z = ueb.zellen(mini, "uebertritt", "viertel", "2024")
    svg = sankey_svg(z, "0102", titel="Süd")
    assert "gesperrt" in svg and "47 (100,0 %)" in svg
    tab = sankey_tabelle(z, "0102").set_index("nach")
    assert tab.loc["Förderschule", "Anzahl"] == "." and tab.loc["zusammen", "Anzahl"] == "47"
    assert tab.loc["Mittelschule", "Anteil an „von“ (%)"] == "42,6"
    # nichts Gesperrtes im Bild: keine der gesperrten Zahlen als Beschriftung
    gesperrte = z.zellen[(z.zellen["gebiet"] == "0102") & z.zellen["gesperrt"]]
    roh = ueb.zellen(mini, "uebertritt", "viertel", "2024", rolle="admin").zellen.set_index(["gebiet", "nach"])
    for n in gesperrte["nach"]:
        assert f">{int(roh.loc[('0102', n), 'anzahl'])} (" not in svg


def test_sankey_ohne_sichtbare_daten():
    leer = ueb.Zellen(
        pd.DataFrame(columns=["gebiet", "von", "nach", "anzahl", "gesperrt", "art", "anteil"]),
        pd.DataFrame(columns=["gebiet", "von", "summe", "gesperrt"]),
    )
    assert "Keine sichtbaren Übergänge" in sankey_svg(leer, GESAMT, titel="leer")


def test_export_entschaerft_und_gesperrt(mini):
    from oberflaeche.export import csv_bytes

    z = ueb.zellen(mini, "uebertritt", "viertel", "2024")
    df = ueb.export_tabelle(mini, z, "viertel", "2024")
    gesperrt = df[df["Anzahl"] == "."]
    assert len(gesperrt) == int(z.zellen["gesperrt"].sum()) >= 4
    text = csv_bytes(df.assign(von="=1+1")).decode("utf-8-sig")
    assert "'=1+1" in text and ";.;" in text


# -- Seite --------------------------------------------------------------------------------------------------


def _seite(kommune: str | None = None, rolle: str = "oeffentlich", monkeypatch=None, ordner=None) -> AppTest:
    if ordner is not None:
        monkeypatch.setenv("BILDUNGSMONITOR_KOMMUNE", str(ordner))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["demo_rolle"] = rolle
    if kommune:
        at.query_params["kommune"] = kommune
    at.run()
    at.switch_page("seiten/uebergaenge.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


@pytest.mark.parametrize("kommune", ["musterstadt", "musterkreis"])
def test_seite_beispielkommunen(kommune):
    at = _seite(kommune)
    assert at.title[0].value == "Übergänge"
    svg = next(m.value for m in at.markdown if m.value.startswith("<svg"))
    assert "Gymnasium" in svg and "<script" not in svg
    saetze = [m.value for m in at.markdown if "am stärksten belasteten" in m.value]
    assert saetze and "Gymnasium" in saetze[0]
    assert any("Tabelle zum Flussdiagramm" in m.value for m in at.markdown)
    assert len(at.dataframe) >= 2
    # zweite Tabelle mit „ohne Anschluss“ und ein einzelnes Gebiet: gesperrte Zellen werden genannt
    at.selectbox(key="ueb_tabelle").set_value("schulabgang").run()
    assert not at.exception
    assert any("Anteil ohne Anschluss" in s.value for s in at.subheader)
    ebene = at.selectbox(key="ueb_ebene_schulabgang").value
    erstes = kommune_laden(kommune).gebiete[ebene].index[0]
    at.selectbox(key=f"ueb_gebiet_schulabgang_{ebene}").set_value(erstes).run()
    assert not at.exception and not at.error
    assert any("Anteil ohne Anschluss" in s.value for s in at.subheader)


def test_seite_oeffentlich_zeigt_keine_gesperrte_zahl():
    at = _seite("musterstadt")
    at.selectbox(key="ueb_tabelle").set_value("schulabgang").run()
    k = kommune_laden("musterstadt")
    z = ueb.zellen(k, "schulabgang", "viertel", "2024")
    roh = ueb.zellen(k, "schulabgang", "viertel", "2024", rolle="admin").zellen
    g = z.zellen.groupby("gebiet")["gesperrt"].sum().idxmax()
    auswahl = at.selectbox(key="ueb_gebiet_schulabgang_viertel")
    auswahl.set_value(g).run()
    assert not at.exception
    tabelle = next(d.value for d in at.dataframe if "Anteil an „von“ (%)" in d.value.columns)
    gesperrt = z.zellen[(z.zellen["gebiet"] == g) & z.zellen["gesperrt"]]
    assert (tabelle["Anzahl"] == ".").sum() == len(gesperrt) > 0
    # die sichtbaren Zahlen sind die echten
    offen = roh[(roh["gebiet"] == g)].merge(
        z.zellen[(z.zellen["gebiet"] == g) & ~z.zellen["gesperrt"]][["von", "nach"]]
    )
    angezeigt = tabelle[~tabelle["Anzahl"].isin([".", ""]) & (tabelle["nach"] != "zusammen")]
    assert sorted(angezeigt["Anzahl"].str.replace(".", "").astype(int)) == sorted(offen["anzahl"].astype(int))


def test_seite_berlin_ohne_uebergaenge_erklaert_die_einrichtung():
    if not berlin_daten_da():
        pytest.skip("Berliner Daten nicht vorhanden")
    at = _seite("berlin")
    assert any("[[uebergaenge]]" in i.value for i in at.info)


def test_seite_zufallskommune_und_mini(tmp_path, monkeypatch):
    from tests.daten.zufallskommune import zufallskommune

    zufallskommune(tmp_path / "zufall", 7)
    at = _seite(rolle="admin", monkeypatch=monkeypatch, ordner=tmp_path / "zufall")
    assert any("[[uebergaenge]]" in i.value for i in at.info)
    # Minihausen mit Übergängen: eine Periode, drei Viertel
    at = _seite(rolle="oeffentlich", monkeypatch=monkeypatch, ordner=_mini(tmp_path))
    assert any(m.value.startswith("<svg") for m in at.markdown)


def test_aenderung_der_uebergangsdatei_aendert_den_stand(tmp_path, monkeypatch):
    """Die Übergangstabellen zählen zur Marke der Dateiablage: eine neue Datei lädt neu (kein alter Cache)."""
    import os
    import shutil

    from kommune.dateiablage import DateiAblage

    monkeypatch.setenv("BILDUNGSMONITOR_CACHE_DIR", str(tmp_path / "cache"))
    ordner = Path(shutil.copytree(PROJEKT / "sample_data" / "musterstadt", tmp_path / "musterstadt"))
    a = DateiAblage()
    vorher = a.stand(str(ordner))
    pfad = ordner / "uebertritte.csv"
    s = pfad.stat()
    os.utime(pfad, ns=(s.st_atime_ns, s.st_mtime_ns + 10**9))
    assert a.stand(str(ordner)).marke != vorher.marke


def test_cockpit_kachel_uebergangsquote(mini):
    from berichte.cockpit import kachel_berechnen, kacheln_lesen
    from tests.test_cockpit import mit_erweiterungen

    roh = {"titel": "Übergangsquote Gymnasium", "art": "uebergang", "tabelle": "uebertritt", "von": "Grundschule",
           "nach": "Gymnasium"}  # fmt: skip
    d = kacheln_lesen(mit_erweiterungen(mini, kachel=[roh]))[0]
    k = kachel_berechnen(mini, d)
    assert k.wert == pytest.approx(100 * 35 / 101) and k.wert_text == "34,7 %"
    # Förderschule: 3 Personen in der ganzen Kommune, sichtbar; Herkunft unbekannt → Hinweis statt Absturz
    leer = kachel_berechnen(mini, kacheln_lesen(mit_erweiterungen(mini, kachel=[{**roh, "von": "Kita"}]))[0])
    assert "nennt „Kita“ → „Gymnasium“ nicht" in leer.hinweis
    with pytest.raises(KommuneFehler, match="braucht „tabelle“"):
        kacheln_lesen(mit_erweiterungen(mini, kachel=[{**roh, "tabelle": "gibtsnicht"}]))


def test_musterkreis_hat_die_kachel():
    from berichte.cockpit import kacheln_berechnen

    k = kommune_laden("musterkreis")
    kachel = next(c for c in kacheln_berechnen(k) if c.id == "uebergang_gymnasium")
    gesamt = ueb.zellen(k, "uebertritt", GESAMT, "2024").zellen.set_index("nach")
    assert kachel.wert == pytest.approx(gesamt.loc["Gymnasium", "anteil"])


def test_angriff_findet_ohne_sekundaersperrung_etwas(tmp_path):
    """Gegenprobe: Ohne Sekundärsperrung ließe sich 0102 → Förderschule (2) aus der Zeilensumme errechnen."""
    k = kommune_laden(_mini(tmp_path, abschnitte=ABSCHNITTE + "\n[geheimhaltung]\nsekundaer = false\n"))
    funde = _angriff(k, "uebertritt", "2024")
    assert "Zeile viertel 0102 Grundschule" in funde

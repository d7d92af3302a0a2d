"""Geheimhaltung in Diagrammen, Kacheln und Berichten: kein gesperrter Wert in Daten, Vega-Spec oder SVG.

Die gesperrten Zellen kommen aus dem Sperrplan (Rohwert der Rolle „admin“ dort, wo die öffentliche Maske
sperrt). Gesucht wird nach unverwechselbaren Kodierungen (`Nadeln`): dem Gleitkommatext in voller
Genauigkeit (repr, wie ihn JSON schreibt), den 8 Bytes des IEEE-Double (Arrow) und der deutschen
Beschriftung mit Einheit. Werte, die auch sichtbar vorkommen, und kurze ganze Zahlen werden übersprungen
(sonst Fehlalarme). Die Browserprüfung (`tests/browser/test_nutzlast_browser.py`) nutzt dieselben Helfer.
"""

from __future__ import annotations

import json
import math
import re
import struct
from dataclasses import dataclass, field

import pandas as pd
import pytest

from berichte.bildungsbericht import bildungsbericht_docx
from berichte.cockpit import KachelDefinition, kachel_berechnen, top_und_flop
from berichte.diagramme import als_svg, punktvergleich, sparkline, spine_chart, spine_daten, zeitreihe, zeitreihe_daten
from berichte.grundlagen import profil_schuetzen, rohwerte_auf, stellen_fuer, werte_fn_fuer, werte_und_maske
from berichte.profilbericht import profil_html
from indices.berechnung import eingaben_sammeln
from kommune.fehler import KommuneFehler
from kommune.format import wert_mit_einheit
from kommune.profil import gebietsprofil
from kommune.werte import gesamtwert, perioden_von
from oberflaeche.kacheln import sparkline_svg

# ---------------------------------------------------------------------------------------------
# Helfer (auch für die Browserprüfung)
# ---------------------------------------------------------------------------------------------


def verborgene_zellen(kommune, rolle: str = "oeffentlich") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(gesperrte Zellen, sichtbare Zellen) aller Ebenen, Indikatoren und Perioden.

    Spalten: ``schicht, indikator, periode, gebiet, wert, text`` (``wert`` = Rohwert, ``text`` = die
    deutsche Beschriftung, wie Diagramme sie zeigen).
    """
    gesperrt, sichtbar = [], []
    for s in kommune.konfiguration.ebenen:
        for ind in sorted(set(kommune.indikatoren["indikator"]) & set(kommune.katalog.index)):
            e = kommune.katalog.loc[ind]
            stellen = stellen_fuer(str(e["einheit"]), str(e["art"]))
            for p in perioden_von(kommune, ind):
                roh = rohwerte_auf(kommune, ind, s.id, p)
                _, maske = werte_und_maske(kommune, ind, s.id, p, rolle=rolle)
                for g, w in roh.dropna().items():
                    zeile = (s.id, ind, p, g, float(w), wert_mit_einheit(float(w), str(e["einheit"]), stellen))
                    (gesperrt if bool(maske.get(g, False)) else sichtbar).append(zeile)
                gw = gesamtwert(kommune, ind, p)
                if not math.isnan(gw):
                    sichtbar.append((None, ind, p, None, gw, wert_mit_einheit(gw, str(e["einheit"]), stellen)))
    spalten = ["schicht", "indikator", "periode", "gebiet", "wert", "text"]
    return pd.DataFrame(gesperrt, columns=spalten), pd.DataFrame(sichtbar, columns=spalten)


def _ganz_und_kurz(w: float) -> bool:
    return float(w).is_integer() and abs(w) < 1000


@dataclass
class Nadeln:
    """Unverwechselbare Kodierungen gesperrter Werte, die in keiner sichtbaren Zelle vorkommen."""

    text: dict[str, list[tuple]] = field(default_factory=dict)  # repr / Beschriftung → Zellen
    binaer: dict[bytes, list[tuple]] = field(default_factory=dict)  # IEEE-Double (LE) → Zellen
    geprueft: int = 0  # gesperrte Zellen mit mindestens einer Nadel
    uebersprungen: int = 0

    @classmethod
    def aus(cls, gesperrt: pd.DataFrame, sichtbar: pd.DataFrame) -> Nadeln:
        n = cls()
        sichtbare_werte = set(sichtbar["wert"].astype(float))
        # Kennzahlen der sichtbaren Verteilung (Spine-Chart: Quartile, Median) sind veröffentlicht; ein gesperrter
        # Wert, der zufällig einer gleicht (Median = Mittel zweier Nachbarn), ist kein Leck
        mit_ebene = sichtbar[sichtbar["schicht"].notna()]
        kennzahlen = mit_ebene.groupby(["schicht", "indikator", "periode"])["wert"].quantile([0.25, 0.5, 0.75])
        sichtbare_werte |= set(kennzahlen.astype(float))
        sichtbare_texte = set(sichtbar["text"])
        for z in gesperrt.itertuples(index=False):
            zelle = (z.schicht, z.indikator, z.periode, z.gebiet, z.wert)
            if z.wert in sichtbare_werte:
                n.uebersprungen += 1
                continue
            eigene = False
            if not _ganz_und_kurz(z.wert):
                if sum(c.isdigit() for c in repr(z.wert)) >= 6:  # „0.5“, „13.272“ stehen auch in Koordinaten
                    n.text.setdefault(repr(z.wert), []).append(zelle)
                if len(repr(z.wert).lstrip("0.").replace(".", "")) >= 3:  # 0.5 steckt in jeder Nachricht
                    n.binaer.setdefault(struct.pack("<d", z.wert), []).append(zelle)
                eigene = True
            ziffern = sum(c.isdigit() for c in z.text)
            if z.text not in sichtbare_texte and ziffern >= 3:
                n.text.setdefault(z.text, []).append(zelle)
                eigene = True
            n.geprueft += eigene
            n.uebersprungen += not eigene
        return n

    def suchen(self, nutzlast: bytes | str) -> dict[str, list[tuple]]:
        """Gefundene Nadeln (Beschreibung → Zellen) in einer Nutzlast (Text oder Bytes)."""
        daten = nutzlast.encode("utf-8") if isinstance(nutzlast, str) else bytes(nutzlast)
        funde: dict[str, list[tuple]] = {}
        for t, zellen in self.text.items():
            for form in {t, json.dumps(t)[1:-1]}:
                muster = "(?<![0-9.,+\u2212-])".encode() + re.escape(form.encode("utf-8")) + rb"(?![0-9])"
                if re.search(muster, daten):
                    funde[f"Text {t!r}"] = zellen
                    break
        for b, zellen in self.binaer.items():
            if b in daten:
                funde[f"Double {struct.unpack('<d', b)[0]!r}"] = zellen
        return funde


_CACHE: dict[int, tuple[pd.DataFrame, pd.DataFrame]] = {}


def zellen_fuer(kommune) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(gesperrt, sichtbar) einer Kommune, einmal je Testlauf berechnet."""
    if id(kommune) not in _CACHE:
        _CACHE[id(kommune)] = verborgene_zellen(kommune)
    return _CACHE[id(kommune)]


def nadeln_fuer(kommune, schichten: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame, Nadeln]:
    """(gesperrt, sichtbar, Nadeln) für die Ebenen `schichten` (Standard: alle).

    Übersprungen werden gesperrte Werte, die auf diesen Ebenen, ihren Elternebenen oder als Gesamtwert
    auch sichtbar vorkommen: Nur diese Werte kann eine Ansicht dieser Ebenen rechtmäßig enthalten.
    """
    gesperrt, sichtbar = zellen_fuer(kommune)
    if schichten is not None:
        mit_eltern = set(schichten) | {kommune.schicht(x).eltern for x in schichten}
        gesperrt = gesperrt[gesperrt["schicht"].isin(schichten)]
        sichtbar = sichtbar[sichtbar["schicht"].isin(mit_eltern) | sichtbar["schicht"].isna()]
    return gesperrt, sichtbar, Nadeln.aus(gesperrt, sichtbar)


def _gebiete_mit_sperren(gesperrt: pd.DataFrame, schicht: str, n: int = 5) -> list[str]:
    teil = gesperrt[gesperrt["schicht"] == schicht]
    return list(teil["gebiet"].value_counts().index[:n])


def _spec(chart) -> str:
    return json.dumps(chart.to_dict(), ensure_ascii=False, default=str)


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


@pytest.fixture(params=["musterstadt", "berlin"])
def kommune(request):
    return request.getfixturevalue(request.param)


def test_nadeln_finden_rohwerte(musterstadt):
    """Die Suche selbst: Rohwerte (Admin) werden gefunden, sonst könnte keine Prüfung scheitern."""
    gesperrt, _, nadeln = nadeln_fuer(musterstadt, ["viertel"])
    assert nadeln.geprueft >= 40 and len(gesperrt) >= 1200
    zelle = next(z for z in gesperrt.itertuples() if struct.pack("<d", z.wert) in nadeln.binaer)
    roh = spine_daten(musterstadt, zelle.schicht, [zelle.gebiet], zelle.periode, [zelle.indikator], rolle="admin")
    assert nadeln.suchen(roh["wert"].to_numpy().tobytes())  # wie in Arrow-Daten
    oeff = spine_daten(musterstadt, zelle.schicht, [zelle.gebiet], zelle.periode, [zelle.indikator])
    assert not nadeln.suchen(oeff["wert"].to_numpy().tobytes())
    assert not nadeln.suchen(b"\x00" * 64 + b"16.0 42 2024")


def test_spine_und_vergleich_ohne_gesperrte_werte(kommune):
    gesperrt = zellen_fuer(kommune)[0]
    for s in kommune.konfiguration.ebenen:
        nadeln = nadeln_fuer(kommune, [s.id])[2]
        teil = gesperrt[gesperrt["schicht"] == s.id]
        gebiete = list(kommune.gebiete[s.id].index)
        df = spine_daten(kommune, s.id, gebiete)
        assert not nadeln.suchen(df.to_json()), s.id
        # jede gesperrte Zelle der gezeigten Periode: kein Wert, Beschriftung „gesperrt“
        schluessel = df.set_index(["indikator", "periode", "gebiet"])
        for z in teil.itertuples():
            if (z.indikator, z.periode, z.gebiet) in schluessel.index:
                zeile = schluessel.loc[(z.indikator, z.periode, z.gebiet)]
                assert math.isnan(zeile["wert"]) and math.isnan(zeile["pos_wert"]) and zeile["gesperrt"]
                assert zeile["wert_text"] == "gesperrt"
        # Spanne und Quartile nur aus sichtbaren Werten: kein Minimum/Maximum ist ein gesperrter Wert
        assert not nadeln.suchen(df[["min", "q1", "median", "q3", "max"]].to_json())
        for g in _gebiete_mit_sperren(gesperrt, s.id, 2):
            assert not nadeln.suchen(_spec(spine_chart(kommune, s.id, g)))
        auswahl = _gebiete_mit_sperren(gesperrt, s.id, 5)
        if auswahl:
            assert not nadeln.suchen(_spec(punktvergleich(kommune, s.id, auswahl)))


def test_zeitreihe_ohne_gesperrte_werte(kommune):
    gesperrt = zellen_fuer(kommune)[0]
    mit_verlauf = [i for i in sorted(set(gesperrt["indikator"])) if len(perioden_von(kommune, i)) > 1]
    if not mit_verlauf:  # Berlin: gesperrt wird nur in Indikatoren mit einer Periode
        pytest.skip("keine gesperrte Zelle in einem Indikator mit Zeitverlauf")
    geprueft = 0
    for s in kommune.konfiguration.ebenen:
        nadeln = nadeln_fuer(kommune, [s.id])[2]
        gebiete = list(kommune.gebiete[s.id].index)
        for ind in mit_verlauf:
            df = zeitreihe_daten(kommune, ind, s.id, gebiete)
            assert not nadeln.suchen(df.to_json()), (s.id, ind)
            treffer = gesperrt[(gesperrt["schicht"] == s.id) & (gesperrt["indikator"] == ind)]
            geprueft += len(treffer)
            sperr = df[df["gesperrt"]]
            assert sperr["wert"].isna().all() and (sperr["wert_text"] == "gesperrt").all()
            assert len(sperr) == len(treffer)
    assert geprueft >= 100
    s = kommune.konfiguration.ebenen[0].id
    nadeln = nadeln_fuer(kommune, [s])[2]
    g = _gebiete_mit_sperren(gesperrt[gesperrt["indikator"].isin(mit_verlauf)], s, 1)
    ind = gesperrt[(gesperrt["schicht"] == s) & (gesperrt["gebiet"] == g[0])]["indikator"].iloc[0]
    if len(perioden_von(kommune, ind)) > 1:
        chart = zeitreihe(kommune, ind, s, g)
        assert not nadeln.suchen(_spec(chart))
        svg = als_svg(chart)
        assert not nadeln.suchen(svg) and "gesperrt (Geheimhaltung)" in svg


def test_admin_sieht_rohwerte_nur_ausdruecklich(musterstadt):
    gesperrt = zellen_fuer(musterstadt)[0]
    z = gesperrt[gesperrt["schicht"] == "viertel"].iloc[0]
    oeff = werte_und_maske(musterstadt, z.indikator, "viertel", z.periode)[0]
    admin = werte_und_maske(musterstadt, z.indikator, "viertel", z.periode, rolle="admin")[0]
    assert math.isnan(oeff[z.gebiet]) and admin[z.gebiet] == z.wert
    with pytest.raises(KommuneFehler):
        werte_und_maske(musterstadt, z.indikator, "viertel", z.periode, rolle="gast")


def test_kacheln_top_flop_sparkline_ohne_gesperrte_werte(kommune):
    gesperrt = zellen_fuer(kommune)[0]
    for s in kommune.konfiguration.ebenen:
        nadeln = nadeln_fuer(kommune, [s.id])[2]
        teil = gesperrt[gesperrt["schicht"] == s.id]
        for ind in list(dict.fromkeys(teil["indikator"]))[:6]:
            tf = top_und_flop(kommune, ind, s.id, n=10)
            assert not nadeln.suchen(pd.concat([tf.hoechste, tf.niedrigste], ignore_index=True).to_json()), (s.id, ind)
            g = teil.loc[teil["indikator"] == ind, "gebiet"].iloc[0]
            d = KachelDefinition(titel="K", indikator=ind, ebene=s.id, gebiet=g)
            k = kachel_berechnen(kommune, d)
            text = json.dumps([k.wert_text, k.veraenderung_text, k.ampel_text, k.verlauf], default=str)
            assert not nadeln.suchen(text), (s.id, ind, g)
            assert not nadeln.suchen(sparkline_svg(k.verlauf))
            if len([w for _, w in k.verlauf if w == w]) >= 2:
                assert not nadeln.suchen(_spec(sparkline(k.verlauf)))
            letzte = teil[(teil["indikator"] == ind) & (teil["gebiet"] == g)]["periode"].max()
            if k.periode == letzte:
                assert k.wert_text == "gesperrt" and "gesperrt" in k.veraenderung_text


def test_profil_und_index_eingaben_geschuetzt(kommune):
    s = kommune.konfiguration.ebenen[0].id
    gesperrt, _, nadeln = nadeln_fuer(kommune, [s])
    for g in _gebiete_mit_sperren(gesperrt, s, 3):
        profil = profil_schuetzen(kommune, s, g, gebietsprofil(kommune, s, g))
        assert profil["gesperrt"].any()
        assert not nadeln.suchen(profil[["wert", "eltern"]].to_json())
    ids = list(dict.fromkeys(gesperrt.loc[gesperrt["schicht"] == s, "indikator"]))[:8]
    eingaben = eingaben_sammeln(kommune, ids, ebene=s, werte_fn=werte_fn_fuer("oeffentlich"))
    assert not nadeln.suchen(eingaben.werte.to_json()) and not nadeln.suchen(eingaben.werte.to_numpy().tobytes())
    roh = eingaben_sammeln(kommune, ids, ebene=s, werte_fn=werte_fn_fuer("admin"))
    assert nadeln.suchen(roh.werte.to_numpy().tobytes())  # Gegenprobe: die Rohwerte enthielten sie


def test_profilbericht_und_bildungsbericht_ohne_gesperrte_werte(kommune):
    import io
    import zipfile

    s = kommune.konfiguration.ebenen[0].id
    gesperrt, _, nadeln = nadeln_fuer(kommune, [s])
    g = _gebiete_mit_sperren(gesperrt, s, 1)[0]
    html = profil_html(kommune, s, g)
    assert not nadeln.suchen(html) and "gesperrt" in html
    nadeln = nadeln_fuer(kommune)[2]  # der Bericht zeigt alle Ebenen
    docx = bildungsbericht_docx(kommune, mit_bildern=False)
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert not nadeln.suchen(xml)

"""Angebotsfinder: Filter mit Zahlen, URL hin und zurück, feindliche Parameter, nur gültige Angebote und öffentliche
Felder, Maskierung (HTML/Markdown) und Entschärfung (XLSX/CSV), Sichtbarkeit für die Karte."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile
from datetime import date

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
import shapely

from berichte.angebotsliste import angebotsliste_html
from geodata.angebotsfinder import (
    Filterzustand,
    eintrag_markdown,
    filtern,
    hintergrund_ebene,
    kartenreihenfolge,
    oeffentliche_angebote,
    oeffentliche_tabelle,
    optionen,
    position_zu_zeile,
    sichtbarkeit,
    sichtbarkeit_lesen,
    web_adresse,
    zustand_aus_parametern,
    zustand_zu_parametern,
)
from geodata.angebotsuebersicht import angebotsuebersicht_xlsx
from kommune.format import markdown_text
from oberflaeche.export import csv_bytes

HEUTE = date(2026, 6, 1)
SKRIPT = "<script>alert(1)</script>"
BOESE = {
    "name": SKRIPT,
    "traeger": '=HYPERLINK("http://x.example","klick")',
    "beschreibung": "@SUM(1) <img src=x onerror=alert(2)> [Link](javascript:alert(3))",
    "adresse": "+49 30 123",
    "zeiten": "-1+1",
    "web": "javascript:alert(4)",
    "bestaetigt_von": "Erika Mustermann (privat)",
}


@pytest.fixture(scope="module")
def stadt(musterstadt):
    """Musterstadt mit einem feindlichen und einem abgelaufenen Registerangebot."""
    a = musterstadt.angebote.copy()
    reg = np.flatnonzero((a["herkunft"] == "register").to_numpy())
    boese, alt = a.index[reg[0]], a.index[reg[1]]
    for spalte, wert in BOESE.items():
        a.at[boese, spalte] = wert
    a.at[alt, "gueltig_bis"] = "2025-12-31"
    a.at[alt, "name"] = "Abgelaufenes Angebot"
    return dataclasses.replace(musterstadt, angebote=a)


@pytest.fixture(scope="module")
def oeffentlich(stadt):
    return oeffentliche_angebote(stadt.angebote, HEUTE)


def test_nur_gueltige_und_nur_oeffentliche_felder(stadt, oeffentlich):
    assert len(oeffentlich) == len(stadt.angebote) - 1
    assert "Abgelaufenes Angebot" not in set(oeffentlich["name"])
    assert "bestaetigt_von" not in oeffentlich.columns
    assert "Abgelaufenes Angebot" in set(stadt.angebote["name"])
    # auch filtern() lässt Abgelaufenes weg, wenn es ungefiltert hineinkommt
    m = filtern(stadt.angebote, Filterzustand(), stadt, HEUTE)
    assert int(m.sum()) == len(oeffentlich)
    assert not m[stadt.angebote["name"] == "Abgelaufenes Angebot"].any()


def test_bestaetigt_von_nie_in_ausgaben(stadt, oeffentlich):
    geheim = BOESE["bestaetigt_von"]
    html_text = angebotsliste_html(stadt, oeffentlich)
    tabelle = csv_bytes(oeffentliche_tabelle(oeffentlich)).decode("utf-8-sig")
    puffer = io.BytesIO()
    angebotsuebersicht_xlsx(stadt, oeffentlich, puffer)
    with zipfile.ZipFile(io.BytesIO(puffer.getvalue())) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    md = "".join(eintrag_markdown(z) for _, z in oeffentlich.iterrows())
    for ausgabe in (html_text, tabelle, xml, md):
        assert "Mustermann" not in ausgabe and "Bestätigt von" not in ausgabe
    # selbst wenn jemand die Spalte mitgibt: Druckansicht liest sie nicht
    mit = stadt.angebote.assign(bestaetigt_von=geheim)
    assert "Mustermann" not in angebotsliste_html(stadt, mit)


def test_filter_mit_zahlen(stadt, oeffentlich):
    a = oeffentlich
    reg = a[a["herkunft"] == "register"]

    def anzahl(**kw) -> int:
        return int(filtern(a, Filterzustand(**kw), stadt, HEUTE).sum())

    assert anzahl() == len(a) == 305
    assert anzahl(kategorie="Kita") == int((a["kategorie"] == "Kita").sum()) == 145
    assert anzahl(stufe="Übergang") == int((a["bildungsstufe"] == "Übergang").sum())
    kinder = reg["zielgruppen"].str.split("; ").map(lambda t: "Kinder" in t)
    assert anzahl(zielgruppe="kinder") == int(kinder.sum()) > 0  # ohne Groß-/Kleinschreibung
    arabisch = reg["sprachen"].str.contains("Arabisch")
    assert anzahl(sprache="Arabisch") == int(arabisch.sum()) > 0
    assert anzahl(kostenfrei=True) == int((reg["kostenfrei"] == "ja").sum())
    assert anzahl(barrierefrei=True) == int((reg["barrierefrei"] == "ja").sum())
    # Alter 3: Kitas (0–6) ja, Grundschulen (6–12) nein, ohne Altersangabe bleibt
    m3 = filtern(a, Filterzustand(alter=3), stadt, HEUTE)
    assert m3[a["kategorie"] == "Kita"].all() and not m3[a["kategorie"] == "Grundschule"].any()
    # Gebiet über die Geometrie: Summe über alle Stadtbezirke = alle Angebote (Punkte liegen in genau einem)
    bezirke = stadt.gebiete["stadtbezirk"].index
    je = [anzahl(gebiet_ebene="stadtbezirk", gebiet=b) for b in bezirke]
    assert sum(je) == len(a) and all(n > 0 for n in je)
    punkt_in = a.geometry.within(stadt.gebiete["stadtbezirk"].geometry[bezirke[0]])
    assert je[0] == int(punkt_in.sum())
    # Suche: jedes Wort, in Name, Träger, Beschreibung, Adresse, Kategorie
    assert anzahl(suche="sprachcafé") == int(a["name"].str.contains("Sprachcafé").sum()) > 0
    awo = a["traeger"].str.contains("AWO") & a["beschreibung"].str.contains("Haselgarten")
    assert anzahl(suche="awo HASELGARTEN") == int(awo.sum()) == 1
    assert anzahl(suche="gibt es nicht xyz") == 0
    # Kombination = Schnittmenge
    beide = filtern(a, Filterzustand(kategorie="Sprachkurs", kostenfrei=True), stadt, HEUTE)
    einzeln = filtern(a, Filterzustand(kategorie="Sprachkurs"), stadt, HEUTE) & filtern(
        a, Filterzustand(kostenfrei=True), stadt, HEUTE
    )
    assert beide.equals(einzeln)


def test_url_hin_und_zurueck(stadt, oeffentlich):
    opt = optionen(stadt, oeffentlich)
    gebiet = str(stadt.gebiete["stadtteil"].index[3])
    z = Filterzustand(
        zielgruppe="Kinder",
        alter=8,
        sprache="Türkisch",
        stufe="non-formal",
        kategorie="Leseförderung",
        gebiet_ebene="stadtteil",
        gebiet=gebiet,
        suche="Vorlesen & mehr",
        kostenfrei=True,
        barrierefrei=True,
        angebot=str(oeffentlich["id"].iloc[5]),
    )
    params = zustand_zu_parametern(z)
    assert params["bereich"] == f"stadtteil:{gebiet}" and params["kostenfrei"] == "1" and params["alter"] == "8"
    zurueck, hinweise = zustand_aus_parametern(params, opt)
    assert zurueck == z and hinweise == []
    # Listen (st.query_params.get_all) und leere Werte
    zurueck, _ = zustand_aus_parametern({k: [v] for k, v in params.items()}, opt)
    assert zurueck == z
    assert zustand_aus_parametern({}, opt) == (Filterzustand(), [])
    assert zustand_zu_parametern(Filterzustand()) == {}


@pytest.mark.parametrize(
    "params",
    [
        {"alter": "-1"},
        {"alter": "1e3"},
        {"alter": "999"},
        {"alter": "8.5"},
        {"kategorie": SKRIPT},
        {"kategorie": "Ki\x00ta"},
        {"zielgruppe": "'; DROP TABLE angebote; --"},
        {"bereich": "stadtbezirk"},
        {"bereich": "gibtsnicht:01"},
        {"bereich": "stadtbezirk:../../etc/passwd"},
        {"kostenfrei": "vielleicht"},
        {"angebot": "x" * 5000},
        {"stufe": "=HYPERLINK()"},
        {"sprache": {"a": 1}},
        {"suche": 12},
    ],
)
def test_feindliche_parameter_werden_mit_hinweis_ignoriert(stadt, oeffentlich, params):
    opt = optionen(stadt, oeffentlich)
    z, hinweise = zustand_aus_parametern(params, opt)
    assert z == Filterzustand()
    assert len(hinweise) == 1 and "ignoriert" in hinweise[0]
    assert "\x00" not in hinweise[0] and len(hinweise[0]) < 200


def test_parameter_bereinigt(stadt, oeffentlich):
    opt = optionen(stadt, oeffentlich)
    z, hinweise = zustand_aus_parametern({"suche": "  a\x00b\u202e " + "x" * 300, "kategorie": "kita"}, opt)
    assert z.kategorie == "Kita" and "\x00" not in z.suche and "\u202e" not in z.suche
    assert len(z.suche) <= 200 and len(hinweise) == 1 and "gekürzt" in hinweise[0]
    # unbekannte Parameter stören nicht
    assert zustand_aus_parametern({"foo": "bar", "kommune": "x"}, opt) == (Filterzustand(), [])
    # jede Mischung: nie eine Ausnahme
    rng = np.random.default_rng(1)
    zeichen = list("abc:;/%<>\"'\\=+-@ \x00\n\u202e12")
    for _ in range(300):
        params = {
            p: "".join(rng.choice(zeichen, int(rng.integers(0, 12))))
            for p in ("zielgruppe", "alter", "sprache", "stufe", "kategorie", "bereich", "suche", "kostenfrei")
        }
        zustand_aus_parametern(params, opt)


def test_xss_und_formeln_maskiert_und_entschaerft(stadt, oeffentlich):
    boese = oeffentlich[oeffentlich["name"] == SKRIPT]
    assert len(boese) == 1
    # Markdown der Seite: kein Tag, kein Link, kein javascript:-Link
    md = eintrag_markdown(boese.iloc[0])
    ohne_links = re.sub(r"\[(?:[^\]\\]|\\.)*\]\(<(?:https?://|mailto:)[^<>\s]*>\)", "", md)  # die gesetzten Links
    assert not re.search(r"(?<!\\)[<>\[\]()]", ohne_links)  # sonst jedes < > [ ] ( ) maskiert
    assert "\\<script\\>" in md and "](javascript" not in md
    assert markdown_text("**fett** [x](y) <b>") == "\\*\\*fett\\*\\* \\[x\\]\\(y\\) \\<b\\>"
    # keine Autolinks: zwischen Schema und „//“, nach „www“ und vor „@“ ein unsichtbares Leerzeichen
    assert markdown_text("http://x.de www.y.de a@b.de") == "http\\:\u200b//x\\.de www\u200b\\.y\\.de a\u200b@b\\.de"
    assert re.search(r"\]\(<mailto:info@", eintrag_markdown(oeffentlich[oeffentlich["herkunft"] == "register"].iloc[2]))
    assert web_adresse("javascript:alert(4)") == "" and web_adresse("https://a.example/x") == "https://a.example/x"
    assert web_adresse('https://a.example/"onmouseover=alert(1)') == ""
    # Druckansicht: maskiert, kein Skript, kein Link auf javascript:
    h = angebotsliste_html(stadt, boese)
    assert SKRIPT not in h and "&lt;script&gt;alert(1)&lt;/script&gt;" in h
    assert "<img" not in h and "&lt;img src=x onerror=alert(2)&gt;" in h
    assert "<dd>javascript:alert(4)</dd>" in h  # keine http(s)-Adresse: nur Text, kein Link
    assert 'href="javascript' not in h and "<script" not in h
    # CSV: jede Zelle, die eine Formel beginnen könnte, beginnt mit „'“
    text = csv_bytes(oeffentliche_tabelle(boese)).decode("utf-8-sig")
    zeile = next(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert zeile["Träger"].startswith("'=HYPERLINK") and zeile["Beschreibung"].startswith("'@SUM(1)")
    assert zeile["Adresse"] == "'+49 30 123" and zeile["Zeiten"] == "'-1+1"
    # XLSX: Textzellen mit Apostroph-Präfix, keine Formel im XML
    puffer = io.BytesIO()
    angebotsuebersicht_xlsx(stadt, boese, puffer)
    ws = openpyxl.load_workbook(io.BytesIO(puffer.getvalue()))["Angebotsübersicht"]
    zellen = {c.value: c for r in ws.iter_rows(min_row=2) for c in r if isinstance(c.value, str)}
    traeger = zellen['=HYPERLINK("http://x.example","klick")']
    assert traeger.data_type == "s" and traeger.quotePrefix
    with zipfile.ZipFile(io.BytesIO(puffer.getvalue())) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()


FORMELN = ["=1+1", "+SUM(A1)", "-2+3", "@SUM(1)", "\t=1", " =cmd|' /C calc'!A0", '=HYPERLINK("x")', "\r=1"]


@pytest.mark.parametrize("formel", FORMELN)
def test_formeln_aus_feindlich_in_csv_entschaerft(stadt, oeffentlich, formel):
    a = oeffentlich.iloc[:1].copy()
    a["name"] = formel
    zeile = list(csv.reader(io.StringIO(csv_bytes(oeffentliche_tabelle(a)).decode("utf-8-sig")), delimiter=";"))[1]
    assert not zeile[0].lstrip(" ").startswith(("=", "+", "@", "\t", "\r")) or zeile[0].startswith("'")


def test_sichtbarkeit_und_kartenposition(stadt, oeffentlich):
    reihe = kartenreihenfolge(oeffentlich)
    assert len(reihe) == len(oeffentlich) and set(reihe) == set(oeffentlich.index)
    m = filtern(oeffentlich, Filterzustand(kategorie="Sprachkurs"), stadt, HEUTE)
    text = sichtbarkeit(m, reihe)
    assert len(text) == (4 * ((len(reihe) + 7) // 8) + 2) // 3  # Base64 ohne „=“: 305 Angebote → 52 Zeichen
    bits = sichtbarkeit_lesen(text, len(reihe))
    assert int(bits.sum()) == int(m.sum()) == int((oeffentlich["kategorie"] == "Sprachkurs").sum()) == 19
    assert set(reihe[bits]) == set(m[m].index)
    assert all(c.isalnum() or c in "-_" for c in text)
    pos = int(np.flatnonzero(bits)[0])
    assert oeffentlich.at[position_zu_zeile(pos, reihe), "kategorie"] == "Sprachkurs"
    for falsch in (-1, len(reihe), 1.5, "3", None, True):
        assert position_zu_zeile(falsch, reihe) is None


def test_tabelle_oeffentlich_mit_daten_und_lage(stadt, oeffentlich):
    reg = oeffentlich[oeffentlich["herkunft"] == "register"].iloc[:3]
    t = oeffentliche_tabelle(reg)
    assert "Bestätigt von" not in t.columns
    assert t["Zuletzt bestätigt am"].str.fullmatch(r"\d{2}\.\d{2}\.\d{4}").all()
    assert t["Breitengrad"].between(47, 56).all() and t["Längengrad"].between(5, 16).all()
    assert oeffentliche_tabelle(oeffentlich.iloc[:0]).empty


def test_ohne_angebote_und_hintergrund(tmp_path):
    from kommune.laden import kommune_laden
    from tests.mini import mini_kommune

    k = kommune_laden(mini_kommune(tmp_path / "mini"))
    leer = oeffentliche_angebote(k.angebote)
    assert leer.empty and filtern(leer, Filterzustand(kategorie="x"), k).empty
    opt = optionen(k, leer)
    assert opt.kategorien == () and zustand_aus_parametern({"kategorie": "Kita"}, opt)[0] == Filterzustand()
    assert hintergrund_ebene(k) in k.gebiete
    assert kartenreihenfolge(leer).empty and sichtbarkeit(pd.Series(dtype=bool), kartenreihenfolge(leer)) == ""


def test_gebiet_ohne_gueltige_geometrie(stadt, oeffentlich):
    a = oeffentlich.copy()
    a = gpd.GeoDataFrame(a, geometry=a.geometry.copy(), crs=a.crs)
    a.loc[a.index[0], "geometry"] = shapely.Point()  # leerer Punkt
    z = Filterzustand(gebiet_ebene="stadtbezirk", gebiet=str(stadt.gebiete["stadtbezirk"].index[0]))
    m = filtern(a, z, stadt, HEUTE)
    assert not m.iloc[0]


def test_druckansicht_entlang_der_bildungskette(stadt, oeffentlich):
    from geodata.angebotsuebersicht import BILDUNGSKETTE

    h = angebotsliste_html(stadt, oeffentlich, filter_text="Zielgruppe: <Kinder>")
    gruppen = re.findall(r"<h2>([^<(]+) \((\d+)\)</h2>", h)
    erwartet = [BILDUNGSKETTE[s] for s in BILDUNGSKETTE if s in set(oeffentlich["bildungsstufe"])]
    assert [g.strip() for g, _ in gruppen] == erwartet
    assert sum(int(n) for _, n in gruppen) == len(oeffentlich) == h.count('<div class="angebot">')
    assert "@page { size: A4" in h and "<script" not in h and "Zielgruppe: &lt;Kinder&gt;" in h
    assert "<h2>Quellen</h2>" in h and "CC0 1.0" in h
    assert "Keine Angebote" in angebotsliste_html(stadt, oeffentlich.iloc[:0])

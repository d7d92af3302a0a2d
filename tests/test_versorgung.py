"""Angebote gegen Bedarf: Schulen ↔ Einzugsbereiche, Plätze je Kinder, Luftlinie, Lückenliste, XLSX."""

from __future__ import annotations

import io
import math
import time
import zipfile

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geodata.angebotsuebersicht import BILDUNGSKETTE, ZAHLFORMAT, angebote_filtern, angebotsuebersicht_xlsx
from geodata.erreichbarkeit import erreichbarkeit, erreichbarkeit_kommune, wohnorte
from geodata.handlungsbedarf import Kriterien, handlungsbedarf, handlungsbedarf_kommune
from geodata.versorgung import (
    STATUS_EINE,
    STATUS_KEINE,
    STATUS_MEHRERE,
    angebote_je_gebiet,
    plaetze_je_kinder,
    punkte_zuordnen,
    schulen_zu_einzugsbereichen,
    status_zaehlen,
    versorgungsindikatoren,
)
from kommune.werte import werte

CRS = "EPSG:25833"


def _gebiete(boxen: dict[str, tuple[float, float, float, float]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": [f"Gebiet {i}" for i in boxen]},
        geometry=[box(*b) for b in boxen.values()],
        index=pd.Index(list(boxen), name="id"),
        crs=CRS,
    )


def _angebote(zeilen: list[tuple[str, float, float, float]]) -> gpd.GeoDataFrame:
    """(kategorie, x, y, kapazitaet) → Angebote in Standardspalten."""
    return gpd.GeoDataFrame(
        {
            "id": [f"A{i}" for i in range(len(zeilen))],
            "kategorie": [z[0] for z in zeilen],
            "name": [f"Angebot {i}" for i in range(len(zeilen))],
            "kapazitaet": [z[3] for z in zeilen],
        },
        geometry=[Point(z[1], z[2]) for z in zeilen],
        crs=CRS,
    )


# ---------------------------------------------------------------------------------------------
# Versorgung: kleine, von Hand gerechnete Beispiele
# ---------------------------------------------------------------------------------------------


def test_plaetze_je_kinder_nie_durch_null():
    kap = pd.Series({"a": 50.0, "b": 10.0, "c": 20.0, "d": np.nan, "e": 0.0})
    kinder = pd.Series({"a": 100.0, "b": 0.0, "c": np.nan, "d": 40.0, "e": 10.0})
    q = plaetze_je_kinder(kap, kinder)
    assert q["a"] == 50.0 and q["e"] == 0.0
    assert q[["b", "c", "d"]].isna().all()
    assert not np.isinf(q).any()
    assert plaetze_je_kinder(kap, kinder, je=1000)["a"] == 500.0


def test_angebote_je_gebiet_mit_nullen_aufgefuellt_und_grenzpunkte_einmal():
    gebiete = _gebiete({"w": (0, 0, 100, 100), "o": (100, 0, 200, 100), "leer": (0, 100, 100, 200)})
    angebote = _angebote(
        [
            ("Kita", 50, 50, 30),
            ("Kita", 60, 50, np.nan),  # unbekannt
            ("Kita", 100, 50, 20),  # genau auf der Grenze w|o: genau einmal gezählt
            ("Kita", 150, 50, 0),  # 0 = unbekannt
            ("Kita", 999, 999, 99),  # außerhalb
            ("Bibliothek", 150, 50, np.nan),
        ]
    )
    df = angebote_je_gebiet(angebote, gebiete, ["Kita", "Bibliothek", "VHS"])
    assert df["Kita: Anzahl"].sum() == 4 and df.attrs["ausserhalb"] == 1
    assert df.loc["leer"].sum() == 0  # mit 0 aufgefüllt, auch für die fehlende Kategorie VHS
    assert df["VHS: Anzahl"].tolist() == [0, 0, 0]
    assert df["Kita: Plätze"].sum() == 50  # nur bekannte Plätze
    assert df["Kita: ohne Platzangabe"].sum() == 2
    assert df.loc["o", "Bibliothek: Anzahl"] == 1
    zu = punkte_zuordnen(angebote, gebiete)
    assert zu.iloc[4] is None and zu.iloc[0] == "w"


def test_punkte_zuordnen_gebiet_ohne_einen_einzigen_punkt():
    """Regression (Issue 10): ein Gebiet ohne Angebot gab einen IndexError statt „nirgends“."""
    gebiete = _gebiete({"leer": (0, 100, 100, 200)})
    angebote = _angebote([("Kita", 50, 50, 30), ("Kita", 150, 50, 10)])
    zu = punkte_zuordnen(angebote, gebiete)
    assert zu.isna().all() and len(zu) == 2
    assert angebote_je_gebiet(angebote, gebiete, ["Kita"]).loc["leer", "Kita: Anzahl"] == 0


# ---------------------------------------------------------------------------------------------
# Berlin: Schulen ↔ Einschulbereiche, Kitaplätze
# ---------------------------------------------------------------------------------------------


def test_berlin_grundschulen_zu_einschulbereichen_wie_im_manifest(berlin):
    z = schulen_zu_einzugsbereichen(berlin.angebote, berlin.gebiete["einschulbereich"])
    assert len(z) == 346
    assert z["Anzahl Schulen"].sum() == 376 and z.attrs["ausserhalb"] == []
    assert status_zaehlen(z) == {STATUS_EINE: 292, STATUS_MEHRERE: 39, STATUS_KEINE: 15}
    mehrere = z[z["Status"] == STATUS_MEHRERE].iloc[0]
    assert len(mehrere["Schulen"].split("; ")) == mehrere["Anzahl Schulen"] >= 2
    assert (z.loc[z["Status"] == STATUS_KEINE, "Schulen"] == "").all()


def test_berlin_kitaplaetze_summe_und_stadtwert(berlin):
    for ebene in ("planungsraum", "einschulbereich", "bezirk"):
        df = angebote_je_gebiet(berlin.angebote, berlin.gebiete[ebene], ["Kita"])
        assert df["Kita: Plätze"].sum() == 199_851, ebene
        assert df["Kita: Anzahl"].sum() == 2_893
    v = versorgungsindikatoren(berlin, "planungsraum")
    spalte = v.attrs["indikatoren"]["kita_plaetze"]
    assert spalte == "Kita-Plätze je 100 Kinder unter 6"
    assert v.attrs["gesamt"][spalte] == pytest.approx(100 * 199_851 / 208_938)  # 95,65
    assert v.attrs["gesamt"]["Kitas ohne Platzangabe (Anzahl)"] == 10
    assert v.attrs["formeln"]["jugendfreizeit_plaetze"] == "inhabitants_age_6_15 + inhabitants_age_15_18"
    # Berliner Schulen ohne Platzzahlen: keine [[versorgung]], also weder Spalte noch Grund
    assert "grundschul_plaetze" not in v.attrs["indikatoren"] and v.attrs["nicht_verfuegbar"] == {}
    assert not np.isinf(v.select_dtypes("number")).any().any()
    ohne_kinder = v["Kinder unter 6 (Personen)"] == 0
    assert ohne_kinder.any() and v.loc[ohne_kinder, spalte].isna().all()
    # Bezirk: Quotient aus Summen, nicht Mittel der Planungsräume
    bez = versorgungsindikatoren(berlin, "bezirk")
    assert bez[spalte].notna().all()
    assert bez["Kinder unter 6 (Personen)"].sum() == 208_938


def test_berlin_erreichbarkeit_schnell_und_plausibel(berlin):
    start = time.perf_counter()
    df = erreichbarkeit_kommune(berlin, "planungsraum", "Kita")
    dauer = time.perf_counter() - start
    assert dauer < 2.0, dauer
    sp = df.attrs["spalten"]
    assert sp["entfernung"] == "Mittlere Luftlinie zur nächsten Kita (m)"
    assert df[sp["entfernung"]].notna().all() and (df[sp["entfernung"]] > 0).all()
    assert df[sp["anteil_500"]].between(0, 100).all()
    assert (df[sp["anteil_1000"]] >= df[sp["anteil_500"]]).all()
    gesamt = df.attrs["gesamt"]
    assert gesamt[sp["personen_1000"]] <= 208_938 + 1e-6
    assert 0 < gesamt[sp["anteil_500"]] < gesamt[sp["anteil_1000"]] <= 100


def test_berlin_lueckenliste_begruendung(berlin):
    s4 = werte(berlin, "S4", "planungsraum", "2020")
    liste = handlungsbedarf_kommune(berlin, "planungsraum", s4)
    assert liste.anzahl == len(liste.tabelle) > 0
    erste = liste.tabelle["Begründung"].iloc[0]
    assert erste.startswith("Benachteiligung im oberen Fünftel (Rang ")
    assert "von 536) und " in erste and erste.endswith("Kita-Plätze je 100 Kinder unter 6 (Gesamtstadt: 95,7)")
    assert "542 Planungsräumen" in liste.kriterien and "(Wert Gesamtstadt)" in liste.kriterien


# ---------------------------------------------------------------------------------------------
# Musterstadt: andere Indikatornamen, andere Zielgruppenformeln
# ---------------------------------------------------------------------------------------------


def test_musterstadt_versorgung_aus_eigenem_katalog(musterstadt):
    v = versorgungsindikatoren(musterstadt, "viertel")
    assert v.attrs["formeln"]["kita_plaetze"] == "kinder_u6"
    assert v.attrs["perioden"]["kita_plaetze"] == "2024"
    assert list(v.attrs["indikatoren"]) == ["kita_plaetze", "grundschul_plaetze", "bibliotheken"]  # wie angegeben
    sp = v.attrs["indikatoren"]["kita_plaetze"]
    nur_unbekannt = (v["Kitas (Anzahl)"] > 0) & (v["Kitas ohne Platzangabe (Anzahl)"] == v["Kitas (Anzahl)"])
    assert nur_unbekannt.any() and v.loc[nur_unbekannt, sp].isna().all()  # leer statt 0
    frueher = versorgungsindikatoren(musterstadt, "viertel", periode="2022")
    assert frueher.attrs["perioden"]["kita_plaetze"] == "2022"
    z = schulen_zu_einzugsbereichen(musterstadt.angebote, musterstadt.gebiete["schulbezirk"])
    assert z["Anzahl Schulen"].sum() == 32 and sum(status_zaehlen(z).values()) == len(z)


def test_werte_fn_wird_durchgereicht(musterstadt):
    aufrufe = []

    def fake(kommune, indikator, schicht, periode):
        aufrufe.append((indikator, schicht, periode))
        return pd.Series(10.0, index=kommune.gebiete[schicht].index)

    v = versorgungsindikatoren(musterstadt, "schulbezirk", werte_fn=fake)
    assert ("kinder_u6", "schulbezirk", "2024") in aufrufe
    assert v["Kinder unter 6 (Personen)"].eq(10).all()


# ---------------------------------------------------------------------------------------------
# Erreichbarkeit: von Hand gerechnet
# ---------------------------------------------------------------------------------------------


def test_erreichbarkeit_von_hand():
    # a: 200 × 200 m → 4 Rasterpunkte (50|50), (150|50), (50|150), (150|150); Kita bei (50|50)
    # b: 100 × 100 m weit weg → 1 Punkt (1050|50), 1.000 m Luftlinie
    gebiete = _gebiete({"a": (0, 0, 200, 200), "b": (1000, 0, 1100, 100)})
    orte = wohnorte(gebiete, raster=100)
    assert len(orte.xy) == 5 and orte.ersatzpunkte == 0
    kita = _angebote([("Kita", 50, 50, 10)])
    df = erreichbarkeit(orte, kita, pd.Series({"a": 40.0, "b": 10.0}), radien=(50, 100, 1000))
    sp = df.attrs["spalten"]
    assert df.loc["a", sp["entfernung"]] == pytest.approx((0 + 100 + 100 + math.sqrt(2) * 100) / 4)
    assert df.loc["b", sp["entfernung"]] == pytest.approx(1000)
    assert df.loc["a", sp["anteil_50"]] == pytest.approx(25)
    assert df.loc["a", sp["anteil_100"]] == pytest.approx(75)
    assert df.loc["a", sp["personen_100"]] == pytest.approx(30)
    assert df.loc["b", sp["anteil_100"]] == 0 and df.loc["b", sp["anteil_1000"]] == 100
    assert "Luftlinie" in sp["anteil_100"] and "Kinder unter 6" in sp["anteil_100"]
    # Stadtwerte nach Bevölkerung gewichtet: (40 · 85,36 + 10 · 1000) / 50
    assert df.attrs["gesamt"][sp["entfernung"]] == pytest.approx((40 * df.loc["a", sp["entfernung"]] + 10_000) / 50)
    assert df.attrs["gesamt"][sp["anteil_100"]] == pytest.approx(60)
    assert df.attrs["gesamt_gewicht"] == "Bevölkerung"


def test_erreichbarkeit_sonderfaelle():
    # Gebiet kleiner als eine Rasterzelle → ein innerer Ersatzpunkt; keine Angebote → leer bzw. 0 %
    gebiete = _gebiete({"gross": (0, 0, 200, 200), "klein": (300, 300, 320, 320)})
    orte = wohnorte(gebiete, raster=100)
    assert orte.ersatzpunkte == 1
    leer = erreichbarkeit(orte, np.empty((0, 2)))
    assert leer.iloc[:, 0].isna().all() and (leer.iloc[:, 1] == 0).all()
    # Dichte: nur der Punkt (150|150) ist bewohnt → ganze Bevölkerung von „gross“ dort
    dichte = lambda xy: ((xy[:, 0] > 100) & (xy[:, 1] > 100)).astype(float)  # noqa: E731
    gewichtet = wohnorte(gebiete, raster=100, dichte=dichte)
    df = erreichbarkeit(gewichtet, np.array([[50.0, 50.0]]), radien=(100,))
    assert df.loc["gross"].iloc[0] == pytest.approx(math.sqrt(2) * 100)
    assert df.loc["gross"].iloc[1] == 0
    assert df.loc["klein"].iloc[0] == pytest.approx(math.hypot(260, 260))  # Dichte 0 → gleich gewichtet


# ---------------------------------------------------------------------------------------------
# Lückenliste: Kriterien ändern das Ergebnis wie erwartet
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def bedarf_versorgung():
    ids = [f"g{i:02d}" for i in range(1, 11)]
    bedarf = pd.Series(np.arange(1.0, 11.0), index=ids)  # g10 höchster Bedarf
    versorgung = pd.Series([90, 80, 70, 60, 50, 40, 30, 120, 60, 100.0], index=ids)
    return bedarf, versorgung


def test_lueckenliste_kriterien(bedarf_versorgung):
    bedarf, versorgung = bedarf_versorgung
    standard = handlungsbedarf(bedarf, versorgung, versorgung_stadt=65.0)
    # oberes Fünftel = g10, g09; nur g09 (60 < 65) ist unterversorgt
    assert standard.tabelle.index.tolist() == ["g09"]
    assert standard.tabelle["Begründung"].iloc[0] == (
        "Benachteiligung im oberen Fünftel (Rang 2 von 10) und 60,0 Kita-Plätze je 100 Kinder unter 6 (Stadt: 65,0)"
    )
    assert "im oberen Fünftel der 10 Gebiete mit Wert" in standard.kriterien and "unter 65,0 (Stadtwert)" in (
        standard.kriterien
    )
    # weiteres Bedarfskriterium (obere Hälfte): g09 (60), g07 (30), g06 (40); sortiert nach Bedarf
    haelfte = handlungsbedarf(bedarf, versorgung, Kriterien(bedarf_schwelle=0.5), versorgung_stadt=65.0)
    assert haelfte.tabelle.index.tolist() == ["g09", "g07", "g06"]
    # strengere Versorgungsschwelle als Wert
    streng = handlungsbedarf(bedarf, versorgung, Kriterien(bedarf_schwelle=0.5, versorgung_schwelle=45))
    assert streng.tabelle.index.tolist() == ["g07", "g06"]
    assert "unter 45,0 liegt" in streng.kriterien
    # Bedarf als Wert, Versorgung als Quantil (unteres Fünftel = 30, 40)
    kriterien = Kriterien(7, False, versorgung_schwelle=0.2, versorgung_als_quantil=True)
    wert = handlungsbedarf(bedarf, versorgung, kriterien)
    assert wert.tabelle.index.tolist() == ["g07"]
    assert "mindestens 7,0" in wert.kriterien and "unteres Fünftel" in wert.tabelle["Begründung"].iloc[0]
    # ohne Stadtwert: Median (65) als Bezug
    assert handlungsbedarf(bedarf, versorgung).versorgung_grenze == pytest.approx(65.0)


def test_lueckenliste_entfernung_und_fehlende_werte(bedarf_versorgung):
    bedarf, _ = bedarf_versorgung
    entfernung = pd.Series([100, 200, 300, 400, 500, 600, 700, 800, 900, np.nan], index=bedarf.index)
    bedarf = bedarf.copy()
    bedarf["g09"] = np.nan
    liste = handlungsbedarf(
        bedarf,
        entfernung,
        Kriterien(bedarf_schwelle=0.6, versorgung_schwelle=500, versorgung_richtung=-1),
        versorgung_name="mittlere Luftlinie zur nächsten Kita",
        versorgung_einheit="m",
        stellen=0,
        alle=True,
    )
    # Bedarf mit Wert: g01–g08, g10 (9 Gebiete); oberste 40 % = Rang ≤ 3,6 → g10, g08, g07
    assert liste.tabelle["Bedarf hoch"].sum() == 3
    assert liste.tabelle.loc[liste.tabelle["Handlungsbedarf"]].index.tolist() == ["g08", "g07"]  # g10 ohne Entfernung
    assert liste.tabelle.loc["g08", "Begründung"].endswith("800 m mittlere Luftlinie zur nächsten Kita (Median: 500 m)")
    assert "über 500 m liegt" in liste.kriterien
    assert "Nicht bewertet: 1 ohne Bedarfswert und 1 ohne Versorgungswert." in liste.kriterien


# ---------------------------------------------------------------------------------------------
# Filter und Angebotsübersicht (XLSX)
# ---------------------------------------------------------------------------------------------


def test_angebote_filtern(musterstadt):
    a = musterstadt.angebote
    drei = angebote_filtern(a, alter=3)
    assert "Kita" in set(drei["kategorie"]) and "Grundschule" not in set(drei["kategorie"])
    assert "VHS" in set(drei["kategorie"])  # ohne Altersangabe: bleibt
    assert "VHS" not in set(angebote_filtern(a, alter=3, ohne_altersangabe=False)["kategorie"])
    sechs = set(angebote_filtern(a, alter=6)["kategorie"])
    assert "Grundschule" in sechs and "Kita" not in sechs  # 0–6 = bis unter 6
    non_formal = set(angebote_filtern(a, bildungsstufen=["non-formal"])["kategorie"])
    assert non_formal == {"Bibliothek", "Jugendfreizeiteinrichtung", "Ferienprogramm", "Kultur", "Sport"}
    traeger = a["traeger"].iloc[0]
    assert (angebote_filtern(a, kategorien=["Kita"], traeger=[traeger])["traeger"] == traeger).all()


def test_angebotsuebersicht_xlsx_rundreise(musterstadt):
    a = musterstadt.angebote
    teil = a.groupby("kategorie", group_keys=False).head(3).copy()
    boese = ['=HYPERLINK("http://x")', "+49 30 123", "-Minus", "@SUMME(A1)"]
    teil.iloc[: len(boese), teil.columns.get_loc("name")] = boese
    teil = teil.sample(frac=1, random_state=1)  # Reihenfolge der Eingabe egal
    puffer = io.BytesIO()
    angebotsuebersicht_xlsx(musterstadt, teil, puffer)
    wb = openpyxl.load_workbook(io.BytesIO(puffer.getvalue()))
    ws = wb["Angebotsübersicht"]
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]][:7] == ["Kategorie", "Name", "Träger", "Adresse", "Plätze", "Alter", "Gebiet"]
    neu = ["Zielgruppen", "Sprachen", "Kosten", "Kontakt", "Zeiten", "Barrierefrei", "Zuletzt bestätigt"]
    assert [c.value for c in ws[1]][7:] == neu
    gruppen = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value is None]
    erwartet = [BILDUNGSKETTE[s] for s in BILDUNGSKETTE if s in set(teil["bildungsstufe"])]
    assert [g.split(" (")[0] for g in gruppen] == erwartet  # Reihenfolge der Bildungskette
    zeilen = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value is not None]
    assert len(zeilen) == len(teil)
    mit_plaetzen = [ws.cell(r, 5) for r in zeilen if ws.cell(r, 5).value is not None]
    assert mit_plaetzen and all(c.number_format == ZAHLFORMAT for c in mit_plaetzen)
    namen = {ws.cell(r, 2).value: ws.cell(r, 2) for r in zeilen}
    for b in boese:
        assert namen[b].data_type == "s" and namen[b].quotePrefix  # Text, keine Formel
    with zipfile.ZipFile(io.BytesIO(puffer.getvalue())) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    gebiet = {ws.cell(r, 7).value for r in zeilen}
    assert all(g and g.endswith(")") for g in gebiet)  # „Name (ID)“ der feinsten Ebene
    quellen = {r[0]: r for r in wb["Quellen"].iter_rows(values_only=True)}
    zeile = quellen["Standortverzeichnis Bildungsangebote Musterstadt (synthetisch)"]
    assert zeile[1] == "CC0 1.0" and zeile[2].startswith("Bildungsmonitor") and zeile[3] == "01.09.2024"


def test_angebotsuebersicht_berlin_mit_uebergang(berlin):
    teil = berlin.angebote.groupby("kategorie", group_keys=False).head(2)
    puffer = io.BytesIO()
    angebotsuebersicht_xlsx(berlin, teil, puffer)
    ws = openpyxl.load_workbook(puffer)["Angebotsübersicht"]
    gruppen = [ws.cell(r, 1).value.split(" (")[0] for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value is None]
    assert gruppen == ["Frühe Bildung", "Schule", "Übergang Schule – Beruf", "Non-formale Bildung"]


def test_zensus_dichte_liest_gitterzellen(tmp_path):
    from geodata.erreichbarkeit import zensus_dichte

    pfad = tmp_path / "gitter.parquet"
    pd.DataFrame(
        {"x_mp_1km": [4_500_500, 4_501_500], "y_mp_1km": [3_000_500, 3_000_500], "Einwohner": [100, -1]}
    ).to_parquet(pfad)
    dichte = zensus_dichte(pfad, "EPSG:3035")
    xy = np.array([[4_500_100.0, 3_000_900.0], [4_501_100.0, 3_000_100.0], [4_600_000.0, 3_000_000.0]])
    assert dichte(xy).tolist() == [100.0, 0.0, 0.0]  # −1 (unbewohnt) und unbekannte Zellen → 0

"""Lieferungen lesen und prüfen: Formate der Statistikstellen, feindliche Dateien, Plausibilitätsbefunde."""

from __future__ import annotations

import math
import zipfile

import geopandas as gpd
import pytest
from daten.kleinstadt import kleinstadt
from shapely.geometry import box

from kommune import kommune_laden
from kommune.pruefung import (
    FEHLER,
    HINWEIS,
    WARNUNG,
    Grenzen,
    Pruefprotokoll,
    Zuordnung,
    lieferung_lesen,
    lieferung_pruefen,
    pruefprotokoll_xlsx,
    zahl_lesen,
    zuordnung_lesen,
)


@pytest.fixture(scope="module")
def klein(tmp_path_factory):
    return kommune_laden(kleinstadt(tmp_path_factory.mktemp("kleinstadt")))


def befunde(ergebnis, stufe=None):
    return [b for b in ergebnis.protokoll.befunde if stufe is None or b.stufe == stufe]


def texte(ergebnis, stufe=None):
    return " | ".join(str(b) for b in befunde(ergebnis, stufe))


LANG = "gebiet_id;indikator;periode;wert;zaehler;nenner\n"


def test_zahlen_deutsch_und_englisch():
    assert zahl_lesen("1.234,5", ",") == (1234.5, "")
    assert zahl_lesen("12,5", ",") == (12.5, "")
    assert zahl_lesen("1,234.5", ".") == (1234.5, "")
    assert zahl_lesen("−3", ",") == (-3.0, "")
    assert zahl_lesen("12 1)", ",") == (12.0, "marke")
    assert zahl_lesen("7*", ",") == (7.0, "marke")
    assert zahl_lesen(".", ",")[1] == "geheim" and zahl_lesen("x", ",")[1] == "entfaellt"
    assert zahl_lesen("-", ",") == (0.0, "null") and zahl_lesen("–", ",") == (0.0, "null")
    assert zahl_lesen("…", ",")[1] == "spaeter" and zahl_lesen("/", ",")[1] == "unsicher"
    assert zahl_lesen("-", ",", {"-": "leer"})[1] == "leer"
    for unendlich in ("1e309", "inf", "-Infinity", float("inf")):
        assert zahl_lesen(unendlich, ".")[1] in ("unendlich", "kaputt"), unendlich
    assert zahl_lesen("nan", ",")[1] == "kaputt" and zahl_lesen("NA", ",")[1] == "kaputt"
    assert zahl_lesen("zwölf", ",")[1] == "kaputt"
    assert zahl_lesen(3, ",") == (3.0, "")


def test_csv_wie_statistikstelle(klein, tmp_path):
    """Windows-1252, Titelzeilen, Tausenderpunkte, Dezimalkomma, Fußnoten."""
    text = (
        "Kinder nach Vierteln – Kleinstadt\n"
        "Stand: 31.12.2024\n"
        ";;;\n"
        "Schlüssel;Viertel;Jahr;Kinder unter 15¹)\n"
        "a1;Nord;2024;1.234\n"
        "a2;Mitte;2024;10\n"
        "a3;Süd;2024;7\n"
        "b1;West;2024;20\n"
        "b2;Ost;2024;30\n"
        "b3;Hafen;2024;40\n"
        "c1;Insel;2024;50\n"
        ";;;\n"
        "1) ohne Heimkinder\n"
        "Quelle: Einwohnerregister Kleinstadt, Berechnungen der Statistikstelle\n"
    )
    pfad = tmp_path / "kinder.csv"
    pfad.write_bytes(text.encode("cp1252"))
    e = lieferung_pruefen(klein, pfad)
    assert e.protokoll.ok, texte(e)
    z = e.zuordnung
    assert (z.format, z.ebene, z.einheit_spalte, z.periode_spalte) == ("breit", "viertel", "Schlüssel", "Jahr")
    assert z.spalten == {"Kinder unter 15¹)": "kinder"}
    lang = e.lieferung.lang.set_index("gebiet")
    assert lang.loc["a1", "wert"] == 1234 and lang.loc["a1", "zeile"] == 5
    t = texte(e)
    assert "Windows-1252" in t and "Kopfzeile ist Zeile 4" in t and "2 Fußnotenzeile(n)" in t
    assert "Sprung bei „kinder“ in Gebiet „a1“" in t  # 2 → 1.234 gegenüber 2023 (30) bzw. Bestand


def test_csv_komma_und_punkt(klein, tmp_path):
    pfad = tmp_path / "k.csv"
    pfad.write_text(
        "gebiet_id,indikator,periode,wert,zaehler,nenner\n"
        + "\n".join(f"{v},quote,2024,{q},{z},{n}" for v, q, z, n in [("a2", "50.0", 5, 10), ("b2", "30.5", 9, 30)]),
        encoding="utf-8",
    )
    e = lieferung_pruefen(klein, pfad)
    assert e.zuordnung.format == "lang" and e.zuordnung.zaehler_spalte == "zaehler"
    assert e.lieferung.lang["wert"].tolist() == [50.0, 30.5]
    assert "passt nicht zu Zähler/Nenner" in texte(e, WARNUNG)  # 9/30 = 30 %, geliefert 30,5


def test_plausibilitaet_befunde(klein, tmp_path):
    zeilen = [
        "a1;kinder;2024;2;;",
        "a1;kinder;2024;3;;",  # Dublette
        "a4;kinder;2024;5;;",  # unbekannt, Vorschlag a1/a2…
        "Nord;kinder;2024;5;;",  # Name statt Schlüssel
        "a2;kinder;2024;zehn;;",  # keine Zahl
        "a3;kinder;2024;-7;;",  # negativ
        "b1;quote;2024;140;12;8;",  # Anteil > 100, Zähler > Nenner
        "b2;hze;2024;3;;",  # kein Stichtag im Katalog, kleine Fallzahl
        "b3;armut;2024;1;;",  # unbekannter Indikator
        "c1;kinder;2024;500;;",  # Sprung: 2023 2 → 500
        "b1;sgb2;2024;30;;",  # sgb2 (Zähler) > kinder (Nenner) im Bestand: 30 > 20
    ]
    pfad = tmp_path / "l.csv"
    pfad.write_text(LANG + "\n".join(zeilen) + "\n", encoding="utf-8")
    e = lieferung_pruefen(klein, pfad, Zuordnung(ebene="viertel"))
    assert not e.protokoll.ok
    f = texte(e, FEHLER)
    assert "Zeile 3" in f and "kommt mehrfach vor (Zeilen 2, 3)" in f
    assert "„a4“ gibt es in der Ebene „Viertel“ nicht. Meinten Sie „a" in f
    assert "„Nord“ ist ein Gebietsname; sein Schlüssel ist „a1“" in f
    assert "Zeile 6, Spalte „wert“: Der Wert „zehn“ ist keine Zahl." in f
    assert "Negative Anzahl (-7)" in f
    assert "Anteil 140 % von „quote“ liegt nicht zwischen 0 und 100" in f
    assert "Der Zähler (12) ist größer als der Nenner (8)" in f
    assert "Der Indikator „armut“ steht nicht im Indikatorenkatalog" in f
    assert "„sgb2“ (30) ist größer als „kinder“ (20)" in f
    w = texte(e, WARNUNG)
    assert "Für „hze“ ist kein Stichtag angegeben" in w
    assert "Sprung bei „kinder“ in Gebiet „c1“: 2023 2 → 2024 500" in w
    assert "fehlt ein Wert für „kinder“" in w
    h = texte(e, HINWEIS)
    assert "Kleine Fallzahl 3 bei „hze“ in Gebiet „b2“: unter der Mindestfallzahl 5" in h
    assert e.protokoll.zusammenfassung.startswith(f"{len(e.protokoll.fehler)} Fehler")


def test_summen(klein, tmp_path):
    pfad = tmp_path / "s.csv"
    pfad.write_text(LANG + "a1;einwohner;2025;100;;\na1;kinder;2025;30;;\na1;sgb2;2025;5;;\n", encoding="utf-8")
    z = Zuordnung(ebene="viertel", summen={"einwohner": ["kinder", "sgb2"]})
    e = lieferung_pruefen(klein, pfad, z)
    assert "Teile ergeben nicht die Summe: „einwohner“ = 100, aber kinder + sgb2 = 35" in texte(e, WARNUNG)
    pfad.write_text(LANG + "a1;kinder;2025;30;;\na2;kinder;2025;5;;\nInsgesamt;kinder;2025;40;;\n", encoding="utf-8")
    e = lieferung_pruefen(klein, pfad, Zuordnung(ebene="viertel"))
    assert "Summenzeile nennt 40 für „kinder“, die Gebiete ergeben zusammen 35" in texte(e, WARNUNG)


@pytest.mark.parametrize(
    ("name", "inhalt", "erwartet"),
    [
        ("leer.csv", b"", "Die Datei ist leer."),
        ("nur_leer.csv", b"\n;;\n\n", "Die Datei ist leer"),
        ("bild.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50, "Binärdaten"),
        ("kaputt.xlsx", b"das ist kein zip" * 10, "keine lesbare XLSX-Arbeitsmappe"),
        ("alt.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "alte Excel-Format"),
        ("daten.pdf", b"%PDF-1.4", "wird nicht unterstützt"),
        (
            "breit.csv",
            (";".join(f"s{i}" for i in range(10_000)) + "\n" + ";".join("1" * 10_000)).encode(),
            "10.000 Spalten",
        ),
    ],
)
def test_feindliche_dateien(klein, tmp_path, name, inhalt, erwartet):
    pfad = tmp_path / name
    pfad.write_bytes(inhalt)
    e = lieferung_pruefen(klein, pfad)
    assert not e.protokoll.ok
    assert erwartet in texte(e, FEHLER)
    assert pfad.read_bytes() == inhalt  # nichts verändert


def test_zu_grosse_datei_ohne_100_mb_zu_schreiben(klein, tmp_path):
    pfad = tmp_path / "riesig.csv"
    with open(pfad, "wb") as f:
        f.write(b"gebiet_id;wert\n")
        f.truncate(120 * 1024 * 1024)  # dünn besetzt: belegt kaum Platz
    e = lieferung_pruefen(klein, pfad)
    assert "Die Datei ist 120 MB groß; erlaubt sind höchstens 50 MB." in texte(e, FEHLER)
    klein_grenze = Grenzen(max_bytes=10)
    e = lieferung_pruefen(klein, tmp_path / "riesig.csv", grenzen=klein_grenze)
    assert "höchstens 0 MB" in texte(e, FEHLER)


def test_xlsx_formeln_werden_nicht_ausgewertet(klein, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["gebiet_id", "indikator", "periode", "wert", "Link"])
    ws.append(["a1", "kinder", "2024", "=1+1", '=HYPERLINK("http://x.example","klick")'])
    ws.append(["a2", "kinder", "2024", 12, '=HYPERLINK("http://x.example","klick")'])
    ws.append(["=cmd|'/C calc'!A0", "kinder", "2024", 3, ""])
    wb.save(tmp_path / "f.xlsx")
    e = lieferung_pruefen(klein, tmp_path / "f.xlsx", Zuordnung(ebene="viertel"))
    f = texte(e, FEHLER)
    assert "Zeile 2, Spalte „wert“: Die Zelle enthält eine Formel (=1+1)" in f
    assert "Spalte „gebiet_id“: Die Zelle enthält eine Formel (=cmd" in f
    assert "Die Spalte enthält 2 Formel(n), z. B. =HYPERLINK" in texte(e, WARNUNG)


def test_html_und_formeltext_bleiben_text(klein, tmp_path):
    pfad = tmp_path / "h.csv"
    pfad.write_text(
        "gebiet_id;name;indikator;periode;wert\na1;<img src=x onerror=alert(1)>;kinder;2024;2\n"
        "a2;@SUMME(A1);kinder;2024;10\n",
        encoding="utf-8",
    )
    e = lieferung_pruefen(klein, pfad, Zuordnung(ebene="viertel", name_spalte="name"))
    h = texte(e, HINWEIS)
    assert "„<img src=x onerror=alert(1)>“ enthält HTML-Zeichen" in h
    assert "„@SUMME(A1)“ beginnt wie eine Formel" in h
    assert e.lieferung.namen["a1"] == "<img src=x onerror=alert(1)>"


def test_blatt_und_fehlendes_blatt(klein, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Deckblatt"
    wb.active.append(["Bitte Blatt Daten lesen"])
    ws = wb.create_sheet("Daten")
    ws.append(["gebiet_id", "indikator", "periode", "wert"])
    ws.append(["a1", "kinder", "2024", 2])
    wb.save(tmp_path / "b.xlsx")
    assert lieferung_pruefen(klein, tmp_path / "b.xlsx", blatt="Daten").lieferung.lang["wert"].tolist() == [2]
    e = lieferung_pruefen(klein, tmp_path / "b.xlsx", blatt="Werte")
    assert "Das Tabellenblatt „Werte“ gibt es nicht (vorhanden: Deckblatt, Daten)." in texte(e, FEHLER)


def test_zuordnung_toml_hin_und_zurueck(tmp_path):
    z = Zuordnung(
        format="breit",
        ebene="viertel",
        einheit_spalte='Nr. "A"',
        periode="2025",
        spalten={"Hilfen zur Erziehung¹)": "hze"},
        summen={"kinder": ["a", "b"]},
    )
    pfad = z.speichern(tmp_path / "z.toml")
    assert zuordnung_lesen(pfad) == z
    (tmp_path / "kaputt.toml").write_text("format = \n", encoding="utf-8")
    with pytest.raises(Exception, match="kein gültiges TOML"):
        zuordnung_lesen(tmp_path / "kaputt.toml")


def test_pruefprotokoll_xlsx_entschaerft(tmp_path):
    from openpyxl import load_workbook

    p = Pruefprotokoll(datei="=evil.csv")
    p.melden(FEHLER, '=HYPERLINK("http://x")', zeile=3, spalte="+wert")
    p.melden(WARNUNG, "Sprung.")
    pfad = pruefprotokoll_xlsx(p.abschliessen(), tmp_path / "p.xlsx")
    ws = load_workbook(pfad)["Prüfprotokoll"]
    werte = [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    assert not any(v.startswith(("=", "+", "@")) for v in werte)
    assert '\'=HYPERLINK("http://x")' in werte and "Fehler" in werte


def test_lesen_grenze_zeilen(tmp_path):
    pfad = tmp_path / "z.csv"
    pfad.write_text("a;b\n" + "1;2\n" * 50, encoding="utf-8")
    p = Pruefprotokoll(grenzen=Grenzen(max_zeilen=10))
    assert lieferung_lesen(pfad, p) is None
    assert "mehr als 10 Zeilen" in str(p.befunde[0])


# ------------------------------------------------------------------------------------------------
# Geometrie-Lieferungen
# ------------------------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_geometrie_geojson_und_zip(klein, tmp_path):
    from kommune.pruefung import geometrie_pruefen

    gdf = klein.gebiete["viertel"].reset_index().rename(columns={"id": "vid", "name": "vname"})
    gdf = gdf[gdf["vid"] != "c1"]
    gdf.loc[0, "vname"] = "<script>x</script>"
    gdf.to_crs("EPSG:4326").to_file(tmp_path / "v.geojson", driver="GeoJSON")
    p, neu = geometrie_pruefen(klein, tmp_path / "v.geojson", schicht_id="viertel")
    assert p.ok and len(neu) == 6
    assert "1 Gebiete der bisherigen Ebene „Viertel“ fehlen, z. B. „c1“" in " ".join(map(str, p.befunde))
    assert any("HTML" in b.text for b in p.hinweise)
    gdf.to_file(tmp_path / "v.shp")
    with zipfile.ZipFile(tmp_path / "v.zip", "w") as zf:
        for teil in tmp_path.glob("v.*"):
            if teil.suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                zf.write(teil, f"lieferung/{teil.name}")
    p, neu = geometrie_pruefen(klein, tmp_path / "v.zip", schicht_id="viertel")
    assert p.ok, p.text()
    with zipfile.ZipFile(tmp_path / "boese.zip", "w") as zf:
        zf.writestr("../../etc/passwd.shp", "x")
    p, neu = geometrie_pruefen(klein, tmp_path / "boese.zip", schicht_id="viertel")
    assert neu is None and "unsicheren Pfad" in p.text()
    ohne_crs = gpd.GeoDataFrame({"vid": ["a1"]}, geometry=[box(0, 0, 1, 1)])
    ohne_crs.to_file(tmp_path / "o.gpkg", layer="viertel")
    p, neu = geometrie_pruefen(klein, tmp_path / "o.gpkg", schicht_id="viertel")
    assert neu is None and "kein Koordinatensystem" in p.text()
    (tmp_path / "leer.geojson").write_bytes(b"")
    p, _ = geometrie_pruefen(klein, tmp_path / "leer.geojson", schicht_id="viertel")
    assert "leer" in p.text()


# --- issue 9: kein stiller Verlust beim Import ------------------------------------------------------------


def _lang(tmp_path, text, name="l.csv", kodierung="utf-8"):
    pfad = tmp_path / name
    pfad.write_bytes(text.encode(kodierung))
    return pfad


def test_strich_ist_null_und_zeichen_sind_einstellbar(klein, tmp_path):
    """„-“ = nichts vorhanden (0) laut Zeichenerklärung; „.“ geheim bleibt leer mit Vermerk; je Lieferung änderbar."""
    text = (
        LANG + "a1;hze;2024;-;;\na2;hze;2024;.;;\na3;hze;2024;x;;\nb1;hze;2024;…;;\nb2;hze;2024;/;;\nb3;hze;2024;7;;\n"
    )
    text += "– = nichts vorhanden, . = geheim\n"
    e = lieferung_pruefen(klein, _lang(tmp_path, text), Zuordnung(ebene="viertel"))
    assert e.protokoll.ok, texte(e)
    lang = e.lieferung.lang.set_index("gebiet")
    assert lang.loc["a1", "wert"] == 0.0
    assert lang.loc[["a2", "a3", "b1", "b2"], "wert"].isna().all()
    assert lang.loc[["a2", "a3", "b1", "b2"], "zeichen"].tolist() == [".", "x", "…", "/"]
    h = texte(e, HINWEIS)
    assert "1 Zellen mit „-“ „–“ (nichts vorhanden (genau null)): als 0 gelesen" in h
    assert "als fehlender Wert mit Vermerk „.“ gespeichert" in h
    e2 = lieferung_pruefen(klein, _lang(tmp_path, text), Zuordnung(ebene="viertel", symbole={"-": "leer"}))
    assert e2.lieferung.lang.set_index("gebiet")["wert"].isna()["a1"]


def test_gemischte_trennzeichen_werden_abgelehnt(klein, tmp_path):
    zeilen = [f"{v};kinder;2024;{i}" for i, v in enumerate(["a1", "a2", "a3"])]
    zeilen += [f"{v},kinder,2024,{i}" for i, v in enumerate(["b1", "b2", "b3", "c1"])]
    e = lieferung_pruefen(klein, _lang(tmp_path, "gebiet_id;indikator;periode;wert\n" + "\n".join(zeilen) + "\n"))
    assert not e.protokoll.ok
    assert "mischt Trennzeichen: 4 Zeile(n) (z. B. Zeile 5, 6, 7, 8) sind mit Komma getrennt" in texte(e, FEHLER)


@pytest.mark.parametrize(
    "inhalt",
    [
        'gebiet_id;indikator;periode;wert\na1;kinder;2024;"5\n'
        + "".join(f"a2;kinder;{j};6\n" for j in range(2000, 2020)),
        'gebiet_id;indikator;periode;wert\na1;kinder;2024;"5\na2;kinder;2024;6\na3;kinder;2024;7"\nb1;kinder;2024;1\n',
    ],
)
def test_offenes_anfuehrungszeichen_verschluckt_keine_zeilen(klein, tmp_path, inhalt):
    e = lieferung_pruefen(klein, _lang(tmp_path, inhalt))
    assert not e.protokoll.ok and e.lieferung is None
    assert "Anführungszeichen" in texte(e, FEHLER)


def test_dezimalkomma_in_kommadatei_wird_nicht_abgeschnitten(klein, tmp_path):
    e = lieferung_pruefen(
        klein, _lang(tmp_path, "gebiet_id,indikator,periode,wert\na1,quote,2024,0,5\na2,quote,2024,7\n")
    )
    assert not e.protokoll.ok
    assert "mehr Felder als die Kopfzeile (4), z. B. Zeile 2" in texte(e, FEHLER)
    ok = lieferung_pruefen(klein, _lang(tmp_path, 'gebiet_id,indikator,periode,wert\na1,quote,2024,"0,5"\n'))
    assert ok.lieferung.lang["wert"].tolist() == [0.5]


@pytest.mark.parametrize("zahl", ["1e309", "inf", "-inf", "nan", "NaN", "Infinity"])
def test_nicht_endliche_zahlen_sind_fehler(klein, tmp_path, zahl):
    e = lieferung_pruefen(klein, _lang(tmp_path, LANG + f"a1;kinder;2024;{zahl};;\n"), Zuordnung(ebene="viertel"))
    assert not e.protokoll.ok
    assert f"Der Wert „{zahl}“ ist keine" in texte(e, FEHLER)


@pytest.mark.parametrize("periode", ["../../x", "=1+1", "2024-13", "2024-02-30", "24", "2024/2025/26"])
def test_ungueltige_perioden_sind_fehler(klein, tmp_path, periode):
    e = lieferung_pruefen(klein, _lang(tmp_path, LANG + f"a1;kinder;{periode};5;;\n"), Zuordnung(ebene="viertel"))
    assert not e.protokoll.ok
    assert f"Die Periode „{periode}“ ist ungültig" in texte(e, FEHLER)


def test_perioden_muster_und_stichtag(klein, tmp_path):
    for periode in ("2024", "2024/25", "2024-Q3", "2024-H1", "2024-06", "2024-12-31"):
        e = lieferung_pruefen(klein, _lang(tmp_path, LANG + f"a1;kinder;{periode};5;;\n"), Zuordnung(ebene="viertel"))
        assert not [b for b in e.protokoll.fehler if "Periode" in b.text], (periode, texte(e))
    e = lieferung_pruefen(klein, _lang(tmp_path, LANG + "a1;kinder;31.12.2024;5;;\n"), Zuordnung(ebene="viertel"))
    assert e.lieferung.lang["periode"].tolist() == ["2024-12-31"]
    leer = lieferung_pruefen(klein, _lang(tmp_path, LANG + "a1;kinder;;5;;\n"), Zuordnung(ebene="viertel"))
    assert "Die Periode ist leer." in texte(leer, FEHLER)


def test_nicht_zugeordnete_spalte_wird_gemeldet(klein, tmp_path):
    text = "gebiet_id;indikator;periode;wert;Bemerkung\na1;kinder;2024;5;geschätzt\na2;kinder;2024;6;\n"
    e = lieferung_pruefen(klein, _lang(tmp_path, text), Zuordnung(ebene="viertel"))
    w = [b for b in e.protokoll.warnungen if b.pruefung == "spalte_ungenutzt"]
    assert len(w) == 1 and w[0].spalte == "Bemerkung" and "„Bemerkung“ ist keiner Bedeutung zugeordnet" in w[0].text


def test_zaehler_groesser_nenner_auch_ohne_anteil_in_der_lieferung(klein, tmp_path):
    """Nur die Anzahlen sgb2 (Zähler der quote) und kinder (Nenner) geliefert: 30 > 20 ist ein Fehler."""
    e = lieferung_pruefen(klein, _lang(tmp_path, LANG + "b1;sgb2;2024;30;;\n"), Zuordnung(ebene="viertel"))
    assert "„sgb2“ (30) ist größer als „kinder“ (20) in Gebiet „b1“, 2024." in texte(e, FEHLER)


def test_zeilenbilanz_nennt_jede_zeile(klein, tmp_path):
    text = (
        "Kinder nach Vierteln\n\nSchlüssel;Jahr;Kinder unter 15\na1;2024;5\n;;\na2;2024;6\nc9;2024;7\n"
        "Insgesamt;2024;18\n1) ohne Heimkinder\nQuelle: Statistikstelle Kleinstadt, eigene Berechnungen\n"
    )
    e = lieferung_pruefen(klein, _lang(tmp_path, text))
    b = e.protokoll.bilanz
    assert b == {"gelesen": 10, "daten": 3, "kopf": 1, "titel": 1, "fussnoten": 2, "leer": 2, "summen": 1}
    assert sum(v for k, v in b.items() if k != "gelesen") == b["gelesen"]
    assert (
        "Zeilen: 10 gelesen = 2 übernehmbar + 1 abgelehnt + 7 benannt (1 Kopfzeile, 1 Titelzeile, 2 Fußnoten, "
        "1 Summenzeile, 2 Leerzeilen)" in e.protokoll.zusammenfassung
    )


def test_schluesselvorschlaege_nur_fuer_gezeigte_befunde(klein, tmp_path, monkeypatch):
    import kommune.pruefung as pr

    aufrufe = []
    original = pr._vorschlag
    monkeypatch.setattr(pr, "_vorschlag", lambda *a: aufrufe.append(a) or original(*a))
    text = LANG + "".join(f"x{i};kinder;2024;5;;\n" for i in range(3000))
    e = lieferung_pruefen(klein, _lang(tmp_path, text), Zuordnung(ebene="viertel"))
    assert len(aufrufe) == Grenzen().befunde_je_pruefung
    assert "… und 2980 weitere Befunde der Prüfung „unbekannter Gebietsschlüssel“" in texte(e, FEHLER)
    assert "3000 abgelehnt" in e.protokoll.zusammenfassung


def test_symbole_parsen_und_zuordnung(tmp_path):
    from kommune import KommuneFehler
    from kommune.pruefung import symbole_parsen

    assert symbole_parsen("-=leer; NA=leer") == {"-": "leer", "NA": "leer"}
    with pytest.raises(KommuneFehler, match="Unbekannte Bedeutung „nix“"):
        symbole_parsen("-=nix")
    (tmp_path / "z.toml").write_text('ebene = "viertel"\n[symbole]\n"-" = "leer"\n', encoding="utf-8")
    assert zuordnung_lesen(tmp_path / "z.toml").symbole == {"-": "leer"}
    (tmp_path / "z.toml").write_text('[symbole]\n"-" = "zero"\n', encoding="utf-8")
    with pytest.raises(KommuneFehler, match="zero"):
        zuordnung_lesen(tmp_path / "z.toml")


@pytest.mark.parametrize(
    ("text", "dezimal", "erwartet"),
    [
        ("12.5", ",", None),
        ("1.2345", ",", None),
        ("1.234", ",", 1234.0),
        ("1.234,5", ",", 1234.5),
        ("12,5", ".", None),
        ("1,234.5", ".", 1234.5),
        ("0,5", ",", 0.5),
    ],
)
def test_falsch_gruppierte_zahl_ist_kein_stiller_tausenderpunkt(text, dezimal, erwartet):
    """„12.5“ in einer Spalte mit Dezimalkomma war 125: ein Punkt ohne Dreiergruppe ist kein Tausenderpunkt."""
    from kommune.pruefung import zahl_lesen

    zahl, art = zahl_lesen(text, dezimal)
    if erwartet is None:
        assert art == "kaputt" and math.isnan(zahl)
    else:
        assert (zahl, art) == (erwartet, "")


# ---------------------------------------------------------------------------------------------------
# AGS-Spalten und verlorene führende Nullen (Niedersachsen 03…)
# ---------------------------------------------------------------------------------------------------

GEMEINDEN = ["03101000", "03102000", "03103000"]


def _gemeinden(ordner, ids=GEMEINDEN):
    """Minihausen mit 8-stelligen Gemeindeschlüsseln „03…“ auf der feinen Ebene."""
    from mini import TOML, X0, Y0, mini_kommune

    werte = "gebiet_id;indikator;periode;wert;zaehler;nenner\n" + "".join(f"{i};kinder;2024;100;;\n" for i in ids)
    viertel = gpd.GeoDataFrame(
        {"vid": ids, "vname": ["Nord", "Süd", "Ost"], "bid": ["01", "01", "02"]},
        geometry=[box(X0 + i * 1000, Y0, X0 + (i + 1) * 1000, Y0 + 1000) for i in range(3)],
        crs="EPSG:25832",
    )
    toml = TOML.replace('ags = "09999001"', 'ags = "03000000"')
    return kommune_laden(mini_kommune(ordner, toml=toml, werte=werte, viertel=viertel))


@pytest.fixture(scope="module")
def nieder(tmp_path_factory):
    return _gemeinden(tmp_path_factory.mktemp("nieder"))


def _ergaenzt(ergebnis):
    return [b for b in befunde(ergebnis) if b.pruefung == "schluessel_ergaenzt"]


@pytest.mark.parametrize(
    "kopf", ["AGS", "ARS", "Gemeindeschlüssel", "Amtlicher Gemeindeschlüssel", "Regionalschlüssel", "GKZ", "Nr."]
)
def test_ags_spalte_ohne_fuehrende_null_csv(nieder, tmp_path, kopf):
    """Alle Schlüssel haben die Null verloren (auch als „3103000.0“): Spalte und Ebene erkannt, ergänzt, gemeldet."""
    pfad = _lang(
        tmp_path, f"{kopf};Gemeinde;Jahr;Kinder\n3101000;Nord;2024;110\n3102000;Süd;2024;120\n3103000.0;Ost;2024;130\n"
    )
    e = lieferung_pruefen(nieder, pfad)
    assert e.zuordnung.einheit_spalte == kopf and e.zuordnung.ebene == "viertel"
    assert e.protokoll.ok, texte(e)
    [b] = _ergaenzt(e)
    assert b.stufe == WARNUNG and b.zeile == 2 and b.spalte == kopf
    assert b.text.startswith("3 Gebietsschlüssel hatten (3 verschiedene) weniger als 8 Stellen")
    assert "„3101000“ → „03101000“ (Zeile 2)" in b.text and "„3103000.0“ → „03103000“ (Zeile 4)" in b.text
    lang = e.lieferung.lang.set_index("gebiet")["wert"].to_dict()
    assert lang == {"03101000": 110.0, "03102000": 120.0, "03103000": 130.0}


def test_ags_spalte_neben_anderer_zahlenspalte(nieder, tmp_path):
    """Ein Teil der Schlüssel ist heil; die Kennzahl-Spalte daneben wird nicht für Schlüssel gehalten."""
    pfad = _lang(tmp_path, "Lfd;AGS;Jahr;Kinder\n1;03101000;2024;110\n2;3102000;2024;120\n3;03103000;2024;130\n")
    e = lieferung_pruefen(nieder, pfad)
    assert e.zuordnung.einheit_spalte == "AGS" and e.protokoll.ok, texte(e)
    [b] = _ergaenzt(e)
    assert b.text.startswith("1 Gebietsschlüssel hatte (1 verschiedene) weniger als 8 Stellen") and b.zeile == 3
    assert sorted(e.lieferung.lang["gebiet"]) == GEMEINDEN


def test_ags_als_zahl_in_xlsx(nieder, tmp_path):
    """openpyxl schreibt Zahlen (int und float), wie Excel nach dem Öffnen einer CSV."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Amtlicher Gemeindeschlüssel (AGS)", "Gemeinde", "Jahr", "Kinder"])
    ws.append([3101000, "Nord", 2024, 110])
    ws.append([3102000.0, "Süd", 2024, 120])
    ws.append(["03103000", "Ost", 2024, 130])
    wb.save(tmp_path / "l.xlsx")
    e = lieferung_pruefen(nieder, tmp_path / "l.xlsx")
    assert e.zuordnung.ebene == "viertel" and e.protokoll.ok, texte(e)
    [b] = _ergaenzt(e)
    assert "„3101000“ → „03101000“ (Zeile 2), „3102000“ → „03102000“ (Zeile 3)" in b.text
    assert sorted(e.lieferung.lang["gebiet"]) == GEMEINDEN


def test_unbekannter_schluessel_bleibt_fehler(nieder, tmp_path):
    """3109000 → 03109000 gibt es nicht: Fehler wie bisher, nichts ergänzt; die anderen werden ergänzt."""
    pfad = _lang(tmp_path, "AGS;Jahr;Kinder\n3101000;2024;110\n3109000;2024;120\n31030000;2024;5\n")
    e = lieferung_pruefen(nieder, pfad)
    fehler = [b for b in befunde(e, FEHLER) if b.pruefung == "schluessel_unbekannt"]
    assert [b.zeile for b in fehler] == [3, 4] and "„3109000“" in fehler[0].text and not e.protokoll.ok
    [b] = _ergaenzt(e)
    assert b.text.startswith("1 Gebietsschlüssel hatte") and "3109000" not in b.text


def test_ungleich_lange_schluessel_werden_nicht_ergaenzt(tmp_path):
    """Hat die Ebene Schlüssel verschiedener Länge, ist Auffüllen mehrdeutig: Fehler mit Vorschlag, keine Reparatur."""
    kommune = _gemeinden(tmp_path / "k", ["03101000", "0310200", "03103000"])
    pfad = _lang(tmp_path, "AGS;Jahr;Kinder\n3101000;2024;110\n0310200;2024;120\n03103000;2024;130\n")
    e = lieferung_pruefen(kommune, pfad)
    assert not _ergaenzt(e) and e.zuordnung.ebene == "viertel"
    [f] = [b for b in befunde(e, FEHLER) if b.pruefung == "schluessel_unbekannt"]
    assert f.zeile == 2 and "Gemeint ist wohl „03101000“" in f.text


def test_doppelt_nach_ergaenzen_ist_dublette(nieder, tmp_path):
    """„3101000“ und „03101000“ in einer Lieferung: nach dem Ergänzen eine Dublette (Fehler)."""
    pfad = _lang(tmp_path, "AGS;Jahr;Kinder\n3101000;2024;110\n03101000;2024;120\n")
    e = lieferung_pruefen(nieder, pfad)
    assert _ergaenzt(e) and any(b.pruefung == "dublette" for b in befunde(e, FEHLER))


def test_vorgegebene_schluesselspalte_bestimmt_die_ebene(nieder, tmp_path):
    """Nennt die Zuordnung nur die Spalte, folgt die Ebene aus ihren (ergänzten) Werten, nicht aus anderen Spalten."""
    pfad = _lang(tmp_path, "Bezirk;GKZ¹);Jahr;Kinder\n01;3101000;2024;110\n02;3102000;2024;120\n")
    e = lieferung_pruefen(nieder, pfad, Zuordnung(einheit_spalte="GKZ"))
    assert e.zuordnung.ebene == "viertel" and e.protokoll.ok, texte(e)
    assert sorted(e.lieferung.lang["gebiet"]) == GEMEINDEN[:2] and len(_ergaenzt(e)) == 1


# --- AGS (8 Stellen) ↔ ARS (12 Stellen): AGS = ARS[0:5] + ARS[9:12] -------------------------------------------

#: Drei Gemeinden im Kreis 03151 (Niedersachsen): zwei in der Samtgemeinde 5401, eine Einheitsgemeinde
ARS_GEMEINDEN = ["031515401001", "031515401002", "031510009009"]
AGS_DAZU = ["03151001", "03151002", "03151009"]


def _umgerechnet(ergebnis):
    return [b for b in befunde(ergebnis) if b.pruefung == "schluessel_umgerechnet"]


@pytest.fixture(scope="module")
def ars_kreis(tmp_path_factory):
    return _gemeinden(tmp_path_factory.mktemp("ars"), ARS_GEMEINDEN)


def test_ags_aus_ars_und_abbildung():
    from kommune.pruefung import ags_aus_ars, schluessel_abbilden

    assert [ags_aus_ars(a) for a in ARS_GEMEINDEN] == AGS_DAZU
    a = schluessel_abbilden(["03151001", "3151002", "031510009009", "03151003", "99151001"], ARS_GEMEINDEN)
    assert a.richtung == "ags_ars" and a.ergaenzt == {} and a.mehrdeutig == {}
    assert a.umgerechnet == {"03151001": "031515401001", "3151002": "031515401002"}  # 03151003/99… passen nicht
    # umgekehrt: 12-stellige ARS (auch ohne führende Null, auch als XLSX-Zahl) auf eine Ebene mit AGS
    b = schluessel_abbilden(["031515401001", "31515401002", "31510009009.0", "031519999003"], AGS_DAZU)
    assert b.richtung == "ars_ags" and b.umgerechnet == {
        "031515401001": "03151001",
        "31515401002": "03151002",
        "31510009009.0": "03151009",
    }
    # Führende Nullen der gleichen Schlüsselart bleiben „ergänzt“, nicht „umgerechnet“
    c = schluessel_abbilden(["3151001"], AGS_DAZU)
    assert c.ergaenzt == {"3151001": "03151001"} and c.umgerechnet == {} and c.richtung == ""


def test_keine_umrechnung_ohne_einheitliche_ziffernschluessel():
    from kommune.pruefung import schluessel_abbilden

    assert schluessel_abbilden(["03151001"], [*ARS_GEMEINDEN, "0315154010"]).ersetzt == {}  # Längen gemischt
    assert schluessel_abbilden(["03151001"], ["03151540100A", *ARS_GEMEINDEN]).ersetzt == {}  # nicht nur Ziffern
    assert schluessel_abbilden(["17151001"], ["171515401001"]).ersetzt == {}  # kein Land 17
    assert schluessel_abbilden(["031515401001"], ["0315100"]).ersetzt == {}  # Ebene weder AGS noch ARS


def test_mehrdeutige_abbildung_wird_nicht_verwendet():
    from kommune.pruefung import schluessel_abbilden

    # zwei ARS mit demselben AGS (Gemeinde 001 in zwei Gemeindeverbänden)
    a = schluessel_abbilden(["03151001"], ["031515401001", "031515402001"])
    assert a.ersetzt == {} and [z for z, _ in a.mehrdeutig["03151001"]] == ["031515401001", "031515402001"]
    # Auffüllen mit Nullen und Umrechnen führen zu verschiedenen Schlüsseln
    b = schluessel_abbilden(["03151001"], ["000003151001", "031515401001"])
    assert b.ersetzt == {} and {w for _, w in b.mehrdeutig["03151001"]} == {
        "führende Nullen ergänzt",
        "als AGS in den ARS umgerechnet",
    }


def test_ags_lieferung_auf_ars_ebene(ars_kreis, tmp_path):
    """8-stellige AGS auf eine Ebene mit 12-stelligen ARS: Ebene erkannt, umgerechnet, als Hinweis gezählt."""
    pfad = _lang(tmp_path, "AGS;Jahr;Kinder\n03151001;2024;110\n03151002;2024;120\n03151009;2024;130\n")
    e = lieferung_pruefen(ars_kreis, pfad)
    assert e.zuordnung.einheit_spalte == "AGS" and e.zuordnung.ebene == "viertel"
    assert e.protokoll.ok and not e.protokoll.warnungen, texte(e)
    [b] = _umgerechnet(e)
    assert b.stufe == HINWEIS and b.zeile == 2 and b.spalte == "AGS"
    assert b.text.startswith(
        "3 Gebietsschlüssel (3 verschiedene) wurden vom 8-stelligen Amtlichen Gemeindeschlüssel (AGS) in den "
        "12-stelligen Amtlichen Regionalschlüssel (ARS) der Ebene „Viertel“ umgerechnet"
    )
    assert "„03151001“ → „031515401001“ (Zeile 2)" in b.text and "führende Null" not in b.text
    lang = e.lieferung.lang.set_index("gebiet")["wert"].to_dict()
    assert lang == {"031515401001": 110.0, "031515401002": 120.0, "031510009009": 130.0}


def test_ags_ohne_fuehrende_null_auf_ars_ebene_ist_warnung(ars_kreis, tmp_path):
    """Niedersachsen aus Excel: „3151002“ – Null ergänzt und umgerechnet; das verlangt eine Warnung."""
    pfad = _lang(tmp_path, "Gemeindeschlüssel;Jahr;Kinder\n03151001;2024;110\n3151002;2024;120\n3151009.0;2024;130\n")
    e = lieferung_pruefen(ars_kreis, pfad)
    assert e.zuordnung.ebene == "viertel" and e.protokoll.ok, texte(e)
    [b] = _umgerechnet(e)
    assert b.stufe == WARNUNG and not _ergaenzt(e)
    assert "„3151002“ → „031515401002“ (Zeile 3)" in b.text and "„3151009.0“ → „031510009009“ (Zeile 4)" in b.text
    assert "Bei 2 dieser Schlüssel fehlte die führende Null (z. B. „3151002“)" in b.text
    assert sorted(e.lieferung.lang["gebiet"]) == sorted(ARS_GEMEINDEN)


def test_ars_lieferung_auf_ags_ebene(nieder, tmp_path):
    """Umgekehrt: 12-stellige ARS (eine ohne führende Null) auf eine Ebene mit 8-stelligen AGS."""
    pfad = _lang(tmp_path, "ARS;Jahr;Kinder\n031010000000;2024;110\n31020000000;2024;120\n031030000000;2024;130\n")
    e = lieferung_pruefen(nieder, pfad)
    assert e.zuordnung.ebene == "viertel" and e.protokoll.ok, texte(e)
    [b] = _umgerechnet(e)
    assert b.stufe == WARNUNG and b.text.startswith(
        "3 Gebietsschlüssel (3 verschiedene) wurden vom 12-stelligen Amtlichen Regionalschlüssel (ARS) in den "
        "8-stelligen Amtlichen Gemeindeschlüssel (AGS) der Ebene „Viertel“ umgerechnet"
    )
    assert "„31020000000“ → „03102000“ (Zeile 3)" in b.text and "Bei 1 dieser Schlüssel" in b.text
    assert e.lieferung.lang.set_index("gebiet")["wert"].to_dict() == {
        "03101000": 110.0,
        "03102000": 120.0,
        "03103000": 130.0,
    }


def test_ars_als_zahl_in_xlsx_auf_ags_ebene(nieder, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Regionalschlüssel", "Jahr", "Kinder"])
    ws.append([31010000000, 2024, 110])
    ws.append(["031020000000", 2024, 120])
    wb.save(tmp_path / "l.xlsx")
    e = lieferung_pruefen(nieder, tmp_path / "l.xlsx")
    assert e.zuordnung.ebene == "viertel" and e.protokoll.ok, texte(e)
    [b] = _umgerechnet(e)
    assert b.text.startswith("2 Gebietsschlüssel (2 verschiedene) wurden") and "„31010000000“ → „03101000“" in b.text
    assert sorted(e.lieferung.lang["gebiet"]) == GEMEINDEN[:2]


def test_mehrdeutiger_ags_wird_abgelehnt(tmp_path):
    """Zwei ARS der Ebene ergeben denselben AGS: Fehler je Zeile mit beiden Kandidaten, kein „unbekannt“."""
    kommune = _gemeinden(tmp_path / "k", ["031515401001", "031515402001", "031510009009"])
    pfad = _lang(tmp_path, "AGS;Jahr;Kinder\n03151001;2024;110\n03151009;2024;130\n03151001;2025;115\n")
    e = lieferung_pruefen(kommune, pfad)
    assert not e.protokoll.ok
    fehler = [b for b in befunde(e, FEHLER) if b.pruefung == "schluessel_mehrdeutig"]
    assert [b.zeile for b in fehler] == [2, 4] and fehler[0].spalte == "AGS"
    assert fehler[0].text.startswith("Der Gebietsschlüssel „03151001“ ist nicht eindeutig: er passt zu „031515401001“")
    assert "„031515402001“" in fehler[0].text and "(12 Stellen)" in fehler[0].text
    assert not [b for b in befunde(e, FEHLER) if b.pruefung == "schluessel_unbekannt"]
    assert {2, 4} <= e.protokoll.fehlerzeilen and 3 not in e.protokoll.fehlerzeilen
    [b] = _umgerechnet(e)
    assert b.text.startswith("1 Gebietsschlüssel (1 verschiedene) wurde") and "„03151009“ → „031510009009“" in b.text


def test_regensburg_ags_lieferung_auf_ars_gemeinden(regensburg, tmp_path):
    """Landkreis Regensburg führt Gemeinden mit ARS; eine Lieferung mit AGS (Bayern 09…, halb ohne Null) passt."""
    from kommune.pruefung import ags_aus_ars

    ars = sorted(regensburg.gebiete["gemeinde"].index)
    assert len(ars) == 43 and all(len(a) == 12 for a in ars)
    ags = [ags_aus_ars(a) for a in ars]
    geliefert = [a[1:] if i % 2 else a for i, a in enumerate(ags)]  # jede zweite als Zahl aus Excel
    zeilen = "".join(f"{g};2024;{100 + i}\n" for i, g in enumerate(geliefert))
    e = lieferung_pruefen(regensburg, _lang(tmp_path, "AGS;Jahr;Einwohner\n" + zeilen))
    assert e.zuordnung.einheit_spalte == "AGS" and e.zuordnung.ebene == "gemeinde"
    assert not [b for b in befunde(e, FEHLER)], texte(e, FEHLER)
    [b] = _umgerechnet(e)
    assert b.stufe == WARNUNG and b.text.startswith("43 Gebietsschlüssel (43 verschiedene) wurden vom 8-stelligen")
    assert f"„{geliefert[1]}“ → „{ars[1]}“ (Zeile 3)" in b.text and "Bei 21 dieser Schlüssel" in b.text
    werte = e.lieferung.lang.set_index("gebiet")["wert"]
    assert werte.to_dict() == {a: 100.0 + i for i, a in enumerate(ars)}
    # dieselbe Lieferung mit den ARS selbst: nichts umgerechnet
    zeilen = "".join(f"{a};2024;{100 + i}\n" for i, a in enumerate(ars))
    e = lieferung_pruefen(regensburg, _lang(tmp_path, "ARS;Jahr;Einwohner\n" + zeilen, "ars.csv"))
    assert e.zuordnung.ebene == "gemeinde" and not _umgerechnet(e) and not befunde(e, FEHLER), texte(e, FEHLER)

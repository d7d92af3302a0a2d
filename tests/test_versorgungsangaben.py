"""Versorgung und Erreichbarkeit aus der kommune.toml: `[[versorgung]]`, `[bevoelkerung]`, Umland, Gitter.

Alle Kommunen entstehen im Test (ein Gebiet oder zwei, von Hand gerechnete Zahlen): Quoten wie angegeben,
deutsche Fehler für jede falsche Angabe, Umland-Angebote nur für Entfernungen, Wohnorte nach dem Gitter.
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from freigabe.geheimhaltung import regeln_fuer
from geodata.erreichbarkeit import erreichbarkeit, erreichbarkeit_kommune, gitter_dichte, wohnorte, zielgruppe_fuer
from geodata.handlungsbedarf import handlungsbedarf_kommune
from geodata.versorgung import versorgung_definitionen, versorgungsindikatoren
from kommune import KommuneFehler, kommune_laden
from kommune.raster import gitter_lesen

#: UTM 32N (Bayern) für die Versorgungsbeispiele
X0, Y0 = 690_000.0, 5_335_000.0
#: EPSG:3035 bei Regensburg für die Gitterbeispiele (Zellen auf vollen 100 m)
LX, LY = 4_500_000.0, 2_900_000.0

KATALOG = (
    "id;name;definition;einheit;art;zaehler;nenner;gewicht;richtung;thema;quelle;stand;ebene;sensibel;hinweise\n"
    "einwohner;Einwohner;Einwohner;Personen;anzahl;;;;0;Rahmenbedingungen;test;;viertel;nein;\n"
    "kinder_u3;Kinder unter 3;Kinder;Personen;anzahl;;;;0;Rahmenbedingungen;test;;viertel;nein;\n"
    "kinder_3_6;Kinder 3 bis 6;Kinder;Personen;anzahl;;;;0;Rahmenbedingungen;test;;viertel;nein;\n"
    "quote;Quote;Quote;%;anteil;;;einwohner;-1;frühkindliche Bildung;test;;viertel;nein;\n"
)
#: Viertel „a“ (West) und „b“ (Ost), je 1 × 1 km
WERTE = {
    "a": {"einwohner": 1000, "kinder_u3": 30, "kinder_3_6": 50, "quote": 50},
    "b": {"einwohner": 500, "kinder_u3": 10, "kinder_3_6": 10, "quote": 70},
}

KOPF = """name = "Testhausen"
crs = "{crs}"
daten = "."
katalog = "katalog.csv"

[[quelle]]
id = "test"
titel = "Testdaten"
lizenz = "CC0 1.0"
namensnennung = "Tests"

[[ebene]]
id = "viertel"
name = "Viertel"
datei = "geo.gpkg"
layer = "viertel"
id_spalte = "vid"
name_spalte = "vname"
quelle = "test"

[[indikatoren]]
datei = "werte.csv"
ebene = "viertel"
quelle = "test"

[[angebote]]
kategorie = "Kita"
datei = "angebote.gpkg"
layer = "angebote"
filter = {{ spalte = "typ", werte = ["Kita"] }}
id_spalte = "id"
name_spalte = "name"
kapazitaet_spalte = "plaetze"
{kita}
[[angebote]]
kategorie = "Bibliothek"
datei = "angebote.gpkg"
layer = "angebote"
filter = {{ spalte = "typ", werte = ["Bibliothek"] }}
id_spalte = "id"
name_spalte = "name"
"""

KITA_QUOTE = """
[[versorgung]]
id = "kita_plaetze"
name = "Kita-Plätze je 100 Kinder unter 6"
kategorie = "Kita"
menge = "kapazitaet"
zielgruppe = "kinder_u3 + kinder_3_6"
zielgruppe_name = "Kinder unter 6"
je = 100
angebote_name = "Kitas"
plaetze_name = "Kita-Plätze"
"""


def _schreiben(
    ordner: Path,
    toml: str,
    gebiete: dict[str, tuple[float, float, float, float]],
    angebote: list[tuple[str, str, float, float, float | None]],
    crs: str = "EPSG:25832",
    werte: dict[str, dict[str, float]] | None = None,
    katalog: str = KATALOG,
) -> Path:
    """Eine Kommune schreiben: Viertel als Rechtecke, Angebote (id, typ, x, y, plaetze), lange Wertetabelle."""
    ordner.mkdir(parents=True, exist_ok=True)
    (ordner / "kommune.toml").write_text(toml, encoding="utf-8")
    (ordner / "katalog.csv").write_text(katalog, encoding="utf-8")
    zeilen = ["gebiet_id;indikator;periode;wert"] + [
        f"{g};{i};2024;{w}" for g, teil in (werte or WERTE).items() if g in gebiete for i, w in teil.items()
    ]
    (ordner / "werte.csv").write_text("\n".join(zeilen) + "\n", encoding="utf-8")
    gpd.GeoDataFrame(
        {"vid": list(gebiete), "vname": [f"Viertel {g}" for g in gebiete]},
        geometry=[box(*b) for b in gebiete.values()],
        crs=crs,
    ).to_file(ordner / "geo.gpkg", layer="viertel", engine="pyogrio")
    gpd.GeoDataFrame(
        {
            "id": [a[0] for a in angebote],
            "typ": [a[1] for a in angebote],
            "name": [f"{a[1]} {a[0]}" for a in angebote],
            "plaetze": [np.nan if a[4] is None else a[4] for a in angebote],
        },
        geometry=[Point(a[2], a[3]) for a in angebote],
        crs=crs,
    ).to_file(ordner / "angebote.gpkg", layer="angebote", engine="pyogrio")
    return ordner


ZWEI = {"a": (X0, Y0, X0 + 1000, Y0 + 1000), "b": (X0 + 1000, Y0, X0 + 2000, Y0 + 1000)}
ANGEBOTE = [
    ("k1", "Kita", X0 + 100, Y0 + 100, 40.0),
    ("k2", "Kita", X0 + 900, Y0 + 900, None),  # ohne Platzangabe
    ("k3", "Kita", X0 + 1500, Y0 + 500, 12.0),
    ("b1", "Bibliothek", X0 + 500, Y0 + 500, None),
]


def _laden(tmp_path, extra: str = "", kita: str = "", angebote=ANGEBOTE, gebiete=ZWEI, **kw):
    ordner = _schreiben(
        tmp_path / "k", KOPF.format(crs=kw.pop("crs", "EPSG:25832"), kita=kita) + extra, gebiete, angebote, **kw
    )
    return kommune_laden(ordner)


# ---------------------------------------------------------------------------------------------
# [[versorgung]] und [bevoelkerung]
# ---------------------------------------------------------------------------------------------


def test_quoten_wie_angegeben_mit_summenformel(tmp_path):
    bib = (
        '\n[[versorgung]]\nid = "bibliotheken"\nname = "Bibliotheken je 1.000 Einwohner"\nkategorie = "Bibliothek"\n'
        'menge = "anzahl"\nzielgruppe = "einwohner"\nzielgruppe_name = "Einwohner"\nje = 1000\n'
    )
    k = _laden(tmp_path, '\n[bevoelkerung]\nindikator = "einwohner"\n' + KITA_QUOTE + bib)
    v = versorgungsindikatoren(k, "viertel")
    assert v.attrs["indikatoren"] == {
        "kita_plaetze": "Kita-Plätze je 100 Kinder unter 6",
        "bibliotheken": "Bibliotheken je 1.000 Einwohner",
    }
    assert v.attrs["formeln"]["kita_plaetze"] == "kinder_u3 + kinder_3_6"
    quote = v["Kita-Plätze je 100 Kinder unter 6"]
    assert quote["a"] == pytest.approx(40 / 80 * 100)  # k2 ohne Platzangabe zählt nur bei der Anzahl
    assert quote["b"] == pytest.approx(12 / 20 * 100)
    assert v.loc["a", "Kitas (Anzahl)"] == 2 and v.loc["a", "Kitas ohne Platzangabe (Anzahl)"] == 1
    assert v["Kinder unter 6 (Personen)"].tolist() == [80.0, 20.0]
    assert v.attrs["gesamt"]["Kita-Plätze je 100 Kinder unter 6"] == pytest.approx(52 / 100 * 100)
    assert v.attrs["einheiten"]["Bibliotheken je 1.000 Einwohner"] == "Anzahl je 1.000 Einwohner"
    assert v["Bibliotheken je 1.000 Einwohner"].tolist() == [1.0, 0.0]
    assert v.attrs["gesamt"]["Bibliotheken je 1.000 Einwohner"] == pytest.approx(1 / 1500 * 1000)
    # Zielgruppe der Erreichbarkeit: die der Quote, sonst die Einwohner aus [bevoelkerung]
    assert zielgruppe_fuer(k, "Kita").name == "Kinder unter 6"
    assert zielgruppe_fuer(k, "VHS").name == "Einwohner"
    assert regeln_fuer(k).bevoelkerung == ("einwohner",)
    assert not any("[bevoelkerung]" in h for h in k.hinweise)


def test_ohne_angabe_keine_quote_und_kein_raten(tmp_path):
    k = _laden(tmp_path)  # Katalog mit „einwohner“, Kitas mit Plätzen – aber keine [[versorgung]]
    assert versorgung_definitionen(k) == ()
    v = versorgungsindikatoren(k, "viertel")
    assert list(v.columns) == ["Name"] and v.attrs["indikatoren"] == {} and v.attrs["nicht_verfuegbar"] == {}
    with pytest.raises(ValueError, match="nicht als \\[\\[versorgung\\]\\] angegeben"):
        handlungsbedarf_kommune(k, "viertel", pd.Series(1.0, index=["a", "b"]), "kita_plaetze")
    assert zielgruppe_fuer(k, "Kita") is None  # keine Zielgruppe erraten
    df = erreichbarkeit_kommune(k, "viertel", "Kita", radien=(500,))
    assert df.attrs["gesamt_gewicht"] == "Fläche" and "Anteil Bewohner bis 500 m" in df.attrs["spalten"]["anteil_500"]
    # die Geheimhaltung erkennt „einwohner“ weiter als Sicherung – und das Laden sagt, wie man es angibt
    assert regeln_fuer(k).bevoelkerung == ("einwohner",)
    assert any('[bevoelkerung] indikator = "einwohner"' in h for h in k.hinweise)


def test_quote_ist_gesperrt_wenn_ihre_zielgruppe_gesperrt_ist(tmp_path):
    """Aus Plätzen und Quote ließe sich eine gesperrte Kinderzahl zurückrechnen: dann ist die Quote gesperrt."""
    from berichte.grundlagen import versorgung_und_maske

    werte = {"a": WERTE["a"], "b": {"einwohner": 500, "kinder_u3": 2, "kinder_3_6": 30, "quote": 70}}
    ohne_sekundaer = "\n[geheimhaltung]\nsekundaer = false\n"  # sonst sperrte „b“ auch „a“ (zwei Gebiete)
    k = _laden(tmp_path, KITA_QUOTE + ohne_sekundaer, werte=werte)  # b: 2 Kinder unter 3 (Fallzahl), 500 Einwohner
    sp = "Kita-Plätze je 100 Kinder unter 6"
    oeffentlich, maske = versorgung_und_maske(k, "viertel", rolle="oeffentlich")
    assert maske[sp].tolist() == [False, True] and np.isnan(oeffentlich.loc["b", sp])
    assert oeffentlich.loc["a", sp] == pytest.approx(50.0)
    admin, maske_admin = versorgung_und_maske(k, "viertel", rolle="admin")
    assert not maske_admin[sp].any() and admin.loc["b", sp] == pytest.approx(12 / 32 * 100)


@pytest.mark.parametrize(
    ("aendern", "teil"),
    [
        (lambda t: t.replace('kategorie = "Kita"\nmenge', 'kategorie = "Hort"\nmenge'), "Angebotskategorie „Hort“"),
        (lambda t: t.replace('"kapazitaet"', '"plaetze"'), "„kapazitaet“ (Plätze) oder „anzahl“"),
        (lambda t: t.replace("kinder_u3 + kinder_3_6", "kinder_u3 * 2"), "keine Summe von Indikator-IDs"),
        (lambda t: t.replace("kinder_u3 + kinder_3_6", "kinder_u3 + kinder_u9"), "„kinder_u9“, das nicht im"),
        (lambda t: t.replace("kinder_u3 + kinder_3_6", "quote"), "gebraucht wird eine Anzahl"),
        (lambda t: t.replace("je = 100\n", "je = 0\n"), "ganze Zahl von 1 bis"),
        (lambda t: t.replace("je = 100\n", 'je = "100"\n'), "ganze Zahl von 1 bis"),
        (lambda t: t.replace('id = "kita_plaetze"', 'id = "Kita Plätze"'), "ist ungültig"),
        (lambda t: t.replace('id = "kita_plaetze"', 'id = "quote"'), "heißt wie ein Indikator"),
        (lambda t: t.replace('zielgruppe_name = "Kinder unter 6"\n', ""), "Pflichtschlüssel „zielgruppe_name“"),
        (lambda t: t.replace("je = 100\n", "je = 100\nfarbe = 1\n"), "Unbekannter Schlüssel „farbe“"),
        (lambda t: t + KITA_QUOTE, "„id“ = „kita_plaetze“ steht in mehreren"),
        (lambda t: t.replace('kapazitaet_spalte = "plaetze"\n', ""), "nennt eine „kapazitaet_spalte“"),
        (lambda t: t + '\n[bevoelkerung]\nindikator = "leute"\n', "„leute“, das nicht im Indikatorenkatalog"),
        (lambda t: t + "\n[[bevoelkerung]]\nindikator = 1\n", "muss ein Abschnitt [bevoelkerung] sein"),
        (lambda t: t + '\n[erreichbarkeit]\nverteilung = "zufall"\n', "„raster“ (nach den Einwohnern"),
        (lambda t: t + '\n[erreichbarkeit]\nverteilung = "raster"\n', "aber es gibt keines"),
        (lambda t: t + '\n[erreichbarkeit]\nraster = "../gitter.csv"\n', "kein zulässiger Dateiname"),
        (lambda t: t + '\n[erreichbarkeit]\nraster = "fehlt.csv"\n', "nicht gefunden"),
        (
            lambda t: t.replace('kapazitaet_spalte = "plaetze"', 'kapazitaet_spalte = "plaetze"\numland_m = -5'),
            "0 bis 50000",
        ),
    ],
)
def test_falsche_angaben_sind_deutsche_fehler(tmp_path, aendern, teil):
    toml = aendern(KOPF.format(crs="EPSG:25832", kita="") + KITA_QUOTE)
    ordner = _schreiben(tmp_path / "k", toml, ZWEI, ANGEBOTE)
    with pytest.raises(KommuneFehler) as e:
        kommune_laden(ordner)
    assert teil in e.value.text, e.value.text


# ---------------------------------------------------------------------------------------------
# Umland: Angebote knapp jenseits der Grenze zählen nur für die Entfernung
# ---------------------------------------------------------------------------------------------

#: „a“ 900 × 1000 m und ein 100-m-Quadrat „rand“ an seiner Ostseite (genau ein Rasterpunkt: 950|550)
EINS = {"a": (X0, Y0, X0 + 900, Y0 + 1000), "rand": (X0 + 900, Y0 + 500, X0 + 1000, Y0 + 600)}
#: eine Kita innen in der Südwestecke, eine 50 m jenseits der Grenze (östlich von „rand“), eine 500 m weit draußen
GRENZNAH = [
    ("innen", "Kita", X0 + 50, Y0 + 50, 10.0),
    ("ost", "Kita", X0 + 1050, Y0 + 550, 99.0),
    ("weit", "Kita", X0 + 1500, Y0 + 550, 99.0),
]


def test_umland_nur_fuer_entfernungen(tmp_path):
    k = _laden(tmp_path, KITA_QUOTE, kita="umland_m = 100\n", angebote=GRENZNAH, gebiete=EINS)
    assert k.angebote["id"].tolist() == ["innen"] and k.umland["id"].tolist() == ["ost"]
    assert any("1 Standort bis 100 m außerhalb der Stadtgrenze gilt als Umland" in h for h in k.hinweise)
    assert any(
        "1 Standort liegt außerhalb aller Gebiete und wurde nicht übernommen (z. B. weit" in h for h in k.hinweise
    )
    # die Quote zählt nur die eigene Kita, nie die im Umland
    v = versorgungsindikatoren(k, "viertel")
    assert v["Kita-Plätze (Plätze)"].tolist() == [10.0, 0.0] and v["Kitas (Anzahl)"].tolist() == [1, 0]
    mit = erreichbarkeit_kommune(k, "viertel", "Kita", radien=(200,))
    ohne = erreichbarkeit_kommune(k, "viertel", "Kita", radien=(200,), umland=k.umland.iloc[0:0])
    sp = mit.attrs["spalten"]
    # „rand“: die nächste Kita liegt jenseits der Grenze (100 m statt der 1.030 m bis zur eigenen)
    assert mit.loc["rand", sp["entfernung"]] == pytest.approx(100.0)
    assert ohne.loc["rand", sp["entfernung"]] == pytest.approx(math.hypot(900, 500))
    # „a“: 90 Rasterpunkte; bis 200 m liegen 6 bei der eigenen Kita und einer (850|550) bei der im Umland
    assert ohne.loc["a", sp["anteil_200"]] == pytest.approx(100 * 6 / 90)
    assert mit.loc["a", sp["anteil_200"]] == pytest.approx(100 * 7 / 90)
    assert mit.attrs["umland"] == 1 and ohne.attrs["umland"] == 0


def test_ohne_umland_werden_aussenstandorte_benannt_und_weggelassen(tmp_path):
    k = _laden(tmp_path, KITA_QUOTE, angebote=GRENZNAH, gebiete=EINS)
    assert k.angebote["id"].tolist() == ["innen"] and k.umland.empty
    treffer = [h for h in k.hinweise if "nicht übernommen" in h]
    assert len(treffer) == 1 and "2 Standorte liegen außerhalb aller Gebiete" in treffer[0]
    assert "mit „umland_m = …“" in treffer[0]


# ---------------------------------------------------------------------------------------------
# Wohnorte nach dem Bevölkerungsgitter
# ---------------------------------------------------------------------------------------------


def _gitter(pfad: Path, zellen: dict[tuple[int, int], int]) -> Path:
    """Zensus-2022-CSV (100 m, linke untere Ecke in der ID); leere Zellen fehlen wie beim Zensus."""
    zeilen = ["GITTER_ID_100m;x_mp_100m;y_mp_100m;Einwohner"]
    for (i, j), ew in zellen.items():
        x, y = int(LX) + 100 * i, int(LY) + 100 * j
        zeilen.append(f"CRS3035RES100mN{y}E{x};{x + 50};{y + 50};{ew}")
    pfad.write_text("\n".join(zeilen) + "\n", encoding="utf-8")
    return pfad


#: West: 4 × 2 Zellen mit Einwohnern nur in (0|0) und (1|0); Ost: 2 × 2 Zellen, alle leer
WEST_OST = {"west": (LX, LY, LX + 400, LY + 200), "ost": (LX + 400, LY, LX + 600, LY + 200)}
ZELLEN = {(0, 0): 30, (1, 0): 10}


def test_gitter_gewichtet_jeden_punkt_mit_seiner_zelle(tmp_path):
    gebiete = gpd.GeoDataFrame(
        {"name": list(WEST_OST)},
        geometry=[box(*b) for b in WEST_OST.values()],
        index=list(WEST_OST),
        crs="EPSG:3035",
    )
    gitter = gitter_lesen(_gitter(tmp_path / "gitter.csv", ZELLEN))
    orte = wohnorte(gebiete, 100, gitter_dichte(gitter, "Einwohner", "EPSG:3035"), "Gitter gitter.csv")
    assert orte.gewichtet and orte.gleichverteilt == 1  # „ost“ hat keine Einwohner im Gitter
    df = erreichbarkeit(orte, np.array([[LX + 50, LY + 50]]), radien=(50, 100))
    sp = df.attrs["spalten"]
    # West: 30 Einwohner am Angebot, 10 in 100 m; die sechs leeren Zellen zählen nicht
    assert df.loc["west", sp["entfernung"]] == pytest.approx((30 * 0 + 10 * 100) / 40)
    assert df.loc["west", sp["anteil_50"]] == pytest.approx(75.0)
    assert df.loc["west", sp["anteil_100"]] == pytest.approx(100.0)
    # Ost gleichmäßig über seine vier Punkte (450|50), (550|50), (450|150), (550|150)
    erwartet = (400 + 500 + math.hypot(400, 100) + math.hypot(500, 100)) / 4
    assert df.loc["ost", sp["entfernung"]] == pytest.approx(erwartet)
    gleich = erreichbarkeit(wohnorte(gebiete, 100), np.array([[LX + 50, LY + 50]]), radien=(50, 100))
    assert gleich.loc["west", sp["anteil_50"]] == pytest.approx(12.5)  # 1 von 8 Punkten
    assert gleich.loc["west", sp["anteil_100"]] == pytest.approx(37.5)  # 3 von 8
    satz = orte.beschreibung()
    assert "Bevölkerungsgitter (Gitter gitter.csv)" in satz and "1 Gebiet hat im Gitter keine Einwohner" in satz
    assert "gleichmäßig" in wohnorte(gebiete, 100).beschreibung()


#: Katalog mit der Einwohnerzahl, die ein [[raster]] aus dem Gitter summiert
KATALOG_GITTER = KATALOG + (
    "einwohner_gitter;Einwohner (Gitter);Einwohner;Personen;anzahl;;;;0;Rahmenbedingungen;test;;viertel;nein;\n"
)


def _gitterkommune(tmp_path, extra: str):
    werte = {"west": {"einwohner": 40, "kinder_u3": 4, "kinder_3_6": 4}, "ost": {"einwohner": 0}}
    ordner = _schreiben(
        tmp_path / "g",
        KOPF.format(crs="EPSG:3035", kita="") + extra,
        WEST_OST,
        [("k", "Kita", LX + 50, LY + 50, 10.0), ("b", "Bibliothek", LX + 50, LY + 50, None)],
        crs="EPSG:3035",
        werte=werte,
        katalog=KATALOG_GITTER,
    )
    _gitter(ordner / "gitter.csv", ZELLEN)
    return kommune_laden(ordner)


RASTER_ABSCHNITT = """
[[raster]]
datei = "gitter.csv"
ebene = "viertel"
periode = "2022"
quelle = "test"
anzahlen = { einwohner_gitter = "Einwohner" }
"""


@pytest.mark.parametrize(
    ("extra", "verteilung"),
    [
        ('\n[erreichbarkeit]\nraster = "gitter.csv"\nspalte = "Einwohner"\n', "raster"),  # angegeben
        (RASTER_ABSCHNITT, "raster"),  # aus dem [[raster]] abgeleitet (Spalte = dessen bezug „Einwohner“)
        (RASTER_ABSCHNITT + '\n[erreichbarkeit]\nverteilung = "gleichmaessig"\n', "gleichmaessig"),
    ],
)
def test_erreichbarkeit_der_kommune_nimmt_ihr_gitter(tmp_path, extra, verteilung):
    k = _gitterkommune(tmp_path, '\n[bevoelkerung]\nindikator = "einwohner"\n' + extra)
    df = erreichbarkeit_kommune(k, "viertel", "Kita", radien=(50,))
    sp = df.attrs["spalten"]
    assert df.attrs["verteilung"] == verteilung
    if verteilung == "raster":
        assert df.loc["west", sp["anteil_50"]] == pytest.approx(75.0)
        assert df.attrs["gleichverteilt"] == 1 and "Spalte Einwohner" in df.attrs["wohnorte"]
        assert "1 Gebiet hat im Gitter keine Einwohner" in df.attrs["wohnorte"]
    else:
        assert df.loc["west", sp["anteil_50"]] == pytest.approx(12.5)
        assert "gleichmäßig" in df.attrs["wohnorte"]


def test_abgeleitete_gitterspalte_fehlt_hinweis_statt_fehler(tmp_path):
    k = _gitterkommune(tmp_path, RASTER_ABSCHNITT + 'bezug = "Bewohner"\n')
    assert any("keine Spalte „Bewohner“" in h for h in k.hinweise)
    assert erreichbarkeit_kommune(k, "viertel", "Kita", radien=(50,)).attrs["verteilung"] == "gleichmaessig"


def test_angegebene_gitterspalte_fehlt_ist_ein_fehler(tmp_path):
    with pytest.raises(KommuneFehler, match="keine Einwohnerspalte „EW“"):
        _gitterkommune(tmp_path, '\n[erreichbarkeit]\nraster = "gitter.csv"\nspalte = "EW"\n')


# ---------------------------------------------------------------------------------------------
# Oberfläche: Hinweis ohne Angabe, Verfahren und Umland im Text, Quote im Gebietsprofil
# ---------------------------------------------------------------------------------------------


def _seite(ordner_oder_name: str, seite: str, monkeypatch, rolle: str = "admin", **params: str):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import PROJEKT

    if Path(ordner_oder_name).is_dir():
        monkeypatch.setenv("BILDUNGSMONITOR_KOMMUNE", ordner_oder_name)
    at = AppTest.from_file(str(PROJEKT / "app.py"), default_timeout=120)
    at.session_state["demo_rolle"] = rolle
    if not Path(ordner_oder_name).is_dir():
        at.query_params["kommune"] = ordner_oder_name
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(f"seiten/{seite}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def _alle_texte(at) -> str:
    teile = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    return "\n".join(map(str, teile))


def test_seiten_ohne_versorgung_sagen_wie_man_sie_angibt(tmp_path, monkeypatch):
    from geodata.versorgung import HINWEIS_OHNE_VERSORGUNG

    ordner = _schreiben(tmp_path / "k", KOPF.format(crs="EPSG:25832", kita=""), ZWEI, ANGEBOTE)
    angebote = _seite(str(ordner), "angebote", monkeypatch)
    assert HINWEIS_OHNE_VERSORGUNG in [i.value for i in angebote.info]
    assert "gleichmäßig auf ein 100-m-Raster" in _alle_texte(angebote)
    profil = _seite(str(ordner), "gebietsprofil", monkeypatch)
    assert HINWEIS_OHNE_VERSORGUNG in [c.value for c in profil.caption]


def test_seiten_mit_gitter_nennen_das_verfahren(tmp_path, monkeypatch):
    k = _gitterkommune(tmp_path, '\n[bevoelkerung]\nindikator = "einwohner"\n' + RASTER_ABSCHNITT + KITA_QUOTE)
    at = _seite(str(k.konfiguration.ordner), "angebote", monkeypatch)
    texte = _alle_texte(at)
    assert "Wohnorte nach dem Bevölkerungsgitter (Gitter gitter.csv, Spalte Einwohner)" in texte
    assert "1 Gebiet hat im Gitter keine Einwohner und ist gleichmäßig verteilt." in texte


def test_musterkreis_umland_im_text_und_quote_im_gebietsprofil(monkeypatch):
    musterkreis = kommune_laden("musterkreis")
    at = _seite("musterkreis", "angebote", monkeypatch, ebene="gemeinde")
    at.selectbox(key="err_kat").set_value("Bibliothek").run()
    assert "Für die Entfernungen zählen auch 1 Standort „Bibliothek“ bis 2.000 m" in _alle_texte(at)
    at.selectbox(key="err_kat").set_value("Kita").run()
    texte = _alle_texte(at)
    assert "Für die Entfernungen zählen auch 2 Standorte „Kita“ bis 2.000 m jenseits der Kreisgrenze (Umland)" in texte
    from kommune.werte import werte

    ew = werte(musterkreis, "einwohner", "gemeinde", "2024")
    klein, gross = str(ew.idxmin()), str(ew.idxmax())
    for gebiet, rolle, erwartet in ((gross, "oeffentlich", None), (klein, "oeffentlich", "."), (klein, "admin", None)):
        profil = _seite("musterkreis", "gebietsprofil", monkeypatch, rolle=rolle, ebene="gemeinde", gebiet=gebiet)
        tabelle = next(t.value for t in profil.dataframe if "Versorgungsquote" in t.value.columns)
        zeile = tabelle.set_index("Versorgungsquote").loc["Kita-Plätze je 100 Kinder unter 6"]
        assert "Landkreis Musterkreis" in tabelle.columns and zeile["Landkreis Musterkreis"] != "keine Daten"
        if erwartet:
            assert zeile["Gebiet"] == erwartet, (gebiet, rolle)  # unter 300 Einwohnern: gesperrt
        else:
            assert zeile["Gebiet"] != ".", (gebiet, rolle)

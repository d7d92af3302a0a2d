"""Feindliche Eingaben für die Fuzz-Tests (`tests/test_fuzz.py`): deterministisch (fester Zufallskeim).

Jeder `Fall` hat eine Art (welche Schnittstelle er trifft), einen Namen (Test-ID) und eine Funktion
`erzeugen(ordner, arbeit)`, die in einer Kopie der Musterstadt (`ordner`) bzw. einem Arbeitsordner
(`arbeit`) die feindliche Eingabe anlegt und zurückgibt, was der Test aufrufen soll (Pfad oder argv).

Arten: ``kommune_toml``, ``katalog``, ``manifest``, ``geometrie`` (Prüfung einer Geometrie-Lieferung),
``geometrie_laden`` (Geometrie als Schicht der kommune.toml), ``csv``, ``xlsx`` (Lieferungen),
``zuordnung``, ``cli`` (in-process über `main(argv)`), ``cli_prozess`` (als Unterprozess).
"""

from __future__ import annotations

import json
import math
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KEIM = 20260902
#: Ein Viertel der Musterstadt (EPSG:25832), aus dessen Mitte die Test-Polygone gebaut werden.
MITTE = (697000.0, 5338000.0)
VIERTEL = ["010101", "010102", "010103", "010104"]


@dataclass(frozen=True)
class Fall:
    """Eine feindliche Eingabe."""

    art: str
    name: str
    erzeugen: Callable[[Path, Path], Any]

    def __repr__(self) -> str:  # kurze Test-IDs
        return f"{self.art}-{self.name}"


# ---------------------------------------------------------------------------------------------------
# kommune.toml
# ---------------------------------------------------------------------------------------------------

#: Feindliche TOML-Werte (als TOML-Literal).
WERTE = {
    "zahl": "42",
    "negativ": "-1",
    "wahr": "true",
    "komma": "3.5",
    "nan": "nan",
    "inf": "inf",
    "liste": '[1, "a"]',
    "tabelle": "{ a = 1 }",
    "datum": "1979-05-27T07:32:00Z",
    "leer": '""',
    "traversal": '"../../../../etc/passwd"',
    "absolut": '"/etc/passwd"',
    "nul": '"x\\u0000y"',
    "epsg_keins": '"EPSG:keins"',
    "formel": '"=HYPERLINK(\\"http://x\\")"',
    "lang": '"' + "x" * 5000 + '"',
}

#: (Abschnitt oder None für oben, Feld) – jedes Feld bekommt mehrere feindliche Werte.
FELDER = [
    (None, "name"),
    (None, "ags"),
    (None, "crs"),
    (None, "daten"),
    (None, "katalog"),
    (None, "standard_ebene"),
    ("quelle", "id"),
    ("quelle", "titel"),
    ("ebene", "id"),
    ("ebene", "name"),
    ("ebene", "datei"),
    ("ebene", "layer"),
    ("ebene", "id_spalte"),
    ("ebene", "name_spalte"),
    ("ebene", "eltern"),
    ("ebene", "eltern_spalte"),
    ("ebene", "eltern_aus_praefix"),
    ("ebene", "art"),
    ("einzugsbereich", "datei"),
    ("einzugsbereich", "id_spalte"),
    ("indikatoren", "datei"),
    ("indikatoren", "ebene"),
    ("indikatoren", "format"),
    ("indikatoren", "trennzeichen"),
    ("indikatoren", "dezimalzeichen"),
    ("indikatoren", "wert_spalte"),
    ("indikatoren", "zaehler_spalte"),
    ("indikatoren", "spalten"),
    ("indikatoren", "periode"),
    ("angebote", "kategorie"),
    ("angebote", "datei"),
    ("angebote", "filter"),
    ("angebote", "adresse_spalten"),
    ("angebote", "alter_von"),
    ("angebote", "kapazitaet_spalte"),
    ("angebote", "id_spalte"),
    ("kachel", "ziel"),
    ("kachel", "indikator"),
    ("cockpit", "anzahl"),
    ("geheimhaltung", "mindestfallzahl"),
    ("angebotsregister", "datei"),
    ("angebotsregister", "monate"),
    ("angebotsregister", "quelle"),
]


def toml_setzen(text: str, abschnitt: str | None, feld: str, literal: str) -> str:
    """Im ersten Abschnitt `abschnitt` (None: oberste Ebene) `feld = literal` setzen oder ergänzen."""
    zeilen = text.splitlines()
    if abschnitt is None:
        start = 0
    else:
        kopf = re.compile(rf"^\[\[?{re.escape(abschnitt)}\]\]?\s*$")
        treffer = [i for i, z in enumerate(zeilen) if kopf.match(z)]
        if not treffer:
            return text + f"\n[{abschnitt}]\n{feld} = {literal}\n"
        start = treffer[0] + 1
    ende = next((i for i in range(start, len(zeilen)) if zeilen[i].startswith("[")), len(zeilen))
    for i in range(start, ende):
        if re.match(rf"^{re.escape(feld)}\s*=", zeilen[i]):
            zeilen[i] = f"{feld} = {literal}"
            return "\n".join(zeilen) + "\n"
    zeilen.insert(ende, f"{feld} = {literal}")
    return "\n".join(zeilen) + "\n"


def _toml_fall(name: str, aendern: Callable[[str], str | bytes]) -> Fall:
    def erzeugen(ordner: Path, arbeit: Path) -> Path:
        datei = ordner / "kommune.toml"
        neu = aendern(datei.read_text(encoding="utf-8"))
        if isinstance(neu, bytes):
            datei.write_bytes(neu)
        else:
            datei.write_text(neu, encoding="utf-8")
        return ordner

    return Fall("kommune_toml", name, erzeugen)


def _ohne_zeile(muster: str) -> Callable[[str], str]:
    return lambda t: "\n".join(z for z in t.splitlines() if not re.match(muster, z)) + "\n"


def toml_faelle(rng: random.Random) -> list[Fall]:
    """Falsche Typen in jedem Feld, unbekannte Schlüssel, tiefe Verschachtelung, kaputte Dateien."""
    faelle = []
    namen = sorted(WERTE)
    for abschnitt, feld in FELDER:
        for wert in rng.sample(namen, 4):
            literal = WERTE[wert]
            faelle.append(
                _toml_fall(
                    f"{abschnitt or 'oben'}.{feld}={wert}",
                    lambda t, a=abschnitt, f=feld, w=literal: toml_setzen(t, a, f, w),
                )
            )
    for crs in ("EPSG:keins", "EPSG:999999", "", "+proj=unsinn", "EPSG:4326", "EPSG:3857", "EPSG:25832;x", "EPSG:-1"):
        faelle.append(_toml_fall(f"crs={crs}", lambda t, c=crs: toml_setzen(t, None, "crs", json.dumps(c))))
    tief = "[" * 3000 + "]" * 3000
    sonder: dict[str, Callable[[str], str | bytes]] = {
        "tief_liste": lambda t: toml_setzen(t, None, "name", tief),
        "tief_tabelle": lambda t: toml_setzen(t, None, "name", "{ a = " * 800 + "1" + " }" * 800),
        "tief_unbekannt": lambda t: "tief = " + tief + "\n" + t,
        "tief_kachel": lambda t: toml_setzen(t, "kachel", "ziel", tief),
        "unbekannt_oben": lambda t: "unbekannt = 1\n" + t,
        "unbekannt_ebene": lambda t: toml_setzen(t, "ebene", "farbe", '"rot"'),
        "unbekannt_tabelle": lambda t: t + "\n[unbekannt]\na = 1\n",
        "ohne_name": _ohne_zeile(r"^name = \"Musterstadt\""),
        "ohne_crs": _ohne_zeile(r"^crs ="),
        "ohne_ebenen": lambda t: re.sub(r"\[\[ebene\]\]", "[[xebene]]", t),
        "ebene_als_text": lambda t: 'ebene = "viertel"\n' + re.sub(r"\[\[ebene\]\][^\[]*", "", t),
        "ebene_als_liste_zahlen": lambda t: "ebene = [1, 2]\n" + re.sub(r"\[\[ebene\]\][^\[]*", "", t),
        "indikatoren_zahl": lambda t: "indikatoren = 5\n" + re.sub(r"\[\[indikatoren\]\][^\[]*", "", t),
        "angebote_text": lambda t: 'angebote = "x"\n' + re.sub(r"\[\[angebote\]\][^\[]*", "", t),
        "quelle_liste_texte": lambda t: 'quelle = ["a", "b"]\n' + re.sub(r"\[\[quelle\]\][^\[]*", "", t),
        "kachel_text": lambda t: 'kachel = "x"\n' + re.sub(r"\[\[kachel\]\][^\[]*", "", t),
        "cockpit_liste": lambda t: re.sub(r"\[cockpit\][^\[]*", "", t) + "\ncockpit = [1]\n",
        "doppelte_ebene": lambda t: t.replace('id = "stadtteil"', 'id = "viertel"'),
        "doppelter_schluessel": lambda t: t.replace('name = "Musterstadt"', 'name = "A"\nname = "B"'),
        "env_fehlt": lambda t: toml_setzen(t, None, "daten", '"${BILDUNGSMONITOR_GIBT_ES_NICHT}"'),
        "env_syntax": lambda t: toml_setzen(t, None, "daten", '"${1X}/${}"'),
        "katalog_fehlt": lambda t: toml_setzen(t, None, "katalog", '"fehlt.csv"'),
        "katalog_ordner": lambda t: toml_setzen(t, None, "katalog", '"."'),
        "katalog_binaer": lambda t: toml_setzen(t, None, "katalog", '"geometrie.gpkg"'),
        "geometrie_fehlt": lambda t: t.replace('datei = "geometrie.gpkg"', 'datei = "fehlt.gpkg"', 1),
        "geometrie_ordner": lambda t: t.replace('datei = "geometrie.gpkg"', 'datei = "."', 1),
        "geometrie_ist_csv": lambda t: t.replace('datei = "geometrie.gpkg"', 'datei = "indikatoren.csv"', 1),
        "layer_fehlt": lambda t: t.replace('layer = "viertel"', 'layer = "gibtsnicht"'),
        "tabelle_fehlt": lambda t: t.replace('datei = "indikatoren.csv"', 'datei = "fehlt.csv"'),
        "tabelle_ist_gpkg": lambda t: t.replace('datei = "indikatoren.csv"', 'datei = "angebote.gpkg"'),
        "tabelle_ist_toml": lambda t: t.replace('datei = "indikatoren.csv"', 'datei = "kommune.toml"'),
        "tabelle_traversal": lambda t: t.replace('datei = "indikatoren.csv"', 'datei = "../../../../etc/passwd"'),
        "tabelle_absolut": lambda t: t.replace('datei = "indikatoren.csv"', 'datei = "/etc/hostname"'),
        "angebote_traversal": lambda t: t.replace('datei = "angebote.gpkg"', 'datei = "../../x/../angebote.gpkg"'),
        "breit_ohne_periode": lambda t: t.replace('format = "lang"', 'format = "breit"\nid_spalte = "gebiet_id"'),
        "eltern_unbekannt": lambda t: t.replace('eltern = "stadtteil"', 'eltern = "mond"'),
        "eltern_spalte_falsch": lambda t: t.replace('eltern_spalte = "stadtteil_id"', 'eltern_spalte = "x"'),
        "eltern_zyklus": lambda t: t.replace('eltern = "stadtbezirk"', 'eltern = "viertel"'),
        "eltern_praefix_riesig": lambda t: toml_setzen(t, "ebene", "eltern_aus_praefix", "99999999999999999999"),
        "eltern_praefix_negativ": lambda t: toml_setzen(t, "ebene", "eltern_aus_praefix", "-3"),
        "filter_ohne_werte": lambda t: t.replace(
            'filter = { spalte = "typ", werte = ["Kita"] }', 'filter = { spalte = "typ" }'
        ),
        "filter_werte_zahl": lambda t: t.replace('werte = ["Kita"]', "werte = 5"),
        "filter_spalte_fehlt": lambda t: t.replace('filter = { spalte = "typ"', 'filter = { spalte = "gibtsnicht"', 1),
        "leer": lambda t: "",
        "nur_kommentar": lambda t: "# nichts\n",
        "binaer": lambda t: bytes(range(256)) * 4,
        "latin1": lambda t: t.replace("Musterstadt", "Müsterstadt").encode("latin-1", errors="replace"),
        "bom": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
        "utf16": lambda t: t.encode("utf-16"),
        "syntaxfehler": lambda t: t.replace('name = "Musterstadt"', 'name = "Musterstadt'),
        "riesig": lambda t: (
            t
            + "\n".join(f'[[quelle]]\nid = "q{i}"\ntitel = "t"\nlizenz = "l"\nnamensnennung = "n"' for i in range(3000))
        ),
        # [[versorgung]], [bevoelkerung], [erreichbarkeit], umland_m (feste Fälle: der Zufall der übrigen bleibt gleich)
        "versorgung_formel": lambda t: toml_setzen(t, "versorgung", "zielgruppe", WERTE["formel"]),
        "versorgung_formel_leer": lambda t: toml_setzen(t, "versorgung", "zielgruppe", '" + "'),
        "versorgung_je_text": lambda t: toml_setzen(t, "versorgung", "je", '"100"'),
        "versorgung_je_nan": lambda t: toml_setzen(t, "versorgung", "je", "nan"),
        "versorgung_je_riesig": lambda t: toml_setzen(t, "versorgung", "je", "1e300"),
        "versorgung_menge_liste": lambda t: toml_setzen(t, "versorgung", "menge", WERTE["liste"]),
        "versorgung_kategorie_lang": lambda t: toml_setzen(t, "versorgung", "kategorie", WERTE["lang"]),
        "versorgung_name_leer": lambda t: toml_setzen(t, "versorgung", "name", WERTE["leer"]),
        "versorgung_als_text": lambda t: 'versorgung = "x"\n' + re.sub(r"\[\[versorgung\]\][^\[]*", "", t),
        "bevoelkerung_tabelle": lambda t: toml_setzen(t, "bevoelkerung", "indikator", WERTE["tabelle"]),
        "bevoelkerung_nul": lambda t: toml_setzen(t, "bevoelkerung", "indikator", WERTE["nul"]),
        "umland_inf": lambda t: toml_setzen(t, "angebote", "umland_m", "inf"),
        "umland_text": lambda t: toml_setzen(t, "angebote", "umland_m", '"2 km"'),
        "erreichbarkeit_traversal": lambda t: toml_setzen(t, "erreichbarkeit", "raster", WERTE["traversal"]),
        "erreichbarkeit_absolut": lambda t: toml_setzen(t, "erreichbarkeit", "raster", WERTE["absolut"]),
        "erreichbarkeit_verteilung": lambda t: toml_setzen(t, "erreichbarkeit", "verteilung", WERTE["zahl"]),
    }
    faelle += [_toml_fall(name, f) for name, f in sonder.items()]
    return faelle


# ---------------------------------------------------------------------------------------------------
# Katalog
# ---------------------------------------------------------------------------------------------------


def _katalog_fall(name: str, aendern: Callable[[str], str | bytes]) -> Fall:
    def erzeugen(ordner: Path, arbeit: Path) -> Path:
        datei = ordner / "katalog.csv"
        neu = aendern(datei.read_text(encoding="utf-8"))
        if isinstance(neu, bytes):
            datei.write_bytes(neu)
        else:
            datei.write_text(neu, encoding="utf-8")
        return ordner

    return Fall("katalog", name, erzeugen)


def _zeile_ersetzen(nr: int, spalte: int, wert: str) -> Callable[[str], str]:
    def aendern(t: str) -> str:
        zeilen = t.splitlines()
        teile = zeilen[nr].split(";")
        teile[spalte] = wert
        zeilen[nr] = ";".join(teile)
        return "\n".join(zeilen) + "\n"

    return aendern


def katalog_faelle(rng: random.Random) -> list[Fall]:
    """Falsche Arten, Richtungen, Themen, doppelte IDs, fehlende Spalten, kaputte Dateien."""
    spalten = {"id": 0, "name": 1, "einheit": 3, "art": 4, "gewicht": 7, "richtung": 8, "thema": 9, "sensibel": 13}
    werte = ["", "foo", "=1+1", "-1", "2", "nan", "1e309", "x" * 3000, "\x00", "ä\u202eö", "../x", '"', "1;2"]
    faelle = []
    for spalte, nr in spalten.items():
        for wert in rng.sample(werte, 3):
            zeile = rng.randint(1, 10)
            faelle.append(_katalog_fall(f"{spalte}[{zeile}]={wert[:8]!r}", _zeile_ersetzen(zeile, nr, wert)))
    sonder: dict[str, Callable[[str], str | bytes]] = {
        "doppelte_id": lambda t: t + t.splitlines()[1] + "\n",
        "ohne_art": lambda t: t.replace(";art;", ";typ;", 1),
        "ohne_id": lambda t: t.replace("id;", "schluessel;", 1),
        "nur_kopf": lambda t: t.splitlines()[0] + "\n",
        "leer": lambda t: "",
        "nur_leerzeilen": lambda t: "\n\n\n",
        "binaer": lambda t: b"\x00\x01" * 500,
        "cp1252": lambda t: t.encode("cp1252", errors="replace"),
        "utf16": lambda t: t.encode("utf-16"),
        "komma_getrennt": lambda t: t.replace(";", ","),
        "gemischt": lambda t: "\n".join(z.replace(";", ",", 3) if i % 2 else z for i, z in enumerate(t.splitlines())),
        "offenes_anfuehrungszeichen": lambda t: t.replace("Einwohnerinnen", '"Einwohnerinnen', 1),
        "zu_viele_felder": lambda t: t.replace("\n", ";a;b;c\n", 3),
        "zu_wenige_felder": lambda t: t + "nur_id\n",
        "riesiges_feld": lambda t: t + "gross;" + "x" * 200_000 + ";;Personen;anzahl;;;;0;;;;;nein;\n",
        "indikator_fehlt": lambda t: "\n".join(z for z in t.splitlines() if not z.startswith("einwohner;")) + "\n",
        "viele_spalten": lambda t: ";".join(f"s{i}" for i in range(5000)) + "\n",
        "kopf_doppelt": lambda t: t.replace(";hinweise", ";name", 1),
    }
    faelle += [_katalog_fall(name, f) for name, f in sonder.items()]
    return faelle


# ---------------------------------------------------------------------------------------------------
# Versionsverzeichnis versionen.json
# ---------------------------------------------------------------------------------------------------


def _manifest_fall(
    name: str,
    inhalt: str | bytes | None,
    ordner_anlegen: tuple[str, ...] = (),
    dateien: dict[str, str | bytes] | None = None,
) -> Fall:
    def erzeugen(ordner: Path, arbeit: Path) -> Path:
        v = ordner / "versionen"
        v.mkdir(exist_ok=True)
        for o in ordner_anlegen:
            (v / o).mkdir(parents=True, exist_ok=True)
        for rel, text in (dateien or {}).items():
            ziel = v / rel
            ziel.parent.mkdir(parents=True, exist_ok=True)
            ziel.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        if inhalt is None:
            (v / "versionen.json").mkdir()
        elif isinstance(inhalt, bytes):
            (v / "versionen.json").write_bytes(inhalt)
        else:
            (v / "versionen.json").write_text(inhalt, encoding="utf-8")
        return ordner

    return Fall("manifest", name, erzeugen)


def manifest_faelle() -> list[Fall]:
    """Kaputtes JSON, falsche Typen, fehlende oder fremde Ordner."""
    gut = {"id": "v0001", "basis": None, "wer": "t", "wann": "2026-01-01T00:00:00"}
    kaputte_tabelle = {"v0001/indikatoren.csv": "gebiet_id;indikator;periode;wert\n010101;einwohner;2022;abc\n"}
    fremde_tabelle = {"v0001/indikatoren.csv": "a,b\n1,2\n"}
    return [
        _manifest_fall("abgeschnitten", '{"aktiv": "v0001", "versionen": ['),
        _manifest_fall("leer", ""),
        _manifest_fall("null", "null"),
        _manifest_fall("liste", "[]"),
        _manifest_fall("text", '"v0001"'),
        _manifest_fall("zahl", "42"),
        _manifest_fall("nan", "NaN"),
        _manifest_fall("binaer", bytes(range(256))),
        _manifest_fall("latin1", '{"aktiv": null, "wer": "Müller"}'.encode("latin-1")),
        _manifest_fall("utf16", '{"aktiv": null, "versionen": []}'.encode("utf-16")),
        _manifest_fall("tief", "[" * 100_000 + "]" * 100_000),
        _manifest_fall("tief_objekt", '{"a":' * 50_000 + "1" + "}" * 50_000),
        _manifest_fall("aktiv_zahl", '{"aktiv": 5, "versionen": []}'),
        _manifest_fall("aktiv_liste", '{"aktiv": ["v0001"], "versionen": []}'),
        _manifest_fall("aktiv_objekt", '{"aktiv": {"id": "v0001"}, "versionen": [{"id": "v0001"}]}', ("v0001",)),
        _manifest_fall("aktiv_unbekannt", '{"aktiv": "v0001", "versionen": []}'),
        _manifest_fall("ordner_fehlt", json.dumps({"aktiv": "v0001", "versionen": [gut]})),
        _manifest_fall("ordner_leer", json.dumps({"aktiv": "v0001", "versionen": [gut]}), ("v0001",)),
        _manifest_fall("tabelle_kaputt", json.dumps({"aktiv": "v0001", "versionen": [gut]}), dateien=kaputte_tabelle),
        _manifest_fall("tabelle_fremd", json.dumps({"aktiv": "v0001", "versionen": [gut]}), dateien=fremde_tabelle),
        _manifest_fall("versionen_text", '{"aktiv": null, "versionen": "v0001"}'),
        _manifest_fall("versionen_null", '{"aktiv": "v0001", "versionen": null}'),
        _manifest_fall("versionen_objekt", '{"aktiv": "v0001", "versionen": {"v0001": {}}}'),
        _manifest_fall("versionen_zahlen", '{"aktiv": "v0001", "versionen": [1, 2]}'),
        _manifest_fall("eintrag_ohne_id", '{"aktiv": "v0001", "versionen": [{"wer": "x"}]}'),
        _manifest_fall("id_zahl", '{"aktiv": 1, "versionen": [{"id": 1}]}'),
        _manifest_fall("traversal", '{"aktiv": "../..", "versionen": [{"id": "../.."}]}'),
        _manifest_fall("absolut", '{"aktiv": "/etc", "versionen": [{"id": "/etc"}]}'),
        _manifest_fall("ordner_statt_datei", None),
        _manifest_fall(
            "riesige_liste", json.dumps({"aktiv": None, "versionen": [{"id": f"v{i}"} for i in range(2000)]})
        ),
    ]


# ---------------------------------------------------------------------------------------------------
# Geometrie (GeoJSON, GeoPackage, ZIP)
# ---------------------------------------------------------------------------------------------------


def _quadrat(x: float, y: float, d: float = 200.0) -> list[list[float]]:
    return [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]


def _feature(gid: Any, ring: Any, typ: str = "Polygon", props: dict | None = None) -> dict:
    return {
        "type": "Feature",
        "properties": {"viertel_id": gid, **(props or {})} if props is not False else None,
        "geometry": {"type": typ, "coordinates": [ring] if typ == "Polygon" else ring},
    }


def _sammlung(features: list, crs: str | None = "EPSG:25832") -> dict:
    d: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if crs:
        d["crs"] = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:{crs.replace(':', '::')}"}}
    return d


def _gut(n: int = 4) -> list[dict]:
    x, y = MITTE
    return [_feature(VIERTEL[i % 4] + ("" if i < 4 else str(i)), _quadrat(x + 300 * i, y)) for i in range(n)]


def _geojson_fall(name: str, inhalt: Any, endung: str = ".geojson") -> Fall:
    def erzeugen(ordner: Path, arbeit: Path) -> Path:
        pfad = arbeit / f"lieferung{endung}"
        if isinstance(inhalt, bytes):
            pfad.write_bytes(inhalt)
        elif isinstance(inhalt, str):
            pfad.write_text(inhalt, encoding="utf-8")
        else:
            pfad.write_text(json.dumps(inhalt, allow_nan=True), encoding="utf-8")
        return pfad

    return Fall("geometrie", name, erzeugen)


def _gpkg_fall(name: str, bauen: Callable[[], Any], layer: str = "viertel", crs: Any = "EPSG:25832") -> Fall:
    def erzeugen(ordner: Path, arbeit: Path) -> Path:
        import geopandas as gpd

        pfad = arbeit / "lieferung.gpkg"
        geometrien, props = bauen()
        gdf = gpd.GeoDataFrame(props, geometry=geometrien, crs=crs)
        gdf.to_file(pfad, layer=layer, driver="GPKG")
        return pfad

    return Fall("geometrie", name, erzeugen)


def _zip_fall(name: str, eintraege: dict[str, bytes]) -> Fall:
    def erzeugen(ordner: Path, arbeit: Path) -> Path:
        pfad = arbeit / "lieferung.zip"
        with zipfile.ZipFile(pfad, "w") as zf:
            for n, b in eintraege.items():
                zf.writestr(n, b)
        return pfad

    return Fall("geometrie", name, erzeugen)


def geometrie_faelle(rng: random.Random) -> list[Fall]:
    """NaN/inf-Koordinaten, leere und ungültige Geometrien, falsches CRS, riesige Zahlen, falsche Typen."""
    x, y = MITTE
    faelle: list[Fall] = []
    zahlen = {
        "nan": math.nan,
        "inf": math.inf,
        "-inf": -math.inf,
        "riesig": 1e300,
        "winzig": 5e-324,
        "null": None,
        "text": "abc",
        "liste": [1, 2],
        "wahr": True,
    }
    for name, z in zahlen.items():
        for stelle in (0, 2):
            ring = _quadrat(x, y)
            ring[stelle] = [z, y] if stelle == 0 else [x, z]
            faelle.append(
                _geojson_fall(f"koordinate_{name}_{stelle}", _sammlung([_feature("010101", ring), *_gut()[1:]]))
            )
    ids = {
        "null": None,
        "zahl": 10101,
        "komma": 1.5,
        "nan": math.nan,
        "liste": ["a"],
        "objekt": {"a": 1},
        "wahr": True,
        "leer": "",
        "formel": "=1+1",
        "html": "<script>x</script>",
        "lang": "9" * 5000,
    }
    for name, gid in ids.items():
        faelle.append(_geojson_fall(f"id_{name}", _sammlung([_feature(gid, _quadrat(x, y)), *_gut()[1:]])))
    faelle += [
        _geojson_fall(
            "1e309_text",
            '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
            '{"viertel_id":"010101"},"geometry":{"type":"Polygon","coordinates":[[[1e309,5338000],'
            "[697200,5338000],[697200,5338200],[697000,5338200],[1e309,5338000]]]}}]}",
        ),
        _geojson_fall("leer_sammlung", _sammlung([])),
        _geojson_fall(
            "geometrie_null", _sammlung([{"type": "Feature", "properties": {"viertel_id": "1"}, "geometry": None}])
        ),
        _geojson_fall("koordinaten_leer", _sammlung([_feature("010101", [])])),
        _geojson_fall("ring_zwei_punkte", _sammlung([_feature("010101", [[x, y], [x + 1, y]])])),
        _geojson_fall("ring_offen", _sammlung([_feature("010101", _quadrat(x, y)[:-1])])),
        _geojson_fall(
            "schleife",
            _sammlung(
                [_feature("010101", [[x, y], [x + 200, y + 200], [x + 200, y], [x, y + 200], [x, y]]), *_gut()[1:]]
            ),
        ),
        _geojson_fall("linie_statt_flaeche", _sammlung([_feature("010101", _quadrat(x, y), "LineString")])),
        _geojson_fall("punkt", _sammlung([_feature("010101", [x, y], "Point")])),
        _geojson_fall("gemischt", _sammlung([_feature("010101", [x, y], "Point"), *_gut()[1:]])),
        _geojson_fall("falsche_tiefe", _sammlung([_feature("010101", [[[_quadrat(x, y)]]])])),
        _geojson_fall("unbekannter_typ", _sammlung([_feature("010101", _quadrat(x, y), "Kreis")])),
        _geojson_fall(
            "doppelte_ids", _sammlung([_feature("010101", _quadrat(x, y)), _feature("010101", _quadrat(x + 500, y))])
        ),
        _geojson_fall("ohne_id_spalte", _sammlung([_feature(None, _quadrat(x, y), props=False)])),
        _geojson_fall("crs_4326_metrisch", _sammlung(_gut(), crs="EPSG:4326")),
        _geojson_fall("crs_unbekannt", _sammlung(_gut(), crs="EPSG:999999")),
        _geojson_fall("ohne_crs_metrisch", _sammlung(_gut(), crs=None)),
        _geojson_fall("crs_3857", _sammlung(_gut(), crs="EPSG:3857")),
        _geojson_fall("ausserhalb", _sammlung([_feature("010101", _quadrat(100.0, 100.0))])),
        _geojson_fall("features_text", {"type": "FeatureCollection", "features": "x"}),
        _geojson_fall("features_fehlen", {"type": "FeatureCollection"}),
        _geojson_fall("nur_geometrie", {"type": "Polygon", "coordinates": [_quadrat(x, y)]}),
        _geojson_fall("kein_json", "das ist kein json"),
        _geojson_fall("abgeschnitten", json.dumps(_sammlung(_gut()))[:200]),
        _geojson_fall("leer", b""),
        _geojson_fall("binaer", bytes(range(256)) * 8),
        _geojson_fall("bom", b"\xef\xbb\xbf" + json.dumps(_sammlung(_gut())).encode()),
        _geojson_fall("tief", "[" * 100_000 + "]" * 100_000),
        _geojson_fall(
            "riesige_eigenschaft", _sammlung([_feature("010101", _quadrat(x, y), props={"t": "x" * 500_000})])
        ),
        _geojson_fall(
            "viele_eigenschaften",
            _sammlung([_feature("010101", _quadrat(x, y), props={f"p{i}": i for i in range(1000)})]),
        ),
        _geojson_fall(
            "eigenschaften_typen",
            _sammlung([_feature("010101", _quadrat(x, y), props={"a": [1], "b": {"c": None}, "d": 1e308})]),
        ),
        _geojson_fall("endung_txt", _sammlung(_gut()), ".txt"),
        _geojson_fall("endung_kml", _sammlung(_gut()), ".kml"),
        _geojson_fall("json_endung", _sammlung(_gut()), ".json"),
        _geojson_fall("gpkg_endung_json", _sammlung(_gut()), ".gpkg"),
        _geojson_fall("shp_endung_text", "kein shapefile", ".shp"),
        _geojson_fall("gueltig", _sammlung(_gut())),
    ]

    def nan_polygon() -> Any:
        from shapely.geometry import Polygon

        ring = _quadrat(x, y)
        ring[1] = [math.nan, math.nan]
        return [Polygon(ring), Polygon(_quadrat(x + 400, y))], {"viertel_id": ["010101", "010102"]}

    def inf_polygon() -> Any:
        from shapely.geometry import Polygon

        ring = _quadrat(x, y)
        ring[2] = [math.inf, y]
        return [Polygon(ring)], {"viertel_id": ["010101"]}

    def leer() -> Any:
        from shapely.geometry import Polygon

        return [Polygon(), Polygon(_quadrat(x, y))], {"viertel_id": ["010101", "010102"]}

    def punkte() -> Any:
        from shapely.geometry import Point

        return [Point(x, y)], {"viertel_id": ["010101"]}

    def gut() -> Any:
        from shapely.geometry import Polygon

        return [Polygon(_quadrat(x + 300 * i, y)) for i in range(4)], {"viertel_id": VIERTEL}

    def zahl_ids() -> Any:
        from shapely.geometry import Polygon

        return [Polygon(_quadrat(x, y))], {"viertel_id": [10101]}

    faelle += [
        _gpkg_fall("gpkg_nan", nan_polygon),
        _gpkg_fall("gpkg_inf", inf_polygon),
        _gpkg_fall("gpkg_leer", leer),
        _gpkg_fall("gpkg_punkte", punkte),
        _gpkg_fall("gpkg_ohne_crs", gut, crs=None),
        _gpkg_fall("gpkg_crs_4326_metrisch", gut, crs="EPSG:4326"),
        _gpkg_fall("gpkg_layer_falsch", gut, layer="anders"),
        _gpkg_fall("gpkg_zahl_ids", zahl_ids),
        _gpkg_fall("gpkg_gueltig", gut),
        _zip_fall("zip_ohne_shp", {"liesmich.txt": b"nichts"}),
        _zip_fall("zip_slip", {"../../boese.shp": b"x"}),
        _zip_fall("zip_absolut", {"/tmp/boese.shp": b"x"}),
        _zip_fall("zip_kaputte_shp", {"a.shp": b"kein shapefile", "a.dbf": b"x", "a.shx": b"y"}),
        _zip_fall("zip_geojson", {"a.geojson": json.dumps(_sammlung(_gut())).encode()}),
        _zip_fall("zip_kaputtes_geojson", {"a.geojson": b"{"}),
        _zip_fall("zip_leer", {}),
    ]

    def kaputtes_zip(ordner: Path, arbeit: Path) -> Path:
        pfad = arbeit / "lieferung.zip"
        pfad.write_bytes(b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(300)))
        return pfad

    faelle.append(Fall("geometrie", "zip_kaputt", kaputtes_zip))
    return faelle


def geometrie_laden_faelle(geometrie: list[Fall]) -> list[Fall]:
    """Dieselben Geometrien als Einzugsbereich in der kommune.toml (Laden statt Lieferungsprüfung)."""
    auswahl = [
        f
        for f in geometrie
        if f.name.startswith(
            (
                "koordinate_nan_0",
                "koordinate_inf",
                "koordinate_text_0",
                "koordinate_riesig_0",
                "id_",
                "leer",
                "kein_json",
                "punkt",
                "crs_",
                "ohne_crs",
                "gpkg_",
                "ring_",
                "schleife",
                "tief",
                "doppelte_ids",
                "ausserhalb",
                "geometrie_null",
            )
        )
    ]

    def laden(fall: Fall) -> Fall:
        def erzeugen(ordner: Path, arbeit: Path) -> Path:
            pfad = fall.erzeugen(ordner, arbeit)
            ziel = ordner / ("feindlich" + pfad.suffix)
            ziel.write_bytes(pfad.read_bytes())
            toml = ordner / "kommune.toml"
            text = toml.read_text(encoding="utf-8")
            text = toml_setzen(text, "einzugsbereich", "datei", json.dumps(ziel.name))
            text = toml_setzen(text, "einzugsbereich", "id_spalte", '"viertel_id"')
            text = toml_setzen(text, "einzugsbereich", "name_spalte", '"viertel_id"')
            layer = '"anders"' if "layer_falsch" in fall.name else '"viertel"'
            text = (
                toml_setzen(text, "einzugsbereich", "layer", layer)
                if ziel.suffix == ".gpkg"
                else re.sub(r'layer = "schulbezirke"\n', "", text)
            )
            toml.write_text(text, encoding="utf-8")
            return ordner

        return Fall("geometrie_laden", fall.name, erzeugen)

    return [laden(f) for f in auswahl]


# ---------------------------------------------------------------------------------------------------
# Lieferungen (CSV, XLSX)
# ---------------------------------------------------------------------------------------------------

KOPF = ["gebiet_id", "indikator", "periode", "wert"]


def _basis() -> list[list[Any]]:
    return [[g, "einwohner", "2025", str(1000 + i)] for i, g in enumerate(VIERTEL)]


ZELLEN = {
    "nan": "nan",
    "inf": "inf",
    "1e309": "1e309",
    "-1e309": "-1e309",
    "minus0": "-0",
    "formel": "=1+1",
    "dde": "=cmd|'/C calc'!A0",
    "at": "@SUM(A1)",
    "plus": "+1",
    "leer": "",
    "punkt": ".",
    "strich": "-",
    "x": "x",
    "lang": "9" * 400,
    "text": "abc",
    "komma": "0,5",
    "tausend": "1.234.567,8",
    "negativ": "-5",
    "riesig": "1" + "0" * 400,
    "hex": "0x1F",
    "unicode_minus": "\u22125",
    "nbsp": "1\u00a0000",
    "steuer": "\x07\x1b",
    "bidi": "\u202e12",
    "traversal": "../../x",
    "html": "<b>1</b>",
    "leerzeichen": "   ",
    "anfz": '"',
    "nul": "1\x002",
}


def _zeilen_variante(rng: random.Random) -> tuple[str, list[list[Any]]]:
    zeilen = [list(z) for z in _basis()]
    spalte = rng.randrange(4)
    name = rng.choice(sorted(ZELLEN))
    zeilen[rng.randrange(len(zeilen))][spalte] = ZELLEN[name]
    return f"{KOPF[spalte]}={name}", zeilen


def _csv_text(kopf: list[str], zeilen: list[list[Any]], sep: str = ";") -> str:
    return "\n".join(sep.join(str(v) for v in z) for z in [kopf, *zeilen]) + "\n"


def _csv_fall(name: str, inhalt: str | bytes, endung: str = ".csv") -> Fall:
    def erzeugen(ordner: Path, arbeit: Path) -> Path:
        pfad = arbeit / f"lieferung{endung}"
        pfad.write_bytes(inhalt if isinstance(inhalt, bytes) else inhalt.encode("utf-8"))
        return pfad

    return Fall("csv", name, erzeugen)


def csv_faelle(rng: random.Random) -> list[Fall]:
    """Feindliche Zellen, Trenner, Anführungszeichen, Kodierungen, Formen."""
    faelle = []
    gesehen = set()
    while len(faelle) < 40:
        name, zeilen = _zeilen_variante(rng)
        if name in gesehen:
            continue
        gesehen.add(name)
        faelle.append(_csv_fall(name, _csv_text(KOPF, zeilen)))
    basis = _csv_text(KOPF, _basis())
    faelle += [
        _csv_fall("gueltig", basis),
        _csv_fall("leer", b""),
        _csv_fall("nur_kopf", ";".join(KOPF) + "\n"),
        _csv_fall("binaer", bytes(range(256)) * 16),
        _csv_fall("nul_spaeter", basis.encode() + b"\x00" * 10),
        _csv_fall("cp1252", basis.replace("einwohner", "einwöhner").encode("cp1252")),
        _csv_fall("utf16", basis.encode("utf-16")),
        _csv_fall("bom", b"\xef\xbb\xbf" + basis.encode()),
        _csv_fall("komma", _csv_text(KOPF, _basis(), ",")),
        _csv_fall("tab", _csv_text(KOPF, _basis(), "\t")),
        _csv_fall("gemischt", "\n".join(z.replace(";", ",") if i % 2 else z for i, z in enumerate(basis.splitlines()))),
        _csv_fall("offenes_anfuehrungszeichen", basis.replace("010102", '"010102', 1)),
        _csv_fall("nur_anfuehrungszeichen", '"' * 5000),
        _csv_fall("zu_viele_felder", basis.replace("\n", ";1;2;3\n", 2)),
        _csv_fall("zu_wenige_felder", basis + "010101;einwohner\n"),
        _csv_fall("ohne_kopf", "\n".join(basis.splitlines()[1:])),
        _csv_fall("kopf_formel", basis.replace("wert", "=wert", 1)),
        _csv_fall("doppelte_zeilen", basis + basis.splitlines()[1] + "\n"),
        _csv_fall("doppelter_kopf", basis.replace("periode", "wert", 1)),
        _csv_fall("unbekannte_gebiete", basis.replace("010101", "999999")),
        _csv_fall("unbekannter_indikator", basis.replace("einwohner", "mondkaelber")),
        _csv_fall("periode_traversal", basis.replace("2025", "../../x")),
        _csv_fall("periode_formel", basis.replace("2025", "=1+1")),
        _csv_fall("breit", "gebiet_id;einwohner;kinder_u3\n" + "".join(f"{g};100;5\n" for g in VIERTEL)),
        _csv_fall("breit_formelkopf", "gebiet_id;=1+1;@x\n" + "".join(f"{g};100;5\n" for g in VIERTEL)),
        _csv_fall("riesige_zelle", basis + "010101;einwohner;2025;" + "1" * 2_000_000 + "\n"),
        _csv_fall("viele_spalten", ";".join(f"s{i}" for i in range(20_000)) + "\n" + ";".join("1" * 20_000) + "\n"),
        _csv_fall(
            "viele_zeilen", ";".join(KOPF) + "\n" + "".join(f"{i:06d};einwohner;2025;{i}\n" for i in range(300))
        ),
        _csv_fall("nur_zeilenumbrueche", "\r\n\r\n\n\r"),
        _csv_fall("cr_zeilen", basis.replace("\n", "\r")),
        _csv_fall("endung_txt", basis, ".txt"),
        _csv_fall("endung_exe", basis, ".exe"),
        _csv_fall("ohne_endung", basis, ""),
        _csv_fall("xlsx_endung_text", basis, ".xlsx"),
        _csv_fall("xls_alt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".xls"),
    ]
    return faelle


def _xlsx_fall(name: str, bauen: Callable[[Any], None], endung: str = ".xlsx") -> Fall:
    def erzeugen(ordner: Path, arbeit: Path) -> Path:
        from openpyxl import Workbook

        wb = Workbook()
        bauen(wb)
        pfad = arbeit / f"lieferung{endung}"
        wb.save(pfad)
        return pfad

    return Fall("xlsx", name, erzeugen)


def _blatt(zeilen: list[list[Any]], kopf: list[Any] | None = None) -> Callable[[Any], None]:
    def bauen(wb: Any) -> None:
        ws = wb.active
        ws.append(kopf or KOPF)
        for z in zeilen:
            ws.append(z)

    return bauen


def xlsx_faelle(rng: random.Random) -> list[Fall]:
    """Feindliche Zellen und Typen, Formeln, Blätter, kaputte Arbeitsmappen."""
    import datetime as dt

    typen = {
        "nan": math.nan,
        "inf": math.inf,
        "-inf": -math.inf,
        "riesig": 1e308,
        "winzig": 5e-324,
        "datum": dt.datetime(2025, 1, 1),
        "zeit": dt.time(12, 0),
        "wahr": True,
        "none": None,
        "negativ": -3.5,
        "int_gross": 2**70,
        "formel": "=1+1",
        "fehler": "#DIV/0!",
        "lang": "x" * 30000,
    }
    faelle = []
    for name, wert in typen.items():
        for spalte in (0, 3):
            zeilen = [list(z) for z in _basis()]
            zeilen[1][spalte] = wert
            faelle.append(_xlsx_fall(f"{KOPF[spalte]}={name}", _blatt(zeilen)))

    def mehrere_blaetter(wb: Any) -> None:
        ws = wb.create_sheet("Daten", 0)
        ws.append(["nur ein Titel"])
        wb.active = 1
        _blatt(_basis())(wb)

    def leer(wb: Any) -> None:
        pass

    def verbunden(wb: Any) -> None:
        _blatt(_basis())(wb)
        wb.active.merge_cells("A2:D3")

    def blattname(wb: Any) -> None:
        wb.active.title = "=1+1'x"
        _blatt(_basis())(wb)

    def breit(wb: Any) -> None:
        _blatt([[g, 100, 5] for g in VIERTEL], ["gebiet_id", "einwohner", "kinder_u3"])(wb)

    def formelzellen(wb: Any) -> None:
        _blatt([[g, "einwohner", "2025", f"=A{i + 2}*2"] for i, g in enumerate(VIERTEL)])(wb)

    def zahlen_ids(wb: Any) -> None:
        _blatt([[int(g), "einwohner", 2025, 1000] for g in VIERTEL])(wb)

    faelle += [
        _xlsx_fall("mehrere_blaetter", mehrere_blaetter),
        _xlsx_fall("leer", leer),
        _xlsx_fall("verbunden", verbunden),
        _xlsx_fall("blattname", blattname),
        _xlsx_fall("breit", breit),
        _xlsx_fall("formelzellen", formelzellen),
        _xlsx_fall("zahlen_ids", zahlen_ids),
        _xlsx_fall("gueltig", _blatt(_basis())),
        _xlsx_fall("xlsm", _blatt(_basis()), ".xlsm"),
        _xlsx_fall("kopf_zahlen", _blatt(_basis(), [1, 2, 3, 4])),
        _xlsx_fall("kopf_leer", _blatt(_basis(), [None, None, None, None])),
    ]

    def kaputt(ordner: Path, arbeit: Path) -> Path:
        pfad = arbeit / "lieferung.xlsx"
        pfad.write_bytes(b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(500)))
        return pfad

    def falsches_zip(ordner: Path, arbeit: Path) -> Path:
        pfad = arbeit / "lieferung.xlsx"
        with zipfile.ZipFile(pfad, "w") as zf:
            zf.writestr("hallo.txt", "kein Office-Dokument")
        return pfad

    def xml_kaputt(ordner: Path, arbeit: Path) -> Path:
        from openpyxl import Workbook

        pfad = arbeit / "roh.xlsx"
        wb = Workbook()
        _blatt(_basis())(wb)
        wb.save(pfad)
        ziel = arbeit / "lieferung.xlsx"
        with zipfile.ZipFile(pfad) as alt, zipfile.ZipFile(ziel, "w") as neu:
            for info in alt.infolist():
                daten = alt.read(info)
                if info.filename.endswith("sheet1.xml"):
                    daten = daten[: len(daten) // 2]
                neu.writestr(info, daten)
        return ziel

    def xxe(ordner: Path, arbeit: Path) -> Path:
        from openpyxl import Workbook

        pfad = arbeit / "roh.xlsx"
        wb = Workbook()
        _blatt(_basis())(wb)
        wb.save(pfad)
        ziel = arbeit / "lieferung.xlsx"
        boese = (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&e;</t></si></sst>'
        )
        with zipfile.ZipFile(pfad) as alt, zipfile.ZipFile(ziel, "w") as neu:
            for info in alt.infolist():
                daten = alt.read(info)
                if info.filename.endswith("sharedStrings.xml"):
                    daten = boese
                neu.writestr(info, daten)
        return ziel

    faelle += [
        Fall("xlsx", "kaputt", kaputt),
        Fall("xlsx", "falsches_zip", falsches_zip),
        Fall("xlsx", "xml_kaputt", xml_kaputt),
        Fall("xlsx", "xxe", xxe),
    ]
    return faelle


# ---------------------------------------------------------------------------------------------------
# Zuordnung (TOML)
# ---------------------------------------------------------------------------------------------------


def _zuordnung_fall(name: str, inhalt: str | bytes | None) -> Fall:
    def erzeugen(ordner: Path, arbeit: Path) -> tuple[Path, Path]:
        lieferung = arbeit / "lieferung.csv"
        lieferung.write_text(_csv_text(KOPF, _basis()), encoding="utf-8")
        pfad = arbeit / "zuordnung.toml"
        if inhalt is None:
            pfad.mkdir()
        elif isinstance(inhalt, bytes):
            pfad.write_bytes(inhalt)
        else:
            pfad.write_text(inhalt, encoding="utf-8")
        return lieferung, pfad

    return Fall("zuordnung", name, erzeugen)


def zuordnung_faelle() -> list[Fall]:
    """Falsche Typen, unbekannte Schlüssel, kaputtes TOML, Verschachtelung."""
    gut = (
        'ebene = "viertel"\neinheit_spalte = "gebiet_id"\nindikator_spalte = "indikator"\n'
        'periode_spalte = "periode"\nwert_spalte = "wert"\n'
    )
    return [
        _zuordnung_fall("gueltig", gut),
        _zuordnung_fall("spalten_text", gut + 'spalten = "x"\n'),
        _zuordnung_fall("spalten_liste", gut + "spalten = [1, 2]\n"),
        _zuordnung_fall("spalten_verschachtelt", gut + "[spalten]\na = { b = 1 }\n"),
        _zuordnung_fall("summen_zahl", gut + "summen = 5\n"),
        _zuordnung_fall("summen_liste", gut + "summen = [1]\n"),
        _zuordnung_fall("format_quer", gut + 'format = "quer"\n'),
        _zuordnung_fall("format_zahl", gut + "format = 5\n"),
        _zuordnung_fall("unbekannt", gut + "boese = 1\n"),
        _zuordnung_fall("ebene_traversal", gut.replace('"viertel"', '"../x"')),
        _zuordnung_fall("ebene_unbekannt", gut.replace('"viertel"', '"mond"')),
        _zuordnung_fall("wert_spalte_liste", gut.replace('wert_spalte = "wert"', 'wert_spalte = ["wert"]')),
        _zuordnung_fall("wert_spalte_fehlt", gut.replace('wert_spalte = "wert"', 'wert_spalte = "gibtsnicht"')),
        _zuordnung_fall("periode_datum", gut + "periode = 1979-05-27\n"),
        _zuordnung_fall("ziel_traversal", gut + 'ziel = "../../etc/passwd"\n'),
        _zuordnung_fall("ziel_unbekannt", gut + 'ziel = "andere.csv"\n'),
        _zuordnung_fall("dezimal_komisch", gut + 'dezimalzeichen = "x"\n'),
        _zuordnung_fall("syntaxfehler", "ebene = \n"),
        _zuordnung_fall("tief", "a = " + "[" * 3000 + "]" * 3000),
        _zuordnung_fall("leer", ""),
        _zuordnung_fall("binaer", bytes(range(256))),
        _zuordnung_fall("utf16", gut.encode("utf-16")),
        _zuordnung_fall("ordner", None),
        _zuordnung_fall("blatt_zahl", gut + "blatt = 3\n"),
    ]


# ---------------------------------------------------------------------------------------------------
# Kommandozeilen
# ---------------------------------------------------------------------------------------------------

EINSCHLEUSUNG = 'eve"\n[[benutzer]]\nname = "root"\nrolle = "admin"\nsalz = "00"\nhash = "00"\n#'


def _cli_fall(name: str, modul: str, argv: Callable[[Path, Path], list[str]], prozess: bool = False) -> Fall:
    def erzeugen(ordner: Path, arbeit: Path) -> tuple[str, list[str]]:
        (arbeit / "lieferung.csv").write_text(_csv_text(KOPF, _basis()), encoding="utf-8")
        (arbeit / "eine_datei").write_text("x", encoding="utf-8")
        (arbeit / "kaputt.toml").write_text("id = \n[[", encoding="utf-8")
        (arbeit / "leer.toml").write_text("", encoding="utf-8")
        return modul, argv(ordner, arbeit)

    return Fall("cli_prozess" if prozess else "cli", name, erzeugen)


def cli_faelle() -> list[Fall]:
    """Falsche, fehlende und feindliche Argumente für alle fünf Kommandozeilen."""
    k, f, i, g, b = "kommune", "freigabe", "indices", "geodata", "oberflaeche.benutzer"
    exp = ["export"]
    faelle = [
        _cli_fall("k_leer", k, lambda o, a: []),
        _cli_fall("k_unbekannt", k, lambda o, a: ["loeschen"]),
        _cli_fall("k_info_ohne", k, lambda o, a: ["info"]),
        _cli_fall("k_info_fehlt", k, lambda o, a: ["info", str(a / "gibtsnicht")]),
        _cli_fall("k_info_nul", k, lambda o, a: ["info", "muster\x00stadt"]),
        _cli_fall("k_info_datei", k, lambda o, a: ["info", str(a / "eine_datei")]),
        _cli_fall("k_info_lang", k, lambda o, a: ["info", "x" * 5000]),
        _cli_fall("k_info_ok", k, lambda o, a: ["info", str(o)]),
        _cli_fall("k_export_ebene", f, lambda o, a: [*exp, str(o), "--level", "mond", "--out", str(a / "x.csv")]),
        _cli_fall("k_export_endung", f, lambda o, a: [*exp, str(o), "--level", "viertel", "--out", str(a / "x.txt")]),
        _cli_fall("k_export_ordner", f, lambda o, a: [*exp, str(o), "--level", "viertel", "--out", str(a)]),
        _cli_fall(
            "k_export_unter_datei",
            f,
            lambda o, a: [*exp, str(o), "--level", "viertel", "--out", str(a / "eine_datei" / "x.csv")],
        ),
        _cli_fall(
            "k_export_periode_traversal",
            f,
            lambda o, a: [*exp, str(o), "--level", "viertel", "--period", "../../x", "--out", str(a / "x.csv")],
        ),
        _cli_fall(
            "k_export_periode_formel",
            f,
            lambda o, a: [*exp, str(o), "--level", "viertel", "--period", "=1+1", "--out", str(a / "x.xlsx")],
        ),
        _cli_fall(
            "k_export_rolle",
            f,
            lambda o, a: [*exp, str(o), "--level", "viertel", "--role", "kaiser", "--out", str(a / "x.csv")],
        ),
        _cli_fall("k_export_ohne_out", f, lambda o, a: [*exp, str(o), "--level", "viertel"]),
        _cli_fall("k_export_nul", f, lambda o, a: [*exp, str(o), "--level", "viertel", "--out", str(a / "x\x00.csv")]),
        _cli_fall("k_import_fehlt", f, lambda o, a: ["import", str(o), str(a / "gibtsnicht.csv")]),
        _cli_fall("k_import_ordner", f, lambda o, a: ["import", str(o), str(a)]),
        _cli_fall("k_import_ebene", f, lambda o, a: ["import", str(o), str(a / "lieferung.csv"), "--level", "mond"]),
        _cli_fall(
            "k_import_periode",
            f,
            lambda o, a: ["import", str(o), str(a / "lieferung.csv"), "--period", "../../x", "--check-only"],
        ),
        _cli_fall(
            "k_import_blatt",
            f,
            lambda o, a: ["import", str(o), str(a / "lieferung.csv"), "--indicator-sheet", "x", "--check-only"],
        ),
        _cli_fall(
            "k_import_mapping_fehlt",
            f,
            lambda o, a: ["import", str(o), str(a / "lieferung.csv"), "--mapping", str(a / "fehlt.toml")],
        ),
        _cli_fall(
            "k_import_protokoll_unter_datei",
            f,
            lambda o, a: [
                "import",
                str(o),
                str(a / "lieferung.csv"),
                "--level",
                "viertel",
                "--protocol",
                str(a / "eine_datei" / "p.xlsx"),
            ],
        ),
        _cli_fall(
            "k_import_protokoll_ordner",
            f,
            lambda o, a: ["import", str(o), str(a / "lieferung.csv"), "--level", "viertel", "--protocol", str(a)],
        ),
        _cli_fall(
            "k_import_user_einschleusung",
            f,
            lambda o, a: ["import", str(o), str(a / "lieferung.csv"), "--check-only", "--user", EINSCHLEUSUNG],
        ),
        _cli_fall("i_leer", i, lambda o, a: []),
        _cli_fall("i_compute_ohne", i, lambda o, a: ["compute"]),
        _cli_fall("i_presets_fehlt", i, lambda o, a: ["presets", str(a / "gibtsnicht")]),
        _cli_fall("i_presets_ok", i, lambda o, a: ["presets", str(o)]),
        _cli_fall(
            "i_preset_unbekannt",
            i,
            lambda o, a: ["compute", str(o), "--preset", "gibtsnicht", "--out", str(a / "x.csv")],
        ),
        _cli_fall(
            "i_preset_traversal",
            i,
            lambda o, a: ["compute", str(o), "--preset", "../../../etc/passwd", "--out", str(a / "x.csv")],
        ),
        _cli_fall(
            "i_preset_kaputt",
            i,
            lambda o, a: ["compute", str(o), "--preset", str(a / "kaputt.toml"), "--out", str(a / "x.csv")],
        ),
        _cli_fall(
            "i_preset_leer",
            i,
            lambda o, a: ["compute", str(o), "--preset", str(a / "leer.toml"), "--out", str(a / "x.csv")],
        ),
        _cli_fall(
            "i_preset_ordner",
            i,
            lambda o, a: ["compute", str(o), "--preset", str(a) + "/.toml", "--out", str(a / "x.csv")],
        ),
        _cli_fall(
            "i_ebene",
            i,
            lambda o, a: ["compute", str(o), "--preset", "sozialindex", "--level", "mond", "--out", str(a / "x.csv")],
        ),
        _cli_fall(
            "i_periode",
            i,
            lambda o, a: ["compute", str(o), "--preset", "sozialindex", "--period", "1800", "--out", str(a / "x.csv")],
        ),
        _cli_fall(
            "i_periode_formel",
            i,
            lambda o, a: ["compute", str(o), "--preset", "sozialindex", "--period", "=1+1", "--out", str(a / "x.csv")],
        ),
        _cli_fall(
            "i_endung", i, lambda o, a: ["compute", str(o), "--preset", "sozialindex", "--out", str(a / "x.pdf")]
        ),
        _cli_fall(
            "i_out_ordner", i, lambda o, a: ["compute", str(o), "--preset", "sozialindex", "--out", str(a) + "/.csv"]
        ),
        _cli_fall(
            "i_out_fehlender_ordner",
            i,
            lambda o, a: ["compute", str(o), "--preset", "sozialindex", "--out", str(a / "neu" / "x.xlsx")],
        ),
        _cli_fall(
            "i_out_unter_datei",
            i,
            lambda o, a: ["compute", str(o), "--preset", "sozialindex", "--out", str(a / "eine_datei" / "x.csv")],
        ),
        _cli_fall("i_ok", i, lambda o, a: ["compute", str(o), "--preset", "sozialindex", "--out", str(a / "x.xlsx")]),
        _cli_fall("g_leer", g, lambda o, a: []),
        _cli_fall(
            "g_methode",
            g,
            lambda o, a: [
                "interpolate",
                str(o),
                "--indicator",
                "einwohner",
                "--to",
                "schulbezirk",
                "--method",
                "zauber",
                "--out",
                str(a / "x.csv"),
            ],
        ),
        _cli_fall(
            "g_indikator",
            g,
            lambda o, a: [
                "interpolate",
                str(o),
                "--indicator",
                "=1+1",
                "--to",
                "schulbezirk",
                "--out",
                str(a / "x.csv"),
            ],
        ),
        _cli_fall(
            "g_ziel",
            g,
            lambda o, a: ["interpolate", str(o), "--indicator", "einwohner", "--to", "mond", "--out", str(a / "x.csv")],
        ),
        _cli_fall(
            "g_periode",
            g,
            lambda o, a: [
                "interpolate",
                str(o),
                "--indicator",
                "einwohner",
                "--to",
                "schulbezirk",
                "--period",
                "../x",
                "--out",
                str(a / "x.csv"),
            ],
        ),
        _cli_fall(
            "g_out_ordner",
            g,
            lambda o, a: ["interpolate", str(o), "--indicator", "einwohner", "--to", "schulbezirk", "--out", str(a)],
        ),
        _cli_fall(
            "g_out_unter_datei",
            g,
            lambda o, a: [
                "interpolate",
                str(o),
                "--indicator",
                "einwohner",
                "--to",
                "schulbezirk",
                "--out",
                str(a / "eine_datei" / "x.csv"),
            ],
        ),
        _cli_fall(
            "g_ok",
            g,
            lambda o, a: [
                "interpolate",
                str(o),
                "--indicator",
                "einwohner",
                "--to",
                "schulbezirk",
                "--out",
                str(a / "x.csv"),
            ],
        ),
        _cli_fall("b_leer", b, lambda o, a: []),
        _cli_fall(
            "b_einschleusung", b, lambda o, a: [EINSCHLEUSUNG, "--rolle", "oeffentlich", "--datei", str(a / "b.toml")]
        ),
        _cli_fall("b_leerer_name", b, lambda o, a: ["", "--rolle", "intern", "--datei", str(a / "b.toml")]),
        _cli_fall("b_langer_name", b, lambda o, a: ["x" * 65, "--rolle", "intern", "--datei", str(a / "b.toml")]),
        _cli_fall("b_umlaut", b, lambda o, a: ["müller", "--rolle", "intern", "--datei", str(a / "b.toml")]),
        _cli_fall("b_zeilenumbruch", b, lambda o, a: ["a\nb", "--rolle", "intern", "--datei", str(a / "b.toml")]),
        _cli_fall("b_rolle", b, lambda o, a: ["eve", "--rolle", "kaiser", "--datei", str(a / "b.toml")]),
        _cli_fall("b_datei_ordner", b, lambda o, a: ["eve", "--rolle", "intern", "--datei", str(a)]),
        _cli_fall(
            "b_datei_unter_datei",
            b,
            lambda o, a: ["eve", "--rolle", "intern", "--datei", str(a / "eine_datei" / "b.toml")],
        ),
        _cli_fall("b_datei_kaputt", b, lambda o, a: ["eve", "--rolle", "intern", "--datei", str(a / "kaputt.toml")]),
        _cli_fall("b_ok", b, lambda o, a: ["eve.mueller@stadt.de", "--rolle", "intern", "--datei", str(a / "b.toml")]),
    ]
    faelle += [
        _cli_fall("p_kommune_leer", k, lambda o, a: [], prozess=True),
        _cli_fall("p_kommune_info_fehlt", k, lambda o, a: ["info", str(a / "gibtsnicht")], prozess=True),
        _cli_fall(
            "p_indices_preset",
            i,
            lambda o, a: ["compute", str(o), "--preset", "gibtsnicht", "--out", str(a / "x.csv")],
            prozess=True,
        ),
        _cli_fall(
            "p_geodata_methode",
            g,
            lambda o, a: [
                "interpolate",
                str(o),
                "--indicator",
                "einwohner",
                "--to",
                "schulbezirk",
                "--method",
                "zauber",
                "--out",
                str(a / "x.csv"),
            ],
            prozess=True,
        ),
        _cli_fall(
            "p_benutzer_einschleusung",
            b,
            lambda o, a: [EINSCHLEUSUNG, "--rolle", "admin", "--datei", str(a / "b.toml")],
            prozess=True,
        ),
        _cli_fall(
            "p_kommune_export_unter_datei",
            k,
            lambda o, a: [*exp, str(o), "--level", "viertel", "--out", str(a / "eine_datei" / "x.csv")],
            prozess=True,
        ),
    ]
    return faelle


REGISTER_KOPF = "Träger-ID;Träger;Name;Kategorie;Längengrad;Breitengrad;Gebietsschlüssel;E-Mail;Webseite;Alter von"
#: Feindliche Zeilen einer Angebotslieferung (CSV mit ;): Skript, Formeln, Unendlich, riesige Texte, Steuerzeichen …
REGISTER_ZEILEN = {
    "skript": "t1;<script>alert(1)</script>;<img src=x onerror=alert(1)>;Kultur;11,6;48,1;;;;",
    "formel": "t1;=HYPERLINK(\"http://x\");@SUM(1);+1-1;11,6;48,1;;;;",
    "unendlich": "t1;T;N;K;inf;nan;;;;1e400",
    "nicht_wgs84": "t1;T;N;K;697000;5338000;;;;",
    "riesig": "t1;T;" + "x" * 100_000 + ";K;11,6;48,1;;;;",
    "steuerzeichen": "t1;T;N\x00\x07;K;11,6;48,1;;;;",
    "javascript_url": "t1;T;N;K;11,6;48,1;;a@b.de;javascript:alert(1);",
    "pfad_als_id": "../../etc;T;N;K;;;010101;;;",
    "gebiet_unbekannt": "t1;T;N;K;;;<b>999</b>;;;",
    "alter_negativ": "t1;T;N;K;11,6;48,1;;;;-5",
    "leer": "",
    "nur_kopf": None,
}


def angebote_faelle(tabellen: list[Fall], geometrie: list[Fall]) -> list[Fall]:
    """Angebotslieferungen: eigene feindliche Zeilen und alle feindlichen Tabellen und Geodateien der übrigen
    Arten – als Angebotsliste gelesen (`kommune.angebotspflege.lieferung_pruefen`)."""
    faelle = []
    for name, zeile in REGISTER_ZEILEN.items():
        inhalt = REGISTER_KOPF + ("\n" + zeile if zeile is not None else "") + "\n" if zeile != "" else ""
        faelle.append(Fall("angebote", name, lambda o, a, t=inhalt: _datei(a / "angebote.csv", t)))
    for f in [*tabellen[::3], *geometrie[::3]]:
        faelle.append(Fall("angebote", f"{f.art}-{f.name}", f.erzeugen))
    return faelle


def _datei(pfad: Path, text: str) -> Path:
    pfad.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    return pfad


def alle_faelle() -> list[Fall]:
    """Alle feindlichen Eingaben, immer in derselben Reihenfolge (fester Keim)."""
    rng = random.Random(KEIM)
    geometrie = geometrie_faelle(rng)
    tabellen = [*csv_faelle(rng), *xlsx_faelle(rng)]
    return [
        *toml_faelle(rng),
        *katalog_faelle(rng),
        *manifest_faelle(),
        *geometrie,
        *geometrie_laden_faelle(geometrie),
        *tabellen,
        *zuordnung_faelle(),
        *cli_faelle(),
        *angebote_faelle(tabellen, geometrie),
    ]

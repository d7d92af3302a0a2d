"""Zufällige, aber gültige Kommunen (reproduzierbar je Startwert) für „jede Seite auf jeder Kommune“.

`zufallskommune(ordner, seed)` schreibt einen vollständigen Kommune-Ordner (kommune.toml, katalog.csv,
geo.gpkg, werte.csv, optional breit.csv und angebote.gpkg) und gibt eine `Beschreibung` zurück. Variiert
werden: 1–4 verschachtelte Ebenen, Schlüssellängen 5/8/12 mit führenden Nullen (als Elternspalte oder
als Präfix), 0–2 Einzugsbereiche quer zu den Ebenengrenzen, 0–4 Angebotskategorien (auch leere, und
Gebiete ohne Angebot), 1–3 Perioden, sensible Indikatoren, Gebiete unter 300 Einwohnern, fehlende Werte;
mal mit, mal ohne `[bevoelkerung]` und `[[versorgung]]` (Plätze oder Anzahl, Zielgruppe als ID, Summe oder
Differenz), manche Angebotsquellen mit Umland (`umland_m`, Standorte knapp jenseits des Rahmens) oder mit
Standorten weit draußen (nicht übernommen). Keine Presets, kein `[cockpit]`, keine `[[kachel]]`, keine
Sitzungsabläufe. Die Zusätze würfelt ein eigener Zufallsgenerator: Ebenen, Werte und Standorte der früheren
Fassung bleiben je Startwert gleich.

Flächen: Voronoi-Zellen zufälliger Punkte, auf ein Rechteck in EPSG:25832 geschnitten – gültig und
lückenlos; gröbere Ebenen sind Vereinigungen feiner Zellen (Zuordnung zum nächsten Saatpunkt).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, box

X0, Y0 = 700_000.0, 5_400_000.0  # UTM 32N
CRS = "EPSG:25832"
KATEGORIEN = [
    ("Kita", "frühe Bildung", 0.0, 6.0),
    ("Grundschule", "Schule", 6.0, 10.0),
    ("weiterführende Schule", "Schule", 10.0, 19.0),
    ("Jugendfreizeiteinrichtung", "non-formal", 6.0, 27.0),
    ("Bibliothek", "non-formal", None, None),
]
EBENEN_NAMEN = [("ortsteil", "Ortsteil"), ("gemeinde", "Gemeinde"), ("verband", "Verbandsgemeinde"), ("kreis", "Kreis")]
#: Zielgruppen der [[versorgung]]: Formel → Name (gleiche Formel, gleicher Name)
ZIELGRUPPEN = {
    "kinder_u6": "Kinder unter 6",
    "kinder_u15 - kinder_u6": "Kinder von 6 bis unter 15",
    "kinder_u6 + kinder_u15": "Kinder unter 6 und unter 15 (doppelt gezählt)",
    "einwohner": "Einwohner",
}
KATALOG_KOPF = (
    "id;name;definition;einheit;art;zaehler;nenner;gewicht;richtung;thema;quelle;stand;ebene;sensibel;hinweise"
)


@dataclass
class Beschreibung:
    """Was der Generator gewählt hat (für Tests und Fehlermeldungen)."""

    seed: int
    ordner: Path
    ebenen: list[str] = field(default_factory=list)  # fein → grob
    gebiete: dict[str, list[str]] = field(default_factory=dict)
    einzugsbereiche: list[str] = field(default_factory=list)
    bereiche: dict[str, list[str]] = field(default_factory=dict)  # Gebiete je Einzugsbereich
    klein: list[str] = field(default_factory=list)  # feinste Gebiete unter 300 Einwohnern
    kategorien: list[str] = field(default_factory=list)
    perioden: list[str] = field(default_factory=list)
    schluessel_laengen: list[int] = field(default_factory=list)
    praefix: bool = False
    kapazitaet: list[str] = field(default_factory=list)  # Kategorien mit kapazitaet_spalte
    versorgung: list[str] = field(default_factory=list)  # IDs der [[versorgung]]
    bevoelkerung: bool = False  # [bevoelkerung] angegeben
    umland: int = 0  # Standorte im Umland (umland_m)
    register: int = -1  # Angebote im Angebotsregister (-1: kein [angebotsregister])
    gruppen: list[str] = field(default_factory=list)  # Merkmale der Gruppenindikatoren (kommune/merkmale.py)

    def __str__(self) -> str:
        anzahl = {e: len(self.gebiete[e]) for e in self.ebenen}
        return (
            f"Zufallskommune {self.seed}: Ebenen {anzahl}, Schlüssel {self.schluessel_laengen}"
            f"{' (Präfix)' if self.praefix else ''}, Einzugsbereiche {self.einzugsbereiche}, "
            f"Kategorien {self.kategorien}, Perioden {self.perioden}, Versorgung {self.versorgung}, "
            f"Bevölkerung {'angegeben' if self.bevoelkerung else 'nicht angegeben'}, Umland {self.umland}, "
            f"Register {self.register}, Gruppen {self.gruppen}"
        )


def _voronoi(punkte: np.ndarray, rahmen: shapely.Geometry) -> list[shapely.Geometry]:
    """Voronoi-Zellen der Punkte, auf den Rahmen geschnitten, in der Reihenfolge der Punkte."""
    zellen = shapely.voronoi_polygons(MultiPoint([tuple(p) for p in punkte]), extend_to=rahmen)
    ergebnis: list[shapely.Geometry | None] = [None] * len(punkte)
    for zelle in zellen.geoms:
        treffer = [i for i, p in enumerate(punkte) if ergebnis[i] is None and zelle.covers(Point(p))]
        ergebnis[treffer[0]] = shapely.set_precision(zelle.intersection(rahmen), 0.01)
    return [z for z in ergebnis if z is not None]


def _punkte(rng: random.Random, n: int, breite: float, hoehe: float, abstand: float) -> np.ndarray:
    """n Punkte im Rahmen mit Mindestabstand (sonst entarten Voronoi-Zellen)."""
    punkte: list[tuple[float, float]] = []
    while len(punkte) < n:
        p = (X0 + rng.uniform(0.02, 0.98) * breite, Y0 + rng.uniform(0.02, 0.98) * hoehe)
        if all((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 > abstand**2 for q in punkte):
            punkte.append(p)
    return np.array(punkte)


def _schluessel(rng: random.Random, n: int, laenge: int, praefix: str = "") -> list[str]:
    """n verschiedene Schlüssel der Länge `laenge` mit führender Null (nach einem Präfix)."""
    rest = laenge - len(praefix)
    obergrenze = min(10 ** (rest - 1) - 1 if not praefix else 10**rest - 1, 10**6)
    werte = rng.sample(range(1, obergrenze + 1), n)
    return [praefix + str(w).zfill(rest) for w in sorted(werte)]


def _gruppieren(rng: random.Random, zentren: np.ndarray, k: int) -> np.ndarray:
    """Jede feine Zelle dem nächsten von k Saatpunkten (selbst feine Zellen) zuordnen; keine Gruppe leer."""
    saat = rng.sample(range(len(zentren)), k)
    abstand = ((zentren[:, None, :] - zentren[saat][None, :, :]) ** 2).sum(axis=2)
    return abstand.argmin(axis=1)


def zufallskommune(ordner: Path, seed: int) -> Beschreibung:
    """Eine gültige Zufallskommune in `ordner` schreiben (gleicher Startwert → gleiche Dateien)."""
    rng = random.Random(seed)
    ordner.mkdir(parents=True, exist_ok=True)
    b = Beschreibung(seed=seed, ordner=ordner)
    breite, hoehe = rng.uniform(3000, 12000), rng.uniform(3000, 9000)
    rahmen = box(X0, Y0, X0 + breite, Y0 + hoehe)
    n_ebenen = rng.randint(1, 4)
    n_fein = rng.randint(3, 10)
    anzahlen = [n_fein]
    for _ in range(n_ebenen - 1):
        anzahlen.append(max(1, anzahlen[-1] // rng.choice([2, 3])))
    b.praefix = n_ebenen > 1 and rng.random() < 0.4
    laengen = sorted(rng.choice([5, 8, 12]) for _ in range(n_ebenen))[::-1]  # fein: lang, grob: kurz
    if b.praefix:
        laengen = [[5], [8, 5], [12, 8, 5], [12, 10, 8, 5]][n_ebenen - 1]
    b.schluessel_laengen = laengen

    punkte = _punkte(rng, n_fein, breite, hoehe, min(breite, hoehe) / (2 * n_fein**0.5))
    zellen = _voronoi(punkte, rahmen)
    zentren = np.array([[z.centroid.x, z.centroid.y] for z in zellen])
    # Gruppen je Ebene: gruppe[e][i] = Index des Gebiets der Ebene e, zu dem die feine Zelle i gehört
    gruppen = [np.arange(n_fein)]
    for k in anzahlen[1:]:
        vorher = gruppen[-1]
        n_vorher = int(vorher.max()) + 1
        vorher_zentren = np.array([zentren[vorher == j].mean(axis=0) for j in range(n_vorher)])
        zu = _gruppieren(rng, vorher_zentren, min(k, n_vorher))
        gruppen.append(zu[vorher])
    # Schlüssel von grob nach fein vergeben (Präfix: Kind = Elternschlüssel + Ziffern)
    schluessel: list[list[str]] = [[] for _ in range(n_ebenen)]
    for e in reversed(range(n_ebenen)):
        n = int(gruppen[e].max()) + 1
        if b.praefix and e < n_ebenen - 1:
            eltern_von = [int(gruppen[e + 1][gruppen[e] == j][0]) for j in range(n)]
            ids = [""] * n
            for p in set(eltern_von):
                kinder = [j for j in range(n) if eltern_von[j] == p]
                for j, s in zip(kinder, _schluessel(rng, len(kinder), laengen[e], schluessel[e + 1][p]), strict=True):
                    ids[j] = s
            schluessel[e] = ids
        else:
            schluessel[e] = _schluessel(rng, n, laengen[e])
    b.ebenen = [EBENEN_NAMEN[e][0] for e in range(n_ebenen)]
    ebenen_toml: list[str] = []
    for e in range(n_ebenen):
        eid, ename = EBENEN_NAMEN[e]
        n = int(gruppen[e].max()) + 1
        geom = [shapely.union_all([zellen[i] for i in np.nonzero(gruppen[e] == j)[0]]) for j in range(n)]
        namen = [f"{ename} {chr(65 + j % 26)}{j // 26 or ''}" for j in range(n)]
        daten = {f"{eid}_id": schluessel[e], f"{eid}_name": namen}
        zeilen = [
            "[[ebene]]",
            f'id = "{eid}"',
            f'name = "{ename}"',
            'datei = "geo.gpkg"',
            f'layer = "{eid}"',
            f'id_spalte = "{eid}_id"',
            f'name_spalte = "{eid}_name"',
        ]
        if e < n_ebenen - 1:
            eltern = EBENEN_NAMEN[e + 1][0]
            zeilen.append(f'eltern = "{eltern}"')
            if b.praefix:
                zeilen.append(f"eltern_aus_praefix = {laengen[e + 1]}")
            else:
                daten[f"{eltern}_id"] = [schluessel[e + 1][int(gruppen[e + 1][gruppen[e] == j][0])] for j in range(n)]
                zeilen.append(f'eltern_spalte = "{eltern}_id"')
        zeilen += ['stand = "01.01.2024"', 'quelle = "test"', ""]
        ebenen_toml.append("\n".join(zeilen))
        gpd.GeoDataFrame(daten, geometry=geom, crs=CRS).to_file(ordner / "geo.gpkg", layer=eid, engine="pyogrio")
        b.gebiete[eid] = schluessel[e]

    # Einzugsbereiche: eigene Voronoi-Zellen, die die Ebenengrenzen schneiden
    for k in range(rng.randint(0, 2)):
        eid = ["sprengel", "jugendbezirk"][k]
        n = rng.randint(1, 6)
        ez = _voronoi(_punkte(rng, n, breite, hoehe, min(breite, hoehe) / (3 * n**0.5)), rahmen)
        ids = _schluessel(rng, len(ez), rng.choice([5, 8, 12]))
        namen = [f"Bereich {i + 1}" for i in range(len(ez))]
        gdf = gpd.GeoDataFrame({"eid": ids, "ename": namen}, geometry=ez, crs=CRS)
        gdf.to_file(ordner / "geo.gpkg", layer=eid, engine="pyogrio")
        name_zeile = 'name_spalte = "ename"\n' if rng.random() < 0.5 else ""
        ebenen_toml.append(
            f'[[einzugsbereich]]\nid = "{eid}"\nname = "{eid.capitalize()}"\ndatei = "geo.gpkg"\nlayer = "{eid}"\n'
            f'id_spalte = "eid"\n{name_zeile}quelle = "test"\n'
        )
        b.einzugsbereiche.append(eid)
        b.bereiche[eid] = ids

    start = rng.randint(2018, 2023)
    b.perioden = [str(start + i) for i in range(rng.randint(1, 3))]
    fein = b.ebenen[0]
    katalog, werte = _indikatoren(rng, b, fein)
    (ordner / "katalog.csv").write_text(katalog, encoding="utf-8")
    (ordner / "werte.csv").write_text(werte, encoding="utf-8")
    tabellen = [
        f'[[indikatoren]]\ndatei = "werte.csv"\nebene = "{fein}"\nquelle = "test"\n'
        'zaehler_spalte = "zaehler"\nnenner_spalte = "nenner"\n'
    ]
    if n_ebenen > 1 and rng.random() < 0.5:  # eine breite Tabelle auf einer gröberen Ebene
        grob = b.ebenen[1]
        zeilen = ["id;schulen_index"] + [
            f"{g};{str(round(rng.uniform(80, 120), 1)).replace('.', ',')}" for g in b.gebiete[grob]
        ]
        (ordner / "breit.csv").write_text("\n".join(zeilen) + "\n", encoding="utf-8")
        tabellen.append(
            f'[[indikatoren]]\ndatei = "breit.csv"\nebene = "{grob}"\nformat = "breit"\nid_spalte = "id"\n'
            f'periode = "{b.perioden[-1]}"\nquelle = "test"\n'
        )
        katalog_zeile = (
            f"schulen_index;Schulindex;Index der Schulen;Index;index;;;;1;allgemeinbildende Schulen;test;"
            f"01.08.{b.perioden[-1]};{grob};nein;"
        )
        (ordner / "katalog.csv").write_text(katalog + katalog_zeile + "\n", encoding="utf-8")

    zusatz = random.Random(seed * 7919 + 1)  # eigener Zufall: der Rest der Kommune bleibt je Startwert gleich
    angebote_toml = _angebote(rng, b, ordner, breite, hoehe, zusatz)
    ags_laenge = rng.choice([5, 8, 12])
    kopf = [
        f'name = "Zufallskommune {seed}"',
        f'ags = "0{rng.randint(1, 10 ** (ags_laenge - 1) - 1):0{ags_laenge - 1}d}"',
        f'crs = "{CRS}"',
        'daten = "."',
        'katalog = "katalog.csv"',
    ]
    if rng.random() < 0.5:
        kopf.append(f'standard_ebene = "{rng.choice(b.ebenen)}"')
    kopf.append('\n[[quelle]]\nid = "test"\ntitel = "Zufallsdaten"\nlizenz = "CC0 1.0"\nnamensnennung = "Tests"\n')
    toml = "\n".join(kopf) + "\n" + "\n".join(ebenen_toml) + "\n" + "\n".join(tabellen) + "\n" + angebote_toml
    toml += _versorgung(zusatz, b)
    toml += _register(random.Random(seed * 104729 + 3), b, ordner, breite, hoehe)
    toml += _gruppen(random.Random(seed * 15485863 + 5), b, ordner)
    (ordner / "kommune.toml").write_text(toml, encoding="utf-8")
    return b


def _register(rng: random.Random, b: Beschreibung, ordner: Path, breite: float, hoehe: float) -> str:
    """Manchmal ein Angebotsregister: 0–12 Angebote (Koordinaten oder nur Gebietsschlüssel), manchmal ohne Datei."""
    from kommune.angebotsregister import SPALTEN, register_csv

    art = rng.choice(["keins", "keins", "leer", "ohne_datei", "angebote"])
    if art == "keins":
        return ""
    zeilen = []
    for i in range(rng.randint(1, 12) if art == "angebote" else 0):
        p = gpd.GeoSeries([Point(X0 + rng.uniform(0.05, 0.6) * breite, Y0 + rng.uniform(0.05, 0.95) * hoehe)],
                          crs=CRS).to_crs("EPSG:4326").iloc[0]  # fmt: skip
        nur_gebiet = rng.random() < 0.3
        zeilen.append({s: "" for s in SPALTEN} | {
            "id": f"r{i}", "traeger_id": rng.choice(["t1", "t2", "t3"]), "traeger": "Träger", "name": f"Angebot {i}",
            "kategorie": rng.choice(["Sprachkurs", "Beratung"]), "zielgruppen": rng.choice(["", "Neuzugewanderte"]),
            "bestaetigt_am": f"202{rng.randint(3, 6)}-0{rng.randint(1, 9)}-15", "lage": "gebiet" if nur_gebiet else "",
            "gebiet": b.gebiete[b.ebenen[0]][0] if nur_gebiet else "",
            "lon": None if nur_gebiet else round(p.x, 6), "lat": None if nur_gebiet else round(p.y, 6),
            "alter_von": None, "alter_bis": None, "kapazitaet": None,
        })  # fmt: skip
    import pandas as pd

    if art != "ohne_datei":
        (ordner / "register.csv").write_bytes(register_csv(pd.DataFrame(zeilen, columns=list(SPALTEN))))
    b.register = len(zeilen)
    return '\n[angebotsregister]\ndatei = "register.csv"\nmonate = 6\n'



def _gruppen(rng: random.Random, b: Beschreibung, ordner: Path) -> str:
    """Manchmal Gruppen: Einwohner nach Geschlecht (ergeben die Einwohner) und die Quote nach Migrationshintergrund
    (Anteile; manchmal nur eine Gruppe im Katalog). Schreibt gruppen.csv und ergänzt den Katalog um die Gruppenspalten.
    """
    if rng.random() < 0.5:
        return ""
    fein = b.ebenen[0]
    katalog = (ordner / "katalog.csv").read_text(encoding="utf-8").splitlines()
    katalog = [katalog[0] + ";basis;merkmal;auspraegung", *(z + ";;;" for z in katalog[1:])]
    katalog += [
        f"einwohner__geschlecht_w;;;Personen;anzahl;;;;0;Rahmenbedingungen;test;;{fein};nein;;einwohner;geschlecht;w",
        f"einwohner__geschlecht_m;;;Personen;anzahl;;;;0;Rahmenbedingungen;test;;{fein};nein;;einwohner;geschlecht;m",
        f"quote__migration_mit;;;%;anteil;;;;-1;frühkindliche Bildung;test;;{fein};nein;;quote;migration;mit",
    ]
    if rng.random() < 0.6:
        katalog.append(
            f"quote__migration_ohne;;;%;anteil;;;;-1;frühkindliche Bildung;test;;{fein};nein;;quote;migration;ohne"
        )
    (ordner / "katalog.csv").write_text("\n".join(katalog) + "\n", encoding="utf-8")
    einwohner = {}
    for z in (ordner / "werte.csv").read_text(encoding="utf-8").splitlines()[1:]:
        g, ind, periode, wert = z.split(";")[:4]
        if ind == "einwohner":
            einwohner[(g, periode)] = int(wert) if wert else None
    zeilen = ["gebiet_id;indikator;periode;wert;zaehler;nenner"]
    for (g, periode), ew in einwohner.items():
        w = None if ew is None else sum(rng.random() < 0.51 for _ in range(ew))  # Summe w + m = Einwohner
        if w is not None or rng.random() < 0.5:
            zeilen.append(f"{g};einwohner__geschlecht_w;{periode};{'' if w is None else w};;")
            zeilen.append(f"{g};einwohner__geschlecht_m;{periode};{'' if w is None else ew - w};;")
        if rng.random() < 0.9:
            zeilen.append(f"{g};quote__migration_mit;{periode};{_zahl(rng.uniform(5, 90))};;")
        zeilen.append(f"{g};quote__migration_ohne;{periode};{_zahl(rng.uniform(5, 90))};;")
    if not any(z.startswith("quote__migration_ohne;") for z in katalog):
        zeilen = [z for z in zeilen if ";quote__migration_ohne;" not in z]
    (ordner / "gruppen.csv").write_text("\n".join(zeilen) + "\n", encoding="utf-8")
    b.gruppen = ["geschlecht", "migration"]
    return (
        f'\n[[indikatoren]]\ndatei = "gruppen.csv"\nebene = "{fein}"\nquelle = "test"\n'
        '\n[[merkmal]]\nid = "geschlecht"\nname = "Geschlecht"\nauspraegungen = ["w", "m"]\n'
        'namen = { w = "weiblich", m = "männlich" }\nsumme = true\n'
        '\n[[merkmal]]\nid = "migration"\nname = "Migrationshintergrund"\nauspraegungen = ["mit", "ohne"]\n'
        'namen = { mit = "mit Migrationshintergrund", ohne = "ohne Migrationshintergrund" }\nsumme = true\n'
    )


def _zahl(x: float | None) -> str:
    """Deutsches Zahlformat, leer für fehlende Werte."""
    if x is None:
        return ""
    return str(round(x, 3)).replace(".", ",")


def _indikatoren(rng: random.Random, b: Beschreibung, fein: str) -> tuple[str, str]:
    """Katalog und lange Wertetabelle der feinsten Ebene (mit Lücken, Kleinstgebieten, sensiblen Werten)."""
    hze_sensibel = "ja"
    katalog = [
        KATALOG_KOPF,
        f"einwohner;Einwohner;Einwohner;Personen;anzahl;;;;0;Rahmenbedingungen;test;31.12.2024;{fein};nein;",
        f"kinder_u6;Kinder unter 6;Kinder unter 6 Jahren;Personen;anzahl;;;;0;Rahmenbedingungen;test;;{fein};nein;",
        f"kinder_u15;Kinder unter 15;Kinder;Personen;anzahl;;;;0;Rahmenbedingungen;test;;{fein};nein;",
        f"sgb2;Kinder in SGB II;Kinder in BG;Personen;anzahl;;;;1;Rahmenbedingungen;test;;{fein};nein;",
        f"kinderarmut;Kinderarmut;Anteil;%;anteil;sgb2;kinder_u15;;1;Rahmenbedingungen;test;;{fein};nein;",
        f"quote;Betreuungsquote;gewichtet;%;anteil;;;kinder_u6;-1;frühkindliche Bildung;test;;{fein};nein;",
        f"hze;Hilfen zur Erziehung;Fälle;Fälle;anzahl;;;;1;Rahmenbedingungen;test;;{fein};{hze_sensibel};",
    ]
    zeilen = ["gebiet_id;indikator;periode;wert;zaehler;nenner"]
    gebiete = b.gebiete[fein]
    klein = set(rng.sample(gebiete, k=min(len(gebiete), rng.randint(0, 2))))
    b.klein = sorted(klein)
    for periode in b.perioden:
        for g in gebiete:
            ew = rng.randint(20, 290) if g in klein else rng.randint(300, 9000)
            u15 = int(ew * rng.uniform(0.08, 0.2))
            u6 = int(u15 * rng.uniform(0.3, 0.5))
            sgb2 = int(u15 * rng.uniform(0.0, 0.4))
            werte = {
                "einwohner": (ew, None, None),
                "kinder_u6": (u6, None, None),
                "kinder_u15": (u15, None, None),
                "sgb2": (sgb2, None, None),
                "kinderarmut": (100 * sgb2 / u15 if u15 else None, sgb2, u15),
                "quote": (rng.uniform(20, 95), None, None),
                "hze": (rng.randint(0, 12), None, None),
            }
            for ind, (w, z, n) in werte.items():
                if ind != "einwohner" and rng.random() < 0.08:
                    continue  # fehlende Zeile
                text_w = "" if (w is not None and rng.random() < 0.04) else _zahl(w)  # leerer Wert
                zeilen.append(f"{g};{ind};{periode};{text_w};{_zahl(z)};{_zahl(n)}")
    return "\n".join(katalog) + "\n", "\n".join(zeilen) + "\n"


def _versorgung(zusatz: random.Random, b: Beschreibung) -> str:
    """Mal `[bevoelkerung]`, mal nicht; je Kategorie mal eine `[[versorgung]]` (Plätze nur mit Kapazitätsspalte)."""
    teile = []
    if zusatz.random() < 0.5:
        teile.append('\n[bevoelkerung]\nindikator = "einwohner"\n')
        b.bevoelkerung = True
    for n, kat in enumerate(b.kategorien):
        if zusatz.random() < 0.4:
            continue
        menge = "kapazitaet" if kat in b.kapazitaet and zusatz.random() < 0.7 else "anzahl"
        formel = zusatz.choice(list(ZIELGRUPPEN))
        je = zusatz.choice([100, 1000, 100_000])
        vid = f"versorgung_{n}"
        einheit = "Plätze" if menge == "kapazitaet" else kat
        teile.append(
            f'\n[[versorgung]]\nid = "{vid}"\nname = "{einheit} je {je} {ZIELGRUPPEN[formel]} ({kat})"\n'
            f'kategorie = "{kat}"\nmenge = "{menge}"\nzielgruppe = "{formel}"\n'
            f'zielgruppe_name = "{ZIELGRUPPEN[formel]}"\nje = {je}\n'
        )
        b.versorgung.append(vid)
    return "".join(teile)


def _angebote(
    rng: random.Random, b: Beschreibung, ordner: Path, breite: float, hoehe: float, zusatz: random.Random
) -> str:
    """0–4 Angebotskategorien; Punkte nur in einem Teil der Fläche (Gebiete ohne Angebot), auch leere.

    `zusatz` würfelt das Umland: manche Quellen haben `umland_m` und Standorte knapp östlich des Rahmens,
    manche einen Standort weit draußen (wird benannt und nicht übernommen).
    """
    kategorien = rng.sample(KATEGORIEN, rng.randint(0, 4))
    if not kategorien:
        return ""
    zeilen: list[dict] = []
    punkte = []
    toml = []
    for kat, stufe, von, bis in kategorien:
        anzahl = rng.choice([0, 1, 2, 5, 9])
        anteil = rng.uniform(0.3, 1.0)  # nur der linke Teil der Fläche hat Angebote
        for i in range(anzahl):
            punkte.append(Point(X0 + rng.uniform(0.01, anteil) * breite, Y0 + rng.uniform(0.01, 0.99) * hoehe))
            zeilen.append(
                {"id": f"{kat[:3]}{i}", "typ": kat, "name": f"{kat} {i + 1}", "plaetze": float(rng.randint(10, 120))}
            )
        mit_kapazitaet = rng.random() < 0.6
        kapazitaet = 'kapazitaet_spalte = "plaetze"\n' if mit_kapazitaet else ""
        alter = f"alter_von = {von}\nalter_bis = {bis}\n" if von is not None else ""
        umland = ""
        art = zusatz.choice(["keins", "keins", "umland", "weit"])
        if art != "keins":
            for i in range(zusatz.randint(1, 2)):  # Umland: 50–400 m östlich des Rahmens; weit: 5 km
                abstand = zusatz.uniform(50, 400) if art == "umland" else 5000.0
                punkte.append(Point(X0 + breite + abstand, Y0 + zusatz.uniform(0.1, 0.9) * hoehe))
                zeilen.append({"id": f"{kat[:3]}U{i}", "typ": kat, "name": f"{kat} Nachbarort {i + 1}",
                               "plaetze": float(zusatz.randint(10, 120))})  # fmt: skip
                b.umland += art == "umland"
            umland = "umland_m = 500\n" if art == "umland" else ""
        toml.append(
            f'[[angebote]]\nkategorie = "{kat}"\nbildungsstufe = "{stufe}"\ndatei = "angebote.gpkg"\n'
            f'layer = "angebote"\nfilter = {{ spalte = "typ", werte = ["{kat}"] }}\nid_spalte = "id"\n'
            f'name_spalte = "name"\n{kapazitaet}{alter}{umland}stand = "01.09.2024"\nquelle = "test"\n'
        )
        b.kategorien.append(kat)
        if mit_kapazitaet:
            b.kapazitaet.append(kat)
    if not zeilen:  # eine Schicht ohne einen einzigen Standort der genannten Kategorien
        zeilen.append({"id": "x0", "typ": "sonstiges", "name": "Sonstiges", "plaetze": 1.0})
        punkte.append(Point(X0 + 10, Y0 + 10))
    gdf = gpd.GeoDataFrame(
        {k: [z[k] for z in zeilen] for k in ("id", "typ", "name", "plaetze")}, geometry=punkte, crs=CRS
    )
    gdf.to_file(ordner / "angebote.gpkg", layer="angebote", engine="pyogrio")
    return "\n".join(toml)

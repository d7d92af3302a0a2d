"""Erzeugt den synthetischen Beispiel-Landkreis „Musterkreis“ – deterministisch (fester Seed).

Aufruf: ``python sample_data/generate_musterkreis.py [Zielordner]``. Schreibt ``kommune.toml``,
``katalog.csv``, ``geometrie.gpkg``, ``angebote.gpkg``, ``indikatoren.csv``, ``bevoelkerung_1km.csv``,
``presets/sozialindex.toml`` und ``sitzungen/jugendhilfeausschuss.toml`` nach ``sample_data/musterkreis/`` (Format:
docs/kommune-format.md). Alle Gebiete, Namen und Werte sind frei erfunden (CC0 1.0).

``bevoelkerung_1km.csv`` ist ein Bevölkerungsgitter im Format des Zensus 2022 (1-km-Zellen in EPSG:3035, leere
Zellen fehlen): Die Einwohner jeder Gemeinde sind um ihren Ortskern gehäuft. Die Erreichbarkeit verteilt die
Menschen danach (``[erreichbarkeit]``), statt gleichmäßig über Wald und Feld.

Ebenen: Gemeinde (12-stelliger, ARS-artiger Schlüssel „07399…“) → Verbandsgemeinde bzw. verbandsfreie
Gemeinde (die ersten 9 Stellen) → Kreis (5 Stellen). Gemeinden und Grundschulsprengel sind Voronoi-Zellen
zweier Punktmengen auf einem gemeinsamen Liniennetz (Helfer aus ``generate_musterstadt.py``); die Sprengel
kreuzen daher die Gemeindegrenzen. Orte liegen mindestens 3 km auseinander, Angebote gibt es nur in einem
Teil der Gemeinden.
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from angebotsregister_muster import main as register_schreiben
from angebotsregister_muster import toml_zeilen as register_toml
from generate_musterstadt import (
    BEVOELKERUNG,
    EVANGELISCH,
    FANTASIE,
    HEILIGE,
    KATALOG_SPALTEN,
    RASTER,
    bereinigen,
    csv_schreiben,
    einzelabschnitt,
    gruppen_schreiben,
    kmeans_keime,
    nachbarn,
    regionen_wachsen,
    tabellen_und_angebote,
    toml_abschnitte,
    vereinigen,
    wert,
    zahl,
    zerlegung,
    zufallspunkt,
)
from generate_musterstadt import katalog_zeilen as _katalog_zeilen
from generate_musterstadt import teilnahme_abschnitte as _teilnahme_abschnitte
from gruppen_muster import KACHEL_LUECKE, gruppen_erzeugen, katalog_ergaenzen
from gruppen_muster import toml_fuer as gruppen_toml
from uebergaenge_muster import abschnitte as uebergaenge_abschnitte
from uebergaenge_muster import schreiben as uebergaenge_schreiben

ZIEL = Path(__file__).resolve().parent / "musterkreis"
CRS = "EPSG:25832"
MITTE = np.array([402_500.0, 5_532_500.0])  # UTM 32N
KREIS = "07399"  # erfundener Kreisschlüssel (Land 07, Kreis 399)
SEED = 20241128
PERIODEN = ("2022", "2023", "2024")
N_GEMEINDEN, N_SPRENGEL, N_VG = 34, 13, 6
ABSTAND_ORTE, ABSTAND_SCHULEN = 3000.0, 5200.0  # Mindestabstände der Erzeugerpunkte in Metern
KREISSTADT = "Musterburg"
VORSILBEN = """Ahl Bir Ech Eller Ems Far Gel Hah Hein Hel Hor Kell Kirn Lan Lim Mar Mor Nen Ober Nie Rans Rod
Sal Schön Sel Stein Tal Wald Wei Wil Wolf Zell""".split()
NACHSILBEN = "bach heim hausen dorf weiler feld rod scheid born au".split()
#: Einheitsgemeinden außer der Kreisstadt (verbandsfrei, größer als die Ortsgemeinden)
N_VERBANDSFREI = 2
N_KLEIN = 4  # Gemeinden unter 300 Einwohnern
MINDEST_KITA = 650  # Einwohner, ab denen eine Gemeinde eine Kita hat
GITTER = "bevoelkerung_1km.csv"
ORTSKERN_STREUUNG = 700.0  # m: so weit streuen die Wohnorte einer Gemeinde um ihren Ortskern (Normalverteilung)
UMLAND_M = 2000.0  # Standorte bis so weit jenseits der Kreisgrenze zählen als Umland (nur für Entfernungen)
#: Angebote in Nachbarorten jenseits der Kreisgrenze (Typ, Name, Träger, Plätze, Alter, Abstand zur Grenze in m), je
#: vor einer Randgemeinde ohne eigenes Angebot dieses Typs, auf der Linie Kreismitte → Ortskern dieser Gemeinde
UMLAND = [("Kita", "Kita Wiesengrund Nachbarsdorf", "Gemeinde Nachbarsdorf", 60, (0, 6), 700.0),
          ("Grundschule", "Grundschule Nachbarsdorf", "Schulverband Nachbarsdorf", 160, (6, 10), 900.0),
          ("Kita", "Kath. Kita St. Georg Grenzhausen", "kath. Kirchengemeinde", 45, (0, 6), 500.0),
          ("Bibliothek", "Stadtbücherei Randstadt", "Stadt Randstadt", None, None, 1200.0)]
QUELLEN = {"statistik": "Statistisches Landesamt, Bevölkerungsfortschreibung", "ba": "Statistik der BA",
           "jugendamt": "Kreisjugendamt Musterkreis, Kita- und Jugendhilfestatistik",
           "gesundheitsamt": "Gesundheitsamt Musterkreis, Schuleingangsuntersuchung",
           "schulen": "Amtliche Schulstatistik", "angebote": "Standortverzeichnis Bildungsangebote Musterkreis"}
LIZENZ, NAMENSNENNUNG = "CC0 1.0", "Bildungsmonitor – Beispieldaten Musterkreis (synthetisch, CC0)"
# Quoten: Grundanteil, Steigung je SD Benachteiligung, Trend je Jahr (Logit-Skala)
QUOTEN = {"kinderarmut": (0.055, 0.50, -0.03), "sgb2_quote": (0.03, 0.45, -0.02),
          "auslaenderanteil": (0.06, 0.45, 0.06), "kita_quote_u3": (0.30, -0.30, 0.05),
          "kita_quote_3_6": (0.93, -0.30, 0.03), "sprachfoerderbedarf": (0.15, 0.50, 0.02),
          "gymnasialuebergang": (0.38, -0.45, 0.01)}
KATALOG = """
einwohner|Einwohnerinnen und Einwohner|Personen|anzahl||0|R|statistik|31.12.2024|nein
Zahl der Einwohnerinnen und Einwohner mit Hauptwohnsitz am Stichtag.
Mehrere Ortsgemeinden haben weniger als 300 Einwohner – Quoten sind dort nicht aussagekräftig.
einwohner_15_64|Einwohner 15 bis unter 65 Jahre|Personen|anzahl||0|R|statistik|31.12.2024|nein
Zahl der Einwohnerinnen und Einwohner im Alter von 15 bis unter 65 Jahren.
Bezugsgröße der SGB-II-Quote.
kinder_u3|Kinder unter 3 Jahren|Personen|anzahl||0|R|statistik|31.12.2024|nein
Zahl der Kinder unter 3 Jahren.
Zielgruppe der Krippenbetreuung – in kleinen Gemeinden oft nur eine Handvoll Kinder.
kinder_3_6|Kinder von 3 bis unter 6 Jahren|Personen|anzahl||0|R|statistik|31.12.2024|nein
Zahl der Kinder im Alter von 3 bis unter 6 Jahren.
Zielgruppe des Kindergartens und Bezugsgröße der Kitabesuchsquote.
kinder_u6|Kinder unter 6 Jahren|Personen|anzahl||0|R|statistik|31.12.2024|nein
Zahl der Kinder unter 6 Jahren.
Planungsgröße für Kitaplätze – Summe der Kinder unter 3 und von 3 bis unter 6 Jahren.
kinder_6_10|Kinder von 6 bis unter 10 Jahren|Personen|anzahl||0|R|statistik|31.12.2024|nein
Zahl der Kinder im Alter von 6 bis unter 10 Jahren.
Näherung für die Grundschulkinder – die Grundschulsprengel decken sich nicht mit den Gemeinden.
kinder_u15|Kinder unter 15 Jahren|Personen|anzahl||0|R|statistik|31.12.2024|nein
Zahl der Kinder unter 15 Jahren.
Nenner der Kinderarmutsquote.
kinder_sgb2|Kinder in SGB-II-Bedarfsgemeinschaften|Personen|anzahl||1|R|ba|31.12.2024|nein
Zahl der Kinder unter 15 Jahren in Bedarfsgemeinschaften nach dem SGB II.
Zähler der Kinderarmutsquote – kleine Werte unterliegen der Geheimhaltung der BA-Statistik.
kita_plaetze_genehmigt|Genehmigte Kitaplätze|Plätze|anzahl||-1|FK|jugendamt|01.03.2024|nein
Zahl der in der Betriebserlaubnis genehmigten Plätze der Kindertageseinrichtungen in der Gemeinde.
Gezählt am Standort der Kita – Kinder aus Nachbargemeinden ohne eigene Kita werden hier mitbetreut.
hze_faelle|Hilfen zur Erziehung|Fälle|anzahl||1|R|jugendamt|31.12.2024|ja
Zahl der am Stichtag laufenden Hilfen zur Erziehung (§§ 27–35 SGB VIII) für junge Menschen aus der Gemeinde.
Sehr kleine Fallzahlen: nur mit Geheimhaltung zeigen – in Dörfern sind Familien sonst erkennbar.
kinderarmut|Kinderarmut (SGB II)|%|anteil|kinder_sgb2/kinder_u15|1|R|ba|31.12.2024|nein
Anteil der Kinder unter 15 Jahren in SGB-II-Bedarfsgemeinschaften an allen Kindern unter 15 Jahren.
Im ländlichen Raum niedriger als in Städten – Unterschiede zwischen Kreisstadt und Dörfern beachten.
sgb2_quote|SGB-II-Quote|%|anteil|einwohner_15_64|1|R|ba|31.12.2024|nein
Anteil der erwerbsfähigen Leistungsberechtigten nach dem SGB II an der Bevölkerung von 15 bis unter 65 Jahren.
Beschreibt die soziale Lage der Erwachsenen und damit das Umfeld, in dem Kinder aufwachsen.
auslaenderanteil|Ausländeranteil|%|anteil|einwohner|0|R|statistik|31.12.2024|nein
Anteil der Einwohnerinnen und Einwohner ohne deutsche Staatsangehörigkeit an allen Einwohnern.
Kein Defizitmerkmal – Kontext für Sprachförderung, Elternarbeit und Integrationsangebote.
kita_quote_u3|Betreuungsquote unter 3|%|anteil|kinder_u3|-1|FK|jugendamt|01.03.2024|nein
Anteil der Kinder unter 3 Jahren in Kindertageseinrichtungen oder Kindertagespflege an allen Kindern unter 3.
Nach Wohnort der Kinder gezählt – auch Kinder, die eine Kita in der Nachbargemeinde besuchen.
kita_quote_3_6|Kitabesuchsquote 3 bis unter 6|%|anteil|kinder_3_6|-1|FK|jugendamt|01.03.2024|nein
Anteil der Kinder von 3 bis unter 6 Jahren in Kindertageseinrichtungen an allen Kindern dieser Altersgruppe.
Kinder ohne Kitabesuch vor der Einschulung erhalten seltener frühe Sprachförderung.
sprachfoerderbedarf|Sprachförderbedarf bei der Einschulung|%|anteil|kinder_3_6|1|FK|gesundheitsamt|31.07.2024|nein
Anteil der Kinder mit festgestelltem Sprachförderbedarf an allen Kindern der Schuleingangsuntersuchung.
Kleine Jahrgänge schwanken stark – für Dörfer mehrere Jahre oder die Verbandsgemeinde betrachten.
gymnasialuebergang|Übergang auf das Gymnasium|%|anteil|kinder_6_10|-1|AS|schulen|01.10.2024|nein
Anteil der Schülerinnen und Schüler der 4. Klassenstufe, die auf ein Gymnasium wechseln, an allen Wechselnden.
Gezählt nach Wohnort – lange Schulwege zum einzigen Gymnasium des Kreises senken die Quote in entfernten Orten.
"""
#: Cockpit-Kacheln (Ziele sind Beispiele, keine echten Beschlüsse)
KACHELN = [
    {"id": "kinderarmut", "titel": "Kinderarmut", "indikator": "kinderarmut", "ziel": 6.0,
     "ziel_richtung": "hoechstens", "ziel_quelle": "Beispiel: Kreistagsbeschluss 2023/12", "gelb_toleranz": 1.0},
    {"id": "kita_plaetze", "titel": "Kita-Plätze je 100 Kinder unter 6", "art": "versorgung",
     "indikator": "kita_plaetze", "ziel": 75.0, "ziel_richtung": "mindestens",
     "ziel_quelle": "Beispiel: Kita-Bedarfsplan 2024", "gelb_toleranz": 5.0},
    {"id": "kita_quote_u3", "titel": "Betreuungsquote unter 3", "indikator": "kita_quote_u3", "ziel": 35.0,
     "ziel_richtung": "mindestens", "ziel_quelle": "Beispiel: Jugendhilfeausschuss 2022/8", "gelb_toleranz": 2.0},
    {"id": "sozialindex_hoch", "titel": "Gemeinden mit hohem Sozialindex", "art": "anzahl_gebiete",
     "index": "sozialindex", "klasse": ["hoch", "sehr hoch"], "ebene": "gemeinde", "richtung": 1},
]
COCKPIT = {"titel": "Bildungscockpit Musterkreis", "ebene": "gemeinde", "indikator": "kinderarmut", "anzahl": 5}
SOZIALINDEX = {
    "id": "sozialindex", "name": "Sozialindex Musterkreis", "familie": "benachteiligung",
    "beschreibung": ("Belastungsindex der Gemeinden: Kinderarmut, SGB-II-Quote und Sprachförderbedarf, "
                     "z-standardisiert, gleich gewichtet; Gemeinden unter 300 Einwohnern werden nicht bewertet."),
    "quelle": "Bildungsmonitor, Beispiel für den synthetischen Musterkreis", "standardisierung": "z",
    "gewichtung": "manuell", "aggregation": "arithmetisch", "restandardisieren": True, "mindest_einwohner": 300.0,
    "bevoelkerung_indikator": "einwohner", "ebene": "gemeinde", "fehlwerte": "nicht_bewerten"}
KLASSIERUNG = {"methode": "sd", "schwellen": [-1.0, -0.5, 0.5, 1.0],
               "labels": ["sehr gering", "gering", "mittel", "hoch", "sehr hoch"], "farbschema": "YlOrRd"}


def katalog_zeilen() -> list[list[str]]:
    """Der Indikatorenkatalog des Musterkreises (Ebene Gemeinde)."""
    return _katalog_zeilen(KATALOG, "gemeinde")


def kreisumriss(rng: np.random.Generator) -> shapely.Geometry:
    """Unregelmäßiger Kreisumriss von etwa 28 km Durchmesser (gut 600 km²)."""
    winkel = np.linspace(0, 2 * np.pi, 120, endpoint=False)
    radius = np.full(winkel.size, 14_000.0) + rng.normal(0, 150, winkel.size)
    for k, amplitude in ((2, 1800), (3, 1200), (5, 600)):
        radius += amplitude * np.sin(k * winkel + rng.uniform(0, 2 * np.pi))
    xy = MITTE + np.column_stack([radius * np.cos(winkel), radius * np.sin(winkel)])
    return bereinigen(shapely.set_precision(shapely.Polygon(xy), RASTER))


def streuen(rng: np.random.Generator, flaeche: shapely.Geometry, anzahl: int, abstand: float) -> np.ndarray:
    """Gleichverteilte Zufallspunkte in der Fläche mit festem Mindestabstand (ländlich: kein Zentrum)."""
    x0, y0, x1, y1 = flaeche.bounds
    punkte = np.empty((0, 2))
    while len(punkte) < anzahl:
        p = rng.uniform([x0, y0], [x1, y1])
        if not shapely.contains_xy(flaeche.buffer(-500), *p):
            continue
        if len(punkte) and np.hypot(*(punkte - p).T).min() < abstand:
            continue
        punkte = np.vstack([punkte, p])
    return punkte


def gemeindenamen(rng: np.random.Generator, anzahl: int) -> list[str]:
    """Erfundene, eindeutige Ortsnamen aus Vor- und Nachsilben."""
    namen = sorted({f"{a}{b}" for a in VORSILBEN for b in NACHSILBEN})
    return [str(n) for n in rng.choice(namen, anzahl, replace=False)]


def gebiete_bauen(rng: np.random.Generator) -> tuple[dict[str, gpd.GeoDataFrame], np.ndarray]:
    """Gemeinden, Verbandsgemeinden, Kreis und Grundschulsprengel; dazu die Ortskerne der Gemeinden."""
    kreis = kreisumriss(rng)
    orte, schulorte = streuen(rng, kreis, N_GEMEINDEN, ABSTAND_ORTE), streuen(rng, kreis, N_SPRENGEL, ABSTAND_SCHULEN)
    gemeinden, sprengel = zerlegung(kreis, [orte, schulorte])
    namen = gemeindenamen(rng, N_GEMEINDEN)
    stadt = int(np.hypot(*(orte - MITTE).T).argmin())
    namen[stadt] = KREISSTADT
    frei = [stadt, *(int(i) for i in rng.choice([i for i in range(N_GEMEINDEN) if i != stadt], N_VERBANDSFREI,
                                                  replace=False))]
    rest = [i for i in range(N_GEMEINDEN) if i not in frei]
    nb = [{j for j in n if j in rest} for n in nachbarn(gemeinden)]
    keime = [rest[k] for k in kmeans_keime(orte[rest], N_VG, rng)]
    vg_label = regionen_wachsen(orte, nb, keime, 2500.0)
    nummer = {g: n + 1 for n, g in enumerate(sorted(range(N_GEMEINDEN), key=lambda g: namen[g]))}
    verband: dict[int, str] = {}
    vg_namen: dict[str, str] = {}
    for v in range(N_VG):  # Verbandsgemeinden 5001 …; ihre Namen (nach dem Sitz) vergibt `sitze_benennen`
        for g in np.flatnonzero(vg_label == v):
            verband[int(g)] = f"{KREIS}50{v + 1:02d}"
    for g in range(N_GEMEINDEN):
        if g not in verband:  # verbandsfrei (auch Gemeinden, die keine Verbandsgemeinde erreicht hat)
            verband[g] = f"{KREIS}0{nummer[g]:03d}"
            vg_namen[verband[g]] = namen[g] if g != stadt else f"{namen[g]}, Stadt"
    for v in range(N_VG):
        vg_namen[f"{KREIS}50{v + 1:02d}"] = ""
    ids = [f"{verband[g]}{nummer[g]:03d}" for g in range(N_GEMEINDEN)]
    vg_ids = sorted(vg_namen)
    vg_index = np.array([vg_ids.index(verband[g]) for g in range(N_GEMEINDEN)])
    zs = shapely.get_coordinates(shapely.centroid(np.array(sprengel, dtype=object)))
    ordnung = sorted(range(N_SPRENGEL), key=lambda s: (round(-zs[s, 1] / 6000), zs[s, 0]))
    gem = gpd.GeoDataFrame({"gemeinde_id": ids, "gemeinde_name": [f"{n}, Stadt" if g == stadt else n
                                                                  for g, n in enumerate(namen)],
                            "verbandsgemeinde_id": [verband[g] for g in range(N_GEMEINDEN)],
                            "ort": [shapely.Point(*p) for p in orte]}, geometry=gemeinden, crs=CRS)
    ebenen = {
        "gemeinde": gem,
        "verbandsgemeinde": gpd.GeoDataFrame(
            {"verbandsgemeinde_id": vg_ids, "verbandsgemeinde_name": [vg_namen[v] for v in vg_ids],
             "kreis_id": KREIS}, geometry=vereinigen(gemeinden, vg_index), crs=CRS),
        "kreis": gpd.GeoDataFrame({"kreis_id": [KREIS], "kreis_name": ["Musterkreis"]}, geometry=[kreis], crs=CRS),
        "sprengel": gpd.GeoDataFrame({"sprengel_id": [f"GS{n + 1:02d}" for n in range(N_SPRENGEL)],
                                      "sprengel_name": ""}, geometry=[sprengel[s] for s in ordnung], crs=CRS),
    }
    ebenen = {k: g.sort_values(g.columns[0], ignore_index=True) for k, g in ebenen.items()}
    orte_sortiert = shapely.get_coordinates(ebenen["gemeinde"].pop("ort").to_numpy())
    return ebenen, orte_sortiert


def einwohner_start(rng: np.random.Generator, gemeinden: gpd.GeoDataFrame) -> np.ndarray:
    """Einwohner 2022: Kreisstadt gut 16.000, verbandsfreie Gemeinden einige Tausend, Dörfer ab gut 100."""
    n = len(gemeinden)
    ew = np.clip(rng.lognormal(np.log(1300), 0.75, n), 320, 6000)
    frei = gemeinden["verbandsgemeinde_id"].str[5] == "0"
    ew[frei.to_numpy()] = rng.uniform(4500, 8500, frei.sum())
    stadt = gemeinden["gemeinde_name"].str.startswith(KREISSTADT).to_numpy()
    ew[stadt] = 16_400
    klein = rng.choice(np.flatnonzero(~frei.to_numpy()), N_KLEIN, replace=False)
    ew[klein] = rng.integers(110, 280, N_KLEIN)
    return np.round(ew)


def sitze_benennen(ebenen: dict[str, gpd.GeoDataFrame], ew: np.ndarray) -> None:
    """Jede Verbandsgemeinde heißt nach ihrem Sitz, der einwohnerstärksten Ortsgemeinde."""
    gem, vg = ebenen["gemeinde"], ebenen["verbandsgemeinde"]
    for i, vid in enumerate(vg["verbandsgemeinde_id"]):
        if not vg.at[i, "verbandsgemeinde_name"]:
            eigene = np.flatnonzero(gem["verbandsgemeinde_id"] == vid)
            sitz = gem["gemeinde_name"].iat[eigene[ew[eigene].argmax()]]
            vg.at[i, "verbandsgemeinde_name"] = f"Verbandsgemeinde {sitz}"


def indikatoren_erzeugen(gemeinden: gpd.GeoDataFrame, ew0: np.ndarray, plaetze: np.ndarray, ids: list[str],
                         rng: np.random.Generator) -> pd.DataFrame:
    """Zählgrößen und Quoten (mit Zähler und Nenner) je Gemeinde und Periode im Langformat."""
    n = len(gemeinden)
    z = rng.normal(0, 0.6, n) + 0.2 * np.log(ew0 / 1300)  # größere Orte: etwas mehr Belastung
    z = (z - z.mean()) / z.std()
    eigen = {q: rng.normal(0, 0.2, n) for q in QUOTEN}
    wachstum = rng.normal(-0.001, 0.006, n)
    kinderfaktor = rng.lognormal(0, 0.12, n)
    anteile = {"u3": 0.027, "3_6": 0.028, "6_10": 0.037, "10_15": 0.046}
    teile = []
    for t, periode in enumerate(PERIODEN):
        ew = np.round(ew0 * (1 + wachstum) ** t).astype(int)
        k = {a: rng.binomial(ew, np.clip(p * kinderfaktor, 0, 0.2)) for a, p in anteile.items()}
        u15 = k["u3"] + k["3_6"] + k["6_10"] + k["10_15"]
        w = {"einwohner": ew, "einwohner_15_64": rng.binomial(ew - u15, 0.76), "kinder_u3": k["u3"],
             "kinder_3_6": k["3_6"], "kinder_u6": k["u3"] + k["3_6"], "kinder_6_10": k["6_10"], "kinder_u15": u15,
             "kita_plaetze_genehmigt": np.round(plaetze * (0.94 + 0.03 * t)).astype(int)}
        nenner = {"kinderarmut": u15, "sgb2_quote": w["einwohner_15_64"], "auslaenderanteil": ew,
                  "kita_quote_u3": k["u3"], "kita_quote_3_6": k["3_6"],
                  "sprachfoerderbedarf": rng.binomial(k["3_6"], 0.33),  # untersuchte Schulanfänger
                  "gymnasialuebergang": rng.binomial(k["6_10"], 0.25)}  # 4. Klassenstufe
        zaehler = {}
        for ind, nen in nenner.items():
            basis, steigung, trend = QUOTEN[ind]
            logit = np.log(basis / (1 - basis)) + steigung * z + eigen[ind] + trend * t + rng.normal(0, 0.08, n)
            zaehler[ind] = rng.binomial(nen, 1 / (1 + np.exp(-logit)))
        w["kinder_sgb2"] = zaehler["kinderarmut"]
        w["hze_faelle"] = rng.poisson(u15 * 0.008 * np.exp(0.5 * z))
        for ind in ids:
            zn = (zaehler[ind], nenner[ind]) if ind in nenner else (None, None)
            wert = w[ind].astype(float) if ind in w else np.where(zn[1] > 0, 100 * zn[0] / np.maximum(zn[1], 1), np.nan)
            teile.append(pd.DataFrame({"gebiet_id": gemeinden["gemeinde_id"], "indikator": ind, "periode": periode,
                                       "wert": wert, "zaehler": zn[0], "nenner": zn[1], "ganzzahl": ind in w}))
    return pd.concat(teile, ignore_index=True)


def nahe(ort: np.ndarray, flaeche: shapely.Geometry, rng: np.random.Generator,
         streuung: float = 350.0) -> shapely.Point:
    """Ein Punkt im Ortskern (Normalverteilung um ``ort``), der in der Fläche liegt; sonst irgendwo darin."""
    for _ in range(50):
        x, y = ort + rng.normal(0, streuung, 2)
        if shapely.contains_xy(flaeche, x, y):
            return shapely.Point(round(x, 1), round(y, 1))
    return zufallspunkt(flaeche, rng)


def angebote_erzeugen(ebenen: dict[str, gpd.GeoDataFrame], orte: np.ndarray, ew: np.ndarray,
                      rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Kitas, Grundschulen, weiterführende Schulen, Jugendtreffs, Büchereien und die Kreisvolkshochschule."""
    gem, sprengel = ebenen["gemeinde"], ebenen["sprengel"]
    ort_name = gem["gemeinde_name"].str.replace(", Stadt", "").to_numpy()
    plz = {g: f"5{6000 + 10 * i:04d}" for i, g in enumerate(gem["verbandsgemeinde_id"].unique())}
    zeilen: list[dict] = []

    def neu(kuerzel: str, typ: str, name: str, traeger: str, g: int, punkt: shapely.Point,
            plaetze: int | None = None, alter: tuple[int, int] | None = None) -> str:
        nummer = sum(r["id"].startswith(kuerzel + "-") for r in zeilen) + 1
        vorhanden = {r["name"] for r in zeilen}
        name = next(k for k in [name, *(f"{name} {r}" for r in ("II", "III", "IV"))] if k not in vorhanden)
        zeilen.append({"id": f"{kuerzel}-{nummer:03d}", "typ": typ, "name": name, "traeger": traeger,
                       "plaetze": plaetze, "strasse": f"{rng.choice(['Haupt', 'Schul', 'Kirch', 'Garten'])}straße "
                                                      f"{rng.integers(1, 60)}",
                       "plz": plz[gem["verbandsgemeinde_id"].iat[g]], "alter_von": alter and alter[0],
                       "alter_bis": alter and alter[1], "geometry": punkt})
        return name

    u6 = np.round(ew * 0.055)
    for g in np.flatnonzero(ew >= MINDEST_KITA):
        anzahl = max(1, int(np.round(u6[g] / 75)))
        for _ in range(anzahl):
            art = int(rng.integers(4))
            traeger, name = [("Gemeinde", f"Kita {rng.choice(FANTASIE)}"),
                             ("kath. Kirchengemeinde", f"Kath. Kita St. {rng.choice(HEILIGE)}"),
                             ("ev. Kirchengemeinde", f"Ev. Kita {rng.choice(EVANGELISCH)}"),
                             ("Elterninitiative", f"Elterninitiative {rng.choice(FANTASIE)} e. V.")][art]
            plaetze = int(np.clip(round(u6[g] * 0.8 / anzahl / 5) * 5, 20, 125))
            neu("KITA", "Kita", f"{name} {ort_name[g]}", traeger, int(g), nahe(orte[g], gem.geometry.iat[g], rng),
                plaetze, (0, 6))
    zeilen[int(rng.integers(len(zeilen)))]["plaetze"] = None  # eine fehlende Platzzahl, wie in echten Verzeichnissen
    for s, flaeche in enumerate(sprengel.geometry):
        anteil = gem.geometry.intersection(flaeche).area.to_numpy()
        drin = np.flatnonzero(anteil > 1e6)
        g = int(drin[np.argmax(ew[drin])])
        teil = bereinigen(gem.geometry.iat[g].intersection(flaeche))
        name = neu("GS", "Grundschule", f"Grundschule {ort_name[g]}", "Schulverband", g, nahe(orte[g], teil, rng),
                   int(rng.integers(4, 13)) * 20, (6, 10))
        sprengel.loc[s, "sprengel_name"] = f"Grundschulsprengel {name.removeprefix('Grundschule ')}"
    gross = np.argsort(-ew)
    for typ, auswahl, schueler in (("Gymnasium", gross[:1], (900, 1200)), ("Realschule", gross[:2], (400, 650)),
                                   ("Mittelschule", gross[1:4], (200, 400))):
        for g in auswahl:
            neu("WS", typ, f"{typ} {ort_name[g]}", "Landkreis", int(g), nahe(orte[g], gem.geometry.iat[g], rng),
                int(rng.integers(*schueler)) // 10 * 10, (10, 19))
    kandidaten = np.flatnonzero(ew >= 1500)
    for g in rng.choice(kandidaten, min(9, len(kandidaten)), replace=False):
        neu("JFE", "Jugendfreizeiteinrichtung", f"Jugendtreff {ort_name[g]}",
            str(rng.choice(["Gemeinde", "Kreisjugendring", "ev. Jugend"])), int(g),
            nahe(orte[g], gem.geometry.iat[g], rng), None, (12, 27))
    for g in gross[:3]:
        name = f"Stadtbücherei {ort_name[g]}" if g == gross[0] else f"Gemeindebücherei {ort_name[g]}"
        neu("BIB", "Bibliothek", name, "Gemeinde", int(g), nahe(orte[g], gem.geometry.iat[g], rng))
    neu("VHS", "VHS", "Kreisvolkshochschule Musterkreis", "Landkreis", int(gross[0]),
        nahe(orte[gross[0]], gem.geometry.iat[gross[0]], rng))
    angebote = gpd.GeoDataFrame(zeilen, geometry="geometry", crs=CRS)
    return angebote.astype({"plaetze": "Int64", "alter_von": "Int64", "alter_bis": "Int64"})


def umland_erzeugen(ebenen: dict[str, gpd.GeoDataFrame], orte: np.ndarray,
                    angebote: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Wenige Angebote knapp jenseits der Kreisgrenze (ohne Zufall, die übrigen Dateien bleiben gleich)."""
    kreis, gem = ebenen["kreis"].geometry.iat[0], ebenen["gemeinde"]
    rand = np.argsort(-np.hypot(*(orte - MITTE).T))  # Gemeinden mit dem Ortskern am weitesten außen zuerst
    zeilen, vergeben = [], set()
    for n, (typ, name, traeger, plaetze, alter, abstand) in enumerate(UMLAND):
        eigene = angebote[angebote["typ"] == typ].geometry
        g = next(int(g) for g in rand if g not in vergeben and not eigene.within(gem.geometry.iat[g]).any())
        vergeben.add(g)
        richtung = (orte[g] - MITTE) / np.hypot(*(orte[g] - MITTE))
        strahl = shapely.LineString([MITTE, MITTE + richtung * 40_000])
        grenze = shapely.get_coordinates(strahl.intersection(kreis.exterior)).max(axis=0, initial=-np.inf)
        x, y = np.round(MITTE + richtung * (np.hypot(*(grenze - MITTE)) + abstand), 1)
        zeilen.append({"id": f"UMLAND-{n + 1:02d}", "typ": typ, "name": name, "traeger": traeger, "plaetze": plaetze,
                       "strasse": "Grenzweg 1", "plz": "57999", "alter_von": alter and alter[0],
                       "alter_bis": alter and alter[1], "geometry": shapely.Point(x, y)})
    umland = gpd.GeoDataFrame(zeilen, geometry="geometry", crs=CRS)
    return umland.astype({"plaetze": "Int64", "alter_von": "Int64", "alter_bis": "Int64"})


def bevoelkerungsgitter(gemeinden: gpd.GeoDataFrame, orte: np.ndarray, ew: np.ndarray) -> list[list[str]]:
    """1-km-Zellen (EPSG:3035) mit den Einwohnern um die Ortskerne (ohne Zufall): Zeilen der Gitter-CSV."""
    from pyproj import Transformer

    nach_laea = Transformer.from_crs(CRS, "EPSG:3035", always_xy=True)
    zellen: dict[tuple[int, int], float] = {}
    for g, flaeche in enumerate(gemeinden.geometry):
        x0, y0, x1, y1 = flaeche.bounds
        xs, ys = np.meshgrid(np.arange(x0 + 50, x1, 100.0), np.arange(y0 + 50, y1, 100.0))
        innen = shapely.contains_xy(flaeche, xs, ys)
        px, py = xs[innen], ys[innen]
        dichte = np.exp(-((px - orte[g, 0]) ** 2 + (py - orte[g, 1]) ** 2) / (2 * ORTSKERN_STREUUNG**2))
        lx, ly = nach_laea.transform(px, py)
        for k, w in zip(zip(np.floor(lx / 1000).astype(int), np.floor(ly / 1000).astype(int), strict=True),
                        dichte / dichte.sum() * ew[g], strict=True):
            zellen[k] = zellen.get(k, 0.0) + float(w)
    zeilen = []
    for (kx, ky), einwohner in sorted(zellen.items()):
        if round(einwohner) >= 3:  # wie beim Zensus fehlen leere Zellen; Kleinstwerte entfallen
            zeilen.append([f"CRS3035RES1000mN{ky * 1000}E{kx * 1000}", str(kx * 1000 + 500), str(ky * 1000 + 500),
                           str(round(einwohner))])
    return zeilen


def toml_text() -> str:
    """Der Inhalt der kommune.toml (Schlüssel wie in docs/kommune-format.md)."""
    kopf = {"name": "Musterkreis", "ags": KREIS, "crs": CRS, "daten": ".", "katalog": "katalog.csv",
            "standard_ebene": "gemeinde", "gesamtgebiet": "Landkreis Musterkreis", "grenze": "Kreisgrenze"}
    abschnitte = [("quelle", {"id": q, "titel": f"{t} (synthetisch)", "lizenz": LIZENZ,
                              "namensnennung": NAMENSNENNUNG, "url": ""}) for q, t in QUELLEN.items()]
    for eid, name, eltern in (("gemeinde", "Gemeinde", "verbandsgemeinde"),
                              ("verbandsgemeinde", "Verbandsgemeinde", "kreis"), ("kreis", "Landkreis", None)):
        abschnitte.append(("ebene", {
            "id": eid, "name": name, "datei": "geometrie.gpkg", "layer": eid, "id_spalte": f"{eid}_id",
            "name_spalte": f"{eid}_name", "eltern": eltern, "eltern_spalte": eltern and f"{eltern}_id",
            "stand": "01.01.2024", "quelle": "statistik"}))
    abschnitte.append(("einzugsbereich", {
        "id": "sprengel", "name": "Grundschulsprengel", "datei": "geometrie.gpkg", "layer": "sprengel",
        "id_spalte": "sprengel_id", "name_spalte": "sprengel_name", "stand": "Schuljahr 2024/25",
        "quelle": "schulen"}))
    abschnitte += tabellen_und_angebote("gemeinde", UMLAND_M)
    abschnitte += [("kachel", k) for k in KACHELN]
    abschnitte += gruppen_toml("gemeinde")
    abschnitte += uebergaenge_abschnitte("gemeinde", kachel=True)
    abschnitte.append(("kachel", KACHEL_LUECKE))
    zeilen = toml_abschnitte(kopf, abschnitte, "# Synthetischer Beispiel-Landkreis, erzeugt von "
                             "sample_data/generate_musterkreis.py – nicht von Hand bearbeiten.")
    erreichbarkeit = {"verteilung": "raster", "raster": GITTER, "spalte": "Einwohner"}
    zeilen += einzelabschnitt("bevoelkerung", BEVOELKERUNG) + einzelabschnitt("erreichbarkeit", erreichbarkeit)
    zeilen += einzelabschnitt("cockpit", COCKPIT)
    zeilen += teilnahme_abschnitte()
    zeilen += register_toml("Musterkreis")
    return "\n".join(zeilen) + "\n"


# Reichweite des Ferienprogramms (Issue 14): eigener Zufall, damit alle übrigen Dateien gleich bleiben
TEILNAHME_DATEI = "teilnahme_ferienprogramm.csv"
TEILNAHME_KATALOG = """
teilnehmende_ferienprogramm|Teilnehmende am Ferienprogramm|Personen|anzahl||0|NF|statistik|31.12.2024|nein
Zahl der Kinder von 6 bis unter 10 Jahren mit mindestens einer Teilnahme am Ferienprogramm des Kreisjugendrings.
Lieferung der Statistikstelle aus den Anmeldungen (abgeschottet, nur Anzahlen je Gemeinde) – keine Einzeldaten.
"""


def teilnahme_zeilen(werte: pd.DataFrame) -> list[list]:
    """Teilnehmende am Ferienprogramm der letzten zwei Perioden: in Gemeinden mit hoher Kinderarmut weniger."""
    rng = np.random.default_rng(SEED + 14)
    zeilen = []
    for periode in PERIODEN[-2:]:
        w = werte[werte["periode"] == periode].pivot(index="gebiet_id", columns="indikator", values="wert")
        armut = w["kinderarmut"].fillna(w["kinderarmut"].median())
        z = ((armut - armut.mean()) / armut.std()).to_numpy()
        logit = np.log(0.24 / 0.76) - 0.45 * z + rng.normal(0, 0.15, len(w))
        kinder = w["kinder_6_10"].fillna(0).astype(int).to_numpy()
        teilnehmende = rng.binomial(kinder, 1 / (1 + np.exp(-logit)))
        zeilen += [[g, "teilnehmende_ferienprogramm", periode, str(int(t))] for g, t in zip(w.index, teilnehmende,
                                                                                             strict=True)]
    return zeilen


def teilnahme_abschnitte() -> list[str]:
    """Teilnahme-Lieferung und [[reichweite]] (Zielgruppe: Kinder von 6 bis unter 10, Klassen: Sozialindex)."""
    zeilen = _teilnahme_abschnitte("gemeinde")
    return [z.replace('"kinder_6_12"', '"kinder_6_10"').replace("6 bis unter 12", "6 bis unter 10") for z in zeilen]


def _toml_paare(eintrag: dict) -> list[tuple[str, str]]:
    """Schlüssel und TOML-Text der Werte eines Abschnitts."""
    return [(k, wert(v)) for k, v in eintrag.items() if v is not None]


def preset_text() -> str:
    """Das Index-Preset „sozialindex“ der Gemeinden (Ordner presets/ neben der kommune.toml)."""
    zeilen = toml_abschnitte(SOZIALINDEX, [], "# Erzeugt von sample_data/generate_musterkreis.py.")
    zeilen += ["", "[klassierung]", *(f"{k} = {w}" for k, w in _toml_paare(KLASSIERUNG))]
    for ind in ("kinderarmut", "sgb2_quote", "sprachfoerderbedarf"):
        zeilen += ["", "[[indikator]]", f'id = "{ind}"', "gewicht = 1.0", "richtung = 1"]
    return "\n".join(zeilen) + "\n"


def sitzung_text(werte: pd.DataFrame, gemeinden: gpd.GeoDataFrame) -> str:
    """Der Ablauf für den Jugendhilfeausschuss (Ordner sitzungen/ neben der kommune.toml)."""
    w = werte[(werte["periode"] == PERIODEN[-1])].pivot(index="gebiet_id", columns="indikator", values="wert")
    w = w[w["einwohner"] >= 300]
    arm = str(w["kinderarmut"].idxmax())
    name = gemeinden.set_index("gemeinde_id").at[arm, "gemeinde_name"]
    kopf = {"titel": "Jugendhilfeausschuss Musterkreis – Bildungsmonitoring 2024", "kommune": "musterkreis",
            "beschreibung": "Beispielfolge: Überblick, Kinderarmut, Sozialindex, eine Gemeinde im Profil, "
                            "Kita-Versorgung je Grundschulsprengel, Lücke zwischen Gruppen, Übergangsquote."}
    ansichten = [
        {"titel": "Überblick: Bildungscockpit", "seite": "cockpit",
         "text": "Die wichtigsten Kennzahlen des Kreises mit Ampel gegen die Ziele."},
        {"titel": "Kinderarmut je Gemeinde", "seite": "karte", "ebene": "gemeinde", "indikator": "kinderarmut",
         "periode": PERIODEN[-1], "text": "Gemeinden unter 300 Einwohnern sind geheim gehalten."},
        {"titel": "Sozialindex der Gemeinden", "seite": "index", "ebene": "gemeinde", "index": "sozialindex",
         "text": "Drei Indikatoren, gleich gewichtet; kleine Gemeinden werden nicht bewertet."},
        {"titel": f"Profil: {name}", "seite": "gebietsprofil", "ebene": "gemeinde", "gebiete": [arm],
         "text": "Die Gemeinde mit der höchsten Kinderarmut im Vergleich zum Kreis und zur Verbandsgemeinde."},
        {"titel": "Kita-Plätze je 100 Kinder unter 6 je Grundschulsprengel", "seite": "karte", "ebene": "sprengel",
         "indikator": "kita_plaetze", "text": "Die Sprengel kreuzen die Gemeindegrenzen; Kinder flächenanteilig."},
        {"titel": "Lücke zwischen Gruppen: Übertritt an das Gymnasium", "seite": "karte", "ebene": "verbandsgemeinde",
         "indikator": "gymnasialuebergang", "periode": PERIODEN[-1], "merkmal": "migration", "gruppe_a": "mit",
         "gruppe_b": "ohne", "mass": "differenz",
         "text": "Kinder mit minus Kinder ohne Migrationshintergrund, in Prozentpunkten; je Verbandsgemeinde, weil "
                 "die Gruppen je Gemeinde zu klein sind. Grau: eine Gruppe ist zu klein (Geheimhaltung)."},
        {"titel": "Übergangsquote: Grundschule → Gymnasium", "seite": "uebergaenge", "ebene": "verbandsgemeinde",
         "tabelle": "uebertritt", "von": "Grundschule", "nach": "Gymnasium",
         "text": "Anteil der Übertritte auf das Gymnasium an allen Übertritten nach der Grundschule."},
    ]
    return "\n".join(toml_abschnitte(kopf, [("ansicht", a) for a in ansichten],
                                     "# Erzeugt von sample_data/generate_musterkreis.py.")) + "\n"


def main(ziel: Path = ZIEL) -> None:
    """Erzeugt alle Dateien des Musterkreises neu (Standard: sample_data/musterkreis)."""
    rng = np.random.default_rng(SEED)
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2024-09-01T00:00:00.000Z"})  # feste GPKG-Zeitstempel
    katalog = katalog_zeilen()
    ebenen, orte = gebiete_bauen(rng)
    gem = ebenen["gemeinde"]
    ew0 = einwohner_start(rng, gem)
    sitze_benennen(ebenen, ew0)
    angebote = angebote_erzeugen(ebenen, orte, ew0, rng)
    kitas = angebote[angebote["typ"] == "Kita"]
    in_gemeinde = gpd.sjoin(kitas, gem[["gemeinde_id", "geometry"]], predicate="within")
    plaetze = in_gemeinde.groupby("gemeinde_id")["plaetze"].sum().reindex(gem["gemeinde_id"], fill_value=0)
    werte = indikatoren_erzeugen(gem, ew0, plaetze.to_numpy(dtype=float), [k[0] for k in katalog], rng)
    umland = umland_erzeugen(ebenen, orte, angebote)
    angebote = pd.concat([angebote, umland], ignore_index=True)
    for ordner in (ziel, ziel / "presets", ziel / "sitzungen"):
        ordner.mkdir(parents=True, exist_ok=True)
    for datei in ("geometrie.gpkg", "angebote.gpkg"):
        (ziel / datei).unlink(missing_ok=True)
    for layer, gdf in ebenen.items():
        gdf.to_file(ziel / "geometrie.gpkg", layer=layer, engine="pyogrio")
    angebote.to_file(ziel / "angebote.gpkg", layer="angebote", engine="pyogrio")
    csv_schreiben(ziel / "indikatoren.csv", ["gebiet_id", "indikator", "periode", "wert", "zaehler", "nenner"],
                  [[r.gebiet_id, r.indikator, r.periode, zahl(r.wert, r.ganzzahl), zahl(r.zaehler, True),
                    zahl(r.nenner, True)] for r in werte.itertuples()])
    katalog = katalog_ergaenzen(katalog, "gemeinde")
    csv_schreiben(ziel / "katalog.csv", KATALOG_SPALTEN, katalog + _katalog_zeilen(TEILNAHME_KATALOG, "gemeinde"))
    csv_schreiben(ziel / TEILNAHME_DATEI, ["gebiet_id", "indikator", "periode", "wert"], teilnahme_zeilen(werte))
    gruppen_schreiben(ziel, gruppen_erzeugen(werte, SEED + 21, 0.13, 0.22, [k[0] for k in katalog]))
    csv_schreiben(ziel / GITTER, ["GITTER_ID_1km", "x_mp_1km", "y_mp_1km", "Einwohner"],
                  bevoelkerungsgitter(gem, orte, ew0))
    (ziel / "kommune.toml").write_text(toml_text(), encoding="utf-8")
    uebergaenge_schreiben(ziel, werte, PERIODEN, ("Realschule", "Gesamtschule", "Förderschule"), SEED + 21)
    register_schreiben(ziel, "Musterkreis", "mk", "09998", "99998", SEED + 14, 60, nur_wo_angebote=True)
    (ziel / "presets" / "sozialindex.toml").write_text(preset_text(), encoding="utf-8")
    (ziel / "sitzungen" / "jugendhilfeausschuss.toml").write_text(sitzung_text(werte, gem), encoding="utf-8")
    einwohner = werte[(werte["indikator"] == "einwohner") & (werte["periode"] == PERIODEN[-1])]["wert"].sum()
    print(f"Musterkreis geschrieben nach {ziel}: {len(gem)} Gemeinden, {len(ebenen['verbandsgemeinde'])} "
          f"Verbandsgemeinden, {len(angebote)} Angebote (davon {len(umland)} jenseits der Kreisgrenze), "
          f"{int(einwohner)} Einwohner ({PERIODEN[-1]}).")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ZIEL)

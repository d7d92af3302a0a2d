"""Erzeugt die synthetische Beispielkommune „Musterstadt“ – deterministisch (fester Seed).

Aufruf: ``python sample_data/generate_musterstadt.py``. Schreibt ``kommune.toml``, ``katalog.csv``,
``geometrie.gpkg``, ``angebote.gpkg`` und ``indikatoren.csv`` nach ``sample_data/musterstadt/``
(Format: docs/kommune-format.md). Alle Gebiete, Namen und Werte sind frei erfunden (CC0 1.0).
Die Ordner ``presets/`` und ``sitzungen/`` daneben sind von Hand gepflegt; der Generator lässt sie unberührt.

Viertel und Grundschulbezirke sind Voronoi-Zellen zweier Punktmengen auf einem gemeinsamen, auf 0,1 m
verknoteten Liniennetz; Stadtteile und Stadtbezirke sind zusammenhängende Vereinigungen von Vierteln.
Ein räumlich glatter Benachteiligungsfaktor steuert alle Sozial- und Bildungsindikatoren.
"""

from __future__ import annotations

import csv
import heapq
import json
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from angebotsregister_muster import main as register_schreiben
from angebotsregister_muster import toml_zeilen as register_toml
from gruppen_muster import DATEI as GRUPPEN_DATEI
from gruppen_muster import gruppen_erzeugen, katalog_ergaenzen
from gruppen_muster import toml_fuer as gruppen_toml
from uebergaenge_muster import abschnitte as uebergaenge_abschnitte
from uebergaenge_muster import schreiben as uebergaenge_schreiben

ZIEL = Path(__file__).resolve().parent / "musterstadt"
CRS = "EPSG:25832"
MITTE = np.array([697_500.0, 5_337_500.0])  # UTM 32N, Oberbayern
RASTER = 0.1  # Koordinatengenauigkeit in Metern
SEED = 20240915  # gewählt für ausgewogene Stadtteil- und Bezirksgrößen
PERIODEN = ("2022", "2023", "2024")
N_VIERTEL, N_STADTTEILE, N_SCHULBEZIRKE = 110, 22, 32
STRAFE_TEIL, STRAFE_BEZIRK = 300.0, 200.0  # Meter je Viertel beim Regionenwachstum (Größenausgleich)
# Stadtbezirke: Mitte, dann Keime im Uhrzeigersinn ab Nord (Richtung in Grad, 0 = Ost, 90 = Nord)
BEZIRKE = {"Mitte": None, "Nord": 90, "Ost": 18, "Südost": 306, "Südwest": 234, "West": 162}

STADTTEILNAMEN = """Auenried Lindenhof Eichenau Rosenau Sonnenberg Wiesenfeld Kirchdorf Birkenhain Hochfeld
Bergheim Steinbühl Tannenhof Neustadt Schlossberg Kreuzwiesen Ahornfeld Erlengrund Weidenbach Holzhausen Oberau
Ziegelhof Brunnenthal Kastanienhain Talheim""".split()
VORSILBEN = """Linden Eichen Buchen Birken Ahorn Erlen Weiden Rosen Tannen Mühl Brunnen Anger Kirch Schloss Sonnen
Wiesen Berg Bach Sand Stein Fichten Holunder Kastanien Ulmen Flieder Hasel""".split()
NACHSILBEN = "hof feld au grund wiese garten winkel siedlung park hain".split()
AM_NAMEN = ["Am Mühlbach", "Am Anger", "Am Kirchberg", "Am Schlosspark", "An der Linde", "Am Weiher", "Im Winkel",
            "Am Stadtgraben", "An der Ziegelei", "Am Sonnenhang"]
ALTSTADTNAMEN = ["Marktplatz", "Domviertel", "Rathausviertel", "Schlossviertel", "Hafenviertel",
                 "Universitätsviertel", "Theaterviertel", "Am Stadttor"]
SONDERNAMEN = ["Gewerbegebiet Moosfeld", "Industriegebiet Am Kanal", "Stadtwald", "Gewerbepark Ziegelei",
               "Stadtpark", "Güterbahnhof"]  # fast unbewohnt: 4 am Stadtrand, 2 zentral
PERSONEN = ["Pestalozzi", "Astrid-Lindgren", "Erich-Kästner", "Albert-Schweitzer", "Sophie-Scholl", "Anne-Frank",
            "Brüder-Grimm", "Friedrich-Fröbel", "Otfried-Preußler", "Michael-Ende", "Janusz-Korczak",
            "Hans-Christian-Andersen", "Goethe", "Schiller", "Humboldt", "Kepler", "Gauß", "Leibniz", "Dürer",
            "Holbein", "Mozart", "Lessing"]  # 12 für Grundschulen, 10 für weiterführende Schulen
STRASSEN = """Linden Eichen Birken Ahorn Kastanien Rosen Garten Schul Kirch Mühl Bach Wiesen Berg Post Bahnhof Markt
Schiller Goethe Mozart Beethoven Kant Lessing Uhland Brunnen Tannen Feld Holunder Flieder Ulmen Anger""".split()
FANTASIE = ["Sonnenschein", "Regenbogen", "Pusteblume", "Kunterbunt", "Sternschnuppe", "Löwenzahn", "Spatzennest",
            "Zwergenland", "Wirbelwind", "Schatzkiste", "Rasselbande", "Marienkäfer", "Glühwürmchen", "Purzelbaum"]
HEILIGE = ["Michael", "Martin", "Anna", "Elisabeth", "Josef", "Maria", "Ulrich", "Franziskus", "Benedikt",
           "Hedwig", "Georg", "Peter und Paul"]
EVANGELISCH = ["Arche Noah", "Senfkorn", "Lukaskirche", "Markuskirche", "Kreuzkirche", "Matthäus", "Himmelszelt"]
KITA_TRAEGER = {"städtisch": (0.34, "Städtische Kita {weg}"), "AWO": (0.12, "AWO-Kinderhaus {fantasie}"),
                "Caritas": (0.16, "Kath. Kita St. {heilig}"), "Diakonie": (0.12, "Ev. Kita {evangelisch}"),
                "Elterninitiative": (0.12, "Elterninitiative {fantasie} e. V."),
                "BRK": (0.06, "BRK-Kinderhaus {fantasie}"), "privat": (0.08, "Kinderkrippe {fantasie}")}
JFE_ARTEN = {"Jugendzentrum": 0.25, "Jugendtreff": 0.25, "Kinder- und Jugendhaus": 0.15, "Jugendcafé": 0.1,
             "Abenteuerspielplatz": 0.08, "Spielhaus": 0.1, "Mädchentreff": 0.07}
JFE_TRAEGER = ["Stadtjugendring", "städtisch", "AWO", "Caritas", "Diakonie", "Evangelische Jugend", "Jugendhilfeverein"]
WEITERFUEHREND = [("Mittelschule", 4, (250, 600), (10, 16)), ("Realschule", 3, (500, 1000), (10, 17)),
                  ("Gymnasium", 5, (700, 1400), (10, 19))]  # Schulart, Anzahl, Schülerzahl, Alter
# Kategorie, Bildungsstufe, Werte der Spalte „typ“, Kapazität vorhanden, Altersbereich
ANGEBOTE = [("Kita", "frühe Bildung", ["Kita"], True, (0, 6)),
            ("Grundschule", "Schule", ["Grundschule"], True, (6, 10)),
            ("weiterführende Schule", "Schule", ["Mittelschule", "Realschule", "Gymnasium"], True, (10, 19)),
            ("Jugendfreizeiteinrichtung", "non-formal", ["Jugendfreizeiteinrichtung"], False, (6, 27)),
            ("Bibliothek", "non-formal", ["Bibliothek"], False, None),
            ("VHS", "Erwachsenenbildung", ["VHS"], False, None)]
# Benachteiligung: (dx km, dy km, Stärke, Breite km) relativ zur Mitte; > 0 benachteiligt, < 0 begünstigt
BRENNPUNKTE = [(3.0, 3.5, 1.5, 2.2), (-4.0, -3.0, 1.2, 2.0), (0.8, -1.2, 0.8, 1.2),
               (3.5, -3.5, -1.3, 2.5), (-3.5, 3.0, -1.0, 2.0), (-0.5, 0.8, -0.5, 1.0)]
# Quoten: Grundanteil, Steigung je SD Benachteiligung, Trend je Jahr (beides auf der Logit-Skala)
QUOTEN = {"kinderarmut": (0.13, 0.70, -0.03), "sgb2_quote": (0.065, 0.60, -0.02),
          "alleinerziehende": (0.20, 0.35, 0.01), "migration_u18": (0.45, 0.55, 0.03),
          "kita_quote_u3": (0.36, -0.35, 0.06), "kita_quote_3_6": (0.91, -0.35, 0.05),
          "sprachfoerderbedarf": (0.22, 0.60, 0.02), "gymnasialuebergang": (0.45, -0.50, 0.01),
          "ohne_abschluss": (0.055, 0.40, -0.02), "jugendarbeitslosigkeit": (0.035, 0.45, -0.03),
          "ferienprogramm": (0.20, -0.30, 0.02)}
QUELLEN = {"statistik": "Kommunalstatistik Musterstadt", "ba": "Statistik der Bundesagentur für Arbeit",
           "jugendamt": "Jugendamt Musterstadt, Kita- und Jugendhilfestatistik",
           "gesundheitsamt": "Gesundheitsamt Musterstadt, Schuleingangsuntersuchung",
           "schulen": "Amtliche Schulstatistik", "vhs": "Volkshochschule Musterstadt",
           "angebote": "Standortverzeichnis Bildungsangebote Musterstadt"}
LIZENZ, NAMENSNENNUNG = "CC0 1.0", "Bildungsmonitor – synthetische Beispieldaten Musterstadt"
THEMEN = {"R": "Rahmenbedingungen", "FK": "frühkindliche Bildung", "AS": "allgemeinbildende Schulen",
          "BH": "berufliche Bildung und Hochschule", "WB": "Weiterbildung", "NF": "non-formale Bildung"}
KATALOG_SPALTEN = ["id", "name", "definition", "einheit", "art", "zaehler", "nenner", "gewicht", "richtung", "thema",
                   "quelle", "stand", "ebene", "sensibel", "hinweise", "basis", "merkmal", "auspraegung"]
# Je Indikator drei Zeilen: id|name|einheit|art|bezug|richtung|thema|quelle|stand|sensibel, Definition, Hinweis.
# bezug: „zähler/nenner“ (beide Indikatoren im Katalog) oder der Gewichtungsindikator.
KATALOG = """
einwohner|Einwohnerinnen und Einwohner|Personen|anzahl||0|R|statistik|31.12.2024|nein
Zahl der Einwohnerinnen und Einwohner mit Hauptwohnsitz am Stichtag.
Sehr kleine Werte kennzeichnen Gewerbe-, Park- oder Waldflächen – Quoten sind dort nicht aussagekräftig.
einwohner_u18|Minderjährige|Personen|anzahl||0|R|statistik|31.12.2024|nein
Zahl der Einwohnerinnen und Einwohner unter 18 Jahren.
Summe aus Kindern unter 15 und Jugendlichen von 15 bis unter 18 Jahren – Bezugsgröße des Migrationsanteils.
einwohner_15_64|Einwohner 15 bis unter 65 Jahre|Personen|anzahl||0|R|statistik|31.12.2024|nein
Zahl der Einwohnerinnen und Einwohner im Alter von 15 bis unter 65 Jahren.
Bezugsgröße der SGB-II-Quote.
kinder_u3|Kinder unter 3 Jahren|Personen|anzahl||0|R|statistik|31.12.2024|nein
Zahl der Kinder unter 3 Jahren.
Zielgruppe der Krippenbetreuung – schwankt in kleinen Vierteln von Jahr zu Jahr deutlich.
kinder_3_6|Kinder von 3 bis unter 6 Jahren|Personen|anzahl||0|R|statistik|31.12.2024|nein
Zahl der Kinder im Alter von 3 bis unter 6 Jahren.
Zielgruppe des Kindergartens und Bezugsgröße der Kitabesuchsquote.
kinder_u6|Kinder unter 6 Jahren|Personen|anzahl||0|R|statistik|31.12.2024|nein
Zahl der Kinder unter 6 Jahren.
Planungsgröße für Kitaplätze – Summe der Kinder unter 3 und von 3 bis unter 6 Jahren.
kinder_6_10|Kinder von 6 bis unter 10 Jahren|Personen|anzahl||0|R|statistik|31.12.2024|nein
Zahl der Kinder im Alter von 6 bis unter 10 Jahren.
Näherung für die Zahl der Grundschulkinder – die Grundschulbezirke decken sich nicht mit den Vierteln.
kinder_u15|Kinder unter 15 Jahren|Personen|anzahl||0|R|statistik|31.12.2024|nein
Zahl der Kinder unter 15 Jahren.
Nenner der Kinderarmutsquote.
jugendliche_15_18|Jugendliche von 15 bis unter 18 Jahren|Personen|anzahl||0|R|statistik|31.12.2024|nein
Zahl der Jugendlichen im Alter von 15 bis unter 18 Jahren.
Zielgruppe der Übergänge von der Schule in Ausbildung und Beruf.
kinder_sgb2|Kinder in SGB-II-Bedarfsgemeinschaften|Personen|anzahl||1|R|ba|31.12.2024|nein
Zahl der Kinder unter 15 Jahren in Bedarfsgemeinschaften nach dem SGB II.
Zähler der Kinderarmutsquote – kleine Werte unterliegen der Geheimhaltung der BA-Statistik.
hze_faelle|Hilfen zur Erziehung|Fälle|anzahl||1|R|jugendamt|31.12.2024|ja
Zahl der am Stichtag laufenden Hilfen zur Erziehung (§§ 27–35 SGB VIII) für junge Menschen aus dem Viertel.
Kleine Fallzahlen: nur mit Geheimhaltung zeigen – Hinweis auf Unterstützungsbedarf, kein Urteil über Familien.
kinderarmut|Kinderarmut (SGB II)|%|anteil|kinder_sgb2/kinder_u15|1|R|ba|31.12.2024|nein
Anteil der Kinder unter 15 Jahren in SGB-II-Bedarfsgemeinschaften an allen Kindern unter 15 Jahren.
Zentraler Indikator sozialer Benachteiligung – Kinder in Familien mit Wohngeld oder Kinderzuschlag fehlen.
sgb2_quote|SGB-II-Quote|%|anteil|einwohner_15_64|1|R|ba|31.12.2024|nein
Anteil der erwerbsfähigen Leistungsberechtigten nach dem SGB II an der Bevölkerung von 15 bis unter 65 Jahren.
Beschreibt die soziale Lage der Erwachsenen und damit das Umfeld, in dem Kinder aufwachsen.
alleinerziehende|Alleinerziehende|%|anteil|einwohner_u18|1|R|statistik|31.12.2024|nein
Anteil der Haushalte von Alleinerziehenden an allen Haushalten mit Kindern unter 18 Jahren.
Alleinerziehende tragen ein höheres Armutsrisiko und sind besonders auf verlässliche Betreuung angewiesen.
migration_u18|Migrationshintergrund unter 18|%|anteil|einwohner_u18|0|R|statistik|31.12.2024|nein
Anteil der unter 18-Jährigen mit Migrationshintergrund an allen Einwohnerinnen und Einwohnern unter 18 Jahren.
Kein Defizitmerkmal – Kontext für die Planung von Sprachförderung und Elternarbeit.
kita_quote_u3|Betreuungsquote unter 3|%|anteil|kinder_u3|-1|FK|jugendamt|01.03.2024|nein
Anteil der Kinder unter 3 Jahren in Kindertageseinrichtungen oder Kindertagespflege an allen Kindern unter 3.
Niedrige Quoten können fehlende Plätze oder geringere Nachfrage anzeigen – zusammen mit den Kitastandorten lesen.
kita_quote_3_6|Kitabesuchsquote 3 bis unter 6|%|anteil|kinder_3_6|-1|FK|jugendamt|01.03.2024|nein
Anteil der Kinder von 3 bis unter 6 Jahren in Kindertageseinrichtungen an allen Kindern dieser Altersgruppe.
Kinder ohne Kitabesuch vor der Einschulung erhalten seltener frühe Sprachförderung.
sprachfoerderbedarf|Sprachförderbedarf bei der Einschulung|%|anteil|kinder_3_6|1|FK|gesundheitsamt|31.07.2024|nein
Anteil der Kinder mit festgestelltem Sprachförderbedarf an allen Kindern der Schuleingangsuntersuchung.
Bezieht sich auf den Wohnort der Kinder, nicht auf die besuchte Kita – kleine Jahrgänge schwanken stark.
gymnasialuebergang|Übertritt an das Gymnasium|%|anteil|kinder_6_10|-1|AS|schulen|01.10.2024|nein
Anteil der Schülerinnen und Schüler der 4. Jahrgangsstufe, die an ein Gymnasium übertreten, an allen Übertretenden.
Spiegelt neben Leistungen auch die Bildungserwartungen der Eltern – gezählt nach Wohnort, nicht nach Schulort.
ohne_abschluss|Abgänge ohne Abschluss|%|anteil|jugendliche_15_18|1|AS|schulen|01.10.2024|nein
Anteil der Abgängerinnen und Abgänger ohne Mittelschulabschluss an allen Abgängen allgemeinbildender Schulen.
Wenige Fälle je Viertel – für Vergleiche mehrere Jahre oder größere Gebiete betrachten.
jugendarbeitslosigkeit|Jugendarbeitslosigkeit|%|anteil|jugendliche_15_18|1|BH|ba|31.12.2024|nein
Anteil der Arbeitslosen von 15 bis unter 25 Jahren an den Einwohnerinnen und Einwohnern dieser Altersgruppe.
Auf die Bevölkerung bezogen, nicht auf die Erwerbspersonen, daher niedriger als die amtliche Arbeitslosenquote.
vhs_teilnahme|VHS-Kursbelegungen|je 1.000 Einwohner|anteil|einwohner|-1|WB|vhs|31.12.2024|nein
Belegungen von Volkshochschulkursen durch Einwohnerinnen und Einwohner des Viertels je 1.000 Einwohner.
Zählt Belegungen, nicht Personen – wer mehrere Kurse besucht, wird mehrfach gezählt.
ferienprogramm|Teilnahme am Ferienprogramm|%|anteil|kinder_6_10|-1|NF|jugendamt|31.12.2024|nein
Anteil der Kinder von 6 bis unter 12 Jahren, die mindestens ein Angebot des städtischen Ferienprogramms nutzten.
Niedrige Werte können auf Kostenhürden oder fehlende Angebote in der Nähe hinweisen.
"""


def katalog_zeilen(katalog: str = KATALOG, ebene: str = "viertel") -> list[list[str]]:
    """Der Indikatorenkatalog (Text im Format von ``KATALOG``) als Tabellenzeilen in der Spaltenfolge von
    ``KATALOG_SPALTEN``."""
    z = katalog.strip().splitlines()
    zeilen = []
    for kopf, definition, hinweis in zip(z[0::3], z[1::3], z[2::3], strict=True):
        ind, name, einheit, art, bezug, richtung, thema, quelle, stand, sensibel = kopf.split("|")
        zaehler, nenner = bezug.split("/") if "/" in bezug else ("", "")
        gewicht = "" if "/" in bezug else bezug
        zeilen.append([ind, name, definition, einheit, art, zaehler, nenner, gewicht, richtung, THEMEN[thema],
                       quelle, stand, ebene, sensibel, hinweis])
    return zeilen


def bereinigen(geom: shapely.Geometry) -> shapely.Geometry:
    """Macht eine Geometrie gültig und behält nur ihre Flächenanteile (Polygon/MultiPolygon)."""
    teile = []
    for teil in shapely.get_parts(shapely.make_valid(geom)):
        teile += [p for p in shapely.get_parts(teil) if isinstance(p, shapely.Polygon) and p.area > 0]
    return teile[0] if len(teile) == 1 else shapely.MultiPolygon(teile)


def stadtumriss(rng: np.random.Generator) -> shapely.Geometry:
    """Unregelmäßiger Stadtumriss (radial verformter Kreis) von etwa 14 km Durchmesser."""
    winkel = np.linspace(0, 2 * np.pi, 160, endpoint=False)
    radius = np.full(winkel.size, 6800.0) + rng.normal(0, 60, winkel.size)
    for k, amplitude in ((2, 700), (3, 550), (5, 300), (8, 150)):
        radius += amplitude * np.sin(k * winkel + rng.uniform(0, 2 * np.pi))
    xy = MITTE + np.column_stack([radius * np.cos(winkel), radius * np.sin(winkel)])
    return bereinigen(shapely.set_precision(shapely.Polygon(xy), RASTER))


def streupunkte(rng: np.random.Generator, flaeche: shapely.Geometry, anzahl: int, abstand: float) -> np.ndarray:
    """Zufallspunkte in der Fläche, zur Mitte hin dichter, mit (am Stadtrand größerem) Mindestabstand."""
    x0, y0, x1, y1 = flaeche.bounds
    punkte = np.empty((0, 2))
    while len(punkte) < anzahl:
        p = rng.uniform([x0, y0], [x1, y1])
        r = np.hypot(*(p - MITTE))
        if rng.random() > 0.25 + 0.75 * np.exp(-((r / 4500) ** 2)) or not shapely.contains_xy(flaeche, *p):
            continue
        if len(punkte) and np.hypot(*(punkte - p).T).min() < abstand * (0.6 + 0.5 * r / 7000):
            continue
        punkte = np.vstack([punkte, p])
    return punkte


def zerlegung(stadt: shapely.Geometry, punktmengen: list[np.ndarray]) -> list[list[shapely.Geometry]]:
    """Voronoi-Zellen mehrerer Punktmengen, gebildet aus den Teilflächen eines gemeinsamen Liniennetzes.

    Alle Grenzen werden gemeinsam auf dem 0,1-m-Raster verknotet; so decken Viertel und Schulbezirke
    exakt dieselbe Stadtfläche ab, obwohl ihre Grenzen einander kreuzen.
    """
    linien = [stadt.boundary] + [
        shapely.voronoi_polygons(shapely.multipoints(p), only_edges=True, extend_to=stadt.buffer(3000))
        for p in punktmengen]
    netz = shapely.union_all(linien, grid_size=RASTER)
    flaechen = shapely.get_parts(shapely.polygonize(shapely.get_parts(netz)))
    innen = shapely.get_coordinates(shapely.point_on_surface(flaechen))
    drin = shapely.contains_xy(stadt, *innen.T)
    flaechen, innen = flaechen[drin], innen[drin]
    zellen = []
    for punkte in punktmengen:  # Voronoi-Zelle = Teilflächen mit diesem nächstgelegenen Erzeugerpunkt
        label = np.linalg.norm(innen[:, None] - punkte[None], axis=2).argmin(axis=1)
        zellen.append(vereinigen(list(flaechen), label))
    return zellen


def vereinigen(geoms: list[shapely.Geometry], label: np.ndarray) -> list[shapely.Geometry]:
    """Vereinigt die Flächen je Label 0..k-1 exakt auf dem 0,1-m-Raster."""
    return [bereinigen(shapely.union_all([geoms[i] for i in np.flatnonzero(label == k)], grid_size=RASTER))
            for k in range(int(label.max()) + 1)]


def zentren_von(geoms: list[shapely.Geometry]) -> np.ndarray:
    """Schwerpunkte der Flächen als (n, 2)-Array."""
    return shapely.get_coordinates(shapely.centroid(np.array(geoms, dtype=object)))


def nachbarn(geoms: list[shapely.Geometry]) -> list[set[int]]:
    """Nachbarschaften über gemeinsame Grenzlinien (ein gemeinsamer Eckpunkt genügt nicht)."""
    links, rechts = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    nb: list[set[int]] = [set() for _ in geoms]
    for i, j in zip(links, rechts, strict=True):
        if i < j and shapely.intersection(geoms[i].boundary, geoms[j].boundary).length > 1.0:
            nb[i].add(int(j))
            nb[j].add(int(i))
    return nb


def regionen_wachsen(zentren: np.ndarray, nb: list[set[int]], keime: list[int], strafe: float,
                     gewicht: np.ndarray | None = None) -> np.ndarray:
    """Zusammenhängende Regionen durch gleichzeitiges Wachstum von den Keimflächen über Nachbarn.

    Vorrang hat die kleinste Summe aus Keimabstand und ``strafe`` Metern je bereits zugeordnetem Gewicht
    (Standard: 1 je Fläche); das hält die Regionen kompakt und ungefähr gleich groß.
    """
    gewicht = np.ones(len(zentren)) if gewicht is None else gewicht
    label, groesse = np.full(len(zentren), -1), np.zeros(len(keime))
    heap = [(0.0, k, r) for r, k in enumerate(keime)]
    while heap:
        _, i, r = heapq.heappop(heap)
        if label[i] >= 0:
            continue
        label[i] = r
        groesse[r] += gewicht[i]
        for j in sorted(nb[i]):
            if label[j] < 0:
                abstand = float(np.hypot(*(zentren[j] - zentren[keime[r]])))
                heapq.heappush(heap, (abstand + strafe * groesse[r], j, r))
    return label


def naechste(zentren: np.ndarray, ziele: np.ndarray) -> list[int]:
    """Für jedes Ziel der Index des nächstgelegenen, noch nicht vergebenen Zentrums."""
    vergeben: list[int] = []
    for ziel in ziele:
        abstand = np.hypot(*(zentren - ziel).T)
        abstand[vergeben] = np.inf
        vergeben.append(int(abstand.argmin()))
    return vergeben


def kmeans_keime(zentren: np.ndarray, k: int, rng: np.random.Generator) -> list[int]:
    """Keimflächen für k Regionen: k-Means (Lloyd) der Schwerpunkte, dann die nächste Fläche je Cluster."""
    mitten = zentren[rng.choice(len(zentren), k, replace=False)]
    for _ in range(60):
        zuordnung = np.linalg.norm(zentren[:, None] - mitten[None], axis=2).argmin(axis=1)
        mitten = np.array([zentren[zuordnung == c].mean(axis=0) if (zuordnung == c).any() else mitten[c]
                           for c in range(k)])
    return naechste(zentren, mitten)


def namen_vergeben(rng: np.random.Generator, viertel: list[shapely.Geometry],
                   teil_label: np.ndarray) -> tuple[list[str], list[str], np.ndarray]:
    """Erfundene Namen: Altstadt um die Mitte, Sondernamen für fast unbewohnte Viertel, sonst Zusammensetzungen.

    Liefert Stadtteilnamen, Viertelnamen und die Maske der fast unbewohnten Viertel.
    """
    zv = zentren_von(viertel)
    altstadt = teil_label[int(np.flatnonzero(shapely.contains_xy(np.array(viertel, dtype=object), *MITTE))[0])]
    pool = [str(n) for n in rng.permutation(STADTTEILNAMEN)]
    teil_namen = ["Altstadt" if t == altstadt else pool.pop() for t in range(N_STADTTEILE)]
    abstand = np.hypot(*(zv - MITTE).T)
    zentral = [v for v in np.argsort(abstand)[3:20] if teil_label[v] != altstadt]
    klein = [int(v) for v in (*rng.choice(np.argsort(-abstand)[:25], 4, replace=False),
                              *rng.choice(zentral, 2, replace=False))]
    verboten = {*STADTTEILNAMEN, "Berghain", "Sandpark"}
    zusammen = [f"{a}{b}" for a in VORSILBEN for b in NACHSILBEN if f"{a}{b}" not in verboten]
    pool = [str(n) for n in rng.permutation([*rng.permutation(zusammen)[:N_VIERTEL], *AM_NAMEN])]
    alt = list(ALTSTADTNAMEN)
    namen = []
    for v in range(len(viertel)):
        if v in klein:
            namen.append(SONDERNAMEN[klein.index(v)])
        else:
            namen.append(alt.pop(0) if teil_label[v] == altstadt and alt else pool.pop())
    return teil_namen, namen, np.isin(np.arange(len(viertel)), klein)


def gebiete_bauen(rng: np.random.Generator) -> dict[str, gpd.GeoDataFrame]:
    """Viertel, Stadtteile, Stadtbezirke und Grundschulbezirke mit verschachtelten IDs und Namen."""
    stadt = stadtumriss(rng)
    viertel, schul = zerlegung(stadt, [streupunkte(rng, stadt, N_VIERTEL, 450),
                                       streupunkte(rng, stadt, N_SCHULBEZIRKE, 1100)])
    zv = zentren_von(viertel)
    teil_label = regionen_wachsen(zv, nachbarn(viertel), kmeans_keime(zv, N_STADTTEILE, rng), STRAFE_TEIL)
    teile = vereinigen(viertel, teil_label)
    zt = zentren_von(teile)
    ziele = [MITTE if w is None else MITTE + 4200 * np.array([np.cos(np.radians(w)), np.sin(np.radians(w))])
             for w in BEZIRKE.values()]
    bez_label = regionen_wachsen(zt, nachbarn(teile), naechste(zt, np.array(ziele)), STRAFE_BEZIRK,
                                 np.bincount(teil_label))
    teil_id: dict[int, str] = {}
    for b in range(len(BEZIRKE)):  # Stadtteile von innen nach außen, Viertel von Nord nach Süd nummerieren
        eigene = sorted(np.flatnonzero(bez_label == b), key=lambda t: np.hypot(*(zt[t] - MITTE)))
        teil_id |= {int(t): f"{b + 1:02d}{n + 1:02d}" for n, t in enumerate(eigene)}
    viertel_id: dict[int, str] = {}
    for t in range(N_STADTTEILE):
        eigene = sorted(np.flatnonzero(teil_label == t), key=lambda v: -zv[v, 1])
        viertel_id |= {int(v): f"{teil_id[t]}{n + 1:02d}" for n, v in enumerate(eigene)}
    teil_namen, viertel_namen, klein = namen_vergeben(rng, viertel, teil_label)
    zs = zentren_von(schul)
    schul_ord = sorted(range(N_SCHULBEZIRKE), key=lambda s: (round(-zs[s, 1] / 2500), zs[s, 0]))  # Zeilen N→S
    ebenen = {
        "viertel": gpd.GeoDataFrame(
            {"viertel_id": [viertel_id[v] for v in range(N_VIERTEL)], "viertel_name": viertel_namen,
             "stadtteil_id": [teil_id[t] for t in teil_label], "klein": klein}, geometry=viertel, crs=CRS),
        "stadtteil": gpd.GeoDataFrame(
            {"stadtteil_id": [teil_id[t] for t in range(N_STADTTEILE)], "stadtteil_name": teil_namen,
             "stadtbezirk_id": [f"{b + 1:02d}" for b in bez_label]}, geometry=teile, crs=CRS),
        "stadtbezirk": gpd.GeoDataFrame(
            {"stadtbezirk_id": [f"{b + 1:02d}" for b in range(len(BEZIRKE))], "stadtbezirk_name": list(BEZIRKE)},
            geometry=vereinigen(teile, bez_label), crs=CRS),
        "schulbezirke": gpd.GeoDataFrame(
            {"bezirk_id": [f"GS{n + 1:02d}" for n in range(N_SCHULBEZIRKE)], "bezirk_name": ""},
            geometry=[schul[s] for s in schul_ord], crs=CRS),
    }
    return {k: g.sort_values(g.columns[0], ignore_index=True) for k, g in ebenen.items()}


def benachteiligung(zentren: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Latenter, räumlich glatter Benachteiligungsfaktor je Viertel (Mittelwert 0, Standardabweichung 1)."""
    dx, dy = ((zentren - MITTE) / 1000).T
    z = sum(a * np.exp(-((dx - x) ** 2 + (dy - y) ** 2) / (2 * s**2)) for x, y, a, s in BRENNPUNKTE)
    z = z + rng.normal(0, 0.3, len(zentren))
    return (z - z.mean()) / z.std()


def indikatoren_erzeugen(viertel: gpd.GeoDataFrame, z: np.ndarray, rand_km: np.ndarray, ids: list[str],
                         rng: np.random.Generator) -> pd.DataFrame:
    """Zählgrößen und Quoten (mit Zähler und Nenner) je Viertel und Periode im Langformat."""
    n, klein = len(viertel), viertel["klein"].to_numpy()
    dichte = (0.35 + np.exp(-((rand_km / 4.0) ** 2))) * (1 + 0.15 * z) * rng.lognormal(0, 0.25, n)
    ew0 = viertel.area.to_numpy() * dichte
    ew0 = ew0 / ew0[~klein].sum() * 246_500
    ew0[klein] = rng.integers(20, 290, klein.sum())
    wachstum = rng.normal(0.006, 0.008, n)
    kinderfaktor = np.where(klein, 0.1, np.exp(0.12 * z + 0.1 * rand_km / 7) * rng.lognormal(0, 0.1, n))
    eigen = {q: rng.normal(0, 0.25, n) for q in QUOTEN}  # dauerhafte Eigenheiten der Viertel
    vhs_rate = 85 * np.exp(-0.25 * z) * rng.lognormal(0, 0.15, n)
    anteile = {"u3": 0.029, "3_6": 0.028, "6_10": 0.036, "10_15": 0.043, "15_18": 0.027}
    teile = []
    for t, periode in enumerate(PERIODEN):
        ew = np.round(ew0 * (1 + wachstum) ** t).astype(int)
        k = {a: rng.binomial(ew, np.clip(p * kinderfaktor, 0, 0.2)) for a, p in anteile.items()}
        u15 = k["u3"] + k["3_6"] + k["6_10"] + k["10_15"]
        u18, erwachsene = u15 + k["15_18"], ew - u15 - k["15_18"]
        w = {"einwohner": ew, "einwohner_u18": u18,
             "einwohner_15_64": k["15_18"] + rng.binomial(erwachsene, np.clip(0.74 + 0.03 * z, 0, 1)),
             "kinder_u3": k["u3"], "kinder_3_6": k["3_6"], "kinder_u6": k["u3"] + k["3_6"],
             "kinder_6_10": k["6_10"], "kinder_u15": u15, "jugendliche_15_18": k["15_18"]}
        nenner = {"kinderarmut": u15, "sgb2_quote": w["einwohner_15_64"],
                  "alleinerziehende": np.round(u18 / rng.uniform(1.55, 1.75, n)).astype(int),  # Haushalte
                  "migration_u18": u18, "kita_quote_u3": k["u3"], "kita_quote_3_6": k["3_6"],
                  "sprachfoerderbedarf": rng.binomial(k["3_6"], 0.33),  # untersuchte Schulanfänger
                  "gymnasialuebergang": rng.binomial(k["6_10"], 0.25),  # 4. Jahrgangsstufe
                  "ohne_abschluss": rng.binomial(k["15_18"], 0.33),  # Schulabgänge
                  "jugendarbeitslosigkeit": k["15_18"] + rng.binomial(erwachsene, np.clip(0.09 + 0.01 * z, 0, 1)),
                  "ferienprogramm": k["6_10"] + rng.binomial(k["10_15"], 0.4)}  # 6 bis unter 12 Jahre
        zaehler = {}
        for ind, nen in nenner.items():
            basis, steigung, trend = QUOTEN[ind]
            logit = np.log(basis / (1 - basis)) + steigung * z + eigen[ind] + trend * t + rng.normal(0, 0.08, n)
            zaehler[ind] = rng.binomial(nen, 1 / (1 + np.exp(-logit)))
        w["kinder_sgb2"] = zaehler["kinderarmut"]
        w["hze_faelle"] = rng.poisson(u18 * 0.01 * np.exp(0.6 * z + eigen["kinderarmut"]))
        vhs = rng.poisson(ew * vhs_rate / 1000)
        for ind in ids:
            zn = (zaehler[ind], nenner[ind]) if ind in nenner else (None, None)
            if ind in w:
                wert = w[ind].astype(float)
            elif ind == "vhs_teilnahme":
                wert = np.where(ew > 0, 1000 * vhs / np.maximum(ew, 1), np.nan)
            else:
                wert = np.where(zn[1] > 0, 100 * zn[0] / np.maximum(zn[1], 1), np.nan)
            teile.append(pd.DataFrame({"gebiet_id": viertel["viertel_id"], "indikator": ind, "periode": periode,
                                       "wert": wert, "zaehler": zn[0], "nenner": zn[1], "ganzzahl": ind in w}))
    return pd.concat(teile, ignore_index=True)


def zufallspunkt(geom: shapely.Geometry, rng: np.random.Generator) -> shapely.Point:
    """Zufälliger Punkt (auf 0,1 m gerundet) mindestens 40 m innerhalb der Fläche."""
    innen = geom.buffer(-40)
    innen = geom if innen.is_empty else innen
    x0, y0, x1, y1 = innen.bounds
    while True:
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        if shapely.contains_xy(innen, x, y):
            return shapely.Point(round(x, 1), round(y, 1))


def angebote_erzeugen(ebenen: dict[str, gpd.GeoDataFrame], werte: pd.DataFrame, z: np.ndarray,
                      rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Standorte von Kitas, Schulen, Jugendfreizeiteinrichtungen, Bibliotheken und VHS (Stand 2024)."""
    viertel, schulbezirke, stadtteile = ebenen["viertel"], ebenen["schulbezirke"], ebenen["stadtteil"]
    vname = viertel["viertel_name"].to_numpy()
    teilname = dict(zip(stadtteile["stadtteil_id"], stadtteile["stadtteil_name"], strict=True))
    w24 = werte[werte["periode"] == PERIODEN[-1]].pivot(index="gebiet_id", columns="indikator", values="wert")
    w24 = w24.loc[viertel["viertel_id"]]
    zeilen: list[dict] = []
    namen: set[str] = set()

    def strasse() -> str:
        endung = rng.choice(["straße", "weg", "ring", "allee", "platz"], p=[0.6, 0.2, 0.1, 0.05, 0.05])
        return f"{rng.choice(STRASSEN)}{endung}"

    def an(ort: str) -> str:
        """„an der Lindenstraße“, „am Postring“; Viertelnamen wie „Am Anger“ → „am Anger“."""
        if ort.split()[0] in ("Am", "An", "Im"):
            return ort[0].lower() + ort[1:]
        if " " in ort or not ort.endswith(("straße", "weg", "ring", "allee", "platz")):
            return ort
        return f"an der {ort}" if ort.endswith(("straße", "allee")) else f"am {ort}"

    def im_viertel(punkt: shapely.Geometry) -> int:
        return int(np.flatnonzero(viertel.contains(punkt))[0])

    def punkt_in(v: int) -> shapely.Point:
        return zufallspunkt(viertel.geometry.iat[v], rng)

    def ziehen(gewicht: np.ndarray) -> int:
        return int(rng.choice(len(viertel), p=gewicht / gewicht.sum()))

    def neu(typ: str, name: str, traeger: str, punkt: shapely.Point, weg: str, plaetze: int | None = None,
            alter: tuple[int, int] | None = None) -> str:
        v = im_viertel(punkt)
        klammer = [] if vname[v] in name else [f"{name} ({vname[v]})"]  # Namen eindeutig machen
        name = next(k for k in [name, *klammer, *(f"{name} {r}" for r in ("II", "III", "IV"))] if k not in namen)
        namen.add(name)
        kuerzel = {"Kita": "KITA", "Grundschule": "GS", "Jugendfreizeiteinrichtung": "JFE", "Bibliothek": "BIB",
                   "VHS": "VHS"}.get(typ, "WS")
        nummer = sum(r["id"].startswith(kuerzel + "-") for r in zeilen) + 1
        zeilen.append({"id": f"{kuerzel}-{nummer:03d}", "typ": typ, "name": name, "traeger": traeger,
                       "plaetze": plaetze, "strasse": f"{weg} {rng.integers(1, 120)}",
                       "plz": f"999{viertel['stadtteil_id'].iat[v][:2]}", "alter_von": alter and alter[0],
                       "alter_bis": alter and alter[1], "geometry": punkt})
        return name

    gewicht = w24["kinder_u6"].to_numpy() * np.exp(-0.2 * z)  # benachteiligte Viertel: weniger Plätze
    for _ in range(145):
        v, weg = ziehen(gewicht), strasse()
        traeger = str(rng.choice(list(KITA_TRAEGER), p=[p for p, _ in KITA_TRAEGER.values()]))
        name = KITA_TRAEGER[traeger][1].format(weg=weg, fantasie=rng.choice(FANTASIE), heilig=rng.choice(HEILIGE),
                                               evangelisch=rng.choice(EVANGELISCH))
        plaetze = (int(rng.integers(20, 36)) if traeger == "Elterninitiative"
                   else int(np.clip(round(rng.gamma(4, 18) / 5) * 5, 25, 180)))
        neu("Kita", name, traeger, punkt_in(v), weg, plaetze, (0, 6))
    for i in rng.choice(len(zeilen), 4, replace=False):
        zeilen[i]["plaetze"] = None  # fehlende Platzzahl, wie in echten Verzeichnissen
    ohne, doppelt = np.split(rng.choice(N_SCHULBEZIRKE, 6, replace=False), 2)
    personen = [str(p) for p in rng.permutation(PERSONEN[:12])]
    for s, bezirk in enumerate(schulbezirke.geometry):
        schulen = []
        for _ in range(0 if s in ohne else 2 if s in doppelt else 1):
            punkt = zufallspunkt(bezirk, rng)
            while viertel["klein"].iat[im_viertel(punkt)]:  # nicht ins Gewerbegebiet oder in den Stadtwald
                punkt = zufallspunkt(bezirk, rng)
            v, art, weg = im_viertel(punkt), rng.integers(3), strasse()
            name = (f"{personen.pop()}-Grundschule" if art == 0 and personen
                    else f"Grundschule {an(weg)}" if art == 1 else f"Grundschule {an(vname[v])}")
            schulen.append(neu("Grundschule", name, "staatlich", punkt, weg, int(rng.integers(8, 23)) * 20, (6, 10)))
        flaeche = viertel.geometry.intersection(bezirk).area.where(~viertel["klein"], 0)
        ort = vname[int(flaeche.to_numpy().argmax())]  # ohne Schule: nach dem größten Wohnviertel benannt
        schulbezirke.loc[s, "bezirk_name"] = f"Grundschulbezirk {schulen[0] if schulen else ort}"
    ew = w24["einwohner"].to_numpy()
    personen = [str(p) for p in rng.permutation(PERSONEN[12:])]
    for art, anzahl, (von, bis), alter in WEITERFUEHREND:
        for nr in range(anzahl):
            weg = strasse()
            traeger = ("staatlich" if art == "Mittelschule" else "kirchlich" if (art, nr) == ("Gymnasium", 4)
                       else str(rng.choice(["staatlich", "städtisch"], p=[0.7, 0.3])))
            name = ("St.-Ursula-Gymnasium" if traeger == "kirchlich"
                    else f"Mittelschule {an(weg)}" if art == "Mittelschule" and nr % 2 else f"{personen.pop()}-{art}")
            neu(art, name, traeger, punkt_in(ziehen(ew)), weg, int(rng.integers(von, bis)) // 10 * 10, alter)
    gewicht = (w24["jugendliche_15_18"] + w24["kinder_6_10"]).to_numpy() * np.exp(0.3 * z)
    for _ in range(26):
        art, v = str(rng.choice(list(JFE_ARTEN), p=list(JFE_ARTEN.values()))), ziehen(gewicht)
        alter = (6, 14) if art in ("Abenteuerspielplatz", "Spielhaus") else (12, 27)
        neu("Jugendfreizeiteinrichtung", f"{art} {an(vname[v])}", str(rng.choice(JFE_TRAEGER)), punkt_in(v),
            strasse(), None, alter)
    mitte = im_viertel(shapely.Point(MITTE))
    neu("Bibliothek", "Stadtbibliothek Musterstadt – Zentralbibliothek", "städtisch", punkt_in(mitte), strasse())
    neu("VHS", "Volkshochschule Musterstadt – Haus der Bildung", "städtisch", punkt_in(mitte), strasse())
    teil_ew = pd.Series(ew, index=viertel["stadtteil_id"]).groupby(level=0).sum()
    teil_ew = teil_ew.drop(viertel["stadtteil_id"].iat[mitte])
    for n, teil in enumerate(rng.choice(teil_ew.index, 9, replace=False, p=teil_ew / teil_ew.sum())):
        eigene = np.flatnonzero(viertel["stadtteil_id"] == teil)
        punkt = punkt_in(int(rng.choice(eigene, p=ew[eigene] / ew[eigene].sum())))
        typ, name = (("Bibliothek", f"Stadtteilbibliothek {teilname[teil]}") if n < 7
                     else ("VHS", f"VHS-Bildungszentrum {teilname[teil]}"))
        neu(typ, name, "städtisch", punkt, strasse())
    angebote = gpd.GeoDataFrame(zeilen, geometry="geometry", crs=CRS)
    return angebote.astype({"plaetze": "Int64", "alter_von": "Int64", "alter_bis": "Int64"})


#: Cockpit-Kacheln (Abschnitte [[kachel]] und [cockpit], gelesen von berichte/cockpit.py). Die Ziele sind
#: Beispiele für die synthetische Stadt, keine echten Beschlüsse.
KACHELN = [
    {"id": "kinderarmut", "titel": "Kinderarmut", "indikator": "kinderarmut", "ziel": 15.0,
     "ziel_richtung": "hoechstens", "ziel_quelle": "Beispiel: Ratsbeschluss 2023/117", "gelb_toleranz": 1.5},
    {"id": "viertel_kinderarmut", "titel": "Viertel mit Kinderarmut über 25 %", "art": "anzahl_gebiete",
     "indikator": "kinderarmut", "ebene": "viertel", "schwelle": 25.0, "vergleich": "ueber", "ziel": 15.0,
     "ziel_richtung": "hoechstens", "ziel_quelle": "Beispiel: Ratsbeschluss 2023/117", "gelb_toleranz": 3.0},
    {"id": "kita_plaetze", "titel": "Kita-Plätze je 100 Kinder unter 6", "art": "versorgung",
     "indikator": "kita_plaetze", "ziel": 65.0, "ziel_richtung": "mindestens",
     "ziel_quelle": "Beispiel: Kita-Bedarfsplan 2024", "gelb_toleranz": 5.0},
    {"id": "kita_quote_u3", "titel": "Betreuungsquote unter 3", "indikator": "kita_quote_u3", "ziel": 40.0,
     "ziel_richtung": "mindestens", "ziel_quelle": "Beispiel: Jugendhilfeausschuss 2022/45", "gelb_toleranz": 2.0},
    {"id": "gymnasialuebergang", "titel": "Übertritt an das Gymnasium", "indikator": "gymnasialuebergang"},
    {"id": "ohne_abschluss", "titel": "Abgänge ohne Abschluss", "indikator": "ohne_abschluss", "ziel": 6.5,
     "ziel_richtung": "hoechstens", "ziel_quelle": "Beispiel: Bildungsleitbild 2021", "gelb_toleranz": 1.0},
    {"id": "kita_erreichbarkeit", "titel": "Kinder unter 6 ohne Kita in 500 m", "art": "erreichbarkeit",
     "kategorie": "Kita", "radius": 500, "mass": "ohne_personen"},
    {"id": "sozialindex_sehr_hoch", "titel": "Viertel mit sehr hohem Sozialindex", "art": "anzahl_gebiete",
     "index": "sozialindex", "klasse": "sehr hoch", "ebene": "viertel", "richtung": 1},
]
COCKPIT = {"titel": "Bildungscockpit Musterstadt", "ebene": "viertel", "indikator": "kinderarmut", "anzahl": 5}
#: Versorgungsquoten ([[versorgung]]) der Beispielkommunen; Jugendfreizeiteinrichtungen haben keine Platzzahlen.
VERSORGUNG = [
    {"id": "kita_plaetze", "name": "Kita-Plätze je 100 Kinder unter 6", "kategorie": "Kita", "menge": "kapazitaet",
     "zielgruppe": "kinder_u6", "zielgruppe_name": "Kinder unter 6", "je": 100, "angebote_name": "Kitas",
     "plaetze_name": "Kita-Plätze"},
    {"id": "grundschul_plaetze", "name": "Grundschulplätze je 100 Kinder von 6 bis unter 10",
     "kategorie": "Grundschule", "menge": "kapazitaet", "zielgruppe": "kinder_6_10",
     "zielgruppe_name": "Kinder von 6 bis unter 10", "je": 100, "angebote_name": "Grundschulen",
     "plaetze_name": "Grundschulplätze"},
    {"id": "bibliotheken", "name": "Bibliotheken je 100.000 Einwohner", "kategorie": "Bibliothek", "menge": "anzahl",
     "zielgruppe": "einwohner", "zielgruppe_name": "Einwohner", "je": 100_000, "angebote_name": "Bibliotheken"},
]
#: Der Einwohner-Indikator ([bevoelkerung]) der Beispielkommunen.
BEVOELKERUNG = {"indikator": "einwohner"}


# Reichweite des Ferienprogramms: Teilnehmende je Wohnviertel als eigene Lieferung der Statistikstelle (Issue 14)
TEILNAHME_DATEI = "teilnahme_ferienprogramm.csv"
TEILNAHME_KATALOG = """
teilnehmende_ferienprogramm|Teilnehmende am Ferienprogramm|Personen|anzahl||0|NF|statistik|31.12.2024|nein
Zahl der Kinder von 6 bis unter 12 Jahren mit mindestens einer Teilnahme am städtischen Ferienprogramm, nach Wohnort.
Lieferung der Statistikstelle aus den Anmeldungen (abgeschottet, nur Anzahlen je Viertel) – keine Einzeldaten.
kinder_6_12|Kinder von 6 bis unter 12 Jahren|Personen|anzahl||0|R|statistik|31.12.2024|nein
Zahl der Kinder im Alter von 6 bis unter 12 Jahren.
Zielgruppe des Ferienprogramms.
"""
REICHWEITE = [{"id": "ferienprogramm", "name": "Ferienprogramm", "teilnehmende": "teilnehmende_ferienprogramm",
               "zielgruppe": "kinder_6_12", "zielgruppe_name": "Kinder von 6 bis unter 12 Jahren",
               "klassen": "sozialindex", "richtung": 1, "klassen_anzahl": 5}]


def teilnahme_zeilen(werte: pd.DataFrame) -> list[list]:
    """Teilnehmende und Zielgruppe des Ferienprogramms der letzten zwei Perioden (aus Zähler und Nenner der Quote
    „ferienprogramm“: in benachteiligten Vierteln nehmen weniger Kinder teil)."""
    f = werte[(werte["indikator"] == "ferienprogramm") & werte["periode"].isin(PERIODEN[-2:])]
    zeilen = []
    for r in f.itertuples():
        zeilen.append([r.gebiet_id, "teilnehmende_ferienprogramm", r.periode, zahl(r.zaehler, True)])
        zeilen.append([r.gebiet_id, "kinder_6_12", r.periode, zahl(r.nenner, True)])
    return zeilen


def teilnahme_abschnitte(ebene: str) -> list[str]:
    """Die TOML-Zeilen der Teilnahme-Lieferung ([[indikatoren]]) und der [[reichweite]] (am Ende der Datei)."""
    tabelle = {"datei": TEILNAHME_DATEI, "ebene": ebene, "quelle": "statistik", "trennzeichen": ";",
               "dezimalzeichen": ",", "format": "lang", "einheit_spalte": "gebiet_id", "indikator_spalte": "indikator",
               "periode_spalte": "periode", "wert_spalte": "wert"}
    zeilen = ["", "# Reichweite: Teilnehmende je Wohngebiet (Lieferung der Statistikstelle) gegen die Zielgruppe"]
    zeilen += toml_abschnitte({}, [("indikatoren", tabelle)], "")[2:]
    zeilen += toml_abschnitte({}, [("reichweite", r) for r in REICHWEITE], "")[2:]
    return zeilen


def wert(x: object) -> str:
    """Ein Wert als TOML-Text (Zeichenkette, Zahl, Wahrheitswert, Liste oder Inline-Tabelle)."""
    if isinstance(x, dict):
        return "{ " + ", ".join(f"{k} = {wert(v)}" for k, v in x.items()) + " }"
    if isinstance(x, list):
        return "[" + ", ".join(wert(v) for v in x) + "]"
    if isinstance(x, bool):
        return "true" if x else "false"
    return json.dumps(x, ensure_ascii=False) if isinstance(x, str) else str(x)


def toml_abschnitte(kopf: dict, abschnitte: list[tuple[str, dict]], anfang: str) -> list[str]:
    """TOML-Zeilen: Kommentarzeile ``anfang``, Kopfschlüssel, dann je Abschnitt ``[[name]]`` (None-Werte entfallen)."""
    zeilen = [anfang, "", *(f"{k} = {wert(v)}" for k, v in kopf.items())]
    for name, eintrag in abschnitte:
        zeilen += ["", f"[[{name}]]", *(f"{k} = {wert(v)}" for k, v in eintrag.items() if v is not None)]
    return zeilen


def tabellen_und_angebote(ebene: str, umland_m: float | None = None) -> list[tuple[str, dict]]:
    """Die Abschnitte [[indikatoren]] (lange Tabelle auf `ebene`), [[angebote]] (je Kategorie; `umland_m`: Standorte
    so weit außerhalb gelten als Umland) und [[versorgung]] der Beispielkommunen – Musterstadt und Musterkreis
    lesen ihre Dateien gleich."""
    abschnitte: list[tuple[str, dict]] = [("indikatoren", {
        "datei": "indikatoren.csv", "ebene": ebene, "quelle": "statistik", "trennzeichen": ";",
        "dezimalzeichen": ",", "format": "lang", "einheit_spalte": "gebiet_id", "indikator_spalte": "indikator",
        "periode_spalte": "periode", "wert_spalte": "wert", "zaehler_spalte": "zaehler", "nenner_spalte": "nenner"})]
    for kategorie, stufe, typen, kapazitaet, alter in ANGEBOTE:
        abschnitte.append(("angebote", {
            "kategorie": kategorie, "bildungsstufe": stufe, "datei": "angebote.gpkg", "layer": "angebote",
            "filter": {"spalte": "typ", "werte": typen}, "id_spalte": "id", "name_spalte": "name",
            "traeger_spalte": "traeger", "kapazitaet_spalte": "plaetze" if kapazitaet else None,
            "adresse_spalten": ["strasse", "plz"], "alter_von": alter and alter[0], "alter_bis": alter and alter[1],
            "stand": "01.09.2024", "quelle": "angebote", "umland_m": umland_m}))
    return abschnitte + [("versorgung", v) for v in VERSORGUNG]


def einzelabschnitt(name: str, eintrag: dict) -> list[str]:
    """Ein Abschnitt ``[name]`` (keine Liste) als TOML-Zeilen, mit Leerzeile davor."""
    return ["", f"[{name}]", *(f"{k} = {wert(v)}" for k, v in eintrag.items() if v is not None)]


def toml_text() -> str:
    """Der Inhalt der kommune.toml (Schlüssel wie in docs/kommune-format.md)."""
    kopf = {"name": "Musterstadt", "ags": "09999000", "crs": CRS, "daten": ".", "katalog": "katalog.csv",
            "standard_ebene": "viertel"}
    abschnitte = [("quelle", {"id": q, "titel": f"{t} (synthetisch)", "lizenz": LIZENZ,
                              "namensnennung": NAMENSNENNUNG, "url": ""}) for q, t in QUELLEN.items()]
    for eid, name, eltern in (("viertel", "Stadtviertel", "stadtteil"), ("stadtteil", "Stadtteil", "stadtbezirk"),
                              ("stadtbezirk", "Stadtbezirk", None)):
        abschnitte.append(("ebene", {
            "id": eid, "name": name, "datei": "geometrie.gpkg", "layer": eid, "id_spalte": f"{eid}_id",
            "name_spalte": f"{eid}_name", "eltern": eltern, "eltern_spalte": eltern and f"{eltern}_id",
            "stand": "01.01.2024", "quelle": "statistik"}))
    abschnitte.append(("einzugsbereich", {
        "id": "schulbezirk", "name": "Grundschulbezirk", "datei": "geometrie.gpkg", "layer": "schulbezirke",
        "id_spalte": "bezirk_id", "name_spalte": "bezirk_name", "stand": "Schuljahr 2024/25", "quelle": "statistik"}))
    abschnitte += tabellen_und_angebote("viertel")
    abschnitte += [("kachel", k) for k in KACHELN]
    abschnitte += gruppen_toml("viertel")
    abschnitte += uebergaenge_abschnitte("viertel")
    zeilen = toml_abschnitte(kopf, abschnitte, "# Synthetische Beispielkommune, erzeugt von "
                             "sample_data/generate_musterstadt.py – nicht von Hand bearbeiten.")
    zeilen += einzelabschnitt("bevoelkerung", BEVOELKERUNG) + einzelabschnitt("cockpit", COCKPIT)
    zeilen += teilnahme_abschnitte("viertel")
    zeilen += register_toml("Musterstadt")
    return "\n".join(zeilen) + "\n"


def zahl(x: float | None, ganzzahl: bool) -> str:
    """Zahl mit Dezimalkomma (Anteile mit einer Nachkommastelle); fehlende Werte werden zur leeren Zelle."""
    if x is None or pd.isna(x):
        return ""
    return str(int(x)) if ganzzahl else f"{x:.1f}".replace(".", ",")


def csv_schreiben(pfad: Path, kopf: list[str], zeilen: list[list]) -> None:
    """Schreibt eine UTF-8-CSV mit Semikolon und Unix-Zeilenenden."""
    with pfad.open("w", encoding="utf-8", newline="") as f:
        schreiber = csv.writer(f, delimiter=";", lineterminator="\n")
        schreiber.writerow(kopf)
        schreiber.writerows(zeilen)


def gruppen_schreiben(ziel: Path, gruppen: pd.DataFrame) -> None:
    """Die Gruppenwerte (sample_data/gruppen_muster.py) als eigene lange Tabelle."""
    csv_schreiben(ziel / GRUPPEN_DATEI, ["gebiet_id", "indikator", "periode", "wert", "zaehler", "nenner"],
                  [[r.gebiet_id, r.indikator, r.periode, zahl(r.wert, r.ganzzahl), zahl(r.zaehler, True),
                    zahl(r.nenner, True)] for r in gruppen.itertuples()])


def main(ziel: Path = ZIEL) -> None:
    """Erzeugt alle Dateien der Musterstadt neu (Standard: sample_data/musterstadt)."""
    rng = np.random.default_rng(SEED)
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2024-09-01T00:00:00.000Z"})  # feste GPKG-Zeitstempel
    katalog = katalog_zeilen()
    ebenen = gebiete_bauen(rng)
    zentren = zentren_von(list(ebenen["viertel"].geometry))
    z = benachteiligung(zentren, rng)
    rand_km = np.hypot(*(zentren - MITTE).T) / 1000
    werte = indikatoren_erzeugen(ebenen["viertel"], z, rand_km, [k[0] for k in katalog], rng)
    angebote = angebote_erzeugen(ebenen, werte, z, rng)
    ziel.mkdir(parents=True, exist_ok=True)
    for datei in ("geometrie.gpkg", "angebote.gpkg"):
        (ziel / datei).unlink(missing_ok=True)
    for layer, gdf in ebenen.items():
        gdf.drop(columns="klein", errors="ignore").to_file(ziel / "geometrie.gpkg", layer=layer, engine="pyogrio")
    angebote.to_file(ziel / "angebote.gpkg", layer="angebote", engine="pyogrio")
    csv_schreiben(ziel / "indikatoren.csv", ["gebiet_id", "indikator", "periode", "wert", "zaehler", "nenner"],
                  [[r.gebiet_id, r.indikator, r.periode, zahl(r.wert, r.ganzzahl), zahl(r.zaehler, True),
                    zahl(r.nenner, True)] for r in werte.itertuples()])
    katalog = katalog_ergaenzen(katalog, "viertel")
    csv_schreiben(ziel / "katalog.csv", KATALOG_SPALTEN, katalog + katalog_zeilen(TEILNAHME_KATALOG))
    csv_schreiben(ziel / TEILNAHME_DATEI, ["gebiet_id", "indikator", "periode", "wert"], teilnahme_zeilen(werte))
    gruppen_schreiben(ziel, gruppen_erzeugen(werte, SEED + 21, 0.27, 0.40, [k[0] for k in katalog]))
    (ziel / "kommune.toml").write_text(toml_text(), encoding="utf-8")
    uebergaenge_schreiben(ziel, werte, PERIODEN, ("Realschule", "Mittelschule", "Förderschule"), SEED + 21)
    register_schreiben(ziel, "Musterstadt", "ms", "0999", "99999", SEED + 14, 80)
    einwohner = werte[(werte["indikator"] == "einwohner") & (werte["periode"] == PERIODEN[-1])]["wert"].sum()
    print(f"Musterstadt geschrieben nach {ziel}: {len(ebenen['viertel'])} Viertel, {len(angebote)} Angebote, "
          f"{int(einwohner)} Einwohner ({PERIODEN[-1]}).")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ZIEL)

"""Ein synthetisches Angebotsregister für die Beispielkommunen: Träger mit Angeboten und allen Feldern.

Von `generate_musterstadt.py` und `generate_musterkreis.py` aufgerufen; deterministisch (eigener Zufallsgenerator).
Die Angebote liegen als Koordinaten (lon/lat) in zufälligen Gebieten; einige sind über ein Jahr nicht bestätigt
(Stand-Abfrage), eines ist abgelaufen (nicht öffentlich), einige liegen nur über den Gebietsschlüssel.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kommune.angebotsregister import SPALTEN, register_csv

DATEI = "angebotsregister.csv"
STICHTAG = date(2026, 11, 15)

#: (Träger-ID, Name, Straße, Domain)
TRAEGER = (
    ("vhs", "Volkshochschule {ort}", "Am Markt 3", "vhs-{kurz}.example"),
    ("caritas", "Caritasverband {ort} e. V.", "Kolpingstraße 7", "caritas-{kurz}.example"),
    ("awo", "AWO Kreisverband {ort} e. V.", "Lindenallee 21", "awo-{kurz}.example"),
    ("jmd", "Jugendmigrationsdienst {ort}", "Bahnhofstraße 14", "jmd-{kurz}.example"),
    ("bibliothek", "Stadtbibliothek {ort}", "Schillerplatz 1", "bibliothek-{kurz}.example"),
    ("sport", "Sportbund {ort} e. V.", "Stadionweg 5", "sportbund-{kurz}.example"),
    ("kunst", "Jugendkunstschule {ort}", "Mühlgasse 9", "jks-{kurz}.example"),
    ("jba", "Jugendberufsagentur {ort}", "Hauptstraße 40", "jba-{kurz}.example"),
    ("ehrenamt", "Freiwilligenagentur {ort}", "Rathausstraße 2", "freiwillig-{kurz}.example"),
    ("dksb", "Kinderschutzbund {ort} e. V.", "Gartenstraße 11", "dksb-{kurz}.example"),
)
#: (Träger-ID, Kategorie, Stufe, Name, Zielgruppen, Alter von, bis unter, Sprachen, Niveau, kostenfrei, Kosten,
#:  Zeiten, Geschlecht, Plätze)
VORLAGEN = (
    ("vhs", "Sprachkurs", "Erwachsenenbildung", "Integrationskurs Deutsch", "Neuzugewanderte; Erwachsene", 16, None,
     "Deutsch; Arabisch; Ukrainisch", "A1; A2; B1", "ja", "frei mit Berechtigung des BAMF", "Mo–Fr 8:30–12:45 Uhr",
     "alle", 20),
    ("vhs", "Sprachkurs", "Erwachsenenbildung", "Alphabetisierungskurs", "Neuzugewanderte; Erwachsene", 18, None,
     "Deutsch; Arabisch; Dari", "A1", "ja", "", "Mo, Mi, Fr 9–12 Uhr", "alle", 12),
    ("vhs", "Sprachkurs", "Erwachsenenbildung", "Deutsch für Mütter mit Kinderbetreuung",
     "Neuzugewanderte; Eltern", 18, None, "Deutsch; Türkisch; Arabisch", "A1; A2", "ja", "",
     "Di und Do 9–11:30 Uhr", "weiblich", 14),
    ("caritas", "Beratung", "Erwachsenenbildung", "Migrationsberatung für Erwachsene", "Neuzugewanderte; Erwachsene",
     27, None, "Deutsch; Russisch; Arabisch; Englisch", "", "ja", "", "Mo–Do 9–16 Uhr, nach Vereinbarung", "alle",
     None),
    ("caritas", "Beratung", "frühe Bildung", "Erziehungs- und Familienberatung", "Eltern; Familien", None, None,
     "Deutsch; Polnisch", "", "ja", "", "Mo–Fr nach Vereinbarung", "alle", None),
    ("caritas", "Elternbildung", "frühe Bildung", "Elterncafé „Gemeinsam stark“", "Eltern; Neuzugewanderte", None,
     None, "Deutsch; Arabisch; Türkisch", "", "ja", "", "Mi 15–17 Uhr", "alle", 15),
    ("awo", "Lernförderung", "Schule", "Hausaufgabenhilfe", "Kinder", 6, 12, "Deutsch", "", "ja", "",
     "Mo–Do 13:30–15:30 Uhr", "alle", 25),
    ("awo", "Ferienprogramm", "non-formal", "Ferienspiele", "Kinder", 6, 13, "Deutsch", "", "nein",
     "25 € je Woche, mit Bildungskarte frei", "Sommerferien Mo–Fr 8–16 Uhr", "alle", 40),
    ("awo", "Sprachkurs", "Schule", "Sprachcafé für Jugendliche", "Jugendliche; Neuzugewanderte", 12, 18,
     "Deutsch; Ukrainisch; Arabisch", "A1; A2", "ja", "", "Fr 15–17 Uhr", "alle", 15),
    ("jmd", "Beratung", "Übergang", "Beratung für junge Zugewanderte", "junge Erwachsene; Neuzugewanderte", 12, 27,
     "Deutsch; Englisch; Arabisch; Farsi", "", "ja", "", "Di–Do 10–16 Uhr", "alle", None),
    ("jmd", "Sprachkurs", "Übergang", "Deutsch für den Beruf (Jugendintegrationskurs)",
     "junge Erwachsene; Neuzugewanderte", 16, 27, "Deutsch", "B1; B2", "ja", "", "Mo–Fr 13–17 Uhr", "alle", 18),
    ("bibliothek", "Leseförderung", "frühe Bildung", "Vorlesestunde mehrsprachig", "Kinder; Eltern", 3, 8,
     "Deutsch; Türkisch; Arabisch; Englisch", "", "ja", "", "Sa 10:30–11:30 Uhr", "alle", 30),
    ("bibliothek", "Leseförderung", "Schule", "Leseclub", "Kinder", 8, 12, "Deutsch", "", "ja", "",
     "Di 16–17:30 Uhr", "alle", 15),
    ("sport", "Sport", "non-formal", "Schwimmkurs für Anfängerinnen und Anfänger", "Kinder", 5, 10, "Deutsch", "",
     "nein", "60 € für 10 Termine", "Sa 9–10 Uhr", "alle", 12),
    ("sport", "Sport", "non-formal", "Mädchenfußball", "Jugendliche", 10, 16, "Deutsch", "", "ja", "",
     "Mo und Mi 17–18:30 Uhr", "weiblich", 22),
    ("kunst", "Kultur", "non-formal", "Theaterwerkstatt", "Jugendliche", 12, 18, "Deutsch; Englisch", "", "nein",
     "15 € im Monat, ermäßigt 5 €", "Do 16–18 Uhr", "alle", 16),
    ("jba", "Berufsorientierung", "Übergang", "Berufsorientierung in Klasse 8–10", "Jugendliche", 13, 18,
     "Deutsch", "", "ja", "", "nach Terminvergabe in der Schule", "alle", None),
    ("jba", "Berufsorientierung", "Übergang", "Ausbildungsbörse", "Jugendliche; Eltern", 14, 25, "Deutsch", "", "ja",
     "", "einmal im Quartal, Sa 10–14 Uhr", "alle", 300),
    ("ehrenamt", "Ehrenamt", "Erwachsenenbildung", "Lesepatenschaften", "Erwachsene; Seniorinnen und Senioren", 18,
     None, "Deutsch", "", "ja", "", "nach Absprache", "alle", None),
    ("dksb", "Elternbildung", "frühe Bildung", "Elternkurs „Starke Eltern – Starke Kinder“", "Eltern; Familien",
     None, None, "Deutsch; Russisch", "", "nein", "30 € für 10 Abende, ermäßigt frei", "Di 19–21 Uhr", "alle", 14),
)  # fmt: skip


def _punkt_in(geom: shapely.Geometry, rng: np.random.Generator) -> shapely.Point:
    """Ein zufälliger Punkt im Inneren einer Fläche (wiederholtes Ziehen im Rechteck, sonst innerer Punkt)."""
    x0, y0, x1, y1 = geom.bounds
    for _ in range(200):
        p = shapely.Point(rng.uniform(x0, x1), rng.uniform(y0, y1))
        if geom.buffer(-20).contains(p):
            return p
    return geom.representative_point()


def register_erzeugen(gebiete: gpd.GeoDataFrame, ort: str, kurz: str, vorwahl: str, plz: str, seed: int,
                      anzahl: int) -> pd.DataFrame:
    """`anzahl` Angebote aus den Vorlagen, verteilt auf die Gebiete (Index = Schlüssel) der feinsten Ebene."""
    rng = np.random.default_rng(seed)
    traeger = {t[0]: t for t in TRAEGER}
    zeilen = []
    schluessel = list(gebiete.index)
    for i in range(anzahl):
        v = VORLAGEN[i % len(VORLAGEN)]
        tid, tname, strasse, domain = traeger[v[0]]
        k = schluessel[int(rng.integers(len(schluessel)))]
        gebietsname = str(gebiete.loc[k, "name"]) if "name" in gebiete.columns else str(k)
        nur_gebiet = i % 17 == 5
        p = gpd.GeoSeries([_punkt_in(gebiete.geometry[k], rng)], crs=gebiete.crs).to_crs("EPSG:4326").iloc[0]
        bestaetigt = STICHTAG - timedelta(days=int(rng.integers(10, 640)))
        abgelaufen = i == 7
        zeilen.append({
            "id": f"{kurz}-{i + 1:03d}", "traeger_id": tid, "traeger": tname.format(ort=ort),
            "name": f"{v[3]} {gebietsname}" if i >= len(VORLAGEN) else v[3], "kategorie": v[1], "bildungsstufe": v[2],
            "beschreibung": f"{v[3]} im Gebiet {gebietsname}. Anmeldung telefonisch oder per E-Mail.",
            "alter_von": v[5], "alter_bis": v[6], "geschlecht": v[12], "zielgruppen": v[4], "sprachniveau": v[8],
            "sprachen": v[7], "kostenfrei": v[9], "kosten": v[10] or ("kostenfrei" if v[9] == "ja" else ""),
            "adresse": f"{strasse}, {plz} {ort}", "telefon": f"{vorwahl} {1000 + i * 37 % 9000}",
            "email": f"info@{domain.format(kurz=kurz)}", "web": f"https://www.{domain.format(kurz=kurz)}/angebote",
            "zeiten": v[11], "barrierefrei": ("ja", "teilweise", "nein")[i % 3], "kapazitaet": v[13],
            "gueltig_von": "2024-01-01", "gueltig_bis": "2026-08-31" if abgelaufen else ("2027-12-31" if i % 4 else ""),
            "bestaetigt_am": bestaetigt.isoformat(), "bestaetigt_von": f"Koordination {tname.format(ort=ort)}",
            "quellenangabe": "Meldung des Trägers", "lizenz": "CC0 1.0",
            "lage": "gebiet" if nur_gebiet else "koordinaten", "gebiet": k if nur_gebiet else "",
            "lon": np.nan if nur_gebiet else round(p.x, 6), "lat": np.nan if nur_gebiet else round(p.y, 6),
        })  # fmt: skip
    return pd.DataFrame(zeilen, columns=list(SPALTEN))


def schreiben(ziel: Path, register: pd.DataFrame) -> None:
    """Die Registerdatei in ihrer kanonischen Form (`kommune.angebotsregister.register_csv`)."""
    (ziel / DATEI).write_bytes(register_csv(register))


#: Abschnitte der kommune.toml: eine Quelle und `[angebotsregister]`.
def toml_zeilen(ort: str) -> list[str]:
    return [
        "", "[[quelle]]", 'id = "register"', f'titel = "Angebotsregister {ort} (synthetisch)"', 'lizenz = "CC0 1.0"',
        f'namensnennung = "Bildungsmonitor – synthetische Beispieldaten {ort}"', 'url = ""',
        "", "[angebotsregister]", f'datei = "{DATEI}"', "monate = 12", 'quelle = "register"', 'lizenz = "CC0 1.0"',
    ]  # fmt: skip


def main(ziel: Path, ort: str, kurz: str, vorwahl: str, plz: str, seed: int, anzahl: int,
         nur_wo_angebote: bool = False) -> int:
    """Das Register einer geschriebenen Beispielkommune erzeugen (Gebiete der Standardebene); Zahl der Angebote.

    `nur_wo_angebote`: nur in Gebieten, die schon Angebote haben (ein Landkreis hat Gemeinden ganz ohne).
    """
    from kommune.laden import kommune_laden

    k = kommune_laden(ziel, version=None)
    ebene = k.konfiguration.standard_ebene or k.konfiguration.ebenen[0].id
    gebiete = k.gebiete[ebene]
    if nur_wo_angebote:
        gebiete = gebiete[gebiete.geometry.intersects(k.angebote[k.angebote["herkunft"] != "register"].union_all())]
    register = register_erzeugen(gebiete, ort, kurz, vorwahl, plz, seed, anzahl)
    schreiben(ziel, register)
    return len(register)

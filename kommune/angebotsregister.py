"""Das Angebotsregister: dokumentiertes Schema, Lesen mit Prüfprotokoll und die eine Registerdatei.

Das Register ist eine Tabelle je Kommune (`[angebotsregister] datei`, CSV mit „;“, UTF-8, Dezimalkomma,
Datum TT.MM.JJJJ), gepflegt über Träger-Vorschläge und Importe (`kommune/angebotspflege.py`). Jede Zeile ist
ein Angebot mit den Feldern aus `FELDER` (Dokumentation: `docs/angebotsregister.md`, aus `FELDER` erzeugt).

Lage ohne Online-Geocoder: Koordinaten (lon/lat in WGS84, auch mit Dezimalkomma), ein Klick auf die Karte
(`lage = "karte"`) oder der Gebietsschlüssel (`gebiet`; der Punkt liegt dann im Inneren des Gebiets,
`lage = "gebiet"`). Intern sind Daten ISO-Text („2025-03-31“), Listen Text mit „; “, ja/nein-Felder „ja“,
„nein“ oder leer. Texte bleiben Text: maskiert wird bei der Anzeige, entschärft beim Export.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from kommune.format import datum, entschaerfen, zahl

TEXT, ZAHL, DATUM, LISTE, AUSWAHL = "text", "zahl", "datum", "liste", "auswahl"


@dataclass(frozen=True)
class Feld:
    """Ein Feld des Registers: ID (Spaltenname), Titel (Spaltenkopf in XLSX/Formular), Art, Pflicht, Auswahl."""

    id: str
    titel: str
    art: str = TEXT
    pflicht: bool = False
    werte: tuple[str, ...] = ()
    hilfe: str = ""
    #: erscheint auf der öffentlichen Seite und in öffentlichen Exporten
    oeffentlich: bool = True
    #: höchstens so viele Zeichen (Text)
    laenge: int = 500


JA_NEIN = ("ja", "nein")
GESCHLECHTER = ("alle", "weiblich", "männlich", "divers")
#: Zielgruppen mit eigenem Filter; andere Angaben bleiben erlaubt und durchsuchbar.
ZIELGRUPPEN = (
    "Kinder", "Jugendliche", "junge Erwachsene", "Erwachsene", "Eltern", "Familien", "Neuzugewanderte",
    "Geflüchtete", "Menschen mit Behinderung", "Seniorinnen und Senioren", "Fachkräfte",
)  # fmt: skip
SPRACHNIVEAUS = ("A1", "A2", "B1", "B2", "C1", "C2")
LAGEN = ("koordinaten", "karte", "gebiet")

FELDER: tuple[Feld, ...] = (
    Feld("id", "Angebots-ID", pflicht=True, laenge=64,
         hilfe="eindeutig im Register; leer bei neuen Angeboten (wird vergeben)"),
    Feld("traeger_id", "Träger-ID", pflicht=True, laenge=64, hilfe="Kennung des Trägers, der das Angebot pflegt"),
    Feld("traeger", "Träger", pflicht=True, hilfe="Name des Trägers"),
    Feld("name", "Name", pflicht=True, laenge=200),
    Feld("kategorie", "Kategorie", pflicht=True, laenge=100, hilfe="z. B. Sprachkurs, Beratung, Ferienprogramm"),
    Feld("bildungsstufe", "Stufe der Bildungskette", laenge=100,
         hilfe="frühe Bildung, Schule, Übergang, non-formal, Erwachsenenbildung"),
    Feld("beschreibung", "Beschreibung", laenge=2000),
    Feld("alter_von", "Alter von", ZAHL, hilfe="Jahre, einschließlich"),
    Feld("alter_bis", "Alter bis unter", ZAHL, hilfe="Jahre, ausschließlich („6 bis unter 15“)"),
    Feld("geschlecht", "Geschlecht", AUSWAHL, werte=GESCHLECHTER, hilfe="leer = alle"),
    Feld("zielgruppen", "Zielgruppen", LISTE, werte=ZIELGRUPPEN, hilfe="mit „;“ getrennt; weitere Angaben erlaubt"),
    Feld("sprachniveau", "Sprachniveau", LISTE, werte=SPRACHNIVEAUS, hilfe="GER-Stufen, z. B. „A1; A2“"),
    Feld("sprachen", "Sprachen", LISTE, hilfe="mit „;“ getrennt, z. B. „Deutsch; Arabisch“"),
    Feld("kostenfrei", "Kostenfrei", AUSWAHL, werte=JA_NEIN),
    Feld("kosten", "Kosten", hilfe="z. B. „5 € je Termin, ermäßigt frei“"),
    Feld("adresse", "Adresse"),
    Feld("telefon", "Telefon", laenge=40),
    Feld("email", "E-Mail", laenge=254),
    Feld("web", "Webseite", laenge=500, hilfe="mit http:// oder https://"),
    Feld("zeiten", "Zeiten", hilfe="z. B. „Mo–Do 15–17 Uhr, nicht in den Ferien“"),
    Feld("barrierefrei", "Barrierefrei", AUSWAHL, werte=("ja", "teilweise", "nein")),
    Feld("kapazitaet", "Plätze", ZAHL, hilfe="Zahl der Plätze"),
    Feld("gueltig_von", "Gültig von", DATUM),
    Feld("gueltig_bis", "Gültig bis", DATUM, hilfe="danach nicht mehr öffentlich"),
    Feld("bestaetigt_am", "Zuletzt bestätigt am", DATUM),
    Feld("bestaetigt_von", "Bestätigt von", oeffentlich=False, laenge=200),
    Feld("quellenangabe", "Quelle der Angabe", laenge=300, hilfe="z. B. „Meldung des Trägers“"),
    Feld("lizenz", "Lizenz", laenge=200, hilfe="z. B. „dl-de/by-2-0“ oder „CC BY 4.0“"),
    Feld("lage", "Lage aus", AUSWAHL, werte=LAGEN, hilfe="koordinaten, karte (Klick) oder gebiet (Schlüssel)"),
    Feld("gebiet", "Gebietsschlüssel", laenge=64, hilfe="wenn keine Koordinaten: Punkt im Gebiet"),
    Feld("lon", "Längengrad", ZAHL, hilfe="WGS84, z. B. 13,4050"),
    Feld("lat", "Breitengrad", ZAHL, hilfe="WGS84, z. B. 52,5200"),
)  # fmt: skip
FELD: dict[str, Feld] = {f.id: f for f in FELDER}
SPALTEN: tuple[str, ...] = tuple(f.id for f in FELDER)
#: Felder, die das Register neben `kommune.laden.ANGEBOT_SPALTEN` in `Kommune.angebote` bringt.
ZUSATZ_SPALTEN: tuple[str, ...] = tuple(
    s for s in SPALTEN if s not in ("id", "kategorie", "bildungsstufe", "name", "traeger", "kapazitaet", "adresse",
                                    "alter_von", "alter_bis")
)  # fmt: skip
ZAHL_SPALTEN = tuple(f.id for f in FELDER if f.art == ZAHL)

_EMAIL = re.compile(r"^[^@\s;,<>\"']+@[^@\s;,<>\"']+\.[A-Za-z]{2,}$")
_WEB = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
_TELEFON = re.compile(r"^[0-9+()/\-. ]{3,40}$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
_DATUM_DE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_DATUM_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?$")
_KOPF_NORM = re.compile(r"[^a-z0-9äöüß]")


def _norm(text: Any) -> str:
    return _KOPF_NORM.sub("", str(text).strip().lower())


#: Spaltenköpfe, unter denen ein Feld erkannt wird: ID, Titel und einige gebräuchliche Namen.
_KOEPFE: dict[str, str] = {
    **{_norm(f.id): f.id for f in FELDER},
    **{_norm(f.titel): f.id for f in FELDER},
    **{_norm(k): v for k, v in {
        "Träger-Kennung": "traeger_id", "Angebot": "name", "Bezeichnung": "name", "Stufe": "bildungsstufe",
        "Bildungsstufe": "bildungsstufe", "Alter bis": "alter_bis", "Zielgruppe": "zielgruppen",
        "Sprache": "sprachen", "Mail": "email", "Internet": "web", "URL": "web", "Öffnungszeiten": "zeiten",
        "Kapazität": "kapazitaet", "Lizenz der Daten": "lizenz", "Quelle": "quellenangabe", "Gebiet": "gebiet",
        "x": "lon", "y": "lat",
        "Länge": "lon", "Breite": "lat", "longitude": "lon", "latitude": "lat", "Bestätigt am": "bestaetigt_am",
    }.items()},
}  # fmt: skip


def feld_fuer_kopf(kopf: Any) -> str | None:
    """Das Feld zu einem Spaltenkopf (ID, Titel oder gebräuchlicher Name; Groß-/Kleinschreibung egal)."""
    return _KOEPFE.get(_norm(kopf))


def leeres_register() -> pd.DataFrame:
    """Ein Register ohne Zeilen, alle Spalten als Text bzw. Zahl."""
    return pd.DataFrame({s: pd.Series(dtype=float if s in ZAHL_SPALTEN else object) for s in SPALTEN})


# -- Werte lesen ------------------------------------------------------------------------------------------------


def datum_lesen(wert: Any) -> str | None:
    """Ein Datum als ISO-Text aus „31.12.2024“, „2024-12-31“, `date`/`datetime` oder einer Excel-Seriennummer;
    "" für leer, None für unlesbar."""
    if wert is None or (isinstance(wert, float) and math.isnan(wert)):
        return ""
    if isinstance(wert, datetime):
        return wert.date().isoformat()
    if isinstance(wert, date):
        return wert.isoformat()
    if isinstance(wert, int | float) and 20000 < float(wert) < 80000:
        return (date(1899, 12, 30) + timedelta(days=int(wert))).isoformat()
    text = str(wert).strip()
    if not text:
        return ""
    try:
        if m := _DATUM_DE.match(text):
            return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        if m := _DATUM_ISO.match(text):
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None
    return None


def datum_text(iso: Any) -> str:
    """ISO-Datum des Registers als TT.MM.JJJJ (leer bleibt leer)."""
    if not isinstance(iso, str) or not iso:
        return ""
    try:
        return datum(date.fromisoformat(iso))
    except ValueError:
        return iso


def zahl_lesen(wert: Any, tausenderpunkt: bool = False) -> float | None:
    """Eine Zahl aus 12, „12“, „12,5“, „1.234,5“ oder „13.405“ (Punkt als Dezimalzeichen, wenn kein Komma –
    außer `tausenderpunkt`: dann ist „1.200“ zwölfhundert); NaN für leer, None für unlesbar."""
    if wert is None or (isinstance(wert, float) and math.isnan(wert)):
        return math.nan
    if isinstance(wert, bool):
        return None
    if isinstance(wert, int | float):
        return float(wert) if math.isfinite(float(wert)) else None
    text = str(wert).strip().replace("\u2212", "-").replace(" ", "")
    if not text:
        return math.nan
    if "," in text or (tausenderpunkt and re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text)):
        text = text.replace(".", "").replace(",", ".")
    try:
        x = float(text)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def liste_lesen(wert: Any) -> list[str]:
    """Listeneinträge aus „a; b“, „a, b“ oder Zeilenumbrüchen, ohne Leere und Dubletten."""
    if wert is None or (isinstance(wert, float) and math.isnan(wert)):
        return []
    teile = re.split(r"[;\n|]|,(?!\d)", str(wert))
    aus: list[str] = []
    for t in (" ".join(t.split()) for t in teile):
        if t and t not in aus:
            aus.append(t)
    return aus


def liste_text(eintraege: Iterable[str]) -> str:
    """Die Registerform einer Liste: „a; b“."""
    return "; ".join(eintraege)


def hat_eintrag(spalte: pd.Series, eintrag: str) -> pd.Series:
    """Welche Zeilen `eintrag` in einer Listenspalte führen (ohne Groß-/Kleinschreibung)."""
    ziel = eintrag.strip().lower()
    return spalte.fillna("").astype(str).map(lambda t: ziel in (e.lower() for e in liste_lesen(t)))


def _auswahl(feld: Feld, text: str) -> str | None:
    for w in feld.werte:
        if text.lower() == w.lower():
            return w
    if feld.werte == JA_NEIN or feld.id == "barrierefrei":
        if text.lower() in ("j", "x", "1", "wahr", "true", "yes"):
            return "ja"
        if text.lower() in ("n", "0", "falsch", "false", "no"):
            return "nein"
    return None


def wert_lesen(feld: Feld, roh: Any) -> tuple[Any, str]:
    """(Wert in Registerform, Fehlertext oder "") für ein Feld."""
    if feld.art == ZAHL:
        x = zahl_lesen(roh, tausenderpunkt=feld.id not in ("lon", "lat"))
        if x is None:
            return math.nan, f"„{str(roh)[:40]}“ ist keine Zahl."
        if feld.id in ("alter_von", "alter_bis", "kapazitaet") and not math.isnan(x) and not 0 <= x <= 1_000_000:
            return math.nan, f"{zahl(x)} liegt außerhalb des erlaubten Bereichs."
        return x, ""
    if feld.art == DATUM:
        d = datum_lesen(roh)
        return ("", f"„{str(roh)[:40]}“ ist kein Datum (TT.MM.JJJJ).") if d is None else (d, "")
    text = "" if roh is None or (isinstance(roh, float) and math.isnan(roh)) else " ".join(str(roh).split())
    if isinstance(roh, float) and roh.is_integer() and feld.art == TEXT:
        text = str(int(roh))
    if len(text) > feld.laenge:
        return text[: feld.laenge], f"Der Text ist länger als {zahl(feld.laenge, 0)} Zeichen."
    if not text:
        return "", ""
    if feld.art == AUSWAHL:
        w = _auswahl(feld, text)
        return ("", f"„{text[:40]}“ ist nicht erlaubt (erlaubt: {', '.join(feld.werte)}).") if w is None else (w, "")
    if feld.art == LISTE:
        eintraege = liste_lesen(text)
        if feld.id == "sprachniveau":
            falsch = [e for e in eintraege if e.upper() not in SPRACHNIVEAUS]
            if falsch:
                return "", f"„{falsch[0][:20]}“ ist keine GER-Stufe (A1 … C2)."
            eintraege = [e.upper() for e in eintraege]
        if feld.id == "zielgruppen":
            eintraege = [next((z for z in ZIELGRUPPEN if z.lower() == e.lower()), e) for e in eintraege]
        return liste_text(dict.fromkeys(eintraege)), ""
    if feld.id == "email" and not _EMAIL.match(text):
        return "", f"„{text[:60]}“ ist keine E-Mail-Adresse."
    if feld.id == "web" and not _WEB.match(text):
        return "", f"„{text[:60]}“ ist keine Webadresse (mit http:// oder https://)."
    if feld.id == "telefon" and not _TELEFON.match(text):
        return "", f"„{text[:40]}“ ist keine Telefonnummer."
    if feld.id in ("id", "traeger_id") and not _ID.match(text):
        return "", "Erlaubt sind Buchstaben, Ziffern, „_“, „-“ und „.“ (höchstens 64 Zeichen)."
    return text, ""


def zeile_lesen(roh: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Eine Zeile (Feld → Rohwert) in Registerform; Fehler als (Feld, Text). Fehlende Felder sind leer."""
    werte: dict[str, Any] = {}
    fehler: list[tuple[str, str]] = []
    for f in FELDER:
        w, text = wert_lesen(f, roh.get(f.id))
        werte[f.id] = w
        if text:
            fehler.append((f.id, text))
    for f in FELDER:
        if f.pflicht and f.id != "id" and werte[f.id] in ("", None):
            fehler.append((f.id, "Das Feld ist Pflicht."))
    von, bis = werte["alter_von"], werte["alter_bis"]
    if not (math.isnan(von) or math.isnan(bis)) and von >= bis:
        fehler.append(("alter_bis", f"„Alter bis unter“ ({zahl(bis)}) muss größer als „Alter von“ ({zahl(von)}) sein."))
    if werte["gueltig_von"] and werte["gueltig_bis"] and werte["gueltig_von"] > werte["gueltig_bis"]:
        fehler.append(("gueltig_bis", "„Gültig bis“ liegt vor „Gültig von“."))
    if werte["bestaetigt_am"] and werte["bestaetigt_am"] > date.today().isoformat():
        fehler.append(("bestaetigt_am", "Das Bestätigungsdatum liegt in der Zukunft."))
    return werte, fehler


# -- Lage -------------------------------------------------------------------------------------------------------


def lagen_bestimmen(
    register: pd.DataFrame, gebiete: dict[str, gpd.GeoDataFrame], crs: str
) -> tuple[gpd.GeoDataFrame, dict[int, str]]:
    """Punkte im CRS der Kommune aus lon/lat oder dem Gebietsschlüssel, auf einmal für alle Zeilen.

    Ergebnis: das Register mit Geometrie und aufgelösten `lage`, `gebiet`, `lon`, `lat` und die Fehler je
    Position (Zeilen ohne Lage, mit Punkt außerhalb aller Gebiete oder unbekanntem Schlüssel); fehlerhafte
    Zeilen behalten eine leere Geometrie. Ein Punkt außerhalb aller Gebiete ist ein Fehler (das Register kennt
    nur Angebote in der Kommune).
    """
    r = register.reset_index(drop=True).copy()
    lon = pd.to_numeric(r["lon"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(r["lat"], errors="coerce").to_numpy(dtype=float)
    fehler: dict[int, str] = {}
    aus_gebiet = (r["lage"].astype(str) == "gebiet").to_numpy() & (r["gebiet"].fillna("").astype(str) != "").to_numpy()
    mit_koord = ~(np.isnan(lon) | np.isnan(lat)) & ~aus_gebiet  # „gebiet“: der Punkt folgt dem Gebiet
    ausserhalb_wgs = mit_koord & ((np.abs(lon) > 180) | (np.abs(lat) > 90))
    for i in np.flatnonzero(ausserhalb_wgs):
        fehler[int(i)] = "Die Koordinaten sind keine WGS84-Längen-/Breitengrade."
    mit_koord &= ~ausserhalb_wgs
    geom = np.full(len(r), None, dtype=object)
    if mit_koord.any():
        pkt = gpd.GeoSeries(shapely.points(lon[mit_koord], lat[mit_koord]), crs="EPSG:4326").to_crs(crs)
        geom[mit_koord] = pkt.to_numpy()
    schluessel = r["gebiet"].fillna("").astype(str).to_numpy()
    feinste = sorted(gebiete.values(), key=len, reverse=True)
    for i in np.flatnonzero(~mit_koord & ~ausserhalb_wgs):
        k = schluessel[i]
        gdf = next((g for g in feinste if k and k in g.index), None)
        if gdf is None:
            fehler[int(i)] = (
                f"Den Gebietsschlüssel „{k[:40]}“ gibt es nicht." if k
                else "Ohne Koordinaten braucht das Angebot einen Gebietsschlüssel (kein Online-Geocoder)."
            )
            continue
        geom[i] = gdf.geometry[k].representative_point()
        r.at[i, "lage"] = "gebiet"
    punkte = gpd.GeoDataFrame(r, geometry=gpd.GeoSeries(geom, crs=crs), crs=crs)
    hat = punkte.geometry.notna().to_numpy()
    gebiet = _gebiete_fuer_punkte(punkte.geometry[hat], feinste)
    for i, g in zip(np.flatnonzero(hat), gebiet, strict=True):
        if g is None:
            fehler[int(i)] = f"Der Punkt ({zahl(lat[i], 5)}, {zahl(lon[i], 5)}) liegt außerhalb der Kommune."
        elif not schluessel[i] or mit_koord[i]:
            punkte.at[i, "gebiet"] = g
    koord = mit_koord & hat
    punkte.loc[koord & ~punkte["lage"].isin(["koordinaten", "karte"]).to_numpy(), "lage"] = "koordinaten"
    gesetzt = hat & ~mit_koord
    if gesetzt.any():
        wgs = punkte.geometry[gesetzt].to_crs("EPSG:4326")
        punkte.loc[gesetzt, "lon"] = wgs.x.round(6).to_numpy()
        punkte.loc[gesetzt, "lat"] = wgs.y.round(6).to_numpy()
    return punkte, fehler


def _gebiete_fuer_punkte(punkte: gpd.GeoSeries, feinste: list[gpd.GeoDataFrame]) -> list[str | None]:
    """Je Punkt der Schlüssel des feinsten Gebiets (die Ebene mit den meisten Gebieten), das ihn enthält."""
    aus: list[str | None] = [None] * len(punkte)
    if not feinste or not len(punkte):
        return aus
    gdf = feinste[0]
    idx_p, idx_g = gdf.sindex.query(punkte.to_numpy(), predicate="intersects")
    for p, g in zip(idx_p, idx_g, strict=True):
        if aus[p] is None:
            aus[p] = str(gdf.index[g])
    return aus


# -- Register als Tabelle -----------------------------------------------------------------------------------------


#: Meldet einen Fehler einer Zeile: (Dateizeile, Feld oder "", Text).
Melden = Callable[[int, str, str], None]


def zeilen_pruefen(
    roh: pd.DataFrame,
    zeilennummern: Iterable[int],
    gebiete: dict[str, gpd.GeoDataFrame],
    crs: str,
    melden: Melden,
) -> gpd.GeoDataFrame:
    """Rohzeilen (Spalten = Feld-IDs, fehlende Felder erlaubt) prüfen; die fehlerfreien als Register mit Punkten.

    Jede fehlerhafte Zeile wird mit Dateizeile und Feld gemeldet und weggelassen; doppelte IDs sind Fehler
    (beide Zeilen). Leere IDs bleiben leer (neue Angebote; `kommune.angebotspflege` vergibt sie).
    """
    nummern = list(zeilennummern)
    gelesen: list[dict[str, Any]] = []
    gut: list[int] = []
    for pos, zeile in enumerate(roh.to_dict("records")):
        werte, fehler = zeile_lesen(zeile)
        for feld, text in fehler:
            melden(nummern[pos], FELD[feld].titel, text)
        if not fehler:
            gelesen.append(werte)
            gut.append(pos)
    register = pd.DataFrame(gelesen, columns=list(SPALTEN)) if gelesen else leeres_register()
    for s in ZAHL_SPALTEN:
        register[s] = pd.to_numeric(register[s], errors="coerce").astype(float)
    punkte, lagefehler = lagen_bestimmen(register, gebiete, crs)
    ids = punkte["id"].astype(str)
    doppelt = ids.ne("") & ids.duplicated(keep=False)
    for i in np.flatnonzero(doppelt.to_numpy()):
        lagefehler.setdefault(int(i), f"Die Angebots-ID „{ids.iloc[i][:40]}“ kommt mehrfach vor.")
    for i, text in sorted(lagefehler.items()):
        melden(nummern[gut[i]], "" if "ID" in text else FELD["lon"].titel, text)
    behalten = np.ones(len(punkte), dtype=bool)
    behalten[list(lagefehler)] = False
    return punkte[behalten].reset_index(drop=True)


def tabelle_zu_feldern(tabelle: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Spaltenköpfe einer gelesenen Tabelle den Feldern zuordnen: (Tabelle mit Feld-IDs, unbekannte Köpfe)."""
    zuordnung: dict[Any, str] = {}
    unbekannt: list[str] = []
    for kopf in tabelle.columns:
        feld = feld_fuer_kopf(kopf)
        if feld is None or feld in zuordnung.values():
            unbekannt.append(str(kopf))
        else:
            zuordnung[kopf] = feld
    return tabelle[list(zuordnung)].rename(columns=zuordnung), unbekannt


def registerdatei_lesen(
    inhalt: bytes, gebiete: dict[str, gpd.GeoDataFrame], crs: str, melden: Melden
) -> gpd.GeoDataFrame:
    """Die Registerdatei (`register_csv`) lesen und prüfen; Zeilennummern der Datei (Kopf = 1)."""
    try:
        text = inhalt.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = inhalt.decode("cp1252", errors="replace")
    tabelle = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False) if text.strip() else None
    if tabelle is None:
        return zeilen_pruefen(leeres_register(), [], gebiete, crs, melden)
    felder, _ = tabelle_zu_feldern(tabelle)
    return zeilen_pruefen(felder, range(2, len(felder) + 2), gebiete, crs, melden)


def _zelle(feld: Feld, wert: Any) -> Any:
    if feld.art == ZAHL:
        return "" if wert is None or pd.isna(wert) else zahl(float(wert), 6, tausender="", minus="-", kuerzen=True)
    if feld.art == DATUM:
        return datum_text(wert)
    return "" if wert is None or (isinstance(wert, float) and math.isnan(wert)) else str(wert)


def register_tabelle(register: pd.DataFrame) -> pd.DataFrame:
    """Das Register mit Spaltentiteln und deutschen Zahlen/Daten (für CSV und XLSX), Texte entschärft."""
    daten = {f.titel: [entschaerfen(_zelle(f, w)) for w in register[f.id]] for f in FELDER}
    return pd.DataFrame(daten, columns=[f.titel for f in FELDER])


def register_csv(register: pd.DataFrame) -> bytes:
    """Die Registerdatei: CSV mit „;“, UTF-8 mit BOM (Excel), Kopf = Feldtitel, sortiert nach ID."""
    tabelle = register_tabelle(register.sort_values("id", kind="stable") if len(register) else register)
    return tabelle.to_csv(sep=";", index=False, lineterminator="\r\n").encode("utf-8-sig")


def register_xlsx(register: pd.DataFrame, blatt: str = "Angebote") -> bytes:
    """Register als XLSX (openpyxl) mit einem Blatt „Felder“ (Titel, Art, Pflicht, erlaubte Werte, Hinweis)."""
    puffer = io.BytesIO()
    with pd.ExcelWriter(puffer, engine="openpyxl") as schreiber:
        register_tabelle(register).to_excel(schreiber, sheet_name=blatt, index=False)
        felder_tabelle().to_excel(schreiber, sheet_name="Felder", index=False)
        for name in (blatt, "Felder"):
            ws = schreiber.sheets[name]
            ws.freeze_panes = "A2"
            for spalte in ws.columns:
                ws.column_dimensions[spalte[0].column_letter].width = 18
    return puffer.getvalue()


ARTEN = {TEXT: "Text", ZAHL: "Zahl", DATUM: "Datum (TT.MM.JJJJ)", LISTE: "Liste (mit ; getrennt)", AUSWAHL: "Auswahl"}


def felder_tabelle() -> pd.DataFrame:
    """Die Felder als Tabelle (Dokumentation, Blatt „Felder“)."""
    return pd.DataFrame(
        [
            {
                "Spalte": f.titel,
                "Feld": f.id,
                "Art": ARTEN[f.art],
                "Pflicht": "ja" if f.pflicht else "",
                "Erlaubte Werte": ", ".join(f.werte),
                "Öffentlich": "ja" if f.oeffentlich else "nein",
                "Hinweis": f.hilfe,
            }
            for f in FELDER
        ]
    )


def ist_gueltig(register: pd.DataFrame, heute: date | None = None) -> np.ndarray:
    """Welche Angebote heute gelten (gültig von ≤ heute ≤ gültig bis; leere Grenzen gelten immer)."""
    tag = (heute or date.today()).isoformat()
    von = register["gueltig_von"].fillna("").astype(str) if "gueltig_von" in register else pd.Series("", register.index)
    bis = register["gueltig_bis"].fillna("").astype(str) if "gueltig_bis" in register else pd.Series("", register.index)
    return (((von == "") | (von <= tag)) & ((bis == "") | (bis >= tag))).to_numpy()

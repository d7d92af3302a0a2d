"""Der öffentliche Angebotsfinder (rein, ohne Streamlit): Filterzustand, Filter, URL-Parameter, Karte ⇄ Liste.

Öffentlich ist nur, was gilt (`kommune.angebotsregister.ist_gueltig`: abgelaufene oder noch nicht begonnene
Angebote fehlen) und nur in öffentlichen Feldern (`Feld.oeffentlich`; „bestätigt von“ ist personenbezogen und
fehlt immer): `oeffentliche_angebote`. Der Filterzustand (`Filterzustand`) geht verlustfrei in URL-Parameter und
zurück; kaputte oder feindliche Parameter werden mit deutschem Hinweis ignoriert, nie mit einem Fehler.

Karte und Liste: die Karte bekommt alle öffentlichen Angebote einmal (Ebenen je Kategorie in der Reihenfolge
`kartenreihenfolge`) und je Filterwechsel nur `sichtbarkeit`, eine Bitmaske als Base64-Text (Berlin ≈ 4.300
Angebote → 720 Zeichen); ein Klick auf ein Angebot kommt als Position in dieser Reihenfolge zurück.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.angebotsuebersicht import BILDUNGSKETTE, alter_maske, alter_text, kontakt_text, kosten_text
from geodata.anzeige import punkte_wgs84
from geodata.kartendaten import angebote_je_kategorie
from geodata.kodierung import inhalt_hash
from kommune.angebotsregister import FELD, FELDER, ZIELGRUPPEN, datum_text, hat_eintrag, ist_gueltig, liste_lesen
from kommune.format import markdown_text, zahl
from kommune.laden import Kommune
from kommune.zwischenspeicher import Objektcache

#: Spalten von `Kommune.angebote`, die nie öffentlich werden (personenbezogen oder intern).
NICHT_OEFFENTLICH: tuple[str, ...] = tuple(f.id for f in FELDER if not f.oeffentlich)
#: Felder, in denen die Freitextsuche sucht.
SUCHFELDER = ("name", "traeger", "beschreibung", "adresse", "kategorie")
#: Höchstlänge eines Parameterwerts (länger: gekürzt bzw. ignoriert).
MAX_LAENGE = 200
MAX_ALTER = 120
_STEUER = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
_JA = ("1", "ja", "true", "wahr", "on")
_NEIN = ("0", "nein", "false", "falsch", "off", "")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_CACHE = Objektcache("geodata.angebotsfinder", max_je_objekt=8)


@dataclass(frozen=True)
class Filterzustand:
    """Was der Angebotsfinder filtert (leer = kein Filter) und welches Angebot ausgewählt ist (kein Filter)."""

    zielgruppe: str = ""
    alter: int | None = None
    sprache: str = ""
    stufe: str = ""
    kategorie: str = ""
    gebiet_ebene: str = ""
    gebiet: str = ""
    suche: str = ""
    kostenfrei: bool = False
    barrierefrei: bool = False
    #: ID des ausgewählten Angebots (Klick in der Karte); filtert nicht
    angebot: str = ""

    def filter_gesetzt(self) -> bool:
        """Ist irgendein Filter gesetzt (die Auswahl eines Angebots zählt nicht)?"""
        return replace(self, angebot="") != Filterzustand()


#: URL-Parameter je Feld des Filterzustands; das Gebiet steht als „Ebene:Schlüssel“ in `bereich`.
PARAMETER: dict[str, str] = {
    "zielgruppe": "zielgruppe",
    "alter": "alter",
    "sprache": "sprache",
    "stufe": "stufe",
    "kategorie": "kategorie",
    "gebiet": "bereich",
    "suche": "suche",
    "kostenfrei": "kostenfrei",
    "barrierefrei": "barrierefrei",
    "angebot": "angebot",
}
#: Bezeichnungen der Filter in Hinweisen und Beschreibungen.
TITEL: dict[str, str] = {
    "zielgruppe": "Zielgruppe",
    "alter": "Alter",
    "sprache": "Sprache",
    "stufe": "Stufe der Bildungskette",
    "kategorie": "Kategorie",
    "gebiet": "Gebiet",
    "suche": "Suche",
    "kostenfrei": "nur kostenfrei",
    "barrierefrei": "nur barrierefrei",
    "angebot": "Angebot",
}


@dataclass(frozen=True)
class Optionen:
    """Was sich wählen lässt (aus den öffentlichen Angeboten und den Ebenen der Kommune)."""

    zielgruppen: tuple[str, ...]
    sprachen: tuple[str, ...]
    stufen: tuple[str, ...]
    kategorien: tuple[str, ...]
    #: Ebene → (Name der Ebene, Gebiet → Name)
    ebenen: dict[str, tuple[str, dict[str, str]]]
    angebote: frozenset[str]


# -- öffentliche Angebote -----------------------------------------------------------------------------------------


def oeffentliche_angebote(angebote: gpd.GeoDataFrame, heute: date | None = None) -> gpd.GeoDataFrame:
    """Nur geltende Angebote (`ist_gueltig`), ohne nicht öffentliche Spalten (z. B. `bestaetigt_von`)."""
    gilt = ist_gueltig(angebote, heute) if len(angebote) else np.zeros(0, dtype=bool)
    spalten = [s for s in angebote.columns if s not in NICHT_OEFFENTLICH]
    return angebote.loc[gilt, spalten]


def optionen_von(kommune: Kommune, heute: date | None = None) -> Optionen:
    """`optionen` zu `oeffentliche_angebote_von`, einmal je Tag gerechnet."""
    tag = heute or date.today()
    return _CACHE.holen(kommune, ("optionen", tag), lambda: optionen(kommune, oeffentliche_angebote_von(kommune, tag)))


def oeffentliche_angebote_von(kommune: Kommune, heute: date | None = None) -> gpd.GeoDataFrame:
    """`oeffentliche_angebote` der Kommune, einmal je Tag gerechnet (am Kommune-Objekt gespeichert)."""
    tag = heute or date.today()
    return _CACHE.holen(kommune, ("oeffentlich", tag), lambda: oeffentliche_angebote(kommune.angebote, tag))


def _sortiert_eindeutig(werte: Any) -> tuple[str, ...]:
    return tuple(sorted({str(w).strip() for w in werte if str(w).strip()}, key=str.casefold))


def optionen(kommune: Kommune, angebote: gpd.GeoDataFrame) -> Optionen:
    """Die wählbaren Werte: nur, was in den Angeboten vorkommt (Zielgruppen in der Reihenfolge von `ZIELGRUPPEN`,
    Stufen entlang der Bildungskette); Gebiete aller statistischen Ebenen."""
    ziel: list[str] = []
    sprachen: list[str] = []
    for text in angebote["zielgruppen"] if "zielgruppen" in angebote else []:
        ziel.extend(liste_lesen(text))
    for text in angebote["sprachen"] if "sprachen" in angebote else []:
        sprachen.extend(liste_lesen(text))
    vorhanden = {z.casefold() for z in ziel}
    zielgruppen = tuple(z for z in ZIELGRUPPEN if z.casefold() in vorhanden) + tuple(
        z for z in _sortiert_eindeutig(ziel) if z.casefold() not in {g.casefold() for g in ZIELGRUPPEN}
    )
    sprachen_t = _sortiert_eindeutig(sprachen)
    if "Deutsch" in sprachen_t:
        sprachen_t = ("Deutsch", *(s for s in sprachen_t if s != "Deutsch"))
    stufen_da = set(angebote["bildungsstufe"].astype(str)) if len(angebote) else set()
    stufen = tuple(s for s in BILDUNGSKETTE if s in stufen_da) + tuple(
        s for s in _sortiert_eindeutig(stufen_da) if s not in BILDUNGSKETTE
    )
    ebenen = {
        e.id: (e.name, {str(k): str(n) for k, n in kommune.gebiete[e.id]["name"].items()})
        for e in kommune.konfiguration.ebenen
        if e.id in kommune.gebiete
    }
    return Optionen(
        zielgruppen=zielgruppen,
        sprachen=sprachen_t,
        stufen=stufen,
        kategorien=_sortiert_eindeutig(angebote["kategorie"]) if len(angebote) else (),
        ebenen=ebenen,
        angebote=frozenset(angebote["id"].astype(str)) if len(angebote) else frozenset(),
    )


# -- Filter -------------------------------------------------------------------------------------------------------


def suchtext(angebote: pd.DataFrame) -> pd.Series:
    """Je Angebot der durchsuchte Text (Name, Träger, Beschreibung, Adresse, Kategorie), klein geschrieben."""
    teile = [angebote[s].fillna("").astype(str) for s in SUCHFELDER if s in angebote]
    if not teile:
        return pd.Series("", index=angebote.index)
    text = teile[0]
    for t in teile[1:]:
        text = text + "\n" + t
    return text.str.casefold()


def gebiet_maske(angebote: gpd.GeoDataFrame, kommune: Kommune, ebene: str, gebiet: str) -> np.ndarray:
    """Welche Angebote in der Fläche des Gebiets liegen (Punkt in Polygon, Rand zählt dazu)."""
    gdf = kommune.gebiete.get(ebene)
    if gdf is None or gebiet not in gdf.index or not len(angebote):
        return np.zeros(len(angebote), dtype=bool)
    flaeche = gdf.geometry[gebiet]
    punkte = angebote.geometry
    if punkte.crs is not None and gdf.crs is not None and punkte.crs != gdf.crs:
        punkte = punkte.to_crs(gdf.crs)
    shapely.prepare(flaeche)
    geom = punkte.to_numpy()
    ok = ~(shapely.is_missing(geom) | shapely.is_empty(geom))
    aus = np.zeros(len(angebote), dtype=bool)
    aus[ok] = shapely.intersects(flaeche, geom[ok])
    return aus


def filtern(
    angebote: gpd.GeoDataFrame, zustand: Filterzustand, kommune: Kommune, heute: date | None = None
) -> pd.Series:
    """Maske (Index wie `angebote`): gilt heute und passt zu jedem gesetzten Filter.

    Zielgruppe und Sprache: Eintrag in der Liste (ohne Groß-/Kleinschreibung); Alter: wie
    `angebotsuebersicht.alter_maske` (ohne Altersangabe passt ein Angebot); Gebiet: Punkt in der Fläche;
    Suche: jedes Wort kommt in Name, Träger, Beschreibung, Adresse oder Kategorie vor; nur kostenfrei /
    barrierefrei: „ja“ im Register.
    """
    idx = angebote.index
    if not len(angebote):
        return pd.Series(np.zeros(0, dtype=bool), index=idx)
    maske = pd.Series(ist_gueltig(angebote, heute), index=idx)
    if zustand.kategorie:
        maske &= angebote["kategorie"].astype(str) == zustand.kategorie
    if zustand.stufe:
        maske &= angebote["bildungsstufe"].astype(str) == zustand.stufe
    if zustand.zielgruppe:
        maske &= hat_eintrag(angebote["zielgruppen"], zustand.zielgruppe)
    if zustand.sprache:
        maske &= hat_eintrag(angebote["sprachen"], zustand.sprache)
    if zustand.alter is not None:
        maske &= alter_maske(angebote, float(zustand.alter))
    if zustand.kostenfrei:
        maske &= angebote["kostenfrei"].fillna("").astype(str) == "ja"
    if zustand.barrierefrei:
        maske &= angebote["barrierefrei"].fillna("").astype(str) == "ja"
    if zustand.gebiet_ebene and zustand.gebiet:
        maske &= gebiet_maske(angebote, kommune, zustand.gebiet_ebene, zustand.gebiet)
    woerter = zustand.suche.casefold().split()
    if woerter:
        text = suchtext(angebote)
        for w in woerter:
            maske &= text.str.contains(w, regex=False)
    return maske.astype(bool)


def beschreibung(zustand: Filterzustand, opt: Optionen) -> str:
    """Der Filter in Worten („Zielgruppe: Kinder · Alter: 8 Jahre“), leer ohne Filter (nur Text, unmaskiert)."""
    teile = []
    for f in ("zielgruppe", "sprache", "kategorie", "suche"):
        if wert := getattr(zustand, f):
            teile.append(f"{TITEL[f]}: {wert}")
    if zustand.stufe:
        teile.append(f"{TITEL['stufe']}: {BILDUNGSKETTE.get(zustand.stufe, zustand.stufe)}")
    if zustand.alter is not None:
        teile.append(f"Alter: {zahl(zustand.alter, 0)} {'Jahr' if zustand.alter == 1 else 'Jahre'}")
    if zustand.gebiet_ebene and zustand.gebiet:
        ebene_name, namen = opt.ebenen.get(zustand.gebiet_ebene, (zustand.gebiet_ebene, {}))
        teile.append(f"{ebene_name}: {namen.get(zustand.gebiet, zustand.gebiet)}")
    if zustand.kostenfrei:
        teile.append("nur kostenfrei")
    if zustand.barrierefrei:
        teile.append("nur barrierefrei")
    return " · ".join(teile)


# -- URL ⇄ Zustand ------------------------------------------------------------------------------------------------


def _erster(wert: Any) -> str | None:
    """Ein Parameterwert als Text (bei Listen der letzte, wie `st.query_params[...]`); None für Unlesbares."""
    if isinstance(wert, list | tuple):
        wert = wert[-1] if wert else ""
    if wert is None:
        return ""
    if not isinstance(wert, str):
        return None
    return wert


def _bereinigt(text: str) -> str:
    return " ".join(_STEUER.sub(" ", text).split())


def _kurz(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def zustand_aus_parametern(params: Mapping[str, Any], opt: Optionen) -> tuple[Filterzustand, list[str]]:
    """Filterzustand aus URL-Parametern; (Zustand, Hinweise). Unbekannte Werte werden mit Hinweis ignoriert.

    Auswahlwerte gelten nur, wenn es sie in `opt` gibt (Groß-/Kleinschreibung egal), das Alter nur als ganze
    Zahl 0 … 120, Ja/Nein-Schalter als „1“/„ja“ bzw. „0“/„nein“, die Suche bis 200 Zeichen ohne Steuerzeichen.
    Nie eine Ausnahme: jeder Wert ist höchstens ignoriert.
    """
    werte: dict[str, Any] = {}
    hinweise: list[str] = []

    def ignorieren(feld: str, roh: str, grund: str = "gibt es hier nicht") -> None:
        hinweise.append(
            f"Der Filter „{TITEL[feld]}“ aus dem Link („{_kurz(_bereinigt(roh))}“) {grund}; er wird ignoriert."
        )

    auswahl = {
        "zielgruppe": opt.zielgruppen,
        "sprache": opt.sprachen,
        "stufe": opt.stufen,
        "kategorie": opt.kategorien,
    }
    for feld in fields(Filterzustand):
        name = feld.name
        if name == "gebiet_ebene":
            continue
        if PARAMETER[name] not in params:
            continue
        roh = _erster(params[PARAMETER[name]])
        if roh is None:
            ignorieren(name, "?", "ist nicht lesbar")
            continue
        text = _bereinigt(roh)
        if not text and name != "suche":
            continue
        if len(roh) > 4 * MAX_LAENGE:
            ignorieren(name, roh, "ist zu lang")
            continue
        if name in auswahl:
            treffer = next((o for o in auswahl[name] if o.casefold() == text.casefold()), None)
            if treffer is None:
                ignorieren(name, roh)
            else:
                werte[name] = treffer
        elif name == "alter":
            if re.fullmatch(r"\d{1,3}", text) and int(text) <= MAX_ALTER:
                werte[name] = int(text)
            else:
                ignorieren(name, roh, f"ist kein Alter (ganze Jahre 0 bis {MAX_ALTER})")
        elif name in ("kostenfrei", "barrierefrei"):
            if text.lower() in _JA:
                werte[name] = True
            elif text.lower() not in _NEIN:
                ignorieren(name, roh, "ist weder „1“ noch „0“")
        elif name == "suche":
            if len(text) > MAX_LAENGE:
                hinweise.append(f"Die Suche aus dem Link ist länger als {MAX_LAENGE} Zeichen und wurde gekürzt.")
                text = text[:MAX_LAENGE].rstrip()
            if text:
                werte[name] = text
        elif name == "gebiet":
            ebene, _, gebiet = text.partition(":")
            if not gebiet or ebene not in opt.ebenen or gebiet not in opt.ebenen[ebene][1]:
                ignorieren(name, roh)
            else:
                werte["gebiet_ebene"], werte["gebiet"] = ebene, gebiet
        elif name == "angebot":
            if text in opt.angebote:
                werte[name] = text
            else:
                ignorieren(name, roh)
    return Filterzustand(**werte), hinweise


def zustand_zu_parametern(zustand: Filterzustand) -> dict[str, str]:
    """Die URL-Parameter eines Zustands (nur gesetzte Filter; Gegenstück zu `zustand_aus_parametern`)."""
    aus: dict[str, str] = {}
    for name in ("zielgruppe", "alter", "sprache", "stufe", "kategorie", "suche", "angebot"):
        wert = getattr(zustand, name)
        if wert is not None and wert != "":
            aus[PARAMETER[name]] = str(wert)
    if zustand.gebiet_ebene and zustand.gebiet:
        aus[PARAMETER["gebiet"]] = f"{zustand.gebiet_ebene}:{zustand.gebiet}"
    for name in ("kostenfrei", "barrierefrei"):
        if getattr(zustand, name):
            aus[PARAMETER[name]] = "1"
    return aus


# -- Karte ⇄ Liste ------------------------------------------------------------------------------------------------


def kartenreihenfolge(angebote: gpd.GeoDataFrame) -> pd.Index:
    """Die Zeilen in der Reihenfolge der Kartenpunkte (Ebenen je Kategorie wie `kartendaten.angebote_je_kategorie`,
    Punkte ohne Lage fehlen): Position in der Karte → Index der Zeile."""
    teile = [teil.index for _, teil in angebote_je_kategorie(angebote)]
    if not teile:
        return angebote.index[:0]
    return teile[0].append(teile[1:]) if len(teile) > 1 else teile[0]


def sichtbarkeit(maske: pd.Series, reihenfolge: pd.Index) -> str:
    """Welche Kartenpunkte sichtbar sind: je Position ein Bit (höchstes zuerst), Base64 ohne „=“ (URL-Alphabet)."""
    bits = maske.reindex(reihenfolge, fill_value=False).to_numpy(dtype=bool)
    return base64.urlsafe_b64encode(np.packbits(bits).tobytes()).decode("ascii").rstrip("=")


def sichtbarkeit_lesen(text: str, n: int) -> np.ndarray:
    """Gegenstück zu `sichtbarkeit` (wie `karte.js`): n Wahrheitswerte."""
    roh = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    return np.unpackbits(np.frombuffer(roh, dtype=np.uint8))[:n].astype(bool)


#: Füllung der Flächen unter den Angeboten: blass, ohne Bedeutung (keine Legende nötig).
HINTERGRUND = "#e3e8ee"


def hintergrund_ebene(kommune: Kommune) -> str:
    """Die Ebene unter den Angeboten: die gröbste statistische Ebene mit mehr als einem Gebiet (am Telefon lesbar),
    sonst die mit den wenigsten Gebieten."""
    ebenen = [e.id for e in kommune.konfiguration.ebenen if e.id in kommune.gebiete]
    mehrere = [e for e in ebenen if len(kommune.gebiete[e]) > 1] or ebenen
    return min(mehrere, key=lambda e: len(kommune.gebiete[e]))


def hintergrund_faerbung(ids: Sequence[str]) -> dict[str, Any]:
    """Eine „Färbung“ ohne Werte für die Karte: alle Flächen blass, Tooltip nur mit dem Namen (Titel leer)."""
    daten: dict[str, Any] = {
        "titel": "",
        "einheit": "",
        "leer": ["", ""],
        "farben": [HINTERGRUND],
        "klasse": "0" * len(ids),
        "werte": [""] * len(ids),
    }
    daten["hash"] = inhalt_hash(daten)
    return daten


def position_zu_zeile(position: object, reihenfolge: pd.Index) -> Any | None:
    """Der Index der Zeile zu einer Kartenposition (Auslöser „angebot“ der Karte); sonst None."""
    if isinstance(position, bool) or not isinstance(position, int | float):
        return None
    if float(position) != int(position) or not 0 <= int(position) < len(reihenfolge):
        return None
    return reihenfolge[int(position)]


# -- Einträge und Tabelle -----------------------------------------------------------------------------------------


def web_adresse(text: Any) -> str:
    """Die Webadresse, wenn sie mit http:// oder https:// beginnt und keine Leer-/Steuerzeichen enthält, sonst ""."""
    if not isinstance(text, str):
        return ""
    t = text.strip()
    return t if re.fullmatch(r"https?://[^\s<>\"'`\\]+", t, flags=re.IGNORECASE) else ""


def _leer(wert: Any) -> str:
    if wert is None or (isinstance(wert, float) and pd.isna(wert)):
        return ""
    return str(wert).strip()


def eintrag(z: pd.Series) -> dict[str, str]:
    """Die öffentlichen Angaben eines Angebots als Texte (nur Text, nicht maskiert; leere Angaben fehlen)."""
    werte = {
        "Kategorie": _leer(z.get("kategorie")),
        "Träger": _leer(z.get("traeger")),
        "Zielgruppen": _leer(z.get("zielgruppen")),
        "Alter": alter_text(z.get("alter_von"), z.get("alter_bis")),
        "Sprachen": _leer(z.get("sprachen")),
        "Sprachniveau": _leer(z.get("sprachniveau")),
        "Kosten": kosten_text(z.get("kostenfrei"), z.get("kosten")),
        "Zeiten": _leer(z.get("zeiten")),
        "Adresse": _leer(z.get("adresse")),
        "Telefon": _leer(z.get("telefon")),
        "E-Mail": _leer(z.get("email")),
        "Webseite": _leer(z.get("web")),
        "Barrierefrei": _leer(z.get("barrierefrei")),
    }
    if bestaetigt := datum_text(_leer(z.get("bestaetigt_am"))):
        werte["Zuletzt bestätigt"] = f"zuletzt bestätigt am {bestaetigt}"
    quelle = ", ".join(t for t in (_leer(z.get("quellenangabe")), _leer(z.get("lizenz"))) if t)
    if quelle:
        werte["Quelle"] = quelle
    return {k: v for k, v in werte.items() if v}


def eintrag_markdown(z: pd.Series) -> str:
    """Ein Angebot als Streamlit-Markdown: jeder Text aus den Daten über `kommune.format.markdown_text` (nie als
    Markdown/HTML gedeutet); die Webseite nur mit http/https als Link."""
    angaben = eintrag(z)
    m = markdown_text
    name = m(_leer(z.get("name")) or "(ohne Namen)")
    zeilen = [f"**{name}**"]
    kopf = " · ".join(m(angaben[k]) for k in ("Kategorie", "Träger") if k in angaben)
    if kopf:
        zeilen.append(kopf)
    if text := _leer(z.get("beschreibung")):
        zeilen.append(m(text))
    for gruppe in (("Zielgruppen", "Alter", "Sprachen", "Sprachniveau"), ("Kosten", "Zeiten")):
        teil = " · ".join(f"{k}: {m(angaben[k])}" for k in gruppe if k in angaben)
        if teil:
            zeilen.append(teil)
    kontakt = [m(angaben[k]) for k in ("Adresse",) if k in angaben]
    if "Telefon" in angaben:
        kontakt.append(f"Tel. {m(angaben['Telefon'])}")
    if "E-Mail" in angaben:
        mail = angaben["E-Mail"]
        kontakt.append(f"[{m(mail)}](<mailto:{mail}>)" if _EMAIL.fullmatch(mail) else m(mail))
    if url := web_adresse(angaben.get("Webseite")):
        kontakt.append(f"[{m(url)}](<{url}>)")
    elif "Webseite" in angaben:
        kontakt.append(m(angaben["Webseite"]))
    if kontakt:
        zeilen.append(" · ".join(kontakt))
    fuss = []
    if "Barrierefrei" in angaben:
        fuss.append(f"barrierefrei: {m(angaben['Barrierefrei'])}")
    if "Zuletzt bestätigt" in angaben:
        fuss.append(m(angaben["Zuletzt bestätigt"]))
    if "Quelle" in angaben:
        fuss.append(f"Quelle: {m(angaben['Quelle'])}")
    if fuss:
        zeilen.append(" · ".join(fuss))
    return "  \n".join(zeilen)


#: Spalten der öffentlichen Tabelle (CSV) in dieser Reihenfolge: Feld → Spaltenkopf.
TABELLE: dict[str, str] = {
    "name": "Name",
    "traeger": "Träger",
    "kategorie": "Kategorie",
    "bildungsstufe": "Stufe der Bildungskette",
    "beschreibung": FELD["beschreibung"].titel,
    "alter": "Alter",
    "zielgruppen": FELD["zielgruppen"].titel,
    "sprachen": FELD["sprachen"].titel,
    "sprachniveau": FELD["sprachniveau"].titel,
    "kosten": "Kosten",
    "zeiten": FELD["zeiten"].titel,
    "adresse": "Adresse",
    "telefon": FELD["telefon"].titel,
    "email": FELD["email"].titel,
    "web": FELD["web"].titel,
    "barrierefrei": FELD["barrierefrei"].titel,
    "kapazitaet": "Plätze",
    "bestaetigt_am": FELD["bestaetigt_am"].titel,
    "gueltig_bis": FELD["gueltig_bis"].titel,
    "quellenangabe": FELD["quellenangabe"].titel,
    "lizenz": FELD["lizenz"].titel,
    "lat": FELD["lat"].titel,
    "lon": FELD["lon"].titel,
}


def oeffentliche_tabelle(angebote: gpd.GeoDataFrame) -> pd.DataFrame:
    """Die Angebote als Tabelle mit deutschen Spaltenköpfen (nur öffentliche Felder; Daten TT.MM.JJJJ, Lage WGS84).

    Entschärft wird beim Schreiben (`oberflaeche.export.csv_bytes` → `kommune.format.entschaerfen`).
    """
    if not len(angebote):
        return pd.DataFrame(columns=list(TABELLE.values()))
    wgs = punkte_wgs84(angebote[angebote.geometry.notna()]) if angebote.crs is not None else None
    spalten: dict[str, Any] = {}
    for feld, kopf in TABELLE.items():
        if feld == "alter":
            spalten[kopf] = [
                alter_text(v, b) for v, b in zip(angebote["alter_von"], angebote["alter_bis"], strict=True)
            ]
        elif feld == "kosten":
            spalten[kopf] = [kosten_text(f, k) for f, k in zip(angebote["kostenfrei"], angebote["kosten"], strict=True)]
        elif feld == "bildungsstufe":
            spalten[kopf] = [BILDUNGSKETTE.get(str(s), _leer(s)) for s in angebote["bildungsstufe"]]
        elif feld in ("bestaetigt_am", "gueltig_bis"):
            spalten[kopf] = [datum_text(_leer(v)) for v in angebote[feld]]
        elif feld in ("lat", "lon"):
            if wgs is None:
                spalten[kopf] = np.nan
            else:
                achse = wgs.geometry.y if feld == "lat" else wgs.geometry.x
                spalten[kopf] = achse.round(5).reindex(angebote.index).to_numpy()
        elif feld == "kapazitaet":
            spalten[kopf] = pd.to_numeric(angebote["kapazitaet"], errors="coerce").to_numpy()
        else:
            spalten[kopf] = [_leer(v) for v in angebote[feld]] if feld in angebote else ""
    return pd.DataFrame(spalten, index=angebote.index).reset_index(drop=True)


__all__ = [
    "Filterzustand",
    "Optionen",
    "filtern",
    "kartenreihenfolge",
    "kontakt_text",
    "oeffentliche_angebote",
    "sichtbarkeit",
    "zustand_aus_parametern",
    "zustand_zu_parametern",
]

"""Angebote pflegen: Lieferungen lesen, Vorschläge der Träger, Prüfung durch das Bildungsbüro, Stand-Abfrage.

Ablauf: Ein Träger reicht Vorschläge ein (Formular, XLSX-Rücklauf, „unverändert bestätigen“) – sie liegen im
geteilten Zustand der Ablage (`VORSCHLAEGE`, für alle App-Server gleich, atomar geändert). Das Bildungsbüro
nimmt an oder lehnt mit Grund ab; Angenommenes wird eine neue Datenversion (`Ablage.version_anlegen`, mit
Gegenprobe: keine Zeile geht verloren) mit den Änderungen im Versionsprotokoll.

Rechte: Ein Träger sieht und ändert nur Angebote mit seiner Träger-ID. Das prüft jeder Schritt selbst –
beim Einreichen und noch einmal beim Annehmen –, nicht nur die Oberfläche.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from kommune.ablage import Ablage
from kommune.angebotsregister import (
    FELD,
    FELDER,
    SPALTEN,
    ZAHL,
    datum_text,
    leeres_register,
    register_csv,
    tabelle_zu_feldern,
    zeilen_pruefen,
)
from kommune.fehler import KommuneFehler
from kommune.format import formel_gefahr, zahl
from kommune.laden import REGISTER, Kommune
from kommune.pruefung import FEHLER, HINWEIS, WARNUNG, Pruefprotokoll, lieferung_lesen
from kommune.zufallscode import zufallscode

#: Schlüssel des geteilten Zustands mit allen Vorschlägen einer Kommune.
VORSCHLAEGE = "angebote-vorschlaege"
ARTEN = {"neu": "Neues Angebot", "aendern": "Änderung", "loeschen": "Löschen", "bestaetigen": "Bestätigung"}
OFFEN, ANGENOMMEN, ABGELEHNT = "offen", "angenommen", "abgelehnt"
#: Höchstens so viele entschiedene Vorschläge bleiben im Zustand (die Versionen halten die Änderungen fest).
VERLAUF = 2000


@dataclass
class Vorschlag:
    """Ein Änderungsvorschlag eines Trägers (oder im Auftrag eines Trägers)."""

    id: str
    art: str
    traeger_id: str
    angebot_id: str
    werte: dict[str, Any]
    vorher: dict[str, Any] | None
    von: str
    am: str
    status: str = OFFEN
    grund: str = ""
    entschieden_von: str = ""
    entschieden_am: str = ""
    version: str = ""

    @classmethod
    def aus_dict(cls, d: dict[str, Any]) -> Vorschlag:
        felder = cls.__dataclass_fields__
        return cls(**{k: v for k, v in d.items() if k in felder})


@dataclass
class Lieferung:
    """Gelesene Angebote einer Datei: das Prüfprotokoll und die fehlerfreien Zeilen in Registerform."""

    protokoll: Pruefprotokoll
    register: gpd.GeoDataFrame
    unbekannte_spalten: list[str] = field(default_factory=list)


# -- Register einer geladenen Kommune ---------------------------------------------------------------------------


def register_aus_kommune(kommune: Kommune) -> pd.DataFrame:
    """Die Registerzeilen der Kommune (Spalten `SPALTEN`), in Registerreihenfolge."""
    a = kommune.angebote
    if a.empty or "herkunft" not in a.columns:
        return leeres_register()
    return pd.DataFrame(a.loc[a["herkunft"] == REGISTER, list(SPALTEN)]).reset_index(drop=True)


def eigene(register: pd.DataFrame, traeger_id: str) -> pd.DataFrame:
    """Nur die Angebote dieses Trägers (leere Träger-ID: keine)."""
    if not traeger_id:
        return register.iloc[0:0]
    return register[register["traeger_id"].astype(str) == traeger_id]


def traeger_liste(register: pd.DataFrame) -> dict[str, str]:
    """Träger-ID → Name (der erste genannte), alphabetisch nach Name."""
    paare = register[["traeger_id", "traeger"]].drop_duplicates("traeger_id")
    return dict(sorted(zip(paare["traeger_id"], paare["traeger"], strict=True), key=lambda p: str(p[1]).lower()))


def angebot_werte(register: pd.DataFrame, angebot_id: str) -> dict[str, Any] | None:
    """Die Werte eines Angebots (JSON-fähig) oder None."""
    treffer = register[register["id"].astype(str) == angebot_id]
    return None if treffer.empty else _json(treffer.iloc[0].to_dict())


def _json(werte: dict[str, Any]) -> dict[str, Any]:
    """Werte JSON-fähig (NaN → None), nur Registerfelder."""
    aus: dict[str, Any] = {}
    for s in SPALTEN:
        w = werte.get(s)
        if isinstance(w, float | np.floating) and math.isnan(float(w)):
            w = None
        elif isinstance(w, np.generic):
            w = w.item()
        aus[s] = w
    return aus


# -- Lieferungen lesen (XLSX, CSV, GeoJSON, GeoPackage) ---------------------------------------------------------


def _geodatei_lesen(pfad: Path, protokoll: Pruefprotokoll) -> tuple[pd.DataFrame, list[int]] | None:
    import pyogrio

    try:
        gdf = pyogrio.read_dataframe(pfad)
    except Exception:
        protokoll.melden(FEHLER, "Die Geodatei ließ sich nicht lesen (GeoJSON oder GeoPackage mit Punkten).")
        return None
    if gdf.crs is None:
        protokoll.melden(WARNUNG, "Die Geodatei nennt kein Koordinatensystem; angenommen wird WGS84 (EPSG:4326).")
        gdf = gdf.set_crs("EPSG:4326")
    tabelle = pd.DataFrame(gdf.drop(columns="geometry"))
    punkte = gdf.geometry.to_crs("EPSG:4326")
    hat = punkte.notna() & ~punkte.is_empty
    mitte = punkte[hat].representative_point()
    tabelle["lon"], tabelle["lat"] = np.nan, np.nan
    tabelle.loc[hat, "lon"] = mitte.x.round(6).to_numpy()
    tabelle.loc[hat, "lat"] = mitte.y.round(6).to_numpy()
    protokoll.zeilen = len(tabelle)
    protokoll.bilanz = {"gelesen": len(tabelle), "daten": len(tabelle), "kopf": 0}
    return tabelle, list(range(1, len(tabelle) + 1))


def _tabelle_lesen(pfad: Path, protokoll: Pruefprotokoll) -> tuple[pd.DataFrame, list[int]] | None:
    erwartet = {f.titel for f in FELDER} | {f.id for f in FELDER}
    roh = lieferung_lesen(pfad, protokoll, erwartete_koepfe=erwartet)
    if roh is None:
        return None
    tabelle = roh.werte.copy()
    tabelle.columns = roh.kopf
    for (zeile, spalte), formel in roh.formeln.items():
        protokoll.melden(
            FEHLER,
            f"Die Zelle enthält eine Formel („{formel[:40]}“); bitte den Wert eintragen.",
            zeile=zeile,
            spalte=roh.kopf[spalte] if spalte < len(roh.kopf) else None,
            pruefung="formel",
        )
    return tabelle, [int(z) for z in roh.zeilennummern]


def lieferung_pruefen(pfad: str | Path, kommune: Kommune, anzeige: str | None = None) -> Lieferung:
    """Eine Angebotsdatei lesen und jede Zeile prüfen (XLSX, CSV mit ; oder „,“, GeoJSON, GeoPackage).

    Spaltenköpfe sind die Feldtitel oder Feld-IDs (`kommune.angebotsregister.FELDER`); jede Zeile wird
    übernommen oder mit Zeile und Spalte benannt. Texte mit HTML oder Formelanfang bleiben Text (Hinweis).
    """
    pfad = Path(pfad)
    protokoll = Pruefprotokoll(datei=anzeige or pfad.name)
    gelesen = (
        _geodatei_lesen(pfad, protokoll)
        if pfad.suffix.lower() in (".geojson", ".json", ".gpkg")
        else _tabelle_lesen(pfad, protokoll)
    )
    if gelesen is None:
        return Lieferung(protokoll.abschliessen(), _leer(kommune))
    tabelle, nummern = gelesen
    felder, unbekannt = tabelle_zu_feldern(tabelle)
    for kopf in unbekannt:
        protokoll.melden(WARNUNG, f"Die Spalte „{kopf[:60]}“ gehört zu keinem Feld und wird nicht übernommen.",
                         spalte=kopf, pruefung="spalte")  # fmt: skip
    fehlend = [f.titel for f in FELDER if f.pflicht and f.id != "id" and f.id not in felder.columns]
    if fehlend:
        protokoll.melden(FEHLER, f"Der Datei fehlen die Pflichtspalten {', '.join(fehlend)}.", pruefung="spalte")
        return Lieferung(protokoll.abschliessen(), _leer(kommune), unbekannt)
    formelzeilen = {b.zeile for b in protokoll.befunde if b.pruefung == "formel"}
    _texte_melden(felder, nummern, protokoll)

    def melden(zeile: int, spalte: str, text: str) -> None:
        protokoll.melden(FEHLER, text, zeile=zeile, spalte=spalte or None, pruefung="angebot")

    ebenen = {e.id: kommune.gebiete[e.id] for e in kommune.konfiguration.ebenen}
    behalten = [i for i, n in enumerate(nummern) if n not in formelzeilen]
    register = zeilen_pruefen(
        felder.iloc[behalten].reset_index(drop=True), [nummern[i] for i in behalten], ebenen,
        kommune.konfiguration.crs, melden,
    )  # fmt: skip
    return Lieferung(protokoll.abschliessen(), register, unbekannt)


def _leer(kommune: Kommune) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(leeres_register(), geometry=gpd.GeoSeries([], crs=kommune.konfiguration.crs))


def _texte_melden(felder: pd.DataFrame, nummern: list[int], protokoll: Pruefprotokoll) -> None:
    """HTML und Formelanfänge in Texten: bleiben Text, werden aber benannt (Anzeige maskiert, Export entschärft)."""
    for spalte in felder.columns:
        if FELD[spalte].art == ZAHL:
            continue
        for pos, wert in enumerate(felder[spalte].tolist()):
            text = "" if wert is None or (isinstance(wert, float) and math.isnan(wert)) else str(wert)
            if "<" in text and ">" in text:
                protokoll.melden(HINWEIS, "Der Text enthält HTML-Zeichen; er wird nur als Text angezeigt.",
                                 zeile=nummern[pos], spalte=FELD[spalte].titel, pruefung="html")  # fmt: skip
            elif formel_gefahr(text):
                protokoll.melden(HINWEIS, "Der Text beginnt wie eine Formel; in Exporten wird er entschärft.",
                                 zeile=nummern[pos], spalte=FELD[spalte].titel, pruefung="formeltext")  # fmt: skip


def lieferung_aus_bytes(inhalt: bytes, dateiname: str, kommune: Kommune) -> Lieferung:
    """Wie `lieferung_pruefen`, für eine hochgeladene Datei."""
    endung = Path(dateiname).suffix.lower()[:10]
    with tempfile.TemporaryDirectory(prefix="bm-angebote-") as tmp:
        pfad = Path(tmp) / f"lieferung{endung}"
        pfad.write_bytes(inhalt)
        return lieferung_pruefen(pfad, kommune, anzeige=Path(dateiname).name[:200])


# -- Vorschläge ---------------------------------------------------------------------------------------------------


def _jetzt() -> str:
    return datetime.now().isoformat(timespec="seconds")


def neue_id(register: pd.DataFrame, traeger_id: str) -> str:
    """Eine freie Angebots-ID „<Träger-ID>-<Code>“."""
    vorhanden = set(register["id"].astype(str))
    while True:
        kandidat = f"{traeger_id[:40]}-{zufallscode(6).lower()}"
        if kandidat not in vorhanden:
            return kandidat


def vorschlaege_lesen(ablage: Ablage, kommune_id: str) -> list[Vorschlag]:
    """Alle Vorschläge (älteste zuerst)."""
    roh = ablage.zustand_lesen(kommune_id, VORSCHLAEGE) or {}
    eintraege = roh.get("vorschlaege", [])
    return [Vorschlag.aus_dict(v) for v in eintraege if isinstance(v, dict)] if isinstance(eintraege, list) else []


def offene(ablage: Ablage, kommune_id: str, traeger_id: str | None = None) -> list[Vorschlag]:
    """Die offenen Vorschläge (optional nur eines Trägers)."""
    return [
        v
        for v in vorschlaege_lesen(ablage, kommune_id)
        if v.status == OFFEN and (traeger_id is None or v.traeger_id == traeger_id)
    ]


def _speichern(
    ablage: Ablage, kommune_id: str, aendern: Callable[[list[Vorschlag]], list[Vorschlag]]
) -> list[Vorschlag]:
    def aenderung(alt: dict[str, Any] | None) -> dict[str, Any]:
        eintraege = (alt or {}).get("vorschlaege", [])
        liste = [Vorschlag.aus_dict(v) for v in eintraege if isinstance(v, dict)] if isinstance(eintraege, list) else []
        neu = aendern(liste)
        offen = [v for v in neu if v.status == OFFEN]
        erledigt = [v for v in neu if v.status != OFFEN][-VERLAUF:]
        return {"vorschlaege": [asdict(v) for v in sorted(offen + erledigt, key=lambda v: v.am)]}

    ergebnis = ablage.zustand_aendern(kommune_id, VORSCHLAEGE, aenderung)
    return [Vorschlag.aus_dict(v) for v in ergebnis["vorschlaege"]]


def vorschlag_bilden(
    kommune: Kommune, traeger_id: str, art: str, werte: dict[str, Any], von: str, angebot_id: str = ""
) -> tuple[Vorschlag | None, list[tuple[str, str]]]:
    """Einen Vorschlag aus Formularwerten bilden und prüfen: (Vorschlag, []) oder (None, [(Feld, Fehler)]).

    Der Träger kann nur eigene Angebote ändern, löschen oder bestätigen; neue bekommen seine Träger-ID.
    """
    if art not in ARTEN:
        return None, [("", f"Unbekannte Art „{art}“.")]
    register = register_aus_kommune(kommune)
    vorher = angebot_werte(register, angebot_id) if angebot_id else None
    if art != "neu" and (vorher is None or vorher["traeger_id"] != traeger_id):
        return None, [("", "Dieses Angebot gibt es nicht oder es gehört einem anderen Träger.")]
    if art in ("loeschen", "bestaetigen"):
        neu = dict(vorher or {})
        if art == "bestaetigen":
            neu.update(bestaetigt_am=date.today().isoformat(), bestaetigt_von=von)
        return Vorschlag(zufallscode(10), art, traeger_id, angebot_id, neu, vorher, von, _jetzt()), []
    roh = {**(vorher or {}), **werte, "traeger_id": traeger_id}
    roh["id"] = angebot_id or neue_id(register, traeger_id)
    if not roh.get("traeger"):
        roh["traeger"] = traeger_liste(register).get(traeger_id, "")
    roh.update(bestaetigt_am=date.today().isoformat(), bestaetigt_von=von)
    if roh.get("lage") == "gebiet":
        roh["lon"] = roh["lat"] = None
    fehler: list[tuple[str, str]] = []
    ebenen = {e.id: kommune.gebiete[e.id] for e in kommune.konfiguration.ebenen}
    gepr = zeilen_pruefen(pd.DataFrame([roh]), [1], ebenen, kommune.konfiguration.crs,
                          lambda _z, spalte, text: fehler.append((spalte, text)))  # fmt: skip
    if fehler or gepr.empty:
        return None, fehler or [("", "Das Angebot ließ sich nicht prüfen.")]
    neu = _json(gepr.iloc[0].to_dict())
    if vorher is not None and {k: neu[k] for k in _INHALT} == {k: vorher.get(k) for k in _INHALT}:
        art = "bestaetigen"  # nichts geändert: nur bestätigt
    return Vorschlag(zufallscode(10), art, traeger_id, neu["id"], neu, vorher, von, _jetzt()), []


#: Felder, deren Änderung eine „Änderung“ ist (nicht nur eine Bestätigung).
_INHALT = tuple(s for s in SPALTEN if s not in ("bestaetigt_am", "bestaetigt_von"))


def einreichen(ablage: Ablage, kommune_id: str, vorschlaege: Iterable[Vorschlag]) -> int:
    """Vorschläge einreichen; ein offener Vorschlag desselben Angebots wird ersetzt. Zahl der eingereichten."""
    neu = list(vorschlaege)
    ersetzt = {(v.traeger_id, v.angebot_id) for v in neu}

    def aendern(liste: list[Vorschlag]) -> list[Vorschlag]:
        bleiben = [v for v in liste if not (v.status == OFFEN and (v.traeger_id, v.angebot_id) in ersetzt)]
        return bleiben + neu

    _speichern(ablage, kommune_id, aendern)
    return len(neu)


def vorschlaege_aus_lieferung(
    kommune: Kommune, traeger_id: str, lieferung: Lieferung, von: str
) -> tuple[list[Vorschlag], list[str]]:
    """Der XLSX-Rücklauf eines Trägers: je geänderter oder neuer Zeile ein Vorschlag, unveränderte zählen nicht.

    Zeilen mit fremder Träger-ID oder der ID eines fremden Angebots werden abgelehnt (Meldung); eine Zeile ohne
    ID ist ein neues Angebot des Trägers.
    """
    register = register_aus_kommune(kommune)
    vorschlaege: list[Vorschlag] = []
    meldungen: list[str] = []
    fremd = set(register.loc[register["traeger_id"] != traeger_id, "id"].astype(str))
    for zeile in lieferung.register.drop(columns="geometry").to_dict("records"):
        werte = _json(zeile)
        aid = str(werte.get("id") or "")
        if werte["traeger_id"] != traeger_id or aid in fremd:
            meldungen.append(f"„{str(werte['name'])[:60]}“: gehört nicht zu Ihrem Träger und wird nicht übernommen.")
            continue
        bekannt = angebot_werte(register, aid) if aid else None
        if bekannt is not None and {k: werte[k] for k in _INHALT} == {k: bekannt[k] for k in _INHALT}:
            continue
        if aid and bekannt is None:
            meldungen.append(f"„{aid[:40]}“ ist keine bekannte Angebots-ID; die Zeile wird als neues Angebot geführt.")
            aid = ""
        v, fehler = vorschlag_bilden(kommune, traeger_id, "aendern" if aid else "neu", werte, von, aid)
        if v is None:
            meldungen.append(f"„{str(werte['name'])[:60]}“: {fehler[0][1] if fehler else 'nicht prüfbar'}")
        else:
            vorschlaege.append(v)
    return vorschlaege, meldungen


# -- Prüfen und übernehmen -----------------------------------------------------------------------------------------


def geaenderte_felder(v: Vorschlag) -> dict[str, Any]:
    """Was der Vorschlag gegenüber dem Stand ändert, auf dem er beruht (Feld → neuer Wert)."""
    if v.art == "neu":
        return {s: v.werte.get(s) for s in SPALTEN}
    vorher = v.vorher or {}
    return {s: v.werte.get(s) for s in SPALTEN if _text(s, v.werte.get(s)) != _text(s, vorher.get(s))}


def unterschiede(v: Vorschlag, aktuell: dict[str, Any] | None = None) -> pd.DataFrame:
    """Feld | bisher | neu – nur Felder, die der Vorschlag ändert (bei neuen Angeboten alle gefüllten).

    `aktuell`: das Angebot, wie es jetzt gilt (sonst der Stand beim Einreichen); weicht es in einem der Felder
    vom Stand beim Einreichen ab, steht das in der Spalte „seitdem geändert“.
    """
    zeilen = []
    vorher = v.vorher or {}
    jetzt = aktuell if aktuell is not None else vorher
    geaendert = {} if v.art == "loeschen" else geaenderte_felder(v)
    for s in SPALTEN if v.art == "loeschen" else list(geaendert):
        alt = None if v.art == "neu" else jetzt.get(s)
        neu = geaendert.get(s)
        if v.art in ("neu", "loeschen") and not _text(s, alt) and not _text(s, neu):
            continue
        spaeter = _text(s, jetzt.get(s)) != _text(s, vorher.get(s))
        zeilen.append({"Feld": FELD[s].titel, "bisher": _text(s, alt), "neu": _text(s, neu),
                       "seitdem geändert": "ja" if spaeter else ""})  # fmt: skip
    return pd.DataFrame(zeilen, columns=["Feld", "bisher", "neu", "seitdem geändert"])


def _text(feld: str, wert: Any) -> str:
    if wert is None or (isinstance(wert, float) and math.isnan(wert)):
        return ""
    if FELD[feld].art == ZAHL:
        return zahl(float(wert), 6, kuerzen=True)
    if FELD[feld].art == "datum":
        return datum_text(wert)
    return str(wert)


def anwenden(register: pd.DataFrame, vorschlaege: Iterable[Vorschlag]) -> tuple[pd.DataFrame, list[str]]:
    """Angenommene Vorschläge auf das Register anwenden: (neues Register, Meldungen zu nicht Anwendbarem).

    Geprüft wird wieder, ob das Angebot dem Träger gehört (ein Vorschlag kann veraltet sein).
    """
    r = register.reset_index(drop=True).copy()
    meldungen: list[str] = []
    for v in vorschlaege:
        treffer = np.flatnonzero(r["id"].astype(str).to_numpy() == v.angebot_id)
        if v.art == "neu":
            if len(treffer):
                meldungen.append(f"„{v.angebot_id}“ gibt es schon; der Vorschlag wurde nicht übernommen.")
                continue
            r = pd.concat([r, pd.DataFrame([{s: v.werte.get(s) for s in SPALTEN}])], ignore_index=True)
            continue
        if not len(treffer) or str(r.at[treffer[0], "traeger_id"]) != v.traeger_id:
            meldungen.append(f"„{v.angebot_id}“ gibt es nicht mehr oder es gehört einem anderen Träger.")
            continue
        i = treffer[0]
        if v.art == "loeschen":
            r = r.drop(index=i).reset_index(drop=True)
        else:  # nur die Felder, die der Vorschlag ändert: spätere Änderungen anderer Felder bleiben
            for s, w in geaenderte_felder(v).items():
                r.at[i, s] = w
    for s in (f.id for f in FELDER if f.art == ZAHL):
        r[s] = pd.to_numeric(r[s], errors="coerce").astype(float)
    return r, meldungen


def entscheiden(
    ablage: Ablage,
    kommune_id: str,
    kommune: Kommune,
    annehmen: Iterable[str],
    ablehnen: dict[str, str],
    wer: str,
) -> str | None:
    """Vorschläge annehmen (neue Datenversion) und/oder mit Grund ablehnen; die neue Versions-ID oder None.

    Die Version entsteht aus dem Register der übergebenen Kommune (dem aktiven Stand) und wird vor dem Aktivieren
    gegengeprüft: genau die erwartete Zahl von Angeboten, keine ID verloren.
    """
    register_datei = kommune.konfiguration.angebotsregister
    if register_datei is None:
        raise KommuneFehler("Diese Kommune hat kein Angebotsregister ([angebotsregister] in der kommune.toml).")
    for vid, grund in ablehnen.items():
        if not str(grund).strip():
            raise KommuneFehler(f"Für die Ablehnung von „{vid}“ fehlt ein Grund.")
    alle = {v.id: v for v in offene(ablage, kommune_id)}
    gewaehlt = [alle[i] for i in annehmen if i in alle]
    version = None
    if gewaehlt:
        neu, meldungen = anwenden(register_aus_kommune(kommune), gewaehlt)
        if meldungen:
            raise KommuneFehler("Nicht übernommen: " + " ".join(meldungen[:3]))
        version = _version_anlegen(ablage, kommune_id, register_datei.datei, neu, gewaehlt, wer)
    jetzt = _jetzt()

    def aendern(liste: list[Vorschlag]) -> list[Vorschlag]:
        aus = []
        for v in liste:
            if v.status == OFFEN and v.id in {g.id for g in gewaehlt}:
                v = replace(v, status=ANGENOMMEN, entschieden_von=wer, entschieden_am=jetzt, version=version or "")
            elif v.status == OFFEN and v.id in ablehnen:
                v = replace(v, status=ABGELEHNT, grund=str(ablehnen[v.id]).strip()[:500], entschieden_von=wer,
                            entschieden_am=jetzt)  # fmt: skip
            aus.append(v)
        return aus

    _speichern(ablage, kommune_id, aendern)
    return version


def _version_anlegen(
    ablage: Ablage, kommune_id: str, datei: str, register: pd.DataFrame, vorschlaege: list[Vorschlag], wer: str
) -> str:
    erwartet = set(register["id"].astype(str))

    def pruefen(k: Kommune) -> None:
        ids = set(register_aus_kommune(k)["id"].astype(str))
        if ids != erwartet:
            raise KommuneFehler(
                f"Gegenprobe: das neue Register hätte {zahl(len(ids), 0)} statt {zahl(len(erwartet), 0)} Angebote; "
                "nichts wurde übernommen."
            )

    zaehlung = {ARTEN[a]: sum(v.art == a for v in vorschlaege) for a in ARTEN}
    info = {
        "quelle": f"Angebotsregister: {', '.join(f'{n} {a}' for a, n in zaehlung.items() if n)}",
        "wer": wer,
        "art": "angebotsregister",
        "angebote": len(register),
        "aenderungen": [
            {"vorschlag": v.id, "art": v.art, "angebot": v.angebot_id, "traeger": v.traeger_id, "von": v.von}
            for v in vorschlaege
        ],
    }
    return ablage.version_anlegen(kommune_id, {datei: register_csv(register)}, info, pruefen=pruefen)


def register_uebernehmen(
    ablage: Ablage, kommune_id: str, kommune: Kommune, lieferung: Lieferung, wer: str
) -> tuple[str, dict[str, int]]:
    """Eine geprüfte Lieferung des Bildungsbüros ins Register übernehmen (gleiche ID ersetzt, neue kommen dazu,
    nichts wird gelöscht): (Versions-ID, Zählung vorher/ersetzt/neu/nachher)."""
    if kommune.konfiguration.angebotsregister is None:
        raise KommuneFehler("Diese Kommune hat kein Angebotsregister ([angebotsregister] in der kommune.toml).")
    if not lieferung.protokoll.ok and lieferung.register.empty:
        raise KommuneFehler("Die Lieferung enthält kein fehlerfreies Angebot.")
    alt = register_aus_kommune(kommune)
    neu = pd.DataFrame(lieferung.register.drop(columns="geometry"))[list(SPALTEN)].copy()
    ohne_id = neu["id"].astype(str) == ""
    vergeben: list[str] = []
    for i in np.flatnonzero(ohne_id.to_numpy()):
        vergeben.append(neue_id(pd.concat([alt, pd.DataFrame({"id": vergeben})]), str(neu.at[i, "traeger_id"])))
        neu.at[i, "id"] = vergeben[-1]
    ersetzt = alt["id"].astype(str).isin(set(neu["id"].astype(str)))
    ergebnis = pd.concat([alt[~ersetzt], neu], ignore_index=True)
    zaehlung = {"vorher": len(alt), "ersetzt": int(ersetzt.sum()), "neu": len(neu) - int(ersetzt.sum()),
                "nachher": len(ergebnis)}  # fmt: skip
    datei = kommune.konfiguration.angebotsregister.datei
    erwartet = set(ergebnis["id"].astype(str))

    def pruefen(k: Kommune) -> None:
        if set(register_aus_kommune(k)["id"].astype(str)) != erwartet:
            raise KommuneFehler("Gegenprobe: das neue Register weicht von der Lieferung ab; nichts wurde übernommen.")

    info = {"quelle": f"Angebotsregister: Lieferung „{lieferung.protokoll.datei}“", "wer": wer,
            "art": "angebotsregister", "angebote": len(ergebnis), "pruefprotokoll": lieferung.protokoll.kurz(),
            "zaehlung": zaehlung}  # fmt: skip
    return ablage.version_anlegen(kommune_id, {datei: register_csv(ergebnis)}, info, pruefen=pruefen), zaehlung


# -- Stand-Abfrage ------------------------------------------------------------------------------------------------


def faellig(register: pd.DataFrame, monate: int, heute: date | None = None) -> pd.DataFrame:
    """Angebote, deren letzte Bestätigung länger als `monate` zurückliegt (oder fehlt)."""
    tag = heute or date.today()
    jahr, monat = divmod(tag.year * 12 + tag.month - 1 - monate, 12)
    grenze = date(jahr, monat + 1, min(tag.day, 28)).isoformat()
    am = register["bestaetigt_am"].fillna("").astype(str)
    return register[(am == "") | (am < grenze)]


def stand_abfrage(register: pd.DataFrame, monate: int, heute: date | None = None) -> pd.DataFrame:
    """Je Träger: Name, Zahl der fälligen Angebote, älteste Bestätigung (für die Übersicht)."""
    f = faellig(register, monate, heute)
    if f.empty:
        return pd.DataFrame(columns=["traeger_id", "Träger", "fällig", "älteste Bestätigung"])
    g = f.groupby("traeger_id", sort=True)
    return pd.DataFrame(
        {
            "traeger_id": list(g.groups),
            "Träger": [str(t.iloc[0]) for _, t in g["traeger"]],
            "fällig": g.size().to_numpy(),
            "älteste Bestätigung": [datum_text(min((x for x in t if x), default="")) for _, t in g["bestaetigt_am"]],
        }
    )


def stand_abfrage_text(traeger: str, angebote: pd.DataFrame, monate: int, adresse: str = "") -> str:
    """Ein fertiger Anschreibentext an einen Träger mit der Liste seiner fälligen Angebote."""
    liste = "\n".join(
        f"- {a['name']} (zuletzt bestätigt: {datum_text(a['bestaetigt_am']) or 'nie'})"
        for a in angebote.to_dict("records")
    )
    weg = f"unter {adresse} " if adresse else "im Bildungsmonitor unter „Meine Angebote“ "
    return (
        f"Guten Tag,\n\nfür die Angebotsübersicht bitten wir {traeger} um einen kurzen Blick auf die folgenden "
        f"Angebote, die seit mehr als {monate} Monaten nicht bestätigt wurden:\n\n{liste}\n\n"
        f"Sind die Angaben noch richtig, genügt ein Klick auf „Unverändert bestätigen“ {weg}. Änderungen tragen "
        "Sie dort direkt ein oder senden die beigefügte Tabelle ergänzt zurück. Angebote, die es nicht mehr gibt, "
        "markieren Sie bitte zum Löschen.\n\nVielen Dank und freundliche Grüße\nIhr Bildungsbüro"
    )


def stand_abfrage_csv(angebote: pd.DataFrame) -> bytes:
    """Die fälligen Angebote eines Trägers als CSV (;, UTF-8 mit BOM) im Registerformat – zum Zurücksenden."""
    return register_csv(angebote)


"""Eine Kommune vollständig laden: Gebiete, Indikatoren, Katalog, Angebote."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from kommune.ablage import Stand
from kommune.angebotsregister import ZUSATZ_SPALTEN, registerdatei_lesen
from kommune.fehler import KommuneFehler
from kommune.format import gebiet_bezeichnung, zahl
from kommune.geometrie import (
    crs_pruefen,
    datei_lesen,
    filter_maske,
    nach_praefix_vereinigen,
    polygone_reparieren,
    schluessel_pruefen,
    zeilen_filtern,
)
from kommune.katalog import katalog_lesen
from kommune.konfiguration import (
    TOML_NAME,
    AngebotsQuelle,
    Gebietsschicht,
    IndikatorTabelle,
    KommuneKonfiguration,
    konfiguration_lesen,
)
from kommune.tabellen import tabelle_lesen, zahlen_parsen
from kommune.uebergaenge import leer as _leere_uebergaenge
from kommune.uebergaenge import uebergaenge_laden

PROJEKT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BekannteKommune:
    """Eine mitgelieferte Kommune: ihr Ordner (kommune.toml, Katalog, presets/, sitzungen/) und ihr Anzeigename.

    `datenordner`: Unterordner von BILDUNGSMONITOR_DATA_DIR mit den Datendateien, die nicht zum Projekt
    gehören (leer: alle Dateien liegen im Ordner selbst).
    """

    ordner: Path
    anzeigename: str
    datenordner: str = ""

    def verfuegbar(self) -> bool:
        """Ob sich die Kommune laden lässt: Beispieldaten immer, offene Daten nur mit ihrem Datenordner."""
        if not self.datenordner:
            return True
        daten = os.environ.get("BILDUNGSMONITOR_DATA_DIR")
        return bool(daten) and (Path(daten) / self.datenordner).is_dir()


#: Das eine Verzeichnis der mitgelieferten Kommunen: Kurzname → Ordner und Anzeigename.
BEKANNTE_KOMMUNEN: dict[str, BekannteKommune] = {
    "musterstadt": BekannteKommune(PROJEKT / "sample_data" / "musterstadt", "Musterstadt (Beispieldaten)"),
    "musterkreis": BekannteKommune(PROJEKT / "sample_data" / "musterkreis", "Musterkreis (Beispieldaten)"),
    "berlin": BekannteKommune(PROJEKT / "kommune" / "profile" / "berlin", "Berlin (offene Daten)", "berlin"),
    "regensburg": BekannteKommune(
        PROJEKT / "kommune" / "profile" / "regensburg", "Landkreis Regensburg (offene Daten)", "germany"
    ),
}
#: Spalten der Angebote (auch ohne jedes Angebot vorhanden, damit Seiten nicht an fehlenden Spalten scheitern);
#: dazu die Felder des Angebotsregisters (`kommune.angebotsregister.FELDER`) und `herkunft` („register“ oder leer).
ANGEBOT_SPALTEN = [
    "id", "kategorie", "bildungsstufe", "name", "traeger", "kapazitaet", "adresse", "alter_von", "alter_bis", "stand",
    "quelle", *ZUSATZ_SPALTEN, "herkunft",
]  # fmt: skip
#: `herkunft` der Angebote aus dem Angebotsregister (nur sie pflegen Träger; die übrigen kommen aus [[angebote]]).
REGISTER = "register"
_ZUSATZ_ZAHLEN = ("lon", "lat")
INDIKATOR_SPALTEN = ["schicht", "gebiet", "indikator", "periode", "wert", "zaehler", "nenner"]
#: IDs, an denen die Geheimhaltung die Einwohnerzahl erkennt, solange `[bevoelkerung]` fehlt (nur als Sicherung)
BEVOELKERUNG_KANDIDATEN = ("einwohner", "inhabitants", "EW", "bevoelkerung", "ew")


@dataclass
class Kommune:
    """Eine geladene Kommune. Gebiets-IDs sind Text, Geometrien im metrischen CRS der Kommune."""

    konfiguration: KommuneKonfiguration
    gebiete: dict[str, gpd.GeoDataFrame]
    indikatoren: pd.DataFrame
    katalog: pd.DataFrame
    angebote: gpd.GeoDataFrame
    hinweise: list[str] = field(default_factory=list)
    #: Standorte knapp außerhalb aller Gebiete (`umland_m` einer `[[angebote]]`): nur für Entfernungen, nie gezählt
    umland: gpd.GeoDataFrame | None = None
    #: Datenversion, aus der Tabellen und Geometrien stammen (ID wie „v0002“; None = die Originaldateien).
    version: str | None = None
    #: Der Stand (`kommune.ablage.Stand`), aus dem die Ablage diese Kommune geladen hat (None: direkt geladen).
    stand: Stand | None = None
    #: Übergänge zwischen Bildungsstufen (`[[uebergaenge]]`, lange Form aus `kommune.uebergaenge`; leer ohne)
    uebergaenge: pd.DataFrame = field(default_factory=_leere_uebergaenge)

    def __post_init__(self) -> None:
        if self.umland is None:
            self.umland = self.angebote.iloc[0:0].copy()

    @property
    def name(self) -> str:
        return self.konfiguration.name

    def schicht(self, schicht_id: str) -> Gebietsschicht:
        """Die Konfiguration einer Ebene oder eines Einzugsbereichs."""
        for s in self.konfiguration.schichten:
            if s.id == schicht_id:
                return s
        raise KommuneFehler(f"Die Ebene „{schicht_id}“ gibt es in {self.name} nicht.")

    @property
    def perioden(self) -> list[str]:
        """Alle Perioden, aufsteigend."""
        return sorted(self.indikatoren["periode"].unique().tolist())


def kommune_ordner(name_oder_pfad: str | os.PathLike[str]) -> Path:
    """Ein Kurzname aus `BEKANNTE_KOMMUNEN` oder ein Pfad zu einem Ordner mit `kommune.toml`."""
    text = str(name_oder_pfad)
    if text.lower() in BEKANNTE_KOMMUNEN:
        return BEKANNTE_KOMMUNEN[text.lower()].ordner
    pfad = Path(text)
    try:
        if pfad.is_file() and pfad.name == "kommune.toml":
            return pfad.parent
        ordner = pfad.is_dir()
    except (OSError, ValueError):  # Name zu lang, Nullzeichen
        ordner = False
    if not ordner:
        raise KommuneFehler(
            f"Die Kommune „{text[:120]}“ gibt es nicht: erwartet wird "
            + ", ".join(f"„{name}“" for name in BEKANNTE_KOMMUNEN)
            + " oder ein Ordner mit einer kommune.toml."
        )
    return pfad


#: Gefilterte Zeilen großer Dateien (z. B. bundesweite Gemeinden), je Datei, Stand und Filter; wenige Einträge.
_GEFILTERT: dict[tuple, gpd.GeoDataFrame] = {}


def _gefiltert_lesen(pfad: Path, s: Gebietsschicht, anzeige: str) -> gpd.GeoDataFrame:
    """Die Geodatei einer Schicht lesen, mit Filter; gefilterte Ergebnisse bleiben gemerkt (mehrere Ebenen aus
    derselben bundesweiten Datei lesen sie so nur einmal)."""
    if not s.filter:
        return datei_lesen(pfad, s.layer)
    stand = pfad.stat() if pfad.exists() else None
    schluessel = (str(pfad), stand and (stand.st_mtime_ns, stand.st_size), s.layer, s.filter)
    if schluessel not in _GEFILTERT:
        if len(_GEFILTERT) >= 8:
            _GEFILTERT.pop(next(iter(_GEFILTERT)))
        _GEFILTERT[schluessel] = zeilen_filtern(datei_lesen(pfad, s.layer), s.filter, anzeige)
    return _GEFILTERT[schluessel].copy()


def _gebiete_lesen(konf: KommuneKonfiguration, s: Gebietsschicht, hinweise: list[str]) -> gpd.GeoDataFrame:
    """Eine Polygonschicht lesen und in die Standardform bringen (Index = ID)."""
    pfad = konf.daten / s.datei
    anzeige = s.datei + (f" (Ebene {s.layer})" if s.layer else "")
    roh = crs_pruefen(_gefiltert_lesen(pfad, s, anzeige), konf.crs, anzeige)
    if s.id_aus_praefix:
        roh = nach_praefix_vereinigen(roh, s.id_spalte, s.id_aus_praefix, s.name_spalte, anzeige)
    ids = schluessel_pruefen(roh, s.id_spalte, anzeige)
    geometrie, repariert = polygone_reparieren(roh.geometry, anzeige)
    if repariert:
        hinweise.append(f"{s.name}: {repariert} ungültige Polygone wurden repariert ({anzeige}).")
    if s.name_spalte and s.name_spalte not in roh.columns:
        raise KommuneFehler("Die Namensspalte fehlt.", datei=anzeige, spalte=s.name_spalte)
    namen = roh[s.name_spalte].astype(str).str.strip() if s.name_spalte else ids
    if s.namen:
        namen = ids.map(dict(s.namen)).fillna(namen)
    # Ohne eigenen Namen (leer oder gleich dem Schlüssel) heißt ein Gebiet „Einschulbereich 0913“
    namen = pd.Series(
        [gebiet_bezeichnung(n, i, s.name) for n, i in zip(namen, ids, strict=True)], index=namen.index, dtype=object
    )
    if s.eltern_aus_praefix:
        eltern = ids.str[: s.eltern_aus_praefix]
    elif s.eltern_spalte:
        if s.eltern_spalte not in roh.columns:
            raise KommuneFehler("Die Spalte mit dem Elternschlüssel fehlt.", datei=anzeige, spalte=s.eltern_spalte)
        eltern = roh[s.eltern_spalte].astype(str).str.strip()
    else:
        eltern = pd.Series([None] * len(roh), index=roh.index, dtype=object)
    gdf = gpd.GeoDataFrame(
        {"name": namen.to_numpy(), "eltern": eltern.to_numpy()},
        geometry=geometrie.to_numpy(),
        index=pd.Index(ids.to_numpy(), name="id"),
        crs=konf.crs,
    )
    return gdf


def _verschachtelung_pruefen(
    konf: KommuneKonfiguration, gebiete: dict[str, gpd.GeoDataFrame], hinweise: list[str]
) -> None:
    """Jeder Elternschlüssel existiert; jedes Kind liegt (fast) ganz in seinem Elterngebiet."""
    for e in konf.ebenen:
        if not e.eltern:
            continue
        kind, eltern = gebiete[e.id], gebiete[e.eltern]
        unbekannt = ~kind["eltern"].isin(eltern.index)
        if unbekannt.any():
            pos = int(unbekannt.to_numpy().nonzero()[0][0])
            raise KommuneFehler(
                f"Der Elternschlüssel „{kind['eltern'].iloc[pos]}“ von Gebiet „{kind.index[pos]}“ "
                f"gibt es in der Ebene „{e.eltern}“ nicht.",
                datei=e.datei,
                zeile=pos + 1,
                spalte=e.eltern_spalte or e.id_spalte,
            )
        eltern_geom = eltern.geometry.reindex(kind["eltern"]).to_numpy()
        innen = kind.geometry.intersection(gpd.GeoSeries(eltern_geom, index=kind.index, crs=kind.crs)).area
        anteil = innen / kind.geometry.area.where(kind.geometry.area > 0)
        ausserhalb = anteil < 0.99
        if ausserhalb.any():
            beispiele = ", ".join(kind.index[ausserhalb][:3])
            hinweise.append(
                f"{e.name}: {int(ausserhalb.sum())} Gebiete liegen zu mehr als 1 % außerhalb ihres "
                f"Elterngebiets ({beispiele})."
            )


def _indikatoren_lesen(konf: KommuneKonfiguration, t: IndikatorTabelle, katalog_ids: set[str]) -> pd.DataFrame:
    """Eine Indikatortabelle in die lange Standardform bringen."""
    pfad = konf.daten / t.datei
    df = tabelle_lesen(pfad, trennzeichen=t.trennzeichen, blatt=t.blatt)
    anzeige = t.datei + (f" (Blatt {t.blatt})" if t.blatt else "")

    def spalte(name: str | None) -> pd.Series:
        if name not in df.columns:
            raise KommuneFehler("Die Spalte fehlt.", datei=anzeige, spalte=name)
        return df[name]

    if t.format == "lang":
        lang = pd.DataFrame(
            {
                "gebiet": spalte(t.einheit_spalte).astype(str).str.strip(),
                "indikator": spalte(t.indikator_spalte).astype(str).str.strip(),
                "periode": spalte(t.periode_spalte).astype(str).str.strip(),
            }
        )
        lang["wert"] = zahlen_parsen(
            spalte(t.wert_spalte), dezimalzeichen=t.dezimalzeichen, datei=anzeige, spalte=t.wert_spalte
        )
        for ziel, quelle in (("zaehler", t.zaehler_spalte), ("nenner", t.nenner_spalte)):
            lang[ziel] = (
                zahlen_parsen(spalte(quelle), dezimalzeichen=t.dezimalzeichen, datei=anzeige, spalte=quelle)
                if quelle
                else float("nan")
            )
    else:
        spalten = list(t.spalten) or [c for c in df.columns if c in katalog_ids]
        teile = []
        ids = spalte(t.id_spalte).astype(str).str.strip()
        for name in spalten:
            werte = zahlen_parsen(spalte(name), dezimalzeichen=t.dezimalzeichen, datei=anzeige, spalte=name)
            teile.append(pd.DataFrame({"gebiet": ids, "indikator": name, "periode": t.periode, "wert": werte}))
        lang = pd.concat(teile, ignore_index=True) if teile else pd.DataFrame(columns=INDIKATOR_SPALTEN)
        lang["zaehler"] = float("nan")
        lang["nenner"] = float("nan")
    lang["schicht"] = t.ebene
    unbekannt = sorted(set(lang["indikator"]) - katalog_ids)
    if unbekannt:
        raise KommuneFehler(
            f"Der Indikator „{unbekannt[0]}“ steht nicht im Indikatorenkatalog.",
            datei=anzeige,
            spalte=t.indikator_spalte if t.format == "lang" else unbekannt[0],
        )
    doppelt = lang.duplicated(["gebiet", "indikator", "periode"])
    if doppelt.any():
        z = lang[doppelt].iloc[0]
        raise KommuneFehler(
            f"Für Gebiet „{z.gebiet}“, Indikator „{z.indikator}“, Periode {z.periode} gibt es mehrere Werte.",
            datei=anzeige,
        )
    return lang[INDIKATOR_SPALTEN]


def _adresse(roh: pd.DataFrame, spalten: tuple[str, ...], text: Any) -> pd.Series:
    """Adressteile verbinden: Teile mit „+“ (Straße+Hausnummer) mit Leerzeichen, sonst mit Komma."""
    teile = []
    for eintrag in spalten:
        stuecke = [text(s) for s in eintrag.split("+")]
        verbunden = stuecke[0]
        for s in stuecke[1:]:
            verbunden = verbunden.str.cat(s, sep=" ").str.strip()
        teile.append(verbunden)
    if not teile:
        return pd.Series([""] * len(roh), index=roh.index, dtype=str)
    ergebnis = teile[0]
    for t in teile[1:]:
        ergebnis = ergebnis.str.cat(t, sep=", ").str.strip(", ")
    return ergebnis


def _kapazitaet(roh: pd.DataFrame, spalte: str | None, datei: str) -> pd.Series:
    """Kapazitäten als Zahl: Zahlspalten direkt, Textspalten im deutschen Format; Unlesbares bleibt leer."""
    if not spalte:
        return pd.Series(float("nan"), index=roh.index)
    if spalte not in roh.columns:
        raise KommuneFehler("Die Spalte fehlt.", datei=datei, spalte=spalte)
    werte = roh[spalte]
    if pd.api.types.is_numeric_dtype(werte):
        return werte.astype(float)
    text = werte.astype("string").fillna("").str.strip()
    deutsch = text.str.contains(",", regex=False)
    normal = text.where(~deutsch, text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    return pd.to_numeric(normal, errors="coerce").astype(float)


def _angebote_lesen(konf: KommuneKonfiguration, a: AngebotsQuelle) -> gpd.GeoDataFrame:
    """Eine Angebotsschicht in die Standardform bringen (Punkte im CRS der Kommune)."""
    anzeige = a.datei + (f" (Ebene {a.layer})" if a.layer else "")
    roh = datei_lesen(konf.daten / a.datei, a.layer)
    if a.filter:
        roh = roh[filter_maske(roh, a.filter, anzeige)]
    roh = crs_pruefen(roh, konf.crs, anzeige) if len(roh) else roh.set_crs(konf.crs, allow_override=True)
    roh = roh.copy()
    roh["geometry"] = roh.geometry.representative_point()

    def text(name: str | None) -> pd.Series:
        if not name:
            return pd.Series([""] * len(roh), index=roh.index, dtype=str)
        if name not in roh.columns:
            raise KommuneFehler("Die Spalte fehlt.", datei=anzeige, spalte=name)
        return roh[name].astype("string").fillna("").str.strip().astype(str)

    adresse = _adresse(roh, a.adresse_spalten, text)
    kap = _kapazitaet(roh, a.kapazitaet_spalte, anzeige)
    ids = (
        text(a.id_spalte)
        if a.id_spalte
        else pd.Series([f"{a.kategorie}-{i + 1}" for i in range(len(roh))], index=roh.index)
    )
    return gpd.GeoDataFrame(
        {
            "id": ids,
            "kategorie": a.kategorie,
            "bildungsstufe": a.bildungsstufe,
            "name": text(a.name_spalte),
            "traeger": text(a.traeger_spalte),
            "kapazitaet": kap,
            "adresse": adresse,
            "alter_von": a.alter_von,
            "alter_bis": a.alter_bis,
            "stand": a.stand,
            "quelle": a.quelle,
            **{z: (np.nan if z in _ZUSATZ_ZAHLEN else "") for z in ZUSATZ_SPALTEN},
            "herkunft": "",
        },
        geometry=roh.geometry,
        crs=konf.crs,
    ).reset_index(drop=True)


def _leere_angebote(crs: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({s: [] for s in ANGEBOT_SPALTEN}, geometry=[], crs=crs)


def register_angebote(
    konf: KommuneKonfiguration,
    gebiete: dict[str, gpd.GeoDataFrame],
    hinweise: list[str],
    inhalt: bytes | None = None,
) -> gpd.GeoDataFrame:
    """Die Angebote des Angebotsregisters in der Standardform (`herkunft` = „register“).

    `inhalt`: die Registerdatei (sonst aus `konf.daten`); ohne `[angebotsregister]` oder ohne Datei leer.
    Fehlerhafte Zeilen (von Hand bearbeitete Datei) werden als Hinweis benannt und weggelassen.
    """
    r = konf.angebotsregister
    if r is None:
        return _leere_angebote(konf.crs)
    if inhalt is None:
        pfad = konf.daten / r.datei
        if not pfad.is_file():
            return _leere_angebote(konf.crs)
        inhalt = pfad.read_bytes()
    fehler: list[str] = []
    ebenen = {e.id: gebiete[e.id] for e in konf.ebenen if e.id in gebiete}
    reg = registerdatei_lesen(inhalt, ebenen, konf.crs, lambda z, f, t: fehler.append(f"Zeile {z}: {t}"))
    if fehler:
        hinweise.append(
            f"Angebotsregister „{r.datei}“: {len(fehler)} fehlerhafte Angaben, diese Zeilen fehlen ({fehler[0]})."
        )
    reg["stand"] = reg["bestaetigt_am"]
    reg["quelle"] = r.quelle  # [[quelle]] für die Namensnennung; die Angabe je Angebot steht in „quellenangabe“
    reg["lizenz"] = reg["lizenz"].where(reg["lizenz"].astype(str) != "", r.lizenz)
    reg["herkunft"] = REGISTER
    return gpd.GeoDataFrame(reg[[*ANGEBOT_SPALTEN, "geometry"]], geometry="geometry", crs=konf.crs)


def angebote_mit_register(angebote: gpd.GeoDataFrame, register: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Die Angebote mit einem neuen Registerstand (die übrigen Quellen bleiben, in gleicher Reihenfolge)."""
    andere = angebote[angebote["herkunft"] != REGISTER]
    stuecke = [t for t in (andere, register) if len(t)]
    if not stuecke:
        return angebote.iloc[0:0].copy()
    return gpd.GeoDataFrame(pd.concat(stuecke, ignore_index=True), geometry="geometry", crs=angebote.crs)


def angebote_einordnen(
    angebote: gpd.GeoDataFrame, gebiete: dict[str, gpd.GeoDataFrame], umland_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Je Standort: liegt er in einem Gebiet (irgendeiner Ebene oder eines Einzugsbereichs), und wie weit (m)
    liegt er sonst vom nächsten Gebiet entfernt (0 innen; nur bis `umland_m` gemessen, weiter: ∞)."""
    n = len(angebote)
    innen, abstand = np.zeros(n, dtype=bool), np.full(n, np.inf)
    flaechen = [g for gdf in gebiete.values() for g in gdf.geometry.to_numpy() if g is not None and not g.is_empty]
    if not n or not flaechen:
        return innen, abstand
    punkte = angebote.geometry.to_numpy()
    # Baum über die Punkte, Flächen als Anfrage: so werden die (großen) Flächen vorbereitet, nicht die Punkte
    innen[np.unique(shapely.STRtree(punkte).query(flaechen, predicate="intersects")[1])] = True
    abstand[innen] = 0.0
    aussen = np.flatnonzero(~innen)
    if len(aussen) and umland_m > 0:
        baum = shapely.STRtree(flaechen)
        (pos, _), entfernung = baum.query_nearest(
            punkte[aussen], max_distance=umland_m, return_distance=True, all_matches=False
        )
        abstand[aussen[pos]] = entfernung
    return innen, abstand


def _umland_trennen(
    konf: KommuneKonfiguration,
    a: AngebotsQuelle,
    teil: gpd.GeoDataFrame,
    gebiete: dict[str, gpd.GeoDataFrame],
    hinweise: list[str],
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Standorte einer Quelle in (im Gebiet, Umland) teilen; was weiter draußen liegt, wird benannt und weggelassen."""
    innen, abstand = angebote_einordnen(teil, gebiete, a.umland_m)
    umland = ~innen & (abstand <= a.umland_m)
    weg = ~innen & ~umland
    anzeige = a.datei + (f" (Ebene {a.layer})" if a.layer else "")
    if umland.any():
        n = int(umland.sum())
        hinweise.append(
            f"Angebote „{a.kategorie}“ ({anzeige}): {_standorte(n)} bis {zahl(a.umland_m, 0)} m außerhalb der "
            f"{konf.grenze} {'gilt' if n == 1 else 'gelten'} als Umland – nur für die Entfernungen der "
            "Erreichbarkeit, in keinem Gebiet und in keiner Versorgungsquote gezählt."
        )
    if weg.any():
        n = int(weg.sum())
        beispiele = ", ".join(teil.loc[weg, "id"].astype(str).head(3))
        rat = (
            f"weiter als {zahl(a.umland_m, 0)} m („umland_m“) entfernt"
            if a.umland_m
            else "mit „umland_m = …“ in [[angebote]] zählen nahe Standorte als Umland für die Entfernungen"
        )
        hinweise.append(
            f"Angebote „{a.kategorie}“ ({anzeige}): {_standorte(n)} {'liegt' if n == 1 else 'liegen'} außerhalb "
            f"aller Gebiete und {'wurde' if n == 1 else 'wurden'} nicht übernommen (z. B. {beispiele}; {rat})."
        )
    return teil[innen].reset_index(drop=True), teil[umland].reset_index(drop=True)


def _geheimhaltung_nennt_bevoelkerung(konf: KommuneKonfiguration) -> bool:
    abschnitt = konf.erweiterungen.get("geheimhaltung")
    return isinstance(abschnitt, dict) and bool(abschnitt.get("bevoelkerung"))


def _standorte(n: int) -> str:
    return "1 Standort" if n == 1 else f"{zahl(n, 0)} Standorte"


def _querverweise_katalog(konf: KommuneKonfiguration, katalog: pd.DataFrame, hinweise: list[str]) -> None:
    """`[bevoelkerung]` und die Zielgruppen der `[[versorgung]]` müssen Anzahlen des Katalogs sein."""
    anzeige = str(konf.ordner / "kommune.toml")

    def pruefen(indikator: str, wo: str) -> None:
        if indikator not in katalog.index:
            raise KommuneFehler(f"{wo} nennt „{indikator[:80]}“, das nicht im Indikatorenkatalog steht.", datei=anzeige)
        if katalog.loc[indikator, "art"] != "anzahl":
            raise KommuneFehler(
                f"{wo} nennt „{indikator}“; das ist im Katalog ein {katalog.loc[indikator, 'art']}, gebraucht wird "
                "eine Anzahl (Personen).",
                datei=anzeige,
            )

    if konf.bevoelkerung is not None:
        pruefen(konf.bevoelkerung.indikator, "[bevoelkerung] „indikator“")
    elif not _geheimhaltung_nennt_bevoelkerung(konf):
        erkannt = [k for k in BEVOELKERUNG_KANDIDATEN if k in katalog.index and katalog.loc[k, "art"] == "anzahl"]
        if erkannt:
            hinweise.append(
                f"Die Einwohnerzahl ist nicht als [bevoelkerung] angegeben; die Geheimhaltung erkennt „{erkannt[0]}“ "
                f'am Namen. Bitte in der kommune.toml eintragen: [bevoelkerung] indikator = "{erkannt[0]}".'
            )
    for v in konf.versorgung:
        if v.id in katalog.index:
            raise KommuneFehler(
                f"Die Versorgungsquote „{v.id}“ heißt wie ein Indikator des Katalogs; bitte eine andere ID wählen.",
                datei=anzeige,
            )
        for _, i in v.teile:
            pruefen(i, f"„zielgruppe“ in [[versorgung]] „{v.id}“")


def _wohnraster_pruefen(konf: KommuneKonfiguration, hinweise: list[str]) -> None:
    """Das Gitter der Erreichbarkeit: angegeben → Datei und Spalte müssen da sein; abgeleitet → sonst Hinweis."""
    wahl = konf.wohnraster()
    if wahl is None:
        return
    datei, spalte, angegeben = wahl
    from kommune.raster import gitter_spalten  # erst hier: nur Kommunen mit Gitter brauchen es

    pfad = konf.daten / datei
    if not pfad.is_file():
        if angegeben:
            raise KommuneFehler("Die Gitterdatei aus [erreichbarkeit] „raster“ wurde nicht gefunden.", datei=datei)
        return  # fehlt die Datei eines [[raster]], meldet das dessen Auswertung
    if spalte not in gitter_spalten(pfad):
        if angegeben:
            raise KommuneFehler(
                f"Die Gitterdatei hat keine Einwohnerspalte „{spalte}“ ([erreichbarkeit] „spalte“).", datei=datei
            )
        hinweise.append(
            f"Erreichbarkeit: Das Gitter {datei} hat keine Spalte „{spalte}“; die Bevölkerung wird gleichmäßig "
            "über die Fläche verteilt. Mit [erreichbarkeit] spalte = … die Einwohnerspalte nennen."
        )


def kommune_laden(name_oder_pfad: str | os.PathLike[str], version: str | None = "aktiv") -> Kommune:
    """Eine Kommune laden und prüfen. Jeder Fehler wird als `KommuneFehler` gemeldet.

    `version`: „aktiv“ (zuletzt importierter Datenstand), eine Versions-ID (Stand festhalten) oder
    None/„original“ (die Dateien ohne Import).
    """
    from kommune.versionen import kommune_mit_version

    return kommune_mit_version(_laden_ohne_version(name_oder_pfad), version)


def _bezug_pruefen(konf: KommuneKonfiguration, katalog: pd.DataFrame) -> None:
    """`[aggregation] bezug` nennt nur Anzahlen des Katalogs (Einwohner-Indikatoren)."""
    for b in konf.aggregation.bezug:
        if b not in katalog.index or katalog.loc[b, "art"] != "anzahl":
            grund = "das nicht im Indikatorenkatalog steht" if b not in katalog.index else "das keine Anzahl ist"
            raise KommuneFehler(
                f"[aggregation] „bezug“ nennt „{b[:80]}“, {grund}; erwartet wird ein Einwohner-Indikator "
                "(art = anzahl).",
                datei=TOML_NAME,
            )


def _laden_ohne_version(name_oder_pfad: str | os.PathLike[str]) -> Kommune:
    """Die Kommune aus den ursprünglichen Dateien."""
    konf = konfiguration_lesen(kommune_ordner(name_oder_pfad))
    hinweise: list[str] = []
    katalog = katalog_lesen(konf.katalog, konf.merkmale)
    _bezug_pruefen(konf, katalog)
    gebiete = {s.id: _gebiete_lesen(konf, s, hinweise) for s in konf.schichten}
    _verschachtelung_pruefen(konf, gebiete, hinweise)
    tabellen = [_indikatoren_lesen(konf, t, set(katalog.index)) for t in konf.indikatoren]
    if konf.raster:  # Gitter (Zensus) auf Gebiete summieren (kommune.raster, nur bei Bedarf geladen)
        from kommune.raster import quelle_auswerten

        tabellen += [quelle_auswerten(konf, r, gebiete[r.ebene], set(katalog.index), hinweise) for r in konf.raster]
    indikatoren = pd.concat(tabellen, ignore_index=True) if tabellen else pd.DataFrame(columns=INDIKATOR_SPALTEN)
    for schicht_id, teil in indikatoren.groupby("schicht"):
        fremd = sorted(set(teil["gebiet"]) - set(gebiete[schicht_id].index))
        if fremd:
            hinweise.append(
                f"{len(fremd)} Gebietsschlüssel der Ebene „{schicht_id}“ aus den Indikatortabellen fehlen in "
                f"der Geometrie und werden nicht angezeigt (z. B. {', '.join(fremd[:3])})."
            )
    _querverweise_katalog(konf, katalog, hinweise)
    _wohnraster_pruefen(konf, hinweise)
    teile = [_umland_trennen(konf, a, _angebote_lesen(konf, a), gebiete, hinweise) for a in konf.angebote]

    def verbinden(stuecke: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
        if not stuecke:
            return _leere_angebote(konf.crs)
        return gpd.GeoDataFrame(pd.concat(stuecke, ignore_index=True), geometry="geometry", crs=konf.crs)

    angebote = verbinden([t[0] for t in teile] + [t for t in [register_angebote(konf, gebiete, hinweise)] if len(t)])
    umland = verbinden([t[1] for t in teile])
    uebergaenge = uebergaenge_laden(konf, gebiete)
    return Kommune(konf, gebiete, indikatoren, katalog, angebote, hinweise, umland, uebergaenge=uebergaenge)

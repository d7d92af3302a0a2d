"""Die `kommune.toml` lesen und als unveränderliche Konfiguration bereitstellen."""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

from kommune.fehler import KommuneFehler
from kommune.formel import summenformel

TOML_NAME = "kommune.toml"
#: Abschnitte der kommune.toml, die von Fachmodulen gelesen werden (nicht von diesem Modul geprüft).
ERWEITERUNGEN = ("kachel", "cockpit", "geheimhaltung", "anmeldung", "rollen", "sitzung")
_ID_MUSTER = re.compile(r"^[a-z][a-z0-9_]*$")
#: Textschlüssel der obersten Ebene.
_OBEN = ("name", "ags", "crs", "daten", "katalog", "standard_ebene", "gesamtgebiet", "grenze")
#: Wörter einer Stadt, solange die kommune.toml keine eigenen nennt (ein Landkreis: „Landkreis …“, „Kreisgrenze“).
GESAMTGEBIET_STANDARD = "Gesamtstadt"
GRENZE_STANDARD = "Stadtgrenze"


@dataclass(frozen=True)
class Quelle:
    """Eine Datenquelle mit Lizenz und Namensnennung."""

    id: str
    titel: str
    lizenz: str
    namensnennung: str
    url: str = ""

    @property
    def zitat(self) -> str:
        """Namensnennung in der Form, die die Lizenz verlangt."""
        return f"{self.namensnennung} ({self.lizenz})"


@dataclass(frozen=True)
class Gebietsschicht:
    """Eine statistische Ebene oder ein Einzugsbereich (Polygone)."""

    id: str
    name: str
    datei: str
    id_spalte: str
    art: str = "ebene"  # "ebene" (verschachtelt) oder "einzugsbereich" (quer dazu)
    layer: str | None = None
    name_spalte: str | None = None
    eltern: str | None = None
    eltern_spalte: str | None = None
    eltern_aus_praefix: int | None = None
    stand: str = ""
    quelle: str = ""
    #: nur diese Zeilen der Datei (z. B. die Gemeinden eines Kreises aus einer bundesweiten Datei)
    filter: Filter | None = None
    #: ID = die ersten N Zeichen von `id_spalte`; Flächen mit gleicher ID werden vereinigt
    id_aus_praefix: int | None = None
    #: Anzeigenamen je ID (Vorrang vor `name_spalte`)
    namen: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Filter:
    """Nur Zeilen übernehmen, deren `spalte` einen der `werte` hat (oder mit einem der `praefix`e beginnt)."""

    spalte: str
    werte: tuple[str, ...] = ()
    praefix: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndikatorTabelle:
    """Eine Tabelle mit Indikatorwerten im langen oder breiten Format."""

    datei: str
    ebene: str
    format: str = "lang"
    blatt: str | None = None
    quelle: str = ""
    trennzeichen: str | None = None
    dezimalzeichen: str | None = None
    einheit_spalte: str = "gebiet_id"
    indikator_spalte: str = "indikator"
    periode_spalte: str = "periode"
    wert_spalte: str = "wert"
    zaehler_spalte: str | None = None
    nenner_spalte: str | None = None
    id_spalte: str | None = None
    periode: str | None = None
    spalten: tuple[str, ...] = ()


@dataclass(frozen=True)
class AngebotsQuelle:
    """Eine Punktschicht mit Bildungsangeboten einer Kategorie."""

    kategorie: str
    datei: str
    name_spalte: str
    bildungsstufe: str = ""
    layer: str | None = None
    filter: Filter | None = None
    id_spalte: str | None = None
    traeger_spalte: str | None = None
    kapazitaet_spalte: str | None = None
    adresse_spalten: tuple[str, ...] = ()
    alter_von: float | None = None
    alter_bis: float | None = None
    stand: str = ""
    quelle: str = ""
    #: Standorte bis so viele Meter außerhalb aller Gebiete gelten als Umland: nur für Entfernungen, nie gezählt
    umland_m: float = 0.0


@dataclass(frozen=True)
class Angebotsregister:
    """Das Angebotsregister der Kommune (Abschnitt `[angebotsregister]`, `kommune/angebotsregister.py`).

    `datei`: die Registerdatei relativ zu `daten` (CSV mit „;“; fehlt sie, ist das Register leer); `monate`:
    nach so vielen Monaten ohne Bestätigung fragt die Stand-Abfrage beim Träger nach; `quelle`/`lizenz`:
    Vorgaben für Angebote ohne eigene Angabe (Namensnennung auf der öffentlichen Seite).
    """

    datei: str = "angebotsregister.csv"
    monate: int = 12
    quelle: str = ""
    lizenz: str = ""


@dataclass(frozen=True)
class RasterQuelle:
    """Indikatoren aus einem Gitter (Zensus): beim Laden auf die Gebiete einer Ebene summiert.

    `anzahlen`/`mittelwerte`: (Indikator, Spalte); `anteile`: (Indikator, Spalte, abgeleitete Anzahl oder "").
    """

    datei: str
    ebene: str
    periode: str
    quelle: str = ""
    verfahren: str = "mittelpunkt"
    bezug: str = "Einwohner"
    anzahlen: tuple[tuple[str, str], ...] = ()
    anteile: tuple[tuple[str, str, str], ...] = ()
    mittelwerte: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Uebergangstabelle:
    """Übergänge zwischen Bildungsstufen (Abschnitt `[[uebergaenge]]`, `kommune/uebergaenge.py`).

    Je Zeile: Gebiet der Ebene `ebene`, Periode, Herkunft (`von`, z. B. „Grundschule“), Ziel (`nach`, z. B.
    „Gymnasium“) und Anzahl der Personen. `ohne_anschluss`: Ziele, die als „ohne Anschluss“ zählen.
    """

    id: str
    name: str
    datei: str
    ebene: str
    von_spalte: str = "von"
    nach_spalte: str = "nach"
    anzahl_spalte: str = "anzahl"
    gebiet_spalte: str = "gebiet_id"
    periode_spalte: str = "periode"
    quelle: str = ""
    ohne_anschluss: tuple[str, ...] = ("ohne Anschluss",)
    blatt: str | None = None


#: Wie Anzahlen mit fehlenden Teilgebieten aggregiert werden (`[aggregation] anzahlen_mit_luecke`).
ANZAHLEN_MIT_LUECKE = ("mit_deckung", "leer")


@dataclass(frozen=True)
class Aggregation:
    """Regeln für Werte gröberer Ebenen (Abschnitt `[aggregation]`).

    `mindestdeckung`: so viel der Bezugsgröße müssen die Teilgebiete mit Wert tragen, sonst bleibt der Wert
    leer („keine Daten“). `anzahlen_mit_luecke`: „mit_deckung“ – Anzahlen sind die Summe der bekannten Teile
    und nennen, was fehlt; „leer“ – ein fehlendes Teilgebiet macht die Summe leer (streng). `bezug`: die
    Einwohner-Indikatoren, nach denen der Anteil fehlender Teile bemessen wird (leer: die der Geheimhaltung).
    """

    mindestdeckung: float = 0.99
    anzahlen_mit_luecke: str = "mit_deckung"
    bezug: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bevoelkerung:
    """Der Einwohner-Indikator der Kommune (Abschnitt `[bevoelkerung]`).

    Er gilt für die Geheimhaltung (Gebiete unter 300 Einwohnern, sofern `[geheimhaltung] bevoelkerung` nichts
    anderes nennt), als Zielgruppe der Erreichbarkeit von Kategorien ohne eigene `[[versorgung]]` und als
    Gewicht der Gesamtwerte.
    """

    indikator: str
    name: str = "Einwohner"


@dataclass(frozen=True)
class Versorgungsquote:
    """Eine Versorgungsquote (Abschnitt `[[versorgung]]`): Angebote einer Kategorie je `je` Personen der Zielgruppe.

    `menge`: „kapazitaet“ (Summe der bekannten Platzzahlen) oder „anzahl“ (Zahl der Angebote); `zielgruppe`:
    eine Indikator-ID des Katalogs oder eine Summe/Differenz solcher IDs („a + b“, „a - b“), zerlegt in `teile`.
    """

    id: str
    name: str
    kategorie: str
    zielgruppe: str
    zielgruppe_name: str
    menge: str = "kapazitaet"
    je: int = 100
    #: Mehrzahl der Angebote für Spaltennamen („Kitas (Anzahl)“); Standard „Angebote <Kategorie>“
    angebote_name: str = ""
    #: Name der Plätze für Spaltennamen („Kita-Plätze (Plätze)“); Standard „Plätze <Kategorie>“
    plaetze_name: str = ""

    @property
    def teile(self) -> tuple[tuple[float, str], ...]:
        """Die Zielgruppe als (Faktor, Indikator-ID), z. B. ``((1.0, "a"), (-1.0, "b"))``."""
        return summenformel(self.zielgruppe)


@dataclass(frozen=True)
class Erreichbarkeit:
    """Wo die Menschen für die Erreichbarkeit wohnen (Abschnitt `[erreichbarkeit]`).

    `verteilung`: „raster“ (Stichprobenpunkte nach den Einwohnern der Gitterzelle gewichtet), „gleichmaessig“
    (Bevölkerung gleichmäßig über die Fläche) oder leer = „raster“, wenn die Kommune ein Gitter hat (`raster`
    hier oder ein `[[raster]]`), sonst „gleichmaessig“. `raster`/`spalte`: Gitterdatei (relativ zu `daten`) und
    ihre Einwohnerspalte; Standard: die Datei des ersten `[[raster]]` und die Spalte des Einwohner-Indikators
    dort (sonst deren `bezug`).
    """

    verteilung: str | None = None
    raster: str | None = None
    spalte: str | None = None


@dataclass(frozen=True)
class Reichweite:
    """Die Reichweite eines Programms (Abschnitt `[[reichweite]]`): Teilnehmende je Wohngebiet gegen die Zielgruppe.

    `teilnehmende` und `zielgruppe` sind Anzahlen des Katalogs (die Teilnehmenden kommen als gewöhnliche
    Indikator-Lieferung, Anzahl je Wohngebiet und Periode); `klassen` ist ein Katalog-Indikator oder ein
    Index-Preset, nach dessen Quantilen die Gebiete in `klassen_anzahl` Klassen fallen. `richtung` 1: ein hoher
    Wert des Klassenmerkmals bedeutet stärkere Benachteiligung, −1: ein niedriger.
    """

    id: str
    name: str
    teilnehmende: str
    zielgruppe: str
    klassen: str
    #: Wort für die Zielgruppe in Sätzen und Spalten; Standard: der Katalogname der Zielgruppe
    zielgruppe_name: str = ""
    #: Wort für das Klassenmerkmal; Standard: Name des Indikators bzw. Index
    klassen_name: str = ""
    richtung: int = 1
    klassen_anzahl: int = 5


@dataclass(frozen=True)
class Merkmal:
    """Ein Merkmal, nach dem Indikatoren aufgeschlüsselt sind (Abschnitt `[[merkmal]]`, `kommune/merkmale.py`).

    `auspraegungen`: IDs der Gruppen („mit“, „ohne“); `namen`: (Ausprägung, Anzeigename); `summe`: die
    Ausprägungen ergeben zusammen den Gesamtwert (dann prüft der Import die Summe, und die Geheimhaltung gilt über
    die ganze Familie).
    """

    id: str
    name: str
    auspraegungen: tuple[str, ...]
    namen: tuple[tuple[str, str], ...] = ()
    summe: bool = False

    def name_von(self, auspraegung: str) -> str:
        """Der Anzeigename einer Ausprägung (ohne eigenen Namen: die ID)."""
        return dict(self.namen).get(auspraegung, auspraegung)


#: Werte von `[erreichbarkeit] verteilung`.
VERTEILUNGEN = ("raster", "gleichmaessig")
#: Werte von `[[versorgung]] menge`.
MENGEN = ("kapazitaet", "anzahl")


@dataclass(frozen=True)
class KommuneKonfiguration:
    """Alles, was die `kommune.toml` einer Kommune festlegt."""

    ordner: Path
    name: str
    ags: str
    crs: str
    daten: Path
    katalog: Path
    standard_ebene: str | None = None
    #: Wie die Oberfläche das ganze Gebiet nennt (Spalte, Vergleichswert): „Gesamtstadt“, „Landkreis Regensburg“
    gesamtgebiet: str = GESAMTGEBIET_STANDARD
    #: Wie die Oberfläche die Außengrenze nennt (Hinweise zur Erreichbarkeit): „Stadtgrenze“, „Kreisgrenze“
    grenze: str = GRENZE_STANDARD
    quellen: tuple[Quelle, ...] = ()
    ebenen: tuple[Gebietsschicht, ...] = ()
    einzugsbereiche: tuple[Gebietsschicht, ...] = ()
    indikatoren: tuple[IndikatorTabelle, ...] = ()
    angebote: tuple[AngebotsQuelle, ...] = field(default_factory=tuple)
    #: Angebotsregister (`[angebotsregister]`); None = keines
    angebotsregister: Angebotsregister | None = None
    raster: tuple[RasterQuelle, ...] = ()
    #: Einwohner-Indikator (`[bevoelkerung]`); None = nicht angegeben
    bevoelkerung: Bevoelkerung | None = None
    #: Versorgungsquoten (`[[versorgung]]`); leer = keine
    versorgung: tuple[Versorgungsquote, ...] = ()
    #: Reichweite von Programmen (`[[reichweite]]`); leer = keine
    reichweite: tuple[Reichweite, ...] = ()
    #: Übergangstabellen (`[[uebergaenge]]`); leer = keine
    uebergaenge: tuple[Uebergangstabelle, ...] = ()
    erreichbarkeit: Erreichbarkeit = field(default_factory=Erreichbarkeit)
    aggregation: Aggregation = Aggregation()
    #: Merkmale der Gruppenindikatoren (`[[merkmal]]`); leer = keine Gruppen
    merkmale: tuple[Merkmal, ...] = ()
    #: Abschnitte, die andere Module selbst auslesen (Cockpit-Kacheln, Geheimhaltung, Anmeldung, Sitzung)
    erweiterungen: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def quelle(self, quelle_id: str) -> Quelle | None:
        """Die Quelle mit dieser ID oder None."""
        return next((q for q in self.quellen if q.id == quelle_id), None)

    def merkmal(self, merkmal_id: str) -> Merkmal | None:
        """Das Merkmal mit dieser ID oder None."""
        return next((m for m in self.merkmale if m.id == merkmal_id), None)

    @property
    def schichten(self) -> tuple[Gebietsschicht, ...]:
        """Ebenen und Einzugsbereiche zusammen."""
        return self.ebenen + self.einzugsbereiche

    def wohnraster(self) -> tuple[str, str, bool] | None:
        """Das Gitter der Wohnorte für die Erreichbarkeit: (Datei relativ zu `daten`, Einwohnerspalte, angegeben).

        `angegeben` ist False, wenn Datei und Spalte nur aus dem ersten `[[raster]]` abgeleitet sind (fehlt die
        Spalte dort, verteilt die Erreichbarkeit gleichmäßig, statt zu scheitern). None: gleichmäßig verteilen.
        """
        e = self.erreichbarkeit
        if e.verteilung == "gleichmaessig":
            return None
        if e.raster:
            return e.raster, e.spalte or "Einwohner", True
        if not self.raster:
            return None
        r = self.raster[0]
        bev = self.bevoelkerung.indikator if self.bevoelkerung else None
        spalte = e.spalte or next((s for i, s in r.anzahlen if i == bev), None) or r.bezug
        return r.datei, spalte, e.spalte is not None or e.verteilung == "raster"

    def erweiterung(
        self, name: str, erlaubt: Iterable[str], fehler: type[KommuneFehler] = KommuneFehler
    ) -> dict[str, Any]:
        """Ein Abschnitt wie `[cockpit]` oder `[sitzung]` (leer, wenn es ihn nicht gibt), auf Art und Schlüssel geprüft.

        Kein Abschnitt mit Schlüsseln oder ein unbekannter Schlüssel: `fehler` mit einem deutschen Satz.
        """
        roh = self.erweiterungen.get(name, {})
        if not isinstance(roh, dict):
            raise fehler(f"[{name}] in der kommune.toml muss ein Abschnitt mit Schlüsseln sein.")
        erlaubt = sorted(erlaubt)
        unbekannt = sorted(set(roh) - set(erlaubt))
        if unbekannt:
            raise fehler(
                f"Unbekannter Schlüssel „{unbekannt[0]}“ in [{name}]. "
                f"Erlaubt {'ist' if len(erlaubt) == 1 else 'sind'}: {', '.join(erlaubt)}."
            )
        return roh


def _pfad_ersetzen(text: str, datei: str) -> str:
    """`${VAR}` durch Umgebungsvariablen ersetzen; fehlt eine, deutlich melden."""

    def ersetze(m: re.Match[str]) -> str:
        wert = os.environ.get(m.group(1))
        if not wert:
            raise KommuneFehler(
                f"Die Umgebungsvariable {m.group(1)} ist nicht gesetzt; sie muss auf den Ordner mit den Daten zeigen.",
                datei=datei,
            )
        return wert

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", ersetze, text)


def _text(wert: Any, feld: str, abschnitt: str, datei: str) -> str:
    """Ein Textfeld: Text oder (wie bisher erlaubt) eine ganze Zahl; Listen, Tabellen, Daten sind Fehler."""
    if isinstance(wert, bool) or not isinstance(wert, str | int):
        raise KommuneFehler(f"„{feld}“ in {abschnitt} muss ein Text in Anführungszeichen sein.", datei=datei)
    text = str(wert)
    if "\x00" in text:
        raise KommuneFehler(f"„{feld}“ in {abschnitt} enthält ein Nullzeichen.", datei=datei)
    return text


def _textliste(wert: Any, feld: str, abschnitt: str, datei: str) -> tuple[str, ...]:
    """Ein Text oder eine Liste von Texten."""
    if isinstance(wert, str):
        wert = [wert]
    if not isinstance(wert, list):
        raise KommuneFehler(f"„{feld}“ in {abschnitt} muss ein Text oder eine Liste von Texten sein.", datei=datei)
    return tuple(_text(w, feld, abschnitt, datei) for w in wert)


def _zahl(wert: Any, feld: str, abschnitt: str, datei: str, *, ganz: bool = False) -> float | int:
    """Eine endliche Zahl (bei `ganz` eine ganze Zahl von 1 bis 64)."""
    if isinstance(wert, bool) or not isinstance(wert, int | float) or not math.isfinite(wert):
        raise KommuneFehler(f"„{feld}“ in {abschnitt} muss eine Zahl sein (ohne Anführungszeichen).", datei=datei)
    if ganz:
        if int(wert) != wert or not 1 <= wert <= 64:
            raise KommuneFehler(f"„{feld}“ in {abschnitt} muss eine ganze Zahl von 1 bis 64 sein.", datei=datei)
        return int(wert)
    return float(wert)


def _feldwert(name: str, wert: Any, abschnitt: str, datei: str) -> Any:
    """Einen Wert eines Abschnitts in den Typ des Dataclass-Felds bringen; falsche Typen → `KommuneFehler`."""
    if name in ("spalten", "adresse_spalten", "auspraegungen", "ohne_anschluss"):
        return _textliste(wert, name, abschnitt, datei)
    if name == "summe":
        if not isinstance(wert, bool):
            raise KommuneFehler(
                f"„summe“ in {abschnitt} muss true oder false sein (ohne Anführungszeichen).", datei=datei
            )
        return wert
    if name == "filter":
        return _filter_lesen(wert, abschnitt, datei)
    if name in ("namen", "anzahlen", "anteile", "mittelwerte"):
        return _zuordnung_lesen(name, wert, abschnitt, datei)
    if name in ("alter_von", "alter_bis"):
        return _zahl(wert, name, abschnitt, datei)
    if name == "umland_m":
        m = _zahl(wert, name, abschnitt, datei)
        if not 0 <= m <= 50_000:
            raise KommuneFehler(f"„umland_m“ in {abschnitt} muss eine Zahl von 0 bis 50000 (Meter) sein.", datei=datei)
        return m
    if name == "je":
        zahl_ok = isinstance(wert, int | float) and not isinstance(wert, bool) and math.isfinite(wert)
        if not zahl_ok or wert != int(wert) or not 1 <= wert <= 10**7:
            raise KommuneFehler(
                f"„je“ in {abschnitt} muss eine ganze Zahl von 1 bis 10000000 sein (z. B. 100 oder 1000).", datei=datei
            )
        return int(wert)
    if name == "monate":
        m = _zahl(wert, name, abschnitt, datei)
        if m != int(m) or not 1 <= m <= 120:
            raise KommuneFehler(f"„monate“ in {abschnitt} muss eine ganze Zahl von 1 bis 120 sein.", datei=datei)
        return int(m)
    if name == "richtung":
        if isinstance(wert, bool) or wert not in (1, -1):
            raise KommuneFehler(
                f"„richtung“ in {abschnitt} muss 1 (hoher Wert = benachteiligt) oder -1 sein.", datei=datei
            )
        return int(wert)
    if name == "klassen_anzahl":
        if isinstance(wert, bool) or not isinstance(wert, int) or not 2 <= wert <= 10:
            raise KommuneFehler(f"„klassen_anzahl“ in {abschnitt} muss eine ganze Zahl von 2 bis 10 sein.", datei=datei)
        return wert
    if name in ("eltern_aus_praefix", "id_aus_praefix"):
        return _zahl(wert, name, abschnitt, datei, ganz=True)
    return _text(wert, name, abschnitt, datei)


def _dateiname(name: str, feld: str, datei: str) -> str:
    """Ein Dateiname relativ zum Ordner der Kommune bzw. ihrer Daten: nicht absolut, ohne „..“."""
    teile = name.replace("\\", "/").split("/")
    if any(len(t) > 255 for t in teile):
        raise KommuneFehler(f"„{feld}“ ist zu lang für einen Dateinamen (höchstens 255 Zeichen je Teil).", datei=datei)
    if not name.strip() or name.startswith(("/", "\\")) or ".." in teile or re.match(r"^[A-Za-z]:", name):
        raise KommuneFehler(
            f"„{feld}“ = „{name[:80]}“ ist kein zulässiger Dateiname: erwartet wird ein Pfad innerhalb des "
            "Datenordners (nicht absolut, ohne „..“).",
            datei=datei,
        )
    return name


def crs_pruefen(crs: str, datei: str) -> str:
    """Das Koordinatensystem der kommune.toml muss pyproj bekannt und projiziert (metrisch) sein."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        bekannt = CRS.from_user_input(crs)
    except (CRSError, TypeError, ValueError):
        raise KommuneFehler(
            f"Das Koordinatensystem „{crs[:80]}“ ist unbekannt; erwartet wird z. B. „EPSG:25832“ (UTM 32N) "
            "oder „EPSG:25833“ (UTM 33N).",
            datei=datei,
        ) from None
    if not bekannt.is_projected:
        raise KommuneFehler(
            f"Das Koordinatensystem „{crs[:80]}“ ist nicht metrisch (projiziert); Flächen und Entfernungen "
            "brauchen z. B. „EPSG:25832“ oder „EPSG:25833“.",
            datei=datei,
        )
    return crs


def _filter_lesen(wert: Any, abschnitt: str, datei: str) -> Filter:
    """`{ spalte = "…", werte = [...] }` oder `{ spalte = "…", praefix = "09375" }`."""
    if not isinstance(wert, dict) or set(wert) not in ({"spalte", "werte"}, {"spalte", "praefix"}):
        raise KommuneFehler(
            f"„filter“ in {abschnitt} braucht die Schlüssel „spalte“ und „werte“ (oder „spalte“ und „praefix“).",
            datei=datei,
        )
    liste = _textliste(wert.get("werte", wert.get("praefix")), "filter", abschnitt, datei)
    spalte = _text(wert["spalte"], "filter.spalte", abschnitt, datei)
    return Filter(spalte, *((liste, ()) if "werte" in wert else ((), liste)))


def _zuordnung_lesen(name: str, wert: Any, abschnitt: str, datei: str) -> tuple:
    """Eine TOML-Tabelle `{ id = "Spalte", … }` als Paare; bei `anteile` auch `{ spalte = …, anzahl = … }`."""
    if not isinstance(wert, dict):
        raise KommuneFehler(
            f'„{name}“ in {abschnitt} muss eine Tabelle sein, z. B. {{ einwohner = "Einwohner" }}.', datei=datei
        )
    paare = []
    for schluessel, ziel in wert.items():
        if name == "anteile" and isinstance(ziel, dict):
            if "spalte" not in ziel or not set(ziel) <= {"spalte", "anzahl"}:
                raise KommuneFehler(
                    f"„anteile.{schluessel}“ in {abschnitt} braucht „spalte“ und optional „anzahl“.", datei=datei
                )
            paare.append((str(schluessel), str(ziel["spalte"]), str(ziel.get("anzahl", ""))))
        elif isinstance(ziel, (str, int, float)):
            paare.append((str(schluessel), str(ziel), "") if name == "anteile" else (str(schluessel), str(ziel)))
        else:
            raise KommuneFehler(f"„{name}.{schluessel}“ in {abschnitt} muss ein Text sein.", datei=datei)
    return tuple(paare)


def _eintrag(klasse: type, roh: Any, abschnitt: str, datei: str) -> Any:
    """Einen TOML-Abschnitt in eine Dataclass übersetzen, mit deutschen Fehlern."""
    if not isinstance(roh, dict):
        raise KommuneFehler(f"{abschnitt} muss ein Abschnitt mit Schlüsseln sein.", datei=datei)
    erlaubt = {f.name: f for f in fields(klasse)}
    unbekannt = sorted(set(roh) - set(erlaubt))
    if unbekannt:
        raise KommuneFehler(
            f"Unbekannter Schlüssel „{unbekannt[0]}“ in {abschnitt}. Erlaubt sind: " + ", ".join(sorted(erlaubt)) + ".",
            datei=datei,
        )
    werte = {name: _feldwert(name, wert, abschnitt, datei) for name, wert in roh.items()}
    fehlend = [
        f.name for f in fields(klasse) if f.name not in werte and f.default is MISSING and f.default_factory is MISSING
    ]
    if fehlend:
        raise KommuneFehler(f"In {abschnitt} fehlt der Pflichtschlüssel „{fehlend[0]}“.", datei=datei)
    return klasse(**werte)


def _abschnitt(roh: dict[str, Any], name: str, klasse: type, datei: str) -> Any:
    """Ein einfacher Abschnitt `[name]` (keine Liste) als Dataclass, None ohne Abschnitt."""
    if name not in roh:
        return None
    if not isinstance(roh[name], dict):
        raise KommuneFehler(f"„{name}“ muss ein Abschnitt [{name}] sein (nicht [[{name}]]).", datei=datei)
    return _eintrag(klasse, roh[name], f"[{name}]", datei)


def konfiguration_lesen(ordner: Path) -> KommuneKonfiguration:
    """Die `kommune.toml` im Ordner lesen und auf Vollständigkeit prüfen."""
    datei = ordner / TOML_NAME
    if not datei.is_file():
        raise KommuneFehler(f"Im Ordner „{ordner}“ gibt es keine {TOML_NAME}.")
    anzeige = str(datei.name if ordner == Path(".") else datei)
    try:
        roh = tomllib.loads(datei.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise KommuneFehler("Die Datei ist nicht UTF-8-kodiert.", datei=anzeige) from None
    except RecursionError:
        raise KommuneFehler("Die Datei ist zu tief verschachtelt (Listen in Listen).", datei=anzeige) from None
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+), column (\d+)", str(e))
        zeile = int(m.group(1)) if m else None
        stelle = f" bei Zeichen {m.group(2)}" if m else ""
        raise KommuneFehler(
            f"Die Datei ist kein gültiges TOML (Syntaxfehler{stelle}; oft fehlt ein Anführungszeichen "
            "oder eine Klammer).",
            datei=anzeige,
            zeile=zeile,
        ) from None
    for pflicht in ("name", "crs"):
        if pflicht not in roh:
            raise KommuneFehler(f"Der Pflichtschlüssel „{pflicht}“ fehlt.", datei=anzeige)
    bekannt = {
        "name",
        "ags",
        "crs",
        "daten",
        "katalog",
        "standard_ebene",
        "gesamtgebiet",
        "grenze",
        "quelle",
        "ebene",
        "einzugsbereich",
        "indikatoren",
        "angebote",
        "angebotsregister",
        "raster",
        "bevoelkerung",
        "versorgung",
        "reichweite",
        "uebergaenge",
        "erreichbarkeit",
        "aggregation",
        "merkmal",
        *ERWEITERUNGEN,
    }
    unbekannt = sorted(set(roh) - bekannt)
    if unbekannt:
        raise KommuneFehler(f"Unbekannter Schlüssel „{unbekannt[0]}“.", datei=anzeige)

    def liste(name: str, klasse: type, **extra: str) -> tuple:
        eintraege = roh.get(name, [])
        if isinstance(eintraege, dict):
            eintraege = [eintraege]
        if not isinstance(eintraege, list):
            raise KommuneFehler(f"„{name}“ muss ein Abschnitt [[{name}]] sein.", datei=anzeige)
        return tuple(
            _eintrag(klasse, {**e, **extra} if isinstance(e, dict) else e, f"[{name}] Nr. {i + 1}", anzeige)
            for i, e in enumerate(eintraege)
        )

    oben = {k: _text(roh[k], k, "der obersten Ebene", anzeige) for k in _OBEN if k in roh}
    for k in ("gesamtgebiet", "grenze"):
        if k in oben:
            oben[k] = " ".join(oben[k].split())
            if not oben[k] or len(oben[k]) > 80:
                raise KommuneFehler(
                    f"„{k}“ muss ein kurzer Text sein (1 bis 80 Zeichen), z. B. „Landkreis Regensburg“.", datei=anzeige
                )
    daten = ordner / _pfad_ersetzen(oben.get("daten", "."), anzeige)
    ebenen = liste("ebene", Gebietsschicht)
    einzugsbereiche = liste("einzugsbereich", Gebietsschicht, art="einzugsbereich")
    for k in ERWEITERUNGEN:
        if k in roh and not isinstance(roh[k], dict | list):
            raise KommuneFehler(f"„{k}“ muss ein Abschnitt [{k}] oder [[{k}]] sein.", datei=anzeige)
    konf = KommuneKonfiguration(
        ordner=ordner,
        name=oben["name"],
        ags=oben.get("ags", ""),
        crs=crs_pruefen(oben["crs"], anzeige),
        daten=daten,
        katalog=ordner / _dateiname(oben.get("katalog", "katalog.csv"), "katalog", anzeige),
        standard_ebene=oben.get("standard_ebene"),
        gesamtgebiet=oben.get("gesamtgebiet", GESAMTGEBIET_STANDARD),
        grenze=oben.get("grenze", GRENZE_STANDARD),
        quellen=liste("quelle", Quelle),
        ebenen=ebenen,
        einzugsbereiche=einzugsbereiche,
        indikatoren=liste("indikatoren", IndikatorTabelle),
        angebote=liste("angebote", AngebotsQuelle),
        angebotsregister=_abschnitt(roh, "angebotsregister", Angebotsregister, anzeige),
        raster=liste("raster", RasterQuelle),
        bevoelkerung=_abschnitt(roh, "bevoelkerung", Bevoelkerung, anzeige),
        versorgung=liste("versorgung", Versorgungsquote),
        reichweite=liste("reichweite", Reichweite),
        uebergaenge=liste("uebergaenge", Uebergangstabelle),
        erreichbarkeit=_abschnitt(roh, "erreichbarkeit", Erreichbarkeit, anzeige) or Erreichbarkeit(),
        aggregation=aggregation_lesen(roh.get("aggregation", {}), anzeige),
        merkmale=liste("merkmal", Merkmal),
        erweiterungen={k: roh[k] for k in ERWEITERUNGEN if k in roh},
    )
    _querverweise_pruefen(konf, anzeige)
    return konf


def aggregation_lesen(roh: Any, datei: str) -> Aggregation:
    """Den Abschnitt `[aggregation]` prüfen (alle Schlüssel optional); Indikator-IDs prüft das Laden."""
    if not isinstance(roh, dict):
        raise KommuneFehler("„aggregation“ muss ein Abschnitt [aggregation] mit Schlüsseln sein.", datei=datei)
    erlaubt = {f.name for f in fields(Aggregation)}
    unbekannt = sorted(set(roh) - erlaubt)
    if unbekannt:
        raise KommuneFehler(
            f"Unbekannter Schlüssel „{unbekannt[0]}“ in [aggregation]. Erlaubt sind: {', '.join(sorted(erlaubt))}.",
            datei=datei,
        )
    standard = Aggregation()
    deckung = standard.mindestdeckung
    if "mindestdeckung" in roh:
        deckung = _zahl(roh["mindestdeckung"], "mindestdeckung", "[aggregation]", datei)
        if not 0 <= deckung <= 1:
            raise KommuneFehler(
                "„mindestdeckung“ in [aggregation] muss zwischen 0 und 1 liegen (0,99 = 99 % der Bezugsgröße), "
                f"nicht {deckung:g}.",
                datei=datei,
            )
    luecke = _text(
        roh.get("anzahlen_mit_luecke", standard.anzahlen_mit_luecke), "anzahlen_mit_luecke", "[aggregation]", datei
    )
    if luecke not in ANZAHLEN_MIT_LUECKE:
        raise KommuneFehler(
            f"„anzahlen_mit_luecke“ in [aggregation] muss „mit_deckung“ oder „leer“ sein, nicht „{luecke[:40]}“.",
            datei=datei,
        )
    bezug = _textliste(roh.get("bezug", []), "bezug", "[aggregation]", datei)
    return Aggregation(mindestdeckung=float(deckung), anzahlen_mit_luecke=luecke, bezug=bezug)


def _querverweise_pruefen(konf: KommuneKonfiguration, datei: str) -> None:
    """IDs eindeutig, Verweise auf Ebenen und Quellen auflösbar."""
    if not konf.ebenen:
        raise KommuneFehler("Es ist keine [[ebene]] angegeben.", datei=datei)
    ids = [s.id for s in konf.schichten]
    for sid in ids:
        if not _ID_MUSTER.match(sid):
            raise KommuneFehler(
                f"Die ID „{sid}“ ist ungültig: nur Kleinbuchstaben, Ziffern und _ sind erlaubt.",
                datei=datei,
            )
    doppelt = sorted({i for i in ids if ids.count(i) > 1})
    if doppelt:
        raise KommuneFehler(f"Die Ebenen-ID „{doppelt[0]}“ ist doppelt vergeben.", datei=datei)
    ebenen_ids = {e.id for e in konf.ebenen}
    for e in konf.ebenen:
        if e.eltern and e.eltern not in ebenen_ids:
            raise KommuneFehler(f"Die Ebene „{e.id}“ nennt die unbekannte Elternebene „{e.eltern}“.", datei=datei)
        if e.eltern and not (e.eltern_spalte or e.eltern_aus_praefix):
            raise KommuneFehler(f"Die Ebene „{e.id}“ braucht „eltern_spalte“ oder „eltern_aus_praefix“.", datei=datei)
    for eintrag in (*konf.schichten, *konf.indikatoren, *konf.angebote):
        _dateiname(eintrag.datei, "datei", datei)
    for t in konf.indikatoren:
        if t.ebene not in ids:
            raise KommuneFehler(
                f"Die Indikatortabelle „{t.datei}“ nennt die unbekannte Ebene „{t.ebene}“.",
                datei=datei,
            )
        if t.trennzeichen is not None and t.trennzeichen not in (";", ",", "\t", "|"):
            raise KommuneFehler(
                f"„trennzeichen“ der Tabelle „{t.datei}“ muss ; , | oder ein Tabulator sein.", datei=datei
            )
        if t.dezimalzeichen is not None and t.dezimalzeichen not in (",", "."):
            raise KommuneFehler(f"„dezimalzeichen“ der Tabelle „{t.datei}“ muss , oder . sein.", datei=datei)
        if t.format not in ("lang", "breit"):
            raise KommuneFehler(f"„format“ der Tabelle „{t.datei}“ muss „lang“ oder „breit“ sein.", datei=datei)
        if t.format == "breit" and not (t.id_spalte and t.periode):
            raise KommuneFehler(f"Die breite Tabelle „{t.datei}“ braucht „id_spalte“ und „periode“.", datei=datei)
    for r in konf.raster:
        if r.ebene not in ids:
            raise KommuneFehler(f"Die Rasterquelle „{r.datei}“ nennt die unbekannte Ebene „{r.ebene}“.", datei=datei)
        if r.verfahren not in ("mittelpunkt", "flaeche"):
            raise KommuneFehler(
                f"„verfahren“ der Rasterquelle „{r.datei}“ muss „mittelpunkt“ oder „flaeche“ sein.", datei=datei
            )
    quellen = {q.id for q in konf.quellen}
    for eintrag in (*konf.schichten, *konf.indikatoren, *konf.angebote, *konf.raster):
        if eintrag.quelle and eintrag.quelle not in quellen:
            raise KommuneFehler(f"Die Quelle „{eintrag.quelle}“ ist nicht als [[quelle]] angegeben.", datei=datei)
    if konf.standard_ebene and konf.standard_ebene not in ids:
        raise KommuneFehler(f"„standard_ebene“ nennt die unbekannte Ebene „{konf.standard_ebene}“.", datei=datei)
    _versorgung_pruefen(konf, datei)
    _reichweite_pruefen(konf, datei)
    _uebergaenge_pruefen(konf, quellen, datei)
    _erreichbarkeit_pruefen(konf, datei)
    _register_pruefen(konf, quellen, datei)
    _merkmale_pruefen(konf, datei)


def _merkmale_pruefen(konf: KommuneKonfiguration, datei: str) -> None:
    """`[[merkmal]]`: IDs, Ausprägungen (eindeutig, mindestens zwei), Namen nur für erklärte Ausprägungen."""
    gesehen: set[str] = set()
    for nr, m in enumerate(konf.merkmale, start=1):
        wo = f"[[merkmal]] Nr. {nr}"
        if not _ID_MUSTER.match(m.id) or "__" in m.id:
            raise KommuneFehler(
                f"Die ID „{m.id[:80]}“ in {wo} ist ungültig: nur Kleinbuchstaben, Ziffern und einfache _ sind erlaubt.",
                datei=datei,
            )
        if m.id in gesehen:
            raise KommuneFehler(f"Das Merkmal „{m.id}“ ist mehrfach als [[merkmal]] angegeben.", datei=datei)
        gesehen.add(m.id)
        wo = f"[[merkmal]] „{m.id}“"
        _kurztext(m.name, "name", wo, datei)
        if not 2 <= len(m.auspraegungen) <= 100:
            raise KommuneFehler(f"{wo} braucht zwei bis 100 „auspraegungen“.", datei=datei)
        for a in m.auspraegungen:
            if not re.fullmatch(r"[a-z0-9][a-z0-9_]*", a) or "__" in a:
                raise KommuneFehler(
                    f"Die Ausprägung „{a[:80]}“ in {wo} ist ungültig: nur Kleinbuchstaben, Ziffern und einfache _.",
                    datei=datei,
                )
        doppelt = sorted({a for a in m.auspraegungen if m.auspraegungen.count(a) > 1})
        if doppelt:
            raise KommuneFehler(f"Die Ausprägung „{doppelt[0]}“ steht in {wo} mehrfach.", datei=datei)
        for a, name in m.namen:
            if a not in m.auspraegungen:
                raise KommuneFehler(
                    f"„namen“ in {wo} nennt „{a[:80]}“, das keine der Ausprägungen ist ({', '.join(m.auspraegungen)}).",
                    datei=datei,
                )
            _kurztext(name, f"namen.{a}", wo, datei)


def _register_pruefen(konf: KommuneKonfiguration, quellen: set[str], datei: str) -> None:
    """`[angebotsregister]`: Dateiname, Monate der Stand-Abfrage, Quelle."""
    r = konf.angebotsregister
    if r is None:
        return
    _dateiname(r.datei, "datei", datei)
    if not r.datei.lower().endswith(".csv"):
        raise KommuneFehler("Die Datei in [angebotsregister] muss eine CSV-Datei sein (.csv).", datei=datei)
    if r.quelle and r.quelle not in quellen:
        raise KommuneFehler(f"Die Quelle „{r.quelle}“ ist nicht als [[quelle]] angegeben.", datei=datei)


def _id_pruefen(wert: str, wo: str, datei: str) -> None:
    """Eine technische ID eines Abschnitts (Kleinbuchstaben, Ziffern, _); sonst `KommuneFehler`."""
    if not _ID_MUSTER.match(wert):
        raise KommuneFehler(
            f"Die ID „{wert[:80]}“ in {wo} ist ungültig: nur Kleinbuchstaben, Ziffern und _ sind erlaubt.", datei=datei
        )


def _kurztext(text: str, feld: str, wo: str, datei: str, laenge: int = 80) -> None:
    if not text.strip() or len(text) > laenge:
        raise KommuneFehler(f"„{feld}“ in {wo} muss ein kurzer Text sein (1 bis {laenge} Zeichen).", datei=datei)


def _versorgung_pruefen(konf: KommuneKonfiguration, datei: str) -> None:
    """`[bevoelkerung]` und `[[versorgung]]`: IDs, Kategorien, Menge und Formel (Katalog-IDs prüft das Laden)."""
    if konf.bevoelkerung is not None:
        _kurztext(konf.bevoelkerung.indikator, "indikator", "[bevoelkerung]", datei, 200)
        _kurztext(konf.bevoelkerung.name, "name", "[bevoelkerung]", datei)
    kategorien = sorted({a.kategorie for a in konf.angebote})
    mit_kapazitaet = {a.kategorie for a in konf.angebote if a.kapazitaet_spalte}
    gruppen: dict[str, str] = {}
    for nr, v in enumerate(konf.versorgung, start=1):
        _id_pruefen(v.id, f"[[versorgung]] Nr. {nr}", datei)
        wo = f"[[versorgung]] „{v.id}“"
        _kurztext(v.name, "name", wo, datei, 120)
        _kurztext(v.zielgruppe_name, "zielgruppe_name", wo, datei)
        for feld in ("angebote_name", "plaetze_name"):
            if getattr(v, feld):
                _kurztext(getattr(v, feld), feld, wo, datei)
        if v.kategorie not in kategorien:
            vorhanden = ", ".join(kategorien) or "keine"
            raise KommuneFehler(
                f"{wo} nennt die Angebotskategorie „{v.kategorie[:80]}“, für die es keine [[angebote]] gibt "
                f"(vorhanden: {vorhanden}).",
                datei=datei,
            )
        if v.menge not in MENGEN:
            raise KommuneFehler(
                f"„menge“ in {wo} muss „kapazitaet“ (Plätze) oder „anzahl“ (Zahl der Angebote) sein.", datei=datei
            )
        if v.menge == "kapazitaet" and v.kategorie not in mit_kapazitaet:
            raise KommuneFehler(
                f"{wo} zählt Plätze (menge = „kapazitaet“), aber keine [[angebote]] der Kategorie „{v.kategorie}“ "
                "nennt eine „kapazitaet_spalte“. Ergänzen Sie sie oder zählen Sie Angebote (menge = „anzahl“).",
                datei=datei,
            )
        try:
            summenformel(v.zielgruppe)
        except ValueError as e:
            raise KommuneFehler(f"„zielgruppe“ in {wo}: {e}", datei=datei) from None
        if gruppen.setdefault(v.zielgruppe_name, v.zielgruppe) != v.zielgruppe:
            raise KommuneFehler(
                f"Die Zielgruppe „{v.zielgruppe_name}“ steht in mehreren [[versorgung]] mit verschiedenen Formeln "
                f"(„{gruppen[v.zielgruppe_name]}“ und „{v.zielgruppe}“); eine Zielgruppe braucht einen eigenen Namen.",
                datei=datei,
            )
    for feld in ("id", "name"):
        werte = [getattr(v, feld) for v in konf.versorgung]
        doppelt = sorted({w for w in werte if werte.count(w) > 1})
        if doppelt:
            raise KommuneFehler(f"„{feld}“ = „{doppelt[0]}“ steht in mehreren [[versorgung]].", datei=datei)


def _reichweite_pruefen(konf: KommuneKonfiguration, datei: str) -> None:
    """`[[reichweite]]`: IDs, Namen, verschiedene Teilnehmende und Zielgruppe (Katalog-IDs prüft die Rechnung)."""
    for nr, r in enumerate(konf.reichweite, start=1):
        _id_pruefen(r.id, f"[[reichweite]] Nr. {nr}", datei)
        wo = f"[[reichweite]] „{r.id}“"
        _kurztext(r.name, "name", wo, datei, 120)
        for feld in ("teilnehmende", "zielgruppe", "klassen"):
            _kurztext(getattr(r, feld), feld, wo, datei, 200)
        for feld in ("zielgruppe_name", "klassen_name"):
            if getattr(r, feld):
                _kurztext(getattr(r, feld), feld, wo, datei)
        if r.teilnehmende == r.zielgruppe:
            raise KommuneFehler(f"In {wo} sind „teilnehmende“ und „zielgruppe“ derselbe Indikator.", datei=datei)
    for feld in ("id", "name"):
        werte = [getattr(r, feld) for r in konf.reichweite]
        doppelt = sorted({w for w in werte if werte.count(w) > 1})
        if doppelt:
            raise KommuneFehler(f"„{feld}“ = „{doppelt[0]}“ steht in mehreren [[reichweite]].", datei=datei)


def _uebergaenge_pruefen(konf: KommuneKonfiguration, quellen: set[str], datei: str) -> None:
    """`[[uebergaenge]]`: IDs eindeutig, Ebene bekannt (keine Einzugsbereiche), Datei, Quelle, Spalten."""
    ebenen = {e.id for e in konf.ebenen}
    for nr, u in enumerate(konf.uebergaenge, start=1):
        _id_pruefen(u.id, f"[[uebergaenge]] Nr. {nr}", datei)
        wo = f"[[uebergaenge]] „{u.id}“"
        _kurztext(u.name, "name", wo, datei, 120)
        _dateiname(u.datei, "datei", datei)
        if u.ebene not in ebenen:
            raise KommuneFehler(
                f"{wo} nennt die unbekannte Ebene „{u.ebene[:80]}“ (erlaubt: {', '.join(sorted(ebenen))}; "
                "Einzugsbereiche nicht).",
                datei=datei,
            )
        if u.quelle and u.quelle not in quellen:
            raise KommuneFehler(f"Die Quelle „{u.quelle}“ ist nicht als [[quelle]] angegeben.", datei=datei)
        spalten = [u.gebiet_spalte, u.periode_spalte, u.von_spalte, u.nach_spalte, u.anzahl_spalte]
        for s in spalten:
            _kurztext(s, "Spalte", wo, datei, 200)
        if len(set(spalten)) < len(spalten):
            raise KommuneFehler(
                f"{wo} nennt dieselbe Spalte mehrmals (gebiet, periode, von, nach, anzahl).", datei=datei
            )
        for o in u.ohne_anschluss:
            _kurztext(o, "ohne_anschluss", wo, datei, 120)
    ids = [u.id for u in konf.uebergaenge]
    doppelt = sorted({i for i in ids if ids.count(i) > 1})
    if doppelt:
        raise KommuneFehler(f"„id“ = „{doppelt[0]}“ steht in mehreren [[uebergaenge]].", datei=datei)


def _erreichbarkeit_pruefen(konf: KommuneKonfiguration, datei: str) -> None:
    e = konf.erreichbarkeit
    if e.verteilung is not None and e.verteilung not in VERTEILUNGEN:
        raise KommuneFehler(
            "„verteilung“ in [erreichbarkeit] muss „raster“ (nach den Einwohnern eines Gitters) oder "
            "„gleichmaessig“ (über die Fläche) sein.",
            datei=datei,
        )
    if e.raster is not None:
        _dateiname(e.raster, "raster", datei)
    if e.spalte is not None:
        _kurztext(e.spalte, "spalte", "[erreichbarkeit]", datei, 200)
    if e.verteilung == "raster" and not (e.raster or konf.raster):
        raise KommuneFehler(
            "[erreichbarkeit] verteilt nach einem Gitter (verteilung = „raster“), aber es gibt keines: "
            "„raster = …“ (Gitterdatei mit Einwohnern) angeben oder ein [[raster]] eintragen.",
            datei=datei,
        )

"""Die `kommune.toml` lesen und als unveränderliche Konfiguration bereitstellen."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

from kommune.fehler import KommuneFehler

TOML_NAME = "kommune.toml"
#: Abschnitte der kommune.toml, die von Fachmodulen gelesen werden (nicht von diesem Modul geprüft).
ERWEITERUNGEN = ("kachel", "cockpit", "geheimhaltung", "anmeldung", "rollen", "sitzung")
_ID_MUSTER = re.compile(r"^[a-z][a-z0-9_]*$")


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
class KommuneKonfiguration:
    """Alles, was die `kommune.toml` einer Kommune festlegt."""

    ordner: Path
    name: str
    ags: str
    crs: str
    daten: Path
    katalog: Path
    standard_ebene: str | None = None
    quellen: tuple[Quelle, ...] = ()
    ebenen: tuple[Gebietsschicht, ...] = ()
    einzugsbereiche: tuple[Gebietsschicht, ...] = ()
    indikatoren: tuple[IndikatorTabelle, ...] = ()
    angebote: tuple[AngebotsQuelle, ...] = field(default_factory=tuple)
    raster: tuple[RasterQuelle, ...] = ()
    #: Abschnitte, die andere Module selbst auslesen (Cockpit-Kacheln, Geheimhaltung, Anmeldung, Sitzung)
    erweiterungen: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def quelle(self, quelle_id: str) -> Quelle | None:
        """Die Quelle mit dieser ID oder None."""
        return next((q for q in self.quellen if q.id == quelle_id), None)

    @property
    def schichten(self) -> tuple[Gebietsschicht, ...]:
        """Ebenen und Einzugsbereiche zusammen."""
        return self.ebenen + self.einzugsbereiche


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


def _filter_lesen(wert: Any, abschnitt: str, datei: str) -> Filter:
    """`{ spalte = "…", werte = [...] }` oder `{ spalte = "…", praefix = "09375" }`."""
    if not isinstance(wert, dict) or set(wert) not in ({"spalte", "werte"}, {"spalte", "praefix"}):
        raise KommuneFehler(
            f"„filter“ in {abschnitt} braucht die Schlüssel „spalte“ und „werte“ (oder „spalte“ und „praefix“).",
            datei=datei,
        )
    liste = wert.get("werte", wert.get("praefix"))
    liste = tuple(str(w) for w in ([liste] if isinstance(liste, str) else liste))
    return Filter(str(wert["spalte"]), *((liste, ()) if "werte" in wert else ((), liste)))


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
    werte: dict[str, Any] = {}
    for name, wert in roh.items():
        if name in ("spalten", "adresse_spalten"):
            if isinstance(wert, str):
                wert = [wert]
            wert = tuple(str(w) for w in wert)
        elif name == "filter":
            wert = _filter_lesen(wert, abschnitt, datei)
        elif name in ("namen", "anzahlen", "anteile", "mittelwerte"):
            wert = _zuordnung_lesen(name, wert, abschnitt, datei)
        elif name in ("alter_von", "alter_bis"):
            wert = float(wert)
        elif name in ("eltern_aus_praefix", "id_aus_praefix"):
            wert = int(wert)
        else:
            wert = str(wert)
        werte[name] = wert
    fehlend = [
        f.name for f in fields(klasse) if f.name not in werte and f.default is MISSING and f.default_factory is MISSING
    ]
    if fehlend:
        raise KommuneFehler(f"In {abschnitt} fehlt der Pflichtschlüssel „{fehlend[0]}“.", datei=datei)
    return klasse(**werte)


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
        "quelle",
        "ebene",
        "einzugsbereich",
        "indikatoren",
        "angebote",
        "raster",
        *ERWEITERUNGEN,
    }
    unbekannt = sorted(set(roh) - bekannt)
    if unbekannt:
        raise KommuneFehler(f"Unbekannter Schlüssel „{unbekannt[0]}“.", datei=anzeige)

    def liste(name: str, klasse: type, **extra: str) -> tuple:
        eintraege = roh.get(name, [])
        if isinstance(eintraege, dict):
            eintraege = [eintraege]
        return tuple(
            _eintrag(klasse, {**e, **extra} if isinstance(e, dict) else e, f"[{name}] Nr. {i + 1}", anzeige)
            for i, e in enumerate(eintraege)
        )

    daten = ordner / _pfad_ersetzen(str(roh.get("daten", ".")), anzeige)
    ebenen = liste("ebene", Gebietsschicht)
    einzugsbereiche = liste("einzugsbereich", Gebietsschicht, art="einzugsbereich")
    konf = KommuneKonfiguration(
        ordner=ordner,
        name=str(roh["name"]),
        ags=str(roh.get("ags", "")),
        crs=str(roh["crs"]),
        daten=daten,
        katalog=ordner / str(roh.get("katalog", "katalog.csv")),
        standard_ebene=roh.get("standard_ebene"),
        quellen=liste("quelle", Quelle),
        ebenen=ebenen,
        einzugsbereiche=einzugsbereiche,
        indikatoren=liste("indikatoren", IndikatorTabelle),
        angebote=liste("angebote", AngebotsQuelle),
        raster=liste("raster", RasterQuelle),
        erweiterungen={k: roh[k] for k in ERWEITERUNGEN if k in roh},
    )
    _querverweise_pruefen(konf, anzeige)
    return konf


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
    for t in konf.indikatoren:
        if t.ebene not in ids:
            raise KommuneFehler(
                f"Die Indikatortabelle „{t.datei}“ nennt die unbekannte Ebene „{t.ebene}“.",
                datei=datei,
            )
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

"""Cockpit: Kennzahl-Kacheln je Kommune, konfiguriert in der `kommune.toml`.

Rein, ohne Streamlit. Jede Kachel hat Wert, Veränderung gegen die Vorperiode (Pfeil und Wortlaut),
Verlauf für eine Sparkline, Ampel gegen ein Ziel der Kommune (mit Quelle) und Stichtag.

Schlüssel in der ``kommune.toml``
---------------------------------

.. code-block:: toml

    [cockpit]                       # optional
    titel = "Bildungscockpit"       # Überschrift der Seite
    ebene = "viertel"               # Ebene für Top/Flop und den Cockpit-Text (Standard: standard_ebene)
    indikator = "kinderarmut"       # Leitindikator für Top/Flop und Text (Standard: erste Wert-Kachel)
    anzahl = 5                      # Gebiete in Top/Flop

    [[kachel]]
    titel = "Kinderarmut"           # Pflicht
    art = "wert"                    # wert | anzahl_gebiete | versorgung | erreichbarkeit | uebergang |
                                    # gruppenluecke (Standard: wert)
    indikator = "kinderarmut"       # wert, anzahl_gebiete: Katalog-ID; versorgung: ID einer [[versorgung]]
    ebene = "viertel"               # optional, s. u.
    gebiet = "010101"               # optional, nur art = "wert": Wert eines Gebiets der `ebene`
    schwelle = 25.0                 # anzahl_gebiete: Gebiete mit Wert über/unter der Schwelle zählen
    vergleich = "ueber"             # ueber | unter | mindestens | hoechstens (Standard: ueber)
    index = "mss2021-status"        # anzahl_gebiete: statt Schwelle Gebiete einer Indexklasse zählen
    klasse = "sehr niedrig"         # … die Klasse (Label) oder Liste von Labels
    kategorie = "Kita"              # erreichbarkeit: Angebotskategorie
    radius = 500                    # erreichbarkeit: Luftlinie in Metern (Standard 500)
    mass = "ohne_personen"          # erreichbarkeit: ohne_personen | ohne_anteil | mit_anteil;
                                    # gruppenluecke: differenz | verhaeltnis (Standard: differenz)
    tabelle = "uebertritt"          # uebergang: ID aus [[uebergaenge]], dazu von = "…", nach = "…"
    basis = "gymnasialuebergang"    # gruppenluecke: Gesamtindikator der Familie (Katalog-Spalte „basis“)
    merkmal = "migration"           # gruppenluecke: ein [[merkmal]]
    gruppe_a = "mit"                # gruppenluecke: zwei verschiedene Ausprägungen des Merkmals
    gruppe_b = "ohne"
    ziel = 15.0                     # Zielwert (optional; ohne Ziel ist die Ampel grau)
    ziel_richtung = "hoechstens"    # hoechstens | mindestens
    ziel_quelle = "Ratsbeschluss 2023/117"
    gelb_toleranz = 1.5             # gelb, solange das Ziel um höchstens so viel verfehlt wird (Standard 0)
    richtung = 1                    # optional: 1 = Anstieg ist schlechter, -1 = besser, 0 = neutral
    stellen = 1                     # optional: Nachkommastellen
    beschreibung = "…"              # optional: erklärender Satz unter der Kachel

`ebene`: bei „wert“ ohne `gebiet` unbeachtet (Wert der ganzen Kommune über
`kommune.werte.gesamtwert`); bei „anzahl_gebiete“ die Ebene, deren Gebiete gezählt werden; bei
„versorgung“ und „erreichbarkeit“ die Rechenebene (Standard: feinste Ebene).

Gruppenlücke (``art = "gruppenluecke"``): die Lücke zwischen den Gruppen a und b für die ganze Kommune
(`berichte.gruppen.gesamtluecke`, aus den geschützten Gesamtwerten der Gruppen). Bei „differenz“ zeigt die
Kachel den Betrag |a − b| (bei Anteilen in % in Prozentpunkten): eine kleinere Lücke ist besser, Ampel und
Bewertung der Veränderung folgen dem Betrag (``ziel_richtung`` Standard „hoechstens“). Bei „verhaeltnis“ zeigt sie
a ÷ b; die Veränderung ist besser, wenn das Verhältnis näher an 1 rückt, die Ampel prüft a ÷ b gegen ``ziel``
und ``ziel_richtung`` (z. B. „mindestens“ 0,9, wenn a die benachteiligte Gruppe ist). ``klartext`` nennt beide
Gruppenwerte sichtbar in der Kachel; ist einer gesperrt, ist die Lücke gesperrt.

Fehlen dem Gesamtwert Teilgebiete (z. B. die im MSS ungültigen Planungsräume), nennt ``hinweis`` die
Deckung (z. B. für Berlin: „ohne 1 Planungsraum, 0 % der Einwohner.“, `kommune.werte`) und, wenn ein
Anteil mit einer Bezugsgröße aus einer anderen Periode gewichtet ist, auch das. Fehlt der Gesamtwert eines
Anteils ganz (Deckung unter der Mindestdeckung), wird er über die Gebiete mit Wert gewichtet gebildet; die
Kachel sagt das in ``hinweis``.

Öffentliche Schnittstelle: ``kacheln_lesen(kommune) -> list[KachelDefinition]``,
``cockpit_einstellungen(kommune) -> CockpitEinstellungen``,
``kacheln_berechnen(kommune, periode=None, *, rolle) -> list[Kachel]``,
``kachel_berechnen(kommune, definition, periode=None, *, rolle) -> Kachel``,
``top_und_flop(kommune, indikator, ebene, n=5, periode=None, *, rolle) -> TopFlop``,
``cockpit_text(kommune, periode=None, kacheln=None, *, rolle) -> str``. Fehler: ``KommuneFehler``.

Geheimhaltung: Alle Gebietswerte (Wert, Verlauf, Sparkline, Top/Flop, Zählungen, Index-Eingänge, Text)
kommen über `berichte.grundlagen.werte_auf` für `rolle` (Standard „oeffentlich“; Rohwerte nur mit
``rolle="admin"``). Ein gesperrter Kachelwert heißt „gesperrt“, gesperrte Gebiete fehlen in Top/Flop
und zählen bei „anzahl_gebiete“ nicht mit („12 von 480“ nennt nur die sichtbaren).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from berichte.grundlagen import (
    GESPERRT_TEXT,
    OEFFENTLICH,
    gesamt_mit_text,
    gesamt_ueber_gueltige,
    indikator_quelle,
    ist_prozent,
    mehrzahl,
    quelle_text,
    stand_fuer,
    stellen_fuer,
    veraenderung_text,
    vorzeichen_zahl,
    werte_auf,
    werte_fn_fuer,
    werte_und_maske,
)
from freigabe.geheimhaltung import extreme_gebiete
from kommune.fehler import KommuneFehler
from kommune.format import indikator_bezeichnung, stand_text, wert_mit_einheit, zahl
from kommune.laden import Kommune
from kommune.werte import gewicht_hinweis, neueste_periode, perioden_von

ARTEN = ("wert", "anzahl_gebiete", "versorgung", "erreichbarkeit", "uebergang", "gruppenluecke")
VERGLEICHE = {"ueber": "über", "unter": "unter", "mindestens": "mindestens", "hoechstens": "höchstens"}
ZIEL_RICHTUNGEN = ("hoechstens", "mindestens")
MASSE = ("ohne_personen", "ohne_anteil", "mit_anteil")
AMPELN = ("grün", "gelb", "rot", "grau")
_SCHLUESSEL = {
    "titel",
    "art",
    "indikator",
    "ebene",
    "gebiet",
    "schwelle",
    "vergleich",
    "index",
    "klasse",
    "kategorie",
    "radius",
    "mass",
    "ziel",
    "ziel_richtung",
    "ziel_quelle",
    "gelb_toleranz",
    "richtung",
    "stellen",
    "beschreibung",
    "id",
    "tabelle",
    "von",
    "nach",
    "basis",
    "merkmal",
    "gruppe_a",
    "gruppe_b",
}
_COCKPIT_SCHLUESSEL = {"titel", "ebene", "indikator", "anzahl"}


@dataclass(frozen=True)
class KachelDefinition:
    """Eine `[[kachel]]` aus der kommune.toml, geprüft."""

    titel: str
    art: str = "wert"
    indikator: str = ""
    ebene: str | None = None
    gebiet: str | None = None
    schwelle: float | None = None
    vergleich: str = "ueber"
    index: str | None = None
    klasse: tuple[str, ...] = ()
    kategorie: str = "Kita"
    radius: float = 500.0
    mass: str = "ohne_personen"
    ziel: float | None = None
    ziel_richtung: str = "hoechstens"
    ziel_quelle: str = ""
    gelb_toleranz: float = 0.0
    richtung: int | None = None
    stellen: int | None = None
    beschreibung: str = ""
    id: str = ""
    #: art = "uebergang": Übergangstabelle ([[uebergaenge]]), Herkunft und Ziel der Quote
    tabelle: str = ""
    von: str = ""
    nach: str = ""
    #: art = "gruppenluecke": Familie (Basis und Merkmal) und die beiden Ausprägungen; Maß in `mass`
    basis: str = ""
    merkmal: str = ""
    gruppe_a: str = ""
    gruppe_b: str = ""


@dataclass(frozen=True)
class CockpitEinstellungen:
    """Der Abschnitt `[cockpit]`."""

    titel: str
    ebene: str
    indikator: str | None
    anzahl: int = 5


@dataclass
class Kachel:
    """Eine berechnete Kachel (alle Texte fertig formatiert)."""

    id: str
    titel: str
    art: str
    wert: float
    wert_text: str  # „16,0 %“
    einheit: str
    periode: str | None
    stand: str  # Stichtag, z. B. „31.12.2024“
    vorperiode: str | None = None
    vorwert: float | None = None
    veraenderung: float | None = None
    veraenderung_text: str = "keine Vorperiode"  # „+1,2 Prozentpunkte seit 2022“
    pfeil: str = ""  # ↑ ↓ → oder leer
    veraenderung_bewertung: str = ""  # besser | schlechter | neutral | leer
    verlauf: list[tuple[str, float]] = field(default_factory=list)
    ampel: str = "grau"
    ampel_text: str = "Kein Ziel festgelegt."
    ziel_text: str = ""  # „Ziel: höchstens 15,0 % (Ratsbeschluss 2023/117)“
    quelle: str = ""
    beschreibung: str = ""
    hinweis: str = ""
    indikator: str = ""
    ebene: str | None = None
    von: int | None = None  # anzahl_gebiete: Gebiete mit Wert
    gebiete: tuple[str, ...] = ()  # anzahl_gebiete: die gezählten Gebiete
    aussage: str = ""  # anzahl_gebiete: Satz „In 14 von 109 Stadtvierteln liegt … über 25,0 %“
    klartext: str = ""  # gruppenluecke: Zeile in der Kachel „mit Migrationshintergrund: 30,2 % · ohne …: 41,5 %“

    def als_text(self) -> str:
        """Eine Zeile für Protokolle und Tests."""
        teile = [f"{self.titel}: {self.wert_text}"]
        if self.pfeil:
            teile.append(f"{self.pfeil} {self.veraenderung_text}")
        else:
            teile.append(self.veraenderung_text)
        teile.append(f"Ampel {self.ampel}")
        if stand := stand_text(self.stand, "Stand "):
            teile.append(stand)
        return " · ".join(teile)


@dataclass(frozen=True)
class TopFlop:
    """Gebiete mit den höchsten und niedrigsten Werten eines Indikators."""

    hoechste: pd.DataFrame  # Spalten: rang, gebiet, name, wert, wert_text
    niedrigste: pd.DataFrame
    anzahl_mit_wert: int
    periode: str | None
    indikator: str
    ebene: str
    fussnote: str = ""  # „ohne Gebiete unter 300 Einwohnern“, wenn die Regel Gebiete auslässt


# ---------------------------------------------------------------------------------------------
# Konfiguration lesen
# ---------------------------------------------------------------------------------------------


def _zahl_oder_fehler(roh: dict[str, Any], name: str, wo: str) -> float | None:
    if name not in roh:
        return None
    w = roh[name]
    if isinstance(w, bool) or not isinstance(w, (int, float)):
        raise KommuneFehler(f"„{name}“ in {wo} muss eine Zahl sein (z. B. 15.0), nicht „{w}“.")
    return float(w)


def _kachel_pruefen(kommune: Kommune, roh: Any, nr: int) -> KachelDefinition:
    wo = f"[[kachel]] Nr. {nr}"
    if not isinstance(roh, dict):
        raise KommuneFehler(f"{wo} muss ein Abschnitt mit Schlüsseln sein.")
    unbekannt = sorted(set(roh) - _SCHLUESSEL)
    if unbekannt:
        raise KommuneFehler(
            f"Unbekannter Schlüssel „{unbekannt[0]}“ in {wo}. Erlaubt sind: {', '.join(sorted(_SCHLUESSEL))}."
        )
    titel = str(roh.get("titel", "")).strip()
    if not titel:
        raise KommuneFehler(f"In {wo} fehlt der Pflichtschlüssel „titel“.")
    wo = f"{wo} („{titel}“)"
    art = str(roh.get("art", "wert"))
    if art not in ARTEN:
        raise KommuneFehler(f"„art“ in {wo} muss eine von {', '.join(ARTEN)} sein, nicht „{art}“.")
    ebene = roh.get("ebene")
    if ebene is not None:
        ebene = str(ebene)
        if ebene not in {s.id for s in kommune.konfiguration.schichten}:
            raise KommuneFehler(f"{wo} nennt die unbekannte Ebene „{ebene}“.")
    indikator = str(roh.get("indikator", ""))
    index = roh.get("index")
    klasse = roh.get("klasse", ())
    klasse = (klasse,) if isinstance(klasse, str) else tuple(str(k) for k in klasse)
    if art == "wert" or (art == "anzahl_gebiete" and index is None):
        if not indikator:
            raise KommuneFehler(f"{wo} braucht „indikator“ (eine ID aus dem Indikatorenkatalog).")
        if indikator not in kommune.katalog.index:
            raise KommuneFehler(f"Der Indikator „{indikator}“ in {wo} steht nicht im Indikatorenkatalog.")
    if art == "versorgung":
        ids = [v.id for v in kommune.konfiguration.versorgung]
        if not ids:
            raise KommuneFehler(
                f"{wo} zeigt einen Versorgungsindikator, aber die kommune.toml gibt keine [[versorgung]] an."
            )
        if indikator not in ids:
            raise KommuneFehler(
                f"„indikator“ in {wo} muss ein Versorgungsindikator ([[versorgung]]) sein: {', '.join(ids)}."
            )
    if art == "anzahl_gebiete":
        if index is not None:
            from indices.presets import presets_fuer

            vorhanden = presets_fuer(kommune)
            if str(index) not in vorhanden:
                raise KommuneFehler(
                    f"Das Index-Preset „{index}“ in {wo} gibt es nicht (vorhanden: {', '.join(vorhanden) or 'keine'})."
                )
            labels = set(vorhanden[str(index)].klassierung.labels)
            if not klasse:
                raise KommuneFehler(f"{wo} zählt Gebiete einer Indexklasse und braucht „klasse“.")
            falsch = [k for k in klasse if labels and k not in labels]
            if falsch:
                raise KommuneFehler(
                    f"Die Klasse „{falsch[0]}“ in {wo} gibt es im Index nicht (vorhanden: {', '.join(sorted(labels))})."
                )
        elif "schwelle" not in roh:
            raise KommuneFehler(f"{wo} braucht „schwelle“ (oder „index“ und „klasse“).")
    vergleich = str(roh.get("vergleich", "ueber"))
    if vergleich not in VERGLEICHE:
        raise KommuneFehler(f"„vergleich“ in {wo} muss eine von {', '.join(VERGLEICHE)} sein.")
    ziel_richtung = str(roh.get("ziel_richtung", "hoechstens"))
    if ziel_richtung not in ZIEL_RICHTUNGEN:
        raise KommuneFehler(f"„ziel_richtung“ in {wo} muss „hoechstens“ oder „mindestens“ sein.")
    if art == "gruppenluecke":
        from berichte.gruppen import MASSE as LUECKEN_MASSE

        mass = str(roh.get("mass", "differenz"))
        if mass not in LUECKEN_MASSE:
            raise KommuneFehler(f"„mass“ in {wo} muss „differenz“ oder „verhaeltnis“ sein, nicht „{mass}“.")
        _gruppen_pruefen(kommune, roh, wo)
    else:
        mass = str(roh.get("mass", "ohne_personen"))
        if mass not in MASSE:
            raise KommuneFehler(f"„mass“ in {wo} muss eine von {', '.join(MASSE)} sein.")
    if art == "erreichbarkeit":
        kat = str(roh.get("kategorie", "Kita"))
        if kat not in set(kommune.angebote["kategorie"]):
            raise KommuneFehler(f"Die Angebotskategorie „{kat}“ in {wo} gibt es in {kommune.name} nicht.")
    toleranz = _zahl_oder_fehler(roh, "gelb_toleranz", wo) or 0.0
    if toleranz < 0:
        raise KommuneFehler(f"„gelb_toleranz“ in {wo} darf nicht negativ sein.")
    richtung = roh.get("richtung")
    if richtung is not None and richtung not in (-1, 0, 1):
        raise KommuneFehler(f"„richtung“ in {wo} muss 1, 0 oder -1 sein.")
    stellen = roh.get("stellen")
    if stellen is not None and (not isinstance(stellen, int) or not 0 <= stellen <= 3):
        raise KommuneFehler(f"„stellen“ in {wo} muss eine ganze Zahl von 0 bis 3 sein.")
    if art == "wert" and roh.get("gebiet") is not None:
        if ebene is None:
            raise KommuneFehler(f"{wo} nennt ein Gebiet, aber keine „ebene“.")
        if str(roh["gebiet"]) not in kommune.gebiete[ebene].index:
            raise KommuneFehler(f"Das Gebiet „{roh['gebiet']}“ in {wo} gibt es in der Ebene „{ebene}“ nicht.")
    if art == "uebergang":
        tabellen = {t.id for t in kommune.konfiguration.uebergaenge}
        if str(roh.get("tabelle", "")) not in tabellen:
            raise KommuneFehler(
                f"{wo} braucht „tabelle“ (eine ID aus [[uebergaenge]]: {', '.join(sorted(tabellen)) or 'keine'})."
            )
        for feld in ("von", "nach"):
            if not str(roh.get(feld, "")).strip():
                raise KommuneFehler(f"{wo} braucht „{feld}“ (z. B. von = „Grundschule“, nach = „Gymnasium“).")
    radius = _zahl_oder_fehler(roh, "radius", wo)
    return KachelDefinition(
        titel=titel,
        art=art,
        indikator=indikator,
        ebene=ebene,
        gebiet=None if roh.get("gebiet") is None else str(roh["gebiet"]),
        schwelle=_zahl_oder_fehler(roh, "schwelle", wo),
        vergleich=vergleich,
        index=None if index is None else str(index),
        klasse=klasse,
        kategorie=str(roh.get("kategorie", "Kita")),
        radius=500.0 if radius is None else radius,
        mass=mass,
        ziel=_zahl_oder_fehler(roh, "ziel", wo),
        ziel_richtung=ziel_richtung,
        ziel_quelle=str(roh.get("ziel_quelle", "")),
        gelb_toleranz=toleranz,
        richtung=richtung,
        stellen=stellen,
        beschreibung=str(roh.get("beschreibung", "")),
        id=str(roh.get("id", "")) or f"kachel_{nr}",
        tabelle=str(roh.get("tabelle", "")),
        von=str(roh.get("von", "")).strip(),
        nach=str(roh.get("nach", "")).strip(),
        basis=str(roh.get("basis", "")),
        merkmal=str(roh.get("merkmal", "")),
        gruppe_a=str(roh.get("gruppe_a", "")),
        gruppe_b=str(roh.get("gruppe_b", "")),
    )


def _gruppen_pruefen(kommune: Kommune, roh: dict[str, Any], wo: str) -> None:
    """Familie und Gruppen einer Gruppenlücken-Kachel gegen Katalog und [[merkmal]] prüfen."""
    from kommune.merkmale import familie

    for feld in ("basis", "merkmal", "gruppe_a", "gruppe_b"):
        if not isinstance(roh.get(feld), str) or not roh[feld].strip():
            raise KommuneFehler(
                f"{wo} braucht „{feld}“ (z. B. basis = „gymnasialuebergang“, merkmal = „migration“, "
                "gruppe_a = „mit“, gruppe_b = „ohne“)."
            )
    basis, merkmal, a, b = (roh[f] for f in ("basis", "merkmal", "gruppe_a", "gruppe_b"))
    if basis not in kommune.katalog.index:
        raise KommuneFehler(f"Der Indikator „{basis}“ in {wo} steht nicht im Indikatorenkatalog.")
    m = kommune.konfiguration.merkmal(merkmal)
    if m is None:
        erklaert = ", ".join(x.id for x in kommune.konfiguration.merkmale) or "keine"
        raise KommuneFehler(f"Das Merkmal „{merkmal}“ in {wo} ist nicht als [[merkmal]] erklärt ({erklaert}).")
    f = familie(kommune, basis, merkmal)
    if f is None or len(f.glieder) < 2:
        raise KommuneFehler(
            f"„{basis}“ hat im Katalog keine Gruppen nach „{m.name}“ (mindestens zwei nötig) – {wo}."
        )
    for feld, wert in (("gruppe_a", a), ("gruppe_b", b)):
        if wert not in f.auspraegungen:
            raise KommuneFehler(
                f"Die Gruppe „{wert}“ („{feld}“) in {wo} gibt es für „{basis}“ nach „{m.name}“ nicht "
                f"(vorhanden: {', '.join(f.auspraegungen)})."
            )
    if a == b:
        raise KommuneFehler(f"„gruppe_a“ und „gruppe_b“ in {wo} müssen verschiedene Gruppen sein.")


def kacheln_lesen(kommune: Kommune) -> list[KachelDefinition]:
    """Die `[[kachel]]`-Abschnitte der kommune.toml, geprüft (KommuneFehler mit deutschem Satz)."""
    roh = kommune.konfiguration.erweiterungen.get("kachel", [])
    if isinstance(roh, dict):
        roh = [roh]
    return [_kachel_pruefen(kommune, r, i + 1) for i, r in enumerate(roh)]


def _feinste_ebene(kommune: Kommune) -> str:
    return kommune.konfiguration.ebenen[0].id


def cockpit_einstellungen(kommune: Kommune) -> CockpitEinstellungen:
    """Der Abschnitt `[cockpit]` mit Standardwerten."""
    roh = kommune.konfiguration.erweiterung("cockpit", _COCKPIT_SCHLUESSEL)
    ebene = str(roh.get("ebene") or kommune.konfiguration.standard_ebene or _feinste_ebene(kommune))
    if ebene not in kommune.gebiete:
        raise KommuneFehler(f"[cockpit] nennt die unbekannte Ebene „{ebene}“.")
    indikator = roh.get("indikator")
    if indikator is None:
        indikator = next((k.indikator for k in kacheln_lesen(kommune) if k.art == "wert"), None)
    elif str(indikator) not in kommune.katalog.index:
        raise KommuneFehler(f"[cockpit] nennt den Indikator „{indikator}“, der nicht im Katalog steht.")
    anzahl = roh.get("anzahl", 5)
    if not isinstance(anzahl, int) or not 1 <= anzahl <= 20:
        raise KommuneFehler("„anzahl“ in [cockpit] muss eine ganze Zahl von 1 bis 20 sein.")
    return CockpitEinstellungen(
        titel=str(roh.get("titel", f"Bildungscockpit {kommune.name}")),
        ebene=ebene,
        indikator=None if indikator is None else str(indikator),
        anzahl=anzahl,
    )


# ---------------------------------------------------------------------------------------------
# Berechnung
# ---------------------------------------------------------------------------------------------


def _ampel(wert: float, d: KachelDefinition, einheit: str, stellen: int) -> tuple[str, str, str]:
    """(Ampel, Begründung, Zieltext)."""
    if d.ziel is None:
        return "grau", "Grau: Für diese Kennzahl ist kein Ziel festgelegt.", ""
    richtung = "höchstens" if d.ziel_richtung == "hoechstens" else "mindestens"
    quelle = f" ({d.ziel_quelle})" if d.ziel_quelle else ""
    ziel_wert = wert_mit_einheit(d.ziel, einheit, stellen) if d.art != "anzahl_gebiete" else zahl(d.ziel, 0)
    ziel_text = f"Ziel: {richtung} {ziel_wert}{quelle}"
    if wert is None or math.isnan(wert):
        return "grau", "Grau: Es liegt kein Wert vor, das Ziel lässt sich nicht prüfen.", ziel_text
    abstand = wert - d.ziel if d.ziel_richtung == "hoechstens" else d.ziel - wert
    wert_t = wert_mit_einheit(wert, einheit, stellen) if d.art != "anzahl_gebiete" else zahl(wert, 0)
    ziel_t = f"dem Ziel von {richtung} {ziel_wert}{quelle}"
    if round(abstand, stellen) <= 0:
        return "grün", f"Grün: {wert_t} erfüllt das Ziel von {richtung} {ziel_wert}{quelle}.", ziel_text
    einheit_abstand = "Prozentpunkte" if ist_prozent(einheit) else einheit
    abstand_t = f"{zahl(abs(abstand), stellen)} {einheit_abstand}".strip()
    seite = "über" if d.ziel_richtung == "hoechstens" else "unter"
    if round(abstand - d.gelb_toleranz, stellen) <= 0:
        tol = f"{zahl(d.gelb_toleranz, stellen)} {einheit_abstand}".strip()
        text = f"Gelb: {wert_t} liegt {abstand_t} {seite} {ziel_t}, innerhalb der Toleranz von {tol}."
        return "gelb", text, ziel_text
    if d.gelb_toleranz > 0:
        tol = f"{zahl(d.gelb_toleranz, stellen)} {einheit_abstand}".strip()
        return "rot", f"Rot: {wert_t} liegt {abstand_t} {seite} {ziel_t}, mehr als die Toleranz von {tol}.", ziel_text
    return "rot", f"Rot: {wert_t} liegt {abstand_t} {seite} {ziel_t}.", ziel_text


def _bewertung(d: float | None, richtung: int) -> str:
    if d is None:
        return ""
    if d == 0 or richtung == 0:
        return "neutral"
    return "schlechter" if d * richtung > 0 else "besser"


def _gezaehlt(reihe: pd.Series, d: KachelDefinition) -> pd.Series:
    w = reihe.dropna()
    s = float(d.schwelle or 0.0)
    maske = {"ueber": w > s, "unter": w < s, "mindestens": w >= s, "hoechstens": w <= s}[d.vergleich]
    return w[maske]


def _reihe_wert(kommune: Kommune, d: KachelDefinition, p: str, rolle: str) -> tuple[float, str, bool]:
    """(Wert, Hinweis, gesperrt) einer Wert-Kachel in Periode `p`, geschützt für `rolle`."""
    if d.gebiet is not None and d.ebene is not None:
        reihe, maske = werte_und_maske(kommune, d.indikator, d.ebene, p, rolle=rolle)
        return float(reihe.get(d.gebiet, float("nan"))), "", bool(maske.get(d.gebiet, False))
    w, deckung = gesamt_mit_text(kommune, d.indikator, p, rolle=rolle)
    if math.isnan(w) and deckung == GESPERRT_TEXT:
        return w, "", True
    if math.isnan(w):
        return (*gesamt_ueber_gueltige(kommune, d.indikator, p, rolle=rolle), False)
    teile = [f"{kommune.konfiguration.gesamtgebiet}: {deckung}." if deckung else ""]
    teile.append(gewicht_hinweis(kommune, d.indikator, p))
    return w, " ".join(t for t in teile if t), False


def _perioden_bis(alle: list[str], periode: str | None) -> list[str]:
    return [p for p in alle if periode is None or p <= periode]


def _verlauf_kachel(
    d: KachelDefinition,
    perioden: list[str],
    rechne: Any,
) -> tuple[list[tuple[str, float]], dict[str, Any]]:
    """Werte aller Perioden; zusätzliche Angaben der jüngsten (Hinweis, Gebiete)."""
    verlauf: list[tuple[str, float]] = []
    extra: dict[str, Any] = {}
    for p in perioden:
        wert, info = rechne(p)
        verlauf.append((p, float(wert)))
        extra = info
    return verlauf, extra


def kachel_berechnen(
    kommune: Kommune, d: KachelDefinition, periode: str | None = None, *, rolle: str = OEFFENTLICH
) -> Kachel:
    """Eine Kachel berechnen (Wert in der jüngsten Periode bis `periode`), geschützt für `rolle`."""
    kat = kommune.katalog
    hinweis = ""
    quelle = ""
    beschreibung = d.beschreibung
    von: int | None = None
    gebiete: tuple[str, ...] = ()
    aussage = ""
    richtung = 0
    klartext = ""
    gesperrt: set[str] = set()  # Perioden, deren Wert für `rolle` gesperrt ist
    if d.art == "wert":
        e = kat.loc[d.indikator]
        einheit, art = str(e["einheit"]), str(e["art"])
        stellen = d.stellen if d.stellen is not None else stellen_fuer(einheit, art)
        perioden = _perioden_bis(perioden_von(kommune, d.indikator), periode)

        def rechne(p: str) -> tuple[float, dict[str, Any]]:
            w, h, zu = _reihe_wert(kommune, d, p, rolle)
            if zu:
                gesperrt.add(p)
            return w, {"hinweis": h}

        verlauf, extra = _verlauf_kachel(d, perioden, rechne)
        hinweis = extra.get("hinweis", "")
        quelle = indikator_quelle(kommune, d.indikator)
        beschreibung = beschreibung or str(e["definition"])
        richtung = int(e["richtung"])
        if d.gebiet is not None and d.ebene is not None:
            name = kommune.gebiete[d.ebene]["name"].get(d.gebiet, d.gebiet)
            hinweis = f"Wert für {kommune.schicht(d.ebene).name} {name}."
        stand_ind = d.indikator
    elif d.art == "anzahl_gebiete":
        ebene = d.ebene or kommune.konfiguration.standard_ebene or _feinste_ebene(kommune)
        ebene_name = kommune.schicht(ebene).name
        einheit, art, stellen = "", "gebiete", 0
        if d.index is not None:
            from indices import index_berechnen
            from indices.presets import preset

            definition = preset(kommune, d.index)
            if definition.periode:
                perioden = [definition.periode] if periode is None or definition.periode <= periode else []
            else:
                gemeinsam = None
                for i in definition.indikator_ids:
                    ps = set(perioden_von(kommune, i))
                    gemeinsam = ps if gemeinsam is None else gemeinsam & ps
                perioden = _perioden_bis(sorted(gemeinsam or ()), periode)

            def rechne(p: str) -> tuple[float, dict[str, Any]]:
                erg = index_berechnen(
                    kommune, definition, ebene=ebene, periode=None if definition.periode else p,
                    werte_fn=werte_fn_fuer(rolle),
                )
                tab = erg.tabelle
                treffer = tab.index[tab["klasse_label"].isin(d.klasse)]
                return float(len(treffer)), {"gebiete": tuple(treffer), "von": int(tab["bewertet"].sum())}

            verlauf, extra = _verlauf_kachel(d, perioden, rechne)
            klassen = " oder ".join(f"„{k}“" for k in d.klasse)
            aussage = f"hat im Index „{definition.name}“ die Klasse {klassen}"
            beschreibung = beschreibung or (
                f"Zahl der {mehrzahl(ebene_name)} in der Klasse {klassen} des Index „{definition.name}“."
            )
            quelle = definition.quelle
            stand_ind = next(iter(definition.indikator_ids), "")
            richtung = d.richtung if d.richtung is not None else 0
        else:
            e = kat.loc[d.indikator]
            perioden = _perioden_bis(perioden_von(kommune, d.indikator), periode)

            def rechne(p: str) -> tuple[float, dict[str, Any]]:
                reihe = werte_auf(kommune, d.indikator, ebene, p, rolle=rolle)
                treffer = _gezaehlt(reihe, d)
                return float(len(treffer)), {"gebiete": tuple(treffer.index), "von": int(reihe.notna().sum())}

            verlauf, extra = _verlauf_kachel(d, perioden, rechne)
            schwelle = wert_mit_einheit(d.schwelle, str(e["einheit"]), d.stellen)
            aussage = f"liegt „{e['name']}“ {VERGLEICHE[d.vergleich]} {schwelle}"
            beschreibung = beschreibung or (
                f"Zahl der {mehrzahl(ebene_name)}, in denen „{e['name']}“ {VERGLEICHE[d.vergleich]} {schwelle} liegt."
            )
            quelle = indikator_quelle(kommune, d.indikator)
            stand_ind = d.indikator
            r = int(e["richtung"])
            richtung = r if d.vergleich in ("ueber", "mindestens") else -r
        gebiete = tuple(extra.get("gebiete", ()))
        von = extra.get("von")
    elif d.art == "versorgung":
        from geodata.versorgung import versorgung_definitionen, versorgungsindikator, versorgungsindikatoren

        v = versorgungsindikator(d.indikator, versorgung_definitionen(kommune))
        ebene = d.ebene or _feinste_ebene(kommune)
        df = versorgungsindikatoren(kommune, ebene, periode, indikatoren=[v])
        art = "anteil"
        einheit = df.attrs["einheiten"].get(v.name, v.einheit)
        stellen = d.stellen if d.stellen is not None else 1
        if v.id in df.attrs["nicht_verfuegbar"]:
            wert, p_bev = float("nan"), None
            hinweis = df.attrs["nicht_verfuegbar"][v.id]
        else:
            wert, p_bev = float(df.attrs["gesamt"][v.name]), df.attrs["perioden"][v.id]
            ohne = df.attrs["gesamt"].get(f"{v.angebote} ohne Platzangabe (Anzahl)", 0.0)
            if ohne:
                hinweis = (
                    f"{zahl(ohne, 0)} {v.angebote} ohne Platzangabe sind nicht mitgezählt; "
                    "der Wert ist eine Untergrenze."
                )
        verlauf = [(p_bev, wert)] if p_bev else []
        beschreibung = beschreibung or f"{v.name}: bekannte Plätze aller Angebote geteilt durch die Zielgruppe."
        angebote = kommune.angebote[kommune.angebote["kategorie"] == v.kategorie]
        stand_ang = ", ".join(sorted(set(angebote["stand"].astype(str)) - {""}))
        quelle = "; ".join(
            q for q in dict.fromkeys(quelle_text(kommune, str(x)) for x in angebote["quelle"].unique()) if q
        )
        richtung = d.richtung if d.richtung is not None else -1
        stand_ind = ""
        bev_stand = _zielgruppe_stand(kommune, v.zielgruppe, p_bev)
        stand = "; ".join(t for t in (f"{v.angebote}: {stand_ang}" if stand_ang else "", bev_stand) if t)
    elif d.art == "erreichbarkeit":
        from geodata.erreichbarkeit import BEWOHNER, erreichbarkeit_kommune, umland_satz, zielgruppe_fuer

        ebene = d.ebene or _feinste_ebene(kommune)
        gruppe = zielgruppe_fuer(kommune, d.kategorie)
        gruppe_name = gruppe.name if gruppe else BEWOHNER
        df = erreichbarkeit_kommune(kommune, ebene, d.kategorie, periode=periode, radien=(d.radius,))
        sp = df.attrs["spalten"]
        g = df.attrs["gesamt"]
        anteil_mit = g[sp[f"anteil_{d.radius:g}"]]
        personen_mit = g.get(sp[f"personen_{d.radius:g}"], float("nan"))
        personen_alle = personen_mit / (anteil_mit / 100) if anteil_mit else float("nan")
        radius_t = f"{zahl(d.radius, 0)} m"
        if d.mass == "ohne_personen":
            wert = personen_alle - personen_mit
            einheit, art, stellen = "Personen", "anzahl", 0
            wert = float(round(wert, -1)) if not math.isnan(wert) else wert  # Schätzung: auf 10 gerundet
            text = f"{gruppe_name} ohne {d.kategorie} im Umkreis von {radius_t} Luftlinie (geschätzt, auf 10 gerundet)."
        elif d.mass == "ohne_anteil":
            wert, einheit, art, stellen = 100 - anteil_mit, "%", "anteil", 1
            text = f"Anteil der {gruppe_name} ohne {d.kategorie} im Umkreis von {radius_t} Luftlinie."
        else:
            wert, einheit, art, stellen = anteil_mit, "%", "anteil", 1
            text = f"Anteil der {gruppe_name} mit {d.kategorie} im Umkreis von {radius_t} Luftlinie."
        if d.stellen is not None:
            stellen = d.stellen
        p_bev = df.attrs.get("periode")
        verlauf = [(p_bev, float(wert))] if p_bev else []
        beschreibung = beschreibung or text
        hinweis = f"Luftlinie. {df.attrs['wohnorte']} {umland_satz(kommune, d.kategorie, df.attrs['umland'])}"
        angebote = kommune.angebote[kommune.angebote["kategorie"] == d.kategorie]
        stand_ang = ", ".join(sorted(set(angebote["stand"].astype(str)) - {""}))
        quelle = "; ".join(
            q for q in dict.fromkeys(quelle_text(kommune, str(x)) for x in angebote["quelle"].unique()) if q
        )
        richtung = d.richtung if d.richtung is not None else (1 if d.mass.startswith("ohne") else -1)
        stand_ind = ""
        bev_stand = _zielgruppe_stand(kommune, gruppe, p_bev) if gruppe else ""
        stand = "; ".join(t for t in (f"{d.kategorie}: {stand_ang}" if stand_ang else "", bev_stand) if t)
    elif d.art == "uebergang":
        from berichte import uebergaenge as ueb
        from kommune.uebergaenge import GESAMT, tabelle_konf

        tk = tabelle_konf(kommune.konfiguration, d.tabelle)
        einheit, art = "%", "anteil"
        stellen = d.stellen if d.stellen is not None else 1
        verlauf = []
        for p_u in _perioden_bis(ueb.perioden(kommune, d.tabelle), periode):
            z = ueb.zellen(kommune, d.tabelle, GESAMT, p_u, rolle=rolle).zellen
            zelle = z[(z["von"] == d.von) & (z["nach"] == d.nach)]
            if zelle.empty:
                continue
            if bool(zelle["gesperrt"].iloc[0]):
                gesperrt.add(p_u)
            verlauf.append((p_u, float(zelle["anteil"].iloc[0])))
        gesamtgebiet = kommune.konfiguration.gesamtgebiet
        beschreibung = beschreibung or f"Anteil „{d.nach}“ an allen aus „{d.von}“ ({tk.name}), {gesamtgebiet}."
        quelle = quelle_text(kommune, tk.quelle)
        richtung = d.richtung if d.richtung is not None else (1 if d.nach in tk.ohne_anschluss else 0)
        stand_ind = ""
        stand = f"Periode {verlauf[-1][0]}" if verlauf else ""
        if not verlauf:
            hinweis = f"Die Übergangstabelle nennt „{d.von}“ → „{d.nach}“ nicht."
    elif d.art == "gruppenluecke":
        from berichte.gruppen import gesamtluecke
        from kommune.merkmale import auspraegung_name, familie, luecke_einheit

        f = familie(kommune, d.basis, d.merkmal)
        if f is None:  # pragma: no cover – durch die Prüfung ausgeschlossen
            raise KommuneFehler(f"„{d.basis}“ hat keine Gruppen nach „{d.merkmal}“.")
        glied_a, glied_b = str(f.glied(d.gruppe_a)), str(f.glied(d.gruppe_b))
        verhaeltnis = d.mass == "verhaeltnis"
        e_a = kat.loc[glied_a]
        einheit = "" if verhaeltnis else luecke_einheit(kommune, d.basis)
        art = "luecke"
        stellen = d.stellen if d.stellen is not None else (2 if verhaeltnis else stellen_fuer(
            str(kat.loc[d.basis, "einheit"]), str(kat.loc[d.basis, "art"])
        ))
        perioden = _perioden_bis(
            sorted(set(perioden_von(kommune, glied_a)) & set(perioden_von(kommune, glied_b))), periode
        )
        name_a = auspraegung_name(kommune, d.merkmal, d.gruppe_a)
        name_b = auspraegung_name(kommune, d.merkmal, d.gruppe_b)

        def rechne(p: str) -> tuple[float, dict[str, Any]]:
            (wa, ta), (wb, tb) = (gesamt_mit_text(kommune, g, p, rolle=rolle) for g in (glied_a, glied_b))
            if GESPERRT_TEXT in (ta, tb):
                gesperrt.add(p)
                return float("nan"), {"klartext": "Gruppenwerte gesperrt (Geheimhaltung)."}
            w = gesamtluecke(kommune, f, d.gruppe_a, d.gruppe_b, p, mass=d.mass, rolle=rolle)
            if not verhaeltnis:
                w = abs(w)
            ea, eb = str(e_a["einheit"]), str(kat.loc[glied_b, "einheit"])
            s_a = stellen_fuer(ea, str(e_a["art"]))
            teile = [
                f"{name_a}: {wert_mit_einheit(wa, ea, s_a, leer='keine Daten')}",
                f"{name_b}: {wert_mit_einheit(wb, eb, s_a, leer='keine Daten')}",
            ]
            deckung = "; ".join(dict.fromkeys(t for t in (ta, tb) if t))
            return w, {"klartext": " · ".join(teile), "hinweis": deckung}

        verlauf, extra = _verlauf_kachel(d, perioden, rechne)
        klartext = extra.get("klartext", "")
        if extra.get("hinweis"):
            hinweis = f"{kommune.konfiguration.gesamtgebiet}: {extra['hinweis']}."
        basis_name = indikator_bezeichnung(kat, d.basis)
        gesamtgebiet = kommune.konfiguration.gesamtgebiet
        beschreibung = beschreibung or (
            f"Verhältnis „{basis_name}“ {name_a} ÷ {name_b}, {gesamtgebiet}; näher an 1 ist besser."
            if verhaeltnis
            else f"Lücke bei „{basis_name}“ zwischen {name_a} und {name_b} (Betrag der Differenz"
            f"{' in Prozentpunkten' if einheit == 'Prozentpunkte' else ''}), {gesamtgebiet}; kleiner ist besser."
        )
        quelle = indikator_quelle(kommune, glied_a)
        stand_ind = glied_a
        if verhaeltnis:  # näher an 1 ist besser: über 1 ist ein Anstieg schlechter, unter 1 besser
            juengster = next((w for _, w in reversed(verlauf) if not math.isnan(w)), 1.0)
            richtung = 1 if juengster >= 1 else -1
        else:
            richtung = 1
        if not perioden:
            hinweis = f"Für {name_a} und {name_b} liegt keine gemeinsame Periode vor."
    else:  # pragma: no cover – durch die Prüfung ausgeschlossen
        raise KommuneFehler(f"Unbekannte Kachelart „{d.art}“.")

    if d.richtung is not None:
        richtung = d.richtung
    wert, p = (verlauf[-1][1], verlauf[-1][0]) if verlauf else (float("nan"), None)
    vorperiode, vorwert = (verlauf[-2][0], verlauf[-2][1]) if len(verlauf) >= 2 else (None, None)
    diff, v_text, pfeil = veraenderung_text(wert, vorwert, vorperiode, einheit=einheit, art=art, stellen=stellen)
    if diff is None and not verlauf:
        v_text = "kein Wert"
    if p in gesperrt:
        v_text = "Wert gesperrt (Geheimhaltung)"
    elif vorperiode in gesperrt:
        v_text = f"Vorperiode {vorperiode} gesperrt (Geheimhaltung)"
    if d.art in ("wert", "anzahl_gebiete", "gruppenluecke"):
        stand = stand_fuer(kommune, stand_ind, p) if stand_ind else (p or "")
    ampel, ampel_text, ziel_text = _ampel(wert, d, einheit, stellen)
    if d.art == "anzahl_gebiete":
        wert_text = zahl(wert, 0)
        if von is not None:
            wert_text = f"{wert_text} von {zahl(von, 0)}"
            ebene_id = d.ebene or kommune.konfiguration.standard_ebene or _feinste_ebene(kommune)
            ebene_name = kommune.schicht(ebene_id).name
            if d.index is not None:
                verb = "hat" if wert == 1 else "haben"
                aussage = f"{zahl(wert, 0)} von {zahl(von, 0)} bewerteten {mehrzahl(ebene_name, 'dativ')} " + aussage
                aussage = aussage.replace(" hat im Index", f" {verb} im Index")
            else:
                aussage = f"In {zahl(wert, 0)} von {zahl(von, 0)} {mehrzahl(ebene_name, 'dativ')} {aussage}"
            if vorwert is not None and vorperiode is not None:
                aussage += f" ({p}; {vorperiode}: {zahl(vorwert, 0)})"
            elif p:
                aussage += f" ({p})"
            aussage += "."
    else:
        wert_text = GESPERRT_TEXT if p in gesperrt else wert_mit_einheit(wert, einheit, stellen)
    return Kachel(
        id=d.id,
        titel=d.titel,
        art=d.art,
        wert=float(wert),
        wert_text=wert_text,
        einheit=einheit,
        periode=p,
        stand=stand,
        vorperiode=vorperiode,
        vorwert=vorwert,
        veraenderung=diff,
        veraenderung_text=v_text,
        pfeil=pfeil,
        veraenderung_bewertung=_bewertung(diff, richtung),
        verlauf=verlauf,
        ampel=ampel,
        ampel_text=ampel_text,
        ziel_text=ziel_text,
        quelle=quelle,
        beschreibung=beschreibung,
        hinweis=hinweis,
        indikator=d.indikator,
        ebene=d.ebene,
        von=von,
        gebiete=gebiete,
        aussage=aussage,
        klartext=klartext,
    )


def _zielgruppe_stand(kommune: Kommune, gruppe: Any, periode: str | None) -> str:
    formel = gruppe.formel_fuer(kommune.katalog.index)
    if not formel or not periode:
        return ""
    erste = gruppe.teile[0][1]
    return f"{gruppe.name}: {stand_fuer(kommune, erste, periode)}"


def kacheln_berechnen(kommune: Kommune, periode: str | None = None, *, rolle: str = OEFFENTLICH) -> list[Kachel]:
    """Alle Kacheln der Kommune in der Reihenfolge der kommune.toml (leer ohne `[[kachel]]`), für `rolle`."""
    return [kachel_berechnen(kommune, d, periode, rolle=rolle) for d in kacheln_lesen(kommune)]


# ---------------------------------------------------------------------------------------------
# Top/Flop und Text
# ---------------------------------------------------------------------------------------------


def top_und_flop(
    kommune: Kommune,
    indikator: str,
    ebene: str,
    n: int = 5,
    periode: str | None = None,
    *,
    rolle: str = OEFFENTLICH,
) -> TopFlop:
    """Die `n` Gebiete mit den höchsten und den niedrigsten Werten (Gebiete ohne Wert fehlen).

    Für `rolle` gesperrte Gebiete erscheinen nicht in den Listen (auch ihre Reihenfolge verriete etwas);
    Gebiete unter der Mindestbevölkerung der Kommune auch nicht, für jede Rolle
    (`freigabe.geheimhaltung.extreme_gebiete`, `fussnote` nennt die Regel). Rang und `anzahl_mit_wert`
    zählen nur die gelisteten Gebiete.
    """
    if indikator not in kommune.katalog.index:
        raise KommuneFehler(f"Den Indikator „{indikator}“ gibt es im Katalog nicht.")
    p = neueste_periode(kommune, indikator, periode)
    e = kommune.katalog.loc[indikator]
    spalten = ["rang", "gebiet", "name", "wert", "wert_text"]
    if p is None:
        leer = pd.DataFrame(columns=spalten)
        return TopFlop(leer, leer, 0, None, indikator, ebene)
    extreme = extreme_gebiete(kommune, ebene, p)
    reihe = extreme.filtern(werte_auf(kommune, indikator, ebene, p, rolle=rolle).dropna())
    namen = kommune.gebiete[ebene]["name"]
    stellen = stellen_fuer(str(e["einheit"]), str(e["art"]))
    rang = reihe.rank(ascending=False, method="min").astype(int)

    def tabelle(ids: pd.Index) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "rang": rang.reindex(ids).to_numpy(),
                "gebiet": list(ids),
                "name": namen.reindex(ids).to_numpy(),
                "wert": reihe.reindex(ids).to_numpy(),
                "wert_text": [wert_mit_einheit(v, str(e["einheit"]), stellen) for v in reihe.reindex(ids)],
            },
            columns=spalten,
        ).reset_index(drop=True)

    absteigend = reihe.sort_values(ascending=False, kind="stable")
    aufsteigend = reihe.sort_values(ascending=True, kind="stable")
    return TopFlop(
        tabelle(absteigend.index[:n]), tabelle(aufsteigend.index[:n]), len(reihe), p, indikator, ebene, extreme.fussnote
    )


def cockpit_text(
    kommune: Kommune,
    periode: str | None = None,
    kacheln: list[Kachel] | None = None,
    *,
    rolle: str = OEFFENTLICH,
) -> str:
    """Ein kurzer deutscher Text: was sich verändert hat, was auffällt, wie die Ziele stehen (für `rolle`)."""
    kacheln = kacheln_berechnen(kommune, periode, rolle=rolle) if kacheln is None else kacheln
    einst = cockpit_einstellungen(kommune)
    saetze: list[str] = []
    saetze += [k.aussage for k in kacheln if k.aussage]
    mit_veraenderung = [k for k in kacheln if k.veraenderung is not None and k.art != "anzahl_gebiete"]
    if mit_veraenderung:
        for k in mit_veraenderung[:4]:
            bewertung = {"besser": " – eine Verbesserung", "schlechter": " – eine Verschlechterung"}.get(
                k.veraenderung_bewertung, ""
            )
            if k.veraenderung == 0:
                saetze.append(f"{k.titel}: {k.wert_text} im Jahr {k.periode}, {k.veraenderung_text}.")
            else:
                saetze.append(f"{k.titel}: {k.wert_text} im Jahr {k.periode} ({k.veraenderung_text}){bewertung}.")
    elif kacheln:
        saetze.append(
            "Für die Kennzahlen liegt jeweils nur ein Stand vor; Veränderungen lassen sich noch nicht angeben."
        )
    if einst.indikator:
        tf = top_und_flop(kommune, einst.indikator, einst.ebene, n=3, periode=periode, rolle=rolle)
        if tf.anzahl_mit_wert:
            e = kommune.katalog.loc[einst.indikator]
            hoch = ", ".join(f"{r.name} ({r.wert_text})" for r in tf.hoechste.itertuples())
            niedrig = tf.niedrigste.iloc[0]
            ebene_name = kommune.schicht(einst.ebene).name
            saetze.append(
                f"Die höchsten Werte bei „{e['name']}“ ({tf.periode}) unter {zahl(tf.anzahl_mit_wert, 0)} "
                f"{mehrzahl(ebene_name, 'dativ')}{f' ({tf.fussnote})' if tf.fussnote else ''} haben {hoch}; "
                f"der niedrigste liegt bei {niedrig['wert_text']} ({niedrig['name']})."
            )
    mit_ziel = [k for k in kacheln if k.ziel_text]
    if mit_ziel:
        n = {a: sum(k.ampel == a for k in mit_ziel) for a in AMPELN}
        teile = []
        if n["grün"]:
            teile.append(f"{n['grün']} {'erreicht' if n['grün'] == 1 else 'erreichen'} ihr Ziel (grün)")
        if n["gelb"]:
            teile.append(f"{n['gelb']} {'liegt' if n['gelb'] == 1 else 'liegen'} knapp daneben (gelb)")
        if n["rot"]:
            teile.append(f"{n['rot']} {'verfehlt' if n['rot'] == 1 else 'verfehlen'} es deutlich (rot)")
        if n["grau"]:
            teile.append(f"{n['grau']} {'hat' if n['grau'] == 1 else 'haben'} keinen Wert")
        aufzaehlung = teile[0] if len(teile) == 1 else ", ".join(teile[:-1]) + " und " + teile[-1]
        saetze.append(f"Zielerreichung ({len(mit_ziel)} Kennzahlen mit Ziel): {aufzaehlung}.")
    return " ".join(saetze)


__all__ = [
    "AMPELN",
    "ARTEN",
    "CockpitEinstellungen",
    "Kachel",
    "KachelDefinition",
    "TopFlop",
    "cockpit_einstellungen",
    "cockpit_text",
    "kachel_berechnen",
    "kacheln_berechnen",
    "kacheln_lesen",
    "top_und_flop",
    "vorzeichen_zahl",
]

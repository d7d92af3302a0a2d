"""Sitzungsmodus: eine kuratierte Folge von Ansichten (TOML), jede aus ihrer URL reproduzierbar.

Rein, ohne Streamlit. Eine Sitzungsdatei sieht so aus:

.. code-block:: toml

    titel = "Jugendhilfeausschuss 12.03.2025"
    kommune = "musterstadt"
    beschreibung = "Kinderarmut und Kita-Versorgung"   # optional

    [[ansicht]]
    titel = "Kinderarmut je Viertel"       # Pflicht, höchstens 120 Zeichen
    seite = "karte"                        # karte | gebietsprofil | vergleich | index | cockpit | uebergaenge
    ebene = "viertel"                      # Ebene oder Einzugsbereich
    indikator = "kinderarmut"              # Katalog-ID oder Versorgungsindikator (z. B. kita_plaetze)
    gebiete = ["020103"]                   # gebietsprofil: genau 1; vergleich: 2 bis 5; sonst bis 5 (hervorheben)
    index = "sozialindex"                  # Index-Preset (Seite „index“)
    periode = "2024"                       # optional
    text = "Erläuterung für den Ausschuss" # optional, höchstens 500 Zeichen

    # nur seite = "karte", optional: statt des Werts die Lücke zwischen zwei Gruppen (kommune/merkmale.py);
    # `indikator` ist dann der Gesamtindikator der Familie oder eine ihrer Gruppen
    merkmal = "migration"                  # ein [[merkmal]] der Kommune
    gruppe_a = "mit"                       # zwei verschiedene Ausprägungen (Pflicht, sobald `merkmal` steht)
    gruppe_b = "ohne"
    mass = "differenz"                     # differenz (Prozentpunkte bei Anteilen in %) | verhaeltnis

    # nur seite = "uebergaenge": Karte einer Übergangsquote (Pflicht: tabelle, von, nach; `ebene` optional,
    # Standard: Quellebene der Tabelle; `periode` optional, Standard: die jüngste der Tabelle)
    tabelle = "uebertritt"                 # ID aus [[uebergaenge]]
    von = "Grundschule"                    # Herkunft (Text, höchstens 80 Zeichen)
    nach = "Gymnasium"                     # Ziel

URL-Parameter (``ansicht_zu_query`` / ``query_zu_ansicht``): ``kommune, seite, ebene, periode,
indikator, gebiet`` (ein Gebiet) bzw. ``gebiete`` (mehrere, kommagetrennt), ``index, titel, text`` und
die Felder der Gruppenlücke (``merkmal, gruppe_a, gruppe_b, mass``) und der Übergangsquote (``tabelle, von, nach``).
Werte aus der URL werden streng geprüft (IDs nur aus Buchstaben, Ziffern, ``_ . -``; Texte ohne
spitze Klammern und Steuerzeichen; Längengrenzen); alles andere wird mit einem deutschen Satz
abgewiesen (``SitzungsFehler``). Ob Ebene, Indikator, Gebiete, Gruppen und Übergangstabelle in der Kommune
existieren, prüft ``ansicht_pruefen(ansicht, kommune)``.

``qr_svg(url)`` erzeugt den QR-Code zur aktuellen Ansicht als SVG-Text (segno, ohne Netz).
"""

from __future__ import annotations

import io
import json
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from kommune.ablage import ablage
from kommune.fehler import KommuneFehler
from kommune.laden import Kommune, kommune_ordner

SEITEN: dict[str, str] = {
    "karte": "Karte",
    "gebietsprofil": "Gebietsprofil",
    "vergleich": "Vergleich",
    "index": "Index",
    "cockpit": "Cockpit",
    "uebergaenge": "Übergänge",
}
#: Maße der Gruppenlücke (wie `berichte.gruppen.MASSE`)
LUECKEN_MASSE = ("differenz", "verhaeltnis")
#: Höchstlänge von Herkunft und Ziel einer Übergangsquote
MAX_STUFE = 80
MAX_TITEL = 120
MAX_TEXT = 500
MAX_GEBIETE = 5
MAX_ANSICHTEN = 50
#: URL-Parameter einer Ansicht (zusätzlich „kommune“).
URL_SCHLUESSEL = (
    "kommune", "seite", "ebene", "periode", "indikator", "gebiet", "gebiete", "index", "titel", "text",
    "merkmal", "gruppe_a", "gruppe_b", "mass", "tabelle", "von", "nach",
)  # fmt: skip
#: Felder der Gruppenlücke (nur Karte) und der Übergangsquote (nur Übergänge)
LUECKEN_FELDER = ("merkmal", "gruppe_a", "gruppe_b", "mass")
UEBERGANG_FELDER = ("tabelle", "von", "nach")
#: URL-Parameter eines Geräts, das einer Vorführung folgt (`berichte.vorfuehrung`): `/sitzung?folgen=<Code>`
FOLGEN_PARAMETER = "folgen"
#: Parameter der App, die eine Ansicht nicht beschreiben und ignoriert werden.
FREMDE_SCHLUESSEL = frozenset(
    {"schritt", "sitzung", "modus", "embed", "embed_options", FOLGEN_PARAMETER, "praesentation"}
)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
_KOMMUNE_ID = re.compile(r"^[a-z][a-z0-9_\-]{0,63}$")
_ANSICHT_SCHLUESSEL = {
    "titel", "seite", "ebene", "indikator", "gebiete", "index", "periode", "text", *LUECKEN_FELDER, *UEBERGANG_FELDER,
}  # fmt: skip
_SITZUNG_SCHLUESSEL = {"titel", "kommune", "beschreibung", "ansicht"}


class SitzungsFehler(KommuneFehler):
    """Eine Sitzungsdatei oder URL ist ungültig (deutscher Satz)."""


@dataclass(frozen=True)
class Ansicht:
    """Eine Ansicht im Sitzungsmodus."""

    titel: str
    seite: str
    ebene: str | None = None
    indikator: str | None = None
    gebiete: tuple[str, ...] = ()
    index: str | None = None
    periode: str | None = None
    text: str = ""
    #: seite = "karte": Lücke zwischen zwei Gruppen eines Merkmals (alle None: der Wert selbst)
    merkmal: str | None = None
    gruppe_a: str | None = None
    gruppe_b: str | None = None
    mass: str | None = None
    #: seite = "uebergaenge": Übergangstabelle, Herkunft und Ziel der Quote
    tabelle: str | None = None
    von: str | None = None
    nach: str | None = None

    @property
    def luecke(self) -> bool:
        """Zeigt die Karte die Lücke zwischen zwei Gruppen?"""
        return self.merkmal is not None

    def mit(self, **felder: Any) -> Ansicht:
        """Eine geänderte Kopie (z. B. live im Ausschuss: anderes Gebiet), neu geprüft."""
        neu = replace(self, **felder)
        ansicht_validieren(neu)
        return neu


@dataclass(frozen=True)
class Sitzung:
    """Eine Folge von Ansichten für eine Kommune."""

    titel: str
    kommune: str
    ansichten: tuple[Ansicht, ...] = field(default_factory=tuple)
    beschreibung: str = ""

    def __len__(self) -> int:
        return len(self.ansichten)

    def schritt(self, nr: int) -> Ansicht:
        """Die Ansicht Nr. `nr` (0-basiert), auf den gültigen Bereich begrenzt (Weiter/Zurück)."""
        if not self.ansichten:
            raise SitzungsFehler("Die Sitzung enthält keine Ansicht.")
        return self.ansichten[max(0, min(nr, len(self.ansichten) - 1))]


# ---------------------------------------------------------------------------------------------
# Prüfen
# ---------------------------------------------------------------------------------------------


def _text_pruefen(wert: Any, name: str, hoechstens: int, *, pflicht: bool = False, wo: str = "") -> str:
    if not isinstance(wert, str):
        raise SitzungsFehler(f"„{name}“{wo} muss ein Text sein.")
    wert = unicodedata.normalize("NFC", wert)
    if pflicht and not wert.strip():
        raise SitzungsFehler(f"„{name}“{wo} darf nicht leer sein.")
    if len(wert) > hoechstens:
        raise SitzungsFehler(f"„{name}“{wo} ist zu lang ({len(wert)} Zeichen, höchstens {hoechstens}).")
    if any(unicodedata.category(c) in ("Cc", "Cf") and c not in "\n" for c in wert):
        raise SitzungsFehler(f"„{name}“{wo} enthält Steuerzeichen.")
    if "<" in wert or ">" in wert:
        raise SitzungsFehler(f"„{name}“{wo} darf keine spitzen Klammern (< >) enthalten.")
    return wert


def _id_pruefen(wert: Any, name: str, wo: str = "") -> str:
    if not isinstance(wert, str) or not _ID.match(wert):
        anzeige = str(wert)[:40]
        raise SitzungsFehler(
            f"„{name}“{wo} ist ungültig („{anzeige}“): erlaubt sind Buchstaben, Ziffern, _ . - (höchstens 64 Zeichen)."
        )
    return wert


def ansicht_validieren(a: Ansicht, wo: str = "") -> None:
    """Form einer Ansicht prüfen (ohne Kommune); SitzungsFehler mit deutschem Satz."""
    _text_pruefen(a.titel, "titel", MAX_TITEL, pflicht=True, wo=wo)
    _text_pruefen(a.text, "text", MAX_TEXT, wo=wo)
    if a.seite not in SEITEN:
        raise SitzungsFehler(f"„seite“{wo} muss eine von {', '.join(SEITEN)} sein, nicht „{str(a.seite)[:40]}“.")
    for name in ("ebene", "indikator", "index", "periode", "merkmal", "gruppe_a", "gruppe_b", "tabelle"):
        w = getattr(a, name)
        if w is not None:
            _id_pruefen(w, name, wo)
    for name in ("von", "nach"):
        w = getattr(a, name)
        if w is not None:
            _text_pruefen(w, name, MAX_STUFE, pflicht=True, wo=wo)
    if a.mass is not None and a.mass not in LUECKEN_MASSE:
        raise SitzungsFehler(f"„mass“{wo} muss „differenz“ oder „verhaeltnis“ sein, nicht „{str(a.mass)[:40]}“.")
    gesetzt = [n for n in LUECKEN_FELDER if getattr(a, n) is not None]
    if gesetzt and a.seite != "karte":
        raise SitzungsFehler(f"„{gesetzt[0]}“{wo} gibt es nur für die Seite „Karte“ (Lücke zwischen Gruppen).")
    if gesetzt:
        fehlt = [n for n in ("merkmal", "gruppe_a", "gruppe_b") if getattr(a, n) is None]
        if fehlt:
            raise SitzungsFehler(f"Die Lücke zwischen Gruppen braucht „merkmal“, „gruppe_a“ und „gruppe_b“{wo}; "
                                 f"es fehlt „{fehlt[0]}“.")
        if a.gruppe_a == a.gruppe_b:
            raise SitzungsFehler(f"„gruppe_a“ und „gruppe_b“{wo} müssen verschiedene Gruppen sein.")
        if a.indikator is None:
            raise SitzungsFehler(f"Die Lücke zwischen Gruppen braucht einen „indikator“{wo}.")
    gesetzt = [n for n in UEBERGANG_FELDER if getattr(a, n) is not None]
    if gesetzt and a.seite != "uebergaenge":
        raise SitzungsFehler(f"„{gesetzt[0]}“{wo} gibt es nur für die Seite „Übergänge“.")
    if a.seite == "uebergaenge":
        fehlt = [n for n in UEBERGANG_FELDER if getattr(a, n) is None]
        if fehlt:
            raise SitzungsFehler(f"Die Seite „Übergänge“ braucht „tabelle“, „von“ und „nach“{wo}; "
                                 f"es fehlt „{fehlt[0]}“.")
    if len(a.gebiete) > MAX_GEBIETE:
        raise SitzungsFehler(f"Es sind höchstens {MAX_GEBIETE} Gebiete möglich{wo}, nicht {len(a.gebiete)}.")
    for g in a.gebiete:
        _id_pruefen(g, "gebiete", wo)
    if len(set(a.gebiete)) != len(a.gebiete):
        raise SitzungsFehler(f"Ein Gebiet ist doppelt angegeben{wo}.")
    if a.seite in ("karte", "gebietsprofil", "vergleich", "index") and a.ebene is None:
        raise SitzungsFehler(f"Die Seite „{SEITEN[a.seite]}“ braucht eine „ebene“{wo}.")
    if a.seite == "karte" and a.indikator is None and a.index is None:
        raise SitzungsFehler(f"Die Karte braucht einen „indikator“ oder einen „index“{wo}.")
    if a.seite == "gebietsprofil" and len(a.gebiete) != 1:
        raise SitzungsFehler(f"Das Gebietsprofil braucht genau ein Gebiet in „gebiete“{wo}.")
    if a.seite == "vergleich" and not 2 <= len(a.gebiete) <= MAX_GEBIETE:
        raise SitzungsFehler(f"Der Vergleich braucht 2 bis {MAX_GEBIETE} Gebiete in „gebiete“{wo}.")
    if a.seite == "index" and a.index is None:
        raise SitzungsFehler(f"Die Seite „Index“ braucht ein Index-Preset in „index“{wo}.")


def ansicht_pruefen(a: Ansicht, kommune: Kommune) -> list[str]:
    """Passt die Ansicht zur Kommune? Liste deutscher Meldungen (leer = in Ordnung)."""
    fehler: list[str] = []
    schichten = {s.id for s in kommune.konfiguration.schichten}
    if a.ebene is not None and a.ebene not in schichten:
        fehler.append(f"Die Ebene „{a.ebene}“ gibt es in {kommune.name} nicht.")
    if a.indikator is not None and a.indikator not in kommune.katalog.index:
        if a.indikator not in {v.id for v in kommune.konfiguration.versorgung}:
            fehler.append(f"Den Indikator „{a.indikator}“ gibt es im Katalog von {kommune.name} nicht.")
    if a.ebene in schichten:
        fremd = [g for g in a.gebiete if g not in kommune.gebiete[a.ebene].index]
        if fremd:
            fehler.append(f"Das Gebiet „{fremd[0]}“ gibt es in der Ebene „{a.ebene}“ nicht.")
    if a.index is not None:
        from indices.presets import presets_fuer

        vorhanden = presets_fuer(kommune)
        if a.index not in vorhanden:
            fehler.append(f"Das Index-Preset „{a.index}“ gibt es für {kommune.name} nicht.")
    if a.periode is not None and a.periode not in kommune.perioden and a.seite != "uebergaenge":
        fehler.append(f"Die Periode „{a.periode}“ gibt es in {kommune.name} nicht.")
    if a.luecke:
        fehler += _luecke_pruefen(a, kommune)
    if a.seite == "uebergaenge":
        fehler += _uebergang_pruefen(a, kommune)
    return fehler


def luecke_familie(a: Ansicht, kommune: Kommune) -> Any:
    """Die Familie (`kommune.merkmale.Familie`) der Gruppenlücke einer Ansicht; None, wenn es sie nicht gibt."""
    from berichte.gruppen import familien_von

    if a.indikator is None or a.indikator not in kommune.katalog.index:
        return None
    return next((f for f in familien_von(kommune, a.indikator) if f.merkmal == a.merkmal), None)


def _luecke_pruefen(a: Ansicht, kommune: Kommune) -> list[str]:
    m = kommune.konfiguration.merkmal(str(a.merkmal))
    if m is None:
        erklaert = ", ".join(x.id for x in kommune.konfiguration.merkmale) or "keine"
        return [f"Das Merkmal „{a.merkmal}“ gibt es in {kommune.name} nicht (erklärt: {erklaert})."]
    f = luecke_familie(a, kommune)
    if f is None:
        return [f"Der Indikator „{a.indikator}“ hat keine Gruppen nach „{m.name}“."]
    return [
        f"Die Gruppe „{g}“ gibt es für „{f.basis}“ nach „{m.name}“ nicht (vorhanden: {', '.join(f.auspraegungen)})."
        for g in (a.gruppe_a, a.gruppe_b)
        if g not in f.auspraegungen
    ]


def _uebergang_pruefen(a: Ansicht, kommune: Kommune) -> list[str]:
    from berichte import uebergaenge as ueb

    tabellen = dict(ueb.tabellen(kommune))
    if a.tabelle not in tabellen:
        return [
            f"Die Übergangstabelle „{a.tabelle}“ gibt es in {kommune.name} nicht "
            f"(vorhanden: {', '.join(tabellen) or 'keine'})."
        ]
    fehler = []
    tid = str(a.tabelle)
    if a.ebene is not None and a.ebene not in ueb.ebenen(kommune, tid):
        fehler.append(f"Die Übergangstabelle „{tabellen[tid]}“ gibt es nicht auf der Ebene „{a.ebene}“.")
    if a.periode is not None and a.periode not in ueb.perioden(kommune, tid):
        fehler.append(f"Die Periode „{a.periode}“ gibt es in der Übergangstabelle „{tabellen[tid]}“ nicht.")
    z = kommune.uebergaenge
    z = z[z["tabelle"] == tid]
    if a.von not in set(z["von"]):
        fehler.append(f"Die Herkunft „{a.von}“ gibt es in der Übergangstabelle „{tabellen[tid]}“ nicht.")
    elif a.nach not in set(z.loc[z["von"] == a.von, "nach"]):
        fehler.append(f"Das Ziel „{a.nach}“ gibt es für „{a.von}“ in der Übergangstabelle „{tabellen[tid]}“ nicht.")
    return fehler


def sitzung_pruefen(sitzung: Sitzung, kommune: Kommune) -> list[str]:
    """Alle Ansichten gegen die Kommune prüfen; Meldungen mit Nummer der Ansicht."""
    return [
        f"Ansicht {i + 1} („{a.titel}“): {m}"
        for i, a in enumerate(sitzung.ansichten)
        for m in ansicht_pruefen(a, kommune)
    ]


# ---------------------------------------------------------------------------------------------
# TOML lesen und schreiben
# ---------------------------------------------------------------------------------------------


def _ansicht_aus_dict(roh: Any, nr: int) -> Ansicht:
    wo = f" in Ansicht {nr}"
    if not isinstance(roh, dict):
        raise SitzungsFehler(f"Ansicht {nr} muss ein Abschnitt [[ansicht]] mit Schlüsseln sein.")
    unbekannt = sorted(set(roh) - _ANSICHT_SCHLUESSEL)
    if unbekannt:
        raise SitzungsFehler(
            f"Unbekannter Schlüssel „{unbekannt[0]}“{wo}. Erlaubt sind: {', '.join(sorted(_ANSICHT_SCHLUESSEL))}."
        )
    if "titel" not in roh:
        raise SitzungsFehler(f"Der Pflichtschlüssel „titel“ fehlt{wo}.")
    if "seite" not in roh:
        raise SitzungsFehler(f"Der Pflichtschlüssel „seite“ fehlt{wo}.")
    gebiete = roh.get("gebiete", [])
    if isinstance(gebiete, str):
        gebiete = [gebiete]
    if not isinstance(gebiete, list):
        raise SitzungsFehler(f"„gebiete“{wo} muss eine Liste sein, z. B. [\"0101\", \"0102\"].")

    def opt(name: str) -> str | None:
        w = roh.get(name)
        if w is None:
            return None
        if isinstance(w, (int, float)) and not isinstance(w, bool):
            w = str(w)  # periode = 2024 statt "2024"
        if not isinstance(w, str):
            raise SitzungsFehler(f"„{name}“{wo} muss ein Text sein.")
        return w

    a = Ansicht(
        titel=roh["titel"],
        seite=str(roh["seite"]),
        ebene=opt("ebene"),
        indikator=opt("indikator"),
        gebiete=tuple(str(g) for g in gebiete),
        index=opt("index"),
        periode=opt("periode"),
        text=roh.get("text", ""),
        **{n: opt(n) for n in (*LUECKEN_FELDER, *UEBERGANG_FELDER)},
    )
    ansicht_validieren(a, wo)
    return a


def sitzung_aus_toml(text: str, datei: str | None = None) -> Sitzung:
    """Eine Sitzung aus TOML-Text lesen und prüfen."""
    try:
        roh = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise SitzungsFehler(
            "Die Sitzungsdatei ist kein gültiges TOML (oft fehlt ein Anführungszeichen oder eine Klammer).",
            datei=datei,
            zeile=int(m.group(1)) if m else None,
        ) from None
    try:
        unbekannt = sorted(set(roh) - _SITZUNG_SCHLUESSEL)
        if unbekannt:
            raise SitzungsFehler(
                f"Unbekannter Schlüssel „{unbekannt[0]}“. Erlaubt sind: {', '.join(sorted(_SITZUNG_SCHLUESSEL))}."
            )
        for pflicht in ("titel", "kommune"):
            if pflicht not in roh:
                raise SitzungsFehler(f"Der Pflichtschlüssel „{pflicht}“ fehlt.")
        titel = _text_pruefen(roh["titel"], "titel", MAX_TITEL, pflicht=True)
        kommune = roh["kommune"]
        if not isinstance(kommune, str) or not _KOMMUNE_ID.match(kommune):
            raise SitzungsFehler("„kommune“ muss eine Kurz-ID sein, z. B. „musterstadt“ oder „berlin“.")
        beschreibung = _text_pruefen(roh.get("beschreibung", ""), "beschreibung", MAX_TEXT)
        eintraege = roh.get("ansicht", [])
        if not isinstance(eintraege, list) or not eintraege:
            raise SitzungsFehler("Die Sitzung braucht mindestens eine [[ansicht]].")
        if len(eintraege) > MAX_ANSICHTEN:
            raise SitzungsFehler(f"Eine Sitzung hat höchstens {MAX_ANSICHTEN} Ansichten.")
        ansichten = tuple(_ansicht_aus_dict(e, i + 1) for i, e in enumerate(eintraege))
    except SitzungsFehler as f:
        if datei and not f.datei:
            raise SitzungsFehler(f.meldung, datei=datei) from None
        raise
    return Sitzung(titel=titel, kommune=kommune, ansichten=ansichten, beschreibung=beschreibung)


def sitzung_laden(pfad: str | Path) -> Sitzung:
    """Eine Sitzungsdatei laden (UTF-8)."""
    pfad = Path(pfad)
    if not pfad.is_file():
        raise SitzungsFehler(f"Die Sitzungsdatei „{pfad}“ gibt es nicht.")
    try:
        text = pfad.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SitzungsFehler("Die Sitzungsdatei ist nicht UTF-8-kodiert.", datei=pfad.name) from None
    return sitzung_aus_toml(text, datei=pfad.name)


def _toml_wert(w: Any) -> str:
    if isinstance(w, (list, tuple)):
        return "[" + ", ".join(_toml_wert(x) for x in w) + "]"
    return json.dumps(w, ensure_ascii=False)  # JSON-Zeichenketten sind gültige TOML-Basic-Strings


def sitzung_als_toml(sitzung: Sitzung) -> str:
    """Die Sitzung als TOML-Text (liest sich mit `sitzung_aus_toml` wieder identisch ein)."""
    zeilen = [f"titel = {_toml_wert(sitzung.titel)}", f"kommune = {_toml_wert(sitzung.kommune)}"]
    if sitzung.beschreibung:
        zeilen.append(f"beschreibung = {_toml_wert(sitzung.beschreibung)}")
    for a in sitzung.ansichten:
        zeilen += ["", "[[ansicht]]", f"titel = {_toml_wert(a.titel)}", f"seite = {_toml_wert(a.seite)}"]
        for name in ("ebene", "indikator", "index", "periode", *LUECKEN_FELDER, *UEBERGANG_FELDER):
            w = getattr(a, name)
            if w is not None:
                zeilen.append(f"{name} = {_toml_wert(w)}")
        if a.gebiete:
            zeilen.append(f"gebiete = {_toml_wert(list(a.gebiete))}")
        if a.text:
            zeilen.append(f"text = {_toml_wert(a.text)}")
    return "\n".join(zeilen) + "\n"


def sitzung_speichern(sitzung: Sitzung, pfad: str | Path) -> None:
    """Die Sitzung als TOML-Datei speichern (vorher geprüft)."""
    for i, a in enumerate(sitzung.ansichten):
        ansicht_validieren(a, f" in Ansicht {i + 1}")
    Path(pfad).write_text(sitzung_als_toml(sitzung), encoding="utf-8")


#: Unterordner einer Kommune mit ihren Sitzungsabläufen
KOMMUNE_SITZUNGEN = "sitzungen"


def beispiel_sitzung(kommune_id: str) -> Sitzung:
    """Der hinterlegte Ablauf einer mitgelieferten Kommune (Kurzname wie „berlin“) aus ihrem eigenen Ordner."""
    if not _KOMMUNE_ID.match(kommune_id):
        raise SitzungsFehler(f"Ungültige Kommune „{kommune_id[:40]}“.")
    kommune_ordner(kommune_id)  # unbekannte Kurznamen: KommuneFehler
    texte = ablage().sitzungen(kommune_id)
    if not texte:
        raise SitzungsFehler(f"Für „{kommune_id}“ ist kein Sitzungsablauf hinterlegt (Ordner „{KOMMUNE_SITZUNGEN}/“).")
    name = min(texte)
    return sitzung_aus_toml(texte[name], datei=name)


def kurz_id(kommune_id: str) -> str:
    """Die Kurz-ID für Sitzungsdateien: „musterstadt“, „berlin“ – oder aus dem Namen des eigenen Ordners."""
    if _KOMMUNE_ID.match(kommune_id):
        return kommune_id
    text = re.sub(r"[^a-z0-9_\-]+", "-", Path(kommune_id).name.lower()).strip("-_")
    return (text if text[:1].isalpha() else f"kommune-{text}".strip("-"))[:64]


def sitzung_fuer(kommune: Kommune, kommune_id: str) -> Sitzung:
    """Der Ablauf einer Kommune: der erste aus `<Ordner der Kommune>/sitzungen/*.toml` (auch für die
    mitgelieferten), sonst eine Standardfolge aus ihren eigenen Daten.

    Eine Kommune aus ihrem eigenen Ordner hat als `kommune_id` einen Pfad; das ist keine Kurz-ID und
    war bis hierher der Grund für „Ungültige Kommune“.
    """
    from indices.presets import kennung

    eigene = ablage().sitzungen(kennung(kommune))
    if eigene:
        name = min(eigene)
        return sitzung_aus_toml(eigene[name], datei=name)
    return standard_sitzung(kommune, kommune_id)


def standard_sitzung(kommune: Kommune, kommune_id: str) -> Sitzung:
    """Eine Standardfolge ohne hinterlegten Ablauf: Karte, Profil und Vergleich auf der Standardebene."""
    konf = kommune.konfiguration
    ebene = konf.standard_ebene or konf.ebenen[0].id
    gebiete = kommune.gebiete[ebene].sort_values("name")
    mit_werten = kommune.katalog.index.intersection(list(dict.fromkeys(kommune.indikatoren["indikator"])))
    anteile = [i for i in mit_werten if kommune.katalog.at[i, "art"] != "anzahl"]
    ansichten = []
    if len(mit_werten):
        indikator = (anteile or list(mit_werten))[0]
        name = kommune.katalog.at[indikator, "name"]
        ansichten.append(Ansicht(f"{name} je {kommune.schicht(ebene).name}"[:MAX_TITEL], "karte", ebene, indikator))
    if len(gebiete):
        erstes = gebiete.index[0]
        if _ID.match(erstes):
            ansichten.append(Ansicht(f"Profil: {gebiete.at[erstes, 'name']}"[:MAX_TITEL], "gebietsprofil", ebene,
                                     gebiete=(erstes,)))
    vergleich = tuple(g for g in gebiete.index[:3] if _ID.match(g))
    if len(vergleich) >= 2:
        ansichten.append(Ansicht("Vergleich", "vergleich", ebene, gebiete=vergleich))
    if not ansichten:
        raise SitzungsFehler(f"Für {kommune.name} lässt sich kein Ablauf zusammenstellen (keine Gebiete).")
    titel = _text_ohne_klammern(f"Ausschusssitzung {kommune.name}")[:MAX_TITEL]
    return Sitzung(titel, kurz_id(kommune_id), tuple(replace(a, titel=_text_ohne_klammern(a.titel)) for a in ansichten))


def _text_ohne_klammern(text: str) -> str:
    """Spitze Klammern sind in Sitzungstexten verboten (Namen aus Geodaten können sie enthalten)."""
    return text.replace("<", "").replace(">", "").strip() or "Ansicht"


# ---------------------------------------------------------------------------------------------
# URL
# ---------------------------------------------------------------------------------------------


def kommune_parameter(kommune_id: str) -> dict[str, str]:
    """Der URL-Parameter der Kommune: ein Kurzname steht im Link; eine Kommune aus ihrem eigenen Ordner (ID =
    Pfad) ist die des Servers – der Link nennt keinen Pfad."""
    return {"kommune": kommune_id} if _KOMMUNE_ID.match(kommune_id) else {}


def ansicht_zu_query(ansicht: Ansicht, kommune_id: str, *, mit_text: bool = True) -> dict[str, str]:
    """Die URL-Parameter einer Ansicht (ohne leere Werte). `mit_text=False` für kurze QR-Codes."""
    ansicht_validieren(ansicht)
    q = kommune_parameter(kommune_id)
    q["seite"] = ansicht.seite
    for name in ("ebene", "periode", "indikator", "index", *LUECKEN_FELDER, *UEBERGANG_FELDER):
        w = getattr(ansicht, name)
        if w is not None:
            q[name] = w
    if len(ansicht.gebiete) == 1:
        q["gebiet"] = ansicht.gebiete[0]
    elif ansicht.gebiete:
        q["gebiete"] = ",".join(ansicht.gebiete)
    q["titel"] = ansicht.titel
    if mit_text and ansicht.text:
        q["text"] = ansicht.text
    return q


def _einzeln(params: Mapping[str, Any], name: str) -> str | None:
    if name not in params:
        return None
    w = params[name]
    if isinstance(w, (list, tuple)):
        if len(w) != 1:
            raise SitzungsFehler(f"Der URL-Parameter „{name}“ darf nur einmal vorkommen.")
        w = w[0]
    if not isinstance(w, str):
        raise SitzungsFehler(f"Der URL-Parameter „{name}“ muss Text sein.")
    return w


def kommune_aus_query(params: Mapping[str, Any]) -> str:
    """Die Kommune-ID aus den URL-Parametern (geprüft; kein Pfad)."""
    k = _einzeln(params, "kommune")
    if k is None:
        raise SitzungsFehler("In der Adresse fehlt die Kommune („kommune=…“).")
    if not _KOMMUNE_ID.match(k):
        raise SitzungsFehler(f"Die Kommune „{k[:40]}“ in der Adresse ist ungültig.")
    return k


def query_zu_ansicht(params: Mapping[str, Any], *, streng: bool = True) -> Ansicht:
    """Eine Ansicht aus URL-Parametern (z. B. `st.query_params.to_dict()`), streng geprüft.

    Unbekannte Parameter werden abgewiesen (`streng=False`: ignoriert); Parameter der App
    (`FREMDE_SCHLUESSEL`) werden immer ignoriert.
    """
    if streng:
        unbekannt = sorted(set(params) - set(URL_SCHLUESSEL) - FREMDE_SCHLUESSEL)
        if unbekannt:
            raise SitzungsFehler(f"Der URL-Parameter „{str(unbekannt[0])[:40]}“ ist unbekannt.")
    if "kommune" in params:
        kommune_aus_query(params)
    seite = _einzeln(params, "seite")
    if seite is None:
        raise SitzungsFehler("In der Adresse fehlt die Seite („seite=…“).")
    gebiet = _einzeln(params, "gebiet")
    gebiete_text = _einzeln(params, "gebiete")
    if gebiet is not None and gebiete_text is not None:
        raise SitzungsFehler("Die Adresse darf nur „gebiet“ oder „gebiete“ enthalten, nicht beides.")
    if gebiet is not None:
        gebiete: tuple[str, ...] = (gebiet,)
    elif gebiete_text is not None:
        gebiete = tuple(gebiete_text.split(","))
        if len(gebiete) < 2:
            raise SitzungsFehler("„gebiete“ in der Adresse braucht mindestens zwei kommagetrennte Gebiete.")
    else:
        gebiete = ()
    titel = _einzeln(params, "titel")
    a = Ansicht(
        titel=titel if titel is not None else SEITEN.get(seite, "Ansicht"),
        seite=seite,
        ebene=_einzeln(params, "ebene"),
        indikator=_einzeln(params, "indikator"),
        gebiete=gebiete,
        index=_einzeln(params, "index"),
        periode=_einzeln(params, "periode"),
        text=_einzeln(params, "text") or "",
        **{n: _einzeln(params, n) for n in (*LUECKEN_FELDER, *UEBERGANG_FELDER)},
    )
    ansicht_validieren(a, " in der Adresse")
    return a


#: Umgebungsvariable mit der Adresse, unter der das Publikum die App erreicht (vor `[sitzung] basis_url`).
OEFFENTLICHE_URL_VARIABLE = "BILDUNGSMONITOR_OEFFENTLICHE_URL"
#: Rechnernamen, die nur auf dem vorführenden Rechner selbst funktionieren.
NUR_LOKAL = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0", "[::1]"})
_SITZUNG_ABSCHNITT = {"basis_url"}


@dataclass(frozen=True)
class Linkbasis:
    """Woher Link und QR-Code ihre Adresse nehmen.

    `adresse` ist die Seitenadresse des Sitzungsmodus ohne `?` (z. B. „https://monitor.example.de/sitzung“);
    `teilbar` sagt, ob andere Geräte sie erreichen (sonst kein QR-Code, sondern `hinweis`).
    """

    adresse: str
    teilbar: bool
    hinweis: str = ""


def _basis_pruefen(wert: Any, herkunft: str) -> str:
    """Eine konfigurierte Basisadresse prüfen: http(s), mit Rechnername, ohne `?` und `#`."""
    if not isinstance(wert, str) or not wert.strip():
        raise SitzungsFehler(f"{herkunft} muss eine Adresse wie „https://monitor.example.de“ sein.")
    wert = wert.strip()
    teile = urlsplit(wert)
    if teile.scheme not in ("http", "https") or not teile.netloc or teile.query or teile.fragment:
        raise SitzungsFehler(
            f"{herkunft} „{wert[:80]}“ ist keine gültige Adresse: erwartet wird z. B. „https://monitor.example.de“ "
            "(mit http:// oder https://, ohne ? und #)."
        )
    if any(c.isspace() or c in '<>"' for c in wert):
        raise SitzungsFehler(f"{herkunft} darf keine Leerzeichen, Anführungszeichen oder spitzen Klammern enthalten.")
    return wert.rstrip("/")


def basis_url_aus_konfiguration(kommune: Kommune) -> str | None:
    """`basis_url` aus dem Abschnitt `[sitzung]` der kommune.toml (geprüft), sonst None."""
    roh = kommune.konfiguration.erweiterung("sitzung", _SITZUNG_ABSCHNITT, SitzungsFehler)
    if "basis_url" not in roh:
        return None
    return _basis_pruefen(roh["basis_url"], "„basis_url“ in [sitzung]")


def _nur_lokal(rechner: str | None) -> bool:
    if not rechner:
        return True
    return rechner.lower() in NUR_LOKAL or rechner.startswith("127.")


def link_basis(
    seitenadresse: str | None, *, umgebung: str | None = None, konfiguriert: str | None = None, seite: str = "sitzung"
) -> Linkbasis:
    """Die Adresse für Link und QR-Code: zuerst `umgebung` (BILDUNGSMONITOR_OEFFENTLICHE_URL), dann
    `konfiguriert` (`[sitzung] basis_url`), sonst die Adresse, unter der der Browser die App gerade öffnet.

    Ist nur localhost/127.0.0.1 bekannt, ist der Link nicht `teilbar`: Ein QR-Code darauf öffnet auf dem
    Handy eines Ausschussmitglieds nichts; `hinweis` sagt dann auf Deutsch, was einzustellen ist.
    Eine ungültige Einstellung ist ein SitzungsFehler (deutscher Satz).
    """
    if umgebung is not None and umgebung.strip():
        return Linkbasis(f"{_basis_pruefen(umgebung, OEFFENTLICHE_URL_VARIABLE)}/{seite}", True)
    if konfiguriert is not None:
        return Linkbasis(f"{_basis_pruefen(konfiguriert, '„basis_url“ in [sitzung]')}/{seite}", True)
    teile = urlsplit(seitenadresse or "")
    if teile.scheme in ("http", "https") and teile.netloc:
        adresse = f"{teile.scheme}://{teile.netloc}/{seite}"
    else:
        adresse, teile = f"http://localhost:8501/{seite}", urlsplit("http://localhost:8501")
    if not _nur_lokal(teile.hostname):
        return Linkbasis(adresse, True)
    return Linkbasis(
        adresse,
        False,
        "Dieser Link führt nur auf diesem Rechner zur App (localhost), auf anderen Geräten öffnet er nichts – "
        "deshalb gibt es keinen QR-Code. Damit das Publikum die Ansicht öffnen kann, die öffentliche Adresse "
        f"der App einstellen: Umgebungsvariable {OEFFENTLICHE_URL_VARIABLE} oder `basis_url` im Abschnitt "
        "`[sitzung]` der kommune.toml (z. B. „https://monitor.example.de“).",
    )


def _gleicher_schritt(a: Ansicht, b: Ansicht) -> bool:
    """Beschreiben beide Ansichten denselben Schritt (Ebene und Gebiete dürfen live geändert sein)?"""
    felder = ("seite", "titel", "indikator", "index", "periode", *LUECKEN_FELDER, *UEBERGANG_FELDER)
    return all(getattr(a, f) == getattr(b, f) for f in felder)


def ansicht_aus_link(link: Ansicht, sitzung: Sitzung, schritt: int) -> Ansicht:
    """Die Ansicht eines geöffneten Links: gehört sie zu einem Schritt der Sitzung (bevorzugt `schritt`),
    bekommt sie dessen Einleitungstext, falls der Link keinen trägt – so zeigt der Link genau, was beim
    Weiterblättern zu sehen ist. Ebene und Gebiete des Links (live geändert) bleiben erhalten."""
    if link.text or not sitzung.ansichten:
        return link
    kandidaten = [sitzung.schritt(schritt), *sitzung.ansichten]
    treffer = next((a for a in kandidaten if _gleicher_schritt(a, link)), None)
    return replace(link, text=treffer.text) if treffer is not None else link


def link_braucht_text(ansicht: Ansicht, sitzung: Sitzung, standard: Sitzung | None) -> bool:
    """Muss der Link den Einleitungstext selbst tragen? Nur wenn das Zielgerät ihn nicht aus dem
    Standardablauf der Kommune (`standard`) ergänzen kann (eigener oder hochgeladener Ablauf)."""
    if not ansicht.text:
        return False
    if standard is None:
        return True
    return not any(_gleicher_schritt(a, ansicht) and a.text == ansicht.text for a in standard.ansichten)


def ansicht_url(basis: str, ansicht: Ansicht, kommune_id: str, *, mit_text: bool = False) -> str:
    """Vollständige Adresse einer Ansicht, z. B. für den QR-Code (`basis` = Seitenadresse ohne `?`)."""
    return f"{basis}?{urlencode(ansicht_zu_query(ansicht, kommune_id, mit_text=mit_text))}"


def qr_svg(url: str, *, massstab: int = 4, titel: str = "QR-Code zur aktuellen Ansicht") -> str:
    """Ein QR-Code als SVG-Text (segno, offline), mit Titel für Screenreader."""
    import segno

    if not isinstance(url, str) or not url or len(url) > 2000:
        raise SitzungsFehler("Die Adresse für den QR-Code ist leer oder länger als 2.000 Zeichen.")
    qr = segno.make(url, error="m", micro=False)
    puffer = io.BytesIO()
    qr.save(puffer, kind="svg", scale=massstab, border=4, xmldecl=False, svgns=True, title=titel, nl=False)
    return puffer.getvalue().decode("utf-8")


__all__ = [
    "KOMMUNE_SITZUNGEN",
    "LUECKEN_FELDER",
    "LUECKEN_MASSE",
    "OEFFENTLICHE_URL_VARIABLE",
    "SEITEN",
    "UEBERGANG_FELDER",
    "URL_SCHLUESSEL",
    "Ansicht",
    "Linkbasis",
    "Sitzung",
    "SitzungsFehler",
    "ansicht_aus_link",
    "ansicht_pruefen",
    "ansicht_url",
    "ansicht_validieren",
    "ansicht_zu_query",
    "basis_url_aus_konfiguration",
    "beispiel_sitzung",
    "kommune_aus_query",
    "kurz_id",
    "link_basis",
    "link_braucht_text",
    "luecke_familie",
    "qr_svg",
    "query_zu_ansicht",
    "sitzung_als_toml",
    "sitzung_aus_toml",
    "sitzung_fuer",
    "sitzung_laden",
    "sitzung_pruefen",
    "sitzung_speichern",
    "standard_sitzung",
]

"""Die Index-Definition als Daten: unveränderlich, hashbar, als TOML lesbar und schreibbar.

Eine Definition enthält alles, was nötig ist, um ein Ergebnis Jahre später nachzurechnen:
Indikatoren mit Gewicht und Richtung, Standardisierung, Gewichtung, Aggregation, Klassierung,
Mindestbevölkerung, Gültigkeitsmerkmal, Ebene und Periode.

Richtung eines Indikators (wie im Indikatorenkatalog): ``1`` = ein höherer Rohwert bedeutet mehr
Bedarf bzw. Benachteiligung, ``-1`` = ein höherer Rohwert bedeutet weniger Bedarf (z. B. eine
Betreuungsquote). Die Familie des Index legt fest, wie der Score zu lesen ist:

* ``benachteiligung``: höherer Score = mehr Benachteiligung (Vorzeichen = Richtung),
* ``teilhabe``: höherer Score = mehr Teilhabe (Vorzeichen = −Richtung).
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from kommune.fehler import KommuneFehler

FAMILIEN = {"benachteiligung": "Benachteiligung", "teilhabe": "Teilhabe"}
STANDARDISIERUNGEN = {
    "z": "z-Wert (Mittelwert 0, Standardabweichung 1)",
    "minmax": "Min-Max (0 bis 1)",
    "rang": "Perzentilrang (0 bis 100)",
    "robust_z": "robuster z-Wert (Median, MAD)",
}
AGGREGATIONEN = {"arithmetisch": "gewichtetes arithmetisches Mittel", "geometrisch": "gewichtetes geometrisches Mittel"}
GEWICHTUNGEN = {
    "manuell": "eigene Gewichte (normiert)",
    "gleich": "gleiche Gewichte",
    "pca": "datengestützt (Hauptkomponentenanalyse)",
}
KLASSENMETHODEN = {
    "sd": "Standardabweichung um den Mittelwert",
    "quantile": "Quantile (gleich viele Gebiete je Klasse)",
    "fisher_jenks": "Natürliche Brüche (Fisher-Jenks)",
    "equal_interval": "Gleiche Abstände",
    "breaks": "eigene Klassengrenzen",
}
FEHLWERTE = {"nicht_bewerten": "Gebiete mit fehlendem Wert werden nicht bewertet (keine Ersetzung)."}


class DefinitionFehler(KommuneFehler):
    """Eine Index-Definition ist unvollständig oder widersprüchlich."""


class IndikatorEintrag(NamedTuple):
    """Ein Indikator im Index: ID, Gewicht (≥ 0, wird normiert) und Richtung (1 oder −1, wie im Katalog)."""

    id: str
    gewicht: float = 1.0
    richtung: int = 1


@dataclass(frozen=True)
class Klassierung:
    """Klassenbildung des Scores.

    * ``sd``: Grenzen = Mittelwert + Schwelle × Standardabweichung des Scores (bewertete Gebiete);
      ``schwellen`` in Standardabweichungen, z. B. (−1, 1, 1,5) → 4 Klassen.
    * ``breaks``: ``schwellen`` sind Klassengrenzen in Score-Einheiten.
    * ``quantile``, ``fisher_jenks``, ``equal_interval``: ``k`` Klassen.

    Eine Grenze gehört zur unteren Klasse (wie bei mapclassify). Klasse 1 hat die niedrigsten Scores.
    ``codes`` sind optionale Klassennummern (z. B. 1, 3, 5 wie im MSS-Dynamikindex), sonst 1…n;
    ``labels`` optionale Klassennamen, ``farbschema`` ein ColorBrewer-Name als Hinweis für die Karte.
    """

    methode: str = "quantile"
    k: int = 5
    schwellen: tuple[float, ...] = ()
    labels: tuple[str, ...] = ()
    codes: tuple[int, ...] = ()
    farbschema: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "schwellen", tuple(float(s) for s in self.schwellen))
        object.__setattr__(self, "labels", tuple(str(s) for s in self.labels))
        object.__setattr__(self, "codes", tuple(int(c) for c in self.codes))
        object.__setattr__(self, "k", int(self.k))
        if self.methode not in KLASSENMETHODEN:
            raise DefinitionFehler(
                f"Die Klassierung „{self.methode}“ ist unbekannt (erlaubt: {', '.join(KLASSENMETHODEN)})."
            )
        if self.methode in ("sd", "breaks"):
            if not self.schwellen:
                raise DefinitionFehler(f"Die Klassierung „{self.methode}“ braucht mindestens eine Schwelle.")
            if any(not math.isfinite(s) for s in self.schwellen) or list(self.schwellen) != sorted(set(self.schwellen)):
                raise DefinitionFehler("Die Klassenschwellen müssen endliche, aufsteigende, verschiedene Zahlen sein.")
        elif not 2 <= self.k <= 12:
            raise DefinitionFehler(f"Die Klassenzahl muss zwischen 2 und 12 liegen, nicht {self.k}.")
        n = self.anzahl
        if self.labels and len(self.labels) != n:
            raise DefinitionFehler(f"Es sind {len(self.labels)} Klassennamen angegeben, aber es gibt {n} Klassen.")
        if self.codes and (len(self.codes) != n or len(set(self.codes)) != n):
            raise DefinitionFehler(f"Es braucht {n} verschiedene Klassennummern, angegeben sind {len(self.codes)}.")

    @property
    def anzahl(self) -> int:
        """Die (höchste) Zahl der Klassen."""
        return len(self.schwellen) + 1 if self.methode in ("sd", "breaks") else self.k

    @property
    def klassen_codes(self) -> tuple[int, ...]:
        """Die Klassennummern (``codes`` oder 1…n)."""
        return self.codes or tuple(range(1, self.anzahl + 1))


@dataclass(frozen=True)
class IndexDefinition:
    """Ein zusammengesetzter Index, vollständig beschrieben (hashbar, daher als Cache-Schlüssel geeignet)."""

    id: str
    name: str
    indikatoren: tuple[IndikatorEintrag, ...]
    familie: str = "benachteiligung"
    beschreibung: str = ""
    standardisierung: str = "z"
    gewichtung: str = "manuell"
    aggregation: str = "arithmetisch"
    restandardisieren: bool = False
    klassierung: Klassierung = field(default_factory=Klassierung)
    mindest_einwohner: float = 0.0
    bevoelkerung_indikator: str | None = None
    gueltigkeit: str | None = None
    ebene: str | None = None
    periode: str | None = None
    fehlwerte: str = "nicht_bewerten"
    quelle: str = ""

    def __post_init__(self) -> None:
        eintraege = tuple(_eintrag(e) for e in self.indikatoren)
        object.__setattr__(self, "indikatoren", eintraege)
        if isinstance(self.klassierung, Mapping):
            object.__setattr__(self, "klassierung", Klassierung(**dict(self.klassierung)))
        object.__setattr__(self, "mindest_einwohner", float(self.mindest_einwohner or 0))
        for name in ("bevoelkerung_indikator", "gueltigkeit", "ebene", "periode"):
            if getattr(self, name) == "":
                object.__setattr__(self, name, None)
        if self.periode is not None:
            object.__setattr__(self, "periode", str(self.periode))
        if not str(self.id).strip():
            raise DefinitionFehler("Die Index-ID ist leer.")
        for feld_name, erlaubt in (
            ("familie", FAMILIEN),
            ("standardisierung", STANDARDISIERUNGEN),
            ("gewichtung", GEWICHTUNGEN),
            ("aggregation", AGGREGATIONEN),
            ("fehlwerte", FEHLWERTE),
        ):
            wert = getattr(self, feld_name)
            if wert not in erlaubt:
                raise DefinitionFehler(
                    f"Der Wert „{wert}“ für „{feld_name}“ ist unbekannt (erlaubt: {', '.join(erlaubt)})."
                )
        if not eintraege:
            raise DefinitionFehler(f"Der Index „{self.name}“ enthält keinen Indikator.")
        ids = [e.id for e in eintraege]
        doppelt = sorted({i for i in ids if ids.count(i) > 1})
        if doppelt:
            raise DefinitionFehler(f"Der Indikator „{doppelt[0]}“ steht mehrfach im Index.")
        if self.gewichtung == "manuell" and sum(e.gewicht for e in eintraege) <= 0:
            raise DefinitionFehler("Mindestens ein Gewicht muss größer als 0 sein.")
        if self.mindest_einwohner < 0 or not math.isfinite(self.mindest_einwohner):
            raise DefinitionFehler("Die Mindestbevölkerung muss eine Zahl ≥ 0 sein.")
        if self.mindest_einwohner > 0 and not self.bevoelkerung_indikator:
            raise DefinitionFehler("Für eine Mindestbevölkerung muss ein Bevölkerungsindikator angegeben sein.")

    # -- Ableitungen -------------------------------------------------------------------------

    @property
    def indikator_ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.indikatoren)

    @property
    def vorzeichen(self) -> tuple[int, ...]:
        """Vorzeichen je Indikator, mit dem der Rohwert in Score-Richtung gedreht wird."""
        f = 1 if self.familie == "benachteiligung" else -1
        return tuple(e.richtung * f for e in self.indikatoren)

    @property
    def lesart(self) -> str:
        """Kurzer Satz für die Oberfläche, z. B. „höherer Wert = mehr Benachteiligung“."""
        return f"höherer Wert = mehr {FAMILIEN[self.familie]}"

    def benoetigte_indikatoren(self) -> tuple[str, ...]:
        """Alle Indikatoren, deren Werte die Berechnung braucht (auch Bevölkerung und Gültigkeit)."""
        extra = [i for i in (self.bevoelkerung_indikator, self.gueltigkeit) if i and i not in self.indikator_ids]
        return self.indikator_ids + tuple(dict.fromkeys(extra))

    def mit(self, **aenderungen: Any) -> IndexDefinition:
        """Eine geänderte Kopie (z. B. ``d.mit(standardisierung="rang")``)."""
        return dataclasses.replace(self, **aenderungen)

    def mit_gewichten(self, gewichte: Mapping[str, float]) -> IndexDefinition:
        """Eine Kopie mit neuen Gewichten für die genannten Indikatoren."""
        neu = tuple(e._replace(gewicht=float(gewichte.get(e.id, e.gewicht))) for e in self.indikatoren)
        return dataclasses.replace(self, indikatoren=neu)

    # -- TOML ----------------------------------------------------------------------------------

    def als_dict(self) -> dict[str, Any]:
        """Die Definition als verschachteltes Wörterbuch (Reihenfolge wie in der TOML-Datei)."""
        d: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            if f.name in ("indikatoren", "klassierung"):
                continue
            wert = getattr(self, f.name)
            if wert is not None:
                d[f.name] = wert
        d["klassierung"] = {
            f.name: getattr(self.klassierung, f.name)
            for f in dataclasses.fields(self.klassierung)
            if getattr(self.klassierung, f.name) not in ((), "")
        }
        d["indikator"] = [
            {"id": e.id, "gewicht": float(e.gewicht), "richtung": int(e.richtung)} for e in self.indikatoren
        ]
        return d

    @classmethod
    def aus_dict(cls, daten: Mapping[str, Any], *, datei: str | None = None) -> IndexDefinition:
        """Aus einem Wörterbuch (z. B. gelesenem TOML) bauen; unbekannte Felder sind ein Fehler."""
        daten = dict(daten)
        erlaubt = {f.name for f in dataclasses.fields(cls)} | {"indikator"}
        unbekannt = sorted(set(daten) - erlaubt)
        if unbekannt:
            raise DefinitionFehler(f"Das Feld „{unbekannt[0]}“ ist in einer Index-Definition unbekannt.", datei=datei)
        for pflicht in ("id", "name", "indikator"):
            if pflicht not in daten:
                raise DefinitionFehler(f"Das Pflichtfeld „{pflicht}“ fehlt.", datei=datei)
        klassen = daten.pop("klassierung", {})
        erlaubt_k = {f.name for f in dataclasses.fields(Klassierung)}
        fremd = sorted(set(klassen) - erlaubt_k)
        if fremd:
            raise DefinitionFehler(f"Das Feld „klassierung.{fremd[0]}“ ist unbekannt.", datei=datei)
        indikatoren = daten.pop("indikator")
        try:
            return cls(indikatoren=tuple(indikatoren), klassierung=Klassierung(**klassen), **daten)
        except DefinitionFehler as e:
            raise DefinitionFehler(e.meldung, datei=datei) from None
        except (TypeError, ValueError) as e:
            raise DefinitionFehler(f"Die Index-Definition ist fehlerhaft ({e}).", datei=datei) from None

    def als_toml(self) -> str:
        """Die Definition als TOML-Text (von :func:`definition_aus_toml` wieder lesbar)."""
        return _toml_schreiben(self.als_dict())


def _eintrag(e: Any) -> IndikatorEintrag:
    if isinstance(e, IndikatorEintrag):
        roh = e
    elif isinstance(e, Mapping):
        unbekannt = sorted(set(e) - {"id", "gewicht", "richtung"})
        if unbekannt:
            raise DefinitionFehler(f"Das Feld „indikator.{unbekannt[0]}“ ist unbekannt.")
        if "id" not in e:
            raise DefinitionFehler("Ein Indikator im Index hat keine ID.")
        roh = IndikatorEintrag(e["id"], e.get("gewicht", 1.0), e.get("richtung", 1))
    elif isinstance(e, str):
        roh = IndikatorEintrag(e)
    else:
        roh = IndikatorEintrag(*e)
    try:
        gewicht = float(roh.gewicht)
        richtung = int(roh.richtung)
    except (TypeError, ValueError):
        raise DefinitionFehler(f"Gewicht oder Richtung von „{roh.id}“ ist keine Zahl.") from None
    if not math.isfinite(gewicht) or gewicht < 0:
        raise DefinitionFehler(f"Das Gewicht von „{roh.id}“ muss eine Zahl ≥ 0 sein, nicht {roh.gewicht}.")
    if richtung not in (1, -1):
        raise DefinitionFehler(
            f"Die Richtung von „{roh.id}“ muss 1 (mehr = mehr Bedarf) oder −1 (mehr = weniger Bedarf) sein."
        )
    return IndikatorEintrag(str(roh.id).strip(), gewicht, richtung)


# -- TOML lesen und schreiben -----------------------------------------------------------------


def definition_aus_toml(text: str, *, datei: str | None = None) -> IndexDefinition:
    """Eine Definition aus TOML-Text lesen."""
    try:
        daten = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise DefinitionFehler(f"Die TOML-Datei ist nicht lesbar ({e}).", datei=datei) from None
    return IndexDefinition.aus_dict(daten, datei=datei)


def definition_laden(pfad: str | Path) -> IndexDefinition:
    """Eine Definition aus einer TOML-Datei lesen."""
    pfad = Path(pfad)
    try:
        text = pfad.read_text(encoding="utf-8")
    except OSError:
        raise DefinitionFehler("Die Index-Definition ist nicht lesbar.", datei=str(pfad)) from None
    return definition_aus_toml(text, datei=pfad.name)


def definition_speichern(definition: IndexDefinition, pfad: str | Path) -> Path:
    """Eine Definition als TOML-Datei schreiben (UTF-8)."""
    pfad = Path(pfad)
    pfad.write_text(definition.als_toml(), encoding="utf-8")
    return pfad


def _toml_wert(wert: Any) -> str:
    if isinstance(wert, bool):
        return "true" if wert else "false"
    if isinstance(wert, int):
        return str(wert)
    if isinstance(wert, float):
        if not math.isfinite(wert):
            raise DefinitionFehler("Unendliche oder fehlende Zahlen lassen sich nicht als TOML speichern.")
        return repr(wert)
    if isinstance(wert, str):
        ersetzt = wert.replace("\\", "\\\\").replace('"', '\\"')
        ersetzt = ersetzt.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
        ersetzt = "".join(c if ord(c) >= 0x20 and ord(c) != 0x7F else f"\\u{ord(c):04x}" for c in ersetzt)
        return f'"{ersetzt}"'
    if isinstance(wert, Iterable):
        return "[" + ", ".join(_toml_wert(w) for w in wert) + "]"
    raise DefinitionFehler(f"Der Wert {wert!r} lässt sich nicht als TOML speichern.")


def _toml_schreiben(d: Mapping[str, Any]) -> str:
    """Ein kleiner TOML-Schreiber für die Form einer Index-Definition."""
    zeilen = ["# Bildungsmonitor – Index-Definition (mit `python -m indices` oder im Index-Baukasten nutzbar)", ""]
    tabellen: list[tuple[str, Mapping[str, Any]]] = []
    listen: list[tuple[str, list[Mapping[str, Any]]]] = []
    for schluessel, wert in d.items():
        if isinstance(wert, Mapping):
            tabellen.append((schluessel, wert))
        elif isinstance(wert, list) and wert and all(isinstance(w, Mapping) for w in wert):
            listen.append((schluessel, wert))
        else:
            zeilen.append(f"{schluessel} = {_toml_wert(wert)}")
    for schluessel, tabelle in tabellen:
        zeilen += ["", f"[{schluessel}]"] + [f"{k} = {_toml_wert(v)}" for k, v in tabelle.items()]
    for schluessel, eintraege in listen:
        for eintrag in eintraege:
            zeilen += ["", f"[[{schluessel}]]"] + [f"{k} = {_toml_wert(v)}" for k, v in eintrag.items()]
    return "\n".join(zeilen) + "\n"

"""Einen Index berechnen: Daten sammeln (langsam, cachebar) und rein numerischer Kern (schnell).

    eingaben = eingaben_sammeln(kommune, definition)          # einmal je Ebene/Periode/Indikatorwahl
    ergebnis = index_aus_matrix(eingaben, definition)         # bei jeder Schieberegler-Bewegung
    ergebnis = index_berechnen(kommune, definition)           # beides zusammen

Reihenfolge im Kern:
1. Bewertet wird ein Gebiet nur, wenn es (a) laut Gültigkeitsmerkmal gültig ist, (b) die
   Mindestbevölkerung erreicht und (c) für jeden Indikator einen Wert hat. Es wird nichts ersetzt;
   der Grund steht in der Spalte ``grund`` (der erste zutreffende in dieser Reihenfolge).
2. Rohwerte in Score-Richtung drehen, über die bewerteten Gebiete standardisieren.
3. Gewichte (normiert, gleich oder PCA), aggregieren, optional re-standardisieren.
4. Klassieren, Rang bilden (1 = höchster Score).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from indices.definition import GEWICHTUNGEN, DefinitionFehler, IndexDefinition
from indices.gewichtung import aggregieren, gewichte_normieren, pca_gewichte, restandardisieren, verschiebung
from indices.klassierung import NICHT_BEWERTET, Klassen, klassieren
from indices.standardisierung import konstante_spalten, skala_text, standardisieren
from kommune.fehler import KommuneFehler
from kommune.laden import Kommune
from kommune.werte import neueste_periode, werte

WerteFn = Callable[[Kommune, str, str, str], pd.Series]

GRUND_UNGUELTIG = "in der Quelle ungültig"
GRUND_MINDEST = "unter Mindestbevölkerung"


@dataclass(frozen=True, eq=False)
class Eingaben:
    """Die Rohwerte für eine Ebene: Gebiete × Indikatoren (NaN = kein Wert).

    ``werte`` kann mehr Indikatoren enthalten, als eine Definition braucht: Der Kern wählt seine
    Spalten aus. ``perioden`` nennt je Indikator die tatsächlich verwendete Periode (None = keine).
    """

    werte: pd.DataFrame
    namen: pd.Series
    ebene: str
    perioden: dict[str, str | None] = field(default_factory=dict)
    kommune: str = ""

    @property
    def ids(self) -> pd.Index:
        return self.werte.index


@dataclass(frozen=True, eq=False)
class IndexErgebnis:
    """Ergebnis einer Index-Berechnung.

    ``tabelle`` (Index = Gebiets-ID, Reihenfolge wie die Ebene): ``name``, ``score`` (NaN = nicht
    bewertet), ``klasse`` (Int64, <NA> = nicht bewertet), ``klasse_label``, ``rang`` (Int64,
    1 = höchster Score), ``bewertet`` (bool), ``grund`` (leer oder deutscher Grund), je Indikator
    ``std_<id>`` (standardisiert, in Score-Richtung) und ``wert_<id>`` (Rohwert).
    """

    tabelle: pd.DataFrame
    definition: IndexDefinition
    lesart: str
    skala: str
    gewichte: pd.Series
    klassen_codes: tuple[int, ...]
    klassen_labels: tuple[str, ...]
    klassengrenzen: tuple[float, ...]
    ebene: str
    perioden: dict[str, str | None]
    erklaerte_varianz: tuple[float, ...] | None = None
    verschiebung: float | None = None
    hinweise: tuple[str, ...] = ()

    @property
    def bewertet(self) -> pd.DataFrame:
        """Nur die bewerteten Gebiete."""
        return self.tabelle[self.tabelle["bewertet"]]

    @property
    def anzahl_bewertet(self) -> int:
        return int(self.tabelle["bewertet"].sum())

    @property
    def klassen_anzahl(self) -> pd.Series:
        """Zahl der Gebiete je Klasse (Index = Klassenname, in Klassenreihenfolge)."""
        zaehlung = self.tabelle["klasse"].value_counts()
        return pd.Series(
            [int(zaehlung.get(c, 0)) for c in self.klassen_codes], index=list(self.klassen_labels), name="gebiete"
        )

    @property
    def fehlwert_text(self) -> str:
        """Die Fehlwert-Regel als Satz, für die Anzeige."""
        from indices.definition import FEHLWERTE

        return FEHLWERTE[self.definition.fehlwerte]


def ebene_waehlen(kommune: Kommune, definition: IndexDefinition, ebene: str | None = None) -> str:
    """Ebene aus Argument, Definition oder Standardebene der Kommune; prüft, dass es sie gibt."""
    gewaehlt = ebene or definition.ebene or kommune.konfiguration.standard_ebene or kommune.konfiguration.ebenen[0].id
    if gewaehlt not in kommune.gebiete:
        raise KommuneFehler(
            f"Die Ebene „{gewaehlt}“ gibt es in {kommune.name} nicht (vorhanden: {', '.join(kommune.gebiete)})."
        )
    return gewaehlt


def definition_pruefen(kommune: Kommune, definition: IndexDefinition) -> None:
    """Prüft, dass alle Indikatoren der Definition im Katalog der Kommune stehen."""
    for i in definition.benoetigte_indikatoren():
        if i not in kommune.katalog.index:
            raise DefinitionFehler(
                f"Der Indikator „{i}“ aus dem Index „{definition.name}“ steht nicht im Katalog von {kommune.name}."
            )


def eingaben_sammeln(
    kommune: Kommune,
    indikatoren: IndexDefinition | Iterable[str],
    *,
    ebene: str | None = None,
    periode: str | None = None,
    werte_fn: WerteFn = werte,
) -> Eingaben:
    """Rohwerte der Indikatoren für alle Gebiete einer Ebene holen (der langsame, cachebare Teil).

    ``indikatoren``: eine Definition (dann auch Bevölkerung und Gültigkeit, Ebene und Periode aus der
    Definition, falls nicht angegeben) oder eine Liste von Indikator-IDs. ``periode``: je Indikator
    die jüngste Periode bis einschließlich ``periode`` (None = jüngste überhaupt). ``werte_fn``
    liefert die Werte je Ebene (Standard: :func:`kommune.werte.werte`; für Einzugsbereiche die
    interpolierende Variante mit gleicher Signatur).
    """
    if isinstance(indikatoren, IndexDefinition):
        definition_pruefen(kommune, indikatoren)
        ebene = ebene_waehlen(kommune, indikatoren, ebene)
        periode = periode or indikatoren.periode
        ids = list(indikatoren.benoetigte_indikatoren())
    else:
        ids = list(dict.fromkeys(indikatoren))
        for i in ids:
            if i not in kommune.katalog.index:
                raise DefinitionFehler(f"Der Indikator „{i}“ steht nicht im Katalog von {kommune.name}.")
        ebene = ebene or kommune.konfiguration.standard_ebene or kommune.konfiguration.ebenen[0].id
        if ebene not in kommune.gebiete:
            raise KommuneFehler(f"Die Ebene „{ebene}“ gibt es in {kommune.name} nicht.")
    gebiete = kommune.gebiete[ebene]
    spalten: dict[str, np.ndarray] = {}
    perioden: dict[str, str | None] = {}
    for i in ids:
        p = neueste_periode(kommune, i, hoechstens=str(periode) if periode is not None else None)
        perioden[i] = p
        if p is None:
            spalten[i] = np.full(len(gebiete), np.nan)
        else:
            spalten[i] = werte_fn(kommune, i, ebene, p).reindex(gebiete.index).to_numpy(dtype=float)
    tabelle = pd.DataFrame(spalten, index=gebiete.index, columns=ids, dtype=float)
    return Eingaben(tabelle, gebiete["name"].astype(str), ebene, perioden, kommune.name)


def _gruende(fehlt: np.ndarray, ids: tuple[str, ...]) -> np.ndarray:
    """„fehlender Wert: S1, S4“ je Zeile mit fehlenden Werten (vektorisiert über Fehlmuster)."""
    gruende = np.full(fehlt.shape[0], "", dtype=object)
    zeilen = fehlt.any(axis=1)
    if not zeilen.any():
        return gruende
    muster, rueck = np.unique(fehlt[zeilen], axis=0, return_inverse=True)
    texte = np.array(
        ["fehlender Wert: " + ", ".join(i for i, f in zip(ids, m, strict=True) if f) for m in muster], dtype=object
    )
    gruende[zeilen] = texte[np.asarray(rueck).ravel()]
    return gruende


def bewertung(eingaben: Eingaben, definition: IndexDefinition) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rohwertmatrix (n × k), Maske der bewerteten Gebiete und Grund je Gebiet."""
    fehlend = [i for i in definition.benoetigte_indikatoren() if i not in eingaben.werte.columns]
    if fehlend:
        raise DefinitionFehler(
            f"Die gesammelten Eingaben enthalten den Indikator „{fehlend[0]}“ nicht – bitte neu sammeln."
        )
    x = eingaben.werte[list(definition.indikator_ids)].to_numpy(dtype=float)
    n = x.shape[0]
    fehlt = ~np.isfinite(x)
    grund = _gruende(fehlt, definition.indikator_ids)
    bewertet = ~fehlt.any(axis=1)
    if definition.mindest_einwohner > 0:
        bev_id = definition.bevoelkerung_indikator
        bev = eingaben.werte[bev_id].to_numpy(dtype=float)
        ohne = ~np.isfinite(bev)
        unter = ~ohne & (bev < definition.mindest_einwohner)
        grund = np.where(unter, GRUND_MINDEST, np.where(ohne, f"fehlende Bevölkerungszahl: {bev_id}", grund))
        bewertet &= ~(ohne | unter)
    if definition.gueltigkeit:
        g = eingaben.werte[definition.gueltigkeit].to_numpy(dtype=float)
        gueltig = np.isfinite(g)
        if not gueltig.any() and n:
            text = f"Gültigkeit ({definition.gueltigkeit}) auf dieser Ebene nicht bekannt"
        else:
            text = GRUND_UNGUELTIG
        grund = np.where(gueltig, grund, text)
        bewertet &= gueltig
    return x, bewertet, grund


def gewichte_bestimmen(definition: IndexDefinition, y: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Normierte Gewichte und (bei PCA) die erklärte Varianz je Komponente."""
    k = len(definition.indikatoren)
    if definition.gewichtung == "gleich":
        return np.full(k, 1.0 / k), None
    if definition.gewichtung == "pca":
        return pca_gewichte(y)
    if definition.gewichtung == "manuell":
        return gewichte_normieren(np.array([e.gewicht for e in definition.indikatoren])), None
    raise DefinitionFehler(f"Die Gewichtung „{definition.gewichtung}“ ist unbekannt ({', '.join(GEWICHTUNGEN)}).")


def kern(
    y_roh: np.ndarray, definition: IndexDefinition
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, float | None, np.ndarray]:
    """Numerischer Kern für die bewerteten Zeilen: (standardisiert, Gewichte, Varianz, c, Score)."""
    vorzeichen = np.array(definition.vorzeichen, dtype=float)
    y = standardisieren(y_roh * vorzeichen, definition.standardisierung)
    w, varianz = gewichte_bestimmen(definition, y_roh * vorzeichen)
    c = None
    if definition.aggregation == "geometrisch":
        c = verschiebung(y)
        s = aggregieren(y, w, "geometrisch", c)
    else:
        s = aggregieren(y, w, "arithmetisch")
    if definition.restandardisieren:
        s = restandardisieren(s)
    return y, w, varianz, c, s


def index_aus_matrix(eingaben: Eingaben, definition: IndexDefinition) -> IndexErgebnis:
    """Der schnelle, rein numerische Teil: aus gesammelten Eingaben und einer Definition das Ergebnis."""
    x, bewertet, grund = bewertung(eingaben, definition)
    n, k = x.shape
    ids = definition.indikator_ids
    y_roh = x[bewertet]
    hinweise: list[str] = []
    y, w, varianz, c, s = kern(y_roh, definition)
    konstant = konstante_spalten(y_roh)
    if konstant.any() and y_roh.shape[0]:
        namen = ", ".join(i for i, f in zip(ids, konstant, strict=True) if f)
        hinweise.append(f"Über die bewerteten Gebiete konstant, trägt nichts zur Reihung bei: {namen}.")
    if y_roh.shape[0] == 0:
        hinweise.append("Kein Gebiet kann bewertet werden (fehlende Werte, Gültigkeit oder Mindestbevölkerung).")
    score = np.full(n, np.nan)
    score[bewertet] = s
    klassen: Klassen = klassieren(score, definition.klassierung)
    hinweise.extend(klassen.hinweise)
    rang = np.full(n, np.nan)
    if s.size:
        rang[bewertet] = rankdata(-s, method="min")
    spalten: dict[str, object] = {
        "name": eingaben.namen.reindex(eingaben.ids).to_numpy(dtype=object),
        "score": score,
        "klasse": pd.array(klassen.code, dtype="Int64"),
        "klasse_label": klassen.label,
        "rang": pd.array(rang, dtype="Int64"),
        "bewertet": bewertet,
        "grund": grund,
    }
    std = np.full((n, k), np.nan)
    std[bewertet] = y
    for j, i in enumerate(ids):
        spalten[f"std_{i}"] = std[:, j]
    for j, i in enumerate(ids):
        spalten[f"wert_{i}"] = x[:, j]
    tabelle = pd.DataFrame(spalten, index=eingaben.ids)
    return IndexErgebnis(
        tabelle=tabelle,
        definition=definition,
        lesart=definition.lesart,
        skala=skala_text(definition.standardisierung, definition.restandardisieren, definition.aggregation),
        gewichte=pd.Series(w, index=list(ids), name="gewicht"),
        klassen_codes=klassen.codes,
        klassen_labels=klassen.labels,
        klassengrenzen=klassen.grenzen,
        ebene=eingaben.ebene,
        perioden={i: eingaben.perioden.get(i) for i in definition.benoetigte_indikatoren()},
        erklaerte_varianz=tuple(float(v) for v in varianz) if varianz is not None else None,
        verschiebung=c,
        hinweise=tuple(hinweise),
    )


def index_berechnen(
    kommune: Kommune,
    definition: IndexDefinition,
    *,
    ebene: str | None = None,
    periode: str | None = None,
    werte_fn: WerteFn = werte,
) -> IndexErgebnis:
    """Einen Index für eine Kommune berechnen (Eingaben sammeln + Kern)."""
    eingaben = eingaben_sammeln(kommune, definition, ebene=ebene, periode=periode, werte_fn=werte_fn)
    return index_aus_matrix(eingaben, definition)


__all__ = [
    "NICHT_BEWERTET",
    "Eingaben",
    "IndexErgebnis",
    "bewertung",
    "definition_pruefen",
    "ebene_waehlen",
    "eingaben_sammeln",
    "index_aus_matrix",
    "index_berechnen",
    "kern",
]


def rangliste(tabelle: pd.DataFrame, ausgelassen: Iterable[str] = (), grund: str = "") -> pd.DataFrame:
    """Die Rangliste zum Zeigen: nach Rang, Gebiete aus `ausgelassen` ohne Rang am Ende (mit `grund`).

    Die übrigen Ränge werden ohne die ausgelassenen neu vergeben (1 = höchster Score, Gleichstand = gleicher
    Rang), damit „Rang 1“ nicht ein Gebiet von fast niemandem ist (`freigabe.geheimhaltung.extreme_gebiete`).
    Die Index-Werte und Klassen bleiben, wie der Index sie berechnet hat.
    """
    weg = tabelle.index.isin(list(ausgelassen))
    neu = tabelle.copy()
    rang = np.full(len(neu), np.nan)
    bleibt = ~weg & neu["rang"].notna().to_numpy()
    if bleibt.any():
        rang[bleibt] = rankdata(-neu["score"].to_numpy(dtype=float)[bleibt], method="min")
    neu["rang"] = pd.array(rang, dtype="Int64")
    if grund:
        neu.loc[weg & neu["grund"].eq("").to_numpy(), "grund"] = grund
    neu["_weg"] = weg
    return neu.sort_values(["_weg", "rang"], na_position="last", kind="stable").drop(columns="_weg")

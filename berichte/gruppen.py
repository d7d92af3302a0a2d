"""Gruppenwerte für Ansichten: Aufschlüsselung eines Gebiets nach Merkmal und Lücke zwischen zwei Gruppen.

Alle Werte kommen über den einen geschützten Zugriff (`berichte.grundlagen.werte_und_maske`, `gesamt_mit_text`):
Gesperrtes bleibt „.“, und ein Anteil, der einen gesperrten Wert verriete (Gruppe durch gesperrten Gesamtwert),
ist ebenfalls gesperrt. Eine Lücke gibt es nur, wo beide Gruppenwerte sichtbar sind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from berichte.grundlagen import GESPERRT_TEXT, OEFFENTLICH, gesamt_mit_text, mit_deckung, werte_und_maske
from kommune.format import indikator_bezeichnung, ist_ganzzahlig, wert_mit_einheit
from kommune.laden import Kommune
from kommune.merkmale import Familie, auspraegung_name, familien, gruppe_von, luecke, luecke_einheit

#: Was die Lücke zeigt
MASSE = {"differenz": "Differenz", "verhaeltnis": "Verhältnis"}

#: Erklärung unter jeder Lückentabelle (Gebietsprofil, Vergleich, HTML-Profil)
LUECKEN_ERKLAERUNG = (
    "Lücke: erste minus zweite Gruppe (bei Anteilen in % in Prozentpunkten); Verhältnis: erste ÷ zweite. „.“: einer "
    "der beiden Gruppenwerte ist gesperrt (Geheimhaltung)."
)

#: URL-Parameter einer Gruppenlücke (dieselben Namen wie die Felder einer Sitzungsansicht)
LUECKEN_PARAMETER = ("merkmal", "gruppe_a", "gruppe_b", "mass")


@dataclass(frozen=True)
class LueckenWahl:
    """Welche Lücke eine Ansicht zeigt: Familie, erste und zweite Gruppe, Maß."""

    familie: Familie
    a: str
    b: str
    mass: str = "differenz"

    def parameter(self) -> dict[str, str]:
        """Die URL-Parameter dieser Wahl (`merkmal, gruppe_a, gruppe_b, mass`)."""
        return {"merkmal": self.familie.merkmal, "gruppe_a": self.a, "gruppe_b": self.b, "mass": self.mass}


def luecke_aus_adresse(params: Mapping[str, object], moegliche: Sequence[Familie]) -> LueckenWahl | str | None:
    """Die Lücke, die ein Link verlangt (`?merkmal=…&gruppe_a=…&gruppe_b=…&mass=…`), unter den Familien des Indikators.

    None: der Link verlangt keine Lücke; ein Text: deutscher Hinweis, warum die verlangte hier nicht geht
    (Merkmal, Gruppe oder Maß unbekannt, zweimal dieselbe Gruppe). Werte werden nur mit den Optionen verglichen.
    """
    roh = {k: params.get(k) for k in LUECKEN_PARAMETER}
    if all(v in (None, "") for v in roh.values()):
        return None
    merkmal, a, b = (str(roh[k] or "") for k in ("merkmal", "gruppe_a", "gruppe_b"))
    mass = str(roh["mass"] or "differenz")
    f = next((f for f in moegliche if f.merkmal == merkmal), None)
    if f is None:
        return "Die Gruppenlücke aus dem Link gibt es für diesen Indikator nicht; gezeigt wird der Wert."
    if a not in f.auspraegungen or b not in f.auspraegungen or a == b:
        return "Die Gruppen aus dem Link passen nicht zu diesem Merkmal; gezeigt wird der Wert."
    if mass not in MASSE:
        return "Das Maß aus dem Link ist unbekannt (Differenz oder Verhältnis); gezeigt wird der Wert."
    return LueckenWahl(f, a, b, mass)


def familien_mit_werten(kommune: Kommune, periode: str | None) -> list[tuple[Familie, str]]:
    """Familien, deren Gruppen Werte haben, mit ihrer Periode: `periode` oder (None) die jüngste der Gruppen."""
    from kommune.werte import neueste_periode, perioden_von

    ergebnis = []
    for f in familien(kommune):
        if periode:
            if any(periode in perioden_von(kommune, g) for g in f.glieder):
                ergebnis.append((f, periode))
            continue
        juengste = [p for p in (neueste_periode(kommune, g) for g in f.glieder) if p]
        if juengste:
            ergebnis.append((f, max(juengste)))
    return ergebnis


def familien_von(kommune: Kommune, indikator: str) -> list[Familie]:
    """Die Familien, zu denen ein Indikator gehört (als Gesamtwert oder als Gruppe), mit mindestens zwei Gruppen."""
    gruppe = gruppe_von(kommune.katalog, indikator)
    return [
        f
        for f in familien(kommune)
        if len(f.glieder) >= 2 and (f.basis == indikator or (gruppe and (f.basis, f.merkmal) == gruppe[:2]))
    ]


def _stellen(kommune: Kommune, indikator: str) -> int:
    e = kommune.katalog.loc[indikator]
    return 0 if ist_ganzzahlig(str(e["einheit"]), str(e["art"])) else 1


def aufschluesselung(
    kommune: Kommune,
    f: Familie,
    ebene: str,
    gebiet: str,
    periode: str,
    *,
    rolle: str = OEFFENTLICH,
    zusaetzlich_gesperrt: Iterable[str] = (),
) -> pd.DataFrame:
    """Die Aufschlüsselungstabelle eines Gebiets: Zeile „Gesamt“ und je Ausprägung, als fertige Texte.

    Spalten: „Gruppe“, „Gebiet“, „Anteil“ (bei Anzahlen: Anteil am Gesamtwert des Gebiets), das Gesamtgebiet.
    Gesperrtes: „.“; der Anteil ist gesperrt, sobald Gruppe oder Gesamtwert gesperrt sind. `zusaetzlich_gesperrt`:
    Indikatoren, die in diesem Gebiet außerdem gesperrt sind (z. B. von einer eigenen Sperrregel des Berichts).
    """
    kat = kommune.katalog
    anzahl = kat.loc[f.basis, "art"] == "anzahl"
    extra = set(zusaetzlich_gesperrt)
    zeilen = []
    gesamt_wert, gesamt_gesperrt = _wert(kommune, f.basis, ebene, gebiet, periode, rolle)
    gesamt_gesperrt = gesamt_gesperrt or f.basis in extra
    for ind, gruppe in [(f.basis, ""), *zip(f.glieder, f.auspraegungen, strict=True)]:
        if ind == f.basis:
            wert, gesperrt = gesamt_wert, gesamt_gesperrt
        else:
            wert, gesperrt = _wert(kommune, ind, ebene, gebiet, periode, rolle)
            gesperrt = gesperrt or ind in extra
        einheit, stellen = str(kat.loc[ind, "einheit"]), _stellen(kommune, ind)
        anteil = ""
        if anzahl:
            if gesperrt or gesamt_gesperrt:
                anteil = "."
            elif gesamt_wert > 0 and not np.isnan(wert):
                anteil = wert_mit_einheit(100 * wert / gesamt_wert, "%", 1)
            else:
                anteil = "–"
        ganz, text = gesamt_mit_text(kommune, ind, periode, rolle=rolle)
        zeilen.append(
            {
                "Gruppe": auspraegung_name(kommune, f.merkmal, gruppe) if gruppe else "Gesamt",
                "Gebiet": "." if gesperrt else wert_mit_einheit(wert, einheit, stellen, leer="keine Daten"),
                "Anteil": anteil,
                kommune.konfiguration.gesamtgebiet: "."
                if text == GESPERRT_TEXT
                else mit_deckung(wert_mit_einheit(ganz, einheit, stellen, leer="keine Daten"), text),
            }
        )
    tabelle = pd.DataFrame(zeilen)
    return tabelle if anzahl else tabelle.drop(columns="Anteil")


def _wert(kommune: Kommune, ind: str, ebene: str, gebiet: str, periode: str, rolle: str) -> tuple[float, bool]:
    werte, maske = werte_und_maske(kommune, ind, ebene, periode, rolle=rolle)
    return float(werte.get(gebiet, np.nan)), bool(maske.get(gebiet, False))


def titel(kommune: Kommune, f: Familie) -> str:
    """„Einwohner nach Migrationshintergrund“."""
    m = kommune.konfiguration.merkmal(f.merkmal)
    return f"{indikator_bezeichnung(kommune.katalog, f.basis)} nach {m.name if m else f.merkmal}"


@dataclass(frozen=True)
class Luecke:
    """Die Lücke zwischen zwei Gruppen je Gebiet, wie eine Rolle sie sehen darf."""

    werte: pd.Series  # NaN: gesperrt oder ohne Daten
    gesperrt: pd.Series  # mindestens einer der beiden Gruppenwerte ist gesperrt
    titel: str
    einheit: str
    stellen: int
    mitte: float = 0.0  # keine Lücke: 0 bei Differenzen, 1 bei Verhältnissen


def luecke_und_maske(
    kommune: Kommune,
    f: Familie,
    a: str,
    b: str,
    ebene: str,
    periode: str,
    *,
    mass: str = "differenz",
    rolle: str = OEFFENTLICH,
    methode: str = "area",
) -> Luecke:
    """Differenz (Prozentpunkte bei Anteilen in %) oder Verhältnis der Gruppen `a` und `b` je Gebiet.

    Die Gruppenwerte kommen geschützt; die Lücke fehlt, wo einer gesperrt ist (die Maske nennt diese Gebiete).
    """
    return luecken_und_maske(kommune, f, a, b, ebene, periode, rolle=rolle, methode=methode)[mass]


def luecken_und_maske(
    kommune: Kommune,
    f: Familie,
    a: str,
    b: str,
    ebene: str,
    periode: str,
    *,
    rolle: str = OEFFENTLICH,
    methode: str = "area",
) -> dict[str, Luecke]:
    """Beide Maße der Lücke (`MASSE`) aus einer Rechnung: die Gruppenwerte werden nur einmal geholt."""
    masken: list[pd.Series] = []

    def werte_fn(indikator: str, schicht: str, per: str) -> pd.Series:
        werte, maske = werte_und_maske(kommune, indikator, schicht, per, rolle=rolle, methode=methode)
        masken.append(maske)
        return werte

    differenz, verhaeltnis = luecke(kommune, f.basis, f.merkmal, a, b, ebene, periode, werte_fn=werte_fn)
    gesperrt = pd.Series(False, index=differenz.index)
    for m in masken:
        gesperrt = gesperrt | m.reindex(differenz.index, fill_value=False).astype(bool)
    name_a, name_b = auspraegung_name(kommune, f.merkmal, a), auspraegung_name(kommune, f.merkmal, b)
    basis = indikator_bezeichnung(kommune.katalog, f.basis)
    return {
        "differenz": Luecke(
            differenz.where(~gesperrt),
            gesperrt,
            f"{basis}: {name_a} − {name_b}",
            luecke_einheit(kommune, f.basis),
            _stellen(kommune, f.basis),
        ),
        "verhaeltnis": Luecke(verhaeltnis.where(~gesperrt), gesperrt, f"{basis}: {name_a} ÷ {name_b}", "", 2, 1.0),
    }


def gesamtluecke(
    kommune: Kommune, f: Familie, a: str, b: str, periode: str, *, mass: str = "differenz", rolle: str = OEFFENTLICH
) -> float:
    """Die Lücke für die ganze Kommune (aus den geschützten Gesamtwerten der beiden Gruppen; NaN: gesperrt/fehlt)."""
    ga, gb = (gesamt_mit_text(kommune, g, periode, rolle=rolle)[0] if g else np.nan for g in (f.glied(a), f.glied(b)))
    if mass == "verhaeltnis":
        return ga / gb if gb else float("nan")
    return ga - gb


def lueckentabelle(
    kommune: Kommune,
    ebene: str,
    gebiete: list[str],
    periode: str | None,
    *,
    rolle: str = OEFFENTLICH,
    zusaetzlich_gesperrt: Iterable[str] = (),
) -> pd.DataFrame:
    """Je Familie mit genau zwei Gruppen (mit/ohne, weiblich/männlich …): die Lücke erste − zweite und erste ÷
    zweite Ausprägung je gewähltem Gebiet und gesamt. Familien mit mehr Gruppen (Altersgruppen) haben kein Paar,
    das „die“ Lücke wäre; ihre Lücken wählt man auf der Karte.

    Fertige Texte; „.“, wo einer der Gruppenwerte gesperrt ist. Spalten: „Lücke“, „Einheit“, je Gebiet, Gesamtgebiet.
    `zusaetzlich_gesperrt`: Indikatoren, die in den Gebieten außerdem gesperrt sind (eigene Sperrregel eines
    Berichts, wie bei `aufschluesselung`).
    """
    namen = kommune.gebiete[ebene]["name"]
    extra = set(zusaetzlich_gesperrt)
    zeilen = []
    for f, p in familien_mit_werten(kommune, periode):
        if len(f.auspraegungen) != 2:
            continue
        a, b = f.auspraegungen
        auch_gesperrt = bool(extra & {f.glied(a), f.glied(b)})
        for mass, lu in luecken_und_maske(kommune, f, a, b, ebene, p, rolle=rolle).items():
            zeile = {"Lücke": f"{lu.titel} ({p})", "Einheit": lu.einheit or MASSE[mass]}
            for g in gebiete:
                gesperrt = auch_gesperrt or bool(lu.gesperrt.get(g, False))
                zeile[str(namen.get(g, g))] = "." if gesperrt else wert_mit_einheit(lu.werte.get(g), "", lu.stellen)
            gesamt = gesamtluecke(kommune, f, a, b, p, mass=mass, rolle=rolle)
            zeile[kommune.konfiguration.gesamtgebiet] = wert_mit_einheit(gesamt, "", lu.stellen)
            zeilen.append(zeile)
    return pd.DataFrame(zeilen)

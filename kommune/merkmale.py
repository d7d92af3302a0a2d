"""Gruppenindikatoren: Werte nach Merkmalen (Geschlecht, Migrationshintergrund, Altersgruppe …).

Ein Gruppenwert ist ein gewöhnlicher Indikator des Katalogs mit den Spalten `basis`, `merkmal` und `auspraegung`
(ID nach dem Muster `<basis>__<merkmal>_<auspraegung>`, z. B. `einwohner__migration_mit`; vorhandene Indikatoren
anderer IDs lassen sich über die Spalten ebenso einer Gruppe zuordnen). Die Merkmale erklärt die kommune.toml
mit `[[merkmal]]`. Eine **Familie** ist die Basis mit ihren Gruppenwerten eines Merkmals; mit `summe` ergeben
die Glieder zusammen die Basis (Prüfung beim Import, Geheimhaltung über die Familie). Rein, ohne Streamlit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kommune.konfiguration import Merkmal

if TYPE_CHECKING:
    from kommune.laden import Kommune

#: Trennt Basis und Merkmal in der ID eines Gruppenindikators.
TRENNER = "__"
#: Texte einer Merkmalsspalte, die den Gesamtwert (die Basis) meinen.
GESAMT_TEXTE = frozenset({"", "insgesamt", "gesamt", "zusammen", "alle", "summe", "total"})

WerteFn = Callable[[str, str, str], pd.Series]


def gruppen_id(basis: str, merkmal: str, auspraegung: str) -> str:
    """Die ID eines Gruppenindikators: `gruppen_id("einwohner", "migration", "mit")` → „einwohner__migration_mit“."""
    return f"{basis}{TRENNER}{merkmal}_{auspraegung}"


@dataclass(frozen=True)
class Familie:
    """Ein Gesamtindikator (`basis`) und seine Gruppenindikatoren (`glieder`) eines Merkmals.

    `glieder` und `auspraegungen` stehen in der Reihenfolge der `[[merkmal]]`-Ausprägungen; `summe` ist nur
    wahr, wenn das Merkmal `summe = true` hat, jede Ausprägung einen Indikator im Katalog hat und Basis wie
    Glieder Anzahlen sind (dann gilt: Summe der Glieder = Basis; Anteile addieren sich nicht).
    """

    basis: str
    merkmal: str
    glieder: tuple[str, ...]
    summe: bool
    auspraegungen: tuple[str, ...] = ()

    def glied(self, auspraegung: str) -> str | None:
        """Der Indikator einer Ausprägung (None, wenn sie im Katalog fehlt)."""
        return dict(zip(self.auspraegungen, self.glieder, strict=True)).get(auspraegung)


def gruppe_von(katalog: pd.DataFrame, indikator: str) -> tuple[str, str, str] | None:
    """(Basis, Merkmal, Ausprägung) eines Gruppenindikators, None bei einem gewöhnlichen Indikator."""
    if indikator not in katalog.index or "merkmal" not in katalog.columns:
        return None
    zeile = katalog.loc[indikator]
    if not str(zeile["merkmal"]):
        return None
    return str(zeile["basis"]), str(zeile["merkmal"]), str(zeile["auspraegung"])


def familien(kommune: Kommune) -> list[Familie]:
    """Alle Familien der Kommune: je Basis (in Katalogreihenfolge) und Merkmal (in Reihenfolge der kommune.toml)."""
    kat = kommune.katalog
    if "merkmal" not in kat.columns:
        return []
    gruppen = kat[kat["merkmal"].astype(str) != ""]
    ergebnis = []
    reihenfolge = {b: i for i, b in enumerate(kat.index)}
    for basis in sorted(set(gruppen["basis"]), key=lambda b: reihenfolge.get(b, len(reihenfolge))):
        von_basis = gruppen[gruppen["basis"] == basis]
        for m in kommune.konfiguration.merkmale:
            teil = von_basis[von_basis["merkmal"] == m.id]
            if teil.empty:
                continue
            je = dict(zip(teil["auspraegung"], teil.index, strict=True))
            auspraegungen = tuple(a for a in m.auspraegungen if a in je)
            glieder = tuple(je[a] for a in auspraegungen)
            anzahlen = all(kat.loc[i, "art"] == "anzahl" for i in (basis, *glieder) if i in kat.index)
            ergebnis.append(
                Familie(
                    basis=basis,
                    merkmal=m.id,
                    glieder=glieder,
                    summe=m.summe and anzahlen and len(auspraegungen) == len(m.auspraegungen),
                    auspraegungen=auspraegungen,
                )
            )
    return ergebnis


def familie(kommune: Kommune, basis: str, merkmal: str) -> Familie | None:
    """Die Familie von `basis` nach `merkmal` oder None."""
    return next((f for f in familien(kommune) if f.basis == basis and f.merkmal == merkmal), None)


def summen(kommune: Kommune) -> list[tuple[str, list[str]]]:
    """(Basis, Glieder) jeder Familie mit `summe`: die Summe der Glieder muss die Basis ergeben."""
    return [(f.basis, list(f.glieder)) for f in familien(kommune) if f.summe]


def _merkmal(kommune: Kommune, merkmal: str) -> Merkmal:
    m = kommune.konfiguration.merkmal(merkmal)
    if m is None:
        raise KeyError(f"Das Merkmal „{merkmal}“ ist in {kommune.name} nicht erklärt.")
    return m


def auspraegung_name(kommune: Kommune, merkmal: str, auspraegung: str) -> str:
    """Der Anzeigename einer Ausprägung („mit Migrationshintergrund“)."""
    return _merkmal(kommune, merkmal).name_von(auspraegung)


def gruppenwert(
    kommune: Kommune,
    basis: str,
    merkmal: str,
    auspraegung: str,
    ebene: str,
    periode: str,
    *,
    werte_fn: WerteFn | None = None,
) -> pd.Series:
    """Werte der Gruppe je Gebiet der Ebene (NaN = keine Daten oder die Gruppe fehlt im Katalog).

    `werte_fn(indikator, ebene, periode)`: woher die Werte kommen (Standard `kommune.werte.werte`; obere Schichten
    geben ihren geschützten Zugriff hinein).
    """
    f = familie(kommune, basis, merkmal)
    glied = f.glied(auspraegung) if f else None
    if glied is None:
        return pd.Series(np.nan, index=kommune.gebiete[ebene].index, dtype=float, name=auspraegung)
    return _werte(kommune, glied, ebene, periode, werte_fn).rename(glied)


def _werte(kommune: Kommune, indikator: str, ebene: str, periode: str, werte_fn: WerteFn | None) -> pd.Series:
    if werte_fn is not None:
        return werte_fn(indikator, ebene, periode).astype(float)
    from kommune.werte import werte

    return werte(kommune, indikator, ebene, periode)


def luecke(
    kommune: Kommune,
    basis: str,
    merkmal: str,
    a: str,
    b: str,
    ebene: str,
    periode: str,
    *,
    werte_fn: WerteFn | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Die Lücke zwischen den Gruppen `a` und `b` je Gebiet: (Differenz a − b, Verhältnis a / b).

    Bei Anteilen in % ist die Differenz in Prozentpunkten, sonst in der Einheit der Basis (`luecke_einheit`).
    Das Verhältnis fehlt (NaN), wo `b` null oder unbekannt ist.
    """
    wa = gruppenwert(kommune, basis, merkmal, a, ebene, periode, werte_fn=werte_fn)
    wb = gruppenwert(kommune, basis, merkmal, b, ebene, periode, werte_fn=werte_fn).reindex(wa.index)
    differenz = (wa - wb).rename("differenz")
    with np.errstate(divide="ignore", invalid="ignore"):
        verhaeltnis = pd.Series(
            np.where(wb.to_numpy() != 0, wa.to_numpy() / wb.where(wb != 0, 1.0).to_numpy(), np.nan),
            index=wa.index,
            name="verhaeltnis",
        )
    return differenz, verhaeltnis.where(wb.notna() & wa.notna())


def luecke_einheit(kommune: Kommune, basis: str) -> str:
    """Einheit der Differenz: „Prozentpunkte“ bei Anteilen in %, sonst die Einheit der Basis."""
    kat = kommune.katalog
    if basis not in kat.index:
        return ""
    if kat.loc[basis, "art"] == "anteil" and str(kat.loc[basis, "einheit"]).strip() == "%":
        return "Prozentpunkte"
    return str(kat.loc[basis, "einheit"])


def aufschluesselung(
    kommune: Kommune, f: Familie, ebene: str, periode: str, *, werte_fn: WerteFn | None = None
) -> pd.DataFrame:
    """Je Gebiet der Ebene: Gesamtwert und Wert je Ausprägung (Spalten: Basis, dann die Glieder).

    Der Anteil einer Gruppe am Gesamtwert (`anteile`) ergibt nur bei Anzahlen Sinn.
    """
    spalten = {f.basis: _werte(kommune, f.basis, ebene, periode, werte_fn)}
    for glied in f.glieder:
        spalten[glied] = _werte(kommune, glied, ebene, periode, werte_fn)
    return pd.DataFrame(spalten)


def anteile(tabelle: pd.DataFrame, f: Familie) -> pd.DataFrame:
    """Anteil jeder Gruppe am Gesamtwert in % (NaN, wo der Gesamtwert null oder unbekannt ist)."""
    gesamt = tabelle[f.basis].where(tabelle[f.basis] > 0)
    return pd.DataFrame({g: 100 * tabelle[g] / gesamt for g in f.glieder}, index=tabelle.index)


def auspraegung_erkennen(m: Merkmal, text: str) -> str | None:
    """Die Ausprägung zu einem Text einer Lieferung (ID oder Name, Groß-/Kleinschreibung egal); "" = Gesamtwert.

    None: nicht erkennbar.
    """
    norm = " ".join(str(text).split()).casefold()
    if norm in GESAMT_TEXTE:
        return ""
    for a in m.auspraegungen:
        if norm in (a.casefold(), " ".join(m.name_von(a).split()).casefold()):
            return a
    return None

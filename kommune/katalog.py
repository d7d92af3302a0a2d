"""Den Indikatorenkatalog lesen: eine Zeile je Indikator, mit Definition und Metadaten."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from kommune.fehler import KommuneFehler
from kommune.konfiguration import Merkmal
from kommune.tabellen import tabelle_lesen

KATALOG_SPALTEN = [
    "id",
    "name",
    "definition",
    "einheit",
    "art",
    "zaehler",
    "nenner",
    "gewicht",
    "richtung",
    "thema",
    "quelle",
    "stand",
    "ebene",
    "sensibel",
    "hinweise",
    # Gruppenindikatoren (kommune/merkmale.py): Gesamtindikator, Merkmal und Ausprägung; leer bei gewöhnlichen
    "basis",
    "merkmal",
    "auspraegung",
]
#: Die Spalten, die einen Gruppenindikator ausmachen (alle drei gefüllt oder alle leer).
GRUPPEN_SPALTEN = ("basis", "merkmal", "auspraegung")
PFLICHT = ["id", "name", "einheit", "art"]
ARTEN = ("anzahl", "anteil", "index")
THEMEN = (
    "Rahmenbedingungen",
    "frühkindliche Bildung",
    "allgemeinbildende Schulen",
    "berufliche Bildung und Hochschule",
    "Weiterbildung",
    "non-formale Bildung",
)


def katalog_lesen(pfad: Path, merkmale: Iterable[Merkmal] = ()) -> pd.DataFrame:
    """Katalog lesen und prüfen; Index = Indikator-ID.

    `merkmale`: die `[[merkmal]]` der kommune.toml; gegen sie werden die Gruppenspalten geprüft, und
    Gruppenindikatoren ohne Namen heißen „<Name der Basis> – <Name der Ausprägung>“.
    """
    df = tabelle_lesen(pfad)
    anzeige = pfad.name
    for s in PFLICHT:
        if s not in df.columns:
            raise KommuneFehler("Die Pflichtspalte des Indikatorenkatalogs fehlt.", datei=anzeige, spalte=s)
    for s in KATALOG_SPALTEN:
        if s not in df.columns:
            df[s] = ""
    df = df[KATALOG_SPALTEN].apply(lambda s: s.astype(str).str.strip())
    for i, zeile in enumerate(df.itertuples(index=False), start=2):
        if not zeile.id:
            raise KommuneFehler("Die Indikator-ID ist leer.", datei=anzeige, zeile=i, spalte="id")
        if zeile.art not in ARTEN:
            raise KommuneFehler(
                f"Die Art „{zeile.art}“ ist unbekannt (erlaubt: {', '.join(ARTEN)}).",
                datei=anzeige,
                zeile=i,
                spalte="art",
            )
        if zeile.richtung not in ("", "1", "-1", "0", "+1"):
            raise KommuneFehler(
                f"Die Richtung „{zeile.richtung}“ ist unbekannt (erlaubt: 1, -1, 0).",
                datei=anzeige,
                zeile=i,
                spalte="richtung",
            )
        if zeile.thema and zeile.thema not in THEMEN:
            raise KommuneFehler(
                f"Das Thema „{zeile.thema}“ ist keines der Kapitel: {', '.join(THEMEN)}.",
                datei=anzeige,
                zeile=i,
                spalte="thema",
            )
    doppelt = df["id"].duplicated()
    if doppelt.any():
        pos = int(doppelt.to_numpy().nonzero()[0][0])
        raise KommuneFehler(
            f"Die Indikator-ID „{df['id'].iloc[pos]}“ steht mehrfach im Katalog.",
            datei=anzeige,
            zeile=pos + 2,
            spalte="id",
        )
    _gruppen_pruefen(df, {m.id: m for m in merkmale}, anzeige)
    df["richtung"] = pd.to_numeric(df["richtung"].replace("", "0")).astype(int)
    df["sensibel"] = df["sensibel"].str.lower().isin(["ja", "true", "1", "x"])
    return df.set_index("id")


def _gruppen_pruefen(df: pd.DataFrame, merkmale: dict[str, Merkmal], anzeige: str) -> None:
    """Gruppenspalten: alle drei oder keine, Merkmal erklärt, Ausprägung erlaubt, Basis im Katalog, keine Dublette.

    Füllt leere Namen von Gruppenindikatoren (verändert `df`).
    """
    ids = set(df["id"])
    gesehen: dict[tuple[str, str, str], str] = {}
    for i, (pos, zeile) in enumerate(df.iterrows(), start=2):
        teile = [zeile[s] for s in GRUPPEN_SPALTEN]
        if not any(teile):
            continue
        fehlt = next((s for s, t in zip(GRUPPEN_SPALTEN, teile, strict=True) if not t), None)
        if fehlt:
            raise KommuneFehler(
                f"Der Gruppenindikator „{zeile['id']}“ braucht „basis“, „merkmal“ und „auspraegung“; "
                f"„{fehlt}“ ist leer.",
                datei=anzeige,
                zeile=i,
                spalte=fehlt,
            )
        basis, merkmal_id, auspraegung = teile
        merkmal = merkmale.get(merkmal_id)
        if merkmal is None:
            erklaert = ", ".join(sorted(merkmale)) or "keines"
            raise KommuneFehler(
                f"Das Merkmal „{merkmal_id[:80]}“ ist in der kommune.toml nicht als [[merkmal]] erklärt "
                f"(erklärt: {erklaert}).",
                datei=anzeige,
                zeile=i,
                spalte="merkmal",
            )
        if auspraegung not in merkmal.auspraegungen:
            raise KommuneFehler(
                f"Die Ausprägung „{auspraegung[:80]}“ gibt es beim Merkmal „{merkmal.name}“ nicht "
                f"(erlaubt: {', '.join(merkmal.auspraegungen)}).",
                datei=anzeige,
                zeile=i,
                spalte="auspraegung",
            )
        if basis not in ids or basis == zeile["id"]:
            raise KommuneFehler(
                f"Die Basis „{basis[:80]}“ des Gruppenindikators „{zeile['id']}“ steht nicht als eigener Indikator "
                "im Katalog.",
                datei=anzeige,
                zeile=i,
                spalte="basis",
            )
        schluessel = (basis, merkmal_id, auspraegung)
        if schluessel in gesehen:
            raise KommuneFehler(
                f"„{zeile['id']}“ und „{gesehen[schluessel]}“ sind beide „{basis}“, {merkmal.name}: "
                f"{merkmal.name_von(auspraegung)}; jede Gruppe braucht genau einen Indikator.",
                datei=anzeige,
                zeile=i,
                spalte="auspraegung",
            )
        gesehen[schluessel] = zeile["id"]
        if not zeile["name"]:
            basisname = df.loc[df["id"] == basis, "name"].iloc[0] or basis
            df.loc[pos, "name"] = f"{basisname} – {merkmal.name_von(auspraegung)}"
    basis_von = {ind: b for (b, _, _), ind in gesehen.items()}
    for start in basis_von:
        kette, aktuell = [start], basis_von[start]
        while aktuell in basis_von:
            if aktuell in kette:
                raise KommuneFehler(
                    "Gruppenindikatoren verweisen im Kreis aufeinander: " + " → ".join([*kette, aktuell]) + ".",
                    datei=anzeige,
                )
            kette.append(aktuell)
            aktuell = basis_von[aktuell]

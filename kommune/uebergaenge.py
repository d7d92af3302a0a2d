"""Übergänge zwischen Bildungsstufen (`[[uebergaenge]]`): lesen, prüfen, auf gröbere Ebenen summieren, Quoten.

Rein, ohne Streamlit und ohne Geheimhaltung (die wendet `berichte.uebergaenge` an). Lange Form:
`tabelle, schicht, gebiet, periode, von, nach, anzahl` – je Gebiet der Quellebene, Periode, Herkunft („von“,
z. B. „Grundschule“) und Ziel („nach“, z. B. „Gymnasium“) die Zahl der Personen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd

from kommune.fehler import KommuneFehler
from kommune.konfiguration import KommuneKonfiguration, Uebergangstabelle
from kommune.tabellen import periode_gueltig, tabelle_lesen, zahlen_parsen

SPALTEN = ["tabelle", "schicht", "gebiet", "periode", "von", "nach", "anzahl"]
#: Schlüssel der Ebene „ganze Kommune“ (ein Gebiet, das alle umfasst)
GESAMT = "__gesamt__"


def leer() -> pd.DataFrame:
    """Eine leere Übergangstabelle mit den Standardspalten."""
    df = pd.DataFrame({s: pd.Series(dtype=object) for s in SPALTEN})
    df["anzahl"] = df["anzahl"].astype(float)
    return df


def tabelle_lesen_uebergaenge(
    konf: KommuneKonfiguration, t: Uebergangstabelle, gebiete: Mapping[str, gpd.GeoDataFrame] | None = None
) -> pd.DataFrame:
    """Eine Übergangstabelle (CSV mit ; und Dezimalkomma oder XLSX) in die lange Form bringen und prüfen.

    Fehler (`KommuneFehler` mit Datei, Zeile, Spalte): fehlende Spalten, leere Herkunft/Ziel, ungültige Periode,
    keine oder negative Anzahl, doppelte Zeilen, Gebiete, die es in der Ebene nicht gibt (wenn `gebiete` da ist).
    """
    anzeige = t.datei + (f" (Blatt {t.blatt})" if t.blatt else "")
    df = tabelle_lesen(konf.daten / t.datei, blatt=t.blatt)
    for s in (t.gebiet_spalte, t.periode_spalte, t.von_spalte, t.nach_spalte, t.anzahl_spalte):
        if s not in df.columns:
            raise KommuneFehler("Die Spalte fehlt.", datei=anzeige, spalte=s)
    text = {s: df[s].astype(str).str.strip() for s in (t.gebiet_spalte, t.periode_spalte, t.von_spalte, t.nach_spalte)}
    for s in (t.gebiet_spalte, t.von_spalte, t.nach_spalte):
        leer_zeilen = np.flatnonzero(text[s].eq("").to_numpy())
        if len(leer_zeilen):
            raise KommuneFehler("Der Eintrag ist leer.", datei=anzeige, zeile=int(leer_zeilen[0]) + 2, spalte=s)
    perioden = text[t.periode_spalte]
    falsch = np.flatnonzero(~perioden.map(periode_gueltig).to_numpy(dtype=bool))
    if len(falsch):
        pos = int(falsch[0])
        raise KommuneFehler(
            f"Die Periode „{perioden.iloc[pos][:40]}“ ist ungültig (erwartet z. B. 2024, 2024/25, 2024-12-31).",
            datei=anzeige,
            zeile=pos + 2,
            spalte=t.periode_spalte,
        )
    # Anzahlen im deutschen Format: „1.020“ sind tausendzwanzig, nicht 1,02
    anzahl = zahlen_parsen(df[t.anzahl_spalte], dezimalzeichen=",", datei=anzeige, spalte=t.anzahl_spalte)
    fehlt = np.flatnonzero(anzahl.isna().to_numpy())
    if len(fehlt):
        pos = int(fehlt[0])
        raise KommuneFehler(
            f"Die Anzahl „{df[t.anzahl_spalte].iloc[pos]}“ ist keine Zahl; Übergänge brauchen eine Anzahl "
            "(„-“ oder 0 für keine).",
            datei=anzeige,
            zeile=pos + 2,
            spalte=t.anzahl_spalte,
        )
    negativ = np.flatnonzero((anzahl < 0).to_numpy())
    if len(negativ):
        pos = int(negativ[0])
        raise KommuneFehler(
            f"Die Anzahl „{df[t.anzahl_spalte].iloc[pos]}“ ist negativ.", datei=anzeige, zeile=pos + 2,
            spalte=t.anzahl_spalte,
        )  # fmt: skip
    lang = pd.DataFrame(
        {
            "tabelle": t.id,
            "schicht": t.ebene,
            "gebiet": text[t.gebiet_spalte].to_numpy(),
            "periode": perioden.to_numpy(),
            "von": text[t.von_spalte].to_numpy(),
            "nach": text[t.nach_spalte].to_numpy(),
            "anzahl": anzahl.to_numpy(dtype=float),
        }
    )
    doppelt = np.flatnonzero(lang.duplicated(["gebiet", "periode", "von", "nach"]).to_numpy())
    if len(doppelt):
        z = lang.iloc[int(doppelt[0])]
        raise KommuneFehler(
            f"Für Gebiet „{z.gebiet}“, Periode {z.periode}, „{z.von}“ → „{z.nach}“ gibt es mehrere Zeilen.",
            datei=anzeige,
            zeile=int(doppelt[0]) + 2,
        )
    if gebiete is not None and t.ebene in gebiete:
        bekannt = gebiete[t.ebene].index
        fremd = np.flatnonzero(~lang["gebiet"].isin(bekannt).to_numpy())
        if len(fremd):
            pos = int(fremd[0])
            raise KommuneFehler(
                f"Das Gebiet „{lang['gebiet'].iloc[pos][:40]}“ gibt es in der Ebene „{t.ebene}“ nicht "
                f"({len(fremd)} Zeilen mit unbekanntem Gebiet).",
                datei=anzeige,
                zeile=pos + 2,
                spalte=t.gebiet_spalte,
            )
    return lang[SPALTEN]


def uebergaenge_laden(konf: KommuneKonfiguration, gebiete: Mapping[str, gpd.GeoDataFrame]) -> pd.DataFrame:
    """Alle `[[uebergaenge]]` der Kommune in einer langen Tabelle (leer ohne Abschnitt)."""
    teile = [tabelle_lesen_uebergaenge(konf, t, gebiete) for t in konf.uebergaenge]
    return pd.concat(teile, ignore_index=True) if teile else leer()


def tabelle_konf(konf: KommuneKonfiguration, tabelle: str) -> Uebergangstabelle:
    """Die Konfiguration einer Übergangstabelle."""
    for t in konf.uebergaenge:
        if t.id == tabelle:
            return t
    raise KommuneFehler(f"Die Übergangstabelle „{tabelle[:80]}“ gibt es nicht.")


def ebenen_ueber(konf: KommuneKonfiguration, ebene: str) -> list[str]:
    """Die Ebene und alle gröberen Ebenen darüber (über `eltern`), von fein nach grob."""
    kette, aktuell = [ebene], ebene
    eltern = {e.id: e.eltern for e in konf.ebenen}
    while eltern.get(aktuell) and eltern[aktuell] not in kette:
        aktuell = eltern[aktuell]
        kette.append(aktuell)
    return kette


def zuordnung(konf: KommuneKonfiguration, gebiete: Mapping[str, gpd.GeoDataFrame], von: str, nach: str) -> pd.Series:
    """Für jedes Gebiet der Ebene `von` sein Gebiet der gröberen Ebene `nach` (`GESAMT`: immer „GESAMT“)."""
    ids = gebiete[von].index
    if nach == GESAMT:
        return pd.Series(GESAMT, index=ids, dtype=object)
    karte = pd.Series(ids.to_numpy(), index=ids, dtype=object)
    kette = ebenen_ueber(konf, von)
    if nach not in kette:
        raise KommuneFehler(f"Die Ebene „{nach}“ liegt nicht über der Ebene „{von}“.")
    for unten in kette[: kette.index(nach)]:
        karte = karte.map(gebiete[unten]["eltern"])
    return karte


def aggregieren(
    df: pd.DataFrame, konf: KommuneKonfiguration, gebiete: Mapping[str, gpd.GeoDataFrame], ebene: str
) -> pd.DataFrame:
    """Übergänge (einer Quellebene) auf eine gröbere Ebene oder `GESAMT` summieren (exakte Summen)."""
    if df.empty:
        return df.assign(schicht=ebene)
    quelle = str(df["schicht"].iloc[0])
    if ebene == quelle:
        return df.copy()
    karte = zuordnung(konf, gebiete, quelle, ebene)
    neu = df.assign(gebiet=df["gebiet"].map(karte), schicht=ebene)
    neu = neu[neu["gebiet"].notna()]
    summe = neu.groupby(["tabelle", "schicht", "gebiet", "periode", "von", "nach"], sort=True, as_index=False)[
        "anzahl"
    ].sum()
    return summe[SPALTEN]


def quoten(df: pd.DataFrame) -> pd.DataFrame:
    """Je Gebiet, Periode und Herkunft: Anteil jedes Ziels in Prozent (`summe` = alle aus dieser Herkunft)."""
    summe = df.groupby(["gebiet", "periode", "von"])["anzahl"].transform("sum")
    return df.assign(summe=summe, anteil=np.where(summe > 0, 100 * df["anzahl"] / summe.where(summe > 0), np.nan))


def ohne_anschluss(df: pd.DataFrame, ziele: Iterable[str]) -> pd.DataFrame:
    """Je Gebiet und Periode: Personen ohne Anschluss (Ziel in `ziele`), alle Personen und ihr Anteil in %."""
    ziele = set(ziele)
    if df.empty:
        return pd.DataFrame(columns=["gebiet", "periode", "ohne", "summe", "anteil"])
    g = df.assign(ohne=df["anzahl"].where(df["nach"].isin(ziele), 0.0)).groupby(["gebiet", "periode"], as_index=False)
    r = g.agg(ohne=("ohne", "sum"), summe=("anzahl", "sum"))
    r["anteil"] = np.where(r["summe"] > 0, 100 * r["ohne"] / r["summe"].where(r["summe"] > 0), np.nan)
    return r

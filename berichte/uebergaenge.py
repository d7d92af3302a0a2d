"""Übergänge zwischen Bildungsstufen auswerten: geschützte Zellen, Quoten, „ohne Anschluss“, Hagen-Analyse.

Rein, ohne Streamlit. Die Zahlen kommen aus `Kommune.uebergaenge` (`kommune.uebergaenge`); wer nicht „admin“ ist,
sieht sie nur nach dem Sperrplan dieses Moduls:

- primär: Anzahlen von 1 bis Mindestfallzahl − 1 (`[geheimhaltung] mindestfallzahl`, Standard 3), Nullen nur mit
  `nullen_sperren`; ebenso Summen (Herkunft, Ziel) unter der Mindestfallzahl;
- sekundär: In jeder Summe, die gezeigt wird – Zeile (Gebiet, Herkunft: alle Ziele), Spalte (Gebiet, Ziel: alle
  Herkünfte) und je gröberer Ebene bis zur ganzen Kommune (Eltern, Herkunft, Ziel: alle Teilgebiete) –, darf nie
  genau eine Zelle gesperrt sein; sonst wird die kleinste sichtbare Zelle derselben Summe mitgesperrt (bis nichts
  mehr zu tun ist). Ist keine andere Zelle da, wird die Zeilen- bzw. Spaltensumme gesperrt.

Jede Ebene prüft ihre Summen gegen alle gröberen Ebenen, als wären diese sichtbar; so lässt sich auch aus dem
Vergleich der Ebenen keine gesperrte Zelle als Differenz errechnen. Die Hagen-Analyse summiert je Klasse nur
Gebiete, deren Zellen sichtbar sind (sie verrät also nichts, was die Tabelle verbirgt).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from berichte.grundlagen import OEFFENTLICH, werte_und_maske
from freigabe.geheimhaltung import rolle_pruefen
from geodata.klassen import klassen_bilden
from kommune.format import zahl
from kommune.geheimhaltungsregeln import regeln_fuer
from kommune.laden import Kommune
from kommune.uebergaenge import GESAMT, aggregieren, ebenen_ueber, tabelle_konf, zuordnung
from kommune.zwischenspeicher import Objektcache

_PLAENE = Objektcache("berichte.uebergaenge.plaene", max_je_objekt=64)
#: Anzeige einer gesperrten Zahl
GESPERRT = "."


@dataclass(frozen=True)
class Zellen:
    """Übergänge einer Ebene und Periode, wie eine Rolle sie sehen darf.

    `zellen`: gebiet, von, nach, anzahl (NaN = gesperrt), gesperrt, art („primär“/„sekundär“/„“), anteil (%);
    `zeilen`: gebiet, von, summe (NaN = gesperrt); `spalten`: gebiet, nach, summe (NaN = gesperrt).
    """

    zellen: pd.DataFrame
    zeilen: pd.DataFrame
    spalten: pd.DataFrame

    @property
    def primaer(self) -> int:
        return int((self.zellen["art"] == "primär").sum())

    @property
    def sekundaer(self) -> int:
        return int((self.zellen["art"] == "sekundär").sum())


def tabellen(kommune: Kommune) -> list[tuple[str, str]]:
    """(ID, Name) der Übergangstabellen, die Daten haben."""
    vorhanden = set(kommune.uebergaenge["tabelle"].unique()) if len(kommune.uebergaenge) else set()
    return [(t.id, t.name) for t in kommune.konfiguration.uebergaenge if t.id in vorhanden]


def ebenen(kommune: Kommune, tabelle: str) -> list[str]:
    """Die Ebenen, auf denen eine Übergangstabelle gezeigt werden kann (Quellebene und gröbere)."""
    return ebenen_ueber(kommune.konfiguration, tabelle_konf(kommune.konfiguration, tabelle).ebene)


def perioden(kommune: Kommune, tabelle: str) -> list[str]:
    """Perioden einer Übergangstabelle, aufsteigend."""
    df = kommune.uebergaenge
    return sorted(df.loc[df["tabelle"] == tabelle, "periode"].unique().tolist())


def rohzellen(kommune: Kommune, tabelle: str, ebene: str, periode: str | None = None) -> pd.DataFrame:
    """UNGESCHÜTZTE Übergänge auf `ebene` (oder `GESAMT`), eine oder alle Perioden. Nur für admin und den Sperrplan."""
    df = kommune.uebergaenge
    df = df[df["tabelle"] == tabelle]
    if periode is not None:
        df = df[df["periode"] == periode]
    return aggregieren(df, kommune.konfiguration, kommune.gebiete, ebene).reset_index(drop=True)


def _sperrplan(
    kommune: Kommune, tabelle: str, ebene: str, periode: str, m: int, nullen: bool, sekundaer: bool
) -> Zellen:
    z = rohzellen(kommune, tabelle, ebene, periode)[["gebiet", "von", "nach", "anzahl"]].copy()
    a = z["anzahl"].to_numpy(dtype=float)
    klein = (a > 0) & (a < m)
    if nullen:
        klein |= a == 0
    gesperrt = klein.copy()
    sekundaer_maske = np.zeros(len(z), dtype=bool)
    # Summen, die gezeigt werden (Zeilen, Spalten) und Summen gröberer Ebenen (als sichtbar angenommen)
    gruppen: list[tuple[str, np.ndarray]] = []
    for art, schluessel in (("zeile", ["gebiet", "von"]), ("spalte", ["gebiet", "nach"])):
        codes = z.groupby(schluessel, sort=False).ngroup().to_numpy()
        gruppen.append((art, codes))
    if ebene != GESAMT:
        for oben in [*ebenen_ueber(kommune.konfiguration, ebene)[1:], GESAMT]:
            eltern = z["gebiet"].map(zuordnung(kommune.konfiguration, kommune.gebiete, ebene, oben))
            codes = z.assign(e=eltern).groupby(["e", "von", "nach"], sort=False, dropna=False).ngroup().to_numpy()
            gruppen.append(("oben", codes))
    summen_gesperrt: dict[tuple[str, int], bool] = {}
    for art, codes in gruppen:
        if art == "oben":
            continue
        s = np.bincount(codes, weights=a)
        for c, wert in enumerate(s):
            summen_gesperrt[(art, c)] = bool((0 < wert < m) or (nullen and wert == 0))
    mitglieder = [(art, i, [np.flatnonzero(codes == c) for c in range(codes.max() + 1)] if len(codes) else [])
                  for i, (art, codes) in enumerate(gruppen)]  # fmt: skip
    if sekundaer:
        geaendert = True
        while geaendert:
            geaendert = False
            for art, _, listen in mitglieder:
                for c, idx in enumerate(listen):
                    if art != "oben" and summen_gesperrt[(art, c)]:
                        continue
                    if len(idx) < 2 and art == "oben":
                        continue  # eine Zelle ist selbst die Summe darüber: die Ebene darüber sperrt sie primär
                    if int(gesperrt[idx].sum()) != 1:
                        continue
                    frei = idx[~gesperrt[idx]]
                    positiv = frei[a[frei] > 0]
                    kandidaten = positiv if len(positiv) else frei
                    if len(kandidaten):
                        wahl = kandidaten[np.argmin(a[kandidaten])]
                        gesperrt[wahl] = True
                        sekundaer_maske[wahl] = True
                        geaendert = True
                    elif art != "oben":
                        summen_gesperrt[(art, c)] = True
                        geaendert = True
    z["gesperrt"] = gesperrt
    z["art"] = np.where(klein, "primär", np.where(sekundaer_maske, "sekundär", ""))
    z["anzahl"] = z["anzahl"].where(~z["gesperrt"])
    tabellen_summen = []
    for (art, codes), schluessel in zip(gruppen[:2], (["gebiet", "von"], ["gebiet", "nach"]), strict=True):
        s = (
            z.assign(_c=codes, _roh=a)
            .groupby("_c", sort=True)
            .agg(**{k: (k, "first") for k in schluessel}, summe=("_roh", "sum"))
        )
        zu = np.array([summen_gesperrt[(art, int(c))] for c in s.index], dtype=bool)
        s["summe"] = s["summe"].where(~zu)
        tabellen_summen.append(s.reset_index(drop=True))
    zeilen, spalten = tabellen_summen
    summe = z.merge(zeilen, on=["gebiet", "von"], how="left")["summe"].to_numpy()
    z["anteil"] = np.where(summe > 0, 100 * z["anzahl"].to_numpy() / np.where(summe > 0, summe, 1), np.nan)
    return Zellen(z, zeilen, spalten)


def zellen(kommune: Kommune, tabelle: str, ebene: str, periode: str, *, rolle: str = OEFFENTLICH) -> Zellen:
    """Die Übergänge einer Ebene (oder `GESAMT`) und Periode für `rolle` (admin: ungesperrt)."""
    rolle = rolle_pruefen(rolle)
    regeln = regeln_fuer(kommune)
    if rolle == "admin" or not regeln.aktiv:
        m, nullen, sek = 0, False, False
    else:
        m, nullen, sek = regeln.mindestfallzahl, regeln.nullen_sperren, regeln.sekundaer
    return _PLAENE.holen(
        kommune,
        (tabelle, ebene, periode, m, nullen, sek),
        lambda: _sperrplan(kommune, tabelle, ebene, periode, m, nullen, sek),
    )


def quote_je_gebiet(
    kommune: Kommune, tabelle: str, ebene: str, periode: str, von: str, nach: str, *, rolle: str = OEFFENTLICH
) -> tuple[pd.Series, pd.Series]:
    """(Anteil `von` → `nach` in % je Gebiet der Ebene, Maske gesperrt) – Gebiete ohne Daten: NaN, nicht gesperrt."""
    z = zellen(kommune, tabelle, ebene, periode, rolle=rolle).zellen
    teil = z[(z["von"] == von) & (z["nach"] == nach)].set_index("gebiet")
    index = kommune.gebiete[ebene].index
    werte = teil["anteil"].reindex(index)
    zeilen = zellen(kommune, tabelle, ebene, periode, rolle=rolle).zeilen
    zeile = zeilen[zeilen["von"] == von].set_index("gebiet")["summe"].reindex(index)
    gesperrt = (teil["gesperrt"].reindex(index).fillna(False).astype(bool)) | (
        zeile.isna() & index.isin(zeilen.loc[zeilen["von"] == von, "gebiet"])
    )
    return werte.where(~gesperrt), pd.Series(gesperrt.to_numpy(), index=index)


def ohne_anschluss_reihe(
    kommune: Kommune, tabelle: str, ebene: str = GESAMT, gebiet: str | None = None, *, rolle: str = OEFFENTLICH
) -> pd.DataFrame:
    """Je Periode: Personen ohne Anschluss, alle Personen, Anteil in % (NaN = gesperrt), `gesperrt`.

    Ohne Anschluss sind die Ziele aus `ohne_anschluss` der Tabelle. Ein Anteil ist gesperrt, wenn eine seiner
    Zellen oder seine Summe gesperrt ist.
    """
    ohne = set(tabelle_konf(kommune.konfiguration, tabelle).ohne_anschluss)
    zeilen = []
    for p in perioden(kommune, tabelle):
        z = zellen(kommune, tabelle, ebene, p, rolle=rolle)
        teil = z.zellen if ebene == GESAMT else z.zellen[z.zellen["gebiet"] == gebiet]
        if teil.empty:
            continue
        rz = z.zeilen if ebene == GESAMT else z.zeilen[z.zeilen["gebiet"] == gebiet]
        o = teil[teil["nach"].isin(ohne)]
        gesperrt = bool(o["gesperrt"].any()) or bool(rz["summe"].isna().any())
        summe = float(rz["summe"].sum())
        anzahl = float(o["anzahl"].sum())
        anteil = 100 * anzahl / summe if summe > 0 and not gesperrt else math.nan
        zeilen.append({"periode": p, "ohne": math.nan if gesperrt else anzahl,
                       "summe": math.nan if gesperrt else summe, "anteil": anteil, "gesperrt": gesperrt})  # fmt: skip
    return pd.DataFrame(zeilen, columns=["periode", "ohne", "summe", "anteil", "gesperrt"])


# -- Hagen-Analyse ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hagen:
    """Übergangsquoten nach Klassen eines Belastungsindikators.

    `tabelle`: Klasse (1 = am wenigsten belastet), Beschriftung, Gebiete, Personen (`von`), je Ziel Anzahl und
    Anteil; `verhaeltnis`: Ziel → Anteil stärkste ÷ Anteil schwächste Belastung; `ausgelassen`: Gebiete ohne
    sichtbaren Indikator oder mit gesperrten Zellen; `saetze`: deutsche Sätze.
    """

    tabelle: pd.DataFrame
    verhaeltnis: dict[str, float]
    ausgelassen: int
    saetze: list[str]


def hagen(
    kommune: Kommune,
    tabelle: str,
    ebene: str,
    periode: str,
    von: str,
    ziele: list[str],
    indikator: str,
    *,
    indikator_periode: str | None = None,
    k: int = 4,
    rolle: str = OEFFENTLICH,
) -> Hagen:
    """Quoten `von` → jedes Ziel je Quantilsklasse von `indikator` (Richtung aus dem Katalog: hoch = belastet).

    Je Klasse zählen die Summen der Gebiete (nicht das Mittel der Quoten). Für Nicht-Admins nur Gebiete mit
    sichtbarem Indikator, sichtbarer Zeilensumme und sichtbaren Zellen der Ziele.
    """
    ip = indikator_periode or periode
    werte, _ = werte_und_maske(kommune, indikator, ebene, ip, rolle=rolle)
    richtung = int(kommune.katalog.loc[indikator, "richtung"]) if indikator in kommune.katalog.index else 1
    belastung = werte if richtung >= 0 else -werte
    z = zellen(kommune, tabelle, ebene, periode, rolle=rolle)
    zeilen = z.zeilen[z.zeilen["von"] == von].set_index("gebiet")["summe"]
    teil = z.zellen[(z.zellen["von"] == von)]
    breit = teil.pivot_table(index="gebiet", columns="nach", values="anzahl", aggfunc="first", dropna=False)
    gesperrt_breit = teil.pivot_table(index="gebiet", columns="nach", values="gesperrt", aggfunc="first")
    gebiete = zeilen.index
    ok = zeilen.notna() & (zeilen > 0) & belastung.reindex(gebiete).notna()
    for ziel in ziele:
        if ziel in gesperrt_breit.columns:
            ok &= ~gesperrt_breit[ziel].reindex(gebiete).fillna(False).astype(bool)
    gueltig = gebiete[ok.to_numpy()]
    ausgelassen = len(gebiete) - len(gueltig)
    leer = Hagen(pd.DataFrame(), {}, ausgelassen, [])
    if len(gueltig) < 2:
        return leer
    kl = klassen_bilden(belastung.reindex(gueltig).astype(float), "quantile", k, "YlOrRd", 1)
    klasse = kl.klasse.reindex(gueltig)
    namen_kl = list(kl.beschriftungen)
    if richtung < 0:  # Beschriftung in Werten des Indikators (nicht des umgedrehten)
        namen_kl = [f"Klasse {i + 1}" for i in range(len(namen_kl))]
    n = len(namen_kl)
    if n < 2:
        return leer
    reihen = []
    for c in range(n):
        ids = klasse.index[klasse.to_numpy() == c]
        personen = float(zeilen.reindex(ids).sum())
        zeile: dict[str, object] = {"klasse": c + 1, "beschriftung": namen_kl[c], "gebiete": len(ids),
                                    "personen": personen}  # fmt: skip
        for ziel in ziele:
            anz = float(breit[ziel].reindex(ids).fillna(0).sum()) if ziel in breit.columns else 0.0
            zeile[f"{ziel}|anzahl"] = anz
            zeile[f"{ziel}|anteil"] = 100 * anz / personen if personen > 0 else math.nan
        reihen.append(zeile)
    tab = pd.DataFrame(reihen)
    verhaeltnis = {}
    saetze = []
    for ziel in ziele:
        hoch, tief = tab[f"{ziel}|anteil"].iloc[-1], tab[f"{ziel}|anteil"].iloc[0]
        v = hoch / tief if tief and tief > 0 and not math.isnan(hoch) else math.nan
        verhaeltnis[ziel] = v
        saetze.append(hagen_satz(ziel, hoch, tief, v))
    return Hagen(tab, verhaeltnis, ausgelassen, saetze)


def hagen_satz(ziel: str, hoch: float, tief: float, verhaeltnis: float) -> str:
    """„In den am stärksten belasteten Gebieten ist der Anteil „Gymnasium“ 0,4-mal so hoch wie …“."""
    if math.isnan(verhaeltnis):
        return (
            f"Für „{ziel}“ lässt sich kein Verhältnis bilden (in den am wenigsten belasteten Gebieten "
            f"{zahl(tief, 1)} %)."
        )
    if verhaeltnis >= 1:
        wie = f"{zahl(verhaeltnis, 1)}-mal so hoch"
    else:
        wie = f"nur {zahl(verhaeltnis, 1)}-mal so hoch (also {zahl(100 * (1 - verhaeltnis), 0)} % niedriger)"
    return (
        f"In den am stärksten belasteten Gebieten ist der Anteil „{ziel}“ {wie} wie in den am wenigsten "
        f"belasteten ({zahl(hoch, 1)} % gegenüber {zahl(tief, 1)} %)."
    )


def als_tabelle(kommune: Kommune, z: Zellen, ebene: str) -> pd.DataFrame:
    """Die Zellen als Tabelle für Anzeige und Export: Gebiet, Herkunft, Ziel, Anzahl, Anteil (gesperrt: „.“)."""
    if ebene == GESAMT:
        namen = pd.Series({GESAMT: kommune.konfiguration.gesamtgebiet})
    else:
        namen = kommune.gebiete[ebene]["name"]
    df = z.zellen
    return pd.DataFrame(
        {
            "Gebiet": df["gebiet"].map(namen).fillna(df["gebiet"]).astype(str).to_numpy(),
            "von": df["von"].to_numpy(),
            "nach": df["nach"].to_numpy(),
            "Anzahl": [GESPERRT if g else zahl(a, 0) for a, g in zip(df["anzahl"], df["gesperrt"], strict=True)],
            "Anteil (%)": [GESPERRT if g else zahl(p, 1) for p, g in zip(df["anteil"], df["gesperrt"], strict=True)],
        }
    )


def text_sicher(text: object) -> str:
    """Text für SVG/HTML maskiert."""
    return html.escape(str(text), quote=True)

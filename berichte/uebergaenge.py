"""Übergänge zwischen Bildungsstufen auswerten: geschützte Zellen, Quoten, „ohne Anschluss“, Hagen-Analyse.

Rein, ohne Streamlit. Die Zahlen kommen aus `Kommune.uebergaenge` (`kommune.uebergaenge`); wer nicht „admin“ ist,
sieht sie nur nach dem Sperrplan dieses Moduls:

- primär: Anzahlen von 1 bis Mindestfallzahl − 1 (`[geheimhaltung] mindestfallzahl`, Standard 3), Nullen nur mit
  `nullen_sperren`; ebenso Summen (Herkunft, Ziel) unter der Mindestfallzahl;
- sekundär: ein Plan über alle Ebenen zugleich (Quellebene, gröbere Ebenen, ganze Kommune). In keiner Beziehung
  darf genau ein Glied gesperrt sein – Zeilensumme (Gebiet, Herkunft) = ihre Zellen; Zelle bzw. Zeilensumme eines
  Elterngebiets = die der Teilgebiete –, sonst wird das kleinste sichtbare Glied mitgesperrt (Zellen vor Summen),
  bis nichts mehr zu tun ist; danach prüft eine lineare Optimierung über alle diese Beziehungen zugleich
  (`freigabe.verknuepft`) und sperrt weiter, bis keine gesperrte Zahl mehr exakt folgt. So lässt sich weder aus
  einer Zeile noch aus dem Vergleich der Ebenen noch aus Ketten solcher Differenzen eine gesperrte Zelle errechnen.

Gezeigt werden nur Zellen und Zeilensummen; Spaltensummen (alle Herkünfte eines Ziels) nur als Summe sichtbarer
Zellen. Die Hagen-Analyse summiert je Klasse nur Gebiete, deren Zellen sichtbar sind (sie verrät also nichts, was
die Tabelle verbirgt).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from berichte.grundlagen import GESPERRT_TEXT, OEFFENTLICH, werte_und_maske
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
    `zeilen`: gebiet, von, summe (NaN = gesperrt), gesperrt.
    """

    zellen: pd.DataFrame
    zeilen: pd.DataFrame

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


def _gesamtplan(
    kommune: Kommune, tabelle: str, periode: str, m: int, nullen: bool, sekundaer: bool
) -> dict[str, Zellen]:
    """Ein Sperrplan über alle Ebenen einer Tabelle und Periode zugleich (Zellen und Zeilensummen).

    Beziehungen: Summe einer Zeile = ihre Zellen; Zelle (Summe) eines Elterngebiets = die Zellen (Summen) seiner
    Teilgebiete, bis zur ganzen Kommune. In keiner Beziehung darf genau ein Glied gesperrt sein.
    """
    konf = kommune.konfiguration
    quelle = tabelle_konf(konf, tabelle).ebene
    stufen = [*ebenen_ueber(konf, quelle), GESAMT]
    zellen_je: dict[str, pd.DataFrame] = {}
    summen_je: dict[str, pd.DataFrame] = {}
    werte: list[np.ndarray] = []
    start = 0
    for e in stufen:
        z = rohzellen(kommune, tabelle, e, periode)[["gebiet", "von", "nach", "anzahl"]].reset_index(drop=True)
        z["_i"] = np.arange(start, start + len(z))
        start += len(z)
        s = z.groupby(["gebiet", "von"], sort=True, as_index=False)["anzahl"].sum().rename(columns={"anzahl": "summe"})
        s["_i"] = np.arange(start, start + len(s))
        start += len(s)
        zellen_je[e], summen_je[e] = z, s
        werte += [z["anzahl"].to_numpy(dtype=float), s["summe"].to_numpy(dtype=float)]
    a = np.concatenate(werte) if werte else np.zeros(0)
    ist_zelle = np.zeros(len(a), dtype=bool)
    for e in stufen:
        ist_zelle[zellen_je[e]["_i"].to_numpy()] = True
    klein = (a > 0) & (a < m)
    if nullen:
        klein |= a == 0
    gesperrt = klein.copy()
    gruppen: list[np.ndarray] = []
    for e in stufen:
        z, s = zellen_je[e], summen_je[e]
        zeile = z.merge(s[["gebiet", "von", "_i"]], on=["gebiet", "von"], suffixes=("", "_s"))
        for _, teil in zeile.groupby("_i_s", sort=False):
            gruppen.append(np.append(teil["_i"].to_numpy(), int(teil["_i_s"].iloc[0])))
    for unten, oben in itertools.pairwise(stufen):
        karte = zuordnung(konf, kommune.gebiete, unten, oben)
        for df, schluessel in ((zellen_je, ["von", "nach"]), (summen_je, ["von"])):
            kind = df[unten].assign(gebiet=df[unten]["gebiet"].map(karte))
            eltern = df[oben][["gebiet", *schluessel, "_i"]]
            verbunden = kind.merge(eltern, on=["gebiet", *schluessel], suffixes=("", "_e"))
            for _, teil in verbunden.groupby("_i_e", sort=False):
                gruppen.append(np.append(teil["_i"].to_numpy(), int(teil["_i_e"].iloc[0])))
    sekundaer_maske = np.zeros(len(a), dtype=bool)
    geaendert = sekundaer
    while geaendert:
        geaendert = False
        for idx in gruppen:
            if int(gesperrt[idx].sum()) != 1:
                continue
            frei = idx[~gesperrt[idx]]
            positiv = frei[a[frei] > 0]
            kandidaten = positiv if len(positiv) else frei
            if not len(kandidaten):
                continue
            # die kleinste Zelle zuerst (Summen nur, wenn keine Zelle bleibt)
            kandidaten = kandidaten[np.lexsort((a[kandidaten], ~ist_zelle[kandidaten]))]
            gesperrt[kandidaten[0]] = True
            sekundaer_maske[kandidaten[0]] = True
            geaendert = True
    if sekundaer and gesperrt.any():
        sekundaer_maske |= _lp_nachsperren(a, klein, gesperrt, gruppen, ist_zelle, nullen)
        gesperrt |= sekundaer_maske
    plan: dict[str, Zellen] = {}
    for e in stufen:
        z, s = zellen_je[e].copy(), summen_je[e].copy()
        i, j = z.pop("_i").to_numpy(), s.pop("_i").to_numpy()
        z["gesperrt"] = gesperrt[i]
        z["art"] = np.where(klein[i], "primär", np.where(sekundaer_maske[i], "sekundär", ""))
        z["anzahl"] = z["anzahl"].where(~z["gesperrt"])
        s["gesperrt"] = gesperrt[j]
        s["summe"] = s["summe"].where(~s["gesperrt"])
        summe = z.merge(s, on=["gebiet", "von"], how="left")["summe"].to_numpy()
        z["anteil"] = np.where(summe > 0, 100 * z["anzahl"].to_numpy() / np.where(summe > 0, summe, 1), np.nan)
        plan[e] = Zellen(z, s)
    return plan


def _lp_nachsperren(
    a: np.ndarray, klein: np.ndarray, gesperrt: np.ndarray, gruppen: list[np.ndarray], ist_zelle: np.ndarray,
    nullen: bool,
) -> np.ndarray:
    """Die Regel „nie genau ein Glied gesperrt“ sieht keine Differenzen über mehrere Beziehungen zugleich (Zeilen
    und Ebenen): die LP-Prüfung (`freigabe.verknuepft`) über alle Beziehungen sperrt weiter, bis keine gesperrte
    Zahl mehr exakt folgt. Rückgabe: alle sekundär gesperrten Glieder (alte und neue). Mitgesperrt wird wie oben:
    kleinste positive Zelle, dann Nullen, Summen zuletzt; Nullen sind ohne `nullen` kein Geheimnis."""
    from freigabe.verknuepft import SEKUNDAER, Zelle, pruefen_und_sperren, summe

    zellen = [
        Zelle(i, float(a[i]), primaer=bool(klein[i]), schutz=1.0 if a[i] != 0 or nullen else 0.0,
              kosten=(float(a[i]) if a[i] > 0 else 1e6) + (0.0 if ist_zelle[i] else 1e9))
        for i in range(len(a))
    ]  # fmt: skip
    beziehungen = [summe(int(idx[-1]), [int(i) for i in idx[:-1]]) for idx in gruppen]
    vorher = [i for i in range(len(a)) if gesperrt[i] and not klein[i]]
    ergebnis = pruefen_und_sperren(zellen, beziehungen, vorgesperrt=vorher)
    maske = np.zeros(len(a), dtype=bool)
    maske[[i for i, art in ergebnis.gesperrt.items() if art == SEKUNDAER]] = True
    return maske


def zellen(kommune: Kommune, tabelle: str, ebene: str, periode: str, *, rolle: str = OEFFENTLICH) -> Zellen:
    """Die Übergänge einer Ebene (oder `GESAMT`) und Periode für `rolle` (admin: ungesperrt)."""
    rolle = rolle_pruefen(rolle)
    regeln = regeln_fuer(kommune)
    if rolle == "admin" or not regeln.aktiv:
        m, nullen, sek = 0, False, False
    else:
        m, nullen, sek = regeln.mindestfallzahl, regeln.nullen_sperren, regeln.sekundaer
    plan = _PLAENE.holen(
        kommune, (tabelle, periode, m, nullen, sek), lambda: _gesamtplan(kommune, tabelle, periode, m, nullen, sek)
    )
    if ebene not in plan:
        raise KeyError(f"Die Übergangstabelle „{tabelle}“ gibt es auf der Ebene „{ebene}“ nicht.")
    return plan[ebene]


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
    if 0.95 <= verhaeltnis <= 1.05:
        wie = f"etwa gleich hoch ({zahl(verhaeltnis, 2)}-mal)"
    elif verhaeltnis >= 1:
        wie = f"{zahl(verhaeltnis, 1)}-mal so hoch"
    else:
        wie = f"nur {zahl(verhaeltnis, 1)}-mal so hoch (also {zahl(100 * (1 - verhaeltnis), 0)} % niedriger)"
    return (
        f"In den am stärksten belasteten Gebieten ist der Anteil „{ziel}“ {wie} wie in den am wenigsten "
        f"belasteten ({zahl(hoch, 1)} % gegenüber {zahl(tief, 1)} %)."
    )


def hagen_diagramm(h: Hagen, ziele: list[str], *, titel: str, stand: str) -> alt.Chart:
    """Balken: Anteil je Ziel und Belastungsklasse (1 = am wenigsten belastet), beschriftet im deutschen Format."""
    from berichte.diagramme import _fertig

    zeilen = []
    for d in h.tabelle.to_dict("records"):
        for ziel in ziele:
            anteil = float(d[f"{ziel}|anteil"])
            zeilen.append({"Klasse": f"{d['klasse']}: {d['beschriftung']}", "Ziel": ziel, "Anteil": anteil,
                           "Text": f"{zahl(anteil, 1)} %"})  # fmt: skip
    daten = pd.DataFrame(zeilen)
    reihenfolge = list(dict.fromkeys(daten["Klasse"])) if len(daten) else []
    basis = alt.Chart(daten).encode(
        x=alt.X("Klasse:N", sort=reihenfolge, title="Belastung (1 = am geringsten)", axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("Ziel:N", sort=ziele),
        y=alt.Y("Anteil:Q", title="Anteil (%)"),
        color=alt.Color("Ziel:N", sort=ziele, title=None, legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("Klasse:N"), alt.Tooltip("Ziel:N"), alt.Tooltip("Text:N", title="Anteil")],
    )
    chart = basis.mark_bar() + basis.mark_text(dy=-8, fontSize=14).encode(text="Text:N")
    return _fertig(chart.properties(height=340), titel, stand)


def ohne_anschluss_diagramm(reihe: pd.DataFrame, *, titel: str, stand: str) -> alt.Chart:
    """Linie: Anteil ohne Anschluss je Periode (gesperrte Perioden ohne Punkt), beschriftet."""
    from berichte.diagramme import _fertig

    daten = reihe.assign(
        Periode=reihe["periode"].astype(str),
        Anteil=reihe["anteil"],
        Text=[
            GESPERRT_TEXT if g else f"{zahl(a, 1)} %" for a, g in zip(reihe["anteil"], reihe["gesperrt"], strict=True)
        ],
    )[["Periode", "Anteil", "Text"]]
    basis = alt.Chart(daten).encode(
        x=alt.X("Periode:N", title="Periode", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("Anteil:Q", title="Anteil ohne Anschluss (%)", scale=alt.Scale(zero=True)),
        tooltip=[alt.Tooltip("Periode:N"), alt.Tooltip("Text:N", title="Anteil")],
    )
    chart = basis.mark_line(point=True) + basis.mark_text(dy=-12, fontSize=14).encode(text="Text:N")
    return _fertig(chart.properties(height=260), titel, stand, gesperrt=int(reihe["gesperrt"].sum()))


def hagen_tabelle(h: Hagen, ziele: list[str], indikator_name: str) -> pd.DataFrame:
    """Die Klassen der Hagen-Analyse als Tabelle (deutsches Zahlformat): Zwilling des Diagramms."""
    zeilen = []
    for d in h.tabelle.to_dict("records"):
        zeile = {"Klasse": str(d["klasse"]), indikator_name: d["beschriftung"], "Gebiete": zahl(d["gebiete"], 0),
                 "Personen": zahl(d["personen"], 0)}  # fmt: skip
        for ziel in ziele:
            zeile[f"{ziel} (Anzahl)"] = zahl(d[f"{ziel}|anzahl"], 0)
            zeile[f"{ziel} (%)"] = zahl(d[f"{ziel}|anteil"], 1)
        zeilen.append(zeile)
    return pd.DataFrame(zeilen)


def export_tabelle(kommune: Kommune, z: Zellen, ebene: str, periode: str) -> pd.DataFrame:
    """Zellen für CSV/XLSX: Zahlen als Zahlen, gesperrte als „.“ (Entschärfung macht `oberflaeche.export`)."""
    if ebene == GESAMT:
        namen = pd.Series({GESAMT: kommune.konfiguration.gesamtgebiet})
    else:
        namen = kommune.gebiete[ebene]["name"]
    df = z.zellen
    return pd.DataFrame(
        {
            "ID": ["" if g == GESAMT else g for g in df["gebiet"]],
            "Gebiet": df["gebiet"].map(namen).fillna(df["gebiet"]).astype(str).to_numpy(),
            "Periode": periode,
            "von": df["von"].to_numpy(),
            "nach": df["nach"].to_numpy(),
            "Anzahl": [GESPERRT if g else a for a, g in zip(df["anzahl"], df["gesperrt"], strict=True)],
            "Anteil an von (%)": [
                GESPERRT if g or pd.isna(p) else round(float(p), 1)
                for p, g in zip(df["anteil"], df["gesperrt"], strict=True)
            ],
        }
    )

"""Statistische Geheimhaltung an EINER Stelle: was eine Rolle von einem Indikatorwert sehen darf.

Jede Ansicht (Karte, Tooltip, Tabelle, Diagramm, Export, Kommandozeile) fragt hier, bevor sie Werte zeigt:
`schuetzen` für eine Tabelle (Gebiete × Indikatoren), `sperren_reihe` für eine Kartenspalte. Gesperrte
Zellen werden NaN; angezeigt werden sie als `ANZEIGE_GESPERRT` („.“, amtliche Zeichenerklärung).

Regeln je Kommune aus dem Abschnitt `[geheimhaltung]` der kommune.toml (alle Schlüssel optional)::

    [geheimhaltung]
    aktiv = true                    # false schaltet die Geheimhaltung ab (nur für reine Testdaten!)
    mindestfallzahl = 3             # Anzahlen 1 … 2 werden gesperrt
    mindestfallzahl_sensibel = 5    # für Indikatoren mit `sensibel = ja` im Katalog (Jugendhilfe u. ä.)
    mindestnenner = 10              # Anteile, deren Nenner (Bezugsgröße) kleiner ist, werden gesperrt
    mindestnenner_sensibel = 10     # dasselbe für sensible Anteile (Standard: wie mindestnenner)
    mindestbevoelkerung = 300       # Gebiete mit weniger Einwohnern: alle Werte gesperrt
    bevoelkerung = ["inhabitants", "EW"]  # Einwohner-Indikator(en); Standard: [bevoelkerung] (s. u.)
    sekundaer = true                # Sekundärsperrung in verschachtelten Ebenen
    nullen_sperren = false          # Anzahl 0 ist kein Geheimnis (s. u.)
    intern = "sensibel"             # Rolle „intern“: Regeln für "sensibel" | "alle" | "keine" Indikatoren
    ausgenommen = []                # Indikatoren ohne Geheimhaltung (z. B. amtlich veröffentlichte Indizes)

Die Regeln (primär, je Zelle):

* **Fallzahl**: Anzahlen (`art = anzahl`) mit 0 < Wert < Mindestfallzahl; Anteile, deren Zähler
  (Spalte `zaehler` der Indikatortabelle oder Zähler-Indikator im Katalog) 0 < Zähler < Mindestfallzahl ist.
  Grund „Fallzahl unter 3“.
* **Nenner**: Anteile, deren Nenner (Spalte `nenner`, Nenner-Indikator im Katalog oder die Bezugs-
  bevölkerung `gewicht`) kleiner als der Mindestnenner ist, auch 0. Grund „Nenner unter 10“.
* **Gebiet**: alle Werte eines Gebiets mit weniger als `mindestbevoelkerung` Einwohnern, außer der
  Einwohnerzahl selbst (sie ist kein Merkmal einzelner Personen, macht die Regel nachvollziehbar und
  unterliegt nur der Fallzahlregel). Grund „Gebiet unter 300 Einwohnern“. Einwohner-Indikator: je Periode
  der erste aus `bevoelkerung` mit Werten in dieser Periode, sonst der jüngere Stand davor, sonst der
  jüngste. Ohne Angabe gilt der Indikator aus `[bevoelkerung] indikator` der kommune.toml; fehlt auch
  der, erkennt die Geheimhaltung – nur als Sicherung, damit kleine Gebiete nicht ungeschützt bleiben – die
  Katalog-Anzahlen mit der ID einwohner, inhabitants, EW, bevoelkerung, ew (das Laden rät dann, ihn
  anzugeben).

**Nullen** sind nicht geheim: Eine leere Zelle sagt nichts über einzelne Personen (so hält es auch die
Statistik der BA). Wer Gruppenaussagen („niemand im Viertel …“) vermeiden muss, setzt `nullen_sperren`.

**Sekundärsperrung** (alle Ebenen einer Periode gemeinsam, für Anzahlen und Anteile mit Nenner/Gewicht):
Jede Elternzelle bildet mit ihren Kindern eine Teiltabelle (oberste Ebene: das Gesamtgebiet). Ist darin genau
EINE Zelle gesperrt, ließe sie sich aus Summe und übrigen Zellen errechnen; dann wird das kleinste noch
sichtbare Kind (Nullen zuletzt) gesperrt, oder – gibt es keines – die Elternzelle. Auch der Gesamtwert wird
so gesperrt, aber nur dann (`gesamt_gesperrt`): etwa wenn die oberste Ebene nur ein Gebiet hat (ein Kreis)
oder alle übrigen ohne Wert sind – Anzahlen zeigt `kommune.werte` dann als Teilsumme mit Deckung.
Dazu kommt die Verknüpfung Anteil ↔ Zähler: Ist der Zähler gesperrt, wird der Anteil
gesperrt und umgekehrt (sonst Zähler = Anteil × Nenner). Das wiederholt sich, bis sich nichts mehr ändert.
Gesperrt wird deshalb immer über einen kommunenweiten **Sperrplan** je Periode und Rolle, unabhängig davon,
welche Spalten eine Ansicht gerade zeigt – so verraten sich Karte und Export nicht gegenseitig.
Einzugsbereiche (quer zu den Ebenen, Werte nur geschätzt) bilden eine Teiltabelle unter dem Gesamtgebiet.

**LP-Prüfung** (`LP_PRUEFUNG`, `freigabe.verknuepft`, Beziehungen aus `freigabe.beziehungen`): Die Regel „je
Teiltabelle mindestens zwei Sperren“ sieht keine Differenzen über mehrere Ebenen, Gruppen (Familien mit
`summe = true`) und Einzugsbereiche zugleich. Danach prüft deshalb je Periode und Rolle eine lineare
Optimierung jede gesperrte Zelle gegen alle linearen Beziehungen, die der Export verrät, und sperrt greedy
weiter, bis keine mehr exakt folgt (`Sperrplan.pruefung`). Nur mitgesperrte Einzugsbereiche, deren Wert ohnehin
exakt aus Veröffentlichtem folgt, zeigt der Plan (`methode = "area"`). Begründung: docs/geheimhaltung.md.

**Rollen**: `oeffentlich` – alle Regeln; `intern` (Beschäftigte der Verwaltung, Dienstgebrauch) – Regeln
nur für sensible Indikatoren (Katalog `sensibel = ja`, samt der Anteile, deren Zähler sensibel ist, und
der Zähler sensibler Anteile), weil die übrigen Daten ohnehin an die Verwaltung geliefert werden, Einzel-
angaben über Jugendhilfefälle aber auch intern nur gebündelt gezeigt werden; `admin` – nichts gesperrt
(für Import und Prüfung der Rohdaten). Über `intern = "alle"` oder `"keine"` einstellbar.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from kommune.fehler import KommuneFehler
from kommune.format import zahl
from kommune.geheimhaltungsregeln import (  # noqa: F401 – Regeln und Rollen gehören zur Schnittstelle
    ANZEIGE_GESPERRT,
    ROLLEN,
    ROLLEN_NAMEN,
    Regeln,
    regeln_aus_abschnitt,
    regeln_fuer,
    rolle_pruefen,
    sensibel_je_indikator,
)
from kommune.laden import Kommune
from kommune.rueckrufe import bei_datenwechsel
from kommune.zwischenspeicher import Objektcache

SEKUNDAER = "sekundäre Sperrung"
GESAMT = "_gesamt"


# ---------------------------------------------------------------------------------------------------
# Sperrplan: alle Ebenen einer Periode gemeinsam
# ---------------------------------------------------------------------------------------------------


@dataclass
class _Ebene:
    """Werte und Sperren einer Ebene (Zeilen = Gebiete, Spalten = Indikatoren des Plans)."""

    id: str
    ids: pd.Index
    eltern: str | None  # Ebene der Elternzellen (GESAMT für die oberste Ebene und Einzugsbereiche)
    eltern_pos: np.ndarray  # Zeile der Elternzelle in der Elternebene, -1 = unbekannt
    wert: np.ndarray
    zaehler: np.ndarray
    nenner: np.ndarray
    bevoelkerung: np.ndarray
    maske: np.ndarray = field(init=False)
    gruende: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.maske = np.zeros(self.wert.shape, dtype=bool)
        self.gruende = np.full(self.wert.shape, "", dtype=object)


@dataclass
class Sperrplan:
    """Sperren aller Gebiete aller Ebenen für eine Periode und Rolle."""

    periode: str
    rolle: str
    indikatoren: list[str]
    ebenen: dict[str, _Ebene]
    pruefung: Any = None  # `freigabe.beziehungen.Pruefung` der LP-Prüfung (nur verschachtelte Ebenen)

    def gesperrt(self, schicht_id: str, indikator: str) -> tuple[pd.Series, pd.Series] | None:
        """(Maske, Gründe) einer Spalte, oder None, wenn der Plan sie nicht kennt."""
        e = self.ebenen.get(schicht_id)
        if e is None or indikator not in self.indikatoren:
            return None
        j = self.indikatoren.index(indikator)
        return (
            pd.Series(e.maske[:, j], index=e.ids, name=indikator),
            pd.Series(e.gruende[:, j], index=e.ids, name=indikator, dtype=object),
        )


def _gruppen_aggregieren(werte: np.ndarray, codes: np.ndarray, n: int) -> np.ndarray:
    """Summe je Gruppe (Code −1 = ohne Gruppe); NaN, sobald ein Kindwert fehlt oder die Gruppe leer ist."""
    ok = codes >= 0
    c = codes[ok]
    w = werte[ok]
    fehlt = np.bincount(c, weights=np.isnan(w).astype(float), minlength=n)
    anzahl = np.bincount(c, minlength=n)
    summe = np.bincount(c, weights=np.nan_to_num(w), minlength=n)
    return np.where((fehlt > 0) | (anzahl == 0), np.nan, summe)


class _Rechner:
    """Werte einer Periode auf allen verschachtelten Ebenen (wie `kommune.werte.werte`, aber vektoriell)."""

    def __init__(self, kommune: Kommune, periode: str) -> None:
        # nur schwach: der Rechner liegt im Cache AN der Kommune – eine starke Referenz wäre ein Kreis, den erst
        # der Garbage Collector (irgendwann) abräumt
        self._kommune = weakref.ref(kommune)
        self.periode = periode
        df = kommune.indikatoren
        self.teil = df[df["periode"] == periode]
        self.reihenfolge = [s.id for s in kommune.konfiguration.schichten]
        self._quellen: dict[str, tuple[str, pd.DataFrame] | None] = {}
        self._codes: dict[tuple[str, str], np.ndarray | None] = {}

    @property
    def kommune(self) -> Kommune:
        kommune = self._kommune()
        if kommune is None:  # pragma: no cover – der Rechner lebt nur im Cache der Kommune
            raise ReferenceError("Die Kommune dieses Rechners gibt es nicht mehr.")
        return kommune

    def quelle(self, indikator: str) -> tuple[str, pd.DataFrame] | None:
        """Feinste Schicht mit Werten und deren Zeilen (Index = Gebiet), wie `werte._quellwerte`."""
        if indikator not in self._quellen:
            t = self.teil[self.teil["indikator"] == indikator]
            if t.empty:
                self._quellen[indikator] = None
            else:
                s = min(t["schicht"].unique(), key=self.reihenfolge.index)
                self._quellen[indikator] = (s, t[t["schicht"] == s].drop_duplicates("gebiet").set_index("gebiet"))
        return self._quellen[indikator]

    def codes(self, von: str, nach: str) -> np.ndarray | None:
        """Für jedes Gebiet von `von` die Zeilennummer des umschließenden Gebiets in `nach` (−1 = keins)."""
        if (von, nach) not in self._codes:
            from kommune.werte import zuordnung

            karte = zuordnung(self.kommune, von, nach)
            if karte is None:
                self._codes[(von, nach)] = None
            else:
                ziel = self.kommune.gebiete[nach].index
                self._codes[(von, nach)] = ziel.get_indexer(karte.to_numpy())
        return self._codes[(von, nach)]

    def reihe(self, indikator: str, spalte: str, schicht: str, *, teilsumme: bool = False) -> np.ndarray:
        """`wert`/`zaehler`/`nenner` eines Indikators auf einer Ebene, summiert aus der Quellebene.

        Ohne `teilsumme` ist die Summe leer, sobald ein Kindwert fehlt (wie `werte` bei Anzahlen); mit
        `teilsumme` zählt die Summe der vorhandenen Kinder (Bezugsgrößen für die Nenner- und Gebietsregel).
        """
        q = self.quelle(indikator)
        if q is None:
            return np.full(len(self.kommune.gebiete[schicht]), np.nan)
        s, t = q
        roh = t[spalte].reindex(self.kommune.gebiete[s].index).to_numpy(dtype=float)
        return self.auf_ebene(roh, s, schicht, teilsumme=teilsumme)

    def auf_ebene(self, roh: np.ndarray, s: str, schicht: str, *, teilsumme: bool = False) -> np.ndarray:
        """Werte der Gebiete von `s` auf die Ebene `schicht` summieren (mit `teilsumme` wie in `reihe`)."""
        ziel = self.kommune.gebiete[schicht].index
        if s == schicht:
            return roh
        codes = self.codes(s, schicht)
        if codes is None:
            return np.full(len(ziel), np.nan)
        if teilsumme:
            ok = (codes >= 0) & ~np.isnan(roh)
            summe = np.bincount(codes[ok], weights=roh[ok], minlength=len(ziel))
            return np.where(np.bincount(codes[ok], minlength=len(ziel)) > 0, summe, np.nan)
        return _gruppen_aggregieren(roh, codes, len(ziel))

    def ebene(self, indikator: str, schicht: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(wert, zaehler, nenner) eines Indikators auf einer verschachtelten Ebene.

        Anzahlen: Summen der Kinder mit Wert – jede Teilsumme, die `kommune.werte` zeigen kann (mit Deckung),
        auch unter der Mindestdeckung: Sonst ließe sich aus Eltern- und Geschwisterwerten ein gesperrtes Kind
        errechnen, ohne dass die Sekundärsperrung die Teiltabelle sähe. Anteile und Indizes: der Wert kommt
        auf gröberen Ebenen aus `kommune.werte` (dort steht die Aggregationsregel; hier ohne Mindestdeckung,
        aus demselben Grund), Zähler und Nenner bzw. die Bezugsgröße (`gewicht`, auch als Summenformel und
        aus der nächstgelegenen Periode) als Summe der Kinder mit Wert.
        """
        from kommune.werte import OHNE_SCHWELLE, bezugsreihe, werte_mit_deckung

        kat = self.kommune.katalog
        n_ziel = len(self.kommune.gebiete[schicht])
        leer = np.full(n_ziel, np.nan)
        q = self.quelle(indikator)
        if q is None:
            return leer, leer, leer
        s, t = q
        if kat.loc[indikator, "art"] == "anzahl":
            return self.reihe(indikator, "wert", schicht, teilsumme=True), leer, leer
        if s != schicht and self.codes(s, schicht) is None:
            return leer, leer, leer
        eintrag = kat.loc[indikator]
        teil = s != schicht
        z = n = None
        if t["zaehler"].notna().any() and t["nenner"].notna().any():
            z = self.reihe(indikator, "zaehler", schicht, teilsumme=teil)
            n = self.reihe(indikator, "nenner", schicht, teilsumme=teil)
        else:
            zr, nr = (bezugsreihe(self.kommune, str(eintrag[c] or ""), self.periode, s) for c in ("zaehler", "nenner"))
            if zr is not None and nr is not None:
                z = self.auf_ebene(zr[0].to_numpy(dtype=float), s, schicht, teilsumme=teil)
                n = self.auf_ebene(nr[0].to_numpy(dtype=float), s, schicht, teilsumme=teil)
        if s == schicht:
            wert = t["wert"].reindex(self.kommune.gebiete[schicht].index).to_numpy(dtype=float)
        else:
            agg = werte_mit_deckung(self.kommune, indikator, schicht, self.periode, regeln=OHNE_SCHWELLE)
            wert = agg.werte.to_numpy(dtype=float)
        if z is not None and n is not None and not np.isnan(z).all():
            return wert, z, n
        gewicht = bezugsreihe(self.kommune, str(eintrag["gewicht"] or ""), self.periode, s, naechste=True)
        if gewicht is not None:
            return wert, leer, self.auf_ebene(gewicht[0].to_numpy(dtype=float), s, schicht, teilsumme=teil)
        return wert, leer, leer


def _bevoelkerungs_periode(kommune: Kommune, regeln: Regeln, periode: str) -> tuple[str, str] | None:
    """(Indikator, Periode) der Einwohnerzahl für die Gebietsregel."""
    df = kommune.indikatoren
    vorhanden = {b: sorted(df.loc[df["indikator"] == b, "periode"].unique()) for b in regeln.bevoelkerung}
    for b in regeln.bevoelkerung:
        if periode in vorhanden[b]:
            return b, periode
    for b in regeln.bevoelkerung:
        frueher = [p for p in vorhanden[b] if p <= periode]
        if frueher:
            return b, frueher[-1]
    for b in regeln.bevoelkerung:
        if vorhanden[b]:
            return b, vorhanden[b][-1]
    return None


def _unter_regeln(kommune: Kommune, regeln: Regeln, rolle: str, indikatoren: list[str]) -> np.ndarray:
    """Für welche Indikatoren gelten in dieser Rolle die Regeln?"""
    kat = kommune.katalog
    if not regeln.aktiv or rolle == "admin":
        return np.zeros(len(indikatoren), dtype=bool)
    if rolle == "intern" and regeln.intern != "alle":
        if regeln.intern == "keine":
            return np.zeros(len(indikatoren), dtype=bool)
        sensibel = sensibel_je_indikator(kat)
        ja = np.array([sensibel.get(i, False) for i in indikatoren], dtype=bool)
    else:
        ja = np.ones(len(indikatoren), dtype=bool)
    aus = set(regeln.ausgenommen)
    return ja & np.array([i not in aus for i in indikatoren], dtype=bool)


def _primaer(
    kommune: Kommune, regeln: Regeln, indikatoren: list[str], regel_an: np.ndarray, bev_ids: set[str], e: _Ebene
) -> None:
    """Fallzahl-, Nenner- und Gebietsregel auf eine Ebene anwenden."""
    kat = kommune.katalog
    sensibel = sensibel_je_indikator(kat)
    for j, ind in enumerate(indikatoren):
        if not regel_an[j]:
            continue
        s = sensibel.get(ind, False)
        min_fall = regeln.mindestfallzahl_sensibel if s else regeln.mindestfallzahl
        min_nenner = regeln.mindestnenner_sensibel if s else regeln.mindestnenner
        art = kat.loc[ind, "art"] if ind in kat.index else "index"
        w, z, n = e.wert[:, j], e.zaehler[:, j], e.nenner[:, j]
        with np.errstate(invalid="ignore"):
            if art == "anzahl":
                klein = (w > 0) & (w < min_fall)
                if regeln.nullen_sperren:
                    klein |= w == 0
                _setzen(e, j, klein, f"Fallzahl unter {min_fall}")
            elif art == "anteil":
                klein = (z > 0) & (z < min_fall)
                if regeln.nullen_sperren:
                    klein |= z == 0
                _setzen(e, j, klein, f"Fallzahl unter {min_fall}")
                _setzen(e, j, n < min_nenner, f"Nenner unter {min_nenner}")
            if ind not in bev_ids:
                _setzen(
                    e,
                    j,
                    e.bevoelkerung < regeln.mindestbevoelkerung,
                    f"Gebiet unter {regeln.mindestbevoelkerung} Einwohnern",
                )


def _setzen(e: _Ebene, j: int, auswahl: np.ndarray, grund: str) -> np.ndarray:
    """Spalte j: Zellen der Auswahl sperren (nur mit Wert, nur noch nicht gesperrte); neue Sperren zurück."""
    neu = np.asarray(auswahl, dtype=bool) & ~e.maske[:, j] & ~np.isnan(e.wert[:, j])
    e.maske[neu, j] = True
    e.gruende[neu, j] = grund
    return neu


def _verknuepfen(kommune: Kommune, indikatoren: list[str], regel_an: np.ndarray, e: _Ebene) -> int:
    """Anteil ↔ Zähler: wer gesperrt ist, sperrt den anderen mit (sonst Zähler = Anteil × Nenner)."""
    kat = kommune.katalog
    neu = 0
    pos = {i: j for j, i in enumerate(indikatoren)}
    for j, ind in enumerate(indikatoren):
        if not regel_an[j] or ind not in kat.index or kat.loc[ind, "art"] == "anzahl":
            continue
        jz = pos.get(kat.loc[ind, "zaehler"])
        if jz is None or not regel_an[jz]:
            continue
        neu += int(_setzen(e, j, e.maske[:, jz].copy(), SEKUNDAER).sum())
        neu += int(_setzen(e, jz, e.maske[:, j].copy(), SEKUNDAER).sum())
    return neu


def _sekundaer(ebenen: dict[str, _Ebene], reihenfolge: list[str], spalten: np.ndarray) -> int:
    """Teiltabellen (Elternzelle + Kinder) mit genau einer Sperre reparieren, von grob nach fein."""
    neu = 0
    for eid in reihenfolge:
        e = ebenen[eid]
        if e.eltern is None:
            continue
        p = ebenen[e.eltern]
        n_eltern = len(p.ids)
        ok = e.eltern_pos >= 0
        for j in np.flatnonzero(spalten):
            kind_hat = ~np.isnan(e.wert[:, j]) & ok
            gesperrt = np.bincount(e.eltern_pos[ok], weights=(e.maske[ok, j]).astype(float), minlength=n_eltern)
            eltern_hat = ~np.isnan(p.wert[:, j])
            gesamt = gesperrt + p.maske[:, j]
            for g in np.flatnonzero((gesamt == 1) & eltern_hat):
                kinder = np.flatnonzero((e.eltern_pos == g) & kind_hat)
                frei = [k for k in kinder if not e.maske[k, j]]
                if frei:
                    gewicht = np.where(np.isnan(e.nenner[frei, j]), 1.0, e.nenner[frei, j])
                    schluessel = [
                        (float(e.wert[k, j]) == 0.0, abs(float(e.wert[k, j]) * float(gw)), str(e.ids[k]))
                        for k, gw in zip(frei, gewicht, strict=True)
                    ]
                    k = frei[min(range(len(frei)), key=schluessel.__getitem__)]
                    e.maske[k, j] = True
                    e.gruende[k, j] = SEKUNDAER
                    neu += 1
                elif not p.maske[g, j]:  # auch das Gesamtgebiet (`gesamt_gesperrt`)
                    p.maske[g, j] = True
                    p.gruende[g, j] = SEKUNDAER
                    neu += 1
    return neu


def _ebenen_reihenfolge(kommune: Kommune) -> list[str]:
    """Verschachtelte Ebenen von grob nach fein (Eltern vor Kindern)."""
    ebenen = kommune.konfiguration.ebenen
    tiefe: dict[str, int] = {}

    def t(eid: str) -> int:
        if eid not in tiefe:
            eltern = next(e.eltern for e in ebenen if e.id == eid)
            tiefe[eid] = 0 if not eltern else t(eltern) + 1
        return tiefe[eid]

    return sorted((e.id for e in ebenen), key=t)


def _basis_rechnen(kommune: Kommune, periode: str, einzugsbereich: str | None, methode: str) -> _Basis:
    regeln = regeln_fuer(kommune)
    df = kommune.indikatoren
    indikatoren = sorted(
        i for i in df.loc[df["periode"] == periode, "indikator"].unique() if i in kommune.katalog.index
    )
    k = len(indikatoren)
    bev = _bevoelkerungs_periode(kommune, regeln, periode)
    rechner = _Rechner(kommune, periode)
    bev_rechner = rechner if bev is None or bev[1] == periode else _Rechner(kommune, bev[1])
    ebenen: dict[str, _Ebene] = {}
    gesamt = _Ebene(
        GESAMT,
        pd.Index([GESAMT]),
        None,
        np.zeros(0, dtype=int),
        np.full((1, k), np.nan),
        np.full((1, k), np.nan),
        np.full((1, k), np.nan),
        np.full(1, np.nan),
    )
    if einzugsbereich is None:
        reihenfolge = _ebenen_reihenfolge(kommune)
        for eid in reihenfolge:
            s = kommune.schicht(eid)
            ids = kommune.gebiete[eid].index
            w, z, n = (np.full((len(ids), k), np.nan) for _ in range(3))
            for j, ind in enumerate(indikatoren):
                w[:, j], z[:, j], n[:, j] = rechner.ebene(ind, eid)
            bevoelkerung = bev_rechner.reihe(bev[0], "wert", eid, teilsumme=True) if bev else np.full(len(ids), np.nan)
            if s.eltern:
                eltern, pos = s.eltern, kommune.gebiete[s.eltern].index.get_indexer(kommune.gebiete[eid]["eltern"])
            else:
                eltern, pos = GESAMT, np.zeros(len(ids), dtype=int)
            ebenen[eid] = _Ebene(eid, ids, eltern, pos, w, z, n, bevoelkerung)
        gesamt.wert[0] = _gesamt_vorhanden(kommune, indikatoren, ebenen[reihenfolge[0]].wert)
    else:
        reihenfolge = [einzugsbereich]
        ids = kommune.gebiete[einzugsbereich].index
        w, z, n = (np.full((len(ids), k), np.nan) for _ in range(3))
        lang = _einzugswerte(kommune, einzugsbereich, methode)
        teil = lang[lang["periode"] == periode]
        breit = {
            c: teil.pivot_table(index="gebiet", columns="indikator", values=c, aggfunc="first", dropna=False)
            for c in ("wert", "zaehler", "nenner")
        }
        kat = kommune.katalog
        for j, ind in enumerate(indikatoren):
            for ziel, c in ((w, "wert"), (z, "zaehler"), (n, "nenner")):
                if ind in breit[c].columns:
                    ziel[:, j] = breit[c][ind].reindex(ids).to_numpy(dtype=float)
            if kat.loc[ind, "art"] != "anzahl" and np.isnan(n[:, j]).all():
                n[:, j] = _einzugsgewicht(lang, kat, str(kat.loc[ind, "gewicht"] or ""), periode, ids)
        bevoelkerung = np.full(len(ids), np.nan)
        if bev:
            bt = lang[(lang["periode"] == bev[1]) & (lang["indikator"] == bev[0])].set_index("gebiet")["wert"]
            bevoelkerung = bt.reindex(ids).to_numpy(dtype=float)
        ebenen[einzugsbereich] = _Ebene(
            einzugsbereich, ids, GESAMT, np.zeros(len(ids), dtype=int), w, z, n, bevoelkerung
        )
        gesamt.wert[0] = _gesamt_vorhanden(kommune, indikatoren, w)
    ebenen[GESAMT] = gesamt
    return _Basis(indikatoren, reihenfolge, ebenen, rechner)


def _gesamt_vorhanden(kommune: Kommune, indikatoren: list[str], oben: np.ndarray) -> np.ndarray:
    """Hat das Gesamtgebiet einen Wert (0) oder nicht (NaN)? Nur ob ein Wert existiert, zählt.

    Anzahlen zeigt `kommune.werte` als Summe der bekannten Teile (mit Deckung): ein Wert, sobald ein Gebiet
    der obersten Ebene einen hat – sonst ließe sich ein gesperrtes Gebiet aus Gesamtwert und Geschwistern
    errechnen. Anteile und Indizes: nur, wenn alle Gebiete der obersten Ebene einen Wert haben.
    """
    anzahl = np.array([kommune.katalog.loc[i, "art"] == "anzahl" for i in indikatoren], dtype=bool)
    leer = np.where(anzahl, np.isnan(oben).all(axis=0), np.isnan(oben).any(axis=0))
    return np.where(leer, np.nan, 0.0)


def _einzugsgewicht(lang: pd.DataFrame, kat: pd.DataFrame, text: str, periode: str, ids: pd.Index) -> np.ndarray:
    """Die Bezugsgröße (`gewicht`: ID oder Summenformel) auf einem Einzugsbereich, aus der nächstgelegenen
    Periode wie in `kommune.werte`; ohne sie NaN."""
    from kommune.formel import bezug_teile, perioden_nach_naehe

    teile = bezug_teile(text, kat.index)
    if teile is not None:
        perioden = lang.loc[lang["indikator"] == teile[0][1], "periode"].unique()
        for p in perioden_nach_naehe(perioden, periode):
            stuecke = [lang[(lang["indikator"] == i) & (lang["periode"] == p)] for _, i in teile]
            if all(len(x) for x in stuecke):
                reihen = [x.drop_duplicates("gebiet").set_index("gebiet")["wert"].reindex(ids) for x in stuecke]
                return sum(f * r.to_numpy(dtype=float) for (f, _), r in zip(teile, reihen, strict=True))
    return np.full(len(ids), np.nan)


@dataclass
class _Basis:
    """Die Werte aller Ebenen einer Periode (unabhängig von der Rolle, daher gemeinsam gecacht)."""

    indikatoren: list[str]
    reihenfolge: list[str]
    ebenen: dict[str, _Ebene]
    rechner: _Rechner


#: Basen und Sperrpläne hängen an der Kommune (`Objektcache`): verworfen mit ihr, nie von einem Neuladen übrig.
_BASEN = Objektcache("geheimhaltung.basen")


def _basis(kommune: Kommune, periode: str, einzugsbereich: str | None, methode: str) -> _Basis:
    return _BASEN.holen(
        kommune, (periode, einzugsbereich, methode), lambda: _basis_rechnen(kommune, periode, einzugsbereich, methode)
    )


def _plan_rechnen(kommune: Kommune, periode: str, rolle: str, einzugsbereich: str | None, methode: str) -> Sperrplan:
    regeln = regeln_fuer(kommune)
    basis = _basis(kommune, periode, einzugsbereich, methode)
    indikatoren, reihenfolge, rechner = basis.indikatoren, basis.reihenfolge, basis.rechner
    k = len(indikatoren)
    regel_an = _unter_regeln(kommune, regeln, rolle, indikatoren)
    bev_ids = set(regeln.bevoelkerung)
    ebenen = {
        eid: _Ebene(e.id, e.ids, e.eltern, e.eltern_pos, e.wert, e.zaehler, e.nenner, e.bevoelkerung)
        for eid, e in basis.ebenen.items()
    }
    for eid in reihenfolge:
        _primaer(kommune, regeln, indikatoren, regel_an, bev_ids, ebenen[eid])
    if einzugsbereich is not None and regel_an.any():
        e = ebenen[einzugsbereich]
        belastet = _belastet(kommune, periode, rolle, einzugsbereich, indikatoren, rechner)
        for j in range(k):
            _setzen(e, j, belastet[:, j] & regel_an[j], SEKUNDAER)
        if methode == "area" and LP_PRUEFUNG and regeln.sekundaer:
            # nur mitgesperrte Bereiche, deren Wert aus Veröffentlichtem exakt folgt, zeigen (`freigabe.beziehungen`)
            pruefung = sperrplan(kommune, periode, rolle).pruefung
            for r, j in pruefung.einzug_zeigen.get(einzugsbereich, ()) if pruefung is not None else ():
                if e.gruende[r, j] == SEKUNDAER:
                    e.maske[r, j] = False
                    e.gruende[r, j] = ""
    if regeln.sekundaer and regel_an.any():
        kat = kommune.katalog
        spalten = regel_an & np.array(
            [kat.loc[i, "art"] == "anzahl" or (kat.loc[i, "art"] == "anteil") for i in indikatoren], dtype=bool
        )
        for _ in range(1000):
            neu = sum(_verknuepfen(kommune, indikatoren, regel_an, ebenen[eid]) for eid in reihenfolge)
            neu += _sekundaer(ebenen, reihenfolge, spalten)
            if not neu:
                break
        if einzugsbereich is None and LP_PRUEFUNG:
            pruefung = _lp_sperren(
                kommune, regeln, periode, indikatoren, regel_an, reihenfolge, ebenen, spalten, rechner
            )
            return Sperrplan(periode, rolle, indikatoren, ebenen, pruefung)
    return Sperrplan(periode, rolle, indikatoren, ebenen)


#: Sperrpläne der verschachtelten Ebenen mit LP-Prüfung über alle linearen Beziehungen (`freigabe.verknuepft`)
LP_PRUEFUNG = True


def _einzuege_fuer_pruefung(
    kommune: Kommune, regeln: Regeln, periode: str, indikatoren: list[str], regel_an: np.ndarray, rechner: _Rechner
) -> list[Any]:
    """Jeder Einzugsbereich nach den Primärregeln, mit den Flächenanteilen C[s, t] = W[s, t] / W[s, ·] je Quellebene
    (wie `geodata.interpolation` mit `methode = "area"`)."""
    from scipy import sparse

    from freigabe.beziehungen import Einzug
    from geodata.overlay import flaechengewichte, overlay_gewichte

    ergebnis = []
    for s in kommune.konfiguration.schichten:
        if s.art != "einzugsbereich":
            continue
        try:
            basis = _basis(kommune, periode, s.id, "area")
        except KommuneFehler:
            continue
        if basis.indikatoren != indikatoren:
            continue
        b = basis.ebenen[s.id]
        e = _Ebene(b.id, b.ids, b.eltern, b.eltern_pos, b.wert, b.zaehler, b.nenner, b.bevoelkerung)
        _primaer(kommune, regeln, indikatoren, regel_an, set(regeln.bevoelkerung), e)
        quelle: dict[int, str] = {}
        for j, ind in enumerate(indikatoren):
            q = rechner.quelle(ind)
            if q is not None and kommune.schicht(q[0]).art != "einzugsbereich":
                quelle[j] = q[0]
        matrizen = {}
        ziel = kommune.gebiete[s.id]
        for q in sorted(set(quelle.values())):
            try:
                ov = overlay_gewichte(kommune.gebiete[q], ziel, quelle_name=kommune.schicht(q).name, ziel_name=s.name)
            except KommuneFehler:
                continue
            w = sparse.csr_matrix(flaechengewichte(ov).matrix, dtype=float)
            zeilen = np.asarray(w.sum(axis=1)).ravel()
            c = sparse.diags(np.divide(1.0, zeilen, out=np.zeros_like(zeilen), where=zeilen > 0)) @ w
            qz = pd.Index(ov.quelle_ids.astype(str)).get_indexer(kommune.gebiete[q].index.astype(str))
            tz = pd.Index(ov.ziel_ids.astype(str)).get_indexer(ziel.index.astype(str))
            if (qz < 0).any() or (tz < 0).any():
                continue
            matrizen[q] = sparse.csc_matrix(c.tocsr()[qz][:, tz])
        ergebnis.append(Einzug(e, matrizen, quelle))
    return ergebnis


def _lp_sperren(
    kommune: Kommune,
    regeln: Regeln,
    periode: str,
    indikatoren: list[str],
    regel_an: np.ndarray,
    reihenfolge: list[str],
    ebenen: dict[str, _Ebene],
    spalten: np.ndarray,
    rechner: _Rechner,
) -> Any:
    """Die Sperren der Hierarchie per LP prüfen und ergänzen (Ebenen, Anteil ↔ Zähler, Familien, Einzugsbereiche),
    danach die Regeln der Teiltabellen erneut anwenden – bis die Prüfung nichts mehr findet."""
    from freigabe.beziehungen import Pruefung, familien_der_kommune, glied_ids, plan_pruefen

    kat = kommune.katalog
    arten = [str(kat.loc[i, "art"]) if i in kat.index else "index" for i in indikatoren]
    pos = {i: j for j, i in enumerate(indikatoren)}
    zaehler_von = {
        j: pos[kat.loc[i, "zaehler"]]
        for j, i in enumerate(indikatoren)
        if arten[j] == "anteil" and kat.loc[i, "zaehler"] in pos and arten[pos[kat.loc[i, "zaehler"]]] == "anzahl"
    }
    familien = []
    for f in familien_der_kommune(kommune):
        ids = glied_ids(f, pos)
        if f.summe and f.basis in pos and ids:
            familien.append((pos[f.basis], [pos[i] for i in ids]))
    einzuege = _einzuege_fuer_pruefung(kommune, regeln, periode, indikatoren, regel_an, rechner)
    gesamt = Pruefung(laeufe=0)
    for _ in range(100):
        neu, b = plan_pruefen(
            ebenen, reihenfolge, GESAMT, indikatoren, arten, regel_an & spalten, zaehler_von, familien, einzuege,
            SEKUNDAER, regeln.nullen_sperren, gesamt.zeigen if gesamt.laeufe else None,
        )  # fmt: skip
        if gesamt.laeufe == 0:
            gesamt.zellen, gesamt.beziehungen, gesamt.verworfen = b.zellen, b.beziehungen, b.verworfen
            gesamt.aufgedeckt_vorher = b.aufgedeckt_vorher
        gesamt.laeufe += 1
        gesamt.lp_anzahl += b.lp_anzahl
        gesamt.sekunden += b.sekunden
        gesamt.sekundaer_neu += len(neu)
        gesamt.aufgedeckt_nachher, gesamt.offen, gesamt.unschuetzbar = b.aufgedeckt_nachher, b.offen, b.unschuetzbar
        gesamt.einzug_zeigen, gesamt.zeigen, gesamt.einzug_schmal = b.einzug_zeigen, b.zeigen, b.einzug_schmal
        if not neu:
            break
        for eid, r, j in neu:
            ebenen[eid].maske[r, j] = True
            ebenen[eid].gruende[r, j] = SEKUNDAER
        for _ in range(1000):
            mehr = sum(_verknuepfen(kommune, indikatoren, regel_an, ebenen[eid]) for eid in reihenfolge)
            mehr += _sekundaer(ebenen, reihenfolge, spalten)
            gesamt.sekundaer_neu += mehr
            if not mehr:
                break
    return gesamt


def _belastet(
    kommune: Kommune, periode: str, rolle: str, einzug: str, indikatoren: list[str], rechner: _Rechner
) -> np.ndarray:
    """Einzugsbereiche, in deren umgerechneten Wert ein gesperrter Wert eines Quellgebiets eingeht.

    Die Umrechnung ist linear und die Geometrien sind öffentlich: Aus einem solchen Wert und den sichtbaren
    Werten ließe sich der gesperrte Wert zurückrechnen. Deshalb wird er mitgesperrt (sekundäre Sperrung).
    """
    from geodata.interpolation import interpolieren
    from geodata.overlay import overlay_gewichte

    ziel = kommune.gebiete[einzug]
    ergebnis = np.zeros((len(ziel), len(indikatoren)), dtype=bool)
    plan = sperrplan(kommune, periode, rolle)
    je_quelle: dict[str, list[int]] = {}
    for j, ind in enumerate(indikatoren):
        q = rechner.quelle(ind)
        if q is not None and q[0] in plan.ebenen:
            je_quelle.setdefault(q[0], []).append(j)
    for schicht, spalten in je_quelle.items():
        e = plan.ebenen[schicht]
        masken = {indikatoren[j]: e.maske[:, plan.indikatoren.index(indikatoren[j])] for j in spalten}
        masken = {i: m.astype(float) for i, m in masken.items() if m.any()}
        if not masken:
            continue
        quelle = kommune.gebiete[schicht]
        ov = overlay_gewichte(
            quelle, ziel, quelle_name=kommune.schicht(schicht).name, ziel_name=kommune.schicht(einzug).name
        )
        daten = pd.DataFrame(masken, index=e.ids)
        anteil = interpolieren(ov, daten, extensiv=list(masken), mindestdeckung=0.0).reindex(ziel.index)
        for ind in masken:
            ergebnis[:, indikatoren.index(ind)] = anteil[ind].fillna(0).to_numpy() > 0
    return ergebnis


def _einzugswerte(kommune: Kommune, schicht_id: str, methode: str) -> pd.DataFrame:
    """Alle Werte auf einem Einzugsbereich (umgerechnet, lange Form), plus direkt gelieferte Werte."""
    from geodata.interpolation import alle_interpolieren

    direkt = kommune.indikatoren[kommune.indikatoren["schicht"] == schicht_id]
    try:
        umgerechnet = alle_interpolieren(kommune, schicht_id, methode)
    except KommuneFehler:
        umgerechnet = direkt.iloc[:0]
    if direkt.empty:
        return umgerechnet
    schon = set(zip(direkt["indikator"], direkt["periode"], strict=True))
    rest = umgerechnet[
        [(i, p) not in schon for i, p in zip(umgerechnet["indikator"], umgerechnet["periode"], strict=True)]
    ]
    return pd.concat([direkt, rest], ignore_index=True)


_PLAENE = Objektcache("geheimhaltung.plaene")


def sperrplan(
    kommune: Kommune, periode: str, rolle: str, schicht_id: str | None = None, methode: str = "area"
) -> Sperrplan:
    """Der (gecachte) Sperrplan einer Periode und Rolle: für alle verschachtelten Ebenen gemeinsam,
    oder – ist `schicht_id` ein Einzugsbereich – für diesen (Werte umgerechnet mit `methode`)."""
    rolle = rolle_pruefen(rolle)
    einzug = schicht_id if schicht_id and kommune.schicht(schicht_id).art == "einzugsbereich" else None
    schluessel = (str(periode), rolle, einzug, methode if einzug else "")
    return _PLAENE.holen(kommune, schluessel, lambda: _plan_rechnen(kommune, str(periode), rolle, einzug, methode))


@bei_datenwechsel  # nach Import und Wiederherstellen (`kommune.versionen`)
def cache_leeren() -> None:
    """Alle gecachten Sperrpläne verwerfen (z. B. nach einem Import); sonst sterben sie mit ihrer Kommune."""
    _PLAENE.leeren()
    _BASEN.leeren()
    _EXTREME.leeren()


# ---------------------------------------------------------------------------------------------------
# Öffentliche Schnittstelle
# ---------------------------------------------------------------------------------------------------

GRUND_REIHENFOLGE = ("Fallzahl", "Nenner", "Gebiet", SEKUNDAER)


def gesamt_gesperrt(kommune: Kommune, indikator: str, periode: str | None, rolle: str = "oeffentlich") -> bool:
    """Ist der Wert der ganzen Kommune für `rolle` gesperrt? Nur, wenn er sonst einen gesperrten Wert der obersten
    Ebene verriete (kein sichtbares Geschwister, z. B. ein Kreis als einziges Gebiet der obersten Ebene)."""
    rolle = rolle_pruefen(rolle)
    if rolle == "admin" or periode is None or not regeln_fuer(kommune).aktiv:
        return False
    plan = sperrplan(kommune, periode, rolle)
    gesamt = plan.ebenen.get(GESAMT)
    if gesamt is None or indikator not in plan.indikatoren:
        return False
    return bool(gesamt.maske[0, plan.indikatoren.index(indikator)])


def vermerk(gruende: pd.DataFrame | pd.Series) -> str:
    """Prüfvermerk: „42 Werte gesperrt: 30 Fallzahl unter 3, 12 sekundäre Sperrung“."""
    werte = pd.Series(np.asarray(gruende, dtype=object).ravel())
    werte = werte[werte.astype(str) != ""]
    if werte.empty:
        return "Keine Werte gesperrt."
    zaehlung = werte.value_counts()

    def rang(g: str) -> tuple[int, str]:
        return next((i for i, p in enumerate(GRUND_REIHENFOLGE) if g.startswith(p)), 9), g

    teile = [f"{zahl(int(zaehlung[g]), 0)} {g}" for g in sorted(zaehlung.index, key=rang)]
    n = len(werte)
    return f"{zahl(n, 0)} {'Wert' if n == 1 else 'Werte'} gesperrt: " + ", ".join(teile)


@dataclass
class Geschuetzt:
    """Eine Tabelle nach der Geheimhaltung: gesperrte Werte sind NaN."""

    tabelle: pd.DataFrame
    maske: pd.DataFrame
    gruende: pd.DataFrame
    rolle: str
    regeln: Regeln

    @property
    def vermerk(self) -> str:
        """Wie viele Werte warum gesperrt sind (deutscher Satz)."""
        return vermerk(self.gruende)

    @property
    def anzahl_gesperrt(self) -> int:
        return int(self.maske.to_numpy().sum())

    def zaehlung(self) -> dict[str, int]:
        """Gesperrte Zellen je Grund."""
        werte = pd.Series(self.gruende.to_numpy().ravel())
        return {str(k): int(v) for k, v in werte[werte != ""].value_counts().items()}

    def anzeige(self, formatieren: Any = None) -> pd.DataFrame:
        """Texttabelle für die Anzeige: gesperrte Zellen „.“, fehlende leer, sonst `formatieren(wert)`."""
        fmt = formatieren or (lambda w: "" if pd.isna(w) else str(w))
        text = self.tabelle.map(fmt).astype(object)
        return text.mask(self.maske, ANZEIGE_GESPERRT)


def _fallback(
    kommune: Kommune, regeln: Regeln, rolle: str, indikator: str, werte: pd.Series, bevoelkerung: pd.Series | None
) -> pd.Series:
    """Primärregeln für Spalten, die der Sperrplan nicht kennt (eigene Werte einer Ansicht)."""
    # mit NumPy statt `reihe[maske] = …`: pandas baut bei Zuweisung über eine Maske erst eine Textdarstellung
    # der Maske (≈ 15 ms je Spalte, bei jedem Lauf jeder Karte)
    gruende = np.full(len(werte), "", dtype=object)
    an = _unter_regeln(kommune, regeln, rolle, [indikator])[0]
    if not an:
        return pd.Series(gruende, index=werte.index, dtype=object)
    kat = kommune.katalog
    sensibel = sensibel_je_indikator(kat).get(indikator, False)
    min_fall = regeln.mindestfallzahl_sensibel if sensibel else regeln.mindestfallzahl
    w = werte.astype(float).to_numpy()
    if indikator in kat.index and kat.loc[indikator, "art"] == "anzahl":
        klein = (w > 0) & (w < min_fall) | ((w == 0) & regeln.nullen_sperren)
        gruende[klein] = f"Fallzahl unter {min_fall}"
    if bevoelkerung is not None and indikator not in regeln.bevoelkerung:
        b = bevoelkerung.reindex(werte.index).to_numpy(dtype=float)
        klein = (b < regeln.mindestbevoelkerung) & ~np.isnan(w) & (gruende == "")
        gruende[klein] = f"Gebiet unter {regeln.mindestbevoelkerung} Einwohnern"
    gruende[np.isnan(w)] = ""
    return pd.Series(gruende, index=werte.index, dtype=object)


def _spalte_schuetzen(
    kommune: Kommune,
    regeln: Regeln,
    rolle: str,
    indikator: str,
    schicht_id: str,
    periode: str | None,
    werte: pd.Series,
    methode: str,
) -> pd.Series:
    """Gründe je Zelle einer Spalte ("" = sichtbar)."""
    werte = pd.to_numeric(werte, errors="coerce").astype(float)
    gruende = pd.Series("", index=werte.index, dtype=object)
    if rolle == "admin" or not regeln.aktiv:
        return gruende
    bevoelkerung = None
    if periode is not None:
        plan = sperrplan(kommune, periode, rolle, schicht_id, methode)
        treffer = plan.gesperrt(schicht_id, indikator)
        if treffer is not None:
            gruende = treffer[1].reindex(werte.index).fillna("").astype(object)
        e = plan.ebenen.get(schicht_id)
        if e is not None:
            bevoelkerung = pd.Series(e.bevoelkerung, index=e.ids)
    # Sicherheitsnetz: Werte, die der Plan nicht kennt (oder anders berechnet wurden), primär prüfen
    zusatz = _fallback(kommune, regeln, rolle, indikator, werte, bevoelkerung)
    gruende = gruende.where(gruende != "", zusatz)
    return gruende.mask(werte.isna(), "")


def schuetzen(
    kommune: Kommune,
    tabelle: pd.DataFrame,
    schicht_id: str,
    periode_je_indikator: Mapping[str, str | None] | str | None,
    rolle: str = "oeffentlich",
    *,
    methode: str = "area",
) -> Geschuetzt:
    """Eine Tabelle (Index = Gebiets-IDs der Ebene `schicht_id`, Spalten = Indikator-IDs) schützen.

    `periode_je_indikator`: die Periode jeder Spalte (oder eine Periode für alle). Spalten, die keine
    Indikatoren sind oder deren Periode fehlt, bekommen nur die Fallzahl- und Gebietsregel.
    `methode` nur für Einzugsbereiche (wie `geodata.gebietswerte`).
    """
    rolle = rolle_pruefen(rolle)
    regeln = regeln_fuer(kommune)
    kommune.schicht(schicht_id)
    tabelle = tabelle.copy()
    gruende = pd.DataFrame("", index=tabelle.index, columns=tabelle.columns, dtype=object)
    for spalte in tabelle.columns:
        if isinstance(periode_je_indikator, Mapping):
            periode = periode_je_indikator.get(spalte)
        else:
            periode = periode_je_indikator
        gruende[spalte] = _spalte_schuetzen(
            kommune, regeln, rolle, str(spalte), schicht_id, periode, tabelle[spalte], methode
        ).to_numpy()
    maske = gruende != ""
    for spalte in tabelle.columns:
        werte = pd.to_numeric(tabelle[spalte], errors="coerce").astype(float)
        tabelle[spalte] = werte.mask(maske[spalte])
    return Geschuetzt(tabelle, maske, gruende, rolle, regeln)


def sperren_reihe(
    kommune: Kommune,
    indikator: str,
    schicht_id: str,
    periode: str | None,
    werte: pd.Series,
    rolle: str = "oeffentlich",
    *,
    methode: str = "area",
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Eine Kartenspalte schützen: (Werte mit NaN für Gesperrtes, Maske, Gründe)."""
    rolle = rolle_pruefen(rolle)
    regeln = regeln_fuer(kommune)
    gruende = _spalte_schuetzen(kommune, regeln, rolle, indikator, schicht_id, periode, werte, methode)
    maske = gruende != ""
    zahlen = pd.to_numeric(werte, errors="coerce").astype(float)
    return zahlen.mask(maske).rename(werte.name), maske.rename(werte.name), gruende.rename(werte.name)


def anzeige(wert: float | None, gesperrt: bool, formatieren: Any = None, leer: str = "–") -> str:
    """Ein Zellentext: „.“ für gesperrt, `leer` für fehlend, sonst der formatierte Wert."""
    if gesperrt:
        return ANZEIGE_GESPERRT
    if wert is None or (isinstance(wert, float) and math.isnan(wert)):
        return leer
    return formatieren(wert) if formatieren else str(wert)


# ---------------------------------------------------------------------------------------------------
# Ehrliche Extreme: welche Gebiete in Ranglisten, Top/Flop und Kartentexten vorne stehen dürfen
# ---------------------------------------------------------------------------------------------------


def fuer_extreme(bevoelkerung: pd.Series, mindestbevoelkerung: int) -> pd.Series:
    """Welche Gebiete dürfen in einer Rangliste der Extreme erscheinen? (True = ja)

    Nicht die Gebiete mit bekannter Einwohnerzahl unter `mindestbevoelkerung`: 0,0 % oder 100,0 % von fast
    niemandem (Industriegebiet, Stadtpark) sind kein „niedrigster Wert“, den ein Ausschuss diskutieren sollte.
    Gebiete ohne bekannte Einwohnerzahl bleiben drin (über sie lässt sich nichts sagen); `mindestbevoelkerung`
    0 lässt alle zu. Rein: gilt für jede Rolle gleich, auch wo die Geheimhaltung nichts sperrt.
    """
    zahlen = pd.to_numeric(bevoelkerung, errors="coerce").astype(float)
    return pd.Series(~(zahlen < mindestbevoelkerung).to_numpy(), index=bevoelkerung.index, dtype=bool)


@dataclass(frozen=True)
class Extremauswahl:
    """Die Gebiete einer Ebene, die in Ranglisten der Extreme nicht erscheinen, und die Fußnote dazu."""

    ausgelassen: frozenset[str]
    mindestbevoelkerung: int

    def filtern(self, reihe: pd.Series) -> pd.Series:
        """Die Werte ohne die ausgelassenen Gebiete."""
        return reihe[~reihe.index.isin(list(self.ausgelassen))]

    @property
    def fussnote(self) -> str:
        """„ohne Gebiete unter 300 Einwohnern“ – leer, wenn die Regel auf dieser Ebene niemanden auslässt."""
        if not self.ausgelassen:
            return ""
        return f"ohne Gebiete unter {zahl(self.mindestbevoelkerung, 0)} Einwohnern"


def einwohner_je_gebiet(kommune: Kommune, schicht_id: str, periode: str | None = None) -> pd.Series | None:
    """Die Einwohnerzahl je Gebiet, wie sie die Gebietsregel benutzt (Indikator aus `bevoelkerung`, Stand
    `periode` oder der jüngere davor, Summe der vorhandenen Kinder), oder None ohne Einwohner-Indikator."""
    regeln = regeln_fuer(kommune)
    bev = _bevoelkerungs_periode(kommune, regeln, str(periode) if periode is not None else "\uffff")
    if bev is None:
        return None
    ids = kommune.gebiete[schicht_id].index
    if kommune.schicht(schicht_id).art == "einzugsbereich":
        lang = _einzugswerte(kommune, schicht_id, "area")
        t = lang[(lang["periode"] == bev[1]) & (lang["indikator"] == bev[0])].drop_duplicates("gebiet")
        return t.set_index("gebiet")["wert"].reindex(ids).astype(float)
    return pd.Series(_Rechner(kommune, bev[1]).reihe(bev[0], "wert", schicht_id, teilsumme=True), index=ids)


_EXTREME = Objektcache("geheimhaltung.extreme")


def extreme_gebiete(kommune: Kommune, schicht_id: str, periode: str | None = None) -> Extremauswahl:
    """Die eine Regel für Ranglisten, Top/Flop und Kartentexte: Gebiete unter der Mindestbevölkerung der
    Kommune (`[geheimhaltung] mindestbevoelkerung`, Standard 300) stehen nicht vorne – für jede Rolle.
    Gecacht an der Kommune je Ebene und Periode."""

    def rechnen() -> Extremauswahl:
        grenze = regeln_fuer(kommune).mindestbevoelkerung
        bevoelkerung = einwohner_je_gebiet(kommune, schicht_id, periode)
        if bevoelkerung is None or grenze <= 0:
            return Extremauswahl(frozenset(), grenze)
        erlaubt = fuer_extreme(bevoelkerung, grenze)
        return Extremauswahl(frozenset(str(g) for g in erlaubt.index[~erlaubt.to_numpy()]), grenze)

    return _EXTREME.holen(kommune, (schicht_id, periode), rechnen)

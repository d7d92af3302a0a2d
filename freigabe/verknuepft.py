"""Geheimhaltung über verknüpfte Tabellen: Prüfung („Audit“) per linearer Programmierung und Sekundärsperrung.

Rein (nur NumPy/SciPy): Eingabe sind Zellen (ID, Wert, primär gesperrt ja/nein) und lineare Beziehungen
(Σ Koeffizient · Zelle = Konstante), Ausgabe die Sperrmenge (je Zelle „primär“/„sekundär“) und ein Prüfbericht.

**Warum so.** Ein Angreifer kennt aus dem Export jede veröffentlichte Zelle und jede lineare Beziehung zwischen
Zellen: Eltern = Summe der Kinder (je Ebene), Gesamt = Summe der Ausprägungen einer Familie (`summe = true`),
ein Einzugsbereich = bekannte Linearkombination seiner Quellgebiete (Flächenanteile aus öffentlichen
Geometrien), Anteil = Zähler / bekannter Nenner. Dazu weiß er, dass Anzahlen nicht negativ sind. Was er über
eine gesperrte Zelle x herausfinden kann, ist genau das Intervall [min x, max x] über alle Lösungen dieses
Gleichungssystems mit den Schranken – eine lineare Optimierung je Richtung (scipy `linprog`, HiGHS). Die
Regel „in jeder Teiltabelle mindestens zwei Sperren“ prüft nur je Teiltabelle; sie übersieht Differenzen über
mehrere Ebenen, Familien und Einzugsbereiche hinweg. Das LP prüft alle Beziehungen zugleich und ist damit die
schärfste Prüfung, die ohne ganzzahlige Optimierung möglich ist (bei Summentabellen entlang einer Hierarchie
sind die Ecken ohnehin ganzzahlig).

Eine Zelle ist **aufgedeckt**, wenn max − min kleiner als ihre Schutzbreite ist. Für ganze Zahlen (Anzahlen,
Zähler) ist die Schutzbreite 1: ein Intervall schmaler als 1 enthält höchstens eine ganze Zahl, der Wert wäre
also exakt bekannt. Für andere Werte (Schätzungen auf Einzugsbereichen, gewichtete Mittel) gilt eine kleine
Toleranz (exakte Rückrechnung). Strengere Schutzbreiten (z. B. ein Anteil des Werts) gibt man je Zelle an.

**Schnell.** Sichtbare Zellen sind Konstanten; gesperrte Zellen hängen nur über Beziehungen zusammen, in denen
sie gemeinsam vorkommen. Jede Zusammenhangskomponente ist ein eigenes, kleines LP (dünne Matrizen). Jede
gefundene Lösung ist ein zulässiger Punkt: die Spanne der bisher gesehenen Werte ist eine untere Schranke der
Intervallbreite – ist sie schon breit genug, braucht die Zelle kein eigenes LP (die wahren Werte sind der erste
Punkt). Eine Beziehung mit genau einer gesperrten Zelle deckt sie sofort auf. Mehr Sperren vergrößern die
zulässige Menge nur; einmal geschützte Zellen bleiben geschützt.

**Sekundärsperrung (greedy, deterministisch).** Solange eine gesperrte Zelle aufgedeckt ist (in der Reihenfolge
der Eingabe): in den Beziehungen, die sie enthalten – sonst in denen der übrigen Zellen ihrer Komponente, nach
Abstand – die sichtbare, sperrbare Zelle mit den kleinsten Kosten (Standard: Nullen zuletzt, dann |Wert|,
dann Eingabereihenfolge) zusätzlich sperren und erneut prüfen. Auch sekundär gesperrte Zellen werden
geprüft: Keine gesperrte Zelle darf sich zurückrechnen lassen.
"""

from __future__ import annotations

import math
import time
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

PRIMAER = "primär"
SEKUNDAER = "sekundär"

#: Toleranz für „exakt“ bei nicht ganzzahligen Zellen (relativ zum Betrag, mindestens absolut)
EXAKT = 1e-6
#: Spielraum je Gleichung (relativ), wenn HiGHS ein LP für unzulässig hält: die wahren Werte erfüllen jedes
#: System, „unzulässig“ ist dann nur Rundung (etwa redundante Gleichungen mit Flächenanteilen)
SPIELRAUM = 1e-9
#: Ringe um eine Zelle, die `schuetzbar` nacheinander freigibt, bevor es alle sperrbaren Zellen freigibt
RINGE = 3


def _lp(c: np.ndarray, a_eq: sparse.spmatrix, b_eq: np.ndarray, grenzen: list) -> object:
    """`linprog` (HiGHS); meldet es Unzulässigkeit oder einen Fehler, noch einmal ohne Presolve und zuletzt mit
    einem winzigen Spielraum je Gleichung (|A x − b| ≤ `SPIELRAUM` · Maßstab) – die Werte selbst sind zulässig."""
    res = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=grenzen, method="highs")
    if res.status in (0, 3):
        return res
    res = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=grenzen, method="highs", options={"presolve": False})
    if res.status in (0, 3):
        return res
    a = sparse.csr_matrix(a_eq)
    massstab = np.maximum(1.0, np.abs(b_eq))
    tol = SPIELRAUM * massstab
    return linprog(
        c, A_ub=sparse.vstack([a, -a]), b_ub=np.concatenate([b_eq + tol, tol - b_eq]), bounds=grenzen, method="highs"
    )


@dataclass
class _Loesung:
    """Ergebnis eines LP: `status` wie `linprog` (0 optimal, 3 unbeschränkt, sonst gescheitert), Punkt, duale Werte."""

    status: int
    x: np.ndarray | None = None
    duale: np.ndarray | None = None


class _Lp:
    """Ein LP  A x = b, unten ≤ x ≤ oben  für mehrere Zielfunktionen: einmal an HiGHS übergeben (`highspy`),
    danach nur die Kosten tauschen – HiGHS setzt mit der letzten Basis fort (Warmstart). Das spart gegenüber
    `linprog` die Prüfung und Umwandlung der Eingaben je Aufruf und den Kaltstart je Richtung. Scheitert HiGHS
    (Rundung bei redundanten Gleichungen), rechnet `_lp` mit seinen Rückfallstufen nach."""

    def __init__(self, a_eq: sparse.spmatrix, b_eq: np.ndarray, unten: np.ndarray, oben: np.ndarray):
        self.a, self.b, self.unten, self.oben = sparse.csc_matrix(a_eq), b_eq, unten, oben
        self.n = self.a.shape[1]
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.n, self.a.shape[0]
        lp.col_cost_ = np.zeros(self.n)
        lp.col_lower_ = np.asarray(unten, dtype=float)
        lp.col_upper_ = np.where(np.isinf(oben), highspy.kHighsInf, oben).astype(float)
        lp.row_lower_ = lp.row_upper_ = np.asarray(b_eq, dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = self.a.indptr
        lp.a_matrix_.index_ = self.a.indices
        lp.a_matrix_.value_ = self.a.data.astype(float)
        self.h.passModel(lp)
        self.alle = np.arange(self.n, dtype=np.int32)

    def minimieren(self, c: np.ndarray) -> _Loesung:
        self.h.changeColsCost(self.n, self.alle, np.asarray(c, dtype=float))
        self.h.run()
        status = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            loesung = self.h.getSolution()
            return _Loesung(0, np.asarray(loesung.col_value), np.asarray(loesung.row_dual))
        if status == highspy.HighsModelStatus.kUnbounded:
            return _Loesung(3)
        grenzen = list(zip(self.unten, np.where(np.isinf(self.oben), None, self.oben), strict=True))
        res = _lp(c, self.a, self.b, grenzen)
        duale = getattr(getattr(res, "eqlin", None), "marginals", None)
        return _Loesung(int(res.status), res.x, None if duale is None else np.asarray(duale))


@dataclass(frozen=True)
class Zelle:
    """Eine Tabellenzelle. `schutz`: Schutzbreite (aufgedeckt, wenn max − min < schutz); `kosten`: Informations-
    verlust beim Sperren (None: Nullen zuletzt, dann |Wert|); `sperrbar`: darf sekundär gesperrt werden;
    `schuetzen`: eine aufgedeckte gesperrte Zelle durch weitere Sperren schützen (sonst nur melden)."""

    id: Hashable
    wert: float
    primaer: bool = False
    schutz: float = 1.0
    untergrenze: float = 0.0
    obergrenze: float = math.inf
    sperrbar: bool = True
    kosten: float | None = None
    schuetzen: bool = True  # False: nur prüfen (aufgedeckt melden), nicht durch weitere Sperren schützen


@dataclass(frozen=True)
class Beziehung:
    """Σ Koeffizient · Zelle = konstante (z. B. Eltern − Kinder = 0)."""

    glieder: tuple[tuple[Hashable, float], ...]
    konstante: float = 0.0
    name: str = ""


def summe(gesamt: Hashable, teile: Iterable[Hashable], name: str = "") -> Beziehung:
    """Die Beziehung gesamt = Σ teile."""
    return Beziehung(((gesamt, 1.0), *((t, -1.0) for t in teile)), 0.0, name)


@dataclass
class Pruefbericht:
    """Ergebnis der Prüfung: aufgedeckte Zellen vor und nach der Sekundärsperrung, Intervalle, Aufwand."""

    aufgedeckt_vorher: list[Hashable] = field(default_factory=list)
    aufgedeckt_nachher: list[Hashable] = field(default_factory=list)
    intervalle: dict[Hashable, tuple[float, float]] = field(default_factory=dict)
    unschuetzbar: list[Hashable] = field(default_factory=list)
    lp_anzahl: int = 0
    komponenten: int = 0
    sekunden: float = 0.0


@dataclass
class Ergebnis:
    """Sperrmenge (ID → „primär“/„sekundär“) und Prüfbericht."""

    gesperrt: dict[Hashable, str]
    bericht: Pruefbericht

    @property
    def sekundaer(self) -> list[Hashable]:
        return [i for i, a in self.gesperrt.items() if a == SEKUNDAER]


class _Problem:
    """Zellen und Beziehungen als dünne Matrix; Zustand der Prüfung (Sperren, gesehene Spannen)."""

    def __init__(self, zellen: Sequence[Zelle], beziehungen: Sequence[Beziehung], vorgesperrt: Iterable[Hashable]):
        self.zellen = list(zellen)
        self.pos = {z.id: i for i, z in enumerate(self.zellen)}
        if len(self.pos) != len(self.zellen):
            raise ValueError("Zellen-IDs müssen eindeutig sein.")
        n = len(self.zellen)
        self.wert = np.array([z.wert for z in self.zellen], dtype=float)
        zeilen, spalten, koeff, konst = [], [], [], []
        r = 0
        for b in beziehungen:
            glieder = [(self.pos[c], float(a)) for c, a in b.glieder if a != 0]
            if not glieder or any(math.isnan(self.wert[i]) for i, _ in glieder):
                continue  # eine Beziehung über eine fehlende Zelle kennt niemand
            for i, a in glieder:
                zeilen.append(r)
                spalten.append(i)
                koeff.append(a)
            konst.append(float(b.konstante))
            r += 1
        self.m = sparse.csr_matrix((koeff, (zeilen, spalten)), shape=(r, n))
        self.mt = self.m.T.tocsr()
        self.konst = np.array(konst, dtype=float)
        self.gesperrt = np.zeros(n, dtype=bool)
        self.art: dict[int, str] = {}
        for i, z in enumerate(self.zellen):
            if z.primaer and not math.isnan(z.wert):
                self.gesperrt[i] = True
                self.art[i] = PRIMAER
        for c in vorgesperrt:
            i = self.pos[c]
            if not self.gesperrt[i] and not math.isnan(self.wert[i]):
                self.gesperrt[i] = True
                self.art[i] = SEKUNDAER
        self.lo = np.where(np.isnan(self.wert), np.nan, self.wert)  # gesehene Spannen (die wahren Werte sind zulässig)
        self.hi = self.lo.copy()
        self.intervall: dict[int, tuple[float, float]] = {}
        self.bindend: dict[int, set[int]] = {}
        self._schuetzbar: dict[int, bool] = {}
        self._gestreut: set[tuple[int, int]] = set()
        self._sperrbar = np.array([z.sperrbar for z in self.zellen], dtype=bool)
        self._stand = 0
        self._lps: dict[tuple[int, int, int], tuple[np.ndarray, np.ndarray, _Lp]] = {}
        self._marken_stand = -1
        self._marke = np.empty(0, dtype=int)
        self.lp = 0
        self.unten = np.array([z.untergrenze for z in self.zellen], dtype=float)
        self.oben = np.array([z.obergrenze for z in self.zellen], dtype=float)
        self.schutz = np.array([z.schutz for z in self.zellen], dtype=float)

    def beziehungen_von(self, i: int) -> np.ndarray:
        return self.mt.indices[self.mt.indptr[i] : self.mt.indptr[i + 1]]

    def zellen_von(self, r: int) -> np.ndarray:
        return self.m.indices[self.m.indptr[r] : self.m.indptr[r + 1]]

    def sperren(self, i: int) -> None:
        """Zelle i zusätzlich (sekundär) sperren."""
        self.gesperrt[i] = True
        self.art[i] = SEKUNDAER
        self._stand += 1

    def _marken(self, frei: np.ndarray) -> np.ndarray:
        """Komponentennummer je freier Zelle (−1 für die übrigen): Zusammenhang über gemeinsame Beziehungen, als
        Graph aus Zellen und Beziehungen (scipy, in C); für die Sperrmaske zwischengespeichert, bis sich sie ändert."""
        eigene = frei is self.gesperrt
        if eigene and self._marken_stand == self._stand:
            return self._marke
        f = np.flatnonzero(frei)
        teil = self.m[:, f].tocoo()
        knoten = len(f) + self.m.shape[0]
        kanten = sparse.coo_matrix((np.ones(teil.nnz), (teil.col, len(f) + teil.row)), shape=(knoten, knoten))
        _, nummer = connected_components(kanten, directed=False)
        marke = np.full(len(self.zellen), -1)
        marke[f] = nummer[: len(f)]
        if eigene:
            self._marke, self._marken_stand = marke, self._stand
        return marke

    def komponente(self, start: int, frei: np.ndarray | None = None) -> list[int]:
        """Freie (Standard: gesperrte) Zellen, die über Beziehungen mit freien Zellen mit `start` zusammenhängen."""
        marke = self._marken(self.gesperrt if frei is None else frei)
        if marke[start] < 0:
            return [start]
        return [int(j) for j in np.flatnonzero(marke == marke[start])]

    def breit_genug(self, i: int) -> bool:
        return bool(self.hi[i] - self.lo[i] >= self._grenze(i))

    def _grenze(self, i: int) -> float:
        if self.schutz[i] <= 0:
            return -math.inf  # z. B. Nullen: kein Geheimnis
        return max(float(self.schutz[i]), EXAKT * max(1.0, abs(float(self.wert[i]))))

    def _teil_lp(self, komp: list[int], frei: np.ndarray) -> tuple[np.ndarray, np.ndarray, _Lp]:
        """LP einer Komponente: ihre Zellen unbekannt, die sichtbaren Zellen ihrer Beziehungen Konstanten.

        Für die Sperrmaske wird es wiederverwendet, solange sich die Sperren nicht ändern (dann wechselt nur die
        Zielfunktion, und HiGHS startet warm von der letzten Lösung)."""
        schluessel = (self._stand, komp[0], len(komp))
        if frei is self.gesperrt and schluessel in self._lps:
            return self._lps[schluessel]
        spalten = np.array(komp)
        rows = np.unique(self.mt[spalten].indices)
        teil = self.m[rows]
        sichtbar = ~frei
        b_eq = self.konst[rows] - teil[:, np.flatnonzero(sichtbar)] @ np.nan_to_num(self.wert)[sichtbar]
        ergebnis = spalten, rows, _Lp(teil[:, spalten], b_eq, self.unten[spalten], self.oben[spalten])
        if frei is self.gesperrt:
            self._lps = {k: v for k, v in self._lps.items() if k[0] == self._stand}  # ältere Stände gelten nicht mehr
            self._lps[schluessel] = ergebnis
        return ergebnis

    def _loesen(self, i: int, frei: np.ndarray, lernen: bool) -> tuple[float, float, set[int]]:
        """max und min von Zelle i, wenn die Zellen `frei` unbekannt sind (mit `lernen`: gesehene Spannen
        erweitern und abbrechen, sobald die Spanne reicht)."""
        komp = self.komponente(i, frei)
        spalten, rows, lp = self._teil_lp(komp, frei)
        k = komp.index(i)
        bindend: set[int] = set()
        lo, hi = float(self.wert[i]), float(self.wert[i])
        for vorzeichen in (-1.0, 1.0):  # erst max, dann min
            c = np.zeros(len(komp))
            c[k] = vorzeichen
            self.lp += 1
            res = lp.minimieren(c)
            if res.status == 3:  # unbeschränkt: die Zelle ist in dieser Richtung frei
                if vorzeichen < 0:
                    hi = math.inf
                else:
                    lo = -math.inf
            elif res.status == 0:
                x = res.x
                lo, hi = min(lo, float(x[k])), max(hi, float(x[k]))
                if lernen:
                    self.lo[spalten] = np.minimum(self.lo[spalten], x)
                    self.hi[spalten] = np.maximum(self.hi[spalten], x)
                if res.duale is not None:
                    bindend.update(int(r) for r in rows[np.abs(res.duale) > 1e-9])
            # sonst (unzulässig durch Rundung o. ä.): vorsichtig nichts dazulernen
            if lernen:
                self.lo[i], self.hi[i] = min(self.lo[i], lo), max(self.hi[i], hi)
                if self.breit_genug(i):
                    break
        return lo, hi, bindend

    def _streuen(self, i: int) -> None:
        """Einmal je Komponente zwei LPs mit zufälliger (fester) Richtung: ihre Lösungen sind zulässige Punkte, die
        die gesehenen Spannen vieler Zellen auf einmal öffnen – dann brauchen sie kein eigenes LP."""
        komp = self.komponente(i)
        schluessel = (komp[0], len(komp))
        if len(komp) < 3 or schluessel in self._gestreut:
            return
        self._gestreut.add(schluessel)
        spalten, _, lp = self._teil_lp(komp, self.gesperrt)
        richtung = np.random.default_rng(len(komp)).standard_normal(len(komp))
        for c in (richtung, -richtung):
            self.lp += 1
            res = lp.minimieren(c)
            if res.status == 0:
                self.lo[spalten] = np.minimum(self.lo[spalten], res.x)
                self.hi[spalten] = np.maximum(self.hi[spalten], res.x)

    def pruefen(self, i: int) -> bool:
        """Ist die gesperrte Zelle i geschützt? (LP nur, wenn die gesehene Spanne nicht reicht)"""
        if self.breit_genug(i):
            if i in self.intervall:  # ein älteres (engeres) Intervall gilt nicht mehr
                self.intervall[i] = (float(self.lo[i]), float(self.hi[i]))
            return True
        rs = self.beziehungen_von(i)
        if len(rs) == 0:
            self.intervall[i] = (float(self.unten[i]), float(self.oben[i]))
            return self.oben[i] - self.unten[i] >= self._grenze(i)
        for r in rs:  # genau eine gesperrte Zelle in einer Beziehung: sofort aufgedeckt
            if self.gesperrt[self.zellen_von(r)].sum() == 1:
                self.intervall[i] = (float(self.wert[i]), float(self.wert[i]))
                self.bindend[i] = {int(r)}
                return False
        self._streuen(i)
        if self.breit_genug(i):
            self.intervall[i] = (float(self.lo[i]), float(self.hi[i]))
            return True
        _, _, self.bindend[i] = self._loesen(i, self.gesperrt, True)
        self.intervall[i] = (float(self.lo[i]), float(self.hi[i]))
        return self.breit_genug(i)

    def schuetzbar(self, i: int) -> bool:
        """Ließe sich Zelle i überhaupt schützen – mit allen sperrbaren Zellen gesperrt?

        Erst nur die sperrbaren Zellen in Beziehungen von i freigeben, dann die der nächsten Ringe: reicht das,
        reicht auch mehr (mehr Unbekannte vergrößern die zulässige Menge); zuletzt alle (ein großes LP)."""
        if i not in self._schuetzbar:
            sperrbar = self._sperrbar & ~np.isnan(self.wert)
            ring = np.zeros(len(self.zellen), dtype=bool)
            ring[i] = True
            stufen = []
            for _ in range(RINGE):
                ring[self.m[np.unique(self.mt[np.flatnonzero(ring)].indices)].indices] = True
                stufen.append(self.gesperrt | (sperrbar & ring))
            for frei in (*stufen, self.gesperrt | sperrbar):
                lo, hi, _ = self._loesen(i, frei, False)
                self._schuetzbar[i] = bool(hi - lo >= self._grenze(i))
                if self._schuetzbar[i]:
                    break
        return self._schuetzbar[i]

    def kandidat(self, i: int) -> int | None:
        """Die sichtbare, sperrbare Zelle mit den kleinsten Kosten in einer bindenden Beziehung von i (duale Werte
        des letzten LP bzw. die Beziehung mit i als einziger Sperre); sonst nach Abstand von i."""
        beste = self._beste(self.bindend.get(i, set()))
        if beste is not None:
            return beste
        ebene = [i]
        gesehen_z = {i}
        gesehen_r: set[int] = set()
        while ebene:
            rs = {int(r) for j in ebene for r in self.beziehungen_von(j)} - gesehen_r
            gesehen_r |= rs
            beste = self._beste(rs)
            if beste is not None:
                return beste
            naechste = sorted({int(c) for r in rs for c in self.zellen_von(r) if self.gesperrt[c]} - gesehen_z)
            gesehen_z.update(naechste)
            ebene = naechste
        return None

    def _beste(self, rs: Iterable[int]) -> int | None:
        kandidaten = {
            int(c)
            for r in rs
            for c in self.zellen_von(r)
            if not self.gesperrt[c] and self.zellen[c].sperrbar and not math.isnan(self.wert[c])
        }
        return min(kandidaten, key=self._kosten) if kandidaten else None

    def _kosten(self, c: int) -> tuple[float, float, int]:
        z = self.zellen[c]
        if z.kosten is not None:
            return (0.0, float(z.kosten), c)
        return (1.0 if z.wert == 0 else 0.0, abs(float(z.wert)), c)


def _komponenten(p: _Problem) -> int:
    """Zahl der Zusammenhangskomponenten der gesperrten Zellen (über gemeinsame Beziehungen)."""
    marke = p._marken(p.gesperrt)
    return len(np.unique(marke[marke >= 0]))


def pruefen_und_sperren(
    zellen: Sequence[Zelle],
    beziehungen: Sequence[Beziehung],
    *,
    vorgesperrt: Iterable[Hashable] = (),
    sekundaer: bool = True,
    hoechstens: int = 100_000,
    je_zelle: int = 25,
) -> Ergebnis:
    """Alle gesperrten Zellen prüfen und – mit `sekundaer` – so lange zusätzlich sperren, bis keine aufgedeckt ist.

    `vorgesperrt`: schon sekundär gesperrte Zellen (z. B. aus der Hierarchie-Sperrung); `je_zelle`: höchstens so
    viele Zusatzsperren für eine aufgedeckte Zelle (danach bleibt sie im Bericht offen). Ergebnis: Sperrmenge
    und Bericht (aufgedeckt vorher/nachher; Intervalle der geprüften Zellen, die ein LP brauchten).
    """
    t0 = time.perf_counter()
    p = _Problem(zellen, beziehungen, vorgesperrt)
    bericht = Pruefbericht()
    offen = [i for i in np.flatnonzero(p.gesperrt)]
    vorher = [int(i) for i in offen if not p.pruefen(int(i))]
    bericht.aufgedeckt_vorher = [p.zellen[i].id for i in vorher]
    bericht.komponenten = _komponenten(p)
    if sekundaer:
        schlange = [i for i in vorher if p.zellen[i].schuetzen]
        schritte = 0
        while schlange and schritte < hoechstens:
            i = schlange.pop(0)
            versuche = 0
            while not p.pruefen(i) and p.schuetzbar(i) and versuche < je_zelle:
                versuche += 1
                c = p.kandidat(i)
                if c is None:
                    break
                p.sperren(c)
                schritte += 1
                schlange.append(c)
    nachher = [int(i) for i in np.flatnonzero(p.gesperrt) if not p.pruefen(int(i))]
    bericht.aufgedeckt_nachher = [p.zellen[i].id for i in nachher]
    bericht.unschuetzbar = [p.zellen[i].id for i in nachher if p.zellen[i].schuetzen and not p.schuetzbar(i)]
    bericht.intervalle = {p.zellen[i].id: v for i, v in p.intervall.items()}
    bericht.lp_anzahl = p.lp
    bericht.sekunden = time.perf_counter() - t0
    gesperrt = {p.zellen[i].id: p.art[i] for i in sorted(p.art)}
    return Ergebnis(gesperrt, bericht)


def intervall(
    zellen: Sequence[Zelle], beziehungen: Sequence[Beziehung], gesperrt: Iterable[Hashable], zelle: Hashable
) -> tuple[float, float]:
    """[min, max] einer gesperrten Zelle über alle Lösungen (für Angriffstests: ohne Abkürzungen, zwei LPs)."""
    p = _Problem(zellen, beziehungen, gesperrt)
    i = p.pos[zelle]
    p.schutz[:] = math.inf  # keine Abkürzung über gesehene Spannen
    p.pruefen(i)
    return p.intervall.get(i, (p.wert[i], p.wert[i]))

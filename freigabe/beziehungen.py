"""Die linearen Beziehungen, die ein Angreifer aus dem Export einer Kommune kennt, für die LP-Prüfung
(`freigabe.verknuepft`) eines Sperrplans (`freigabe.geheimhaltung`).

Zellen: je Ebene, Gebiet und Indikator (Anzahlen und Anteile, die die Regeln der Rolle betreffen) eine Zelle auf
der **Summenskala**: Anzahlen mit ihrem Wert, Anteile mit Zähler als Zähler (ganzzahlig, höchstens der Nenner),
Anteile mit Gewicht als Wert × Gewicht (nicht ganzzahlig). Auf dieser Skala sind alle Beziehungen Summen, und
der Nenner gilt als bekannt (vorsichtig: er ist meist selbst veröffentlicht).

Beziehungen (jede wird mit den Daten nachgerechnet; was nicht aufgeht, kennt auch kein Angreifer exakt und
fällt weg – gezählt in `Pruefung.verworfen`):

* **Ebenen**: Elternzelle = Summe der Kinder mit Wert (oberste Ebene: das Gesamtgebiet).
* **Anteil ↔ Zähler**: der Zähler eines Anteils ist die Zelle des Zähler-Indikators.
* **Familien** (`kommune.merkmale.familien`, sobald es das Modul gibt): Gesamt = Summe der Ausprägungen, wenn
  `summe = true`, in jedem Gebiet jeder Ebene.
* **Einzugsbereiche** (Flächenanteile, `methode = "area"`, die Methode des öffentlichen Exports): Wert des
  Bereichs t = Σ_s W[s, t] / W[s, ·] · Wert des Quellgebiets s – exakt bekannt, weil Geometrien öffentlich sind.
  Sichtbare Bereiche enthalten keine gesperrte Quelle (`geheimhaltung._belastet`), verraten also nichts; die
  gesperrten Bereiche sind eigene Zellen (Schutzbreite exakt, denn Schätzungen sind nicht ganzzahlig), die nur
  über ihre Quellgebiete zu schützen sind (weitere Sperren dort) – das geschieht für primär gesperrte Bereiche
  (Fallzahl, Gebiet). Nur mitgesperrte Bereiche schützen ihre Quellen; sie selbst sind Schätzungen aus ihnen
  und gelten erst bei exakter Rückrechnung (Intervall < `ZEIGEN`) als aufgedeckt – ein Splitter einer gesperrten
  Quelle macht ihr Intervall schmal, verrät aber über die Quelle nichts. Ein nur mitgesperrter Bereich, dessen Wert
  exakt aus Veröffentlichtem folgt (Intervall < `ZEIGEN`, kein Splitter einer gesperrten Quelle unter
  `SPLITTER`), wird stattdessen gezeigt (`Pruefung.einzug_zeigen`): seine Gleichung kennt der Angreifer ohnehin,
  das „.“ schützte nichts. Die Wahl fällt in der ersten Runde und bleibt danach fest (gezeigte Bereiche sind im
  LP bekannte Gleichungen).
  Dasymetrische Umrechnungen (Zensus-Raster) prüft der Plan nicht.
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from freigabe.verknuepft import EXAKT, Beziehung, Zelle

#: Toleranz, mit der eine Beziehung in den Daten aufgehen muss (relativ)
AUFGEHEN = 1e-6
#: ein nur mitgesperrter Einzugsbereich gilt als aufgedeckt, wenn sein Intervall schmaler ist (relativ) …
KONSTANT = 1e-12
#: … und wird gezeigt, wenn es schmaler als dies ist (relativ: „exakt“ im LP) …
ZEIGEN = 1e-9
#: … und jede gesperrte Quelle mindestens diesen Flächenanteil an ihm hat (kein Splitter)
SPLITTER = 1e-3


@dataclass(frozen=True)
class Familie:
    """Ersatz für `kommune.merkmale.Familie`, solange es das Modul nicht gibt (gleiche Felder)."""

    basis: str
    merkmal: str
    glieder: tuple[str, ...]
    summe: bool = True


def familien_der_kommune(kommune: Any) -> list[Any]:
    """Die Indikator-Familien der Kommune (`kommune.merkmale.familien`), ohne das Modul eine leere Liste."""
    if importlib.util.find_spec("kommune.merkmale") is None:
        return []
    from kommune import merkmale  # type: ignore[attr-defined]

    return list(merkmale.familien(kommune))


def glied_ids(familie: Any, indikatoren: list[str] | set[str]) -> list[str] | None:
    """Die Indikator-IDs der Ausprägungen (Glieder als ID oder als Ausprägung `<basis>__<merkmal>_<glied>`)."""
    ids = []
    for g in familie.glieder:
        lang = f"{familie.basis}__{familie.merkmal}_{g}"
        if g in indikatoren:
            ids.append(g)
        elif lang in indikatoren:
            ids.append(lang)
        else:
            return None
    return ids


@dataclass
class Pruefung:
    """Was die LP-Prüfung eines Sperrplans fand (für Vermerk, Benchmark und Tests)."""

    zellen: int = 0
    beziehungen: int = 0
    verworfen: int = 0
    aufgedeckt_vorher: int = 0
    aufgedeckt_nachher: int = 0
    sekundaer_neu: int = 0
    lp_anzahl: int = 0
    sekunden: float = 0.0
    laeufe: int = 0
    offen: list[Hashable] = field(default_factory=list)
    unschuetzbar: list[Hashable] = field(default_factory=list)
    #: je Einzugsbereich (Zeile, Spalte) der nur mitgesperrten Bereiche, deren Wert aus Veröffentlichtem exakt
    #: folgt: sie zu zeigen verrät nichts (die Gleichung ist schon bekannt), sie zu sperren schützte nichts
    einzug_zeigen: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    #: gezeigte Bereiche → ihre gesperrten Quellen bei der Entscheidung (kommt eine dazu, wird er wieder gesperrt)
    zeigen: dict[Hashable, frozenset] = field(default_factory=dict)
    #: nur mitgesperrte Bereiche, deren Wert bis auf einen Splitter (< `SPLITTER`) einer gesperrten Quelle feststeht
    einzug_schmal: int = 0


def skala(art: str, wert: np.ndarray, zaehler: np.ndarray, nenner: np.ndarray) -> tuple[np.ndarray, bool, np.ndarray]:
    """(Summenskala, ganzzahlig?, Obergrenze) einer Spalte; für Indizes NaN."""
    leer = np.full(len(wert), np.nan)
    if art == "anzahl":
        return wert.astype(float), True, np.full(len(wert), np.inf)
    if art == "anteil":
        if not np.isnan(zaehler).all():
            x = np.where(np.isnan(wert), np.nan, zaehler)
            oben = np.where(np.nan_to_num(x) <= np.nan_to_num(nenner, nan=np.inf), nenner, np.inf)
            return x, True, np.where(np.isnan(oben), np.inf, oben)
        if not np.isnan(nenner).all():
            return wert * nenner, False, np.full(len(wert), np.inf)
    return leer, False, np.full(len(wert), np.inf)


class Baukasten:
    """Sammelt Zellen (Schlüssel → Position) und Beziehungen; prüft jede Beziehung an den Daten."""

    def __init__(self, nullen_geheim: bool = False) -> None:
        self.nullen_geheim = nullen_geheim
        self.zellen: list[Zelle] = []
        self.pos: dict[Hashable, int] = {}
        self.beziehungen: list[Beziehung] = []
        self.verworfen = 0

    def zelle(
        self,
        schluessel: Hashable,
        wert: float,
        *,
        primaer: bool,
        ganz: bool,
        oben: float,
        sperrbar: bool,
        schuetzen: bool = True,
        schutz: float | None = None,
    ) -> None:
        if math.isnan(wert):
            return
        if schutz is None:
            schutz = 1.0 if ganz and abs(wert - round(wert)) < 1e-9 else EXAKT * max(1.0, abs(wert))
        if wert == 0 and not self.nullen_geheim:
            schutz = 0.0  # Nullen sind kein Geheimnis (`[geheimhaltung] nullen_sperren`)
        unten = 0.0 if wert >= 0 else -math.inf
        self.pos[schluessel] = len(self.zellen)
        self.zellen.append(
            Zelle(schluessel, float(wert), primaer, schutz, unten, float(oben), sperrbar, schuetzen=schuetzen)
        )

    def summe(self, gesamt: Hashable, teile: list[Hashable], name: str) -> None:
        """gesamt = Σ teile, wenn alle Zellen existieren und die Gleichung in den Daten aufgeht."""
        self.kombination(gesamt, [(t, 1.0) for t in teile], name)

    def kombination(self, gesamt: Hashable, teile: list[tuple[Hashable, float]], name: str) -> None:
        if gesamt not in self.pos or not teile or any(t not in self.pos for t, _ in teile):
            return
        g = self.zellen[self.pos[gesamt]].wert
        s = sum(a * self.zellen[self.pos[t]].wert for t, a in teile)
        if abs(g - s) > AUFGEHEN * max(1.0, abs(g)):
            self.verworfen += 1
            return
        self.beziehungen.append(Beziehung(((gesamt, 1.0), *((t, -a) for t, a in teile)), 0.0, name))


@dataclass
class Einzug:
    """Ein Einzugsbereich für die Prüfung: Werte (Ebene nach Primärregeln) und je Quellebene die Matrix
    C (Quellgebiete × Bereiche) mit Wert(t) = Σ_s C[s, t] · Wert(s)."""

    ebene: Any
    matrizen: dict[str, Any]
    quelle: dict[int, str] = field(default_factory=dict)  # Spalte → ihre Quellebene


def _spalten_verbunden(n: int, kanten: list[tuple[int, int]], start: np.ndarray) -> np.ndarray:
    """Alle Spalten, die über Kanten (Anteil ↔ Zähler, Familien) mit einer Startspalte zusammenhängen."""
    drin = start.copy()
    while True:
        neu = drin.copy()
        for a, b in kanten:
            if drin[a] or drin[b]:
                neu[a] = neu[b] = True
        if (neu == drin).all():
            return drin
        drin = neu


def plan_pruefen(
    ebenen: dict[str, Any],
    reihenfolge: list[str],
    gesamt: str,
    indikatoren: list[str],
    arten: list[str],
    regel_an: np.ndarray,
    zaehler_von: dict[int, int],
    familien: list[tuple[int, list[int]]],
    einzuege: list[Einzug],
    sekundaer_grund: str,
    nullen_geheim: bool = False,
    zeigen: Any = None,
) -> tuple[list[tuple[str, int, int]], Pruefung]:
    """Die LP-Prüfung eines Sperrplans: Zellen und Beziehungen bauen, prüfen, Sekundärsperren ergänzen.

    `ebenen`: die `_Ebene`n des Plans (mit Masken und Gründen), `zaehler_von`: Anteil-Spalte → Zähler-Spalte,
    `familien`: (Gesamt-Spalte, Glied-Spalten) mit `summe = true`. Rückgabe: neue Sperren (Ebene, Zeile, Spalte)
    – noch nicht eingetragen – und der Bericht.
    """
    from freigabe.verknuepft import SEKUNDAER, pruefen_und_sperren

    k = len(indikatoren)
    kanten = [(a, b) for a, b in zaehler_von.items()] + [(g, t) for g, ts in familien for t in ts]
    gesperrt_je_spalte = np.zeros(k, dtype=bool)
    for e in ebenen.values():
        gesperrt_je_spalte |= e.maske.any(axis=0)
    for ez in einzuege:
        gesperrt_je_spalte |= ez.ebene.maske.any(axis=0)
    spalten = np.flatnonzero(_spalten_verbunden(k, kanten, gesperrt_je_spalte & regel_an))
    spalten = [int(j) for j in spalten if arten[j] in ("anzahl", "anteil")]
    bk = Baukasten(nullen_geheim)
    vorgesperrt: list[Hashable] = []
    skalen: dict[tuple[str, int], np.ndarray] = {}
    for eid in reihenfolge:
        e = ebenen[eid]
        for j in spalten:
            x, ganz, oben = skala(arten[j], e.wert[:, j], e.zaehler[:, j], e.nenner[:, j])
            skalen[(eid, j)] = x
            for r in np.flatnonzero(~np.isnan(x)):
                m = bool(e.maske[r, j])
                sek = m and e.gruende[r, j] == sekundaer_grund
                bk.zelle(
                    (eid, int(r), j),
                    float(x[r]),
                    primaer=m and not sek,
                    ganz=ganz,
                    oben=oben[r],
                    sperrbar=bool(regel_an[j]),
                )
                if sek:
                    vorgesperrt.append((eid, int(r), j))
    g = ebenen[gesamt]
    oberste = [eid for eid in reihenfolge if ebenen[eid].eltern == gesamt]
    for j in spalten:
        if oberste and not np.isnan(g.wert[0, j]):
            x = skalen[(oberste[0], j)]
            if not np.isnan(x).all():
                ganz = arten[j] == "anzahl" or not np.isnan(ebenen[oberste[0]].zaehler[:, j]).all()
                bk.zelle(
                    (gesamt, 0, j),
                    float(np.nansum(x)),
                    primaer=False,
                    ganz=ganz,
                    oben=math.inf,
                    sperrbar=bool(regel_an[j]),
                )
                if g.maske[0, j]:
                    vorgesperrt.append((gesamt, 0, j))
    # Ebenen: Eltern = Σ Kinder mit Wert
    for eid in reihenfolge:
        e = ebenen[eid]
        if e.eltern is None:
            continue
        ok = e.eltern_pos >= 0
        reihen = np.argsort(e.eltern_pos[ok], kind="stable")
        pos_ok = np.flatnonzero(ok)[reihen]
        grenzen = np.searchsorted(e.eltern_pos[pos_ok], np.arange(len(ebenen[e.eltern].ids) + 1))
        for pg in range(len(ebenen[e.eltern].ids)):
            kinder = pos_ok[grenzen[pg] : grenzen[pg + 1]]
            if not len(kinder):
                continue
            for j in spalten:
                x = skalen[(eid, j)]
                mit = [(eid, int(c), j) for c in kinder if not np.isnan(x[c])]
                bk.summe((e.eltern, pg, j), mit, "Ebene")
    # Anteil ↔ Zähler, Familien: in jedem Gebiet jeder Ebene (und im Gesamtgebiet)
    for eid in [*reihenfolge, gesamt]:
        n = len(ebenen[eid].ids)
        for a, z in zaehler_von.items():
            if a in spalten and z in spalten:
                for r in range(n):
                    bk.summe((eid, r, a), [(eid, r, z)], "Zähler")
        for gj, ts in familien:
            if gj in spalten and all(t in spalten for t in ts):
                for r in range(n):
                    bk.summe((eid, r, gj), [(eid, r, t) for t in ts], "Familie")
    # Einzugsbereiche: gesperrte Bereiche als Zellen mit ihrer Linearkombination (nicht sperrbar)
    einzug_teile: list[tuple[Hashable, float, bool, list[tuple[Hashable, float]]]] = []
    for ez in einzuege:
        e = ez.ebene
        for j in spalten:
            x_t, _, _ = skala(arten[j], e.wert[:, j], e.zaehler[:, j], e.nenner[:, j])
            for q, c in ez.matrizen.items():
                if ez.quelle.get(j) != q or (q, j) not in skalen:
                    continue
                x_s = skalen[(q, j)]
                quelle_maske = ebenen[q].maske[:, j] & ~np.isnan(x_s)
                belastet = np.asarray(c.T @ quelle_maske.astype(float)).ravel() > 0
                for t in np.flatnonzero((e.maske[:, j] | belastet) & ~np.isnan(x_t)):
                    spalte = c[:, t].tocoo()
                    teile = [
                        ((q, int(s), j), float(a))
                        for s, a in zip(spalte.row, spalte.data, strict=True)
                        if a > 0 and not np.isnan(x_s[s])
                    ]
                    einzug_teile.append(((e.id, int(t), j), float(x_t[t]), bool(e.maske[t, j]), teile))

    def einzuege_eintragen(ziel: Baukasten, sichtbar: set[Hashable]) -> None:
        for schluessel, wert, primaer, teile in einzug_teile:
            if schluessel not in ziel.pos:
                ziel.zelle(
                    schluessel,
                    wert,
                    primaer=schluessel not in sichtbar,
                    ganz=False,
                    oben=math.inf,
                    sperrbar=False,
                    schuetzen=primaer,
                    schutz=None if primaer else KONSTANT * max(1.0, abs(wert)),
                )
            ziel.kombination(schluessel, teile, "Einzugsbereich")

    einzuege_eintragen(bk, set())
    ergebnis = pruefen_und_sperren(bk.zellen, bk.beziehungen, vorgesperrt=vorgesperrt)
    b = ergebnis.bericht
    neu = [z for z in ergebnis.sekundaer if z not in set(vorgesperrt)]
    # Nur mitgesperrte Bereiche, die über die ganze zulässige Menge konstant sind (exakt aus Veröffentlichtem),
    # werden gezeigt: die Gleichung schneidet nichts ab. Nicht bei einem Splitter einer gesperrten Quelle (unter
    # `SPLITTER`): „konstant“ hieße dort nur „numerisch schmal“, und der gezeigte Wert verriete die Quelle.
    gesperrt_jetzt = set(ergebnis.gesperrt)
    zeigen: dict[Hashable, frozenset] = {}
    for schluessel, wert, primaer, teile in einzug_teile:
        iv = b.intervalle.get(schluessel)
        if primaer or iv is None or iv[1] - iv[0] > ZEIGEN * max(1.0, abs(wert)):
            continue
        if all(a >= SPLITTER for x, a in teile if x in gesperrt_jetzt):
            zeigen[schluessel] = frozenset(x for x, _ in teile if x in gesperrt_jetzt)
    einzug_keys = {sch for sch, _, primaer, _ in einzug_teile if not primaer}
    # nur mitgesperrte Bereiche, die bis auf einen Splitter feststehen: sie schützen ihre Quellen (die das LP als
    # ganze Zahlen prüft), sind selbst aber kein Geheimnis – gemeldet, nicht mitgezählt
    schmal = [z for z in b.aufgedeckt_nachher if z in einzug_keys and z not in zeigen]
    nachher = [z for z in b.aufgedeckt_nachher if z not in zeigen and z not in einzug_keys]
    einzug_zeigen: dict[str, list[tuple[int, int]]] = {}
    for z in sorted(zeigen, key=str):
        einzug_zeigen.setdefault(z[0], []).append((z[1], z[2]))
    pruefung = Pruefung(
        zellen=len(bk.zellen),
        beziehungen=len(bk.beziehungen),
        verworfen=bk.verworfen,
        aufgedeckt_vorher=len(b.aufgedeckt_vorher),
        aufgedeckt_nachher=len(nachher),
        sekundaer_neu=len(neu),
        lp_anzahl=b.lp_anzahl,
        sekunden=b.sekunden,
        laeufe=1,
        offen=nachher,
        unschuetzbar=list(b.unschuetzbar),
        einzug_zeigen=einzug_zeigen,
        zeigen=zeigen,
        einzug_schmal=len(schmal),
    )
    return [z for z in neu if z[0] in ebenen and ergebnis.gesperrt.get(z) == SEKUNDAER], pruefung

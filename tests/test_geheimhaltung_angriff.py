"""Angriff auf den öffentlichen Export (alle Ebenen, Einzugsbereiche, Perioden) von Musterstadt und Berlin.

Der Angreifer kennt nur, was die öffentlichen Tabellen zeigen (Werte und „.“), den Gesamtwert der Kommune
(den zeigt die App), die Geometrien (also die Flächenanteile der Einzugsbereiche) und die Familien der Kommune.
Er versucht jede Differenzbildung – Eltern minus bekannte Kinder, Kinder aus Eltern, Einzugsbereiche gegen die
Quellgebiete, Familien gegen Gesamt, über Perioden hinweg – wiederholt bis nichts Neues mehr folgt, und
zusätzlich das LP-Audit über alle diese Gleichungen. Kein gesperrter Wert darf dabei exakt herauskommen (Nullen
sind nach den Regeln kein Geheimnis und zählen nicht).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from freigabe import geheimhaltung as gh
from freigabe.beziehungen import familien_der_kommune, glied_ids
from freigabe.tabellenexport import indikatortabelle, sperren_von
from freigabe.verknuepft import EXAKT, Beziehung, Zelle, pruefen_und_sperren
from kommune.werte import gesamtwert


def _export(k):
    """Alle öffentlichen Tabellen aller Ebenen und Perioden: (Ebene, Gebiet, Indikator, Periode) → (sichtbar?, Wert)
    – und zum Prüfen die wahren Werte (Rolle admin) und die Sperrgründe. Widersprechen sich zwei Exporte, schlägt
    der Test fehl."""
    zellen: dict[tuple, tuple[bool, float]] = {}
    wahr: dict[tuple, float] = {}
    grund: dict[tuple, str] = {}
    for p in k.perioden:
        for s in k.konfiguration.schichten:
            oeff = indikatortabelle(k, s.id, p, "oeffentlich").set_index("ID")
            roh = indikatortabelle(k, s.id, p, "admin").set_index("ID")
            maske, gruende = sperren_von(oeff)
            for ind in oeff.attrs["indikatoren"]:
                kopf = next(c for c in oeff.columns if c.endswith(f"[{ind}]"))
                q = oeff.attrs["perioden"][ind]
                for g, w, m, r, gr in zip(oeff.index, oeff[kopf], maske[kopf], roh[kopf], gruende[kopf], strict=True):
                    if pd.isna(r):
                        continue
                    assert bool(m) or w == r, f"sichtbarer Wert verändert: {s.id}/{g}/{ind}"
                    key = (s.id, str(g), ind, q)
                    neu = (not bool(m), float(r) if not m else math.nan)
                    alt = zellen.get(key)
                    assert alt is None or alt[0] == neu[0], f"Perioden-Exporte widersprechen sich: {key}"
                    zellen[key] = neu
                    wahr[key] = float(r)
                    grund[key] = str(gr)
    return zellen, wahr, grund


def _flaechenanteile(k, quelle: str, ziel: str) -> sparse.csc_matrix:
    """C[s, t]: Anteil der Fläche von Quellgebiet s in Bereich t (aus den öffentlichen Geometrien)."""
    from geodata.overlay import flaechengewichte, overlay_gewichte

    ov = overlay_gewichte(k.gebiete[quelle], k.gebiete[ziel])
    w = sparse.csr_matrix(flaechengewichte(ov).matrix, dtype=float)
    zeilen = np.asarray(w.sum(axis=1)).ravel()
    c = sparse.diags(np.divide(1.0, zeilen, out=np.zeros_like(zeilen), where=zeilen > 0)) @ w
    qz = pd.Index(ov.quelle_ids.astype(str)).get_indexer(k.gebiete[quelle].index.astype(str))
    tz = pd.Index(ov.ziel_ids.astype(str)).get_indexer(k.gebiete[ziel].index.astype(str))
    return sparse.csc_matrix(c.tocsr()[qz][:, tz])


def _gleichungen(k, zellen, wahr):
    """Alle linearen Gleichungen über Anzahlen, die der Angreifer aufstellen kann: [(gesamt, [(teil, a), …])]."""
    kat = k.katalog
    anzahl = {i for i in kat.index if kat.loc[i, "art"] == "anzahl"}
    gleichungen = []
    je = defaultdict(list)  # (Ebene, Indikator, Periode) → Gebiete
    for s, g, ind, q in zellen:
        if ind in anzahl:
            je[(s, ind, q)].append(g)
    verschachtelt = [s for s in k.konfiguration.schichten if s.art != "einzugsbereich"]
    for s in verschachtelt:
        eltern = k.gebiete[s.id]["eltern"] if s.eltern else None
        for (sid, ind, q), gebiete in je.items():
            if sid != s.id:
                continue
            if eltern is None:
                if not gh.gesamt_gesperrt(k, ind, q):
                    ges = ("_gesamt", "_gesamt", ind, q)
                    zellen.setdefault(ges, (True, gesamtwert(k, ind, q)))
                    wahr.setdefault(ges, gesamtwert(k, ind, q))
                    gleichungen.append((ges, [((sid, g, ind, q), 1.0) for g in gebiete]))
                continue
            kinder = defaultdict(list)
            for g in gebiete:
                kinder[str(eltern[g])].append(((sid, g, ind, q), 1.0))
            for pg, teile in kinder.items():
                if (s.eltern, pg, ind, q) in zellen:
                    gleichungen.append(((s.eltern, pg, ind, q), teile))
    for f in familien_der_kommune(k):
        ids = glied_ids(f, set(kat.index))
        if not f.summe or not ids:
            continue
        for s, g, ind, q in list(zellen):
            if ind == f.basis:
                teile = [((s, g, i, q), 1.0) for i in ids]
                if all(t in zellen for t, _ in teile):
                    gleichungen.append(((s, g, ind, q), teile))
    # Einzugsbereiche: Wert = Σ Flächenanteil · Wert der Quellgebiete (Quelle: die feinste Ebene mit Werten)
    feinste = {}
    for s, _, ind, q in zellen:
        if s != "_gesamt" and k.schicht(s).art != "einzugsbereich":
            r = [x.id for x in k.konfiguration.schichten].index(s)
            if (ind, q) not in feinste or r < feinste[(ind, q)][0]:
                feinste[(ind, q)] = (r, s)
    for t in (s for s in k.konfiguration.schichten if s.art == "einzugsbereich"):
        matrizen = {}
        for (ind, q), (_, quelle) in feinste.items():
            if ind not in anzahl or (t.id, ind, q) not in je:
                continue
            if quelle not in matrizen:
                matrizen[quelle] = _flaechenanteile(k, quelle, t.id)
            c = matrizen[quelle]
            ids_q, ids_t = k.gebiete[quelle].index.astype(str), k.gebiete[t.id].index.astype(str)
            for g in je[(t.id, ind, q)]:
                spalte = c[:, ids_t.get_loc(g)].tocoo()
                teile = [((quelle, ids_q[s], ind, q), a) for s, a in zip(spalte.row, spalte.data, strict=True) if a > 0]
                teile = [(x, a) for x, a in teile if x in zellen]
                summe = sum(a * wahr[x] for x, a in teile)
                if abs(summe - wahr[(t.id, g, ind, q)]) <= 1e-6 * max(1.0, abs(summe)):  # nur exakte Gleichungen
                    gleichungen.append(((t.id, g, ind, q), teile))
    return gleichungen


def _differenzen(zellen, wahr, gleichungen) -> dict[tuple, float]:
    """Jede Gleichung mit genau einer Unbekannten auflösen, bis nichts Neues mehr folgt (Eltern − Kinder,
    Kinder aus Eltern, Bereiche aus Quellen und umgekehrt, Familien); zurück: die zurückgerechneten Zellen."""
    bekannt = {key: w for key, (sichtbar, w) in zellen.items() if sichtbar}
    gefunden: dict[tuple, float] = {}
    neu = True
    while neu:
        neu = False
        for gesamt, teile in gleichungen:
            glieder = [(gesamt, 1.0), *((t, -a) for t, a in teile)]
            offen = [(x, a) for x, a in glieder if x not in bekannt]
            if len(offen) != 1:
                continue
            x, a = offen[0]
            wert = -sum(b * bekannt[y] for y, b in glieder if y in bekannt) / a
            bekannt[x] = gefunden[x] = wert
            neu = True
    return gefunden


class Angriff(NamedTuple):
    """Was der Angreifer hat (Export, Gleichungen) und womit der Test prüft (wahre Werte, Sperrgründe)."""

    k: Any
    zellen: dict[tuple, tuple[bool, float]]
    wahr: dict[tuple, float]
    gleichungen: list
    gruende: dict[tuple, str]


def _angreifen(k) -> Angriff:
    zellen, wahr, gruende = _export(k)
    return Angriff(k, zellen, wahr, _gleichungen(k, zellen, wahr), gruende)


@pytest.fixture(scope="module", params=["musterstadt", "berlin"])
def angriff(request) -> Angriff:
    return _angreifen(request.getfixturevalue(request.param))


def _geheim(a: Angriff, x: tuple) -> bool:
    """Zählt eine zurückgerechnete Zelle? Nullen nicht; nur mitgesperrte Einzugsbereiche sind Schätzungen, die
    ihre Quellen schützen, und selbst kein Geheimnis."""
    einzug = x[0] != "_gesamt" and a.k.schicht(x[0]).art == "einzugsbereich"
    return a.wahr[x] != 0 and not (einzug and a.gruende.get(x) == gh.SEKUNDAER)


def _durch_differenzen(a: Angriff) -> dict[tuple, float]:
    """Die gesperrten (geheimen) Zellen, die Differenzen bis zum Fixpunkt zurückrechnen, mit ihrem Wert."""
    gefunden = _differenzen(a.zellen, a.wahr, a.gleichungen)
    return {x: w for x, w in gefunden.items() if not a.zellen[x][0] and _geheim(a, x)}


def _durch_lp(a: Angriff) -> list:
    """Die gesperrten Zellen, deren Intervall im LP über alle Gleichungen (Anzahlen ≥ 0) zu schmal ist.

    Ganze Zahlen: Breite unter 1 (höchstens eine ganze Zahl passt). Einzugsbereiche sind Schätzungen: primär
    gesperrte (Fallzahl, Gebiet) müssen auf 10⁻⁶ des Werts offen bleiben; nur mitgesperrte schützen ihre Quellen
    (die prüft das LP als ganze Zahlen) und sind selbst kein Geheimnis – ein Splitter einer gesperrten Quelle kann
    ihr Intervall fast auf null schrumpfen, ohne die Quelle zu verraten."""
    liste = []
    for x, (sichtbar, _) in a.zellen.items():
        w = a.wahr[x]
        if w == 0:
            schutz = 0.0
        elif x[0] == "_gesamt" or a.k.schicht(x[0]).art != "einzugsbereich":
            schutz = 1.0
        else:
            schutz = 0.0 if a.gruende.get(x) == gh.SEKUNDAER else EXAKT * max(1.0, abs(w))
        liste.append(Zelle(x, w, not sichtbar, schutz, 0.0 if w >= 0 else -math.inf))
    beziehungen = [Beziehung(((g, 1.0), *((t, -f) for t, f in teile))) for g, teile in a.gleichungen]
    return pruefen_und_sperren(liste, beziehungen, sekundaer=False).bericht.aufgedeckt_vorher


def test_perioden_und_ebenen_widerspruchsfrei(angriff):
    gesperrt = sum(not s for s, _ in angriff.zellen.values())
    assert gesperrt > 100, angriff.k.name  # der Angriff hat etwas anzugreifen


def test_keine_differenz_deckt_eine_zelle_auf(angriff):
    aufgedeckt = _durch_differenzen(angriff)
    for x, w in aufgedeckt.items():
        assert w == pytest.approx(angriff.wahr[x], abs=1e-6)  # der Angriff rechnet richtig …
    assert aufgedeckt == {}, f"{angriff.k.name}: {len(aufgedeckt)} Zellen zurückgerechnet"  # … und findet nichts
    gesperrt = sum(not s for s, _ in angriff.zellen.values())
    print(f"\n{angriff.k.name}: {len(angriff.gleichungen)} Gleichungen, {gesperrt} gesperrt, 0 aufgedeckt")


def test_lp_audit_des_exports(angriff):
    """Dasselbe Gleichungssystem als LP: keine gesperrte Zelle liegt in einem zu schmalen Intervall."""
    aufgedeckt = _durch_lp(angriff)
    assert aufgedeckt == [], f"{angriff.k.name}: {aufgedeckt[:5]}"


@pytest.mark.parametrize("name", ["musterstadt", "berlin"])
def test_ohne_lp_pruefung_deckt_der_angriff_zellen_auf(name, request, monkeypatch):
    """Gegenprobe: mit nur den Regeln je Teiltabelle (ohne LP-Prüfung im Sperrplan) findet derselbe Angriff
    Zellen – Differenzen wie LP rechnen sie richtig zurück. Der Angriff kann also scheitern."""
    monkeypatch.setattr(gh, "LP_PRUEFUNG", False)
    gh.cache_leeren()
    try:
        a = _angreifen(request.getfixturevalue(name))
    finally:
        gh.cache_leeren()  # die Pläne ohne Prüfung dürfen keinem späteren Test begegnen
    differenzen, lp = _durch_differenzen(a), _durch_lp(a)
    print(f"\n{a.k.name} ohne LP-Prüfung: {len(differenzen)} durch Differenzen, {len(lp)} durch das LP zurückgerechnet")
    assert differenzen and len(lp) >= len(differenzen)
    for x, w in differenzen.items():
        assert w == pytest.approx(a.wahr[x], abs=1e-6)


def test_sperrplaene_ohne_aufgedeckte_zellen(angriff):
    """Die Prüfung im Sperrplan (mit Anteilen auf der Zählerskala und Anteil ↔ Zähler) findet nach der
    Sekundärsperrung nichts mehr – in jeder Periode."""
    k = angriff.k
    for p in k.perioden:
        pruefung = gh.sperrplan(k, p, "oeffentlich").pruefung
        assert pruefung is not None and pruefung.aufgedeckt_nachher == 0, (k.name, p, pruefung.offen[:5])


def test_kleinstadt_sprengel_aus_bezirk_ableitbar_wird_gezeigt(tmp_path):
    """hze 2024: S1 = a1 + a2 + a3 + ½·b1 = A + 6 = 16 folgt exakt aus Bezirk A und b1 – das „.“ schützte nichts,
    also zeigt der Plan den Wert; S2 = 24 ebenso. Die Kinderzahlen der Sprengel bleiben gesperrt (nicht ableitbar)."""
    from daten.kleinstadt import kleinstadt

    from kommune import kommune_laden

    k = kommune_laden(kleinstadt(tmp_path))
    tab = indikatortabelle(k, "sprengel", "2024").set_index("ID")
    assert tab["Hilfen zur Erziehung [hze]"].tolist() == [16.0, 24.0]
    assert tab["Kinder unter 15 [kinder]"].isna().all()


def test_familie_schuetzt_ueber_ebenen(musterstadt, monkeypatch):
    """Eine selbst gebaute Familie: kinder_u15 = kinder_sgb2 + Rest (Rest als eigener Indikator). Der Sperrplan
    nimmt die Familie auf; danach deckt weder die Differenz noch das LP eine Zelle auf."""
    import dataclasses

    from freigabe import beziehungen

    df = musterstadt.indikatoren
    basis = df[df["indikator"] == "kinder_u15"].set_index(["schicht", "gebiet", "periode"])["wert"]
    teil = df[df["indikator"] == "kinder_sgb2"].set_index(["schicht", "gebiet", "periode"])["wert"]
    rest = (basis - teil.reindex(basis.index)).dropna().reset_index()
    rest["indikator"], rest["zaehler"], rest["nenner"] = "kinder_u15__sgb2_nein", np.nan, np.nan
    kat = musterstadt.katalog.copy()
    kat.loc["kinder_u15__sgb2_nein"] = kat.loc["kinder_sgb2"]
    kat.loc["kinder_u15__sgb2_nein", "name"] = "Kinder ohne SGB II"
    k = dataclasses.replace(musterstadt, indikatoren=pd.concat([df, rest[df.columns]], ignore_index=True), katalog=kat)
    familie = beziehungen.Familie("kinder_u15", "sgb2", ("kinder_sgb2", "nein"), True)
    monkeypatch.setattr(beziehungen, "familien_der_kommune", lambda _k: [familie])
    p = k.perioden[-1]
    plan = gh.sperrplan(k, p, "oeffentlich")
    assert plan.pruefung.aufgedeckt_nachher == 0
    j0, j1, j2 = (plan.indikatoren.index(i) for i in ("kinder_u15", "kinder_sgb2", "kinder_u15__sgb2_nein"))
    for e in plan.ebenen.values():
        # in keinem Gebiet genau eine gesperrte Zelle der Familie (sonst wäre sie Gesamt − Rest)
        m = e.maske[:, [j0, j1, j2]] & ~np.isnan(e.wert[:, [j0, j1, j2]])
        vorhanden = (~np.isnan(e.wert[:, [j0, j1, j2]])).all(axis=1)
        einzeln = (m.sum(axis=1) == 1) & vorhanden
        assert not (einzeln & (e.wert[:, [j0, j1, j2]][np.arange(len(e.ids)), m.argmax(axis=1)] != 0)).any(), e.id

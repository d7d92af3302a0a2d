"""Flächenumrechnung (areal interpolation) von statistischen Gebieten auf Einzugsbereiche.

Grundlage ist die einmal je Schichtpaar berechnete Überlagerung (`geodata.overlay`): eine dünn
besetzte Matrix W (Quelle × Ziel) mit der Fläche (`methode="area"`) oder der geschätzten
Rasterbevölkerung (`methode="dasymetric"`, Zensus 2011, 1 km) jedes Schnittstücks.

Regeln (alle Indikatoren aller Perioden in EINEM Produkt Wᵀ·X):

* **Anzahlen** (extensiv): Jedes Quellgebiet verteilt seinen Wert im Verhältnis seiner Stücke,
  Anteil_ij = W_ij / Σ_j W_ij. Mit `gesamt_verteilen=True` (Standard, wie tobler `allocate_total`)
  bleibt die Summe erhalten, auch wenn Grenzen leicht abweichen; mit False geht der Teil eines
  Quellgebiets verloren, der in keinem Zielgebiet liegt (Nenner = ganzes Quellgebiet).
* **Anteile mit Zähler/Nenner** (aus den Spalten `zaehler`/`nenner` der Indikatortabelle oder den im
  Katalog genannten Zähler-/Nenner-Indikatoren): beide wie Anzahlen umrechnen, dann teilen und
  skalieren (Faktor wie `kommune.werte._faktor`, z. B. 100 für %).
* **Anteile mit Bezugsbevölkerung** (`gewicht` im Katalog, z. B. EW oder eine Summe von Altersgruppen, bei
  Bedarf aus der nächstgelegenen Periode wie in `kommune.werte`): bevölkerungsgewichtetes Mittel,
  Σ Anteil_ij·g_i·r_i / Σ Anteil_ij·g_i – die Bezugsbevölkerung wird dabei selbst umgerechnet.
* **Übrige Anteile und Indizes** (kein Zähler/Nenner, kein Gewicht): Mittel mit den Stückgewichten,
  Σ W_ij·r_i / Σ W_ij – bei „area“ das flächengewichtete Mittel wie tobler `intensive_variables`,
  bei „dasymetric“ mit der Rasterbevölkerung gewichtet.

**Fehlende Werte** werden nie still zu 0: Für jedes Zielgebiet wird der Gewichtsanteil gemessen, der
aus Quellgebieten ohne Wert (bzw. ohne Zähler, Nenner oder Gewicht) stammt. Liegt er über
1 − `mindestdeckung` (Standard 0,999, also mehr als 0,1 %), ist das Ergebnis NaN – bei Anzahlen
wie bei Anteilen. Darunter (nur Splitter an Grenzen) zählen die fehlenden Gebiete nicht mit.
Zielgebiete, die kein Quellgebiet berühren, bleiben NaN.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from geodata.overlay import Gewichte, Overlay, dasymetrische_gewichte, flaechengewichte, overlay_gewichte
from kommune.fehler import KommuneFehler
from kommune.formel import bezug_teile, perioden_nach_naehe
from kommune.laden import INDIKATOR_SPALTEN, Kommune
from kommune.versionen import ablage_ordner
from kommune.werte import zuordnung
from kommune.zwischenspeicher import Objektcache

METHODEN = ("area", "dasymetric")
#: Mindestanteil (nach Gewicht) eines Zielgebiets, der aus Quellgebieten MIT Wert stammen muss.
MINDESTDECKUNG = 0.999

#: Ergebnisse und Quellmatrizen hängen an der Kommune (`Objektcache`): sie sterben mit ihr, kein Neuladen lässt
#: sie zurück. Je Kommune höchstens 64 Ergebnisse (Ebene × Methode × Parameter).
_ERGEBNISSE = Objektcache("interpolation.ergebnisse", max_je_objekt=64)
_VORBEREITET = Objektcache("interpolation.vorbereitet", max_je_objekt=1)
try:  # dieselbe Textart wie kommune.indikatoren (pandas 3: "str" auf pyarrow)
    import pyarrow as _pa
    from pandas.arrays import ArrowStringArray

    _TEXT = pd.StringDtype("pyarrow", na_value=np.nan)
except ImportError:  # pragma: no cover
    _pa = None
    _TEXT = None

SUMME, QUOTE, MITTEL = 0, 1, 2


@dataclass
class _Quelle:
    """Eine vorbereitete Quellebene: alle (Indikator, Periode) als Spalten, mit Rechenregel je Spalte.

    `z`: Zähler (bei Anzahlen und Mitteln der Wert selbst, bei gewichteten Anteilen Wert × Gewicht),
    `n`: Nenner (nur Quoten), `fehlt`: Quellgebiet ohne verwendbaren Wert, `art`: SUMME/QUOTE/MITTEL.
    """

    schicht: str
    ids: pd.Index
    indikatoren: np.ndarray
    perioden: np.ndarray
    art: np.ndarray
    z: np.ndarray
    n: np.ndarray
    fehlt: np.ndarray
    faktor: np.ndarray
    mit_zn: np.ndarray
    verfahren: dict[str, str]


def _faktor_np(wert: np.ndarray, z: np.ndarray, n: np.ndarray, einheit: str) -> float:
    """Wie `kommune.werte._faktor` (Median von Wert / (Zähler/Nenner), auf Zehnerpotenz gerundet), mit numpy."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = (z > 0) & (n > 0) & ~np.isnan(wert)
        if ok.any():
            roh = float(np.median(wert[ok] / (z[ok] / n[ok])))
            if roh > 0:
                return float(10 ** round(math.log10(roh)))
    return 1000.0 if "1.000" in einheit else 100.0 if "%" in einheit else 1.0


def _rechnen(
    ov: Overlay,
    gew: Gewichte,
    art: np.ndarray,
    z: np.ndarray,
    n: np.ndarray,
    fehlt: np.ndarray,
    faktor: np.ndarray,
    gesamt_verteilen: bool,
    mindestdeckung: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Alle Spalten mit EINEM dünn besetzten Produkt Wᵀ·X; Rückgabe (wert, zaehler, nenner), je (Ziele × Spalten).

    X = [1 | Zähler | Nenner | fehlt]; Anzahlen und Quoten werden vorher durch das Gesamtgewicht ihres
    Quellgebiets geteilt (Wᵀ·(v/g) = Σ Anteil·v), Mittel nicht (Wᵀ·r / Wᵀ·1).
    """
    w = gew.matrix
    n_q, k = z.shape
    den = np.asarray(w.sum(axis=1)).ravel() if gesamt_verteilen else np.asarray(gew.quelle_gesamt, float)
    inv = np.divide(1.0, den, out=np.zeros(n_q), where=den > 0)
    extensiv = art != MITTEL
    quote = art == QUOTE
    x = np.empty((n_q, 1 + 3 * k))
    x[:, 0] = 1.0
    zx, nx = x[:, 1 : k + 1], x[:, k + 1 : 2 * k + 1]
    np.copyto(zx, np.where(fehlt, 0.0, z))
    np.copyto(nx, np.where(fehlt, 0.0, n))
    nx[:, art == MITTEL] = ~fehlt[:, art == MITTEL]
    zx[:, extensiv] *= inv[:, None]
    nx[:, extensiv] *= inv[:, None]
    x[:, 2 * k + 1 :] = fehlt
    p = np.asarray(w.T @ x)  # das eine Produkt: (Ziele × (1 + 3k))
    wsum, pz, pn, pf = p[:, :1], p[:, 1 : k + 1], p[:, k + 1 : 2 * k + 1], p[:, 2 * k + 1 :]
    fehlanteil = np.divide(pf, wsum, out=np.zeros_like(pf), where=wsum > 0)
    ungueltig = (ov.ziel_gedeckt <= 0)[:, None] | (fehlanteil > (1.0 - mindestdeckung) + 1e-12)
    with np.errstate(divide="ignore", invalid="ignore"):
        quotient = np.where(pn > 0, pz / pn, np.nan) * np.where(art == MITTEL, 1.0, faktor)
    wert = np.where(art == SUMME, pz, quotient)
    wert[ungueltig] = np.nan
    zaehler = np.where(quote & ~ungueltig, pz, np.nan)
    nenner = np.where(quote & ~ungueltig, pn, np.nan)
    return wert, zaehler, nenner


def _gewichte(ov: Overlay, quelle, ziel, methode: str, raster: str | os.PathLike[str] | None) -> Gewichte:
    if methode == "area":
        return flaechengewichte(ov)
    if methode == "dasymetric":
        return dasymetrische_gewichte(ov, quelle, ziel, raster)
    raise KommuneFehler(f"Die Methode „{methode}“ gibt es nicht: erlaubt sind {' und '.join(METHODEN)}.")


def interpolieren(
    ov: Overlay,
    daten: pd.DataFrame,
    extensiv: list[str] | tuple[str, ...] = (),
    intensiv: list[str] | tuple[str, ...] = (),
    *,
    gewichte: Gewichte | None = None,
    gesamt_verteilen: bool = True,
    mindestdeckung: float = MINDESTDECKUNG,
) -> pd.DataFrame:
    """Spalten einer Tabelle (Index = Quell-IDs) auf die Zielgebiete umrechnen.

    `extensiv`: Anzahlen (nach Gewichtsanteil verteilt); `intensiv`: mit den Stückgewichten gemittelt
    (ohne `gewichte` nach Fläche – dieselbe Rechnung wie tobler `area_interpolate`). Fehlende Werte:
    siehe Modulbeschreibung. Ergebnis: Index = Ziel-IDs, eine Spalte je Variable.
    """
    gew = gewichte or flaechengewichte(ov)
    spalten = [*extensiv, *intensiv]
    tab = daten.reindex(ov.quelle_ids)
    z = tab[spalten].to_numpy(float) if spalten else np.empty((len(tab), 0))
    art = np.array([SUMME] * len(extensiv) + [MITTEL] * len(intensiv), dtype=int)
    wert, _, _ = _rechnen(
        ov, gew, art, z, np.zeros_like(z), np.isnan(z), np.ones(len(spalten)), gesamt_verteilen, mindestdeckung
    )
    return pd.DataFrame(wert, index=ov.ziel_ids, columns=spalten)


# ---------------------------------------------------------------------------------------------
# Auf Ebene der Kommune: alle Indikatoren aller Perioden
# ---------------------------------------------------------------------------------------------


def _vorbereiten(kommune: Kommune, cache: bool = True) -> dict[str, _Quelle]:
    """Die Indikatortabelle einmal je Kommune in breite Matrizen je Quellebene bringen (gecacht).

    Quellebene je (Indikator, Periode) = die feinste Ebene, auf der er vorliegt (wie `kommune.werte`).
    """
    eintrag = _VORBEREITET.get(kommune, "quellen") if cache else None
    if eintrag is not None and eintrag[0] is kommune.indikatoren and eintrag[1] is kommune.katalog:
        return eintrag[2]
    df = kommune.indikatoren
    ind_code, ind_werte = pd.factorize(df["indikator"])
    per_code, per_werte = pd.factorize(df["periode"])
    sch_code, sch_werte = pd.factorize(df["schicht"])
    ind_werte, per_werte = np.asarray(ind_werte, dtype=object), np.asarray(per_werte, dtype=object)
    reihenfolge = [s.id for s in kommune.konfiguration.schichten]
    rang = np.array([reihenfolge.index(s) for s in sch_werte], dtype=int)[sch_code]
    schluessel = ind_code.astype(np.int64) * max(len(per_werte), 1) + per_code
    feinste = np.full(len(ind_werte) * max(len(per_werte), 1), np.iinfo(np.int64).max)
    np.minimum.at(feinste, schluessel, rang)
    behalten = rang == feinste[schluessel]
    spalten_katalog = ["art", "zaehler", "nenner", "gewicht", "einheit"]
    katalog = {
        i: dict(zip(spalten_katalog, zeile, strict=True))
        for i, zeile in zip(
            kommune.katalog.index,
            zip(*(kommune.katalog[c].tolist() for c in spalten_katalog), strict=True),
            strict=True,
        )
    }
    werte_wert, werte_z, werte_n = (df[c].to_numpy(float) for c in ("wert", "zaehler", "nenner"))
    geb_code, geb_werte = pd.factorize(df["gebiet"])
    geb_werte = np.asarray(geb_werte, dtype=object)
    quellen: dict[str, _Quelle] = {}
    for s_code, s_name in enumerate(sch_werte):
        auswahl = behalten & (sch_code == s_code)
        if not auswahl.any():
            continue
        ids = pd.Index(kommune.gebiete[s_name].index.astype(str), name="id")
        zeile = ids.get_indexer(geb_werte)[geb_code[auswahl]]
        spalte, eindeutig = pd.factorize(schluessel[auswahl])
        gut = zeile >= 0
        mats = []
        for v in (werte_wert, werte_z, werte_n):
            m = np.full((len(ids), len(eindeutig)), np.nan)
            m[zeile[gut], spalte[gut]] = v[auswahl][gut]
            mats.append(m)
        wert_m, z_m, n_m = mats
        paare = [
            (str(ind_werte[c // max(len(per_werte), 1)]), str(per_werte[c % max(len(per_werte), 1)])) for c in eindeutig
        ]
        index = {p: i for i, p in enumerate(paare)}
        quellen[s_name] = _quelle_bauen(s_name, ids, paare, index, wert_m, z_m, n_m, katalog)
    _VORBEREITET.setzen(kommune, "quellen", (kommune.indikatoren, kommune.katalog, quellen))
    return quellen


def _quelle_bauen(schicht, ids, paare, index, wert_m, z_m, n_m, katalog) -> _Quelle:
    """Je Spalte die Rechenregel wählen: Anzahl → Summe; Anteil → Zähler/Nenner, sonst Gewicht, sonst Mittel."""
    k = len(paare)
    art = np.zeros(k, dtype=int)
    z, n = wert_m.copy(), np.zeros_like(wert_m)
    faktor, mit_zn = np.ones(k), np.zeros(k, dtype=bool)
    verfahren = {}

    def begleit(text: object, periode: str, naechste: bool = False) -> np.ndarray | None:
        """Eine Bezugsgröße des Katalogs (ID oder Summenformel), bei `naechste` aus der nächstgelegenen Periode."""
        teile = bezug_teile(str(text or ""), katalog)
        if teile is None:
            return None
        perioden = perioden_nach_naehe({p for i, p in index if i == teile[0][1]}, periode) if naechste else [periode]
        for p in perioden:
            if all((i, p) in index for _, i in teile):
                return sum(f * wert_m[:, index[(i, p)]] for f, i in teile)
        return None

    for i, (indikator, periode) in enumerate(paare):
        e = katalog[indikator]
        if e["art"] == "anzahl":
            art[i], verfahren[indikator] = SUMME, "Summe, verteilt nach Gewichtsanteil der Schnittstücke"
            continue
        zz, nn = z_m[:, i], n_m[:, i]
        if np.isnan(zz).all() or np.isnan(nn).all():
            zz, nn = begleit(e["zaehler"], periode), begleit(e["nenner"], periode)
        g = begleit(e["gewicht"], periode, naechste=True)
        if zz is not None and nn is not None and (~np.isnan(zz)).any():
            art[i], z[:, i], n[:, i], mit_zn[i] = QUOTE, zz, nn, True
            faktor[i] = _faktor_np(wert_m[:, i], zz, nn, str(e["einheit"]))
            verfahren[indikator] = "Zähler und Nenner umgerechnet, dann geteilt"
        elif g is not None:
            art[i], z[:, i], n[:, i] = QUOTE, wert_m[:, i] * g, g
            verfahren[indikator] = f"Mittel, gewichtet mit {e['gewicht']} (selbst umgerechnet)"
        else:
            art[i] = MITTEL
            verfahren[indikator] = "Mittel, gewichtet nach Fläche bzw. Rasterbevölkerung der Schnittstücke"
    fehlt = np.isnan(z) | (np.isnan(n) & (art == QUOTE))
    return _Quelle(
        schicht,
        ids,
        np.array([p[0] for p in paare], dtype=object),
        np.array([p[1] for p in paare], dtype=object),
        art,
        z,
        n,
        fehlt,
        faktor,
        mit_zn,
        verfahren,
    )


def _textspalte(werte: np.ndarray, codes: np.ndarray):
    """Eine Textspalte aus wenigen Werten und Codes bauen (schnell, gleiche Textart wie die Indikatortabelle)."""
    if _pa is not None:
        return ArrowStringArray(_pa.array(list(werte), type=_pa.large_string()).take(_pa.array(codes)), dtype=_TEXT)
    return np.asarray(werte, dtype=object)[codes]


def _berechnen(
    kommune: Kommune,
    ziel_schicht: str,
    methode: str,
    raster: str | os.PathLike[str] | None,
    gesamt_verteilen: bool,
    mindestdeckung: float,
    vorbereitet: dict[str, _Quelle] | None = None,
) -> tuple[pd.DataFrame, dict]:
    if methode not in METHODEN:
        raise KommuneFehler(f"Die Methode „{methode}“ gibt es nicht: erlaubt sind {' und '.join(METHODEN)}.")
    kommune.schicht(ziel_schicht)  # unbekannte Ebene → KommuneFehler
    ziel = kommune.gebiete[ziel_schicht]
    ziel_ids = pd.Index(ziel.index.astype(str), name="id")
    quellen = vorbereitet if vorbereitet is not None else _vorbereiten(kommune)
    teile, info = [], {"verfahren": {}, "hinweise": []}
    for quell_schicht, q in quellen.items():
        if quell_schicht == ziel_schicht:
            df = kommune.indikatoren
            direkt = df[(df["schicht"] == ziel_schicht) & df["gebiet"].isin(ziel_ids)]
            teile.append(direkt[INDIKATOR_SPALTEN])
            continue
        quelle = kommune.gebiete[quell_schicht]
        ov = overlay_gewichte(
            quelle,
            ziel,
            quelle_name=kommune.schicht(quell_schicht).name,
            ziel_name=kommune.schicht(ziel_schicht).name,
            cache_dir=_ablage(kommune),
        )
        gew = _gewichte(ov, quelle, ziel, methode, raster)
        wert, z, n = _rechnen(ov, gew, q.art, q.z, q.n, q.fehlt, q.faktor, gesamt_verteilen, mindestdeckung)
        z[:, ~q.mit_zn] = np.nan
        n[:, ~q.mit_zn] = np.nan
        n_z, k = wert.shape
        spalten_code = np.repeat(np.arange(k), n_z)
        teile.append(
            pd.DataFrame(
                {
                    "schicht": _textspalte([ziel_schicht], np.zeros(n_z * k, dtype=int)),
                    "gebiet": _textspalte(ziel_ids, np.tile(np.arange(n_z), k)),
                    "indikator": _textspalte(q.indikatoren, spalten_code),
                    "periode": _textspalte(q.perioden, spalten_code),
                    "wert": wert.ravel(order="F"),
                    "zaehler": z.ravel(order="F"),
                    "nenner": n.ravel(order="F"),
                }
            )
        )
        info["verfahren"].update(q.verfahren)
        info["hinweise"] += list(gew.hinweise)
    lang = pd.concat(teile, ignore_index=True) if len(teile) != 1 else teile[0]
    if not teile:
        lang = pd.DataFrame(columns=INDIKATOR_SPALTEN)
    return lang[INDIKATOR_SPALTEN], info


def _ablage(kommune: Kommune) -> Path | None:
    """Wo die Überlagerungen dieser Kommune gespeichert werden: bei ihrer Datenversion (`kommune.versionen`).

    Lässt sich kein Ordner bestimmen (z. B. ohne Heimatordner), wird nur im Speicher gecacht – nie ein Abbruch.
    """
    try:
        return ablage_ordner(kommune)
    except Exception:
        return None


def _cache_schluessel(ziel_schicht: str, methode: str, raster, verteilen, deckung) -> tuple:
    return (ziel_schicht, methode, None if raster is None else str(raster), verteilen, deckung)


def _gecacht(kommune: Kommune, schluessel: tuple, rechnen) -> tuple[pd.DataFrame, dict]:
    return _ERGEBNISSE.holen(kommune, schluessel, rechnen)


def alle_interpolieren(
    kommune: Kommune,
    ziel_schicht: str,
    methode: str = "area",
    *,
    raster: str | os.PathLike[str] | None = None,
    gesamt_verteilen: bool = True,
    mindestdeckung: float = MINDESTDECKUNG,
    cache: bool = True,
) -> pd.DataFrame:
    """Alle Indikatoren aller Perioden auf `ziel_schicht` umrechnen (lange Form wie `Kommune.indikatoren`).

    `methode`: "area" (Flächenanteile) oder "dasymetric" (Bevölkerungsraster, Pfad aus `raster`,
    `BILDUNGSMONITOR_RASTER` oder `BILDUNGSMONITOR_DATA_DIR`/germany/zensus2011_grid_1km.parquet).
    `zaehler`/`nenner` sind nur bei Anteilen mit Zähler/Nenner gefüllt. `attrs["verfahren"]` nennt je
    Indikator die Rechenregel; Splitter und Lücken der Überlagerung nennt `ueberlagerungsbericht` (erst auf
    Nachfrage: der Bericht kostet mehr als das Lesen der gespeicherten Überlagerung).
    Ergebnis gecacht je (Kommune, Ebene, Methode, …); `cache=False` rechnet alles neu außer der Überlagerung
    und den Rastergewichten (die bleiben nach Geometrie-Hash gecacht). Die Überlagerung wird einmal je Paar von
    Geometrieständen gerechnet und bei der Datenversion gespeichert (`kommune.versionen.ablage_ordner`); ein
    frischer Prozess liest sie von dort.
    """
    schluessel = _cache_schluessel(ziel_schicht, methode, raster, gesamt_verteilen, mindestdeckung)

    def rechnen():
        vorbereitet = _vorbereiten(kommune, cache=cache)
        return _berechnen(kommune, ziel_schicht, methode, raster, gesamt_verteilen, mindestdeckung, vorbereitet)

    lang, info = _gecacht(kommune, schluessel, rechnen) if cache else rechnen()
    ergebnis = lang.copy()
    ergebnis.attrs = {k: (dict(v) if isinstance(v, dict) else list(v)) for k, v in info.items()}
    return ergebnis


def ueberlagerungsbericht(kommune: Kommune, ziel_schicht: str) -> list[str]:
    """Splitter, Lücken und Überlappungen jeder Überlagerung, aus der `ziel_schicht` umgerechnet wird (Sätze)."""
    ziel = kommune.gebiete[ziel_schicht]
    saetze: list[str] = []
    for quell_schicht in _vorbereiten(kommune):
        if quell_schicht == ziel_schicht:
            continue
        saetze += overlay_gewichte(
            kommune.gebiete[quell_schicht],
            ziel,
            quelle_name=kommune.schicht(quell_schicht).name,
            ziel_name=kommune.schicht(ziel_schicht).name,
            cache_dir=_ablage(kommune),
        ).bericht
    return saetze


def werte_auf_einzugsbereich(
    kommune: Kommune,
    indikator: str,
    schicht_id: str,
    periode: str,
    methode: str = "area",
    *,
    raster: str | os.PathLike[str] | None = None,
) -> pd.Series:
    """Werte eines Indikators für alle Gebiete von `schicht_id` (NaN = keine Daten), wie `kommune.werte.werte`.

    Liegt `schicht_id` in der Hierarchie über der Quellebene (oder ist sie es), wird exakt aggregiert
    (`kommune.werte.werte`); sonst wird umgerechnet (gecacht je Kommune, Ebene und Methode).
    """
    from kommune.werte import _quellwerte, werte

    ziel_ids = kommune.gebiete[schicht_id].index
    quelle = _quellwerte(kommune, indikator, periode)
    if quelle is None:
        return pd.Series(np.nan, index=ziel_ids, dtype=float, name=indikator)
    if quelle[0] == schicht_id or zuordnung(kommune, quelle[0], schicht_id) is not None:
        return werte(kommune, indikator, schicht_id, periode)
    schluessel = _cache_schluessel(schicht_id, methode, raster, True, MINDESTDECKUNG)

    def breit_rechnen() -> pd.DataFrame:
        lang, _ = _gecacht(
            kommune,
            schluessel,
            lambda: _berechnen(kommune, schicht_id, methode, raster, True, MINDESTDECKUNG),
        )
        return lang.pivot(index="gebiet", columns=["indikator", "periode"], values="wert")

    breit = _ERGEBNISSE.holen(kommune, (*schluessel, "breit"), breit_rechnen)
    if (indikator, periode) not in breit.columns:
        return pd.Series(np.nan, index=ziel_ids, dtype=float, name=indikator)
    return breit[(indikator, periode)].reindex(ziel_ids).astype(float).rename(indikator)


def cache_leeren() -> None:
    """Gecachte Umrechnungsergebnisse aller Kommunen verwerfen (Überlagerungen: `geodata.overlay.cache_leeren`);
    sonst sterben sie mit ihrer Kommune."""
    _ERGEBNISSE.leeren()
    _VORBEREITET.leeren()

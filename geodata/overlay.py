"""Überlagerung zweier Gebietsschichten als dünn besetzte Flächenmatrix (einmal je Schichtpaar).

`overlay_gewichte(quelle, ziel)` schneidet jedes Quellgebiet mit jedem Zielgebiet, das es berührt
(STRtree + vektorisiertes `shapely.intersection`), und hält die Schnittflächen als CSR-Matrix
(Quelle × Ziel, m²). Dazu kommen die Gebietsflächen, die IDs und ein Bericht über Splitter und
Lücken in deutschen Sätzen – gemeldet, nicht versteckt. Alle Schnittstücke mit positiver Fläche
bleiben in der Matrix (wie bei tobler); Splitter tragen nur ihre winzige Fläche bei.

Zwischenspeicher: im Speicher ein begrenztes Wörterbuch, Schlüssel = SHA-256 über die Inhaltsschlüssel beider
Schichten (je SHA-256 über CRS, IDs und WKB; ändert sich eine Geometrie, wird neu gerechnet); es hält keine
GeoDataFrames fest. Auf der Platte als komprimierte `.npz` (ohne Pickle) `overlay_<quelle>_<ziel>.npz` mit beiden
Inhaltsschlüsseln im Namen und dem vollen Schlüssel in der Datei: bei der Datenversion der Kommune
(`kommune.versionen.ablage_ordner`, so übergibt es `geodata.interpolation`), sonst im Ordner aus `cache_dir` bzw.
`BILDUNGSMONITOR_CACHE_DIR`. Eine einmal je Paar von Geometrieständen gerechnete Überlagerung steht so auch
einem frischen Prozess bereit. Eine fremde, veraltete, unvollständige oder kaputte Datei wird nie benutzt,
sondern neu gerechnet und ersetzt (atomar geschrieben).

Für die dasymetrische Interpolation gewichtet `dasymetrische_gewichte` jedes Schnittstück mit der
Bevölkerung der Rasterzellen, in denen es liegt (Zensus-2011-Gitter, 1 km): Fläche × Einwohnerdichte.
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import os
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse

from kommune.fehler import KommuneFehler
from kommune.format import zahl
from kommune.zwischenspeicher import Begrenzt, Objektcache

#: Version des Cache-Formats; bei Änderungen an der Berechnung erhöhen.
CACHE_VERSION = "overlay-v1"
#: Umgebungsvariable für den Plattencache (Ordner). Nicht gesetzt: nur Speicher-Cache.
CACHE_UMGEBUNG = "BILDUNGSMONITOR_CACHE_DIR"
#: Bevölkerungsraster relativ zu BILDUNGSMONITOR_DATA_DIR (überschreibbar per Parameter oder Variable).
RASTER_RELATIV = Path("germany") / "zensus2011_grid_1km.parquet"
RASTER_UMGEBUNG = "BILDUNGSMONITOR_RASTER"
DATEN_UMGEBUNG = "BILDUNGSMONITOR_DATA_DIR"
RASTER_CRS = "EPSG:3035"

#: Schnittstücke unter dieser Fläche (m²) gelten als Splitter …
SPLITTER_M2 = 1.0
#: … ebenso Stücke unter diesem Anteil an der kleineren der beiden beteiligten Gebietsflächen.
SPLITTER_ANTEIL = 1e-4
#: Lücken unter dieser Fläche (m²) je Gebiet gelten als Rechenrauschen und werden nicht gemeldet.
LUECKE_M2 = 1.0

#: Caches nach Inhalt (Geometrie-Hash, Rasterdatei): Sie halten keine Kommune und keinen GeoDataFrame fest,
#: überstehen also ein Neuladen mit denselben Geometrien (billig), und sind begrenzt (zuletzt benutzte bleiben).
_SPEICHER: Begrenzt = Begrenzt(16)
_BENANNT: Begrenzt = Begrenzt(32)
_GEWICHTE: Begrenzt = Begrenzt(16)
_RASTER: Begrenzt = Begrenzt(2)
#: (Datei, Schlüssel), die in diesem Prozess schon gelesen oder geschrieben wurden (kein erneutes Prüfen der Platte).
_ABGELEGT: Begrenzt = Begrenzt(64)
#: Schnellweg: gleiche GeoDataFrames mit denselben (unveränderlichen) shapely-Objekten → kein neuer Hash.
#: Hängt an der Quellschicht (je Zielschicht ein Eintrag) und stirbt mit ihr.
_IDENTITAET = Objektcache("overlay.identitaet", max_je_objekt=8)


def _flaeche(m2: float) -> str:
    """Eine Fläche lesbar: m² bis 10.000, darüber ha, ab 1 km² in km²."""
    if m2 < 10_000:
        return f"{zahl(m2, 0 if m2 >= 10 else 1)} m²"
    if m2 < 1e6:
        return f"{zahl(m2 / 1e4, 2)} ha"
    return f"{zahl(m2 / 1e6, 2)} km²"


def _prozent(anteil: float) -> str:
    stellen = 1 if anteil >= 0.001 else 3
    return f"{zahl(anteil * 100, stellen)} %"


@dataclass(frozen=True, eq=False)
class Overlay:
    """Schnittflächen zweier Schichten: `flaechen[i, j]` = Fläche (m²) von Quelle i ∩ Ziel j."""

    flaechen: sparse.csr_matrix
    quelle_ids: pd.Index
    ziel_ids: pd.Index
    quelle_flaeche: np.ndarray
    ziel_flaeche: np.ndarray
    schluessel: str
    crs: str
    quelle_name: str = "Quelle"
    ziel_name: str = "Ziel"
    #: Schnittgeometrien in CSR-Reihenfolge, nur wenn frisch gerechnet (nicht aus dem Plattencache).
    stuecke_geometrie: np.ndarray | None = field(default=None, repr=False)

    # -- abgeleitete Größen ------------------------------------------------------------------
    @property
    def quelle_gedeckt(self) -> np.ndarray:
        """Je Quellgebiet die von Zielgebieten überdeckte Fläche (Zeilensummen)."""
        return np.asarray(self.flaechen.sum(axis=1)).ravel()

    @property
    def ziel_gedeckt(self) -> np.ndarray:
        """Je Zielgebiet die von Quellgebieten überdeckte Fläche (Spaltensummen)."""
        return np.asarray(self.flaechen.sum(axis=0)).ravel()

    @property
    def luecke_quelle(self) -> pd.Series:
        """Fläche je Quellgebiet, die in keinem Zielgebiet liegt (m²; negativ = Mehrfachdeckung)."""
        return pd.Series(self.quelle_flaeche - self.quelle_gedeckt, index=self.quelle_ids, name="luecke_m2")

    @property
    def luecke_ziel(self) -> pd.Series:
        """Fläche je Zielgebiet, die von keinem Quellgebiet überdeckt ist (m²)."""
        return pd.Series(self.ziel_flaeche - self.ziel_gedeckt, index=self.ziel_ids, name="luecke_m2")

    def stuecke(self) -> pd.DataFrame:
        """Alle Schnittstücke: quelle, ziel, flaeche_m2, Anteile und Splitter-Markierung."""
        coo = self.flaechen.tocoo()
        a = coo.data
        anteil_q = a / np.where(self.quelle_flaeche > 0, self.quelle_flaeche, 1.0)[coo.row]
        anteil_z = a / np.where(self.ziel_flaeche > 0, self.ziel_flaeche, 1.0)[coo.col]
        return pd.DataFrame(
            {
                "quelle": self.quelle_ids[coo.row],
                "ziel": self.ziel_ids[coo.col],
                "flaeche_m2": a,
                "anteil_quelle": anteil_q,
                "anteil_ziel": anteil_z,
                "splitter": (a < SPLITTER_M2) | (np.minimum(anteil_q, anteil_z) < SPLITTER_ANTEIL),
            }
        )

    @cached_property
    def kennzahlen(self) -> dict[str, float]:
        """Zahlen hinter dem Bericht (Stücke, Splitter, Lücken, Mehrfachdeckung)."""
        st = self.stuecke()
        winzig = st["flaeche_m2"] < SPLITTER_M2
        schmal = st["splitter"] & ~winzig
        lq, lz = self.luecke_quelle, self.luecke_ziel
        return {
            "stuecke": len(st),
            "stuecke_ueber_1m2": int((~winzig).sum()),
            "splitter_unter_1m2": int(winzig.sum()),
            "splitter_unter_1m2_flaeche_m2": float(st.loc[winzig, "flaeche_m2"].sum()),
            "splitter_anteil": int(schmal.sum()),
            "splitter_anteil_flaeche_m2": float(st.loc[schmal, "flaeche_m2"].sum()),
            "splitter_anteil_groesster_m2": float(st.loc[schmal, "flaeche_m2"].max()) if schmal.any() else 0.0,
            "quelle_mit_luecke": int((lq > LUECKE_M2).sum()),
            "luecke_quelle_m2": float(lq[lq > 0].sum()),
            "ziel_mit_luecke": int((lz > LUECKE_M2).sum()),
            "luecke_ziel_m2": float(lz[lz > 0].sum()),
            "quelle_ohne_ziel": int((self.quelle_gedeckt <= 0).sum()),
            "ziel_ohne_quelle": int((self.ziel_gedeckt <= 0).sum()),
            "quelle_mehrfach_m2": float(-lq[lq < -LUECKE_M2].sum()),
            "ziel_mehrfach_m2": float(-lz[lz < -LUECKE_M2].sum()),
        }

    @cached_property
    def bericht(self) -> list[str]:
        """Splitter, Lücken und Überlappungen als deutsche Sätze."""
        k = self.kennzahlen
        q, z = f"„{self.quelle_name}“", f"„{self.ziel_name}“"
        saetze = [
            f"Überlagerung {q} × {z}: {zahl(k['stuecke'], 0)} Schnittstücke, davon "
            f"{zahl(k['stuecke_ueber_1m2'], 0)} größer als 1 m²."
        ]
        teile = []
        if k["splitter_unter_1m2"]:
            teile.append(
                f"{zahl(k['splitter_unter_1m2'], 0)} Stücke unter 1 m² (zusammen "
                f"{_flaeche(k['splitter_unter_1m2_flaeche_m2'])})"
            )
        if k["splitter_anteil"]:
            teile.append(
                f"{zahl(k['splitter_anteil'], 0)} {'weitere ' if teile else ''}Stücke unter "
                f"{zahl(SPLITTER_ANTEIL * 100, 2)} % der kleineren beteiligten Gebietsfläche (zusammen "
                f"{_flaeche(k['splitter_anteil_flaeche_m2'])}, "
                f"das größte {_flaeche(k['splitter_anteil_groesster_m2'])})"
            )
        if teile:
            saetze.append(
                f"Splitter: {' und '.join(teile)}, meist durch leicht abweichende gemeinsame Grenzen. "
                "Sie bleiben in der Matrix und gehen nur mit ihrer Fläche in die Gewichte ein."
            )
        else:
            saetze.append(
                "Keine Splitter: Alle Schnittstücke sind größer als 1 m² und als "
                f"{zahl(SPLITTER_ANTEIL * 100, 2)} % der kleineren beteiligten Gebietsfläche."
            )
        for seite, ids, luecke, flaeche, andere in (
            (q, self.quelle_ids, self.luecke_quelle, self.quelle_flaeche, z),
            (z, self.ziel_ids, self.luecke_ziel, self.ziel_flaeche, q),
        ):
            offen = luecke[luecke > LUECKE_M2]
            if offen.empty:
                saetze.append(f"Keine Lücken: Die Gebiete der Schicht {seite} liegen vollständig in {andere}.")
                continue
            rel = offen / pd.Series(flaeche, index=ids).reindex(offen.index).where(lambda s: s > 0)
            groesst = rel.idxmax()
            ganz = rel[rel > 0.999]
            satz = (
                f"Lücken: {zahl(len(offen), 0)} Gebiete der Schicht {seite} liegen um mehr als 1 m² außerhalb von "
                f"{andere} (zusammen {_flaeche(float(offen.sum()))}, "
                f"{_prozent(float(offen.sum() / flaeche.sum()))} der Gesamtfläche; am stärksten {groesst} mit "
                f"{_flaeche(float(offen[groesst]))} = {_prozent(float(rel[groesst]))} seiner Fläche)."
            )
            if len(ganz):
                mehr = " …" if len(ganz) > 5 else ""
                satz += f" Ganz außerhalb: {', '.join(map(str, ganz.index[:5]))}{mehr}."
            saetze.append(satz)
        if k["quelle_mit_luecke"]:
            saetze.append(
                f"Der Wert eines Gebiets von {q} wird standardmäßig ganz auf seinen überdeckten Teil verteilt "
                "(Summen bleiben erhalten); wahlweise geht der Anteil außerhalb verloren."
            )
        if k["quelle_ohne_ziel"]:
            saetze.append(
                f"{zahl(k['quelle_ohne_ziel'], 0)} Gebiete von {q} berühren kein Gebiet von {z}; ihre Werte gehen "
                "nicht in die Umrechnung ein."
            )
        if k["ziel_ohne_quelle"]:
            saetze.append(
                f"{zahl(k['ziel_ohne_quelle'], 0)} Gebiete von {z} berühren kein Gebiet von {q} und bleiben ohne Daten."
            )
        for seite, andere, m2 in ((q, z, k["quelle_mehrfach_m2"]), (z, q, k["ziel_mehrfach_m2"])):
            if m2 > 0:
                saetze.append(
                    f"Überlappungen: Gebiete von {andere} überlappen sich; {_flaeche(m2)} von {seite} sind "
                    "mehrfach überdeckt."
                )
        return saetze


def _geometrien(gdf: gpd.GeoDataFrame, rolle: str) -> np.ndarray:
    if gdf.crs is None or not gdf.crs.is_projected:
        raise KommuneFehler(
            f"Die {rolle}schicht braucht ein metrisches Koordinatensystem (z. B. EPSG:25833), "
            f"nicht {gdf.crs.to_string() if gdf.crs else 'keines'}."
        )
    return np.asarray(gdf.geometry.values, dtype=object)


def schicht_schluessel(gdf: gpd.GeoDataFrame) -> str:
    """Inhaltsschlüssel einer Schicht: SHA-256 über CRS, IDs und Geometrie (gleich genau dann, wenn alles gleich ist).

    Die Geometrie geht als Koordinaten mit Teil- und Ringgrenzen ein (`shapely.to_ragged_array`, für Berlin
    einige Millisekunden); Mischungen, die das nicht kann (z. B. GeometryCollection), als WKB.
    """
    h = hashlib.sha256(b"schicht")
    h.update(b"\x00" + str(gdf.crs.to_string() if gdf.crs else "").encode())
    h.update(b"\x00" + "\x1f".join(map(str, gdf.index)).encode())
    geometrie = np.asarray(gdf.geometry.values, dtype=object)
    try:
        art, koordinaten, grenzen = shapely.to_ragged_array(geometrie, include_z=False)
    except (ValueError, TypeError, NotImplementedError):
        wkb = shapely.to_wkb(geometrie, output_dimension=2)
        h.update(b"\x00wkb" + len(wkb).to_bytes(8, "little"))
        for stueck in wkb:
            h.update(len(stueck or b"").to_bytes(8, "little"))
            h.update(stueck or b"")
        return h.hexdigest()
    h.update(b"\x00ragged" + int(art).to_bytes(2, "little") + len(geometrie).to_bytes(8, "little"))
    for teil in (koordinaten, *grenzen):
        teil = np.ascontiguousarray(teil)
        h.update(str(teil.dtype).encode() + len(teil).to_bytes(8, "little"))
        h.update(memoryview(teil).cast("B"))
    return h.hexdigest()


def _paar_schluessel(quelle_schluessel: str, ziel_schluessel: str) -> str:
    return hashlib.sha256(f"{CACHE_VERSION}\x00{quelle_schluessel}\x00{ziel_schluessel}".encode()).hexdigest()


def geometrie_schluessel(quelle: gpd.GeoDataFrame, ziel: gpd.GeoDataFrame) -> str:
    """SHA-256 über Cache-Version und die Inhaltsschlüssel (`schicht_schluessel`) beider Schichten."""
    return _paar_schluessel(schicht_schluessel(quelle), schicht_schluessel(ziel))


def ablage_datei(ordner: str | os.PathLike[str], quelle_schluessel: str, ziel_schluessel: str) -> Path:
    """Dateiname einer gespeicherten Überlagerung: beide Inhaltsschlüssel (gekürzt) im Namen."""
    return Path(ordner) / f"overlay_{quelle_schluessel[:20]}_{ziel_schluessel[:20]}.npz"


def _schneiden(q: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Kandidatenpaare über STRtree, Schnitt vektorisiert; Rückgabe in CSR-Reihenfolge (Zeile, Spalte)."""
    baum = shapely.STRtree(z)
    i, j = baum.query(q, predicate="intersects")
    ordnung = np.lexsort((j, i))
    i, j = i[ordnung], j[ordnung]
    stuecke = shapely.intersection(q[i], z[j])
    a = shapely.area(stuecke)
    behalten = a > 0
    return i[behalten], j[behalten], a[behalten], stuecke[behalten]


def _csr(i: np.ndarray, j: np.ndarray, werte: np.ndarray, form: tuple[int, int]) -> sparse.csr_matrix:
    """CSR direkt aus nach (i, j) sortierten Einträgen – die Reihenfolge der Daten bleibt erhalten."""
    indptr = np.concatenate([[0], np.cumsum(np.bincount(i, minlength=form[0]))]).astype(np.int64)
    return sparse.csr_matrix((werte.astype(float), j.astype(np.int64), indptr), shape=form)


def _cache_ordner(cache_dir: str | os.PathLike[str] | None) -> Path | None:
    ordner = cache_dir if cache_dir is not None else os.environ.get(CACHE_UMGEBUNG) or None
    return Path(ordner) if ordner else None


def _platte_lesen(pfad: Path, schluessel: str) -> dict[str, np.ndarray] | None:
    """Einen Plattencache lesen; bei fehlender, fremder oder kaputter Datei None (dann neu rechnen)."""
    if not pfad.is_file():
        return None
    try:
        with np.load(pfad, allow_pickle=False) as d:
            inhalt = {name: d[name] for name in d.files}
        if str(inhalt["schluessel"]) != schluessel:
            return None
        return inhalt
    except Exception:  # kaputt, abgeschnitten, kein Zip, fehlende Felder: nie abstürzen, neu rechnen
        return None


def _ablage_passt(inhalt: dict[str, np.ndarray], quelle_ids: pd.Index, ziel_ids: pd.Index) -> bool:
    """Ist eine gelesene Überlagerung in sich stimmig und zu diesen IDs passend? (Sonst neu rechnen.)"""
    try:
        n, m = len(quelle_ids), len(ziel_ids)
        indptr, indices, data = inhalt["indptr"], inhalt["indices"], inhalt["data"]
        return bool(
            indptr.shape == (n + 1,)
            and indptr[0] == 0
            and indptr[-1] == len(indices) == len(data)
            and (np.diff(indptr) >= 0).all()
            and (len(indices) == 0 or (indices.min() >= 0 and indices.max() < m))
            and np.isfinite(data).all()
            and (data >= 0).all()
            and inhalt["quelle_flaeche"].shape == (n,)
            and inhalt["ziel_flaeche"].shape == (m,)
            and np.array_equal(inhalt["quelle_ids"].astype(str), np.asarray(quelle_ids, dtype=str))
            and np.array_equal(inhalt["ziel_ids"].astype(str), np.asarray(ziel_ids, dtype=str))
        )
    except Exception:
        return False


def _platte_schreiben(pfad: Path, **arrays: np.ndarray) -> None:
    """Atomar schreiben (temporäre Datei + os.replace); Schreibfehler lassen den Cache einfach aus."""
    tmp: str | None = None
    try:
        pfad.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{pfad.stem}", suffix=".tmp", dir=pfad.parent)
        with os.fdopen(fd, "wb") as f:
            np.savez_compressed(f, **arrays)
        os.replace(tmp, pfad)
    except OSError:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)


def overlay_gewichte(
    quelle: gpd.GeoDataFrame,
    ziel: gpd.GeoDataFrame,
    *,
    quelle_name: str = "Quelle",
    ziel_name: str = "Ziel",
    cache_dir: str | os.PathLike[str] | None = None,
) -> Overlay:
    """Schnittflächen Quelle × Ziel (einmal je Schichtpaar, gecacht nach Geometrie-Hash).

    Beide Schichten müssen im selben metrischen CRS liegen; der Index ist die Gebiets-ID.
    `cache_dir` (oder `BILDUNGSMONITOR_CACHE_DIR`) schaltet den Plattencache ein: dort wird eine gespeicherte
    Überlagerung gelesen bzw. nach dem Rechnen abgelegt (`geodata.interpolation` übergibt den Ordner der
    Datenversion).
    """
    if quelle.crs != ziel.crs:
        raise KommuneFehler(
            f"Quell- und Zielschicht haben verschiedene Koordinatensysteme ({quelle.crs} und {ziel.crs})."
        )
    q, z = _geometrien(quelle, "Quell"), _geometrien(ziel, "Ziel")
    fingerabdruck = _fingerabdruck(quelle, ziel, q, z)
    bekannt = _IDENTITAET.get(quelle, id(ziel))
    if bekannt is not None and _gleich(bekannt[0], fingerabdruck) and bekannt[1] in _SPEICHER:
        schluessel, hq, hz = bekannt[1:]
    else:
        hq, hz = schicht_schluessel(quelle), schicht_schluessel(ziel)
        schluessel = _paar_schluessel(hq, hz)
    _IDENTITAET.setzen(quelle, id(ziel), (fingerabdruck, schluessel, hq, hz))
    ordner = _cache_ordner(cache_dir)
    pfad = ablage_datei(ordner, hq, hz) if ordner else None

    ov = _SPEICHER.get(schluessel)
    if ov is None and pfad is not None:
        ov = _aus_ablage(pfad, schluessel, quelle, ziel)
        if ov is not None:
            _ABGELEGT[(str(pfad), schluessel)] = True
    if ov is None:
        ov = _rechnen(q, z, quelle, ziel, schluessel)
    _SPEICHER[schluessel] = ov
    if pfad is not None and (str(pfad), schluessel) not in _ABGELEGT:
        # frisch gerechnet oder nur im Speicher (z. B. zuerst ohne Ordner geholt): bei der Version ablegen
        if _aus_ablage(pfad, schluessel, quelle, ziel) is None:
            _ablegen(pfad, ov, hq, hz)
        _ABGELEGT[(str(pfad), schluessel)] = True
    return _benannt(ov, quelle_name, ziel_name)


def _ids(gdf: gpd.GeoDataFrame) -> pd.Index:
    return pd.Index(gdf.index.astype(str), name="id")


def _rechnen(
    q: np.ndarray, z: np.ndarray, quelle: gpd.GeoDataFrame, ziel: gpd.GeoDataFrame, schluessel: str
) -> Overlay:
    i, j, a, stuecke = _schneiden(q, z)
    return Overlay(
        flaechen=_csr(i, j, a, (len(q), len(z))),
        quelle_ids=_ids(quelle),
        ziel_ids=_ids(ziel),
        quelle_flaeche=shapely.area(q),
        ziel_flaeche=shapely.area(z),
        schluessel=schluessel,
        crs=str(quelle.crs.to_string()),
        stuecke_geometrie=stuecke,
    )


def _aus_ablage(pfad: Path, schluessel: str, quelle: gpd.GeoDataFrame, ziel: gpd.GeoDataFrame) -> Overlay | None:
    """Eine gespeicherte Überlagerung, wenn die Datei da ist, den Schlüssel trägt und in sich stimmt; sonst None."""
    inhalt = _platte_lesen(pfad, schluessel)
    quelle_ids, ziel_ids = _ids(quelle), _ids(ziel)
    if inhalt is None or not _ablage_passt(inhalt, quelle_ids, ziel_ids):
        return None
    flaechen = sparse.csr_matrix(
        (inhalt["data"].astype(float), inhalt["indices"].astype(np.int64), inhalt["indptr"].astype(np.int64)),
        shape=(len(quelle_ids), len(ziel_ids)),
    )
    return Overlay(
        flaechen=flaechen,
        quelle_ids=quelle_ids,
        ziel_ids=ziel_ids,
        quelle_flaeche=inhalt["quelle_flaeche"].astype(float),
        ziel_flaeche=inhalt["ziel_flaeche"].astype(float),
        schluessel=schluessel,
        crs=str(quelle.crs.to_string()),
    )


def _ablegen(pfad: Path, ov: Overlay, hq: str, hz: str) -> None:
    _platte_schreiben(
        pfad,
        schluessel=np.array(ov.schluessel),
        quelle_schluessel=np.array(hq),
        ziel_schluessel=np.array(hz),
        data=ov.flaechen.data,
        indices=ov.flaechen.indices,
        indptr=ov.flaechen.indptr,
        quelle_ids=np.array(ov.quelle_ids, dtype=str),
        ziel_ids=np.array(ov.ziel_ids, dtype=str),
        quelle_flaeche=ov.quelle_flaeche,
        ziel_flaeche=ov.ziel_flaeche,
    )


def _benannt(ov: Overlay, quelle_name: str, ziel_name: str) -> Overlay:
    """Dieselbe Überlagerung mit Schichtnamen für den Bericht (je Namenspaar einmal, Bericht bleibt gecacht)."""
    schluessel = (ov.schluessel, quelle_name, ziel_name)
    if schluessel not in _BENANNT:
        _BENANNT[schluessel] = dataclasses.replace(ov, quelle_name=quelle_name, ziel_name=ziel_name)
    return _BENANNT[schluessel]


def _fingerabdruck(quelle: gpd.GeoDataFrame, ziel: gpd.GeoDataFrame, q: np.ndarray, z: np.ndarray) -> tuple:
    """Was gleich bleiben muss, damit die Überlagerung gleich bleibt: die shapely-Objekte selbst (unveränderlich;
    sie werden gehalten, damit ihre Identität nicht wiederverwendet wird), die IDs und das CRS."""
    return (q, z, quelle.index.copy(), ziel.index.copy(), quelle.crs, ziel.crs)


def _gleich(a: tuple, b: tuple) -> bool:
    if len(a[0]) != len(b[0]) or len(a[1]) != len(b[1]):
        return False
    return (
        all(map(operator.is_, a[0], b[0]))
        and all(map(operator.is_, a[1], b[1]))
        and a[2].equals(b[2])
        and a[3].equals(b[3])
        and a[4] == b[4]
        and a[5] == b[5]
    )


def cache_leeren() -> None:
    """Alle Speicher-Caches leeren (Überlagerungen, Gewichte, Raster); der Plattencache bleibt."""
    _SPEICHER.clear()
    _BENANNT.clear()
    _ABGELEGT.clear()
    _IDENTITAET.leeren()
    _GEWICHTE.clear()
    _RASTER.clear()


# ---------------------------------------------------------------------------------------------
# Gewichte: Fläche oder Bevölkerung (dasymetrisch)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Gewichte:
    """Gewicht je Schnittstück (gleiche Besetzung wie `Overlay.flaechen`) und je ganzem Quellgebiet.

    `matrix[i, j]`: Fläche (m²) bzw. geschätzte Rasterbevölkerung von Quelle i ∩ Ziel j.
    `quelle_gesamt[i]`: dieselbe Größe für das ganze Quellgebiet (auch außerhalb aller Ziele).
    """

    matrix: sparse.csr_matrix
    quelle_gesamt: np.ndarray
    methode: str
    hinweise: tuple[str, ...] = ()


def flaechengewichte(ov: Overlay) -> Gewichte:
    """Gewichte nach Fläche (wie tobler)."""
    return Gewichte(ov.flaechen, ov.quelle_flaeche, "area")


def raster_pfad(raster: str | os.PathLike[str] | None = None) -> Path:
    """Pfad zum Bevölkerungsraster: Parameter, sonst BILDUNGSMONITOR_RASTER, sonst DATA_DIR + Standardpfad."""
    if raster is None:
        raster = os.environ.get(RASTER_UMGEBUNG) or None
    if raster is None:
        daten = os.environ.get(DATEN_UMGEBUNG)
        if not daten:
            raise KommuneFehler(
                "Für die dasymetrische Umrechnung fehlt das Bevölkerungsraster: Bitte BILDUNGSMONITOR_DATA_DIR "
                f"setzen (erwartet wird dort {RASTER_RELATIV.as_posix()}) oder den Pfad zum Raster angeben."
            )
        raster = Path(daten) / RASTER_RELATIV
    pfad = Path(raster)
    if not pfad.is_file():
        raise KommuneFehler(
            f"Das Bevölkerungsraster für die dasymetrische Umrechnung fehlt: {pfad} gibt es nicht.",
            datei=pfad.name,
        )
    return pfad


def _raster_lesen(pfad: Path) -> pd.DataFrame:
    """Zensusraster (Zellmitten in EPSG:3035, Einwohner; -1/-9 = unbewohnt/geheim) lesen, nur bewohnte Zellen."""
    st = pfad.stat()
    schluessel = (str(pfad.resolve()), st.st_mtime_ns, st.st_size)
    if schluessel not in _RASTER:
        spalten = ["x_mp_1km", "y_mp_1km", "Einwohner"]
        try:
            df = pd.read_parquet(pfad, columns=spalten)
        except (OSError, ValueError, KeyError) as e:
            raise KommuneFehler(
                f"Das Bevölkerungsraster ist nicht lesbar oder ihm fehlen die Spalten {', '.join(spalten)} ({e}).",
                datei=pfad.name,
            ) from e
        df = df[df["Einwohner"] > 0]
        _RASTER[schluessel] = pd.DataFrame(
            {
                "x": df["x_mp_1km"].to_numpy(float),
                "y": df["y_mp_1km"].to_numpy(float),
                "einwohner": df["Einwohner"].to_numpy(float),
            }
        )
    return _RASTER[schluessel]


def _rasterzellen(pfad: Path, quelle: gpd.GeoDataFrame, zelle: float = 1000.0) -> tuple[np.ndarray, np.ndarray]:
    """Bewohnte Rasterzellen um die Quellschicht als Polygone im CRS der Kommune, dazu Einwohner je m²."""
    raster = _raster_lesen(pfad)
    x0, y0, x1, y1 = gpd.GeoSeries(quelle.geometry.values, crs=quelle.crs).to_crs(RASTER_CRS).total_bounds
    h = zelle / 2
    nah = raster[(raster.x + h >= x0) & (raster.x - h <= x1) & (raster.y + h >= y0) & (raster.y - h <= y1)]
    zellen = gpd.GeoSeries(shapely.box(nah.x - h, nah.y - h, nah.x + h, nah.y + h), crs=RASTER_CRS).to_crs(quelle.crs)
    geom = np.asarray(zellen.values, dtype=object)
    dichte = nah["einwohner"].to_numpy() / shapely.area(geom)
    return geom, dichte


def _bevoelkerung(geom: np.ndarray, zellen: np.ndarray, dichte: np.ndarray) -> np.ndarray:
    """Je Geometrie: Σ Fläche(Geometrie ∩ Zelle) × Dichte der Zelle."""
    if len(geom) == 0 or len(zellen) == 0:
        return np.zeros(len(geom))
    gi, zi = shapely.STRtree(zellen).query(geom, predicate="intersects")
    a = shapely.area(shapely.intersection(geom[gi], zellen[zi]))
    return np.bincount(gi, weights=a * dichte[zi], minlength=len(geom))


def dasymetrische_gewichte(
    ov: Overlay,
    quelle: gpd.GeoDataFrame,
    ziel: gpd.GeoDataFrame,
    raster: str | os.PathLike[str] | None = None,
) -> Gewichte:
    """Gewicht je Schnittstück = Σ Fläche(Stück ∩ Rasterzelle) × Einwohnerdichte der Zelle.

    Quellgebiete, in deren Fläche keine bewohnte Rasterzelle fällt, behalten Flächengewichte
    (mit der mittleren Dichte skaliert) – sonst gingen ihre Werte verloren; das steht in `hinweise`.
    """
    pfad = raster_pfad(raster)
    st = pfad.stat()
    schluessel = (ov.schluessel, str(pfad.resolve()), st.st_mtime_ns, st.st_size)
    if schluessel in _GEWICHTE:
        return _GEWICHTE[schluessel]
    q, z = _geometrien(quelle, "Quell"), _geometrien(ziel, "Ziel")
    stuecke = ov.stuecke_geometrie
    coo = ov.flaechen.tocoo()
    if stuecke is None or len(stuecke) != ov.flaechen.nnz:
        stuecke = shapely.intersection(q[coo.row], z[coo.col])
    zellen, dichte = _rasterzellen(pfad, quelle)
    stueck_bev = _bevoelkerung(stuecke, zellen, dichte)
    gesamt = _bevoelkerung(q, zellen, dichte)
    if gesamt.sum() <= 0:
        raise KommuneFehler(
            f"Das Bevölkerungsraster {pfad.name} enthält im Gebiet der Kommune keine bewohnten Zellen; "
            "die dasymetrische Umrechnung ist hier nicht möglich (Methode „area“ verwenden)."
        )
    hinweise = []
    leer = gesamt <= 0
    if leer.any():
        mittel = gesamt.sum() / ov.quelle_flaeche[~leer].sum()
        zeile_leer = leer[coo.row]
        stueck_bev = np.where(zeile_leer, coo.data * mittel, stueck_bev)
        gesamt = np.where(leer, ov.quelle_flaeche * mittel, gesamt)
        hinweise.append(
            f"{int(leer.sum())} {ov.quelle_name} enthalten keine bewohnte Rasterzelle und werden nach Fläche "
            f"verteilt ({', '.join(ov.quelle_ids[leer][:5])})."
        )
    gew = Gewichte(_csr(coo.row, coo.col, stueck_bev, ov.flaechen.shape), gesamt, "dasymetric", tuple(hinweise))
    _GEWICHTE[schluessel] = gew
    return gew

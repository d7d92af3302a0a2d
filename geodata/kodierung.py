"""Kompakte Kartengeometrie für den Browser: ganzzahlige Deltas auf einem festen Gitter, als Zeichenketten.

Jede Koordinate wird auf ein Gitter der Weite `schritt` (Grad) gerundet; gespeichert wird nur der Abstand
zum vorigen Punkt (über alle Ringe einer Ebene hinweg), zickzack-kodiert (kleine negative Zahlen bleiben
klein) und in Gruppen zu 5 Bit mit Fortsetzungsbit auf 64 JSON-sichere Zeichen abgebildet – dasselbe
Verfahren wie Googles „Encoded Polyline“, nur mit einem Alphabet ohne Zeichen, die JSON maskieren muss.
Ein Abstand unter 16 Gitterschritten kostet ein Zeichen, unter 512 zwei. Der Schlusspunkt eines Rings
(gleich dem ersten) entfällt. Das Gegenstück im Browser ist `zahlenDekodieren` in `static/bildungsmonitor/karte.js`;
die `…_dekodieren`-Funktionen hier dienen den Tests und rechnen wie der Browser.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from geodata.karte import kartenausschnitt

#: 64 Zeichen, die in JSON und HTML unverändert bleiben (Base64 für URLs).
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_WERT = {z: i for i, z in enumerate(ALPHABET)}
#: Gitterweite in Grad: 1e-5° ≈ 1,1 m in Nord-Süd-Richtung (so genau rundet schon `geodata.anzeige`).
SCHRITT = 1e-5

#: Eine Fläche: Polygone, je Polygon Ringe (erst der äußere, dann Löcher), je Ring Punkte (Länge, Breite).
Flaeche = list[list[list[tuple[float, float]]]]


def zahlen_kodieren(zahlen: Iterable[int]) -> str:
    """Ganze Zahlen als Zeichenkette: Zickzack, dann 5-Bit-Gruppen mit Fortsetzungsbit (0x20)."""
    teile: list[str] = []
    for z in zahlen:
        z = int(z)
        u = (z << 1) if z >= 0 else ((-z << 1) - 1)
        while u >= 0x20:
            teile.append(ALPHABET[0x20 | (u & 0x1F)])
            u >>= 5
        teile.append(ALPHABET[u])
    return "".join(teile)


def zahlen_dekodieren(text: str) -> list[int]:
    """Gegenstück zu `zahlen_kodieren`."""
    zahlen: list[int] = []
    u = verschiebung = 0
    for zeichen in text:
        wert = _WERT[zeichen]
        u |= (wert & 0x1F) << verschiebung
        if wert & 0x20:
            verschiebung += 5
            continue
        zahlen.append((u >> 1) if not u & 1 else -((u + 1) >> 1))
        u = verschiebung = 0
    if verschiebung:
        raise ValueError("Die Zeichenkette endet mitten in einer Zahl.")
    return zahlen


class _Cursor:
    """Der zuletzt geschriebene Gitterpunkt: Deltas laufen über alle Ringe einer Ebene weiter."""

    def __init__(self) -> None:
        self.x = 0
        self.y = 0

    def kodieren(self, gitter: np.ndarray) -> str:
        """Gitterpunkte (n × 2, ganzzahlig: Länge, Breite) als Deltas ab dem Cursor."""
        vorher = np.array([[self.x, self.y]], dtype=np.int64)
        deltas = np.diff(np.vstack([vorher, gitter]), axis=0)
        self.x, self.y = (int(v) for v in gitter[-1])
        return zahlen_kodieren(deltas.ravel().tolist())


def _gitter(xy: np.ndarray, schritt: float) -> np.ndarray:
    return np.round(np.asarray(xy, dtype=float) / schritt).astype(np.int64)


def _ring_gitter(ring: Any, schritt: float) -> np.ndarray | None:
    """Punkte eines Rings auf dem Gitter, ohne Schlusspunkt und ohne doppelte Nachbarn; None, wenn entartet."""
    g = _gitter(shapely.get_coordinates(ring), schritt)
    if len(g) and (g[0] == g[-1]).all():
        g = g[:-1]
    if len(g) > 1:
        g = g[np.r_[True, (np.diff(g, axis=0) != 0).any(axis=1)]]
        if len(g) > 1 and (g[0] == g[-1]).all():
            g = g[:-1]
    return g if len(g) >= 3 else None


def _polygone(geometrie: Any) -> list[Any]:
    if geometrie is None or geometrie.is_empty:
        return []
    if geometrie.geom_type == "Polygon":
        return [geometrie]
    if geometrie.geom_type == "MultiPolygon":
        return list(geometrie.geoms)
    if geometrie.geom_type == "GeometryCollection":  # make_valid kann Linien neben Flächen liefern
        return [p for g in geometrie.geoms for p in _polygone(g)]
    return []


def flaechen_kodieren(geometrien: Sequence[Any], schritt: float = SCHRITT) -> list[list[list[str]]]:
    """Flächen (WGS84) als Zeichenketten: je Fläche Polygone, je Polygon Ringe (außen, dann Löcher).

    Polygone, deren äußerer Ring auf dem Gitter zu weniger als drei Punkten zusammenfällt, entfallen;
    ebenso solche Löcher. Eine Fläche ohne Polygon steht als leere Liste (sie bleibt in der Reihenfolge).
    """
    cursor = _Cursor()
    ergebnis: list[list[list[str]]] = []
    for geometrie in geometrien:
        flaeche: list[list[str]] = []
        for polygon in _polygone(geometrie):
            aussen = _ring_gitter(polygon.exterior, schritt)
            if aussen is None:
                continue
            ringe = [cursor.kodieren(aussen)]
            for loch in polygon.interiors:
                g = _ring_gitter(loch, schritt)
                if g is not None:
                    ringe.append(cursor.kodieren(g))
            flaeche.append(ringe)
        ergebnis.append(flaeche)
    return ergebnis


def flaechen_dekodieren(kodiert: list[list[list[str]]], schritt: float = SCHRITT) -> list[Flaeche]:
    """Gegenstück zu `flaechen_kodieren` (wie der Browser es rechnet): Punkte als (Länge, Breite)."""
    x = y = 0
    ergebnis: list[Flaeche] = []
    for flaeche in kodiert:
        polygone = []
        for ringe in flaeche:
            rs = []
            for ring in ringe:
                zahlen = zahlen_dekodieren(ring)
                punkte = []
                for i in range(0, len(zahlen), 2):
                    x += zahlen[i]
                    y += zahlen[i + 1]
                    punkte.append((x * schritt, y * schritt))
                rs.append(punkte)
            polygone.append(rs)
        ergebnis.append(polygone)
    return ergebnis


def punkte_kodieren(xy: np.ndarray, schritt: float = SCHRITT) -> str:
    """Punkte (n × 2: Länge, Breite) als eine Zeichenkette von Deltas."""
    if len(xy) == 0:
        return ""
    return _Cursor().kodieren(_gitter(xy, schritt))


def punkte_dekodieren(text: str, schritt: float = SCHRITT) -> list[tuple[float, float]]:
    """Gegenstück zu `punkte_kodieren`."""
    zahlen = zahlen_dekodieren(text)
    x = y = 0
    punkte = []
    for i in range(0, len(zahlen), 2):
        x += zahlen[i]
        y += zahlen[i + 1]
        punkte.append((x * schritt, y * schritt))
    return punkte


def inhalt_hash(daten: Any) -> str:
    """Kurzer Inhaltsschlüssel (16 Hexziffern) eines JSON-fähigen Objekts: gleicher Inhalt, gleicher Schlüssel."""
    text = json.dumps(daten, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def ebene_kodieren(anzeige: gpd.GeoDataFrame, schritt: float = SCHRITT) -> dict[str, Any]:
    """Die Flächen einer Ebene (Anzeigegeometrie in WGS84, Spalte `name`) für die Karte im Browser.

    Ergebnis: `ids`, `namen` (Klartext; der Browser setzt sie als Text, nicht als HTML), `flaechen`
    (siehe `flaechen_kodieren`), `schritt`, `ausschnitt` ([[Süd, West], [Nord, Ost]]) und `hash`
    (Inhaltsschlüssel, unter dem der Browser die Geometrie behält).
    """
    if anzeige.crs is not None and anzeige.crs.to_epsg() != 4326:
        anzeige = anzeige.to_crs("EPSG:4326")
    ausschnitt = kartenausschnitt(anzeige)
    daten: dict[str, Any] = {
        "ids": [str(i) for i in anzeige.index],
        "namen": [str(n) for n in anzeige["name"]],
        "flaechen": flaechen_kodieren(anzeige.geometry.to_numpy(), schritt),
        "schritt": schritt,
        "ausschnitt": [list(ausschnitt[0]), list(ausschnitt[1])] if ausschnitt else None,
    }
    daten["hash"] = inhalt_hash(daten)
    return daten

"""Choroplethen-Klassen (mapclassify) und farbenblind-sichere ColorBrewer-Farben."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # „Numba not installed“: die reine Python-Variante reicht hier
    import mapclassify
import numpy as np
import pandas as pd

from kommune.format import zahl

KEINE_DATEN = "#d9d9d9"
GESPERRT = "#737373"
#: Klassennummern außerhalb der Farbskala.
KLASSE_KEINE_DATEN = -1
KLASSE_GESPERRT = -2

#: ColorBrewer-Schemata (farbenblind-sicher), je Klassenzahl 3–7.
SCHEMATA: dict[str, dict[int, list[str]]] = {
    "YlOrRd": {
        3: ["#ffeda0", "#feb24c", "#f03b20"],
        4: ["#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"],
        5: ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"],
        6: ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"],
        7: ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"],
    },
    "YlGnBu": {
        3: ["#edf8b1", "#7fcdbb", "#2c7fb8"],
        4: ["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
        5: ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
        6: ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"],
        7: ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
    },
    "RdYlBu_r": {
        3: ["#91bfdb", "#ffffbf", "#fc8d59"],
        4: ["#2c7bb6", "#abd9e9", "#fdae61", "#d7191c"],
        5: ["#2c7bb6", "#abd9e9", "#ffffbf", "#fdae61", "#d7191c"],
        6: ["#4575b4", "#91bfdb", "#e0f3f8", "#fee090", "#fc8d59", "#d73027"],
        7: ["#4575b4", "#91bfdb", "#e0f3f8", "#ffffbf", "#fee090", "#fc8d59", "#d73027"],
        # nur für Klassen um eine Mitte (`farben_um_mitte`): bis zu fünf Klassen auf einer Seite
        9: ["#4575b4", "#74add1", "#abd9e9", "#e0f3f8", "#ffffbf", "#fee090", "#fdae61", "#f46d43", "#d73027"],
        11: ["#313695", "#4575b4", "#74add1", "#abd9e9", "#e0f3f8", "#ffffbf", "#fee090", "#fdae61", "#f46d43",
             "#d73027", "#a50026"],
    },
}

#: Klassenmethoden: kurzer Name (passt in die Auswahl auch am Tablet) und Erklärung (Hilfetext).
METHODEN = {
    "quantile": "Quantile",
    "fisher_jenks": "Natürliche Brüche",
    "equal_interval": "Gleiche Abstände",
    "std_mean": "Standardabweichung",
}
METHODEN_ERKLAERUNG = {
    "quantile": "gleich viele Gebiete je Klasse",
    "fisher_jenks": "Grenzen in den größten Lücken der Werte (Fisher-Jenks)",
    "equal_interval": "gleich breite Wertebereiche",
    "std_mean": "Klassen in Standardabweichungen um den Mittelwert",
}


@dataclass(frozen=True)
class Klassierung:
    """Das Ergebnis einer Klassenbildung: Klasse je Gebiet (-1 = keine Daten), Farben, Legende."""

    klasse: pd.Series
    grenzen: tuple[float, ...]
    farben: tuple[str, ...]
    beschriftungen: tuple[str, ...]
    anzahl: tuple[int, ...]
    keine_daten: int

    def farbe(self, gebiet: str) -> str:
        """Füllfarbe eines Gebiets (eigene Farben für „keine Daten“ und „gesperrt“)."""
        k = int(self.klasse.get(gebiet, -1))
        if k == KLASSE_GESPERRT:
            return GESPERRT
        return self.farben[k] if k >= 0 else KEINE_DATEN

    @property
    def gesperrt(self) -> int:
        """Zahl der gesperrten Gebiete (Geheimhaltung)."""
        return int((self.klasse == KLASSE_GESPERRT).sum())

    def mit_sperren(self, maske: pd.Series | None) -> Klassierung:
        """Gebiete mit `maske` True als „gesperrt“ kennzeichnen (statt „keine Daten“)."""
        if maske is None or not bool(maske.any()):
            return self
        klasse = self.klasse.copy()
        gesperrt = maske.reindex(klasse.index).fillna(False).astype(bool)
        klasse[gesperrt] = KLASSE_GESPERRT
        return replace(self, klasse=klasse, keine_daten=int((klasse == KLASSE_KEINE_DATEN).sum()))


#: Dieselbe Folge umgekehrt: die dunkelste Farbe beim kleinsten Wert (Lücken, die alle unter der Mitte liegen)
SCHEMATA["YlOrRd_umgekehrt"] = {n: farben[::-1] for n, farben in SCHEMATA["YlOrRd"].items()}


def schema_waehlen(richtung: int, werte: pd.Series, mitte: float | None = None) -> str:
    """Divergierend für Werte um 0 (z. B. Veränderungen), sonst sequenziell nach Richtung.

    Mit `mitte` (Lücke zwischen Gruppen: 0 bei Differenzen, 1 bei Verhältnissen) heißt dunkel „weit weg von der
    Mitte“: divergierend, wenn Werte auf beiden Seiten liegen, sonst die Folge, deren dunkelste Farbe am weitesten
    von der Mitte liegt – liegen alle darunter, also beim kleinsten Wert.
    """
    w = werte.dropna()
    if mitte is not None and len(w):
        if w.min() < mitte < w.max():
            return "RdYlBu_r"
        return "YlOrRd_umgekehrt" if w.max() <= mitte else "YlOrRd"
    if len(w) and w.min() < 0 < w.max():
        return "RdYlBu_r"
    return "YlOrRd" if richtung >= 0 else "YlGnBu"


#: Divergierende Schemata: die mittlere Farbe ist neutral, die Seiten bedeuten „unter“ bzw. „über“ der Mitte
DIVERGIEREND = ("RdYlBu_r",)


def farben_um_mitte(untere: list[float], obere: list[float], mitte: float, schema: str) -> tuple[str, ...] | None:
    """Farben eines divergierenden Schemas so, dass die Seite das Vorzeichen zeigt: Klassen ganz unter `mitte`
    bekommen die eine Seite, Klassen ganz darüber die andere (von der Mitte aus nach außen dunkler), eine Klasse
    über die Mitte hinweg die neutrale Farbe. Hat eine Seite sechs Klassen (sieben Klassen, nur eine auf der
    anderen Seite), bekommt ihre innerste die neutrale Farbe, ist die schon vergeben, teilen sich die äußersten
    beiden die dunkelste; eine Farbe der falschen Seite bekommt nie eine Klasse.
    None: keine Klasse liegt ganz auf einer Seite."""
    unter = sum(1 for o in obere if o <= mitte)
    ueber = sum(1 for u in untere if u >= mitte)
    quer = len(obere) - unter - ueber
    seite = min(max(unter, ueber), 5)
    if seite == 0:
        return None
    palette, c = SCHEMATA[schema][2 * seite + 1], seite
    links = [c - unter + i for i in range(unter)]
    rechts = [c + 1 + i for i in range(ueber)]
    if unter > 5:
        links = [max(0, i + 1 - quer) for i in links]
    if ueber > 5:
        rechts = [min(2 * c, i - 1 + quer) for i in rechts]
    return tuple(palette[i] for i in [*links, *[c] * quer, *rechts])


def klassen_bilden(
    werte: pd.Series,
    methode: str = "quantile",
    k: int = 5,
    schema: str = "YlOrRd",
    stellen: int = 1,
    mitte: float = 0.0,
) -> Klassierung:
    """Gültige Werte in `k` Klassen einteilen; fehlende Werte bleiben Klasse -1.

    Bei einem divergierenden Schema liegt die neutrale Farbe bei `mitte` (0; bei Verhältnissen 1), nicht einfach
    bei der mittleren Klasse (`farben_um_mitte`)."""
    gueltig = werte.dropna().astype(float)
    n_eindeutig = gueltig.nunique()
    klasse = pd.Series(-1, index=werte.index, dtype=int)
    if n_eindeutig == 0:
        return Klassierung(klasse, (), (), (), (), int(werte.isna().sum()))
    k = int(max(3, min(k, 7)))
    k_eff = min(k, n_eindeutig)
    y = gueltig.to_numpy()
    if k_eff < 3 or methode not in METHODEN:
        methode = "equal_interval" if k_eff >= 3 else "user"
    if methode == "user":
        grenzen = np.unique(y)
        yb = np.searchsorted(grenzen, y)
    else:
        if methode == "quantile":
            kl = mapclassify.Quantiles(y, k=k_eff)
        elif methode == "fisher_jenks":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # „Numba not installed“
                kl = mapclassify.FisherJenks(y, k=k_eff)
        elif methode == "std_mean":
            kl = mapclassify.StdMean(y, multiples=[-1.5, -0.5, 0.5, 1.5])
        else:
            kl = mapclassify.EqualInterval(y, k=k_eff)
        grenzen, yb = np.asarray(kl.bins, dtype=float), np.asarray(kl.yb)
    klasse.loc[gueltig.index] = yb.astype(int)
    n = len(grenzen)
    palette = SCHEMATA[schema][max(3, min(n, 7))]
    farben = tuple(palette[:n]) if n >= 3 else tuple(palette[:: max(1, 3 - n)][:n])
    untere = [float(y.min())] + [float(g) for g in grenzen[:-1]]
    if schema in DIVERGIEREND:
        farben = farben_um_mitte(untere, [float(g) for g in grenzen], mitte, schema) or farben
    beschriftungen = tuple(
        f"{zahl(u, stellen)} bis {zahl(o, stellen)}" if i == 0 else f"über {zahl(u, stellen)} bis {zahl(o, stellen)}"
        for i, (u, o) in enumerate(zip(untere, grenzen, strict=True))
    )
    anzahl = tuple(int((klasse == i).sum()) for i in range(n))
    return Klassierung(
        klasse, tuple(float(g) for g in grenzen), farben, beschriftungen, anzahl, int(werte.isna().sum())
    )


def klassierung_aus_codes(
    klasse: pd.Series, codes: tuple[int, ...], labels: tuple[str, ...], schema: str = "YlOrRd", umkehren: bool = False
) -> Klassierung:
    """Fertige Klassen (z. B. eines Index: Codes 1…n, <NA> = nicht bewertet) als Kartenklassen."""
    position = {c: i for i, c in enumerate(codes)}
    k = pd.Series([position.get(int(c), -1) if pd.notna(c) else -1 for c in klasse], index=klasse.index, dtype=int)
    n = len(codes)
    palette = (
        SCHEMATA.get(schema, SCHEMATA["YlOrRd"])[max(3, min(n, 7))][:n]
        if n >= 3
        else SCHEMATA.get(schema, SCHEMATA["YlOrRd"])[3][:n]
    )
    farben = tuple(reversed(palette)) if umkehren else tuple(palette)
    anzahl = tuple(int((k == i).sum()) for i in range(n))
    return Klassierung(k, tuple(float(c) for c in codes), farben, tuple(labels), anzahl, int((k < 0).sum()))

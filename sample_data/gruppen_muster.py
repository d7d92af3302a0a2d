"""Gruppenindikatoren der Beispielkommunen (Musterstadt, Musterkreis): Merkmale, Katalogzeilen und Werte.

Einwohner nach Migrationshintergrund und Geschlecht, Kinder unter 6 nach Migrationshintergrund (Summen, kleine
Zellen in kleinen Gebieten) und der Übertritt an das Gymnasium nach Migrationshintergrund (Anteile mit Zähler
und Nenner, mit einer Lücke zulasten der Kinder mit Migrationshintergrund). Die Werte entstehen aus den schon
erzeugten Gesamtwerten mit einem eigenen Zufallsstrom: Die übrigen Dateien bleiben Byte für Byte gleich, die
Gruppen stehen in einer eigenen Tabelle (`gruppen.csv`). Frei erfunden (CC0 1.0).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DATEI = "gruppen.csv"
MERKMALE = [
    {"id": "migration", "name": "Migrationshintergrund", "auspraegungen": ["mit", "ohne"],
     "namen": {"mit": "mit Migrationshintergrund", "ohne": "ohne Migrationshintergrund"}, "summe": True},
    {"id": "geschlecht", "name": "Geschlecht", "auspraegungen": ["weiblich", "maennlich"],
     "namen": {"weiblich": "weiblich", "maennlich": "männlich"}, "summe": True},
]
#: (Basis, Merkmal, Definition der Gruppe, Hinweis) – der Name entsteht beim Laden („Basis – Ausprägung“)
GRUPPEN = [
    ("einwohner", "migration", "Einwohnerinnen und Einwohner {a}.",
     "Migrationshintergrund: selbst oder mindestens ein Elternteil ohne deutsche Staatsangehörigkeit geboren."),
    ("einwohner", "geschlecht", "Einwohnerinnen und Einwohner, Geschlecht {a}.",
     "Nach dem Eintrag im Melderegister; „divers“ und „ohne Angabe“ sind zufällig auf beide Gruppen verteilt."),
    ("kinder_u6", "migration", "Kinder unter 6 Jahren {a}.",
     "In kleinen Gebieten nur wenige Kinder je Gruppe – Geheimhaltung beachten."),
    ("gymnasialuebergang", "migration", "Übertritt an das Gymnasium, Kinder {a}.",
     "Anteil an allen Übertretenden der Gruppe; die Lücke zwischen den Gruppen in Prozentpunkten."),
]
SPALTEN = ["gebiet_id", "indikator", "periode", "wert", "zaehler", "nenner"]
#: Cockpit-Kachel des Musterkreises: Lücke beim Übertritt ans Gymnasium nach Migrationshintergrund (Betrag in
#: Prozentpunkten, kleiner ist besser)
KACHEL_LUECKE = {"id": "luecke_gymnasium", "titel": "Lücke Übertritt Gymnasium (Migration)", "art": "gruppenluecke",
                 "basis": "gymnasialuebergang", "merkmal": "migration", "gruppe_a": "mit", "gruppe_b": "ohne",
                 "mass": "differenz", "ziel": 10.0, "ziel_richtung": "hoechstens",
                 "ziel_quelle": "Beispiel: Bildungsleitbild des Kreises 2023", "gelb_toleranz": 5.0}  # fmt: skip


def _auspraegungen(merkmal: str) -> list[str]:
    return next(m["auspraegungen"] for m in MERKMALE if m["id"] == merkmal)


def _name(merkmal: str, a: str) -> str:
    return next(m["namen"][a] for m in MERKMALE if m["id"] == merkmal)


def gruppen_id(basis: str, merkmal: str, a: str) -> str:
    """ID nach dem Muster `<basis>__<merkmal>_<auspraegung>` (wie kommune.merkmale.gruppen_id)."""
    return f"{basis}__{merkmal}_{a}"


def toml_abschnitte() -> list[tuple[str, dict]]:
    """Die Abschnitte `[[indikatoren]]` (Gruppentabelle) und `[[merkmal]]` der kommune.toml."""
    tabelle = {"datei": DATEI, "ebene": None, "quelle": "statistik", "trennzeichen": ";", "dezimalzeichen": ",",
               "format": "lang", "einheit_spalte": "gebiet_id", "indikator_spalte": "indikator",
               "periode_spalte": "periode", "wert_spalte": "wert", "zaehler_spalte": "zaehler",
               "nenner_spalte": "nenner"}
    return [("indikatoren", tabelle), *(("merkmal", m) for m in MERKMALE)]


def toml_fuer(ebene: str) -> list[tuple[str, dict]]:
    """`toml_abschnitte` mit der Ebene der Gruppentabelle."""
    return [(n, {**e, "ebene": ebene} if n == "indikatoren" else e) for n, e in toml_abschnitte()]


def katalog_ergaenzen(zeilen: list[list[str]], ebene: str) -> list[list[str]]:
    """Den Katalog um die Spalten `basis`, `merkmal`, `auspraegung` und die Gruppenindikatoren ergänzen.

    `zeilen` in der Spaltenfolge von generate_musterstadt.KATALOG_SPALTEN ohne die drei Gruppenspalten.
    """
    nach_id = {z[0]: z for z in zeilen}
    neu = [[*z, "", "", ""] for z in zeilen]
    for basis, merkmal, definition, hinweis in GRUPPEN:
        if basis not in nach_id:
            continue
        b = nach_id[basis]
        for a in _auspraegungen(merkmal):
            # id, name (leer: „Basis – Ausprägung“), definition, einheit, art, zaehler, nenner, gewicht, richtung,
            # thema, quelle, stand, ebene, sensibel, hinweise
            neu.append([gruppen_id(basis, merkmal, a), "", definition.format(a=_name(merkmal, a)), b[3], b[4], "", "",
                        "", b[8], b[9], b[10], b[11], ebene, b[13], hinweis, basis, merkmal, a])
    return neu


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def _teilen(rng: np.random.Generator, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Binomiale Aufteilung einer Anzahl (fehlende Werte bleiben 0)."""
    return rng.binomial(np.nan_to_num(n).astype(int), np.clip(p, 0, 1))


def gruppen_erzeugen(werte: pd.DataFrame, seed: int, anteil_mh: float, anteil_mh_kinder: float,
                     ids: list[str]) -> pd.DataFrame:
    """Die Gruppenwerte je Gebiet und Periode im Langformat (Spalten wie `werte`, dazu „ganzzahl“).

    `werte`: die erzeugten Gesamtwerte (gebiet_id, indikator, periode, wert, zaehler, nenner); `anteil_mh`,
    `anteil_mh_kinder`: mittlere Anteile mit Migrationshintergrund. Der Anteil je Gebiet folgt der Kinderarmut
    (gleiche Lage wie in den Gesamtwerten), mit dauerhaften Eigenheiten und leichtem Anstieg je Jahr.
    """
    rng = np.random.default_rng(seed)
    breit = werte.pivot_table(index=["periode", "gebiet_id"], columns="indikator", values="wert", sort=True)
    gebiete = breit.index.get_level_values("gebiet_id").unique()
    armut = breit["kinderarmut"].groupby("gebiet_id").mean().reindex(gebiete)
    lage = ((armut - armut.mean()) / armut.std()).fillna(0).to_numpy()
    eigen = rng.normal(0, 0.35, len(gebiete))
    frauen = rng.normal(0.508, 0.01, len(gebiete))
    teile = []
    for t, periode in enumerate(sorted(breit.index.get_level_values("periode").unique())):
        w = breit.loc[periode].reindex(gebiete)
        p_mh = 1 / (1 + np.exp(-(_logit(np.array(anteil_mh)) + 0.6 * lage + eigen + 0.03 * t)))
        p_kind = 1 / (1 + np.exp(-(_logit(np.array(anteil_mh_kinder)) + 0.6 * lage + eigen + 0.03 * t)))
        werte_je: dict[str, tuple[np.ndarray, np.ndarray | None, np.ndarray | None]] = {}
        ew = w["einwohner"].to_numpy()
        mit = _teilen(rng, ew, p_mh)
        weiblich = _teilen(rng, ew, frauen)
        werte_je["einwohner__migration_mit"] = (mit, None, None)
        werte_je["einwohner__migration_ohne"] = (np.nan_to_num(ew).astype(int) - mit, None, None)
        werte_je["einwohner__geschlecht_weiblich"] = (weiblich, None, None)
        werte_je["einwohner__geschlecht_maennlich"] = (np.nan_to_num(ew).astype(int) - weiblich, None, None)
        u6 = w["kinder_u6"].to_numpy()
        k_mit = _teilen(rng, u6, p_kind)
        werte_je["kinder_u6__migration_mit"] = (k_mit, None, None)
        werte_je["kinder_u6__migration_ohne"] = (np.nan_to_num(u6).astype(int) - k_mit, None, None)
        gym = werte[(werte["indikator"] == "gymnasialuebergang") & (werte["periode"] == periode)]
        gym = gym.set_index("gebiet_id").reindex(gebiete)
        z, n = np.nan_to_num(gym["zaehler"].to_numpy(dtype=float)), np.nan_to_num(gym["nenner"].to_numpy(dtype=float))
        n_mit = _teilen(rng, n, p_kind)
        n_ohne = n.astype(int) - n_mit
        # Übertrittsquote mit Migrationshintergrund im Mittel etwa drei Viertel der Quote ohne (Quotenverhältnis 0,75)
        gewicht = 0.75 * n_mit / np.maximum(0.75 * n_mit + n_ohne, 1)
        z_mit = np.clip(_teilen(rng, z, gewicht), np.maximum(0, z.astype(int) - n_ohne), np.minimum(n_mit, z))
        z_ohne = z.astype(int) - z_mit
        for a, zz, nn in (("mit", z_mit, n_mit), ("ohne", z_ohne, n_ohne)):
            quote = np.where(nn > 0, 100 * zz / np.maximum(nn, 1), np.nan)
            werte_je[f"gymnasialuebergang__migration_{a}"] = (quote, zz, nn)
        for ind, (wert, zz, nn) in werte_je.items():
            if ind not in ids:
                continue
            teile.append(pd.DataFrame({"gebiet_id": gebiete, "indikator": ind, "periode": periode,
                                       "wert": np.asarray(wert, dtype=float), "zaehler": zz, "nenner": nn,
                                       "ganzzahl": zz is None}))
    return pd.concat(teile, ignore_index=True)

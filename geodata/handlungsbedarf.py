"""Handlungsbedarf: Gebiete mit hohem Bedarf und niedriger Versorgung (Lückenliste).

Bedarf ist eine beliebige Reihe je Gebiet (z. B. der Wert eines Benachteiligungsindex, eine
Statusklasse oder die Kinderarmut), Versorgung ebenso (z. B. Kita-Plätze je 100 Kinder unter 6
oder die mittlere Luftlinie zur nächsten Kita). Die Kriterien sind ausdrücklich und einstellbar
(`Kriterien`) und werden als deutscher Satz mitgeliefert; jede Zeile trägt ihre Begründung.

Auswahl über Ränge: Rang 1 = höchster Bedarf bzw. schlechteste Versorgung; gleiche Werte teilen
sich den besten Rang („oberes Fünftel“ = Rang ≤ 20 % der Gebiete mit Wert). Gebiete ohne
Bedarfs- oder Versorgungswert werden nicht bewertet und im Kriteriensatz gezählt.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geodata.versorgung import WerteFn, versorgung_definitionen, versorgungsindikator, versorgungsindikatoren
from kommune.format import mehrzahl, zahl
from kommune.laden import Kommune
from kommune.werte import werte

_BRUECHE = {1 / 2: "Hälfte", 1 / 3: "Drittel", 1 / 4: "Viertel", 1 / 5: "Fünftel", 1 / 10: "Zehntel"}


@dataclass(frozen=True)
class Kriterien:
    """Einstellbare Kriterien der Lückenliste.

    Bedarf: `bedarf_als_quantil=True` → `bedarf_schwelle` ist ein Quantil (0,8 = oberes Fünftel),
    sonst ein Wert („mindestens“). `bedarf_richtung=-1`, wenn niedrige Werte hohen Bedarf bedeuten.
    Versorgung: `versorgung_schwelle=None` → Stadtwert (sonst Median); `versorgung_als_quantil=True`
    → Anteil der am schlechtesten versorgten Gebiete (0,2 = unteres Fünftel; None = 0,2), sonst ein Wert
    („weniger als“). `versorgung_richtung=-1`, wenn hohe Werte schlechte Versorgung bedeuten
    (Entfernungen).
    """

    bedarf_schwelle: float = 0.8
    bedarf_als_quantil: bool = True
    bedarf_richtung: int = 1
    versorgung_schwelle: float | None = None
    versorgung_als_quantil: bool = False
    versorgung_richtung: int = 1


@dataclass(frozen=True)
class Lueckenliste:
    """Ergebnis: sortierte Tabelle, Kriterien als Satz und die aufgelösten Schwellen."""

    tabelle: pd.DataFrame
    kriterien: str
    bedarf_grenze: float
    versorgung_grenze: float
    anzahl: int


def _prozent(anteil: float) -> str:
    p = round(100 * anteil, 1)
    return f"{zahl(p, 0 if p.is_integer() else 1)} %"


def _bruchteil(anteil: float, oben: bool) -> str:
    """0,2 → „im oberen Fünftel“; 0,15 → „in den oberen 15 %“."""
    richtung = "oberen" if oben else "unteren"
    for wert, name in _BRUECHE.items():
        if math.isclose(anteil, wert, abs_tol=1e-9):
            return f"im {richtung} {name}"
    return f"in den {richtung} {_prozent(anteil)}"


def _bruchteil_kurz(anteil: float, oben: bool) -> str:
    """0,2 → „unteres Fünftel“; 0,15 → „untere 15 %“ (für Klammern)."""
    for wert, name in _BRUECHE.items():
        if math.isclose(anteil, wert, abs_tol=1e-9):
            return f"{'obere' if oben else 'untere'}{'' if name == 'Hälfte' else 's'} {name}"
    return f"{'obere' if oben else 'untere'} {_prozent(anteil)}"


def _dativ_plural(wort: str) -> str:
    """„Planungsräume“ → „Planungsräumen“ (nach „von“)."""
    return wort if wort.endswith(("n", "s")) else wort + "n"


def _rang(s: pd.Series, absteigend: bool) -> pd.Series:
    """Rang 1 = größter (absteigend) bzw. kleinster Wert; Gleichstände teilen den besten Rang."""
    return s.rank(ascending=not absteigend, method="min")


def _mit_einheit(wert: float, einheit: str, stellen: int) -> str:
    return f"{zahl(wert, stellen)} {einheit}".strip()


def handlungsbedarf(
    bedarf: pd.Series,
    versorgung: pd.Series,
    kriterien: Kriterien | None = None,
    *,
    bedarf_name: str = "Benachteiligung",
    versorgung_name: str = "Kita-Plätze je 100 Kinder unter 6",
    versorgung_einheit: str = "",
    versorgung_stadt: float | None = None,
    gesamt_name: str = "Stadt",
    namen: pd.Series | None = None,
    ebene_name: str = "Gebiete",
    stellen: int = 1,
    bedarf_stellen: int = 1,
    alle: bool = False,
) -> Lueckenliste:
    """Die Lückenliste: Gebiete mit hohem Bedarf UND niedriger Versorgung, nach Bedarf sortiert.

    Spalten: Name, `bedarf_name`, „Rang“ (1 = höchster Bedarf unter den Gebieten mit Wert),
    `versorgung_name`, „Begründung“ (z. B. „Benachteiligung im oberen Fünftel (Rang 12 von 536) und
    68,2 Kita-Plätze je 100 Kinder unter 6 (Stadt: 95,7)“). Mit `alle=True` kommen alle Gebiete
    zurück, mit den Wahrheitsspalten „Bedarf hoch“, „Versorgung niedrig“ und „Handlungsbedarf“ (für
    die Karte). `gesamt_name` nennt den Bezugswert `versorgung_stadt` (Gesamtgebiet der Kommune, z. B. „Landkreis …“).
    `stellen`/`bedarf_stellen`: Nachkommastellen in den Texten. Versorgungstexte lauten
    „Wert [Einheit] Name“, z. B. mit `versorgung_einheit="m"` und
    `versorgung_name="mittlere Luftlinie zur nächsten Kita"` (dann `Kriterien(versorgung_richtung=-1)`).
    """
    k = kriterien or Kriterien()
    ids = bedarf.index.union(versorgung.index, sort=False)
    b = pd.to_numeric(bedarf, errors="coerce").astype(float).reindex(ids)
    v = pd.to_numeric(versorgung, errors="coerce").astype(float).reindex(ids)
    v = v.where(np.isfinite(v))
    n_b, n_v = int(b.notna().sum()), int(v.notna().sum())

    # Bedarf
    rang = _rang(b, absteigend=k.bedarf_richtung >= 0)
    if k.bedarf_als_quantil:
        if not 0 < k.bedarf_schwelle < 1:
            raise ValueError("Das Bedarfsquantil muss zwischen 0 und 1 liegen (z. B. 0,8 = oberes Fünftel).")
        oben = 1 - k.bedarf_schwelle
        hoch = rang <= oben * n_b + 1e-9
        teil = _bruchteil(oben, oben=True)
        gewaehlt = b[hoch]
        b_grenze = (
            float(gewaehlt.min() if k.bedarf_richtung >= 0 else gewaehlt.max()) if len(gewaehlt) else float("nan")
        )
        grenzwort = "ab" if k.bedarf_richtung >= 0 else "bis"
        b_satz = (
            f"{bedarf_name} {teil} der {n_b} {ebene_name} mit Wert liegt ({grenzwort} {zahl(b_grenze, bedarf_stellen)})"
        )
    else:
        b_grenze = float(k.bedarf_schwelle)
        hoch = b >= b_grenze if k.bedarf_richtung >= 0 else b <= b_grenze
        teil = ""
        mindestens = "mindestens" if k.bedarf_richtung >= 0 else "höchstens"
        b_satz = f"{bedarf_name} {mindestens} {zahl(b_grenze, bedarf_stellen)} beträgt"
    hoch = hoch.fillna(False).astype(bool) & b.notna()

    # Versorgung
    schlecht_rang = _rang(v, absteigend=k.versorgung_richtung < 0)
    gesamt_da = versorgung_stadt is not None and not math.isnan(versorgung_stadt)
    bezug = gesamt_name if gesamt_da else "Median"
    bezugswert = float(versorgung_stadt) if gesamt_da else float(v.median())
    if k.versorgung_als_quantil:
        unten_anteil = 0.2 if k.versorgung_schwelle is None else float(k.versorgung_schwelle)
        if not 0 < unten_anteil < 1:
            raise ValueError("Das Versorgungsquantil muss zwischen 0 und 1 liegen (z. B. 0,2 = unteres Fünftel).")
        niedrig = schlecht_rang <= unten_anteil * n_v + 1e-9
        gewaehlt = v[niedrig]
        v_grenze = (
            float(gewaehlt.max() if k.versorgung_richtung >= 0 else gewaehlt.min()) if len(gewaehlt) else float("nan")
        )
        v_teil = _bruchteil_kurz(unten_anteil, oben=False)
        v_satz = f"„{versorgung_name}“ {_bruchteil(unten_anteil, oben=False)} der {n_v} {ebene_name} mit Wert liegt"
    else:
        if k.versorgung_schwelle is None:
            gesamt_quelle = "Stadtwert" if gesamt_name == "Stadt" else f"Wert {gesamt_name}"
            v_grenze, quelle = bezugswert, (gesamt_quelle if gesamt_da else "Median der Gebiete")
        else:
            v_grenze, quelle = float(k.versorgung_schwelle), ""
        niedrig = v < v_grenze if k.versorgung_richtung >= 0 else v > v_grenze
        vergleich = "unter" if k.versorgung_richtung >= 0 else "über"
        grenze_text = _mit_einheit(v_grenze, versorgung_einheit, stellen) + (f" ({quelle})" if quelle else "")
        v_satz = f"„{versorgung_name}“ {vergleich} {grenze_text} liegt"
        v_teil = ""
    niedrig = niedrig.fillna(False).astype(bool) & v.notna()
    luecke = hoch & niedrig

    def begruendung(i: str) -> str:
        if k.bedarf_als_quantil:
            b_text = f"{bedarf_name} {teil} (Rang {int(rang[i])} von {n_b})"
        else:
            b_text = f"{bedarf_name} {zahl(b[i], bedarf_stellen)} (Rang {int(rang[i])} von {n_b})"
        bezug_text = f"{bezug}: {_mit_einheit(bezugswert, versorgung_einheit, stellen)}"
        if v_teil:
            bezug_text = f"{v_teil}; {bezug_text}"
        v_text = f"{_mit_einheit(v[i], versorgung_einheit, stellen)} {versorgung_name} ({bezug_text})"
        return f"{b_text} und {v_text}"

    name = namen.reindex(ids) if namen is not None else pd.Series(ids, index=ids)
    tabelle = pd.DataFrame(
        {"Name": name, bedarf_name: b, "Rang": rang.astype("Int64"), versorgung_name: v},
        index=ids,
    )
    tabelle["Begründung"] = [begruendung(i) if luecke[i] else "" for i in ids]
    if alle:
        tabelle["Bedarf hoch"], tabelle["Versorgung niedrig"], tabelle["Handlungsbedarf"] = hoch, niedrig, luecke
    else:
        tabelle = tabelle[luecke]
    tabelle = tabelle.assign(_r=rang.reindex(tabelle.index), _v=schlecht_rang.reindex(tabelle.index))
    tabelle = tabelle.sort_values(["_r", "_v"], na_position="last", kind="stable").drop(columns=["_r", "_v"])

    anzahl = int(luecke.sum())
    ohne_b, ohne_v = int(b.isna().sum()), int(v.isna().sum())
    satz = (
        f"Handlungsbedarf wird angezeigt, wenn {b_satz} und {v_satz}. "
        f"{anzahl} von {len(ids)} {_dativ_plural(ebene_name)} erfüllen beide Kriterien."
    )
    if ohne_b or ohne_v:
        teile = [f"{ohne_b} ohne Bedarfswert"] if ohne_b else []
        teile += [f"{ohne_v} ohne Versorgungswert"] if ohne_v else []
        satz += f" Nicht bewertet: {' und '.join(teile)}."
    tabelle.attrs["kriterien"] = satz
    return Lueckenliste(tabelle, satz, b_grenze, v_grenze, anzahl)


def handlungsbedarf_kommune(
    kommune: Kommune,
    schicht_id: str,
    bedarf: pd.Series,
    versorgung_id: str = "kita_plaetze",
    kriterien: Kriterien | None = None,
    *,
    bedarf_name: str = "Benachteiligung",
    bedarf_stellen: int = 1,
    periode: str | None = None,
    werte_fn: WerteFn = werte,
    versorgung: Callable[..., pd.DataFrame] = versorgungsindikatoren,
    alle: bool = False,
) -> Lueckenliste:
    """`handlungsbedarf` mit einer `[[versorgung]]` der Kommune (Wert des Gesamtgebiets als Bezug)."""
    try:
        definition = versorgungsindikator(versorgung_id, versorgung_definitionen(kommune))
    except KeyError:
        raise ValueError(
            f"Die Versorgungsquote „{versorgung_id}“ ist für {kommune.name} nicht als [[versorgung]] angegeben."
        ) from None
    tabelle = versorgung(kommune, schicht_id, periode=periode, werte_fn=werte_fn)
    if versorgung_id not in tabelle.attrs["indikatoren"]:
        grund = tabelle.attrs["nicht_verfuegbar"].get(versorgung_id, "")
        raise ValueError(f"„{definition.name}“ ist für {kommune.name} nicht verfügbar. {grund}".strip())
    spalte = tabelle.attrs["indikatoren"][versorgung_id]
    return handlungsbedarf(
        bedarf,
        tabelle[spalte],
        kriterien,
        bedarf_name=bedarf_name,
        versorgung_name=spalte,
        versorgung_stadt=tabelle.attrs["gesamt"][spalte],
        gesamt_name=kommune.konfiguration.gesamtgebiet,
        namen=kommune.gebiete[schicht_id]["name"],
        ebene_name=mehrzahl(kommune.schicht(schicht_id).name),
        bedarf_stellen=bedarf_stellen,
        alle=alle,
    )

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

import geopandas as gpd
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


# --- Lücken mit Angebotsattributen: hoher Bedarf, aber kein passendes Angebot in der Nähe -----------------------

#: Standardwort für ein Angebot, das den Filter erfüllt (nach „kein“)
PASSENDES_ANGEBOT = "passendes Angebot"


@dataclass(frozen=True)
class AngebotsFilter:
    """Was ein „passendes“ Angebot ausmacht (leer/None = keine Bedingung).

    `kategorien`: eine der Kategorien; `zielgruppe`/`sprache`: steht in der „; “-Liste der Spalte „zielgruppen“
    bzw. „sprachen“ (ohne Groß-/Kleinschreibung); `alter`: alter_von ≤ alter ≤ alter_bis (eine fehlende Grenze ist
    offen, fehlen beide, passt das Angebot nicht); `kostenfrei`: Spalte „kostenfrei“ ist „ja“. `bezeichnung` ist das
    Wort nach „kein“ im Begründungssatz (z. B. „Deutschkurs für Neuzugewanderte“).
    """

    kategorien: tuple[str, ...] = ()
    zielgruppe: str = ""
    sprache: str = ""
    alter: float | None = None
    kostenfrei: bool = False
    bezeichnung: str = ""

    def text(self) -> str:
        """Die Bedingungen als Text, z. B. „Kategorie „Sprachkurs“, Zielgruppe „Neuzugewanderte“, Sprache „Deutsch““."""
        teile = []
        if self.kategorien:
            wort = "Kategorie" if len(self.kategorien) == 1 else "Kategorien"
            teile.append(f"{wort} " + " oder ".join(f"„{k}“" for k in self.kategorien))
        if self.zielgruppe:
            teile.append(f"Zielgruppe „{self.zielgruppe}“")
        if self.sprache:
            teile.append(f"Sprache „{self.sprache}“")
        if self.alter is not None:
            teile.append(f"für {zahl(self.alter, 0)}-Jährige")
        if self.kostenfrei:
            teile.append("kostenfrei")
        return ", ".join(teile)

    def name(self) -> str:
        """Das Wort nach „kein“: `bezeichnung` oder „passendes Angebot (Bedingungen)“."""
        if self.bezeichnung:
            return self.bezeichnung
        bedingungen = self.text()
        return f"{PASSENDES_ANGEBOT} ({bedingungen})" if bedingungen else "Angebot"


def _in_liste(spalte: pd.Series, wert: str) -> pd.Series:
    """Steht `wert` als Eintrag in der „; “-Liste (ohne Groß-/Kleinschreibung, Leerzeichen egal)?"""
    gesucht = wert.strip().casefold()

    def enthaelt(text: object) -> bool:
        if text is None or (isinstance(text, float) and math.isnan(text)):
            return False
        return gesucht in {t.strip().casefold() for t in str(text).split(";")}

    return spalte.map(enthaelt).astype(bool)


def angebote_passend(angebote: pd.DataFrame, filter: AngebotsFilter) -> pd.Series:
    """Maske der Angebote, die `filter` erfüllen (Index wie `angebote`).

    Fehlt eine Spalte, die der Filter abfragt (z. B. „zielgruppen“ in Daten ohne Angebotsregister), ist die
    Bedingung für kein Angebot erfüllbar; fragt er sie nicht ab, spielt sie keine Rolle.
    """
    maske = pd.Series(True, index=angebote.index)
    nie = pd.Series(False, index=angebote.index)

    def spalte(name: str) -> pd.Series | None:
        return angebote[name] if name in angebote.columns else None

    if filter.kategorien:
        s = spalte("kategorie")
        maske &= nie if s is None else s.isin(list(filter.kategorien))
    for wert, name in ((filter.zielgruppe, "zielgruppen"), (filter.sprache, "sprachen")):
        if wert.strip():
            s = spalte(name)
            maske &= nie if s is None else _in_liste(s, wert)
    if filter.alter is not None:
        von, bis = spalte("alter_von"), spalte("alter_bis")
        if von is None and bis is None:
            maske &= nie
        else:
            v = pd.to_numeric(von, errors="coerce") if von is not None else pd.Series(np.nan, index=angebote.index)
            b = pd.to_numeric(bis, errors="coerce") if bis is not None else pd.Series(np.nan, index=angebote.index)
            a = float(filter.alter)
            maske &= (v.notna() | b.notna()) & (v.isna() | (v <= a)) & (b.isna() | (a <= b))
    if filter.kostenfrei:
        s = spalte("kostenfrei")
        maske &= nie if s is None else s.astype(str).str.strip().str.casefold().eq("ja")
    return maske.astype(bool)


def _bedarf_text(bedarf_name: str) -> str:
    """„Anteil neu zugewanderter Kinder“ → „hoher Anteil neu zugewanderter Kinder“; sonst „hoher Wert „…““."""
    erstes = bedarf_name.split(" ", 1)[0]
    if erstes in ("Anteil", "Bedarf", "Wert"):
        return f"hoher {bedarf_name}"
    if erstes in ("Quote", "Zahl"):
        return f"hohe {bedarf_name}"
    return f"hoher Wert bei „{bedarf_name}“"


def angebotsluecken(
    bedarf: pd.Series,
    anteil_in_reichweite: pd.Series,
    filter: AngebotsFilter,
    entfernung_m: float,
    *,
    bedarf_name: str = "Bedarf",
    bedarf_schwelle: float = 0.8,
    bedarf_richtung: int = 1,
    hoechstanteil: float = 0.0,
    entfernung: pd.Series | None = None,
    namen: pd.Series | None = None,
    ebene_name: str = "Gebiete",
    bedarf_stellen: int = 1,
    alle: bool = False,
) -> Lueckenliste:
    """Gebiete mit hohem Bedarf (oberer Anteil `1 − bedarf_schwelle` nach Rang) ohne passendes Angebot in der Nähe.

    `anteil_in_reichweite`: Anteil der Bewohner (%) mit einem passenden Angebot bis `entfernung_m` Luftlinie
    (`geodata.erreichbarkeit`). Lücke: Bedarf hoch und Anteil ≤ `hoechstanteil` × 100 (Standard 0: für keinen
    Wohnort des Gebiets liegt ein passendes Angebot so nah). Begründung z. B. „hoher Anteil neu zugewanderter
    Kinder (oberes Fünftel, Rang 2 von 110), kein Deutschkurs für Neuzugewanderte innerhalb von 1.500 m“.
    Gebiete ohne Bedarfswert (auch gesperrte) werden nicht bewertet. In der `Lueckenliste` steht die Entfernung als
    `versorgung_grenze`; mit `alle=True` alle Gebiete mit „Bedarf hoch“, „Kein Angebot in Reichweite“ und „Lücke“.
    """
    if not 0 < bedarf_schwelle < 1:
        raise ValueError("Das Bedarfsquantil muss zwischen 0 und 1 liegen (z. B. 0,8 = oberes Fünftel).")
    if not 0 <= hoechstanteil < 1:
        raise ValueError("Der höchste Anteil in Reichweite muss zwischen 0 und 1 liegen (0 = niemand).")
    ids = bedarf.index.union(anteil_in_reichweite.index, sort=False)
    b = pd.to_numeric(bedarf, errors="coerce").astype(float).reindex(ids)
    b = b.where(np.isfinite(b))
    anteil = pd.to_numeric(anteil_in_reichweite, errors="coerce").astype(float).reindex(ids)
    n_b = int(b.notna().sum())
    rang = _rang(b, absteigend=bedarf_richtung >= 0)
    oben = 1 - bedarf_schwelle
    hoch = (rang <= oben * n_b + 1e-9).fillna(False).astype(bool) & b.notna()
    fern = (anteil <= 100 * hoechstanteil + 1e-9).fillna(False).astype(bool) & anteil.notna()
    luecke = hoch & fern
    teil = _bruchteil_kurz(oben, oben=True)
    meter = f"{zahl(entfernung_m, 0)} m"
    angebot = filter.name()

    def begruendung(i: str) -> str:
        b_text = f"{_bedarf_text(bedarf_name)} ({teil}, Rang {int(rang[i])} von {n_b})"
        if hoechstanteil == 0:
            return f"{b_text}, kein {angebot} innerhalb von {meter}"
        return f"{b_text}, {angebot} innerhalb von {meter} nur für {zahl(anteil[i], 0)} % der Bewohner"

    spalte_anteil = f"Anteil Bewohner mit passendem Angebot bis {meter} (%)"
    name = namen.reindex(ids) if namen is not None else pd.Series(ids, index=ids)
    daten = {"Name": name, bedarf_name: b, "Rang": rang.astype("Int64"), spalte_anteil: anteil}
    if entfernung is not None:
        daten["Mittlere Luftlinie zum nächsten passenden Angebot (m)"] = pd.to_numeric(
            entfernung, errors="coerce"
        ).reindex(ids)
    tabelle = pd.DataFrame(daten, index=ids)
    tabelle["Begründung"] = [begruendung(i) if luecke[i] else "" for i in ids]
    if alle:
        tabelle["Bedarf hoch"], tabelle["Kein Angebot in Reichweite"], tabelle["Lücke"] = hoch, fern, luecke
    else:
        tabelle = tabelle[luecke]
    tabelle = tabelle.assign(_r=rang.reindex(tabelle.index)).sort_values("_r", kind="stable").drop(columns="_r")
    anzahl = int(luecke.sum())
    grenze = "kein" if hoechstanteil == 0 else f"für höchstens {_prozent(hoechstanteil)} der Bewohner ein"
    satz = (
        f"Lücke, wenn „{bedarf_name}“ {_bruchteil(oben, oben=True)} der {n_b} {ebene_name} mit Wert liegt und "
        f"{grenze} {angebot} innerhalb von {meter} Luftlinie liegt. "
        f"{anzahl} von {len(ids)} {_dativ_plural(ebene_name)} erfüllen beide Kriterien."
    )
    ohne = int(b.isna().sum())
    if ohne:
        satz += f" Nicht bewertet: {ohne} ohne Bedarfswert."
    tabelle.attrs["kriterien"] = satz
    gewaehlt = b[hoch]
    b_grenze = float(gewaehlt.min() if bedarf_richtung >= 0 else gewaehlt.max()) if len(gewaehlt) else float("nan")
    return Lueckenliste(tabelle, satz, b_grenze, float(entfernung_m), anzahl)


def angebotsluecken_kommune(
    kommune: Kommune,
    schicht_id: str,
    bedarf: pd.Series,
    filter: AngebotsFilter,
    entfernung_m: float = 1500.0,
    *,
    bedarf_name: str = "Bedarf",
    bedarf_schwelle: float = 0.8,
    hoechstanteil: float = 0.0,
    raster: float = 100.0,
    alle: bool = False,
) -> Lueckenliste:
    """`angebotsluecken` für eine Ebene der Kommune: Entfernungen wie die Erreichbarkeit (Wohnorte im Raster bzw.
    nach dem Bevölkerungsgitter, Luftlinie, Umland-Standorte zählen mit). `bedarf` kommt geschützt herein.

    ``tabelle.attrs`` zusätzlich: ``"passend"`` (Zahl der passenden Angebote), ``"wohnorte"`` (Satz zum Verfahren).
    """
    from geodata.erreichbarkeit import erreichbarkeit, wohnorte_kommune

    if entfernung_m <= 0:
        raise ValueError("Die Entfernung muss größer als 0 m sein.")
    passend = angebote_passend(kommune.angebote, filter)
    punkte = kommune.angebote[passend].geometry
    if len(kommune.umland):
        punkte = pd.concat([punkte, kommune.umland[angebote_passend(kommune.umland, filter)].geometry])
    orte = wohnorte_kommune(kommune, schicht_id, raster)
    err = erreichbarkeit(orte, gpd.GeoSeries(punkte, crs=kommune.konfiguration.crs), None, radien=[entfernung_m])
    spalten = err.attrs["spalten"]
    liste = angebotsluecken(
        bedarf,
        err[spalten[f"anteil_{float(entfernung_m):g}"]],
        filter,
        entfernung_m,
        bedarf_name=bedarf_name,
        bedarf_schwelle=bedarf_schwelle,
        hoechstanteil=hoechstanteil,
        entfernung=err[spalten["entfernung"]],
        namen=kommune.gebiete[schicht_id]["name"],
        ebene_name=mehrzahl(kommune.schicht(schicht_id).name),
        alle=alle,
    )
    liste.tabelle.attrs.update({"passend": int(passend.sum()), "wohnorte": orte.beschreibung()})
    return liste


def listenwerte(angebote: pd.DataFrame, spalte: str) -> list[str]:
    """Die verschiedenen Einträge einer „; “-Listenspalte (z. B. „zielgruppen“), sortiert; ohne Spalte leer."""
    if spalte not in angebote.columns:
        return []
    werte = {t.strip() for text in angebote[spalte].dropna().astype(str) for t in text.split(";")}
    return sorted(w for w in werte if w)

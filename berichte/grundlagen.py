"""Gemeinsame Bausteine der Berichte: Stichtage, Quellen, Mehrzahl der Ebenennamen, Veränderungstexte.

Rein, ohne Streamlit. Alle Texte deutsch, Zahlen im deutschen Format (1.234,5).
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from freigabe.geheimhaltung import ANZEIGE_GESPERRT, gesamt_gesperrt, rolle_pruefen, sperren_reihe
from geodata.gebietswerte import gebietswerte
from kommune.format import ist_ganzzahlig, mehrzahl, stand_text, zahl
from kommune.formel import bezug_teile
from kommune.laden import Kommune
from kommune.werte import (
    BEZUG_FLAECHE,
    Deckung,
    bezugsreihe,
    deckung_text,
    gesamt_mit_deckung,
    neueste_periode,
    werte,
)
from kommune.zwischenspeicher import Objektcache

#: Geheimhaltung: bekommt eine Reihe von Werten, liefert sie mit NaN für gesperrte Zellen zurück.
Sperren = Callable[[pd.Series], pd.Series]
#: Werte einer Ebene wie ``kommune.werte.werte``: (kommune, indikator, schicht, periode) -> Series.
WerteFn = Callable[[Kommune, str, str, str], pd.Series]
#: Die Rolle, für die Berichte und Diagramme ohne Angabe rechnen: die strengste.
OEFFENTLICH = "oeffentlich"
#: Beschriftung eines gesperrten Werts in Diagrammen, Kacheln und Texten.
GESPERRT_TEXT = "gesperrt"
#: geschützte Versorgungsquoten je (Ebene, Periode, Rolle, Methode), an der Kommune
_VERSORGUNG = Objektcache("grundlagen.versorgung", max_je_objekt=16)


def ist_prozent(einheit: str) -> bool:
    """Anteile in Prozent (Veränderungen dann in Prozentpunkten)."""
    return einheit.strip() in ("%", "Prozent")


def stellen_fuer(einheit: str, art: str = "anteil") -> int:
    """Nachkommastellen: Zählgrößen ganz (`kommune.format.ist_ganzzahlig`), alles andere eine Stelle."""
    return 0 if ist_ganzzahlig(einheit, art) else 1


def stand_fuer(kommune: Kommune, indikator: str, periode: str | None) -> str:
    """Stichtag eines Indikators in einer Periode.

    Der Katalog nennt den Stichtag der jüngsten Periode (z. B. „31.12.2024“). Für ältere Perioden
    wird das Jahr ersetzt, wenn Periode und Stichtag Jahreszahlen sind („31.12.2022“); sonst bleibt
    es bei „Periode 2022“.
    """
    stand = stand_text(kommune.katalog.loc[indikator, "stand"]) if indikator in kommune.katalog.index else ""
    if not periode:
        return stand
    perioden = [p for p in kommune.perioden if p]
    juengste = neueste_periode(kommune, indikator) or (perioden[-1] if perioden else None)
    if stand and periode == juengste:
        return stand
    if stand and re.fullmatch(r"\d{4}", periode) and juengste and re.search(rf"{juengste}$", stand):
        return stand[: -len(juengste)] + periode
    return f"Periode {periode}"


def quelle_text(kommune: Kommune, quelle_id: str) -> str:
    """Namensnennung mit Lizenz, z. B. „Amt für Statistik Berlin-Brandenburg (CC BY 3.0 DE)“."""
    q = kommune.konfiguration.quelle(quelle_id) if quelle_id else None
    return q.zitat if q else ""


def indikator_quelle(kommune: Kommune, indikator: str) -> str:
    """Quellenangabe eines Katalogindikators."""
    if indikator not in kommune.katalog.index:
        return ""
    return quelle_text(kommune, str(kommune.katalog.loc[indikator, "quelle"]))


def quellebene(kommune: Kommune, indikator: str) -> str:
    """Die feinste Ebene, auf der ein Indikator vorliegt."""
    df = kommune.indikatoren
    vorhanden = set(df.loc[df["indikator"] == indikator, "schicht"])
    for s in kommune.konfiguration.schichten:
        if s.id in vorhanden:
            return s.id
    return kommune.konfiguration.ebenen[0].id


def rohwerte_auf(kommune: Kommune, indikator: str, schicht: str, periode: str, methode: str = "area") -> pd.Series:
    """UNGESCHÜTZTE Werte auf einer Ebene oder einem Einzugsbereich (dann über die Flächenumrechnung).

    Nur für die Rolle „admin“ und als Eingang der Geheimhaltung; alles, was gezeigt wird, holt seine
    Werte über :func:`werte_auf`.
    """
    if kommune.schicht(schicht).art == "einzugsbereich":
        return gebietswerte(kommune, indikator, schicht, periode, methode)
    return werte(kommune, indikator, schicht, periode)


def werte_und_maske(
    kommune: Kommune, indikator: str, schicht: str, periode: str, *, rolle: str = OEFFENTLICH, methode: str = "area"
) -> tuple[pd.Series, pd.Series]:
    """(Werte, wie `rolle` sie sehen darf – NaN = gesperrt –, Maske der gesperrten Gebiete).

    Der EINE Wertezugriff aller Diagramme, Kacheln und Berichte: über den Sperrplan der Kommune
    (`freigabe.geheimhaltung.sperren_reihe`), wie Karte und Export. Ohne Rolle gilt „oeffentlich“;
    Rohwerte gibt es nur mit ausdrücklich ``rolle="admin"``.
    """
    rolle = rolle_pruefen(rolle)
    roh = rohwerte_auf(kommune, indikator, schicht, periode, methode)
    if rolle == "admin":
        return roh, pd.Series(False, index=roh.index, name=roh.name)
    geschuetzt, maske, _ = sperren_reihe(kommune, indikator, schicht, periode, roh, rolle, methode=methode)
    return geschuetzt, maske


def werte_auf(
    kommune: Kommune, indikator: str, schicht: str, periode: str, *, rolle: str = OEFFENTLICH, methode: str = "area"
) -> pd.Series:
    """Werte auf einer Ebene oder einem Einzugsbereich, geschützt für `rolle` (NaN = gesperrt oder fehlend)."""
    return werte_und_maske(kommune, indikator, schicht, periode, rolle=rolle, methode=methode)[0]


def werte_fn_fuer(rolle: str = OEFFENTLICH, methode: str = "area") -> WerteFn:
    """`werte_fn` für Index-Motor und Versorgung (Signatur wie `kommune.werte.werte`), geschützt für `rolle`.

    Für nicht-administrative Rollen sind gesperrte Eingänge NaN: Der Index-Motor bewertet ein Gebiet
    mit fehlendem Eingang nicht (Grund „fehlender Wert“), sein Rang verrät also nichts.
    """
    rolle = rolle_pruefen(rolle)

    def werte_fn(kommune: Kommune, indikator: str, schicht: str, periode: str) -> pd.Series:
        return werte_auf(kommune, indikator, schicht, periode, rolle=rolle, methode=methode)

    return werte_fn


def versorgung_und_maske(
    kommune: Kommune, schicht: str, periode: str | None = None, *, rolle: str = OEFFENTLICH, methode: str = "area"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Die Versorgungsquoten (`[[versorgung]]`) je Gebiet, wie `rolle` sie sehen darf, und ihre Sperrmaske.

    Gesperrt (NaN, Maske wahr) ist eine Quote, wenn ein Teil ihrer Zielgruppe für `rolle` gesperrt ist – sonst
    ließe sich die Zielgruppe aus den bekannten Plätzen und der Quote zurückrechnen – oder wenn die Quote selbst
    unter eine Regel fällt (Gebiet unter 300 Einwohnern). Maske: eine Spalte je Quote (Spaltenname der Quote).
    Gecacht an der Kommune je Ebene, Periode, Rolle und Methode (das Gebietsprofil fragt bei jedem Gebiet).
    """
    rolle = rolle_pruefen(rolle)
    schluessel = (schicht, periode, rolle, methode)
    df, maske = _VERSORGUNG.holen(kommune, schluessel, lambda: _versorgung_rechnen(kommune, *schluessel))
    neu = df.copy()
    neu.attrs = copy.deepcopy(df.attrs)
    return neu, maske.copy()


def _versorgung_rechnen(
    kommune: Kommune, schicht: str, periode: str | None, rolle: str, methode: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    from geodata.versorgung import versorgung_definitionen, versorgungsindikatoren

    masken: dict[tuple[str, str], pd.Series] = {}

    def werte_fn(k: Kommune, indikator: str, s: str, p: str) -> pd.Series:
        w, m = werte_und_maske(k, indikator, s, p, rolle=rolle, methode=methode)
        masken[(indikator, p)] = m
        return w

    df = versorgungsindikatoren(kommune, schicht, periode, werte_fn=werte_fn)
    definitionen = {v.id: v for v in versorgung_definitionen(kommune)}
    maske = pd.DataFrame(False, index=df.index, columns=list(df.attrs["indikatoren"].values()))
    for vid, spalte in df.attrs["indikatoren"].items():
        p = df.attrs["perioden"].get(vid)
        gesperrt = pd.Series(False, index=df.index)
        for _, i in definitionen[vid].zielgruppe.teile:
            m = masken.get((i, p))
            if m is not None:
                gesperrt |= m.reindex(df.index, fill_value=False).astype(bool)
        if rolle != "admin":
            gesperrt |= sperren_reihe(kommune, vid, schicht, p, df[spalte], rolle, methode=methode)[1]
        maske[spalte] = gesperrt
        df[spalte] = df[spalte].mask(gesperrt)
    return df, maske
def _bezug_gesperrt(kommune: Kommune, deckung: Deckung, rolle: str) -> bool:
    """Ist die Bezugsgröße eines fehlenden Teilgebiets für `rolle` gesperrt (oder nicht prüfbar)?"""
    if rolle == "admin" or deckung.bezug_art == BEZUG_FLAECHE:
        return False  # Flächen sind öffentlich
    teile = bezug_teile(deckung.bezug, kommune.katalog.index)
    if teile is None or deckung.bezug_periode is None:
        return True  # z. B. Nenner aus der Tabelle: kein eigener Indikator, also vorsichtig
    fehlende = list(deckung.fehlende)
    for _, i in teile:
        maske = werte_und_maske(kommune, i, deckung.schicht, deckung.bezug_periode, rolle=rolle)[1]
        if bool(maske.reindex(fehlende, fill_value=False).any()):
            return True
    return False


def deckung_fuer(kommune: Kommune, deckung: Deckung | None, *, rolle: str = OEFFENTLICH) -> str:
    """Der Deckungstext eines aggregierten Werts für `rolle` („ohne 1 Planungsraum, 0 % der Einwohner“), sonst "".

    Ist die Bezugsgröße eines fehlenden Teilgebiets für `rolle` gesperrt, steht der Anteil nur als Schranke
    („unter 0,1 %“) oder gar nicht da – sonst ließe sich der gesperrte Wert aus Anteil und Summe errechnen.
    """
    if deckung is None or not deckung.fehlende:
        return ""
    return deckung_text(kommune, deckung, grob=_bezug_gesperrt(kommune, deckung, rolle_pruefen(rolle)))


def gesamt_mit_text(kommune: Kommune, indikator: str, periode: str, *, rolle: str = OEFFENTLICH) -> tuple[float, str]:
    """Der Wert der ganzen Kommune für `rolle` und – fehlen Teilgebiete – der Deckungstext (sonst "").

    Gesperrt ist er nur, wenn er einen gesperrten Wert der obersten Ebene verriete
    (`freigabe.geheimhaltung.gesamt_gesperrt`): dann NaN und der Text „gesperrt“.
    """
    if gesamt_gesperrt(kommune, indikator, periode, rolle):
        return float("nan"), GESPERRT_TEXT
    wert, deckung = gesamt_mit_deckung(kommune, indikator, periode)
    return wert, "" if math.isnan(wert) else deckung_fuer(kommune, deckung, rolle=rolle)


def gesamt_auf(kommune: Kommune, indikator: str, periode: str, *, rolle: str = OEFFENTLICH) -> float:
    """Der Wert der ganzen Kommune, wie `rolle` ihn sehen darf (NaN = gesperrt oder ohne Wert)."""
    return gesamt_mit_text(kommune, indikator, periode, rolle=rolle)[0]


def mit_deckung(text: str, deckung: str) -> str:
    """„3.769.962 Personen (ohne 1 Planungsraum, 0 % der Einwohner)“; ohne Deckungstext unverändert, gesperrt „.“."""
    if deckung == GESPERRT_TEXT:
        return ANZEIGE_GESPERRT
    return f"{text} ({deckung})" if deckung else text


def gesamt_ueber_gueltige(
    kommune: Kommune, indikator: str, periode: str, *, rolle: str = OEFFENTLICH
) -> tuple[float, str]:
    """Gesamtwert eines Anteils über die Gebiete mit Wert (gewichtet), wenn der exakte Gesamtwert fehlt.

    Gewichtet wird mit der Bezugsbevölkerung des Katalogs (`gewicht`, sonst `nenner`; auch eine Summenformel,
    aus der nächstgelegenen Periode wie in `kommune.werte`). Liefert den
    Wert und einen Hinweis („ohne 6 von 542 Planungsräumen ohne Wert, gewichtet mit …“); ohne
    Gewicht oder bei Zählgrößen (Teilsummen wären zu klein) NaN und ein leerer Hinweis. Gemittelt wird
    nur über die für `rolle` sichtbaren Werte (sonst ließe sich ein gesperrter Wert zurückrechnen).
    """
    e = kommune.katalog.loc[indikator]
    if e["art"] == "anzahl":
        return float("nan"), ""
    text = str(e["gewicht"] or e["nenner"] or "")
    teile = bezug_teile(text, kommune.katalog.index)
    schicht = quellebene(kommune, indikator)
    gefunden = bezugsreihe(kommune, text, periode, schicht, naechste=True) if teile else None
    if teile is None or gefunden is None:
        return float("nan"), ""
    w = werte_auf(kommune, indikator, schicht, periode, rolle=rolle)
    g = sum(f * werte_auf(kommune, i, schicht, gefunden[1], rolle=rolle).reindex(w.index) for f, i in teile)
    ok = w.notna() & g.notna() & (g > 0)
    if not ok.any():
        return float("nan"), ""
    ergebnis = float(np.sum(w[ok] * g[ok]) / np.sum(g[ok]))
    name = kommune.schicht(schicht).name
    fehlend = int((~ok).sum())
    gname = " + ".join(str(kommune.katalog.loc[i, "name"]) for _, i in teile)
    hinweis = (
        f"Gesamtwert über die {mehrzahl(name)} mit Wert, gewichtet mit „{gname}“; "
        f"ohne {fehlend} von {len(w)} {mehrzahl(name, 'dativ')} ohne Wert."
    )
    return ergebnis, hinweis


def vorzeichen_zahl(d: float, stellen: int) -> str:
    """„+1,2“ / „−0,4“ (typografisches Minus) / „0,0“."""
    if math.isnan(d):
        return "–"
    if round(d, stellen) == 0:
        return zahl(0.0, stellen)
    return ("+" if d > 0 else "−") + zahl(abs(d), stellen)


def veraenderung_text(
    wert: float,
    vorwert: float | None,
    vorperiode: str | None,
    *,
    einheit: str,
    art: str,
    stellen: int,
) -> tuple[float | None, str, str]:
    """Veränderung gegen die Vorperiode: (Differenz, Text, Pfeil).

    Anteile in % → „+1,2 Prozentpunkte seit 2022“; Zählgrößen (`art` „anzahl“) → „+3,4 % seit 2022“;
    Anzahl von Gebieten (`art` „gebiete“) → „+2 seit 2022“; andere Einheiten → absolute Differenz mit
    Einheit. Gerundet gleich → „unverändert seit 2022“. Ohne Vorperiode → „keine Vorperiode“.
    """
    if vorperiode is None or vorwert is None or math.isnan(vorwert):
        return None, "keine Vorperiode", ""
    if math.isnan(wert):
        return None, f"kein aktueller Wert (Vorperiode {vorperiode})", ""
    d = wert - vorwert
    if round(d, stellen) == 0 and round(wert, stellen) == round(vorwert, stellen):
        return 0.0, f"unverändert seit {vorperiode}", "→"
    pfeil = "↑" if d > 0 else "↓"
    if art == "gebiete":
        return d, f"{vorzeichen_zahl(d, 0)} seit {vorperiode}", pfeil
    if ist_prozent(einheit):
        return d, f"{vorzeichen_zahl(d, 1)} Prozentpunkte seit {vorperiode}", pfeil
    if art == "anzahl" and vorwert:
        rel = 100 * d / abs(vorwert)
        if round(rel, 1) == 0:
            return d, f"{vorzeichen_zahl(d, stellen)} seit {vorperiode}", pfeil
        return d, f"{vorzeichen_zahl(rel, 1)} % seit {vorperiode}", pfeil
    einheit_text = f" {einheit}" if einheit and einheit not in ("Index", "Anzahl") else ""
    if einheit == "Index":
        einheit_text = " Indexpunkte"
    return d, f"{vorzeichen_zahl(d, stellen)}{einheit_text} seit {vorperiode}", pfeil


def sperren_anwenden(reihe: pd.Series, sperren: Sperren | None) -> pd.Series:
    """Geheimhaltung anwenden (NaN = gesperrt); ohne `sperren` unverändert."""
    if sperren is None:
        return reihe
    return sperren(reihe).reindex(reihe.index)


def profil_schuetzen(
    kommune: Kommune, schicht: str, gebiet: str, profil: pd.DataFrame, *, rolle: str = OEFFENTLICH
) -> pd.DataFrame:
    """Ein Gebietsprofil (`kommune.profil.gebietsprofil`) für `rolle` schützen.

    Gesperrter Gebietswert → ``wert`` NaN, ``rang`` None, ``gesperrt`` True; gesperrter Elternwert →
    ``eltern`` NaN. Rang und Zahl der Gebiete (``n``) zählen für Nicht-Admins nur sichtbare Werte
    (sonst verriete die Reihenfolge etwas über gesperrte Gebiete). Der Gesamtwert bleibt, außer er verriete
    einen gesperrten Wert (``gesamt`` NaN, ``gesamt_gesperrt`` True; `gesamt_mit_text`). Dazu die
    Deckungstexte für `rolle` (``wert_deckung``, ``eltern_deckung``, ``gesamt_deckung``; "" ohne Lücke oder
    ohne Wert), s. `deckung_fuer`.
    """
    from kommune.profil import rang as rang_in

    profil = profil.copy()
    profil["gesperrt"] = False
    profil["gesamt_gesperrt"] = False
    rolle = rolle_pruefen(rolle)
    if profil.empty or rolle == "admin":
        return _deckungstexte(kommune, profil, rolle)
    s = kommune.schicht(schicht)
    eltern_id = kommune.gebiete[schicht]["eltern"].get(gebiet) if s.eltern else None
    for i, zeile in profil.iterrows():
        ind, p = zeile["indikator"], zeile["periode"]
        reihe, maske = werte_und_maske(kommune, ind, schicht, p, rolle=rolle)
        r, n = rang_in(reihe, gebiet)
        profil.at[i, "n"] = n
        if bool(maske.get(gebiet, False)):
            profil.at[i, "wert"] = float("nan")
            profil.at[i, "gesperrt"] = True
            r = None
        profil.at[i, "rang"] = r
        if eltern_id is not None:
            eltern = werte_auf(kommune, ind, str(s.eltern), p, rolle=rolle)
            profil.at[i, "eltern"] = float(eltern.get(eltern_id, float("nan")))
        if gesamt_gesperrt(kommune, ind, p, rolle):
            profil.at[i, "gesamt"] = float("nan")
            profil.at[i, "gesamt_gesperrt"] = True
    return _deckungstexte(kommune, profil, rolle)


#: Spalten des Gebietsprofils: (Wert, Deckung, Text der Deckung für die Rolle).
_DECKUNGSSPALTEN = (
    ("wert", "deckung_wert", "wert_deckung"),
    ("eltern", "deckung_eltern", "eltern_deckung"),
    ("gesamt", "deckung_gesamt", "gesamt_deckung"),
)


def aggregationshinweis(profil: pd.DataFrame, namen: dict[str, str] | None = None) -> list[str]:
    """Je Zeile eines geschützten Profils ein Hinweis für Exporte, z. B. „übergeordnet: ohne 1 Planungsraum,
    0 % der Einwohner; „Kinderarmut (S4)“ (2020) ist … gewichtet.“ (`namen`: Spalte → Bezeichnung)."""
    namen = {"wert": "Gebiet", "eltern": "übergeordnet", "gesamt": "gesamt", **(namen or {})}
    hinweise = []
    for _, zeile in profil.iterrows():
        teile = [f"{namen[w]}: {zeile[t]}" for w, _, t in _DECKUNGSSPALTEN if zeile.get(t)]
        if zeile.get("gewicht_hinweis"):
            teile.append(str(zeile["gewicht_hinweis"]))
        hinweise.append("; ".join(teile))
    return hinweise


def _deckungstexte(kommune: Kommune, profil: pd.DataFrame, rolle: str) -> pd.DataFrame:
    """Die Deckungstexte eines Profils für `rolle` (nur bei sichtbarem Wert)."""
    for wert, deckung, text in _DECKUNGSSPALTEN:
        if deckung not in profil:
            profil[text] = ""
            continue
        profil[text] = [
            "" if pd.isna(w) else deckung_fuer(kommune, d, rolle=rolle)
            for w, d in zip(profil[wert], profil[deckung], strict=True)
        ]
    return profil

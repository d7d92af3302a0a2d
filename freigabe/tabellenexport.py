"""Die Indikatortabelle einer Ebene, so wie eine Rolle sie sehen darf, als DataFrame, XLSX oder CSV.

Eine Zeile je Gebiet (ID und Name), eine Spalte je Indikator mit der Überschrift
„<deutscher Name> [<ID>]“, Werte nach der Geheimhaltung (`freigabe.geheimhaltung`). Gesperrte Zellen
sind im DataFrame NaN und in `attrs["gesperrt"]` markiert; in XLSX/CSV stehen sie als „.“.
Textzellen, die mit = + - @ Tab CR LF beginnen, werden entschärft (`kommune.format.entschaerfen`), damit keine
Tabellenkalkulation sie als Formel ausführt.
"""

from __future__ import annotations

import csv
import math
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from freigabe.geheimhaltung import ANZEIGE_GESPERRT, ROLLEN_NAMEN, regeln_fuer, rolle_pruefen, schuetzen, sperrplan
from kommune.fehler import KommuneFehler
from kommune.format import entschaerfen, ist_ganzzahlig, zahl
from kommune.laden import Kommune
from kommune.rueckrufe import gegenprobe_anmelden
from kommune.werte import neueste_periode, werte

ID_SPALTE = "ID"
NAME_SPALTE = "Name"


def spaltenkopf(kommune: Kommune, indikator: str) -> str:
    """„Kinder 6 bis unter 15 Jahre [inhabitants_age_6_15]“."""
    name = kommune.katalog.loc[indikator, "name"] if indikator in kommune.katalog.index else indikator
    return f"{name} [{indikator}]"


def _stellen(kommune: Kommune, indikator: str) -> int:
    if indikator not in kommune.katalog.index:
        return 1
    eintrag = kommune.katalog.loc[indikator]
    if ist_ganzzahlig(str(eintrag["einheit"]), str(eintrag["art"])):
        return 0
    return 2 if eintrag["art"] == "index" else 1


def _planwerte(kommune: Kommune, indikator: str, schicht_id: str, periode: str) -> pd.Series:
    """Werte einer verschachtelten Ebene aus dem Sperrplan (dieselben Zahlen wie `kommune.werte.werte`,
    aber für alle Indikatoren einer Periode in einem Durchgang gerechnet); sonst `werte`."""
    plan = sperrplan(kommune, periode, "admin")
    e = plan.ebenen.get(schicht_id)
    if e is None or indikator not in plan.indikatoren:
        return werte(kommune, indikator, schicht_id, periode)
    return pd.Series(e.wert[:, plan.indikatoren.index(indikator)], index=e.ids, name=indikator)


def indikatortabelle(
    kommune: Kommune,
    schicht_id: str,
    periode: str | None = None,
    rolle: str = "oeffentlich",
    *,
    indikatoren: list[str] | None = None,
    methode: str = "area",
) -> pd.DataFrame:
    """Alle Indikatoren einer Ebene als Tabelle nach der Geheimhaltung der Rolle.

    `periode`: je Indikator die jüngste Periode bis einschließlich `periode` (None: die jüngste).
    Indikatoren ohne Werte auf dieser Ebene fehlen. `attrs`: `indikatoren` (IDs in Spaltenreihenfolge),
    `perioden`, `einheiten`, `gesperrt` (je Überschrift die gesperrten Zeilen als (Zeilennummer, Grund);
    als Tabellen über `sperren_von`), `vermerk`, `zaehlung`, `rolle`, `schicht`, `periode`.
    """
    rolle = rolle_pruefen(rolle)
    schicht = kommune.schicht(schicht_id)
    gebiete = kommune.gebiete[schicht_id]
    if periode is not None and not any(p <= str(periode) for p in kommune.perioden):
        raise KommuneFehler(
            f"Für die Periode „{periode}“ gibt es keine Werte (vorhanden: {', '.join(kommune.perioden)})."
        )
    kandidaten = indikatoren if indikatoren is not None else list(kommune.katalog.index)
    einzug = schicht.art == "einzugsbereich"
    spalten: dict[str, pd.Series] = {}
    perioden: dict[str, str] = {}
    for ind in kandidaten:
        if ind not in kommune.katalog.index:
            raise KommuneFehler(f"Den Indikator „{ind}“ gibt es im Katalog nicht.")
        p = neueste_periode(kommune, ind, None if periode is None else str(periode))
        if p is None:
            continue
        if einzug:
            from geodata.gebietswerte import gebietswerte

            reihe = gebietswerte(kommune, ind, schicht_id, p, methode)
        else:
            reihe = _planwerte(kommune, ind, schicht_id, p)
        if reihe.notna().any():
            spalten[ind] = reihe.reindex(gebiete.index).astype(float)
            perioden[ind] = p
    roh = pd.DataFrame(spalten, index=gebiete.index)
    geschuetzt = schuetzen(kommune, roh, schicht_id, perioden, rolle, methode=methode)
    koepfe = {ind: spaltenkopf(kommune, ind) for ind in roh.columns}
    tabelle = pd.DataFrame(
        {
            ID_SPALTE: gebiete.index.astype(str),
            NAME_SPALTE: gebiete["name"].astype(str).to_numpy(),
            **{koepfe[ind]: geschuetzt.tabelle[ind].to_numpy() for ind in roh.columns},
        }
    )
    tabelle.attrs = {
        "indikatoren": list(roh.columns),
        "perioden": dict(perioden),
        "einheiten": {ind: str(kommune.katalog.loc[ind, "einheit"]) for ind in roh.columns},
        # klein halten: pandas kopiert attrs bei jedem Spaltenzugriff (nur Zeilennummern gesperrter Zellen)
        "gesperrt": {
            koepfe[ind]: tuple(
                (int(i), str(geschuetzt.gruende[ind].iloc[i])) for i in np.flatnonzero(geschuetzt.maske[ind])
            )
            for ind in roh.columns
        },
        "vermerk": geschuetzt.vermerk,
        "zaehlung": geschuetzt.zaehlung(),
        "rolle": rolle,
        "schicht": schicht_id,
        "periode": "" if periode is None else str(periode),
    }
    return tabelle


@gegenprobe_anmelden
def exportprobe(kommune: Kommune) -> None:
    """Gegenprobe vor dem Aktivieren einer neuen Version (`kommune.versionen.gesamtprobe`): jede Ebene einmal
    öffentlich exportieren; eine Ausnahme lehnt die Version ab."""
    for schicht in kommune.konfiguration.schichten:
        indikatortabelle(kommune, schicht.id, None, "oeffentlich")


def _gesperrt(df: pd.DataFrame, kopf: str, gesperrt: dict | None = None) -> list[bool]:
    eintraege = (df.attrs.get("gesperrt", {}) if gesperrt is None else gesperrt).get(kopf, ())
    maske = [False] * len(df)
    for i, _ in eintraege:
        maske[i] = True
    return maske


def sperren_von(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(Maske, Gründe) einer `indikatortabelle` als Tabellen über den Indikatorspalten."""
    gesperrt = df.attrs.get("gesperrt", {})
    koepfe = [k for k in df.columns if k in gesperrt]
    maske = pd.DataFrame(False, index=df.index, columns=koepfe)
    gruende = pd.DataFrame("", index=df.index, columns=koepfe, dtype=object)
    for k in koepfe:
        for i, grund in gesperrt[k]:
            maske.iloc[i, koepfe.index(k)] = True
            gruende.iloc[i, koepfe.index(k)] = grund
    return maske, gruende


def _methodik_zeilen(df: pd.DataFrame, kommune: Kommune, meta: dict[str, Any] | None) -> list[list[Any]]:
    """Die Zeilen des Blatts „Methodik“: Angaben, Regeln, Vermerk, Indikatoren, Quellen."""
    attrs = df.attrs
    regeln = regeln_fuer(kommune)
    rolle = attrs.get("rolle", "oeffentlich")
    schicht_id = attrs.get("schicht")
    zeilen: list[list[Any]] = [["Bildungsmonitor – Indikatortabelle"], []]
    angaben = [("Kommune", kommune.name)]
    if schicht_id:
        s = kommune.schicht(schicht_id)
        angaben.append(("Ebene", f"{s.name} ({s.id})" + (f", Gebietsstand {s.stand}" if s.stand else "")))
    angaben.append(("Periode", attrs.get("periode") or "jeweils jüngste"))
    angaben.append(("Rolle", ROLLEN_NAMEN.get(rolle, rolle)))
    if rolle != "oeffentlich":
        angaben.append(("Hinweis", "Nur für den Dienstgebrauch – nicht veröffentlichen."))
    angaben.append(("Erstellt", datetime.now().strftime("%d.%m.%Y %H:%M")))
    angaben.append(("Geheimhaltung", attrs.get("vermerk", "")))
    for k, v in (meta or {}).items():
        angaben.append((str(k), str(v)))
    zeilen += [[k, v] for k, v in angaben]
    zeilen += [[], ["Geheimhaltungsregeln"]]
    if rolle == "admin":
        zeilen.append(["", "Rolle Administration: keine Werte gesperrt (Rohdaten)."])
    elif rolle == "intern":
        zeilen.append(["", f"Rolle intern: Regeln gelten für {regeln.intern} Indikatoren."])
    zeilen += [["", satz] for satz in regeln.beschreibung()]
    zeilen += [[], ["Indikatoren"], ["Spalte", "ID", "Einheit", "Periode", "Stichtag", "Quelle", "Definition"]]
    quellen_ids: list[str] = []
    for ind in attrs.get("indikatoren", []):
        e = kommune.katalog.loc[ind]
        zeilen.append(
            [
                spaltenkopf(kommune, ind),
                ind,
                e["einheit"],
                attrs.get("perioden", {}).get(ind, ""),
                e["stand"] or "(kein Stichtag angegeben)",
                e["quelle"],
                e["definition"],
            ]
        )
        if e["quelle"] and e["quelle"] not in quellen_ids:
            quellen_ids.append(e["quelle"])
    if schicht_id and kommune.schicht(schicht_id).quelle:
        q = kommune.schicht(schicht_id).quelle
        if q not in quellen_ids:
            quellen_ids.append(q)
    zeilen += [[], ["Quellen"], ["ID", "Titel", "Lizenz", "Namensnennung", "URL"]]
    for q in kommune.konfiguration.quellen:
        if q.id in quellen_ids or not quellen_ids:
            zeilen.append([q.id, q.titel, q.lizenz, q.namensnennung, q.url])
    zeilen += [[], ["Zeichenerklärung"], [ANZEIGE_GESPERRT, "Wert gesperrt (Geheimhaltung)"], ["leer", "keine Daten"]]
    return zeilen


def xlsx_schreiben(df: pd.DataFrame, pfad: str | Path, kommune: Kommune, meta: dict[str, Any] | None = None) -> Path:
    """Eine Tabelle aus `indikatortabelle` als XLSX schreiben (Blätter „Indikatoren“ und „Methodik“).

    Zahlen als Zahlen mit Zahlformat (#.##0 bzw. #.##0,0 in deutschem Excel), Kopf fixiert, zweite
    Kopfzeile mit Einheit und Periode, gesperrte Zellen als Text „.“ (rechtsbündig), Texte entschärft.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    pfad = Path(pfad)
    attrs = dict(df.attrs)
    df = df.copy()
    df.attrs = {}
    wb = Workbook()
    ws = wb.active
    ws.title = "Indikatoren"
    fett = Font(bold=True)
    kopf_fuellung = PatternFill("solid", fgColor="DDE5EE")
    rechts = Alignment(horizontal="right")
    indikatoren = attrs.get("indikatoren", [])
    kopf_zu_ind = {spaltenkopf(kommune, i): i for i in indikatoren}
    for c, kopf in enumerate(df.columns, start=1):
        zelle = ws.cell(row=1, column=c, value=entschaerfen(str(kopf)))
        zelle.font, zelle.fill = fett, kopf_fuellung
        zelle.alignment = Alignment(wrap_text=True, vertical="top")
        ind = kopf_zu_ind.get(kopf)
        if ind:
            einheit = attrs.get("einheiten", {}).get(ind, "")
            periode = attrs.get("perioden", {}).get(ind, "")
            unter = ws.cell(row=2, column=c, value=entschaerfen(", ".join(t for t in (einheit, periode) if t)))
        else:
            unter = ws.cell(row=2, column=c, value="Gebietsschlüssel" if kopf == ID_SPALTE else "")
        unter.font, unter.fill = Font(italic=True), kopf_fuellung
    for c, kopf in enumerate(df.columns, start=1):
        ind = kopf_zu_ind.get(kopf)
        gesperrt = _gesperrt(df, kopf, attrs.get("gesperrt", {}))
        format_ = None
        if ind:
            format_ = "#,##0" if _stellen(kommune, ind) == 0 else "#,##0." + "0" * _stellen(kommune, ind)
        for r, wert in enumerate(df[kopf].tolist(), start=3):
            zelle = ws.cell(row=r, column=c)
            if ind is None:
                zelle.value = entschaerfen("" if wert is None else str(wert))
                zelle.number_format = "@"
            elif gesperrt[r - 3]:
                zelle.value = ANZEIGE_GESPERRT
                zelle.data_type = "s"
                zelle.alignment = rechts
            elif wert is None or (isinstance(wert, float) and math.isnan(wert)):
                continue
            else:
                zelle.value = float(wert)
                zelle.number_format = format_
        breite = max([len(str(kopf)) // 2, 10] + [len(str(v)) for v in df[kopf].head(200).tolist()])
        ws.column_dimensions[get_column_letter(c)].width = min(breite + 2, 45)
    ws.freeze_panes = "C3" if len(df.columns) > 2 else "A3"
    ws.auto_filter.ref = f"A2:{get_column_letter(max(len(df.columns), 1))}{len(df) + 2}"
    m = wb.create_sheet("Methodik")
    df.attrs = attrs
    for zeile in _methodik_zeilen(df, kommune, meta):
        m.append([entschaerfen(v) for v in zeile])
    for zelle in ("A1", "A3"):
        m[zelle].font = fett
    m.column_dimensions["A"].width = 34
    m.column_dimensions["B"].width = 60
    pfad.parent.mkdir(parents=True, exist_ok=True)
    wb.save(pfad)
    return pfad


def csv_schreiben(df: pd.DataFrame, pfad: str | Path, kommune: Kommune) -> Path:
    """Als CSV (UTF-8 mit BOM, `;`, Dezimalkomma, ohne Tausenderpunkt), gesperrte Zellen „.“."""
    pfad = Path(pfad)
    attrs = dict(df.attrs)
    df = df.copy()
    df.attrs = {}
    indikatoren = set(attrs.get("indikatoren", []))
    kopf_zu_ind = {spaltenkopf(kommune, i): i for i in indikatoren}
    spalten = {}
    for kopf in df.columns:
        ind = kopf_zu_ind.get(kopf)
        if ind is None:
            spalten[kopf] = [entschaerfen("" if v is None else str(v)) for v in df[kopf]]
            continue
        stellen = _stellen(kommune, ind)
        gesperrt = _gesperrt(df, kopf, attrs.get("gesperrt", {}))
        spalten[kopf] = [
            ANZEIGE_GESPERRT if g else ("" if pd.isna(v) else zahl(float(v), stellen, minus="-", tausender=""))
            for v, g in zip(df[kopf].tolist(), gesperrt, strict=True)
        ]
    text = pd.DataFrame(spalten, columns=list(df.columns))
    text.columns = [entschaerfen(str(c)) for c in text.columns]
    pfad.parent.mkdir(parents=True, exist_ok=True)
    # CRLF: jede Zelle mit CR oder LF steht in Anführungszeichen (ein nacktes CR begänne eine neue Zeile)
    text.to_csv(pfad, sep=";", index=False, encoding="utf-8-sig", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    return pfad


def exportieren(
    kommune: Kommune, schicht_id: str, pfad: str | Path, periode: str | None = None, rolle: str = "oeffentlich"
) -> pd.DataFrame:
    """Tabelle bilden und nach Endung (.xlsx oder .csv) schreiben; die Tabelle zurückgeben."""
    pfad = Path(pfad)
    endung = pfad.suffix.lower()
    if endung not in (".xlsx", ".csv"):
        raise KommuneFehler(f"Die Ausgabedatei muss auf .xlsx oder .csv enden, nicht „{endung or pfad.name}“.")
    df = indikatortabelle(kommune, schicht_id, periode, rolle)
    try:
        if endung == ".xlsx":
            xlsx_schreiben(df, pfad, kommune)
        else:
            csv_schreiben(df, pfad, kommune)
    except (OSError, ValueError) as e:  # ValueError: Nullzeichen im Pfad
        grund = getattr(e, "strerror", None) or "ungültiger Pfad"
        raise KommuneFehler(f"Die Ausgabedatei lässt sich nicht schreiben ({grund}).", datei=str(pfad)) from None
    return df

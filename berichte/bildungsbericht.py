"""Entwurf eines kommunalen Bildungsberichts als bearbeitbares Word-Dokument (python-docx).

Kapitel nach dem Leitfaden „Lernen vor Ort“ (Spalte ``thema`` des Indikatorenkatalogs):
Rahmenbedingungen, frühkindliche Bildung, allgemeinbildende Schulen, berufliche Bildung und
Hochschule, Weiterbildung, non-formale Bildung. Je Kapitel: eine Übersichtstabelle der
Katalogindikatoren (Wert der Kommune, Vergleich zur ersten Periode, Spanne über die Gebiete), eine
Tabelle nach der gröbsten Ebene, eine Karte und ein Zeitverlauf des Leitindikators (PNG über
vl-convert, offline) und neutrale, generierte Sätze zum Überarbeiten. Jede Bildunterschrift nennt
Stichtag und Quelle.

Geheimhaltung: Alle Gebietswerte (Tabellen, Spannen, Karten, Zeitverläufe) kommen über den einen
geschützten Zugriff für `rolle` (Standard „oeffentlich“, Rohwerte nur mit ``rolle="admin"``);
``sperren`` (Series → Series mit NaN) sperrt optional zusätzlich. Gesperrte Zellen stehen als „.“.

``bildungsbericht_docx(kommune, periode=None, *, rolle="oeffentlich", sperren=None, mit_bildern=True, titel=None)``
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import date

import pandas as pd
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from berichte.diagramme import als_png, zeitreihe
from berichte.grundlagen import (
    GESPERRT_TEXT,
    OEFFENTLICH,
    Sperren,
    deckung_fuer,
    gesamt_auf,
    gesamt_mit_text,
    indikator_quelle,
    ist_prozent,
    mehrzahl,
    mit_deckung,
    sperren_anwenden,
    stand_fuer,
    stellen_fuer,
    vorzeichen_zahl,
    werte_auf,
    werte_und_maske,
)
from berichte.karte_svg import choropleth_chart
from kommune.format import datum, wert_mit_einheit, zahl
from kommune.katalog import THEMEN
from kommune.laden import Kommune
from kommune.werte import gewicht_hinweis, neueste_periode, perioden_von, werte_mit_deckung

KAPITEL = THEMEN  # die sechs Kapitel nach dem Leitfaden „Lernen vor Ort“ (wie die Katalogspalte „thema“)
#: Überschriften der Kapitel (großgeschrieben).
UEBERSCHRIFTEN = {k: k[0].upper() + k[1:] for k in KAPITEL}
GESPERRT = "."


def _wert(w: float, einheit: str, stellen: int) -> str:
    return wert_mit_einheit(w, einheit, stellen)


def satz(
    kommune: Kommune,
    indikator: str,
    periode: str | None = None,
    *,
    vergleich: str | None = None,
    rolle: str = OEFFENTLICH,
) -> str:
    """Ein neutraler Satz zum Überarbeiten, z. B. „Der Anteil „Kinderarmut (SGB II)“ lag 2024 bei
    16,0 % und damit 1,1 Prozentpunkte unter 2022.“ (Vergleich mit der ersten Periode). Fehlen dem Wert
    Teilgebiete, steht die Deckung in Klammern („… bei 3.769.962 Personen (ohne 1 Planungsraum, 0 % der
    Einwohner)“; für `rolle`, s. `berichte.grundlagen.deckung_fuer`)."""
    e = kommune.katalog.loc[indikator]
    p = neueste_periode(kommune, indikator, periode)
    if p is None:
        return f"Für „{e['name']}“ liegen keine Werte vor."
    einheit, art = str(e["einheit"]), str(e["art"])
    st = stellen_fuer(einheit, art)
    w, deckung = gesamt_mit_text(kommune, indikator, p, rolle=rolle)
    subjekt = {"anteil": "Der Anteil", "anzahl": "Die Zahl", "index": "Der Indexwert"}.get(art, "Der Wert")
    if not ist_prozent(einheit) and art == "anteil":
        subjekt = "Der Wert"
    if math.isnan(w):
        return f"{subjekt} „{e['name']}“ lässt sich für {kommune.name} insgesamt ({p}) nicht angeben."
    text = f"{subjekt} „{e['name']}“ lag {p} bei {mit_deckung(_wert(w, einheit, st), deckung)}"
    perioden = [q for q in perioden_von(kommune, indikator) if q < p]
    vp = vergleich if vergleich in perioden else (perioden[0] if perioden else None)
    if vp is not None:
        v = gesamt_auf(kommune, indikator, vp, rolle=rolle)
        if not math.isnan(v):
            d = w - v
            if round(d, st) == 0:
                return text + f" und damit auf dem Niveau von {vp}."
            richtung = "über" if d > 0 else "unter"
            if ist_prozent(einheit):
                return text + f" und damit {zahl(abs(d), 1)} Prozentpunkte {richtung} {vp}."
            if art == "anzahl" and v:
                return text + f" und damit {zahl(abs(100 * d / v), 1)} % {richtung} {vp}."
            return text + f" und damit {zahl(abs(d), st)} {einheit} {richtung} {vp}.".replace("  ", " ")
    return text + "."


def _spannensatz(name: str, ebene_name: str, reihe: pd.Series, namen: pd.Series, einheit: str, st: int) -> str:
    r = reihe.dropna()
    if len(r) < 2:
        return ""
    lo, hi = r.idxmin(), r.idxmax()
    return (
        f"Zwischen den {mehrzahl(ebene_name, 'dativ')} reichte „{name}“ von {_wert(r[lo], einheit, st)} "
        f"({namen.get(lo, lo)}) bis {_wert(r[hi], einheit, st)} ({namen.get(hi, hi)})."
    )


def _luecken(
    kommune: Kommune, indikator: str, schicht: str, periode: str, sichtbar: pd.Series, namen: pd.Series, rolle: str
) -> list[str]:
    """„Pankow, Arbeitslosigkeit (S1): ohne 1 Planungsraum, …“ für jedes sichtbare Gebiet, dem Teile fehlen."""
    agg = werte_mit_deckung(kommune, indikator, schicht, periode)
    name = kommune.katalog.loc[indikator, "name"]
    texte = []
    for gid in sichtbar.dropna().index:
        text = deckung_fuer(kommune, agg.deckung_von(gid), rolle=rolle)
        if text:
            texte.append(f"{namen.get(gid, gid)}, {name}: {text}")
    return texte


def _tabelle(doc: Document, kopf: Sequence[str], zeilen: Sequence[Sequence[str]], rechts_ab: int = 1) -> None:
    t = doc.add_table(rows=1, cols=len(kopf))
    t.style = "Table Grid"
    for j, k in enumerate(kopf):
        zelle = t.rows[0].cells[j]
        zelle.text = k
        for r in zelle.paragraphs[0].runs:
            r.bold = True
    for z in zeilen:
        zellen = t.add_row().cells
        for j, w in enumerate(z):
            zellen[j].text = w
            if j >= rechts_ab:
                zellen[j].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for zeile in t.rows:
        for zelle in zeile.cells:
            for p in zelle.paragraphs:
                for r in p.runs:
                    r.font.size = Pt(9)


def _beschriftung(doc: Document, text: str) -> None:
    try:
        doc.add_paragraph(text, style="Caption")
    except KeyError:  # Vorlage ohne Beschriftungsformat
        p = doc.add_paragraph(text)
        p.runs[0].italic = True


def bildungsbericht_docx(
    kommune: Kommune,
    periode: str | None = None,
    *,
    rolle: str = OEFFENTLICH,
    sperren: Sperren | None = None,
    mit_bildern: bool = True,
    titel: str | None = None,
) -> bytes:
    """Den Berichtsentwurf als DOCX-Bytes erzeugen, geschützt für `rolle`."""
    doc = Document()
    stil = doc.styles["Normal"]
    stil.font.name = "Arial"
    stil.font.size = Pt(10.5)
    feinste = kommune.konfiguration.ebenen[0]
    groebste = kommune.konfiguration.ebenen[-1]
    namen_fein = kommune.gebiete[feinste.id]["name"]
    namen_grob = kommune.gebiete[groebste.id]["name"]
    vorhanden = set(kommune.indikatoren["indikator"])

    doc.add_heading(titel or f"Bildungsbericht {kommune.name} – Entwurf", level=0)
    doc.add_paragraph(
        f"Automatisch erzeugter Entwurf vom {datum(date.today())}. Die Sätze sind neutral formuliert und "
        "sollen vom Bildungsbüro überarbeitet, eingeordnet und um Ursachen und Maßnahmen ergänzt werden. "
        "Die Gliederung folgt dem Anwendungsleitfaden zum kommunalen Bildungsmonitoring (Lernen vor Ort)."
    )
    if sperren is not None or rolle != "admin":
        doc.add_paragraph("Geheimhaltung ist angewandt: gesperrte Werte stehen als „.“.")
    doc.add_paragraph(
        f"Räumliche Gliederung: {len(namen_fein)} {mehrzahl(feinste.name)} (Stand {feinste.stand or 'unbekannt'}); "
        f"gröbste Ebene: {len(namen_grob)} {mehrzahl(groebste.name)}."
    )

    for kapitel in KAPITEL:
        doc.add_heading(UEBERSCHRIFTEN[kapitel], level=1)
        kat = kommune.katalog
        ids = [i for i in kat.index if str(kat.loc[i, "thema"]) == kapitel and i in vorhanden]
        if not ids:
            doc.add_paragraph(
                "Für dieses Kapitel enthält der Indikatorenkatalog noch keine Indikatoren mit Daten. "
                "Hier können Angaben aus anderen Quellen ergänzt werden."
            )
            continue
        # Leitindikator: der erste Anteil/Index, sonst der erste
        leit = next((i for i in ids if kat.loc[i, "art"] != "anzahl"), ids[0])
        for i in ids[:8]:
            doc.add_paragraph(satz(kommune, i, periode, rolle=rolle), style="List Bullet")
        # Übersicht
        zeilen = []
        staende, quellen, gewichtung = [], [], []
        for i in ids:
            e = kat.loc[i]
            p = neueste_periode(kommune, i, periode)
            if p is None:
                continue
            einheit, st = str(e["einheit"]), stellen_fuer(str(e["einheit"]), str(e["art"]))
            w, deckung = gesamt_mit_text(kommune, i, p, rolle=rolle)
            gewichtung.append(gewicht_hinweis(kommune, i, p))
            erste = perioden_von(kommune, i)[0]
            veraenderung = "–"
            if erste < p:
                v = gesamt_auf(kommune, i, erste, rolle=rolle)
                if not (math.isnan(v) or math.isnan(w)):
                    if ist_prozent(einheit):
                        veraenderung = f"{vorzeichen_zahl(w - v, 1)} Pp. seit {erste}"
                    elif e["art"] == "anzahl" and v:
                        veraenderung = f"{vorzeichen_zahl(100 * (w - v) / v, 1)} % seit {erste}"
                    else:
                        veraenderung = f"{vorzeichen_zahl(w - v, st)} seit {erste}"
            reihe = sperren_anwenden(werte_auf(kommune, i, feinste.id, p, rolle=rolle), sperren).dropna()
            spanne = f"{_wert(reihe.min(), einheit, st)} – {_wert(reihe.max(), einheit, st)}" if len(reihe) else "–"
            staende.append(stand_fuer(kommune, i, p))
            quellen.append(indikator_quelle(kommune, i))
            zelle = f"{_wert(w, einheit, st)} ({p}{'; ' + deckung if deckung else ''})"
            if deckung == GESPERRT_TEXT:
                zelle = f"{GESPERRT} ({p})"
            zeilen.append([str(e["name"]), zelle, veraenderung, spanne])
        _tabelle(doc, ["Indikator", f"{kommune.name}", "Veränderung", f"Spanne der {mehrzahl(feinste.name)}"], zeilen)
        _beschriftung(
            doc,
            f"Tabelle: {UEBERSCHRIFTEN[kapitel]} – Indikatoren im Überblick. Stand: "
            f"{', '.join(dict.fromkeys(s for s in staende if s))}. Quelle: "
            f"{'; '.join(dict.fromkeys(q for q in quellen if q))}. Pp. = Prozentpunkte."
            + "".join(f" {h}" for h in dict.fromkeys(h for h in gewichtung if h)),
        )
        # nach gröbster Ebene (nur Anteile/Indizes, bis zu 5 Spalten)
        spalten = [i for i in ids if kat.loc[i, "art"] != "anzahl"][:5] or ids[:5]
        if groebste.id != feinste.id or len(namen_grob) > 1:
            kopf = [groebste.name] + [str(kat.loc[i, "name"]) for i in spalten]
            werte_je: dict[str, tuple[pd.Series, pd.Series] | None] = {}
            luecken: list[str] = []
            for i in spalten:
                p = neueste_periode(kommune, i, periode)
                if p:
                    sichtbar, maske = werte_und_maske(kommune, i, groebste.id, p, rolle=rolle)
                    geschuetzt = sperren_anwenden(sichtbar, sperren)
                    werte_je[i] = (maske | (sichtbar.notna() & geschuetzt.isna()), geschuetzt)
                    luecken += _luecken(kommune, i, groebste.id, p, geschuetzt, namen_grob, rolle)
                else:
                    werte_je[i] = None
            zeilen = []
            for gid, gname in namen_grob.items():
                z = [str(gname)]
                for i in spalten:
                    e = kat.loc[i]
                    paar = werte_je[i]
                    gesperrt = bool(paar[0].get(gid, False)) if paar else False
                    w = float(paar[1].get(gid, float("nan"))) if paar else float("nan")
                    st_i = stellen_fuer(str(e["einheit"]), str(e["art"]))
                    z.append(GESPERRT if gesperrt else _wert(w, str(e["einheit"]), st_i))
                zeilen.append(z)
            _tabelle(doc, kopf, zeilen)
            _beschriftung(
                doc,
                f"Tabelle: {UEBERSCHRIFTEN[kapitel]} nach {mehrzahl(groebste.name, 'dativ')}. "
                f"Quelle: {'; '.join(dict.fromkeys(q for q in quellen if q))}."
                + (f" Werte mit Lücken: {'; '.join(luecken)}." if luecken else ""),
            )
        # Leitindikator: Text, Karte, Zeitverlauf
        e = kat.loc[leit]
        p = neueste_periode(kommune, leit, periode)
        einheit, st = str(e["einheit"]), stellen_fuer(str(e["einheit"]), str(e["art"]))
        reihe = sperren_anwenden(werte_auf(kommune, leit, feinste.id, p, rolle=rolle), sperren)
        doc.add_heading(str(e["name"]), level=2)
        spanne_text = _spannensatz(str(e["name"]), feinste.name, reihe, namen_fein, einheit, st)
        doc.add_paragraph(f"{satz(kommune, leit, periode, rolle=rolle)} {spanne_text}".strip())
        stand = stand_fuer(kommune, leit, p)
        quelle = indikator_quelle(kommune, leit)
        if mit_bildern:
            karte = choropleth_chart(
                kommune,
                feinste.id,
                reihe,
                titel=f"{e['name']} nach {mehrzahl(feinste.name, 'dativ')} ({p})",
                stand=stand,
                einheit=einheit,
                richtung=int(e["richtung"]),
            )
            doc.add_picture(io.BytesIO(als_png(karte, scale=1.5)), width=Cm(15))
            _beschriftung(
                doc,
                f"Karte: {e['name']} nach {mehrzahl(feinste.name, 'dativ')}, {p} (Stand {stand}; "
                f"Klassen nach Quantilen). Quelle: {quelle}.",
            )
            if len(perioden_von(kommune, leit)) > 1:
                gebiete = list(namen_grob.index[:5])
                chart = zeitreihe(kommune, leit, groebste.id, gebiete, rolle=rolle)
                doc.add_picture(io.BytesIO(als_png(chart, scale=1.5)), width=Cm(14))
                _beschriftung(
                    doc,
                    f"Abbildung: {e['name']} im Zeitverlauf nach {mehrzahl(groebste.name, 'dativ')} "
                    f"und für {kommune.name} insgesamt (Stand {stand}). Quelle: {quelle}.",
                )
            else:
                doc.add_paragraph(
                    f"Für „{e['name']}“ liegt nur eine Periode vor; ein Zeitverlauf folgt mit den nächsten Daten."
                )
        doc.add_paragraph(f"Definition: {e['definition']} {e['hinweise'] or ''}".strip())

    doc.add_heading("Quellen", level=1)
    for q in kommune.konfiguration.quellen:
        doc.add_paragraph(
            f"{q.titel}: {q.namensnennung} ({q.lizenz}){' – ' + q.url if q.url else ''}", style="List Bullet"
        )
    puffer = io.BytesIO()
    doc.save(puffer)
    return puffer.getvalue()


__all__ = ["KAPITEL", "UEBERSCHRIFTEN", "bildungsbericht_docx", "satz"]

"""Altair-Diagramme für Profile, Vergleiche und Berichte – deutsches Zahl- und Datumsformat, Stand im Titel.

Rein, ohne Streamlit. Jedes Diagramm nennt den Stichtag im Untertitel („Stand: 31.12.2024“).
Export als PNG/SVG über vl-convert: Vega und Vega-Lite sind in vl-convert eingebaut, Schriften kommen
vom System; externe Datenquellen sind beim Export gesperrt (``allowed_base_urls=[]``), es gibt also
keinen Netzzugriff.

Geheimhaltung: Jedes Diagramm holt seine Werte über `berichte.grundlagen.werte_und_maske` für die
übergebene Rolle (Standard „oeffentlich“, Rohwerte nur mit ``rolle="admin"``). Gesperrte Werte
erreichen die Diagrammdaten nicht: Sie sind leer (``null``), heißen „gesperrt“ und zählen auch nicht
zu Spanne und Quartilen; Altair liefert die Datentabelle ja vollständig an den Browser aus.

Öffentliche Schnittstelle
    ``spine_daten(kommune, schicht, gebiet, periode=None, indikatoren=None, *, rolle) -> DataFrame``
    ``spine_chart(kommune, schicht, gebiet, periode=None, indikatoren=None, *, rolle) -> alt.Chart``
    ``zeitreihe_daten(kommune, indikator, schicht, gebiete, mit_gesamt=True, *, rolle) -> DataFrame``
    ``zeitreihe(kommune, indikator, schicht, gebiete, mit_gesamt=True, *, rolle) -> alt.Chart`` (Anzahlen als
    Index, erster Stand = 100: ``index_je_linie``)
    ``punktvergleich(kommune, schicht, gebiete, periode=None, indikatoren=None, *, rolle) -> alt.Chart``
    ``sparkline(verlauf, breite=160, hoehe=40) -> alt.Chart`` (NaN-Punkte fehlen)
    ``als_png(chart, scale=2.0) -> bytes``, ``als_svg(chart) -> str``
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from berichte.grundlagen import (
    GESPERRT_TEXT,
    OEFFENTLICH,
    gesamt_auf,
    gesamt_mit_text,
    stand_fuer,
    stellen_fuer,
    werte_und_maske,
)
from kommune.format import MINUS, wert_mit_einheit
from kommune.laden import Kommune
from kommune.werte import neueste_periode, perioden_von

MONATE = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember"]
MONATE_KURZ = ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"]
TAGE = ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"]
TAGE_KURZ = ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"]

ZAHLFORMAT = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " €"], "minus": MINUS}
ZEITFORMAT = {
    "dateTime": "%A, %e. %B %Y, %X",
    "date": "%d.%m.%Y",
    "time": "%H:%M:%S",
    "periods": ["AM", "PM"],
    "days": TAGE,
    "shortDays": TAGE_KURZ,
    "months": MONATE,
    "shortMonths": MONATE_KURZ,
}
DEUTSCH = alt.Locale(number=alt.NumberLocale(**ZAHLFORMAT), time=alt.TimeLocale(**ZEITFORMAT))
#: Farben (ColorBrewer Dark2, farbenblind-freundlich) für bis zu 5 Gebiete.
GEBIETSFARBEN = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e"]
SCHRIFT = 14  # gut lesbar auf dem Beamer


#: Zeilenlänge (Zeichen) für Achsenbeschriftungen und Titel: passt auch auf ein Handy (390 px) ohne Kürzen
ZEILE_ACHSE = 30
ZEILE_TITEL = 40
#: Höhe je Zeile in Spine-Chart und Vergleich (jede Zeile beschriftet, auch bei zweizeiligen Namen)
ZEILENHOEHE = 30
#: Trennzeichen für mehrzeilige Beschriftungen (in Vega: labelExpr mit split)
UMBRUCH = "\n"
MEHRZEILIG = "split(datum.label, '\\n')"


def umbrechen(text: str, breite: int = ZEILE_ACHSE) -> list[str]:
    """Text an Leerzeichen in Zeilen von höchstens `breite` Zeichen teilen (ein längeres Wort bleibt ganz)."""
    zeilen: list[str] = []
    for wort in str(text).split():
        if zeilen and len(zeilen[-1]) + 1 + len(wort) <= breite:
            zeilen[-1] += " " + wort
        else:
            zeilen.append(wort)
    return zeilen or [""]


def _zeilen(text: str, breite: int) -> str | list[str]:
    """Eine Zeile als Text, mehrere als Liste (so liest Vega mehrzeilige Titel)."""
    zeilen = umbrechen(text, breite)
    return zeilen[0] if len(zeilen) == 1 else zeilen


def _fertig(chart: Any, titel: str, stand: str, gesperrt: int = 0) -> Any:
    """Titel mit Stand (und der Zahl gesperrter Werte), deutsches Format, große Schrift.

    Titel und Untertitel werden umbrochen statt gekürzt („Vergleich: Rixdorf, Marzah…“ auf dem Handy).
    """
    untertitel = f"Stand: {stand}" if stand else ""
    if gesperrt:
        hinweis = f"{gesperrt} {'Wert' if gesperrt == 1 else 'Werte'} gesperrt (Geheimhaltung)"
        untertitel = f"{untertitel}; {hinweis}" if untertitel else hinweis
    return (
        chart.properties(
            title=alt.TitleParams(
                text=_zeilen(titel, ZEILE_TITEL),
                subtitle=_zeilen(untertitel, ZEILE_TITEL + 10) if untertitel else "",
                anchor="start",
                fontSize=SCHRIFT + 2,
                limit=0,
            )
        )
        .configure(locale=DEUTSCH)
        .configure_axis(labelFontSize=SCHRIFT - 2, titleFontSize=SCHRIFT - 1, labelLimit=320)
        .configure_legend(labelFontSize=SCHRIFT - 2, titleFontSize=SCHRIFT - 1, labelLimit=320)
        .configure_title(subtitleFontSize=SCHRIFT - 2)
        .configure_view(stroke=None)
    )


def _staende(kommune: Kommune, paare: Iterable[tuple[str, str | None]]) -> str:
    """Die verschiedenen Stichtage, kurz zusammengefasst („31.12.2024; 01.10.2024“)."""
    st = [stand_fuer(kommune, i, p) for i, p in paare]
    return "; ".join(dict.fromkeys(s for s in st if s))


def _standard_indikatoren(kommune: Kommune, indikatoren: Sequence[str] | None) -> list[str]:
    if indikatoren is not None:
        return [i for i in indikatoren if i in kommune.katalog.index]
    vorhanden = set(kommune.indikatoren["indikator"])
    kat = kommune.katalog
    return [i for i in kat.index if i in vorhanden and kat.loc[i, "art"] != "anzahl"]


# ---------------------------------------------------------------------------------------------
# Spine-Chart
# ---------------------------------------------------------------------------------------------


def spine_daten(
    kommune: Kommune,
    schicht: str,
    gebiet: str | Sequence[str],
    periode: str | None = None,
    indikatoren: Sequence[str] | None = None,
    *,
    rolle: str = OEFFENTLICH,
) -> pd.DataFrame:
    """Je Indikator die Verteilung über alle für `rolle` sichtbaren Gebiete der Ebene, standardisiert.

    Skala je Indikator: 0 = Wert der ganzen Kommune, ±1 = der am weitesten entfernte Gebietswert;
    mit der Richtung des Katalogs gedreht, sodass **rechts immer „mehr Bedarf“** bedeutet (bei
    neutralen Indikatoren: rechts = höher). Spalten: ``indikator, name, einheit, periode, stand, min,
    q1, median, q3, max, gesamt, wert, gebiet, gebiet_name, pos_min, pos_q1, pos_median, pos_q3,
    pos_max, pos_gesamt, pos_wert, wert_text, gesamt_text, gesperrt``; je Gebiet eine Zeile. Gesperrte
    Gebietswerte: ``wert``/``pos_wert`` NaN, ``wert_text`` „gesperrt“; Spanne und Quartile nur aus
    sichtbaren Werten.
    """
    gebiete = [gebiet] if isinstance(gebiet, str) else list(gebiet)
    namen = kommune.gebiete[schicht]["name"]
    zeilen = []
    for ind in _standard_indikatoren(kommune, indikatoren):
        p = neueste_periode(kommune, ind, periode)
        if p is None:
            continue
        sichtbar, maske = werte_und_maske(kommune, ind, schicht, p, rolle=rolle)
        reihe = sichtbar.dropna()
        if reihe.empty:
            continue
        e = kommune.katalog.loc[ind]
        g = gesamt_auf(kommune, ind, p, rolle=rolle)
        if math.isnan(g):
            g = float(reihe.median())
        richtung = -1 if int(e["richtung"]) < 0 else 1
        spanne = float(max(abs(reihe.max() - g), abs(reihe.min() - g))) or 1.0
        q = reihe.quantile([0.0, 0.25, 0.5, 0.75, 1.0]).to_numpy()

        def pos(x: float, richtung: int = richtung, g: float = g, spanne: float = spanne) -> float:
            return float(richtung * (x - g) / spanne)

        stellen = stellen_fuer(str(e["einheit"]), str(e["art"]))
        lo, hi = sorted((pos(q[0]), pos(q[4])))
        q1, q3 = sorted((pos(q[1]), pos(q[3])))
        for geb in gebiete:
            w = float(reihe.get(geb, float("nan")))
            gesperrt = bool(maske.get(geb, False))
            zeilen.append(
                {
                    "indikator": ind,
                    "name": str(e["name"]),
                    "einheit": str(e["einheit"]),
                    "periode": p,
                    "stand": stand_fuer(kommune, ind, p),
                    "min": float(q[0]),
                    "q1": float(q[1]),
                    "median": float(q[2]),
                    "q3": float(q[3]),
                    "max": float(q[4]),
                    "gesamt": g,
                    "wert": w,
                    "gebiet": geb,
                    "gebiet_name": str(namen.get(geb, geb)),
                    "pos_min": lo,
                    "pos_q1": q1,
                    "pos_median": pos(q[2]),
                    "pos_q3": q3,
                    "pos_max": hi,
                    "pos_gesamt": 0.0,
                    "pos_wert": pos(w) if not math.isnan(w) else float("nan"),
                    "wert_text": GESPERRT_TEXT if gesperrt else wert_mit_einheit(w, str(e["einheit"]), stellen),
                    "gesamt_text": wert_mit_einheit(g, str(e["einheit"]), stellen),
                    "gesperrt": gesperrt,
                }
            )
    return pd.DataFrame(zeilen)


def spine_chart(
    kommune: Kommune,
    schicht: str,
    gebiet: str,
    periode: str | None = None,
    indikatoren: Sequence[str] | None = None,
    daten: pd.DataFrame | None = None,
    *,
    rolle: str = OEFFENTLICH,
) -> alt.LayerChart:
    """Spine-Chart: Lage eines Gebiets in der Verteilung aller Gebiete, je Indikator eine Zeile.

    Grauer Balken = Spanne aller Gebiete, dunkler Kasten = mittlere Hälfte (Quartile), schwarzer
    Strich = ganze Kommune, Punkt = das Gebiet. Rechts stehen Gebietswert und Kommunenwert als Text
    (keine Information nur im Tooltip).
    """
    df = spine_daten(kommune, schicht, gebiet, periode, indikatoren, rolle=rolle) if daten is None else daten
    name = str(kommune.gebiete[schicht]["name"].get(gebiet, gebiet))
    stand = "; ".join(dict.fromkeys(df["stand"])) if len(df) else ""
    if df.empty:
        leer = alt.Chart(pd.DataFrame({"t": ["Keine Daten"]})).mark_text(size=SCHRIFT).encode(text="t:N")
        return _fertig(leer, f"{name}: keine Indikatorwerte", stand)
    df = df.assign(
        beschriftung=df["wert_text"] + " (" + kommune.name + ": " + df["gesamt_text"] + ")",
    )
    # Zeile = Indikatorname (umbrochen) und darunter die Werte: keine Information nur im Tooltip, und
    # anders als eine zweite Spalte daneben passt das auch auf ein Handy (eine Ebene, Breite vom Container)
    df["zeile"] = [
        UMBRUCH.join([*umbrechen(n), *umbrechen(b)]) for n, b in zip(df["name"], df["beschriftung"], strict=True)
    ]
    reihenfolge = list(dict.fromkeys(df["zeile"]))
    y = alt.Y("zeile:N", sort=reihenfolge, title=None, axis=alt.Axis(labelExpr=MEHRZEILIG, labelOverlap=False))
    x_skala = alt.Scale(domain=[-1.05, 1.05])
    tooltip = [
        alt.Tooltip("name:N", title="Indikator"),
        alt.Tooltip("wert_text:N", title=name),
        alt.Tooltip("gesamt_text:N", title=kommune.name),
        alt.Tooltip("periode:N", title="Periode"),
    ]
    basis = alt.Chart(df)
    spanne = basis.mark_rule(color="#bdbdbd", strokeWidth=10).encode(
        y=y,
        x=alt.X("pos_min:Q", scale=x_skala, axis=alt.Axis(values=[-1, 0, 1], labelExpr=_achsentext(), grid=False),
                title="← weniger Bedarf · mehr Bedarf →"),
        x2="pos_max:Q",
    )
    quartile = basis.mark_rule(color="#737373", strokeWidth=10).encode(y=y, x="pos_q1:Q", x2="pos_q3:Q")
    stadt = basis.mark_tick(color="#000000", thickness=3, size=22).encode(y=y, x="pos_gesamt:Q")
    punkt = basis.mark_point(filled=True, size=160, color="#d95f02", stroke="#000000", strokeWidth=1).encode(
        y=y, x="pos_wert:Q", tooltip=tooltip, shape=alt.value("diamond")
    )
    zeilen = max(z.count(UMBRUCH) + 1 for z in reihenfolge)
    chart = alt.layer(spanne, quartile, stadt, punkt).properties(
        width=520, height=alt.Step(max(ZEILENHOEHE, 13 * zeilen + 8))
    )
    titel = f"{name} im Vergleich aller {kommune.schicht(schicht).name}-Gebiete"
    return _fertig(chart, titel, stand, _anzahl_gesperrt(df))


def _anzahl_gesperrt(df: pd.DataFrame) -> int:
    return int(df["gesperrt"].sum()) if "gesperrt" in df.columns else 0


def _achsentext() -> str:
    return "datum.value == 0 ? 'Gesamt' : (datum.value < 0 ? 'günstigster Wert' : 'ungünstigster Wert')"


# ---------------------------------------------------------------------------------------------
# Zeitreihe, Vergleich, Sparkline
# ---------------------------------------------------------------------------------------------


def zeitreihe_daten(
    kommune: Kommune,
    indikator: str,
    schicht: str,
    gebiete: Sequence[str],
    mit_gesamt: bool = True,
    *,
    rolle: str = OEFFENTLICH,
) -> pd.DataFrame:
    """Verlaufsdaten (``periode, gebiet, wert, wert_text, gesperrt``), je Periode geschützt für `rolle`.

    Gesperrte Punkte haben keinen Wert (NaN) und den Text „gesperrt“; der Gesamtwert der Kommune wird
    gezeigt, außer er verriete einen gesperrten Wert (`berichte.grundlagen.gesamt_mit_text`).
    """
    e = kommune.katalog.loc[indikator]
    namen = kommune.gebiete[schicht]["name"]
    stellen = stellen_fuer(str(e["einheit"]), str(e["art"]))
    zeilen = []
    for p in perioden_von(kommune, indikator):
        reihe, maske = werte_und_maske(kommune, indikator, schicht, p, rolle=rolle)
        for g in gebiete:
            zeilen.append(
                {"periode": p, "gebiet": str(namen.get(g, g)), "wert": float(reihe.get(g, float("nan"))),
                 "gesperrt": bool(maske.get(g, False))}
            )
        if mit_gesamt:
            gesamt, text = gesamt_mit_text(kommune, indikator, p, rolle=rolle)
            zeilen.append({"periode": p, "gebiet": f"{kommune.name} gesamt", "wert": gesamt,
                           "gesperrt": text == GESPERRT_TEXT})
    df = pd.DataFrame(zeilen, columns=["periode", "gebiet", "wert", "gesperrt"])
    df["wert_text"] = [
        GESPERRT_TEXT if gesperrt else wert_mit_einheit(w, str(e["einheit"]), stellen)
        for w, gesperrt in zip(df["wert"], df["gesperrt"], strict=True)
    ]
    return df


def zeitreihe(
    kommune: Kommune,
    indikator: str,
    schicht: str,
    gebiete: Sequence[str],
    mit_gesamt: bool = True,
    *,
    rolle: str = OEFFENTLICH,
) -> alt.LayerChart:
    """Verlauf eines Indikators für einige Gebiete (und die ganze Kommune), Periode auf der x-Achse.

    Anzahlen zeigt das Diagramm mit der Kommune als Index (erster Stand je Linie = 100): Sonst teilten sich
    die Stadt (250.230) und ein Gebiet (≈ 2.000) eine Achse, und die Gebietslinie läge flach auf null. Die
    Beschriftung am Ende nennt weiter die echten Werte. Anteile (gleiche Einheit) bleiben auf ihrer Skala,
    die nicht bei null beginnen muss. Gesperrte Punkte fehlen (die Linie setzt dort aus); der Untertitel
    nennt ihre Zahl.
    """
    e = kommune.katalog.loc[indikator]
    perioden = perioden_von(kommune, indikator)
    stellen = stellen_fuer(str(e["einheit"]), str(e["art"]))
    df = zeitreihe_daten(kommune, indikator, schicht, gebiete, mit_gesamt, rolle=rolle)
    als_index = mit_gesamt and str(e["art"]) == "anzahl"
    if als_index:
        df = df.assign(index=index_je_linie(df))
        feld, y_titel, fmt = "index", f"{e['name']}: Index (erster Stand = 100)", ",.0f"
    else:
        feld, y_titel, fmt = "wert", f"{e['name']} ({e['einheit']})", ",.0f" if stellen == 0 else ",.1f"
    reihenfolge = list(dict.fromkeys(df["gebiet"]))
    farben = GEBIETSFARBEN[: len(gebiete)] + (["#000000"] if mit_gesamt else [])
    farbe = alt.Color("gebiet:N", sort=reihenfolge, scale=alt.Scale(domain=reihenfolge, range=farben),
                      title=None, legend=alt.Legend(orient="bottom", columns=1, labelLimit=0))
    tooltip = [alt.Tooltip("gebiet:N", title="Gebiet"), alt.Tooltip("periode:N", title="Periode"),
               alt.Tooltip("wert_text:N", title=str(e["name"]))]
    if als_index:
        tooltip.append(alt.Tooltip("index:Q", title="Index (erster Stand = 100)", format=",.1f"))
    basis = alt.Chart(df).encode(
        x=alt.X("periode:O", title="Periode", axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{feld}:Q", title=_zeilen(y_titel, ZEILE_TITEL), axis=alt.Axis(format=fmt),
                scale=alt.Scale(zero=False)),
        color=farbe,
        tooltip=tooltip,
    )
    linien = basis.mark_line(strokeWidth=3) + basis.mark_point(filled=True, size=80)
    letzte = df[df["periode"] == perioden[-1]] if perioden else df
    text = alt.Chart(letzte).mark_text(align="left", dx=8, fontSize=SCHRIFT - 3).encode(
        x="periode:O", y=f"{feld}:Q", text="wert_text:N", color=farbe
    )
    stand = _staende(kommune, [(indikator, perioden[-1] if perioden else None)])
    chart = alt.layer(linien, text).properties(width=520, height=300)
    return _fertig(chart, f"{e['name']} im Zeitverlauf", stand, _anzahl_gesperrt(df))


def index_je_linie(df: pd.DataFrame) -> pd.Series:
    """Je Linie (`gebiet`) der Wert in Prozent ihres ersten vorhandenen Werts (erster Stand = 100).

    Gesperrte oder fehlende Punkte bleiben leer; eine Linie, deren erster Wert 0 ist, hat keinen Index.
    """
    basis = df.dropna(subset=["wert"]).groupby("gebiet", sort=False)["wert"].first()
    bezug = df["gebiet"].map(basis).astype(float).where(lambda b: b != 0)
    return (df["wert"].astype(float) / bezug * 100.0).rename("index")


def punktvergleich(
    kommune: Kommune,
    schicht: str,
    gebiete: Sequence[str],
    periode: str | None = None,
    indikatoren: Sequence[str] | None = None,
    *,
    rolle: str = OEFFENTLICH,
) -> alt.LayerChart:
    """Punktdiagramm: bis zu 5 Gebiete je Indikator auf der standardisierten Skala des Spine-Charts.

    Gesperrte Werte fehlen als Punkt; der Untertitel nennt ihre Zahl.
    """
    if not 1 <= len(gebiete) <= 5:
        raise ValueError("Es lassen sich 1 bis 5 Gebiete vergleichen.")
    df = spine_daten(kommune, schicht, list(gebiete), periode, indikatoren, rolle=rolle)
    stand = "; ".join(dict.fromkeys(df["stand"])) if len(df) else ""
    if len(df):
        df["zeile"] = [UMBRUCH.join(umbrechen(n)) for n in df["name"]]
    else:
        df = df.assign(zeile=pd.Series(dtype=str))
    reihenfolge = list(dict.fromkeys(df["zeile"]))
    namen = [str(kommune.gebiete[schicht]["name"].get(g, g)) for g in gebiete]
    # jede Zeile beschriftet: feste Zeilenhöhe statt fester Gesamthöhe, kein Ausdünnen überlappender Labels
    y = alt.Y("zeile:N", sort=reihenfolge, title=None, axis=alt.Axis(labelExpr=MEHRZEILIG, labelOverlap=False))
    basis = alt.Chart(df)
    spanne = basis.mark_rule(color="#d9d9d9", strokeWidth=8).encode(
        y=y,
        x=alt.X("pos_min:Q", scale=alt.Scale(domain=[-1.05, 1.05]),
                axis=alt.Axis(values=[-1, 0, 1], labelExpr=_achsentext(), grid=False),
                title="← weniger Bedarf · mehr Bedarf →"),
        x2="pos_max:Q",
    )
    stadt = basis.mark_tick(color="#000000", thickness=3, size=20).encode(y=y, x="pos_gesamt:Q")
    punkte = basis.mark_point(filled=True, size=140, opacity=0.9).encode(
        y=y,
        x="pos_wert:Q",
        color=alt.Color("gebiet_name:N", scale=alt.Scale(domain=namen, range=GEBIETSFARBEN[: len(namen)]),
                        title=None, legend=alt.Legend(orient="bottom", columns=1)),
        shape=alt.Shape("gebiet_name:N", scale=alt.Scale(domain=namen), legend=None),
        tooltip=[alt.Tooltip("gebiet_name:N", title="Gebiet"), alt.Tooltip("name:N", title="Indikator"),
                 alt.Tooltip("wert_text:N", title="Wert"), alt.Tooltip("gesamt_text:N", title=kommune.name)],
    )
    zeilen = max((z.count(UMBRUCH) + 1 for z in reihenfolge), default=1)
    chart = alt.layer(spanne, stadt, punkte).properties(width=520, height=alt.Step(max(ZEILENHOEHE, 13 * zeilen + 8)))
    return _fertig(chart, f"Vergleich: {', '.join(namen)}", stand, _anzahl_gesperrt(df))


def sparkline(verlauf: Sequence[tuple[str, float]], breite: int = 160, hoehe: int = 40, stand: str = "") -> Any:
    """Kleine Verlaufslinie ohne Achsen (für Kacheln); letzter Punkt hervorgehoben, fehlende (NaN) fehlen."""
    df = pd.DataFrame(list(verlauf), columns=["periode", "wert"]).dropna(subset=["wert"])
    basis = alt.Chart(df).encode(
        x=alt.X("periode:O", axis=None), y=alt.Y("wert:Q", axis=None, scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("periode:N", title="Periode"), alt.Tooltip("wert:Q", title="Wert", format=",.1f")],
    )
    linie = basis.mark_line(color="#08519c", strokeWidth=2)
    letzter = alt.Chart(df.tail(1)).mark_point(filled=True, color="#08519c", size=40).encode(
        x=alt.X("periode:O", axis=None), y=alt.Y("wert:Q", axis=None, scale=alt.Scale(zero=False))
    )
    chart = alt.layer(linie, letzter).properties(width=breite, height=hoehe)
    if stand:
        chart = chart.properties(title=alt.TitleParams(text="", subtitle=f"Stand: {stand}", fontSize=9))
    return chart.configure(locale=DEUTSCH).configure_view(stroke=None)


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


def _spec(chart: Any) -> str:
    spec = chart.to_dict() if hasattr(chart, "to_dict") else chart
    return json.dumps(spec, default=_json_default)


def _json_default(o: Any) -> Any:
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return None if np.isnan(o) else float(o)
    raise TypeError(type(o))


def als_png(chart: Any, scale: float = 2.0) -> bytes:
    """PNG über vl-convert (offline: externe Datenquellen gesperrt, deutsches Format)."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(
        _spec(chart), scale=scale, allowed_base_urls=[], format_locale=ZAHLFORMAT, time_format_locale=ZEITFORMAT
    )


def als_svg(chart: Any) -> str:
    """SVG-Text über vl-convert (offline)."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(
        _spec(chart), allowed_base_urls=[], format_locale=ZAHLFORMAT, time_format_locale=ZEITFORMAT
    )


__all__ = [
    "DEUTSCH",
    "als_png",
    "als_svg",
    "index_je_linie",
    "punktvergleich",
    "sparkline",
    "spine_chart",
    "spine_daten",
    "umbrechen",
    "zeitreihe",
    "zeitreihe_daten",
]

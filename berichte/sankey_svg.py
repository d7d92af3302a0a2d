"""Flussdiagramm (Sankey) der Übergänge als eigenständiges SVG, ohne Netz und ohne Skript.

Links die Herkünfte („von“), rechts die Ziele („nach“), Bänder proportional zur Zahl der Personen. Jede
Beschriftung steht als Text im Bild (Zahl und Anteil im deutschen Format, groß genug für den Beamer); der
Tabellen-Zwilling (`sankey_tabelle`) enthält dieselben Zahlen – nichts steht nur im Tooltip. Gesperrte Zellen
(Geheimhaltung) werden nicht einzeln gezeichnet: Je Herkunft fasst ein graues Band zusammen, was zur sichtbaren
Summe fehlt (das lässt sich aus Summe und sichtbaren Zellen ohnehin errechnen). Alle Texte sind maskiert.
"""

from __future__ import annotations

import html

import pandas as pd

from berichte.uebergaenge import GESPERRT, Zellen
from kommune.format import zahl

#: Farben der Ziele (ColorBrewer Set2, farbenblind-freundlich), „ohne Anschluss“ dunkelrot, gesperrt grau
FARBEN = ("#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854", "#ffd92f", "#e5c494", "#b3b3b3")
FARBE_OHNE = "#b2182b"
FARBE_GESPERRT = "#d9d9d9"
GESPERRT_NAME = "gesperrt"


def _t(text: object) -> str:
    return html.escape(str(text), quote=True)


def _teil(z: Zellen, gebiet: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    return z.zellen[z.zellen["gebiet"] == gebiet], z.zeilen[z.zeilen["gebiet"] == gebiet]


def sankey_svg(
    z: Zellen,
    gebiet: str,
    *,
    titel: str,
    ohne_anschluss: tuple[str, ...] = (),
    reihenfolge: tuple[str, ...] = (),
    breite: int = 960,
    schrift: int = 20,
) -> str:
    """Das Flussdiagramm eines Gebiets (oder `GESAMT`) als SVG-Text (inline einbettbar, skaliert mit der Breite).

    `ohne_anschluss`: Ziele, die unten und dunkelrot erscheinen; `reihenfolge`: Ziele in fester Reihenfolge und
    Farbe (z. B. die der ganzen Kommune), damit Diagramme mehrerer Gebiete vergleichbar bleiben.
    """
    zellen, zeilen = _teil(z, gebiet)
    zeilen = zeilen[zeilen["summe"].notna() & (zeilen["summe"] > 0)].sort_values("von")
    zeile_h = int(schrift * 2.6)  # Platz für zwei Textzeilen je Knoten
    kopf = schrift * 2 + 10
    if zeilen.empty:
        h = kopf + zeile_h + 20
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {breite} {h}" width="100%" role="img" '
            f'aria-label="{_t(titel)}"><text x="10" y="{schrift + 4}" font-size="{schrift + 2}" font-weight="bold" '
            f'font-family="sans-serif">{_t(titel)}</text><text x="10" y="{kopf + schrift}" font-size="{schrift}" '
            'font-family="sans-serif" fill="#525252">Keine sichtbaren Übergänge (keine Daten oder gesperrt).</text>'
            "</svg>"
        )
    sichtbar = zellen[~zellen["gesperrt"] & zellen["von"].isin(zeilen["von"]) & (zellen["anzahl"] > 0)]
    ziel_summe = sichtbar.groupby("nach")["anzahl"].sum()
    nach_groesse = list(ziel_summe.sort_values(ascending=False, kind="stable").index)
    if reihenfolge:  # dieselbe Reihenfolge (und Farbe) der Ziele in jedem Gebiet
        nach_groesse = [n for n in reihenfolge if n in ziel_summe.index] + [
            n for n in nach_groesse if n not in reihenfolge
        ]
    ohne = [n for n in nach_groesse if n in ohne_anschluss]
    ziele = [n for n in nach_groesse if n not in ohne_anschluss] + ohne
    rest = {}
    for r in zeilen.itertuples():
        fehlt = float(r.summe) - float(sichtbar.loc[sichtbar["von"] == r.von, "anzahl"].sum())
        if fehlt > 0.5:
            rest[r.von] = fehlt
    rechts = [*ziele, *([GESPERRT_NAME] if rest else [])]
    gesamt = float(zeilen["summe"].sum())
    luecke = schrift
    n_max = max(len(zeilen), len(rechts))
    flaeche = max(320, n_max * (zeile_h + luecke))
    skala = (flaeche - (n_max - 1) * luecke) / gesamt
    knoten_b = 18
    x_l, x_r = int(breite * 0.27), int(breite * 0.70)

    def stapeln(groessen: list[float]) -> list[tuple[float, float]]:
        """(oben, Höhe) je Knoten; mindestens eine Textzeilenhöhe Abstand, damit Beschriftungen nicht kollidieren."""
        y, lagen = float(kopf), []
        for g in groessen:
            h = g * skala
            lagen.append((y, h))
            y += max(h, zeile_h) + luecke
        return lagen

    links_lage = dict(zip(zeilen["von"], stapeln(zeilen["summe"].astype(float).tolist()), strict=True))
    rechts_groesse = [float(ziel_summe.get(n, 0.0)) for n in ziele] + ([sum(rest.values())] if rest else [])
    rechts_lage = dict(zip(rechts, stapeln(rechts_groesse), strict=True))
    unterste = [y + max(h, zeile_h) for y, h in (*links_lage.values(), *rechts_lage.values())]
    hoehe = int(max(unterste) + 12)
    palette = [n for n in (reihenfolge or ()) if n not in ohne_anschluss] or [n for n in ziele if n not in ohne]
    palette += [n for n in ziele if n not in palette and n not in ohne_anschluss]
    farbe = {n: FARBEN[i % len(FARBEN)] for i, n in enumerate(palette)} | {n: FARBE_OHNE for n in ohne}
    farbe[GESPERRT_NAME] = FARBE_GESPERRT
    teile = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {breite} {hoehe}" width="100%" role="img" '
        f'aria-label="{_t(titel)}" font-family="sans-serif">',
        f'<text x="10" y="{schrift + 4}" font-size="{schrift + 2}" font-weight="bold">{_t(titel)}</text>',
    ]
    # Bänder: je Herkunft von oben nach unten in der Reihenfolge der Ziele; rechts in der Reihenfolge der Herkünfte
    unten_l = {v: lage[0] for v, lage in links_lage.items()}
    unten_r = {n: lage[0] for n, lage in rechts_lage.items()}
    mitte = (x_l + knoten_b + x_r) / 2
    for v in zeilen["von"]:
        stuecke = [(n, float(sichtbar.loc[(sichtbar["von"] == v) & (sichtbar["nach"] == n), "anzahl"].sum()))
                   for n in ziele]  # fmt: skip
        if v in rest:
            stuecke.append((GESPERRT_NAME, rest[v]))
        for n, anzahl in stuecke:
            if anzahl <= 0:
                continue
            d = anzahl * skala
            y0, y1 = unten_l[v], unten_r[n]
            unten_l[v] += d
            unten_r[n] += d
            x0, x1 = x_l + knoten_b, x_r
            pfad = (
                f"M{x0},{y0:.1f} C{mitte:.1f},{y0:.1f} {mitte:.1f},{y1:.1f} {x1},{y1:.1f} "
                f"L{x1},{y1 + d:.1f} C{mitte:.1f},{y1 + d:.1f} {mitte:.1f},{y0 + d:.1f} {x0},{y0 + d:.1f} Z"
            )
            tip = f"{v} → {n}: " + (GESPERRT if n == GESPERRT_NAME else zahl(anzahl, 0))
            teile.append(
                f'<path d="{pfad}" fill="{farbe[n]}" fill-opacity="0.6" stroke="none"><title>{_t(tip)}</title></path>'
            )
    # Knoten und Beschriftungen: links rechtsbündig vor dem Knoten, rechts linksbündig dahinter
    for v, (y, h) in links_lage.items():
        summe = float(zeilen.loc[zeilen["von"] == v, "summe"].iloc[0])
        teile.append(f'<rect x="{x_l}" y="{y:.1f}" width="{knoten_b}" height="{max(h, 2):.1f}" fill="#525252"/>')
        ym = y + max(h, zeile_h) / 2
        teile.append(
            f'<text x="{x_l - 8}" y="{ym - 3:.1f}" font-size="{schrift}" text-anchor="end" font-weight="bold">'
            f"{_t(v)}</text>"
            f'<text x="{x_l - 8}" y="{ym + schrift - 1:.1f}" font-size="{schrift}" text-anchor="end" fill="#252525">'
            f"{_t(zahl(summe, 0) + ' (' + zahl(100 * summe / gesamt, 1) + ' %)')}</text>"
        )
    voll = set(zeilen["von"])
    for n, (y, h) in rechts_lage.items():
        teile.append(f'<rect x="{x_r}" y="{y:.1f}" width="{knoten_b}" height="{max(h, 2):.1f}" fill="{farbe[n]}"/>')
        ym = y + max(h, zeile_h) / 2
        if n == GESPERRT_NAME:
            zeile2 = "(Geheimhaltung)"
        else:
            gesperrte = zellen[(zellen["nach"] == n) & zellen["gesperrt"] & zellen["von"].isin(voll)]
            wert = float(ziel_summe.get(n, 0.0))
            # vollständig, wenn keine Zelle dieses Ziels gesperrt ist und keine Herkunft fehlt (Summe gesperrt):
            # dann ist die Zahl eine Summe sichtbarer Zellen und verrät nichts
            vollstaendig = gesperrte.empty and voll >= set(zellen.loc[zellen["nach"] == n, "von"])
            zeile2 = (
                f"{zahl(wert, 0)} ({zahl(100 * wert / gesamt, 1)} %)" if vollstaendig else f"mindestens {zahl(wert, 0)}"
            )
        teile.append(
            f'<text x="{x_r + knoten_b + 8}" y="{ym - 3:.1f}" font-size="{schrift}" font-weight="bold">{_t(n)}</text>'
            f'<text x="{x_r + knoten_b + 8}" y="{ym + schrift - 1:.1f}" font-size="{schrift}" fill="#252525">'
            f"{_t(zeile2)}</text>"
        )
    teile.append("</svg>")
    return "".join(teile)


def sankey_tabelle(z: Zellen, gebiet: str) -> pd.DataFrame:
    """Der Tabellen-Zwilling: je Herkunft und Ziel Anzahl und Anteil an der Herkunft (gesperrt: „.“), mit Summen."""
    zellen, zeilen = _teil(z, gebiet)
    reihen = []
    for v in sorted(zellen["von"].unique()):
        teil = zellen[zellen["von"] == v].sort_values("nach")
        for r in teil.itertuples():
            anteil = GESPERRT if r.gesperrt or pd.isna(r.anteil) else zahl(r.anteil, 1)
            anzahl = GESPERRT if r.gesperrt else zahl(r.anzahl, 0)
            reihen.append({"von": v, "nach": r.nach, "Anzahl": anzahl, "Anteil an „von“ (%)": anteil})
        summe = zeilen.loc[zeilen["von"] == v, "summe"]
        s = summe.iloc[0] if len(summe) else float("nan")
        reihen.append({"von": v, "nach": "zusammen", "Anzahl": GESPERRT if pd.isna(s) else zahl(s, 0),
                       "Anteil an „von“ (%)": "" if pd.isna(s) else zahl(100.0, 1)})  # fmt: skip
    return pd.DataFrame(reihen, columns=["von", "nach", "Anzahl", "Anteil an „von“ (%)"])

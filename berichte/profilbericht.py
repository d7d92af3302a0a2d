"""Das Gebietsprofil als druckfertiges, eigenständiges HTML (Inline-CSS, Karte und Diagramme als Inline-SVG).

Rein, ohne Streamlit, ohne Netz: keine externen Schriften, Skripte oder Bilder. Jeder Name und Text
aus den Daten wird mit ``html.escape`` maskiert. Druck: A4, Seitenumbrüche vor großen Abschnitten,
Tabellenzeilen werden nicht zerteilt.

``profil_html(kommune, schicht, gebiet, periode=None, *, rolle="oeffentlich", sperren=None, zeitreihen=None) -> str``

Geheimhaltung: Alle Gebiets- und Elternwerte, Ränge, Spine-Chart und Zeitverläufe kommen über den einen
geschützten Zugriff für `rolle` (`berichte.grundlagen`); Rohwerte nur mit ``rolle="admin"``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from datetime import date

import pandas as pd

from berichte.diagramme import als_svg, spine_chart, spine_daten, zeitreihe
from berichte.grundlagen import (
    OEFFENTLICH,
    Sperren,
    indikator_quelle,
    profil_schuetzen,
    sperren_anwenden,
    stellen_fuer,
)
from berichte.karte_svg import gebiet_svg
from kommune.format import datum, wert_mit_einheit, zahl
from kommune.laden import Kommune
from kommune.profil import gebietsprofil
from kommune.werte import perioden_von

CSS = """
:root { --text: #1a1a1a; --grau: #5f5f5f; --linie: #c8c8c8; --akzent: #7f2704; }
* { box-sizing: border-box; }
body { font-family: "Liberation Sans", "DejaVu Sans", Arial, sans-serif; color: var(--text); margin: 0 auto;
       max-width: 1100px; padding: 24px; font-size: 11pt; line-height: 1.4; }
h1 { font-size: 22pt; margin: 0 0 4px; } h2 { font-size: 15pt; border-bottom: 2px solid var(--akzent);
padding-bottom: 2px; margin-top: 28px; } h3 { font-size: 12pt; margin: 18px 0 6px; }
.kopf { display: flex; gap: 24px; align-items: flex-start; flex-wrap: wrap; }
.kopf .text { flex: 1 1 320px; } .unter { color: var(--grau); }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
th, td { border-bottom: 1px solid var(--linie); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #eeeeee; } td.zahl, th.zahl { text-align: right; white-space: nowrap; }
.definition { color: var(--grau); font-size: 8.5pt; }
figure { margin: 12px 0; } figcaption { color: var(--grau); font-size: 9pt; }
svg { max-width: 100%; height: auto; }
.hinweis { background: #fff7e6; border-left: 4px solid #fdae6b; padding: 6px 10px; font-size: 9.5pt; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 10pt; }
  h2 { break-before: page; page-break-before: always; } h2.erste { break-before: auto; page-break-before: auto; }
  tr, figure, .kopf { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text))


def _zahlzelle(text: str, deckung: str) -> str:
    """Eine Zahlenzelle; fehlen dem Wert Teilgebiete, steht die Deckung klein darunter."""
    unter = f'<div class="definition">{_e(deckung)}</div>' if deckung else ""
    return f'<td class="zahl">{_e(text)}{unter}</td>'


def _svg_ohne_kopf(svg: str) -> str:
    """vl-convert-SVG inline einbetten (ohne XML-Deklaration)."""
    if svg.startswith("<?xml"):
        svg = svg[svg.index("?>") + 2 :]
    return svg.strip()


def _zeile(tag: str, zellen: Sequence[object]) -> str:
    """Eine Tabellenzeile; die erste Zelle als Text, die übrigen rechtsbündig (Zahlen)."""
    return "<tr>" + "".join(
        f"<{tag}>{_e(z)}</{tag}>" if i == 0 else f'<{tag} class="zahl">{_e(z)}</{tag}>' for i, z in enumerate(zellen)
    ) + "</tr>"


def _gruppen_html(
    kommune: Kommune, schicht: str, gebiet: str, periode: str | None, rolle: str, gesperrt: set[str]
) -> list[str]:
    """Abschnitt „Aufschlüsselung nach Gruppen“ (berichte.gruppen): je Familie Gesamt, Gruppen, Anteil."""
    from berichte.gruppen import LUECKEN_ERKLAERUNG, aufschluesselung, familien_mit_werten, lueckentabelle, titel

    familien = familien_mit_werten(kommune, periode)
    if not familien:
        return []
    teile = ["<h2>Aufschlüsselung nach Gruppen</h2>"]
    for f, p in familien:
        tabelle = aufschluesselung(kommune, f, schicht, gebiet, p, rolle=rolle, zusaetzlich_gesperrt=gesperrt)
        teile += [f"<h3>{_e(titel(kommune, f))} ({_e(p)})</h3><table><thead>", _zeile("th", list(tabelle)), "</thead>"]
        teile += ["<tbody>", *(_zeile("td", list(z)) for z in tabelle.itertuples(index=False)), "</tbody></table>"]
    teile.append(
        '<p class="definition">Anteil = Anteil der Gruppe am Gesamtwert des Gebiets (nur bei Anzahlen); „.“ = '
        "gesperrt.</p>"
    )
    luecken = lueckentabelle(kommune, schicht, [gebiet], periode, rolle=rolle, zusaetzlich_gesperrt=gesperrt)
    if not luecken.empty:
        teile += ["<h3>Lücken zwischen Gruppen</h3><table><thead>", _zeile("th", list(luecken)), "</thead><tbody>"]
        teile += [*(_zeile("td", list(z)) for z in luecken.itertuples(index=False)), "</tbody></table>"]
        teile.append(f'<p class="definition">{LUECKEN_ERKLAERUNG}</p>')
    return teile


def profil_html(
    kommune: Kommune,
    schicht: str,
    gebiet: str,
    periode: str | None = None,
    *,
    rolle: str = OEFFENTLICH,
    sperren: Sperren | None = None,
    zeitreihen: Sequence[str] | None = None,
    mit_diagrammen: bool = True,
) -> str:
    """Das vollständige Profil eines Gebiets als ein HTML-Dokument (UTF-8-Text), geschützt für `rolle`.

    Gesperrte Werte erscheinen als „.“ und fehlen in den Diagrammen. `sperren` (optional, zusätzlich)
    bekommt die Gebietswerte je Indikator und liefert NaN für weitere zu sperrende. `zeitreihen`:
    Indikatoren mit Zeitverlauf (Standard: die ersten zwei mit mehreren Perioden).
    """
    gdf = kommune.gebiete[schicht]
    if gebiet not in gdf.index:
        raise KeyError(f"Das Gebiet „{gebiet}“ gibt es in der Ebene „{schicht}“ nicht.")
    s = kommune.schicht(schicht)
    name = str(gdf["name"][gebiet])
    profil = profil_schuetzen(kommune, schicht, gebiet, gebietsprofil(kommune, schicht, gebiet, periode), rolle=rolle)
    gesperrt: set[str] = set(profil.loc[profil["gesperrt"], "indikator"]) if len(profil) else set()
    if sperren is not None and len(profil):
        reihe = pd.Series(profil["wert"].to_numpy(), index=profil["indikator"])
        gesperrt_reihe = sperren_anwenden(reihe, sperren)
        gesperrt |= {i for i in reihe.index if not pd.isna(reihe[i]) and pd.isna(gesperrt_reihe[i])}
    eltern_id = gdf["eltern"].get(gebiet) if s.eltern else None
    eltern_name = ""
    if eltern_id is not None and s.eltern:
        eltern_name = str(kommune.gebiete[s.eltern]["name"].get(eltern_id, eltern_id))
    staende = sorted(set(profil["stand"]) - {""}) if len(profil) else []
    teile: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="de"><head><meta charset="utf-8">',
        f"<title>{_e(f'Gebietsprofil {name} – {kommune.name}')}</title>",
        f"<style>{CSS}</style></head><body>",
        '<div class="kopf"><div class="text">',
        f"<h1>{_e(name)}</h1>",
        f'<p class="unter">{_e(s.name)} {_e(gebiet)} · {_e(kommune.name)}'
        + (f" · {_e(kommune.schicht(s.eltern).name)} {_e(eltern_name)}" if eltern_name else "")
        + "</p>",
        f"<p>Gebietsprofil mit {len(profil)} Indikatoren im Vergleich zu {_e(kommune.name)} insgesamt"
        + (f" und zu {_e(eltern_name)}" if eltern_name else "")
        + f". Stand der Daten: {_e(', '.join(staende) or 'unbekannt')}. Gebietsstand: {_e(s.stand or 'unbekannt')}."
        f" Erstellt am {datum(date.today())}.</p>",
    ]
    if gesperrt:
        teile.append(
            f'<p class="hinweis">{len(gesperrt)} Werte sind aus Gründen der Geheimhaltung gesperrt und als „.“ '
            "dargestellt.</p>"
        )
    teile.append("</div>")
    angebote = kommune.angebote
    innen = angebote[angebote.within(gdf.geometry[gebiet])] if len(angebote) else angebote
    karte = gebiet_svg(kommune, schicht, gebiet, punkte=innen)
    teile.append(
        f"<figure>{karte}<figcaption>{_e(name)} (orange) und Nachbargebiete; Punkte: Bildungsangebote. "
        f"Geometrie: {_e(s.name)}, Stand {_e(s.stand or 'unbekannt')}.</figcaption></figure></div>"
    )

    # Spine-Chart
    if mit_diagrammen and len(profil):
        daten = spine_daten(kommune, schicht, gebiet, periode, rolle=rolle)
        if gesperrt:
            daten = daten[~daten["indikator"].isin(gesperrt)]
        if len(daten):
            svg = _svg_ohne_kopf(als_svg(spine_chart(kommune, schicht, gebiet, periode, daten=daten, rolle=rolle)))
            teile += [
                '<h2 class="erste">Lage in der Verteilung aller Gebiete</h2>',
                f"<figure>{svg}<figcaption>Je Indikator: grauer Balken = Spanne aller {_e(s.name)}-Gebiete, "
                "dunkler Balken = mittlere Hälfte, schwarzer Strich = ganze Kommune, Raute = dieses Gebiet. "
                "Rechts = mehr Bedarf (nach der Richtung im Indikatorenkatalog).</figcaption></figure>",
            ]

    # Tabellen je Thema
    teile.append("<h2>Indikatoren mit Definition</h2>")
    for thema, gruppe in profil.groupby("thema", sort=False):
        teile += [
            f"<h3>{_e(thema)}</h3>",
            "<table><thead><tr><th>Indikator und Definition</th>"
            f'<th class="zahl">{_e(name)}</th>'
            + (f'<th class="zahl">{_e(eltern_name)}</th>' if eltern_name else "")
            + f'<th class="zahl">{_e(kommune.name)}</th><th class="zahl">Rang</th><th>Stand · Quelle</th>'
            "</tr></thead><tbody>",
        ]
        for z in gruppe.itertuples():
            e = kommune.katalog.loc[z.indikator]
            st = stellen_fuer(str(z.einheit), str(e["art"]))
            wert = "." if z.indikator in gesperrt else wert_mit_einheit(z.wert, z.einheit, st)
            rang = (
                f"{zahl(z.rang, 0)} von {zahl(z.n, 0)}"
                if z.rang is not None and not (isinstance(z.rang, float) and math.isnan(z.rang))
                and z.indikator not in gesperrt
                else "–"
            )
            hinweis = str(e["hinweise"] or "")
            teile.append(
                f"<tr><td><strong>{_e(z.name)}</strong><div class=\"definition\">{_e(z.definition)}"
                + (f" {_e(hinweis)}" if hinweis else "")
                + "</div></td>"
                + _zahlzelle(wert, "" if z.indikator in gesperrt else z.wert_deckung)
                + (_zahlzelle(wert_mit_einheit(z.eltern, z.einheit, st), z.eltern_deckung) if eltern_name else "")
                + _zahlzelle(
                    "." if z.gesamt_gesperrt else wert_mit_einheit(z.gesamt, z.einheit, st), z.gesamt_deckung
                )
                + f'<td class="zahl">{_e(rang)}</td>'
                f"<td>{_e(z.stand)} · Periode {_e(z.periode)}<br><span class=\"definition\">"
                f"{_e(indikator_quelle(kommune, z.indikator))}</span></td></tr>"
            )
        teile.append("</tbody></table>")
    teile.append('<p class="definition">Rang 1 = höchster Wert unter den Gebieten mit Wert.</p>')
    teile += _gruppen_html(kommune, schicht, gebiet, periode, rolle, gesperrt)

    # Zeitreihen
    if mit_diagrammen:
        if zeitreihen is None:
            kandidaten = [i for i in profil["indikator"] if len(perioden_von(kommune, i)) > 1 and i not in gesperrt]
            zeitreihen = kandidaten[:2]
        zeitreihen = [i for i in zeitreihen if i not in gesperrt]
        if zeitreihen:
            teile.append("<h2>Zeitverlauf</h2>")
            for ind in zeitreihen:
                svg = _svg_ohne_kopf(als_svg(zeitreihe(kommune, ind, schicht, [gebiet], rolle=rolle)))
                teile.append(
                    f"<figure>{svg}<figcaption>{_e(kommune.katalog.loc[ind, 'name'])}: {_e(name)} und "
                    f"{_e(kommune.name)} gesamt. Quelle: {_e(indikator_quelle(kommune, ind))}.</figcaption></figure>"
                )

    # Angebote
    teile.append("<h2>Bildungsangebote im Gebiet</h2>")
    if len(innen):
        zaehlung = innen.groupby("kategorie").size().sort_values(ascending=False)
        teile.append("<table><thead><tr><th>Kategorie</th><th class=\"zahl\">Anzahl</th><th>Angebote</th>"
                     "</tr></thead><tbody>")
        for kat, n in zaehlung.items():
            namen = innen.loc[innen["kategorie"] == kat, "name"].astype(str).sort_values().tolist()
            liste = ", ".join(namen[:15]) + (f" und {len(namen) - 15} weitere" if len(namen) > 15 else "")
            teile.append(f'<tr><td>{_e(kat)}</td><td class="zahl">{zahl(n, 0)}</td><td>{_e(liste)}</td></tr>')
        teile.append("</tbody></table>")
        staende_ang = ", ".join(sorted(set(innen["stand"].astype(str)) - {""}))
        teile.append(f'<p class="definition">Standorte mit Stand {_e(staende_ang)}.</p>')
    else:
        teile.append("<p>Im Gebiet liegen keine erfassten Bildungsangebote.</p>")

    # Quellen
    teile.append("<h2>Quellen und Stichtage</h2><ul>")
    for q in kommune.konfiguration.quellen:
        url = f" – {_e(q.url)}" if q.url else ""
        teile.append(f"<li><strong>{_e(q.titel)}</strong>: {_e(q.namensnennung)} ({_e(q.lizenz)}){url}</li>")
    teile.append("</ul>")
    gewichtung = " ".join(dict.fromkeys(h for h in profil["gewicht_hinweis"] if h)) if len(profil) else ""
    teile.append(
        f"<p>Stichtage der Indikatoren: {_e(', '.join(staende) or 'unbekannt')}. "
        "Werte gröberer Ebenen sind aus den feineren aggregiert (Anzahlen als Summe, Anteile aus Zähler und "
        "Nenner oder mit ihrer Bezugsgröße gewichtet). Fehlen Teilgebiete, nennt die Zelle, wie viele und welchen "
        f"Anteil der Einwohner (sonst der Fläche oder der Bezugsgröße) sie tragen. {_e(gewichtung)}</p>"
    )
    teile.append("</body></html>")
    return "\n".join(teile)


__all__ = ["CSS", "profil_html"]

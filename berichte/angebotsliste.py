"""Die Angebotsübersicht als druckbare HTML-Seite (A4), gruppiert entlang der Bildungskette.

Rein, ohne Streamlit, ohne Netz (Inline-CSS, keine Skripte, Schriften oder Bilder). Jeder Text aus den Daten geht
durch ``html.escape``; Links nur für Webadressen mit http:// oder https:// (`geodata.angebotsfinder.web_adresse`).
Nur öffentliche Felder (`geodata.angebotsfinder.eintrag`); am Ende Quellen mit Lizenz und Namensnennung.

``angebotsliste_html(kommune, angebote, *, titel=None, filter_text="") -> str``
"""

from __future__ import annotations

import html
from datetime import date

import geopandas as gpd
import pandas as pd

from geodata.angebotsfinder import NICHT_OEFFENTLICH, eintrag, web_adresse
from geodata.angebotsuebersicht import reihenfolge, stufe_titel
from kommune.format import datum, zahl
from kommune.laden import Kommune

CSS = """
:root { --text: #1a1a1a; --grau: #5f5f5f; --linie: #c8c8c8; --akzent: #08519c; }
* { box-sizing: border-box; }
body { font-family: "Liberation Sans", "DejaVu Sans", Arial, sans-serif; color: var(--text); margin: 0 auto;
       max-width: 900px; padding: 20px; font-size: 10.5pt; line-height: 1.35; }
h1 { font-size: 20pt; margin: 0 0 4px; } .unter { color: var(--grau); margin: 0 0 12px; }
h2 { font-size: 14pt; border-bottom: 2px solid var(--akzent); padding-bottom: 2px; margin: 22px 0 8px; }
.angebot { border-bottom: 1px solid var(--linie); padding: 6px 0 8px; break-inside: avoid; page-break-inside: avoid; }
.angebot h3 { font-size: 11pt; margin: 0 0 2px; } .angebot p { margin: 2px 0; }
.angaben { display: grid; grid-template-columns: max-content 1fr; gap: 1px 10px; margin: 4px 0 0; }
.angaben dt { color: var(--grau); } .angaben dd { margin: 0; overflow-wrap: anywhere; }
.quellen { font-size: 9pt; color: var(--grau); } .quellen li { margin: 2px 0; }
@page { size: A4; margin: 15mm 14mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 9.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""

#: Angaben je Angebot in dieser Reihenfolge (Schlüssel aus `geodata.angebotsfinder.eintrag`).
ANGABEN = (
    "Kategorie", "Träger", "Zielgruppen", "Alter", "Sprachen", "Sprachniveau", "Kosten", "Zeiten", "Adresse",
    "Telefon", "E-Mail", "Webseite", "Barrierefrei",
)  # fmt: skip


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _angebot_html(z: pd.Series) -> str:
    angaben = eintrag(z)
    zeilen = []
    for k in ANGABEN:
        if k not in angaben:
            continue
        wert = _e(angaben[k])
        if k == "Webseite" and (url := web_adresse(angaben[k])):
            wert = f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(url)}</a>'
        zeilen.append(f"<dt>{_e(k)}</dt><dd>{wert}</dd>")
    name = str(z.get("name") or "").strip() or "(ohne Namen)"
    teile = [f"<h3>{_e(name)}</h3>"]
    beschreibung = str(z.get("beschreibung") or "").strip()
    if beschreibung and beschreibung.lower() != "nan":
        teile.append(f"<p>{_e(beschreibung)}</p>")
    teile.append(f'<dl class="angaben">{"".join(zeilen)}</dl>')
    if "Zuletzt bestätigt" in angaben:
        teile.append(f'<p class="unter">{_e(angaben["Zuletzt bestätigt"])}</p>')
    return f'<div class="angebot">{"".join(teile)}</div>'


def _quellen_html(kommune: Kommune, angebote: pd.DataFrame) -> str:
    punkte = []
    for qid, teil in angebote.groupby("quelle", sort=False):
        q = kommune.konfiguration.quelle(str(qid)) if str(qid) else None
        titel = q.titel if q else (str(qid) or "ohne Angabe")
        text = f"{_e(titel)}" + (f": {_e(q.namensnennung)}, Lizenz {_e(q.lizenz)}" if q else "")
        lizenzen = sorted({str(x) for x in teil.get("lizenz", pd.Series(dtype=str)).fillna("") if str(x).strip()})
        angaben = sorted({str(x) for x in teil.get("quellenangabe", pd.Series(dtype=str)).fillna("") if str(x).strip()})
        if angaben:
            text += f"; Angaben: {_e(', '.join(angaben))}"
        if lizenzen and (not q or lizenzen != [q.lizenz]):
            text += f"; Lizenz der Einträge: {_e(', '.join(lizenzen))}"
        text += f" ({zahl(len(teil), 0)} {'Angebot' if len(teil) == 1 else 'Angebote'})"
        punkte.append(f"<li>{text}</li>")
    return f'<h2>Quellen</h2><ul class="quellen">{"".join(punkte)}</ul>' if punkte else ""


def angebotsliste_html(
    kommune: Kommune, angebote: gpd.GeoDataFrame, *, titel: str | None = None, filter_text: str = ""
) -> str:
    """Eigenständiges HTML der Angebote, gruppiert nach Stufe der Bildungskette (druckfertig, A4).

    `angebote`: schon gefiltert und öffentlich (`geodata.angebotsfinder.oeffentliche_angebote`); nicht öffentliche
    Spalten werden trotzdem nie gelesen. `filter_text`: die Auswahl in Worten (erscheint im Kopf).
    """
    titel = titel or f"Angebotsübersicht {kommune.name}"
    df = reihenfolge(kommune, pd.DataFrame(angebote.drop(columns=list(NICHT_OEFFENTLICH), errors="ignore")))
    n = len(df)
    unter = f"Stand {datum(date.today())} · {zahl(n, 0)} {'Angebot' if n == 1 else 'Angebote'}"
    if filter_text:
        unter += f" · Auswahl: {filter_text}"
    teile = [f"<h1>{_e(titel)}</h1>", f'<p class="unter">{_e(unter)}</p>']
    if not n:
        teile.append("<p>Keine Angebote für diese Auswahl.</p>")
    for stufe_pos, teil in df.groupby("_stufe", sort=True):
        ueberschrift = stufe_titel(int(stufe_pos), teil["bildungsstufe"].astype(str))
        teile.append(f"<h2>{_e(ueberschrift)} ({zahl(len(teil), 0)})</h2>")
        teile.extend(_angebot_html(z) for _, z in teil.iterrows())
    teile.append(_quellen_html(kommune, df))
    return (
        '<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(titel)}</title><style>{CSS}</style></head><body>{''.join(teile)}</body></html>"
    )

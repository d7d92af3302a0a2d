"""Cockpit-Kacheln als HTML: große Schrift, hoher Kontrast, alles sichtbar (nichts nur beim Überfahren)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from berichte.cockpit import Kachel
from kommune.format import stand_text

AMPEL = {
    "gruen": ("#1a7f37", "grün"),
    "grün": ("#1a7f37", "grün"),
    "gelb": ("#b58100", "gelb"),
    "rot": ("#c62828", "rot"),
    "grau": ("#6b6b6b", "ohne Ziel"),
}

CSS = """
<style>
.bm-kacheln { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 8px; }
.bm-kachel { border: 2px solid #1f2933; border-radius: 8px; padding: 6px 12px; background: #fff; color: #111; }
.bm-kachel .titel { font-size: 1rem; font-weight: 700; margin: 0 0 2px 0; line-height: 1.25; color: #111; }
.bm-kachel .wert { font-size: 1.8rem; font-weight: 700; line-height: 1.1; }
.bm-kachel .veraenderung { font-size: 1rem; margin-top: 1px; }
.bm-kachel .ampel { display: inline-block; font-weight: 700; color: #fff; border-radius: 4px; padding: 0 7px; }
.bm-kachel .klein { font-size: .85rem; line-height: 1.3; color: #333; margin-top: 3px; }
.bm-kachel .hinweis { font-size: .8rem; line-height: 1.25; color: #444; margin-top: 3px; }
.bm-kachel .fuss { display: flex; flex-wrap: wrap; align-items: flex-end; column-gap: 10px; }
.bm-kachel svg { display: block; margin-top: 2px; }
.bm-anmerkungen { font-size: .85rem; line-height: 1.3; color: #333; margin: 8px 0 0 0; padding-left: 1.6em; }
</style>
"""


def sparkline_svg(verlauf: Sequence[tuple[str, float]], breite: int = 150, hoehe: int = 36) -> str:
    """Kleiner Verlauf als SVG-Linie mit beschrifteten Endpunkten (Jahre), ohne Tooltips."""
    punkte = [(p, w) for p, w in verlauf if w == w]  # NaN raus
    if len(punkte) < 2:
        return ""
    werte = [w for _, w in punkte]
    lo, hi = min(werte), max(werte)
    spanne = (hi - lo) or 1.0
    xs = [8 + i * (breite - 16) / (len(punkte) - 1) for i in range(len(punkte))]
    ys = [4 + (hoehe - 18) * (1 - (w - lo) / spanne) for w in werte]
    linie = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    return (
        f'<svg width="{breite}" height="{hoehe}" role="img" aria-label="Verlauf {escape(punkte[0][0])} bis '
        f'{escape(punkte[-1][0])}"><polyline points="{linie}" fill="none" stroke="#1f2933" stroke-width="2"/>'
        f'<circle cx="{xs[-1]:.1f}" cy="{ys[-1]:.1f}" r="3" fill="#1f2933"/>'
        f'<text x="2" y="{hoehe - 2}" font-size="10">{escape(punkte[0][0])}</text>'
        f'<text x="{breite - 2}" y="{hoehe - 2}" font-size="10" text-anchor="end">{escape(punkte[-1][0])}</text></svg>'
    )


def _wert_html(k: Kachel) -> str:
    """Zahl groß, längere Einheiten klein darunter („60,5“ / „Plätze je 100 Kinder unter 6“)."""
    text, einheit = k.wert_text, k.einheit or ""
    if einheit and len(einheit) > 3 and text.endswith(einheit):
        zahl_text = text[: -len(einheit)].strip()
        return f'<div class="wert">{escape(zahl_text)}</div><div class="klein">{escape(einheit)}</div>'
    return f'<div class="wert">{escape(text)}</div>'


def kachel_html(k: Kachel, anmerkung: int | None = None) -> str:
    """Eine Kachel: Titel, Wert, Veränderung mit Pfeil und Worten, Ampel mit Wort, Ziel, Stand, Verlauf.

    Mit `anmerkung` steht der Hinweis nicht in der Kachel, sondern nur sein Verweis („Anmerkung 2“).
    """
    farbe, wort = AMPEL.get(k.ampel, AMPEL["grau"])
    veraenderung = f"{escape(k.pfeil)} {escape(k.veraenderung_text)}".strip()
    teile = [
        # kein <h3>: Streamlit hält neben Überschriften Platz für ein Ankersymbol frei (Titel brachen zu früh um)
        f'<div class="bm-kachel"><div class="titel" role="heading" aria-level="3">{escape(k.titel)}</div>',
        _wert_html(k),
        f'<div class="veraenderung">{veraenderung}</div>',
    ]
    if k.klartext:  # z. B. beide Gruppenwerte einer Gruppenlücke: sichtbar, nicht nur beim Überfahren
        teile.append(f'<div class="klein">{escape(k.klartext)}</div>')
    teile += [
        f'<div class="klein"><span class="ampel" style="background:{farbe}">Ampel: {escape(wort)}</span> '
        # „Ampel: ohne Ziel“ sagt schon alles; ein Satz dazu kostete am Beamer zwei Zeilen je Kachel
        f"{escape(k.ziel_text or ('' if k.ampel == 'grau' else k.ampel_text))}</div>",
    ]
    # Verlauf und Stand in einer Zeile (bricht um, wenn die Kachel schmal ist): spart Höhe am Beamer
    stand = stand_text(k.stand, "Stand ")
    teile.append(
        '<div class="fuss">'
        + sparkline_svg(k.verlauf)
        + (f'<div class="klein">{escape(stand)}</div>' if stand else "")
        + "</div>"
    )
    if k.hinweis:
        text = f"Anmerkung {anmerkung} unter den Kacheln" if anmerkung is not None else k.hinweis
        teile.append(f'<div class="hinweis">{escape(text)}</div>')
    teile.append("</div>")
    return "".join(teile)


def kacheln_html(kacheln: Sequence[Kachel]) -> str:
    """Alle Kacheln im Raster; ihre Hinweise (Methode, Deckung) nummeriert darunter, damit die Kacheln am
    Beamer kurz bleiben und alle auf einen Blick passen – sichtbar, nicht nur beim Überfahren."""
    nummern: dict[int, int] = {}
    for i, k in enumerate(kacheln):
        if k.hinweis:
            nummern[i] = len(nummern) + 1
    raster = "".join(kachel_html(k, nummern.get(i)) for i, k in enumerate(kacheln))
    anmerkungen = "".join(f"<li>{escape(kacheln[i].titel)}: {escape(kacheln[i].hinweis)}</li>" for i in nummern)
    liste = f'<ol class="bm-anmerkungen" aria-label="Anmerkungen">{anmerkungen}</ol>' if anmerkungen else ""
    return CSS + '<div class="bm-kacheln">' + raster + "</div>" + liste

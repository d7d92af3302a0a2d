"""Reichweite eines `[[reichweite]]`-Programms für eine Rolle: geschützte Werte holen, `geodata.reichweite` rechnen.

Teilnehmende und Zielbevölkerung kommen über `werte_und_maske` (Masken der Rolle; die Klassensummen aus den
Rohwerten nach der Regel in `geodata.reichweite`), das Klassenmerkmal als geschützter Indikatorwert oder als
Index (Eingänge geschützt über `werte_fn_fuer`). Fehler der Konfiguration (unbekannte IDs, keine Werte)
kommen als `ReichweiteFehler` mit deutschem Satz.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import altair as alt
import pandas as pd

from berichte.diagramme import DEUTSCH, MEHRZEILIG, SCHRIFT
from berichte.grundlagen import GESPERRT_TEXT, OEFFENTLICH, gesamt_auf, rohwerte_auf, werte_fn_fuer, werte_und_maske
from geodata.reichweite import MERKMAL, QUOTE, TEILNEHMENDE, ZIELGRUPPE, ReichweiteErgebnis, reichweite
from kommune.format import zahl
from kommune.geheimhaltungsregeln import ANZEIGE_GESPERRT, regeln_fuer, rolle_pruefen, sensibel_je_indikator
from kommune.konfiguration import Reichweite
from kommune.laden import Kommune
from kommune.werte import neueste_periode, perioden_von

HINWEIS_OHNE_REICHWEITE = (
    "Für diese Kommune ist keine Reichweite angegeben. Tragen Sie in der kommune.toml einen Abschnitt "
    '[[reichweite]] ein – z. B. id = "ferienprogramm", name = "Ferienprogramm", '
    'teilnehmende = "teilnehmende_ferienprogramm" (Anzahl je Wohngebiet, als gewöhnliche Indikator-Lieferung), '
    'zielgruppe = "kinder_6_12" und klassen = "sozialindex" (Indikator oder Index-Preset); '
    "siehe docs/kommune-format.md."
)


class ReichweiteFehler(ValueError):
    """Eine Reichweite lässt sich für diese Kommune, Ebene oder Periode nicht rechnen (deutscher Satz)."""


@dataclass(frozen=True)
class ReichweiteAnsicht:
    """Das Ergebnis für eine Rolle mit den Angaben für Überschrift, Karte und Export."""

    definition: Reichweite
    ergebnis: ReichweiteErgebnis
    periode: str
    zielgruppe_periode: str
    klassen_periode: str
    zielgruppe_name: str
    klassen_name: str
    ist_index: bool


def definitionen(kommune: Kommune) -> tuple[Reichweite, ...]:
    """Die `[[reichweite]]` der Kommune (leer = keine)."""
    return kommune.konfiguration.reichweite


def definition(kommune: Kommune, reichweite_id: str) -> Reichweite:
    """Die `[[reichweite]]` mit dieser ID; sonst `ReichweiteFehler`."""
    for d in definitionen(kommune):
        if d.id == reichweite_id:
            return d
    raise ReichweiteFehler(f"Die Reichweite „{reichweite_id}“ ist für {kommune.name} nicht angegeben.")


def _anzahl_pruefen(kommune: Kommune, indikator: str, feld: str, d: Reichweite) -> None:
    kat = kommune.katalog
    if indikator not in kat.index:
        raise ReichweiteFehler(
            f"„{feld}“ in [[reichweite]] „{d.id}“ nennt „{indikator}“, das nicht im Indikatorenkatalog steht."
        )
    if kat.loc[indikator, "art"] != "anzahl":
        raise ReichweiteFehler(
            f"„{feld}“ in [[reichweite]] „{d.id}“ muss eine Anzahl sein; „{indikator}“ ist ein Anteil oder Index."
        )


def perioden(kommune: Kommune, d: Reichweite) -> list[str]:
    """Die Perioden mit Teilnehmenden (aufsteigend)."""
    if d.teilnehmende not in kommune.katalog.index:
        return []
    return list(perioden_von(kommune, d.teilnehmende))


def _merkmal(kommune: Kommune, d: Reichweite, ebene: str, periode: str, rolle: str) -> tuple[pd.Series, str, str, bool]:
    """Das Klassenmerkmal für `rolle`: (Werte, Name, Periode, ist Index)."""
    if d.klassen in kommune.katalog.index:
        p = neueste_periode(kommune, d.klassen, periode) or neueste_periode(kommune, d.klassen)
        if p is None:
            raise ReichweiteFehler(f"Für das Klassenmerkmal „{d.klassen}“ gibt es keine Werte.")
        werte, _ = werte_und_maske(kommune, d.klassen, ebene, p, rolle=rolle)
        return werte, str(kommune.katalog.loc[d.klassen, "name"]), p, False
    from indices import index_berechnen
    from indices.presets import presets_fuer

    vorhanden = presets_fuer(kommune)
    if d.klassen not in vorhanden:
        raise ReichweiteFehler(
            f"„klassen“ in [[reichweite]] „{d.id}“ nennt „{d.klassen}“ – weder ein Indikator des Katalogs noch ein "
            f"Index-Preset (vorhanden: {', '.join(vorhanden) or 'keine'})."
        )
    index = vorhanden[d.klassen]
    p = index.periode or periode
    try:
        erg = index_berechnen(kommune, index, ebene=ebene, periode=p, werte_fn=werte_fn_fuer(rolle))
    except (KeyError, ValueError) as e:
        raise ReichweiteFehler(f"Der Index „{index.name}“ lässt sich hier nicht berechnen: {e}") from None
    tab = erg.tabelle
    score = pd.to_numeric(tab["score"], errors="coerce").where(tab["bewertet"].astype(bool))
    return score, index.name, p, True


def reichweite_kommune(
    kommune: Kommune, d: Reichweite, ebene: str, periode: str | None = None, *, rolle: str = OEFFENTLICH
) -> ReichweiteAnsicht:
    """Die Reichweite von `d` auf `ebene` in `periode` (None: jüngste Periode mit Teilnehmenden) für `rolle`."""
    rolle = rolle_pruefen(rolle)
    _anzahl_pruefen(kommune, d.teilnehmende, "teilnehmende", d)
    _anzahl_pruefen(kommune, d.zielgruppe, "zielgruppe", d)
    p = neueste_periode(kommune, d.teilnehmende, periode) if periode else None
    p = p or neueste_periode(kommune, d.teilnehmende)
    if p is None:
        raise ReichweiteFehler(f"Für „{d.name}“ gibt es noch keine Teilnehmenden („{d.teilnehmende}“).")
    pz = neueste_periode(kommune, d.zielgruppe, p) or neueste_periode(kommune, d.zielgruppe)
    if pz is None:
        raise ReichweiteFehler(f"Für die Zielgruppe „{d.zielgruppe}“ gibt es keine Werte.")
    t_roh = rohwerte_auf(kommune, d.teilnehmende, ebene, p)
    z_roh = rohwerte_auf(kommune, d.zielgruppe, ebene, pz)
    _, mt = werte_und_maske(kommune, d.teilnehmende, ebene, p, rolle=rolle)
    _, mz = werte_und_maske(kommune, d.zielgruppe, ebene, pz, rolle=rolle)
    merkmal, klassen_name, pk, ist_index = _merkmal(kommune, d, ebene, p, rolle)
    regeln = regeln_fuer(kommune)
    sensibel = sensibel_je_indikator(kommune.katalog)
    heikel = sensibel.get(d.teilnehmende, False) or sensibel.get(d.zielgruppe, False)
    fallzahl = regeln.mindestfallzahl_sensibel if heikel else regeln.mindestfallzahl
    nenner = regeln.mindestnenner_sensibel if heikel else regeln.mindestnenner
    if rolle == "admin" or not regeln.aktiv:
        fallzahl, nenner = 1, 1
    zielgruppe_name = d.zielgruppe_name or str(kommune.katalog.loc[d.zielgruppe, "name"])
    erg = reichweite(
        t_roh,
        z_roh,
        merkmal,
        teilnehmende_gesperrt=mt,
        zielgruppe_gesperrt=mz,
        klassen_anzahl=d.klassen_anzahl,
        richtung=d.richtung,
        mindestfallzahl=fallzahl,
        mindestnenner=nenner,
        zielgruppe_name=zielgruppe_name,
        namen=kommune.gebiete[ebene]["name"],
    )
    if rolle != "admin":  # der Gesamtwert nur, wenn weder Teilnehmende noch Zielgruppe insgesamt gesperrt sind
        gt, gz = gesamt_auf(kommune, d.teilnehmende, p, rolle=rolle), gesamt_auf(kommune, d.zielgruppe, pz, rolle=rolle)
        gesamt = 100 * gt / gz if gz and not (math.isnan(gt) or math.isnan(gz)) else float("nan")
        erg = ReichweiteErgebnis(erg.gebiete, erg.klassen, erg.verhaeltnis, erg.satz, gesamt)
    return ReichweiteAnsicht(d, erg, p, pz, pk, zielgruppe_name, d.klassen_name or klassen_name, ist_index)


def gesperrt_als_punkt(df: pd.DataFrame, maske: pd.DataFrame) -> pd.DataFrame:
    """Gesperrte Zellen als „.“ (wie jeder Export und jede Tabelle), fehlende bleiben, wie sie sind."""
    aus = df.astype(object)
    for spalte in maske.columns:
        aus.loc[maske[spalte].to_numpy(bool), spalte] = ANZEIGE_GESPERRT
    return aus


Tabelle = tuple[pd.DataFrame, pd.DataFrame]


def tabellen(ansicht: ReichweiteAnsicht, gebiete_gesperrt: pd.Series) -> tuple[Tabelle, Tabelle]:
    """(Gebiete, Sperrmaske) und (Klassen, Sperrmaske) zum Zeigen und Herunterladen (Spalten mit deutschen Namen).

    `gebiete_gesperrt`: Gebiete, deren Quote für die Rolle gesperrt ist; gesperrt sind dort die leeren Zellen.
    """
    erg = ansicht.ergebnis
    g = erg.gebiete.rename(columns={ZIELGRUPPE: ansicht.zielgruppe_name, MERKMAL: ansicht.klassen_name})
    g = g.reset_index(names="ID")
    spalten = [TEILNEHMENDE, ansicht.zielgruppe_name, QUOTE]
    sperre = gebiete_gesperrt.reindex(erg.gebiete.index, fill_value=False).to_numpy(bool)
    g_maske = pd.DataFrame({s: sperre & g[s].isna().to_numpy() for s in spalten})
    k = erg.klassen.rename(columns={ZIELGRUPPE: ansicht.zielgruppe_name})
    k_maske = pd.DataFrame({s: k["gesperrt"].to_numpy(bool) for s in spalten})
    return (g, g_maske), (k.drop(columns="gesperrt"), k_maske)


def reichweite_diagramm(ansicht: ReichweiteAnsicht, stand: str = "") -> alt.Chart:
    """Säulen „Reichweite nach Klasse“: Teilnahmequote je Klasse (gesperrte Klassen beschriftet, ohne Säule)."""
    k = ansicht.ergebnis.klassen.copy()
    k["Quote"] = k[QUOTE]
    k["Bezeichnung"] = [b.replace(" (", "\n(") for b in k["Bezeichnung"]]
    k["Beschriftung"] = [
        GESPERRT_TEXT if g else f"{zahl(q, 1)} %" for g, q in zip(k["gesperrt"], k[QUOTE], strict=True)
    ]
    basis = alt.Chart().encode(
        x=alt.X("Bezeichnung:N", sort=list(k["Bezeichnung"]), title=f"Klassen nach {ansicht.klassen_name}",
                axis=alt.Axis(labelAngle=0, labelExpr=MEHRZEILIG)),
    )  # fmt: skip
    saeulen = basis.mark_bar(color="#2c7fb8").encode(
        y=alt.Y("Quote:Q", title="Teilnahmequote (%)", axis=alt.Axis(format=",.1f")),
        tooltip=[
            alt.Tooltip("Bezeichnung:N", title="Klasse"),
            alt.Tooltip("Quote:Q", title="Teilnahmequote (%)", format=",.1f"),
            alt.Tooltip("Gebiete:Q", title="Gebiete"),
        ],
    )
    text = basis.mark_text(dy=-8, fontSize=SCHRIFT - 2).encode(
        y=alt.Y("hoehe:Q"), text="Beschriftung:N"
    ).transform_calculate(hoehe="isValid(datum.Quote) ? datum.Quote : 0")  # fmt: skip
    titel = f"Reichweite nach Klasse: {ansicht.definition.name}"
    untertitel = f"Stand: {stand}" if stand else ""
    return (
        alt.layer(saeulen, text, data=k)
        .properties(
            height=320,
            title=alt.TitleParams(text=titel, subtitle=untertitel, anchor="start", fontSize=SCHRIFT + 2, limit=0),
        )
        .configure(locale=DEUTSCH)
        .configure_axis(labelFontSize=SCHRIFT - 2, titleFontSize=SCHRIFT - 1, labelLimit=320)
        .configure_view(stroke=None)
    )

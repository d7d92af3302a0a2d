"""Hinweis, wenn eine Karte großteils gesperrt ist: auf welcher gröberen Ebene mehr zu sehen ist.

Kleine Zahlen werden gesperrt; auf feinen Ebenen (Gemeinden eines Landkreises, Gruppen je Planungsraum) ist das
oft die Mehrheit der Gebiete. Statt einer grauen Karte nennt der Hinweis die nächste gröbere Ebene der
Elternkette, auf der ein größerer Anteil sichtbar ist – dieselbe Geheimhaltung, nur gröber zusammengefasst.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from kommune.format import mehrzahl, zahl
from kommune.laden import Kommune

#: Ab diesem Anteil gesperrter Gebiete (unter denen mit Daten) gibt es den Hinweis
SCHWELLE = 0.5

#: (Werte, Sperrmaske) einer Ebene für das, was die Karte zeigt
WerteUndMaske = Callable[[str], tuple[pd.Series, pd.Series]]


@dataclass(frozen=True)
class Sichtbarkeit:
    """Wie viele Gebiete einer Ebene Daten haben und wie viele davon gesperrt sind."""

    ebene: str
    mit_daten: int
    gesperrt: int

    @property
    def sichtbar(self) -> int:
        return self.mit_daten - self.gesperrt

    @property
    def anteil_gesperrt(self) -> float:
        return self.gesperrt / self.mit_daten if self.mit_daten else 0.0


def sichtbarkeit(ebene: str, werte: pd.Series, maske: pd.Series) -> Sichtbarkeit:
    """Gebiete mit Daten (sichtbarer Wert oder gesperrt) und gesperrte Gebiete."""
    maske = maske.reindex(werte.index, fill_value=False).astype(bool)
    return Sichtbarkeit(ebene, int((maske | werte.notna()).sum()), int(maske.sum()))


def groebere_ebenen(kommune: Kommune, ebene: str) -> list[str]:
    """Die Elternkette einer statistischen Ebene (nächste zuerst); Einzugsbereiche haben keine."""
    kette, s = [], kommune.schicht(ebene)
    while s.eltern:
        kette.append(s.eltern)
        s = kommune.schicht(s.eltern)
    return kette


def vorschlag(kommune: Kommune, hier: Sichtbarkeit, werte_fn: WerteUndMaske) -> Sichtbarkeit | None:
    """Ist mindestens die Hälfte gesperrt: die nächste gröbere Ebene mit kleinerem gesperrtem Anteil und mehr als
    einem sichtbaren Gebiet (sonst None). `werte_fn(ebene)` rechnet erst, wenn der Hinweis nötig ist."""
    if hier.mit_daten == 0 or hier.anteil_gesperrt < SCHWELLE:
        return None
    for e in groebere_ebenen(kommune, hier.ebene):
        dort = sichtbarkeit(e, *werte_fn(e))
        if dort.sichtbar > 1 and dort.anteil_gesperrt < hier.anteil_gesperrt:
            return dort
    return None


def hinweis_text(kommune: Kommune, hier: Sichtbarkeit, dort: Sichtbarkeit | None) -> str | None:
    """„30 von 34 Gemeinden sind gesperrt (Geheimhaltung kleiner Zahlen). Je Verbandsgemeinde: 9 von 10 sichtbar.“"""
    if hier.mit_daten == 0 or hier.anteil_gesperrt < SCHWELLE:
        return None
    name = kommune.schicht(hier.ebene).name
    satz = (
        f"{zahl(hier.gesperrt, 0)} von {zahl(hier.mit_daten, 0)} "
        f"{mehrzahl(name) if hier.mit_daten != 1 else name} "
        f"{'sind' if hier.gesperrt != 1 else 'ist'} gesperrt (Geheimhaltung kleiner Zahlen)."
    )
    if dort is None:
        return satz
    je = kommune.schicht(dort.ebene).name
    return f"{satz} Je {je}: {zahl(dort.sichtbar, 0)} von {zahl(dort.mit_daten, 0)} sichtbar."

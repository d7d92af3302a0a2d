"""Zwischenspeicher, die an dem Objekt hängen, aus dem sie abgeleitet sind (meist die `Kommune`).

Warum nicht ein Modul-Wörterbuch mit `id(kommune)` als Schlüssel: Dessen Einträge überleben die Kommune.
Hält ein Wert sie (oder ihre Tabellen) selbst fest, stirbt sie nie – jeder Neuladen (Import, geänderte
Datei, Streamlits `clear_cache`) behielte die alte Kommune samt aller Pläne im Speicher (13–27 MB je
Neuladen bei Berlin). Ein `Objektcache` legt seine Einträge deshalb in ein Wörterbuch AM Objekt: Stirbt
das Objekt, sterben sie mit (auch wenn ein Wert auf das Objekt zurückzeigt – dann räumt der Garbage
Collector den Kreis ab). Das Modul kennt die lebenden Objekte nur über schwache Referenzen (zum Zählen
und für `leeren`); deren Rückruf trägt ein Objekt aus, sobald es stirbt.

Ein Objekt braucht dafür ein `__dict__` (Dataclasses wie `Kommune`, GeoDataFrames); Kopien
(`dataclasses.replace`, `DataFrame.copy`) beginnen mit leerem Cache.
"""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

#: Name des Attributs, unter dem ein Objekt seine Caches trägt (ein Wörterbuch je Cache-Name).
ATTRIBUT = "_zwischenspeicher"
_FEHLT = object()


def haufen_einfrieren() -> None:
    """Nach dem Laden einer Kommune: alles Langlebige aus der zyklischen Speicherbereinigung nehmen (`gc.freeze`).

    Eine Kommune hält Zehntausende Python-Objekte (Texte in pandas-Spalten, Geometrien); ohne das durchsucht jede
    volle Sammlung sie erneut, und der Lauf, in den sie zufällig fällt, wartet (Berlin: erste Umrechnung in einem
    frischen Prozess 47–57 statt 22–32 ms). Vorher Eingefrorenes wird zuerst aufgetaut und einmal gesammelt,
    damit ein ersetzter Stand samt seiner Kreise (Cache-Werte, die auf die Kommune zeigen) frei wird.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class Objektcache:
    """Ein benannter Cache je Objekt: `holen(objekt, schluessel, rechnen)`; Einträge leben so lange wie das Objekt.

    `max_je_objekt` begrenzt die Einträge je Objekt (die ältesten fallen heraus), `None` = unbegrenzt.
    """

    def __init__(self, name: str, max_je_objekt: int | None = None) -> None:
        self.name = name
        self.max_je_objekt = max_je_objekt
        self._objekte: dict[int, weakref.ref] = {}
        self._sperre = threading.RLock()
        #: Einträge, die gerade gerechnet werden: (id des Objekts, Schlüssel) → (Sperre, Anzahl Threads daran)
        self._rechnend: dict[tuple[int, Hashable], tuple[threading.RLock, int]] = {}

    def _eintraege(self, objekt: Any, anlegen: bool) -> dict | None:
        alle = vars(objekt).get(ATTRIBUT)
        if alle is None:
            if not anlegen:
                return None
            alle = {}
            object.__setattr__(objekt, ATTRIBUT, alle)
        eintraege = alle.get(self.name)
        if eintraege is None and anlegen:
            eintraege = alle[self.name] = {}
            self._anmelden(objekt)
        return eintraege

    def _anmelden(self, objekt: Any) -> None:
        schluessel = id(objekt)

        def austragen(ref: weakref.ref, schluessel: int = schluessel, objekte: dict = self._objekte) -> None:
            if objekte.get(schluessel) is ref:
                objekte.pop(schluessel, None)

        self._objekte[schluessel] = weakref.ref(objekt, austragen)

    def get(self, objekt: Any, schluessel: Hashable, standard: Any = None) -> Any:
        """Der gespeicherte Wert oder `standard`."""
        with self._sperre:
            eintraege = self._eintraege(objekt, anlegen=False)
            return standard if eintraege is None else eintraege.get(schluessel, standard)

    def setzen(self, objekt: Any, schluessel: Hashable, wert: Any) -> None:
        """Einen Wert am Objekt ablegen (bei `max_je_objekt` fällt der älteste heraus)."""
        with self._sperre:
            eintraege = self._eintraege(objekt, anlegen=True)
            eintraege.pop(schluessel, None)
            eintraege[schluessel] = wert
            if self.max_je_objekt is not None:
                while len(eintraege) > self.max_je_objekt:
                    del eintraege[next(iter(eintraege))]

    def holen(self, objekt: Any, schluessel: Hashable, rechnen: Callable[[], T]) -> T:
        """Gespeicherten Wert liefern, sonst `rechnen()` aufrufen und ablegen.

        Fehlt derselbe Eintrag mehreren Threads zugleich (z. B. 20 Sitzungen öffnen dieselbe Karte, während der
        Server vorwärmt), rechnet nur einer; die anderen warten auf sein Ergebnis. Verschiedene Einträge
        rechnen parallel.
        """
        wert = self.get(objekt, schluessel, _FEHLT)
        if wert is not _FEHLT:
            return wert
        platz = (id(objekt), schluessel)
        with self._sperre:
            sperre, wartende = self._rechnend.get(platz, (None, 0))
            sperre = sperre or threading.RLock()
            self._rechnend[platz] = (sperre, wartende + 1)
        try:
            with sperre:
                wert = self.get(objekt, schluessel, _FEHLT)
                if wert is _FEHLT:
                    wert = rechnen()
                    self.setzen(objekt, schluessel, wert)
                return wert
        finally:
            with self._sperre:
                sperre, wartende = self._rechnend[platz]
                if wartende <= 1:
                    del self._rechnend[platz]
                else:
                    self._rechnend[platz] = (sperre, wartende - 1)

    def _lebende(self) -> list[Any]:
        while True:
            try:  # ein Rückruf (Garbage Collector) kann das Wörterbuch währenddessen ändern
                refs = list(self._objekte.values())
                break
            except RuntimeError:  # pragma: no cover
                continue
        return [o for o in (r() for r in refs) if o is not None]

    def leeren(self) -> None:
        """Die Einträge dieses Caches an allen lebenden Objekten verwerfen."""
        with self._sperre:
            for objekt in self._lebende():
                vars(objekt).get(ATTRIBUT, {}).pop(self.name, None)
            self._objekte.clear()

    def __len__(self) -> int:
        """Anzahl der Einträge über alle lebenden Objekte."""
        with self._sperre:
            return sum(len(vars(o).get(ATTRIBUT, {}).get(self.name, ())) for o in self._lebende())

    def objekte(self) -> int:
        """Anzahl der lebenden Objekte mit Einträgen."""
        return len(self._lebende())


class Begrenzt(dict):
    """Ein Wörterbuch mit höchstens `groesse` Einträgen (die zuletzt benutzten bleiben) – für Caches nach
    Inhalt (z. B. Geometrie-Hash), die kein Objekt festhalten, aber nicht ohne Grenze wachsen sollen."""

    def __init__(self, groesse: int) -> None:
        super().__init__()
        self.groesse = groesse
        self._sperre = threading.RLock()

    def __getitem__(self, schluessel: Hashable) -> Any:
        with self._sperre:
            wert = super().pop(schluessel)
            super().__setitem__(schluessel, wert)
            return wert

    def get(self, schluessel: Hashable, standard: Any = None) -> Any:
        with self._sperre:
            return self[schluessel] if schluessel in self else standard

    def __setitem__(self, schluessel: Hashable, wert: Any) -> None:
        with self._sperre:
            super().pop(schluessel, None)
            super().__setitem__(schluessel, wert)
            while len(self) > self.groesse:
                super().__delitem__(next(iter(self)))

"""Fehler, die Nutzerinnen und Nutzern als ein deutscher Satz gezeigt werden."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import NoReturn


class KommuneFehler(Exception):
    """Ein Problem mit den Daten oder der Konfiguration einer Kommune.

    Die Meldung ist ein vollständiger deutscher Satz, der Datei, Zeile und Spalte nennt,
    soweit sie bekannt sind. Sie wird ohne Traceback angezeigt.
    """

    def __init__(
        self,
        meldung: str,
        *,
        datei: str | None = None,
        zeile: int | None = None,
        spalte: str | None = None,
    ) -> None:
        self.meldung = meldung
        self.datei = datei
        self.zeile = zeile
        self.spalte = spalte
        super().__init__(self.text)

    @property
    def text(self) -> str:
        """Die Meldung mit Fundstelle (Datei, Zeile, Spalte)."""
        ort = []
        if self.datei:
            ort.append(f"Datei „{self.datei}“")
        if self.zeile is not None:
            ort.append(f"Zeile {self.zeile}")
        if self.spalte:
            ort.append(f"Spalte „{self.spalte}“")
        return f"{', '.join(ort)}: {self.meldung}" if ort else self.meldung


def befehl_ausfuehren(aufruf: Callable[[], int | None]) -> int:
    """Einen Kommandozeilenbefehl ausführen: `KommuneFehler` wird eine deutsche Zeile auf stderr, Rückgabe 1."""
    try:
        return aufruf() or 0
    except KommuneFehler as e:
        print(f"Fehler: {e.text}", file=sys.stderr)
        return 1


class Befehlszeile(argparse.ArgumentParser):
    """`argparse` mit deutscher Fehlermeldung: falsche Argumente ergeben eine Zeile auf stderr, Rückgabe 2."""

    def error(self, message: str) -> NoReturn:
        """Statt der englischen argparse-Meldung ein deutscher Satz (die Einzelheit in Klammern)."""
        print(
            f"Fehler: Die Argumente sind ungültig ({message}). Hilfe: {self.prog} --help",
            file=sys.stderr,
        )
        raise SystemExit(2)

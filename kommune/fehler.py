"""Fehler, die Nutzerinnen und Nutzern als ein deutscher Satz gezeigt werden."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
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
    """Einen Kommandozeilenbefehl ausführen: `KommuneFehler` wird eine deutsche Zeile auf stderr, Rückgabe 1.

    Ein Fehler des Dateisystems (voll, keine Rechte) wird ebenso als deutscher Satz gemeldet.
    """
    try:
        return aufruf() or 0
    except KommuneFehler as e:
        print(f"Fehler: {e.text}", file=sys.stderr)
        return 1
    except OSError as e:
        ort = f" („{e.filename}“)" if e.filename else ""
        print(f"Fehler: Eine Datei lässt sich nicht lesen oder schreiben{ort}: {e.strerror or e}.", file=sys.stderr)
        return 1


def _probe_schreiben(ordner: Path, text: str) -> None:
    """Im Ordner probeweise eine Datei anlegen (Rechte, Nur-Lese-Dateisystem – auch für root ehrlich)."""
    import tempfile

    try:
        with tempfile.NamedTemporaryFile(dir=ordner, prefix=".probe-", suffix=".tmp"):
            pass
    except OSError:
        raise KommuneFehler(
            f"In „{ordner}“ kann nicht geschrieben werden (schreibgeschützt oder voll).", datei=text
        ) from None


def ausgabe_pruefen(pfad: str | os.PathLike[str], endungen: tuple[str, ...] = ()) -> Path:
    """Eine Ausgabedatei vor der Arbeit prüfen: kein Nullzeichen, kein Ordner, kein Ordner unter einer Datei.

    So scheitert ein Befehl, bevor er etwas anlegt (z. B. eine neue Datenversion), nicht erst danach.
    """
    text = os.fspath(pfad)
    if "\x00" in text or not text.strip():
        raise KommuneFehler("Der Name der Ausgabedatei ist ungültig (leer oder mit Nullzeichen).")
    ziel = Path(text)
    if endungen and ziel.suffix.lower() not in endungen:
        raise KommuneFehler(
            f"Das Ausgabeformat „{ziel.suffix or ziel.name}“ wird nicht unterstützt: die Ausgabedatei muss auf "
            f"{' oder '.join(endungen)} enden.",
            datei=text,
        )
    try:
        if ziel.is_dir():
            raise KommuneFehler("Die Ausgabedatei ist ein Ordner.", datei=text)
        for oben in ziel.parents:
            if oben.exists():
                if not oben.is_dir():
                    raise KommuneFehler(f"„{oben}“ ist eine Datei, kein Ordner.", datei=text)
                _probe_schreiben(oben, text)
                break
        if ziel.exists() and not os.access(ziel, os.W_OK):
            raise KommuneFehler("Die Ausgabedatei ist schreibgeschützt.", datei=text)
    except OSError as e:
        raise KommuneFehler(f"Die Ausgabedatei ist nicht zulässig ({e.strerror}).", datei=text) from None
    return ziel


class Befehlszeile(argparse.ArgumentParser):
    """`argparse` mit deutscher Fehlermeldung: falsche Argumente ergeben eine Zeile auf stderr, Rückgabe 2."""

    def error(self, message: str) -> NoReturn:
        """Statt der englischen argparse-Meldung ein deutscher Satz (die Einzelheit in Klammern)."""
        print(
            f"Fehler: Die Argumente sind ungültig ({message}). Hilfe: {self.prog} --help",
            file=sys.stderr,
        )
        raise SystemExit(2)

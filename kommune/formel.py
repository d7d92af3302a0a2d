"""Kleine Summenformeln über Indikator-IDs („inhabitants_age_below_6 + inhabitants_age_6_15“).

Gebraucht von den Katalogspalten `nenner` und `gewicht` (Bezugsgröße als Summe von Altersgruppen) und von
den Zielgruppen der Versorgung (`geodata.versorgung`). Rein, ohne Abhängigkeiten.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Eine Indikator-ID in einer Formel (wie im Katalog: Buchstaben, Ziffern, „_“, „.“).
_ID = r"[A-Za-z0-9_][A-Za-z0-9_.]*"
_TEIL = re.compile(rf"([+-]?)\s*({_ID})")
_SUMME = re.compile(rf"^\s*(?:[+-]\s*)?{_ID}(?:\s*[+-]\s*{_ID})*\s*$")


def formel_teile(formel: str) -> list[tuple[float, str]]:
    """``"a + b - c"`` → ``[(1, "a"), (1, "b"), (-1, "c")]``; ohne ID ein `ValueError`."""
    teile = _TEIL.findall(formel)
    if not teile:
        raise ValueError(f"Leere Formel „{formel}“.")
    return [(-1.0 if z == "-" else 1.0, i) for z, i in teile]


def summenformel(text: str) -> tuple[tuple[float, str], ...]:
    """Streng: ``"a + b - c"`` → ``((1, "a"), (1, "b"), (-1, "c"))``; alles andere als Summen/Differenzen von
    IDs ist ein `ValueError` (für Angaben in der kommune.toml, die ganz stimmen müssen)."""
    if not _SUMME.match(text):
        raise ValueError(f"„{text[:80]}“ ist keine Summe von Indikator-IDs (erlaubt: „a“, „a + b“, „a - b“).")
    return tuple(formel_teile(text))


def bezug_teile(text: str, ids: Iterable[str]) -> list[tuple[float, str]] | None:
    """Die Teile einer Bezugsgröße aus dem Katalog: eine ID oder eine Formel aus bekannten IDs.

    Eine ID, die es im Katalog gibt, gilt als Ganzes (auch mit „-“ im Namen). Leerer Text → None; eine Formel,
    die eine unbekannte ID nennt oder nicht vollständig aus IDs und „+“/„-“ besteht, ebenfalls None.
    """
    text = str(text or "").strip()
    bekannt = set(ids)
    if not text:
        return None
    if text in bekannt:
        return [(1.0, text)]
    if _TEIL.sub("", text).strip():
        return None
    teile = formel_teile(text)
    return teile if all(i in bekannt for _, i in teile) else None


def formel_text(teile: list[tuple[float, str]]) -> str:
    """Die Teile wieder als Text: ``[(1, "a"), (-1, "b")]`` → ``"a - b"``."""
    text = " ".join(("-" if f < 0 else "+") + " " + i for f, i in teile)
    return text[2:] if text.startswith("+ ") else text


def jahresabstand(p: str, periode: str) -> float:
    """Abstand zweier Perioden in Jahren (nach ihrer Jahreszahl); ohne Jahreszahl unendlich."""
    a, b = re.match(r"^(\d{4})", p), re.match(r"^(\d{4})", periode)
    return abs(int(a.group(1)) - int(b.group(1))) if a and b else float("inf")


def perioden_nach_naehe(perioden: Iterable[str], periode: str) -> list[str]:
    """Perioden nach Nähe zu `periode`: sie selbst, dann nach Jahresabstand; bei gleichem Abstand die früheren vor
    den späteren (die jüngste frühere zuerst). Perioden ohne Jahreszahl zuletzt."""
    vorhanden = sorted(set(perioden))
    frueher = [p for p in reversed(vorhanden) if p <= periode]
    spaeter = [p for p in vorhanden if p > periode]
    return sorted(frueher + spaeter, key=lambda p: (p != periode, jahresabstand(p, periode), p > periode))


def naechste_periode(perioden: Iterable[str], periode: str) -> str | None:
    """Die Periode, die `periode` am nächsten liegt (s. `perioden_nach_naehe`), ohne Perioden None."""
    reihe = perioden_nach_naehe(perioden, periode)
    return reihe[0] if reihe else None

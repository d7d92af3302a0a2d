"""Kurze Zufallscodes zum Vorlesen und Abtippen (Fehlerreferenzen, Vorführungen im Sitzungsmodus)."""

from __future__ import annotations

import secrets

#: Zeichen eines Codes: ohne leicht verwechselbare (0/O, 1/I/L)
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def zufallscode(laenge: int = 6) -> str:
    """Ein zufälliger Code wie „K7QX2M“ (kryptografisch zufällig)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(laenge))

"""Vorführen im Sitzungsmodus: ein Gerät führt, andere folgen – auch auf anderen App-Servern.

Der Vorführende schreibt bei jedem Schritt die gezeigte Ansicht in den geteilten Zustand der Ablage
(`kommune.ablage.Ablage.zustand_schreiben`, Schlüssel „vorfuehrung-<Code>“); ein Tablet mit `?folgen=<Code>` liest
ihn alle paar Sekunden und zeigt dieselbe Ansicht. Der Code entsteht auf dem Server (6 Zeichen, ≈ 887 Mio.
Möglichkeiten), niemand wählt ihn selbst: wer ihn nicht kennt, kann keiner Vorführung folgen oder sie lenken.
Gelesenes wird wie ein geteilter Link geprüft (`query_zu_ansicht`); Kaputtes gilt als „keine Vorführung“.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from berichte.sitzung import (
    FOLGEN_PARAMETER,
    Ansicht,
    SitzungsFehler,
    ansicht_zu_query,
    kommune_parameter,
    query_zu_ansicht,
)
from kommune.ablage import Ablage
from kommune.fehler import KommuneFehler
from kommune.zufallscode import ALPHABET, zufallscode

CODE = re.compile(rf"^[{ALPHABET}]{{6}}$")
#: Eine Vorführung ohne neuen Schritt gilt nach so vielen Sekunden als beendet (Sitzungen dauern Stunden)
HOECHSTALTER_S = 12 * 3600


@dataclass(frozen=True)
class Vorfuehrung:
    """Was ein folgendes Gerät zeigt: die Ansicht, ihr Schritt im Ablauf, Titel des Ablaufs und eine laufende Nummer."""

    ansicht: Ansicht
    schritt: int
    anzahl: int
    titel: str
    nummer: int
    zeit: float


def neuer_code() -> str:
    """Ein neuer, zufälliger Code wie „K7QX2M“."""
    return zufallscode(6)


def code_pruefen(code: Any) -> str:
    """Der Code aus der Adresse (groß geschrieben), sonst `SitzungsFehler`."""
    text = str(code or "").strip().upper()
    if not CODE.match(text):
        raise SitzungsFehler("Der Code der Vorführung ist ungültig (6 Zeichen, z. B. „K7QX2M“).")
    return text


def folgen_link(adresse: str, kommune_id: str, code: str) -> str:
    """Der Link, mit dem ein Gerät der Vorführung folgt (`adresse`: Seitenadresse des Sitzungsmodus)."""
    return f"{adresse}?{urlencode({**kommune_parameter(kommune_id), FOLGEN_PARAMETER: code_pruefen(code)})}"


def _schluessel(code: str) -> str:
    return f"vorfuehrung-{code_pruefen(code)}"


def vorfuehrung_schreiben(
    ablage: Ablage, kommune_id: str, code: str, ansicht: Ansicht, schritt: int, anzahl: int, titel: str
) -> int:
    """Die gezeigte Ansicht für die Folgenden ablegen; gibt die neue laufende Nummer zurück.

    Unverändert Gezeigtes schreibt nichts (jeder Lauf des Vorführenden ruft dies auf)."""
    alt = vorfuehrung_lesen(ablage, kommune_id, code)
    if alt is not None and (alt.ansicht, alt.schritt, alt.anzahl, alt.titel) == (ansicht, schritt, anzahl, titel):
        return alt.nummer
    nummer = (alt.nummer + 1) if alt is not None else 1
    ablage.zustand_schreiben(
        kommune_id,
        _schluessel(code),
        {
            "ansicht": ansicht_zu_query(ansicht, "", mit_text=True),
            "schritt": int(schritt),
            "anzahl": int(anzahl),
            "titel": str(titel)[:120],
            "nummer": nummer,
            "zeit": time.time(),
        },
    )
    return nummer


def vorfuehrung_lesen(ablage: Ablage, kommune_id: str, code: str, *, jetzt: float | None = None) -> Vorfuehrung | None:
    """Die zuletzt gezeigte Ansicht einer Vorführung; None, wenn es sie nicht (mehr) gibt oder sie kaputt ist."""
    try:
        roh = ablage.zustand_lesen(kommune_id, _schluessel(code))
    except KommuneFehler:
        return None
    if not isinstance(roh, dict):
        return None
    try:
        ansicht = query_zu_ansicht(roh["ansicht"], streng=True)
        schritt, anzahl, nummer = (int(roh[k]) for k in ("schritt", "anzahl", "nummer"))
        zeit = float(roh["zeit"])
        titel = str(roh["titel"])
    except (KeyError, TypeError, ValueError, SitzungsFehler):
        return None
    if not (0 <= schritt < max(anzahl, 1)) or (jetzt or time.time()) - zeit > HOECHSTALTER_S:
        return None
    return Vorfuehrung(ansicht, schritt, anzahl, titel[:120], nummer, zeit)

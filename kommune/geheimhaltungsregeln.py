"""Die Regeln der statistischen Geheimhaltung einer Kommune: Abschnitt `[geheimhaltung]`, Rollen, sensible
Indikatoren. Rein und Teil des Datenmodells – Laden, Werte und Importprüfung brauchen sie; angewandt werden
sie in `freigabe.geheimhaltung` (Sperrpläne, Schützen von Tabellen), dort steht auch die Beschreibung der Regeln.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kommune.fehler import KommuneFehler
from kommune.laden import BEVOELKERUNG_KANDIDATEN, Kommune

ANZEIGE_GESPERRT = "."
ROLLEN = ("oeffentlich", "intern", "admin")
ROLLEN_NAMEN = {"oeffentlich": "öffentlich", "intern": "intern", "admin": "Administration"}


@dataclass(frozen=True)
class Regeln:
    """Die Geheimhaltungsregeln einer Kommune (Abschnitt `[geheimhaltung]`)."""

    aktiv: bool = True
    mindestfallzahl: int = 3
    mindestfallzahl_sensibel: int = 5
    mindestnenner: int = 10
    mindestnenner_sensibel: int = 10
    mindestbevoelkerung: int = 300
    bevoelkerung: tuple[str, ...] = ()
    sekundaer: bool = True
    nullen_sperren: bool = False
    intern: str = "sensibel"
    ausgenommen: tuple[str, ...] = ()

    def beschreibung(self) -> list[str]:
        """Die Regeln als deutsche Sätze (für Methodik-Blätter und Hilfetexte)."""
        if not self.aktiv:
            return ["Die Geheimhaltung ist für diese Kommune abgeschaltet (aktiv = false)."]
        zeilen = [
            f"Anzahlen von 1 bis {self.mindestfallzahl - 1} werden gesperrt (Mindestfallzahl {self.mindestfallzahl}; "
            f"bei sensiblen Indikatoren {self.mindestfallzahl_sensibel}).",
            f"Anteile werden gesperrt, wenn ihr Zähler unter der Mindestfallzahl liegt (aber über 0) oder ihr "
            f"Nenner kleiner als {self.mindestnenner} ist (sensibel: {self.mindestnenner_sensibel}).",
            f"In Gebieten mit weniger als {self.mindestbevoelkerung} Einwohnern werden alle Werte außer der "
            "Einwohnerzahl gesperrt"
            + (f" (Einwohner-Indikator: {', '.join(self.bevoelkerung)})." if self.bevoelkerung else "."),
            "Nullen werden gesperrt."
            if self.nullen_sperren
            else "Nullen werden gezeigt (sie verraten nichts über einzelne Personen).",
        ]
        if self.sekundaer:
            zeilen.append(
                "Sekundärsperrung: Ist in einem Elterngebiet genau ein Kindgebiet gesperrt, wird zusätzlich das "
                "kleinste sichtbare Nachbargebiet gesperrt, damit sich der Wert nicht aus der Summe errechnen lässt."
            )
            zeilen.append(
                "Zusätzlich prüft eine lineare Optimierung alle Summenbeziehungen zugleich (Ebenen, Anteil und "
                "Zähler, Gruppen mit Gesamtwert, Einzugsbereiche nach Flächenanteilen) und sperrt weiter, bis sich "
                "kein gesperrter Wert mehr exakt errechnen lässt."
            )
        if self.ausgenommen:
            zeilen.append("Ohne Geheimhaltung: " + ", ".join(self.ausgenommen) + ".")
        zeilen.append(f"Gesperrte Werte erscheinen als „{ANZEIGE_GESPERRT}“.")
        return zeilen


def _zahl(roh: Mapping[str, Any], name: str, standard: int) -> int:
    wert = roh.get(name, standard)
    if isinstance(wert, bool) or not isinstance(wert, int) or wert < 0:
        raise KommuneFehler(f"[geheimhaltung] „{name}“ muss eine ganze Zahl ab 0 sein, nicht „{wert}“.")
    return wert


def _wahr(roh: Mapping[str, Any], name: str, standard: bool) -> bool:
    wert = roh.get(name, standard)
    if not isinstance(wert, bool):
        raise KommuneFehler(f"[geheimhaltung] „{name}“ muss true oder false sein, nicht „{wert}“.")
    return wert


def _liste(roh: Mapping[str, Any], name: str) -> tuple[str, ...]:
    wert = roh.get(name, [])
    if isinstance(wert, str):
        wert = [wert]
    if not isinstance(wert, list):
        raise KommuneFehler(f"[geheimhaltung] „{name}“ muss eine Liste von Indikator-IDs sein.")
    return tuple(str(w) for w in wert)


def regeln_aus_abschnitt(
    roh: Mapping[str, Any], katalog: pd.DataFrame | None = None, bevoelkerung_angabe: str | None = None
) -> Regeln:
    """Den Abschnitt `[geheimhaltung]` prüfen und in `Regeln` übersetzen (fehlende Schlüssel: Standard).

    `bevoelkerung_angabe`: der Indikator aus `[bevoelkerung]`; er gilt, wenn `bevoelkerung` hier fehlt.
    """
    if not isinstance(roh, Mapping):
        raise KommuneFehler("[geheimhaltung] muss ein Abschnitt mit Schlüsseln sein.")
    erlaubt = {f for f in Regeln.__dataclass_fields__}
    unbekannt = sorted(set(roh) - erlaubt)
    if unbekannt:
        raise KommuneFehler(
            f"Unbekannter Schlüssel „{unbekannt[0]}“ in [geheimhaltung]. Erlaubt sind: {', '.join(sorted(erlaubt))}."
        )
    mindestnenner = _zahl(roh, "mindestnenner", 10)
    intern = str(roh.get("intern", "sensibel"))
    if intern not in ("sensibel", "alle", "keine"):
        raise KommuneFehler(f"[geheimhaltung] „intern“ muss „sensibel“, „alle“ oder „keine“ sein, nicht „{intern}“.")
    bevoelkerung = _liste(roh, "bevoelkerung")
    if katalog is not None:
        unbekannt = [b for b in bevoelkerung if b not in katalog.index]
        if unbekannt:
            raise KommuneFehler(
                f"[geheimhaltung] „bevoelkerung“ nennt „{unbekannt[0]}“, das nicht im Indikatorenkatalog steht."
            )
        if not bevoelkerung and bevoelkerung_angabe in katalog.index:
            bevoelkerung = (str(bevoelkerung_angabe),)
        if not bevoelkerung:  # Sicherung ohne [bevoelkerung]: am Namen erkannt (das Laden gibt dazu einen Hinweis)
            bevoelkerung = tuple(
                k for k in BEVOELKERUNG_KANDIDATEN if k in katalog.index and katalog.loc[k, "art"] == "anzahl"
            )
    return Regeln(
        aktiv=_wahr(roh, "aktiv", True),
        mindestfallzahl=max(_zahl(roh, "mindestfallzahl", 3), 1),
        mindestfallzahl_sensibel=max(_zahl(roh, "mindestfallzahl_sensibel", 5), 1),
        mindestnenner=mindestnenner,
        mindestnenner_sensibel=_zahl(roh, "mindestnenner_sensibel", mindestnenner),
        mindestbevoelkerung=_zahl(roh, "mindestbevoelkerung", 300),
        bevoelkerung=bevoelkerung,
        sekundaer=_wahr(roh, "sekundaer", True),
        nullen_sperren=_wahr(roh, "nullen_sperren", False),
        intern=intern,
        ausgenommen=_liste(roh, "ausgenommen"),
    )


def regeln_fuer(kommune: Kommune) -> Regeln:
    """Die Regeln einer geladenen Kommune (aus `[geheimhaltung]`, sonst Standard)."""
    roh = kommune.konfiguration.erweiterungen.get("geheimhaltung", {})
    angabe = kommune.konfiguration.bevoelkerung
    return regeln_aus_abschnitt(roh, kommune.katalog, angabe.indikator if angabe else None)


def rolle_pruefen(rolle: str) -> str:
    """Rollennamen vereinheitlichen („öffentlich“ → „oeffentlich“); unbekannte Rollen ablehnen."""
    r = str(rolle).strip().lower().replace("ö", "oe")
    if r not in ROLLEN:
        raise KommuneFehler(f"Die Rolle „{rolle}“ gibt es nicht (oeffentlich, intern oder admin).")
    return r


def sensibel_je_indikator(kat: pd.DataFrame) -> dict[str, bool]:
    """Sensibel sind Katalog-Indikatoren mit `sensibel`, Anteile mit sensiblem Zähler und Zähler sensibler Anteile."""
    s = {i: bool(v) for i, v in zip(kat.index, kat["sensibel"].to_numpy(), strict=True)}
    for i, z in zip(kat.index, kat["zaehler"].to_numpy(), strict=True):
        if z in s and (s[z] or s[i]):
            s[i] = s[z] = True
    return s

"""Rollen, Seiten je Rolle und lokale Benutzer mit gesalzenen Passwort-Hashes (rein, ohne Streamlit).

Rollen, aufsteigend: ``oeffentlich`` (nur veröffentlichte Aggregate, Geheimhaltung erzwungen),
``traeger`` (Partnerorganisation: wie öffentlich, dazu die eigenen Angebote pflegen), ``intern`` (Fachkräfte der
Verwaltung), ``admin`` (Import, Konfiguration, Prüfung der Angebote). Eine höhere Rolle darf alles, was eine
niedrigere darf; Zahlen sieht ein Träger wie die Öffentlichkeit (`werte_rolle`).

Benutzerdatei (TOML, Pfad in ``BILDUNGSMONITOR_BENUTZER``)::

    [[benutzer]]
    name = "mueller"
    rolle = "intern"
    salz = "…hex…"
    hash = "…hex…"           # PBKDF2-HMAC-SHA256, 600.000 Runden
    traeger = "awo"          # nur bei rolle = "traeger": die Träger-ID im Angebotsregister (Pflicht)

Anlegen: ``python -m oberflaeche.benutzer NAME --rolle intern`` (fragt das Passwort ab). Namen: 1 bis 64
Zeichen aus Buchstaben, Ziffern und ``. _ @ -``; ein Name darf nur einmal vorkommen (sonst gilt die Datei
als fehlerhaft und niemand wird angemeldet).
Rollen für die OIDC-Anmeldung (``st.login``): Datei in ``BILDUNGSMONITOR_ROLLEN`` mit
``[rollen]`` ``"person@stadt.de" = "admin"`` oder ``"@stadt.de" = "intern"`` (ganze Domain). Eine Rolle
über „öffentlich“ gibt es nur, wenn der Identitätsanbieter die Adresse als bestätigt meldet
(``email_verified = true``); sonst könnte jede selbst eingetragene Adresse eine Rolle erhalten. Träger:
``[traeger]`` ``"person@awo.de" = "awo"`` oder ``"@awo.de" = "awo"`` (Rolle ``traeger`` mit dieser Träger-ID).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import tomllib
from pathlib import Path

from kommune.fehler import KommuneFehler

ROLLEN = ("oeffentlich", "traeger", "intern", "admin")
ROLLEN_NAMEN = {
    "oeffentlich": "Öffentlich", "traeger": "Träger (Partner)", "intern": "Intern (Verwaltung)",
    "admin": "Administration",
}  # fmt: skip
#: Erlaubte Träger-IDs (wie `id`/`traeger_id` im Angebotsregister).
TRAEGER_MUSTER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
RUNDEN = 600_000
#: Erlaubte Benutzernamen (keine Anführungszeichen, Zeilenumbrüche oder Leerzeichen).
NAME_MUSTER = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")

#: Mindestrolle je Seite (Dateiname in seiten/).
SEITEN_ROLLE = {
    "uebersicht": "oeffentlich",
    "cockpit": "oeffentlich",
    "karte": "oeffentlich",
    "gebietsprofil": "oeffentlich",
    "vergleich": "oeffentlich",
    "uebergaenge": "oeffentlich",
    "sitzung": "oeffentlich",
    "index_baukasten": "intern",
    "angebote": "intern",
    "angebote_finden": "oeffentlich",
    "meine_angebote": "traeger",
    "angebote_pruefen": "admin",
    "datenimport": "admin",
}


def werte_rolle(rolle: str) -> str:
    """Die Rolle, nach der Zahlen geschützt werden: ein Träger sieht sie wie die Öffentlichkeit."""
    return "oeffentlich" if rolle == "traeger" else rolle


def rang(rolle: str) -> int:
    """Position der Rolle (unbekannt = -1)."""
    return ROLLEN.index(rolle) if rolle in ROLLEN else -1


def darf(rolle: str, seite: str) -> bool:
    """Darf `rolle` die Seite sehen? Unbekannte Seiten nur für admin."""
    return rang(rolle) >= rang(SEITEN_ROLLE.get(seite, "admin"))


def passwort_hash(passwort: str, salz: bytes | None = None) -> tuple[str, str]:
    """(Salz, Hash) als Hex-Text; PBKDF2-HMAC-SHA256."""
    salz = salz if salz is not None else secrets.token_bytes(16)
    h = hashlib.pbkdf2_hmac("sha256", passwort.encode("utf-8"), salz, RUNDEN)
    return salz.hex(), h.hex()


def name_pruefen(name: str) -> str:
    """Einen Benutzernamen prüfen und zurückgeben; sonst `KommuneFehler` mit deutschem Satz."""
    if not isinstance(name, str) or not NAME_MUSTER.match(name):
        raise KommuneFehler(
            "Der Benutzername ist ungültig: erlaubt sind 1 bis 64 Zeichen aus Buchstaben (ohne Umlaute), "
            "Ziffern und . _ @ - (keine Leerzeichen, Anführungszeichen oder Zeilenumbrüche)."
        )
    return name


def benutzer_lesen(pfad: Path) -> dict[str, dict[str, str]]:
    """Benutzer aus der TOML-Datei: Name → {rolle, salz, hash, traeger}.

    Unlesbare Dateien und unvollständige Einträge (ungültiger Name, unbekannte Rolle, Träger-Konto ohne gültige
    Träger-ID) ergeben keine Benutzer; ein doppelt vergebener Name ist ein `KommuneFehler` (welcher Eintrag gilt,
    wäre sonst unklar).
    """
    try:
        roh = tomllib.loads(pfad.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    eintraege = roh.get("benutzer", [])
    benutzer: dict[str, dict[str, str]] = {}
    namen: list[str] = []
    for eintrag in eintraege if isinstance(eintraege, list) else []:
        if not isinstance(eintrag, dict) or not {"name", "rolle", "salz", "hash"} <= set(eintrag):
            continue
        name = eintrag["name"]
        if isinstance(name, str):
            namen.append(name)
        if not isinstance(name, str) or not NAME_MUSTER.match(name) or eintrag["rolle"] not in ROLLEN:
            continue
        traeger = eintrag.get("traeger", "") if eintrag["rolle"] == "traeger" else ""
        if eintrag["rolle"] == "traeger" and not (isinstance(traeger, str) and TRAEGER_MUSTER.match(traeger)):
            continue
        benutzer[name] = {**{k: str(eintrag[k]) for k in ("rolle", "salz", "hash")}, "traeger": traeger}
    doppelt = sorted({n for n in namen if namen.count(n) > 1})
    if doppelt:
        raise KommuneFehler(
            f"Der Benutzername „{doppelt[0]}“ steht mehrfach in der Benutzerdatei; bitte einen Eintrag entfernen.",
            datei=pfad.name,
        )
    return benutzer


def anmelden(benutzer: dict[str, dict[str, str]], name: str, passwort: str) -> str | None:
    """Die Rolle bei richtigem Passwort, sonst None (Vergleich in konstanter Zeit)."""
    eintrag = benutzer.get(name)
    if eintrag is None:
        passwort_hash(passwort, b"\x00" * 16)  # gleiche Rechenzeit wie bei bekanntem Namen
        return None
    try:
        salz = bytes.fromhex(eintrag["salz"])
    except ValueError:
        return None
    _, h = passwort_hash(passwort, salz)
    return eintrag["rolle"] if hmac.compare_digest(h, eintrag["hash"]) else None


def benutzer_zeile(name: str, rolle: str, passwort: str, traeger: str = "") -> str:
    """Ein TOML-Eintrag für die Benutzerdatei; Name geprüft, jeder Wert als TOML-Zeichenkette maskiert."""
    name_pruefen(name)
    if rolle not in ROLLEN:
        raise KommuneFehler(f"Unbekannte Rolle „{rolle}“ (erlaubt: {', '.join(ROLLEN)}).")
    if (rolle == "traeger") != bool(traeger) or (traeger and not TRAEGER_MUSTER.match(traeger)):
        raise KommuneFehler("Ein Träger-Konto braucht eine gültige Träger-ID (--traeger), andere Rollen keine.")
    salz, h = passwort_hash(passwort)
    werte = {"name": name, "rolle": rolle, "salz": salz, "hash": h, **({"traeger": traeger} if traeger else {})}
    # json.dumps mit ensure_ascii ergibt eine gültige TOML-Zeichenkette (Anführungszeichen, \\, \\uXXXX)
    return "\n[[benutzer]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in werte.items())


def rolle_fuer_email(email: str | None, pfad: Path | None, email_bestaetigt: bool = False) -> str:
    """Rolle einer per OIDC angemeldeten Person: genaue Adresse, dann Domain, sonst öffentlich.

    Nur wenn der Identitätsanbieter die Adresse bestätigt (`email_verified` ist wahr), gibt es mehr als
    „öffentlich“ – eine unbestätigte Adresse kann jede und jeder eintragen.
    """
    if traeger_fuer_email(email, pfad, email_bestaetigt):
        return "traeger"
    rolle = _nachschlagen(email, pfad, email_bestaetigt, "rollen")
    return rolle if rolle in ROLLEN and rolle != "traeger" else "oeffentlich"


def traeger_fuer_email(email: str | None, pfad: Path | None, email_bestaetigt: bool = False) -> str:
    """Die Träger-ID einer bestätigten Adresse aus ``[traeger]`` der Rollendatei (genau, dann Domain), sonst leer."""
    traeger = _nachschlagen(email, pfad, email_bestaetigt, "traeger")
    return traeger if isinstance(traeger, str) and TRAEGER_MUSTER.match(traeger) else ""


def _nachschlagen(email: str | None, pfad: Path | None, bestaetigt: bool, abschnitt: str) -> object:
    if not email or pfad is None or bestaetigt is not True:
        return None
    try:
        zuordnung = tomllib.loads(pfad.read_text(encoding="utf-8")).get(abschnitt, {})
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    if not isinstance(zuordnung, dict):
        return None
    email = email.lower()
    return zuordnung.get(email) or zuordnung.get("@" + email.rsplit("@", 1)[-1])


def modus(umgebung: dict[str, str] | None = None, oidc_konfiguriert: bool = False) -> str:
    """„oidc“, „lokal“ (Benutzerdatei), „demo“ (nur mit `BILDUNGSMONITOR_DEMO=1`) oder „oeffentlich“.

    Ohne Konfiguration gilt die geringste Berechtigung: nur die öffentliche Rolle, keine Anmeldung.
    """
    umgebung = dict(os.environ) if umgebung is None else umgebung
    if oidc_konfiguriert:
        return "oidc"
    if umgebung.get("BILDUNGSMONITOR_BENUTZER"):
        return "lokal"
    if umgebung.get("BILDUNGSMONITOR_DEMO", "").strip().lower() in ("1", "true", "ja", "yes"):
        return "demo"
    return "oeffentlich"

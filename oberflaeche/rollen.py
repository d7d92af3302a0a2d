"""Rollen, Seiten je Rolle und lokale Benutzer mit gesalzenen Passwort-Hashes (rein, ohne Streamlit).

Rollen, aufsteigend: ``oeffentlich`` (nur veröffentlichte Aggregate, Geheimhaltung erzwungen),
``intern`` (Fachkräfte der Verwaltung), ``admin`` (Import, Konfiguration). Eine höhere Rolle darf
alles, was eine niedrigere darf.

Benutzerdatei (TOML, Pfad in ``BILDUNGSMONITOR_BENUTZER``)::

    [[benutzer]]
    name = "mueller"
    rolle = "intern"
    salz = "…hex…"
    hash = "…hex…"           # PBKDF2-HMAC-SHA256, 600.000 Runden

Anlegen: ``python -m oberflaeche.benutzer NAME --rolle intern`` (fragt das Passwort ab).
Rollen für die OIDC-Anmeldung (``st.login``): Datei in ``BILDUNGSMONITOR_ROLLEN`` mit
``[rollen]`` ``"person@stadt.de" = "admin"`` oder ``"@stadt.de" = "intern"`` (ganze Domain).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tomllib
from pathlib import Path

ROLLEN = ("oeffentlich", "intern", "admin")
ROLLEN_NAMEN = {"oeffentlich": "Öffentlich", "intern": "Intern (Verwaltung)", "admin": "Administration"}
RUNDEN = 600_000

#: Mindestrolle je Seite (Dateiname in seiten/).
SEITEN_ROLLE = {
    "uebersicht": "oeffentlich",
    "cockpit": "oeffentlich",
    "karte": "oeffentlich",
    "gebietsprofil": "oeffentlich",
    "vergleich": "oeffentlich",
    "sitzung": "oeffentlich",
    "index_baukasten": "intern",
    "angebote": "intern",
    "datenimport": "admin",
}


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


def benutzer_lesen(pfad: Path) -> dict[str, dict[str, str]]:
    """Benutzer aus der TOML-Datei: Name → {rolle, salz, hash}. Fehlerhafte Einträge werden ignoriert."""
    try:
        roh = tomllib.loads(pfad.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    benutzer = {}
    for eintrag in roh.get("benutzer", []):
        if isinstance(eintrag, dict) and {"name", "rolle", "salz", "hash"} <= set(eintrag):
            if eintrag["rolle"] in ROLLEN:
                benutzer[str(eintrag["name"])] = {k: str(eintrag[k]) for k in ("rolle", "salz", "hash")}
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


def benutzer_zeile(name: str, rolle: str, passwort: str) -> str:
    """Ein TOML-Eintrag für die Benutzerdatei."""
    if rolle not in ROLLEN:
        raise ValueError(f"Unbekannte Rolle „{rolle}“ (erlaubt: {', '.join(ROLLEN)}).")
    salz, h = passwort_hash(passwort)
    return f'\n[[benutzer]]\nname = "{name}"\nrolle = "{rolle}"\nsalz = "{salz}"\nhash = "{h}"\n'


def rolle_fuer_email(email: str | None, pfad: Path | None) -> str:
    """Rolle einer per OIDC angemeldeten Person: genaue Adresse, dann Domain, sonst öffentlich."""
    if not email or pfad is None:
        return "oeffentlich"
    try:
        zuordnung = tomllib.loads(pfad.read_text(encoding="utf-8")).get("rollen", {})
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return "oeffentlich"
    email = email.lower()
    rolle = zuordnung.get(email) or zuordnung.get("@" + email.rsplit("@", 1)[-1])
    return rolle if rolle in ROLLEN else "oeffentlich"


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

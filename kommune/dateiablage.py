"""Die Ablage in Dateien (Standard): Ordner der Kommune mit kommune.toml, Datenordner und Versionen.

Baut auf `kommune.versionen` (Manifest, Versionsordner, Sperre, atomares Anlegen, Wiederherstellen) und
`kommune.laden.kommune_laden` auf. Nur hier (und in diesen beiden Modulen) werden Änderungszeiten und das
Manifest gelesen: `stand()` fasst sie zu einer Marke zusammen, die jeder Cache-Schlüssel oberhalb trägt.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import uuid
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kommune import versionen as vs
from kommune.ablage import AKTIV, ORIGINAL, Stand
from kommune.fehler import KommuneFehler
from kommune.konfiguration import KommuneKonfiguration, konfiguration_lesen

if TYPE_CHECKING:
    from kommune.laden import Kommune

#: Schlüssel für geteilten Zustand: ein Dateiname ohne Pfadtrenner.
_ZUSTAND_SCHLUESSEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
PRESETS = "presets"
SITZUNGEN = "sitzungen"
ZUSTAND = "zustand"


def _ordner(kommune: str) -> Path:
    from kommune.laden import kommune_ordner

    return kommune_ordner(kommune)


@lru_cache(maxsize=32)
def _konf_je_stand(
    ordner: Path, toml_stand: tuple[int, int], umgebung: tuple
) -> tuple[KommuneKonfiguration, tuple[Path, ...]]:
    """Konfiguration und Dateien einer Kommune je Stand der kommune.toml (und der Umgebung, die `${VAR}` in
    Pfaden ersetzt) einmal gelesen, sonst läse jede Frage nach dem Stand die TOML-Datei (Berlin ≈ 20 ms)."""
    konf = konfiguration_lesen(ordner)
    dateien = {konf.ordner / "kommune.toml", konf.katalog}
    dateien |= {konf.daten / s.datei for s in konf.schichten}
    dateien |= {konf.daten / t.datei for t in konf.indikatoren}
    dateien |= {konf.daten / a.datei for a in konf.angebote}
    dateien |= {konf.daten / r.datei for r in konf.raster}
    dateien |= {konf.daten / u.datei for u in konf.uebergaenge}  # Übergangstabellen
    if konf.erreichbarkeit.raster:  # Bevölkerungsgitter der Erreichbarkeit
        dateien.add(konf.daten / konf.erreichbarkeit.raster)
    dateien.add(konf.daten / vs.ORDNER / vs.MANIFEST)  # neuer Datenstand nach Import oder Aktivieren
    return konf, tuple(sorted(dateien))


def _konf_und_dateien(kommune: str) -> tuple[KommuneKonfiguration, tuple[Path, ...]]:
    ordner = _ordner(kommune)
    _, mtime, groesse = _datei_stand(ordner / "kommune.toml")
    return _konf_je_stand(ordner, (mtime, groesse), tuple(sorted(os.environ.items())))


def _konf(kommune: str) -> KommuneKonfiguration:
    return _konf_und_dateien(kommune)[0]


def _datei_stand(p: Path) -> tuple[str, int, int]:
    try:
        s = p.stat()
    except OSError:
        return (str(p), 0, -1)
    return (str(p), s.st_mtime_ns, s.st_size)


def dateien_der_kommune(kommune: str) -> tuple[Path, ...]:
    """Die Originaldateien einer Kommune (kommune.toml, Katalog, Datendateien, Manifest der Versionen)."""
    return _konf_und_dateien(kommune)[1]


def _datendateien(vordner: Path) -> list[Path]:
    """Die Datendateien eines Versionsordners (ohne Lieferung, Protokoll und abgeleitete Daten)."""
    aus: list[Path] = []
    for p in sorted(vordner.iterdir()) if vordner.is_dir() else []:
        if p.name in vs.META or p.name == vs.ABGELEITET:
            continue
        aus += [p] if p.is_file() else sorted(q for q in p.rglob("*") if q.is_file())
    return aus


class DateiAblage:
    """Die Ablage in Dateien; implementiert `kommune.ablage.Ablage`."""

    art = "dateien"

    # -- Stand und Laden --------------------------------------------------------------------------

    def kommunen(self) -> dict[str, str]:
        """Die mitgelieferten Kommunen (`BEKANNTE_KOMMUNEN`; offene Daten nur mit Datenordner) und die eigene
        Kommune des Hauses (`BILDUNGSMONITOR_KOMMUNE`, ein Ordner mit kommune.toml)."""
        from kommune.laden import BEKANNTE_KOMMUNEN

        kommunen = {name: k.anzeigename for name, k in BEKANNTE_KOMMUNEN.items() if k.verfuegbar()}
        eigene = os.environ.get("BILDUNGSMONITOR_KOMMUNE", "")
        if eigene and eigene not in kommunen and (Path(eigene) / "kommune.toml").is_file():
            try:
                kommunen[eigene] = konfiguration_lesen(Path(eigene)).name
            except KommuneFehler:
                kommunen[eigene] = Path(eigene).name
        return kommunen

    def stand(self, kommune: str, version: str = AKTIV) -> Stand:
        """Aufgelöste Version und Marke aus Änderungszeit und Größe jeder Datei der Kommune (und der Version)."""
        konf, dateien = _konf_und_dateien(kommune)
        if version in (ORIGINAL, None):
            aufgeloest = ORIGINAL
            eigene: list[Path] = []
        else:
            vordner = vs.version_ordner(konf, version)  # prüft unbekannte IDs
            aufgeloest = ORIGINAL if vordner is None else vordner.name
            eigene = _datendateien(vordner) if vordner is not None else []
        teile = [aufgeloest, *(_datei_stand(p) for p in (*dateien, *eigene))]
        marke = hashlib.sha256(repr(teile).encode()).hexdigest()[:20]
        return Stand(kommune, aufgeloest, marke)

    def laden(self, stand: Stand) -> Kommune:
        """Die Kommune in genau diesem Stand (Version aus `stand.version`)."""
        from kommune.laden import kommune_laden

        k = kommune_laden(stand.kommune, stand.version)
        k.stand = stand
        return k

    # -- Versionen --------------------------------------------------------------------------------

    def versionen(self, kommune: str) -> list[dict[str, Any]]:
        return vs.versionen_liste(_ordner(kommune))

    def version_anlegen(
        self,
        kommune: str | Kommune,
        dateien: dict[str, bytes],
        info: dict[str, Any],
        *,
        pruefen: Callable[[Kommune], None] | None = None,
        extras: dict[str, bytes] | None = None,
    ) -> str:
        """Siehe `Ablage.version_anlegen`. `pruefen` sieht die Kommune aus dem fertigen, noch unsichtbaren
        Versionsordner. Statt des Namens darf eine geladene Kommune stehen (spart das erneute Laden der
        Originaldateien für die Gegenprobe)."""
        from kommune.laden import Kommune, _laden_ohne_version

        basis: list[Any] = [kommune] if isinstance(kommune, Kommune) else []
        konf = kommune.konfiguration if isinstance(kommune, Kommune) else konfiguration_lesen(_ordner(kommune))

        def ordner_pruefen(ordner: Path) -> None:
            if not basis:
                basis.append(_laden_ohne_version(konf.ordner))
            pruefen(vs._kommune_aus_ordner(basis[0], ordner))

        return vs.version_anlegen(
            konf, dict(dateien), info, pruefen=ordner_pruefen if pruefen is not None else None, extras=extras
        )

    def aktivieren(self, kommune: str, version_id: str, nutzer: str = "") -> None:
        vs.wiederherstellen(_ordner(kommune), version_id, nutzer)

    # -- Presets, Sitzungen -----------------------------------------------------------------------

    @staticmethod
    def _texte(kommune: str, unterordner: str) -> dict[str, str]:
        texte = {}
        for pfad in sorted((_ordner(kommune) / unterordner).glob("*.toml")):
            try:
                texte[pfad.name] = pfad.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as e:
                raise KommuneFehler(
                    f"Die Datei ist nicht lesbar ({type(e).__name__}); erwartet wird TOML in UTF-8.",
                    datei=f"{unterordner}/{pfad.name}",
                ) from None
        return texte

    def datei_lesen(self, kommune: str, name: str, version: str = AKTIV) -> bytes | None:
        if ".." in Path(name).parts or Path(name).is_absolute():
            raise KommuneFehler(f"Unzulässiger Dateiname „{name[:80]}“.")
        pfad = vs.datei_pfad(_konf(kommune), name, version)
        return pfad.read_bytes() if pfad.is_file() else None

    def presets(self, kommune: str) -> dict[str, str]:
        return self._texte(kommune, PRESETS)

    def sitzungen(self, kommune: str) -> dict[str, str]:
        return self._texte(kommune, SITZUNGEN)

    # -- geteilter Zustand ------------------------------------------------------------------------

    @staticmethod
    def _zustand_pfad(kommune: str, schluessel: str) -> Path:
        if not isinstance(schluessel, str) or not _ZUSTAND_SCHLUESSEL.match(schluessel) or ".." in schluessel:
            raise KommuneFehler(
                f"Ungültiger Schlüssel „{str(schluessel)[:40]}“ für den geteilten Zustand (erlaubt: Buchstaben, "
                "Ziffern, „_“, „-“, „.“; kein Pfadtrenner)."
            )
        return vs.zustand_ordner(_konf(kommune)) / f"{schluessel}.json"

    def zustand_lesen(self, kommune: str, schluessel: str) -> dict[str, Any] | None:
        pfad = self._zustand_pfad(kommune, schluessel)
        try:
            wert = json.loads(pfad.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, RecursionError):
            return None  # kaputt oder unlesbar: wie nie gesetzt (der nächste Schreibvorgang ersetzt die Datei)
        return wert if isinstance(wert, dict) else None

    def zustand_schreiben(self, kommune: str, schluessel: str, wert: dict[str, Any]) -> None:
        pfad = self._zustand_pfad(kommune, schluessel)
        try:
            text = json.dumps(wert, ensure_ascii=False)
        except (TypeError, ValueError):
            raise KommuneFehler("Der geteilte Zustand ist nicht als JSON darstellbar.") from None
        pfad.parent.mkdir(parents=True, exist_ok=True)
        tmp = pfad.with_name(f".{pfad.name}.{uuid.uuid4().hex}.tmp")
        try:
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, pfad)
        finally:
            tmp.unlink(missing_ok=True)


    def zustand_aendern(
        self, kommune: str, schluessel: str, aenderung: Callable[[dict[str, Any] | None], dict[str, Any]]
    ) -> dict[str, Any]:
        pfad = self._zustand_pfad(kommune, schluessel)
        pfad.parent.mkdir(parents=True, exist_ok=True)
        with open(pfad.with_name(f".{pfad.name}.sperre"), "a+") as sperre:
            fcntl.flock(sperre, fcntl.LOCK_EX)  # gilt für alle Prozesse auf diesem Dateisystem
            try:
                neu = aenderung(self.zustand_lesen(kommune, schluessel))
                self.zustand_schreiben(kommune, schluessel, neu)
            finally:
                fcntl.flock(sperre, fcntl.LOCK_UN)
        return neu


_ABLAGE = DateiAblage()


def dateiablage() -> DateiAblage:
    """Die (zustandslose) Dateiablage."""
    return _ABLAGE

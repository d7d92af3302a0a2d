"""Fuzz-Suite (issue 9, Punkt 5): keine feindliche Eingabe führt zu einem Traceback.

Für jede Eingabe aus `tests/daten/feindlich.py` gilt: Erfolg oder eine deutsche Meldung (`KommuneFehler`,
Befund im Prüfprotokoll oder Rückgabewert 1–2 mit deutschem Satz auf stderr, nie ein Traceback). Wird die
Eingabe abgelehnt, sind die Dateien der Kommune (Originale, Versionen, Manifest) danach unverändert.
Gearbeitet wird auf Kopien der Musterstadt. Zählung je Art: `pytest -s tests/test_fuzz.py`.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from kommune.fehler import KommuneFehler
from tests.conftest import PROJEKT
from tests.daten.feindlich import Fall, alle_faelle

MUSTERSTADT = PROJEKT / "sample_data" / "musterstadt"
FAELLE = alle_faelle()
#: Wörter, an denen ein deutscher Satz zu erkennen ist (englische argparse-/Python-Meldungen haben sie nicht).
_DEUTSCH = re.compile(
    r"\b(der|die|das|den|dem|des|ist|sind|nicht|kein|keine|eine?|fehlt|gibt|Datei|ungültig|muss|wird|wurde|"
    r"Spalte|Zeile|Argumente|unbekannt|enthält|lässt|sich|bei|kommt|mehrfach|für|mit|von|und|oder|nur|ohne|"
    r"kann|konnte|zu|Wert|Werte)\b|„",
    re.IGNORECASE,
)
ZAEHLUNG: Counter[tuple[str, str]] = Counter()


def deutsch(text: str) -> bool:
    """Ein deutscher Satz ohne Traceback."""
    return bool(text.strip()) and "Traceback" not in text and bool(_DEUTSCH.search(text))


def ordner_hash(ordner: Path) -> str:
    """Hash über alle Dateien eines Ordners: Inhalt der Originale und des Manifests, von Versionsdateien
    Name, Größe und Änderungszeit (jede Schreibaktion ändert sie; spart das Lesen aller Kopien)."""
    h = hashlib.sha256()
    for p in sorted(ordner.rglob("*")):
        h.update(str(p.relative_to(ordner)).encode())
        if not p.is_file():
            continue
        if p.parent == ordner or p.name == "versionen.json":
            h.update(p.read_bytes())
        else:
            s = p.stat()
            h.update(f"{s.st_size}:{s.st_mtime_ns}".encode())
    return h.hexdigest()


@pytest.fixture(scope="module", autouse=True)
def _zusammenfassung():
    yield
    if ZAEHLUNG:
        arten = sorted({a for a, _ in ZAEHLUNG})
        zeilen = [
            f"{a}: {sum(n for (b, _), n in ZAEHLUNG.items() if b == a)} "
            f"(Erfolg {ZAEHLUNG[(a, 'erfolg')]}, deutsche Meldung {ZAEHLUNG[(a, 'meldung')]})"
            for a in arten
        ]
        gesamt = sum(ZAEHLUNG.values())
        print(f"\nFuzz-Eingaben bestanden: {gesamt} (fehlgeschlagene Fälle meldet pytest)")
        print("\n".join(zeilen))


@pytest.fixture(scope="module")
def geladen(tmp_path_factory):
    """Eine Kopie der Musterstadt, einmal geladen (für Lieferungs- und Geometrieprüfungen)."""
    from kommune import kommune_laden

    ordner = tmp_path_factory.mktemp("fuzz") / "musterstadt"
    shutil.copytree(MUSTERSTADT, ordner)
    return ordner, kommune_laden(ordner)


def _ausfuehren(aufruf: Any) -> tuple[str, str]:
    """Aufruf mit umgeleitetem stdout/stderr; („erfolg“|„meldung“, Meldungstext). Andere Ausnahmen: Testfehler."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            rc = aufruf()
        except KommuneFehler as e:
            return "meldung", e.text
        except SystemExit as e:
            rc = e.code
    if rc in (None, 0):
        return "erfolg", ""
    assert rc in (1, 2), f"Rückgabewert {rc!r}"
    return "meldung", err.getvalue()


def _protokoll(protokoll: Any) -> tuple[str, str]:
    """Ein Prüfprotokoll: ok oder Fehlerbefunde mit deutschem Text, nie ein „interner Fehler“."""
    intern = [b.text for b in protokoll.befunde if b.pruefung == "intern"]
    assert not intern, intern
    if protokoll.ok:
        return "erfolg", ""
    return "meldung", " ".join(b.text for b in protokoll.fehler)


def _lauf(fall: Fall, ordner: Path, arbeit: Path, geladen: Any) -> tuple[str, str]:
    """Die Eingabe anlegen und an die passende Schnittstelle geben."""
    from kommune import kommune_laden

    nutzlast = fall.erzeugen(ordner, arbeit)
    if fall.art in ("kommune_toml", "katalog", "manifest", "geometrie_laden"):
        return _ausfuehren(lambda: kommune_laden(nutzlast) and None)
    if fall.art == "geometrie":
        from kommune.pruefung import geometrie_pruefen

        return _protokoll(geometrie_pruefen(geladen[1], nutzlast, schicht_id="viertel")[0])
    if fall.art in ("csv", "xlsx"):
        from kommune.versionen import importieren

        nur_pruefen = int(hashlib.sha256(fall.name.encode()).hexdigest(), 16) % 3 != 0  # jede dritte: echter Import
        ergebnis = importieren(
            geladen[1], nutzlast, ebene="viertel", periode="2025", nutzer="fuzz", nur_pruefen=nur_pruefen
        )
        return _protokoll(ergebnis.protokoll)
    if fall.art == "angebote":
        from kommune.angebotspflege import lieferung_pruefen

        return _protokoll(lieferung_pruefen(nutzlast, geladen[1]).protokoll)
    if fall.art == "zuordnung":
        from freigabe.__main__ import main

        lieferung, zuordnung = nutzlast
        return _ausfuehren(lambda: main(["import", str(ordner), str(lieferung), "--mapping", str(zuordnung)]))
    modul, argv = nutzlast
    if fall.art == "cli_prozess":
        umgebung = {**os.environ, "BILDUNGSMONITOR_NEUES_PASSWORT": "ein-langes-passwort"}
        p = subprocess.run(
            [sys.executable, "-m", modul, *argv], capture_output=True, text=True, cwd=PROJEKT, env=umgebung, timeout=120
        )
        assert "Traceback" not in p.stderr, p.stderr
        return ("erfolg", "") if p.returncode == 0 else ("meldung", p.stderr)
    import importlib

    main = importlib.import_module(f"{modul}.__main__" if modul != "oberflaeche.benutzer" else modul).main
    return _ausfuehren(lambda: main(argv))


@pytest.mark.parametrize("fall", FAELLE, ids=repr)
def test_feindliche_eingabe(fall: Fall, tmp_path, geladen, monkeypatch):
    """Erfolg oder deutsche Meldung; nach einer Ablehnung ist in der Kommune nichts verändert."""
    monkeypatch.setenv("BILDUNGSMONITOR_NEUES_PASSWORT", "ein-langes-passwort")
    if fall.art in ("csv", "xlsx", "geometrie", "angebote"):
        ordner = geladen[0]
    else:
        ordner = tmp_path / "kommune"
        shutil.copytree(MUSTERSTADT, ordner)
    arbeit = tmp_path / "arbeit"
    arbeit.mkdir()
    in_kommune = fall.art in ("kommune_toml", "katalog", "manifest", "geometrie_laden")
    vorher = None if in_kommune else ordner_hash(ordner)
    if vorher is None:  # die Eingabe liegt in der Kommune: Stand nach dem Anlegen vergleichen
        fall.erzeugen(ordner, arbeit)
        shutil.rmtree(arbeit)
        arbeit.mkdir()
        vorher = ordner_hash(ordner)
        ergebnis, text = _lauf(Fall(fall.art, fall.name, lambda o, a: o), ordner, arbeit, geladen)
    else:
        ergebnis, text = _lauf(fall, ordner, arbeit, geladen)
    ZAEHLUNG[(fall.art, ergebnis)] += 1
    if ergebnis == "meldung":
        assert deutsch(text), f"keine deutsche Meldung: {text[:300]!r}"
        assert ordner_hash(ordner) == vorher, "abgelehnte Eingabe hat Dateien der Kommune verändert"


def test_genug_faelle():
    """Mindestens 300 Eingaben, jede Art vertreten."""
    arten = Counter(f.art for f in FAELLE)
    assert len(FAELLE) >= 300
    assert set(arten) == {
        "kommune_toml",
        "katalog",
        "manifest",
        "geometrie",
        "geometrie_laden",
        "csv",
        "xlsx",
        "zuordnung",
        "cli",
        "cli_prozess",
        "angebote",
    }

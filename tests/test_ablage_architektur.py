"""Architektur: oberhalb der Ablage kennt niemand Versionsmanifest, Änderungszeiten oder Datenpfade.

Nur `kommune/dateiablage.py`, `kommune/versionen.py`, `kommune/laden.py` und die Ablage-Backends
(`kommune/datenbank/`) dürfen das; alles in seiten/, oberflaeche/, berichte/, indices/ und app.py geht über
`kommune.ablage.ablage()` (sonst sähe ein zweiter App-Server oder die Datenbank-Ablage einen anderen Stand).
"""

from __future__ import annotations

import re
from pathlib import Path

PROJEKT = Path(__file__).resolve().parent.parent
OBERHALB = ["seiten", "oberflaeche", "berichte", "indices", "app.py"]
#: was oberhalb der Ablage nicht vorkommen darf – und warum
VERBOTEN = {
    r"versionen\.json|\bMANIFEST\b|manifest_lesen": "liest das Versionsmanifest",
    r"\.stat\(\)|st_mtime|getmtime|\bos\.stat\(": "fragt Änderungszeiten von Dateien ab",
    r"\bversionen_liste\b|\baktive_version\b|\bversion_ordner\b|\bdatei_pfad\b|\bwiederherstellen\(":
        "umgeht die Ablage bei Versionen",
    r"\bkommune_laden\(": "lädt an der Ablage vorbei (ablage().laden(stand))",
    r"""glob\(\s*["']\*\.toml""": "liest Presets/Sitzungen als Dateien (ablage().presets/sitzungen)",
}


def _dateien() -> list[Path]:
    aus: list[Path] = []
    for teil in OBERHALB:
        p = PROJEKT / teil
        aus += [p] if p.is_file() else sorted(p.rglob("*.py"))
    return aus


def verstoesse(text: str) -> list[str]:
    """Die Gründe, aus denen `text` (Python-Quelltext) die Ablage umgeht."""
    return [grund for muster, grund in VERBOTEN.items() if re.search(muster, text)]


def test_oberhalb_der_ablage_keine_pfade_und_zeiten():
    befunde = {}
    for pfad in _dateien():
        gruende = verstoesse(pfad.read_text(encoding="utf-8"))
        if gruende:
            befunde[str(pfad.relative_to(PROJEKT))] = gruende
    assert not befunde, befunde
    assert len(_dateien()) > 30  # die Suche findet die Dateien überhaupt


def test_die_suche_erkennt_jeden_verstoss():
    beispiele = [
        'json.loads((ordner / "versionen" / "versionen.json").read_text())',
        "p.stat().st_mtime_ns",
        "os.path.getmtime(pfad)",
        "versionen_liste(konf)",
        "kommune_laden(name, version)",
        'sorted((ordner / "presets").glob("*.toml"))',
    ]
    for text in beispiele:
        assert verstoesse(text), text
    assert verstoesse("ablage().stand(name)") == []

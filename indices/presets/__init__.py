"""Mitgelieferte Index-Definitionen je Kommune (TOML-Dateien in ``indices/presets/<kommune>/``)."""

from __future__ import annotations

from pathlib import Path

from indices.definition import DefinitionFehler, IndexDefinition, definition_laden
from kommune.laden import Kommune

ORDNER = Path(__file__).resolve().parent


def _schluessel(kommune: Kommune | str) -> str:
    if isinstance(kommune, Kommune):
        for kandidat in (kommune.name, kommune.konfiguration.ordner.name):
            if (ORDNER / kandidat.lower()).is_dir():
                return kandidat.lower()
        return kommune.name.lower()
    return str(kommune).strip().lower()


def presets_fuer(kommune: Kommune | str) -> dict[str, IndexDefinition]:
    """Alle Presets einer Kommune (Objekt oder Kurzname), nach ID; leer, wenn es keine gibt."""
    ordner = ORDNER / _schluessel(kommune)
    if not ordner.is_dir():
        return {}
    presets = {}
    for pfad in sorted(ordner.glob("*.toml")):
        d = definition_laden(pfad)
        presets[d.id] = d
    return presets


def preset(kommune: Kommune | str, preset_id: str) -> IndexDefinition:
    """Ein Preset nach ID; unbekannte ID → DefinitionFehler mit den vorhandenen IDs."""
    alle = presets_fuer(kommune)
    if preset_id not in alle:
        name = kommune.name if isinstance(kommune, Kommune) else kommune
        vorhanden = ", ".join(alle) or "keine"
        raise DefinitionFehler(f"Das Preset „{preset_id}“ gibt es für {name} nicht (vorhanden: {vorhanden}).")
    return alle[preset_id]

"""Index-Definitionen je Kommune: TOML-Dateien im Ordner der Kommune (``<kommune>/presets/*.toml``).

Für die mitgelieferten Kommunen liegen weitere in ``indices/presets/<kommune>/``. Eine Kommune ohne
Presets bekommt im Baukasten eine Startdefinition aus ihrem eigenen Katalog (`startdefinition`).
"""

from __future__ import annotations

from pathlib import Path

from indices.definition import DefinitionFehler, IndexDefinition, IndikatorEintrag, definition_laden
from kommune.laden import Kommune

ORDNER = Path(__file__).resolve().parent
#: Unterordner einer Kommune mit ihren eigenen Index-Definitionen
KOMMUNE_ORDNER = "presets"
START_ID = "eigener_index"


def _schluessel(kommune: Kommune | str) -> str:
    if isinstance(kommune, Kommune):
        for kandidat in (kommune.name, kommune.konfiguration.ordner.name):
            if (ORDNER / kandidat.lower()).is_dir():
                return kandidat.lower()
        return kommune.name.lower()
    return str(kommune).strip().lower()


def _ordner(kommune: Kommune | str) -> list[Path]:
    """Preset-Ordner: der der Kommune selbst, dann der mitgelieferte."""
    ordner = [ORDNER / _schluessel(kommune)]
    if isinstance(kommune, Kommune):
        ordner.insert(0, kommune.konfiguration.ordner / KOMMUNE_ORDNER)
    return [o for o in ordner if o.is_dir()]


def presets_fuer(kommune: Kommune | str) -> dict[str, IndexDefinition]:
    """Alle Presets einer Kommune (Objekt oder Kurzname), nach ID; leer, wenn es keine gibt.

    Gleiche ID in beiden Ordnern: die Datei der Kommune gilt.
    """
    presets: dict[str, IndexDefinition] = {}
    for ordner in reversed(_ordner(kommune)):
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


def startdefinition(kommune: Kommune) -> IndexDefinition | None:
    """Ein Ausgangspunkt ohne Preset: bis zu drei Anteile mit Richtung (sonst beliebige Indikatoren mit Werten).

    None, wenn die Kommune keinen einzigen Indikatorwert hat.
    """
    vorhanden = set(kommune.indikatoren["indikator"])
    katalog = kommune.katalog[kommune.katalog.index.isin(vorhanden)]
    if katalog.empty:
        return None
    gerichtet = katalog[(katalog["richtung"] != 0) & (katalog["art"] != "anzahl")]
    auswahl = (gerichtet if len(gerichtet) else katalog).head(3)
    return IndexDefinition(
        id=START_ID,
        name="Eigener Index",
        beschreibung=(
            f"Für {kommune.name} ist keine Index-Voreinstellung hinterlegt (Ordner „{KOMMUNE_ORDNER}/“ neben der "
            "kommune.toml). Ausgangspunkt: bis zu drei Indikatoren des Katalogs – bitte anpassen."
        ),
        indikatoren=tuple(IndikatorEintrag(i, 1.0, int(r) or 1) for i, r in auswahl["richtung"].items()),
    )


def baukasten_vorlagen(kommune: Kommune) -> dict[str, IndexDefinition]:
    """Die Voreinstellungen des Baukastens: die Presets, sonst die Startdefinition (leer ohne Indikatorwerte)."""
    presets = presets_fuer(kommune)
    if presets:
        return presets
    start = startdefinition(kommune)
    return {start.id: start} if start else {}

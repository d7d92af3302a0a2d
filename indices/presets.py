"""Index-Definitionen je Kommune: TOML-Dateien im Ordner der Kommune (``<kommune>/presets/*.toml``).

Das gilt auch für die mitgelieferten Kommunen (``kommune/profile/berlin/presets/``,
``sample_data/musterstadt/presets/`` …): ein kopierter Ordner nimmt seine Presets mit. Eine Kommune ohne
Presets bekommt im Baukasten eine Startdefinition aus ihrem eigenen Katalog (`startdefinition`).
"""

from __future__ import annotations

from pathlib import Path

from indices.definition import DefinitionFehler, IndexDefinition, IndikatorEintrag, definition_aus_toml
from kommune.ablage import ablage
from kommune.laden import Kommune, kommune_ordner

#: Unterordner einer Kommune mit ihren Index-Definitionen
KOMMUNE_ORDNER = "presets"
START_ID = "eigener_index"


def preset_ordner(kommune: Kommune | str) -> Path:
    """Der Preset-Ordner einer Kommune (Objekt, Kurzname wie „berlin“ oder Ordner); muss nicht existieren."""
    ordner = kommune.konfiguration.ordner if isinstance(kommune, Kommune) else kommune_ordner(kommune)
    return ordner / KOMMUNE_ORDNER


def kennung(kommune: Kommune | str) -> str:
    """Wie die Ablage die Kommune kennt: der Stand einer geladenen Kommune, sonst ihr Ordner bzw. Kurzname."""
    if isinstance(kommune, Kommune):
        return kommune.stand.kommune if kommune.stand is not None else str(kommune.konfiguration.ordner)
    kommune_ordner(kommune)  # unbekannte Namen: KommuneFehler wie bisher
    return kommune


def presets_fuer(kommune: Kommune | str) -> dict[str, IndexDefinition]:
    """Alle Presets einer Kommune (Objekt, Kurzname oder Ordner), nach ID; leer, wenn es keine gibt.

    Zwei Dateien mit derselben ID: DefinitionFehler mit beiden Dateinamen (sonst gälte stillschweigend eine).
    """
    presets: dict[str, IndexDefinition] = {}
    herkunft: dict[str, str] = {}
    for name, text in sorted(ablage().presets(kennung(kommune)).items()):
        d = definition_aus_toml(text, datei=name)
        if d.id in presets:
            raise DefinitionFehler(
                f"Die Preset-ID „{d.id}“ steht in „{herkunft[d.id]}“ und in „{name}“; jede ID nur einmal."
            )
        presets[d.id] = d
        herkunft[d.id] = name
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

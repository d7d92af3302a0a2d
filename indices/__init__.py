"""Index-Motor des Bildungsmonitors: zusammengesetzte Indizes (Benachteiligung, Teilhabe), rein, ohne Streamlit.

Öffentliche Schnittstelle
-------------------------

Definition (``indices.definition``)
    ``IndexDefinition(id, name, indikatoren, familie="benachteiligung", beschreibung="",
    standardisierung="z", gewichtung="manuell", aggregation="arithmetisch", restandardisieren=False,
    klassierung=Klassierung(), mindest_einwohner=0, bevoelkerung_indikator=None, gueltigkeit=None,
    ebene=None, periode=None, fehlwerte="nicht_bewerten", quelle="")`` – frozen, hashbar.
    ``IndikatorEintrag(id, gewicht=1.0, richtung=1)`` – Richtung wie im Katalog (1 = mehr Bedarf).
    ``Klassierung(methode="quantile", k=5, schwellen=(), labels=(), codes=(), farbschema="")`` –
    Methoden ``sd``, ``quantile``, ``fisher_jenks``, ``equal_interval``, ``breaks``.
    ``d.lesart``, ``d.vorzeichen``, ``d.indikator_ids``, ``d.benoetigte_indikatoren()``,
    ``d.mit(**felder)``, ``d.mit_gewichten({id: gewicht})``, ``d.als_toml()``, ``d.als_dict()``.
    ``definition_aus_toml(text) -> IndexDefinition``, ``definition_laden(pfad)``,
    ``definition_speichern(definition, pfad)``. Fehler: ``DefinitionFehler`` (ein ``KommuneFehler``).
    Auswahllisten für die Oberfläche: ``FAMILIEN``, ``STANDARDISIERUNGEN``, ``GEWICHTUNGEN``,
    ``AGGREGATIONEN``, ``KLASSENMETHODEN``, ``FEHLWERTE`` (Wert → deutscher Text).

Berechnung (``indices.berechnung``)
    ``eingaben_sammeln(kommune, definition_oder_ids, *, ebene=None, periode=None, werte_fn=werte)
    -> Eingaben`` – der langsame Teil (Werte holen), cachebar je (Indikatoren, Ebene, Periode).
    ``index_aus_matrix(eingaben, definition) -> IndexErgebnis`` – der schnelle Kern (≈ 2 ms für
    542 Gebiete), für jede Schieberegler-Bewegung.
    ``index_berechnen(kommune, definition, *, ebene=None, periode=None, werte_fn=werte) -> IndexErgebnis``.
    ``IndexErgebnis``: ``tabelle`` (Index Gebiets-ID; ``name, score, klasse, klasse_label, rang,
    bewertet, grund, std_<id>, wert_<id>``), ``definition``, ``lesart``, ``skala``, ``gewichte``
    (Series), ``klassen_codes``, ``klassen_labels``, ``klassengrenzen``, ``ebene``, ``perioden``,
    ``erklaerte_varianz`` (PCA), ``verschiebung`` (geometrisch), ``hinweise``,
    ``klassen_anzahl``, ``bewertet``, ``anzahl_bewertet``, ``fehlwert_text``.
    ``definition_pruefen(kommune, definition)`` – alle Indikatoren im Katalog?

Presets (``indices.presets``, Ordner ``presets/`` neben der kommune.toml)
    ``presets_fuer(kommune_oder_name) -> dict[str, IndexDefinition]``,
    ``preset(kommune_oder_name, preset_id) -> IndexDefinition``, ``preset_ordner(kommune_oder_name)``.

Sensitivität (``indices.sensitivitaet``)
    ``sensitivitaet(eingaben, definition, *, n=1000, spanne=0.2, seed=0, leave_one_out=True,
    standardisierungen=True, schwelle=0.1) -> Sensitivitaet`` (``tabelle`` mit ``median_rang,
    rang_p05, rang_p95, p_klassenwechsel, robust`` …, ``szenario_raenge``, ``szenario_klassen``,
    ``nicht_robust``, ``beschreibung``).

Zusammenhang und Redundanz
    ``zusammenhang(ergebnis, ergebniswerte, gewichte=None) -> Zusammenhang``,
    ``zusammenhang_fuer(kommune, ergebnis, indikator, *, periode=None, werte_fn=werte)``
    (``je_klasse``, ``verhaeltnis``, ``spearman_rho``, ``p_wert``, ``streuung``, ``text``).
    ``redundanz_pruefen(eingaben, definition, schwelle=0.8) -> (korrelationsmatrix, warnungen)``,
    ``korrelationsmatrix(df)``, ``redundanz_warnungen(korr, schwelle=0.8)``.

Vergleich und Export
    ``klassenwechsel(basis_ergebnis, neues_ergebnis) -> DataFrame`` („was hat sich verändert“).
    ``exportieren(ergebnis, pfad, kommune="")`` (CSV + ``.definition.toml`` oder XLSX),
    ``export_tabelle(ergebnis)``, ``definition_text(ergebnis, kommune)``.

Bausteine: ``standardisierung.standardisieren(x, methode)``, ``gewichtung.pca_gewichte(y)``,
``gewichtung.aggregieren(y, w, methode, c)``, ``klassierung.klassieren(score, klassierung)``.

Kommandozeile: ``python -m indices compute KOMMUNE --preset ID [--level L] [--period P] --out FILE``,
``python -m indices presets KOMMUNE``.
"""

from indices.berechnung import (
    Eingaben,
    IndexErgebnis,
    definition_pruefen,
    eingaben_sammeln,
    index_aus_matrix,
    index_berechnen,
)
from indices.definition import (
    AGGREGATIONEN,
    FAMILIEN,
    FEHLWERTE,
    GEWICHTUNGEN,
    KLASSENMETHODEN,
    STANDARDISIERUNGEN,
    DefinitionFehler,
    IndexDefinition,
    IndikatorEintrag,
    Klassierung,
    definition_aus_toml,
    definition_laden,
    definition_speichern,
)
from indices.export import exportieren
from indices.klassierung import NICHT_BEWERTET
from indices.presets import preset, presets_fuer
from indices.redundanz import redundanz_pruefen
from indices.sensitivitaet import Sensitivitaet, sensitivitaet
from indices.vergleich import klassenwechsel
from indices.zusammenhang import Zusammenhang, zusammenhang, zusammenhang_fuer

__all__ = [
    "AGGREGATIONEN",
    "FAMILIEN",
    "FEHLWERTE",
    "GEWICHTUNGEN",
    "KLASSENMETHODEN",
    "NICHT_BEWERTET",
    "STANDARDISIERUNGEN",
    "DefinitionFehler",
    "Eingaben",
    "IndexDefinition",
    "IndexErgebnis",
    "IndikatorEintrag",
    "Klassierung",
    "Sensitivitaet",
    "Zusammenhang",
    "definition_aus_toml",
    "definition_laden",
    "definition_pruefen",
    "definition_speichern",
    "eingaben_sammeln",
    "exportieren",
    "index_aus_matrix",
    "index_berechnen",
    "klassenwechsel",
    "preset",
    "presets_fuer",
    "redundanz_pruefen",
    "sensitivitaet",
    "zusammenhang",
    "zusammenhang_fuer",
]

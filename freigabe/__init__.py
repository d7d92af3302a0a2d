"""Freigabe: was eine Rolle von den Daten sehen und mitnehmen darf – Geheimhaltung (`geheimhaltung`) und
Tabellenexport (`tabellenexport`), Kommandozeile `python -m freigabe export|import`.

Über `geodata/` (Umrechnung auf Einzugsbereiche), unter `indices/`, `berichte/` und der Oberfläche. Beim Import
des Pakets melden sich Cache-Leeren und Export-Gegenprobe in `kommune.rueckrufe` an.
"""

from freigabe import geheimhaltung, tabellenexport  # noqa: F401 – meldet die Rückrufe an

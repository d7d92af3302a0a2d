"""Berichte und Sichten für Leitung, Ausschuss und Fachplanung (rein, ohne Streamlit).

Module
------
``berichte.cockpit``        Kennzahl-Kacheln aus der kommune.toml (``[[kachel]]``, ``[cockpit]``), Top/Flop, Text.
``berichte.sitzung``        Sitzungsmodus: Ansichtenfolgen (TOML), URL ↔ Ansicht, QR-Code als SVG.
``berichte.xlsx``           XLSX-Export mit deutschem Zahlformat, Sperrzeichen „.“ und Blatt „Methodik“.
``berichte.diagramme``      Altair-Diagramme (Spine-Chart, Zeitreihe, Punktvergleich, Sparkline), PNG/SVG offline.
``berichte.profilbericht``  Gebietsprofil als druckfertiges, eigenständiges HTML (Karte und Diagramme als SVG).
``berichte.bildungsbericht`` Entwurf eines Bildungsberichts als Word-Dokument (python-docx).
"""

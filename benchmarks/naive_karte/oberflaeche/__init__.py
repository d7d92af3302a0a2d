"""Startprogramm der naiven Vergleichskarte (gleicher Modulname wie im Projekt, damit `--projekt` sie startet)."""

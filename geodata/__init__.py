"""Geometrie, Karten und (später) Einzugsbereiche, Flächenumrechnung, Erreichbarkeit."""

"""Freigabe: was eine Rolle von den Daten sehen und mitnehmen darf (Geheimhaltung, Tabellenexport)."""

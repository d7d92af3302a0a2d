"""Von Tests erzeugte Beispieldaten (Kleinstadt, realistische Lieferungen)."""

"""Laufprotokoll der Seitenläufe (nur für Benchmarks, per Umgebungsvariable)."""

from __future__ import annotations

from oberflaeche.laufzeit import UMGEBUNG, lauf_beginn, lauf_ende, laufzeiten_lesen


def test_ohne_einstellung_wird_nichts_geschrieben(tmp_path, monkeypatch):
    monkeypatch.delenv(UMGEBUNG, raising=False)
    monkeypatch.chdir(tmp_path)
    lauf_ende("karte", lauf_beginn())
    assert list(tmp_path.iterdir()) == []


def test_laeufe_je_seite(tmp_path, monkeypatch):
    datei = tmp_path / "laeufe.tsv"
    monkeypatch.setenv(UMGEBUNG, str(datei))
    for seite in ("karte", "karte", "cockpit"):
        lauf_ende(seite, lauf_beginn() - 0.25)  # ein Lauf, der 250 ms vorher begann
    with open(datei, "a", encoding="utf-8") as f:
        f.write("kaputt\tkeine-zahl\n")
    zeiten = laufzeiten_lesen(str(datei))
    assert sorted(zeiten) == ["cockpit", "karte"]
    assert len(zeiten["karte"]) == 2 and all(250 <= ms < 5000 for ms in zeiten["karte"])
    assert laufzeiten_lesen(str(tmp_path / "fehlt.tsv")) == {}

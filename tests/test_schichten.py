"""Architektur: die Schichten importieren nur nach unten, und zwischen den Paketen gibt es keinen Kreis.

Gelesen wird jede .py-Datei der Pakete mit `ast` – auch Importe in Funktionen („spät“) und
`importlib.import_module("…")` mit festem Namen zählen, denn auch ein später Import ist eine Abhängigkeit.
Die Ordnung (unten → oben) steht in ARCHITECTURE.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

PROJEKT = Path(__file__).resolve().parent.parent

#: Schichten von unten nach oben; ein Paket darf nur Pakete derselben oder einer tieferen Stufe importieren.
SCHICHTEN = ("kommune", "geodata", "freigabe", "indices", "berichte", "oberflaeche", "seiten", "app")
STUFE = {name: i for i, name in enumerate(SCHICHTEN)}


def _paket(datei: Path, wurzel: Path) -> str | None:
    """Zu welcher Schicht gehört die Datei? (`app.py` ist die oberste; tests/, benchmarks/ … gehören zu keiner.)"""
    teile = datei.relative_to(wurzel).parts
    if teile == ("app.py",):
        return "app"
    return teile[0] if len(teile) > 1 and teile[0] in STUFE else None


def _importe(baum: ast.AST) -> list[tuple[int, str]]:
    """(Zeile, Modulname) aller absoluten Importe, auch in Funktionen und über `import_module("…")`."""
    gefunden: list[tuple[int, str]] = []
    for knoten in ast.walk(baum):
        if isinstance(knoten, ast.Import):
            gefunden += [(knoten.lineno, a.name) for a in knoten.names]
        elif isinstance(knoten, ast.ImportFrom) and knoten.level == 0 and knoten.module:
            gefunden.append((knoten.lineno, knoten.module))
        elif isinstance(knoten, ast.Call) and knoten.args and isinstance(knoten.args[0], ast.Constant):
            name = getattr(knoten.func, "attr", getattr(knoten.func, "id", ""))
            if name in ("import_module", "__import__") and isinstance(knoten.args[0].value, str):
                gefunden.append((knoten.lineno, knoten.args[0].value))
    return gefunden


def kanten(wurzel: Path = PROJEKT) -> list[tuple[str, str, str]]:
    """(von Paket, nach Paket, Fundstelle) für jeden Import zwischen zwei verschiedenen Schichten."""
    ergebnis = []
    for datei in sorted(wurzel.rglob("*.py")):
        if ".venv" in datei.parts or "tests" in datei.relative_to(wurzel).parts:
            continue
        von = _paket(datei, wurzel)
        if von is None:
            continue
        for zeile, modul in _importe(ast.parse(datei.read_text(encoding="utf-8"))):
            nach = modul.split(".")[0]
            if nach in STUFE and nach != von:
                ergebnis.append((von, nach, f"{datei.relative_to(wurzel)}:{zeile} importiert {modul}"))
    return ergebnis


def verstoesse(wurzel: Path = PROJEKT) -> list[str]:
    """Importe nach oben (eine tiefere Schicht importiert eine höhere)."""
    return [stelle for von, nach, stelle in kanten(wurzel) if STUFE[nach] > STUFE[von]]


def kreise(wurzel: Path = PROJEKT) -> list[list[str]]:
    """Kreise im Paketgraphen (Tiefensuche), je als Pfad „a → b → … → a“."""
    graph: dict[str, set[str]] = {}
    for von, nach, _ in kanten(wurzel):
        graph.setdefault(von, set()).add(nach)
    gefunden: list[list[str]] = []
    farbe: dict[str, int] = {}

    def besuchen(p: str, pfad: list[str]) -> None:
        farbe[p] = 1
        for q in sorted(graph.get(p, ())):
            if farbe.get(q) == 1:
                gefunden.append([*pfad[pfad.index(q) :], q])
            elif not farbe.get(q):
                besuchen(q, [*pfad, q])
        farbe[p] = 2

    for p in sorted(graph):
        if not farbe.get(p):
            besuchen(p, [p])
    return gefunden


def test_kein_import_nach_oben():
    gefunden = verstoesse()
    assert not gefunden, "Importe gegen die Schichtordnung " + " < ".join(SCHICHTEN) + ":\n" + "\n".join(gefunden)


def test_kommune_importiert_nur_kommune():
    fremd = [stelle for von, _nach, stelle in kanten() if von == "kommune"]
    assert not fremd, "\n".join(fremd)


def test_kein_kreis_zwischen_paketen():
    assert not kreise(), kreise()


def test_pruefung_findet_versteckte_importe(tmp_path):
    """Der Test selbst: ein später Import in einer Funktion und `import_module` werden gefunden, tests/ nicht."""
    (tmp_path / "kommune").mkdir()
    (tmp_path / "geodata").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "kommune" / "a.py").write_text(
        "import importlib\n\ndef f():\n    from geodata.x import y\n    importlib.import_module('seiten.z')\n",
        encoding="utf-8",
    )
    (tmp_path / "geodata" / "x.py").write_text("from kommune.a import f\ny = 1\n", encoding="utf-8")
    (tmp_path / "tests" / "t.py").write_text("import seiten\n", encoding="utf-8")
    assert verstoesse(tmp_path) == [
        "kommune/a.py:4 importiert geodata.x",
        "kommune/a.py:5 importiert seiten.z",
    ]
    assert kreise(tmp_path) == [["geodata", "kommune", "geodata"]]

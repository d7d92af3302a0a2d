"""Ein Zahlformatierer, eine Formel-Entschärfung: keine neuen Kopien neben `kommune/format.py`.

Gelesen wird jede .py-Datei des Projekts mit `ast` (außer tests/ und der eigenständigen Generatoren in
sample_data/, die ohne das Projekt laufen). Verboten sind außerhalb von `kommune/format.py`:

* deutsche Zahlen von Hand: `.replace(".", ",")`, f-Strings/`format` mit Tausendertrenner („{x:,}“) und der
  Tausch über ein schmales Leerzeichen – dafür gibt es `kommune.format.zahl` (`minus=`, `tausender=`, `kuerzen=`);
* eigene Formel-Entschärfung: Aufzählungen der Formelzeichen (= + - @ Tab CR) oder ein „'“ davorgesetzt –
  dafür gibt es `kommune.format.entschaerfen` bzw. `formel_gefahr`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kommune.format import entschaerfen, formel_gefahr, zahl

PROJEKT = Path(__file__).resolve().parent.parent
AUSGENOMMEN = ("kommune/format.py",)
FORMELZEICHEN = {"=", "+", "-", "@", "\t", "\r"}


def _dateien(wurzel: Path) -> list[Path]:
    ergebnis = []
    for datei in sorted(wurzel.rglob("*.py")):
        rel = datei.relative_to(wurzel)
        if rel.parts[0] in (".venv", "tests") or rel.as_posix() in AUSGENOMMEN:
            continue
        if rel.parts[0] == "sample_data" and rel.name.startswith("generate_"):
            continue
        ergebnis.append(datei)
    return ergebnis


def _konstante(knoten: ast.AST) -> str | None:
    return knoten.value if isinstance(knoten, ast.Constant) and isinstance(knoten.value, str) else None


def befunde(wurzel: Path = PROJEKT) -> list[str]:
    """Fundstellen handgebauter Zahlformate und Formel-Entschärfungen („datei:zeile was“)."""
    gefunden: list[tuple[str, int, str]] = []
    for datei in _dateien(wurzel):
        rel = datei.relative_to(wurzel).as_posix()
        for k in ast.walk(ast.parse(datei.read_text(encoding="utf-8"))):
            was = None
            if isinstance(k, ast.Call) and isinstance(k.func, ast.Attribute):
                argumente = [_konstante(a) for a in k.args]
                if k.func.attr == "replace" and argumente[:2] == [".", ","]:
                    was = 'replace(".", ",")'
                elif k.func.attr == "replace" and "\u2009" in argumente:
                    was = "Tausch über schmales Leerzeichen"
                elif k.func.attr == "format" and "{:," in (_konstante(k.func.value) or ""):
                    was = "format mit Tausendertrenner"
            elif isinstance(k, ast.FormattedValue) and k.format_spec is not None:
                spec = "".join(_konstante(t) or "" for t in getattr(k.format_spec, "values", []))
                if spec.startswith(","):
                    was = f"f-String mit Tausendertrenner ({{:{spec}}})"
            elif isinstance(k, ast.Tuple | ast.List | ast.Set):
                zeichen = {_konstante(e) for e in k.elts} & FORMELZEICHEN
                if len(zeichen) >= 2 and "=" in zeichen:
                    was = "Aufzählung der Formelzeichen"
            elif isinstance(k, ast.BinOp) and isinstance(k.op, ast.Add) and _konstante(k.left) == "'":
                was = "„'“ vor einen Text gesetzt"
            if was:
                gefunden.append((rel, k.lineno, was))
    return [f"{rel}:{zeile} {was}" for rel, zeile, was in sorted(gefunden)]


def test_keine_kopien_von_zahlformat_und_entschaerfung():
    gefunden = befunde()
    assert not gefunden, "Bitte kommune.format.zahl bzw. entschaerfen benutzen:\n" + "\n".join(gefunden)


def test_pruefung_findet_kopien(tmp_path):
    (tmp_path / "paket").mkdir()
    (tmp_path / "paket" / "a.py").write_text(
        "def f(x):\n"
        "    a = f'{x:,.1f}'\n"
        "    b = str(x).replace('.', ',')\n"
        "    c = '{:,}'.format(x)\n"
        "    if str(x).startswith(('=', '+', '-', '@')):\n"
        "        return \"'\" + str(x)\n",
        encoding="utf-8",
    )
    assert [b.split(" ", 1)[0] for b in befunde(tmp_path)] == [f"paket/a.py:{n}" for n in (2, 3, 4, 5, 6)]


@pytest.mark.parametrize(
    ("wert", "erwartet"),
    [
        ("=1+1", "'=1+1"),
        ("  =1+1", "'  =1+1"),  # führende Leerzeichen schützen nicht
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("@SUMME(A1)", "'@SUMME(A1)"),
        ("+49 30 1234", "'+49 30 1234"),
        ("-1+2", "'-1+2"),
        ("-12", "-12"),  # Text, der eine negative Zahl ist, bleibt Zahl
        ("-1,5", "-1,5"),
        (" -3.5", " -3.5"),
        ("-", "-"),
        (-3.5, -3.5),  # Zahlen bleiben Zahlen
        (7, 7),
        ("Mitte", "Mitte"),
    ],
)
def test_entschaerfen_ein_zeichensatz(wert, erwartet):
    assert entschaerfen(wert) == erwartet
    if isinstance(wert, str):
        assert formel_gefahr(wert) == (erwartet != wert)


def test_zahl_fuer_dateien_und_knapp():
    assert zahl(1234.5) == "1.234,5" and zahl(-1234.5) == "\u22121.234,5"
    assert zahl(-1234.5, 1, minus="-", tausender="") == "-1234,5"
    assert zahl(1.5, 2, kuerzen=True) == "1,5" and zahl(2.0, 2, kuerzen=True) == "2"
    assert zahl(2.001, 2, kuerzen=True) == "2"  # früher „2,“ (handgebautes rstrip)
    assert zahl(-0.0000001, 6, minus="-", kuerzen=True) == "0"
    assert zahl(1234567.125, 6, tausender="", kuerzen=True) == "1234567,125"

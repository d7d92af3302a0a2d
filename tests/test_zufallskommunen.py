"""Jede Seite und jeder Befehl für jede gültige Kommune: 30 Zufallskommunen (tests/daten/zufallskommune.py).

Je Kommune eine AppTest-Instanz (Kommune über BILDUNGSMONITOR_KOMMUNE=<Ordner>), die nacheinander alle
Seiten als admin und als oeffentlich zeigt und das Gebietsprofil jedes Gebiets jeder Ebene und jedes
Einzugsbereichs (admin; ab 5 Gebieten eine Stichprobe von 4 mit Kleinstgebiet und Gebiet ohne Angebot).
Dann die Kommandozeile im selben Prozess: `kommune info|export`,
`indices presets|compute`, `geodata interpolate` – Exit 0 oder eine deutsche Zeile („Fehler: …“).
"""

from __future__ import annotations

import contextlib
import io
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from oberflaeche.fehlerseite import LETZTER_FEHLER
from tests.conftest import PROJEKT, fehlerseite_gezeigt
from tests.daten.zufallskommune import Beschreibung, zufallskommune

APP = PROJEKT / "app.py"
ANZAHL = int(os.environ.get("ZUFALLSKOMMUNEN", "30"))
#: höchstens so viele Gebietsprofile je Ebene (Stichprobe, siehe `profil_stichprobe`)
MAX_PROFILE = 4
SEITEN = [
    "uebersicht",
    "cockpit",
    "karte",
    "gebietsprofil",
    "vergleich",
    "index_baukasten",
    "angebote",
    "sitzung",
    "angebote_finden",
    "uebergaenge",
    "datenimport",
    "meine_angebote",
    "angebote_pruefen",
]
OEFFENTLICH = [
    "uebersicht", "cockpit", "karte", "gebietsprofil", "vergleich", "sitzung", "angebote_finden", "uebergaenge",
]  # fmt: skip


@dataclass
class Durchlauf:
    """Was für eine Kommune gezeigt wurde und was dabei schiefging."""

    seiten: int = 0
    profile: int = 0
    befehle: int = 0
    fehler: list[str] = field(default_factory=list)


def _pruefen(at: AppTest, wo: str, lauf: Durchlauf) -> None:
    """Keine Ausnahme, keine deutsche Fehlerseite, keine Fehlermeldung auf der gerade gezeigten Seite.

    Die App fängt unerwartete Fehler und zeigt die deutsche Fehlerseite (`oberflaeche.fehlerseite`); mit dem
    Schalter aus conftest.py kommt der Fehler zusätzlich als `at.exception` an. Beides zählt als Defekt: die
    Fehlerseite mit ihrer Referenz und dem Fehler aus dem Sitzungszustand, auch ohne den Schalter.
    """
    if at.exception:
        lauf.fehler.append(f"{wo}: Ausnahme {[(e.message, e.stack_trace[-3:]) for e in at.exception]}")
    if fehlerseite_gezeigt(at):
        lauf.fehler.append(f"{wo}: Fehlerseite {at.session_state[LETZTER_FEHLER]}")
    elif at.error:
        lauf.fehler.append(f"{wo}: Fehler {[e.value for e in at.error]}")


def _app_durchlaufen(b: Beschreibung, lauf: Durchlauf) -> None:
    """Alle Seiten (admin, dann öffentlich) und alle Gebietsprofile in einer AppTest-Instanz."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["demo_rolle"] = "admin"
    at.run()
    _pruefen(at, "Start", lauf)
    for seite in SEITEN:
        at.switch_page(f"seiten/{seite}.py").run()
        _pruefen(at, f"admin/{seite}", lauf)
        lauf.seiten += 1
    at.switch_page("seiten/gebietsprofil.py").run()
    for ebene, gebiete in [*b.gebiete.items(), *b.bereiche.items()]:
        at.sidebar.selectbox(key=f"sb_ebene_{b.ordner}").set_value(ebene).run()
        _pruefen(at, f"profil/{ebene}", lauf)
        for gebiet in profil_stichprobe(b, ebene, gebiete):
            at.selectbox(key=f"profil_gebiet_Zufallskommune {b.seed}_{ebene}").set_value(gebiet).run()
            _pruefen(at, f"profil/{ebene}/{gebiet}", lauf)
            lauf.profile += 1
    at.sidebar.selectbox(key="demo_rolle").set_value("oeffentlich").run()
    for seite in OEFFENTLICH:
        at.switch_page(f"seiten/{seite}.py").run()
        _pruefen(at, f"oeffentlich/{seite}", lauf)
        lauf.seiten += 1


def profil_stichprobe(b: Beschreibung, ebene: str, gebiete: list[str]) -> list[str]:
    """Gebiete fürs Profil: alle bis MAX_PROFILE, sonst Kleinstgebiete, Gebiete ohne Angebot und Zufall.

    Jedes Profil ist ein ganzer App-Lauf (gut 1 s); so bleibt der Test im CI-Budget.
    """
    if len(gebiete) <= MAX_PROFILE:
        return list(gebiete)
    from geodata.versorgung import punkte_zuordnen
    from kommune.laden import kommune_laden

    k = kommune_laden(b.ordner)
    mit_angebot = set(punkte_zuordnen(k.angebote, k.gebiete[ebene]).dropna())
    ohne = [g for g in gebiete if g not in mit_angebot]
    wahl = list(dict.fromkeys([*[g for g in b.klein if g in gebiete][:1], *ohne[:1], gebiete[0], gebiete[-1]]))
    rest = [g for g in gebiete if g not in wahl]
    wahl += random.Random(b.seed).sample(rest, max(0, MAX_PROFILE - len(wahl)))
    return wahl[:MAX_PROFILE]


def _befehl(main, argv: list[str], wo: str, lauf: Durchlauf) -> None:
    """Einen Befehl im Prozess ausführen: Exit 0, oder 1 mit einer deutschen Zeile, nie ein Traceback."""
    fehler = io.StringIO()
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(fehler):
            code = main(argv)
    except SystemExit as e:  # argparse
        code = e.code
    except Exception as e:
        lauf.fehler.append(f"{wo}: {type(e).__name__}: {e}")
        return
    lauf.befehle += 1
    if code not in (0, 1) or (code == 1 and not fehler.getvalue().startswith("Fehler: ")):
        lauf.fehler.append(f"{wo}: Exit {code}, {fehler.getvalue()!r}")


def _befehle_durchlaufen(b: Beschreibung, tmp: Path, lauf: Durchlauf) -> None:
    from freigabe.__main__ import main as freigabe_main
    from geodata.__main__ import main as geodata_main
    from indices.__main__ import main as indices_main
    from kommune.__main__ import main as kommune_main

    k = str(b.ordner)
    _befehl(kommune_main, ["info", k], "kommune info", lauf)
    for i, ebene in enumerate([*b.ebenen, *b.einzugsbereiche]):
        rolle = "admin" if i == 0 else "oeffentlich"
        out = tmp / f"export_{ebene}.csv"
        _befehl(freigabe_main, ["export", k, "--level", ebene, "--role", rolle, "--out", str(out)], "export", lauf)
    _befehl(indices_main, ["presets", k], "indices presets", lauf)
    definition = tmp / "index.toml"
    definition.write_text(
        'id = "zufall"\nname = "Zufallsindex"\n\n[[indikator]]\nid = "kinderarmut"\n\n[[indikator]]\nid = "quote"\n'
        "richtung = -1\n",
        encoding="utf-8",
    )
    for ebene in dict.fromkeys([None, b.ebenen[-1], *b.einzugsbereiche[:1]]):
        argv = ["compute", k, "--preset", str(definition), "--out", str(tmp / "index.csv")]
        _befehl(indices_main, argv + (["--level", ebene] if ebene else []), f"indices compute {ebene}", lauf)
    for ziel in b.einzugsbereiche:
        for ind in ("einwohner", "kinderarmut"):
            argv = ["interpolate", k, "--indicator", ind, "--to", ziel, "--out", str(tmp / "ip.csv")]
            _befehl(geodata_main, argv, f"geodata interpolate {ind} {ziel}", lauf)


@pytest.mark.parametrize("seed", range(ANZAHL))
def test_zufallskommune_jede_seite_jedes_gebiet_jeder_befehl(seed, tmp_path, monkeypatch):
    b = zufallskommune(tmp_path / f"zufall{seed}", seed)
    monkeypatch.setenv("BILDUNGSMONITOR_KOMMUNE", str(b.ordner))
    lauf = Durchlauf()
    _app_durchlaufen(b, lauf)
    _befehle_durchlaufen(b, tmp_path, lauf)
    assert not lauf.fehler, f"{b}\n" + "\n".join(lauf.fehler)
    assert lauf.seiten == len(SEITEN) + len(OEFFENTLICH)
    assert lauf.profile == sum(len(profil_stichprobe(b, e, g)) for e, g in [*b.gebiete.items(), *b.bereiche.items()])


# --- Regressionen zu den gefundenen Abstürzen (je eine gezielte Prüfung) ----------------------------


def _eigene_app(ordner: Path, monkeypatch, seite: str) -> AppTest:
    monkeypatch.setenv("BILDUNGSMONITOR_KOMMUNE", str(ordner))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["demo_rolle"] = "admin"
    at.run()
    at.switch_page(f"seiten/{seite}.py").run()
    return at


def test_kommune_ohne_angebote_hat_die_standardspalten(tmp_path):
    """Regression: ohne [[angebote]] fehlte die Spalte „stand“ → KeyError auf der Karte."""
    from kommune.laden import ANGEBOT_SPALTEN, kommune_laden
    from tests.mini import mini_kommune

    k = kommune_laden(mini_kommune(tmp_path / "mini"))
    assert k.angebote.empty and set(ANGEBOT_SPALTEN) <= set(k.angebote.columns)


def test_baukasten_ohne_presets_und_hochgeladene_definition(tmp_path, monkeypatch):
    """Regression: ohne Presets KeyError; eine geladene Definition behielt die Indikatoren des Presets."""
    from tests.mini import mini_kommune

    at = _eigene_app(mini_kommune(tmp_path / "mini"), monkeypatch, "index_baukasten")
    assert not at.exception, [e.message for e in at.exception]
    assert at.selectbox(key="idx_preset_Minihausen").options == ["Eigener Index"]
    assert at.multiselect[0].value == ["armut", "quote"]  # Startdefinition: Anteile mit Richtung
    toml = b'id = "nur_kinder"\nname = "Nur Kinder"\n\n[[indikator]]\nid = "kinder"\n'
    at.file_uploader(key="idx_upload").set_value(("nur_kinder.toml", toml, "application/toml")).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.multiselect[0].value == ["kinder"]


def test_sitzungsmodus_fuer_kommune_aus_eigenem_ordner(tmp_path, monkeypatch):
    """Regression: „Ungültige Kommune“ für jede Kommune aus ihrem eigenen Ordner (ID = Pfad)."""
    from tests.mini import mini_kommune

    at = _eigene_app(mini_kommune(tmp_path / "mini"), monkeypatch, "sitzung")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Ansicht 1 von 3" in "\n".join(m.value for m in at.markdown)
    assert str(tmp_path) not in "\n".join(c.value for c in at.code)  # kein Serverpfad im geteilten Link

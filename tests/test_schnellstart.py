"""Der Schnellstart richtet sich selbst ein: die Einrichtung für `start.sh` läuft ohne Fehler durch."""

from __future__ import annotations

import subprocess

from tests.conftest import PROJEKT


def test_einrichtung_fuer_start_sh():
    r = subprocess.run(["bash", "scripts/umgebung.sh", "app"], cwd=PROJEKT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert (PROJEKT / ".venv" / ".requirements-app").is_file()


def test_startskripte_sind_gueltiges_bash():
    for skript in ("start.sh", "test.sh", ".ci/run", "scripts/umgebung.sh"):
        r = subprocess.run(["bash", "-n", skript], cwd=PROJEKT, capture_output=True, text=True)
        assert r.returncode == 0, (skript, r.stderr)

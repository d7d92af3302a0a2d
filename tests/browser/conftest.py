"""Streamlit als Unterprozess starten und Debians Chromium mit Playwright steuern.

Ohne Chromium wird übersprungen – außer in CI (CI=true): dort ist ein fehlender Browser ein Fehler.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import IN_CI, PROJEKT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


def _freier_port() -> int:
    """Ein freier Port; `BILDUNGSMONITOR_TEST_PORTS=8631-8639`: nur aus diesem Bereich (geteilte Maschine)."""
    bereich = os.environ.get("BILDUNGSMONITOR_TEST_PORTS")
    if bereich:
        von, bis = (int(t) for t in bereich.split("-"))
        for port in range(von, bis + 1):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
        raise RuntimeError(f"Kein freier Port in {bereich}.")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamlitServer:
    """Ein frisch gestarteter Server (`python -m oberflaeche.server`, wie `start.sh`) auf 127.0.0.1."""

    def __init__(
        self,
        kommune: str,
        protokoll: Path,
        rolle: str | None = "admin",
        start: tuple[str, ...] = ("-m", "oberflaeche.server"),
    ) -> None:
        """`rolle`: im Demo-Modus vorgewählte Rolle; None = ohne Demo-Modus (sichere Voreinstellung).
        `start`: wie der Server gestartet wird (Standard wie start.sh; auch `-m streamlit run app.py`)."""
        self.port = _freier_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "BILDUNGSMONITOR_KOMMUNE": kommune}
        env.pop("BILDUNGSMONITOR_DEMO", None)
        if rolle is not None:
            env |= {"BILDUNGSMONITOR_DEMO": "1", "BILDUNGSMONITOR_DEMO_ROLLE": rolle}
        self._log = protokoll.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                *start,
                "--server.headless",
                "true",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=PROJEKT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        frist = time.monotonic() + 90
        while time.monotonic() < frist:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Streamlit ist beendet: {protokoll.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("Streamlit startet nicht innerhalb von 90 s.")

    def stoppen(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} fehlt: .ci/run muss Debians Paket chromium installieren.")
        pytest.skip("Debians Chromium ist nicht installiert")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server_musterstadt(tmp_path_factory) -> Iterator[StreamlitServer]:
    s = StreamlitServer("musterstadt", tmp_path_factory.mktemp("log") / "streamlit.log")
    yield s
    s.stoppen()


@pytest.fixture(scope="module")
def server_berlin(tmp_path_factory) -> Iterator[StreamlitServer]:
    from tests.conftest import berlin_daten_da

    if not berlin_daten_da():
        if IN_CI:
            pytest.fail("In CI müssen die Berliner Daten vorhanden sein.")
        pytest.skip("Berliner Daten nicht vorhanden")
    s = StreamlitServer("berlin", tmp_path_factory.mktemp("log") / "streamlit.log")
    yield s
    s.stoppen()


def _neue_seite(browser, hoehe: int):
    """Eine neue Seite (1280 × `hoehe`) mit Protokoll aller Anfragen in `page.anfragen`."""
    kontext = browser.new_context(viewport={"width": 1280, "height": hoehe}, locale="de-DE")
    page = kontext.new_page()
    page.anfragen = []
    page.on("request", lambda r: page.anfragen.append(r.url))
    return kontext, page


def nur_localhost(page) -> None:
    """Keine Anfrage hat localhost verlassen."""
    from urllib.parse import urlparse

    fremd = sorted({urlparse(u).hostname for u in page.anfragen} - {"127.0.0.1", "localhost", None})
    assert fremd == [], f"Anfragen außerhalb von localhost: {fremd}"


@pytest.fixture
def seite(browser):
    """Seite mit 1280×1200 (die ganze Karte sichtbar, Klicks verrutschen nicht)."""
    kontext, page = _neue_seite(browser, 1200)
    yield page
    kontext.close()


@pytest.fixture
def klein(browser):
    """Seite mit 1280×720 (Beamer)."""
    kontext, page = _neue_seite(browser, 720)
    yield page
    kontext.close()


def lieferung_hochladen(seite, url: str, datei: Path, periode: str = "2025") -> None:
    """Auf der Importseite unter `url` die Periode setzen und `datei` hochladen (Prüfung läuft danach)."""
    seite.goto(f"{url}/import", wait_until="domcontentloaded")
    seite.get_by_role("heading", name="Datenimport").wait_for(timeout=90_000)
    seite.get_by_label("Periode (falls nicht in der Tabelle)").fill(periode)
    seite.get_by_label("Periode (falls nicht in der Tabelle)").press("Enter")
    seite.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(datei))

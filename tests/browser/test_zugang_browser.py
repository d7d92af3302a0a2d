"""Jede Startart, ohne Konfiguration: keine Admin-Seite für anonyme Besucher, auch nicht beim ersten Aufruf."""

from __future__ import annotations

import pytest

from tests.browser.conftest import StreamlitServer


@pytest.fixture(scope="module")
def server_streamlit_run(tmp_path_factory):
    """`streamlit run app.py`, ohne Demo-Modus und ohne Anmeldung (so startet es, wer dem app.py-Kopf folgt)."""
    s = StreamlitServer(
        "musterstadt",
        tmp_path_factory.mktemp("log") / "streamlit.log",
        rolle=None,
        start=("-m", "streamlit", "run", "app.py"),
    )
    yield s
    s.stoppen()


@pytest.mark.parametrize("pfad", ["datenimport", "import", "index_baukasten", "index", "angebote"])
def test_erster_aufruf_einer_internen_seite_zeigt_sie_nicht(server_streamlit_run, seite, pfad):
    seite.goto(f"{server_streamlit_run.url}/{pfad}", wait_until="domcontentloaded")
    seite.get_by_text("Öffentliche Ansicht").first.wait_for(timeout=60_000)
    seite.wait_for_selector('[data-testid="stStatusWidget"]', state="hidden", timeout=60_000)
    text = seite.locator('[data-testid="stMain"]').inner_text()
    assert "Datenimport" not in text and "Lieferung" not in text
    assert "Index-Baukasten" not in seite.locator('[data-testid="stSidebarNav"]').inner_text()

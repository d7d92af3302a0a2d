"""Im Browser: eine fehlerhafte Lieferung hochladen und das Prüfprotokoll sehen (nichts wird übernommen)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import lieferung_hochladen
from tests.conftest import PROJEKT
from tests.daten.lieferung import lieferung_xlsx

pytestmark = pytest.mark.browser


def _versionen() -> set[str]:
    ordner = PROJEKT / "sample_data" / "musterstadt" / "versionen"
    return {p.name for p in ordner.iterdir()} if ordner.is_dir() else set()


def test_fehlerhafte_lieferung_zeigt_pruefprotokoll(seite, server_musterstadt, tmp_path):
    erwartet = lieferung_xlsx(tmp_path / "hze_2025.xlsx", PROJEKT / "sample_data" / "musterstadt", formel_im_wert=True)
    vorher = _versionen()
    lieferung_hochladen(seite, server_musterstadt.url, tmp_path / "hze_2025.xlsx")
    seite.get_by_role("heading", name="Prüfprotokoll").wait_for(timeout=60_000)
    text = seite.locator('[data-testid="stMain"]').inner_text()
    assert "Fehler" in text
    falsch = erwartet["falscher_schluessel"]
    if falsch:
        seite.get_by_text(falsch[0] if isinstance(falsch, tuple) else str(falsch), exact=False).first.wait_for()
    assert seite.get_by_role("button", name="Als neue Version übernehmen").count() == 0  # Fehler blockieren
    # eine Binärdatei mit CSV-Endung: deutsche Meldung, kein Absturz
    (tmp_path / "kaputt.csv").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    seite.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(
        str(tmp_path / "kaputt.csv")
    )
    seite.get_by_text("Binär", exact=False).first.wait_for(timeout=60_000)
    assert "Traceback" not in seite.content()
    assert _versionen() == vorher  # nichts geschrieben

"""Zwei App-Server auf einer Ablage: ein Import über A ist auf B sichtbar, B folgt der Vorführung auf A.

Beide Server sind eigene Prozesse (`python -m oberflaeche.server`) mit eigenem Speicher; gemeinsam ist nur die
Ablage (hier: der Ordner der Kommune und der Cache-Ordner; mit BILDUNGSMONITOR_DATENBANK die Datenbank). Die Zeiten
(Import auf A bis B zeigt ihn, Schritt auf A bis B folgt) werden gedruckt; verlangt sind höchstens 5 s nach dem
ersten Seitenlauf auf B bzw. nach dem Schritt.
"""

from __future__ import annotations

import shutil
import time

import pytest

from tests.browser.conftest import StreamlitServer, lieferung_hochladen
from tests.conftest import PROJEKT
from tests.daten.lieferung import lieferung_xlsx
from tests.datenbank_hilfe import testdatenbank  # noqa: F401  (Fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=["dateien", "postgresql"])
def zwei_server(request, tmp_path_factory):
    """Eine Kopie der Musterstadt, zwei Server darauf: mit Dateien (gemeinsamer Ordner und Cache-Ordner wie auf
    einem geteilten Laufwerk) oder in einer PostgreSQL-Datenbank (die Server lesen mit der Lese-Rolle)."""
    tmp = tmp_path_factory.mktemp("zwei")
    ordner = shutil.copytree(
        PROJEKT / "sample_data" / "musterstadt", tmp / "musterstadt", ignore=lambda *_: ["versionen"]
    )
    mp = pytest.MonkeyPatch()
    mp.setenv("BILDUNGSMONITOR_CACHE_DIR", str(tmp / "cache"))
    kommune = str(ordner)
    if request.param == "postgresql":
        from kommune.datenbank import datenbankablage
        from kommune.datenbank.uebertragung import uebernehmen

        db = request.getfixturevalue("testdatenbank")
        kommune = uebernehmen(datenbankablage(db.lesen, db.schreiben), str(ordner))
        mp.setenv("BILDUNGSMONITOR_DATENBANK", db.lesen)
        mp.setenv("BILDUNGSMONITOR_DATENBANK_SCHREIBEN", db.schreiben)
    a = StreamlitServer(kommune, tmp / "a.log")
    b = StreamlitServer(kommune, tmp / "b.log")
    yield a, b, ordner, tmp
    a.stoppen()
    b.stoppen()
    mp.undo()


def _bis(bedingung, frist_s: float, pause_s: float = 0.25) -> float | None:
    """Sekunden, bis `bedingung()` wahr ist, oder None nach `frist_s`."""
    t = time.monotonic()
    while time.monotonic() - t < frist_s:
        if bedingung():
            return time.monotonic() - t
        time.sleep(pause_s)
    return None


def test_import_ueber_a_ist_auf_b_sichtbar(browser, zwei_server):
    a, b, ordner, tmp = zwei_server
    lieferung_xlsx(tmp / "hze_2025.xlsx", ordner, falscher_schluessel=False)
    seite_b = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
    seite_b.goto(f"{b.url}/import", wait_until="domcontentloaded")
    seite_b.get_by_role("heading", name="Datenimport").wait_for(timeout=90_000)
    seite_b.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=90_000)
    datenstand = seite_b.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="Datenstand")
    assert datenstand.count() == 0  # ohne Import gibt es nur einen Stand

    seite_a = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
    lieferung_hochladen(seite_a, a.url, tmp / "hze_2025.xlsx")
    knopf = seite_a.get_by_role("button", name="Als neue Version übernehmen")
    knopf.wait_for(timeout=90_000)
    warnungen = seite_a.get_by_text("Warnungen geprüft – trotzdem übernehmen")
    if warnungen.count():
        warnungen.click()
    knopf.click(timeout=60_000)
    seite_a.get_by_text("mit", exact=False).filter(has_text="Werten angelegt").first.wait_for(timeout=90_000)
    importiert = time.monotonic()

    def b_zeigt_version() -> bool:
        seite_b.reload(wait_until="domcontentloaded")
        seite_b.get_by_role("heading", name="Datenimport").wait_for(timeout=90_000)
        seite_b.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=90_000)
        return datenstand.count() == 1  # B bietet den neuen Datenstand an (die Liste der Versionen)

    assert _bis(b_zeigt_version, 60) is not None
    dauer = time.monotonic() - importiert
    optionen = seite_b.get_by_role("option")

    def liste_offen() -> bool:  # ein später Lauf kann die gerade geöffnete Liste wieder schließen
        if not optionen.count():
            datenstand.locator("input").click()
            seite_b.wait_for_timeout(500)
        return optionen.count() > 0

    assert _bis(liste_offen, 30, pause_s=0.5) is not None
    assert "Version v0001" in optionen.all_inner_texts(), optionen.all_inner_texts()
    print(f"\nImport auf A bis B zeigt die Version: {dauer:.1f} s (mit Neuladen der Seite auf B)")
    assert dauer <= 30  # großzügig für die geteilte CI-Maschine; gedruckt wird die echte Zeit
    seite_a.close()
    seite_b.close()


def test_b_folgt_der_vorfuehrung_auf_a(browser, zwei_server):
    a, b, _, _ = zwei_server
    vorfuehrend = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
    vorfuehrend.goto(f"{a.url}/sitzung?praesentation=0", wait_until="domcontentloaded")  # mit Seitenleiste
    vorfuehrend.get_by_text("Ansicht 1 von", exact=False).first.wait_for(timeout=90_000)
    vorfuehrend.get_by_text("Vorführen: Tablets folgen lassen").click()
    vorfuehrend.get_by_text("Andere Geräte folgen dieser Ansicht").click()
    code_text = vorfuehrend.get_by_text("Code der Vorführung", exact=False).first
    code_text.wait_for(timeout=60_000)
    code = code_text.inner_text().split(":")[-1].strip()
    assert len(code) == 6

    folgend = browser.new_page(viewport={"width": 1024, "height": 768}, locale="de-DE")
    folgend.goto(f"{b.url}/sitzung?folgen={code}", wait_until="domcontentloaded")
    folgend.get_by_text(f"folgt der Vorführung {code}", exact=False).first.wait_for(timeout=90_000)
    assert folgend.get_by_text("Ansicht 1 von", exact=False).count() >= 1
    assert folgend.get_by_role("button", name="Weiter ▶").count() == 0  # das Tablet schaltet nicht selbst

    vorfuehrend.get_by_role("button", name="Weiter ▶").click()
    vorfuehrend.get_by_text("Ansicht 2 von", exact=False).first.wait_for(timeout=60_000)
    geschaltet = time.monotonic()
    folgend.get_by_text("Ansicht 2 von", exact=False).first.wait_for(timeout=30_000)
    dauer = time.monotonic() - geschaltet
    print(f"\nSchritt auf A bis B folgt: {dauer:.1f} s")
    assert dauer <= 15  # Abfrage alle 2 s; großzügig für die geteilte CI-Maschine
    folgend.close()
    vorfuehrend.close()

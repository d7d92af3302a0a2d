"""Kein gesperrter Wert in dem, was der Browser der öffentlichen Rolle bekommt (Websocket, HTTP, Downloads).

Für Musterstadt, Musterkreis und Berlin öffnet Chromium jede Seite, die die öffentliche Rolle erreicht (Übersicht,
Cockpit, Karte – auch mit einer Gruppenlücke aus dem Link –, Übergänge, Gebietsprofil mit Gebieten mit gesperrten
Zellen, Vergleich, alle Schritte des Sitzungsmodus und geteilte Sitzungslinks auf Profil und Vergleich), zeichnet
alle Websocket-Frames und
HTTP-Antworten auf und lädt im Gebietsprofil SVG und HTML-Profil herunter. Gesucht wird zweifach:

* **Nadeln** (`tests.test_schutz_ansichten.Nadeln`): voller Gleitkommatext, 8-Byte-Double (Arrow),
  deutsche Beschriftung jedes gesperrten Werts, der nirgends sichtbar vorkommt.
* **Arrow-Tabellen**: Die Frames werden als Streamlit-`ForwardMsg` gelesen, jede Datentabelle (Diagramm
  und `st.dataframe`) mit pyarrow geöffnet. Eine Zeile mit Gebietsname, Periode und Zahlenwert verrät eine
  gesperrte Zelle, wenn dieses Gebiet in dieser Periode genau diesen Wert gesperrt (und bei keinem
  sichtbaren Indikator) hat.

Gegen einen anderen Stand der App (z. B. den alten Code) prüfen: ``BILDUNGSMONITOR_NUTZLAST_PROJEKT=/pfad``;
dann zählt die Prüfung nur und schreibt die Funde in die Ausgabe, statt zu scheitern, wenn
``BILDUNGSMONITOR_NUTZLAST_NUR_ZAEHLEN=1``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.browser import conftest as browser_conftest
from tests.browser.conftest import StreamlitServer, nur_localhost
from tests.conftest import berlin_daten_da
from tests.test_schutz_ansichten import nadeln_fuer

pytestmark = pytest.mark.browser
NUR_ZAEHLEN = os.environ.get("BILDUNGSMONITOR_NUTZLAST_NUR_ZAEHLEN") == "1"


@pytest.fixture(scope="module", params=["musterstadt", "musterkreis", "berlin"])
def oeffentlich(request, tmp_path_factory, monkeypatch_modul) -> Iterator[tuple[str, StreamlitServer]]:
    """Ein Server ohne Demo-Modus: was eine anonyme Besucherin sieht (nur die öffentliche Rolle)."""
    kid = request.param
    if kid == "berlin" and not berlin_daten_da():
        pytest.skip("Berliner Daten nicht vorhanden")
    anders = os.environ.get("BILDUNGSMONITOR_NUTZLAST_PROJEKT")
    if anders:
        monkeypatch_modul.setattr(browser_conftest, "PROJEKT", Path(anders))
    s = StreamlitServer(kid, tmp_path_factory.mktemp("log") / "streamlit.log", rolle=None)
    yield kid, s
    s.stoppen()


@pytest.fixture(scope="module")
def monkeypatch_modul() -> Iterator[pytest.MonkeyPatch]:
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


# ---------------------------------------------------------------------------------------------
# Aufzeichnen
# ---------------------------------------------------------------------------------------------


class Aufnahme:
    """Alles, was eine Seite vom Server bekommt."""

    def __init__(self, page) -> None:
        self.frames: list[bytes] = []
        self.antworten: list = []
        self.downloads: list[bytes] = []
        page.on("websocket", self._ws)
        page.on("response", lambda r: self.antworten.append(r))

    def _ws(self, ws) -> None:
        ws.on("framereceived", lambda p: self.frames.append(p.encode("utf-8") if isinstance(p, str) else bytes(p)))

    def http(self) -> list[bytes]:
        koerper = []
        for r in self.antworten:
            if "/static/" in r.url or r.url.endswith((".js", ".css", ".woff2")):
                continue  # ausgelieferte Programmteile der App, keine Daten
            try:
                koerper.append(r.body())
            except Exception:  # Weiterleitungen, abgebrochene Anfragen
                continue
        return koerper


def _ruhig(page) -> None:
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="hidden", timeout=120_000)
    page.wait_for_timeout(800)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="hidden", timeout=120_000)


def _herunterladen(page, ziel) -> bytes:
    """Erst klicken, wenn die Seite ruht (sonst ersetzt ein laufender Seitenlauf den Knopf unter dem Klick);
    bleibt der Download dennoch aus (2 Kerne unter Last), ein zweiter Klick – kommt auch dann keiner, scheitert es."""
    for versuch in range(2):
        _ruhig(page)
        try:
            with page.expect_download(timeout=60_000) as d:
                ziel.click()
            return Path(d.value.path()).read_bytes()
        except Exception:
            if versuch:
                raise
            print("    (Download blieb aus, zweiter Klick)")
    raise AssertionError("unerreichbar")


def _laden(browser, url: str, herunterladen: bool = False) -> Aufnahme:
    kontext = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="de-DE", accept_downloads=True)
    page = kontext.new_page()
    page.anfragen = []
    page.on("request", lambda r: page.anfragen.append(r.url))
    auf = Aufnahme(page)
    page.goto(url, wait_until="domcontentloaded")
    page.locator('[data-testid="stMain"]').wait_for(timeout=120_000)
    page.locator("h1").first.wait_for(timeout=120_000)
    _ruhig(page)
    if herunterladen:
        for tab, knopf in (("Lage in der Verteilung", "Diagramm als SVG"), (None, "Druckfertiges Profil (HTML)")):
            if tab:
                page.get_by_role("tab", name=tab).click()
            ziel = page.get_by_role("button", name=knopf)
            if not ziel.count():
                print(f"    (kein Download „{knopf}“)")
                continue
            if page.get_by_role("button", name=f"{knopf} erstellen").count():  # langsame Datei: erst erstellen
                page.get_by_role("button", name=f"{knopf} erstellen").click()
                ziel = page.get_by_role("button", name=f"{knopf} herunterladen")
                ziel.wait_for(timeout=120_000)
            auf.downloads.append(_herunterladen(page, ziel))
    nur_localhost(page)
    kontext.close()
    return auf


# ---------------------------------------------------------------------------------------------
# Auswerten
# ---------------------------------------------------------------------------------------------


def _tabellen(frames: list[bytes]) -> Iterator:
    """Alle Arrow-Tabellen (pandas) in Streamlit-Nachrichten: Diagrammdaten und Datentabellen."""
    import pyarrow as pa
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    for f in frames:
        msg = ForwardMsg()
        try:
            msg.ParseFromString(f)
        except Exception:
            continue
        if not msg.HasField("delta") or not msg.delta.HasField("new_element"):
            continue
        el = msg.delta.new_element
        roh = []
        if el.HasField("vega_lite_chart"):
            roh += [el.vega_lite_chart.data.data] + [d.data.data for d in el.vega_lite_chart.datasets]
        if el.HasField("dataframe"):
            roh.append(el.dataframe.arrow_data.data)
        for b in roh:
            if b:
                with pa.ipc.open_stream(b) as r:
                    yield r.read_all().to_pandas()


def _schluessel(kommune, gesperrt, sichtbar) -> tuple[dict, set]:
    """(Gebietsname, Periode, Wert) → gesperrte Zellen; dieselben Tripel sichtbarer Zellen."""
    namen = {s.id: kommune.gebiete[s.id]["name"].astype(str) for s in kommune.konfiguration.ebenen}
    zu: dict[tuple, list] = {}
    for z in gesperrt.itertuples(index=False):
        zu.setdefault((namen[z.schicht][z.gebiet], str(z.periode), float(z.wert)), []).append(z)
    offen = {
        (namen[z.schicht][z.gebiet], str(z.periode), float(z.wert))
        for z in sichtbar.itertuples(index=False)
        if isinstance(z.schicht, str)
    }
    return {k: v for k, v in zu.items() if k not in offen}, offen


def _arrow_funde(tabellen, zu: dict) -> set[tuple]:
    funde: set[tuple] = set()
    for df in tabellen:
        gebiet = next((c for c in ("gebiet_name", "gebiet", "Gebiet", "name") if c in df.columns), None)
        if gebiet is None or "periode" not in df.columns:
            continue
        # nur der Wert der Zeile: Spanne und Quartile gehören zu anderen Gebieten als dem der Zeile
        for spalte in [c for c in df.columns if c in ("wert", "Wert")]:
            for g, p, w in zip(df[gebiet].astype(str), df["periode"].astype(str), df[spalte], strict=True):
                try:
                    w = float(w)
                except (TypeError, ValueError):
                    continue
                if not math.isnan(w) and (g, p, w) in zu:
                    funde |= {(z.schicht, z.indikator, z.periode, z.gebiet) for z in zu[(g, p, w)]}
    return funde


def _lueckenlinks(kommune, gesperrt) -> list[str]:
    """URL-Teile für die Karte einer Gruppenlücke: Familien mit zwei Gruppen, die mit den meisten gesperrten
    Gruppenzellen zuerst."""
    from berichte.gruppen import LueckenWahl, familien_von
    from kommune.merkmale import familien

    je = gesperrt["indikator"].value_counts()
    links = []
    for f in familien(kommune):
        if len(f.auspraegungen) >= 2 and familien_von(kommune, f.basis):
            teile = LueckenWahl(f, f.auspraegungen[0], f.auspraegungen[1]).parameter()
            link = "&".join(f"{k}={quote(v)}" for k, v in {"indikator": f.basis, **teile}.items())
            links.append((-sum(int(je.get(g, 0)) for g in f.glieder), link))
    return [link for _, link in sorted(links)]


def _seiten(kommune, kid: str, gesperrt) -> list[tuple[str, str, bool]]:
    """(Name, Pfad, herunterladen) aller öffentlich erreichbaren Seiten, mit Gebieten mit Sperren."""
    from berichte.sitzung import beispiel_sitzung
    from kommune.werte import perioden_von

    ebene = kommune.konfiguration.standard_ebene or kommune.konfiguration.ebenen[0].id
    teil = gesperrt[gesperrt["schicht"] == ebene]
    reihenfolge = [i for i in kommune.katalog.index if len(perioden_von(kommune, i)) > 1]
    erster_verlauf = next((i for i in reihenfolge if i in set(kommune.indikatoren["indikator"])), None)
    im_verlauf = teil[teil["indikator"] == erster_verlauf]["gebiet"].value_counts()
    meiste = list(teil["gebiet"].value_counts().index[:5])
    profile = list(dict.fromkeys([*im_verlauf.index[:1], *meiste[:1]]))
    q = f"ebene={ebene}"
    seiten = [("Übersicht", "/", False), ("Cockpit", "/cockpit", False), ("Karte", f"/karte?{q}", False)]
    seiten += [(f"Karte Lücke {lu}", f"/karte?{q}&{lu}", False) for lu in _lueckenlinks(kommune, teil)[:1]]
    if kommune.konfiguration.uebergaenge:
        seiten.append(("Übergänge", f"/uebergaenge?{q}", False))
    seiten += [(f"Gebietsprofil {g}", f"/gebietsprofil?{q}&gebiet={g}", True) for g in profile]
    seiten += [(f"Vergleich {meiste[0]}", f"/vergleich?{q}&gebiet={meiste[0]}", False)] if meiste else []
    sitzung = beispiel_sitzung(kid)
    seiten += [(f"Sitzung Schritt {i + 1}", f"/sitzung?schritt={i}", False) for i in range(len(sitzung))]
    if meiste:
        seiten += [
            ("Sitzungslink Profil", f"/sitzung?seite=gebietsprofil&{q}&gebiet={meiste[0]}&titel=P", False),
            ("Sitzungslink Vergleich", f"/sitzung?seite=vergleich&{q}&gebiete={quote(','.join(meiste))}&titel=V",
             False),
        ]
    return seiten


def test_keine_gesperrten_werte_in_der_nutzlast(browser, oeffentlich):
    from kommune import kommune_laden

    kid, server = oeffentlich
    kommune = kommune_laden(kid)
    gesperrt, sichtbar, nadeln = nadeln_fuer(kommune)
    zu, _ = _schluessel(kommune, gesperrt, sichtbar)
    print(f"\n{kid}: {len(gesperrt)} gesperrte Zellen, {nadeln.geprueft} mit Nadel, {len(zu)} Tripel geprüft")
    alle: dict[str, set] = {}
    for name, pfad, herunter in _seiten(kommune, kid, gesperrt):
        trenner = "&" if "?" in pfad else "?"
        auf = _laden(browser, f"{server.url}{pfad}{trenner}kommune={kid}", herunterladen=herunter)
        if name.startswith("Karte Lücke"):  # die Lücke wird wirklich gezeigt, nicht nur der Hinweis zum Link
            assert any(b"Wert der ersten Gruppe minus" in f for f in auf.frames), name
        funde = _arrow_funde(_tabellen(auf.frames), zu)
        if funde:
            print(f"    Arrow-Daten: {sorted(funde)[:3]}")
        for art, teil in (("Websocket", auf.frames), ("HTTP", auf.http()), ("Download", auf.downloads)):
            for nutzlast in teil:
                for nadel, zellen in nadeln.suchen(nutzlast).items():
                    funde |= {(z[0], z[1], z[2], z[3]) for z in zellen}
                    print(f"    {art}: {nadel} → {zellen[:3]}")
        alle[name] = funde
        mb = sum(len(f) for f in auf.frames) / 1e6
        print(f"  {name}: {len(auf.frames)} Frames ({mb:.1f} MB), {len(auf.downloads)} Downloads, "
              f"{len(funde)} gesperrte Zellen gefunden")
    gesamt = set().union(*alle.values())
    print(f"{kid}: zusammen {len(gesamt)} verschiedene gesperrte Zellen in öffentlichen Nutzlasten")
    if not NUR_ZAEHLEN:
        assert not gesamt, {k: sorted(v)[:5] for k, v in alle.items() if v}

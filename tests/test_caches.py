"""Caches überleben ihre Kommune nicht, und Streamlits `clear_cache` von Clients bleibt wirkungslos.

Issue 9: Jeder Neuladen behielt 13–27 MB, weil die Modul-Caches der Geheimhaltung (und der Umrechnung)
die alte Kommune festhielten; jeder anonyme Client konnte mit `clear_cache` so einen Neuladen auslösen.
"""

from __future__ import annotations

import dataclasses
import gc
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor

import pytest

from berichte import grundlagen
from freigabe import geheimhaltung
from geodata import erreichbarkeit, interpolation, overlay
from kommune.zwischenspeicher import Begrenzt, Objektcache

#: Caches, deren Einträge von einer Kommune (bzw. ihren GeoDataFrames) abgeleitet sind.
JE_OBJEKT = {
    "geheimhaltung._BASEN": lambda: geheimhaltung._BASEN,
    "geheimhaltung._PLAENE": lambda: geheimhaltung._PLAENE,
    "interpolation._ERGEBNISSE": lambda: interpolation._ERGEBNISSE,
    "interpolation._VORBEREITET": lambda: interpolation._VORBEREITET,
    "overlay._IDENTITAET": lambda: overlay._IDENTITAET,
    "erreichbarkeit._WOHNORTE": lambda: erreichbarkeit._WOHNORTE,
    "erreichbarkeit._DICHTE": lambda: erreichbarkeit._DICHTE,
    "grundlagen._VERSORGUNG": lambda: grundlagen._VERSORGUNG,
}
#: Caches nach Inhalt (Geometrie-Hash, Rasterdatei): sie dürfen bleiben, halten aber keine Kommune.
NACH_INHALT = {
    "overlay._SPEICHER": lambda: overlay._SPEICHER,
    "overlay._BENANNT": lambda: overlay._BENANNT,
    "overlay._GEWICHTE": lambda: overlay._GEWICHTE,
    "overlay._RASTER": lambda: overlay._RASTER,
    "overlay._ABGELEGT": lambda: overlay._ABGELEGT,
}


def _eintraege(caches: dict) -> dict[str, int]:
    return {name: len(holen()) for name, holen in caches.items()}


def _alles_rechnen(kommune, perioden: list[str] | None = None, rollen=geheimhaltung.ROLLEN, kacheln=True) -> None:
    """Was die Seiten mit einer Kommune tun: Sperrpläne, Überlagerung, Umrechnung, Profil, Kacheln, Index."""
    from berichte.cockpit import kacheln_berechnen
    from geodata.gebietswerte import gebietswerte
    from indices.berechnung import eingaben_sammeln
    from kommune.profil import gebietsprofil
    from kommune.werte import werte

    perioden = perioden or kommune.perioden
    einzug = [s.id for s in kommune.konfiguration.schichten if s.art == "einzugsbereich"]
    ebene = kommune.konfiguration.ebenen[-1].id
    indikatoren = list(kommune.katalog.index[kommune.katalog.index.isin(kommune.indikatoren["indikator"])][:4])
    for p in perioden:
        for rolle in rollen:
            geheimhaltung.sperrplan(kommune, p, rolle)
        reihe = werte(kommune, indikatoren[0], ebene, p)
        geheimhaltung.sperren_reihe(kommune, indikatoren[0], ebene, p, reihe)
        for s in einzug:
            geheimhaltung.sperrplan(kommune, p, "oeffentlich", s)
            geheimhaltung.schuetzen(
                kommune, eingaben_sammeln(kommune, indikatoren, ebene=s, werte_fn=gebietswerte).werte, s, p
            )
    for s in einzug:
        interpolation.alle_interpolieren(kommune, s)
    gebietsprofil(kommune, ebene, str(kommune.gebiete[ebene].index[0]))
    grundlagen.versorgung_und_maske(kommune, ebene, rolle="oeffentlich")  # Versorgung im Gebietsprofil
    erreichbarkeit.erreichbarkeit_kommune(kommune, ebene, "Kita")  # Wohnorte je Ebene (und Gitter)
    if kacheln:
        kacheln_berechnen(kommune)
    assert einzug and sum(_eintraege(JE_OBJEKT).values()) > 0  # die Caches wurden wirklich benutzt


def _zurueckgelassen(ref: weakref.ref) -> str:
    """Wer die Kommune noch hält (für die Fehlermeldung)."""
    k = ref()
    return "" if k is None else ", ".join(sorted({type(r).__name__ for r in gc.get_referrers(k)}))


def test_kommune_stirbt_mit_ihren_caches():
    from kommune import kommune_laden

    vorher = _eintraege(JE_OBJEKT)  # Einträge anderer, noch lebender Kommunen (Fixtures anderer Tests)
    kommune = kommune_laden("musterstadt")
    _alles_rechnen(kommune)
    assert _eintraege(JE_OBJEKT) != vorher  # es wurde wirklich etwas an der Kommune gespeichert
    refs = {"Kommune": weakref.ref(kommune)} | {f"gebiete[{s}]": weakref.ref(g) for s, g in kommune.gebiete.items()}
    refs["indikatoren"] = weakref.ref(kommune.indikatoren)
    del kommune
    gc.collect()
    lebendig = [name for name, r in refs.items() if r() is not None]
    halter = _zurueckgelassen(refs["Kommune"])
    assert lebendig == [], f"nach dem Verwerfen noch im Speicher: {lebendig} (gehalten von {halter})"
    assert _eintraege(JE_OBJEKT) == vorher


def test_zehn_ladezyklen_wachsen_nicht():
    from kommune import kommune_laden

    verlauf, lebend = [], []
    for _ in range(10):
        kommune = kommune_laden("musterstadt")
        _alles_rechnen(kommune, kommune.perioden[-1:], ("oeffentlich",), kacheln=False)
        ref = weakref.ref(kommune)
        del kommune
        gc.collect()
        lebend.append(ref() is not None)
        verlauf.append(_eintraege(JE_OBJEKT) | _eintraege(NACH_INHALT))
    assert lebend == [False] * 10
    assert verlauf[-1] == verlauf[0], f"Cache-Einträge nach Zyklus 1: {verlauf[0]}, nach Zyklus 10: {verlauf[-1]}"


def test_cache_leeren_und_ohne_zurueckgebliebene_kreise(musterstadt):
    """`cache_leeren` verwirft die Einträge an lebenden Kommunen; ohne gc stirbt eine Kommune sofort."""
    kopie = dataclasses.replace(musterstadt)
    p = kopie.perioden[-1]
    plan = geheimhaltung.sperrplan(kopie, p, "oeffentlich")
    assert geheimhaltung.sperrplan(kopie, p, "oeffentlich") is plan
    assert geheimhaltung.sperrplan(dataclasses.replace(kopie), p, "oeffentlich") is not plan  # Kopie: eigener Cache
    geheimhaltung.cache_leeren()
    assert len(geheimhaltung._PLAENE) == 0 and len(geheimhaltung._BASEN) == 0
    assert geheimhaltung.sperrplan(kopie, p, "oeffentlich") is not plan
    ref = weakref.ref(kopie)
    gc.disable()
    try:
        del kopie, plan
        assert ref() is None  # kein Kreis Kommune → Cache → Rechner → Kommune: frei ohne Garbage Collector
    finally:
        gc.enable()


def test_objektcache():
    class Ding:
        pass

    cache = Objektcache("test", max_je_objekt=2)
    a, b = Ding(), Ding()
    aufrufe = []
    assert cache.holen(a, 1, lambda: aufrufe.append(1) or "eins") == "eins"
    assert cache.holen(a, 1, lambda: aufrufe.append(1) or "nochmal") == "eins" and aufrufe == [1]
    cache.setzen(a, 2, "zwei")
    cache.setzen(a, 3, "drei")  # die älteste fällt heraus
    assert cache.get(a, 1) is None and cache.get(a, 3) == "drei"
    cache.setzen(b, 1, "b")
    assert len(cache) == 3 and cache.objekte() == 2
    del b
    gc.collect()
    assert len(cache) == 2 and cache.objekte() == 1
    cache.leeren()
    assert len(cache) == 0 and cache.get(a, 3) is None


def test_objektcache_rechnet_einen_fehlenden_eintrag_nur_einmal():
    """Viele Sitzungen zugleich, derselbe fehlende Sperrplan: einer rechnet, die anderen warten (Issue 11)."""

    class Ding:
        pass

    cache = Objektcache("test_parallel")
    ding = Ding()
    aufrufe: list[str] = []
    start = threading.Barrier(8)

    def rechnen(schluessel: str) -> str:
        aufrufe.append(schluessel)
        time.sleep(0.2)
        return f"wert {schluessel}"

    def sitzung(i: int) -> str:
        start.wait()
        schluessel = "a" if i % 4 else "b"
        return cache.holen(ding, schluessel, lambda: rechnen(schluessel))

    with ThreadPoolExecutor(8) as pool:
        ergebnisse = list(pool.map(sitzung, range(8)))
    assert sorted(aufrufe) == ["a", "b"]  # je Schlüssel eine Rechnung
    assert ergebnisse.count("wert a") == 6 and ergebnisse.count("wert b") == 2
    assert cache._rechnend == {}  # keine Sperre bleibt zurück

    def scheitert() -> str:
        raise ValueError("kaputt")

    with pytest.raises(ValueError):
        cache.holen(ding, "c", scheitert)
    assert cache.get(ding, "c") is None and cache._rechnend == {}  # ein Fehler wird nicht gespeichert


def test_begrenzt_behaelt_die_zuletzt_benutzten():
    d = Begrenzt(2)
    d["a"], d["b"] = 1, 2
    assert d["a"] == 1  # a zuletzt benutzt
    d["c"] = 3
    assert sorted(d) == ["a", "c"] and d.get("b") is None


# ---------------------------------------------------------------------------------------------------
# clear_cache von Clients
# ---------------------------------------------------------------------------------------------------


def _clear_cache_nachricht():
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.clear_cache = True
    return msg


def test_clear_cache_einer_sitzung_laesst_caches_und_zustand_stehen():
    """AppSession.handle_backmsg mit `clear_cache`: st.cache_resource und Sitzungszustand bleiben."""
    import streamlit as st
    from streamlit.runtime.app_session import AppSession, AppSessionState

    import oberflaeche.cachewaechter  # noqa: F401  (wie app.py: der Import installiert den Wächter)

    aufrufe = []

    @st.cache_resource
    def teuer(x: int) -> int:
        aufrufe.append(x)
        return x * 2

    teuer(1)
    sitzung = AppSession.__new__(AppSession)  # nur die Nachrichtenbehandlung, ohne Laufzeit
    sitzung._state = AppSessionState.SHUTDOWN_REQUESTED  # __del__ fährt dann nichts herunter
    sitzung._session_state = zustand = {"rolle": "oeffentlich"}
    sitzung.handle_backmsg(_clear_cache_nachricht())
    assert teuer(1) == 2 and aufrufe == [1], "clear_cache hat st.cache_resource geleert"
    assert zustand == {"rolle": "oeffentlich"}
    teuer.clear()


def test_wachter_ist_idempotent():
    from streamlit.runtime.app_session import AppSession

    from oberflaeche.cachewaechter import installieren

    vorher = AppSession._handle_clear_cache_request
    installieren()
    installieren()
    assert AppSession._handle_clear_cache_request is vorher


@pytest.mark.parametrize("start", [("-m", "oberflaeche.server"), ("-m", "streamlit", "run", "app.py")])
def test_clear_cache_ueber_den_websocket_wird_abgelehnt(tmp_path, start):
    """Ein anonymer Client schickt 25-mal `clear_cache`: der Server lehnt jedes ab (beide Startarten)."""
    from tests.browser.conftest import StreamlitServer

    log = tmp_path / "streamlit.log"
    server = StreamlitServer("musterstadt", log, rolle=None, start=start)
    try:
        _websocket_senden(server.port, 25)
        frist = time.monotonic() + 20
        while log.read_text().count("clear_cache") < 25 and time.monotonic() < frist:
            time.sleep(0.2)
    finally:
        server.stoppen()
    text = log.read_text()
    assert text.count("clear_cache von einem Client abgelehnt") == 25, text[-2000:]
    assert "Traceback" not in text


def _websocket_senden(port: int, anzahl: int) -> None:
    """Wie der Browser: Sitzung öffnen, die Seite einmal laufen lassen, dann `anzahl`-mal clear_cache."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect  # synchron: in der Testsitzung kann schon eine Ereignisschleife laufen

    with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], open_timeout=30) as ws:
        start = BackMsg()
        start.rerun_script.query_string = ""
        start.rerun_script.page_script_hash = ""
        ws.send(start.SerializeToString())
        frist = time.monotonic() + 60
        while time.monotonic() < frist:  # bis der erste Lauf fertig ist (Kommune geladen)
            msg = ForwardMsg()
            msg.ParseFromString(ws.recv(timeout=60))
            if msg.WhichOneof("type") == "script_finished":
                break
        for _ in range(anzahl):
            ws.send(_clear_cache_nachricht().SerializeToString())
        time.sleep(1)


def test_geaenderte_datei_ersetzt_die_kommune_im_cache(tmp_path):
    """Ein neuer Datenstand ersetzt den alten Platz im Cache; die alte Kommune wird sofort frei."""
    import os
    import shutil

    from kommune.laden import BEKANNTE_KOMMUNEN
    from oberflaeche.laden import kommune_holen

    ordner = tmp_path / "stadt"
    shutil.copytree(BEKANNTE_KOMMUNEN["musterstadt"].ordner, ordner)
    alt = kommune_holen(str(ordner))
    assert kommune_holen(str(ordner)) is alt  # unverändert: aus dem Cache
    ref = weakref.ref(alt)
    del alt
    toml = ordner / "kommune.toml"
    os.utime(toml, ns=(toml.stat().st_atime_ns, toml.stat().st_mtime_ns + 10**9))
    neu = kommune_holen(str(ordner))
    gc.collect()
    assert ref() is None, "der alte Stand blieb im Cache"
    assert kommune_holen(str(ordner)) is neu

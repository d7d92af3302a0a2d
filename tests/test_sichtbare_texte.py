"""Was Menschen sehen, sind Wörter: auf keiner Seite ein Katalogschlüssel in Klammern, kein „None“, keine
englische Streamlit-Voreinstellung, die sich setzen lässt – für jede Seite, beide Rollen, drei Kommunen."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from tests.conftest import fehlerseite_gezeigt
from tests.test_seiten import KOMMUNEN, SEITEN, _app

#: Protobuf-Felder, die nicht als Text zu sehen sind (Schlüssel, Daten, Layout, Karten-iframe, Links zum Kopieren).
TECHNISCH = {"id", "formId", "key", "type", "arrowData", "data", "spec", "columns", "lazyData", "deferredFileId"}
OHNE = ("component_instance", "code", "html", "iframe")
#: Englische Voreinstellungen von Streamlit (Platzhalter, Hilfen, Hochladefeld, Menü, Zeitüberschreitung), die
#: die App setzen oder ausblenden kann; „Choose“ = Streamlits Platzhalter. Auch der Browsertest der Bildschirme
#: (tests/browser/test_bildschirme_browser.py) prüft damit den sichtbaren Text jeder Seite.
ENGLISCH = re.compile(
    r"\b(Choose an option|Choose options|Select\.\.\.|No options to select|Browse files|No results"
    r"|Drag and drop files? here|\d+MB per file|Made with Streamlit|Request timed out|Download failed"
    r"|Deferred download|Running\.\.\.|Press Enter to apply|This app has encountered an error|Upload)\b"
)
#: Wörter, die in keinem sichtbaren Text stehen dürfen (Python- und pandas-Leerwerte).
LEERWERTE = re.compile(r"\b(None|nan|NaN|NaT)\b")
#: Spaltenköpfe, die Schlüssel oder Fachjargon zeigen.
VERBOTENE_SPALTEN = {"id", "Score", "index", "name", "score"}


def _texte_aus(d: object) -> Iterator[str]:
    if isinstance(d, dict):
        for k, v in d.items():
            if k not in TECHNISCH:
                yield from _texte_aus(v)
    elif isinstance(d, list):
        for v in d:
            yield from _texte_aus(v)
    elif isinstance(d, str):
        yield d


def _knoten(knoten: object) -> Iterator[object]:
    yield knoten
    for kind in (getattr(knoten, "children", None) or {}).values():
        yield from _knoten(kind)


def sichtbare_texte(at: AppTest) -> list[tuple[str, str]]:
    """(Elementart, Text) für alles, was die Seite zeigt: Texte, Beschriftungen, Optionen, Hilfen, Tabellen,
    Diagrammtitel. Das Karten-iframe prüft der Kartentest, Links (Code-Blöcke) sind Adressen."""
    aus = []
    for k in _knoten(at._tree):
        proto = getattr(k, "proto", None)
        art = getattr(k, "type", "")
        if proto is None or art in OHNE:
            continue
        aus += [(art, t) for t in _texte_aus(MessageToDict(proto))]
        if art in ("dataframe", "table"):
            df = k.value
            aus += [(f"{art}.spalte", str(c)) for c in df.columns]
            aus += [(art, str(v)) for v in df.astype(str).to_numpy().ravel()]
        if art in ("arrow_vega_lite_chart", "vega_lite_chart"):
            aus += [("diagramm", t) for t in re.findall(r'"title": "([^"]*)"', json.dumps(json.loads(proto.spec)))]
    return aus


def text_befunde(art: str, text: str, katalog_ids: set[str]) -> list[str]:
    """Verstöße eines sichtbaren Textes: Katalogschlüssel in eckigen Klammern, None/nan, englische Voreinstellung."""
    schlecht = []
    if any(m in katalog_ids for m in re.findall(r"\[([^\[\]]+)\]", text)):
        schlecht.append(f"Schlüssel in Klammern – {art}: {text[:120]}")
    if m := LEERWERTE.search(text):
        schlecht.append(f"None/nan – {art}: …{text[max(0, m.start() - 60) : m.end() + 60]}…")
    if m := ENGLISCH.search(text):
        schlecht.append(f"Englisch – {art}: …{text[max(0, m.start() - 60) : m.end() + 60]}…")
    return schlecht


def befunde(at: AppTest, katalog_ids: set[str]) -> list[str]:
    """Jeder Verstoß als „Art: Text“."""
    schlecht = []
    for art, text in sichtbare_texte(at):
        schlecht += text_befunde(art, text, katalog_ids)
        if art.endswith(".spalte") and text in VERBOTENE_SPALTEN:
            schlecht.append(f"Spalte „{text}“")
    for k in _knoten(at._tree):
        art, proto = getattr(k, "type", ""), getattr(k, "proto", None)
        if art == "multiselect" and not proto.placeholder:
            schlecht.append(f"Auswahl „{proto.label}“ ohne deutschen Platzhalter („Choose options“)")
        if art == "file_uploader" and not proto.help:
            schlecht.append(f"Hochladefeld „{proto.label}“ ohne deutsche Hilfe")
    if at.exception or fehlerseite_gezeigt(at):
        schlecht.append("Fehler auf der Seite")
    return schlecht


@pytest.mark.parametrize("rolle", ["admin", "oeffentlich"])
@pytest.mark.parametrize("kommune", KOMMUNEN)
def test_keine_schluessel_kein_none_kein_englisch(kommune, rolle):
    from kommune import kommune_laden

    at = _app(kommune, rolle)  # überspringt Berlin ohne Daten
    katalog_ids = set(kommune_laden(kommune).katalog.index)
    at.run()
    alle = {}
    for seite in SEITEN:
        try:
            at.switch_page(seite).run()
        except ValueError:  # für diese Rolle nicht registriert
            continue
        if b := befunde(at, katalog_ids):
            alle[seite] = sorted(set(b))[:15]
    assert not alle, json.dumps(alle, ensure_ascii=False, indent=1)


def test_befunde_erkennen_schluessel_none_und_englisch():
    """Die Prüfung selbst schlägt an (eine Seite mit allen Fehlern, gebaut aus einem kleinen Skript)."""

    def skript():
        import pandas as pd
        import streamlit as st

        st.selectbox("Indikator", ["a"], format_func=lambda i: "Kinderarmut [kinderarmut]")
        st.multiselect("Gebiete", ["x"])
        st.dataframe(pd.DataFrame({"id": ["1"], "Score": [None]}))
        st.markdown("Choose options")

    at = AppTest.from_function(skript)
    at.run()
    b = befunde(at, {"kinderarmut"})
    assert any(t.startswith("Schlüssel in Klammern") for t in b)
    assert any("ohne deutschen Platzhalter" in t for t in b)
    assert {"Spalte „id“", "Spalte „Score“"} <= set(b)
    assert any(t.startswith("None/nan") for t in b) and any(t.startswith("Englisch") for t in b)


def test_text_befunde_fuer_den_browsertext():
    assert text_befunde("seite", "Kinderarmut [S4] in Mitte", {"S4"})
    assert not text_befunde("seite", "Kinderarmut (S4) [Quelle]", {"S4"})
    assert text_befunde("seite", "Drag and drop file here · 200MB per file", set())
    assert text_befunde("seite", "Made with Streamlit", set())
    assert not text_befunde("seite", "Keine Daten · Datei hierher ziehen", set())

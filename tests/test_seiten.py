"""Jede Seite auf beiden Kommunen mit Streamlits AppTest: rendert ohne Fehler, zeigt das Erwartete."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import IN_CI, PROJEKT, berlin_daten_da

APP = PROJEKT / "app.py"

SEITEN = [
    "seiten/uebersicht.py",
    "seiten/karte.py",
    "seiten/gebietsprofil.py",
    "seiten/angebote.py",
    "seiten/index_baukasten.py",
    "seiten/cockpit.py",
    "seiten/sitzung.py",
    "seiten/vergleich.py",
    "seiten/angebote_finden.py",
    "seiten/uebergaenge.py",
    "seiten/datenimport.py",
    "seiten/meine_angebote.py",
    "seiten/angebote_pruefen.py",
]
KOMMUNEN = ["musterstadt", "musterkreis", "berlin"]


def _app(kommune: str, rolle: str = "admin", **params: str) -> AppTest:
    """Die App im Demo-Modus mit vorgewählter Rolle (Standard admin: alle Seiten erreichbar)."""
    if kommune == "berlin" and not berlin_daten_da():
        if IN_CI:
            pytest.fail("In CI müssen die Berliner Daten vorhanden sein.")
        pytest.skip("Berliner Daten nicht vorhanden")
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["demo_rolle"] = rolle
    at.query_params["kommune"] = kommune
    for k, v in params.items():
        at.query_params[k] = v
    return at


def _texte(at: AppTest) -> str:
    teile = [m.value for m in at.markdown] + [h.value for h in at.title] + [h.value for h in at.header]
    teile += [h.value for h in at.subheader] + [c.value for c in at.caption]
    return "\n".join(map(str, teile))


@pytest.mark.parametrize("kommune", KOMMUNEN)
@pytest.mark.parametrize("seite", SEITEN)
def test_seite_rendert_ohne_fehler(kommune, seite):
    at = _app(kommune)
    at.run()
    at.switch_page(seite).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.sidebar.selectbox(key="sb_kommune").value == kommune


def test_uebersicht_berlin_zeigt_ebenen_und_quellen():
    at = _app("berlin")
    at.run()
    df = at.dataframe[0].value
    assert df.set_index("ID")["Gebiete"].to_dict() == {
        "planungsraum": 542,
        "bezirksregion": 143,
        "prognoseraum": 58,
        "bezirk": 12,
        "einschulbereich": 346,
    }
    texte = _texte(at)
    assert "CC BY 3.0 DE" in texte and "Amt für Statistik Berlin-Brandenburg" in texte
    assert "OpenStreetMap" in texte


def test_karte_berlin_kinderarmut_mit_legende_und_text():
    at = _app("berlin", indikator="S4", ebene="planungsraum")
    at.run()
    at.switch_page("seiten/karte.py").run()
    assert not at.exception
    texte = _texte(at)
    assert "von 542 Gebieten der Ebene Planungsraum" in texte
    assert "Gebiete)" in texte  # Klassenlegende mit Anzahl
    assert "Senatsverwaltung für Stadtentwicklung" in texte  # Quelle des Indikators


def test_karte_bezirk_aggregiert_einwohner_exakt():
    at = _app("berlin", indikator="inhabitants", ebene="bezirk")
    at.run()
    at.switch_page("seiten/karte.py").run()
    assert not at.exception
    assert "für 12 von 12 Gebieten" in _texte(at)


def test_profil_per_url_und_rang():
    at = _app("berlin", ebene="planungsraum", gebiet="01100101")
    at.run()
    at.switch_page("seiten/gebietsprofil.py").run()
    assert not at.exception
    assert at.header[0].value == "Stülerstraße"
    tabellen = [d.value for d in at.dataframe]
    alle = "\n".join(t.to_string() for t in tabellen)
    assert "Kinderarmut" in alle and "von 5" in alle  # Rang „x von 5xx“


def test_profil_zeigt_summen_mit_deckung():
    """Pankower Tor hat keine MSS-Einwohnerzahl: Bezirksregion und Berlin zeigen die Summe mit ihrer Deckung."""
    at = _app("berlin", rolle="oeffentlich", ebene="planungsraum", gebiet="03400826")
    at.run()
    at.switch_page("seiten/gebietsprofil.py").run()
    assert not at.exception
    tabelle = next(
        d.value
        for d in at.dataframe
        if "Indikator" in d.value.columns and d.value["Indikator"].eq("Einwohner (MSS 2020)").any()
    )
    ew = tabelle.set_index("Indikator").loc["Einwohner (MSS 2020)"]
    assert ew["übergeordnet"] == "35.738 Personen (ohne 1 Planungsraum, 0 % der Einwohner von 2024)"
    assert ew["Gesamtstadt"] == "3.769.962 Personen (ohne 1 Planungsraum, 0 % der Einwohner von 2024)"
    assert any("„Kinderarmut (S4)“ (2020) ist auf gröberen Ebenen" in str(c.value) for c in at.caption)


def test_einzugsbereiche_haben_umgerechnete_werte():
    at = _app("musterstadt", ebene="schulbezirk", indikator="kinderarmut")
    at.run()
    at.switch_page("seiten/karte.py").run()
    assert not at.exception
    texte = _texte(at)
    assert "für 32 von 32 Gebieten der Ebene Grundschulbezirk" in texte
    assert any("umgerechnet" in i.value for i in at.info)


def test_unbekannte_kommune_in_url_faellt_auf_musterstadt_zurueck():
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["kommune"] = "atlantis"
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox(key="sb_kommune").value == "musterstadt"
    assert any("nicht verfügbar" in w.value for w in at.sidebar.warning)


def test_angebote_berlin_versorgung_und_handlungsbedarf():
    at = _app("berlin", ebene="einschulbereich")
    at.run()
    at.switch_page("seiten/angebote.py").run()
    assert not at.exception
    texte = _texte(at)
    assert "Gesamtstadt: **95,7 Kita-Plätze je 100 Kinder unter 6**" in texte or "95,7" in texte
    assert "Gebiete mit Handlungsbedarf" in texte
    assert "Luftlinie" in texte
    assert "292 genau eine Schule" in texte


def _markdown_html(at: AppTest) -> str:
    """Markdown-Texte ohne HTML-Tags (Legenden sind HTML)."""
    return re.sub(r"<[^>]+>", "", "\n".join(m.value for m in at.markdown))


def test_baukasten_berlin_mss_status_und_gewichtsaenderung():
    at = _app("berlin")
    at.run()
    at.switch_page("seiten/index_baukasten.py").run()
    assert not at.exception
    assert at.selectbox(key="idx_preset_Berlin").value == "mss2021-status"
    html = _markdown_html(at)
    # amtliche Klassenbesetzung des MSS 2021 (SI_N)
    for text in ("hoch (75 Gebiete)", "mittel (366 Gebiete)", "niedrig (46 Gebiete)", "sehr niedrig (49 Gebiete)"):
        assert text in html
    assert "Keine Klassenwechsel" in html
    at.selectbox(key="idx_gew_mss2021-status").set_value("manuell").run()
    assert "Keine Klassenwechsel" in _markdown_html(at)  # gleiche Gewichte 1/1/1, nur anders benannt
    at.select_slider(key="idx_w_mss2021-status_S4").set_value(5.0).run()
    assert not at.exception
    assert "Gebiete wechseln die Klasse" in _markdown_html(at)


def test_baukasten_musterstadt_alle_presets():
    at = _app("musterstadt")
    at.session_state["idx_rangliste_offen"] = True  # die ganze Rangliste (sonst nur die ersten 15 Gebiete)
    at.run()
    at.switch_page("seiten/index_baukasten.py").run()
    mit_fussnote = []
    for preset in at.selectbox(key="idx_preset_Musterstadt").options:
        at.selectbox(key="idx_preset_Musterstadt").set_value(preset).run()
        assert not at.exception, preset
        assert not at.error, (preset, [e.value for e in at.error])
        assert "Gebieten bewertet" in _markdown_html(at)
        # Rangliste ohne Kleinstgebiete vorn (die sieben kleinen Viertel der Musterstadt), mit Fußnote
        mit_fussnote += [preset] if any("ohne Gebiete unter 300 Einwohnern" in c.value for c in at.caption) else []
        vorn, rangliste = [d.value for d in at.dataframe if "Rang" in d.value.columns][:2]
        assert len(vorn) == min(15, len(rangliste)) and vorn["Gebiet"].tolist() == rangliste["Gebiet"].head(15).tolist()
        ohne_rang = rangliste["Rang"].astype(str).eq("–")
        assert not ohne_rang.any() or ohne_rang.iloc[-int(ohne_rang.sum()) :].all(), preset  # ohne Rang am Ende
        assert preset not in mit_fussnote or ohne_rang.sum() >= 7, preset
        assert (rangliste["nicht bewertet, weil"].astype(str).str.strip() != "")[ohne_rang].all(), preset
    assert mit_fussnote  # die Viertel-Indizes: sieben Kleinstgebiete ohne Rang, mit Fußnote


@pytest.mark.parametrize(
    ("rolle", "sichtbar", "verborgen"),
    [
        ("oeffentlich", {"Übersicht", "Karte", "Gebietsprofil"}, {"Index-Baukasten", "Angebote & Versorgung"}),
        ("intern", {"Übersicht", "Karte", "Index-Baukasten", "Angebote & Versorgung"}, set()),
        ("admin", {"Übersicht", "Index-Baukasten", "Angebote & Versorgung"}, set()),
    ],
)
def test_seiten_je_rolle(rolle, sichtbar, verborgen):
    at = _app("musterstadt")
    at.run()
    assert any("Demo-Modus" in w.value for w in at.warning)
    at.sidebar.selectbox(key="demo_rolle").set_value(rolle).run()
    assert not at.exception
    seiten = {
        "Übersicht": "uebersicht",
        "Karte": "karte",
        "Gebietsprofil": "gebietsprofil",
        "Index-Baukasten": "index_baukasten",
        "Angebote & Versorgung": "angebote",
    }
    for titel in sichtbar:
        at.switch_page(f"seiten/{seiten[titel]}.py").run()
        assert not at.exception and at.title[0].value == titel
    # Eine niedrigere Rolle erreicht die Seite einer höheren nicht: sie ist gar nicht registriert
    for titel in verborgen:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"seiten/{seiten[titel]}.py")


def test_lokale_anmeldung(tmp_path, monkeypatch):
    from oberflaeche.rollen import benutzer_zeile

    datei = tmp_path / "benutzer.toml"
    datei.write_text(benutzer_zeile("mueller", "intern", "geheim-und-lang"), encoding="utf-8")
    monkeypatch.setenv("BILDUNGSMONITOR_BENUTZER", str(datei))
    at = _app("musterstadt")
    at.run()
    assert not at.exception
    assert not any("Demo-Modus" in w.value for w in at.warning)
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # ohne Anmeldung öffentlich
        at.switch_page("seiten/index_baukasten.py")
    at.sidebar.text_input[0].input("mueller")
    at.sidebar.text_input[1].input("falsch")
    at.sidebar.button[0].click().run()
    assert any("falsch" in e.value for e in at.error)
    at.sidebar.text_input[0].input("mueller")
    at.sidebar.text_input[1].input("geheim-und-lang")
    at.sidebar.button[0].click().run()
    assert at.session_state["rolle"] == "intern"
    at.switch_page("seiten/index_baukasten.py").run()
    assert at.title[0].value == "Index-Baukasten"


@pytest.mark.parametrize("kommune", KOMMUNEN)
def test_sitzungsmodus_alle_schritte(kommune):
    at = _app(kommune)
    at.run()
    at.switch_page("seiten/sitzung.py").run()
    schritte = 0
    while True:
        assert not at.exception, (schritte, at.exception)
        assert not at.error, (schritte, [e.value for e in at.error])
        assert not at.dataframe  # keine Rohtabellen im Ausschuss
        schritte += 1
        weiter = at.button(key="sitzung_weiter")
        if weiter.disabled:
            break
        weiter.click().run()
    assert schritte >= 5
    assert at.query_params["schritt"] == [str(schritte - 1)] or at.query_params["schritt"] == str(schritte - 1)


def test_sitzungsmodus_link_reproduziert_ansicht():
    at = _app("berlin", seite="karte", ebene="bezirk", indikator="S4", titel="Kinderarmut je Bezirk", schritt="1")
    at.run()
    at.switch_page("seiten/sitzung.py").run()
    assert not at.exception
    assert at.title[0].value == "Kinderarmut je Bezirk"
    assert "für 12 von 12 Gebieten der Ebene Bezirk" in _texte(at)


def _kleinstes_viertel(at: AppTest) -> str:
    from kommune import kommune_laden
    from kommune.werte import werte

    k = kommune_laden("musterstadt")
    return werte(k, "einwohner", "viertel", "2024").idxmin()


def test_oeffentliche_rolle_sieht_kleine_gebiete_gesperrt():
    at = _app("musterstadt", indikator="kinderarmut", ebene="viertel")
    at.run()
    at.sidebar.selectbox(key="demo_rolle").set_value("oeffentlich").run()
    at.switch_page("seiten/karte.py").run()
    assert not at.exception
    html = _markdown_html(at)
    assert "gesperrt (Geheimhaltung)" in html  # eigene Klasse in der Legende
    klein = _kleinstes_viertel(at)
    assert not at.dataframe  # die Tabelle zur Karte entsteht erst beim Aufklappen
    at.session_state["karte_tabelle_offen"] = True
    at.run()
    tabelle = at.dataframe[0].value.set_index("ID")
    assert tabelle.loc[klein, "Wert"] == "." and tabelle.loc[klein, "Klasse"] == "gesperrt"
    # Admin sieht den Rohwert
    at.sidebar.selectbox(key="demo_rolle").set_value("admin").run()
    at.switch_page("seiten/karte.py").run()
    at.session_state["karte_tabelle_offen"] = True
    at.run()
    tabelle = at.dataframe[0].value.set_index("ID")
    assert tabelle.loc[klein, "Wert"] != "."


def test_sitzungsmodus_sperrt_auch_fuer_admin():
    at = _app("musterstadt", seite="karte", ebene="viertel", indikator="kinderarmut", titel="Kinderarmut")
    at.run()
    assert at.sidebar.selectbox(key="demo_rolle").value == "admin"
    at.switch_page("seiten/sitzung.py").run()
    assert not at.exception
    assert "gesperrt (Geheimhaltung)" in _markdown_html(at)


def test_berichte_sperren_nach_rolle():
    from kommune import kommune_laden
    from kommune.werte import werte
    from oberflaeche import schutz

    k = kommune_laden("musterstadt")
    reihe = werte(k, "kinderarmut", "viertel", "2024")
    oeffentlich = schutz.geschuetzt(k, "kinderarmut", "viertel", "2024", reihe, rolle="oeffentlich")[0]
    admin = schutz.geschuetzt(k, "kinderarmut", "viertel", "2024", reihe, rolle="admin")[0]
    assert oeffentlich.notna().sum() < reihe.notna().sum() == admin.notna().sum()


def test_ablauf_in_der_app_zusammenstellen():
    at = _app("musterstadt", indikator="kinderarmut", ebene="stadtteil")
    at.run()
    at.switch_page("seiten/karte.py").run()
    at.button(key="karte_zur_sitzung").click().run()
    at.switch_page("seiten/gebietsprofil.py").run()
    at.button(key="profil_zur_sitzung").click().run()
    at.switch_page("seiten/sitzung.py").run()
    at.sidebar.radio(key="sitzung_quelle").set_value("eigen").run()
    assert not at.exception
    texte = _texte(at)
    assert "Ansicht 1 von 2" in texte
    assert at.title[0].value == "Kinderarmut (SGB II) je Stadtteil"
    at.button(key="sitzung_weiter").click().run()
    assert at.title[0].value.startswith("Profil ")


def test_eigene_kommune_und_datenstand_festlegen(tmp_path, monkeypatch):
    import shutil

    from kommune.versionen import importieren
    from tests.daten.lieferung import lieferung_xlsx

    ordner = tmp_path / "meinestadt"
    shutil.copytree(PROJEKT / "sample_data" / "musterstadt", ordner)
    lieferung = lieferung_xlsx(tmp_path / "l.xlsx", ordner, falscher_schluessel=False)
    assert lieferung["zeilen"] > 0
    ergebnis = importieren(ordner, tmp_path / "l.xlsx", periode="2025", nutzer="Test")
    assert ergebnis.version, ergebnis.protokoll.text()
    monkeypatch.setenv("BILDUNGSMONITOR_KOMMUNE", str(ordner))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["demo_rolle"] = "admin"
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox(key="sb_kommune").value == str(ordner)
    stand = at.sidebar.selectbox(key=f"sb_version_{ordner}")
    assert f"Version {ergebnis.version}" in stand.options
    assert "2025" in at.sidebar.selectbox(key=f"sb_periode_{ordner}").options
    stand.set_value("original").run()
    assert at.query_params["version"] in (["original"], "original")
    assert "2025" not in at.sidebar.selectbox(key=f"sb_periode_{ordner}").options


def _ansicht_inhalt(at: AppTest) -> tuple[str, list[str]]:
    """Titel und Texte der gezeigten Ansicht (ohne Kopfzeile mit der Schrittnummer)."""
    texte = [str(m.value) for m in at.markdown if "Ansicht " not in str(m.value) and "<style" not in str(m.value)]
    return at.title[0].value, [t for t in texte if t and not t.startswith("<span")]


@pytest.mark.parametrize("kommune", ["musterstadt", "berlin"])
def test_sitzungsmodus_link_zeigt_dasselbe_wie_der_geblaetterte_schritt(kommune):
    from urllib.parse import parse_qsl, urlsplit

    at = _app(kommune, rolle="oeffentlich")
    at.run()
    at.switch_page("seiten/sitzung.py").run()
    at.button(key="sitzung_weiter").click().run()
    geblaettert = _ansicht_inhalt(at)
    assert geblaettert[1], "der Schritt hat einen Einleitungstext"
    link = next(c.value for c in at.code if "schritt=1" in c.value)
    parameter = dict(parse_qsl(urlsplit(link).query))
    assert parameter.pop("kommune") == kommune and "text" not in parameter  # kurz: der Text kommt vom Schritt
    neu = _app(kommune, rolle="oeffentlich", **parameter)
    neu.run()
    neu.switch_page("seiten/sitzung.py").run()
    assert not neu.exception and not [w for w in neu.warning if "Link" in w.value]
    assert _ansicht_inhalt(neu) == geblaettert


def test_sitzungsmodus_qr_nur_mit_erreichbarer_adresse(monkeypatch):
    at = _app("musterstadt", rolle="oeffentlich")
    at.run()
    at.switch_page("seiten/sitzung.py").run()
    assert any("localhost" in i.value and "BILDUNGSMONITOR_OEFFENTLICHE_URL" in i.value for i in at.info)
    assert not any("QR-Code zur aktuellen Ansicht" in m.value for m in at.markdown)  # keiner, der nicht geht
    monkeypatch.setenv("BILDUNGSMONITOR_OEFFENTLICHE_URL", "https://monitor.example.de")
    at.run()
    assert any(m.value.startswith("<svg") and "QR-Code" in m.value for m in at.markdown)
    assert any(c.value.startswith("https://monitor.example.de/sitzung?kommune=musterstadt") for c in at.code)
    assert not any("localhost" in i.value for i in at.info)


def test_karte_beginnt_ruhig_ohne_angebote():
    """Die Karte zeigt Angebote erst auf Wunsch: sonst verdecken dichte Punkte die Flächenfarben (Issue 12)."""
    at = _app("musterstadt")
    at.run()
    at.switch_page("seiten/karte.py").run()
    assert not at.exception
    assert at.multiselect(key="angebote_Musterstadt").value == []
    at.multiselect(key="angebote_Musterstadt").select("Kita").run()
    assert not at.exception and at.multiselect(key="angebote_Musterstadt").value == ["Kita"]

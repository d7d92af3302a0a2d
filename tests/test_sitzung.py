"""Sitzungsmodus: TOML- und URL-Rundreise, Prüfungen mit deutschen Meldungen, QR-Code."""

from __future__ import annotations

import unicodedata
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from berichte.sitzung import (
    SEITEN,
    Ansicht,
    Sitzung,
    SitzungsFehler,
    ansicht_pruefen,
    ansicht_url,
    ansicht_zu_query,
    beispiel_sitzung,
    kommune_aus_query,
    qr_svg,
    query_zu_ansicht,
    sitzung_als_toml,
    sitzung_aus_toml,
    sitzung_laden,
    sitzung_pruefen,
    sitzung_speichern,
)

IDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,20}", fullmatch=True)
# Texte werden beim Lesen NFC-normalisiert (ein „豈“ U+F900 wird U+8C48): die Rundreise gilt für normalisierte Texte
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs"), blacklist_characters="<>"), max_size=60
).map(lambda t: unicodedata.normalize("NFC", t))

STUFE = TEXT.filter(lambda t: t.strip())


@st.composite
def ansichten(draw) -> Ansicht:
    seite = draw(st.sampled_from(list(SEITEN)))
    n = {"gebietsprofil": 1, "vergleich": draw(st.integers(2, 5))}.get(seite, draw(st.integers(0, 5)))
    gebiete = tuple(draw(st.lists(IDS, min_size=n, max_size=n, unique=True)))
    index = draw(IDS) if seite == "index" else draw(st.none() | IDS)
    indikator = draw(IDS) if seite == "karte" and index is None else draw(st.none() | IDS)
    extra: dict = {}
    if seite == "karte" and draw(st.booleans()):  # Lücke zwischen zwei Gruppen
        a, b = draw(st.lists(IDS, min_size=2, max_size=2, unique=True))
        indikator = draw(IDS)
        extra = {"merkmal": draw(IDS), "gruppe_a": a, "gruppe_b": b,
                 "mass": draw(st.none() | st.sampled_from(["differenz", "verhaeltnis"]))}  # fmt: skip
    if seite == "uebergaenge":  # Herkunft und Ziel sind Texte (Umlaute, Leerzeichen, „→“)
        extra = {"tabelle": draw(IDS), "von": draw(STUFE), "nach": draw(STUFE)}
    return Ansicht(
        titel=draw(TEXT.filter(lambda t: t.strip())),
        seite=seite,
        ebene=None if seite == "cockpit" and draw(st.booleans()) else draw(IDS),
        indikator=indikator,
        gebiete=gebiete,
        index=index,
        periode=draw(st.none() | st.from_regex(r"20[0-9]{2}", fullmatch=True)),
        text=draw(TEXT),
        **extra,
    )


@settings(max_examples=150, deadline=None)
@given(ansichten())
def test_url_rundreise(a):
    q = ansicht_zu_query(a, "musterstadt")
    assert all(isinstance(v, str) for v in q.values())
    assert query_zu_ansicht(q) == a
    # auch über eine echte Adresse (Kodierung von Umlauten, Kommas, Leerzeichen)
    url = ansicht_url("http://localhost:8501/sitzung", a, "musterstadt", mit_text=True)
    params = {k: v for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}
    assert query_zu_ansicht(params) == a
    assert kommune_aus_query(params) == "musterstadt"


@settings(max_examples=60, deadline=None)
@given(st.lists(ansichten(), min_size=1, max_size=6), TEXT.filter(lambda t: t.strip()))
def test_toml_rundreise(liste, titel):
    s = Sitzung(titel=titel, kommune="berlin", ansichten=tuple(liste), beschreibung="Test „mit“ \\ und \"")
    assert sitzung_aus_toml(sitzung_als_toml(s)) == s


@pytest.mark.parametrize(
    ("params", "teil"),
    [
        ({"seite": "karte", "ebene": "viertel", "indikator": "<script>alert(1)</script>"}, "ungültig"),
        ({"seite": "admin"}, "muss eine von"),
        ({"seite": "karte", "ebene": "../../etc/passwd", "indikator": "x"}, "ungültig"),
        ({"seite": "cockpit", "titel": "<img src=x onerror=alert(1)>"}, "spitzen Klammern"),
        ({"seite": "cockpit", "titel": "a\x00b"}, "Steuerzeichen"),
        ({"seite": "cockpit", "titel": "x" * 500}, "zu lang"),
        ({"seite": "vergleich", "ebene": "viertel", "gebiete": "a,b,c,d,e,f"}, "höchstens 5"),
        ({"seite": "vergleich", "ebene": "viertel", "gebiete": "a,a"}, "doppelt"),
        ({"seite": "gebietsprofil", "ebene": "viertel"}, "genau ein Gebiet"),
        ({"seite": "karte", "ebene": "viertel", "indikator": "x", "hacker": "1"}, "unbekannt"),
        ({"seite": "karte", "ebene": "viertel", "indikator": ["a", "b"]}, "nur einmal"),
        ({"kommune": "/etc", "seite": "cockpit"}, "ungültig"),
        ({"ebene": "viertel"}, "fehlt die Seite"),
    ],
)
def test_boesartige_oder_falsche_adressen_werden_abgewiesen(params, teil):
    with pytest.raises(SitzungsFehler, match=teil):
        query_zu_ansicht(params)


def test_app_parameter_werden_ignoriert():
    a = query_zu_ansicht({"seite": "cockpit", "schritt": "3", "sitzung": "musterstadt"})
    assert a.seite == "cockpit" and a.titel == "Cockpit"


def test_beispielsitzungen_passen_zur_kommune(musterstadt, berlin):
    for kommune, kid in ((musterstadt, "musterstadt"), (berlin, "berlin")):
        s = beispiel_sitzung(kid)
        assert 5 <= len(s) <= 8 and s.kommune == kid
        assert sitzung_pruefen(s, kommune) == []
        assert {a.seite for a in s.ansichten} >= {"karte", "gebietsprofil", "vergleich", "index", "cockpit"}
        for a in s.ansichten:
            assert query_zu_ansicht(ansicht_zu_query(a, kid)) == a


def test_pruefen_gegen_kommune(musterstadt):
    a = Ansicht(titel="X", seite="vergleich", ebene="viertel", indikator="gibtsnicht", gebiete=("010101", "999"))
    meldungen = ansicht_pruefen(a, musterstadt)
    assert any("Indikator „gibtsnicht“" in m for m in meldungen)
    assert any("Gebiet „999“" in m for m in meldungen)
    assert ansicht_pruefen(a.mit(indikator="kita_plaetze", gebiete=("010101", "010102")), musterstadt) == []


def test_datei_speichern_laden_und_fehler(tmp_path):
    s = beispiel_sitzung("musterstadt")
    pfad = tmp_path / "s.toml"
    sitzung_speichern(s, pfad)
    assert sitzung_laden(pfad) == s
    pfad.write_text('titel = "A"\nkommune = "musterstadt"\n[[ansicht]]\ntitel = "B"\nseite = "karte"\n')
    with pytest.raises(SitzungsFehler, match="braucht eine „ebene“") as e:
        sitzung_laden(pfad)
    assert "s.toml" in e.value.text
    pfad.write_text('titel = "A\nkommune = 1')
    with pytest.raises(SitzungsFehler, match="kein gültiges TOML"):
        sitzung_laden(pfad)
    with pytest.raises(SitzungsFehler, match="mindestens eine"):
        sitzung_aus_toml('titel = "A"\nkommune = "berlin"\n')


def test_schritte_bleiben_im_bereich():
    s = beispiel_sitzung("berlin")
    assert s.schritt(-1) == s.ansichten[0] and s.schritt(99) == s.ansichten[-1]


def test_qr_svg():
    url = ansicht_url("http://localhost:8501/sitzung", beispiel_sitzung("musterstadt").ansichten[3], "musterstadt")
    svg = qr_svg(url)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<title>" in svg and "<script" not in svg and "href" not in svg
    with pytest.raises(SitzungsFehler):
        qr_svg("")


def test_ablauf_einer_kommune_aus_eigenem_ordner(tmp_path):
    """Regression (Issue 10): eine Kommune aus ihrem Ordner hat einen Pfad als ID → „Ungültige Kommune“."""
    from berichte.sitzung import kurz_id, sitzung_als_toml, sitzung_aus_toml, sitzung_fuer
    from kommune.laden import kommune_laden
    from tests.mini import mini_kommune

    ordner = mini_kommune(tmp_path / "Meine Stadt")
    k = kommune_laden(ordner)
    s = sitzung_fuer(k, str(ordner))
    assert s.kommune == kurz_id(str(ordner)) == "meine-stadt"
    assert [a.seite for a in s.ansichten] == ["karte", "gebietsprofil", "vergleich"]
    assert s.ansichten[0].indikator == "armut" and s.ansichten[1].gebiete == ("0101",)  # „Nord“ vor „Ost“ und „Süd“
    assert sitzung_aus_toml(sitzung_als_toml(s)) == s
    q = ansicht_zu_query(s.ansichten[0], str(ordner))
    assert "kommune" not in q and q["seite"] == "karte"  # kein Serverpfad in geteilten Links
    # ein eigener Ablauf im Ordner der Kommune geht vor
    (ordner / "sitzungen").mkdir()
    (ordner / "sitzungen" / "rat.toml").write_text(
        'titel = "Rat"\nkommune = "meine-stadt"\n\n[[ansicht]]\ntitel = "Karte"\nseite = "karte"\n'
        'ebene = "bezirk"\nindikator = "kinder"\n',
        encoding="utf-8",
    )
    assert sitzung_fuer(k, str(ordner)).titel == "Rat"


# --- Link und QR-Code für andere Geräte ---------------------------------------------------------


@pytest.mark.parametrize(
    "seitenadresse",
    ["http://localhost:8501/sitzung?x=1", "http://127.0.0.1:8771/sitzung", "http://[::1]:8501/", None, "kaputt"],
)
def test_nur_localhost_gibt_hinweis_statt_qr(seitenadresse):
    from berichte.sitzung import link_basis

    b = link_basis(seitenadresse)
    assert not b.teilbar
    assert "localhost" in b.hinweis and "BILDUNGSMONITOR_OEFFENTLICHE_URL" in b.hinweis and "[sitzung]" in b.hinweis
    assert b.adresse.endswith("/sitzung")


def test_oeffentliche_adresse_vor_konfiguration_vor_browser():
    from berichte.sitzung import link_basis

    aus_browser = link_basis("https://192.168.1.20:8501/sitzung?schritt=2")
    assert aus_browser.teilbar and aus_browser.adresse == "https://192.168.1.20:8501/sitzung"
    konf = link_basis("http://localhost:8501/sitzung", konfiguriert="https://monitor.example.de/")
    assert konf.teilbar and konf.adresse == "https://monitor.example.de/sitzung" and not konf.hinweis
    umg = link_basis(
        "http://localhost:8501/", umgebung="https://stadt.example.de/bildung", konfiguriert="https://x.example.de"
    )
    assert umg.adresse == "https://stadt.example.de/bildung/sitzung"  # Pfad eines Reverse-Proxys bleibt
    assert link_basis("http://localhost:8501/", umgebung="  ").teilbar is False  # leer = nicht gesetzt


@pytest.mark.parametrize("falsch", ["monitor.example.de", "ftp://x.example.de", "https://x.example.de/?a=1", "", 42])
def test_falsche_basisadresse_wird_deutsch_abgewiesen(falsch):
    from berichte.sitzung import link_basis

    with pytest.raises(SitzungsFehler, match="basis_url"):
        link_basis("http://localhost:8501/", konfiguriert=falsch)


def test_basis_url_aus_der_kommune_toml(musterstadt):
    import dataclasses

    from berichte.sitzung import basis_url_aus_konfiguration

    assert basis_url_aus_konfiguration(musterstadt) is None

    def mit(abschnitt):
        konf = dataclasses.replace(musterstadt.konfiguration, erweiterungen={"sitzung": abschnitt})
        return dataclasses.replace(musterstadt, konfiguration=konf)

    mit_adresse = mit({"basis_url": "https://monitor.example.de/"})
    assert basis_url_aus_konfiguration(mit_adresse) == "https://monitor.example.de"
    with pytest.raises(SitzungsFehler, match="Unbekannter Schlüssel „url“"):
        basis_url_aus_konfiguration(mit({"url": "https://monitor.example.de"}))


def test_link_bekommt_den_einleitungstext_seines_schritts():
    from berichte.sitzung import ansicht_aus_link, link_braucht_text

    s = beispiel_sitzung("berlin")
    schritt = s.ansichten[1]
    assert schritt.text
    link = query_zu_ansicht(ansicht_zu_query(schritt, "berlin", mit_text=False))
    assert link.text == ""
    assert ansicht_aus_link(link, s, 1) == schritt
    assert ansicht_aus_link(link, s, 0) == schritt  # falsche Schrittnummer: der passende Schritt zählt
    live = ansicht_aus_link(link.mit(ebene="bezirk"), s, 1)  # live geändert: Ebene bleibt, Text kommt dazu
    assert live.ebene == "bezirk" and live.text == schritt.text
    fremd = Ansicht("Etwas anderes", "karte", "bezirk", "S4")
    assert ansicht_aus_link(fremd, s, 1) == fremd
    # der Link trägt den Text nur, wenn das Zielgerät ihn nicht aus dem Standardablauf kennt
    assert not link_braucht_text(schritt, s, s)
    eigen = Ansicht("Eigene Karte", "karte", "bezirk", "S4", text="Für den Ausschuss")
    assert link_braucht_text(eigen, Sitzung("Eigen", "berlin", (eigen,)), s)
    assert not link_braucht_text(fremd, s, s)

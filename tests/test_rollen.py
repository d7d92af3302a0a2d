"""Rollen, Seitenrechte, Passwort-Hashes und OIDC-Rollenzuordnung."""

from __future__ import annotations

from oberflaeche.rollen import anmelden, benutzer_lesen, benutzer_zeile, darf, modus, rolle_fuer_email


def test_hoehere_rolle_darf_alles_der_niedrigeren():
    assert darf("oeffentlich", "karte") and not darf("oeffentlich", "index_baukasten")
    assert darf("intern", "index_baukasten") and not darf("intern", "datenimport")
    assert darf("admin", "datenimport") and darf("admin", "karte")
    assert not darf("gast", "karte") and not darf("oeffentlich", "unbekannte_seite")


def test_passwoerter_gesalzen_und_geprueft(tmp_path):
    datei = tmp_path / "b.toml"
    datei.write_text(benutzer_zeile("a", "admin", "pw-eins-lang") + benutzer_zeile("b", "intern", "pw-eins-lang"))
    benutzer = benutzer_lesen(datei)
    assert benutzer["a"]["salz"] != benutzer["b"]["salz"] and benutzer["a"]["hash"] != benutzer["b"]["hash"]
    assert "pw-eins-lang" not in datei.read_text()
    assert anmelden(benutzer, "a", "pw-eins-lang") == "admin"
    assert anmelden(benutzer, "a", "falsch") is None
    assert anmelden(benutzer, "niemand", "pw-eins-lang") is None


def test_kaputte_benutzerdatei_gibt_keine_benutzer(tmp_path):
    datei = tmp_path / "b.toml"
    datei.write_text('[[benutzer]]\nname = "x"\nrolle = "kaiser"\nsalz = "00"\nhash = "00"\n')
    assert benutzer_lesen(datei) == {}
    datei.write_text("kein toml [[[")
    assert benutzer_lesen(datei) == {}


def test_oidc_rollen_nach_adresse_und_domain(tmp_path):
    datei = tmp_path / "rollen.toml"
    datei.write_text('[rollen]\n"chefin@stadt.de" = "admin"\n"@stadt.de" = "intern"\n')
    assert rolle_fuer_email("Chefin@Stadt.de", datei) == "admin"
    assert rolle_fuer_email("kollege@stadt.de", datei) == "intern"
    assert rolle_fuer_email("besuch@example.org", datei) == "oeffentlich"
    assert rolle_fuer_email(None, datei) == "oeffentlich"


def test_modus():
    assert modus({}, oidc_konfiguriert=True) == "oidc"
    assert modus({"BILDUNGSMONITOR_BENUTZER": "x"}) == "lokal"
    assert modus({}) == "oeffentlich"  # nichts eingerichtet: geringste Berechtigung
    assert modus({"BILDUNGSMONITOR_DEMO": "1"}) == "demo"
    assert modus({"BILDUNGSMONITOR_DEMO": "0"}) == "oeffentlich"

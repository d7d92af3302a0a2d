"""Rollen, Seitenrechte, Passwort-Hashes und OIDC-Rollenzuordnung."""

from __future__ import annotations

import pytest

from kommune.fehler import KommuneFehler
from oberflaeche.rollen import anmelden, benutzer_lesen, benutzer_zeile, darf, modus, passwort_hash, rolle_fuer_email


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
    assert rolle_fuer_email("Chefin@Stadt.de", datei, email_bestaetigt=True) == "admin"
    assert rolle_fuer_email("kollege@stadt.de", datei, email_bestaetigt=True) == "intern"
    assert rolle_fuer_email("besuch@example.org", datei, email_bestaetigt=True) == "oeffentlich"
    assert rolle_fuer_email(None, datei, email_bestaetigt=True) == "oeffentlich"


def test_oidc_unbestaetigte_adresse_bekommt_keine_rolle(tmp_path):
    """Ohne `email_verified = true` des Identitätsanbieters zählt die Adresse nicht (jede:r kann sie eintragen)."""
    datei = tmp_path / "rollen.toml"
    datei.write_text('[rollen]\n"chefin@stadt.de" = "admin"\n"@stadt.de" = "intern"\n')
    assert rolle_fuer_email("chefin@stadt.de", datei) == "oeffentlich"
    for unklar in (False, None, "true", 1):
        assert rolle_fuer_email("chefin@stadt.de", datei, email_bestaetigt=unklar) == "oeffentlich"  # type: ignore[arg-type]
    assert rolle_fuer_email("chefin@stadt.de", datei, email_bestaetigt=True) == "admin"


def test_oidc_aufrufer_reicht_email_verified_weiter(monkeypatch, tmp_path):
    """`zugang.rolle_ermitteln` gibt die Rolle nur bei bestätigter Adresse."""
    from oberflaeche import zugang

    datei = tmp_path / "rollen.toml"
    datei.write_text('[rollen]\n"chefin@stadt.de" = "admin"\n')
    monkeypatch.setenv("BILDUNGSMONITOR_ROLLEN", str(datei))
    monkeypatch.setattr(zugang, "_oidc_konfiguriert", lambda: True)

    class Nutzer(dict):
        is_logged_in = True

    class Leiste:
        def caption(self, *a, **k):
            pass

        def button(self, *a, **k):
            return False

    monkeypatch.setattr(zugang.st, "sidebar", Leiste())
    for behauptung, erwartet in ((None, "oeffentlich"), (False, "oeffentlich"), (True, "admin")):
        nutzer = Nutzer(email="chefin@stadt.de", name="Chefin")
        if behauptung is not None:
            nutzer["email_verified"] = behauptung
        monkeypatch.setattr(zugang.st, "user", nutzer)
        assert zugang.rolle_ermitteln() == erwartet


EINSCHLEUSUNG = 'eve"\n[[benutzer]]\nname = "root"\nrolle = "admin"\nsalz = "{salz}"\nhash = "{hash}"\n#'


def _einschleusung() -> str:
    salz, h = passwort_hash("gewaehltes-passwort", b"\x01" * 16)
    return EINSCHLEUSUNG.format(salz=salz, hash=h)


@pytest.mark.parametrize(
    "name", ["", "mit leerzeichen", 'a"b', "a\nb", "ümlaut", "x" * 65, "a'b", "a]b", "a\\b", "a=b"]
)
def test_ungueltige_namen_abgelehnt(name):
    with pytest.raises(KommuneFehler, match="Benutzername ist ungültig"):
        benutzer_zeile(name, "intern", "pw-eins-lang")


def test_gueltige_namen_rund(tmp_path):
    datei = tmp_path / "b.toml"
    namen = ["mueller", "a.b-c_d", "person@stadt.de", "X" * 64, "7"]
    datei.write_text("".join(benutzer_zeile(n, "intern", "pw-eins-lang") for n in namen))
    assert sorted(benutzer_lesen(datei)) == sorted(namen)


def test_benutzer_cli_verhindert_toml_einschleusung(tmp_path, monkeypatch, capsys):
    """Fall aus issue 9: ein Name mit eigenem TOML legte einen Admin mit gewähltem Passwort an."""
    from oberflaeche.benutzer import main

    datei = tmp_path / "benutzer.toml"
    datei.write_text(benutzer_zeile("mueller", "intern", "pw-eins-lang"), encoding="utf-8")
    vorher = datei.read_bytes()
    monkeypatch.setenv("BILDUNGSMONITOR_NEUES_PASSWORT", "ein-langes-passwort")
    assert main([_einschleusung(), "--rolle", "oeffentlich", "--datei", str(datei)]) == 1
    fehler = capsys.readouterr().err
    assert fehler.startswith("Fehler: Der Benutzername ist ungültig") and "Traceback" not in fehler
    assert datei.read_bytes() == vorher
    assert anmelden(benutzer_lesen(datei), "root", "gewaehltes-passwort") is None


def test_benutzer_zeile_schreibt_kein_fremdes_toml():
    """Auch direkt aufgerufen erzeugt `benutzer_zeile` nie einen zweiten Eintrag."""
    with pytest.raises(KommuneFehler):
        benutzer_zeile(_einschleusung(), "oeffentlich", "pw-eins-lang")
    with pytest.raises(KommuneFehler, match="Unbekannte Rolle"):
        benutzer_zeile("eve", 'admin"\nx = "', "pw-eins-lang")


def test_doppelte_namen_abgelehnt(tmp_path, monkeypatch, capsys):
    from oberflaeche.benutzer import main

    datei = tmp_path / "b.toml"
    datei.write_text(benutzer_zeile("a", "oeffentlich", "pw-eins-lang") + benutzer_zeile("a", "admin", "pw-zwei-lang"))
    with pytest.raises(KommuneFehler, match="„a“ steht mehrfach"):
        benutzer_lesen(datei)
    datei.write_text(benutzer_zeile("a", "intern", "pw-eins-lang"))
    monkeypatch.setenv("BILDUNGSMONITOR_NEUES_PASSWORT", "ein-langes-passwort")
    assert main(["a", "--rolle", "admin", "--datei", str(datei)]) == 1
    assert "gibt es schon" in capsys.readouterr().err
    assert list(benutzer_lesen(datei)) == ["a"] and benutzer_lesen(datei)["a"]["rolle"] == "intern"
    assert main(["b", "--rolle", "admin", "--datei", str(datei)]) == 0
    assert anmelden(benutzer_lesen(datei), "b", "ein-langes-passwort") == "admin"


def test_modus():
    assert modus({}, oidc_konfiguriert=True) == "oidc"
    assert modus({"BILDUNGSMONITOR_BENUTZER": "x"}) == "lokal"
    assert modus({}) == "oeffentlich"  # nichts eingerichtet: geringste Berechtigung
    assert modus({"BILDUNGSMONITOR_DEMO": "1"}) == "demo"
    assert modus({"BILDUNGSMONITOR_DEMO": "0"}) == "oeffentlich"

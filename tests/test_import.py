"""Import über die Kommandozeile: Prüfprotokoll, atomare Versionen, Wiederherstellen, Eigenschaftstests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from daten.kleinstadt import kleinstadt
from daten.lieferung import ZUORDNUNG, lieferung_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from freigabe.__main__ import main
from freigabe.tabellenexport import indikatortabelle, sperren_von
from kommune import KommuneFehler, kommune_laden
from kommune import versionen as vs
from kommune.__main__ import main as kommune_main

PROJEKT = Path(__file__).resolve().parent.parent
MUSTERSTADT = PROJEKT / "sample_data" / "musterstadt"


@pytest.fixture
def kopie(tmp_path):
    """Eine Kopie der Musterstadt (sample_data bleibt unberührt)."""
    return Path(shutil.copytree(MUSTERSTADT, tmp_path / "musterstadt"))


def _stand(ordner: Path) -> dict[str, bytes]:
    return {str(p.relative_to(ordner)): p.read_bytes() for p in sorted(ordner.rglob("*")) if p.is_file()}


def test_echte_lieferung_mit_fehlern_ueber_cli(kopie, tmp_path):
    """Titelzeile, Fußnoten, Dezimalkomma als Text, verlorene Null (ergänzt), kleine Fallzahl, Formel im Wert."""
    erwartet = lieferung_xlsx(tmp_path / "hze_2025.xlsx", kopie, formel_im_wert=True)
    (tmp_path / "zuordnung.toml").write_text(ZUORDNUNG, encoding="utf-8")
    vorher = _stand(kopie)
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "freigabe",
            "import",
            str(kopie),
            str(tmp_path / "hze_2025.xlsx"),
            "--mapping",
            str(tmp_path / "zuordnung.toml"),
            "--user",
            "Frau Schmidt",
            "--protocol",
            str(tmp_path / "protokoll.xlsx"),
        ],
        cwd=PROJEKT,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )
    assert r.returncode == 1
    assert r.stderr.strip().count("\n") == 0 and r.stderr.startswith("Fehler: Der Import wurde")
    falsch, richtig, zeile = erwartet["falscher_schluessel"]
    aus = r.stdout
    assert aus.startswith("Prüfprotokoll für „hze_2025.xlsx“: 1 Fehler")
    assert (
        f"Warnung: Datei „hze_2025.xlsx“, Zeile {zeile}, Spalte „Viertel-Nr.“: 1 Gebietsschlüssel hatte "
        f"(1 verschiedene) weniger als 6 Stellen – führende Nullen verloren, z. B. als Zahl in Excel gespeichert – "
        f"und wurde mit Nullen ergänzt: „{falsch}“ → „{richtig}“ (Zeile {zeile})."
    ) in aus
    assert f"Zeile {erwartet['formel_im_wert']}, Spalte „Hilfen zur Erziehung¹)“: Die Zelle enthält eine Formel" in aus
    gid, z = erwartet["kleine_fallzahl"][0]
    assert f"Zeile {z}, Spalte „Hilfen zur Erziehung¹)“: Kleine Fallzahl 2 bei „hze_faelle“ in Gebiet „{gid}“" in aus
    assert "Spalte „Details“: Die Spalte enthält 110 Formel(n), z. B. =HYPERLINK(" in aus
    assert "3 Zeile(n) über der Kopfzeile" in aus and "2 Fußnotenzeile(n) am Ende übersprungen" in aus
    assert f"Sprung bei „kinder_sgb2“ in Gebiet „{erwartet['sprung']}“" in aus
    assert "„<script>alert(1)</script>“ enthält HTML-Zeichen" in aus
    assert "Summenzeile „Insgesamt“" in aus
    assert _stand(kopie) == vorher  # nichts geändert
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "protokoll.xlsx")["Prüfprotokoll"]
    assert ws["A6"].value == "Fehler"


def test_echte_lieferung_korrigiert_wird_version(kopie, tmp_path):
    erwartet = lieferung_xlsx(tmp_path / "hze_2025.xlsx", kopie, falscher_schluessel=False)
    (tmp_path / "zuordnung.toml").write_text(ZUORDNUNG, encoding="utf-8")
    original = (kopie / "indikatoren.csv").read_bytes()
    rc = main(
        [
            "import",
            str(kopie),
            str(tmp_path / "hze_2025.xlsx"),
            "--mapping",
            str(tmp_path / "zuordnung.toml"),
            "--user",
            "Frau Schmidt",
        ]
    )
    assert rc == 0
    assert (kopie / "indikatoren.csv").read_bytes() == original  # Originaldateien bleiben
    m = vs.manifest_lesen(kopie)
    assert m["aktiv"] == "v0001"
    v = m["versionen"][0]
    assert v["wer"] == "Frau Schmidt" and v["quelle"] == "hze_2025.xlsx" and v["zeilen"] == 330
    assert v["sha256"] == vs.sha256(tmp_path / "hze_2025.xlsx") and v["pruefprotokoll"]["fehler"] == 0
    assert (kopie / "versionen" / "v0001" / "lieferung" / "hze_2025.xlsx").is_file()
    assert (kopie / "versionen" / "zuordnung.toml").is_file()
    k = vs.kommune_mit_version(kommune_laden(kopie))
    assert "2025" in k.perioden
    tab = indikatortabelle(k, "viertel", "2025", "oeffentlich").set_index("ID")
    maske, gruende = sperren_von(tab)
    gid, _ = erwartet["kleine_fallzahl"][0]
    kopf = "Hilfen zur Erziehung [hze_faelle]"
    assert maske.loc[gid, kopf] and gruende.loc[gid, kopf] == "Fallzahl unter 5" and np.isnan(tab.loc[gid, kopf])
    sichtbar = tab[kopf].dropna()
    assert not ((sichtbar > 0) & (sichtbar < 5)).any()
    # zweite Lieferung ohne --mapping: die gespeicherte Zuordnung wird verwendet
    lieferung_xlsx(tmp_path / "hze_2025b.xlsx", kopie, falscher_schluessel=False)
    assert main(["import", str(kopie), str(tmp_path / "hze_2025b.xlsx")]) == 0
    assert vs.aktive_version(kopie) == "v0002"
    # wiederherstellen
    vs.wiederherstellen(kopie, "v0001", "admin")
    assert vs.aktive_version(kopie) == "v0001"
    vs.wiederherstellen(kopie, vs.ORIGINAL)
    assert vs.aktive_version(kopie) is None
    assert "2025" not in vs.kommune_mit_version(kommune_laden(kopie)).perioden
    assert vs.datei_pfad(k.konfiguration, "indikatoren.csv") == kopie / "indikatoren.csv"
    assert vs.datei_pfad(k.konfiguration, "indikatoren.csv", "v0002") == kopie / "versionen/v0002/indikatoren.csv"
    with pytest.raises(KommuneFehler, match="Datenversion „v0009“ gibt es nicht"):
        vs.version_ordner(kopie, "v0009")


def test_fehlgeschlagener_import_laesst_version_unberuehrt(kopie, tmp_path, monkeypatch):
    lieferung_xlsx(tmp_path / "a.xlsx", kopie, falscher_schluessel=False)
    (tmp_path / "z.toml").write_text(ZUORDNUNG, encoding="utf-8")
    assert main(["import", str(kopie), str(tmp_path / "a.xlsx"), "--mapping", str(tmp_path / "z.toml")]) == 0
    vorher = _stand(kopie)

    def kaputt(*_a, **_k):
        raise OSError("Platte voll")

    monkeypatch.setattr(vs.os, "rename", kaputt)
    with pytest.raises(OSError):
        vs.importieren(kopie, tmp_path / "a.xlsx", None)
    monkeypatch.undo()
    assert _stand(kopie) == vorher  # kein halber Ordner, Manifest unverändert
    assert not list((kopie / "versionen").glob(".tmp-*"))
    # Gegenprobe lehnt ab → Fehler im Protokoll, nichts geändert
    monkeypatch.setattr(vs, "_fortschreiben", lambda *a, **k: ("indikatoren.csv", b"kaputt;\n\x00"))
    e = vs.importieren(kopie, tmp_path / "a.xlsx", None)
    assert e.version is None and "Die neue Version wurde nicht angelegt" in e.protokoll.text()
    assert _stand(kopie) == vorher


def test_import_nur_pruefen_und_sperre(kopie, tmp_path, capsys):
    lieferung_xlsx(tmp_path / "a.xlsx", kopie, falscher_schluessel=False)
    assert main(["import", str(kopie), str(tmp_path / "a.xlsx"), "--period", "2025", "--check-only"]) == 0
    assert "Nur geprüft" in capsys.readouterr().out
    assert not (kopie / "versionen" / "versionen.json").exists()
    (kopie / "versionen").mkdir(exist_ok=True)
    (kopie / "versionen" / ".sperre").write_text("123")
    with pytest.raises(KommuneFehler, match="anderer Import"):
        vs.version_anlegen(kopie, {"x.csv": b"a"}, {})
    assert main(["import", str(kopie), str(tmp_path / "fehlt.xlsx")]) == 1
    assert "Die Datei wurde nicht gefunden." in capsys.readouterr().out


def test_cli_info_unveraendert(capsys):
    assert kommune_main(["info", "musterstadt"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["name"] == "Musterstadt" and info["perioden"] == ["2022", "2023", "2024"]


# ------------------------------------------------------------------------------------------------
# Eigenschaften: kaputte Tabellen und kleine Zahlen
# ------------------------------------------------------------------------------------------------

ZELLEN = st.one_of(
    st.sampled_from(
        [
            "a1",
            "a2",
            "b3",
            "c1",
            "A1",
            "a9",
            "",
            " ",
            ".",
            "-",
            "x",
            "1.234,5",
            "12,5",
            "3",
            "0",
            "-4",
            "kinder",
            "hze",
            "quote",
            "2024",
            "2025",
            "=1+1",
            "<b>x</b>",
            "Insgesamt",
            "1) Fußnote",
        ]
    ),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8),
)


@pytest.fixture(scope="module")
def basis(tmp_path_factory):
    return kleinstadt(tmp_path_factory.mktemp("basis"))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kopf=st.lists(
        st.sampled_from(
            [
                "gebiet_id",
                "indikator",
                "periode",
                "wert",
                "zaehler",
                "nenner",
                "name",
                "",
                "Kinder unter 15",
                "hze",
                "x",
            ]
        ),
        min_size=1,
        max_size=7,
    ),
    zeilen=st.lists(st.lists(ZELLEN, min_size=0, max_size=8), min_size=0, max_size=12),
    trenner=st.sampled_from([";", ",", "\t"]),
    kodierung=st.sampled_from(["utf-8", "cp1252"]),
)
def test_eigenschaft_kaputte_tabellen(basis, tmp_path_factory, kopf, zeilen, trenner, kodierung):
    ordner = Path(shutil.copytree(basis, tmp_path_factory.mktemp("k") / "k"))
    vs.version_anlegen(ordner, {"werte.csv": basis / "werte.csv"}, {"wer": "test"})
    vorher = _stand(ordner)
    text = "\n".join(trenner.join(z) for z in [kopf, *zeilen])
    datei = ordner.parent / "lieferung.csv"
    datei.write_bytes(text.encode(kodierung, errors="replace"))
    e = vs.importieren(ordner, datei, None, periode="2025")
    p = e.protokoll
    assert not any(b.pruefung == "intern" for b in p.befunde), p.text()
    for b in p.befunde:
        assert b.stufe in ("Fehler", "Warnung", "Hinweis") and len(b.text) > 10
        assert b.text[0].isupper() or b.text[0].isdigit() or b.text[0] in "„…", b.text
    if not p.ok:
        assert e.version is None and _stand(ordner) == vorher
        assert p.fehler and all(b.text.endswith((".", "?", ")")) for b in p.fehler)
    else:
        assert e.version == "v0002"


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(werte=st.lists(st.integers(0, 12), min_size=7, max_size=7))
def test_eigenschaft_import_kleiner_zahlen_nie_oeffentlich(basis, tmp_path_factory, werte):
    ordner = Path(shutil.copytree(basis, tmp_path_factory.mktemp("k") / "k"))
    zeilen = (
        ["gebiet_id;indikator;periode;wert"]
        + [f"{g};hze;2025;{w}" for g, w in zip(["a1", "a2", "a3", "b1", "b2", "b3", "c1"], werte, strict=True)]
        + [f"{g};einwohner;2025;900" for g in ["a1", "a2", "a3", "b1", "b2", "b3", "c1"]]
    )
    (ordner.parent / "l.csv").write_text("\n".join(zeilen), encoding="utf-8")
    basis_kommune = kommune_laden(ordner)
    e = vs.importieren(basis_kommune, ordner.parent / "l.csv", None)
    assert e.protokoll.ok, e.protokoll.text()
    k = vs.kommune_mit_version(basis_kommune)
    for schicht in ("viertel", "bezirk", "sprengel"):
        tab = indikatortabelle(k, schicht, "2025", "oeffentlich")
        sichtbar = tab["Hilfen zur Erziehung [hze]"].dropna()
        assert not ((sichtbar > 0) & (sichtbar < 5)).any()
    klein = [w for w in werte if 0 < w < 5]
    assert len([b for b in e.protokoll.befunde if b.pruefung.startswith("kleine_fallzahl")]) == len(klein)


# ------------------------------------------------------------------------------------------------
# issue 9: ein Wert steht nur einmal; Gegenprobe vor dem Aktivieren; Protokollpfad vorab geprüft
# ------------------------------------------------------------------------------------------------

BREIT_TOML = """
[[indikatoren]]
datei = "breit.csv"
ebene = "viertel"
format = "breit"
id_spalte = "vid"
periode = "2022"
quelle = "test"
"""


@pytest.fixture
def mit_breiter_tabelle(tmp_path):
    from daten.kleinstadt import TOML

    ordner = kleinstadt(tmp_path / "k", toml=TOML + BREIT_TOML)
    (ordner / "breit.csv").write_text(
        "vid;hze\n" + "".join(f"{v};{i + 6}\n" for i, v in enumerate(["a1", "a2", "a3", "b1", "b2", "b3", "c1"])),
        encoding="utf-8",
    )
    return ordner


def test_korrektur_eines_werts_der_breiten_tabelle_steht_nur_einmal(mit_breiter_tabelle, tmp_path):
    ordner = mit_breiter_tabelle
    (tmp_path / "korrektur.csv").write_text("gebiet_id;indikator;periode;wert\na1;hze;2022;9\n", encoding="utf-8")
    e = vs.importieren(ordner, tmp_path / "korrektur.csv", None, ebene="viertel")
    assert e.version == "v0001", e.protokoll.text()
    assert "1 Werte standen schon in „breit.csv“ und werden dort ersetzt" in e.protokoll.text()
    k = kommune_laden(ordner)
    hze = k.indikatoren[(k.indikatoren["indikator"] == "hze") & (k.indikatoren["periode"] == "2022")]
    assert len(hze) == 7 and hze.set_index("gebiet").loc["a1", "wert"] == 9
    assert "2022" not in (ordner / "versionen" / "v0001" / "werte.csv").read_text(encoding="utf-8")
    assert main(["export", str(ordner), "--level", "bezirk", "--out", str(tmp_path / "b.csv")]) == 0


def test_gegenprobe_exportiert_alle_ebenen_vor_dem_aktivieren(mit_breiter_tabelle, tmp_path, monkeypatch):
    import freigabe.tabellenexport as te

    ordner = mit_breiter_tabelle
    (tmp_path / "l.csv").write_text("gebiet_id;indikator;periode;wert\na1;hze;2025;9\n", encoding="utf-8")
    vorher = _stand(ordner)
    ebenen = []
    echt = te.indikatortabelle

    def export_scheitert_bei_bezirk(kommune, schicht_id, *a, **k):
        ebenen.append(schicht_id)
        if schicht_id == "bezirk":
            raise ValueError("kaputt")
        return echt(kommune, schicht_id, *a, **k)

    monkeypatch.setattr(te, "indikatortabelle", export_scheitert_bei_bezirk)
    e = vs.importieren(ordner, tmp_path / "l.csv", None, ebene="viertel")
    assert e.version is None and ebenen[:2] == ["viertel", "bezirk"]
    assert "Gegenprobe (Kommune neu laden und alle Ebenen exportieren) ist gescheitert" in e.protokoll.text()
    assert _stand(ordner) == vorher and vs.aktive_version(ordner) is None
    monkeypatch.undo()
    assert vs.importieren(ordner, tmp_path / "l.csv", None, ebene="viertel").version == "v0001"


def test_protokoll_in_unbeschreibbaren_ordner_vor_dem_import_abgelehnt(kopie, tmp_path, capsys):
    lieferung_xlsx(tmp_path / "a.xlsx", kopie, falscher_schluessel=False)
    (tmp_path / "z.toml").write_text(ZUORDNUNG, encoding="utf-8")
    (tmp_path / "eine_datei").write_text("x")
    vorher = _stand(kopie)
    argv = ["import", str(kopie), str(tmp_path / "a.xlsx"), "--mapping", str(tmp_path / "z.toml")]
    assert main([*argv, "--protocol", str(tmp_path / "eine_datei" / "p.xlsx")]) == 1
    assert "ist eine Datei, kein Ordner" in capsys.readouterr().err
    assert _stand(kopie) == vorher and vs.aktive_version(kopie) is None


def test_cli_symbol_deutet_zeichen_um(tmp_path, capsys):
    ordner = kleinstadt(tmp_path / "k")
    (tmp_path / "l.csv").write_text(
        "gebiet_id;indikator;periode;wert\na1;hze;2025;-\na2;hze;2025;NA\n", encoding="utf-8"
    )
    argv = ["import", str(ordner), str(tmp_path / "l.csv"), "--level", "viertel"]
    assert main([*argv, "--check-only"]) == 1  # „NA“ ist kein amtliches Zeichen
    assert "Der Wert „NA“ ist keine Zahl." in capsys.readouterr().out
    assert main([*argv, "--symbol", "NA=leer", "--symbol=-=leer"]) == 0
    werte = (ordner / "versionen" / "v0001" / "werte.csv").read_text(encoding="utf-8")
    assert "a1;hze;2025;;;\n" in werte and "a2;hze;2025;;;\n" in werte
    assert main([*argv, "--symbol=-=nix"]) == 1
    assert "Unbekannte Bedeutung „nix“" in capsys.readouterr().err


def test_vermerk_geheim_bleibt_in_der_zieltabelle(tmp_path):
    ordner = kleinstadt(tmp_path / "k")
    (tmp_path / "l.csv").write_text(
        "gebiet_id;indikator;periode;wert\na1;hze;2025;.\na2;hze;2025;-\n", encoding="utf-8"
    )
    assert vs.importieren(ordner, tmp_path / "l.csv", None, ebene="viertel").version == "v0001"
    werte = (ordner / "versionen" / "v0001" / "werte.csv").read_text(encoding="utf-8")
    assert "a1;hze;2025;.;" in werte and "a2;hze;2025;0;" in werte
    k = kommune_laden(ordner).indikatoren.set_index(["gebiet", "indikator", "periode"])["wert"]
    assert np.isnan(k[("a1", "hze", "2025")]) and k[("a2", "hze", "2025")] == 0


def test_import_ags_auf_ars_ebene_wird_version(tmp_path, capsys):
    """Lieferung mit 8-stelligen AGS (eine ohne führende Null) auf eine Ebene mit 12-stelligen ARS: eine neue
    Version mit den ARS; das Prüfprotokoll zählt die Umrechnung."""
    import geopandas as gpd
    from shapely.geometry import box

    from tests.mini import X0, Y0, mini_kommune

    ars = ["031515401001", "031515401002", "031510009009"]
    viertel = gpd.GeoDataFrame(
        {"vid": ars, "vname": ["Nord", "Süd", "Ost"], "bid": ["01", "01", "02"]},
        geometry=[box(X0 + i * 1000, Y0, X0 + (i + 1) * 1000, Y0 + 1000) for i in range(3)],
        crs="EPSG:25832",
    )
    werte = "gebiet_id;indikator;periode;wert;zaehler;nenner\n" + "".join(f"{a};kinder;2024;100;;\n" for a in ars)
    ordner = mini_kommune(tmp_path / "kreis", werte=werte, viertel=viertel)
    (tmp_path / "l.csv").write_text("AGS;Jahr;Kinder\n03151001;2025;111\n3151002;2025;122\n03151009;2025;133\n")
    assert main(["import", str(ordner), str(tmp_path / "l.csv"), "--user", "Test"]) == 0
    ausgabe = capsys.readouterr().out
    assert "3 Gebietsschlüssel (3 verschiedene) wurden vom 8-stelligen Amtlichen Gemeindeschlüssel (AGS)" in ausgabe
    assert "Bei 1 dieser Schlüssel fehlte die führende Null (z. B. „3151002“)" in ausgabe
    m = vs.manifest_lesen(ordner)
    assert m["aktiv"] == "v0001" and m["versionen"][0]["pruefprotokoll"]["fehler"] == 0
    k = vs.kommune_mit_version(kommune_laden(ordner))
    neu = k.indikatoren[k.indikatoren["periode"] == "2025"].set_index("gebiet")["wert"].to_dict()
    assert neu == {"031515401001": 111.0, "031515401002": 122.0, "031510009009": 133.0}


def test_kommune_cli_nennt_den_umgezogenen_befehl(capsys):
    """Export und Import stehen in `python -m freigabe`; `python -m kommune export|import` sagt das in einem Satz."""
    for befehl in ("export", "import"):
        assert kommune_main([befehl, "musterstadt", "--level", "viertel", "--out", "x.csv"]) == 1
        err = capsys.readouterr().err
        assert (
            err == f"Fehler: Der Befehl „{befehl}“ heißt jetzt „python -m freigabe {befehl} …“ (gleiche Argumente).\n"
        )

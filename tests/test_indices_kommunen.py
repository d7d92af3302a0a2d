"""Index-Motor mit echten Kommunen: MSS-2021-Nachbildung (Berlin), Presets, Kommandozeile."""

from __future__ import annotations

import pandas as pd
import pytest

from indices import (
    DefinitionFehler,
    eingaben_sammeln,
    index_aus_matrix,
    index_berechnen,
    preset,
    presets_fuer,
    redundanz_pruefen,
    sensitivitaet,
    zusammenhang_fuer,
)
from indices.__main__ import main
from kommune.werte import werte

UNGUELTIGE_PLR = {"03300515", "03400831", "04400725", "05300838", "06200418", "10100205"}


# -- Berlin: Monitoring Soziale Stadtentwicklung 2021 ------------------------------------------


@pytest.mark.parametrize(("preset_id", "quelle"), [("mss2021-status", "SI_N"), ("mss2021-dynamik", "DI_N")])
def test_mss2021_reproduziert_veroeffentlichte_klassen(berlin, preset_id, quelle):
    r = index_berechnen(berlin, preset(berlin, preset_id))
    t = r.tabelle
    veroeffentlicht = werte(berlin, quelle, "planungsraum", "2020").reindex(t.index)
    gueltig = veroeffentlicht.notna()
    assert int(gueltig.sum()) == 536
    assert (t["klasse"][gueltig].astype(int) == veroeffentlicht[gueltig].astype(int)).all()
    nicht = t[~t["bewertet"]]
    assert set(nicht.index) == UNGUELTIGE_PLR
    assert (nicht["grund"] == "in der Quelle ungültig").all() and nicht["klasse"].isna().all()
    if preset_id == "mss2021-status":
        assert r.klassen_anzahl.to_dict() == {"hoch": 75, "mittel": 366, "niedrig": 46, "sehr niedrig": 49}
    else:
        assert r.klassen_anzahl.to_dict() == {"positiv": 48, "stabil": 436, "negativ": 52}


def test_mss_grenzfaelle_haben_abstand(berlin):
    """Die Nachbildung hängt nicht an Rundung: kein Score liegt näher als 0,001 SD an einer Schwelle
    (knappster Fall: Fürstenplatz, Dynamik 1,00186; die Quelldaten haben 5 Nachkommastellen)."""
    for preset_id in ("mss2021-status", "mss2021-dynamik"):
        d = preset(berlin, preset_id)
        s = index_berechnen(berlin, d).bewertet["score"].to_numpy()
        abstand = min(abs(s - t).min() for t in d.klassierung.schwellen)
        assert abstand > 0.001


def test_berlin_sensitivitaet_und_redundanz(berlin):
    d = preset(berlin, "mss2021-status")
    e = eingaben_sammeln(berlin, d)
    s = sensitivitaet(e, d, n=1000, spanne=0.2, seed=1)
    assert len(s.tabelle) == 536
    assert s.tabelle["p_klassenwechsel"].between(0, 1).all()
    assert set(s.nicht_robust.index) <= set(s.tabelle.index)
    _, warnungen = redundanz_pruefen(e, d)
    assert any(w.startswith("S3 und S1 korrelieren mit r = 0,9") for w in warnungen)


def test_berlin_zusammenhang_und_grobe_ebene(berlin):
    r = index_berechnen(berlin, preset(berlin, "mss2021-status"))
    z = zusammenhang_fuer(berlin, r, "KI_02")
    assert z.gewichtet and z.n == 536 and z.spearman_rho > 0.3 and z.verhaeltnis > 1
    grob = index_berechnen(berlin, preset(berlin, "mss2021-status"), ebene="bezirk")
    assert grob.anzahl_bewertet == 0  # SI_N ist ein Klassenwert und auf Bezirken nicht bestimmbar
    assert grob.tabelle["grund"].str.startswith("Gültigkeit (SI_N) auf dieser Ebene nicht bekannt").all()


def test_berlin_presets(berlin):
    assert {"mss2021-status", "mss2021-dynamik", "bildungsbenachteiligung"} <= set(presets_fuer(berlin))
    r = index_berechnen(berlin, preset(berlin, "bildungsbenachteiligung"))
    assert r.anzahl_bewertet == 536


# -- Musterstadt ---------------------------------------------------------------------------------


def test_musterstadt_presets(musterstadt):
    alle = presets_fuer(musterstadt)
    assert set(alle) == {"sozialindex", "bildungsbeteiligung", "bildungsteilhabeindex"}
    sozial = index_berechnen(musterstadt, alle["sozialindex"])
    assert 95 <= sozial.anzahl_bewertet < 110
    assert (sozial.tabelle["grund"] == "unter Mindestbevölkerung").sum() == 7
    teilhabe = index_berechnen(musterstadt, alle["bildungsbeteiligung"])
    assert teilhabe.lesart == "höherer Wert = mehr Teilhabe"
    beide = pd.DataFrame({"s": sozial.tabelle["score"], "t": teilhabe.tabelle["score"]}).dropna()
    assert beide["s"].corr(beide["t"], method="spearman") < -0.3


def test_bildungsteilhabeindex_ohne_und_mit_interpolation(musterstadt):
    d = preset(musterstadt, "bildungsteilhabeindex")
    leer = index_berechnen(musterstadt, d)
    assert leer.ebene == "schulbezirk" and leer.anzahl_bewertet == 0 and len(leer.tabelle) == 32
    assert leer.tabelle["klasse"].isna().all()

    def flaechen_werte(kommune, indikator, schicht_id, periode):
        """Stellvertreter für die Flächen-Interpolation: ein Viertelwert je Schulbezirk."""
        if schicht_id != "schulbezirk":
            return werte(kommune, indikator, schicht_id, periode)
        quelle = werte(kommune, indikator, "viertel", periode).dropna()
        ids = kommune.gebiete["schulbezirk"].index
        return pd.Series(quelle.to_numpy()[: len(ids)], index=ids, dtype=float)

    r = index_berechnen(musterstadt, d, werte_fn=flaechen_werte)
    assert r.anzahl_bewertet == 32
    assert r.tabelle["score"].between(0, 1).all()
    assert r.tabelle["klasse"].notna().all() and r.klassen_labels[0] == "sehr geringe Teilhabechancen"
    z = zusammenhang_fuer(musterstadt, r, "ferienprogramm", werte_fn=flaechen_werte)
    assert z.n == 32


def test_unbekannter_indikator_und_ebene(musterstadt):
    d = preset(musterstadt, "sozialindex")
    with pytest.raises(DefinitionFehler, match="nicht im Katalog"):
        index_berechnen(musterstadt, d.mit(indikatoren=(("gibtsnicht", 1, 1),)))
    with pytest.raises(Exception, match="Ebene „mond“"):
        index_berechnen(musterstadt, d, ebene="mond")
    e = eingaben_sammeln(musterstadt, d)
    with pytest.raises(DefinitionFehler, match="neu sammeln"):
        index_aus_matrix(e, d.mit(indikatoren=(("vhs_teilnahme", 1, -1),)))


# -- Kommandozeile -------------------------------------------------------------------------------


def test_cli_presets(capsys):
    assert main(["presets", "musterstadt"]) == 0
    zeilen = capsys.readouterr().out.strip().splitlines()
    assert [z.split("\t")[0] for z in zeilen] == ["bildungsbeteiligung", "bildungsteilhabeindex", "sozialindex"]


def test_cli_csv(tmp_path, capsys):
    ziel = tmp_path / "sozial.csv"
    assert main(["compute", "musterstadt", "--preset", "sozialindex", "--period", "2023", "--out", str(ziel)]) == 0
    df = pd.read_csv(ziel, dtype={"unit_id": str})
    assert list(df.columns[:5]) == ["unit_id", "score", "class", "class_label", "rank"]
    assert len(df) == 110 and df.loc[~df["rated"], "class"].isna().all()
    assert (df.loc[~df["rated"], "class_label"] == "nicht bewertet").all()
    neben = tmp_path / "sozial.csv.definition.toml"
    assert 'id = "sozialindex"' in neben.read_text(encoding="utf-8")
    assert "kinderarmut: 2023" in neben.read_text(encoding="utf-8")


def test_cli_xlsx_berlin(berlin, tmp_path):
    from openpyxl import load_workbook

    ziel = tmp_path / "mss.xlsx"
    assert main(["compute", "berlin", "--preset", "mss2021-status", "--out", str(ziel)]) == 0
    wb = load_workbook(ziel)
    assert wb.sheetnames == ["Index", "Definition"]
    ws = wb["Index"]
    assert [c.value for c in ws[1]][:5] == ["unit_id", "score", "class", "class_label", "rank"]
    assert ws.max_row == 543 and ws["B2"].number_format == "#,##0.000"
    definition = "\n".join(str(r[0].value or "") for r in wb["Definition"].iter_rows())
    assert 'id = "mss2021-status"' in definition and "schwellen = [-1.0, 1.0, 1.5]" in definition


@pytest.mark.parametrize(
    ("argumente", "teil"),
    [
        (["compute", "musterstadt", "--preset", "gibtsnicht", "--out", "x.csv"], "Das Preset „gibtsnicht“"),
        (["compute", "musterstadt", "--preset", "sozialindex", "--out", "x.pdf"], "Ausgabeformat"),
        (["compute", "nirgendwo", "--preset", "x", "--out", "x.csv"], "Die Kommune „nirgendwo“"),
        (["compute", "musterstadt", "--preset", "sozialindex", "--level", "mond", "--out", "x.csv"], "Ebene „mond“"),
    ],
)
def test_cli_fehler(argumente, teil, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argumente) == 1
    fehler = capsys.readouterr().err.strip().splitlines()
    assert len(fehler) == 1 and fehler[0].startswith("Fehler: ") and teil in fehler[0]


def test_cli_nichts_bewertet_meldet_fehler_und_schreibt_nichts(capsys, tmp_path):
    """Regression (Issue 10): „0 von 346 Gebieten bewertet“ galt als Erfolg (Exit 0, leere Datei)."""
    definition = tmp_path / "zu_gross.toml"
    definition.write_text(
        'id = "zu_gross"\nname = "Nur Großstädte"\nmindest_einwohner = 1e9\nbevoelkerung_indikator = "einwohner"\n'
        '\n[[indikator]]\nid = "kinderarmut"\n',
        encoding="utf-8",
    )
    ziel = tmp_path / "index.csv"
    assert main(["compute", "musterstadt", "--preset", str(definition), "--level", "viertel", "--out", str(ziel)]) == 1
    fehler = capsys.readouterr().err.strip().splitlines()
    assert len(fehler) == 1 and fehler[0].startswith("Fehler: Nur Großstädte: Keines der ")
    assert "Gebiete der Ebene Stadtviertel ließ sich bewerten" in fehler[0] and "Häufigster Grund" in fehler[0]
    assert not ziel.exists()


def test_presets_aus_dem_ordner_der_kommune_und_startdefinition(tmp_path):
    """Presets liegen im Ordner der Kommune (`presets/*.toml`); ohne sie eine Startdefinition aus dem Katalog."""
    from indices.presets import START_ID, baukasten_vorlagen, presets_fuer
    from kommune.laden import kommune_laden
    from tests.mini import mini_kommune

    ordner = mini_kommune(tmp_path / "mini")
    k = kommune_laden(ordner)
    assert presets_fuer(k) == {}
    start = baukasten_vorlagen(k)[START_ID]
    assert start.indikator_ids == ("armut", "quote") and [e.richtung for e in start.indikatoren] == [1, -1]
    (ordner / "presets").mkdir()
    (ordner / "presets" / "armut.toml").write_text(
        'id = "armut"\nname = "Armut"\n\n[[indikator]]\nid = "armut"\n', encoding="utf-8"
    )
    assert list(baukasten_vorlagen(k)) == ["armut"]
    assert main(["compute", str(ordner), "--preset", "armut", "--out", str(tmp_path / "i.csv")]) == 0

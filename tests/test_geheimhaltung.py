"""Statistische Geheimhaltung: Regeln, von Hand nachgerechnete Beispiele, Rollen, Export."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from daten.kleinstadt import TOML, kleinstadt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from freigabe import geheimhaltung as gh
from freigabe.tabellenexport import entschaerfen, indikatortabelle, sperren_von, xlsx_schreiben
from kommune import KommuneFehler, kommune_laden

F3, F5, N10, G300, S = (
    "Fallzahl unter 3",
    "Fallzahl unter 5",
    "Nenner unter 10",
    "Gebiet unter 300 Einwohnern",
    gh.SEKUNDAER,
)


@pytest.fixture(scope="module")
def klein(tmp_path_factory):
    return kommune_laden(kleinstadt(tmp_path_factory.mktemp("kleinstadt")))


def gruende(k, schicht, periode, rolle="oeffentlich"):
    df = indikatortabelle(k, schicht, periode, rolle)
    _, g = sperren_von(df.set_index("ID"))
    return {
        ind: {i: t for i, t in g[kopf].items() if t}
        for ind, kopf in zip(df.attrs["indikatoren"], g.columns, strict=True)
    }


def teiltabellen_ok(plan: gh.Sperrplan) -> list[str]:
    """Keine Teiltabelle (Elternzelle mit Wert + Kinder) darf genau EINE gesperrte Zelle haben."""
    fehler = []
    for e in plan.ebenen.values():
        if e.eltern is None:
            continue
        p = plan.ebenen[e.eltern]
        for j, ind in enumerate(plan.indikatoren):
            for g in range(len(p.ids)):
                if np.isnan(p.wert[g, j]):
                    continue
                kinder = (e.eltern_pos == g) & ~np.isnan(e.wert[:, j])
                n = int(e.maske[kinder, j].sum()) + int(p.maske[g, j])
                if n == 1:
                    fehler.append(f"{e.id}/{p.ids[g]}/{ind}")
    return fehler


# ------------------------------------------------------------------------------------------------
# Regeln
# ------------------------------------------------------------------------------------------------


def test_regeln_standard_und_erkannte_bevoelkerung(klein, musterstadt):
    r = gh.regeln_fuer(klein)
    assert (r.mindestfallzahl, r.mindestfallzahl_sensibel, r.mindestnenner, r.mindestbevoelkerung) == (3, 5, 10, 300)
    assert r.bevoelkerung == ("einwohner",)
    assert gh.regeln_fuer(musterstadt).bevoelkerung == ("einwohner",)
    assert not r.nullen_sperren and r.sekundaer and r.intern == "sensibel"
    assert any("Sekundärsperrung" in s for s in r.beschreibung())


def test_regeln_aus_abschnitt_und_fehler(klein):
    r = gh.regeln_aus_abschnitt({"mindestfallzahl": 5, "bevoelkerung": "kinder", "mindestnenner": 20}, klein.katalog)
    assert (r.mindestfallzahl, r.bevoelkerung, r.mindestnenner, r.mindestnenner_sensibel) == (5, ("kinder",), 20, 20)
    with pytest.raises(KommuneFehler, match="Unbekannter Schlüssel „mindestzahl“"):
        gh.regeln_aus_abschnitt({"mindestzahl": 3})
    with pytest.raises(KommuneFehler, match="ganze Zahl"):
        gh.regeln_aus_abschnitt({"mindestfallzahl": "drei"})
    with pytest.raises(KommuneFehler, match="nicht im Indikatorenkatalog"):
        gh.regeln_aus_abschnitt({"bevoelkerung": ["gibtsnicht"]}, klein.katalog)
    with pytest.raises(KommuneFehler, match="Rolle „gast“"):
        gh.rolle_pruefen("gast")
    assert gh.rolle_pruefen("Öffentlich") == "oeffentlich"


def test_regeln_aus_kommune_toml(tmp_path):
    toml = TOML + "\n[geheimhaltung]\nmindestfallzahl = 11\nmindestbevoelkerung = 0\nsekundaer = false\n"
    k = kommune_laden(kleinstadt(tmp_path, toml=toml))
    g = gruende(k, "viertel", "2024")
    # kinder: 2, 10, 7 unter 11 → gesperrt; 20, 30, 40, 50 nicht; keine Sekundärsperrung, keine Gebietsregel
    assert g["kinder"] == {"a1": "Fallzahl unter 11", "a2": "Fallzahl unter 11", "a3": "Fallzahl unter 11"}


# ------------------------------------------------------------------------------------------------
# Von Hand gerechnete Beispiele
# ------------------------------------------------------------------------------------------------


def test_handbeispiel_primaer_und_sekundaer(klein):
    """2024, Bezirk A = a1, a2, a3 (drei Kinder), B = b1, b2, b3 (b3 hat 250 Einwohner).

    kinder 2, 10, 7 | 20, 30, 40: a1 = 2 < 3 → primär; in A ist dann nur a1 gesperrt und A = 19 sichtbar,
    also a1 = 19 − 10 − 7: das kleinste sichtbare Geschwister a3 (7) wird mitgesperrt. b3 fällt unter die
    Gebietsregel, in B wird b1 (20, das kleinste) mitgesperrt.
    sgb2 1, 5, 3 | 8, 9, 12: a1 = 1 primär; die Quote a3 (3/7) hat Nenner 7 < 10 und reißt den Zähler a3 mit
    (sonst Zähler = Quote × Nenner); in B wie bei kinder b1 (8).
    hze (sensibel, Mindestfallzahl 5) 6, 4, 0 | 12, 3, 7: a2 = 4 und b2 = 3 primär, b3 Gebiet; in A wird
    a1 (6) mitgesperrt – nicht a3, denn Nullen schützen nichts; in B sind schon zwei gesperrt.
    """
    g = gruende(klein, "viertel", "2024")
    assert g["einwohner"] == {}  # die Einwohnerzahl selbst bleibt sichtbar (250 ≥ 3)
    assert g["kinder"] == {"a1": F3, "a3": S, "b1": S, "b3": G300}
    assert g["sgb2"] == {"a1": F3, "a3": S, "b1": S, "b3": G300}
    assert g["quote"] == {"a1": F3, "a3": N10, "b1": S, "b3": G300}
    assert g["hze"] == {"a1": S, "a2": F5, "b2": F5, "b3": G300}
    df = indikatortabelle(klein, "viertel", "2024")
    assert df.attrs["vermerk"] == (
        "16 Werte gesperrt: 3 Fallzahl unter 3, 2 Fallzahl unter 5, 1 Nenner unter 10, "
        "4 Gebiet unter 300 Einwohnern, 6 sekundäre Sperrung"
    )
    kinder = df.set_index("ID")["Kinder unter 15 [kinder]"]
    assert kinder.isna().tolist() == [True, False, True, True, False, True, False]
    assert kinder["a2"] == 10 and kinder["c1"] == 50
    assert gruende(klein, "bezirk", "2024") == {i: {} for i in ("einwohner", "kinder", "sgb2", "quote", "hze")}


def test_handbeispiel_ueber_ebenen(klein):
    """2023: Bezirk C hat nur c1 mit 2 Kindern → c1 und C primär gesperrt. Die Gesamtstadt wird gezeigt,
    also wäre C = Stadt − A − B: B (90 < 120) wird auf Bezirksebene mitgesperrt, und weil alle Kinder
    von B sichtbar wären (B = b1 + b2 + b3), auch dessen kleinstes Viertel b1 (20)."""
    assert gruende(klein, "bezirk", "2023")["kinder"] == {"B": S, "C": F3}
    assert gruende(klein, "viertel", "2023")["kinder"] == {"b1": S, "c1": F3}
    plan = gh.sperrplan(klein, "2023", "oeffentlich")
    assert teiltabellen_ok(plan) == []


def test_sekundaer_nach_oben_wenn_kein_geschwister():
    """Ein Elterngebiet mit nur einem Kind: ist das Kind (sekundär) gesperrt, muss das Elterngebiet mit."""
    w = np.array([[5.0]])
    kind = gh._Ebene("k", pd.Index(["k1"]), "p", np.array([0]), w, w * np.nan, w * np.nan, np.array([500.0]))
    kind.maske[0, 0] = True
    kind.gruende[0, 0] = S
    p = gh._Ebene(
        "p",
        pd.Index(["P1", "P2"]),
        gh.GESAMT,
        np.array([0, 0]),
        np.array([[5.0], [8.0]]),
        np.full((2, 1), np.nan),
        np.full((2, 1), np.nan),
        np.array([500.0, 900.0]),
    )
    ges = gh._Ebene(
        gh.GESAMT,
        pd.Index([gh.GESAMT]),
        None,
        np.zeros(0, dtype=int),
        np.array([[0.0]]),
        np.full((1, 1), np.nan),
        np.full((1, 1), np.nan),
        np.array([np.nan]),
    )
    ebenen = {"p": p, "k": kind, gh.GESAMT: ges}
    while gh._sekundaer(ebenen, ["p", "k"], np.array([True])):
        pass
    assert p.maske[:, 0].tolist() == [True, True]  # P1 nach oben, dann P2 als Geschwister in der Gesamtstadt


def test_rollen(klein):
    intern = gruende(klein, "viertel", "2024", "intern")
    assert intern["hze"] == {"a1": S, "a2": F5, "b2": F5, "b3": G300}
    assert all(intern[i] == {} for i in ("einwohner", "kinder", "sgb2", "quote"))
    assert all(v == {} for v in gruende(klein, "viertel", "2024", "admin").values())


def test_nullen_und_nullen_sperren(tmp_path):
    toml = TOML + "\n[geheimhaltung]\nnullen_sperren = true\n"
    k = kommune_laden(kleinstadt(tmp_path, toml=toml))
    assert gruende(k, "viertel", "2024")["hze"]["a3"] == F5  # 0 nur gesperrt, wenn konfiguriert


def test_sperren_reihe_wie_tabelle(klein):
    from kommune.werte import werte

    reihe = werte(klein, "kinder", "viertel", "2024")
    geschuetzt, maske, g = gh.sperren_reihe(klein, "kinder", "viertel", "2024", reihe)
    assert maske.tolist() == [True, False, True, True, False, True, False]
    assert g["a3"] == S and np.isnan(geschuetzt["a1"]) and geschuetzt["a2"] == 10
    tab = pd.DataFrame({"kinder": reihe, "hze": werte(klein, "hze", "viertel", "2024")})
    s = gh.schuetzen(klein, tab, "viertel", "2024")
    assert s.maske["kinder"].tolist() == maske.tolist()
    assert s.anzeige(lambda w: f"{w:.0f}")["kinder"].tolist() == [".", "10", ".", ".", "30", ".", "50"]
    # eine Spalte, die der Plan nicht kennt: nur Fallzahl- und Gebietsregel
    fremd = pd.Series([1.0, 5, 5, 5, 5, 5, 5], index=reihe.index)
    _, m, g = gh.sperren_reihe(klein, "eigener_wert", "viertel", "2024", fremd)
    assert m.tolist() == [False, False, False, False, False, True, False] and g["b3"] == G300


def test_einzugsbereich_sperrt_belastete_werte(klein):
    """Sprengel S1 enthält a1 (gesperrt) – ein umgerechneter Wert ließe a1 zurückrechnen."""
    g = gruende(klein, "sprengel", "2024")
    assert g["kinder"] == {"S1": S, "S2": S}
    assert g["einwohner"] == {}


def test_musterstadt_teiltabellen_und_schwellen(musterstadt):
    for periode in musterstadt.perioden:
        plan = gh.sperrplan(musterstadt, periode, "oeffentlich")
        assert teiltabellen_ok(plan) == []
        kat = musterstadt.katalog
        for e in plan.ebenen.values():
            for j, ind in enumerate(plan.indikatoren):
                sichtbar = ~e.maske[:, j] & ~np.isnan(e.wert[:, j])
                if kat.loc[ind, "art"] == "anzahl":
                    grenze = 5 if kat.loc[ind, "sensibel"] else 3
                    assert not (sichtbar & (e.wert[:, j] > 0) & (e.wert[:, j] < grenze)).any(), ind
                if ind != "einwohner":
                    assert not (sichtbar & (e.bevoelkerung < 300)).any(), ind


# ------------------------------------------------------------------------------------------------
# Eigenschaften: zufällige kleine Zahlen
# ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def klein_basis(klein):
    return klein


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kinder=st.lists(st.integers(0, 14), min_size=7, max_size=7),
    hze=st.lists(st.integers(0, 9), min_size=7, max_size=7),
    einwohner=st.lists(st.sampled_from([0, 120, 299, 300, 800]), min_size=7, max_size=7),
)
def test_eigenschaft_keine_kleinen_werte_oeffentlich(klein_basis, kinder, hze, einwohner):
    sgb2 = [k // 2 for k in kinder]
    zeilen = []
    for ind, reihe in (("einwohner", einwohner), ("kinder", kinder), ("sgb2", sgb2), ("hze", hze)):
        zeilen += [
            ("viertel", v, ind, "2024", float(w), np.nan, np.nan)
            for v, w in zip(["a1", "a2", "a3", "b1", "b2", "b3", "c1"], reihe, strict=True)
        ]
    for v, z, n in zip(["a1", "a2", "a3", "b1", "b2", "b3", "c1"], sgb2, kinder, strict=True):
        zeilen.append(("viertel", v, "quote", "2024", 100 * z / n if n else np.nan, float(z), float(n)))
    df = pd.DataFrame(zeilen, columns=["schicht", "gebiet", "indikator", "periode", "wert", "zaehler", "nenner"])
    k = dataclasses.replace(klein_basis, indikatoren=df)
    plan = gh.sperrplan(k, "2024", "oeffentlich")
    assert teiltabellen_ok(plan) == []
    ew = dict(zip(["a1", "a2", "a3", "b1", "b2", "b3", "c1"], einwohner, strict=True))
    for schicht in ("viertel", "bezirk"):
        tab = indikatortabelle(k, schicht, "2024", "oeffentlich").set_index("ID")
        for kopf, grenze in (
            ("Kinder unter 15 [kinder]", 3),
            ("Hilfen zur Erziehung [hze]", 5),
            ("Kinder in SGB II [sgb2]", 3),
        ):
            if kopf not in tab:
                continue
            sichtbar = tab[kopf].dropna()
            assert not ((sichtbar > 0) & (sichtbar < grenze)).any()
        if schicht == "viertel":
            klein_gebiet = [v for v, e in ew.items() if e < 300]
            andere = [c for c in tab.columns if c not in ("Name", "Einwohner [einwohner]")]
            assert tab.loc[klein_gebiet, andere].isna().all().all()
            if "Kinderarmut [quote]" in tab:
                q = tab["Kinderarmut [quote]"].dropna()
                n = pd.Series(kinder, index=list(ew)).reindex(q.index)
                assert (n >= 10).all()


# ------------------------------------------------------------------------------------------------
# Export
# ------------------------------------------------------------------------------------------------


def test_xlsx_export(klein, tmp_path):
    from openpyxl import load_workbook

    df = indikatortabelle(klein, "viertel", "2024")
    assert list(df.columns[:3]) == ["ID", "Name", "Einwohner [einwohner]"]
    pfad = xlsx_schreiben(df, tmp_path / "t.xlsx", klein, {"Erstellt von": "=cmd|' /C calc'!A0"})
    wb = load_workbook(pfad)
    ws = wb["Indikatoren"]
    assert ws.freeze_panes == "C3"
    assert ws["C2"].value == "Personen, 2024"
    kopf = [c.value for c in ws[1]]
    spalte = kopf.index("Kinder unter 15 [kinder]") + 1
    werte = [ws.cell(row=r, column=spalte).value for r in range(3, 10)]
    assert werte == [".", 10, ".", ".", 30, ".", 50]
    assert ws.cell(row=3, column=spalte).alignment.horizontal == "right"
    assert ws.cell(row=4, column=spalte).number_format == "#,##0"
    quote = kopf.index("Kinderarmut [quote]") + 1
    assert ws.cell(row=4, column=quote).number_format == "#,##0.0"
    namen = [ws.cell(row=r, column=2).value for r in range(3, 10)]
    assert "'=Ost" in namen and "<b>West</b>" in namen  # Formel entschärft, HTML bleibt Text
    for blatt in wb.worksheets:
        for zeile in blatt.iter_rows():
            for z in zeile:
                assert z.data_type != "f"
                assert not (isinstance(z.value, str) and z.value[:1] in "=+@")
    methodik = [r[1] for r in wb["Methodik"].iter_rows(values_only=True) if len(r) > 1]
    assert any(isinstance(v, str) and "16 Werte gesperrt" in v for v in methodik)
    alles = " ".join(str(v) for r in wb["Methodik"].iter_rows(values_only=True) for v in r if v)
    assert "Testdaten Kleinstadt" in alles and "CC0 1.0" in alles and "31.12.2024" in alles
    assert "(kein Stichtag angegeben)" in alles  # hze ohne Stand
    assert "Mindestfallzahl 3" in alles


def test_entschaerfen():
    assert entschaerfen('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert entschaerfen("+49") == "'+49" and entschaerfen("@x") == "'@x" and entschaerfen("Mitte") == "Mitte"
    assert entschaerfen(-3.5) == -3.5


def test_cli_export_und_fehler(tmp_path, capsys):
    from freigabe.__main__ import main

    aus = tmp_path / "m.xlsx"
    assert main(["export", "musterstadt", "--level", "stadtteil", "--period", "2023", "--out", str(aus)]) == 0
    assert "Werte gesperrt" in capsys.readouterr().out and aus.exists()
    assert (
        main(["export", "musterstadt", "--level", "viertel", "--role", "intern", "--out", str(tmp_path / "m.csv")]) == 0
    )
    text = (tmp_path / "m.csv").read_text(encoding="utf-8-sig").splitlines()
    assert text[0].startswith("ID;Name;Einwohnerinnen und Einwohner [einwohner];")
    assert any(";.;" in z or z.endswith(";.") for z in text[1:])  # gesperrte Zellen als „.“
    for args, meldung in (
        (["--level", "kiez"], "Fehler: Die Ebene „kiez“ gibt es in Musterstadt nicht."),
        (["--level", "viertel", "--period", "1999"], "Fehler: Für die Periode „1999“ gibt es keine Werte"),
    ):
        assert main(["export", "musterstadt", *args, "--out", str(tmp_path / "x.xlsx")]) == 1
        err = capsys.readouterr().err
        assert err.startswith(meldung) and err.strip().count("\n") == 0
    assert main(["export", "musterstadt", "--level", "viertel", "--out", str(tmp_path / "x.pdf")]) == 1
    assert ".xlsx oder .csv" in capsys.readouterr().err


def test_sperrplan_rechnet_wie_werte(klein, musterstadt):
    """Der Sperrplan prüft genau die Zahlen, die `kommune.werte.werte` zeigt (auch nach Regeländerungen dort)."""
    from kommune.werte import werte

    for k in (klein, musterstadt):
        for periode in k.perioden[-2:]:
            plan = gh.sperrplan(k, periode, "admin")
            for eid, e in plan.ebenen.items():
                if eid == gh.GESAMT:
                    continue
                for j, ind in enumerate(plan.indikatoren):
                    soll = werte(k, ind, eid, periode).reindex(e.ids).to_numpy(dtype=float)
                    assert np.allclose(soll, e.wert[:, j], equal_nan=True), (eid, ind, periode)


def test_fuer_extreme_mit_zahlen():
    from freigabe.geheimhaltung import fuer_extreme

    bev = pd.Series([0.0, 299.0, 300.0, float("nan"), 5000.0], index=list("abcde"))
    assert fuer_extreme(bev, 300).tolist() == [False, False, True, True, True]  # unbekannt bleibt drin
    assert fuer_extreme(bev, 0).all()
    assert fuer_extreme(bev, 5001).tolist() == [False, False, False, True, False]


def test_extreme_gebiete_folgen_der_mindestbevoelkerung_der_kommune(musterstadt):
    from freigabe.geheimhaltung import extreme_gebiete

    namen = musterstadt.gebiete["viertel"]["name"]
    x = extreme_gebiete(musterstadt, "viertel", "2024")
    assert sorted(namen[list(x.ausgelassen)]) == [
        "Buchenau", "Gewerbegebiet Moosfeld", "Gewerbepark Ziegelei", "Güterbahnhof", "Industriegebiet Am Kanal",
        "Stadtpark", "Stadtwald",
    ]  # fmt: skip
    assert x.fussnote == "ohne Gebiete unter 300 Einwohnern"
    reihe = pd.Series(1.0, index=namen.index)
    assert len(x.filtern(reihe)) == len(namen) - 7
    assert extreme_gebiete(musterstadt, "stadtteil", "2024").fussnote == ""
    konf = dataclasses.replace(
        musterstadt.konfiguration, erweiterungen={"geheimhaltung": {"mindestbevoelkerung": 1000}}
    )
    strenger = extreme_gebiete(dataclasses.replace(musterstadt, konfiguration=konf), "viertel", "2024")
    assert len(strenger.ausgelassen) == 16 and strenger.fussnote == "ohne Gebiete unter 1.000 Einwohnern"

"""Index-Motor: exakte Werte an kleinen, von Hand gerechneten Beispielen, TOML, Eigenschaften (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indices import (
    DefinitionFehler,
    Eingaben,
    IndexDefinition,
    IndikatorEintrag,
    Klassierung,
    definition_aus_toml,
    definition_laden,
    definition_speichern,
    index_aus_matrix,
    klassenwechsel,
    presets_fuer,
    redundanz_pruefen,
    sensitivitaet,
    zusammenhang,
)
from indices.gewichtung import aggregieren, pca_gewichte
from indices.klassierung import NICHT_BEWERTET, fisher_jenks_grenzen, klassieren
from indices.standardisierung import standardisieren

SD_A = math.sqrt(5 / 3)  # Stichproben-SD von 1, 2, 3, 4
Z_A = np.array([-1.5, -0.5, 0.5, 1.5]) / SD_A


def eingaben(werte: dict[str, list[float]], ids: list[str] | None = None) -> Eingaben:
    n = len(next(iter(werte.values())))
    ids = ids or [f"G{i + 1}" for i in range(n)]
    df = pd.DataFrame(werte, index=pd.Index(ids, name="id"), dtype=float)
    return Eingaben(df, pd.Series([f"Gebiet {i}" for i in ids], index=df.index), "test")


def definition(*eintraege: tuple[str, float, int], **felder) -> IndexDefinition:
    felder.setdefault("klassierung", Klassierung("quantile", k=2))
    return IndexDefinition(id="t", name="Test", indikatoren=tuple(IndikatorEintrag(*e) for e in eintraege), **felder)


# A steigt mit dem Bedarf, B sinkt mit dem Bedarf (Richtung −1).
E = eingaben({"A": [1, 2, 3, 4], "B": [10, 30, 20, 40]})


# -- Standardisierung, Gewichte, Aggregation: exakte Zahlen ------------------------------------


def test_z_gleichgewichtet_und_rang():
    r = index_aus_matrix(E, definition(("A", 1, 1), ("B", 1, -1)))
    t = r.tabelle
    np.testing.assert_allclose(t["std_A"], Z_A)
    np.testing.assert_allclose(t["std_B"], np.array([1.5, -0.5, 0.5, -1.5]) / SD_A)
    np.testing.assert_allclose(t["score"], [0.0, -0.5 / SD_A, 0.5 / SD_A, 0.0], atol=1e-12)
    assert t["rang"].tolist() == [2, 4, 1, 2]
    assert r.lesart == "höherer Wert = mehr Benachteiligung"
    assert r.gewichte.to_dict() == {"A": 0.5, "B": 0.5}


def test_gewichte_werden_normiert():
    r = index_aus_matrix(E, definition(("A", 3, 1), ("B", 1, -1)))
    assert r.gewichte.tolist() == [0.75, 0.25]
    erwartet = 0.75 * Z_A + 0.25 * np.array([1.5, -0.5, 0.5, -1.5]) / SD_A
    np.testing.assert_allclose(r.tabelle["score"], erwartet)


def test_minmax_rang_robust():
    mm = index_aus_matrix(E, definition(("A", 1, 1), ("B", 1, -1), standardisierung="minmax")).tabelle
    np.testing.assert_allclose(mm["std_A"], [0, 1 / 3, 2 / 3, 1])
    np.testing.assert_allclose(mm["std_B"], [1, 1 / 3, 2 / 3, 0])
    np.testing.assert_allclose(mm["score"], [0.5, 1 / 3, 2 / 3, 0.5])
    rg = index_aus_matrix(E, definition(("A", 1, 1), ("B", 1, -1), standardisierung="rang")).tabelle
    np.testing.assert_allclose(rg["std_A"], [0, 100 / 3, 200 / 3, 100])
    np.testing.assert_allclose(rg["std_B"], [100, 100 / 3, 200 / 3, 0])
    rz = index_aus_matrix(E, definition(("A", 1, 1), standardisierung="robust_z")).tabelle
    np.testing.assert_allclose(rz["std_A"], np.array([-1.5, -0.5, 0.5, 1.5]) / 1.4826)


def test_robust_z_mad_null_ersatz():
    y = np.array([[1.0], [1.0], [1.0], [5.0]])
    # Median 1, MAD 0 → mittlere absolute Abweichung 1 · 1,2533
    np.testing.assert_allclose(standardisieren(y, "robust_z")[:, 0], [0, 0, 0, 4 / 1.2533])


def test_geometrisch_mit_verschiebung():
    r = index_aus_matrix(E, definition(("A", 1, 1), ("B", 1, -1), standardisierung="minmax", aggregation="geometrisch"))
    assert r.verschiebung == 1.0  # kleinster Min-Max-Wert 0 → c = 1
    np.testing.assert_allclose(r.tabelle["score"], [math.sqrt(2) - 1, 1 / 3, 2 / 3, math.sqrt(2) - 1])
    y = np.array([[0.0, 1.0], [1.0, 1.0]])
    np.testing.assert_allclose(aggregieren(y, np.array([0.5, 0.5]), "geometrisch"), [math.sqrt(2) - 1, 1.0])


def test_restandardisieren_und_teilhabe_dreht():
    d = definition(("A", 3, 1), ("B", 1, -1), restandardisieren=True)
    s = index_aus_matrix(E, d).tabelle["score"]
    assert s.mean() == pytest.approx(0, abs=1e-12)
    assert s.std(ddof=1) == pytest.approx(1)
    t = index_aus_matrix(E, d.mit(familie="teilhabe"))
    np.testing.assert_allclose(t.tabelle["score"], -s)
    assert t.lesart == "höherer Wert = mehr Teilhabe"


def test_pca_gewichte():
    rng = np.random.default_rng(0)
    f = rng.normal(size=200)
    y = np.column_stack([f + 0.1 * rng.normal(size=200), f + 0.1 * rng.normal(size=200), rng.normal(size=200)])
    w, varianz = pca_gewichte(y)
    assert w.sum() == pytest.approx(1)
    assert w[0] > 0.45 and w[1] > 0.45 and w[2] < 0.05
    assert varianz[0] == pytest.approx(2 / 3, abs=0.05)
    r = index_aus_matrix(E, definition(("A", 1, 1), ("B", 1, -1), gewichtung="pca"))
    assert r.erklaerte_varianz is not None and sum(r.erklaerte_varianz) == pytest.approx(1)
    assert r.gewichte.sum() == pytest.approx(1)


# -- Bewertung: Mindestbevölkerung, fehlende Werte, Gültigkeit -------------------------------


def test_nicht_bewertet_mit_grund():
    e = eingaben(
        {
            "A": [1, 2, 3, 4, 5, np.nan],
            "B": [1, np.nan, 3, 4, 5, np.nan],
            "EW": [100, 500, 500, 500, 500, 500],
            "G": [1, 1, 1, 1, np.nan, 1],
        }
    )
    d = definition(("A", 1, 1), ("B", 1, 1), mindest_einwohner=300, bevoelkerung_indikator="EW", gueltigkeit="G")
    t = index_aus_matrix(e, d).tabelle
    assert t["bewertet"].tolist() == [False, False, True, True, False, False]
    assert t["grund"].tolist() == [
        "unter Mindestbevölkerung",
        "fehlender Wert: B",
        "",
        "",
        "in der Quelle ungültig",
        "fehlender Wert: A, B",
    ]
    assert t["klasse"].isna().tolist() == [True, True, False, False, True, True]
    assert t.loc["G1", "klasse_label"] == NICHT_BEWERTET
    # z nur über G3 und G4: ±1/√2
    np.testing.assert_allclose(t.loc[["G3", "G4"], "std_A"], [-(0.5**0.5), 0.5**0.5])


def test_nichts_bewertbar_ist_leer_und_ohne_fehler():
    e = eingaben({"A": [np.nan, np.nan], "B": [np.nan, np.nan]})
    r = index_aus_matrix(e, definition(("A", 1, 1), ("B", 1, 1), klassierung=Klassierung("quantile", k=5)))
    assert r.anzahl_bewertet == 0
    assert r.tabelle["klasse"].isna().all()
    assert r.klassen_anzahl.sum() == 0
    assert sensitivitaet(e, r.definition, n=10).tabelle.empty


# -- Klassierung ----------------------------------------------------------------------------


def test_klassierung_sd_breaks_und_codes():
    s = np.array([-2.0, -1.0, 0.0, 1.0, 1.2, 3.0, np.nan])
    k = klassieren(
        s, Klassierung("breaks", schwellen=(-1.0, 1.0, 1.5), labels=("a", "b", "c", "d"), codes=(1, 3, 5, 7))
    )
    assert k.position.tolist() == [0, 0, 1, 1, 2, 3, -1]  # Grenze gehört zur unteren Klasse
    assert k.code[:6].tolist() == [1, 1, 3, 3, 5, 7] and math.isnan(k.code[6])
    assert k.label.tolist() == ["a", "a", "b", "b", "c", "d", NICHT_BEWERTET]
    sd = klassieren(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), Klassierung("sd", schwellen=(-1.0, 1.0)))
    grenze = math.sqrt(2.5)  # SD (ddof = 1) von 1…5
    assert sd.grenzen == pytest.approx((3 - grenze, 3 + grenze))
    assert sd.position.tolist() == [0, 1, 1, 1, 2]
    assert sd.labels == ("unter −1,0 SD", "−1,0 bis 1,0 SD", "über 1,0 SD")


def test_klassierung_quantile_equal_jenks():
    y = np.arange(1.0, 11.0)
    assert klassieren(y, Klassierung("quantile", k=2)).position.tolist() == [0] * 5 + [1] * 5
    assert klassieren(y, Klassierung("equal_interval", k=3)).grenzen == pytest.approx((4.0, 7.0))
    assert fisher_jenks_grenzen(np.array([1, 2, 3, 10, 11, 12, 30, 31.0]), 3).tolist() == [3, 12]
    gleich = klassieren(np.array([1.0, 1, 1, 1]), Klassierung("quantile", k=4, labels=("a", "b", "c", "d")))
    assert len(gleich.codes) == 1 and gleich.hinweise


# -- Definition und TOML ----------------------------------------------------------------------


def test_toml_rundreise(tmp_path):
    d = IndexDefinition(
        id="x",
        name='Mit "Anführungszeichen" und \\ Backslash',
        beschreibung="Zeile 1\nZeile 2 – äöüß\t",
        familie="teilhabe",
        indikatoren=(IndikatorEintrag("a", 2.5, -1), IndikatorEintrag("b")),
        standardisierung="robust_z",
        aggregation="geometrisch",
        restandardisieren=True,
        klassierung=Klassierung("sd", schwellen=(-1, 0.5), labels=("x", "y", "z"), codes=(1, 3, 5)),
        mindest_einwohner=250,
        bevoelkerung_indikator="ew",
        gueltigkeit="g",
        ebene="viertel",
        periode="2024",
    )
    assert definition_aus_toml(d.als_toml()) == d
    assert definition_laden(definition_speichern(d, tmp_path / "d.toml")) == d
    assert hash(d) == hash(definition_aus_toml(d.als_toml()))
    for kommune in ("musterstadt", "berlin"):
        for p in presets_fuer(kommune).values():
            assert definition_aus_toml(p.als_toml()) == p


@pytest.mark.parametrize(
    ("text", "teil"),
    [
        ('id="a"\nname="b"\n[[indikator]]\nid="x"\nrichtung=0', "Richtung"),
        ('id="a"\nname="b"\n[[indikator]]\nid="x"\ngewicht=-1', "Gewicht"),
        ('id="a"\nname="b"\nstandardisierung="log"\n[[indikator]]\nid="x"', "log"),
        ('id="a"\nname="b"\nfarbe="rot"\n[[indikator]]\nid="x"', "farbe"),
        ('id="a"\nname="b"\n[klassierung]\nmethode="sd"\n[[indikator]]\nid="x"', "Schwelle"),
        ('id="a"\nname="b"\nmindest_einwohner=5\n[[indikator]]\nid="x"', "Bevölkerungsindikator"),
        ('id="a"\nname="b"\n[[indikator]]\nid="x"\n[[indikator]]\nid="x"', "mehrfach"),
        ("id = ", "TOML"),
    ],
)
def test_definition_fehler(text, teil):
    with pytest.raises(DefinitionFehler, match=teil):
        definition_aus_toml(text)


# -- Sensitivität, Redundanz, Zusammenhang, Vergleich --------------------------------------------


@pytest.mark.parametrize(
    "klassierung",
    [
        Klassierung("sd", schwellen=(-1.0, 1.0)),
        Klassierung("quantile", k=4),
        Klassierung("equal_interval", k=3),
        Klassierung("fisher_jenks", k=3),
        Klassierung("breaks", schwellen=(0.0,)),
    ],
)
@pytest.mark.parametrize("aggregation", ["arithmetisch", "geometrisch"])
def test_sensitivitaet_ohne_streuung_ist_basis(klassierung, aggregation):
    rng = np.random.default_rng(1)
    e = eingaben({c: rng.normal(size=50).tolist() for c in "ABC"})
    d = definition(
        ("A", 1, 1),
        ("B", 2, 1),
        ("C", 1, -1),
        restandardisieren=aggregation == "arithmetisch",
        aggregation=aggregation,
        klassierung=klassierung,
    )
    basis = index_aus_matrix(e, d).tabelle
    assert (s_basis := sensitivitaet(e, d, n=5, spanne=0.0)).tabelle["basis_klasse"].equals(basis["klasse"])
    assert s_basis.szenario_klassen.dtypes.eq("Int64").all()
    s = sensitivitaet(e, d, n=20, spanne=0.0)
    assert (s.tabelle["p_klassenwechsel"] == 0).all()
    assert (s.tabelle["median_rang"].to_numpy() == basis["rang"].to_numpy()).all()
    assert list(s.szenario_raenge.columns) == [
        "ohne A",
        "ohne B",
        "ohne C",
        *[f"Standardisierung: {m}" for m in ("minmax", "rang", "robust_z")],
    ]
    breit = sensitivitaet(e, d, n=200, spanne=0.9, seed=3)
    assert (breit.tabelle["rang_p05"] <= breit.tabelle["rang_p95"]).all()
    assert breit.tabelle.equals(sensitivitaet(e, d, n=200, spanne=0.9, seed=3).tabelle)


def test_redundanz_warnung():
    e = eingaben({"S1": [1, 2, 3, 4, 5], "S3": [1.1, 2.0, 3.2, 3.9, 5.1], "X": [5, 1, 4, 2, 3]})
    korr, warnungen = redundanz_pruefen(e, definition(("S1", 1, 1), ("S3", 1, 1), ("X", 1, 1)))
    assert korr.shape == (3, 3)
    r = f"{korr.loc['S1', 'S3']:.2f}".replace(".", ",")
    assert warnungen == [f"S3 und S1 korrelieren mit r = {r} – sie messen vermutlich dasselbe und zählen doppelt."]


def test_zusammenhang_und_vergleich():
    e = eingaben({"A": [1, 2, 3, 4]})
    r = index_aus_matrix(e, definition(("A", 1, 1)))
    ergebnis = pd.Series([40.0, 30.0, 20.0, 10.0], index=r.tabelle.index)
    z = zusammenhang(r, ergebnis, pd.Series([1.0, 3.0, 1.0, 1.0], index=r.tabelle.index))
    assert z.je_klasse["wert"].tolist() == [pytest.approx(32.5), pytest.approx(15.0)]
    assert z.verhaeltnis == pytest.approx(15 / 32.5)
    assert z.spearman_rho == pytest.approx(-1.0)
    r2 = index_aus_matrix(eingaben({"A": [4, 2, 3, 1]}), definition(("A", 1, 1)))
    w = klassenwechsel(r, r2)
    assert w["veraenderung"].to_dict() == {"G1": "höher", "G4": "niedriger"}


# -- Eigenschaften (hypothesis) -----------------------------------------------------------------

werte_st = st.floats(-1000, 1000, allow_nan=False).map(lambda v: round(v, 3))


@st.composite
def matrizen(draw, min_n=3):
    n = draw(st.integers(min_n, 25))
    k = draw(st.integers(1, 4))
    x = np.array(draw(st.lists(st.lists(werte_st, min_size=k, max_size=k), min_size=n, max_size=n)))
    richtungen = draw(st.lists(st.sampled_from([1, -1]), min_size=k, max_size=k))
    gewichte = draw(st.lists(st.floats(0.01, 100), min_size=k, max_size=k))
    return x, richtungen, gewichte


def _e(x: np.ndarray) -> Eingaben:
    return eingaben({f"I{j}": x[:, j].tolist() for j in range(x.shape[1])})


def _d(richtungen, gewichte, **felder) -> IndexDefinition:
    return definition(*[(f"I{j}", g, r) for j, (r, g) in enumerate(zip(richtungen, gewichte, strict=True))], **felder)


schnell = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
methoden = st.sampled_from(["z", "minmax", "rang", "robust_z"])


@schnell
@given(matrizen(), st.floats(0.001, 1000), methoden, st.sampled_from(["arithmetisch", "geometrisch"]), st.booleans())
def test_gewichte_skalenfrei(m, c, methode, aggregation, restand):
    x, r, g = m
    d = _d(r, g, standardisierung=methode, aggregation=aggregation, restandardisieren=restand)
    a = index_aus_matrix(_e(x), d).tabelle["score"]
    b = index_aus_matrix(_e(x), d.mit_gewichten({f"I{j}": w * c for j, w in enumerate(g)})).tabelle["score"]
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9)


@schnell
@given(matrizen(), methoden, st.data())
def test_monoton_in_richtung(m, methode, data):
    x, r, g = m
    i = data.draw(st.integers(0, x.shape[0] - 1))
    j = data.draw(st.integers(0, x.shape[1] - 1))
    delta = data.draw(st.floats(0.01, 500))
    d = _d(r, g, standardisierung=methode)
    vorher = index_aus_matrix(_e(x), d).tabelle["score"].iloc[i]
    x2 = x.copy()
    x2[i, j] += delta
    nachher = index_aus_matrix(_e(x2), d).tabelle["score"].iloc[i]
    if r[j] == 1:  # mehr Bedarf → Score sinkt nie
        assert nachher >= vorher - 1e-9
    else:
        assert nachher <= vorher + 1e-9


@schnell
@given(matrizen(), st.sampled_from(["exp", "kubik", "affin"]))
def test_rang_invariant_unter_monotonen_transformationen(m, art):
    x, r, g = m
    d = _d(r, g, standardisierung="rang", restandardisieren=True)
    f = {"exp": lambda v: np.exp(v / 250.0), "kubik": lambda v: v**3, "affin": lambda v: 3.0 * v - 7.0}[art]
    a = index_aus_matrix(_e(x), d).tabelle
    b = index_aus_matrix(_e(f(x)), d).tabelle
    assert a["rang"].tolist() == b["rang"].tolist()
    np.testing.assert_allclose(a["score"], b["score"], atol=1e-9)


@schnell
@given(
    matrizen(min_n=1),
    st.data(),
    st.sampled_from(
        [
            Klassierung("quantile", k=3),
            Klassierung("sd", schwellen=(-1.0, 1.0)),
            Klassierung("fisher_jenks", k=3),
            Klassierung("equal_interval", k=4),
            Klassierung("breaks", schwellen=(0.0,)),
        ]
    ),
)
def test_nicht_bewertet_hat_nie_eine_klasse(m, data, klassierung):
    x, r, g = m
    x = x.copy()
    maske = np.array(data.draw(st.lists(st.booleans(), min_size=x.size, max_size=x.size))).reshape(x.shape)
    x[maske] = np.nan
    t = index_aus_matrix(_e(x), _d(r, g, klassierung=klassierung)).tabelle
    assert (t["klasse"].isna() == ~t["bewertet"]).all()
    assert (t.loc[~t["bewertet"], "klasse_label"] == NICHT_BEWERTET).all()
    assert t.loc[~t["bewertet"], "score"].isna().all() and t.loc[~t["bewertet"], "rang"].isna().all()
    assert (t.loc[~t["bewertet"], "grund"] != "").all()
    assert t.loc[t["bewertet"], "klasse"].notna().all()


def test_rangliste_ohne_kleinstgebiete_neu_durchnummeriert():
    from indices.berechnung import rangliste

    tab = pd.DataFrame(
        {
            "name": ["A", "B", "C", "D", "E"],
            "score": [3.0, 2.5, 2.5, 1.0, np.nan],
            "rang": pd.array([1, 2, 2, 4, pd.NA], dtype="Int64"),
            "grund": ["", "", "", "", "fehlende Werte: x"],
        },
        index=["a", "b", "c", "d", "e"],
    )
    r = rangliste(tab, {"a", "e"}, "unter 300 Einwohnern: ohne Rang")
    # „a“ (Rang 1 von fast niemandem) rückt ohne Rang ans Ende, die anderen werden neu durchnummeriert
    assert r.index.tolist() == ["b", "c", "d", "a", "e"]
    assert r["rang"].tolist()[:3] == [1, 1, 3] and r["rang"].iloc[3:].isna().all()
    assert r.loc["a", "grund"] == "unter 300 Einwohnern: ohne Rang"
    assert r.loc["e", "grund"] == "fehlende Werte: x"  # ein eigener Grund bleibt
    assert r["score"].tolist()[:3] == [2.5, 2.5, 1.0]  # Indexwerte bleiben
    assert rangliste(tab).index.tolist() == ["a", "b", "c", "d", "e"]  # ohne Auslassung: wie berechnet

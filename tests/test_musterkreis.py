"""Musterkreis: der Generator ist deterministisch, die eingecheckten Dateien stammen von ihm, und der
synthetische Landkreis hat die Eigenschaften, für die es ihn gibt (Gemeinden → Verbandsgemeinden → Kreis,
Sprengel über Gemeindegrenzen, Gemeinden ohne Angebote, kleine Gemeinden, ländliche Entfernungen)."""

from __future__ import annotations

import subprocess
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from kommune import kommune_laden
from kommune.werte import werte
from tests.conftest import PROJEKT

ORDNER = PROJEKT / "sample_data" / "musterkreis"
DATEIEN = ["indikatoren.csv", "katalog.csv", "kommune.toml", "geometrie.gpkg", "angebote.gpkg", "angebotsregister.csv",
           "bevoelkerung_1km.csv", "teilnahme_ferienprogramm.csv", "uebertritte.csv", "schulabgaenge.csv",
           "presets/sozialindex.toml", "sitzungen/jugendhilfeausschuss.toml"]
DATEIEN += ["gruppen.csv"]


@pytest.fixture(scope="module")
def musterkreis():
    return kommune_laden("musterkreis")


def test_generator_erzeugt_genau_die_eingecheckten_dateien(tmp_path):
    subprocess.run([sys.executable, str(PROJEKT / "sample_data" / "generate_musterkreis.py"), str(tmp_path)],
                   check=True, capture_output=True, timeout=300)
    erzeugt = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert erzeugt == sorted(DATEIEN)
    for datei in DATEIEN:
        assert (tmp_path / datei).read_bytes() == (ORDNER / datei).read_bytes(), datei


def test_klein_genug_fuers_repository():
    groesse = sum(p.stat().st_size for p in ORDNER.rglob("*") if p.is_file())
    assert groesse < 600_000, groesse


def test_ebenen_und_schluessel(musterkreis):
    g = musterkreis.gebiete
    assert {k: len(v) for k, v in g.items() if k != "sprengel"} == {"gemeinde": 34, "verbandsgemeinde": 9, "kreis": 1}
    assert 8 <= len(g["sprengel"]) <= 20
    assert all("als Umland" in h for h in musterkreis.hinweise) and len(musterkreis.hinweise) == 3  # nur das Umland
    for ebene, laenge in (("gemeinde", 12), ("verbandsgemeinde", 9), ("kreis", 5)):
        ids = g[ebene].index
        assert all(len(i) == laenge and i.isdigit() and i.startswith("0") for i in ids), ebene
    assert list(g["kreis"].index) == ["07399"]
    # Schlüssel = ARS-Präfix: jede Gemeinde beginnt mit dem Schlüssel ihrer Verbandsgemeinde
    gem = g["gemeinde"]
    assert all(i.startswith(e) for i, e in zip(gem.index, gem["eltern"], strict=True))
    mitglieder = gem["eltern"].value_counts()
    assert (mitglieder == 1).sum() == 3 and mitglieder.max() >= 4  # verbandsfreie Gemeinden und echte Verbände
    # Verbandsgemeinden bestehen genau aus ihren Gemeinden; der Kreis hat einige hundert km²
    assert g["verbandsgemeinde"].area.sum() == pytest.approx(gem.area.sum(), rel=1e-6)
    assert 300e6 < g["kreis"].area.sum() < 1000e6
    assert gem.area.sum() == pytest.approx(g["kreis"].area.sum(), rel=1e-6)


def test_sprengel_kreuzen_die_gemeindegrenzen(musterkreis):
    gem, spr = musterkreis.gebiete["gemeinde"], musterkreis.gebiete["sprengel"]
    stuecke = spr.reset_index().overlay(gem.reset_index(), how="intersection", keep_geom_type=True)
    stuecke = stuecke[stuecke.area > 1e5]  # mehr als 10 ha: keine Randsplitter
    gemeinden_je_sprengel = stuecke.groupby("id_1")["id_2"].nunique()
    sprengel_je_gemeinde = stuecke.groupby("id_2")["id_1"].nunique()
    assert (gemeinden_je_sprengel > 1).all()  # jeder Sprengel umfasst mehrere Gemeinden …
    assert (sprengel_je_gemeinde > 1).sum() >= 10  # … und viele Gemeinden sind auf mehrere Sprengel verteilt
    assert spr.area.sum() == pytest.approx(gem.area.sum(), rel=1e-6)


def test_angebote_nur_in_einem_teil_der_gemeinden(musterkreis):
    gem, angebote = musterkreis.gebiete["gemeinde"], musterkreis.angebote
    drin = gpd.sjoin(angebote, gem[["geometry"]].rename_axis("gemeinde").reset_index(), predicate="within")
    assert len(drin) == len(angebote)  # jedes Angebot liegt in genau einer Gemeinde
    mit_angebot = set(drin["gemeinde"])
    assert 5 <= len(gem) - len(mit_angebot) <= 20
    ohne_kita = set(gem.index) - set(drin.loc[drin["kategorie"] == "Kita", "gemeinde"])
    ew = werte(musterkreis, "einwohner", "gemeinde", "2024")
    assert ew[list(ohne_kita)].max() < 1000 and len(ohne_kita) >= 5  # Dörfer ohne Kita
    kategorien = angebote.loc[angebote["herkunft"] != "register", "kategorie"].value_counts()
    assert set(kategorien.index) == {"Kita", "Grundschule", "weiterführende Schule", "Jugendfreizeiteinrichtung",
                                     "Bibliothek", "VHS"}
    assert kategorien["Grundschule"] == len(musterkreis.gebiete["sprengel"])  # eine Schule je Sprengel
    # jede Grundschule liegt in ihrem Sprengel
    schulen = angebote[angebote["kategorie"] == "Grundschule"]
    sprengel = musterkreis.gebiete["sprengel"][["geometry"]].rename_axis("sprengel").reset_index()
    assert gpd.sjoin(schulen, sprengel, predicate="within")["sprengel"].nunique() == len(schulen)


def test_laendliche_entfernungen(musterkreis):
    """Orte liegen km auseinander: aus Gemeinden ohne Kita ist die nächste Kita weit weg."""
    gem, angebote = musterkreis.gebiete["gemeinde"], musterkreis.angebote
    kitas = angebote[angebote["kategorie"] == "Kita"]
    ohne = gem[~gem.index.isin(gpd.sjoin(gem, kitas[["geometry"]], predicate="contains").index)]
    mitte = ohne.geometry.representative_point()
    naechste = np.array([kitas.distance(p).min() for p in mitte])
    assert len(naechste) >= 5 and np.median(naechste) > 2000, naechste
    orte = gem.geometry.representative_point()
    abstand = np.array([orte.drop(i).distance(p).min() for i, p in orte.items()])
    assert np.median(abstand) > 2500, abstand


def test_umland_jenseits_der_kreisgrenze_nur_fuer_entfernungen(musterkreis):
    """Vier Angebote in Nachbarorten: außerhalb des Kreises, in keinem Gebiet gezählt, aber für Entfernungen."""
    from geodata.erreichbarkeit import erreichbarkeit_kommune
    from geodata.versorgung import versorgungsindikatoren

    umland, kreis = musterkreis.umland, musterkreis.gebiete["kreis"].geometry.iat[0]
    assert umland["kategorie"].value_counts().to_dict() == {"Kita": 2, "Grundschule": 1, "Bibliothek": 1}
    abstand = umland.distance(kreis)
    assert (abstand > 300).all() and (abstand <= 2000).all()
    assert not set(umland["id"]) & set(musterkreis.angebote["id"])
    from kommune.info import kommune_info

    info = kommune_info(musterkreis)
    assert (info["angebote_gesamt"], info["angebote_umland"], info["bevoelkerung"]) == (147, 4, "einwohner")
    assert info["versorgung"] == ["kita_plaetze", "grundschul_plaetze", "bibliotheken"]
    v = versorgungsindikatoren(musterkreis, "gemeinde")
    assert v["Kitas (Anzahl)"].sum() == 55  # nur die eigenen Kitas
    for kategorie in ("Kita", "Grundschule", "Bibliothek"):
        mit = erreichbarkeit_kommune(musterkreis, "gemeinde", kategorie)
        ohne = erreichbarkeit_kommune(musterkreis, "gemeinde", kategorie, umland=umland.iloc[0:0])
        sp = mit.attrs["spalten"]["entfernung"]
        naeher = ohne[sp] - mit[sp]
        assert (naeher >= -1e-9).all() and naeher.max() > 500, kategorie  # nie weiter, am Rand deutlich näher
        assert mit.attrs["umland"] == len(umland[umland["kategorie"] == kategorie])


def test_erreichbarkeit_nach_dem_bevoelkerungsgitter(musterkreis):
    """Die Menschen wohnen in den Ortskernen, wo auch die Kitas stehen: nach dem Gitter sind die Wege kürzer."""
    from geodata.erreichbarkeit import erreichbarkeit_kommune, wohnorte

    gitter = pd.read_csv(ORDNER / "bevoelkerung_1km.csv", sep=";", dtype={"GITTER_ID_1km": str})
    ew = werte(musterkreis, "einwohner", "kreis", "2022").sum()
    assert gitter["GITTER_ID_1km"].str.match(r"^CRS3035RES1000mN\d+E\d+$").all()
    assert abs(gitter["Einwohner"].sum() - ew) / ew < 0.01  # dieselben Menschen, nur verteilt
    mit = erreichbarkeit_kommune(musterkreis, "gemeinde", "Kita")
    gleich = erreichbarkeit_kommune(musterkreis, "gemeinde", "Kita", orte=wohnorte(musterkreis.gebiete["gemeinde"]))
    assert mit.attrs["verteilung"] == "raster" and mit.attrs["gleichverteilt"] == 0
    assert mit.attrs["wohnorte"].startswith("Wohnorte nach dem Bevölkerungsgitter (Gitter bevoelkerung_1km.csv")
    sp = mit.attrs["spalten"]
    assert mit.attrs["gesamt"][sp["entfernung"]] < 0.7 * gleich.attrs["gesamt"][sp["entfernung"]]
    assert mit.attrs["gesamt"][sp["anteil_500"]] > 2 * gleich.attrs["gesamt"][sp["anteil_500"]]


def test_indikatoren_plausibel_fuer_einen_laendlichen_kreis(musterkreis):
    assert musterkreis.perioden == ["2022", "2023", "2024"]
    ew = werte(musterkreis, "einwohner", "gemeinde", "2024")
    assert 50_000 < ew.sum() < 150_000
    assert (ew < 300).sum() >= 3 and ew.max() > 10_000  # Geheimhaltung wird geübt; eine Kreisstadt
    kreis = {i: float(werte(musterkreis, i, "kreis", "2024").iloc[0])
             for i in ("kinderarmut", "sgb2_quote", "auslaenderanteil", "kita_quote_u3", "kita_quote_3_6")}
    assert 4 < kreis["kinderarmut"] < 14 and 2 < kreis["sgb2_quote"] < 7 and 4 < kreis["auslaenderanteil"] < 15
    assert 20 < kreis["kita_quote_u3"] < 45 and 85 < kreis["kita_quote_3_6"] < 98
    u6 = werte(musterkreis, "kinder_u6", "gemeinde", "2024")
    assert 0.04 < u6.sum() / ew.sum() < 0.07
    assert musterkreis.katalog.loc["hze_faelle", "sensibel"]
    assert set(musterkreis.katalog["ebene"]) == {"gemeinde"}


def test_eigene_presets_und_sitzung(musterkreis):
    from berichte.sitzung import sitzung_fuer, sitzung_pruefen
    from indices.presets import presets_fuer

    assert list(presets_fuer(musterkreis)) == ["sozialindex"]
    sitzung = sitzung_fuer(musterkreis, str(ORDNER))
    assert sitzung.titel.startswith("Jugendhilfeausschuss Musterkreis")
    assert sitzung_pruefen(sitzung, musterkreis) == []


def test_kleine_gemeinden_oeffentlich_geheim(musterkreis):
    from freigabe.geheimhaltung import schuetzen

    ew = werte(musterkreis, "einwohner", "gemeinde", "2024")
    tabelle = pd.DataFrame({i: werte(musterkreis, i, "gemeinde", "2024") for i in ("kinderarmut", "hze_faelle")})
    oeffentlich = schuetzen(musterkreis, tabelle, "gemeinde", "2024")
    klein = ew.index[ew < 300]
    assert oeffentlich.maske.loc[klein, "kinderarmut"].all()  # Quoten kleiner Gemeinden gesperrt
    assert oeffentlich.maske["hze_faelle"].sum() > len(klein)  # das sensible Merkmal öfter als nur dort
    intern = schuetzen(musterkreis, tabelle, "gemeinde", "2024", rolle="admin")
    assert oeffentlich.maske.values.sum() > intern.maske.values.sum()


def test_gebietsprofil_der_gemeinden_ohne_angebot_rendert(musterkreis):
    """Gemeinden ohne jedes Angebot (früher IndexError in punkte_zuordnen) und die mit den meisten."""
    from streamlit.testing.v1 import AppTest

    gem = musterkreis.gebiete["gemeinde"]
    mit = gpd.sjoin(gem[["geometry"]], musterkreis.angebote[["geometry"]], predicate="contains").index
    auswahl = [*gem.index.difference(mit), mit.value_counts().idxmax()]
    assert len(auswahl) >= 6

    at = AppTest.from_file(str(PROJEKT / "app.py"), default_timeout=120)
    at.session_state["demo_rolle"] = "admin"
    at.query_params["kommune"] = "musterkreis"
    at.run()
    at.switch_page("seiten/gebietsprofil.py").run()
    for gebiet in auswahl:
        at.selectbox(key="profil_gebiet_Musterkreis_gemeinde").set_value(gebiet).run()
        assert not at.exception, (gebiet, at.exception)
        assert not at.error, (gebiet, [e.value for e in at.error])
        assert at.header[0].value == gem.at[gebiet, "name"], gebiet

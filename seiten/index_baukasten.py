"""Index-Baukasten: einen Index aus gewichteten Indikatoren bauen, sofort auf Karte und Rangliste sehen."""

from __future__ import annotations

import altair as alt
import streamlit as st

from berichte.grundlagen import werte_fn_fuer
from freigabe.geheimhaltung import extreme_gebiete
from geodata.klassen import SCHEMATA, klassierung_aus_codes
from indices import definition as d
from indices.berechnung import eingaben_sammeln, index_aus_matrix, rangliste
from indices.definition import IndexDefinition, IndikatorEintrag, definition_aus_toml
from indices.export import definition_text, export_tabelle
from indices.presets import baukasten_vorlagen
from indices.redundanz import redundanz_pruefen
from indices.sensitivitaet import sensitivitaet
from indices.vergleich import klassenwechsel
from indices.zusammenhang import zusammenhang_fuer
from kommune.fehler import KommuneFehler
from kommune.format import indikator_bezeichnung, stand_text, zahl
from oberflaeche.auswahl import seitenleiste
from oberflaeche.bausteine import datei_hochladen, quellen_zeigen
from oberflaeche.diagramme import deutsch
from oberflaeche.export import csv_bytes, xlsx_bytes
from oberflaeche.kartenblock import Darstellung, karte_zeigen
from oberflaeche.laden import abgeleitet
from oberflaeche.schutz import wirksame_rolle
from oberflaeche.tabellen import tabelle_deutsch

auswahl = seitenleiste()
st.title("Index-Baukasten")
if auswahl is None:
    st.stop()
kommune = auswahl.kommune
# Amtliche Verfahren (MSS) zuerst, dann alphabetisch
presets = dict(
    sorted(
        baukasten_vorlagen(kommune).items(), key=lambda p: (not p[0].startswith("mss"), "dynamik" in p[0], p[1].name)
    )
)


def _eingaben(ids: tuple[str, ...], ebene: str, periode: str | None, rolle: str) -> object:
    """Index-Eingänge je Datenstand und ROLLE (im Schlüssel): für Nicht-Admins geschützt, gesperrte fehlen."""
    return abgeleitet(
        kommune,
        ("index_eingaben", ids, ebene, periode, rolle),
        lambda: eingaben_sammeln(kommune, ids, ebene=ebene, periode=periode, werte_fn=werte_fn_fuer(rolle)),
        "Indikatorwerte werden zusammengestellt …",
    )


# --- Definition: Voreinstellung, Laden -----------------------------------------------------------
if not presets:
    st.info(f"{kommune.name} hat keine Indikatorwerte, aus denen sich ein Index bilden ließe.")
    st.stop()
k1, k2 = st.columns([3, 2])
preset_id = k1.selectbox(
    "Voreinstellung", list(presets), format_func=lambda p: presets[p].name, key=f"idx_preset_{kommune.name}"
)
hochgeladen = datei_hochladen(k2, "Definition laden (TOML)", ["toml"], key="idx_upload")
basis: IndexDefinition = presets[preset_id]
if hochgeladen is not None:
    try:
        basis = definition_aus_toml(hochgeladen.getvalue().decode("utf-8"))
    except (KommuneFehler, UnicodeDecodeError) as e:
        st.error(f"Die Definition konnte nicht gelesen werden: {getattr(e, 'text', e)}")
# Widget-Schlüssel je Definition: eine geladene Definition übernimmt nicht die Auswahl des Presets davor
stamm = preset_id if basis is presets[preset_id] else f"datei_{abs(hash(basis))}"
st.caption(basis.beschreibung)

katalog = kommune.katalog[kommune.katalog.index.isin(set(kommune.indikatoren["indikator"]))]
#: Spalten der Klassenwechsel und der nicht robusten Gebiete, für Menschen benannt
WECHSEL_SPALTEN = {
    "name": "Gebiet",
    "label_vorher": "Klasse vorher",
    "label_nachher": "Klasse jetzt",
    "rang_vorher": "Rang vorher",
    "rang_nachher": "Rang jetzt",
    "veraenderung": "Veränderung",
}
ROBUST_SPALTEN = {
    "name": "Gebiet",
    "basis_label": "Klasse",
    "basis_rang": "Rang",
    "median_rang": "Rang (Median der Ziehungen)",
    "rang_p05": "Rang (5 %)",
    "rang_p95": "Rang (95 %)",
    "p_klassenwechsel": "Klassenwechsel (%)",
}
#: Stufen der Gewichte (0 bis 5 in Vierteln), als „1,25“ beschriftet
GEWICHTSSTUFEN = [s / 4 for s in range(21)]
#: Zeilen der Rangliste, die immer sichtbar sind (die ganze Liste steht aufklappbar darunter)
RANGLISTE_VORN = 15


def _methode(spalte: object, titel: str, optionen: dict[str, str], wert: str, schluessel: str) -> str:
    """Auswahl einer Methode aus einer Liste „Wert → deutscher Text“ der Index-Definition."""
    werte = list(optionen)
    return spalte.selectbox(titel, werte, werte.index(wert), format_func=optionen.__getitem__, key=schluessel)


@st.fragment
def baukasten() -> None:
    """Gewichte, Methode, Karte, Rangliste: ein Schieberegler rechnet nur diesen Teil neu."""
    with st.expander("Indikatoren, Gewichte und Methode", expanded=True):
        ids = st.multiselect(
            "Indikatoren",
            list(katalog.index),
            default=[i for i in basis.indikator_ids if i in katalog.index],
            format_func=lambda i: indikator_bezeichnung(katalog, i),
            key=f"idx_ids_{stamm}",
            placeholder="Indikatoren wählen …",
        )
        m1, m2, m3, m4 = st.columns(4)
        std = _methode(m1, "Standardisierung", d.STANDARDISIERUNGEN, basis.standardisierung, f"idx_std_{stamm}")
        gew = _methode(m2, "Gewichtung", d.GEWICHTUNGEN, basis.gewichtung, f"idx_gew_{stamm}")
        agg = _methode(m3, "Aggregation", d.AGGREGATIONEN, basis.aggregation, f"idx_agg_{stamm}")
        restd = m4.checkbox("Ergebnis erneut standardisieren", basis.restandardisieren, key=f"idx_restd_{stamm}")
        mindest = m4.number_input(
            "Mindestbevölkerung", 0, 100_000, int(basis.mindest_einwohner), 50, key=f"idx_min_{stamm}"
        )
        if gew != "manuell":
            st.caption(
                f"Gewichtung „{d.GEWICHTUNGEN[gew]}“: die Schieberegler sind gesperrt. "
                "Für eigene Gewichte „eigene Gewichte (normiert)“ wählen."
            )
        eintraege = []
        basis_gewichte = {e.id: e for e in basis.indikatoren}
        for i in ids:
            e = basis_gewichte.get(i, IndikatorEintrag(i, 1.0, int(katalog.loc[i, "richtung"]) or 1))
            c1, c2, c3 = st.columns([3, 3, 2])
            c1.markdown(f"**{indikator_bezeichnung(katalog, i)}**", help=f"Schlüssel im Katalog: {i}")
            c1.caption(str(katalog.loc[i, "definition"]))
            gewicht = c2.select_slider(
                "Gewicht",
                GEWICHTSSTUFEN if float(e.gewicht) in GEWICHTSSTUFEN else sorted({*GEWICHTSSTUFEN, float(e.gewicht)}),
                float(e.gewicht),
                format_func=lambda w: zahl(w, 2),
                key=f"idx_w_{stamm}_{i}",
                disabled=gew != "manuell",
            )
            richtung = c3.selectbox(
                "Richtung",
                [1, -1],
                index=0 if e.richtung >= 0 else 1,
                format_func=lambda r: "höher = mehr Bedarf" if r == 1 else "höher = weniger Bedarf",
                key=f"idx_r_{stamm}_{i}",
            )
            eintraege.append(IndikatorEintrag(i, gewicht, richtung))

    if not eintraege:
        st.info("Bitte mindestens einen Indikator wählen.")
        return
    try:
        definition = basis.mit(
            indikatoren=tuple(eintraege),
            standardisierung=std,
            gewichtung=gew,
            aggregation=agg,
            restandardisieren=restd,
            mindest_einwohner=float(mindest),
        )
        ebene = definition.ebene or auswahl.ebene
        rolle = wirksame_rolle()
        eingaben = _eingaben(definition.benoetigte_indikatoren(), ebene, definition.periode, rolle)
        ergebnis = index_aus_matrix(eingaben, definition)
        basis_ergebnis = index_aus_matrix(_eingaben(basis.benoetigte_indikatoren(), ebene, basis.periode, rolle), basis)
    except KommuneFehler as e:
        st.error(e.text)
        return

    schicht = kommune.schicht(ebene)
    tab = ergebnis.tabelle
    st.markdown(
        f"**{definition.name}** auf der Ebene {schicht.name}: {ergebnis.anzahl_bewertet} von {len(tab)} "
        f"Gebieten bewertet ({ergebnis.lesart}; Eingänge geschützt: ein gesperrter Eingangswert gilt als fehlend, "
        "das Gebiet wird nicht bewertet). Gewichte: "
        + ", ".join(f"{indikator_bezeichnung(katalog, i)} {zahl(100 * w, 0)} %" for i, w in ergebnis.gewichte.items())
        + (
            f". Erklärte Varianz (PCA): {zahl(100 * ergebnis.erklaerte_varianz[0], 0)} %"
            if ergebnis.erklaerte_varianz
            else ""
        )
    )
    st.caption(f"Fehlende Werte: {ergebnis.fehlwert_text}")
    for h in ergebnis.hinweise:
        st.caption(h)
    korrelation, warnungen = redundanz_pruefen(eingaben, definition)
    for w in warnungen:
        st.warning(w)
    with st.expander("Korrelationen der gewählten Indikatoren (Doppelzählung prüfen)"):
        namen = {i: indikator_bezeichnung(kommune.katalog, i) for i in korrelation.columns}
        st.dataframe(tabelle_deutsch(korrelation.rename(index=namen, columns=namen), stellen=2), width="stretch")

    schema = (
        definition.klassierung.farbschema
        if definition.klassierung.farbschema in SCHEMATA
        else ("YlOrRd" if definition.familie == "benachteiligung" else "YlGnBu")
    )
    klassen = klassierung_aus_codes(tab["klasse"], ergebnis.klassen_codes, ergebnis.klassen_labels, schema)
    karte_zeigen(
        auswahl,
        tab["score"],
        Darstellung(
            definition.name,
            "",
            ", ".join(sorted({stand_text(p) for p in ergebnis.perioden.values() if stand_text(p)})),
            stellen=2,
        ),
        kommune.angebote.iloc[0:0],
        schluessel="index",
        klassen=klassen,
        ebene=ebene,
    )

    links, rechts = st.columns(2)
    with links:
        st.subheader("Rangliste")
        extreme = extreme_gebiete(kommune, ebene, auswahl.periode)  # Rang 1 nicht für ein Gebiet von fast niemandem
        ohne_rang = f"unter {zahl(extreme.mindestbevoelkerung, 0)} Einwohnern: ohne Rang"
        geordnet = rangliste(tab, extreme.ausgelassen, ohne_rang)[["name", "score", "klasse_label", "rang", "grund"]]
        spalten = {
            "name": "Gebiet",
            "score": "Indexwert",
            "klasse_label": "Klasse",
            "rang": "Rang",
            "grund": "nicht bewertet, weil",
        }
        vorn = geordnet.head(RANGLISTE_VORN)
        st.caption(f"Die {len(vorn)} Gebiete mit den höchsten Indexwerten von {zahl(len(geordnet), 0)}.")
        st.dataframe(tabelle_deutsch(vorn.drop(columns="grund").rename(columns=spalten), stellen=2), width="stretch")
        if extreme.fussnote:
            st.caption(f"Rangliste {extreme.fussnote}: sie stehen ohne Rang am Ende.")
        # Die ganze Liste erst beim Aufklappen: sonst reiste sie bei jedem Reglerschritt mit (Berlin ≈ 49 KB)
        ganz = st.expander(
            f"Ganze Rangliste ({zahl(len(geordnet), 0)} Gebiete)", key="idx_rangliste_offen", on_change="rerun"
        )
        if ganz.open:
            with ganz:
                st.dataframe(tabelle_deutsch(geordnet.rename(columns=spalten), stellen=2), width="stretch")
    with rechts:
        st.subheader("Was hat sich verändert?")
        wechsel = klassenwechsel(basis_ergebnis, ergebnis)
        if wechsel.empty:
            st.markdown(f"Keine Klassenwechsel gegenüber der Voreinstellung „{basis.name}“.")
        else:
            st.markdown(f"{len(wechsel)} Gebiete wechseln die Klasse gegenüber „{basis.name}“.")
            st.dataframe(
                tabelle_deutsch(wechsel[list(WECHSEL_SPALTEN)].rename(columns=WECHSEL_SPALTEN), stellen=2),
                hide_index=True,
                width="stretch",
            )

    with st.expander("Sensitivität (Monte-Carlo, Leave-one-out, andere Standardisierung)"):
        s1, s2 = st.columns(2)
        spanne = s1.slider("Gewichte schwanken um ± %", 5, 50, 20, 5, key="idx_spanne")
        n = s2.select_slider("Ziehungen", [200, 500, 1000, 2000], 1000, key="idx_n")
        if st.button("Sensitivität berechnen", key="idx_sens"):
            sens = sensitivitaet(eingaben, definition, n=int(n), spanne=spanne / 100)
            st.markdown(sens.beschreibung)
            t = sens.tabelle.reset_index(names="id").sort_values("median_rang").head(40)
            diagramm = alt.Chart(t).mark_rule(strokeWidth=3).encode(
                y=alt.Y("name:N", sort=None, title=None),
                x=alt.X("rang_p05:Q", title="Rang (5 % bis 95 % der Ziehungen)"),
                x2="rang_p95:Q",
                tooltip=[
                    alt.Tooltip("name:N", title="Gebiet"),
                    alt.Tooltip("median_rang:Q", title="Rang (Median)", format=",.0f"),
                    alt.Tooltip("rang_p05:Q", title="Rang (5 %)", format=",.0f"),
                    alt.Tooltip("rang_p95:Q", title="Rang (95 %)", format=",.0f"),
                    alt.Tooltip("p_klassenwechsel:Q", title="Klassenwechsel", format=".0%"),
                ],
            ) + alt.Chart(t).mark_point(color="black").encode(y=alt.Y("name:N", sort=None), x="median_rang:Q")
            st.altair_chart(
                deutsch(diagramm.properties(height=600)),
                width="stretch",
                alt="Rangintervalle der 40 Gebiete mit den höchsten Rängen",
            )
            robust = sens.nicht_robust[list(ROBUST_SPALTEN)].rename(columns=ROBUST_SPALTEN)
            robust["Klassenwechsel (%)"] = 100 * robust["Klassenwechsel (%)"]
            st.dataframe(tabelle_deutsch(robust, stellen=1), hide_index=True, width="stretch")

    with st.expander("Zusammenhang mit einem Ergebnisindikator"):
        ziel = st.selectbox(
            "Indikator",
            [i for i in katalog.index if i not in ids],
            format_func=lambda i: indikator_bezeichnung(katalog, i),
            key="idx_ziel",
            index=None,
            placeholder="Ergebnisindikator wählen …",
        )
        if ziel:
            zus = zusammenhang_fuer(kommune, ergebnis, ziel, werte_fn=werte_fn_fuer(wirksame_rolle()))
            st.markdown(zus.text)
            je_klasse = zus.je_klasse.rename(
                columns={"label": "Klasse", "gebiete": "Gebiete", "wert": katalog.loc[ziel, "name"]}
            )
            st.dataframe(tabelle_deutsch(je_klasse), hide_index=True, width="stretch")
            punkte = zus.streuung.dropna(subset=["score", "wert"])
            st.altair_chart(
                deutsch(
                    alt.Chart(punkte)
                    .mark_circle(opacity=0.6)
                    .encode(
                        x=alt.X("score:Q", title=f"{definition.name} (Indexwert)"),
                        y=alt.Y("wert:Q", title=katalog.loc[ziel, "name"]),
                        tooltip=[
                            alt.Tooltip("name:N", title="Gebiet"),
                            alt.Tooltip("score:Q", title="Indexwert", format=",.2f"),
                            alt.Tooltip("wert:Q", title=str(katalog.loc[ziel, "name"]), format=",.1f"),
                            alt.Tooltip("klasse_label:N", title="Klasse"),
                        ],
                    )
                ),
                width="stretch",
                alt=f"Streudiagramm {definition.name} gegen {katalog.loc[ziel, 'name']}",
            )

    st.subheader("Export")
    e1, e2, e3 = st.columns(3)
    e1.download_button(
        "Ergebnis als CSV",
        lambda: csv_bytes(export_tabelle(ergebnis)),
        f"{definition.id}.csv",
        "text/csv",
        key="idx_csv",
    )
    e2.download_button(
        "Ergebnis als Excel (mit Definition)",
        lambda: xlsx_bytes(export_tabelle(ergebnis), "Index", definition_text(ergebnis, kommune.name)),
        f"{definition.id}.xlsx",
        key="idx_xlsx",
    )
    e3.download_button(
        "Definition speichern (TOML)",
        lambda: definition.als_toml().encode("utf-8"),
        f"{definition.id}.toml",
        "application/toml",
        key="idx_toml",
    )
    quellen_zeigen(kommune, [kommune.katalog.loc[i, "quelle"] for i in ids] + [schicht.quelle])


baukasten()

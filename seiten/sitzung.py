"""Sitzungsmodus für den Jugendhilfeausschuss: kuratierte Ansichten, Weiter/Zurück, Link und QR-Code.

Geheimhaltung ist hier immer an (Rolle „öffentlich“), Rohtabellen und Exporte gibt es nicht,
sensible Indikatoren erscheinen nur auf der gröbsten Ebene.
"""

from __future__ import annotations

import os
from urllib.parse import urlencode

import streamlit as st

from berichte import uebergaenge as ueb
from berichte.cockpit import kacheln_berechnen
from berichte.diagramme import punktvergleich, spine_chart
from berichte.gruppen import gesamtluecke, luecke_und_maske
from berichte.sitzung import (
    OEFFENTLICHE_URL_VARIABLE,
    SEITEN,
    URL_SCHLUESSEL,
    Ansicht,
    Sitzung,
    SitzungsFehler,
    ansicht_aus_link,
    ansicht_pruefen,
    ansicht_zu_query,
    basis_url_aus_konfiguration,
    kurz_id,
    link_basis,
    link_braucht_text,
    luecke_familie,
    qr_svg,
    query_zu_ansicht,
    sitzung_als_toml,
    sitzung_aus_toml,
    sitzung_fuer,
    sitzung_pruefen,
)
from geodata.gebietswerte import gebietswerte
from geodata.klassen import SCHEMATA, klassierung_aus_codes
from geodata.versorgung import versorgungsindikatoren
from indices.berechnung import index_berechnen
from indices.presets import presets_fuer
from kommune.fehler import KommuneFehler
from kommune.format import indikator_bezeichnung, ist_ganzzahlig, stand_text, wert_mit_einheit
from kommune.uebergaenge import GESAMT, tabelle_konf
from kommune.werte import neueste_periode
from oberflaeche.ablauf import eigener_ablauf
from oberflaeche.auswahl import seitenleiste
from oberflaeche.bausteine import datei_hochladen, quellen_zeigen
from oberflaeche.bildschirm import EIN
from oberflaeche.kacheln import kacheln_html
from oberflaeche.kartenblock import Darstellung, karte_zeigen
from oberflaeche.kartenkomponente import kartenhoehe
from oberflaeche.schutz import geschuetzt, werte_fn_sitzung, wirksame_rolle
from oberflaeche.vorfuehren import (
    folgen_aus_adresse,
    folgen_hinweis,
    nachfragen,
    vorfuehren_seitenleiste,
    vorfuehrung_senden,
)

st.session_state["geheimhaltung_erzwungen"] = True  # vor der Seitenleiste: auch nur der veröffentlichte Stand
auswahl = seitenleiste()
if auswahl is None:
    st.stop()
kommune, kommune_id = auswahl.kommune, auswahl.kommune_id
#: Platz über der Karte (Kopfzeile, Live-Anpassung, Titel, Satz): die Karte endet am Beamer am unteren Rand.
KARTE_ABSTAND = 270

# --- Ablauf laden ----------------------------------------------------------------------------------
gesammelt = eigener_ablauf()
with st.sidebar.expander("Ablauf wählen oder laden"):
    quelle = st.radio(
        "Ablauf",
        ["beispiel", "eigen"],
        key="sitzung_quelle",
        format_func={"beispiel": "mitgelieferter Ablauf", "eigen": f"eigener Ablauf ({len(gesammelt)} Ansichten)"}.get,
    )
    datei = datei_hochladen(st, "Ablauf (TOML)", ["toml"], key="sitzung_datei")
sitzung = None
standard: Sitzung | None = None  # der Ablauf der Kommune (auch das Zielgerät eines Links kennt ihn)
standard_fehler = ""
try:
    standard = sitzung_fuer(kommune, kommune_id)
except SitzungsFehler as e:
    standard_fehler = e.text
if quelle == "eigen" and gesammelt:
    sitzung = Sitzung(f"Ausschusssitzung {kommune.name}", kurz_id(kommune_id), tuple(gesammelt))
if datei is not None:
    try:
        sitzung = sitzung_aus_toml(datei.getvalue().decode("utf-8"), datei.name)
    except (SitzungsFehler, UnicodeDecodeError) as e:
        st.sidebar.error(f"Der Ablauf konnte nicht gelesen werden: {getattr(e, 'text', e)}")
if sitzung is None:
    if quelle == "eigen":
        st.sidebar.info("Noch keine Ansicht gesammelt: auf Karte oder Gebietsprofil „Zur Ausschusssitzung hinzufügen“.")
    if standard is None:
        st.error(standard_fehler)
        st.stop()
    sitzung = standard
for meldung in sitzung_pruefen(sitzung, kommune):
    st.sidebar.warning(meldung)
st.sidebar.download_button(
    "Ablauf speichern (TOML)",
    lambda: sitzung_als_toml(sitzung).encode("utf-8"),
    "sitzung.toml",
    "application/toml",
    key="sitzung_speichern",
)

# --- Schritt und Ansicht (aus der Adresse reproduzierbar; ein folgendes Gerät zeigt die Vorführung) ---------
folgen = folgen_aus_adresse(kommune_id)
gefolgt = folgen.vorfuehrung if folgen else None
try:
    schritt = int(st.query_params.get("schritt", st.session_state.get("sitzung_schritt", 0)))
except ValueError:
    schritt = 0
schritt = max(0, min(schritt, len(sitzung) - 1))
ansicht = sitzung.schritt(schritt)
if gefolgt is not None:
    schritt, ansicht = gefolgt.schritt, gefolgt.ansicht
    for meldung in ansicht_pruefen(ansicht, kommune):
        st.warning(meldung)
elif not st.session_state.get("_sitzung_url_gelesen") and "seite" in st.query_params:
    try:  # ein geteilter Link beschreibt die Ansicht selbst
        ansicht = ansicht_aus_link(query_zu_ansicht(st.query_params.to_dict(), streng=False), sitzung, schritt)
    except SitzungsFehler as e:
        st.warning(f"Der Link beschreibt keine gültige Ansicht ({e.text}); gezeigt wird Schritt {schritt + 1}.")
st.session_state["_sitzung_url_gelesen"] = True

# Überschrift der Ansicht etwas kleiner als auf den Arbeitsseiten: am Beamer zählt jede Zeile
st.html("<style>[data-testid='stMainBlockContainer'] h1 { font-size: 2rem; }</style>")
kopf, praesentation, zurueck, weiter = st.columns([5, 2, 1, 1])
vollbild = praesentation.toggle(
    "Präsentation",
    value=str(st.query_params.get("praesentation", "")).lower() in EIN,  # ?praesentation=1: gleich so beginnen
    key="sitzung_praesentation",
    help="Seitenleiste und Kopfzeile ausblenden",
)
# immer ein Element an derselben Stelle, damit die Karte darunter beim Umschalten nicht neu aufgebaut wird
praesentation.markdown(
    "<style>section[data-testid='stSidebar'], header[data-testid='stHeader'],"
    " [data-testid='stSidebarCollapsedControl'] {display: none !important;}"
    " [data-testid='stMainBlockContainer'] {padding-top: 1.5rem !important;}</style>"
    if vollbild
    else "<span></span>",
    unsafe_allow_html=True,
)
kopf.markdown(
    f"**{gefolgt.titel}** · Ansicht {schritt + 1} von {gefolgt.anzahl} · folgt der Vorführung {folgen.code}"
    if gefolgt is not None
    else f"**{sitzung.titel}** · Ansicht {schritt + 1} von {len(sitzung)}"
)
if folgen is not None:
    nachfragen(kommune_id, folgen)  # alle 2 s: hat der Vorführende weitergeschaltet?
    if gefolgt is None:
        folgen_hinweis(folgen)
# ein folgendes Gerät schaltet nicht selbst weiter
if gefolgt is None and zurueck.button("◀ Zurück", disabled=schritt == 0, key="sitzung_zurueck", width="stretch"):
    st.session_state["sitzung_schritt"] = schritt - 1
    st.query_params["schritt"] = str(schritt - 1)
    for k in URL_SCHLUESSEL[1:]:  # die Ansicht aus der Adresse (außer der Kommune) gilt nicht mehr
        st.query_params.pop(k, None)
    st.rerun()
if gefolgt is None and weiter.button(
    "Weiter ▶", disabled=schritt >= len(sitzung) - 1, key="sitzung_weiter", width="stretch"
):
    st.session_state["sitzung_schritt"] = schritt + 1
    st.query_params["schritt"] = str(schritt + 1)
    for k in URL_SCHLUESSEL[1:]:  # die Ansicht aus der Adresse (außer der Kommune) gilt nicht mehr
        st.query_params.pop(k, None)
    st.rerun()

# Die Ansicht steht oben (am Beamer ganz im Bild), die Live-Anpassung darunter; sie wirkt trotzdem zuerst:
# der Behälter wird jetzt angelegt und erst nach der Anpassung gefüllt.
inhalt = st.container()

# --- Live-Änderung: „und wie sieht das im Bezirk X aus?“ ----------------------------------------
ebenen = [s.id for s in kommune.konfiguration.schichten]
if gefolgt is None:  # ein folgendes Gerät zeigt, was der Vorführende zeigt
    with st.expander("Ansicht live anpassen (Frage aus dem Ausschuss)"):
        a1, a2 = st.columns(2)
        ebene = a1.selectbox(
            "Ebene",
            ebenen,
            index=ebenen.index(ansicht.ebene) if ansicht.ebene in ebenen else 0,
            format_func=lambda e: kommune.schicht(e).name,
            key=f"live_ebene_{schritt}",
        )
        gebiete_alle = kommune.gebiete[ebene]["name"].sort_values()
        gebiete = a2.multiselect(
            "Gebiete",
            list(gebiete_alle.index),
            default=[g for g in ansicht.gebiete if g in gebiete_alle.index],
            format_func=lambda g: gebiete_alle[g],
            max_selections=5,
            key=f"live_gebiete_{schritt}_{ebene}",
            placeholder="Gebiete wählen …",
        )
        try:
            ansicht = ansicht.mit(ebene=ebene, gebiete=tuple(gebiete))
        except SitzungsFehler as e:
            st.warning(e.text)

with inhalt:
    st.title(ansicht.titel)
    if ansicht.text:
        st.markdown(ansicht.text)

# Sensible Indikatoren nur zusammengefasst: auf der gröbsten statistischen Ebene (bei einer Gruppenlücke auch,
# wenn eine der beiden Gruppen sensibel ist)
_familie = luecke_familie(ansicht, kommune) if ansicht.luecke else None
_gezeigt = [ansicht.indikator, *(_familie.glied(g) for g in (ansicht.gruppe_a, ansicht.gruppe_b) if _familie and g)]
if any(i in kommune.katalog.index and bool(kommune.katalog.loc[i, "sensibel"]) for i in _gezeigt):
    grobste = kommune.konfiguration.ebenen[-1].id
    if ansicht.ebene != grobste:
        inhalt.info("Sensibler Indikator: im Sitzungsmodus nur für die gröbste Ebene gezeigt.")
        ansicht = ansicht.mit(ebene=grobste, gebiete=())


def _luecke(a: Ansicht) -> None:
    """Karte der Lücke zwischen zwei Gruppen (geschützt: fehlt, wo einer der Gruppenwerte gesperrt ist)."""
    ebene = a.ebene or auswahl.ebene
    f = luecke_familie(a, kommune)
    if f is None or a.gruppe_a not in f.auspraegungen or a.gruppe_b not in f.auspraegungen:
        st.warning(f"Die Gruppen dieser Ansicht gibt es für {kommune.name} nicht.")
        return
    glied = str(f.glied(str(a.gruppe_a)))
    p = neueste_periode(kommune, glied, a.periode) or ""
    mass = a.mass or "differenz"
    lu = luecke_und_maske(kommune, f, str(a.gruppe_a), str(a.gruppe_b), ebene, p, mass=mass, rolle=wirksame_rolle())
    if a.gebiete:
        st.session_state["wahl_gebiet"] = a.gebiete[0]
    karte_zeigen(
        auswahl,
        lu.werte,
        Darstellung(lu.titel, lu.einheit, stand_text(kommune.katalog.loc[glied, "stand"]) or stand_text(p), 0,
                    lu.stellen, lu.mitte),
        kommune.angebote.iloc[0:0],
        schluessel="sitzung",  # derselbe Platz wie die Wertkarte: Weiterblättern färbt nur um
        ebene=ebene,
        hoehe=kartenhoehe(KARTE_ABSTAND + 30),
        tabelle=False,
        gesperrt=lu.gesperrt,
    )
    gesamt = gesamtluecke(kommune, f, str(a.gruppe_a), str(a.gruppe_b), p, mass=mass, rolle=wirksame_rolle())
    st.caption(
        f"{kommune.konfiguration.gesamtgebiet} ({p}): {wert_mit_einheit(gesamt, lu.einheit, lu.stellen)}. "
        + ("Differenz: erste Gruppe minus zweite. " if mass == "differenz" else "Verhältnis: erste ÷ zweite. ")
        + "Ist einer der beiden Gruppenwerte gesperrt, fehlt die Lücke (Geheimhaltung)."
    )


def _uebergang(a: Ansicht) -> None:
    """Karte einer Übergangsquote (von → nach) mit dem Wert der ganzen Kommune, geschützt."""
    tabellen = dict(ueb.tabellen(kommune))
    if a.tabelle not in tabellen:
        st.warning(f"Die Übergangstabelle „{a.tabelle}“ gibt es für {kommune.name} nicht.")
        return
    tid, von, nach = str(a.tabelle), str(a.von), str(a.nach)
    ebenen_t = ueb.ebenen(kommune, tid)
    ebene = a.ebene if a.ebene in ebenen_t else ebenen_t[0]
    if a.ebene is not None and a.ebene != ebene:
        st.info(f"Diese Übergänge gibt es nicht je {kommune.schicht(a.ebene).name}; gezeigt: je "
                f"{kommune.schicht(ebene).name}.")
    perioden_t = ueb.perioden(kommune, tid)
    p = a.periode if a.periode in perioden_t else perioden_t[-1]
    rolle = wirksame_rolle()
    quote, gesperrt = ueb.quote_je_gebiet(kommune, tid, ebene, p, von, nach, rolle=rolle)
    if a.gebiete:
        st.session_state["wahl_gebiet"] = a.gebiete[0]
    ohne = nach in tabelle_konf(kommune.konfiguration, tid).ohne_anschluss
    karte_zeigen(
        auswahl,
        quote,
        Darstellung(f"{von} → {nach}", "%", f"Periode {p}", 1 if ohne else 0, 1),
        kommune.angebote.iloc[0:0],
        schluessel="sitzung",
        ebene=ebene,
        hoehe=kartenhoehe(KARTE_ABSTAND + 30),
        tabelle=False,
        gesperrt=gesperrt,
    )
    z = ueb.zellen(kommune, tid, GESAMT, p, rolle=rolle).zellen
    zelle = z[(z["von"] == von) & (z["nach"] == nach)]
    if zelle.empty:
        gesamt = "keine Daten"
    elif bool(zelle["gesperrt"].iloc[0]):
        gesamt = "gesperrt (Geheimhaltung)"
    else:
        gesamt = wert_mit_einheit(float(zelle["anteil"].iloc[0]), "%", 1)
    st.caption(
        f"{tabellen[tid]}: Anteil „{nach}“ an allen aus „{von}“. {kommune.konfiguration.gesamtgebiet} ({p}): "
        f"{gesamt}. Kleine Zellen sind gesperrt (Geheimhaltung)."
    )


def _karte(a: Ansicht) -> None:
    if a.luecke:
        _luecke(a)
        return
    ebene = a.ebene or auswahl.ebene
    if a.indikator in kommune.katalog.index:
        e = kommune.katalog.loc[a.indikator]
        p = neueste_periode(kommune, a.indikator, a.periode) or ""
        reihe = gebietswerte(kommune, a.indikator, ebene, p)
        darstellung = Darstellung(
            indikator_bezeichnung(kommune.katalog, a.indikator),
            e["einheit"],
            stand_text(e["stand"]) or stand_text(p),
            int(e["richtung"]),
            0 if ist_ganzzahlig(str(e["einheit"]), str(e["art"])) else 1,
        )
    elif a.indikator in {v.id for v in kommune.konfiguration.versorgung}:
        p = a.periode
        tab = versorgungsindikatoren(kommune, ebene, a.periode, werte_fn=werte_fn_sitzung())
        spalte = tab.attrs["indikatoren"][a.indikator]
        reihe = tab[spalte]
        bevoelkerung = stand_text(tab.attrs.get("perioden", {}).get(a.indikator, ""), "Bevölkerung ")
        darstellung = Darstellung(spalte, tab.attrs["einheiten"][spalte], bevoelkerung, -1, 1)
    else:
        st.warning(f"Den Indikator „{a.indikator}“ gibt es für {kommune.name} nicht.")
        return
    if a.gebiete:
        st.session_state["wahl_gebiet"] = a.gebiete[0]
    reihe, gesperrt = geschuetzt(kommune, a.indikator, ebene, p, reihe)
    karte_zeigen(
        auswahl,
        reihe,
        darstellung,
        kommune.angebote.iloc[0:0],
        schluessel="sitzung",
        ebene=ebene,
        hoehe=kartenhoehe(KARTE_ABSTAND),
        tabelle=False,
        gesperrt=gesperrt,
    )


def _index(a: Ansicht) -> None:
    presets = presets_fuer(kommune)
    if a.index not in presets:
        st.warning(f"Den Index „{a.index}“ gibt es für {kommune.name} nicht.")
        return
    d = presets[a.index]
    ergebnis = index_berechnen(kommune, d, ebene=a.ebene or d.ebene, werte_fn=werte_fn_sitzung())
    schema = d.klassierung.farbschema if d.klassierung.farbschema in SCHEMATA else "YlOrRd"
    klassen = klassierung_aus_codes(ergebnis.tabelle["klasse"], ergebnis.klassen_codes, ergebnis.klassen_labels, schema)
    karte_zeigen(
        auswahl,
        ergebnis.tabelle["score"],
        Darstellung(d.name, "", "", stellen=2),
        kommune.angebote.iloc[0:0],
        schluessel="sitzung_index",
        klassen=klassen,
        ebene=ergebnis.ebene,
        hoehe=kartenhoehe(KARTE_ABSTAND),
        tabelle=False,
    )
    st.caption(
        f"{ergebnis.anzahl_bewertet} von {len(ergebnis.tabelle)} Gebieten bewertet ({ergebnis.lesart}). "
        "Eingangswerte sind geschützt: Gebiete mit einem gesperrten Eingangswert werden nicht bewertet."
    )


with inhalt:
    if ansicht.seite == "karte":
        _karte(ansicht)
    elif ansicht.seite == "index":
        _index(ansicht)
    elif ansicht.seite == "uebergaenge":
        _uebergang(ansicht)
    elif ansicht.seite == "gebietsprofil":
        if not ansicht.gebiete:
            st.info("Bitte unter „Ansicht live anpassen“ ein Gebiet wählen.")
        else:
            st.altair_chart(
                spine_chart(kommune, ansicht.ebene, ansicht.gebiete[0], ansicht.periode, rolle=wirksame_rolle()),
                width="stretch",
            )
    elif ansicht.seite == "vergleich":
        if not ansicht.gebiete:
            st.info("Bitte unter „Ansicht live anpassen“ bis zu fünf Gebiete wählen.")
        else:
            st.altair_chart(
                punktvergleich(kommune, ansicht.ebene, list(ansicht.gebiete), ansicht.periode, rolle=wirksame_rolle()),
                width="stretch",
            )
    elif ansicht.seite == "cockpit":
        try:
            st.markdown(kacheln_html(kacheln_berechnen(kommune, ansicht.periode, rolle=wirksame_rolle())),
                        unsafe_allow_html=True)  # fmt: skip
        except KommuneFehler as e:
            st.error(f"Die Kennzahlen ([[kachel]] in der kommune.toml) sind fehlerhaft: {e.text}")
    else:
        st.warning(f"Die Seite „{SEITEN.get(ansicht.seite, ansicht.seite)}“ gibt es im Sitzungsmodus nicht.")

# --- Link und QR-Code zur aktuellen Ansicht; Vorführung für folgende Geräte ----------------------
abfrage = ansicht_zu_query(ansicht, kommune_id, mit_text=False)
if folgen is None:  # ein folgendes Gerät behält seine Adresse (?folgen=…)
    for schluessel, wert in {**abfrage, "schritt": str(schritt)}.items():
        st.query_params[schluessel] = wert
if link_braucht_text(ansicht, sitzung, standard):  # eigener Ablauf: das Zielgerät kennt den Text nicht
    abfrage["text"] = ansicht.text
try:
    basis = link_basis(
        st.context.url,
        umgebung=os.environ.get(OEFFENTLICHE_URL_VARIABLE),
        konfiguriert=basis_url_aus_konfiguration(kommune),
    )
except SitzungsFehler as e:
    st.warning(f"Die öffentliche Adresse ist falsch eingestellt: {e.text}")
    basis = link_basis(st.context.url)
if folgen is None:
    code = vorfuehren_seitenleiste(basis, kommune_id)
    if code is not None:
        vorfuehrung_senden(kommune_id, code, ansicht, schritt, len(sitzung), sitzung.titel)
link = f"{basis.adresse}?{urlencode({**abfrage, 'schritt': str(schritt)})}"
with st.expander("Link und QR-Code zu dieser Ansicht"):
    if basis.teilbar:
        q1, q2 = st.columns([1, 2])
        q1.markdown(qr_svg(link), unsafe_allow_html=True)
        q2.markdown("Mit dem Handy scannen oder den Link teilen – er öffnet genau diese Ansicht:")
        q2.code(link, language=None, wrap_lines=True)
    else:
        st.info(basis.hinweis)
        st.markdown("Link auf diesem Rechner:")
        st.code(link, language=None, wrap_lines=True)
quellen_zeigen(kommune, [q.id for q in kommune.konfiguration.quellen])

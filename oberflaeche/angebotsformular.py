"""Formular und Listen der Angebotspflege (Träger und Bildungsbüro): Streamlit-Klebstoff über `kommune.angebotspflege`.

Texte aus den Daten erscheinen nur in Eingabefeldern und Tabellen (als Text), nie als Markdown oder HTML.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from kommune.angebotsregister import FELD, GESCHLECHTER, LAGEN, SPRACHNIVEAUS, ZIELGRUPPEN, datum_text
from kommune.format import zahl
from kommune.laden import Kommune
from oberflaeche.kartenblock import ort_waehlen

#: Felder, die das Formular nicht zeigt (vergeben oder beim Einreichen gesetzt).
_AUTOMATISCH = ("id", "traeger_id", "traeger", "bestaetigt_am", "bestaetigt_von")
_LAGE_NAMEN = {"koordinaten": "Koordinaten (WGS84)", "karte": "Koordinaten aus der Karte", "gebiet": "Gebiet"}
_ABSCHNITTE = (
    ("Angebot", ("name", "kategorie", "bildungsstufe", "beschreibung")),
    ("Zielgruppe", ("alter_von", "alter_bis", "geschlecht", "zielgruppen", "sprachniveau", "sprachen")),
    ("Kosten, Zeiten, Zugang", ("kostenfrei", "kosten", "zeiten", "barrierefrei", "kapazitaet")),
    ("Kontakt", ("adresse", "telefon", "email", "web")),
    ("Gültigkeit und Quelle", ("gueltig_von", "gueltig_bis", "quellenangabe", "lizenz")),
    ("Lage", ("lage", "gebiet", "lon", "lat")),
)


def _leer(wert: Any) -> bool:
    return wert is None or (isinstance(wert, float) and math.isnan(wert)) or wert == ""


def _zahl_text(wert: Any) -> str:
    return "" if _leer(wert) else zahl(float(wert), 6, tausender="", kuerzen=True)


def _liste(wert: Any) -> list[str]:
    return [] if _leer(wert) else [t.strip() for t in str(wert).split(";") if t.strip()]


def _feld(spalte: Any, feld_id: str, vorher: dict[str, Any], gebiete: dict[str, str], key: str) -> Any:
    """Ein Eingabefeld; gibt den Rohwert zurück (Prüfung in `kommune.angebotsregister.zeile_lesen`)."""
    f = FELD[feld_id]
    alt = vorher.get(feld_id)
    titel = f.titel + (" *" if f.pflicht else "")
    k = f"{key}_{feld_id}"
    if feld_id == "beschreibung":
        return spalte.text_area(titel, "" if _leer(alt) else str(alt), key=k, max_chars=f.laenge)
    if feld_id == "geschlecht":
        return spalte.selectbox(titel, GESCHLECHTER, index=GESCHLECHTER.index(alt) if alt in GESCHLECHTER else 0, key=k)
    if f.art == "auswahl" and feld_id != "lage":
        optionen = ["", *f.werte]
        return spalte.selectbox(titel, optionen, index=optionen.index(alt) if alt in optionen else 0, key=k,
                                format_func=lambda w: w or "keine Angabe")  # fmt: skip
    if feld_id == "lage":
        wahl = alt if alt in LAGEN else "koordinaten"
        vorgabe = {} if k in st.session_state else {"index": LAGEN.index(wahl)}  # Kartenklick setzt den Zustand
        return spalte.radio(titel, LAGEN, format_func=_LAGE_NAMEN.__getitem__, key=k, horizontal=True, **vorgabe)
    if feld_id == "gebiet":
        optionen = ["", *gebiete]
        return spalte.selectbox(titel, optionen, index=optionen.index(alt) if alt in optionen else 0, key=k,
                                format_func=lambda g: gebiete.get(g, "—"), help=f.hilfe)  # fmt: skip
    if feld_id in ("zielgruppen", "sprachniveau"):
        vorgaben = ZIELGRUPPEN if feld_id == "zielgruppen" else SPRACHNIVEAUS
        gewaehlt = _liste(alt)
        optionen = list(dict.fromkeys([*vorgaben, *gewaehlt]))
        neu_erlaubt = feld_id == "zielgruppen"
        return "; ".join(
            spalte.multiselect(titel, optionen, gewaehlt, key=k, accept_new_options=neu_erlaubt, placeholder="wählen")
        )
    if f.art == "datum":
        wert = date.fromisoformat(alt) if isinstance(alt, str) and alt else None
        d = spalte.date_input(titel, wert, format="DD.MM.YYYY", key=k, min_value=date(2000, 1, 1))
        return d.isoformat() if isinstance(d, date) else ""
    if f.art == "zahl":
        vorgabe = {} if k in st.session_state else {"value": _zahl_text(alt)}  # Kartenklick setzt lon/lat
        return spalte.text_input(titel, key=k, help=f.hilfe or None, **vorgabe)
    return spalte.text_input(titel, "" if _leer(alt) else str(alt), key=k, max_chars=f.laenge, help=f.hilfe or None)


def ort_aus_karte(kommune: Kommune, kommune_id: str, vorher: dict[str, Any], key: str) -> None:
    """Über dem Formular: eine Karte, deren Klick Längen-/Breitengrad und „Lage aus: Karte“ ins Formular setzt."""
    gesetzt = st.session_state.get(f"{key}_ort")
    if gesetzt is None and not _leer(vorher.get("lat")) and not _leer(vorher.get("lon")):
        gesetzt = (float(vorher["lat"]), float(vorher["lon"]))
    with st.expander("Ort auf der Karte wählen (kein Online-Geocoder nötig)"):
        st.caption("Ein Klick setzt den Punkt und trägt Längen- und Breitengrad unten ein.")
        punkt = ort_waehlen(kommune, kommune_id, gesetzt, schluessel=f"{key}_karte")
    if punkt is not None and punkt != st.session_state.get(f"{key}_ort"):
        st.session_state[f"{key}_ort"] = punkt
        st.session_state[f"{key}_lat"] = _zahl_text(punkt[0])
        st.session_state[f"{key}_lon"] = _zahl_text(punkt[1])
        st.session_state[f"{key}_lage"] = "karte"


def formular(
    kommune: Kommune, vorher: dict[str, Any] | None, key: str, knopf: str, kommune_id: str = ""
) -> dict[str, Any] | None:
    """Das Angebotsformular (vorbefüllt mit `vorher`, mit Ortswahl auf der Karte, wenn `kommune_id`); die
    Rohwerte nach dem Absenden, sonst None."""
    vorher = vorher or {}
    if kommune_id:
        ort_aus_karte(kommune, kommune_id, vorher, key)
    ebene = kommune.konfiguration.standard_ebene or kommune.konfiguration.ebenen[0].id
    namen = kommune.gebiete[ebene]["name"]
    gebiete = {str(g): str(n) for g, n in sorted(namen.items(), key=lambda p: str(p[1]).lower())}
    werte: dict[str, Any] = {}
    with st.form(key, clear_on_submit=False, border=True):
        st.caption("Pflichtfelder sind mit * markiert. Ohne Koordinaten liegt das Angebot im gewählten Gebiet.")
        for titel, felder in _ABSCHNITTE:
            st.markdown(f"**{titel}**")
            spalten = st.columns(2)
            for i, feld_id in enumerate(felder):
                werte[feld_id] = _feld(spalten[i % 2], feld_id, vorher, gebiete, key)
        gesendet = st.form_submit_button(knopf, type="primary")
    if not gesendet:
        return None
    if werte.get("lage") == "gebiet":
        werte["lon"] = werte["lat"] = ""
    return {k: v for k, v in werte.items() if k not in _AUTOMATISCH}


def fehler_zeigen(fehler: list[tuple[str, str]]) -> None:
    """Prüffehler eines Vorschlags als deutsche Liste."""
    st.error(
        "Das Angebot wurde nicht eingereicht:\n\n"
        + "\n".join(f"- {(FELD[f].titel + ': ') if f in FELD else ''}{t}" for f, t in fehler[:12])
    )


def angebotsliste(register: pd.DataFrame, fällig_ids: set[str], offen_ids: set[str]) -> pd.DataFrame:
    """Die Tabelle „Meine Angebote“: Name, Kategorie, zuletzt bestätigt, Status."""
    status = [
        "Vorschlag in Prüfung" if a in offen_ids else ("Bestätigung fällig" if a in fällig_ids else "aktuell")
        for a in register["id"].astype(str)
    ]
    return pd.DataFrame(
        {
            "Name": register["name"].astype(str).to_numpy(),
            "Kategorie": register["kategorie"].astype(str).to_numpy(),
            "Zuletzt bestätigt": [datum_text(x) for x in register["bestaetigt_am"]],
            "Status": status,
            "ID": register["id"].astype(str).to_numpy(),
        }
    )


def vorschlagsliste(vorschlaege: list[Any], arten: dict[str, str]) -> pd.DataFrame:
    """Vorschläge als Tabelle (Art, Angebot, eingereicht, Status, Grund)."""
    return pd.DataFrame(
        [
            {
                "Art": arten.get(v.art, v.art),
                "Angebot": str(v.werte.get("name") or v.angebot_id),
                "Eingereicht": datum_text(v.am[:10]),
                "von": v.von,
                "Status": v.status,
                "Grund": v.grund,
                "Version": v.version,
            }
            for v in vorschlaege
        ],
        columns=["Art", "Angebot", "Eingereicht", "von", "Status", "Grund", "Version"],
    )


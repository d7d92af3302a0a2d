"""Datenimport (Administration): Lieferung prüfen, Prüfprotokoll, neue Version anlegen, Stand wiederherstellen."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import streamlit as st

from kommune.ablage import ablage
from kommune.fehler import KommuneFehler
from kommune.pruefung import (
    Zuordnung,
    geometrie_pruefen,
    lieferung_pruefen,
    pruefprotokoll_xlsx,
    symbole_parsen,
    zuordnung_lesen,
)
from kommune.versionen import importieren
from oberflaeche.auswahl import seitenleiste
from oberflaeche.bausteine import datei_hochladen
from oberflaeche.tabellen import tabelle_deutsch

auswahl = seitenleiste()
st.title("Datenimport")
if auswahl is None:
    st.stop()
kommune = auswahl.kommune
konf = kommune.konfiguration
nutzer = st.session_state.get("benutzer") or "Demo-Modus"

st.markdown(
    "Tabellen (XLSX oder CSV mit `;`/`,`, Dezimalkomma, UTF-8 oder Windows-1252, auch mit Titelzeilen und "
    "Fußnoten) werden geprüft, bevor etwas übernommen wird. **Fehler** halten den Import auf, **Warnungen** "
    "entscheiden Sie. Jeder Import wird eine neue Version; die bisherige bleibt erhalten."
)


def _zwischenspeichern(datei: st.runtime.uploaded_file_manager.UploadedFile, ordner: Path) -> Path:
    """Hochgeladene Datei unter ihrem (bereinigten) Namen ablegen; nichts wird ausgeführt."""
    name = Path(datei.name).name.replace("/", "_") or "lieferung"
    pfad = ordner / name
    pfad.write_bytes(datei.getvalue())
    return pfad


tab_tabelle, tab_geometrie, tab_versionen = st.tabs(["Tabelle importieren", "Geometrie prüfen", "Versionen"])

with tab_tabelle:
    datei = datei_hochladen(st, "Lieferung (XLSX oder CSV)", ["xlsx", "csv", "txt"], key="import_datei")
    z1, z2, z3, z4 = st.columns(4)
    blatt = z1.text_input("Tabellenblatt (optional)", key="import_blatt")
    periode = z2.text_input("Periode (falls nicht in der Tabelle)", placeholder="z. B. 2025", key="import_periode")
    ebenen = ["", *[s.id for s in konf.schichten]]
    ebene = z3.selectbox(
        "Ebene (sonst erkannt)",
        ebenen,
        format_func=lambda s: kommune.schicht(s).name if s else "erkennen",
        key="import_ebene",
    )
    mapping = datei_hochladen(z4, "Spaltenzuordnung (TOML, optional)", ["toml"], key="import_mapping")
    zeichen_text = st.text_input(
        "Tabellenzeichen dieser Lieferung (optional)",
        placeholder="z. B. -=leer; NA=leer",
        help="Standard nach amtlicher Zeichenerklärung: - = 0 (nichts vorhanden), . = geheim, x = nicht sinnvoll, "
        "… = später, / = nicht sicher genug. Bedeutungen: null, geheim, entfaellt, spaeter, unsicher, leer.",
        key="import_symbole",
    )
    if datei is not None:
        with tempfile.TemporaryDirectory() as tmp:
            pfad = _zwischenspeichern(datei, Path(tmp))
            vorgabe = Zuordnung()
            if mapping is not None:
                try:
                    vorgabe = zuordnung_lesen(_zwischenspeichern(mapping, Path(tmp)))
                except KommuneFehler as e:
                    st.error(e.text)
            try:
                symbole = {**vorgabe.symbole, **symbole_parsen(zeichen_text)}
            except KommuneFehler as e:
                st.error(e.text)
                st.stop()
            vorgabe = replace(
                vorgabe, periode=periode.strip() or vorgabe.periode, ebene=ebene or vorgabe.ebene, symbole=symbole
            )
            ergebnis = lieferung_pruefen(kommune, pfad, vorgabe, blatt=blatt or None)
            protokoll = ergebnis.protokoll
            st.subheader("Prüfprotokoll")
            (st.success if protokoll.ok else st.error)(protokoll.zusammenfassung)
            if protokoll.zeilenbilanz:
                st.caption(protokoll.zeilenbilanz)
            for befund in protokoll.fehler[:20]:
                st.error(befund.text)
            for befund in protokoll.warnungen[:20]:
                st.warning(befund.text)
            with st.expander("Alle Befunde als Tabelle"):
                st.dataframe(tabelle_deutsch(protokoll.als_tabelle()), hide_index=True, width="stretch")
            puffer_pfad = Path(tmp) / "pruefprotokoll.xlsx"
            pruefprotokoll_xlsx(protokoll, puffer_pfad)
            st.download_button(
                "Prüfprotokoll herunterladen (Excel)",
                puffer_pfad.read_bytes(),
                "pruefprotokoll.xlsx",
                key="import_protokoll",
            )
            with st.expander("Erkannte Spaltenzuordnung (wird für die nächste Lieferung gespeichert)"):
                st.code(ergebnis.zuordnung.toml(), language="toml")
            if protokoll.ok:
                bestaetigt = not protokoll.warnungen or st.checkbox(
                    f"{len(protokoll.warnungen)} Warnungen geprüft – trotzdem übernehmen", key="import_warnungen"
                )
                if st.button("Als neue Version übernehmen", disabled=not bestaetigt, key="import_los", type="primary"):
                    try:
                        neu = importieren(
                            kommune, pfad, ergebnis.zuordnung, nutzer=nutzer, blatt=blatt or None, ablage=ablage()
                        )
                    except KommuneFehler as e:
                        st.error(f"Der Import wurde abgebrochen; der bisherige Stand ist unverändert. {e.text}")
                    else:
                        if neu.version:
                            # kein Cache leeren: der Stand ändert sich, jeder Server lädt beim nächsten Lauf neu
                            st.success(f"Version {neu.version} mit {neu.zeilen} Werten angelegt ({neu.ziel}).")
                        else:
                            st.error("Der Import wurde abgebrochen; der bisherige Stand ist unverändert.")

with tab_geometrie:
    geo = datei_hochladen(
        st, "Geometrie (GeoPackage, GeoJSON, Shapefile als ZIP)", ["gpkg", "geojson", "json", "zip"], key="import_geo"
    )
    schichten = [s.id for s in konf.schichten]
    schicht_id = st.selectbox("Ebene", schichten, format_func=lambda s: kommune.schicht(s).name, key="import_geo_ebene")
    id_spalte = st.text_input("Schlüsselspalte", kommune.schicht(schicht_id).id_spalte, key="import_geo_id")
    if geo is not None:
        with tempfile.TemporaryDirectory() as tmp:
            protokoll, _ = geometrie_pruefen(
                kommune, _zwischenspeichern(geo, Path(tmp)), schicht_id=schicht_id, layer=None, id_spalte=id_spalte
            )
            (st.success if protokoll.ok else st.error)(protokoll.zusammenfassung)
            st.dataframe(protokoll.als_tabelle(), hide_index=True, width="stretch")

with tab_versionen:
    versionen = ablage().versionen(auswahl.kommune_id)
    if not versionen:
        st.info("Noch keine importierte Version: es gelten die ursprünglichen Dateien.")
    else:
        st.dataframe(versionen, hide_index=True, width="stretch")
        ids = ["original", *[str(v.get("id")) for v in versionen]]
        ziel = st.selectbox("Stand wiederherstellen", ids, key="import_restore")
        if st.button("Wiederherstellen", key="import_restore_los"):
            try:
                ablage().aktivieren(auswahl.kommune_id, ziel, nutzer)
            except KommuneFehler as e:
                st.error(e.text)
            else:
                st.success(f"Stand „{ziel}“ ist wieder aktiv.")

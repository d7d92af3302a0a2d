"""Übernahme einer Datei-Kommune (samt Versionen, Presets, Sitzungen) in die Datenbank und Export zurück."""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
from pathlib import Path

import sqlalchemy as sa

from kommune import versionen as vs
from kommune.ablage import ORIGINAL
from kommune.datenbank.ablage import RASTER, DatenbankAblage, Teile, db_name
from kommune.fehler import KommuneFehler
from kommune.konfiguration import TOML_NAME, KommuneKonfiguration, konfiguration_lesen


def _datendateien(konf: KommuneKonfiguration) -> list[str]:
    """Die Datendateien (relativ zum Datenordner), die die kommune.toml nennt."""
    namen = {s.datei for s in konf.schichten} | {t.datei for t in konf.indikatoren}
    namen |= {a.datei for a in konf.angebote} | {r.datei for r in konf.raster}
    namen |= {u.datei for u in konf.uebergaenge}  # Übergangstabellen: beim Laden aus der Tabelle datei
    if konf.erreichbarkeit.raster:
        namen.add(konf.erreichbarkeit.raster)
    if konf.angebotsregister is not None:
        namen.add(konf.angebotsregister.datei)
    return sorted(n for n in namen if (konf.daten / n).is_file())


def _version_dateien(vordner: Path) -> dict[str, bytes]:
    aus = {}
    for p in sorted(vordner.rglob("*")):
        rel = p.relative_to(vordner)
        if p.is_file() and rel.parts[0] not in vs.META and rel.parts[0] != vs.ABGELEITET:
            aus[rel.as_posix()] = p.read_bytes()
    return aus


def _meta_dateien(vordner: Path) -> dict[str, bytes]:
    aus = {}
    for p in sorted(vordner.rglob("*")):
        rel = p.relative_to(vordner)
        if p.is_file() and rel.parts[0] in vs.META and rel.as_posix() != "version.json":
            aus[rel.as_posix()] = p.read_bytes()
    return aus


def uebernehmen(ablage: DatenbankAblage, kommune: str) -> str:
    """Eine Datei-Kommune (Kurzname oder Ordner) in die Datenbank übernehmen; ersetzt eine gleichnamige.

    Gibt den Namen in der Datenbank zurück (Kurzname oder Ordnername)."""
    from kommune import laden

    ordner = laden.kommune_ordner(kommune)
    name = db_name(str(ordner)) if kommune.lower() not in laden.BEKANNTE_KOMMUNEN else kommune.lower()
    k0 = laden._laden_ohne_version(ordner)
    konf = k0.konfiguration
    ids = set(k0.katalog.index)
    teile: Teile = {("gebiete", s.id): k0.gebiete[s.id] for s in konf.schichten}
    n = 0
    for t in konf.indikatoren:
        teile[("indikatoren", t.datei)] = tabelle = laden._indikatoren_lesen(konf, t, ids)
        n += len(tabelle)
    if n < len(k0.indikatoren):
        teile[("indikatoren", RASTER)] = k0.indikatoren.iloc[n:].reset_index(drop=True)
    teile[("angebote", "")] = k0.angebote
    teile[("umland", "")] = k0.umland
    manifest = vs.manifest_lesen(konf)
    texte = {
        art: {p.name: p.read_text(encoding="utf-8") for p in sorted((ordner / art).glob("*.toml"))}
        for art in ("presets", "sitzungen")
    }
    with ablage._schreibend(name) as v:
        v.execute(sa.text("DELETE FROM kommune WHERE name = :n"), {"n": name})
        kid = v.execute(
            sa.text(
                "INSERT INTO kommune (name, toml, katalog, katalog_datei, crs) "
                "VALUES (:n, :t, :k, :kd, :c) RETURNING id"
            ),
            {"n": name, "t": (ordner / TOML_NAME).read_text(encoding="utf-8"), "k": konf.katalog.read_bytes(),
             "kd": konf.katalog.name, "c": konf.crs},
        ).scalar_one()  # fmt: skip
        nr0 = ablage._neue_version(v, kid, ORIGINAL, None, {}, k0.hinweise)
        ablage._teile_schreiben(v, nr0, teile, konf.crs)
        original = {d: (konf.daten / d).read_bytes() for d in _datendateien(konf)}
        ablage._dateien_schreiben(v, nr0, original, "daten")
        nummern: dict[str | None, int] = {None: nr0}
        stand = {None: dict(original)}
        for eintrag in manifest["versionen"]:
            vid = eintrag["id"]
            vordner = vs.versionen_ordner(konf) / vid
            dateien = _version_dateien(vordner)
            bisher = stand[eintrag.get("basis")] if eintrag.get("basis") in stand else stand[None]
            geaendert = {d: b for d, b in dateien.items() if bisher.get(d) != b}
            stand[vid] = {**bisher, **dateien}
            kv = vs.kommune_mit_version(k0, vid)
            vkonf = dataclasses.replace(konf, daten=vordner)
            neu: Teile = {}
            for t in konf.indikatoren:
                if t.datei in geaendert:
                    neu[("indikatoren", t.datei)] = laden._indikatoren_lesen(vkonf, t, ids)
            for s in konf.schichten:
                if s.datei in geaendert:
                    neu[("gebiete", s.id)] = kv.gebiete[s.id]
            if konf.angebotsregister is not None and konf.angebotsregister.datei in geaendert:
                neu[("angebote", "")] = kv.angebote
            info = {s: w for s, w in eintrag.items() if s not in ("id", "basis")}
            basis = nummern.get(eintrag.get("basis"), nr0)
            nr = ablage._neue_version(v, kid, vid, basis, info, kv.hinweise)
            nummern[vid] = nr
            ablage._teile_schreiben(v, nr, neu, konf.crs)
            ablage._dateien_schreiben(v, nr, geaendert, "daten")
            ablage._dateien_schreiben(v, nr, _meta_dateien(vordner), "extra")
            ablage._audit(v, kid, "import", str(info.get("wer", "")), ", ".join(sorted(geaendert)))
        for p in manifest.get("protokoll", []):
            ablage._audit(v, kid, str(p.get("aktion", "")), str(p.get("wer", "")), str(p.get("version", "")))
        v.execute(
            sa.text("UPDATE kommune SET aktiv = :a WHERE id = :k"),
            {"a": nummern[manifest["aktiv"]] if manifest["aktiv"] else None, "k": kid},
        )
        for art, dateien_texte in texte.items():
            for datei, inhalt in dateien_texte.items():
                v.execute(
                    sa.text("INSERT INTO text_datei (kommune_id, art, name, inhalt) VALUES (:k, :a, :n, :i)"),
                    {"k": kid, "a": art, "n": datei, "i": inhalt},
                )
    return name


def _oben_ersetzen(toml: str, schluessel: str, wert: str) -> str:
    """Einen Schlüssel vor der ersten Tabelle setzen (ersetzen oder vorn einfügen)."""
    kopf_ende = re.search(r"^\s*\[", toml, flags=re.M)
    kopf, rest = (toml[: kopf_ende.start()], toml[kopf_ende.start() :]) if kopf_ende else (toml, "")
    zeile = f"{schluessel} = {json.dumps(wert)}"
    muster = re.compile(rf"^{schluessel}\s*=.*$", flags=re.M)
    kopf = muster.sub(zeile, kopf, count=1) if muster.search(kopf) else f"{zeile}\n{kopf}"
    return kopf + rest


def exportieren(ablage: DatenbankAblage, kommune: str, ziel: Path) -> Path:
    """Die Kommune aus der Datenbank in einen Ordner schreiben, den das Datei-Backend lädt (mit Versionen)."""
    ziel = Path(ziel)
    if (ziel / TOML_NAME).exists():
        raise KommuneFehler(f"Im Ordner „{ziel}“ liegt schon eine {TOML_NAME}; bitte einen leeren Ordner angeben.")
    with ablage.lesen.connect() as v:
        z = ablage._kommune_zeile(v, kommune)
        versionen = v.execute(
            sa.text("SELECT nr, vid, info FROM version WHERE kommune_id = :k ORDER BY nr"), {"k": z.id}
        ).all()
        dateien = {
            nr: {r.name: (r.art, bytes(r.inhalt)) for r in v.execute(
                sa.text("SELECT name, art, inhalt FROM datei WHERE version_nr = :v"), {"v": nr}
            )}
            for nr, _, _ in versionen
        }  # fmt: skip
        aktiv = v.execute(sa.text("SELECT vid FROM version WHERE nr = :n"), {"n": z.aktiv}).scalar()
    toml = _oben_ersetzen(_oben_ersetzen(z.toml, "daten", "daten"), "katalog", z.katalog_datei)
    tomllib.loads(toml)  # bleibt gültig
    (ziel / "daten").mkdir(parents=True, exist_ok=True)
    (ziel / TOML_NAME).write_text(toml, encoding="utf-8")
    (ziel / z.katalog_datei).write_bytes(bytes(z.katalog))
    for nr, vid, _ in versionen:
        if vid == ORIGINAL:
            for name, (_, inhalt) in dateien[nr].items():
                (ziel / "daten" / name).parent.mkdir(parents=True, exist_ok=True)
                (ziel / "daten" / name).write_bytes(inhalt)
    konf = konfiguration_lesen(ziel)
    for nr, vid, info in versionen:
        if vid == ORIGINAL:
            continue
        daten = {n: b for n, (a, b) in dateien[nr].items() if a == "daten"}
        extras = {n: b for n, (a, b) in dateien[nr].items() if a == "extra"}
        neu = vs.version_anlegen(konf, daten, dict(info), extras=extras)
        if neu != vid:
            raise KommuneFehler(f"Beim Export entstand Version „{neu}“ statt „{vid}“.")
    if versionen and vs.aktive_version(konf) != aktiv:
        vs.wiederherstellen(konf, aktiv or ORIGINAL, "export")
    for art in ("presets", "sitzungen"):
        for name, inhalt in ablage._texte(kommune, art).items():
            (ziel / art).mkdir(exist_ok=True)
            (ziel / art / name).write_text(inhalt, encoding="utf-8")
    return ziel

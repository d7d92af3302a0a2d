"""`DatenbankAblage`: implementiert `kommune.ablage.Ablage` auf PostgreSQL/PostGIS.

Eine Version speichert nur ihre geänderten Teile (eine Ebene, eine Indikatortabelle) samt den geänderten
Datendateien; `laden` löst die Kette bis „original“ auf und setzt die Kommune wie `kommune.laden` zusammen.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd
import shapely
import sqlalchemy as sa

from kommune.ablage import AKTIV, ORIGINAL, Stand
from kommune.fehler import KommuneFehler
from kommune.konfiguration import TOML_NAME, KommuneKonfiguration, konfiguration_lesen

if TYPE_CHECKING:
    from kommune.laden import Kommune

RASTER = "raster"  # Indikatoren aus Gittern (`[[raster]]`): ein eigener Teil nach den Tabellen
_SCHLUESSEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
Teile = dict[tuple[str, str], Any]


# -- Rahmen <-> Zeilen ------------------------------------------------------------------------------------


_NAN = {"$nan": 1}  # NaN in Spalten vom Typ object (dort ist NaN nicht dasselbe wie None)


def _python(wert: Any, objekt: bool) -> Any:
    if isinstance(wert, float) and math.isnan(wert):
        return _NAN if objekt else None
    return wert


def _zurueck(wert: Any) -> Any:
    return math.nan if wert == _NAN else wert


def _meta(df: pd.DataFrame) -> dict[str, Any]:
    spalten = [c for c in df.columns if c != "geometry"]
    return {
        "spalten": list(df.columns),
        "dtypes": {c: str(df[c].dtype) for c in spalten},
        "index": df.index.name,
        "index_dtype": str(df.index.dtype),
    }


def _merkmale(df: pd.DataFrame) -> list[str]:
    """Jede Zeile ohne Geometrie als JSON (Zahlen exakt, NaN → null)."""
    spalten = [c for c in df.columns if c != "geometry"]
    werte = {c: [_python(w, df[c].dtype == object) for w in df[c].tolist()] for c in spalten}
    return [json.dumps({c: werte[c][i] for c in spalten}, ensure_ascii=False) for i in range(len(df))]


def _rahmen(zeilen: list[dict[str, Any]], index: list[Any] | None, geom: gpd.GeoSeries, meta: dict[str, Any], crs: str):
    spalten = [c for c in meta["spalten"] if c != "geometry"]
    df = pd.DataFrame({c: pd.Series([_zurueck(z.get(c)) for z in zeilen], dtype=object) for c in spalten}, index=None)
    for c in spalten:
        ziel = meta["dtypes"][c]
        df[c] = df[c] if ziel == "object" else df[c].infer_objects().astype(ziel)
    if index is not None:
        df.index = pd.Index(index, dtype=meta["index_dtype"], name=meta["index"])
    else:
        df = df.reset_index(drop=True)
    df["geometry"] = gpd.GeoSeries(geom.to_numpy(), index=df.index, crs=crs)
    return gpd.GeoDataFrame(df[meta["spalten"]], geometry="geometry", crs=crs)


def _epsg(crs: str) -> int:
    from pyproj import CRS

    return int(CRS.from_user_input(crs).to_epsg() or 0)


# -- Konfiguration und Katalog aus gespeichertem Text --------------------------------------------------------


@lru_cache(maxsize=32)
def _konf_aus_text(toml: str, katalog: bytes, katalog_datei: str) -> tuple[KommuneKonfiguration, pd.DataFrame]:
    """Die Konfiguration aus dem gespeicherten kommune.toml-Text (und der Katalog), je Inhalt einmal.

    `konfiguration_lesen` braucht einen Ordner: ein eigener temporärer Ordner mit genau diesen zwei Dateien.
    """
    from kommune.katalog import katalog_lesen

    ordner = Path(tempfile.mkdtemp(prefix="bm-db-"))
    (ordner / TOML_NAME).write_text(toml, encoding="utf-8")
    konf = konfiguration_lesen(ordner)
    pfad = ordner / Path(katalog_datei).name
    pfad.write_bytes(katalog)
    return konf, katalog_lesen(pfad, konf.merkmale)


def db_name(kommune: str) -> str:
    """Der Name einer Kommune in der Datenbank: Kurzname (auch für ihren Ordner) oder der Ordnername."""
    from kommune.laden import BEKANNTE_KOMMUNEN

    text = str(kommune)
    if text.lower() in BEKANNTE_KOMMUNEN:
        return text.lower()
    pfad = Path(text)
    if pfad.name == TOML_NAME:
        pfad = pfad.parent
    try:
        echt = pfad.resolve()
    except (OSError, ValueError, RuntimeError):
        return text
    for kurz, b in BEKANNTE_KOMMUNEN.items():
        if b.ordner.resolve() == echt:
            return kurz
    return echt.name if pfad.is_dir() else text


# -- die Ablage ---------------------------------------------------------------------------------------------


class DatenbankAblage:
    """Die Ablage in PostgreSQL/PostGIS; implementiert `kommune.ablage.Ablage`."""

    art = "postgresql"

    def __init__(self, lese_url: str, schreib_url: str) -> None:
        self.lesen = sa.create_engine(lese_url, pool_pre_ping=True)
        self.schreiben = sa.create_engine(schreib_url, pool_pre_ping=True)

    # -- Hilfen ------------------------------------------------------------------------------------------------

    @staticmethod
    def _kommune_zeile(v: sa.Connection, kommune: str) -> sa.Row:
        sql = sa.text("SELECT id, toml, katalog, katalog_datei, crs, aktiv, marke FROM kommune WHERE name = :n")
        z = v.execute(sql, {"n": str(kommune)}).first()
        if z is None and db_name(kommune) != str(kommune):  # ein Ordner statt des Namens
            z = v.execute(sql, {"n": db_name(kommune)}).first()
        if z is None:
            raise KommuneFehler(f"Die Kommune „{str(kommune)[:120]}“ gibt es in der Datenbank nicht.")
        return z

    @staticmethod
    def _version_nr(v: sa.Connection, kid: int, vid: str) -> int:
        nr = v.execute(sa.text("SELECT nr FROM version WHERE kommune_id = :k AND vid = :v"), {"k": kid, "v": vid})
        nr = nr.scalar()
        if nr is None:
            bekannt = v.execute(
                sa.text("SELECT vid FROM version WHERE kommune_id = :k AND vid <> 'original' ORDER BY nr"), {"k": kid}
            ).scalars()
            raise KommuneFehler(f"Die Datenversion „{vid}“ gibt es nicht (vorhanden: {', '.join(bekannt) or 'keine'}).")
        return int(nr)

    @contextmanager
    def _schreibend(self, kommune: str) -> Iterator[sa.Connection]:
        """Eine Transaktion der Schreib-Rolle mit der Sperre je Kommune (bis zum Commit oder Rollback)."""
        with self.schreiben.begin() as v:
            v.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('bildungsmonitor:' || :n))"), {"n": kommune})
            yield v

    # -- Stand und Laden ---------------------------------------------------------------------------------------

    def kommunen(self) -> dict[str, str]:
        """Alle Kommunen der Datenbank: Name → Anzeigename (aus ihrer kommune.toml)."""
        import tomllib

        with self.lesen.connect() as v:
            zeilen = v.execute(sa.text("SELECT name, toml FROM kommune ORDER BY name")).all()
        kommunen = {}
        for z in zeilen:
            try:
                kommunen[z.name] = str(tomllib.loads(z.toml).get("name") or z.name)
            except tomllib.TOMLDecodeError:
                kommunen[z.name] = z.name
        return kommunen

    def stand(self, kommune: str, version: str = AKTIV) -> Stand:
        """Ein Zugriff: Änderungsmarke und aktive Version der Kommune."""
        with self.lesen.connect() as v:
            z = v.execute(
                sa.text(
                    "SELECT k.id, k.marke, a.vid FROM kommune k LEFT JOIN version a ON a.nr = k.aktiv WHERE k.name = :n"
                ),
                {"n": str(kommune)},
            ).first()
            if z is None and db_name(kommune) != str(kommune):
                return self.stand(db_name(kommune), version)
            if z is None:
                raise KommuneFehler(f"Die Kommune „{str(kommune)[:120]}“ gibt es in der Datenbank nicht.")
            if version in (ORIGINAL, None):
                aufgeloest = ORIGINAL
            elif version == AKTIV:
                aufgeloest = z.vid or ORIGINAL
            else:
                self._version_nr(v, z.id, version)
                aufgeloest = version
        return Stand(str(kommune), aufgeloest, f"{z.marke}")

    def laden(self, stand: Stand) -> Kommune:
        with self.lesen.connect() as v:
            k, _ = self._laden(v, stand.kommune, stand.version)
        k.stand = stand
        return k

    def _laden(self, v: sa.Connection, kommune: str, version: str) -> tuple[Kommune, Teile]:
        from kommune.laden import INDIKATOR_SPALTEN, Kommune, _leere_angebote

        z = self._kommune_zeile(v, kommune)
        konf, katalog = _konf_aus_text(z.toml, bytes(z.katalog), z.katalog_datei)
        if version == AKTIV and z.aktiv is not None:
            nr = int(z.aktiv)
        else:
            nr = self._version_nr(v, z.id, ORIGINAL if version in (None, AKTIV) else version)
        kette = v.execute(
            sa.text(
                "WITH RECURSIVE kette(nr, basis, tiefe) AS (SELECT nr, basis, 0 FROM version WHERE nr = :nr "
                "UNION ALL SELECT w.nr, w.basis, k.tiefe + 1 FROM version w JOIN kette k ON w.nr = k.basis) "
                "SELECT t.version_nr, t.art, t.name, t.meta, k.tiefe FROM kette k JOIN teil t ON t.version_nr = k.nr "
                "ORDER BY k.tiefe DESC"
            ),
            {"nr": nr},
        ).all()
        gewaehlt: dict[tuple[str, str], tuple[int, dict]] = {}
        for t in kette:  # älteste zuerst: jüngere überschreiben
            gewaehlt[(t.art, t.name)] = (t.version_nr, t.meta)
        hinweise = v.execute(sa.text("SELECT hinweise FROM version WHERE nr = :nr"), {"nr": nr}).scalar_one()
        teile: Teile = {}
        crs = konf.crs
        srid = _epsg(crs)
        for (art, name), (vnr, meta) in gewaehlt.items():
            if art == "gebiete":
                g = gpd.read_postgis(
                    sa.text(
                        "SELECT schluessel, merkmale, ST_SetSRID(geom, :srid) AS geom FROM gebiet "
                        "WHERE version_nr = :v AND schicht = :s ORDER BY pos"
                    ),
                    v,
                    geom_col="geom",
                    params={"v": vnr, "s": name, "srid": srid},
                    crs=crs,
                )
                teile[(art, name)] = _rahmen(g["merkmale"].tolist(), g["schluessel"].tolist(), g.geometry, meta, crs)
            elif art in ("angebote", "umland"):
                g = gpd.read_postgis(
                    sa.text(
                        "SELECT merkmale, ST_SetSRID(geom, :srid) AS geom FROM angebot WHERE version_nr = :v "
                        "AND umland = :u ORDER BY pos"
                    ),
                    v,
                    geom_col="geom",
                    params={"v": vnr, "u": art == "umland", "srid": srid},
                    crs=crs,
                )
                teile[(art, name)] = _rahmen(g["merkmale"].tolist(), None, g.geometry, meta, crs)
            else:
                df = pd.read_sql(
                    sa.text(
                        "SELECT schicht, gebiet, indikator, periode, wert, zaehler, nenner FROM indikatorwert "
                        "WHERE version_nr = :v AND tabelle = :t ORDER BY pos"
                    ),
                    v,
                    params={"v": vnr, "t": name},
                )
                teile[(art, name)] = df.astype(meta["dtypes"])
        gebiete = {s.id: teile[("gebiete", s.id)] for s in konf.schichten}
        tabellen = [teile[("indikatoren", t.datei)] for t in konf.indikatoren]
        if ("indikatoren", RASTER) in teile:
            tabellen.append(teile[("indikatoren", RASTER)])
        indikatoren = pd.concat(tabellen, ignore_index=True) if tabellen else pd.DataFrame(columns=INDIKATOR_SPALTEN)
        angebote = teile.get(("angebote", ""), _leere_angebote(crs))
        umland = teile.get(("umland", ""), _leere_angebote(crs))
        vid = v.execute(sa.text("SELECT vid FROM version WHERE nr = :nr"), {"nr": nr}).scalar_one()
        k = Kommune(
            konf, gebiete, indikatoren, katalog.copy(), angebote, list(hinweise), umland,
            version=None if vid == ORIGINAL else vid, uebergaenge=self._uebergaenge(v, konf, gebiete, nr),
        )  # fmt: skip
        return k, teile

    @staticmethod
    def _uebergaenge(v: sa.Connection, konf: KommuneKonfiguration, gebiete: dict, nr: int) -> pd.DataFrame:
        """Die Übergangstabellen (`[[uebergaenge]]`) aus den gespeicherten Datendateien der Kette (jüngste zuerst)."""
        from kommune.uebergaenge import leer, uebergaenge_laden

        if not konf.uebergaenge:
            return leer()
        with tempfile.TemporaryDirectory(prefix="bm-uebergaenge-") as tmp:
            ordner = Path(tmp)
            for t in konf.uebergaenge:
                inhalt = v.execute(
                    sa.text(
                        "WITH RECURSIVE kette AS (SELECT nr, basis, 0 AS tiefe FROM version WHERE nr = :nr "
                        "UNION ALL SELECT w.nr, w.basis, k.tiefe + 1 FROM version w JOIN kette k ON w.nr = k.basis) "
                        "SELECT d.inhalt FROM datei d JOIN kette k ON d.version_nr = k.nr "
                        "WHERE d.name = :name AND d.art = 'daten' ORDER BY k.tiefe LIMIT 1"
                    ),
                    {"nr": nr, "name": t.datei},
                ).scalar()
                if inhalt is None:
                    raise KommuneFehler("Die Übergangstabelle fehlt in der Datenbank.", datei=t.datei)
                (ordner / t.datei).parent.mkdir(parents=True, exist_ok=True)
                (ordner / t.datei).write_bytes(bytes(inhalt))
            return uebergaenge_laden(dataclasses.replace(konf, daten=ordner), gebiete)

    # -- Schreiben der Teile -----------------------------------------------------------------------------------

    @staticmethod
    def _teile_schreiben(v: sa.Connection, nr: int, teile: Teile, crs: str) -> None:
        srid = _epsg(crs)
        for (art, name), df in teile.items():
            v.execute(
                sa.text("INSERT INTO teil (version_nr, art, name, meta) VALUES (:v, :a, :n, :m)"),
                {"v": nr, "a": art, "n": name, "m": json.dumps(_meta(df))},
            )
            if art == "indikatoren":
                spalten = ["schicht", "gebiet", "indikator", "periode", "wert", "zaehler", "nenner"]
                werte = {c: [_python(w, False) for w in df[c].tolist()] for c in spalten}
                zeilen = [{"v": nr, "t": name, "p": i, **{c: werte[c][i] for c in spalten}} for i in range(len(df))]
                if zeilen:
                    v.execute(
                        sa.text(
                            "INSERT INTO indikatorwert (version_nr, tabelle, pos, schicht, gebiet, indikator, periode, "
                            "wert, zaehler, nenner) VALUES (:v, :t, :p, :schicht, :gebiet, :indikator, :periode, "
                            ":wert, :zaehler, :nenner)"
                        ),
                        zeilen,
                    )
                continue
            # WKB mit der SRID der Kommune (to_postgis verlangt eine feste SRID je Spalte; hier liegen viele Kommunen)
            wkb = shapely.to_wkb(df.geometry.to_numpy(), include_srid=False)
            merkmale = _merkmale(df)
            if art == "gebiete":
                sql = (
                    "INSERT INTO gebiet (version_nr, schicht, pos, schluessel, merkmale, geom) "
                    "VALUES (:v, :s, :p, :k, :m, ST_GeomFromWKB(:g, :srid))"
                )
                zeilen = [
                    {"v": nr, "s": name, "p": i, "k": str(k), "m": merkmale[i], "g": wkb[i], "srid": srid}
                    for i, k in enumerate(df.index)
                ]
            else:
                sql = (
                    "INSERT INTO angebot (version_nr, umland, pos, merkmale, geom) "
                    "VALUES (:v, :u, :p, :m, ST_GeomFromWKB(:g, :srid))"
                )
                zeilen = [
                    {"v": nr, "u": art == "umland", "p": i, "m": merkmale[i], "g": wkb[i], "srid": srid}
                    for i in range(len(df))
                ]
            if zeilen:
                v.execute(sa.text(sql), zeilen)

    @staticmethod
    def _neue_version(
        v: sa.Connection, kid: int, vid: str, basis: int | None, info: dict[str, Any], hinweise: list[str]
    ) -> int:
        return int(
            v.execute(
                sa.text(
                    "INSERT INTO version (kommune_id, vid, basis, info, hinweise) VALUES (:k, :v, :b, :i, :h) "
                    "RETURNING nr"
                ),
                {"k": kid, "v": vid, "b": basis, "i": json.dumps(info, ensure_ascii=False),
                 "h": json.dumps(hinweise, ensure_ascii=False)},
            ).scalar_one()
        )  # fmt: skip

    @staticmethod
    def _dateien_schreiben(v: sa.Connection, nr: int, dateien: dict[str, bytes], art: str) -> None:
        for name, inhalt in dateien.items():
            if ".." in Path(name).parts or Path(name).is_absolute():
                raise KommuneFehler(f"Unzulässiger Dateiname „{name}“.")
            v.execute(
                sa.text("INSERT INTO datei (version_nr, name, art, inhalt) VALUES (:v, :n, :a, :i)"),
                {"v": nr, "n": name, "a": art, "i": inhalt},
            )

    @staticmethod
    def _audit(v: sa.Connection, kid: int, aktion: str, wer: str = "", datei: str = "", befunde: Any = ()) -> None:
        v.execute(
            sa.text("INSERT INTO audit (kommune_id, aktion, wer, datei, befunde) VALUES (:k, :a, :w, :d, :b)"),
            {"k": kid, "a": aktion, "w": wer, "d": datei, "b": json.dumps(list(befunde), ensure_ascii=False)},
        )

    @staticmethod
    def _marke(v: sa.Connection, kid: int, aktiv: int | None) -> None:
        v.execute(sa.text("UPDATE kommune SET aktiv = :a, marke = marke + 1 WHERE id = :k"), {"a": aktiv, "k": kid})

    # -- Versionen ---------------------------------------------------------------------------------------------

    def versionen(self, kommune: str) -> list[dict[str, Any]]:
        with self.lesen.connect() as v:
            z = self._kommune_zeile(v, kommune)
            zeilen = v.execute(
                sa.text(
                    "SELECT w.nr, w.vid, b.vid AS basis, w.info FROM version w LEFT JOIN version b ON b.nr = w.basis "
                    "WHERE w.kommune_id = :k AND w.vid <> 'original' ORDER BY w.nr"
                ),
                {"k": z.id},
            ).all()
        return [
            {"id": r.vid, "basis": None if r.basis in (None, ORIGINAL) else r.basis, **r.info, "aktiv": r.nr == z.aktiv}
            for r in zeilen
        ]

    def version_anlegen(
        self,
        kommune: str | Kommune,
        dateien: dict[str, bytes],
        info: dict[str, Any],
        *,
        pruefen: Callable[[Kommune], None] | None = None,
        extras: dict[str, bytes] | None = None,
    ) -> str:
        """Siehe `Ablage.version_anlegen`: eine Transaktion mit Sperre je Kommune; `pruefen` sieht die Kommune
        frisch aus der Datenbank (noch nicht festgeschrieben), ein Fehler darin macht alles rückgängig."""
        from kommune import laden

        if isinstance(kommune, str):
            name = db_name(kommune)
        else:
            name = kommune.stand.kommune if kommune.stand else db_name(str(kommune.konfiguration.ordner))
        with self._schreibend(name) as v:
            z = self._kommune_zeile(v, name)
            basis_vid = (
                v.execute(sa.text("SELECT vid FROM version WHERE nr = :n"), {"n": z.aktiv}).scalar_one()
                if z.aktiv
                else ORIGINAL
            )
            basis, _ = self._laden(v, name, basis_vid)
            konf = basis.konfiguration
            with tempfile.TemporaryDirectory(prefix="bm-import-") as tmp:
                for datei, inhalt in dateien.items():
                    if ".." in Path(datei).parts or Path(datei).is_absolute():
                        raise KommuneFehler(f"Unzulässiger Dateiname „{datei}“.")
                    (Path(tmp) / datei).parent.mkdir(parents=True, exist_ok=True)
                    (Path(tmp) / datei).write_bytes(inhalt)
                neu_konf = dataclasses.replace(konf, daten=Path(tmp))
                hinweise = list(basis.hinweise)
                neu: Teile = {}
                for t in konf.indikatoren:
                    if t.datei in dateien:
                        neu[("indikatoren", t.datei)] = laden._indikatoren_lesen(neu_konf, t, set(basis.katalog.index))
                for s in konf.schichten:
                    if s.datei in dateien:
                        neu[("gebiete", s.id)] = laden._gebiete_lesen(neu_konf, s, hinweise)
                reg = konf.angebotsregister
                if reg is not None and reg.datei in dateien:
                    gebiete = {s.id: neu.get(("gebiete", s.id), basis.gebiete[s.id]) for s in konf.schichten}
                    register = laden.register_angebote(neu_konf, gebiete, hinweise)
                    neu[("angebote", "")] = laden.angebote_mit_register(basis.angebote, register)
            anzahl = v.execute(
                sa.text("SELECT count(*) FROM version WHERE kommune_id = :k AND vid <> 'original'"), {"k": z.id}
            ).scalar_one()
            vid = f"v{anzahl + 1:04d}"
            nr = self._neue_version(v, z.id, vid, z.aktiv or self._version_nr(v, z.id, ORIGINAL), info, hinweise)
            self._teile_schreiben(v, nr, neu, konf.crs)
            self._dateien_schreiben(v, nr, dict(dateien), "daten")
            self._dateien_schreiben(v, nr, dict(extras or {}), "extra")
            self._marke(v, z.id, nr)
            befunde = [info["pruefprotokoll"]] if isinstance(info.get("pruefprotokoll"), dict) else []
            self._audit(v, z.id, "import", str(info.get("wer", "")), str(info.get("quelle", "")), befunde)
            if pruefen is not None:
                k, _ = self._laden(v, name, vid)
                k.stand = Stand(name, vid, "neu")
                pruefen(k)
        return vid

    def aktivieren(self, kommune: str, version_id: str, nutzer: str = "") -> None:
        with self._schreibend(db_name(kommune)) as v:
            z = self._kommune_zeile(v, kommune)
            nr = self._version_nr(v, z.id, version_id)
            self._marke(v, z.id, None if version_id == ORIGINAL else nr)
            self._audit(v, z.id, "wiederhergestellt", nutzer, version_id)

    # -- Presets, Sitzungen, Zustand ---------------------------------------------------------------------------

    def datei_lesen(self, kommune: str, name: str, version: str = AKTIV) -> bytes | None:
        """Die Datendatei aus der jüngsten Version der Kette (Version → Basis → … → original), die sie enthält."""
        stand = self.stand(kommune, version)
        with self.lesen.connect() as v:
            z = self._kommune_zeile(v, stand.kommune)
            nr = self._version_nr(v, z.id, stand.version)
            return v.execute(
                sa.text(
                    "WITH RECURSIVE kette AS (SELECT nr, basis, 0 AS tiefe FROM version WHERE nr = :nr "
                    "UNION ALL SELECT w.nr, w.basis, k.tiefe + 1 FROM version w JOIN kette k ON w.nr = k.basis) "
                    "SELECT d.inhalt FROM datei d JOIN kette k ON d.version_nr = k.nr "
                    "WHERE d.name = :name AND d.art = 'daten' ORDER BY k.tiefe LIMIT 1"
                ),
                {"nr": nr, "name": name},
            ).scalar()

    def _texte(self, kommune: str, art: str) -> dict[str, str]:
        with self.lesen.connect() as v:
            z = self._kommune_zeile(v, kommune)
            zeilen = v.execute(
                sa.text("SELECT name, inhalt FROM text_datei WHERE kommune_id = :k AND art = :a ORDER BY name"),
                {"k": z.id, "a": art},
            ).all()
        return {r.name: r.inhalt for r in zeilen}

    def presets(self, kommune: str) -> dict[str, str]:
        return self._texte(kommune, "presets")

    def sitzungen(self, kommune: str) -> dict[str, str]:
        return self._texte(kommune, "sitzungen")

    @staticmethod
    def _schluessel(schluessel: str) -> str:
        if not isinstance(schluessel, str) or not _SCHLUESSEL.match(schluessel) or ".." in schluessel:
            raise KommuneFehler(
                f"Ungültiger Schlüssel „{str(schluessel)[:40]}“ für den geteilten Zustand (erlaubt: Buchstaben, "
                "Ziffern, „_“, „-“, „.“; kein Pfadtrenner)."
            )
        return schluessel

    def zustand_lesen(self, kommune: str, schluessel: str) -> dict[str, Any] | None:
        self._schluessel(schluessel)
        with self.lesen.connect() as v:
            z = self._kommune_zeile(v, kommune)
            wert = v.execute(
                sa.text("SELECT wert FROM zustand WHERE kommune_id = :k AND schluessel = :s"),
                {"k": z.id, "s": schluessel},
            ).scalar()
        return wert if isinstance(wert, dict) else None

    def zustand_schreiben(self, kommune: str, schluessel: str, wert: dict[str, Any]) -> None:
        self._schluessel(schluessel)
        try:
            text = json.dumps(wert, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError):
            raise KommuneFehler("Der geteilte Zustand ist nicht als JSON darstellbar.") from None
        with self.schreiben.begin() as v:  # kein Datenstand: die Marke bleibt
            z = self._kommune_zeile(v, kommune)
            v.execute(
                sa.text(
                    "INSERT INTO zustand (kommune_id, schluessel, wert) VALUES (:k, :s, :w) "
                    "ON CONFLICT (kommune_id, schluessel) DO UPDATE SET wert = excluded.wert"
                ),
                {"k": z.id, "s": schluessel, "w": text},
            )

    def zustand_aendern(
        self, kommune: str, schluessel: str, aenderung: Callable[[dict[str, Any] | None], dict[str, Any]]
    ) -> dict[str, Any]:
        self._schluessel(schluessel)
        with self.schreiben.begin() as v:
            z = self._kommune_zeile(v, kommune)
            parameter = {"k": z.id, "s": schluessel}
            v.execute(
                sa.text(
                    "INSERT INTO zustand (kommune_id, schluessel, wert) VALUES (:k, :s, 'null'::jsonb) "
                    "ON CONFLICT (kommune_id, schluessel) DO NOTHING"
                ),
                parameter,
            )
            alt = v.execute(
                sa.text("SELECT wert FROM zustand WHERE kommune_id = :k AND schluessel = :s FOR UPDATE"), parameter
            ).scalar()
            neu = aenderung(alt if isinstance(alt, dict) else None)
            try:
                text = json.dumps(neu, ensure_ascii=False, allow_nan=False)
            except (TypeError, ValueError):
                raise KommuneFehler("Der geteilte Zustand ist nicht als JSON darstellbar.") from None
            v.execute(
                sa.text("UPDATE zustand SET wert = CAST(:w AS jsonb) WHERE kommune_id = :k AND schluessel = :s"),
                {**parameter, "w": text},
            )
        return neu


def inhalt_hash(inhalt: bytes) -> str:
    """Prüfsumme einer Datei (zum Vergleich der Versionen bei der Übernahme)."""
    return hashlib.sha256(inhalt).hexdigest()

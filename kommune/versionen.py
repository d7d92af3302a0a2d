"""Datenversionen einer Kommune: Importe werden versioniert und atomar sichtbar.

Ablage im Datenordner der Kommune (`daten` der kommune.toml)::

    <daten>/versionen/versionen.json        Manifest: {"aktiv": "v0002", "versionen": [...]}
    <daten>/versionen/v0001/indikatoren.csv  vollständige Kopie jeder je importierten Tabelle (gleicher Dateiname)
    <daten>/versionen/v0001/version.json     wer, wann, Quelldatei + SHA-256, Zeilen, Prüfprotokoll-Zusammenfassung
    <daten>/versionen/v0001/lieferung/…      die Originallieferung (unverändert)
    <daten>/versionen/v0001/pruefprotokoll.xlsx, zuordnung.toml
    <daten>/versionen/zuordnung.toml         zuletzt verwendete Spaltenzuordnung (für die nächste Lieferung)

Eine Version entsteht in einem temporären Ordner im selben Verzeichnis und wird erst vollständig per
`os.rename` an ihren Platz gebracht; danach wird das Manifest per `os.replace` ersetzt. Sichtbar ist nur,
was im Manifest steht: Ein abgebrochener Import hinterlässt höchstens einen unsichtbaren Ordner, die
bisherige Version bleibt unverändert. „Wiederherstellen“ setzt nur den Zeiger `aktiv` um (auch auf
"original" = die Dateien im Datenordner ohne Import); keine Version wird gelöscht.

Einbindung ins Laden: `datei_pfad(konf, datei, version)` liefert für jede Datendatei (Indikatortabelle,
Geometrie) den Pfad, der für die aktive bzw. gewählte Version gilt – die Kopie in der Version, falls es
sie dort gibt, sonst `konf.daten / datei`. `kommune_mit_version` lädt eine Kommune in einer Version,
ohne `kommune/laden.py` zu ändern; `Kommune.version` nennt sie.

Abgeleitete Daten (z. B. die Überlagerungen in `geodata.overlay`) liegen bei ihrer Version::

    <daten>/versionen/v0001/abgeleitet/…     für eine importierte Version
    <daten>/versionen/original/abgeleitet/…  für die Originaldateien

`ablage_ordner(kommune)` nennt den Ordner. Die Dateien tragen den Inhaltsschlüssel ihrer Eingaben im Namen und
in sich (eine veraltete Datei passt nie); eine neue Version übernimmt sie aus der bisher aktiven, denn meist
ändert ein Import nur Tabellen. Ist der Datenordner schreibgeschützt, dient `BILDUNGSMONITOR_CACHE_DIR` (sonst
der Cache-Ordner des Benutzers, `$XDG_CACHE_HOME` bzw. `~/.cache`) mit einem Unterordner je Datenordner und
Version.
"""

from __future__ import annotations

import contextlib
import dataclasses
import getpass
import hashlib
import json
import math
import os
import re
import shutil
import stat
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kommune.fehler import KommuneFehler
from kommune.format import zahl
from kommune.konfiguration import IndikatorTabelle, KommuneKonfiguration, konfiguration_lesen

ORDNER = "versionen"
MANIFEST = "versionen.json"
ORIGINAL = "original"
AKTIV = "aktiv"
META = frozenset({"version.json", "lieferung", "pruefprotokoll.xlsx", "zuordnung.toml"})
#: Unterordner einer Version für abgeleitete Daten (Überlagerungen); Dateien mit Inhaltsschlüssel im Namen.
ABGELEITET = "abgeleitet"
#: Ersatzort für abgeleitete Daten, wenn der Datenordner schreibgeschützt ist.
CACHE_UMGEBUNG = "BILDUNGSMONITOR_CACHE_DIR"
SPERRE_ALTER_S = 600
#: Versions-IDs: ein Ordnername ohne Pfadtrenner (v0001, …).
_ID_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def _konf(kommune_ordner_oder_konf: Any) -> KommuneKonfiguration:
    if isinstance(kommune_ordner_oder_konf, KommuneKonfiguration):
        return kommune_ordner_oder_konf
    if hasattr(kommune_ordner_oder_konf, "konfiguration"):
        return kommune_ordner_oder_konf.konfiguration
    from kommune.laden import kommune_ordner  # spät: laden.py darf dieses Modul importieren

    return konfiguration_lesen(kommune_ordner(kommune_ordner_oder_konf))


def versionen_ordner(kommune_ordner_oder_konf: Any) -> Path:
    """`<daten>/versionen` einer Kommune (Ordner mit kommune.toml, Konfiguration oder Kommune)."""
    return _konf(kommune_ordner_oder_konf).daten / ORDNER


def manifest_lesen(kommune_ordner_oder_konf: Any) -> dict[str, Any]:
    """Das Manifest; ohne Importe `{"aktiv": None, "versionen": []}`."""
    pfad = versionen_ordner(kommune_ordner_oder_konf) / MANIFEST
    if not pfad.is_file():
        return {"aktiv": None, "versionen": []}
    beschaedigt = "Das Versionsverzeichnis ist beschädigt"
    try:
        daten = json.loads(pfad.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise KommuneFehler(f"{beschaedigt} (kein gültiges JSON).", datei=str(pfad)) from None
    if not isinstance(daten, dict):
        raise KommuneFehler(f"{beschaedigt} (erwartet wird ein JSON-Objekt).", datei=str(pfad))
    daten.setdefault("aktiv", None)
    daten.setdefault("versionen", [])
    versionen = daten["versionen"]
    if not isinstance(versionen, list) or not all(
        isinstance(v, dict) and isinstance(v.get("id"), str) and _ID_VERSION.match(v["id"]) for v in versionen
    ):
        raise KommuneFehler(f"{beschaedigt} („versionen“ muss eine Liste von Einträgen mit gültiger „id“ sein).",
                            datei=str(pfad))
    aktiv = daten["aktiv"]
    if aktiv is not None and (not isinstance(aktiv, str) or aktiv not in {v["id"] for v in versionen}):
        raise KommuneFehler(f"{beschaedigt} (die aktive Version „{str(daten['aktiv'])[:40]}“ ist nicht verzeichnet).",
                            datei=str(pfad))
    return daten


def _atomar_schreiben(pfad: Path, text: str) -> None:
    tmp = pfad.with_name(f".{pfad.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, pfad)


def _manifest_schreiben(vordner: Path, manifest: dict[str, Any]) -> None:
    _atomar_schreiben(vordner / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))


def aktive_version(kommune_ordner_oder_konf: Any) -> str | None:
    """ID der aktiven Version oder None (= Originaldateien)."""
    return manifest_lesen(kommune_ordner_oder_konf)["aktiv"]


def versionen_liste(kommune_ordner_oder_konf: Any) -> list[dict[str, Any]]:
    """Alle Versionen, älteste zuerst, je mit `aktiv` = True/False."""
    m = manifest_lesen(kommune_ordner_oder_konf)
    return [{**v, "aktiv": v["id"] == m["aktiv"]} for v in m["versionen"]]


def version_ordner(kommune_ordner_oder_konf: Any, version_id: str | None) -> Path | None:
    """Der Ordner einer Version (None für "original"/None); unbekannte IDs → KommuneFehler."""
    if version_id in (None, ORIGINAL):
        return None
    m = manifest_lesen(kommune_ordner_oder_konf)
    if version_id == AKTIV:
        version_id = m["aktiv"]
        if version_id is None:
            return None
    if not any(v["id"] == version_id for v in m["versionen"]):
        bekannt = ", ".join(v["id"] for v in m["versionen"]) or "keine"
        raise KommuneFehler(f"Die Datenversion „{version_id}“ gibt es nicht (vorhanden: {bekannt}).")
    return versionen_ordner(kommune_ordner_oder_konf) / str(version_id)


def datei_pfad(konf: KommuneKonfiguration, datei: str, version: str | None = AKTIV) -> Path:
    """Pfad einer Datendatei für eine Version ("aktiv", eine ID, "original"/None)."""
    ordner = version_ordner(konf, version)
    if ordner is not None and (ordner / datei).is_file():
        return ordner / datei
    return konf.daten / datei


def tabellen_pfad(konf: KommuneKonfiguration, tabelle: IndikatorTabelle, version: str | None = AKTIV) -> Path:
    """Pfad einer Indikatortabelle für eine Version (siehe `datei_pfad`)."""
    return datei_pfad(konf, tabelle.datei, version)


def kommune_mit_version(kommune: Any, version: str | None = AKTIV) -> Any:
    """Die Kommune mit den Indikatortabellen und Geometrien einer Version (ohne laden.py zu ändern)."""
    ordner = version_ordner(kommune.konfiguration, version)
    if ordner is None:
        return kommune
    return _kommune_aus_ordner(kommune, ordner)


def _beschreibbar(ordner: Path) -> bool:
    """Lässt sich `ordner` beschreiben? Auch als root nicht, wenn er (oder sein Elternordner) schreibgeschützt ist."""
    p = ordner
    while not p.exists():
        if p.parent == p:
            return False
        p = p.parent
    try:
        modus = p.stat().st_mode
    except OSError:
        return False
    return p.is_dir() and bool(modus & stat.S_IWUSR) and os.access(p, os.W_OK | os.X_OK)


def ablage_ordner(kommune_oder_konf: Any, version: str | None = None) -> Path:
    """Der Ordner für abgeleitete Daten einer Datenversion (siehe Modulbeschreibung).

    `version`: Versions-ID oder None (= `kommune.version`, bei einer Konfiguration die Originaldateien).
    Geschrieben wird nur in Ordner, die der Import angelegt hat: `<daten>/versionen/<version>/abgeleitet`, für
    die Originaldateien `<daten>/versionen/original/abgeleitet`, wenn es `<daten>/versionen` schon gibt.
    Sonst (keine Importe, Datenordner schreibgeschützt) der Ersatzort aus `BILDUNGSMONITOR_CACHE_DIR` (sonst
    `$XDG_CACHE_HOME`/`~/.cache` + `bildungsmonitor`) + `abgeleitet/<Kennung des Datenordners>/<version>`.
    """
    konf = _konf(kommune_oder_konf)
    name = version or getattr(kommune_oder_konf, "version", None) or ORIGINAL
    vordner = konf.daten / ORDNER
    eigen = vordner / name / ABGELEITET
    if eigen.is_dir() or (vordner.is_dir() and _beschreibbar(eigen)):
        return eigen
    return _ersatz_ablage(konf, name)


def _cache_basis() -> Path:
    basis = os.environ.get(CACHE_UMGEBUNG) or None
    if basis is None:
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bildungsmonitor"
    return Path(basis)


def _kennung(konf: KommuneKonfiguration) -> str:
    return hashlib.sha256(str(Path(konf.daten).resolve()).encode()).hexdigest()[:16]


def _ersatz_ablage(konf: KommuneKonfiguration, name: str) -> Path:
    return _cache_basis() / ABGELEITET / _kennung(konf) / name


def zustand_ordner(konf: KommuneKonfiguration) -> Path:
    """Der Ordner für geteilten Zustand einer Kommune (`kommune.dateiablage`): im Cache-Ordner (siehe
    `ablage_ordner`, Ersatzort) je Datenordner, nicht je Version."""
    return _cache_basis() / "zustand" / _kennung(konf)


def _ablage_uebernehmen(konf: KommuneKonfiguration, version: str | None, ziel: Path) -> None:
    """Abgeleitete Daten einer Version (eigener Ordner und Ersatzort) nach `ziel` kopieren; Fehler lassen es aus."""
    name = version or ORIGINAL
    for quelle in (konf.daten / ORDNER / name / ABGELEITET, _ersatz_ablage(konf, name)):
        with contextlib.suppress(OSError, RuntimeError):
            if quelle.is_dir():
                shutil.copytree(quelle, ziel, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*"))


def _kommune_aus_ordner(kommune: Any, ordner: Path) -> Any:
    """Die Kommune mit allen Datendateien, die in `ordner` liegen (sonst die bisherigen)."""
    from kommune import laden

    konf = kommune.konfiguration
    katalog_ids = set(kommune.katalog.index)
    tabellen = []
    for t in konf.indikatoren:
        quelle = dataclasses.replace(konf, daten=ordner) if (ordner / t.datei).is_file() else konf
        tabellen.append(laden._indikatoren_lesen(quelle, t, katalog_ids))
    indikatoren = pd.concat(tabellen, ignore_index=True) if tabellen else kommune.indikatoren.iloc[:0]
    gebiete = dict(kommune.gebiete)
    hinweise = list(kommune.hinweise)
    for s in konf.schichten:
        if (ordner / s.datei).is_file():
            gebiete[s.id] = laden._gebiete_lesen(dataclasses.replace(konf, daten=ordner), s, hinweise)
    angebote = kommune.angebote
    if konf.angebotsregister is not None and (ordner / konf.angebotsregister.datei).is_file():
        neu = laden.register_angebote(dataclasses.replace(konf, daten=ordner), gebiete, hinweise)
        angebote = laden.angebote_mit_register(angebote, neu)
    return dataclasses.replace(
        kommune, gebiete=gebiete, indikatoren=indikatoren, angebote=angebote, hinweise=hinweise, version=ordner.name
    )


def gesamtprobe(k: Any) -> None:
    """Gegenprobe vor dem Aktivieren: die Kommune im neuen Stand (von der Ablage frisch geladen) darf jeden
    Wert nur einmal haben, und die angemeldeten Proben laufen (`kommune.rueckrufe.gegenproben`;
    `freigabe.tabellenexport` exportiert jede Ebene einmal). Scheitert sie, ein `KommuneFehler`
    (`Ablage.version_anlegen` lässt dann alles, wie es war)."""
    from kommune.rueckrufe import gegenproben

    try:
        doppelt = k.indikatoren[k.indikatoren.duplicated(["schicht", "gebiet", "indikator", "periode"])]
        if len(doppelt):
            d = doppelt.iloc[0]
            raise KommuneFehler(
                f"{len(doppelt)} Werte stünden doppelt in den Tabellen (z. B. Ebene „{d.schicht}“, Gebiet "
                f"„{d.gebiet}“, Indikator „{d.indikator}“, Periode {d.periode})."
            )
        for probe in gegenproben():
            probe(k)
    except KommuneFehler as e:
        raise KommuneFehler(
            f"Die Gegenprobe (Kommune neu laden und alle Ebenen exportieren) ist gescheitert: {e.text}"
        ) from None
    except Exception as e:  # jede andere Ausnahme ist ein Grund, die Version nicht zu aktivieren
        raise KommuneFehler(
            f"Die Gegenprobe (Kommune neu laden und alle Ebenen exportieren) ist gescheitert (interner Fehler "
            f"{type(e).__name__}); bitte an die Administration melden."
        ) from None
    finally:
        _caches_leeren()


@contextlib.contextmanager
def _sperre(vordner: Path) -> Iterator[None]:
    """Nur ein Import zur Zeit je Kommune (Sperrdatei; verwaiste Sperren verfallen nach 10 Minuten)."""
    vordner.mkdir(parents=True, exist_ok=True)
    pfad = vordner / ".sperre"
    for _ in range(2):
        try:
            fd = os.open(pfad, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            if time.time() - pfad.stat().st_mtime > SPERRE_ALTER_S:
                pfad.unlink(missing_ok=True)
                continue
            raise KommuneFehler(
                "Gerade läuft ein anderer Import dieser Kommune; bitte später erneut versuchen."
            ) from None
    else:
        raise KommuneFehler("Die Importsperre konnte nicht gesetzt werden.")
    try:
        os.write(fd, f"{os.getpid()} {datetime.now().isoformat()}".encode())
        os.close(fd)
        yield
    finally:
        pfad.unlink(missing_ok=True)


def sha256(pfad: Path) -> str:
    h = hashlib.sha256()
    with open(pfad, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _naechste_id(vordner: Path, manifest: dict[str, Any]) -> str:
    nummern = [int(v["id"][1:]) for v in manifest["versionen"] if v["id"][1:].isdigit()]
    nummern += [int(p.name[1:]) for p in vordner.glob("v[0-9]*") if p.name[1:].isdigit()]
    return f"v{max(nummern, default=0) + 1:04d}"


def version_anlegen(
    kommune_ordner_oder_konf: Any,
    dateien: dict[str, bytes | Path],
    info: dict[str, Any],
    *,
    pruefen: Any = None,
    extras: dict[str, bytes | Path] | None = None,
) -> str:
    """Eine neue Version atomar anlegen und aktiv setzen; ihre ID zurückgeben.

    `dateien`: Datendateien (relativer Name wie in der kommune.toml → Inhalt oder Pfad); alle Datendateien
    der bisher aktiven Version werden übernommen, `dateien` ersetzen sie. `extras`: Metadateien (Lieferung,
    Prüfprotokoll, Zuordnung). `pruefen(ordner)` (die Dateiablage reicht die Kommune daraus weiter) darf den
    fertigen temporären Ordner prüfen und mit
    `KommuneFehler` ablehnen – dann bleibt alles, wie es war.
    """
    konf = _konf(kommune_ordner_oder_konf)
    vordner = konf.daten / ORDNER
    with _sperre(vordner):
        manifest = manifest_lesen(konf)
        for alt in vordner.glob(".tmp-*"):  # Reste abgebrochener Importe
            shutil.rmtree(alt, ignore_errors=True)
        neue_id = _naechste_id(vordner, manifest)
        tmp = vordner / f".tmp-{neue_id}-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        try:
            # Datendateien und abgeleitete Daten der bisher aktiven Version übernehmen (die abgeleiteten tragen
            # ihren Inhaltsschlüssel: was nicht mehr passt, wird nie benutzt)
            _ablage_uebernehmen(konf, manifest["aktiv"], tmp / ABGELEITET)
            basis = vordner / manifest["aktiv"] if manifest["aktiv"] else None
            if basis is not None and basis.is_dir():
                for p in basis.rglob("*"):
                    rel = p.relative_to(basis)
                    if rel.parts[0] in META or rel.parts[0] == ABGELEITET or not p.is_file():
                        continue
                    (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(p, tmp / rel)
            for name, inhalt in {**dateien, **(extras or {})}.items():
                ziel = tmp / name
                if ".." in Path(name).parts or Path(name).is_absolute():
                    raise KommuneFehler(f"Unzulässiger Dateiname „{name}“.")
                ziel.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(inhalt, Path):
                    shutil.copy2(inhalt, ziel)
                else:
                    ziel.write_bytes(inhalt)
            eintrag = {"id": neue_id, "basis": manifest["aktiv"], **info}
            (tmp / "version.json").write_text(json.dumps(eintrag, ensure_ascii=False, indent=2), encoding="utf-8")
            if pruefen is not None:
                pruefen(tmp)
            for p in tmp.rglob("*"):
                if p.is_file():
                    with open(p, "rb") as f:
                        os.fsync(f.fileno())
            os.rename(tmp, vordner / neue_id)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        manifest["versionen"].append(eintrag)
        manifest["aktiv"] = neue_id
        _manifest_schreiben(vordner, manifest)
    _caches_leeren()
    return neue_id


def wiederherstellen(kommune_ordner_oder_konf: Any, version_id: str, nutzer: str = "") -> None:
    """Eine frühere Version (oder "original") wieder aktiv setzen; nichts wird gelöscht."""
    konf = _konf(kommune_ordner_oder_konf)
    vordner = konf.daten / ORDNER
    if version_id != ORIGINAL:
        version_ordner(konf, version_id)  # prüft, dass es sie gibt
    with _sperre(vordner):
        manifest = manifest_lesen(konf)
        manifest["aktiv"] = None if version_id == ORIGINAL else version_id
        manifest.setdefault("protokoll", []).append(
            {
                "aktion": "wiederhergestellt",
                "version": version_id,
                "wer": nutzer or _nutzer(),
                "wann": datetime.now().isoformat(timespec="seconds"),
            }
        )
        _manifest_schreiben(vordner, manifest)
    _caches_leeren()


def _caches_leeren() -> None:
    from kommune.rueckrufe import datenwechsel_melden

    datenwechsel_melden()


def _nutzer() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "unbekannt"


# ---------------------------------------------------------------------------------------------------
# Import: prüfen, Zieltabelle fortschreiben, Version anlegen
# ---------------------------------------------------------------------------------------------------


@dataclass
class Importergebnis:
    """Was ein Import ergeben hat: Prüfprotokoll, ggf. die neue Version."""

    protokoll: Any
    zuordnung: Any
    version: str | None = None
    zeilen: int = 0
    ziel: str = ""


def _zieltabelle(konf: KommuneKonfiguration, ebene: str, ziel: str) -> IndikatorTabelle:
    if ziel:
        for t in konf.indikatoren:
            if t.datei == ziel:
                if t.format != "lang":
                    raise KommuneFehler(f"Die Zieltabelle „{ziel}“ ist nicht im langen Format.")
                return t
        raise KommuneFehler(f"Die Zieltabelle „{ziel}“ steht nicht als [[indikatoren]] in der kommune.toml.")
    for t in konf.indikatoren:
        if t.format == "lang" and t.ebene == ebene:
            return t
    raise KommuneFehler(
        f"Für die Ebene „{ebene}“ ist keine Indikatortabelle im langen Format konfiguriert. Bitte in der kommune.toml "
        'einen Abschnitt [[indikatoren]] mit format = "lang" und dieser Ebene anlegen (Zieltabelle der Importe).'
    )


def _zahl_text(wert: float, dezimal: str) -> str:
    if wert is None or (isinstance(wert, float) and math.isnan(wert)):
        return ""
    text = zahl(float(wert), 10, minus="-", tausender="", kuerzen=True)
    return text if dezimal == "," else text.replace(",", ".")


def _zahl_texte(werte: Any, zeichen: Any, dezimal: str) -> np.ndarray:
    """Zahlen als Text der Zieltabelle; fehlende Werte als ihr Vermerk („.“ geheim, „x“ … oder leer)."""
    w = np.asarray(werte, dtype=float)
    aus = np.asarray(zeichen if zeichen is not None else np.full(len(w), ""), dtype=object).copy()
    ganz = np.isfinite(w) & (np.abs(w) < 1e15) & (w == np.round(w))
    aus[ganz] = w[ganz].astype(np.int64).astype(str)
    rest = np.flatnonzero(np.isfinite(w) & ~ganz)
    aus[rest] = [_zahl_text(float(x), dezimal) for x in w[rest]]
    return aus


def _csv_oder_xlsx(df: pd.DataFrame, datei: str, blatt: str | None, trenner: str) -> bytes:
    if Path(datei).suffix.lower() in (".xlsx", ".xlsm"):
        import io

        puffer = io.BytesIO()
        df.to_excel(puffer, sheet_name=blatt or "Daten", index=False)
        return puffer.getvalue()
    return df.to_csv(sep=trenner, index=False).encode("utf-8")


#: Liest eine Datendatei der aktiven Version über die Ablage (`Ablage.datei_lesen`): Name → Inhalt oder None.
Leser = Callable[[str], "bytes | None"]


def _lesen_mit_trenner(t: IndikatorTabelle, lesen: Leser) -> tuple[Any, str]:
    """(Tabelle als Text oder None, Trennzeichen) einer Indikatortabelle, so wie die Ablage sie liefert."""
    import tempfile

    from kommune.tabellen import tabelle_lesen, trennzeichen_erkennen

    inhalt = lesen(t.datei)
    if inhalt is None:
        return None, t.trennzeichen or ";"
    with tempfile.TemporaryDirectory(prefix="bm-tabelle-") as tmp:
        pfad = Path(tmp) / Path(t.datei).name
        pfad.write_bytes(inhalt)
        df = tabelle_lesen(pfad, trennzeichen=t.trennzeichen, blatt=t.blatt)
    text = inhalt.decode("utf-8-sig", errors="replace") if pfad.suffix.lower() == ".csv" else ""
    return df, t.trennzeichen or (trennzeichen_erkennen(text) if text else ";")


def _in_anderen_tabellen(
    konf: KommuneKonfiguration,
    ziel: IndikatorTabelle,
    lang: pd.DataFrame,
    lesen: Leser,
    katalog_ids: set[str],
) -> tuple[dict[str, bytes], np.ndarray, list[str]]:
    """Werte, die schon in einer anderen Tabelle derselben Ebene stehen, dort ersetzen (ein Wert steht nur
    einmal). Zurück: (geänderte Dateien, Maske der dort ersetzten Lieferzeilen, Hinweise)."""
    dateien: dict[str, bytes] = {}
    erledigt = np.zeros(len(lang), dtype=bool)
    hinweise: list[str] = []
    schluessel = pd.MultiIndex.from_arrays([lang["gebiet"].astype(str), lang["indikator"], lang["periode"].astype(str)])
    for t in konf.indikatoren:
        if t is ziel or t.ebene != ziel.ebene or t.datei == ziel.datei:
            continue
        df, trenner = _lesen_mit_trenner(t, lesen)
        if df is None:
            continue
        dezimal = t.dezimalzeichen or ("," if trenner == ";" else ".")
        texte = _zahl_texte(lang["wert"], lang.get("zeichen"), dezimal)
        treffer = 0
        if t.format == "lang":
            alt = pd.MultiIndex.from_arrays(
                [df[t.einheit_spalte].str.strip(), df[t.indikator_spalte].str.strip(), df[t.periode_spalte].str.strip()]
            )
            pos = alt.get_indexer(schluessel)
            for i in np.flatnonzero((pos >= 0) & ~erledigt):
                df.iloc[pos[i], df.columns.get_loc(t.wert_spalte)] = texte[i]
                for quelle, spalte in (("zaehler", t.zaehler_spalte), ("nenner", t.nenner_spalte)):
                    if spalte and spalte in df.columns:
                        df.iloc[pos[i], df.columns.get_loc(spalte)] = _zahl_text(lang[quelle].iloc[i], dezimal)
                erledigt[i] = True
                treffer += 1
        else:
            spalten = list(t.spalten) or [c for c in df.columns if c in katalog_ids]
            zeile_je_id = pd.Index(df[t.id_spalte].astype(str).str.strip())
            pos = zeile_je_id.get_indexer(lang["gebiet"].astype(str))
            passt = (pos >= 0) & lang["indikator"].isin(spalten).to_numpy()
            passt &= (lang["periode"].astype(str) == str(t.periode)).to_numpy() & ~erledigt
            for i in np.flatnonzero(passt):
                df.iloc[pos[i], df.columns.get_loc(lang["indikator"].iloc[i])] = texte[i]
                erledigt[i] = True
                treffer += 1
            mit_begleit = passt & (lang["zaehler"].notna() | lang["nenner"].notna()).to_numpy()
            if mit_begleit.any():
                hinweise.append(
                    f"{int(mit_begleit.sum())} Werte stehen in der breiten Tabelle „{t.datei}“; dort gibt es keine "
                    "Spalten für Zähler und Nenner, übernommen wird nur der Wert."
                )
        if treffer:
            dateien[t.datei] = _csv_oder_xlsx(df, t.datei, t.blatt, trenner)
            hinweise.append(f"{treffer} Werte standen schon in „{t.datei}“ und werden dort ersetzt (nicht doppelt).")
    return dateien, erledigt, hinweise


def _fortschreiben(t: IndikatorTabelle, lang: pd.DataFrame, lesen: Leser) -> tuple[str, bytes]:
    """Die Zieltabelle der aktiven Version lesen, gelieferte Zeilen ersetzen/anfügen, als Bytes zurück."""
    spalten = [t.einheit_spalte, t.indikator_spalte, t.periode_spalte, t.wert_spalte]
    spalten += [s for s in (t.zaehler_spalte, t.nenner_spalte) if s]
    alt, trenner = _lesen_mit_trenner(t, lesen)
    if alt is None:
        alt = pd.DataFrame(columns=spalten, dtype=str)
    for s in spalten:
        if s not in alt.columns:
            alt[s] = ""
    dezimal = t.dezimalzeichen or ("," if trenner == ";" else ".")
    neu = pd.DataFrame(
        {
            t.einheit_spalte: lang["gebiet"].astype(str).to_numpy(),
            t.indikator_spalte: lang["indikator"].astype(str).to_numpy(),
            t.periode_spalte: lang["periode"].astype(str).to_numpy(),
            t.wert_spalte: _zahl_texte(lang["wert"], lang.get("zeichen"), dezimal),
        }
    )
    for quelle, s in (("zaehler", t.zaehler_spalte), ("nenner", t.nenner_spalte)):
        if s:
            neu[s] = _zahl_texte(lang[quelle], None, dezimal)
    schluessel = [t.einheit_spalte, t.indikator_spalte, t.periode_spalte]
    ersetzt = pd.MultiIndex.from_frame(neu[schluessel])
    bleibt = ~pd.MultiIndex.from_frame(alt[schluessel].astype(str)).isin(ersetzt)
    gesamt = pd.concat([alt[bleibt], neu], ignore_index=True).fillna("")
    gesamt = gesamt[list(alt.columns) + [c for c in neu.columns if c not in alt.columns]]
    return t.datei, _csv_oder_xlsx(gesamt, t.datei, t.blatt, trenner)


def importieren(
    kommune_oder_ordner: Any,
    pfad: str | Path,
    zuordnung: Any = None,
    *,
    nutzer: str = "",
    blatt: str | None = None,
    ebene: str | None = None,
    periode: str | None = None,
    nur_pruefen: bool = False,
    grenzen: Any = None,
    symbole: dict[str, str] | None = None,
    ablage: Any = None,
) -> Importergebnis:
    """Eine Lieferung prüfen und – ohne Fehler – als neue Version übernehmen (Warnungen halten nicht auf).

    Ohne `zuordnung` wird die zuletzt gespeicherte verwendet, wenn sie passt, sonst erkannt. Fehler
    (Prüfung, Schreiben, Gegenprobe: ganze Kommune neu laden und jede Ebene exportieren) lassen die bisherige
    Version unverändert. `symbole`: Tabellenzeichen dieser Lieferung (Zeichen → Bedeutung, `kommune.tabellen`).
    `ablage`: wohin die neue Version geht (`kommune.ablage.Ablage`; Standard die Dateiablage).
    """
    from kommune.dateiablage import DateiAblage, dateiablage
    from kommune.laden import Kommune, kommune_laden
    from kommune.pruefung import FEHLER, HINWEIS, Zuordnung, lieferung_pruefen, pruefprotokoll_xlsx

    kommune = kommune_oder_ordner if isinstance(kommune_oder_ordner, Kommune) else kommune_laden(kommune_oder_ordner)
    kommune = kommune_mit_version(kommune, AKTIV)
    konf = kommune.konfiguration
    pfad = Path(pfad)
    ziel_ablage = ablage if ablage is not None else dateiablage()
    # wie die Ablage die Kommune kennt: ihr Stand (von der Ablage geladen), sonst ihr Ordner
    kennung = kommune.stand.kommune if kommune.stand is not None else str(konf.ordner)
    gespeichert = konf.daten / ORDNER / "zuordnung.toml"
    vorgabe = zuordnung
    aus_speicher = False
    if vorgabe is None:
        with contextlib.suppress(KommuneFehler):
            vorgabe = _gespeicherte_zuordnung(ziel_ablage, kennung, gespeichert)
            aus_speicher = vorgabe is not None
    vorgabe = vorgabe or Zuordnung()
    if ebene:
        vorgabe.ebene = ebene
    if periode:
        vorgabe.periode = periode
    if symbole:
        vorgabe.symbole = {**vorgabe.symbole, **symbole}
    ergebnis = lieferung_pruefen(kommune, pfad, vorgabe, blatt=blatt, grenzen=grenzen)
    if aus_speicher and any(b.pruefung == "zuordnung" for b in ergebnis.protokoll.befunde):
        neu = Zuordnung(ebene=ebene or "", periode=periode or "", symbole=dict(symbole or {}))
        ergebnis = lieferung_pruefen(kommune, pfad, neu, blatt=blatt, grenzen=grenzen)
        ergebnis.protokoll.melden(
            HINWEIS, "Die gespeicherte Spaltenzuordnung passt nicht zu dieser Datei; die Spalten wurden neu erkannt."
        )
    protokoll, z = ergebnis.protokoll, ergebnis.zuordnung
    out = Importergebnis(protokoll, z, zeilen=0 if ergebnis.lieferung is None else len(ergebnis.lieferung.lang))
    if not protokoll.ok or ergebnis.lieferung is None or nur_pruefen:
        return out
    try:
        t = _zieltabelle(konf, z.ebene, z.ziel)
    except KommuneFehler as e:
        protokoll.melden(FEHLER, e.text)
        return out
    lang = ergebnis.lieferung.lang
    def lesen(name: str) -> bytes | None:
        return ziel_ablage.datei_lesen(kennung, name, AKTIV)

    anderswo, erledigt, hinweise = _in_anderen_tabellen(konf, t, lang, lesen, set(kommune.katalog.index))
    for hinweis in hinweise:
        protokoll.melden(HINWEIS, hinweis, pruefung="ersetzen_anderswo")
    datei, inhalt = _fortschreiben(t, lang[~erledigt], lesen)
    info = {
        "wer": nutzer or _nutzer(),
        "wann": datetime.now().isoformat(timespec="seconds"),
        "quelle": pfad.name,
        "sha256": sha256(pfad),
        "zeilen": len(lang),
        "ziel": datei,
        "ebene": z.ebene,
        "indikatoren": sorted(lang["indikator"].unique().tolist()),
        "perioden": sorted(lang["periode"].astype(str).unique().tolist()),
        "pruefprotokoll": protokoll.kurz(),
    }

    import tempfile

    # die Dateiablage nimmt die schon geladene Kommune als Basis der Gegenprobe, andere Ablagen ihre Kennung
    wer = kommune if isinstance(ziel_ablage, DateiAblage) or kommune.stand is not None else kennung
    with tempfile.TemporaryDirectory() as tmp:
        protokoll_pfad = pruefprotokoll_xlsx(protokoll, Path(tmp) / "pruefprotokoll.xlsx")
        extras: dict[str, bytes] = {
            f"lieferung/{pfad.name}": pfad.read_bytes(),
            "pruefprotokoll.xlsx": protokoll_pfad.read_bytes(),
            "zuordnung.toml": z.toml().encode("utf-8"),
        }
        try:
            out.version = ziel_ablage.version_anlegen(
                wer, {**anderswo, datei: inhalt}, info, pruefen=gesamtprobe, extras=extras
            )
        except KommuneFehler as e:
            protokoll.melden(FEHLER, f"Die neue Version wurde nicht angelegt: {e.text}")
            return out
    _zuordnung_merken(ziel_ablage, kennung, gespeichert, z)
    out.ziel = datei
    return out


#: Schlüssel der zuletzt benutzten Spaltenzuordnung im geteilten Zustand einer Ablage ohne Datenordner
ZUORDNUNG_ZUSTAND = "zuordnung"


def _gespeicherte_zuordnung(ablage: Any, kennung: str, datei: Path) -> Any:
    """Die zuletzt benutzte Spaltenzuordnung: bei Dateien neben den Versionen, sonst im geteilten Zustand der
    Ablage (dieselbe für alle App-Server); None, wenn es keine gibt."""
    from kommune.dateiablage import DateiAblage
    from kommune.pruefung import zuordnung_aus_text, zuordnung_lesen

    if isinstance(ablage, DateiAblage):
        return zuordnung_lesen(datei) if datei.is_file() else None
    roh = ablage.zustand_lesen(kennung, ZUORDNUNG_ZUSTAND)
    return zuordnung_aus_text(str(roh["toml"])) if isinstance(roh, dict) and "toml" in roh else None


def _zuordnung_merken(ablage: Any, kennung: str, datei: Path, z: Any) -> None:
    """Die Spaltenzuordnung für die nächste Lieferung merken (Ort wie `_gespeicherte_zuordnung`)."""
    from kommune.dateiablage import DateiAblage

    if isinstance(ablage, DateiAblage):
        z.speichern(datei)
    else:
        ablage.zustand_schreiben(kennung, ZUORDNUNG_ZUSTAND, {"toml": z.toml()})

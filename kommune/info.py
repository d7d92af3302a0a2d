"""Ein kompakter Überblick über eine geladene Kommune (für CLI und Übersichtsseite)."""

from __future__ import annotations

from typing import Any

from kommune.laden import Kommune


def kommune_info(kommune: Kommune) -> dict[str, Any]:
    """Name, Ebenen mit Gebietszahlen, Indikatoren, Perioden, Angebote je Kategorie (und im Umland), Versorgung."""
    konf = kommune.konfiguration

    def schicht(s: Any) -> dict[str, Any]:
        return {"id": s.id, "name": s.name, "gebiete": len(kommune.gebiete[s.id]), "stand": s.stand}

    angebote = kommune.angebote["kategorie"].value_counts()
    return {
        "name": konf.name,
        "ags": konf.ags,
        "crs": konf.crs,
        "ebenen": [schicht(s) for s in konf.ebenen],
        "einzugsbereiche": [schicht(s) for s in konf.einzugsbereiche],
        "indikatoren": int(kommune.indikatoren["indikator"].nunique()),
        "indikatoren_ids": sorted(kommune.indikatoren["indikator"].unique().tolist()),
        "perioden": kommune.perioden,
        "werte": len(kommune.indikatoren),
        "angebote": {str(k): int(v) for k, v in angebote.sort_index().items()},
        "angebote_gesamt": len(kommune.angebote),
        "angebote_umland": len(kommune.umland),
        "bevoelkerung": konf.bevoelkerung.indikator if konf.bevoelkerung else None,
        "versorgung": [v.id for v in konf.versorgung],
        "hinweise": kommune.hinweise,
    }

"""Grundschema: Kommunen, Versionen (Delta je Teil), Gebiete, Indikatorwerte, Angebote, Audit, Dateien, Texte."""

from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute("CREATE SEQUENCE version_nr_seq")
    op.execute(
        """
        CREATE TABLE kommune (
            id serial PRIMARY KEY,
            name text NOT NULL UNIQUE,
            toml text NOT NULL,
            katalog bytea NOT NULL,
            katalog_datei text NOT NULL,
            crs text NOT NULL,
            aktiv bigint,
            marke bigint NOT NULL DEFAULT 1
        );
        -- Versionen: nr 0 gibt es nicht, „original“ ist die Übernahme (nr aus derselben Sequenz, vid = 'original')
        CREATE TABLE version (
            nr bigint PRIMARY KEY DEFAULT nextval('version_nr_seq'),
            kommune_id int NOT NULL REFERENCES kommune(id) ON DELETE CASCADE,
            vid text NOT NULL,
            basis bigint REFERENCES version(nr),
            info jsonb NOT NULL DEFAULT '{}',
            hinweise jsonb NOT NULL DEFAULT '[]',
            angelegt timestamptz NOT NULL DEFAULT now(),
            UNIQUE (kommune_id, vid)
        );
        ALTER TABLE kommune ADD FOREIGN KEY (aktiv) REFERENCES version(nr);
        -- Teile einer Version (nur die geänderten): Art gebiete/indikatoren/angebote/umland, Name, Spalten und dtypes
        CREATE TABLE teil (
            version_nr bigint NOT NULL REFERENCES version(nr) ON DELETE CASCADE,
            art text NOT NULL,
            name text NOT NULL,
            meta jsonb NOT NULL,
            PRIMARY KEY (version_nr, art, name)
        );
        CREATE TABLE gebiet (
            version_nr bigint NOT NULL REFERENCES version(nr) ON DELETE CASCADE,
            schicht text NOT NULL,
            pos int NOT NULL,
            schluessel text NOT NULL,
            merkmale jsonb NOT NULL,
            geom geometry,
            PRIMARY KEY (version_nr, schicht, pos)
        );
        CREATE INDEX gebiet_geom ON gebiet USING gist (geom);
        CREATE TABLE indikatorwert (
            version_nr bigint NOT NULL REFERENCES version(nr) ON DELETE CASCADE,
            tabelle text NOT NULL,
            pos int NOT NULL,
            schicht text NOT NULL,
            gebiet text NOT NULL,
            indikator text NOT NULL,
            periode text NOT NULL,
            wert double precision,
            zaehler double precision,
            nenner double precision,
            PRIMARY KEY (version_nr, tabelle, pos)
        );
        CREATE INDEX indikatorwert_suche ON indikatorwert (schicht, indikator, periode);
        CREATE TABLE angebot (
            version_nr bigint NOT NULL REFERENCES version(nr) ON DELETE CASCADE,
            umland boolean NOT NULL,
            pos int NOT NULL,
            merkmale jsonb NOT NULL,
            geom geometry,
            PRIMARY KEY (version_nr, umland, pos)
        );
        CREATE INDEX angebot_geom ON angebot USING gist (geom);
        -- Dateien einer Version: Datendateien (Delta), Lieferung, Prüfprotokoll
        CREATE TABLE datei (
            version_nr bigint NOT NULL REFERENCES version(nr) ON DELETE CASCADE,
            name text NOT NULL,
            art text NOT NULL,
            inhalt bytea NOT NULL,
            PRIMARY KEY (version_nr, name)
        );
        CREATE TABLE audit (
            id bigserial PRIMARY KEY,
            kommune_id int NOT NULL REFERENCES kommune(id) ON DELETE CASCADE,
            aktion text NOT NULL,
            wer text NOT NULL DEFAULT '',
            wann timestamptz NOT NULL DEFAULT now(),
            datei text NOT NULL DEFAULT '',
            befunde jsonb NOT NULL DEFAULT '[]'
        );
        CREATE TABLE text_datei (
            kommune_id int NOT NULL REFERENCES kommune(id) ON DELETE CASCADE,
            art text NOT NULL CHECK (art IN ('presets', 'sitzungen')),
            name text NOT NULL,
            inhalt text NOT NULL,
            PRIMARY KEY (kommune_id, art, name)
        );
        CREATE TABLE zustand (
            kommune_id int NOT NULL REFERENCES kommune(id) ON DELETE CASCADE,
            schluessel text NOT NULL,
            wert jsonb NOT NULL,
            PRIMARY KEY (kommune_id, schluessel)
        );
        """
    )

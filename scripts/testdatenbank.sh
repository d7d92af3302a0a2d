#!/usr/bin/env bash
# Einen eigenen PostgreSQL-Cluster (mit PostGIS) für die Tests starten und die Variable ausgeben:
#   eval "$(scripts/testdatenbank.sh)" && ./test.sh
# Als root läuft der Server als Benutzer postgres; Ordner und Port über PGTEST_DIR / PGTEST_PORT.
set -euo pipefail
PORT=${PGTEST_PORT:-55432}
ORDNER=${PGTEST_DIR:-/tmp/bildungsmonitor-pg-$PORT}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$BIN" ]; then
  echo "PostgreSQL fehlt (Debian: apt-get install postgresql postgresql-15-postgis-3)." >&2
  exit 1
fi
als() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
NUTZER=$([ "$(id -u)" = 0 ] && echo postgres || id -un)
if [ ! -f "$ORDNER/daten/PG_VERSION" ]; then
  mkdir -p "$ORDNER"
  [ "$(id -u)" = 0 ] && chown postgres "$ORDNER"
  als "'$BIN/initdb' -D '$ORDNER/daten' -A trust -U '$NUTZER' -E UTF8 >'$ORDNER/initdb.log'" >&2
fi
if ! als "'$BIN/pg_ctl' -D '$ORDNER/daten' status" >/dev/null 2>&1; then
  als "'$BIN/pg_ctl' -D '$ORDNER/daten' -w -l '$ORDNER/log' -o \"-p $PORT -k '$ORDNER' -c listen_addresses=127.0.0.1\" start" >&2
fi
echo "export BILDUNGSMONITOR_TEST_DATENBANK=postgresql+psycopg://$NUTZER@127.0.0.1:$PORT/postgres"

#!/usr/bin/env bash
# Führt alle Tests aus (Lint, Unit-, Seiten- und Browsertests); richtet vorher alles Nötige ein.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/umgebung.sh dev
# Browsertests brauchen Debians Chromium; als root wird es bei Bedarf installiert.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Chromium wird installiert …" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
fi
# Datenbanktests (PostgreSQL + PostGIS): ohne eingestellte Testdatenbank einen eigenen Cluster auf 127.0.0.1
# starten (scripts/testdatenbank.sh); als root werden fehlende Pakete installiert, sonst laufen die Tests ohne ihn
# mit klarer Meldung übersprungen (in CI scheitern sie).
if [ -z "${BILDUNGSMONITOR_TEST_DATENBANK:-}" ]; then
  if ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 && [ "$(id -u)" = 0 ] \
    && command -v apt-get >/dev/null; then
    echo "PostgreSQL mit PostGIS wird installiert …" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-15-postgis-3 >&2
  fi
  if ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
    eval "$(scripts/testdatenbank.sh)"
    export BILDUNGSMONITOR_TEST_DATENBANK
  fi
fi
# Berliner Beispieldaten: ein Ordner mit berlin/ (in CI liegt er neben dem Checkout)
if [ -z "${BILDUNGSMONITOR_DATA_DIR:-}" ] && [ -d ../shared/data/berlin ]; then
  export BILDUNGSMONITOR_DATA_DIR="$(cd ../shared/data && pwd)"
fi
.venv/bin/ruff check .
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"

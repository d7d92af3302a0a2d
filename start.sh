#!/usr/bin/env bash
# Startet Bildungsmonitor mit der Beispielkommune Musterstadt: http://localhost:8501
# Für die Beispieldaten im Demo-Modus (Rollen wählbar, in der Seitenleiste gekennzeichnet); wer eine eigene
# Kommune öffnet (BILDUNGSMONITOR_KOMMUNE), bekommt ohne eingerichtete Anmeldung nur die öffentliche Rolle.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/umgebung.sh app
if [ -z "${BILDUNGSMONITOR_KOMMUNE:-}" ] || [ "${BILDUNGSMONITOR_KOMMUNE}" = musterstadt ]; then
  export BILDUNGSMONITOR_DEMO="${BILDUNGSMONITOR_DEMO:-1}"
fi
exec .venv/bin/python -m oberflaeche.server --server.headless true "$@"

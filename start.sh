#!/usr/bin/env bash
# Startet Bildungsmonitor mit der Beispielkommune Musterstadt: http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/umgebung.sh app
exec .venv/bin/python -m oberflaeche.server --server.headless true "$@"

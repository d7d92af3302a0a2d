#!/usr/bin/env bash
# Gemeinsame Einrichtung für start.sh und test.sh: virtuelle Umgebung mit den Abhängigkeiten.
# Installiert nur neu, wenn sich requirements*.txt geändert haben.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stempel=.venv/.requirements-$1
liste=requirements.txt
[ -f "requirements-$1.txt" ] && liste="requirements-$1.txt"
soll=$(cat requirements.txt "$liste" | sha256sum | cut -c1-16)
if [ ! -f "$stempel" ] || [ "$(cat "$stempel")" != "$soll" ]; then
  echo "Abhängigkeiten werden installiert …" >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$liste" >&2
  echo "$soll" > "$stempel"
fi

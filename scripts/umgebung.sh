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
soll=$(cat requirements.txt "requirements-$1.txt" 2>/dev/null | sha256sum | cut -c1-16)
if [ ! -f "$stempel" ] || [ "$(cat "$stempel")" != "$soll" ]; then
  echo "Abhängigkeiten werden installiert …" >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
  if [ -f "requirements-$1.txt" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "requirements-$1.txt" >&2
  else
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt >&2
  fi
  echo "$soll" > "$stempel"
fi

#!/usr/bin/env bash
# Installs the pinned emulators with `npm ci`, but only when package-lock.json changed since the last install,
# so that repeated builds stay fast and offline-friendly.
set -euo pipefail
cd "$(dirname "$0")"
marker=node_modules/.installed-lock
if [[ -f "$marker" ]] && cmp -s package-lock.json "$marker"; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$marker"

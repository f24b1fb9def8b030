#!/usr/bin/env bash
# Installs a folder's pinned npm packages (default: the emulators next to this script) with `npm ci`, but only when package-lock.json changed since the last install,
# so that repeated builds stay fast and offline-friendly.
set -euo pipefail
cd "${1:-$(dirname "$0")}"
marker=node_modules/.installed-lock
if [[ -f "$marker" ]] && cmp -s package-lock.json "$marker"; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$marker"

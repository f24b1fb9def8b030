#!/usr/bin/env bash
# Installs a folder's pinned npm packages (default: the emulators next to this script) with `npm ci`, but only when
# package-lock.json or a patch under patches/ changed since the last install, so that repeated builds stay fast and
# offline-friendly. `npm ci` runs the folder's postinstall (patch-package), which fails the build when a patch no
# longer applies.
set -euo pipefail
cd "${1:-$(dirname "$0")}"
marker=node_modules/.installed-lock
# (a folder without patches/ is fine: deployment/ has none)
state=$({ cat package.json package-lock.json; cat patches/* 2>/dev/null || true; } | sha256sum | cut -d' ' -f1)
if [[ -f "$marker" ]] && [[ "$(cat "$marker")" == "$state" ]]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$state" > "$marker"

#!/usr/bin/env bash
# Prepares the Playwright suite in e2e/: Debian's Chromium (never a downloaded browser) and the
# npm packages pinned in e2e/package-lock.json. Idempotent and quiet when nothing changed:
#   - Chromium is installed with apt only when $CHROMIUM (default /usr/bin/chromium) is missing;
#   - `npm ci` runs only when e2e/node_modules is missing or the lock file changed since the last
#     install (a hash stamp in e2e/node_modules/.stamp); `npm install` when there is no lock yet.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E="$ROOT/e2e"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
STAMP="$E2E/node_modules/.stamp"

log() { printf '[setup-e2e] %s\n' "$*" >&2; }

if [ ! -x "$CHROMIUM" ]; then
  if [ "$CHROMIUM" != /usr/bin/chromium ]; then
    log "CHROMIUM=$CHROMIUM does not exist"
    exit 1
  fi
  log "installing Chromium from Debian"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium
fi

command -v npm >/dev/null || { log "npm is missing (install Node.js 20 or newer)"; exit 1; }

# Playwright must use the system Chromium: never download browsers.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

lock_hash() {
  if [ -f "$E2E/package-lock.json" ]; then
    cat "$E2E/package.json" "$E2E/package-lock.json" | sha256sum | cut -d' ' -f1
  else
    echo "no-lock"
  fi
}

wanted="$(lock_hash)"
if [ -d "$E2E/node_modules" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$wanted" ]; then
  exit 0
fi

cd "$E2E"
if [ -f package-lock.json ]; then
  log "installing the e2e packages (npm ci)"
  npm ci --no-audit --no-fund
else
  log "installing the e2e packages (npm install: no lock file yet)"
  npm install --no-audit --no-fund
fi
lock_hash >"$STAMP"
log "e2e packages ready ($(npx --no-install playwright --version))"

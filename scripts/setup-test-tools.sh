#!/usr/bin/env bash
# Installs the test-only tools (the aiosmtpd SMTP sink the mail tests deliver to) once per
# machine, outside the clone, so CI runs in fresh clones reuse them. Silent when already there.
set -euo pipefail

TOOLS="${GATEHOUSE_TOOLS:-$HOME/.gatehouse-tools}"
VENV="$TOOLS/venv"
AIOSMTPD_VERSION=1.4.6

log() { printf '[setup-test-tools] %s\n' "$*" >&2; }

if "$VENV/bin/python" -c "import aiosmtpd, sys; sys.exit(aiosmtpd.__version__ != '$AIOSMTPD_VERSION')" \
  >/dev/null 2>&1; then
  exit 0
fi

mkdir -p "$TOOLS"
if [ ! -x "$VENV/bin/python" ]; then
  log "creating a Python virtual environment in $VENV"
  "${PYTHON:-python3}" -m venv "$VENV"
fi
log "installing aiosmtpd $AIOSMTPD_VERSION (SMTP sink for the mail tests)"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "aiosmtpd==$AIOSMTPD_VERSION"
"$VENV/bin/python" -c "import aiosmtpd" >/dev/null
log "aiosmtpd ready in $VENV"

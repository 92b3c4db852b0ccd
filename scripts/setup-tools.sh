#!/usr/bin/env bash
# Installs the build and test tools Gatehouse needs, once per machine, outside the clone.
# Idempotent: each tool is skipped when the pinned version is already there.
set -euo pipefail

TOOLS="${GATEHOUSE_TOOLS:-$HOME/.gatehouse-tools}"
CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132.0.0
mkdir -p "$TOOLS/bin"
export PATH="$TOOLS/bin:$TOOLS/node_modules/.bin:$PATH"

log() { printf '[setup] %s\n' "$*" >&2; }

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo-leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (a few minutes, once per machine)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --root "$TOOLS" --version "$CARGO_LEPTOS_VERSION" --locked cargo-leptos
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Without --locked: one of its locked dependencies is not in the registry here.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --root "$TOOLS" --version "$WASM_BINDGEN_VERSION" wasm-bindgen-cli
fi

if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  # Debian's binaryen (108) produces a release wasm that fails to hydrate.
  log "installing wasm-opt from npm binaryen $BINARYEN_VERSION"
  npm install --prefix "$TOOLS" --no-save --no-audit --no-fund "binaryen@$BINARYEN_VERSION" >/dev/null
fi

log "tools ready in $TOOLS"

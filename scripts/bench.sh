#!/usr/bin/env bash
# `make bench`: starts the release server pinned to ONE core (taskset) on a fresh SQLite
# database, and drives it from the other core. Prints a table of figures.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
SECONDS_PER_RUN="${BENCH_SECONDS:-10}"
CONCURRENCY="${BENCH_CONCURRENCY:-8}"
PORT="${BENCH_PORT:-3400}"

cargo build --release -p server --bin gatehouse --features bench --bin gatehouse-bench
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
LEPTOS_SITE_ADDR="127.0.0.1:$PORT" DATABASE_URL="sqlite://$work/bench.db" GATEHOUSE_MAIL_DIR="$work/mail" \
  GATEHOUSE_IP_RATE_LIMIT=off GATEHOUSE_ADMIN_PASSWORD=bench-admin-password RUST_LOG=warn \
  taskset -c 0 "$TARGET_DIR/release/gatehouse" &
server=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break
  sleep 0.1
done
echo "Gatehouse on one core (taskset -c 0), load from core 1; SQLite; ${SECONDS_PER_RUN}s per run"
taskset -c 1 "$TARGET_DIR/release/gatehouse-bench" "http://127.0.0.1:$PORT" "$SECONDS_PER_RUN" "$CONCURRENCY"

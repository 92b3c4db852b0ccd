#!/usr/bin/env bash
# `make bench`: starts the release server pinned to ONE core (taskset -c 0) on a fresh SQLite
# database and drives it from the other core. Prints a table of figures; asserts nothing.
#   BENCH_SECONDS (10)  BENCH_CONCURRENCY (8)  BENCH_USERS (1000000)  BENCH_COMPANIES (100000)
set -euo pipefail
cd "$(dirname "$0")/.."
# A target dir of its own: a plain `cargo build` of the server would otherwise replace the
# cargo-leptos release binary that `make run` and the e2e suite serve (its pages do not hydrate).
TARGET_DIR="${CARGO_TARGET_DIR:-target}/bench"
SECONDS_PER_RUN="${BENCH_SECONDS:-10}"
CONCURRENCY="${BENCH_CONCURRENCY:-8}"
USERS="${BENCH_USERS:-1000000}"
COMPANIES="${BENCH_COMPANIES:-100000}"
PORT="${BENCH_PORT:-3400}"
BASE="http://127.0.0.1:$PORT"

cargo build --release --target-dir "$TARGET_DIR" -p server --features bench --bin gatehouse --bin gatehouse-bench
work=$(mktemp -d)
server=""
stop_server() { if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=""; fi; }
trap 'stop_server; rm -rf "$work"' EXIT

start_server() { # $1: database file
  LEPTOS_SITE_ADDR="127.0.0.1:$PORT" DATABASE_URL="sqlite://$1" GATEHOUSE_MAIL_DIR="$work/mail" \
    GATEHOUSE_IP_RATE_LIMIT=off GATEHOUSE_ADMIN_PASSWORD=bench-Copper-Lantern-Meadow-4821 RUST_LOG=warn GATEHOUSE_JOBS=off \
    taskset -c 0 "$TARGET_DIR/release/gatehouse" &
  server=$!
  for _ in $(seq 1 200); do curl -sf "$BASE/readyz" >/dev/null && return 0; sleep 0.1; done
  echo "server did not become ready" >&2; exit 1
}

echo "Gatehouse on one core (taskset -c 0), load from core 1, SQLite, ${SECONDS_PER_RUN} s per run, $CONCURRENCY clients"
echo
hash_ms=$(taskset -c 0 "$TARGET_DIR/release/gatehouse-bench" hash)
start_server "$work/signin.db"
taskset -c 1 "$TARGET_DIR/release/gatehouse-bench" sign-in "$BASE" "$SECONDS_PER_RUN" "$CONCURRENCY" "$hash_ms"
stop_server

for size in "$USERS:$COMPANIES" "10000:1000"; do
  users=${size%%:*}; companies=${size##*:}
  start_server "$work/admin-$users.db"
  taskset -c 1 "$TARGET_DIR/release/gatehouse-bench" admin "$BASE" "sqlite://$work/admin-$users.db" \
    "$users" "$companies" "$SECONDS_PER_RUN" "$CONCURRENCY" | tail -n 2
  # CON-3: the console's user search on the same data set (at 1,000,000 within 2x of 10,000).
  taskset -c 1 "$TARGET_DIR/release/gatehouse-bench" console-users "$BASE" "sqlite://$work/admin-$users.db" \
    "$users" "$SECONDS_PER_RUN" "$CONCURRENCY"
  stop_server
done

# CON-7: the customer import of a generated file (100,000 rows by default), in process through
# the import use case: preview, commit, and the same file again (nothing new). SQLite, then
# PostgreSQL when BENCH_DATABASE_URL names a server (the run creates and drops its own database).
IMPORT_ROWS="${BENCH_IMPORT_ROWS:-100000}"
echo
taskset -c 0 "$TARGET_DIR/release/gatehouse-bench" import "sqlite://$work/import.db" "$IMPORT_ROWS"
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  "$TARGET_DIR/release/gatehouse-bench" import "$BENCH_DATABASE_URL" "$IMPORT_ROWS"
fi

#!/usr/bin/env bash
# `make bench`: starts the release server pinned to ONE core (taskset -c 0) on a fresh SQLite
# database and drives it from the other core. Prints the figures as it goes, then issue 11's
# targets as a pass/fail table; exits non-zero when one fails.
#   BENCH_SECONDS (10)  BENCH_CONCURRENCY (8)  BENCH_USERS (1000000)  BENCH_COMPANIES (100000)
#   BENCH_LIGHTHOUSE (on)  BENCH_HOSTILE_POSTS (10000)
#   BENCH_BEFORE_BIN: another server binary to measure the same pages on, for a before/after
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
export BENCH_RESULTS="$work/results.tsv"
: > "$BENCH_RESULTS"
# One line of the pass/fail table: check, target, measured, PASS/FAIL.
verdict() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$BENCH_RESULTS"; }
# Resident memory of a process in MiB: field VmRSS (now) or VmHWM (peak).
rss_mib() { awk -v f="$2:" '$1 == f { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
server=""
stop_server() { if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=""; fi; }
trap 'stop_server; rm -rf "$work"' EXIT

start_server() { # $1: database file; $2: the binary (default: the bench build)
  LEPTOS_SITE_ADDR="127.0.0.1:$PORT" DATABASE_URL="sqlite://$1" GATEHOUSE_MAIL_DIR="$work/mail" \
    GATEHOUSE_IP_RATE_LIMIT=off GATEHOUSE_ADMIN_PASSWORD=bench-Copper-Lantern-Meadow-4821 RUST_LOG=warn GATEHOUSE_JOBS=off \
    taskset -c 0 "${2:-$TARGET_DIR/release/gatehouse}" &
  server=$!
  for _ in $(seq 1 200); do curl -sf "$BASE/readyz" >/dev/null && return 0; sleep 0.1; done
  echo "server did not become ready" >&2; exit 1
}

echo "Gatehouse on one core (taskset -c 0), load from core 1, SQLite, ${SECONDS_PER_RUN} s per run, $CONCURRENCY clients"
echo
hash_ms=$(taskset -c 0 "$TARGET_DIR/release/gatehouse-bench" hash)
start_server "$work/signin.db"
sleep 2 # settled: the idle figure is the server after start-up, before any request
idle_rss=$(rss_mib "$server" VmRSS)
verdict "server RSS, idle" "<= 60 MB" "$idle_rss MiB" "$(awk -v m="$idle_rss" 'BEGIN { print (m <= 60 ? "PASS" : "FAIL") }')"
taskset -c 1 "$TARGET_DIR/release/gatehouse-bench" sign-in "$BASE" "$SECONDS_PER_RUN" "$CONCURRENCY" "$hash_ms" \
  "sqlite://$work/signin.db"
peak_rss=$(rss_mib "$server" VmHWM)
echo "| server RSS: idle after start-up / peak through the sign-in load | $idle_rss MiB / $peak_rss MiB |"
verdict "server RSS, peak under the sign-in load" "<= 400 MB" "$peak_rss MiB" "$(awk -v m="$peak_rss" 'BEGIN { print (m <= 400 ? "PASS" : "FAIL") }')"
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

# Before and after (issue 11): the same pages at the full size on another build of the server
# (BENCH_BEFORE_BIN, e.g. the commit before the issue's work), for the note; no verdicts.
if [ -n "${BENCH_BEFORE_BIN:-}" ]; then
  echo
  echo "Before: $BENCH_BEFORE_BIN"
  start_server "$work/before-$USERS.db" "$BENCH_BEFORE_BIN"
  BENCH_RESULTS="$work/before.tsv" taskset -c 1 "$TARGET_DIR/release/gatehouse-bench" admin "$BASE" \
    "sqlite://$work/before-$USERS.db" "$USERS" "$COMPANIES" "$SECONDS_PER_RUN" "$CONCURRENCY" | tail -n 2
  BENCH_RESULTS="$work/before.tsv" taskset -c 1 "$TARGET_DIR/release/gatehouse-bench" console-users "$BASE" \
    "sqlite://$work/before-$USERS.db" "$USERS" "$SECONDS_PER_RUN" "$CONCURRENCY"
  stop_server
  rm -f "$work/before-$USERS.db"*
fi

# CON-7: the customer import of a generated file (100,000 rows by default), in process through
# the import use case: preview, commit, and the same file again (nothing new). SQLite, then
# PostgreSQL when BENCH_DATABASE_URL names a server (the run creates and drops its own database).
IMPORT_ROWS="${BENCH_IMPORT_ROWS:-100000}"
echo
taskset -c 0 "$TARGET_DIR/release/gatehouse-bench" import "sqlite://$work/import.db" "$IMPORT_ROWS"
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  "$TARGET_DIR/release/gatehouse-bench" import "$BENCH_DATABASE_URL" "$IMPORT_ROWS"
fi

# Hostile input (issue 11 item 4): random and malformed posts to every form and server function
# (the test `make test` runs with a smaller count), on SQLite and, with TEST_DATABASE_URL, PostgreSQL.
echo
HOSTILE_POSTS="${BENCH_HOSTILE_POSTS:-10000}"
if GATEHOUSE_HOSTILE_POSTS="$HOSTILE_POSTS" cargo test -q -p server --test integration -- \
  http_hostile_input:: --nocapture 2>&1 | tee "$work/hostile.log" | grep -E "statuses|test result"; then
  verdict "hostile posts to every form and server function" "0 answers 5xx" "$HOSTILE_POSTS posts a database, none 5xx" PASS
else
  verdict "hostile posts to every form and server function" "0 answers 5xx" "failed: see the log above" FAIL
  tail -n 40 "$work/hostile.log"
fi

# First visit of /register on the release build as `make run` serves it (hashed, precompressed
# files): total bytes transferred and Lighthouse's mobile scores, headless Chromium.
if [ "${BENCH_LIGHTHOUSE:-on}" != off ]; then
  echo
  cargo leptos build --release --precompress
  LH_DIR="${GATEHOUSE_TOOLS:-$HOME/.gatehouse-tools}/lighthouse"
  if [ ! -x "$LH_DIR/node_modules/.bin/lighthouse" ]; then
    npm install --loglevel=error --no-audit --no-fund --prefix "$LH_DIR" lighthouse@12.8.2 \
      || { echo "bench: could not install Lighthouse from the npm registry (see npm's error above)" >&2; exit 1; }
  fi
  start_server "$work/lighthouse.db" "${CARGO_TARGET_DIR:-target}/release/gatehouse"
  # /register is the target; a registration form (the first page that loads the app's wasm) is
  # reported beside it, for information.
  for page in register register/individual; do
    CHROME_PATH="${CHROMIUM:-/usr/bin/chromium}" "$LH_DIR/node_modules/.bin/lighthouse" "$BASE/$page" \
      --only-categories=performance,accessibility --output=json --output-path="$work/lighthouse-${page//\//-}.json" --quiet \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync"
  done
  stop_server
  node -e '
    const line = (c, t, m, verdict) => `${c}\t${t}\t${m}\t${verdict}\n`;
    for (const [file, page, target] of [[process.argv[1], "/register", true], [process.argv[2], "/register/individual", false]]) {
      const r = require(file);
      const kb = r.audits["total-byte-weight"].numericValue / 1024;
      const perf = Math.round(r.categories.performance.score * 100);
      const a11y = Math.round(r.categories.accessibility.score * 100);
      const items = r.audits["network-requests"].details.items.map(i => `${i.url.replace(/^https?:\/\/[^/]+/, "")} ${(i.transferSize / 1024).toFixed(1)} KiB`);
      console.log(`| first visit of ${page}: ${items.join(", ")} | ${kb.toFixed(1)} KiB in all |`);
      console.log(`| Lighthouse (mobile), ${page} | performance ${perf}, accessibility ${a11y} |`);
      const ok = (pass) => (target ? (pass ? "PASS" : "FAIL") : "info");
      require("fs").appendFileSync(process.env.BENCH_RESULTS,
        line(`first visit of ${page}, bytes transferred`, target ? "<= 250 KB" : "-", `${kb.toFixed(1)} KiB`, ok(kb * 1024 <= 250000)) +
        line(`Lighthouse performance (mobile), ${page}`, target ? ">= 95" : "-", `${perf}`, ok(perf >= 95)) +
        line(`Lighthouse accessibility (mobile), ${page}`, "100", `${a11y}`, a11y === 100 ? "PASS" : "FAIL"));
    }
  ' "$work/lighthouse-register.json" "$work/lighthouse-register-individual.json"
fi

echo
echo "| check | target | measured | result |"
echo "| --- | --- | --- | --- |"
awk -F '\t' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' "$BENCH_RESULTS"
failed=$(grep -c $'\tFAIL$' "$BENCH_RESULTS" || true)
echo
if [ "$failed" -gt 0 ]; then
  echo "bench: $failed of $(wc -l < "$BENCH_RESULTS") targets FAILED"
  exit 1
fi
echo "bench: all $(wc -l < "$BENCH_RESULTS") targets passed"

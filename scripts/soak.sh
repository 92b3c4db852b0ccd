#!/usr/bin/env bash
# `make soak` (issue 11): the release server under SOAK_USERS (50) simulated users walking the real
# journeys (soak/: goose), on SQLite and on PostgreSQL, then under faults (kill -9, SMTP sink
# down, PostgreSQL restarted, disk full) and as two instances behind a round-robin proxy (nginx).
# Prints a PASS/FAIL table of every check; exits non-zero on any FAIL. Not part of `make test`.
#
#   SOAK_SECONDS (300)            load per plain phase (sqlite, postgres, multi)
#   SOAK_FAULT_SECONDS (120)      load per fault phase (kill9, pg-restart, disk-full)
#   SOAK_SMTP_DOWN_SECONDS (300)  how long the SMTP sink is down in smtp-down
#   SOAK_PG_DOWN_SECONDS (5)      how long PostgreSQL stays stopped in pg-restart
#   SOAK_USERS (50)  SOAK_PORT (3500)  SOAK_PHASES ("sqlite postgres kill9 smtp-down pg-restart disk-full multi")
#   SOAK_BUILD (1)  0 reruns with the binaries built before
#   SOAK_PG_URL (postgres://postgres@127.0.0.1:5432)  the server for the PostgreSQL phases; each
#                 phase creates and drops a database of its own there
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
SECONDS_LOAD="${SOAK_SECONDS:-300}"
SECONDS_FAULT="${SOAK_FAULT_SECONDS:-120}"
SMTP_DOWN="${SOAK_SMTP_DOWN_SECONDS:-300}"
PG_DOWN="${SOAK_PG_DOWN_SECONDS:-5}"
USERS="${SOAK_USERS:-50}"
PORT="${SOAK_PORT:-3500}"
PHASES="${SOAK_PHASES:-sqlite postgres kill9 smtp-down pg-restart disk-full multi}"
PG_URL="${SOAK_PG_URL:-postgres://postgres@127.0.0.1:5432}"
TOOLS="${GATEHOUSE_TOOLS:-$HOME/.gatehouse-tools}"
PY="$TOOLS/venv/bin/python"
ADMIN_PASSWORD=soak-Copper-Lantern-Meadow-4821

log() { printf '[soak %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
now_ms() { date +%s%3N; }

# --- What the run needs -------------------------------------------------------------------
bash scripts/setup-test-tools.sh # aiosmtpd in $TOOLS/venv
missing=()
command -v sqlite3 >/dev/null || missing+=(sqlite3)
command -v psql >/dev/null || missing+=(postgresql-client)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} from Debian"
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if [ "${SOAK_BUILD:-1}" = 0 ]; then
  log "SOAK_BUILD=0: using the binaries built before"
else
  log "building the release server and the load generator"
  cargo build --release --target-dir "$TARGET_DIR/bench" -p server --features bench --bin gatehouse
  cargo build --release --manifest-path soak/Cargo.toml --target-dir "$TARGET_DIR/soak"
fi
SERVER="$TARGET_DIR/bench/release/gatehouse"
LOAD="$TARGET_DIR/soak/release/gatehouse-soak"

work=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-soak.XXXXXX")
RESULTS="$work/results.tsv"
: >"$RESULTS"
declare -A server_pid=()
sink_pid=""
nginx_conf=""
pg_databases=()
mounts=()

cleanup() {
  for name in "${!server_pid[@]}"; do kill "${server_pid[$name]}" 2>/dev/null || true; done
  [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null || true
  [ -n "$nginx_conf" ] && "$NGINX" -c "$nginx_conf" -s quit 2>/dev/null || true
  wait 2>/dev/null || true
  for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || true; done
  for db in "${pg_databases[@]}"; do psql "$PG_URL/postgres" -Xq -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true; done
  if [ "${SOAK_KEEP:-0}" = 1 ]; then log "records kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

result() { # PASS|FAIL phase check detail
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$RESULTS"
  printf '%s  %s  %s  %s\n' "$1" "$2" "$3" "$4" >&2
}

# --- Pieces ----------------------------------------------------------------------------------
start_sink() { # port log links
  "$PY" soak/smtp_sink.py "$1" "$2" "$3" >>"$work/sink.log" 2>&1 &
  sink_pid=$!
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  log "the SMTP sink did not start"; exit 1
}
stop_sink() { [ -n "$sink_pid" ] && { kill "$sink_pid" 2>/dev/null || true; wait "$sink_pid" 2>/dev/null || true; sink_pid=""; }; }

wait_ready() { # url seconds
  local deadline=$(($(date +%s) + $2))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    curl -sf --max-time 2 "$1/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

start_server() { # name port database_url public_url smtp_port logfile
  LEPTOS_SITE_ADDR="127.0.0.1:$2" DATABASE_URL="$3" GATEHOUSE_PUBLIC_URL="$4" \
    GATEHOUSE_SMTP_URL="smtp://127.0.0.1:$5" GATEHOUSE_IP_RATE_LIMIT=off \
    GATEHOUSE_ADMIN_PASSWORD="$ADMIN_PASSWORD" RUST_LOG="${SOAK_RUST_LOG:-warn}" \
    LEPTOS_SITE_ROOT="$ROOT/target/site" "$SERVER" >>"$6" 2>&1 &
  server_pid[$1]=$!
  wait_ready "http://127.0.0.1:$2" 60 || { log "server $1 did not become ready (see $6)"; tail -20 "$6" >&2; exit 1; }
}
stop_server() { # name
  local pid=${server_pid[$1]:-}
  [ -n "$pid" ] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  unset "server_pid[$1]"
}

load() { # out host seconds [origin] — runs goose in the foreground
  local out=$1 host=$2 seconds=$3 origin=${4:-$2}
  mkdir -p "$out"
  SOAK_OUT="$out" SOAK_RUN="$(basename "$out")" SOAK_LINKS="$out/links" SOAK_ORIGIN="$origin" \
    "$LOAD" --host "$host" --users "$USERS" --increase-rate "$(( (USERS + 9) / 10 ))" --run-time "${seconds}s" --no-reset-metrics \
    --report-file "$out/report.html" --error-log "$out/errors.log" --no-print-metrics --quiet >"$out/goose.log" 2>&1 || true
}

form() { # username → an individual registration form, urlencoded
  echo "first_name=Pia&last_name=Probe&email=$1@soak.example&phone=&username=$1&password=copper+kettle+harbor+7&password_confirm=copper+kettle+harbor+7"
}

pg_database() { # name → url
  local db="gatehouse_soak_$$_${1//-/_}"
  psql "$PG_URL/postgres" -Xq -c "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1
  psql "$PG_URL/postgres" -Xq -c "CREATE DATABASE \"$db\"" >/dev/null
  pg_databases+=("$db")
  echo "$PG_URL/$db"
}

check() { # phase out db_url sink_log [check.py options…]
  local phase=$1 out=$2 db=$3 sink=$4
  shift 4
  "$PY" soak/check.py --phase "$phase" --out "$out" --db "$db" --sink "$sink" --results "$RESULTS" "$@" >&2 ||
    result FAIL "$phase" "checks ran" "check.py failed (see above)"
}

# --- Phases ----------------------------------------------------------------------------------
plain_phase() { # phase database_url
  local phase=$1 db=$2 dir="$work/$1" smtp=$((PORT + 25))
  mkdir -p "$dir"
  start_sink "$smtp" "$dir/sink.jsonl" "$dir/load/links"
  start_server main "$PORT" "$db" "http://127.0.0.1:$PORT" "$smtp" "$dir/server.log"
  log "$phase: $USERS users for ${SECONDS_LOAD}s"
  load "$dir/load" "http://127.0.0.1:$PORT" "$SECONDS_LOAD"
  check "$phase" "$dir/load" "$db" "$dir/sink.jsonl" --strict --log "$dir/server.log"
  stop_server main
  stop_sink
}

phase_sqlite() { plain_phase sqlite "sqlite://$work/sqlite/gatehouse.db"; }
phase_postgres() { plain_phase postgres "$(pg_database postgres)"; }

# kill -9 of the server in the middle of the load, restarted at once on the same database.
phase_kill9() {
  local phase=kill9 dir="$work/kill9" smtp=$((PORT + 25)) db="sqlite://$work/kill9/gatehouse.db"
  mkdir -p "$dir"
  start_sink "$smtp" "$dir/sink.jsonl" "$dir/load/links"
  start_server main "$PORT" "$db" "http://127.0.0.1:$PORT" "$smtp" "$dir/server.log"
  log "$phase: $USERS users for ${SECONDS_FAULT}s, kill -9 at $((SECONDS_FAULT / 2))s"
  load "$dir/load" "http://127.0.0.1:$PORT" "$SECONDS_FAULT" &
  local loader=$!
  sleep $((SECONDS_FAULT / 2))
  kill -9 "${server_pid[main]}"
  wait "${server_pid[main]}" 2>/dev/null || true
  local killed=$(now_ms)
  start_server main "$PORT" "$db" "http://127.0.0.1:$PORT" "$smtp" "$dir/server.log"
  result PASS "$phase" "restarted after kill -9" "ready $(($(now_ms) - killed)) ms after the kill"
  wait "$loader"
  # Requests cut by the kill are connection errors, not answers; a 5xx would still be a FAIL.
  check "$phase" "$dir/load" "$db" "$dir/sink.jsonl" --resends-ok --log "$dir/server.log"
  stop_server main
  stop_sink
}

# The SMTP sink down for SMTP_DOWN seconds under load: every message is delivered after it returns.
phase_smtp_down() {
  local phase=smtp-down dir="$work/smtp-down" smtp=$((PORT + 25)) db="sqlite://$work/smtp-down/gatehouse.db"
  mkdir -p "$dir"
  start_sink "$smtp" "$dir/sink.jsonl" "$dir/load/links"
  start_server main "$PORT" "$db" "http://127.0.0.1:$PORT" "$smtp" "$dir/server.log"
  local seconds=$((SMTP_DOWN + 30))
  log "$phase: $USERS users for ${seconds}s, the SMTP sink down from 10s for ${SMTP_DOWN}s"
  SOAK_RESET_WAIT=10 load "$dir/load" "http://127.0.0.1:$PORT" "$seconds" &
  local loader=$!
  sleep 10
  stop_sink
  local down=$(now_ms)
  sleep "$SMTP_DOWN"
  start_sink "$smtp" "$dir/sink.jsonl" "$dir/load/links"
  local up=$(now_ms)
  local queued
  queued=$(sqlite3 "$work/smtp-down/gatehouse.db" "SELECT COUNT(*) FROM outbox WHERE status <> 'sent'")
  result "$([ "$queued" -gt 0 ] && echo PASS || echo FAIL)" "$phase" "mail waited while the sink was down" \
    "$queued messages unsent after $(((up - down) / 1000)) s down"
  wait "$loader"
  # Backoff doubles from 5 s: a message that failed just before the sink came back waits up to
  # another ~320 s.
  check "$phase" "$dir/load" "$db" "$dir/sink.jsonl" --drain $((SMTP_DOWN + 420)) \
    --require individual,company,contact,staff,approved,forgot --log "$dir/server.log"
  local failed
  failed=$(sqlite3 "$work/smtp-down/gatehouse.db" "SELECT COUNT(*) FROM outbox WHERE status = 'failed'")
  result "$([ "$failed" = 0 ] && echo PASS || echo FAIL)" "$phase" "no message given up" "$failed failed"
  stop_server main
  stop_sink
}

# PostgreSQL stopped for PG_DOWN seconds and started again under load: /readyz fails, then
# recovers without a server restart; nothing hangs; no panic.
phase_pg_restart() {
  local phase=pg-restart dir="$work/pg-restart" smtp=$((PORT + 25)) db
  db=$(pg_database pg_restart)
  mkdir -p "$dir"
  local cluster
  cluster=$(ls /etc/postgresql | sort -V | tail -n 1)
  start_sink "$smtp" "$dir/sink.jsonl" "$dir/load/links"
  start_server main "$PORT" "$db" "http://127.0.0.1:$PORT" "$smtp" "$dir/server.log"
  local pid=${server_pid[main]} base="http://127.0.0.1:$PORT"
  log "$phase: $USERS users for ${SECONDS_FAULT}s, PostgreSQL $cluster stopped at $((SECONDS_FAULT / 3))s for ${PG_DOWN}s"
  load "$dir/load" "$base" "$SECONDS_FAULT" &
  local loader=$!
  sleep $((SECONDS_FAULT / 3))
  ( while :; do printf '%s %s\n' "$(now_ms)" "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$base/readyz")"; sleep 0.2; done ) >"$dir/readyz.log" 2>/dev/null &
  local monitor=$!
  local stopped=$(now_ms)
  pg_ctlcluster --skip-systemctl-redirect "$cluster" main stop -m fast
  sleep "$PG_DOWN"
  pg_ctlcluster --skip-systemctl-redirect "$cluster" main start
  local started=$(now_ms)
  local recovered=""
  for _ in $(seq 1 300); do
    if curl -sf --max-time 5 "$base/readyz" >/dev/null; then recovered=$(now_ms); break; fi
    sleep 0.1
  done
  sleep 2
  kill "$monitor" 2>/dev/null || true
  wait "$monitor" 2>/dev/null || true
  # A prompt 503, not a probe left without an answer (curl gives up after 5 s: "000").
  local refused hung polls
  refused=$(awk -v a="$stopped" -v b="$started" '$1 >= a && $1 <= b && $2 == 503' "$dir/readyz.log" | wc -l)
  hung=$(awk -v a="$stopped" -v b="$started" '$1 >= a && $1 <= b && $2 == "000"' "$dir/readyz.log" | wc -l)
  polls=$(awk -v a="$stopped" -v b="$started" '$1 >= a && $1 <= b' "$dir/readyz.log" | wc -l)
  result "$([ "$refused" -gt 0 ] && [ "$hung" = 0 ] && echo PASS || echo FAIL)" "$phase" "/readyz answers 503 while PostgreSQL is down" \
    "$polls polls during the outage: $refused answered 503, $hung no answer within 5 s, $((polls - refused - hung)) answered 200"
  if [ -n "$recovered" ] && kill -0 "$pid" 2>/dev/null && [ "${server_pid[main]}" = "$pid" ]; then
    result PASS "$phase" "/readyz recovers without a server restart" "$((recovered - started)) ms after PostgreSQL started; same process $pid"
  else
    result FAIL "$phase" "/readyz recovers without a server restart" "not ready within 30 s of PostgreSQL's start"
  fi
  # No stuck request: right after recovery, pages and a registration answer promptly.
  local t0 t1 code user="probe-$$-pgr"
  t0=$(now_ms)
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "Origin: $base" \
    --data "$(form "$user")" \
    "$base/register/individual" || echo timeout)
  t1=$(now_ms)
  result "$([ "$code" = 303 ] && echo PASS || echo FAIL)" "$phase" "a registration right after recovery" "$code in $((t1 - t0)) ms"
  local load_started=$(( stopped - SECONDS_FAULT / 3 * 1000 ))
  wait "$loader"
  local overrun=$(( $(now_ms) - load_started - SECONDS_FAULT * 1000 ))
  result "$([ "$overrun" -lt 65000 ] && echo PASS || echo FAIL)" "$phase" "no stuck request" \
    "the load ended $((overrun / 1000)) s after its run time (requests time out after 60 s)"
  check "$phase" "$dir/load" "$db" "$dir/sink.jsonl" --fivexx-window "$stopped,$((${recovered:-$started} + 5000))" \
    --log "$dir/server.log"
  stop_server main
  stop_sink
}

# SQLite on a small filesystem filled up under load, then freed: clear errors, no panic, the
# database intact.
phase_disk_full() {
  local phase=disk-full dir="$work/disk-full" smtp=$((PORT + 25))
  mkdir -p "$dir/disk"
  if ! mount -t tmpfs -o "size=${SOAK_DISK_MB:-32}m" tmpfs "$dir/disk" 2>/dev/null; then
    result FAIL "$phase" "a small filesystem" "mount -t tmpfs failed (needs root): phase not run"
    return
  fi
  mounts+=("$dir/disk")
  local file="$dir/disk/gatehouse.db" db="sqlite://$dir/disk/gatehouse.db" base="http://127.0.0.1:$PORT"
  start_sink "$smtp" "$dir/sink.jsonl" "$dir/load/links"
  start_server main "$PORT" "$db" "$base" "$smtp" "$dir/server.log"
  local pid=${server_pid[main]}
  log "$phase: $USERS users for ${SECONDS_FAULT}s, the disk full from $((SECONDS_FAULT / 3))s for $((SECONDS_FAULT / 3))s"
  load "$dir/load" "$base" "$SECONDS_FAULT" &
  local loader=$!
  sleep $((SECONDS_FAULT / 3))
  local full=$(now_ms)
  dd if=/dev/zero of="$dir/disk/filler" bs=64k status=none 2>/dev/null || true
  log "$phase: $(df -h --output=avail "$dir/disk" | tail -n 1 | tr -d ' ') left"
  local code user="probe-$$-full" verdict=FAIL
  code=$(curl -s -o "$dir/full-answer.html" -D "$dir/full-headers" -w '%{http_code}' --max-time 10 -H "Origin: $base" \
    --data "$(form "$user")" "$base/register/individual" || echo timeout)
  local ref
  ref=$(sed -n 's/^x-request-id: *//Ip' "$dir/full-headers" | tr -d '\r')
  # Saved (the page after it), or 503 "out of storage space" with the reference code.
  case "$code" in
    303) verdict=PASS ;;
    503) [ -n "$ref" ] && grep -q "$ref" "$dir/full-answer.html" && grep -q "out of storage space" "$dir/full-answer.html" \
      && verdict=PASS ;;
  esac
  result "$verdict" "$phase" "a registration on a full disk: saved, or 503 out of storage space" \
    "$code: $(sed -n 's/.*role="alert"[^>]*>\([^<]*\)<.*/\1/p' "$dir/full-answer.html" | head -n 1 | cut -c1-160)"
  sleep $((SECONDS_FAULT / 3))
  rm -f "$dir/disk/filler"
  local freed=$(now_ms)
  wait "$loader"
  if kill -0 "$pid" 2>/dev/null && curl -sf --max-time 5 "$base/readyz" >/dev/null; then
    result PASS "$phase" "the server survives and is ready" "same process $pid"
  else
    result FAIL "$phase" "the server survives and is ready" "process $pid gone or not ready"
  fi
  local integrity
  integrity=$(sqlite3 "$file" "PRAGMA integrity_check" 2>&1 | tr '\n' ' ')
  result "$([ "$integrity" = "ok " ] && echo PASS || echo FAIL)" "$phase" "PRAGMA integrity_check after space returns" "$integrity"
  check "$phase" "$dir/load" "$db" "$dir/sink.jsonl" --fivexx-window "$full,$((freed + 2000))" --log "$dir/server.log"
  # Decided: while the disk is full a write may fail with a 5xx, but a clear one (the page and
  # the request's reference code, the detail in the log), never a hang, an empty answer or a
  # panic; reads go on working.
  local unclear
  unclear=$(awk -F'\t' -v a="$full" -v b="$((freed + 2000))" '$1 >= a && $1 <= b && $6 != "clear"' "$dir/load/fivexx.tsv" 2>/dev/null | wc -l)
  result "$([ "$unclear" = 0 ] && echo PASS || echo FAIL)" "$phase" "5xx while full are clear errors" \
    "$unclear without the page's reference code"
  stop_server main
  stop_sink
}

# Two instances on one PostgreSQL behind nginx (round robin): sessions valid on both, jobs once.
phase_multi() {
  local phase=multi dir="$work/multi" smtp=$((PORT + 25)) db a=$((PORT + 1)) b=$((PORT + 2))
  db=$(pg_database multi)
  mkdir -p "$dir"
  local public="http://127.0.0.1:$PORT"
  nginx_conf="$dir/nginx.conf"
  cat >"$nginx_conf" <<EOF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log $dir/nginx-access.log combined;
  log_format upstream '\$upstream_addr \$status';
  access_log $dir/nginx-upstream.log upstream;
  client_body_temp_path $dir/nginx-body;
  proxy_temp_path $dir/nginx-proxy;
  fastcgi_temp_path $dir/nginx-fastcgi;
  uwsgi_temp_path $dir/nginx-uwsgi;
  scgi_temp_path $dir/nginx-scgi;
  upstream gatehouse { server 127.0.0.1:$a; server 127.0.0.1:$b; keepalive 32; }
  server {
    listen 127.0.0.1:$PORT;
    location / {
      proxy_pass http://gatehouse;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_next_upstream off;
    }
  }
}
EOF
  "$NGINX" -c "$nginx_conf" -e "$dir/nginx-error.log"
  start_sink "$smtp" "$dir/sink.jsonl" "$dir/load/links"
  start_server a "$a" "$db" "$public" "$smtp" "$dir/server-a.log"
  start_server b "$b" "$db" "$public" "$smtp" "$dir/server-b.log"
  wait_ready "$public" 10 || { result FAIL "$phase" "nginx" "not answering on $PORT"; return; }

  # A session made on one instance is valid on the other (the store is the database).
  local jar="$dir/cookies" user="probe-$$-multi"
  curl -s -o /dev/null -c "$jar" -H "Origin: $public" \
    --data "$(form "$user")" \
    "http://127.0.0.1:$a/register/individual"
  # The page header names the signed-in user ("Pia Probe") with "Sign out".
  local on_a on_b signed_out
  on_a=$(curl -s -b "$jar" "http://127.0.0.1:$a/profile" | grep -c "Sign out" || true)
  on_b=$(curl -s -b "$jar" "http://127.0.0.1:$b/profile" | grep -c "Sign out" || true)
  signed_out=$(curl -s "http://127.0.0.1:$b/profile" | grep -c "Sign out" || true)
  result "$([ "$on_a" -gt 0 ] && [ "$on_b" -gt 0 ] && [ "$signed_out" = 0 ] && echo PASS || echo FAIL)" "$phase" \
    "a session from instance A is valid on B" "signed in on /profile with A's cookie: on A $([ "$on_a" -gt 0 ] && echo yes || echo no), on B $([ "$on_b" -gt 0 ] && echo yes || echo no); without the cookie: $([ "$signed_out" -gt 0 ] && echo yes || echo no)"
  # Work for the jobs of both instances: staff requests left pending past a 1-minute approval
  # timeout (APR-7: reminded and moved on), and Disables due now (CON-3).
  local seeded=${SOAK_SEEDED:-5} i
  psql "$db" -XAtqc "UPDATE settings SET value = '1' WHERE key = 'approval_timeout_minutes'"
  local company="probe-$$-co" registry
  curl -s -o /dev/null -c "$dir/co-jar" -H "Origin: $public" -D "$dir/co-headers" \
    --data "$(form "$company")&company_name=Soak+Pending+Co&address_line1=1+Main+St&city=Springfield&postal_code=12345&country=US" \
    "$public/register/company_primary"
  registry=$(curl -s -b "$dir/co-jar" "$public$(sed -n 's/^[Ll]ocation: *//p' "$dir/co-headers" | tr -d '\r')" |
    sed -n 's/.*class="registry-id">\([^<]*\)<.*/\1/p' | head -n 1)
  for i in $(seq 1 "$seeded"); do
    curl -s -o /dev/null -H "Origin: $public" --data "$(form "probe-$$-wait$i")&registry_id=$registry" "$public/register/company_business"
    curl -s -o /dev/null -H "Origin: $public" --data "$(form "probe-$$-off$i")" "$public/register/individual"
  done
  psql "$db" -XAtqc "INSERT INTO user_disable_schedules (user_id, effective_at, justification, created_at)
    SELECT id, $(now_ms), 'soak: due now', $(now_ms) FROM users WHERE username LIKE 'probe-$$-off%'"

  log "$phase: $USERS users for ${SECONDS_LOAD}s through nginx round robin over :$a and :$b"
  load "$dir/load" "$public" "$SECONDS_LOAD"
  # The jobs tick once a minute: give a short run the time they need.
  local waited=0
  while [ "$waited" -lt 200 ]; do
    [ "$(psql "$db" -XAtc "SELECT COUNT(*) FROM requests r JOIN users u ON u.id = r.user_id
      WHERE u.username LIKE 'probe-$$-wait%' AND NOT EXISTS (SELECT 1 FROM request_decisions d
      WHERE d.request_id = r.id AND d.decision = 'rerouted')")" = 0 ] &&
      [ "$(psql "$db" -XAtc "SELECT COUNT(*) FROM user_disable_schedules")" = 0 ] && break
    sleep 5
    waited=$((waited + 5))
  done
  local disabled once
  disabled=$(psql "$db" -XAtc "SELECT COUNT(*) FROM users WHERE username LIKE 'probe-$$-off%' AND status = 'inactive'")
  once=$(psql "$db" -XAtc "SELECT COUNT(*) FROM (SELECT a.subject_id FROM audit_log a JOIN users u ON u.id = a.subject_id
    WHERE u.username LIKE 'probe-$$-off%' AND a.action = 'user.disabled' GROUP BY a.subject_id HAVING COUNT(*) = 1) x")
  result "$([ "$disabled" = "$seeded" ] && [ "$once" = "$seeded" ] && echo PASS || echo FAIL)" "$phase" \
    "scheduled disables applied once" "$disabled of $seeded inactive; $once with exactly one user.disabled entry"
  local rerouted twice
  rerouted=$(psql "$db" -XAtc "SELECT COUNT(DISTINCT d.request_id) FROM request_decisions d JOIN requests r ON r.id = d.request_id
    JOIN users u ON u.id = r.user_id WHERE u.username LIKE 'probe-$$-wait%' AND d.decision = 'rerouted'")
  twice=$(psql "$db" -XAtc "SELECT COUNT(*) FROM (SELECT d.request_id, d.step FROM request_decisions d
    WHERE d.decision = 'rerouted' GROUP BY d.request_id, d.step HAVING COUNT(*) > 1) x")
  result "$([ "$rerouted" = "$seeded" ] && [ "$twice" = 0 ] && echo PASS || echo FAIL)" "$phase" \
    "approval timeouts handled once" "$rerouted of $seeded pending requests moved on; $twice steps moved on twice"
  local served_a served_b
  served_a=$(grep -c "127.0.0.1:$a " "$dir/nginx-upstream.log" || true)
  served_b=$(grep -c "127.0.0.1:$b " "$dir/nginx-upstream.log" || true)
  result "$([ "$served_a" -gt 0 ] && [ "$served_b" -gt 0 ] && echo PASS || echo FAIL)" "$phase" "both instances served" \
    "A $served_a requests, B $served_b"
  check "$phase" "$dir/load" "$db" "$dir/sink.jsonl" --strict --log "$dir/server-a.log" --log "$dir/server-b.log"
  stop_server a
  stop_server b
  "$NGINX" -c "$nginx_conf" -s quit 2>/dev/null || true
  nginx_conf=""
  stop_sink
}

started=$(date +%s)
for phase in $PHASES; do
  fn="phase_${phase//-/_}"
  if ! declare -F "$fn" >/dev/null; then result FAIL "$phase" "phase" "unknown phase"; continue; fi
  log "=== $phase ==="
  "$fn"
done

echo
echo "Gatehouse soak: $USERS users; load ${SECONDS_LOAD}s per plain phase, ${SECONDS_FAULT}s per fault phase, SMTP down ${SMTP_DOWN}s; $(( ($(date +%s) - started) / 60 )) min in all"
echo
"$PY" - "$RESULTS" <<'EOF'
import sys, textwrap
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
w_phase = max([len(r[1]) for r in rows] + [5])
w_check = max([len(r[2]) for r in rows] + [5])
print(f"{'':4}  {'phase':<{w_phase}}  {'check':<{w_check}}  detail")
for r in rows:
    lines = textwrap.wrap(r[3], 100) or [""]
    print(f"{r[0]:4}  {r[1]:<{w_phase}}  {r[2]:<{w_check}}  {lines[0]}")
    for more in lines[1:]:
        print(f"{'':4}  {'':<{w_phase}}  {'':<{w_check}}    {more}")
fails = sum(r[0] == "FAIL" for r in rows)
print(f"\n{len(rows)} checks, {fails} FAIL")
EOF
! grep -q '^FAIL' "$RESULTS"

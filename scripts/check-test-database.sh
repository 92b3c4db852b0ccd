#!/usr/bin/env bash
# OPS-2: the integration suite runs on PostgreSQL when TEST_DATABASE_URL is set. Under CI it
# must be set and reachable: the suite fails rather than silently skipping PostgreSQL.
set -euo pipefail
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests are required in CI" >&2
    exit 1
  fi
  echo "[test] TEST_DATABASE_URL not set: PostgreSQL tests are skipped (SQLite only)" >&2
  exit 0
fi
if ! command -v psql >/dev/null; then
  echo "[test] psql not found; the Rust tests will check the connection themselves" >&2
  exit 0
fi
if ! psql "$TEST_DATABASE_URL" -qtAc 'SELECT 1' >/dev/null 2>&1; then
  echo "TEST_DATABASE_URL is set but PostgreSQL is unreachable: $(echo "$TEST_DATABASE_URL" | sed 's#//[^@]*@#//***@#')" >&2
  exit 1
fi
echo "[test] PostgreSQL reachable: integration tests run on SQLite and PostgreSQL" >&2

#!/usr/bin/env bash
# `make fuzz` (and the end of `make bench`): hostile input (issue 11). Builds every cargo-fuzz
# target of fuzz/ once, runs each from its committed corpus for an equal share of the
# executions, and prints a table. Fails on any crash (a panic in the domain is a bug) and when
# the total falls short.
#   FUZZ_TOTAL_RUNS (10000000)  FUZZ_JOBS (2: targets run side by side)  FUZZ_TARGETS (all)
#   FUZZ_SANITIZER (none)  FUZZ_TARGET_DIR (${CARGO_TARGET_DIR:-target}/fuzz)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS="${GATEHOUSE_TOOLS:-$HOME/.gatehouse-tools}"
CARGO_FUZZ_VERSION=0.13.2
TOTAL_RUNS="${FUZZ_TOTAL_RUNS:-10000000}"
JOBS="${FUZZ_JOBS:-2}"
# The domain forbids unsafe code, so what a run can find is a panic; AddressSanitizer would
# halve the rate for memory errors that safe Rust cannot make. FUZZ_SANITIZER=address for them.
SANITIZER="${FUZZ_SANITIZER:-none}"
TARGET_DIR="${FUZZ_TARGET_DIR:-${CARGO_TARGET_DIR:-$ROOT/target}/fuzz}"
export PATH="$TOOLS/bin:$HOME/.cargo/bin:$PATH"
# libFuzzer's instrumentation needs unstable compiler options; this machine has stable Rust only.
export RUSTC_BOOTSTRAP=1

log() { printf '[fuzz] %s\n' "$*" >&2; }

if ! cargo-fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  log "installing cargo-fuzz $CARGO_FUZZ_VERSION (a minute or two, once per machine)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --root "$TOOLS" --version "$CARGO_FUZZ_VERSION" --locked cargo-fuzz
fi
if ! command -v c++ >/dev/null; then
  echo "libFuzzer is C++: install a C++ compiler (apt-get install g++)" >&2
  exit 1
fi

log "building the fuzz targets (sanitizer: $SANITIZER) into $TARGET_DIR"
cargo fuzz build --sanitizer "$SANITIZER" --target-dir "$TARGET_DIR"
BIN_DIR="$TARGET_DIR/$(rustc -vV | sed -n 's/^host: //p')/release"

if [ -n "${FUZZ_TARGETS:-}" ]; then
  read -r -a targets <<<"$FUZZ_TARGETS"
else
  mapfile -t targets < <(cargo fuzz list)
fi
per_target=$(((TOTAL_RUNS + ${#targets[@]} - 1) / ${#targets[@]}))

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p fuzz/artifacts

# One target: new inputs go to a scratch corpus (the first directory), so the committed seeds
# stay as they are; a crashing input is kept in fuzz/artifacts/<target>/.
run_target() {
  local target=$1 started
  mkdir -p "$work/corpus/$target" "fuzz/corpus/$target" "fuzz/artifacts/$target"
  started=$(date +%s.%N)
  set +e
  "$BIN_DIR/$target" -runs="$per_target" -print_final_stats=1 -timeout=10 \
    -artifact_prefix="fuzz/artifacts/$target/" "$work/corpus/$target" "fuzz/corpus/$target" \
    >"$work/$target.log" 2>&1
  echo "$? $(date +%s.%N) $started" >"$work/$target.status"
}

log "running ${#targets[@]} targets, $per_target executions each, $JOBS at a time"
started=$(date +%s)
for target in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
  run_target "$target" &
done
wait
elapsed=$(($(date +%s) - started))

stat() { sed -n "s/^stat::$1: *//p" "$work/$2.log" | tail -1; }
total=0
failed=0
printf '\n%-24s %12s %8s %8s  %s\n' target executions exec/s seconds result
for target in "${targets[@]}"; do
  read -r rc ended began <"$work/$target.status"
  executions=$(stat number_of_executed_units "$target")
  # Over the target's whole run, start-up and the corpus included (libFuzzer's own figure is
  # whole executions per whole second of fuzzing).
  seconds=$(awk -v a="$began" -v b="$ended" 'BEGIN { printf "%.1f", b - a }')
  rate=$(awk -v n="${executions:-0}" -v a="$began" -v b="$ended" 'BEGIN { printf "%d", n / (b - a) }')
  result=pass
  if [ "$rc" != 0 ] || [ -z "$executions" ]; then
    result="FAIL (exit $rc; fuzz/artifacts/$target/, log below)"
    failed=$((failed + 1))
  fi
  total=$((total + ${executions:-0}))
  printf '%-24s %12s %8s %8s  %s\n' "$target" "${executions:--}" "${rate:--}" "$seconds" "$result"
done
verdict=PASS
if [ "$failed" -gt 0 ] || [ "$total" -lt "$TOTAL_RUNS" ]; then verdict=FAIL; fi
printf '%-24s %12s %8s %8s  %s\n' "total (${#targets[@]})" "$total" "$((total / (elapsed > 0 ? elapsed : 1)))" \
  "$elapsed" "$verdict (at least $TOTAL_RUNS executions, no crash; $JOBS at a time)"

if [ "$verdict" = FAIL ]; then
  for target in "${targets[@]}"; do
    read -r rc _ <"$work/$target.status"
    if [ "$rc" != 0 ]; then
      echo
      echo "== $target (exit $rc): the end of its log"
      tail -40 "$work/$target.log"
    fi
  done
  exit 1
fi

# Gatehouse. The README's two commands: `make run` and `make test`.
# Everything a fresh machine needs is installed by `setup` (once per machine, outside the clone).

SHELL := /bin/bash
TOOLS ?= $(HOME)/.gatehouse-tools
export PATH := $(TOOLS)/bin:$(TOOLS)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export GATEHOUSE_TOOLS := $(TOOLS)
export CHROMIUM ?= /usr/bin/chromium
TARGET_DIR := $(if $(CARGO_TARGET_DIR),$(CARGO_TARGET_DIR),target)
# The release server binary the e2e suite and `make run` start.
export GATEHOUSE_BIN := $(abspath $(TARGET_DIR))/release/gatehouse
export LEPTOS_SITE_ROOT := $(abspath target/site)

.PHONY: setup setup-build setup-test run build build-release test test-unit test-pg-check e2e bench soak lint fmt clean

## Build tools (rust wasm target, cargo-leptos, wasm-bindgen, wasm-opt).
setup-build:
	@bash scripts/setup-tools.sh

## Test tools (Chromium, SMTP sink, Playwright packages).
setup-test:
	@bash scripts/setup-test-tools.sh
	@bash scripts/setup-e2e.sh

setup: setup-build setup-test

## Serve the portal at http://127.0.0.1:3000 on SQLite with the demo data.
run: setup-build
	cargo leptos build --release --precompress
	GATEHOUSE_DEMO_DATA=1 $(GATEHOUSE_BIN)

build: setup-build
	cargo leptos build

build-release: setup-build
	cargo leptos build --release --precompress

## Every test: unit, integration (SQLite; PostgreSQL with TEST_DATABASE_URL, required in CI), e2e.
test: setup test-pg-check test-unit e2e

test-pg-check:
	@bash scripts/check-test-database.sh

test-unit:
	cargo test -p app --features ssr
	cargo test -p server

e2e: build-release
	cd e2e && npx playwright test

## Throughput figures (not part of `make test`).
bench: setup-build
	@bash scripts/fuzz.sh
	@bash scripts/bench.sh

## Hostile input: every domain parser and form fuzzed, 10 million executions (FUZZ_TOTAL_RUNS).
.PHONY: fuzz
fuzz:
	@bash scripts/fuzz.sh

## Load and faults (issue 11): 50 users on SQLite and PostgreSQL, kill -9, SMTP down, PostgreSQL
## restart, disk full, two instances behind nginx; a PASS/FAIL table (not part of `make test`).
soak:
	@bash scripts/soak.sh

lint:
	cargo fmt --all --check
	cargo clippy -p app --features ssr --all-targets -- -D warnings
	cargo clippy -p server --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

fmt:
	cargo fmt --all

clean:
	cargo clean
	rm -rf data e2e/test-results e2e/playwright-report

// Gatehouse end-to-end suite: headless Debian Chromium against the release server binary,
// which this config starts on a fresh temporary database (DESIGN.md "Testing").
//
//   make build-release            # once: the binary and target/site
//   bash scripts/setup-e2e.sh     # once: Chromium (apt) and the npm packages
//   cd e2e && npx playwright test
//
// Environment: GATEHOUSE_BIN (default ../target/release/gatehouse), LEPTOS_SITE_ROOT (default
// ../target/site), CHROMIUM (default /usr/bin/chromium), E2E_PORT (default 3137),
// E2E_KEEP_TMP=1 keeps the temporary folder (database, mail, server.log) after the run.
import { defineConfig, devices } from '@playwright/test';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const port = Number(process.env.E2E_PORT ?? 3137);
const baseURL = `http://127.0.0.1:${port}`;
const bin = path.resolve(__dirname, process.env.GATEHOUSE_BIN ?? '../target/release/gatehouse');
const siteRoot = path.resolve(__dirname, process.env.LEPTOS_SITE_ROOT ?? '../target/site');
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';

// The config is evaluated by the runner and again by every worker. Only the runner creates the
// temporary folder (a fresh database every run); workers inherit its path through the env.
if (process.env.TEST_WORKER_INDEX === undefined) {
  process.env.GATEHOUSE_E2E_TMP = mkdtempSync(path.join(tmpdir(), 'gatehouse-e2e-'));
}
const tmp = process.env.GATEHOUSE_E2E_TMP as string;
const mailDir = path.join(tmp, 'mail');
mkdirSync(mailDir, { recursive: true });
process.env.GATEHOUSE_E2E_BASE_URL = baseURL;
process.env.GATEHOUSE_E2E_MAIL_DIR = mailDir;
process.env.GATEHOUSE_E2E_SERVER_LOG = path.join(tmp, 'server.log');

if (process.env.TEST_WORKER_INDEX === undefined) {
  for (const [what, file] of [
    ['server binary (GATEHOUSE_BIN; run `make build-release`)', bin],
    ['site root (LEPTOS_SITE_ROOT; run `make build-release`)', siteRoot],
    ['Chromium (CHROMIUM; run `bash scripts/setup-e2e.sh`)', chromium],
  ]) {
    if (!existsSync(file)) throw new Error(`e2e: missing ${what}: ${file}`);
  }
}

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  // Many journeys visit a dozen pages, each checked with axe: 40–58 s on 2 busy cores.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  globalTeardown: './helpers/global-teardown.ts',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  // `*.late.spec.ts` change what every other spec relies on (which user types /register lists,
  // how the seeded approval definition routes staff, multi-customer access): they run after all
  // the others. Run one
  // alone with `npx playwright test --no-deps tests/<name>.late.spec.ts`.
  projects: [
    { name: 'chromium', testIgnore: /\.late\.spec\.ts$/, use: { ...devices['Desktop Chrome'] } },
    {
      name: 'late',
      testMatch: /\.late\.spec\.ts$/,
      dependencies: ['chromium'],
      use: { ...devices['Desktop Chrome'] },
    },
  ],
  webServer: {
    // The server's own log goes to server.log in the temporary folder (tests read reference
    // codes from it, LOG-1).
    command: `exec "${bin}" >>"${path.join(tmp, 'server.log')}" 2>&1`,
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: siteRoot,
      DATABASE_URL: `sqlite://${path.join(tmp, 'e2e.db')}`,
      GATEHOUSE_PUBLIC_URL: baseURL,
      GATEHOUSE_MAIL_DIR: mailDir,
      GATEHOUSE_DEMO_DATA: '1',
      GATEHOUSE_ADMIN_PASSWORD: 'e2e-Harbor-passphrase-7391',
      // The suite registers many users from one address; the limits have Rust HTTP tests.
      GATEHOUSE_IP_RATE_LIMIT: 'off',
      RUST_LOG: process.env.RUST_LOG ?? 'info,sqlx=warn,tower_sessions=warn',
    },
  },
});

// Helpers for the company registration and approval journeys (company.spec.ts, approvals.spec.ts):
// a company form, sign-in, the Pending Approvals queue and its decision pages, extra browser
// contexts for other people, and direct SQLite access for setup and "nothing was written" checks.
import { expect, type Browser, type Locator, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { isJavaScriptDisabled, markJavaScriptDisabled } from './a11y';
import { fillRegistration, registrationFields, type Person } from './app';
import { baseURL } from './env';
import { mailsTo, type Mail } from './mail';
import { trackFormTakeover } from './test';

// ---------------------------------------------------------------------------------------------
// Readiness

/**
 * Waits until the page is ready for a user. With JavaScript: the app's own hydration marker
 * (`window.__gatehouse_hydrated`, set after hydration) and every form in <main> taken over by
 * the app (a submit listener, recorded by the `page` fixture / `trackFormTakeover`), so a click
 * on a submit button is handled by the app, not posted as plain HTML. Without JavaScript: loaded.
 */
export async function waitHydrated(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  if (isJavaScriptDisabled(page)) return;
  // A page with nothing to enhance is served without the app's script (ui/page_scripts.rs).
  if (!(await loadsTheApp(page))) return;
  // A panic while hydrating (an uncaught error) means the marker never comes: say so at once.
  let settled = false;
  const crashed = page.waitForEvent('pageerror', { timeout: 0 }).then(
    (error) => {
      if (!settled) throw new Error(`the app failed while hydrating ${page.url()}: ${error.message}`);
    },
    () => undefined,
  );
  try {
    await Promise.race([
      page.waitForFunction(
        () =>
          (window as unknown as { __gatehouse_hydrated?: boolean }).__gatehouse_hydrated === true &&
          [...document.querySelectorAll('main form')].every(
            (form) => (form as HTMLFormElement & { __e2eSubmitListener?: boolean }).__e2eSubmitListener === true,
          ),
        undefined,
        { timeout: 20_000 },
      ),
      crashed.then(() => new Promise<never>(() => {})),
    ]);
  } catch (error) {
    const hydrated = await page
      .evaluate(() => (window as unknown as { __gatehouse_hydrated?: boolean }).__gatehouse_hydrated === true)
      .catch(() => false);
    const marker = hydrated ? 'set' : 'missing';
    throw new Error(`${page.url()} did not become ready (hydration marker ${marker}): ${(error as Error).message}`);
  } finally {
    settled = true;
  }
}

/** Whether the page asks for the app's script (the loader's module preload in <head>). */
export async function loadsTheApp(page: Page): Promise<boolean> {
  return (await page.locator('head link[rel="modulepreload"]').count()) > 0;
}

export async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitHydrated(page);
}

/** A page in a browser context of its own (another person), with or without JavaScript. */
export async function newUserPage(browser: Browser, javaScriptEnabled: boolean): Promise<Page> {
  const context = await browser.newContext({
    baseURL: baseURL(),
    javaScriptEnabled,
    viewport: { width: 1280, height: 720 },
  });
  if (javaScriptEnabled) await trackFormTakeover(context);
  const page = await context.newPage();
  if (!javaScriptEnabled) markJavaScriptDisabled(page);
  return page;
}

// ---------------------------------------------------------------------------------------------
// Test data

export interface Company {
  name: string;
  addressLine1: string;
  addressLine2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  phone: string;
}

export function newCompany(prefix = 'E2E'): Company {
  const tag = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  return {
    name: `${prefix} Widgets ${tag}`,
    addressLine1: '100 Harbor Way',
    addressLine2: 'Suite 4',
    city: 'Springfield',
    region: 'IL',
    postalCode: '62701',
    country: 'US',
    phone: '+1 555 0199',
  };
}

/** Registry ID format of REG-6: R- and 6 of digits and capitals without I and O. */
export const REGISTRY_ID = /^R-[0-9A-HJ-NP-Z]{6}$/;

export function companyFields(page: Page) {
  const main = page.getByRole('main');
  const textbox = (name: string) => main.getByRole('textbox', { name, exact: true });
  return {
    companyName: textbox('Company name'),
    addressLine1: textbox('Address line 1'),
    addressLine2: textbox('Address line 2'),
    city: textbox('City'),
    region: textbox('State/Province'),
    postalCode: textbox('Postal code'),
    country: main.getByRole('combobox', { name: 'Country', exact: true }),
    companyPhone: textbox('Company phone'),
  };
}

export async function fillCompany(page: Page, c: Partial<Company>): Promise<void> {
  const f = companyFields(page);
  if (c.name !== undefined) await f.companyName.fill(c.name);
  if (c.addressLine1 !== undefined) await f.addressLine1.fill(c.addressLine1);
  if (c.addressLine2 !== undefined) await f.addressLine2.fill(c.addressLine2);
  if (c.city !== undefined) await f.city.fill(c.city);
  if (c.region !== undefined) await f.region.fill(c.region);
  if (c.postalCode !== undefined) await f.postalCode.fill(c.postalCode);
  if (c.country !== undefined) await f.country.selectOption(c.country);
  if (c.phone !== undefined) await f.companyPhone.fill(c.phone);
}

/**
 * Registers a new company through its form (the page must be on a fresh browser context or
 * signed out) and answers the Registry ID shown on `/register/complete`. Checks each page with
 * `check` (expectAccessible) on the way.
 */
export async function registerCompany(
  page: Page,
  company: Company,
  primary: Person,
  check: (page: Page) => Promise<void>,
): Promise<string> {
  await open(page, '/register/company_primary');
  await expect(page.getByRole('heading', { level: 1, name: 'Register your company' })).toBeVisible();
  await check(page);
  await fillCompany(page, company);
  await fillRegistration(page, primary);
  await registrationFields(page).submit.click();
  await expect(page).toHaveURL((url) => url.pathname === '/register/complete');
  const code = page.getByRole('main').locator('code.registry-id');
  await expect(code).toHaveText(REGISTRY_ID);
  const registryId = ((await code.textContent()) ?? '').trim();
  await waitHydrated(page);
  await check(page);
  return registryId;
}

/** Registers `staff` as a user of the company with `registryId`; lands on the pending page. */
export async function registerStaff(
  page: Page,
  staff: Person,
  registryId: string,
  check: (page: Page) => Promise<void>,
  typeKey = 'company_business',
): Promise<void> {
  await open(page, `/register/${typeKey}`);
  await expect(registrationFields(page).registryId).toBeVisible();
  await check(page);
  await fillRegistration(page, staff, { registryId });
  await registrationFields(page).submit.click();
  await expect(page).toHaveURL((url) => url.pathname === '/register/pending');
  await expect(page.getByRole('main')).toContainText(
    'Your registration has been submitted and is awaiting approval',
  );
  await waitHydrated(page);
  await check(page);
}

// ---------------------------------------------------------------------------------------------
// Sign-in

export function loginForm(page: Page) {
  const main = page.getByRole('main');
  return {
    username: main.getByRole('textbox', { name: 'Username', exact: true }),
    password: main.getByRole('textbox', { name: 'Password', exact: true }),
    submit: main.getByRole('button', { name: 'Sign in', exact: true }),
    alert: main.getByRole('alert'),
  };
}

/** Opens /login (optionally with ref) and submits the credentials. */
export async function signIn(page: Page, username: string, password: string, ref?: string): Promise<void> {
  await open(page, ref ? `/login?ref=${encodeURIComponent(ref)}` : '/login');
  const f = loginForm(page);
  await f.username.fill(username);
  await f.password.fill(password);
  await f.submit.click();
}

// ---------------------------------------------------------------------------------------------
// Pending Approvals

export const QUEUE_COLUMNS = [
  'Name',
  'Username',
  'E-mail',
  'User type',
  'Company',
  'Request type',
  'Submitted',
  'Step',
  'Actions',
];

/** The queue's table row of the request by `username` (there is at most one pending). */
export function queueRow(page: Page, username: string): Locator {
  return page
    .getByRole('main')
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: username, exact: true }) });
}

/** The texts of the row's cells, keyed by column header. */
export async function rowCells(row: Locator): Promise<Record<string, string>> {
  const cells = (await row.getByRole('cell').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
  return Object.fromEntries(QUEUE_COLUMNS.map((name, i) => [name, cells[i] ?? '']));
}

/**
 * Finds the request of `username` in the queue at `base` (`/admin/approvals` or
 * `/console/approvals`), following "Next page" links, and answers its row; fails when absent.
 * Every queue page visited is checked with `check`.
 */
export async function findInQueue(
  page: Page,
  base: string,
  username: string,
  check: (page: Page) => Promise<void>,
): Promise<Locator> {
  await open(page, base);
  await expect(page.getByRole('heading', { level: 1, name: 'Pending Approvals' })).toBeVisible();
  for (let i = 0; i < 20; i++) {
    await check(page);
    const row = queueRow(page, username);
    if ((await row.count()) > 0) return row;
    const next = page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Next page' });
    if ((await next.count()) === 0) break;
    await next.click();
    await expect(page).toHaveURL(new RegExp(`page=${i + 1}`));
    await waitHydrated(page);
  }
  throw new Error(`no request of ${username} in ${base}`);
}

/** Whether any page of the queue at `base` lists `username` (following "Next page"). */
export async function queueLists(page: Page, base: string, username: string): Promise<boolean> {
  await open(page, base);
  await expect(page.getByRole('heading', { level: 1, name: 'Pending Approvals' })).toBeVisible();
  for (let i = 0; i < 20; i++) {
    if ((await queueRow(page, username).count()) > 0) return true;
    const next = page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Next page' });
    if ((await next.count()) === 0) return false;
    await next.click();
    await expect(page).toHaveURL(new RegExp(`page=${i + 1}`));
    await waitHydrated(page);
  }
  return false;
}

export function decisionForm(page: Page) {
  const main = page.getByRole('main');
  return {
    comments: main.getByRole('textbox', { name: 'Comments', exact: true }),
    accounts: main.getByRole('group', { name: 'Accounts to assign', exact: true }),
    approve: main.getByRole('button', { name: 'Approve', exact: true }),
    reject: main.getByRole('button', { name: 'Reject', exact: true }),
  };
}

/** The value shown for `term` in the request details (a <dl>) of a decision page. */
export function detail(page: Page, term: string): Locator {
  return page.getByRole('main').locator(`dl.details dt:text-is("${term}") + dd`);
}

/** The request ID from an approve/reject URL. */
export function requestIdOf(url: string): string {
  const match = /\/approvals\/([^/]+)\/(approve|reject)/.exec(new URL(url, baseURL()).pathname);
  if (!match) throw new Error(`not a decision URL: ${url}`);
  return match[1];
}

/** The queue's status message after a decision (role=status, class notice). */
export function notice(page: Page): Locator {
  return page.getByRole('main').locator('p.notice[role="status"]');
}

// ---------------------------------------------------------------------------------------------
// Mail

/** Waits for a message to `address` whose subject matches `subject`, and answers it. */
export async function waitForMail(address: string, subject: RegExp): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      () => {
        found = mailsTo(address).find((m) => subject.test(m.headers['subject'] ?? ''));
        return found !== undefined;
      },
      { message: `an e-mail to ${address} with a subject like ${subject}`, timeout: 15_000 },
    )
    .toBe(true);
  return found as Mail;
}

// ---------------------------------------------------------------------------------------------
// Direct database access (setup the product has no screen for yet, and read-only checks)

export function dbPath(): string {
  const tmp = process.env.GATEHOUSE_E2E_TMP;
  if (!tmp) throw new Error('GATEHOUSE_E2E_TMP is not set: run the suite through playwright.config.ts');
  return path.join(tmp, 'e2e.db');
}

/**
 * Runs a Python script with a `db` (sqlite3 connection, busy timeout 30 s, committed at the end)
 * and `args` (the extra arguments); answers what it prints (stdout).
 */
export function sqlite(script: string, ...args: string[]): string {
  const program = [
    'import sys, sqlite3, json',
    'db = sqlite3.connect(sys.argv[1], timeout=30)',
    'args = sys.argv[2:]',
    script,
    'db.commit()',
    'db.close()',
  ].join('\n');
  return execFileSync('python3', ['-c', program, dbPath(), ...args], { encoding: 'utf8' });
}

/** How many users hold `username` (case-insensitively), in any status. */
export function usersNamed(username: string): number {
  return Number(
    sqlite(
      "print(db.execute('SELECT COUNT(*) FROM users WHERE lower(username) = lower(?)', (args[0],)).fetchone()[0])",
      username,
    ).trim(),
  );
}

/** How many organizations are called `name`. */
export function organizationsNamed(name: string): number {
  return Number(
    sqlite(
      "print(db.execute('SELECT COUNT(*) FROM organizations WHERE name = ?', (args[0],)).fetchone()[0])",
      name,
    ).trim(),
  );
}

/**
 * After pressing Approve or Reject: the approver is back on the queue at `base`. If the decision
 * page shows a form-level error instead, the test fails with that message (not a URL timeout).
 */
export async function expectBackOnQueue(page: Page, base: string): Promise<void> {
  const alert = page.getByRole('main').getByRole('alert').filter({ hasText: /\S/ });
  await expect
    .poll(async () => new URL(page.url()).pathname === base || (await alert.count()) > 0, {
      message: `back on ${base}, or an error on the decision page`,
    })
    .toBe(true);
  if (new URL(page.url()).pathname !== base) {
    expect((await alert.first().innerText()).trim(), `the decision was not taken (still on ${page.url()})`).toBe('');
  }
  await expect(page).toHaveURL((url) => url.pathname === base);
}

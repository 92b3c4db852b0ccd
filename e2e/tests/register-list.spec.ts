// covers: REG-1, REG-2, REG-3, REG-4
// The /register listing with the demo data: individual, company_primary and company_business
// are active; the partner and online-access types are inactive (REG-4).
import { expect, test, type Page } from '../helpers/test';
import { expectAccessible } from '../helpers/a11y';
import { gotoReady, waitUntilReady } from '../helpers/app';

const GROUP_ORDER = ['Individual', 'Company', 'Partner', 'Others'];

const ACTIVE = {
  individual: 'Register as an individual',
  company_primary: 'Register your company',
  company_business: 'Register as a user of an existing company',
} as const;

const INACTIVE = [
  'Register as a partner',
  'Register as a user of an existing partner',
  'Need online access to your existing account?',
  "Need online access to your company's existing account?",
];

/** The type links the page lists, as `long name → path?query`. */
async function listedTypes(page: Page): Promise<Record<string, string>> {
  const links = page.getByRole('main').getByRole('listitem').getByRole('link');
  const listed: Record<string, string> = {};
  for (const link of await links.all()) {
    const url = new URL((await link.getAttribute('href')) ?? '', page.url());
    listed[((await link.textContent()) ?? '').trim()] = url.pathname + url.search;
  }
  return listed;
}

async function groupHeadings(page: Page): Promise<string[]> {
  return (await page.getByRole('main').getByRole('heading', { level: 2 }).allTextContents()).map((h) => h.trim());
}

/** The section a group heading opens (the innermost section with that heading). */
function group(page: Page, heading: string) {
  return page
    .getByRole('main')
    .locator('section:has(> h2)')
    .filter({ has: page.getByRole('heading', { level: 2, name: heading, exact: true }) });
}

async function expectFullList(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'Register' })).toBeVisible();
  expect(await listedTypes(page)).toEqual({
    [ACTIVE.individual]: '/register/individual',
    [ACTIVE.company_primary]: '/register/company_primary',
    [ACTIVE.company_business]: '/register/company_business',
  });
}

test.describe('registration listing (JavaScript on)', () => {
  test('lists the active types under their group headings, each linking to its form', async ({ page }) => {
    await gotoReady(page, '/register');
    await expectFullList(page);

    const headings = await groupHeadings(page);
    expect(headings).toEqual(GROUP_ORDER.filter((h) => headings.includes(h)));
    expect(headings).toEqual(expect.arrayContaining(['Individual', 'Company']));
    await expect(group(page, 'Individual').getByRole('link')).toHaveText([ACTIVE.individual]);
    await expect(group(page, 'Company').getByRole('link')).toHaveText([
      ACTIVE.company_primary,
      ACTIVE.company_business,
    ]);
    for (const name of INACTIVE) {
      await expect(page.getByRole('link', { name })).toHaveCount(0);
    }
    await expectAccessible(page);

    // Not `exact`: the decorative "›" the stylesheet adds is part of the accessible name.
    await page.getByRole('link', { name: ACTIVE.individual }).click();
    await expect(page).toHaveURL(/\/register\/individual$/);
    await expect(page.getByRole('heading', { level: 1, name: ACTIVE.individual })).toBeVisible();
    await expectAccessible(page);
  });

  // covers: REG-15 (issue 11: a page with nothing to enhance is served without the app's script)
  test('the list is plain HTML and fetches no script; the form it leads to loads the app', async ({ page }) => {
    const fetched: string[] = [];
    page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
    await gotoReady(page, '/register');
    await expectFullList(page);
    expect(fetched.filter((path) => /\.(js|wasm)$/.test(path)), 'scripts fetched by /register').toEqual([]);
    await expect(page.locator('script[type="module"], link[rel="modulepreload"]')).toHaveCount(0);

    await page.getByRole('link', { name: ACTIVE.individual }).click();
    await expect(page).toHaveURL(/\/register\/individual$/);
    await waitUntilReady(page);
    expect(fetched.some((path) => path.endsWith('.wasm')), 'the form page fetched the wasm').toBe(true);
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __gatehouse_hydrated?: boolean }).__gatehouse_hydrated))
      .toBe(true);
  });

  test('group_ut lists only the named types (colon- or comma-separated)', async ({ page }) => {
    await gotoReady(page, '/register?group_ut=individual:company_business');
    await expect(page.getByRole('heading', { level: 1, name: 'Register' })).toBeVisible();
    expect(await listedTypes(page)).toEqual({
      [ACTIVE.individual]: '/register/individual',
      [ACTIVE.company_business]: '/register/company_business',
    });
    await expectAccessible(page);

    await gotoReady(page, '/register?group_ut=company_primary,company_business');
    await expect(page.getByRole('heading', { level: 1, name: 'Register' })).toBeVisible();
    expect(await listedTypes(page)).toEqual({
      [ACTIVE.company_primary]: '/register/company_primary',
      [ACTIVE.company_business]: '/register/company_business',
    });
    expect(await groupHeadings(page)).toEqual(['Company']);
    await expectAccessible(page);
  });

  test('group_ut ignores unknown and inactive keys', async ({ page }) => {
    await gotoReady(page, '/register?group_ut=individual:no_such_type:partner_primary:company_primary');
    await expect(page.getByRole('heading', { level: 1, name: 'Register' })).toBeVisible();
    expect(await listedTypes(page)).toEqual({
      [ACTIVE.individual]: '/register/individual',
      [ACTIVE.company_primary]: '/register/company_primary',
    });
    await expectAccessible(page);
  });

  test('group_ut with only unknown keys shows the full list', async ({ page }) => {
    await gotoReady(page, '/register?group_ut=no_such_type:another_unknown');
    await expectFullList(page);
    await expectAccessible(page);
  });

  test('group_ut with only inactive keys shows the full list', async ({ page }) => {
    await gotoReady(page, '/register?group_ut=partner_primary,online_access_individual');
    await expectFullList(page);
    await expectAccessible(page);
  });

  test('a single remaining type redirects straight to its form, keeping ref', async ({ page }) => {
    await gotoReady(page, '/register?group_ut=company_business');
    await expect(page).toHaveURL(/\/register\/company_business$/);
    await expect(page.getByRole('heading', { level: 1, name: ACTIVE.company_business })).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Registry ID', exact: true })).toBeVisible();
    await expectAccessible(page);

    await gotoReady(page, '/register?group_ut=individual:no_such_type&ref=/login');
    await expect(page).toHaveURL((url) => url.pathname === '/register/individual');
    expect(new URL(page.url()).searchParams.get('ref')).toBe('/login');
    await expect(page.getByRole('heading', { level: 1, name: ACTIVE.individual })).toBeVisible();
    await expectAccessible(page);
  });

  test('ref is passed on to the forms only when it is a same-origin path', async ({ page }) => {
    await gotoReady(page, '/register?ref=/login');
    for (const path of Object.values(await listedTypes(page))) {
      const url = new URL(path, 'http://x');
      expect(url.searchParams.get('ref'), path).toBe('/login');
    }
    await expectAccessible(page);

    for (const bad of ['//evil.example', 'https://evil.example/x']) {
      await gotoReady(page, `/register?ref=${encodeURIComponent(bad)}`);
      await expectFullList(page); // no ref on the links: it falls back to "/"
      await expectAccessible(page);
    }
  });
});

test.describe('registration listing (JavaScript off)', () => {
  test.use({ javaScriptEnabled: false });

  test('the list, the filter and the single-type redirect are served by the server', async ({ page }) => {
    await page.goto('/register');
    await expectFullList(page);
    await expectAccessible(page);

    await page.goto('/register?group_ut=individual:company_business');
    expect(Object.keys(await listedTypes(page))).toEqual([ACTIVE.individual, ACTIVE.company_business]);
    await expectAccessible(page);

    const response = await page.goto('/register?group_ut=individual');
    expect(response?.request().redirectedFrom(), 'answered with an HTTP redirect').toBeTruthy();
    await expect(page).toHaveURL(/\/register\/individual$/);
    await expect(page.getByRole('heading', { level: 1, name: ACTIVE.individual })).toBeVisible();
    await expectAccessible(page);
  });
});

// covers: PRO-5, PRO-6, ADM-9, SEC-5, REG-15
// The company profile: its primary user edits it (with JavaScript and without); a business
// user of the company sees it read-only, and a forged post or server-function call of theirs
// is refused (403) and changes nothing. Axe on every page visited; screenshots at 390 and
// 1280 px.
import { expect, test, type Page } from '../helpers/test';
import type { Browser } from '@playwright/test';
import { expectAccessible } from '../helpers/a11y';
import { header, newPerson } from '../helpers/app';
import { baseURL } from '../helpers/env';
import {
  decisionForm,
  expectBackOnQueue,
  findInQueue,
  newCompany,
  newUserPage,
  notice,
  open,
  organizationsNamed,
  registerCompany,
  registerStaff,
  signIn,
  waitHydrated,
} from '../helpers/approvals';

function profileFields(page: Page) {
  const main = page.getByRole('main');
  return {
    name: main.getByRole('textbox', { name: 'Company name', exact: true }),
    website: main.getByRole('textbox', { name: 'Website', exact: true }),
    revenue: main.getByRole('textbox', { name: 'Annual revenue', exact: true }),
    save: main.getByRole('button', { name: 'Save', exact: true }),
  };
}

async function openCompanyFromHeader(page: Page): Promise<void> {
  await header(page).getByRole('link', { name: 'Company profile', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/company');
  await expect(page.getByRole('heading', { level: 1, name: 'Company profile' })).toBeVisible();
  await waitHydrated(page);
}

async function screenshots(page: Page, name: string): Promise<void> {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `test-results/${name}-${width}.png`, fullPage: true });
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(sideways, `nothing scrolls sideways at ${width} px`).toBe(false);
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

async function primaryEdits(page: Page, javaScriptEnabled: boolean): Promise<void> {
  const company = newCompany(javaScriptEnabled ? 'ProfJS' : 'ProfPlain');
  const primary = newPerson(javaScriptEnabled ? 'cprof' : 'cprofsrv');
  await registerCompany(page, company, primary, expectAccessible);
  await openCompanyFromHeader(page);
  await expectAccessible(page);
  const f = profileFields(page);
  await expect(f.name).toHaveValue(company.name);

  await f.revenue.fill('lots');
  await f.save.click();
  await expect(page.getByRole('main').locator('.field-error')).toHaveText(/Enter a whole number/);
  await expectAccessible(page);

  const renamed = `${company.name} Renamed`;
  await profileFields(page).name.fill(renamed);
  await profileFields(page).website.fill('example.com/widgets');
  await profileFields(page).revenue.fill('2,500,000');
  await profileFields(page).save.click();
  await expect(notice(page)).toHaveText('The company profile was saved.');
  await waitHydrated(page);
  await expect(profileFields(page).name).toHaveValue(renamed);
  await expect(profileFields(page).website).toHaveValue('https://example.com/widgets');
  await expect(profileFields(page).revenue).toHaveValue('2500000');
  expect(organizationsNamed(renamed)).toBe(1);
  await expectAccessible(page);
  await screenshots(page, `company-profile-primary-${javaScriptEnabled ? 'js' : 'plain'}`);

  await page.getByRole('main').getByRole('link', { name: 'Company administrators' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Company administrators' })).toBeVisible();
  await expect(page.getByRole('main').getByRole('cell', { name: primary.username, exact: true })).toBeVisible();
  await waitHydrated(page);
  await expectAccessible(page);
}

async function businessUserIsRefused(page: Page, browser: Browser): Promise<void> {
  const company = newCompany('ProfRO');
  const primary = newPerson('cprim');
  const staff = newPerson('cstaff');
  const registryId = await registerCompany(page, company, primary, expectAccessible);
  const staffPage = await newUserPage(browser, true);
  await registerStaff(staffPage, staff, registryId, expectAccessible);
  const row = await findInQueue(page, '/admin/approvals', staff.username, expectAccessible);
  await row.getByRole('link', { name: /^Approve / }).click();
  await waitHydrated(page);
  await decisionForm(page).approve.click();
  await expectBackOnQueue(page, '/admin/approvals');

  await signIn(staffPage, staff.username, staff.password);
  await expect(staffPage).toHaveURL((url) => url.pathname === '/');
  await openCompanyFromHeader(staffPage);
  const main = staffPage.getByRole('main');
  await expect(main).toContainText(registryId);
  await expect(main).toContainText(company.name);
  await expect(main.getByRole('button', { name: 'Save' })).toHaveCount(0);
  await expect(main.getByRole('textbox')).toHaveCount(0);
  await expectAccessible(staffPage);
  await screenshots(staffPage, 'company-profile-business-user');

  // Forged requests with the session and a same-origin Origin (SEC-3 passes, SEC-5 refuses).
  const forged = { company_name: 'Forged Name', website: '', annual_revenue: '1', company_phone: '' };
  const post = await staffPage.request.post('/company', { form: forged, headers: { Origin: baseURL() }, maxRedirects: 0 });
  expect(post.status()).toBe(403);
  const rpc = await staffPage.request.post('/rpc/company/profile/save', {
    form: forged,
    headers: { Origin: baseURL(), Accept: 'application/json' },
    maxRedirects: 0,
  });
  expect(rpc.status()).toBe(403);
  expect(organizationsNamed('Forged Name')).toBe(0);
  expect(organizationsNamed(company.name)).toBe(1);

  const byUrl = await staffPage.goto('/company/addresses/new');
  expect(byUrl?.status()).toBe(403);
  await expect(staffPage.getByRole('heading', { level: 1, name: 'Access denied' })).toBeVisible();
  await expectAccessible(staffPage);
  await staffPage.context().close();
}

test.describe('company profile (JavaScript on)', () => {
  test('the primary user edits the company profile', async ({ page }) => {
    await primaryEdits(page, true);
  });
  test('a business user sees it read-only and cannot change it', async ({ page, browser }) => {
    await businessUserIsRefused(page, browser);
  });
});

test.describe('company profile (JavaScript off)', () => {
  test.use({ javaScriptEnabled: false });
  test('the primary user edits the company profile', async ({ page }) => {
    await primaryEdits(page, false);
  });
});

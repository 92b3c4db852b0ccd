// covers: CON-2, CON-5, CON-6, SEC-5, REG-14, REG-15
// The console's shell and its own pages, as a merchant admin uses them: the console menu on
// every page; the settings with their defaults, a bad number refused next to its field (with
// and without JavaScript) and nothing saved; the audit log searched by action; the outbox by
// status. A customer is refused every console URL. Axe on every page; 390/1280 px screenshots.
import { expect, test } from '../helpers/test';
import { expectAccessible, markJavaScriptDisabled } from '../helpers/a11y';
import { newPerson, registerByPost } from '../helpers/app';
import { newUserPage, open, signIn, waitHydrated } from '../helpers/approvals';
import { consoleNav, screenshots, signInAsNewConsoleAdmin } from '../helpers/console';

const SECTIONS = ['Overview', 'Approvals', 'Users', 'User types', 'Approvals setup', 'Roles and sites', 'Settings', 'Integrations', 'Import', 'Audit log', 'Outbox'];

test('the console menu leads to every section; settings show defaults and refuse a bad number', async ({ page, request }) => {
  await signInAsNewConsoleAdmin(page, request);
  await page.getByRole('banner').getByRole('link', { name: 'Console', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/console');
  await expect(page.getByRole('heading', { level: 1, name: 'Console' })).toBeVisible();
  await expect(consoleNav(page).getByRole('link')).toHaveText(SECTIONS);
  await expect(consoleNav(page).getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
  await expectAccessible(page);
  await screenshots(page, 'console-home');

  await consoleNav(page).getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/console/settings');
  await waitHydrated(page);
  const main = page.getByRole('main');
  const minLength = main.getByRole('spinbutton', { name: 'Minimum password length' });
  await expect(minLength).toHaveValue('12');
  await expect(main.getByText('REG-9. Default: 12.')).toBeVisible();
  await expect(main.getByRole('checkbox', { name: 'Multi-customer access' })).not.toBeChecked();
  await expect(main.getByRole('combobox', { name: 'Universal approver' })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'console-settings');

  // With JavaScript: the error next to the field, nothing sent.
  await minLength.fill('4');
  await main.getByRole('button', { name: 'Save' }).click();
  await expect(main.locator('#password_min_length-error')).toHaveText('Enter a whole number from 8 to 128');
  await expect(minLength).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);

  // Unchanged: nothing to save.
  await minLength.fill('12');
  await main.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'unchanged');
  await expect(main.getByRole('status')).toHaveText('Nothing was changed.');

  // The audit log, searched by action prefix.
  await consoleNav(page).getByRole('link', { name: 'Audit log' }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/console/audit');
  await main.getByRole('searchbox', { name: 'Action' }).fill('registration.');
  await main.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get('action') === 'registration.');
  const rows = main.getByRole('table').getByRole('row');
  await expect(rows.nth(1)).toContainText('registration.submitted');
  await expectAccessible(page);
  await screenshots(page, 'console-audit');

  await consoleNav(page).getByRole('link', { name: 'Outbox' }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/console/outbox');
  await expect(main.getByRole('table')).toBeVisible();
  await main.getByRole('combobox', { name: 'Status' }).selectOption('failed');
  await main.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get('status') === 'failed');
  await expectAccessible(page);
  await screenshots(page, 'console-outbox');
});

test('without JavaScript the settings form keeps what was typed next to the error', async ({ browser, request }) => {
  const page = await newUserPage(browser, false);
  markJavaScriptDisabled(page);
  await signInAsNewConsoleAdmin(page, request, 'opsnojs');
  await open(page, '/console/settings');
  const main = page.getByRole('main');
  await main.getByRole('spinbutton', { name: 'Session idle timeout (minutes)' }).fill('0');
  await main.getByRole('textbox', { name: 'Merchant name' }).fill('');
  await main.getByRole('button', { name: 'Save' }).click();
  await expect(main.locator('#session_idle_minutes-error')).toHaveText('Enter a whole number from 1 to 1440');
  await expect(main.locator('#merchant_name-error')).toHaveText('Enter the merchant name');
  await expect(main.getByRole('spinbutton', { name: 'Session idle timeout (minutes)' })).toHaveValue('0');
  await expectAccessible(page);
  await open(page, '/console/settings');
  await expect(main.getByRole('spinbutton', { name: 'Session idle timeout (minutes)' })).toHaveValue('30');
  await page.context().close();
});

test('a customer is refused every console page', async ({ page, request }) => {
  const customer = newPerson('cust');
  await registerByPost(request, customer);
  await signIn(page, customer.username, customer.password);
  await expect(page).not.toHaveURL((url) => url.pathname === '/login');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Console', exact: true })).toHaveCount(0);
  for (const url of ['/console', '/console/user-types', '/console/user-types/partner_primary', '/console/settings', '/console/audit', '/console/outbox']) {
    const response = await page.goto(url);
    expect(response?.status(), url).toBe(403);
    await expect(page.getByRole('heading', { level: 1, name: 'Access denied' })).toBeVisible();
    await expect(consoleNav(page)).toHaveCount(0);
  }
  await expectAccessible(page);
});

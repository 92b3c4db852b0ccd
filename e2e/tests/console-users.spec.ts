// covers: CON-3, CON-5, LOG-2, LOG-3, SEC-2, SEC-7, REG-14, REG-15, PAR-1
// The console's users (CON-3) as a merchant admin uses them: a user found by a prefix, disabled
// with a justification — their open session (another browser) ends and sign-in is refused, and
// the audit log shows the justification; a generated password shown once, with which the user
// signs in and must change it, never e-mailed; without JavaScript, Create user keeps values and
// errors, a dated role grant is shown as not yet in force, and Delete (with its confirmation)
// releases the username. Axe on every page; 390/1280 px screenshots.
import { expect, test } from '../helpers/test';
import { expectAccessible } from '../helpers/a11y';
import { newPerson, registerByPost, strongPassword, type Person } from '../helpers/app';
import { loginForm, newUserPage, open, signIn, waitHydrated } from '../helpers/approvals';
import { mailsTo } from '../helpers/mail';
import { consoleNav, screenshots, signInAsNewConsoleAdmin } from '../helpers/console';
import type { Page } from '@playwright/test';

/** The value of the user page's fact `term` (its <dd>). */
const fact = (page: Page, term: string) =>
  page.getByRole('main').locator('dl.details > dt').filter({ hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]');

/** Finds `person` by a prefix of their username in /console/users and opens their page. */
async function openUser(page: Page, person: Person): Promise<string> {
  // The list's search is a plain GET form (no app takeover to wait for).
  await page.goto(`/console/users?q=${encodeURIComponent(person.username.slice(0, -2).toUpperCase())}`);
  const main = page.getByRole('main');
  const row = main.getByRole('row').filter({ hasText: person.username });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('cell').nth(1)).toHaveText(person.email);
  await row.getByRole('link', { name: `${person.firstName} ${person.lastName}` }).click();
  await expect(page).toHaveURL((url) => /^\/console\/users\/[0-9a-f-]{36}$/.test(url.pathname));
  await waitHydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: `${person.firstName} ${person.lastName}` })).toBeVisible();
  await expect(consoleNav(page).getByRole('link', { name: 'Users' })).toHaveAttribute('aria-current', 'page');
  return new URL(page.url()).pathname.split('/').pop() as string;
}

test('a disabled user loses their open session, cannot sign in, and the audit log shows why', async ({ page, request, browser }) => {
  await signInAsNewConsoleAdmin(page, request, 'opsdis');
  const dana = newPerson('dana');
  await registerByPost(request, dana);
  const danaPage = await newUserPage(browser, true);
  await signIn(danaPage, dana.username, dana.password);
  await expect(danaPage).not.toHaveURL((url) => url.pathname === '/login');
  await open(danaPage, '/profile');
  await expect(danaPage).toHaveURL((url) => url.pathname === '/profile');

  await page.goto('/console/users');
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'console-users');
  const id = await openUser(page, dana);
  await expectAccessible(page);
  await screenshots(page, 'console-user');

  const main = page.getByRole('main');
  await main.getByRole('link', { name: 'Disable', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/console/users/${id}/disable`);
  await waitHydrated(page);
  const today = new Date().toISOString().slice(0, 10);
  await expect(main.getByLabel('Effective date')).toHaveValue(today);
  // A justification is required: refused in place, nothing sent.
  await main.getByRole('button', { name: 'Disable', exact: true }).click();
  await expect(main.locator('#justification-error')).toHaveText('Enter a justification');
  await expectAccessible(page);
  await screenshots(page, 'console-user-disable');
  await main.getByRole('textbox', { name: 'Justification' }).fill('Left the company on short notice');
  await main.getByRole('button', { name: 'Disable', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/console/users/${id}` && url.searchParams.get('notice') === 'disabled');
  await expect(main.getByRole('status').first()).toContainText('The user was disabled');
  await expect(fact(page, 'Status')).toHaveText('Inactive');
  await expectAccessible(page);

  // Dana's open session has ended: the next page asks her to sign in.
  await danaPage.goto('/profile');
  await expect(danaPage).toHaveURL((url) => url.pathname === '/login');
  await signIn(danaPage, dana.username, dana.password);
  await expect(danaPage.getByRole('alert').filter({ hasText: 'Your access is not active' })).toBeVisible();
  await expect(loginForm(danaPage).username).toBeVisible();
  await danaPage.context().close();

  // CON-5: the audit row names the change and its justification.
  await page.goto(`/console/audit?subject=${id}`);
  const audit = main.getByRole('table').getByRole('row').filter({ hasText: 'user.disabled' });
  await expect(audit).toHaveCount(1);
  await expect(audit).toContainText('Left the company on short notice');
  await expectAccessible(page);

  // Enable brings her back.
  await open(page, `/console/users/${id}`);
  await main.getByRole('button', { name: 'Enable', exact: true }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'enabled');
  await expect(fact(page, 'Status')).toHaveText('Active');
});

test('a generated password is shown once; the user signs in with it and must change it', async ({ page, request, browser }) => {
  await signInAsNewConsoleAdmin(page, request, 'opspw');
  const eli = newPerson('eli');
  await registerByPost(request, eli);
  const id = await openUser(page, eli);
  const main = page.getByRole('main');
  await main.getByRole('link', { name: 'Reset password', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/console/users/${id}/password`);
  await waitHydrated(page);
  await expect(main.getByRole('radio', { name: 'Generate a password' })).toBeChecked();
  await expect(main.getByRole('textbox', { name: 'Password', exact: true })).toBeHidden();
  await expectAccessible(page);
  await screenshots(page, 'console-user-password');

  await main.getByRole('button', { name: 'Reset password', exact: true }).click();
  const shown = main.locator('code.generated-password');
  await expect(shown).toBeVisible();
  const password = (await shown.textContent())?.trim() ?? '';
  expect(password.length).toBeGreaterThanOrEqual(20);
  expect(page.url()).not.toContain(password);
  await expect(main.getByRole('status').first()).toContainText('shown only this once');
  await expectAccessible(page);
  await screenshots(page, 'console-user-password-shown');
  expect(mailsTo(eli.email).some((m) => m.text.includes(password)), 'never e-mailed').toBe(false);

  // Shown once: the page offers the form again.
  await open(page, `/console/users/${id}/password`);
  await expect(main.locator('code.generated-password')).toHaveCount(0);
  await expect(main.getByRole('button', { name: 'Reset password', exact: true })).toBeVisible();
  await open(page, `/console/users/${id}`);
  await expect(main.getByText('Set; must be changed at next sign-in')).toBeVisible();

  const eliPage = await newUserPage(browser, true);
  await signIn(eliPage, eli.username, password);
  await expect(eliPage).toHaveURL((url) => url.pathname === '/password/change');
  await waitHydrated(eliPage);
  const change = eliPage.getByRole('main');
  const chosen = strongPassword();
  await change.getByRole('textbox', { name: 'Current password', exact: true }).fill(password);
  await change.getByRole('textbox', { name: 'New password', exact: true }).fill(chosen);
  await change.getByRole('textbox', { name: 'Confirm new password', exact: true }).fill(chosen);
  await change.getByRole('button', { name: 'Set password', exact: true }).click();
  await expect(eliPage).not.toHaveURL((url) => url.pathname === '/password/change');
  await open(eliPage, '/profile');
  await expect(eliPage).toHaveURL((url) => url.pathname === '/profile');
  await eliPage.context().close();
});

test('without JavaScript: create a bare user, grant a dated role, delete with confirmation', async ({ browser, request }) => {
  const page = await newUserPage(browser, false);
  await signInAsNewConsoleAdmin(page, request, 'opsnojsu');
  const main = page.getByRole('main');
  await open(page, '/console/users/new');
  await expect(page.getByRole('heading', { level: 1, name: 'Create user' })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'console-user-new');
  const rita = newPerson('rita');
  await main.getByRole('textbox', { name: 'First name' }).fill(rita.firstName);
  await main.getByRole('textbox', { name: 'Email' }).fill('not-an-address');
  await main.getByRole('textbox', { name: 'Username' }).fill(rita.username);
  await main.getByRole('button', { name: 'Create user' }).click();
  await expect(main.locator('#last_name-error')).toBeVisible();
  await expect(main.locator('#email-error')).toBeVisible();
  await expect(main.getByRole('textbox', { name: 'First name' })).toHaveValue(rita.firstName);
  await expect(main.getByRole('textbox', { name: 'Username' })).toHaveValue(rita.username);
  await expect(page.getByRole('alert').first()).toContainText('There are problems with 2 fields');
  await expectAccessible(page);
  await main.getByRole('textbox', { name: 'Last name' }).fill(rita.lastName);
  await main.getByRole('textbox', { name: 'Email' }).fill(rita.email);
  await main.getByRole('button', { name: 'Create user' }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'created');
  await expect(main.getByText('None yet (partial registration)')).toBeVisible();
  await expectAccessible(page);
  const id = new URL(page.url()).pathname.split('/').pop() as string;

  await main.getByRole('link', { name: 'Grant a role' }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/console/users/${id}/roles/grant`);
  await expectAccessible(page);
  await screenshots(page, 'console-user-grant');
  await main.getByRole('combobox', { name: 'Role' }).selectOption({ label: 'Business User' });
  await main.getByLabel('Start date').fill('2099-01-01');
  await main.getByRole('textbox', { name: 'Justification' }).fill('Starts with the new contract');
  await main.getByRole('button', { name: 'Grant role' }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'role_granted');
  const role = main.getByRole('row').filter({ hasText: 'Business User' });
  await expect(role.getByRole('cell').nth(0)).toHaveText('2099-01-01');
  await expect(role.getByRole('cell').nth(2)).toHaveText('No');
  await expect(role).toContainText('Starts with the new contract');
  await expectAccessible(page);

  await role.getByRole('link', { name: 'Remove Business User' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Remove a role' })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'console-user-remove-role');
  await main.getByRole('button', { name: 'Remove role' }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'role_removed');
  await expect(main.getByText('No roles.')).toBeVisible();

  await main.getByRole('link', { name: 'Delete', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Delete user' })).toBeVisible();
  await expect(main.getByText(`The username ${rita.username} is released`)).toBeVisible();
  await main.getByRole('button', { name: 'Delete user' }).click();
  await expect(main.locator('#justification-error')).toHaveText('Enter a justification');
  await expectAccessible(page);
  await screenshots(page, 'console-user-delete');
  await main.getByRole('textbox', { name: 'Justification' }).fill('Created by mistake');
  await main.getByRole('button', { name: 'Delete user' }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'deleted');
  await expect(fact(page, 'Status')).toHaveText('Deleted');
  await expectAccessible(page);

  // The username is free again (REG-8).
  await registerByPost(request, { ...newPerson('again'), username: rita.username });
  await page.context().close();
});

// covers: OAA-1, OAA-2, OAA-4, OAA-6, CON-1, CON-3, PAR-1, PAR-2, REG-14, LOG-3
// Online access and partial registration as the issue tells them, on the demo data (OPS-6):
// a merchant admin activates both online-access types in the console (CON-1); Dana Smith, who
// bought by phone, first types a wrong postal code (the one generic message), then claims her
// account and sees it; Acme Tools' contact Lee Chen proves an order with its date one day off
// and waits for approval; a bare user the merchant created asks for /profile, lands on
// /register/confirm, confirms the pre-filled form and reaches /profile. Runs in the `late`
// project: /register's listing is what other specs check. Axe on every page; 390/1280 px.
import { expect, test } from '../helpers/test';
import { expectAccessible } from '../helpers/a11y';
import { newPerson, strongPassword } from '../helpers/app';
import { newUserPage, open, signIn, waitHydrated } from '../helpers/approvals';
import { consoleNav, screenshots, signInAsNewConsoleAdmin } from '../helpers/console';

test.describe.configure({ mode: 'serial' });

const INDIVIDUAL_LINK = 'Need online access to your existing account?';
const BUSINESS_LINK = "Need online access to your company's existing account?";

test('a merchant admin activates online access; Dana claims her account after one wrong postal code', async ({ page, browser, request }) => {
  await signInAsNewConsoleAdmin(page, request, 'opsoaa');
  const main = page.getByRole('main');
  for (const key of ['online_access_individual', 'online_access_business']) {
    await open(page, `/console/user-types/${key}`);
    await waitHydrated(page);
    await expect(consoleNav(page).getByRole('link', { name: 'User types' })).toHaveAttribute('aria-current', 'page');
    await main.getByRole('checkbox', { name: 'Active' }).check();
    await main.getByRole('button', { name: 'Save' }).click();
    await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'saved');
  }

  const dana = await newUserPage(browser, true);
  await open(dana, '/register');
  await expect(dana.getByRole('link', { name: BUSINESS_LINK })).toBeVisible();
  await dana.getByRole('link', { name: INDIVIDUAL_LINK }).click();
  await expect(dana).toHaveURL((url) => url.pathname === '/register/online_access_individual');
  await waitHydrated(dana);
  const form = dana.getByRole('main');
  await expect(form.getByRole('heading', { level: 1, name: INDIVIDUAL_LINK })).toBeVisible();
  await expectAccessible(dana);
  await screenshots(dana, 'online-access-individual');

  // Empty: every required field says so, next to itself.
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(form.locator('#account_number-error')).toHaveText('Enter your account number');
  await expect(form.locator('#postal_code-error')).toHaveText('Enter a postal code');
  await expect(form.locator('#phone-error')).toHaveText('Enter a phone number');

  const username = `dana${Date.now().toString(36)}`;
  const password = strongPassword();
  await form.getByRole('textbox', { name: 'Account number' }).fill('A-100001');
  await form.getByRole('textbox', { name: 'Billing postal code' }).fill('94106');
  await form.getByRole('textbox', { name: 'Phone' }).fill('+1 415 555 0100');
  await form.getByRole('textbox', { name: 'Email' }).fill('dana.smith@example.com');
  await form.getByRole('textbox', { name: 'Username' }).fill(username);
  await form.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await form.getByRole('textbox', { name: 'Confirm password' }).fill(password);
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(form.getByRole('alert').filter({ hasText: 'We could not verify your account details' })).toBeVisible();
  await expect(form.getByRole('textbox', { name: 'Account number' })).toHaveValue('A-100001');
  await expectAccessible(dana);
  await screenshots(dana, 'online-access-not-verified');

  // REG-14: passwords are never kept; typed again with the right postal code.
  await expect(form.getByRole('textbox', { name: 'Password', exact: true })).toHaveValue('');
  await form.getByRole('textbox', { name: 'Billing postal code' }).fill('94105');
  await form.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await form.getByRole('textbox', { name: 'Confirm password' }).fill(password);
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(dana).toHaveURL((url) => url.pathname === '/');
  // Signed in with her existing account as the session's account (PRO-3), named in the header.
  await expect(dana.getByRole('banner')).toContainText('Dana Smith');
  await expect(dana.getByRole('banner')).toContainText('A-100001');
  await expectAccessible(dana);
  await screenshots(dana, 'online-access-accounts');
  await dana.context().close();
});

test("Acme Tools' contact proves an order with its date one day off and waits for approval", async ({ browser }) => {
  const lee = await newUserPage(browser, true);
  await open(lee, '/register');
  await lee.getByRole('link', { name: BUSINESS_LINK }).click();
  await expect(lee).toHaveURL((url) => url.pathname === '/register/online_access_business');
  await waitHydrated(lee);
  const form = lee.getByRole('main');
  await expect(form.getByRole('textbox', { name: 'Confirm password' })).toHaveCount(0);
  await expectAccessible(lee);
  await screenshots(lee, 'online-access-business');
  await form.getByRole('textbox', { name: 'Account number' }).fill('A-200001');
  await form.getByRole('textbox', { name: 'Order number' }).fill('O-600001');
  await form.getByLabel('Order date').fill('2026-02-04');
  await form.getByRole('textbox', { name: 'Email' }).fill('lee.chen@acme.example');
  await form.getByRole('textbox', { name: 'Username' }).fill(`lee${Date.now().toString(36)}`);
  await form.getByRole('textbox', { name: 'Password', exact: true }).fill(strongPassword());
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(lee).toHaveURL((url) => url.pathname === '/register/pending');
  const waiting = lee.getByRole('main').getByRole('status');
  await expect(waiting).toContainText('awaiting approval');
  await expectAccessible(lee);
  await lee.context().close();
});

test('a bare user asking for /profile confirms the pre-filled form and reaches it', async ({ page, browser, request }) => {
  await signInAsNewConsoleAdmin(page, request, 'opspar');
  const main = page.getByRole('main');
  const bo = newPerson('bo');
  await open(page, '/console/users/new');
  await waitHydrated(page);
  await main.getByRole('textbox', { name: 'First name' }).fill(bo.firstName);
  await main.getByRole('textbox', { name: 'Last name' }).fill(bo.lastName);
  await main.getByRole('textbox', { name: 'Email' }).fill(bo.email);
  await main.getByRole('textbox', { name: 'Username' }).fill(bo.username);
  await main.getByRole('button', { name: 'Create user' }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'created');
  const id = new URL(page.url()).pathname.split('/').pop() as string;
  await open(page, `/console/users/${id}/password`);
  await waitHydrated(page);
  const temporary = strongPassword();
  await main.getByRole('radio', { name: 'Type a password' }).check();
  await main.getByRole('textbox', { name: 'Password', exact: true }).fill(temporary);
  await main.getByRole('textbox', { name: 'Confirm password' }).fill(temporary);
  await main.getByRole('button', { name: 'Reset password', exact: true }).click();
  await expect(main.getByRole('status').first()).toBeVisible();

  const user = await newUserPage(browser, true);
  await signIn(user, bo.username, temporary);
  await expect(user).toHaveURL((url) => url.pathname === '/password/change');
  await waitHydrated(user);
  const chosen = strongPassword();
  const change = user.getByRole('main');
  await change.getByRole('textbox', { name: 'Current password', exact: true }).fill(temporary);
  await change.getByRole('textbox', { name: 'New password', exact: true }).fill(chosen);
  await change.getByRole('textbox', { name: 'Confirm new password', exact: true }).fill(chosen);
  await change.getByRole('button', { name: 'Set password', exact: true }).click();
  await expect(user).not.toHaveURL((url) => url.pathname === '/password/change');

  await open(user, '/profile');
  await expect(user).toHaveURL((url) => url.pathname === '/register/confirm' && url.searchParams.get('ref') === '/profile');
  await expect(user.getByRole('heading', { level: 1, name: 'Complete your registration' })).toBeVisible();
  await expect(user.getByRole('link', { name: INDIVIDUAL_LINK })).toHaveCount(0);
  await expectAccessible(user);
  await screenshots(user, 'partial-choices');
  await user.getByRole('link', { name: 'Register as an individual' }).click();
  await expect(user).toHaveURL((url) => url.pathname === '/register/confirm/individual');
  await waitHydrated(user);
  const form = user.getByRole('main');
  await expect(form.getByRole('heading', { level: 1, name: 'Confirm registration' })).toBeVisible();
  await expect(form.getByRole('textbox', { name: 'First name' })).toHaveValue(bo.firstName);
  await expect(form.getByRole('textbox', { name: 'Email' })).toHaveValue(bo.email);
  await expectAccessible(user);
  await screenshots(user, 'partial-confirm');

  // A bad e-mail is refused next to its field and nothing changes.
  await form.getByRole('textbox', { name: 'Email' }).fill('not-an-address');
  await form.getByRole('button', { name: 'Confirm registration' }).click();
  await expect(form.locator('#email-error')).toBeVisible();
  await expect(user).toHaveURL((url) => url.pathname === '/register/confirm/individual');
  await form.getByRole('textbox', { name: 'Email' }).fill(bo.email);
  await form.getByRole('button', { name: 'Confirm registration' }).click();
  await expect(user).toHaveURL((url) => url.pathname === '/profile');
  await expect(user.getByRole('heading', { level: 1 })).toBeVisible();
  await expectAccessible(user);
  await user.context().close();
});

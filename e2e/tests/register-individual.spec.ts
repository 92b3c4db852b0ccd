// covers: REG-3, REG-5, REG-13, REG-15, LOG-5, SEC-7
// Individual self-registration, with JavaScript (a server function call, no reload) and
// without (a plain form post): the user ends up signed in on `ref`, and gets an e-mail.
import { expect, test, type Page } from '../helpers/test';
import type { Locator } from '@playwright/test';
import { expectAccessible } from '../helpers/a11y';
import {
  expectSignedInAs,
  fillRegistration,
  fullName,
  gotoReady,
  newPerson,
  registrationFields,
  type Person,
} from '../helpers/app';
import { baseURL } from '../helpers/env';
import { mailsTo } from '../helpers/mail';

/** The form has exactly the REG-5 fields, labelled as specified, with the REG-5 names. */
async function expectIndividualForm(page: Page): Promise<void> {
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 1, name: 'Register as an individual' })).toBeVisible();
  const f = registrationFields(page);
  const fields: [Locator, string][] = [
    [f.firstName, 'first_name'],
    [f.lastName, 'last_name'],
    [f.email, 'email'],
    [main.getByRole('textbox', { name: 'Phone', exact: true }), 'phone'],
    [f.username, 'username'],
    [f.password, 'password'],
    [f.passwordConfirm, 'password_confirm'],
    [f.marketing, 'marketing_opt_in'],
  ];
  for (const [field, name] of fields) {
    await expect(field, name).toHaveAttribute('name', name);
  }
  await expect(f.password).toHaveAttribute('type', 'password');
  await expect(f.passwordConfirm).toHaveAttribute('type', 'password');
  // No address and no Registry ID on the individual form.
  await expect(f.registryId).toHaveCount(0);
  await expect(main.getByRole('textbox', { name: /address/i })).toHaveCount(0);
  // The opt-in is unchecked by default (REG-5, REG-11: unchecked means opted out).
  await expect(f.marketing).not.toBeChecked();
  await expect(f.submit).toBeVisible();
}

/** The confirmation e-mail reaches the user, names the username, and never the password. */
async function expectRegistrationMail(p: Person): Promise<void> {
  await expect
    .poll(() => mailsTo(p.email).length, { message: `an .eml addressed to ${p.email}`, timeout: 15_000 })
    .toBeGreaterThan(0);
  const [mail] = mailsTo(p.email);
  expect(mail.text).toContain(p.username);
  expect(mail.text).toContain(`${baseURL()}/login`);
  expect(mail.text, 'no password in the e-mail (SEC-7)').not.toContain(p.password);
}

test.describe('individual registration (JavaScript on)', () => {
  test('registers without a page reload and lands signed in on ref', async ({ page }) => {
    const p = newPerson('js');
    await gotoReady(page, '/register/individual?ref=/register');
    await expectIndividualForm(page);
    await expectAccessible(page);

    await fillRegistration(page, p);
    await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 1));
    await registrationFields(page).submit.click();

    await expect(page).toHaveURL((url) => url.pathname === '/register' && url.search === '');
    await expect(page.getByRole('heading', { level: 1, name: 'Register' })).toBeVisible();
    await expectSignedInAs(page, p);
    expect(
      await page.evaluate(() => (window as unknown as { __marker?: number }).__marker),
      'no full page reload (REG-15)',
    ).toBe(1);
    await expectAccessible(page);
    await expectRegistrationMail(p);

    // The session is real: a fresh load still shows the user.
    await gotoReady(page, '/');
    await expect(page.getByRole('heading', { level: 1, name: `Welcome, ${fullName(p)}` })).toBeVisible();
    await expectSignedInAs(page, p);
    await expectAccessible(page);
  });

  test('an off-site ref (//evil.example) lands on the home page', async ({ page }) => {
    const p = newPerson('jsref');
    await gotoReady(page, `/register/individual?ref=${encodeURIComponent('//evil.example')}`);
    await expectAccessible(page);
    await fillRegistration(page, p);
    await registrationFields(page).submit.click();

    await expect(page).toHaveURL(`${baseURL()}/`);
    await expect(page.getByRole('heading', { level: 1, name: `Welcome, ${fullName(p)}` })).toBeVisible();
    await expectSignedInAs(page, p);
    await expectAccessible(page);
  });
});

test.describe('individual registration (JavaScript off)', () => {
  test.use({ javaScriptEnabled: false });

  test('registers with a plain form post and lands signed in on ref', async ({ page }) => {
    const p = newPerson('nojs');
    await page.goto('/register/individual?ref=/register');
    await expectIndividualForm(page);
    await expectAccessible(page);

    await fillRegistration(page, p);
    await registrationFields(page).submit.click();

    await expect(page).toHaveURL((url) => url.pathname === '/register' && url.search === '');
    await expect(page.getByRole('heading', { level: 1, name: 'Register' })).toBeVisible();
    await expectSignedInAs(page, p);
    await expectAccessible(page);
    await expectRegistrationMail(p);
  });

  test('an off-site ref (//evil.example) lands on the home page', async ({ page }) => {
    const p = newPerson('nojsref');
    await page.goto(`/register/individual?ref=${encodeURIComponent('//evil.example')}`);
    await expectAccessible(page);
    await fillRegistration(page, p);
    await registrationFields(page).submit.click();

    await expect(page).toHaveURL(`${baseURL()}/`);
    await expect(page.getByRole('heading', { level: 1, name: `Welcome, ${fullName(p)}` })).toBeVisible();
    await expectSignedInAs(page, p);
    await expectAccessible(page);
  });
});

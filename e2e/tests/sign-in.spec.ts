// covers: LOG-1, LOG-2, LOG-5, REG-3, REG-7, REG-13, SEC-2
// Sign-in: the page, one generic message for wrong password and unknown user (with a reference
// code that is also in the server log), pending users, and signing out.
import { expect, test, trackFormTakeover, type Page } from '../helpers/test';
import { readFileSync } from 'node:fs';
import { expectAccessible } from '../helpers/a11y';
import {
  expectSignedInAs,
  expectSignedOut,
  fillRegistration,
  gotoReady,
  header,
  newPerson,
  REFERENCE,
  registerByPost,
  registrationFields,
  uniqueUsername,
  waitUntilReady,
  withoutReference,
  type Person,
} from '../helpers/app';
import { baseURL, serverLog } from '../helpers/env';
import { mailsTo } from '../helpers/mail';

const INCORRECT = 'The username or password is incorrect.';

function loginForm(page: Page) {
  const main = page.getByRole('main');
  return {
    username: main.getByRole('textbox', { name: 'Username', exact: true }),
    password: main.getByRole('textbox', { name: 'Password', exact: true }),
    submit: main.getByRole('button', { name: 'Sign in', exact: true }),
    alert: main.getByRole('alert'),
  };
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  const f = loginForm(page);
  await f.username.fill(username);
  await f.password.fill(password);
  await f.submit.click();
}

/** Signs in with wrong credentials and answers the form-level message. */
async function failedSignIn(page: Page, username: string, password: string): Promise<string> {
  await gotoReady(page, '/login');
  await expectAccessible(page);
  await signIn(page, username, password);
  const alert = loginForm(page).alert;
  await expect(alert).toContainText(REFERENCE);
  await expect(loginForm(page).username).toHaveValue(username);
  await expectSignedOut(page);
  await expectAccessible(page);
  return ((await alert.textContent()) ?? "").trim();
}

test.describe('sign-in (JavaScript on)', () => {
  test('the sign-in page has the LOG-1 fields and links', async ({ page }) => {
    await gotoReady(page, '/login');
    const f = loginForm(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await expect(f.username).toHaveAttribute('name', 'username');
    await expect(f.password).toHaveAttribute('name', 'password');
    await expect(f.password).toHaveAttribute('type', 'password');
    await expect(f.submit).toBeVisible();
    const main = page.getByRole('main');
    await expect(main.getByRole('link', { name: 'Forgot your username or password?' })).toHaveAttribute(
      'href',
      '/forgot',
    );
    await expect(main.locator('a[href="/register"]')).toBeVisible();
    await expectAccessible(page);
  });

  test('wrong password and unknown user get the same message, with a logged reference code', async ({
    page,
    request,
  }) => {
    const p = newPerson('wrongpw');
    await registerByPost(request, p);

    const wrongPassword = await failedSignIn(page, p.username, `${p.password}-nope`);
    const unknownUser = await failedSignIn(page, uniqueUsername('nobody'), p.password);

    expect(withoutReference(wrongPassword)).toBe(INCORRECT);
    expect(withoutReference(unknownUser)).toBe(withoutReference(wrongPassword));

    // LOG-1: the reference code is also in the server's log line of that request.
    for (const message of [wrongPassword, unknownUser]) {
      const code = REFERENCE.exec(message)?.[1] as string;
      await expect
        .poll(() => readFileSync(serverLog(), 'utf8').includes(code), {
          message: `reference ${code} in the server log`,
        })
        .toBe(true);
    }
  });

  test('signing in lands on ref and shows the name in the header', async ({ page, request }) => {
    const p = newPerson('signin');
    await registerByPost(request, p);
    await gotoReady(page, '/login?ref=/register');
    await expectAccessible(page);
    await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 1));
    await signIn(page, p.username, p.password);

    await expect(page).toHaveURL((url) => url.pathname === '/register');
    await expectSignedInAs(page, p);
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(1);
    await expectAccessible(page);
  });

  test('a registration awaiting approval shows the pending page, and sign-in says so', async ({ page }) => {
    const p = newPerson('pending');
    await gotoReady(page, '/register/company_business');
    await expect(page.getByRole('main').getByRole('textbox', { name: 'Business phone', exact: true })).toBeVisible();
    await expect(registrationFields(page).registryId).toBeVisible();
    await expectAccessible(page);
    await fillRegistration(page, p, { registryId: 'R-ACME01' });
    await registrationFields(page).submit.click();

    await expect(page).toHaveURL((url) => url.pathname === '/register/pending');
    await expect(page.getByRole('main')).toContainText(
      'Your registration has been submitted and is awaiting approval',
    );
    await expectSignedOut(page);
    await expectAccessible(page);
    await expect
      .poll(() => mailsTo(p.email).length, { message: `an .eml addressed to ${p.email}` })
      .toBeGreaterThan(0);

    // REG-13, LOG-2: the right password is not enough until the request is approved.
    await gotoReady(page, '/login');
    await expectAccessible(page);
    await signIn(page, p.username, p.password);
    await expect(loginForm(page).alert).toContainText('awaiting approval');
    await expect(loginForm(page).alert).not.toContainText(INCORRECT);
    await expectSignedOut(page);
    await expect(page).toHaveURL((url) => url.pathname === '/login');
    await expectAccessible(page);
  });

  test('signing out ends the session on the server', async ({ page, request, browser }) => {
    const p = newPerson('signout');
    await registerByPost(request, p);
    await gotoReady(page, '/login');
    await expectAccessible(page);
    await signIn(page, p.username, p.password);
    await expect(page).toHaveURL(`${baseURL()}/`);
    await expectSignedInAs(page, p);
    await expectAccessible(page);
    const sessionCookies = await page.context().cookies();
    expect(sessionCookies.length, 'a session cookie').toBeGreaterThan(0);

    await header(page).getByRole('button', { name: 'Sign out' }).click();
    await expectSignedOut(page);
    await expectAccessible(page);
    await page.reload();
    await waitUntilReady(page);
    await expectSignedOut(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Gatehouse' })).toBeVisible();
    await expectAccessible(page);

    // The old session cookie no longer signs anyone in (server-side invalidation, SEC-2).
    const replay = await browser.newContext({ baseURL: baseURL() });
    await trackFormTakeover(replay);
    try {
      await replay.addCookies(sessionCookies);
      const other = await replay.newPage();
      await gotoReady(other, '/');
      await expectSignedOut(other);
      await expect(other.getByRole('heading', { level: 1, name: 'Welcome to Gatehouse' })).toBeVisible();
      await expectAccessible(other);
    } finally {
      await replay.close();
    }
  });
});

test.describe('sign-in (JavaScript off)', () => {
  test.use({ javaScriptEnabled: false });

  test('wrong password and unknown user get the same message from the server', async ({ page, request }) => {
    const p = newPerson('wrongpwsrv');
    await registerByPost(request, p);

    const wrongPassword = await failedSignIn(page, p.username, `${p.password}-nope`);
    const unknownUser = await failedSignIn(page, uniqueUsername('nobody'), p.password);
    expect(withoutReference(wrongPassword)).toBe(INCORRECT);
    expect(withoutReference(unknownUser)).toBe(INCORRECT);
  });

  test('sign in and sign out with plain form posts', async ({ page, request }) => {
    const p: Person = newPerson('plain');
    await registerByPost(request, p);
    await page.goto('/login?ref=/register');
    await expectAccessible(page);
    await signIn(page, p.username, p.password);
    await expect(page).toHaveURL((url) => url.pathname === '/register');
    await expectSignedInAs(page, p);
    await expectAccessible(page);

    await header(page).getByRole('button', { name: 'Sign out' }).click();
    await expectSignedOut(page);
    await expectAccessible(page);
    await page.reload();
    await expectSignedOut(page);
    await expectAccessible(page);
  });

  test('a pending user is told the registration awaits approval', async ({ page, request }) => {
    const p = newPerson('pendsrv');
    const location = await registerByPost(request, p, 'company_business', { registry_id: 'R-ACME01' });
    expect(location).toBe('/register/pending');
    await page.goto('/login');
    await expectAccessible(page);
    await signIn(page, p.username, p.password);
    await expect(loginForm(page).alert).toContainText('awaiting approval');
    await expect(loginForm(page).alert).toContainText(REFERENCE);
    await expectSignedOut(page);
    await expectAccessible(page);
  });
});

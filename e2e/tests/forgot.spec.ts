// covers: LOG-4, LOG-6, LOG-1, REG-15
// Forgot login: the request always gets the same neutral reply, the e-mail's link sets a new
// password once, and the user then signs in with it; an unknown name gets the same reply and
// no e-mail. With JavaScript on and off.
import { expect, test, type Page } from '../helpers/test';
import { expectAccessible } from '../helpers/a11y';
import {
  expectFieldError,
  expectSignedInAs,
  expectSignedOut,
  gotoReady,
  newPerson,
  registerByPost,
  strongPassword,
  type Person,
} from '../helpers/app';
import { mailsTo } from '../helpers/mail';

const SENT = 'If we found a matching account, we have sent you an e-mail';
const NO_LONGER_VALID = 'This link is no longer valid';
const MAIL_WAIT = { timeout: 20_000 };

function forgotForm(page: Page) {
  const main = page.getByRole('main');
  return {
    username: main.getByRole('textbox', { name: 'Username', exact: true }),
    email: main.getByRole('textbox', { name: 'Email', exact: true }),
    send: main.getByRole('button', { name: 'Send', exact: true }),
    status: main.locator('.notice[role="status"]'),
  };
}

/** Asks for login help on /forgot and answers the neutral reply it shows. */
async function askForHelp(page: Page, username: string, email = ''): Promise<string> {
  await gotoReady(page, '/forgot');
  await expect(page.getByRole('heading', { level: 1, name: 'Forgot your username or password?' })).toBeVisible();
  await expectAccessible(page);
  const f = forgotForm(page);
  await f.username.fill(username);
  await f.email.fill(email);
  await f.send.click();
  await expect(f.status).toContainText(SENT);
  await expect(page.getByRole('main').getByRole('alert')).toHaveCount(0);
  await expectAccessible(page);
  return ((await f.status.textContent()) ?? '').trim();
}

/** The forgot-login e-mails to `address` (not the registration's). */
const helpMails = (address: string) =>
  mailsTo(address).filter((m) => (m.headers['subject'] ?? '').startsWith('Your login'));

/** The path of the set-password link in the (one) forgot-login e-mail to `p`. */
async function linkFor(p: Person): Promise<string> {
  await expect.poll(() => helpMails(p.email).length, { message: `an e-mail to ${p.email}`, ...MAIL_WAIT }).toBe(1);
  const mail = helpMails(p.email)[0];
  expect(mail.text).toContain(p.username);
  expect(mail.text).not.toContain(p.password);
  const path = /\/password\/reset\/[A-Za-z0-9_-]{43}/.exec(mail.text)?.[0];
  expect(path, 'a set-password link').toBeTruthy();
  return path as string;
}

async function setPassword(page: Page, link: string, password: string): Promise<void> {
  await gotoReady(page, link);
  await expect(page.getByRole('heading', { level: 1, name: 'Set password' })).toBeVisible();
  await expectAccessible(page);
  const main = page.getByRole('main');
  await main.getByRole('textbox', { name: 'New password', exact: true }).fill(password);
  await main.getByRole('textbox', { name: 'Confirm new password', exact: true }).fill(password);
  await main.getByRole('button', { name: 'Set password', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/login' && url.searchParams.get('notice') === 'password_reset');
  await expect(main.getByRole('status').filter({ hasText: 'Your password has been set. Please sign in.' })).toBeVisible();
  await expectSignedOut(page);
  await expectAccessible(page);
}

async function signIn(page: Page, p: Person, password: string): Promise<void> {
  const main = page.getByRole('main');
  await main.getByRole('textbox', { name: 'Username', exact: true }).fill(p.username);
  await main.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await main.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expectSignedInAs(page, p);
  await expectAccessible(page);
}

async function expectLinkRefused(page: Page, link: string): Promise<void> {
  await gotoReady(page, link);
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 1, name: NO_LONGER_VALID })).toBeVisible();
  await expect(main.getByRole('link', { name: 'Ask for a new link' })).toHaveAttribute('href', '/forgot');
  await expect(main.getByRole('textbox', { name: 'New password', exact: true })).toHaveCount(0);
  await expectAccessible(page);
}

for (const javaScript of [true, false]) {
  test.describe(`forgot login (JavaScript ${javaScript ? 'on' : 'off'})`, () => {
    test.use({ javaScriptEnabled: javaScript });

    test('forgot, e-mail, set a new password, sign in with it; the link then refused', async ({ page, request }) => {
      const p = newPerson(javaScript ? 'forgot' : 'forgotsrv');
      await registerByPost(request, p);
      await askForHelp(page, p.username);
      const link = await linkFor(p);

      const fresh = strongPassword();
      await setPassword(page, link, fresh);
      await signIn(page, p, fresh);
      await expectLinkRefused(page, link);
    });

    test('an unknown name gets the same reply and no e-mail; blank fields are refused', async ({ page, request }) => {
      const stranger = newPerson('nobody');
      const unknownReply = await askForHelp(page, stranger.username, stranger.email);

      // A known request made afterwards is handled after the unknown one: once its e-mail is
      // there, the unknown one was handled too — and sent nothing.
      const p = newPerson(javaScript ? 'forgotknown' : 'forgotknownsrv');
      await registerByPost(request, p);
      const knownReply = await askForHelp(page, '', p.email);
      expect(knownReply).toBe(unknownReply);
      await linkFor(p);
      expect(mailsTo(stranger.email)).toHaveLength(0);

      await gotoReady(page, '/forgot');
      const f = forgotForm(page);
      await f.send.click();
      await expectFieldError(f.username, 'Enter your username or your e-mail address');
      await expect(f.status).toHaveCount(0);
      await expectAccessible(page);
    });
  });
}

// covers: ADM-1, ADM-2, ADM-3, ADM-8, LOG-3, LOG-6, SEC-5, NOT-1
// Company administration's contact pages, as a company's primary user uses them: a user created
// with an invitation sets their password from the e-mail's link and signs in, and is then found
// in the list by a name prefix; a user created with a temporary password must change it at first
// sign-in; Create contact without JavaScript keeps the values and shows the errors next to the
// fields, then saves a contact without a login; a username already taken is refused next to
// Username; a user made Inactive loses their session on their next request; a business user is
// refused every contact page and another company's primary user gets "not found".
// ADM-8 here with its setting on (the default): logins are created and the username is editable;
// the setting off is covered by the use-case tests (it is merchant-wide, and would disturb the
// specs that run at the same time). Axe on every page visited; screenshots at 390 and 1280 px.
import { expect, test, type Page } from '../helpers/test';
import type { Browser } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { expectAccessible, isJavaScriptDisabled } from '../helpers/a11y';
import {
  expectFieldError,
  expectSignedInAs,
  expectSignedOut,
  fullName,
  header,
  newPerson,
  strongPassword,
  type Person,
} from '../helpers/app';
import {
  newCompany,
  newUserPage,
  notice,
  open,
  registerCompany,
  signIn,
  sqlite,
  waitForMail,
  waitHydrated,
} from '../helpers/approvals';

async function screenshots(page: Page, name: string): Promise<void> {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `test-results/${name}-${width}.png`, fullPage: true });
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(sideways, `nothing scrolls sideways at ${width} px`).toBe(false);
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

const CREATED = 'The contact was created.';
const INVITED = 'The user was created. We sent them an e-mail with their username and a link to set their password.';
const TEMPORARY =
  'The user was created with the temporary password you chose. Give it to them yourself: they must change it when they first sign in.';
const SAVED = 'The contact was saved.';
const USERNAME_TAKEN = 'Username already used';
const ENTER_A_NAME = 'Enter a name';
const BAD_EMAIL = 'Enter a valid e-mail address, like name@example.com';
const NEW_ACCOUNT_MAIL = /^Your new account at /;
const RESET_LINK = /\/password\/reset\/[A-Za-z0-9_-]+/;

/** A person whose last name no other test uses (letters only), so a search finds exactly them. */
function uniquePerson(prefix: string): Person {
  const person = newPerson(prefix);
  const letters = randomBytes(5)
    .toString('hex')
    .replace(/[0-9]/g, (d) => 'ghijklmnop'[Number(d)]);
  return { ...person, lastName: `Quill${letters}` };
}

/** How many persons are called `lastName` (to check that nothing was created). */
function personsNamed(lastName: string): number {
  return Number(
    sqlite("print(db.execute('SELECT COUNT(*) FROM persons WHERE last_name = ?', (args[0],)).fetchone()[0])", lastName).trim(),
  );
}

/**
 * The Contacts list is ready: hydrated. Its search form is a plain GET form the app leaves to the
 * browser (no submit listener), so `waitHydrated` (every form taken over) does not apply to it.
 */
async function listReady(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  if (isJavaScriptDisabled(page)) return;
  await page.waitForFunction(
    () => (window as unknown as { __gatehouse_hydrated?: boolean }).__gatehouse_hydrated === true,
  );
}

/** Opens the Contacts list at `url` and waits until it is ready. */
async function openList(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await listReady(page);
}

const menuLink = (page: Page, name: string) => header(page).getByRole('link', { name, exact: true });

function contactForm(page: Page) {
  const main = page.getByRole('main');
  const textbox = (name: string) => main.getByRole('textbox', { name, exact: true });
  const register = main.getByRole('group', { name: 'Do you want to register this contact as a user?', exact: true });
  const method = main.getByRole('group', { name: 'How does the user get a password?', exact: true });
  return {
    firstName: textbox('First name'),
    lastName: textbox('Last name'),
    email: textbox('Email'),
    phone: textbox('Phone'),
    jobTitle: textbox('Job title'),
    contactStatus: main.getByRole('combobox', { name: 'Contact status', exact: true }),
    registerYes: register.getByRole('radio', { name: 'Yes', exact: true }),
    registerNo: register.getByRole('radio', { name: 'No', exact: true }),
    userType: main.getByRole('combobox', { name: 'User type', exact: true }),
    username: textbox('Username'),
    invite: method.getByRole('radio', { name: 'Send an invitation link', exact: true }),
    temporary: method.getByRole('radio', { name: 'Set a temporary password', exact: true }),
    temporaryPassword: textbox('Temporary password'),
    account: main.getByRole('combobox', { name: 'Primary account', exact: true }),
    startDate: main.getByLabel('Start date', { exact: true }),
    endDate: main.getByLabel('End date', { exact: true }),
    save: main.getByRole('button', { name: 'Save', exact: true }),
  };
}

/** A new company whose primary user is signed in on `page`. */
async function companyAdmin(page: Page, prefix: string): Promise<Person> {
  const primary = newPerson(`${prefix}p`);
  await registerCompany(page, newCompany(prefix), primary, expectAccessible);
  return primary;
}

/** Opens Create contact from the Contacts list (through the menu), checking both pages. */
async function openCreateContact(page: Page): Promise<void> {
  await menuLink(page, 'Contacts').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible();
  await listReady(page);
  await expectAccessible(page);
  await page.getByRole('main').getByRole('link', { name: 'Create contact', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Create contact' })).toBeVisible();
  await waitHydrated(page);
  await expectAccessible(page);
}

async function fillDetails(page: Page, p: Person, jobTitle = 'Buyer'): Promise<void> {
  const f = contactForm(page);
  await f.firstName.fill(p.firstName);
  await f.lastName.fill(p.lastName);
  await f.email.fill(p.email);
  await f.phone.fill(p.phone);
  await f.jobTitle.fill(jobTitle);
}

/** The contact id of the page the browser is on (`/admin/contacts/{id}`). */
function contactIdOf(page: Page): string {
  const match = /^\/admin\/contacts\/([^/]+)$/.exec(new URL(page.url()).pathname);
  if (!match) throw new Error(`not a contact page: ${page.url()}`);
  return match[1];
}

async function expectOnContactPage(page: Page, message: string): Promise<string> {
  await expect(page).toHaveURL((url) => /^\/admin\/contacts\/[^/]+$/.test(url.pathname) && url.pathname !== '/admin/contacts/new');
  await expect(notice(page).filter({ hasText: message })).toHaveText(message);
  await waitHydrated(page);
  return contactIdOf(page);
}

/** Creates a user with a temporary password (JavaScript on); answers the contact id and the password. */
async function createWithTemporaryPassword(page: Page, p: Person, userType: string): Promise<[string, string]> {
  await openCreateContact(page);
  await fillDetails(page, p);
  const f = contactForm(page);
  await f.registerYes.check();
  await f.userType.selectOption({ label: userType });
  await f.username.fill(p.username);
  await expect(f.temporaryPassword).toBeHidden();
  await f.temporary.check();
  await expect(f.temporaryPassword).toBeVisible();
  const temporary = strongPassword();
  await f.temporaryPassword.fill(temporary);
  await f.save.click();
  const id = await expectOnContactPage(page, TEMPORARY);
  await expectAccessible(page);
  return [id, temporary];
}

/** LOG-3: signs in with the temporary password, is held on /password/change, and changes it. */
async function firstSignIn(browser: Browser, p: Person, temporary: string): Promise<Page> {
  const userPage = await newUserPage(browser, true);
  await signIn(userPage, p.username, temporary);
  await expect(userPage).toHaveURL((url) => url.pathname === '/password/change');
  await expect(userPage.getByRole('heading', { level: 1, name: 'Reset password' })).toBeVisible();
  await waitHydrated(userPage);
  await expectAccessible(userPage);
  // Nothing else until it is changed.
  await open(userPage, '/profile');
  await expect(userPage).toHaveURL((url) => url.pathname === '/password/change');
  const main = userPage.getByRole('main');
  await main.getByRole('textbox', { name: 'Current password', exact: true }).fill(temporary);
  await main.getByRole('textbox', { name: 'New password', exact: true }).fill(p.password);
  await main.getByRole('textbox', { name: 'Confirm new password', exact: true }).fill(p.password);
  await main.getByRole('button', { name: 'Set password', exact: true }).click();
  await expect(userPage).not.toHaveURL((url) => url.pathname === '/password/change');
  await expectSignedInAs(userPage, p);
  await waitHydrated(userPage);
  await expectAccessible(userPage);
  return userPage;
}

test('a user created with an invitation sets a password from the e-mail, signs in, and is found in the list', async ({
  page,
  browser,
}) => {
  const primary = await companyAdmin(page, 'acinv');
  const invitee = uniquePerson('acinvu');
  const main = page.getByRole('main');

  await openCreateContact(page);
  const f = contactForm(page);
  // No is the default; the login fields show only while Yes is chosen.
  await expect(f.registerNo).toBeChecked();
  await expect(f.username).toBeHidden();
  await fillDetails(page, invitee);
  await f.registerYes.check();
  await expect(f.username).toBeVisible();
  await expect(f.invite).toBeChecked();
  await expect(f.temporaryPassword).toBeHidden();
  await expect(f.startDate).not.toHaveValue('');
  await expect(f.account).not.toHaveValue(''); // the company's only account, preselected
  await f.userType.selectOption({ label: 'Business user' });
  await f.username.fill(invitee.username);
  await expectAccessible(page);
  await screenshots(page, 'admin-contact-new');
  await f.save.click();

  const contactId = await expectOnContactPage(page, INVITED);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(fullName(invitee));
  await expect(f.firstName).toHaveValue(invitee.firstName);
  await expect(f.email).toHaveValue(invitee.email);
  const login = main.getByRole('group', { name: 'Login', exact: true });
  await expect(login.getByRole('textbox', { name: 'Username', exact: true })).toHaveValue(invitee.username);
  await expect(login.getByRole('combobox', { name: 'Status', exact: true })).toHaveValue('active');
  await expect(main.getByRole('checkbox', { name: 'Send this person marketing e-mails', exact: true })).not.toBeChecked();
  await expect(main.getByRole('button', { name: 'Send a set-password link', exact: true })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'admin-contact-details');

  // NOT-1: the e-mail names the username and carries the set-password link (LOG-6).
  const mail = await waitForMail(invitee.email, NEW_ACCOUNT_MAIL);
  expect(mail.text).toContain(invitee.username);
  const link = RESET_LINK.exec(mail.text)?.[0];
  expect(link, 'a set-password link in the e-mail').toBeTruthy();

  const inviteePage = await newUserPage(browser, true);
  await open(inviteePage, link as string);
  await expect(inviteePage.getByRole('heading', { level: 1, name: 'Set password' })).toBeVisible();
  await expectAccessible(inviteePage);
  const set = inviteePage.getByRole('main');
  await set.getByRole('textbox', { name: 'New password', exact: true }).fill(invitee.password);
  await set.getByRole('textbox', { name: 'Confirm new password', exact: true }).fill(invitee.password);
  await set.getByRole('button', { name: 'Set password', exact: true }).click();
  await expect(inviteePage).toHaveURL((url) => url.pathname === '/login');
  await expectSignedOut(inviteePage);
  await waitHydrated(inviteePage);
  await expectAccessible(inviteePage);
  await signIn(inviteePage, invitee.username, invitee.password);
  await expect(inviteePage).toHaveURL((url) => url.pathname === '/');
  await expectSignedInAs(inviteePage, invitee);
  await expectAccessible(inviteePage);
  await inviteePage.context().close();

  // ADM-1: listed (the primary user never is), and found by a prefix of the name.
  await openList(page, '/admin/contacts');
  await expect(page.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible();
  const row = main.getByRole('row').filter({ has: page.getByRole('cell', { name: invitee.username, exact: true }) });
  await expect(row).toHaveCount(1);
  const cells = (await row.getByRole('cell').allInnerTexts()).map((t) => t.trim());
  expect(cells).toEqual([invitee.username, invitee.email, invitee.phone, 'Active', 'Business user']);
  await expect(row.getByRole('link', { name: fullName(invitee), exact: true })).toHaveAttribute(
    'href',
    `/admin/contacts/${contactId}`,
  );
  await expect(main.getByRole('cell', { name: primary.username, exact: true })).toHaveCount(0);
  await expectAccessible(page);
  await screenshots(page, 'admin-contacts');
  // Every column shows at 1280 px, without scrolling the table sideways.
  const scroll = main.locator('.table-scroll');
  expect(await scroll.evaluate((box) => box.scrollWidth <= box.clientWidth)).toBe(true);

  const prefix = invitee.lastName.slice(0, 9).toLowerCase();
  await main.getByRole('searchbox', { name: 'Search', exact: true }).fill(prefix);
  await main.getByRole('combobox', { name: 'Status', exact: true }).selectOption({ label: 'Active' });
  await main.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get('q') === prefix && url.searchParams.get('status') === 'active');
  await expect(main.getByRole('table').getByRole('rowheader')).toHaveText([fullName(invitee)]);
  await expect(main.getByRole('searchbox', { name: 'Search', exact: true })).toHaveValue(prefix);
  await listReady(page);
  await expectAccessible(page);

  // The same search with the Inactive filter finds no one.
  await openList(page, `/admin/contacts?q=${prefix}&status=inactive`);
  await expect(notice(page)).toHaveText('No contacts match.');
  await expect(main.getByRole('table')).toHaveCount(0);
  await expectAccessible(page);
});

test('a user created with a temporary password must change it when they first sign in', async ({ page, browser }) => {
  await companyAdmin(page, 'actmp');
  const user = uniquePerson('actmpu');
  const [, temporary] = await createWithTemporaryPassword(page, user, 'Business user');

  // The e-mail names the username and never the password.
  const mail = await waitForMail(user.email, NEW_ACCOUNT_MAIL);
  expect(mail.text).toContain(user.username);
  expect(mail.text).not.toContain(temporary);
  expect(mail.text).not.toMatch(RESET_LINK);

  const userPage = await firstSignIn(browser, user, temporary);
  await userPage.context().close();
});

test.describe('without JavaScript', () => {
  test('bad input is shown next to the fields with the values kept, then a contact without a login is saved', async ({
    page,
    browser,
  }) => {
    const primary = await companyAdmin(page, 'acplain');
    const contact = uniquePerson('acplainc');
    const plain = await newUserPage(browser, false);
    await signIn(plain, primary.username, primary.password);
    await expect(plain).toHaveURL((url) => url.pathname === '/');
    await open(plain, '/admin/contacts/new');
    await expect(plain.getByRole('heading', { level: 1, name: 'Create contact' })).toBeVisible();
    await expectAccessible(plain);

    // The login fields follow Yes/No without JavaScript too (CSS).
    const f = contactForm(plain);
    await expect(f.registerNo).toBeChecked();
    await expect(f.username).toBeHidden();
    await f.registerYes.check();
    await expect(f.username).toBeVisible();
    await f.registerNo.check();
    await expect(f.username).toBeHidden();

    await f.lastName.fill(contact.lastName);
    await f.email.fill('not-an-email');
    await f.phone.fill(contact.phone);
    await f.jobTitle.fill('Site manager');
    await f.save.click();
    await expect(plain.getByRole('heading', { level: 1, name: 'Create contact' })).toBeVisible();
    await expectFieldError(f.firstName, ENTER_A_NAME);
    await expectFieldError(f.email, BAD_EMAIL);
    await expect(f.lastName).toHaveValue(contact.lastName);
    await expect(f.email).toHaveValue('not-an-email');
    await expect(f.phone).toHaveValue(contact.phone);
    await expect(f.jobTitle).toHaveValue('Site manager');
    await expect(f.registerNo).toBeChecked();
    expect(personsNamed(contact.lastName), 'nothing was created').toBe(0);
    await expectAccessible(plain);
    await screenshots(plain, 'admin-contact-new-errors');

    await f.firstName.fill(contact.firstName);
    await f.email.fill(contact.email);
    await f.save.click();
    const contactId = await expectOnContactPage(plain, CREATED);
    expect(personsNamed(contact.lastName)).toBe(1);
    const main = plain.getByRole('main');
    await expect(f.firstName).toHaveValue(contact.firstName);
    await expect(f.jobTitle).toHaveValue('Site manager');
    await expect(main.getByRole('group', { name: 'Login', exact: true })).toHaveCount(0);
    await expect(main.getByRole('heading', { name: 'Register this contact as a user', exact: true })).toBeVisible();
    await expectAccessible(plain);

    // Listed without a username or user type.
    await openList(plain, `/admin/contacts?q=${contact.lastName.toLowerCase()}`);
    const row = main.getByRole('row').filter({ has: plain.getByRole('link', { name: fullName(contact), exact: true }) });
    await expect(row.getByRole('link')).toHaveAttribute('href', `/admin/contacts/${contactId}`);
    expect((await row.getByRole('cell').allInnerTexts()).map((t) => t.trim())).toEqual([
      '',
      contact.email,
      contact.phone,
      'Active',
      '',
    ]);
    await expectAccessible(plain);
    await plain.context().close();
  });
});

test('a username already taken is refused next to Username, with the other values kept', async ({ page }) => {
  const primary = await companyAdmin(page, 'actaken');
  const contact = uniquePerson('actakenc');
  await openCreateContact(page);
  await fillDetails(page, contact);
  const f = contactForm(page);
  await f.registerYes.check();
  await f.userType.selectOption({ label: 'Business user' });
  await f.username.fill(primary.username);
  await f.save.click();
  await expectFieldError(f.username, USERNAME_TAKEN);
  await expect(page).toHaveURL((url) => url.pathname === '/admin/contacts/new');
  await expect(f.firstName).toHaveValue(contact.firstName);
  await expect(f.lastName).toHaveValue(contact.lastName);
  await expect(f.email).toHaveValue(contact.email);
  await expect(f.phone).toHaveValue(contact.phone);
  await expect(f.registerYes).toBeChecked();
  await expect(f.userType.locator('option:checked')).toHaveText('Business user');
  await expect(f.username).toHaveValue(primary.username);
  expect(personsNamed(contact.lastName), 'nothing was created').toBe(0);
  await expectAccessible(page);
});

test('a user made Inactive loses their session on their next request', async ({ page, browser }) => {
  await companyAdmin(page, 'acoff');
  const user = uniquePerson('acoffu');
  const [contactId, temporary] = await createWithTemporaryPassword(page, user, 'Business user');
  const userPage = await firstSignIn(browser, user, temporary);

  // ADM-3: the Details tab's login status.
  const main = page.getByRole('main');
  const login = main.getByRole('group', { name: 'Login', exact: true });
  await login.getByRole('combobox', { name: 'Status', exact: true }).selectOption('inactive');
  await main.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(notice(page).filter({ hasText: SAVED })).toHaveText(SAVED);
  await expect(page).toHaveURL((url) => url.pathname === `/admin/contacts/${contactId}`);
  await waitHydrated(page);
  await expect(login.getByRole('combobox', { name: 'Status', exact: true })).toHaveValue('inactive');
  await expectAccessible(page);

  // Their next request finds no session.
  await userPage.goto('/profile');
  await expect(userPage).toHaveURL((url) => url.pathname === '/login');
  await expectSignedOut(userPage);
  await expectAccessible(userPage);
  // And they cannot sign in again.
  await signIn(userPage, user.username, user.password);
  await expect(userPage.getByRole('main').getByRole('alert').filter({ hasText: /\S/ }).first()).toBeVisible();
  await expect(userPage).toHaveURL((url) => url.pathname === '/login');
  await expectSignedOut(userPage);
  await userPage.context().close();

  // Listed as Inactive.
  await openList(page, `/admin/contacts?q=${user.lastName.toLowerCase()}&status=inactive`);
  const row = main.getByRole('row').filter({ has: page.getByRole('cell', { name: user.username, exact: true }) });
  await expect(row.getByRole('cell').nth(3)).toHaveText('Inactive');
  await expectAccessible(page);
});

test('a business user is refused every contact page; another company\'s primary user gets "not found"', async ({
  page,
  browser,
}) => {
  await companyAdmin(page, 'acdeny');
  const staff = uniquePerson('acdenys');
  const [contactId, temporary] = await createWithTemporaryPassword(page, staff, 'Business user');
  const staffPage = await firstSignIn(browser, staff, temporary);
  await expect(menuLink(staffPage, 'Contacts')).toHaveCount(0);
  for (const url of ['/admin/contacts', '/admin/contacts/new', `/admin/contacts/${contactId}`]) {
    const response = await staffPage.goto(url);
    expect(response?.status(), url).toBe(403);
    await expect(staffPage.getByRole('heading', { level: 1, name: 'Access denied' })).toBeVisible();
    await expect(staffPage.getByRole('main')).not.toContainText(staff.email);
  }
  await expectAccessible(staffPage);
  await staffPage.context().close();

  const otherPage = await newUserPage(browser, true);
  await companyAdmin(otherPage, 'acother');
  const response = await otherPage.goto(`/admin/contacts/${contactId}`);
  expect(response?.status()).toBe(404);
  await expect(otherPage.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  const body = await otherPage.locator('body').innerText();
  expect(body).not.toContain(staff.lastName);
  expect(body).not.toContain(staff.email);
  await waitHydrated(otherPage);
  await expectAccessible(otherPage);
  // Their own list does not show the other company's person either.
  await openList(otherPage, `/admin/contacts?q=${staff.lastName.toLowerCase()}`);
  await expect(notice(otherPage)).toHaveText('No contacts match.');
  await expectAccessible(otherPage);
  await otherPage.context().close();
});

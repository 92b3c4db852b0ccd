// covers: REG-6, REG-7, REG-13, REG-14, REG-15, LOG-2, LOG-5, APR-4, APR-5, NOT-1, SEC-7
// A company registers (Registry ID on the confirmation page and in the e-mail), a colleague
// registers with that Registry ID (in a browser of their own) and waits for approval, the
// company's primary user approves from Pending Approvals with a comment, and the colleague can
// sign in. The whole journey with JavaScript (server function calls) and without (plain posts).
// Then the errors: missing company fields, unknown or malformed Registry ID; nothing written.
import { expect, test, type Page } from '../helpers/test';
import type { Browser } from '@playwright/test';
import { expectAccessible } from '../helpers/a11y';
import {
  expectFieldError,
  expectSignedInAs,
  expectSignedOut,
  fillRegistration,
  fullName,
  header,
  newPerson,
  registrationFields,
  type Person,
} from '../helpers/app';
import { baseURL } from '../helpers/env';
import {
  companyFields,
  decisionForm,
  detail,
  expectBackOnQueue,
  fillCompany,
  loginForm,
  newCompany,
  newUserPage,
  notice,
  open,
  QUEUE_COLUMNS,
  queueRow,
  registerCompany,
  registerStaff,
  REGISTRY_ID,
  rowCells,
  signIn,
  usersNamed,
  organizationsNamed,
  waitForMail,
  waitHydrated,
  type Company,
} from '../helpers/approvals';

/** The company's primary user opens Pending Approvals from the header link. */
async function openQueueFromHeader(page: Page): Promise<void> {
  await header(page).getByRole('link', { name: 'Pending Approvals', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/admin/approvals');
  await expect(page.getByRole('heading', { level: 1, name: 'Pending Approvals' })).toBeVisible();
  await waitHydrated(page);
}

/** APR-4: the staff member's row shows who, what and which step. */
async function expectQueueRow(page: Page, staff: Person, company: Company): Promise<void> {
  const headers = (await page.getByRole('main').getByRole('columnheader').allTextContents()).map((t) => t.trim());
  expect(headers).toEqual(QUEUE_COLUMNS);
  const row = queueRow(page, staff.username);
  await expect(row).toHaveCount(1);
  const cells = await rowCells(row);
  expect(cells).toMatchObject({
    Name: fullName(staff),
    Username: staff.username,
    'E-mail': staff.email,
    'User type': 'Business user',
    Company: company.name,
    'Request type': 'Registration',
    Step: '1 of 1',
  });
  expect(cells.Submitted).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  await expect(row.getByRole('link', { name: /^Approve\b/ })).toHaveAttribute(
    'href',
    /^\/admin\/approvals\/[^/]+\/approve$/,
  );
  await expect(row.getByRole('link', { name: /^Reject\b/ })).toHaveAttribute(
    'href',
    /^\/admin\/approvals\/[^/]+\/reject$/,
  );
}

async function companyJourney(page: Page, browser: Browser, javaScriptEnabled: boolean): Promise<void> {
  test.setTimeout(120_000); // two people, a dozen pages, each checked with axe
  const company = newCompany(javaScriptEnabled ? 'JS' : 'Plain');
  const primary = newPerson(javaScriptEnabled ? 'prim' : 'primsrv');
  const staff = newPerson(javaScriptEnabled ? 'staff' : 'staffsrv');
  const comment = `Welcome aboard, ${staff.firstName} (${Date.now()})`;

  // REG-6: the company registers; the confirmation shows the Registry ID and a Continue link.
  const registryId = await registerCompany(page, company, primary, expectAccessible);
  expect(registryId).toMatch(REGISTRY_ID);
  await expect(page.getByRole('main')).toContainText(company.name);
  await expect(page.getByRole('main').getByRole('link', { name: 'Continue' })).toHaveAttribute('href', '/');
  await expectSignedInAs(page, primary);
  await expect(header(page).getByRole('link', { name: 'Pending Approvals' })).toBeVisible();
  // NOT-1: "registration received" (no approval needed) carries the Registry ID, never the password.
  const received = await waitForMail(primary.email, /your account is ready/);
  expect(received.text).toContain(registryId);
  expect(received.text).toContain(primary.username);
  expect(received.text, 'no password in the e-mail (SEC-7)').not.toContain(primary.password);

  // REG-7, REG-13: a colleague registers with the Registry ID, in a browser of their own.
  const staffPage = await newUserPage(browser, javaScriptEnabled);
  try {
    await registerStaff(staffPage, staff, registryId, expectAccessible);
    await expectSignedOut(staffPage);
    const pendingMail = await waitForMail(staff.email, /^We received your registration/);
    expect(pendingMail.text).toContain(staff.username);
    expect(pendingMail.text).not.toContain(staff.password);

    // NOT-1: the company's primary user is asked to approve, with a link to the queue.
    const needed = await waitForMail(primary.email, /^Approval needed: /);
    expect(needed.headers['subject']).toContain(fullName(staff));
    expect(needed.text).toContain(staff.username);
    expect(needed.text).toContain(`${baseURL()}/admin/approvals`);

    // LOG-2: the right password is not enough yet.
    await signIn(staffPage, staff.username, staff.password);
    await expect(loginForm(staffPage).alert).toContainText('awaiting approval');
    await expectSignedOut(staffPage);
    await expectAccessible(staffPage);

    // APR-4: the primary user's queue lists the request.
    await openQueueFromHeader(page);
    await expectAccessible(page);
    await expectQueueRow(page, staff, company);

    // APR-5: approve with a comment; the company's account is offered.
    await queueRow(page, staff.username).getByRole('link', { name: /^Approve\b/ }).click();
    await expect(page).toHaveURL((url) => /^\/admin\/approvals\/[^/]+\/approve$/.test(url.pathname));
    await expect(page.getByRole('heading', { level: 1, name: 'Approve request' })).toBeVisible();
    await waitHydrated(page);
    await expect(detail(page, 'Name')).toHaveText(fullName(staff));
    await expect(detail(page, 'Username')).toHaveText(staff.username);
    await expect(detail(page, 'Company')).toHaveText(company.name);
    await expect(detail(page, 'Step')).toHaveText('1 of 1');
    const form = decisionForm(page);
    await expect(form.comments).toHaveAttribute('name', 'comments');
    await expect(form.accounts.getByRole('checkbox')).toHaveCount(1);
    await expect(form.accounts.getByRole('checkbox').first()).toHaveAttribute('name', 'accounts');
    await expect(form.accounts.getByRole('checkbox', { name: /\(primary\)$/ })).toHaveCount(1);
    await expectAccessible(page);
    await form.comments.fill(comment);
    await form.approve.click();

    await expectBackOnQueue(page, '/admin/approvals');
    await expect(notice(page)).toHaveText('Approved. The user can now sign in.');
    await expect(queueRow(page, staff.username)).toHaveCount(0);
    await expect(page.getByRole('main')).toContainText('There are no requests waiting for you.');
    await waitHydrated(page);
    await expectAccessible(page);

    // The colleague signs in and sees their name; the welcome e-mail is there.
    await signIn(staffPage, staff.username, staff.password);
    await expect(staffPage).toHaveURL(`${baseURL()}/`);
    await expectSignedInAs(staffPage, staff);
    // A business user holds no PENDING_APPROVALS permission.
    await expect(header(staffPage).getByRole('link', { name: 'Pending Approvals' })).toHaveCount(0);
    await waitHydrated(staffPage);
    await expectAccessible(staffPage);
    const welcome = await waitForMail(staff.email, /has been approved$/);
    expect(welcome.text).toContain(staff.username);
    expect(welcome.text).toContain(`${baseURL()}/login`);
    expect(welcome.text, 'no password in the e-mail (SEC-7)').not.toContain(staff.password);
  } finally {
    await staffPage.context().close();
  }
}

test.describe('company registration and staff approval (JavaScript on)', () => {
  test('register a company, a colleague joins with the Registry ID, the primary user approves', async ({
    page,
    browser,
  }) => {
    await companyJourney(page, browser, true);
  });
});

test.describe('company registration and staff approval (JavaScript off)', () => {
  test.use({ javaScriptEnabled: false });

  test('the same journey with plain HTML form posts', async ({ page, browser }) => {
    await companyJourney(page, browser, false);
  });
});

// ---------------------------------------------------------------------------------------------
// Errors (REG-14)

/** The company form with the name and the optional fields only: four required fields missing. */
async function submitIncompleteCompany(page: Page, company: Company, p: Person): Promise<void> {
  const { name, addressLine2, region, phone } = company;
  await fillCompany(page, { name, addressLine2, region, phone });
  await fillRegistration(page, p);
  await registrationFields(page).submit.click();
}

async function expectMissingCompanyFields(
  page: Page,
  company: Company,
  p: Person,
  answeredByServer: boolean,
): Promise<void> {
  const f = companyFields(page);
  await expectFieldError(f.addressLine1, 'Enter the first line of the address');
  await expectFieldError(f.city, 'Enter the city');
  await expectFieldError(f.postalCode, 'Enter a postal code');
  await expectFieldError(f.country, 'Choose a country');
  await expect(f.companyName).toHaveAttribute('aria-invalid', 'false');
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(
    'There are problems with 4 fields. Please correct them below.',
  );
  // Entered values are kept, passwords never.
  await expect(f.companyName).toHaveValue(company.name);
  await expect(f.region).toHaveValue(company.region);
  await expect(registrationFields(page).username).toHaveValue(p.username);
  // A server answer never carries the password back (REG-14); the browser's own check leaves it.
  if (answeredByServer) await expect(registrationFields(page).password).toHaveValue('');
  await expectSignedOut(page);
  // Nothing was written: no organization, no user.
  expect(organizationsNamed(company.name), 'no organization created').toBe(0);
  expect(usersNamed(p.username), 'no user created').toBe(0);
}

/** After the errors the completed form goes through: the failed submit reserved nothing. */
async function completeCompany(page: Page, company: Company, p: Person): Promise<void> {
  await fillCompany(page, company);
  const f = registrationFields(page);
  await f.password.fill(p.password);
  await f.passwordConfirm.fill(p.password);
  await f.submit.click();
  await expect(page).toHaveURL((url) => url.pathname === '/register/complete');
  await expect(page.getByRole('main').locator('code.registry-id')).toHaveText(REGISTRY_ID);
  await expectSignedInAs(page, p);
  expect(organizationsNamed(company.name)).toBe(1);
}

const UNKNOWN = 'We could not find an active company with this Registry ID';

/** A well-formed Registry ID (REG-6 alphabet) that no company has, with near certainty. */
const unknownRegistryId = (): string => `R-ZZ${Math.floor(Math.random() * 10_000).toString().padStart(4, '0')}`;

test.describe('registration errors on the company forms (JavaScript on)', () => {
  test('missing company fields are shown next to each field, and nothing is created', async ({ page }) => {
    const company = newCompany('Err');
    const p = newPerson('comperr');
    await open(page, '/register/company_primary');
    await expectAccessible(page);
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') posts.push(new URL(r.url()).pathname);
    });
    await submitIncompleteCompany(page, company, p);
    await expectMissingCompanyFields(page, company, p, false);
    expect(posts, 'checked in the browser, before any request (REG-14)').toEqual([]);
    await expectAccessible(page);

    await completeCompany(page, company, p);
    await waitHydrated(page);
    await expectAccessible(page);
  });

  test('an unknown Registry ID is an error on that field; a malformed one too', async ({ page }) => {
    const staff = newPerson('unkreg');
    await open(page, '/register/company_business');
    await expectAccessible(page);
    const f = registrationFields(page);

    await fillRegistration(page, staff, { registryId: 'R-12' });
    await f.submit.click();
    await expectFieldError(f.registryId, 'Enter a Registry ID like R-7K4Q2M');
    await expectAccessible(page);

    await f.registryId.fill(unknownRegistryId());
    await f.password.fill(staff.password);
    await f.passwordConfirm.fill(staff.password);
    await f.submit.click();
    await expectFieldError(f.registryId, UNKNOWN);
    await expect(page.getByRole('main').getByRole('alert')).toHaveText(
      'There is a problem with one field. Please correct it below.',
    );
    await expect(page).toHaveURL((url) => url.pathname === '/register/company_business');
    await expect(f.username).toHaveValue(staff.username);
    await expectSignedOut(page);
    expect(usersNamed(staff.username), 'no user created').toBe(0);
    await expectAccessible(page);
  });
});

test.describe('registration errors on the company forms (JavaScript off)', () => {
  test.use({ javaScriptEnabled: false });

  test('the server shows missing company fields next to each field, and creates nothing', async ({ page }) => {
    const company = newCompany('ErrSrv');
    const p = newPerson('comperrsrv');
    await open(page, '/register/company_primary');
    await expectAccessible(page);
    await submitIncompleteCompany(page, company, p);
    await expectMissingCompanyFields(page, company, p, true);
    await expectAccessible(page);

    await completeCompany(page, company, p);
    await expectAccessible(page);
  });

  test('the server refuses an unknown Registry ID on its field', async ({ page }) => {
    const staff = newPerson('unkregsrv');
    await open(page, '/register/company_business');
    await expectAccessible(page);
    await fillRegistration(page, staff, { registryId: unknownRegistryId() });
    await registrationFields(page).submit.click();
    await expectFieldError(registrationFields(page).registryId, UNKNOWN);
    await expect(registrationFields(page).username).toHaveValue(staff.username);
    await expectSignedOut(page);
    expect(usersNamed(staff.username), 'no user created').toBe(0);
    await expectAccessible(page);
  });
});

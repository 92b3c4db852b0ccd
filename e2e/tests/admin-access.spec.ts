// covers: ADM-4, ADM-5, ADM-6, ADM-7, ADM-9, SEC-5, REG-15
// A user's Roles, Sites and Accounts tabs and Role Management, as a company's primary user
// uses them: a custom role made of a subset of their permissions is granted to a staff user,
// who sees exactly its pages on their next request (second browser context), and loses them
// when it is revoked; sites are assigned and removed; accounts are assigned and removed after a
// confirmation that warns before the last one (without JavaScript); every one of these URLs is
// refused to a business user. Axe on every page visited; screenshots at 390 and 1280 px.
import { expect, test, type Page } from '../helpers/test';
import type { Browser } from '@playwright/test';
import { expectAccessible } from '../helpers/a11y';
import { header, newPerson, type Person } from '../helpers/app';
import {
  decisionForm,
  expectBackOnQueue,
  findInQueue,
  newCompany,
  newUserPage,
  notice,
  open,
  registerCompany,
  registerStaff,
  signIn,
  sqlite,
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

interface Setup {
  staffPage: Page;
  staff: Person;
  primary: Person;
  contactId: string;
  organizationId: string;
}

/** A new company (its primary user signed in on `page`) and an approved staff user, signed in on a page of their own. */
async function companyWithStaff(page: Page, browser: Browser, prefix: string): Promise<Setup> {
  const primary = newPerson(`${prefix}p`);
  const staff = newPerson(`${prefix}s`);
  const registryId = await registerCompany(page, newCompany(prefix), primary, expectAccessible);
  const staffPage = await newUserPage(browser, true);
  await registerStaff(staffPage, staff, registryId, async () => {});
  const row = await findInQueue(page, '/admin/approvals', staff.username, async () => {});
  await row.getByRole('link', { name: /^Approve / }).click();
  await decisionForm(page).approve.click();
  await expectBackOnQueue(page, '/admin/approvals');
  await signIn(staffPage, staff.username, staff.password);
  await expect(staffPage).toHaveURL((url) => url.pathname === '/');
  const [contactId, organizationId] = sqlite(
    "print(*db.execute('SELECT contact_id, organization_id FROM users WHERE username = ?', (args[0],)).fetchone())",
    staff.username,
  )
    .trim()
    .split(' ');
  return { staffPage, staff, primary, contactId, organizationId };
}

const menuLink = (page: Page, name: string) => header(page).getByRole('link', { name, exact: true });

test('a custom role with a subset of permissions is granted, its holder sees exactly its pages, and revoking takes them away', async ({
  page,
  browser,
}) => {
  const { staffPage, contactId } = await companyWithStaff(page, browser, 'acrole');
  const main = page.getByRole('main');

  // Role Management: seeded roles read-only, a new role from the primary user's own permissions.
  await menuLink(page, 'Roles').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Role Management' })).toBeVisible();
  await expect(main.getByRole('cell', { name: 'Primary User', exact: true })).toBeVisible();
  await expectAccessible(page);
  await main.getByRole('link', { name: 'Add a role', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Add a role' })).toBeVisible();
  await waitHydrated(page);
  await main.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(main.locator('.field-error').first()).toHaveText('Enter a name for the role');
  await expectAccessible(page);
  await screenshots(page, 'admin-roles-new-errors');
  await main.getByRole('textbox', { name: 'Name', exact: true }).fill('Approvers');
  await main.getByRole('textbox', { name: 'Description', exact: true }).fill('Decide staff registrations');
  await main.getByRole('checkbox', { name: 'Pending approvals', exact: true }).check();
  await main.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(notice(page)).toHaveText('The role was created.');
  const approvers = main.getByRole('row').filter({ hasText: 'Approvers' });
  await expect(approvers).toContainText('Pending approvals');
  await expectAccessible(page);
  await screenshots(page, 'admin-roles');

  // The Roles tab of the staff user: grant the new role.
  const roles = `/admin/contacts/${contactId}/roles`;
  await open(page, roles);
  await expect(main.getByRole('navigation', { name: 'This contact' }).getByRole('link', { name: 'Roles' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(main.getByRole('button', { name: 'Grant Primary User' })).toBeVisible();
  await expectAccessible(page);
  await main.getByRole('button', { name: 'Grant Approvers', exact: true }).click();
  await expect(notice(page)).toHaveText(/The role was granted/);
  await expect(main.getByRole('button', { name: 'Revoke Approvers', exact: true })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'admin-contact-roles');

  // The holder's next request: exactly the role's page added to what a business user sees.
  await open(staffPage, '/profile');
  await expect(menuLink(staffPage, 'Pending Approvals')).toBeVisible();
  await expect(menuLink(staffPage, 'Contacts')).toHaveCount(0);
  await expect(menuLink(staffPage, 'Roles')).toHaveCount(0);
  await menuLink(staffPage, 'Pending Approvals').click();
  await expect(staffPage.getByRole('heading', { level: 1, name: 'Pending Approvals' })).toBeVisible();
  await expectAccessible(staffPage);
  const refused = await staffPage.goto('/admin/roles');
  expect(refused?.status()).toBe(403);

  // Revoke (no confirmation): gone on the holder's next request.
  await main.getByRole('button', { name: 'Revoke Approvers', exact: true }).click();
  await expect(notice(page)).toHaveText(/The role was revoked/);
  await expect(main.getByRole('button', { name: 'Grant Approvers', exact: true })).toBeVisible();
  await open(staffPage, '/profile');
  await expect(menuLink(staffPage, 'Pending Approvals')).toHaveCount(0);
  const gone = await staffPage.goto('/admin/approvals');
  expect(gone?.status()).toBe(403);

  // Edit and delete the role (each page checked).
  await open(page, '/admin/roles');
  await main.getByRole('link', { name: 'Edit Approvers', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Edit role' })).toBeVisible();
  await expect(main.getByRole('checkbox', { name: 'Pending approvals', exact: true })).toBeChecked();
  await expectAccessible(page);
  await screenshots(page, 'admin-roles-edit');
  await open(page, '/admin/roles');
  await main.getByRole('link', { name: 'Delete Approvers', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Delete role' })).toBeVisible();
  await expect(main).toContainText('No user holds this role.');
  await expectAccessible(page);
  await screenshots(page, 'admin-roles-delete');
  await waitHydrated(page);
  await main.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(notice(page)).toHaveText('The role was deleted.');
  await expect(main.getByRole('cell', { name: 'Approvers', exact: true })).toHaveCount(0);
});

test('sites are assigned and removed; accounts are assigned and removed after a confirmation, without JavaScript', async ({
  page,
  browser,
}) => {
  const { contactId, organizationId, primary } = await companyWithStaff(page, browser, 'acsite');
  const main = page.getByRole('main');

  // ADM-5: the demo data's Trade Counter requires Business User, so the staff user has it.
  const sites = `/admin/contacts/${contactId}/sites`;
  await open(page, sites);
  const trade = main.getByRole('row').filter({ hasText: 'Trade Counter' });
  await expect(trade).toContainText('Assigned');
  await expectAccessible(page);
  await screenshots(page, 'admin-contact-sites');
  await main.getByRole('button', { name: 'Remove Trade Counter', exact: true }).click();
  await expect(notice(page)).toHaveText('The site was removed.');
  await expect(trade).toContainText('Not assigned');
  await main.getByRole('button', { name: 'Assign Trade Counter', exact: true }).click();
  await expect(notice(page)).toHaveText('The site was assigned.');
  await expect(trade).toContainText('Assigned');

  // ADM-6 without JavaScript: a second account of the company, assigned, then both removed.
  const second = `A-E2E${Date.now().toString(36).toUpperCase().slice(-5)}`;
  sqlite(
    "db.execute(\"INSERT INTO accounts (id, account_number, organization_id, is_company_primary, status, created_at) VALUES (?, ?, ?, 0, 'active', 0)\", (args[0], args[1], args[2]))",
    `e2e-${second}`,
    second,
    organizationId,
  );
  const plain = await newUserPage(browser, false);
  await signIn(plain, primary.username, primary.password);
  await expect(plain).toHaveURL((url) => url.pathname === '/');
  const plainMain = plain.getByRole('main');
  const accounts = `/admin/contacts/${contactId}/accounts`;
  await open(plain, accounts);
  await expect(plainMain.getByRole('heading', { name: 'Assigned accounts' })).toBeVisible();
  const first = (await plainMain.getByRole('table').first().getByRole('cell').first().innerText()).trim();
  await expectAccessible(plain);
  await plainMain.getByRole('button', { name: `Assign ${second}`, exact: true }).click();
  await expect(notice(plain)).toHaveText('The account was assigned.');
  await expect(plainMain.getByRole('link', { name: `Remove ${second}`, exact: true })).toBeVisible();
  await expectAccessible(plain);
  await screenshots(plain, 'admin-contact-accounts');

  await plainMain.getByRole('link', { name: `Remove ${first}`, exact: true }).click();
  await expect(plainMain).toContainText(`Remove account ${first} from`);
  await expect(plainMain.locator('.warning')).toHaveCount(0);
  await expectAccessible(plain);
  await plainMain.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(notice(plain)).toHaveText('The account was removed.');
  await expect(plainMain.getByRole('row').filter({ hasText: second })).toContainText('Primary');

  await plainMain.getByRole('link', { name: `Remove ${second}`, exact: true }).click();
  const warning = plainMain.locator('p.warning[role="status"]');
  await expect(warning).toContainText('will have no account of your company left');
  await expect(plainMain.locator('.form-alert > p')).toHaveCount(0); // a warning, not an error
  await expectAccessible(plain);
  await screenshots(plain, 'admin-contact-account-remove-last');
  await plainMain.getByRole('link', { name: 'Cancel', exact: true }).click();
  await expect(plain).toHaveURL((url) => url.pathname === accounts);
  await plainMain.getByRole('link', { name: `Remove ${second}`, exact: true }).click();
  await plainMain.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(notice(plain)).toHaveText('The account was removed.');
  await expect(plainMain).toContainText('has no account of your company.');
  await expectAccessible(plain);
  await plain.context().close();
});

test('every admin URL of the access tabs and Role Management is refused to a business user', async ({ page, browser }) => {
  const { staffPage, contactId, organizationId } = await companyWithStaff(page, browser, 'acdeny');
  const account = sqlite(
    "print(db.execute('SELECT id FROM accounts WHERE organization_id = ? LIMIT 1', (args[0],)).fetchone()[0])",
    organizationId,
  ).trim();
  for (const url of [
    `/admin/contacts/${contactId}/roles`,
    `/admin/contacts/${contactId}/sites`,
    `/admin/contacts/${contactId}/accounts`,
    `/admin/contacts/${contactId}/accounts/${account}/remove`,
    '/admin/roles',
    '/admin/roles/new',
  ]) {
    const response = await staffPage.goto(url);
    expect(response?.status(), url).toBe(403);
    await expect(staffPage.getByRole('heading', { level: 1, name: 'Access denied' })).toBeVisible();
  }
  await expectAccessible(staffPage);
  await screenshots(staffPage, 'admin-access-refused');
  await expect(menuLink(staffPage, 'Roles')).toHaveCount(0);
  await expect(menuLink(staffPage, 'Contacts')).toHaveCount(0);
});

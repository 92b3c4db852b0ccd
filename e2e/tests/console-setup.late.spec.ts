// covers: CON-2, APR-2, APR-3, APR-4, APR-8, REG-14, REG-15, SEC-5
// CON-2 as the issue tells it: a merchant admin makes an approval group for one company whose
// member is that company's second administrator, adds a step for the group to the seeded
// company definition and moves it first; the next staff registration of the company then waits
// for the group — at step 1 of 2 in the console's approvals and in the member's Pending
// Approvals, not in the other primary user's. Removing the step again leaves the waiting request
// on the steps it was submitted with. Then, without JavaScript, a definition is created (a bad
// key refused beside the field, values kept) and its steps edited; the Roles and sites pages.
// Runs in the `late` project: it changes how the seeded definition routes every company's staff.
// Axe on every page; 390/1280 px.
import { expect, test, type Page } from '../helpers/test';
import { expectAccessible } from '../helpers/a11y';
import { newPerson, registerByPost, type Person } from '../helpers/app';
import {
  findInQueue,
  newCompany,
  newUserPage,
  open,
  queueLists,
  queueRow,
  registerStaff,
  rowCells,
  signIn,
  sqlite,
  waitHydrated,
} from '../helpers/approvals';
import { consoleNav, screenshots, signInAsNewConsoleAdmin } from '../helpers/console';

const DEFINITION = 'Approval by the company\'s primary users';

/** The Approvals setup section's tabs. */
const setupTabs = (page: Page) => page.getByRole('navigation', { name: 'Approvals setup' });

/** A company registered by `primary` (REG-6), its Registry ID read back. */
async function companyOf(request: Parameters<typeof registerByPost>[0], primary: Person): Promise<{ name: string; registryId: string }> {
  const company = newCompany('Setup');
  await registerByPost(request, primary, 'company_primary', {
    company_name: company.name,
    address_line1: company.addressLine1,
    city: company.city,
    postal_code: company.postalCode,
    country: company.country,
  });
  const registryId = sqlite(
    "print(db.execute('SELECT registry_id FROM organizations WHERE name = ?', (args[0],)).fetchone()[0])",
    company.name,
  ).trim();
  return { name: company.name, registryId };
}

/**
 * Set-up: `person` becomes a second administrator of the company (their staff request approved,
 * the company's primary account assigned, the Primary User role granted), as the company's own
 * pages would do; those flows have e2e specs of their own (approvals.spec.ts, admin-access.spec.ts).
 */
function makeSecondAdministrator(person: Person): void {
  sqlite(
    `
import time, uuid
now = int(time.time() * 1000)
user = db.execute('SELECT id FROM users WHERE lower(username) = lower(?)', (args[0],)).fetchone()[0]
db.execute("UPDATE requests SET status = 'approved', decided_at = ? WHERE user_id = ?", (now, user))
db.execute("UPDATE users SET status = 'active', start_at = ? WHERE id = ?", (now, user))
db.execute("""INSERT OR IGNORE INTO account_assignments (user_id, account_id, is_primary, created_at)
              SELECT ?, a.id, 1, ? FROM accounts a JOIN users u ON u.organization_id = a.organization_id
              WHERE u.id = ? AND a.is_company_primary = 1""", (user, now, user))
for role in ('00000000-0000-7000-8000-000000000101', '00000000-0000-7000-8000-000000000102'):
    db.execute('INSERT OR IGNORE INTO user_roles (id, user_id, role_id, created_at) VALUES (?, ?, ?, ?)',
               (str(uuid.uuid4()), user, role, now))
`,
    person.username,
  );
}

/** The steps table's rows as "step · approver · waiting". */
async function stepRows(page: Page): Promise<string[]> {
  const rows = page.getByRole('main').getByRole('table').getByRole('row');
  const texts: string[] = [];
  for (const row of await rows.all()) {
    const cells = (await row.getByRole('cell').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    if (cells.length > 0) texts.push(cells.slice(0, 3).join(' · '));
  }
  return texts;
}

test('a group step added to the company definition routes the next staff request to the group', async ({ page, browser, request }) => {
  test.setTimeout(120_000); // four people, two queues, a dozen pages, each checked with axe
  const pat = newPerson('setpat');
  const { name: companyName, registryId } = await companyOf(request, pat);
  const lee = newPerson('setlee');
  await registerByPost(request, lee, 'company_business', { registry_id: registryId });
  makeSecondAdministrator(lee);

  await signInAsNewConsoleAdmin(page, request, 'opssetup');
  const main = page.getByRole('main');
  await open(page, '/console');
  await consoleNav(page).getByRole('link', { name: 'Approvals setup' }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/console/approval-definitions');
  await expect(page.getByRole('heading', { level: 1, name: 'Approval definitions' })).toBeVisible();
  await expect(consoleNav(page).getByRole('link', { name: 'Approvals setup' })).toHaveAttribute('aria-current', 'page');
  await expect(setupTabs(page).getByRole('link', { name: 'Approval definitions' })).toHaveAttribute('aria-current', 'page');
  await expectAccessible(page);
  await screenshots(page, 'console-approval-definitions');

  // The group: one organization, by Registry ID; its member by username.
  await setupTabs(page).getByRole('link', { name: 'Approval groups' }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/console/approval-groups');
  await waitHydrated(page);
  await expectAccessible(page);
  await main.getByRole('link', { name: 'New approval group' }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/console/approval-groups/new');
  await waitHydrated(page);
  const groupName = `Desk ${registryId}`;
  await main.getByRole('textbox', { name: 'Name' }).fill(groupName);
  await main.getByRole('radio', { name: 'One organization' }).check();
  await main.getByRole('textbox', { name: 'Organization' }).fill(registryId);
  await expectAccessible(page);
  await main.getByRole('button', { name: 'Create' }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'group_created');
  const groupId = new URL(page.url()).pathname.split('/').pop() as string;
  await expect(page.getByRole('heading', { level: 1, name: groupName })).toBeVisible();
  await expect(main).toContainText(`${companyName} (${registryId})`);
  await waitHydrated(page);
  await main.getByRole('textbox', { name: 'Username' }).fill(lee.username);
  await main.getByRole('button', { name: 'Add member' }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'member_added');
  const member = main.getByRole('row').filter({ hasText: lee.username });
  await expect(member.getByRole('cell').nth(3)).toHaveText('Yes');
  await expect(member.getByRole('button', { name: `Remove ${lee.username}` })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'console-approval-group');

  // The company definition: a group step, moved first.
  await setupTabs(page).getByRole('link', { name: 'Approval definitions' }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/console/approval-definitions');
  await main.getByRole('link', { name: `Edit ${DEFINITION}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: DEFINITION })).toBeVisible();
  const definitionUrl = new URL(page.url()).pathname;
  await waitHydrated(page);
  await expect(main.getByText(/Requests already waiting keep the steps they were submitted with/)).toBeVisible();
  await main.getByRole('radio', { name: 'An approval group' }).check();
  await main.getByRole('combobox', { name: 'Approval group' }).selectOption(groupId);
  await expectAccessible(page);
  await main.getByRole('button', { name: 'Add step' }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'step_added');
  await expect.poll(() => stepRows(page)).toEqual([
    "1 of 2 · The company's primary users · 0",
    `2 of 2 · An approval group: ${groupName} · ${companyName} (${registryId}) · 0`,
  ]);
  await waitHydrated(page);
  await main.getByRole('button', { name: 'Move up step 2' }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'step_moved');
  await expect.poll(() => stepRows(page)).toEqual([
    `1 of 2 · An approval group: ${groupName} · ${companyName} (${registryId}) · 0`,
    "2 of 2 · The company's primary users · 0",
  ]);
  await expectAccessible(page);
  await screenshots(page, 'console-approval-definition');

  // The next staff registration of the company waits for the group.
  const ann = newPerson('setann');
  const visitor = await newUserPage(browser, true);
  await registerStaff(visitor, ann, registryId, expectAccessible);
  await visitor.context().close();
  await open(page, definitionUrl);
  await expect.poll(() => stepRows(page)).toEqual([
    `1 of 2 · An approval group: ${groupName} · ${companyName} (${registryId}) · 1`,
    "2 of 2 · The company's primary users · 0",
  ]);
  const consoleRow = await findInQueue(page, '/console/approvals', ann.username, expectAccessible);
  expect((await rowCells(consoleRow)).Step).toBe('1 of 2');

  // Back to one step: the waiting request keeps the steps it was submitted with.
  await open(page, definitionUrl);
  await main.getByRole('button', { name: 'Remove step 1' }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'step_removed');
  await expect.poll(() => stepRows(page)).toEqual(["1 of 1 · The company's primary users · 0"]);
  // Ann's request and any other spec's still waiting moved to the archived steps.
  await expect(main.getByText(/0 waiting under these steps, [1-9]\d* under earlier versions/)).toBeVisible();
  await expectAccessible(page);
  await open(page, '/console/approvals');
  expect((await rowCells(queueRow(page, ann.username))).Step).toBe('1 of 2');

  // The member sees it in Pending Approvals; the other primary user does not.
  const leePage = await newUserPage(browser, true);
  await signIn(leePage, lee.username, lee.password);
  await expect(leePage).not.toHaveURL((url) => url.pathname === '/login');
  const leeRow = await findInQueue(leePage, '/admin/approvals', ann.username, expectAccessible);
  expect((await rowCells(leeRow)).Step).toBe('1 of 2');
  await screenshots(leePage, 'console-setup-member-queue');
  const patPage = await newUserPage(browser, true);
  await signIn(patPage, pat.username, pat.password);
  await expect(patPage).not.toHaveURL((url) => url.pathname === '/login');
  expect(await queueLists(patPage, '/admin/approvals', ann.username)).toBe(false);
  await expectAccessible(patPage);

  // A customer is refused the console's set-up pages.
  for (const url of ['/console/approval-definitions', `/console/approval-groups/${groupId}`, '/console/roles']) {
    const response = await patPage.goto(url);
    expect(response?.status(), url).toBe(403);
    await expect(patPage.getByRole('heading', { level: 1, name: 'Access denied' })).toBeVisible();
  }
  await leePage.context().close();
  await patPage.context().close();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a definition is created and its steps edited by plain posts; roles, enrollments and sites', async ({ page, request }) => {
    await signInAsNewConsoleAdmin(page, request, 'opsplain');
    const main = page.getByRole('main');
    await page.goto('/console/approval-definitions/new');
    await expect(page.getByRole('heading', { level: 1, name: 'New approval definition' })).toBeVisible();
    const key = main.getByRole('textbox', { name: 'Key' });
    await key.fill('Two Steps');
    await main.getByRole('textbox', { name: 'Name' }).fill('Two steps');
    await main.getByRole('button', { name: 'Create' }).click();
    await expect(main.locator('#key-error')).toContainText('lowercase letters');
    await expect(key).toHaveValue('Two Steps');
    await expect(key).toHaveAttribute('aria-invalid', 'true');
    await expect(main.getByRole('textbox', { name: 'Name' })).toHaveValue('Two steps');
    await expectAccessible(page);

    const unique = `two_steps_${Date.now().toString(36)}`;
    await key.fill(unique);
    await main.getByRole('button', { name: 'Create' }).click();
    await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'created');
    await expect(main.getByRole('status').first()).toHaveText('The approval definition was created. Add its steps below.');
    await main.getByRole('radio', { name: 'A named user' }).check();
    await main.getByRole('textbox', { name: 'Username' }).fill('nobody.at.all');
    await main.getByRole('button', { name: 'Add step' }).click();
    await expect(main.locator('#username-error')).toHaveText('There is no user with this username');
    await expect(main.getByRole('textbox', { name: 'Username' })).toHaveValue('nobody.at.all');
    await expect(main.getByRole('radio', { name: 'A named user' })).toBeChecked();
    await expectAccessible(page);
    await main.getByRole('radio', { name: "The company's primary users" }).check();
    await main.getByRole('button', { name: 'Add step' }).click();
    await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'step_added');
    await main.getByRole('radio', { name: 'The universal approver' }).check();
    await main.getByRole('button', { name: 'Add step' }).click();
    await expect.poll(() => stepRows(page)).toEqual([
      "1 of 2 · The company's primary users · 0",
      '2 of 2 · The universal approver · 0',
    ]);
    await main.getByRole('button', { name: 'Move down step 1' }).click();
    await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'step_moved');
    await expect.poll(() => stepRows(page)).toEqual([
      '1 of 2 · The universal approver · 0',
      "2 of 2 · The company's primary users · 0",
    ]);
    await main.getByRole('button', { name: 'Remove step 2' }).click();
    await expect.poll(() => stepRows(page)).toEqual(['1 of 1 · The universal approver · 0']);
    await expectAccessible(page);

    // Roles and sites, with its sub-tabs.
    await page.goto('/console/roles');
    await expect(page.getByRole('heading', { level: 1, name: 'Roles' })).toBeVisible();
    const tabs = page.getByRole('navigation', { name: 'Roles and sites' });
    await expect(tabs.getByRole('link')).toHaveText(['Roles', 'Enrollments', 'Sites']);
    await expectAccessible(page);
    await screenshots(page, 'console-roles');
    await main.getByRole('link', { name: 'Edit Primary User' }).click();
    await expect(main.getByRole('checkbox', { name: 'Pending approvals (kept)' })).toBeDisabled();
    await expect(main.getByRole('checkbox', { name: 'Pending approvals (kept)' })).toBeChecked();
    await expectAccessible(page);
    await screenshots(page, 'console-role');

    const roleName = `Trade desk ${Date.now().toString(36)}`;
    await page.goto('/console/roles/new');
    await main.getByRole('textbox', { name: 'Name' }).fill(roleName);
    await main.getByRole('checkbox', { name: 'View accounts' }).check();
    await main.getByRole('button', { name: 'Save' }).click();
    await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'role_created');
    await expect(main.getByRole('row').filter({ hasText: roleName })).toContainText('View accounts');

    await tabs.getByRole('link', { name: 'Enrollments' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Enrollments' })).toBeVisible();
    await expectAccessible(page);
    await main.getByRole('link', { name: 'New enrollment' }).click();
    const enrollmentKey = `trade_${Date.now().toString(36)}`;
    await main.getByRole('textbox', { name: 'Key' }).fill(enrollmentKey);
    await main.getByRole('textbox', { name: 'Name' }).fill('Trade pricing');
    await main.getByRole('button', { name: 'Save' }).click();
    await expect(main.locator('#roles-error')).toHaveText('Choose at least one role: an enrollment grants roles');
    await expect(main.getByRole('textbox', { name: 'Key' })).toHaveValue(enrollmentKey);
    await expectAccessible(page);
    await main.getByRole('group', { name: 'Roles' }).getByRole('checkbox', { name: roleName }).check();
    await main.getByRole('combobox', { name: 'Approval definition' }).selectOption({ label: DEFINITION });
    await main.getByRole('button', { name: 'Save' }).click();
    await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'enrollment_created');
    await expect(main.getByRole('row').filter({ hasText: enrollmentKey })).toContainText(roleName);
    await screenshots(page, 'console-enrollments');

    await tabs.getByRole('link', { name: 'Sites' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Sites' })).toBeVisible();
    await main.getByRole('link', { name: 'New site' }).click();
    const siteKey = `outlet_${Date.now().toString(36)}`;
    await main.getByRole('textbox', { name: 'Key' }).fill(siteKey);
    await main.getByRole('textbox', { name: 'Name' }).fill('Outlet');
    await main.getByRole('combobox', { name: 'Required role' }).selectOption({ label: roleName });
    await expectAccessible(page);
    await main.getByRole('button', { name: 'Save' }).click();
    await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'site_created');
    await expect(main.getByRole('row').filter({ hasText: siteKey })).toContainText(roleName);
    await expectAccessible(page);
    await screenshots(page, 'console-sites');
  });
});
